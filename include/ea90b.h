/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea90b.h - public interface of libea90b, the NIST SP 800-90B entropy
 * assessment library.
 *
 * Contract for every function declared here:
 *   - inputs are const buffers owned by the caller; nothing is retained;
 *   - results are written into caller-provided structs;
 *   - errors are reported through ea_status (negative values) and
 *     ea_strerror(); the library never prints, never exits, never opens
 *     files and keeps no mutable global state;
 *   - memory the library allocates internally is released before return,
 *     except where a function says otherwise (ea_dataset_*).
 *
 * Numerical behaviour follows NIST's reference implementation
 * (SP800-90B_EntropyAssessment 1.1.7) wherever its code, not the text of
 * SP 800-90B, decides a number; docs/estimators.md lists those places.
 */
#ifndef EA90B_H
#define EA90B_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EA90B_VERSION "0.1.0"
/* Version of NIST's tool whose numbers we reproduce. */
#define EA90B_NIST_VERSION "1.1.7"

/* SP 800-90B §3.1.1: a dataset has at least 1,000,000 samples. */
#define EA_MIN_SAMPLES 1000000L

/* ------------------------------------------------------------------ */
/* Status                                                               */
/* ------------------------------------------------------------------ */

typedef enum {
    EA_OK = 0,
    EA_ERR_NOMEM = -1,      /* an allocation failed */
    EA_ERR_ARG = -2,        /* an argument is out of its documented range */
    EA_ERR_EMPTY = -3,      /* no samples */
    EA_ERR_BITS = -4,       /* bits per symbol outside 1..8 */
    EA_ERR_WIDTH = -5,      /* a sample does not fit the declared width */
    EA_ERR_TOO_SHORT = -6,  /* too few samples for this estimator (omitted) */
    EA_ERR_ONE_SYMBOL = -7, /* only one distinct symbol: no entropy */
    EA_ERR_NUMERIC = -8,    /* a numerical search failed to produce a value */
    EA_ERR_RANGE = -9,      /* a requested window lies outside the data */
    /* The collector (libea90b_collect, ea90b_collect.h): */
    EA_ERR_IO = -20,          /* a file or directory could not be read or written */
    EA_ERR_NOT_EMPTY = -21,   /* the output directory holds files and no overwrite was asked */
    EA_ERR_LOCKED = -22,      /* another run holds the collection directory */
    EA_ERR_STATE = -23,       /* no interrupted collection, or it does not match its directory */
    EA_ERR_SOURCE = -24,      /* the noise source could not be opened or read */
    EA_ERR_RESTART = -25,     /* a restart process failed or delivered the wrong data */
    EA_ERR_INPUT = -26,       /* imported data is malformed or too short */
    EA_ERR_INTERRUPTED = -27, /* stopped at the caller's request; the collection can resume */
    EA_ERR_MANIFEST = -28,    /* a collection does not match its manifest.json */
    EA_ERR_SYSTEM = -29       /* the system refused a request: CPU pinning, starting a process */
} ea_status;

/* A static, human-readable description of a status. Never NULL. */
const char *ea_strerror(ea_status st);

/* ------------------------------------------------------------------ */
/* Datasets (SP 800-90B §3.1.1; loader semantics of NIST's tool)        */
/* ------------------------------------------------------------------ */

typedef struct {
    size_t len;          /* number of samples */
    int bits;            /* bits per symbol (word size), 1..8 */
    int alph_size;       /* number of distinct symbols that occur */
    int data_bits;       /* width actually used by the data (highest bit set) */
    uint8_t max_symbol;  /* largest masked symbol before mapping */
    int translated;      /* 1 when symbols were mapped down to 0..alph_size-1 */
    uint8_t *raw;        /* samples exactly as given (len bytes) */
    uint8_t *symbols;    /* masked, mapped down to 0..alph_size-1 (len bytes) */
    uint8_t *bitstring;  /* unmapped symbols, MSB first, one bit per byte */
    size_t blen;         /* bits in bitstring (len * bits); may be truncated */
} ea_dataset;

/*
 * Build a dataset from one-sample-per-byte input.
 * bits == 0 infers the width from the highest bit in use; otherwise 1..8.
 * Data wider than `bits` gives EA_ERR_WIDTH; data narrower sets
 * data_bits < bits (the caller warns). The dataset owns copies of the data;
 * release with ea_dataset_free(). For 1-bit data the bitstring aliases the
 * symbols buffer.
 */
ea_status ea_dataset_init(ea_dataset *ds, const uint8_t *buf, size_t len, int bits);
void ea_dataset_free(ea_dataset *ds);

/* Truncate the bitstring to at most max_bits (the reference's -t). */
void ea_dataset_truncate_bits(ea_dataset *ds, size_t max_bits);

/* ------------------------------------------------------------------ */
/* §6.3 non-IID estimators. Each fills a result struct with every       */
/* intermediate value. `s` holds n symbols in 0..k-1 (k = alphabet).    */
/* Estimators documented as binary require k == 2.                      */
/* ------------------------------------------------------------------ */

/* §6.3.1 Most Common Value */
typedef struct {
    long mode;        /* count of the most common symbol */
    double p_hat;
    double p_u;
    double h;         /* min-entropy per symbol */
} ea_mcv_result;
ea_status ea_mcv(const uint8_t *s, size_t n, int k, ea_mcv_result *r);

/* §6.3.2 Collision (binary only) */
typedef struct {
    long v;           /* number of collisions */
    long sum_t;       /* sum of the t_i (index reached) */
    double x_bar;
    double sigma_hat;
    double x_bar_prime;
    int found_p;      /* 0: the lower bound p = 0.5 was used */
    double p;
    double h;
} ea_collision_result;
ea_status ea_collision(const uint8_t *s, size_t n, ea_collision_result *r);

/* §6.3.3 Markov (binary only) */
typedef struct {
    double p0, p1;               /* initial probabilities */
    double p00, p01, p10, p11;   /* transition probabilities */
    double p_hat_max;            /* most likely 128-bit sequence probability */
    double h;
} ea_markov_result;
ea_status ea_markov(const uint8_t *s, size_t n, ea_markov_result *r);

/* §6.3.4 Compression (binary only; 6-bit blocks, d = 1000) */
typedef struct {
    double x_bar;
    double sigma_hat;
    double x_bar_prime;
    int found_p;
    double p;
    double h;
} ea_compression_result;
ea_status ea_compression(const uint8_t *s, size_t n, ea_compression_result *r);

/* §6.3.5 t-tuple and §6.3.6 LRS, computed from one suffix array pass */
typedef struct {
    int valid;           /* 0 when no tuple occurs >= 35 times (omitted) */
    long t;
    long double p_hat_max;
    long double p_u;
    double h;
} ea_ttuple_result;

typedef struct {
    int valid;           /* 0 when the estimate cannot be formed (omitted) */
    long u;
    long v;
    long double p_hat;   /* long double, as the reference computes it */
    long double p_u;
    double h;
} ea_lrs_result;
ea_status ea_sa_estimates(const uint8_t *s, size_t n, int k,
                          ea_ttuple_result *tt, ea_lrs_result *lrs);

/* §6.3.7-6.3.10 predictors share this result */
typedef struct {
    long C;                /* correct predictions */
    long r;                /* longest run of correct predictions + 1 */
    long N;                /* number of predictions */
    double p_global;
    double p_global_prime;
    double p_local;        /* valid only when p_local_used */
    int p_local_used;      /* 0: "P_local can't change the result" */
    double h;
} ea_predictor_result;

/*
 * §6.3.7-6.3.10 shared final step (steps 5-9 of each predictor):
 * from C, N, the longest run and the alphabet size, fill the rest.
 */
ea_status ea_predictor_finish(long C, long N, long max_run, int k,
                              ea_predictor_result *r);

ea_status ea_multi_mcw(const uint8_t *s, size_t n, int k, ea_predictor_result *r);
ea_status ea_lag(const uint8_t *s, size_t n, int k, ea_predictor_result *r);
ea_status ea_multi_mmc(const uint8_t *s, size_t n, int k, ea_predictor_result *r);
ea_status ea_lz78y(const uint8_t *s, size_t n, int k, ea_predictor_result *r);

/* ------------------------------------------------------------------ */
/* The whole non-IID track (§6.3 applied as NIST's ea_non_iid does)      */
/* ------------------------------------------------------------------ */

typedef enum {
    EA_EST_MCV = 0,
    EA_EST_COLLISION,
    EA_EST_MARKOV,
    EA_EST_COMPRESSION,
    EA_EST_TTUPLE,        /* t-tuple and LRS share one computation */
    EA_EST_MULTI_MCW,
    EA_EST_LAG,
    EA_EST_MULTI_MMC,
    EA_EST_LZ78Y,
    EA_EST_COUNT
} ea_estimator_id;

/* Name used in reports ("Most Common Value", ...). */
const char *ea_estimator_name(ea_estimator_id id);

typedef struct {
    int initial;       /* 1: -i (initial estimate), 0: -c (conditioned) */
    int threads;       /* worker threads; <= 1 runs sequentially */
} ea_noniid_opts;

/* Defaults: initial = 1 (-i, initial estimate), threads = 1 (sequential). */
ea_noniid_opts ea_noniid_opts_default(void);

/* One side (literal or bitstring) of one estimator. */
typedef struct {
    int ran;           /* 1 when the estimator ran on this side */
    ea_status status;  /* EA_OK, or why it was omitted */
    double seconds;    /* wall time spent */
    union {
        ea_mcv_result mcv;
        ea_collision_result collision;
        ea_markov_result markov;
        ea_compression_result compression;
        ea_predictor_result pred;
        struct { ea_ttuple_result tt; ea_lrs_result lrs; } sa;
    } u;
} ea_est_side;

typedef struct {
    ea_est_side literal[EA_EST_COUNT];
    ea_est_side bitstring[EA_EST_COUNT];
    int has_literal;     /* literal (original) estimates were computed */
    int has_bitstring;   /* bitstring estimates were computed */
    double h_original;   /* min over literal estimates (<= bits) */
    double h_bitstring;  /* min over bitstring estimates (<= 1) */
    double h_assessed;   /* min(h_original, bits * h_bitstring) as applicable */
} ea_noniid_result;

/*
 * The min-entropy one side of an estimator contributes, or -1 when it did
 * not run or produced no value. For EA_EST_TTUPLE, lrs selects LRS (1)
 * or t-tuple (0); other estimators ignore it.
 */
double ea_noniid_side_h(ea_estimator_id id, const ea_est_side *s, int lrs);

/*
 * Fewest symbols a §6.3 run needs, from what NIST's tool does below them
 * (docs/estimators.md, "Minimum sample counts"). Estimators the tool skips
 * on short input (compression, MultiMCW, non-binary MultiMMC and LZ78Y,
 * t-tuple and LRS without enough repeats) are omitted; estimators it runs
 * regardless abort it on an assertion below their minimum, so a run needs:
 *   - a binary sequence (the bitstring, or a two-symbol literal alphabet):
 *     EA_NONIID_MIN_BINARY symbols (LZ78Y's binary predictor asserts
 *     L > B + 2 with B = 16; MultiMMC's asserts L > 3, Lag L > 2, MCV and
 *     Markov L > 1);
 *   - a literal sequence of more than two symbols: EA_NONIID_MIN_LITERAL
 *     (Lag asserts L > 2; MCV L > 1).
 */
#define EA_NONIID_MIN_BINARY 19
#define EA_NONIID_MIN_LITERAL 3

/*
 * The fewest samples ea_noniid_run accepts for this dataset's alphabet and
 * width in a mode (initial = 1: -i, 0: -c): the larger of the literal
 * sequence's minimum (initial mode) and, when the bitstring is assessed
 * (more than two symbols, or conditioned mode), ceil(EA_NONIID_MIN_BINARY
 * / bits). 0 for a NULL dataset.
 */
size_t ea_noniid_min_samples(const ea_dataset *ds, int initial);

/*
 * Run every §6.3 estimator on a dataset where NIST's tool runs it:
 * bitstring estimators when the alphabet has more than two symbols or in
 * conditioned mode; literal estimators in initial mode (collision, Markov
 * and compression only when the alphabet is binary). EA_ERR_ONE_SYMBOL for
 * a one-symbol alphabet, EA_ERR_TOO_SHORT below ea_noniid_min_samples().
 */
ea_status ea_noniid_run(const ea_dataset *ds, const ea_noniid_opts *opt,
                        ea_noniid_result *res);


/* ------------------------------------------------------------------ */
/* §5 IID track                                                         */
/* ------------------------------------------------------------------ */

/* §5.1 permutation-test statistics, in the reference's order. */
typedef enum {
    EA_IID_EXCURSION = 0,        /* 5.1.1 */
    EA_IID_NUM_DIR_RUNS,         /* 5.1.2 */
    EA_IID_LEN_DIR_RUNS,         /* 5.1.3 */
    EA_IID_NUM_INC_DEC,          /* 5.1.4 */
    EA_IID_NUM_RUNS_MEDIAN,      /* 5.1.5 */
    EA_IID_LEN_RUNS_MEDIAN,      /* 5.1.6 */
    EA_IID_AVG_COLLISION,        /* 5.1.7 */
    EA_IID_MAX_COLLISION,        /* 5.1.8 */
    EA_IID_PERIODICITY_1,        /* 5.1.9, lags 1, 2, 8, 16, 32 */
    EA_IID_PERIODICITY_2,
    EA_IID_PERIODICITY_8,
    EA_IID_PERIODICITY_16,
    EA_IID_PERIODICITY_32,
    EA_IID_COVARIANCE_1,         /* 5.1.10, lags 1, 2, 8, 16, 32 */
    EA_IID_COVARIANCE_2,
    EA_IID_COVARIANCE_8,
    EA_IID_COVARIANCE_16,
    EA_IID_COVARIANCE_32,
    EA_IID_COMPRESSION,          /* 5.1.11 (bzip2) */
    EA_IID_NSTATS
} ea_iid_stat_id;

#define EA_IID_ALL_STATS ((1u << EA_IID_NSTATS) - 1u)
#define EA_IID_CHEAP_STATS (EA_IID_ALL_STATS & ~(1u << EA_IID_COMPRESSION))

/* The reference's name: "excursion", "periodicity(8)", "compression"... */
const char *ea_iid_stat_name(ea_iid_stat_id id);
/* The reference's JSON key: "excursion", "periodicity8", ... */
const char *ea_iid_stat_key(ea_iid_stat_id id);

/*
 * Baseline facts the statistics need, from the unpermuted dataset
 * (NIST's calc_stats): the mean of the raw samples and the median of the
 * mapped symbols (0.5 for a binary alphabet).
 */
typedef struct {
    double raw_mean;
    double median;
    int binary;             /* alphabet of exactly two symbols */
} ea_iid_baseline;

ea_status ea_iid_baseline_compute(const ea_dataset *ds, ea_iid_baseline *b);

/*
 * Per-thread context for computing statistics of one ordering of the
 * dataset's samples. A permutation is given as a reordering of ds->raw
 * (the raw samples); the context maps it to symbols as the reference does.
 * The dataset must outlive the context.
 */
typedef struct ea_iid_stats_ctx ea_iid_stats_ctx;

ea_status ea_iid_stats_new(const ea_dataset *ds, const ea_iid_baseline *b,
                           ea_iid_stats_ctx **ctx);
void ea_iid_stats_free(ea_iid_stats_ctx *ctx);

/* on = 1: the compression statistic (§5.1.11) is computed by libbz2
 * itself rather than by the exact bzip2 length model (same values,
 * about five times slower); for cross-checks. */
void ea_iid_stats_use_libbz2(ea_iid_stats_ctx *ctx, int on);

/*
 * Compute the statistics whose bit is set in `mask` for the ordering
 * `raw` (ds->len samples, a permutation of ds->raw); out[i] is written
 * only for selected i. Values are long double, as the reference compares
 * them.
 */
ea_status ea_iid_stats_compute(ea_iid_stats_ctx *ctx, const uint8_t *raw, uint32_t mask,
                               long double out[EA_IID_NSTATS]);

/* xoshiro256** state (the generator the reference uses). */
typedef struct {
    uint64_t s[4];
} ea_rng;

/* Seed a generator for stream `stream` of a run seeded with `seed`
 * (SplitMix64 expansion of seed and stream). */
void ea_rng_seed(ea_rng *r, uint64_t seed, uint64_t stream);
uint64_t ea_rng_next(ea_rng *r);
/* Uniform integer in [0, s] (Lemire's method, as the reference's randomRange64). */
uint64_t ea_rng_range(ea_rng *r, uint64_t s);
/* In-place Fisher-Yates shuffle of n bytes. */
void ea_shuffle(uint8_t *buf, size_t n, ea_rng *r);

/* §5.1 counts for one statistic: C0 (permuted > original), C1 (equal), C2 (less). */
typedef struct {
    long c[3];
    long double original;   /* the statistic on the unpermuted data */
    int computed;           /* counted (0: a decisive run did not need it) */
    int settled;            /* counting stopped: more than 5 on each side */
    int passed;             /* C0 + C1 > 5 and C1 + C2 > 5 */
} ea_perm_count;

typedef struct {
    ea_perm_count stat[EA_IID_NSTATS];
    long permutations_run;  /* permutations whose statistics were counted */
    int passed;             /* every statistic passed */
    int decided_early;      /* decisive mode stopped before the end */
} ea_perm_result;

typedef void (*ea_progress_fn)(void *user, long done, long total, int open_stats);

/*
 * Events for a front end that prints as the test goes (the reference's -v lines), both called
 * from a worker thread with the test's lock held, so in order and never at the same time
 * (keep them short: print a line, flush, return):
 *   on_start: once, when the 19 unpermuted statistics are known (res->stat[j].original;
 *             counts still zero), before any permutation is counted;
 *   on_round: once per permutation counted while a statistic is still open, done = 1, 2, ...
 *             (decisive mode's compression phase counts from 1 again), settled = statistics
 *             no longer counted, of EA_IID_NSTATS.
 */
typedef void (*ea_perm_start_fn)(void *user, const ea_perm_result *res);
typedef void (*ea_perm_round_fn)(void *user, long done, long total, int settled);

typedef struct {
    uint64_t seed;          /* permutation i uses ea_rng_seed(seed, i) */
    int threads;            /* worker threads, >= 1 */
    int full;               /* 1: every statistic to the end (reference behaviour);
                               0: decisive: stop once the verdict is settled */
    long permutations;      /* 10000 in SP 800-90B §5.1 */
    ea_progress_fn progress;/* optional, called from the calling thread */
    void *progress_user;
    int libbz2;             /* 1: compression statistic by libbz2 itself (same
                               values as the default length model, slower) */
    ea_perm_start_fn on_start;   /* optional events (above) */
    ea_perm_round_fn on_round;
    void *event_user;
} ea_perm_opts;

/* Defaults: seed 0, threads 1, decisive (full = 0), 10000 permutations
 * (SP 800-90B §5.1), no progress callback or events, libbz2 = 0. */
ea_perm_opts ea_perm_opts_default(void);

/* §5.1 permutation testing. */
ea_status ea_permutation_test(const ea_dataset *ds, const ea_iid_baseline *b,
                              const ea_perm_opts *opt, ea_perm_result *res);

/* §5.2.1-§5.2.4 chi-square tests (non-binary and binary forms). */
typedef struct {
    double score;
    long df;
    double p_value;
    int passed;
} ea_chisq_part;

typedef struct {
    int binary;                  /* binary forms were used */
    ea_chisq_part independence;  /* §5.2.1 (binary: §5.2.3) */
    ea_chisq_part goodness_of_fit; /* §5.2.2 (binary: §5.2.4) */
    int passed;                  /* both passed */
} ea_chisq_result;

ea_status ea_chi_square_tests(const ea_dataset *ds, ea_chisq_result *r);

/* §5.2.5 length of the longest repeated substring test. */
typedef struct {
    double p_col;          /* collision probability */
    long W;                /* length of the longest repeated substring */
    double p_x_ge_1;       /* Pr(X >= 1) */
    int passed;
} ea_lrs_test_result;

ea_status ea_lrs_test(const ea_dataset *ds, ea_lrs_test_result *r);

/* The whole IID track (§5 applied as NIST's ea_iid does). */
typedef struct {
    int initial;            /* 1: -i, 0: -c (bitstring MCV only) */
    ea_perm_opts perm;      /* permutation testing options */
    int skip_settled;       /* 1: skip §5.1 when chi-square or LRS already failed
                               (the data are not IID whatever it says) */
} ea_iid_opts;

/* Defaults: initial = 1 (-i), perm = ea_perm_opts_default(), skip_settled = 0
 * (every §5 test runs, as NIST's ea_iid does). */
ea_iid_opts ea_iid_opts_default(void);

typedef struct {
    ea_iid_baseline baseline;
    int has_literal;             /* literal MCV computed (initial mode) */
    int has_bitstring;           /* bitstring MCV computed (k > 2 or -c) */
    ea_mcv_result mcv_literal;   /* §6.3.1 on the symbols: the IID estimate */
    ea_mcv_result mcv_bitstring;
    double h_original;           /* min-entropy per sample (literal MCV) */
    double h_bitstring;          /* per bit (bitstring MCV) */
    double h_assessed;           /* min(bits, h_original, bits × h_bitstring) */
    ea_chisq_result chisq;       /* §5.2.1-§5.2.4 */
    ea_lrs_test_result lrs;      /* §5.2.5 */
    ea_perm_result perm;         /* §5.1 */
    int iid;                     /* chi-square, LRS and permutation tests all passed */
    double seconds_chisq, seconds_lrs, seconds_perm;
    int perm_skipped;            /* §5.1 skipped (skip_settled and a §5.2 test failed) */
} ea_iid_result;

/* Run the IID track: baseline, MCV estimates, chi-square, LRS and
 * permutation tests. EA_ERR_ONE_SYMBOL for a constant dataset. */
ea_status ea_iid_run(const ea_dataset *ds, const ea_iid_opts *opt, ea_iid_result *res);

#ifdef __cplusplus
}
#endif

/* The rest of the library's interface, one header per area. */
#include "ea90b_restart.h"      /* §3.1.4 restart tests */
#include "ea90b_conditioning.h" /* §3.1.5 conditioning */
#include "ea90b_health.h"       /* §4.4 health tests */

#endif /* EA90B_H */
