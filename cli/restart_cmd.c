/* SPDX-License-Identifier: Apache-2.0 */
/*
 * restart_cmd.c - SP 800-90B §3.1.4 restart tests, in two dialects:
 *   ea90b restart  [options] FILE [bits] H_I: summary or --json; exact
 *                  sanity cutoff unless --simulate;
 *   ea_restart     drop-in for NIST's ea_restart 1.1.7 (-i -n -v -q -s -o,
 *                  --version): the reference's stdout lines and -o JSON.
 * Exit status: 0 when the restart tests pass, 1 when the sanity check or
 * the validation fails (the reference exits 255) or the data is unusable,
 * 2 for usage errors, among them a number that parses but lies outside its
 * range (H_I outside [H_I_MIN, bits per symbol]), with one line.
 *
 * ea_restart prints the reference's lines as the run goes: "H_I:" before the
 * cutoff is computed; with -i everything up to the rows' permutation test when
 * it starts, at -v one progress line per permutation round counted (flushed),
 * the rows' table and the columns' unpermuted statistics when theirs starts,
 * then the rest.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "frontend.h"
#include "nist_stream.h"
#include "reports.h"

enum { OPT_THREADS = 1000, OPT_JSON, OPT_VERSION, OPT_HELP, OPT_SEED, OPT_SIMULATE };

/* The smallest H_I accepted: every output prints H_I with %f (six decimals), which shows a
 * smaller value as 0.000000; the reference's lines and ea90b's summary would hide it. */
#define H_I_MIN 1e-6

static const struct option long_opts[] = {
    { "iid", no_argument, NULL, 'i' },
    { "non-iid", no_argument, NULL, 'n' },
    { "verbose", no_argument, NULL, 'v' },
    { "quiet", no_argument, NULL, 'q' },
    { "output", required_argument, NULL, 'o' },
    { "rounds", required_argument, NULL, 's' },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "json", no_argument, NULL, OPT_JSON },
    { "seed", required_argument, NULL, OPT_SEED },
    { "simulate", no_argument, NULL, OPT_SIMULATE },
    { "version", no_argument, NULL, OPT_VERSION },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
};

typedef struct {
    int nist;
    const char *prog;
    int iid, verbose, quiet, json, threads, simulate, seed_given;
    long rounds;
    uint64_t seed;
    const char *out_path, *file;
    int bits;                 /* 0: infer */
    int argc;                 /* the (reordered) argv getopt sees, for messages */
    char **argv;
    double h_i;
    char timestamp[16];
    char *commandline;
    ea_outfile out;           /* -o FILE, opened before any work (out_open) */
    int out_open;
} args;

static void usage(FILE *f, const args *a)
{
    if (a->nist) {
        fprintf(f, "Usage: %s [-i|-n] [-v] [-q] [-s <simulation count>] [-o <file.json>] [--simulate] "
                   "[--seed N] [--threads N] <file_name> [bits_per_symbol] <H_I>\n"
                   "  NIST SP800-90B_EntropyAssessment %s ea_restart compatible (ea90b %s).\n"
                   "  <file_name>: 1000 restarts x 1000 samples, restart i's samples contiguous\n"
                   "  -i IID source (MCV only)    -n non-IID source (default)\n"
                   "  -v more output (repeatable) -q quiet    -o FILE  write JSON results\n"
                   "  cutoff: exact by default; -s N (N >= 5000000) or --simulate: the reference's\n"
                   "  simulation (--seed N, else drawn and printed)   --threads N   --version   --help\n"
                   "  <H_I>: 0.000001 <= H_I <= bits_per_symbol. Exit status: 0 passed; 1 sanity check\n"
                   "  or validation failed, or bad data; 2 usage (a value out of its range too)\n",
                a->prog, EA90B_NIST_VERSION, EA90B_VERSION);
        return;
    }
    fprintf(f, "Usage: %s [options] FILE [bits_per_symbol] H_I\n"
               "  SP 800-90B section 3.1.4 restart tests: sanity check and validation of FILE,\n"
               "  1000 restarts x 1000 samples (one sample per byte, restart i's samples\n"
               "  contiguous), against the initial entropy estimate H_I (0.000001 <= H_I <= bits).\n"
               "  -i, --iid            H_r, H_c from the MCV estimate (IID source); the chi-square\n"
               "                       and LRS IID tests also run on rows and columns (a warning\n"
               "                       when they fail; the result stays MCV-based)\n"
               "  -n, --non-iid        H_r, H_c from every section 6.3 estimator (default)\n"
               "      --simulate       sanity cutoff by the reference's Monte-Carlo simulation\n"
               "                       (default: the exact quantile)\n"
               "  -s, --rounds N       simulation rounds (default 5000000; implies --simulate)\n"
               "      --seed N         simulation / permutation seed (default: drawn, printed)\n"
               "      --json           print JSON instead of the summary\n"
               "  -o, --output FILE    write the JSON report to FILE (atomically)\n"
               "      --threads N      worker threads (default: online CPUs)\n"
               "  -q, --quiet          no summary\n"
               "      --version        print the version\n"
               "      --help           this text\n"
               "Exit status: 0 passed; 1 sanity check or validation failed, or the data are\n"
               "unusable; 2 usage errors, a value outside its range (H_I, bits) included.\n",
            a->prog);
}

static int bad_usage(const args *a, const char *what, const char *arg)
{
    return ea_usage_err(a->prog, a->prog, what, arg);
}

static int print_version(const args *a)
{
    if (a->nist)
        printf("restart %s\n\nea90b %s: a NIST-compatible reimplementation of SP800-90B_EntropyAssessment.\n",
               EA90B_NIST_VERSION, EA90B_VERSION);
    else
        printf("ea90b %s (NIST SP800-90B_EntropyAssessment %s parity)\n", EA90B_VERSION,
               EA90B_NIST_VERSION);
    return 0;
}

/* getopt with opterr = 0 and a leading ':' in optstring: one line of our own, exit 2. */
static int bad_option(const args *a, int opt)
{
    const char *arg = optind > 0 && optind - 1 < a->argc ? a->argv[optind - 1] : "?";

    if (opt == ':') {
        if (optopt != 0)
            ea_err(a->prog, "option '-%c' needs a value (try '%s --help')", optopt, a->prog);
        else
            ea_err(a->prog, "option '%s' needs a value (try '%s --help')", arg, a->prog);
    } else if (optopt != 0) {
        ea_err(a->prog, "unknown option '-%c' (try '%s --help')", optopt, a->prog);
    } else {
        ea_err(a->prog, "unknown option '%s' (try '%s --help')", arg, a->prog);
    }
    return EXIT_USAGE;
}

static int parse_value(args *a, int opt)
{
    unsigned long v;

    switch (opt) {
    case 's':
        if (ea_parse_ulong(optarg, &v) != 0 || v < (unsigned long)(a->nist ? EA_RESTART_ROUNDS : 1000000L) ||
            v > 1000000000000UL)
            return bad_usage(a, a->nist ? "-s needs a simulation count of at least 5000000"
                                        : "--rounds needs a number of at least 1000000", optarg);
        a->rounds = (long)v;
        a->simulate = 1;
        return -1;
    case OPT_THREADS:
        if (ea_parse_ulong(optarg, &v) != 0 || v < 1 || v > 64)
            return bad_usage(a, "--threads needs a number from 1 to 64", optarg);
        a->threads = (int)v;
        return -1;
    default: /* OPT_SEED */
        if (ea_parse_ulong(optarg, &v) != 0)
            return bad_usage(a, "--seed needs a non-negative integer", optarg);
        a->seed = (uint64_t)v;
        a->seed_given = 1;
        return -1;
    }
}

static int parse_option(args *a, int opt)
{
    switch (opt) {
    case 'i': a->iid = 1; break;
    case 'n': a->iid = 0; break;
    case 'v': a->verbose++; break;
    case 'q': a->quiet = 1; break;
    case 'o': a->out_path = optarg; break;
    case OPT_JSON: a->json = 1; break;
    case OPT_SIMULATE: a->simulate = 1; break;
    case 's':
    case OPT_THREADS:
    case OPT_SEED:
        return parse_value(a, opt);
    case OPT_VERSION:
        return print_version(a);
    case OPT_HELP:
        usage(stdout, a);
        return 0;
    default:
        return bad_option(a, opt);
    }
    return -1;
}

/* H_I: a finite decimal number, nothing after it. */
static int parse_h(const char *s, double *out)
{
    char *end;
    double v;

    if (*s == '\0')
        return -1;
    v = strtod(s, &end);
    if (*end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* A negative number (-1, -.5) is an operand (H_I, to get a range error), not an option. */
static int is_number_arg(const char *s)
{
    return s[0] == '-' && (s[1] == '.' || (s[1] >= '0' && s[1] <= '9'));
}

/* Does option word s (not "--", not a number) take the next word as its value? */
static int takes_next(const char *s)
{
    if (s[1] != '-') {            /* short cluster: the first of o/s ends it */
        for (const char *c = s + 1; *c; c++)
            if (*c == 'o' || *c == 's')
                return c[1] == '\0';
        return 0;
    }
    if (strchr(s, '=') != NULL)
        return 0;
    for (const struct option *o = long_opts; o->name; o++)   /* getopt_long takes prefixes */
        if (strncmp(o->name, s + 2, strlen(s + 2)) == 0 && o->has_arg == required_argument)
            return 1;
    return 0;
}

/*
 * argv with the operands (negative numbers included) moved behind "--", so that getopt,
 * which would read "-1" as option '1', sees them as operands. Options keep their order and
 * values; *dangling is set to a last option that lacks its value (else left alone).
 * Returns a malloc'd array of *n + 1 pointers into argv, NULL on no memory.
 */
static char **operands_last(int argc, char **argv, int *n, const char **dangling)
{
    char **v = malloc(sizeof(*v) * (size_t)(argc + 2)), **ops = malloc(sizeof(*ops) * (size_t)(argc + 1));
    int nv = 0, nops = 0, i;

    if (v == NULL || ops == NULL) {
        free(v);
        free(ops);
        return NULL;
    }
    v[nv++] = argv[0];
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (argv[i][0] != '-' || argv[i][1] == '\0' || is_number_arg(argv[i])) {
            ops[nops++] = argv[i];
            continue;
        }
        v[nv++] = argv[i];
        if (takes_next(argv[i])) {
            if (i + 1 >= argc)    /* no value: getopt would take the "--" below */
                *dangling = argv[i];
            else
                v[nv++] = argv[++i];
        }
    }
    for (i++; i < argc; i++)
        ops[nops++] = argv[i];
    v[nv++] = "--";
    memcpy(v + nv, ops, sizeof(*ops) * (size_t)nops);
    nv += nops;
    v[nv] = NULL;
    free(ops);
    *n = nv;
    return v;
}

static int parse_args(args *a, int argc, char **argv)
{
    int opt, rc, nops;
    unsigned long v;

    ea_timestamp(a->timestamp);
    a->argc = argc;
    a->argv = argv;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":invqo:s:", long_opts, NULL)) != -1)
        if ((rc = parse_option(a, opt)) >= 0)
            return rc;
    nops = argc - optind;
    if (nops < 2)
        return bad_usage(a, nops == 0 ? "missing sample file and H_I" : "missing H_I", NULL);
    if (nops > 3)
        return bad_usage(a, "too many operands", argv[optind + 3]);
    a->file = argv[optind];
    if (nops == 3) {
        if (ea_parse_ulong(argv[optind + 1], &v) != 0 || v < 1 || v > 8)
            return bad_usage(a, "bits per symbol must be a number from 1 to 8", argv[optind + 1]);
        a->bits = (int)v;
    }
    if (parse_h(argv[argc - 1], &a->h_i) != 0)
        return bad_usage(a, "H_I must be a number (the initial entropy estimate, bits per sample)",
                         argv[argc - 1]);
    if (a->quiet)
        a->verbose = 0;
    return -1;
}

/* The -o file: the one opened at the start, or stdout for "-". Returns 0 or EXIT_DATA. */
static int take_out(args *a, ea_outfile *o)
{
    if (a->out_open) {
        *o = a->out;
        a->out_open = 0;
        return 0;
    }
    return ea_out_open(a->prog, a->out_path, o) != 0 ? EXIT_DATA : 0;
}

static void error_json(args *a, const char *sha, const char *msg)
{
    ea_outfile o;

    if (!a->nist || a->out_path == NULL || take_out(a, &o) != 0)
        return;
    if (ea_render_nist_restart_error_json(o.f, a->iid, a->commandline, a->timestamp, a->file, sha,
                                          msg) != 0) {
        ea_out_abort(&o);
        return;
    }
    ea_out_commit(a->prog, &o);
}

/*
 * H_I out of its range (0 < H_I <= bits per symbol, and at least H_I_MIN so that it prints as
 * itself): a usage error, one line on stderr. The NIST dialect also prints a stdout line and
 * writes the error JSON: the reference's for H_I < 0 and H_I > bits (which it refuses), ours
 * for H_I = 0 and tiny H_I (which it accepts). Returns 0 when H_I is usable.
 */
static int check_h_i(args *a, const ea_input *in, const ea_dataset *ds)
{
    char msg[160];

    if (a->h_i >= H_I_MIN && a->h_i <= (double)ds->bits)
        return 0;
    if (a->h_i < 0.0)
        snprintf(msg, sizeof msg, "H_I must be nonnegative: %f.", a->h_i);
    else if (a->h_i > 0.0 && a->h_i < H_I_MIN)
        snprintf(msg, sizeof msg, "H_I (%g) must be at least %f, the smallest value printed with 6 decimals.",
                 a->h_i, H_I_MIN);
    else if (a->h_i > 0.0)
        snprintf(msg, sizeof msg, "H_I (%f) must be at most 'bits_per_symbol' (%d).", a->h_i, ds->bits);
    else
        snprintf(msg, sizeof msg, "H_I (%f) must be greater than 0 and at most 'bits_per_symbol' (%d).",
                 a->h_i, ds->bits);
    if (a->nist && a->h_i < 0.0)
        printf("H_I %f must be nonnegative.\n", a->h_i);
    else if (a->nist)
        printf("%s\n", msg);
    if (a->h_i > 0.0 && a->h_i < H_I_MIN)
        ea_err(a->prog, "H_I must be at least %g: the output prints H_I with 6 decimals, where %g "
               "shows as 0.000000", H_I_MIN, a->h_i);
    else
        ea_err(a->prog, "H_I must be greater than 0 and at most the %d bits per symbol, got %g",
               ds->bits, a->h_i);
    error_json(a, in->sha256, msg);
    return EXIT_USAGE;
}

/* Checks after loading, with the reference's stdout lines in its dialect. */
static int check_loaded(args *a, const ea_input *in, const ea_dataset *ds)
{
    char msg[160];

    if (check_h_i(a, in, ds) != 0)
        return EXIT_USAGE;
    if (ds->alph_size <= 1) {
        if (a->nist)
            printf("Symbol alphabet consists of 1 symbol. No entropy awarded...\n");
        ea_err(a->prog, "'%s' holds a single symbol value: no entropy can be awarded", a->file);
        error_json(a, in->sha256, "Symbol alphabet consists of 1 symbol. No entropy awarded...");
        return EXIT_DATA;
    }
    if (ds->len != (size_t)EA_RESTART_SAMPLES) {
        if (a->nist)
            printf("\n*** Error: data (len = %zu) does not contain %ld samples ***\n\n", ds->len,
                   (long)EA_RESTART_SAMPLES);
        ea_err(a->prog, "'%s' holds %zu samples; a restart file must hold exactly 1000000 "
                        "(1000 restarts x 1000 samples, restart i's samples contiguous)", a->file, ds->len);
        snprintf(msg, sizeof msg, "*** Error: data (len = %zu) does not contain %ld samples ***",
                 ds->len, (long)EA_RESTART_SAMPLES);
        error_json(a, in->sha256, msg);
        return EXIT_DATA;
    }
    return 0;
}

static int load(args *a, ea_input *in, ea_dataset *ds)
{
    ea_status st;
    int rc;

    memset(ds, 0, sizeof(*ds));
    if (ea_read_input(a->prog, a->file, 0, 0, in) != 0) {
        error_json(a, NULL, "Error reading file.");
        return EXIT_DATA;
    }
    if (a->nist && a->verbose > 1)
        printf("Opening file: '%s' (SHA-256 hash %s)\n", a->file, in->sha256);
    st = ea_dataset_init(ds, in->data, in->len, a->bits);
    if (st != EA_OK) {
        ea_err(a->prog, "cannot load '%s': %s%s", a->file, ea_strerror(st),
               st == EA_ERR_WIDTH ? " (give the right bits per symbol, or none to infer it)" : "");
        error_json(a, in->sha256, ea_strerror(st));
        return EXIT_DATA;
    }
    if (a->nist && a->verbose > 1)
        printf("Loaded %zu samples made up of %d distinct %d-bit-wide symbols.\n", ds->len,
               ds->alph_size, ds->bits);
    if ((rc = check_loaded(a, in, ds)) != 0)
        return rc;
    if (a->nist && a->verbose > 1 && ds->alph_size < (1 << ds->bits))
        printf("\nSymbols have been translated.\n\n");
    return 0;
}

static int render_nist(FILE *f, const void *rep)
{
    return ea_render_nist_restart_json(f, rep);
}

static int render_ea(FILE *f, const void *rep)
{
    return ea_render_restart_json(f, rep);
}

static int write_json(args *a, const char *path, ea_render_fn render, const void *rep)
{
    ea_outfile o;

    if (path == a->out_path ? take_out(a, &o) != 0 : ea_out_open(a->prog, path, &o) != 0)
        return EXIT_DATA;
    if (render(o.f, rep) != 0) {
        ea_err(a->prog, "cannot render JSON");
        ea_out_abort(&o);
        return EXIT_DATA;
    }
    return ea_out_commit(a->prog, &o) == 0 ? 0 : EXIT_DATA;
}

/* ea_restart: the reference's text printed as the run goes: "H_I:" before the cutoff, then
 * (-i) the parts at the starts of the permutation tests. */
typedef struct {
    const ea_restart_report *rep;
    int verbose;
    int tty;       /* stdout is a terminal: the progress line is rewritten in place */
    int parts;     /* text parts printed: 1 "H_I:", 2 at the rows' test, 3 at the columns' */
} nist_stream;

static void stream_start(void *user, const ea_perm_result *perm)
{
    nist_stream *s = user;

    (void)perm;   /* the rows' or columns' result in rep->res */
    if (s->parts >= 1 && s->parts < 3)
        ea_render_nist_restart_text_part(stdout, s->rep, s->verbose, s->parts++);
    fflush(stdout);
}

static void stream_round(void *user, long done, long total, int settled)
{
    nist_stream *s = user;

    ea_render_nist_perm_progress(stdout, done, total, settled, s->tty);
    fflush(stdout);
}

static void stream_setup(const args *a, nist_stream *s, ea_restart_opts *o)
{
    if (!a->nist)
        return;
    ea_render_nist_restart_h_i(stdout, a->h_i);
    fflush(stdout);
    s->parts = 1;
    if (!a->iid)
        return;
    o->on_perm_start = stream_start;
    o->on_perm_round = a->verbose == 2 ? stream_round : NULL;   /* the reference's -v */
    o->event_user = s;
}

static int emit(args *a, const ea_restart_report *rep, const nist_stream *ns)
{
    const ea_restart_result *res = rep->res;
    int rc = 0;

    if (a->nist && ns->parts == 3)
        ea_render_nist_restart_text_part(stdout, rep, a->verbose, 3);
    else if (a->nist && ns->parts == 1)
        ea_render_nist_restart_text_part(stdout, rep, a->verbose, 1);
    else if (!a->json && !a->quiet)
        ea_render_restart_summary(stdout, rep);
    if (fflush(stdout) != 0) {
        ea_err(a->prog, "write error on standard output");
        return EXIT_DATA;
    }
    if (a->nist && a->out_path)
        rc = write_json(a, a->out_path, render_nist, rep);
    else if (!a->nist && (a->json || a->out_path))
        rc = write_json(a, a->out_path ? a->out_path : "-", render_ea, rep);
    if (rc != 0)
        return rc;
    if (!a->nist && res->iid_tests_run && !res->iid_passed)
        ea_err(a->prog, "warning: the chi-square or LRS IID tests (section 5.2) failed on the restart "
                        "rows or columns: the IID assumption (-i) does not hold for the restart data; "
                        "consider -n");
    if (!res->sanity_passed) {
        ea_err(a->prog, "restart sanity check failed: X_max %d > cutoff %d (section 3.1.4.3)",
               res->x_max, res->cutoff);
        return EXIT_DATA;
    }
    if (!res->validation_passed) {
        ea_err(a->prog, "restart validation failed: min(H_r, H_c) = %f < H_I/2 = %f (section 3.1.4.2)",
               res->h_r < res->h_c ? res->h_r : res->h_c, res->h_i / 2.0);
        return EXIT_DATA;
    }
    return 0;
}

static int assess(args *a, const ea_input *in, const ea_dataset *ds)
{
    ea_restart_result *res = malloc(sizeof(*res));
    /* -i: the drop-in runs all the reference's IID tests; ea90b restart the cheap ones */
    int iid_tests = !a->iid ? 0 : a->nist ? EA_RESTART_IID_TESTS_ALL : EA_RESTART_IID_TESTS_NO_PERM;
    ea_restart_opts o = { .h_i = a->h_i, .iid = a->iid, .threads = a->threads,
                          .simulate = a->simulate, .seed = a->seed, .rounds = a->rounds,
                          .iid_tests = iid_tests, .perm_full = a->nist };
    ea_restart_report rep = { a->file, in->sha256, a->commandline, a->timestamp, ds, res,
                              in->file_bytes, a->threads, !a->seed_given, 0.0 };
    nist_stream ns = { &rep, a->verbose, isatty(STDOUT_FILENO), 0 };
    double t0 = ea_wall();
    ea_status st;
    int rc;

    if (res == NULL) {
        ea_err(a->prog, "out of memory");
        return EXIT_DATA;
    }
    stream_setup(a, &ns, &o);
    st = ea_restart_run(ds, &o, res);
    rep.seconds = ea_wall() - t0;
    if (st != EA_OK) {
        ea_err(a->prog, "restart tests failed to run: %s", ea_strerror(st));
        rc = EXIT_DATA;
    } else {
        rc = emit(a, &rep, &ns);
    }
    free(res);
    return rc;
}

/* A seed is needed by the simulation and by -i's permutation tests. */
static int announce_seed(args *a)
{
    if (!a->simulate && !(a->iid && a->nist))
        return 0;
    if (!a->seed_given && ea_draw_seed(a->prog, &a->seed) != 0)
        return EXIT_DATA;
    if (!a->quiet || !a->seed_given)
        fprintf(stderr, "%s: seed %" PRIu64 "%s\n", a->prog, a->seed,
                a->seed_given ? "" : " (drawn; rerun with --seed to reproduce)");
    return 0;
}

int ea_cmd_restart(int argc, char **argv, int nist)
{
    args a = { .nist = nist, .prog = nist ? "ea_restart" : "ea90b restart", .verbose = 1,
               .threads = ea_online_cpus() };
    ea_input in;
    ea_dataset ds;
    char **v;
    const char *dangling = NULL;
    int rc, n;

    memset(&in, 0, sizeof in);
    memset(&ds, 0, sizeof ds);
    if ((v = operands_last(argc, argv, &n, &dangling)) == NULL) {
        ea_err(a.prog, "out of memory");
        return EXIT_DATA;
    }
    if (dangling != NULL) {
        free(v);
        ea_err(a.prog, "option '%s' needs a value (try '%s --help')", dangling, a.prog);
        return EXIT_USAGE;
    }
    rc = parse_args(&a, n, v);
    free(v);
    if (rc >= 0)
        return rc;
    if ((rc = announce_seed(&a)) != 0)
        return rc;
    /* an unwritable -o fails now, not after the work */
    if (a.out_path != NULL && strcmp(a.out_path, "-") != 0) {
        if (ea_out_open(a.prog, a.out_path, &a.out) != 0)
            return EXIT_DATA;
        a.out_open = 1;
    }
    a.commandline = nist ? ea_join_args(argc, argv) : ea_join_args(argc + 1, argv - 1);
    rc = load(&a, &in, &ds);
    if (rc == 0)
        rc = assess(&a, &in, &ds);
    if (a.out_open)
        ea_out_abort(&a.out);
    if (in.data != NULL)
        ea_input_free(&in);
    ea_dataset_free(&ds);
    free(a.commandline);
    return rc;
}
