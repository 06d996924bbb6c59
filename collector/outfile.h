/* SPDX-License-Identifier: Apache-2.0 */
/*
 * outfile.h - the one way ea90b writes an output file, and the one way it
 * joins a directory and a file name. Used by the collector (every file of
 * a collection directory) and by every command of cli/ (-o, assess's
 * report, esv's files, check --junit, the index). Owned by
 * collector/outfile.c. Nothing here prints or exits.
 *
 * Rules:
 *   - a path that does not exist, or names a regular file, is written
 *     atomically: a temporary NAME.tmp.XXXXXX beside it, fsynced, given
 *     the mode 0666 & ~umask, renamed over NAME, and the directory fsynced.
 *     A failed or abandoned write leaves the old file (or nothing) there;
 *   - a character device or a FIFO (/dev/null, /dev/stdout, a pipe) is
 *     never replaced: it is opened and written in place, and every write
 *     error is reported (/dev/full gives "No space left on device");
 *   - a directory, a socket or a block device is refused;
 *   - a symbolic link is followed: the file it names is what the rules
 *     above apply to (a link to a regular file is replaced atomically at
 *     its target; the link itself stays). A dangling link is refused;
 *   - with EA_OFILE_REGULAR only the first rule applies (collection files:
 *     a collection never writes into a device or a FIFO).
 */
#ifndef EA_COLLECTOR_OUTFILE_H
#define EA_COLLECTOR_OUTFILE_H

#include <stddef.h>

#include "ea90b.h"

enum { EA_OFILE_REGULAR = 1 };

/* Format a one-line reason into err (errlen bytes, may be NULL); returns st.
 * The collector's one error formatter (outfile.c). */
ea_status ea_col_fail(ea_status st, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

typedef struct {
    int fd;
    int direct;   /* 1: written in place (a device or a FIFO) */
    char *path;   /* the file written (a symbolic link resolved) */
    char *tmp;    /* the temporary while an atomic write is open */
} ea_ofile;

/*
 * dir/name into buf (size bytes): EA_OK, or EA_ERR_ARG with "path too long"
 * in err when it does not fit (never a silently truncated path).
 */
ea_status ea_path_join(char *buf, size_t size, const char *dir, const char *name, char *err,
                       size_t errlen);

/* dir/name in a malloc'd string (NULL when out of memory). */
char *ea_path_join_alloc(const char *dir, const char *name);

/* Start writing path under the rules above. flags: 0 or EA_OFILE_REGULAR. */
ea_status ea_ofile_begin(ea_ofile *o, const char *path, int flags, char *err, size_t errlen);

/* Write all n bytes (EINTR retried); EA_ERR_IO names the file and the reason. */
ea_status ea_ofile_write(ea_ofile *o, const void *buf, size_t n, char *err, size_t errlen);

/*
 * Finish: an atomic write is synced and renamed into place, then its
 * directory synced; a direct write is closed. Either way o is released.
 * EA_ERR_IO with the reason when anything failed (the temporary is
 * removed, the old file stays).
 */
ea_status ea_ofile_commit(ea_ofile *o, char *err, size_t errlen);

/* Abandon: the temporary is removed (safe on a committed or zeroed ea_ofile). */
void ea_ofile_abort(ea_ofile *o);

/*
 * Open path for reading, only when it is a regular file: a FIFO would block
 * every command and a device would never end. *fd (close-on-exec), or
 * EA_ERR_IO with "cannot open 'P': ...", "'P' is a directory" or "'P' is
 * not a regular file". The open itself never blocks.
 */
ea_status ea_open_regular(const char *path, int *fd, char *err, size_t errlen);

/* fsync a directory (after a rename or unlink in it); 0 or -1 with errno. */
int ea_sync_dir(const char *dir);

#endif
