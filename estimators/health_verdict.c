/* SPDX-License-Identifier: Apache-2.0 */
/*
 * health_verdict.c - SP 800-90B §4.4 replay verdict as text: why ea_health_replay flagged a
 * claim (include/ea90b_health.h, EA_HEALTH_VERDICT_LEVEL). Formats into the caller's buffer
 * only (no I/O), so that `ea90b health replay` and `ea90b assess` give the same reasons.
 */
#include <stdio.h>
#include <string.h>

#include "ea90b.h"

/* Append one reason, "; "-separated, to buf (used bytes in *len, truncated as snprintf does). */
static void add(char *buf, size_t size, size_t *len, int *count, const char *text)
{
    int w = 0;

    if (*len + 1 < size)
        w = snprintf(buf + *len, size - *len, "%s%s", *count ? "; " : "", text);
    if (w > 0)
        *len = *len + (size_t)w < size ? *len + (size_t)w : size - 1;
    ++*count;   /* counted even when the buffer is full */
}

int ea_health_verdict_text(const ea_health_cutoffs *c, const ea_health_replay_result *r,
                           char *buf, size_t size)
{
    char one[200];
    size_t len = 0;
    int count = 0;

    if (buf == NULL || size == 0 || c == NULL || r == NULL)
        return 0;
    buf[0] = '\0';
    if (!r->excess)
        return 0;
    if (r->rct_improbable) {
        snprintf(one, sizeof one, "longest run %zu: probability 2^%.1f under H = %.6g over %zu samples",
                 r->longest_run, r->longest_run_log2p, c->h, r->samples);
        add(buf, size, &len, &count, one);
    }
    if (r->apt_improbable) {
        snprintf(one, sizeof one, "largest APT count %d of %d: probability 2^%.1f under H = %.6g over %zu windows",
                 r->max_apt_count, c->window, r->max_apt_log2p, c->h, r->apt_windows);
        add(buf, size, &len, &count, one);
    }
    if (r->rct_failures > r->rct_allowed) {
        snprintf(one, sizeof one, "RCT failures %zu: chance explains up to %zu", r->rct_failures,
                 r->rct_allowed);
        add(buf, size, &len, &count, one);
    }
    if (r->apt_failures > r->apt_allowed) {
        snprintf(one, sizeof one, "APT failures %zu: chance explains up to %zu", r->apt_failures,
                 r->apt_allowed);
        add(buf, size, &len, &count, one);
    }
    return count;
}
