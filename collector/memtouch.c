/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memtouch.c - the "memtouch" noise source: the design of Go's FIPS 140-3
 * CPU-jitter entropy source (crypto/internal/entropy, v1.0.0), so that two
 * userspace designs can be compared on one host.
 *
 * SP 800-90B §2.2.1 and §3.2.2 (requirement 4). One raw sample:
 *   1. 64 touches of a 32 MiB buffer: a 32-bit LCG (x' = 1664525 x +
 *      1013904223) gives the offset (x >> 6) mod 2^25, rounded down to a
 *      multiple of 4; the 32-bit word there is read atomically and then
 *      atomically exchanged for that value + 13.
 *   2. t = timer(); delta = t - t_prev; t_prev = t.
 * Go keeps the low byte of delta as its 8-bit symbol; here the whole delta
 * is recorded and the extraction mask (default 0xFF) selects the byte.
 * The LCG starts from the low 32 bits of a timestamp; the first 4 samples
 * after opening are discarded, as Go's Samples() warms its source up.
 * Differences from Go (the timer) are in docs/noise-sources.md.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "source_int.h"

#define MT_BUFFER_BITS 25u   /* 32 MiB, Go's ScratchBuffer */
#define MT_TOUCHES 64u
#define MT_WARMUP 4u

struct ea_memtouch {
    ea_timer_id timer;
    _Atomic uint32_t *words;
    uint32_t lcg;
    uint64_t prev;
};

static void touch(_Atomic uint32_t *words, uint32_t byte_offset)
{
    _Atomic uint32_t *w = words + byte_offset / 4u;
    uint32_t last = atomic_load(w);

    (void)atomic_exchange(w, last + 13u);
}

static uint64_t one_sample(ea_memtouch *m)
{
    uint32_t x = m->lcg;
    uint64_t now, delta;

    for (unsigned i = 0; i < MT_TOUCHES; i++) {
        x = 1664525u * x + 1013904223u;
        touch(m->words, (x >> 6) & ((1u << MT_BUFFER_BITS) - 1u));
    }
    m->lcg = x;
    now = ea_timer_now(m->timer);
    delta = now - m->prev;
    m->prev = now;
    return delta;
}

void ea_memtouch_read(ea_memtouch *m, uint64_t *deltas, size_t n)
{
    for (size_t i = 0; i < n; i++)
        deltas[i] = one_sample(m);
}

ea_status ea_memtouch_open(ea_timer_id timer, ea_memtouch **out, char *err, size_t errlen)
{
    ea_memtouch *m = calloc(1, sizeof *m);

    *out = NULL;
    if (m == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    /* calloc: pages are mapped lazily, as Go's buffer in .noptrbss is */
    m->words = calloc((size_t)1 << MT_BUFFER_BITS >> 2, sizeof *m->words);
    if (m->words == NULL) {
        free(m);
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "cannot allocate the 32 MiB buffer");
    }
    m->timer = timer;
    m->lcg = (uint32_t)ea_timer_now(timer);
    m->prev = ea_timer_now(timer);
    for (unsigned i = 0; i < MT_WARMUP; i++)
        (void)one_sample(m);
    *out = m;
    return EA_OK;
}

void ea_memtouch_close(ea_memtouch *m)
{
    if (m == NULL)
        return;
    free((void *)m->words);
    free(m);
}
