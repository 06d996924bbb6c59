/* SPDX-License-Identifier: Apache-2.0 */
/*
 * health_rct.c - Repetition Count Test cutoff, SP 800-90B §4.4.1.
 *
 * C = 1 + ceil(-log2(alpha) / H): a run of C identical consecutive samples has probability
 * at most 2^(-H (C - 1)) <= alpha under the claim H. Any C at or above this value meets
 * the requirement; this is the smallest.
 *
 * The ceiling is taken exactly rather than with a rounding guard (a guard gives C one too
 * small when the ratio lies just above an integer). When alpha = 2^-L (L an integer) and h is
 * the double nearest a fraction a/b with b <= EA_RCT_MAX_DEN (0.5, 1/3, 2/3, 0.1 ...), the
 * ratio is L b / a, whose ceiling is computed in integers: this is what a claim such as
 * H = 1/3 means, although the double 1/3 lies slightly below it. Otherwise the ratio of the
 * exact double h and -log2(alpha) is formed in long double and its ceiling taken as is (an
 * exact integer ratio, e.g. 20 / 0.5, is exact in long double too).
 */
#include <limits.h>
#include <math.h>

#include "ea90b.h"

/* Largest denominator tried when reading h as a fraction. */
#define EA_RCT_MAX_DEN 1024

/* alpha = 2^-L exactly (L >= 1): L, else 0. */
static long long alpha_log2_exact(double alpha)
{
    int e;
    double m = frexp(alpha, &e);

    return m == 0.5 && e <= 0 ? (long long)(1 - e) : 0;
}

/* h == (double)a / b for the smallest b <= EA_RCT_MAX_DEN: 1 with *a, *b set, else 0. */
static int as_fraction(double h, long long *a, long long *b)
{
    for (long long d = 1; d <= EA_RCT_MAX_DEN; d++) {
        double n = nearbyint(h * (double)d);

        if (n >= 1.0 && n < 1e9 && n / (double)d == h) {
            *a = (long long)n;
            *b = d;
            return 1;
        }
    }
    return 0;
}

int ea_health_rct_cutoff(double h, double alpha)
{
    long long L, a, b;
    long double x;

    if (!(h > 0.0) || !isfinite(h) || !(alpha > 0.0) || !(alpha < 1.0))
        return -1;
    L = alpha_log2_exact(alpha);
    if (L > 0 && as_fraction(h, &a, &b)) {
        /* ceil(L b / a) in integers; L <= 1074, b <= 1024, so no overflow */
        long long q = (L * b + a - 1) / a;
        return q < (long long)INT_MAX - 2 ? 1 + (int)q : -1;
    }
    x = -log2l((long double)alpha) / (long double)h;
    if (!(x < (long double)INT_MAX - 2.0L))
        return -1;
    return 1 + (int)ceill(x);
}
