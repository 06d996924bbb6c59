/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collect_cmd.c - ea90b collect: record raw noise (SP 800-90B §3.1.1:
 * 1,000,000 consecutive samples) and restart data (§3.1.4: 1000 restarts
 * of 1000 samples, each from a fresh start of the source) into one
 * directory with a manifest (docs/collector.md).
 *
 * The collection itself is the collector library's engine
 * (include/ea90b_collect.h): phases, resume, restarts, manifest. This file
 * turns options into its configuration, shows progress, turns signals
 * into a stop, and prints the summary.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "collect.h"
#include "commands.h"
#include "common.h"
#include "ea90b.h"
#include "ea90b_collect.h"
#include "hostinfo.h"

#define PROG "ea90b collect"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    g_stop = sig;
}

typedef struct {
    const char *dir;
    int force, resume, quiet;
    ea_col_config cfg;   /* defaults and the options given */
    json_t *given;       /* the options given, as configuration keys (compared on --resume) */
    char *cmdline;
} col_args;

enum {
    O_SOURCE = 256, O_TIMER, O_MEMBITS, O_MEMLOOPS, O_HASHLOOPS, O_INPUT, O_RINPUT, O_IFMT,
    O_SAMPLES, O_RESTARTS, O_NORESTART, O_RMODE, O_CPU, O_MASK, O_DIVGCD, O_TEXT, O_FORCE,
    O_RESUME, O_HELP, O_XFMT, O_XTIMEOUT, O_LABEL, O_VERSION, O_JMODE, O_HOSTFACTS, O_RUNS
};

static const struct option long_opts[] = {
    {"source", required_argument, NULL, O_SOURCE},
    {"timer", required_argument, NULL, O_TIMER},
    {"memory-bits", required_argument, NULL, O_MEMBITS},
    {"mem-loops", required_argument, NULL, O_MEMLOOPS},
    {"hash-loops", required_argument, NULL, O_HASHLOOPS},
    {"jent-mode", required_argument, NULL, O_JMODE},
    {"input", required_argument, NULL, O_INPUT},
    {"restart-input", required_argument, NULL, O_RINPUT},
    {"import-format", required_argument, NULL, O_IFMT},
    {"samples", required_argument, NULL, O_SAMPLES},
    {"runs", required_argument, NULL, O_RUNS},
    {"restarts", required_argument, NULL, O_RESTARTS},
    {"no-restart", no_argument, NULL, O_NORESTART},
    {"restart-mode", required_argument, NULL, O_RMODE},
    {"cpu", required_argument, NULL, O_CPU},
    {"exec-format", required_argument, NULL, O_XFMT},
    {"exec-timeout", required_argument, NULL, O_XTIMEOUT},
    {"source-label", required_argument, NULL, O_LABEL},
    {"host-facts", required_argument, NULL, O_HOSTFACTS},
    {"source-version", required_argument, NULL, O_VERSION},
    {"mask", required_argument, NULL, O_MASK},
    {"divide-gcd", no_argument, NULL, O_DIVGCD},
    {"text", no_argument, NULL, O_TEXT},
    {"force", no_argument, NULL, O_FORCE},
    {"resume", no_argument, NULL, O_RESUME},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
};

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: ea90b collect -o DIR [options]\n"
        "       ea90b collect -o DIR --source exec [options] -- PROGRAM [ARG...]\n"
        "Record raw, unconditioned noise (SP 800-90B 3.1.1) and restart data (3.1.4) into DIR\n"
        "with a manifest.json; see docs/collector.md.\n\n"
        "Output:\n"
        "  -o DIR                 output directory (created; must be empty unless --force)\n"
        "  --force                overwrite the collection files in a non-empty DIR\n"
        "  --resume               continue the interrupted collection in DIR\n"
        "  --text                 also write raw.txt (one decimal delta per line)\n"
        "  -q, --quiet            no summary line and no progress bar\n"
        "Amounts:\n"
        "  --samples N            consecutive samples (default 1000000; import: all)\n"
        "  --runs K               a series: K independent collections of N samples each,\n"
        "                         for `ea90b check` (default 1; at most 999)\n"
        "  --restarts RxC         R restarts of C samples (default 1000x1000)\n"
        "  --no-restart           no restart data\n"
        "  --restart-mode MODE    exec (default: a fresh process per restart) or inproc\n"
        "Source:\n"
        "  --source NAME          jent (default), memtouch, import or exec (below)\n"
        "  --timer KIND           auto (default: rdtsc, cntvct_el0) or monotonic\n"
        "  --memory-bits B        jent: log2 of the memory buffer (%u-%u; default from L1d)\n"
        "  --mem-loops N          jent: memory accesses per sample (default %u)\n"
        "  --hash-loops N         jent: SHA3-256 loops per sample (default %u; library mode 1)\n"
        "  --jent-mode M          jent: openssl (default: SHA3-256 by OpenSSL) or library (the\n"
        "                         core as jitterentropy runs it: its own C SHA-3, built -O0)\n"
        "  --input FILE           import: recorded deltas (decimal per line or u64 LE)\n"
        "  --restart-input FILE   import: recorded restart deltas, R*C of them, row-major\n"
        "  --import-format F      auto (default), text or u64\n"
        "  --host-facts FILE      import, exec: the recording machine's facts, written there by\n"
        "                         `ea90b probe --json` (import without it: host unknown)\n"
        "  --cpu N                pin the collection (and every restart process) to CPU N\n"
        "  --source-label TEXT    what the source is, recorded in the manifest\n"
        "  --source-version TEXT  its version, recorded in the manifest\n"
        "External recorder (--source exec -- PROGRAM [ARG...]; docs/collector.md):\n"
        "  PROGRAM runs once for the samples and once per restart, no shell, with\n"
        "  EA90B_SAMPLES, EA90B_RUN and EA90B_RESTART_INDEX set and {samples} in an ARG\n"
        "  replaced; it writes exactly that many deltas to standard output\n"
        "  --exec-format F        auto (default: detected once), u64 or text\n"
        "  --exec-timeout S       a run taking longer than S seconds is killed and fails\n"
        "Extraction (samples.bin, restart.bin):\n"
        "  --mask M               bits of each delta to keep: hexadecimal (0x optional, as\n"
        "                         extractlsb reads it), 1-8 bits set (default 0xFF)\n"
        "  --divide-gcd           divide every delta by the GCD of all deltas first\n"
        "  --help                 this text\n",
        EA_COL_MEMORY_BITS_MIN, EA_COL_MEMORY_BITS_MAX, 128u, 6u);
}

static int bad_usage(const char *what, const char *arg)
{
    return ea_usage_err(PROG, "ea90b collect", what, arg);
}

/* ------------------------------------------------------------ options */

static int parse_count(const char *s, unsigned long lo, unsigned long hi, unsigned long *v)
{
    return ea_parse_ulong(s, v) == 0 && *v >= lo && *v <= hi ? 0 : -1;
}

static int parse_restarts(const char *s, unsigned long *rows, unsigned long *cols)
{
    const char *x = strchr(s, 'x');
    char head[32];
    size_t n = x ? (size_t)(x - s) : 0;

    if (x == NULL || n == 0 || n >= sizeof head)
        return -1;
    memcpy(head, s, n);
    head[n] = '\0';
    if (parse_count(head, 1, EA_COL_MAX_TOTAL, rows) != 0 ||
        parse_count(x + 1, 1, EA_COL_MAX_TOTAL, cols) != 0)
        return -1;
    return *rows > EA_COL_MAX_TOTAL / *cols ? -1 : 0;
}

/*
 * An extraction mask is always hexadecimal, with or without 0x, as
 * jitterentropy's extractlsb reads it ("78" is 0x78, "010" is 0x10).
 * 0 ok, -1 not hexadecimal, -2 more than 64 bits.
 */
static int parse_mask(const char *s, uint64_t *mask)
{
    const char *p = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? s + 2 : s;
    size_t n = strlen(p);

    if (n == 0 || strspn(p, "0123456789abcdefABCDEF") != n)
        return -1;
    p += strspn(p, "0");   /* leading zeros take no bits */
    if (strlen(p) > 16)
        return -2;
    *mask = strtoull(p, NULL, 16);
    return 0;
}

static int mask_bits(uint64_t m)
{
    int n = 0;

    for (; m != 0; m &= m - 1)
        n++;
    return n;
}

/* Record an option given (its configuration key and value); returns -1 to go on. */
static int set_given(col_args *a, const char *key, json_t *v)
{
    json_object_set_new(a->given, key, v);
    return -1;
}

static int one_of(const char *s, const char *const *names)
{
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static int parse_choice(col_args *a, int opt)
{
    static const char *const sources[] = {"jent", "memtouch", "import", "exec", NULL};
    static const char *const timers[] = {"auto", "monotonic", NULL};
    static const char *const modes[] = {"exec", "inproc", NULL};
    static const char *const fmts[] = {"auto", "text", "u64", NULL};
    static const char *const jmodes[] = {"openssl", "library", NULL};
    int i;

    switch (opt) {
    case O_SOURCE:
        if ((i = one_of(optarg, sources)) < 0)
            return bad_usage("--source needs jent, memtouch, import or exec", optarg);
        a->cfg.source = (ea_col_source)i;
        return set_given(a, "source", json_string(optarg));
    case O_TIMER:
        if ((i = one_of(optarg, timers)) < 0)
            return bad_usage("--timer needs auto or monotonic", optarg);
        a->cfg.timer = (ea_col_timer)i;
        return set_given(a, "timer", json_string(optarg));
    case O_RMODE:
        if ((i = one_of(optarg, modes)) < 0)
            return bad_usage("--restart-mode needs exec or inproc", optarg);
        a->cfg.restart_mode = (ea_col_restart_mode)i;
        return set_given(a, "restart_mode", json_string(optarg));
    case O_JMODE:
        if ((i = one_of(optarg, jmodes)) < 0)
            return bad_usage("--jent-mode needs openssl or library", optarg);
        a->cfg.jent_mode = (ea_col_jent_mode)i;
        return set_given(a, "jent_mode", json_string(optarg));
    case O_XFMT:
        if ((i = one_of(optarg, fmts)) < 0)
            return bad_usage("--exec-format needs auto, u64 or text", optarg);
        a->cfg.exec_format = (ea_col_format)i;
        return set_given(a, "exec_format", json_string(optarg));
    default:
        if ((i = one_of(optarg, fmts)) < 0)
            return bad_usage("--import-format needs auto, text or u64", optarg);
        a->cfg.import_format = (ea_col_format)i;
        return set_given(a, "import_format", json_string(optarg));
    }
}

static int parse_path(col_args *a, char *dst, const char *key, const char *opt)
{
    char *real = realpath(optarg, NULL);
    int rc;

    if (real == NULL) {
        ea_err(PROG, "%s '%s': %s", opt, optarg, strerror(errno));
        return EXIT_DATA;
    }
    if (strlen(real) >= EA_COL_PATH_MAX) {
        free(real);
        return bad_usage("the path is too long", optarg);
    }
    strcpy(dst, real);
    rc = set_given(a, key, json_string(real));
    free(real);
    return rc;
}

/* The mask, stored as the string "0x..." (a JSON integer cannot hold bit 63 for sure). */
static int parse_mask_option(col_args *a)
{
    char what[160], canon[24];
    uint64_t m = 0;
    int rc = parse_mask(optarg, &m), bits = mask_bits(m);

    if (rc == -1)
        return bad_usage("--mask needs a mask with 1 to 8 bits set, in hexadecimal (0x optional) "
                         "as in FF, 0x0F or 7F8", optarg);
    if (rc == -2)
        return bad_usage("--mask needs a mask with 1 to 8 bits set; this one is wider than 64 bits",
                         optarg);
    snprintf(canon, sizeof canon, "0x%" PRIx64, m);
    if (bits < 1 || bits > 8) {
        snprintf(what, sizeof what, "--mask needs a mask with 1 to 8 bits set; %s has %d", canon,
                 bits);
        return bad_usage(what, optarg);
    }
    a->cfg.mask = m;
    return set_given(a, "mask", json_string(canon));
}

static int parse_loops(col_args *a, int opt)
{
    unsigned long v = 0;

    if (opt == O_MEMBITS) {
        if (parse_count(optarg, EA_COL_MEMORY_BITS_MIN, EA_COL_MEMORY_BITS_MAX, &v) != 0)
            return bad_usage("--memory-bits needs a number from 10 to 30", optarg);
        a->cfg.memory_bits = (unsigned)v;
        return set_given(a, "memory_bits", json_integer((json_int_t)v));
    }
    if (parse_count(optarg, 1, EA_COL_LOOPS_MAX, &v) != 0)
        return bad_usage(opt == O_MEMLOOPS ? "--mem-loops needs a number from 1 to 65536"
                                           : "--hash-loops needs a number from 1 to 65536", optarg);
    if (opt == O_MEMLOOPS)
        a->cfg.mem_loops = (unsigned)v;
    else
        a->cfg.hash_loops = (unsigned)v;
    return set_given(a, opt == O_MEMLOOPS ? "mem_loops" : "hash_loops", json_integer((json_int_t)v));
}

static int parse_number(col_args *a, int opt)
{
    unsigned long v = 0, r = 0, c = 0;

    switch (opt) {
    case O_SAMPLES:
        if (parse_count(optarg, 1, EA_COL_MAX_TOTAL, &v) != 0)
            return bad_usage("--samples needs a positive count (at most 1000000000)", optarg);
        a->cfg.samples = v;
        return set_given(a, "samples", json_integer((json_int_t)v));
    case O_RUNS:
        if (parse_count(optarg, 1, EA_COL_RUNS_MAX, &v) != 0)
            return bad_usage("--runs needs a count from 1 to 999", optarg);
        a->cfg.runs = (unsigned)v;
        return set_given(a, "runs", json_integer((json_int_t)v));
    case O_RESTARTS:
        if (parse_restarts(optarg, &r, &c) != 0)
            return bad_usage("--restarts needs RxC with positive counts, as in 1000x1000", optarg);
        a->cfg.rows = r;
        a->cfg.cols = c;
        set_given(a, "rows", json_integer((json_int_t)r));
        return set_given(a, "cols", json_integer((json_int_t)c));
    case O_CPU:
        if (parse_count(optarg, 0, CPU_SETSIZE - 1, &v) != 0)
            return bad_usage("--cpu needs a CPU number", optarg);
        a->cfg.cpu = (int)v;
        return set_given(a, "cpu", json_integer((json_int_t)v));
    case O_MASK:
        return parse_mask_option(a);
    default:
        return parse_loops(a, opt);
    }
}

static int parse_text(col_args *a, int opt)
{
    char *end = NULL;
    double t;

    if (opt == O_XTIMEOUT) {
        t = strtod(optarg, &end);
        if (end == optarg || *end != '\0' || !(t > 0.0 && t <= 86400.0 * 365))
            return bad_usage("--exec-timeout needs a positive number of seconds", optarg);
        a->cfg.exec_timeout = t;
        return set_given(a, "exec_timeout", json_real(t));
    }
    if (strlen(optarg) >= EA_COL_LABEL_MAX)
        return bad_usage(opt == O_LABEL ? "--source-label is longer than 255 bytes"
                                        : "--source-version is longer than 255 bytes", NULL);
    strcpy(opt == O_LABEL ? a->cfg.source_label : a->cfg.source_version, optarg);
    return set_given(a, opt == O_LABEL ? "source_label" : "source_version", json_string(optarg));
}

static int parse_option(col_args *a, int opt)
{
    switch (opt) {
    case 'o': a->dir = optarg; return -1;
    case 'q': a->quiet = 1; return -1;
    case O_FORCE: a->force = 1; return -1;
    case O_RESUME: a->resume = 1; return -1;
    case O_NORESTART: a->cfg.rows = 0; return set_given(a, "rows", json_integer(0));
    case O_DIVGCD: a->cfg.divide_gcd = 1; return set_given(a, "divide_gcd", json_true());
    case O_TEXT: a->cfg.text = 1; return set_given(a, "text", json_true());
    case O_INPUT: return parse_path(a, a->cfg.input, "input", "--input");
    case O_RINPUT: return parse_path(a, a->cfg.restart_input, "restart_input", "--restart-input");
    case O_HOSTFACTS: return parse_path(a, a->cfg.host_facts, "host_facts", "--host-facts");
    case O_SOURCE: case O_TIMER: case O_RMODE: case O_IFMT: case O_XFMT: case O_JMODE:
        return parse_choice(a, opt);
    case O_XTIMEOUT: case O_LABEL: case O_VERSION:
        return parse_text(a, opt);
    case O_HELP:
        usage(stdout);
        return 0;
    default:
        return parse_number(a, opt);
    }
}

/* Checks that need the whole command line; returns -1 to go on. */
static int check_combination(col_args *a)
{
    ea_col_config *c = &a->cfg;
    int import = c->source == EA_COL_IMPORT;
    char err[256];

    if (import && c->input[0] == '\0')
        return bad_usage("--source import needs --input FILE", NULL);
    if (!import && (c->input[0] != '\0' || c->restart_input[0] != '\0'))
        return bad_usage("--input and --restart-input apply to --source import only", NULL);
    if (import && !json_object_get(a->given, "samples"))
        c->samples = 0;   /* all of the file */
    if (import && c->restart_input[0] == '\0')
        c->rows = 0;
    if (import && c->restart_input[0] != '\0' && c->rows == 0)
        return bad_usage("--restart-input and --no-restart contradict each other", NULL);
    if (c->source != EA_COL_JENT &&
        (c->memory_bits || c->mem_loops || c->hash_loops || c->jent_mode != EA_COL_JENT_OPENSSL))
        return bad_usage("--memory-bits, --mem-loops, --hash-loops and --jent-mode apply to "
                         "--source jent only", NULL);
    if (c->host_facts[0] != '\0' && c->source != EA_COL_IMPORT && c->source != EA_COL_EXEC)
        return bad_usage("--host-facts applies to data recorded elsewhere: --source import or exec",
                         NULL);
    if (c->source == EA_COL_EXEC && c->exec_argc == 0)
        return bad_usage("--source exec needs the recorder: -- PROGRAM [ARG...]", NULL);
    if (c->source != EA_COL_EXEC && (c->exec_argc > 0 || json_object_get(a->given, "exec_format") ||
                                     json_object_get(a->given, "exec_timeout")))
        return bad_usage("-- PROGRAM, --exec-format and --exec-timeout apply to --source exec only",
                         NULL);
    if (c->source == EA_COL_EXEC && c->restart_mode != EA_COL_RESTART_EXEC)
        return bad_usage("--source exec restarts by running PROGRAM again; --restart-mode inproc "
                         "does not apply", NULL);
    if (ea_col_config_check(c, err, sizeof err) != EA_OK)
        return bad_usage(err, NULL);
    return -1;
}

/* What follows "--": the exec source's PROGRAM [ARG...]. */
static int parse_program(col_args *a, int argc, char **argv)
{
    char err[256];
    json_t *arr;

    if (argc == 0)
        return bad_usage("'--' must be followed by the recorder: -- PROGRAM [ARG...]", NULL);
    if (ea_col_config_set_argv(&a->cfg, argc, (const char *const *)argv, err, sizeof err) != EA_OK)
        return bad_usage(err, NULL);
    arr = json_array();
    for (int i = 0; i < argc; i++)
        json_array_append_new(arr, json_string(argv[i]));
    return set_given(a, "exec_argv", arr);
}

static int parse_args(col_args *a, int argc, char **argv)
{
    int opt, rc, end = argc;

    a->given = json_object();
    a->cfg = ea_col_config_default();
    for (int i = 1; i < argc && end == argc; i++)
        if (strcmp(argv[i], "--") == 0)
            end = i;
    optind = 1;
    opterr = 0;   /* one line of our own, as every other command */
    while ((opt = getopt_long(end, argv, ":o:qh", long_opts, NULL)) != -1) {
        if (opt == 'h')
            opt = O_HELP;
        if (opt == ':')
            return bad_usage("option needs a value", argv[optind - 1]);
        if (opt == '?')
            return bad_usage("unknown option", argv[optind - 1]);
        if ((rc = parse_option(a, opt)) >= 0)
            return rc;
    }
    if (optind < end)
        return bad_usage(a->cfg.source == EA_COL_EXEC ? "the recorder goes after '--': -- PROGRAM "
                                                        "[ARG...]" : "unexpected operand",
                         argv[optind]);
    if (end < argc && (rc = parse_program(a, argc - end - 1, argv + end + 1)) >= 0)
        return rc;
    if (a->dir == NULL)
        return bad_usage("missing output directory (-o DIR)", NULL);
    if (a->resume && a->force)
        return bad_usage("--resume and --force contradict each other", NULL);
    /* a resume takes the interrupted run's configuration: options given again are only
     * compared with it (check_resume_options) */
    return a->resume ? -1 : check_combination(a);
}

/* With --resume, options given again must match the interrupted run's. */
static int check_resume_options(const json_t *given, const ea_collection *c)
{
    ea_col_config saved;
    char *text;
    json_t *s, *v;
    const char *k;
    int rc = -1;

    ea_col_get_config(c, &saved);
    text = ea_col_config_to_json(&saved);
    s = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    json_object_foreach((json_t *)given, k, v) {
        if (!json_equal(v, json_object_get(s, k))) {
            char *was = json_dumps(json_object_get(s, k), JSON_ENCODE_ANY);
            ea_err(PROG, "--resume: option '%s' differs from the interrupted run's (%s); give only "
                         "-o DIR or the same options", k, was ? was : "?");
            free(was);
            rc = EXIT_USAGE;
            break;
        }
    }
    json_decref(s);
    return rc;
}

/* ------------------------------------------------------------ progress */

typedef struct {
    int on, open;
    double t0, last;
    ea_col_phase phase;
    const ea_col_hooks *extra;   /* more hooks (tests), called after ours */
} ui;

static void progress_end(ui *u)
{
    if (u->open)
        fputc('\n', stderr);
    u->open = 0;
}

static void hook_progress(void *ctx, ea_col_phase phase, uint64_t done, uint64_t total)
{
    static const char bar[] = "##############################";
    ui *u = ctx;
    double now = ea_wall(), frac;

    if (u->extra && u->extra->progress)
        u->extra->progress(u->extra->ctx, phase, done, total);
    if (!u->on || total == 0 || phase == EA_COL_PHASE_FINISH)
        return;
    if (!u->open || phase != u->phase) {
        progress_end(u);
        u->open = 1;
        u->phase = phase;
        u->t0 = now;
        u->last = 0.0;
    }
    if (done < total && now - u->last < 0.1)
        return;
    u->last = now;
    frac = (double)done / (double)total;
    fprintf(stderr, "\r%-8s [%-30.*s] %3d%% %" PRIu64 "/%" PRIu64 " ",
            phase == EA_COL_PHASE_SAMPLES ? "samples" : "restarts", (int)(frac * 30.0), bar,
            (int)(frac * 100.0), done, total);
    if (done > 0 && done < total)
        fprintf(stderr, "%6.0f s left ", (now - u->t0) * (double)(total - done) / (double)done);
    else
        fprintf(stderr, "%8.1f s     ", now - u->t0);
}

static int hook_stop(void *ctx)
{
    ui *u = ctx;

    return g_stop != 0 || (u->extra && u->extra->should_stop && u->extra->should_stop(u->extra->ctx));
}

static int hook_row(void *ctx, uint64_t done, uint64_t rows)
{
    ui *u = ctx;

    return u->extra && u->extra->row_done ? u->extra->row_done(u->extra->ctx, done, rows) : 0;
}

static void hook_step(void *ctx, ea_col_step step)
{
    ui *u = ctx;

    progress_end(u);
    if (u->extra && u->extra->step)
        u->extra->step(u->extra->ctx, step);
}

static const int stop_signals[3] = {SIGINT, SIGTERM, SIGHUP};

/* Signals stop the run (it can resume) instead of killing the process; the
 * caller's handlers are kept in old and put back when the run ends. */
static void install_handlers(struct sigaction old[3])
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;   /* no SA_RESTART: a blocked wait returns EINTR */
    sigemptyset(&sa.sa_mask);
    g_stop = 0;
    for (int i = 0; i < 3; i++)
        sigaction(stop_signals[i], &sa, &old[i]);
}

static void restore_handlers(const struct sigaction old[3])
{
    for (int i = 0; i < 3; i++)
        sigaction(stop_signals[i], &old[i], NULL);
}

/* ------------------------------------------------------------ messages */

static void summary(const char *dir, const ea_col_info *in, int quiet)
{
    char karch[64];

    if (in->timer[0] != '\0' && ea_host_emulated(karch, sizeof karch) == 1)
        fprintf(stderr, "%s: warning: emulated: this %s program ran on a %s kernel (qemu-user or "
                        "the like); the %s timings it recorded are the emulator's, meaningless as a "
                        "CPU's noise (the manifest says host.emulated: true)\n", PROG,
                ea_host_built_arch(), karch, in->timer);
    if (in->one_symbol)
        fprintf(stderr, "%s: warning: samples.bin holds a single symbol value: the mask selects "
                        "constant bits (every sample is %u; choose other bits with --mask)\n", PROG,
                in->symbol);
    if (in->gcd > 1 && in->divisor == 1)
        fprintf(stderr, "%s: warning: every delta is a multiple of %" PRIu64 "; the low bits are "
                        "constant (consider --divide-gcd)\n", PROG, in->gcd);
    if (quiet)
        return;
    if (in->runs > 1)
        printf("collected %s: a series of %u runs of %" PRIu64 " samples (%s, timer %s, GCD %"
               PRIu64 "), mask %s", dir, in->runs, in->samples, in->source,
               in->timer[0] ? in->timer : "n/a", in->gcd, in->mask);
    else
        printf("collected %s: %" PRIu64 " samples (%s, timer %s, GCD %" PRIu64 "), mask %s", dir,
               in->samples, in->source, in->timer[0] ? in->timer : "n/a", in->gcd, in->mask);
    if (in->rows > 0)
        printf(", %" PRIu64 "x%" PRIu64 " restarts (%s)", in->rows, in->cols, in->restart_mode);
    if (in->runs > 1)
        printf("\nnext: ea90b verify %s; ea90b assess %s\n", dir, dir);
    else
        printf("\nnext: ea90b verify %s; ea90b noniid %s/samples.bin\n", dir, dir);
}

static void interrupted(const char *dir, const ea_col_info *in)
{
    if (in->phase == EA_COL_PHASE_SAMPLES && in->runs > 1)
        ea_err(PROG, "interrupted (signal %d) after %u of %u runs; nothing is complete. "
                     "Continue with: ea90b collect --resume -o %s", (int)g_stop, in->runs_done,
               in->runs, dir);
    else if (in->phase == EA_COL_PHASE_SAMPLES)
        ea_err(PROG, "interrupted (signal %d) while collecting samples; nothing is complete. "
                     "Continue with: ea90b collect --resume -o %s", (int)g_stop, dir);
    else if (in->phase == EA_COL_PHASE_RESTARTS)
        ea_err(PROG, "interrupted (signal %d) after %" PRIu64 " of %" PRIu64 " restarts; nothing "
                     "is complete. Continue with: ea90b collect --resume -o %s", (int)g_stop,
               in->rows_done, in->rows, dir);
    else
        ea_err(PROG, "interrupted (signal %d) while finishing (all data collected); nothing is "
                     "complete. Continue with: ea90b collect --resume -o %s", (int)g_stop, dir);
}

/* ------------------------------------------------------------ the run */

int ea_collect_run(const ea_collect_req *req)
{
    ea_col_options opt = ea_col_options_default();
    ui u = {.on = !req->quiet && isatty(STDERR_FILENO), .extra = req->extra};
    ea_col_hooks hooks = {.ctx = &u, .progress = hook_progress, .should_stop = hook_stop,
                          .row_done = hook_row, .step = hook_step};
    ea_collection *c = NULL;
    ea_col_info info;
    struct sigaction old[3];
    char err[1024], cerr[512];
    ea_status st;
    int rc = -1;

    opt.mode = req->mode;
    opt.command_line = req->command_line;
    opt.restart_exe = "/proc/self/exe";
    install_handlers(old);
    st = ea_col_open(req->dir, req->cfg, &opt, &c, err, sizeof err);
    if (st != EA_OK) {
        restore_handlers(old);
        ea_err(PROG, "%s%s", req->mode == EA_COL_RESUME ? "--resume: " : "", err);
        return EXIT_DATA;
    }
    if (req->given != NULL && req->mode == EA_COL_RESUME)
        rc = check_resume_options(req->given, c);
    if (rc < 0)
        st = ea_col_run(c, &hooks, err, sizeof err);
    progress_end(&u);
    ea_col_info_get(c, &info);
    if (rc < 0 && st == EA_ERR_INTERRUPTED)
        interrupted(req->dir, &info);
    else if (rc < 0 && st != EA_OK)
        ea_err(PROG, "%s", err);
    if (ea_col_close(c, cerr, sizeof cerr) != EA_OK)
        ea_err(PROG, "%s", cerr);
    restore_handlers(old);
    if (rc >= 0)
        return rc;
    if (st == EA_OK)
        summary(req->dir, &info, req->quiet);
    return st == EA_OK ? 0 : EXIT_DATA;
}

int ea_collect_main(int argc, char **argv, const ea_col_hooks *extra)
{
    col_args a;
    ea_collect_req req;
    int rc;

    memset(&a, 0, sizeof a);
    a.cmdline = ea_join_args(argc + 1, argv - 1);
    rc = parse_args(&a, argc, argv);
    if (rc < 0) {
        req = (ea_collect_req){.dir = a.dir, .cfg = &a.cfg, .given = a.given,
                               .mode = a.resume ? EA_COL_RESUME
                                       : a.force ? EA_COL_FORCE : EA_COL_NEW,
                               .command_line = a.cmdline, .quiet = a.quiet, .extra = extra};
        rc = ea_collect_run(&req);
    }
    json_decref(a.given);
    free(a.cmdline);
    return rc;
}

int ea_cmd_collect(int argc, char **argv)
{
    return ea_collect_main(argc, argv, NULL);
}
