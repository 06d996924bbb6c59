/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_collection.c - libFuzzer target for the collection-directory check
 * behind `ea90b verify` and `ea90b assess` (ea_col_verify, ea_manifest_check;
 * collector/manifest.c). A scratch collection is made once per process
 * (mkdtemp under $TMPDIR) with small fixed files: samples.bin, raw.u64,
 * raw.txt (16 samples), restart.bin, restart.u64 (2 x 3).
 *
 * Input: byte 0 picks one change to the directory: its low 3 bits which
 * entry (none, samples.bin, raw.u64, restart.bin, restart.u64, raw.txt,
 * manifest.json, collect.state.json), the next 3 bits how (flip a byte,
 * drop the last, append one, remove, replace by a symbolic link to the
 * same content, by a directory, by a FIFO, empty it); the rest is
 * manifest.json. Each run undoes the previous change.
 *
 * Asserts: ea_col_verify never accepts a directory whose manifest.json or
 * a listed file is not a regular file, that holds collect.state.json, or
 * whose manifest is not a complete ea90b manifest listing samples.bin and
 * raw.u64 with each listed file's name, size, sample count and SHA-256 as
 * they are (an independent check here); on the parsed manifest,
 * ea_manifest_check agrees with it; a refusal has a reason; never a crash,
 * a hang (a FIFO is refused unread) or a leak.
 *
 *   make fuzz                                clang -fsanitize=fuzzer,address,undefined build
 *   build/.../tests/fuzz_collection_replay   generated edge cases (make check)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "ea90b_collect.h"
#include "fuzz_collection.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { F_MANIFEST = FUZZ_COL_FILES, F_STATE, NENTRY };
enum { H_FLIP, H_TRUNC, H_APPEND, H_REMOVE, H_SYMLINK, H_DIR, H_FIFO, H_EMPTY };
enum { K_REG, K_MISSING, K_OTHER };   /* what an entry is now */

#define FUZZ_COL_MAX_INPUT 65536
#define FILE_CAP 256

static const char *const names[NENTRY] = { "samples.bin", "raw.u64", "restart.bin", "restart.u64",
                                           "raw.txt", "manifest.json", "collect.state.json" };
static uint8_t orig[FUZZ_COL_FILES][FILE_CAP];
static size_t orig_len[FUZZ_COL_FILES];
static uint8_t cur[FUZZ_COL_FILES][FILE_CAP];    /* what the data files hold now */
static size_t cur_len[FUZZ_COL_FILES];
static int kind[NENTRY];
static char dir[4096];
static int last_which = -1;
static unsigned long accepted;

static void path_of(char *buf, size_t n, const char *name)
{
    if ((size_t)snprintf(buf, n, "%s/%s", dir, name) >= n)
        abort();
}

static void write_at(const char *name, const uint8_t *b, size_t n)
{
    char p[4200];
    FILE *f;

    path_of(p, sizeof p, name);
    if ((f = fopen(p, "wb")) == NULL || (n > 0 && fwrite(b, 1, n, f) != n) || fclose(f) != 0)
        abort();
}

/* Whatever is at dir/name (file, link, FIFO, empty directory) removed. */
static void clear(const char *name)
{
    char p[4200];

    path_of(p, sizeof p, name);
    if (unlink(p) != 0)
        rmdir(p);
}

static void cleanup(void)
{
    for (int k = 0; k < NENTRY; k++) {
        char other[64];
        clear(names[k]);
        snprintf(other, sizeof other, "%s.orig", names[k]);
        clear(other);
    }
    rmdir(dir);
}

/* The fixed contents: 16 samples (2 bits, deltas a multiple of 26), 2 x 3 restarts. */
static void contents(void)
{
    size_t t = 0;

    for (size_t i = 0; i < FUZZ_COL_SAMPLES; i++) {
        uint64_t v = 26u * (i * 7u + 3u);
        orig[0][i] = (uint8_t)((i * 7u + 3u) & 3u);
        for (int b = 0; b < 8; b++)
            orig[1][8 * i + (size_t)b] = (uint8_t)(v >> (8 * b));
        t += (size_t)snprintf((char *)orig[4] + t, FILE_CAP - t, "%llu\n", (unsigned long long)v);
    }
    for (size_t i = 0; i < FUZZ_COL_ROWS * FUZZ_COL_COLS; i++) {
        uint64_t v = 26u * (i * 5u + 1u);
        orig[2][i] = (uint8_t)((i * 5u + 1u) & 3u);
        for (int b = 0; b < 8; b++)
            orig[3][8 * i + (size_t)b] = (uint8_t)(v >> (8 * b));
    }
    orig_len[0] = FUZZ_COL_SAMPLES;
    orig_len[1] = 8 * FUZZ_COL_SAMPLES;
    orig_len[2] = FUZZ_COL_ROWS * FUZZ_COL_COLS;
    orig_len[3] = 8 * FUZZ_COL_ROWS * FUZZ_COL_COLS;
    orig_len[4] = t;
}

static void restore(int k)
{
    clear(names[k]);
    kind[k] = K_MISSING;
    if (k >= FUZZ_COL_FILES)
        return;
    memcpy(cur[k], orig[k], orig_len[k]);
    cur_len[k] = orig_len[k];
    write_at(names[k], cur[k], cur_len[k]);
    kind[k] = K_REG;
}

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");

    if (dir[0] != '\0')
        return;
    snprintf(dir, sizeof dir, "%s/ea90b-fuzz-col-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        abort();
    atexit(cleanup);
    contents();
    for (int k = 0; k < FUZZ_COL_FILES; k++) {
        char other[64];
        snprintf(other, sizeof other, "%s.orig", names[k]);
        write_at(other, orig[k], orig_len[k]);   /* symbolic links point here */
        restore(k);
    }
    kind[F_MANIFEST] = kind[F_STATE] = K_MISSING;
}

const char *fuzz_col_file(int k, const uint8_t **data, size_t *len)
{
    setup();
    *data = orig[k];
    *len = orig_len[k];
    return names[k];
}

unsigned long fuzz_col_accepted(void)
{
    return accepted;
}

/* A change of content: b (n bytes, room for one more) changed in place. */
static void edit(uint8_t *b, size_t *n, int how)
{
    if (how == H_FLIP && *n > 0)
        b[*n / 2] ^= 1;
    else if (how == H_TRUNC && *n > 0)
        (*n)--;
    else if (how == H_APPEND)
        b[(*n)++] = '\n';
    else if (how == H_EMPTY)
        *n = 0;
}

/* Entry k replaced by a link to identical content, a directory or a FIFO (or removed). */
static void replace(int k, int how, const uint8_t *b, size_t n)
{
    char p[4200], other[64], target[4200];

    clear(names[k]);
    path_of(p, sizeof p, names[k]);
    kind[k] = how == H_REMOVE ? K_MISSING : K_OTHER;
    snprintf(other, sizeof other, "%s.orig", names[k]);
    path_of(target, sizeof target, other);
    if (how == H_SYMLINK && k == F_MANIFEST)
        write_at(other, b, n);
    if ((how == H_SYMLINK && symlink(target, p) != 0) || (how == H_DIR && mkdir(p, 0700) != 0) ||
        (how == H_FIFO && mkfifo(p, 0600) != 0))
        abort();
}

/* The manifest (text, n bytes) and the change byte 0 asks for. */
static void prepare(uint8_t *text, size_t *n, int which, int how)
{
    if (last_which >= 0 && last_which != F_MANIFEST)
        restore(last_which);
    last_which = which < 0 ? -1 : which;
    if (which == F_MANIFEST && how != H_REMOVE && how != H_SYMLINK && how != H_DIR && how != H_FIFO)
        edit(text, n, how);
    clear(names[F_MANIFEST]);
    write_at(names[F_MANIFEST], text, *n);
    kind[F_MANIFEST] = K_REG;
    if (which == F_STATE) {
        write_at(names[F_STATE], (const uint8_t *)"{}", 2);
        kind[F_STATE] = K_REG;
    } else if (which == F_MANIFEST) {
        if (how == H_REMOVE || how == H_SYMLINK || how == H_DIR || how == H_FIFO)
            replace(F_MANIFEST, how, text, *n);
    } else if (which >= 0 && (how == H_REMOVE || how == H_SYMLINK || how == H_DIR || how == H_FIFO)) {
        replace(which, how, NULL, 0);
    } else if (which >= 0) {
        edit(cur[which], &cur_len[which], how);
        write_at(names[which], cur[which], cur_len[which]);
    }
}

static void sha256_hex(const uint8_t *b, size_t n, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;

    if (EVP_Digest(b, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
        abort();
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

static int file_index(const char *name)
{
    for (int k = 0; k < FUZZ_COL_FILES; k++)
        if (strcmp(name, names[k]) == 0)
            return k;
    return -1;
}

/* A listed file as it is: regular, with its size, sample count and SHA-256. */
static int entry_holds(const char *name, const json_t *e)
{
    int k = file_index(name);
    json_int_t bytes = json_integer_value(json_object_get(e, "bytes"));
    json_int_t samples = json_integer_value(json_object_get(e, "samples"));
    json_int_t w = k == 1 || k == 3 ? 8 : k == 4 ? 0 : 1;
    char hex[65];

    if (k < 0 || kind[k] != K_REG || !json_is_integer(json_object_get(e, "bytes")) ||
        !json_is_integer(json_object_get(e, "samples")) || bytes != (json_int_t)cur_len[k] ||
        (w != 0 && (samples < 0 || samples > bytes / w || samples * w != bytes)))
        return 0;
    sha256_hex(cur[k], cur_len[k], hex);
    return json_is_string(json_object_get(e, "sha256")) &&
           strcmp(json_string_value(json_object_get(e, "sha256")), hex) == 0;
}

/* What an accepted directory must be, checked here independently of manifest.c. */
static int acceptable(const json_t *m)
{
    const json_t *files = json_object_get(m, "files"), *e;
    const char *name;
    const char *format = json_string_value(json_object_get(m, "format"));

    if (kind[F_MANIFEST] != K_REG || kind[F_STATE] != K_MISSING || !json_is_object(m) ||
        format == NULL || strcmp(format, "ea90b-collection") != 0 ||
        !json_is_integer(json_object_get(m, "format_version")) ||
        json_integer_value(json_object_get(m, "format_version")) != 1 ||
        !json_is_true(json_object_get(m, "complete")) || !json_is_object(files) ||
        json_object_get(files, "samples.bin") == NULL || json_object_get(files, "raw.u64") == NULL)
        return 0;
    json_object_foreach((json_t *)files, name, e)
        if (!entry_holds(name, e))
            return 0;
    return 1;
}

static void verify(const uint8_t *text, size_t n)
{
    char err[1024] = "", err2[1024] = "";
    ea_status rc = ea_col_verify(dir, err, sizeof err), rc2;
    json_t *m = json_loadb((const char *)text, n, JSON_REJECT_DUPLICATES, NULL);
    int plain = kind[F_MANIFEST] == K_REG && kind[F_STATE] == K_MISSING;

    if (rc != EA_OK && err[0] == '\0')
        abort();
    if (rc == EA_OK) {
        if (m == NULL || !acceptable(m))
            abort();
        accepted++;
    }
    if (plain && m == NULL && rc != EA_ERR_MANIFEST)
        abort();
    if (m != NULL) {
        rc2 = ea_manifest_check(dir, m, err2, sizeof err2);
        if ((rc2 != EA_OK && err2[0] == '\0') || (plain && rc2 != rc))
            abort();
    }
    json_decref(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t text[FUZZ_COL_MAX_INPUT + 1];
    size_t n;
    int which, how;

    if (size < 1 || size > FUZZ_COL_MAX_INPUT)
        return 0;
    setup();
    which = (data[0] & 7) - 1;      /* -1: none; 0..4 data files; 5 manifest; 6 state */
    how = (data[0] >> 3) & 7;
    n = size - 1;
    memcpy(text, data + 1, n);
    prepare(text, &n, which, how);
    verify(text, n);
    return 0;
}
