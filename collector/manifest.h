/* SPDX-License-Identifier: Apache-2.0 */
/*
 * manifest.h - a collection's manifest.json: its writer and its checker,
 * side by side. Owned by collector/manifest.c.
 *
 * A collection directory holds (names fixed):
 *   raw.u64       all runtime deltas, little-endian u64
 *   raw.txt       (with --text) the same, one decimal per line
 *   samples.bin   one symbol per byte, extracted with the mask
 *   restart.u64   the restart deltas, row-major (restart i's samples contiguous)
 *   restart.bin   the restart symbols, row-major: the dataset for `ea90b restart`
 *   manifest.json described in docs/collector.md; its top level has at least
 *     "format": "ea90b-collection", "format_version": 1, "complete": true,
 *     "tool": {"name","version"}, "command_line", "start_time", "end_time",
 *     "host": {...}, "source": {...},
 *     "extraction": {"mask": "0xff", "bits": 8, "divide_gcd": false, "divisor": 1},
 *     "samples": 1000000,
 *     "restarts": {"rows": 1000, "cols": 1000, "mode": "exec"} or null,
 *     "files": {"samples.bin": {"bytes": N, "samples": N, "sha256": "hex"}, ...}
 */
#ifndef EA_COLLECTOR_MANIFEST_H
#define EA_COLLECTOR_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ea90b.h"

/* ---- the writer ---- */

/* What a manifest records (the caller's facts; nothing is read here). */
typedef struct {
    const char *command_line, *start_time, *end_time;
    const json_t *host;          /* host facts (hostinfo.h); NULL: null (recorded elsewhere, unknown) */
    const json_t *host_source;   /* where host came from when not this machine; NULL: omitted */
    const json_t *imported_on;   /* this machine, when the data was recorded elsewhere; NULL: omitted */
    const json_t *source;        /* the source's facts, with "gcd" and "restart_gcd" */
    uint64_t mask;               /* extraction mask (1..8 bits) */
    int divide_gcd;
    uint64_t divisor;            /* 1: none */
    uint64_t samples;            /* per run */
    unsigned runs;               /* a series of runs (>= 2), or 0/1: a single collection */
    const json_t *series;        /* a series: [{"run", "samples_seconds", "gcd"}, ...] */
    uint64_t rows, cols;         /* rows 0: "restarts": null */
    const char *restart_mode;    /* "exec", "inproc", "import" */
    double restart_seconds;
    const json_t *resumes;       /* array; NULL: [] */
    const json_t *files;         /* name -> ea_manifest_file_entry() */
} ea_manifest_desc;

/* The manifest object of the layout above (NULL when out of memory). */
json_t *ea_manifest_build(const ea_manifest_desc *d);

/*
 * The "files" object of a collection being finished: the entry of every
 * output, hashed from its NAME.part (raw.u64, samples.bin, raw.txt when
 * text; in a series of runs >= 2 those of every run, raw-01.u64 ...;
 * restart.u64 and restart.bin when restart_cells > 0).
 */
json_t *ea_manifest_files(const char *dir, uint64_t samples, unsigned runs,
                          uint64_t restart_cells, int text, char *err, size_t errlen);

/*
 * The manifest's entry for dir/name: {"bytes": size, "samples": samples,
 * "sha256": hex}. NULL with the reason in err when the file cannot be read.
 */
json_t *ea_manifest_file_entry(const char *dir, const char *name, unsigned long long samples,
                               char *err, size_t errlen);

/*
 * The last step of a collection, once dir/manifest.json (m) is written:
 * rename every listed NAME.part still present to NAME, check the directory
 * with ea_manifest_check(), and only then remove collect.state.json. Safe
 * to repeat after an interruption (collection.h).
 */
ea_status ea_col_publish(const char *dir, const json_t *m, char *err, size_t errlen);

/* ---- the checker (ea_col_verify() of ea90b_collect.h reads the file first) ---- */

/*
 * The checks of ea_col_verify() on a manifest already read (it does not
 * look for collect.state.json): the header; the entries the collection
 * must have (raw.u64 and samples.bin always; restart.bin when "restarts"
 * is an object, and restart.u64 too when the manifest was written by
 * ea90b collect, "tool.name" "ea90b"); only the collection's own file
 * names; sample counts that agree with "samples" and rows x cols; then
 * every file's size and SHA-256. EA_OK, or EA_ERR_MANIFEST (EA_ERR_IO when
 * a file cannot be read) with the reason in err.
 */
ea_status ea_manifest_check(const char *dir, const json_t *m, char *err, size_t errlen);

/* SHA-256 of a whole file as 64 lowercase hex digits; also its size. */
ea_status ea_sha256_file(const char *path, char hex[65], unsigned long long *bytes, char *err,
                         size_t errlen);

#endif
