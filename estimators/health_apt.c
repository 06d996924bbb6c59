/* SPDX-License-Identifier: Apache-2.0 */
/*
 * health_apt.c - Adaptive Proportion Test cutoff, SP 800-90B §4.4.2.
 *
 * §4.4.2 sets C = 1 + CRITBINOM(W, p, 1 - alpha), p = 2^-H: the smallest c with
 *     Pr[Binomial(W, p) >= c] <= alpha.
 * That is the form of the standard's Table 2 (C = 410 for H = 0.5, W = 512, alpha = 2^-20).
 * The "corrected" form (public comment #10b on SP 800-90B, used by jitterentropy) notes that
 * the window's first sample is present by definition, so the count is 1 + Binomial(W - 1, p):
 *     C = smallest c with Pr[1 + Binomial(W - 1, p) >= c] <= alpha
 *       = 2 + the (1 - alpha) quantile of Binomial(W - 1, p),
 * never smaller than the text's value (411 in the example above).
 *
 * The probabilities are exact binomial terms in long double, from log-binomial coefficients
 * summed incrementally (no lgamma, whose signgam is global state), adequate for alpha down to
 * about 2^-16000.
 */
#include <math.h>
#include <stdlib.h>

#include "ea90b.h"

/* Largest APT window accepted. */
#define EA_APT_MAX_WINDOW 65536

/*
 * tail[c] = Pr[count >= c] for c = 0..window+1, count = Binomial(window, p) (text form) or
 * 1 + Binomial(window - 1, p) (corrected form); the caller's array has window + 2 entries.
 */
static void apt_tails(int window, int corrected, long double p, long double *tail)
{
    int n = corrected ? window - 1 : window, off = corrected ? 1 : 0;
    long double lp = logl(p), lq = log1pl(-p), lc = 0.0L, acc = 0.0L;

    for (int c = 0; c <= window + 1; c++)
        tail[c] = 0.0L;
    /* pmf of X = Binomial(n, p) into tail[off + k] */
    for (int k = 0; k <= n; k++) {
        tail[off + k] = expl(lc + (long double)k * lp + (long double)(n - k) * lq);
        lc += logl((long double)(n - k) / (long double)(k + 1));
    }
    for (int c = window; c >= 0; c--) {
        acc += tail[c];
        tail[c] = c <= off ? 1.0L : (acc < 1.0L ? acc : 1.0L);
    }
}

static int bad_args(double h, int window)
{
    return !(h > 0.0) || !isfinite(h) || window < 2 || window > EA_APT_MAX_WINDOW;
}

/* The tails for claim h on a window, malloc'd (window + 2 entries); NULL on no memory. */
static long double *tails_for(double h, int window, int corrected)
{
    long double *tail = malloc(sizeof(long double) * (size_t)(window + 2));

    if (tail != NULL)
        apt_tails(window, corrected, exp2l(-(long double)h), tail);
    return tail;
}

int ea_health_apt_cutoff(double h, double alpha, int window, int corrected)
{
    long double *tail;
    int c;

    if (bad_args(h, window) || !(alpha > 0.0) || !(alpha < 1.0)
        || (tail = tails_for(h, window, corrected)) == NULL)
        return -1;
    for (c = 1; c <= window && tail[c] > (long double)alpha; c++)
        ;
    free(tail);
    return c;   /* window + 1 when the test cannot fail at this alpha */
}

double ea_health_apt_tail(double h, int window, int cutoff, int corrected)
{
    long double *tail, t;

    if (bad_args(h, window) || cutoff < 0 || (tail = tails_for(h, window, corrected)) == NULL)
        return -1.0;
    t = cutoff <= window ? tail[cutoff] : 0.0L;
    free(tail);
    return (double)t;
}

/* §4.4.2 as run: the window's first sample is always counted, so the count is
 * 1 + Binomial(W - 1, p) whichever form produced the cutoff. */
double ea_health_apt_rate(double h, int window, int cutoff)
{
    return ea_health_apt_tail(h, window, cutoff, 1);
}

/*
 * log2 Pr[1 + Binomial(W - 1, p) >= cutoff]: the terms k = cutoff - 1 .. W - 1 of the pmf,
 * each in the log domain (log-binomial coefficient summed incrementally, as above), added
 * by log-sum-exp about the largest, so that a tail of 2^-100000 is still a finite number.
 */
double ea_health_apt_log2_tail(double h, int window, int cutoff)
{
    const int n = window - 1;
    long double lp, lq, lc = 0.0L, top = -HUGE_VALL, sum = 0.0L, l;
    int k0 = cutoff - 1;

    if (bad_args(h, window) || cutoff < 0)
        return 1.0;
    if (k0 <= 0)
        return 0.0;
    if (k0 > n)
        return -HUGE_VAL;
    lp = -(long double)h * logl(2.0L);
    lq = log1pl(-exp2l(-(long double)h));
    for (int k = 0; k < k0; k++)
        lc += logl((long double)(n - k) / (long double)(k + 1));
    /* two passes: the largest term, then the sum of the terms scaled by it */
    for (int pass = 0; pass < 2; pass++) {
        long double c = lc;

        for (int k = k0; k <= n; k++) {
            l = c + (long double)k * lp + (n > k ? (long double)(n - k) * lq : 0.0L);
            if (pass == 0 && l > top)
                top = l;
            else if (pass == 1)
                sum += expl(l - top);
            c += k < n ? logl((long double)(n - k) / (long double)(k + 1)) : 0.0L;
        }
    }
    l = (top + logl(sum)) / logl(2.0L);
    return l < 0.0L ? (double)l : 0.0;
}
