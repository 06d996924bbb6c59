/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chi_square.c - the chi-square tests of SP 800-90B §5.2: independence and
 * goodness of fit, each in a non-binary and a binary form, as NIST's
 * ea_iid (1.1.7) runs them on the mapped symbols (k = alphabet size,
 * L = number of samples). The binary forms are used when k == 2.
 *
 * §5.2.1 Independence, non-binary:
 *   1. p_i = proportion of symbol i; e_ij = p_i p_j floor(L/2), the expected
 *      count of the pair (i, j) among the floor(L/2) non-overlapping pairs.
 *   2. Take the k^2 pairs in increasing order of e_ij and fill bins in that
 *      order, closing a bin once its expected total reaches 5; if the last
 *      bin's total is below 5, merge it into the one before. q = bins.
 *   3-4. o_b = how many of the pairs (s_2j, s_2j+1) fall into bin b.
 *   5. T = Σ_b (o_b - E_b)^2 / E_b, with q - k degrees of freedom.
 * §5.2.2 Goodness of fit, non-binary:
 *   1. e_i = p_i floor(L/10), the expected count of symbol i in each tenth.
 *   2. Bins over the k symbols, formed as in §5.2.1 step 2.
 *   3-4. Split S into 10 consecutive parts of floor(L/10) samples (the rest
 *      is not used); T = Σ_parts Σ_b (o_b - E_b)^2 / E_b, 9 (q - 1) degrees
 *      of freedom.
 * §5.2.3 Independence, binary:
 *   1. p0, p1 = proportions of 0s and 1s.
 *   2. m = the largest of 11, 10, ..., 2 with min(p0, p1)^m floor(L/m) >= 5.
 *   3. Count the floor(L/m) non-overlapping m-bit blocks (first bit most
 *      significant); T = Σ_v (o_v - e_v)^2 / e_v over all 2^m patterns v,
 *      e_v = p1^w p0^(m-w) floor(L/m), w = ones in v; 2^m - 2 degrees of
 *      freedom.
 * §5.2.4 Goodness of fit, binary:
 *   p = proportion of 1s; 10 parts of floor(L/10) bits; per part
 *   T += (o0 - e0)^2 / e0 + (o1 - e1)^2 / e1, e1 = p floor(L/10),
 *   e0 = (1 - p) floor(L/10); 9 degrees of freedom.
 * Each test fails when its p-value (upper tail of the chi-square
 * distribution, gamma.c) is below 0.001, the significance level of §5.2.
 *
 * Constants: 5 (the smallest expected count a bin may have, §5.2.1/§5.2.2
 * step 2 and §5.2.3 step 2), 11 (the largest m, §5.2.3), 10 parts
 * (§5.2.2, §5.2.4), 0.001.
 *
 * Where we follow NIST's code rather than the text, and why (parity):
 *   - p_i is 1/L summed once per occurrence (gamma.h), not c_i / L; the
 *     bits decide the order of equal-looking products in step 2.
 *   - Ties in e_ij are ordered by the pair's index i k + j.
 *   - e_ij = p_i p_j floor(L/2) and e_i = p_i floor(L/10): expectations
 *     for the number of pairs and the part length actually counted (the
 *     text writes L/2 for the pairs).
 *   - The q - k degrees of freedom can be 0 or negative on short or very
 *     skewed data; the reference then reports p-value 1 (pass), so do we.
 *   - §5.2.3 with no m >= 2 (very skewed or short data) gives T = 0 with
 *     0 degrees of freedom, hence p-value 1: the reference passes it.
 *   - Floating-point sums are formed in the reference's order (bin by bin,
 *     pattern by pattern, part by part), so T agrees to the last bits.
 *
 * Our own rules: fewer than 10 samples (an empty part in §5.2.2/§5.2.4,
 * where the reference divides by zero) gives EA_ERR_TOO_SHORT. A constant
 * dataset (k = 1, which the reference refuses before testing) takes the
 * non-binary path and passes with T ~ 0 and 0 degrees of freedom.
 *
 * Speed: one pass to count symbols and one per test over the data; the
 * k^2 pair expectations are sorted by a radix sort on their bit patterns
 * (non-negative doubles order like their bits), so 8-bit data cost a few
 * milliseconds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"
#include "histogram.h"
#include "gamma.h"

#define EA_CHISQ_ALPHA 0.001      /* §5.2 significance level */
#define EA_CHISQ_MIN_EXPECT 5.0   /* smallest expected count of a bin */
#define EA_CHISQ_PARTS 10         /* §5.2.2 / §5.2.4 parts */
#define EA_CHISQ_MAX_M 11         /* §5.2.3 largest block length */
#define EA_CHISQ_MIN_LEN 10       /* one sample per part at least */

/* ------------------------------------------------------------------ */
/* Shared by §5.2.1 and §5.2.2: ordering, binning, the statistic       */
/* ------------------------------------------------------------------ */

static uint64_t double_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/*
 * order[0..m-1] = the categories 0..m-1 sorted by expect[] ascending, ties
 * by category. A stable LSD radix sort on the bit patterns (all values are
 * >= 0) started from category order gives exactly that; passes whose byte
 * is the same for every key are skipped. tmp_key / tmp_idx: m entries each.
 */
static void order_by_expectation(const double *expect, size_t m, uint32_t *order,
                                 uint64_t *key, uint64_t *tmp_key, uint32_t *tmp_idx)
{
    size_t hist[8][256];
    uint64_t *ks = key, *kd = tmp_key;
    uint32_t *is = order, *id = tmp_idx;

    memset(hist, 0, sizeof hist);
    for (size_t i = 0; i < m; i++) {
        key[i] = double_bits(expect[i]);
        order[i] = (uint32_t)i;
        for (unsigned d = 0; d < 8; d++)
            hist[d][(key[i] >> (8 * d)) & 0xFFu]++;
    }
    for (unsigned d = 0; d < 8; d++) {
        size_t pos = 0, *h = hist[d];
        if (h[(ks[0] >> (8 * d)) & 0xFFu] == m)
            continue;
        for (unsigned b = 0; b < 256; b++) {
            size_t c = h[b];
            h[b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < m; i++) {
            size_t at = h[(ks[i] >> (8 * d)) & 0xFFu]++;
            kd[at] = ks[i];
            id[at] = is[i];
        }
        { uint64_t *t = ks; ks = kd; kd = t; }
        { uint32_t *t = is; is = id; id = t; }
    }
    if (is != order)
        memcpy(order, is, m * sizeof *order);
}

/*
 * §5.2.1 / §5.2.2 step 2: walk the categories in `order`, adding each to
 * the open bin; a bin is closed when its expected total has reached 5
 * before the next category would join it. A last bin under 5 is merged
 * into the previous one (unless it is the only bin). Fills bin_of[category]
 * and bin_exp[bin]; returns the number of bins, q >= 1 when m >= 1.
 */
static size_t make_bins(const uint32_t *order, size_t m, const double *expect,
                        int32_t *bin_of, double *bin_exp)
{
    size_t q = 0;
    double open_sum = 0.0;

    for (size_t i = 0; i < m; i++) {
        if (open_sum >= EA_CHISQ_MIN_EXPECT) {
            bin_exp[q++] = open_sum;
            open_sum = 0.0;
        }
        bin_of[order[i]] = (int32_t)q;
        open_sum += expect[order[i]];
    }
    if (q > 0 && open_sum < EA_CHISQ_MIN_EXPECT) {
        for (size_t i = m; i-- > 0 && bin_of[order[i]] == (int32_t)q;)
            bin_of[order[i]] = (int32_t)(q - 1);
        bin_exp[q - 1] += open_sum;
        return q;
    }
    bin_exp[q++] = open_sum;
    return q;
}

/* Σ_b (o_b - E_b)^2 / E_b over q bins, in bin order. */
static double chisq_sum(const uint64_t *obs, const double *expect, size_t q)
{
    double t = 0.0;

    for (size_t b = 0; b < q; b++) {
        double d = (double)obs[b] - expect[b];
        t += d * d / expect[b];
    }
    return t;
}

/* ------------------------------------------------------------------ */
/* §5.2.1 independence, non-binary                                     */
/* ------------------------------------------------------------------ */

/* Scratch for the k^2 pair categories, carved from one allocation. */
typedef struct {
    double *expect;     /* e_ij, index i k + j */
    double *bin_exp;    /* E_b */
    uint64_t *key;      /* sort keys, then pair counts */
    uint64_t *tmp_key;  /* sort scratch, then bin counts */
    uint32_t *order;
    uint32_t *tmp_idx;
    int32_t *bin_of;
    void *block;
} pair_scratch;

static ea_status pair_scratch_new(pair_scratch *w, size_t m)
{
    unsigned char *p = malloc(m * (4 * sizeof(double) + 3 * sizeof(uint32_t)));

    if (p == NULL)
        return EA_ERR_NOMEM;
    w->block = p;
    w->expect = (double *)(void *)p;
    w->bin_exp = w->expect + m;
    w->key = (uint64_t *)(void *)(w->bin_exp + m);
    w->tmp_key = w->key + m;
    w->order = (uint32_t *)(void *)(w->tmp_key + m);
    w->tmp_idx = w->order + m;
    w->bin_of = (int32_t *)(void *)(w->tmp_idx + m);
    return EA_OK;
}

/* o_b: tally the floor(n/2) pairs per pair category, then per bin. */
static void count_pairs(const uint8_t *s, size_t n, int k, const int32_t *bin_of,
                        size_t q, uint64_t *pair_count, uint64_t *obs)
{
    size_t m = (size_t)k * (size_t)k;

    memset(pair_count, 0, m * sizeof *pair_count);
    for (size_t j = 0; j + 1 < n; j += 2)
        pair_count[(size_t)s[j] * (size_t)k + s[j + 1]]++;
    memset(obs, 0, q * sizeof *obs);
    for (size_t c = 0; c < m; c++)
        obs[bin_of[c]] += pair_count[c];
}

static ea_status independence_general(const uint8_t *s, size_t n, int k, const double *p,
                                      ea_chisq_part *out)
{
    size_t m = (size_t)k * (size_t)k, q;
    double pairs = floor((double)n * 0.5);
    pair_scratch w;
    ea_status st = pair_scratch_new(&w, m);

    if (st != EA_OK)
        return st;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            w.expect[(size_t)i * (size_t)k + (size_t)j] = p[i] * p[j] * pairs;
    order_by_expectation(w.expect, m, w.order, w.key, w.tmp_key, w.tmp_idx);
    q = make_bins(w.order, m, w.expect, w.bin_of, w.bin_exp);
    count_pairs(s, n, k, w.bin_of, q, w.key, w.tmp_key);
    out->score = chisq_sum(w.tmp_key, w.bin_exp, q);
    out->df = (long)q - (long)k;
    free(w.block);
    return EA_OK;
}

/* ------------------------------------------------------------------ */
/* §5.2.2 goodness of fit, non-binary                                  */
/* ------------------------------------------------------------------ */

static void fit_general(const uint8_t *s, size_t n, int k, const double *p, ea_chisq_part *out)
{
    double expect[256], bin_exp[256], part = floor((double)n / (double)EA_CHISQ_PARTS);
    uint64_t key[256], tmp_key[256], counts[256], obs[256];
    uint32_t order[256], tmp_idx[256];
    int32_t bin_of[256];
    size_t m = (size_t)k, len = n / EA_CHISQ_PARTS, q;
    double t = 0.0;

    for (size_t i = 0; i < m; i++)
        expect[i] = p[i] * part;
    order_by_expectation(expect, m, order, key, tmp_key, tmp_idx);
    q = make_bins(order, m, expect, bin_of, bin_exp);
    for (size_t d = 0; d < EA_CHISQ_PARTS; d++) {
        (void)ea_symbol_counts(s + d * len, len, k, counts);
        memset(obs, 0, q * sizeof *obs);
        for (size_t i = 0; i < m; i++)
            obs[bin_of[i]] += counts[i];
        t += chisq_sum(obs, bin_exp, q);
    }
    out->score = t;
    out->df = 9L * ((long)q - 1L);
}

/* ------------------------------------------------------------------ */
/* §5.2.3 independence and §5.2.4 goodness of fit, binary              */
/* ------------------------------------------------------------------ */

static int ones_in_pattern(unsigned v)
{
    int w = 0;

    for (; v != 0; v &= v - 1)
        w++;
    return w;
}

/* §5.2.3 step 2; 1 when no m >= 2 qualifies. n / m is integer division. */
static int block_length(double p_min, size_t n)
{
    for (int m = EA_CHISQ_MAX_M; m >= 2; m--)
        if (pow(p_min, (double)m) * (double)(n / (size_t)m) >= EA_CHISQ_MIN_EXPECT)
            return m;
    return 1;
}

static void independence_binary(const uint8_t *s, size_t n, uint64_t ones, ea_chisq_part *out)
{
    uint64_t occ[1u << EA_CHISQ_MAX_M];
    double p1 = (double)ones / (double)n, p0 = 1.0 - p1, t = 0.0;
    int m = block_length(p1 < p0 ? p1 : p0, n);
    size_t blocks, patterns;

    out->score = 0.0;
    out->df = 0;
    if (m < 2)
        return;
    blocks = n / (size_t)m;
    patterns = (size_t)1 << m;
    memset(occ, 0, patterns * sizeof *occ);
    for (size_t b = 0; b < blocks; b++) {
        const uint8_t *x = s + b * (size_t)m;
        unsigned v = 0;
        for (int j = 0; j < m; j++)
            v = (v << 1) | x[j];
        occ[v]++;
    }
    for (size_t v = 0; v < patterns; v++) {
        int w = ones_in_pattern((unsigned)v);
        double e = pow(p1, (double)w) * pow(p0, (double)(m - w)) * (double)blocks;
        double d = (double)occ[v] - e;
        t += d * d / e;
    }
    out->score = t;
    out->df = (long)patterns - 2L;
}

static uint64_t ones_in(const uint8_t *s, size_t n)
{
    uint64_t c = 0;

    for (size_t i = 0; i < n; i++)
        c += s[i];
    return c;
}

static void fit_binary(const uint8_t *s, size_t n, uint64_t ones, ea_chisq_part *out)
{
    size_t len = n / EA_CHISQ_PARTS;
    double p = (double)ones / (double)n;
    double e0 = (1.0 - p) * (double)len, e1 = p * (double)len, t = 0.0;

    for (size_t d = 0; d < EA_CHISQ_PARTS; d++) {
        uint64_t o1 = ones_in(s + d * len, len), o0 = len - o1;
        double d0 = (double)o0 - e0, d1 = (double)o1 - e1;
        t += d0 * d0 / e0 + d1 * d1 / e1;
    }
    out->score = t;
    out->df = 9;
}

/* ------------------------------------------------------------------ */
/* Driver                                                              */
/* ------------------------------------------------------------------ */

static void decide(ea_chisq_part *part)
{
    part->p_value = ea_chisq_pvalue(part->score, part->df);
    part->passed = !(part->p_value < EA_CHISQ_ALPHA);
}

ea_status ea_chi_square_tests(const ea_dataset *ds, ea_chisq_result *r)
{
    uint64_t counts[256];
    double p[256];
    int k;

    if (ds == NULL || r == NULL)
        return EA_ERR_ARG;
    memset(r, 0, sizeof *r);
    k = ds->alph_size;
    if (ds->len == 0)
        return EA_ERR_EMPTY;
    if (ds->symbols == NULL || k < 1 || k > 256)
        return EA_ERR_ARG;
    if (ds->len < EA_CHISQ_MIN_LEN)
        return EA_ERR_TOO_SHORT;
    if (ea_symbol_counts(ds->symbols, ds->len, k, counts) != 0)
        return EA_ERR_ARG;

    r->binary = (k == 2);
    if (r->binary) {
        independence_binary(ds->symbols, ds->len, counts[1], &r->independence);
        fit_binary(ds->symbols, ds->len, counts[1], &r->goodness_of_fit);
    } else {
        ea_status st;
        ea_symbol_proportions(counts, ds->len, k, p);
        st = independence_general(ds->symbols, ds->len, k, p, &r->independence);
        if (st != EA_OK) {
            memset(r, 0, sizeof *r);
            return st;
        }
        fit_general(ds->symbols, ds->len, k, p, &r->goodness_of_fit);
    }
    decide(&r->independence);
    decide(&r->goodness_of_fit);
    r->passed = r->independence.passed && r->goodness_of_fit.passed;
    return EA_OK;
}
