/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_mcv.c - unit tests for ea_mcv() (SP 800-90B §6.3.1).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "ea90b.h"
#include "numeric.h"

#define EPS 1e-12

/* p_u and H of step 2-3, written out independently of the library. */
static double expect_pu(double p_hat, double n)
{
    double pu = p_hat + EA_ZALPHA * sqrt(p_hat * (1.0 - p_hat) / (n - 1.0));
    return pu > 1.0 ? 1.0 : pu;
}

Test(mcv, small_alphabet_mode)
{
    const uint8_t s[] = {0, 1, 1, 2, 1, 0};
    ea_mcv_result r;

    cr_assert_eq(ea_mcv(s, 6, 3, &r), EA_OK);
    cr_assert_eq(r.mode, 3);
    cr_assert_float_eq(r.p_hat, 0.5, EPS);
    cr_assert_float_eq(r.p_u, expect_pu(0.5, 6.0), EPS);
    cr_assert_float_eq(r.h, -log2(expect_pu(0.5, 6.0)), EPS);
}

Test(mcv, binary_mode_is_majority)
{
    const uint8_t s[] = {1, 1, 1, 0};
    ea_mcv_result r;

    cr_assert_eq(ea_mcv(s, 4, 2, &r), EA_OK);
    cr_assert_eq(r.mode, 3);
    cr_assert_float_eq(r.p_hat, 0.75, EPS);
    cr_assert_float_eq(r.p_u, 1.0, EPS);   /* the bound exceeds 1 and is capped */
    cr_assert(fabs(r.h) < EPS);
}

Test(mcv, constant_sequence_has_no_entropy)
{
    uint8_t s[10] = {0};
    ea_mcv_result r;

    cr_assert_eq(ea_mcv(s, 10, 4, &r), EA_OK);
    cr_assert_eq(r.mode, 10);
    cr_assert_float_eq(r.p_hat, 1.0, EPS);
    cr_assert_float_eq(r.p_u, 1.0, EPS);
    cr_assert(fabs(r.h) < EPS);
}

/* Long binary input crosses the word-at-a-time batches and a ragged tail. */
Test(mcv, long_binary_counts)
{
    const size_t n = 10007;
    uint8_t *s = malloc(n);
    size_t ones = 0;
    ea_mcv_result r;

    cr_assert_not_null(s);
    for (size_t i = 0; i < n; i++) {
        s[i] = (uint8_t)(i % 3 == 0);
        ones += s[i];
    }
    cr_assert_eq(ea_mcv(s, n, 2, &r), EA_OK);
    cr_assert_eq(r.mode, (long)(n - ones));
    cr_assert_float_eq(r.p_hat, (double)(n - ones) / (double)n, EPS);
    cr_assert_float_eq(r.p_u, expect_pu(r.p_hat, (double)n), EPS);
    free(s);
}

Test(mcv, full_byte_alphabet)
{
    const size_t n = 1003;
    uint8_t s[1003];
    long counts[256] = {0}, best = 0;
    ea_mcv_result r;

    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)((i * 7) % 251);
    for (size_t i = 0; i < 40; i++)
        s[i] = 200;   /* make 200 the clear mode */
    for (size_t i = 0; i < n; i++)
        counts[s[i]]++;
    for (int v = 0; v < 256; v++)
        if (counts[v] > best)
            best = counts[v];
    cr_assert_eq(best, counts[200]);
    cr_assert_eq(ea_mcv(s, n, 256, &r), EA_OK);
    cr_assert_eq(r.mode, best);
    cr_assert_float_eq(r.p_hat, (double)best / 1003.0, EPS);
    cr_assert(isfinite(r.h) && r.h > 0.0 && r.h <= 8.0);
}

Test(mcv, argument_errors)
{
    const uint8_t s[] = {0, 1, 2, 5};
    ea_mcv_result r;

    cr_assert_eq(ea_mcv(s, 4, 8, NULL), EA_ERR_ARG);
    cr_assert_eq(ea_mcv(NULL, 4, 8, &r), EA_ERR_ARG);
    cr_assert_eq(ea_mcv(s, 4, 1, &r), EA_ERR_ARG);
    cr_assert_eq(ea_mcv(s, 4, 257, &r), EA_ERR_ARG);
    cr_assert_eq(ea_mcv(s, 4, 3, &r), EA_ERR_ARG);   /* symbol 5 >= k */
    cr_assert_eq(ea_mcv(s, 3, 2, &r), EA_ERR_ARG);   /* symbol 2 >= k */
}

Test(mcv, tiny_inputs)
{
    const uint8_t s[] = {1, 0};
    ea_mcv_result r;

    cr_assert_eq(ea_mcv(s, 0, 2, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_mcv(NULL, 0, 2, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_mcv(s, 1, 2, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_mcv(s, 2, 2, &r), EA_OK);
    cr_assert_eq(r.mode, 1);
    cr_assert(!isnan(r.p_u) && !isnan(r.h));
}
