/* SPDX-License-Identifier: Apache-2.0 */
/*
 * numeric.c - floating-point closeness test shared by the estimators'
 * binary searches (SP 800-90B §6.3.2 step 7, §6.3.4 step 7, §6.3.7-10
 * step 8). The rule (relative, then absolute, then ULP distance) is the
 * one NIST's tool uses to stop its searches; the last digits of every
 * searched p depend on it.
 */
#include <math.h>
#include <string.h>

#include "numeric.h"

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

int ea_close_enough(double a, double b, double max_abs, double max_rel, uint32_t max_ulp)
{
    double fa, fb, diff;

    if (isnan(a) || isnan(b))
        return 0;
    if (!(a < b) && !(a > b))  /* a == b, without -Wfloat-equal noise */
        return 1;
    if (isinf(a) || isinf(b))
        return 0;
    fa = fabs(a);
    fb = fabs(b);
    if (fa > fb) {
        double t = a; a = b; b = t;
        t = fa; fa = fb; fb = t;
    }
    diff = fabs(b - a);
    if (fa < DBL_MIN || diff < DBL_MIN || isinf(diff) || fb * max_rel < DBL_MIN)
        return diff <= max_abs;
    if (diff <= fb * max_rel)
        return 1;
    if (signbit(a) != signbit(b))
        return 0;
    return bits_of(fb) - bits_of(fa) <= max_ulp;
}
