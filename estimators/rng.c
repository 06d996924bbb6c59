/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rng.c - the pseudo-random generator behind SP 800-90B §5.1 permutation
 * testing: xoshiro256** (Blackman and Vigna, the generator NIST's tool
 * uses), seeded by SplitMix64, with Lemire's unbiased bounded integers and
 * a Fisher-Yates shuffle.
 *
 * Why our stream differs from NIST's, and why that is fine: the reference
 * seeds one generator per OpenMP thread from /dev/urandom (plus a jump per
 * thread), so its permutations can never be reproduced. We only need OUR
 * results to be a deterministic function of a seed, whatever the thread
 * count; so permutation i of a run seeded with `seed` shuffles with the
 * generator ea_rng_seed(seed, i) (see permutation.c). Everything below is
 * specified exactly so that anyone can regenerate our permutations.
 *
 * Seeding, ea_rng_seed(seed, stream):
 *   SplitMix64 (Steele, Lea and Flood) with state x: each output adds the
 *   golden-ratio increment G = 0x9E3779B97F4A7C15 to x and returns
 *   mix(x), where mix(z) = z ^= z >> 30; z *= 0xBF58476D1CE4E5B9;
 *   z ^= z >> 27; z *= 0x94D049BB133111EB; z ^= z >> 31.
 *     1. key  = first SplitMix64 output from x = seed       (= mix(seed + G));
 *     2. s[0], s[1], s[2], s[3] = the first four SplitMix64 outputs from
 *        x = key XOR stream   (s[k] = mix((key ^ stream) + (k + 1) G)).
 *   mix is a bijection and the four inputs differ, so the four words are
 *   never all zero (xoshiro's one forbidden state). For stream numbers
 *   below 2^32 the starting points of two streams of one seed differ by
 *   less than 2^32, never by +-G, +-2G or +-3G (mod 2^64), so no stream's
 *   state words are a shifted copy of another's.
 *
 * Bounded integers, ea_rng_range(r, s): uniform in [0, s] by Lemire's
 * multiply-and-reject ("Fast random integer generation in an interval",
 * 2019) on one 64-bit output, x * (s + 1) as a 128-bit product, rejecting
 * the low word below 2^64 mod (s + 1); the same draws as the reference's
 * randomRange64.
 *
 * Shuffle, ea_shuffle(buf, n, r): Fisher-Yates from the top, for i = n-1
 * down to 1 swap buf[i] with buf[j], j uniform in [0, i], as the
 * reference's FYshuffle (which permutes two arrays in step; we permute the
 * raw samples only and map them to symbols afterwards). Deliberate
 * difference, for speed (a 1e6-byte shuffle is ~1.5 ms instead of ~2.6):
 * while i < 2^32 - 1, j is drawn by the same Lemire method in 32 bits,
 * from a stream of 32-bit words made of each 64-bit output's LOW half
 * followed by its HIGH half:
 *     u = next word; m = u * (i + 1) (64-bit); if (m mod 2^32) < (i + 1)
 *     and (m mod 2^32) < 2^32 mod (i + 1), draw again; j = m >> 32.
 * A word left over at the end of the shuffle is dropped. Positions
 * i >= 2^32 - 1 (only for n > 2^32 - 1) use ea_rng_range(r, i) instead,
 * and the 32-bit stream starts after them. This is exactly unbiased.
 */
#include <stdint.h>

#include "ea90b.h"

__extension__ typedef unsigned __int128 u128;

/* SplitMix64's golden-ratio increment and mixing multipliers. */
#define SM_GAMMA 0x9E3779B97F4A7C15u
#define SM_MUL1 0xBF58476D1CE4E5B9u
#define SM_MUL2 0x94D049BB133111EBu

/* Positions from here up use the 64-bit bounded draw in ea_shuffle. */
#define SHUFFLE_32BIT_LIMIT 0xFFFFFFFFu

static uint64_t splitmix64_next(uint64_t *x)
{
    uint64_t z = (*x += SM_GAMMA);

    z = (z ^ (z >> 30)) * SM_MUL1;
    z = (z ^ (z >> 27)) * SM_MUL2;
    return z ^ (z >> 31);
}

static inline uint64_t rotl64(uint64_t v, int k)
{
    return (v << k) | (v >> (64 - k));
}

/* One xoshiro256** step on a state held in four locals. */
#define XOSHIRO_STEP(out, s0, s1, s2, s3)        \
    do {                                         \
        uint64_t t_ = (s1) << 17;                \
        (out) = rotl64((s1) * 5u, 7) * 9u;       \
        (s2) ^= (s0);                            \
        (s3) ^= (s1);                            \
        (s1) ^= (s2);                            \
        (s0) ^= (s3);                            \
        (s2) ^= t_;                              \
        (s3) = rotl64((s3), 45);                 \
    } while (0)

void ea_rng_seed(ea_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed;
    uint64_t key = splitmix64_next(&x);

    x = key ^ stream;
    for (int k = 0; k < 4; k++)
        r->s[k] = splitmix64_next(&x);
}

uint64_t ea_rng_next(ea_rng *r)
{
    uint64_t out;

    XOSHIRO_STEP(out, r->s[0], r->s[1], r->s[2], r->s[3]);
    return out;
}

uint64_t ea_rng_range(ea_rng *r, uint64_t s)
{
    uint64_t x = ea_rng_next(r), bound, low;
    u128 m;

    if (s == UINT64_MAX)
        return x;
    bound = s + 1u;
    m = (u128)x * bound;
    low = (uint64_t)m;
    if (low < bound) {
        uint64_t reject_below = (0u - bound) % bound;   /* 2^64 mod bound */
        while (low < reject_below) {
            m = (u128)ea_rng_next(r) * bound;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/*
 * The 32-bit part of the shuffle: positions top..1, all below 2^32 - 1.
 * The state lives in locals so the loop keeps it in registers.
 */
static void shuffle32(uint8_t *buf, uint32_t top, ea_rng *r)
{
    uint64_t s0 = r->s[0], s1 = r->s[1], s2 = r->s[2], s3 = r->s[3];
    uint64_t word = 0;
    int have_high = 0;

    for (uint32_t i = top; i > 0; i--) {
        uint32_t bound = i + 1u, u, low;
        uint64_t m;
        uint8_t tmp;

        for (;;) {
            if (have_high) {
                u = (uint32_t)(word >> 32);
                have_high = 0;
            } else {
                XOSHIRO_STEP(word, s0, s1, s2, s3);
                u = (uint32_t)word;
                have_high = 1;
            }
            m = (uint64_t)u * bound;
            low = (uint32_t)m;
            /* Reject only below 2^32 mod bound; the division runs with
             * probability < bound / 2^32. */
            if (low >= bound || low >= (0u - bound) % bound)
                break;
        }
        tmp = buf[i];
        buf[i] = buf[m >> 32];
        buf[m >> 32] = tmp;
    }
    r->s[0] = s0;
    r->s[1] = s1;
    r->s[2] = s2;
    r->s[3] = s3;
}

void ea_shuffle(uint8_t *buf, size_t n, ea_rng *r)
{
    size_t i;

    if (n < 2)
        return;
    /* Positions too large for the 32-bit draw (n > 2^32 - 1 only). */
    for (i = n - 1; i >= (size_t)SHUFFLE_32BIT_LIMIT; i--) {
        size_t j = (size_t)ea_rng_range(r, (uint64_t)i);
        uint8_t tmp = buf[i];
        buf[i] = buf[j];
        buf[j] = tmp;
    }
    shuffle32(buf, (uint32_t)i, r);
}
