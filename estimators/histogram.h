/* SPDX-License-Identifier: Apache-2.0 */
/*
 * histogram.h - symbol counts and proportions shared by the estimators
 * (§6.3.1 most common value, §5.2 chi-square and LRS tests). Internal.
 */
#ifndef EA_HISTOGRAM_H
#define EA_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Occurrences of each byte value in s[0..n-1] (counts[256]). Returns 0, or
 * -1 when a value >= k occurs (the symbols are not in 0..k-1).
 */
int ea_symbol_counts(const uint8_t *s, size_t n, int k, uint64_t counts[256]);

/*
 * Proportion of each symbol 0..k-1 among n samples with the given counts,
 * computed exactly as NIST's tool does (calc_proportions()): 1.0 / n added
 * once per occurrence, in double. That is not count / n in the last bits,
 * and the §5.2 tests sort and compare products of these values, so the
 * bits matter. Each symbol's additions happen in the same order as in the
 * reference (one after another, starting from 0), so the sums are
 * identical; the interleaving across symbols does not matter.
 */
void ea_symbol_proportions(const uint64_t *counts, size_t n, int k, double *p);

#endif
