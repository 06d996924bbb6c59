/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frontend.c - shared command line, loading and JSON output of the
 * assessment front ends (ea90b noniid/iid, ea_non_iid, ea_iid).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>

#include "frontend.h"
#include "reports.h"

enum { OPT_THREADS = 1000, OPT_JSON, OPT_VERSION, OPT_HELP, OPT_SEED, OPT_FULL, OPT_DECISIVE,
       OPT_LIBBZ2 };

/* Leading ':': a missing option value is reported as ':', not '?'. */
#define SHORT_OPTS ":icatvql:o:"

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
    { "seed", required_argument, NULL, OPT_SEED },
    { "full", no_argument, NULL, OPT_FULL },
    { "decisive", no_argument, NULL, OPT_DECISIVE },
    { "libbz2", no_argument, NULL, OPT_LIBBZ2 },
    { "version", no_argument, NULL, OPT_VERSION },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
};

void ea_front_init(ea_front *a, int nist, ea_track track)
{
    int iid = track == EA_TRACK_IID;

    *a = (ea_front){
        .nist = nist,
        .track = track,
        .prog = nist ? (iid ? "ea_iid" : "ea_non_iid") : (iid ? "ea90b iid" : "ea90b noniid"),
        .initial = 1,
        .all_bits = 1,
        .verbose = 1,
        .threads = ea_online_cpus(),
        .full = nist,    /* the drop-in prints everything the reference prints */
    };
}

static void usage(FILE *f, const ea_front *a)
{
    int iid = a->track == EA_TRACK_IID;

    if (a->nist) {
        fprintf(f, "Usage: %s [-i|-c] [-a|-t] [-v] [-q] [-l <index>,<samples>] [-o <file.json>] "
                   "%s[--threads N] <file_name> [bits_per_symbol]\n"
                   "  NIST SP800-90B_EntropyAssessment %s %s compatible (ea90b %s).\n"
                   "  -i initial estimate (default)   -c conditioned (bitstring only)\n"
                   "  -a whole bitstring (default)    -t bitstring truncated to 1000000 bits\n"
                   "  -v more output (repeatable)     -q quiet\n"
                   "  -l i,n  assess samples [i*n, i*n+n)   -o FILE  write JSON results\n"
                   "%s"
                   "  --threads N  worker threads (default: online CPUs)   --version   --help\n",
                a->prog, iid ? "[--seed N] [--full|--decisive] " : "", a->prog, EA90B_NIST_VERSION,
                EA90B_VERSION,
                iid ? "  --seed N  permutation seed (default: drawn and printed)\n"
                      "  --full    every statistic to the end, as the reference (default)\n"
                      "  --decisive  stop once the verdict is settled (same verdict, counts of\n"
                      "            statistics not needed are left short)\n"
                      "  --libbz2  compression statistic by libbz2 itself (same values, slower)\n"
                    : "");
        return;
    }
    fprintf(f, "Usage: %s [options] FILE [bits_per_symbol]\n"
               "  SP 800-90B %s of FILE (one sample per byte).\n"
               "  -i, --initial        initial entropy estimate H_I (default)\n"
               "  -c, --conditioned    conditioned output: bitstring estimate h' only\n"
               "  -a, --all-bits       assess the whole bitstring (default)\n"
               "  -t, --truncate       truncate the bitstring to 1000000 bits\n"
               "  -l, --window I,N     assess samples [I*N, I*N+N)\n"
               "      --json           print JSON (every intermediate value) instead of the summary\n"
               "  -o, --output FILE    write the JSON report to FILE (atomically)\n"
               "      --threads N      worker threads (default: online CPUs)\n"
               "%s"
               "  -q, --quiet          no summary\n"
               "      --version        print the version and exit\n"
               "      --help           print this help and exit\n",
            a->prog, iid ? "section 5 IID testing" : "section 6.3 non-IID min-entropy assessment",
            iid ? "      --seed N         permutation seed (default: drawn from getrandom, printed)\n"
                  "      --full           compute every statistic to the end\n"
                  "      --decisive       stop once the verdict is settled (default; same verdict)\n"
                  "      --libbz2         compute the compression statistic with libbz2 itself\n"
                  "                       (default: the exact bzip2 length model; same values)\n"
                : "");
}

static int bad_usage(const ea_front *a, const char *what, const char *arg)
{
    return ea_usage_err(a->prog, a->prog, what, arg);
}

static int print_version(const ea_front *a)
{
    if (a->nist)
        printf("%s %s\n\nea90b %s: a NIST-compatible reimplementation of SP800-90B_EntropyAssessment.\n",
               a->track == EA_TRACK_IID ? "iid" : "noniid", EA90B_NIST_VERSION, EA90B_VERSION);
    else
        printf("ea90b %s (NIST SP800-90B_EntropyAssessment %s parity)\n", EA90B_VERSION,
               EA90B_NIST_VERSION);
    return 0;
}

static int parse_number_option(ea_front *a, int opt)
{
    unsigned long v;

    if (opt == OPT_THREADS) {
        if (ea_parse_ulong(optarg, &v) != 0 || v < 1 || v > 64)
            return bad_usage(a, "--threads needs a number from 1 to 64", optarg);
        a->threads = (int)v;
        return -1;
    }
    if (a->track != EA_TRACK_IID)
        return bad_usage(a, "--seed applies to the IID track only", NULL);
    if (ea_parse_ulong(optarg, &v) != 0)
        return bad_usage(a, "--seed needs a non-negative integer", optarg);
    a->seed = (uint64_t)v;
    a->seed_given = 1;
    return -1;
}

/* Returns -1 to go on, otherwise the exit status. */
static int parse_option(ea_front *a, int opt)
{
    switch (opt) {
    case 'i': a->initial = 1; break;
    case 'c': a->initial = 0; break;
    case 'a': a->all_bits = 1; break;
    case 't': a->all_bits = 0; break;
    case 'v': a->verbose++; break;
    case 'q': a->quiet = 1; break;
    case 'o':
        if (optarg[0] == '\0')
            return bad_usage(a, "-o needs a file name", NULL);
        a->out_path = optarg;
        break;
    case OPT_JSON: a->json = 1; break;
    case OPT_FULL:
    case OPT_DECISIVE:
        if (a->track != EA_TRACK_IID)
            return bad_usage(a, opt == OPT_FULL ? "--full applies to the IID track only"
                                                : "--decisive applies to the IID track only", NULL);
        a->full = opt == OPT_FULL;
        break;
    case OPT_LIBBZ2:
        if (a->track != EA_TRACK_IID)
            return bad_usage(a, "--libbz2 applies to the IID track only", NULL);
        a->libbz2 = 1;
        break;
    case 'l':
        if (ea_parse_window(optarg, &a->win_index, &a->win_samples) != 0)
            return bad_usage(a, "-l needs <index>,<samples> with samples > 0", optarg);
        break;
    case OPT_THREADS:
    case OPT_SEED:
        return parse_number_option(a, opt);
    case OPT_VERSION:
        return print_version(a);
    case OPT_HELP:
        usage(stdout, a);
        return 0;
    default:
        return bad_usage(a, "invalid option", NULL);
    }
    return -1;
}

/* Is c one of the short options? */
static int is_short_opt(int c)
{
    return c > 0 && c < 256 && c != ':' && strchr(SHORT_OPTS, c) != NULL;
}

/*
 * getopt_long() reported an error (opterr is 0, so it printed nothing):
 * one line naming the option, then the "Try" line. '?' with optopt 0 is an
 * unknown long option; with a known option's value, a long option given a
 * value it does not take; otherwise an unknown short option. ':' is a
 * missing value (the option is then the last thing in argv[optind - 1]).
 */
static int bad_option(const ea_front *a, int opt, char **argv)
{
    const char *cur = argv[optind - 1];
    char name[64];
    int is_long = optopt == 0 || optopt >= 256 || is_short_opt(optopt) || opt == ':';

    if (is_long && strncmp(cur, "--", 2) == 0)
        snprintf(name, sizeof name, "%.*s", (int)strcspn(cur, "="), cur);
    else
        snprintf(name, sizeof name, "-%c", optopt);
    if (opt == ':')
        return bad_usage(a, "option needs a value", name);
    if (optopt != 0 && strncmp(cur, "--", 2) == 0 && is_long)
        return bad_usage(a, "option takes no value", name);
    return bad_usage(a, "invalid option", name);
}

int ea_front_parse(ea_front *a, int argc, char **argv)
{
    int opt, rc;
    unsigned long v;

    ea_timestamp(a->timestamp);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, SHORT_OPTS, long_opts, NULL)) != -1) {
        if (opt == '?' || opt == ':')
            return bad_option(a, opt, argv);
        if ((rc = parse_option(a, opt)) >= 0)
            return rc;
    }
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

/* The NIST dialect writes the reference's error JSON to -o (opened early). */
static void write_error_json(const ea_front *a, const char *sha, const char *msg)
{
    ea_outfile *o = a->out;

    if (!a->nist || o == NULL || o->f == NULL)
        return;
    if (ea_render_nist_error_json(o->f, a->track == EA_TRACK_IID, a->commandline, a->timestamp,
                                  a->file, sha, msg) != 0) {
        ea_out_abort(o);
        return;
    }
    ea_out_commit(a->prog, o);
}

static void nist_opening(const ea_front *a, const ea_input *in)
{
    if (a->verbose <= 1)
        return;
    if (a->win_samples == 0)
        printf("Opening file: '%s' (SHA-256 hash %s)\n", a->file, in->sha256);
    else
        printf("Opening file: '%s' (SHA-256 hash %s), reading block %lu of size %lu\n", a->file,
               in->sha256, a->win_index, a->win_samples);
}

static void nist_after_load(const ea_front *a, const ea_dataset *ds)
{
    int iid = a->track == EA_TRACK_IID;

    if (a->verbose > 1 && (ds->alph_size > 2 || !a->initial))
        printf("Number of Binary %s: %zu\n", iid ? "samples" : "Symbols", ds->blen);
    if (ds->len < (size_t)EA_MIN_SAMPLES)
        printf("\n*** Warning: data contains less than %ld samples ***\n\n", EA_MIN_SAMPLES);
    if (a->verbose > 1 && ds->alph_size < (1 << ds->bits))
        printf(iid ? "\nSamples have been translated\n" : "\nSymbols have been translated.\n");
}

static int highest_bit(const ea_input *in)
{
    unsigned all = 0;
    int w = 8;

    for (size_t i = 0; i < in->len; i++)
        all |= in->data[i];
    while (w > 0 && !(all & (1u << (w - 1))))
        w--;
    return w;
}

int ea_front_refuse_one_symbol(const char *prog, const char *file, const ea_dataset *ds)
{
    if (ds->alph_size > 1)
        return 0;
    ea_err(prog, "'%s' holds a single symbol value%s: no entropy can be awarded", file,
           ds->data_bits == 0 ? " (all samples are 0)" : "");
    return EXIT_DATA;
}

int ea_front_refuse_short(const char *prog, const char *file, const ea_dataset *ds, int initial)
{
    size_t need = ea_noniid_min_samples(ds, initial);
    char why[96];

    if (ds->len >= need && ((ds->alph_size <= 2 && initial) || ds->blen >= EA_NONIID_MIN_BINARY))
        return 0;
    if (initial && ds->alph_size == 2)
        snprintf(why, sizeof why, "two symbols: LZ78Y's binary predictor needs %d", EA_NONIID_MIN_BINARY);
    else if (need > EA_NONIID_MIN_LITERAL || !initial)
        snprintf(why, sizeof why, "a bitstring of at least %d bits at %d bits per sample",
                 EA_NONIID_MIN_BINARY, ds->bits);
    else
        snprintf(why, sizeof why, "more than two symbols: the Lag predictor needs %d",
                 EA_NONIID_MIN_LITERAL);
    ea_err(prog, "'%s' holds %zu sample%s: too few for the non-IID estimators, which need at least "
           "%zu here (%s; see docs/estimators.md)", file, ds->len, ds->len == 1 ? "" : "s", need, why);
    return EXIT_DATA;
}

static int check_dataset(const ea_front *a, const ea_input *in, ea_dataset *ds, ea_status st)
{
    if (st == EA_ERR_WIDTH) {
        ea_err(a->prog, "data in '%s' does not fit within %d bits per symbol: samples use %d bits",
               a->file, a->bits, highest_bit(in));
        write_error_json(a, in->sha256,
                         "Error: Incorrect bit width specification: data does not fit within described bit width.");
        return EXIT_DATA;
    }
    if (st != EA_OK) {
        ea_err(a->prog, "cannot load '%s': %s", a->file, ea_strerror(st));
        write_error_json(a, in->sha256, ea_strerror(st));
        return EXIT_DATA;
    }
    if (ds->data_bits < ds->bits) {
        if (a->nist)
            printf("Warning: Symbols appear to be narrower than described.\n");
        else if (ds->data_bits > 0)   /* all zero: the single-symbol error below says it */
            ea_err(a->prog, "warning: samples use only %d of the declared %d bits", ds->data_bits, ds->bits);
    }
    if (ds->alph_size <= 1) {
        if (a->nist)
            printf("Symbol alphabet consists of 1 symbol. No entropy awarded...\n");
        ea_front_refuse_one_symbol(a->prog, a->file, ds);
        write_error_json(a, in->sha256, "Symbol alphabet consists of 1 symbol. No entropy awarded...");
        return EXIT_DATA;
    }
    /* below the minimum NIST's tool aborts on an assertion: refused, nothing assessed */
    if (a->track == EA_TRACK_NONIID && ea_front_refuse_short(a->prog, a->file, ds, a->initial) != 0) {
        write_error_json(a, in->sha256, "Too few samples for the non-IID estimators.");
        return EXIT_DATA;
    }
    return 0;
}

int ea_front_load(ea_front *a, ea_input *in, ea_dataset *ds)
{
    int rc;

    memset(ds, 0, sizeof(*ds));
    if (ea_read_input(a->prog, a->file, a->win_index, a->win_samples, in) != 0) {
        write_error_json(a, NULL, "Error reading file.");
        return EXIT_DATA;
    }
    if (a->nist)
        nist_opening(a, in);
    if ((rc = check_dataset(a, in, ds, ea_dataset_init(ds, in->data, in->len, a->bits))) != 0) {
        ea_dataset_free(ds);
        ea_input_free(in);
        return rc;
    }
    if (a->nist && a->verbose > 1)
        printf("Loaded %zu samples of %d distinct %d-bit-wide symbols\n", ds->len, ds->alph_size, ds->bits);
    if (!a->all_bits)
        ea_dataset_truncate_bits(ds, (size_t)EA_MIN_SAMPLES);
    if (a->nist)
        nist_after_load(a, ds);
    else if (ds->len < (size_t)EA_MIN_SAMPLES)
        ea_err(a->prog, "warning: '%s' has %zu samples; SP 800-90B asks for at least 1000000 (assessing anyway)",
               a->file, ds->len);
    ea_input_free(in);
    return 0;
}

int ea_front_write_json(const ea_front *a, const char *path, ea_render_fn render, const void *report)
{
    ea_outfile local, *o = &local;

    if (a->out != NULL && a->out->f != NULL && a->out_path != NULL && strcmp(path, a->out_path) == 0)
        o = a->out;   /* -o, opened before the assessment */
    else if (ea_out_open(a->prog, path, o) != 0)
        return EXIT_DATA;
    errno = 0;
    if (render(o->f, report) != 0) {
        int e = errno;

        if (ferror(o->f) && e != 0)   /* a write failed (EFBIG, ENOSPC ...): say which */
            ea_err(a->prog, "cannot write '%s': %s", path, strerror(e));
        else
            ea_err(a->prog, "cannot render JSON");
        ea_out_abort(o);
        return EXIT_DATA;
    }
    return ea_out_commit(a->prog, o) == 0 ? 0 : EXIT_DATA;
}

/*
 * Open -o before any work, so that an unwritable path or a directory is
 * reported at once; the file is committed (renamed into place) only when
 * the report is complete, and removed otherwise.
 */
static int open_output(ea_front *a, ea_outfile *o)
{
    struct stat st;
    size_t n;

    memset(o, 0, sizeof(*o));
    if (a->out_path == NULL)
        return 0;
    n = strlen(a->out_path);
    if (strcmp(a->out_path, "-") != 0 &&
        (a->out_path[n - 1] == '/' || (stat(a->out_path, &st) == 0 && S_ISDIR(st.st_mode)))) {
        ea_err(a->prog, "-o '%s' is a directory: give the name of the JSON file to write", a->out_path);
        return EXIT_USAGE;
    }
    if (ea_out_open(a->prog, a->out_path, o) != 0)
        return EXIT_DATA;
    a->out = o;
    return 0;
}

void ea_front_free(ea_front *a)
{
    free(a->commandline);
    a->commandline = NULL;
}

int ea_front_main(int argc, char **argv, int nist, ea_track track, ea_assess_fn assess)
{
    ea_front a;
    ea_input in;
    ea_dataset ds;
    ea_outfile out;
    int rc;

    ea_front_init(&a, nist, track);
    if ((rc = ea_front_parse(&a, argc, argv)) >= 0)
        return rc;
    if ((rc = open_output(&a, &out)) != 0)
        return rc;
    if (track == EA_TRACK_IID) {
        if (!a.seed_given && (rc = ea_draw_seed(a.prog, &a.seed)) != 0) {
            ea_out_abort(&out);
            return rc;
        }
        if (!a.quiet || !a.seed_given)
            fprintf(stderr, "%s: permutation seed %" PRIu64 "%s\n", a.prog, a.seed,
                    a.seed_given ? "" : " (drawn; rerun with --seed to reproduce)");
    }
    a.commandline = nist ? ea_join_args(argc, argv) : ea_join_args(argc + 1, argv - 1);
    if ((rc = ea_front_load(&a, &in, &ds)) == 0) {
        rc = assess(&a, &in, &ds);
        ea_dataset_free(&ds);
    }
    ea_out_abort(&out);   /* not committed: no partial report is left behind */
    ea_front_free(&a);
    return rc;
}
