/* SPDX-License-Identifier: Apache-2.0 */
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

/*
 * The whole non-IID run refuses what NIST's tool aborts on (docs/estimators.md, "Minimum sample
 * counts"): a binary sequence shorter than 19 (LZ78Y's binary predictor asserts L > B + 2),
 * a literal sequence of more than two symbols shorter than 3 (Lag asserts L > 2), and the
 * bitstring (k > 2, or conditioned mode) shorter than 19 bits.
 */
Test(lz78y, noniid_run_minimum_sample_counts)
{
    uint8_t s[32];
    ea_dataset ds;
    ea_noniid_result *res = malloc(sizeof *res);
    ea_noniid_opts init = { .initial = 1, .threads = 1 }, cond = { .initial = 0, .threads = 1 };

    cr_assert_not_null(res);
    for (int i = 0; i < 32; i++)
        s[i] = (uint8_t)(i % 2);
    cr_assert_eq(ea_dataset_init(&ds, s, 18, 1), EA_OK);          /* two symbols, 18 */
    cr_assert_eq(ea_noniid_min_samples(&ds, 1), EA_NONIID_MIN_BINARY);
    cr_assert_eq(ea_noniid_run(&ds, &init, res), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_noniid_run(&ds, &cond, res), EA_ERR_TOO_SHORT);
    ea_dataset_free(&ds);
    cr_assert_eq(ea_dataset_init(&ds, s, 19, 1), EA_OK);
    cr_assert_eq(ea_noniid_run(&ds, &init, res), EA_OK);
    cr_assert(res->h_original >= 0.0 && !signbit(res->h_original));
    cr_assert_eq(ea_noniid_run(&ds, &cond, res), EA_OK);
    ea_dataset_free(&ds);
    for (int i = 0; i < 32; i++)
        s[i] = (uint8_t)(i % 3);
    cr_assert_eq(ea_dataset_init(&ds, s, 9, 2), EA_OK);            /* 3 symbols, 18 bits */
    cr_assert_eq(ea_noniid_min_samples(&ds, 1), 10);
    cr_assert_eq(ea_noniid_run(&ds, &init, res), EA_ERR_TOO_SHORT);
    ea_dataset_free(&ds);
    cr_assert_eq(ea_dataset_init(&ds, s, 10, 2), EA_OK);
    cr_assert_eq(ea_noniid_run(&ds, &init, res), EA_OK);
    ea_dataset_free(&ds);
    cr_assert_eq(ea_dataset_init(&ds, s, 2, 8), EA_OK);            /* 2 symbols of 8 bits */
    cr_assert_eq(ea_noniid_min_samples(&ds, 1), EA_NONIID_MIN_BINARY);
    cr_assert_eq(ea_noniid_min_samples(&ds, 0), 3);
    ea_dataset_free(&ds);
    cr_assert_eq(ea_dataset_init(&ds, s, 3, 8), EA_OK);            /* 3 symbols of 8 bits */
    cr_assert_eq(ea_noniid_min_samples(&ds, 1), EA_NONIID_MIN_LITERAL);
    cr_assert_eq(ea_noniid_run(&ds, &init, res), EA_OK);
    cr_assert(!signbit(res->h_original), "no -0: %g", res->h_original);
    ea_dataset_free(&ds);
    cr_assert_eq(ea_noniid_min_samples(NULL, 1), 0);
    free(res);
}
