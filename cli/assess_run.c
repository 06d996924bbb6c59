/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assess_run.c - one collection directory to one report (ea90b assess):
 *   verify the manifest and every file's SHA-256 (refuse otherwise),
 *   characterise samples.bin, run the §5 IID track (decisive, seeded) and
 *   the §6.3 non-IID track, take the assessed min-entropy (§3.1.3), run
 *   the §3.1.4 restart test on restart.bin with H_I = min(claim, assessed),
 *   the §4.4 health-test cutoffs for the claim and their replay, the
 *   §3.1.5 conditioning computation when asked, and write DIR/report/.
 * A series (collect --runs K) has every run assessed first
 * (assess_series.c); the lowest run then goes through the stages above as
 * the collection's samples, its tracks' results reused.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "assess.h"
#include "frontend.h"
#include "ea90b_collect.h"
#include "collection.h"
#include "manifest.h"
#include "report.h"
#include "reports.h"

typedef struct {
    const ea_assess_opts *o;
    const char *dir;
    json_t *manifest;
    char manifest_sha[65];
    ea_input samples;
    ea_dataset ds;
    int have_ds;
    char timestamp[16];
    char generated[32];      /* UTC, ISO 8601 like the manifest's times */
    double claim;
    int data_bad;            /* the collection failed verification or reading */
    const char *sname;       /* the samples assessed: samples.bin, or a series' lowest run */
    const char *rname;       /* its raw deltas: raw.u64 or raw-NN.u64 */
    json_t *pre_iid, *pre_noniid;   /* a series: that run's stages, already computed */
    ea_series_run *runs;     /* a series: every run */
    size_t nruns;
    json_t *series;          /* a series: the report's "series" object */
} job;

void ea_assess_note(const ea_assess_opts *o, const char *dir, const char *fmt, ...)
{
    va_list ap;

    if (o->quiet)
        return;
    if (o->lock)
        pthread_mutex_lock(o->lock);
    fprintf(stderr, "%s: %s: ", o->prog, dir);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (o->lock)
        pthread_mutex_unlock(o->lock);
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int ea_assess_read(const ea_assess_opts *o, const char *dir, const json_t *manifest,
                   const char *name, ea_input *in)
{
    char *path = path_in(dir, name);
    const char *want;
    int rc;

    if (path == NULL) {
        ea_err(o->prog, "out of memory");
        return 1;
    }
    rc = ea_read_input(o->prog, path, 0, 0, in);
    free(path);
    if (rc != 0)
        return 1;
    want = json_string_value(json_object_get(json_object_get(json_object_get(manifest, "files"), name), "sha256"));
    if (want == NULL)
        want = "";
    if (strcmp(want, in->sha256) != 0) {
        ea_err(o->prog, "%s: %s changed since it was recorded (SHA-256 %s, manifest says %s)",
               dir, name, in->sha256, want);
        ea_input_free(in);
        return 1;
    }
    return 0;
}

/* Read DIR/name, checking its hash against the manifest (it may have
 * changed since ea_col_verify). 1 on error (message printed). */
static int read_listed(job *j, const char *name, ea_input *in)
{
    if (ea_assess_read(j->o, j->dir, j->manifest, name, in) == 0)
        return 0;
    j->data_bad = 1;
    return 1;
}

static int listed(const job *j, const char *name)
{
    return json_is_object(json_object_get(json_object_get(j->manifest, "files"), name));
}

static int load_manifest(job *j)
{
    char *path = path_in(j->dir, "manifest.json");
    ea_input in;
    json_error_t je;

    if (path == NULL)
        return 1;
    if (ea_read_input(j->o->prog, path, 0, 0, &in) != 0) {
        free(path);
        return 1;
    }
    free(path);
    memcpy(j->manifest_sha, in.sha256, sizeof j->manifest_sha);
    j->manifest = json_loadb((const char *)in.data, in.len, 0, &je);
    ea_input_free(&in);
    if (j->manifest == NULL || !json_is_object(j->manifest)) {
        ea_err(j->o->prog, "%s: manifest.json is not valid JSON (line %d: %s)", j->dir, je.line, je.text);
        return 1;
    }
    if (strcmp(ea_report_str(j->manifest, "format", ""), "ea90b-collection") != 0) {
        ea_err(j->o->prog, "%s: manifest.json is not an ea90b collection manifest", j->dir);
        return 1;
    }
    if (json_integer_value(json_object_get(j->manifest, "runs")) > 1) {
        j->sname = "samples-01.bin";   /* until the series says which run decides */
        j->rname = "raw-01.u64";
    }
    if (!listed(j, j->sname)) {
        ea_err(j->o->prog, "%s: manifest.json lists no %s", j->dir, j->sname);
        return 1;
    }
    return 0;
}

static int verify(job *j)
{
    char err[1024] = "";
    int rc;

    ea_assess_note(j->o, j->dir, "verifying the collection (manifest and SHA-256 of every file)");
    rc = ea_col_verify(j->dir, err, sizeof err);
    if (rc != 0 || load_manifest(j) != 0) {
        if (rc != 0)
            ea_err(j->o->prog, "refused: %s", err[0] ? err : "the collection does not verify");
        j->data_bad = 1;
        return 1;
    }
    return 0;
}

/*
 * The claim against the manifest's bits per sample (all 8 when the
 * manifest does not say) before the files are hashed: a claim error is a
 * usage error that leaves the collection and its report alone. 0 when it
 * fits or the manifest cannot be read (verify says why).
 */
static int claim_precheck(const job *j)
{
    char *path = path_in(j->dir, "manifest.json");
    json_t *m = path != NULL ? ea_json_load(path, NULL, 0, NULL) : NULL;
    double mbits = ea_report_num(m, "extraction.bits", 0);
    int bits = mbits >= 1 && mbits <= 8 ? (int)mbits : 8;
    double claim = j->o->osr > 0 ? 1.0 / (double)j->o->osr : j->o->claim;

    free(path);
    json_decref(m);
    if (claim > 0.0 && claim <= (double)bits)
        return 0;
    ea_err(j->o->prog, "%s: the claim %.6g is outside (0, %d] bits per %d-bit sample", j->dir, claim,
           bits, bits);
    return EXIT_USAGE;
}

static int load_samples(job *j)
{
    double mbits = ea_report_num(j->manifest, "extraction.bits", 0);
    int bits = mbits >= 1 && mbits <= 8 ? (int)mbits : 0;
    ea_status st;

    if (read_listed(j, j->sname, &j->samples) != 0)
        return EXIT_DATA;
    st = ea_dataset_init(&j->ds, j->samples.data, j->samples.len, bits);
    if (st != EA_OK) {
        ea_err(j->o->prog, "%s: %s: %s", j->dir, j->sname, ea_strerror(st));
        return EXIT_DATA;
    }
    j->have_ds = 1;
    if (j->ds.alph_size < 2) {
        ea_err(j->o->prog, "%s: %s holds a single symbol: no entropy to assess", j->dir, j->sname);
        return EXIT_DATA;
    }
    j->claim = j->o->osr > 0 ? 1.0 / (double)j->o->osr : j->o->claim;
    if (!(j->claim > 0.0 && j->claim <= (double)j->ds.bits)) {
        ea_err(j->o->prog, "%s: the claim %.6g is outside (0, %d] bits per %d-bit sample", j->dir,
               j->claim, j->ds.bits, j->ds.bits);
        return EXIT_USAGE;
    }
    return 0;
}

/* The data object names the files it describes. */
static json_t *named(json_t *d, const job *j)
{
    json_object_set_new(d, "file", json_string(j->sname));
    if (json_is_object(json_object_get(d, "raw")))
        json_object_set_new(json_object_get(d, "raw"), "file", json_string(j->rname));
    return d;
}

/* NULL after a message when raw.u64 is listed but unreadable or changed. */
static json_t *raw_data(job *j)
{
    ea_input in;
    uint64_t *raw;
    size_t n;
    json_t *d;

    if (!listed(j, j->rname))
        return named(ea_assess_data(&j->ds, NULL, 0), j);
    if (read_listed(j, j->rname, &in) != 0)
        return NULL;
    n = in.len / 8;
    raw = malloc((n ? n : 1) * sizeof(*raw));
    if (raw == NULL) {
        ea_err(j->o->prog, "%s: %s: out of memory", j->dir, j->rname);
        ea_input_free(&in);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t v = 0;
        for (int b = 7; b >= 0; b--)
            v = (v << 8) | in.data[8 * i + (size_t)b];
        raw[i] = v;
    }
    d = named(ea_assess_data(&j->ds, raw, n), j);
    free(raw);
    ea_input_free(&in);
    return d;
}

static ea_assess_unit unit_of(const job *j)
{
    return (ea_assess_unit){.o = j->o, .dir = j->dir, .where = j->dir, .file = j->sname,
                            .in = &j->samples, .ds = &j->ds, .timestamp = j->timestamp,
                            .threads = j->o->threads};
}

static json_t *iid_stage(job *j, int *rc)
{
    ea_assess_unit u = unit_of(j);

    *rc = 0;
    if (j->pre_iid != NULL)
        return json_incref(j->pre_iid);
    return ea_assess_iid_stage(&u, rc);
}

static json_t *noniid_stage(job *j, int *rc)
{
    ea_assess_unit u = unit_of(j);

    *rc = 0;
    if (j->pre_noniid != NULL)
        return json_incref(j->pre_noniid);
    return ea_assess_noniid_stage(&u, rc);
}

/* §3.1.4: r = 1000 restarts of c = 1000 samples (as the manifest records them, when it does). */
#define RESTART_SIDE 1000.0

static int restart_shape_ok(const job *j, size_t len)
{
    const json_t *rs = json_object_get(j->manifest, "restarts");
    double r = ea_report_num(rs, "rows", RESTART_SIDE), c = ea_report_num(rs, "cols", RESTART_SIDE);

    return len == EA_RESTART_SAMPLES && r == RESTART_SIDE && c == RESTART_SIDE;
}

/* Restart data of another shape: no restart result, so the verdict is INCOMPLETE
 * (as for fewer than 1,000,000 samples), not a refusal. */
static json_t *restart_short(const job *j, size_t len)
{
    const json_t *rs = json_object_get(j->manifest, "restarts");
    json_t *s = json_object();
    char why[160];

    if (json_is_integer(json_object_get(rs, "rows")) && json_is_integer(json_object_get(rs, "cols")))
        snprintf(why, sizeof why, "needs exactly 1000 x 1000 samples, got %.0f x %.0f",
                 ea_report_num(rs, "rows", 0), ea_report_num(rs, "cols", 0));
    else
        snprintf(why, sizeof why, "needs exactly 1000 x 1000 samples, got %zu samples", len);
    ea_assess_note(j->o, j->dir, "restart tests skipped: %s", why);
    json_object_set_new(s, "status", json_string("skipped"));
    json_object_set_new(s, "reason", json_string(why));
    return s;
}

static json_t *restart_stage(job *j, double h_i, int iid)
{
    ea_input in;
    ea_dataset rows;
    json_t *o;
    ea_status st;

    if (!listed(j, "restart.bin")) {
        json_t *s = json_object();
        json_object_set_new(s, "status", json_string("skipped"));
        json_object_set_new(s, "reason", json_string("the collection has no restart.bin"));
        return s;
    }
    if (read_listed(j, "restart.bin", &in) != 0)
        return NULL;
    st = ea_dataset_init(&rows, in.data, in.len, j->ds.bits);
    ea_input_free(&in);
    if (st != EA_OK) {
        ea_err(j->o->prog, "%s: restart.bin: %s", j->dir, ea_strerror(st));
        return NULL;
    }
    if (!restart_shape_ok(j, rows.len)) {
        json_t *s = restart_short(j, rows.len);
        ea_dataset_free(&rows);
        return s;
    }
    o = ea_assess_restart(j->o, j->dir, &rows, h_i, iid, j->o->seed);
    ea_dataset_free(&rows);
    return o;
}

static void add_cmd(json_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_cmd(json_t *a, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    json_array_append_new(a, json_string(buf));
}

/* The conditioning stage as an `ea90b conditioning` command (§3.1.5). */
static void conditioning_cmd(json_t *a, const json_t *doc)
{
    const json_t *d = ea_report_get(doc, "conditioning.details");
    int vetted = strncmp(ea_report_str(d, "type", ""), "vetted", 6) == 0;
    char tail[64] = "";

    if (strcmp(ea_report_str(doc, "conditioning.status", ""), "ran") != 0)
        return;
    if (!vetted)
        snprintf(tail, sizeof tail, " %.17g", ea_report_num(d, "h_prime", 0));
    add_cmd(a, "ea90b conditioning %s %.0f %.0f %.0f %.17g%s", vetted ? "-v" : "-n",
            ea_report_num(d, "n_in", 0), ea_report_num(d, "n_out", 0), ea_report_num(d, "nw", 0),
            ea_report_num(d, "h_in", 0), tail);
}

static json_t *reproduce(const job *j, const json_t *doc, double h_i, int iid)
{
    json_t *a = json_array();
    const ea_assess_opts *o = j->o;
    int b = j->ds.bits, hb;
    char boot[64] = "";

    add_cmd(a, "ea90b verify .");
    add_cmd(a, "ea90b iid --seed %" PRIu64 " %s %d", o->seed, j->sname, b);
    if (ea_report_bool(doc, "iid.permutation_skipped") == 1)
        add_cmd(a, "# the line above (or ea90b assess --all-iid-tests) runs the 10,000 permutations "
                   "(section 5.1) that assess skipped once chi-square or LRS had failed");
    add_cmd(a, "ea90b noniid %s %d", j->sname, b);
    if (j->nruns > 1)
        add_cmd(a, "for f in samples-*.bin; do ea90b noniid \"$f\" %d; done   # every run of the "
                   "series", b);
    if (listed(j, "restart.bin") && strcmp(ea_report_str(doc, "restart.status", ""), "skipped") != 0)
        add_cmd(a, "ea90b restart %s%s--seed %" PRIu64 " restart.bin %d %.17g", iid ? "-i " : "-n ",
                o->simulate ? "--simulate " : "", o->seed, b, h_i);
    /* binary as the health stage decided it (two distinct values, SP 800-90B 4.4.2) */
    hb = ea_report_bool(doc, "health.binary") == 1;
    add_cmd(a, "ea90b health cutoffs --alpha-log2 %d %.17g%s", o->health_alpha_log2, j->claim,
            hb ? " --binary" : "");
    add_cmd(a, "ea90b health replay --alpha-log2 %d %s %.17g%s", o->health_alpha_log2,
            j->sname, j->claim, hb ? " --binary" : "");
    if (o->osr > 0) {
        add_cmd(a, "ea90b health cutoffs --osr %ld", o->osr);
        add_cmd(a, "ea90b health replay %s --osr %ld", j->sname, o->osr);
    }
    conditioning_cmd(a, doc);
    if (o->bootstrap > 0)
        snprintf(boot, sizeof boot, " --bootstrap %u --bootstrap-blocks %u", o->bootstrap,
                 o->bootstrap_blocks);
    if (o->osr > 0)
        add_cmd(a, "ea90b assess --osr %ld --seed %" PRIu64 "%s%s .", o->osr, o->seed,
                o->iid_claim ? " --iid-claim" : "", boot);
    else
        add_cmd(a, "ea90b assess --claim %.17g --seed %" PRIu64 "%s%s .", o->claim, o->seed,
                o->iid_claim ? " --iid-claim" : "", boot);
    return a;
}

static json_t *header(const job *j)
{
    json_t *d = json_object(), *tool = json_object(), *col = json_object(), *claim = json_object();
    char line[1024];

    json_object_set_new(d, "schema", json_string(EA_REPORT_SCHEMA));
    json_object_set_new(d, "schema_version", json_integer(EA_REPORT_SCHEMA_VERSION));
    json_object_set_new(d, "complete", json_false());
    json_object_set_new(tool, "name", json_string("ea90b"));
    json_object_set_new(tool, "version", json_string(EA90B_VERSION));
    json_object_set_new(tool, "nist_compat", json_string(EA90B_NIST_VERSION));
    json_object_set_new(d, "tool", tool);
    json_object_set_new(d, "generated", json_string(j->generated));
    json_object_set_new(d, "commandline", json_string(j->o->commandline));
    json_object_set_new(col, "directory", json_string(j->dir));
    json_object_set_new(col, "manifest_sha256", json_string(j->manifest_sha));
    json_object_set(col, "manifest", j->manifest);
    json_object_set(col, "files", json_object_get(j->manifest, "files"));
    json_object_set_new(d, "collection", col);
    json_object_set_new(col, "source_kind", json_string(ea_report_source_kind(d)));
    json_object_set_new(col, "source", json_string(ea_report_source_line(d, line, sizeof line)));
    json_object_set_new(claim, "h", json_real(j->claim));
    json_object_set_new(claim, "source", json_string(j->o->osr > 0 ? "--osr" : "--claim"));
    json_object_set_new(claim, "osr", j->o->osr > 0 ? json_integer(j->o->osr) : json_null());
    json_object_set_new(claim, "bits_per_sample", json_integer(j->ds.bits));
    json_object_set_new(claim, "iid", json_boolean(j->o->iid_claim));
    json_object_set_new(d, "claim", claim);
    if (j->series != NULL)
        json_object_set(d, "series", j->series);
    return d;
}

/* The stages after loading; fills doc. Returns an exit status. */
static int stages(job *j, json_t *doc)
{
    json_t *s;
    int rc, iid;
    double h, h_i;

    ea_assess_note(j->o, j->dir, "characterising the raw data");
    if ((s = raw_data(j)) == NULL)
        return EXIT_DATA;
    json_object_set_new(doc, "data", s);
    if ((s = iid_stage(j, &rc)) == NULL)
        return rc;
    json_object_set_new(doc, "iid", s);
    if ((s = noniid_stage(j, &rc)) == NULL)
        return rc;
    json_object_set_new(doc, "noniid", s);
    if (j->o->bootstrap > 0) {
        ea_assess_unit u = unit_of(j);
        s = ea_assess_bootstrap_stage(&u, s);
        json_object_set_new(doc, "bootstrap", s);
        if (strcmp(ea_report_str(s, "status", ""), "ran") != 0)
            return EXIT_DATA;
    }
    /* §3.1.1-3.1.2: the IID track only on the submitter's IID claim, and only when every
     * IID test passed; otherwise the non-IID track decides */
    iid = j->o->iid_claim && ea_report_bool(doc, "iid.report.iid") == 1;
    h = iid ? ea_report_num(doc, "iid.report.min_entropy.h_assessed", 0)
            : ea_report_num(doc, "noniid.report.results.h_assessed", 0);
    h_i = h < j->claim ? h : j->claim;
    if (!(h_i > 0.0)) {
        ea_err(j->o->prog, "%s: the assessed min-entropy is 0: nothing to validate", j->dir);
        return EXIT_DATA;
    }
    if ((s = restart_stage(j, h_i, iid)) == NULL)
        return EXIT_DATA;
    json_object_set_new(doc, "restart", s);
    ea_assess_note(j->o, j->dir, "health-test cutoffs for H = %.6g and replay over %s", j->claim,
                   j->sname);
    json_object_set_new(doc, "health", ea_assess_health(j->o, &j->ds, j->claim));
    /* §3.1.5: the conditioning input entropy derives from the validated estimate
     * min(H_r, H_c, H_I) when the restart test passed (else from H_I; the verdict fails) */
    json_object_set_new(doc, "conditioning",
                        ea_assess_conditioning(j->o, ea_report_validated_h(s, h_i), j->ds.bits, iid));
    json_object_set_new(doc, "reproduce", reproduce(j, doc, h_i, iid));
    ea_report_verdict(doc);
    return 0;
}

/*
 * An assessment refused because the collection no longer verifies (or a
 * file cannot be read) must not leave an older complete report that
 * `ea90b check` would still pass: move DIR/report aside as
 * DIR/report.stale-<UTC time> (removed if it cannot be moved) and say so.
 * A usage error (the claim) or a stage failure that says nothing about
 * the data leaves a report that still describes the collection alone.
 */
static void retire_report(const ea_assess_opts *o, const char *dir, const char *stamp)
{
    char cur[4096], old[4096], name[64];
    struct stat st;

    snprintf(name, sizeof name, "report.stale-%s", stamp);
    if (ea_join(o->prog, cur, sizeof cur, dir, "report") != 0 ||
        ea_join(o->prog, old, sizeof old, dir, name) != 0)
        return;
    if (lstat(cur, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    if (rename(cur, old) == 0) {
        ea_err(o->prog, "%s: the previous report no longer describes this collection: moved to %s",
               dir, old);
        return;
    }
    ea_dir_remove_flat(cur);
    if (lstat(cur, &st) == 0)
        ea_err(o->prog, "%s: WARNING: cannot move the previous report aside (%s): %s is stale; "
                        "delete it", dir, strerror(errno), cur);
    else
        ea_err(o->prog, "%s: the previous report no longer describes this collection: removed", dir);
}

/* DIR/report/report.json, when there is one, was written for this manifest.json
 * (1 also when there is none or the manifest was not read: nothing to say). */
static int report_matches(const job *j)
{
    char path[4096];
    json_t *old;
    int same;

    if (j->manifest == NULL)
        return 1;
    if (ea_path_join(path, sizeof path, j->dir, "report/report.json", NULL, 0) != EA_OK ||
        (old = ea_json_load(path, NULL, 0, NULL)) == NULL)
        return 1;
    same = strcmp(ea_report_str(old, "collection.manifest_sha256", ""), j->manifest_sha) == 0;
    json_decref(old);
    return same;
}

/* A series: every run assessed; the lowest decides (its file becomes the one assessed). */
static int series(job *j)
{
    int rc;
    size_t low;

    if (json_integer_value(json_object_get(j->manifest, "runs")) < 2)
        return 0;
    rc = ea_assess_series(j->o, j->dir, j->manifest, j->timestamp, &j->runs, &j->nruns,
                          &j->series, &j->data_bad);
    if (rc != 0)
        return rc;
    low = (size_t)json_integer_value(json_object_get(j->series, "decisive_run")) - 1;
    j->sname = j->runs[low].file;
    j->rname = j->runs[low].raw;
    j->pre_iid = j->runs[low].iid;
    j->pre_noniid = j->runs[low].noniid;
    return 0;
}

static void utc_iso8601(char out[32], char compact[32])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    strftime(compact, 32, "%Y%m%dT%H%M%SZ", &tm);
}

int ea_assess_dir(const ea_assess_opts *o, const char *dir, json_t **doc_out)
{
    char compact[32];
    job j;
    json_t *doc = NULL;
    double t0 = ea_wall();
    int rc;

    memset(&j, 0, sizeof j);
    j.o = o;
    j.dir = dir;
    j.sname = "samples.bin";
    j.rname = "raw.u64";
    ea_timestamp(j.timestamp);
    utc_iso8601(j.generated, compact);
    if ((rc = claim_precheck(&j)) != 0) {
        /* nothing read: the collection and its report are left as they are */
    } else if (verify(&j) != 0) {
        rc = EXIT_DATA;
    } else if ((rc = series(&j)) == 0 && (rc = load_samples(&j)) == 0) {
        doc = header(&j);
        rc = stages(&j, doc);
    }
    if (rc == 0) {
        json_object_set_new(doc, "seconds", json_real(ea_wall() - t0));
        json_object_set_new(doc, "complete", json_true());
        ea_assess_note(o, dir, "writing %s/report/", dir);
        rc = ea_assess_write(o->prog, dir, doc);
    }
    if (rc != 0 && (j.data_bad || !report_matches(&j)))
        retire_report(o, dir, compact);
    if (rc == 0 && doc_out != NULL)
        *doc_out = json_incref(doc);
    json_decref(doc);
    json_decref(j.manifest);
    json_decref(j.series);
    ea_series_runs_free(j.runs, j.nruns);
    if (j.have_ds)
        ea_dataset_free(&j.ds);
    ea_input_free(&j.samples);
    return rc;
}
