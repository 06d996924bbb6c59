/* SPDX-License-Identifier: Apache-2.0 */
/*
 * series_stats.c - the median of a series of assessments with its
 * order-statistic confidence interval, and the one-sided Wilcoxon-Mann-
 * Whitney rank-sum test (include/ea90b_series.h). Not SP 800-90B: these
 * compare K assessments (each a §3.1.3 assessed min-entropy) of one
 * source, for the regression gate of docs/ci.md.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b_series.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static int has_nan(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isnan(x[i]))
            return 1;
    return 0;
}

/* P(B <= k) for B ~ Binomial(n, 1/2), summed from 2^-n upwards (n <= 1000 stays normal). */
static double binom_half_cdf(size_t n, size_t k)
{
    double pk = ldexp(1.0, -(int)(n < 1074 ? n : 1074)), sum = 0.0;

    for (size_t i = 0; i <= k && i <= n; i++) {
        sum += pk;
        pk = pk * (double)(n - i) / (double)(i + 1);
    }
    return sum < 1.0 ? sum : 1.0;
}

/* ------------------------------------------------------------ median CI */

ea_status ea_series_median_ci(const double *x, size_t n, double level, ea_median_ci *out)
{
    double *v;
    size_t l = 1;

    if (x == NULL || out == NULL || n == 0 || has_nan(x, n) || !(level > 0.0 && level < 1.0))
        return EA_ERR_ARG;
    if ((v = malloc(n * sizeof *v)) == NULL)
        return EA_ERR_NOMEM;
    memcpy(v, x, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_double);
    /* the largest l with 1 - 2 P(B <= l - 1) >= level, l <= n / 2 */
    while (l + 1 <= n / 2 && 1.0 - 2.0 * binom_half_cdf(n, l) >= level)
        l++;
    memset(out, 0, sizeof *out);
    out->median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    out->lower_rank = l;
    out->upper_rank = n + 1 - l;
    out->lower = v[l - 1];
    out->upper = v[n - l];
    out->level = level;
    out->coverage = n > 1 ? 1.0 - 2.0 * binom_half_cdf(n, l - 1) : 0.0;
    free(v);
    return EA_OK;
}

/* ------------------------------------------------------------ Mann-Whitney */

typedef struct {
    double v;
    int cur;      /* 1: a current value */
} pooled;

static int cmp_pooled(const void *a, const void *b)
{
    return cmp_double(&((const pooled *)a)->v, &((const pooled *)b)->v);
}

/*
 * Doubled mid-ranks (integers: 2 * mean rank of a tie group) into r2[], the
 * tie term sum(t^3 - t) into *ties.
 */
static void midranks(const pooled *p, size_t nn, long *r2, double *ties)
{
    *ties = 0.0;
    for (size_t i = 0; i < nn;) {
        size_t j = i;
        while (j + 1 < nn && p[j + 1].v == p[i].v)
            j++;
        for (size_t k = i; k <= j; k++)
            r2[k] = (long)(i + 1 + j + 1);   /* 2 * (mean of ranks i+1 .. j+1) */
        double t = (double)(j - i + 1);
        *ties += t * t * t - t;
        i = j + 1;
    }
}

/*
 * P(S <= s2) for S the doubled rank sum of a uniformly random m-subset of
 * the nn items: f[j][s] = P(a random j-subset of the items seen so far
 * sums to s), updated in place item by item (j descending):
 * f_i(j, s) = (j / i) f_{i-1}(j-1, s - r_i) + ((i - j) / i) f_{i-1}(j, s).
 */
static ea_status exact_p(const long *r2, size_t nn, size_t m, long s2, double *p)
{
    long smax = 0;
    double *f;

    for (size_t i = 0; i < nn; i++)
        smax += r2[i];
    size_t w = (size_t)smax + 1;
    if ((f = calloc((m + 1) * w, sizeof *f)) == NULL)
        return EA_ERR_NOMEM;
    f[0] = 1.0;
    for (size_t i = 1; i <= nn; i++) {
        size_t a = (size_t)r2[i - 1], top = i < m ? i : m;
        for (size_t j = top; j >= 1; j--) {
            double take = (double)j / (double)i, keep = (double)(i - j) / (double)i;
            double *fj = f + j * w, *fp = f + (j - 1) * w;
            for (size_t s = w; s-- > 0;)
                fj[s] = keep * fj[s] + (s >= a ? take * fp[s - a] : 0.0);
        }
    }
    *p = 0.0;
    for (long s = 0; s <= s2 && s < (long)w; s++)
        *p += f[m * w + (size_t)s];
    if (*p > 1.0)
        *p = 1.0;
    free(f);
    return EA_OK;
}

/* Normal approximation, tie-corrected variance, continuity correction 1/2. */
static double normal_p(double w, size_t m, size_t n, double ties)
{
    double nn = (double)(m + n), mean = (double)m * (nn + 1.0) / 2.0;
    double var = (double)m * (double)n / 12.0 * ((nn + 1.0) - ties / (nn * (nn - 1.0)));

    if (!(var > 0.0))
        return 1.0;
    return 0.5 * erfc(-((w + 0.5 - mean) / sqrt(var)) / sqrt(2.0));
}

ea_status ea_mann_whitney_lower(const double *cur, size_t m, const double *base, size_t n,
                                ea_mann_whitney *out)
{
    size_t nn = m + n;
    pooled *p;
    long *r2, w2 = 0;
    double ties;
    ea_status st = EA_OK;

    if (cur == NULL || base == NULL || out == NULL || m == 0 || n == 0 || has_nan(cur, m) ||
        has_nan(base, n))
        return EA_ERR_ARG;
    p = malloc(nn * sizeof *p);
    r2 = malloc(nn * sizeof *r2);
    if (p == NULL || r2 == NULL) {
        free(p);
        free(r2);
        return EA_ERR_NOMEM;
    }
    for (size_t i = 0; i < nn; i++)
        p[i] = i < m ? (pooled){cur[i], 1} : (pooled){base[i - m], 0};
    qsort(p, nn, sizeof *p, cmp_pooled);
    midranks(p, nn, r2, &ties);
    for (size_t i = 0; i < nn; i++)
        w2 += p[i].cur ? r2[i] : 0;
    memset(out, 0, sizeof *out);
    out->m = m;
    out->n = n;
    out->w = (double)w2 / 2.0;
    out->u = out->w - (double)m * (double)(m + 1) / 2.0;
    out->p_min = exp(lgamma((double)m + 1.0) + lgamma((double)n + 1.0) - lgamma((double)nn + 1.0));
    out->exact = nn <= EA_MW_EXACT_MAX;
    if (out->exact)
        st = exact_p(r2, nn, m, w2, &out->p);
    else
        out->p = normal_p(out->w, m, n, ties);
    free(p);
    free(r2);
    return st;
}
