/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea90b_series.h - statistics over a series of assessments: the median of
 * K runs' assessed min-entropy with a distribution-free confidence interval,
 * and the one-sided two-sample test behind `ea90b check --baseline` on
 * series. These are not SP 800-90B procedures: SP 800-90B assesses one
 * data set; a regression gate has to tell a lower assessment from the
 * run-to-run spread of a jitter source (docs/ci.md).
 */
#ifndef EA90B_SERIES_H
#define EA90B_SERIES_H

#include <stddef.h>

#include "ea90b.h"

/*
 * Median of x[0..n-1] and the order-statistic confidence interval for the
 * population median (Conover, "Practical Nonparametric Statistics", 3rd
 * ed., section 3.2): with x_(1) <= ... <= x_(n), the interval
 * [x_(l), x_(n+1-l)] covers the median with probability exactly
 * 1 - 2 P(B <= l - 1), B ~ Binomial(n, 1/2), whatever the distribution
 * (continuous). l is the largest rank whose coverage is at least `level`;
 * when even [x_(1), x_(n)] falls short (n < 6 at 0.95) that widest
 * interval is returned with its smaller coverage: report `coverage`, not
 * `level`. n = 1 gives the value itself with coverage 0.
 */
typedef struct {
    double median;            /* the sample median (mean of the middle two for even n) */
    double lower, upper;      /* x_(l), x_(n+1-l) */
    size_t lower_rank, upper_rank;   /* l and n+1-l, 1-based */
    double level;             /* requested */
    double coverage;          /* exact coverage of [lower, upper] */
} ea_median_ci;

/* EA_ERR_ARG for n = 0, a NaN value, or level outside (0, 1). */
ea_status ea_series_median_ci(const double *x, size_t n, double level, ea_median_ci *out);

/*
 * One-sided Wilcoxon-Mann-Whitney rank-sum test of H0 "the current values
 * and the baseline values come from one distribution" against H1 "the
 * current values tend to be lower". The statistic is the sum of the
 * current values' ranks in the pooled sample, tied values taking their
 * mean rank; p = P(W <= w_observed | H0).
 *   - exact: when m + n <= EA_MW_EXACT_MAX, over all C(m+n, m) equally
 *     likely assignments of the pooled values (so exact with ties too), by
 *     dynamic programming on doubled mid-ranks;
 *   - otherwise the normal approximation with the tie-corrected variance
 *     and a continuity correction of 1/2 (Lehmann, "Nonparametrics", 1975,
 *     sections 1.4 and 1.5).
 * u = W - m(m+1)/2, the Mann-Whitney U of the current sample: the number
 * of (current, baseline) pairs where the current value is the higher, ties
 * counting 1/2 (0 when every current value is below every baseline one).
 * p_min is the smallest p any data of these sizes can give (the current
 * values all below the baseline's): when p_min > alpha the test can never
 * reject; callers should say so.
 */
#define EA_MW_EXACT_MAX 120

typedef struct {
    size_t m, n;              /* current, baseline sizes */
    double w;                 /* rank sum of the current values */
    double u;                 /* W - m(m+1)/2 */
    double p;                 /* one-sided p-value, P(W <= w) */
    double p_min;             /* the smallest attainable p for m and n (without ties) */
    int exact;                /* 1: exact distribution; 0: normal approximation */
} ea_mann_whitney;

/* EA_ERR_ARG for an empty sample or a NaN value; EA_ERR_NOMEM. */
ea_status ea_mann_whitney_lower(const double *cur, size_t m, const double *base, size_t n,
                                ea_mann_whitney *out);

#endif
