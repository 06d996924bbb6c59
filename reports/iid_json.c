/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iid_json.c - ea90b's own IID JSON (`ea90b iid --json`) and the short
 * human summary. Schema in docs/json-iid.md.
 */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "json_util.h"
#include "reports.h"

#define SCHEMA_VERSION 1

/*
 * Why a statistic has no finite value. The only one that can: the average
 * collision length (§5.1.7) when no value repeats (the average of no
 * lengths; the reference prints nan and counts every permutation as C2,
 * since comparisons with NaN are false; the counts here are the same).
 */
static const char *undefined_note(ea_iid_stat_id id)
{
    return id == EA_IID_AVG_COLLISION ? "no collision: undefined" : "not finite: undefined";
}

/* A number, or null plus "<k>_note" saying why: JSON has no NaN or
 * infinity, and jansson would drop the key silently. */
static void set_real_note(json_t *o, const char *k, long double v, const char *note)
{
    char key[64];

    if (isfinite(v)) {
        json_object_set_new(o, k, json_real((double)v));
        return;
    }
    json_object_set_new(o, k, json_null());
    snprintf(key, sizeof key, "%s_note", k);
    json_object_set_new(o, key, json_string(note));
}

static void set_real(json_t *o, const char *k, double v)
{
    set_real_note(o, k, v, "not finite: undefined");
}

static json_t *chisq_part(const ea_chisq_part *p)
{
    json_t *o = json_object();
    set_real(o, "score", p->score);
    json_object_set_new(o, "df", json_integer(p->df));
    set_real(o, "p_value", p->p_value);
    json_object_set_new(o, "passed", json_boolean(p->passed));
    return o;
}

static json_t *mcv(const ea_mcv_result *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "mode", json_integer(m->mode));
    set_real(o, "p_hat", m->p_hat);
    set_real(o, "p_u", m->p_u);
    set_real(o, "h", m->h);
    return o;
}

static json_t *perm_obj(const ea_perm_result *p)
{
    json_t *o = json_object(), *stats = json_array();

    for (int i = 0; i < EA_IID_NSTATS; i++) {
        const ea_perm_count *c = &p->stat[i];
        json_t *s = json_object();
        json_object_set_new(s, "name", json_string(ea_iid_stat_name((ea_iid_stat_id)i)));
        set_real_note(s, "original", c->original, undefined_note((ea_iid_stat_id)i));
        json_object_set_new(s, "C0", json_integer(c->c[0]));
        json_object_set_new(s, "C1", json_integer(c->c[1]));
        json_object_set_new(s, "C2", json_integer(c->c[2]));
        json_object_set_new(s, "computed", json_boolean(c->computed));
        json_object_set_new(s, "settled", json_boolean(c->settled));
        json_object_set_new(s, "passed", json_boolean(c->passed));
        json_array_append_new(stats, s);
    }
    json_object_set_new(o, "permutations_run", json_integer(p->permutations_run));
    json_object_set_new(o, "decided_early", json_boolean(p->decided_early));
    json_object_set_new(o, "statistics", stats);
    json_object_set_new(o, "passed", json_boolean(p->passed));
    return o;
}

static json_t *options_obj(const ea_iid_report *r)
{
    json_t *o = json_object();
    char seed[24];

    snprintf(seed, sizeof seed, "%" PRIu64, r->seed);
    json_object_set_new(o, "mode", json_string(r->initial ? "initial" : "conditioned"));
    json_object_set_new(o, "bitstring", json_string(r->all_bits ? "all" : "truncated"));
    json_object_set_new(o, "seed", json_string(seed));
    json_object_set_new(o, "seed_source", json_string(r->seed_drawn ? "getrandom" : "--seed"));
    json_object_set_new(o, "scheduling", json_string(r->full ? "full" : "decisive"));
    json_object_set_new(o, "compression", json_string(r->libbz2 ? "libbz2" : "length-model"));
    json_object_set_new(o, "threads", json_integer(r->threads));
    return o;
}

int ea_render_iid_json(FILE *f, const ea_iid_report *r)
{
    const ea_iid_result *res = r->res;
    json_t *o = ea_json_report(SCHEMA_VERSION, "iid", r->commandline, r->timestamp);
    json_t *est = json_object(), *chisq = json_object(), *lrs = json_object();

    json_object_set_new(o, "input", ea_json_input(r->filename, r->sha256, r->file_bytes, r->ds,
                                                 r->subset_index, r->subset_size));
    json_object_set_new(o, "options", options_obj(r));
    set_real(o, "mean", res->baseline.raw_mean);
    set_real(o, "median", res->baseline.median);
    json_object_set_new(o, "binary", json_boolean(res->baseline.binary));

    if (res->has_literal)
        json_object_set_new(est, "literal_mcv", mcv(&res->mcv_literal));
    if (res->has_bitstring)
        json_object_set_new(est, "bitstring_mcv", mcv(&res->mcv_bitstring));
    set_real(est, "h_original", res->h_original);
    set_real(est, "h_bitstring", res->h_bitstring);
    set_real(est, "h_assessed", res->h_assessed);
    json_object_set_new(o, "min_entropy", est);

    json_object_set_new(chisq, "independence", chisq_part(&res->chisq.independence));
    json_object_set_new(chisq, "goodness_of_fit", chisq_part(&res->chisq.goodness_of_fit));
    json_object_set_new(chisq, "passed", json_boolean(res->chisq.passed));
    json_object_set_new(o, "chi_square", chisq);

    set_real(lrs, "p_col", res->lrs.p_col);
    json_object_set_new(lrs, "W", json_integer(res->lrs.W));
    set_real(lrs, "p_x_ge_1", res->lrs.p_x_ge_1);
    json_object_set_new(lrs, "passed", json_boolean(res->lrs.passed));
    json_object_set_new(o, "lrs_test", lrs);

    json_object_set_new(o, "permutation", perm_obj(&res->perm));
    json_object_set_new(o, "iid", json_boolean(res->iid));
    set_real(o, "seconds", r->seconds);

    return ea_json_dump(f, o);
}

static void stat_row(FILE *f, const ea_perm_count *c, ea_iid_stat_id id)
{
    const char *mark = !c->computed ? "  (not needed: verdict already settled)"
                       : c->passed ? "" : "  FAIL";

    fprintf(f, "  %-22s ", ea_iid_stat_name(id));
    if (isfinite(c->original))
        fprintf(f, "%14.6Lg", c->original);
    else
        fprintf(f, "%14s", "n/a");
    fprintf(f, " %7ld %7ld %7ld%s", c->c[0], c->c[1], c->c[2], mark);
    if (!isfinite(c->original))
        fprintf(f, "%s(%s)", mark[0] ? " " : "  ", undefined_note(id));
    fputc('\n', f);
}

/* What the scheduling did, in words that match the counts shown. */
static const char *scheduling_note(const ea_iid_report *r)
{
    const ea_perm_result *p = &r->res->perm;

    if (r->full)
        return "full: every statistic counted as the reference does";
    if (p->decided_early)
        return "decisive: compression not needed, a cheap statistic already failed";
    return "decisive: every statistic was needed";
}

void ea_render_iid_summary(FILE *f, const ea_iid_report *r)
{
    const ea_iid_result *res = r->res;
    const ea_perm_result *p = &res->perm;

    fprintf(f, "ea90b %s IID testing (SP 800-90B section 5, NIST %s parity)\n", EA90B_VERSION,
            EA90B_NIST_VERSION);
    fprintf(f, "file     %s\nsha256   %s\n", r->filename, r->sha256);
    fprintf(f, "samples  %zu of %d bits, %d distinct symbols\n", r->ds->len, r->ds->bits,
            r->ds->alph_size);
    fprintf(f, "seed     %" PRIu64 "%s  (rerun with --seed %" PRIu64 ")\n\n", r->seed,
            r->seed_drawn ? " (drawn)" : "", r->seed);
    fprintf(f, "chi-square independence    score %.6f  df %ld  p %.6f  %s\n",
            res->chisq.independence.score, res->chisq.independence.df,
            res->chisq.independence.p_value, res->chisq.independence.passed ? "pass" : "FAIL");
    fprintf(f, "chi-square goodness of fit score %.6f  df %ld  p %.6f  %s\n",
            res->chisq.goodness_of_fit.score, res->chisq.goodness_of_fit.df,
            res->chisq.goodness_of_fit.p_value, res->chisq.goodness_of_fit.passed ? "pass" : "FAIL");
    fprintf(f, "longest repeated substring W %ld  Pr(X>=1) %.6f  %s\n", res->lrs.W, res->lrs.p_x_ge_1,
            res->lrs.passed ? "pass" : "FAIL");
    fprintf(f, "\n  %-22s %14s %7s %7s %7s\n", "permutation statistic", "original", "C0", "C1", "C2");
    for (int i = 0; i < EA_IID_NSTATS; i++)
        stat_row(f, &p->stat[i], (ea_iid_stat_id)i);
    fprintf(f, "permutations %ld (%s)\n\n", p->permutations_run, scheduling_note(r));
    fprintf(f, "chi-square %s, LRS %s, permutation %s\n", res->chisq.passed ? "pass" : "FAIL",
            res->lrs.passed ? "pass" : "FAIL", p->passed ? "pass" : "FAIL");
    fprintf(f, "verdict  %s\n", res->iid ? "IID" : "NOT IID (use the non-IID track)");
    if (res->has_literal)
        fprintf(f, "H_original   %.6f bits per sample (MCV)\n", res->h_original);
    if (res->has_bitstring)
        fprintf(f, "H_bitstring  %.6f bits per bit (MCV)\n", res->h_bitstring);
    fprintf(f, "assessed     %.6f bits per %d-bit sample\n", res->h_assessed, r->ds->bits);
    fprintf(f, "time     %.3f s (%d thread%s)\n", r->seconds, r->threads, r->threads == 1 ? "" : "s");
}
