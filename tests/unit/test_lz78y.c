/*
 * test_lz78y.c - unit tests for ea_lz78y() (SP 800-90B §6.3.10).
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
 * 0 1 0 1 ... (40 samples). N = 40 - 17 = 23. The dictionary starts with
 * the 16 strings ending at s[15] = 1, each followed by s[16] = 0. At
 * s[17] the strings end with 0: none is known, no prediction (wrong),
 * and they are added, followed by 1. From s[18] on every string before
 * the sample is known (the sequence repeats every 2) and predicts right.
 * C = 22, one run of 22, r = 23.
 */
Test(lz78y, period_two_binary)
{
    uint8_t s[40];
    ea_predictor_result r;

    for (int i = 0; i < 40; i++)
        s[i] = (uint8_t)(i & 1);
    cr_assert_eq(ea_lz78y(s, 40, 2, &r), EA_OK);
    expect_counts(&r, 22, 23, 23);
    cr_assert_float_eq(r.p_global, 22.0 / 23.0, EPS);
    expect_finite(&r);
}

/* 0 1 2 ... (60 samples): s[17], s[18] meet unknown strings, then all right. */
Test(lz78y, period_three_literal)
{
    uint8_t s[60];
    ea_predictor_result r;

    for (int i = 0; i < 60; i++)
        s[i] = (uint8_t)(i % 3);
    cr_assert_eq(ea_lz78y(s, 60, 3, &r), EA_OK);
    expect_counts(&r, 41, 43, 42);
    cr_assert_float_eq(r.p_global, 41.0 / 43.0, EPS);
}

Test(lz78y, period_two_both_paths)
{
    uint8_t s[40];
    ea_predictor_result r2, r3;

    for (int i = 0; i < 40; i++)
        s[i] = (uint8_t)(i & 1);
    cr_assert_eq(ea_lz78y(s, 40, 2, &r2), EA_OK);
    cr_assert_eq(ea_lz78y(s, 40, 3, &r3), EA_OK);
    expect_counts(&r3, r2.C, r2.N, r2.r);
}

/*
 * Binary data given as a 3-symbol alphabet go through the general
 * (context map) path; C, N and r must not change. 200,000 samples fill
 * the dictionary (65,536 strings) early on.
 */
Test(lz78y, binary_and_literal_paths_agree)
{
    const size_t n = 200000;
    uint8_t *s = lcg_sequence(n, 2, 1);
    ea_predictor_result r2, r3;

    cr_assert_eq(ea_lz78y(s, n, 2, &r2), EA_OK);
    cr_assert_eq(ea_lz78y(s, n, 3, &r3), EA_OK);
    expect_counts(&r2, 99855, 199983, 18);   /* NIST's tool */
    expect_counts(&r3, r2.C, r2.N, r2.r);
    cr_assert_float_eq(r2.p_global, r3.p_global, EPS);
    free(s);
}

/* Larger alphabets, with the values NIST's tool gives for the same data. */
Test(lz78y, reference_values)
{
    static const struct {
        unsigned k;
        uint64_t seed;
        long C, N, r;
    } cases[] = {
        {4, 2, 15006, 59983, 9},
        {256, 3, 237, 59983, 3},
        {3, 4, 19890, 59983, 11},
    };

    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        uint8_t *s = lcg_sequence(60000, cases[c].k, cases[c].seed);
        ea_predictor_result r;
        cr_assert_eq(ea_lz78y(s, 60000, (int)cases[c].k, &r), EA_OK);
        expect_counts(&r, cases[c].C, cases[c].N, cases[c].r);
        expect_finite(&r);
        free(s);
    }
}

Test(lz78y, argument_errors)
{
    uint8_t s[32] = {0};
    ea_predictor_result r;

    s[5] = 3;
    cr_assert_eq(ea_lz78y(NULL, 32, 4, &r), EA_ERR_ARG);
    cr_assert_eq(ea_lz78y(s, 32, 4, NULL), EA_ERR_ARG);
    cr_assert_eq(ea_lz78y(s, 32, 1, &r), EA_ERR_ARG);
    cr_assert_eq(ea_lz78y(s, 32, 257, &r), EA_ERR_ARG);
    cr_assert_eq(ea_lz78y(s, 32, 3, &r), EA_ERR_ARG);   /* symbol 3 >= k */
}

/*
 * Fewer than 18 samples: no estimate. 18 zeros: one prediction (of
 * s[17], from the strings ending at s[15], all followed by 0), right.
 */
Test(lz78y, tiny_inputs)
{
    const uint8_t s[18] = {0};
    ea_predictor_result r;

    for (size_t n = 0; n < 18; n++) {
        cr_assert_eq(ea_lz78y(s, n, 2, &r), EA_ERR_TOO_SHORT);
        cr_assert_eq(ea_lz78y(s, n, 3, &r), EA_ERR_TOO_SHORT);
    }
    cr_assert_eq(ea_lz78y(s, 18, 2, &r), EA_OK);
    expect_counts(&r, 1, 1, 2);
    expect_finite(&r);
    cr_assert_eq(ea_lz78y(s, 18, 3, &r), EA_OK);
    expect_counts(&r, 1, 1, 2);
    expect_finite(&r);
}
