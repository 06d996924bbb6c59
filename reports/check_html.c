/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_html.c - `ea90b check --html FILE`: the gate's rows as a page and,
 * when a baseline was given, baseline against current as a strip plot
 * (each run a dot, the median a line, its interval a band; one collection
 * is a single dot). Self-contained: inline CSS and SVG, no scripts.
 */
#include <stdlib.h>

#include "check_gate.h"
#include "report.h"
#include "report_writer.h"
#include "svg.h"
#include "svg_series.h"

static void plot(FILE *f, const json_t *doc, const json_t *base)
{
    ea_svg_group g[2];
    double *hb = ea_report_series_group(base, "baseline", &g[0]),
           *hc = ea_report_series_group(doc, "current", &g[1]);

    if (hb != NULL && hc != NULL)
        ea_svg_series(f, "Assessed min-entropy: baseline against current", "bits per sample", g,
                      2, 0, 0.0, "");
    free(hb);
    free(hc);
}

int ea_check_html(FILE *f, const char *subject, const char *baseline, const ea_check_set *s,
                  const json_t *doc, const json_t *base)
{
    ea_rw w = {f, 1, 0, 0};
    int failed = 0, gated = 0;

    ea_check_count(s, &failed, &gated);
    ea_rw_html_open(f, "ea90b check");
    fputs("<h1>ea90b check: ", f);
    ea_svg_text(f, subject);
    fputs("</h1>\n", f);
    ea_rw_badge(&w, failed ? "FAIL" : "PASS", "%s: %d check%s, %d failed",
                failed ? "REGRESSION" : "OK", gated, gated == 1 ? "" : "s", failed);
    if (baseline != NULL)
        ea_rw_p(&w, "Baseline: %s.", baseline);
    ea_rw_table(&w, "check|baseline|current|result|why");
    for (int i = 0; i < s->n; i++) {
        const ea_check_row *r = &s->r[i];
        char b[32] = "-", c[32] = "n/a";
        if (r->base >= 0)
            snprintf(b, sizeof b, "%.6f", r->base);
        if (!r->no_cur)
            snprintf(c, sizeof c, "%.6f", r->cur);
        ea_rw_row(&w, "%s|%s|%s|%s|%s", r->name, b, c, r->info ? "info" : r->failed ? "FAIL" : "ok",
                  r->why);
    }
    ea_rw_end_table(&w);
    if (base != NULL)
        plot(f, doc, base);
    ea_rw_html_close(f);
    return ferror(f) ? -1 : 0;
}
