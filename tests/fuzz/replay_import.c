/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay_import.c - run fuzz_import over files, or over generated edge
 * cases when given none: well-formed and malformed recorder text (signs,
 * blanks, CR/LF, overflow, NUL, non-digits, missing final newline) and
 * binary files of every length 0..40, in each format.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cases;

static void run(int fmt, const char *text, size_t len)
{
    uint8_t buf[512];

    if (len + 1 > sizeof buf)
        abort();
    buf[0] = (uint8_t)fmt;
    memcpy(buf + 1, text, len);
    LLVMFuzzerTestOneInput(buf, len + 1);
    cases++;
}

static void generated(void)
{
    static const char *const texts[] = {
        "1\n", "123\n456\n", "123\r\n456\r\n", "123\n\n456\n", "  7\n", "7  \n", "7", "\n", "\n\n",
        "-1\n", "+1\n", "1 2\n", "0x10\n", "1e3\n", "18446744073709551615\n",
        "18446744073709551616\n", "99999999999999999999999\n", "abc\n", "12a\n", "1\n2\nx\n",
        "\r\n", "1\r", "\t1\n", "1\t\n", "00000000000000000000001\n",
    };
    char bin[40];

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        for (int fmt = 0; fmt < 3; fmt++)
            run(fmt, texts[i], strlen(texts[i]));
    for (int fmt = 0; fmt < 3; fmt++)
        run(fmt, "1\n\0\n2\n", 6);          /* a NUL byte inside text */
    for (size_t len = 0; len <= sizeof bin; len++) {
        for (size_t i = 0; i < len; i++)
            bin[i] = (char)(i * 37u + 11u);
        for (int fmt = 0; fmt < 3; fmt++)
            run(fmt, bin, len);
    }
    printf("fuzz import replay: %d generated cases passed\n", cases);
}

static int replay_file(const char *path)
{
    static uint8_t buf[1000001];
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

    if (argc < 2)
        generated();
    for (int i = 1; i < argc; i++)
        bad |= replay_file(argv[i]);
    return bad;
}
