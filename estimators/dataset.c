/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dataset.c - turn one-sample-per-byte input into the three views the
 * SP 800-90B estimators use (§3.1.1 data, §6.3 "literal" and "bitstring").
 *
 * Semantics follow NIST's tool (read_file_subset() in its utils.h):
 *   - the width is the highest bit set in any sample when not given;
 *   - a declared width narrower than the data is an error, wider is
 *     allowed (the caller warns: data_bits < bits);
 *   - symbols are masked to the width, then mapped down to 0..k-1 when
 *     only k < 2^bits distinct values occur and the largest symbol is
 *     not k-1 (the reference maps only when alph_size < max_symbol + 1);
 *   - the bitstring is built from the unmapped, masked symbols, most
 *     significant bit first.
 */
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"

static int highest_bit(const uint8_t *buf, size_t len)
{
    unsigned all = 0;
    int w = 8;

    for (size_t i = 0; i < len; i++)
        all |= buf[i];
    while (w > 0 && !(all & (1u << (w - 1))))
        w--;
    return w;
}

static void build_bitstring(uint8_t *dst, const uint8_t *sym, size_t len, int bits)
{
    for (size_t i = 0; i < len; i++) {
        unsigned v = sym[i];
        for (int j = 0; j < bits; j++)
            dst[i * (size_t)bits + (size_t)j] = (uint8_t)((v >> (bits - 1 - j)) & 1u);
    }
}

static void map_down(ea_dataset *ds)
{
    uint8_t map[256];
    int seen[256] = {0};
    int k = 0;

    for (size_t i = 0; i < ds->len; i++)
        seen[ds->symbols[i]] = 1;
    for (int v = 0; v < 256; v++)
        if (seen[v])
            map[v] = (uint8_t)k++;
    ds->alph_size = k;
    if (k < (int)ds->max_symbol + 1) {
        for (size_t i = 0; i < ds->len; i++)
            ds->symbols[i] = map[ds->symbols[i]];
        ds->translated = 1;
    }
}

ea_status ea_dataset_init(ea_dataset *ds, const uint8_t *buf, size_t len, int bits)
{
    uint8_t mask;

    if (ds == NULL || (buf == NULL && len > 0))
        return EA_ERR_ARG;
    memset(ds, 0, sizeof(*ds));
    if (bits < 0 || bits > 8)
        return EA_ERR_BITS;
    if (len == 0)
        return EA_ERR_EMPTY;

    ds->data_bits = highest_bit(buf, len);
    if (bits == 0)
        bits = ds->data_bits;
    else if (ds->data_bits > bits)
        return EA_ERR_WIDTH;
    if (bits == 0)  /* all-zero input: the reference reports width 0 */
        bits = 1;
    ds->bits = bits;
    ds->len = len;

    ds->raw = malloc(len);
    ds->symbols = malloc(len);
    if (ds->raw == NULL || ds->symbols == NULL) {
        ea_dataset_free(ds);
        return EA_ERR_NOMEM;
    }
    memcpy(ds->raw, buf, len);
    mask = (uint8_t)((1u << bits) - 1u);
    for (size_t i = 0; i < len; i++) {
        ds->symbols[i] = (uint8_t)(buf[i] & mask);
        if (ds->symbols[i] > ds->max_symbol)
            ds->max_symbol = ds->symbols[i];
    }

    ds->blen = len * (size_t)bits;
    if (bits == 1) {
        ds->bitstring = ds->symbols;
    } else {
        ds->bitstring = malloc(ds->blen);
        if (ds->bitstring == NULL) {
            ea_dataset_free(ds);
            return EA_ERR_NOMEM;
        }
        build_bitstring(ds->bitstring, ds->symbols, len, bits);
    }
    map_down(ds);
    return EA_OK;
}

void ea_dataset_truncate_bits(ea_dataset *ds, size_t max_bits)
{
    if (ds != NULL && ds->blen > max_bits)
        ds->blen = max_bits;
}

void ea_dataset_free(ea_dataset *ds)
{
    if (ds == NULL)
        return;
    if (ds->bitstring != ds->symbols)
        free(ds->bitstring);
    free(ds->symbols);
    free(ds->raw);
    memset(ds, 0, sizeof(*ds));
}
