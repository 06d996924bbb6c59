/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_permutation.c - unit tests for SP 800-90B §5.1 permutation testing
 * (permutation.c): results independent of the thread count, equal to a
 * plain sequential model of the reference's counting, and decisive mode
 * agreeing with full mode.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "ea90b.h"
#include "iid_internal.h"

#define N 20000

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* IID-like: uniform 6-bit values. */
static void iid_data(uint8_t *d, size_t n, uint64_t seed)
{
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)(xorshift(&seed) & 63u);
}

/* Clearly not IID: a slowly increasing sequence. */
static void ramp_data(uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)(i * 64u / n);
}

static void load(ea_dataset *ds, ea_iid_baseline *b, const uint8_t *d, size_t n)
{
    cr_assert_eq(ea_dataset_init(ds, d, n, 0), EA_OK);
    cr_assert_eq(ea_iid_baseline_compute(ds, b), EA_OK);
}

static ea_perm_opts opts(uint64_t seed, int threads, int full, long perms)
{
    return (ea_perm_opts){ .seed = seed, .threads = threads, .full = full, .permutations = perms };
}

static void assert_same_count(const ea_perm_count *a, const ea_perm_count *b, int j)
{
    cr_assert_eq(a->c[0], b->c[0], "stat %d C0", j);
    cr_assert_eq(a->c[1], b->c[1], "stat %d C1", j);
    cr_assert_eq(a->c[2], b->c[2], "stat %d C2", j);
    cr_assert(a->original == b->original, "stat %d original", j);
    cr_assert_eq(a->computed, b->computed, "stat %d computed", j);
    cr_assert_eq(a->settled, b->settled, "stat %d settled", j);
    cr_assert_eq(a->passed, b->passed, "stat %d passed", j);
}

static void assert_same_result(const ea_perm_result *a, const ea_perm_result *b)
{
    for (int j = 0; j < EA_IID_NSTATS; j++)
        assert_same_count(&a->stat[j], &b->stat[j], j);
    cr_assert_eq(a->permutations_run, b->permutations_run);
    cr_assert_eq(a->passed, b->passed);
    cr_assert_eq(a->decided_early, b->decided_early);
}

/*
 * The reference's counting, one permutation after another on one
 * thread: permutation i = shuffle of ds->raw with ea_rng_seed(seed, i);
 * statistic j is counted until C0 + C1 > 5 and C1 + C2 > 5; stop when
 * all 19 are settled.
 */
static void sequential_model(const ea_dataset *ds, const ea_iid_baseline *b, uint64_t seed,
                             long perms, ea_perm_result *want)
{
    ea_iid_stats_ctx *ctx;
    ea_iid_compressor *comp;
    uint8_t *work = malloc(ds->len);
    long double t[EA_IID_NSTATS], tp[EA_IID_NSTATS];
    uint32_t open = EA_IID_ALL_STATS;

    cr_assert(work != NULL);
    cr_assert_eq(ea_iid_stats_new(ds, b, &ctx), EA_OK);
    cr_assert_eq(ea_iid_compressor_new(ds->len, ds->max_symbol, &comp), EA_OK);
    memset(want, 0, sizeof(*want));
    cr_assert_eq(ea_iid_stats_compute(ctx, ds->raw, EA_IID_CHEAP_STATS, t), EA_OK);
    cr_assert_eq(ea_iid_compression_stat(comp, ds->raw, ds->len, &t[EA_IID_COMPRESSION]), EA_OK);
    for (int j = 0; j < EA_IID_NSTATS; j++) {
        want->stat[j].original = t[j];
        want->stat[j].computed = 1;
    }
    for (long i = 0; i < perms && open != 0; i++) {
        ea_rng r;
        memcpy(work, ds->raw, ds->len);
        ea_rng_seed(&r, seed, (uint64_t)i);
        ea_shuffle(work, ds->len, &r);
        cr_assert_eq(ea_iid_stats_compute(ctx, work, EA_IID_CHEAP_STATS, tp), EA_OK);
        cr_assert_eq(ea_iid_compression_stat(comp, work, ds->len, &tp[EA_IID_COMPRESSION]), EA_OK);
        for (int j = 0; j < EA_IID_NSTATS; j++) {
            long *c = want->stat[j].c;
            if (!(open & (1u << j)))
                continue;
            c[tp[j] > t[j] ? 0 : tp[j] == t[j] ? 1 : 2]++;
            if (c[0] + c[1] > 5 && c[1] + c[2] > 5) {
                want->stat[j].settled = want->stat[j].passed = 1;
                open &= ~(1u << j);
            }
        }
        want->permutations_run = i + 1;
    }
    want->passed = open == 0;
    ea_iid_compressor_free(comp);
    ea_iid_stats_free(ctx);
    free(work);
}

static void check_against_model(const uint8_t *d, size_t n, uint64_t seed, long perms)
{
    ea_dataset ds;
    ea_iid_baseline b;
    ea_perm_result want, got;

    load(&ds, &b, d, n);
    sequential_model(&ds, &b, seed, perms, &want);
    for (int threads = 1; threads <= 3; threads++) {
        ea_perm_opts o = opts(seed, threads, 1, perms);
        cr_assert_eq(ea_permutation_test(&ds, &b, &o, &got), EA_OK);
        assert_same_result(&got, &want);
    }
    ea_dataset_free(&ds);
}

Test(permutation, full_mode_equals_sequential_model_iid)
{
    uint8_t *d = malloc(N);

    cr_assert(d != NULL);
    iid_data(d, N, 3);
    check_against_model(d, N, 1234, 150);
    free(d);
}

Test(permutation, full_mode_equals_sequential_model_not_iid)
{
    uint8_t *d = malloc(N);

    cr_assert(d != NULL);
    ramp_data(d, N);
    check_against_model(d, N, 99, 30);
    free(d);
}

/*
 * Decisive mode: same verdict as full mode, and the same counts for
 * every statistic it computed; statistics it skipped have computed = 0.
 */
static void check_decisive(const uint8_t *d, size_t n, uint64_t seed, long perms,
                           ea_perm_result *full_out, ea_perm_result *dec_out)
{
    ea_dataset ds;
    ea_iid_baseline b;
    ea_perm_opts of = opts(seed, 2, 1, perms), od = opts(seed, 2, 0, perms), od1 = opts(seed, 1, 0, perms);
    ea_perm_result one;

    load(&ds, &b, d, n);
    cr_assert_eq(ea_permutation_test(&ds, &b, &of, full_out), EA_OK);
    cr_assert_eq(ea_permutation_test(&ds, &b, &od, dec_out), EA_OK);
    cr_assert_eq(ea_permutation_test(&ds, &b, &od1, &one), EA_OK);
    assert_same_result(dec_out, &one);
    cr_assert_eq(dec_out->passed, full_out->passed, "verdicts differ");
    for (int j = 0; j < EA_IID_NSTATS; j++) {
        const ea_perm_count *c = &dec_out->stat[j];
        if (c->computed)
            assert_same_count(c, &full_out->stat[j], j);
        else
            cr_assert(j == EA_IID_COMPRESSION && dec_out->decided_early && !dec_out->passed);
        /* A statistic computed but not settled ran to the end. */
        if (c->computed && !c->settled)
            cr_assert_eq(c->c[0] + c->c[1] + c->c[2], perms, "stat %d", j);
    }
    ea_dataset_free(&ds);
}

Test(permutation, decisive_equals_full_on_iid_input)
{
    uint8_t *d = malloc(N);
    ea_perm_result full, dec;

    cr_assert(d != NULL);
    iid_data(d, N, 3);
    check_decisive(d, N, 77, 300, &full, &dec);
    /* This input passes: all 18 cheap statistics settle, then phase B
     * counts compression over the same permutations as full mode. */
    cr_assert_eq(dec.passed, 1);
    cr_assert_eq(dec.decided_early, 0);
    cr_assert_eq(dec.stat[EA_IID_COMPRESSION].computed, 1);
    cr_assert_lt(full.permutations_run, 300);
    free(d);
}

Test(permutation, decisive_equals_full_on_non_iid_input)
{
    uint8_t *d = malloc(N);
    ea_perm_result full, dec;

    cr_assert(d != NULL);
    ramp_data(d, N);
    check_decisive(d, N, 3, 40, &full, &dec);
    cr_assert_eq(full.passed, 0);
    cr_assert_eq(dec.passed, 0);
    cr_assert_eq(dec.decided_early, 1);
    cr_assert_eq(dec.stat[EA_IID_COMPRESSION].computed, 0);
    cr_assert_eq(full.stat[EA_IID_COMPRESSION].computed, 1);
    cr_assert_eq(full.permutations_run, 40);
    /* Excursion of a ramp is far above every shuffle's. */
    cr_assert_eq(full.stat[EA_IID_EXCURSION].c[0], 0);
    cr_assert_eq(full.stat[EA_IID_EXCURSION].c[2], 40);
    free(d);
}

/* The counts depend on the seed only: another seed, other permutations. */
Test(permutation, results_depend_on_seed_only)
{
    uint8_t *d = malloc(N);
    ea_dataset ds;
    ea_iid_baseline b;
    ea_perm_result a, c;
    ea_perm_opts o1 = opts(8, 1, 0, 200), o2 = opts(8, 2, 0, 200);

    cr_assert(d != NULL);
    iid_data(d, N, 21);
    load(&ds, &b, d, N);
    cr_assert_eq(ea_permutation_test(&ds, &b, &o1, &a), EA_OK);
    cr_assert_eq(ea_permutation_test(&ds, &b, &o2, &c), EA_OK);
    assert_same_result(&a, &c);
    cr_assert_eq(ea_permutation_test(&ds, &b, &o2, &c), EA_OK);
    assert_same_result(&a, &c);
    ea_dataset_free(&ds);
    free(d);
}

/* Nearly constant data: two symbols, three ones among 20,000 zeros. */
Test(permutation, nearly_constant_input)
{
    uint8_t *d = calloc(N, 1);
    ea_dataset ds;
    ea_iid_baseline b;
    ea_perm_result full, dec;
    ea_perm_opts of = opts(1, 2, 1, 30), od = opts(1, 2, 0, 30);

    cr_assert(d != NULL);
    d[17] = d[9000] = d[19999] = 1;
    load(&ds, &b, d, N);
    cr_assert_eq(ea_permutation_test(&ds, &b, &of, &full), EA_OK);
    cr_assert_eq(ea_permutation_test(&ds, &b, &od, &dec), EA_OK);
    cr_assert_eq(full.passed, dec.passed);
    for (int j = 0; j < EA_IID_NSTATS; j++) {
        const ea_perm_count *c = &full.stat[j];
        cr_assert_leq(c->c[0] + c->c[1] + c->c[2], 30);
        cr_assert(c->original == c->original, "stat %d original is NaN", j);
    }
    ea_dataset_free(&ds);
    free(d);
}

typedef struct {
    thrd_t caller;
    int calls, wrong_thread, bad_args;
    long last_done, total;
} progress_log;

static void on_progress(void *user, long done, long total, int open)
{
    progress_log *p = user;

    p->calls++;
    if (!thrd_equal(thrd_current(), p->caller))
        p->wrong_thread++;
    if (done < 0 || done > total || open < 0 || open > EA_IID_NSTATS)
        p->bad_args++;
    p->last_done = done;
    p->total = total;
}

Test(permutation, progress_is_reported_from_the_calling_thread)
{
    uint8_t *d = malloc(N);
    ea_dataset ds;
    ea_iid_baseline b;
    ea_perm_result r;
    ea_perm_opts o = opts(2, 2, 0, 25);
    progress_log log;

    cr_assert(d != NULL);
    ramp_data(d, N);
    load(&ds, &b, d, N);
    memset(&log, 0, sizeof(log));
    log.caller = thrd_current();
    o.progress = on_progress;
    o.progress_user = &log;
    cr_assert_eq(ea_permutation_test(&ds, &b, &o, &r), EA_OK);
    cr_assert_geq(log.calls, 1);
    cr_assert_eq(log.wrong_thread, 0);
    cr_assert_eq(log.bad_args, 0);
    cr_assert_eq(log.total, 25);
    cr_assert_eq(log.last_done, 25);
    ea_dataset_free(&ds);
    free(d);
}

/* The events a drop-in prints from (ea_iid -v): on_start once, with all 19 originals and no
 * count yet, before the first round; on_round for every counted round, in order. */
typedef struct {
    int starts, bad_start, rounds_before_start, out_of_order, bad_settled;
    long last_done, total, phase_restarts;
    int last_settled;
    long double original[EA_IID_NSTATS];
} event_log;

static void on_start(void *user, const ea_perm_result *res)
{
    event_log *e = user;

    e->starts++;
    for (int j = 0; j < EA_IID_NSTATS; j++) {
        e->original[j] = res->stat[j].original;
        if (res->stat[j].c[0] + res->stat[j].c[1] + res->stat[j].c[2] != 0 || isnan(res->stat[j].original))
            e->bad_start++;
    }
}

static void on_round(void *user, long done, long total, int settled)
{
    event_log *e = user;

    if (e->starts == 0)
        e->rounds_before_start++;
    if (done == 1 && e->last_done > 0) {
        e->phase_restarts++;          /* decisive: compression's phase counts from 1 again */
        e->last_settled = 0;
    } else if (done != e->last_done + 1) {
        e->out_of_order++;
    }
    if (settled < e->last_settled || settled < 0 || settled > EA_IID_NSTATS)
        e->bad_settled++;
    e->last_done = done;
    e->last_settled = settled;
    e->total = total;
}

static void check_events(int full, int threads)
{
    uint8_t *d = malloc(N);
    ea_dataset ds;
    ea_iid_baseline b;
    ea_perm_result plain, with;
    ea_perm_opts o = opts(4, threads, full, 300);
    event_log e;

    cr_assert(d != NULL);
    iid_data(d, N, 5);
    load(&ds, &b, d, N);
    cr_assert_eq(ea_permutation_test(&ds, &b, &o, &plain), EA_OK);
    memset(&e, 0, sizeof e);
    o.on_start = on_start;
    o.on_round = on_round;
    o.event_user = &e;
    cr_assert_eq(ea_permutation_test(&ds, &b, &o, &with), EA_OK);
    assert_same_result(&plain, &with);   /* the events change nothing */
    cr_assert_eq(e.starts, 1);
    cr_assert_eq(e.bad_start, 0);
    cr_assert_eq(e.rounds_before_start, 0);
    cr_assert_eq(e.out_of_order, 0);
    cr_assert_eq(e.bad_settled, 0);
    cr_assert_eq(e.total, 300);
    cr_assert_eq(e.phase_restarts, full ? 0 : 1, "full %d: %ld restarts", full, e.phase_restarts);
    cr_assert_eq(e.last_settled, EA_IID_NSTATS);   /* IID input: everything settles */
    /* the last round is the last one counted: of the whole test (full), of compression's phase
     * (decisive) */
    cr_assert_eq(e.last_done, full ? with.permutations_run
                                   : with.stat[EA_IID_COMPRESSION].c[0] + with.stat[EA_IID_COMPRESSION].c[1]
                                         + with.stat[EA_IID_COMPRESSION].c[2]);
    /* decisive mode computed compression's original up front: the same as full mode's */
    cr_assert(e.original[EA_IID_COMPRESSION] == with.stat[EA_IID_COMPRESSION].original);
    for (int j = 0; j < EA_IID_NSTATS; j++)
        cr_assert(e.original[j] == with.stat[j].original, "stat %d", j);
    ea_dataset_free(&ds);
    free(d);
}

Test(permutation, events_full_mode)
{
    check_events(1, 1);
    check_events(1, 3);
}

Test(permutation, events_decisive_mode)
{
    check_events(0, 1);
    check_events(0, 3);
}

Test(permutation, zero_permutations_fail_every_statistic)
{
    uint8_t *d = malloc(N);
    ea_dataset ds;
    ea_iid_baseline b;
    ea_perm_result r;
    ea_perm_opts o = opts(2, 2, 1, 0);

    cr_assert(d != NULL);
    iid_data(d, N, 3);
    load(&ds, &b, d, N);
    cr_assert_eq(ea_permutation_test(&ds, &b, &o, &r), EA_OK);
    cr_assert_eq(r.passed, 0);
    cr_assert_eq(r.permutations_run, 0);
    for (int j = 0; j < EA_IID_NSTATS; j++)
        cr_assert(r.stat[j].computed && !r.stat[j].passed);
    ea_dataset_free(&ds);
    free(d);
}

Test(permutation, bad_arguments)
{
    uint8_t d[100];
    ea_dataset ds;
    ea_iid_baseline b;
    ea_perm_result r;
    ea_perm_opts o = opts(1, 0, 1, 10);

    iid_data(d, sizeof(d), 1);
    load(&ds, &b, d, sizeof(d));
    cr_assert_eq(ea_permutation_test(&ds, &b, &o, &r), EA_ERR_ARG);
    o.threads = 1;
    o.permutations = -1;
    cr_assert_eq(ea_permutation_test(&ds, &b, &o, &r), EA_ERR_ARG);
    o.permutations = 10;
    cr_assert_eq(ea_permutation_test(NULL, &b, &o, &r), EA_ERR_ARG);
    cr_assert_eq(ea_permutation_test(&ds, NULL, &o, &r), EA_ERR_ARG);
    cr_assert_eq(ea_permutation_test(&ds, &b, &o, NULL), EA_ERR_ARG);
    ea_dataset_free(&ds);
}
