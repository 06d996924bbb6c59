/* SPDX-License-Identifier: Apache-2.0 */
/*
 * manifest.h - collection directories and their manifest.json.
 * Owned by collector/manifest.c and collector/hostinfo.c.
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

#include <jansson.h>

/*
 * Check DIR/manifest.json: it parses, says complete, and every listed file
 * exists with the recorded size and SHA-256. Returns 0, or -1 with a
 * one-line reason that names the file in err.
 */
int ea_collection_verify(const char *dir, char *err, size_t errlen);

/*
 * The checks of ea_collection_verify() on a manifest already read (it does
 * not look for collect.state.json): the header; the entries the collection
 * must have (raw.u64 and samples.bin always; restart.bin when "restarts"
 * is an object, and restart.u64 too when the manifest was written by
 * ea90b collect, "tool.name" "ea90b"); only the collection's own file
 * names; sample counts that agree with "samples" and rows x cols; then
 * every file's size and SHA-256. 0, or -1 with the reason in err.
 */
int ea_manifest_check(const char *dir, const json_t *m, char *err, size_t errlen);

/*
 * The last step of a collection, once dir/manifest.json (m) is written:
 * rename every listed NAME.part still present to NAME, check the directory
 * with ea_manifest_check(), and only then remove collect.state.json. Safe
 * to repeat after an interruption (collection.h).
 */
int ea_col_publish(const char *dir, const json_t *m, char *err, size_t errlen);

/* SHA-256 of a whole file as 64 lowercase hex digits; also its size. */
int ea_sha256_file(const char *path, char hex[65], unsigned long long *bytes, char *err,
                   size_t errlen);

/*
 * The manifest's entry for dir/name: {"bytes": size, "samples": samples,
 * "sha256": hex}. NULL with the reason in err when the file cannot be read.
 * (Added by collector/manifest.c; the manifest itself is written with
 * ea_write_json_file() from collection.h.)
 */
json_t *ea_manifest_file_entry(const char *dir, const char *name, unsigned long long samples,
                               char *err, size_t errlen);

#endif
