/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_compression.c - unit tests for ea_compression() (SP 800-90B §6.3.4).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"
#include "numeric.h"
#include "test_util.h"

#define EPS 1e-12
#define D 1000

/* Write block value v (6 bits, MSB first) as block number i. */
static void put_block(uint8_t *s, size_t i, unsigned v)
{
    for (int j = 0; j < 6; j++)
        s[i * 6 + (size_t)j] = (uint8_t)((v >> (5 - j)) & 1u);
}

/*
 * G(z) straight from the text of step 7, in long double:
 * (1/v) sum_{t=d+1}^{nb} sum_{u=1}^{t} log2(u) F(z, t, u).
 */
static long double text_g(long double z, long nb)
{
    long double total = 0.0L;

    for (long t = D + 1; t <= nb; t++) {
        long double inner = 0.0L, pw = 1.0L;   /* pw = (1-z)^(u-1) */
        for (long u = 1; u < t; u++) {
            inner += log2l((long double)u) * z * z * pw;
            pw *= 1.0L - z;
        }
        inner += log2l((long double)t) * z * pw;
        total += inner;
    }
    return total / (long double)(nb - D);
}

/* Every block value in turn: each distance is 64, so X_bar = 6. */
Test(compression, periodic_blocks_give_full_entropy)
{
    const size_t nb = 2000, n = nb * 6;
    uint8_t *s = malloc(n);
    const double v = (double)(nb - D);
    ea_compression_result r;

    cr_assert_not_null(s);
    for (size_t i = 0; i < nb; i++)
        put_block(s, i, (unsigned)(i % 64));
    cr_assert_eq(ea_compression(s, n, &r), EA_OK);
    cr_assert_float_eq(r.x_bar, 6.0, EPS);
    cr_assert_float_eq(r.sigma_hat, 0.5907 * 6.0 / sqrt(v - 1.0), 1e-9);
    cr_assert_float_eq(r.x_bar_prime, 6.0 - EA_ZALPHA * r.sigma_hat / sqrt(v), EPS);
    /* 6 is above the expectation at p = 1/64: no search, full entropy */
    cr_assert_eq(r.found_p, 0);
    cr_assert_float_eq(r.p, 1.0 / 64.0, EPS);
    cr_assert_float_eq(r.h, 1.0, EPS);
    free(s);
}

/* A constant sequence repeats its block at distance 1: p -> 1, H -> 0. */
Test(compression, constant_sequence_has_no_entropy)
{
    const size_t n = 1500 * 6;
    uint8_t *s = calloc(n, 1);
    ea_compression_result r;

    cr_assert_not_null(s);
    cr_assert_eq(ea_compression(s, n, &r), EA_OK);
    cr_assert_float_eq(r.x_bar, 0.0, EPS);
    cr_assert_float_eq(r.sigma_hat, 0.0, EPS);
    cr_assert_eq(r.found_p, 1);
    cr_assert(r.p > 0.999 && r.p <= 1.0);
    cr_assert(fabs(r.h) < 1e-3);
    free(s);
}

/* The p found satisfies the step-7 equation written as in the text. */
Test(compression, p_solves_text_equation)
{
    const long nb = 1400;
    const size_t n = (size_t)nb * 6 + 5;   /* 5 trailing bits are ignored */
    uint8_t *s = tu_lcg_bits(n, 2024u);
    ea_compression_result r, r2;
    long double p, q, val;

    cr_assert_not_null(s);
    cr_assert_eq(ea_compression(s, n, &r), EA_OK);
    cr_assert_eq(r.found_p, 1);
    cr_assert(r.x_bar > 4.0 && r.x_bar < 6.0);
    p = r.p;
    q = (1.0L - p) / 63.0L;
    val = text_g(p, nb) + 63.0L * text_g(q, nb);
    cr_assert(fabsl(val / (long double)r.x_bar_prime - 1.0L) < 1e-9L,
              "G at p = %.17g is %.17Lg, X_bar' = %.17g", r.p, val, r.x_bar_prime);
    cr_assert_float_eq(r.h, -log2(r.p) / 6.0, EPS);

    cr_assert_eq(ea_compression(s, n - 5, &r2), EA_OK);
    cr_assert_float_eq(r2.p, r.p, 0.0);
    free(s);
}

/* Random bits: a finite estimate in range on the long path. */
Test(compression, random_bits_in_range)
{
    const size_t n = 60000;
    uint8_t *s = tu_lcg_bits(n, 99u);
    ea_compression_result r;

    cr_assert_not_null(s);
    cr_assert_eq(ea_compression(s, n, &r), EA_OK);
    cr_assert(isfinite(r.x_bar) && isfinite(r.sigma_hat) && isfinite(r.x_bar_prime));
    cr_assert(r.p >= 1.0 / 64.0 && r.p <= 1.0);
    cr_assert(r.h > 0.0 && r.h <= 1.0);
    free(s);
}

Test(compression, argument_errors)
{
    uint8_t *s = calloc(7000, 1);
    ea_compression_result r;

    cr_assert_not_null(s);
    cr_assert_eq(ea_compression(s, 7000, NULL), EA_ERR_ARG);
    cr_assert_eq(ea_compression(NULL, 7000, &r), EA_ERR_ARG);
    s[6999] = 2;
    cr_assert_eq(ea_compression(s, 7000, &r), EA_ERR_ARG);   /* not binary */
    free(s);
}

Test(compression, too_few_blocks)
{
    uint8_t *s = calloc(6100, 1);
    ea_compression_result r;

    cr_assert_not_null(s);
    cr_assert_eq(ea_compression(s, 0, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_compression(NULL, 0, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_compression(s, 1, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_compression(s, 2, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_compression(s, 6005, &r), EA_ERR_TOO_SHORT);   /* 1000 blocks */
    cr_assert_eq(ea_compression(s, 6011, &r), EA_ERR_TOO_SHORT);   /* v = 1 */
    cr_assert_eq(ea_compression(s, 6012, &r), EA_OK);              /* v = 2 */
    cr_assert(!isnan(r.h) && !isnan(r.p) && !isnan(r.sigma_hat));
    free(s);
}
