/* SPDX-License-Identifier: Apache-2.0 */
/*
 * series_gate.c - series against series: H0 "the current runs' assessed
 * min-entropy (SP 800-90B §3.1.3, one value per run) comes from the same
 * distribution as the baseline's", H1 "it is lower", by the exact
 * one-sided Wilcoxon-Mann-Whitney test (include/ea90b_series.h). The gate
 * fails only when p <= alpha AND the median dropped by at least
 * min_effect percent: significance alone would flag a 2 % drop that a
 * large series resolves, and a drop alone is what run-to-run noise makes.
 * A series against one collection cannot be tested (one value has no
 * spread): the series' median is held to the --max-drop band and the row
 * says so.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b_series.h"
#include "report.h"
#include "series_gate.h"

typedef struct {
    double *h;
    size_t n;
    ea_median_ci ci;
} runs_of;

int ea_report_is_series(const json_t *doc)
{
    return json_is_array(ea_report_get(doc, "series.values"));
}

/* Every run's value; -1 with err set when malformed. */
static int read_runs(const json_t *doc, const char *which, runs_of *r, char *err, size_t errlen)
{
    const json_t *vals = ea_report_get(doc, "series.values"), *e;
    size_t i;

    r->n = json_array_size(vals);
    r->h = r->n ? malloc(r->n * sizeof *r->h) : NULL;
    if (r->n < 2 || r->h == NULL) {
        snprintf(err, errlen, "the %s report's series lists %zu runs (a series has at least 2)",
                 which, r->n);
        return -1;
    }
    json_array_foreach(vals, i, e) {
        const json_t *h = json_object_get(e, "h");
        if (!json_is_number(h) || !isfinite(json_number_value(h)) || json_number_value(h) < 0) {
            snprintf(err, errlen, "the %s report's series: run %zu has no assessed value", which,
                     i + 1);
            return -1;
        }
        r->h[i] = json_number_value(h);
    }
    if (ea_series_median_ci(r->h, r->n, 0.95, &r->ci) != EA_OK) {
        snprintf(err, errlen, "the %s report's series cannot be summarised", which);
        return -1;
    }
    return 0;
}

static ea_check_row *add(ea_check_set *s, const char *name)
{
    ea_check_row *r;

    if (s->n >= EA_CHECK_MAX)
        return NULL;
    r = &s->r[s->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->base = -1;
    return r;
}

static double drop_pct(double base, double cur)
{
    double d = base > 0 ? (base - cur) / base * 100.0 : 0.0;

    return fabs(d) < 0.005 ? 0.0 : d;   /* never -0.00 */
}

/* "0.8770 [0.8500, 0.9100]" */
static void summary(char *buf, size_t n, const runs_of *r)
{
    snprintf(buf, n, "%.4f [%.4f, %.4f]", r->ci.median, r->ci.lower, r->ci.upper);
}

static int test_rows(ea_check_set *s, const runs_of *cur, const runs_of *base,
                     const ea_series_gate_opts *o, char *err, size_t errlen)
{
    ea_mann_whitney mw;
    ea_check_row *r;
    char bs[64], cs[64];
    double drop = drop_pct(base->ci.median, cur->ci.median);
    int significant;

    if (ea_mann_whitney_lower(cur->h, cur->n, base->h, base->n, &mw) != EA_OK) {
        snprintf(err, errlen, "the rank test could not be computed (out of memory)");
        return -1;
    }
    if (mw.p_min > o->alpha) {
        snprintf(err, errlen, "%zu runs against %zu: the smallest p-value the test can give is "
                 "%.3g, above --alpha %g, so the gate could never fail; record more runs "
                 "(collect --runs K; 5 against 5 reach 0.004) or raise --alpha", cur->n, base->n,
                 mw.p_min, o->alpha);
        return -1;
    }
    if ((r = add(s, "assessed min-entropy (series, rank test)")) == NULL)
        return 1;
    significant = mw.p <= o->alpha;
    summary(bs, sizeof bs, base);
    summary(cs, sizeof cs, cur);
    r->base = base->ci.median;
    r->cur = cur->ci.median;
    r->limit = o->min_effect;
    r->failed = significant && drop >= o->min_effect - 1e-9;
    snprintf(r->why, sizeof r->why, "median %s -> %s (intervals %.1f%% / %.1f%%); drop %.2f%% "
             "(--min-effect %.2f%%); one-sided Mann-Whitney p = %.3g (%s, %zu vs %zu runs, "
             "--alpha %g)%s", bs, cs, 100.0 * base->ci.coverage, 100.0 * cur->ci.coverage, drop,
             o->min_effect, mw.p, mw.exact ? "exact" : "normal approximation", cur->n, base->n,
             o->alpha,
             r->failed ? ": a regression"
             : significant ? ": lower, but by less than --min-effect" : ": no significant drop");
    if ((r = add(s, "lowest run (the 90B verdict's value)")) != NULL) {
        double bl = base->h[0], cl = cur->h[0];
        for (size_t i = 1; i < base->n; i++)
            bl = fmin(bl, base->h[i]);
        for (size_t i = 1; i < cur->n; i++)
            cl = fmin(cl, cur->h[i]);
        r->base = bl;
        r->cur = cl;
        r->info = 1;
        snprintf(r->why, sizeof r->why, "%+.2f%% (information: the rank test above decides)",
                 -drop_pct(bl, cl));
    }
    return 1;
}

/* One side a series, the other one collection: the series' median against the value. */
static int mixed_row(ea_check_set *s, const json_t *doc, const json_t *base, const runs_of *ser,
                     int cur_is_series, const ea_series_gate_opts *o)
{
    ea_check_row *r = add(s, "assessed min-entropy (series median vs one collection)");
    double one = ea_report_num(cur_is_series ? base : doc, "verdict.h_assessed", -1), drop;

    if (r == NULL)
        return 1;
    r->base = cur_is_series ? one : ser->ci.median;
    r->cur = cur_is_series ? ser->ci.median : one;
    r->limit = o->max_drop;
    drop = drop_pct(r->base, r->cur);
    r->failed = r->base >= 0 && r->cur >= 0 && drop > o->max_drop + 1e-9;
    snprintf(r->why, sizeof r->why, "%+.2f%% (allowed drop %.2f%%); the %s is a series of %zu, "
             "the %s one collection: one value has no spread, so no rank test; collect a series "
             "for both (collect --runs K)", -drop, o->max_drop, cur_is_series ? "current report"
             : "baseline", ser->n, cur_is_series ? "baseline" : "current report");
    return 1;
}

int ea_series_gate(ea_check_set *s, const json_t *doc, const json_t *base,
                   const ea_series_gate_opts *o, char *err, size_t errlen)
{
    int cs = ea_report_is_series(doc), bs = ea_report_is_series(base), rc;
    runs_of cur = {0}, old = {0};

    if (!cs && !bs)
        return 0;
    if ((cs && read_runs(doc, "current", &cur, err, errlen) != 0) ||
        (bs && read_runs(base, "baseline", &old, err, errlen) != 0))
        rc = -1;
    else if (cs && bs)
        rc = test_rows(s, &cur, &old, o, err, errlen);
    else
        rc = mixed_row(s, doc, base, cs ? &cur : &old, cs, o);
    free(cur.h);
    free(old.h);
    return rc;
}
