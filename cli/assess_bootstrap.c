/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assess_bootstrap.c - `ea90b assess --bootstrap B [--bootstrap-blocks M]`:
 * a percentile interval for each SP 800-90B §6.3 estimate of the assessed
 * samples (a series: of the run the verdict rests on), from the estimates
 * of M disjoint blocks bootstrapped B times (include/ea90b_bootstrap.h,
 * docs/estimators.md, "Bootstrap intervals"). Information beside the
 * assessment: the 90B value stays the full-data estimate.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "assess.h"
#include "ea90b_bootstrap.h"
#include "report.h"

/* Blocks shorter than this leave some §6.3 estimators out of some blocks (docs/estimators.md). */
#define BOOT_BLOCK_MIN 4096u

/* The §6.3 estimators in the report's keys (noniid_json.c), the LRS half last. */
static const char *const keys[EA_EST_COUNT] = {
    "mcv", "collision", "markov", "compression", "t_tuple", "multi_mcw", "lag", "multi_mmc", "lz78y",
};

static json_t *ci_obj(const ea_bootstrap_ci *c, double full)
{
    json_t *o = json_object();

    json_object_set_new(o, "h_full", full >= 0 ? json_real(full) : json_null());
    json_object_set_new(o, "blocks", json_integer(c->count));
    json_object_set_new(o, "median", json_real(c->median));
    json_object_set_new(o, "lower", json_real(c->lower));
    json_object_set_new(o, "upper", json_real(c->upper));
    json_object_set_new(o, "block_min", json_real(c->block_min));
    json_object_set_new(o, "block_max", json_real(c->block_max));
    return o;
}

/* The full-data value of one estimator side from the non-IID stage, or -1. */
static double full_h(const json_t *noniid, const char *side, const char *key)
{
    char path[96];
    const json_t *v;

    snprintf(path, sizeof path, "report.estimators.%s.%s.h", side, key);
    v = ea_report_get(noniid, path);
    return json_is_number(v) ? json_number_value(v) : -1.0;
}

static void add_side(json_t *arr, const json_t *noniid, const char *side, const char *key,
                     const ea_bootstrap_ci *c)
{
    json_t *o;

    if (!c->valid)
        return;
    o = ci_obj(c, full_h(noniid, side, key));
    json_object_set_new(o, "estimator", json_string(key));
    json_object_set_new(o, "side", json_string(side));
    json_array_append_new(arr, o);
}

static json_t *result_obj(const ea_bootstrap_result *r, const ea_bootstrap_opts *opt,
                          const json_t *noniid)
{
    json_t *o = json_object(), *est = json_array();
    char seed[24];

    for (int id = 0; id < EA_EST_COUNT; id++) {
        add_side(est, noniid, "literal", keys[id], &r->literal[id]);
        add_side(est, noniid, "bitstring", keys[id], &r->bitstring[id]);
    }
    add_side(est, noniid, "literal", "lrs", &r->lrs_literal);
    add_side(est, noniid, "bitstring", "lrs", &r->lrs_bitstring);
    snprintf(seed, sizeof seed, "%" PRIu64, opt->seed);
    json_object_set_new(o, "status", json_string("ran"));
    json_object_set_new(o, "method", json_string("the estimates of M disjoint blocks of L samples; "
                        "Efron percentile interval of their median over B resamples"));
    json_object_set_new(o, "replicates", json_integer(r->replicates));
    json_object_set_new(o, "blocks", json_integer(r->blocks));
    json_object_set_new(o, "block_samples", json_integer((json_int_t)r->block_samples));
    json_object_set_new(o, "level", json_real(opt->level));
    json_object_set_new(o, "seed", json_string(seed));
    json_object_set_new(o, "skipped", json_integer(r->skipped));
    json_object_set_new(o, "failed", json_integer(r->failed));
    json_object_set_new(o, "seconds", json_real(r->seconds));
    if (r->h_assessed.valid)
        json_object_set_new(o, "h_assessed", ci_obj(&r->h_assessed,
                            ea_report_num(noniid, "report.results.h_assessed", -1)));
    if (r->h_original.valid)
        json_object_set_new(o, "h_original", ci_obj(&r->h_original,
                            ea_report_num(noniid, "report.results.h_original", -1)));
    if (r->h_bitstring.valid)
        json_object_set_new(o, "h_bitstring", ci_obj(&r->h_bitstring,
                            ea_report_num(noniid, "report.results.h_bitstring", -1)));
    json_object_set_new(o, "estimates", est);
    return o;
}

json_t *ea_assess_bootstrap_stage(const ea_assess_unit *u, const json_t *noniid)
{
    ea_bootstrap_opts opt = ea_bootstrap_opts_default();
    ea_bootstrap_result *r = malloc(sizeof *r);
    json_t *o;
    ea_status st;

    opt.replicates = u->o->bootstrap;
    opt.blocks = u->o->bootstrap_blocks;
    opt.seed = u->o->seed;
    opt.threads = u->threads;
    ea_assess_note(u->o, u->where, "bootstrap: %u blocks of %zu samples, %u resamples, seed %"
                   PRIu64, opt.blocks, u->ds->len / opt.blocks, opt.replicates, opt.seed);
    if (u->ds->len / opt.blocks < BOOT_BLOCK_MIN)
        ea_err(u->o->prog, "%s: warning: --bootstrap-blocks %u leaves blocks of %zu samples; "
               "below %u some estimators do not run on every block and the intervals can be "
               "missing or collapse to a point", u->where, opt.blocks, u->ds->len / opt.blocks,
               BOOT_BLOCK_MIN);
    st = r == NULL ? EA_ERR_NOMEM : ea_bootstrap_noniid(u->ds, &opt, r);
    if (st != EA_OK) {
        o = json_object();
        json_object_set_new(o, "status", json_string("error"));
        json_object_set_new(o, "reason", json_string(
            st == EA_ERR_TOO_SHORT ? "the blocks are too short for the estimators: fewer blocks "
                                     "(--bootstrap-blocks) or more samples" : ea_strerror(st)));
        ea_err(u->o->prog, "%s: bootstrap: %s", u->where,
               json_string_value(json_object_get(o, "reason")));
    } else {
        o = result_obj(r, &opt, noniid);
    }
    free(r);
    return o;
}
