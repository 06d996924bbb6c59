/* SPDX-License-Identifier: Apache-2.0 */
/*
 * health.c - SP 800-90B §4.4 continuous health tests: both cutoffs for one claim
 * (§4.4.1 RCT, §4.4.2 APT), a replay of both tests over recorded samples, and the
 * profile jitterentropy's health tests use for an oversampling rate.
 *
 * Replay: the RCT (§4.4.1) counts identical consecutive samples and fails when a run
 * reaches C (one failure per run); the APT (§4.4.2) takes consecutive non-overlapping windows
 * of W samples (§4.4.2: 1024 for a binary source, 512 otherwise), counts the occurrences of
 * each window's first sample in it (that sample included) and fails a window whose count
 * reaches C. Because the first sample is always counted, the count is 1 + Binomial(W - 1, p)
 * under the claim, and the expected false positives use that distribution (not the
 * Binomial(W, p) model behind the standard's cutoff formula, which understates them).
 *
 * Verdict: the failures are judged against their expected number (a Poisson count when the
 * claim holds): more than the 1 - EA_HEALTH_VERDICT_LEVEL quantile is excess. The RCT's
 * expectation counts runs, not positions (a run of any length >= C is one failure). The
 * extremes are judged too: a longest run, or a largest APT count, that the claim makes less
 * likely than EA_HEALTH_VERDICT_LEVEL anywhere in the record flags the replay, however few
 * failures it caused (a source stuck for 1000 samples fails the RCT once).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ea90b.h"

/* Claims are per sample of at most 8 bits (one byte per sample). */
#define EA_HEALTH_MAX_H 8.0

/* jitterentropy: APT window 512, intermittent alpha 2^-30, permanent alpha 2^-60. */
#define EA_JENT_APT_WINDOW 512
#define EA_JENT_ALPHA_INTERMITTENT_LOG2 30
#define EA_JENT_ALPHA_PERMANENT_LOG2 60

ea_status ea_health_cutoffs_window(double h, double alpha, int binary, int window, int corrected,
                                   ea_health_cutoffs *c)
{
    if (c == NULL)
        return EA_ERR_ARG;
    memset(c, 0, sizeof *c);
    /* §4.4.2: W = 1024 for a binary source, 512 for a non-binary one (the caller's choice here) */
    if (!(h > 0.0) || h > (binary ? 1.0 : EA_HEALTH_MAX_H) || !(alpha > 0.0) || !(alpha < 1.0))
        return EA_ERR_ARG;
    c->h = h;
    c->alpha = alpha;
    c->binary = binary ? 1 : 0;
    c->window = window;
    c->apt_corrected = corrected ? 1 : 0;
    c->rct_cutoff = ea_health_rct_cutoff(h, alpha);
    c->apt_cutoff = ea_health_apt_cutoff(h, alpha, window, c->apt_corrected);
    if (c->rct_cutoff < 0 || c->apt_cutoff < 0)
        return EA_ERR_ARG;
    return EA_OK;
}

ea_status ea_health_cutoffs_compute(double h, double alpha, int binary, ea_health_cutoffs *c)
{
    return ea_health_cutoffs_window(h, alpha, binary,
                                    binary ? EA_APT_WINDOW_BINARY : EA_APT_WINDOW, 0, c);
}

/* §4.4.1 over the samples. */
static void replay_rct(const uint8_t *s, size_t n, size_t cutoff, ea_health_replay_result *r)
{
    size_t run = 1;

    r->longest_run = 1;
    for (size_t i = 1; i <= n; i++) {
        if (i < n && s[i] == s[i - 1]) {
            run++;
            if (run == cutoff && r->rct_failures++ == 0)
                r->first_rct_failure = i;
            continue;
        }
        if (run > r->longest_run)
            r->longest_run = run;
        run = 1;
    }
    if (cutoff <= 1)   /* every sample is a run of 1 */
        r->rct_failures = n, r->first_rct_failure = 0;
}

/* §4.4.2 over consecutive non-overlapping windows. */
static void replay_apt(const uint8_t *s, size_t n, size_t w, int cutoff, ea_health_replay_result *r)
{
    r->apt_windows = n / w;
    for (size_t k = 0; k < r->apt_windows; k++) {
        const uint8_t *win = s + k * w;
        int count = 0;

        for (size_t j = 0; j < w; j++)
            count += win[j] == win[0];
        if (count > r->max_apt_count)
            r->max_apt_count = count;
        if (count >= cutoff && r->apt_failures++ == 0)
            r->first_apt_failure = k;
    }
}

/*
 * §4.4.1: expected failing runs under the claim, an upper bound over every distribution whose
 * largest probability is p = 2^-h. A failure is a run of C identical samples that starts at
 * sample 0 (probability <= p^(C - 1)) or after a different sample: at each of the n - C later
 * starts, sum over values v of (1 - q_v) q_v^C <= max over q <= p of (1 - q) q^(C - 1), since
 * the q_v add up to 1; (1 - q) q^(C - 1) peaks at q = (C - 1) / C.
 */
static double rct_expected_runs(size_t n, int cutoff, double h)
{
    double m = (double)(cutoff - 1), p = exp2(-h), q = p < m / (m + 1.0) ? p : m / (m + 1.0);

    if (cutoff <= 1)   /* every sample fails */
        return (double)n;
    if (n < (size_t)cutoff)
        return 0.0;
    return exp2(-h * m) + (double)(n - (size_t)cutoff) * (1.0 - q) * exp(m * log(q));
}

/* The extremes over the whole record, in log2 (see ea_health_replay_result). */
static void judge_extremes(const ea_health_cutoffs *c, ea_health_replay_result *r)
{
    const double level = log2(EA_HEALTH_VERDICT_LEVEL);
    size_t len = r->longest_run;

    r->longest_run_log2p = log2((double)(r->samples - len + 1)) - c->h * (double)(len - 1);
    if (r->longest_run_log2p > 0.0)
        r->longest_run_log2p = 0.0;
    if (r->apt_windows > 0) {
        r->max_apt_log2p = log2((double)r->apt_windows)
                           + ea_health_apt_log2_tail(c->h, c->window, r->max_apt_count);
        if (r->max_apt_log2p > 0.0)
            r->max_apt_log2p = 0.0;
    }
    r->rct_improbable = r->longest_run_log2p < level;
    r->apt_improbable = r->max_apt_log2p < level;
}

ea_status ea_health_replay(const uint8_t *s, size_t n, const ea_health_cutoffs *c,
                           ea_health_replay_result *r)
{
    double per_window;

    if (r == NULL || c == NULL || (s == NULL && n > 0))
        return EA_ERR_ARG;
    memset(r, 0, sizeof *r);
    if (c->rct_cutoff < 1 || c->apt_cutoff < 1 || c->window < 2 || !(c->h > 0.0))
        return EA_ERR_ARG;
    if (n == 0)
        return EA_ERR_EMPTY;
    per_window = ea_health_apt_rate(c->h, c->window, c->apt_cutoff);
    if (per_window < 0.0)
        return EA_ERR_ARG;
    r->samples = n;
    r->first_rct_failure = SIZE_MAX;
    r->first_apt_failure = SIZE_MAX;
    replay_rct(s, n, (size_t)c->rct_cutoff, r);
    replay_apt(s, n, (size_t)c->window, c->apt_cutoff, r);
    r->rct_expected_fp = rct_expected_runs(n, c->rct_cutoff, c->h);
    r->apt_expected_fp = (double)r->apt_windows * per_window;
    r->rct_allowed = ea_health_fp_allowance(r->rct_expected_fp, EA_HEALTH_VERDICT_LEVEL);
    r->apt_allowed = ea_health_fp_allowance(r->apt_expected_fp, EA_HEALTH_VERDICT_LEVEL);
    r->apt_can_fail = c->apt_cutoff <= c->window;
    judge_extremes(c, r);
    r->excess = r->rct_failures > r->rct_allowed || r->apt_failures > r->apt_allowed
                || r->rct_improbable || r->apt_improbable;
    return EA_OK;
}

int ea_health_is_binary(const uint8_t *s, size_t n)
{
    unsigned char seen[256] = { 0 };
    int distinct = 0;

    if (s == NULL)
        return 0;
    for (size_t i = 0; i < n && distinct <= 2; i++)
        if (!seen[s[i]]) {
            seen[s[i]] = 1;
            distinct++;
        }
    return distinct == 2;
}

/*
 * Smallest k with Pr[Poisson(mu) > k] <= level. The pmf is carried in the log domain from
 * k0 = max(0, mu - 40 sqrt(mu) - 40) (the mass below k0 is far below any level), so large
 * means neither underflow exp(-mu) nor take O(mu) steps from zero.
 */
size_t ea_health_fp_allowance(double mu, double level)
{
    double k0, lp, cdf = 0.0;
    size_t k;
    int sg;

    if (!(mu >= 0.0) || !isfinite(mu) || mu > 1e12 || !(level > 0.0) || !(level < 1.0))
        return SIZE_MAX;
    if (mu == 0.0)
        return 0;
    k0 = floor(mu - 40.0 * sqrt(mu) - 40.0);
    if (k0 < 0.0)
        k0 = 0.0;
    lp = -mu + k0 * log(mu) - lgamma_r(k0 + 1.0, &sg);   /* lgamma_r: no global signgam */
    for (k = (size_t)k0;; k++) {
        double pk = exp(lp);

        cdf += pk;
        /* the second test ends the loop if rounding keeps 1 - cdf above a tiny level */
        if (1.0 - cdf <= level || ((double)k > mu && pk < level * 1e-3))
            return k;
        lp += log(mu / (double)(k + 1));
    }
}

ea_status ea_health_jent_profile_compute(int osr, ea_health_jent_profile *p)
{
    ea_status st;

    if (p == NULL || osr < 1)
        return EA_ERR_ARG;
    memset(p, 0, sizeof *p);
    p->osr = osr;
    /* time deltas are not binary: §4.4.2's non-binary window, 512 */
    st = ea_health_cutoffs_window(1.0 / osr, ldexp(1.0, -EA_JENT_ALPHA_INTERMITTENT_LOG2), 0,
                                  EA_JENT_APT_WINDOW, 1, &p->intermittent);
    if (st == EA_OK)
        st = ea_health_cutoffs_window(1.0 / osr, ldexp(1.0, -EA_JENT_ALPHA_PERMANENT_LOG2), 0,
                                      EA_JENT_APT_WINDOW, 1, &p->permanent);
    /* jitterentropy caps the APT cutoff at the window so the test can still fail */
    if (p->intermittent.apt_cutoff > EA_JENT_APT_WINDOW)
        p->intermittent.apt_cutoff = EA_JENT_APT_WINDOW;
    if (p->permanent.apt_cutoff > EA_JENT_APT_WINDOW)
        p->permanent.apt_cutoff = EA_JENT_APT_WINDOW;
    return st;
}
