/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lrs_test.c - SP 800-90B §5.2.5, the length of the longest repeated
 * substring (LRS) test, as NIST's ea_iid (1.1.7) runs it on the mapped
 * symbols (L samples, alphabet k).
 *
 *   1. W = the length of the longest substring that occurs at least twice
 *      (occurrences may overlap).
 *   2. p_col = Σ_i p_i^2, the probability that two independent samples
 *      collide (p_i = proportion of symbol i).
 *   3. N = C(L - W + 1, 2), the number of pairs of W-symbol substrings;
 *      Pr(X >= 1) = 1 - (1 - p_col^W)^N, the chance that some pair of them
 *      is equal.
 *   4. The test fails when Pr(X >= 1) < 0.001 (the §5.2 significance level):
 *      a repeat that long is too unlikely for IID data.
 *
 * Where we follow NIST's code rather than the text, and why (parity):
 *   - p_i is 1/L summed once per occurrence (gamma.h), and p_col is summed
 *     in long double, symbol by symbol.
 *   - Pr(X >= 1) is formed through logarithms in long double:
 *     ln Pr(X = 0) = N log1p(-p_col^W), Pr(X >= 1) = 1 - exp(that). The
 *     verdict compares logarithms, ln 0.999 >= N log1p(-p_col^W), which is
 *     step 4 without the rounding of 1 - exp(...).
 *   - p_col > 1 - LDBL_EPSILON (one symbol whose proportion sums to
 *     exactly 1) short-cuts to Pr(X >= 1) = 1, pass. We still report W.
 *
 * Our own rules, where the reference stops on a failed assertion:
 *   - W = 0 (all samples differ, so L <= k): Pr(X >= 1) = 1, pass (there
 *     is no repeat to be surprised by).
 *   - p_col^W below the long double range (a repeat of thousands of
 *     symbols): it becomes 0, so Pr(X >= 1) = 0 and the test fails, which
 *     is the limit of the exact value.
 *
 * Finding W. Any pair of suffixes shares at most W symbols, and the most
 * similar pair is adjacent in sorted order. The project's suffix-array LCP
 * producer (suffix.h) gives W for any input. For alphabets above 16 symbols
 * (where that producer sorts one byte per symbol, ~35-50 ms for 10^6
 * samples) a faster path is tried first when the data look like they can
 * use it: each position's next c symbols are packed into a 64-bit key (b
 * bits per symbol, b the smallest with 2^b >= k, c = floor(64 / b)); the
 * keys of the positions with at least c symbols left are radix-sorted, and
 * the longest common prefix of neighbours, in whole symbols, gives every
 * such pair's LCP capped at c. The last c - 1 positions (shorter suffixes)
 * are compared against the sorted keys by binary search and against each
 * other directly. If no two keys are equal, no pair reaches c symbols and
 * the maximum is W exactly; otherwise W >= c, the sort stops, and the
 * suffix array decides. Random 8-bit data have W ~ 5 < 8. The fast path
 * takes 16 bytes per sample and ~20 ms for 10^6 8-bit samples.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"
#include "histogram.h"
#include "gamma.h"
#include "suffix.h"

/* 1 - α for the §5.2 significance level α = 0.001, written as the
 * reference writes it (0.999L, not 1 - 0.001L, which rounds differently). */
#define EA_LRS_CONFIDENCE 0.999L

/* ------------------------------------------------------------------ */
/* W through the suffix-array LCP producer                              */
/* ------------------------------------------------------------------ */

typedef struct {
    int32_t longest;
} lcp_max;

static ea_status max_put(void *ctx, const int32_t *lcp, size_t count)
{
    lcp_max *m = ctx;

    for (size_t i = 0; i < count; i++)
        if (lcp[i] > m->longest)
            m->longest = lcp[i];
    return EA_OK;
}

static void max_restart(void *ctx)
{
    ((lcp_max *)ctx)->longest = 0;
}

static ea_status longest_by_suffixes(const uint8_t *s, size_t n, int k, size_t *w)
{
    lcp_max m = {0};
    ea_lcp_sink sink = {&m, max_put, max_restart, NULL};
    ea_status st = ea_suffix_lcps(s, n, k, &sink);

    *w = (size_t)m.longest;
    return st;
}

/* ------------------------------------------------------------------ */
/* W through sorted fixed-length windows (fast path)                    */
/* ------------------------------------------------------------------ */

typedef struct {
    const uint8_t *s;
    size_t n;
    unsigned b;        /* bits per symbol in a key */
    size_t c;          /* symbols per key */
} windows;

static unsigned bits_for(int k)
{
    unsigned b = 1;

    while ((1u << b) < (unsigned)k)
        b++;
    return b;
}

/* The key of position i: its next c symbols, first in the top bits,
 * zeros past the end of the data. */
static uint64_t key_at(const windows *w, size_t i)
{
    uint64_t key = 0;

    for (size_t t = 0; t < w->c && i + t < w->n; t++)
        key |= (uint64_t)w->s[i + t] << (64u - w->b * (unsigned)(t + 1));
    return key;
}

/* Keys of positions 0..n-c, rolled forward one symbol at a time. */
static void build_keys(const windows *w, uint64_t *keys)
{
    unsigned span = w->b * (unsigned)w->c;
    uint64_t mask = span == 64 ? ~(uint64_t)0 : ((uint64_t)1 << span) - 1u;
    uint64_t acc = 0;

    for (size_t j = 0; j + 1 < w->c; j++)
        acc = (acc << w->b) | w->s[j];
    for (size_t i = 0; i + w->c <= w->n; i++) {
        acc = ((acc << w->b) | w->s[i + w->c - 1]) & mask;
        keys[i] = acc << (64u - span);
    }
}

/* Common leading symbols of two keys (c when equal). */
static size_t key_lcp(const windows *w, uint64_t x, uint64_t y)
{
    if (x == y)
        return w->c;
    return (size_t)__builtin_clzll((unsigned long long)(x ^ y)) / w->b;
}

/* Buckets at most this large are finished by insertion sort. */
#define EA_LRS_SMALL_BUCKET 32

static void insertion_sort(uint64_t *a, size_t m)
{
    for (size_t i = 1; i < m; i++) {
        uint64_t x = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* Does the sorted run a[0..m-1] hold two equal keys? */
static int has_duplicate(const uint64_t *a, size_t m)
{
    for (size_t i = 1; i < m; i++)
        if (a[i - 1] == a[i])
            return 1;
    return 0;
}

/*
 * Most-significant-byte-first radix sort of the m keys at cur[], which all
 * share their first `depth` bytes. Each level scatters by the next byte
 * into the other buffer (alt[], same offsets) and recurses per bucket;
 * small buckets are insertion-sorted. The sorted keys must end in the
 * buffer `home` (one of cur, alt), so a bucket finished in the other one
 * is copied back. Random data are sorted after two or three levels, far
 * fewer passes than a least-significant-first sort of 8 bytes.
 * Two equal keys mean a repeat of c symbols or more, which only the suffix
 * array can measure: the sort then stops at once and returns 1.
 */
static int msd_sort(uint64_t *cur, uint64_t *alt, const uint64_t *home, size_t m, unsigned depth)
{
    size_t start[257];
    unsigned sh;

    while (depth < 8 && m > EA_LRS_SMALL_BUCKET) {
        sh = 56u - 8u * depth;
        memset(start, 0, sizeof start);
        for (size_t i = 0; i < m; i++)
            start[((cur[i] >> sh) & 0xFFu) + 1]++;
        if (start[((cur[0] >> sh) & 0xFFu) + 1] != m)
            break;
        depth++;    /* one byte value throughout: nothing to scatter */
    }
    if (depth == 8)
        return 1;   /* m > 1 keys agree in all 8 bytes */
    if (m <= EA_LRS_SMALL_BUCKET) {
        insertion_sort(cur, m);
        if (has_duplicate(cur, m))
            return 1;
        if (cur != home)
            memcpy(alt, cur, m * sizeof *cur);
        return 0;
    }
    sh = 56u - 8u * depth;
    for (unsigned v = 0; v < 256; v++)
        start[v + 1] += start[v];
    {
        size_t next[256];
        memcpy(next, start, sizeof next);
        for (size_t i = 0; i < m; i++)
            alt[next[(cur[i] >> sh) & 0xFFu]++] = cur[i];
    }
    for (unsigned v = 0; v < 256; v++) {
        size_t a = start[v], cnt = start[v + 1] - a;
        if (cnt > 0 && msd_sort(alt + a, cur + a, home + a, cnt, depth + 1))
            return 1;
    }
    return 0;
}

/* Largest capped LCP of two sorted-adjacent keys (0 when m < 2). The
 * maximum is taken over common leading bits and converted to symbols once
 * (whole symbols are floor(bits / b), which preserves the maximum). */
static size_t neighbour_max(const windows *w, const uint64_t *keys, size_t m)
{
    unsigned best = 0;

    for (size_t i = 1; i < m; i++) {
        uint64_t x = keys[i - 1] ^ keys[i];
        unsigned l = x == 0 ? 64u : (unsigned)__builtin_clzll((unsigned long long)x);
        if (l > best)
            best = l;
    }
    return best >= w->b * (unsigned)w->c ? w->c : best / w->b;
}

/* Capped LCP of key q with its closest sorted keys (binary search). */
static size_t nearest_lcp(const windows *w, const uint64_t *keys, size_t m, uint64_t q)
{
    size_t lo = 0, hi = m, best = 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < q)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m)
        best = key_lcp(w, q, keys[lo]);
    if (lo > 0) {
        size_t l = key_lcp(w, q, keys[lo - 1]);
        if (l > best)
            best = l;
    }
    return best;
}

/* LCP of the suffixes at i < j, both shorter than c symbols. */
static size_t short_lcp(const windows *w, size_t i, size_t j)
{
    size_t l = 0;

    while (j + l < w->n && w->s[i + l] == w->s[j + l])
        l++;
    return l;
}

/* Best LCP of each of the last (< c)-symbol suffixes with any other. */
static size_t tail_max(const windows *w, const uint64_t *keys, size_t m)
{
    size_t first = w->n >= w->c ? w->n - w->c + 1 : 0, best = 0;

    for (size_t i = first; i < w->n; i++) {
        size_t len = w->n - i, l = 0;
        if (m > 0) {
            l = nearest_lcp(w, keys, m, key_at(w, i));
            if (l > len)
                l = len;
        }
        for (size_t j = i + 1; j < w->n; j++) {
            size_t t = short_lcp(w, i, j);
            if (t > l)
                l = t;
        }
        if (l > best)
            best = l;
    }
    return best;
}

/*
 * The fast path: W if it is below c (*found = 1); *found = 0 when some pair
 * shares c or more symbols and the suffix array must decide.
 */
static ea_status longest_by_windows(const windows *w, size_t *wlen, int *found)
{
    size_t m = w->n >= w->c ? w->n - w->c + 1 : 0, full, tail;
    uint64_t *keys = malloc((m > 0 ? 2 * m : 1) * sizeof *keys);

    *found = 0;
    if (keys == NULL)
        return EA_ERR_NOMEM;
    if (m > 0)
        build_keys(w, keys);
    if (m > 1 && msd_sort(keys, keys + m, keys, m, 0) != 0)
        full = w->c;
    else
        full = neighbour_max(w, keys, m);
    if (full < w->c) {
        tail = tail_max(w, keys, m);
        *wlen = full > tail ? full : tail;
        *found = 1;
    }
    free(keys);
    return EA_OK;
}

/*
 * Is the window method worth trying? Not for k <= 16, where the suffix
 * producer packs symbols and is about as fast. Otherwise only when IID data
 * with this collision probability would rarely hold a repeat of c symbols:
 * the expected number of position pairs that share c symbols,
 * C(n, 2) p_col^c, is at most EA_LRS_WASTE (so a wasted attempt is rare
 * on IID-looking data; heavily skewed data go to the suffix array at once).
 */
#define EA_LRS_PACKED_K 16
#define EA_LRS_WASTE 0.05

static int windows_promising(int k, long double p_col, size_t n, size_t c)
{
    double pairs = (double)n * ((double)n - 1.0) / 2.0;

    if (k <= EA_LRS_PACKED_K || !(p_col < 1.0L) || n < 2)
        return 0;
    return log(pairs) + (double)c * log((double)p_col) <= log(EA_LRS_WASTE);
}

/* §5.2.5 step 1. */
static ea_status longest_repeat(const uint8_t *s, size_t n, int k, long double p_col, size_t *wlen)
{
    windows w = {s, n, bits_for(k), 0};
    int found = 0;

    *wlen = 0;
    if (n < 2)
        return EA_OK;
    w.c = 64u / w.b;
    if (windows_promising(k, p_col, n, w.c)) {
        ea_status st = longest_by_windows(&w, wlen, &found);
        if (st != EA_OK || found)
            return st;
    }
    return longest_by_suffixes(s, n, k, wlen);
}

/* ------------------------------------------------------------------ */
/* Steps 2-4                                                            */
/* ------------------------------------------------------------------ */

/* §5.2.5 step 2, in the reference's precision and order. */
static long double collision_probability(const double *p, int k)
{
    long double sum = 0.0L;

    for (int i = 0; i < k; i++)
        sum += (long double)p[i] * (long double)p[i];
    return sum;
}

/* C(m, 2) without overflow for m < 2^32.5. */
static uint64_t pairs_of(uint64_t m)
{
    return (m % 2 == 0) ? (m / 2) * (m - 1) : m * ((m - 1) / 2);
}

/* §5.2.5 steps 3-4. */
static void repeat_probability(long double p_col, size_t wlen, size_t n, ea_lrs_test_result *r)
{
    long double pw, log_none_per_pair, log_none;

    if (p_col > 1.0L - LDBL_EPSILON || wlen == 0) {
        r->p_x_ge_1 = 1.0;
        r->passed = 1;
        return;
    }
    pw = powl(p_col, (long double)wlen);
    log_none_per_pair = log1pl(-pw);
    log_none = (long double)pairs_of((uint64_t)(n - wlen + 1)) * log_none_per_pair;
    r->p_x_ge_1 = (double)(1.0L - expl(log_none));
    r->passed = logl(EA_LRS_CONFIDENCE) >= log_none;
}

ea_status ea_lrs_test(const ea_dataset *ds, ea_lrs_test_result *r)
{
    uint64_t counts[256];
    double p[256];
    long double p_col;
    size_t wlen;
    ea_status st;
    int k;

    if (ds == NULL || r == NULL)
        return EA_ERR_ARG;
    memset(r, 0, sizeof *r);
    k = ds->alph_size;
    if (ds->len == 0)
        return EA_ERR_EMPTY;
    if (ds->symbols == NULL || k < 1 || k > 256 || ds->len > EA_SUFFIX_MAX_N)
        return EA_ERR_ARG;
    if (ea_symbol_counts(ds->symbols, ds->len, k, counts) != 0)
        return EA_ERR_ARG;
    ea_symbol_proportions(counts, ds->len, k, p);
    p_col = collision_probability(p, k);

    st = longest_repeat(ds->symbols, ds->len, k, p_col, &wlen);
    if (st != EA_OK)
        return st;
    r->p_col = (double)p_col;
    r->W = (long)wlen;
    repeat_probability(p_col, wlen, ds->len, r);
    return EA_OK;
}
