/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_restart.c - libFuzzer target for the restart matrix loader: how
 * `ea90b restart`/`ea_restart` (cli/restart_cmd.c) and `ea90b assess`
 * (cli/assess_run.c) turn restart.bin bytes into the row dataset
 * (ea_dataset_init), refuse any size but 1000 x 1000 (SP 800-90B
 * §3.1.4.1), and build the column dataset (ea_restart_columns).
 *
 * Input: byte 0 = F; bits per symbol (F & 15) % 9 (0 infers it, as the
 * commands do without a width). F & 0x80: "tiled", the matrix is
 * 1000000 + d bytes (d: bytes 1-2, little-endian int16) repeating the
 * pattern in the bytes after byte 3 (up to 1000; each row shifted by one
 * more when F & 0x40), so small inputs reach the exact size; otherwise the
 * bytes after byte 0 are the file. Byte 3 (tiled) or F & 0x40 (file): also run ea_restart_run
 * in its IID mode (cutoff, sanity check, MCV validation; byte 3 / 32 or
 * 1.0 as H_I), which must agree with the loader on the size.
 *
 * Asserts: ea_dataset_init fails exactly for an empty file (EA_ERR_EMPTY)
 * or data wider than the width asked for (EA_ERR_WIDTH); the columns and
 * the restart test are refused (EA_ERR_RANGE) for every size but 1000000;
 * the columns are the transpose with the rows' width and symbols (checked
 * on 10,000 cells); never a crash, a hang or a leak.
 *
 *   make fuzz                             clang -fsanitize=fuzzer,address,undefined build
 *   build/.../tests/fuzz_restart_replay   generated edge cases (make check)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SIDE 1000u

/* Bits the data needs: its highest bit set (0 for all zero). */
static int width_of(const uint8_t *b, size_t n)
{
    uint8_t any = 0;
    int w = 0;

    for (size_t i = 0; i < n; i++)
        any |= b[i];
    while (any != 0) {
        w++;
        any >>= 1;
    }
    return w;
}

/* Cell (i, j) of the rows is cell (j, i) of the columns, raw and mapped. */
static void same_cell(const ea_dataset *rows, const ea_dataset *cols, size_t i, size_t j)
{
    if (cols->raw[j * SIDE + i] != rows->raw[i * SIDE + j] ||
        cols->symbols[j * SIDE + i] != rows->symbols[i * SIDE + j])
        abort();
}

/*
 * The column dataset is the transpose: same width, same symbols, moved.
 * Checked on the first and last row and column, the diagonals and 4000
 * scattered cells (every cell would cost libFuzzer's comparison hooks a
 * million calls an input).
 */
static void check_columns(const ea_dataset *rows)
{
    ea_dataset cols;
    ea_status st = ea_restart_columns(rows, &cols);

    if (rows->len != (size_t)EA_RESTART_SAMPLES) {
        if (st != EA_ERR_RANGE)
            abort();
        return;
    }
    if (st != EA_OK || cols.len != rows->len || cols.bits != rows->bits ||
        cols.alph_size != rows->alph_size || cols.max_symbol != rows->max_symbol)
        abort();
    for (size_t k = 0; k < SIDE; k++) {
        same_cell(rows, &cols, 0, k);
        same_cell(rows, &cols, SIDE - 1, k);
        same_cell(rows, &cols, k, 0);
        same_cell(rows, &cols, k, SIDE - 1);
        same_cell(rows, &cols, k, k);
        same_cell(rows, &cols, k, SIDE - 1 - k);
    }
    for (size_t k = 0; k < 4000; k++)
        same_cell(rows, &cols, k * 7 % SIDE, k * 13 % SIDE);
    ea_dataset_free(&cols);
}

/* ea_restart_run, IID (MCV) validation: refused unless 1000 x 1000, H_I in (0, bits]. */
static void check_run(const ea_dataset *rows, double h_i)
{
    ea_restart_result *r = calloc(1, sizeof(*r));
    ea_restart_opts o = ea_restart_opts_default();
    ea_status st;

    if (r == NULL)
        abort();
    o.h_i = h_i;
    o.iid = 1;
    st = ea_restart_run(rows, &o, r);
    if (rows->len != (size_t)EA_RESTART_SAMPLES ? st != EA_ERR_RANGE
        : !(h_i > 0.0 && h_i <= rows->bits) ? st != EA_ERR_ARG
        : rows->alph_size <= 1 ? st != EA_ERR_ONE_SYMBOL
        : st != EA_OK || r->x_max < 1 || r->x_max > (int)SIDE || r->cutoff < 0 ||
              (r->sanity_passed != 0) != (r->x_max <= r->cutoff))
        abort();
    free(r);
}

/* need: the bits the data needs (width_of the bytes it is made of). */
static void load(const uint8_t *buf, size_t len, int bits, int need, int run, double h_i)
{
    ea_dataset rows;
    ea_status st = ea_dataset_init(&rows, buf, len, bits);

    if (len == 0 ? st != EA_ERR_EMPTY : bits != 0 && need > bits ? st != EA_ERR_WIDTH : st != EA_OK)
        abort();
    if (st != EA_OK)
        return;
    if (rows.len != len || rows.bits != (bits ? bits : need ? need : 1))
        abort();
    check_columns(&rows);
    if (run)
        check_run(&rows, h_i);
    ea_dataset_free(&rows);
}

/*
 * 1000000 + d bytes of the pattern (its first 1000 bytes; zeros when
 * empty), row r shifted by r when asked: cell k of the matrix is
 * pat[(k + shift r) % plen], so every row holds every pattern byte and the
 * width the data needs is the pattern's. Built by doubling copies (a byte
 * loop costs a million comparison hooks).
 */
static void tiled(const uint8_t *data, size_t size, int bits)
{
    int16_t d = (int16_t)(uint16_t)(data[1] | data[2] << 8);
    size_t len = (size_t)((long)EA_RESTART_SAMPLES + d), plen = size - 4 < SIDE ? size - 4 : SIDE, have;
    size_t full = len + SIDE + SIDE;
    uint8_t *base = calloc(full, 1), *m = malloc(len);

    if (base == NULL || m == NULL)
        abort();
    if (plen > 0) {
        have = plen < full ? plen : full;
        memcpy(base, data + 4, have);
        for (; have < full; have *= 2)
            memcpy(base + have, base, have < full - have ? have : full - have);
    }
    if (data[0] & 0x40)
        for (size_t r = 0; r * SIDE < len; r++)
            memcpy(m + r * SIDE, base + r * SIDE + r, len - r * SIDE < SIDE ? len - r * SIDE : SIDE);
    else
        memcpy(m, base, len);
    load(m, len, bits, width_of(data + 4, plen), data[3] != 0, data[3] / 32.0);
    free(base);
    free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int bits;

    if (size < 1 || size > 1100000)
        return 0;
    bits = (data[0] & 15) % 9;
    if ((data[0] & 0x80) && size >= 4)
        tiled(data, size, bits);
    else if (!(data[0] & 0x80))
        load(data + 1, size - 1, bits, width_of(data + 1, size - 1), (data[0] & 0x40) != 0, 1.0);
    return 0;
}
