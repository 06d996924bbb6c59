/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctxmap.h - internal: a map from short contexts (strings of 1..16
 * symbols taken from the input) to successor counts, shared by the
 * non-binary paths of the MultiMMC (§6.3.9) and LZ78Y (§6.3.10)
 * predictors. Not part of the public interface.
 *
 * A context is identified by where it occurs in the caller's data: the
 * `len` symbols s[pos - len .. pos - 1]. Records hold that position, so
 * a key costs 4 bytes whatever its length; keys are compared against the
 * data itself. Contexts of up to `direct_len` (<= 2) symbols are found
 * by direct indexing; longer ones through an open-addressing index
 * (linear probing) of 32-bit slots, each a record number and a 15-bit
 * fingerprint, so a probe rarely touches a record that does not match.
 * The index is sized once, for the most records the map may hold, and
 * never rehashed. A context known to be absent may be appended without
 * touching the index; the index catches up in one batch (with the slots
 * fetched ahead) before the next lookup, and never if none comes.
 *
 * For each context the map keeps every successor's count and, updated on
 * every increment, the largest count ("best") and the successor that has
 * it ("pred"), larger symbol on equal counts. Successor storage is
 * compact: a context with a single successor needs none (it is pred, its
 * count is best); a few (up to 64) live in a small symbol/count block
 * that doubles as needed; beyond that, or as soon as it is no larger, a
 * block of k counts indexed by symbol. Blocks come from one pool with a
 * free list per size.
 *
 * The caller hashes a context incrementally, extending it to the left one
 * symbol at a time with ea_ctx_hash_step(), starting from 0.
 */
#ifndef EA_CTXMAP_H
#define EA_CTXMAP_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

#define EA_CTX_NONE UINT32_MAX
/* Record numbers share a 32-bit slot with a fingerprint. */
#define EA_CTX_REC_BITS 17
/* At most 25/32 of 2^17 slots used: the index never needs more. */
#define EA_CTX_MAX_RECORDS 102400u
/* Size classes of successor blocks: 2, 4, ..., 64 sparse, then dense. */
#define EA_CTX_SPARSE_CLASSES 6
#define EA_CTX_NCLASS (EA_CTX_SPARSE_CLASSES + 1)
/* A place to add a context: slot | fingerprint << 32, or direct | this bit. */
#define EA_CTX_DIRECT ((uint64_t)1 << 63)

typedef struct {
    uint32_t pos;    /* the context is s[pos - len .. pos - 1] */
    uint32_t best;   /* largest successor count */
    uint32_t blk;    /* successor block in the pool (nsucc >= 2) */
    uint16_t nsucc;  /* distinct successors seen */
    uint8_t pred;    /* successor with count `best`, largest such symbol */
    uint8_t len;     /* context length, 1..16 */
} ea_ctx;

typedef struct {
    const uint8_t *s;   /* the caller's data; records point into it */
    uint32_t k;         /* alphabet size */
    uint32_t sparse_max; /* most successors kept in a sparse block */
    uint32_t *slot;     /* index: 0 empty, else (rec + 1) | fp << REC_BITS */
    uint32_t slot_bits;
    int direct_len;     /* contexts this short use `direct` */
    uint32_t *direct;   /* rec + 1 by symbol (length 1), then by 2 symbols */
    ea_ctx *rec;
    uint32_t nrec, rec_cap, rec_max;
    uint32_t indexed;   /* records [0, indexed) are in the index */
    uint32_t *pending;  /* slot key (see ea_ctx_key()) of each record from `indexed` on */
    uint32_t pending_cap;
    uint32_t *pool;     /* successor blocks */
    size_t pool_len, pool_cap;
    uint32_t free_blk[EA_CTX_NCLASS]; /* free list heads, EA_CTX_NONE = empty */
} ea_ctxmap;

/*
 * A map for at most max_records contexts (<= EA_CTX_MAX_RECORDS) over
 * symbols 0..k-1, of which those of length <= direct_len (0..2) are
 * indexed directly.
 */
ea_status ea_ctxmap_init(ea_ctxmap *m, const uint8_t *s, int k, uint32_t max_records,
                         int direct_len);
void ea_ctxmap_free(ea_ctxmap *m);

/*
 * Add the context that ea_ctxmap_find() just missed, at the place it
 * returned, with one successor y of count 1. EA_ERR_ARG when the map
 * already holds max_records contexts.
 */
ea_status ea_ctxmap_add(ea_ctxmap *m, uint64_t where, int len, size_t pos, uint8_t y,
                        uint32_t *rec_out);

/*
 * Add a context (hash h) known to be absent, with one successor y of
 * count 1, leaving the index to catch up later. EA_ERR_ARG when the map
 * is full.
 */
ea_status ea_ctxmap_append(ea_ctxmap *m, uint64_t h, int len, size_t pos, uint8_t y);

/* Put the appended records into the index (ea_ctxmap_find() does it). */
void ea_ctxmap_catch_up(ea_ctxmap *m);

/* Outcomes of ea_ctxmap_bump(). */
enum { EA_BUMP_OLD = 0, EA_BUMP_NEW = 1, EA_BUMP_REFUSED = 2 };

/*
 * Count one more occurrence of successor y after context rec. A successor
 * not seen before is added only when allow_new; returns EA_BUMP_OLD,
 * EA_BUMP_NEW, EA_BUMP_REFUSED, or EA_ERR_NOMEM.
 */
int ea_ctxmap_bump(ea_ctxmap *m, uint32_t rec, uint8_t y, int allow_new);

/* Hash of a context extended to the left by symbol c. */
static inline uint64_t ea_ctx_hash_step(uint64_t h, uint8_t c)
{
    return (h + (uint64_t)c + 1u) * 0x9E3779B97F4A7C15u;
}

/* Final mix: the top bits pick the slot, lower ones the fingerprint. */
static inline uint64_t ea_ctx_mix(uint64_t h)
{
    h ^= h >> 31;
    return h * 0xD6E8FEB86659FD93u;
}

/* A context's home slot (top bits) and fingerprint (low 15 bits) from its hash. */
static inline uint32_t ea_ctx_key(const ea_ctxmap *m, uint64_t h)
{
    uint64_t x = ea_ctx_mix(h);

    return (uint32_t)(x >> (64 - m->slot_bits)) << (32 - EA_CTX_REC_BITS)
           | ((uint32_t)(x >> 8) & ((1u << (32 - EA_CTX_REC_BITS)) - 1u));
}

static inline int ea_ctx_same(const ea_ctxmap *m, const ea_ctx *r, int len, size_t pos)
{
    const uint8_t *a = m->s + r->pos, *b = m->s + pos;

    if (r->len != len)
        return 0;
    for (int k = 1; k <= len; k++)
        if (a[-k] != b[-k])
            return 0;
    return 1;
}

/* Direct entry of a short context. */
static inline uint32_t ea_ctx_direct_at(const ea_ctxmap *m, int len, size_t pos)
{
    return len == 1 ? m->s[pos - 1] : 256u + ((uint32_t)m->s[pos - 2] << 8) + m->s[pos - 1];
}

/* Hint that *p will be needed soon. */
static inline void ea_ctx_fetch(const void *p)
{
#if defined(__GNUC__)
    __builtin_prefetch(p, 1, 3);
#else
    (void)p;
#endif
}

/* Hint that the index slot of a context with hash h will be probed soon. */
static inline void ea_ctxmap_prefetch(const ea_ctxmap *m, uint64_t h, int len)
{
    if (len > m->direct_len)
        ea_ctx_fetch(m->slot + (ea_ctx_mix(h) >> (64 - m->slot_bits)));
}

/*
 * The record of context s[pos - len .. pos - 1] with hash h, or
 * EA_CTX_NONE; then *where tells ea_ctxmap_add() where it goes.
 */
static inline uint32_t ea_ctxmap_find(ea_ctxmap *m, uint64_t h, int len, size_t pos,
                                      uint64_t *where)
{
    uint64_t x;
    uint32_t mask, i, fp;

    if (m->indexed != m->nrec)
        ea_ctxmap_catch_up(m);
    if (len <= m->direct_len) {
        i = ea_ctx_direct_at(m, len, pos);
        *where = i | EA_CTX_DIRECT;
        return m->direct[i] - 1u;   /* 0 - 1 = EA_CTX_NONE */
    }
    x = ea_ctx_mix(h);
    mask = (1u << m->slot_bits) - 1u;
    i = (uint32_t)(x >> (64 - m->slot_bits));
    fp = (uint32_t)(x >> 8) & ((1u << (32 - EA_CTX_REC_BITS)) - 1u);
    for (;; i = (i + 1) & mask) {
        uint32_t v = m->slot[i];
        if (v == 0) {
            *where = i | (uint64_t)fp << 32;
            return EA_CTX_NONE;
        }
        if ((v >> EA_CTX_REC_BITS) == fp) {
            uint32_t r = (v & ((1u << EA_CTX_REC_BITS) - 1u)) - 1u;
            if (ea_ctx_same(m, &m->rec[r], len, pos))
                return r;
        }
    }
}

#endif
