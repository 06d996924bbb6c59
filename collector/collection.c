/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collection.c - collection directories: atomic files, partial restart
 * data, resume state and one-process-per-restart collection.
 *
 * SP 800-90B §3.1.4 wants restart data: r = 1000 restarts of c = 1000
 * consecutive samples each, every restart from a fresh start of the noise
 * source (§3.1.4.1); §3.1.1 wants 1,000,000 consecutive samples. This file
 * makes sure what ends up in the directory is exactly that data: files are
 * complete or absent (temporary name, fsync, rename, directory fsync), and
 * restart rows are appended whole, so an interrupted collection can resume
 * at the first missing row. See collection.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collection.h"

extern char **environ;

int ea_col_fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

char *ea_colpath(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    int rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* ------------------------------------------------------------ directory */

static const char *const own_names[] = {
    EA_COL_MANIFEST,     EA_COL_STATE,        EA_COL_RAW,          EA_COL_RAW_TXT,
    EA_COL_SAMPLES,      EA_COL_RESTART,      EA_COL_RESTART_BIN,  EA_COL_RAW_PART,
    EA_COL_RESTART_PART, EA_COL_RAW_TXT_PART, EA_COL_SAMPLES_PART, EA_COL_RESTART_BIN_PART,
};

/* NAME.tmp.XXXXXX for one of our names. */
static int is_own_tmp(const char *entry)
{
    for (size_t i = 0; i < sizeof own_names / sizeof own_names[0]; i++) {
        size_t l = strlen(own_names[i]);
        if (strncmp(entry, own_names[i], l) == 0 && strncmp(entry + l, ".tmp.", 5) == 0)
            return 1;
    }
    return 0;
}

void ea_coldir_sweep_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL)
        if (is_own_tmp(e->d_name)) {
            char *p = ea_colpath(dir, e->d_name);
            if (p != NULL)
                unlink(p);
            free(p);
        }
    closedir(d);
}

static int dir_is_empty(const char *dir, int *empty)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (d == NULL)
        return -1;
    *empty = 1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            strcmp(e->d_name, EA_COL_LOCK) != 0) {
            *empty = 0;
            break;
        }
    closedir(d);
    return 0;
}

static int remove_own_files(const char *dir, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof own_names / sizeof own_names[0]; i++) {
        char *p = ea_colpath(dir, own_names[i]);
        int bad = p == NULL || (unlink(p) != 0 && errno != ENOENT);

        free(p);
        if (bad)
            return ea_col_fail(err, errlen, "cannot remove '%s/%s' (--force): %s", dir, own_names[i],
                        strerror(errno));
    }
    ea_coldir_sweep_tmp(dir);
    return 0;
}

int ea_coldir_prepare(const char *dir, int force, char *err, size_t errlen)
{
    struct stat st;
    int empty;

    if (stat(dir, &st) != 0) {
        if (errno != ENOENT || mkdir(dir, 0777) != 0)
            return ea_col_fail(err, errlen, "cannot create output directory '%s': %s", dir,
                        strerror(errno));
        return 0;
    }
    if (!S_ISDIR(st.st_mode))
        return ea_col_fail(err, errlen, "output '%s' exists and is not a directory", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return ea_col_fail(err, errlen, "output directory '%s' is not writable: %s", dir, strerror(errno));
    if (dir_is_empty(dir, &empty) != 0)
        return ea_col_fail(err, errlen, "cannot read output directory '%s': %s", dir, strerror(errno));
    if (!empty && !force)
        return ea_col_fail(err, errlen,
                    "output directory '%s' is not empty (use --force to overwrite a collection, "
                    "--resume to continue one)", dir);
    return empty ? 0 : remove_own_files(dir, err, errlen);
}

/* One attempt: open (creating) the lock file, lock it, and make sure the
 * name still refers to the locked file (another run may have removed it
 * between our open and our flock). 1: retry. */
static int lock_once(const char *path, int *fd, char *err, size_t errlen)
{
    struct stat a, b;

    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (*fd < 0)
        return ea_col_fail(err, errlen, "cannot create '%s': %s", path, strerror(errno));
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(*fd);
        *fd = -1;
        if (e == EWOULDBLOCK)
            return ea_col_fail(err, errlen, "'%s' is locked: the directory is in use by another "
                        "'ea90b collect'", path);
        return ea_col_fail(err, errlen, "cannot lock '%s': %s", path, strerror(e));
    }
    if (fstat(*fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return 0;
    close(*fd);
    *fd = -1;
    return 1;
}

int ea_coldir_lock(const char *dir, char *err, size_t errlen)
{
    char *path = ea_colpath(dir, EA_COL_LOCK);
    int fd = -1, rc = 1;

    if (path == NULL)
        return ea_col_fail(err, errlen, "out of memory");
    for (int i = 0; i < 10 && rc == 1; i++)
        rc = lock_once(path, &fd, err, errlen);
    if (rc == 1)
        ea_col_fail(err, errlen, "cannot lock '%s': it keeps being replaced", path);
    free(path);
    return rc == 0 ? fd : -1;
}

void ea_coldir_unlock(const char *dir, int fd)
{
    char *path;

    if (fd < 0)
        return;
    path = ea_colpath(dir, EA_COL_LOCK);
    if (path != NULL)
        unlink(path);   /* still holding the lock: see lock_once */
    free(path);
    close(fd);
}

/* ------------------------------------------------------------ atomic files */

int ea_afile_open(ea_afile *f, const char *dir, const char *name, char *err, size_t errlen)
{
    size_t n;

    memset(f, 0, sizeof(*f));
    f->fd = -1;
    f->path = ea_colpath(dir, name);
    n = f->path != NULL ? strlen(f->path) + 16 : 0;
    f->tmp = n ? malloc(n) : NULL;
    if (f->tmp == NULL) {
        ea_afile_abort(f);
        return ea_col_fail(err, errlen, "out of memory");
    }
    snprintf(f->tmp, n, "%s.tmp.XXXXXX", f->path);
    f->fd = mkstemp(f->tmp);
    if (f->fd < 0) {
        int e = errno;
        free(f->tmp);
        f->tmp = NULL;
        ea_col_fail(err, errlen, "cannot create '%s': %s", f->path, strerror(e));
        ea_afile_abort(f);
        return -1;
    }
    return 0;
}

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;

    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int ea_afile_write(ea_afile *f, const void *buf, size_t n, char *err, size_t errlen)
{
    if (write_all(f->fd, buf, n) != 0)
        return ea_col_fail(err, errlen, "cannot write '%s': %s", f->path, strerror(errno));
    return 0;
}

int ea_afile_commit(ea_afile *f, char *err, size_t errlen)
{
    mode_t um = umask(0);
    char *slash;
    int rc = 0;

    umask(um);
    if (fchmod(f->fd, 0666 & ~um) != 0 || fsync(f->fd) != 0 || close(f->fd) != 0) {
        rc = ea_col_fail(err, errlen, "cannot write '%s': %s", f->path, strerror(errno));
        f->fd = -1;
    }
    f->fd = -1;
    if (rc == 0 && rename(f->tmp, f->path) != 0)
        rc = ea_col_fail(err, errlen, "cannot rename into '%s': %s", f->path, strerror(errno));
    if (rc == 0) {
        free(f->tmp);
        f->tmp = NULL;
        slash = strrchr(f->path, '/');
        if (slash != NULL) {
            *slash = '\0';
            sync_dir(f->path);
        }
    }
    ea_afile_abort(f);
    return rc;
}

void ea_afile_abort(ea_afile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    if (f->tmp != NULL)
        unlink(f->tmp);
    free(f->tmp);
    free(f->path);
    f->fd = -1;
    f->tmp = NULL;
    f->path = NULL;
}

/* ------------------------------------------------------------ whole files */

typedef int (*fill_fn)(ea_afile *f, const void *data, size_t n, char *err, size_t errlen);

static int write_file(const char *dir, const char *name, fill_fn fill, const void *data, size_t n,
                      char *err, size_t errlen)
{
    ea_afile f;

    if (ea_afile_open(&f, dir, name, err, errlen) != 0)
        return -1;
    if (fill(&f, data, n, err, errlen) != 0) {
        ea_afile_abort(&f);
        return -1;
    }
    return ea_afile_commit(&f, err, errlen);
}

static void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int fill_u64(ea_afile *f, const void *data, size_t n, char *err, size_t errlen)
{
    const uint64_t *d = data;
    uint8_t buf[8 * 4096];

    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < 4096 && i < n; k++, i++)
            put_le64(buf + 8 * k, d[i]);
        if (ea_afile_write(f, buf, 8 * k, err, errlen) != 0)
            return -1;
    }
    return 0;
}

static size_t put_dec(char *p, uint64_t v)
{
    char tmp[24];
    size_t n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    p[n] = '\n';
    return n + 1;
}

static int fill_text(ea_afile *f, const void *data, size_t n, char *err, size_t errlen)
{
    const uint64_t *d = data;
    char buf[65536];
    size_t used = 0;

    for (size_t i = 0; i < n; i++) {
        if (used + 24 > sizeof buf) {
            if (ea_afile_write(f, buf, used, err, errlen) != 0)
                return -1;
            used = 0;
        }
        used += put_dec(buf + used, d[i]);
    }
    return ea_afile_write(f, buf, used, err, errlen);
}

static int fill_bytes(ea_afile *f, const void *data, size_t n, char *err, size_t errlen)
{
    return ea_afile_write(f, data, n, err, errlen);
}

int ea_write_u64_fd(int fd, const uint64_t *d, size_t n)
{
    uint8_t buf[8 * 4096];

    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < 4096 && i < n; k++, i++)
            put_le64(buf + 8 * k, d[i]);
        if (write_all(fd, buf, 8 * k) != 0)
            return -1;
    }
    return 0;
}

int ea_write_u64_file(const char *dir, const char *name, const uint64_t *d, size_t n, char *err,
                      size_t errlen)
{
    return write_file(dir, name, fill_u64, d, n, err, errlen);
}

int ea_write_text_file(const char *dir, const char *name, const uint64_t *d, size_t n, char *err,
                       size_t errlen)
{
    return write_file(dir, name, fill_text, d, n, err, errlen);
}

int ea_write_bytes_file(const char *dir, const char *name, const uint8_t *b, size_t n, char *err,
                        size_t errlen)
{
    return write_file(dir, name, fill_bytes, b, n, err, errlen);
}

int ea_write_json_file(const char *dir, const char *name, const json_t *j, char *err,
                       size_t errlen)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    size_t n;
    int rc;

    if (s == NULL)
        return ea_col_fail(err, errlen, "cannot render '%s' (out of memory)", name);
    n = strlen(s);
    s[n] = '\n';   /* replaces the terminator; length passed explicitly */
    rc = write_file(dir, name, fill_bytes, s, n + 1, err, errlen);
    free(s);
    return rc;
}

int ea_read_u64_file(const char *path, uint64_t **d, size_t *n, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    uint8_t buf[8 * 4096];
    size_t got, k = 0, cap;
    struct stat st;

    *d = NULL;
    *n = 0;
    if (f == NULL)
        return ea_col_fail(err, errlen, "cannot open '%s': %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || st.st_size % 8 != 0) {
        fclose(f);
        return ea_col_fail(err, errlen, "'%s' is not a whole number of u64 values", path);
    }
    cap = (size_t)st.st_size / 8;
    *d = malloc((cap ? cap : 1) * sizeof(uint64_t));
    if (*d == NULL) {
        fclose(f);
        return ea_col_fail(err, errlen, "out of memory reading '%s'", path);
    }
    while (k < cap && (got = fread(buf, 8, sizeof buf / 8, f)) > 0)
        for (size_t i = 0; i < got && k < cap; i++, k++) {
            uint64_t v = 0;
            for (int b = 7; b >= 0; b--)
                v = (v << 8) | buf[8 * i + (size_t)b];
            (*d)[k] = v;
        }
    fclose(f);
    if (k != cap) {
        free(*d);
        *d = NULL;
        return ea_col_fail(err, errlen, "cannot read '%s': short read", path);
    }
    *n = k;
    return 0;
}

int ea_col_rename(const char *dir, const char *from, const char *to, char *err, size_t errlen)
{
    char *a = ea_colpath(dir, from), *b = ea_colpath(dir, to);
    int rc = 0;

    if (a == NULL || b == NULL)
        rc = ea_col_fail(err, errlen, "out of memory");
    else if (rename(a, b) != 0)
        rc = ea_col_fail(err, errlen, "cannot rename '%s' to '%s': %s", a, to, strerror(errno));
    else
        sync_dir(dir);
    free(a);
    free(b);
    return rc;
}

int ea_col_remove(const char *dir, const char *name, char *err, size_t errlen)
{
    char *p = ea_colpath(dir, name);
    int rc = 0;

    if (p == NULL)
        return ea_col_fail(err, errlen, "out of memory");
    if (unlink(p) != 0 && errno != ENOENT)
        rc = ea_col_fail(err, errlen, "cannot remove '%s': %s", p, strerror(errno));
    else
        sync_dir(dir);
    free(p);
    return rc;
}

/* ------------------------------------------------------------ state */

json_t *ea_state_read(const char *dir, char *err, size_t errlen)
{
    char *p = ea_colpath(dir, EA_COL_STATE);
    json_error_t je;
    json_t *s;
    struct stat st;

    if (p == NULL) {
        ea_col_fail(err, errlen, "out of memory");
        return NULL;
    }
    if (stat(p, &st) != 0) {
        ea_col_fail(err, errlen, "no interrupted collection in '%s' (%s missing)", dir, EA_COL_STATE);
        free(p);
        return NULL;
    }
    s = json_load_file(p, 0, &je);
    if (s == NULL || !json_is_object(s) ||
        !json_is_string(json_object_get(s, "format")) ||
        strcmp(json_string_value(json_object_get(s, "format")), "ea90b-collect-state") != 0) {
        ea_col_fail(err, errlen, "'%s' is not an ea90b collection state file%s%s", p, s ? "" : ": ",
             s ? "" : je.text);
        json_decref(s);
        s = NULL;
    }
    free(p);
    return s;
}

/* ------------------------------------------------------------ restart rows */

int ea_restart_part_open(ea_restart_part *p, const char *dir, size_t cols, int resume, char *err,
                         size_t errlen)
{
    char *path = ea_colpath(dir, EA_COL_RESTART_PART);
    size_t row = cols * 8;
    struct stat st;

    p->fd = -1;
    p->cols = cols;
    p->rows_done = 0;
    if (path == NULL)
        return ea_col_fail(err, errlen, "out of memory");
    p->fd = open(path, O_WRONLY | O_CREAT | (resume ? 0 : O_TRUNC) | O_CLOEXEC, 0666);
    if (p->fd < 0 || fstat(p->fd, &st) != 0) {
        ea_col_fail(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        free(path);
        return -1;
    }
    p->rows_done = (size_t)st.st_size / row;
    if ((off_t)(p->rows_done * row) != st.st_size && ftruncate(p->fd, (off_t)(p->rows_done * row)) != 0) {
        ea_col_fail(err, errlen, "cannot cut the torn last row of '%s': %s", path, strerror(errno));
        free(path);
        return -1;
    }
    free(path);
    if (lseek(p->fd, 0, SEEK_END) < 0)
        return ea_col_fail(err, errlen, "cannot seek in '%s'", EA_COL_RESTART_PART);
    return 0;
}

int ea_restart_part_append(ea_restart_part *p, const uint64_t *row, char *err, size_t errlen)
{
    uint8_t buf[8 * 1024];

    for (size_t i = 0; i < p->cols;) {
        size_t k = 0;
        for (; k < 1024 && i < p->cols; k++, i++)
            put_le64(buf + 8 * k, row[i]);
        if (write_all(p->fd, buf, 8 * k) != 0)
            return ea_col_fail(err, errlen, "cannot write '%s': %s", EA_COL_RESTART_PART, strerror(errno));
    }
    p->rows_done++;
    return 0;
}

int ea_restart_part_close(ea_restart_part *p, char *err, size_t errlen)
{
    int rc = 0;

    if (p->fd < 0)
        return 0;
    if (fsync(p->fd) != 0)
        rc = ea_col_fail(err, errlen, "cannot sync '%s': %s", EA_COL_RESTART_PART, strerror(errno));
    close(p->fd);
    p->fd = -1;
    return rc;
}

/* ------------------------------------------------------------ exec restarts */

static int read_row(int fd, uint64_t *row, size_t cols, volatile sig_atomic_t *stop)
{
    uint8_t buf[8 * 1024];
    size_t have = 0, k = 0;

    while (k < cols) {
        size_t want = (cols - k) * 8 < sizeof buf ? (cols - k) * 8 : sizeof buf;
        ssize_t r = read(fd, buf + have, want - have);

        if (r < 0 && errno == EINTR) {
            if (*stop)
                return -2;
            continue;
        }
        if (r <= 0)
            return -1;
        have += (size_t)r;
        for (size_t i = 0; i + 8 <= have; i += 8, k++) {
            uint64_t v = 0;
            for (int b = 7; b >= 0; b--)
                v = (v << 8) | buf[i + (size_t)b];
            row[k] = v;
        }
        memmove(buf, buf + (have & ~(size_t)7), have & 7);
        have &= 7;
    }
    return 0;
}

static int reap(pid_t pid, int kill_it, int *status)
{
    if (kill_it)
        kill(pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static int spawn_child(char *const argv[], int pipefd[2], pid_t *pid, char *err, size_t errlen)
{
    posix_spawn_file_actions_t fa;
    int rc;

    if (pipe2(pipefd, O_CLOEXEC) != 0)
        return ea_col_fail(err, errlen, "cannot create a pipe: %s", strerror(errno));
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    rc = posix_spawn(pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        return ea_col_fail(err, errlen, "cannot start '%s': %s", argv[0], strerror(rc));
    }
    return 0;
}

int ea_restart_exec(char *const argv[], uint64_t *row, size_t cols, volatile sig_atomic_t *stop,
                    char *err, size_t errlen)
{
    int pipefd[2], status = 0, r;
    pid_t pid;

    if (spawn_child(argv, pipefd, &pid, err, errlen) != 0)
        return -1;
    r = read_row(pipefd[0], row, cols, stop);
    close(pipefd[0]);
    if (reap(pid, r != 0, &status) != 0)
        return ea_col_fail(err, errlen, "cannot wait for the restart process: %s", strerror(errno));
    if (r == -2 || *stop)
        return ea_col_fail(err, errlen, "interrupted");
    if (r != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            return ea_col_fail(err, errlen, "restart process killed by signal %d", WTERMSIG(status));
        return ea_col_fail(err, errlen, "restart process failed (exit %d) after delivering %s",
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                    r == 0 ? "all its samples" : "too few samples");
    }
    return 0;
}

void ea_utc_now(char buf[32])
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
