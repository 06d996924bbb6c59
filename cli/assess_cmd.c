/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assess_cmd - ea90b assess: one or more collection directories (or
 * --collect to record one here first) to lab-ready reports. Options,
 * the seed, parallel jobs, the per-collection summary lines and, with
 * several directories, index.md / index.html side by side.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assess.h"
#include "ea90b_bootstrap.h"
#include "collect.h"
#include "commands.h"
#include "report.h"

#define PROG "ea90b assess"

typedef struct {
    ea_assess_opts *o;
    char **dirs;
    int ndirs;
    int next;
    int *rc;
    json_t **docs;
    pthread_mutex_t mu;
} pool;

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: ea90b assess (--claim H | --osr N) [options] DIR...\n"
            "       ea90b assess --collect (--claim H | --osr N) [options] DIR\n"
            "Assess collection directories (ea90b collect) and write DIR/report/\n"
            "(report.json, report.md, report.html); with several, also index.md/index.html.\n"
            "A series (collect --runs K): every run is assessed, the report gives each and the\n"
            "median with its interval, and the verdict rests on the lowest run.\n\n"
            "  --claim H            claimed min-entropy, bits per sample, in (0, bits]\n"
            "  --osr N              claim H = 1/N (jitterentropy's oversampling rate)\n"
            "  --seed N             permutation / simulation seed (default: drawn, printed)\n"
            "  --threads N          threads per collection (default: online CPUs / jobs); a\n"
            "                       series (collect --runs K) assesses that many runs at once\n"
            "  --jobs N             collections assessed at once (default 1); with one\n"
            "                       series, its runs assessed at once when above --threads\n"
            "  --conditioning SPEC  vetted,N_IN,N_OUT,NW[,H_IN] | nonvetted,N_IN,N_OUT,NW,H_PRIME\n"
            "  --alpha-log2 N       health-test false-positive probability 2^-N (default %d)\n"
            "  --simulate           restart cutoff by simulation, as NIST's tool (default exact)\n"
            "  --iid-claim          the noise source is claimed IID (SP 800-90B 3.1.1): the IID\n"
            "                       track decides when every IID test passes; without it the\n"
            "                       non-IID track decides and the IID tests are for information\n"
            "  --bootstrap B        add a percentile interval to each section 6.3 estimate: the\n"
            "                       estimates of M disjoint blocks, their median resampled B\n"
            "                       times (seeded; a series: the lowest run; docs/estimators.md)\n"
            "  --bootstrap-blocks M blocks for --bootstrap (default 10; each >= the estimators'\n"
            "                       minimum)\n"
            "  --all-iid-tests      run the permutation tests even when chi-square or LRS\n"
            "                       already failed (default: skipped, the verdict is settled)\n"
            "  --collect            record DIR first (ea90b collect's defaults, in this process)\n"
            "  --index-dir D        where index.md/index.html go (default .)\n"
            "  --failed NAME:REASON a collection that is not assessed (a fleet node that failed\n"
            "                       or sent a partial collection): listed in the index with\n"
            "                       REASON, never assessed; repeat for each (scripts/fleet)\n"
            "  -q, --quiet          no progress lines on stderr\n"
            "  -h, --help           this text\n",
            EA_ASSESS_HEALTH_ALPHA_LOG2);
}

static int bad(const char *what, const char *arg)
{
    return ea_usage_err(PROG, "ea90b assess", what, arg);
}

static int parse_positive(const char *s, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

enum { O_CLAIM = 256, O_OSR, O_SEED, O_THREADS, O_JOBS, O_COND, O_ALPHA, O_SIM, O_COLLECT, O_INDEX, O_ALLIID,
       O_IIDCLAIM, O_BOOT, O_BOOTBLOCKS, O_FAILED };

typedef struct {
    int collect;
    const char *index_dir;
    ea_index_unassessed *un;   /* --failed NAME:REASON, in the order given */
    size_t nun;
} extra_opts;

static void free_failed(extra_opts *x)
{
    for (size_t i = 0; i < x->nun; i++)
        free((char *)x->un[i].name);
    free(x->un);
    x->un = NULL;
    x->nun = 0;
}

/* --failed NAME:REASON: kept for the index (NAME copied, REASON points into argv). */
static int add_failed(extra_opts *x, const char *arg)
{
    const char *colon = strchr(arg, ':');
    ea_index_unassessed *un;
    char *name;

    if (colon == NULL || colon == arg || colon[1] == '\0')
        return bad("--failed needs NAME:REASON (a collection that was not assessed, and why)", arg);
    if (x->nun >= 4096)
        return bad("--failed given too many times (at most 4096)", arg);
    un = realloc(x->un, (x->nun + 1) * sizeof(*un));
    name = strndup(arg, (size_t)(colon - arg));
    if (un == NULL || name == NULL) {
        free(name);
        if (un != NULL)
            x->un = un;
        ea_err(PROG, "out of memory");
        return EXIT_DATA;
    }
    x->un = un;
    x->un[x->nun].name = name;
    x->un[x->nun++].reason = colon + 1;
    return -1;
}

static int parse_opt(ea_assess_opts *o, extra_opts *x, int c)
{
    unsigned long v;
    double d;
    const char *why;

    switch (c) {
    case O_CLAIM:
        if (parse_positive(optarg, &d) != 0 || !(d > 0.0) || d > 8.0)
            return bad("--claim needs a number of bits per sample in (0, bits], bits at most 8", optarg);
        o->claim = d;
        return -1;
    case O_OSR:
        if (ea_parse_ulong(optarg, &v) != 0 || v < 1 || v > 1000000)
            return bad("--osr needs an integer from 1 to 1000000", optarg);
        o->osr = (long)v;
        return -1;
    case O_SEED:
        if (ea_parse_ulong(optarg, &v) != 0)
            return bad("--seed needs a non-negative integer", optarg);
        o->seed = v;
        o->seed_given = 1;
        return -1;
    case O_THREADS:
    case O_JOBS:
        if (ea_parse_ulong(optarg, &v) != 0 || v < 1 || v > 256)
            return bad(c == O_JOBS ? "--jobs needs an integer from 1 to 256"
                                   : "--threads needs an integer from 1 to 256", optarg);
        *(c == O_JOBS ? &o->jobs : &o->threads) = (int)v;
        return -1;
    case O_COND:
        if (ea_cond_parse(optarg, &o->cond, &why) != 0) {
            ea_err(PROG, "--conditioning '%s': %s", optarg, why);
            return bad("--conditioning needs vetted,N_IN,N_OUT,NW[,H_IN] or nonvetted,N_IN,N_OUT,NW,H_PRIME", optarg);
        }
        return -1;
    case O_ALPHA:
        if (ea_parse_ulong(optarg, &v) != 0 || v < 1 || v > 60)
            return bad("--alpha-log2 needs an integer from 1 to 60", optarg);
        o->health_alpha_log2 = (int)v;
        return -1;
    case O_BOOT:
        if (ea_parse_ulong(optarg, &v) != 0 || v < 1 || v > EA_BOOTSTRAP_MAX_REPLICATES)
            return bad("--bootstrap needs a number of resamples from 1 to 100000 (e.g. 1000)",
                       optarg);
        o->bootstrap = (unsigned)v;
        return -1;
    case O_BOOTBLOCKS:
        if (ea_parse_ulong(optarg, &v) != 0 || v < 2 || v > EA_BOOTSTRAP_MAX_BLOCKS)
            return bad("--bootstrap-blocks needs a number of blocks from 2 to 1000", optarg);
        o->bootstrap_blocks = (unsigned)v;
        return -1;
    case O_SIM: o->simulate = 1; return -1;
    case O_ALLIID: o->all_permutations = 1; return -1;
    case O_IIDCLAIM: o->iid_claim = 1; return -1;
    case O_COLLECT: x->collect = 1; return -1;
    case O_INDEX: x->index_dir = optarg; return -1;
    case O_FAILED: return add_failed(x, optarg);
    case 'q': o->quiet = 1; return -1;
    case 'h': usage(stdout); return 0;
    default: return bad("invalid option", NULL);
    }
}

static int parse(ea_assess_opts *o, extra_opts *x, int argc, char **argv)
{
    static const struct option longs[] = {
        { "claim", required_argument, NULL, O_CLAIM }, { "osr", required_argument, NULL, O_OSR },
        { "seed", required_argument, NULL, O_SEED }, { "threads", required_argument, NULL, O_THREADS },
        { "jobs", required_argument, NULL, O_JOBS }, { "conditioning", required_argument, NULL, O_COND },
        { "alpha-log2", required_argument, NULL, O_ALPHA }, { "simulate", no_argument, NULL, O_SIM },
        { "all-iid-tests", no_argument, NULL, O_ALLIID },
        { "iid-claim", no_argument, NULL, O_IIDCLAIM },
        { "bootstrap", required_argument, NULL, O_BOOT },
        { "bootstrap-blocks", required_argument, NULL, O_BOOTBLOCKS },
        { "collect", no_argument, NULL, O_COLLECT }, { "index-dir", required_argument, NULL, O_INDEX },
        { "failed", required_argument, NULL, O_FAILED },
        { "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    int c, rc;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "qh", longs, NULL)) != -1)
        if ((rc = parse_opt(o, x, c)) >= 0)
            return rc;
    if (optind >= argc)
        return bad("missing collection directory", NULL);
    if ((o->claim > 0.0) == (o->osr > 0))
        return bad("give the claim with exactly one of --claim H or --osr N", NULL);
    if (x->collect && argc - optind != 1)
        return bad("--collect records exactly one directory", NULL);
    if (x->collect && x->nun > 0)
        return bad("--failed lists collections for an index; not with --collect", NULL);
    if (o->bootstrap_blocks > 0 && o->bootstrap == 0)
        return bad("--bootstrap-blocks needs --bootstrap B", NULL);
    if (o->bootstrap > 0 && o->bootstrap_blocks == 0)
        o->bootstrap_blocks = EA_ASSESS_BOOTSTRAP_BLOCKS;
    return -1;
}

/* --collect: record DIR with ea90b collect's defaults, in this process. */
static int run_collect(const char *dir, int quiet, int argc, char **argv)
{
    ea_col_config cfg = ea_col_config_default();
    char *cmdline = ea_join_args(argc + 1, argv - 1);
    ea_collect_req req = {.dir = dir, .cfg = &cfg, .mode = EA_COL_NEW, .command_line = cmdline,
                          .quiet = quiet};
    int rc;

    if (cmdline == NULL) {
        ea_err(PROG, "out of memory");
        return EXIT_DATA;
    }
    if (!quiet)
        fprintf(stderr, "%s: recording %s with ea90b collect's defaults\n", PROG, dir);
    rc = ea_collect_run(&req);
    free(cmdline);
    if (rc != 0)
        ea_err(PROG, "recording %s failed; nothing assessed", dir);
    return rc;
}

/*
 * The operands once each: a directory named twice (the same realpath)
 * would be assessed twice, the two runs racing on one DIR/report/.
 * Operands that do not resolve are kept (their assessment says why).
 * Returns the new count; dirs is rewritten in place.
 */
static int dedupe_dirs(char **dirs, int n)
{
    char **real = calloc((size_t)n, sizeof(*real));
    int out = 0;

    if (real == NULL)
        return n;
    for (int i = 0; i < n; i++) {
        char *r = realpath(dirs[i], NULL);
        int dup = -1;
        for (int k = 0; r != NULL && k < out && dup < 0; k++)
            if (real[k] != NULL && strcmp(real[k], r) == 0)
                dup = k;
        if (dup >= 0) {
            ea_err(PROG, "warning: '%s' is the same directory as '%s': assessed once", dirs[i], dirs[dup]);
            free(r);
            continue;
        }
        real[out] = r;
        dirs[out++] = dirs[i];
    }
    for (int i = 0; i < out; i++)
        free(real[i]);
    free(real);
    return out;
}

static void *worker(void *arg)
{
    pool *p = arg;

    for (;;) {
        int i;
        pthread_mutex_lock(&p->mu);
        i = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->ndirs)
            return NULL;
        p->rc[i] = ea_assess_dir(p->o, p->dirs[i], &p->docs[i]);
    }
}

static void run_pool(pool *p, int jobs)
{
    pthread_t th[256];
    int n = 0;

    for (; n < jobs && n < p->ndirs; n++)
        if (pthread_create(&th[n], NULL, worker, p) != 0)
            break;
    if (n == 0)
        worker(p);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
}

/* Number of '/'-separated components of an absolute path. */
static size_t components(const char *p, const char **at, size_t max)
{
    size_t n = 0;

    while (*p != '\0' && n < max) {
        while (*p == '/')
            p++;
        if (*p == '\0')
            break;
        at[n++] = p;
        p += strcspn(p, "/");
    }
    return n;
}

/* dir relative to from (both resolved); dir as given when either cannot be. */
static char *rel_link(const char *from, const char *dir)
{
    char *a = realpath(from, NULL), *b = realpath(dir, NULL), *out = NULL;
    const char *ca[512], *cb[512];
    size_t na, nb, k = 0, len = 0;
    FILE *m;

    if (a != NULL && b != NULL && (m = open_memstream(&out, &len)) != NULL) {
        na = components(a, ca, 512);
        nb = components(b, cb, 512);
        while (k < na && k < nb && strcspn(ca[k], "/") == strcspn(cb[k], "/") &&
               strncmp(ca[k], cb[k], strcspn(ca[k], "/")) == 0)
            k++;
        for (size_t i = k; i < na; i++)
            fprintf(m, "%s..", i > k ? "/" : "");
        for (size_t i = k; i < nb; i++)
            fprintf(m, "%s%.*s", i > k || na > k ? "/" : "", (int)strcspn(cb[i], "/"), cb[i]);
        if (na == k && nb == k)
            fputc('.', m);
        if (fclose(m) != 0) {
            free(out);
            out = NULL;
        }
    }
    free(a);
    free(b);
    return out != NULL ? out : strdup(dir);
}

static int write_index(const char *dir, json_t **docs, char **names, int n, const extra_opts *x)
{
    const char *which[2] = { "index.md", "index.html" };
    char **links = calloc((size_t)n, sizeof(*links));
    int rc = 0;

    for (int i = 0; links != NULL && i < n; i++)
        if ((links[i] = rel_link(dir, names[i])) == NULL)
            rc = EXIT_DATA;
    if (links == NULL || rc != 0) {
        ea_err(PROG, "out of memory");
        rc = EXIT_DATA;
    }

    for (int k = 0; k < 2 && rc == 0; k++) {
        char path[4096];
        ea_outfile out;
        if (ea_join(PROG, path, sizeof path, dir, which[k]) != 0 ||
            ea_out_open(PROG, path, &out) != 0) {
            rc = EXIT_DATA;
            break;
        }
        if ((k ? ea_report_index_html_ex : ea_report_index_md_ex)(out.f, (const json_t *const *)docs,
                                                                 (const char *const *)names,
                                                                 (const char *const *)links, (size_t)n,
                                                                 x->un, x->nun) != 0) {
            ea_out_abort(&out);
            ea_err(PROG, "cannot write '%s'", path);
            rc = EXIT_DATA;
            break;
        }
        rc = ea_out_commit(PROG, &out) != 0 ? EXIT_DATA : 0;
        if (rc == 0)
            printf("index: %s\n", path);
    }
    for (int i = 0; links != NULL && i < n; i++)
        free(links[i]);
    free(links);
    return rc;
}

static void summary_line(const char *dir, const json_t *d)
{
    char ser[160] = "";

    if (json_is_array(ea_report_get(d, "series.values")))
        snprintf(ser, sizeof ser, "; lowest of %.0f runs, median %.6g [%.6g, %.6g]",
                 ea_report_num(d, "series.runs", 0), ea_report_num(d, "series.median", 0),
                 ea_report_num(d, "series.median_ci.lower", 0),
                 ea_report_num(d, "series.median_ci.upper", 0));
    printf("%s: %s  claim %.6g  assessed %.6g (%s%s)  restart %s  [%s]  -> %s/report/report.html\n",
           dir, ea_report_str(d, "verdict.status", "?"), ea_report_num(d, "claim.h", 0),
           ea_report_num(d, "verdict.h_assessed", 0), ea_report_str(d, "verdict.track", "?"), ser,
           ea_report_bool(d, "verdict.restart_passed") == 1   ? "pass"
           : ea_report_bool(d, "verdict.restart_passed") == 0 ? "FAIL"
                                                              : "n/a",
           ea_report_source_kind(d), dir);
}

static int finish(pool *p, const extra_opts *x)
{
    int worst = 0, ok = 0;

    for (int i = 0; i < p->ndirs; i++) {
        if (p->rc[i] == 0) {
            summary_line(p->dirs[i], p->docs[i]);
            ok++;
        }
        if (p->rc[i] > worst)
            worst = p->rc[i];
    }
    for (size_t i = 0; i < x->nun; i++)
        printf("%s: NOT ASSESSED (%s)\n", x->un[i].name, x->un[i].reason);
    if ((p->ndirs > 1 || x->nun > 0) && ok == p->ndirs)
        worst = write_index(x->index_dir, p->docs, p->dirs, p->ndirs, x);
    else if (p->ndirs > 1 || x->nun > 0)
        ea_err(PROG, "%d of %d collections failed; no index written", p->ndirs - ok, p->ndirs);
    return worst;
}

int ea_cmd_assess(int argc, char **argv)
{
    ea_assess_opts o = { .prog = PROG, .jobs = 1, .health_alpha_log2 = EA_ASSESS_HEALTH_ALPHA_LOG2 };
    extra_opts x = {.collect = 0, .index_dir = ".", .un = NULL, .nun = 0};
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pool p;
    int rc;

    if ((rc = parse(&o, &x, argc, argv)) >= 0) {
        free_failed(&x);
        return rc;
    }
    if (!o.seed_given && ea_draw_seed(PROG, &o.seed) != 0) {
        free_failed(&x);
        return EXIT_DATA;
    }
    if (x.collect && (rc = run_collect(argv[optind], o.quiet, argc, argv)) != 0)
        return rc;
    if (o.threads == 0)
        o.threads = ea_online_cpus() / o.jobs > 1 ? ea_online_cpus() / o.jobs : 1;
    o.lock = &lock;
    o.commandline = ea_join_args(argc + 1, argv - 1);
    fprintf(stderr, "%s: seed %" PRIu64 "%s\n", PROG, o.seed,
            o.seed_given ? "" : " (drawn; rerun with --seed to reproduce)");
    memset(&p, 0, sizeof p);
    p.o = &o;
    p.dirs = argv + optind;
    p.ndirs = dedupe_dirs(p.dirs, argc - optind);
    /* a series' runs at once: its --threads; one directory given --jobs N runs N */
    o.series_workers = p.ndirs == 1 && o.jobs > o.threads ? o.jobs : o.threads;
    p.rc = calloc((size_t)p.ndirs, sizeof(*p.rc));
    p.docs = calloc((size_t)p.ndirs, sizeof(*p.docs));
    pthread_mutex_init(&p.mu, NULL);
    if (o.commandline == NULL || p.rc == NULL || p.docs == NULL) {
        ea_err(PROG, "out of memory");
        rc = EXIT_DATA;
    } else {
        run_pool(&p, o.jobs);
        rc = finish(&p, &x);
    }
    for (int i = 0; p.docs != NULL && i < p.ndirs; i++)
        json_decref(p.docs[i]);
    free(p.docs);
    free(p.rc);
    free(o.commandline);
    free_failed(&x);
    pthread_mutex_destroy(&p.mu);
    return rc;
}
