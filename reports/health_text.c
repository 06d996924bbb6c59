/* SPDX-License-Identifier: Apache-2.0 */
/*
 * health_text.c - SP 800-90B §4.4 health-test cutoffs and replays as text and JSON
 * (ea90b health). Schema in docs/health-tests.md.
 */
#include <jansson.h>
#include <math.h>

#include "conditioning_report.h"
#include "json_util.h"

#define SCHEMA_VERSION 1

/* alpha as 2^-k when it is one, else in %g. */
static void fmt_alpha(char *buf, size_t sz, double alpha)
{
    int e;
    double m = frexp(alpha, &e);

    if (m == 0.5)
        snprintf(buf, sz, "2^%d", e - 1);
    else
        snprintf(buf, sz, "%.6g", alpha);
}

void ea_render_health_cutoffs_text(FILE *f, const ea_health_report *rep)
{
    char al[32];
    int lw;

    if (rep->nrows == 0)
        return;
    lw = rep->rows[0].label[0] ? 18 : 0;
    if (rep->osr > 0)
        fprintf(f, "jitterentropy health-test profile, OSR %d: H = 1/%d bit per time delta, APT window %d\n"
                   "(corrected APT form, cutoff capped at the window; jitterentropy's RCT counter is C - 1)\n",
                rep->osr, rep->osr, rep->rows[0].c.window);
    else
        fprintf(f, "SP 800-90B 4.4 health-test cutoffs, H = %.6g bits per sample, APT window %d%s\n",
                rep->rows[0].c.h, rep->rows[0].c.window, rep->rows[0].c.binary ? " (binary)" : "");
    fprintf(f, "  %-*s%-10s %8s %8s  %s\n", lw, "", "alpha", "RCT C", "APT C", "APT false positives/window");
    for (size_t i = 0; i < rep->nrows; i++) {
        const ea_health_cutoffs *c = &rep->rows[i].c;
        double fp = ea_health_apt_rate(c->h, c->window, c->apt_cutoff);

        fmt_alpha(al, sizeof al, c->alpha);
        fprintf(f, "  %-*s%-10s %8d %8d  %.3g%s\n", lw, rep->rows[i].label, al, c->rct_cutoff,
                c->apt_cutoff, fp, c->apt_cutoff > c->window ? " (cannot fail)" : "");
    }
    if (rep->rows[0].c.apt_corrected)
        fprintf(f, "APT C: the corrected form, smallest C with Pr[1 + Binomial(W - 1, 2^-H) >= C] <= alpha.\n"
                   "The last column is the rate of the test as run (at most alpha unless capped at W).\n");
    else
        fprintf(f, "APT C: SP 800-90B's 1 + CRITBINOM(W, 2^-H, 1 - alpha). The last column is the rate of\n"
                   "the test as run, whose count is 1 + Binomial(W - 1, 2^-H) (the window's first sample\n"
                   "always counts): it can be a little above alpha.\n");
}

/* Failures judged against chance (at most the Poisson(expected) 1 - 1e-6 quantile is normal),
 * and the longest run and largest count against the claim over the whole record. */
static void verdict_line(FILE *f, const ea_health_cutoffs *c, const ea_health_replay_result *r)
{
    char why[EA_HEALTH_VERDICT_TEXT];

    if (r->excess) {
        ea_health_verdict_text(c, r, why, sizeof why);
        fprintf(f, "  failures: RCT %zu (chance explains up to %zu), APT %zu (up to %zu)\n",
                r->rct_failures, r->rct_allowed, r->apt_failures, r->apt_allowed);
        fprintf(f, "  FLAGGED: %s; the claim is too high for this source, or it misbehaved while "
                   "recording\n", why);
        return;
    }
    if (r->rct_failures + r->apt_failures == 0) {
        fprintf(f, "  no failures\n");
        return;
    }
    fprintf(f, "  failures within chance: RCT %zu (up to %zu), APT %zu (up to %zu) are expected false "
               "positives at this alpha\n", r->rct_failures, r->rct_allowed, r->apt_failures, r->apt_allowed);
}

static void replay_row(FILE *f, const ea_health_row *row)
{
    const ea_health_cutoffs *c = &row->c;
    const ea_health_replay_result *r = &row->r;
    char al[32];

    fmt_alpha(al, sizeof al, c->alpha);
    fprintf(f, "%s: H = %.6g, alpha = %s\n", row->label, c->h, al);
    fprintf(f, "  RCT (4.4.1) cutoff %d: longest run %zu, failures %zu", c->rct_cutoff,
            r->longest_run, r->rct_failures);
    if (r->rct_failures)
        fprintf(f, " (first at sample %zu)", r->first_rct_failure);
    fprintf(f, "; expected false positives %.3g\n", r->rct_expected_fp);
    fprintf(f, "  APT (4.4.2) cutoff %d, window %d: %zu windows, largest count %d, failures %zu",
            c->apt_cutoff, c->window, r->apt_windows, r->max_apt_count, r->apt_failures);
    if (r->apt_failures)
        fprintf(f, " (first in window %zu)", r->first_apt_failure);
    fprintf(f, "; expected false positives %.3g\n", r->apt_expected_fp);
    if (!r->apt_can_fail)
        fprintf(f, "  the APT cannot fail at this claim: cutoff %d exceeds the window %d\n",
                c->apt_cutoff, c->window);
    verdict_line(f, c, r);
}

void ea_render_health_replay_text(FILE *f, const ea_health_report *rep)
{
    if (rep->nrows > 0)
        fprintf(f, "%s: %zu samples\n", rep->filename ? rep->filename : "-", rep->rows[0].r.samples);
    for (size_t i = 0; i < rep->nrows; i++)
        replay_row(f, &rep->rows[i]);
}

static void set_int(json_t *o, const char *k, long long v)
{
    json_object_set_new(o, k, json_integer((json_int_t)v));
}

/* Why the replay was flagged ("" when it was not). */
static void set_reason(json_t *o, const ea_health_cutoffs *c, const ea_health_replay_result *r)
{
    char why[EA_HEALTH_VERDICT_TEXT];

    ea_health_verdict_text(c, r, why, sizeof why);
    json_object_set_new(o, "verdict_reason", json_string(why));
}

static json_t *row_json(const ea_health_row *row, int replay)
{
    const ea_health_cutoffs *c = &row->c;
    const ea_health_replay_result *r = &row->r;
    json_t *o = json_object();

    json_object_set_new(o, "label", json_string(row->label));
    json_object_set_new(o, "h", json_real(c->h));
    json_object_set_new(o, "alpha", json_real(c->alpha));
    json_object_set_new(o, "alpha_log2", json_real(log2(c->alpha)));
    json_object_set_new(o, "binary", json_boolean(c->binary));
    set_int(o, "rct_cutoff", c->rct_cutoff);
    set_int(o, "apt_window", c->window);
    set_int(o, "apt_cutoff", c->apt_cutoff);
    json_object_set_new(o, "apt_form", json_string(c->apt_corrected ? "corrected" : "sp800-90b"));
    json_object_set_new(o, "apt_false_positive_per_window",
                        json_real(ea_health_apt_rate(c->h, c->window, c->apt_cutoff)));
    if (!replay)
        return o;
    /* the verdict: failures above the Poisson(expected) 1 - 1e-6 quantile, or a longest run or
     * largest count below probability 1e-6 under the claim, flag the replay */
    set_int(o, "rct_allowed", (long long)r->rct_allowed);
    set_int(o, "apt_allowed", (long long)r->apt_allowed);
    json_object_set_new(o, "apt_can_fail", json_boolean(r->apt_can_fail));
    json_object_set_new(o, "excess_failures", json_boolean(r->excess));
    json_object_set_new(o, "longest_run_log2_probability", json_real(r->longest_run_log2p));
    json_object_set_new(o, "max_apt_count_log2_probability", json_real(r->max_apt_log2p));
    json_object_set_new(o, "rct_improbable", json_boolean(r->rct_improbable));
    json_object_set_new(o, "apt_improbable", json_boolean(r->apt_improbable));
    set_reason(o, c, r);
    set_int(o, "samples", (long long)r->samples);
    set_int(o, "longest_run", (long long)r->longest_run);
    set_int(o, "rct_failures", (long long)r->rct_failures);
    set_int(o, "first_rct_failure", r->rct_failures ? (long long)r->first_rct_failure : -1);
    json_object_set_new(o, "rct_expected_false_positives", json_real(r->rct_expected_fp));
    set_int(o, "apt_windows", (long long)r->apt_windows);
    set_int(o, "max_apt_count", r->max_apt_count);
    set_int(o, "apt_failures", (long long)r->apt_failures);
    set_int(o, "first_apt_failure", r->apt_failures ? (long long)r->first_apt_failure : -1);
    json_object_set_new(o, "apt_expected_false_positives", json_real(r->apt_expected_fp));
    return o;
}

int ea_render_health_json(FILE *f, const ea_health_report *rep)
{
    int replay = rep->filename != NULL;
    json_t *o = ea_json_report(SCHEMA_VERSION, replay ? "health replay" : "health cutoffs",
                               rep->commandline, rep->timestamp);
    json_t *rows = json_array();

    if (replay) {
        json_object_set_new(o, "filename", json_string(rep->filename));
        json_object_set_new(o, "sha256", json_string(rep->sha256 ? rep->sha256 : ""));
    }
    if (rep->osr > 0)
        set_int(o, "jent_osr", rep->osr);
    for (size_t i = 0; i < rep->nrows; i++)
        json_array_append_new(rows, row_json(&rep->rows[i], replay));
    json_object_set_new(o, "rows", rows);
    return ea_json_dump(f, o);
}
