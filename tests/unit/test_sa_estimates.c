/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sa_estimates.c - unit tests for ea_sa_estimates(): SP 800-90B
 * §6.3.5 t-Tuple and §6.3.6 LRS estimates.
 *
 * Expected values come from tuple counts obtained independently of the
 * library: written out by hand, from closed forms for periodic strings, or
 * by comparing every pair of positions symbol by symbol. The estimates are
 * then formed from those counts with the formulas of §6.3.5 / §6.3.6.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"
#include "numeric.h"
#include "test_util.h"

#define EPS 1e-12

/* Tuple statistics: q[t] = occurrences of the most common t-tuple,
 * s[t] = sum over distinct t-tuples of C(count, 2), for 1 <= t <= v. */
typedef struct {
    size_t n;
    long v;
    long *q;
    unsigned long long *s;
} counts;

static void counts_free(counts *c)
{
    free(c->q);
    free(c->s);
}

/* Brute force: the LCP of every pair of positions. O(n^2 * lcp). */
static counts naive_counts(const uint8_t *s, size_t n)
{
    counts c;
    size_t *hist = calloc(n + 1, sizeof *hist);

    c.n = n;
    c.v = 0;
    c.q = calloc(n + 1, sizeof *c.q);
    c.s = calloc(n + 1, sizeof *c.s);
    cr_assert(hist != NULL && c.q != NULL && c.s != NULL);
    for (size_t i = 0; i < n; i++) {
        size_t above = 0;
        memset(hist, 0, (n + 1) * sizeof *hist);
        for (size_t j = 0; j < n; j++) {
            size_t l = 0;
            if (j == i)
                continue;
            while (i + l < n && j + l < n && s[i + l] == s[j + l])
                l++;
            hist[l]++;
            if ((long)l > c.v)
                c.v = (long)l;
        }
        /* positions sharing >= t symbols with i, for t = n..1 */
        for (size_t t = n; t >= 1; t--) {
            above += hist[t];
            if (above > 0 && (long)(above + 1) > c.q[t])
                c.q[t] = (long)(above + 1);
            c.s[t] += above;  /* each pair is seen from both ends */
        }
    }
    for (size_t t = 1; t <= n; t++)
        c.s[t] /= 2;
    free(hist);
    return c;
}

/* Closed form for a string of period p whose p symbols are distinct. */
static counts periodic_counts(size_t n, size_t p)
{
    counts c;

    c.n = n;
    c.v = (long)(n - p);
    c.q = calloc(n + 1, sizeof *c.q);
    c.s = calloc(n + 1, sizeof *c.s);
    cr_assert(c.q != NULL && c.s != NULL);
    for (size_t t = 1; t <= n - p; t++) {
        for (size_t ph = 0; ph < p && ph + t <= n; ph++) {
            unsigned long long k = (n - t - ph) / p + 1;  /* starts at phase ph */
            if ((long)k > c.q[t])
                c.q[t] = (long)k;
            c.s[t] += k * (k - 1) / 2;
        }
    }
    return c;
}

static long double bound(long double p, size_t n)
{
    long double pu = p + EA_ZALPHA_L * sqrtl(p * (1.0L - p) / (long double)(n - 1));
    return pu > 1.0L ? 1.0L : pu;
}

/* §6.3.5 and §6.3.6 from the counts. */
static void expected(const counts *c, ea_ttuple_result *tt, ea_lrs_result *lrs)
{
    long u = 1;
    long double best = 0.0L;

    memset(tt, 0, sizeof *tt);
    memset(lrs, 0, sizeof *lrs);
    while (u <= c->v && c->q[u] >= 35)
        u++;
    tt->t = u - 1;
    for (long i = 1; i < u; i++) {
        long double r = powl((long double)c->q[i] / (long double)(c->n - (size_t)i + 1),
                             1.0L / (long double)i);
        if (r > best)
            best = r;
    }
    if (u > 1) {
        tt->valid = 1;
        tt->p_hat_max = best;
        tt->p_u = bound(best, c->n);
        tt->h = (double)-log2l(tt->p_u);
    }
    lrs->u = u;
    lrs->v = c->v;
    best = 0.0L;
    for (long w = u; w <= c->v; w++) {
        unsigned long long m = c->n - (size_t)w + 1;
        long double r = powl((long double)c->s[w] / (long double)(m * (m - 1) / 2),
                             1.0L / (long double)w);
        if (r > best)
            best = r;
    }
    if (c->v >= u) {
        lrs->valid = 1;
        lrs->p_hat = best;
        lrs->p_u = bound(best, c->n);
        lrs->h = (double)-log2l(lrs->p_u);
    }
}

static void check_against(const uint8_t *s, size_t n, int k, const counts *c)
{
    ea_ttuple_result tt, ett;
    ea_lrs_result lrs, elrs;

    expected(c, &ett, &elrs);
    cr_assert_eq(ea_sa_estimates(s, n, k, &tt, &lrs), EA_OK);
    cr_assert_eq(tt.valid, ett.valid, "n=%zu k=%d", n, k);
    cr_assert_eq(tt.t, ett.t, "n=%zu k=%d: t %ld vs %ld", n, k, tt.t, ett.t);
    if (ett.valid) {
        cr_assert_float_eq(tt.p_hat_max, ett.p_hat_max, EPS);
        cr_assert_float_eq(tt.p_u, ett.p_u, EPS);
        cr_assert_float_eq(tt.h, ett.h, EPS);
        cr_assert(!isnan(tt.h));
    }
    cr_assert_eq(lrs.valid, elrs.valid, "n=%zu k=%d", n, k);
    cr_assert_eq(lrs.u, elrs.u, "n=%zu k=%d: u %ld vs %ld", n, k, lrs.u, elrs.u);
    cr_assert_eq(lrs.v, elrs.v, "n=%zu k=%d: v %ld vs %ld", n, k, lrs.v, elrs.v);
    if (elrs.valid) {
        cr_assert_float_eq(lrs.p_hat, elrs.p_hat, EPS);
        cr_assert_float_eq(lrs.p_u, elrs.p_u, EPS);
        cr_assert_float_eq(lrs.h, elrs.h, EPS);
        cr_assert(!isnan(lrs.h));
    }
}

static void check_naive(const uint8_t *s, size_t n, int k)
{
    counts c = naive_counts(s, n);
    check_against(s, n, k, &c);
    counts_free(&c);
}

/* Deterministic pseudo-random symbols (xorshift), optionally biased. */
static uint8_t *random_string(size_t n, int k, unsigned seed, int bias_pct)
{
    uint8_t *s = malloc(n);
    uint32_t x = 2463534242u ^ seed;

    cr_assert(s != NULL);
    for (size_t i = 0; i < n; i++) {
        tu_next_rand(&x);
        s[i] = (int)(x % 100u) < bias_pct ? 0 : (uint8_t)((x >> 8) % (uint32_t)k);
    }
    return s;
}

/* 0, 1, ..., p - 1 repeated up to n symbols, over k symbols, against the closed form. */
static void check_periodic(size_t n, size_t p, int k)
{
    uint8_t *s = malloc(n);
    counts c;

    cr_assert(s != NULL);
    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)(i % p);
    c = periodic_counts(n, p);
    check_against(s, n, k, &c);
    counts_free(&c);
    free(s);
}

/* ------------------------------------------------------------------ */

Test(sa_estimates, bad_arguments)
{
    const uint8_t s[4] = {0, 1, 0, 1};
    const uint8_t wide[4] = {0, 1, 2, 1};
    ea_ttuple_result tt;
    ea_lrs_result lrs;

    cr_assert_eq(ea_sa_estimates(NULL, 4, 2, &tt, &lrs), EA_ERR_ARG);
    cr_assert_eq(ea_sa_estimates(s, 4, 2, NULL, &lrs), EA_ERR_ARG);
    cr_assert_eq(ea_sa_estimates(s, 4, 2, &tt, NULL), EA_ERR_ARG);
    cr_assert_eq(ea_sa_estimates(s, 4, 0, &tt, &lrs), EA_ERR_ARG);
    cr_assert_eq(ea_sa_estimates(s, 4, 257, &tt, &lrs), EA_ERR_ARG);
    /* a symbol outside 0..k-1 */
    cr_assert_eq(ea_sa_estimates(wide, 4, 2, &tt, &lrs), EA_ERR_ARG);
    cr_assert_eq(ea_sa_estimates(wide, 4, 3, &tt, &lrs), EA_OK);
}

Test(sa_estimates, too_short)
{
    const uint8_t s[1] = {0};
    ea_ttuple_result tt;
    ea_lrs_result lrs;

    cr_assert_eq(ea_sa_estimates(s, 0, 2, &tt, &lrs), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_sa_estimates(s, 1, 2, &tt, &lrs), EA_ERR_TOO_SHORT);
    cr_assert_eq(tt.valid, 0);
    cr_assert_eq(lrs.valid, 0);
}

/* "00": one repeat of length 1, far from 35 occurrences. */
Test(sa_estimates, two_equal_symbols)
{
    const uint8_t s[2] = {0, 0};
    ea_ttuple_result tt;
    ea_lrs_result lrs;

    cr_assert_eq(ea_sa_estimates(s, 2, 2, &tt, &lrs), EA_OK);
    cr_assert_eq(tt.valid, 0);
    cr_assert_eq(tt.t, 0);
    cr_assert_eq(lrs.valid, 1);
    cr_assert_eq(lrs.u, 1);
    cr_assert_eq(lrs.v, 1);
    /* one pair out of C(2, 2) = 1 */
    cr_assert_float_eq(lrs.p_hat, 1.0L, EPS);
    cr_assert_float_eq(lrs.p_u, 1.0L, EPS);
    cr_assert(fabs(lrs.h) < EPS);
}

/* No symbol repeats: v = 0, both estimates omitted. */
Test(sa_estimates, nothing_repeats)
{
    const uint8_t s[5] = {4, 0, 3, 1, 2};
    ea_ttuple_result tt;
    ea_lrs_result lrs;

    cr_assert_eq(ea_sa_estimates(s, 5, 5, &tt, &lrs), EA_OK);
    cr_assert_eq(tt.valid, 0);
    cr_assert_eq(lrs.valid, 0);
    cr_assert_eq(lrs.v, 0);
}

/*
 * "0123456789" four times: every tuple occurs at most 4 times, so no
 * t-tuple estimate; u = 1 and the longest repeat is 30 symbols.
 * For W = 1: ten symbols, each 4 times: S = 10 * C(4,2) = 60 of C(40,2).
 */
Test(sa_estimates, short_periodic_by_hand)
{
    uint8_t s[40];
    ea_ttuple_result tt;
    ea_lrs_result lrs;

    for (int i = 0; i < 40; i++)
        s[i] = (uint8_t)(i % 10);
    cr_assert_eq(ea_sa_estimates(s, 40, 10, &tt, &lrs), EA_OK);
    cr_assert_eq(tt.valid, 0);
    cr_assert_eq(lrs.valid, 1);
    cr_assert_eq(lrs.u, 1);
    cr_assert_eq(lrs.v, 30);
    /* P_1 = 60/780; longer W only add roots closer to 1, so check >= */
    cr_assert(lrs.p_hat >= 60.0L / 780.0L - EPS);
    {
        counts c = periodic_counts(40, 10);
        cr_assert_eq(c.s[1], 60u);
        check_against(s, 40, 10, &c);
        counts_free(&c);
    }
}

/*
 * "01" fifty times: the most common t-tuple starts at every even position,
 * floor((100 - t) / 2) + 1 times, which is >= 35 exactly for t <= 32.
 */
Test(sa_estimates, alternating_bits_by_hand)
{
    uint8_t s[100];
    ea_ttuple_result tt;
    ea_lrs_result lrs;
    long double best = 0.0L;

    for (int i = 0; i < 100; i++)
        s[i] = (uint8_t)(i & 1);
    cr_assert_eq(ea_sa_estimates(s, 100, 2, &tt, &lrs), EA_OK);
    cr_assert_eq(tt.valid, 1);
    cr_assert_eq(tt.t, 32);
    for (int i = 1; i <= 32; i++) {
        long double r = powl((long double)((100 - i) / 2 + 1) / (long double)(101 - i),
                             1.0L / (long double)i);
        if (r > best)
            best = r;
    }
    cr_assert_float_eq(tt.p_hat_max, best, EPS);
    cr_assert_eq(lrs.u, 33);
    cr_assert_eq(lrs.v, 98);
    cr_assert_eq(lrs.valid, 1);
    check_periodic(100, 2, 2);
}

/* A constant string: every tuple is the same, probabilities 1, entropy 0. */
Test(sa_estimates, constant_string)
{
    uint8_t s[100];
    ea_ttuple_result tt;
    ea_lrs_result lrs;

    memset(s, 1, sizeof s);
    cr_assert_eq(ea_sa_estimates(s, 100, 2, &tt, &lrs), EA_OK);
    cr_assert_eq(tt.valid, 1);
    cr_assert_eq(tt.t, 66);   /* 101 - t >= 35 */
    cr_assert_float_eq(tt.p_hat_max, 1.0L, EPS);
    cr_assert_float_eq(tt.p_u, 1.0L, EPS);
    cr_assert(fabs(tt.h) < EPS);
    cr_assert_eq(lrs.valid, 1);
    cr_assert_eq(lrs.u, 67);
    cr_assert_eq(lrs.v, 99);
    cr_assert_float_eq(lrs.p_hat, 1.0L, EPS);
    cr_assert(fabs(lrs.h) < EPS);
}

/* All but one symbol identical. */
Test(sa_estimates, all_but_one_identical)
{
    uint8_t s[300];

    memset(s, 0, sizeof s);
    s[150] = 1;
    check_naive(s, sizeof s, 2);
}

/* Random strings over every packing width, checked pair by pair. */
Test(sa_estimates, random_strings_match_brute_force)
{
    const int ks[] = {1, 2, 3, 4, 5, 16, 17, 256};

    for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++) {
        for (unsigned seed = 1; seed <= 2; seed++) {
            /* odd lengths too; k = 1 is constant, cubic for the brute force */
            size_t n = (ks[j] == 1 ? 200 : 1500) + 37 * seed + (size_t)j;
            uint8_t *s = random_string(n, ks[j], seed, 0);
            check_naive(s, n, ks[j]);
            free(s);
        }
    }
}

/* Biased strings: long runs, tuples repeated >= 35 times. */
Test(sa_estimates, biased_strings_match_brute_force)
{
    const int ks[] = {2, 4, 16, 256};

    for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++) {
        size_t n = 1200 + (size_t)j;
        uint8_t *s = random_string(n, ks[j], 7u + (unsigned)j, 85);
        check_naive(s, n, ks[j]);
        free(s);
    }
}

/*
 * Long periodic strings: repeats as long as the string, the case that
 * made NIST's tool run for hours. Checked against the closed form; these
 * sizes also exercise the switch to the linear-time LCP method.
 */
Test(sa_estimates, long_periodic_strings)
{
    const size_t periods[] = {1, 2, 3, 4, 5, 16, 200};

    for (size_t j = 0; j < sizeof periods / sizeof periods[0]; j++) {
        size_t p = periods[j];
        check_periodic(60000 + j, p, p < 2 ? 2 : (int)p);
    }
}

/*
 * Repetitive strings shorter than one block of LCP values: the switch to
 * the linear-time method happens before anything was delivered, including
 * within the last, partial block.
 */
Test(sa_estimates, short_repetitive_strings)
{
    const size_t periods[] = {1, 2, 3, 4, 7, 16, 50};
    const int alphabets[] = {2, 4, 16, 256};

    for (size_t j = 0; j < sizeof periods / sizeof periods[0]; j++) {
        for (size_t a = 0; a < sizeof alphabets / sizeof alphabets[0]; a++) {
            size_t p = periods[j];
            if ((int)p <= alphabets[a])
                check_periodic(4000 - 13 * a, p, alphabets[a]);
        }
    }
}

/*
 * Tuples longer than 65536 symbols occurring >= 35 times: the t-tuple
 * maximum over such lengths is kept without a per-length array.
 */
Test(sa_estimates, very_deep_tuples)
{
    const size_t periods[] = {1, 2, 3, 41};
    const int alphabets[] = {2, 2, 4, 256};

    for (size_t j = 0; j < sizeof periods / sizeof periods[0]; j++) {
        size_t p = periods[j], n = 150000 + j;
        counts c = periodic_counts(n, p);
        cr_assert(c.q[70000] >= 35);
        counts_free(&c);
        check_periodic(n, p, alphabets[j]);
    }
}
