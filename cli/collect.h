/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collect.h - a collection run with ea90b collect's progress bar, signal
 * handling and messages, for `ea90b collect`, `ea90b assess --collect`
 * and the crash tests (tests/tools/collect_hooks.c). Owned by
 * cli/collect_cmd.c.
 */
#ifndef EA_CLI_COLLECT_H
#define EA_CLI_COLLECT_H

#include <jansson.h>

#include "ea90b_collect.h"

typedef struct {
    const char *dir;
    const ea_col_config *cfg;    /* NEW/FORCE: what to record; RESUME: ignored */
    const json_t *given;         /* RESUME: options given again, as configuration keys; or NULL */
    ea_col_open_mode mode;
    const char *command_line;    /* recorded in the manifest */
    int quiet;                   /* no progress bar, no summary (warnings still) */
    const ea_col_hooks *extra;   /* more hooks, called after the command's own (tests) */
} ea_collect_req;

/* Run a collection to its end; prints its messages; returns the exit status. */
int ea_collect_run(const ea_collect_req *req);

/* `ea90b collect` (argv[0] "collect", argv[-1] the program) with extra hooks. */
int ea_collect_main(int argc, char **argv, const ea_col_hooks *extra);

#endif
