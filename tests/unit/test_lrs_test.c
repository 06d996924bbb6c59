/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_lrs_test.c - unit tests for ea_lrs_test(): SP 800-90B §5.2.5, the
 * length of the longest repeated substring test.
 *
 * W is checked against a brute-force comparison of every pair of
 * positions; p_col and Pr(X >= 1) against the formulas of §5.2.5 evaluated
 * here from hand-counted proportions.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"

static void assert_rel(double got, double want, double tol)
{
    double scale = fabs(want) > 0.0 ? fabs(want) : 1.0;
    cr_assert(fabs(got - want) <= tol * scale, "got %.17g, want %.17g", got, want);
}

/* Longest common prefix over all pairs of positions (O(n^2 W)). */
static long naive_lrs(const uint8_t *s, size_t n)
{
    size_t best = 0;

    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            size_t l = 0;
            while (j + l < n && s[i + l] == s[j + l])
                l++;
            if (l > best)
                best = l;
        }
    return (long)best;
}

/* Pr(X >= 1) = 1 - (1 - p_col^W)^N, N = C(n - W + 1, 2), in long double. */
static double expected_pr(long double p_col, long w, long n)
{
    long double m = (long double)(n - w + 1), pairs = m * (m - 1.0L) / 2.0L;

    return (double)(1.0L - expl(pairs * log1pl(-powl(p_col, (long double)w))));
}

static uint64_t next_random(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void run(const uint8_t *buf, size_t n, ea_lrs_test_result *r)
{
    ea_dataset ds;

    cr_assert_eq(ea_dataset_init(&ds, buf, n, 0), EA_OK);
    cr_assert_eq(ea_lrs_test(&ds, r), EA_OK);
    cr_assert(isfinite(r->p_col) && isfinite(r->p_x_ge_1));
    ea_dataset_free(&ds);
}

/*
 * 0..9 then 0..4: the repeat 0 1 2 3 4 has W = 5. Symbols 0-4 occur twice
 * and 5-9 once in 15: p_col = (5 * 4 + 5) / 225 = 1/9. N = C(11, 2) = 55,
 * Pr(X >= 1) = 1 - (1 - 9^-5)^55 = 9.31e-4 < 0.001: the test fails.
 */
Test(lrs_test, obvious_repeat_fails)
{
    uint8_t buf[15];
    ea_lrs_test_result r;

    for (int i = 0; i < 15; i++)
        buf[i] = (uint8_t)(i % 10);
    run(buf, 15, &r);
    cr_assert_eq(r.W, 5);
    assert_rel(r.p_col, 1.0 / 9.0, 1e-15);
    assert_rel(r.p_x_ge_1, expected_pr(1.0L / 9.0L, 5, 15), 1e-12);
    cr_assert(r.p_x_ge_1 < 0.001 && r.p_x_ge_1 > 0.0009);
    cr_assert(!r.passed);
}

/* 0..9 then 0..3: W = 4, p_col = 22/196, Pr(X >= 1) ~ 8.7e-3: passes. */
Test(lrs_test, shorter_repeat_passes)
{
    uint8_t buf[14];
    ea_lrs_test_result r;

    for (int i = 0; i < 14; i++)
        buf[i] = (uint8_t)(i % 10);
    run(buf, 14, &r);
    cr_assert_eq(r.W, 4);
    assert_rel(r.p_col, 22.0 / 196.0, 1e-15);
    assert_rel(r.p_x_ge_1, expected_pr(22.0L / 196.0L, 4, 14), 1e-12);
    cr_assert(r.p_x_ge_1 > 0.001);
    cr_assert(r.passed);
}

/* No symbol repeats: W = 0, nothing to be surprised by, pass. */
Test(lrs_test, all_distinct)
{
    uint8_t buf[20];
    ea_lrs_test_result r;

    for (int i = 0; i < 20; i++)
        buf[i] = (uint8_t)(3 * i);
    run(buf, 20, &r);
    cr_assert_eq(r.W, 0);
    assert_rel(r.p_col, 1.0 / 20.0, 1e-15);
    cr_assert_eq(r.p_x_ge_1, 1.0);
    cr_assert(r.passed);
}

/* One symbol whose proportion sums to exactly 1 (4 x 0.25): p_col = 1,
 * Pr(X >= 1) = 1 and a pass, as the reference short-cuts; W = n - 1. */
Test(lrs_test, constant_data)
{
    uint8_t buf[4] = {9, 9, 9, 9};
    ea_lrs_test_result r;

    run(buf, 4, &r);
    cr_assert_eq(r.p_col, 1.0);
    cr_assert_eq(r.W, 3);
    cr_assert_eq(r.p_x_ge_1, 1.0);
    cr_assert(r.passed);
}

/* A periodic bit string repeats itself for almost its whole length:
 * p_col^W is below the long double range, Pr(X >= 1) = 0, fail (the
 * reference stops on an assertion here). */
Test(lrs_test, enormous_repeat_fails_without_nan)
{
    size_t n = 40000;
    uint8_t *buf = malloc(n);
    ea_lrs_test_result r;

    cr_assert(buf != NULL);
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)((i / 3) % 2);
    run(buf, n, &r);
    cr_assert_eq(r.W, (long)n - 6);
    cr_assert_eq(r.p_x_ge_1, 0.0);
    cr_assert(!r.passed);
    free(buf);
}

/* A single sample and two samples. */
Test(lrs_test, tiny_data)
{
    uint8_t one[1] = {1}, two[2] = {1, 1}, pair[2] = {0, 1};
    ea_lrs_test_result r;

    run(one, 1, &r);
    cr_assert_eq(r.W, 0);
    cr_assert(r.passed);
    run(two, 2, &r);
    cr_assert_eq(r.W, 1);
    run(pair, 2, &r);
    cr_assert_eq(r.W, 0);
    assert_rel(r.p_col, 0.5, 1e-15);
    cr_assert(r.passed);
}

Test(lrs_test, argument_errors)
{
    uint8_t buf[6] = {0, 1, 2, 0, 1, 2};
    ea_dataset ds, bad;
    ea_lrs_test_result r;

    cr_assert_eq(ea_dataset_init(&ds, buf, 6, 0), EA_OK);
    cr_assert_eq(ea_lrs_test(NULL, &r), EA_ERR_ARG);
    cr_assert_eq(ea_lrs_test(&ds, NULL), EA_ERR_ARG);
    bad = ds;
    bad.alph_size = 2;      /* symbol 2 is out of range */
    cr_assert_eq(ea_lrs_test(&bad, &r), EA_ERR_ARG);
    bad.alph_size = 300;
    cr_assert_eq(ea_lrs_test(&bad, &r), EA_ERR_ARG);
    bad = ds;
    bad.len = 0;
    cr_assert_eq(ea_lrs_test(&bad, &r), EA_ERR_EMPTY);
    ea_dataset_free(&ds);
}

/*
 * W against brute force on random data over many alphabet sizes (packing
 * widths 1-8 bits), with a planted repeat that may end at the last sample
 * (the short suffixes the fast path treats apart) or be long enough to
 * need the suffix-array path.
 */
Test(lrs_test, longest_repeat_matches_brute_force)
{
    static const int ks[] = {2, 3, 4, 5, 8, 9, 16, 17, 33, 64, 100, 129, 200, 256};
    uint64_t x = 0x9E3779B97F4A7C15ull;

    for (int trial = 0; trial < 300; trial++) {
        int k = ks[trial % (int)(sizeof ks / sizeof ks[0])];
        size_t n = 2 + (size_t)(next_random(&x) % (trial % 5 == 0 ? 1500 : 150));
        size_t len = 1 + (size_t)(next_random(&x) % (n / 2 + 1));
        uint8_t *buf = malloc(n);
        ea_dataset ds;
        ea_lrs_test_result r;

        cr_assert(buf != NULL);
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)(next_random(&x) % (uint64_t)k);
        if (2 * len <= n && trial % 3 != 0) {
            size_t at = (size_t)(next_random(&x) % (n - 2 * len + 1));
            memmove(buf + at, buf + n - len, len);  /* repeat the tail */
        }
        cr_assert_eq(ea_dataset_init(&ds, buf, n, 8), EA_OK);
        cr_assert_eq(ea_lrs_test(&ds, &r), EA_OK);
        cr_assert_eq(r.W, naive_lrs(ds.symbols, n), "trial %d n %zu k %d", trial, n, ds.alph_size);
        cr_assert(isfinite(r.p_x_ge_1) && r.p_x_ge_1 >= 0.0 && r.p_x_ge_1 <= 1.0);
        ea_dataset_free(&ds);
        free(buf);
    }
}

/* Random bytes: the longest repeat is short and the test passes. */
Test(lrs_test, uniform_bytes_pass)
{
    size_t n = 200000;
    uint8_t *buf = malloc(n);
    uint64_t x = 0x243F6A8885A308D3ull;
    ea_lrs_test_result r;

    cr_assert(buf != NULL);
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(next_random(&x) >> 56);
    run(buf, n, &r);
    cr_assert(r.W >= 3 && r.W <= 7, "W = %ld", r.W);
    cr_assert(r.p_col > 1.0 / 256.0 && r.p_col < 1.01 / 256.0);
    cr_assert(r.passed);
    free(buf);
}
