/* SPDX-License-Identifier: Apache-2.0 */
/*
 * svg.c - inline SVG plots for the HTML report: columns, lines, dots and
 * horizontal bars with a reference line. Pure text output; coordinates
 * are printed with one decimal.
 */
#include <math.h>
#include <string.h>

#include "svg.h"

#define W 640.0
#define H 260.0
#define ML 64.0
#define MR 16.0
#define MT 28.0
#define MB 42.0

static const char *const colours[2] = { "#2563eb", "#d97706" };

void ea_svg_text(FILE *f, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

void ea_svg_plot_init(ea_svg_plot *p, const char *title, ea_svg_kind kind)
{
    memset(p, 0, sizeof(*p));
    p->title = title;
    p->kind = kind;
    p->dx = 1.0;
    p->y_from_zero = 1;
}

static void open_svg(FILE *f, const char *title, double h)
{
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" viewBox=\"0 0 %.0f %.0f\" "
               "width=\"%.0f\" height=\"%.0f\" role=\"img\"><title>", W, h, W, h);
    ea_svg_text(f, title);
    fputs("</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>", f);
    fprintf(f, "<text x=\"%.0f\" y=\"18\" font-size=\"14\" font-weight=\"bold\">", ML);
    ea_svg_text(f, title);
    fputs("</text>", f);
}

static void empty_note(FILE *f, const char *title)
{
    open_svg(f, title, 60.0);
    fputs("<text x=\"64\" y=\"44\" font-size=\"12\">no data</text></svg>\n", f);
}

/* A "nice" tick label: up to 4 significant digits. */
static void tick_label(FILE *f, double x, double y, double v, const char *anchor)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"%s\">%.4g</text>", x, y,
            anchor, fabs(v) < 1e-12 ? 0.0 : v);
}

static void range(const ea_svg_plot *p, double *lo, double *hi)
{
    *lo = HUGE_VAL;
    *hi = -HUGE_VAL;
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; p->y[s] != NULL && i < p->n; i++) {
            if (p->y[s][i] < *lo) *lo = p->y[s][i];
            if (p->y[s][i] > *hi) *hi = p->y[s][i];
        }
    if (p->have_ref) {
        if (p->ref < *lo) *lo = p->ref;
        if (p->ref > *hi) *hi = p->ref;
    }
    if (p->y_from_zero && *lo > 0.0)
        *lo = 0.0;
    if (!(*hi > *lo))
        *hi = *lo + 1.0;
    *hi += (*hi - *lo) * 0.05;
    if (p->integer) {
        double step = ceil((*hi - *lo) / 4.0);
        *lo = floor(*lo);
        *hi = *lo + 4.0 * (step > 1.0 ? step : 1.0);
    }
}

/* Whole-number x ticks: multiples of a whole step from x0 to x1. */
static void integer_x_ticks(FILE *f, double x0, double x1)
{
    double step = ceil((x1 - x0) / 4.0);

    if (!(step >= 1.0))
        step = 1.0;
    for (double v = x0; v <= x1 + 1e-9; v += step)
        tick_label(f, ML + (W - ML - MR) * (v - x0) / (x1 > x0 ? x1 - x0 : 1.0), H - MB + 14, v, "middle");
}

static void axes(FILE *f, const ea_svg_plot *p, double lo, double hi)
{
    double x1 = p->x0 + p->dx * (double)(p->n > 1 ? p->n - 1 : 1);

    fprintf(f, "<g stroke=\"#555\" stroke-width=\"1\"><line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
               "y2=\"%.0f\"/><line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/></g>",
            ML, H - MB, W - MR, H - MB, ML, MT, ML, H - MB);
    for (int t = 0; t <= 4; t++) {
        double v = lo + (hi - lo) * t / 4.0, y = H - MB - (H - MT - MB) * t / 4.0;
        fprintf(f, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#e5e7eb\"/>", ML, y,
                W - MR, y);
        tick_label(f, ML - 4, y + 3, v, "end");
    }
    if (p->integer)
        integer_x_ticks(f, p->x0, x1);
    for (int t = 0; t <= 4 && !p->integer; t++) {
        double v = p->x0 + (x1 - p->x0) * t / 4.0, x = ML + (W - ML - MR) * t / 4.0;
        tick_label(f, x, H - MB + 14, v, "middle");
    }
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"middle\">", (ML + W - MR) / 2,
            H - 8);
    ea_svg_text(f, p->xlabel);
    fprintf(f, "</text><text x=\"12\" y=\"%.0f\" font-size=\"11\" text-anchor=\"middle\" "
               "transform=\"rotate(-90 12 %.0f)\">", (MT + H - MB) / 2, (MT + H - MB) / 2);
    ea_svg_text(f, p->ylabel);
    fputs("</text>", f);
}

static double px(const ea_svg_plot *p, size_t i)
{
    double span = (double)(p->n > 1 ? p->n - 1 : 1);
    return ML + (W - ML - MR) * (double)i / span;
}

static double py(double v, double lo, double hi)
{
    return H - MB - (H - MT - MB) * (v - lo) / (hi - lo);
}

static void series(FILE *f, const ea_svg_plot *p, int s, double lo, double hi)
{
    const double *y = p->y[s];
    double bw = (W - ML - MR) / (double)(p->n ? p->n : 1);

    if (p->kind == EA_SVG_COLUMNS) {
        fprintf(f, "<g fill=\"%s\">", colours[s]);
        for (size_t i = 0; i < p->n; i++) {
            double top = py(y[i], lo, hi), base = py(lo > 0 ? lo : 0.0, lo, hi);
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\"/>",
                    ML + bw * (double)i, top < base ? top : base, bw > 1.5 ? bw * 0.85 : bw,
                    fabs(base - top));
        }
    } else if (p->kind == EA_SVG_LINE) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1\" points=\"", colours[s]);
        for (size_t i = 0; i < p->n; i++)
            fprintf(f, "%.1f,%.1f ", px(p, i), py(y[i], lo, hi));
        fputs("\"/>", f);
        return;
    } else {
        fprintf(f, "<g fill=\"%s\" fill-opacity=\"0.6\">", colours[s]);
        for (size_t i = 0; i < p->n; i++)
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.3\"/>", px(p, i), py(y[i], lo, hi));
    }
    fputs("</g>", f);
}

/* The legend sits bottom left, under the tick labels, clear of the title. */
static void legend(FILE *f, const ea_svg_plot *p)
{
    double x = 4.0, y = H - 17.0;

    for (int s = 0; s < 2; s++) {
        if (p->y[s] == NULL || p->series[s] == NULL)
            continue;
        fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                   "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\">", x, y, colours[s], x + 14, y + 9);
        ea_svg_text(f, p->series[s]);
        fputs("</text>", f);
        x += 14.0 + 7.0 * (double)strlen(p->series[s]) + 12.0;
    }
}

void ea_svg_xy(FILE *f, const ea_svg_plot *p)
{
    double lo, hi;

    if (p->n == 0 || p->y[0] == NULL) {
        empty_note(f, p->title);
        return;
    }
    range(p, &lo, &hi);
    open_svg(f, p->title, H);
    axes(f, p, lo, hi);
    for (int s = 0; s < 2; s++)
        if (p->y[s] != NULL)
            series(f, p, s, lo, hi);
    if (p->have_ref) {
        double y = py(p->ref, lo, hi);
        fprintf(f, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#dc2626\" "
                   "stroke-dasharray=\"6 3\" stroke-width=\"1.5\"/><text x=\"%.0f\" y=\"%.1f\" "
                   "font-size=\"11\" fill=\"#dc2626\" text-anchor=\"end\">",
                ML, y, W - MR, y, W - MR, y - 4);
        ea_svg_text(f, p->ref_label);
        fputs("</text>", f);
    }
    legend(f, p);
    fputs("</svg>\n", f);
}

void ea_svg_hbars(FILE *f, const char *title, const char *const *labels, const double *v,
                  size_t n, double ref, const char *ref_label, const char *unit)
{
    const double left = 230.0, right = W - 70.0, row = 20.0;
    double hi = ref, h = MT + row * (double)n + 36.0, xr;

    if (n == 0) {
        empty_note(f, title);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (v[i] > hi)
            hi = v[i];
    if (!(hi > 0.0))
        hi = 1.0;
    open_svg(f, title, h);
    for (size_t i = 0; i < n; i++) {
        double y = MT + row * (double)i, w = (right - left) * (v[i] > 0 ? v[i] : 0) / hi;
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">", left - 6,
                y + 13);
        ea_svg_text(f, labels[i]);
        fprintf(f, "</text><rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%.4f</text>",
                left, y + 3, w, row - 6, v[i] + 1e-12 < ref ? "#dc2626" : colours[0],
                left + w + 4, y + 13, v[i]);
    }
    xr = left + (right - left) * ref / hi;
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#111\" "
               "stroke-dasharray=\"5 3\" stroke-width=\"1.5\"/><text x=\"%.1f\" y=\"%.1f\" "
               "font-size=\"11\" text-anchor=\"middle\">",
            xr, MT - 2, xr, MT + row * (double)n, xr, MT + row * (double)n + 14);
    ea_svg_text(f, ref_label);
    fprintf(f, " = %.4f %s</text></svg>\n", ref, unit ? unit : "");
}
