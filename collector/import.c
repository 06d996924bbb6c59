/* SPDX-License-Identifier: Apache-2.0 */
/*
 * import.c - raw deltas recorded elsewhere (the jitterentropy library's
 * recorder, jitterentropy-hashtime), read for the same pipeline.
 *
 * SP 800-90B §3.2.2 (requirement 4: raw data from the noise source). Two
 * forms, as the recorder writes them:
 *   text    one unsigned decimal integer per line ("%llu\n"); a trailing
 *           '\r', blanks around the number and a missing final newline are
 *           accepted; anything else (an empty line, a sign, a second
 *           number, a value over 2^64-1) is reported with its line number.
 *   u64le   little-endian 64-bit integers, the size a multiple of 8.
 * Auto-detection: a recorder's binary file holds timer deltas far below
 * 2^56, so every 8-byte record has a zero byte; the file is binary when its
 * first 4096 bytes contain a NUL byte, text otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source_int.h"

#define SNIFF_BYTES 4096u

/* Whole file into memory (*len bytes, NUL-terminated). */
static ea_status slurp(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
    struct stat st;
    size_t got;
    FILE *f;
    int fd;
    ea_status rc = ea_open_regular(path, &fd, err, errlen);   /* a FIFO never blocks */

    if (rc != EA_OK)
        return rc;
    if ((f = fdopen(fd, "rb")) == NULL || fstat(fd, &st) != 0) {
        if (f != NULL)
            fclose(f);
        else
            close(fd);
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot open %s: %s", path, strerror(errno));
    }
    *buf = malloc((size_t)st.st_size + 1);
    if (*buf == NULL) {
        fclose(f);
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory reading %s", path);
    }
    got = fread(*buf, 1, (size_t)st.st_size, f);
    if (ferror(f) || got != (size_t)st.st_size) {
        fclose(f);
        free(*buf);
        *buf = NULL;
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot read %s", path);
    }
    fclose(f);
    (*buf)[got] = '\0';
    *len = got;
    return EA_OK;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Parse one line [p, end) into *v. Returns 0 or -1. */
static int parse_line(const char *p, const char *end, uint64_t *v)
{
    uint64_t x = 0;
    int digits = 0;

    while (p < end && is_blank(*p))
        p++;
    for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
        unsigned dg = (unsigned)(*p - '0');
        if (x > (UINT64_MAX - dg) / 10u)
            return -1;
        x = x * 10u + dg;
    }
    while (p < end && is_blank(*p))
        p++;
    if (digits == 0 || p != end)
        return -1;
    *v = x;
    return 0;
}

static size_t count_lines(const char *b, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        n += b[i] == '\n';
    return n + (len > 0 && b[len - 1] != '\n');
}

static ea_status parse_text(const char *path, const char *b, size_t len, uint64_t *d, size_t *n,
                            char *err, size_t errlen)
{
    const char *p = b, *end = b + len;
    size_t line = 0;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        line++;
        if (parse_line(p, eol, &d[line - 1]) != 0)
            return ea_col_fail(EA_ERR_INPUT, err, errlen,
                              "%s line %zu: expected one unsigned decimal integer (below 2^64)",
                              path, line);
        p = nl ? nl + 1 : end;
    }
    *n = line;
    return EA_OK;
}

static void parse_u64le(const unsigned char *b, size_t len, uint64_t *d)
{
    for (size_t i = 0; i < len / 8; i++) {
        uint64_t v = 0;
        for (unsigned k = 0; k < 8; k++)
            v |= (uint64_t)b[8 * i + k] << (8 * k);
        d[i] = v;
    }
}

static ea_import_format detect(const char *b, size_t len)
{
    size_t m = len < SNIFF_BYTES ? len : SNIFF_BYTES;

    return memchr(b, '\0', m) != NULL ? EA_IMPORT_U64LE : EA_IMPORT_TEXT;
}

static ea_status convert(const char *path, const char *buf, size_t len, ea_import_format fmt,
                         uint64_t **d, size_t *n, char *err, size_t errlen)
{
    size_t cap = fmt == EA_IMPORT_TEXT ? count_lines(buf, len) : len / 8;
    ea_status st;

    if (fmt == EA_IMPORT_U64LE && len % 8 != 0)
        return ea_col_fail(EA_ERR_INPUT, err, errlen,
                          "%s: %zu bytes is not a whole number of little-endian u64 samples",
                          path, len);
    *d = malloc((cap ? cap : 1) * sizeof **d);
    if (*d == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory reading %s", path);
    if (fmt == EA_IMPORT_U64LE) {
        parse_u64le((const unsigned char *)buf, len, *d);
        *n = cap;
        return EA_OK;
    }
    st = parse_text(path, buf, len, *d, n, err, errlen);
    if (st != EA_OK) {
        free(*d);
        *d = NULL;
        *n = 0;
    }
    return st;
}

ea_status ea_import_parse(const char *what, const char *buf, size_t len, ea_import_format *fmt,
                          uint64_t **d, size_t *n, char *err, size_t errlen)
{
    *d = NULL;
    *n = 0;
    if (len == 0)
        return ea_col_fail(EA_ERR_INPUT, err, errlen, "%s: no output, no samples", what);
    if (*fmt == EA_IMPORT_AUTO)
        *fmt = detect(buf, len);
    return convert(what, buf, len, *fmt, d, n, err, errlen);
}

ea_status ea_import_read(const char *path, ea_import_format fmt, uint64_t **d, size_t *n,
                         char *err, size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    ea_status st;

    *d = NULL;
    *n = 0;
    st = slurp(path, &buf, &len, err, errlen);
    if (st != EA_OK)
        return st;
    if (len == 0) {
        free(buf);
        return ea_col_fail(EA_ERR_INPUT, err, errlen, "%s is empty: no samples to import", path);
    }
    if (fmt == EA_IMPORT_AUTO)
        fmt = detect(buf, len);
    st = convert(path, buf, len, fmt, d, n, err, errlen);
    free(buf);
    return st;
}
