/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sa_estimates.c - SP 800-90B §6.3.5 t-Tuple Estimate and §6.3.6 Longest
 * Repeated Substring (LRS) Estimate, both from one pass over the LCP
 * sequence of the suffix array (suffix.c), as NIST's tool computes them
 * together (SAalgs() in its shared/lrs_test.h).
 *
 * §6.3.5 (L samples, alphabet k):
 *   step 1  t = the largest length such that the most common t-tuple
 *           occurs at least 35 times (35: the cut-off fixed by §6.3.5);
 *   step 2  Q[i] = occurrences of the most common i-tuple, 1 <= i <= t;
 *   step 3  P[i] = Q[i] / (L - i + 1), P_max = max_i P[i]^(1/i);
 *   step 4  p_u = min(1, P_max + Z sqrt(P_max (1 - P_max) / (L - 1)));
 *   step 5  min-entropy = -log2(p_u).
 * §6.3.6:
 *   step 1  u = the smallest length whose most common u-tuple occurs
 *           fewer than 35 times (so u = t + 1);
 *   step 2  v = the largest length whose most common v-tuple occurs at
 *           least twice (the longest repeated substring);
 *   step 3  for W = u..v: P_W = sum over the distinct W-tuples of
 *           C(count, 2), divided by C(L - W + 1, 2);
 *   step 4  p-hat = max_W P_W^(1/W);
 *   step 5  p_u as in §6.3.5 step 4;  step 6  min-entropy = -log2(p_u).
 * Occurrences overlap (every starting position counts).
 *
 * From the LCP sequence. Sorting the suffixes makes every set of positions
 * that share their first t symbols a run of consecutive suffixes: a
 * maximal run in which all neighbour LCPs are >= t. These runs nest (the
 * "LCP-interval tree"); a node has a level h (the smallest LCP inside it),
 * a size (number of suffixes) and is the run for every length t with
 * parent level < t <= h. Hence
 *   Q[t] = the largest size of a node with level >= t, and
 *   S[t] = sum of C(size, 2) over the nodes with parent < t <= h.
 * One left-to-right pass with a stack of open nodes (level, first suffix)
 * closes each node once, bottom-up. Let H35 be the deepest level of a node
 * with >= 35 suffixes: then Q[t] >= 35 exactly for t <= H35, so the
 * §6.3.5 t is H35 and the §6.3.6 u is H35 + 1. Only nodes of size >= 35
 * ("big") can matter to Q[1..H35], and only nodes of size < 35 to S[u..v]
 * (a big node's level is <= H35 < u).
 *   - Big nodes at levels up to LEVEL_CAP update a per-level maximum; P_max
 *     is then formed level by level as the reference does.
 *   - Deeper big nodes (only highly repetitive data have them, possibly at
 *     millions of levels) are not stored by level. Within one node's range
 *     of lengths, (size / (L - t + 1))^(1/t) strictly increases with t, so
 *     the maximum over t is reached at the level of a node whose size is
 *     Q there: P_max over those lengths is the maximum over the deep big
 *     nodes of (size / (L - h + 1))^(1/h), kept as nodes close (see
 *     tt_screen) without an array over levels.
 *   - Small nodes update a per-level difference array (S[t] is its suffix
 *     sum), kept only for levels above the H35 seen so far, which is never
 *     below the final u.
 * Memory beyond the LCP producer: the stack (its depth is the nesting
 * depth, tiny unless the data are highly repetitive, in which case it
 * lives in buffers the producer lends, see ea_lcp_sink.put_all) and the
 * arrays over levels.
 *
 * Where we follow NIST's code (1.1.7) rather than the text:
 *   - long double throughout p-hat and p_u (the tool prints p-hat_max and
 *     p_u with %.22Lg), powl for the i-th roots, Z = 2.575829303548900384158
 *     (EA_ZALPHA_L) rather than the text's 2.576, and the min-entropy is
 *     -log2l(p_u) rounded to double;
 *   - when no tuple occurs 35 times (t would be 0) the t-tuple estimate is
 *     omitted (valid = 0), and when v < u the LRS estimate is omitted; the
 *     text does not say what to do in either case. A string with no
 *     repeated symbol at all (v = 0, where the tool's assertions fail)
 *     gives both omitted;
 *   - C(L - W + 1, 2) and the numerator sums are exact 64-bit integers,
 *     converted to long double only for the quotient, as in the tool.
 * The maxima are the reference's to the last digit: every term that can be
 * the maximum is evaluated with the reference's expression (see
 * max_root()); terms that cannot are skipped.
 * Lengths are counted in symbols of the string given: NIST runs this once
 * on the literal symbols and once on the bitstring (k = 2).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"
#include "numeric.h"
#include "suffix.h"

/* §6.3.5 step 1 / §6.3.6 step 1: occurrences needed for a tuple to count */
#define TUPLE_MIN_COUNT 35

/* Deepest level with a per-level maximum of big nodes (256 KiB at most). */
#define LEVEL_CAP 65536

/* Initial stack depth (grown on demand). */
#define STACK_INIT 1024

/* Deep big nodes awaiting their exact root (see tt_screen). */
#define SCREEN_SLOTS 1024

/*
 * Screening margin, in the natural log of P^(1/i): far above the error of
 * computing that log in double (a few units of 2^-53 times 1 + |log|), far
 * below any gap that could change which term is the largest.
 */
#define SCREEN_MARGIN 0x1p-40

/*
 * Exact maximum of powl(size / (L - h + 1), 1/h) over the deep big nodes.
 * Each node gets a double approximation g of the log of its term; nodes
 * more than the margin below the best g seen so far cannot be the maximum
 * and are dropped, the others wait in a small buffer and get the exact
 * long double term when it fills (after dropping what fell behind) or at
 * the end.
 */
typedef struct {
    long h[SCREEN_SLOTS];
    int32_t size[SCREEN_SLOTS];
    double g[SCREEN_SLOTS];
    size_t len;
    double best_g;      /* -HUGE_VAL: nothing seen */
    long double pmax;   /* best exact term so far, -1: none */
} tt_screen;

/*
 * The difference array over levels is paged: DIFF_PAGE levels a page,
 * allocated when first written. The levels that receive pair counts
 * usually form one narrow band, but repetitive data can add a second band
 * millions of levels away, or fill millions of levels; pages cost memory
 * only where levels are used and never need copying as the range grows.
 */
#define DIFF_PAGE_BITS 12
#define DIFF_PAGE ((size_t)1 << DIFF_PAGE_BITS)

typedef struct {
    size_t n;           /* string length */
    size_t i;           /* index of the next LCP value (first is LCP[1]) */
    /*
     * Open nodes, levels strictly increasing upwards; entry 0 is a
     * sentinel of level 0 that is never closed.
     */
    int32_t *st_level;
    int32_t *st_first;  /* rank of the node's first suffix */
    size_t top, st_cap;
    int borrowed;       /* st_level lives in the producer's LCP array */
    int closed;         /* the final LCP (0 at i = n) has been fed */
    long v;             /* deepest level: the longest repeat */
    long h35;           /* deepest level of a node with >= 35 suffixes */
    /* big[t]: largest big node at level t, 1 <= t <= min(h35, LEVEL_CAP) */
    int32_t *big;
    size_t big_cap;
    int32_t big_deep;   /* largest big node deeper than LEVEL_CAP */
    tt_screen *deep;
    /* pair-count differences of small nodes: level t is at
     * page[t >> DIFF_PAGE_BITS][t & (DIFF_PAGE - 1)] */
    int64_t **page;
    size_t npages;
    size_t cur;         /* the page written last: tried first */
    ea_status err;      /* an allocation failed in a restart */
} tuple_acc;

/* ------------------------------------------------------------------ */
/* State                                                                */
/* ------------------------------------------------------------------ */

static void acc_release(tuple_acc *a)
{
    if (!a->borrowed)
        free(a->st_level);
    free(a->st_first);
    free(a->big);
    free(a->deep);
    for (size_t k = 0; a->page != NULL && k < a->npages; k++)
        free(a->page[k]);
    free(a->page);
}

static ea_status acc_reset(tuple_acc *a, size_t n)
{
    acc_release(a);
    memset(a, 0, sizeof *a);
    a->n = n;
    a->i = 1;
    a->st_level = malloc(STACK_INIT * sizeof *a->st_level);
    a->st_first = malloc(STACK_INIT * sizeof *a->st_first);
    a->deep = malloc(sizeof *a->deep);
    if (a->st_level == NULL || a->st_first == NULL || a->deep == NULL)
        return EA_ERR_NOMEM;
    a->npages = n / DIFF_PAGE + 1;  /* levels are < n */
    a->page = calloc(a->npages, sizeof *a->page);
    if (a->page == NULL)
        return EA_ERR_NOMEM;
    a->st_cap = STACK_INIT;
    a->st_level[0] = 0;
    a->st_first[0] = 0;
    a->deep->len = 0;
    a->deep->best_g = -HUGE_VAL;
    a->deep->pmax = -1.0L;
    return EA_OK;
}

/* Double the stack (a lent level array already holds n >= any depth). */
static ea_status stack_grow(tuple_acc *a)
{
    size_t cap = 2 * a->st_cap;
    int32_t *lv;

    if (!a->borrowed) {
        lv = realloc(a->st_level, cap * sizeof *lv);
        if (lv == NULL)
            return EA_ERR_NOMEM;
        a->st_level = lv;
    }
    lv = realloc(a->st_first, cap * sizeof *lv);
    if (lv == NULL)
        return EA_ERR_NOMEM;
    a->st_first = lv;
    a->st_cap = cap;
    return EA_OK;
}

/* ------------------------------------------------------------------ */
/* The terms P^(1/i)                                                    */
/* ------------------------------------------------------------------ */

/* The reference's term: long double quotient of exact integers, powl. */
static long double exact_root(uint64_t num, uint64_t den, long level)
{
    return powl((long double)num / (long double)den, 1.0L / (long double)level);
}

/* double approximation of log(exact_root()), only to rule terms out */
static double log_root(uint64_t num, uint64_t den, long level)
{
    return log((double)num / (double)den) / (double)level;
}

/* Terms whose log_root() is below this cannot beat one at best_g. */
static double screen_floor(double best_g)
{
    return best_g - SCREEN_MARGIN * (1.0 + fabs(best_g));
}

static void screen_flush(tt_screen *sc, size_t n)
{
    for (size_t j = 0; j < sc->len; j++) {
        long double r = exact_root((uint64_t)sc->size[j], (uint64_t)n - (uint64_t)sc->h[j] + 1u,
                                   sc->h[j]);
        if (r > sc->pmax)
            sc->pmax = r;
    }
    sc->len = 0;
}

/* Drop the waiting nodes that fell below the floor. */
static void screen_prune(tt_screen *sc)
{
    double floor_g = screen_floor(sc->best_g);
    size_t kept = 0;

    for (size_t j = 0; j < sc->len; j++) {
        if (sc->g[j] >= floor_g) {
            sc->h[kept] = sc->h[j];
            sc->size[kept] = sc->size[j];
            sc->g[kept] = sc->g[j];
            kept++;
        }
    }
    sc->len = kept;
}

static void screen_add(tt_screen *sc, size_t n, long h, size_t size)
{
    double g = log_root((uint64_t)size, (uint64_t)n - (uint64_t)h + 1u, h);

    if (sc->best_g != -HUGE_VAL && g < screen_floor(sc->best_g))
        return;
    if (g > sc->best_g)
        sc->best_g = g;
    if (sc->len == SCREEN_SLOTS) {
        screen_prune(sc);
        if (sc->len > SCREEN_SLOTS / 2)
            screen_flush(sc, n);
    }
    sc->h[sc->len] = h;
    sc->size[sc->len] = (int32_t)size;
    sc->g[sc->len] = g;
    sc->len++;
}

/* ------------------------------------------------------------------ */
/* Closing nodes                                                        */
/* ------------------------------------------------------------------ */

/* A node of >= 35 suffixes at level h. */
static ea_status note_big(tuple_acc *a, long h, size_t size)
{
    if (h > a->h35)
        a->h35 = h;
    if (h > LEVEL_CAP) {
        if (a->big_deep < (int32_t)size)
            a->big_deep = (int32_t)size;
        screen_add(a->deep, a->n, h, size);
        return EA_OK;
    }
    if ((size_t)h >= a->big_cap) {
        size_t cap = a->big_cap ? 2 * a->big_cap : 64;
        int32_t *nb;
        while (cap <= (size_t)h)
            cap *= 2;
        nb = realloc(a->big, cap * sizeof *nb);
        if (nb == NULL)
            return EA_ERR_NOMEM;
        memset(nb + a->big_cap, 0, (cap - a->big_cap) * sizeof *nb);
        a->big = nb;
        a->big_cap = cap;
    }
    if (a->big[h] < (int32_t)size)
        a->big[h] = (int32_t)size;
    return EA_OK;
}

/* Free the pages that lie wholly at or below H35: they can no longer matter. */
static void drop_dead_pages(tuple_acc *a)
{
    size_t dead = ((size_t)a->h35 + 1) >> DIFF_PAGE_BITS;  /* pages < dead */

    for (size_t k = 0; k < dead && k < a->npages; k++) {
        free(a->page[k]);
        a->page[k] = NULL;
    }
}

/* Add c to the pair-count differences at `level`, if it can still matter. */
static ea_status diff_add(tuple_acc *a, long level, int64_t c)
{
    size_t k = (size_t)level >> DIFF_PAGE_BITS;

    if (a->page[k] == NULL) {
        if (level <= a->h35)  /* below every possible u: never summed */
            return EA_OK;
        drop_dead_pages(a);
        a->page[k] = calloc(DIFF_PAGE, sizeof **a->page);
        if (a->page[k] == NULL)
            return EA_ERR_NOMEM;
    }
    a->cur = k;
    a->page[k][(size_t)level & (DIFF_PAGE - 1)] += c;
    return EA_OK;
}

/* A closed node: level h, parent level `parent` (< h), `size` suffixes. */
static ea_status close_node(tuple_acc *a, long h, long parent, size_t size)
{
    int64_t pairs;
    ea_status st;

    if (h > a->v)
        a->v = h;
    if (size >= TUPLE_MIN_COUNT)
        return note_big(a, h, size);
    pairs = (int64_t)(size * (size - 1) / 2);
    st = diff_add(a, h, pairs);
    if (st == EA_OK && parent > 0)
        st = diff_add(a, parent, -pairs);
    return st;
}

static ea_status push_slow(tuple_acc *a, size_t top)
{
    a->top = top;
    return stack_grow(a);
}

/*
 * The values LCP[i], LCP[i+1], ... (a 0 at i = n closes every node). A
 * node opens where the LCP rises above the top of the stack and closes
 * where it falls below the node's level; its first suffix is carried down
 * from the nodes it encloses. The common case (a small node whose level
 * and parent level lie in the difference page written last) is handled
 * inline.
 * The stack may live in the buffer lcp points into (see acc_put_all):
 * every value is read before the slot it occupies can be written.
 */
static ea_status acc_put(void *ctx, const int32_t *lcp, size_t count)
{
    tuple_acc *a = ctx;
    int32_t *lv, *fs;
    int64_t *diff;
    long dlo, v;
    unsigned long dcap;
    size_t top, i;
    ea_status st = EA_OK;

    if (a->err != EA_OK)
        return a->err;
    lv = a->st_level;
    fs = a->st_first;
    /* the page written last, as a window of levels [dlo, dlo + dcap) */
    diff = a->page[a->cur];
    dlo = (long)(a->cur << DIFF_PAGE_BITS);
    dcap = diff != NULL ? DIFF_PAGE : 0;
    v = a->v;
    top = a->top;
    i = a->i;
    for (size_t j = 0; j < count; j++, i++) {
        int32_t x = lcp[j];
        size_t first = i - 1;
        while (lv[top] > x) {
            long h = lv[top], parent;
            size_t f = (size_t)fs[top], size = i - f;
            top--;
            parent = lv[top] > x ? lv[top] : x;
            if (size < TUPLE_MIN_COUNT && (unsigned long)(h - dlo) < dcap
                && (unsigned long)(parent - dlo) < dcap) {
                int64_t pairs = (int64_t)(size * (size - 1) / 2);
                diff[h - dlo] += pairs;
                diff[parent - dlo] -= pairs;
                if (h > v)
                    v = h;
            } else {
                a->v = v;
                st = close_node(a, h, parent, size);
                if (st != EA_OK)
                    goto out;
                diff = a->page[a->cur];
                dlo = (long)(a->cur << DIFF_PAGE_BITS);
                dcap = diff != NULL ? DIFF_PAGE : 0;
                v = a->v;
            }
            first = f;
        }
        if (lv[top] < x) {
            if (top + 1 == a->st_cap) {
                if ((st = push_slow(a, top)) != EA_OK)
                    goto out;
                lv = a->st_level;
                fs = a->st_first;
            }
            top++;
            lv[top] = x;
            fs[top] = (int32_t)first;
        }
    }
out:
    a->top = top;
    a->i = i;
    a->v = v;
    return st;
}

/*
 * The whole LCP array at once (lcp[0] = 0): the stack's levels move into
 * lcp[] itself, whose slot k is read before the stack can be k deep (the
 * first suffixes stay in st_first), and every node is closed before the
 * array goes back. On repetitive data the stack can be millions deep.
 */
static ea_status acc_put_all(void *ctx, int32_t *lcp, size_t n)
{
    tuple_acc *a = ctx;
    int32_t *own_level = a->st_level;
    size_t own_cap = a->st_cap;
    const int32_t sentinel = 0;  /* LCP[n] = 0 */
    ea_status st;

    if (a->err != EA_OK)
        return a->err;
    if (a->i != 1 || a->top != 0 || n != a->n || lcp[0] != 0)
        return EA_ERR_ARG;
    a->st_level = lcp;
    a->borrowed = 1;
    st = acc_put(a, lcp + 1, n - 1);
    if (st == EA_OK)
        st = acc_put(a, &sentinel, 1);
    a->st_level = own_level;  /* st_first is at least own_cap long */
    a->st_cap = own_cap;
    a->borrowed = 0;
    a->top = 0;
    a->closed = 1;
    return st;
}

static void acc_restart(void *ctx)
{
    tuple_acc *a = ctx;

    a->err = acc_reset(a, a->n);
}

/* ------------------------------------------------------------------ */
/* Results                                                              */
/* ------------------------------------------------------------------ */

/* §6.3.5 step 4 / §6.3.6 step 5, as the reference forms it. */
static long double upper_bound(long double p, size_t n)
{
    long double pu = p + EA_ZALPHA_L * sqrtl(p * (1.0L - p) / (long double)(n - 1));

    return pu > 1.0L ? 1.0L : pu;
}

/*
 * The per-length probabilities, from the deepest length down: for the
 * t-tuple, P[i] = Q[i] / (L - i + 1) for i = min(h35, LEVEL_CAP) .. 1,
 * Q[i] being the running maximum of big[] (starting from the deeper big
 * nodes' maximum); for the LRS, P[W] = S[W] / C(L - W + 1, 2) for
 * W = v .. u, S[W] being the running sum of diff[].
 */
typedef struct {
    const tuple_acc *a;
    int lrs;            /* 0: t-tuple levels, 1: LRS levels */
    long level, stop;
    uint64_t num;
} level_iter;

static void iter_start(level_iter *it, const tuple_acc *a, int lrs)
{
    it->a = a;
    it->lrs = lrs;
    if (lrs) {
        it->level = a->v;
        it->stop = a->h35 + 1;
        it->num = 0;
    } else {
        it->level = a->h35 < LEVEL_CAP ? a->h35 : LEVEL_CAP;
        it->stop = 1;
        it->num = (uint64_t)a->big_deep;
    }
}

static int iter_next(level_iter *it, long *level, uint64_t *num, uint64_t *den)
{
    const tuple_acc *a = it->a;
    long i = it->level;

    if (i < it->stop)
        return 0;
    if (it->lrs) {
        uint64_t m = (uint64_t)a->n - (uint64_t)i;
        const int64_t *pg = a->page[(size_t)i >> DIFF_PAGE_BITS];
        if (pg != NULL)
            it->num = (uint64_t)((int64_t)it->num + pg[(size_t)i & (DIFF_PAGE - 1)]);
        *den = (m * (m + 1u)) >> 1;  /* C(L - W + 1, 2), exact */
    } else {
        /* big[] ends at the deepest level <= LEVEL_CAP that has a big node */
        if ((size_t)i < a->big_cap && (uint64_t)a->big[i] > it->num)
            it->num = (uint64_t)a->big[i];
        *den = (uint64_t)a->n - (uint64_t)i + 1u;
    }
    *num = it->num;
    *level = i;
    it->level--;
    return 1;
}

/*
 * max over the iterated levels of exact_root(), as the reference forms it
 * at every level. A first pass finds the best level approximately; the
 * exact term is then evaluated only at the levels within the screening
 * margin of it (powl at millions of levels would dominate the run time
 * on repetitive input). Any other level is smaller by far more than the
 * rounding of either computation, so the maximum, to every digit, is the
 * reference's. Returns -1 when there is no level.
 */
static long double max_root(const tuple_acc *a, int lrs)
{
    level_iter it;
    long i;
    uint64_t num, den;
    double best = -HUGE_VAL, floor_g;
    long double pmax = -1.0L;

    iter_start(&it, a, lrs);
    while (iter_next(&it, &i, &num, &den)) {
        double g = log_root(num, den, i);
        if (g > best)
            best = g;
    }
    floor_g = screen_floor(best);
    iter_start(&it, a, lrs);
    while (iter_next(&it, &i, &num, &den)) {
        long double root;
        if (log_root(num, den, i) < floor_g)
            continue;
        root = exact_root(num, den, i);
        if (root > pmax)
            pmax = root;
    }
    return pmax;
}

/* §6.3.5 steps 2-5. */
static void finish_ttuple(tuple_acc *a, ea_ttuple_result *tt)
{
    long double pmax;

    memset(tt, 0, sizeof *tt);
    tt->t = a->h35;
    if (a->h35 < 1)  /* no tuple occurs 35 times: omitted, as the reference */
        return;
    pmax = max_root(a, 0);
    screen_flush(a->deep, a->n);
    if (a->deep->pmax > pmax)
        pmax = a->deep->pmax;
    tt->valid = 1;
    tt->p_hat_max = pmax;
    tt->p_u = upper_bound(pmax, a->n);
    tt->h = (double)-log2l(tt->p_u) + 0.0;   /* p_u clamped to 1: +0, not -0 */
}

/* §6.3.6 steps 3-6 from the difference array. */
static void finish_lrs(const tuple_acc *a, ea_lrs_result *lrs)
{
    memset(lrs, 0, sizeof *lrs);
    lrs->u = a->h35 + 1;
    lrs->v = a->v;
    if (lrs->v < lrs->u)  /* v < u: omitted, as the reference */
        return;
    lrs->valid = 1;
    lrs->p_hat = max_root(a, 1);
    lrs->p_u = upper_bound(lrs->p_hat, a->n);
    lrs->h = (double)-log2l(lrs->p_u) + 0.0;
}

ea_status ea_sa_estimates(const uint8_t *s, size_t n, int k,
                          ea_ttuple_result *tt, ea_lrs_result *lrs)
{
    tuple_acc a;
    ea_lcp_sink sink;
    ea_status st;

    if (s == NULL || tt == NULL || lrs == NULL || k < 1 || k > 256
        || n > EA_SUFFIX_MAX_N)
        return EA_ERR_ARG;
    memset(tt, 0, sizeof *tt);
    memset(lrs, 0, sizeof *lrs);
    if (n < 2)
        return EA_ERR_TOO_SHORT;
    memset(&a, 0, sizeof a);
    st = acc_reset(&a, n);
    sink.ctx = &a;
    sink.put = acc_put;
    sink.restart = acc_restart;
    sink.put_all = acc_put_all;
    if (st == EA_OK)
        st = ea_suffix_lcps(s, n, k, &sink);
    if (st == EA_OK && !a.closed) {
        const int32_t sentinel = 0;  /* LCP[n] = 0 */
        st = acc_put(&a, &sentinel, 1);
    }
    if (st == EA_OK) {
        finish_ttuple(&a, tt);
        finish_lrs(&a, lrs);
    }
    acc_release(&a);
    return st;
}
