/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_cmd - ea90b check: a min-entropy regression gate for CI.
 *
 *   ea90b check DIR|REPORT.json [--min-entropy H]
 *               [--baseline OLD/report.json [--max-drop P%]] [--junit FILE]
 *
 * Reads an `ea90b assess` report (DIR/report/report.json), checks the
 * verdict and the assessed min-entropy (SP 800-90B §3.1.3) against a
 * floor and/or a baseline report (assessed and final estimate gated; the
 * per-estimator values shown for information unless --per-estimator),
 * prints a short table of what moved and optionally writes JUnit XML.
 * When the report sits in its collection (DIR/report/), every file the
 * report lists is re-hashed first. Exit 0: the assessment holds; 1: a
 * regression or an INCOMPLETE verdict; 2: usage or input errors
 * (missing/invalid/stale report, changed collection file).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "common.h"
#include "collection.h"
#include "manifest.h"
#include "report.h"

#define PROG "ea90b check"
/* Jitter-noise assessments of back-to-back collections on one idle host
 * differ by tens of percent (docs/ci.md): the default drop is wide. */
#define DEFAULT_MAX_DROP 50.0
#define MAX_CHECKS 64

typedef struct {
    char name[96];
    double base, cur, limit;  /* base < 0: no baseline value */
    int failed;
    int info;                 /* shown, not gated */
    int no_cur;               /* no current value to show (n/a) */
    char why[512];
} check_row;

typedef struct {
    check_row r[MAX_CHECKS];
    int n;
} check_set;

static void usage(FILE *f)
{
    fprintf(f, "Usage: ea90b check DIR|REPORT.json [--min-entropy H] [--baseline OLD.json [--max-drop P%%]]\n"
               "                   [--per-estimator] [--allow-incomplete] [--junit FILE]\n"
               "Gate on an `ea90b assess` report: exit 0 when it holds, 1 on a regression\n"
               "(or an INCOMPLETE verdict), 2 on usage or input errors.\n\n"
               "  --min-entropy H     the assessed min-entropy must be >= H bits per sample\n"
               "  --baseline FILE     an earlier report.json (or its collection directory)\n"
               "  --max-drop P%%       largest allowed drop of the assessed and final estimates\n"
               "                      vs the baseline (default %g%%; jitter noise moves tens of %%)\n"
               "  --per-estimator     also gate every estimator against the baseline\n"
               "                      (default: shown for information)\n"
               "  --allow-incomplete  an INCOMPLETE verdict passes (default: exit 1)\n"
               "  --junit FILE        also write JUnit XML (one testcase per check)\n",
            DEFAULT_MAX_DROP);
}

static int bad(const char *what, const char *arg)
{
    return ea_usage_err(PROG, "ea90b check", what, arg);
}

static int parse_num(const char *s, int percent, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (percent && *end == '%')
        end++;
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < 0)
        return -1;
    *out = v;
    return 0;
}

/* Why an input could not be used: printed, and the JUnit error testcase. */
typedef struct {
    char msg[1024];
} load_error;

static void fail_load(load_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_load(load_error *e, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    ea_err(PROG, "%s", e->msg);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* DIR -> DIR/report/report.json; a file path as is. malloc'd. */
static char *report_path(const char *arg)
{
    size_t n = strlen(arg) + 32;
    char *p = malloc(n);

    if (p == NULL)
        return NULL;
    if (is_dir(arg))
        snprintf(p, n, "%s/report/report.json", arg);
    else
        snprintf(p, n, "%s", arg);
    return p;
}

/* dir/name into buf; 0, or -1 when it does not fit (never truncated). */
static int join_path(char *buf, size_t size, const char *dir, const char *name)
{
    return ea_path_join(buf, size, dir, name, NULL, 0) == EA_OK ? 0 : -1;
}

/* The folder holding path (path's last component removed) into out: "." for
 * a bare name, "/" at the root. -1 when it does not fit. */
static int parent_of(const char *path, char *out, size_t n)
{
    size_t len = strlen(path);

    while (len > 1 && path[len - 1] == '/')
        len--;
    while (len > 0 && path[len - 1] != '/')
        len--;
    while (len > 1 && path[len - 1] == '/')
        len--;
    if (len == 0)
        return n > 1 ? (snprintf(out, n, "."), 0) : -1;
    if (len >= n)
        return -1;
    memcpy(out, path, len);
    out[len] = '\0';
    return 0;
}

/* The last component of path (trailing slashes ignored), and its length. */
static const char *last_name(const char *path, size_t *len)
{
    size_t end = strlen(path), start;

    while (end > 1 && path[end - 1] == '/')
        end--;
    start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    *len = end - start;
    return path + start;
}

#define STALE_PREFIX "report.stale-"

/*
 * A report that `ea90b assess` moved aside (DIR/report.stale-<time>/)
 * because the collection no longer verified: never a gate's input. arg is
 * that directory, or a file directly in it.
 */
static int retired(const char *arg)
{
    char parent[4096], *real;
    size_t len;
    const char *name;
    int r;

    if (!is_dir(arg) && parent_of(arg, parent, sizeof parent) != 0)
        return 0;
    real = realpath(is_dir(arg) ? arg : parent, NULL);   /* "." and ".." named too */
    if (real == NULL)
        return 0;
    name = last_name(real, &len);
    r = len >= strlen(STALE_PREFIX) && strncmp(name, STALE_PREFIX, strlen(STALE_PREFIX)) == 0;
    free(real);
    return r;
}

/*
 * The collection directory the report belongs to, when it is on hand:
 * DIR for a directory argument; for a file path D/R/report.json, D when
 * D/manifest.json exists (whatever the report folder R is called, so a
 * copy or a renamed report folder is re-hashed too). 0 and "" otherwise.
 */
static int collection_dir(const char *arg, char *out, size_t n)
{
    char parent[4096], path[4096];
    const char *name;
    size_t len;
    int rc;

    out[0] = '\0';
    if (is_dir(arg)) {
        if (strlen(arg) >= n)
            return 0;
        memcpy(out, arg, strlen(arg) + 1);
        return 1;
    }
    if (parent_of(arg, parent, sizeof parent) != 0) {
        out[0] = '\0';
        return 0;
    }
    name = last_name(parent, &len);
    if ((len == 1 && name[0] == '.') || (len == 2 && strncmp(name, "..", 2) == 0))
        rc = join_path(out, n, parent, "..");   /* report.json from inside its folder */
    else
        rc = parent_of(parent, out, n);
    if (rc != 0) {
        out[0] = '\0';
        return 0;
    }
    if (join_path(path, sizeof path, out, "manifest.json") != 0 || access(path, F_OK) != 0) {
        out[0] = '\0';
        return 0;
    }
    return 1;
}

/* A stale report: the directory's manifest.json no longer matches it. */
static int stale(const char *dir, const json_t *doc, load_error *e)
{
    char path[4096], hex[65], err[512];
    unsigned long long bytes;

    if (join_path(path, sizeof path, dir, "manifest.json") != 0) {
        fail_load(e, "%s: path too long", dir);
        return 1;
    }
    if (access(path, F_OK) != 0)
        return 0;
    if (ea_sha256_file(path, hex, &bytes, err, sizeof err) != 0) {
        fail_load(e, "%s: %s", dir, err);
        return 1;
    }
    if (strcmp(hex, ea_report_str(doc, "collection.manifest_sha256", "")) != 0) {
        fail_load(e, "%s: the report is stale: manifest.json changed since it was written "
                     "(run ea90b assess again)", dir);
        return 1;
    }
    return 0;
}

/* Every file the report lists must still have its size and SHA-256. */
static int files_changed(const char *dir, const json_t *doc, load_error *e)
{
    json_t *files = ea_report_get(doc, "collection.files"), *v;
    const char *name;
    char path[4096], hex[65], err[512];
    unsigned long long bytes;

    json_object_foreach(files, name, v) {
        double want = ea_report_num(v, "bytes", -1);
        if (join_path(path, sizeof path, dir, name) != 0) {
            fail_load(e, "%s/%s: path too long", dir, name);
            return 1;
        }
        if (ea_sha256_file(path, hex, &bytes, err, sizeof err) != 0) {
            fail_load(e, "%s: %s, listed in the report, cannot be read (%s): the report no longer "
                         "describes the collection (run ea90b assess again)", dir, name, err);
            return 1;
        }
        if ((double)bytes != want || strcmp(hex, ea_report_str(v, "sha256", "")) != 0) {
            fail_load(e, "%s: %s changed since the report was written (%llu bytes, SHA-256 %s; "
                         "the report has %.0f bytes, %s): run ea90b assess again", dir, name,
                      bytes, hex, want, ea_report_str(v, "sha256", "?"));
            return 1;
        }
    }
    return 0;
}

static json_t *load(const char *arg, load_error *e)
{
    char *path = report_path(arg), err[256], dir[4096], why[600];
    json_t *doc;

    if (path == NULL) {
        fail_load(e, "out of memory");
        return NULL;
    }
    if (retired(arg)) {
        fail_load(e, "'%s' is a retired report (ea90b assess moved it aside: it no longer describes "
                     "its collection); check DIR/report/report.json after ea90b assess DIR", arg);
        free(path);
        return NULL;
    }
    doc = ea_json_load(path, why, sizeof why, NULL);
    if (doc == NULL) {
        fail_load(e, "%s", why);
    } else if (ea_report_validate(doc, err, sizeof err) != 0) {
        fail_load(e, "'%s' is not a complete ea90b report: %s", path, err);
        json_decref(doc);
        doc = NULL;
    } else if (collection_dir(arg, dir, sizeof dir) && (stale(dir, doc, e) || files_changed(dir, doc, e))) {
        json_decref(doc);
        doc = NULL;
    }
    free(path);
    return doc;
}

static check_row *add(check_set *s, const char *name)
{
    check_row *r;

    if (s->n >= MAX_CHECKS)
        return NULL;
    r = &s->r[s->n++];
    memset(r, 0, sizeof(*r));
    snprintf(r->name, sizeof r->name, "%s", name);
    r->base = -1;
    return r;
}

static void floor_check(check_set *s, const json_t *doc, double h)
{
    check_row *r = add(s, "assessed min-entropy >= --min-entropy");

    r->cur = ea_report_num(doc, "verdict.h_assessed", 0);
    r->limit = h;
    r->failed = r->cur + 1e-12 < h;
    snprintf(r->why, sizeof r->why, "%.6g bits per sample %s %.6g", r->cur, r->failed ? "<" : ">=", h);
}

/* FAIL fails; INCOMPLETE fails unless --allow-incomplete. */
static void verdict_check(check_set *s, const json_t *doc, int allow_incomplete)
{
    check_row *r = add(s, "report verdict");
    const char *st = ea_report_str(doc, "verdict.status", "?");
    json_t *reasons = ea_report_get(doc, "verdict.reasons"), *v;
    size_t len, i;
    int incomplete = strcmp(st, "INCOMPLETE") == 0;

    r->cur = ea_report_num(doc, "verdict.h_final", 0);
    r->no_cur = incomplete;   /* no final estimate without a restart result */
    r->failed = strcmp(st, "FAIL") == 0 || (incomplete && !allow_incomplete) ||
                (strcmp(st, "PASS") != 0 && !incomplete);
    len = (size_t)snprintf(r->why, sizeof r->why, "%s", st);
    json_array_foreach(reasons, i, v)
        if (len < sizeof r->why)
            len += (size_t)snprintf(r->why + len, sizeof r->why - len, "%s%s", i ? "; " : ": ",
                                    json_string_value(v) ? json_string_value(v) : "?");
    if (incomplete && len < sizeof r->why)
        snprintf(r->why + len, sizeof r->why - len, "%s", allow_incomplete ? " (accepted: --allow-incomplete)"
                                                                           : " (--allow-incomplete accepts it)");
}

static void drop_check(check_set *s, const char *name, double base, double cur, double max_drop, int info)
{
    check_row *r;
    double drop;
    const char *what;

    if (base < 0 || cur < 0 || (r = add(s, name)) == NULL)
        return;
    r->base = base;
    r->cur = cur;
    r->limit = max_drop;
    r->info = info;
    drop = base > 0 ? (base - cur) / base * 100.0 : 0.0;
    r->failed = !info && drop > max_drop + 1e-9;
    /* a change that rounds to zero prints as 0.00%, never -0.00% */
    what = info ? "information; --per-estimator gates at" : "allowed drop";
    if (fabs(drop) < 0.005)
        snprintf(r->why, sizeof r->why, "0.00%% (%s %.2f%%)", what, max_drop);
    else
        snprintf(r->why, sizeof r->why, "%+.2f%% (%s %.2f%%)", -drop, what, max_drop);
}

/* Per-sample h of one estimator side, or -1 when absent. */
static double est_h(const json_t *doc, const char *side, const char *key)
{
    char path[128];
    int bits = (int)ea_report_num(doc, "data.bits_per_symbol", 1);

    json_t *v;

    snprintf(path, sizeof path, "noniid.report.estimators.%s.%s.h", side, key);
    v = ea_report_get(doc, path);
    if (!json_is_number(v))
        return -1.0;
    return json_number_value(v) * (strcmp(side, "bitstring") == 0 ? bits : 1);
}

/*
 * Gated: the assessed min-entropy and the final estimate. The non-IID
 * estimators move by tens of percent between collections of jitter noise
 * (docs/ci.md), so they are information unless per_estimator.
 */
static void baseline_checks(check_set *s, const json_t *doc, const json_t *base, double max_drop,
                            int per_estimator)
{
    static const char *const sides[2] = { "literal", "bitstring" };
    char name[96];
    int info = !per_estimator;

    drop_check(s, "assessed min-entropy", ea_report_num(base, "verdict.h_assessed", -1),
               ea_report_num(doc, "verdict.h_assessed", -1), max_drop, 0);
    drop_check(s, "final entropy estimate", ea_report_num(base, "verdict.h_final", -1),
               ea_report_num(doc, "verdict.h_final", -1), max_drop, 0);
    drop_check(s, "H_original (non-IID)", ea_report_num(base, "noniid.report.results.h_original", -1),
               ea_report_num(doc, "noniid.report.results.h_original", -1), max_drop, info);
    drop_check(s, "H_bitstring (non-IID)", ea_report_num(base, "noniid.report.results.h_bitstring", -1),
               ea_report_num(doc, "noniid.report.results.h_bitstring", -1), max_drop, info);
    for (int sd = 0; sd < 2; sd++)
        for (size_t i = 0; ea_report_est_key(i) != NULL; i++) {
            snprintf(name, sizeof name, "%s %s", ea_report_est_key(i), sides[sd]);
            drop_check(s, name, est_h(base, sides[sd], ea_report_est_key(i)),
                       est_h(doc, sides[sd], ea_report_est_key(i)), max_drop, info);
        }
}

static void print_table(const check_set *s)
{
    printf("%-40s %12s %12s  %s\n", "check", "baseline", "current", "result");
    for (int i = 0; i < s->n; i++) {
        const check_row *r = &s->r[i];
        char base[32], cur[32];
        if (r->base >= 0)
            snprintf(base, sizeof base, "%.6f", r->base);
        else
            snprintf(base, sizeof base, "-");
        if (r->no_cur)
            snprintf(cur, sizeof cur, "n/a");
        else
            snprintf(cur, sizeof cur, "%.6f", r->cur);
        printf("%-40s %12s %12s  %s  %s\n", r->name, base, cur,
               r->info ? "info" : r->failed ? "FAIL" : "ok", r->why);
    }
}

/* XML text: markup escaped; control characters XML 1.0 forbids become U+FFFD. */
static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
                fputs("\xef\xbf\xbd", f);
            else
                fputc(c, f);
        }
    }
}

static void junit_head(FILE *f, const char *subject, int tests, int failures, int errors)
{
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"%d\" failures=\"%d\" errors=\"%d\">\n"
               "  <testsuite name=\"ea90b check ", tests, failures, errors);
    xml_text(f, subject);
    fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", tests, failures, errors);
}

static void junit_case(FILE *f, const check_row *r)
{
    fputs("    <testcase classname=\"ea90b.check\" name=\"", f);
    xml_text(f, r->name);
    fputs("\">", f);
    if (r->failed || r->info) {
        fputs(r->failed ? "<failure message=\"" : "<skipped message=\"", f);
        xml_text(f, r->why);
        fputs("\">", f);
        xml_text(f, r->why);
        fputs(r->failed ? "</failure>" : "</skipped>", f);
    } else {
        fputs("<system-out>", f);
        xml_text(f, r->why);
        fputs("</system-out>", f);
    }
    fputs("</testcase>\n", f);
}

/* s == NULL: one error testcase carrying error (an input error, exit 2). */
static int write_junit(const char *path, const char *subject, const check_set *s, const char *error)
{
    ea_outfile o;
    int failures = 0;

    for (int i = 0; s != NULL && i < s->n; i++)
        failures += s->r[i].failed;
    if (ea_out_open(PROG, path, &o) != 0)
        return EXIT_DATA;
    if (s == NULL) {
        junit_head(o.f, subject, 1, 0, 1);
        fputs("    <testcase classname=\"ea90b.check\" name=\"read the report\"><error message=\"", o.f);
        xml_text(o.f, error);
        fputs("\">", o.f);
        xml_text(o.f, error);
        fputs("</error></testcase>\n", o.f);
    } else {
        junit_head(o.f, subject, s->n, failures, 0);
        for (int i = 0; i < s->n; i++)
            junit_case(o.f, &s->r[i]);
    }
    fputs("  </testsuite>\n</testsuites>\n", o.f);
    return ea_out_commit(PROG, &o) != 0 ? EXIT_DATA : 0;
}

typedef struct {
    const char *subject, *baseline, *junit;
    double min_h, max_drop;
    int have_min, have_drop, per_estimator, allow_incomplete;
} check_args;

enum { O_PER_EST = 256, O_ALLOW_INC };

static int parse(check_args *a, int argc, char **argv)
{
    static const struct option longs[] = {
        { "min-entropy", required_argument, NULL, 'm' }, { "baseline", required_argument, NULL, 'b' },
        { "max-drop", required_argument, NULL, 'd' }, { "junit", required_argument, NULL, 'j' },
        { "per-estimator", no_argument, NULL, O_PER_EST },
        { "allow-incomplete", no_argument, NULL, O_ALLOW_INC },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (parse_num(optarg, 0, &a->min_h) != 0 || a->min_h > 8)
                return bad("--min-entropy needs a number of bits per sample from 0 to 8", optarg);
            a->have_min = 1;
            break;
        case 'd':
            if (parse_num(optarg, 1, &a->max_drop) != 0 || a->max_drop > 100)
                return bad("--max-drop needs a percentage from 0 to 100 (e.g. 50%)", optarg);
            a->have_drop = 1;
            break;
        case 'b': a->baseline = optarg; break;
        case 'j': a->junit = optarg; break;
        case O_PER_EST: a->per_estimator = 1; break;
        case O_ALLOW_INC: a->allow_incomplete = 1; break;
        case 'h': usage(stdout); return 0;
        default: return bad("invalid option", NULL);
        }
    }
    if (optind >= argc)
        return bad("missing report (a collection directory or a report.json)", NULL);
    if (argc - optind > 1)
        return bad("too many operands", argv[optind + 1]);
    a->subject = argv[optind];
    if (!a->have_min && a->baseline == NULL)
        return bad("nothing to check: give --min-entropy H and/or --baseline FILE", NULL);
    if (a->have_drop && a->baseline == NULL)
        return bad("--max-drop needs --baseline", NULL);
    if (a->per_estimator && a->baseline == NULL)
        return bad("--per-estimator needs --baseline", NULL);
    return -1;
}

/* An input error (exit 2), also as a JUnit error testcase when asked. */
static int input_error(const check_args *a, const load_error *e)
{
    if (a->junit != NULL && write_junit(a->junit, a->subject, NULL, e->msg) != 0)
        ea_err(PROG, "the JUnit file '%s' could not be written either", a->junit);
    return EXIT_USAGE;
}

int ea_cmd_check(int argc, char **argv)
{
    check_args a = { NULL, NULL, NULL, 0, DEFAULT_MAX_DROP, 0, 0, 0, 0 };
    load_error e = { "" };
    json_t *doc, *base = NULL;
    check_set *s;
    int rc, failed = 0, gated = 0;

    if ((rc = parse(&a, argc, argv)) >= 0)
        return rc;
    if ((doc = load(a.subject, &e)) == NULL)
        return input_error(&a, &e);
    if (a.baseline != NULL && (base = load(a.baseline, &e)) == NULL) {
        json_decref(doc);
        return input_error(&a, &e);
    }
    if ((s = calloc(1, sizeof(*s))) == NULL) {
        json_decref(doc);
        json_decref(base);
        ea_err(PROG, "out of memory");
        return EXIT_DATA;
    }
    verdict_check(s, doc, a.allow_incomplete);
    if (a.have_min)
        floor_check(s, doc, a.min_h);
    if (base != NULL)
        baseline_checks(s, doc, base, a.max_drop, a.per_estimator);
    print_table(s);
    for (int i = 0; i < s->n; i++) {
        failed += s->r[i].failed;
        gated += !s->r[i].info;
    }
    printf("%s: %d check%s, %d failed", failed ? "REGRESSION" : "OK", gated, gated == 1 ? "" : "s", failed);
    if (gated < s->n)
        printf(" (%d more shown for information; --per-estimator gates them)", s->n - gated);
    putchar('\n');
    rc = failed ? EXIT_DATA : 0;
    if (failed)
        ea_err(PROG, "%s: regression: %d of %d checks failed", a.subject, failed, gated);
    /* a JUnit write error never hides a regression (exit 1 wins) */
    if (a.junit != NULL && write_junit(a.junit, a.subject, s, NULL) != 0 && rc == 0)
        rc = EXIT_USAGE;
    free(s);
    json_decref(doc);
    json_decref(base);
    return rc;
}
