/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nist_iid.c - the text and JSON NIST's ea_iid 1.1.7 produces, rendered
 * from an ea_iid_result: same lines at each verbosity (0 quiet, 1 default,
 * 2 for -v, 3 for -vv), same JSON fields.
 *
 * Permutation counts for statistics that a decisive run did not compute
 * to the end are not the reference's; the drop-in runs --full by default,
 * where every count is what the reference's procedure gives for our seed.
 *
 * Deviation: a statistic without a finite value (the average collision
 * length when no value repeats) is printed as "n/a (no collision)" where
 * the reference prints nan; its counts are the reference's (every
 * comparison with NaN is false, so each permutation counts as C2).
 */
#include <float.h>
#include <jansson.h>
#include <math.h>

#include "json_util.h"
#include "nist_json.h"
#include "nist_stream.h"
#include "nist_text.h"
#include "reports.h"

static void baseline(FILE *f, const ea_iid_report *r, int v)
{
    const ea_iid_baseline *b = &r->res->baseline;

    if (v == 1 || v == 2)
        fprintf(f, "Calculating baseline statistics...\n");
    if (v == 2) {
        fprintf(f, "\tRaw Mean: %f\n\tMedian: %f\n\tBinary: %s\n\n", b->raw_mean, b->median,
                b->binary ? "true" : "false");
    } else if (v > 2) {
        fprintf(f, "Raw Mean = %.17g\nMedian = %.17g\nBinary = %s\n", b->raw_mean, b->median,
                b->binary ? "true" : "false");
    }
}

static void entropy(FILE *f, const ea_iid_report *r, int v)
{
    const ea_iid_result *res = r->res;
    ea_nist_final x = { r->initial, r->ds->alph_size, r->ds->bits, res->has_literal,
                        res->has_bitstring, res->h_original, res->h_bitstring, res->h_assessed };

    if (res->has_literal)
        ea_nist_mcv_lines(f, &res->mcv_literal, "Literal", v);
    if (res->has_bitstring)
        ea_nist_mcv_lines(f, &res->mcv_bitstring, "Bitstring", v);
    ea_nist_final_lines(f, &x, v, "");
}

static void verdict(FILE *f, int v, int passed, const char *short_name, const char *long_name)
{
    if (v == 1 || v == 2)
        fprintf(f, "** %s %s\n\n", passed ? "Passed" : "Failed", long_name);
    else if (v > 2)
        fprintf(f, "%s: %s\n", short_name, passed ? "Passed" : "Failed");
}

static void chisq_part(FILE *f, const ea_chisq_part *p, const char *name, int v)
{
    if (v == 2)
        fprintf(f, "Chi square %s\n\tscore = %f\n\tdegrees of freedom = %ld\n\tp-value = %f\n\n",
                name, p->score, p->df, p->p_value);
    else if (v >= 3)
        fprintf(f, "Chi square %s: T = %.17g\nChi square %s: df = %ld\nChi square %s: P-value = %.17g\n",
                name, p->score, name, p->df, name, p->p_value);
}

static void lrs(FILE *f, const ea_lrs_test_result *l, int v)
{
    if (l->p_col > 1.0 - DBL_EPSILON) {
        if (v == 2)
            fprintf(f, "\tPr(X >= 1) = 1.0\n");
        else if (v > 2)
            fprintf(f, "Literal Longest Repeated Substring: P_col = 1.0\n"
                       "Literal Longest Repeated Substring: Pr(X >= 1) = 1.0\n");
        return;
    }
    if (v > 2) {
        fprintf(f, "Literal Longest Repeated Substring results: P_col = %.22Lg\n", (long double)l->p_col);
        fprintf(f, "Literal Longest Repeated Substring results: W = %ld\n", l->W);
        fprintf(f, "Literal Longest Repeated Substring results: Pr(X >= 1) = %.22Lg\n",
                (long double)l->p_x_ge_1);
    } else if (v == 2) {
        fprintf(f, "Literal Longest Repeated Substring results\n\tP_col: %Lf\n\tLength of LRS: %ld\n"
                   "\tPr(X >= 1): %Lf\n",
                (long double)l->p_col, l->W, (long double)l->p_x_ge_1);
    }
}

static int stat_failed(const ea_perm_count *c)
{
    return c->c[0] + c->c[1] <= 5 || c->c[1] + c->c[2] <= 5;
}

static const char *undefined_text(ea_iid_stat_id id)
{
    return id == EA_IID_AVG_COLLISION ? "n/a (no collision)" : "n/a (not finite)";
}

/* The unpermuted statistics (before the permutations run, where progress lines follow). */
static void perm_intro(FILE *f, const ea_perm_result *p, int v)
{
    if (v == 2) {
        fprintf(f, "Beginning initial tests...\n\nInitial test results\n");
        for (int i = 0; i < EA_IID_NSTATS; i++) {
            long double x = p->stat[i].original;
            fprintf(f, "%23s: ", ea_iid_stat_name((ea_iid_stat_id)i));
            if (isfinite(x))
                fprintf(f, "%Lg\n", ea_nzl(x));
            else
                fprintf(f, "%s\n", undefined_text((ea_iid_stat_id)i));
        }
        fprintf(f, "\nBeginning permutation tests... these may take some time\n");
    } else if (v >= 3) {
        for (int i = 0; i < EA_IID_NSTATS; i++) {
            long double x = p->stat[i].original;
            fprintf(f, "Permutation testing: Unpermuted result %s = ", ea_iid_stat_name((ea_iid_stat_id)i));
            if (isfinite(x))
                fprintf(f, "%.22Lg\n", ea_nzl(x));
            else
                fprintf(f, "%s\n", undefined_text((ea_iid_stat_id)i));
        }
    }
}

/* The count table, after the permutations. */
static void perm_table(FILE *f, const ea_perm_result *p, int v)
{
    if (v > 1) {
        fprintf(f, "\n\n                statistic  C[i][0]  C[i][1]  C[i][2]\n"
                   "----------------------------------------------------\n");
        for (int i = 0; i < EA_IID_NSTATS; i++) {
            const ea_perm_count *c = &p->stat[i];
            if (stat_failed(c))
                fprintf(f, "%24s*", ea_iid_stat_name((ea_iid_stat_id)i));
            else
                fprintf(f, "%25s", ea_iid_stat_name((ea_iid_stat_id)i));
            fprintf(f, "%8ld%8ld%8ld\n", c->c[0], c->c[1], c->c[2]);
        }
        fprintf(f, "(* denotes failed test)\n\n");
    }
}

void ea_render_nist_iid_text_part(FILE *f, const ea_iid_report *r, int v, int part)
{
    const ea_iid_result *res = r->res;

    if (part == 0) {
        baseline(f, r, v);
        entropy(f, r, v);
        chisq_part(f, &res->chisq.independence, "independence", v);
        chisq_part(f, &res->chisq.goodness_of_fit, "goodness of fit", v);
        verdict(f, v, res->chisq.passed, "Chi square tests", "chi square tests");
        if (v > 1)
            lrs(f, &res->lrs, v);
        verdict(f, v, res->lrs.passed, "Length of longest repeated substring test",
                "length of longest repeated substring test");
        perm_intro(f, &res->perm, v);
        return;
    }
    perm_table(f, &res->perm, v);
    verdict(f, v, res->perm.passed, "IID permutation tests", "IID permutation tests");
}

void ea_render_nist_iid_text(FILE *f, const ea_iid_report *r, int v)
{
    ea_render_nist_iid_text_part(f, r, v, 0);
    ea_render_nist_iid_text_part(f, r, v, 1);
}

void ea_render_nist_perm_progress(FILE *f, long done, long total, int settled, int tty)
{
    fprintf(f, "%s%6.02f%% of Permutation test rounds, %6.02f%% of Permutation tests%s",
            tty ? "\r" : "", total > 0 ? 100.0 * (double)done / (double)total : 100.0,
            100.0 * (double)settled / (double)EA_IID_NSTATS, tty ? "" : "\n");
}

/* JSON has no NaN: null rather than a silently missing key. */
static json_t *jreal(double v)
{
    return isfinite(v) ? ea_json_real(v) : json_null();
}

static json_t *iteration(const ea_perm_result *p, int k)
{
    json_t *o = json_object();

    json_object_set_new(o, "iteration", json_integer(k));
    for (int i = 0; i < EA_IID_NSTATS; i++)
        json_object_set_new(o, ea_iid_stat_key((ea_iid_stat_id)i), json_real((double)p->stat[i].c[k]));
    return o;
}

int ea_render_nist_iid_json(FILE *f, const ea_iid_report *r, int verbose)
{
    const ea_iid_result *res = r->res;
    json_t *o = ea_nist_base_run(1, r->commandline, r->timestamp, r->filename, r->sha256);
    json_t *tc = json_object(), *cases = json_array(), *perm = json_array();

    json_object_set_new(tc, "testCaseDesc", json_string(""));
    json_object_set_new(tc, "hOriginal", jreal(res->h_original));
    json_object_set_new(tc, "hBitstring", jreal(res->h_bitstring));
    json_object_set_new(tc, "hAssessed", jreal(verbose > 2 ? res->h_assessed : (double)r->ds->bits));
    json_object_set_new(tc, "mean", jreal(res->baseline.raw_mean));
    json_object_set_new(tc, "median", jreal(res->baseline.median));
    if (res->baseline.binary)
        json_object_set_new(tc, "binary", json_true());
    json_object_set_new(tc, "passedChiSquareTests", json_boolean(res->chisq.passed));
    json_object_set_new(tc, "passedLongestRepeatedSubstringTest", json_boolean(res->lrs.passed));
    json_object_set_new(tc, "passedIidPermutationTests", json_boolean(res->perm.passed));
    for (int k = 0; k < 3; k++)
        json_array_append_new(perm, iteration(&res->perm, k));
    json_object_set_new(tc, "permutationTestResults", perm);
    json_array_append_new(cases, tc);
    json_object_set_new(o, "testCases", cases);
    {
        char seed[24];
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
        json_object_set_new(o, "seed", json_string(seed));
    }
    return ea_nist_dump(f, o);
}
