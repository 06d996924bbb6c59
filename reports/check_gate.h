/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_gate.h - the pure part of `ea90b check` (cli/check_cmd.c): compare
 * a validated assessment report (ea_report_validate) with a floor and/or a
 * baseline report and produce one row per check. No printing, no I/O; the
 * command prints the rows and writes JUnit XML. Owned by check_gate.c.
 */
#ifndef EA_CHECK_GATE_H
#define EA_CHECK_GATE_H

#include <stdio.h>

#include <jansson.h>

/* More rows than the gate can produce (26: verdict, floor, 4 + 2 x 10 drops). */
#define EA_CHECK_MAX 64

typedef struct {
    char name[96];
    double base, cur, limit;  /* base < 0: no baseline value */
    int failed;
    int info;                 /* shown, not gated */
    int no_cur;               /* no current value to show (n/a) */
    char why[512];
} ea_check_row;

typedef struct {
    ea_check_row r[EA_CHECK_MAX];
    int n;
} ea_check_set;

typedef struct {
    int have_min;             /* gate the assessed min-entropy on min_h */
    double min_h;             /* bits per sample */
    double max_drop;          /* percent the gated baseline values may drop */
    int per_estimator;        /* gate every estimator too (else information) */
    int allow_incomplete;     /* an INCOMPLETE verdict passes */
    double alpha;             /* series: the rank test's false-alarm rate (<= 0: 0.01) */
    double min_effect;        /* series: percent the median must drop as well */
} ea_check_opts;

/*
 * The rows of `ea90b check` for doc: the verdict, the floor (have_min),
 * then, when base is not NULL, the comparison with it, in the command's
 * order: for two single collections the drops of the assessed value, the
 * final estimate and the estimators (--max-drop); when either report is
 * a series, the rows of series_gate.h instead. Replaces s's contents. doc
 * and base are read only; any document is safe (absent or mistyped
 * members read as absent). 0, or -1 when the series comparison cannot be
 * made (the reason in err; the rows so far are kept).
 */
int ea_check_gate(ea_check_set *s, const json_t *doc, const json_t *base, const ea_check_opts *o,
                  char *err, size_t errlen);

/* `ea90b check --html`: the rows and, with a baseline, both reports' runs
 * plotted (check_html.c). -1 on a write error. */
int ea_check_html(FILE *f, const char *subject, const char *baseline, const ea_check_set *s,
                  const json_t *doc, const json_t *base);

/* Rows that failed, and rows that are gated (not information). */
void ea_check_count(const ea_check_set *s, int *failed, int *gated);

#endif
