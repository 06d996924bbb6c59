/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collection.h - the files of a collection directory, written so that no
 * file ever looks complete when it is not. Internal to the collector
 * (collector/collection.c); the engine's public interface is
 * include/ea90b_collect.h.
 *
 * Rules (docs/collector.md, "Nothing lost, nothing faked"):
 *   - every final file is written through outfile.h: NAME.tmp.XXXXXX in
 *     the directory, fsynced, renamed to NAME, and the directory fsynced;
 *   - while a collection runs, its data lives in *.part files and its
 *     configuration and progress in collect.state.json; these names never
 *     look complete. The finish writes every output as NAME.part too,
 *     then manifest.json, and only then renames each NAME.part to NAME and
 *     removes the state file: before manifest.json exists no file carries
 *     a final name, and while the state file exists the collection is not
 *     complete (ea90b verify refuses it, a resume finishes it);
 *   - one run at a time: a run holds flock(LOCK_EX) on DIR/collect.lock
 *     (removed when the run ends);
 *   - the restart rows are appended to restart.u64.part one whole row at a
 *     time; on resume a torn last row is cut off, so the number of rows done
 *     is the file size divided by the row size.
 *
 * Functions return an ea_status (ea90b.h) with a one-line reason in err
 * (errlen bytes; err may be NULL); nothing prints.
 */
#ifndef EA_COLLECTOR_COLLECTION_H
#define EA_COLLECTOR_COLLECTION_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ea90b_collect.h"
#include "outfile.h"

#define EA_COL_STATE "collect.state.json"
#define EA_COL_MANIFEST "manifest.json"
#define EA_COL_RAW "raw.u64"
#define EA_COL_RAW_TXT "raw.txt"
#define EA_COL_SAMPLES "samples.bin"
#define EA_COL_RESTART "restart.u64"
#define EA_COL_RESTART_BIN "restart.bin"
#define EA_COL_RAW_PART "raw.u64.part"
#define EA_COL_RESTART_PART "restart.u64.part"
#define EA_COL_RAW_TXT_PART "raw.txt.part"
#define EA_COL_SAMPLES_PART "samples.bin.part"
#define EA_COL_RESTART_BIN_PART "restart.bin.part"
#define EA_COL_LOCK "collect.lock"
#define EA_COL_EXEC_RUNS "exec-runs.part"   /* exec: one line per restart run kept */

/*
 * The name of run `run`'s file in a collection of `runs` runs: a single
 * collection keeps the plain name ("raw.u64"); in a series every run has
 * its own, "raw-01.u64", "samples-01.bin", "raw-01.txt" (3 digits from 100
 * runs on). base is a plain name; buf gets the name (n >= 32).
 */
void ea_col_run_name(char *buf, size_t n, const char *base, unsigned run, unsigned runs);

/* 1 when name is a series file name ("samples-07.bin", "raw-12.u64.part", ...). */
int ea_col_is_series_name(const char *name);

/* ---- the configuration as JSON (config.c; the public form is a string) ---- */
json_t *ea_col_config_json(const ea_col_config *cfg);
ea_status ea_col_config_from_object(const json_t *o, ea_col_config *cfg, char *err,
                                    size_t errlen);

/* ---- the output directory ---- */

/*
 * Make `dir` ready for a new collection: create it (its parent must exist)
 * or accept an existing empty directory. A non-empty directory is refused
 * (EA_ERR_NOT_EMPTY) unless force is set; then the collection's own file
 * names (final, partial, state, temporaries) are removed first, so no
 * earlier manifest survives. The directory must be writable.
 */
ea_status ea_coldir_prepare(const char *dir, int force, char *err, size_t errlen);

/*
 * Take the run lock of an existing directory: create dir/collect.lock and
 * flock(LOCK_EX | LOCK_NB) it; *fd is the descriptor (close-on-exec).
 * EA_ERR_LOCKED ("... is in use by another ea90b collect") when another
 * process holds it. ea_coldir_prepare() ignores collect.lock.
 */
ea_status ea_coldir_lock(const char *dir, int *fd, char *err, size_t errlen);

/* Remove dir/collect.lock and release the lock (fd < 0: nothing to do). */
void ea_coldir_unlock(const char *dir, int fd);

/* Remove temporaries (NAME.tmp.*) left in dir by a killed run. */
void ea_coldir_sweep_tmp(const char *dir);

/* ---- whole files, atomically (outfile.h, regular files only) ---- */
ea_status ea_write_u64_file(const char *dir, const char *name, const uint64_t *d, size_t n,
                            char *err, size_t errlen);
ea_status ea_write_text_file(const char *dir, const char *name, const uint64_t *d, size_t n,
                             char *err, size_t errlen);
ea_status ea_write_bytes_file(const char *dir, const char *name, const uint8_t *b, size_t n,
                              char *err, size_t errlen);
ea_status ea_write_json_file(const char *dir, const char *name, const json_t *j, char *err,
                             size_t errlen);

/* Write n little-endian u64 to an open descriptor (a pipe); 0 or -1 with errno. */
int ea_write_u64_fd(int fd, const uint64_t *d, size_t n);

/*
 * A JSON document from a regular file (ea_open_regular: never a FIFO, a
 * device or a directory). NULL with the reason in err: "cannot open ...",
 * "'P' is a directory", "'P' is not a regular file" or "'P' is not valid
 * JSON (line N: ...)"; *st EA_ERR_IO or EA_ERR_INPUT (st may be NULL).
 */
json_t *ea_json_load(const char *path, char *err, size_t errlen, ea_status *st);

/* Read a little-endian u64 file (size must be a multiple of 8; may be empty). */
ea_status ea_read_u64_file(const char *path, uint64_t **d, size_t *n, char *err, size_t errlen);

/* Rename dir/from to dir/to and fsync the directory. */
ea_status ea_col_rename(const char *dir, const char *from, const char *to, char *err,
                        size_t errlen);

/* Remove dir/name (absent is fine) and fsync the directory. */
ea_status ea_col_remove(const char *dir, const char *name, char *err, size_t errlen);

/* ---- restart rows ---- */
typedef struct {
    int fd;
    size_t cols;
    size_t rows_done;
} ea_restart_part;

/*
 * Open dir/restart.u64.part for appending rows of `cols` deltas. resume = 0:
 * start empty; resume = 1: keep the whole rows already there (a torn last
 * row is cut off) and set rows_done.
 */
ea_status ea_restart_part_open(ea_restart_part *p, const char *dir, size_t cols, int resume,
                               char *err, size_t errlen);
ea_status ea_restart_part_append(ea_restart_part *p, const uint64_t *row, char *err,
                                 size_t errlen);
/* fsync and close (EA_ERR_IO if the sync failed). */
ea_status ea_restart_part_close(ea_restart_part *p, char *err, size_t errlen);

/* ---- programs in a fresh process (spawn.c) ---- */

/* One run of a program: no shell, a process group of its own. */
typedef struct {
    char *const *argv;         /* argv[0]: the program's path */
    char *const *envp;         /* NULL: this process's environment */
    size_t max_out;            /* standard output kept; more is flagged (too_much) */
    double timeout;            /* seconds the run may take; 0: no limit */
    int (*stop)(void *ctx);    /* polled every 50 ms; non-zero kills the run */
    void *ctx;
} ea_run_req;

typedef struct {
    char *out;                 /* standard output (malloc'd, NUL-terminated; NULL if none) */
    size_t out_len;
    int too_much;              /* it wrote more than max_out bytes */
    int timed_out;             /* killed at the timeout */
    int exit_code;             /* exit status, or -1 when it did not exit */
    int signal;                /* the signal that ended it, or 0 */
    double seconds;            /* wall time of the run */
    char errline[512];         /* the first line of its standard error */
} ea_run_out;

/*
 * Run req->argv and wait for it. EA_OK when it ran (whatever its exit: the
 * caller judges out); EA_ERR_SYSTEM when it could not be started;
 * EA_ERR_INTERRUPTED when stop() asked (the group is killed). Release
 * out with ea_run_out_free() in every case.
 */
ea_status ea_run_program(const ea_run_req *req, ea_run_out *out, char *err, size_t errlen);
void ea_run_out_free(ea_run_out *o);

/*
 * One exec restart of the built-in sources: run argv, whose standard
 * output must deliver exactly `cols` little-endian u64 deltas and which
 * must exit 0 (EA_ERR_RESTART otherwise, quoting its first line of
 * standard error).
 */
ea_status ea_restart_exec(char *const argv[], uint64_t *row, size_t cols,
                          int (*stop)(void *ctx), void *ctx, char *err, size_t errlen);

/* Current UTC time as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ". */
void ea_utc_now(char buf[32]);

#endif
