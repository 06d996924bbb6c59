/* SPDX-License-Identifier: Apache-2.0 */
/*
 * manifest.c - a collection's manifest.json: the writer (the manifest
 * object and its file entries) and, beside it, the check of a directory
 * against it (`ea90b verify`, ea_col_verify).
 *
 * SP 800-90B §3.2.4 requires the submitted raw data to be exactly what the
 * noise source produced; the manifest binds every file of a collection to
 * its size, sample count and SHA-256 (FIPS 180-4, through OpenSSL EVP), so
 * a lab can tell a file was not changed or truncated on the way.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "collection.h"
#include "ea90b_collect.h"
#include "manifest.h"

static int hash_stream(FILE *f, EVP_MD_CTX *ctx, unsigned long long *bytes)
{
    enum { CHUNK = 1 << 16 };
    unsigned char *buf = malloc(CHUNK); /* not static: callers may hash from several threads */
    size_t got;
    int rc = 0;

    *bytes = 0;
    if (buf == NULL)
        return -1;
    while ((got = fread(buf, 1, CHUNK, f)) > 0) {
        if (EVP_DigestUpdate(ctx, buf, got) != 1) {
            rc = -1;
            break;
        }
        *bytes += got;
    }
    free(buf);
    return rc != 0 || ferror(f) ? -1 : 0;
}

ea_status ea_sha256_file(const char *path, char hex[65], unsigned long long *bytes, char *err,
                         size_t errlen)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_MD_CTX *ctx;
    FILE *f = NULL;
    int ok, fd;
    ea_status st = ea_open_regular(path, &fd, err, errlen);

    if (st != EA_OK)
        return st;
    if ((f = fdopen(fd, "rb")) == NULL) {
        close(fd);
        return ea_col_fail(EA_ERR_IO, err, errlen, "cannot open '%s': %s", path, strerror(errno));
    }
    ctx = EVP_MD_CTX_new();
    ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
         hash_stream(f, ctx, bytes) == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
    EVP_MD_CTX_free(ctx);
    fclose(f);
    if (!ok)
        return ea_col_fail(EA_ERR_IO, err, errlen,
                           "cannot hash '%s' (read error or OpenSSL SHA-256 failure)", path);
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
    return EA_OK;
}

json_t *ea_manifest_file_entry(const char *dir, const char *name, unsigned long long samples,
                               char *err, size_t errlen)
{
    char *path = ea_path_join_alloc(dir, name), hex[65];
    unsigned long long bytes;

    if (path == NULL) {
        ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
        return NULL;
    }
    if (ea_sha256_file(path, hex, &bytes, err, errlen) != 0) {
        free(path);
        return NULL;
    }
    free(path);
    return json_pack("{s:I,s:I,s:s}", "bytes", (json_int_t)bytes, "samples", (json_int_t)samples,
                     "sha256", hex);
}

/* ------------------------------------------------------------ verify */

/* Bytes per sample implied by the file name: 8 for *.u64, 1 for *.bin, 0 unknown. */
static unsigned long long sample_width(const char *name)
{
    size_t n = strlen(name);

    if (n > 4 && strcmp(name + n - 4, ".u64") == 0)
        return 8;
    if (n > 4 && strcmp(name + n - 4, ".bin") == 0)
        return 1;
    return 0;
}

static ea_status verify_entry(const char *dir, const char *name, const json_t *e, char *err,
                              size_t errlen)
{
    json_t *jb = json_object_get(e, "bytes"), *js = json_object_get(e, "samples");
    json_t *jh = json_object_get(e, "sha256");
    unsigned long long bytes, w = sample_width(name);
    char *path, hex[65];
    struct stat st;
    ea_status rc = EA_OK;

    if (strchr(name, '/') != NULL || strcmp(name, "..") == 0 || !json_is_integer(jb) ||
        !json_is_integer(js) || !json_is_string(jh))
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/%s: malformed entry in manifest.json",
                           dir, name);
    path = ea_path_join_alloc(dir, name);
    if (path == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    if (lstat(path, &st) != 0)
        rc = ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s: missing (%s)", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s: %s; a collection holds its own regular "
                         "files", path, S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
    else if ((json_int_t)st.st_size != json_integer_value(jb))
        rc = ea_col_fail(EA_ERR_MANIFEST, err, errlen,
                         "%s: %lld bytes, the manifest says %" JSON_INTEGER_FORMAT, path,
                         (long long)st.st_size, json_integer_value(jb));
    else if (w != 0 && (json_integer_value(js) < 0 ||
                        (unsigned long long)json_integer_value(js) > (unsigned long long)LLONG_MAX / w ||
                        (json_int_t)(w * (unsigned long long)json_integer_value(js)) !=
                            json_integer_value(jb)))
        rc = ea_col_fail(EA_ERR_MANIFEST, err, errlen,
                         "%s: sample count %" JSON_INTEGER_FORMAT " does not match its size", path,
                         json_integer_value(js));
    else if ((rc = ea_sha256_file(path, hex, &bytes, err, errlen)) != EA_OK)
        ;
    else if (strcmp(hex, json_string_value(jh)) != 0)
        rc = ea_col_fail(EA_ERR_MANIFEST, err, errlen,
                         "%s: SHA-256 %s differs from the manifest's %s (file modified)", path, hex,
                         json_string_value(jh));
    free(path);
    return rc;
}

static ea_status check_header(const char *dir, const json_t *m, char *err, size_t errlen)
{
    json_t *fmt = json_object_get(m, "format"), *files = json_object_get(m, "files");

    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "ea90b-collection") != 0)
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen,
                           "%s/manifest.json: not an ea90b collection manifest", dir);
    if (!json_is_integer(json_object_get(m, "format_version")) ||
        json_integer_value(json_object_get(m, "format_version")) != 1)
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen,
                           "%s/manifest.json: unsupported format_version", dir);
    if (!json_is_true(json_object_get(m, "complete")))
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen,
                           "%s/manifest.json: the collection is not marked complete", dir);
    if (!json_is_object(files) || json_object_size(files) == 0)
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: no files listed", dir);
    return EA_OK;
}

/* The only files a collection holds (collection.h). */
static const char *const col_files[] = {EA_COL_RAW, EA_COL_RAW_TXT, EA_COL_SAMPLES, EA_COL_RESTART,
                                        EA_COL_RESTART_BIN};

/* runs <= 1: the plain names; a series: the restart files and series names. */
static int known_file(const char *name, json_int_t runs)
{
    if (runs > 1 && ea_col_is_series_name(name))
        return 1;
    for (size_t i = runs > 1 ? 3 : 0; i < sizeof col_files / sizeof col_files[0]; i++)
        if (strcmp(name, col_files[i]) == 0)
            return 1;
    return 0;
}

/*
 * The entry for `name`: required (or optional) and, when want >= 0,
 * holding exactly `want` samples.
 */
static ea_status need(const char *dir, const json_t *files, const char *name, json_int_t want,
                      int required, const char *why, char *err, size_t errlen)
{
    json_t *e = json_object_get(files, name), *js = json_object_get(e, "samples");

    if (e == NULL)
        return required ? ea_col_fail(EA_ERR_MANIFEST, err, errlen,
                                      "%s/manifest.json: %s is not listed (%s)", dir, name, why)
                        : EA_OK;
    if (!json_is_integer(js))
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/%s: malformed entry in manifest.json",
                           dir, name);
    if (want >= 0 && json_integer_value(js) != want)
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen,
                           "%s/manifest.json: %s holds %" JSON_INTEGER_FORMAT " samples, but the "
                           "collection has %" JSON_INTEGER_FORMAT, dir, name,
                           json_integer_value(js), want);
    return EA_OK;
}

/* "restarts": null (cells = -1) or {"rows", "cols"} with positive counts. */
static ea_status restart_cells(const char *dir, const json_t *m, json_int_t *cells, char *err,
                               size_t errlen)
{
    json_t *rs = json_object_get(m, "restarts");
    json_int_t r = json_integer_value(json_object_get(rs, "rows"));
    json_int_t c = json_integer_value(json_object_get(rs, "cols"));

    *cells = -1;
    if (json_is_null(rs))
        return EA_OK;
    if (!json_is_object(rs) || r < 1 || c < 1 || r > LLONG_MAX / c)   /* non-integers read 0 */
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: \"restarts\" must be "
                           "null or hold positive \"rows\" and \"cols\"", dir);
    *cells = r * c;
    return EA_OK;
}

static ea_status check_restart_files(const char *dir, const json_t *files, json_int_t cells,
                                     int ours, char *err, size_t errlen)
{
    ea_status st;

    if (cells < 0) {
        if (json_object_get(files, EA_COL_RESTART) || json_object_get(files, EA_COL_RESTART_BIN))
            return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: restart files are "
                               "listed but \"restarts\" is null", dir);
        return EA_OK;
    }
    if ((st = need(dir, files, EA_COL_RESTART_BIN, cells, 1, "\"restarts\" is not null", err,
                   errlen)) != EA_OK)
        return st;
    return need(dir, files, EA_COL_RESTART, cells, ours, "\"restarts\" is not null", err, errlen);
}

static int mask_bits(uint64_t m);

/* "extraction" of a manifest ea90b wrote: the mask (1..8 bits), its bit count, a divisor. */
static ea_status check_extraction(const char *dir, const json_t *m, char *err, size_t errlen)
{
    const json_t *ex = json_object_get(m, "extraction");
    const char *mask = json_string_value(json_object_get(ex, "mask"));
    json_int_t bits = json_integer_value(json_object_get(ex, "bits"));
    json_int_t div = json_integer_value(json_object_get(ex, "divisor"));
    uint64_t v = 0;
    char *end = NULL;

    if (mask != NULL && strncmp(mask, "0x", 2) == 0 && mask[2] != '\0' && strlen(mask) <= 18)
        v = strtoull(mask + 2, &end, 16);
    if (end == NULL || *end != '\0' || mask_bits(v) < 1 || mask_bits(v) > 8 ||
        bits != mask_bits(v) || div < 1 || !json_is_boolean(json_object_get(ex, "divide_gcd")))
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: \"extraction\" is "
                           "malformed (a mask with 1 to 8 bits, its bit count, a divisor)", dir);
    if (!json_is_string(json_object_get(json_object_get(m, "source"), "name")))
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: \"source\" names no "
                           "source", dir);
    return EA_OK;
}

/* "runs" (absent: 1) and, for a series, "series" with one entry per run. */
static ea_status series_runs(const char *dir, const json_t *m, json_int_t *runs, char *err,
                             size_t errlen)
{
    const json_t *jr = json_object_get(m, "runs"), *ser = json_object_get(m, "series");

    *runs = jr == NULL ? 1 : json_integer_value(jr);
    if (jr != NULL && (!json_is_integer(jr) || *runs < 2 || *runs > EA_COL_RUNS_MAX))
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: \"runs\" must be "
                           "a count from 2 to %u", dir, EA_COL_RUNS_MAX);
    if (*runs > 1 && (!json_is_array(ser) || json_array_size(ser) != (size_t)*runs))
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: \"series\" must "
                           "list each of the %" JSON_INTEGER_FORMAT " runs", dir, *runs);
    return EA_OK;
}

/* Each run's samples, raw deltas and text (plain names for a single collection). */
static ea_status check_runs(const char *dir, const json_t *files, json_int_t runs, json_int_t n,
                            int ours, char *err, size_t errlen)
{
    size_t count = 0;
    ea_status st = EA_OK;
    char nm[3][48];

    for (json_int_t r = 1; st == EA_OK && r <= runs; r++) {
        ea_col_run_name(nm[0], sizeof nm[0], EA_COL_SAMPLES, (unsigned)r, (unsigned)runs);
        ea_col_run_name(nm[1], sizeof nm[1], EA_COL_RAW, (unsigned)r, (unsigned)runs);
        ea_col_run_name(nm[2], sizeof nm[2], EA_COL_RAW_TXT, (unsigned)r, (unsigned)runs);
        if ((st = need(dir, files, nm[0], n, 1, "every run has it", err, errlen)) ||
            (st = need(dir, files, nm[1], ours ? n : -1, 1, "every run has it", err, errlen)) ||
            (st = need(dir, files, nm[2], n, 0, "", err, errlen)))
            break;
        count += json_object_get(files, nm[2]) != NULL ? 3u : 2u;
    }
    if (st == EA_OK && runs > 1) {   /* nothing of a run beyond "runs" */
        size_t all = 0;
        const char *name;
        const json_t *e;
        json_object_foreach((json_t *)files, name, e)
            all += ea_col_is_series_name(name) ? 1u : 0u;
        if (all != count)
            st = ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: lists files of "
                             "runs beyond its %" JSON_INTEGER_FORMAT " runs", dir, runs);
    }
    return st;
}

/* The entries a collection must have, and their sample counts. */
static ea_status check_contents(const char *dir, const json_t *m, char *err, size_t errlen)
{
    json_t *files = json_object_get(m, "files"), *js = json_object_get(m, "samples"), *e;
    const char *tool = json_string_value(json_object_get(json_object_get(m, "tool"), "name"));
    int ours = tool != NULL && strcmp(tool, "ea90b") == 0;
    json_int_t n = json_integer_value(js), cells, runs;
    const char *name;
    ea_status st;

    if ((st = series_runs(dir, m, &runs, err, errlen)) != EA_OK)
        return st;
    json_object_foreach(files, name, e)
        if (!known_file(name, runs) || !json_is_object(e))
            return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: '%s' is not a file "
                               "of an ea90b collection%s", dir, name,
                               runs > 1 ? " series" : "");
    if (!json_is_integer(js) || n < 0)
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen,
                           "%s/manifest.json: \"samples\" is missing or not a count", dir);
    if ((ours && (st = check_extraction(dir, m, err, errlen)) != EA_OK) ||
        (st = restart_cells(dir, m, &cells, err, errlen)) != EA_OK ||
        (st = check_runs(dir, files, runs, n, ours, err, errlen)) != EA_OK)
        return st;
    return check_restart_files(dir, files, cells, ours, err, errlen);
}

ea_status ea_manifest_check(const char *dir, const json_t *m, char *err, size_t errlen)
{
    json_t *e;
    const char *name;
    ea_status st;

    if (!json_is_object(m))
        return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: not a JSON object", dir);
    if ((st = check_header(dir, m, err, errlen)) != EA_OK ||
        (st = check_contents(dir, m, err, errlen)) != EA_OK)
        return st;
    json_object_foreach(json_object_get(m, "files"), name, e)
        if ((st = verify_entry(dir, name, e, err, errlen)) != EA_OK)
            return st;
    return EA_OK;
}

ea_status ea_col_verify(const char *dir, char *err, size_t errlen)
{
    char *path = ea_path_join_alloc(dir, EA_COL_MANIFEST);
    char *state = ea_path_join_alloc(dir, EA_COL_STATE);
    char why[600];
    json_t *m = NULL;
    struct stat st;
    ea_status rc = EA_OK;

    if (path == NULL || state == NULL)
        rc = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    else if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        rc = ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s: a symbolic link; a collection holds "
                         "its own manifest.json", path);
    else if (stat(path, &st) != 0)
        rc = stat(state, &st) == 0
                 ? ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s: interrupted collection, no "
                               "manifest.json (finish it with 'ea90b collect --resume -o %s')",
                               dir, dir)
                 : ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s: no manifest.json (%s)", dir,
                               strerror(errno));
    else if ((m = ea_json_load(path, why, sizeof why, NULL)) == NULL)
        rc = ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s", why);
    else if (!json_is_object(m))
        rc = ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s: not a JSON object", path);
    else if (stat(state, &st) == 0)
        rc = ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s: %s is still present: the collection "
                         "was not finished (finish it with 'ea90b collect --resume -o %s')", dir,
                         EA_COL_STATE, dir);
    else
        rc = ea_manifest_check(dir, m, err, errlen);
    json_decref(m);
    free(path);
    free(state);
    return rc;
}

/* ------------------------------------------------------------ write */

static int mask_bits(uint64_t m)
{
    int n = 0;

    for (; m != 0; m &= m - 1)
        n++;
    return n;
}

static json_t *restarts_object(const ea_manifest_desc *d)
{
    if (d->rows == 0)
        return json_null();
    return json_pack("{s:I,s:I,s:s,s:f,s:O}", "rows", (json_int_t)d->rows, "cols",
                     (json_int_t)d->cols, "mode", d->restart_mode, "seconds", d->restart_seconds,
                     "resumes", d->resumes ? (json_t *)d->resumes : json_array());
}

/* "host_source" and "imported_on" after "host", for data recorded elsewhere. */
static json_t *with_provenance(json_t *m, const ea_manifest_desc *d)
{
    json_t *out;
    const char *k;
    json_t *v;

    if (m == NULL || (d->host_source == NULL && d->imported_on == NULL))
        return m;
    out = json_object();
    json_object_foreach(m, k, v) {
        json_object_set(out, k, v);
        if (strcmp(k, "host") == 0) {
            json_object_set(out, "host_source",
                            d->host_source ? (json_t *)d->host_source : json_null());
            json_object_set(out, "imported_on",
                            d->imported_on ? (json_t *)d->imported_on : json_null());
        }
    }
    json_decref(m);
    return out;
}

/* "runs" and "series" after "samples", for a series. */
static json_t *with_series(json_t *m, const ea_manifest_desc *d)
{
    json_t *out;
    const char *k;
    json_t *v;

    if (m == NULL || d->runs <= 1)
        return m;
    out = json_object();
    json_object_foreach(m, k, v) {
        json_object_set(out, k, v);
        if (strcmp(k, "samples") == 0) {
            json_object_set_new(out, "runs", json_integer((json_int_t)d->runs));
            json_object_set(out, "series", d->series ? (json_t *)d->series : json_null());
        }
    }
    json_decref(m);
    return out;
}

json_t *ea_manifest_build(const ea_manifest_desc *d)
{
    char mask[24];

    snprintf(mask, sizeof mask, "0x%" PRIx64, d->mask);
    return with_series(with_provenance(json_pack("{s:s,s:i,s:b,s:{s:s,s:s},s:s,s:s,s:s,s:O,s:O,s:{s:s,s:i,s:b,s:I},s:I,s:o,"
                     "s:O}",
                     "format", "ea90b-collection", "format_version", 1, "complete", 1, "tool",
                     "name", "ea90b", "version", EA90B_VERSION, "command_line", d->command_line,
                     "start_time", d->start_time, "end_time", d->end_time, "host",
                     d->host ? (json_t *)d->host : json_null(), "source", (json_t *)d->source,
                     "extraction", "mask", mask, "bits", mask_bits(d->mask), "divide_gcd",
                     d->divide_gcd != 0, "divisor", (json_int_t)d->divisor, "samples",
                     (json_int_t)d->samples, "restarts", restarts_object(d), "files",
                     (json_t *)d->files), d), d);
}

/* The entry of `name`, hashed from its partial file NAME.part. */
static ea_status add_file(json_t *files, const char *dir, const char *name, uint64_t samples,
                          char *err, size_t errlen)
{
    char part[64];
    json_t *e;

    snprintf(part, sizeof part, "%s.part", name);
    e = ea_manifest_file_entry(dir, part, samples, err, errlen);
    if (e == NULL)
        return EA_ERR_IO;
    json_object_set_new(files, name, e);
    return EA_OK;
}

json_t *ea_manifest_files(const char *dir, uint64_t samples, unsigned runs,
                          uint64_t restart_cells, int text, char *err, size_t errlen)
{
    json_t *files = json_object();
    int bad = files == NULL;
    char nm[48];

    if (files == NULL)
        ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    for (unsigned r = 1; !bad && r <= (runs > 1 ? runs : 1); r++) {
        ea_col_run_name(nm, sizeof nm, EA_COL_RAW, r, runs);
        bad = add_file(files, dir, nm, samples, err, errlen);
        ea_col_run_name(nm, sizeof nm, EA_COL_SAMPLES, r, runs);
        bad = bad || add_file(files, dir, nm, samples, err, errlen);
        ea_col_run_name(nm, sizeof nm, EA_COL_RAW_TXT, r, runs);
        bad = bad || (text && add_file(files, dir, nm, samples, err, errlen));
    }
    if (!bad && restart_cells > 0)
        bad = add_file(files, dir, EA_COL_RESTART, restart_cells, err, errlen) ||
              add_file(files, dir, EA_COL_RESTART_BIN, restart_cells, err, errlen);
    if (bad) {
        json_decref(files);
        return NULL;
    }
    return files;
}

ea_status ea_col_publish(const char *dir, const json_t *m, char *err, size_t errlen)
{
    const char *name;
    json_t *e;
    ea_status st;

    json_int_t runs;

    if ((st = series_runs(dir, m, &runs, err, errlen)) != EA_OK)
        return st;
    json_object_foreach(json_object_get(m, "files"), name, e) {
        char part[64];
        char *p;
        int there;

        if (!known_file(name, runs))
            return ea_col_fail(EA_ERR_MANIFEST, err, errlen, "%s/manifest.json: '%s' is not a file "
                               "of an ea90b collection", dir, name);
        snprintf(part, sizeof part, "%s.part", name);
        p = ea_path_join_alloc(dir, part);
        if (p == NULL)
            return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
        there = access(p, F_OK) == 0;
        free(p);
        if (there && (st = ea_col_rename(dir, part, name, err, errlen)) != EA_OK)
            return st;
    }
    if ((st = ea_manifest_check(dir, m, err, errlen)) != EA_OK)
        return st;
    return ea_col_remove(dir, EA_COL_STATE, err, errlen);
}
