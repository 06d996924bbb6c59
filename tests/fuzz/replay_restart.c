/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay_restart.c - run fuzz_restart over files, or over generated edge
 * cases when given none: files of 0, 1, 2, 999, 1000, 999999, 1000000 and
 * 1000001 bytes of constant symbols (0, 7, 255), 1-bit data, counting
 * bytes and data wider than the width asked for, inferred or at 1, 2 and 8
 * bits, with and without the restart test; tiled matrices of 1000000 +
 * {-32768, -1, 0, 1, 32767} bytes with H_I at the edges (1/32, 1, 2, 8,
 * above the width) and patterns longer than a row. With -o DIR the cases are also written to DIR (a
 * libFuzzer seed corpus; files over 64 KiB are left out: tiled cases
 * reach the full size).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cases;
static const char *outdir;

static void run(const uint8_t *buf, size_t len)
{
    if (outdir != NULL && len <= 65536) {
        char path[4096];
        FILE *f;
        snprintf(path, sizeof path, "%s/restart-%04d.bin", outdir, cases);
        if ((f = fopen(path, "wb")) == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
            fprintf(stderr, "replay: cannot write %s\n", path);
            exit(1);
        }
    }
    LLVMFuzzerTestOneInput(buf, len);
    cases++;
}

static uint8_t sample(int kind, size_t i)
{
    switch (kind) {
    case 0: return 0;
    case 1: return 7;
    case 2: return 255;
    case 3: return (uint8_t)((i * 2654435761u) >> 13 & 1);    /* 1-bit data */
    case 4: return (uint8_t)(i & 1);
    default: return (uint8_t)(i % 251);                         /* counting, 8 bits */
    }
}

/* The file as is: byte 0 the width (and 0x40: run the restart test). */
static void files(uint8_t *buf)
{
    static const size_t lens[] = { 0, 1, 2, 999, 1000, 999999, 1000000, 1000001 };
    static const int widths[] = { 0, 1, 2, 8 };

    for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++)
        for (int kind = 0; kind < 6; kind++)
            for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
                for (int test = 0; test < 2; test++) {
                    buf[0] = (uint8_t)(widths[w] | (test ? 0x40 : 0));
                    for (size_t i = 0; i < lens[l]; i++)
                        buf[1 + i] = sample(kind, i);
                    run(buf, lens[l] + 1);
                }
}

/* Tiled: byte 0 0x80 | width (0x40: rows shifted), bytes 1-2 the size - 1000000, byte 3 H_I x 32. */
static void tiles(uint8_t *buf)
{
    static const int16_t deltas[] = { -32768, -1, 0, 1, 32767 };
    static const uint8_t his[] = { 0, 1, 32, 64, 255 };
    static const uint8_t pats[][5] = { { 0 }, { 1, 0 }, { 3, 1, 2 }, { 255, 0, 17, 4, 9 }, { 5 } };
    static const size_t plens[] = { 1, 2, 3, 5, 0 };

    for (size_t d = 0; d < sizeof deltas / sizeof deltas[0]; d++)
        for (size_t h = 0; h < sizeof his / sizeof his[0]; h++)
            for (size_t p = 0; p < sizeof plens / sizeof plens[0]; p++)
                for (int shift = 0; shift < 2; shift++) {
                    uint16_t u = (uint16_t)deltas[d];
                    buf[0] = (uint8_t)(0x80 | (shift ? 0x40 : 0) | (p == 3 ? 8 : 0));
                    buf[1] = (uint8_t)(u & 0xff);
                    buf[2] = (uint8_t)(u >> 8);
                    buf[3] = his[h];
                    memcpy(buf + 4, pats[p], plens[p]);
                    run(buf, 4 + plens[p]);
                }
    buf[0] = 0x81;                       /* 1 bit asked, 8-bit pattern: EA_ERR_WIDTH */
    buf[1] = buf[2] = 0;
    buf[3] = 32;
    memcpy(buf + 4, "\x00\x02", 2);
    run(buf, 6);
    run(buf, 3);                         /* tiled but no header: ignored */
    for (int shift = 0; shift < 2; shift++) {
        buf[0] = (uint8_t)(0x80 | (shift ? 0x40 : 0));
        buf[3] = 255;                    /* H_I above the width: EA_ERR_ARG */
        for (size_t i = 0; i < 1501; i++)
            buf[4 + i] = (uint8_t)(i * 7 % 253);
        run(buf, 4 + 1001);              /* a pattern longer than a row: its first 1000 bytes */
        run(buf, 4 + 1501);
    }
}

static void generated(void)
{
    uint8_t *buf = malloc(1000002);

    if (buf == NULL)
        abort();
    files(buf);
    tiles(buf);
    free(buf);
    printf("fuzz restart replay: %d generated cases passed\n", cases);
}

static int replay_file(const char *path)
{
    static uint8_t buf[1100001];
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
