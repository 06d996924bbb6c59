/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea90b_restart.h - libea90b: §3.1.4 restart tests. Included by ea90b.h; the contract
 * stated there (const inputs, result structs, ea_status, no I/O) holds here.
 *
 * SP 800-90B §3.1.4: the source is restarted 1000 times and 1000 samples are
 * taken after each restart. The "row dataset" (§3.1.4.1) holds restart i's
 * samples contiguously (row i = samples [1000 i, 1000 i + 1000)); the
 * "column dataset" is its transpose (column j = sample j of every restart).
 *
 *   - sanity check (§3.1.4.3): X_max, the largest count of any one symbol
 *     in any row or column, must not exceed a cutoff: the (1 - alpha)
 *     quantile of that count for 1000 draws from the worst-case
 *     ("inverted near-uniform") distribution with min-entropy H_I, where
 *     alpha = 1 - 0.99^(1/2000) (0.01 spread over the 2000 rows and columns);
 *   - validation (§3.1.4.2): H_r and H_c, the min-entropy estimates of the
 *     row and column datasets (MCV only for IID sources, every §6.3
 *     literal estimator otherwise), must satisfy min(H_r, H_c) >= H_I / 2;
 *     the validated entropy is then min(H_r, H_c, H_I).
 *
 * NIST's tool finds the cutoff by simulating 5,000,000 restarts; we compute
 * the quantile exactly (ea_restart_cutoff_exact) and keep the simulation
 * (ea_restart_cutoff_simulate) for comparison.
 */
#ifndef EA90B_RESTART_H
#define EA90B_RESTART_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

#ifdef __cplusplus
extern "C" {
#endif

/* §3.1.4.1: 1000 restarts of 1000 samples each. */
#define EA_RESTART_ROWS 1000
#define EA_RESTART_COLS 1000
#define EA_RESTART_SAMPLES (EA_RESTART_ROWS * EA_RESTART_COLS)
/* Rounds the reference simulates by default (its DEFAULT_SIMULATION_ROUNDS). */
#define EA_RESTART_ROUNDS 5000000L

/* §3.1.4.3: alpha = 1 - exp(log(0.99) / (rows + cols)), as the reference
 * computes it (5.0251553006530614e-06). */
double ea_restart_alpha(void);

/*
 * P(max count > c) for 1000 draws from the worst-case distribution for
 * h_i: floor(1/p) symbols of probability p = 2^-h_i and, when 1/p is not
 * an integer, one symbol holding the remaining 1 - floor(1/p) p.
 * Computed exactly (truncated generating functions, long double) as
 * 1 - P(max <= c): absolute error about 1e-15, so about 1e-10 relative
 * at tails near alpha.
 * h_i in (0, 8]; c in 0..1000. EA_ERR_ARG otherwise.
 */
ea_status ea_restart_max_tail(double h_i, int c, double *tail);

/*
 * The exact cutoff: the smallest c with P(max count > c) <= alpha.
 * *tail_prob (may be NULL) receives P(max count > *cutoff).
 */
ea_status ea_restart_cutoff_exact(double h_i, double alpha, int *cutoff, double *tail_prob);

/*
 * The reference's Monte-Carlo cutoff: `rounds` simulated restarts of 1000
 * draws (u uniform in [0,1) from xoshiro256**, symbol floor(u / p)), the
 * largest count over the ceil(1/p) symbols of each, sorted; the value at
 * index floor((1 - alpha) rounds) - 1. Round block b (of 65536 rounds)
 * draws from ea_rng_seed(seed ^ EA_RESTART_SIM_SALT, b), so the result is
 * a function of (h_i, alpha, rounds, seed) whatever `threads` is.
 */
#define EA_RESTART_SIM_SALT 0x5245535441525431ull /* "RESTART1" */
ea_status ea_restart_cutoff_simulate(double h_i, double alpha, long rounds, uint64_t seed,
                                     int threads, int *cutoff);

typedef struct {
    double h_i;            /* the initial entropy estimate H_I, (0, bits] */
    int iid;               /* 1: -i, IID source: H_r, H_c from the MCV estimate;
                              0: -n, every §6.3 literal estimator */
    int threads;           /* worker threads (<= 1: sequential) */
    int simulate;          /* 1: cutoff by simulation (reference behaviour) */
    uint64_t seed;         /* simulation seed, and the permutation tests' seed */
    long rounds;           /* simulation rounds (EA_RESTART_ROUNDS when <= 0) */
    int iid_tests;         /* -i only: also run IID tests on rows and columns
                              (informative: they do not change the verdict):
                              EA_RESTART_IID_TESTS_ALL (1): chi-square, LRS and
                              permutation, as the reference does;
                              EA_RESTART_IID_TESTS_NO_PERM (2): chi-square (§5.2.1-
                              §5.2.4) and LRS (§5.2.5) only, milliseconds of work */
    int perm_full;         /* permutation tests: every statistic to the end */
    ea_progress_fn progress;   /* optional permutation progress callback */
    void *progress_user;
    ea_perm_start_fn on_perm_start;  /* optional permutation events (ea_perm_opts), for the
                                        rows' test, then the columns' (both run after the
                                        chi-square and LRS tests of rows and columns) */
    ea_perm_round_fn on_perm_round;
    void *event_user;
} ea_restart_opts;

/* Defaults: h_i = 0, which the caller must set (ea_restart_run refuses 0 with
 * EA_ERR_ARG: H_I has no default); iid = 0 (-n, as the reference), threads 1,
 * exact cutoff (simulate = 0, seed 0, rounds 0), no IID tests, no progress or events. */
ea_restart_opts ea_restart_opts_default(void);

/* Values of ea_restart_opts.iid_tests. */
#define EA_RESTART_IID_TESTS_ALL 1
#define EA_RESTART_IID_TESTS_NO_PERM 2

/* The reference's IID tests on one of the two datasets (-i with iid_tests). */
typedef struct {
    ea_iid_baseline baseline;
    ea_chisq_result chisq;       /* §5.2.1-§5.2.4 */
    ea_lrs_test_result lrs;      /* §5.2.5 */
    ea_perm_result perm;         /* §5.1 (zero when not run: iid_perm_run) */
} ea_restart_iid_side;

typedef struct {
    /* sanity check (§3.1.4.3) */
    double alpha;
    int cutoff;              /* X_cutoff: X_max <= cutoff passes */
    double tail_prob;        /* exact P(max count > cutoff) under the worst case */
    double tail_prob_below;  /* exact P(max count > cutoff - 1) (> alpha) */
    int cutoff_simulated;    /* 1: cutoff from the simulation */
    long rounds;             /* simulation rounds (when simulated) */
    uint64_t seed;           /* simulation seed (when simulated) */
    int row_max[EA_RESTART_ROWS];  /* largest symbol count in each row */
    int col_max[EA_RESTART_COLS];  /* largest symbol count in each column */
    int x_r, x_c, x_max;     /* max over rows, over columns, and of both */
    int sanity_passed;

    /* validation (§3.1.4.2), run only when the sanity check passed */
    int iid;                 /* the mode it ran in */
    int validated;           /* 1: validation ran */
    double h_i;
    double h_r, h_c;         /* start at the word size, as in the reference */
    double h_min;            /* min(H_r, H_c, H_I) */
    int validation_passed;   /* min(H_r, H_c) >= H_I / 2 */
    ea_noniid_result rows, cols;   /* -n: literal estimators only (has_bitstring = 0);
                                      -i: only literal[EA_EST_MCV] is filled */
    int iid_tests_run;       /* -i with iid_tests */
    ea_restart_iid_side iid_rows, iid_cols;
    int iid_passed;          /* all IID tests that ran passed on rows and columns */
    double seconds_cutoff, seconds_validation;
    int iid_perm_run;        /* the permutation tests ran (iid_tests == ALL) */
} ea_restart_result;

/*
 * Build the column dataset (§3.1.4.1) from a row dataset of exactly
 * EA_RESTART_SAMPLES samples: cols->raw[1000 j + i] = rows->raw[1000 i + j],
 * same width and symbol mapping. Release with ea_dataset_free().
 */
ea_status ea_restart_columns(const ea_dataset *rows, ea_dataset *cols);

/*
 * The whole restart test: cutoff, per-row/column maxima, sanity check,
 * then (if it passed) validation. Returns EA_OK when the test ran (the
 * verdicts are in the result); EA_ERR_RANGE when rowwise->len is not
 * EA_RESTART_SAMPLES, EA_ERR_ARG when h_i is outside (0, bits],
 * EA_ERR_ONE_SYMBOL for a constant dataset. The result is large (about
 * 40 KB plus two ea_noniid_result); allocate it on the heap.
 */
ea_status ea_restart_run(const ea_dataset *rowwise, const ea_restart_opts *o,
                         ea_restart_result *r);

#ifdef __cplusplus
}
#endif

#endif /* EA90B_RESTART_H */
