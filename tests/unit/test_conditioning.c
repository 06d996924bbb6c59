/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_conditioning.c - unit tests for SP 800-90B §3.1.5 (ea_conditioning_*): argument
 * checks, the non-vetted minimum, and Output_Entropy against the formula evaluated directly
 * in long double where that is accurate (moderate parameters).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "ea90b.h"

/* §3.1.5.1.2 evaluated naively (fine for n_in <= 64). */
static long double naive(unsigned n_in, unsigned n_out, unsigned nw, long double h)
{
    long double ph, pl, psi, u, om;
    unsigned n;

    nw = nw < n_in ? nw : n_in;
    n = n_out < nw ? n_out : nw;
    ph = exp2l(-h);
    pl = (1.0L - ph) / (exp2l((long double)n_in) - 1.0L);
    psi = fminl(1.0L, exp2l((long double)(n_in - n)) * pl + ph);
    u = exp2l((long double)(n_in - n)) + sqrtl(2.0L * n * exp2l((long double)(n_in - n)) * logl(2.0L));
    om = fminl(1.0L, u * pl);
    return -log2l(fmaxl(psi, om));
}

Test(conditioning, matches_naive_formula)
{
    static const unsigned p[][3] = { {16, 8, 8}, {32, 16, 16}, {48, 32, 24}, {64, 32, 32}, {20, 20, 20} };
    static const long double hs[] = { 0.5L, 3.0L, 7.9L, 12.0L, 15.5L };
    ea_conditioning_result r;

    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        for (size_t j = 0; j < sizeof hs / sizeof hs[0]; j++) {
            long double want = naive(p[i][0], p[i][1], p[i][2], hs[j]);

            cr_assert_eq(ea_conditioning_vetted(p[i][0], p[i][1], p[i][2], hs[j], &r), EA_OK);
            cr_assert(fabsl(r.output_entropy - want) <= 1e-12L * want,
                      "%u %u %u %Lg: %.20Lg vs %.20Lg", p[i][0], p[i][1], p[i][2], hs[j],
                      r.output_entropy, want);
            cr_assert(r.output_entropy < hs[j] || r.output_entropy == hs[j]);
            cr_assert_eq(r.h_out, r.output_entropy);
        }
}

Test(conditioning, bounds_and_full_entropy)
{
    ea_conditioning_result r;

    /* lots of input entropy: close to n_out, never above */
    cr_assert_eq(ea_conditioning_vetted(1024, 256, 512, 400.0L, &r), EA_OK);
    cr_assert(r.output_entropy <= 256.0L);
    cr_assert(r.nout_eps_exp > 150.0L && r.nout_eps_exp < 153.0L);
    cr_assert_eq(r.nw, 512);
    cr_assert_eq(r.n, 256);
    cr_assert_eq(r.mpfr_bits, 2048);
    /* nw is reduced to n_in (Appendix E) */
    cr_assert_eq(ea_conditioning_vetted(64, 64, 128, 10.0L, &r), EA_OK);
    cr_assert_eq(r.nw, 64);
}

Test(conditioning, nonvetted_minimum)
{
    ea_conditioning_result r;

    cr_assert_eq(ea_conditioning_nonvetted(1024, 256, 512, 300.0L, 0.5L, &r), EA_OK);
    cr_assert_eq(r.stat_bound, 128.0L);
    cr_assert_eq(r.h_out, 128.0L);
    cr_assert_eq(ea_conditioning_nonvetted(512, 256, 256, 170.0L, 0.9L, &r), EA_OK);
    cr_assert_eq(r.h_out, r.output_entropy);     /* h_in limits */
    cr_assert(r.bound_90b <= 0.999L * 256.0L);   /* rounded toward zero */
    cr_assert_eq(ea_conditioning_nonvetted(384, 256, 256, 300.0L, 1.0L, &r), EA_OK);
    cr_assert_eq(r.h_out, r.bound_90b);          /* the 0.999 n_out cap */
}

Test(conditioning, huge_parameters_stay_finite)
{
    ea_conditioning_result r;

    /* far beyond the exponent range of long double: 2^-4000000000 */
    cr_assert_eq(ea_conditioning_vetted(4000000000u, 256, 4000000000u, 3000000000.0L, &r), EA_OK);
    cr_assert(isfinite(r.output_entropy) && r.output_entropy <= 256.0L && r.output_entropy > 255.0L);
    cr_assert(isfinite(r.nout_eps_exp) && r.nout_eps_exp > 1000.0L);
    cr_assert_eq(ea_conditioning_vetted(4000000000u, 4000000000u, 4000000000u, 1e-3L, &r), EA_OK);
    /* h_in - Output_Entropy is about 2^-4e9: below a long double's resolution */
    cr_assert(r.output_entropy == 1e-3L);
    cr_assert(isfinite(r.hin_eps_exp) && r.hin_eps_exp > 1e9L);
}

/*
 * n_in = 1: psi = P_low + P_high = 1, so Output_Entropy is 0. NIST's tool negates log2(1)
 * into -0 and prints "-0"; ours is +0, and so are h_out and the epsilon exponents.
 */
Test(conditioning, n_in_one_gives_plus_zero)
{
    ea_conditioning_result r;

    cr_assert_eq(ea_conditioning_vetted(1, 1, 1, 1.0L, &r), EA_OK);
    cr_assert(r.output_entropy == 0.0L && !signbit(r.output_entropy));
    cr_assert(r.h_out == 0.0L && !signbit(r.h_out));
    cr_assert(!signbit(r.nout_eps_exp) && !signbit(r.hin_eps_exp) && !signbit(r.nw_eps_exp));
    cr_assert_eq(ea_conditioning_nonvetted(1, 1, 1, 0.5L, 0.5L, &r), EA_OK);
    cr_assert(r.h_out == 0.0L && !signbit(r.h_out));
    cr_assert_eq(ea_conditioning_vetted(1, 8, 8, 1.0L, &r), EA_OK);
    cr_assert(r.output_entropy == 0.0L && !signbit(r.output_entropy));
}

Test(conditioning, bad_parameters)
{
    ea_conditioning_result r;

    cr_assert_eq(ea_conditioning_vetted(0, 256, 256, 1.0L, &r), EA_ERR_ARG);
    cr_assert_eq(ea_conditioning_vetted(256, 0, 256, 1.0L, &r), EA_ERR_ARG);
    cr_assert_eq(ea_conditioning_vetted(256, 256, 0, 1.0L, &r), EA_ERR_ARG);
    cr_assert_eq(ea_conditioning_vetted(256, 256, 256, 0.0L, &r), EA_ERR_ARG);
    cr_assert_eq(ea_conditioning_vetted(256, 256, 256, 256.5L, &r), EA_ERR_ARG);
    cr_assert_eq(ea_conditioning_vetted(256, 256, 256, (long double)NAN, &r), EA_ERR_ARG);
    cr_assert_eq(ea_conditioning_nonvetted(256, 256, 256, 100.0L, 1.5L, &r), EA_ERR_ARG);
    cr_assert_eq(ea_conditioning_nonvetted(256, 256, 256, 100.0L, -0.1L, &r), EA_ERR_ARG);
    cr_assert_eq(ea_conditioning_vetted(256, 256, 256, 1.0L, NULL), EA_ERR_ARG);
}

Test(conditioning, hprime_from_data)
{
    uint8_t buf[4096];
    ea_dataset ds;
    long double hp;
    uint32_t x = 99u;

    for (size_t i = 0; i < sizeof buf; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        buf[i] = (uint8_t)(x >> 24);
    }
    cr_assert_eq(ea_dataset_init(&ds, buf, sizeof buf, 0), EA_OK);
    cr_assert_eq(ea_conditioning_hprime(&ds, 1, 1, &hp), EA_OK);
    cr_assert(hp > 0.9L && hp <= 1.0L, "h' %Lg", hp);
    ea_dataset_free(&ds);
}

/*
 * One-symbol conditioned output: NIST's ea_conditioning estimates h' from the bits of a stuck
 * output ('A' = 1000001b gives about 0.4); ea_non_iid refuses such data, and so does h' from
 * data, in both tracks, the same way (EA_ERR_ONE_SYMBOL). h' is left untouched.
 */
Test(conditioning, hprime_one_symbol_refused_in_both_modes)
{
    uint8_t s[1500];
    ea_dataset ds;
    long double h_iid = -1.0L, h_non = -1.0L;

    memset(s, 'A', sizeof s);
    cr_assert_eq(ea_dataset_init(&ds, s, sizeof s, 0), EA_OK);
    cr_assert_eq(ds.alph_size, 1);
    cr_assert_eq(ea_conditioning_hprime(&ds, 1, 1, &h_iid), EA_ERR_ONE_SYMBOL);
    cr_assert_eq(ea_conditioning_hprime(&ds, 0, 2, &h_non), EA_ERR_ONE_SYMBOL);
    cr_assert(h_iid == -1.0L && h_non == -1.0L);
    ea_dataset_free(&ds);
    memset(s, 0xFF, sizeof s);
    cr_assert_eq(ea_dataset_init(&ds, s, sizeof s, 0), EA_OK);
    cr_assert_eq(ea_conditioning_hprime(&ds, 1, 1, &h_iid), EA_ERR_ONE_SYMBOL);
    cr_assert_eq(ea_conditioning_hprime(&ds, 0, 1, &h_non), EA_ERR_ONE_SYMBOL);
    ea_dataset_free(&ds);
}

/*
 * Too short for ea_non_iid -c: the bitstring needs EA_NONIID_MIN_BINARY (19) bits, in both
 * tracks. Two 8-bit samples (16 bits) are refused, three (24 bits) accepted; 1-bit data needs
 * 19 samples.
 */
Test(conditioning, hprime_too_short_refused_in_both_modes)
{
    uint8_t s[19] = { 'a', 'b', 'c' };
    ea_dataset ds;
    long double hp = -1.0L;

    cr_assert_eq(ea_dataset_init(&ds, s, 2, 0), EA_OK);
    cr_assert_eq(ea_noniid_min_samples(&ds, 0), 3);
    cr_assert_eq(ea_conditioning_hprime(&ds, 1, 1, &hp), EA_ERR_TOO_SHORT);
    cr_assert_eq(ea_conditioning_hprime(&ds, 0, 1, &hp), EA_ERR_TOO_SHORT);
    cr_assert(hp == -1.0L);
    ea_dataset_free(&ds);
    cr_assert_eq(ea_dataset_init(&ds, s, 3, 0), EA_OK);
    cr_assert_eq(ea_conditioning_hprime(&ds, 1, 1, &hp), EA_OK);
    cr_assert(hp >= 0.0L && !signbit(hp) && hp <= 1.0L, "h' %Lg", hp);
    ea_dataset_free(&ds);
    for (int i = 0; i < 19; i++)
        s[i] = (uint8_t)(i % 2);
    cr_assert_eq(ea_dataset_init(&ds, s, 18, 1), EA_OK);
    cr_assert_eq(ea_conditioning_hprime(&ds, 1, 1, &hp), EA_ERR_TOO_SHORT);
    ea_dataset_free(&ds);
    cr_assert_eq(ea_dataset_init(&ds, s, 19, 1), EA_OK);
    cr_assert_eq(ea_conditioning_hprime(&ds, 0, 1, &hp), EA_OK);
    ea_dataset_free(&ds);
}
