/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_health.c - unit tests for the SP 800-90B §4.4 health tests: cutoffs pinned to values
 * computed independently (SP 800-90B Table 2, jitterentropy's tables, hand arithmetic), and
 * replays of synthetic data with known failures.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"

Test(health, rct_cutoff_formula)
{
    /* C = 1 + ceil(20 / 0.5) = 41; 1 + ceil(30 / 1) = 31; 1 + ceil(20 / 3) = 8 */
    cr_assert_eq(ea_health_rct_cutoff(0.5, ldexp(1.0, -20)), 41);
    cr_assert_eq(ea_health_rct_cutoff(1.0, ldexp(1.0, -30)), 31);
    cr_assert_eq(ea_health_rct_cutoff(3.0, ldexp(1.0, -20)), 8);
    cr_assert_eq(ea_health_rct_cutoff(0.0, 0.5), -1);
    cr_assert_eq(ea_health_rct_cutoff(1.0, 1.0), -1);
}

/* SP 800-90B §4.4.2: W = 1024 for a binary source, 512 for a non-binary one. The values
 * (410, 311, 177 at W = 512; 589 at W = 1024) were computed independently with mpmath. */
Test(health, apt_cutoff_standard_table)
{
    ea_health_cutoffs c;

    cr_assert_eq(ea_health_cutoffs_compute(0.5, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(c.rct_cutoff, 41);
    cr_assert_eq(c.window, 512);
    cr_assert_eq(c.apt_cutoff, 410);
    cr_assert_eq(ea_health_cutoffs_compute(1.0, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(c.window, 512);
    cr_assert_eq(c.apt_cutoff, 311);
    cr_assert_eq(ea_health_cutoffs_compute(2.0, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(c.apt_cutoff, 177);
    cr_assert_eq(ea_health_cutoffs_compute(1.0, ldexp(1.0, -20), 1, &c), EA_OK);
    cr_assert_eq(c.window, 1024);
    cr_assert_eq(c.apt_cutoff, 589);
    cr_assert_eq(EA_APT_WINDOW, 512);
    cr_assert_eq(EA_APT_WINDOW_BINARY, 1024);
    /* the corrected form is never below the text's */
    cr_assert_eq(ea_health_apt_cutoff(0.5, ldexp(1.0, -20), 512, 1), 411);
}

/* Pr[count >= C] <= alpha < Pr[count >= C - 1], checked with an independent summation. */
Test(health, apt_cutoff_is_smallest_meeting_alpha)
{
    const double h = 2.0, alpha = ldexp(1.0, -30);
    const int w = 1024;
    int c = ea_health_apt_cutoff(h, alpha, w, 0);
    double p = 0.25, tail_c = 0.0, tail_c1 = 0.0;

    for (int k = 0; k <= w; k++) {
        double lpmf = lgamma(w + 1.0) - lgamma(k + 1.0) - lgamma(w - k + 1.0) + k * log(p)
                      + (w - k) * log1p(-p);
        if (k >= c) tail_c += exp(lpmf);
        if (k >= c - 1) tail_c1 += exp(lpmf);
    }
    cr_assert(tail_c <= alpha * (1 + 1e-9), "tail at C %g", tail_c);
    cr_assert(tail_c1 > alpha, "tail at C-1 %g", tail_c1);
    cr_assert_float_eq(ea_health_apt_tail(h, w, c, 0), tail_c, tail_c * 1e-9);
}

Test(health, jitterentropy_profile)
{
    static const int intermittent[] = { 325, 422, 459, 477, 488 };
    static const int permanent[] = { 355, 447, 479, 494, 502 };
    ea_health_jent_profile p;

    for (int osr = 1; osr <= 5; osr++) {
        cr_assert_eq(ea_health_jent_profile_compute(osr, &p), EA_OK);
        cr_assert_eq(p.intermittent.apt_cutoff, intermittent[osr - 1], "osr %d", osr);
        cr_assert_eq(p.permanent.apt_cutoff, permanent[osr - 1], "osr %d", osr);
        cr_assert_eq(p.intermittent.rct_cutoff, 1 + 30 * osr);
        cr_assert_eq(p.permanent.rct_cutoff, 1 + 60 * osr);
        cr_assert_eq(p.intermittent.window, 512);
    }
    /* from OSR 15 on the cutoff is capped at the window (jitterentropy does the same) */
    cr_assert_eq(ea_health_jent_profile_compute(15, &p), EA_OK);
    cr_assert_eq(p.intermittent.apt_cutoff, 512);
}

Test(health, bad_claims_rejected)
{
    ea_health_cutoffs c;

    cr_assert_eq(ea_health_cutoffs_compute(0.0, 0.001, 0, &c), EA_ERR_ARG);
    cr_assert_eq(ea_health_cutoffs_compute(1.5, 0.001, 1, &c), EA_ERR_ARG);
    cr_assert_eq(ea_health_cutoffs_compute(8.5, 0.001, 0, &c), EA_ERR_ARG);
    cr_assert_eq(ea_health_cutoffs_compute(1.0, 0.0, 0, &c), EA_ERR_ARG);
    cr_assert_eq(ea_health_cutoffs_compute(1.0, 1.0, 0, &c), EA_ERR_ARG);
    cr_assert_eq(ea_health_cutoffs_compute(NAN, 0.5, 0, &c), EA_ERR_ARG);
}

/* Pseudo-random bytes: no long runs, no window dominated by one value. */
static uint8_t *random_bytes(size_t n, uint32_t x)
{
    uint8_t *s = malloc(n);

    cr_assert_not_null(s);
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        s[i] = (uint8_t)(x >> 24);
    }
    return s;
}

Test(health, replay_clean_data)
{
    const size_t n = 100000;
    uint8_t *s = random_bytes(n, 12345u);
    ea_health_cutoffs c;
    ea_health_replay_result r;

    cr_assert_eq(ea_health_cutoffs_compute(4.0, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(ea_health_replay(s, n, &c, &r), EA_OK);
    cr_assert_eq(r.samples, n);
    cr_assert_eq(r.rct_failures, 0);
    cr_assert_eq(r.apt_failures, 0);
    cr_assert_eq(r.apt_windows, n / 512);
    cr_assert(r.longest_run < (size_t)c.rct_cutoff);
    cr_assert(r.max_apt_count < c.apt_cutoff);
    cr_assert_eq(r.first_rct_failure, SIZE_MAX);
    cr_assert(r.rct_expected_fp > 0.0 && r.rct_expected_fp <= (double)n * ldexp(1.0, -20));
    cr_assert_float_eq(r.apt_expected_fp, (double)r.apt_windows * ea_health_apt_rate(4.0, 512, c.apt_cutoff),
                       1e-15);
    cr_assert_eq(r.excess, 0);
    cr_assert_eq(r.apt_can_fail, 1);
    free(s);
}

Test(health, replay_stuck_run)
{
    const size_t n = 50000;
    uint8_t *s = random_bytes(n, 777u);
    ea_health_cutoffs c;
    ea_health_replay_result r;

    cr_assert_eq(ea_health_cutoffs_compute(4.0, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(c.rct_cutoff, 6);
    /* one stuck run of 20 identical samples starting at 1000, one of exactly 6 at 30000 */
    memset(s + 1000, 0xAA, 20);
    s[999] = 0x01; s[1020] = 0x02;
    memset(s + 30000, 0x55, 6);
    s[29999] = 0x03; s[30006] = 0x04;
    cr_assert_eq(ea_health_replay(s, n, &c, &r), EA_OK);
    cr_assert_eq(r.rct_failures, 2);                  /* one count per run */
    cr_assert_eq(r.first_rct_failure, 1005);          /* the 6th sample of the first run */
    cr_assert_eq(r.longest_run, 20);
    free(s);
}

Test(health, replay_biased_window)
{
    const size_t n = 10 * 512;
    uint8_t *s = random_bytes(n, 4242u);
    ea_health_cutoffs c;
    ea_health_replay_result r;

    for (size_t i = 0; i < n; i++)
        s[i] &= 1;
    cr_assert_eq(ea_health_cutoffs_compute(0.5, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(c.window, 512);
    /* window 3: its first sample (1) and 450 of its 512 samples are 1, spread out */
    for (size_t j = 0; j < 512; j++)
        s[3 * 512 + j] = (uint8_t)(j % 8 != 7 || j < 8);
    cr_assert_eq(ea_health_replay(s, n, &c, &r), EA_OK);
    cr_assert_eq(r.apt_windows, 10);
    cr_assert_eq(r.apt_failures, 1);
    cr_assert_eq(r.first_apt_failure, 3);
    cr_assert(r.max_apt_count >= 448);
    free(s);
}

Test(health, replay_partial_window_and_errors)
{
    uint8_t s[700] = {0};
    ea_health_cutoffs c;
    ea_health_replay_result r;

    cr_assert_eq(ea_health_cutoffs_compute(1.0, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(ea_health_replay(s, 700, &c, &r), EA_OK);
    cr_assert_eq(r.apt_windows, 1);     /* the last 188 samples form no window */
    cr_assert_eq(r.apt_failures, 1);
    cr_assert_eq(r.rct_failures, 1);    /* one run of 700 */
    cr_assert_eq(r.longest_run, 700);
    cr_assert_eq(ea_health_replay(s, 0, &c, &r), EA_ERR_EMPTY);
    cr_assert_eq(ea_health_replay(NULL, 5, &c, &r), EA_ERR_ARG);
}

/* §4.4.1: the ceiling is exact. A ratio 1e-10 above 40 needs C = 42 (a 1e-9 rounding guard gave
 * 41, whose false-positive probability 2^-(20 - 5e-11) exceeds alpha); 1/3, 2/3, 1/7 read as
 * the fractions they stand for. */
Test(health, rct_cutoff_exact_ceiling)
{
    const double a20 = ldexp(1.0, -20), a30 = ldexp(1.0, -30);
    double h = 20.0 / (40.0 + 1e-10);

    cr_assert(-log2(a20) / h > 40.0);
    cr_assert_eq(ea_health_rct_cutoff(h, a20), 42);
    cr_assert_eq(ea_health_rct_cutoff(20.0 / (40.0 - 1e-10), a20), 41);
    cr_assert_eq(ea_health_rct_cutoff(1.0 / 3.0, a20), 61);
    cr_assert_eq(ea_health_rct_cutoff(2.0 / 3.0, a30), 46);
    cr_assert_eq(ea_health_rct_cutoff(1.0 / 7.0, a30), 211);
    cr_assert_eq(ea_health_rct_cutoff(0.1, a20), 201);
    /* alpha not a power of two: -log2(1e-9) = 29.897... / 1 -> 30 */
    cr_assert_eq(ea_health_rct_cutoff(1.0, 1e-9), 31);
    cr_assert_eq(ea_health_rct_cutoff(1e-9, a20), -1);   /* C would not fit an int */
}

/* The APT counts the window's first sample, so its count is 1 + Binomial(W - 1, p): the rate
 * and the replay's expected false positives are that tail, not Binomial(W, p)'s. Values from
 * mpmath: H = 8, W = 512, C = 13 -> 1.2812 alpha; H = 0.5, C = 410 -> 1.0658 alpha. */
Test(health, apt_rate_is_the_test_as_run)
{
    const double a20 = ldexp(1.0, -20);
    ea_health_cutoffs c;

    cr_assert_eq(ea_health_cutoffs_compute(8.0, a20, 0, &c), EA_OK);
    cr_assert_eq(c.apt_cutoff, 13);
    cr_assert_float_eq(ea_health_apt_rate(8.0, 512, 13) / a20, 1.2812196572, 1e-8);
    cr_assert(ea_health_apt_tail(8.0, 512, 13, 0) <= a20);
    cr_assert_float_eq(ea_health_apt_rate(0.5, 512, 410) / a20, 1.0657939989, 1e-8);
    cr_assert_eq(ea_health_apt_rate(0.01, 512, 513), 0.0);
}

/* Smallest k with P(Poisson(mu) > k) <= 1e-6, values from mpmath. */
Test(health, fp_allowance_poisson_quantile)
{
    cr_assert_eq(ea_health_fp_allowance(0.0, 1e-6), 0);
    cr_assert_eq(ea_health_fp_allowance(0.5, 1e-6), 7);
    cr_assert_eq(ea_health_fp_allowance(1.0, 1e-6), 9);
    cr_assert_eq(ea_health_fp_allowance(2.98, 1e-6), 14);
    cr_assert_eq(ea_health_fp_allowance(763.0, 1e-6), 898);
    cr_assert_eq(ea_health_fp_allowance(10000.0, 1e-6), 10479);
    cr_assert_eq(ea_health_fp_allowance(-1.0, 1e-6), SIZE_MAX);
    cr_assert_eq(ea_health_fp_allowance(1.0, 0.0), SIZE_MAX);
}

/* The verdict: failures at the level chance explains are not excess; a stuck source is; an
 * APT whose cutoff exceeds its window cannot fail and says so. */
Test(health, replay_verdict_against_chance)
{
    const size_t n = 1u << 20;
    uint8_t *s = random_bytes(n, 99u);
    ea_health_cutoffs c;
    ea_health_replay_result r;

    /* alpha 1e-3 at the true H = 8: many failures, all expected */
    cr_assert_eq(ea_health_cutoffs_compute(8.0, 1e-3, 0, &c), EA_OK);
    cr_assert_eq(ea_health_replay(s, n, &c, &r), EA_OK);
    cr_assert(r.rct_failures > 0 && r.apt_failures > 0);
    cr_assert(r.rct_failures <= r.rct_allowed && r.apt_failures <= r.apt_allowed);
    cr_assert_eq(r.rct_improbable, 0);
    cr_assert_eq(r.apt_improbable, 0);
    cr_assert_eq(r.excess, 0);
    /* a stuck stretch of 5000 samples at H = 4: one RCT failure (within the count chance
     * explains over 2^20 samples), 8 or 9 failing APT windows, and a run of 5000 that the
     * claim makes impossibly rare */
    memset(s + 5000, 7, 5000);
    cr_assert_eq(ea_health_cutoffs_compute(4.0, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(ea_health_replay(s, n, &c, &r), EA_OK);
    cr_assert(r.rct_failures >= 1 && r.rct_failures <= r.rct_allowed);
    cr_assert(r.apt_failures >= 8 && r.apt_allowed <= 2, "%zu %zu", r.apt_failures, r.apt_allowed);
    cr_assert_eq(r.rct_improbable, 1);
    cr_assert_eq(r.apt_improbable, 1);
    cr_assert_eq(r.excess, 1);
    /* H = 0.01: APT cutoff 513 > 512 */
    cr_assert_eq(ea_health_cutoffs_compute(0.01, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(ea_health_replay(s, n, &c, &r), EA_OK);
    cr_assert_eq(c.apt_cutoff, 513);
    cr_assert_eq(r.apt_can_fail, 0);
    cr_assert_eq(r.apt_expected_fp, 0.0);
    free(s);
}

/* The library must not write the global signgam (lgamma does). */
Test(health, no_global_state)
{
    ea_health_cutoffs c;

    signgam = 12345;
    cr_assert_eq(ea_health_cutoffs_compute(0.5, ldexp(1.0, -20), 0, &c), EA_OK);
    (void)ea_health_fp_allowance(1e6, 1e-6);
    cr_assert_eq(signgam, 12345);
}

/* The reviewer's stuck.bin: 500000 random bytes, 1000 zeros, 499000 random bytes at H = 0.5.
 * The run of 1000 fails the RCT once, within the failure count chance explains, but a run that
 * long has probability (10^6 - 999) 2^(-0.5 * 999) = 2^-479.57 under the claim: flagged. */
Test(health, replay_stuck_source_is_flagged)
{
    const size_t n = 1000000;
    uint8_t *s = random_bytes(n, 2024u);
    ea_health_cutoffs c;
    ea_health_replay_result r;
    char why[EA_HEALTH_VERDICT_TEXT];

    memset(s + 500000, 0, 1000);
    s[499999] = 1;
    s[501000] = 2;
    cr_assert_eq(ea_health_cutoffs_compute(0.5, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(ea_health_replay(s, n, &c, &r), EA_OK);
    cr_assert_eq(r.longest_run, 1000);
    cr_assert_eq(r.rct_failures, 1);
    cr_assert(r.rct_failures <= r.rct_allowed && r.apt_failures <= r.apt_allowed);
    cr_assert_float_eq(r.longest_run_log2p, log2(1000000.0 - 999.0) - 0.5 * 999.0, 1e-9);
    cr_assert_eq(r.rct_improbable, 1);
    /* the window holding the zeros counts 512 of 512: 1953 p^511, p = 2^-0.5 */
    cr_assert_eq(r.max_apt_count, 512);
    cr_assert_float_eq(r.max_apt_log2p, log2(1953.0) - 0.5 * 511.0, 1e-6);
    cr_assert_eq(r.apt_improbable, 1);
    cr_assert_eq(r.excess, 1);
    cr_assert_eq(ea_health_verdict_text(&c, &r, why, sizeof why), 2);
    cr_assert_not_null(strstr(why, "longest run 1000: probability 2^-479.6 under H = 0.5 over 1000000 samples"),
                       "%s", why);
    cr_assert_not_null(strstr(why, "; largest APT count 512 of 512: probability 2^-244.6"), "%s", why);
    /* without the stuck run the same data pass */
    s[500000 + 500] = 3;
    memset(s + 500000, 0, 10);
    for (size_t i = 500010; i < 501000; i++)
        s[i] = (uint8_t)(i * 37u + 11u);
    cr_assert_eq(ea_health_replay(s, n, &c, &r), EA_OK);
    cr_assert_eq(r.excess, 0);
    cr_assert_eq(ea_health_verdict_text(&c, &r, why, sizeof why), 0);
    cr_assert_str_eq(why, "");
    free(s);
}

/* All-zero data at H = 0.01: the APT cannot fail (C = 513) and the RCT fails once (C = 2001),
 * within chance; the run of 10^6 (probability 2^-9999.99) flags it. */
Test(health, replay_all_zero_low_claim)
{
    const size_t n = 1000000;
    uint8_t *s = calloc(n, 1);
    ea_health_cutoffs c;
    ea_health_replay_result r;

    cr_assert_not_null(s);
    cr_assert_eq(ea_health_cutoffs_compute(0.01, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(ea_health_replay(s, n, &c, &r), EA_OK);
    cr_assert_eq(r.rct_failures, 1);
    cr_assert(r.rct_failures <= r.rct_allowed);
    cr_assert_eq(r.apt_can_fail, 0);
    cr_assert_eq(r.apt_failures, 0);
    cr_assert_eq(r.apt_improbable, 0);      /* 1953 windows of 512 equal samples: likely at H = 0.01 */
    cr_assert_float_eq(r.longest_run_log2p, -0.01 * 999999.0, 1e-6);
    cr_assert_eq(r.rct_improbable, 1);
    cr_assert_eq(r.excess, 1);
    free(s);
}

/* §4.4.1: one failure per run. At H = 1, alpha = 2^-20 (C = 21, p = 1/2 <= 20/21), n = 10^6:
 * 2^-20 + (n - 21) (1/2) 2^-20, about half the per-position count (n - 20) 2^-20. */
Test(health, rct_expectation_counts_runs)
{
    const size_t n = 1000000;
    uint8_t *s = random_bytes(n, 5u);
    ea_health_cutoffs c;
    ea_health_replay_result r;

    cr_assert_eq(ea_health_cutoffs_compute(1.0, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(c.rct_cutoff, 21);
    cr_assert_eq(ea_health_replay(s, n, &c, &r), EA_OK);
    cr_assert_float_eq(r.rct_expected_fp, ldexp(1.0, -20) * (1.0 + 0.5 * (double)(n - 21)), 1e-12);
    cr_assert_eq(r.rct_allowed, ea_health_fp_allowance(r.rct_expected_fp, EA_HEALTH_VERDICT_LEVEL));
    free(s);
}

/* The log-domain APT tail agrees with the direct one where that does not underflow, and stays
 * finite where it does (H = 8, all 512: p^511 = 2^-4088). */
Test(health, apt_log2_tail)
{
    cr_assert_float_eq(ea_health_apt_log2_tail(0.5, 512, 410), log2(ea_health_apt_rate(0.5, 512, 410)), 1e-9);
    cr_assert_float_eq(ea_health_apt_log2_tail(8.0, 512, 13), log2(ea_health_apt_rate(8.0, 512, 13)), 1e-9);
    cr_assert_float_eq(ea_health_apt_log2_tail(8.0, 512, 512), -8.0 * 511.0, 1e-6);
    cr_assert_eq(ea_health_apt_log2_tail(1.0, 512, 1), 0.0);
    cr_assert_eq(ea_health_apt_log2_tail(1.0, 512, 513), -HUGE_VAL);
    cr_assert_eq(ea_health_apt_log2_tail(0.0, 512, 10), 1.0);
}

/* §4.4.2: binary means exactly two distinct values, whatever they are. */
Test(health, binary_is_two_values)
{
    const uint8_t one[4] = { 5, 5, 5, 5 }, two[4] = { 0, 3, 3, 0 }, three[4] = { 0, 1, 2, 0 };

    cr_assert_eq(ea_health_is_binary(one, 4), 0);
    cr_assert_eq(ea_health_is_binary(two, 4), 1);
    cr_assert_eq(ea_health_is_binary(three, 4), 0);
    cr_assert_eq(ea_health_is_binary(NULL, 0), 0);
}

/* Too many failures are named with their allowance. */
Test(health, verdict_text_names_excess_counts)
{
    ea_health_cutoffs c;
    ea_health_replay_result r;
    char why[EA_HEALTH_VERDICT_TEXT];

    memset(&r, 0, sizeof r);
    cr_assert_eq(ea_health_cutoffs_compute(4.0, ldexp(1.0, -20), 0, &c), EA_OK);
    r.rct_failures = 12, r.rct_allowed = 6, r.apt_failures = 9, r.apt_allowed = 1, r.excess = 1;
    cr_assert_eq(ea_health_verdict_text(&c, &r, why, sizeof why), 2);
    cr_assert_str_eq(why, "RCT failures 12: chance explains up to 6; APT failures 9: chance explains up to 1");
    cr_assert_eq(ea_health_verdict_text(&c, &r, why, 10), 2);    /* truncated, terminated */
    cr_assert_str_eq(why, "RCT failu");
}
