/* SPDX-License-Identifier: Apache-2.0 */
/*
 * compression.c - Compression estimate, SP 800-90B §6.3.4 (binary data).
 *
 * Steps, with b = 6 bits per block and d = 1000 dictionary blocks:
 *   1. Cut the bit sequence into nb = floor(L / 6) non-overlapping 6-bit
 *      blocks (most significant bit first); trailing bits are dropped.
 *   2. Initialise a dictionary of the 64 block values with the (1-based)
 *      index of the last occurrence among blocks 1..d.
 *   3. For blocks i = d+1..nb: D_i = i - dict[block] (i when the value
 *      never occurred), then dict[block] = i. v = nb - d.
 *   4. X_bar = (1/v) sum log2 D_i;
 *      sigma_hat = c sqrt((1/(v-1)) sum (log2 D_i)^2 - X_bar^2), c = 0.5907.
 *   5. X_bar' = X_bar - Z_α sigma_hat / sqrt(v)   (Z_α = EA_ZALPHA).
 *   6-7. Find p in [1/64, 1] with
 *        X_bar' = G(p) + 63 G(q),  q = (1 - p) / 63,
 *      where G(z) = (1/v) sum_{t=d+1}^{nb} sum_{u=1}^{t} log2(u) F(z, t, u),
 *      F(z, t, u) = z^2 (1-z)^(u-1) for u < t and z (1-z)^(t-1) for u = t.
 *   8. H = -log2(p) / 6, or H = 1 when no p is found.
 *
 * Where we follow NIST's tool (1.1.7) rather than the text:
 *   - Step 4 sums log2 D_i and (log2 D_i)^2 with Kahan compensation.
 *   - G is evaluated through the rearrangement the tool uses (attributed
 *     there to UL's implementation notes): with a_u = log2(u) (1-z)^(u-1),
 *     A_j = sum_{u<j} a_u, G(z) = z (z S + (A_{nb+1} - A_{d+1})) / v where
 *     S = (nb - d) A_{d+1} + sum_{u=d+1}^{nb-1} (nb - u) a_u. Powers of
 *     (1 - z) and the a_u are carried in long double (80-bit on x86-64)
 *     and rounded to double when summed; both sums are Kahan sums.
 *   - The tail sum stops at the first term (nb - u) a_u that rounds to 0
 *     in double; A_{nb+1}'s last term is then also left out.
 *   - p is found by bisection between 1/64 and 1 (the function decreases
 *     in p), stopped by ea_close_enough() with the tool's tolerances and
 *     at most EA_ITERMAX halvings, with the tool's invariant checks; a
 *     failed check ends the search at the current upper bound, or at 1/64
 *     (full entropy, step 8) when the target has left the bracket.
 *   - When G(1/64) + 63 G(1/64) <= X_bar' no search is made: p = 1/64,
 *     H = 1 (found_p = 0). So it is when the search ends at p <= 1/64.
 *   - With nb <= d the tool omits the estimate; we return EA_ERR_TOO_SHORT.
 *     We do so also for nb = d + 1 (v = 1), where the tool divides by
 *     v - 1 = 0 in step 4 and goes on with an infinite sigma_hat.
 *
 * Speed (results are those of the plain evaluation, bit for bit):
 *   - log2(u) in long double does not depend on z; it is tabulated once per
 *     call, as far as any evaluation reaches, and shared by all of them.
 *   - The tail sum runs until its terms underflow, thousands of terms past
 *     the point where they stop mattering. Once both Kahan sums are
 *     "frozen" it is cut short: with a nonzero compensation c, a sum s
 *     with s - c == s, and every later term x below a quarter of the
 *     spacing of doubles at |c|, a Kahan step computes y = x - c = -c,
 *     t = s + y = s and c' = (t - s) - y = c, so neither s nor c can change
 *     again. Later terms are bounded by nb (log2(nb) + 1) (1-z)^(u-1), since the
 *     long double powers never increase for 0 <= z <= 1. The frozen state
 *     is exactly the one the full loop ends with.
 *   - In step 4, log2 of small distances comes from a table filled with
 *     the same log2() calls.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bits.h"
#include "ea90b.h"
#include "numeric.h"

#define BLOCK_BITS 6
#define DICT_BLOCKS 1000L
#define SIGMA_C 0.5907          /* §6.3.4 step 4, for b = 6 */
#define NVALUES 64              /* 2^BLOCK_BITS block values */
#define SMALL_D 4096            /* distances whose log2 is tabulated */
#define FREEZE_STRIDE 32        /* tail terms between freeze checks */

/* A Kahan (compensated) running sum. */
typedef struct {
    double s;   /* sum */
    double c;   /* compensation */
} ksum;

static void kahan_add(ksum *k, double in)
{
    double y = in - k->c;
    double t = k->s + y;

    k->c = (t - k->s) - y;
    k->s = t;
}

/* Shared by every evaluation of G in one call: log2(u) in long double. */
typedef struct {
    long d;            /* dictionary blocks */
    long nb;           /* blocks in the sequence */
    long double *lg;   /* lg[u] = log2l(u), valid for u < have */
    long have;
    long cap;
} g_ctx;

/* Make lg[u] valid for every u < upto (upto <= nb + 1). */
static ea_status ensure_log2(g_ctx *g, long upto)
{
    if (upto <= g->have)
        return EA_OK;
    if (upto > g->cap) {
        long ncap = g->cap > 0 ? g->cap : 8192;
        long double *p;
        while (ncap < upto)
            ncap *= 2;
        if (ncap > g->nb + 1)
            ncap = g->nb + 1;
        p = realloc(g->lg, (size_t)ncap * sizeof *p);
        if (p == NULL)
            return EA_ERR_NOMEM;
        g->lg = p;
        g->cap = ncap;
    }
    for (long u = g->have; u < upto; u++)
        g->lg[u] = u > 0 ? log2l((long double)u) : 0.0L;
    g->have = upto;
    return EA_OK;
}

/* Spacing of doubles at |c| (smaller than the true one for subnormal c). */
static double spacing(double c)
{
    int e;

    (void)frexp(c, &e);
    return ldexp(1.0, e - 53);
}

/*
 * Can no later Kahan step with a term in [0, bound] change k? (See the
 * banner: nonzero c, s - c == s, bound below a quarter of c's spacing.)
 */
static int frozen(const ksum *k, long double bound)
{
    if (!(k->c < 0.0) && !(k->c > 0.0))
        return 0;
    if (k->s - k->c < k->s || k->s - k->c > k->s)
        return 0;
    return 4.0L * bound < (long double)spacing(k->c);
}

/*
 * Tail of G: for u = d+1..nb-1 add a_u to A and (nb - u) a_u to S, stopping
 * at the first scaled term that rounds to 0 or once both sums are frozen.
 * *bp holds (1-z)^d on entry and (1-z)^(u-1) for the u reached on exit;
 * *cut tells whether the last A term (u = nb) is to be left out.
 */
static ea_status tail_sums(g_ctx *g, long double bterm, long double *bp,
                           ksum *a, ksum *f, int *cut)
{
    const long nb = g->nb;
    const long double lgmax = log2l((long double)nb) + 1.0L;
    long double b = *bp;
    long u = g->d + 1;
    ea_status st;

    *cut = 0;
    while (u < nb) {
        long stop = (nb - u > FREEZE_STRIDE) ? u + FREEZE_STRIDE : nb;
        if ((st = ensure_log2(g, stop)) != EA_OK)
            return st;
        for (; u < stop; u++) {
            long double ai = g->lg[u] * b;
            long double scaled;
            kahan_add(a, (double)ai);
            scaled = (long double)(nb - u) * ai;
            if (!((double)scaled > 0.0)) {
                *cut = 1;
                *bp = b;
                return EA_OK;
            }
            kahan_add(f, (double)scaled);
            b *= bterm;
        }
        if (u < nb && frozen(f, (long double)nb * lgmax * b) && frozen(a, lgmax * b)) {
            *cut = 1;   /* all later steps, the last A term too, are no-ops */
            break;
        }
    }
    *bp = b;
    return EA_OK;
}

/* G(z) as rearranged in the banner (steps 6-7). */
static ea_status eval_g(g_ctx *g, double z, double *out)
{
    const long double bterm = 1.0L - (long double)z;
    long double b = bterm;
    ksum a = {0.0, 0.0}, f = {0.0, 0.0};
    double ad1;
    int cut;
    ea_status st;

    if ((st = ensure_log2(g, g->d + 1)) != EA_OK)
        return st;
    for (long u = 2; u <= g->d; u++) {   /* a_1 = 0: start at u = 2 */
        kahan_add(&a, (double)(g->lg[u] * b));
        b *= bterm;
    }
    ad1 = a.s;
    if ((st = tail_sums(g, bterm, &b, &a, &f, &cut)) != EA_OK)
        return st;
    kahan_add(&f, (double)(g->nb - g->d) * ad1);
    if (!cut) {
        if ((st = ensure_log2(g, g->nb + 1)) != EA_OK)
            return st;
        kahan_add(&a, (double)(g->lg[g->nb] * b));
    }
    *out = 1.0 / (double)(g->nb - g->d) * z * (z * f.s + (a.s - ad1));
    return EA_OK;
}

/* Right-hand side of step 7: G(p) + 63 G((1 - p) / 63). */
static ea_status expected_x(g_ctx *g, double p, double *out)
{
    const double others = (double)NVALUES - 1.0;
    double gp, gq;
    ea_status st;

    if ((st = eval_g(g, p, &gp)) != EA_OK)
        return st;
    if ((st = eval_g(g, (1.0 - p) / others, &gq)) != EA_OK)
        return st;
    *out = gp + others * gq;
    return EA_OK;
}

static int same(double a, double b)
{
    return !(a < b) && !(a > b);
}

/* Step 7: bisection for p in [1/64, 1] (expected_x decreases in p). */
static ea_status search_p(g_ctx *g, double target, double *p_out)
{
    const double ldomain = 1.0 / (double)NVALUES, hdomain = 1.0;
    double lbound = ldomain, hbound = hdomain;
    double lvalue = INFINITY, hvalue = -INFINITY;
    double p = (lbound + hbound) / 2.0, last_p, val;
    ea_status st;

    if ((st = expected_x(g, p, &val)) != EA_OK)
        return st;
    for (int j = 0; j < EA_ITERMAX; j++) {
        if (ea_close_enough(val, target, DBL_MIN, DBL_EPSILON, 4))
            break;
        if (target < val) {
            lbound = p;
            lvalue = val;
        } else {
            hbound = p;
            hvalue = val;
        }
        if (lbound >= hbound) {
            p = fmin(fmax(lbound, hbound), hdomain);
            break;
        }
        if (!ea_in_closed(lbound, ldomain, hdomain) || !ea_in_closed(hbound, ldomain, hdomain) ||
            !ea_in_closed(target, lvalue, hvalue)) {
            p = ldomain;   /* search failure: full entropy (step 8) */
            break;
        }
        last_p = p;
        p = (lbound + hbound) / 2.0;
        if (!ea_in_open(p, lbound, hbound) || same(last_p, p)) {
            p = hbound;
            break;
        }
        if ((st = expected_x(g, p, &val)) != EA_OK)
            return st;
        if (!ea_in_closed(val, lvalue, hvalue)) {
            p = hbound;   /* not monotone here: stop at the upper bound */
            break;
        }
    }
    *p_out = p;
    return EA_OK;
}

/* Steps 1-4: Kahan sums of log2 D_i and (log2 D_i)^2 over the test blocks. */
static ea_status distance_sums(const uint8_t *s, long nb, ksum *x, ksum *x2)
{
    long dict[NVALUES];
    double *lg = malloc(SMALL_D * sizeof *lg);

    if (lg == NULL)
        return EA_ERR_NOMEM;
    for (int k = 1; k < SMALL_D; k++)
        lg[k] = log2((double)k);
    memset(dict, 0, sizeof dict);
    for (long i = 0; i < nb; i++) {
        const uint8_t *q = s + (size_t)i * BLOCK_BITS;
        unsigned blk = (unsigned)(q[0] << 5 | q[1] << 4 | q[2] << 3 |
                                  q[3] << 2 | q[4] << 1 | q[5]);
        if (i >= DICT_BLOCKS) {
            long dist = i + 1 - dict[blk];
            double l = dist < SMALL_D ? lg[dist] : log2((double)dist);
            kahan_add(x, l);
            kahan_add(x2, l * l);
        }
        dict[blk] = i + 1;
    }
    free(lg);
    return EA_OK;
}

ea_status ea_compression(const uint8_t *s, size_t n, ea_compression_result *r)
{
    ksum x = {0.0, 0.0}, x2 = {0.0, 0.0};
    g_ctx g = {DICT_BLOCKS, 0, NULL, 0, 0};
    double v, x_bar, sigma, xp, p, low, at_low;
    ea_status st;

    if (r == NULL || (s == NULL && n > 0))
        return EA_ERR_ARG;
    memset(r, 0, sizeof *r);
    if (!ea_is_binary(s, n))
        return EA_ERR_ARG;
    if (n / BLOCK_BITS >= (size_t)LONG_MAX)
        return EA_ERR_ARG;   /* block indices must fit a long */
    g.nb = (long)(n / BLOCK_BITS);
    if (g.nb <= DICT_BLOCKS + 1)
        return EA_ERR_TOO_SHORT;   /* no test blocks, or v - 1 = 0 in step 4 */
    if ((st = distance_sums(s, g.nb, &x, &x2)) != EA_OK)
        return st;

    /* Steps 4-5, in the tool's order of operations. */
    v = (double)(g.nb - DICT_BLOCKS);
    x_bar = x.s / v;
    sigma = SIGMA_C * sqrt(x2.s / (v - 1.0) - x_bar * x_bar);
    if (isnan(sigma))
        return EA_ERR_NUMERIC;
    xp = x_bar - EA_ZALPHA * sigma / sqrt(v);
    r->x_bar = x_bar;
    r->sigma_hat = sigma;
    r->x_bar_prime = xp;

    /* Steps 6-8. */
    low = 1.0 / (double)NVALUES;
    p = -1.0;
    st = expected_x(&g, low, &at_low);
    if (st == EA_OK && at_low > xp)
        st = search_p(&g, xp, &p);
    free(g.lg);
    if (st != EA_OK)
        return st;
    if (p > low) {
        r->found_p = 1;
        r->p = p;
        r->h = -log2(p) / (double)BLOCK_BITS + 0.0;   /* never -0 */
    } else {
        r->found_p = 0;
        r->p = low;
        r->h = 1.0;
    }
    return EA_OK;
}
