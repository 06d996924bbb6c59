/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bootstrap.c - the SP 800-90B §6.3 non-IID estimates (§6.3.1-6.3.10,
 * combined as §3.1.3 and noniid.c do) of M disjoint blocks of one
 * dataset, and a percentile bootstrap interval for each statistic's
 * median over the blocks. SP 800-90B asks for no interval; this is the
 * method of Theseus's `non-iid-main -L <blocksize> -B <c>,<rounds>`
 * (J. Hill, KeyPair Consulting): assess blocks, then bootstrap the
 * per-block assessments.
 *
 * What the interval means: each block is an independent §6.3 assessment
 * of L = floor(n / M) samples; the block values show how much the
 * estimate at that size varies over the data, and the interval says how
 * precisely their median is known from M blocks. It is not an interval
 * for the full-data estimate on n samples, a different quantity: the
 * predictors (MultiMCW, Lag, MultiMMC, LZ78Y) learn for longer, the
 * t-tuple and LRS thresholds and every confidence-bound term (the
 * 2.576 sqrt(p(1-p)/(N-1)) of §6.3.1 and its kin) change with n, so the
 * full-data value usually sits somewhat above the block median. The
 * caller shows both.
 *
 * Why blocks and not resampled data: a bootstrap that resamples the raw
 * samples (with replacement, even in blocks) repeats stretches of data,
 * and t-tuple, LRS, MultiMMC, LZ78Y and compression read repeats as
 * predictability, so every replicate looks far less random than the data
 * (IID 8-bit data: about 0.7 bits against 5.9). Disjoint blocks are
 * genuine data; only the per-block numbers are resampled.
 *
 * Blocks: block b holds samples b*L .. b*L + L - 1; the last n mod M
 * samples are not used. Each is built with ea_dataset_init(&blk,
 * ds->raw + b*L, L, ds->bits), so it has its own alphabet and mapping
 * (what ea90b would do with those samples in a file of their own) and
 * the dataset's width; its bitstring is the bits of its own samples, cut
 * to ds->blen when L * bits is longer (the dataset's -t cut, if any,
 * applies to each block as it would to each block's file). Each block
 * runs ea_noniid_run with one thread in opt->initial's mode; workers take
 * block numbers from a shared counter and store block b's values at
 * index b, so who assesses a block never matters. A block
 * ea_noniid_run refuses (one symbol, too short for its own alphabet)
 * gives no values (skipped); one where an estimator failed keeps the
 * other estimator values, not the h_* values (ea_noniid_run would not
 * report them), and is counted in failed. Only running out of memory
 * (in a block's dataset or estimator) stops the whole call. A missing
 * value is held as -1.
 *
 * Interval: Efron's percentile interval (Efron and Tibshirani, "An
 * Introduction to the Bootstrap", 1993, §13.3) for the median of the m
 * block values of one statistic. Replicate r of statistic s (numbered as
 * in ea90b_bootstrap.h) draws m indices into the ascending block values
 * v[0..m-1], in order, with ea_rng_range(&g, m - 1) from
 * ea_rng_seed(&g, seed, s * EA_BOOTSTRAP_MAX_REPLICATES + r) (rng.c
 * specifies both exactly; streams stay below 2^32 as rng.c asks), and
 * takes the median of the drawn values. The interval is the
 * (1 - level)/2 and (1 + level)/2 quantiles of the B replicate medians.
 * All quantiles are Hyndman and Fan's type 7 ("Sample quantiles in
 * statistical packages", 1996; R's default): h = (m - 1) p,
 * Q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]), clamped to
 * those two values against rounding. A replicate's median is found from
 * how often each index was drawn, without sorting (the drawn values
 * sorted are v[0] repeated count[0] times, then v[1] ...), so B = 10^5
 * replicates of M = 1000 blocks cost seconds, not minutes.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b_bootstrap.h"
#include "shared.h"

/* Statistics recorded per block, numbered as ea90b_bootstrap.h states. */
enum {
    ST_LITERAL = 0,
    ST_BITSTRING = ST_LITERAL + EA_EST_COUNT,
    ST_LRS_LITERAL = ST_BITSTRING + EA_EST_COUNT,
    ST_LRS_BITSTRING,
    ST_H_ORIGINAL,
    ST_H_BITSTRING,
    ST_H_ASSESSED,
    ST_COUNT
};

#define MAX_WORKERS 64          /* as ea_run_threads */
#define MAX_SAMPLES 2147483647u /* the estimators' 32-bit positions (estimators.md) */
#define NO_VALUE (-1.0)

typedef struct {
    const ea_dataset *ds;
    const ea_bootstrap_opts *opt;
    size_t L;                   /* samples per block */
    double *vals;               /* vals[stat * M + block] */
    ea_noniid_result *res;      /* one per worker */
    atomic_int next_res;        /* hands each worker its own res */
    atomic_uint next;           /* the next block to assess */
    atomic_uint skipped, failed;
    atomic_int status;          /* the first error that stops the run */
} boot_job;

/* Work space for the bootstrap of one statistic. */
typedef struct {
    double *v;                  /* the m block values, ascending */
    unsigned *count;            /* how often each index was drawn */
    double *reps;               /* the B replicate medians */
} boot_space;

ea_bootstrap_opts ea_bootstrap_opts_default(void)
{
    return (ea_bootstrap_opts){
        .replicates = 1000, .blocks = 10, .level = 0.95, .seed = 0, .threads = 1, .initial = 1,
    };
}

static ea_status check_opts(const ea_bootstrap_opts *opt)
{
    if (opt->replicates < 1 || opt->replicates > EA_BOOTSTRAP_MAX_REPLICATES)
        return EA_ERR_ARG;
    if (opt->blocks < 2 || opt->blocks > EA_BOOTSTRAP_MAX_BLOCKS)
        return EA_ERR_ARG;
    if (!(opt->level > 0.0 && opt->level < 1.0))
        return EA_ERR_ARG;
    return EA_OK;
}

/* What ea_noniid_run says of ds before it runs an estimator, then the blocks. */
static ea_status check_dataset(const ea_dataset *ds, const ea_bootstrap_opts *opt)
{
    if (ds->raw == NULL || ds->symbols == NULL || ds->len == 0 || ds->len > MAX_SAMPLES)
        return EA_ERR_ARG;
    if (ds->alph_size <= 1)
        return EA_ERR_ONE_SYMBOL;
    if (ds->len < ea_noniid_min_samples(ds, opt->initial) ||
        ((ds->alph_size > 2 || !opt->initial) && ds->blen < EA_NONIID_MIN_BINARY))
        return EA_ERR_TOO_SHORT;
    if (ds->len / opt->blocks < ea_noniid_min_samples(ds, opt->initial))
        return EA_ERR_TOO_SHORT;
    return EA_OK;
}

/* Every estimator side's value (-1 where there is none). */
static void side_values(const ea_noniid_result *res, double v[ST_COUNT])
{
    for (int id = 0; id < EA_EST_COUNT; id++) {
        v[ST_LITERAL + id] = ea_noniid_side_h((ea_estimator_id)id, &res->literal[id], 0);
        v[ST_BITSTRING + id] = ea_noniid_side_h((ea_estimator_id)id, &res->bitstring[id], 0);
    }
    v[ST_LRS_LITERAL] = ea_noniid_side_h(EA_EST_TTUPLE, &res->literal[EA_EST_TTUPLE], 1);
    v[ST_LRS_BITSTRING] = ea_noniid_side_h(EA_EST_TTUPLE, &res->bitstring[EA_EST_TTUPLE], 1);
}

static void h_values(const ea_noniid_result *res, double v[ST_COUNT])
{
    v[ST_H_ORIGINAL] = res->has_literal ? res->h_original : NO_VALUE;
    v[ST_H_BITSTRING] = res->has_bitstring ? res->h_bitstring : NO_VALUE;
    v[ST_H_ASSESSED] = res->h_assessed;
}

/* Store block b's values from its run's status st and result. */
static ea_status record(boot_job *j, const ea_noniid_result *res, ea_status st, unsigned b)
{
    double v[ST_COUNT];
    unsigned M = j->opt->blocks;

    if (st == EA_ERR_NOMEM)
        return st;
    for (int s = 0; s < ST_COUNT; s++)
        v[s] = NO_VALUE;
    if (st == EA_ERR_ONE_SYMBOL || st == EA_ERR_TOO_SHORT) {
        atomic_fetch_add(&j->skipped, 1u);
    } else {
        side_values(res, v);
        if (st == EA_OK)
            h_values(res, v);
        else
            atomic_fetch_add(&j->failed, 1u);
    }
    for (int s = 0; s < ST_COUNT; s++)
        j->vals[(size_t)s * M + b] = v[s];
    return EA_OK;
}

static ea_status assess_block(boot_job *j, ea_noniid_result *res, unsigned b)
{
    const ea_dataset *ds = j->ds;
    ea_noniid_opts o = { .initial = j->opt->initial, .threads = 1 };
    ea_dataset blk;
    ea_status st;

    st = ea_dataset_init(&blk, ds->raw + (size_t)b * j->L, j->L, ds->bits);
    if (st != EA_OK)
        return st;
    ea_dataset_truncate_bits(&blk, ds->blen);
    st = ea_noniid_run(&blk, &o, res);
    ea_dataset_free(&blk);
    return record(j, res, st, b);
}

static int worker(void *arg)
{
    boot_job *j = arg;
    ea_noniid_result *res = &j->res[atomic_fetch_add(&j->next_res, 1)];
    unsigned b;
    ea_status st;
    int ok;

    while (atomic_load(&j->status) == EA_OK &&
           (b = atomic_fetch_add(&j->next, 1u)) < j->opt->blocks) {
        st = assess_block(j, res, b);
        ok = EA_OK;
        if (st != EA_OK)
            atomic_compare_exchange_strong(&j->status, &ok, (int)st);
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* x + f (y - x), clamped to [x, y] against rounding (x <= y). */
static double between(double x, double y, double f)
{
    double q = x + f * (y - x);

    return q < x ? x : q > y ? y : q;
}

/* Hyndman-Fan type 7 quantile p of m sorted values. */
static double quantile7(const double *x, unsigned m, double p)
{
    double h = (double)(m - 1) * p;
    unsigned i = (unsigned)floor(h);

    if (i >= m - 1)
        return x[m - 1];
    return between(x[i], x[i + 1], h - (double)i);
}

/* The value at 0-based position pos of v[] repeated count[] times each. */
static double nth_drawn(const double *v, const unsigned *count, unsigned pos)
{
    unsigned i = 0, seen = count[0];

    while (seen <= pos)
        seen += count[++i];
    return v[i];
}

/* Replicate `stream`'s type 7 median of m draws from the m values sp->v. */
static double replicate_median(boot_space *sp, unsigned m, uint64_t seed, uint64_t stream)
{
    double h = (double)(m - 1) * 0.5;
    unsigned lo = (unsigned)floor(h);
    ea_rng g;

    memset(sp->count, 0, (size_t)m * sizeof *sp->count);
    ea_rng_seed(&g, seed, stream);
    for (unsigned k = 0; k < m; k++)
        sp->count[ea_rng_range(&g, (uint64_t)(m - 1))]++;
    if (lo >= m - 1)
        return nth_drawn(sp->v, sp->count, m - 1);
    return between(nth_drawn(sp->v, sp->count, lo), nth_drawn(sp->v, sp->count, lo + 1),
                   h - (double)lo);
}

/* Statistic s's summary from its M block values. */
static void summarise(const double *vals, unsigned s, const ea_bootstrap_opts *opt,
                      boot_space *sp, ea_bootstrap_ci *ci)
{
    unsigned m = 0, B = opt->replicates;

    for (unsigned b = 0; b < opt->blocks; b++)
        if (vals[b] >= 0.0 && isfinite(vals[b]))
            sp->v[m++] = vals[b];
    memset(ci, 0, sizeof *ci);
    if (m == 0)
        return;
    qsort(sp->v, m, sizeof *sp->v, cmp_double);
    for (unsigned r = 0; r < B; r++)
        sp->reps[r] = replicate_median(sp, m, opt->seed,
                                       (uint64_t)s * EA_BOOTSTRAP_MAX_REPLICATES + r);
    qsort(sp->reps, B, sizeof *sp->reps, cmp_double);
    ci->valid = 1;
    ci->count = m;
    ci->median = quantile7(sp->v, m, 0.5);
    ci->lower = quantile7(sp->reps, B, (1.0 - opt->level) / 2.0);
    ci->upper = quantile7(sp->reps, B, (1.0 + opt->level) / 2.0);
    ci->block_min = sp->v[0];
    ci->block_max = sp->v[m - 1];
}

static ea_bootstrap_ci *ci_of(ea_bootstrap_result *out, int s)
{
    if (s < ST_BITSTRING)
        return &out->literal[s - ST_LITERAL];
    if (s < ST_LRS_LITERAL)
        return &out->bitstring[s - ST_BITSTRING];
    switch (s) {
    case ST_LRS_LITERAL:   return &out->lrs_literal;
    case ST_LRS_BITSTRING: return &out->lrs_bitstring;
    case ST_H_ORIGINAL:    return &out->h_original;
    case ST_H_BITSTRING:   return &out->h_bitstring;
    default:               return &out->h_assessed;
    }
}

static ea_status summarise_all(const boot_job *j, ea_bootstrap_result *out)
{
    unsigned M = j->opt->blocks;
    boot_space sp = {
        .v = malloc((size_t)M * sizeof *sp.v),
        .count = malloc((size_t)M * sizeof *sp.count),
        .reps = malloc((size_t)j->opt->replicates * sizeof *sp.reps),
    };
    ea_status st = EA_ERR_NOMEM;

    if (sp.v != NULL && sp.count != NULL && sp.reps != NULL) {
        for (int s = 0; s < ST_COUNT; s++)
            summarise(j->vals + (size_t)s * M, (unsigned)s, j->opt, &sp, ci_of(out, s));
        st = EA_OK;
    }
    free(sp.v);
    free(sp.count);
    free(sp.reps);
    return st;
}

/* Workers: threads, at least 1, at most MAX_WORKERS and M. */
static int worker_count(const ea_bootstrap_opts *opt)
{
    int w = opt->threads < 1 ? 1 : opt->threads > MAX_WORKERS ? MAX_WORKERS : opt->threads;

    return (unsigned)w > opt->blocks ? (int)opt->blocks : w;
}

/* Assess every block on nworkers threads, then summarise. */
static ea_status run_job(boot_job *j, int nworkers, ea_bootstrap_result *out)
{
    ea_status st;

    j->vals = malloc((size_t)ST_COUNT * j->opt->blocks * sizeof *j->vals);
    j->res = malloc((size_t)nworkers * sizeof *j->res);
    if (j->vals == NULL || j->res == NULL)
        return EA_ERR_NOMEM;
    ea_run_threads(worker, j, nworkers);
    if ((st = (ea_status)atomic_load(&j->status)) != EA_OK)
        return st;
    out->skipped = atomic_load(&j->skipped);
    out->failed = atomic_load(&j->failed);
    return summarise_all(j, out);
}

ea_status ea_bootstrap_noniid(const ea_dataset *ds, const ea_bootstrap_opts *opt,
                              ea_bootstrap_result *out)
{
    double t0 = ea_seconds_now();
    boot_job j = { .ds = ds, .opt = opt };
    ea_status st;

    if (ds == NULL || opt == NULL || out == NULL)
        return EA_ERR_ARG;
    memset(out, 0, sizeof *out);
    if ((st = check_opts(opt)) != EA_OK || (st = check_dataset(ds, opt)) != EA_OK)
        return st;
    j.L = ds->len / opt->blocks;
    atomic_init(&j.next_res, 0);
    atomic_init(&j.next, 0u);
    atomic_init(&j.skipped, 0u);
    atomic_init(&j.failed, 0u);
    atomic_init(&j.status, EA_OK);
    st = run_job(&j, worker_count(opt), out);
    free(j.res);
    free(j.vals);
    if (st != EA_OK) {
        memset(out, 0, sizeof *out);
        return st;
    }
    out->replicates = opt->replicates;
    out->blocks = opt->blocks;
    out->block_samples = j.L;
    out->seconds = ea_seconds_now() - t0;
    return EA_OK;
}
