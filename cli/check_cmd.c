/*
 * check_cmd - ea90b check: a min-entropy regression gate for CI.
 *
 *   ea90b check DIR|REPORT.json [--min-entropy H]
 *               [--baseline OLD/report.json [--max-drop P%]] [--junit FILE]
 *
 * Reads an `ea90b assess` report (DIR/report/report.json), checks the
 * assessed min-entropy (SP 800-90B §3.1.3) against a floor and/or every
 * estimator against a baseline report, prints a short table of what
 * moved and optionally writes JUnit XML. Exit 0: the assessment holds;
 * 1: a regression; 2: usage or input errors (missing/invalid report).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "common.h"
#include "report.h"

#define PROG "ea90b check"
#define DEFAULT_MAX_DROP 5.0
#define MAX_CHECKS 64

typedef struct {
    char name[96];
    double base, cur, limit;  /* base < 0: no baseline value */
    int failed;
    char why[160];
} check_row;

typedef struct {
    check_row r[MAX_CHECKS];
    int n;
} check_set;

static void usage(FILE *f)
{
    fprintf(f, "Usage: ea90b check DIR|REPORT.json [--min-entropy H] [--baseline OLD.json [--max-drop P%%]]\n"
               "                   [--junit FILE]\n"
               "Gate on an `ea90b assess` report: exit 0 when it holds, 1 on a regression,\n"
               "2 on usage or input errors.\n\n"
               "  --min-entropy H     the assessed min-entropy must be >= H bits per sample\n"
               "  --baseline FILE     an earlier report.json (or its collection directory)\n"
               "  --max-drop P%%       largest allowed drop of any estimator vs the baseline (default %g%%)\n"
               "  --junit FILE        also write JUnit XML (one testcase per check)\n",
            DEFAULT_MAX_DROP);
}

static int bad(const char *what, const char *arg)
{
    if (arg)
        ea_err(PROG, "%s: '%s'", what, arg);
    else
        ea_err(PROG, "%s", what);
    fprintf(stderr, "Try 'ea90b check --help'.\n");
    return EXIT_USAGE;
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

/* DIR -> DIR/report/report.json; a file path as is. malloc'd. */
static char *report_path(const char *arg)
{
    struct stat st;
    size_t n = strlen(arg) + 32;
    char *p = malloc(n);

    if (p == NULL)
        return NULL;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(p, n, "%s/report/report.json", arg);
    else
        snprintf(p, n, "%s", arg);
    return p;
}

/* A stale report: the directory's manifest.json no longer matches it. */
static int stale(const char *arg, const json_t *doc)
{
    char path[4096];
    struct stat st;
    ea_input in;
    int rc = 0;

    snprintf(path, sizeof path, "%s/manifest.json", arg);
    if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode) || stat(path, &st) != 0)
        return 0;
    if (ea_read_input(PROG, path, 0, 0, &in) != 0)
        return 1;
    if (strcmp(in.sha256, ea_report_str(doc, "collection.manifest_sha256", "")) != 0) {
        ea_err(PROG, "%s: the report is stale: manifest.json changed since it was written "
                     "(run ea90b assess again)", arg);
        rc = 1;
    }
    ea_input_free(&in);
    return rc;
}

static json_t *load(const char *arg)
{
    char *path = report_path(arg), err[256];
    json_error_t je;
    json_t *doc;

    if (path == NULL)
        return NULL;
    doc = json_load_file(path, 0, &je);
    if (doc == NULL) {
        struct stat st;
        if (stat(path, &st) != 0)
            ea_err(PROG, "cannot open '%s': %s", path, strerror(errno));
        else
            ea_err(PROG, "'%s' is not valid JSON (line %d: %s)", path, je.line, je.text);
    } else if (ea_report_validate(doc, err, sizeof err) != 0) {
        ea_err(PROG, "'%s' is not a complete ea90b report: %s", path, err);
        json_decref(doc);
        doc = NULL;
    } else if (stale(arg, doc)) {
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
    snprintf(r->why, sizeof r->why, "%.6f bits per sample %s %.6f", r->cur, r->failed ? "<" : ">=", h);
}

static void verdict_check(check_set *s, const json_t *doc)
{
    check_row *r = add(s, "report verdict");
    const char *st = ea_report_str(doc, "verdict.status", "?");

    r->cur = ea_report_num(doc, "verdict.h_final", 0);
    r->failed = strcmp(st, "FAIL") == 0;
    snprintf(r->why, sizeof r->why, "%s", st);
}

static void drop_check(check_set *s, const char *name, double base, double cur, double max_drop)
{
    check_row *r;
    double drop;

    if (base < 0 || cur < 0 || (r = add(s, name)) == NULL)
        return;
    r->base = base;
    r->cur = cur;
    r->limit = max_drop;
    drop = base > 0 ? (base - cur) / base * 100.0 : 0.0;
    r->failed = drop > max_drop + 1e-9;
    snprintf(r->why, sizeof r->why, "%+.2f%% (allowed drop %.2f%%)", -drop, max_drop);
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

static void baseline_checks(check_set *s, const json_t *doc, const json_t *base, double max_drop)
{
    static const char *const sides[2] = { "literal", "bitstring" };
    char name[96];

    drop_check(s, "assessed min-entropy", ea_report_num(base, "verdict.h_assessed", -1),
               ea_report_num(doc, "verdict.h_assessed", -1), max_drop);
    drop_check(s, "H_original (non-IID)", ea_report_num(base, "noniid.report.results.h_original", -1),
               ea_report_num(doc, "noniid.report.results.h_original", -1), max_drop);
    drop_check(s, "H_bitstring (non-IID)", ea_report_num(base, "noniid.report.results.h_bitstring", -1),
               ea_report_num(doc, "noniid.report.results.h_bitstring", -1), max_drop);
    for (int sd = 0; sd < 2; sd++)
        for (size_t i = 0; ea_report_est_key(i) != NULL; i++) {
            snprintf(name, sizeof name, "%s %s", ea_report_est_key(i), sides[sd]);
            drop_check(s, name, est_h(base, sides[sd], ea_report_est_key(i)),
                       est_h(doc, sides[sd], ea_report_est_key(i)), max_drop);
        }
}

static void print_table(const check_set *s)
{
    printf("%-40s %12s %12s  %s\n", "check", "baseline", "current", "result");
    for (int i = 0; i < s->n; i++) {
        const check_row *r = &s->r[i];
        char base[32];
        if (r->base >= 0)
            snprintf(base, sizeof base, "%.6f", r->base);
        else
            snprintf(base, sizeof base, "-");
        printf("%-40s %12s %12.6f  %s  %s\n", r->name, base, r->cur, r->failed ? "FAIL" : "ok", r->why);
    }
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static int write_junit(const char *path, const char *subject, const check_set *s)
{
    ea_outfile o;
    int failures = 0;

    for (int i = 0; i < s->n; i++)
        failures += s->r[i].failed;
    if (ea_out_open(PROG, path, &o) != 0)
        return EXIT_DATA;
    fprintf(o.f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"%d\" failures=\"%d\">\n"
                 "  <testsuite name=\"ea90b check ", s->n, failures);
    xml_text(o.f, subject);
    fprintf(o.f, "\" tests=\"%d\" failures=\"%d\" errors=\"0\">\n", s->n, failures);
    for (int i = 0; i < s->n; i++) {
        fputs("    <testcase classname=\"ea90b.check\" name=\"", o.f);
        xml_text(o.f, s->r[i].name);
        fputs("\">", o.f);
        if (s->r[i].failed) {
            fputs("<failure message=\"", o.f);
            xml_text(o.f, s->r[i].why);
            fputs("\">", o.f);
            xml_text(o.f, s->r[i].why);
            fputs("</failure>", o.f);
        } else {
            fputs("<system-out>", o.f);
            xml_text(o.f, s->r[i].why);
            fputs("</system-out>", o.f);
        }
        fputs("</testcase>\n", o.f);
    }
    fputs("  </testsuite>\n</testsuites>\n", o.f);
    return ea_out_commit(PROG, &o) != 0 ? EXIT_DATA : 0;
}

typedef struct {
    const char *subject, *baseline, *junit;
    double min_h, max_drop;
    int have_min, have_drop;
} check_args;

static int parse(check_args *a, int argc, char **argv)
{
    static const struct option longs[] = {
        { "min-entropy", required_argument, NULL, 'm' }, { "baseline", required_argument, NULL, 'b' },
        { "max-drop", required_argument, NULL, 'd' }, { "junit", required_argument, NULL, 'j' },
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
                return bad("--max-drop needs a percentage from 0 to 100 (e.g. 5%)", optarg);
            a->have_drop = 1;
            break;
        case 'b': a->baseline = optarg; break;
        case 'j': a->junit = optarg; break;
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
    return -1;
}

int ea_cmd_check(int argc, char **argv)
{
    check_args a = { NULL, NULL, NULL, 0, DEFAULT_MAX_DROP, 0, 0 };
    json_t *doc, *base = NULL;
    check_set *s;
    int rc, failed = 0;

    if ((rc = parse(&a, argc, argv)) >= 0)
        return rc;
    if ((doc = load(a.subject)) == NULL)
        return EXIT_USAGE;
    if (a.baseline != NULL && (base = load(a.baseline)) == NULL) {
        json_decref(doc);
        return EXIT_USAGE;
    }
    if ((s = calloc(1, sizeof(*s))) == NULL) {
        json_decref(doc);
        json_decref(base);
        ea_err(PROG, "out of memory");
        return EXIT_DATA;
    }
    verdict_check(s, doc);
    if (a.have_min)
        floor_check(s, doc, a.min_h);
    if (base != NULL)
        baseline_checks(s, doc, base, a.max_drop);
    print_table(s);
    for (int i = 0; i < s->n; i++)
        failed += s->r[i].failed;
    printf("%s: %d check%s, %d failed\n", failed ? "REGRESSION" : "OK", s->n, s->n == 1 ? "" : "s", failed);
    rc = failed ? EXIT_DATA : 0;
    if (failed)
        ea_err(PROG, "%s: regression: %d of %d checks failed", a.subject, failed, s->n);
    if (a.junit != NULL && write_junit(a.junit, a.subject, s) != 0)
        rc = EXIT_USAGE;
    free(s);
    json_decref(doc);
    json_decref(base);
    return rc;
}
