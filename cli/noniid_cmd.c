/*
 * noniid_cmd.c - the non-IID front end, in two dialects over one code
 * path:
 *   ea90b noniid   short summary or --json (ea90b's schema); warnings on
 *                  stderr;
 *   ea_non_iid     drop-in for NIST's ea_non_iid 1.1.7: same options,
 *                  same stdout lines at each verbosity, same -o JSON.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "common.h"
#include "reports.h"

typedef struct {
    int nist;              /* 1: ea_non_iid dialect */
    const char *prog;
    int initial, all_bits, verbose, quiet, json, threads;
    unsigned long win_index, win_samples;
    const char *out_path;  /* -o */
    const char *file;
    int bits;              /* 0: infer */
} noniid_args;

static void usage(FILE *f, const noniid_args *a)
{
    if (a->nist) {
        fprintf(f, "Usage: ea_non_iid [-i|-c] [-a|-t] [-v] [-q] [-l <index>,<samples>] [-o <file.json>] "
                   "[--threads N] <file_name> [bits_per_symbol]\n"
                   "  NIST SP800-90B_EntropyAssessment ea_non_iid %s compatible (ea90b %s).\n"
                   "  -i initial estimate (default)   -c conditioned (bitstring only)\n"
                   "  -a whole bitstring (default)    -t bitstring truncated to 1000000 bits\n"
                   "  -v more output (repeatable)     -q quiet\n"
                   "  -l i,n  assess samples [i*n, i*n+n)   -o FILE  write JSON results\n"
                   "  --threads N  worker threads (default: online CPUs)   --version\n",
                EA90B_NIST_VERSION, EA90B_VERSION);
    } else {
        fprintf(f, "Usage: ea90b noniid [options] FILE [bits_per_symbol]\n"
                   "  SP 800-90B section 6.3 non-IID min-entropy assessment of FILE (one sample per byte).\n"
                   "  -i, --initial        initial entropy estimate H_I (default)\n"
                   "  -c, --conditioned    conditioned output: bitstring estimate h' only\n"
                   "  -a, --all-bits       assess the whole bitstring (default)\n"
                   "  -t, --truncate       truncate the bitstring to 1000000 bits\n"
                   "  -l, --window I,N     assess samples [I*N, I*N+N)\n"
                   "      --json           print JSON (every intermediate value) instead of the summary\n"
                   "  -o, --output FILE    write the JSON report to FILE (atomically)\n"
                   "      --threads N      worker threads (default: online CPUs)\n"
                   "  -q, --quiet          no summary\n");
    }
}

static int bad_usage(const noniid_args *a, const char *what, const char *arg)
{
    if (arg)
        ea_err(a->prog, "%s: '%s'", what, arg);
    else
        ea_err(a->prog, "%s", what);
    fprintf(stderr, "Try '%s --help'.\n", a->nist ? "ea_non_iid" : "ea90b noniid");
    return EXIT_USAGE;
}

enum { OPT_THREADS = 1000, OPT_JSON, OPT_VERSION, OPT_HELP };

static const struct option long_opts[] = {
    { "initial", no_argument, NULL, 'i' },
    { "conditioned", no_argument, NULL, 'c' },
    { "all-bits", no_argument, NULL, 'a' },
    { "truncate", no_argument, NULL, 't' },
    { "window", required_argument, NULL, 'l' },
    { "output", required_argument, NULL, 'o' },
    { "verbose", no_argument, NULL, 'v' },
    { "quiet", no_argument, NULL, 'q' },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "json", no_argument, NULL, OPT_JSON },
    { "version", no_argument, NULL, OPT_VERSION },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, otherwise the exit status. */
static int parse_option(noniid_args *a, int opt)
{
    unsigned long v;

    switch (opt) {
    case 'i': a->initial = 1; break;
    case 'c': a->initial = 0; break;
    case 'a': a->all_bits = 1; break;
    case 't': a->all_bits = 0; break;
    case 'v': a->verbose++; break;
    case 'q': a->quiet = 1; break;
    case 'o': a->out_path = optarg; break;
    case OPT_JSON: a->json = 1; break;
    case 'l':
        if (ea_parse_window(optarg, &a->win_index, &a->win_samples) != 0)
            return bad_usage(a, "-l needs <index>,<samples> with samples > 0", optarg);
        break;
    case OPT_THREADS:
        if (ea_parse_ulong(optarg, &v) != 0 || v < 1 || v > 64)
            return bad_usage(a, "--threads needs a number from 1 to 64", optarg);
        a->threads = (int)v;
        break;
    case OPT_VERSION:
        if (a->nist)
            printf("noniid %s\n\nea90b %s: a NIST-compatible reimplementation of SP800-90B_EntropyAssessment.\n",
                   EA90B_NIST_VERSION, EA90B_VERSION);
        else
            printf("ea90b %s (NIST SP800-90B_EntropyAssessment %s parity)\n", EA90B_VERSION,
                   EA90B_NIST_VERSION);
        return 0;
    case OPT_HELP:
        usage(stdout, a);
        return 0;
    default:
        return bad_usage(a, "unknown option or missing value", NULL);
    }
    return -1;
}

static int parse_args(noniid_args *a, int argc, char **argv)
{
    int opt, rc;
    unsigned long v;

    optind = 1;
    opterr = 1;
    while ((opt = getopt_long(argc, argv, "icatvql:o:", long_opts, NULL)) != -1)
        if ((rc = parse_option(a, opt)) >= 0)
            return rc;
    if (argc - optind < 1)
        return bad_usage(a, "missing sample file", NULL);
    if (argc - optind > 2)
        return bad_usage(a, "too many operands", argv[optind + 2]);
    a->file = argv[optind];
    if (argc - optind == 2) {
        if (ea_parse_ulong(argv[optind + 1], &v) != 0 || v < 1 || v > 8)
            return bad_usage(a, "bits per symbol must be a number from 1 to 8", argv[optind + 1]);
        a->bits = (int)v;
    }
    if (a->quiet)
        a->verbose = 0;
    return -1;
}

static int write_error_json(const noniid_args *a, const char *cmd, const char *ts,
                            const char *sha, const char *msg)
{
    ea_outfile o;

    if (!a->nist || a->out_path == NULL || ea_out_open(a->prog, a->out_path, &o) != 0)
        return EXIT_DATA;
    if (ea_render_nist_error_json(o.f, cmd, ts, a->file, sha, msg) != 0) {
        ea_out_abort(&o);
        return EXIT_DATA;
    }
    ea_out_commit(a->prog, &o);
    return EXIT_DATA;
}

static void nist_opening(const noniid_args *a, const ea_input *in)
{
    if (a->verbose <= 1)
        return;
    if (a->win_samples == 0)
        printf("Opening file: '%s' (SHA-256 hash %s)\n", a->file, in->sha256);
    else
        printf("Opening file: '%s' (SHA-256 hash %s), reading block %lu of size %lu\n", a->file,
               in->sha256, a->win_index, a->win_samples);
}

static void nist_preamble(const noniid_args *a, const ea_dataset *ds)
{
    if (a->verbose > 1)
        printf("Loaded %zu samples of %d distinct %d-bit-wide symbols\n", ds->len, ds->alph_size, ds->bits);
}

static void nist_after_trunc(const noniid_args *a, const ea_dataset *ds)
{
    if (a->verbose > 1 && (ds->alph_size > 2 || !a->initial))
        printf("Number of Binary Symbols: %zu\n", ds->blen);
    if (ds->len < (size_t)EA_MIN_SAMPLES)
        printf("\n*** Warning: data contains less than %ld samples ***\n\n", EA_MIN_SAMPLES);
    if (a->verbose > 1 && ds->alph_size < (1 << ds->bits))
        printf("\nSymbols have been translated.\n");
}

static int emit(const noniid_args *a, const ea_noniid_report *rep)
{
    ea_outfile o;
    int rc;

    if (a->nist)
        ea_render_nist_noniid_text(stdout, rep, a->verbose);
    else if (!a->json && !a->quiet)
        ea_render_noniid_summary(stdout, rep);
    if (a->out_path == NULL && !(a->json && !a->nist))
        return fflush(stdout) == 0 ? 0 : EXIT_DATA;
    if (ea_out_open(a->prog, a->out_path ? a->out_path : "-", &o) != 0)
        return EXIT_DATA;
    rc = a->nist ? ea_render_nist_noniid_json(o.f, rep) : ea_render_noniid_json(o.f, rep);
    if (rc != 0) {
        ea_err(a->prog, "cannot render JSON");
        ea_out_abort(&o);
        return EXIT_DATA;
    }
    return ea_out_commit(a->prog, &o) == 0 ? 0 : EXIT_DATA;
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int assess(const noniid_args *a, ea_noniid_report *rep, ea_dataset *ds, ea_noniid_result *res)
{
    ea_noniid_opts opt = { a->initial, a->threads };
    double t0 = wall();
    ea_status st = ea_noniid_run(ds, &opt, res);

    rep->seconds = wall() - t0;
    if (st != EA_OK) {
        ea_err(a->prog, "assessment failed: %s", ea_strerror(st));
        return EXIT_DATA;
    }
    return emit(a, rep);
}

static int load_dataset(const noniid_args *a, const ea_input *in, ea_dataset *ds, const char **msg)
{
    ea_status st = ea_dataset_init(ds, in->data, in->len, a->bits);

    if (st == EA_ERR_WIDTH) {
        int w = 8;
        unsigned all = 0;
        for (size_t i = 0; i < in->len; i++)
            all |= in->data[i];
        while (w > 0 && !(all & (1u << (w - 1))))
            w--;
        ea_err(a->prog, "data in '%s' does not fit within %d bits per symbol: samples use %d bits",
               a->file, a->bits, w);
        *msg = "Error: Incorrect bit width specification: data does not fit within described bit width.";
        return EXIT_DATA;
    }
    if (st != EA_OK) {
        ea_err(a->prog, "cannot load '%s': %s", a->file, ea_strerror(st));
        *msg = ea_strerror(st);
        return EXIT_DATA;
    }
    if (ds->data_bits < ds->bits) {
        if (a->nist)
            printf("Warning: Symbols appear to be narrower than described.\n");
        else
            ea_err(a->prog, "warning: samples use only %d of the declared %d bits", ds->data_bits, ds->bits);
    }
    if (ds->alph_size <= 1) {
        if (a->nist)
            printf("Symbol alphabet consists of 1 symbol. No entropy awarded...\n");
        ea_err(a->prog, "'%s' holds a single symbol value: no entropy can be awarded", a->file);
        *msg = "Symbol alphabet consists of 1 symbol. No entropy awarded...";
        return EXIT_DATA;
    }
    return 0;
}

static int run(noniid_args *a, const char *cmd, const char *ts)
{
    ea_input in;
    ea_dataset ds;
    ea_noniid_result *res;
    const char *msg = "Error reading file.";
    int rc;

    if (ea_read_input(a->prog, a->file, a->win_index, a->win_samples, &in) != 0)
        return write_error_json(a, cmd, ts, NULL, msg);
    if (a->nist)
        nist_opening(a, &in);
    if ((rc = load_dataset(a, &in, &ds, &msg)) != 0) {
        write_error_json(a, cmd, ts, in.sha256, msg);
        ea_dataset_free(&ds);
        ea_input_free(&in);
        return rc;
    }
    if (a->nist)
        nist_preamble(a, &ds);
    if (!a->all_bits)
        ea_dataset_truncate_bits(&ds, (size_t)EA_MIN_SAMPLES);
    if (a->nist)
        nist_after_trunc(a, &ds);
    else if (ds.len < (size_t)EA_MIN_SAMPLES)
        ea_err(a->prog, "warning: '%s' has %zu samples; SP 800-90B asks for at least 1000000 (assessing anyway)",
               a->file, ds.len);
    ea_input_free(&in);

    res = malloc(sizeof(*res));
    if (res == NULL) {
        ea_err(a->prog, "out of memory");
        ea_dataset_free(&ds);
        return EXIT_DATA;
    }
    {
        ea_noniid_report rep = { a->file, in.sha256, cmd, ts, &ds, res, a->initial, a->all_bits,
                                 a->win_index, a->win_samples, in.file_bytes, a->threads, 0.0 };
        rc = assess(a, &rep, &ds, res);
    }
    free(res);
    ea_dataset_free(&ds);
    return rc;
}

int ea_cmd_noniid(int argc, char **argv, int nist)
{
    noniid_args a = { 0 };
    char ts[16], *cmd;
    int rc;

    a.nist = nist;
    a.prog = nist ? "ea_non_iid" : "ea90b noniid";
    a.initial = 1;
    a.all_bits = 1;
    a.verbose = 1;
    a.threads = ea_online_cpus();
    if ((rc = parse_args(&a, argc, argv)) >= 0)
        return rc;
    ea_timestamp(ts);
    cmd = nist ? ea_join_args(argc, argv) : ea_join_args(argc + 1, argv - 1);
    rc = run(&a, cmd ? cmd : "", ts);
    free(cmd);
    return rc;
}
