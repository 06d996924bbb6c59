/* SPDX-License-Identifier: Apache-2.0 */
/*
 * health_cmd.c - SP 800-90B §4.4 continuous health tests (ea90b health):
 *   ea90b health cutoffs (--entropy H | H) [--alpha A | --alpha-log2 K] [--binary] [--json]
 *   ea90b health cutoffs --osr N [--json]
 *   ea90b health replay FILE (--entropy H | H | --osr N) [--alpha A | --alpha-log2 K]
 *                       [--binary] [--json] [-o FILE]
 * cutoffs prints the RCT (§4.4.1) and APT (§4.4.2) cutoffs for alpha 2^-20 ... 2^-60 (or the
 * alpha given), or jitterentropy's profile for an oversampling rate; replay runs both tests
 * over recorded samples (one per byte) and reports failures, windows and expected false
 * positives, judged against a Poisson quantile of the expected count, and flags a longest run
 * or largest APT count improbable under the claim (ea_health_replay). SP 800-90B §4.4.2: the
 * APT window is 1024 for a binary source (two distinct values) and 512 otherwise; replay
 * infers binary when the samples take exactly two distinct values.
 *
 * Exit status: 0; 1 when a replay is flagged (the report is printed, then one line on
 * stderr says why) or the data cannot be read; 2 for usage errors, among them a value that
 * parses but lies outside its range (H, alpha, a claim too small for alpha).
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "conditioning_report.h"

/* The alpha table of `health cutoffs`: 2^-20 to 2^-60 (SP 800-90B §4.4 recommends
 * 2^-20 <= alpha <= 2^-40; jitterentropy's permanent alpha is 2^-60). */
#define ALPHA_LOG2_FIRST 20
#define ALPHA_LOG2_LAST 60
#define ALPHA_LOG2_STEP 5
#define MAX_ROWS 16
/* Default alpha of a replay (SP 800-90B §4.4's largest recommended alpha). */
#define REPLAY_ALPHA_LOG2 20
/* Largest oversampling rate accepted. */
#define MAX_OSR 1000000
/* Smallest alpha accepted, 2^-ALPHA_LOG2_MAX (as --alpha-log2 allows). */
#define ALPHA_LOG2_MAX 1000

typedef struct {
    const char *prog, *file, *out_path;
    double h, alpha;
    int h_given, alpha_given, binary, json, osr;
    const char *alpha_text;   /* --alpha as given, for messages */
    char *commandline;
    char timestamp[16];
} health_args;

static int usage(FILE *f, int rc)
{
    fprintf(f, "Usage: ea90b health cutoffs (--entropy H | H) [--alpha A | --alpha-log2 K] [--binary]\n"
               "       ea90b health cutoffs --osr N\n"
               "       ea90b health replay FILE (--entropy H | H | --osr N) [--alpha A | --alpha-log2 K] [--binary]\n"
               "SP 800-90B 4.4 health tests: repetition count test (4.4.1) and adaptive proportion\n"
               "test (4.4.2) cutoffs for a min-entropy claim H (bits per sample), and a replay of\n"
               "both tests over recorded samples (one per byte).\n"
               "  --alpha A       false-positive probability, 2^-1000 <= A < 1 (e.g. 2^-30 or 1e-9);\n"
               "                  cutoffs: a table for 2^-20 ... 2^-60; replay: 2^-20\n"
               "  --binary        binary source (two distinct values): APT window 1024, H <= 1;\n"
               "                  otherwise 512 (replay infers binary from data with exactly two values)\n"
               "  --osr N         jitterentropy's profile: H = 1/N, window 512, alpha 2^-30 and 2^-60\n"
               "  --json          JSON on stdout      -o FILE  JSON to FILE\n"
               "Exit status: 0; 1 when the replay is FLAGGED (more failures than chance explains, or a\n"
               "run or count improbable under the claim) or the file cannot be read; 2 for usage\n"
               "errors, a value outside its range included.\n");
    return rc;
}

static int bad_usage(const char *prog, const char *what, const char *arg)
{
    return ea_usage_err(prog, "ea90b health", what, arg);
}

/* A finite real with nothing after it. */
static int parse_real(const char *s, double *out)
{
    char *end;

    if (s == NULL || *s == '\0')
        return -1;
    *out = strtod(s, &end);
    return *end == '\0' && isfinite(*out) ? 0 : -1;
}

/* "2^-30", "2^(-30)" or a plain number. */
static int parse_alpha(const char *s, double *out)
{
    double e;
    char buf[32];
    size_t n;

    if (s == NULL || strncmp(s, "2^", 2) != 0)
        return parse_real(s, out);
    s += 2;
    n = strlen(s);
    if (n >= 2 && s[0] == '(' && s[n - 1] == ')' && n - 2 < sizeof buf) {
        memcpy(buf, s + 1, n - 2);
        buf[n - 2] = '\0';
        s = buf;
    }
    if (parse_real(s, &e) != 0)
        return -1;
    *out = exp2(e);
    return 0;
}

static int value_opt(health_args *a, const char *opt, const char *v)
{
    unsigned long u;

    if (v == NULL)
        return bad_usage(a->prog, "option needs a value", opt);
    if (strcmp(opt, "--entropy") == 0) {
        if (parse_real(v, &a->h) != 0)
            return bad_usage(a->prog, "--entropy needs a number", v);
        a->h_given = 1;
    } else if (strcmp(opt, "--alpha") == 0) {
        if (parse_alpha(v, &a->alpha) != 0)
            return bad_usage(a->prog, "--alpha needs a number such as 2^-30 or 1e-9", v);
        a->alpha_given = 1;
        a->alpha_text = v;
    } else if (strcmp(opt, "--alpha-log2") == 0) {
        if (ea_parse_ulong(v, &u) != 0 || u < 1 || u > 1000)
            return bad_usage(a->prog, "--alpha-log2 needs an integer K from 1 to 1000 (alpha = 2^-K)", v);
        a->alpha = exp2(-(double)u);
        a->alpha_given = 1;
    } else if (strcmp(opt, "--osr") == 0) {
        if (ea_parse_ulong(v, &u) != 0 || u < 1 || u > MAX_OSR)
            return bad_usage(a->prog, "--osr needs an integer from 1 to 1000000", v);
        a->osr = (int)u;
    } else {
        a->out_path = v;
    }
    return -1;
}

#define OPERAND (-2)

/* argv[*i] as an option (-1 when taken, with its value), OPERAND when it is none, else the status. */
static int option(health_args *a, int argc, char **argv, int *i)
{
    static const char *const with_value[] = { "--entropy", "--alpha", "--alpha-log2", "--osr", "-o", NULL };
    const char *s = argv[*i];

    for (int k = 0; with_value[k]; k++) {
        size_t len = strlen(with_value[k]);

        if (strncmp(s, with_value[k], len) != 0 || (s[len] != '\0' && (s[len] != '=' || s[1] != '-')))
            continue;
        /* --name VALUE or --name=VALUE (-o VALUE only) */
        return value_opt(a, with_value[k], s[len] == '=' ? s + len + 1 : *i + 1 < argc ? argv[++*i] : NULL);
    }
    if (strcmp(s, "--help") == 0)
        return usage(stdout, 0);
    if (strcmp(s, "--binary") == 0)
        a->binary = 1;
    else if (strcmp(s, "--json") == 0)
        a->json = 1;
    else if (s[0] == '-' && s[1] != '\0' && !(s[1] >= '0' && s[1] <= '9'))
        return bad_usage(a->prog, "unknown option", s);
    else
        return OPERAND;
    return -1;
}

/* Options and operands after the subcommand; replay takes FILE first; "--" ends the options. */
static int parse(health_args *a, int argc, char **argv, int replay)
{
    int rc, only_pos = 0;

    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];

        if (!only_pos && strcmp(s, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (!only_pos && (rc = option(a, argc, argv, &i)) != OPERAND) {
            if (rc >= 0)
                return rc;
            continue;
        }
        if (replay && a->file == NULL) a->file = s;
        else if (!a->h_given && parse_real(s, &a->h) == 0) a->h_given = 1;
        else return bad_usage(a->prog, "unexpected operand", s);
    }
    if (replay && a->file == NULL)
        return bad_usage(a->prog, "replay needs a sample FILE", NULL);
    if (!a->h_given && a->osr == 0)
        return bad_usage(a->prog, "needs the entropy claim (--entropy H, or H as an operand) or --osr N", NULL);
    if (a->h_given && a->osr > 0)
        return bad_usage(a->prog, "give either the entropy claim (--entropy H) or --osr N, not both", NULL);
    return -1;
}

/*
 * The RCT cutoff 1 + ceil(-log2(alpha)/H) must fit an int: H >= -log2(alpha) / (INT_MAX - 3)
 * for the smallest alpha used (the table's 2^-60 unless one alpha is given).
 */
static int check_h_small(const health_args *a)
{
    double l2 = a->alpha_given ? -log2(a->alpha) : (double)ALPHA_LOG2_LAST, hmin;

    if (!a->h_given)
        return -1;
    hmin = l2 / ((double)INT_MAX - 3.0);
    if (a->h < hmin) {
        ea_err(a->prog, "the entropy claim H = %g is too small for alpha = 2^-%.6g: the RCT cutoff "
               "1 + ceil(-log2(alpha)/H) must stay below 2^31; give H >= %.3g", a->h, l2, hmin * 1.0001);
        return EXIT_USAGE;
    }
    return -1;
}

/* Range checks on values that parsed. Returns -1 to go on, else the status. */
static int check_values(const health_args *a)
{
    if (a->h_given && (!(a->h > 0.0) || a->h > (a->binary ? 1.0 : 8.0))) {
        ea_err(a->prog, "the entropy claim H must be greater than 0 and at most %s, got %g",
               a->binary ? "1 for binary data" : "8 bits per sample", a->h);
        return EXIT_USAGE;
    }
    if (a->alpha_given && (!(a->alpha >= exp2(-(double)ALPHA_LOG2_MAX)) || !(a->alpha < 1.0))) {
        ea_err(a->prog, "alpha must be at least 2^-%d and less than 1, got %s", ALPHA_LOG2_MAX,
               a->alpha_text ? a->alpha_text : "a value out of range");
        return EXIT_USAGE;
    }
    return check_h_small(a);
}

/* Rows of cutoffs: the alpha table, the one alpha given, or the jitterentropy profile. */
static int build_rows(const health_args *a, ea_health_row *rows, size_t *n)
{
    ea_health_jent_profile p;

    *n = 0;
    if (a->osr > 0) {
        if (ea_health_jent_profile_compute(a->osr, &p) != EA_OK)
            return EXIT_DATA;
        rows[0] = (ea_health_row){ "jent intermittent", p.intermittent, { 0 } };
        rows[1] = (ea_health_row){ "jent permanent", p.permanent, { 0 } };
        *n = 2;
        return -1;
    }
    for (int k = ALPHA_LOG2_FIRST; k <= ALPHA_LOG2_LAST; k += ALPHA_LOG2_STEP) {
        double alpha = a->alpha_given ? a->alpha : exp2(-(double)k);

        memset(&rows[*n], 0, sizeof rows[*n]);
        rows[*n].label = a->alpha_given ? "claim" : "";
        if (ea_health_cutoffs_compute(a->h, alpha, a->binary, &rows[*n].c) != EA_OK) {
            ea_err(a->prog, "cannot compute cutoffs for H = %g, alpha = %g", a->h, alpha);
            return EXIT_DATA;
        }
        ++*n;
        if (a->alpha_given)
            break;
    }
    return -1;
}

static int emit(const health_args *a, const ea_health_report *rep)
{
    ea_outfile o;

    if (!a->json && !a->out_path) {
        if (rep->filename)
            ea_render_health_replay_text(stdout, rep);
        else
            ea_render_health_cutoffs_text(stdout, rep);
        return fflush(stdout) == 0 ? 0 : EXIT_DATA;
    }
    if (ea_out_open(a->prog, a->out_path ? a->out_path : "-", &o) != 0)
        return EXIT_DATA;
    if (ea_render_health_json(o.f, rep) != 0) {
        ea_out_abort(&o);
        ea_err(a->prog, "cannot render JSON");
        return EXIT_DATA;
    }
    return ea_out_commit(a->prog, &o) == 0 ? 0 : EXIT_DATA;
}

/* A flagged replay: the report is out; one line says why, exit status 1. */
static int flagged(const health_args *a, const ea_health_row *rows, size_t nrows)
{
    char why[EA_HEALTH_VERDICT_TEXT];

    for (size_t i = 0; i < nrows; i++) {
        if (!rows[i].r.excess)
            continue;
        ea_health_verdict_text(&rows[i].c, &rows[i].r, why, sizeof why);
        ea_err(a->prog, "'%s' is FLAGGED%s%s%s: %s", a->file, rows[i].label[0] ? " (" : "",
               rows[i].label, rows[i].label[0] ? ")" : "", why);
        return EXIT_DATA;
    }
    return 0;
}

static int replay(health_args *a, ea_health_row *rows, size_t nrows, ea_health_report *rep)
{
    ea_input in;
    int rc = -1;

    if (ea_read_input(a->prog, a->file, 0, 0, &in) != 0)
        return EXIT_DATA;
    if (in.len == 0) {
        ea_err(a->prog, "'%s' is empty; replay needs recorded samples", a->file);
        ea_input_free(&in);
        return EXIT_DATA;
    }
    for (size_t i = 0; i < nrows && rc < 0; i++)
        if (ea_health_replay(in.data, in.len, &rows[i].c, &rows[i].r) != EA_OK) {
            ea_err(a->prog, "cannot replay '%s'", a->file);
            rc = EXIT_DATA;
        }
    rep->filename = a->file;
    rep->sha256 = in.sha256;
    if (rc < 0)
        rc = emit(a, rep);
    if (rc == 0)
        rc = flagged(a, rows, nrows);
    ea_input_free(&in);
    return rc;
}

/* For replay: binary data is inferred before the claim is range-checked. */
static int peek_binary(health_args *a)
{
    ea_input in;

    if (a->binary || a->osr > 0)
        return -1;
    if (ea_read_input(a->prog, a->file, 0, 0, &in) != 0)
        return EXIT_DATA;
    a->binary = ea_health_is_binary(in.data, in.len);   /* §4.4.2: two distinct values */
    ea_input_free(&in);
    return -1;
}

int ea_cmd_health(int argc, char **argv)
{
    health_args a = { .prog = "ea90b health" };
    ea_health_row rows[MAX_ROWS];
    ea_health_report rep = { 0 };
    size_t nrows;
    int is_replay, rc;

    if (argc < 2)
        return usage(stderr, EXIT_USAGE);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
        return usage(stdout, 0);
    if (strcmp(argv[1], "cutoffs") != 0 && strcmp(argv[1], "replay") != 0)
        return bad_usage(a.prog, "expected 'cutoffs' or 'replay'", argv[1]);
    is_replay = strcmp(argv[1], "replay") == 0;
    if ((rc = parse(&a, argc, argv, is_replay)) >= 0)
        return rc;
    if (is_replay && !a.alpha_given)
        a.alpha = exp2(-(double)REPLAY_ALPHA_LOG2), a.alpha_given = 1;
    if ((is_replay && (rc = peek_binary(&a)) >= 0) || (rc = check_values(&a)) >= 0
        || (rc = build_rows(&a, rows, &nrows)) >= 0)
        return rc;
    a.commandline = ea_join_args(argc + 1, argv - 1);
    ea_timestamp(a.timestamp);
    rep = (ea_health_report){ a.commandline, a.timestamp, NULL, NULL, a.osr, rows, nrows };
    rc = is_replay ? replay(&a, rows, nrows, &rep) : emit(&a, &rep);
    free(a.commandline);
    return rc;
}
