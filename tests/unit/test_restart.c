/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_restart.c - SP 800-90B §3.1.4 restart tests: alpha, the exact
 * sanity cutoff (against an independent binomial computation and the
 * reference's simulation), datasets and argument checks.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"

Test(restart, alpha)
{
    cr_expect_eq(ea_restart_alpha(), 5.0251553006530614e-06);
}

/* P(Bin(1000, 1/2) > c), summed independently of the library. */
static double half_tail(int c)
{
    double s = 0.0;

    for (int j = c + 1; j <= 1000; j++)
        s += exp(lgamma(1001.0) - lgamma(j + 1.0) - lgamma(1001.0 - j) - 1000.0 * log(2.0));
    return s;
}

/* H_I = 1: two cells of 1/2, max = max(N, 1000 - N), so P(max > c) = 2 P(N > c). */
Test(restart, tail_two_cells)
{
    for (int c = 520; c <= 600; c += 20) {
        double t;
        cr_assert_eq(ea_restart_max_tail(1.0, c, &t), EA_OK);
        /* 1 - P(max <= c) in long double: absolute error ~1e-15 */
        cr_expect(fabs(t - 2.0 * half_tail(c)) <= 1e-9 * t + 1e-15, "c %d: %.12g vs %.12g", c, t,
                  2.0 * half_tail(c));
    }
}

/* The cutoffs of the reference vectors (and the documented near-alpha case). */
Test(restart, exact_cutoffs)
{
    static const struct { double h; int cut; } cases[] = {
        { 0.506363, 766 }, { 0.733227, 669 }, { 1.562214, 408 },
    };
    double a = ea_restart_alpha();

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int c;
        double t, below;
        cr_assert_eq(ea_restart_cutoff_exact(cases[i].h, a, &c, &t), EA_OK);
        cr_expect_eq(c, cases[i].cut, "H_I %g: cutoff %d, expected %d", cases[i].h, c, cases[i].cut);
        cr_assert_eq(ea_restart_max_tail(cases[i].h, c - 1, &below), EA_OK);
        cr_expect(t <= a && below > a, "H_I %g: tails %.6g / %.6g around alpha", cases[i].h, t, below);
    }
}

/* The tail decreases in c and stays a probability, over a sweep of H_I. */
Test(restart, tail_monotone)
{
    static const double hs[] = { 0.25, 1.5, 3.0, 5.0, 8.0 };

    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++) {
        double prev = 1.0, t, h = hs[i];
        for (int c = 0; c <= 1000; c += 111) {
            cr_assert_eq(ea_restart_max_tail(h, c, &t), EA_OK);
            cr_expect(t >= 0.0 && t <= prev + 1e-12, "H_I %g c %d: %.6g after %.6g", h, c, t, prev);
            prev = t;
        }
    }
}

/*
 * The exact quantile agrees with the reference's simulation across a
 * sweep of H_I. At the real alpha (5e-6) the simulation needs millions of
 * rounds, so the sweep uses alpha = 0.01 and 40,000 rounds, where the
 * sampling error of the simulated quantile is well under one count unless
 * the exact tail lies close to alpha; then it may land one count away.
 */
Test(restart, simulation_agrees_with_exact, .timeout = 60)
{
    static const double hs[] = { 0.3, 1.0, 1.7, 2.5, 4.0, 8.0 };
    const double a = 0.01;

    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++) {
        int exact, sim;
        double t, below;
        cr_assert_eq(ea_restart_cutoff_exact(hs[i], a, &exact, &t), EA_OK);
        cr_assert_eq(ea_restart_max_tail(hs[i], exact - 1, &below), EA_OK);
        cr_assert_eq(ea_restart_cutoff_simulate(hs[i], a, 40000, 7 + i, 2, &sim), EA_OK);
        cr_expect(abs(sim - exact) <= 1, "H_I %g: simulated %d, exact %d", hs[i], sim, exact);
        /* one count away only when a neighbouring tail is within 15% of alpha */
        if (sim != exact)
            cr_expect(fabs(below - a) < 0.15 * a || fabs(t - a) < 0.15 * a,
                      "H_I %g: simulated %d, exact %d, tails %.4g %.4g", hs[i], sim, exact, below, t);
    }
}

Test(restart, simulation_thread_independent)
{
    int c1, c2, c3;

    cr_assert_eq(ea_restart_cutoff_simulate(2.0, 0.01, 60000, 42, 1, &c1), EA_OK);
    cr_assert_eq(ea_restart_cutoff_simulate(2.0, 0.01, 60000, 42, 3, &c2), EA_OK);
    cr_assert_eq(ea_restart_cutoff_simulate(2.0, 0.01, 60000, 43, 2, &c3), EA_OK);
    cr_expect_eq(c1, c2);
    cr_expect(abs(c1 - c3) <= 2);
}

Test(restart, bad_arguments)
{
    int c;
    double t;

    cr_expect_eq(ea_restart_cutoff_exact(0.0, 0.01, &c, &t), EA_ERR_ARG);
    cr_expect_eq(ea_restart_cutoff_exact(8.5, 0.01, &c, &t), EA_ERR_ARG);
    cr_expect_eq(ea_restart_cutoff_exact(NAN, 0.01, &c, &t), EA_ERR_ARG);
    cr_expect_eq(ea_restart_cutoff_exact(1.0, 0.0, &c, &t), EA_ERR_ARG);
    cr_expect_eq(ea_restart_max_tail(1.0, 1001, &t), EA_ERR_ARG);
    cr_expect_eq(ea_restart_cutoff_simulate(1.0, 0.01, 0, 1, 1, &c), EA_ERR_ARG);
    cr_expect_eq(ea_restart_max_tail(1.0, 1000, &t), EA_OK);
    cr_expect_eq(t, 0.0);
}

static uint8_t *pattern(void)
{
    uint8_t *b = malloc(EA_RESTART_SAMPLES);

    cr_assert_not_null(b);
    for (long k = 0; k < EA_RESTART_SAMPLES; k++)
        b[k] = (uint8_t)((k / 1000) * 7 % 4 ^ (k % 1000) % 4);
    return b;
}

Test(restart, columns_transpose)
{
    uint8_t *b = pattern();
    ea_dataset rows, cols;

    cr_assert_eq(ea_dataset_init(&rows, b, EA_RESTART_SAMPLES, 2), EA_OK);
    cr_assert_eq(ea_restart_columns(&rows, &cols), EA_OK);
    for (int i = 0; i < 1000; i += 37)
        for (int j = 0; j < 1000; j += 41)
            cr_assert_eq(cols.raw[j * 1000 + i], rows.raw[i * 1000 + j]);
    cr_expect_eq(cols.alph_size, rows.alph_size);
    ea_dataset_free(&cols);
    ea_dataset_free(&rows);
    free(b);
}

/* Every column constant: X_max = 1000, the sanity check fails, no validation. */
Test(restart, sanity_fails_on_constant_columns)
{
    uint8_t *b = malloc(EA_RESTART_SAMPLES);
    ea_dataset ds;
    ea_restart_opts o = { .h_i = 2.0, .iid = 0, .threads = 1 };
    ea_restart_result *r = malloc(sizeof *r);

    cr_assert(b && r);
    for (long k = 0; k < EA_RESTART_SAMPLES; k++)
        b[k] = (uint8_t)(k % 1000 % 4);
    cr_assert_eq(ea_dataset_init(&ds, b, EA_RESTART_SAMPLES, 2), EA_OK);
    cr_assert_eq(ea_restart_run(&ds, &o, r), EA_OK);
    cr_expect_eq(r->x_r, 250);
    cr_expect_eq(r->x_c, 1000);
    cr_expect_eq(r->col_max[3], 1000);
    cr_expect_eq(r->row_max[999], 250);
    cr_expect_not(r->sanity_passed);
    cr_expect_not(r->validated);
    ea_dataset_free(&ds);
    free(b);
    free(r);
}

Test(restart, run_rejects_bad_input)
{
    uint8_t *b = pattern();
    ea_dataset ds, shortds;
    ea_restart_opts o = { .h_i = 2.0, .iid = 1, .threads = 1 };
    ea_restart_result *r = malloc(sizeof *r);

    cr_assert_not_null(r);
    cr_assert_eq(ea_dataset_init(&ds, b, EA_RESTART_SAMPLES, 2), EA_OK);
    cr_assert_eq(ea_dataset_init(&shortds, b, EA_RESTART_SAMPLES - 1, 2), EA_OK);
    cr_expect_eq(ea_restart_run(&shortds, &o, r), EA_ERR_RANGE);
    o.h_i = 2.5;
    cr_expect_eq(ea_restart_run(&ds, &o, r), EA_ERR_ARG);
    o.h_i = 0.0;
    cr_expect_eq(ea_restart_run(&ds, &o, r), EA_ERR_ARG);
    memset(b, 3, EA_RESTART_SAMPLES);
    ea_dataset_free(&ds);
    cr_assert_eq(ea_dataset_init(&ds, b, EA_RESTART_SAMPLES, 2), EA_OK);
    o.h_i = 1.0;
    cr_expect_eq(ea_restart_run(&ds, &o, r), EA_ERR_ONE_SYMBOL);
    ea_dataset_free(&ds);
    ea_dataset_free(&shortds);
    free(b);
    free(r);
}

/*
 * Balanced but predictable: a maximal-length LFSR bit sequence (period
 * 1023, so every row and every column, a decimation of it, is balanced).
 * The sanity check passes at H_I = 1; the predictors see through it, so
 * min(H_r, H_c) < 1/2 and the validation fails.
 */
Test(restart, validation_fails_on_lfsr, .timeout = 60)
{
    uint8_t *b = malloc(EA_RESTART_SAMPLES);
    ea_dataset ds;
    ea_restart_opts o = { .h_i = 1.0, .iid = 0, .threads = 2 };
    ea_restart_result *r = malloc(sizeof *r);
    unsigned s = 1;

    cr_assert(b && r);
    for (long k = 0; k < EA_RESTART_SAMPLES; k++) {
        unsigned bit = ((s >> 9) ^ (s >> 6)) & 1u;   /* x^10 + x^7 + 1 */
        s = ((s << 1) | bit) & 0x3FFu;
        b[k] = (uint8_t)bit;
    }
    cr_assert_eq(ea_dataset_init(&ds, b, EA_RESTART_SAMPLES, 1), EA_OK);
    cr_assert_eq(ea_restart_run(&ds, &o, r), EA_OK);
    cr_expect(r->sanity_passed, "X_max %d, cutoff %d", r->x_max, r->cutoff);
    cr_expect(r->validated);
    cr_expect(r->h_r < 0.5 && r->h_c < 0.5, "H_r %g H_c %g", r->h_r, r->h_c);
    cr_expect_not(r->validation_passed);
    cr_expect(r->rows.literal[EA_EST_COLLISION].ran, "binary: collision runs");
    ea_dataset_free(&ds);
    free(b);
    free(r);
}

/* The library must not write the global signgam (lgamma/lgammal do; a data race under threads). */
Test(restart, no_global_state)
{
    int c;
    double t;

    signgam = 4242;
    cr_assert_eq(ea_restart_cutoff_exact(1.0, ea_restart_alpha(), &c, &t), EA_OK);
    cr_assert_eq(ea_restart_max_tail(3.3, 200, &t), EA_OK);
    cr_assert_eq(signgam, 4242);
}

/*
 * -i with EA_RESTART_IID_TESTS_NO_PERM (ea90b restart -i): chi-square and LRS run on rows and
 * columns, the permutation tests do not; a periodic pattern fails them, the MCV-based
 * validation (§3.1.4.2) still passes.
 */
Test(restart, iid_tests_without_permutation)
{
    uint8_t *b = malloc(EA_RESTART_SAMPLES);
    ea_dataset ds;
    ea_restart_opts o = { .h_i = 1.0, .iid = 1, .threads = 1,
                          .iid_tests = EA_RESTART_IID_TESTS_NO_PERM };
    ea_restart_result *r = malloc(sizeof *r);

    cr_assert(b && r);
    for (long k = 0; k < EA_RESTART_SAMPLES; k++)
        b[k] = (uint8_t)(k % 16);
    cr_assert_eq(ea_dataset_init(&ds, b, EA_RESTART_SAMPLES, 4), EA_OK);
    cr_assert_eq(ea_restart_run(&ds, &o, r), EA_OK);
    cr_expect(r->sanity_passed);
    cr_expect(r->iid_tests_run);
    cr_expect_not(r->iid_perm_run);
    cr_expect_eq(r->iid_rows.perm.passed, 0);
    cr_expect_not(r->iid_rows.chisq.passed && r->iid_cols.chisq.passed &&
                  r->iid_rows.lrs.passed && r->iid_cols.lrs.passed);
    cr_expect_not(r->iid_passed);
    cr_expect(r->validation_passed, "H_r %g H_c %g", r->h_r, r->h_c);
    ea_dataset_free(&ds);
    free(b);
    free(r);
}
