/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jent.c - the "jent" noise source: CPU execution-time jitter after the
 * design of the jitterentropy library (OpenSSL 3.4+'s JITTER seed source).
 *
 * SP 800-90B §2.2.1 (the noise source) and §3.2.2 (requirement 4: the raw
 * data are the noise source's digitised output, before any conditioning).
 * One raw sample, as the library's jent_measure_jitter() forms it in its
 * common (post-startup) mode:
 *
 *   1. memory access: mem_loops single-byte read-modify-writes (+1) at
 *      pseudo-random offsets of a 2^memory_bits byte buffer. The offsets
 *      come from xoshiro128** whose state is re-seeded for every sample
 *      from fixed constants XORed with the low byte of 16 timestamps.
 *   2. t = timer(); delta = t - t_prev; t_prev = t. delta is the sample.
 *   3. hash loop: hash_loops SHA3-256 computations, each over the previous
 *      digest, the delta and the loop index (OpenSSL EVP).
 *   4. "pool insert": one SHA3-256 rate block (136 bytes: delta, a domain
 *      byte, the digest, zeros) absorbed into a running SHA3-256 state.
 *      It is what makes the hash results used, and (as in the library) it
 *      runs inside the next sample's timed span.
 *
 * So a delta spans steps 3-4 of the previous sample and step 1 of its own.
 * The first sample after opening is discarded (the library's recorder
 * primes t_prev the same way). Differences from the library are listed in
 * docs/noise-sources.md.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "source_int.h"

#define SHA3_256_RATE 136
#define SHA3_256_LEN 32
#define JENT_DOMAIN_COMMON 0x03

struct ea_jent {
    ea_timer_id timer;
    unsigned memory_bits, mem_loops, hash_loops, library;
    ea_jent_core *core;  /* library mode: the -O0 core does the work (jent_o0.c) */
    volatile uint8_t *mem;
    uint32_t mask;
    uint64_t prev;
    EVP_MD *md;
    EVP_MD_CTX *loop;   /* hash loop */
    EVP_MD_CTX *pool;   /* running state the results are absorbed into */
    uint8_t digest[SHA3_256_LEN];
    int failed;         /* an EVP call failed: deltas are still produced */
};

static uint32_t rotl32(uint32_t x, unsigned k)
{
    return (x << k) | (x >> (32u - k));
}

/* xoshiro128** (Blackman and Vigna): one output, advancing s. */
static uint32_t xoshiro128ss(uint32_t s[4])
{
    uint32_t out = rotl32(s[1] * 5u, 7) * 9u;
    uint32_t t = s[1] << 9;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl32(s[3], 11);
    return out;
}

/* Step 1: the memory access loop. */
static void memaccess(ea_jent *j)
{
    /* Arbitrary non-zero seed words; 16 timestamp bytes are mixed in. */
    uint32_t st[4] = {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u};
    volatile uint8_t *mem = j->mem;

    for (unsigned i = 0; i < 16; i++) {
        uint32_t b = (uint32_t)(ea_timer_now(j->timer) & 0xffu);
        st[i / 4] ^= b << (8u * (i % 4));
    }
    for (unsigned i = 0; i < j->mem_loops; i++) {
        uint32_t off = xoshiro128ss(st) & j->mask;
        mem[off] = (uint8_t)(mem[off] + 1u);
    }
}

/* Steps 3 and 4: the hash loop and the pool insert. */
static void hashloop(ea_jent *j, uint64_t delta)
{
    uint8_t block[SHA3_256_RATE];
    int ok = 1;

    for (uint64_t i = 0; i < j->hash_loops; i++) {
        ok &= EVP_DigestInit_ex2(j->loop, j->md, NULL);
        ok &= EVP_DigestUpdate(j->loop, j->digest, sizeof j->digest);
        ok &= EVP_DigestUpdate(j->loop, &delta, sizeof delta);
        ok &= EVP_DigestUpdate(j->loop, &i, sizeof i);
        ok &= EVP_DigestFinal_ex(j->loop, j->digest, NULL);
    }
    memset(block, 0, sizeof block);
    memcpy(block, &delta, sizeof delta);
    block[sizeof delta] = JENT_DOMAIN_COMMON;
    memcpy(block + sizeof delta + 1, j->digest, sizeof j->digest);
    ok &= EVP_DigestUpdate(j->pool, block, sizeof block);
    if (!ok)
        j->failed = 1;
}

static uint64_t one_sample(ea_jent *j)
{
    uint64_t now, delta;

    memaccess(j);
    now = ea_timer_now(j->timer);
    delta = now - j->prev;
    j->prev = now;
    hashloop(j, delta);
    return delta;
}

ea_status ea_jent_read(ea_jent *j, uint64_t *deltas, size_t n)
{
    if (j->core != NULL) {
        ea_jent_core_read(j->core, deltas, n);
        return EA_OK;
    }
    for (size_t i = 0; i < n; i++)
        deltas[i] = one_sample(j);
    return j->failed ? EA_ERR_SOURCE : EA_OK;
}

/*
 * memory_bits from the L1d size, as jent_update_memsize() derives it: the
 * smallest power of two strictly greater than the L1d size, times 4
 * (256 KiB for a 32 KiB L1d).
 */
static unsigned memory_bits_auto(void)
{
    unsigned long l1 = ea_l1d_bytes();
    unsigned bits = 0;

    if (l1 == 0)
        return EA_JENT_MEMORY_BITS_UNKNOWN;
    while ((1ul << bits) <= l1 && bits < EA_JENT_MEMORY_BITS_MAX)
        bits++;
    bits += 2;
    return bits > EA_JENT_MEMORY_BITS_MAX ? EA_JENT_MEMORY_BITS_MAX : bits;
}

static ea_status check_config(const ea_src_config *cfg, char *err, size_t errlen)
{
    if (cfg->memory_bits != 0 &&
        (cfg->memory_bits < EA_JENT_MEMORY_BITS_MIN || cfg->memory_bits > EA_JENT_MEMORY_BITS_MAX))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "memory bits must be %u..%u, not %u",
                          EA_JENT_MEMORY_BITS_MIN, EA_JENT_MEMORY_BITS_MAX, cfg->memory_bits);
    if (cfg->hash_loops > EA_JENT_LOOPS_MAX || cfg->mem_loops > EA_JENT_LOOPS_MAX)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "loop counts must be at most %u",
                          EA_JENT_LOOPS_MAX);
    return EA_OK;
}

static ea_status init_hash(ea_jent *j, char *err, size_t errlen)
{
    j->md = EVP_MD_fetch(NULL, "SHA3-256", NULL);
    j->loop = EVP_MD_CTX_new();
    j->pool = EVP_MD_CTX_new();
    if (j->md == NULL || j->loop == NULL || j->pool == NULL ||
        !EVP_DigestInit_ex2(j->pool, j->md, NULL))
        return ea_col_fail(EA_ERR_SOURCE, err, errlen, "OpenSSL has no usable SHA3-256");
    return EA_OK;
}

/* Buffer and hash state; on failure j is closed. */
static ea_status init_state(ea_jent *j, char *err, size_t errlen)
{
    ea_status st;

    j->mem = calloc((size_t)1 << j->memory_bits, 1);
    if (j->mem == NULL)
        st = ea_col_fail(EA_ERR_NOMEM, err, errlen, "cannot allocate the %u-bit memory buffer",
                        j->memory_bits);
    else
        st = init_hash(j, err, errlen);
    if (st != EA_OK)
        ea_jent_close(j);
    return st;
}

ea_status ea_jent_open(const ea_src_config *cfg, ea_timer_id timer, ea_jent **out, char *err,
                       size_t errlen)
{
    ea_jent *j;
    ea_status st;

    *out = NULL;
    st = check_config(cfg, err, errlen);
    if (st != EA_OK)
        return st;
    j = calloc(1, sizeof *j);
    if (j == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    j->timer = timer;
    j->memory_bits = cfg->memory_bits ? cfg->memory_bits : memory_bits_auto();
    j->mem_loops = cfg->mem_loops ? cfg->mem_loops : EA_JENT_MEM_LOOPS_DEFAULT;
    j->library = cfg->library != 0;
    j->hash_loops = cfg->hash_loops   ? cfg->hash_loops
                    : j->library      ? EA_JENT_HASH_LOOPS_LIBRARY
                                      : EA_JENT_HASH_LOOPS_DEFAULT;
    j->mask = (uint32_t)((1ul << j->memory_bits) - 1u);
    if (j->library) {
        j->core = ea_jent_core_new(timer, j->memory_bits, j->mem_loops, j->hash_loops);
        if (j->core == NULL) {
            free(j);
            return ea_col_fail(EA_ERR_NOMEM, err, errlen, "cannot allocate the %u-bit memory "
                               "buffer", cfg->memory_bits ? cfg->memory_bits : 0u);
        }
        *out = j;
        return EA_OK;
    }
    st = init_state(j, err, errlen);
    if (st != EA_OK)
        return st;
    j->prev = ea_timer_now(timer);
    (void)one_sample(j);   /* prime t_prev, as the library's recorder does */
    if (j->failed) {
        ea_jent_close(j);
        return ea_col_fail(EA_ERR_SOURCE, err, errlen, "SHA3-256 failed in OpenSSL");
    }
    *out = j;
    return EA_OK;
}

void ea_jent_config(const ea_jent *j, ea_src_config *cfg)
{
    cfg->memory_bits = j->memory_bits;
    cfg->mem_loops = j->mem_loops;
    cfg->hash_loops = j->hash_loops;
    cfg->library = j->library;
}

void ea_jent_close(ea_jent *j)
{
    if (j == NULL)
        return;
    ea_jent_core_free(j->core);
    if (j->pool != NULL) {
        uint8_t sink[SHA3_256_LEN];
        (void)EVP_DigestFinal_ex(j->pool, sink, NULL);
    }
    EVP_MD_CTX_free(j->pool);
    EVP_MD_CTX_free(j->loop);
    EVP_MD_free(j->md);
    free((void *)j->mem);
    free(j);
}
