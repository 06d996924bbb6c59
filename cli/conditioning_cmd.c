/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conditioning_cmd.c - SP 800-90B §3.1.5 output entropy of a conditioning component, in two
 * dialects over one code path:
 *   ea_conditioning     drop-in for NIST's ea_conditioning 1.1.7: same options
 *                       (-v|-n -q -o FILE -i FILE -c iid|non-iid, --version), same stdout lines
 *                       and -o JSON; exit statuses 0/1/2 instead of its 255.
 *   ea90b conditioning  the same arguments; a short summary, or ea90b's JSON with --json/-o.
 * Numbers are read with strtold under round-toward-zero, as the reference reads them.
 * Exit status: 1 for data (the -i FILE) and the environment; 2 for the command line, a
 * number that does not parse or lies outside its documented range included (one line).
 */
#include <errno.h>
#include <fenv.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "conditioning_report.h"
#include "frontend.h"

#define MAX_POS 5

typedef struct {
    int nist, vetted, quiet, json, iid, threads;
    const char *prog, *out_path, *in_path;
    const char *pos[MAX_POS];
    int npos;
    char *commandline;
    char timestamp[16];
    ea_outfile out;        /* -o FILE, opened before any work (out_open) */
    int out_open;
} cond_args;

static int usage(const cond_args *a, FILE *f, int rc)
{
    fprintf(f, "Usage: %s -v [-q] n_in n_out nw h_in [-o FILE]\n"
               "       %s -n [-q] n_in n_out nw h_in (h' | -i FILE [-c iid|non-iid]) [-o FILE]\n"
               "SP 800-90B 3.1.5: entropy of a conditioning component's output.\n"
               "  -v  vetted component (default)     -n  non-vetted component\n"
               "  n_in, n_out  bits into and out of the component; nw  narrowest internal width\n"
               "  h_in  entropy of the input, 0 < h_in <= n_in; h'  entropy per output bit, 0 < h' <= 1\n"
               "  -i FILE  compute h' from conditioned output (bitstring estimators; -c iid: MCV only)\n"
               "  -q  fewer lines   -o FILE  JSON to FILE%s   --threads N   --version   --help\n"
               "Exit status: 0; 1 when -i FILE is unusable (one symbol, too few samples) or\n"
               "an output cannot be written; 2 for usage errors, a value out of its range included.\n",
            a->prog, a->prog, a->nist ? "" : " (--json: to stdout)");
    return rc;
}

static int bad_usage(const cond_args *a, const char *what, const char *arg)
{
    return ea_usage_err(a->prog, a->prog, what, arg);
}

static int print_version(const cond_args *a)
{
    if (a->nist)
        printf("conditioning %s\n\nea90b %s: a NIST-compatible reimplementation of "
               "SP800-90B_EntropyAssessment.\n", EA90B_NIST_VERSION, EA90B_VERSION);
    else
        printf("ea90b %s (NIST SP800-90B_EntropyAssessment %s parity)\n", EA90B_VERSION,
               EA90B_NIST_VERSION);
    return 0;
}

/* A negative number is an operand (so that it gets a range error), not an option. */
static int is_number_arg(const char *s)
{
    return s[0] == '-' && (s[1] == '.' || (s[1] >= '0' && s[1] <= '9'));
}

static int take_value(cond_args *a, char opt, const char *v)
{
    if (opt == 'o')
        a->out_path = v;
    else if (opt == 'i')
        a->in_path = v;
    else if (strcmp(v, "iid") == 0 || strcmp(v, "non-iid") == 0)
        a->iid = strcmp(v, "iid") == 0;
    else
        return bad_usage(a, "-c needs 'iid' or 'non-iid'", v);
    return -1;
}

/* One short-option cluster (-vq, -oFILE, -o FILE). Returns -1 to go on, else the status. */
static int short_opts(cond_args *a, int argc, char **argv, int *i)
{
    const char *s = argv[*i] + 1;

    for (; *s; s++) {
        if (*s == 'v' || *s == 'n' || *s == 'q') {
            if (*s == 'q') a->quiet = 1;
            else a->vetted = *s == 'v';
            continue;
        }
        if (*s != 'o' && *s != 'i' && *s != 'c') {
            char bad[3] = {'-', *s, '\0'};
            return bad_usage(a, "unknown option", bad);
        }
        if (s[1] != '\0')
            return take_value(a, *s, s + 1);
        if (*i + 1 >= argc) {
            char bad[3] = {'-', *s, '\0'};
            return bad_usage(a, "option needs a value", bad);
        }
        return take_value(a, *s, argv[++*i]);
    }
    return -1;
}

static int long_opt(cond_args *a, int argc, char **argv, int *i)
{
    const char *s = argv[*i];
    unsigned long v;

    if (strcmp(s, "--help") == 0)
        return usage(a, stdout, 0);
    if (strcmp(s, "--version") == 0)
        return print_version(a);
    if (strcmp(s, "--json") == 0 && !a->nist) {
        a->json = 1;
        return -1;
    }
    if (strcmp(s, "--threads") == 0 || strncmp(s, "--threads=", 10) == 0) {
        const char *val = s[9] == '=' ? s + 10 : (*i + 1 < argc ? argv[++*i] : NULL);

        if (val == NULL || ea_parse_ulong(val, &v) != 0 || v < 1 || v > 64)
            return bad_usage(a, "--threads needs a number from 1 to 64", val);
        a->threads = (int)v;
        return -1;
    }
    return bad_usage(a, "unknown option", s);
}

static int parse(cond_args *a, int argc, char **argv)
{
    int rc, only_pos = 0;

    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];

        if (only_pos || s[0] != '-' || s[1] == '\0' || is_number_arg(s)) {
            if (a->npos == MAX_POS)
                return bad_usage(a, "too many operands", s);
            a->pos[a->npos++] = s;
            continue;
        }
        if (strcmp(s, "--") == 0)
            only_pos = 1;
        else if ((rc = s[1] == '-' ? long_opt(a, argc, argv, &i) : short_opts(a, argc, argv, &i)) >= 0)
            return rc;
    }
    if (a->npos < 4 || (a->vetted && a->npos != 4))
        return bad_usage(a, a->vetted ? "vetted needs n_in n_out nw h_in"
                                      : "non-vetted needs n_in n_out nw h_in and h' or -i FILE", NULL);
    if (!a->vetted && (a->npos == 5) == (a->in_path != NULL))
        return bad_usage(a, a->in_path ? "give h' or -i FILE, not both"
                                       : "non-vetted needs h' or -i FILE", NULL);
    if (a->vetted && a->in_path)
        return bad_usage(a, "-i FILE applies to non-vetted (-n) components only", NULL);
    return -1;
}

/* An integer operand in 1..UINT_MAX. Returns -1 to go on, else the status. */
static int get_uint(const cond_args *a, const char *s, const char *name, unsigned *out)
{
    unsigned long v;

    if (is_number_arg(s) || strcmp(s, "0") == 0) {
        ea_err(a->prog, "%s must be an integer from 1 to %u, got '%s'", name, UINT_MAX, s);
        return EXIT_USAGE;
    }
    if (ea_parse_ulong(s, &v) != 0) {
        ea_err(a->prog, "%s must be an integer, got '%s'", name, s);
        return EXIT_USAGE;
    }
    if (v < 1 || v > UINT_MAX) {
        ea_err(a->prog, "%s must be an integer from 1 to %u, got '%s'", name, UINT_MAX, s);
        return EXIT_USAGE;
    }
    *out = (unsigned)v;
    return -1;
}

/* A real operand, read as the reference reads it (strtold, round toward zero). */
static int get_real(const cond_args *a, const char *s, const char *name, long double *out)
{
    int mode = fegetround();
    char *end;

    fesetround(FE_TOWARDZERO);
    errno = 0;
    *out = strtold(s, &end);
    fesetround(mode);
    if (end == s || *end != '\0') {
        ea_err(a->prog, "%s must be a number, got '%s'", name, s);
        return EXIT_USAGE;
    }
    if (errno == ERANGE || !isfinite(*out)) {
        ea_err(a->prog, "%s is out of range of a long double or not finite: '%s'", name, s);
        return EXIT_USAGE;
    }
    return -1;
}

/* The -o file: the one opened at the start, or stdout for "-". Returns 0 or EXIT_DATA. */
static int take_out(cond_args *a, const char *path, ea_outfile *o)
{
    if (a->out_open) {
        *o = a->out;
        a->out_open = 0;
        return 0;
    }
    return ea_out_open(a->prog, path, o) != 0 ? EXIT_DATA : 0;
}

/* The reference writes an error JSON for h_in / h' out of range when -o is given. */
static void nist_error_json(cond_args *a, const char *msg)
{
    ea_outfile o;

    if (!a->nist || a->out_path == NULL || take_out(a, a->out_path, &o) != 0)
        return;
    if (ea_render_nist_conditioning_error_json(o.f, a->commandline, a->timestamp, msg) != 0)
        ea_out_abort(&o);
    else
        ea_out_commit(a->prog, &o);
}

/*
 * h' from conditioned output: the file ea_non_iid -c would refuse is refused here too, in both
 * tracks, with the same one-line messages (one symbol; fewer samples than a bitstring of
 * EA_NONIID_MIN_BINARY bits needs), where NIST's ea_conditioning would report an h'.
 */
static int hprime_from_file(cond_args *a, ea_input *in, long double *hp)
{
    ea_dataset ds;
    ea_status st;

    if (ea_read_input(a->prog, a->in_path, 0, 0, in) != 0)
        return EXIT_DATA;
    if (in->len == 0) {
        ea_err(a->prog, "'%s' is empty; h' needs conditioned output samples", a->in_path);
        return EXIT_DATA;
    }
    if ((st = ea_dataset_init(&ds, in->data, in->len, 0)) != EA_OK) {
        ea_err(a->prog, "cannot use '%s': %s", a->in_path, ea_strerror(st));
        return EXIT_DATA;
    }
    if (ea_front_refuse_one_symbol(a->prog, a->in_path, &ds) != 0 ||
        ea_front_refuse_short(a->prog, a->in_path, &ds, 0) != 0) {
        nist_error_json(a, ds.alph_size <= 1 ? "Symbol alphabet consists of 1 symbol. No entropy awarded..."
                                             : "Too few samples for the non-IID estimators.");
        ea_dataset_free(&ds);
        return EXIT_DATA;
    }
    st = ea_conditioning_hprime(&ds, a->iid, a->threads, hp);
    ea_dataset_free(&ds);
    if (st != EA_OK) {
        ea_err(a->prog, "cannot estimate h' from '%s': %s", a->in_path, ea_strerror(st));
        return EXIT_DATA;
    }
    return -1;
}

static int write_json(cond_args *a, const ea_conditioning_report *rep)
{
    const char *path = a->out_path ? a->out_path : "-";
    ea_outfile o;
    int rc;

    if (!a->nist && !a->json && !a->out_path)
        return 0;
    if (a->nist && !a->out_path)
        return 0;
    if (take_out(a, path, &o) != 0)
        return EXIT_DATA;
    rc = a->nist ? ea_render_nist_conditioning_json(o.f, rep) : ea_render_conditioning_json(o.f, rep);
    if (rc != 0) {
        ea_out_abort(&o);
        ea_err(a->prog, "cannot render JSON");
        return EXIT_DATA;
    }
    return ea_out_commit(a->prog, &o) == 0 ? 0 : EXIT_DATA;
}

static int emit(cond_args *a, const ea_conditioning_report *rep)
{
    if (a->nist)
        ea_render_nist_conditioning_text(stdout, rep->res, a->quiet);
    else if (!a->json && !a->quiet)
        ea_render_conditioning_summary(stdout, rep);
    if (fflush(stdout) != 0) {
        ea_err(a->prog, "write error on standard output");
        return EXIT_DATA;
    }
    return write_json(a, rep);
}

/* Parameters to result. Returns -1 to go on, else the status. */
static int compute(cond_args *a, ea_input *in, ea_conditioning_result *r)
{
    unsigned n_in, n_out, nw;
    long double h_in, hp = 0.0L;
    int rc;

    if ((rc = get_uint(a, a->pos[0], "n_in", &n_in)) >= 0 || (rc = get_uint(a, a->pos[1], "n_out", &n_out)) >= 0
        || (rc = get_uint(a, a->pos[2], "nw", &nw)) >= 0 || (rc = get_real(a, a->pos[3], "h_in", &h_in)) >= 0)
        return rc;
    if (!(h_in > 0.0L) || h_in > (long double)n_in) {
        ea_err(a->prog, "h_in must be greater than 0 and at most n_in (%u), got '%s'", n_in, a->pos[3]);
        nist_error_json(a, "Error with input: generating h_in.");
        return EXIT_USAGE;
    }
    if (!a->vetted && a->npos == 5) {
        if ((rc = get_real(a, a->pos[4], "h'", &hp)) >= 0)
            return rc;
        if (!(hp > 0.0L) || hp > 1.0L) {
            ea_err(a->prog, "h' must be greater than 0 and at most 1, got '%s'", a->pos[4]);
            nist_error_json(a, "Error with input: generating h_p.");
            return EXIT_USAGE;
        }
    } else if (!a->vetted && (rc = hprime_from_file(a, in, &hp)) >= 0) {
        return rc;
    }
    if ((a->vetted ? ea_conditioning_vetted(n_in, n_out, nw, h_in, r)
                   : ea_conditioning_nonvetted(n_in, n_out, nw, h_in, hp, r)) != EA_OK) {
        ea_err(a->prog, "conditioning parameters out of range");
        return EXIT_USAGE;
    }
    return -1;
}

int ea_cmd_conditioning(int argc, char **argv, int nist)
{
    cond_args a = { .nist = nist, .vetted = 1, .threads = ea_online_cpus(),
                    .prog = nist ? "ea_conditioning" : "ea90b conditioning" };
    ea_input in = { 0 };
    ea_conditioning_result r;
    int rc;

    if ((rc = parse(&a, argc, argv)) >= 0)
        return rc;
    /* an unwritable -o fails now, before h' is estimated from a file */
    if (a.out_path != NULL && strcmp(a.out_path, "-") != 0) {
        if (ea_out_open(a.prog, a.out_path, &a.out) != 0)
            return EXIT_DATA;
        a.out_open = 1;
    }
    a.commandline = ea_join_args(nist ? argc : argc + 1, nist ? argv : argv - 1);
    ea_timestamp(a.timestamp);
    rc = compute(&a, &in, &r);
    if (rc < 0) {
        ea_conditioning_report rep = { &r, a.commandline, a.timestamp, a.in_path,
                                       a.in_path ? in.sha256 : NULL, a.iid };
        rc = emit(&a, &rep);
    }
    if (a.out_open)
        ea_out_abort(&a.out);
    ea_input_free(&in);
    free(a.commandline);
    return rc;
}
