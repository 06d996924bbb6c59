/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mcv.c - Most Common Value estimate, SP 800-90B §6.3.1.
 *
 * Steps (L = n samples over an alphabet of k symbols):
 *   1. mode   = the largest number of occurrences of any one symbol;
 *      p_hat  = mode / L.
 *   2. p_u    = min(1, p_hat + Z_α sqrt(p_hat (1 - p_hat) / (L - 1))),
 *      with Z_α = EA_ZALPHA (numeric.h, the 99% two-sided bound).
 *   3. H      = -log2(p_u).
 *
 * Arithmetic is in double, in the order NIST's tool (1.1.7) evaluates it:
 * p_hat is one division of the integer count by L, and L - 1 is formed in
 * double. No place here departs from the text of SP 800-90B.
 *
 * Counting is the only work proportional to L. For k = 2 the symbols are
 * summed eight at a time (bytes are 0 or 1, so the sum is the count of
 * ones); for larger alphabets four interleaved histograms keep successive
 * increments of the same bucket from waiting on each other. Either way the
 * counts are exact integers, so the result does not depend on the method.
 */
#include <math.h>
#include <string.h>

#include "bits.h"
#include "ea90b.h"
#include "histogram.h"
#include "numeric.h"

/*
 * Count the ones in a 0/1 sequence. Returns -1 when a byte other than 0
 * or 1 occurs (the symbols are not binary).
 */
static long long count_ones(const uint8_t *s, size_t n)
{
    const uint64_t not_bit = 0xFEFEFEFEFEFEFEFEull;
    uint64_t seen = 0, total = 0;
    size_t i = 0;

    while (n - i >= 8) {
        uint64_t acc = 0;
        size_t words = (n - i) / 8;

        if (words > EA_LANE_BATCH)
            words = EA_LANE_BATCH;
        for (size_t w = 0; w < words; w++, i += 8) {
            uint64_t x;
            memcpy(&x, s + i, sizeof x);
            seen |= x;
            acc += x;
        }
        total += ea_lane_sum(acc);
    }
    for (; i < n; i++) {
        seen |= s[i];
        total += s[i];
    }
    if (seen & not_bit)
        return -1;
    return (long long)total;
}

/*
 * Most occurrences of one symbol among n symbols below k. Returns -1 when
 * a symbol >= k occurs.
 */
static long long count_mode(const uint8_t *s, size_t n, int k)
{
    uint64_t counts[256], best = 0;

    if (k == 2) {
        long long ones = count_ones(s, n);
        long long zeros = (long long)n - ones;

        if (ones < 0)
            return -1;
        return ones > zeros ? ones : zeros;
    }
    if (ea_symbol_counts(s, n, k, counts) != 0)
        return -1;
    for (int v = 0; v < k; v++)
        if (counts[v] > best)
            best = counts[v];
    return (long long)best;
}

ea_status ea_mcv(const uint8_t *s, size_t n, int k, ea_mcv_result *r)
{
    long long mode;
    double len, p_hat, p_u;

    if (r == NULL || (s == NULL && n > 0) || k < 2 || k > 256)
        return EA_ERR_ARG;
    memset(r, 0, sizeof *r);
    if (n < 2)
        return EA_ERR_TOO_SHORT;   /* L - 1 would be 0 in step 2 */
    mode = count_mode(s, n, k);
    if (mode < 0)
        return EA_ERR_ARG;

    len = (double)n;
    p_hat = (double)mode / len;
    p_u = fmin(1.0, p_hat + EA_ZALPHA * sqrt(p_hat * (1.0 - p_hat) / (len - 1.0)));

    r->mode = (long)mode;
    r->p_hat = p_hat;
    r->p_u = p_u;
    r->h = -log2(p_u) + 0.0;   /* p_u = 1: +0, not the -0 of -log2(1) */
    return EA_OK;
}
