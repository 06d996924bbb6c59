/* SPDX-License-Identifier: Apache-2.0 */
/*
 * predictor.c - the final steps shared by the four predictor estimators,
 * SP 800-90B §6.3.7-6.3.10 (steps "compute P_global, P_global', P_local,
 * min-entropy").
 *
 *   P_global  = C / N
 *   P_global' = min(1, P_global + Z_α sqrt(P_global (1 - P_global) / (N - 1)))
 *               or 1 - 0.01^(1/N) when C = 0                  (step 6)
 *   P_local   = the p solving 0.99 = (1 - p x) / ((r + 1 - r x) q) / x^(N+1)
 *               with q = 1 - p, x the fixed point of
 *               x = 1 + q p^r x^(r+1)                            (step 7)
 *   H         = -log2(max(P_global', P_local, 1/k))              (step 8)
 *
 * As NIST's tool does, P_local is searched for only when it can change the
 * result: when F(max(P_global', 1/k)) > log(0.99) for the log of the
 * step-7 expression. The fixed point is iterated in long double (at most
 * 66 steps); the search is a bisection over [max(P_global', 1/k), 1]
 * stopped by ea_close_enough() and the invariants the reference checks,
 * so that the last digits of P_local agree with it.
 */
#include <math.h>

#include "ea90b.h"
#include "numeric.h"

/* log of the step-7 probability that the longest run is < r. */
static double run_log_prob(long double p, long r, long N)
{
    long double q = 1.0L - p, x = 1.0L, xlast = 0.0L;

    for (int i = 0; i <= 65 && (x - xlast) > (LDBL_EPSILON * x); i++) {
        xlast = x;
        x = 1.0L + q * powl(p, (long double)r) * powl(x, (long double)r + 1.0L);
    }
    return (double)(logl(1.0L - p * x) - logl(((long double)r + 1.0L - (long double)r * x) * q)
                    - ((long double)N + 1.0L) * logl(x));
}

static double search_p_local(long r, long N, double ldomain)
{
    const double target = log(0.99), hdomain = 1.0;
    double lbound = ldomain, hbound = hdomain;
    double lvalue = INFINITY, hvalue = -INFINITY;
    double p = (lbound + hbound) / 2.0, last_p;
    double v = run_log_prob(p, r, N);

    for (int j = 0; j < EA_ITERMAX; j++) {
        if (ea_close_enough(v, target, DBL_MIN, DBL_EPSILON, 4))
            break;
        if (target < v) {
            lbound = p;
            lvalue = v;
        } else {
            hbound = p;
            hvalue = v;
        }
        if (lbound >= hbound)
            return fmin(fmax(lbound, hbound), hdomain);
        if (!ea_in_closed(lbound, ldomain, hdomain) || !ea_in_closed(hbound, ldomain, hdomain))
            return hdomain;
        if (!ea_in_closed(target, lvalue, hvalue))
            return hdomain;
        last_p = p;
        p = (lbound + hbound) / 2.0;
        if (!ea_in_open(p, lbound, hbound))
            return hbound;
        if (!(last_p < p) && !(last_p > p))
            return hbound;
        v = run_log_prob(p, r, N);
        if (!ea_in_closed(v, lvalue, hvalue))
            return hbound;
    }
    return p;
}

ea_status ea_predictor_finish(long C, long N, long max_run, int k, ea_predictor_result *r)
{
    double cur;

    if (r == NULL || N < 1 || C < 0 || C > N || max_run < 0 || k < 2)
        return EA_ERR_ARG;
    r->C = C;
    r->N = N;
    r->r = max_run + 1;
    r->p_global = (double)C / (double)N;
    if (r->p_global > 0)
        r->p_global_prime = fmin(1.0, r->p_global + EA_ZALPHA *
                                 sqrt(r->p_global * (1.0 - r->p_global) / ((double)N - 1.0)));
    else
        r->p_global_prime = 1.0 - pow(0.01, 1.0 / (double)N);

    r->p_local = -1.0;
    r->p_local_used = 0;
    cur = fmax(1.0 / (double)k, r->p_global_prime);
    if (cur < 1.0 && run_log_prob(cur, max_run + 1, N) > log(0.99)) {
        r->p_local = search_p_local(max_run + 1, N, cur);
        r->p_local_used = 1;
        cur = fmax(cur, r->p_local);
    }
    r->h = -log2(cur) + 0.0;   /* cur = 1: +0, not -0 */
    return EA_OK;
}
