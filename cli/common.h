/* SPDX-License-Identifier: Apache-2.0 */
/*
 * common.h - helpers shared by the ea90b command and the NIST-compatible
 * front ends: messages, strict number parsing, input files, hashing,
 * atomic output files.
 *
 * Exit statuses used by every front end:
 *   0 success, 1 an error in the data or the environment,
 *   2 a usage error (unknown option, missing operand, malformed value).
 */
#ifndef EA_CLI_COMMON_H
#define EA_CLI_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outfile.h"

#define EXIT_DATA 1
#define EXIT_USAGE 2

/* One-line message "prog: text" on stderr. */
void ea_err(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * A usage error: "prog: what: 'arg'" (or "prog: what" when arg is NULL)
 * and "Try 'help --help'." on stderr; returns EXIT_USAGE.
 */
int ea_usage_err(const char *prog, const char *help, const char *what, const char *arg);

/* Strict unsigned parse: decimal digits only (010 is ten, never octal; no
 * 0x), no sign, no trailing characters, no overflow. Returns 0 on success. */
int ea_parse_ulong(const char *s, unsigned long *out);

/* Parse "index,samples" for -l. Returns 0 on success. */
int ea_parse_window(const char *s, unsigned long *index, unsigned long *samples);

/* A whole input file (or a window of it) read into memory. */
typedef struct {
    uint8_t *data;
    size_t len;          /* bytes read */
    size_t file_bytes;   /* size of the whole file */
    char sha256[65];     /* of the whole file */
} ea_input;

/*
 * Read `path`, hashing the whole file; with window_samples > 0 keep only
 * bytes [index*samples, index*samples + samples) (clipped at the end, as
 * the reference does). On failure prints one line and returns 1.
 */
int ea_read_input(const char *prog, const char *path, unsigned long window_index,
                  unsigned long window_samples, ea_input *in);
void ea_input_free(ea_input *in);

/* argv joined by single spaces (malloc'd). */
char *ea_join_args(int argc, char **argv);

/* Local time as YYYYMMDDHHMMSS. */
void ea_timestamp(char buf[16]);

/* A permutation/simulation seed from getrandom(2). Returns 0, or prints
 * why it failed (asking for --seed) and returns EXIT_DATA. */
int ea_draw_seed(const char *prog, uint64_t *seed);

/* Monotonic seconds. */
double ea_wall(void);

/* Online CPUs (at least 1). */
int ea_online_cpus(void);

/*
 * Output files (every -o, the index, check --junit): ea_out_open() starts
 * the file with the collector's one output helper (collector/outfile.h:
 * a regular file or a new one is written atomically, a device or a FIFO
 * in place and never replaced, a directory refused); ea_out_commit()
 * flushes, syncs and places it (returns 0), or removes the temporary and
 * returns 1 after printing why; ea_out_abort() abandons it. "-" means
 * stdout.
 */
typedef struct {
    FILE *f;
    ea_ofile of;
} ea_outfile;

int ea_out_open(const char *prog, const char *path, ea_outfile *o);

/*
 * dir/name into buf (size bytes) with ea_path_join(): 0, or "prog: path
 * too long: ..." printed and EXIT_DATA (a path is never silently cut).
 */
int ea_join(const char *prog, char *buf, size_t size, const char *dir, const char *name);

/* The first of paths[0..n) that names what an earlier one names (the same string, or
 * the same file by device and inode), or NULL when all differ. */
const char *ea_repeated_path(int n, char *const *paths);

/* The whole of path, a regular file (not a link) of at most max bytes, malloc'd and
 * NUL-terminated; NULL when it is anything else or cannot be read. */
char *ea_read_small(const char *path, size_t max);

/* The SHA-256 (64 lowercase hex digits, into hex) that sums, the text of a
 * SHA256SUMS file as sha256sum prints it, records for name; NULL when none. */
const char *ea_sums_find(const char *sums, const char *name, char hex[65]);

/* Write n bytes to path with ea_out_open()/ea_out_commit(); 0 or 1 (printed). */
int ea_write_file(const char *prog, const char *path, const void *data, size_t n);
int ea_out_commit(const char *prog, ea_outfile *o);
void ea_out_abort(ea_outfile *o);

#endif
