/* SPDX-License-Identifier: Apache-2.0 */
/*
 * outfile.c - output files written atomically, or in place when they are
 * devices or FIFOs; paths joined without silent truncation (outfile.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

ea_status ea_col_fail(ea_status st, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

ea_status ea_path_join(char *buf, size_t size, const char *dir, const char *name, char *err,
                       size_t errlen)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);

    if (n < 0 || (size_t)n >= size)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "path too long: '%s/%s'", dir, name);
    return EA_OK;
}

char *ea_path_join_alloc(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

ea_status ea_open_regular(const char *path, int *fd, char *err, size_t errlen)
{
    struct stat st;
    int f = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY), flags;

    *fd = -1;
    if (f < 0)
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot open '%s': %s", path, strerror(errno));
    if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
        int dir = S_ISDIR(st.st_mode);
        close(f);
        return ea_col_fail(EA_ERR_IO, err, errlen, dir ? "'%s' is a directory"
                                                       : "'%s' is not a regular file", path);
    }
    if ((flags = fcntl(f, F_GETFL)) >= 0)
        fcntl(f, F_SETFL, flags & ~O_NONBLOCK);
    *fd = f;
    return EA_OK;
}

int ea_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* The process umask, read once (umask() can only be read by setting it). */
static mode_t g_umask;
static pthread_once_t g_umask_once = PTHREAD_ONCE_INIT;

static void read_umask(void)
{
    g_umask = umask(022);
    umask(g_umask);
}

static mode_t file_mode(void)
{
    pthread_once(&g_umask_once, read_umask);
    return 0666 & ~g_umask;
}

/* ------------------------------------------------------------ begin */

static ea_status begin_atomic(ea_ofile *o, char *err, size_t errlen)
{
    size_t n = strlen(o->path) + 16;

    o->tmp = malloc(n);
    if (o->tmp == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", o->path);
    o->fd = mkostemp(o->tmp, O_CLOEXEC);
    if (o->fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot create '%s': %s", o->path, strerror(e));
    }
    return EA_OK;
}

static ea_status begin_direct(ea_ofile *o, char *err, size_t errlen)
{
    o->fd = open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (o->fd < 0)
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot open '%s': %s", o->path, strerror(errno));
    o->direct = 1;
    return EA_OK;
}

/* Follow a symbolic link to the file it names (o->path replaced, st its status). */
static ea_status resolve_link(ea_ofile *o, const char *path, struct stat *st, char *err,
                              size_t errlen)
{
    char *real = realpath(path, NULL);

    if (real == NULL || stat(real, st) != 0) {
        int e = errno;
        free(real);
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot write '%s': a symbolic link to nothing (%s)",
                    path, strerror(e));
    }
    free(o->path);
    o->path = real;
    return EA_OK;
}

/* An existing target: by its type (outfile.h). */
static ea_status begin_existing(ea_ofile *o, const struct stat *st, int flags, char *err,
                                size_t errlen)
{
    if (S_ISREG(st->st_mode))
        return begin_atomic(o, err, errlen);
    if (S_ISDIR(st->st_mode))
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot write '%s': it is a directory", o->path);
    if ((S_ISCHR(st->st_mode) || S_ISFIFO(st->st_mode)) && !(flags & EA_OFILE_REGULAR))
        return begin_direct(o, err, errlen);
    return ea_col_fail(EA_ERR_IO, err, errlen, "cannot write '%s': it is not a regular file", o->path);
}

ea_status ea_ofile_begin(ea_ofile *o, const char *path, int flags, char *err, size_t errlen)
{
    struct stat st;
    ea_status rc;

    memset(o, 0, sizeof(*o));
    o->fd = -1;
    if ((o->path = strdup(path)) == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    if (lstat(path, &st) != 0)
        rc = errno == ENOENT ? begin_atomic(o, err, errlen)
                             : ea_col_fail(EA_ERR_IO, err, errlen, "cannot create '%s': %s", path,
                                    strerror(errno));
    else if (S_ISLNK(st.st_mode) && (rc = resolve_link(o, path, &st, err, errlen)) != EA_OK)
        ;
    else
        rc = begin_existing(o, &st, flags, err, errlen);
    if (rc != EA_OK)
        ea_ofile_abort(o);
    return rc;
}

/* ------------------------------------------------------------ write, commit */

ea_status ea_ofile_write(ea_ofile *o, const void *buf, size_t n, char *err, size_t errlen)
{
    const char *p = buf;

    while (n > 0) {
        ssize_t w = write(o->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return ea_col_fail(EA_ERR_IO, err, errlen, "cannot write '%s': %s", o->path,
                        w < 0 ? strerror(errno) : "no progress");
        p += w;
        n -= (size_t)w;
    }
    return EA_OK;
}

/* The directory part of path (in place; "." when there is none). */
static void sync_parent(char *path)
{
    char *slash = strrchr(path, '/');

    if (slash == NULL) {
        ea_sync_dir(".");
    } else if (slash == path) {
        ea_sync_dir("/");
    } else {
        *slash = '\0';
        ea_sync_dir(path);
        *slash = '/';
    }
}

static ea_status commit_atomic(ea_ofile *o, char *err, size_t errlen)
{
    struct stat st;

    if (fchmod(o->fd, file_mode()) != 0 || fsync(o->fd) != 0) {
        int e = errno;
        close(o->fd);
        o->fd = -1;
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot write '%s': %s", o->path, strerror(e));
    }
    if (close(o->fd) != 0) {
        o->fd = -1;
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot write '%s': %s", o->path, strerror(errno));
    }
    o->fd = -1;
    /* replaced by something else meanwhile (a FIFO, a directory): leave it alone */
    if (lstat(o->path, &st) == 0 && !S_ISREG(st.st_mode))
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot write '%s': it is no longer a regular file",
                    o->path);
    if (rename(o->tmp, o->path) != 0)
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot rename into '%s': %s", o->path,
                    strerror(errno));
    free(o->tmp);
    o->tmp = NULL;
    sync_parent(o->path);
    return EA_OK;
}

ea_status ea_ofile_commit(ea_ofile *o, char *err, size_t errlen)
{
    ea_status rc = EA_OK;

    if (o->fd < 0 && o->tmp == NULL && !o->direct)
        rc = ea_col_fail(EA_ERR_ARG, err, errlen, "no output file open");
    else if (o->direct) {
        if (close(o->fd) != 0)
            rc = ea_col_fail(EA_ERR_IO, err, errlen, "cannot write '%s': %s", o->path, strerror(errno));
        o->fd = -1;
    } else {
        rc = commit_atomic(o, err, errlen);
    }
    ea_ofile_abort(o);
    return rc;
}

void ea_ofile_abort(ea_ofile *o)
{
    if (o->fd >= 0)
        close(o->fd);
    if (o->tmp != NULL)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof(*o));
    o->fd = -1;
}
