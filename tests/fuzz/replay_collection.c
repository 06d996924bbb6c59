/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay_collection.c - run fuzz_collection over files, or over generated
 * edge cases when given none: valid manifests of the scratch collection
 * (written by ea90b or not, with and without restarts and raw.txt: each
 * must be accepted) under every change byte 0 can make to the directory;
 * each member missing or of every wrong type; counts at 0, -1, 2^31,
 * 2^62, 2^63 - 1, -2^63 and as reals; file names with '/', '..', other
 * collections' names; bad SHA-256s and masks; truncations and single-byte
 * mutations of the valid text; empty input, deep nesting, duplicate keys.
 * With -o DIR the cases are also written to DIR (a libFuzzer seed corpus).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "fuzz_collection.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cases;
static const char *outdir;

static void run(uint8_t change, const char *text, size_t len)
{
    static uint8_t buf[65536];

    if (len + 1 > sizeof buf)
        abort();
    buf[0] = change;
    memcpy(buf + 1, text, len);
    if (outdir != NULL) {
        char path[4096];
        FILE *f;
        snprintf(path, sizeof path, "%s/collection-%04d.bin", outdir, cases);
        if ((f = fopen(path, "wb")) == NULL || fwrite(buf, 1, len + 1, f) != len + 1 || fclose(f) != 0) {
            fprintf(stderr, "replay: cannot write %s\n", path);
            exit(1);
        }
    }
    LLVMFuzzerTestOneInput(buf, len + 1);
    cases++;
}

static void run_doc(uint8_t change, const json_t *m)
{
    char *s = json_dumps(m, JSON_COMPACT | JSON_ENCODE_ANY);

    if (s == NULL)
        abort();
    run(change, s, strlen(s));
    free(s);
}

/* A valid case: fuzz_collection must have accepted it. */
static void run_valid(uint8_t change, const json_t *m)
{
    unsigned long before = fuzz_col_accepted();

    run_doc(change, m);
    if (fuzz_col_accepted() != before + 1) {
        fprintf(stderr, "replay: a valid manifest was refused (change 0x%02x)\n", change);
        exit(1);
    }
}

static json_t *entry(int k)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    const uint8_t *d;
    size_t len;
    char hex[65];
    json_int_t samples;

    fuzz_col_file(k, &d, &len);
    if (EVP_Digest(d, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
        abort();
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
    samples = k == 1 || k == 3 ? (json_int_t)len / 8 : k == 4 ? FUZZ_COL_SAMPLES : (json_int_t)len;
    return json_pack("{s:I,s:I,s:s}", "bytes", (json_int_t)len, "samples", samples, "sha256", hex);
}

/* A manifest the scratch collection satisfies. */
static json_t *valid(int ours, int restarts, int text)
{
    const uint8_t *d;
    size_t len;
    json_t *files = json_object();
    json_t *m = json_pack("{s:s,s:i,s:b,s:{s:s,s:s},s:{s:s},s:I}", "format", "ea90b-collection",
                          "format_version", 1, "complete", 1, "tool", "name", ours ? "ea90b" : "vendor-tool",
                          "version", "0.1.0", "source", "name", "memtouch", "samples",
                          (json_int_t)FUZZ_COL_SAMPLES);

    for (int k = 0; k < FUZZ_COL_FILES; k++)
        if ((k != 2 && k != 3 && k != 4) || (k == 2 && restarts) || (k == 3 && restarts && ours) ||
            (k == 4 && text))
            json_object_set_new(files, fuzz_col_file(k, &d, &len), entry(k));
    if (ours)
        json_object_set_new(m, "extraction", json_pack("{s:s,s:i,s:b,s:i}", "mask", "0x3", "bits", 2,
                                                       "divide_gcd", 1, "divisor", 26));
    json_object_set_new(m, "restarts", restarts ? json_pack("{s:i,s:i,s:s}", "rows", FUZZ_COL_ROWS, "cols",
                                                            FUZZ_COL_COLS, "mode", "inproc")
                                                : json_null());
    json_object_set_new(m, "files", files);
    return m;
}

/* The valid manifest with the value at a path ("files/raw.u64/bytes") replaced (NULL: removed). */
static void run_with(const char *path, json_t *value)
{
    json_t *m = valid(1, 1, 1), *cur = m;
    char key[128];

    for (;;) {
        size_t n = strcspn(path, "/");
        memcpy(key, path, n);
        key[n] = '\0';
        if (path[n] == '\0')
            break;
        path += n + 1;
        if (!json_is_object(json_object_get(cur, key)))
            json_object_set_new(cur, key, json_object());
        cur = json_object_get(cur, key);
    }
    if (value != NULL)
        json_object_set_new(cur, key, value);
    else
        json_object_del(cur, key);
    run_doc(0, m);
    json_decref(m);
}

static void valid_cases(void)
{
    for (int ours = 0; ours < 2; ours++)
        for (int restarts = 0; restarts < 2; restarts++)
            for (int text = 0; text < 2; text++) {
                json_t *m = valid(ours, restarts, text);
                run_valid(0, m);
                json_decref(m);
            }
}

/* Every change byte 0 can make, to the valid collection. */
static void changes(void)
{
    json_t *m = valid(1, 1, 1);

    for (int c = 0; c < 64; c++) {
        if ((c & 7) == 0)
            run_valid((uint8_t)c, m);
        else
            run_doc((uint8_t)c, m);
    }
    run_valid(0, m);     /* and back: every change undone */
    json_decref(m);
}

static const char *const members[] = {
    "format", "format_version", "complete", "tool", "extraction", "source", "samples", "restarts",
    "files", "tool/name", "extraction/mask", "extraction/bits", "extraction/divisor",
    "extraction/divide_gcd", "source/name", "restarts/rows", "restarts/cols",
    "files/samples.bin", "files/raw.u64", "files/samples.bin/sha256", "files/raw.u64/bytes",
};

static const char *const wrong[] = { "null", "\"s\"", "7", "0.5", "[]", "{}", "true", "-1" };

static void member_cases(void)
{
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        run_with(members[i], NULL);
        for (size_t k = 0; k < sizeof wrong / sizeof wrong[0]; k++)
            run_with(members[i], json_loads(wrong[k], JSON_DECODE_ANY, NULL));
    }
}

static const char *const counts[] = {
    "samples", "format_version", "extraction/bits", "extraction/divisor", "restarts/rows",
    "restarts/cols", "files/samples.bin/samples", "files/samples.bin/bytes",
    "files/raw.u64/samples", "files/raw.u64/bytes", "files/restart.bin/samples",
    "files/restart.u64/samples", "files/raw.txt/samples",
};

static const char *const values[] = {
    "0", "-1", "1", "15", "17", "2147483648", "4611686018427387904", "9223372036854775807",
    "-9223372036854775808", "1e300", "16.0", "2305843009213693952",
};

static void count_cases(void)
{
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        for (size_t k = 0; k < sizeof values / sizeof values[0]; k++)
            run_with(counts[i], json_loads(values[k], JSON_DECODE_ANY, NULL));
    run_with("restarts", json_pack("{s:I,s:I}", "rows", (json_int_t)4294967296, "cols", (json_int_t)4294967296));
    run_with("restarts", json_pack("{s:I,s:i}", "rows", (json_int_t)INT64_MAX, "cols", 2));
}

static void name_cases(void)
{
    static const char *const names[] = {
        "../samples.bin", "a/b", "..", ".", "", "manifest.json", "collect.state.json",
        "SAMPLES.BIN", "samples.bin/", "/etc/passwd", "samples.bin.part", "samples.bin.orig",
        "raw.u64/../raw.u64",
    };
    static const char *const shas[] = {
        "", "0", "A", "zz", "0000000000000000000000000000000000000000000000000000000000000000",
    };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        json_t *m = valid(1, 1, 1), *files = json_object_get(m, "files");
        json_object_set(files, names[i], json_object_get(files, "samples.bin"));
        run_doc(0, m);
        json_object_del(files, "samples.bin");
        run_doc(0, m);
        json_decref(m);
    }
    for (size_t i = 0; i < sizeof shas / sizeof shas[0]; i++)
        run_with("files/samples.bin/sha256", json_string(shas[i]));
    {
        json_t *m = valid(1, 1, 1), *e = json_object_get(json_object_get(m, "files"), "samples.bin");
        char up[65];
        snprintf(up, sizeof up, "%s", json_string_value(json_object_get(e, "sha256")));
        for (char *p = up; *p; p++)
            if (*p >= 'a' && *p <= 'f')
                *p = (char)(*p - 'a' + 'A');
        json_object_set_new(e, "sha256", json_string(up));
        run_doc(0, m);
        up[63] = '\0';
        json_object_set_new(e, "sha256", json_string(up));
        run_doc(0, m);
        json_decref(m);
    }
}

static void mask_cases(void)
{
    static const char *const masks[] = {
        "0x0", "0x1ff", "0x", "ff", "0x3z", "0x00000000000000003", "0xffffffffffffffffff",
        "0x1", "0xff", "0X3", "-0x3", "0x 3",
    };

    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++)
        run_with("extraction/mask", json_string(masks[i]));
}

static void text_cases(void)
{
    static const char *const raw[] = {
        "", " ", "{", "}", "[]", "{}", "null", "0", "\"ea90b-collection\"", "{\"format\":",
        "\xef\xbb\xbf{}", "{\"samples\":9223372036854775808}", "{\"a\":1}{\"b\":2}",
        "{\"format\":\"ea90b-collection\",\"format\":\"ea90b-collection\"}",
    };
    json_t *m = valid(1, 1, 1);
    char *s = json_dumps(m, JSON_COMPACT), *t;
    size_t n = strlen(s);

    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        run(0, raw[i], strlen(raw[i]));
    run(0, "{\0}", 3);
    if ((t = malloc(n + 64)) == NULL)
        abort();
    for (size_t len = 0; len < n; len += 37)
        run(0, s, len);
    for (size_t pos = 0; pos < n; pos += 11)
        for (int k = 0; k < 3; k++) {
            memcpy(t, s, n);
            t[pos] = "0\"}"[k];
            run(0, t, n);
        }
    memcpy(t, s, n - 1);
    memcpy(t + n - 1, ",\"complete\":true}", 18);
    run(0, t, strlen(t));
    memset(t, '[', n);
    run(0, t, n);
    free(t);
    free(s);
    json_decref(m);
}

static void generated(void)
{
    valid_cases();
    changes();
    member_cases();
    count_cases();
    name_cases();
    mask_cases();
    text_cases();
    printf("fuzz collection replay: %d generated cases passed\n", cases);
}

static int replay_file(const char *path)
{
    static uint8_t buf[65536];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0;

    if (argc == 3 && strcmp(argv[1], "-o") == 0) {
        outdir = argv[2];
        argc = 1;
    }
    if (argc < 2)
        generated();
    for (int i = 1; i < argc; i++)
        bad |= replay_file(argv[i]);
    return bad;
}
