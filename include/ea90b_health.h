/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea90b_health.h - libea90b: §4.4 continuous health tests. Included by ea90b.h; the contract
 * stated there (const inputs, result structs, ea_status, no I/O) holds here.
 *
 * SP 800-90B §4.4.1 Repetition Count Test (RCT): a run of C or more identical consecutive
 * samples is a failure, where C = 1 + ceil(-log2(alpha) / H).
 * SP 800-90B §4.4.2 Adaptive Proportion Test (APT): in each window of W samples (W = 1024 when
 * the source is binary, i.e. produces two distinct values; W = 512 when it is not), count the
 * occurrences of the window's first sample among the W samples (the first included); a count
 * of C or more is a failure, where C = 1 + CRITBINOM(W, 2^-H, 1 - alpha), the smallest c with
 * Pr[Binomial(W, 2^-H) >= c] <= alpha (the standard's text and Table 2). The "corrected" form
 * (SP 800-90B public comment #10b, used by jitterentropy) counts the first sample as certain:
 * smallest c with Pr[1 + Binomial(W - 1, 2^-H) >= c] <= alpha.
 * Either way the count the test actually compares is 1 + Binomial(W - 1, 2^-H), so the real
 * false-positive rate per window of the standard's cutoff is a little above alpha; the rates
 * and expected counts below are always those of the test as run (ea_health_apt_rate).
 * See docs/health-tests.md.
 */
#ifndef EA90B_HEALTH_H
#define EA90B_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

#ifdef __cplusplus
extern "C" {
#endif

/* §4.4.2: APT window sizes: 512 for a non-binary source, 1024 for a binary one (two values). */
#define EA_APT_WINDOW 512
#define EA_APT_WINDOW_BINARY 1024

/* §4.4 replay verdict: failures count as excess only when above the 1 - 1e-6 quantile of a
 * Poisson distribution with the expected false-positive count as mean; the longest run and the
 * largest APT count are improbable when the claim gives them, anywhere in the record, a
 * probability below 1e-6. */
#define EA_HEALTH_VERDICT_LEVEL 1e-6

/* Cutoffs of both tests for one entropy claim and false-positive probability. */
typedef struct {
    double h;        /* claimed min-entropy per sample, 0 < h <= 8 (bits) */
    double alpha;    /* false-positive probability per test, 0 < alpha < 1 */
    int binary;      /* 1: binary samples, two distinct values (window 1024, h <= 1) */
    int window;      /* APT window W: 512, 1024 for binary data (or as set, see below) */
    int rct_cutoff;  /* RCT C: a run of this many identical samples fails */
    int apt_cutoff;  /* APT C: this many copies of the first sample in a window fails */
    int apt_corrected; /* 1: apt_cutoff uses the corrected form (jitterentropy's), 0: the text's */
} ea_health_cutoffs;

/*
 * Fill `c` for claim h and alpha: RCT C = 1 + ceil(-log2(alpha)/h); APT C from the exact
 * binomial distribution (the standard's text form) on window 512 (1024 when binary). EA_ERR_ARG when h is not in
 * (0, 8] (binary: (0, 1]) or alpha not in (0, 1). An APT cutoff larger than the window
 * (the test can never fail) is reported as window + 1.
 */
ea_status ea_health_cutoffs_compute(double h, double alpha, int binary, ea_health_cutoffs *c);

/* As ea_health_cutoffs_compute with an explicit APT window (2..65536) and form (corrected = 1:
 * jitterentropy's); binary only bounds h. */
ea_status ea_health_cutoffs_window(double h, double alpha, int binary, int window, int corrected,
                                   ea_health_cutoffs *c);

/*
 * The APT cutoff alone, p = 2^-h: smallest C with Pr[Binomial(window, p) >= C] <= alpha, or
 * with corrected, Pr[1 + Binomial(window - 1, p) >= C] <= alpha. Returns window + 1 when even
 * C = window leaves more than alpha (the test could never fail), -1 on bad arguments.
 */
int ea_health_apt_cutoff(double h, double alpha, int window, int corrected);

/* Pr[count >= cutoff] under the claim h for count = Binomial(window, p) (corrected = 0, the
 * standard's model) or 1 + Binomial(window - 1, p) (corrected = 1, the test as run); 0 for
 * cutoff > window, -1 on bad arguments. */
double ea_health_apt_tail(double h, int window, int cutoff, int corrected);

/* The false-positive rate per window of the APT as actually run, whatever form gave the
 * cutoff: Pr[1 + Binomial(window - 1, 2^-h) >= cutoff] (ea_health_apt_tail(..., 1)). */
double ea_health_apt_rate(double h, int window, int cutoff);

/* The RCT cutoff alone: 1 + ceil(-log2(alpha) / h), the ceiling taken exactly: when alpha is
 * 2^-L and h is the double nearest a fraction a/b (b <= 1024, e.g. 1/3) the ratio L b / a is
 * taken in integers; otherwise in long double, with no rounding guard. -1 when out of range
 * (the cutoff must stay below INT_MAX - 2). */
int ea_health_rct_cutoff(double h, double alpha);

/* Failures explainable by chance: the smallest k with Pr[Poisson(expected) > k] <= level
 * (level in (0, 1), 0 <= expected <= 1e12); SIZE_MAX on bad arguments. */
size_t ea_health_fp_allowance(double expected, double level);

/* Result of running both tests over recorded samples. */
typedef struct {
    size_t samples;          /* samples examined */
    size_t rct_failures;     /* times a run reached the RCT cutoff (one count per run) */
    size_t first_rct_failure;/* index of the sample completing the first failing run; SIZE_MAX if none */
    size_t longest_run;      /* longest run of identical consecutive samples */
    size_t apt_windows;      /* complete APT windows tested (samples / window, non-overlapping) */
    size_t apt_failures;     /* windows whose count reached the APT cutoff */
    size_t first_apt_failure;/* index of the first failing window; SIZE_MAX if none */
    int max_apt_count;       /* largest count of a window's first sample in a window */
    double rct_expected_fp;  /* expected failing runs (one per run of C or more) if the
                                claim holds, an upper bound: 2^(-h (C - 1)) for a run at the
                                start plus (samples - C) (1 - q) q^(C - 1) for runs that start
                                after a different sample, q = min(2^-h, (C - 1) / C) */
    double apt_expected_fp;  /* expected APT false positives of the test as run:
                                apt_windows * ea_health_apt_rate(h, W, C) */
    /* verdict (EA_HEALTH_VERDICT_LEVEL): */
    size_t rct_allowed;      /* ea_health_fp_allowance(rct_expected_fp, 1e-6) */
    size_t apt_allowed;      /* ea_health_fp_allowance(apt_expected_fp, 1e-6) */
    int apt_can_fail;        /* 0 when apt_cutoff > window: no count can reach the cutoff */
    int excess;              /* 1: the replay is flagged, the claim is too high: more failures
                                than chance explains (rct_failures > rct_allowed or apt_failures
                                > apt_allowed), or rct_improbable, or apt_improbable */
    /* The extremes judged over the whole record (EA_HEALTH_VERDICT_LEVEL), so that one failure
     * far beyond its cutoff (a stuck source) is not passed off as a false positive: */
    double longest_run_log2p;/* log2 of Pr[some run reaches longest_run] under the claim, the
                                union bound (samples - L + 1) 2^(-h (L - 1)), capped at 0 */
    double max_apt_log2p;    /* log2 of Pr[some window's count reaches max_apt_count] under the
                                claim: apt_windows Pr[1 + Binomial(W - 1, 2^-h) >= max], capped
                                at 0; 0 when no window was complete */
    int rct_improbable;      /* 2^longest_run_log2p < EA_HEALTH_VERDICT_LEVEL */
    int apt_improbable;      /* 2^max_apt_log2p < EA_HEALTH_VERDICT_LEVEL */
} ea_health_replay_result;

/*
 * §4.4.1 and §4.4.2 over n samples (one per byte, compared as whole bytes). The RCT counts a
 * failure each time a run reaches exactly rct_cutoff samples; the APT tests consecutive
 * non-overlapping windows of c->window samples (a trailing partial window is not tested).
 * The expected false-positive counts assume the claim holds with the most likely sample at
 * probability exactly 2^-h (see the fields); the verdict fields judge the failures against them.
 * EA_ERR_EMPTY when n == 0, EA_ERR_ARG for inconsistent cutoffs.
 */
ea_status ea_health_replay(const uint8_t *s, size_t n, const ea_health_cutoffs *c,
                           ea_health_replay_result *r);

/* log2 Pr[1 + Binomial(window - 1, 2^-h) >= cutoff], the APT tail as run, summed in the log
 * domain so that it never underflows: 0 for cutoff <= 1, -HUGE_VAL for cutoff > window,
 * 1.0 (impossible as a log2 probability) on bad arguments. */
double ea_health_apt_log2_tail(double h, int window, int cutoff);

/* §4.4.2: a binary source produces two distinct values; 1 when the n samples (one per byte,
 * compared as whole bytes) take exactly two distinct values, else 0 (one-valued data is not
 * binary). ea90b health replay and ea90b assess choose the APT window with this. */
int ea_health_is_binary(const uint8_t *s, size_t n);

/* Size of a buffer that holds every reason ea_health_verdict_text can give. */
#define EA_HEALTH_VERDICT_TEXT 512

/*
 * Why a replay was flagged, as text ("longest run 1000: probability 2^-479.6 under H = 0.5
 * over 1000000 samples; ..."), the reasons joined by "; ", into buf (size bytes, truncated as
 * snprintf does). Returns the number of reasons: 0 (and buf "") when r->excess is 0.
 */
int ea_health_verdict_text(const ea_health_cutoffs *c, const ea_health_replay_result *r,
                           char *buf, size_t size);

/*
 * jitterentropy's profile for an oversampling rate osr >= 1 (its health tests assume
 * H = 1/osr bit per time-delta sample, APT window 512, corrected APT form, APT cutoff capped at
 * the window): cutoffs at the intermittent alpha 2^-30 and the permanent alpha 2^-60.
 * jitterentropy's own RCT counter starts at 0, so its constant is rct_cutoff - 1.
 */
typedef struct {
    int osr;
    ea_health_cutoffs intermittent;  /* alpha = 2^-30 */
    ea_health_cutoffs permanent;     /* alpha = 2^-60 */
} ea_health_jent_profile;

ea_status ea_health_jent_profile_compute(int osr, ea_health_jent_profile *p);

#ifdef __cplusplus
}
#endif

#endif /* EA90B_HEALTH_H */
