/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suffix.c - the longest-common-prefix (LCP) sequence of a symbol string in
 * suffix-array order, as needed by the SP 800-90B §6.3.5 t-tuple and §6.3.6
 * LRS estimators (see sa_estimates.c for what is done with it).
 *
 * Only the LCPs of neighbouring suffixes in sorted order are delivered; the
 * suffix array itself is an intermediate. Three methods, all producing the
 * same sequence (the suffix order of a string is unique):
 *
 *  1. Packed merge, for alphabets of at most 16 symbols (b = 1, 2 or 4 bits
 *     per symbol, c = 8/b symbols per byte). The symbols are packed c to a
 *     byte and libdivsufsort sorts only the n/c suffixes that start on a
 *     byte boundary: a short string over 256 values, which it sorts fast
 *     (sorting the n one-symbol-per-byte suffixes of an 8,000,000-bit
 *     string directly takes ~0.5 s). The suffixes starting at offset r
 *     inside a byte form class r; a class-r suffix is one symbol followed
 *     by the class-(r+1) suffix of the same byte (by the next byte-aligned
 *     suffix for r = c-1), so each class is ordered from the next one by a
 *     stable counting sort on that symbol. The c ordered classes are then
 *     merged with a tournament (loser) tree whose comparisons nearly always
 *     decide on one cached 64-bit window per suffix; the neighbour LCPs
 *     come from the same windows.
 *  2. Direct, for larger alphabets (one symbol per byte): divsufsort over
 *     the symbols, then each neighbour LCP by comparing 64-bit windows.
 *  3. Fallback for highly repetitive input, where 1. and 2. would spend
 *     time proportional to the repeat lengths (NIST's issues #163/#214 are
 *     this case): divsufsort over the symbols and the LCPs by the Φ /
 *     permuted-LCP method (Kärkkäinen, Manzini and Puglisi, CPM 2009),
 *     O(n) for any data. 1. and 2. count their deep window comparisons
 *     and switch to 3. (after sink->restart) once that count passes a
 *     budget proportional to n, so no input costs much more than 3.
 *
 * Memory for n symbols, besides the input: 1. 4n bytes of ranks (each
 * suffix sits in exactly one class) plus n*b/8 packed and, while the
 * classes are built, 2n/c bytes; 2. 4n plus an n-byte padded copy; 3. 8n
 * plus the packed copy at its peak, then 4n, lent to the sink as scratch.
 *
 * Window comparisons see the text followed by zero bits. The true order
 * (a suffix that is a prefix of another sorts first) and the true LCP
 * (never longer than the shorter suffix) are restored by checking whether
 * the first difference falls inside both suffixes.
 */
#include <divsufsort.h>
#include <stdlib.h>
#include <string.h>

#include "suffix.h"

#ifndef EA_SUFFIX_BLOCK
#define EA_SUFFIX_BLOCK 4096    /* LCP values handed to the sink at a time */
#endif
#define BLOCK EA_SUFFIX_BLOCK
#define PAD 16              /* zero bytes after the packed text */

/*
 * Window comparisons allowed per symbol (plus a constant) before methods
 * 1. and 2. give up. Method 2 counts every window it compares: random
 * data need about one per symbol, and its fallback reuses the suffix
 * array, so it gives up early. Method 1 counts only the comparisons its
 * cached windows cannot settle: random data need almost none; at 4 per
 * symbol, measured on 8,000,000-bit strings, staying costs about what the
 * fallback would (which has to sort all n suffixes). The constants can be
 * overridden at compile time to force or forbid the fallback in tests.
 */
#ifndef EA_SUFFIX_BUDGET_DIRECT
#define EA_SUFFIX_BUDGET_DIRECT 4u
#endif
#ifndef EA_SUFFIX_BUDGET_MERGE
#define EA_SUFFIX_BUDGET_MERGE 4u
#endif
#ifndef EA_SUFFIX_BUDGET_SLACK
#define EA_SUFFIX_BUDGET_SLACK ((uint64_t)1 << 16)
#endif

typedef struct {
    uint8_t *pk;        /* symbols packed MSB first, PAD zero bytes after */
    size_t n;           /* number of symbols */
    unsigned shift;     /* log2 of the bits per symbol */
    size_t per;         /* symbols per 64-bit window */
    uint64_t work;      /* window comparisons made so far */
    uint64_t budget;    /* the fast methods give up beyond this */
    int over;           /* budget exceeded: results since are meaningless */
} ptext;

static uint64_t load_be64(const uint8_t *p)
{
    uint64_t x = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&x, p, sizeof x);
    x = __builtin_bswap64(x);
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    memcpy(&x, p, sizeof x);
#else
    for (int i = 0; i < 8; i++)
        x = (x << 8) | p[i];
#endif
    return x;
}

/* The 64 bits that start with symbol `pos` (zeros past the end). */
static inline uint64_t window_at(const ptext *t, size_t pos)
{
    size_t bit = pos << t->shift;
    const uint8_t *p = t->pk + (bit >> 3);
    unsigned sh = (unsigned)(bit & 7u);
    uint64_t x = load_be64(p);

    /* no branch: for sh = 0 the second term is p[8] >> 8 = 0 */
    return (x << sh) | (uint64_t)(p[8] >> (8u - sh));
}

static inline unsigned lead_zeros(uint64_t x)
{
    return (unsigned)__builtin_clzll((unsigned long long)x);
}

/*
 * Compare the suffixes at a and c (a != c), knowing that their first
 * `from` symbols agree. Returns their LCP; *a_first says whether suffix a
 * sorts before suffix c.
 */
static size_t first_difference(ptext *t, size_t a, size_t c, size_t from, int *a_first)
{
    size_t m = t->n - (a > c ? a : c);  /* length of the shorter suffix */

    for (size_t l = from; l < m; l += t->per) {
        uint64_t x = window_at(t, a + l), y = window_at(t, c + l);

        if (++t->work > t->budget) {
            t->over = 1;  /* the caller abandons this method */
            break;
        }
        if (x != y) {
            size_t d = l + (lead_zeros(x ^ y) >> t->shift);
            if (d < m) {
                *a_first = x < y;
                return d;
            }
            break;
        }
    }
    *a_first = a > c;  /* one is a prefix of the other: shorter first */
    return m;
}

static size_t lcp_from(ptext *t, size_t a, size_t c, size_t from)
{
    int dummy;

    return first_difference(t, a, c, from, &dummy);
}

/* LCP of two suffixes whose first windows wa, wc are already known. */
static inline size_t lcp_windows(ptext *t, size_t a, uint64_t wa, size_t c, uint64_t wc)
{
    size_t m, d;

    if (wa == wc)
        return lcp_from(t, a, c, t->per);
    m = t->n - (a > c ? a : c);
    d = lead_zeros(wa ^ wc) >> t->shift;
    return d < m ? d : m;
}

/* ------------------------------------------------------------------ */
/* Packing                                                              */
/* ------------------------------------------------------------------ */

/* Bits per symbol used for packing: the smallest of 1, 2, 4, 8 that fits. */
static unsigned shift_for(int k)
{
    if (k <= 2)
        return 0;
    if (k <= 4)
        return 1;
    if (k <= 16)
        return 2;
    return 3;
}

static ea_status pack_text(const uint8_t *s, size_t n, int k, ptext *t)
{
    unsigned b = 1u << t->shift, per_byte = 8u >> t->shift;
    size_t nbytes = (n + per_byte - 1) / per_byte;
    unsigned bad = 0;

    t->n = n;
    t->per = (size_t)(64u >> t->shift);
    t->work = 0;
    t->pk = calloc(nbytes + PAD, 1);
    if (t->pk == NULL)
        return EA_ERR_NOMEM;
    for (size_t q = 0; q < nbytes; q++) {
        size_t base = q * per_byte;
        unsigned v = 0;
        for (unsigned j = 0; j < per_byte; j++) {
            unsigned sym = base + j < n ? s[base + j] : 0u;
            bad |= sym >= (unsigned)k;
            v = (v << b) | sym;
        }
        t->pk[q] = (uint8_t)v;
    }
    if (bad) {
        free(t->pk);
        t->pk = NULL;
        return EA_ERR_ARG;
    }
    return EA_OK;
}

/* ------------------------------------------------------------------ */
/* Output buffer                                                        */
/* ------------------------------------------------------------------ */

typedef struct {
    const ea_lcp_sink *sink;
    int32_t buf[BLOCK];
    size_t len;
} outbuf;

static ea_status out_flush(outbuf *o)
{
    ea_status st = EA_OK;

    if (o->len > 0)
        st = o->sink->put(o->sink->ctx, o->buf, o->len);
    o->len = 0;
    return st;
}

/* ------------------------------------------------------------------ */
/* Method 3: Φ / permuted LCP                                           */
/* ------------------------------------------------------------------ */

/*
 * Turn sa[0..n-1] into the LCP array in place (lcp[0] = 0) and hand it to
 * the sink, whole when the sink takes it so.
 */
static ea_status phi_lcps(ptext *t, int32_t *sa, const ea_lcp_sink *sink)
{
    size_t n = t->n, h = 0;
    int32_t *phi = malloc(n * sizeof *phi);

    if (phi == NULL)
        return EA_ERR_NOMEM;
    t->budget = UINT64_MAX;  /* O(n) comparisons in all: no limit needed */
    t->over = 0;
    /* phi[j]: the suffix just before suffix j in sorted order */
    phi[sa[0]] = -1;
    for (size_t i = 1; i < n; i++)
        phi[sa[i]] = sa[i - 1];
    /* in text order, LCP(j+1) >= LCP(j) - 1; phi becomes the permuted LCP */
    for (size_t j = 0; j < n; j++) {
        if (phi[j] < 0) {
            phi[j] = 0;
            h = 0;
            continue;
        }
        h = lcp_from(t, j, (size_t)phi[j], h);
        phi[j] = (int32_t)h;
        if (h > 0)
            h--;
    }
    for (size_t i = 0; i < n; i++)
        sa[i] = phi[sa[i]];
    free(phi);
    if (sink->put_all != NULL)
        return sink->put_all(sink->ctx, sa, n);
    return sink->put(sink->ctx, sa + 1, n - 1);
}

/*
 * Suffix array of the symbols for method 3. With fewer than 8 bits per
 * symbol, divsufsort gets byte i = the 8/b symbols from position i on,
 * zero padded (the top byte of the window at i): an order-preserving
 * encoding (a zero-padded suffix ties only where the true one is a prefix,
 * and the shorter string sorts first either way) that divsufsort handles
 * about a quarter faster than one small symbol per byte.
 */
static ea_status full_suffix_array(const ptext *t, const uint8_t *s, int32_t *sa)
{
    uint8_t *w = NULL;
    int rc;

    if (t->shift < 3) {
        w = malloc(t->n);
        if (w == NULL)
            return EA_ERR_NOMEM;
        for (size_t i = 0; i < t->n; i++)
            w[i] = (uint8_t)(window_at(t, i) >> 56);
        s = w;
    }
    rc = divsufsort(s, sa, (saidx_t)t->n);
    free(w);
    return rc == 0 ? EA_OK : EA_ERR_NOMEM;
}

/* Method 3 from scratch. */
static ea_status fallback_lcps(ptext *t, const uint8_t *s, const ea_lcp_sink *sink)
{
    int32_t *sa = malloc(t->n * sizeof *sa);
    ea_status st;

    if (sa == NULL)
        return EA_ERR_NOMEM;
    st = full_suffix_array(t, s, sa);
    if (st == EA_OK)
        st = phi_lcps(t, sa, sink);
    free(sa);
    return st;
}

/* ------------------------------------------------------------------ */
/* Method 2: direct                                                     */
/* ------------------------------------------------------------------ */

static ea_status direct_lcps(ptext *t, const uint8_t *s, const ea_lcp_sink *sink)
{
    size_t n = t->n;
    int32_t *sa = malloc(n * sizeof *sa);
    outbuf *o = malloc(sizeof *o);
    ea_status st = EA_OK;
    int gave_up = 0;

    if (sa == NULL || o == NULL || divsufsort(s, sa, (saidx_t)n) != 0) {
        free(sa);
        free(o);
        return EA_ERR_NOMEM;
    }
    o->sink = sink;
    o->len = 0;
    t->budget = EA_SUFFIX_BUDGET_DIRECT * (uint64_t)n + EA_SUFFIX_BUDGET_SLACK;
    for (size_t i = 1; i < n && st == EA_OK; i++) {
        o->buf[o->len++] = (int32_t)lcp_from(t, (size_t)sa[i - 1], (size_t)sa[i], 0);
        if (o->len == BLOCK) {
            if (t->over || t->work >= t->budget) {
                gave_up = 1;
                break;
            }
            st = out_flush(o);
        }
    }
    if (st == EA_OK && !gave_up) {
        if (t->over)  /* the last, partial block is not to be trusted */
            gave_up = 1;
        else
            st = out_flush(o);
    }
    free(o);
    if (st == EA_OK && gave_up) {
        sink->restart(sink->ctx);
        st = phi_lcps(t, sa, sink);
    }
    free(sa);
    return st;
}

/* ------------------------------------------------------------------ */
/* Method 1: packed merge                                               */
/* ------------------------------------------------------------------ */

/* One offset class: suffixes starting at symbol q*c + r, in order. */
typedef struct {
    int32_t *q;         /* byte indices */
    size_t len;
} sclass;

typedef struct {
    ptext *t;
    unsigned c;         /* symbols per byte = number of classes */
    size_t nbytes;      /* bytes holding the packed text */
    int32_t *bsa;       /* byte-level suffix array, later class 0 */
    int32_t *rest;      /* storage of classes 1..c-1 */
    sclass cls[8];
} merger;

/*
 * A suffix at the merge front: its first window, and a tag holding its
 * position, its class, and SLOW_BIT when the window alone may not order
 * it (class exhausted, or fewer than a window's worth of symbols left).
 */
typedef struct {
    uint64_t key;
    uint64_t tag;
} entry;

#define CLASS_MASK 0xffu
#define SLOW_BIT 0x100u
#define POS_SHIFT 9
#define DONE_POS (UINT64_MAX >> POS_SHIFT)

static inline size_t entry_pos(const entry *e)
{
    return (size_t)(e->tag >> POS_SHIFT);
}

/*
 * Prefetch distances, in entries of a class: the text of a suffix a few
 * entries ahead and the class list itself further ahead (the classes are
 * read as interleaved streams, the text at random).
 */
#define PREFETCH_AHEAD 4
#define LIST_AHEAD 64

/* Does the suffix at a sort before the one at c? */
static int suffix_before(ptext *t, size_t a, size_t c)
{
    int a_first;

    first_difference(t, a, c, 0, &a_first);
    return a_first;
}

/* Exclusive prefix sums of the counts of symbol (v >> sh) & smask. */
static void symbol_offsets(const size_t *hist, unsigned sh, unsigned smask, size_t *offs)
{
    size_t sum = 0;

    memset(offs, 0, (smask + 1u) * sizeof *offs);
    for (unsigned v = 0; v < 256; v++)
        offs[(v >> sh) & smask] += hist[v];
    for (unsigned v = 0; v <= smask; v++) {
        size_t cnt = offs[v];
        offs[v] = sum;
        sum += cnt;
    }
}

/*
 * Classes 1..c-1, from the last down: a suffix of class r is the symbol at
 * offset r of byte q followed by the class r+1 suffix of the same byte (for
 * r = c-1: by byte-suffix q+1). So class r is class r+1 (the byte-level
 * order for r = c-1) stably bucketed by that one symbol: a counting sort
 * with 2^b buckets. Each entry's byte travels with it in a side array so
 * that only the first pass reads the text at random. Bytes 0..nbytes-2
 * only: the last byte may be partial (see add_tail).
 * Returns EA_ERR_NOMEM if the side arrays cannot be had.
 */
static ea_status build_classes(merger *g)
{
    size_t hist[256] = {0}, offs[16];
    const uint8_t *pk = g->t->pk;
    unsigned b = 1u << g->t->shift, smask = (1u << b) - 1u;
    size_t full = g->nbytes - 1;
    uint8_t *sb = malloc(full + 1), *db = malloc(full + 1), *tb;

    if (sb == NULL || db == NULL) {
        free(sb);
        free(db);
        return EA_ERR_NOMEM;
    }
    for (size_t q = 0; q < full; q++)
        hist[pk[q]]++;
    for (unsigned r = g->c - 1; r >= 1; r--) {
        unsigned sh = 8u - (r + 1) * b;
        int32_t *dst = g->rest + (size_t)(r - 1) * g->nbytes;
        symbol_offsets(hist, sh, smask, offs);
        if (r == g->c - 1) {
            for (size_t x = 0; x < g->nbytes; x++) {
                int32_t p = g->bsa[x];
                if (p > 0) {
                    uint8_t byte = pk[p - 1];
                    size_t at = offs[((unsigned)byte >> sh) & smask]++;
                    dst[at] = p - 1;
                    db[at] = byte;
                }
            }
        } else {
            const int32_t *src = g->cls[r + 1].q;
            for (size_t x = 0; x < full; x++) {
                uint8_t byte = sb[x];
                size_t at = offs[((unsigned)byte >> sh) & smask]++;
                dst[at] = src[x];
                db[at] = byte;
            }
        }
        g->cls[r].q = dst;
        g->cls[r].len = full;
        tb = sb;
        sb = db;
        db = tb;
    }
    free(sb);
    free(db);
    /* class 0 is the byte-level order without the last byte */
    g->cls[0].q = g->bsa;
    g->cls[0].len = 0;
    for (size_t x = 0; x < g->nbytes; x++)
        if ((size_t)g->bsa[x] != full)
            g->bsa[g->cls[0].len++] = g->bsa[x];
    return EA_OK;
}

/*
 * The suffixes starting in the last byte (which may be partial) are put
 * into their classes by binary search with full comparisons.
 */
static void add_tail(merger *g)
{
    size_t last = g->nbytes - 1, c = g->c;

    for (size_t r = 0; r < c && last * c + r < g->t->n; r++) {
        sclass *k = &g->cls[r];
        size_t pos = last * c + r, lo = 0, hi = k->len;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (suffix_before(g->t, (size_t)k->q[mid] * c + r, pos))
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(k->q + lo + 1, k->q + lo, (k->len - lo) * sizeof *k->q);
        k->q[lo] = (int32_t)last;
        k->len++;
    }
}

/* The next suffix of class r, taken from *next (end: class exhausted). */
static inline entry entry_next(const merger *g, const int32_t **next, const int32_t *end,
                               unsigned r)
{
    entry e;
    size_t q, pos;

    if (*next == end) {
        e.key = UINT64_MAX;
        e.tag = (DONE_POS << POS_SHIFT) | SLOW_BIT | r;
        return e;
    }
    q = (size_t)*(*next)++;
    if (end - *next > LIST_AHEAD)
        __builtin_prefetch(*next + LIST_AHEAD);
    if (end - *next > PREFETCH_AHEAD)
        __builtin_prefetch(g->t->pk + (*next)[PREFETCH_AHEAD]);
    pos = q * g->c + r;
    e.key = window_at(g->t, pos);
    e.tag = ((uint64_t)pos << POS_SHIFT) | r;
    if (pos + g->t->per > g->t->n)
        e.tag |= SLOW_BIT;
    return e;
}

/* entry_before() when the windows do not settle it. */
static int entry_before_slow(ptext *t, const entry *a, const entry *b)
{
    size_t pa = entry_pos(a), pb = entry_pos(b);
    int a_first;

    if (pa == DONE_POS)
        return 0;
    if (pb == DONE_POS)
        return 1;
    if (a->key != b->key) {
        size_t m = t->n - (pa > pb ? pa : pb);
        size_t d = lead_zeros(a->key ^ b->key) >> t->shift;
        if (d < m)
            return a->key < b->key;
        return pa > pb;
    }
    first_difference(t, pa, pb, t->per, &a_first);
    return a_first;
}

/* Does suffix a sort before suffix b (an exhausted class sorts last)? */
static inline int entry_before(ptext *t, const entry *a, const entry *b)
{
    if (((a->tag | b->tag) & SLOW_BIT) || a->key == b->key)
        return entry_before_slow(t, a, b);
    return a->key < b->key;
}

/* Swap a and b when `yes`, without a branch (the outcome is random). */
static inline void entry_swap_if(entry *a, entry *b, int yes)
{
    uint64_t mask = (uint64_t)0 - (uint64_t)(yes != 0), d;

    d = (a->key ^ b->key) & mask;
    a->key ^= d;
    b->key ^= d;
    d = (a->tag ^ b->tag) & mask;
    a->tag ^= d;
    b->tag ^= d;
}

/* Play the subtree under `node` of the loser tree; store losers. */
static entry tree_init(const merger *g, entry *tree, const entry *leaf, unsigned node)
{
    entry a, b;

    if (node >= g->c)
        return leaf[node - g->c];
    a = tree_init(g, tree, leaf, 2 * node);
    b = tree_init(g, tree, leaf, 2 * node + 1);
    entry_swap_if(&a, &b, entry_before(g->t, &b, &a));
    tree[node] = b;
    return a;
}

/*
 * Emit the merged order's LCPs; sets *gave_up past the budget.
 * Each class keeps its next entry staged (window already read), so that
 * replaying the tree after a class advances does not wait for memory.
 */
static ea_status merge_emit(const merger *g, outbuf *o, int *gave_up)
{
    ptext *t = g->t;
    const unsigned c = g->c;
    const int32_t *next[8], *end[8];
    entry leaf[8], stage[8], tree[8], win, prev;

    for (unsigned r = 0; r < c; r++) {
        next[r] = g->cls[r].q;
        end[r] = g->cls[r].q + g->cls[r].len;
        for (unsigned j = 0; j < PREFETCH_AHEAD && j < g->cls[r].len; j++)
            __builtin_prefetch(t->pk + g->cls[r].q[j]);
    }
    for (unsigned r = 0; r < c; r++) {
        leaf[r] = entry_next(g, &next[r], end[r], r);
        stage[r] = entry_next(g, &next[r], end[r], r);
    }
    win = tree_init(g, tree, leaf, 1);
    prev = win;
    for (size_t i = 0; i < t->n; i++) {
        unsigned r = (unsigned)(win.tag & CLASS_MASK);
        if (i > 0) {
            o->buf[o->len++] = (int32_t)lcp_windows(t, entry_pos(&prev), prev.key,
                                                    entry_pos(&win), win.key);
            if (o->len == BLOCK) {
                ea_status st;
                if (t->over || t->work >= t->budget) {
                    *gave_up = 1;
                    return EA_OK;
                }
                if ((st = out_flush(o)) != EA_OK)
                    return st;
            }
        }
        prev = win;
        win = stage[r];
        stage[r] = entry_next(g, &next[r], end[r], r);
        for (unsigned node = (r + c) >> 1; node >= 1; node >>= 1)
            entry_swap_if(&tree[node], &win, entry_before(t, &tree[node], &win));
    }
    if (t->over) {  /* the last, partial block is not to be trusted */
        *gave_up = 1;
        return EA_OK;
    }
    return out_flush(o);
}

static ea_status merged_lcps(ptext *t, const uint8_t *s, const ea_lcp_sink *sink)
{
    merger *g = calloc(1, sizeof *g);
    outbuf *o = malloc(sizeof *o);
    ea_status st = EA_OK;
    int gave_up = 0;

    if (g == NULL || o == NULL) {
        free(g);
        free(o);
        return EA_ERR_NOMEM;
    }
    t->budget = EA_SUFFIX_BUDGET_MERGE * (uint64_t)t->n + EA_SUFFIX_BUDGET_SLACK;
    g->t = t;
    g->c = 8u >> t->shift;
    g->nbytes = (t->n + g->c - 1) / g->c;
    g->bsa = malloc(g->nbytes * sizeof *g->bsa);
    g->rest = malloc((size_t)(g->c - 1) * g->nbytes * sizeof *g->rest);
    if (g->bsa == NULL || g->rest == NULL
        || divsufsort(t->pk, g->bsa, (saidx_t)g->nbytes) != 0) {
        st = EA_ERR_NOMEM;
    } else if ((st = build_classes(g)) == EA_OK) {
        add_tail(g);
        o->sink = sink;
        o->len = 0;
        st = merge_emit(g, o, &gave_up);
    }
    free(g->bsa);
    free(g->rest);
    free(g);
    free(o);
    if (st == EA_OK && gave_up) {
        sink->restart(sink->ctx);
        st = fallback_lcps(t, s, sink);
    }
    return st;
}

/* ------------------------------------------------------------------ */

ea_status ea_suffix_lcps(const uint8_t *s, size_t n, int k, const ea_lcp_sink *sink)
{
    ptext t;
    ea_status st;

    if (s == NULL || sink == NULL || sink->put == NULL || sink->restart == NULL
        || k < 1 || k > 256 || n < 2 || n > EA_SUFFIX_MAX_N)
        return EA_ERR_ARG;
    memset(&t, 0, sizeof t);
    t.shift = shift_for(k);
    st = pack_text(s, n, k, &t);
    if (st != EA_OK)
        return st;
    if (t.shift == 3)
        st = direct_lcps(&t, s, sink);
    else
        st = merged_lcps(&t, s, sink);
    free(t.pk);
    return st;
}
