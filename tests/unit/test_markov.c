/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_markov.c - unit tests for ea_markov() (SP 800-90B §6.3.3).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "ea90b.h"

#define EPS 1e-12

/* The four transition probabilities of step 2. */
static void expect_transitions(const ea_markov_result *r, double p00, double p01, double p10,
                               double p11)
{
    cr_assert_float_eq(r->p00, p00, EPS);
    cr_assert_float_eq(r->p01, p01, EPS);
    cr_assert_float_eq(r->p10, p10, EPS);
    cr_assert_float_eq(r->p11, p11, EPS);
}

/*
 * 0,0,1,1,0,1: pairs 00 01 11 10 01. Pair starts: three 0s (one 00), two
 * 1s (one 10). P00 = 1/3, P01 = 2/3, P10 = P11 = 1/2, P0 = P1 = 1/2.
 * -log2 of the six candidates: 0^128: 1 + 127 log2 3; (01)^64:
 * 1 + 64 log2 1.5 + 63; 01^127: 1 + log2 1.5 + 126; 10^127:
 * 2 + 126 log2 3; (10)^64: 1 + 64 + 63 log2 1.5; 1^128: 128.
 * The least is (01)^64.
 */
Test(markov, hand_computed)
{
    const uint8_t s[] = {0, 0, 1, 1, 0, 1};
    const double hmin = 1.0 + 64.0 * log2(1.5) + 63.0;
    ea_markov_result r;

    cr_assert_eq(ea_markov(s, 6, &r), EA_OK);
    cr_assert_float_eq(r.p0, 0.5, EPS);
    cr_assert_float_eq(r.p1, 0.5, EPS);
    expect_transitions(&r, 1.0 / 3.0, 2.0 / 3.0, 0.5, 0.5);
    cr_assert(fabs(r.p_hat_max / pow(2.0, -hmin) - 1.0) < 1e-10);
    cr_assert_float_eq(r.h, hmin / 128.0, EPS);
}

/* All zeros: only 0^128 is possible, with probability 1. */
Test(markov, constant_zero)
{
    const uint8_t s[10] = {0};
    ea_markov_result r;

    cr_assert_eq(ea_markov(s, 10, &r), EA_OK);
    cr_assert_float_eq(r.p0, 1.0, EPS);
    cr_assert_float_eq(r.p1, 0.0, EPS);
    expect_transitions(&r, 1.0, 0.0, 0.0, 0.0);   /* P10 = P11 = 0: 1 never starts a pair */
    cr_assert_float_eq(r.p_hat_max, 1.0, EPS);
    cr_assert(fabs(r.h) < EPS);
}

/* Alternating bits: (01)^64 and (10)^64 have probability 1/2. */
Test(markov, alternating)
{
    const uint8_t s[] = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
    ea_markov_result r;

    cr_assert_eq(ea_markov(s, 10, &r), EA_OK);
    expect_transitions(&r, 0.0, 1.0, 1.0, 0.0);
    cr_assert_float_eq(r.p_hat_max, 0.5, EPS);
    cr_assert_float_eq(r.h, 1.0 / 128.0, EPS);
}

/* Word-at-a-time counting against plain counting, many lengths. */
Test(markov, matches_plain_counts)
{
    const size_t max = 3000;
    uint8_t *s = malloc(max);
    uint32_t x = 777u;

    cr_assert_not_null(s);
    for (size_t i = 0; i < max; i++) {
        x = x * 1664525u + 1013904223u;
        s[i] = (uint8_t)((x >> 29) == 0);   /* P(1) = 1/8: asymmetric counts */
    }
    for (size_t n = 2; n <= max; n += (n < 40 ? 1 : 113)) {
        long c0 = 0, c00 = 0, c10 = 0, c1, z;
        ea_markov_result r;
        for (size_t i = 0; i + 1 < n; i++) {
            if (s[i] == 0) {
                c0++;
                c00 += (s[i + 1] == 0);
            } else {
                c10 += (s[i + 1] == 0);
            }
        }
        c1 = (long)n - 1 - c0;
        z = c0 + (s[n - 1] == 0);
        cr_assert_eq(ea_markov(s, n, &r), EA_OK);
        cr_assert_float_eq(r.p0, (double)z / (double)n, 1e-15, "n = %zu", n);
        if (c0 > 0)
            cr_assert_float_eq(r.p00, (double)c00 / (double)c0, 1e-15, "n = %zu", n);
        if (c1 > 0)
            cr_assert_float_eq(r.p10, (double)c10 / (double)c1, 1e-15, "n = %zu", n);
        cr_assert(r.h >= 0.0 && r.h <= 1.0 && !isnan(r.p_hat_max));
    }
    free(s);
}

Test(markov, argument_errors)
{
    const uint8_t bad[] = {0, 1, 3, 1};
    ea_markov_result r;

    cr_assert_eq(ea_markov(bad, 4, NULL), EA_ERR_ARG);
    cr_assert_eq(ea_markov(NULL, 4, &r), EA_ERR_ARG);
    cr_assert_eq(ea_markov(bad, 4, &r), EA_ERR_ARG);   /* not binary */
}

Test(markov, tiny_inputs)
{
    const uint8_t s[] = {1, 0};
    ea_markov_result r;

    cr_assert_eq(ea_markov(s, 0, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_markov(NULL, 0, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_markov(s, 1, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_markov(s, 2, &r), EA_OK);
    cr_assert_float_eq(r.p0, 0.5, EPS);
    cr_assert_float_eq(r.p10, 1.0, EPS);
    cr_assert(!isnan(r.h) && r.h >= 0.0 && r.h <= 1.0);
}
