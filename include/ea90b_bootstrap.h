/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea90b_bootstrap.h - libea90b: how much the SP 800-90B §6.3 non-IID
 * estimates of one dataset vary from block to block, with a percentile
 * bootstrap interval for their median (the method of Theseus's
 * `non-iid-main -L <blocksize> -B <c>,<rounds>`). The contract stated in
 * ea90b.h (const inputs, result structs, ea_status, no I/O, no globals)
 * holds here.
 *
 * Not part of SP 800-90B: the assessment is ea_noniid_run's number on the
 * whole dataset. What these numbers describe is the estimate at block
 * size L = floor(n / M), a different quantity from the full-data estimate
 * on n samples (the predictors learn for longer and the confidence-bound
 * terms shrink with n), so show both.
 *
 * Method (estimators/bootstrap.c has the details and references):
 *   1. Blocks: block b (0 .. M-1) is samples b*L .. b*L + L - 1 of
 *      ds->raw, L = floor(n / M); the last n mod M samples are not used.
 *      Block b is the dataset ea_dataset_init(&blk, ds->raw + b*L, L,
 *      ds->bits) (its own alphabet and mapping, the dataset's width), its
 *      bitstring (the bits of its own samples) cut to ds->blen bits when
 *      L * bits is longer (so a dataset whose bitstring was cut to
 *      10^6 bits, as `ea90b` does without -a, cuts each block's to 10^6
 *      bits too; a block of L <= 125,000 8-bit samples is never cut).
 *   2. Each block is assessed by ea_noniid_run(&blk, {initial, threads =
 *      1}); blocks run in parallel, results are stored by block number.
 *   3. Statistics, numbered s = 0 .. 22 (the seeding below uses s):
 *        s = id       literal[id]     ea_noniid_side_h(id, literal, 0)
 *        s = 9 + id   bitstring[id]   ea_noniid_side_h(id, bitstring, 0)
 *        s = 18 lrs_literal,  s = 19 lrs_bitstring   (lrs = 1)
 *        s = 20 h_original,   s = 21 h_bitstring,   s = 22 h_assessed
 *      (id = ea_estimator_id, 0 .. 8; for EA_EST_TTUPLE, lrs = 0 is the
 *      t-tuple half).
 *   4. Per statistic, the values v[0 .. m-1] of the m blocks that gave
 *      one, sorted ascending: median = Q(v, 0.5), block_min = v[0],
 *      block_max = v[m-1]. Bootstrap replicate r (0 .. B-1) seeds
 *        ea_rng_seed(&g, seed, s * EA_BOOTSTRAP_MAX_REPLICATES + r)
 *      (stream = s * 100000 + r), draws m indices i_1 .. i_m, in order,
 *      each ea_rng_range(&g, m - 1), and takes Q(w, 0.5) of w = the
 *      v[i_k] sorted. lower = Q(R, (1 - level) / 2) and upper =
 *      Q(R, (1 + level) / 2) of the B replicate medians R sorted (Efron's
 *      percentile interval). A statistic's numbers therefore depend only
 *      on its own block values, the seed, B and level: not on the other
 *      statistics, nor, for replicate r, on B.
 *   Q is Hyndman and Fan's type 7 sample quantile (R's default): for m
 *   sorted values x[0..m-1], h = (m - 1) p, j = floor(h),
 *   Q(x, p) = x[j] + (h - j) (x[j+1] - x[j]), clamped to [x[j], x[j+1]];
 *   Q(x, p) = x[m-1] when j = m - 1.
 * The result is a function of (dataset, replicates, blocks, level, seed,
 * initial) only: any thread count gives the same bits.
 */
#ifndef EA90B_BOOTSTRAP_H
#define EA90B_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most replicates and blocks one call accepts. */
#define EA_BOOTSTRAP_MAX_REPLICATES 100000u
#define EA_BOOTSTRAP_MAX_BLOCKS 1000u

typedef struct {
    unsigned replicates;   /* B, 1..EA_BOOTSTRAP_MAX_REPLICATES */
    unsigned blocks;       /* M, 2..EA_BOOTSTRAP_MAX_BLOCKS */
    double level;          /* two-sided level of each interval, in (0, 1) */
    uint64_t seed;         /* see the seeding rule above */
    int threads;           /* blocks assessed in parallel (<= 1: sequentially,
                              at most 64); the result does not depend on it */
    int initial;           /* as ea_noniid_opts.initial: 1 -i, 0 -c */
} ea_bootstrap_opts;

/* Defaults: 1000 replicates, 10 blocks, level 0.95, seed 0, 1 thread,
 * initial = 1. Choose the seed and record it. */
ea_bootstrap_opts ea_bootstrap_opts_default(void);

/* One statistic over the blocks that gave it a value. */
typedef struct {
    int valid;             /* count > 0; otherwise every field is 0 */
    unsigned count;        /* blocks that gave a value (m) */
    double median;         /* type 7 median of the block values */
    double lower, upper;   /* percentile interval for that median */
    double block_min, block_max;   /* smallest and largest block value */
} ea_bootstrap_ci;

typedef struct {
    /* ea_noniid_side_h(id, side, 0) of each estimator and side; for
     * EA_EST_TTUPLE this is the t-tuple half. */
    ea_bootstrap_ci literal[EA_EST_COUNT], bitstring[EA_EST_COUNT];
    /* EA_EST_TTUPLE's LRS half: ea_noniid_side_h(EA_EST_TTUPLE, side, 1). */
    ea_bootstrap_ci lrs_literal, lrs_bitstring;
    /* H_original (blocks with literal estimates), H_bitstring (blocks with
     * bitstring estimates), and the assessed min-entropy; recorded only for
     * blocks whose ea_noniid_run returned EA_OK. */
    ea_bootstrap_ci h_original, h_bitstring, h_assessed;
    unsigned replicates;   /* B */
    unsigned blocks;       /* M */
    size_t block_samples;  /* L = floor(n / M) */
    unsigned skipped;      /* blocks ea_noniid_run refused (one symbol, or
                              too short for their own alphabet): no values */
    unsigned failed;       /* blocks on which an estimator failed (e.g.
                              EA_ERR_NUMERIC): their other estimator values
                              are recorded, their h_* are not */
    double seconds;        /* wall time of the call */
} ea_bootstrap_result;

/*
 * Assess M disjoint blocks of ds with every §6.3 estimator (as
 * ea_noniid_run applies them in opt->initial's mode) and summarise each
 * statistic over the blocks. ds, opt and out must not be NULL
 * (EA_ERR_ARG: the seed is never chosen silently); options outside their
 * ranges above give EA_ERR_ARG, as does a dataset ea_noniid_run would
 * call malformed. A dataset ea_noniid_run refuses as a whole gives its
 * status (EA_ERR_ONE_SYMBOL, EA_ERR_TOO_SHORT); EA_ERR_TOO_SHORT also
 * when L < ea_noniid_min_samples(ds, opt->initial) (use fewer blocks).
 * Nothing is assessed before these checks. EA_ERR_NOMEM when memory
 * runs out. *out is zeroed first and is complete only on EA_OK.
 * Memory: about 24 M + B doubles, plus per thread one block's dataset
 * (L * (2 + bits) bytes) and estimator work space.
 */
ea_status ea_bootstrap_noniid(const ea_dataset *ds, const ea_bootstrap_opts *opt,
                              ea_bootstrap_result *out);

#ifdef __cplusplus
}
#endif

#endif /* EA90B_BOOTSTRAP_H */
