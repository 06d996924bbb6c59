/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_iid_compression.c - unit tests for the SP 800-90B §5.1.11
 * compression statistic (iid_compression.c): the length must equal what
 * NIST's compression() gets from BZ2_bzBuffToBuffCompress on the samples
 * written as "%u" separated by single spaces, block size 5, verbosity 0,
 * work factor 0.
 */
#include <bzlib.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"
#include "iid_internal.h"

/* The reference's way, built independently: sprintf each sample with a
 * trailing space, drop the last space, one-shot compression into a
 * buffer of ceil(1.01 * len) + 600 bytes; 0 when it fails. */
static long double expected_length(const uint8_t *d, size_t n)
{
    char *text = malloc(4 * n + 1);
    size_t len = 0;
    unsigned int dest_len;
    char *dest;
    int rc;

    cr_assert(text != NULL);
    text[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "%u ", (unsigned)d[i]);
    if (len > 0)
        len--;
    dest_len = (unsigned int)(ceil(1.01 * (double)len) + 600.0);
    dest = malloc(dest_len);
    cr_assert(dest != NULL);
    rc = BZ2_bzBuffToBuffCompress(dest, &dest_len, text, (unsigned int)len, 5, 0, 0);
    free(text);
    free(dest);
    return rc == BZ_OK ? (long double)dest_len : 0.0L;
}

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

enum { RANDOM, SMALL_ALPHABET, BINARY, CONSTANT, RAMP, SPARSE, NKINDS };

static void fill(uint8_t *d, size_t n, int kind, uint64_t *x)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t r = xorshift(x);
        switch (kind) {
        case RANDOM:         d[i] = (uint8_t)r; break;
        case SMALL_ALPHABET: d[i] = (uint8_t)(r % 5u * 50u); break;
        case BINARY:         d[i] = (uint8_t)(r & 1u); break;
        case CONSTANT:       d[i] = 7; break;
        case RAMP:           d[i] = (uint8_t)(i * 256u / n); break;
        default:             d[i] = (uint8_t)(r % 97u == 0 ? 255u : 0u); break;
        }
    }
}

static long double ours(ea_iid_compressor *c, const uint8_t *d, size_t n)
{
    long double v = -1.0L;

    cr_assert_eq(ea_iid_compression_stat(c, d, n, &v), EA_OK);
    return v;
}

Test(iid_compression, matches_bzbufftobuff_on_varied_inputs)
{
    const size_t nmax = 60000;
    uint8_t *d = malloc(nmax);
    ea_iid_compressor *c;
    uint64_t x = 0x9E3779B97F4A7C15u;

    cr_assert(d != NULL);
    cr_assert_eq(ea_iid_compressor_new(nmax, 255, &c), EA_OK);
    for (int kind = 0; kind < NKINDS; kind++) {
        static const size_t sizes[] = { 1, 2, 3, 17, 1000, 16383, 16384, 16385, 60000 };
        for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
            size_t n = sizes[k];
            fill(d, n, kind, &x);
            cr_assert_eq(ours(c, d, n), expected_length(d, n), "kind %d n %zu", kind, n);
        }
    }
    ea_iid_compressor_free(c);
    free(d);
}

/* More than one bzip2 block (500,000 bytes of text) and many chunks. */
Test(iid_compression, several_blocks)
{
    const size_t n = 400000;     /* ~1.4 MB of text: three blocks */
    uint8_t *d = malloc(n);
    ea_iid_compressor *c;
    uint64_t x = 12345;

    cr_assert(d != NULL);
    cr_assert_eq(ea_iid_compressor_new(n, 255, &c), EA_OK);
    fill(d, n, RANDOM, &x);
    cr_assert_eq(ours(c, d, n), expected_length(d, n));
    fill(d, n, BINARY, &x);
    cr_assert_eq(ours(c, d, n), expected_length(d, n));
    ea_iid_compressor_free(c);
    free(d);
}

/* libbz2 cuts a block when it holds 499,981 bytes; the bytes of an
 * unfinished run of equal bytes move to the next block, and when the
 * input ends right there the last block takes them. 2-digit values with
 * no equal neighbouring bytes: the text is 3n - 1 bytes and n = 166661
 * ends exactly where the first block fills. */
Test(iid_compression, input_ending_where_a_block_fills)
{
    static const uint8_t v[6] = { 12, 34, 56, 78, 91, 23 };
    const size_t nmax = 166664;
    uint8_t *d = malloc(nmax);
    ea_iid_compressor *c;

    cr_assert(d != NULL);
    for (size_t i = 0; i < nmax; i++)
        d[i] = v[(i * 7 + i / 3) % 6];
    cr_assert_eq(ea_iid_compressor_new(nmax, 91, &c), EA_OK);
    for (size_t n = 166659; n <= nmax; n++)
        cr_assert_eq(ours(c, d, n), expected_length(d, n), "n %zu", n);
    /* "11 11 ... 11 111": 499,983 bytes ending in a run of three; the
     * block is not full before the input ends, the last block has all. */
    for (size_t i = 0; i < 166660; i++)
        d[i] = 11;
    d[166660] = 111;
    cr_assert_eq(ours(c, d, 166661), expected_length(d, 166661));
    ea_iid_compressor_free(c);
    free(d);
}

/* A last block of 1..3 digits and no space: two 1-digit values among
 * 2-digit ones put the last sample's first digit at byte 499,981. */
Test(iid_compression, last_block_without_a_space)
{
    static const uint8_t v[4] = { 12, 34, 56, 78 };
    const size_t n = 166662;
    uint8_t *d = malloc(n + 1);
    ea_iid_compressor *c;

    cr_assert(d != NULL);
    for (size_t i = 0; i < n; i++)
        d[i] = v[i % 4];
    d[5] = 1;
    d[9] = 2;
    cr_assert_eq(ea_iid_compressor_new(n, 255, &c), EA_OK);
    cr_assert_eq(ours(c, d, n), expected_length(d, n));     /* "78": 2 bytes */
    d[n - 1] = 3;
    cr_assert_eq(ours(c, d, n), expected_length(d, n));     /* "3": 1 byte */
    d[n - 1] = 123;
    d[n - 2] = 2;                                           /* "123" */
    cr_assert_eq(ours(c, d, n - 0), expected_length(d, n));
    ea_iid_compressor_free(c);
    free(d);
}

/* Blocks cut inside 3-digit numbers join the block's last digits to its
 * first token (up to 6 digits, e.g. "111111 "), and periodic blocks have
 * equal rotations. */
Test(iid_compression, wrap_tokens_and_periodic_blocks)
{
    const size_t n = 300000;
    uint8_t *d = malloc(n);
    ea_iid_compressor *c;
    uint64_t x = 4242;

    cr_assert(d != NULL);
    cr_assert_eq(ea_iid_compressor_new(n, 255, &c), EA_OK);
    for (size_t i = 0; i < n; i++)          /* 3-digit values, many 111 */
        d[i] = (uint8_t)(xorshift(&x) % 3 == 0 ? 111 : 100 + xorshift(&x) % 156);
    cr_assert_eq(ours(c, d, n), expected_length(d, n));
    for (size_t i = 0; i < n; i++)          /* all 111: "111 111 ..." */
        d[i] = 111;
    cr_assert_eq(ours(c, d, n), expected_length(d, n));
    for (size_t i = 0; i < n; i++)          /* period 2 */
        d[i] = (uint8_t)(i % 2 ? 12 : 34);
    cr_assert_eq(ours(c, d, n), expected_length(d, n));
    for (size_t i = 0; i < n; i++)          /* long repeats with noise */
        d[i] = (uint8_t)(i % 1000 == 999 ? xorshift(&x) : (i % 1000) * 7);
    cr_assert_eq(ours(c, d, n), expected_length(d, n));
    ea_iid_compressor_free(c);
    free(d);
}

/* Random bytes with repeated stretches: many equal rotation prefixes
 * (a 50-sample pattern 40 times) and long equal stretches (5,000
 * samples twice) take the rotation sort's slower paths. */
Test(iid_compression, repeated_stretches)
{
    const size_t n = 150000;
    uint8_t *d = malloc(n);
    ea_iid_compressor *c;
    uint64_t x = 99;

    cr_assert(d != NULL);
    cr_assert_eq(ea_iid_compressor_new(n, 255, &c), EA_OK);
    fill(d, n, RANDOM, &x);
    for (size_t k = 1; k <= 40; k++)
        memcpy(d + k * 3000, d, 50);
    cr_assert_eq(ours(c, d, n), expected_length(d, n));
    fill(d, n, RANDOM, &x);
    memcpy(d + 60000, d + 10000, 5000);
    cr_assert_eq(ours(c, d, n), expected_length(d, n));
    ea_iid_compressor_free(c);
    free(d);
}

/* One compressor reused across inputs of different sizes and kinds, in
 * both orders, gives the same lengths as fresh compressors. */
Test(iid_compression, reuse_gives_the_same_lengths)
{
    const size_t n = 50000;
    uint8_t *a = malloc(n), *b = malloc(n);
    ea_iid_compressor *c, *fresh;
    long double la, lb;
    uint64_t x = 777;

    cr_assert(a && b);
    fill(a, n, RANDOM, &x);
    fill(b, n, SMALL_ALPHABET, &x);
    cr_assert_eq(ea_iid_compressor_new(n, 255, &fresh), EA_OK);
    la = ours(fresh, a, n);
    ea_iid_compressor_free(fresh);
    cr_assert_eq(ea_iid_compressor_new(n, 255, &fresh), EA_OK);
    lb = ours(fresh, b, n);
    ea_iid_compressor_free(fresh);

    /* created for 10 samples: the scratch grows on the first long call */
    cr_assert_eq(ea_iid_compressor_new(10, 255, &c), EA_OK);
    for (int round = 0; round < 3; round++) {
        cr_assert_eq(ours(c, a, n), la);
        cr_assert_eq(ours(c, b, n), lb);
        cr_assert_eq(ours(c, b, n / 2), expected_length(b, n / 2));
        cr_assert_eq(ours(c, a, 1), expected_length(a, 1));
    }
    ea_iid_compressor_free(c);
    free(a);
    free(b);
}

Test(iid_compression, empty_input_is_an_empty_stream)
{
    ea_iid_compressor *c;
    uint8_t dummy = 0;

    cr_assert_eq(ea_iid_compressor_new(0, 1, &c), EA_OK);
    cr_assert_eq(ours(c, &dummy, 0), expected_length(&dummy, 0));
    cr_assert_eq(ours(c, NULL, 0), expected_length(&dummy, 0));
    ea_iid_compressor_free(c);
}

Test(iid_compression, known_values)
{
    /* "0 1 2 3 4 5 6 7 8 9", "255" and "": the sizes of
     * printf TEXT | bzip2 -5 | wc -c (bzip2 1.0.8). */
    uint8_t ten[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, one = 255;
    ea_iid_compressor *c;

    cr_assert_eq(ea_iid_compressor_new(10, 255, &c), EA_OK);
    cr_assert_eq(ours(c, ten, 10), 50.0L);
    cr_assert_eq(ours(c, &one, 1), 37.0L);
    cr_assert_eq(ours(c, ten, 0), 14.0L);   /* empty stream */
    ea_iid_compressor_free(c);
}

Test(iid_compression, bad_arguments)
{
    ea_iid_compressor *c;
    long double v;
    uint8_t d[4] = { 1, 2, 3, 4 };

    cr_assert_eq(ea_iid_compressor_new(4, 4, NULL), EA_ERR_ARG);
    cr_assert_eq(ea_iid_compressor_new(4, 4, &c), EA_OK);
    cr_assert_eq(ea_iid_compression_stat(NULL, d, 4, &v), EA_ERR_ARG);
    cr_assert_eq(ea_iid_compression_stat(c, NULL, 4, &v), EA_ERR_ARG);
    cr_assert_eq(ea_iid_compression_stat(c, d, 4, NULL), EA_ERR_ARG);
    ea_iid_compressor_free(c);
    ea_iid_compressor_free(NULL);
}
