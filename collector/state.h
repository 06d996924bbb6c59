/* SPDX-License-Identifier: Apache-2.0 */
/*
 * state.h - collect.state.json, the resume state of a collection that is
 * not finished, as a typed struct. Owned by collector/state.c; used by
 * the engine (collector/engine*.c) only.
 *
 * The file (format "ea90b-collect-state", format_version 1):
 *   "complete": false, "command_line", "start_time", "host" (the host facts
 *   taken when the run started), "config" (ea_col_config as JSON), "phase"
 *   ("samples", "restarts", "finish"), "source" (the source's facts once
 *   the samples are in, else null), "resumes" (one entry per resume),
 *   "restart_seconds", "restart_run_start" (wall-clock start of a restart
 *   run that is going on, else null), "run_open" (true while a run holds
 *   the directory: a resume that finds it true knows the last run was
 *   killed), "restart_rows_done", "exec" (the exec source's program, its
 *   hash and its runs so far; null for the other sources), "host_source"
 *   and "imported_on" (data recorded elsewhere: where "host" came from,
 *   and the machine that ran the collector; null otherwise), "runs_done"
 *   and "series" (a series: the runs recorded so far and their facts).
 */
#ifndef EA_COLLECTOR_STATE_H
#define EA_COLLECTOR_STATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ea90b_collect.h"

typedef struct {
    char *command_line;        /* malloc'd */
    char start_time[32];
    json_t *host;              /* owned; null when not recorded */
    ea_col_config cfg;
    ea_col_phase phase;
    json_t *source;            /* owned; NULL until the samples are in */
    json_t *resumes;           /* owned array */
    json_t *exec;              /* owned; the exec source's facts (exec_source.c), else NULL */
    json_t *host_source;       /* owned; where "host" came from when not this machine, else NULL */
    json_t *imported_on;       /* owned; this machine, when the data was recorded elsewhere */
    unsigned runs_done;        /* a series: runtime runs whose raw deltas are on disk */
    json_t *series;            /* owned array: per run {"run", "samples_seconds"} */
    double restart_seconds;
    double restart_run_start;  /* < 0: none */
    uint64_t restart_rows_done;
    int run_open;
} ea_col_state;

/* A fresh state (phase samples) for cfg; host is taken over. EA_ERR_NOMEM. */
ea_status ea_state_init(ea_col_state *s, const ea_col_config *cfg, const char *command_line,
                        json_t *host);

/*
 * Read dir/collect.state.json. EA_ERR_STATE when it is missing ("no
 * interrupted collection in ..."), not ours, or damaged (the field named).
 */
ea_status ea_state_load(const char *dir, ea_col_state *s, char *err, size_t errlen);

/* Write it atomically (run_open as in s). */
ea_status ea_state_save(const char *dir, const ea_col_state *s, char *err, size_t errlen);

void ea_state_free(ea_col_state *s);

const char *ea_col_phase_name(ea_col_phase p);

#endif
