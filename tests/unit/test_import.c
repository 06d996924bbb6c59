/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_import.c - reading raw deltas recorded by jitterentropy's recorder:
 * decimal text (one per line) and little-endian u64 (SP 800-90B §3.2.2).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

static char path[64];

static void write_file(const void *data, size_t len)
{
    int fd;
    FILE *f;

    strcpy(path, "/tmp/ea90b_import_XXXXXX");
    fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    f = fdopen(fd, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void cleanup(void)
{
    if (path[0])
        unlink(path);
}

TestSuite(import, .fini = cleanup);

static ea_status import_str(const char *text, ea_import_format fmt, uint64_t **d, size_t *n, char *err)
{
    write_file(text, strlen(text));
    return ea_import_read(path, fmt, d, n, err, 256);
}

Test(import, text_lines)
{
    uint64_t *d;
    size_t n;
    char err[256];

    cr_assert_eq(import_str("3510\n4810\n18446744073709551615\n0\n", EA_IMPORT_AUTO, &d, &n, err), EA_OK, "%s", err);
    cr_assert_eq(n, 4);
    cr_assert_eq(d[0], 3510);
    cr_assert_eq(d[1], 4810);
    cr_assert_eq(d[2], UINT64_MAX);
    cr_assert_eq(d[3], 0);
    free(d);
}

Test(import, text_crlf_blanks_no_final_newline)
{
    uint64_t *d;
    size_t n;
    char err[256];

    cr_assert_eq(import_str("12\r\n  7 \r\n99", EA_IMPORT_TEXT, &d, &n, err), EA_OK, "%s", err);
    cr_assert_eq(n, 3);
    cr_assert_eq(d[0], 12);
    cr_assert_eq(d[1], 7);
    cr_assert_eq(d[2], 99);
    free(d);
}

static void expect_line_error(const char *text, const char *frag)
{
    uint64_t *d = (uint64_t *)1;
    size_t n = 1;
    char err[256] = "";

    cr_assert_eq(import_str(text, EA_IMPORT_AUTO, &d, &n, err), EA_ERR_INPUT, "accepted %s", text);
    cr_assert_null(d);
    cr_assert_eq(n, 0);
    cr_assert_not_null(strstr(err, frag), "message '%s' lacks '%s'", err, frag);
    cleanup();
}

Test(import, malformed_lines_name_the_line)
{
    expect_line_error("1\n2\n12a\n4\n", "line 3:");
    expect_line_error("1\n\n3\n", "line 2:");
    expect_line_error("-5\n", "line 1:");
    expect_line_error("1\n2 3\n", "line 2:");
    expect_line_error("18446744073709551616\n", "line 1:");
    expect_line_error("1\n2\n\n", "line 3:");
    expect_line_error("0x10\n", "line 1:");
}

Test(import, binary_auto_and_explicit)
{
    const unsigned char b[16] = {0xb6, 0x0d, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 0x80};
    uint64_t *d;
    size_t n;
    char err[256];

    write_file(b, sizeof b);
    cr_assert_eq(ea_import_read(path, EA_IMPORT_AUTO, &d, &n, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(n, 2);
    cr_assert_eq(d[0], 3510);
    cr_assert_eq(d[1], 0x8007060504030201ull);
    free(d);
    cr_assert_eq(ea_import_read(path, EA_IMPORT_U64LE, &d, &n, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(n, 2);
    free(d);
    /* the same bytes read as text: malformed on line 1 */
    cr_assert_eq(ea_import_read(path, EA_IMPORT_TEXT, &d, &n, err, sizeof err), EA_ERR_INPUT);
    cr_assert_not_null(strstr(err, "line 1:"), "%s", err);
    cr_assert_null(d);
    cr_assert_eq(n, 0);
}

Test(import, binary_needs_whole_records)
{
    const unsigned char b[12] = {1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0};
    uint64_t *d;
    size_t n;
    char err[256];

    write_file(b, sizeof b);
    cr_assert_eq(ea_import_read(path, EA_IMPORT_AUTO, &d, &n, err, sizeof err), EA_ERR_INPUT);
    cr_assert_not_null(strstr(err, "12 bytes"), "%s", err);
    cr_assert_null(d);
    cr_assert_eq(ea_import_read(path, EA_IMPORT_U64LE, &d, &n, err, sizeof err), EA_ERR_INPUT);
}

Test(import, empty_and_missing)
{
    uint64_t *d;
    size_t n;
    char err[256];

    cr_assert_eq(import_str("", EA_IMPORT_AUTO, &d, &n, err), EA_ERR_INPUT);
    cr_assert_not_null(strstr(err, "empty"), "%s", err);
    cr_assert_eq(ea_import_read("/nonexistent/ea90b.txt", EA_IMPORT_AUTO, &d, &n, err, sizeof err),
                 EA_ERR_IO);
    cr_assert_not_null(strstr(err, "cannot open"), "%s", err);
    cr_assert_null(d);
    cr_assert_eq(n, 0);
    cr_assert_eq(ea_import_read("/tmp", EA_IMPORT_AUTO, &d, &n, err, sizeof err), EA_ERR_IO);
    cr_assert_not_null(strstr(err, "is a directory"), "%s", err);
    cr_assert_eq(ea_import_read("/dev/null", EA_IMPORT_AUTO, &d, &n, err, sizeof err), EA_ERR_IO);
    cr_assert_not_null(strstr(err, "not a regular file"), "%s", err);
}

/* A caller tells the failures apart by their status, not by the message. */
Test(import, failures_have_distinct_codes)
{
    uint64_t *d;
    size_t n;
    char err[256];
    ea_status missing, malformed, ok;

    missing = ea_import_read("/nonexistent/ea90b.txt", EA_IMPORT_TEXT, &d, &n, NULL, 0);
    malformed = import_str("1\nx\n", EA_IMPORT_TEXT, &d, &n, err);
    cr_assert_eq(missing, EA_ERR_IO);
    cr_assert_eq(malformed, EA_ERR_INPUT);
    cr_assert_neq(missing, malformed);
    cr_assert_str_neq(ea_strerror(missing), ea_strerror(malformed));
    ok = import_str("1\n", EA_IMPORT_TEXT, &d, &n, err);
    cr_assert_eq(ok, EA_OK, "%s", err);
    free(d);
}
