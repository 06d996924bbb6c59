/* SPDX-License-Identifier: Apache-2.0 */
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
#include "test_util.h"

#define EPS 1e-12

/*
 * 0 1 0 1 ... (20 samples). N = 18. Model 0 starts with "0" -> 1; at
 * s[2] the string "1" is new (no prediction); from s[3] on model 0 is
 * always right and always leads (model d first predicts at s[d+3], so
 * its score stays below). C = 17, one run of 17, r = 18.
 */
Test(multi_mmc, period_two_binary)
{
    ea_predictor_result r;

    tu_expect_periodic(ea_multi_mmc, 20, 2, 2, 17, 18, 18, &r);
    tu_expect_no_nan(&r);
}

/* 0 1 2 0 1 2 ... (60 samples): s[2] and s[3] find new strings, then all right. */
Test(multi_mmc, period_three_literal)
{
    ea_predictor_result r;

    tu_expect_periodic(ea_multi_mmc, 60, 3, 3, 56, 58, 57, &r);
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
    tu_expect_counts(&r, 1, 4, 2);
}

/* The same for binary data: 1 0 1 1 1, "1" -> {0: 1, 1: 1} predicts 1 at s[4]. */
Test(multi_mmc, binary_tie_goes_to_one)
{
    const uint8_t s[] = {1, 0, 1, 1, 1};
    ea_predictor_result r2, r3;

    tu_run_both_paths(ea_multi_mmc, s, 5, &r2, &r3);
    tu_expect_counts(&r2, 1, 3, 2);
    tu_expect_counts(&r3, 1, 3, 2);
}

/* A constant sequence: every prediction right, P = 1, no entropy, no NaN. */
Test(multi_mmc, constant_sequence)
{
    uint8_t s[100] = {0};
    ea_predictor_result r;

    cr_assert_eq(ea_multi_mmc(s, 100, 2, &r), EA_OK);
    tu_expect_counts(&r, 98, 98, 99);
    cr_assert_float_eq(r.p_global, 1.0, EPS);
    cr_assert_float_eq(r.p_global_prime, 1.0, EPS);
    cr_assert(fabs(r.h) < EPS);
    tu_expect_no_nan(&r);
}

/*
 * Binary data given as a 3-symbol alphabet go through the general
 * (context map) path; C, N and r must not change. 200,000 samples fill
 * the last model up to its 100,000 pairs.
 */
Test(multi_mmc, binary_and_literal_paths_agree)
{
    tu_expect_paths_agree(ea_multi_mmc, 200000, 1, 99773, 199998, 21);   /* NIST's tool */
}

Test(multi_mmc, period_two_both_paths)
{
    uint8_t *s = tu_periodic(20, 2);
    ea_predictor_result r2, r3;

    tu_run_both_paths(ea_multi_mmc, s, 20, &r2, &r3);
    free(s);
}

/* Larger alphabets, with the values NIST's tool gives for the same data. */
Test(multi_mmc, reference_values)
{
    static const tu_reference cases[] = {
        {4, 2, 14875, 59998, 8},
        {256, 3, 233, 59998, 3},
        {3, 4, 19808, 59998, 10},
    };

    tu_expect_references(ea_multi_mmc, 60000, cases, sizeof(cases) / sizeof(cases[0]));
}

Test(multi_mmc, argument_errors)
{
    const uint8_t s[] = {0, 1, 2, 3, 0, 1};
    ea_predictor_result r;

    tu_expect_argument_errors(ea_multi_mmc, s, 6, 4);
    cr_assert_eq(ea_multi_mmc(s, 6, 3, &r), EA_ERR_ARG);   /* symbol 3 >= k */
    cr_assert_eq(ea_multi_mmc(s, 6, 2, &r), EA_ERR_ARG);   /* not binary */
}

/* Fewer than 3 samples: no estimate; 3 samples: one prediction, finite values. */
Test(multi_mmc, tiny_inputs)
{
    const uint8_t s[] = {0, 0, 0};

    tu_expect_shortest(ea_multi_mmc, s, 3, 1, 1, 2);
}
