/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_series_stats.c - the series median interval and the one-sided
 * Mann-Whitney test (estimators/series_stats.c). Expected values were
 * computed by full enumeration of the C(m+n, m) rank assignments (small
 * cases) or an independent integer-count dynamic programme, with Python's
 * fractions, and the binomial coverage from exact binomial sums.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "ea90b_series.h"

#define NEAR(a, b) cr_assert(fabs((a) - (b)) <= 1e-12 * fmax(1.0, fabs(b)), "%.17g vs %.17g", \
                             (double)(a), (double)(b))

Test(series_stats, median_ci_eight_runs)
{
    const double x[8] = {1.3, 1.1, 0.9, 1.25, 1.0, 1.4, 1.2, 1.05};
    ea_median_ci ci;

    cr_assert_eq(ea_series_median_ci(x, 8, 0.95, &ci), EA_OK);
    NEAR(ci.median, (1.1 + 1.2) / 2.0);
    cr_assert_eq(ci.lower_rank, 1);
    cr_assert_eq(ci.upper_rank, 8);
    NEAR(ci.lower, 0.9);
    NEAR(ci.upper, 1.4);
    NEAR(ci.coverage, 0.9921875);   /* 1 - 2 / 2^8 */
}

Test(series_stats, median_ci_ranks_and_coverage)
{
    double x[20];
    ea_median_ci ci;

    for (int i = 0; i < 20; i++)
        x[i] = (double)((i * 7) % 20);   /* 0..19, shuffled */
    cr_assert_eq(ea_series_median_ci(x, 20, 0.95, &ci), EA_OK);
    cr_assert_eq(ci.lower_rank, 6);
    cr_assert_eq(ci.upper_rank, 15);
    NEAR(ci.lower, 5.0);
    NEAR(ci.upper, 14.0);
    NEAR(ci.median, 9.5);
    NEAR(ci.coverage, 0.9586105346679688);
    /* five runs cannot reach 95 %: the widest interval, its own coverage */
    cr_assert_eq(ea_series_median_ci(x, 5, 0.95, &ci), EA_OK);
    cr_assert_eq(ci.lower_rank, 1);
    NEAR(ci.coverage, 0.9375);
    cr_assert_eq(ea_series_median_ci(x, 1, 0.95, &ci), EA_OK);
    NEAR(ci.median, 0.0);
    NEAR(ci.coverage, 0.0);
}

Test(series_stats, median_ci_bad_arguments)
{
    const double x[2] = {1.0, NAN};
    ea_median_ci ci;

    cr_assert_eq(ea_series_median_ci(x, 0, 0.95, &ci), EA_ERR_ARG);
    cr_assert_eq(ea_series_median_ci(x, 2, 0.95, &ci), EA_ERR_ARG);
    cr_assert_eq(ea_series_median_ci(x, 1, 1.0, &ci), EA_ERR_ARG);
    cr_assert_eq(ea_series_median_ci(x, 1, 0.0, &ci), EA_ERR_ARG);
}

Test(series_stats, mann_whitney_exact_small)
{
    const double a[3] = {1, 2, 3}, b[3] = {4, 5, 6};
    const double c[4] = {1, 2, 2, 5}, d[5] = {2, 3, 4, 6, 7};
    const double e[5] = {0.5, 0.7, 0.9, 1.1, 0.8}, f[6] = {1.0, 1.2, 0.95, 1.3, 1.25, 0.6};
    const double g[3] = {3, 3, 3};
    ea_mann_whitney r;

    cr_assert_eq(ea_mann_whitney_lower(a, 3, b, 3, &r), EA_OK);
    cr_assert(r.exact);
    NEAR(r.w, 6.0);
    NEAR(r.u, 0.0);
    NEAR(r.p, 1.0 / 20.0);
    NEAR(r.p_min, 1.0 / 20.0);
    cr_assert_eq(ea_mann_whitney_lower(b, 3, a, 3, &r), EA_OK);
    NEAR(r.p, 1.0);
    cr_assert_eq(ea_mann_whitney_lower(c, 4, d, 5, &r), EA_OK);   /* ties across the samples */
    NEAR(r.w, 14.0);
    NEAR(r.p, 11.0 / 126.0);
    cr_assert_eq(ea_mann_whitney_lower(e, 5, f, 6, &r), EA_OK);
    NEAR(r.w, 21.0);
    NEAR(r.p, 29.0 / 462.0);
    cr_assert_eq(ea_mann_whitney_lower(g, 3, g, 3, &r), EA_OK);   /* all tied: no evidence */
    NEAR(r.p, 1.0);
}

static void grid(double *cur, double *base, int n)
{
    for (int i = 0; i < n; i++) {
        cur[i] = (double)((i * 37 % 101) / 3) / 10.0;
        base[i] = (double)((i * 53 % 103) / 3) / 10.0 + 0.3;
    }
}

Test(series_stats, mann_whitney_exact_hundred_with_ties)
{
    double cur[50], base[50];
    ea_mann_whitney r;

    grid(cur, base, 50);
    cr_assert_eq(ea_mann_whitney_lower(cur, 50, base, 50, &r), EA_OK);
    cr_assert(r.exact);
    NEAR(r.w, 2411.0);
    cr_assert(fabs(r.p - 0.21721800980699818) < 1e-10, "%.17g", r.p);
}

Test(series_stats, mann_whitney_normal_above_exact_limit)
{
    double cur[75], base[75];
    ea_mann_whitney r;

    grid(cur, base, 75);
    cr_assert_eq(ea_mann_whitney_lower(cur, 75, base, 75, &r), EA_OK);
    cr_assert(!r.exact);
    NEAR(r.w, 5194.5);
    cr_assert(fabs(r.p - 0.0393917757651177) < 1e-12, "%.17g", r.p);
}

Test(series_stats, mann_whitney_bad_arguments)
{
    const double a[2] = {1.0, NAN}, b[1] = {2.0};
    ea_mann_whitney r;

    cr_assert_eq(ea_mann_whitney_lower(a, 0, b, 1, &r), EA_ERR_ARG);
    cr_assert_eq(ea_mann_whitney_lower(a, 2, b, 1, &r), EA_ERR_ARG);
    cr_assert_eq(ea_mann_whitney_lower(b, 1, a, 0, &r), EA_ERR_ARG);
}
