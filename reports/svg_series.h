/* SPDX-License-Identifier: Apache-2.0 */
/*
 * svg_series.h - a strip plot of one or more series of assessments (each
 * run a dot, the median a bar, its confidence interval a band), for the
 * series section of report.html and `ea90b check --html`.
 */
#ifndef EA_SVG_SERIES_H
#define EA_SVG_SERIES_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

typedef struct {
    const char *name;        /* column label ("baseline", "current", "runs") */
    const double *h;         /* each run's value */
    size_t n;
    double median, lower, upper;   /* the median and its interval */
    int mark;                /* 1-based index of a run to mark (the decisive one); 0: none */
} ea_svg_group;

/*
 * One column per group: the runs as dots in run order across the column,
 * the interval as a shaded band, the median as a line; an optional
 * horizontal reference line (the claim; have_ref 0: none). Values must be
 * finite; an empty plot prints a short note.
 */
void ea_svg_series(FILE *f, const char *title, const char *ylabel, const ea_svg_group *g,
                   size_t ngroups, int have_ref, double ref, const char *ref_label);

/*
 * A report's values as a column (name kept, not copied): a series' runs
 * with its median and interval, or one collection's assessed value as a
 * single dot. Returns the values' array (free it after plotting), or NULL.
 */
double *ea_report_series_group(const json_t *doc, const char *name, ea_svg_group *g);

#endif
