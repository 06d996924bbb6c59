/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bits.h - internal: bit and byte tools shared by the estimators. Not
 * part of the public interface.
 *
 *   - Operations on 64-bit words (bit count, lowest / highest set bit,
 *     runs of one bits), used by the block-wise paths of the Lag,
 *     MultiMCW and MultiMMC predictors.
 *   - ea_guesses: C and the runs of correct guesses of the MultiMCW and
 *     Lag predictors (§6.3.7, §6.3.8), fed one guess or a 64-bit mask
 *     of guesses at a time.
 *   - Scans of the samples: packing 0/1 bytes into words, "are all
 *     symbols below k", "are all bytes 0 or 1", and the sum of the byte
 *     lanes of a word (for counting 0/1 bytes eight at a time).
 *
 * Everything is static inline: these run in the estimators' inner loops.
 */
#ifndef EA_BITS_H
#define EA_BITS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ------------------------------------------------------ 64-bit words */

/* Bit count. Without a popcount instruction in the baseline ISA (plain
 * x86-64) the compiler's builtin becomes a library call, slower than
 * this inline SWAR sum. */
static inline int ea_pop64(uint64_t x)
{
#if defined(__POPCNT__) && (defined(__GNUC__) || defined(__clang__))
    return __builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555u);
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return (int)((x * 0x0101010101010101u) >> 56);
#endif
}

/* Index of the lowest set bit of x != 0 (the number of trailing zeros). */
static inline int ea_lowest_bit(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctzll(x);
#else
    int n = 0;
    while (!(x & 1u)) {
        x >>= 1;
        n++;
    }
    return n;
#endif
}

/* Number of leading zero bits of x != 0. */
static inline int ea_leading_zeros(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_clzll(x);
#else
    int n = 0;
    while (!(x & (UINT64_C(1) << 63))) {
        x <<= 1;
        n++;
    }
    return n;
#endif
}

/* Number of trailing one bits of x (64 when x is all ones). */
static inline int ea_trailing_ones(uint64_t x)
{
    return ~x == 0 ? 64 : ea_lowest_bit(~x);
}

/* Number of leading one bits of x (64 when x is all ones). */
static inline int ea_leading_ones(uint64_t x)
{
    uint64_t z = ~x;

    if (z == 0)
        return 64;
    return ea_leading_zeros(z);
}

/* Length of the longest run of one bits in x. */
static inline int ea_longest_ones(uint64_t x)
{
    int len = 0;

    while (x != 0) {
        x &= x >> 1;
        len++;
    }
    return len;
}

/* The low len bits, 0 <= len <= 64. */
static inline uint64_t ea_low_mask(int len)
{
    return len >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << len) - 1u;
}

/* ---------------------------------------------------- correct guesses */

/* A predictor's correct guesses: C and the runs (a wrong guess ends a run). */
typedef struct {
    long correct;   /* C */
    long run;       /* current run of correct guesses */
    long max_run;   /* longest run of correct guesses */
} ea_guesses;

/* One guess; hit is 0 or 1. */
static inline void ea_guesses_add_one(ea_guesses *g, int hit)
{
    if (hit) {
        g->correct++;
        if (++g->run > g->max_run)
            g->max_run = g->run;
    } else {
        g->run = 0;
    }
}

/*
 * Account for `len` (1..64) consecutive guesses whose outcomes are the
 * low bits of `hits` (bit t = guess t was correct).
 */
static inline void ea_guesses_add(ea_guesses *g, uint64_t hits, int len)
{
    uint64_t valid = ea_low_mask(len);
    int head;

    hits &= valid;
    g->correct += ea_pop64(hits);
    if (hits == valid) {
        g->run += len;
        if (g->run > g->max_run)
            g->max_run = g->run;
        return;
    }
    head = ea_trailing_ones(hits);
    if (g->run + head > g->max_run)
        g->max_run = g->run + head;
    if (g->max_run < len) {
        int inner = ea_longest_ones(hits);
        if (inner > g->max_run)
            g->max_run = inner;
    }
    g->run = ea_leading_ones(hits << (64 - len));
}

/* ------------------------------------------------------------ samples */

/*
 * Pack n one-bit-per-byte samples (each 0 or 1) into the 64-bit words of
 * P: bit i of the string is bit i % 64 of word i / 64. P has
 * (n + 63) / 64 + extra words; the bits past the samples are set to 0.
 */
static inline void ea_pack_bits(const uint8_t *s, size_t n, uint64_t *P, size_t extra)
{
    size_t nw = (n + 63) / 64 + extra, i = 0;

    memset(P, 0, nw * sizeof(*P));
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(v, 7));
        P[i / 64] |= (uint64_t)bits << (i % 64);
    }
#endif
    for (; i < n; i++)
        P[i / 64] |= (uint64_t)(s[i] & 1u) << (i % 64);
}

/* Do all n samples lie below k? */
static inline int ea_symbols_below(const uint8_t *s, size_t n, int k)
{
    unsigned top = 0;
    size_t i = 0;

#if defined(__SSE2__)
    __m128i m = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16)
        m = _mm_max_epu8(m, _mm_loadu_si128((const __m128i *)(const void *)(s + i)));
    m = _mm_max_epu8(m, _mm_srli_si128(m, 8));
    m = _mm_max_epu8(m, _mm_srli_si128(m, 4));
    m = _mm_max_epu8(m, _mm_srli_si128(m, 2));
    m = _mm_max_epu8(m, _mm_srli_si128(m, 1));
    top = (unsigned)_mm_cvtsi128_si32(m) & 0xffu;
#endif
    for (; i < n; i++)
        top = s[i] > top ? s[i] : top;
    return (int)top < k;
}

/* Are all n bytes 0 or 1? */
static inline int ea_is_binary(const uint8_t *s, size_t n)
{
    uint64_t seen = 0;
    unsigned tail = 0;
    size_t i = 0;

    for (; n - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, sizeof w);
        seen |= w;
    }
    for (; i < n; i++)
        tail |= s[i];
    return (seen & 0xFEFEFEFEFEFEFEFEull) == 0 && (tail & ~1u) == 0;
}

/* Byte lanes of a word hold at most 255 before they must be folded. */
#define EA_LANE_BATCH 255u

/* Sum of the eight byte lanes of w. */
static inline uint64_t ea_lane_sum(uint64_t w)
{
    const uint64_t m = 0x00FF00FF00FF00FFull;
    uint64_t pairs = (w & m) + ((w >> 8) & m);

    return (pairs * 0x0001000100010001ull) >> 48;
}

#endif
