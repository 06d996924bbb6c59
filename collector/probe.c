/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe.c - the timer probe behind `ea90b probe`: can this machine feed a
 * timing-jitter noise source?
 *
 * SP 800-90B §3.2.2 (requirement 4) and the jitterentropy library's own
 * start-up checks (jent_time_entropy_init, jitterentropy-base.c):
 *   present     the timer can be read;
 *   monotonic   back-to-back readings never step backwards (the library
 *               tolerates 3 backward steps in its start-up test);
 *   read cost   mean time of one reading (against CLOCK_MONOTONIC);
 *   resolution  the smallest non-zero back-to-back difference, in ticks;
 *   ticks/ns    the timer's rate over a ~20 ms interval;
 *   GCD         of `samples` jent deltas (jitterentropy-gcd.c divides by it);
 *   variation   mean |delta[i] - delta[i-1]| (the library's EMINVARVAR);
 *   stuck       share of jent deltas that are "stuck" as jent_stuck() in
 *               jitterentropy-health.c defines it: the delta, or its first
 *               or second discrete derivative, is zero.
 */
#include <stdlib.h>
#include <string.h>

#include "source_int.h"

#define PROBE_READS 100000u
#define RATE_NS 20000000u   /* 20 ms */

/* Back-to-back readings: monotonic, read cost, resolution. */
static void probe_reads(ea_timer_id t, ea_probe_result *r)
{
    uint64_t prev = ea_timer_now(t), t0 = ea_mono_ns(), t1;
    uint64_t best = 0;

    for (unsigned i = 0; i < PROBE_READS; i++) {
        uint64_t now = ea_timer_now(t);
        if (now < prev)
            r->backwards++;
        else if (now > prev && (best == 0 || now - prev < best))
            best = now - prev;
        prev = now;
    }
    t1 = ea_mono_ns();
    r->monotonic = r->backwards == 0;
    r->read_cost_ns = (double)(t1 - t0) / PROBE_READS;
    r->resolution = best;
}

/* Timer ticks per nanosecond over RATE_NS of CLOCK_MONOTONIC. */
static double probe_rate(ea_timer_id t)
{
    uint64_t m0 = ea_mono_ns(), c0 = ea_timer_now(t), m1, c1;

    if (t == EA_TID_MONOTONIC)
        return 1.0;
    do {
        m1 = ea_mono_ns();
    } while (m1 - m0 < RATE_NS);
    c1 = ea_timer_now(t);
    return c1 > c0 ? (double)(c1 - c0) / (double)(m1 - m0) : 0.0;
}

/* Minimum, maximum and mean absolute change of the deltas. */
static void delta_stats(const uint64_t *d, size_t n, ea_probe_result *r)
{
    double sum = 0.0;

    r->delta_min = r->delta_max = d[0];
    for (size_t i = 1; i < n; i++) {
        sum += (double)(d[i] > d[i - 1] ? d[i] - d[i - 1] : d[i - 1] - d[i]);
        if (d[i] < r->delta_min)
            r->delta_min = d[i];
        if (d[i] > r->delta_max)
            r->delta_max = d[i];
    }
    r->variation = sum / (double)(n - 1);
}

/* Share of stuck deltas, jent_stuck()'s definition (history starts at 0). */
static double stuck_share(const uint64_t *d, size_t n)
{
    uint64_t last = 0, last2 = 0;
    size_t stuck = 0;

    for (size_t i = 0; i < n; i++) {
        uint64_t d2 = d[i] - last, d3 = d2 - last2;
        stuck += d[i] == 0 || d2 == 0 || d3 == 0;
        last = d[i];
        last2 = d2;
    }
    return n ? (double)stuck / (double)n : 0.0;
}

static ea_status probe_jent(ea_timer_kind kind, size_t samples, ea_probe_result *r, char *err,
                            size_t errlen)
{
    ea_src_config cfg;
    ea_source *s;
    uint64_t *d = malloc(samples * sizeof *d);
    ea_status st;

    if (d == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    memset(&cfg, 0, sizeof cfg);
    cfg.kind = EA_SRC_JENT;
    cfg.timer = kind;
    st = ea_source_open(&cfg, &s, err, errlen);
    if (st == EA_OK) {
        st = ea_source_read(s, d, samples, err, errlen);
        ea_source_close(s);
    }
    if (st == EA_OK) {
        r->gcd = ea_gcd_u64(d, samples);
        r->stuck_share = stuck_share(d, samples);
        delta_stats(d, samples, r);
        r->samples = samples;
    }
    free(d);
    return st;
}

ea_status ea_timer_probe(ea_timer_kind kind, size_t samples, ea_probe_result *r, char *err,
                         size_t errlen)
{
    ea_timer_id t;

    memset(r, 0, sizeof *r);
    if (samples < 2)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "the probe needs at least 2 samples");
    if (ea_timer_resolve(kind, &t, err, errlen) != EA_OK) {
        r->timer = kind == EA_TIMER_MONOTONIC ? "clock_monotonic" : "auto";
        return EA_OK;   /* a finding, not an error: present = 0 */
    }
    r->timer = ea_timer_id_name(t);
    r->present = 1;
    probe_reads(t, r);
    r->ticks_per_ns = probe_rate(t);
    r->freq_hz = ea_timer_freq_hz(t);
    return probe_jent(kind, samples, r, err, errlen);
}
