/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear_plots.c - the plots of the Entropy Assessment Report draft (ear.h),
 * drawn from the arrays report.json keeps (docs/report-format.md) with the
 * report's own SVG code (svg.h, svg_series.h):
 *    histogram        the symbol histogram of the sequential samples (SP 800-90B 3.1.1)
 *    raw-deltas       the first raw deltas, before the samples are cut from them
 *    autocorrelation  lags 1-32 of the symbols
 *    estimators       every section 6.3 estimate against the claim (3.1.3)
 *    series           a series' runs, their median and its interval
 *    restart          the most common symbol count per restart row and column (3.1.4.3)
 * Each plot is a vector image: inline in ear.html (so the PDF keeps
 * vectors), a standalone file for ear.md and the DOCX. The title names
 * the operational environment and says when the samples come from a
 * built-in model.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ear.h"
#include "report.h"
#include "svg.h"
#include "svg_series.h"

#define MAX_POINTS 4096

static const char *const names[EA_EAR_PLOTS] = {
    "histogram", "raw-deltas", "autocorrelation", "estimators", "series", "restart",
};

/* Short enough for the plot's title line with "OE N: " and " [built-in model]". */
static const char *const captions[EA_EAR_PLOTS] = {
    "symbol histogram",
    "raw deltas (the first recorded)",
    "autocorrelation, lags 1-32",
    "section 6.3 estimates vs the claim",
    "series: each run, median, interval",
    "restart matrix: most common counts",
};

const char *ea_ear_plot_name(size_t k)
{
    return k < EA_EAR_PLOTS ? names[k] : NULL;
}

/* The number of estimates estimators() would draw for d. */
static size_t estimates(const json_t *d, const char **labels, char (*lab)[48], double *v, size_t max)
{
    double bits = ea_report_num(d, "data.bits_per_symbol", 8);
    char path[96];
    size_t n = 0;

    for (int s = 0; s < 2; s++)
        for (size_t i = 0; ea_report_est_key(i) != NULL && n < max; i++) {
            const json_t *h;
            snprintf(path, sizeof path, "noniid.report.estimators.%s.%s.h", s ? "bitstring" : "literal",
                     ea_report_est_key(i));
            h = ea_report_get(d, path);
            if (!json_is_number(h) || !isfinite(json_number_value(h)))
                continue;
            if (v != NULL) {
                v[n] = json_number_value(h) * (s ? bits : 1.0);
                snprintf(lab[n], sizeof lab[n], "%s %s", ea_report_est_key(i), s ? "(bits x w)" : "(literal)");
                labels[n] = lab[n];
            }
            n++;
        }
    return n;
}

static const json_t *array_of(const json_t *d, size_t k)
{
    switch (k) {
    case EA_EAR_PLOT_HISTOGRAM: return ea_report_get(d, "data.histogram");
    case EA_EAR_PLOT_RAW: return ea_report_get(d, "data.raw.stretch");
    case EA_EAR_PLOT_AUTOCORR: return ea_report_get(d, "data.autocorrelation");
    case EA_EAR_PLOT_SERIES: return ea_report_get(d, "series.values");
    case EA_EAR_PLOT_RESTART:
        return strcmp(ea_report_str(d, "restart.status", ""), "ran") == 0 ? ea_report_get(d, "restart.row_max")
                                                                         : NULL;
    default: return NULL;
    }
}

int ea_ear_plot_has(const ea_ear_input *in, size_t oe, size_t k)
{
    if (in == NULL || oe >= in->n || k >= EA_EAR_PLOTS)
        return 0;
    if (k == EA_EAR_PLOT_ESTIMATORS)
        return estimates(in->docs[oe], NULL, NULL, NULL, 32) > 0;
    return json_array_size(array_of(in->docs[oe], k)) > 0;
}

/* A numeric JSON array as doubles (at most MAX_POINTS; non-numbers as 0). */
static double *values(const json_t *a, size_t *n)
{
    size_t len = json_array_size(a);
    double *v;

    *n = 0;
    if (len > MAX_POINTS)
        len = MAX_POINTS;
    if (len == 0 || (v = malloc(len * sizeof *v)) == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        double x = json_number_value(json_array_get(a, i));
        v[i] = isfinite(x) ? x : 0.0;
    }
    *n = len;
    return v;
}

static void xy(FILE *f, const json_t *a, const char *title, const char *xl, const char *yl,
               ea_svg_kind kind, double x0, int from_zero)
{
    ea_svg_plot p;
    size_t n;
    double *v = values(a, &n);

    ea_svg_plot_init(&p, title, kind);
    p.xlabel = xl;
    p.ylabel = yl;
    p.y[0] = v;
    p.n = n;
    p.x0 = x0;
    p.y_from_zero = from_zero;
    ea_svg_xy(f, &p);
    free(v);
}

static void estimators(FILE *f, const json_t *d, const char *title)
{
    const char *labels[32];
    char lab[32][48];
    double v[32], claim = ea_report_num(d, "claim.h", 0);
    size_t n = estimates(d, labels, lab, v, 32);

    ea_svg_hbars(f, title, labels, v, n, isfinite(claim) ? claim : 0.0, "claim", "bits/sample");
}

static void series(FILE *f, const json_t *d, const char *title)
{
    ea_svg_group g;
    double *h = ea_report_series_group(d, "runs", &g), claim = ea_report_num(d, "claim.h", 0);

    if (h == NULL)
        return;
    g.mark = (int)fmin(fmax(ea_report_num(d, "series.decisive_run", 0), 0), 1e6);
    ea_svg_series(f, title, "bits per sample", &g, 1, isfinite(claim), claim, "claim");
    free(h);
}

static void restart(FILE *f, const json_t *d, const char *title)
{
    const json_t *r = ea_report_get(d, "restart");
    ea_svg_plot p;
    size_t nr, nc;
    double *rows = values(json_object_get(r, "row_max"), &nr);
    double *cols = values(json_object_get(r, "col_max"), &nc);

    ea_svg_plot_init(&p, title, EA_SVG_DOTS);
    p.integer = 1;
    p.xlabel = "row / column index";
    p.ylabel = "count of the most common symbol";
    p.y[0] = rows;
    p.y[1] = nc == nr ? cols : NULL;
    p.series[0] = "rows";
    p.series[1] = "columns";
    p.n = nr;
    p.have_ref = json_is_number(json_object_get(r, "x_cutoff"));
    p.ref = ea_report_num(r, "x_cutoff", 0);
    p.ref_label = "sanity cutoff";
    ea_svg_xy(f, &p);
    free(rows);
    free(cols);
}

static void draw(FILE *f, const json_t *d, size_t k, const char *title)
{
    switch (k) {
    case EA_EAR_PLOT_HISTOGRAM:
        xy(f, array_of(d, k), title, "symbol", "count", EA_SVG_COLUMNS, 0, 1);
        break;
    case EA_EAR_PLOT_RAW:
        xy(f, array_of(d, k), title, "sample index", "delta (timer ticks)", EA_SVG_LINE, 0, 0);
        break;
    case EA_EAR_PLOT_AUTOCORR:
        xy(f, array_of(d, k), title, "lag", "correlation", EA_SVG_COLUMNS, 1, 0);
        break;
    case EA_EAR_PLOT_ESTIMATORS: estimators(f, d, title); break;
    case EA_EAR_PLOT_SERIES: series(f, d, title); break;
    default: restart(f, d, title); break;
    }
}

/* "OE 2: <caption> [built-in model]" */
static const char *title_of(const ea_ear_input *in, size_t oe, size_t k, char *buf, size_t n)
{
    snprintf(buf, n, "OE %zu: %s%s", oe + 1, captions[k],
             strcmp(ea_report_source_kind(in->docs[oe]), "model") == 0 ? " [built-in model]" : "");
    return buf;
}

int ea_ear_plot_svg(FILE *f, const ea_ear_input *in, size_t oe, size_t k)
{
    char title[256];

    if (!ea_ear_plot_has(in, oe, k))
        return -1;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    draw(f, in->docs[oe], k, title_of(in, oe, k, title, sizeof title));
    return ferror(f) ? -1 : 0;
}

void ea_ear_plot(ea_rw *w, const ea_ear_input *in, size_t oe, size_t k)
{
    char title[256], e[600];

    if (!ea_ear_plot_has(in, oe, k))
        return;
    title_of(in, oe, k, title, sizeof title);
    if (w->html)
        draw(w->f, in->docs[oe], k, title);
    else
        fprintf(w->f, "![%s](plots/oe%zu-%s.svg)\n\n", ea_ear_esc(w, title, e, sizeof e), oe + 1, names[k]);
}
