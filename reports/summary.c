/* SPDX-License-Identifier: Apache-2.0 */
/*
 * summary.c - ea90b's short human summary of a non-IID assessment: one
 * table row per estimator (literal and bitstring columns), then the
 * three numbers that matter.
 */
#include <math.h>
#include <stdio.h>

#include "reports.h"

static void cell(FILE *f, const ea_est_side *s, ea_estimator_id id, int lrs)
{
    double h;

    if (!s->ran) {
        fprintf(f, " %12s", "-");
        return;
    }
    h = ea_noniid_side_h(id, s, lrs);
    if (!isfinite(h))
        fprintf(f, " %12s", "n/a");   /* never print nan/inf */
    else if (h < 0)
        fprintf(f, " %12s", "omitted");
    else
        fprintf(f, " %12.6f", h);
}

static void row(FILE *f, const ea_noniid_result *res, ea_estimator_id id, int lrs,
                const char *name, const char *section)
{
    fprintf(f, "  %-22s %-7s", name, section);
    cell(f, &res->literal[id], id, lrs);
    cell(f, &res->bitstring[id], id, lrs);
    fputc('\n', f);
}

void ea_render_noniid_summary(FILE *f, const ea_noniid_report *r)
{
    const ea_noniid_result *res = r->res;
    const ea_dataset *ds = r->ds;

    fprintf(f, "ea90b %s non-IID assessment (SP 800-90B section 6.3, NIST %s parity)\n",
            EA90B_VERSION, EA90B_NIST_VERSION);
    fprintf(f, "file     %s\n", r->filename);
    fprintf(f, "sha256   %s\n", r->sha256);
    fprintf(f, "samples  %zu of %d bits, %d distinct symbols%s; bitstring %zu bits\n",
            ds->len, ds->bits, ds->alph_size, ds->translated ? " (mapped down)" : "", ds->blen);
    fprintf(f, "mode     %s, %s bitstring\n\n", r->initial ? "initial (-i)" : "conditioned (-c)",
            r->all_bits ? "whole" : "truncated");
    fprintf(f, "  %-22s %-7s %12s %12s\n", "estimator", "section", "literal", "bitstring");
    row(f, res, EA_EST_MCV, 0, "Most Common Value", "6.3.1");
    row(f, res, EA_EST_COLLISION, 0, "Collision", "6.3.2");
    row(f, res, EA_EST_MARKOV, 0, "Markov", "6.3.3");
    row(f, res, EA_EST_COMPRESSION, 0, "Compression", "6.3.4");
    row(f, res, EA_EST_TTUPLE, 0, "t-Tuple", "6.3.5");
    row(f, res, EA_EST_TTUPLE, 1, "LRS", "6.3.6");
    row(f, res, EA_EST_MULTI_MCW, 0, "MultiMCW prediction", "6.3.7");
    row(f, res, EA_EST_LAG, 0, "Lag prediction", "6.3.8");
    row(f, res, EA_EST_MULTI_MMC, 0, "MultiMMC prediction", "6.3.9");
    row(f, res, EA_EST_LZ78Y, 0, "LZ78Y prediction", "6.3.10");
    fputc('\n', f);
    if (res->has_literal)
        fprintf(f, "H_original   %.6f bits per sample\n", res->h_original);
    if (res->has_bitstring)
        fprintf(f, "H_bitstring  %.6f bits per bit\n", res->h_bitstring);
    fprintf(f, "assessed     %.6f bits per %d-bit sample%s\n", res->h_assessed, ds->bits,
            r->initial ? "" : " (h' per bit times bits)");
    if (ds->len < (size_t)EA_MIN_SAMPLES)
        fprintf(f, "warning: fewer than 1,000,000 samples; SP 800-90B requires at least that many\n");
    fprintf(f, "time     %.3f s (%d thread%s)\n", r->seconds, r->threads, r->threads == 1 ? "" : "s");
}
