/* SPDX-License-Identifier: Apache-2.0 */
/*
 * esv_cmd - ea90b esv DIR... [-o OUT] [--conditioning SPEC]...: the files of a
 * submission to NIST's Entropy Source Validation (ESV) server (esv.h,
 * docs/esv.md) from assessed collections (DIR/report/report.json), one
 * operational environment (OE) each:
 *
 *   raw_noise.bin, restart.bin   (one OE; raw_noise-oeK.bin, restart-oeK.bin for
 *                                several) the data files of protocol section 4:
 *                                exactly 1,000,000 samples each, one per byte. The raw
 *                                noise is the first 1,000,000 samples of the file the
 *                                verdict rests on (of a series: the lowest run's);
 *                                the restart file is the 1000 x 1000 dataset (§3.1.4);
 *   registration.draft.json, certify.draft.json, supporting-documents.json
 *                                the drafts esv_json.c builds.
 *
 * Every OE is read and checked before anything is written; the files go into a
 * temporary directory renamed into place (DIR/esv with one DIR and no -o), so a
 * refused run leaves an older output as it was, and an existing directory is
 * replaced only when it is an earlier output of ea90b esv.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "assess.h"
#include "collection.h"
#include "commands.h"
#include "esv.h"
#include "manifest.h"
#include "report.h"

#define PROG "ea90b esv"
/* What ea90b esv wrote, as sha256sum prints it: an output is replaced only while it matches. */
#define SUMS "SHA256SUMS"

typedef struct {
    const char *out;                      /* -o OUT, or NULL */
    ea_cond_spec cond[EA_ESV_MAX_COND];   /* --conditioning, in the order applied */
    int ncond;
} esv_opts;

/* Where the files go: parent/name (shown as given). */
typedef struct {
    char parent[4096], name[256], shown[4096];
} esv_target;

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: ea90b esv DIR... [-o OUT] [--conditioning SPEC]...\n"
            "DRAFT files for NIST's Entropy Source Validation (ESV) server from assessed collections\n"
            "(DIR/report/report.json: run `ea90b assess` first), one operational environment (OE) each:\n"
            "raw_noise.bin and restart.bin (1,000,000 samples each, one per byte; raw_noise-oeK.bin\n"
            "and restart-oeK.bin with several DIRs), registration.draft.json, certify.draft.json and\n"
            "supporting-documents.json. Written to DIR/esv/ for one DIR, else to OUT (-o, needed with\n"
            "several). Fields only the vendor knows are marked \"" EA_ESV_FILL ": ...>\"\n"
            "(docs/esv.md).\n"
            "  -o, --output OUT     the output directory (replaced only if ea90b esv wrote it and\n"
            "                       nothing in it changed since: it keeps their SHA256SUMS)\n"
            "  --conditioning SPEC  a conditioning component, as for ea90b assess:\n"
            "                       vetted,N_IN,N_OUT,NW[,H_IN] or nonvetted,N_IN,N_OUT,NW,H_PRIME;\n"
            "                       repeat in the order the components are applied (default: the\n"
            "                       assessment's conditioning stage, when it ran)\n"
            "  -h, --help           this text\n");
}

static int bad(const char *what, const char *arg)
{
    return ea_usage_err(PROG, "ea90b esv", what, arg);
}

/* ---------------------------------------------------------------- reading an OE */

static json_t *load_report(const char *dir)
{
    char path[4096], err[256], why[600];
    struct stat st;
    json_t *doc;

    if (stat(dir, &st) != 0) {
        ea_err(PROG, "cannot read the collection '%s': %s", dir, strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        ea_err(PROG, "'%s' is not a directory (give collections assessed by `ea90b assess`)", dir);
        return NULL;
    }
    if (ea_join(PROG, path, sizeof path, dir, "report/report.json") != 0)
        return NULL;
    if ((doc = ea_json_load(path, why, sizeof why, NULL)) == NULL) {
        ea_err(PROG, "cannot read the report: %s; run `ea90b assess` on %s first", why, dir);
        return NULL;
    }
    if (ea_report_validate(doc, err, sizeof err) != 0) {
        ea_err(PROG, "'%s' is not a complete ea90b report: %s", path, err);
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* Read DIR/name and check it is the file the report assessed. */
static int read_assessed(const char *dir, const json_t *doc, const char *name, ea_input *in)
{
    char path[4096];
    const char *want = json_string_value(
        json_object_get(json_object_get(ea_report_get(doc, "collection.files"), name), "sha256"));

    if (ea_join(PROG, path, sizeof path, dir, name) != 0)
        return 1;
    if (want == NULL) {
        ea_err(PROG, "%s: the assessed collection has no %s; the ESV server needs it", dir, name);
        return 1;
    }
    if (ea_read_input(PROG, path, 0, 0, in) != 0)
        return 1;
    if (strcmp(in->sha256, want) != 0) {
        ea_err(PROG, "%s: SHA-256 %s differs from the assessed file's %s (run ea90b assess again)", path,
               in->sha256, want);
        ea_input_free(in);
        return 1;
    }
    return 0;
}

/* Every one of the first n samples fits in bits (the server reads that many bits a byte). */
static int check_width(const char *dir, const char *name, const uint8_t *p, size_t n, int bits)
{
    unsigned limit = 1u << bits;

    for (size_t i = 0; i < n; i++)
        if (p[i] >= limit) {
            ea_err(PROG, "%s/%s: sample %zu is %u, wider than the %d bits per sample the report claims", dir,
                   name, i, p[i], bits);
            return 1;
        }
    return 0;
}

/* SHA-256 of the first n bytes (the ESV raw-noise file). */
static int sha_prefix(const ea_input *in, size_t n, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;

    if (EVP_Digest(in->data, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
        return 1;
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[64] = '\0';
    return 0;
}

/* Load OE k (1-based) of n and check its data is what the protocol takes. */
static int load_oe(ea_esv_oe *oe, int k, int n)
{
    const char *dir = oe->dir;
    double bits;

    if ((oe->doc = load_report(dir)) == NULL)
        return 1;
    oe->sname = ea_report_str(oe->doc, "data.file", "samples.bin");
    bits = ea_report_num(oe->doc, "claim.bits_per_sample", 0);
    oe->bits = bits >= 1 && bits <= 8 && bits == (int)bits ? (int)bits : 0;
    oe->claim_iid = ea_report_bool(oe->doc, "claim.iid") == 1;
    oe->iid_passed = ea_report_bool(oe->doc, "verdict.iid_passed");
    /* SP 800-90B 3.1.4.3: the validated estimate is min(H_r, H_c, H_I) (restart.h_min), which
     * verdict.h_final holds; reports of ea90b before that fix held H_I there: take the lower */
    oe->h = ea_report_num(oe->doc, "verdict.h_final", 0);
    if (oe->h > 0)
        oe->h = ea_report_validated_h(ea_report_get(oe->doc, "restart"), oe->h);
    if (strcmp(ea_report_str(oe->doc, "conditioning.status", ""), "ran") == 0)
        oe->cond = ea_report_str(oe->doc, "conditioning.parameters", NULL);
    if (oe->bits == 0) {
        ea_err(PROG, "%s: the report gives %g bits per sample; the ESV server takes 1 to 8", dir, bits);
        return 1;
    }
    if (read_assessed(dir, oe->doc, oe->sname, &oe->raw) != 0)
        return 1;
    if (oe->raw.len < (size_t)EA_ESV_SAMPLES) {
        ea_err(PROG, "%s/%s holds %zu samples; the ESV server takes %ld (collect at least that many)", dir,
               oe->sname, oe->raw.len, EA_ESV_SAMPLES);
        return 1;
    }
    if (read_assessed(dir, oe->doc, "restart.bin", &oe->rst) != 0)
        return 1;
    if (oe->rst.len != (size_t)EA_RESTART_SAMPLES) {
        ea_err(PROG, "%s/restart.bin holds %zu samples; the ESV server takes %d (1000 restarts x 1000)", dir,
               oe->rst.len, EA_RESTART_SAMPLES);
        return 1;
    }
    if (check_width(dir, oe->sname, oe->raw.data, (size_t)EA_ESV_SAMPLES, oe->bits) != 0 ||
        check_width(dir, "restart.bin", oe->rst.data, oe->rst.len, oe->bits) != 0)
        return 1;
    if (sha_prefix(&oe->raw, (size_t)EA_ESV_SAMPLES, oe->raw_sha) != 0) {
        ea_err(PROG, "cannot hash the raw-noise file");
        return 1;
    }
    if (n == 1) {
        snprintf(oe->raw_file, sizeof oe->raw_file, "raw_noise.bin");
        snprintf(oe->rst_file, sizeof oe->rst_file, "restart.bin");
    } else {
        snprintf(oe->raw_file, sizeof oe->raw_file, "raw_noise-oe%d.bin", k);
        snprintf(oe->rst_file, sizeof oe->rst_file, "restart-oe%d.bin", k);
    }
    return 0;
}

/* What one registration must say of all OEs alike. */
static int check_oes_agree(const ea_esv_oe *oes, int n)
{
    for (int i = 1; i < n; i++) {
        if (oes[i].bits != oes[0].bits) {
            ea_err(PROG, "%s has %d bits per sample, %s %d: one registration has one bitsPerSample", oes[i].dir,
                   oes[i].bits, oes[0].dir, oes[0].bits);
            return 1;
        }
        if (oes[i].claim_iid != oes[0].claim_iid) {
            ea_err(PROG, "%s was assessed %s --iid-claim, %s %s: one registration has one iidClaim; assess "
                   "both the same way", oes[i].dir, oes[i].claim_iid ? "with" : "without", oes[0].dir,
                   oes[0].claim_iid ? "with it" : "without");
            return 1;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(oes[i].raw_sha, oes[j].raw_sha) == 0) {
                ea_err(PROG, "%s and %s hold the same raw noise: each OE needs its own collection",
                       oes[j].dir, oes[i].dir);
                return 1;
            }
    }
    return 0;
}

/* --conditioning, or else the assessments' conditioning stage (the same in every OE). */
static int resolve_conditioning(esv_opts *o, const ea_esv_oe *oes, int n, json_t *notes)
{
    const char *spec = NULL, *why;
    char note[600];

    if (o->ncond > 0)
        return 0;
    for (int i = 0; i < n; i++) {
        if (oes[i].cond == NULL)
            continue;
        if (spec != NULL && strcmp(spec, oes[i].cond) != 0) {
            ea_err(PROG, "the assessments name different conditioning components ('%s', '%s'); give them "
                   "with --conditioning", spec, oes[i].cond);
            return 1;
        }
        spec = oes[i].cond;
    }
    if (spec == NULL)
        return 0;
    if (ea_cond_parse(spec, &o->cond[0], &why) != 0) {
        ea_err(PROG, "the report's conditioning parameters '%s': %s", spec, why);
        return 1;
    }
    o->ncond = 1;
    snprintf(note, sizeof note, "conditioningComponent from the assessment's conditioning stage "
             "(ea90b assess --conditioning %s)", spec);
    json_array_append_new(notes, json_string(note));
    return 0;
}

/* ---------------------------------------------------------------- writing */

static int write_json(const char *dir, const char *name, const json_t *o)
{
    char path[4096], *text = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    int rc;

    if (text == NULL) {
        ea_err(PROG, "out of memory");
        return 1;
    }
    rc = ea_join(PROG, path, sizeof path, dir, name) != 0 || ea_write_file(PROG, path, text, strlen(text)) != 0;
    free(text);
    return rc;
}

static int write_bytes(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[4096];

    if (ea_join(PROG, path, sizeof path, dir, name) != 0)
        return 1;
    return ea_write_file(PROG, path, p, n);
}

/* A name ea90b esv writes (so an existing output of ours may be replaced). */
static int is_ours(const char *name)
{
    static const char *const fixed[] = { "registration.draft.json", "certify.draft.json",
                                         "supporting-documents.json", "raw_noise.bin", "restart.bin", SUMS, NULL };
    static const char *const numbered[] = { "raw_noise-oe", "restart-oe", NULL };

    for (int i = 0; fixed[i] != NULL; i++)
        if (strcmp(name, fixed[i]) == 0)
            return 1;
    for (int i = 0; numbered[i] != NULL; i++) {
        size_t n = strlen(numbered[i]), d = 0;
        if (strncmp(name, numbered[i], n) != 0)
            continue;
        while (name[n + d] >= '0' && name[n + d] <= '9')
            d++;
        if (d > 0 && strcmp(name + n + d, ".bin") == 0)
            return 1;
    }
    return 0;
}

/* The output directory, from -o OUT or DIR/esv; 0, or a usage error's status. */
static int target_of(const char *out, const char *dir, esv_target *t)
{
    char buf[4096];
    char *slash;
    size_t n;

    if (out == NULL) {
        snprintf(t->parent, sizeof t->parent, "%s", dir);
        snprintf(t->name, sizeof t->name, "esv");
        return ea_join(PROG, t->shown, sizeof t->shown, dir, "esv") != 0 ? EXIT_DATA : 0;
    }
    if ((n = strlen(out)) == 0 || n >= sizeof buf)
        return bad("-o needs a directory name", out);
    memcpy(buf, out, n + 1);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    snprintf(t->shown, sizeof t->shown, "%s", buf);
    slash = strrchr(buf, '/');
    if (slash == NULL) {
        snprintf(t->parent, sizeof t->parent, ".");
        slash = buf - 1;
    } else if (slash == buf) {
        snprintf(t->parent, sizeof t->parent, "/");
    } else {
        *slash = '\0';
        snprintf(t->parent, sizeof t->parent, "%s", buf);
    }
    if (slash[1] == '\0' || strcmp(slash + 1, ".") == 0 || strcmp(slash + 1, "..") == 0 ||
        strlen(slash + 1) >= sizeof t->name - 16)
        return bad("-o needs a directory name", out);
    snprintf(t->name, sizeof t->name, "%s", slash + 1);
    return 0;
}

/* Every entry of the directory path is a plain file of a name ea90b esv writes; *count of them. */
static int only_ours(const char *path, const char *shown, int *count)
{
    char entry[4096];
    struct stat st;
    struct dirent *e;
    DIR *d;
    int rc = 0;

    *count = 0;
    if ((d = opendir(path)) == NULL) {
        ea_err(PROG, "cannot read '%s': %s", shown, strerror(errno));
        return 1;
    }
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (ea_join(PROG, entry, sizeof entry, path, e->d_name) != 0)
            rc = 1;
        else if (!is_ours(e->d_name) || lstat(entry, &st) != 0 || !S_ISREG(st.st_mode)) {
            ea_err(PROG, "'%s' holds '%s', which ea90b esv does not write: not replacing it (remove it or "
                   "choose another -o)", shown, e->d_name);
            rc = 1;
        }
        (*count)++;
    }
    closedir(d);
    return rc;
}

/* path/registration.draft.json is a draft ea90b wrote. */
static int has_our_draft(const char *path)
{
    char f[4096];
    json_t *doc;
    const char *by;
    int ok;

    if (ea_join(PROG, f, sizeof f, path, "registration.draft.json") != 0)
        return 0;
    doc = json_load_file(f, 0, NULL);
    by = json_string_value(json_object_get(doc, "generated_by"));
    ok = json_is_true(json_object_get(doc, "draft")) && by != NULL && strncmp(by, "ea90b ", 6) == 0;
    json_decref(doc);
    return ok;
}

/* path/SHA256SUMS (a small regular file), malloc'd and NUL-terminated, or NULL. */
static char *read_sums(const char *path)
{
    char f[4096];

    return ea_join(PROG, f, sizeof f, path, SUMS) == 0 ? ea_read_small(f, 65536) : NULL;
}

/* Every file in path but SHA256SUMS is listed there with the SHA-256 it has now: 0, or 1 after a message. */
static int unchanged(const char *path, const char *shown)
{
    char *sums = read_sums(path), entry[4096], want[65], hex[65], err[512];
    unsigned long long bytes;
    struct dirent *e;
    DIR *d;
    int rc = 0;

    if (sums == NULL) {
        ea_err(PROG, "'%s' has no readable " SUMS " of ea90b esv: not replacing it (remove it or choose another -o)",
               shown);
        return 1;
    }
    if ((d = opendir(path)) == NULL) {
        ea_err(PROG, "cannot read '%s': %s", shown, strerror(errno));
        free(sums);
        return 1;
    }
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || strcmp(e->d_name, SUMS) == 0)
            continue;
        if (ea_join(PROG, entry, sizeof entry, path, e->d_name) != 0) {
            rc = 1;
        } else if (ea_sums_find(sums, e->d_name, want) == NULL ||
                   ea_sha256_file(entry, hex, &bytes, err, sizeof err) != EA_OK || strcmp(hex, want) != 0) {
            ea_err(PROG, "'%s' holds '%s', changed since ea90b esv wrote it (edited?): not replacing it (move it "
                   "away or choose another -o)", shown, e->d_name);
            rc = 1;
        }
    }
    closedir(d);
    free(sums);
    return rc;
}

/*
 * An existing output is replaced only when it is empty or an earlier output of
 * ea90b esv that nobody changed since: nothing but files it writes, its
 * registration draft among them, each with the SHA-256 its SHA256SUMS records
 * (a draft the vendor filled in is never lost).
 */
static int target_replaceable(const esv_target *t)
{
    char path[4096];
    struct stat st;
    int count;

    if (ea_join(PROG, path, sizeof path, t->parent, t->name) != 0)
        return 1;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        ea_err(PROG, "cannot read '%s': %s", t->shown, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        ea_err(PROG, "'%s' exists and is not a directory; choose another -o", t->shown);
        return 1;
    }
    if (only_ours(path, t->shown, &count) != 0)
        return 1;
    if (count > 0 && !has_our_draft(path)) {
        ea_err(PROG, "'%s' holds no registration draft written by ea90b esv: not replacing it (remove it or "
               "choose another -o)", t->shown);
        return 1;
    }
    return count > 0 ? unchanged(path, t->shown) : 0;
}

/* tmp/SHA256SUMS for the files written there (names[0..n-1], each shorter than 40 bytes). */
static int write_sums(const char *tmp, const char *const *names, int n)
{
    char path[4096], hex[65], err[512], *text = malloc((size_t)n * 112 + 1);
    unsigned long long bytes;
    size_t len = 0;
    int rc;

    if (text == NULL) {
        ea_err(PROG, "out of memory");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        if (ea_join(PROG, path, sizeof path, tmp, names[i]) != 0 ||
            ea_sha256_file(path, hex, &bytes, err, sizeof err) != EA_OK) {
            ea_err(PROG, "cannot hash '%s'", names[i]);
            free(text);
            return 1;
        }
        len += (size_t)snprintf(text + len, (size_t)n * 112 + 1 - len, "%s  %s\n", hex, names[i]);
    }
    rc = write_bytes(tmp, SUMS, (const uint8_t *)text, len);
    free(text);
    return rc;
}

static int write_all(const esv_target *t, const ea_esv_oe *oes, int n, const json_t *reg, const json_t *cert,
                     const json_t *sup)
{
    char tmp[4096], tname[300];
    int rc = 0;

    snprintf(tname, sizeof tname, "%s.tmp-XXXXXX", t->name);
    if (ea_join(PROG, tmp, sizeof tmp, t->parent, tname) != 0)
        return EXIT_DATA;
    if (mkdtemp(tmp) == NULL) {
        ea_err(PROG, "cannot create a directory in '%s': %s", t->parent, strerror(errno));
        return EXIT_DATA;
    }
    chmod(tmp, 0755);
    const char **names = calloc(2 * (size_t)n + 3, sizeof *names);
    int k = 0;

    if (names == NULL) {
        ea_err(PROG, "out of memory");
        ea_dir_remove_flat(tmp);
        return EXIT_DATA;
    }
    for (int i = 0; i < n && rc == 0; i++) {
        rc = write_bytes(tmp, oes[i].raw_file, oes[i].raw.data, (size_t)EA_ESV_SAMPLES) != 0 ||
             write_bytes(tmp, oes[i].rst_file, oes[i].rst.data, oes[i].rst.len) != 0;
        names[k++] = oes[i].raw_file;
        names[k++] = oes[i].rst_file;
    }
    names[k++] = "registration.draft.json";
    names[k++] = "certify.draft.json";
    names[k++] = "supporting-documents.json";
    if (rc != 0 || write_json(tmp, "registration.draft.json", reg) != 0 ||
        write_json(tmp, "certify.draft.json", cert) != 0 || write_json(tmp, "supporting-documents.json", sup) != 0 ||
        write_sums(tmp, names, k) != 0 || ea_dir_swap(PROG, t->parent, tmp, t->name) != 0) {
        free(names);
        ea_dir_remove_flat(tmp);
        return EXIT_DATA;
    }
    free(names);
    return 0;
}

static void print_done(const esv_target *t, const ea_esv_oe *oes, int n, int ncond)
{
    for (int i = 0; i < n; i++) {
        printf("%s/%-26s %ld samples: rawNoiseBits of OE %d (%s)\n", t->shown, oes[i].raw_file, EA_ESV_SAMPLES,
               i + 1, oes[i].dir);
        printf("%s/%-26s %d samples (%d restarts x %d): restartTestBits of OE %d\n", t->shown, oes[i].rst_file,
               EA_RESTART_SAMPLES, EA_RESTART_ROWS, EA_RESTART_COLS, i + 1);
    }
    printf("%s/%-26s DRAFT: registration, numberOfOEs %d, %d conditioning component%s; fill every \"" EA_ESV_FILL
           ": ...>\" field before submitting\n",
           t->shown, "registration.draft.json", n, ncond, ncond == 1 ? "" : "s");
    printf("%s/%-26s DRAFT: certify request (itar, moduleId, oeId ...: the vendor's)\n", t->shown,
           "certify.draft.json");
    printf("%s/%-26s DRAFT: EntropyAssessmentReport (ear.pdf) and PublicUseDocument (pud.pdf) "
           "uploads, from `ea90b ear`\n",
           t->shown, "supporting-documents.json");
    printf("%s/%-26s what ea90b esv wrote (a changed file is never replaced)\n", t->shown, SUMS);
}

/* ---------------------------------------------------------------- the command */

/* s can be a JSON string (valid UTF-8). */
static int utf8(const char *s)
{
    json_t *j = json_string(s);
    int ok = j != NULL;

    json_decref(j);
    return ok;
}

/* Options and operands; -1 to go on, else an exit status. */
static int parse(esv_opts *o, int argc, char **argv)
{
    enum { O_COND = 256 };
    static const struct option longs[] = { { "conditioning", required_argument, NULL, O_COND },
                                            { "output", required_argument, NULL, 'o' },
                                            { "help", no_argument, NULL, 'h' },
                                            { NULL, 0, NULL, 0 } };
    const char *why, *dup;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", longs, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return 0;
        case 'o':
            o->out = optarg;
            break;
        case O_COND:
            if (o->ncond == EA_ESV_MAX_COND)
                return bad("too many --conditioning components (at most 16)", optarg);
            if (ea_cond_parse(optarg, &o->cond[o->ncond], &why) != 0) {
                ea_err(PROG, "--conditioning '%s': %s", optarg, why);
                return bad("--conditioning needs vetted,N_IN,N_OUT,NW[,H_IN] or nonvetted,N_IN,N_OUT,NW,H_PRIME",
                           optarg);
            }
            o->ncond++;
            break;
        case ':':
            return bad("an option needs a value", argv[optind - 1]);
        default:
            return bad("invalid option", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return bad("missing collection directory", NULL);
    if (argc - optind > 1 && o->out == NULL)
        return bad("several collections (one per OE) need -o OUT", NULL);
    for (int i = optind; i < argc; i++)
        if (!utf8(argv[i]))
            return bad("a collection path must be valid UTF-8 (the drafts name it)", NULL);
    if ((dup = ea_repeated_path(argc - optind, argv + optind)) != NULL)
        return bad("the same collection is given twice", dup);
    return -1;
}

static void free_oes(ea_esv_oe *oes, int n)
{
    for (int i = 0; i < n; i++) {
        ea_input_free(&oes[i].raw);
        ea_input_free(&oes[i].rst);
        json_decref(oes[i].doc);
    }
    free(oes);
}

/* Read and check every OE, then build the three drafts. */
static int build(esv_opts *o, ea_esv_oe *oes, int n, json_t **reg, json_t **cert, json_t **sup)
{
    json_t *notes = json_array();

    for (int i = 0; i < n; i++)
        if (load_oe(&oes[i], i + 1, n) != 0)
            goto fail;
    if (check_oes_agree(oes, n) != 0 || resolve_conditioning(o, oes, n, notes) != 0)
        goto fail;
    if ((*reg = ea_esv_registration(oes, n, o->cond, o->ncond, notes)) == NULL)
        return EXIT_DATA;
    *cert = ea_esv_certify(oes, n);
    *sup = ea_esv_supporting();
    return 0;
fail:
    json_decref(notes);
    return EXIT_DATA;
}

int ea_cmd_esv(int argc, char **argv)
{
    esv_opts o = { .out = NULL, .ncond = 0 };
    esv_target t;
    ea_esv_oe *oes;
    json_t *reg = NULL, *cert = NULL, *sup = NULL;
    int n, rc;

    if ((rc = parse(&o, argc, argv)) >= 0)
        return rc;
    n = argc - optind;
    if ((rc = target_of(o.out, argv[optind], &t)) != 0)
        return rc;
    if ((oes = calloc((size_t)n, sizeof *oes)) == NULL) {
        ea_err(PROG, "out of memory");
        return EXIT_DATA;
    }
    for (int i = 0; i < n; i++)
        oes[i].dir = argv[optind + i];
    if ((rc = build(&o, oes, n, &reg, &cert, &sup)) != 0 || (rc = target_replaceable(&t)) != 0 ||
        (rc = write_all(&t, oes, n, reg, cert, sup)) != 0) {
        rc = EXIT_DATA;
    } else {
        print_done(&t, oes, n, o.ncond);
    }
    json_decref(reg);
    json_decref(cert);
    json_decref(sup);
    free_oes(oes, n);
    return rc;
}
