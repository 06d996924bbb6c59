/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jent_o0.c - the jent source's "library" mode: the noise core run the
 * way the jitterentropy library runs it, so that its timing (the raw
 * noise, SP 800-90B §3.2.2) resembles the certified library's rather than
 * a faster look-alike's. This file is built with -O0 (see the Makefile),
 * as the library requires for its own noise core: an optimising compiler
 * would shorten and smooth the very loops whose timing is measured.
 *
 * One raw sample, as in the library's common mode:
 *   1. memory access: mem_loops read-modify-writes (+1) of single bytes at
 *      xoshiro128** offsets in the 2^memory_bits buffer, the generator's
 *      state re-seeded from fixed words XORed with the low bytes of 16
 *      timer reads;
 *   2. t = timer(); delta = t - t_prev (the sample);
 *   3. the stuck test and health counters (first, second and third
 *      differences; repetition and adaptive-proportion counts), which
 *      the library runs for every sample;
 *   4. the hash loop: hash_loops SHA3-256 computations (one Keccak-f[1600]
 *      each) over the previous digest, the health counters and the loop
 *      index;
 *   5. the pool insert: one 136-byte SHA3-256 rate block (delta, a domain
 *      byte, the digest) absorbed into the running state: one more
 *      Keccak-f[1600].
 * Steps 3-5 of one sample and step 1 of the next lie in the next delta.
 *
 * SHA3-256 and Keccak-f[1600] are written here from FIPS 202 (§3, §6.1),
 * in plain C: the library uses its own portable C implementation too, so
 * the permutation costs what it costs there, not what OpenSSL's assembly
 * costs. The unit tests check this SHA3-256 against OpenSSL's.
 */
#include <stdlib.h>
#include <string.h>

#include "source_int.h"

#define RATE 136   /* SHA3-256 rate in bytes: (1600 - 2 * 256) / 8 */

/* FIPS 202 §3.2.5 (iota): the 24 round constants. */
static const uint64_t round_const[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808Aull, 0x8000000080008000ull,
    0x000000000000808Bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008Aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000Aull,
    0x000000008000808Bull, 0x800000000000008Bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800Aull, 0x800000008000000Aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

/* A left rotation (lane offsets 1..63 only: rho's 0 is not rotated). */
#define ROL(v, k) (((v) << (k)) | ((v) >> (64 - (k))))

/* FIPS 202 §3.2.1 (theta), lanes a[x + 5y], every lane written out as a
 * portable C Keccak (the library's among them) does. */
static void theta(uint64_t a[25])
{
    uint64_t c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;

    c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
    c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
    c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
    c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
    c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
    d0 = c4 ^ ROL(c1, 1);
    d1 = c0 ^ ROL(c2, 1);
    d2 = c1 ^ ROL(c3, 1);
    d3 = c2 ^ ROL(c4, 1);
    d4 = c3 ^ ROL(c0, 1);
    a[0] ^= d0; a[1] ^= d1; a[2] ^= d2; a[3] ^= d3; a[4] ^= d4;
    a[5] ^= d0; a[6] ^= d1; a[7] ^= d2; a[8] ^= d3; a[9] ^= d4;
    a[10] ^= d0; a[11] ^= d1; a[12] ^= d2; a[13] ^= d3; a[14] ^= d4;
    a[15] ^= d0; a[16] ^= d1; a[17] ^= d2; a[18] ^= d3; a[19] ^= d4;
    a[20] ^= d0; a[21] ^= d1; a[22] ^= d2; a[23] ^= d3; a[24] ^= d4;
}

/* §3.2.2 (rho): lane (x, y) rotated by its offset. */
static void rho(uint64_t a[25])
{
    a[1] = ROL(a[1], 1); a[2] = ROL(a[2], 62); a[3] = ROL(a[3], 28); a[4] = ROL(a[4], 27);
    a[5] = ROL(a[5], 36); a[6] = ROL(a[6], 44); a[7] = ROL(a[7], 6); a[8] = ROL(a[8], 55);
    a[9] = ROL(a[9], 20); a[10] = ROL(a[10], 3); a[11] = ROL(a[11], 10); a[12] = ROL(a[12], 43);
    a[13] = ROL(a[13], 25); a[14] = ROL(a[14], 39); a[15] = ROL(a[15], 41); a[16] = ROL(a[16], 45);
    a[17] = ROL(a[17], 15); a[18] = ROL(a[18], 21); a[19] = ROL(a[19], 8); a[20] = ROL(a[20], 18);
    a[21] = ROL(a[21], 2); a[22] = ROL(a[22], 61); a[23] = ROL(a[23], 56); a[24] = ROL(a[24], 14);
}

/* §3.2.3 (pi): A'[x, y] = A[(x + 3y) mod 5, x], as one cycle of the 24 moving lanes. */
static void pi(uint64_t a[25])
{
    uint64_t t;

    t = a[1]; a[1] = a[6]; a[6] = a[9]; a[9] = a[22]; a[22] = a[14];
    a[14] = a[20]; a[20] = a[2]; a[2] = a[12]; a[12] = a[13]; a[13] = a[19];
    a[19] = a[23]; a[23] = a[15]; a[15] = a[4]; a[4] = a[24]; a[24] = a[21];
    a[21] = a[8]; a[8] = a[16]; a[16] = a[5]; a[5] = a[3]; a[3] = a[18];
    a[18] = a[17]; a[17] = a[11]; a[11] = a[7]; a[7] = a[10]; a[10] = t;
}

/* §3.2.4 (chi), one row of five lanes. */
static void chi_row(uint64_t *r)
{
    uint64_t t0 = r[0], t1 = r[1], t2 = r[2], t3 = r[3], t4 = r[4];

    r[0] = t0 ^ (~t1 & t2);
    r[1] = t1 ^ (~t2 & t3);
    r[2] = t2 ^ (~t3 & t4);
    r[3] = t3 ^ (~t4 & t0);
    r[4] = t4 ^ (~t0 & t1);
}

/* FIPS 202 §3.3: Keccak-p[1600, 24]. */
static void keccak_f1600(uint64_t a[25])
{
    for (unsigned round = 0; round < 24; round++) {
        theta(a);
        rho(a);
        pi(a);
        for (unsigned y = 0; y < 5; y++)
            chi_row(a + 5 * y);
        a[0] ^= round_const[round];   /* §3.2.5 (iota) */
    }
}

/* XOR a RATE-byte block into the state, little-endian lanes. */
static void absorb_block(uint64_t a[25], const uint8_t *block)
{
    for (unsigned i = 0; i < RATE / 8; i++) {
        uint64_t v = 0;
        for (unsigned k = 0; k < 8; k++)
            v |= (uint64_t)block[8 * i + k] << (8 * k);
        a[i] ^= v;
    }
}

void ea_jent_sha3_256(const uint8_t *m, size_t n, uint8_t out[32])
{
    uint64_t a[25];
    uint8_t block[RATE];

    memset(a, 0, sizeof a);
    for (; n >= RATE; m += RATE, n -= RATE) {
        absorb_block(a, m);
        keccak_f1600(a);
    }
    memset(block, 0, sizeof block);   /* FIPS 202 §6.1: M || 01, then pad10*1 */
    memcpy(block, m, n);
    block[n] ^= 0x06;
    block[RATE - 1] ^= 0x80;
    absorb_block(a, block);
    keccak_f1600(a);
    for (unsigned i = 0; i < 32; i++)
        out[i] = (uint8_t)(a[i / 8] >> (8 * (i % 8)));
}

/* ------------------------------------------------------------ the core */

struct ea_jent_core {
    ea_timer_id timer;
    unsigned mem_loops, hash_loops;
    uint32_t mask;
    uint8_t *mem;
    uint64_t prev, d1, d2;        /* previous timestamp, first and second difference */
    uint32_t rct_count, apt_count, apt_seen;
    uint64_t apt_base;
    uint8_t digest[32];
    uint64_t pool[25];            /* the running SHA3-256 state the results go into */
};

static uint32_t rotl32(uint32_t x, unsigned k)
{
    return (x << k) | (x >> (32u - k));
}

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

/* Step 1. */
static void memaccess(struct ea_jent_core *j)
{
    uint32_t st[4] = {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u};

    for (unsigned i = 0; i < 16; i++)
        st[i / 4] ^= (uint32_t)(ea_timer_now(j->timer) & 0xffu) << (8u * (i % 4));
    for (unsigned i = 0; i < j->mem_loops; i++) {
        uint8_t *p = j->mem + (xoshiro128ss(st) & j->mask);
        *p = (uint8_t)(*p + 1u);
    }
}

/* Step 3: the differences and the repetition / proportion counts (SP 800-90B §4.4). */
static void health(struct ea_jent_core *j, uint64_t delta)
{
    uint64_t d1 = delta - j->d1, d2 = d1 - j->d2;

    j->d1 = delta;
    j->d2 = d1;
    if (delta == 0 || d1 == 0 || d2 == 0)
        j->rct_count++;
    else
        j->rct_count = 0;
    if (j->apt_seen++ == 0 || j->apt_seen > 512) {
        j->apt_base = delta;
        j->apt_seen = 1;
        j->apt_count = 0;
    } else if (delta == j->apt_base) {
        j->apt_count++;
    }
}

/* Steps 4 and 5. */
static void hash(struct ea_jent_core *j, uint64_t delta)
{
    uint8_t msg[64], block[RATE];

    for (uint64_t i = 0; i < j->hash_loops; i++) {
        memcpy(msg, j->digest, 32);
        memcpy(msg + 32, &j->rct_count, 4);
        memcpy(msg + 36, &j->apt_count, 4);
        memcpy(msg + 40, &j->apt_seen, 4);
        memcpy(msg + 44, &j->apt_base, 8);
        memcpy(msg + 52, &i, 8);
        ea_jent_sha3_256(msg, 60, j->digest);
    }
    memset(block, 0, sizeof block);
    memcpy(block, &delta, 8);
    block[8] = 0x03;   /* the common mode's domain byte */
    memcpy(block + 9, j->digest, 32);
    absorb_block(j->pool, block);
    keccak_f1600(j->pool);
}

static uint64_t one_sample(struct ea_jent_core *j)
{
    uint64_t now, delta;

    memaccess(j);
    now = ea_timer_now(j->timer);
    delta = now - j->prev;
    j->prev = now;
    health(j, delta);
    hash(j, delta);
    return delta;
}

ea_jent_core *ea_jent_core_new(ea_timer_id timer, unsigned memory_bits, unsigned mem_loops,
                               unsigned hash_loops)
{
    struct ea_jent_core *j = calloc(1, sizeof *j);

    if (j == NULL)
        return NULL;
    j->mem = calloc((size_t)1 << memory_bits, 1);
    if (j->mem == NULL) {
        free(j);
        return NULL;
    }
    j->timer = timer;
    j->mem_loops = mem_loops;
    j->hash_loops = hash_loops;
    j->mask = (uint32_t)(((size_t)1 << memory_bits) - 1u);
    j->prev = ea_timer_now(timer);
    (void)one_sample(j);   /* prime t_prev, as the library's recorder does */
    return j;
}

void ea_jent_core_read(ea_jent_core *j, uint64_t *deltas, size_t n)
{
    for (size_t i = 0; i < n; i++)
        deltas[i] = one_sample(j);
}

void ea_jent_core_free(ea_jent_core *j)
{
    if (j == NULL)
        return;
    free(j->mem);
    free(j);
}
