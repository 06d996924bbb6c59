/* SPDX-License-Identifier: Apache-2.0 */
/*
 * extract.c - from raw timer deltas to 8-bit symbols, as jitterentropy's
 * extractlsb tool does it, and the GCD of the deltas.
 *
 * SP 800-90B §3.1.1 (the submitted data are the raw samples, up to 8 bits
 * per symbol for the tool) and §6.4 (the symbol size is the number of bits
 * kept). A mask selects 1..8 bits of a delta; they are packed toward the
 * least significant end in their original order: the mask's lowest set bit
 * becomes bit 0 of the symbol, the next one bit 1, and so on. Optionally
 * the deltas are first divided by a common divisor (the GCD, as the
 * library divides by its timer GCD, jitterentropy-gcd.c).
 */
#include "source.h"

int ea_mask_bits(uint64_t mask)
{
    int n = 0;

    for (; mask != 0; mask &= mask - 1)
        n++;
    return n;
}

static uint64_t gcd2(uint64_t a, uint64_t b)
{
    while (b != 0) {
        uint64_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}

uint64_t ea_gcd_u64(const uint64_t *d, size_t n)
{
    uint64_t g = 0;

    for (size_t i = 0; i < n && g != 1; i++)
        g = gcd2(d[i], g);
    return g;
}

/* Gather the bits of v at positions pos[0..k) into bits 0..k-1. */
static uint8_t gather(uint64_t v, const unsigned *pos, int k)
{
    unsigned out = 0;

    for (int b = 0; b < k; b++)
        out |= (unsigned)((v >> pos[b]) & 1u) << b;
    return (uint8_t)out;
}

void ea_extract(const uint64_t *d, size_t n, uint64_t mask, uint64_t divisor, uint8_t *out)
{
    unsigned pos[64];
    int k = 0;
    unsigned shift = 0;
    int contiguous;

    if (divisor == 0)
        divisor = 1;
    for (unsigned b = 0; b < 64; b++)
        if (mask >> b & 1u)
            pos[k++] = b;
    if (k > 8)
        k = 8;   /* callers validate 1..8 bits; never write past a byte */
    contiguous = k > 0 && pos[k - 1] - pos[0] == (unsigned)(k - 1);
    if (k > 0)
        shift = pos[0];
    for (size_t i = 0; i < n; i++) {
        uint64_t v = divisor == 1 ? d[i] : d[i] / divisor;
        if (contiguous)
            out[i] = (uint8_t)((v >> shift) & ((1u << k) - 1u));
        else
            out[i] = gather(v, pos, k);
    }
}
