/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_noniid_golden.c - non-IID parity with NIST's ea_non_iid 1.1.7.
 *
 * For each of NIST's 11 sample files we render the -vv text and compare it,
 * value by value, with NIST's refdata; for each reference vector we compare
 * the -v text and the -o JSON. Every value must agree within 1e-6 relative;
 * the worst deviation per file is logged.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <stdlib.h>

#include "golden.h"

static const char *const skip_preamble[] = {
    "Opening file", "Loaded ", "Number of Binary Symbols", "Symbols have been translated",
    "*** Warning: data contains less than", NULL,
};

static void check_preamble(const char *ref, const ea_dataset *ds)
{
    const char *p = strstr(ref, "Loaded ");
    long len = 0, blen = 0;
    int k = 0, w = 0;

    cr_assert_not_null(p, "reference has no 'Loaded' line");
    cr_assert_eq(sscanf(p, "Loaded %ld samples of %d distinct %d-bit-wide symbols", &len, &k, &w), 3);
    cr_expect_eq((size_t)len, ds->len, "samples: ours %zu, reference %ld", ds->len, len);
    cr_expect_eq(k, ds->alph_size, "alphabet: ours %d, reference %d", ds->alph_size, k);
    cr_expect_eq(w, ds->bits, "bits: ours %d, reference %d", ds->bits, w);
    p = strstr(ref, "Number of Binary Symbols: ");
    if (p != NULL) {
        cr_assert_eq(sscanf(p, "Number of Binary Symbols: %ld", &blen), 1);
        cr_expect_eq((size_t)blen, ds->blen);
    }
}

static void run_text_case(const char *bin, const char *expected, int verbose, int strict,
                          const char *json_expected)
{
    ea_dataset ds;
    ea_noniid_result *res = malloc(sizeof *res);
    char *text = NULL, *json = NULL, *ref, *refjson, log[8192] = "";
    double worst = 0.0, worst_json = 0.0;
    int bad;

    cr_assert_not_null(res);
    ref = golden_slurp(expected, NULL);
    cr_assert_not_null(ref, "cannot read %s", expected);
    cr_assert_eq(golden_assess(bin, verbose, 2, &text, json_expected ? &json : NULL, &ds, res), 0,
                 "cannot assess %s", bin);
    check_preamble(ref, &ds);
    bad = golden_compare_text(text, ref, strict, skip_preamble, &worst, log, sizeof log);
    if (json_expected != NULL) {
        refjson = golden_slurp(json_expected, NULL);
        cr_assert_not_null(refjson, "cannot read %s", json_expected);
        bad += golden_compare_nist_json(json, refjson, &worst_json, log, sizeof log);
        free(refjson);
    }
    cr_log_info("%s: worst relative deviation %.3g (text), %.3g (JSON)", bin, worst, worst_json);
    cr_expect_eq(bad, 0, "%s: %d mismatches against %s\n%s", bin, bad, expected, log);
    free(text);
    free(json);
    free(ref);
    free(res);
    ea_dataset_free(&ds);
}

#define NIST_CASE(name)                                                                   \
    Test(nist_refdata, name, .timeout = 120)                                              \
    {                                                                                     \
        run_text_case("data/nist/bin/" #name ".bin", "data/nist/refdata/" #name ".res", 3, \
                      0, NULL);                                                           \
    }

#define VECTOR_CASE(name)                                                                 \
    Test(vectors, name, .timeout = 120)                                                   \
    {                                                                                     \
        run_text_case("data/vectors/" #name ".bin",                                       \
                      "data/vectors/expected/" #name ".non_iid.txt", 2, 1,                \
                      "data/vectors/expected/" #name ".non_iid.json");                    \
    }

/* data.pi and the dashed names are spelled out below. */
NIST_CASE(normal)
NIST_CASE(rand1_short)
NIST_CASE(rand4_short)
NIST_CASE(rand8_short)
NIST_CASE(truerand_1bit)
NIST_CASE(truerand_4bit)
NIST_CASE(truerand_8bit)

Test(nist_refdata, biased_random_bits, .timeout = 120)
{
    run_text_case("data/nist/bin/biased-random-bits.bin", "data/nist/refdata/biased-random-bits.res", 3, 0, NULL);
}

Test(nist_refdata, biased_random_bytes, .timeout = 120)
{
    run_text_case("data/nist/bin/biased-random-bytes.bin", "data/nist/refdata/biased-random-bytes.res", 3, 0, NULL);
}

Test(nist_refdata, data_pi, .timeout = 120)
{
    run_text_case("data/nist/bin/data.pi.bin", "data/nist/refdata/data.pi.res", 3, 0, NULL);
}

Test(nist_refdata, ringOsc_nist, .timeout = 120)
{
    run_text_case("data/nist/bin/ringOsc-nist.bin", "data/nist/refdata/ringOsc-nist.res", 3, 0, NULL);
}

VECTOR_CASE(iid_bytes_4bit)
VECTOR_CASE(noniid_ar_8bit)
VECTOR_CASE(restart_fail_8bit)
VECTOR_CASE(restart_iid_1bit)
VECTOR_CASE(restart_pass_4bit)
