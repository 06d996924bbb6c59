/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iid_baseline.c - names of the SP 800-90B §5.1 permutation-test
 * statistics and the baseline facts (mean, median) they are measured
 * against.
 *
 * The names and JSON keys are those NIST's tool (ea_iid, version 1.1.7)
 * prints and writes, so reports can be compared line by line.
 *
 * Baseline (the tool's calc_stats):
 *   - the mean is taken over the raw samples as read, not over the
 *     symbols mapped down to 0..k-1 (§5.1.1 only says "the mean of the
 *     sample values"); the sum is an integer, divided once in double;
 *   - the median is taken over the mapped symbols; with an even count it
 *     is the average of the two middle values;
 *   - with exactly two symbols the median is fixed at 0.5, as §5.1.5
 *     prescribes for binary data, even when the mapped symbols' median
 *     would be 0 or 1.
 */
#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

/* Printed names, in ea_iid_stat_id order. */
static const char *const stat_names[EA_IID_NSTATS] = {
    "excursion",       "numDirectionalRuns", "lenDirectionalRuns",
    "numIncreasesDecreases", "numRunsMedian", "lenRunsMedian",
    "avgCollision",    "maxCollision",
    "periodicity(1)",  "periodicity(2)",     "periodicity(8)",
    "periodicity(16)", "periodicity(32)",
    "covariance(1)",   "covariance(2)",      "covariance(8)",
    "covariance(16)",  "covariance(32)",
    "compression",
};

/* JSON member names, in ea_iid_stat_id order. */
static const char *const stat_keys[EA_IID_NSTATS] = {
    "excursion",     "numDirectionalRuns", "lenDirectionalRuns",
    "numIncreasesDecreases", "numRunsMedian", "lenRunsMedian",
    "avgCollision",  "maxCollision",
    "periodicity1",  "periodicity2",       "periodicity8",
    "periodicity16", "periodicity32",
    "covariance1",   "covariance2",        "covariance8",
    "covariance16",  "covariance32",
    "compression",
};

const char *ea_iid_stat_name(ea_iid_stat_id id)
{
    if ((int)id < 0 || (int)id >= EA_IID_NSTATS)
        return NULL;
    return stat_names[id];
}

const char *ea_iid_stat_key(ea_iid_stat_id id)
{
    if ((int)id < 0 || (int)id >= EA_IID_NSTATS)
        return NULL;
    return stat_keys[id];
}

/* The symbol at position `rank` of the sorted symbols, from their counts. */
static unsigned symbol_at_rank(const size_t count[256], size_t rank)
{
    size_t below = 0;
    unsigned v;

    for (v = 0; v < 255; v++) {
        below += count[v];
        if (rank < below)
            break;
    }
    return v;
}

ea_status ea_iid_baseline_compute(const ea_dataset *ds, ea_iid_baseline *b)
{
    size_t count[256] = {0};
    uint64_t total = 0;
    size_t half;

    if (ds == NULL || b == NULL)
        return EA_ERR_ARG;
    if (ds->len == 0)
        return EA_ERR_EMPTY;
    if (ds->raw == NULL || ds->symbols == NULL)
        return EA_ERR_ARG;

    for (size_t i = 0; i < ds->len; i++) {
        total += ds->raw[i];
        count[ds->symbols[i]]++;
    }
    b->raw_mean = (double)total / (double)ds->len;
    b->binary = ds->alph_size == 2;

    half = ds->len / 2;
    if (b->binary) {
        b->median = 0.5;
    } else if (ds->len & 1u) {
        b->median = (double)symbol_at_rank(count, half);
    } else {
        /* Integer sum of the two middle symbols, halved in double. */
        unsigned lo = symbol_at_rank(count, half - 1);
        unsigned hi = symbol_at_rank(count, half);
        b->median = (double)(lo + hi) / 2.0;
    }
    return EA_OK;
}
