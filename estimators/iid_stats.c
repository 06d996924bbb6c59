/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iid_stats.c - the permutation-test statistics of SP 800-90B §5.1
 * (§5.1.1 - §5.1.10; §5.1.11 compression lives in its own file), for
 * one ordering of a dataset's samples.
 *
 * The numbers are those of NIST's tool (ea_iid 1.1.7, run_tests() and
 * the functions it calls), bit for bit. Where its code, not the text,
 * decides a number, we follow the code:
 *
 *   - Binary forms. The tool uses Conversion I / II whenever the alphabet
 *     has exactly two symbols (after mapping, 0 and 1), whatever the
 *     sample width: 8-bit data holding only 0x10 and 0x80 is converted
 *     too. Conversion I (§5.1) feeds directional runs, increases and
 *     decreases, periodicity and covariance; Conversion II the collision
 *     statistics; the median runs use the 0/1 symbols with median 0.5
 *     (§5.1.5). An incomplete last block of 8 bits is converted as if
 *     padded with zeros.
 *   - Raw versus mapped values. §5.1.1 excursion (and its mean) and, for
 *     non-binary data, §5.1.10 covariance use the samples as read; every
 *     other statistic uses the symbols mapped down to 0..k-1. Binary
 *     excursion thus sums 16 and 128 for 0x10 and 0x80; binary covariance
 *     multiplies the Conversion I counts of the 0/1 symbols.
 *   - §5.1.1: the tool's build contracts S_i - i*mean into one fused
 *     multiply-add, so |S_i - i*mean| is rounded once; we call fma() for
 *     the terms that can be the maximum.
 *   - §5.1.2 - 5.1.6: +1 where s_i <= s_{i+1} (directional) or
 *     s_i >= median, -1 otherwise. With fewer than two values the
 *     directional sequence is empty: 0 runs, longest run 1, 0 increases.
 *   - §5.1.7 - 5.1.8: a last window without a repeat is dropped; the
 *     average is a double quotient of two ints, 0/0 (a NaN) when no
 *     window completes.
 *   - §5.1.9 - 5.1.10: integer counts and sums (covariance: a 64-bit
 *     unsigned sum of products). A lag not shorter than the data gives 0;
 *     there the tool asserts (periodicity) or reads out of bounds
 *     (covariance).
 *
 * A permutation arrives as a reordering of ds->raw. The tool shuffles
 * raw samples and mapped symbols in tandem; the mapping raw -> symbol
 * is a function of the value, and the dataset loader's mapping keeps
 * the order of values, so order and equality of raw values are those of
 * their symbols. We therefore read the raw bytes directly, with the
 * median threshold and the binary 0/1 split translated into raw values.
 * Should a dataset's mapping not keep the order, the symbols are looked
 * up into scratch memory first.
 *
 * Speed (all scratch lives in the context; nothing is allocated per
 * call; each group of statistics reads the data once and costs nothing
 * when not asked for):
 *   - runs: SSE2 byte comparisons give 64-bit masks of the +1/-1 values;
 *     the number of runs is a popcount of the changes, the longest run
 *     the longest gap between changes, searched bit by bit only in a
 *     word that has a gap longer than the longest so far;
 *   - periodicity and covariance: SSE2 byte compares and 16-bit
 *     multiply-adds in integer lanes, all five lags in one pass (one or
 *     two lags alone: one pass each);
 *   - excursion: sums of groups of 64 and blocks of 8 samples bound
 *     |S_i - i*mean|; only blocks that can hold the maximum are evaluated
 *     term by term;
 *   - collisions: one pass without data-dependent branches over the last
 *     position of each value;
 *   - binary data: the 0/1 symbols become 64-bit words, and both
 *     conversions come from each word with a few shifts and masks.
 * Without SSE2 the same steps run in plain C.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ea90b.h"
#include "iid_internal.h"

/* Samples per group and per block of the excursion bounds. */
#define EXC_GROUP 64
#define EXC_BLOCK 8
/* §5.1.9 / §5.1.10 lags, in ea_iid_stat_id order. */
#define NLAGS 5
static const unsigned lag_of[NLAGS] = {1, 2, 8, 16, 32};

#define BIT(id) (UINT32_C(1) << (id))
#define DIRECTIONAL_BITS (BIT(EA_IID_NUM_DIR_RUNS) | BIT(EA_IID_LEN_DIR_RUNS) | \
                          BIT(EA_IID_NUM_INC_DEC))
#define MEDIAN_BITS (BIT(EA_IID_NUM_RUNS_MEDIAN) | BIT(EA_IID_LEN_RUNS_MEDIAN))
#define COLLISION_BITS (BIT(EA_IID_AVG_COLLISION) | BIT(EA_IID_MAX_COLLISION))
#define PERIODICITY_SHIFT EA_IID_PERIODICITY_1
#define COVARIANCE_SHIFT EA_IID_COVARIANCE_1
#define LAG_SET ((UINT32_C(1) << NLAGS) - 1u)

struct ea_iid_stats_ctx {
    const ea_dataset *ds;
    int libbz2;              /* compression via libbz2 (ea_iid_stats_use_libbz2) */
    size_t n;                /* samples */
    size_t m;                /* binary: bytes after Conversion I/II, ceil(n/8) */
    double mean;             /* raw mean (§5.1.1) */
    int binary;              /* exactly two symbols: the binary forms */
    int direct;              /* raw values order like their symbols */
    unsigned thr;            /* value >= thr: symbol >= median (binary: symbol 1) */
    uint8_t sym[256];        /* raw value -> mapped symbol */
    uint8_t *view;           /* symbols of the ordering (when !direct) */
    uint64_t *gstart;        /* excursion: sum before each group */
    uint32_t *gspread;       /* excursion: sum of |x - mean| per group, roughly */
    uint64_t *bits;          /* binary: the 0/1 symbols, 64 per word */
    uint8_t *conv1;          /* binary: Conversion I */
    uint8_t *conv2;          /* binary: Conversion II */
    uint32_t last[256];      /* collisions: last position (1-based) of each value */
    ea_iid_compressor *comp; /* §5.1.11, made on first use */
};

/* ================================================================ bits */

static inline unsigned pop64(uint64_t x)
{
#if defined(__POPCNT__) && (defined(__GNUC__) || defined(__clang__))
    return (unsigned)__builtin_popcountll(x);
#else
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
    return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
#endif
}

/* Index of the lowest set bit of x != 0. */
static inline unsigned low_bit(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned k = 0;
    while (!(x & 1u)) {
        x >>= 1;
        k++;
    }
    return k;
#endif
}

/* Index of the highest set bit of x != 0. */
static inline unsigned high_bit(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return 63u - (unsigned)__builtin_clzll(x);
#else
    unsigned k = 63;
    while (!(x & (UINT64_C(1) << k)))
        k--;
    return k;
#endif
}

static inline uint64_t low_mask(unsigned nbits)
{
    return nbits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << nbits) - 1u;
}

/* Does x hold g >= 1 consecutive one bits? Doubling shifts: after the
 * loop bit i says bits i..i+have-1 are all ones. */
static int has_ones_run(uint64_t x, unsigned g)
{
    unsigned have = 1;

    while (2 * have <= g) {
        x &= x >> have;
        have *= 2;
    }
    if (have < g)
        x &= x >> (g - have);
    return x != 0;
}

/* Per byte of x: the number of one bits. */
static inline uint64_t byte_popcounts(uint64_t x)
{
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    return (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
}

/* Per byte of x: the bits in reverse order. */
static inline uint64_t byte_reverse_bits(uint64_t x)
{
    x = ((x >> 4) & UINT64_C(0x0f0f0f0f0f0f0f0f)) | ((x & UINT64_C(0x0f0f0f0f0f0f0f0f)) << 4);
    x = ((x >> 2) & UINT64_C(0x3333333333333333)) | ((x & UINT64_C(0x3333333333333333)) << 2);
    return ((x >> 1) & UINT64_C(0x5555555555555555)) | ((x & UINT64_C(0x5555555555555555)) << 1);
}

/* ========================================================= bit masks */
/* Bit i of a mask word describes element i of a block of 64, so the
 * first element is the least significant bit. */

#if defined(__SSE2__)
/* Bits 0..15: s[i] <= s[i + 1]. */
static inline uint64_t ascent16(const uint8_t *s)
{
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + 1));
    __m128i up = _mm_cmpeq_epi8(_mm_subs_epu8(a, b), _mm_setzero_si128());
    return (uint64_t)(unsigned)_mm_movemask_epi8(up);
}

/* Bits 0..15: s[i] >= thr (as the byte in every lane of t). */
static inline uint64_t at_least16(const uint8_t *s, __m128i t)
{
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i ge = _mm_cmpeq_epi8(_mm_subs_epu8(t, a), _mm_setzero_si128());
    return (uint64_t)(unsigned)_mm_movemask_epi8(ge);
}
#endif

/* Bit i: s[i] <= s[i + 1] (the +1 of §5.1.2). Reads s[0..64]. */
static inline uint64_t ascent_word(const uint8_t *s)
{
#if defined(__SSE2__)
    return ascent16(s) | ascent16(s + 16) << 16 | ascent16(s + 32) << 32 |
           ascent16(s + 48) << 48;
#else
    uint64_t w = 0;

    for (unsigned i = 0; i < 64; i++)
        w |= (uint64_t)(s[i] <= s[i + 1]) << i;
    return w;
#endif
}

/* Bit i: s[i] >= thr, for thr <= 255. Reads s[0..63]. */
static inline uint64_t at_least_word(const uint8_t *s, unsigned thr)
{
#if defined(__SSE2__)
    const __m128i t = _mm_set1_epi8((char)(uint8_t)thr);

    return at_least16(s, t) | at_least16(s + 16, t) << 16 | at_least16(s + 32, t) << 32 |
           at_least16(s + 48, t) << 48;
#else
    uint64_t w = 0;

    for (unsigned i = 0; i < 64; i++)
        w |= (uint64_t)(s[i] >= thr) << i;
    return w;
#endif
}

/* ============================================================== runs */
/* Runs of equal values in a sequence of bits fed 64 at a time: the
 * number of runs is one more than the number of changes, the longest
 * run the longest distance between consecutive run starts (or from the
 * last start to the end). */

typedef struct {
    size_t changes;   /* positions whose bit differs from the one before */
    size_t pos;       /* bits fed so far */
    size_t last;      /* start of the current run */
    size_t longest;   /* longest complete run so far */
    uint64_t prev;    /* the last bit fed */
} run_state;

static void run_begin(run_state *r, unsigned first_bit)
{
    r->changes = 0;
    r->pos = 0;
    r->last = 0;
    r->longest = 0;
    r->prev = first_bit & 1u;
}

/* Gaps between the set bits lo < ... < hi of `ch`, when one of them may
 * beat the longest run: that takes a stretch of at least `longest` zeros
 * strictly between lo and hi. Only then are the gaps measured one by one. */
static void run_inner_gaps(run_state *r, uint64_t ch, unsigned lo, unsigned hi)
{
    uint64_t inner = ~ch & low_mask(hi) & ~low_mask(lo + 1);
    unsigned p = lo;

    if (!has_ones_run(inner, (unsigned)r->longest))
        return;
    ch &= ch - 1;
    while (ch != 0) {
        unsigned q = low_bit(ch);
        if (q - p > r->longest)
            r->longest = q - p;
        p = q;
        ch &= ch - 1;
    }
}

/* Feed bits 0..nbits-1 of w (1 <= nbits <= 64). */
static inline void run_feed(run_state *r, uint64_t w, unsigned nbits)
{
    uint64_t keep = low_mask(nbits);
    uint64_t ch;

    w &= keep;
    ch = (w ^ ((w << 1) | r->prev)) & keep;
    r->prev = (w >> (nbits - 1)) & 1u;
    if (ch != 0) {
        unsigned lo = low_bit(ch), hi = high_bit(ch);
        size_t first = r->pos + lo;

        r->changes += pop64(ch);
        if (first - r->last > r->longest)
            r->longest = first - r->last;
        if (hi - lo > r->longest)
            run_inner_gaps(r, ch, lo, hi);
        r->last = r->pos + hi;
    }
    r->pos += nbits;
}

/* The tool's conventions for an empty sequence: 0 runs, longest 1. */
static void run_end(const run_state *r, long double *runs, long double *longest)
{
    size_t tail = r->pos - r->last;
    size_t best = tail > r->longest ? tail : r->longest;

    if (r->pos == 0) {
        *runs = 0;
        *longest = 1;
        return;
    }
    *runs = (long double)(r->changes + 1);
    *longest = (long double)best;
}

/* ========================================================= excursion */

/* |S - i*mean| with one rounding, as the tool's contracted expression. */
static inline double excursion_term(uint64_t sum, size_t i, double mean)
{
    return fabs(fma(-(double)i, mean, (double)sum));
}

/* Sum of a group, and its sum of |x - centre|. */
static uint64_t group_sums(const uint8_t *x, uint8_t centre, uint32_t *spread)
{
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128(), mid = _mm_set1_epi8((char)centre);
    __m128i sum = zero, dev = zero;
    uint64_t lane[2];

    for (unsigned j = 0; j < EXC_GROUP; j += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(x + j));
        sum = _mm_add_epi64(sum, _mm_sad_epu8(v, zero));
        dev = _mm_add_epi64(dev, _mm_sad_epu8(v, mid));
    }
    _mm_storeu_si128((__m128i *)(void *)lane, dev);
    *spread = (uint32_t)(lane[0] + lane[1]);
    _mm_storeu_si128((__m128i *)(void *)lane, sum);
    return lane[0] + lane[1];
#else
    uint64_t s = 0;
    uint32_t d = 0;

    for (unsigned j = 0; j < EXC_GROUP; j++) {
        s += x[j];
        d += x[j] > centre ? (uint32_t)(x[j] - centre) : (uint32_t)(centre - x[j]);
    }
    *spread = d;
    return s;
#endif
}

/* What the excursion bounds need. */
typedef struct {
    double mean;
    uint8_t centre;    /* the integer nearest the mean */
    double off_block;  /* EXC_BLOCK * |centre - mean| */
    double cut;        /* lower bound on the maximum, less the margin */
} exc_bounds;

/* Largest term of samples [from, from+len), given the sum before them. */
static double excursion_scan(const uint8_t *x, size_t from, size_t len, uint64_t sum,
                             double mean, double best)
{
    for (size_t i = from; i < from + len; i++) {
        double d;

        sum += x[i];
        d = excursion_term(sum, i + 1, mean);
        if (d > best)
            best = d;
    }
    return best;
}

/* Bound on |E_i| inside a stretch: the smaller |E| at its two ends plus
 * how far the samples stray from the mean within it (see below). */
static inline double stretch_bound(double e_before, double e_after, uint32_t spread,
                                   double off)
{
    return (e_before < e_after ? e_before : e_after) + (double)spread + off;
}

/* A group that may hold the maximum: the same bound per block of
 * EXC_BLOCK samples; blocks that pass it are evaluated exactly. */
static double excursion_group(const uint8_t *x, size_t a, uint64_t sum, const exc_bounds *eb,
                              double best)
{
    double prev = fabs((double)sum - (double)a * eb->mean);

    for (size_t b = a; b < a + EXC_GROUP; b += EXC_BLOCK) {
        uint64_t s = 0;
        uint32_t spread = 0;
        double e, bound;

        for (size_t j = b; j < b + EXC_BLOCK; j++) {
            s += x[j];
            spread += x[j] > eb->centre ? (uint32_t)(x[j] - eb->centre)
                                        : (uint32_t)(eb->centre - x[j]);
        }
        e = fabs((double)(sum + s) - (double)(b + EXC_BLOCK) * eb->mean);
        bound = stretch_bound(prev, e, spread, eb->off_block);
        if (bound > eb->cut && bound > best - 1.0)
            best = excursion_scan(x, b, EXC_BLOCK, sum, eb->mean, best);
        sum += s;
        prev = e;
    }
    return best;
}

/*
 * §5.1.1. Write E_i = S_i - (i+1)*mean. Inside a stretch [a, b),
 * E_i = E_{a-1} + sum_{j=a..i} (x_j - mean), so |E_i| is at most
 * min(|E_{a-1}|, |E_{b-1}|) + sum over the stretch of |x_j - mean|, and
 * that sum is at most sum |x_j - c| + (b-a)*|c - mean| for the integer c
 * nearest the mean (an SSE2 sum of absolute differences). The |E| at
 * group ends bound the maximum from below. Both are computed in plain
 * arithmetic, off by far less than the margin of 1; a stretch whose
 * bound stays under the lower bound cannot hold the maximum and is
 * skipped: first per group of 64 samples, then per block of 8. The
 * blocks left are evaluated exactly.
 */
static double excursion_stat(ea_iid_stats_ctx *c, const uint8_t *x)
{
    size_t groups = c->n / EXC_GROUP, g;
    uint64_t *start = c->gstart, sum = 0;
    uint32_t *spread = c->gspread;
    double lower = 0.0, best = 0.0, prev = 0.0;
    exc_bounds eb;

    eb.mean = c->mean;
    if (!isfinite(eb.mean) || eb.mean < 0.0 || eb.mean > 255.0)
        return excursion_scan(x, 0, c->n, 0, eb.mean, 0.0);
    eb.centre = (uint8_t)(eb.mean + 0.5);
    eb.off_block = EXC_BLOCK * fabs((double)eb.centre - eb.mean);
    for (g = 0; g < groups; g++) {
        double e;

        start[g] = sum;
        sum += group_sums(x + g * EXC_GROUP, eb.centre, &spread[g]);
        e = fabs((double)sum - (double)((g + 1) * EXC_GROUP) * eb.mean);
        if (e > lower)
            lower = e;
    }
    start[groups] = sum;
    eb.cut = lower - 1.0;
    for (g = 0; g < groups; g++) {
        double e = fabs((double)start[g + 1] - (double)((g + 1) * EXC_GROUP) * eb.mean);
        double bound = stretch_bound(prev, e, spread[g],
                                     EXC_GROUP / EXC_BLOCK * eb.off_block);

        if (bound > eb.cut && bound > best - 1.0)
            best = excursion_group(x, g * EXC_GROUP, start[g], &eb, best);
        prev = e;
    }
    return excursion_scan(x, groups * EXC_GROUP, c->n - groups * EXC_GROUP, sum, eb.mean,
                          best);
}

/* ======================================================= directional */

/* §5.1.2 - 5.1.4 over s[0..len-1]. */
static void directional_stats(const uint8_t *s, size_t len, long double *out)
{
    size_t steps = len > 0 ? len - 1 : 0, k, ups = 0;
    run_state r;

    run_begin(&r, len >= 2 && s[0] <= s[1]);
    for (k = 0; k + 64 <= steps; k += 64) {
        uint64_t w = ascent_word(s + k);
        ups += pop64(w);
        run_feed(&r, w, 64);
    }
    if (k < steps) {
        uint64_t w = 0;
        for (size_t i = k; i < steps; i++)
            w |= (uint64_t)(s[i] <= s[i + 1]) << (i - k);
        ups += pop64(w);
        run_feed(&r, w, (unsigned)(steps - k));
    }
    run_end(&r, &out[EA_IID_NUM_DIR_RUNS], &out[EA_IID_LEN_DIR_RUNS]);
    out[EA_IID_NUM_INC_DEC] = (long double)(ups > steps - ups ? ups : steps - ups);
}

/* ============================================================ median */

/* §5.1.5 - 5.1.6 over s[0..len-1]: runs of (s[i] >= thr). */
static void median_stats(const uint8_t *s, size_t len, unsigned thr, long double *out)
{
    size_t k;
    run_state r;

    if (thr > 255) {  /* every value below the median: a single run */
        out[EA_IID_NUM_RUNS_MEDIAN] = 1;
        out[EA_IID_LEN_RUNS_MEDIAN] = (long double)len;
        return;
    }
    run_begin(&r, len > 0 && s[0] >= thr);
    for (k = 0; k + 64 <= len; k += 64)
        run_feed(&r, at_least_word(s + k, thr), 64);
    if (k < len) {
        uint64_t w = 0;
        for (size_t i = k; i < len; i++)
            w |= (uint64_t)(s[i] >= thr) << (i - k);
        run_feed(&r, w, (unsigned)(len - k));
    }
    run_end(&r, &out[EA_IID_NUM_RUNS_MEDIAN], &out[EA_IID_LEN_RUNS_MEDIAN]);
}

/* §5.1.5 - 5.1.6 for binary data: runs of the 0/1 symbols in `bits`. */
static void median_stats_bits(const uint64_t *bits, size_t len, long double *out)
{
    size_t k;
    run_state r;

    run_begin(&r, len > 0 ? (unsigned)(bits[0] & 1u) : 0u);
    for (k = 0; k + 64 <= len; k += 64)
        run_feed(&r, bits[k / 64], 64);
    if (k < len)
        run_feed(&r, bits[k / 64], (unsigned)(len - k));
    run_end(&r, &out[EA_IID_NUM_RUNS_MEDIAN], &out[EA_IID_LEN_RUNS_MEDIAN]);
}

/* ========================================================= collision */

/*
 * §5.1.7 - 5.1.8. Positions below are 1-based. last[v] is the last
 * position of value v; the window that began at position `start` repeats
 * v when last[v] >= start. Each window ends where the next begins, so the
 * sum of the window lengths is the start of the unfinished last window,
 * less one. The loop has no branch on the data: the position is written
 * to a small buffer every time and kept only on a hit; the spacing of the
 * window ends is measured every COLL_CHUNK samples (a chunk holds at most
 * COLL_CHUNK / 2 + 1 ends).
 */
#define COLL_CHUNK 128

typedef struct {
    uint32_t start;      /* first position of the current window */
    uint32_t windows;    /* complete windows */
    uint32_t longest;    /* longest complete window */
    uint32_t prev_end;   /* last position of the last complete window */
    uint32_t ends[COLL_CHUNK];
} coll_state;

/* One sample v at position pos; returns the new number of hits. */
static inline uint32_t coll_step(coll_state *cs, uint32_t last[256], uint32_t v, uint32_t pos,
                                 uint32_t hits)
{
    uint32_t hit = last[v] >= cs->start;

    last[v] = pos;
    cs->ends[hits] = pos;
    cs->start = hit ? pos + 1 : cs->start;
    return hits + hit;
}

/* Samples at positions from..to (at most COLL_CHUNK of them). */
static void coll_chunk(coll_state *cs, uint32_t last[256], const uint8_t *s, uint32_t from,
                       uint32_t to)
{
    uint32_t pos = from, hits = 0;

    for (; pos + 3 <= to; pos += 4) {
        hits = coll_step(cs, last, s[pos - 1], pos, hits);
        hits = coll_step(cs, last, s[pos], pos + 1, hits);
        hits = coll_step(cs, last, s[pos + 1], pos + 2, hits);
        hits = coll_step(cs, last, s[pos + 2], pos + 3, hits);
    }
    for (; pos <= to; pos++)
        hits = coll_step(cs, last, s[pos - 1], pos, hits);
    for (uint32_t k = 0; k < hits; k++) {
        if (cs->ends[k] - cs->prev_end > cs->longest)
            cs->longest = cs->ends[k] - cs->prev_end;
        cs->prev_end = cs->ends[k];
    }
    cs->windows += hits;
}

static void collision_stats(const uint8_t *s, size_t len, uint32_t last[256],
                            long double *out)
{
    uint32_t n = (uint32_t)len;
    coll_state cs;

    cs.start = 1;
    cs.windows = cs.longest = cs.prev_end = 0;
    memset(last, 0, 256 * sizeof(last[0]));
    for (uint32_t from = 1; from <= n; from += COLL_CHUNK)
        coll_chunk(&cs, last, s, from, n - from >= COLL_CHUNK ? from + COLL_CHUNK - 1 : n);
    /* The tool divides two ints in double: 0/0 (a NaN) without a window. */
    out[EA_IID_AVG_COLLISION] =
        (long double)((double)(int)(cs.start - 1) / (double)(int)cs.windows);
    out[EA_IID_MAX_COLLISION] = (long double)cs.longest;
}

/* ================================================ periodicity, covariance */
/* Vector loops count positions [0, returned value); the scalar loops of
 * periodicity_stats() and covariance_stats() finish each lag. Five lags
 * share one pass when more than two are asked for. */

#if defined(__SSE2__)
static inline __m128i load16(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* The two 64-bit lanes of v, added. */
static inline uint64_t sum_lanes64(__m128i v)
{
    uint64_t lane[2];

    _mm_storeu_si128((__m128i *)(void *)lane, v);
    return lane[0] + lane[1];
}

/* Sum of the 16 unsigned bytes of v. */
static inline uint64_t sum_bytes(__m128i v)
{
    return sum_lanes64(_mm_sad_epu8(v, _mm_setzero_si128()));
}

/* Sum of the 4 non-negative 32-bit lanes of v. */
static inline uint64_t sum_dwords(__m128i v)
{
    const __m128i zero = _mm_setzero_si128();

    return sum_lanes64(_mm_add_epi64(_mm_unpacklo_epi32(v, zero),
                                     _mm_unpackhi_epi32(v, zero)));
}

/* Byte counters += 1 where a equals the 16 bytes at b. */
static inline __m128i count_equal(__m128i acc, __m128i a, const uint8_t *b)
{
    return _mm_sub_epi8(acc, _mm_cmpeq_epi8(a, load16(b)));
}

/* 32-bit lanes += products of a (as 16-bit halves lo, hi) and the bytes at b. */
static inline __m128i add_products(__m128i acc, __m128i lo, __m128i hi, const uint8_t *b)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i v = load16(b);

    return _mm_add_epi32(acc, _mm_add_epi32(_mm_madd_epi16(lo, _mm_unpacklo_epi8(v, zero)),
                                            _mm_madd_epi16(hi, _mm_unpackhi_epi8(v, zero))));
}

/* Steps of 16 positions before the lane counters could overflow: byte
 * counters hold 255 hits, 32-bit sums 4096 * 4 * 255^2. */
#define EQ_STEPS 255
#define PROD_STEPS 4096

/* End of the next batch of whole steps in [i, end). */
static inline size_t batch_end(size_t i, size_t end, size_t steps)
{
    return end - i > 16 * steps ? i + 16 * steps : end;
}

static size_t equal_pairs_lag(const uint8_t *s, size_t len, size_t p, uint64_t *count)
{
    size_t i = 0, end = len > p ? len - p : 0;

    while (end - i >= 16) {
        size_t stop = batch_end(i, end, EQ_STEPS);
        __m128i acc = _mm_setzero_si128();

        for (; i + 16 <= stop; i += 16)
            acc = count_equal(acc, load16(s + i), s + i + p);
        *count += sum_bytes(acc);
    }
    return i;
}

static size_t equal_pairs_all(const uint8_t *s, size_t len, uint64_t count[NLAGS])
{
    size_t i = 0, end = len > 32 ? len - 32 : 0;

    while (end - i >= 16) {
        size_t stop = batch_end(i, end, EQ_STEPS);
        __m128i c1, c2, c8, c16, c32;

        c1 = c2 = c8 = c16 = c32 = _mm_setzero_si128();
        for (; i + 16 <= stop; i += 16) {
            __m128i a = load16(s + i);
            c1 = count_equal(c1, a, s + i + 1);
            c2 = count_equal(c2, a, s + i + 2);
            c8 = count_equal(c8, a, s + i + 8);
            c16 = count_equal(c16, a, s + i + 16);
            c32 = count_equal(c32, a, s + i + 32);
        }
        count[0] += sum_bytes(c1);
        count[1] += sum_bytes(c2);
        count[2] += sum_bytes(c8);
        count[3] += sum_bytes(c16);
        count[4] += sum_bytes(c32);
    }
    return i;
}

static size_t products_lag(const uint8_t *x, size_t len, size_t p, uint64_t *sum)
{
    const __m128i zero = _mm_setzero_si128();
    size_t i = 0, end = len > p ? len - p : 0;

    while (end - i >= 16) {
        size_t stop = batch_end(i, end, PROD_STEPS);
        __m128i acc = zero;

        for (; i + 16 <= stop; i += 16) {
            __m128i a = load16(x + i);
            acc = add_products(acc, _mm_unpacklo_epi8(a, zero), _mm_unpackhi_epi8(a, zero),
                               x + i + p);
        }
        *sum += sum_dwords(acc);
    }
    return i;
}

static size_t products_all(const uint8_t *x, size_t len, uint64_t sum[NLAGS])
{
    const __m128i zero = _mm_setzero_si128();
    size_t i = 0, end = len > 32 ? len - 32 : 0;

    while (end - i >= 16) {
        size_t stop = batch_end(i, end, PROD_STEPS);
        __m128i c1, c2, c8, c16, c32;

        c1 = c2 = c8 = c16 = c32 = zero;
        for (; i + 16 <= stop; i += 16) {
            __m128i a = load16(x + i);
            __m128i lo = _mm_unpacklo_epi8(a, zero), hi = _mm_unpackhi_epi8(a, zero);
            c1 = add_products(c1, lo, hi, x + i + 1);
            c2 = add_products(c2, lo, hi, x + i + 2);
            c8 = add_products(c8, lo, hi, x + i + 8);
            c16 = add_products(c16, lo, hi, x + i + 16);
            c32 = add_products(c32, lo, hi, x + i + 32);
        }
        sum[0] += sum_dwords(c1);
        sum[1] += sum_dwords(c2);
        sum[2] += sum_dwords(c8);
        sum[3] += sum_dwords(c16);
        sum[4] += sum_dwords(c32);
    }
    return i;
}
#endif

/* §5.1.9: for each lag p in `want`, #{i < len - p : s[i] == s[i+p]}. */
static void periodicity_stats(const uint8_t *s, size_t len, unsigned want, long double *out)
{
    uint64_t count[NLAGS] = {0};
    size_t done[NLAGS] = {0};

#if defined(__SSE2__)
    if (pop64(want) > 2) {
        size_t d = equal_pairs_all(s, len, count);
        for (unsigned l = 0; l < NLAGS; l++)
            done[l] = d;
    } else {
        for (unsigned l = 0; l < NLAGS; l++)
            if (want & (1u << l))
                done[l] = equal_pairs_lag(s, len, lag_of[l], &count[l]);
    }
#endif
    for (unsigned l = 0; l < NLAGS; l++) {
        size_t p = lag_of[l];

        if (!(want & (1u << l)))
            continue;
        for (size_t i = done[l]; i + p < len; i++)
            count[l] += s[i] == s[i + p];
        out[PERIODICITY_SHIFT + l] = (long double)count[l];
    }
}

/* §5.1.10: for each lag p in `want`, the sum of x[i] * x[i+p]. */
static void covariance_stats(const uint8_t *x, size_t len, unsigned want, long double *out)
{
    uint64_t sum[NLAGS] = {0};
    size_t done[NLAGS] = {0};

#if defined(__SSE2__)
    if (pop64(want) > 2) {
        size_t d = products_all(x, len, sum);
        for (unsigned l = 0; l < NLAGS; l++)
            done[l] = d;
    } else {
        for (unsigned l = 0; l < NLAGS; l++)
            if (want & (1u << l))
                done[l] = products_lag(x, len, lag_of[l], &sum[l]);
    }
#endif
    for (unsigned l = 0; l < NLAGS; l++) {
        size_t p = lag_of[l];

        if (!(want & (1u << l)))
            continue;
        for (size_t i = done[l]; i + p < len; i++)
            sum[l] += (uint64_t)x[i] * x[i + p];
        out[COVARIANCE_SHIFT + l] = (long double)sum[l];
    }
}

/* ======================================================= binary data */

/* Store bytes 0..nbytes-1 of w (least significant first). */
static void put_bytes(uint8_t *dst, uint64_t w, size_t nbytes)
{
    for (size_t b = 0; b < nbytes; b++)
        dst[b] = (uint8_t)(w >> (8 * b));
}

/* All 8 bytes of w, least significant first (one store on most CPUs). */
static inline void put_word(uint8_t *dst, uint64_t w)
{
    dst[0] = (uint8_t)w;
    dst[1] = (uint8_t)(w >> 8);
    dst[2] = (uint8_t)(w >> 16);
    dst[3] = (uint8_t)(w >> 24);
    dst[4] = (uint8_t)(w >> 32);
    dst[5] = (uint8_t)(w >> 40);
    dst[6] = (uint8_t)(w >> 48);
    dst[7] = (uint8_t)(w >> 56);
}

/* The 0/1 symbols as bit words, and Conversions I and II (§5.1): per
 * 8 samples the number of ones, and the samples as a byte, first
 * sample most significant. A word holds 8 blocks, first block in the
 * low byte. */
static void binary_views(ea_iid_stats_ctx *c, const uint8_t *s)
{
    size_t n = c->n, k;

    for (k = 0; k + 64 <= n; k += 64) {
        uint64_t w = at_least_word(s + k, c->thr);
        c->bits[k / 64] = w;
        put_word(c->conv1 + k / 8, byte_popcounts(w));
        put_word(c->conv2 + k / 8, byte_reverse_bits(w));
    }
    if (k < n) {
        uint64_t w = 0;
        for (size_t i = k; i < n; i++)
            w |= (uint64_t)(s[i] >= c->thr) << (i - k);
        c->bits[k / 64] = w;
        put_bytes(c->conv1 + k / 8, byte_popcounts(w), (n - k + 7) / 8);
        put_bytes(c->conv2 + k / 8, byte_reverse_bits(w), (n - k + 7) / 8);
    }
}

/* ============================================================ context */

/* Raw value -> symbol. Returns -1 when one value has two symbols (or a
 * binary alphabet is not 0/1), 0 when the order of values is not that of
 * symbols, 1 when it is. */
static int build_symbol_table(ea_iid_stats_ctx *c, const ea_dataset *ds)
{
    uint8_t seen[256] = {0};
    int order_kept = 1, prev = -1;

    for (size_t i = 0; i < ds->len; i++) {
        uint8_t v = ds->raw[i];
        if ((seen[v] && c->sym[v] != ds->symbols[i]) || (c->binary && ds->symbols[i] > 1))
            return -1;
        seen[v] = 1;
        c->sym[v] = ds->symbols[i];
    }
    for (unsigned v = 0; v < 256; v++) {
        if (!seen[v])
            continue;
        if ((int)c->sym[v] <= prev)
            order_kept = 0;
        prev = c->sym[v];
    }
    return order_kept;
}

/* The threshold `thr` of median_stats(): symbols >= median. For the
 * binary forms the median is 0.5 (§5.1.5), whatever the baseline says. */
static unsigned symbol_threshold(double median)
{
    unsigned t = 0;

    while (t < 256 && (double)t < median)
        t++;
    return t;
}

/* The same threshold on raw values: the least raw value whose symbol is
 * at or above it (256 when none). */
static unsigned raw_threshold(const ea_iid_stats_ctx *c, unsigned sym_thr)
{
    const ea_dataset *ds = c->ds;
    unsigned best = 256;

    for (size_t i = 0; i < ds->len && best > 0; i++)
        if (ds->symbols[i] >= sym_thr && ds->raw[i] < best)
            best = ds->raw[i];
    return best;
}

static ea_status alloc_scratch(ea_iid_stats_ctx *c)
{
    size_t n = c->n;

    c->gstart = malloc((n / EXC_GROUP + 1) * sizeof(c->gstart[0]));
    c->gspread = malloc((n / EXC_GROUP + 1) * sizeof(c->gspread[0]));
    if (c->gstart == NULL || c->gspread == NULL)
        return EA_ERR_NOMEM;
    if (!c->direct && (c->view = malloc(n)) == NULL)
        return EA_ERR_NOMEM;
    if (c->binary) {
        c->bits = malloc((n / 64 + 1) * sizeof(c->bits[0]));
        c->conv1 = malloc(c->m);
        c->conv2 = malloc(c->m);
        if (c->bits == NULL || c->conv1 == NULL || c->conv2 == NULL)
            return EA_ERR_NOMEM;
    }
    return EA_OK;
}

ea_status ea_iid_stats_new(const ea_dataset *ds, const ea_iid_baseline *b,
                           ea_iid_stats_ctx **ctx)
{
    ea_iid_stats_ctx *c;
    ea_status st;
    int order;

    if (ctx == NULL)
        return EA_ERR_ARG;
    *ctx = NULL;
    if (ds == NULL || b == NULL)
        return EA_ERR_ARG;
    if (ds->len == 0)
        return EA_ERR_EMPTY;
    if (ds->raw == NULL || ds->symbols == NULL || ds->len > INT_MAX)
        return EA_ERR_ARG;
    if ((c = calloc(1, sizeof(*c))) == NULL)
        return EA_ERR_NOMEM;
    c->ds = ds;
    c->n = ds->len;
    c->m = (ds->len + 7) / 8;
    c->mean = b->raw_mean;
    c->binary = ds->alph_size == 2;
    order = build_symbol_table(c, ds);
    if (order < 0) {
        free(c);
        return EA_ERR_ARG;
    }
    c->direct = order;
    c->thr = symbol_threshold(c->binary ? 0.5 : b->median);
    if (c->direct)
        c->thr = raw_threshold(c, c->thr);
    st = alloc_scratch(c);
    if (st != EA_OK) {
        ea_iid_stats_free(c);
        return st;
    }
    *ctx = c;
    return EA_OK;
}

void ea_iid_stats_free(ea_iid_stats_ctx *ctx)
{
    if (ctx == NULL)
        return;
    ea_iid_compressor_free(ctx->comp);
    free(ctx->gstart);
    free(ctx->gspread);
    free(ctx->view);
    free(ctx->bits);
    free(ctx->conv1);
    free(ctx->conv2);
    free(ctx);
}

void ea_iid_stats_use_libbz2(ea_iid_stats_ctx *ctx, int on)
{
    if (ctx != NULL) {
        ctx->libbz2 = on != 0;
        if (ctx->comp != NULL)
            ea_iid_compressor_use_libbz2(ctx->comp, on);
    }
}

/* ============================================================ compute */

static ea_status compression_stat(ea_iid_stats_ctx *c, const uint8_t *raw, long double *out)
{
    ea_status st;

    if (c->comp == NULL) {
        st = ea_iid_compressor_new(c->n, c->ds->max_symbol, &c->comp);
        if (st != EA_OK)
            return st;
        if (c->libbz2)
            ea_iid_compressor_use_libbz2(c->comp, 1);
    }
    return ea_iid_compression_stat(c->comp, raw, c->n, out);
}

/* §5.1.2 - 5.1.10 for binary data, from the 0/1 symbols (s >= thr). */
static void binary_stats(ea_iid_stats_ctx *c, const uint8_t *s, uint32_t mask,
                         long double *out)
{
    unsigned per = (mask >> PERIODICITY_SHIFT) & LAG_SET;
    unsigned cov = (mask >> COVARIANCE_SHIFT) & LAG_SET;

    binary_views(c, s);
    if (mask & DIRECTIONAL_BITS)
        directional_stats(c->conv1, c->m, out);
    if (mask & MEDIAN_BITS)
        median_stats_bits(c->bits, c->n, out);
    if (mask & COLLISION_BITS)
        collision_stats(c->conv2, c->m, c->last, out);
    if (per)
        periodicity_stats(c->conv1, c->m, per, out);
    if (cov)  /* over the 0/1 symbols, not the raw values (tool's run_tests) */
        covariance_stats(c->conv1, c->m, cov, out);
}

/* §5.1.2 - 5.1.10 for other data: symbols s, raw values for covariance. */
static void symbol_stats(ea_iid_stats_ctx *c, const uint8_t *s, const uint8_t *raw,
                         uint32_t mask, long double *out)
{
    unsigned per = (mask >> PERIODICITY_SHIFT) & LAG_SET;
    unsigned cov = (mask >> COVARIANCE_SHIFT) & LAG_SET;

    if (mask & DIRECTIONAL_BITS)
        directional_stats(s, c->n, out);
    if (mask & MEDIAN_BITS)
        median_stats(s, c->n, c->thr, out);
    if (mask & COLLISION_BITS)
        collision_stats(s, c->n, c->last, out);
    if (per)
        periodicity_stats(s, c->n, per, out);
    if (cov)
        covariance_stats(raw, c->n, cov, out);
}

ea_status ea_iid_stats_compute(ea_iid_stats_ctx *ctx, const uint8_t *raw, uint32_t mask,
                               long double out[EA_IID_NSTATS])
{
    const uint32_t on_symbols = EA_IID_CHEAP_STATS & ~BIT(EA_IID_EXCURSION);
    const uint8_t *s = raw;
    long double val[EA_IID_NSTATS];

    if (ctx == NULL || raw == NULL || out == NULL || (mask & ~EA_IID_ALL_STATS) != 0)
        return EA_ERR_ARG;
    if (mask & BIT(EA_IID_EXCURSION))
        val[EA_IID_EXCURSION] = (long double)excursion_stat(ctx, raw);
    if (mask & on_symbols) {
        if (!ctx->direct) {
            for (size_t i = 0; i < ctx->n; i++)
                ctx->view[i] = ctx->sym[raw[i]];
            s = ctx->view;
        }
        if (ctx->binary)
            binary_stats(ctx, s, mask, val);
        else
            symbol_stats(ctx, s, raw, mask, val);
    }
    if (mask & BIT(EA_IID_COMPRESSION)) {
        ea_status st = compression_stat(ctx, raw, &val[EA_IID_COMPRESSION]);
        if (st != EA_OK)
            return st;
    }
    /* The groups above may fill siblings of what was asked; copy only
     * the selected values. */
    for (unsigned i = 0; i < EA_IID_NSTATS; i++)
        if (mask & BIT(i))
            out[i] = val[i];
    return EA_OK;
}
