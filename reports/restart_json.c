/* SPDX-License-Identifier: Apache-2.0 */
/*
 * restart_json.c - JSON for the SP 800-90B §3.1.4 restart tests:
 *   - NIST ea_restart -o: the reference's fields ("type": "Restart";
 *     -n: one test case per estimator with h_r and h_c, then "Overall"
 *     with h_r, h_c, h_i; -i: one IID "Overall" case with the IID-test
 *     verdicts and permutation counts, rows then columns); errorLevel -1
 *     and the reference's message when a check failed;
 *   - ea90b restart --json: cutoff (method, tail probabilities), the
 *     per-row and per-column maxima, both verdicts and every estimate
 *     (docs/restart.md).
 */
#include <jansson.h>

#include "json_util.h"
#include "nist_json.h"
#include "reports.h"

#define SCHEMA_VERSION 1

static void set_real(json_t *o, const char *k, double v)
{
    json_object_set_new(o, k, json_real(v));
}

static void set_int(json_t *o, const char *k, long v)
{
    json_object_set_new(o, k, json_integer((json_int_t)v));
}

/* ---------------------------------------------------------------- NIST */

static void put_h(json_t *tc, const char *key, ea_estimator_id id, const ea_est_side *s, int lrs)
{
    double h = ea_noniid_side_h(id, s, lrs);

    if (h >= 0.0)
        set_real(tc, key, h);
}

static json_t *nist_case(const ea_restart_result *res, ea_estimator_id id, int lrs,
                         const char *desc, int bits)
{
    json_t *tc = json_object();

    json_object_set_new(tc, "testCaseDesc", json_string(desc));
    set_real(tc, "dataWordSize", (double)bits);
    put_h(tc, "h_r", id, &res->rows.literal[id], lrs);
    put_h(tc, "h_c", id, &res->cols.literal[id], lrs);
    return tc;
}

static json_t *nist_noniid_cases(const ea_restart_report *r)
{
    const ea_restart_result *res = r->res;
    json_t *a = json_array();
    int w = r->ds->bits;

    json_array_append_new(a, nist_case(res, EA_EST_MCV, 0, "Most Common Value", w));
    if (r->ds->alph_size == 2) {
        json_array_append_new(a, nist_case(res, EA_EST_COLLISION, 0, "Collision Test (for bit strings only)", 1));
        json_array_append_new(a, nist_case(res, EA_EST_MARKOV, 0, "Markov Test (for bit strings only)", 1));
        json_array_append_new(a, nist_case(res, EA_EST_COMPRESSION, 0, "Compression Test (for bit strings only)", 1));
    }
    json_array_append_new(a, nist_case(res, EA_EST_TTUPLE, 0, "T-Tuple Test", w));
    json_array_append_new(a, nist_case(res, EA_EST_TTUPLE, 1, "LRS Test", w));
    json_array_append_new(a, nist_case(res, EA_EST_MULTI_MCW, 0, "Multi Most Common in Window Test", w));
    json_array_append_new(a, nist_case(res, EA_EST_LAG, 0, "Lag Prediction Test", w));
    json_array_append_new(a, nist_case(res, EA_EST_MULTI_MMC, 0, "Multi Markov Model with Counting Test (MultiMMC)", w));
    json_array_append_new(a, nist_case(res, EA_EST_LZ78Y, 0, "LZ78Y Test", w));
    if (res->validation_passed) {
        json_t *tc = json_object();
        json_object_set_new(tc, "testCaseDesc", json_string("Overall"));
        set_real(tc, "h_r", res->h_r);
        set_real(tc, "h_c", res->h_c);
        set_real(tc, "h_i", res->h_i);
        json_array_append_new(a, tc);
    }
    return a;
}

static json_t *iteration(const ea_perm_result *p, int k)
{
    json_t *o = json_object();

    json_object_set_new(o, "iteration", json_integer(k));
    for (int i = 0; i < EA_IID_NSTATS; i++)
        set_real(o, ea_iid_stat_key((ea_iid_stat_id)i), (double)p->stat[i].c[k]);
    return o;
}

/* The reference leaves mean and median at 0 and "binary" unset here. */
static json_t *nist_iid_cases(const ea_restart_report *r)
{
    const ea_restart_result *res = r->res;
    const ea_restart_iid_side *rw = &res->iid_rows, *cl = &res->iid_cols;
    json_t *a = json_array(), *tc = json_object(), *perm = json_array();
    int run = res->iid_tests_run;

    json_object_set_new(tc, "testCaseDesc", json_string("Overall"));
    set_real(tc, "h_r", res->h_r);
    set_real(tc, "h_c", res->h_c);
    set_real(tc, "h_i", res->h_i);
    set_real(tc, "mean", 0.0);
    set_real(tc, "median", 0.0);
    json_object_set_new(tc, "passedChiSquareTests", json_boolean(run && rw->chisq.passed && cl->chisq.passed));
    json_object_set_new(tc, "passedLongestRepeatedSubstringTest", json_boolean(run && rw->lrs.passed && cl->lrs.passed));
    json_object_set_new(tc, "passedIidPermutationTests", json_boolean(run && rw->perm.passed && cl->perm.passed));
    for (int k = 0; run && k < 3; k++)
        json_array_append_new(perm, iteration(&rw->perm, k));
    for (int k = 0; run && k < 3; k++)
        json_array_append_new(perm, iteration(&cl->perm, k));
    json_object_set_new(tc, "permutationTestResults", run ? perm : (json_decref(perm), json_null()));
    json_array_append_new(a, tc);
    return a;
}

int ea_render_nist_restart_json(FILE *f, const ea_restart_report *r)
{
    const ea_restart_result *res = r->res;
    json_t *o = ea_nist_base_run(res->iid, r->commandline, r->timestamp, r->filename, r->sha256);
    const char *msg = NULL;
    json_t *cases = json_null();

    json_object_set_new(o, "type", json_string("Restart"));
    if (!res->sanity_passed) {
        msg = "Restart Sanity Check Failed.";
    } else {
        if (!res->validation_passed)
            msg = "min(H_r, H_c) < H_I/2, Validation Testing Failed.";
        if (!res->iid) {
            json_decref(cases);
            cases = nist_noniid_cases(r);
        } else if (res->validation_passed) {
            json_decref(cases);
            cases = nist_iid_cases(r);
        }
    }
    if (msg != NULL) {
        set_int(o, "errorLevel", -1);
        json_object_set_new(o, "errorMessage", json_string(msg));
    }
    json_object_set_new(o, "testCases", cases);
    if (res->cutoff_simulated || res->iid_tests_run) {
        char seed[24];
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)res->seed);
        json_object_set_new(o, "seed", json_string(seed));
    }
    return ea_nist_dump(f, o);
}

/* --------------------------------------------------------------- ea90b */

static json_t *int_array(const int *v, int n)
{
    json_t *a = json_array();

    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

static json_t *sanity_obj(const ea_restart_report *r)
{
    const ea_restart_result *res = r->res;
    json_t *o = json_object();

    set_real(o, "alpha", res->alpha);
    set_int(o, "cutoff", res->cutoff);
    json_object_set_new(o, "cutoff_method", json_string(res->cutoff_simulated ? "simulated" : "exact"));
    if (res->cutoff_simulated) {
        char seed[24];
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)res->seed);
        set_int(o, "rounds", res->rounds);
        json_object_set_new(o, "seed", json_string(seed));
        json_object_set_new(o, "seed_drawn", json_boolean(r->seed_drawn));
    }
    set_real(o, "tail_prob", res->tail_prob);
    set_real(o, "tail_prob_below", res->tail_prob_below);
    set_int(o, "x_r", res->x_r);
    set_int(o, "x_c", res->x_c);
    set_int(o, "x_max", res->x_max);
    json_object_set_new(o, "passed", json_boolean(res->sanity_passed));
    json_object_set_new(o, "row_max", int_array(res->row_max, EA_RESTART_ROWS));
    json_object_set_new(o, "col_max", int_array(res->col_max, EA_RESTART_COLS));
    return o;
}

static const char *const est_keys[EA_EST_COUNT] = {
    "mcv", "collision", "markov", "compression", "t_tuple",
    "multi_mcw", "lag", "multi_mmc", "lz78y",
};

static json_t *estimates_obj(const ea_noniid_result *side)
{
    json_t *o = json_object();

    for (int id = 0; id < EA_EST_COUNT; id++) {
        const ea_est_side *s = &side->literal[id];
        if (!s->ran)
            continue;
        for (int lrs = 0; lrs <= (id == EA_EST_TTUPLE); lrs++) {
            double h = ea_noniid_side_h((ea_estimator_id)id, s, lrs);
            json_object_set_new(o, lrs ? "lrs" : est_keys[id], h >= 0.0 ? json_real(h) : json_null());
        }
    }
    return o;
}

static json_t *iid_side_obj(const ea_restart_iid_side *s, int run_perm)
{
    json_t *o = json_object();

    json_object_set_new(o, "chi_square_passed", json_boolean(s->chisq.passed));
    json_object_set_new(o, "lrs_passed", json_boolean(s->lrs.passed));
    json_object_set_new(o, "permutation_passed", run_perm ? json_boolean(s->perm.passed) : json_null());
    return o;
}

static json_t *validation_obj(const ea_restart_result *res)
{
    json_t *o = json_object(), *est = json_object();

    set_real(o, "h_r", res->h_r);
    set_real(o, "h_c", res->h_c);
    set_real(o, "h_i_half", res->h_i / 2.0);
    json_object_set_new(o, "passed", json_boolean(res->validation_passed));
    json_object_set_new(est, "rows", estimates_obj(&res->rows));
    json_object_set_new(est, "columns", estimates_obj(&res->cols));
    json_object_set_new(o, "estimates", est);
    if (res->iid_tests_run) {
        json_t *t = json_object();
        json_object_set_new(t, "rows", iid_side_obj(&res->iid_rows, res->iid_perm_run));
        json_object_set_new(t, "columns", iid_side_obj(&res->iid_cols, res->iid_perm_run));
        json_object_set_new(t, "permutation_run", json_boolean(res->iid_perm_run));
        json_object_set_new(t, "passed", json_boolean(res->iid_passed));
        json_object_set_new(t, "warning", res->iid_passed ? json_null()
                            : json_string("the IID assumption (-i) does not hold for the restart data: "
                                          "an IID test failed on the rows or columns; the validation "
                                          "result stays MCV-based (section 3.1.4.2)"));
        json_object_set_new(o, "iid_tests", t);
    }
    return o;
}

int ea_render_restart_json(FILE *f, const ea_restart_report *r)
{
    const ea_restart_result *res = r->res;
    json_t *o = ea_json_report(SCHEMA_VERSION, "restart", r->commandline, r->timestamp);
    json_t *opt = json_object(), *out = json_object();
    int passed = res->sanity_passed && res->validated && res->validation_passed;

    json_object_set_new(o, "input", ea_json_input(r->filename, r->sha256, r->file_bytes, r->ds, 0, 0));
    set_real(opt, "h_i", res->h_i);
    json_object_set_new(opt, "mode", json_string(res->iid ? "iid" : "non-iid"));
    set_int(opt, "threads", r->threads);
    json_object_set_new(o, "options", opt);
    json_object_set_new(o, "sanity", sanity_obj(r));
    json_object_set_new(o, "validation", res->validated ? validation_obj(res) : json_null());
    json_object_set_new(out, "passed", json_boolean(passed));
    json_object_set_new(out, "h_min", passed ? json_real(res->h_min) : json_null());
    json_object_set_new(o, "results", out);
    set_real(o, "seconds", r->seconds);
    return ea_json_dump(f, o);
}

int ea_render_nist_restart_error_json(FILE *f, int iid, const char *commandline,
                                      const char *timestamp, const char *filename,
                                      const char *sha256, const char *msg)
{
    json_t *o = ea_nist_base_run(iid, commandline, timestamp, filename, sha256);

    json_object_set_new(o, "type", json_string("Restart"));
    set_int(o, "errorLevel", -1);
    json_object_set_new(o, "errorMessage", json_string(msg ? msg : ""));
    json_object_set_new(o, "testCases", json_null());
    return ea_nist_dump(f, o);
}
