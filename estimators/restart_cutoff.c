/* SPDX-License-Identifier: Apache-2.0 */
/*
 * restart_cutoff.c - the sanity-check cutoff of SP 800-90B §3.1.4.3.
 *
 * §3.1.4.3 step 2 (as NIST's tool 1.1.7 implements it): X_max, the largest
 * count of one symbol in any of the 1000 rows or 1000 columns, fails when
 * it exceeds the (1 - alpha) quantile of the largest symbol count among
 * 1000 draws from the worst-case distribution for the claimed H_I, with
 * alpha = 1 - 0.99^(1/(r + c)) (a 1% false-reject rate over the 2000 rows
 * and columns). The worst case is the "inverted near-uniform" family: m =
 * floor(1/p) symbols of probability p = 2^-H_I and, when 1/p is not an
 * integer, one more holding q = 1 - m p.
 *
 * Exact quantile (our default). For a multinomial with n draws over cells
 * of probabilities p_i,
 *     P(every count <= c) = n! [x^n] prod_i sum_{j=0..c} (p_i x)^j / j!,
 * and with x = n y the coefficients (n p_i)^j / j! stay within long
 * double range for n = 1000:
 *     P(max <= c) = (n! / n^n) [y^n] F_c(y)^m G_c(y),
 * F_c and G_c the truncated exponentials of n p and n q. The power is
 * taken by squaring with every product truncated at degree n. The cutoff
 * is the smallest c with P(max > c) <= alpha; it lies between the
 * single-cell bound (P(max > c) >= P(N_1 > c)) and the union bound
 * (P(max > c) <= m P(N_1 > c) + P(N_res > c)), which binomial tails give
 * cheaply, so only a few exact evaluations are needed (milliseconds).
 *
 * Simulation (the reference's method, --simulate): `rounds` restarts of
 * 1000 draws u in [0, 1) (53-bit, from xoshiro256**), symbol floor(u / p),
 * largest count over the ceil(1/p) symbols; the sorted value at index
 * floor((1 - alpha) rounds) - 1. We histogram instead of sorting (same
 * value). Block b of EA_RESTART_SIM_BLOCK rounds draws from
 * ea_rng_seed(seed ^ EA_RESTART_SIM_SALT, b), so any thread count gives the
 * same cutoff for a seed.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "ea90b.h"
#include "shared.h"

#define N_DRAWS 1000              /* §3.1.4.1: samples per restart */
#define EA_RESTART_SIM_BLOCK 65536L
#define MAX_CELLS 258             /* ceil(1/p) <= 256 for H_I <= 8, plus slack */

double ea_restart_alpha(void)
{
    /* §3.1.4.3: alpha = 1 - (0.99)^(1/(r+c)), written as the reference does. */
    return 1.0 - exp(log(0.99) / (double)(EA_RESTART_ROWS + EA_RESTART_COLS));
}

/* The worst-case distribution for h_i: m cells of p, one of q (maybe 0). */
typedef struct {
    double p;
    long double q;
    int m;
} worst_case;

static int worst_case_init(double h_i, worst_case *w)
{
    if (!(h_i > 0.0) || !(h_i <= 8.0))
        return -1;
    w->p = pow(2.0, -h_i);
    w->m = (int)floor(1.0 / w->p);
    w->q = 1.0L - (long double)w->m * (long double)w->p;
    if (w->q < 0.0L)
        w->q = 0.0L;
    return 0;
}

/* out = a * b truncated at degree N_DRAWS; out may not alias a or b. */
static void poly_mul(const long double *a, int da, const long double *b, int db,
                     long double *out, int *dout)
{
    int d = da + db > N_DRAWS ? N_DRAWS : da + db;

    for (int k = 0; k <= d; k++)
        out[k] = 0.0L;
    for (int i = 0; i <= da; i++) {
        if (a[i] == 0.0L)
            continue;
        int top = db < d - i ? db : d - i;
        for (int j = 0; j <= top; j++)
            out[i + j] += a[i] * b[j];
    }
    *dout = d;
}

/* (lambda y)^j / j! for j = 0..c. */
static void trunc_exp(long double lambda, int c, long double *f)
{
    f[0] = 1.0L;
    for (int j = 1; j <= c; j++)
        f[j] = f[j - 1] * lambda / (long double)j;
}

/* log(n! / n^n) for n = N_DRAWS, summed term by term (lgamma would write the global
 * signgam, which the library must not touch). */
static long double log_fact_over_pow(void)
{
    long double s = 0.0L;

    for (int k = 1; k <= N_DRAWS; k++)
        s += logl((long double)k / (long double)N_DRAWS);
    return s;
}

/* P(max count <= c) under w; buffers hold 4 * (N_DRAWS + 1) values. */
static long double cdf_max(const worst_case *w, int c, long double *buf)
{
    long double *base = buf, *acc = buf + (N_DRAWS + 1), *tmp = buf + 2 * (N_DRAWS + 1);
    long double *sq = buf + 3 * (N_DRAWS + 1), *swap, coef;
    int dbase = c, dacc = 0, dt, e = w->m;

    trunc_exp((long double)N_DRAWS * (long double)w->p, c, base);
    if (w->q > 0.0L) {
        trunc_exp((long double)N_DRAWS * w->q, c, acc);
        dacc = c;
    } else {
        acc[0] = 1.0L;
    }
    while (e > 0) {
        if (e & 1) {
            poly_mul(acc, dacc, base, dbase, tmp, &dt);
            swap = acc, acc = tmp, tmp = swap;
            dacc = dt;
        }
        e >>= 1;
        if (e > 0) {
            poly_mul(base, dbase, base, dbase, sq, &dt);
            swap = base, base = sq, sq = swap;
            dbase = dt;
        }
    }
    coef = dacc >= N_DRAWS ? acc[N_DRAWS] : 0.0L;
    return coef * expl(log_fact_over_pow());
}

static int tail_at(const worst_case *w, int c, long double *buf, double *tail)
{
    long double t;

    if (c >= N_DRAWS) {
        *tail = 0.0;
        return 0;
    }
    t = 1.0L - cdf_max(w, c, buf);
    if (!isfinite((double)t))
        return -1;
    *tail = t < 0.0L ? 0.0 : (double)t;
    return 0;
}

ea_status ea_restart_max_tail(double h_i, int c, double *tail)
{
    worst_case w;
    long double *buf;
    int rc;

    if (tail == NULL || c < 0 || c > N_DRAWS || worst_case_init(h_i, &w) != 0)
        return EA_ERR_ARG;
    buf = malloc(4 * (N_DRAWS + 1) * sizeof(*buf));
    if (buf == NULL)
        return EA_ERR_NOMEM;
    rc = tail_at(&w, c, buf, tail);
    free(buf);
    return rc == 0 ? EA_OK : EA_ERR_NUMERIC;
}

/* tail[c] = P(Bin(n, p) > c) for c = 0..n, in double (bounds only). */
static void binom_tails(double p, double *tail)
{
    double lp, lq, s = 0.0, lc = 0.0;

    tail[N_DRAWS] = 0.0;
    if (p <= 0.0 || p >= 1.0) {
        for (int c = 0; c < N_DRAWS; c++)
            tail[c] = p >= 1.0 ? 1.0 : 0.0;
        return;
    }
    lp = log(p);
    lq = log1p(-p);
    /* log C(n, j) built incrementally from j = n down (no lgamma: signgam is global) */
    for (int j = N_DRAWS; j >= 1; j--) {
        s += exp(lc + (double)j * lp + (double)(N_DRAWS - j) * lq);
        tail[j - 1] = s;
        lc += log((double)j / (double)(N_DRAWS - j + 1));
    }
}

/*
 * Smallest c with P(N_1 > c) <= alpha (*lo: the single-cell bound) and
 * smallest c with m P(N_1 > c) + P(N_res > c) <= alpha (*hi: the union bound).
 */
static void bound_cutoffs(const worst_case *w, double alpha, int *lo, int *hi)
{
    double tp[N_DRAWS + 1], tq[N_DRAWS + 1];

    binom_tails(w->p, tp);
    binom_tails((double)w->q, tq);
    *lo = *hi = N_DRAWS;
    for (int c = N_DRAWS; c >= 0; c--) {
        if (tp[c] <= alpha)
            *lo = c;
        if ((double)w->m * tp[c] + tq[c] <= alpha)
            *hi = c;
    }
}

ea_status ea_restart_cutoff_exact(double h_i, double alpha, int *cutoff, double *tail_prob)
{
    worst_case w;
    long double *buf;
    int lo, hi, mid;
    double t = 0.0, t_hi = 0.0;

    if (cutoff == NULL || !(alpha > 0.0 && alpha < 1.0) || worst_case_init(h_i, &w) != 0)
        return EA_ERR_ARG;
    buf = malloc(4 * (N_DRAWS + 1) * sizeof(*buf));
    if (buf == NULL)
        return EA_ERR_NOMEM;
    /* The answer lies in [lo, hi]; widen by one each side against rounding. */
    bound_cutoffs(&w, alpha, &lo, &hi);
    lo -= 1;
    hi += 1;
    if (lo < 0)
        lo = 0;
    if (hi > N_DRAWS)
        hi = N_DRAWS;
    /* Invariant: tail(hi) <= alpha; find the smallest such c. */
    while (hi < N_DRAWS && (tail_at(&w, hi, buf, &t_hi) != 0 || t_hi > alpha))
        hi++;
    if (hi == N_DRAWS)
        t_hi = 0.0;
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (tail_at(&w, mid, buf, &t) != 0) {
            free(buf);
            return EA_ERR_NUMERIC;
        }
        if (t <= alpha) {
            hi = mid;
            t_hi = t;
        } else {
            lo = mid + 1;
        }
    }
    free(buf);
    *cutoff = hi;
    if (tail_prob != NULL)
        *tail_prob = t_hi;
    return EA_OK;
}

/* ---------------------------------------------------------------- simulation */

typedef struct {
    double p;
    int k_eff;
    uint64_t seed;
    long rounds;
    long nblocks;
    atomic_long next;
    long hist[N_DRAWS + 1];
    mtx_t lock;
} sim_job;

static int simulate_one(const sim_job *j, ea_rng *r)
{
    uint16_t counts[MAX_CELLS];
    int max = 0;

    memset(counts, 0, sizeof counts);
    for (int d = 0; d < N_DRAWS; d++) {
        double u = (double)(ea_rng_next(r) >> 11) * 0x1.0p-53;
        int idx = (int)floor(u / j->p);
        if (idx >= MAX_CELLS)
            idx = MAX_CELLS - 1;
        counts[idx]++;
    }
    for (int s = 0; s < j->k_eff; s++)
        if (counts[s] > max)
            max = counts[s];
    return max;
}

static int sim_worker(void *arg)
{
    sim_job *j = arg;
    long local[N_DRAWS + 1], b;
    ea_rng r;

    memset(local, 0, sizeof local);
    while ((b = atomic_fetch_add(&j->next, 1)) < j->nblocks) {
        long first = b * EA_RESTART_SIM_BLOCK, last = first + EA_RESTART_SIM_BLOCK;
        if (last > j->rounds)
            last = j->rounds;
        ea_rng_seed(&r, j->seed ^ EA_RESTART_SIM_SALT, (uint64_t)b);
        for (long i = first; i < last; i++)
            local[simulate_one(j, &r)]++;
    }
    mtx_lock(&j->lock);
    for (int v = 0; v <= N_DRAWS; v++)
        j->hist[v] += local[v];
    mtx_unlock(&j->lock);
    return 0;
}

ea_status ea_restart_cutoff_simulate(double h_i, double alpha, long rounds, uint64_t seed,
                                     int threads, int *cutoff)
{
    worst_case w;
    sim_job *j;
    long idx, seen = 0;
    int v;

    if (cutoff == NULL || rounds < 1 || !(alpha > 0.0 && alpha < 1.0) ||
        worst_case_init(h_i, &w) != 0)
        return EA_ERR_ARG;
    idx = (long)floor((1.0 - alpha) * (double)rounds) - 1;
    if (idx < 0 || idx >= rounds)
        return EA_ERR_ARG;
    j = calloc(1, sizeof(*j));
    if (j == NULL)
        return EA_ERR_NOMEM;
    if (mtx_init(&j->lock, mtx_plain) != thrd_success) {
        free(j);
        return EA_ERR_NOMEM;
    }
    j->p = w.p;
    j->k_eff = (int)ceil(1.0 / w.p);
    if (j->k_eff > MAX_CELLS)
        j->k_eff = MAX_CELLS;
    j->seed = seed;
    j->rounds = rounds;
    j->nblocks = (rounds + EA_RESTART_SIM_BLOCK - 1) / EA_RESTART_SIM_BLOCK;
    atomic_init(&j->next, 0);
    ea_run_threads(sim_worker, j, threads);
    for (v = 0; v <= N_DRAWS; v++) {
        seen += j->hist[v];
        if (seen > idx)
            break;
    }
    mtx_destroy(&j->lock);
    free(j);
    *cutoff = v > N_DRAWS ? N_DRAWS : v;
    return EA_OK;
}
