/* SPDX-License-Identifier: Apache-2.0 */
/*
 * markov.c - Markov estimate, SP 800-90B §6.3.3 (binary data).
 *
 * Steps, on a 0/1 sequence s_1..s_L:
 *   1. Initial probabilities P_0 = (#zeros in s_1..s_L) / L, P_1 = 1 - P_0.
 *   2. Transition probabilities from the L - 1 overlapping pairs:
 *      P_{0,0} = C_00 / C_0, P_{0,1} = 1 - P_{0,0},
 *      P_{1,0} = C_10 / C_1, P_{1,1} = 1 - P_{1,0},
 *      where C_x counts x among s_1..s_{L-1} (pair starts).
 *   3. The most likely 128-bit sequence is one of six candidates
 *      (0^128, (01)^64, 01^127, 10^127, (10)^64, 1^128); take the largest
 *      probability p_hat_max over them.
 *   4. H = min(-log2(p_hat_max) / 128, 1).
 *
 * Where we follow NIST's tool (1.1.7) rather than the text:
 *   - Step 3 is done in the log domain: each candidate's -log2 probability
 *     is formed as -log2(P_a) - n1 log2(P_ab) - n2 log2(P_cd), in that
 *     order, starting from a ceiling of 128; p_hat_max is 2^-min. This
 *     avoids the underflow of a product of 127 probabilities. The
 *     exponents (127; 64 and 63; 1 and 126) are the tool's.
 *   - A candidate is skipped when one of its transition probabilities is
 *     0 (its probability is 0); when a state never starts a pair both of
 *     its transition probabilities are taken as 0.
 *   - P_{x,1} and P_1 are formed as 1 - P_{x,0} and 1 - P_0, not as their
 *     own quotients; the last digits depend on it.
 *
 * Counting works on eight samples at a time: with 0/1 bytes, the number of
 * ones among pair starts, the number of ones among pair ends and the number
 * of 11 pairs (a AND of the sequence with itself shifted by one) determine
 * C_0, C_00 and C_10 exactly.
 */
#include <math.h>
#include <string.h>

#include "bits.h"
#include "ea90b.h"

typedef struct {
    size_t ones_first;   /* ones among s[0..n-2] */
    size_t ones_last;    /* ones among s[1..n-1] */
    size_t pairs11;      /* i < n-1 with s[i] = s[i+1] = 1 */
    int binary;          /* 0 when a byte other than 0/1 occurred */
} pair_counts;

/* Counts over the n - 1 overlapping pairs of s (n >= 2). */
static void count_pairs(const uint8_t *s, size_t n, pair_counts *pc)
{
    const size_t m = n - 1;   /* number of pairs */
    uint64_t seen = 0, a_tot = 0, b_tot = 0, ab_tot = 0;
    unsigned tail_seen = 0;
    size_t i = 0;

    while (m - i >= 8) {
        uint64_t a_acc = 0, b_acc = 0, ab_acc = 0;
        size_t words = (m - i) / 8;

        if (words > EA_LANE_BATCH)
            words = EA_LANE_BATCH;
        for (size_t w = 0; w < words; w++, i += 8) {
            uint64_t a, b;
            memcpy(&a, s + i, sizeof a);
            memcpy(&b, s + i + 1, sizeof b);
            seen |= a | b;
            a_acc += a;
            b_acc += b;
            ab_acc += a & b;
        }
        a_tot += ea_lane_sum(a_acc);
        b_tot += ea_lane_sum(b_acc);
        ab_tot += ea_lane_sum(ab_acc);
    }
    for (; i < m; i++) {
        tail_seen |= s[i] | s[i + 1];
        a_tot += s[i];
        b_tot += s[i + 1];
        ab_tot += (uint64_t)(s[i] & s[i + 1]);
    }
    pc->ones_first = (size_t)a_tot;
    pc->ones_last = (size_t)b_tot;
    pc->pairs11 = (size_t)ab_tot;
    pc->binary = ((seen & 0xFEFEFEFEFEFEFEFEull) == 0) && ((tail_seen & ~1u) == 0);
}

/* Lower *h to cand when cand is smaller (keeps the first minimum). */
static void keep_min(double *h, double cand)
{
    if (cand < *h)
        *h = cand;
}

/* Step 3: smallest -log2 probability of the six candidate sequences. */
static double min_neg_log2(const ea_markov_result *r)
{
    double h = 128.0;

    if (r->p00 > 0.0)                       /* 00...0 */
        keep_min(&h, -log2(r->p0) - 127.0 * log2(r->p00));
    if (r->p01 > 0.0 && r->p10 > 0.0)       /* 0101...01 */
        keep_min(&h, -log2(r->p0) - 64.0 * log2(r->p01) - 63.0 * log2(r->p10));
    if (r->p01 > 0.0 && r->p11 > 0.0)       /* 011...1 */
        keep_min(&h, -log2(r->p0) - log2(r->p01) - 126.0 * log2(r->p11));
    if (r->p10 > 0.0 && r->p00 > 0.0)       /* 100...0 */
        keep_min(&h, -log2(r->p1) - log2(r->p10) - 126.0 * log2(r->p00));
    if (r->p10 > 0.0 && r->p01 > 0.0)       /* 1010...10 */
        keep_min(&h, -log2(r->p1) - 64.0 * log2(r->p10) - 63.0 * log2(r->p01));
    if (r->p11 > 0.0)                       /* 11...1 */
        keep_min(&h, -log2(r->p1) - 127.0 * log2(r->p11));
    return h;
}

ea_status ea_markov(const uint8_t *s, size_t n, ea_markov_result *r)
{
    pair_counts pc;
    size_t c0, c1, c00, c10, zeros;
    double h;

    if (r == NULL || (s == NULL && n > 0))
        return EA_ERR_ARG;
    memset(r, 0, sizeof *r);
    if (n < 2)
        return EA_ERR_TOO_SHORT;   /* no transition to count */
    count_pairs(s, n, &pc);
    if (!pc.binary)
        return EA_ERR_ARG;

    c1 = pc.ones_first;
    c0 = (n - 1) - c1;
    c10 = c1 - pc.pairs11;                      /* 1 followed by 0 */
    c00 = ((n - 1) - pc.ones_last) - c10;       /* 0s at pair ends, less 10s */

    if (c0 > 0) {
        r->p00 = (double)c00 / (double)c0;
        r->p01 = 1.0 - r->p00;
    }
    if (c1 > 0) {
        r->p10 = (double)c10 / (double)c1;
        r->p11 = 1.0 - r->p10;
    }
    zeros = c0 + (s[n - 1] == 0);
    r->p0 = (double)zeros / (double)n;
    r->p1 = 1.0 - r->p0;

    h = min_neg_log2(r);
    r->p_hat_max = pow(2.0, -h);
    r->h = fmin(h / 128.0, 1.0) + 0.0;   /* a certain sequence: +0, not -0 */
    return EA_OK;
}
