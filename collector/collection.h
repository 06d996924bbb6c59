/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collection.h - writing a collection directory without ever leaving a
 * file that looks complete when it is not. Owned by collector/collection.c.
 *
 * Rules (docs/collector.md, "Nothing lost, nothing faked"):
 *   - every final file is written as NAME.tmp.XXXXXX in the directory,
 *     fsynced, renamed to NAME, and the directory fsynced;
 *   - while a collection runs, its data lives in *.part files and its
 *     configuration and progress in collect.state.json; these names never
 *     look complete. The finish writes every output as NAME.part too,
 *     then manifest.json, and only then renames each NAME.part to NAME and
 *     removes the state file: before manifest.json exists no file carries
 *     a final name, and while the state file exists the collection is not
 *     complete (ea90b verify refuses it, --resume finishes it);
 *   - one run at a time: a run holds flock(LOCK_EX) on DIR/collect.lock
 *     (removed when the run ends);
 *   - the restart rows are appended to restart.u64.part one whole row at a
 *     time; on resume a torn last row is cut off, so the number of rows done
 *     is the file size divided by the row size.
 *
 * Functions return 0 or -1 with a one-line reason in err; nothing prints.
 */
#ifndef EA_COLLECTOR_COLLECTION_H
#define EA_COLLECTOR_COLLECTION_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

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

/* ---- the output directory ---- */

/*
 * Make `dir` ready for a new collection: create it (its parent must exist)
 * or accept an existing empty directory. A non-empty directory is refused
 * unless force is set; then the collection's own file names (final, partial,
 * state, temporaries) are removed first, so no earlier manifest survives.
 * The directory must be writable.
 */
int ea_coldir_prepare(const char *dir, int force, char *err, size_t errlen);

/*
 * Take the run lock of an existing directory: create dir/collect.lock and
 * flock(LOCK_EX | LOCK_NB) it. Returns the descriptor (close-on-exec), or
 * -1 with the reason in err ("... is in use by another ea90b collect" when
 * another process holds it). ea_coldir_prepare() ignores collect.lock.
 */
int ea_coldir_lock(const char *dir, char *err, size_t errlen);

/* Remove dir/collect.lock and release the lock (fd < 0: nothing to do). */
void ea_coldir_unlock(const char *dir, int fd);

/* Remove temporaries (NAME.tmp.*) left in dir by a killed run. */
void ea_coldir_sweep_tmp(const char *dir);

/* dir/name in a malloc'd string (NULL when out of memory). */
char *ea_colpath(const char *dir, const char *name);

/* Format a one-line reason into err (errlen bytes, may be NULL); returns -1. */
int ea_col_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- atomic files ---- */
typedef struct {
    int fd;
    char *path;   /* final name */
    char *tmp;    /* temporary name while open */
} ea_afile;

int ea_afile_open(ea_afile *f, const char *dir, const char *name, char *err, size_t errlen);
int ea_afile_write(ea_afile *f, const void *buf, size_t n, char *err, size_t errlen);
/* fsync, rename into place, fsync the directory; the file is closed either way. */
int ea_afile_commit(ea_afile *f, char *err, size_t errlen);
/* Close and remove the temporary (safe on a committed or zeroed ea_afile). */
void ea_afile_abort(ea_afile *f);

/* Whole files, atomically: little-endian u64, one decimal per line, bytes, JSON. */
int ea_write_u64_file(const char *dir, const char *name, const uint64_t *d, size_t n, char *err,
                      size_t errlen);
int ea_write_text_file(const char *dir, const char *name, const uint64_t *d, size_t n, char *err,
                       size_t errlen);
int ea_write_bytes_file(const char *dir, const char *name, const uint8_t *b, size_t n, char *err,
                        size_t errlen);
int ea_write_json_file(const char *dir, const char *name, const json_t *j, char *err,
                       size_t errlen);

/* Write n little-endian u64 to an open descriptor (a pipe); 0 or -1 with errno. */
int ea_write_u64_fd(int fd, const uint64_t *d, size_t n);

/* Read a little-endian u64 file (size must be a multiple of 8; may be empty). */
int ea_read_u64_file(const char *path, uint64_t **d, size_t *n, char *err, size_t errlen);

/* Rename dir/from to dir/to and fsync the directory. */
int ea_col_rename(const char *dir, const char *from, const char *to, char *err, size_t errlen);

/* Remove dir/name (absent is fine) and fsync the directory. */
int ea_col_remove(const char *dir, const char *name, char *err, size_t errlen);

/* ---- resume state (collect.state.json) ---- */

/* The state object, or NULL with the reason (missing, unreadable, not ours). */
json_t *ea_state_read(const char *dir, char *err, size_t errlen);

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
int ea_restart_part_open(ea_restart_part *p, const char *dir, size_t cols, int resume, char *err,
                         size_t errlen);
int ea_restart_part_append(ea_restart_part *p, const uint64_t *row, char *err, size_t errlen);
/* fsync and close (returns -1 if the sync failed). */
int ea_restart_part_close(ea_restart_part *p, char *err, size_t errlen);

/*
 * One restart in a fresh process: spawn argv[0] (an absolute path) with
 * argv, whose standard output must deliver exactly `cols` little-endian
 * u64 deltas and which must exit 0. *stop is polled while waiting: when it
 * becomes non-zero the child is killed and -1 returned with "interrupted".
 */
int ea_restart_exec(char *const argv[], uint64_t *row, size_t cols, volatile sig_atomic_t *stop,
                    char *err, size_t errlen);

/* Current UTC time as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ". */
void ea_utc_now(char buf[32]);

#endif
