/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_bootstrap.c - unit tests for the block assessments and percentile
 * bootstrap of the §6.3 estimates (bootstrap.c): results that depend on
 * the seed and never on the thread count, the seeding rule and type 7
 * quantiles recomputed here from ea90b_bootstrap.h's description, blocks
 * cut as documented (tail unused, bitstring cut), skipped blocks,
 * argument errors, and where the numbers sit on IID data against
 * ea_noniid_run itself.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b_bootstrap.h"

/* n uniform samples below 2^bits from ea_rng (free() it). */
static uint8_t *uniform_data(size_t n, int bits, uint64_t seed)
{
    uint8_t *d = malloc(n);
    ea_rng g;

    cr_assert_not_null(d);
    ea_rng_seed(&g, seed, 0);
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)(ea_rng_next(&g) >> (64 - bits));
    return d;
}

/*
 * Dependent data whose stickiness drifts: each sample repeats the previous
 * one with a probability that rises from 0 to 3/4 along the data, so the
 * blocks' estimates differ from one another.
 */
static uint8_t *sticky_data(size_t n, int bits, uint64_t seed)
{
    uint8_t *d = uniform_data(n, bits, seed);
    ea_rng g;

    ea_rng_seed(&g, seed, 1);
    for (size_t i = 1; i < n; i++)
        if ((double)(ea_rng_next(&g) >> 11) * 0x1p-53 < 0.75 * (double)i / (double)n)
            d[i] = d[i - 1];
    return d;
}

static void load(ea_dataset *ds, uint8_t *d, size_t n, int bits)
{
    cr_assert_eq(ea_dataset_init(ds, d, n, bits), EA_OK);
    free(d);
}

static ea_bootstrap_opts opts(unsigned B, unsigned M, uint64_t seed, int threads)
{
    ea_bootstrap_opts o = ea_bootstrap_opts_default();

    o.replicates = B;
    o.blocks = M;
    o.seed = seed;
    o.threads = threads;
    return o;
}

static void run_ok(const ea_dataset *ds, const ea_bootstrap_opts *o, ea_bootstrap_result *r)
{
    cr_assert_eq(ea_bootstrap_noniid(ds, o, r), EA_OK);
    cr_assert_eq(r->replicates, o->replicates);
    cr_assert_eq(r->blocks, o->blocks);
    cr_assert_eq(r->block_samples, ds->len / o->blocks);
}

/* Every statistic of a result, in ea90b_bootstrap.h's numbering s = 0 .. 22. */
#define N_CI (2 * EA_EST_COUNT + 5)
enum { S_LRS_BITSTRING = 2 * EA_EST_COUNT + 1, S_H_ASSESSED = 2 * EA_EST_COUNT + 4 };

static void all_cis(const ea_bootstrap_result *r, const ea_bootstrap_ci *ci[N_CI])
{
    for (int i = 0; i < EA_EST_COUNT; i++) {
        ci[i] = &r->literal[i];
        ci[EA_EST_COUNT + i] = &r->bitstring[i];
    }
    ci[2 * EA_EST_COUNT] = &r->lrs_literal;
    ci[2 * EA_EST_COUNT + 1] = &r->lrs_bitstring;
    ci[2 * EA_EST_COUNT + 2] = &r->h_original;
    ci[2 * EA_EST_COUNT + 3] = &r->h_bitstring;
    ci[2 * EA_EST_COUNT + 4] = &r->h_assessed;
}

static int count_valid(const ea_bootstrap_result *r)
{
    const ea_bootstrap_ci *ci[N_CI];
    int v = 0;

    all_cis(r, ci);
    for (int i = 0; i < N_CI; i++)
        v += ci[i]->valid;
    return v;
}

/* The same bits in every statistic and count. */
static void assert_same(const ea_bootstrap_result *a, const ea_bootstrap_result *b)
{
    const ea_bootstrap_ci *ca[N_CI], *cb[N_CI];

    all_cis(a, ca);
    all_cis(b, cb);
    for (int i = 0; i < N_CI; i++)
        cr_assert(memcmp(ca[i], cb[i], sizeof *ca[i]) == 0, "statistic %d differs", i);
    cr_assert_eq(a->skipped, b->skipped);
    cr_assert_eq(a->failed, b->failed);
    cr_assert_eq(a->block_samples, b->block_samples);
}

static int any_interval_differs(const ea_bootstrap_result *a, const ea_bootstrap_result *b)
{
    const ea_bootstrap_ci *ca[N_CI], *cb[N_CI];

    all_cis(a, ca);
    all_cis(b, cb);
    for (int i = 0; i < N_CI; i++)
        if (ca[i]->valid && cb[i]->valid &&
            (ca[i]->lower != cb[i]->lower || ca[i]->upper != cb[i]->upper))
            return 1;
    return 0;
}

/*
 * lower <= upper, block_min <= median <= block_max, and the interval inside
 * [block_min, block_max] (every replicate median is a mean of block values);
 * counts within M; invalid statistics all zero.
 */
static void assert_ordered(const ea_bootstrap_result *r)
{
    const ea_bootstrap_ci *ci[N_CI];

    all_cis(r, ci);
    for (int i = 0; i < N_CI; i++) {
        const ea_bootstrap_ci *c = ci[i];
        cr_assert(c->count <= r->blocks - r->skipped, "statistic %d count %u", i, c->count);
        if (!c->valid) {
            cr_assert(c->count == 0 && c->median == 0.0 && c->lower == 0.0 && c->upper == 0.0 &&
                      c->block_min == 0.0 && c->block_max == 0.0, "statistic %d", i);
            continue;
        }
        cr_assert(c->count > 0);
        cr_assert(c->lower <= c->upper, "statistic %d: %.17g > %.17g", i, c->lower, c->upper);
        cr_assert(c->block_min <= c->median && c->median <= c->block_max,
                  "statistic %d: %.17g %.17g %.17g", i, c->block_min, c->median, c->block_max);
        cr_assert(c->block_min <= c->lower && c->upper <= c->block_max, "statistic %d", i);
        cr_assert(c->block_min >= 0.0);
    }
}

Test(bootstrap, same_seed_same_result_any_thread_count)
{
    static const struct { size_t n; int bits; unsigned M; } cases[] = {
        { 2400, 4, 8 }, { 3000, 1, 5 },
    };

    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ea_dataset ds;
        ea_bootstrap_opts o1 = opts(200, cases[c].M, 42, 1), o3 = opts(200, cases[c].M, 42, 3),
                          o8 = opts(200, cases[c].M, 42, 8);
        ea_bootstrap_result r1, r3, r8;

        load(&ds, sticky_data(cases[c].n, cases[c].bits, 5), cases[c].n, cases[c].bits);
        run_ok(&ds, &o1, &r1);
        run_ok(&ds, &o3, &r3);
        run_ok(&ds, &o8, &r8);   /* 8 threads, 5 blocks in the second case */
        cr_assert(count_valid(&r1) >= 8, "case %zu: %d statistics", c, count_valid(&r1));
        cr_assert_eq(r1.skipped, 0u);
        assert_same(&r1, &r3);
        assert_same(&r1, &r8);
        assert_ordered(&r1);
        ea_dataset_free(&ds);
    }
}

Test(bootstrap, different_seed_different_intervals)
{
    ea_dataset ds;
    ea_bootstrap_opts o1 = opts(50, 8, 1, 2), o2 = opts(50, 8, 2, 2);
    ea_bootstrap_result r1, r2;

    load(&ds, sticky_data(2400, 4, 6), 2400, 4);
    run_ok(&ds, &o1, &r1);
    run_ok(&ds, &o2, &r2);
    cr_assert(count_valid(&r1) > 0 && count_valid(&r1) == count_valid(&r2));
    cr_assert(r1.h_assessed.block_min < r1.h_assessed.block_max);   /* blocks differ */
    cr_assert(r1.h_assessed.median == r2.h_assessed.median);        /* no draws in it */
    cr_assert(any_interval_differs(&r1, &r2));
    assert_ordered(&r1);
    assert_ordered(&r2);
    ea_dataset_free(&ds);
}

Test(bootstrap, one_replicate_gives_a_point)
{
    const ea_bootstrap_ci *ci[N_CI];
    ea_dataset ds;
    ea_bootstrap_opts o = opts(1, 6, 7, 2);
    ea_bootstrap_result r;

    load(&ds, sticky_data(1800, 3, 7), 1800, 3);
    run_ok(&ds, &o, &r);
    all_cis(&r, ci);
    cr_assert(count_valid(&r) > 0);
    for (int i = 0; i < N_CI; i++)
        if (ci[i]->valid)
            cr_assert(ci[i]->lower == ci[i]->upper, "statistic %d", i);
    assert_ordered(&r);
    ea_dataset_free(&ds);
}

/*
 * Worked by hand: two blocks with values v0 < v1. The type 7 median of two
 * values is their mean. A replicate draws two indices, so its median is v0
 * (probability 1/4), (v0 + v1) / 2 or v1 (1/4); with B = 1000 the 0.05%
 * and 99.95% quantiles (h = 0.4995 and 998.5005) fall between the two
 * smallest and the two largest replicate medians, which are v0 and v1
 * unless fewer than two of 1000 draws hit them (probability below 1e-120).
 */
Test(bootstrap, two_blocks_by_hand)
{
    ea_dataset ds;
    ea_bootstrap_opts o = opts(1000, 2, 3, 1);
    ea_bootstrap_result r;
    const ea_bootstrap_ci *c = &r.bitstring[EA_EST_MCV];

    o.level = 0.999;
    load(&ds, sticky_data(4000, 4, 21), 4000, 4);
    run_ok(&ds, &o, &r);
    cr_assert(c->valid && c->count == 2);
    cr_assert(c->block_min < c->block_max);
    cr_assert_float_eq(c->median, (c->block_min + c->block_max) / 2.0, 1e-15);
    cr_assert(c->lower == c->block_min && c->upper == c->block_max,
              "[%.17g, %.17g] against [%.17g, %.17g]", c->lower, c->upper, c->block_min,
              c->block_max);
    ea_dataset_free(&ds);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Type 7, written from the header's formula, not from bootstrap.c. */
static double q7(const double *x, unsigned m, double p)
{
    double h = (double)(m - 1) * p;
    unsigned j = (unsigned)floor(h);

    return j >= m - 1 ? x[m - 1] : x[j] + (h - (double)j) * (x[j + 1] - x[j]);
}

/* Statistic s per ea90b_bootstrap.h from its m block values v (sorted here). */
static void direct_summary(double *v, unsigned m, unsigned s, const ea_bootstrap_opts *o,
                           ea_bootstrap_ci *ci)
{
    double *reps = malloc(o->replicates * sizeof *reps), *w = malloc(m * sizeof *w);

    cr_assert(reps != NULL && w != NULL && m > 0);
    qsort(v, m, sizeof *v, cmp_double);
    for (unsigned r = 0; r < o->replicates; r++) {
        ea_rng g;
        ea_rng_seed(&g, o->seed, (uint64_t)s * 100000u + r);
        for (unsigned k = 0; k < m; k++)
            w[k] = v[ea_rng_range(&g, m - 1)];
        qsort(w, m, sizeof *w, cmp_double);
        reps[r] = q7(w, m, 0.5);
    }
    qsort(reps, o->replicates, sizeof *reps, cmp_double);
    ci->median = q7(v, m, 0.5);
    ci->lower = q7(reps, o->replicates, (1.0 - o->level) / 2.0);
    ci->upper = q7(reps, o->replicates, (1.0 + o->level) / 2.0);
    ci->block_min = v[0];
    ci->block_max = v[m - 1];
    free(reps);
    free(w);
}

/*
 * Everything recomputed from the header's description: blocks of L samples
 * with their own alphabet and the bitstring cut to the dataset's (cut here
 * to 700 of 1000 bits), each assessed by ea_noniid_run; then, per statistic,
 * the seeding rule (stream s * 100000 + r), the draws and type 7 quantiles
 * at h = 0.6 and 6.6 (B = 8, level 0.8) and a median between the middle two
 * of six blocks.
 */
Test(bootstrap, matches_a_direct_computation)
{
    enum { M = 6, L = 250, B = 8 };
    static const struct { unsigned s; ea_estimator_id id; int bitstring, lrs; } stats[] = {
        { EA_EST_MCV, EA_EST_MCV, 0, 0 },
        { EA_EST_COUNT + EA_EST_MCV, EA_EST_MCV, 1, 0 },
        { EA_EST_COUNT + EA_EST_LAG, EA_EST_LAG, 1, 0 },
        { S_LRS_BITSTRING, EA_EST_TTUPLE, 1, 1 },
    };
    const ea_bootstrap_ci *ci[N_CI];
    ea_dataset ds;
    ea_bootstrap_opts o = opts(B, M, 99, 2);
    ea_bootstrap_result r;
    ea_noniid_result nr[M];
    ea_noniid_opts no = ea_noniid_opts_default();

    o.level = 0.8;
    load(&ds, sticky_data(M * L + 3, 4, 12), M * L + 3, 4);
    ea_dataset_truncate_bits(&ds, 700);
    run_ok(&ds, &o, &r);
    cr_assert_eq(r.skipped, 0u);
    for (unsigned b = 0; b < M; b++) {
        ea_dataset blk;
        cr_assert_eq(ea_dataset_init(&blk, ds.raw + b * L, L, 4), EA_OK);
        ea_dataset_truncate_bits(&blk, 700);
        cr_assert_eq(ea_noniid_run(&blk, &no, &nr[b]), EA_OK);
        ea_dataset_free(&blk);
    }
    all_cis(&r, ci);
    for (size_t k = 0; k < sizeof stats / sizeof stats[0]; k++) {
        double v[M];
        unsigned m = 0;
        ea_bootstrap_ci want;
        const ea_bootstrap_ci *got = ci[stats[k].s];
        for (unsigned b = 0; b < M; b++) {
            const ea_est_side *side = stats[k].bitstring ? &nr[b].bitstring[stats[k].id]
                                                         : &nr[b].literal[stats[k].id];
            double h = ea_noniid_side_h(stats[k].id, side, stats[k].lrs);
            if (h >= 0.0)
                v[m++] = h;
        }
        cr_assert(m >= 3 && got->valid && got->count == m, "statistic %u: %u / %u", stats[k].s,
                  got->count, m);
        direct_summary(v, m, stats[k].s, &o, &want);
        cr_assert(want.block_min < want.block_max, "statistic %u: blocks agree", stats[k].s);
        cr_assert_float_eq(got->median, want.median, 1e-12, "statistic %u", stats[k].s);
        cr_assert_float_eq(got->lower, want.lower, 1e-12, "statistic %u", stats[k].s);
        cr_assert_float_eq(got->upper, want.upper, 1e-12, "statistic %u", stats[k].s);
        cr_assert(got->block_min == want.block_min && got->block_max == want.block_max);
    }
    ea_dataset_free(&ds);
}

/* The last n mod M samples are not used: appending M - 1 = 4 samples changes nothing. */
Test(bootstrap, tail_samples_are_not_used)
{
    enum { M = 5, L = 300 };
    uint8_t *d = sticky_data(M * L + 4, 4, 13);
    ea_dataset whole, exact;
    ea_bootstrap_opts o = opts(100, M, 4, 2);
    ea_bootstrap_result rw, re;

    memset(d + M * L, 0xF, 4);
    cr_assert_eq(ea_dataset_init(&exact, d, M * L, 4), EA_OK);
    load(&whole, d, M * L + 4, 4);
    run_ok(&whole, &o, &rw);
    run_ok(&exact, &o, &re);
    cr_assert_eq(rw.block_samples, (size_t)L);
    cr_assert(count_valid(&rw) > 0);
    assert_same(&rw, &re);
    ea_dataset_free(&whole);
    ea_dataset_free(&exact);
}

/* A block of one symbol is skipped; the other blocks give every value. */
Test(bootstrap, one_symbol_blocks_are_skipped)
{
    enum { M = 5, L = 200 };
    uint8_t *d = uniform_data(M * L, 8, 14);
    ea_dataset ds;
    ea_bootstrap_opts o = opts(100, M, 5, 2);
    ea_bootstrap_result r;

    memset(d + 2 * L, 7, L);
    load(&ds, d, M * L, 8);
    run_ok(&ds, &o, &r);
    cr_assert_eq(r.skipped, 1u);
    cr_assert_eq(r.failed, 0u);
    cr_assert_eq(r.h_assessed.count, M - 1u);
    cr_assert_eq(r.literal[EA_EST_MCV].count, M - 1u);
    cr_assert_eq(r.bitstring[EA_EST_MCV].count, M - 1u);
    cr_assert(!r.literal[EA_EST_COLLISION].valid);   /* 8-bit: bitstring only */
    assert_ordered(&r);
    ea_dataset_free(&ds);
}

Test(bootstrap, bad_arguments)
{
    ea_dataset ds;
    ea_bootstrap_opts good = opts(2, 2, 1, 1), o;
    ea_bootstrap_result r;

    load(&ds, uniform_data(100, 8, 12), 100, 8);
    cr_assert_eq(ea_bootstrap_noniid(NULL, &good, &r), EA_ERR_ARG);
    cr_assert_eq(ea_bootstrap_noniid(&ds, NULL, &r), EA_ERR_ARG);
    cr_assert_eq(ea_bootstrap_noniid(&ds, &good, NULL), EA_ERR_ARG);
    o = good, o.replicates = 0;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_ARG);
    o = good, o.replicates = EA_BOOTSTRAP_MAX_REPLICATES + 1;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_ARG);
    o = good, o.blocks = 0;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_ARG);
    o = good, o.blocks = 1;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_ARG);
    o = good, o.blocks = EA_BOOTSTRAP_MAX_BLOCKS + 1;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_ARG);
    o = good, o.level = 0.0;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_ARG);
    o = good, o.level = 1.0;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_ARG);
    o = good, o.level = -0.5;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_ARG);
    o = good, o.level = NAN;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_ARG);
    cr_assert_eq(r.replicates, 0u);   /* zeroed on error */
    cr_assert_eq(ea_bootstrap_noniid(&ds, &good, &r), EA_OK);
    ea_dataset_free(&ds);
}

/*
 * 100 8-bit samples need 3 per block (ea_noniid_min_samples): 33 blocks of 3
 * are accepted, 34 blocks of 2 and 1000 blocks of 0 are too short.
 */
Test(bootstrap, too_many_blocks_is_too_short)
{
    ea_dataset ds;
    ea_bootstrap_opts o = opts(10, 33, 1, 2);
    ea_bootstrap_result r;

    load(&ds, uniform_data(100, 8, 15), 100, 8);
    cr_assert_eq(ea_noniid_min_samples(&ds, 1), 3u);
    run_ok(&ds, &o, &r);
    cr_assert_eq(r.block_samples, 3u);
    cr_assert(r.h_assessed.count > 0);
    assert_ordered(&r);
    o.blocks = 34;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_TOO_SHORT);
    o.blocks = EA_BOOTSTRAP_MAX_BLOCKS;
    cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(r.blocks, 0u);
    ea_dataset_free(&ds);
}

/* A dataset ea_noniid_run refuses is refused with its status. */
Test(bootstrap, refused_datasets_as_noniid_run)
{
    static const struct { size_t n; uint8_t v; int bits; } cases[] = {
        { 50, 7, 8 },   /* one symbol */
        { 10, 0, 1 },   /* two symbols, 10 < 19 */
        { 2, 0, 8 },    /* two 8-bit symbols, 2 < 19 */
    };

    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint8_t d[64];
        ea_dataset ds;
        ea_noniid_opts no = ea_noniid_opts_default();
        ea_noniid_result nr;
        ea_bootstrap_opts o = opts(4, 2, 1, 2);
        ea_bootstrap_result r;
        ea_status want;

        for (size_t i = 0; i < cases[c].n; i++)
            d[i] = cases[c].v ? cases[c].v : (uint8_t)(i % 2 + (cases[c].bits > 1 ? 5 * i : 0));
        cr_assert_eq(ea_dataset_init(&ds, d, cases[c].n, cases[c].bits), EA_OK);
        want = ea_noniid_run(&ds, &no, &nr);
        cr_assert(want == EA_ERR_ONE_SYMBOL || want == EA_ERR_TOO_SHORT, "case %zu: %d", c, want);
        cr_assert_eq(ea_bootstrap_noniid(&ds, &o, &r), want, "case %zu", c);
        ea_dataset_free(&ds);
    }
}

/*
 * IID uniform 8-bit data, 200,000 samples in 10 blocks of 20,000. Each block
 * is an honest assessment of 20,000 samples, so the block median of the
 * assessed min-entropy sits near ea_noniid_run's value for one such block
 * (6.23 and 6.26 bits here), and the interval lies within 15% of it. The
 * full-data value (6.72) is a different quantity and sits above (the bound
 * terms shrink with n); the interval is not far below it: within 25%. The
 * repeat-sensitive estimators are not biased by the method: the bitstring
 * LRS block median is within 20% of the full-data bitstring LRS (resampling
 * the raw samples, even in blocks, gave about 0.1 against 0.98). Margins
 * over data seeds 1..20: median within 8% of one block's value, interval
 * within [0.89, 1.11] of it and above 0.82 of the full-data value, LRS
 * within 6%.
 */
Test(bootstrap, iid_data_near_a_block_sized_assessment)
{
    enum { N = 200000, M = 10 };
    ea_dataset ds, first;
    ea_noniid_opts no = ea_noniid_opts_default();
    ea_noniid_result full, one;
    ea_bootstrap_opts o = opts(1000, M, 1, 2);
    ea_bootstrap_result r;
    double h1, lrs_full;

    load(&ds, uniform_data(N, 8, 4), N, 8);
    cr_assert_eq(ea_dataset_init(&first, ds.raw, N / M, 8), EA_OK);
    no.threads = 2;
    cr_assert_eq(ea_noniid_run(&ds, &no, &full), EA_OK);
    cr_assert_eq(ea_noniid_run(&first, &no, &one), EA_OK);
    run_ok(&ds, &o, &r);
    cr_assert_eq(r.skipped + r.failed, 0u);
    cr_assert_eq(r.h_assessed.count, (unsigned)M);
    assert_ordered(&r);

    h1 = one.h_assessed;
    cr_assert(fabs(r.h_assessed.median - h1) <= 0.15 * h1, "median %g against %g",
              r.h_assessed.median, h1);
    cr_assert(r.h_assessed.lower >= 0.85 * h1 && r.h_assessed.upper <= 1.15 * h1,
              "[%g, %g] against %g", r.h_assessed.lower, r.h_assessed.upper, h1);
    cr_assert(r.h_assessed.lower >= 0.75 * full.h_assessed, "lower %g against full %g",
              r.h_assessed.lower, full.h_assessed);

    lrs_full = ea_noniid_side_h(EA_EST_TTUPLE, &full.bitstring[EA_EST_TTUPLE], 1);
    cr_assert(r.lrs_bitstring.count == M && lrs_full > 0.0);
    cr_assert(fabs(r.lrs_bitstring.median - lrs_full) <= 0.2 * lrs_full, "LRS %g against %g",
              r.lrs_bitstring.median, lrs_full);
    ea_dataset_free(&first);
    ea_dataset_free(&ds);
}
