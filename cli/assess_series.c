/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assess_series.c - `ea90b assess` on a series (ea90b collect --runs K):
 * every run's samples-NN.bin through the §6.3 non-IID track (and, under
 * --iid-claim, the §5 IID track), in parallel, one run per thread. Each
 * run's assessed value is the §3.1.3 value a single collection would get.
 * The report gives every run, the median and a distribution-free interval
 * for it (include/ea90b_series.h); the 90B verdict rests on the LOWEST
 * run (docs/report-format.md, "Series"): the conservative reading, as a
 * lab would take the worst of several data sets, so that a series never
 * assesses higher than its weakest run alone would.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "collection.h"
#include "ea90b_series.h"
#include "report.h"

/* The level asked of the median's interval; its exact coverage is reported with it. */
#define SERIES_CI_LEVEL 0.95

typedef struct {
    const ea_assess_opts *o;     /* with a lock for the progress lines */
    const char *dir, *timestamp;
    const json_t *manifest;
    int bits;
    ea_series_run *runs;
    double *seconds;
    size_t n, next;
    int rc, data_bad;            /* the first failure */
    pthread_mutex_t mu;
} pool;

static void fail(pool *p, int rc, int data_bad)
{
    pthread_mutex_lock(&p->mu);
    if (p->rc == 0) {
        p->rc = rc;
        p->data_bad = data_bad;
    }
    pthread_mutex_unlock(&p->mu);
}

/* The run's value: the IID track's when claimed and every IID test passed. */
static void run_value(const ea_assess_opts *o, ea_series_run *r)
{
    r->iid_track = o->iid_claim && ea_report_bool(r->iid, "report.iid") == 1;
    r->h = r->iid_track ? ea_report_num(r->iid, "report.min_entropy.h_assessed", 0)
                        : ea_report_num(r->noniid, "report.results.h_assessed", 0);
}

static int assess_one(pool *p, size_t i)
{
    ea_series_run *r = &p->runs[i];
    char where[4096];
    ea_input in;
    ea_dataset ds;
    ea_assess_unit u;
    ea_status st;
    double t0 = ea_wall();
    int rc = 0;

    snprintf(where, sizeof where, "%s/%s", p->dir, r->file);
    if (ea_assess_read(p->o, p->dir, p->manifest, r->file, &in) != 0) {
        fail(p, EXIT_DATA, 1);
        return 1;
    }
    if ((st = ea_dataset_init(&ds, in.data, in.len, p->bits)) != EA_OK) {
        ea_err(p->o->prog, "%s: %s", where, ea_strerror(st));
        ea_input_free(&in);
        fail(p, EXIT_DATA, 0);
        return 1;
    }
    u = (ea_assess_unit){.o = p->o, .dir = p->dir, .where = where, .file = r->file, .in = &in,
                         .ds = &ds, .timestamp = p->timestamp, .threads = 1, .terse = 1};
    if (ds.alph_size < 2) {
        ea_err(p->o->prog, "%s holds a single symbol: no entropy to assess", where);
        rc = EXIT_DATA;
    } else if ((!p->o->iid_claim || (r->iid = ea_assess_iid_stage(&u, &rc)) != NULL) &&
               (r->noniid = ea_assess_noniid_stage(&u, &rc)) != NULL) {
        run_value(p->o, r);
        p->seconds[i] = ea_wall() - t0;
        ea_assess_note(p->o, p->dir, "run %zu of %zu (%s): %.6f bits per sample (%s track)",
                       i + 1, p->n, r->file, r->h, r->iid_track ? "IID" : "non-IID");
    }
    ea_dataset_free(&ds);
    ea_input_free(&in);
    if (rc != 0)
        fail(p, rc, 0);
    return rc;
}

static void *worker(void *arg)
{
    pool *p = arg;

    for (;;) {
        size_t i;
        pthread_mutex_lock(&p->mu);
        i = p->rc == 0 ? p->next++ : p->n;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n || assess_one(p, i) != 0)
            return NULL;
    }
}

static int run_pool(pool *p, int threads)
{
    pthread_t tid[256];
    int started = 0;

    if (threads > (int)p->n)
        threads = (int)p->n;
    for (; started < threads - 1 && started < 256; started++)
        if (pthread_create(&tid[started], NULL, worker, p) != 0)
            break;
    worker(p);   /* the calling thread is a worker too */
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    return started + 1;
}

/* ------------------------------------------------------------ the series object */

static json_t *run_entry(const pool *p, size_t i)
{
    const ea_series_run *r = &p->runs[i];
    const json_t *e = json_object_get(json_object_get(p->manifest, "files"), r->file);
    const json_t *res = ea_report_get(r->noniid, "report.results");
    json_t *o = json_object();

    json_object_set_new(o, "run", json_integer((json_int_t)(i + 1)));
    json_object_set_new(o, "file", json_string(r->file));
    json_object_set(o, "sha256", json_object_get(e, "sha256"));
    json_object_set_new(o, "h", json_real(r->h));
    json_object_set_new(o, "track", json_string(r->iid_track ? "IID" : "non-IID"));
    json_object_set(o, "h_original", json_object_get(res, "h_original"));
    json_object_set(o, "h_bitstring", json_object_get(res, "h_bitstring"));
    json_object_set_new(o, "iid", r->iid ? json_boolean(ea_report_bool(r->iid, "report.iid") == 1)
                                         : json_null());
    json_object_set_new(o, "seconds", json_real(p->seconds[i]));
    return o;
}

static json_t *series_object(const pool *p, int threads)
{
    double *h = malloc(p->n * sizeof *h);
    json_t *s, *runs = json_array(), *ci;
    ea_median_ci mc;
    size_t low = 0, high = 0;

    if (h == NULL || runs == NULL)
        goto oom;
    for (size_t i = 0; i < p->n; i++) {
        h[i] = p->runs[i].h;
        if (h[i] < h[low])
            low = i;
        if (h[i] > h[high])
            high = i;
        json_array_append_new(runs, run_entry(p, i));
    }
    if (ea_series_median_ci(h, p->n, SERIES_CI_LEVEL, &mc) != EA_OK)
        goto oom;
    ci = json_pack("{s:f,s:f,s:f,s:f,s:I,s:I,s:s}", "level", mc.level, "coverage", mc.coverage,
                   "lower", mc.lower, "upper", mc.upper, "lower_rank", (json_int_t)mc.lower_rank,
                   "upper_rank", (json_int_t)mc.upper_rank, "method",
                   "order statistics x(l), x(K+1-l); coverage 1 - 2 P(Binomial(K, 1/2) <= l - 1)");
    s = json_pack("{s:I,s:I,s:s,s:I,s:s,s:f,s:o,s:f,s:f,s:o,s:i}", "runs", (json_int_t)p->n,
                  "samples_per_run", json_integer_value(json_object_get(p->manifest, "samples")),
                  "rule", "lowest", "decisive_run", (json_int_t)(low + 1), "decisive_file",
                  p->runs[low].file, "median", mc.median, "median_ci", ci, "min", h[low], "max",
                  h[high], "values", runs, "threads", threads);
    free(h);
    return s;
oom:
    free(h);
    json_decref(runs);
    return NULL;
}

/* ------------------------------------------------------------ entry */

void ea_series_runs_free(ea_series_run *runs, size_t n)
{
    for (size_t i = 0; runs != NULL && i < n; i++) {
        json_decref(runs[i].iid);
        json_decref(runs[i].noniid);
    }
    free(runs);
}

int ea_assess_series(const ea_assess_opts *o, const char *dir, const json_t *manifest,
                     const char *timestamp, ea_series_run **runs, size_t *nruns,
                     json_t **series, int *data_bad)
{
    pthread_mutex_t note_lock = PTHREAD_MUTEX_INITIALIZER;
    ea_assess_opts lo = *o;
    pool p;
    double bits = ea_report_num(manifest, "extraction.bits", 0);
    int threads;

    memset(&p, 0, sizeof p);
    if (lo.lock == NULL)
        lo.lock = &note_lock;
    p.o = &lo;
    p.dir = dir;
    p.timestamp = timestamp;
    p.manifest = manifest;
    p.bits = bits >= 1 && bits <= 8 ? (int)bits : 0;
    p.n = (size_t)json_integer_value(json_object_get(manifest, "runs"));
    p.runs = calloc(p.n, sizeof *p.runs);
    p.seconds = calloc(p.n, sizeof *p.seconds);
    *runs = NULL;
    *nruns = 0;
    *series = NULL;
    *data_bad = 0;
    if (p.runs == NULL || p.seconds == NULL) {
        free(p.runs);
        free(p.seconds);
        ea_err(o->prog, "out of memory");
        return EXIT_DATA;
    }
    for (size_t i = 0; i < p.n; i++) {
        ea_col_run_name(p.runs[i].file, sizeof p.runs[i].file, EA_COL_SAMPLES, (unsigned)(i + 1),
                        (unsigned)p.n);
        ea_col_run_name(p.runs[i].raw, sizeof p.runs[i].raw, EA_COL_RAW, (unsigned)(i + 1),
                        (unsigned)p.n);
    }
    pthread_mutex_init(&p.mu, NULL);
    threads = o->series_workers > 0 ? o->series_workers : o->threads;
    ea_assess_note(&lo, dir, "a series of %zu runs: assessing each (%d at a time)", p.n,
                   threads < (int)p.n ? threads : (int)p.n);
    threads = run_pool(&p, threads);
    pthread_mutex_destroy(&p.mu);
    if (p.rc == 0 && (*series = series_object(&p, threads)) == NULL) {
        ea_err(o->prog, "out of memory");
        p.rc = EXIT_DATA;
    }
    free(p.seconds);
    if (p.rc != 0) {
        ea_series_runs_free(p.runs, p.n);
        *data_bad = p.data_bad;
        return p.rc;
    }
    ea_assess_note(&lo, dir, "series: median %.6f, lowest %.6f (run %" JSON_INTEGER_FORMAT
                   ") decides", ea_report_num(*series, "median", 0),
                   ea_report_num(*series, "min", 0),
                   json_integer_value(json_object_get(*series, "decisive_run")));
    *runs = p.runs;
    *nruns = p.n;
    return 0;
}
