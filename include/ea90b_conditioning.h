/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea90b_conditioning.h - libea90b: §3.1.5 conditioning components. Included by ea90b.h; the contract
 * stated there (const inputs, result structs, ea_status, no I/O) holds here.
 *
 * SP 800-90B §3.1.5.1.2 Output_Entropy(n_in, n_out, nw, h_in) and the §3.1.5.1 (vetted) and
 * §3.1.5.2 (non-vetted) output entropies, computed as NIST's ea_conditioning 1.1.7 does but in
 * long double and log-domain arithmetic instead of MPFR (docs/conditioning.md).
 */
#ifndef EA90B_CONDITIONING_H
#define EA90B_CONDITIONING_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int vetted;                  /* 1: §3.1.5.1.1 vetted, 0: §3.1.5.2 non-vetted */
    unsigned n_in, n_out;        /* bits into and out of the conditioning component */
    unsigned nw;                 /* narrowest internal width, after nw = min(nw, n_in) (Appendix E) */
    unsigned n;                  /* min(n_out, nw) (§3.1.5.1.2 step 2) */
    long double h_in;            /* entropy of the input, 0 < h_in <= n_in */
    long double h_prime;         /* non-vetted: entropy per bit of the conditioned output; -1 when vetted */
    long double output_entropy;  /* Output_Entropy(n_in, n_out, nw, h_in) (step 6) */
    long double psi, omega;      /* steps 3 and 5, each capped at 1 (may underflow to 0) */
    long double log2_psi, log2_omega; /* their base-2 logarithms, never underflowing */
    /* -log2(epsilon) where Output_Entropy = (1 - epsilon) * M, for M = n_out, h_in and nw */
    long double nout_eps_exp, hin_eps_exp, nw_eps_exp;
    long double bound_90b;       /* 0.999 * n_out (rounded toward zero, as the reference); the vetted
                                    epsilon line is printed when output_entropy exceeds it */
    long double stat_bound;      /* non-vetted: h' * n_out (rounded toward zero) */
    long double h_out;           /* vetted: output_entropy; non-vetted: min of the three */
    long mpfr_bits;              /* precision NIST's tool reports it used (its last attempt) */
    int mpfr_attempts;           /* attempts NIST's tool makes (precision doubles each time) */
} ea_conditioning_result;

/*
 * §3.1.5.1.2 Output_Entropy and the vetted output entropy h_out = Output_Entropy.
 * n_in, n_out, nw >= 1; 0 < h_in <= n_in (finite). EA_ERR_ARG otherwise.
 */
ea_status ea_conditioning_vetted(unsigned n_in, unsigned n_out, unsigned nw, long double h_in,
                                 ea_conditioning_result *r);

/*
 * §3.1.5.2 non-vetted: h_out = min(Output_Entropy, 0.999 n_out, h' n_out), where h' in [0, 1]
 * is the entropy per bit of the conditioned output (from ea_conditioning_hprime, which can give
 * 0, or a claim; the CLI requires a claimed h' > 0). EA_ERR_ARG for parameters out of range.
 */
ea_status ea_conditioning_nonvetted(unsigned n_in, unsigned n_out, unsigned nw, long double h_in,
                                    long double h_prime, ea_conditioning_result *r);

/*
 * h' from conditioned output data, as NIST's ea_conditioning -i does (§3.1.5.2 paragraph 2):
 * the bitstring of ds through the §6.3.1 MCV estimate alone (iid = 1) or every §6.3
 * bitstring estimator (iid = 0, ea_noniid_run in conditioned mode), capped at 1, never
 * negative. Both modes refuse what ea_non_iid refuses (NIST's ea_conditioning does not):
 * EA_ERR_ONE_SYMBOL for one-symbol data, EA_ERR_TOO_SHORT below ea_noniid_min_samples(ds, 0)
 * (a bitstring shorter than EA_NONIID_MIN_BINARY bits).
 */
ea_status ea_conditioning_hprime(const ea_dataset *ds, int iid, int threads, long double *h_prime);

#ifdef __cplusplus
}
#endif

#endif /* EA90B_CONDITIONING_H */
