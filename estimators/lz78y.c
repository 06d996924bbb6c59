/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lz78y.c - LZ78Y Prediction Estimate, SP 800-90B §6.3.10.
 *
 * The predictor keeps a dictionary of strings of 1..B symbols, B = 16
 * (§6.3.10 step 1), with a count for each symbol seen after each string.
 * Before sample i it looks up the B strings that end just before s[i]
 * and predicts the follower with the highest count over all of them
 * (step 3b); then it counts s[i] after every string found, and adds the
 * strings not found with s[i] as their follower while the dictionary has
 * fewer than 65,536 strings (step 3a: maximum dictionary size 65,536).
 * From the number of correct predictions C, the number of predictions N
 * and the longest run of correct predictions, ea_predictor_finish() does
 * steps 4-8.
 *
 * Where NIST's tool (lz78y_test.h, version 1.1.7), not the text, decides
 * an integer, we follow the tool, because C, N and r must be identical:
 *
 *   - Fewer than B + 2 = 18 samples: no estimate (EA_ERR_TOO_SHORT).
 *     N = n - B - 1: the dictionary starts with the B strings that end
 *     at s[15], each followed by s[16], and s[17] is the first sample
 *     predicted.
 *   - The 65,536 limit counts strings, not (string, follower) pairs: a
 *     string already in the dictionary always counts a new follower.
 *   - Strings are visited from the longest to the shortest, so on the
 *     sample that fills the dictionary the longer strings get in first.
 *   - Highest count: over all strings found, the largest count wins; on
 *     equal counts the longest string wins; within one string, on equal
 *     counts the larger symbol is predicted (the text leaves ties open).
 *   - A sample with no string found (no prediction) counts as a wrong
 *     prediction and ends the current run.
 *   - The reported r is the longest run plus one (the text's r); we pass
 *     the run itself to ea_predictor_finish(), which adds the one.
 *
 * Speed. Two facts, both following from the order above, cut the work
 * per sample without changing any result:
 *   (a) Every string in the dictionary has all its suffixes in it,
 *       except possibly strings added on the very sample that filled the
 *       dictionary (their shorter suffixes may have found it full). So
 *       the strings found form a run of lengths 1, 2, ..., a - 1, plus
 *       any of those few exceptional strings: we look lengths up from
 *       the shortest and stop at the first miss.
 *   (b) A string's counts are never below those of a longer string with
 *       the same ending (each occurrence of the longer one, once it is
 *       in the dictionary, is one of the shorter one). So the counts of
 *       the strings found fall with length, the prediction comes from
 *       the longest string whose count equals the shortest's, and the
 *       search for it stops at the first smaller count.
 * Non-binary data use a context map (ctxmap.c); the tool uses ordered
 * maps. Binary data (k == 2) use dense count tables (2^j strings x 2
 * followers for length j, about 1 MiB in all), as the tool does, plus a
 * bit per string saying whether it is in the dictionary (16 KiB). Once
 * the dictionary is full it never changes, and with (a) each sample
 * needs no branch on the data: the lengths all of whose strings are in
 * are counted unconditionally, the others with a running "still found"
 * flag. Samples that add strings (at most 65,536) or might meet one of
 * the exceptional strings take the general path.
 *
 * Limits: n <= 2^31 - 1 (counts and positions are 32-bit).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ctxmap.h"
#include "ea90b.h"

/* §6.3.10 step 1: the longest string, B. */
#define LZ_B 16
/* §6.3.10 step 1: the maximum dictionary size. */
#define LZ_MAX_DICT 65536L

typedef struct {
    long C, run, max_run;
} lz_score;

/* Without branches (right and wrong alternate at random): right is 0 or 1. */
static void lz_outcome(lz_score *sc, int right)
{
    sc->C += right;
    sc->run = (sc->run + 1) & -(long)right;
    sc->max_run = sc->run > sc->max_run ? sc->run : sc->max_run;
}

/* ================================================================ */
/* Non-binary data: one context map for all lengths                   */
/* ================================================================ */

typedef struct {
    const uint8_t *s;
    ea_ctxmap map;
    long size;                   /* strings in the dictionary */
    int full;
    /* strings added on the sample that filled the dictionary, see (a) */
    int nexc;
    int exc_len[LZ_B];           /* ascending */
    uint32_t exc_rec[LZ_B];
    size_t exc_pos;              /* they end just before s[exc_pos] */
    uint64_t exc_hash[LZ_B + 1]; /* hash of s[exc_pos - j .. exc_pos - 1] */
} lz_lit;

/* The strings found before sample i, shortest first. */
typedef struct {
    int n;
    int a;                       /* shortest length not found (B + 1: none) */
    uint32_t rec[LZ_B];
    uint64_t h[LZ_B + 1];        /* h[j]: hash of the length-j string */
} lz_found;

static void lit_lookup(lz_lit *L, size_t i, lz_found *f)
{
    uint64_t h = 0;

    f->n = 0;
    f->a = LZ_B + 1;
    for (int j = 1; j <= LZ_B; j++) {
        uint64_t where = 0;
        uint32_t rec;
        h = ea_ctx_hash_step(h, L->s[i - (size_t)j]);
        f->h[j] = h;
        rec = ea_ctxmap_find(&L->map, h, j, i, &where);
        if (rec == EA_CTX_NONE) {
            f->a = j;
            break;
        }
        f->rec[f->n++] = rec;
    }
    if (!L->full || f->a > LZ_B || L->exc_hash[f->a] != f->h[f->a])
        return;
    for (int e = 0; e < L->nexc; e++) {
        int len = L->exc_len[e];
        if (len > f->a && memcmp(L->s + i - len, L->s + L->exc_pos - (size_t)len,
                                 (size_t)len) == 0)
            f->rec[f->n++] = L->exc_rec[e];
    }
}

/* Add the strings of lengths a..B (all absent) while there is room. */
static ea_status lit_add(lz_lit *L, size_t i, lz_found *f)
{
    uint64_t h = f->h[f->a];
    ea_status st;

    for (int j = f->a + 1; j <= LZ_B; j++)
        f->h[j] = h = ea_ctx_hash_step(h, L->s[i - (size_t)j]);
    for (int j = LZ_B; j >= f->a && L->size < LZ_MAX_DICT; j--) {
        uint32_t rec;
        uint64_t where = 0;
        (void)ea_ctxmap_find(&L->map, f->h[j], j, i, &where);   /* absent, by (a) */
        if ((st = ea_ctxmap_add(&L->map, where, j, i, L->s[i], &rec)) != EA_OK)
            return st;
        L->exc_len[LZ_B - j] = j;   /* kept in case this sample fills it */
        L->exc_rec[LZ_B - j] = rec;
        if (++L->size == LZ_MAX_DICT) {
            /* the strings added now, to ascending length */
            int cnt = LZ_B - j + 1;
            for (int e = 0; e < cnt / 2; e++) {
                uint32_t t = L->exc_rec[e];
                L->exc_rec[e] = L->exc_rec[cnt - 1 - e];
                L->exc_rec[cnt - 1 - e] = t;
            }
            for (int e = 0; e < cnt; e++)
                L->exc_len[e] = j + e;
            L->nexc = cnt;
            L->exc_pos = i;
            memcpy(L->exc_hash, f->h, sizeof(L->exc_hash));
            L->full = 1;
        }
    }
    return EA_OK;
}

static ea_status lit_step(lz_lit *L, lz_score *sc, size_t i)
{
    lz_found f;
    uint32_t best = 0;
    int pred = -1;
    ea_status st;

    lit_lookup(L, i, &f);
    for (int k = 0; k < f.n; k++) {   /* equal counts: the longer string */
        const ea_ctx *r = &L->map.rec[f.rec[k]];
        if (r->best < best)
            break;                     /* (b): no longer string can win */
        best = r->best;
        pred = r->pred;
    }
    if (!L->full && f.a <= LZ_B && (st = lit_add(L, i, &f)) != EA_OK)
        return st;
    for (int k = 0; k < f.n; k++)
        if (ea_ctxmap_bump(&L->map, f.rec[k], L->s[i], 1) < 0)
            return EA_ERR_NOMEM;
    lz_outcome(sc, pred == L->s[i]);
    return EA_OK;
}

static ea_status lz_literal(const uint8_t *s, size_t n, int k, lz_score *sc)
{
    lz_lit *L = calloc(1, sizeof(*L));
    ea_status st;
    uint64_t h = 0;

    if (L == NULL)
        return EA_ERR_NOMEM;
    L->s = s;
    st = ea_ctxmap_init(&L->map, s, k, (uint32_t)LZ_MAX_DICT, 2);
    /* the B strings ending at s[15], each followed by s[16] */
    for (int j = 1; j <= LZ_B && st == EA_OK; j++) {
        uint64_t where = 0;
        h = ea_ctx_hash_step(h, s[LZ_B - j]);
        (void)ea_ctxmap_find(&L->map, h, j, LZ_B, &where);
        st = ea_ctxmap_add(&L->map, where, j, LZ_B, s[LZ_B], NULL);
        L->size++;
    }
    for (size_t i = LZ_B + 1; i < n && st == EA_OK; i++)
        st = lit_step(L, sc, i);
    ea_ctxmap_free(&L->map);
    free(L);
    return st;
}

/* ================================================================ */
/* Binary data: dense tables                                          */
/* ================================================================ */

typedef struct {
    const uint8_t *s;
    uint32_t *table;             /* see bin_pair() */
    uint64_t *present;           /* string in the dictionary: bit 2^j - 2 + string */
    long held[LZ_B + 1];         /* strings of length j in the dictionary */
    int complete;                /* lengths 1..complete hold every string */
    long size;
    int full;
    int nexc;
    int exc_len[LZ_B];
    uint32_t exc_str[LZ_B];
    /* full, and (hist & settle_mask) != settle_key: no exception can match
       (they all end with the string that filled the dictionary) */
    uint32_t settle_mask, settle_key;
} lz_bin;

static inline uint32_t bin_mask(int j)
{
    return (uint32_t)((1ul << j) - 1ul);
}

/*
 * Counts of length j start at 2^(j+1) - 4 + SKEW * j in one table:
 * [string][follower]. Without the skew the tables of lengths >= 10 would
 * all start 4 KiB apart, the entries of one sample would share their
 * low 12 address bits, and the processor would wrongly hold each load
 * back behind the previous store ("4K aliasing"): about 3 times slower.
 */
#define SKEW 16u
#define BIN_CELLS (((size_t)4 << LZ_B) - 4 + SKEW * (LZ_B + 1))
#define BIN_AT(j, hist) ((2u << (j)) - 4u + SKEW * (j) + 2u * ((hist) & ((1u << (j)) - 1u)))

static inline uint32_t *bin_pair(const lz_bin *B, int j, uint32_t hist)
{
    return B->table + BIN_AT((unsigned)j, hist);
}

#define BUMP(j) B->table[BIN_AT(j, hist) + y]++

/* Count follower y after the strings of lengths 1..c (all present). */
static inline void bin_bump_known(lz_bin *B, int c, uint32_t hist, unsigned y)
{
    switch (c) {   /* unrolled: constant offsets and masks */
    case 16: BUMP(16); /* fall through */
    case 15: BUMP(15); /* fall through */
    case 14: BUMP(14); /* fall through */
    case 13: BUMP(13); /* fall through */
    case 12: BUMP(12); /* fall through */
    case 11: BUMP(11); /* fall through */
    case 10: BUMP(10); /* fall through */
    case 9: BUMP(9);   /* fall through */
    case 8: BUMP(8);   /* fall through */
    case 7: BUMP(7);   /* fall through */
    case 6: BUMP(6);   /* fall through */
    case 5: BUMP(5);   /* fall through */
    case 4: BUMP(4);   /* fall through */
    case 3: BUMP(3);   /* fall through */
    case 2: BUMP(2);   /* fall through */
    case 1: BUMP(1);   /* fall through */
    default: break;
    }
}

#undef BUMP

/* Is the length-j string before the sample present? (Bits stay in L1.) */
static inline uint32_t bin_present(const lz_bin *B, unsigned j, uint32_t hist)
{
    uint32_t at = (1u << j) - 2u + (hist & ((1u << j) - 1u));
    return (uint32_t)(B->present[at >> 6] >> (at & 63)) & 1u;
}

static void bin_add(lz_bin *B, int j, uint32_t hist, unsigned y)
{
    uint32_t at = (1u << j) - 2u + (hist & bin_mask(j));

    B->present[at >> 6] |= (uint64_t)1 << (at & 63);
    bin_pair(B, j, hist)[y] = 1;
    B->size++;
    if (++B->held[j] == (1l << j))
        while (B->complete < LZ_B && B->held[B->complete + 1] == (1l << (B->complete + 1)))
            B->complete++;
}

/* Add the strings of lengths a..B (all absent) while there is room. */
static void bin_add_absent(lz_bin *B, uint32_t hist, int a, unsigned y)
{
    for (int j = LZ_B; j >= a && B->size < LZ_MAX_DICT; j--) {
        bin_add(B, j, hist, y);
        B->exc_len[LZ_B - j] = j;
        B->exc_str[LZ_B - j] = hist & bin_mask(j);
        if (B->size == LZ_MAX_DICT) {
            int cnt = LZ_B - j + 1;
            for (int e = 0; e < cnt / 2; e++) {   /* to ascending length */
                int lt = B->exc_len[e];
                uint32_t st = B->exc_str[e];
                B->exc_len[e] = B->exc_len[cnt - 1 - e];
                B->exc_str[e] = B->exc_str[cnt - 1 - e];
                B->exc_len[cnt - 1 - e] = lt;
                B->exc_str[cnt - 1 - e] = st;
            }
            B->nexc = cnt;
            B->full = 1;
            B->settle_mask = bin_mask(j);
            B->settle_key = hist & bin_mask(j);
        }
    }
}

/* Sample i with hist = the last B bits (s[i - 1] lowest). */
static int bin_step(lz_bin *B, uint32_t hist, unsigned y)
{
    int a = B->complete + 1, found[LZ_B], nf = 0, pred = -1;
    uint32_t best = 0;

    while (a <= LZ_B) {
        const uint32_t *p = bin_pair(B, a, hist);
        if ((p[0] | p[1]) == 0)
            break;
        a++;
    }
    for (int j = 1; j < a; j++)
        found[nf++] = j;
    if (B->full && a <= LZ_B)
        for (int e = 0; e < B->nexc; e++)
            if (B->exc_len[e] > a && (hist & bin_mask(B->exc_len[e])) == B->exc_str[e])
                found[nf++] = B->exc_len[e];
    for (int k = 0; k < nf; k++) {
        const uint32_t *p = bin_pair(B, found[k], hist);
        uint32_t c = p[1] >= p[0] ? p[1] : p[0];
        if (c < best)
            break;   /* (b) */
        best = c;
        pred = p[1] >= p[0];
    }
    if (!B->full && a <= LZ_B)
        bin_add_absent(B, hist, a, y);
    for (int k = 0; k < nf; k++)
        bin_pair(B, found[k], hist)[y]++;
    return pred == (int)y;
}

#define CHAIN(j) do {                                                    \
        f &= bin_present(B, (j), hist);                                    \
        B->table[BIN_AT(j, hist) + y] += f;                                \
    } while (0)

/*
 * Dictionary full: count y after the strings of lengths c+1..B that are
 * present. By (a) they are the lengths below the first one missing, so
 * a running flag, added to each count, does it without branches (which
 * would be mispredicted about half of the time).
 */
static inline void bin_bump_chain(lz_bin *B, int c, uint32_t hist, unsigned y)
{
    uint32_t f = 1;

    switch (c + 1) {   /* unrolled, lengths ascending */
    case 1: CHAIN(1);   /* fall through */
    case 2: CHAIN(2);   /* fall through */
    case 3: CHAIN(3);   /* fall through */
    case 4: CHAIN(4);   /* fall through */
    case 5: CHAIN(5);   /* fall through */
    case 6: CHAIN(6);   /* fall through */
    case 7: CHAIN(7);   /* fall through */
    case 8: CHAIN(8);   /* fall through */
    case 9: CHAIN(9);   /* fall through */
    case 10: CHAIN(10); /* fall through */
    case 11: CHAIN(11); /* fall through */
    case 12: CHAIN(12); /* fall through */
    case 13: CHAIN(13); /* fall through */
    case 14: CHAIN(14); /* fall through */
    case 15: CHAIN(15); /* fall through */
    case 16: CHAIN(16); /* fall through */
    default: break;
    }
}

#undef CHAIN

/* Are all lengths above `complete` present (so no string is to be added)? */
static int bin_all_found(const lz_bin *B, uint32_t hist)
{
    for (int j = B->complete + 1; j <= LZ_B; j++)
        if (!bin_present(B, (unsigned)j, hist))
            return 0;
    return 1;
}

/* Largest count of a string and the prediction it makes (1 on a tie). */
static inline uint32_t bin_top(const uint32_t *p, int *pred)
{
    *pred = p[1] >= p[0];
    return p[*pred];
}

/*
 * The prediction when the strings found are lengths 1..a-1 (a): scan
 * from length 1 up and stop at the first missing string or smaller
 * count (b). -1: nothing found.
 */
static int bin_predict(const lz_bin *B, uint32_t hist)
{
    int pred, pj;
    uint32_t best = bin_top(B->table + BIN_AT(1u, hist), &pred), cj;

    if (best == 0)
        return -1;
    cj = bin_top(B->table + BIN_AT(2u, hist), &pj);
    for (int j = 3; cj != 0 && cj >= best; j++) {
        best = cj;
        pred = pj;
        if (j > LZ_B)
            break;
        cj = bin_top(bin_pair(B, j, hist), &pj);
    }
    return pred;
}

/*
 * The common case of bin_step(): no string to add (the dictionary is
 * full, or every length is found) and no exceptional string possible.
 * Returns 1 or 0 for a right or wrong prediction, -1 when bin_step()
 * must do the sample.
 */
static inline int bin_fast_step(lz_bin *B, uint32_t hist, unsigned y)
{
    int settled = B->full && (hist & B->settle_mask) != B->settle_key;
    int pred;

    if (!settled && !bin_all_found(B, hist))
        return -1;
    pred = bin_predict(B, hist);
    if (settled) {
        bin_bump_known(B, B->complete, hist, y);
        bin_bump_chain(B, B->complete, hist, y);
    } else {
        bin_bump_known(B, LZ_B, hist, y);
    }
    return pred == (int)y;
}

#define AHEAD 16   /* samples between prefetching table entries and using them */

/* Hint that the counts of the longest strings before some later sample will be needed. */
static inline void bin_prefetch(const lz_bin *B, uint32_t hist)
{
    ea_ctx_fetch(B->table + BIN_AT(13u, hist));
    ea_ctx_fetch(B->table + BIN_AT(14u, hist));
    ea_ctx_fetch(B->table + BIN_AT(15u, hist));
    ea_ctx_fetch(B->table + BIN_AT(16u, hist));
}

static ea_status lz_binary(const uint8_t *s, size_t n, lz_score *sc)
{
    lz_bin *B = calloc(1, sizeof(*B));
    uint32_t hist = 0, ahead;

    if (B == NULL)
        return EA_ERR_NOMEM;
    B->table = calloc(BIN_CELLS, sizeof(*B->table));
    B->present = calloc(((size_t)2 << LZ_B) / 64, sizeof(*B->present));
    if (B->table == NULL || B->present == NULL) {
        free(B->table);
        free(B->present);
        free(B);
        return EA_ERR_NOMEM;
    }
    B->s = s;
    for (int k = 0; k < LZ_B; k++)
        hist = (hist << 1) | s[k];
    for (int j = 1; j <= LZ_B; j++)   /* the strings ending at s[15] */
        bin_add(B, j, hist, s[LZ_B]);
    ahead = hist;
    for (size_t k = LZ_B + 1; k < LZ_B + 1 + AHEAD && k < n; k++)
        ahead = ((ahead << 1) | s[k - 1]) & bin_mask(LZ_B);
    for (size_t i = LZ_B + 1; i < n; i++) {
        int right;
        if (i + AHEAD < n) {   /* the long strings' counts are in the large tables */
            ahead = ((ahead << 1) | s[i + AHEAD - 1]) & bin_mask(LZ_B);
            bin_prefetch(B, ahead);
        }
        hist = ((hist << 1) | s[i - 1]) & bin_mask(LZ_B);
        if ((right = bin_fast_step(B, hist, s[i])) < 0)
            right = bin_step(B, hist, s[i]);
        lz_outcome(sc, right);
    }
    free(B->table);
    free(B->present);
    free(B);
    return EA_OK;
}

/* ================================================================ */

ea_status ea_lz78y(const uint8_t *s, size_t n, int k, ea_predictor_result *r)
{
    lz_score sc;
    ea_status st;

    if (s == NULL || r == NULL || k < 2 || k > 256 || n > INT32_MAX)
        return EA_ERR_ARG;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= k)
            return EA_ERR_ARG;
    if (n < LZ_B + 2)
        return EA_ERR_TOO_SHORT;
    memset(&sc, 0, sizeof(sc));
    st = k == 2 ? lz_binary(s, n, &sc) : lz_literal(s, n, k, &sc);
    if (st != EA_OK)
        return st;
    return ea_predictor_finish(sc.C, (long)n - LZ_B - 1, sc.max_run, k, r);
}
