/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lag.c - Lag Prediction Estimate, SP 800-90B §6.3.8.
 *
 * D = 128 sub-predictors (step 1 fixes D = 128 and N = L - 1); sub-
 * predictor d guesses that the next sample repeats the one d positions
 * back. For i = 2..L (step 3) the guess of the current winner is
 * checked (3b, 3c), then every lag d < i that would have been right
 * gains a point, and a lag whose score becomes >= the winner's score
 * becomes the winner (3d; the winner starts as lag 1, step 2). C is the
 * number of correct guesses (step 4); ea_predictor_finish() does steps
 * 5-7 from C, N and the longest run of correct guesses.
 *
 * Below, the winner is also called the leader.
 *
 * NIST's tool (lag_test.h, version 1.1.7) follows these steps; where its
 * code fixes what the text leaves implicit, we do the same, because C, N
 * and r must be identical:
 *
 *   - Lags are scored in increasing order, each compared with the best
 *     score so far (always the winner's score). So among lags reaching
 *     the best score in one step the largest wins, and a lag that only
 *     ties the winner in a later step takes over from it.
 *   - Fewer than three samples: the tool asserts; we return
 *     EA_ERR_TOO_SHORT.
 *   - The tool prints r = longest run + 1 (the text's r); we pass the run
 *     itself to ea_predictor_finish(), which adds the one.
 *
 * Speed. Scoring every lag at every sample costs 128 updates per sample
 * (10^9 for an 8-million-bit string). We handle 64 samples at a time
 * instead. For each lag a 64-bit mask marks the samples of the block it
 * predicts correctly: for byte data from SSE2 byte comparisons, for
 * binary data from the bit-packed string with one shift, XOR and NOT
 * (two lags per SSE2 vector). All lags get their hit counts added at
 * once. A lag whose new score stays below the best score of the block
 * start can never reach the best score inside the block, so it cannot
 * become the winner. The remaining "contenders" (the winner is always
 * one) are replayed sample by sample, and only at samples where one of
 * them hits. Contenders with identical masks (common in periodic or
 * stuck data, where dozens of lags tie) collapse to the one that could
 * win. Usually the winner is the only contender left, and the block
 * then costs a few vector operations per lag. The number of correct
 * guesses and the runs of the block come from its 64-bit mask of correct
 * guesses. The result is identical to scoring every lag at every sample.
 * Without SSE2 the same steps run in plain C.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bits.h"
#include "ea90b.h"

/* §6.3.8 step 1: the number of lags D. */
#define LAG_D 128
/* Samples handled together; one bit each in a uint64_t mask. */
#define LAG_BLOCK 64

/*
 * Scores and hit masks are stored in "slots": lags r and 64 + r
 * (r = 1..64) sit side by side in slots 2(r-1) and 2(r-1)+1, so that one
 * 128-bit vector holds two lags whose masks need the same shift.
 */
typedef struct {
    int64_t score[LAG_D];  /* score[slot]: points of that lag's sub-predictor */
    int64_t high;          /* best score so far; always the leader's score */
    int lead;              /* slot of the winner, whose guess comes next */
    ea_guesses guesses;    /* C and the runs of correct guesses */
} lag_state;

static inline int slot_of(int d)
{
    int q = (d - 1) / 64;

    return 2 * (d - 64 * q - 1) + q;
}

static inline int lag_of(int slot)
{
    return (slot & 1) * 64 + slot / 2 + 1;
}

/*
 * Account for `len` consecutive guesses whose outcomes are the low bits
 * of `hits` (bit t = guess t was correct). Kept out of line: inlined
 * into run_block() it makes the byte path about 5% slower.
 */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void add_guesses(lag_state *st, uint64_t hits, int len)
{
    ea_guesses_add(&st->guesses, hits, len);
}

/* ----------------------------------------------------- one-by-one path */

/* Score sample i against every lag 1..min(i, D), in increasing lag order. */
static void score_sample(lag_state *st, const uint8_t *s, size_t i)
{
    int dmax = i < LAG_D ? (int)i : LAG_D;

    for (int d = 1; d <= dmax; d++) {
        if (s[i - (size_t)d] == s[i]) {
            int slot = slot_of(d);
            int64_t v = ++st->score[slot];
            if (v >= st->high) {
                st->high = v;
                st->lead = slot;
            }
        }
    }
}

/* Guess and score samples from..to-1 one at a time. */
static void run_samples(lag_state *st, const uint8_t *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        int hit = s[i] == s[i - (size_t)lag_of(st->lead)];
        add_guesses(st, (uint64_t)hit, 1);
        score_sample(st, s, i);
    }
}

/* ------------------------------------------------------- block path */

#if defined(__SSE2__)
/* Bit counts of the two 64-bit lanes of v, as 64-bit lanes. */
static inline __m128i pop_pair(__m128i v)
{
    const __m128i m1 = _mm_set1_epi8(0x55), m2 = _mm_set1_epi8(0x33);
    const __m128i m4 = _mm_set1_epi8(0x0f);

    v = _mm_sub_epi64(v, _mm_and_si128(_mm_srli_epi64(v, 1), m1));
    v = _mm_add_epi64(_mm_and_si128(v, m2), _mm_and_si128(_mm_srli_epi64(v, 2), m2));
    v = _mm_and_si128(_mm_add_epi64(v, _mm_srli_epi64(v, 4)), m4);
    return _mm_sad_epu8(v, _mm_setzero_si128());
}
#endif

/*
 * Add every lag's hits in the block to its score. Returns the contenders
 * (lags whose new score reaches the best score at the block start; the
 * leader is always one) as two bit sets: bit r-1 of *lo is lag r, bit
 * r-1 of *hi is lag 64 + r.
 */
static void tally(lag_state *st, const uint64_t *hit, uint64_t *lo, uint64_t *hi)
{
    uint64_t below_lo = 0, below_hi = 0;

#if defined(__SSE2__)
    const __m128i h0 = _mm_set1_epi64x(st->high);
    for (int p = 0; p < LAG_D / 2; p++) {
        __m128i *sp = (__m128i *)(void *)(st->score + 2 * p);
        __m128i sc = _mm_add_epi64(_mm_loadu_si128(sp),
                                   pop_pair(_mm_loadu_si128((const __m128i *)(const void *)(hit + 2 * p))));
        /* sign bit set: new score still below the best score */
        unsigned neg = (unsigned)_mm_movemask_pd(_mm_castsi128_pd(_mm_sub_epi64(sc, h0)));
        _mm_storeu_si128(sp, sc);
        below_lo |= (uint64_t)(neg & 1u) << p;
        below_hi |= (uint64_t)(neg >> 1) << p;
    }
#else
    for (int p = 0; p < LAG_D / 2; p++) {
        st->score[2 * p] += ea_pop64(hit[2 * p]);
        st->score[2 * p + 1] += ea_pop64(hit[2 * p + 1]);
        below_lo |= (uint64_t)(st->score[2 * p] < st->high) << p;
        below_hi |= (uint64_t)(st->score[2 * p + 1] < st->high) << p;
    }
#endif
    *lo = ~below_lo;
    *hi = ~below_hi;
}

/*
 * Replay the block sample by sample for the contenders only (listed in
 * increasing lag order), at the samples where at least one of them hits:
 * elsewhere the leader misses and no contender's score moves. Returns
 * the mask of correct guesses.
 */
static uint64_t replay(lag_state *st, const uint64_t *hit, const int *cont, int nc)
{
    uint64_t any = 0, guessed = 0;

    for (int c = 0; c < nc; c++) {
        any |= hit[cont[c]];
        st->score[cont[c]] -= ea_pop64(hit[cont[c]]);  /* undo tally() */
    }
    while (any != 0) {
        int t = ea_lowest_bit(any);
        any &= any - 1u;
        guessed |= hit[st->lead] & (UINT64_C(1) << t);
        /* Written without branches: hits here are as good as random. */
        for (int c = 0; c < nc; c++) {
            int slot = cont[c];
            int64_t h = (int64_t)((hit[slot] >> t) & 1u);
            int64_t v = st->score[slot] + h;
            int take = (h != 0) & (v >= st->high);
            st->score[slot] = v;
            st->high = take ? v : st->high;
            st->lead = take ? slot : st->lead;
        }
    }
    return guessed;
}

/*
 * Thin out the contender list (increasing lag order, kept so). A lag
 * that never hits in the block cannot become the winner. Lags with the
 * same hit mask move in step, so only the one with the highest score
 * (on ties the largest lag) can ever become the winner: the others are
 * always beaten by it in the same step. Dropped lags keep the scores
 * tally() gave them. Only the first MERGE_MAX distinct masks are merged,
 * which bounds the work when most masks differ.
 */
#define MERGE_MAX 16

static int merge_contenders(const lag_state *st, const uint64_t *hit, int *cont, int nc)
{
    int out = 0;

    for (int c = 0; c < nc; c++) {
        int slot = cont[c], g = 0;
        if (hit[slot] == 0 && slot != st->lead)
            continue;
        if (out < MERGE_MAX) {
            while (g < out && hit[cont[g]] != hit[slot])
                g++;
        } else {
            g = out;
        }
        if (g == out)
            cont[out++] = slot;
        else if (st->score[slot] >= st->score[cont[g]])
            cont[g] = slot;  /* larger lag, at least the same score */
    }
    /* restore increasing lag order (replacements may have broken it) */
    for (int a = 1; a < out; a++) {
        int slot = cont[a], b = a;
        for (; b > 0 && lag_of(cont[b - 1]) > lag_of(slot); b--)
            cont[b] = cont[b - 1];
        cont[b] = slot;
    }
    return out;
}

/*
 * Process one block of `len` samples given, for every lag, the mask of
 * the samples it predicts correctly (hit[slot]).
 */
static void run_block(lag_state *st, const uint64_t *hit, int len)
{
    uint64_t lo, hi, guessed;
    int cont[LAG_D], nc = 0;

    tally(st, hit, &lo, &hi);
    for (; lo != 0; lo &= lo - 1u)
        cont[nc++] = 2 * ea_lowest_bit(lo);
    for (; hi != 0; hi &= hi - 1u)
        cont[nc++] = 2 * ea_lowest_bit(hi) + 1;
    if (nc > 1)
        nc = merge_contenders(st, hit, cont, nc);
    if (nc == 1 && cont[0] == st->lead) {
        /* Nobody can catch up with the leader inside this block. */
        guessed = hit[st->lead];
        st->high = st->score[st->lead];
    } else {
        guessed = replay(st, hit, cont, nc);
    }
    add_guesses(st, guessed, len);
}

/* Hit masks from byte samples: bit t of hit[slot_of(d)] = (s[b+t] == s[b+t-d]). */
static void byte_masks(const uint8_t *s, size_t b, int len, uint64_t *hit)
{
#if defined(__SSE2__)
    if (len == LAG_BLOCK) {
        __m128i cur[4];

        for (int c = 0; c < 4; c++)
            cur[c] = _mm_loadu_si128((const __m128i *)(const void *)(s + b + 16 * c));
        for (int d = 1; d <= LAG_D; d++) {
            const uint8_t *p = s + b - (size_t)d;
            uint64_t m = 0;
            for (int c = 0; c < 4; c++) {
                __m128i old = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * c));
                unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(cur[c], old));
                m |= (uint64_t)bits << (16 * c);
            }
            hit[slot_of(d)] = m;
        }
        return;
    }
#endif
    for (int d = 1; d <= LAG_D; d++) {
        const uint8_t *p = s + b - (size_t)d;
        uint64_t m = 0;
        for (int t = 0; t < len; t++)
            m |= (uint64_t)(s[b + (size_t)t] == p[t]) << t;
        hit[slot_of(d)] = m;
    }
}

/*
 * Hit masks from a packed bit string (bit i of the string is bit i % 64
 * of word i / 64) for the block at word w >= 2: lag d compares the block
 * with the 64 bits starting d bits earlier.
 */
static void bit_masks(const uint64_t *P, size_t w, int len, uint64_t *hit)
{
    uint64_t x = P[w], p1 = P[w - 1], p2 = P[w - 2];
    uint64_t valid = ea_low_mask(len);

#if defined(__SSE2__)
    /* lane 0 builds lag r from (x, p1), lane 1 lag 64 + r from (p1, p2) */
    const __m128i a = _mm_set_epi64x((long long)p1, (long long)x);
    const __m128i bb = _mm_set_epi64x((long long)p2, (long long)p1);
    const __m128i xx = _mm_set1_epi64x((long long)x);
    const __m128i vv = _mm_set1_epi64x((long long)valid);
    for (int r = 1; r <= 64; r++) {
        __m128i y = _mm_or_si128(_mm_sll_epi64(a, _mm_cvtsi32_si128(r)),
                                 _mm_srl_epi64(bb, _mm_cvtsi32_si128(64 - r)));
        _mm_storeu_si128((__m128i *)(void *)(hit + 2 * (r - 1)),
                         _mm_andnot_si128(_mm_xor_si128(xx, y), vv));
    }
#else
    for (int r = 1; r < 64; r++) {
        hit[2 * (r - 1)] = ~(x ^ ((x << r) | (p1 >> (64 - r)))) & valid;
        hit[2 * (r - 1) + 1] = ~(x ^ ((p1 << r) | (p2 >> (64 - r)))) & valid;
    }
    hit[126] = ~(x ^ p1) & valid;
    hit[127] = ~(x ^ p2) & valid;
#endif
}

static void run_bytes(lag_state *st, const uint8_t *s, size_t n)
{
    uint64_t hit[LAG_D];

    for (size_t b = LAG_D; b < n; b += LAG_BLOCK) {
        int len = n - b < LAG_BLOCK ? (int)(n - b) : LAG_BLOCK;
        byte_masks(s, b, len, hit);
        run_block(st, hit, len);
    }
}

static ea_status run_bits(lag_state *st, const uint8_t *s, size_t n)
{
    uint64_t hit[LAG_D];
    uint64_t *P = malloc(((n + 63) / 64) * sizeof(*P));

    if (P == NULL)
        return EA_ERR_NOMEM;
    ea_pack_bits(s, n, P, 0);
    for (size_t b = LAG_D; b < n; b += LAG_BLOCK) {
        int len = n - b < LAG_BLOCK ? (int)(n - b) : LAG_BLOCK;
        bit_masks(P, b / 64, len, hit);
        run_block(st, hit, len);
    }
    free(P);
    return EA_OK;
}

ea_status ea_lag(const uint8_t *s, size_t n, int k, ea_predictor_result *r)
{
    lag_state st;
    ea_status rc = EA_OK;

    if (s == NULL || r == NULL || k < 2 || k > 256)
        return EA_ERR_ARG;
    /* The reference requires more than two samples (N >= 2). */
    if (n < 3)
        return EA_ERR_TOO_SHORT;
    if (n > (size_t)LONG_MAX || !ea_symbols_below(s, n, k))
        return EA_ERR_ARG;

    memset(&st, 0, sizeof(st));
    run_samples(&st, s, 1, n < LAG_D ? n : LAG_D);
    if (n > LAG_D) {
        if (k == 2)
            rc = run_bits(&st, s, n);
        else
            run_bytes(&st, s, n);
    }
    if (rc != EA_OK)
        return rc;
    return ea_predictor_finish(st.guesses.correct, (long)(n - 1), st.guesses.max_run, k, r);
}
