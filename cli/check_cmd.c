/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_cmd - ea90b check: a min-entropy regression gate for CI.
 *
 *   ea90b check DIR|REPORT.json [--min-entropy H]
 *               [--baseline OLD/report.json [--max-drop P%] [--alpha A] [--min-effect P%]]
 *               [--junit FILE] [--html FILE]
 *
 * Reads an `ea90b assess` report (DIR/report/report.json), checks the
 * verdict and the assessed min-entropy (SP 800-90B §3.1.3) against a
 * floor and/or a baseline report (assessed and final estimate gated; the
 * per-estimator values shown for information unless --per-estimator),
 * prints a short table of what moved and optionally writes JUnit XML and
 * an HTML page. When either report is a series (ea90b collect --runs K)
 * the baseline comparison is a one-sided rank test on the runs' values
 * with a minimum effect (reports/series_gate.c, docs/ci.md).
 * When the report sits in its collection (DIR/report/), every file the
 * report lists is re-hashed first. Exit 0: the assessment holds; 1: a
 * regression or an INCOMPLETE verdict; 2: usage or input errors
 * (missing/invalid/stale report, changed collection file). The checks
 * themselves (no I/O) are reports/check_gate.c; this file reads, prints
 * and writes.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assessed.h"
#include "check_gate.h"
#include "series_gate.h"
#include "commands.h"
#include "common.h"
#include "collection.h"
#include "manifest.h"
#include "report.h"

#define PROG "ea90b check"
/* Jitter-noise assessments of back-to-back collections on one idle host
 * differ by tens of percent (docs/ci.md): the default drop is wide. */
#define DEFAULT_MAX_DROP 50.0

static void usage(FILE *f)
{
    fprintf(f, "Usage: ea90b check DIR|REPORT.json [--min-entropy H] [--baseline OLD [options]]\n"
               "                   [--per-estimator] [--allow-incomplete] [--junit FILE] [--html FILE]\n"
               "Gate on an `ea90b assess` report: exit 0 when it holds, 1 on a regression\n"
               "(or an INCOMPLETE verdict), 2 on usage or input errors.\n\n"
               "  --min-entropy H     the assessed min-entropy must be >= H bits per sample\n"
               "  --baseline OLD      an earlier report.json (or its collection directory)\n"
               "Series against series (collect --runs K on both sides; docs/ci.md):\n"
               "  --alpha A           false-alarm rate of the one-sided rank test that the\n"
               "                      current runs are lower (default %g)\n"
               "  --min-effect P%%     the median must also drop at least P%% (default %g%%)\n"
               "One collection against one (or against a series' median):\n"
               "  --max-drop P%%       largest allowed drop of the assessed and final estimates\n"
               "                      vs the baseline (default %g%%; jitter noise moves tens of %%)\n"
               "  --per-estimator     also gate every estimator against the baseline\n"
               "                      (default: shown for information)\n"
               "  --allow-incomplete  an INCOMPLETE verdict passes (default: exit 1)\n"
               "  --junit FILE        also write JUnit XML (one testcase per check)\n"
               "  --html FILE         also write an HTML page (baseline against current plotted)\n",
            EA_SERIES_ALPHA, EA_SERIES_MIN_EFFECT, DEFAULT_MAX_DROP);
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

/* The report no longer describes its collection (assessed.h). */
static int outdated(const char *dir, const json_t *doc, load_error *e)
{
    char why[1024];

    if (ea_report_current(dir, doc, why, sizeof why) == 0)
        return 0;
    fail_load(e, "%s", why);
    return 1;
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
    } else if (collection_dir(arg, dir, sizeof dir) && outdated(dir, doc, e)) {
        json_decref(doc);
        doc = NULL;
    }
    free(path);
    return doc;
}

static void print_table(const ea_check_set *s)
{
    printf("%-40s %12s %12s  %s\n", "check", "baseline", "current", "result");
    for (int i = 0; i < s->n; i++) {
        const ea_check_row *r = &s->r[i];
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

static void junit_case(FILE *f, const ea_check_row *r)
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
static int write_junit(const char *path, const char *subject, const ea_check_set *s, const char *error)
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
    const char *subject, *baseline, *junit, *html;
    double min_h, max_drop, alpha, min_effect;
    int have_min, have_drop, per_estimator, allow_incomplete, have_series_opt;
} check_args;

enum { O_PER_EST = 256, O_ALLOW_INC, O_ALPHA, O_MIN_EFFECT, O_HTML };

static int parse(check_args *a, int argc, char **argv)
{
    static const struct option longs[] = {
        { "min-entropy", required_argument, NULL, 'm' }, { "baseline", required_argument, NULL, 'b' },
        { "max-drop", required_argument, NULL, 'd' }, { "junit", required_argument, NULL, 'j' },
        { "per-estimator", no_argument, NULL, O_PER_EST },
        { "allow-incomplete", no_argument, NULL, O_ALLOW_INC },
        { "alpha", required_argument, NULL, O_ALPHA },
        { "min-effect", required_argument, NULL, O_MIN_EFFECT },
        { "html", required_argument, NULL, O_HTML },
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
        case O_ALPHA:
            if (parse_num(optarg, 0, &a->alpha) != 0 || !(a->alpha > 0) || a->alpha > 0.5)
                return bad("--alpha needs a false-alarm rate above 0, at most 0.5 (e.g. 0.01)",
                           optarg);
            a->have_series_opt = 1;
            break;
        case O_MIN_EFFECT:
            if (parse_num(optarg, 1, &a->min_effect) != 0 || a->min_effect > 100)
                return bad("--min-effect needs a percentage from 0 to 100 (e.g. 10%)", optarg);
            a->have_series_opt = 1;
            break;
        case O_HTML: a->html = optarg; break;
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
    if (a->have_series_opt && a->baseline == NULL)
        return bad("--alpha and --min-effect need --baseline", NULL);
    return -1;
}

/* An input error (exit 2), also as a JUnit error testcase when asked. */
static int input_error(const check_args *a, const load_error *e)
{
    if (a->junit != NULL && write_junit(a->junit, a->subject, NULL, e->msg) != 0)
        ea_err(PROG, "the JUnit file '%s' could not be written either", a->junit);
    return EXIT_USAGE;
}

/* --html FILE, written whole or not at all. */
static int write_html(const check_args *a, const ea_check_set *s, const json_t *doc,
                      const json_t *base)
{
    ea_outfile o;

    if (ea_out_open(PROG, a->html, &o) != 0)
        return EXIT_DATA;
    if (ea_check_html(o.f, a->subject, a->baseline, s, doc, base) != 0) {
        ea_out_abort(&o);
        ea_err(PROG, "cannot write '%s'", a->html);
        return EXIT_DATA;
    }
    return ea_out_commit(PROG, &o) != 0 ? EXIT_DATA : 0;
}

static const char *kind_of(const json_t *doc, char *buf, size_t n)
{
    if (!ea_report_is_series(doc))
        return "one collection";
    snprintf(buf, n, "a series of %.0f runs", ea_report_num(doc, "series.runs", 0));
    return buf;
}

/* Which comparison this is, in one line before the table (a series on either side). */
static void describe(const json_t *doc, const json_t *base)
{
    char b1[48], b2[48];

    if (base != NULL && (ea_report_is_series(doc) || ea_report_is_series(base)))
        printf("current: %s; baseline: %s\n", kind_of(doc, b1, sizeof b1),
               kind_of(base, b2, sizeof b2));
}

int ea_cmd_check(int argc, char **argv)
{
    check_args a = { NULL, NULL, NULL, NULL, 0, DEFAULT_MAX_DROP, EA_SERIES_ALPHA,
                     EA_SERIES_MIN_EFFECT, 0, 0, 0, 0, 0 };
    load_error e = { "" };
    json_t *doc, *base = NULL;
    ea_check_set *s;
    ea_check_opts gate;
    int rc, failed = 0, gated = 0;

    if ((rc = parse(&a, argc, argv)) >= 0)
        return rc;
    gate = (ea_check_opts){ a.have_min, a.min_h, a.max_drop, a.per_estimator, a.allow_incomplete,
                            a.alpha, a.min_effect };
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
    if (ea_check_gate(s, doc, base, &gate, e.msg, sizeof e.msg) != 0) {
        ea_err(PROG, "%s: %s", a.subject, e.msg);
        rc = input_error(&a, &e);
        free(s);
        json_decref(doc);
        json_decref(base);
        return rc;
    }
    describe(doc, base);
    print_table(s);
    ea_check_count(s, &failed, &gated);
    printf("%s: %d check%s, %d failed", failed ? "REGRESSION" : "OK", gated, gated == 1 ? "" : "s", failed);
    if (gated < s->n)
        printf(" (%d more shown for information%s)", s->n - gated,
               ea_report_is_series(doc) || (base && ea_report_is_series(base))
                   ? "" : "; --per-estimator gates them");
    putchar('\n');
    rc = failed ? EXIT_DATA : 0;
    if (failed)
        ea_err(PROG, "%s: regression: %d of %d checks failed", a.subject, failed, gated);
    /* a JUnit or HTML write error never hides a regression (exit 1 wins) */
    if (a.junit != NULL && write_junit(a.junit, a.subject, s, NULL) != 0 && rc == 0)
        rc = EXIT_USAGE;
    if (a.html != NULL && write_html(&a, s, doc, base) != 0 && rc == 0)
        rc = EXIT_USAGE;
    free(s);
    json_decref(doc);
    json_decref(base);
    return rc;
}
