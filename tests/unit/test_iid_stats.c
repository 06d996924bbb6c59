/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_iid_stats.c - unit tests for the SP 800-90B §5.1 permutation-test
 * statistics (ea_iid_stats_*) and their baseline (ea_iid_baseline_compute).
 *
 * Small hand-computed sequences pin each statistic (§5.1.1 - 5.1.10), the
 * binary Conversions I and II, the data each statistic sees (raw values or
 * mapped symbols) and the edge conventions of NIST's tool. A plain model,
 * written straight from the definitions, then checks the vectorised and
 * pruned paths on pseudo-random data of many lengths and alphabets, in
 * several orders.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "ea90b.h"

#define NS EA_IID_NSTATS
#define SENTINEL (-12345.0L)

/* ------------------------------------------------------------ helpers */

static void stats_of(const uint8_t *buf, size_t n, int bits, long double out[NS])
{
    ea_dataset ds;
    ea_iid_baseline b;
    ea_iid_stats_ctx *c;

    cr_assert_eq(ea_dataset_init(&ds, buf, n, bits), EA_OK);
    cr_assert_eq(ea_iid_baseline_compute(&ds, &b), EA_OK);
    cr_assert_eq(ea_iid_stats_new(&ds, &b, &c), EA_OK);
    for (int i = 0; i < NS; i++)
        out[i] = SENTINEL;
    cr_assert_eq(ea_iid_stats_compute(c, ds.raw, EA_IID_CHEAP_STATS, out), EA_OK);
    ea_iid_stats_free(c);
    ea_dataset_free(&ds);
}

static void expect_value(long double got, double want, int id)
{
    double g = (double)got;

    cr_expect(fabs(g - want) <= 1e-9 * (1.0 + fabs(want)), "%s: got %.17g, want %.17g",
              ea_iid_stat_name((ea_iid_stat_id)id), g, want);
}

/* Small deterministic generator (xorshift). */
static uint32_t next_rand(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* ------------------------------------------------------ names, keys */

Test(iid_stats, names_and_keys)
{
    static const char *names[NS] = {
        "excursion", "numDirectionalRuns", "lenDirectionalRuns", "numIncreasesDecreases",
        "numRunsMedian", "lenRunsMedian", "avgCollision", "maxCollision",
        "periodicity(1)", "periodicity(2)", "periodicity(8)", "periodicity(16)",
        "periodicity(32)", "covariance(1)", "covariance(2)", "covariance(8)",
        "covariance(16)", "covariance(32)", "compression"};
    static const char *keys[NS] = {
        "excursion", "numDirectionalRuns", "lenDirectionalRuns", "numIncreasesDecreases",
        "numRunsMedian", "lenRunsMedian", "avgCollision", "maxCollision",
        "periodicity1", "periodicity2", "periodicity8", "periodicity16", "periodicity32",
        "covariance1", "covariance2", "covariance8", "covariance16", "covariance32",
        "compression"};

    for (int i = 0; i < NS; i++) {
        cr_expect_str_eq(ea_iid_stat_name((ea_iid_stat_id)i), names[i]);
        cr_expect_str_eq(ea_iid_stat_key((ea_iid_stat_id)i), keys[i]);
    }
    cr_expect_null(ea_iid_stat_name(EA_IID_NSTATS));
    cr_expect_null(ea_iid_stat_key(EA_IID_NSTATS));
    cr_expect_null(ea_iid_stat_name((ea_iid_stat_id)-1));
}

/* ---------------------------------------------------------- baseline */

static ea_iid_baseline baseline_of(const uint8_t *buf, size_t n, int bits)
{
    ea_dataset ds;
    ea_iid_baseline b;

    cr_assert_eq(ea_dataset_init(&ds, buf, n, bits), EA_OK);
    cr_assert_eq(ea_iid_baseline_compute(&ds, &b), EA_OK);
    ea_dataset_free(&ds);
    return b;
}

Test(iid_stats, baseline_mean_raw_median_mapped)
{
    /* Symbols 10, 20, 40, 50 map to 0..3: sorted 0 1 1 2 3, median 1;
     * the mean is that of the raw values. */
    static const uint8_t odd[] = {10, 20, 20, 40, 50};
    /* Even count: (1 + 2) / 2 of the mapped symbols 0 1 2 3. */
    static const uint8_t even[] = {4, 1, 3, 2};
    ea_iid_baseline b = baseline_of(odd, 5, 0);

    cr_expect_float_eq(b.raw_mean, 28.0, 1e-12);
    cr_expect_float_eq(b.median, 1.0, 1e-12);
    cr_expect_eq(b.binary, 0);
    b = baseline_of(even, 4, 0);
    cr_expect_float_eq(b.raw_mean, 2.5, 1e-12);
    cr_expect_float_eq(b.median, 1.5, 1e-12);
}

Test(iid_stats, baseline_binary_median_half)
{
    static const uint8_t two[] = {0x10, 0x80, 0x80};
    static const uint8_t bits[] = {0, 0, 0, 1};
    ea_iid_baseline b = baseline_of(two, 3, 8);

    cr_expect_float_eq(b.raw_mean, (16.0 + 128.0 + 128.0) / 3.0, 1e-12);
    cr_expect_float_eq(b.median, 0.5, 1e-12);
    cr_expect_eq(b.binary, 1);
    b = baseline_of(bits, 4, 1);  /* the symbols' median would be 0 */
    cr_expect_float_eq(b.median, 0.5, 1e-12);
    cr_expect_float_eq(b.raw_mean, 0.25, 1e-12);
}

Test(iid_stats, baseline_errors)
{
    ea_dataset ds;
    ea_iid_baseline b;
    static const uint8_t one[] = {1};

    cr_expect_eq(ea_iid_baseline_compute(NULL, &b), EA_ERR_ARG);
    cr_assert_eq(ea_dataset_init(&ds, one, 1, 0), EA_OK);
    cr_expect_eq(ea_iid_baseline_compute(&ds, NULL), EA_ERR_ARG);
    ea_dataset_free(&ds);
    memset(&ds, 0, sizeof(ds));
    cr_expect_eq(ea_iid_baseline_compute(&ds, &b), EA_ERR_EMPTY);
}

/* --------------------------------------------------------- excursion */

Test(iid_stats, excursion_small)
{
    static const uint8_t a[] = {1, 2, 3, 4, 5};  /* mean 3: |S_i - 3i| = 2 3 3 2 0 */
    static const uint8_t b[] = {0, 2, 7};        /* mean 3: 3 4 0 */
    static const uint8_t c[] = {1, 0, 0};        /* mean 1/3: 2/3 1/3 0 */
    long double out[NS];

    stats_of(a, 5, 0, out);
    expect_value(out[EA_IID_EXCURSION], 3.0, EA_IID_EXCURSION);
    stats_of(b, 3, 0, out);
    expect_value(out[EA_IID_EXCURSION], 4.0, EA_IID_EXCURSION);
    stats_of(c, 3, 0, out);
    expect_value(out[EA_IID_EXCURSION], 2.0 / 3.0, EA_IID_EXCURSION);
}

/* ------------------------------------------------- directional runs */

Test(iid_stats, directional_up_then_down)
{
    static const uint8_t s[] = {1, 2, 3, 2, 1};  /* + + - - */
    long double out[NS];

    stats_of(s, 5, 0, out);
    expect_value(out[EA_IID_NUM_DIR_RUNS], 2, EA_IID_NUM_DIR_RUNS);
    expect_value(out[EA_IID_LEN_DIR_RUNS], 2, EA_IID_LEN_DIR_RUNS);
    expect_value(out[EA_IID_NUM_INC_DEC], 2, EA_IID_NUM_INC_DEC);
}

Test(iid_stats, directional_equal_counts_as_increase)
{
    static const uint8_t s[] = {1, 2, 2, 1, 3};  /* + + - + */
    long double out[NS];

    stats_of(s, 5, 0, out);
    expect_value(out[EA_IID_NUM_DIR_RUNS], 3, EA_IID_NUM_DIR_RUNS);
    expect_value(out[EA_IID_LEN_DIR_RUNS], 2, EA_IID_LEN_DIR_RUNS);
    expect_value(out[EA_IID_NUM_INC_DEC], 3, EA_IID_NUM_INC_DEC);
}

Test(iid_stats, directional_single_sample)
{
    static const uint8_t s[] = {5};  /* empty sequence: 0 runs, longest 1 */
    long double out[NS];

    stats_of(s, 1, 0, out);
    expect_value(out[EA_IID_NUM_DIR_RUNS], 0, EA_IID_NUM_DIR_RUNS);
    expect_value(out[EA_IID_LEN_DIR_RUNS], 1, EA_IID_LEN_DIR_RUNS);
    expect_value(out[EA_IID_NUM_INC_DEC], 0, EA_IID_NUM_INC_DEC);
    expect_value(out[EA_IID_NUM_RUNS_MEDIAN], 1, EA_IID_NUM_RUNS_MEDIAN);
    expect_value(out[EA_IID_LEN_RUNS_MEDIAN], 1, EA_IID_LEN_RUNS_MEDIAN);
}

/* ------------------------------------------------------ median runs */

Test(iid_stats, median_runs)
{
    /* Median 2 (sorted 0 0 1 2 2 3 3 3): + - - + + + - + */
    static const uint8_t s[] = {3, 0, 1, 2, 3, 3, 0, 2};
    long double out[NS];

    stats_of(s, 8, 0, out);
    expect_value(out[EA_IID_NUM_RUNS_MEDIAN], 5, EA_IID_NUM_RUNS_MEDIAN);
    expect_value(out[EA_IID_LEN_RUNS_MEDIAN], 3, EA_IID_LEN_RUNS_MEDIAN);
}

Test(iid_stats, median_runs_use_mapped_symbols)
{
    /* Symbols 0..4, median 2 (raw 2); the raw mean 51.2 would split
     * the data elsewhere. */
    static const uint8_t s[] = {0, 1, 2, 3, 250};
    long double out[NS];

    stats_of(s, 5, 0, out);
    expect_value(out[EA_IID_NUM_RUNS_MEDIAN], 2, EA_IID_NUM_RUNS_MEDIAN);
    expect_value(out[EA_IID_LEN_RUNS_MEDIAN], 3, EA_IID_LEN_RUNS_MEDIAN);
    expect_value(out[EA_IID_EXCURSION], 4 * 51.2 - 6, EA_IID_EXCURSION);  /* i = 4 */
}

/* -------------------------------------------------------- collisions */

Test(iid_stats, collision_windows)
{
    /* 0 1 2 0 | 3 3 | 1 2 0 (no repeat: dropped): windows 4 and 2. */
    static const uint8_t s[] = {0, 1, 2, 0, 3, 3, 1, 2, 0};
    long double out[NS];

    stats_of(s, 9, 0, out);
    expect_value(out[EA_IID_AVG_COLLISION], 3.0, EA_IID_AVG_COLLISION);
    expect_value(out[EA_IID_MAX_COLLISION], 4.0, EA_IID_MAX_COLLISION);
}

Test(iid_stats, collision_none_is_nan)
{
    static const uint8_t s[] = {0, 1, 2, 3};
    long double out[NS];

    stats_of(s, 4, 0, out);
    cr_expect(isnan((double)out[EA_IID_AVG_COLLISION]));
    expect_value(out[EA_IID_MAX_COLLISION], 0, EA_IID_MAX_COLLISION);
}

/* --------------------------------------------- periodicity, covariance */

Test(iid_stats, lags_one_and_two)
{
    /* Symbols 0 1 0 1 0 2; covariance uses the raw values 1 2 1 2 1 3. */
    static const uint8_t s[] = {1, 2, 1, 2, 1, 3};
    long double out[NS];

    stats_of(s, 6, 0, out);
    expect_value(out[EA_IID_PERIODICITY_1], 0, EA_IID_PERIODICITY_1);
    expect_value(out[EA_IID_PERIODICITY_2], 3, EA_IID_PERIODICITY_2);
    expect_value(out[EA_IID_COVARIANCE_1], 2 + 2 + 2 + 2 + 3, EA_IID_COVARIANCE_1);
    expect_value(out[EA_IID_COVARIANCE_2], 1 + 4 + 1 + 6, EA_IID_COVARIANCE_2);
    /* Lags not shorter than the data: 0. */
    for (int id = EA_IID_PERIODICITY_8; id <= EA_IID_PERIODICITY_32; id++)
        expect_value(out[id], 0, id);
    for (int id = EA_IID_COVARIANCE_8; id <= EA_IID_COVARIANCE_32; id++)
        expect_value(out[id], 0, id);
}

Test(iid_stats, lags_periodic_data)
{
    uint8_t s[1000];
    long double out[NS];

    for (int i = 0; i < 1000; i++)
        s[i] = (uint8_t)(i % 4);
    stats_of(s, 1000, 0, out);
    expect_value(out[EA_IID_PERIODICITY_1], 0, EA_IID_PERIODICITY_1);
    expect_value(out[EA_IID_PERIODICITY_2], 0, EA_IID_PERIODICITY_2);
    expect_value(out[EA_IID_PERIODICITY_8], 992, EA_IID_PERIODICITY_8);
    expect_value(out[EA_IID_PERIODICITY_16], 984, EA_IID_PERIODICITY_16);
    expect_value(out[EA_IID_PERIODICITY_32], 968, EA_IID_PERIODICITY_32);
    expect_value(out[EA_IID_COVARIANCE_1], 2000, EA_IID_COVARIANCE_1);
    expect_value(out[EA_IID_COVARIANCE_2], 1497, EA_IID_COVARIANCE_2);
    expect_value(out[EA_IID_COVARIANCE_8], 992 / 4 * 14, EA_IID_COVARIANCE_8);
    expect_value(out[EA_IID_COVARIANCE_16], 984 / 4 * 14, EA_IID_COVARIANCE_16);
    expect_value(out[EA_IID_COVARIANCE_32], 968 / 4 * 14, EA_IID_COVARIANCE_32);
}

/* -------------------------------------------------------- binary data */

/*
 * 25 bits 10100000 00000001 10100000 1:
 * Conversion I  = 2 1 2 1      (directional, periodicity, covariance)
 * Conversion II = 160 1 160 128 (collisions; the last block zero-padded)
 */
static const uint8_t bits25[25] = {1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                   0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1};

static void expect_binary25(const long double *out)
{
    expect_value(out[EA_IID_NUM_DIR_RUNS], 3, EA_IID_NUM_DIR_RUNS);   /* - + - */
    expect_value(out[EA_IID_LEN_DIR_RUNS], 1, EA_IID_LEN_DIR_RUNS);
    expect_value(out[EA_IID_NUM_INC_DEC], 2, EA_IID_NUM_INC_DEC);
    expect_value(out[EA_IID_NUM_RUNS_MEDIAN], 9, EA_IID_NUM_RUNS_MEDIAN);
    expect_value(out[EA_IID_LEN_RUNS_MEDIAN], 12, EA_IID_LEN_RUNS_MEDIAN);
    expect_value(out[EA_IID_AVG_COLLISION], 3, EA_IID_AVG_COLLISION);  /* 160 1 160 */
    expect_value(out[EA_IID_MAX_COLLISION], 3, EA_IID_MAX_COLLISION);
    expect_value(out[EA_IID_PERIODICITY_1], 0, EA_IID_PERIODICITY_1);
    expect_value(out[EA_IID_PERIODICITY_2], 2, EA_IID_PERIODICITY_2);
    expect_value(out[EA_IID_PERIODICITY_8], 0, EA_IID_PERIODICITY_8);
    expect_value(out[EA_IID_COVARIANCE_1], 2 + 2 + 2, EA_IID_COVARIANCE_1);
    expect_value(out[EA_IID_COVARIANCE_2], 4 + 1, EA_IID_COVARIANCE_2);
    expect_value(out[EA_IID_COVARIANCE_8], 0, EA_IID_COVARIANCE_8);
}

Test(iid_stats, binary_conversions)
{
    long double out[NS];

    stats_of(bits25, 25, 1, out);
    expect_binary25(out);
    /* Ones at 0 2 15 16 18 24, mean 0.24: the largest |S_i - 0.24 i| is
     * at i = 15 (S = 2). */
    expect_value(out[EA_IID_EXCURSION], 15 * 0.24 - 2, EA_IID_EXCURSION);
}

Test(iid_stats, binary_symbols_not_zero_one)
{
    uint8_t s[25];
    long double out[NS];

    for (int i = 0; i < 25; i++)
        s[i] = bits25[i] ? 0x80 : 0x10;
    stats_of(s, 25, 8, out);
    expect_binary25(out);  /* from the mapped 0/1 symbols */
    /* Excursion sums the raw values: mean (6*128 + 19*16) / 25. */
    {
        double mean = (6 * 128.0 + 19 * 16.0) / 25.0, sum = 0.0, best = 0.0;
        for (int i = 0; i < 25; i++) {
            sum += s[i];
            if (fabs(sum - (i + 1) * mean) > best)
                best = fabs(sum - (i + 1) * mean);
        }
        expect_value(out[EA_IID_EXCURSION], best, EA_IID_EXCURSION);
    }
}

Test(iid_stats, binary_whole_blocks)
{
    /* 16 bits 11111111 00000000: Conversion I = 8 0, II = 255 0. */
    uint8_t s[16];
    long double out[NS];

    for (int i = 0; i < 16; i++)
        s[i] = i < 8;
    stats_of(s, 16, 1, out);
    expect_value(out[EA_IID_NUM_DIR_RUNS], 1, EA_IID_NUM_DIR_RUNS);
    expect_value(out[EA_IID_NUM_INC_DEC], 1, EA_IID_NUM_INC_DEC);
    expect_value(out[EA_IID_NUM_RUNS_MEDIAN], 2, EA_IID_NUM_RUNS_MEDIAN);
    expect_value(out[EA_IID_LEN_RUNS_MEDIAN], 8, EA_IID_LEN_RUNS_MEDIAN);
    cr_expect(isnan((double)out[EA_IID_AVG_COLLISION]));
    expect_value(out[EA_IID_COVARIANCE_1], 0, EA_IID_COVARIANCE_1);
}

/* ------------------------------------------------- selection, errors */

Test(iid_stats, only_selected_values_written)
{
    static const uint8_t s[] = {3, 0, 1, 2, 3, 3, 0, 2, 1, 1, 0, 2};
    ea_dataset ds;
    ea_iid_baseline b;
    ea_iid_stats_ctx *c;
    long double all[NS], one[NS];

    cr_assert_eq(ea_dataset_init(&ds, s, sizeof(s), 0), EA_OK);
    cr_assert_eq(ea_iid_baseline_compute(&ds, &b), EA_OK);
    cr_assert_eq(ea_iid_stats_new(&ds, &b, &c), EA_OK);
    cr_assert_eq(ea_iid_stats_compute(c, ds.raw, EA_IID_CHEAP_STATS, all), EA_OK);
    for (int id = 0; id < EA_IID_COMPRESSION; id++) {
        for (int j = 0; j < NS; j++)
            one[j] = SENTINEL;
        cr_assert_eq(ea_iid_stats_compute(c, ds.raw, UINT32_C(1) << id, one), EA_OK);
        for (int j = 0; j < NS; j++) {
            if (j == id && !isnan((double)all[j]))
                expect_value(one[j], (double)all[j], j);
            else if (j != id)
                cr_expect(one[j] == SENTINEL, "statistic %d written when only %d asked", j, id);
        }
    }
    ea_iid_stats_free(c);
    ea_dataset_free(&ds);
}

Test(iid_stats, argument_errors)
{
    static const uint8_t s[] = {1, 2, 3};
    ea_dataset ds, empty;
    ea_iid_baseline b;
    ea_iid_stats_ctx *c = NULL;
    long double out[NS];

    cr_assert_eq(ea_dataset_init(&ds, s, 3, 0), EA_OK);
    cr_assert_eq(ea_iid_baseline_compute(&ds, &b), EA_OK);
    cr_expect_eq(ea_iid_stats_new(NULL, &b, &c), EA_ERR_ARG);
    cr_expect_null(c);
    cr_expect_eq(ea_iid_stats_new(&ds, NULL, &c), EA_ERR_ARG);
    cr_expect_eq(ea_iid_stats_new(&ds, &b, NULL), EA_ERR_ARG);
    memset(&empty, 0, sizeof(empty));
    cr_expect_eq(ea_iid_stats_new(&empty, &b, &c), EA_ERR_EMPTY);
    cr_assert_eq(ea_iid_stats_new(&ds, &b, &c), EA_OK);
    cr_expect_eq(ea_iid_stats_compute(NULL, ds.raw, 1, out), EA_ERR_ARG);
    cr_expect_eq(ea_iid_stats_compute(c, NULL, 1, out), EA_ERR_ARG);
    cr_expect_eq(ea_iid_stats_compute(c, ds.raw, 1, NULL), EA_ERR_ARG);
    cr_expect_eq(ea_iid_stats_compute(c, ds.raw, UINT32_C(1) << EA_IID_NSTATS, out),
                 EA_ERR_ARG);
    cr_expect_eq(ea_iid_stats_compute(c, ds.raw, 0, out), EA_OK);
    ea_iid_stats_free(c);
    ea_iid_stats_free(NULL);
    ea_dataset_free(&ds);
}

/* ------------------------------------------------------ plain model */

/* Runs of equal values in v[0..len-1]: count and longest (the tool's
 * conventions for an empty sequence: 0 and 1). */
static void model_runs(const int *v, size_t len, double *count, double *longest)
{
    size_t runs = len > 0, run = 1, best = 0;

    for (size_t i = 1; i < len; i++) {
        if (v[i] == v[i - 1]) {
            run++;
        } else {
            runs++;
            best = run > best ? run : best;
            run = 1;
        }
    }
    *count = (double)runs;
    *longest = (double)(run > best ? run : best);
}

static void model_directional(const uint8_t *s, size_t len, int *tmp, double *out)
{
    size_t up = 0, steps = len > 0 ? len - 1 : 0;

    for (size_t i = 0; i < steps; i++) {
        tmp[i] = s[i] <= s[i + 1];
        up += (size_t)tmp[i];
    }
    model_runs(tmp, steps, &out[EA_IID_NUM_DIR_RUNS], &out[EA_IID_LEN_DIR_RUNS]);
    out[EA_IID_NUM_INC_DEC] = (double)(up > steps - up ? up : steps - up);
}

static void model_collision(const uint8_t *s, size_t len, double *out)
{
    size_t start = 0, total = 0, count = 0, longest = 0;

    for (size_t j = 0; j < len; j++) {
        for (size_t i = start; i < j; i++) {
            if (s[i] == s[j]) {
                size_t w = j - start + 1;
                total += w;
                count++;
                longest = w > longest ? w : longest;
                start = j + 1;
                break;
            }
        }
    }
    out[EA_IID_AVG_COLLISION] = (double)(int)total / (double)(int)count;
    out[EA_IID_MAX_COLLISION] = (double)longest;
}

static void model_lags(const uint8_t *s, const uint8_t *x, size_t len, double *out)
{
    static const size_t lags[5] = {1, 2, 8, 16, 32};

    for (int l = 0; l < 5; l++) {
        double eq = 0, prod = 0;
        for (size_t i = 0; i + lags[l] < len; i++) {
            eq += s[i] == s[i + lags[l]];
            prod += (double)x[i] * x[i + lags[l]];
        }
        out[EA_IID_PERIODICITY_1 + l] = eq;
        out[EA_IID_COVARIANCE_1 + l] = prod;
    }
}

/* Every statistic of one ordering (raw samples and their symbols). */
static void model(const uint8_t *raw, const uint8_t *sym, size_t n, int binary,
                  const ea_iid_baseline *b, double *out)
{
    size_t m = (n + 7) / 8;
    uint8_t *c1 = calloc(m, 1), *c2 = calloc(m, 1);
    int *tmp = malloc((n + 1) * sizeof(int));
    double sum = 0.0, best = 0.0;

    cr_assert(c1 != NULL && c2 != NULL && tmp != NULL);
    for (size_t i = 0; i < n; i++) {
        sum += raw[i];
        if (fabs(fma(-(double)(i + 1), b->raw_mean, sum)) > best)
            best = fabs(fma(-(double)(i + 1), b->raw_mean, sum));
        c1[i / 8] = (uint8_t)(c1[i / 8] + sym[i]);
        c2[i / 8] = (uint8_t)(c2[i / 8] | sym[i] << (7 - i % 8));
        tmp[i] = sym[i] >= (binary ? 0.5 : b->median);
    }
    out[EA_IID_EXCURSION] = best;
    model_runs(tmp, n, &out[EA_IID_NUM_RUNS_MEDIAN], &out[EA_IID_LEN_RUNS_MEDIAN]);
    model_directional(binary ? c1 : sym, binary ? m : n, tmp, out);
    model_collision(binary ? c2 : sym, binary ? m : n, out);
    model_lags(binary ? c1 : sym, binary ? c1 : raw, binary ? m : n, out);
    free(c1);
    free(c2);
    free(tmp);
}

/* Shuffle raw samples and symbols in tandem, as the tool does. */
static void shuffle_pair(uint8_t *raw, uint8_t *sym, size_t n, uint32_t *seed)
{
    for (size_t i = n - 1; i > 0; i--) {
        size_t r = next_rand(seed) % (i + 1);
        uint8_t t = raw[i];
        raw[i] = raw[r];
        raw[r] = t;
        t = sym[i];
        sym[i] = sym[r];
        sym[r] = t;
    }
}

static void check_against_model(const uint8_t *buf, size_t n, int bits, uint32_t *seed)
{
    ea_dataset ds;
    ea_iid_baseline b;
    ea_iid_stats_ctx *c;
    uint8_t *raw = malloc(n), *sym = malloc(n);
    long double got[NS];
    double want[NS];

    cr_assert(raw != NULL && sym != NULL);
    cr_assert_eq(ea_dataset_init(&ds, buf, n, bits), EA_OK);
    cr_assert_eq(ea_iid_baseline_compute(&ds, &b), EA_OK);
    cr_assert_eq(ea_iid_stats_new(&ds, &b, &c), EA_OK);
    memcpy(raw, ds.raw, n);
    memcpy(sym, ds.symbols, n);
    for (int order = 0; order < 3; order++) {
        cr_assert_eq(ea_iid_stats_compute(c, raw, EA_IID_CHEAP_STATS, got), EA_OK);
        model(raw, sym, n, ds.alph_size == 2, &b, want);
        for (int id = 0; id < EA_IID_COMPRESSION; id++) {
            if (isnan(want[id]))
                cr_expect(isnan((double)got[id]), "n %zu: %d not NaN", n, id);
            else
                cr_expect((double)got[id] == want[id], "n %zu k %d: %s %.17g, model %.17g", n,
                          ds.alph_size, ea_iid_stat_name((ea_iid_stat_id)id),
                          (double)got[id], want[id]);
        }
        shuffle_pair(raw, sym, n, seed);
    }
    ea_iid_stats_free(c);
    ea_dataset_free(&ds);
    free(raw);
    free(sym);
}

/* Random data: k values drawn from 0..2^bits-1, uniform or sticky. */
static void random_data(uint8_t *buf, size_t n, unsigned bits, unsigned k, int sticky,
                        uint32_t *seed)
{
    uint8_t vals[256];
    unsigned range = 1u << bits, cur = 0;

    for (unsigned i = 0; i < k; i++)
        vals[i] = (uint8_t)((i * (range / k) + next_rand(seed) % (range / k)) % range);
    for (size_t i = 0; i < n; i++) {
        if (!sticky || next_rand(seed) % 8 == 0)
            cur = next_rand(seed) % k;
        buf[i] = vals[cur];
    }
}

Test(iid_stats, model_small_lengths)
{
    uint32_t seed = 12345u;
    uint8_t buf[300];

    for (size_t n = 1; n <= 300; n += (n < 80 ? 1 : 7)) {
        unsigned bits = 1 + next_rand(&seed) % 8;
        unsigned k = 1 + next_rand(&seed) % (1u << bits);
        random_data(buf, n, bits, k, (int)(n % 2), &seed);
        check_against_model(buf, n, 0, &seed);
    }
}

Test(iid_stats, model_long_byte_data)
{
    static const unsigned ks[] = {3, 16, 100, 256};
    uint32_t seed = 777u;
    size_t n = 70001;
    uint8_t *buf = malloc(n);

    cr_assert(buf != NULL);
    for (int t = 0; t < 4; t++) {
        random_data(buf, n, 8, ks[t], t == 1, &seed);
        check_against_model(buf, n, 8, &seed);
    }
    free(buf);
}

Test(iid_stats, model_long_binary_data)
{
    uint32_t seed = 4242u;
    size_t n = 50003;
    uint8_t *buf = malloc(n);

    cr_assert(buf != NULL);
    random_data(buf, n, 1, 2, 0, &seed);
    check_against_model(buf, n, 1, &seed);
    for (size_t i = 0; i < n; i++)  /* two symbols that are not 0 and 1 */
        buf[i] = next_rand(&seed) % 3 ? 0x80 : 0x10;
    check_against_model(buf, n, 8, &seed);
    free(buf);
}
