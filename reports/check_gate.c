/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_gate.c - the rows of `ea90b check` (check_gate.h): the verdict
 * (FAIL fails, INCOMPLETE fails unless allowed), the assessed min-entropy
 * (SP 800-90B §3.1.3) against a floor, and the assessed value, the final
 * estimate and the non-IID estimators (§6.3) against a baseline report;
 * series (either side) go to series_gate.c.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_gate.h"
#include "report.h"
#include "series_gate.h"

static ea_check_row *add(ea_check_set *s, const char *name)
{
    ea_check_row *r;

    if (s->n >= EA_CHECK_MAX)
        return NULL;
    r = &s->r[s->n++];
    memset(r, 0, sizeof(*r));
    snprintf(r->name, sizeof r->name, "%s", name);
    r->base = -1;
    return r;
}

static void floor_check(ea_check_set *s, const json_t *doc, double h)
{
    ea_check_row *r = add(s, "assessed min-entropy >= --min-entropy");

    if (r == NULL)
        return;
    r->cur = ea_report_num(doc, "verdict.h_assessed", 0);
    r->limit = h;
    r->failed = r->cur + 1e-12 < h;
    snprintf(r->why, sizeof r->why, "%.6g bits per sample %s %.6g", r->cur, r->failed ? "<" : ">=", h);
}

/* FAIL fails; INCOMPLETE fails unless --allow-incomplete. */
static void verdict_check(ea_check_set *s, const json_t *doc, int allow_incomplete)
{
    ea_check_row *r = add(s, "report verdict");
    const char *st = ea_report_str(doc, "verdict.status", "?");
    json_t *reasons = ea_report_get(doc, "verdict.reasons"), *v;
    size_t len, i;
    int incomplete = strcmp(st, "INCOMPLETE") == 0;

    if (r == NULL)
        return;
    r->cur = ea_report_num(doc, "verdict.h_final", 0);
    r->no_cur = incomplete;   /* no final estimate without a restart result */
    r->failed = strcmp(st, "FAIL") == 0 || (incomplete && !allow_incomplete) ||
                (strcmp(st, "PASS") != 0 && !incomplete);
    len = (size_t)snprintf(r->why, sizeof r->why, "%s", st);
    json_array_foreach(reasons, i, v)
        if (len < sizeof r->why)
            len += (size_t)snprintf(r->why + len, sizeof r->why - len, "%s%s", i ? "; " : ": ",
                                    json_string_value(v) ? json_string_value(v) : "?");
    if (incomplete && len < sizeof r->why)
        snprintf(r->why + len, sizeof r->why - len, "%s", allow_incomplete ? " (accepted: --allow-incomplete)"
                                                                           : " (--allow-incomplete accepts it)");
}

static void drop_check(ea_check_set *s, const char *name, double base, double cur, double max_drop,
                       int info)
{
    ea_check_row *r;
    double drop;
    const char *what;

    if (base < 0 || cur < 0 || (r = add(s, name)) == NULL)
        return;
    r->base = base;
    r->cur = cur;
    r->limit = max_drop;
    r->info = info;
    drop = base > 0 ? (base - cur) / base * 100.0 : 0.0;
    r->failed = !info && drop > max_drop + 1e-9;
    /* a change that rounds to zero prints as 0.00%, never -0.00% */
    what = info ? "information; --per-estimator gates at" : "allowed drop";
    if (fabs(drop) < 0.005)
        snprintf(r->why, sizeof r->why, "0.00%% (%s %.2f%%)", what, max_drop);
    else
        snprintf(r->why, sizeof r->why, "%+.2f%% (%s %.2f%%)", -drop, what, max_drop);
}

/* Per-sample h of one estimator side, or -1 when absent (or the width is
 * no int: converting it would be undefined). */
static double est_h(const json_t *doc, const char *side, const char *key)
{
    char path[128];
    double width = ea_report_num(doc, "data.bits_per_symbol", 1);
    int bits;
    json_t *v;

    if (!(width > (double)INT_MIN - 1.0 && width < (double)INT_MAX + 1.0))
        return -1.0;
    bits = (int)width;
    snprintf(path, sizeof path, "noniid.report.estimators.%s.%s.h", side, key);
    v = ea_report_get(doc, path);
    if (!json_is_number(v))
        return -1.0;
    return json_number_value(v) * (strcmp(side, "bitstring") == 0 ? bits : 1);
}

/*
 * Gated: the assessed min-entropy and the final estimate. The non-IID
 * estimators move by tens of percent between collections of jitter noise
 * (docs/ci.md), so they are information unless per_estimator.
 */
static void baseline_checks(ea_check_set *s, const json_t *doc, const json_t *base, double max_drop,
                            int per_estimator)
{
    static const char *const sides[2] = { "literal", "bitstring" };
    char name[96];
    int info = !per_estimator;

    drop_check(s, "assessed min-entropy", ea_report_num(base, "verdict.h_assessed", -1),
               ea_report_num(doc, "verdict.h_assessed", -1), max_drop, 0);
    drop_check(s, "final entropy estimate", ea_report_num(base, "verdict.h_final", -1),
               ea_report_num(doc, "verdict.h_final", -1), max_drop, 0);
    drop_check(s, "H_original (non-IID)", ea_report_num(base, "noniid.report.results.h_original", -1),
               ea_report_num(doc, "noniid.report.results.h_original", -1), max_drop, info);
    drop_check(s, "H_bitstring (non-IID)", ea_report_num(base, "noniid.report.results.h_bitstring", -1),
               ea_report_num(doc, "noniid.report.results.h_bitstring", -1), max_drop, info);
    for (int sd = 0; sd < 2; sd++)
        for (size_t i = 0; ea_report_est_key(i) != NULL; i++) {
            snprintf(name, sizeof name, "%s %s", ea_report_est_key(i), sides[sd]);
            drop_check(s, name, est_h(base, sides[sd], ea_report_est_key(i)),
                       est_h(doc, sides[sd], ea_report_est_key(i)), max_drop, info);
        }
}

/* One collection against one: the first row says what that comparison cannot tell. */
static void single_note(ea_check_set *s, int first)
{
    ea_check_row *r = first < s->n ? &s->r[first] : NULL;
    size_t len;

    if (r == NULL || strcmp(r->name, "assessed min-entropy") != 0)
        return;
    len = strlen(r->why);
    snprintf(r->why + len, sizeof r->why - len, "; one collection against one cannot tell a "
             "regression from run-to-run noise (tens of %%): compare series (collect --runs K)");
}

int ea_check_gate(ea_check_set *s, const json_t *doc, const json_t *base, const ea_check_opts *o,
                  char *err, size_t errlen)
{
    ea_series_gate_opts so = {o->alpha > 0 ? o->alpha : EA_SERIES_ALPHA, o->min_effect,
                              o->max_drop};
    int first, rc = 0;

    s->n = 0;
    if (errlen > 0)
        err[0] = '\0';
    verdict_check(s, doc, o->allow_incomplete);
    if (o->have_min)
        floor_check(s, doc, o->min_h);
    if (base == NULL)
        return 0;
    first = s->n;
    rc = ea_series_gate(s, doc, base, &so, err, errlen);
    if (rc == 0) {
        baseline_checks(s, doc, base, o->max_drop, o->per_estimator);
        single_note(s, first);
    }
    return rc < 0 ? -1 : 0;
}

void ea_check_count(const ea_check_set *s, int *failed, int *gated)
{
    *failed = 0;
    *gated = 0;
    for (int i = 0; i < s->n; i++) {
        *failed += s->r[i].failed;
        *gated += !s->r[i].info;
    }
}
