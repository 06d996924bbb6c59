/*
 * health_rct.c - Repetition Count Test cutoff, SP 800-90B §4.4.1.
 *
 * C = 1 + ceil(-log2(alpha) / H): a run of C identical consecutive samples has probability
 * at most 2^(-H (C - 1)) <= alpha under the claim H. Any C at or above this value meets
 * the requirement; this is the smallest.
 */
#include <limits.h>
#include <math.h>

#include "ea90b.h"

/* Guard against rounding noise in -log2(alpha)/H, so that exact ratios (20/0.5) stay exact. */
#define EA_RCT_CEIL_GUARD 1e-9

int ea_health_rct_cutoff(double h, double alpha)
{
    double x;

    if (!(h > 0.0) || !isfinite(h) || !(alpha > 0.0) || !(alpha < 1.0))
        return -1;
    x = -log2(alpha) / h;
    if (!(x < (double)INT_MAX - 2.0))
        return -1;
    return 1 + (int)ceil(x - EA_RCT_CEIL_GUARD);
}
