/* SPDX-License-Identifier: Apache-2.0 */
/*
 * permutation.c - SP 800-90B §5.1 permutation testing, organised as
 * NIST's permutation_tests() (iid/permutation_tests.h) does it, but with
 * results that depend only on the seed, never on the thread count.
 *
 * §5.1: compute the 19 test statistics T of the unpermuted data; shuffle
 * the data 10,000 times (opt->permutations; the driver in the front end
 * passes 10,000) and compute the statistics T' of each shuffle; count
 * C0 (T' > T), C1 (T' == T) and C2 (T' < T). Statistic j passes when
 * C0 + C1 > 5 and C1 + C2 > 5 (§5.1 step 3: "more than 5" of the
 * permuted values on each side, ties counting for both); the data pass
 * when all 19 do.
 *
 * Followed from NIST's code rather than the text:
 *   - comparisons are made on long double values;
 *   - a statistic stops being counted ("settles") as soon as both sums
 *     exceed 5, so its final counts are those at that moment, and the
 *     whole test stops once all 19 have settled (the reference's
 *     passed_count shortcut);
 *   - the statistics take the raw samples and map them to symbols where
 *     the reference uses symbols (ea_iid_stats_compute), and compression
 *     uses the raw samples (iid_compression.c).
 *
 * Reproducibility (our rule, not NIST's): permutation i shuffles a copy
 * of ds->raw with the generator ea_rng_seed(seed, i) (rng.c), so it is
 * the same permutation whoever computes it. Counting is applied in
 * permutation-index order: whether permutation i is counted for
 * statistic j depends only on the counts from permutations < i. The
 * reference counts in whatever order its threads finish.
 *
 * Threads: `threads` workers (the calling thread is one of them) take job
 * indices from a shared counter under one mutex (C11 <threads.h>); job 0
 * is the unpermuted data, job k >= 1 is permutation k - 1. Each worker
 * computes, on its own copy of the data, the statistics still open when
 * it took the job (a superset of those open when the job is counted,
 * since statistics only ever settle), deposits the values in a ring of
 * slots, and then commits every consecutive finished job from the lowest
 * uncommitted index up. A worker never runs more than RING_PER_THREAD *
 * threads jobs ahead of the commit point. Jobs handed out after the
 * phase is decided are discarded.
 *
 * Modes:
 *   full (opt->full = 1): one phase over all 19 statistics: the
 *     reference's behaviour and counts.
 *   decisive (opt->full = 0): the verdict is the conjunction of the 19
 *     statistics; compression (5.1.11) costs ~30 times the other 18
 *     together (for 10^6 samples ~45 ms against ~1.5 ms, and ~1.5 ms
 *     for the shuffle).
 *     Phase A counts the 18 cheap statistics, computing for each
 *     permutation only those still open, until all settle or the
 *     permutations run out. If one is still open at the end it has
 *     failed, so the data fail whatever compression would say:
 *     compression is never computed (its count keeps computed = 0). If
 *     all 18 settled, phase B counts compression alone over permutations
 *     0, 1, 2, ... (the same seeds, hence the same permutations as in
 *     full mode) until it settles (pass) or they run out (fail).
 *   Each statistic's counts depend only on its own values in index
 *   order, so every statistic computed by both modes has the same counts
 *   in both, and the verdicts agree.
 *
 * Result: stat[j].computed = 1 when statistic j was counted; then either
 * settled = passed = 1 (more than 5 on each side), or it was counted over
 * every permutation and failed. permutations_run is the largest number
 * of permutations counted in one phase; decided_early = 1 when decisive
 * mode reached its verdict without computing some statistic.
 *
 * Progress: opt->progress(user, done, total, open) is called from the
 * calling thread about every PROGRESS_INTERVAL seconds while a phase runs
 * and once at its end; done = permutations counted in the current phase
 * (phase B of decisive mode starts again from 0), total = permutations,
 * open = statistics not settled yet.
 *
 * Events (opt->on_start, opt->on_round), for front ends that print as the
 * reference does at -v: called under the lock by the worker that commits,
 * on_start when job 0 (the unpermuted data) is committed, on_round after
 * each permutation counted. A decisive run computes the unpermuted
 * compression statistic first when on_start is set, so that all 19
 * originals are known when it is called.
 *
 * Memory: per worker one copy of the data, one statistics context and,
 * only in a phase that compresses, one compressor; all freed on return.
 */
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

#include "ea90b.h"
#include "shared.h"
#include "iid_internal.h"

/* SP 800-90B §5.1: 10,000 permutations (used when opt is NULL). */
#define DEFAULT_PERMUTATIONS 10000L
/* §5.1 step 3: a statistic passes with more than 5 on each side. */
#define SETTLE_COUNT 5
#define PROGRESS_INTERVAL 0.2
#define RING_PER_THREAD 4
#define MAX_THREADS 256

#define COMPRESSION_BIT (1u << EA_IID_COMPRESSION)

typedef struct {
    uint8_t *work;                /* this worker's permuted copy */
    ea_iid_stats_ctx *stats;      /* when a phase has cheap statistics */
    ea_iid_compressor *comp;      /* when a phase has compression */
} worker_mem;

typedef struct {
    long double v[EA_IID_NSTATS];
    int ready;
} slot;

typedef struct {
    /* fixed for a phase */
    const ea_dataset *ds;
    uint64_t seed;
    int libbz2;                   /* compression by libbz2 itself */
    long jobs;                    /* permutations + 1 (job 0: unpermuted) */
    long permutations;
    uint32_t phase;               /* statistics counted in this phase */
    uint32_t pending;             /* statistics left to a later phase */
    ea_perm_result *res;
    ea_progress_fn progress;
    void *progress_user;
    double next_report;
    ea_perm_start_fn on_start;
    ea_perm_round_fn on_round;
    void *event_user;
    int started;                  /* on_start has been called */
    /* shared, under lock */
    mtx_t lock;
    cnd_t changed;
    long next;                    /* next job to hand out */
    long committed;               /* jobs 0..committed-1 are applied */
    uint32_t open;                /* statistics still counted */
    int stop;                     /* phase decided: take no more jobs */
    ea_status error;
    long ring_size;
    slot *ring;
} run_state;

typedef struct {
    run_state *r;
    worker_mem *mem;
    int caller;                   /* the calling thread: reports progress */
} worker_arg;

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

static struct timespec to_timespec(double t)
{
    struct timespec ts;

    ts.tv_sec = (time_t)t;
    ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

static int count_bits(uint32_t m)
{
    int k = 0;

    for (; m != 0; m &= m - 1u)
        k++;
    return k;
}

static int is_settled(const ea_perm_count *c)
{
    return c->c[0] + c->c[1] > SETTLE_COUNT && c->c[1] + c->c[2] > SETTLE_COUNT;
}

/* ------------------------------------------------------------------ */
/* One job: the statistics in `mask` of job `job`'s ordering            */
/* ------------------------------------------------------------------ */

static ea_status compute_job(const run_state *r, worker_mem *m, long job, uint32_t mask,
                             long double v[EA_IID_NSTATS])
{
    size_t n = r->ds->len;
    const uint8_t *data = r->ds->raw;
    uint32_t cheap = mask & EA_IID_CHEAP_STATS;
    ea_status st = EA_OK;

    if (job > 0) {
        ea_rng g;
        memcpy(m->work, r->ds->raw, n);
        ea_rng_seed(&g, r->seed, (uint64_t)(job - 1));
        ea_shuffle(m->work, n, &g);
        data = m->work;
    }
    if (cheap != 0)
        st = ea_iid_stats_compute(m->stats, data, cheap, v);
    if (st == EA_OK && (mask & COMPRESSION_BIT))
        st = ea_iid_compression_stat(m->comp, data, n, &v[EA_IID_COMPRESSION]);
    return st;
}

/* ------------------------------------------------------------------ */
/* In-order commit (lock held)                                          */
/* ------------------------------------------------------------------ */

static void apply_original(run_state *r, const long double *v)
{
    for (int j = 0; j < EA_IID_NSTATS; j++) {
        if (!(r->phase & (1u << j)))
            continue;
        r->res->stat[j].original = v[j];
        r->res->stat[j].computed = 1;
    }
}

/* Count permutation job-1 for every statistic still open. */
static void apply_permutation(run_state *r, long job, const long double *v)
{
    for (int j = 0; j < EA_IID_NSTATS; j++) {
        ea_perm_count *c = &r->res->stat[j];

        if (!(r->open & (1u << j)))
            continue;
        if (v[j] > c->original)
            c->c[0]++;
        else if (v[j] == c->original)
            c->c[1]++;
        else
            c->c[2]++;
        if (is_settled(c)) {
            c->settled = 1;
            r->open &= ~(1u << j);
        }
    }
    if (job > r->res->permutations_run)
        r->res->permutations_run = job;
}

/* The events of the job just committed (lock held). */
static void announce(run_state *r)
{
    if (r->committed == 0) {
        if (!r->started && r->on_start != NULL)
            r->on_start(r->event_user, r->res);
        r->started = 1;
        return;
    }
    if (r->on_round != NULL)
        r->on_round(r->event_user, r->committed, r->permutations,
                    EA_IID_NSTATS - count_bits(r->open | r->pending));
}

static void commit_ready(run_state *r)
{
    while (!r->stop) {
        slot *s = &r->ring[r->committed % r->ring_size];

        if (!s->ready)
            break;
        if (r->committed == 0)
            apply_original(r, s->v);
        else
            apply_permutation(r, r->committed, s->v);
        announce(r);
        s->ready = 0;
        r->committed++;
        if (r->open == 0 || r->committed == r->jobs)
            r->stop = 1;
    }
}

/* ------------------------------------------------------------------ */
/* Workers                                                              */
/* ------------------------------------------------------------------ */

/* Call the progress function (lock held; released around the call). */
static void report(run_state *r, int force)
{
    double t;
    long done;
    int open;

    if (r->progress == NULL)
        return;
    t = ea_seconds_now();
    if (!force && t < r->next_report)
        return;
    r->next_report = t + PROGRESS_INTERVAL;
    done = r->committed > 0 ? r->committed - 1 : 0;
    open = count_bits(r->open | r->pending);
    mtx_unlock(&r->lock);
    r->progress(r->progress_user, done, r->permutations, open);
    mtx_lock(&r->lock);
}

/* Wait for the commit point to move (lock held). */
static void wait_change(run_state *r, int caller)
{
    struct timespec until;

    if (!caller || r->progress == NULL) {
        cnd_wait(&r->changed, &r->lock);
        return;
    }
    until = to_timespec(r->next_report);
    cnd_timedwait(&r->changed, &r->lock, &until);
    report(r, 0);
}

static int must_wait(const run_state *r)
{
    return !r->stop && r->next < r->jobs && r->next >= r->committed + r->ring_size;
}

static void finish_job(run_state *r, long job, ea_status st, const long double *v)
{
    if (st != EA_OK) {
        if (r->error == EA_OK)
            r->error = st;
        r->stop = 1;
    } else if (!r->stop) {
        slot *s = &r->ring[job % r->ring_size];
        memcpy(s->v, v, sizeof(s->v));
        s->ready = 1;
        commit_ready(r);
    }
    cnd_broadcast(&r->changed);
}

static int worker(void *arg)
{
    worker_arg *w = arg;
    run_state *r = w->r;
    long double v[EA_IID_NSTATS];

    mtx_lock(&r->lock);
    for (;;) {
        long job;
        uint32_t mask;
        ea_status st;

        while (must_wait(r))
            wait_change(r, w->caller);
        if (r->stop || r->next >= r->jobs)
            break;
        job = r->next++;
        mask = job == 0 ? r->phase : r->open;
        mtx_unlock(&r->lock);
        st = compute_job(r, w->mem, job, mask, v);
        mtx_lock(&r->lock);
        finish_job(r, job, st, v);
        if (w->caller)
            report(r, 0);
    }
    mtx_unlock(&r->lock);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Phases                                                               */
/* ------------------------------------------------------------------ */

static ea_status prepare_workers(worker_mem *mem, int threads, const ea_dataset *ds,
                                 const ea_iid_baseline *b, uint32_t phase, int libbz2)
{
    for (int t = 0; t < threads; t++) {
        worker_mem *m = &mem[t];
        ea_status st;

        if (m->work == NULL && (m->work = malloc(ds->len)) == NULL)
            return EA_ERR_NOMEM;
        if ((phase & EA_IID_CHEAP_STATS) && m->stats == NULL &&
            (st = ea_iid_stats_new(ds, b, &m->stats)) != EA_OK)
            return st;
        if ((phase & COMPRESSION_BIT) && m->comp == NULL &&
            (st = ea_iid_compressor_new(ds->len, ds->max_symbol, &m->comp)) != EA_OK)
            return st;
        if (libbz2 && m->comp != NULL)
            ea_iid_compressor_use_libbz2(m->comp, 1);
    }
    return EA_OK;
}

static void release_workers(worker_mem *mem, int threads)
{
    for (int t = 0; t < threads; t++) {
        free(mem[t].work);
        ea_iid_stats_free(mem[t].stats);
        ea_iid_compressor_free(mem[t].comp);
    }
    free(mem);
}

/* Start threads-1 workers, work on the calling thread, join. */
static void run_workers(run_state *r, worker_mem *mem, int threads)
{
    thrd_t tid[MAX_THREADS];
    worker_arg args[MAX_THREADS];
    int started = 0;

    for (int t = 0; t < threads; t++)
        args[t] = (worker_arg){ r, &mem[t], t == 0 };
    for (int t = 1; t < threads; t++) {
        if (thrd_create(&tid[started], worker, &args[t]) != thrd_success)
            break;
        started++;
    }
    worker(&args[0]);
    for (int t = 0; t < started; t++)
        thrd_join(tid[t], NULL);
}

/*
 * Count the statistics in `phase` over jobs 0..permutations, with
 * `pending` statistics reported as open for a later phase.
 */
static ea_status run_phase(run_state *r, worker_mem *mem, int threads, uint32_t phase,
                           uint32_t pending, const ea_iid_baseline *b)
{
    ea_status st;

    r->phase = phase;
    r->pending = pending;
    r->open = phase;
    r->next = 0;
    r->committed = 0;
    r->stop = 0;
    r->error = EA_OK;
    r->next_report = ea_seconds_now() + PROGRESS_INTERVAL;
    if (threads > r->jobs)
        threads = (int)r->jobs;
    st = prepare_workers(mem, threads, r->ds, b, phase, r->libbz2);
    if (st != EA_OK)
        return st;
    memset(r->ring, 0, (size_t)r->ring_size * sizeof(*r->ring));
    if (mtx_init(&r->lock, mtx_plain) != thrd_success)
        return EA_ERR_NOMEM;
    if (cnd_init(&r->changed) != thrd_success) {
        mtx_destroy(&r->lock);
        return EA_ERR_NOMEM;
    }
    run_workers(r, mem, threads);
    mtx_lock(&r->lock);
    report(r, 1);
    mtx_unlock(&r->lock);
    cnd_destroy(&r->changed);
    mtx_destroy(&r->lock);
    return r->error;
}

/* Decisive mode with on_start: the unpermuted compression statistic before phase A (its counts
 * stay "not computed" unless phase B runs, which computes the same value again). */
static ea_status original_compression(run_state *r)
{
    ea_iid_compressor *comp;
    ea_status st;

    if (r->on_start == NULL)
        return EA_OK;
    if ((st = ea_iid_compressor_new(r->ds->len, r->ds->max_symbol, &comp)) != EA_OK)
        return st;
    if (r->libbz2)
        ea_iid_compressor_use_libbz2(comp, 1);
    st = ea_iid_compression_stat(comp, r->ds->raw, r->ds->len,
                                 &r->res->stat[EA_IID_COMPRESSION].original);
    ea_iid_compressor_free(comp);
    return st;
}

static ea_status run_modes(run_state *r, worker_mem *mem, int threads, int full,
                           const ea_iid_baseline *b)
{
    ea_status st;

    if (full)
        return run_phase(r, mem, threads, EA_IID_ALL_STATS, 0, b);
    if ((st = original_compression(r)) != EA_OK)
        return st;
    st = run_phase(r, mem, threads, EA_IID_CHEAP_STATS, COMPRESSION_BIT, b);
    if (st != EA_OK)
        return st;
    if (r->open != 0) {
        /* A cheap statistic failed: the verdict is FAIL either way. */
        r->res->decided_early = 1;
        return EA_OK;
    }
    return run_phase(r, mem, threads, COMPRESSION_BIT, 0, b);
}

static void set_verdict(ea_perm_result *res)
{
    res->passed = 1;
    for (int j = 0; j < EA_IID_NSTATS; j++) {
        ea_perm_count *c = &res->stat[j];
        c->passed = c->computed && is_settled(c);
        if (!c->passed)
            res->passed = 0;
    }
}

ea_perm_opts ea_perm_opts_default(void)
{
    /* SP 800-90B §5.1: 10,000 permutations; decisive mode reaches the same verdict. */
    return (ea_perm_opts){
        .seed = 0,
        .threads = 1,
        .full = 0,
        .permutations = 10000,
        .progress = NULL,
        .progress_user = NULL,
        .libbz2 = 0,
        .on_start = NULL,
        .on_round = NULL,
        .event_user = NULL,
    };
}

ea_status ea_permutation_test(const ea_dataset *ds, const ea_iid_baseline *b,
                              const ea_perm_opts *opt, ea_perm_result *res)
{
    run_state r;
    worker_mem *mem;
    int threads = opt ? opt->threads : 1;
    ea_status st;

    if (res != NULL)
        memset(res, 0, sizeof(*res));
    if (ds == NULL || b == NULL || res == NULL || ds->raw == NULL)
        return EA_ERR_ARG;
    if (ds->len == 0)
        return EA_ERR_EMPTY;
    if (threads < 1 || (opt && opt->permutations < 0))
        return EA_ERR_ARG;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;

    memset(&r, 0, sizeof(r));
    r.ds = ds;
    r.res = res;
    r.seed = opt ? opt->seed : 0;
    r.libbz2 = opt ? opt->libbz2 : 0;
    r.permutations = opt ? opt->permutations : DEFAULT_PERMUTATIONS;
    r.jobs = r.permutations + 1;
    r.progress = opt ? opt->progress : NULL;
    r.progress_user = opt ? opt->progress_user : NULL;
    r.on_start = opt ? opt->on_start : NULL;
    r.on_round = opt ? opt->on_round : NULL;
    r.event_user = opt ? opt->event_user : NULL;
    r.ring_size = (long)threads * RING_PER_THREAD;
    r.ring = malloc((size_t)r.ring_size * sizeof(*r.ring));
    mem = calloc((size_t)threads, sizeof(*mem));
    if (r.ring == NULL || mem == NULL) {
        free(r.ring);
        free(mem);
        return EA_ERR_NOMEM;
    }
    st = run_modes(&r, mem, threads, opt ? opt->full : 1, b);
    release_workers(mem, threads);
    free(r.ring);
    set_verdict(res);
    return st;
}
