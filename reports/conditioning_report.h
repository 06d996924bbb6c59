/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conditioning_report.h - renderers for §3.1.5 conditioning results (ea90b conditioning,
 * ea_conditioning) and §4.4 health-test results (ea90b health).
 */
#ifndef EA_CONDITIONING_REPORT_H
#define EA_CONDITIONING_REPORT_H

#include <stdio.h>

#include "ea90b.h"

/* What a conditioning report says besides the result. */
typedef struct {
    const ea_conditioning_result *res;
    const char *commandline;
    const char *timestamp;
    const char *filename;   /* -i FILE (h' from data), or NULL */
    const char *sha256;     /* of that file, or NULL */
    int hprime_iid;         /* h' from data: 1 IID track (MCV), 0 non-IID track */
} ea_conditioning_report;

/*
 * NIST ea_conditioning 1.1.7 text: from "n_in = ..." to the h_out lines, with its
 * "Attempting to compute entropy with N bits of precision." lines (printed even when quiet,
 * as the reference does). Numbers are printed as the reference prints them: %.22Lg under
 * round-toward-zero (the rounding mode is restored afterwards).
 */
void ea_render_nist_conditioning_text(FILE *f, const ea_conditioning_result *r, int quiet);

/* NIST ea_conditioning -o JSON: the reference's fields (type "Conditioning", one "Overall"
 * test case with n_in, n_out, nw, h_in, h_out and, non-vetted, h_p). */
int ea_render_nist_conditioning_json(FILE *f, const ea_conditioning_report *rep);

/* The NIST-style error JSON the reference writes for h_in or h' out of range. */
int ea_render_nist_conditioning_error_json(FILE *f, const char *commandline,
                                           const char *timestamp, const char *msg);

/* ea90b's summary and JSON (docs/conditioning.md). */
void ea_render_conditioning_summary(FILE *f, const ea_conditioning_report *rep);
int ea_render_conditioning_json(FILE *f, const ea_conditioning_report *rep);

/* §4.4 health tests (ea90b health). One labelled set of cutoffs, with its replay when run. */
typedef struct {
    const char *label;           /* "claim", "jent intermittent", ... */
    ea_health_cutoffs c;
    ea_health_replay_result r;   /* valid when the report is a replay */
} ea_health_row;

typedef struct {
    const char *commandline;
    const char *timestamp;
    const char *filename;        /* replay: the samples; NULL for cutoffs */
    const char *sha256;
    int osr;                     /* > 0: rows include jitterentropy's profile */
    const ea_health_row *rows;
    size_t nrows;
} ea_health_report;

/* Cutoff table (one row per alpha) or replay summary, as text. */
void ea_render_health_cutoffs_text(FILE *f, const ea_health_report *rep);
void ea_render_health_replay_text(FILE *f, const ea_health_report *rep);
/* ea90b's JSON for either (docs/health-tests.md). */
int ea_render_health_json(FILE *f, const ea_health_report *rep);

#endif
