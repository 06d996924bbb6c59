/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_chi_square.c - unit tests for the incomplete gamma functions
 * (gamma.c) and ea_chi_square_tests(): SP 800-90B §5.2.1-§5.2.4.
 *
 * Expected values are independent of the library: closed forms of Q(a, x)
 * (integer and half-integer a), chi-square table critical values, and
 * statistics worked out by hand for datasets built so that the bins,
 * observed and expected counts are known in advance.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"
#include "gamma.h"

#define REL 1e-13

static void assert_rel(double got, double want, double tol)
{
    double scale = fabs(want) > 0.0 ? fabs(want) : 1.0;
    cr_assert(fabs(got - want) <= tol * scale, "got %.17g, want %.17g", got, want);
}

/* Q(n, x) = e^-x Σ_{j<n} x^j / j! for integer n >= 1. */
static double q_integer(int n, double x)
{
    double term = 1.0, sum = 1.0;

    for (int j = 1; j < n; j++) {
        term *= x / j;
        sum += term;
    }
    return exp(-x) * sum;
}

/* Q(n + 1/2, x) = erfc(√x) + e^-x Σ_{j=1..n} x^(j-1/2) / Γ(j + 1/2). */
static double q_half(int n, double x)
{
    double sum = erfc(sqrt(x)), g = sqrt(M_PI) / 2.0;  /* Γ(3/2) */
    double p = sqrt(x);                                  /* x^(1/2) */

    for (int j = 1; j <= n; j++) {
        sum += exp(-x) * p / g;
        p *= x;
        g *= j + 0.5;
    }
    return sum;
}

/* ------------------------------------------------------------------ */
/* Incomplete gamma                                                     */
/* ------------------------------------------------------------------ */

Test(gamma, q_of_one_is_exponential)
{
    const double xs[] = {1e-6, 0.3, 1.0, 2.5, 10.0, 50.0, 300.0};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        assert_rel(ea_gamma_q(1.0, xs[i]), exp(-xs[i]), REL);
}

Test(gamma, conventions_at_zero)
{
    cr_assert_eq(ea_gamma_q(3.0, 0.0), 1.0);
    cr_assert_eq(ea_gamma_q(0.5, -1.0), 1.0);
    cr_assert_eq(ea_gamma_q(0.0, 5.0), 1.0);    /* df = 0 */
    cr_assert_eq(ea_gamma_q(-2.0, 5.0), 1.0);   /* df < 0 */
    cr_assert_eq(ea_gamma_p(3.0, 0.0), 0.0);
    cr_assert_eq(ea_chisq_pvalue(0.0, 0), 1.0);
    cr_assert_eq(ea_chisq_pvalue(12.0, -7), 1.0);
}

Test(gamma, integer_and_half_integer_closed_forms)
{
    const double xs[] = {0.05, 0.7, 1.0, 3.7, 9.0, 20.0, 41.5, 90.0};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        for (int n = 1; n <= 30; n += 3) {
            assert_rel(ea_gamma_q(n, xs[i]), q_integer(n, xs[i]), 1e-12);
            assert_rel(ea_gamma_q(n + 0.5, xs[i]), q_half(n, xs[i]), 1e-12);
        }
        assert_rel(ea_gamma_q(0.5, xs[i]), erfc(sqrt(xs[i])), 1e-12);
    }
}

Test(gamma, p_plus_q_is_one)
{
    const double as[] = {0.5, 1.0, 4.5, 17.0, 300.0, 32640.0};
    for (size_t i = 0; i < sizeof as / sizeof as[0]; i++) {
        for (double f = 0.25; f < 3.0; f += 0.25) {
            double x = as[i] * f;
            /* At x = a both sides are computed from x^a e^-x / Γ(a); its
             * exponent a ln x - x - ln Γ(a) is rounded at the size of its
             * terms (as in the reference), hence the scaled tolerance. */
            double tol = 1e-15 * (as[i] * fabs(log(x)) + x + 10.0);
            assert_rel(ea_gamma_p(as[i], x) + ea_gamma_q(as[i], x), 1.0, tol);
        }
    }
}

/* Upper 5% and 0.1% points of the chi-square distribution (tables). */
Test(gamma, chi_square_table_values)
{
    assert_rel(ea_chisq_pvalue(3.841458820694124, 1), 0.05, 1e-12);
    assert_rel(ea_chisq_pvalue(18.307038053275146, 10), 0.05, 1e-12);
    assert_rel(ea_chisq_pvalue(124.34211340400407, 100), 0.05, 1e-12);
    assert_rel(ea_chisq_pvalue(10.827566170662733, 1), 0.001, 1e-12);
    assert_rel(ea_chisq_pvalue(27.877164871256568, 9), 0.001, 1e-12);
    /* 2 degrees of freedom: Q(1, T/2) = e^(-T/2) */
    assert_rel(ea_chisq_pvalue(20.0, 2), exp(-10.0), REL);
}

/* Large a, where the 8-bit §5.2.1 test lives: Q(a, a) -> 1/2 - 1/(3√(2πa)). */
Test(gamma, large_a_near_the_mode)
{
    double a = 32640.0, q = ea_gamma_q(a, a);
    double approx = 0.5 - 1.0 / (3.0 * sqrt(2.0 * M_PI * a));

    cr_assert(fabs(q - approx) < 1e-6, "Q(a, a) = %.17g", q);
    cr_assert(isfinite(ea_gamma_q(a, 1.5 * a)) && ea_gamma_q(a, 1.5 * a) < 1e-300);
}

/* Where x^a e^-x / Γ(a) underflows the reference returns exactly 0; so do we. */
Test(gamma, underflow_gives_exact_zero)
{
    cr_assert_eq(ea_gamma_q(1.0, 800.0), 0.0);
    cr_assert_eq(ea_gamma_p(1.0, 800.0), 1.0);
    cr_assert_eq(ea_chisq_pvalue(3403333.0, 1022), 0.0);
}

Test(gamma, log_gamma_values)
{
    /* ln Γ(1) = ln Γ(2) = 0, to the absolute accuracy of ln Γ(10) - ln 9! */
    cr_assert(fabs(ea_log_gamma(1.0)) < 1e-14);
    cr_assert(fabs(ea_log_gamma(2.0)) < 1e-14);
    assert_rel(ea_log_gamma(0.5), 0.5 * log(M_PI), 1e-14);
    assert_rel(ea_log_gamma(10.0), log(362880.0), 1e-15);
    assert_rel(ea_log_gamma(100.5), lgamma(100.5), 1e-15);
    assert_rel(ea_log_gamma(32640.0), lgamma(32640.0), 1e-15);
}

/* ------------------------------------------------------------------ */
/* ea_chi_square_tests                                                  */
/* ------------------------------------------------------------------ */

static void load(ea_dataset *ds, const uint8_t *buf, size_t n)
{
    cr_assert_eq(ea_dataset_init(ds, buf, n, 0), EA_OK);
}

static void assert_finite(const ea_chisq_result *r)
{
    cr_assert(isfinite(r->independence.score) && isfinite(r->independence.p_value));
    cr_assert(isfinite(r->goodness_of_fit.score) && isfinite(r->goodness_of_fit.p_value));
}

/*
 * §5.2.3 by hand: 40 bits, p0 = p1 = 1/2. m = 2 (1/4 * 20 = 5 >= 5, while
 * m = 3 gives 1/8 * 13 < 5); 20 blocks, e = 5 per pattern. Blocks 00 x10,
 * 11 x10: T = (25 + 25 + 25 + 25) / 5 = 20 with 2 degrees of freedom,
 * p = e^-10: fails.
 */
Test(chi_square, binary_independence_by_hand)
{
    uint8_t buf[40];
    ea_dataset ds;
    ea_chisq_result r;

    for (int i = 0; i < 20; i++)
        buf[2 * i] = buf[2 * i + 1] = (uint8_t)(i % 2);
    load(&ds, buf, 40);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    cr_assert(r.binary);
    assert_rel(r.independence.score, 20.0, 1e-14);
    cr_assert_eq(r.independence.df, 2);
    assert_rel(r.independence.p_value, exp(-10.0), 1e-12);
    cr_assert(!r.independence.passed);
    cr_assert(!r.passed);
    ea_dataset_free(&ds);
}

/*
 * §5.2.4 by hand: the same 40 bits in 10 parts of 4: each part is 0011 or
 * 1100 (two ones), e0 = e1 = 2, so T = 0, 9 degrees of freedom, p = 1.
 * The 20-bit pattern 11 00 11 00 ... has parts of 2 bits: o1 = 2 or 0, each
 * part adds 1 + 1 = 2, T = 20, p = Q(4.5, 10).
 */
Test(chi_square, binary_goodness_of_fit_by_hand)
{
    uint8_t buf[40];
    ea_dataset ds;
    ea_chisq_result r;

    for (int i = 0; i < 20; i++)
        buf[2 * i] = buf[2 * i + 1] = (uint8_t)(i % 2);
    load(&ds, buf, 40);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    cr_assert(fabs(r.goodness_of_fit.score) < 1e-12);
    cr_assert_eq(r.goodness_of_fit.df, 9);
    assert_rel(r.goodness_of_fit.p_value, 1.0, 1e-15);
    cr_assert(r.goodness_of_fit.passed);
    ea_dataset_free(&ds);

    load(&ds, buf, 20);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    assert_rel(r.goodness_of_fit.score, 20.0, 1e-14);
    assert_rel(r.goodness_of_fit.p_value, q_half(4, 10.0), 1e-12);
    assert_rel(r.goodness_of_fit.p_value, 0.017912404529843298, 1e-12);
    cr_assert(r.goodness_of_fit.passed);
    ea_dataset_free(&ds);
}

/*
 * §5.2.1 by hand, with merging: 60 samples, each of 0, 1, 2 twenty times,
 * so the 9 pair expectations are all 30/9 = 3.33 and tie; in pair order
 * the bins are {00,01} {02,10} {11,12} {20,21}, and the last {22} (3.33 <
 * 5) merges into {20,21,22}: q = 4, E = 20/3, 20/3, 20/3, 10, df = 4 - 3.
 * The 30 pairs, as a matrix of counts (row = first symbol), are
 *   4 4 2 / 3 3 4 / 3 3 4
 * (rows and columns sum to 10, so each symbol occurs 20 times):
 * o = 8, 5, 7, 10 and T = (16/9 + 25/9 + 1/9) / (20/3) = 0.7.
 */
Test(chi_square, independence_bins_by_hand)
{
    static const int count[3][3] = {{4, 4, 2}, {3, 3, 4}, {3, 3, 4}};
    uint8_t buf[60];
    size_t at = 0;
    ea_dataset ds;
    ea_chisq_result r;

    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            for (int c = 0; c < count[i][j]; c++) {
                buf[at++] = (uint8_t)i;
                buf[at++] = (uint8_t)j;
            }
    cr_assert_eq(at, 60u);
    load(&ds, buf, 60);
    cr_assert_eq(ds.alph_size, 3);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    cr_assert(!r.binary);
    assert_rel(r.independence.score, 0.7, 1e-12);
    cr_assert_eq(r.independence.df, 1);
    assert_rel(r.independence.p_value, erfc(sqrt(0.35)), 1e-12);
    cr_assert(r.independence.passed);
    ea_dataset_free(&ds);
}

/*
 * §5.2.2 by hand: 300 samples over {0,1,2}, 100 of each; parts of 30,
 * e_i = 10, every symbol its own bin (q = 3, df = 18). Parts alternate
 * counts (10,10,10) and (14,8,8)/(6,12,12) so the totals stay 100:
 * parts 0-3 (10,10,10), parts 4-6 (14,8,8), parts 7-9 (6,12,12).
 * T = 3 (16 + 4 + 4)/10 + 3 (16 + 4 + 4)/10 = 14.4.
 */
Test(chi_square, goodness_of_fit_by_hand)
{
    static const int parts[10][3] = {
        {10, 10, 10}, {10, 10, 10}, {10, 10, 10}, {10, 10, 10},
        {14, 8, 8}, {14, 8, 8}, {14, 8, 8},
        {6, 12, 12}, {6, 12, 12}, {6, 12, 12},
    };
    uint8_t buf[300];
    size_t at = 0;
    ea_dataset ds;
    ea_chisq_result r;

    for (int d = 0; d < 10; d++)
        for (int v = 0; v < 3; v++)
            for (int c = 0; c < parts[d][v]; c++)
                buf[at++] = (uint8_t)v;
    load(&ds, buf, 300);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    assert_rel(r.goodness_of_fit.score, 14.4, 1e-12);
    cr_assert_eq(r.goodness_of_fit.df, 18);
    assert_rel(r.goodness_of_fit.p_value, q_integer(9, 7.2), 1e-12);
    cr_assert(r.goodness_of_fit.passed);
    ea_dataset_free(&ds);
}

/* Skewed binary data too short for any m >= 2: T = 0, df = 0, p = 1. */
Test(chi_square, binary_no_block_length)
{
    uint8_t buf[100] = {0};
    ea_dataset ds;
    ea_chisq_result r;

    buf[37] = 1;
    load(&ds, buf, 100);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    cr_assert_eq(r.independence.score, 0.0);
    cr_assert_eq(r.independence.df, 0);
    cr_assert_eq(r.independence.p_value, 1.0);
    cr_assert(r.independence.passed);
    assert_finite(&r);
    ea_dataset_free(&ds);
}

/* Many symbols, few samples: q - k < 0 degrees of freedom, p-value 1. */
Test(chi_square, negative_degrees_of_freedom)
{
    uint8_t buf[300];
    ea_dataset ds;
    ea_chisq_result r;

    for (int i = 0; i < 300; i++)
        buf[i] = (uint8_t)((i * 97 + i / 7) % 200);
    load(&ds, buf, 300);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    cr_assert(r.independence.df < 0);
    cr_assert_eq(r.independence.p_value, 1.0);
    cr_assert(r.independence.passed);
    assert_finite(&r);
    ea_dataset_free(&ds);
}

/* A constant dataset takes the non-binary path and passes with df = 0. */
Test(chi_square, constant_data)
{
    uint8_t buf[25];
    ea_dataset ds;
    ea_chisq_result r;

    memset(buf, 7, sizeof buf);
    load(&ds, buf, sizeof buf);
    cr_assert_eq(ds.alph_size, 1);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    cr_assert_eq(r.independence.df, 0);
    cr_assert_eq(r.goodness_of_fit.df, 0);
    cr_assert(r.passed);
    assert_finite(&r);
    ea_dataset_free(&ds);
}

/* Strongly dependent data fail §5.2.1; a balanced cycle still fits §5.2.2. */
Test(chi_square, dependent_data_fail)
{
    size_t n = 20000;
    uint8_t *buf = malloc(n);
    ea_dataset ds;
    ea_chisq_result r;

    cr_assert(buf != NULL);
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(i % 10);
    load(&ds, buf, n);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    cr_assert(!r.independence.passed);
    cr_assert(r.independence.p_value < 1e-100);
    cr_assert(r.goodness_of_fit.passed);
    cr_assert(!r.passed);
    assert_finite(&r);
    ea_dataset_free(&ds);
    free(buf);
}

/* Shortest accepted length and the argument checks. */
Test(chi_square, arguments_and_tiny_data)
{
    uint8_t buf[10] = {0, 1, 2, 0, 1, 2, 0, 1, 2, 1};
    ea_dataset ds, bad;
    ea_chisq_result r;

    load(&ds, buf, 9);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_ERR_TOO_SHORT);
    ea_dataset_free(&ds);

    load(&ds, buf, 10);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    assert_finite(&r);
    cr_assert_eq(ea_chi_square_tests(NULL, &r), EA_ERR_ARG);
    cr_assert_eq(ea_chi_square_tests(&ds, NULL), EA_ERR_ARG);

    bad = ds;
    bad.alph_size = 2;      /* symbol 2 is out of range */
    cr_assert_eq(ea_chi_square_tests(&bad, &r), EA_ERR_ARG);
    bad.alph_size = 0;
    cr_assert_eq(ea_chi_square_tests(&bad, &r), EA_ERR_ARG);
    bad = ds;
    bad.symbols = NULL;
    cr_assert_eq(ea_chi_square_tests(&bad, &r), EA_ERR_ARG);
    ea_dataset_free(&ds);
}

/* Uniform 8-bit data from a fixed generator: plausible, finite, passes. */
Test(chi_square, uniform_bytes_pass)
{
    size_t n = 400000;
    uint8_t *buf = malloc(n);
    uint64_t x = 0x243F6A8885A308D3ull;
    ea_dataset ds;
    ea_chisq_result r;

    cr_assert(buf != NULL);
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (uint8_t)(x >> 56);
    }
    load(&ds, buf, n);
    cr_assert_eq(ea_chi_square_tests(&ds, &r), EA_OK);
    cr_assert(!r.binary);
    /* 200,000 pairs over 65,536 cells of ~3.05: pairs of cells per bin */
    cr_assert(r.independence.df > 30000 && r.independence.df < 33000);
    cr_assert_eq(r.goodness_of_fit.df, 9 * 255);
    cr_assert(r.passed, "p = %g, %g", r.independence.p_value, r.goodness_of_fit.p_value);
    ea_dataset_free(&ds);
    free(buf);
}
