/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_multi_mcw.c - unit tests for ea_multi_mcw(), SP 800-90B §6.3.7.
 *
 * Hand-computed sequences check the counting conventions of NIST's tool
 * (guessing from sample 63, ties in a window to the most recent symbol);
 * a plain per-sample model checks the incremental and bit-parallel fast
 * paths on pseudo-random data.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "ea90b.h"
#include "test_util.h"

static const size_t win_len[4] = {63, 255, 1023, 4095};

/* Most common symbol of the window counts; ties to the latest occurrence. */
static int model_mode(const long *cnt, const size_t *last, int k)
{
    int best = 0;

    for (int v = 1; v < k; v++) {
        if (cnt[v] > cnt[best] || (cnt[v] == cnt[best] && last[v] > last[best]))
            best = v;
    }
    return best;
}

/*
 * Straightforward model: before sample i, window j holds s[i-w_j..i-1];
 * its guess is recomputed from scratch over the alphabet at every sample.
 */
static void mcw_model(const uint8_t *s, size_t n, int k, long *C, long *max_run)
{
    long *cnt = calloc(4 * (size_t)k, sizeof(long));
    size_t *last = calloc((size_t)k, sizeof(size_t));
    long score[4] = {0}, run = 0;
    int lead = 0;

    cr_assert_not_null(cnt);
    cr_assert_not_null(last);
    *C = 0;
    *max_run = 0;
    for (size_t i = 0; i < n; i++) {
        int guess[4] = {-1, -1, -1, -1};
        for (int j = 0; j < 4; j++) {
            if (i >= win_len[j])
                guess[j] = model_mode(cnt + (size_t)j * (size_t)k, last, k);
        }
        if (i >= win_len[0]) {
            if (guess[lead] == s[i]) {
                (*C)++;
                if (++run > *max_run)
                    *max_run = run;
            } else {
                run = 0;
            }
            for (int j = 0; j < 4; j++) {
                if (guess[j] == s[i] && ++score[j] >= score[lead])
                    lead = j;
            }
        }
        for (int j = 0; j < 4; j++) {
            cnt[(size_t)j * (size_t)k + s[i]]++;
            if (i >= win_len[j])
                cnt[(size_t)j * (size_t)k + s[i - win_len[j]]]--;
        }
        last[s[i]] = i;
    }
    free(cnt);
    free(last);
}

/* Symbols in 0..k-1: with probability bias_pct symbol 0, else uniform,
 * and runs that copy the previous sample with probability stick_pct. */
static void fill_mixed(uint8_t *s, size_t n, int k, unsigned bias_pct, unsigned stick_pct, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u = tu_next_rand(&seed) % 100u;
        if (i > 0 && tu_next_rand(&seed) % 100u < stick_pct)
            s[i] = s[i - 1];
        else if (u < bias_pct)
            s[i] = 0;
        else
            s[i] = (uint8_t)(tu_next_rand(&seed) % (uint32_t)k);
    }
}

Test(multi_mcw, constant_sequence)
{
    /* Every window predicts 0 and is right: C = N = n - 63, r = n - 62. */
    tu_expect_constant(ea_multi_mcw, 5000, 5000 - 63);
}

Test(multi_mcw, sparse_ones)
{
    /* A 1 at every i = 50 mod 100, else 0: every window's mode is 0, so
     * the 49 ones in 63..4999 are the only misses; the longest run of
     * hits is the 99 zeros between two ones. */
    enum { n = 5000 };
    static uint8_t s[n];
    ea_predictor_result r;

    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)(i % 100 == 50);
    for (int k = 2; k <= 3; k++) {
        cr_assert_eq(ea_multi_mcw(s, n, k, &r), EA_OK);
        cr_assert_eq(r.N, 4937);
        cr_assert_eq(r.C, 4937 - 49);
        cr_assert_eq(r.r, 100);
        tu_expect_finite(&r);
    }
}

Test(multi_mcw, alternating_never_right)
{
    /* Odd windows over 0,1,0,1,...: the mode is the previous sample, which
     * is never the next one. C = 0 takes the C = 0 branch of step 6. */
    enum { n = 4500 };
    static uint8_t s[n];
    ea_predictor_result r;

    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)(i & 1u);
    cr_assert_eq(ea_multi_mcw(s, n, 2, &r), EA_OK);
    cr_assert_eq(r.C, 0);
    cr_assert_eq(r.r, 1);
    cr_assert_float_eq(r.p_global_prime, 1.0 - pow(0.01, 1.0 / (double)r.N), 1e-15);
    tu_expect_finite(&r);
}

Test(multi_mcw, tie_goes_to_most_recent_symbol)
{
    /* s[0] = 0, then 1,2,1,2,...,2 up to s[62], then all 2: the first
     * window has 31 ones and 31 twos; 2 occurred last, so the first guess
     * is 2 (a smallest-symbol rule would guess 1 and miss). */
    enum { n = 5000 };
    static uint8_t s[n];
    ea_predictor_result r;

    s[0] = 0;
    for (size_t i = 1; i < n; i++)
        s[i] = (uint8_t)(i < 63 ? 2 - (i & 1u) : 2);
    cr_assert_eq(ea_multi_mcw(s, n, 3, &r), EA_OK);
    cr_assert_eq(r.C, n - 63);
    cr_assert_eq(r.r, n - 62);
}

Test(multi_mcw, matches_model_on_pseudo_random_data)
{
    static const int ks[] = {2, 2, 3, 5, 256};
    static const size_t ns[] = {4096, 4100, 4159, 7000};
    static uint8_t s[7000];
    uint32_t seed = 987654321;

    for (size_t a = 0; a < sizeof(ks) / sizeof(ks[0]); a++) {
        for (size_t b = 0; b < sizeof(ns) / sizeof(ns[0]); b++) {
            unsigned bias = tu_next_rand(&seed) % 90u, stick = tu_next_rand(&seed) % 60u;
            ea_predictor_result r;
            fill_mixed(s, ns[b], ks[a], bias, stick, tu_next_rand(&seed));
            tu_expect_model(ea_multi_mcw, mcw_model, s, ns[b], ks[a], &r, "k=%d n=%zu",
                            ks[a], ns[b]);
            cr_assert_eq(r.N, (long)ns[b] - 63);
            tu_expect_finite(&r);
        }
    }
}

Test(multi_mcw, leader_changes_between_regimes)
{
    /* Segments favouring different symbols (some shorter than the large
     * windows) make the windows overtake each other well after the
     * warm-up, inside the bit-parallel blocks. */
    enum { n = 40000 };
    static uint8_t s[n];
    uint32_t seed = 4242;

    for (int k = 2; k <= 3; k++) {
        size_t i = 0;
        ea_predictor_result r;
        while (i < n) {
            size_t seg = 30 + tu_next_rand(&seed) % 3000u;
            uint8_t fav = (uint8_t)(tu_next_rand(&seed) % (uint32_t)k);
            unsigned pct = 50 + tu_next_rand(&seed) % 45u;
            for (size_t e = i + seg; i < e && i < n; i++)
                s[i] = (uint8_t)(tu_next_rand(&seed) % 100u < pct ? fav : tu_next_rand(&seed) % (uint32_t)k);
        }
        tu_expect_model(ea_multi_mcw, mcw_model, s, n, k, &r, "k=%d", k);
    }
}

Test(multi_mcw, periodic_runs_match_model)
{
    /* Runs of L equal symbols cycling through the alphabet: for several L
     * the windows take turns at leading long after the warm-up, so
     * blocks are replayed sample by sample. */
    enum { n = 30000 };
    static uint8_t s[n];

    for (int k = 2; k <= 3; k++) {
        for (size_t L = 1; L <= 12; L++) {
            ea_predictor_result r;
            for (size_t i = 0; i < n; i++)
                s[i] = (uint8_t)((i / L) % (size_t)k);
            tu_expect_model(ea_multi_mcw, mcw_model, s, n, k, &r, "k=%d L=%zu", k, L);
        }
    }
}

Test(multi_mcw, long_runs_match_model)
{
    /* Long runs (300..5000) of one symbol: at each switch every window's
     * count sweeps through its majority threshold one step at a time,
     * inside blocks at every possible offset. */
    enum { n = 200000 };
    static uint8_t s[n];
    uint32_t seed = 31337;

    for (int k = 2; k <= 3; k++) {
        size_t i = 0;
        uint8_t sym = 0;
        ea_predictor_result r;
        while (i < n) {
            size_t len = 300 + tu_next_rand(&seed) % 4700u;
            for (size_t e = i + len; i < e && i < n; i++)
                s[i] = sym;
            sym = (uint8_t)((sym + 1u + tu_next_rand(&seed) % (uint32_t)(k - 1)) % (uint32_t)k);
        }
        tu_expect_model(ea_multi_mcw, mcw_model, s, n, k, &r, "k=%d", k);
    }
}

Test(multi_mcw, bad_arguments)
{
    static uint8_t s[5000];
    ea_predictor_result r;

    memset(s, 1, sizeof(s));
    tu_expect_argument_errors(ea_multi_mcw, s, 5000, 2);
    s[4999] = 2;
    cr_assert_eq(ea_multi_mcw(s, 5000, 2, &r), EA_ERR_ARG);  /* symbol 2 >= k */
}

Test(multi_mcw, too_short)
{
    static uint8_t s[4096];
    ea_predictor_result r;

    tu_expect_too_short(ea_multi_mcw, s, 4096);   /* 0 .. 4095 samples */
    /* The shortest accepted input: 4096 samples, 4033 guesses. */
    cr_assert_eq(ea_multi_mcw(s, 4096, 2, &r), EA_OK);
    cr_assert_eq(r.N, 4033);
    cr_assert_eq(r.C, 4033);
    tu_expect_finite(&r);
}
