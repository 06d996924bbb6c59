/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collect_hooks.c - `ea90b collect` with crash-test hooks, for the CLI
 * tests only (never installed). The shipped ea90b has no kill switches;
 * the tests reach the engine's hooks (ea90b_collect.h) through this
 * program instead:
 *
 *   collect_hooks [--stop-after-restarts K] [--kill-after-restarts K]
 *                 [--kill-in-finish before-manifest|after-manifest]
 *                 [--stop-in-samples N] [--kill-in-samples N]
 *                 collect COLLECT-OPTIONS...
 *
 * --stop-after-restarts K   SIGTERM to itself once K restart rows are on
 *                           disk (the command's own handler then stops
 *                           the run as a Ctrl-C would);
 * --kill-after-restarts K   SIGKILL to itself there: no handler runs, no
 *                           state is saved;
 * --kill-in-finish WHEN     SIGKILL to itself just before manifest.json
 *                           is written, or just after;
 * --stop-in-samples N       SIGTERM to itself once the samples' progress
 *                           (of all runs of a series together) reaches N;
 * --kill-in-samples N       SIGKILL to itself there.
 * Exec restarts start this program again: it serves them first.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "ea90b_collect.h"

typedef struct {
    unsigned long stop_after, kill_after;
    unsigned long stop_samples, kill_samples;
    int kill_step;   /* -1: none */
} hooks_ctx;

static void on_progress(void *ctx, ea_col_phase phase, uint64_t done, uint64_t total)
{
    hooks_ctx *h = ctx;

    (void)total;
    if (phase != EA_COL_PHASE_SAMPLES)
        return;
    if (h->kill_samples > 0 && done >= h->kill_samples)
        raise(SIGKILL);
    if (h->stop_samples > 0 && done >= h->stop_samples) {
        h->stop_samples = 0;   /* once */
        raise(SIGTERM);
    }
}

static int on_row(void *ctx, uint64_t done, uint64_t rows)
{
    const hooks_ctx *h = ctx;

    (void)rows;
    if (h->kill_after > 0 && done == h->kill_after)
        raise(SIGKILL);
    if (h->stop_after > 0 && done == h->stop_after)
        raise(SIGTERM);
    return 0;
}

static void on_step(void *ctx, ea_col_step step)
{
    const hooks_ctx *h = ctx;

    if (h->kill_step == (int)step)
        raise(SIGKILL);
}

static int usage(void)
{
    fprintf(stderr, "usage: collect_hooks [--stop-after-restarts K] [--kill-after-restarts K] "
                    "[--kill-in-finish before-manifest|after-manifest] [--stop-in-samples N] "
                    "[--kill-in-samples N] collect OPTIONS...\n");
    return 2;
}

int main(int argc, char **argv)
{
    hooks_ctx h = {.stop_after = 0, .kill_after = 0, .kill_step = -1};
    ea_col_hooks hooks = {.ctx = &h, .row_done = on_row, .step = on_step, .progress = on_progress};
    int rc = ea_col_restart_child(argc, argv), i = 1;

    if (rc >= 0)
        return rc;
    for (; i + 1 < argc && strcmp(argv[i], "collect") != 0; i += 2) {
        if (strcmp(argv[i], "--stop-after-restarts") == 0)
            h.stop_after = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--kill-after-restarts") == 0)
            h.kill_after = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--stop-in-samples") == 0)
            h.stop_samples = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--kill-in-samples") == 0)
            h.kill_samples = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--kill-in-finish") == 0)
            h.kill_step = strcmp(argv[i + 1], "before-manifest") == 0 ? EA_COL_STEP_BEFORE_MANIFEST
                                                                      : EA_COL_STEP_AFTER_MANIFEST;
        else
            return usage();
    }
    if (i >= argc || strcmp(argv[i], "collect") != 0)
        return usage();
    return ea_collect_main(argc - i, argv + i, &hooks);
}
