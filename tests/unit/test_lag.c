/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_lag.c - unit tests for ea_lag(), SP 800-90B §6.3.8.
 *
 * Hand-computed sequences check the counting conventions of NIST's tool
 * (guessing from the second sample, lag 1 first, ties to the lag that
 * scored last); a plain per-sample model checks the block-wise fast paths
 * (byte and bit-packed) on pseudo-random data.
 */
#include <criterion/criterion.h>

#include "ea90b.h"
#include "test_util.h"

/* Straightforward model: score every lag 1..min(i,128) at every sample
 * (the same for every alphabet size k). */
static void lag_model(const uint8_t *s, size_t n, int k, long *C, long *max_run)
{
    long score[129] = {0}, high = 0, run = 0;
    size_t lead = 1;

    (void)k;
    *C = 0;
    *max_run = 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i] == s[i - lead]) {
            (*C)++;
            if (++run > *max_run)
                *max_run = run;
        } else {
            run = 0;
        }
        for (size_t d = 1; d <= 128 && d <= i; d++) {
            if (s[i - d] == s[i] && ++score[d] >= high) {
                high = score[d];
                lead = d;
            }
        }
    }
}

/* Symbols in 0..k-1: a noisy copy of the sample `period` back. */
static void fill_noisy(uint8_t *s, size_t n, int k, size_t period, unsigned keep_pct, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        if (i >= period && tu_next_rand(&seed) % 100u < keep_pct)
            s[i] = s[i - period];
        else
            s[i] = (uint8_t)(tu_next_rand(&seed) % (uint32_t)k);
    }
}

Test(lag, periodic_sequence)
{
    /* s[i] = i mod 5: the first five guesses (lag 1) miss; at sample 5
     * lag 5 scores and leads from then on, so samples 6..n-1 all hit. */
    enum { n = 1000 };
    uint8_t s[n];
    ea_predictor_result r;

    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)(i % 5);
    cr_assert_eq(ea_lag(s, n, 5, &r), EA_OK);
    cr_assert_eq(r.N, n - 1);
    cr_assert_eq(r.C, n - 6);
    cr_assert_eq(r.r, n - 5);  /* longest run n-6, reported plus one */
    cr_assert_float_eq(r.p_global, (double)(n - 6) / (double)(n - 1), 1e-15);
    tu_expect_finite(&r);
}

Test(lag, constant_bytes_and_bits)
{
    /* Lag 1 is right every time: C = N = n - 1, r = n, no entropy. */
    tu_expect_constant(ea_lag, 700, 699);
}

Test(lag, tie_goes_to_lag_scored_last)
{
    /* Sample 3: lag 2 scores first and leads. Sample 6: lags 3 and 5 both
     * reach the best score 1; lag 5 is scored last and leads. Sample 7 = 1
     * is what lag 5 predicts (s[2]); lags 2 and 3 would predict 3 and 2,
     * so only the tool's tie rule gives C = 1. */
    const uint8_t s[] = {5, 0, 1, 0, 2, 3, 0, 1};
    ea_predictor_result r;

    cr_assert_eq(ea_lag(s, sizeof(s), 6, &r), EA_OK);
    cr_assert_eq(r.N, 7);
    cr_assert_eq(r.C, 1);
    cr_assert_eq(r.r, 2);
    tu_expect_finite(&r);
}

Test(lag, matches_model_on_pseudo_random_data)
{
    /* k, n, period of the noisy copy, % of samples copied (0: uniform) */
    static const struct { int k; size_t n, period; unsigned keep; } cases[] = {
        {2, 129, 3, 50},    {2, 191, 1, 0},      {2, 1000, 7, 30},
        {2, 20000, 1, 0},   {2, 20000, 100, 20}, {2, 70000, 127, 60},
        {3, 4321, 5, 40},   {3, 20000, 1, 0},    {4, 20000, 64, 10},
        {16, 20000, 1, 0},  {16, 20000, 9, 0},   {16, 20000, 33, 25},
        {256, 20000, 1, 0}, {256, 70000, 128, 30}, {256, 70000, 13, 80},
    };
    static uint8_t s[70000];

    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        int k = cases[c].k;
        size_t n = cases[c].n;
        ea_predictor_result r;
        fill_noisy(s, n, k, cases[c].period, cases[c].keep, (uint32_t)(1000 * c + 1));
        tu_expect_model(ea_lag, lag_model, s, n, k, &r, "case %zu", c);
        cr_assert_eq(r.N, (long)n - 1);
        tu_expect_finite(&r);
    }
}

Test(lag, periodic_data_with_many_tied_lags)
{
    /* Periodic and nearly periodic data: many lags share hit masks and
     * scores, which exercises the merging of equivalent contenders. */
    static const uint8_t pattern[] = {1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0};
    enum { n = 6000 };
    static uint8_t s[n];
    uint32_t seed = 99;

    for (size_t p = 1; p <= sizeof(pattern); p++) {
        for (int noisy = 0; noisy <= 1; noisy++) {
            ea_predictor_result r;
            for (size_t i = 0; i < n; i++) {
                s[i] = pattern[i % p];
                if (noisy && tu_next_rand(&seed) % 500u == 0)
                    s[i] ^= 1u;
            }
            tu_expect_model(ea_lag, lag_model, s, n, 2, &r, "p=%zu noisy=%d", p, noisy);
        }
    }
}

Test(lag, uniform_data_with_equal_masks)
{
    /* Found by a search against the model: uniform symbols for which
     * merging contenders with equal hit masks must keep the largest lag
     * of a tie and leave the list in increasing lag order. */
    enum { n = 8068, k = 64 };
    static uint8_t s[n];
    uint32_t x = 1472u * 2654435761u | 1u;
    ea_predictor_result r;

    tu_next_rand(&x);
    tu_next_rand(&x);
    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)(tu_next_rand(&x) % k);
    tu_expect_model(ea_lag, lag_model, s, n, k, &r, "n=%d k=%d", n, k);
}

Test(lag, bad_arguments)
{
    uint8_t s[10] = {0, 1, 0, 1, 2, 0, 1, 0, 1, 0};
    ea_predictor_result r;

    tu_expect_argument_errors(ea_lag, s, 10, 3);
    cr_assert_eq(ea_lag(s, 10, 2, &r), EA_ERR_ARG);  /* symbol 2 >= k */
}

Test(lag, tiny_inputs)
{
    const uint8_t s[3] = {1, 0, 1};
    ea_predictor_result r;

    tu_expect_too_short(ea_lag, s, 3);
    /* Three samples: two guesses, both by lag 1, both wrong. */
    cr_assert_eq(ea_lag(s, 3, 2, &r), EA_OK);
    cr_assert_eq(r.N, 2);
    cr_assert_eq(r.C, 0);
    cr_assert_eq(r.r, 1);
    tu_expect_finite(&r);
}
