/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collection.c - collection directories: their lock, whole files written
 * atomically (through outfile.c) and the partial restart data.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collection.h"

/* ------------------------------------------------------------ directory */

static const char *const own_names[] = {
    EA_COL_MANIFEST,     EA_COL_STATE,        EA_COL_RAW,          EA_COL_RAW_TXT,
    EA_COL_SAMPLES,      EA_COL_RESTART,      EA_COL_RESTART_BIN,  EA_COL_RAW_PART,
    EA_COL_RESTART_PART, EA_COL_RAW_TXT_PART, EA_COL_SAMPLES_PART, EA_COL_RESTART_BIN_PART,
    EA_COL_EXEC_RUNS,
};

void ea_col_run_name(char *buf, size_t n, const char *base, unsigned run, unsigned runs)
{
    const char *dot = strchr(base, '.');
    int stem = dot ? (int)(dot - base) : (int)strlen(base);

    if (runs <= 1)
        snprintf(buf, n, "%s", base);
    else
        snprintf(buf, n, "%.*s-%0*u%s", stem, base, runs > 99 ? 3 : 2, run, dot ? dot : "");
}

int ea_col_is_series_name(const char *name)
{
    static const char *const stems[] = {"raw-", "samples-"};
    static const char *const ends[] = {".u64", ".bin", ".txt", ".u64.part", ".bin.part", ".txt.part"};

    for (size_t s = 0; s < 2; s++) {
        size_t l = strlen(stems[s]), d;
        if (strncmp(name, stems[s], l) != 0)
            continue;
        d = strspn(name + l, "0123456789");
        if (d < 2 || d > 3)
            return 0;
        for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++)
            if (strcmp(name + l + d, ends[e]) == 0)
                return 1;
    }
    return 0;
}

/* NAME.tmp.XXXXXX for one of our names. */
static int is_own_tmp(const char *entry)
{
    const char *t = strstr(entry, ".tmp.");

    if (t != NULL) {   /* a series file's temporary */
        char base[64];
        snprintf(base, sizeof base, "%.*s", (int)(t - entry), entry);
        if (ea_col_is_series_name(base))
            return 1;
    }
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
            char *p = ea_path_join_alloc(dir, e->d_name);
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

/* A series' own files (raw-NN.u64, samples-NN.bin ... and their .part). */
static void remove_series_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL)
        if (ea_col_is_series_name(e->d_name)) {
            char *p = ea_path_join_alloc(dir, e->d_name);
            if (p != NULL)
                unlink(p);
            free(p);
        }
    closedir(d);
}

static ea_status remove_own_files(const char *dir, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof own_names / sizeof own_names[0]; i++) {
        char *p = ea_path_join_alloc(dir, own_names[i]);
        int bad = p == NULL || (unlink(p) != 0 && errno != ENOENT);

        free(p);
        if (bad)
            return ea_col_fail(EA_ERR_IO, err, errlen, "cannot remove '%s/%s' (--force): %s", dir,
                               own_names[i], strerror(errno));
    }
    remove_series_files(dir);
    ea_coldir_sweep_tmp(dir);
    return EA_OK;
}

ea_status ea_coldir_prepare(const char *dir, int force, char *err, size_t errlen)
{
    struct stat st;
    int empty;

    if (stat(dir, &st) != 0) {
        if (errno != ENOENT || mkdir(dir, 0777) != 0)
            return ea_col_fail(EA_ERR_IO, err, errlen, "cannot create output directory '%s': %s",
                               dir, strerror(errno));
        return EA_OK;
    }
    if (!S_ISDIR(st.st_mode))
        return ea_col_fail(EA_ERR_IO, err, errlen, "output '%s' exists and is not a directory", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return ea_col_fail(EA_ERR_IO, err, errlen, "output directory '%s' is not writable: %s", dir,
                           strerror(errno));
    if (dir_is_empty(dir, &empty) != 0)
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot read output directory '%s': %s", dir,
                           strerror(errno));
    if (!empty && !force)
        return ea_col_fail(EA_ERR_NOT_EMPTY, err, errlen,
                           "output directory '%s' is not empty (use --force to overwrite a "
                           "collection, --resume to continue one)", dir);
    return empty ? EA_OK : remove_own_files(dir, err, errlen);
}

/* One attempt: open (creating) the lock file, lock it, and make sure the
 * name still refers to the locked file (another run may have removed it
 * between our open and our flock). 1: retry. */
static int lock_once(const char *path, int *fd, ea_status *st, char *err, size_t errlen)
{
    struct stat a, b;

    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (*fd < 0) {
        *st = ea_col_fail(EA_ERR_IO, err, errlen, "cannot create '%s': %s", path, strerror(errno));
        return -1;
    }
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(*fd);
        *fd = -1;
        *st = e == EWOULDBLOCK
                  ? ea_col_fail(EA_ERR_LOCKED, err, errlen, "'%s' is locked: the directory is in "
                                "use by another 'ea90b collect'", path)
                  : ea_col_fail(EA_ERR_IO, err, errlen, "cannot lock '%s': %s", path, strerror(e));
        return -1;
    }
    if (fstat(*fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return 0;
    close(*fd);
    *fd = -1;
    return 1;
}

ea_status ea_coldir_lock(const char *dir, int *fd, char *err, size_t errlen)
{
    char *path = ea_path_join_alloc(dir, EA_COL_LOCK);
    ea_status st = EA_OK;
    int rc = 1;

    *fd = -1;
    if (path == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    for (int i = 0; i < 10 && rc == 1; i++)
        rc = lock_once(path, fd, &st, err, errlen);
    if (rc == 1)
        st = ea_col_fail(EA_ERR_LOCKED, err, errlen, "cannot lock '%s': it keeps being replaced",
                         path);
    free(path);
    return st;
}

void ea_coldir_unlock(const char *dir, int fd)
{
    char *path;

    if (fd < 0)
        return;
    path = ea_path_join_alloc(dir, EA_COL_LOCK);
    if (path != NULL)
        unlink(path);   /* still holding the lock: see lock_once */
    free(path);
    close(fd);
}

/* ------------------------------------------------------------ whole files */

typedef ea_status (*fill_fn)(ea_ofile *o, const void *data, size_t n, char *err, size_t errlen);

static ea_status write_file(const char *dir, const char *name, fill_fn fill, const void *data,
                            size_t n, char *err, size_t errlen)
{
    char *path = ea_path_join_alloc(dir, name);
    ea_ofile o;
    ea_status st;

    if (path == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    st = ea_ofile_begin(&o, path, EA_OFILE_REGULAR, err, errlen);
    free(path);
    if (st != EA_OK)
        return st;
    if ((st = fill(&o, data, n, err, errlen)) != EA_OK) {
        ea_ofile_abort(&o);
        return st;
    }
    return ea_ofile_commit(&o, err, errlen);
}

static void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static ea_status fill_u64(ea_ofile *o, const void *data, size_t n, char *err, size_t errlen)
{
    const uint64_t *d = data;
    uint8_t buf[8 * 4096];
    ea_status st;

    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < 4096 && i < n; k++, i++)
            put_le64(buf + 8 * k, d[i]);
        if ((st = ea_ofile_write(o, buf, 8 * k, err, errlen)) != EA_OK)
            return st;
    }
    return EA_OK;
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

static ea_status fill_text(ea_ofile *o, const void *data, size_t n, char *err, size_t errlen)
{
    const uint64_t *d = data;
    char buf[65536];
    size_t used = 0;
    ea_status st;

    for (size_t i = 0; i < n; i++) {
        if (used + 24 > sizeof buf) {
            if ((st = ea_ofile_write(o, buf, used, err, errlen)) != EA_OK)
                return st;
            used = 0;
        }
        used += put_dec(buf + used, d[i]);
    }
    return ea_ofile_write(o, buf, used, err, errlen);
}

static ea_status fill_bytes(ea_ofile *o, const void *data, size_t n, char *err, size_t errlen)
{
    return ea_ofile_write(o, data, n, err, errlen);
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

ea_status ea_write_u64_file(const char *dir, const char *name, const uint64_t *d, size_t n,
                            char *err, size_t errlen)
{
    return write_file(dir, name, fill_u64, d, n, err, errlen);
}

ea_status ea_write_text_file(const char *dir, const char *name, const uint64_t *d, size_t n,
                             char *err, size_t errlen)
{
    return write_file(dir, name, fill_text, d, n, err, errlen);
}

ea_status ea_write_bytes_file(const char *dir, const char *name, const uint8_t *b, size_t n,
                              char *err, size_t errlen)
{
    return write_file(dir, name, fill_bytes, b, n, err, errlen);
}

ea_status ea_write_json_file(const char *dir, const char *name, const json_t *j, char *err,
                             size_t errlen)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    size_t n;
    ea_status st;

    if (s == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "cannot render '%s' (out of memory)", name);
    n = strlen(s);
    s[n] = '\n';   /* replaces the terminator; length passed explicitly */
    st = write_file(dir, name, fill_bytes, s, n + 1, err, errlen);
    free(s);
    return st;
}

json_t *ea_json_load(const char *path, char *err, size_t errlen, ea_status *st)
{
    json_error_t je;
    json_t *j;
    int fd;
    ea_status s = ea_open_regular(path, &fd, err, errlen);

    if (s != EA_OK) {
        if (st != NULL)
            *st = s;
        return NULL;
    }
    j = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je);
    close(fd);
    if (st != NULL)
        *st = j != NULL ? EA_OK : EA_ERR_INPUT;
    if (j == NULL)
        ea_col_fail(EA_ERR_INPUT, err, errlen, "'%s' is not valid JSON (line %d: %s)", path,
                    je.line, je.text);
    return j;
}

static ea_status read_u64_stream(FILE *f, const char *path, uint64_t *d, size_t cap, char *err,
                                 size_t errlen)
{
    uint8_t buf[8 * 4096];
    size_t got, k = 0;

    while (k < cap && (got = fread(buf, 8, sizeof buf / 8, f)) > 0)
        for (size_t i = 0; i < got && k < cap; i++, k++) {
            uint64_t v = 0;
            for (int b = 7; b >= 0; b--)
                v = (v << 8) | buf[8 * i + (size_t)b];
            d[k] = v;
        }
    if (k != cap)
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot read '%s': short read", path);
    return EA_OK;
}

ea_status ea_read_u64_file(const char *path, uint64_t **d, size_t *n, char *err, size_t errlen)
{
    struct stat st;
    ea_status rc;
    size_t cap;
    FILE *f;
    int fd;

    *d = NULL;
    *n = 0;
    if ((rc = ea_open_regular(path, &fd, err, errlen)) != EA_OK)
        return rc;
    if ((f = fdopen(fd, "rb")) == NULL) {
        close(fd);
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot open '%s': %s", path, strerror(errno));
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size % 8 != 0) {
        fclose(f);
        return ea_col_fail(EA_ERR_INPUT, err, errlen, "'%s' is not a whole number of u64 values",
                           path);
    }
    cap = (size_t)st.st_size / 8;
    if ((*d = malloc((cap ? cap : 1) * sizeof(uint64_t))) == NULL) {
        fclose(f);
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory reading '%s'", path);
    }
    rc = read_u64_stream(f, path, *d, cap, err, errlen);
    fclose(f);
    if (rc != EA_OK) {
        free(*d);
        *d = NULL;
        return rc;
    }
    *n = cap;
    return EA_OK;
}

ea_status ea_col_rename(const char *dir, const char *from, const char *to, char *err,
                        size_t errlen)
{
    char *a = ea_path_join_alloc(dir, from), *b = ea_path_join_alloc(dir, to);
    ea_status rc = EA_OK;

    if (a == NULL || b == NULL)
        rc = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    else if (rename(a, b) != 0)
        rc = ea_col_fail(EA_ERR_IO, err, errlen, "cannot rename '%s' to '%s': %s", a, to,
                         strerror(errno));
    else
        ea_sync_dir(dir);
    free(a);
    free(b);
    return rc;
}

ea_status ea_col_remove(const char *dir, const char *name, char *err, size_t errlen)
{
    char *p = ea_path_join_alloc(dir, name);
    ea_status rc = EA_OK;

    if (p == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    if (unlink(p) != 0 && errno != ENOENT)
        rc = ea_col_fail(EA_ERR_IO, err, errlen, "cannot remove '%s': %s", p, strerror(errno));
    else
        ea_sync_dir(dir);
    free(p);
    return rc;
}

/* ------------------------------------------------------------ restart rows */

ea_status ea_restart_part_open(ea_restart_part *p, const char *dir, size_t cols, int resume,
                               char *err, size_t errlen)
{
    char *path = ea_path_join_alloc(dir, EA_COL_RESTART_PART);
    size_t row = cols * 8;
    struct stat st;
    ea_status rc = EA_OK;

    p->fd = -1;
    p->cols = cols;
    p->rows_done = 0;
    if (path == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    p->fd = open(path, O_WRONLY | O_CREAT | (resume ? 0 : O_TRUNC) | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (p->fd < 0 || fstat(p->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = ea_col_fail(EA_ERR_IO, err, errlen, "cannot open '%s': %s", path,
                         p->fd < 0 ? strerror(errno) : "not a regular file");
    } else {
        p->rows_done = (size_t)st.st_size / row;
        if ((off_t)(p->rows_done * row) != st.st_size &&
            ftruncate(p->fd, (off_t)(p->rows_done * row)) != 0)
            rc = ea_col_fail(EA_ERR_IO, err, errlen, "cannot cut the torn last row of '%s': %s",
                             path, strerror(errno));
        else if (lseek(p->fd, 0, SEEK_END) < 0)
            rc = ea_col_fail(EA_ERR_IO, err, errlen, "cannot seek in '%s'", path);
    }
    free(path);
    if (rc != EA_OK && p->fd >= 0) {
        close(p->fd);
        p->fd = -1;
    }
    return rc;
}

ea_status ea_restart_part_append(ea_restart_part *p, const uint64_t *row, char *err,
                                 size_t errlen)
{
    uint8_t buf[8 * 1024];

    for (size_t i = 0; i < p->cols;) {
        size_t k = 0;
        for (; k < 1024 && i < p->cols; k++, i++)
            put_le64(buf + 8 * k, row[i]);
        if (write_all(p->fd, buf, 8 * k) != 0)
            return ea_col_fail(EA_ERR_IO, err, errlen, "cannot write '%s': %s",
                               EA_COL_RESTART_PART, strerror(errno));
    }
    p->rows_done++;
    return EA_OK;
}

ea_status ea_restart_part_close(ea_restart_part *p, char *err, size_t errlen)
{
    ea_status rc = EA_OK;

    if (p->fd < 0)
        return EA_OK;
    if (fsync(p->fd) != 0)
        rc = ea_col_fail(EA_ERR_IO, err, errlen, "cannot sync '%s': %s", EA_COL_RESTART_PART,
                         strerror(errno));
    close(p->fd);
    p->fd = -1;
    return rc;
}

void ea_utc_now(char buf[32])
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
