/* SPDX-License-Identifier: Apache-2.0 */
/*
 * restart_text.c - the text NIST's ea_restart 1.1.7 prints for the
 * SP 800-90B §3.1.4 restart tests (sanity check §3.1.4.3, validation
 * §3.1.4.2), rendered from an ea_restart_result line for line, and
 * ea90b's short summary.
 *
 * The reference's order is peculiar and kept: for each estimator the row
 * and column estimator lines come first, then "(Rows)"/"(Cols)" summary
 * lines at -v; the t-tuple/LRS pass prints both datasets' lines before
 * its four summaries. Verbosity: 0 (-q: only "H_I:"), 1, 2 (-v), 3 (-vv).
 */
#include <float.h>
#include <stdio.h>

#include "json_util.h"
#include "nist_stream.h"
#include "nist_text.h"
#include "reports.h"

typedef struct {
    FILE *f;
    const ea_restart_report *r;
    int v;
} ctx;

static void summary(const ctx *c, const char *what, const char *which, double h, int bits)
{
    if (c->v > 1)
        fprintf(c->f, "\t%s (%s) = %f / %d bit(s)\n", what, which, h, bits);
}

/* The value the reference would use: -1 when the estimate was not formed. */
static double value(ea_estimator_id id, const ea_est_side *s, int lrs)
{
    return ea_noniid_side_h(id, s, lrs);
}

/* One estimator: row lines, row summary, column lines, column summary. */
static void estimator(const ctx *c, ea_estimator_id id, const char *what, int bits, int need_value)
{
    const ea_est_side *rs = &c->r->res->rows.literal[id], *cs = &c->r->res->cols.literal[id];
    double h;

    if (!rs->ran)
        return;
    ea_nist_side_lines(c->f, id, rs, c->v);
    h = value(id, rs, 0);
    if (!need_value || h >= 0.0)
        summary(c, what, "Rows", h, bits);
    ea_nist_side_lines(c->f, id, cs, c->v);
    h = value(id, cs, 0);
    if (!need_value || h >= 0.0)
        summary(c, what, "Cols", h, bits);
}

static void tuple(const ctx *c, int bits)
{
    const ea_est_side *rs = &c->r->res->rows.literal[EA_EST_TTUPLE];
    const ea_est_side *cs = &c->r->res->cols.literal[EA_EST_TTUPLE];

    ea_nist_side_lines(c->f, EA_EST_TTUPLE, rs, c->v);
    ea_nist_side_lines(c->f, EA_EST_TTUPLE, cs, c->v);
    summary(c, "T-Tuple Test Estimate", "Rows", value(EA_EST_TTUPLE, rs, 0), bits);
    summary(c, "T-Tuple Test Estimate", "Cols", value(EA_EST_TTUPLE, cs, 0), bits);
    summary(c, "LRS Test Estimate", "Rows", value(EA_EST_TTUPLE, rs, 1), bits);
    summary(c, "LRS Test Estimate", "Cols", value(EA_EST_TTUPLE, cs, 1), bits);
}

static void heading(const ctx *c, const char *text)
{
    if (c->v > 0)
        fputs(text, c->f);
}

static void noniid_tests(const ctx *c)
{
    int bits = c->r->ds->bits;

    if (c->r->ds->alph_size == 2) {
        heading(c, "\nRunning Entropic Statistic Estimates (bit strings only)...\n");
        estimator(c, EA_EST_COLLISION, "Collision Test Estimate", 1, 0);
        estimator(c, EA_EST_MARKOV, "Markov Test Estimate", 1, 0);
        estimator(c, EA_EST_COMPRESSION, "Compression Test Estimate", 1, 1);
    }
    heading(c, "\nRunning Tuple Estimates...\n");
    tuple(c, bits);
    heading(c, "\nRunning Predictor Estimates...\n");
    estimator(c, EA_EST_MULTI_MCW, "Multi Most Common in Window (MultiMCW) Prediction Test Estimate",
              bits, 1);
    estimator(c, EA_EST_LAG, "Lag Prediction Test Estimate", bits, 1);
    estimator(c, EA_EST_MULTI_MMC,
              "Multi Markov Model with Counting (MultiMMC) Prediction Test Estimate", bits, 1);
    estimator(c, EA_EST_LZ78Y, "LZ78Y Prediction Test Estimate", bits, 1);
}

/* ---- the reference's IID-test lines (as ea_iid prints them) ---- */

static void verdict(const ctx *c, int passed, const char *short_name, const char *long_name)
{
    if (c->v == 1 || c->v == 2)
        fprintf(c->f, "** %s %s\n\n", passed ? "Passed" : "Failed", long_name);
    else if (c->v > 2)
        fprintf(c->f, "%s: %s\n", short_name, passed ? "Passed" : "Failed");
}

static void chisq_part(const ctx *c, const ea_chisq_part *p, const char *name)
{
    if (c->v == 2)
        fprintf(c->f, "Chi square %s\n\tscore = %f\n\tdegrees of freedom = %ld\n\tp-value = %f\n\n",
                name, p->score, p->df, p->p_value);
    else if (c->v >= 3)
        fprintf(c->f, "Chi square %s: T = %.17g\nChi square %s: df = %ld\nChi square %s: P-value = %.17g\n",
                name, p->score, name, p->df, name, p->p_value);
}

static void lrs_lines(const ctx *c, const ea_lrs_test_result *l)
{
    if (l->p_col > 1.0 - DBL_EPSILON) {
        if (c->v == 2)
            fprintf(c->f, "\tPr(X >= 1) = 1.0\n");
        else if (c->v > 2)
            fprintf(c->f, "Literal Longest Repeated Substring: P_col = 1.0\n"
                          "Literal Longest Repeated Substring: Pr(X >= 1) = 1.0\n");
        return;
    }
    if (c->v > 2) {
        fprintf(c->f, "Literal Longest Repeated Substring results: P_col = %.22Lg\n", (long double)l->p_col);
        fprintf(c->f, "Literal Longest Repeated Substring results: W = %ld\n", l->W);
        fprintf(c->f, "Literal Longest Repeated Substring results: Pr(X >= 1) = %.22Lg\n",
                (long double)l->p_x_ge_1);
    } else if (c->v == 2) {
        fprintf(c->f, "Literal Longest Repeated Substring results\n\tP_col: %Lf\n\tLength of LRS: %ld\n"
                      "\tPr(X >= 1): %Lf\n",
                (long double)l->p_col, l->W, (long double)l->p_x_ge_1);
    }
}

static int stat_failed(const ea_perm_count *pc)
{
    return pc->c[0] + pc->c[1] <= 5 || pc->c[1] + pc->c[2] <= 5;
}

/* One dataset's unpermuted statistics (before its permutations, where progress lines follow). */
static void perm_intro(const ctx *c, const ea_perm_result *p)
{
    if (c->v == 2) {
        fprintf(c->f, "Beginning initial tests...\n\nInitial test results\n");
        for (int i = 0; i < EA_IID_NSTATS; i++)
            fprintf(c->f, "%23s: %Lg\n", ea_iid_stat_name((ea_iid_stat_id)i),
                    ea_nzl(p->stat[i].original));
        fprintf(c->f, "\nBeginning permutation tests... these may take some time\n");
    } else if (c->v >= 3) {
        for (int i = 0; i < EA_IID_NSTATS; i++)
            fprintf(c->f, "Permutation testing: Unpermuted result %s = %.22Lg\n",
                    ea_iid_stat_name((ea_iid_stat_id)i), ea_nzl(p->stat[i].original));
    }
}

/* One dataset's count table, after its permutations. */
static void perm_table(const ctx *c, const ea_perm_result *p)
{
    if (c->v > 1) {
        fprintf(c->f, "\n\n                statistic  C[i][0]  C[i][1]  C[i][2]\n"
                      "----------------------------------------------------\n");
        for (int i = 0; i < EA_IID_NSTATS; i++) {
            const ea_perm_count *pc = &p->stat[i];
            if (stat_failed(pc))
                fprintf(c->f, "%24s*", ea_iid_stat_name((ea_iid_stat_id)i));
            else
                fprintf(c->f, "%25s", ea_iid_stat_name((ea_iid_stat_id)i));
            fprintf(c->f, "%8ld%8ld%8ld\n", pc->c[0], pc->c[1], pc->c[2]);
        }
        fprintf(c->f, "(* denotes failed test)\n\n");
    }
}

/* The IID tests' lines before the rows' permutation test. */
static void iid_head(const ctx *c)
{
    const ea_restart_result *res = c->r->res;
    const ea_restart_iid_side *rw = &res->iid_rows, *cl = &res->iid_cols;

    chisq_part(c, &rw->chisq.independence, "independence");
    chisq_part(c, &rw->chisq.goodness_of_fit, "goodness of fit");
    chisq_part(c, &cl->chisq.independence, "independence");
    chisq_part(c, &cl->chisq.goodness_of_fit, "goodness of fit");
    verdict(c, rw->chisq.passed && cl->chisq.passed, "Chi square tests", "chi square tests");
    if (c->v > 1) {
        lrs_lines(c, &rw->lrs);
        lrs_lines(c, &cl->lrs);
    }
    verdict(c, rw->lrs.passed && cl->lrs.passed, "Length of longest repeated substring test",
            "length of longest repeated substring test");
}

static void iid_perm_verdict(const ctx *c)
{
    const ea_restart_result *res = c->r->res;

    verdict(c, res->iid_rows.perm.passed && res->iid_cols.perm.passed, "IID permutation tests",
            "IID permutation tests");
}

static void iid_tests(const ctx *c)
{
    const ea_restart_result *res = c->r->res;

    if (!res->iid_tests_run)
        return;
    iid_head(c);
    perm_intro(c, &res->iid_rows.perm);
    perm_table(c, &res->iid_rows.perm);
    perm_intro(c, &res->iid_cols.perm);
    perm_table(c, &res->iid_cols.perm);
    iid_perm_verdict(c);
}

/* From "Calculating baseline statistics..." to the MCV lines. */
static void validation_head(const ctx *c)
{
    const ea_restart_result *res = c->r->res;

    if (c->v == 1 || c->v == 2)
        fputs("Calculating baseline statistics...\n", c->f);
    heading(c, res->iid ? "\nRunning IID tests...\n\n" : "\nRunning non-IID tests...\n\n");
    heading(c, "Running Most Common Value Estimate...\n");
    estimator(c, EA_EST_MCV, "Most Common Value Estimate", c->r->ds->bits, 0);
}

/* From "H_r:" to the end. */
static void validation_tail(const ctx *c)
{
    const ea_restart_result *res = c->r->res;

    if (c->v > 0)
        fprintf(c->f, "\nH_r: %f\nH_c: %f\nH_I: %f\n\n", ea_nz(res->h_r), ea_nz(res->h_c), res->h_i);
    if (!res->validation_passed) {
        heading(c, "*** min(H_r, H_c) < H_I/2, Validation Testing Failed ***\n");
        return;
    }
    if (c->v > 0)
        fprintf(c->f, "Validation Test Passed...\n\nmin(H_r, H_c, H_I): %f\n\n", ea_nz(res->h_min));
}

/* After "H_I:", to the sanity verdict; 1 when the sanity check passed (validation follows). */
static int sanity_lines(const ctx *c)
{
    const ea_restart_result *res = c->r->res;

    if (c->v > 0) {
        fprintf(c->f, "ALPHA: %.17g, X_cutoff: %d\n", res->alpha, res->cutoff);
        fprintf(c->f, "X_max: %d\n", res->x_max);
    }
    if (!res->sanity_passed) {
        heading(c, "\n*** Restart Sanity Check Failed ***\n");
        return 0;
    }
    if (c->v > 1)
        fputs("\nRestart Sanity Check Passed...\n", c->f);
    return 1;
}

void ea_render_nist_restart_h_i(FILE *f, double h_i)
{
    fprintf(f, "H_I: %f\n", h_i);
}

/* The permutation tests ran: the text has the pieces cut at their starts. */
static int has_perm(const ea_restart_result *res)
{
    return res->sanity_passed && res->iid && res->iid_tests_run && res->iid_perm_run;
}

void ea_render_nist_restart_text_part(FILE *f, const ea_restart_report *r, int verbose, int part)
{
    ctx c = { f, r, verbose };
    const ea_restart_result *res = r->res;

    if (part == 1) {
        if (!sanity_lines(&c))
            return;
        validation_head(&c);
        if (has_perm(res)) {
            iid_head(&c);
            perm_intro(&c, &res->iid_rows.perm);
            return;
        }
        if (res->iid)
            iid_tests(&c);
        else
            noniid_tests(&c);
        validation_tail(&c);
    } else if (part == 2) {
        perm_table(&c, &res->iid_rows.perm);
        perm_intro(&c, &res->iid_cols.perm);
    } else if (part == 3) {
        perm_table(&c, &res->iid_cols.perm);
        iid_perm_verdict(&c);
        validation_tail(&c);
    }
}

void ea_render_nist_restart_text(FILE *f, const ea_restart_report *r, int verbose)
{
    ea_render_nist_restart_h_i(f, r->res->h_i);
    ea_render_nist_restart_text_part(f, r, verbose, 1);
    if (has_perm(r->res)) {
        ea_render_nist_restart_text_part(f, r, verbose, 2);
        ea_render_nist_restart_text_part(f, r, verbose, 3);
    }
}

/* ---- ea90b's summary ---- */

static void summary_row(FILE *f, const ea_restart_result *res, ea_estimator_id id, int lrs,
                        const char *name, const char *section)
{
    const ea_est_side *s[2] = { &res->rows.literal[id], &res->cols.literal[id] };

    if (!s[0]->ran)
        return;
    fprintf(f, "  %-22s %-7s", name, section);
    for (int k = 0; k < 2; k++) {
        double h = ea_noniid_side_h(id, s[k], lrs);
        if (h < 0)
            fprintf(f, " %12s", "omitted");
        else
            fprintf(f, " %12.6f", h);
    }
    fputc('\n', f);
}

static void summary_estimates(FILE *f, const ea_restart_result *res)
{
    fprintf(f, "  %-22s %-7s %12s %12s\n", "estimator", "section", "rows", "columns");
    summary_row(f, res, EA_EST_MCV, 0, "Most Common Value", "6.3.1");
    summary_row(f, res, EA_EST_COLLISION, 0, "Collision", "6.3.2");
    summary_row(f, res, EA_EST_MARKOV, 0, "Markov", "6.3.3");
    summary_row(f, res, EA_EST_COMPRESSION, 0, "Compression", "6.3.4");
    summary_row(f, res, EA_EST_TTUPLE, 0, "t-Tuple", "6.3.5");
    summary_row(f, res, EA_EST_TTUPLE, 1, "LRS", "6.3.6");
    summary_row(f, res, EA_EST_MULTI_MCW, 0, "MultiMCW prediction", "6.3.7");
    summary_row(f, res, EA_EST_LAG, 0, "Lag prediction", "6.3.8");
    summary_row(f, res, EA_EST_MULTI_MMC, 0, "MultiMMC prediction", "6.3.9");
    summary_row(f, res, EA_EST_LZ78Y, 0, "LZ78Y prediction", "6.3.10");
    fputc('\n', f);
}

static const char *pf(int passed)
{
    return passed ? "passed" : "FAILED";
}

/* -i: the IID tests on rows and columns; informative (the result stays MCV-based, §3.1.4.2). */
static void iid_summary(FILE *f, const ea_restart_result *res)
{
    fprintf(f, "IID tests (section 5.2): rows chi-square %s, LRS %s; columns chi-square %s, LRS %s",
            pf(res->iid_rows.chisq.passed), pf(res->iid_rows.lrs.passed),
            pf(res->iid_cols.chisq.passed), pf(res->iid_cols.lrs.passed));
    if (res->iid_perm_run)
        fprintf(f, "; permutation rows %s, columns %s", pf(res->iid_rows.perm.passed),
                pf(res->iid_cols.perm.passed));
    fprintf(f, "\n");
    if (!res->iid_passed)
        fprintf(f, "WARNING  the IID assumption (-i) does not hold for the restart data; the result below\n"
                   "         is still the MCV-based one of section 3.1.4.2 (consider -n)\n");
}

void ea_render_restart_summary(FILE *f, const ea_restart_report *r)
{
    const ea_restart_result *res = r->res;
    const ea_dataset *ds = r->ds;

    fprintf(f, "ea90b %s restart tests (SP 800-90B section 3.1.4, NIST %s parity)\n", EA90B_VERSION,
            EA90B_NIST_VERSION);
    fprintf(f, "file     %s\n", r->filename);
    fprintf(f, "sha256   %s\n", r->sha256);
    fprintf(f, "samples  1000 restarts x 1000 samples of %d bits, %d distinct symbols\n", ds->bits,
            ds->alph_size);
    fprintf(f, "H_I      %.6f (%s track)\n", res->h_i, res->iid ? "IID, -i" : "non-IID, -n");
    if (res->cutoff_simulated)
        fprintf(f, "cutoff   %d, simulated: %ld rounds, seed %llu%s (exact P(max > cutoff) = %.3g)\n",
                res->cutoff, res->rounds, (unsigned long long)res->seed,
                r->seed_drawn ? " (drawn)" : "", res->tail_prob);
    else
        fprintf(f, "cutoff   %d, exact: P(max > %d) = %.3g <= alpha = %.3g < P(max > %d) = %.3g\n",
                res->cutoff, res->cutoff, res->tail_prob, res->alpha, res->cutoff - 1,
                res->tail_prob_below);
    fprintf(f, "sanity   X_max = %d (rows %d, columns %d): %s (section 3.1.4.3)\n", res->x_max,
            res->x_r, res->x_c, res->sanity_passed ? "passed" : "FAILED");
    if (!res->validated) {
        fprintf(f, "result   restart tests FAILED: the sanity check failed; no validation\n");
    } else {
        fputc('\n', f);
        summary_estimates(f, res);
        fprintf(f, "H_r %.6f  H_c %.6f  H_I/2 %.6f: validation %s (section 3.1.4.2)\n", res->h_r,
                res->h_c, res->h_i / 2.0, res->validation_passed ? "passed" : "FAILED");
        if (res->iid_tests_run)
            iid_summary(f, res);
        if (res->validation_passed)
            fprintf(f, "result   restart tests passed: min(H_r, H_c, H_I) = %.6f bits per sample\n",
                    res->h_min);
        else
            fprintf(f, "result   restart tests FAILED: min(H_r, H_c) < H_I/2\n");
    }
    fprintf(f, "time     %.3f s (%d thread%s)\n", r->seconds, r->threads, r->threads == 1 ? "" : "s");
}
