/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_extract.c - symbol extraction as jitterentropy's extractlsb does it
 * (SP 800-90B §3.1.1, §6.4) and the GCD of the deltas.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "source.h"

/* extractlsb's rule, written out bit by bit: the i-th set bit of the mask
 * (from the least significant end) becomes bit i of the symbol. */
static uint8_t by_hand(uint64_t v, uint64_t mask)
{
    unsigned out = 0, j = 0;

    for (unsigned b = 0; b < 64; b++) {
        if (mask >> b & 1u) {
            out |= (unsigned)(v >> b & 1u) << j;
            j++;
        }
    }
    return (uint8_t)out;
}

static uint8_t one(uint64_t v, uint64_t mask)
{
    uint8_t s;
    ea_extract(&v, 1, mask, 1, &s);
    return s;
}

Test(extract, mask_ff_keeps_low_byte)
{
    cr_assert_eq(one(0x1234, 0xFF), 0x34);
    cr_assert_eq(one(0xFFFFFFFFFFFFFF00ull, 0xFF), 0x00);
    cr_assert_eq(one(0xAB, 0xFF), 0xAB);
}

Test(extract, mask_0f_keeps_low_nibble)
{
    cr_assert_eq(one(0x1234, 0x0F), 0x4);
    cr_assert_eq(one(0xFF, 0x0F), 0xF);
    cr_assert_eq(one(0xF0, 0x0F), 0x0);
}

Test(extract, mask_7f8_bits_3_to_10)
{
    /* 0x1234 = 1 0010 0011 0100b; bits 3..10 = 100 0110 = 0x46 */
    cr_assert_eq(one(0x1234, 0x7F8), 0x46);
    cr_assert_eq(one(0x7F8, 0x7F8), 0xFF);
    cr_assert_eq(one(0x7, 0x7F8), 0x00);
    cr_assert_eq(one(0x408, 0x7F8), 0x81);   /* bit 3 -> bit 0, bit 10 -> bit 7 */
}

Test(extract, mask_78_bits_3_to_6)
{
    cr_assert_eq(one(0x1234, 0x78), 0x6);   /* 0x1234 >> 3 = 0x246, low nibble 6 */
    cr_assert_eq(one(0x78, 0x78), 0xF);
    cr_assert_eq(one(0x87, 0x78), 0x0);
    cr_assert_eq(one(0x40, 0x78), 0x8);
}

Test(extract, scattered_mask_packs_in_order)
{
    cr_assert_eq(one(0x0A, 0x0A), 0x3);
    cr_assert_eq(one(0x02, 0x0A), 0x1);
    cr_assert_eq(one(0x08, 0x0A), 0x2);
    cr_assert_eq(one(0x8001, 0x8001), 0x3);
    cr_assert_eq(one(0x8000000000000000ull, 0x8000000000000001ull), 0x2);
}

Test(extract, agrees_with_bitwise_rule)
{
    const uint64_t masks[] = {0xFF, 0x0F, 0x7F8, 0x78, 0x1, 0x8000000000000000ull,
                              0x5555, 0xF00000000000000Full, 0x0102040810204080ull, 0x3C0};
    uint64_t d[512];
    uint8_t s[512];
    uint64_t x = 0x9E3779B97F4A7C15ull;

    for (size_t i = 0; i < 512; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        d[i] = x;
    }
    for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
        ea_extract(d, 512, masks[m], 1, s);
        for (size_t i = 0; i < 512; i++)
            cr_assert_eq(s[i], by_hand(d[i], masks[m]), "mask %#llx sample %zu",
                         (unsigned long long)masks[m], i);
    }
}

Test(extract, divisor_applies_before_the_mask)
{
    const uint64_t d[] = {26, 52, 78, 26 * 300};
    uint8_t s[4];

    ea_extract(d, 4, 0xFF, 26, s);
    cr_assert_eq(s[0], 1);
    cr_assert_eq(s[1], 2);
    cr_assert_eq(s[2], 3);
    cr_assert_eq(s[3], 300 & 0xFF);
    ea_extract(d, 4, 0xFF, 0, s);   /* 0 means no division */
    cr_assert_eq(s[0], 26);
}

Test(extract, mask_bits)
{
    cr_assert_eq(ea_mask_bits(0), 0);
    cr_assert_eq(ea_mask_bits(0xFF), 8);
    cr_assert_eq(ea_mask_bits(0x7F8), 8);
    cr_assert_eq(ea_mask_bits(0x78), 4);
    cr_assert_eq(ea_mask_bits(0x1FF), 9);
    cr_assert_eq(ea_mask_bits(~0ull), 64);
}

Test(gcd, common_factor)
{
    const uint64_t a[] = {12, 18, 30};
    const uint64_t b[] = {26, 52, 78, 2418};
    const uint64_t c[] = {1ull << 40, 3ull << 40};

    cr_assert_eq(ea_gcd_u64(a, 3), 6);
    cr_assert_eq(ea_gcd_u64(b, 4), 26);
    cr_assert_eq(ea_gcd_u64(c, 2), 1ull << 40);
}

Test(gcd, zeros_and_edges)
{
    const uint64_t z[] = {0, 0, 0};
    const uint64_t zx[] = {0, 0, 7, 0, 21};
    const uint64_t one_v[] = {5};
    const uint64_t coprime[] = {9, 10};

    cr_assert_eq(ea_gcd_u64(z, 3), 0);
    cr_assert_eq(ea_gcd_u64(zx, 5), 7);
    cr_assert_eq(ea_gcd_u64(one_v, 1), 5);
    cr_assert_eq(ea_gcd_u64(coprime, 2), 1);
    cr_assert_eq(ea_gcd_u64(NULL, 0), 0);
}
