/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_collision.c - unit tests for ea_collision() (SP 800-90B §6.3.2).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "ea90b.h"
#include "numeric.h"
#include "test_util.h"

#define EPS 1e-12

/* Position-by-position walk of steps 1-3, as plainly as possible. */
static void naive_walk(const uint8_t *s, size_t n, long *v, long *sum_t, long *sum_t2)
{
    size_t i = 0;

    *v = *sum_t2 = 0;
    while (i + 1 < n) {
        long t;
        if (s[i] == s[i + 1])
            t = 2;
        else if (i + 2 < n)
            t = 3;
        else
            break;
        (*v)++;
        *sum_t2 += t * t;
        i += (size_t)t;
    }
    *sum_t = (long)i;
}

/* Steps 1-7 gave these values (H is checked by the caller). */
static void expect_result(const ea_collision_result *r, long v, long sum_t, double x_bar,
                          double sigma_hat, double x_bar_prime, int found_p, double p)
{
    cr_assert_eq(r->v, v);
    cr_assert_eq(r->sum_t, sum_t);
    cr_assert_float_eq(r->x_bar, x_bar, EPS);
    cr_assert_float_eq(r->sigma_hat, sigma_hat, EPS);
    cr_assert_float_eq(r->x_bar_prime, x_bar_prime, EPS);
    cr_assert_eq(r->found_p, found_p);
    cr_assert_float_eq(r->p, p, EPS);
}

/* Alternating bits: every collision has length 3, variance 0, no root. */
Test(collision, alternating_bits)
{
    const uint8_t s[] = {0, 1, 0, 1, 0, 1, 0, 1, 0};
    ea_collision_result r;

    cr_assert_eq(ea_collision(s, 9, &r), EA_OK);
    expect_result(&r, 3, 9, 3.0, 0.0, 3.0, 0, 0.5);
    cr_assert_float_eq(r.h, 1.0, EPS);
}

/* A constant run: every collision has length 2, X_bar' = 2, p = 1. */
Test(collision, constant_run)
{
    const uint8_t s[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    ea_collision_result r;

    cr_assert_eq(ea_collision(s, 10, &r), EA_OK);
    expect_result(&r, 5, 10, 2.0, 0.0, 2.0, 1, 1.0);
    cr_assert(fabs(r.h) < EPS);
}

/*
 * 50 units "00" (t = 2) and 50 units "010" (t = 3), interleaved:
 * v = 100, sum t = 250, sum t^2 = 650, X_bar = 2.5,
 * sigma_hat = sqrt((650 - 250 * 2.5) / 99) = sqrt(25 / 99),
 * X_bar' = 2.5 - Z sigma_hat / 10, p = 1/2 + sqrt(5/4 - X_bar' / 2).
 */
Test(collision, mixed_units)
{
    uint8_t s[250];
    size_t k = 0;
    ea_collision_result r;
    double sigma = sqrt(25.0 / 99.0);
    double xp = 2.5 - EA_ZALPHA * sigma / 10.0;
    double p = 0.5 + sqrt(1.25 - 0.5 * xp);

    for (int u = 0; u < 50; u++) {
        s[k++] = 0; s[k++] = 0;
        s[k++] = 0; s[k++] = 1; s[k++] = 0;
    }
    cr_assert_eq(k, sizeof s);
    cr_assert_eq(ea_collision(s, k, &r), EA_OK);
    expect_result(&r, 100, 250, 2.5, sigma, xp, 1, p);
    cr_assert_float_eq(r.h, -log2(p), EPS);
}

/* The table-driven walk must agree with the plain walk, every tail length. */
Test(collision, matches_plain_walk)
{
    uint8_t *s = tu_lcg_bits(4099, 12345u);

    cr_assert_not_null(s);
    for (size_t n = 2; n < 4099; n += (n < 80 ? 1 : 97)) {
        long v, t, t2;
        ea_collision_result r;
        ea_status st = ea_collision(s, n, &r);
        naive_walk(s, n, &v, &t, &t2);
        cr_assert_eq(r.v, v, "n = %zu", n);
        cr_assert_eq(r.sum_t, t, "n = %zu", n);
        if (v >= 2) {
            double x = (double)t / (double)v;
            cr_assert_eq(st, EA_OK);
            cr_assert_float_eq(r.x_bar, x, EPS);
            cr_assert_float_eq(r.sigma_hat, sqrt(((double)t2 - (double)t * x) / (double)(v - 1)), EPS);
            cr_assert(r.h >= 0.0 && r.h <= 1.0);
        } else {
            cr_assert_eq(st, EA_ERR_TOO_SHORT);
        }
    }
    free(s);
}

/* The walk stops before an unfinished length-3 collision. */
Test(collision, final_pair_rules)
{
    const uint8_t a[] = {0, 0, 1, 1, 0};   /* 00 | 11 | 0: v = 2, sum 4 */
    const uint8_t b[] = {0, 0, 1, 0};      /* 00 | 10 (cut): v = 1 */
    ea_collision_result r;

    cr_assert_eq(ea_collision(a, 5, &r), EA_OK);
    cr_assert_eq(r.v, 2);
    cr_assert_eq(r.sum_t, 4);
    cr_assert_eq(ea_collision(b, 4, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(r.v, 1);
    cr_assert_eq(r.sum_t, 2);
}

Test(collision, argument_errors)
{
    const uint8_t bad[] = {0, 1, 2, 1};
    ea_collision_result r;

    cr_assert_eq(ea_collision(bad, 4, NULL), EA_ERR_ARG);
    cr_assert_eq(ea_collision(NULL, 4, &r), EA_ERR_ARG);
    cr_assert_eq(ea_collision(bad, 4, &r), EA_ERR_ARG);   /* not binary */
}

Test(collision, tiny_inputs)
{
    const uint8_t s[] = {1, 1, 0};
    ea_collision_result r;

    cr_assert_eq(ea_collision(s, 0, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_collision(NULL, 0, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_collision(s, 1, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_collision(s, 2, &r), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_collision(s + 1, 2, &r), EA_ERR_TOO_SHORT);
    cr_assert(!isnan(r.x_bar) && !isnan(r.sigma_hat) && !isnan(r.h));
}
