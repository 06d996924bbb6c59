/*
 * test_multi_mmc.c - unit tests for ea_multi_mmc() (SP 800-90B §6.3.9).
 *
 * Small cases are worked out by hand below; the longer pseudo-random
 * ones carry the C, N and r that NIST's tool (1.1.7) prints for the same
 * sequences.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "ea90b.h"

#define EPS 1e-12

/* A reproducible pseudo-random sequence of n symbols below k. */
static uint8_t *lcg_sequence(size_t n, unsigned k, uint64_t seed)
{
    uint8_t *s = malloc(n);
    uint64_t x = seed;

    cr_assert_not_null(s);
    for (size_t i = 0; i < n; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        s[i] = (uint8_t)((x >> 33) % k);
    }
    return s;
}

static void expect_counts(const ea_predictor_result *r, long C, long N, long rr)
{
    cr_assert_eq(r->C, C, "C = %ld, expected %ld", r->C, C);
    cr_assert_eq(r->N, N, "N = %ld, expected %ld", r->N, N);
    cr_assert_eq(r->r, rr, "r = %ld, expected %ld", r->r, rr);
}

static void expect_finite(const ea_predictor_result *r)
{
    cr_assert(!isnan(r->p_global) && !isnan(r->p_global_prime) && !isnan(r->h));
    cr_assert(r->h >= 0.0 || fabs(r->h) < EPS);
}

/*
 * 0 1 0 1 ... (20 samples). N = 18. Model 0 starts with "0" -> 1; at
 * s[2] the string "1" is new (no prediction); from s[3] on model 0 is
 * always right and always leads (model d first predicts at s[d+3], so
 * its score stays below). C = 17, one run of 17, r = 18.
 */
Test(multi_mmc, period_two_binary)
{
    uint8_t s[20];
    ea_predictor_result r;

    for (int i = 0; i < 20; i++)
        s[i] = (uint8_t)(i & 1);
    cr_assert_eq(ea_multi_mmc(s, 20, 2, &r), EA_OK);
    expect_counts(&r, 17, 18, 18);
    cr_assert_float_eq(r.p_global, 17.0 / 18.0, EPS);
    expect_finite(&r);
}

/* 0 1 2 0 1 2 ... (60 samples): s[2] and s[3] find new strings, then all right. */
Test(multi_mmc, period_three_literal)
{
    uint8_t s[60];
    ea_predictor_result r;

    for (int i = 0; i < 60; i++)
        s[i] = (uint8_t)(i % 3);
    cr_assert_eq(ea_multi_mmc(s, 60, 3, &r), EA_OK);
    expect_counts(&r, 56, 58, 57);
    cr_assert_float_eq(r.p_global, 56.0 / 58.0, EPS);
}

/*
 * Equal counts: the larger symbol is predicted. 0 1 0 2 0 2: "0" is
 * followed once by 1 and once by 2 when s[5] is predicted; 2 is chosen,
 * and right. Earlier: s[2], s[4] new strings, s[3] wrong. C = 1, r = 2.
 */
Test(multi_mmc, tie_goes_to_larger_symbol)
{
    const uint8_t s[] = {0, 1, 0, 2, 0, 2};
    ea_predictor_result r;

    cr_assert_eq(ea_multi_mmc(s, 6, 3, &r), EA_OK);
    expect_counts(&r, 1, 4, 2);
}

/* The same for binary data: 1 0 1 1 1, "1" -> {0: 1, 1: 1} predicts 1 at s[4]. */
Test(multi_mmc, binary_tie_goes_to_one)
{
    const uint8_t s[] = {1, 0, 1, 1, 1};
    ea_predictor_result r2, r3;

    cr_assert_eq(ea_multi_mmc(s, 5, 2, &r2), EA_OK);
    cr_assert_eq(ea_multi_mmc(s, 5, 3, &r3), EA_OK);
    expect_counts(&r2, 1, 3, 2);
    expect_counts(&r3, 1, 3, 2);
}

/* A constant sequence: every prediction right, P = 1, no entropy, no NaN. */
Test(multi_mmc, constant_sequence)
{
    uint8_t s[100] = {0};
    ea_predictor_result r;

    cr_assert_eq(ea_multi_mmc(s, 100, 2, &r), EA_OK);
    expect_counts(&r, 98, 98, 99);
    cr_assert_float_eq(r.p_global, 1.0, EPS);
    cr_assert_float_eq(r.p_global_prime, 1.0, EPS);
    cr_assert(fabs(r.h) < EPS);
    expect_finite(&r);
}

/*
 * Binary data given as a 3-symbol alphabet go through the general
 * (context map) path; C, N and r must not change. 200,000 samples fill
 * the last model up to its 100,000 pairs.
 */
Test(multi_mmc, binary_and_literal_paths_agree)
{
    const size_t n = 200000;
    uint8_t *s = lcg_sequence(n, 2, 1);
    ea_predictor_result r2, r3;

    cr_assert_eq(ea_multi_mmc(s, n, 2, &r2), EA_OK);
    cr_assert_eq(ea_multi_mmc(s, n, 3, &r3), EA_OK);
    expect_counts(&r2, 99773, 199998, 21);   /* NIST's tool */
    expect_counts(&r3, r2.C, r2.N, r2.r);
    cr_assert_float_eq(r2.p_global, r3.p_global, EPS);
    free(s);
}

Test(multi_mmc, period_two_both_paths)
{
    uint8_t s[20];
    ea_predictor_result r2, r3;

    for (int i = 0; i < 20; i++)
        s[i] = (uint8_t)(i & 1);
    cr_assert_eq(ea_multi_mmc(s, 20, 2, &r2), EA_OK);
    cr_assert_eq(ea_multi_mmc(s, 20, 3, &r3), EA_OK);
    expect_counts(&r3, r2.C, r2.N, r2.r);
}

/* Larger alphabets, with the values NIST's tool gives for the same data. */
Test(multi_mmc, reference_values)
{
    static const struct {
        unsigned k;
        uint64_t seed;
        long C, N, r;
    } cases[] = {
        {4, 2, 14875, 59998, 8},
        {256, 3, 233, 59998, 3},
        {3, 4, 19808, 59998, 10},
    };

    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        uint8_t *s = lcg_sequence(60000, cases[c].k, cases[c].seed);
        ea_predictor_result r;
        cr_assert_eq(ea_multi_mmc(s, 60000, (int)cases[c].k, &r), EA_OK);
        expect_counts(&r, cases[c].C, cases[c].N, cases[c].r);
        expect_finite(&r);
        free(s);
    }
}

Test(multi_mmc, argument_errors)
{
    const uint8_t s[] = {0, 1, 2, 3, 0, 1};
    ea_predictor_result r;

    cr_assert_eq(ea_multi_mmc(NULL, 6, 4, &r), EA_ERR_ARG);
    cr_assert_eq(ea_multi_mmc(s, 6, 4, NULL), EA_ERR_ARG);
    cr_assert_eq(ea_multi_mmc(s, 6, 1, &r), EA_ERR_ARG);
    cr_assert_eq(ea_multi_mmc(s, 6, 257, &r), EA_ERR_ARG);
    cr_assert_eq(ea_multi_mmc(s, 6, 3, &r), EA_ERR_ARG);   /* symbol 3 >= k */
    cr_assert_eq(ea_multi_mmc(s, 6, 2, &r), EA_ERR_ARG);   /* not binary */
}

/* Fewer than 3 samples: no estimate; 3 samples: one prediction, finite values. */
Test(multi_mmc, tiny_inputs)
{
    const uint8_t s[] = {0, 0, 0};
    ea_predictor_result r;

    for (size_t n = 0; n < 3; n++) {
        cr_assert_eq(ea_multi_mmc(s, n, 2, &r), EA_ERR_TOO_SHORT);
        cr_assert_eq(ea_multi_mmc(s, n, 3, &r), EA_ERR_TOO_SHORT);
    }
    cr_assert_eq(ea_multi_mmc(s, 3, 2, &r), EA_OK);
    expect_counts(&r, 1, 1, 2);
    expect_finite(&r);
    cr_assert_eq(ea_multi_mmc(s, 3, 3, &r), EA_OK);
    expect_counts(&r, 1, 1, 2);
    expect_finite(&r);
}
