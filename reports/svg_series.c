/* SPDX-License-Identifier: Apache-2.0 */
/*
 * svg_series.c - the series strip plot (svg_series.h): pure text output,
 * coordinates with one decimal, no scripts.
 */
#include <math.h>

#include <stdlib.h>

#include "report.h"
#include "svg.h"
#include "svg_series.h"

#define W 640.0
#define H 280.0
#define ML 64.0
#define MR 16.0
#define MT 28.0
#define MB 42.0

static const char *const fills[2] = { "#2563eb", "#d97706" };

static void bounds(const ea_svg_group *g, size_t ng, int have_ref, double ref, double *lo,
                   double *hi)
{
    *lo = HUGE_VAL;
    *hi = -HUGE_VAL;
    for (size_t k = 0; k < ng; k++)
        for (size_t i = 0; i < g[k].n; i++) {
            *lo = fmin(*lo, g[k].h[i]);
            *hi = fmax(*hi, g[k].h[i]);
        }
    if (have_ref) {
        *lo = fmin(*lo, ref);
        *hi = fmax(*hi, ref);
    }
    *lo = *lo > 0.0 ? 0.0 : *lo;   /* min-entropy: the axis starts at 0 */
    if (*hi <= *lo)
        *hi = *lo + 1.0;
    *hi += 0.05 * (*hi - *lo);
}

static double ypix(double v, double lo, double hi)
{
    return MT + (H - MT - MB) * (1.0 - (v - lo) / (hi - lo));
}

static void axis(FILE *f, double lo, double hi, const char *ylabel)
{
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>", ML, MT, ML,
            H - MB);
    for (int t = 0; t <= 4; t++) {
        double v = lo + (hi - lo) * t / 4.0, y = ypix(v, lo, hi);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e7eb\"/>", ML,
                y, W - MR, y);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.3g</text>",
                ML - 4.0, y + 3.0, fabs(v) < 1e-12 ? 0.0 : v);
    }
    fprintf(f, "<text x=\"14\" y=\"%.1f\" font-size=\"11\" transform=\"rotate(-90 14 %.1f)\" "
               "text-anchor=\"middle\">", (H - MB + MT) / 2.0, (H - MB + MT) / 2.0);
    ea_svg_text(f, ylabel);
    fputs("</text>", f);
}

static void column(FILE *f, const ea_svg_group *g, size_t k, size_t ng, double lo, double hi)
{
    double cw = (W - ML - MR) / (double)ng, x0 = ML + cw * (double)k, pad = cw * 0.15;
    const char *c = fills[k % 2];

    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
               "fill-opacity=\"0.12\"><title>median interval %.6g to %.6g</title></rect>",
            x0 + pad, ypix(g->upper, lo, hi), cw - 2 * pad,
            fmax(1.0, ypix(g->lower, lo, hi) - ypix(g->upper, lo, hi)), c, g->lower, g->upper);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"2\"><title>median %.6g</title></line>", x0 + pad,
            ypix(g->median, lo, hi), x0 + cw - pad, ypix(g->median, lo, hi), c, g->median);
    for (size_t i = 0; i < g->n; i++) {
        double x = x0 + pad + (cw - 2 * pad) * ((double)i + 0.5) / (double)g->n;
        int mark = g->mark == (int)(i + 1);
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"%s><title>run %zu: "
                   "%.6g%s</title></circle>", x, ypix(g->h[i], lo, hi), mark ? 5.0 : 3.5, c,
                mark ? " stroke=\"#000\" stroke-width=\"1.5\"" : "", i + 1, g->h[i],
                mark ? " (decides)" : "");
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">",
            x0 + cw / 2.0, H - MB + 16.0);
    ea_svg_text(f, g->name);
    fprintf(f, " (%zu runs)</text>", g->n);
}

void ea_svg_series(FILE *f, const char *title, const char *ylabel, const ea_svg_group *g,
                   size_t ngroups, int have_ref, double ref, const char *ref_label)
{
    double lo, hi;
    size_t total = 0;

    for (size_t k = 0; k < ngroups; k++)
        total += g[k].n;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" viewBox=\"0 0 %.0f %.0f\" "
               "width=\"%.0f\" height=\"%.0f\" role=\"img\"><title>", W, H, W, H);
    ea_svg_text(f, title);
    fputs("</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>", f);
    fprintf(f, "<text x=\"%.0f\" y=\"18\" font-size=\"14\" font-weight=\"bold\">", ML);
    ea_svg_text(f, title);
    fputs("</text>", f);
    if (total == 0) {
        fputs("<text x=\"64\" y=\"44\" font-size=\"12\">no data</text></svg>\n", f);
        return;
    }
    bounds(g, ngroups, have_ref, ref, &lo, &hi);
    axis(f, lo, hi, ylabel);
    for (size_t k = 0; k < ngroups; k++)
        column(f, &g[k], k, ngroups, lo, hi);
    if (have_ref) {
        double y = ypix(ref, lo, hi);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dc2626\" "
                   "stroke-dasharray=\"5 3\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
                   "text-anchor=\"end\" fill=\"#dc2626\">", ML, y, W - MR, y, W - MR, y - 3.0);
        ea_svg_text(f, ref_label);
        fputs("</text>", f);
    }
    fputs("</svg>\n", f);
}

/* A report's values as a plot column: a series' runs, or the one assessed value. */
double *ea_report_series_group(const json_t *doc, const char *name, ea_svg_group *g)
{
    const json_t *vals = ea_report_get(doc, "series.values"), *e;
    size_t n = json_is_array(vals) ? json_array_size(vals) : 1, i;
    double *h = malloc(n * sizeof *h);

    if (h == NULL)
        return NULL;
    if (json_is_array(vals)) {
        json_array_foreach(vals, i, e)
            h[i] = ea_report_num(e, "h", 0);
        *g = (ea_svg_group){name, h, n, ea_report_num(doc, "series.median", 0),
                            ea_report_num(doc, "series.median_ci.lower", 0),
                            ea_report_num(doc, "series.median_ci.upper", 0), 0};
    } else {
        h[0] = ea_report_num(doc, "verdict.h_assessed", 0);
        *g = (ea_svg_group){name, h, 1, h[0], h[0], h[0], 0};
    }
    return h;
}
