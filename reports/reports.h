/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reports.h - renderers from result structs to text and JSON.
 *
 * Renderers write to a caller-supplied FILE * (a file, stdout, or a
 * memory stream in tests); they never decide exit codes and never read
 * argv. JSON is built with jansson.
 */
#ifndef EA_REPORTS_H
#define EA_REPORTS_H

#include <stdio.h>

#include "ea90b.h"

/* What a non-IID report says about its input and how it was run. */
typedef struct {
    const char *filename;      /* as given on the command line */
    const char *sha256;        /* lowercase hex of the whole file */
    const char *commandline;   /* argv joined by spaces */
    const char *timestamp;     /* YYYYMMDDHHMMSS, local time */
    const ea_dataset *ds;
    const ea_noniid_result *res;
    int initial;               /* -i (1) or -c (0) */
    int all_bits;              /* -a (1) or -t (0) */
    unsigned long subset_index;/* -l index (valid when subset_size > 0) */
    unsigned long subset_size;
    size_t file_bytes;         /* size of the whole file */
    int threads;
    double seconds;            /* wall time of the estimators */
} ea_noniid_report;

/*
 * NIST ea_non_iid text: the lines the reference prints at its verbosity
 * level `verbose` (0 quiet, 1 default, 2 for -v, 3 for -vv), from the
 * first estimator line to the final result. File-opening lines are the
 * caller's, since they precede loading.
 */
void ea_render_nist_noniid_text(FILE *f, const ea_noniid_report *r, int verbose);

/* NIST ea_non_iid JSON (-o): same field names and layout as 1.1.7. */
int ea_render_nist_noniid_json(FILE *f, const ea_noniid_report *r);

/* NIST-style JSON for a run that failed before any estimate (iid selects
 * the ea_iid flavour, whose "IID" field is true). */
int ea_render_nist_error_json(FILE *f, int iid, const char *commandline, const char *timestamp,
                              const char *filename, const char *sha256, const char *msg);

/* ea90b's own JSON (ea90b noniid --json): every intermediate value. */
int ea_render_noniid_json(FILE *f, const ea_noniid_report *r);

/* ea90b's short human summary. */
void ea_render_noniid_summary(FILE *f, const ea_noniid_report *r);

/* What an IID report says about its input and how it was run. */
typedef struct {
    const char *filename;
    const char *sha256;
    const char *commandline;
    const char *timestamp;
    const ea_dataset *ds;
    const ea_iid_result *res;
    int initial;
    int all_bits;
    unsigned long subset_index;
    unsigned long subset_size;
    size_t file_bytes;
    int threads;
    int full;                  /* every statistic computed to the end */
    uint64_t seed;
    int seed_drawn;            /* 1: drawn from getrandom(2), not given */
    double seconds;
    int libbz2;                /* compression statistic computed by libbz2 itself */
} ea_iid_report;

/* NIST ea_iid text at the reference's verbosity (0..3), from "Calculating
 * baseline statistics" to the permutation verdict. */
void ea_render_nist_iid_text(FILE *f, const ea_iid_report *r, int verbose);

/* NIST ea_iid JSON (-o). verbose matters: the reference's hAssessed is
 * the word size unless it ran at -vv (its PR #251); we reproduce that. */
int ea_render_nist_iid_json(FILE *f, const ea_iid_report *r, int verbose);

/* ea90b's own IID JSON (ea90b iid --json). */
int ea_render_iid_json(FILE *f, const ea_iid_report *r);

/* ea90b's short human summary of an IID run. */
void ea_render_iid_summary(FILE *f, const ea_iid_report *r);

/* What a restart report (§3.1.4) says about its input and how it was run. */
typedef struct {
    const char *filename;
    const char *sha256;
    const char *commandline;
    const char *timestamp;
    const ea_dataset *ds;          /* the row dataset */
    const ea_restart_result *res;
    size_t file_bytes;             /* size of the whole file */
    int threads;
    int seed_drawn;                /* 1: seed drawn from getrandom(2), not given */
    double seconds;
} ea_restart_report;

/* NIST ea_restart text at the reference's verbosity (0..3), from the "H_I:"
 * line (printed even with -q) to the last line. */
void ea_render_nist_restart_text(FILE *f, const ea_restart_report *r, int verbose);

/* NIST ea_restart JSON (-o): type "Restart", the reference's test cases
 * (h_r, h_c per estimator for -n; one "Overall" IID case for -i), errorLevel
 * -1 and its message when the sanity check or validation failed. */
int ea_render_nist_restart_json(FILE *f, const ea_restart_report *r);

/* NIST ea_restart JSON for a run stopped before the test (bad H_I, wrong
 * sample count...): errorLevel -1, the message, testCases null. */
int ea_render_nist_restart_error_json(FILE *f, int iid, const char *commandline,
                                      const char *timestamp, const char *filename,
                                      const char *sha256, const char *msg);

/* ea90b's own restart JSON (ea90b restart --json): cutoff, tail
 * probabilities, per-row/column maxima, verdicts, every estimate. */
int ea_render_restart_json(FILE *f, const ea_restart_report *r);

/* ea90b's short human summary of a restart test. */
void ea_render_restart_summary(FILE *f, const ea_restart_report *r);

#endif
