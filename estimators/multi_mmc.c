/* SPDX-License-Identifier: Apache-2.0 */
/*
 * multi_mmc.c - Multi Markov Model with Counting (MultiMMC) Prediction
 * Estimate, SP 800-90B §6.3.9.
 *
 * D = 16 sub-predictors (§6.3.9 step 1: D = 16); sub-predictor d
 * (0-based here, d = 0..15) is a Markov model of order d + 1: it counts
 * how often each symbol followed each string of d + 1 symbols (step 3b)
 * and predicts the most frequent follower of the current string
 * (step 3a). Every sub-predictor whose prediction was right gains a
 * point (step 3c); the prediction for the next sample is the one of the
 * sub-predictor with the most points (steps 3a/4). Each model holds at
 * most 100,000 (string, follower) pairs (step 3b: "at most 100,000
 * entries"). From the number of correct predictions C, the number of
 * predictions N and the longest run of correct predictions,
 * ea_predictor_finish() does steps 5-9.
 *
 * Where NIST's tool (multi_mmc_test.h, version 1.1.7), not the text,
 * decides an integer, we follow the tool, because C, N and r must be
 * identical:
 *
 *   - Fewer than 3 samples: no estimate (EA_ERR_TOO_SHORT). N = n - 2.
 *   - The models are filled and queried in one pass. Model d first
 *     learns the pair (s[0..d], s[d+1]) and first predicts s[d+2];
 *     the first sample predicted at all is s[2].
 *   - Counting pairs: while a model holds fewer than 100,000 pairs a new
 *     string or a new follower of a known string is added; after that
 *     known pairs are still incremented, new ones are dropped. The
 *     count of held pairs is the tool's: it also grows by one whenever a
 *     pair is "added" for a string inferred absent (next item) but
 *     actually present, in which case the existing pair is incremented
 *     (or the follower added to the existing string).
 *   - Once the string of order d is not found, the longer strings are
 *     taken to be absent without looking them up: those models make no
 *     prediction for this sample and try to add their pair as new.
 *     (With full models a longer string can in fact be present; the
 *     tool's bookkeeping, reproduced here, then applies.)
 *   - Most frequent follower: the largest symbol among those with the
 *     highest count (the text leaves ties open).
 *   - Scoring is done model by model from d = 0 up; the leader changes
 *     when a model's new score is >= the leader's current score, so on
 *     equal scores the higher-order model that scored last leads. The
 *     initial leader is model 0, so when model 0 has no prediction the
 *     sample is simply not counted.
 *   - A model that makes no prediction neither scores nor resets the
 *     current run of correct predictions: only a wrong prediction of
 *     the leader ends a run (the text counts a missing prediction as
 *     wrong). This changes C never, the longest run sometimes.
 *   - The reported r is the longest run plus one (the text's r); we pass
 *     the run itself to ea_predictor_finish(), which adds the one.
 *
 * Speed. Non-binary data use one context map per model (ctxmap.c);
 * the tool uses ordered maps. When the lookup of a string fails in a
 * model that has never been full, the longer strings cannot be in their
 * models either (had one occurred, this shorter one would have been
 * added); their new entries are then appended without touching the
 * index, which catches up only if that model is looked up later. This
 * matters while the models fill: about 1.5 million strings for 8-bit
 * random data, most of them never looked up again.
 *
 * Binary data (k == 2) use dense tables, as the tool does. For models
 * 0..14 (at most 2^16 pairs each, so the cap never applies) only the
 * difference c1 - c0 of a string's two counts matters, and whether the
 * string was seen: one int32 per string (256 KiB in all); model 15 keeps
 * both counts (512 KiB) to apply the cap. The data go in blocks of 4096
 * samples: each model runs over the block on its own (three at a time
 * in one loop), recording for every sample whether it had a prediction
 * and whether it was right (two bits), then the scoring is replayed
 * from those bits. A model whose score is far below the leader's cannot
 * take the lead for many samples, so its score is advanced by counting
 * bits; only models close to the lead are replayed sample by sample.
 * For binary data the "taken to be absent" rule never differs from a
 * lookup: models 0..14 cannot fill up, and a string seen once has had
 * all its suffixes seen at the same moment.
 *
 * Limits: n <= 2^31 - 1 (counts, differences and positions are 32-bit).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bits.h"
#include "ctxmap.h"
#include "ea90b.h"

/* §6.3.9 step 1: the number of sub-predictors. */
#define MMC_D 16
/* §6.3.9 step 3b: pairs a model may hold. */
#define MMC_MAX_ENTRIES 100000L

/* Scoring state shared by both paths. */
typedef struct {
    long score[MMC_D];
    int leader;
    long C, run, max_run;
} mmc_score;

/* Model d predicted right; `cur` led when this sample began. */
static void score_right(mmc_score *sc, int d, int cur)
{
    if (++sc->score[d] >= sc->score[sc->leader])
        sc->leader = d;
    if (d == cur) {
        sc->C++;
        if (++sc->run > sc->max_run)
            sc->max_run = sc->run;
    }
}

static void score_wrong(mmc_score *sc, int d, int cur)
{
    if (d == cur)
        sc->run = 0;
}

/* ================================================================ */
/* Non-binary data: one context map per model                         */
/* ================================================================ */

typedef struct {
    const uint8_t *s;
    ea_ctxmap map[MMC_D];
    long entries[MMC_D];
    uint32_t open;   /* bit d: model d may still add pairs */
    int top;         /* max(2, highest model in `open`) */
    int reach;       /* the highest model looked up for the last sample */
} mmc_lit;

static void lit_free(mmc_lit *L)
{
    for (int d = 0; d < MMC_D; d++)
        ea_ctxmap_free(&L->map[d]);
}

static void lit_set_top(mmc_lit *L)
{
    L->top = 2;
    for (int d = 3; d < MMC_D; d++)
        if ((L->open >> d) & 1u)
            L->top = d;
}

static void lit_count_entry(mmc_lit *L, int d)
{
    if (++L->entries[d] >= MMC_MAX_ENTRIES) {
        L->open &= ~(1u << d);
        lit_set_top(L);
    }
}

/* The highest model used for sample i. */
static int lit_dmax(size_t i)
{
    return i - 2 < (size_t)MMC_D - 1 ? (int)(i - 2) : MMC_D - 1;
}

/*
 * Have the index slots that sample i will probe fetched meanwhile (a
 * sample early: they are mostly cache misses): the strings of length up
 * to 3, of models that may still add, and as far as the last sample's
 * lookups went (predictable data find long strings).
 */
static void lit_prefetch(const mmc_lit *L, size_t i)
{
    int far = L->reach + 1 > L->top ? L->reach + 1 : L->top;
    uint64_t h = 0;

    for (int d = 0; d <= lit_dmax(i) && d <= far; d++) {
        h = ea_ctx_hash_step(h, L->s[i - (size_t)d - 1]);
        if (d < 3 || d <= L->reach + 1 || ((L->open >> d) & 1u))
            ea_ctxmap_prefetch(&L->map[d], h, d + 1);
    }
}

/* Model d predicts s[i] from its string rec (step 3a, 3c), then counts s[i] (3b). */
static ea_status lit_predict(mmc_lit *L, mmc_score *sc, int d, uint32_t rec, size_t i, int cur)
{
    int b;

    if (L->map[d].rec[rec].pred == L->s[i])
        score_right(sc, d, cur);
    else
        score_wrong(sc, d, cur);
    b = ea_ctxmap_bump(&L->map[d], rec, L->s[i], (L->open >> d) & 1u);
    if (b < 0)
        return EA_ERR_NOMEM;
    if (b == EA_BUMP_NEW)
        lit_count_entry(L, d);
    return EA_OK;
}

/*
 * Step 3b for a string taken to be absent from model d (which still has
 * room). `at`: the lookup in this model just failed, and says where the
 * string goes. `sure`: the lookup that failed was in a model never full,
 * which would hold the shorter string had this one ever occurred; so it
 * is absent and no lookup is needed (the index catches up later).
 * Otherwise the string may exist after all (see above), and is then
 * counted as the tool does.
 */
static ea_status lit_absent(mmc_lit *L, int d, uint64_t h, size_t i, int sure, const uint64_t *at)
{
    ea_ctxmap *m = &L->map[d];
    ea_status st;
    uint64_t where = 0;
    uint32_t rec;

    if (at != NULL)
        st = ea_ctxmap_add(m, *at, d + 1, i, L->s[i], NULL);
    else if (sure)
        st = ea_ctxmap_append(m, h, d + 1, i, L->s[i]);
    else if ((rec = ea_ctxmap_find(m, h, d + 1, i, &where)) == EA_CTX_NONE)
        st = ea_ctxmap_add(m, where, d + 1, i, L->s[i], NULL);
    else
        st = ea_ctxmap_bump(m, rec, L->s[i], 1) < 0 ? EA_ERR_NOMEM : EA_OK;
    if (st == EA_OK)
        lit_count_entry(L, d);
    return st;
}

/* Steps 3a-3c for sample i (i >= 2). */
static ea_status lit_step(mmc_lit *L, mmc_score *sc, size_t i)
{
    const uint8_t *s = L->s;
    int cur = sc->leader, found = 1, sure = 0, dmax = lit_dmax(i);
    uint64_t h = 0;

    for (int d = 0; d <= dmax; d++) {
        int open = (L->open >> d) & 1u;
        ea_status st = EA_OK;
        h = ea_ctx_hash_step(h, s[i - (size_t)d - 1]);
        if (found) {
            uint64_t where = 0;
            uint32_t rec = ea_ctxmap_find(&L->map[d], h, d + 1, i, &where);
            L->reach = d;
            if (rec != EA_CTX_NONE) {
                if ((st = lit_predict(L, sc, d, rec, i, cur)) != EA_OK)
                    return st;
                continue;
            }
            found = 0;      /* this and all longer strings count as absent */
            sure = open;
            if (open)
                st = lit_absent(L, d, h, i, 1, &where);
        } else if (open) {
            st = lit_absent(L, d, h, i, sure, NULL);
        }
        if (st != EA_OK)
            return st;
        if ((L->open >> (d + 1)) == 0)
            break;   /* no prediction and no model above may change */
    }
    return EA_OK;
}

/* The most strings model d can hold: MAX_ENTRIES, n, k^(d+1). */
static uint32_t lit_max_strings(size_t n, int k, int d)
{
    uint64_t most = n < (size_t)MMC_MAX_ENTRIES ? n : (uint64_t)MMC_MAX_ENTRIES, kd = 1;

    for (int l = 0; l <= d && kd < most; l++)
        kd *= (uint64_t)k;
    return (uint32_t)(kd < most ? kd : most);
}

static ea_status mmc_literal(const uint8_t *s, size_t n, int k, mmc_score *sc)
{
    mmc_lit *L = calloc(1, sizeof(*L));
    ea_status st = EA_OK;

    if (L == NULL)
        return EA_ERR_NOMEM;
    L->s = s;
    /* small indexes where few strings can exist keep the probes in cache */
    for (int d = 0; d < MMC_D && st == EA_OK; d++)
        st = ea_ctxmap_init(&L->map[d], s, k, lit_max_strings(n, k, d), d < 2 ? d + 1 : 0);
    /* Model d starts with the pair (s[0..d], s[d+1]) when d < N. */
    for (int d = 0; d < MMC_D && st == EA_OK && (size_t)d + 2 < n; d++) {
        uint64_t h = 0, where = 0;
        for (int l = 1; l <= d + 1; l++)
            h = ea_ctx_hash_step(h, s[d + 1 - l]);
        (void)ea_ctxmap_find(&L->map[d], h, d + 1, (size_t)d + 1, &where);
        st = ea_ctxmap_add(&L->map[d], where, d + 1, (size_t)d + 1, s[d + 1], NULL);
        L->entries[d] = 1;
        L->open |= 1u << d;
    }
    lit_set_top(L);
    for (size_t i = 2; i < n && st == EA_OK; i++) {
        if (i + 1 < n)
            lit_prefetch(L, i + 1);
        st = lit_step(L, sc, i);
    }
    lit_free(L);
    free(L);
    return st;
}

/* ================================================================ */
/* Binary data: dense tables, one model at a time per block           */
/* ================================================================ */

#define BLK_WORDS 64
#define BLK_STEPS ((size_t)BLK_WORDS * 64u)
/* Models this far below the leader are advanced by bit counts. */
#define NEAR_GAP 24
/* The last model, the only one whose 2^(d+2) possible pairs exceed the cap. */
#define LAST (MMC_D - 1)
/* A string not seen yet (a difference can never reach it). */
#define UNSEEN INT32_MIN
/*
 * Extra cells between the models' tables. Without them the tables of
 * models >= 9 would start 4 KiB apart, the entries used for one sample
 * would share their low 12 address bits, and the processor would wrongly
 * hold each load back behind the previous model's store ("4K aliasing"):
 * several times slower.
 */
#define SKEW 16u

/*
 * Models 0..LAST-1 never reach the cap, and for them a string's two
 * follower counts matter only through their difference c1 - c0 (the
 * prediction is 1 when it is >= 0) and whether the string was seen at
 * all. So they keep one signed difference per string, UNSEEN until the
 * string first occurs; the last model keeps both counts, to know which
 * pairs it holds.
 *
 * Per block, bit 63 - (t mod 64) of word t / 64 stands for the block's
 * sample t (the first sample of a word is its top bit): words are built
 * as w = 2w + bit.
 */
typedef struct {
    const uint8_t *s;
    int32_t *diff_mem;                /* [0] is scratch, then every model's differences */
    int32_t *diff[LAST];              /* model d: c1 - c0 per string of d + 1 bits */
    uint32_t *last;                   /* model LAST: [string][follower] counts */
    uint32_t ctx[MMC_D];              /* model d's string before the next sample */
    long seen[MMC_D];                 /* strings model d has seen */
    long last_pairs;                  /* pairs held by model LAST */
    uint64_t right[MMC_D][BLK_WORDS]; /* model right on this sample */
    uint64_t made[MMC_D][BLK_WORDS];  /* model had a prediction */
    uint64_t unseen[MMC_D][BLK_WORDS]; /* first sighting of a string (no prediction) */
} mmc_bin;

/* The top nb bits, 1 <= nb <= 64. */
static inline uint64_t top_bits(int nb)
{
    return ~(uint64_t)0 << (64 - nb);
}

/* The low nb bits, 1 <= nb <= 64. */
static inline uint64_t low_bits(int nb)
{
    return ~(uint64_t)0 >> (64 - nb);
}

/* Store the bits of samples [t0, t1) (one word) built as w = 2w + bit. */
static void put_bits(uint64_t *word, size_t t1, uint64_t w)
{
    unsigned end = (unsigned)(t1 & 63);
    *word |= end ? w << (64 - end) : w;
}

/* Bits [a, b) of a block bit array. */
static inline long count_bits(const uint64_t *w, size_t a, size_t b)
{
    long c = 0;

    while (a < b) {
        unsigned lo = (unsigned)(a & 63);
        int nb = (int)((b - a) < 64u - lo ? (b - a) : 64u - lo);
        c += ea_pop64((w[a >> 6] << lo) & top_bits(nb));
        a += (size_t)nb;
    }
    return c;
}

/* Predicted right: with v = c1 - c0, the prediction is 1 iff v >= 0. */
static inline unsigned diff_right(int32_t v, unsigned y)
{
    return ((uint32_t)v >> 31) ^ y;
}

/*
 * One sample for a model below LAST: returns the bit "predicted right",
 * adds "had a prediction" to *made, and counts y (dy = +1 for y = 1,
 * -1 for y = 0).
 */
static inline unsigned any_step(int32_t *p, unsigned y, int32_t dy, uint64_t *made)
{
    int32_t v = *p;
    unsigned seen = v != UNSEEN;

    *made = 2 * *made + seen;
    *p = (seen ? v : 0) + dy;
    return seen & diff_right(v, y);
}

/* Model d < LAST over samples [lo, hi) of the block starting at i0. */
static void model_single(mmc_bin *B, int d, size_t i0, size_t lo, size_t hi)
{
    const uint8_t *s = B->s;
    int32_t *diff = B->diff[d];
    uint32_t mask = (2u << d) - 1u, ctx = B->ctx[d];

    while (lo < hi) {
        size_t t0 = lo - i0, end = i0 + (t0 | 63) + 1;
        uint64_t rw = 0, mw = 0;
        if (end > hi)
            end = hi;
        for (; lo < end; lo++) {
            unsigned y = s[lo];
            ctx = ((ctx << 1) | s[lo - 1]) & mask;
            B->seen[d] += diff[ctx] == UNSEEN;
            rw = 2 * rw + any_step(diff + ctx, y, 2 * (int32_t)y - 1, &mw);
        }
        put_bits(&B->right[d][t0 >> 6], lo - i0, rw);
        put_bits(&B->made[d][t0 >> 6], lo - i0, mw);
    }
    B->ctx[d] = ctx;
}

#define AHEAD 16   /* samples between prefetching a table entry and using it */

/* Model LAST over samples [lo, hi): two counts per string, capped pairs. */
static void model_last(mmc_bin *B, size_t i0, size_t lo, size_t hi, size_t n)
{
    const uint8_t *s = B->s;
    uint32_t *cnt = B->last;
    uint32_t mask = (2u << LAST) - 1u, ctx = B->ctx[LAST], ahead = ctx;
    long pairs = B->last_pairs;

    for (size_t k = lo; k < lo + AHEAD && k < n; k++)
        ahead = ((ahead << 1) | s[k - 1]) & mask;
    while (lo < hi) {
        size_t t0 = lo - i0, end = i0 + (t0 | 63) + 1;
        uint64_t rw = 0, mw = 0;
        if (end > hi)
            end = hi;
        for (; lo < end; lo++) {   /* without branches: they would be mispredicted */
            unsigned y = s[lo], made, add;
            uint32_t *p, cy, co;
            if (lo + AHEAD < n) {
                ahead = ((ahead << 1) | s[lo + AHEAD - 1]) & mask;
                ea_ctx_fetch(cnt + 2 * ahead);   /* known early from the data */
            }
            ctx = ((ctx << 1) | s[lo - 1]) & mask;
            p = cnt + 2 * ctx;
            cy = p[y];
            co = p[y ^ 1u];
            made = (cy | co) != 0;
            rw = 2 * rw + (made & (co < cy + y));   /* larger count, or a tie and y = 1 */
            mw = 2 * mw + made;
            add = cy == 0 && pairs < MMC_MAX_ENTRIES;   /* a new pair, if there is room */
            p[y] = cy + (cy != 0 || add);
            pairs += add;
        }
        put_bits(&B->right[LAST][t0 >> 6], lo - i0, rw);
        put_bits(&B->made[LAST][t0 >> 6], lo - i0, mw);
    }
    B->ctx[LAST] = ctx;
    B->last_pairs = pairs;
}

/* The last 16 samples before s[i0], s[i0 - 1] lowest (zeros before s[0]). */
static uint32_t history(const uint8_t *s, size_t i0)
{
    uint32_t h = 0;

    for (int k = MMC_D; k >= 1; k--)
        h = (h << 1) | (i0 >= (size_t)k ? s[i0 - (size_t)k] : 0u);
    return h;
}

/*
 * A model's first sighting of a string (rare: at most once per string):
 * no prediction, so the sample is marked in `unseen`, and the difference
 * starts from 0.
 */
static int32_t first_sighting(mmc_bin *B, int d, size_t t)
{
    B->unseen[d][t >> 6] |= (uint64_t)1 << (63 - (t & 63));
    return 0;
}

/* One sample for model ds[k] (p: the string's entry); adds "right" to w. */
#define GROUP_STEP(p, v, w, k)                                              \
    do {                                                                    \
        v = *(p);                                                           \
        if (check && v == UNSEEN)                                           \
            v = first_sighting(B, ds[k], lo - i0);                          \
        *(p) = v + dy;                                                      \
        w = 2 * w + diff_right(v, y);                                       \
    } while (0)

/*
 * Up to three models below LAST over the whole block (three: with four,
 * x86-64 runs out of registers). Every sample is taken to get a
 * prediction; with `check`, the rare first sightings are marked in
 * `unseen` and removed afterwards (without, all strings are known).
 */
#if defined(__GNUC__)
__attribute__((always_inline))   /* one copy per value of `check` */
#endif
static inline void group_body(mmc_bin *B, const int *ds, int nd, size_t i0, size_t i1, int check)
{
    const uint8_t *s = B->s;
    int32_t *t0 = B->diff_mem, *t1 = B->diff_mem, *t2 = B->diff_mem;
    uint32_t m0 = 0, m1 = 0, m2 = 0, h = history(s, i0);

    switch (nd) {   /* the models given; the rest use the scratch cell */
    default: t2 = B->diff[ds[2]]; m2 = (2u << ds[2]) - 1u; /* fall through */
    case 2: t1 = B->diff[ds[1]]; m1 = (2u << ds[1]) - 1u;  /* fall through */
    case 1: t0 = B->diff[ds[0]]; m0 = (2u << ds[0]) - 1u;
    }
    for (size_t lo = i0; lo < i1;) {
        size_t b0 = lo - i0, end = i0 + (b0 | 63) + 1;
        uint64_t w0 = 0, w1 = 0, w2 = 0, w[3];
        if (end > i1)
            end = i1;
        for (; lo < end; lo++) {
            unsigned y = s[lo];
            int32_t dy = 2 * (int32_t)y - 1, v0, v1, v2;
            GROUP_STEP(t0 + (h & m0), v0, w0, 0);
            GROUP_STEP(t1 + (h & m1), v1, w1, 1);
            GROUP_STEP(t2 + (h & m2), v2, w2, 2);
            h = (h << 1) | y;
        }
        w[0] = w0, w[1] = w1, w[2] = w2;
        for (int k = 0; k < nd; k++) {
            put_bits(&B->right[ds[k]][b0 >> 6], lo - i0, w[k]);
            put_bits(&B->made[ds[k]][b0 >> 6], lo - i0, low_bits((int)(lo - i0 - b0)));
        }
    }
    for (int k = 0; k < nd; k++) {
        int d = ds[k];
        B->ctx[d] = h & ((2u << d) - 1u);
        for (int wi = 0; check && wi < BLK_WORDS; wi++) {   /* no prediction at first sightings */
            B->right[d][wi] &= ~B->unseen[d][wi];
            B->made[d][wi] &= ~B->unseen[d][wi];
            B->seen[d] += ea_pop64(B->unseen[d][wi]);
        }
    }
}

#undef GROUP_STEP

/* Models some of whose strings are still unseen. */
static void group_any(mmc_bin *B, const int *ds, int nd, size_t i0, size_t i1)
{
    group_body(B, ds, nd, i0, i1, 1);
}

/* Models all of whose strings have been seen. */
static void group_known(mmc_bin *B, const int *ds, int nd, size_t i0, size_t i1)
{
    group_body(B, ds, nd, i0, i1, 0);
}

/* Runs of the fixed leader over nb samples: right bits r, made bits m (top first). */
static void run_word(mmc_score *sc, uint64_t r, uint64_t m, int nb)
{
    uint64_t all = top_bits(nb), zeros;
    long len = 0;

    r &= all;
    if ((m & all) != all) {   /* a sample without prediction: one by one */
        for (int k = 63; k >= 64 - nb; k--) {
            if ((r >> k) & 1u) {
                if (++sc->run > sc->max_run)
                    sc->max_run = sc->run;
            } else if ((m >> k) & 1u) {
                sc->run = 0;
            }
        }
        return;
    }
    if (r == all) {
        sc->run += nb;
        if (sc->run > sc->max_run)
            sc->max_run = sc->run;
        return;
    }
    zeros = ~r & all;
    if (sc->run + ea_leading_zeros(zeros) > sc->max_run)
        sc->max_run = sc->run + ea_leading_zeros(zeros);
    for (uint64_t x = r; x; x &= x << 1)
        len++;
    if (len > sc->max_run)
        sc->max_run = len;
    sc->run = ea_lowest_bit(zeros) - (64 - nb);
}

/* Samples [a, b) of the block while the leader cannot change. */
static void replay_fixed(mmc_bin *B, mmc_score *sc, size_t a, size_t b)
{
    int w = sc->leader;

    sc->C += count_bits(B->right[w], a, b);
    while (a < b) {
        unsigned lo = (unsigned)(a & 63);
        int nb = (int)((b - a) < 64u - lo ? (b - a) : 64u - lo);
        run_word(sc, B->right[w][a >> 6] << lo, B->made[w][a >> 6] << lo, nb);
        a += (size_t)nb;
    }
}

/* Samples [a, b) one by one, scoring only the models in `near`. */
static void replay_near(mmc_bin *B, mmc_score *sc, uint32_t near, size_t a, size_t b)
{
    for (size_t t = a; t < b; t++) {
        size_t wi = t >> 6;
        unsigned sh = 63u - (unsigned)(t & 63);
        int cur = sc->leader;
        for (uint32_t q = near; q; q &= q - 1) {
            int d = ea_lowest_bit(q);
            if ((B->right[d][wi] >> sh) & 1u)
                score_right(sc, d, cur);
            else if ((B->made[d][wi] >> sh) & 1u)
                score_wrong(sc, d, cur);
        }
    }
}

/*
 * Score samples [0, nsteps) of the block. A model whose score is g below
 * the leader's can reach it no sooner than g samples on, and the
 * leader's score never falls; so for the next (smallest such g) - 1
 * samples only the models near the lead need a sample-by-sample replay.
 */
static void bin_score_block(mmc_bin *B, mmc_score *sc, size_t nsteps)
{
    size_t t = 0;

    while (t < nsteps) {
        long top = sc->score[sc->leader];
        size_t span = nsteps - t;
        uint32_t near = 0;
        for (int d = 0; d < MMC_D; d++) {
            long g = top - sc->score[d];
            if (g <= NEAR_GAP)
                near |= 1u << d;
            else if ((size_t)(g - 1) < span)
                span = (size_t)(g - 1);
        }
        if (near == (1u << sc->leader)) {
            replay_fixed(B, sc, t, t + span);
            near = 0;
        } else {
            replay_near(B, sc, near, t, t + span);
        }
        for (int d = 0; d < MMC_D; d++)
            if (!((near >> d) & 1u))
                sc->score[d] += count_bits(B->right[d], t, t + span);
        t += span;
    }
}

/*
 * Run every model over the block [i0, i1): models below LAST in groups
 * of three, those with all strings seen apart; a model that starts
 * inside the block (only at the very beginning) runs alone; then LAST.
 */
static void bin_models_block(mmc_bin *B, size_t i0, size_t i1, size_t n)
{
    int known[LAST], any[LAST], nk = 0, na = 0;
    size_t lo;

    for (int d = 0; d < LAST; d++) {
        lo = i0 > (size_t)d + 2 ? i0 : (size_t)d + 2;
        if (lo > i0 && lo < i1)
            model_single(B, d, i0, lo, i1);
        else if (lo == i0 && B->seen[d] == (2l << d))
            known[nk++] = d;
        else if (lo == i0)
            any[na++] = d;
    }
    for (int g = 0; g < nk; g += 3)
        group_known(B, known + g, nk - g < 3 ? nk - g : 3, i0, i1);
    for (int g = 0; g < na; g += 3)
        group_any(B, any + g, na - g < 3 ? na - g : 3, i0, i1);
    lo = i0 > (size_t)LAST + 2 ? i0 : (size_t)LAST + 2;
    if (lo < i1)
        model_last(B, i0, lo, i1, n);
}

static void bin_free(mmc_bin *B)
{
    free(B->diff_mem);
    free(B->last);
    free(B);
}

static mmc_bin *bin_new(const uint8_t *s)
{
    mmc_bin *B = calloc(1, sizeof(*B));
    /* diff_mem[0]: scratch; model d at 2^(d+1) - 1 + SKEW * d, see SKEW */
    size_t at = 1, cells = ((size_t)2 << LAST) - 1 + SKEW * LAST;

    if (B == NULL)
        return NULL;
    B->s = s;
    B->diff_mem = malloc(cells * sizeof(*B->diff_mem));
    B->last = calloc((size_t)4 << LAST, sizeof(*B->last));
    if (B->diff_mem == NULL || B->last == NULL) {
        bin_free(B);
        return NULL;
    }
    for (size_t k = 0; k < cells; k++)
        B->diff_mem[k] = UNSEEN;
    B->diff_mem[0] = 0;   /* the scratch cell must never look unseen */
    for (int d = 0; d < LAST; d++) {
        B->diff[d] = B->diff_mem + at;
        at += ((size_t)2 << d) + SKEW;
    }
    return B;
}

/* Model d's first pair (s[0..d], s[d+1]). */
static void bin_first_pair(mmc_bin *B, int d)
{
    const uint8_t *s = B->s;
    uint32_t ctx = 0;

    for (int l = 0; l <= d; l++)
        ctx = (ctx << 1) | s[l];
    B->ctx[d] = ctx;
    B->seen[d] = 1;
    if (d == LAST) {
        B->last[2 * ctx + s[d + 1]] = 1;
        B->last_pairs = 1;
    } else {
        B->diff[d][ctx] = 2 * (int32_t)s[d + 1] - 1;
    }
}

static ea_status mmc_binary(const uint8_t *s, size_t n, mmc_score *sc)
{
    mmc_bin *B = bin_new(s);

    if (B == NULL)
        return EA_ERR_NOMEM;
    for (int d = 0; d < MMC_D && (size_t)d + 2 < n; d++)
        bin_first_pair(B, d);
    for (size_t i0 = 2; i0 < n; i0 += BLK_STEPS) {
        size_t i1 = n - i0 > BLK_STEPS ? i0 + BLK_STEPS : n;
        memset(B->right, 0, sizeof(B->right));
        memset(B->made, 0, sizeof(B->made));
        memset(B->unseen, 0, sizeof(B->unseen));
        bin_models_block(B, i0, i1, n);
        bin_score_block(B, sc, i1 - i0);
    }
    bin_free(B);
    return EA_OK;
}

/* ================================================================ */

ea_status ea_multi_mmc(const uint8_t *s, size_t n, int k, ea_predictor_result *r)
{
    mmc_score sc;
    ea_status st;

    if (s == NULL || r == NULL || k < 2 || k > 256 || n > INT32_MAX)
        return EA_ERR_ARG;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= k)
            return EA_ERR_ARG;
    if (n < 3)
        return EA_ERR_TOO_SHORT;
    memset(&sc, 0, sizeof(sc));
    st = k == 2 ? mmc_binary(s, n, &sc) : mmc_literal(s, n, k, &sc);
    if (st != EA_OK)
        return st;
    return ea_predictor_finish(sc.C, (long)n - 2, sc.max_run, k, r);
}
