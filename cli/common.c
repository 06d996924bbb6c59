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
    v = strtoul(s, &end, 0);
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
    int fd = open(path, O_RDONLY);

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
    int fd;

    memset(o, 0, sizeof(*o));
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    o->path = strdup(path);
    o->tmp = malloc(strlen(path) + 16);
    if (o->path == NULL || o->tmp == NULL) {
        ea_err(prog, "out of memory");
        ea_out_abort(o);
        return 1;
    }
    sprintf(o->tmp, "%s.tmp.XXXXXX", path);
    fd = mkstemp(o->tmp);
    if (fd < 0 || (o->f = fdopen(fd, "w")) == NULL) {
        ea_err(prog, "cannot create '%s': %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        ea_out_abort(o);
        return 1;
    }
    return 0;
}

/* mkstemp() creates 0600; give the finished file the usual 0666 & ~umask. */
static int fchmod_like(const char *path)
{
    mode_t um = umask(0);

    umask(um);
    return chmod(path, 0666 & ~um);
}

int ea_out_commit(const char *prog, ea_outfile *o)
{
    int bad;

    if (o->tmp == NULL) {   /* stdout */
        bad = fflush(o->f) != 0 || ferror(o->f);
        if (bad)
            ea_err(prog, "write error on standard output");
        return bad;
    }
    bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
    bad |= fclose(o->f) != 0;
    o->f = NULL;
    if (!bad && fchmod_like(o->tmp) == 0 && rename(o->tmp, o->path) == 0) {
        free(o->tmp);
        o->tmp = NULL;
        ea_out_abort(o);
        return 0;
    }
    ea_err(prog, "cannot write '%s': %s", o->path, strerror(errno));
    ea_out_abort(o);
    return 1;
}

void ea_out_abort(ea_outfile *o)
{
    if (o->tmp != NULL) {
        if (o->f != NULL)
            fclose(o->f);
        unlink(o->tmp);
    }
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof(*o));
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
