/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collect_cmd.c - ea90b collect: record raw noise (SP 800-90B §3.1.1:
 * 1,000,000 consecutive samples) and restart data (§3.1.4: 1000 restarts
 * of 1000 samples, each from a fresh start of the source) into one
 * directory with a manifest (docs/collector.md).
 *
 * Phases, each recorded in collect.state.json so that --resume knows where
 * to go on:
 *   samples   the consecutive run, kept in memory, then raw.u64.part;
 *   restarts  one row per restart appended to restart.u64.part (exec mode:
 *             this binary again, `collect --restart-child`, per restart);
 *   finish    extraction into samples.bin.part, restart.bin.part (raw.txt.part),
 *             manifest.json, then every NAME.part renamed to NAME and the
 *             state removed: no final name exists before manifest.json does.
 * A run holds DIR/collect.lock (flock) from start to end.
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "collection.h"
#include "commands.h"
#include "common.h"
#include "ea90b.h"
#include "frontend.h"
#include "hostinfo.h"
#include "manifest.h"
#include "source.h"

#define PROG "ea90b collect"
#define DEF_SAMPLES 1000000ul
#define DEF_ROWS 1000ul    /* §3.1.4: r = 1000 restarts */
#define DEF_COLS 1000ul    /* §3.1.4: c = 1000 samples per restart */
#define MAX_TOTAL 1000000000ul
#define CHUNK 4096u
#define PROBE_SAMPLES 1000u

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    g_stop = sig;
}

typedef struct {
    const char *dir;
    int force, resume, quiet, child;
    unsigned long stop_after;   /* hidden test option: SIGTERM itself after K rows */
    unsigned long kill_after;   /* hidden test option: SIGKILL itself after K rows */
    int kill_finish;            /* hidden test option: SIGKILL itself in the finish,
                                   1 before manifest.json is written, 2 after */
    json_t *given;              /* configuration options given on the command line */
    json_t *config;             /* resolved configuration */
    char *cmdline;
} col_args;

enum {
    O_SOURCE = 256, O_TIMER, O_MEMBITS, O_MEMLOOPS, O_HASHLOOPS, O_INPUT, O_RINPUT, O_IFMT,
    O_SAMPLES, O_RESTARTS, O_NORESTART, O_RMODE, O_CPU, O_MASK, O_DIVGCD, O_TEXT, O_FORCE,
    O_RESUME, O_HELP, O_CHILD, O_STOPAFTER, O_KILLAFTER, O_KILLFINISH
};

static const struct option long_opts[] = {
    {"source", required_argument, NULL, O_SOURCE},
    {"timer", required_argument, NULL, O_TIMER},
    {"memory-bits", required_argument, NULL, O_MEMBITS},
    {"mem-loops", required_argument, NULL, O_MEMLOOPS},
    {"hash-loops", required_argument, NULL, O_HASHLOOPS},
    {"input", required_argument, NULL, O_INPUT},
    {"restart-input", required_argument, NULL, O_RINPUT},
    {"import-format", required_argument, NULL, O_IFMT},
    {"samples", required_argument, NULL, O_SAMPLES},
    {"restarts", required_argument, NULL, O_RESTARTS},
    {"no-restart", no_argument, NULL, O_NORESTART},
    {"restart-mode", required_argument, NULL, O_RMODE},
    {"cpu", required_argument, NULL, O_CPU},
    {"mask", required_argument, NULL, O_MASK},
    {"divide-gcd", no_argument, NULL, O_DIVGCD},
    {"text", no_argument, NULL, O_TEXT},
    {"force", no_argument, NULL, O_FORCE},
    {"resume", no_argument, NULL, O_RESUME},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, O_HELP},
    {"restart-child", no_argument, NULL, O_CHILD},            /* internal */
    {"stop-after-restarts", required_argument, NULL, O_STOPAFTER}, /* internal (tests) */
    {"kill-after-restarts", required_argument, NULL, O_KILLAFTER}, /* internal (tests) */
    {"kill-in-finish", required_argument, NULL, O_KILLFINISH},     /* internal (tests) */
    {NULL, 0, NULL, 0},
};

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: ea90b collect -o DIR [options]\n"
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
        "  --restarts RxC         R restarts of C samples (default 1000x1000)\n"
        "  --no-restart           no restart data\n"
        "  --restart-mode MODE    exec (default: a fresh process per restart) or inproc\n"
        "Source:\n"
        "  --source NAME          jent (default), memtouch or import\n"
        "  --timer KIND           auto (default: rdtsc, cntvct_el0) or monotonic\n"
        "  --memory-bits B        jent: log2 of the memory buffer (%u-%u; default from L1d)\n"
        "  --mem-loops N          jent: memory accesses per sample (default %u)\n"
        "  --hash-loops N         jent: SHA3-256 loops per sample (default %u)\n"
        "  --input FILE           import: recorded deltas (decimal per line or u64 LE)\n"
        "  --restart-input FILE   import: recorded restart deltas, R*C of them, row-major\n"
        "  --import-format F      auto (default), text or u64\n"
        "  --cpu N                pin the collection (and every restart process) to CPU N\n"
        "Extraction (samples.bin, restart.bin):\n"
        "  --mask M               bits of each delta to keep: hexadecimal (0x optional, as\n"
        "                         extractlsb reads it), 1-8 bits set (default 0xFF)\n"
        "  --divide-gcd           divide every delta by the GCD of all deltas first\n"
        "  --help                 this text\n",
        EA_JENT_MEMORY_BITS_MIN, EA_JENT_MEMORY_BITS_MAX, EA_JENT_MEM_LOOPS_DEFAULT,
        EA_JENT_HASH_LOOPS_DEFAULT);
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
    if (parse_count(head, 1, MAX_TOTAL, rows) != 0 || parse_count(x + 1, 1, MAX_TOTAL, cols) != 0)
        return -1;
    return *rows > MAX_TOTAL / *cols ? -1 : 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * An extraction mask is always hexadecimal, with or without 0x, as
 * jitterentropy's extractlsb reads it ("78" is 0x78, "010" is 0x10).
 * 0 ok, -1 not hexadecimal, -2 more than 64 bits.
 */
static int parse_mask(const char *s, uint64_t *mask)
{
    const char *p = s;
    uint64_t v = 0;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    if (*p == '\0')
        return -1;
    for (; *p != '\0'; p++) {
        int d = hex_digit(*p);
        if (d < 0)
            return -1;
        if (v >> 60 != 0)
            return -2;
        v = v << 4 | (uint64_t)d;
    }
    *mask = v;
    return 0;
}

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
    static const char *const sources[] = {"jent", "memtouch", "import", NULL};
    static const char *const timers[] = {"auto", "monotonic", NULL};
    static const char *const modes[] = {"exec", "inproc", NULL};
    static const char *const fmts[] = {"auto", "text", "u64", NULL};

    switch (opt) {
    case O_SOURCE:
        return one_of(optarg, sources) < 0 ? bad_usage("--source needs jent, memtouch or import", optarg)
                                           : set_given(a, "source", json_string(optarg));
    case O_TIMER:
        return one_of(optarg, timers) < 0 ? bad_usage("--timer needs auto or monotonic", optarg)
                                          : set_given(a, "timer", json_string(optarg));
    case O_RMODE:
        return one_of(optarg, modes) < 0 ? bad_usage("--restart-mode needs exec or inproc", optarg)
                                         : set_given(a, "restart_mode", json_string(optarg));
    default:
        return one_of(optarg, fmts) < 0 ? bad_usage("--import-format needs auto, text or u64", optarg)
                                        : set_given(a, "import_format", json_string(optarg));
    }
}

static int parse_path(col_args *a, const char *key, const char *opt)
{
    char *real = realpath(optarg, NULL);
    int rc;

    if (real == NULL) {
        ea_err(PROG, "%s '%s': %s", opt, optarg, strerror(errno));
        return EXIT_DATA;
    }
    rc = set_given(a, key, json_string(real));
    free(real);
    return rc;
}

/* The mask, stored as the string "0x..." (a JSON integer cannot hold bit 63 for sure). */
static int parse_mask_option(col_args *a)
{
    char what[160], canon[24];
    uint64_t m = 0;
    int rc = parse_mask(optarg, &m), bits = ea_mask_bits(m);

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
    return set_given(a, "mask", json_string(canon));
}

static int parse_number(col_args *a, int opt)
{
    unsigned long v = 0, r = 0, c = 0;

    switch (opt) {
    case O_MEMBITS:
        if (parse_count(optarg, EA_JENT_MEMORY_BITS_MIN, EA_JENT_MEMORY_BITS_MAX, &v) != 0)
            return bad_usage("--memory-bits needs a number from 10 to 30", optarg);
        return set_given(a, "memory_bits", json_integer((json_int_t)v));
    case O_MEMLOOPS:
    case O_HASHLOOPS:
        if (parse_count(optarg, 1, EA_JENT_LOOPS_MAX, &v) != 0)
            return bad_usage(opt == O_MEMLOOPS ? "--mem-loops needs a number from 1 to 65536"
                                               : "--hash-loops needs a number from 1 to 65536", optarg);
        return set_given(a, opt == O_MEMLOOPS ? "mem_loops" : "hash_loops", json_integer((json_int_t)v));
    case O_SAMPLES:
        if (parse_count(optarg, 1, MAX_TOTAL, &v) != 0)
            return bad_usage("--samples needs a positive count (at most 1000000000)", optarg);
        return set_given(a, "samples", json_integer((json_int_t)v));
    case O_RESTARTS:
        if (parse_restarts(optarg, &r, &c) != 0)
            return bad_usage("--restarts needs RxC with positive counts, as in 1000x1000", optarg);
        set_given(a, "rows", json_integer((json_int_t)r));
        return set_given(a, "cols", json_integer((json_int_t)c));
    case O_CPU:
        if (parse_count(optarg, 0, CPU_SETSIZE - 1, &v) != 0)
            return bad_usage("--cpu needs a CPU number", optarg);
        return set_given(a, "cpu", json_integer((json_int_t)v));
    case O_MASK:
        return parse_mask_option(a);
    case O_KILLFINISH:
        if (strcmp(optarg, "before-manifest") != 0 && strcmp(optarg, "after-manifest") != 0)
            return bad_usage("--kill-in-finish needs before-manifest or after-manifest", optarg);
        a->kill_finish = strcmp(optarg, "before-manifest") == 0 ? 1 : 2;
        return -1;
    case O_KILLAFTER:
        if (parse_count(optarg, 1, MAX_TOTAL, &v) != 0)
            return bad_usage("--kill-after-restarts needs a positive count", optarg);
        a->kill_after = v;
        return -1;
    default:
        if (parse_count(optarg, 1, MAX_TOTAL, &v) != 0)
            return bad_usage("--stop-after-restarts needs a positive count", optarg);
        a->stop_after = v;
        return -1;
    }
}

static int parse_option(col_args *a, int opt)
{
    switch (opt) {
    case 'o': a->dir = optarg; return -1;
    case 'q': a->quiet = 1; return -1;
    case O_FORCE: a->force = 1; return -1;
    case O_RESUME: a->resume = 1; return -1;
    case O_CHILD: a->child = 1; return -1;
    case O_NORESTART: return set_given(a, "rows", json_integer(0));
    case O_DIVGCD: return set_given(a, "divide_gcd", json_true());
    case O_TEXT: return set_given(a, "text", json_true());
    case O_INPUT: return parse_path(a, "input", "--input");
    case O_RINPUT: return parse_path(a, "restart_input", "--restart-input");
    case O_SOURCE: case O_TIMER: case O_RMODE: case O_IFMT:
        return parse_choice(a, opt);
    case O_HELP:
        usage(stdout);
        return 0;
    case '?':
        return bad_usage("unknown option or missing value", NULL);
    default:
        return parse_number(a, opt);
    }
}

/* ------------------------------------------------------------ configuration */

static json_t *default_config(void)
{
    return json_pack("{s:s,s:s,s:i,s:i,s:i,s:n,s:n,s:s,s:I,s:I,s:I,s:s,s:n,s:s,s:b,s:b}",
                     "source", "jent", "timer", "auto", "memory_bits", 0, "mem_loops", 0,
                     "hash_loops", 0, "input", "restart_input", "import_format", "auto",
                     "samples", (json_int_t)DEF_SAMPLES, "rows", (json_int_t)DEF_ROWS, "cols",
                     (json_int_t)DEF_COLS, "restart_mode", "exec", "cpu", "mask", "0xff",
                     "divide_gcd", 0, "text", 0);
}

static const char *cfg_str(const json_t *c, const char *k)
{
    const char *s = json_string_value(json_object_get(c, k));
    return s ? s : "";
}

static unsigned long cfg_ul(const json_t *c, const char *k)
{
    json_int_t v = json_integer_value(json_object_get(c, k));
    return v > 0 ? (unsigned long)v : 0;
}

/* The configured mask ("0x..."; an integer in a state file of an older version). */
static uint64_t cfg_mask(const json_t *c)
{
    json_t *m = json_object_get(c, "mask");
    uint64_t v = 0;

    if (json_is_integer(m))
        return (uint64_t)json_integer_value(m);
    if (!json_is_string(m) || parse_mask(json_string_value(m), &v) != 0)
        return 0;   /* no bits: refused by open_resume */
    return v;
}

/* Checks that need the whole command line; returns -1 to go on. */
static int check_combination(const col_args *a, json_t *c)
{
    int import = strcmp(cfg_str(c, "source"), "import") == 0;

    if (import && !json_is_string(json_object_get(c, "input")))
        return bad_usage("--source import needs --input FILE", NULL);
    if (!import && (json_object_get(a->given, "input") || json_object_get(a->given, "restart_input")))
        return bad_usage("--input and --restart-input apply to --source import only", NULL);
    if (import && !json_object_get(a->given, "samples"))
        json_object_set_new(c, "samples", json_integer(0));   /* all of the file */
    if (import && !json_is_string(json_object_get(c, "restart_input")))
        json_object_set_new(c, "rows", json_integer(0));
    if (import && json_is_string(json_object_get(c, "restart_input")) && cfg_ul(c, "rows") == 0)
        return bad_usage("--restart-input and --no-restart contradict each other", NULL);
    if (strcmp(cfg_str(c, "source"), "jent") != 0 &&
        (json_object_get(a->given, "memory_bits") || json_object_get(a->given, "hash_loops") ||
         json_object_get(a->given, "mem_loops")))
        return bad_usage("--memory-bits, --mem-loops and --hash-loops apply to --source jent only", NULL);
    return -1;
}

/* With --resume, options given again must match the interrupted run's. */
static int check_resume_options(const col_args *a, const json_t *saved)
{
    const char *k;
    json_t *v;

    json_object_foreach(a->given, k, v) {
        if (!json_equal(v, json_object_get(saved, k))) {
            char *was = json_dumps(json_object_get(saved, k), JSON_ENCODE_ANY);
            ea_err(PROG, "--resume: option '%s' differs from the interrupted run's (%s); give only "
                         "-o DIR or the same options", k, was ? was : "?");
            free(was);
            return EXIT_USAGE;
        }
    }
    return -1;
}

static int parse_args(col_args *a, int argc, char **argv)
{
    int opt, rc;

    a->given = json_object();
    optind = 1;
    opterr = 1;
    while ((opt = getopt_long(argc, argv, "o:qh", long_opts, NULL)) != -1) {
        if (opt == 'h')
            opt = O_HELP;
        if ((rc = parse_option(a, opt)) >= 0)
            return rc;
    }
    if (optind < argc)
        return bad_usage("unexpected operand", argv[optind]);
    if (a->child)
        return -1;
    if (a->dir == NULL)
        return bad_usage("missing output directory (-o DIR)", NULL);
    if (a->resume && a->force)
        return bad_usage("--resume and --force contradict each other", NULL);
    a->config = default_config();
    json_object_update(a->config, a->given);
    return check_combination(a, a->config);
}

/* ------------------------------------------------------------ the source */

static void src_config(const json_t *c, ea_src_config *s)
{
    memset(s, 0, sizeof(*s));
    s->kind = strcmp(cfg_str(c, "source"), "memtouch") == 0 ? EA_SRC_MEMTOUCH : EA_SRC_JENT;
    s->timer = strcmp(cfg_str(c, "timer"), "monotonic") == 0 ? EA_TIMER_MONOTONIC : EA_TIMER_AUTO;
    s->memory_bits = (unsigned)cfg_ul(c, "memory_bits");
    s->mem_loops = (unsigned)cfg_ul(c, "mem_loops");
    s->hash_loops = (unsigned)cfg_ul(c, "hash_loops");
}

/* The hidden child of exec restart mode: one fresh source, `samples` deltas on stdout. */
static int run_child(const col_args *a)
{
    json_t *c = default_config();
    ea_src_config sc;
    ea_source *s = NULL;
    unsigned long n;
    uint64_t *d;
    char err[256];
    int rc = EXIT_DATA;

    json_object_update(c, a->given);
    src_config(c, &sc);
    n = cfg_ul(c, "samples");
    d = malloc(n * sizeof(uint64_t));
    if (d == NULL)
        ea_err(PROG, "restart process: out of memory");
    else if (ea_source_open(&sc, &s, err, sizeof err) != 0 ||
             ea_source_read(s, d, n, err, sizeof err) != 0)
        ea_err(PROG, "restart process: %s", err);
    else if (ea_write_u64_fd(1, d, n) != 0)
        ea_err(PROG, "restart process: cannot write to the collector: %s", strerror(errno));
    else
        rc = 0;
    ea_source_close(s);
    free(d);
    json_decref(c);
    return rc;
}

/* ------------------------------------------------------------ progress */

typedef struct {
    int on;
    double t0, last;
    const char *what;
} progress;

static void progress_start(progress *p, const col_args *a, const char *what)
{
    p->on = !a->quiet && isatty(STDERR_FILENO);
    p->t0 = ea_wall();
    p->last = 0.0;
    p->what = what;
}

static void progress_show(progress *p, size_t done, size_t total)
{
    static const char bar[] = "##############################";
    double now, frac, left;
    int fill;

    if (!p->on || total == 0)
        return;
    now = ea_wall();
    if (done < total && now - p->last < 0.1)
        return;
    p->last = now;
    frac = (double)done / (double)total;
    fill = (int)(frac * 30.0);
    left = done > 0 ? (now - p->t0) * (double)(total - done) / (double)done : 0.0;
    fprintf(stderr, "\r%-8s [%-30.*s] %3d%% %zu/%zu ", p->what, fill, bar, (int)(frac * 100.0),
            done, total);
    if (done > 0 && done < total)
        fprintf(stderr, "%6.0f s left ", left);
    else
        fprintf(stderr, "%8.1f s     ", now - p->t0);
}

static void progress_end(progress *p)
{
    if (p->on)
        fputc('\n', stderr);
}

/* ------------------------------------------------------------ the run */

#define INTERRUPTED 3   /* internal: a signal stopped the run */

typedef struct {
    col_args *a;
    json_t *state;
    json_t *cfg;        /* borrowed from state */
    json_t *inherited;  /* the affinity before --cpu pinned the run */
    int lock;           /* DIR/collect.lock, held from start to end (-1: none) */
    int created;        /* this run created DIR */
    int discard;        /* a fresh run failed in its first phase: remove what it wrote */
    int started;        /* the directory is this run's (opened and its state saved) */
    int closing;        /* the last save of a run that ends unfinished */
    int complete;       /* manifest.json written and every file under its final name */
    int one_symbol;     /* every sample of samples.bin has one value (sym_value) */
    unsigned sym_value;
    char err[1024];
} col_run;

/* "run_open" stays true in the file while a run holds it: a resume that
 * finds it true knows the previous run was killed (SIGKILL, power loss). */
static int save_state(col_run *r)
{
    json_object_set_new(r->state, "run_open", json_boolean(!r->closing));
    if (ea_write_json_file(r->a->dir, EA_COL_STATE, r->state, r->err, sizeof r->err) != 0) {
        ea_err(PROG, "%s", r->err);
        return EXIT_DATA;
    }
    return 0;
}

static json_t *probe_facts(const ea_src_config *sc)
{
    ea_probe_result pr;
    char err[256];

    if (ea_timer_probe(sc->timer, PROBE_SAMPLES, &pr, err, sizeof err) != 0 || !pr.present)
        return json_pack("{s:n,s:n,s:n,s:n}", "timer_resolution", "timer_ticks_per_ns",
                         "timer_read_cost_ns", "timer_monotonic");
    return json_pack("{s:I,s:o,s:f,s:b}", "timer_resolution", (json_int_t)pr.resolution,
                     "timer_ticks_per_ns", pr.ticks_per_ns > 0 ? json_real(pr.ticks_per_ns) : json_null(),
                     "timer_read_cost_ns", pr.read_cost_ns, "timer_monotonic", pr.monotonic);
}

static json_t *source_facts(ea_source *s, json_t *probe, const json_t *cfg)
{
    ea_src_config used;
    int jent;
    json_t *o;

    ea_source_config_used(s, &used);
    jent = strcmp(ea_source_name(s), "jent") == 0;
    o = json_pack("{s:s,s:s,s:o,s:o,s:o}", "name", ea_source_name(s), "timer",
                  ea_source_timer_name(s), "memory_bits",
                  jent ? json_integer(used.memory_bits) : json_null(), "mem_loops",
                  jent ? json_integer(used.mem_loops) : json_null(), "hash_loops",
                  jent ? json_integer(used.hash_loops) : json_null());
    json_object_update(o, probe);
    json_object_set(o, "cpu", json_object_get(cfg, "cpu"));
    return o;
}

static int read_source(col_run *r, ea_source *s, uint64_t *d, size_t n)
{
    progress pg;

    progress_start(&pg, r->a, "samples");
    for (size_t i = 0; i < n; i += CHUNK) {
        size_t k = n - i < CHUNK ? n - i : CHUNK;
        if (g_stop) {
            progress_end(&pg);
            return INTERRUPTED;
        }
        if (ea_source_read(s, d + i, k, r->err, sizeof r->err) != 0) {
            progress_end(&pg);
            ea_err(PROG, "%s", r->err);
            return EXIT_DATA;
        }
        progress_show(&pg, i + k, n);
    }
    progress_end(&pg);
    return 0;
}

static int collect_live(col_run *r, uint64_t **d, size_t *n, json_t **src)
{
    ea_src_config sc;
    ea_source *s = NULL;
    json_t *probe;
    double t0;
    int rc;

    src_config(r->cfg, &sc);
    probe = probe_facts(&sc);
    *n = cfg_ul(r->cfg, "samples");
    *d = malloc(*n * sizeof(uint64_t));
    if (*d == NULL || ea_source_open(&sc, &s, r->err, sizeof r->err) != 0) {
        ea_err(PROG, "%s", *d ? r->err : "out of memory");
        json_decref(probe);
        return EXIT_DATA;
    }
    t0 = ea_wall();
    rc = read_source(r, s, *d, *n);
    *src = source_facts(s, probe, r->cfg);
    json_object_set_new(*src, "samples_seconds", json_real(ea_wall() - t0));
    json_decref(probe);
    ea_source_close(s);
    return rc;
}

static int import_file(col_run *r, const char *key, uint64_t **d, size_t *n)
{
    const char *f = cfg_str(r->cfg, "import_format");
    ea_import_format fmt = strcmp(f, "text") == 0 ? EA_IMPORT_TEXT
                         : strcmp(f, "u64") == 0  ? EA_IMPORT_U64LE : EA_IMPORT_AUTO;

    if (ea_import_read(cfg_str(r->cfg, key), fmt, d, n, r->err, sizeof r->err) != 0) {
        ea_err(PROG, "%s", r->err);
        return EXIT_DATA;
    }
    return 0;
}

static int collect_import(col_run *r, uint64_t **d, size_t *n, json_t **src)
{
    unsigned long want = cfg_ul(r->cfg, "samples");
    char hex[65];
    unsigned long long bytes;

    if (import_file(r, "input", d, n) != 0)
        return EXIT_DATA;
    if (want > *n) {
        ea_err(PROG, "'%s' holds %zu deltas, fewer than --samples %lu", cfg_str(r->cfg, "input"), *n,
               want);
        return EXIT_DATA;
    }
    if (want > 0)
        *n = want;
    if (ea_sha256_file(cfg_str(r->cfg, "input"), hex, &bytes, r->err, sizeof r->err) != 0) {
        ea_err(PROG, "%s", r->err);
        return EXIT_DATA;
    }
    *src = json_pack("{s:s,s:n,s:O,s:s,s:s}", "name", "import", "timer", "input",
                     json_object_get(r->cfg, "input"), "input_format", cfg_str(r->cfg, "import_format"),
                     "input_sha256", hex);
    return 0;
}

static int phase_samples(col_run *r)
{
    uint64_t *d = NULL;
    size_t n = 0;
    json_t *src = NULL;
    int import = strcmp(cfg_str(r->cfg, "source"), "import") == 0;
    int rc = import ? collect_import(r, &d, &n, &src) : collect_live(r, &d, &n, &src);

    if (rc == 0 && ea_write_u64_file(r->a->dir, EA_COL_RAW_PART, d, n, r->err, sizeof r->err) != 0) {
        ea_err(PROG, "%s", r->err);
        rc = EXIT_DATA;
    }
    free(d);
    if (rc == 0 && src == NULL) {
        ea_err(PROG, "out of memory");
        rc = EXIT_DATA;
    }
    if (rc != 0) {
        json_decref(src);
        return rc;
    }
    json_object_set_new(r->state, "source", src);
    json_object_set_new(r->state, "phase", json_string("restarts"));
    return save_state(r);
}

/* ------------------------------------------------------------ restarts */

typedef struct {
    char exe[PATH_MAX];
    char num[4][24];
    char *argv[16];
    ea_src_config sc;
} restart_ctx;

/* The configuration of the first run, with the values it resolved (memory_bits from the L1d ...). */
static void resolved_config(col_run *r, ea_src_config *sc)
{
    const json_t *src = json_object_get(r->state, "source");

    src_config(r->cfg, sc);
    if (sc->kind == EA_SRC_JENT && json_is_integer(json_object_get(src, "memory_bits"))) {
        sc->memory_bits = (unsigned)cfg_ul(src, "memory_bits");
        sc->mem_loops = (unsigned)cfg_ul(src, "mem_loops");
        sc->hash_loops = (unsigned)cfg_ul(src, "hash_loops");
    }
}

/* argv of one exec-mode restart: this binary with the resolved source configuration. */
static int exec_argv(col_run *r, restart_ctx *x)
{
    ssize_t len = readlink("/proc/self/exe", x->exe, sizeof x->exe - 1);
    int i = 0;

    if (len <= 0) {
        ea_err(PROG, "--restart-mode exec needs /proc/self/exe (%s); use --restart-mode inproc",
               strerror(errno));
        return EXIT_DATA;
    }
    x->exe[len] = '\0';
    x->argv[i++] = x->exe;
    x->argv[i++] = (char *)"collect";
    x->argv[i++] = (char *)"--restart-child";
    x->argv[i++] = (char *)"--source";
    x->argv[i++] = (char *)cfg_str(r->cfg, "source");
    x->argv[i++] = (char *)"--timer";
    x->argv[i++] = (char *)cfg_str(r->cfg, "timer");
    snprintf(x->num[0], sizeof x->num[0], "%lu", cfg_ul(r->cfg, "cols"));
    x->argv[i++] = (char *)"--samples";
    x->argv[i++] = x->num[0];
    if (x->sc.kind == EA_SRC_JENT) {   /* the values the first run resolved */
        snprintf(x->num[1], sizeof x->num[1], "%u", x->sc.memory_bits);
        snprintf(x->num[2], sizeof x->num[2], "%u", x->sc.mem_loops);
        snprintf(x->num[3], sizeof x->num[3], "%u", x->sc.hash_loops);
        x->argv[i++] = (char *)"--memory-bits";
        x->argv[i++] = x->num[1];
        x->argv[i++] = (char *)"--mem-loops";
        x->argv[i++] = x->num[2];
        x->argv[i++] = (char *)"--hash-loops";
        x->argv[i++] = x->num[3];
    }
    x->argv[i] = NULL;
    return 0;
}

static int one_restart(col_run *r, restart_ctx *x, int exec, uint64_t *row, size_t cols)
{
    ea_source *s = NULL;
    int rc;

    if (exec)
        rc = ea_restart_exec(x->argv, row, cols, &g_stop, r->err, sizeof r->err);
    else
        rc = ea_source_open(&x->sc, &s, r->err, sizeof r->err) != 0 ||
             ea_source_read(s, row, cols, r->err, sizeof r->err) != 0 ? -1 : 0;
    ea_source_close(s);
    if (rc != 0 && g_stop)
        return INTERRUPTED;
    if (rc != 0)
        ea_err(PROG, "restart failed: %s", r->err);
    return rc != 0 ? EXIT_DATA : 0;
}

static int restart_rows(col_run *r, ea_restart_part *p, size_t rows)
{
    int exec = strcmp(cfg_str(r->cfg, "restart_mode"), "exec") == 0, rc = 0;
    restart_ctx *x = calloc(1, sizeof(*x));
    uint64_t *row = malloc(p->cols * sizeof(uint64_t));
    progress pg;

    if (x == NULL || row == NULL) {
        ea_err(PROG, "out of memory");
        rc = EXIT_DATA;
    } else {
        resolved_config(r, &x->sc);
        if (exec)
            rc = exec_argv(r, x);
    }
    progress_start(&pg, r->a, "restarts");
    while (rc == 0 && p->rows_done < rows) {
        if (g_stop) {
            rc = INTERRUPTED;
            break;
        }
        if ((rc = one_restart(r, x, exec, row, p->cols)) == 0 &&
            ea_restart_part_append(p, row, r->err, sizeof r->err) != 0) {
            ea_err(PROG, "%s", r->err);
            rc = EXIT_DATA;
        }
        progress_show(&pg, p->rows_done, rows);
        if (rc == 0 && r->a->stop_after > 0 && p->rows_done == r->a->stop_after)
            raise(SIGTERM);
        if (rc == 0 && r->a->kill_after > 0 && p->rows_done == r->a->kill_after)
            raise(SIGKILL);   /* tests: a real kill, no handler, no state saved */
    }
    progress_end(&pg);
    free(row);
    free(x);
    return rc;
}

static int import_restarts(col_run *r, ea_restart_part *p, size_t rows)
{
    uint64_t *d;
    size_t n;
    char hex[65];
    unsigned long long bytes;
    int rc = 0;

    if (import_file(r, "restart_input", &d, &n) != 0)
        return EXIT_DATA;
    if (n != rows * p->cols) {
        ea_err(PROG, "'%s' holds %zu deltas; --restarts %zux%zu needs exactly %zu",
               cfg_str(r->cfg, "restart_input"), n, rows, p->cols, rows * p->cols);
        rc = EXIT_DATA;
    }
    for (size_t i = p->rows_done; rc == 0 && i < rows; i++)
        if (ea_restart_part_append(p, d + i * p->cols, r->err, sizeof r->err) != 0) {
            ea_err(PROG, "%s", r->err);
            rc = EXIT_DATA;
        }
    free(d);
    if (rc == 0 && ea_sha256_file(cfg_str(r->cfg, "restart_input"), hex, &bytes, r->err,
                                  sizeof r->err) == 0)
        json_object_set_new(json_object_get(r->state, "source"), "restart_input_sha256",
                            json_string(hex));
    return rc;
}

static double realtime_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int collect_rows(col_run *r, ea_restart_part *p, size_t rows)
{
    double t0;
    int rc;

    /* Saved first: a resume after a kill takes the time up to the part's mtime. */
    json_object_set_new(r->state, "restart_run_start", json_real(realtime_now()));
    if ((rc = save_state(r)) != 0)
        return rc;
    t0 = ea_wall();
    if (strcmp(cfg_str(r->cfg, "source"), "import") == 0)
        rc = import_restarts(r, p, rows);
    else
        rc = restart_rows(r, p, rows);
    json_object_set_new(r->state, "restart_seconds",
                        json_real(json_real_value(json_object_get(r->state, "restart_seconds")) +
                                  ea_wall() - t0));
    json_object_set_new(r->state, "restart_run_start", json_null());
    return rc;
}

static int phase_restarts(col_run *r)
{
    size_t rows = cfg_ul(r->cfg, "rows"), cols = cfg_ul(r->cfg, "cols");
    ea_restart_part p;
    int rc = 0, rs;

    if (rows > 0) {
        if (ea_restart_part_open(&p, r->a->dir, cols, 1, r->err, sizeof r->err) != 0) {
            ea_err(PROG, "%s", r->err);
            return EXIT_DATA;
        }
        if (p.rows_done > rows) {
            ea_err(PROG, "%s/%s holds %zu rows, more than the %zu of --restarts", r->a->dir,
                   EA_COL_RESTART_PART, p.rows_done, rows);
            rc = EXIT_DATA;
        } else if (p.rows_done < rows) {
            rc = collect_rows(r, &p, rows);
        }
        if (ea_restart_part_close(&p, r->err, sizeof r->err) != 0 && rc == 0) {
            ea_err(PROG, "%s", r->err);
            rc = EXIT_DATA;
        }
        json_object_set_new(r->state, "restart_rows_done", json_integer((json_int_t)p.rows_done));
    }
    if (rc == 0)
        json_object_set_new(r->state, "phase", json_string("finish"));
    rs = save_state(r);
    return rc != 0 ? rc : rs;
}

/* ------------------------------------------------------------ finish */

typedef struct {
    uint64_t *raw, *rst;
    size_t nraw, nrst;
    uint8_t *sym, *rsym;
    uint64_t gcd_raw, gcd_rst, divisor;
} col_data;

static void data_free(col_data *d)
{
    free(d->raw);
    free(d->rst);
    free(d->sym);
    free(d->rsym);
}

/* dir/part (the finish reads the data only from its partial files). */
static int load_u64(col_run *r, const char *part, uint64_t **v, size_t *n)
{
    char *pp = ea_colpath(r->a->dir, part);
    int rc = -1;

    if (pp != NULL)
        rc = ea_read_u64_file(pp, v, n, r->err, sizeof r->err);
    else
        snprintf(r->err, sizeof r->err, "out of memory");
    free(pp);
    if (rc != 0)
        ea_err(PROG, "%s", r->err);
    return rc != 0 ? EXIT_DATA : 0;
}

static int extract_all(col_run *r, col_data *d)
{
    size_t rows = cfg_ul(r->cfg, "rows"), cols = cfg_ul(r->cfg, "cols");
    uint64_t mask = cfg_mask(r->cfg);

    if (load_u64(r, EA_COL_RAW_PART, &d->raw, &d->nraw) != 0 ||
        (rows > 0 && load_u64(r, EA_COL_RESTART_PART, &d->rst, &d->nrst) != 0))
        return EXIT_DATA;
    if (rows > 0 && d->nrst != rows * cols) {
        ea_err(PROG, "%s holds %zu restart deltas, %zu expected", EA_COL_RESTART_PART, d->nrst,
               rows * cols);
        return EXIT_DATA;
    }
    d->gcd_raw = ea_gcd_u64(d->raw, d->nraw);
    d->gcd_rst = ea_gcd_u64(d->rst, d->nrst);
    const uint64_t both[2] = { d->gcd_raw, d->gcd_rst };
    d->divisor = json_is_true(json_object_get(r->cfg, "divide_gcd")) ? ea_gcd_u64(both, 2) : 1;
    if (d->divisor == 0)
        d->divisor = 1;
    d->sym = malloc(d->nraw ? d->nraw : 1);
    d->rsym = malloc(d->nrst ? d->nrst : 1);
    if (d->sym == NULL || d->rsym == NULL) {
        ea_err(PROG, "out of memory");
        return EXIT_DATA;
    }
    ea_extract(d->raw, d->nraw, mask, d->divisor, d->sym);
    ea_extract(d->rst, d->nrst, mask, d->divisor, d->rsym);
    r->one_symbol = d->nraw > 0;
    for (size_t i = 1; r->one_symbol && i < d->nraw; i++)
        r->one_symbol = d->sym[i] == d->sym[0];
    r->sym_value = d->nraw > 0 ? d->sym[0] : 0;
    return 0;
}

/* The derived files, under their .part names (renamed after manifest.json). */
static int write_outputs(col_run *r, const col_data *d)
{
    const char *dir = r->a->dir;
    int ok = ea_write_bytes_file(dir, EA_COL_SAMPLES_PART, d->sym, d->nraw, r->err, sizeof r->err) == 0;

    if (ok && json_is_true(json_object_get(r->cfg, "text")))
        ok = ea_write_text_file(dir, EA_COL_RAW_TXT_PART, d->raw, d->nraw, r->err, sizeof r->err) == 0;
    if (ok && d->nrst > 0)
        ok = ea_write_bytes_file(dir, EA_COL_RESTART_BIN_PART, d->rsym, d->nrst, r->err,
                                 sizeof r->err) == 0;
    if (!ok)
        ea_err(PROG, "%s", r->err);
    return ok ? 0 : EXIT_DATA;
}

/* The entry of `name`, hashed from its partial file `part`. */
static int add_file(col_run *r, json_t *files, const char *name, const char *part, size_t samples)
{
    json_t *e = ea_manifest_file_entry(r->a->dir, part, samples, r->err, sizeof r->err);

    if (e == NULL) {
        ea_err(PROG, "%s", r->err);
        return -1;
    }
    json_object_set_new(files, name, e);
    return 0;
}

static json_t *file_entries(col_run *r, const col_data *d)
{
    json_t *files = json_object();
    int bad = files == NULL || add_file(r, files, EA_COL_RAW, EA_COL_RAW_PART, d->nraw) ||
              add_file(r, files, EA_COL_SAMPLES, EA_COL_SAMPLES_PART, d->nraw);

    if (!bad && json_is_true(json_object_get(r->cfg, "text")))
        bad = add_file(r, files, EA_COL_RAW_TXT, EA_COL_RAW_TXT_PART, d->nraw);
    if (!bad && d->nrst > 0)
        bad = add_file(r, files, EA_COL_RESTART, EA_COL_RESTART_PART, d->nrst) ||
              add_file(r, files, EA_COL_RESTART_BIN, EA_COL_RESTART_BIN_PART, d->nrst);
    if (bad) {
        json_decref(files);
        return NULL;
    }
    return files;
}

static const char *restart_mode_name(const json_t *c)
{
    return strcmp(cfg_str(c, "source"), "import") == 0 ? "import" : cfg_str(c, "restart_mode");
}

static json_t *restarts_object(col_run *r)
{
    const json_t *c = r->cfg;

    if (cfg_ul(c, "rows") == 0)
        return json_null();
    return json_pack("{s:I,s:I,s:s,s:O,s:O}", "rows", (json_int_t)cfg_ul(c, "rows"), "cols",
                     (json_int_t)cfg_ul(c, "cols"), "mode", restart_mode_name(c), "seconds",
                     json_object_get(r->state, "restart_seconds"), "resumes",
                     json_object_get(r->state, "resumes"));
}

/* NULL when out of memory or the state lacks a field (files is stolen either way). */
static json_t *build_manifest(col_run *r, const col_data *d, json_t *files)
{
    json_t *src = json_object_get(r->state, "source");
    uint64_t mask = cfg_mask(r->cfg);
    char hex[24], now[32];

    ea_utc_now(now);
    snprintf(hex, sizeof hex, "0x%" PRIx64, mask);
    json_object_set_new(src, "gcd", json_integer((json_int_t)d->gcd_raw));
    json_object_set_new(src, "restart_gcd", d->nrst ? json_integer((json_int_t)d->gcd_rst) : json_null());
    return json_pack("{s:s,s:i,s:b,s:{s:s,s:s},s:O,s:O,s:s,s:O,s:O,s:{s:s,s:i,s:b,s:I},s:I,s:o,s:o}",
                     "format", "ea90b-collection", "format_version", 1, "complete", 1, "tool", "name",
                     "ea90b", "version", EA90B_VERSION, "command_line",
                     json_object_get(r->state, "command_line"), "start_time",
                     json_object_get(r->state, "start_time"), "end_time", now, "host",
                     json_object_get(r->state, "host"), "source", src, "extraction", "mask", hex,
                     "bits", ea_mask_bits(mask), "divide_gcd",
                     json_is_true(json_object_get(r->cfg, "divide_gcd")), "divisor",
                     (json_int_t)d->divisor, "samples", (json_int_t)d->nraw, "restarts",
                     restarts_object(r), "files", files);
}

static json_int_t man_int(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* The summary, from the manifest (also after a resumed finish). */
static void summary(col_run *r, const json_t *m)
{
    const json_t *src = json_object_get(m, "source"), *ex = json_object_get(m, "extraction");
    const json_t *rs = json_object_get(m, "restarts");

    if (r->one_symbol)
        fprintf(stderr, "%s: warning: samples.bin holds a single symbol value: the mask selects "
                        "constant bits (every sample is %u; choose other bits with --mask)\n", PROG,
                r->sym_value);
    if (man_int(src, "gcd") > 1 && man_int(ex, "divisor") == 1)
        fprintf(stderr, "%s: warning: every delta is a multiple of %" JSON_INTEGER_FORMAT "; the low "
                        "bits are constant (consider --divide-gcd)\n", PROG, man_int(src, "gcd"));
    if (r->a->quiet)
        return;
    printf("collected %s: %" JSON_INTEGER_FORMAT " samples (%s, timer %s, GCD %" JSON_INTEGER_FORMAT
           "), mask %s", r->a->dir, man_int(m, "samples"), cfg_str(src, "name"),
           json_is_string(json_object_get(src, "timer")) ? cfg_str(src, "timer") : "n/a",
           man_int(src, "gcd"), cfg_str(ex, "mask"));
    if (json_is_object(rs))
        printf(", %" JSON_INTEGER_FORMAT "x%" JSON_INTEGER_FORMAT " restarts (%s)", man_int(rs, "rows"),
               man_int(rs, "cols"), cfg_str(rs, "mode"));
    printf("\nnext: ea90b verify %s; ea90b noniid %s/%s\n", r->a->dir, r->a->dir, EA_COL_SAMPLES);
}

/* manifest.json is written: give every file its final name, check, drop the state. */
static int publish(col_run *r, const json_t *m)
{
    if (ea_col_publish(r->a->dir, m, r->err, sizeof r->err) != 0) {
        ea_err(PROG, "%s", r->err);
        return EXIT_DATA;
    }
    r->complete = 1;
    summary(r, m);
    return 0;
}

/* A resumed finish that had already written manifest.json: roll forward. */
static int republish(col_run *r, const char *path)
{
    json_error_t je;
    json_t *m = json_load_file(path, 0, &je);
    int rc;

    if (m == NULL) {
        ea_err(PROG, "--resume: %s: %s (start again with --force)", path, je.text);
        return EXIT_DATA;
    }
    rc = publish(r, m);
    json_decref(m);
    return rc;
}

static int phase_finish(col_run *r)
{
    char *mpath = ea_colpath(r->a->dir, EA_COL_MANIFEST);
    json_t *files = NULL, *m = NULL;
    col_data d;
    int rc = 0;

    memset(&d, 0, sizeof d);
    if (mpath != NULL && access(mpath, F_OK) == 0) {
        rc = republish(r, mpath);
        free(mpath);
        return rc;
    }
    free(mpath);
    rc = extract_all(r, &d);
    if (rc == 0)
        rc = write_outputs(r, &d);
    if (rc == 0 && (files = file_entries(r, &d)) == NULL)
        rc = EXIT_DATA;
    if (rc == 0 && g_stop)
        rc = INTERRUPTED;
    if (rc == 0) {
        m = build_manifest(r, &d, files);   /* takes files, also on failure */
        files = NULL;
        if (m == NULL) {
            ea_err(PROG, "cannot build manifest.json (out of memory or a damaged %s)", EA_COL_STATE);
            rc = EXIT_DATA;
        }
    }
    json_decref(files);
    if (rc == 0 && r->a->kill_finish == 1)
        raise(SIGKILL);
    if (rc == 0 && ea_write_json_file(r->a->dir, EA_COL_MANIFEST, m, r->err, sizeof r->err) != 0) {
        ea_err(PROG, "%s", r->err);
        rc = EXIT_DATA;
    }
    if (rc == 0 && r->a->kill_finish == 2)
        raise(SIGKILL);
    if (rc == 0)
        rc = publish(r, m);
    json_decref(m);
    data_free(&d);
    return rc;
}

/* ------------------------------------------------------------ main */

static void install_handlers(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;   /* no SA_RESTART: a blocked read returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static int pin_cpu(const json_t *cfg)
{
    json_t *c = json_object_get(cfg, "cpu");
    cpu_set_t set;

    if (!json_is_integer(c))
        return 0;
    CPU_ZERO(&set);
    CPU_SET((size_t)json_integer_value(c), &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        ea_err(PROG, "cannot pin to CPU %" JSON_INTEGER_FORMAT ": %s", json_integer_value(c),
               strerror(errno));
        return EXIT_DATA;
    }
    return 0;
}

/* exec restarts start this binary again: make sure it can be found now, not after the samples. */
static int check_exec(const json_t *cfg)
{
    char exe[PATH_MAX];
    ssize_t len;

    if (cfg_ul(cfg, "rows") == 0 || strcmp(restart_mode_name(cfg), "exec") != 0)
        return 0;
    len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0)
        exe[len] = '\0';
    if (len <= 0 || access(exe, X_OK) != 0) {
        ea_err(PROG, "--restart-mode exec needs /proc/self/exe (%s); use --restart-mode inproc",
               strerror(errno));
        return EXIT_DATA;
    }
    return 0;
}

/*
 * import: the restart input must hold exactly R*C deltas. Checked before
 * anything is written (and on --resume before the restarts): found only
 * in the restart phase, it would leave a directory no resume can finish.
 */
static int check_restart_input(col_run *r, const json_t *cfg)
{
    size_t rows = cfg_ul(cfg, "rows"), cols = cfg_ul(cfg, "cols"), n = 0;
    const char *phase = r->state != NULL ? cfg_str(r->state, "phase") : "samples";
    const char *f = cfg_str(cfg, "import_format");
    ea_import_format fmt = strcmp(f, "text") == 0 ? EA_IMPORT_TEXT
                         : strcmp(f, "u64") == 0  ? EA_IMPORT_U64LE : EA_IMPORT_AUTO;
    uint64_t *d = NULL;

    if (strcmp(cfg_str(cfg, "source"), "import") != 0 || rows == 0 || strcmp(phase, "finish") == 0)
        return 0;
    if (ea_import_read(cfg_str(cfg, "restart_input"), fmt, &d, &n, r->err, sizeof r->err) != 0) {
        ea_err(PROG, "%s", r->err);
        return EXIT_DATA;
    }
    free(d);
    if (n != rows * cols) {
        ea_err(PROG, "'%s' holds %zu deltas; --restarts %zux%zu needs exactly %zu",
               cfg_str(cfg, "restart_input"), n, rows, cols, rows * cols);
        return EXIT_DATA;
    }
    return 0;
}

/* What can fail before anything is written: pinning, the exec restarts' binary,
 * the size of an imported restart input. */
static int preflight(col_run *r, const json_t *cfg)
{
    r->inherited = ea_hostinfo_affinity();
    if (pin_cpu(cfg) != 0 || check_exec(cfg) != 0 || check_restart_input(r, cfg) != 0)
        return EXIT_DATA;
    return 0;
}

/* Host facts after pinning, with the affinity the run was started with. */
static json_t *new_state(col_run *r)
{
    char now[32];
    json_t *host = ea_hostinfo();

    ea_utc_now(now);
    if (host == NULL)
        return NULL;
    json_object_set(host, "affinity_inherited", r->inherited ? r->inherited : json_null());
    return json_pack("{s:s,s:i,s:b,s:s,s:s,s:o,s:O,s:s,s:n,s:[],s:f,s:n}", "format",
                     "ea90b-collect-state", "format_version", 1, "complete", 0, "command_line",
                     r->a->cmdline, "start_time", now, "host", host, "config", r->a->config, "phase",
                     "samples", "source", "resumes", "restart_seconds", 0.0, "restart_run_start");
}

static int open_fresh(col_run *r)
{
    const char *dir = r->a->dir;
    struct stat st;

    if (preflight(r, r->a->config) != 0)
        return EXIT_DATA;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        /* creates DIR, or says why not (not a directory, no parent ...) */
        if (ea_coldir_prepare(dir, r->a->force, r->err, sizeof r->err) != 0) {
            ea_err(PROG, "%s", r->err);
            return EXIT_DATA;
        }
        r->created = 1;
    }
    if ((r->lock = ea_coldir_lock(dir, r->err, sizeof r->err)) < 0) {
        ea_err(PROG, "%s", r->err);
        return EXIT_DATA;
    }
    if (ea_coldir_prepare(dir, r->a->force, r->err, sizeof r->err) != 0) {
        ea_err(PROG, "%s", r->err);   /* a refused directory is left as it was */
        return EXIT_DATA;
    }
    r->discard = 1;   /* DIR is empty now: until the state is saved, a failure leaves nothing */
    r->state = new_state(r);
    if (r->state == NULL) {
        ea_err(PROG, "out of memory");
        return EXIT_DATA;
    }
    if (save_state(r) != 0)
        return EXIT_DATA;
    r->discard = 0;
    r->started = 1;
    return 0;
}

static int exists_in(const char *dir, const char *name, struct stat *st)
{
    char *p = ea_colpath(dir, name);
    int rc = p != NULL && stat(p, st) == 0;

    free(p);
    return rc;
}

static int refuse(const col_run *r, const char *why)
{
    ea_err(PROG, "--resume: %s: %s; start again with --force", r->a->dir, why);
    return EXIT_DATA;
}

/* The directory matches its state file; *done = restart rows already collected. */
static int resume_check(col_run *r, size_t *done)
{
    static const char *const finals[] = {EA_COL_RAW, EA_COL_RAW_TXT, EA_COL_SAMPLES, EA_COL_RESTART,
                                         EA_COL_RESTART_BIN};
    const char *phase = cfg_str(r->state, "phase");
    size_t rows = cfg_ul(r->cfg, "rows"), cols = cfg_ul(r->cfg, "cols");
    int samples = strcmp(phase, "samples") == 0, finish = strcmp(phase, "finish") == 0;
    struct stat st;
    int manifest = exists_in(r->a->dir, EA_COL_MANIFEST, &st);

    *done = 0;
    if (!samples && !finish && strcmp(phase, "restarts") != 0)
        return refuse(r, "collect.state.json names no known phase");
    if (ea_mask_bits(cfg_mask(r->cfg)) < 1 || ea_mask_bits(cfg_mask(r->cfg)) > 8 || cols == 0)
        return refuse(r, "collect.state.json holds an invalid configuration");
    if (manifest && !finish)
        return refuse(r, "manifest.json exists but the state says the data is not all collected");
    if (manifest) {
        *done = rows;
        return 0;
    }
    for (size_t i = 0; i < sizeof finals / sizeof finals[0]; i++)
        if (exists_in(r->a->dir, finals[i], &st)) {
            snprintf(r->err, sizeof r->err, "%s exists but the collection is not finished (an older "
                     "ea90b wrote it, or it was changed)", finals[i]);
            return refuse(r, r->err);
        }
    if (!samples && !exists_in(r->a->dir, EA_COL_RAW_PART, &st))
        return refuse(r, EA_COL_RAW_PART " is missing");
    if (samples || rows == 0)
        return 0;
    if (exists_in(r->a->dir, EA_COL_RESTART_PART, &st))
        *done = (size_t)st.st_size / (cols * 8);
    else if (finish || cfg_ul(r->state, "restart_rows_done") > 0)
        return refuse(r, EA_COL_RESTART_PART " is missing");
    return 0;
}

/* A run killed in its restarts left restart_run_start: count its time up to the last row. */
static void account_killed_run(col_run *r)
{
    json_t *start = json_object_get(r->state, "restart_run_start");
    struct stat st;

    if (json_is_number(start) && exists_in(r->a->dir, EA_COL_RESTART_PART, &st)) {
        double t = (double)st.st_mtim.tv_sec + 1e-9 * (double)st.st_mtim.tv_nsec;
        double secs = t - json_number_value(start);
        if (secs > 0)
            json_object_set_new(r->state, "restart_seconds",
                                json_real(json_real_value(json_object_get(r->state, "restart_seconds")) +
                                          secs));
    }
    json_object_set_new(r->state, "restart_run_start", json_null());
}

static int read_state(col_run *r)
{
    json_decref(r->state);
    r->state = ea_state_read(r->a->dir, r->err, sizeof r->err);
    if (r->state == NULL) {
        ea_err(PROG, "--resume: %s", r->err);
        return EXIT_DATA;
    }
    r->cfg = json_object_get(r->state, "config");
    if (!json_is_object(r->cfg) || !json_is_array(json_object_get(r->state, "resumes"))) {
        ea_err(PROG, "--resume: %s/%s is damaged (no config or resumes)", r->a->dir, EA_COL_STATE);
        return EXIT_DATA;
    }
    return 0;
}

static int open_resume(col_run *r)
{
    json_t *entry;
    size_t done;
    char now[32];
    int rc;

    if ((rc = read_state(r)) != 0)   /* before taking the lock: no lock file in a wrong DIR */
        return rc;
    if ((r->lock = ea_coldir_lock(r->a->dir, r->err, sizeof r->err)) < 0) {
        ea_err(PROG, "%s", r->err);
        return EXIT_DATA;
    }
    if ((rc = read_state(r)) != 0)   /* again, now that no other run can change it */
        return rc;
    if ((rc = check_resume_options(r->a, r->cfg)) >= 0)
        return rc;
    if ((rc = resume_check(r, &done)) != 0 || (rc = preflight(r, r->cfg)) != 0)
        return rc;
    ea_coldir_sweep_tmp(r->a->dir);
    account_killed_run(r);
    ea_utc_now(now);
    entry = json_pack("{s:s,s:s,s:s,s:I,s:b}", "time", now, "command_line", r->a->cmdline, "phase",
                      cfg_str(r->state, "phase"), "rows_done", (json_int_t)done,
                      "previous_run_killed", json_is_true(json_object_get(r->state, "run_open")));
    if (entry == NULL || json_array_append_new(json_object_get(r->state, "resumes"), entry) != 0) {
        ea_err(PROG, "--resume: cannot record the resume (out of memory)");
        return EXIT_DATA;
    }
    if (save_state(r) != 0)
        return EXIT_DATA;
    r->started = 1;
    return 0;
}

static void interrupted(col_run *r)
{
    size_t rows = cfg_ul(r->cfg, "rows");
    const char *phase = cfg_str(r->state, "phase");

    if (strcmp(phase, "samples") == 0)
        ea_err(PROG, "interrupted (signal %d) while collecting samples; nothing is complete. "
                     "Continue with: ea90b collect --resume -o %s", (int)g_stop, r->a->dir);
    else if (strcmp(phase, "restarts") == 0)
        ea_err(PROG, "interrupted (signal %d) after %lu of %zu restarts; nothing is complete. "
                     "Continue with: ea90b collect --resume -o %s", (int)g_stop,
               cfg_ul(r->state, "restart_rows_done"), rows, r->a->dir);
    else
        ea_err(PROG, "interrupted (signal %d) while finishing (all data collected); nothing is "
                     "complete. Continue with: ea90b collect --resume -o %s", (int)g_stop, r->a->dir);
}

/* Remove what a fresh run wrote before its first phase ended, so DIR can be reused. */
static void discard(col_run *r)
{
    static const char *const names[] = {EA_COL_STATE, EA_COL_RAW_PART};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = ea_colpath(r->a->dir, names[i]);
        if (p != NULL)
            unlink(p);
        free(p);
    }
    ea_coldir_sweep_tmp(r->a->dir);
}

static int phases(col_run *r)
{
    int rc = 0;

    if (strcmp(cfg_str(r->state, "phase"), "samples") == 0) {
        rc = phase_samples(r);
        r->discard = rc == EXIT_DATA && !r->a->resume;
    }
    if (rc == 0 && strcmp(cfg_str(r->state, "phase"), "restarts") == 0)
        rc = phase_restarts(r);
    if (rc == 0 && g_stop)
        rc = INTERRUPTED;
    if (rc == 0)
        rc = phase_finish(r);
    return rc;
}

/* End of a run: an unfinished one saves its state (run_open false); the lock goes.
 * A resume refused before it started leaves the state file as it found it. */
static int close_run(col_run *r, int rc)
{
    if (r->discard) {
        discard(r);
    } else if (!r->complete && r->started) {
        r->closing = 1;
        save_state(r);
        if (rc == INTERRUPTED || g_stop) {
            interrupted(r);
            rc = EXIT_DATA;
        }
    }
    ea_coldir_unlock(r->a->dir, r->lock);
    if (r->discard && r->created)
        rmdir(r->a->dir);
    json_decref(r->state);
    json_decref(r->inherited);
    return rc == INTERRUPTED ? EXIT_DATA : rc;
}

static int run(col_args *a)
{
    col_run r;
    int rc;

    memset(&r, 0, sizeof r);
    r.a = a;
    r.lock = -1;
    install_handlers();
    rc = a->resume ? open_resume(&r) : open_fresh(&r);
    if (rc == 0) {
        r.cfg = json_object_get(r.state, "config");
        rc = phases(&r);
    }
    return close_run(&r, rc);
}

int ea_cmd_collect(int argc, char **argv)
{
    col_args a;
    int rc;

    memset(&a, 0, sizeof a);
    a.cmdline = ea_join_args(argc + 1, argv - 1);
    rc = parse_args(&a, argc, argv);
    /* No openssl.cnf: the collector and every restart process hash with the same
     * built-in provider, and a restart process starts faster (docs/collector.md). */
    if (rc < 0)
        OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | (a.child ? OPENSSL_INIT_NO_ATEXIT : 0),
                            NULL);
    if (rc < 0)
        rc = a.child ? run_child(&a) : run(&a);
    json_decref(a.given);
    json_decref(a.config);
    free(a.cmdline);
    return rc;
}
