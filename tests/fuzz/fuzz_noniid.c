/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_noniid.c - libFuzzer target for dataset loading and the whole
 * non-IID track. Input: first byte selects bits per symbol (0..8, 0 =
 * infer), the rest are samples. Asserts the library's contract: a status,
 * never a crash, never a NaN in a result it reports as valid.
 *
 *   make fuzz              build with clang -fsanitize=fuzzer,address
 *   tests/fuzz/replay FILE... (built by make check) replays seeds with gcc
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "ea90b.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must_be_finite(double v)
{
    if (isnan(v) || isinf(v))
        abort();
}

/* Every value an estimator reports is a finite, non-negative entropy. */
static void check_side(ea_estimator_id id, const ea_est_side *s)
{
    for (int lrs = 0; lrs <= 1; lrs++) {
        double h = ea_noniid_side_h(id, s, lrs);
        must_be_finite(h);
        if (s->ran && s->status == EA_OK && h < 0.0 && id != EA_EST_TTUPLE)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ea_dataset ds;
    ea_noniid_result res;
    ea_noniid_opts opt = ea_noniid_opts_default();

    if (size < 2 || size > 200000)
        return 0;
    opt.initial = (data[0] & 0x80) == 0;
    if (ea_dataset_init(&ds, data + 1, size - 1, data[0] % 9) != EA_OK)
        return 0;
    if (ea_noniid_run(&ds, &opt, &res) == EA_OK) {
        must_be_finite(res.h_original);
        must_be_finite(res.h_bitstring);
        must_be_finite(res.h_assessed);
        if (res.h_assessed < 0.0 || res.h_assessed > ds.bits)
            abort();
        for (int i = 0; i < EA_EST_COUNT; i++) {
            check_side((ea_estimator_id)i, &res.literal[i]);
            check_side((ea_estimator_id)i, &res.bitstring[i]);
        }
    }
    ea_dataset_free(&ds);
    return 0;
}
