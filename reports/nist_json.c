/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nist_json.c - the JSON file NIST's ea_non_iid 1.1.7 writes with -o:
 * the same field names, test-case order and conventions (a field is
 * present only when the reference sets it; keys sorted, 3-space indent,
 * doubles with 17 significant digits), so scripts written for the
 * reference read it unchanged. One addition: "implementation" names ea90b.
 */
#include <jansson.h>

#include "nist_json.h"
#include "reports.h"

static void put_real(json_t *o, const char *key, double v)
{
    json_object_set_new(o, key, json_real(v));
}

json_t *ea_nist_base_run(int iid, const char *cmd, const char *ts, const char *file, const char *sha)
{
    json_t *o = json_object();

    json_object_set_new(o, "IID", json_boolean(iid));
    json_object_set_new(o, "commandline", json_string(cmd ? cmd : ""));
    json_object_set_new(o, "dateTimeStamp", json_string(ts ? ts : ""));
    json_object_set_new(o, "errorLevel", json_integer(0));
    if (file && *file)
        json_object_set_new(o, "filename", json_string(file));
    if (sha && *sha)
        json_object_set_new(o, "sha256", json_string(sha));
    json_object_set_new(o, "toolVersion", json_string(EA90B_NIST_VERSION));
    json_object_set_new(o, "type", json_string(""));
    json_object_set_new(o, "implementation", json_string("ea90b " EA90B_VERSION));
    return o;
}

int ea_nist_dump(FILE *f, json_t *o)
{
    int rc = json_dumpf(o, f, JSON_INDENT(3) | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (rc == 0 && fputc('\n', f) == EOF)
        rc = -1;
    return rc;
}

static int side_ok(const ea_est_side *s)
{
    return s->ran && s->status == EA_OK;
}

/* A value the reference would have set (it omits what did not run). */
static void put_h(json_t *tc, const char *key, ea_estimator_id id, const ea_est_side *s, int lrs)
{
    double h = ea_noniid_side_h(id, s, lrs);

    if (h >= 0.0)
        put_real(tc, key, h);
}

static json_t *simple_case(const ea_noniid_result *res, ea_estimator_id id, const char *desc)
{
    json_t *tc = json_object();

    json_object_set_new(tc, "testCaseDesc", json_string(desc));
    put_h(tc, "hBitstring", id, &res->bitstring[id], 0);
    put_h(tc, "hOriginal", id, &res->literal[id], 0);
    return tc;
}

/* The reference stores the MCV details of its last MCV call: literal in
 * initial mode, bitstring in conditioned mode. */
static json_t *mcv_case(const ea_noniid_result *res)
{
    json_t *tc = simple_case(res, EA_EST_MCV, "Most Common Value");
    const ea_est_side *s = side_ok(&res->literal[EA_EST_MCV]) ? &res->literal[EA_EST_MCV]
                                                              : &res->bitstring[EA_EST_MCV];
    if (side_ok(s)) {
        put_real(tc, "mcvEstimateMode", (double)s->u.mcv.mode);
        put_real(tc, "mcvEstimatePHat", s->u.mcv.p_hat);
        put_real(tc, "mcvEstimatePU", s->u.mcv.p_u);
    }
    return tc;
}

static json_t *sa_case(const ea_noniid_result *res, int lrs)
{
    json_t *tc = json_object();
    const ea_est_side *b = &res->bitstring[EA_EST_TTUPLE], *l = &res->literal[EA_EST_TTUPLE];

    json_object_set_new(tc, "testCaseDesc", json_string(lrs ? "LRS Test" : "T-Tuple Test"));
    put_h(tc, lrs ? "binLrsRes" : "binTTupleRes", EA_EST_TTUPLE, b, lrs);
    put_h(tc, lrs ? "lrsRes" : "tTupleRes", EA_EST_TTUPLE, l, lrs);
    return tc;
}

static json_t *overall_case(const ea_noniid_report *r)
{
    json_t *tc = json_object();

    json_object_set_new(tc, "testCaseDesc", json_string("Overall"));
    if (r->res->has_bitstring)
        put_real(tc, "hBitstring", r->res->h_bitstring);
    if (r->res->has_literal)
        put_real(tc, "hOriginal", r->res->h_original);
    put_real(tc, "dataWordSize", (double)r->ds->bits);
    put_real(tc, "hAssessed", r->res->h_assessed);
    return tc;
}

int ea_render_nist_noniid_json(FILE *f, const ea_noniid_report *r)
{
    json_t *o = ea_nist_base_run(0, r->commandline, r->timestamp, r->filename, r->sha256);
    json_t *cases = json_array();
    const ea_noniid_result *res = r->res;

    json_array_append_new(cases, mcv_case(res));
    json_array_append_new(cases, simple_case(res, EA_EST_COLLISION, "Collision Test (for bit strings only)"));
    json_array_append_new(cases, simple_case(res, EA_EST_MARKOV, "Markov Test (for bit strings only)"));
    json_array_append_new(cases, simple_case(res, EA_EST_COMPRESSION, "Compression Test (for bit strings only)"));
    json_array_append_new(cases, sa_case(res, 0));
    json_array_append_new(cases, sa_case(res, 1));
    json_array_append_new(cases, simple_case(res, EA_EST_MULTI_MCW, "Multi Most Common in Window Test"));
    json_array_append_new(cases, simple_case(res, EA_EST_LAG, "Lag Prediction Test"));
    json_array_append_new(cases, simple_case(res, EA_EST_MULTI_MMC, "Multi Markov Model with Counting Test (MultiMMC)"));
    json_array_append_new(cases, simple_case(res, EA_EST_LZ78Y, "LZ78Y Test"));
    json_array_append_new(cases, overall_case(r));
    json_object_set_new(o, "testCases", cases);
    return ea_nist_dump(f, o);
}

int ea_render_nist_error_json(FILE *f, int iid, const char *commandline, const char *timestamp,
                              const char *filename, const char *sha256, const char *msg)
{
    json_t *o = ea_nist_base_run(iid, commandline, timestamp, filename, sha256);

    json_object_set_new(o, "errorLevel", json_integer(-1));
    json_object_set_new(o, "errorMessage", json_string(msg ? msg : ""));
    json_object_set_new(o, "testCases", json_null());
    return ea_nist_dump(f, o);
}
