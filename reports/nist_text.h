/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nist_text.h - lines the reference's ea_non_iid and ea_iid print alike
 * (most-common-value estimate, final min-entropy lines). Internal to
 * reports/.
 */
#ifndef EA_NIST_TEXT_H
#define EA_NIST_TEXT_H

#include <stdio.h>

#include "ea90b.h"

/* The MCV estimate at verbosity 2 (one line) or 3 (four lines). */
void ea_nist_mcv_lines(FILE *f, const ea_mcv_result *m, const char *label, int verbose);

/* What the closing min-entropy lines report. */
typedef struct {
    int initial;        /* -i (1) or -c (0) */
    int alph_size;
    int bits;
    int has_literal, has_bitstring;
    double h_original, h_bitstring, h_assessed;
} ea_nist_final;

/* H_original / H_bitstring / min(...) (verbosity 1-2, `lead` before the
 * first line) or the %.17g lines and "Assessed min entropy" (3+). */
void ea_nist_final_lines(FILE *f, const ea_nist_final *x, int verbose, const char *lead);

/* The reference's lines for one literal estimator side at `verbose`,
 * without the "\t... = %f / n bit(s)" summary line. */
void ea_nist_side_lines(FILE *f, ea_estimator_id id, const ea_est_side *s, int verbose);

#endif
