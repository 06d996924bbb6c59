/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assess_tracks.c - the two tracks of `ea90b assess` on one samples file:
 * the §5 IID track (chi-square and LRS first, then the 10,000 seeded
 * permutations of §5.1 unless already settled) and the §6.3 non-IID
 * estimators, each rendered as its report stage ({"report": ...}). Used
 * for a single collection and for every run of a series.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "assess.h"
#include "report.h"
#include "reports.h"

static int render_iid(FILE *f, const void *rep)
{
    return ea_render_iid_json(f, rep);
}

static int render_noniid(FILE *f, const void *rep)
{
    return ea_render_noniid_json(f, rep);
}

json_t *ea_assess_iid_stage(const ea_assess_unit *u, int *rc)
{
    int skip;
    ea_iid_result *res = malloc(sizeof(*res));
    ea_iid_opts opt = ea_iid_opts_default();
    ea_iid_report rep;
    json_t *o = NULL, *stage;
    double t0 = ea_wall();
    ea_status st;
    char seed[24];

    *rc = EXIT_DATA;
    if (res == NULL)
        return NULL;
    if (!u->terse)
        ea_assess_note(u->o, u->where, "IID track (section 5), permutation seed %" PRIu64, u->o->seed);
    /*
     * §5: the data are IID only when every test passes. When the cheap
     * chi-square (§5.2.1-5.2.4) or LRS (§5.2.5) test already fails, the
     * verdict is settled and the 10,000 permutations (§5.1) of non-IID
     * data, which never settle early, are skipped (unless --all-iid-tests).
     */
    opt.perm.seed = u->o->seed;
    opt.perm.threads = u->threads;
    opt.skip_settled = !u->o->all_permutations;
    st = ea_iid_run(u->ds, &opt, res);
    skip = st == EA_OK && res->perm_skipped;
    if (skip && !u->terse)
        ea_assess_note(u->o, u->where, "chi-square or LRS test failed: not IID; permutation tests skipped");
    if (st != EA_OK) {
        ea_err(u->o->prog, "%s: IID testing failed: %s", u->where, ea_strerror(st));
        free(res);
        return NULL;
    }
    rep = (ea_iid_report){ u->file, u->in->sha256, u->o->commandline, u->timestamp, u->ds,
                           res, 1, 1, 0, 0, u->in->file_bytes, u->threads, 0, u->o->seed,
                           !u->o->seed_given, ea_wall() - t0, 0 };
    o = ea_report_embed(render_iid, &rep);
    free(res);
    if (o == NULL)
        return NULL;
    snprintf(seed, sizeof seed, "%" PRIu64, u->o->seed);
    stage = json_object();
    json_object_set_new(stage, "seed", json_string(seed));
    json_object_set_new(stage, "seed_source", json_string(u->o->seed_given ? "--seed" : "getrandom"));
    json_object_set_new(stage, "permutation_skipped", json_boolean(skip));
    json_object_set_new(stage, "report", o);
    *rc = 0;
    return stage;
}

json_t *ea_assess_noniid_stage(const ea_assess_unit *u, int *rc)
{
    ea_noniid_result *res = malloc(sizeof(*res));
    ea_noniid_opts opt = { .initial = 1, .threads = u->threads };
    ea_noniid_report rep;
    json_t *o, *stage;
    double t0 = ea_wall();
    ea_status st;

    *rc = EXIT_DATA;
    if (res == NULL)
        return NULL;
    if (!u->terse)
        ea_assess_note(u->o, u->where, "non-IID track (section 6.3), %zu samples of %d bits",
                       u->ds->len, u->ds->bits);
    st = ea_noniid_run(u->ds, &opt, res);
    if (st != EA_OK) {
        ea_err(u->o->prog, "%s: non-IID assessment failed: %s", u->where, ea_strerror(st));
        free(res);
        return NULL;
    }
    rep = (ea_noniid_report){ u->file, u->in->sha256, u->o->commandline, u->timestamp, u->ds,
                              res, 1, 1, 0, 0, u->in->file_bytes, u->threads, ea_wall() - t0 };
    o = ea_report_embed(render_noniid, &rep);
    free(res);
    if (o == NULL)
        return NULL;
    stage = json_object();
    json_object_set_new(stage, "report", o);
    *rc = 0;
    return stage;
}
