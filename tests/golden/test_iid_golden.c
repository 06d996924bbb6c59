/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_iid_golden.c - IID parity with NIST's ea_iid 1.1.7.
 *
 * Every deterministic value the reference prints at -v (baseline mean and
 * median, MCV estimates, chi-square scores, degrees of freedom and
 * p-values, the LRS test, the 19 unpermuted statistics) and every verdict
 * must match; the permutation counts depend on the random permutations
 * (the reference seeds from /dev/urandom) and are not compared, but the
 * permutation verdict is. Permutations run in decisive mode, whose verdict
 * equals the full run's for the same seed.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "reports.h"

static const char *const skip_preamble[] = {
    "Opening file", "Loaded ", "Number of Binary", "Samples have been translated",
    "*** Warning: data contains less than", NULL,
};

/* Drop the permutation count table (random counts) from a -v text. */
static void drop_count_table(char *text)
{
    char *start = strstr(text, "                statistic  C[i][0]");
    char *end = start ? strstr(start, "(* denotes failed test)") : NULL;

    if (start && end)
        memmove(start, end, strlen(end) + 1);
}

static char *render(const ea_iid_report *rep, int verbose, int json)
{
    char *buf = NULL;
    size_t sz = 0;
    FILE *f = open_memstream(&buf, &sz);

    cr_assert_not_null(f);
    if (json)
        ea_render_nist_iid_json(f, rep, verbose);
    else
        ea_render_nist_iid_text(f, rep, verbose);
    fclose(f);
    return buf;
}

static int compare_json_case(const char *ours, const char *ref, char *log, size_t logsz, double *worst)
{
    static const char *const keys[] = {
        "hOriginal", "hBitstring", "hAssessed", "mean", "median", "binary",
        "passedChiSquareTests", "passedLongestRepeatedSubstringTest",
        "passedIidPermutationTests", NULL,
    };
    json_error_t e;
    json_t *o = json_loads(ours, 0, &e), *r = json_loads(ref, 0, &e);
    json_t *oc = json_array_get(json_object_get(o, "testCases"), 0);
    json_t *rc = json_array_get(json_object_get(r, "testCases"), 0);
    int bad = 0;

    cr_assert(oc && rc, "testCases missing");
    for (int i = 0; keys[i]; i++) {
        json_t *a = json_object_get(oc, keys[i]), *b = json_object_get(rc, keys[i]);
        if ((a == NULL) != (b == NULL)) {
            snprintf(log + strlen(log), logsz - strlen(log), "  %s present on one side only\n", keys[i]);
            bad++;
        } else if (b && json_is_number(b)) {
            double x = json_number_value(a), y = json_number_value(b);
            double d = fabs(x - y) / fmax(fmax(fabs(x), fabs(y)), 1e-300);
            if (d > *worst)
                *worst = d;
            if (d > GOLDEN_REL_TOL) {
                snprintf(log + strlen(log), logsz - strlen(log), "  %s: ours %.17g, reference %.17g\n",
                         keys[i], x, y);
                bad++;
            }
        } else if (b && !json_equal(a, b)) {
            snprintf(log + strlen(log), logsz - strlen(log), "  %s differs\n", keys[i]);
            bad++;
        }
    }
    if (!json_equal(json_object_get(o, "sha256"), json_object_get(r, "sha256")) ||
        !json_equal(json_object_get(o, "IID"), json_object_get(r, "IID")))
        bad++;
    json_decref(o);
    json_decref(r);
    return bad;
}

static void run_case(const char *bin, const char *txt, const char *js)
{
    size_t len;
    char *buf = golden_slurp(bin, &len), *ref, *refjs, *text, *json, sha[65], log[8192] = "";
    ea_dataset ds;
    ea_iid_result *res = malloc(sizeof *res);
    ea_iid_opts opt = { .initial = 1,
                        .perm = { .seed = 20261126, .threads = 2, .full = 0, .permutations = 10000 },
                        .skip_settled = 0 };
    ea_iid_report rep;
    double worst = 0.0, worst_json = 0.0;
    int bad;

    cr_assert_not_null(buf, "cannot read %s", bin);
    cr_assert_not_null(res);
    golden_sha256_hex(buf, len, sha);
    cr_assert_eq(ea_dataset_init(&ds, (const uint8_t *)buf, len, 0), EA_OK);
    free(buf);
    cr_assert_eq(ea_iid_run(&ds, &opt, res), EA_OK, "IID run failed on %s", bin);
    memset(&rep, 0, sizeof rep);
    rep.filename = bin;
    rep.sha256 = sha;
    rep.ds = &ds;
    rep.res = res;
    rep.initial = 1;
    rep.all_bits = 1;
    rep.threads = 2;
    rep.seed = opt.perm.seed;

    ref = golden_slurp(txt, NULL);
    refjs = golden_slurp(js, NULL);
    cr_assert(ref && refjs, "cannot read %s / %s", txt, js);
    text = render(&rep, 2, 0);
    json = render(&rep, 2, 1);
    drop_count_table(ref);
    drop_count_table(text);
    bad = golden_compare_text(text, ref, 1, skip_preamble, &worst, log, sizeof log);
    bad += compare_json_case(json, refjs, log, sizeof log, &worst_json);
    cr_log_info("%s: worst relative deviation %.3g (text), %.3g (JSON)", bin, worst, worst_json);
    cr_expect_eq(bad, 0, "%s: %d mismatches against %s\n%s", bin, bad, txt, log);
    free(ref);
    free(refjs);
    free(text);
    free(json);
    free(res);
    ea_dataset_free(&ds);
}

Test(iid_nist, truerand_8bit, .timeout = 300)
{
    run_case("data/nist/bin/truerand_8bit.bin", "data/nist/iid/truerand_8bit.txt", "data/nist/iid/truerand_8bit.json");
}

Test(iid_nist, truerand_1bit, .timeout = 300)
{
    run_case("data/nist/bin/truerand_1bit.bin", "data/nist/iid/truerand_1bit.txt", "data/nist/iid/truerand_1bit.json");
}

Test(iid_nist, normal, .timeout = 300)
{
    run_case("data/nist/bin/normal.bin", "data/nist/iid/normal.txt", "data/nist/iid/normal.json");
}

Test(iid_vectors, iid_bytes_4bit, .timeout = 300)
{
    run_case("data/vectors/iid_bytes_4bit.bin", "data/vectors/expected/iid_bytes_4bit.iid.txt",
             "data/vectors/expected/iid_bytes_4bit.iid.json");
}

Test(iid_vectors, restart_iid_1bit, .timeout = 300)
{
    run_case("data/vectors/restart_iid_1bit.bin", "data/vectors/expected/restart_iid_1bit.iid.txt",
             "data/vectors/expected/restart_iid_1bit.iid.json");
}

Test(iid_vectors, noniid_ar_8bit, .timeout = 600)
{
    run_case("data/vectors/noniid_ar_8bit.bin", "data/vectors/expected/noniid_ar_8bit.iid.txt",
             "data/vectors/expected/noniid_ar_8bit.iid.json");
}
