/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctxmap.c - the context -> successor-count map used by the non-binary
 * MultiMMC (§6.3.9) and LZ78Y (§6.3.10) predictors; see ctxmap.h.
 *
 * Memory stays proportional to what is stored, with one exception: the
 * index is allocated at once for the most records the map may hold, at
 * most 25/32 full (so the 100,000 contexts of a full MultiMMC model fit
 * 2^17 slots, 512 KiB); its pages are only touched as it fills. The
 * record array grows by doubling up to the caller's maximum, and
 * successor blocks are taken from a pool that reuses the blocks a
 * context outgrows. Records appended without indexing keep their slot
 * key (4 bytes) until the index catches up.
 */
#include <stdlib.h>
#include <string.h>

#include "ctxmap.h"

#define MIN_SLOT_BITS 6
#define MIN_RECORDS 1024u
#define DENSE_CLASS EA_CTX_SPARSE_CLASSES
#define DIRECT_SIZE (256u + 65536u)

static uint32_t class_cap(int c);
static size_t class_cells(const ea_ctxmap *m, int c);

/* ---------------------------------------------------------------- index */

static ea_status grow_records(ea_ctxmap *m)
{
    uint32_t cap = m->rec_cap * 2u;
    ea_ctx *nr;

    if (cap > m->rec_max)
        cap = m->rec_max;
    nr = realloc(m->rec, (size_t)cap * sizeof(*nr));
    if (nr == NULL)
        return EA_ERR_NOMEM;
    m->rec = nr;
    m->rec_cap = cap;
    return EA_OK;
}

ea_status ea_ctxmap_init(ea_ctxmap *m, const uint8_t *s, int k, uint32_t max_records,
                         int direct_len)
{
    uint32_t bits = MIN_SLOT_BITS;

    memset(m, 0, sizeof(*m));
    if (max_records == 0 || max_records > EA_CTX_MAX_RECORDS || direct_len < 0
        || direct_len > 2 || k < 2 || k > 256)
        return EA_ERR_ARG;
    while ((((uint64_t)25 << bits) / 32u) < max_records)
        bits++;
    /* successor blocks go dense (k counts) once that is no larger */
    m->k = (uint32_t)k;
    m->sparse_max = 1;
    for (int c = 0; c < EA_CTX_SPARSE_CLASSES && class_cells(m, c) < m->k; c++)
        m->sparse_max = class_cap(c);
    m->s = s;
    m->rec_max = max_records;
    m->rec_cap = max_records < MIN_RECORDS ? max_records : MIN_RECORDS;
    m->slot_bits = bits;
    m->direct_len = direct_len;
    m->slot = calloc((size_t)1 << bits, sizeof(*m->slot));
    m->rec = malloc((size_t)m->rec_cap * sizeof(*m->rec));
    if (direct_len > 0)
        m->direct = calloc(DIRECT_SIZE, sizeof(*m->direct));
    for (int c = 0; c < EA_CTX_NCLASS; c++)
        m->free_blk[c] = EA_CTX_NONE;
    if (m->slot == NULL || m->rec == NULL || (direct_len > 0 && m->direct == NULL)) {
        ea_ctxmap_free(m);
        return EA_ERR_NOMEM;
    }
    return EA_OK;
}

void ea_ctxmap_free(ea_ctxmap *m)
{
    free(m->slot);
    free(m->direct);
    free(m->rec);
    free(m->pool);
    free(m->pending);
    memset(m, 0, sizeof(*m));
}

/* A new record: context s[pos - len .. pos - 1], successor y seen once. */
static ea_status new_record(ea_ctxmap *m, int len, size_t pos, uint8_t y)
{
    ea_status st;
    ea_ctx *r;

    if (m->nrec >= m->rec_max)
        return EA_ERR_ARG;
    if (m->nrec >= m->rec_cap && (st = grow_records(m)) != EA_OK)
        return st;
    r = &m->rec[m->nrec];
    r->pos = (uint32_t)pos;
    r->best = 1;
    r->blk = EA_CTX_NONE;
    r->nsucc = 1;
    r->pred = y;
    r->len = (uint8_t)len;
    return EA_OK;
}

ea_status ea_ctxmap_add(ea_ctxmap *m, uint64_t where, int len, size_t pos, uint8_t y,
                        uint32_t *rec_out)
{
    ea_status st = new_record(m, len, pos, y);

    if (st != EA_OK)
        return st;
    if (where & EA_CTX_DIRECT)
        m->direct[(uint32_t)where] = m->nrec + 1u;
    else
        m->slot[(uint32_t)where] = (m->nrec + 1u) | (uint32_t)(where >> 32) << EA_CTX_REC_BITS;
    if (rec_out != NULL)
        *rec_out = m->nrec;
    m->indexed = ++m->nrec;   /* `where` came from a lookup, so all others are in */
    return EA_OK;
}

ea_status ea_ctxmap_append(ea_ctxmap *m, uint64_t h, int len, size_t pos, uint8_t y)
{
    uint32_t k = m->nrec - m->indexed;
    ea_status st;

    if (len <= m->direct_len) {   /* direct entries cost nothing to index */
        if (m->indexed != m->nrec)
            ea_ctxmap_catch_up(m);
        return ea_ctxmap_add(m, (uint64_t)ea_ctx_direct_at(m, len, pos) | EA_CTX_DIRECT, len,
                             pos, y, NULL);
    }
    if (k >= m->pending_cap) {
        uint32_t cap = m->pending_cap ? 2 * m->pending_cap : 256;
        uint32_t *np = realloc(m->pending, (size_t)cap * sizeof(*np));
        if (np == NULL)
            return EA_ERR_NOMEM;
        m->pending = np;
        m->pending_cap = cap;
    }
    if ((st = new_record(m, len, pos, y)) != EA_OK)
        return st;
    m->pending[k] = ea_ctx_key(m, h);
    m->nrec++;
    return EA_OK;
}

#define CATCH_UP_AHEAD 8   /* records whose slots are fetched ahead */

void ea_ctxmap_catch_up(ea_ctxmap *m)
{
    uint32_t mask = (1u << m->slot_bits) - 1u, n = m->nrec - m->indexed;
    uint32_t fp_mask = (1u << (32 - EA_CTX_REC_BITS)) - 1u;

    for (uint32_t k = 0; k < n; k++) {
        uint32_t key = m->pending[k], i = key >> (32 - EA_CTX_REC_BITS);
        if (k + CATCH_UP_AHEAD < n)
            ea_ctx_fetch(m->slot + (m->pending[k + CATCH_UP_AHEAD] >> (32 - EA_CTX_REC_BITS)));
        while (m->slot[i] != 0)
            i = (i + 1) & mask;
        m->slot[i] = (m->indexed + k + 1u) | (key & fp_mask) << EA_CTX_REC_BITS;
    }
    m->indexed = m->nrec;
}

/* ------------------------------------------------------ successor blocks */

/* Sparse class c holds 2 << c successors: counts, then symbols. */
static uint32_t class_cap(int c)
{
    return 2u << c;
}

/* Cells of a block: a dense one has a count for each of the k symbols. */
static size_t class_cells(const ea_ctxmap *m, int c)
{
    if (c == DENSE_CLASS)
        return m->k;
    return class_cap(c) + (class_cap(c) + 3u) / 4u;
}

/* The class for nsucc successors: sparse up to m->sparse_max, then dense. */
static int class_of(const ea_ctxmap *m, uint32_t nsucc)
{
    int c = 0;

    if (nsucc > m->sparse_max)
        return DENSE_CLASS;
    while (class_cap(c) < nsucc)
        c++;
    return c;
}

static uint8_t *block_syms(ea_ctxmap *m, uint32_t blk, int c)
{
    return (uint8_t *)(m->pool + blk + class_cap(c));
}

/* A zeroed block of class c; EA_CTX_NONE when memory runs out. */
static uint32_t block_get(ea_ctxmap *m, int c)
{
    size_t cells = class_cells(m, c);
    uint32_t blk = m->free_blk[c];

    if (blk != EA_CTX_NONE) {
        m->free_blk[c] = m->pool[blk];
    } else {
        if (m->pool_len + cells > m->pool_cap) {
            size_t cap = m->pool_cap ? m->pool_cap * 2 : 4096;
            uint32_t *np;
            while (cap < m->pool_len + cells)
                cap *= 2;
            if (cap > UINT32_MAX)
                return EA_CTX_NONE;
            np = realloc(m->pool, cap * sizeof(*np));
            if (np == NULL)
                return EA_CTX_NONE;
            m->pool = np;
            m->pool_cap = cap;
        }
        blk = (uint32_t)m->pool_len;
        m->pool_len += cells;
    }
    memset(m->pool + blk, 0, cells * sizeof(*m->pool));
    return blk;
}

static void block_put(ea_ctxmap *m, uint32_t blk, int c)
{
    m->pool[blk] = m->free_blk[c];
    m->free_blk[c] = blk;
}

/* Record that successor y now has count c. */
static void note_count(ea_ctx *r, uint8_t y, uint32_t c)
{
    if (c > r->best || (c == r->best && y > r->pred)) {
        r->best = c;
        r->pred = y;
    }
}

/* Move a context's successors into a block of class `to`. */
static ea_status block_move(ea_ctxmap *m, ea_ctx *r, int to)
{
    uint32_t nb = block_get(m, to);
    int from;

    if (nb == EA_CTX_NONE)
        return EA_ERR_NOMEM;
    if (r->nsucc == 1 && to == DENSE_CLASS) {
        m->pool[nb + r->pred] = r->best;   /* the only successor is pred, count best */
    } else if (r->nsucc == 1) {
        m->pool[nb] = r->best;
        block_syms(m, nb, to)[0] = r->pred;
    } else {
        from = class_of(m, r->nsucc);
        for (uint32_t k = 0; k < r->nsucc; k++) {
            uint8_t y = block_syms(m, r->blk, from)[k];
            uint32_t cnt = m->pool[r->blk + k];
            if (to == DENSE_CLASS) {
                m->pool[nb + y] = cnt;
            } else {
                m->pool[nb + k] = cnt;
                block_syms(m, nb, to)[k] = y;
            }
        }
        block_put(m, r->blk, from);
    }
    r->blk = nb;
    return EA_OK;
}

/* Append a new successor y (count 1), growing the block when full. */
static int add_successor(ea_ctxmap *m, ea_ctx *r, uint8_t y)
{
    uint32_t n = r->nsucc;
    int c = n == 1 ? -1 : class_of(m, n);
    int want = class_of(m, n + 1);

    if (want != c && block_move(m, r, want) != EA_OK)
        return EA_ERR_NOMEM;
    if (want == DENSE_CLASS) {
        m->pool[r->blk + y] = 1;
    } else {
        m->pool[r->blk + n] = 1;
        block_syms(m, r->blk, want)[n] = y;
    }
    r->nsucc = (uint16_t)(n + 1);
    note_count(r, y, 1);
    return EA_BUMP_NEW;
}

/* Index of successor y in a sparse block, or -1. */
static int find_sparse(const uint8_t *syms, uint32_t n, uint8_t y)
{
    if (n > 16) {
        const uint8_t *p = memchr(syms, y, n);
        return p == NULL ? -1 : (int)(p - syms);
    }
    for (uint32_t k = 0; k < n; k++)
        if (syms[k] == y)
            return (int)k;
    return -1;
}

int ea_ctxmap_bump(ea_ctxmap *m, uint32_t rec, uint8_t y, int allow_new)
{
    ea_ctx *r = &m->rec[rec];
    uint32_t *cnt;

    if (r->nsucc == 1) {
        if (r->pred == y) {
            r->best++;
            return EA_BUMP_OLD;
        }
        cnt = NULL;
    } else if (r->nsucc > m->sparse_max) {
        cnt = m->pool[r->blk + y] ? &m->pool[r->blk + y] : NULL;
    } else {
        int c = class_of(m, r->nsucc);
        int k = find_sparse(block_syms(m, r->blk, c), r->nsucc, y);
        cnt = k < 0 ? NULL : &m->pool[r->blk + (uint32_t)k];
    }
    if (cnt != NULL) {
        note_count(r, y, ++*cnt);
        return EA_BUMP_OLD;
    }
    if (!allow_new)
        return EA_BUMP_REFUSED;
    return add_successor(m, r, y);
}
