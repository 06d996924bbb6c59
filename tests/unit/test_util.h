/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_util.h - helpers shared by the unit tests of the estimators:
 * reproducible pseudo-random data, and the checks that the predictor
 * estimates (§6.3.7-6.3.10, one signature for all four) have in common.
 *
 * Everything is static inline: every .c file in tests/unit is linked
 * into one Criterion binary, and each file takes only what it uses.
 */
#ifndef EA_TEST_UTIL_H
#define EA_TEST_UTIL_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ea90b.h"

#if defined(__GNUC__) || defined(__clang__)
#define TU_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define TU_PRINTF(fmt, args)
#endif

/* ------------------------------------------------------------ data */

/* Small deterministic generator (xorshift): the next value of *x != 0. */
static inline uint32_t tu_next_rand(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* A reproducible pseudo-random sequence of n symbols below k (free() it). */
static inline uint8_t *tu_lcg_sequence(size_t n, unsigned k, uint64_t seed)
{
    uint8_t *s = malloc(n);
    uint64_t x = seed;

    cr_assert_not_null(s);
    for (size_t i = 0; i < n; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        s[i] = (uint8_t)((x >> 33) % k);
    }
    return s;
}

/* n reproducible pseudo-random bits, or NULL without memory (free() it). */
static inline uint8_t *tu_lcg_bits(size_t n, uint32_t seed)
{
    uint8_t *s = malloc(n);

    for (size_t i = 0; s != NULL && i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        s[i] = (uint8_t)(seed >> 31);
    }
    return s;
}

/* 0, 1, ..., p - 1, 0, 1, ... (n samples; free() it). */
static inline uint8_t *tu_periodic(size_t n, unsigned p)
{
    uint8_t *s = malloc(n);

    cr_assert_not_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)(i % p);
    return s;
}

/* ------------------------------------------------------ predictors */

/* ea_multi_mcw(), ea_lag(), ea_multi_mmc(), ea_lz78y() */
typedef ea_status (*tu_predictor)(const uint8_t *s, size_t n, int k, ea_predictor_result *r);

/* A plain per-sample model of a predictor: C and the longest run of correct guesses. */
typedef void (*tu_model)(const uint8_t *s, size_t n, int k, long *C, long *max_run);

static inline void tu_expect_counts(const ea_predictor_result *r, long C, long N, long rr)
{
    cr_assert_eq(r->C, C, "C = %ld, expected %ld", r->C, C);
    cr_assert_eq(r->N, N, "N = %ld, expected %ld", r->N, N);
    cr_assert_eq(r->r, rr, "r = %ld, expected %ld", r->r, rr);
}

/* No NaN, and no entropy below 0 beyond rounding. */
static inline void tu_expect_no_nan(const ea_predictor_result *r)
{
    cr_assert(!isnan(r->p_global) && !isnan(r->p_global_prime) && !isnan(r->h));
    cr_assert(r->h >= 0.0 || fabs(r->h) < 1e-12);
}

/* Finite probabilities and a finite entropy >= 0. */
static inline void tu_expect_finite(const ea_predictor_result *r)
{
    cr_assert(isfinite(r->p_global));
    cr_assert(isfinite(r->p_global_prime));
    cr_assert(isfinite(r->h));
    cr_assert(r->h >= 0.0);
}

/* tu_lcg_sequence(n, k, seed) and the C, N and r that NIST's tool gives for it. */
typedef struct {
    unsigned k;
    uint64_t seed;
    long C, N, r;
} tu_reference;

/* f on each of the `count` cases (n samples each) gives the tool's C, N and r. */
static inline void tu_expect_references(tu_predictor f, size_t n, const tu_reference *cases,
                                        size_t count)
{
    for (size_t c = 0; c < count; c++) {
        uint8_t *s = tu_lcg_sequence(n, cases[c].k, cases[c].seed);
        ea_predictor_result r;
        cr_assert_eq(f(s, n, (int)cases[c].k, &r), EA_OK);
        tu_expect_counts(&r, cases[c].C, cases[c].N, cases[c].r);
        tu_expect_no_nan(&r);
        free(s);
    }
}

/*
 * n zero samples, as binary and as 3-symbol data: N guesses, all right
 * (C = N, r = N + 1), P_global' = 1 and no entropy.
 */
static inline void tu_expect_constant(tu_predictor f, size_t n, long N)
{
    uint8_t *s = calloc(n, 1);
    ea_predictor_result r;

    cr_assert_not_null(s);
    for (int k = 2; k <= 3; k++) {
        cr_assert_eq(f(s, n, k, &r), EA_OK);
        cr_assert_eq(r.C, N, "k=%d: C %ld, expected %ld", k, r.C, N);
        cr_assert_eq(r.N, N, "k=%d: N %ld, expected %ld", k, r.N, N);
        cr_assert_eq(r.r, N + 1, "k=%d: r %ld, expected %ld", k, r.r, N + 1);
        cr_assert_float_eq(r.p_global_prime, 1.0, 1e-15);
        cr_assert_float_eq(r.h, 0.0, 1e-15);
    }
    free(s);
}

/*
 * Binary data given as a 3-symbol alphabet go through the general path:
 * C, N and r must be those of the binary path. The results of both
 * are left in *r2 and *r3.
 */
static inline void tu_run_both_paths(tu_predictor f, const uint8_t *s, size_t n,
                                     ea_predictor_result *r2, ea_predictor_result *r3)
{
    cr_assert_eq(f(s, n, 2, r2), EA_OK);
    cr_assert_eq(f(s, n, 3, r3), EA_OK);
    tu_expect_counts(r3, r2->C, r2->N, r2->r);
}

/*
 * n pseudo-random bits (tu_lcg_sequence(n, 2, seed)) give the tool's C,
 * N and r on the binary path, and the same C, N, r and P_global on the
 * general path.
 */
static inline void tu_expect_paths_agree(tu_predictor f, size_t n, uint64_t seed,
                                         long C, long N, long rr)
{
    uint8_t *s = tu_lcg_sequence(n, 2, seed);
    ea_predictor_result r2, r3;

    tu_run_both_paths(f, s, n, &r2, &r3);
    tu_expect_counts(&r2, C, N, rr);
    cr_assert_float_eq(r2.p_global, r3.p_global, 1e-12);
    free(s);
}

/*
 * f on tu_periodic(n, p) as k-symbol data: these C, N and r, and
 * P_global = C / N. f's result is left in *r.
 */
static inline void tu_expect_periodic(tu_predictor f, size_t n, unsigned p, int k,
                                      long C, long N, long rr, ea_predictor_result *r)
{
    uint8_t *s = tu_periodic(n, p);

    cr_assert_eq(f(s, n, k, r), EA_OK);
    tu_expect_counts(r, C, N, rr);
    cr_assert_float_eq(r->p_global, (double)C / (double)N, 1e-12);
    free(s);
}

/*
 * f agrees with the plain model on s: the same C, and r = the model's
 * longest run plus one. `fmt`, ... name the case in failure messages.
 * f's result is left in *r.
 */
TU_PRINTF(7, 8)
static inline void tu_expect_model(tu_predictor f, tu_model model, const uint8_t *s, size_t n,
                                   int k, ea_predictor_result *r, const char *fmt, ...)
{
    char what[128];
    long C, run;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    model(s, n, k, &C, &run);
    cr_assert_eq(f(s, n, k, r), EA_OK, "%s", what);
    cr_assert_eq(r->C, C, "%s: C %ld, model %ld", what, r->C, C);
    cr_assert_eq(r->r, run + 1, "%s: r %ld, model %ld", what, r->r, run + 1);
}

/* Fewer than min_n samples (s holds min_n): EA_ERR_TOO_SHORT, for k = 2 and 3. */
static inline void tu_expect_too_short(tu_predictor f, const uint8_t *s, size_t min_n)
{
    ea_predictor_result r;

    for (size_t n = 0; n < min_n; n++) {
        cr_assert_eq(f(s, n, 2, &r), EA_ERR_TOO_SHORT, "n = %zu", n);
        cr_assert_eq(f(s, n, 3, &r), EA_ERR_TOO_SHORT, "n = %zu", n);
    }
}

/*
 * The shortest input: fewer than min_n samples are too short, and the
 * first min_n samples of s give these C, N and r, on both paths.
 */
static inline void tu_expect_shortest(tu_predictor f, const uint8_t *s, size_t min_n,
                                      long C, long N, long rr)
{
    ea_predictor_result r2, r3;

    tu_expect_too_short(f, s, min_n);
    tu_run_both_paths(f, s, min_n, &r2, &r3);
    tu_expect_counts(&r2, C, N, rr);
    tu_expect_no_nan(&r2);
    tu_expect_no_nan(&r3);
}

/* EA_ERR_ARG without data or result, and for k outside 2..256 (s: valid below k). */
static inline void tu_expect_argument_errors(tu_predictor f, const uint8_t *s, size_t n, int k)
{
    ea_predictor_result r;

    cr_assert_eq(f(NULL, n, k, &r), EA_ERR_ARG);
    cr_assert_eq(f(s, n, k, NULL), EA_ERR_ARG);
    cr_assert_eq(f(s, n, 1, &r), EA_ERR_ARG);
    cr_assert_eq(f(s, n, 257, &r), EA_ERR_ARG);
}

#endif
