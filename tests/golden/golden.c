/* SPDX-License-Identifier: Apache-2.0 */
/*
 * golden.c - value-by-value comparison of our rendered output with the
 * reference tool's output. Numbers are found where a value can start (at
 * line start or after ' ', '=' or '('), so identifiers such as P_{0,1} or
 * LZ78Y keep their digits in the line's shape.
 */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "golden.h"
#include "reports.h"

#define MAX_NUMS 16
#define MAX_LINE 1024

typedef struct {
    char shape[MAX_LINE];
    double num[MAX_NUMS];
    int fixed6[MAX_NUMS];   /* printed with exactly six decimals (%f) */
    int n;
} line_t;

typedef struct {
    line_t *v;
    size_t n;
} lines_t;

char *golden_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long sz;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)sz + 1);
    if (buf != NULL && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL) {
        buf[sz] = '\0';
        if (len)
            *len = (size_t)sz;
    }
    return buf;
}

static void logf_(char *log, size_t logsz, const char *fmt, ...)
{
    size_t used = strlen(log);
    va_list ap;

    if (used + 1 >= logsz)
        return;
    va_start(ap, fmt);
    vsnprintf(log + used, logsz - used, fmt, ap);
    va_end(ap);
}

static int number_at(const char *s, size_t i, const char *line, double *v, size_t *len, int *fixed6)
{
    char *end;
    const char *dot;

    if (i > 0 && !strchr(" =(", line[i - 1]))
        return 0;
    if (!(isdigit((unsigned char)s[0]) || ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1]))))
        return 0;
    *v = strtod(s, &end);
    if (end == s || !(*end == '\0' || *end == ' ' || *end == ',' || *end == ')' || *end == '\n'))
        return 0;
    *len = (size_t)(end - s);
    dot = memchr(s, '.', *len);
    *fixed6 = dot != NULL && (size_t)(end - dot) == 7 && !memchr(s, 'e', *len);
    return 1;
}

/* "H_original: #" and "H_original = #" are the same line (old refdata):
 * both sides spell " = " as ": ". */
static void normalise(char *shape)
{
    char *p;
    while ((p = strstr(shape, " = ")) != NULL) {
        p[0] = ':';
        memmove(p + 1, p + 2, strlen(p + 2) + 1);
    }
}

static void parse_line(const char *line, line_t *out)
{
    size_t i = 0, o = 0, len;
    double v;
    int f6;

    out->n = 0;
    while (line[i] != '\0' && o + 2 < sizeof out->shape) {
        if (out->n < MAX_NUMS && number_at(line + i, i, line, &v, &len, &f6)) {
            out->num[out->n] = v;
            out->fixed6[out->n++] = f6;
            out->shape[o++] = '#';
            i += len;
        } else {
            out->shape[o++] = line[i++];
        }
    }
    out->shape[o] = '\0';
    normalise(out->shape);
}

static int skipped(const char *line, const char *const *skip)
{
    for (; skip && *skip; skip++)
        if (strncmp(line, *skip, strlen(*skip)) == 0)
            return 1;
    return 0;
}

/*
 * The permutation progress line ea_iid and ea_restart -i print at -v, once per round, which the
 * reference outputs in data/ had removed: "%6.02f%% of Permutation test rounds, %6.02f%% of
 * Permutation tests", optionally "\r" first (a terminal) or the reference's " (Core i/n,
 * passed_count k)" after. Nothing else matches.
 */
static int progress_line(const char *s)
{
    double a, b;
    int n = 0;

    while (*s == '\r')
        s++;
    if (sscanf(s, "%lf%% of Permutation test rounds, %lf%% of Permutation tests%n", &a, &b, &n) != 2
        || n == 0)
        return 0;
    s += n;
    if (*s == '\0')
        return 1;
    n = 0;
    if (sscanf(s, " (Core %*d/%*d, passed_count %*d)%n", &n) < 0)
        return 0;
    return n > 0 && s[n] == '\0';
}

static lines_t split(const char *text, const char *const *skip)
{
    lines_t L = { NULL, 0 };
    size_t cap = 0;
    const char *p = text;
    char buf[MAX_LINE];

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n >= sizeof buf)
            n = sizeof buf - 1;
        memcpy(buf, p, n);
        buf[n] = '\0';
        while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == ' '))
            buf[--n] = '\0';
        if (n > 0 && !skipped(buf, skip) && !progress_line(buf)) {
            if (L.n == cap) {
                cap = cap ? 2 * cap : 64;
                L.v = realloc(L.v, cap * sizeof *L.v);
            }
            parse_line(buf, &L.v[L.n++]);
        }
        p = nl ? nl + 1 : p + strlen(p);
    }
    return L;
}

static double rel_dev(double a, double b)
{
    double m = fmax(fabs(a), fabs(b));
    if (m == 0.0)
        return 0.0;
    return fabs(a - b) / m;
}

static int values_agree(double a, double b, int fixed6, double *worst)
{
    double r = rel_dev(a, b);

    if (fixed6)
        return fabs(a - b) <= 1.0000001e-6;
    if (r > *worst)
        *worst = r;
    return r <= GOLDEN_REL_TOL;
}

static int compare_line(const line_t *o, const line_t *r, double *worst, char *log, size_t logsz)
{
    int bad = 0;

    for (int k = 0; k < r->n; k++) {
        if (!values_agree(o->num[k], r->num[k], o->fixed6[k] && r->fixed6[k], worst)) {
            logf_(log, logsz, "  value %d of '%s': ours %.17g, reference %.17g\n", k + 1, r->shape,
                  o->num[k], r->num[k]);
            bad++;
        }
    }
    return bad;
}

int golden_compare_text(const char *ours, const char *ref, int strict,
                        const char *const *skip, double *worst, char *log, size_t logsz)
{
    lines_t O = split(ours, skip), R = split(ref, skip);
    size_t oi = 0;
    int bad = 0;

    *worst = 0.0;
    for (size_t ri = 0; ri < R.n; ri++) {
        size_t k = oi;
        while (k < O.n && strcmp(O.v[k].shape, R.v[ri].shape) != 0)
            k++;
        if (k == O.n) {
            logf_(log, logsz, "  missing line: '%s'\n", R.v[ri].shape);
            bad++;
            continue;
        }
        if (strict && k != oi) {
            logf_(log, logsz, "  extra line before '%s': '%s'\n", R.v[ri].shape, O.v[oi].shape);
            bad++;
        }
        bad += compare_line(&O.v[k], &R.v[ri], worst, log, logsz);
        oi = k + 1;
    }
    if (strict && oi < O.n) {
        logf_(log, logsz, "  extra trailing line: '%s'\n", O.v[oi].shape);
        bad++;
    }
    free(O.v);
    free(R.v);
    return bad;
}

static int compare_case(json_t *o, json_t *r, size_t i, double *worst, char *log, size_t logsz)
{
    const char *key;
    json_t *rv;
    int bad = 0;

    if (json_object_size(o) != json_object_size(r)) {
        logf_(log, logsz, "  testCases[%zu]: %zu fields, reference %zu\n", i,
              json_object_size(o), json_object_size(r));
        bad++;
    }
    json_object_foreach(r, key, rv) {
        json_t *ov = json_object_get(o, key);
        if (ov == NULL) {
            logf_(log, logsz, "  testCases[%zu].%s missing\n", i, key);
            bad++;
        } else if (json_is_number(rv)) {
            if (!json_is_number(ov) || !values_agree(json_number_value(ov), json_number_value(rv), 0, worst)) {
                logf_(log, logsz, "  testCases[%zu].%s: ours %.17g, reference %.17g\n", i, key,
                      json_number_value(ov), json_number_value(rv));
                bad++;
            }
        } else if (!json_equal(ov, rv)) {
            logf_(log, logsz, "  testCases[%zu].%s differs\n", i, key);
            bad++;
        }
    }
    return bad;
}

int golden_compare_nist_json(const char *ours, const char *ref, double *worst,
                             char *log, size_t logsz)
{
    json_error_t e;
    json_t *o = json_loads(ours, 0, &e), *r = json_loads(ref, 0, &e);
    json_t *oc, *rc;
    int bad = 0;

    *worst = 0.0;
    if (o == NULL || r == NULL) {
        logf_(log, logsz, "  JSON does not parse: %s\n", e.text);
        json_decref(o);
        json_decref(r);
        return 1;
    }
    oc = json_object_get(o, "testCases");
    rc = json_object_get(r, "testCases");
    if (!json_is_array(oc) || !json_is_array(rc) || json_array_size(oc) != json_array_size(rc)) {
        logf_(log, logsz, "  testCases arrays differ in shape\n");
        bad++;
    } else {
        for (size_t i = 0; i < json_array_size(rc); i++)
            bad += compare_case(json_array_get(oc, i), json_array_get(rc, i), i, worst, log, logsz);
    }
    if (!json_equal(json_object_get(o, "IID"), json_object_get(r, "IID")) ||
        !json_equal(json_object_get(o, "errorLevel"), json_object_get(r, "errorLevel")) ||
        !json_equal(json_object_get(o, "sha256"), json_object_get(r, "sha256"))) {
        logf_(log, logsz, "  IID, errorLevel or sha256 differ\n");
        bad++;
    }
    json_decref(o);
    json_decref(r);
    return bad;
}

static char *render_text(const ea_noniid_report *rep, int verbose)
{
    char *buf = NULL;
    size_t sz = 0;
    FILE *f = open_memstream(&buf, &sz);

    if (f == NULL)
        return NULL;
    ea_render_nist_noniid_text(f, rep, verbose);
    fclose(f);
    return buf;
}

static char *render_json(const ea_noniid_report *rep)
{
    char *buf = NULL;
    size_t sz = 0;
    FILE *f = open_memstream(&buf, &sz);

    if (f == NULL)
        return NULL;
    ea_render_nist_noniid_json(f, rep);
    fclose(f);
    return buf;
}

void golden_sha256_hex(const void *buf, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned mdlen = 0;

    EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL);
    for (unsigned i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", md[i]);
}

int golden_assess(const char *path, int verbose, int threads, char **text,
                  char **nist_json, ea_dataset *ds, ea_noniid_result *res)
{
    size_t len;
    char *buf = golden_slurp(path, &len);
    ea_noniid_opts opt = { .initial = 1, .threads = threads };
    ea_noniid_report rep;
    char sha[65];
    ea_status st;

    if (buf == NULL)
        return -1;
    golden_sha256_hex(buf, len, sha);
    st = ea_dataset_init(ds, (const uint8_t *)buf, len, 0);
    free(buf);
    if (st != EA_OK)
        return -2;
    st = ea_noniid_run(ds, &opt, res);
    if (st != EA_OK)
        return -3;
    memset(&rep, 0, sizeof rep);
    rep.filename = path;
    rep.ds = ds;
    rep.res = res;
    rep.initial = 1;
    rep.all_bits = 1;
    rep.threads = threads;
    *text = render_text(&rep, verbose);
    rep.sha256 = sha;
    if (nist_json != NULL)
        *nist_json = render_json(&rep);
    return 0;
}
