/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rng.c - unit tests for the permutation generator (rng.c):
 * xoshiro256**, SplitMix64 seeding, Lemire bounded integers and the
 * Fisher-Yates shuffle used by SP 800-90B §5.1 permutation testing.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"

__extension__ typedef unsigned __int128 u128;

/* Published first outputs of xoshiro256** from the state {1, 2, 3, 4}
 * (Blackman and Vigna's reference code). */
Test(rng, xoshiro256starstar_known_answers)
{
    static const uint64_t want[10] = {
        11520u, 0u, 1509978240u, 1215971899390074240u, 1216172134540287360u,
        607988272756665600u, 16172922978634559625u, 8476171486693032832u,
        10595114339597558777u, 2904607092377533576u,
    };
    ea_rng r = { { 1, 2, 3, 4 } };

    for (int i = 0; i < 10; i++)
        cr_assert_eq(ea_rng_next(&r), want[i], "output %d", i);
}

/*
 * The seeding construction: key = first SplitMix64 output from `seed`;
 * state = the first four SplitMix64 outputs from key ^ stream. Published
 * SplitMix64 outputs: from 1234567 the first is 6457827717110365317;
 * from 0 they are e220a8397b1dcdaf 6e789e6aa1b965f4 06c45d188009454f
 * f88bb8a8724c81ec.
 */
Test(rng, splitmix64_seeding_known_answers)
{
    const uint64_t key = 6457827717110365317u;   /* first output from 1234567 */
    ea_rng r;

    /* key ^ stream == 0: the state is SplitMix64's stream from 0. */
    ea_rng_seed(&r, 1234567u, key);
    cr_assert_eq(r.s[0], 0xe220a8397b1dcdafu);
    cr_assert_eq(r.s[1], 0x6e789e6aa1b965f4u);
    cr_assert_eq(r.s[2], 0x06c45d188009454fu);
    cr_assert_eq(r.s[3], 0xf88bb8a8724c81ecu);

    /* key ^ stream == 1234567: SplitMix64's stream from 1234567. */
    ea_rng_seed(&r, 1234567u, key ^ 1234567u);
    cr_assert_eq(r.s[0], 6457827717110365317u);
    cr_assert_eq(r.s[1], 3203168211198807973u);
    cr_assert_eq(r.s[2], 9817491932198370423u);
    cr_assert_eq(r.s[3], 4593380528125082431u);
}

Test(rng, seeding_is_deterministic_and_streams_differ)
{
    ea_rng a, b, c, d;

    ea_rng_seed(&a, 42, 7);
    ea_rng_seed(&b, 42, 7);
    ea_rng_seed(&c, 42, 8);
    ea_rng_seed(&d, 43, 7);
    cr_assert(memcmp(&a, &b, sizeof(a)) == 0);
    cr_assert(memcmp(&a, &c, sizeof(a)) != 0);
    cr_assert(memcmp(&a, &d, sizeof(a)) != 0);
    cr_assert(a.s[0] | a.s[1] | a.s[2] | a.s[3]);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(ea_rng_next(&a), ea_rng_next(&b));
}

/* Lemire's method for [0, s], written independently as the reference's
 * randomRange64 specifies it. */
static uint64_t range_model(ea_rng *r, uint64_t s)
{
    uint64_t x = ea_rng_next(r);
    u128 m;

    if (s == UINT64_MAX)
        return x;
    m = (u128)x * (u128)(s + 1);
    if ((uint64_t)m < s + 1) {
        uint64_t t = (0 - (s + 1)) % (s + 1);
        while ((uint64_t)m < t)
            m = (u128)ea_rng_next(r) * (u128)(s + 1);
    }
    return (uint64_t)(m >> 64);
}

Test(rng, range_matches_lemire_model)
{
    /* Large bounds make the rejection branch common. */
    static const uint64_t bounds[] = {
        0, 1, 2, 9, 255, 1000000, 0xFFFFFFFFu, (1ull << 63), (1ull << 63) + 12345u,
        0xC000000000000000u, UINT64_MAX - 1, UINT64_MAX,
    };
    ea_rng a, b;

    ea_rng_seed(&a, 99, 1);
    b = a;
    for (size_t k = 0; k < sizeof(bounds) / sizeof(bounds[0]); k++)
        for (int i = 0; i < 2000; i++) {
            uint64_t v = ea_rng_range(&a, bounds[k]);
            cr_assert_eq(v, range_model(&b, bounds[k]));
            cr_assert_leq(v, bounds[k]);
        }
    cr_assert(memcmp(&a, &b, sizeof(a)) == 0, "same number of draws");
}

Test(rng, range_bounds_and_uniformity)
{
    long hist[10] = { 0 };
    ea_rng r;

    ea_rng_seed(&r, 5, 0);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(ea_rng_range(&r, 0), 0u);
    for (int i = 0; i < 200000; i++) {
        uint64_t v = ea_rng_range(&r, 9);
        cr_assert_leq(v, 9u);
        hist[v]++;
    }
    /* 20,000 expected per value; sd ~ 134, so +-1000 is > 7 sd. */
    for (int k = 0; k < 10; k++)
        cr_assert(hist[k] > 19000 && hist[k] < 21000, "value %d: %ld", k, hist[k]);
}

/*
 * The documented shuffle: Fisher-Yates from the top; j by Lemire's
 * method in 32 bits, the 32-bit words being each output's low half then
 * its high half.
 */
static void shuffle_model(uint8_t *buf, size_t n, ea_rng *r)
{
    uint64_t w = 0;
    int half = 0;

    for (size_t i = n - 1; n > 1 && i > 0; i--) {
        uint64_t bound = (uint64_t)i + 1, m;
        for (;;) {
            uint32_t u;
            if (half) {
                u = (uint32_t)(w >> 32);
                half = 0;
            } else {
                w = ea_rng_next(r);
                u = (uint32_t)w;
                half = 1;
            }
            m = (uint64_t)u * bound;
            if ((m & 0xFFFFFFFFu) >= (((1ull << 32) - bound) % bound))
                break;
        }
        uint8_t t = buf[i];
        buf[i] = buf[m >> 32];
        buf[m >> 32] = t;
    }
}

Test(rng, shuffle_matches_documented_algorithm)
{
    const size_t n = 100003;
    uint8_t *a = malloc(n), *b = malloc(n);
    ea_rng ra, rb;

    cr_assert(a && b);
    for (size_t i = 0; i < n; i++)
        a[i] = b[i] = (uint8_t)(i * 31u + i / 256u);
    ea_rng_seed(&ra, 2024, 17);
    rb = ra;
    ea_shuffle(a, n, &ra);
    shuffle_model(b, n, &rb);
    cr_assert(memcmp(a, b, n) == 0);
    cr_assert(memcmp(&ra, &rb, sizeof(ra)) == 0);
    free(a);
    free(b);
}

Test(rng, shuffle_is_a_permutation_and_deterministic)
{
    const size_t n = 200000;
    uint8_t *a = malloc(n), *b = malloc(n), *c = malloc(n);
    long before[256] = { 0 }, after[256] = { 0 };
    uint8_t dist[256];
    ea_rng r;
    size_t moved = 0;

    cr_assert(a && b && c);
    for (size_t i = 0; i < n; i++) {
        a[i] = b[i] = c[i] = (uint8_t)(i % 251u);
        before[a[i]]++;
    }
    ea_rng_seed(&r, 1, 10);
    ea_shuffle(a, n, &r);
    ea_rng_seed(&r, 1, 10);
    ea_shuffle(b, n, &r);
    ea_rng_seed(&r, 1, 11);
    ea_shuffle(c, n, &r);
    for (size_t i = 0; i < n; i++) {
        after[a[i]]++;
        moved += a[i] != (uint8_t)(i % 251u);
    }
    cr_assert(memcmp(before, after, sizeof(before)) == 0);
    cr_assert(memcmp(a, b, n) == 0, "same seed and stream, same permutation");
    cr_assert(memcmp(a, c, n) != 0, "another stream, another permutation");
    cr_assert_gt(moved, n / 2);

    /* 256 distinct values stay distinct. */
    for (int k = 0; k < 256; k++)
        dist[k] = (uint8_t)k;
    ea_shuffle(dist, 256, &r);
    memset(before, 0, sizeof(before));
    for (int k = 0; k < 256; k++)
        before[dist[k]]++;
    for (int k = 0; k < 256; k++)
        cr_assert_eq(before[k], 1);
    free(a);
    free(b);
    free(c);
}

Test(rng, shuffle_of_three_is_uniform)
{
    long count[6] = { 0 };
    ea_rng r;

    ea_rng_seed(&r, 77, 3);
    for (int t = 0; t < 60000; t++) {
        uint8_t v[3] = { 0, 1, 2 };
        ea_shuffle(v, 3, &r);
        /* index of the permutation: first element * 2 + (second > third) */
        count[v[0] * 2 + (v[1] > v[2])]++;
    }
    /* 10,000 expected each; sd ~ 91. */
    for (int k = 0; k < 6; k++)
        cr_assert(count[k] > 9400 && count[k] < 10600, "perm %d: %ld", k, count[k]);
}

Test(rng, shuffle_of_zero_or_one_is_a_no_op)
{
    uint8_t v = 42;
    ea_rng r, r0;

    ea_rng_seed(&r, 3, 3);
    r0 = r;
    ea_shuffle(&v, 1, &r);
    ea_shuffle(NULL, 0, &r);
    cr_assert_eq(v, 42);
    cr_assert(memcmp(&r, &r0, sizeof(r)) == 0);
}
