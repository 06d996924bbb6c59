/* SPDX-License-Identifier: Apache-2.0 */
/*
 * common.c - messages, parsing, input and atomic output for the front
 * ends. Everything that touches argv, files or stderr lives in cli/.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "common.h"

void ea_err(const char *prog, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int ea_parse_ulong(const char *s, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (s == NULL || !isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);   /* decimal only: a leading 0 is not octal, 0x is refused */
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int ea_parse_window(const char *s, unsigned long *index, unsigned long *samples)
{
    const char *comma = strchr(s, ',');
    char head[32];
    size_t n;

    if (comma == NULL)
        return -1;
    n = (size_t)(comma - s);
    if (n == 0 || n >= sizeof head)
        return -1;
    memcpy(head, s, n);
    head[n] = '\0';
    if (ea_parse_ulong(head, index) != 0 || ea_parse_ulong(comma + 1, samples) != 0)
        return -1;
    return *samples == 0 ? -1 : 0;
}

static void hex(const unsigned char *d, unsigned n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static int sha256_hex(const uint8_t *buf, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;

    if (EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
        return -1;
    hex(md, mdlen, out);
    return 0;
}

static int read_all(int fd, uint8_t *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

static int load_file(const char *prog, const char *path, ea_input *in)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);   /* a FIFO must not block: refused below */

    if (fd < 0) {
        ea_err(prog, "cannot open '%s': %s", path, strerror(errno));
        return 1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ea_err(prog, "'%s' is %s", path,
               S_ISDIR(st.st_mode) ? "a directory, not a sample file" : "not a regular file");
        close(fd);
        return 1;
    }
    in->file_bytes = (size_t)st.st_size;
    if (in->file_bytes == 0) {
        ea_err(prog, "'%s' is empty", path);
        close(fd);
        return 1;
    }
    in->data = malloc(in->file_bytes);
    if (in->data == NULL || read_all(fd, in->data, in->file_bytes) != 0) {
        ea_err(prog, "cannot read '%s': %s", path, in->data ? strerror(errno) : "out of memory");
        close(fd);
        return 1;
    }
    close(fd);
    in->len = in->file_bytes;
    return 0;
}

static int apply_window(const char *prog, ea_input *in, unsigned long index, unsigned long samples)
{
    unsigned long start;

    if (index > ULONG_MAX / samples || (start = index * samples) >= in->file_bytes) {
        ea_err(prog, "-l %lu,%lu starts past the end of the data (%zu samples)",
               index, samples, in->file_bytes);
        return 1;
    }
    in->len = in->file_bytes - start < samples ? in->file_bytes - start : samples;
    memmove(in->data, in->data + start, in->len);
    return 0;
}

int ea_read_input(const char *prog, const char *path, unsigned long window_index,
                  unsigned long window_samples, ea_input *in)
{
    memset(in, 0, sizeof(*in));
    if (load_file(prog, path, in) != 0) {
        ea_input_free(in);
        return 1;
    }
    if (sha256_hex(in->data, in->file_bytes, in->sha256) != 0) {
        ea_err(prog, "cannot hash '%s' (OpenSSL SHA-256 failed)", path);
        ea_input_free(in);
        return 1;
    }
    if (window_samples > 0 && apply_window(prog, in, window_index, window_samples) != 0) {
        ea_input_free(in);
        return 1;
    }
    return 0;
}

void ea_input_free(ea_input *in)
{
    free(in->data);
    in->data = NULL;
}

char *ea_join_args(int argc, char **argv)
{
    size_t n = 1;
    char *s, *p;

    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    s = malloc(n);
    if (s == NULL)
        return NULL;
    p = s;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]);
        memcpy(p, argv[i], l);
        p += l;
        if (i + 1 < argc)
            *p++ = ' ';
    }
    *p = '\0';
    return s;
}

void ea_timestamp(char buf[16])
{
    time_t t = time(NULL);
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(buf, 16, "%Y%m%d%H%M%S", &tm);
}

int ea_online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 64 ? 64 : (int)n);
}

int ea_out_open(const char *prog, const char *path, ea_outfile *o)
{
    char err[512];
    int fd;

    memset(o, 0, sizeof(*o));
    o->of.fd = -1;
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    if (ea_ofile_begin(&o->of, path, 0, err, sizeof err) != EA_OK) {
        ea_err(prog, "%s", err);
        return 1;
    }
    if ((fd = dup(o->of.fd)) < 0 || (o->f = fdopen(fd, "w")) == NULL) {
        ea_err(prog, "cannot create '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        ea_ofile_abort(&o->of);
        return 1;
    }
    return 0;
}

int ea_out_commit(const char *prog, ea_outfile *o)
{
    char err[512];
    int bad;

    if (o->f == stdout) {
        bad = fflush(o->f) != 0 || ferror(o->f);
        if (bad)
            ea_err(prog, "write error on standard output");
        o->f = NULL;
        return bad;
    }
    /* the stream writes through its own descriptor; the file is synced and placed below */
    bad = fflush(o->f) != 0 || ferror(o->f);
    if (bad)
        snprintf(err, sizeof err, "cannot write '%s': %s", o->of.path,
                 strerror(errno ? errno : EIO));
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        snprintf(err, sizeof err, "cannot write '%s': %s", o->of.path, strerror(errno));
    }
    o->f = NULL;
    if (bad) {
        ea_ofile_abort(&o->of);
    } else if (ea_ofile_commit(&o->of, err, sizeof err) != EA_OK) {
        bad = 1;
    }
    if (bad)
        ea_err(prog, "%s", err);
    return bad;
}

const char *ea_repeated_path(int n, char *const *paths)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) {
            struct stat a, b;

            if (strcmp(paths[i], paths[j]) == 0 || (stat(paths[i], &a) == 0 && stat(paths[j], &b) == 0 &&
                                                    a.st_dev == b.st_dev && a.st_ino == b.st_ino))
                return paths[i];
        }
    return NULL;
}

char *ea_read_small(const char *path, size_t max)
{
    struct stat st;
    char *buf = NULL;
    FILE *f;

    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size > max ||
        (f = fopen(path, "r")) == NULL)
        return NULL;
    if ((buf = calloc(1, (size_t)st.st_size + 1)) != NULL && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

const char *ea_sums_find(const char *sums, const char *name, char hex[65])
{
    size_t len = strlen(name);

    for (const char *l = sums; *l != '\0'; l += strcspn(l, "\n"), l += *l == '\n')
        if (strspn(l, "0123456789abcdef") == 64 && strncmp(l + 64, "  ", 2) == 0 && strncmp(l + 66, name, len) == 0 &&
            (l[66 + len] == '\n' || l[66 + len] == '\0')) {
            memcpy(hex, l, 64);
            hex[64] = '\0';
            return hex;
        }
    return NULL;
}

int ea_join(const char *prog, char *buf, size_t size, const char *dir, const char *name)
{
    char err[256];

    if (ea_path_join(buf, size, dir, name, err, sizeof err) == EA_OK)
        return 0;
    ea_err(prog, "%s", err);
    return EXIT_DATA;
}

int ea_write_file(const char *prog, const char *path, const void *data, size_t n)
{
    ea_outfile o;

    if (ea_out_open(prog, path, &o) != 0)
        return 1;
    if (fwrite(data, 1, n, o.f) != n) {
        ea_err(prog, "cannot write '%s': %s", path, strerror(errno ? errno : EIO));
        ea_out_abort(&o);
        return 1;
    }
    return ea_out_commit(prog, &o);
}

void ea_out_abort(ea_outfile *o)
{
    if (o->f != NULL && o->f != stdout)
        fclose(o->f);
    o->f = NULL;
    ea_ofile_abort(&o->of);
}

double ea_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int ea_draw_seed(const char *prog, uint64_t *seed)
{
    if (getrandom(seed, sizeof *seed, 0) != (ssize_t)sizeof *seed) {
        ea_err(prog, "cannot draw a seed from getrandom(2); give one with --seed");
        return EXIT_DATA;
    }
    return 0;
}

int ea_usage_err(const char *prog, const char *help, const char *what, const char *arg)
{
    if (arg != NULL)
        ea_err(prog, "%s: '%s'", what, arg);
    else
        ea_err(prog, "%s", what);
    fprintf(stderr, "Try '%s --help'.\n", help);
    return EXIT_USAGE;
}
