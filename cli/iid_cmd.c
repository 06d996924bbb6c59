/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iid_cmd.c - the IID front end in two dialects:
 *   ea90b iid   decisive scheduling by default (--full for every
 *               statistic), summary or --json;
 *   ea_iid      drop-in for NIST's ea_iid 1.1.7 (full by default), the
 *               reference's stdout lines and -o JSON.
 * Both take --seed N (else a seed is drawn from getrandom(2) and printed)
 * and --threads N; the same seed gives the same output for any thread
 * count.
 *
 * ea_iid prints as the reference does while it runs: its lines up to the
 * permutation test's unpermuted results when the permutations start, at -v
 * one progress line per permutation round (flushed), the count table and
 * verdict at the end; a run stopped after minutes has said where it was.
 */
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "frontend.h"
#include "nist_stream.h"
#include "reports.h"

/* The drop-in's text printed as the run goes (permutation events). */
typedef struct {
    const ea_iid_report *rep;
    int verbose;
    int tty;             /* stdout is a terminal: the progress line is rewritten in place */
    int head_printed;    /* part 0 is out: emit prints part 1 */
} nist_stream;

static void stream_start(void *user, const ea_perm_result *perm)
{
    nist_stream *s = user;

    (void)perm;   /* rep->res->perm is the same result */
    ea_render_nist_iid_text_part(stdout, s->rep, s->verbose, 0);
    fflush(stdout);
    s->head_printed = 1;
}

static void stream_round(void *user, long done, long total, int settled)
{
    nist_stream *s = user;

    ea_render_nist_perm_progress(stdout, done, total, settled, s->tty);
    fflush(stdout);
}

typedef struct {
    const char *prog;
    int full;
    double start;        /* of the run */
    double last;         /* last line printed */
    double pass_start;   /* first report of the current pass */
    long pass_done;      /* permutations done at that report */
    long prev_done;      /* -1 before the first report */
    int shown;
} progress_state;

/*
 * The time left assumes every remaining permutation is counted, at the
 * rate measured so far in this pass: an upper bound, since counting stops
 * once all statistics settle and settled ones cost nothing. Decisive
 * scheduling may follow the cheap statistics with a compression pass
 * (done starts again from 0), hence "in this pass".
 */
static void on_progress(void *user, long done, long total, int open_stats)
{
    progress_state *p = user;
    double now = ea_wall();
    char left[48] = "estimating time left";

    if (p->prev_done < 0 || done < p->prev_done) {
        p->pass_start = now;
        p->pass_done = done;
    }
    p->prev_done = done;
    if (now - p->last < 0.25 && done < total)
        return;
    p->last = now;
    if (done > p->pass_done && now > p->pass_start)
        snprintf(left, sizeof left, "at most ~%.0f s left%s",
                 (now - p->pass_start) / (double)(done - p->pass_done) * (double)(total - done),
                 p->full ? "" : " in this pass");
    fprintf(stderr, "\r%s: permutations %ld/%ld, %d statistic%s open, %s\033[K", p->prog, done,
            total, open_stats, open_stats == 1 ? "" : "s", left);
    p->shown = 1;
}

/* The reference's JSON depends on its verbosity (hAssessed, PR #251). */
typedef struct {
    const ea_iid_report *rep;
    int verbose;
} nist_json_args;

static int render_nist(FILE *f, const void *p)
{
    const nist_json_args *n = p;
    return ea_render_nist_iid_json(f, n->rep, n->verbose);
}

static int render_ea(FILE *f, const void *rep)
{
    return ea_render_iid_json(f, rep);
}

static int emit(const ea_front *a, const ea_iid_report *rep, const nist_stream *ns)
{
    if (a->nist && ns->head_printed)
        ea_render_nist_iid_text_part(stdout, rep, a->verbose, 1);
    else if (a->nist)
        ea_render_nist_iid_text(stdout, rep, a->verbose);
    else if (!a->json && !a->quiet)
        ea_render_iid_summary(stdout, rep);
    if (fflush(stdout) != 0) {
        ea_err(a->prog, "write error on standard output");
        return EXIT_DATA;
    }
    if (a->nist && a->out_path) {
        nist_json_args n = { rep, a->verbose };
        return ea_front_write_json(a, a->out_path, render_nist, &n);
    }
    if (!a->nist && (a->json || a->out_path))
        return ea_front_write_json(a, a->out_path ? a->out_path : "-", render_ea, rep);
    return 0;
}

static int assess(const ea_front *a, const ea_input *in, const ea_dataset *ds)
{
    ea_iid_result *res = malloc(sizeof(*res));
    progress_state ps = { a->prog, a->full, ea_wall(), 0.0, 0.0, 0, -1, 0 };
    ea_iid_opts opt = ea_iid_opts_default();
    ea_iid_report rep = { a->file, in->sha256, a->commandline, a->timestamp, ds, res, a->initial,
                          a->all_bits, a->win_index, a->win_samples, in->file_bytes, a->threads,
                          a->full, a->seed, !a->seed_given, 0.0, a->libbz2 };
    nist_stream ns = { &rep, a->verbose, isatty(STDOUT_FILENO), 0 };
    ea_status st;
    int rc;

    if (res == NULL) {
        ea_err(a->prog, "out of memory");
        return EXIT_DATA;
    }
    opt.initial = a->initial;
    opt.skip_settled = 0;   /* ea90b iid / ea_iid report every test */
    opt.perm.seed = a->seed;
    opt.perm.threads = a->threads;
    opt.perm.full = a->full;
    opt.perm.progress = isatty(STDERR_FILENO) ? on_progress : NULL;
    opt.perm.progress_user = &ps;
    opt.perm.libbz2 = a->libbz2;
    if (a->nist) {
        opt.perm.on_start = stream_start;
        opt.perm.on_round = a->verbose == 2 ? stream_round : NULL;   /* the reference's -v */
        opt.perm.event_user = &ns;
        if (opt.perm.on_round != NULL)
            opt.perm.progress = NULL;   /* the progress lines say it on stdout */
    }
    st = ea_iid_run(ds, &opt, res);
    rep.seconds = ea_wall() - ps.start;
    if (ps.shown)
        fputs("\r\033[K", stderr);
    if (st != EA_OK) {
        ea_err(a->prog, "IID testing failed: %s", ea_strerror(st));
        rc = EXIT_DATA;
    } else {
        rc = emit(a, &rep, &ns);
    }
    free(res);
    return rc;
}

int ea_cmd_iid(int argc, char **argv, int nist)
{
    return ea_front_main(argc, argv, nist, EA_TRACK_IID, assess);
}
