/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conditioning.c - output entropy of a conditioning component, SP 800-90B §3.1.5.
 *
 * §3.1.5.1.2 Output_Entropy(n_in, n_out, nw, h_in):
 *   1. P_high = 2^-h_in, P_low = (1 - P_high) / (2^n_in - 1).
 *   2. n = min(n_out, nw)   (nw = min(nw, n_in) first, Appendix E).
 *   3. psi = 2^(n_in - n) P_low + P_high.
 *   4. U = 2^(n_in - n) + sqrt(2 n 2^(n_in - n) ln 2).
 *   5. omega = U P_low.
 *   6. Output_Entropy = -log2(max(psi, omega)), each capped at 1 first (as the reference).
 *      A cap at 1 gives Output_Entropy = +0, where the reference negates log2(1) = +0 into -0
 *      (n_in = 1 always lands there: psi = P_low + P_high = 1).
 * §3.1.5.1.1 vetted: h_out = Output_Entropy.
 * §3.1.5.2 non-vetted: h_out = min(Output_Entropy, 0.999 n_out, h' n_out).
 *
 * NIST's tool evaluates this in MPFR at 2 max(53, n_in, n_out, nw) bits, doubling the precision
 * when a check fails. We use no MPFR: every quantity is kept as base-2 logarithms split into an
 * exact part (n or h_in) and a small correction formed with log1pl/expm1l, so nothing overflows
 * or underflows for any n_in up to 2^32 - 1, and Output_Entropy = exact part - correction is
 * rounded once. Agreement with the MPFR outputs in data/vectors/expected/conditioning.txt is
 * within a few units in the last place of a long double (docs/conditioning.md).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "ea90b.h"

/* ln 2 to long double precision. */
#define EA_LN2L 0.693147180559945309417232121458176568L

/* §3.1.5.2: the non-vetted output entropy is at most 0.999 n_out (the reference's literal). */
#define EA_NONVETTED_FACTOR 0.999L

/* Below 2^-EA_TINY_EXP a term is handled by its first-order expansion (error 2^-64 relative). */
#define EA_TINY_EXP 64.0L

/* a * b rounded toward zero, whatever the caller's rounding mode (the reference multiplies
 * under FE_TOWARDZERO). fmal gives the exact residual of the product. */
static long double mul_toward_zero(long double a, long double b)
{
    long double p = a * b;
    long double e = fmal(a, b, -p);

    if ((p > 0.0L && e < 0.0L) || (p < 0.0L && e > 0.0L))
        p = nextafterl(p, 0.0L);
    return p;
}

/* log2(1 - 2^-x) for x > 0, accurate for tiny and huge x. */
static long double log2_1m_pow2(long double x)
{
    if (x > 1.0L)
        return log1pl(-exp2l(-x)) / EA_LN2L;
    return log2l(-expm1l(-x * EA_LN2L));
}

/* log1p(2^-d) / ln 2 for d >= 0. */
static long double log2_1p_pow2(long double d)
{
    return log1pl(exp2l(-d)) / EA_LN2L;
}

/* log2(log1p(2^-d) / ln 2) for d >= 0, without underflow for huge d. */
static long double lg_log2_1p_pow2(long double d)
{
    if (d < EA_TINY_EXP)
        return log2l(log2_1p_pow2(d));
    /* log1p(t) = t (1 - t/2 + ...), t = 2^-d */
    return -d - exp2l(-d) / (2.0L * EA_LN2L) - log2l(EA_LN2L);
}

/*
 * One candidate of step 6 written as value = base - corr, where base is exact (n or h_in)
 * and corr > 0 is small; lg_corr = log2(corr) stays finite when corr underflows.
 */
typedef struct {
    long double base;
    long double corr;
    long double lg_corr;
} cand;

typedef struct {
    long double h, nin, n, a;  /* h_in, n_in, n, n_in - n */
    long double ex;            /* log2((1 - P_high) / (1 - 2^-n_in)) <= 0 */
} params;

/* Step 3: -log2(psi) = -log2(2^(a + log2 P_low) + 2^-h), with a + log2 P_low = -(n - ex). */
static cand candidate_psi(const params *p)
{
    cand c;
    long double d = (p->n - p->h) - p->ex;   /* A - B, A = n - ex, B = h */

    if (d >= 0.0L) {                  /* P_high dominates: base h */
        c.base = p->h;
        c.corr = log2_1p_pow2(d);
        c.lg_corr = lg_log2_1p_pow2(d);
        return c;
    }
    d = -d;                           /* 2^a P_low dominates: base n */
    c.base = p->n;
    c.corr = p->ex + log2_1p_pow2(d);
    if (d < EA_TINY_EXP || !(c.corr > 0.0L)) {
        c.lg_corr = log2l(c.corr);
        return c;
    }
    /* corr = L (1 + ex / L), ex / L = -2^-n (1 - 2^(h - n_in)) to first order */
    c.lg_corr = lg_log2_1p_pow2(d)
                + log1pl(-exp2l(-p->n) * -expm1l((p->h - p->nin) * EA_LN2L)) / EA_LN2L;
    return c;
}

/* Steps 4-5: -log2(omega) = n - (ex + log1p(s) / ln 2), s = sqrt(2 n ln 2) 2^(-a/2). */
static cand candidate_omega(const params *p)
{
    cand c;
    long double lg_s = 0.5L * log2l(2.0L * p->n * EA_LN2L) - 0.5L * p->a;
    long double s = exp2l(lg_s);

    c.base = p->n;
    c.corr = p->ex + log1pl(s) / EA_LN2L;
    c.lg_corr = log2l(c.corr);
    if (lg_s < -EA_TINY_EXP) {
        /* corr = (s - (P_high - 2^-n_in)) / ln 2 to first order */
        long double r = exp2l(-p->h - lg_s) * -expm1l((p->h - p->nin) * EA_LN2L);

        if (r < 1.0L)
            c.lg_corr = lg_s + log1pl(-r) / EA_LN2L - log2l(EA_LN2L);
    }
    return c;
}

/* -log2(epsilon) with value = (1 - epsilon) M: log2(M) - log2(M - value). */
static long double eps_exp(const cand *c, long double m)
{
    long double lg_delta;

    if (m == c->base)
        lg_delta = c->lg_corr;
    else
        lg_delta = log2l((m - c->base) + c->corr);
    return log2l(m) - lg_delta;
}

/*
 * The precision NIST's tool reports: 2 max(53, n_in, n_out, nw), doubled while 2^-h_in rounded
 * up at that precision reaches 1 (its only check that can fail for valid input).
 */
static void mpfr_precision(ea_conditioning_result *r)
{
    unsigned maxval = 53;

    if (r->n_in > maxval) maxval = r->n_in;
    if (r->n_out > maxval) maxval = r->n_out;
    if (r->nw > maxval) maxval = r->nw;
    r->mpfr_bits = 2L * (long)maxval;
    r->mpfr_attempts = 1;
    while (r->mpfr_bits < 16384 && r->h_in < exp2l(-(long double)r->mpfr_bits) / EA_LN2L) {
        r->mpfr_bits *= 2;
        r->mpfr_attempts++;
    }
}

/* Step 6 with the reference's caps and tie rule (omega > psi selects omega). */
static void output_entropy(ea_conditioning_result *r)
{
    params p;
    cand ps, om, *sel;
    long double lpsi, lomega;

    p.h = r->h_in;
    p.nin = (long double)r->n_in;
    p.n = (long double)r->n;
    p.a = p.nin - p.n;
    p.ex = log2_1m_pow2(p.h) - log2_1m_pow2(p.nin);
    ps = candidate_psi(&p);
    om = candidate_omega(&p);

    lpsi = fminl(0.0L, ps.corr - ps.base);
    lomega = fminl(0.0L, om.corr - om.base);
    if (r->n_in == 1)
        lpsi = 0.0L;                 /* psi = P_low + P_high = 1 exactly */
    r->log2_psi = lpsi;
    r->log2_omega = lomega;
    r->psi = exp2l(lpsi);
    r->omega = exp2l(lomega);

    if (lpsi == 0.0L || lomega == 0.0L) {
        /* a cap at 1 decides: -log2(1) = 0, which the reference negates into -0; no entropy
         * is +0 here, and so is every epsilon exponent (the output is n_out 2^0 short of n_out) */
        r->output_entropy = 0.0L;
        r->nout_eps_exp = r->hin_eps_exp = r->nw_eps_exp = 0.0L;
        return;
    }
    if (ps.base == om.base)
        sel = om.lg_corr > ps.lg_corr ? &om : &ps;   /* corr may underflow, its log not */
    else
        sel = lomega > lpsi ? &om : &ps;
    r->output_entropy = sel->base - sel->corr;
    r->nout_eps_exp = eps_exp(sel, (long double)r->n_out);
    r->hin_eps_exp = eps_exp(sel, r->h_in);
    r->nw_eps_exp = eps_exp(sel, (long double)r->nw);
}

static ea_status conditioning_common(unsigned n_in, unsigned n_out, unsigned nw, long double h_in,
                                     ea_conditioning_result *r)
{
    if (r == NULL)
        return EA_ERR_ARG;
    memset(r, 0, sizeof *r);
    if (n_in == 0 || n_out == 0 || nw == 0 || !isfinite(h_in) || !(h_in > 0.0L)
        || h_in > (long double)n_in)
        return EA_ERR_ARG;
    r->n_in = n_in;
    r->n_out = n_out;
    r->nw = nw < n_in ? nw : n_in;
    r->n = n_out < r->nw ? n_out : r->nw;
    r->h_in = h_in;
    r->h_prime = -1.0L;
    r->bound_90b = mul_toward_zero(EA_NONVETTED_FACTOR, (long double)n_out);
    mpfr_precision(r);
    output_entropy(r);
    return EA_OK;
}

ea_status ea_conditioning_vetted(unsigned n_in, unsigned n_out, unsigned nw, long double h_in,
                                 ea_conditioning_result *r)
{
    ea_status st = conditioning_common(n_in, n_out, nw, h_in, r);

    if (st != EA_OK)
        return st;
    r->vetted = 1;
    r->h_out = r->output_entropy;
    return EA_OK;
}

ea_status ea_conditioning_nonvetted(unsigned n_in, unsigned n_out, unsigned nw, long double h_in,
                                    long double h_prime, ea_conditioning_result *r)
{
    ea_status st;
    long double h;

    if (!isfinite(h_prime) || h_prime < 0.0L || h_prime > 1.0L)
        return EA_ERR_ARG;
    st = conditioning_common(n_in, n_out, nw, h_in, r);
    if (st != EA_OK)
        return st;
    r->vetted = 0;
    r->h_prime = h_prime;
    r->stat_bound = mul_toward_zero(h_prime, (long double)n_out);
    h = r->bound_90b < r->stat_bound ? r->bound_90b : r->stat_bound;
    r->h_out = h < r->output_entropy ? h : r->output_entropy;
    return EA_OK;
}

ea_status ea_conditioning_hprime(const ea_dataset *ds, int iid, int threads, long double *h_prime)
{
    double h = 1.0;
    ea_status st;

    if (ds == NULL || h_prime == NULL || ds->bitstring == NULL)
        return EA_ERR_ARG;
    /* The data ea_non_iid refuses is refused here too, in both tracks: one symbol (NIST's
     * ea_conditioning would estimate the bits of a stuck output), or fewer samples than its
     * conditioned mode (-c) needs (docs/estimators.md, "Minimum sample counts"). */
    if (ds->alph_size <= 1)
        return EA_ERR_ONE_SYMBOL;
    if (ds->len < ea_noniid_min_samples(ds, 0) || ds->blen < EA_NONIID_MIN_BINARY)
        return EA_ERR_TOO_SHORT;
    if (iid) {
        ea_mcv_result m;

        st = ea_mcv(ds->bitstring, ds->blen, 2, &m);
        if (st != EA_OK)
            return st;
        h = fmin(h, m.h);
    } else {
        /* conditioned mode: the bitstring estimators only (k = 2) */
        ea_noniid_opts opt = { .initial = 0, .threads = threads };
        ea_noniid_result res;

        st = ea_noniid_run(ds, &opt, &res);
        if (st != EA_OK)
            return st;
        h = fmin(h, res.h_bitstring);
    }
    /* no entropy is +0 (the estimators never give -0) */
    *h_prime = h > 0.0 ? (long double)h : 0.0L;
    return EA_OK;
}
