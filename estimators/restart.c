/* SPDX-License-Identifier: Apache-2.0 */
/*
 * restart.c - SP 800-90B §3.1.4 restart tests.
 *
 * §3.1.4.1: the row dataset holds restart i's 1000 samples contiguously;
 *   the column dataset is its transpose (sample j of every restart).
 * §3.1.4.3 (sanity check), steps 1-2: X_i = the largest count of one
 *   symbol in row or column i; X_max = max X_i fails when it exceeds the
 *   cutoff (restart_cutoff.c).
 * §3.1.4.2 (validation), run only when the sanity check passed: H_r and
 *   H_c are the min-entropy estimates of the row and column datasets: the
 *   MCV estimate (§6.3.1) for an IID source, the minimum of the §6.3
 *   literal estimators otherwise. Validation fails when
 *   min(H_r, H_c) < H_I / 2; the validated entropy is min(H_r, H_c, H_I).
 *
 * Where NIST's tool (restart_main.cpp, 1.1.7) decides:
 *   - H_r and H_c start at the word size;
 *   - collision, Markov and compression run only on binary alphabets; no
 *     bitstring estimates are made;
 *   - with -i the reference also runs the chi-square, LRS and permutation
 *     tests on rows and columns; their verdicts are printed but do not
 *     change the result (we do the same when iid_tests is set; `ea90b
 *     restart -i` runs the chi-square and LRS tests only, which are cheap).
 *   - a t-tuple or LRS estimate that could not be formed enters H_r or
 *     H_c as -1 (see side_min);
 * Where we depart:
 *   - the column permutation test runs on the columns (1.1.7 tests the
 *     rows twice; NIST's PR #250);
 *   - the cutoff is the exact quantile unless `simulate` is set.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

#include "ea90b.h"
#include "shared.h"

ea_status ea_restart_columns(const ea_dataset *rows, ea_dataset *cols)
{
    uint8_t *raw;
    ea_status st;

    if (rows == NULL || cols == NULL || rows->raw == NULL)
        return EA_ERR_ARG;
    if (rows->len != (size_t)EA_RESTART_SAMPLES)
        return EA_ERR_RANGE;
    raw = malloc((size_t)EA_RESTART_SAMPLES);
    if (raw == NULL)
        return EA_ERR_NOMEM;
    /* Blocked transpose: 8 x 8 tiles keep both sides in cache. */
    for (int i0 = 0; i0 < EA_RESTART_ROWS; i0 += 8)
        for (int j0 = 0; j0 < EA_RESTART_COLS; j0 += 8)
            for (int i = i0; i < i0 + 8; i++)
                for (int j = j0; j < j0 + 8; j++)
                    raw[(size_t)j * EA_RESTART_ROWS + (size_t)i] =
                        rows->raw[(size_t)i * EA_RESTART_COLS + (size_t)j];
    st = ea_dataset_init(cols, raw, (size_t)EA_RESTART_SAMPLES, rows->bits);
    free(raw);
    return st;
}

/* §3.1.4.3 step 1: the largest symbol count of each of n lines of len symbols. */
static int line_maxima(const uint8_t *s, int n, int len, int *out)
{
    int counts[256], best = 0;

    for (int i = 0; i < n; i++) {
        int m = 0;
        memset(counts, 0, sizeof counts);
        for (int j = 0; j < len; j++) {
            int c = ++counts[s[(size_t)i * (size_t)len + (size_t)j]];
            if (c > m)
                m = c;
        }
        out[i] = m;
        if (m > best)
            best = m;
    }
    return best;
}

/* ------------------------------------------------------------ validation */

typedef struct {
    const ea_dataset *ds;
    ea_noniid_result *res;
    ea_estimator_id id;
} job;

typedef struct {
    job jobs[2 * EA_EST_COUNT];
    int njobs;
    atomic_int next;
} job_queue;

static int worker(void *arg)
{
    job_queue *q = arg;
    int i;

    while ((i = atomic_fetch_add(&q->next, 1)) < q->njobs) {
        const job *j = &q->jobs[i];
        ea_noniid_run_side(j->id, j->ds->symbols, j->ds->len, j->ds->alph_size,
                           &j->res->literal[j->id]);
    }
    return 0;
}

/* Jobs for both datasets, most expensive first. */
static void plan(job_queue *q, const ea_dataset *rows, const ea_dataset *cols,
                 ea_restart_result *r, int iid)
{
    static const ea_estimator_id order[] = {
        EA_EST_TTUPLE, EA_EST_MULTI_MMC, EA_EST_LZ78Y, EA_EST_LAG, EA_EST_MULTI_MCW,
        EA_EST_COMPRESSION, EA_EST_MARKOV, EA_EST_COLLISION, EA_EST_MCV,
    };

    q->njobs = 0;
    atomic_init(&q->next, 0);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        ea_estimator_id id = order[i];
        int bin_only = id == EA_EST_COLLISION || id == EA_EST_MARKOV || id == EA_EST_COMPRESSION;
        if (iid && id != EA_EST_MCV)
            continue;
        if (bin_only && rows->alph_size != 2)
            continue;
        q->jobs[q->njobs++] = (job){ rows, &r->rows, id };
        q->jobs[q->njobs++] = (job){ cols, &r->cols, id };
    }
}

/*
 * H = min(word size, every estimate); fills the noniid summary fields.
 * As restart_main.cpp does, a t-tuple or LRS estimate that could not be
 * formed enters the minimum as -1 (and so fails the validation); with at
 * most 8-bit symbols in 1,000,000 samples this cannot happen in practice
 * (some symbol occurs at least 3,907 times, so the t-tuple forms, and the
 * longest repeat is at least as long as the shortest tuple seen 35 times).
 */
static double side_min(ea_noniid_result *res, int bits)
{
    double h = (double)bits, v;

    for (int id = 0; id < EA_EST_COUNT; id++)
        for (int lrs = 0; lrs <= (id == EA_EST_TTUPLE); lrs++) {
            v = ea_noniid_side_h((ea_estimator_id)id, &res->literal[id], lrs);
            if (v < 0.0 && !(id == EA_EST_TTUPLE && res->literal[id].ran))
                continue;
            if (v < h)
                h = v;
        }
    res->has_literal = 1;
    res->has_bitstring = 0;
    res->h_original = h;
    res->h_bitstring = 1.0;
    res->h_assessed = h;
    return h;
}

static ea_status first_error(const ea_noniid_result *res)
{
    for (int id = 0; id < EA_EST_COUNT; id++) {
        const ea_est_side *s = &res->literal[id];
        if (s->ran && s->status != EA_OK && s->status != EA_ERR_TOO_SHORT)
            return s->status;
    }
    return EA_OK;
}

/* The reference's §5.1 permutation tests: 10,000 permutations (the default), the restart seed. */
static ea_perm_opts perm_opts(const ea_restart_opts *o)
{
    ea_perm_opts po = ea_perm_opts_default();

    po.seed = o->seed;
    po.threads = o->threads > 1 ? o->threads : 1;
    po.full = o->perm_full;
    po.progress = o->progress;
    po.progress_user = o->progress_user;
    po.on_start = o->on_perm_start;
    po.on_round = o->on_perm_round;
    po.event_user = o->event_user;
    return po;
}

/* Baseline, chi-square and LRS of one dataset (the permutation test comes later). */
static ea_status iid_side(const ea_dataset *ds, ea_restart_iid_side *s)
{
    ea_status st = ea_iid_baseline_compute(ds, &s->baseline);

    if (st == EA_OK)
        st = ea_chi_square_tests(ds, &s->chisq);
    if (st == EA_OK)
        st = ea_lrs_test(ds, &s->lrs);
    return st;
}

/* The reference's order: chi-square and LRS on rows and columns, then the permutation tests on
 * rows and then columns (the order its -v lines come in, so a front end can print as it goes). */
static ea_status iid_tests(const ea_dataset *rows, const ea_dataset *cols, const ea_restart_opts *o,
                           ea_restart_result *r)
{
    ea_perm_opts po = perm_opts(o);
    ea_status st = iid_side(rows, &r->iid_rows);

    if (st == EA_OK)
        st = iid_side(cols, &r->iid_cols);
    if (st == EA_OK && r->iid_perm_run)
        st = ea_permutation_test(rows, &r->iid_rows.baseline, &po, &r->iid_rows.perm);
    if (st == EA_OK && r->iid_perm_run)
        st = ea_permutation_test(cols, &r->iid_cols.baseline, &po, &r->iid_cols.perm);
    return st;
}

static ea_status validate(const ea_dataset *rows, const ea_dataset *cols, const ea_restart_opts *o,
                          ea_restart_result *r)
{
    job_queue *q = malloc(sizeof(*q));
    ea_status st;

    if (q == NULL)
        return EA_ERR_NOMEM;
    plan(q, rows, cols, r, o->iid);
    ea_run_threads(worker, q, o->threads < q->njobs ? o->threads : q->njobs);
    free(q);
    r->h_r = side_min(&r->rows, rows->bits);
    r->h_c = side_min(&r->cols, rows->bits);
    st = first_error(&r->rows);
    if (st == EA_OK)
        st = first_error(&r->cols);
    if (st == EA_OK && o->iid && o->iid_tests) {
        r->iid_tests_run = 1;
        r->iid_perm_run = o->iid_tests != EA_RESTART_IID_TESTS_NO_PERM;
        st = iid_tests(rows, cols, o, r);
        r->iid_passed = r->iid_rows.chisq.passed && r->iid_cols.chisq.passed &&
                        r->iid_rows.lrs.passed && r->iid_cols.lrs.passed &&
                        (!r->iid_perm_run || (r->iid_rows.perm.passed && r->iid_cols.perm.passed));
    }
    r->validated = 1;
    r->h_min = r->h_r < r->h_c ? r->h_r : r->h_c;
    r->validation_passed = !(r->h_min < r->h_i / 2.0);
    if (o->h_i < r->h_min)
        r->h_min = o->h_i;
    return st;
}

/* ------------------------------------------------------------ the whole test */

static ea_status cutoff(const ea_restart_opts *o, ea_restart_result *r)
{
    ea_status st;

    r->alpha = ea_restart_alpha();
    if (o->simulate) {
        r->cutoff_simulated = 1;
        r->rounds = o->rounds > 0 ? o->rounds : EA_RESTART_ROUNDS;
        r->seed = o->seed;
        st = ea_restart_cutoff_simulate(o->h_i, r->alpha, r->rounds, o->seed, o->threads,
                                        &r->cutoff);
        if (st == EA_OK)
            st = ea_restart_max_tail(o->h_i, r->cutoff, &r->tail_prob);
    } else {
        st = ea_restart_cutoff_exact(o->h_i, r->alpha, &r->cutoff, &r->tail_prob);
    }
    if (st == EA_OK && r->cutoff > 0)
        st = ea_restart_max_tail(o->h_i, r->cutoff - 1, &r->tail_prob_below);
    else if (st == EA_OK)
        r->tail_prob_below = 1.0;
    return st;
}

ea_restart_opts ea_restart_opts_default(void)
{
    /* h_i = 0 on purpose: H_I is the caller's §3.1.4 input, never a default. */
    return (ea_restart_opts){
        .h_i = 0.0,
        .iid = 0,
        .threads = 1,
        .simulate = 0,
        .seed = 0,
        .rounds = 0,
        .iid_tests = 0,
        .perm_full = 0,
        .progress = NULL,
        .progress_user = NULL,
        .on_perm_start = NULL,
        .on_perm_round = NULL,
        .event_user = NULL,
    };
}

ea_status ea_restart_run(const ea_dataset *rowwise, const ea_restart_opts *o, ea_restart_result *r)
{
    ea_dataset cols;
    ea_status st;
    double t0;

    if (rowwise == NULL || o == NULL || r == NULL || rowwise->symbols == NULL)
        return EA_ERR_ARG;
    memset(r, 0, sizeof(*r));
    if (rowwise->len != (size_t)EA_RESTART_SAMPLES)
        return EA_ERR_RANGE;
    if (!(o->h_i > 0.0) || !(o->h_i <= (double)rowwise->bits))
        return EA_ERR_ARG;
    if (rowwise->alph_size <= 1)
        return EA_ERR_ONE_SYMBOL;
    r->h_i = o->h_i;
    r->iid = o->iid;

    t0 = ea_seconds_now();
    st = cutoff(o, r);
    r->seconds_cutoff = ea_seconds_now() - t0;
    if (st != EA_OK)
        return st;

    st = ea_restart_columns(rowwise, &cols);
    if (st != EA_OK)
        return st;
    r->x_r = line_maxima(rowwise->symbols, EA_RESTART_ROWS, EA_RESTART_COLS, r->row_max);
    r->x_c = line_maxima(cols.symbols, EA_RESTART_COLS, EA_RESTART_ROWS, r->col_max);
    r->x_max = r->x_r > r->x_c ? r->x_r : r->x_c;
    r->sanity_passed = r->x_max <= r->cutoff;
    r->h_r = r->h_c = (double)rowwise->bits;

    if (r->sanity_passed) {
        t0 = ea_seconds_now();
        st = validate(rowwise, &cols, o, r);
        r->seconds_validation = ea_seconds_now() - t0;
    }
    ea_dataset_free(&cols);
    return st;
}
