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

Test(health, apt_cutoff_standard_table)
{
    ea_health_cutoffs c;

    cr_assert_eq(ea_health_cutoffs_compute(0.5, ldexp(1.0, -20), 1, &c), EA_OK);
    cr_assert_eq(c.rct_cutoff, 41);
    cr_assert_eq(c.window, 512);
    cr_assert_eq(c.apt_cutoff, 410);
    cr_assert_eq(ea_health_cutoffs_compute(1.0, ldexp(1.0, -20), 0, &c), EA_OK);
    cr_assert_eq(c.window, 1024);
    cr_assert_eq(c.apt_cutoff, 589);
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
    cr_assert_eq(r.apt_windows, n / 1024);
    cr_assert(r.longest_run < (size_t)c.rct_cutoff);
    cr_assert(r.max_apt_count < c.apt_cutoff);
    cr_assert_eq(r.first_rct_failure, SIZE_MAX);
    cr_assert(r.rct_expected_fp > 0.0 && r.rct_expected_fp <= (double)n * ldexp(1.0, -20));
    cr_assert(r.apt_expected_fp > 0.0 && r.apt_expected_fp <= (double)r.apt_windows * ldexp(1.0, -20));
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
    cr_assert_eq(ea_health_cutoffs_compute(0.5, ldexp(1.0, -20), 1, &c), EA_OK);
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

    cr_assert_eq(ea_health_cutoffs_compute(1.0, ldexp(1.0, -20), 1, &c), EA_OK);
    cr_assert_eq(ea_health_replay(s, 700, &c, &r), EA_OK);
    cr_assert_eq(r.apt_windows, 1);     /* the last 188 samples form no window */
    cr_assert_eq(r.apt_failures, 1);
    cr_assert_eq(r.rct_failures, 1);    /* one run of 700 */
    cr_assert_eq(r.longest_run, 700);
    cr_assert_eq(ea_health_replay(s, 0, &c, &r), EA_ERR_EMPTY);
    cr_assert_eq(ea_health_replay(NULL, 5, &c, &r), EA_ERR_ARG);
}
