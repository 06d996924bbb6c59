/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay.c - run the fuzz target over files (seed corpus or crashers)
 * without libFuzzer, and over generated edge cases when given none:
 * every length 2..64 of constant, alternating, counting and 1-bit data,
 * for each bits selector.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    static uint8_t buf[200001];
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

static void generated(void)
{
    uint8_t buf[8192];
    int cases = 0;

    for (int sel = 0; sel < 9; sel++) {
        for (size_t n = 2; n <= 64; n++) {
            for (int kind = 0; kind < 4; kind++) {
                buf[0] = (uint8_t)sel;
                for (size_t i = 1; i < n; i++)
                    buf[i] = kind == 0 ? 7 : kind == 1 ? (uint8_t)(i & 1)
                           : kind == 2 ? (uint8_t)i : (uint8_t)((i * 2654435761u) >> 31 & 1);
                LLVMFuzzerTestOneInput(buf, n);
                buf[0] |= 0x80;   /* conditioned mode */
                LLVMFuzzerTestOneInput(buf, n);
                cases += 2;
            }
        }
    }
    /* longer structured inputs reach the estimators' minimum lengths */
    for (size_t n = 4000; n <= sizeof buf; n += 4192) {
        for (int kind = 0; kind < 3; kind++) {
            buf[0] = 0;
            for (size_t i = 1; i < n; i++)
                buf[i] = kind == 0 ? (uint8_t)(i % 3) : kind == 1 ? (uint8_t)(i * 7919u >> 3)
                                                        : (uint8_t)(i > n / 2);
            LLVMFuzzerTestOneInput(buf, n);
            cases++;
        }
    }
    printf("fuzz replay: %d generated cases passed\n", cases);
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
