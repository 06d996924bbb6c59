/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collision.c - Collision estimate, SP 800-90B §6.3.2 (binary data).
 *
 * Steps, on a 0/1 sequence s_1..s_L:
 *   1-3. Walk the sequence from the start. At position i a collision of
 *        length t = 2 occurs when s_i = s_{i+1}; otherwise (binary data)
 *        s_{i+2} equals one of them and t = 3. Record t, move to i + t.
 *        v is the number of collisions, sum_t the sum of the t's, which is
 *        the index reached.
 *   4.   X_bar = sum_t / v;
 *        sigma_hat = sqrt((sum t^2 - sum_t X_bar) / (v - 1)).
 *   5.   X_bar' = X_bar - Z_α sigma_hat / sqrt(v)   (Z_α = EA_ZALPHA).
 *   6-7. Solve for p in [0.5, 1] the expected-value equation of step 7.
 *   8.   H = -log2(p), or 1 when no p is found.
 *
 * Where we follow NIST's tool (1.1.7) rather than the text:
 *   - Step 7 is not searched numerically. With the closed form of the
 *     Appendix G.1.1 F function the equation reduces to
 *     X_bar' = -2p^2 + 2p + 2, whose root above 1/2 is
 *     p = 1/2 + sqrt(5/4 - X_bar'/2). The tool uses this, so do we.
 *   - X_bar' is first raised to 2 when below it (2 is the least possible
 *     collision time), so p never exceeds 1.
 *   - For X_bar' >= 2.5 the quadratic has no root in [0.5, 1]; the step-8
 *     fallback applies: p = 0.5, H = 1 (found_p = 0).
 *   - The walk stops when fewer than three samples remain and the next
 *     two differ (the t = 3 case cannot be completed); a final equal pair
 *     still counts as a collision. sum t^2 is an exact integer.
 *
 * The walk itself is table driven: the "s_i = s_{i+1}" flags are packed
 * eight to a byte, and a small table gives, for each flag byte and each
 * entry offset 0..2, how many collisions (and how many of length 3) end
 * inside it and where the walk leaves it. The counts are integers, so the
 * result is that of the position-by-position walk.
 */
#include <math.h>
#include <string.h>

#include "bits.h"
#include "ea90b.h"
#include "numeric.h"

/* Entry: bits 0-2 collisions, bits 3-4 collisions of length 3, bits 5-6 exit offset. */
static void build_walk_table(uint8_t tab[3][256])
{
    for (unsigned off = 0; off < 3; off++) {
        for (unsigned e = 0; e < 256; e++) {
            unsigned pos = off, cnt = 0, threes = 0;
            while (pos < 8) {
                unsigned t = ((e >> pos) & 1u) ? 2u : 3u;
                cnt++;
                threes += (t == 3u);
                pos += t;
            }
            tab[off][e] = (uint8_t)(cnt | (threes << 3) | ((pos - 8u) << 5));
        }
    }
}

/* Flags s[p+j] == s[p+j+1] for j = 0..7 as bits 0..7 (needs p + 9 <= n). */
static unsigned equal_flags(const uint8_t *s, size_t p)
{
    const uint64_t low = 0x0101010101010101ull;
    uint64_t a, b, eq;

    memcpy(&a, s + p, sizeof a);
    memcpy(&b, s + p + 1, sizeof b);
    eq = ~(a ^ b) & low;
    /* gather byte j's low bit into bit 56 + j (no two products overlap) */
    return (unsigned)((eq * 0x0102040810204080ull) >> 56);
}

/* Little-endian byte order is assumed by equal_flags(); check it once. */
static int little_endian(void)
{
    const uint16_t one = 1;
    uint8_t b;

    memcpy(&b, &one, 1);
    return b == 1;
}

/* Steps 1-3: collision count, sum of t and sum of t^2. */
static void walk(const uint8_t *s, size_t n, long *v_out, long *sum_t, long *sum_t2)
{
    uint8_t tab[3][256];
    size_t i = 0, v = 0, threes = 0;

    /* Whole flag bytes: every position inside has i + 2 < n. */
    if (little_endian() && n >= 11) {
        size_t blk = 0, off = 0;
        build_walk_table(tab);
        for (; blk + 10 <= n; blk += 8) {
            unsigned e = tab[off][equal_flags(s, blk)];
            v += e & 7u;
            threes += (e >> 3) & 3u;
            off = e >> 5;
        }
        i = blk + off;
    }
    /* The rest position by position. */
    while (i + 2 < n) {
        size_t t = (s[i] == s[i + 1]) ? 2u : 3u;
        v++;
        threes += (t == 3u);
        i += t;
    }
    if (i + 1 < n && s[i] == s[i + 1]) {
        v++;
        i += 2;
    }
    *v_out = (long)v;
    *sum_t = (long)i;
    *sum_t2 = (long)(4u * v + 5u * threes);
}

ea_status ea_collision(const uint8_t *s, size_t n, ea_collision_result *r)
{
    long v, sum_t, sum_t2;
    double x_bar, sigma, xp, p;

    if (r == NULL || (s == NULL && n > 0))
        return EA_ERR_ARG;
    memset(r, 0, sizeof *r);
    if (!ea_is_binary(s, n))
        return EA_ERR_ARG;
    walk(s, n, &v, &sum_t, &sum_t2);
    r->v = v;
    r->sum_t = sum_t;
    if (v < 2)
        return EA_ERR_TOO_SHORT;   /* sigma_hat needs v - 1 > 0 */

    /* Step 4, in the tool's order: sum t^2 - sum_t * X_bar. */
    x_bar = (double)sum_t / (double)v;
    sigma = sqrt(((double)sum_t2 - (double)sum_t * x_bar) / (double)(v - 1));
    if (isnan(sigma))
        return EA_ERR_NUMERIC;
    r->x_bar = x_bar;
    r->sigma_hat = sigma;

    /* Step 5, floored at 2. */
    xp = x_bar - EA_ZALPHA * sigma / sqrt((double)v);
    if (xp < 2.0)
        xp = 2.0;
    r->x_bar_prime = xp;

    /* Steps 6-8 via the closed-form root. */
    if (xp < 2.5) {
        p = 0.5 + sqrt(1.25 - 0.5 * xp);
        r->found_p = 1;
        r->h = -log2(p) + 0.0;   /* p = 1: +0, not -0 */
    } else {
        p = 0.5;
        r->found_p = 0;
        r->h = 1.0;
    }
    r->p = p;
    return EA_OK;
}
