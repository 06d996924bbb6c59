/* SPDX-License-Identifier: Apache-2.0 */
/*
 * noniid_json.c - ea90b's own non-IID JSON (`ea90b noniid --json`):
 * every intermediate value of every estimator on each side, the final
 * numbers, the input's identity and the options. Schema in
 * docs/json-noniid.md; "schema" is bumped on any incompatible change.
 */
#include <jansson.h>

#include "json_util.h"
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

static json_t *mcv_obj(const ea_mcv_result *m)
{
    json_t *o = json_object();
    set_int(o, "mode", m->mode);
    set_real(o, "p_hat", m->p_hat);
    set_real(o, "p_u", m->p_u);
    set_real(o, "h", m->h);
    return o;
}

static json_t *collision_obj(const ea_collision_result *m)
{
    json_t *o = json_object();
    set_int(o, "v", m->v);
    set_int(o, "sum_t", m->sum_t);
    set_real(o, "x_bar", m->x_bar);
    set_real(o, "sigma_hat", m->sigma_hat);
    set_real(o, "x_bar_prime", m->x_bar_prime);
    json_object_set_new(o, "found_p", json_boolean(m->found_p));
    set_real(o, "p", m->p);
    set_real(o, "h", m->h);
    return o;
}

static json_t *markov_obj(const ea_markov_result *m)
{
    json_t *o = json_object();
    set_real(o, "p_0", m->p0);
    set_real(o, "p_1", m->p1);
    set_real(o, "p_00", m->p00);
    set_real(o, "p_01", m->p01);
    set_real(o, "p_10", m->p10);
    set_real(o, "p_11", m->p11);
    set_real(o, "p_hat_max", m->p_hat_max);
    set_real(o, "h", m->h);
    return o;
}

static json_t *compression_obj(const ea_compression_result *m)
{
    json_t *o = json_object();
    set_real(o, "x_bar", m->x_bar);
    set_real(o, "sigma_hat", m->sigma_hat);
    set_real(o, "x_bar_prime", m->x_bar_prime);
    json_object_set_new(o, "found_p", json_boolean(m->found_p));
    set_real(o, "p", m->p);
    set_real(o, "h", m->h);
    return o;
}

static json_t *ttuple_obj(const ea_ttuple_result *t)
{
    json_t *o = json_object();
    if (!t->valid) {
        json_object_set_new(o, "status", json_string("omitted: no tuple occurs 35 times"));
        return o;
    }
    set_int(o, "t", t->t);
    set_real(o, "p_hat_max", (double)t->p_hat_max);
    set_real(o, "p_u", (double)t->p_u);
    set_real(o, "h", t->h);
    return o;
}

static json_t *lrs_obj(const ea_lrs_result *m)
{
    json_t *o = json_object();
    if (!m->valid) {
        json_object_set_new(o, "status", json_string("omitted: v < u"));
        return o;
    }
    set_int(o, "u", m->u);
    set_int(o, "v", m->v);
    set_real(o, "p_hat", (double)m->p_hat);
    set_real(o, "p_u", (double)m->p_u);
    set_real(o, "h", m->h);
    return o;
}

static json_t *pred_obj(const ea_predictor_result *p)
{
    json_t *o = json_object();
    set_int(o, "C", p->C);
    set_int(o, "r", p->r);
    set_int(o, "N", p->N);
    set_real(o, "p_global", p->p_global);
    set_real(o, "p_global_prime", p->p_global_prime);
    if (p->p_local_used)
        set_real(o, "p_local", p->p_local);
    else
        json_object_set_new(o, "p_local", json_null());
    set_real(o, "h", p->h);
    return o;
}

static const char *const keys[EA_EST_COUNT] = {
    "mcv", "collision", "markov", "compression", "t_tuple",
    "multi_mcw", "lag", "multi_mmc", "lz78y",
};

static json_t *estimator_obj(ea_estimator_id id, const ea_est_side *s)
{
    switch (id) {
    case EA_EST_MCV:         return mcv_obj(&s->u.mcv);
    case EA_EST_COLLISION:   return collision_obj(&s->u.collision);
    case EA_EST_MARKOV:      return markov_obj(&s->u.markov);
    case EA_EST_COMPRESSION: return compression_obj(&s->u.compression);
    case EA_EST_TTUPLE:      return ttuple_obj(&s->u.sa.tt);
    default:                 return pred_obj(&s->u.pred);
    }
}

static json_t *side_obj(const ea_est_side *sides)
{
    json_t *o = json_object();

    for (int id = 0; id < EA_EST_COUNT; id++) {
        const ea_est_side *s = &sides[id];
        json_t *e;
        if (!s->ran)
            continue;
        if (s->status != EA_OK) {
            e = json_object();
            json_object_set_new(e, "status", json_string(ea_strerror(s->status)));
        } else {
            e = estimator_obj((ea_estimator_id)id, s);
        }
        set_real(e, "seconds", s->seconds);
        json_object_set_new(o, keys[id], e);
        if (id == EA_EST_TTUPLE && s->status == EA_OK)
            json_object_set_new(o, "lrs", lrs_obj(&s->u.sa.lrs));
    }
    return o;
}

static json_t *options_obj(const ea_noniid_report *r)
{
    json_t *o = json_object();

    json_object_set_new(o, "mode", json_string(r->initial ? "initial" : "conditioned"));
    json_object_set_new(o, "bitstring", json_string(r->all_bits ? "all" : "truncated"));
    set_int(o, "threads", r->threads);
    return o;
}

static json_t *warnings_arr(const ea_noniid_report *r)
{
    json_t *a = json_array();

    if (r->ds->len < (size_t)EA_MIN_SAMPLES)
        json_array_append_new(a, json_string("data contains less than 1000000 samples"));
    if (r->ds->data_bits < r->ds->bits)
        json_array_append_new(a, json_string("symbols appear to be narrower than described"));
    return a;
}

int ea_render_noniid_json(FILE *f, const ea_noniid_report *r)
{
    json_t *o = ea_json_report(SCHEMA_VERSION, "noniid", r->commandline, r->timestamp),
           *res = json_object(), *est = json_object();

    json_object_set_new(o, "input", ea_json_input(r->filename, r->sha256, r->file_bytes, r->ds,
                                                 r->subset_index, r->subset_size));
    json_object_set_new(o, "options", options_obj(r));
    if (r->res->has_literal)
        json_object_set_new(est, "literal", side_obj(r->res->literal));
    if (r->res->has_bitstring)
        json_object_set_new(est, "bitstring", side_obj(r->res->bitstring));
    json_object_set_new(o, "estimators", est);
    if (r->res->has_literal)
        set_real(res, "h_original", r->res->h_original);
    if (r->res->has_bitstring)
        set_real(res, "h_bitstring", r->res->h_bitstring);
    set_real(res, "h_assessed", r->res->h_assessed);
    json_object_set_new(o, "results", res);
    json_object_set_new(o, "warnings", warnings_arr(r));
    set_real(o, "seconds", r->seconds);

    return ea_json_dump(f, o);
}
