/* SPDX-License-Identifier: Apache-2.0 */
/*
 * histogram.c - symbol counts and NIST-exact proportions (see histogram.h).
 */
#include <string.h>

#include "histogram.h"

/* Four interleaved histograms, so that runs of one symbol do not
 * serialize on one counter. */
int ea_symbol_counts(const uint8_t *s, size_t n, int k, uint64_t counts[256])
{
    uint64_t h[4][256];
    size_t i = 0;

    memset(h, 0, sizeof h);
    for (; i + 4 <= n; i += 4) {
        h[0][s[i]]++;
        h[1][s[i + 1]]++;
        h[2][s[i + 2]]++;
        h[3][s[i + 3]]++;
    }
    for (; i < n; i++)
        h[0][s[i]]++;
    for (int v = 0; v < 256; v++) {
        counts[v] = h[0][v] + h[1][v] + h[2][v] + h[3][v];
        if (v >= k && counts[v] != 0)
            return -1;
    }
    return 0;
}

void ea_symbol_proportions(const uint64_t *counts, size_t n, int k, double *p)
{
    double inv = 1.0 / (double)n;

    for (int v = 0; v < k; v++) {
        double acc = 0.0;
        for (uint64_t j = 0; j < counts[v]; j++)
            acc += inv;
        p[v] = acc;
    }
}
