/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine_int.h - the collection engine's shared internals: the
 * ea_collection handle, shared by engine.c (open, resume, close),
 * engine_phases.c (samples, restarts, finish) and restart_child.c (the
 * process of one exec restart). Not installed; the interface is
 * include/ea90b_collect.h.
 */
#ifndef EA_COLLECTOR_ENGINE_INT_H
#define EA_COLLECTOR_ENGINE_INT_H

#include <sched.h>   /* cpu_set_t: every includer defines _GNU_SOURCE first */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "collection.h"
#include "ea90b_collect.h"
#include "source.h"
#include "state.h"

struct ea_collection {
    char *dir;
    char *command_line;          /* this run's */
    char *restart_exe;           /* NULL: exec restarts refused */
    ea_col_open_mode mode;
    ea_col_state st;             /* what collect.state.json says */
    const ea_col_hooks *hooks;   /* during ea_col_run */
    int lock;                    /* DIR/collect.lock, held from open to close (-1: none) */
    int created;                 /* this run created DIR */
    int discard;                 /* a fresh run failed in its first phase: remove what it wrote */
    int started;                 /* the directory is this run's (state saved by it) */
    int complete;                /* manifest.json written and every file final */
    cpu_set_t affinity;          /* the caller's, restored on close */
    int pinned;                  /* affinity holds the caller's and this run pinned */
    json_t *inherited;           /* the affinity before pinning, for the host facts */
    json_t *exec_new;            /* exec: the program's facts, until the fresh state takes them */
    json_t *host_new;            /* the recording machine's facts, until the fresh state takes them */
    json_t *host_source_new;     /* where they came from, when not this machine */
    json_t *imported_on_new;     /* this machine, when the data was recorded elsewhere */
    ea_col_info info;            /* what ea_col_info_get reports */
};

/* ---- the phases (engine_phases.c) ---- */
ea_status ea_eng_samples(ea_collection *c, char *err, size_t errlen);
ea_status ea_eng_restarts(ea_collection *c, char *err, size_t errlen);
ea_status ea_eng_finish(ea_collection *c, char *err, size_t errlen);

/* Save the state (run_open true unless closing). */
ea_status ea_eng_save(ea_collection *c, int closing, char *err, size_t errlen);

/* The caller's should_stop hook (0 without one). */
int ea_eng_should_stop(const ea_collection *c);

/* Report progress through the caller's hook. */
void ea_eng_progress(const ea_collection *c, ea_col_phase phase, uint64_t done, uint64_t total);

/* ---- the exec source: an external recorder (exec_source.c) ---- */

/*
 * Resolve the program of cfg (PATH as execvp), hash it, read its
 * PROGRAM.ea90b.json: *facts for the state. With was (a resume), the
 * program and sidecar must be the ones recorded (EA_ERR_STATE otherwise).
 */
ea_status ea_exec_prepare(const char *dir, const ea_col_config *cfg, const json_t *was,
                          json_t **facts, char *err, size_t errlen);
/* Runtime run `run` (1.. of a series): cfg.samples deltas into *d (malloc'd); *src the
 * source's facts. */
ea_status ea_exec_samples(ea_collection *c, unsigned run, uint64_t **d, size_t *n, json_t **src,
                          char *err, size_t errlen);
/* Restart `index` (1..rows): one run, its row appended to part, its run logged. */
ea_status ea_exec_restart(ea_collection *c, uint64_t index, uint64_t rows, uint64_t *row,
                          size_t cols, ea_restart_part *part, char *err, size_t errlen);
/* Fold the program, its hash, sidecar and runs into the source's facts. */
ea_status ea_exec_finish(ea_collection *c, char *err, size_t errlen);

/* ---- exec restarts (restart_child.c) ---- */

/* The source configuration of cfg (the timer and jent parameters). */
void ea_eng_src_config(const ea_col_config *cfg, ea_src_config *sc);

/*
 * argv of one exec restart: exe --ea90b-restart-child SPEC, SPEC giving
 * sc and the number of samples. *argv and its strings are malloc'd:
 * release with ea_eng_argv_free(). NULL when out of memory.
 */
char **ea_eng_child_argv(const char *exe, const ea_src_config *sc, uint64_t samples);
void ea_eng_argv_free(char **argv);

#endif
