/* SPDX-License-Identifier: Apache-2.0 */
/*
 * noniid.c - the SP 800-90B §6.3 non-IID track: every estimator applied
 * to the literal symbols and to the bitstring exactly where NIST's
 * ea_non_iid applies them, then H_original, H_bitstring and the assessed
 * min-entropy (§3.1.3: min(H_original, bits × H_bitstring)).
 *
 * Where the reference decides (non_iid_main.cpp in NIST's tool):
 *   - bitstring estimates run when the alphabet has more than two symbols,
 *     or always in conditioned mode (-c, §3.1.5.2: h' from the bitstring);
 *   - literal estimates run in initial mode (-i); collision, Markov and
 *     compression, defined for binary data only, run on the literal
 *     symbols only when the alphabet is binary;
 *   - an estimator that cannot produce a value (too little data) is
 *     omitted from the minimum, not failed;
 *   - H_original starts at the word size and H_bitstring at 1.
 *
 * Estimators are independent, so with threads > 1 they are handed out
 * to worker threads, most expensive first; the numbers are identical to
 * a sequential run.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

#include "ea90b.h"
#include "shared.h"

typedef struct {
    ea_estimator_id id;
    int bitstring;          /* 1: runs on the bitstring side */
} job;

typedef struct {
    const ea_dataset *ds;
    ea_noniid_result *res;
    const job *jobs;
    int njobs;
    atomic_int next;
} job_queue;

static const char *const names[EA_EST_COUNT] = {
    "Most Common Value",
    "Collision",
    "Markov",
    "Compression",
    "t-Tuple and LRS",
    "MultiMCW Prediction",
    "Lag Prediction",
    "MultiMMC Prediction",
    "LZ78Y Prediction",
};

const char *ea_estimator_name(ea_estimator_id id)
{
    if ((int)id < 0 || id >= EA_EST_COUNT)
        return "unknown";
    return names[id];
}

static ea_status run_one(ea_estimator_id id, const uint8_t *s, size_t n, int k,
                         ea_est_side *out)
{
    switch (id) {
    case EA_EST_MCV:         return ea_mcv(s, n, k, &out->u.mcv);
    case EA_EST_COLLISION:   return ea_collision(s, n, &out->u.collision);
    case EA_EST_MARKOV:      return ea_markov(s, n, &out->u.markov);
    case EA_EST_COMPRESSION: return ea_compression(s, n, &out->u.compression);
    case EA_EST_TTUPLE:      return ea_sa_estimates(s, n, k, &out->u.sa.tt, &out->u.sa.lrs);
    case EA_EST_MULTI_MCW:   return ea_multi_mcw(s, n, k, &out->u.pred);
    case EA_EST_LAG:         return ea_lag(s, n, k, &out->u.pred);
    case EA_EST_MULTI_MMC:   return ea_multi_mmc(s, n, k, &out->u.pred);
    case EA_EST_LZ78Y:       return ea_lz78y(s, n, k, &out->u.pred);
    case EA_EST_COUNT:       break;
    }
    return EA_ERR_ARG;
}

void ea_noniid_run_side(ea_estimator_id id, const uint8_t *s, size_t n, int k, ea_est_side *side)
{
    double t0 = ea_seconds_now();

    side->ran = 1;
    side->status = run_one(id, s, n, k, side);
    side->seconds = ea_seconds_now() - t0;
}

static void run_job(const ea_dataset *ds, ea_noniid_result *res, job j)
{
    ea_est_side *side = j.bitstring ? &res->bitstring[j.id] : &res->literal[j.id];

    if (j.bitstring)
        ea_noniid_run_side(j.id, ds->bitstring, ds->blen, 2, side);
    else
        ea_noniid_run_side(j.id, ds->symbols, ds->len, ds->alph_size, side);
}

/* Jobs in decreasing expected cost, so threads finish close together. */
static int plan_jobs(const ea_dataset *ds, int initial, job *jobs)
{
    static const ea_estimator_id order[] = {
        EA_EST_TTUPLE, EA_EST_MULTI_MMC, EA_EST_LZ78Y, EA_EST_LAG,
        EA_EST_MULTI_MCW, EA_EST_COMPRESSION, EA_EST_MARKOV,
        EA_EST_COLLISION, EA_EST_MCV,
    };
    int bin_only, nj = 0;
    int do_bits = ds->alph_size > 2 || !initial;

    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        ea_estimator_id id = order[i];
        bin_only = id == EA_EST_COLLISION || id == EA_EST_MARKOV || id == EA_EST_COMPRESSION;
        if (do_bits)
            jobs[nj++] = (job){ id, 1 };
        if (initial && (!bin_only || ds->alph_size == 2))
            jobs[nj++] = (job){ id, 0 };
    }
    return nj;
}

static int worker(void *arg)
{
    job_queue *q = arg;
    int i;

    while ((i = atomic_fetch_add(&q->next, 1)) < q->njobs)
        run_job(q->ds, q->res, q->jobs[i]);
    return 0;
}

double ea_noniid_side_h(ea_estimator_id id, const ea_est_side *s, int lrs)
{
    if (!s->ran || s->status != EA_OK)
        return -1.0;
    switch (id) {
    case EA_EST_MCV:         return s->u.mcv.h;
    case EA_EST_COLLISION:   return s->u.collision.h;
    case EA_EST_MARKOV:      return s->u.markov.h;
    case EA_EST_COMPRESSION: return s->u.compression.h;
    case EA_EST_TTUPLE:
        if (lrs)
            return s->u.sa.lrs.valid ? s->u.sa.lrs.h : -1.0;
        return s->u.sa.tt.valid ? s->u.sa.tt.h : -1.0;
    default:                 return s->u.pred.h;
    }
}

static double min_over(const ea_est_side *sides, double start)
{
    double h = start, v;

    for (int id = 0; id < EA_EST_COUNT; id++) {
        for (int lrs = 0; lrs <= (id == EA_EST_TTUPLE); lrs++) {
            v = ea_noniid_side_h((ea_estimator_id)id, &sides[id], lrs);
            if (v >= 0.0 && v < h)
                h = v;
        }
    }
    return h;
}

static ea_status first_hard_error(const ea_noniid_result *res)
{
    for (int id = 0; id < EA_EST_COUNT; id++) {
        const ea_est_side *s[2] = { &res->literal[id], &res->bitstring[id] };
        for (int j = 0; j < 2; j++)
            if (s[j]->ran && s[j]->status != EA_OK && s[j]->status != EA_ERR_TOO_SHORT)
                return s[j]->status;
    }
    return EA_OK;
}

ea_noniid_opts ea_noniid_opts_default(void)
{
    return (ea_noniid_opts){ .initial = 1, .threads = 1 };
}

size_t ea_noniid_min_samples(const ea_dataset *ds, int initial)
{
    size_t need = 0, bits;

    if (ds == NULL)
        return 0;
    if (initial)
        need = ds->alph_size == 2 ? EA_NONIID_MIN_BINARY : EA_NONIID_MIN_LITERAL;
    if (ds->alph_size > 2 || !initial) {
        bits = ds->bits > 0 ? (size_t)ds->bits : 1;
        if ((EA_NONIID_MIN_BINARY + bits - 1) / bits > need)
            need = (EA_NONIID_MIN_BINARY + bits - 1) / bits;
    }
    return need;
}

ea_status ea_noniid_run(const ea_dataset *ds, const ea_noniid_opts *opt, ea_noniid_result *res)
{
    job jobs[2 * EA_EST_COUNT];
    job_queue q;
    int initial, threads;

    if (ds == NULL || res == NULL || ds->symbols == NULL || ds->len == 0)
        return EA_ERR_ARG;
    memset(res, 0, sizeof(*res));
    if (ds->alph_size <= 1)
        return EA_ERR_ONE_SYMBOL;
    initial = opt ? opt->initial : 1;
    threads = opt ? opt->threads : 1;
    if (ds->len < ea_noniid_min_samples(ds, initial) ||
        ((ds->alph_size > 2 || !initial) && ds->blen < EA_NONIID_MIN_BINARY))
        return EA_ERR_TOO_SHORT;

    q.ds = ds;
    q.res = res;
    q.jobs = jobs;
    q.njobs = plan_jobs(ds, initial, jobs);
    atomic_init(&q.next, 0);
    ea_run_threads(worker, &q, threads);

    res->has_bitstring = ds->alph_size > 2 || !initial;
    res->has_literal = initial;
    res->h_original = min_over(res->literal, (double)ds->bits);
    res->h_bitstring = min_over(res->bitstring, 1.0);
    res->h_assessed = (double)ds->bits;
    if (res->has_bitstring && res->h_bitstring * ds->bits < res->h_assessed)
        res->h_assessed = res->h_bitstring * ds->bits;
    if (res->has_literal && res->h_original < res->h_assessed)
        res->h_assessed = res->h_original;
    return first_hard_error(res);
}
