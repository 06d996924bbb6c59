/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_lz78y.c - unit tests for ea_lz78y() (SP 800-90B §6.3.10).
 *
 * Small cases are worked out by hand below; the longer pseudo-random
 * ones carry the C, N and r that NIST's tool (1.1.7) prints for the same
 * sequences.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "ea90b.h"
#include "test_util.h"

#define EPS 1e-12

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
    ea_predictor_result r;

    tu_expect_periodic(ea_lz78y, 40, 2, 2, 22, 23, 23, &r);
    tu_expect_no_nan(&r);
}

/* 0 1 2 ... (60 samples): s[17], s[18] meet unknown strings, then all right. */
Test(lz78y, period_three_literal)
{
    ea_predictor_result r;

    tu_expect_periodic(ea_lz78y, 60, 3, 3, 41, 43, 42, &r);
}

Test(lz78y, period_two_both_paths)
{
    uint8_t *s = tu_periodic(40, 2);
    ea_predictor_result r2, r3;

    tu_run_both_paths(ea_lz78y, s, 40, &r2, &r3);
    free(s);
}

/*
 * Binary data given as a 3-symbol alphabet go through the general
 * (context map) path; C, N and r must not change. 200,000 samples fill
 * the dictionary (65,536 strings) early on.
 */
Test(lz78y, binary_and_literal_paths_agree)
{
    tu_expect_paths_agree(ea_lz78y, 200000, 1, 99855, 199983, 18);   /* NIST's tool */
}

/* Larger alphabets, with the values NIST's tool gives for the same data. */
Test(lz78y, reference_values)
{
    static const tu_reference cases[] = {
        {4, 2, 15006, 59983, 9},
        {256, 3, 237, 59983, 3},
        {3, 4, 19890, 59983, 11},
    };

    tu_expect_references(ea_lz78y, 60000, cases, sizeof(cases) / sizeof(cases[0]));
}

Test(lz78y, argument_errors)
{
    uint8_t s[32] = {0};
    ea_predictor_result r;

    s[5] = 3;
    tu_expect_argument_errors(ea_lz78y, s, 32, 4);
    cr_assert_eq(ea_lz78y(s, 32, 3, &r), EA_ERR_ARG);   /* symbol 3 >= k */
}

/*
 * Fewer than 18 samples: no estimate. 18 zeros: one prediction (of
 * s[17], from the strings ending at s[15], all followed by 0), right.
 */
Test(lz78y, tiny_inputs)
{
    const uint8_t s[18] = {0};

    tu_expect_shortest(ea_lz78y, s, 18, 1, 1, 2);
}
