/* SPDX-License-Identifier: Apache-2.0 */
/*
 * svg.h - small inline SVG plots for the HTML report (no scripts, no
 * external assets). Values must be finite; a plot with nothing to show
 * prints a short note instead.
 */
#ifndef EA_SVG_H
#define EA_SVG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { EA_SVG_COLUMNS, EA_SVG_LINE, EA_SVG_DOTS } ea_svg_kind;

typedef struct {
    const char *title;       /* accessible title and caption */
    const char *xlabel, *ylabel;
    ea_svg_kind kind;
    const double *y[2];      /* one or two series of n values */
    const char *series[2];   /* legend names (NULL: no legend) */
    size_t n;
    double x0, dx;           /* x of point i is x0 + i*dx */
    int have_ref;            /* draw a horizontal reference line at ref */
    double ref;
    const char *ref_label;
    int y_from_zero;         /* y axis starts at 0 (else at the data minimum) */
    int integer;             /* whole-number data: both axes get integer ticks */
} ea_svg_plot;

void ea_svg_plot_init(ea_svg_plot *p, const char *title, ea_svg_kind kind);

/* A plot of one or two series against x. */
void ea_svg_xy(FILE *f, const ea_svg_plot *p);

/*
 * Horizontal bars, one per label, against a vertical reference line
 * (the claim); bars below the reference are drawn in the warning colour.
 */
void ea_svg_hbars(FILE *f, const char *title, const char *const *labels, const double *v,
                  size_t n, double ref, const char *ref_label, const char *unit);

/* Write s with &, <, >, " escaped for HTML and SVG text. */
void ea_svg_text(FILE *f, const char *s);

#endif
