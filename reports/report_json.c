/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report_json.c - the assessment report document (schema "ea90b-report",
 * docs/report-format.md): path lookup, schema check, and the verdict
 * that combines the stages as SP 800-90B does:
 *   §3.1.3  the IID track's MCV estimate when every §5 IID test passed,
 *           otherwise the §6.3 non-IID assessed value;
 *   §3.1.4  H_I = min(claim, assessed); the restart test validates H_I;
 *   §4.4    health-test cutoffs derived from the claim;
 *   §3.1.1  at least 1,000,000 samples (fewer: INCOMPLETE).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

json_t *ea_report_embed(int (*render)(FILE *f, const void *rep), const void *rep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    json_t *o = NULL;

    if (m == NULL)
        return NULL;
    if (render(m, rep) == 0 && fclose(m) == 0)
        o = json_loadb(buf, len, 0, NULL);
    else
        fclose(m);
    free(buf);
    return o;
}

json_t *ea_report_get(const json_t *doc, const char *path)
{
    json_t *cur = (json_t *)doc;
    char key[128];

    while (cur != NULL && *path != '\0') {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        path += n + (path[n] == '.');
        if (json_is_object(cur)) {
            cur = json_object_get(cur, key);
        } else if (json_is_array(cur) && key[0] >= '0' && key[0] <= '9') {
            cur = json_array_get(cur, (size_t)strtoul(key, NULL, 10));
        } else {
            return NULL;
        }
    }
    return cur;
}

double ea_report_num(const json_t *doc, const char *path, double dflt)
{
    json_t *v = ea_report_get(doc, path);
    return json_is_number(v) ? json_number_value(v) : dflt;
}

const char *ea_report_str(const json_t *doc, const char *path, const char *dflt)
{
    json_t *v = ea_report_get(doc, path);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

int ea_report_bool(const json_t *doc, const char *path)
{
    json_t *v = ea_report_get(doc, path);
    return json_is_boolean(v) ? json_is_true(v) : -1;
}

/* ---------------------------------------------------------------- */
/* Estimator rows, in the order of §6.3 (t-tuple and LRS separately) */

static const char *const est_keys[] = {
    "mcv", "collision", "markov", "compression", "t_tuple", "lrs",
    "multi_mcw", "lag", "multi_mmc", "lz78y",
};
static const char *const est_names[] = {
    "Most Common Value (6.3.1)", "Collision (6.3.2)", "Markov (6.3.3)",
    "Compression (6.3.4)", "t-Tuple (6.3.5)", "LRS (6.3.6)",
    "MultiMCW prediction (6.3.7)", "Lag prediction (6.3.8)",
    "MultiMMC prediction (6.3.9)", "LZ78Y prediction (6.3.10)",
};

const char *ea_report_est_key(size_t i)
{
    return i < sizeof est_keys / sizeof est_keys[0] ? est_keys[i] : NULL;
}

const char *ea_report_est_name(size_t i)
{
    return i < sizeof est_names / sizeof est_names[0] ? est_names[i] : NULL;
}

/* ---------------------------------------------------------------- */
/* Schema check                                                     */

typedef struct {
    const char *path;
    json_type type;
} required_member;

static const required_member required[] = {
    { "schema", JSON_STRING },
    { "schema_version", JSON_INTEGER },
    { "complete", JSON_TRUE },
    { "tool.name", JSON_STRING },
    { "tool.version", JSON_STRING },
    { "generated", JSON_STRING },
    { "commandline", JSON_STRING },
    { "collection.directory", JSON_STRING },
    { "collection.manifest_sha256", JSON_STRING },
    { "collection.manifest", JSON_OBJECT },
    { "collection.files", JSON_OBJECT },
    { "claim.h", JSON_REAL },
    { "claim.bits_per_sample", JSON_INTEGER },
    { "claim.source", JSON_STRING },
    { "data.samples", JSON_INTEGER },
    { "data.bits_per_symbol", JSON_INTEGER },
    { "data.histogram", JSON_ARRAY },
    { "data.autocorrelation", JSON_ARRAY },
    { "iid.seed", JSON_STRING },
    { "iid.report", JSON_OBJECT },
    { "noniid.report", JSON_OBJECT },
    { "restart.status", JSON_STRING },
    { "health.status", JSON_STRING },
    { "conditioning.status", JSON_STRING },
    { "verdict.status", JSON_STRING },
    { "verdict.track", JSON_STRING },
    { "verdict.h_assessed", JSON_REAL },
    { "verdict.claim_supported", JSON_TRUE },
    { "reproduce", JSON_ARRAY },
};

static int type_ok(const json_t *v, json_type t)
{
    if (t == JSON_TRUE)
        return json_is_boolean(v);
    if (t == JSON_REAL)
        return json_is_number(v);
    return v != NULL && json_typeof(v) == t;
}

int ea_report_validate(const json_t *doc, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (!type_ok(ea_report_get(doc, required[i].path), required[i].type)) {
            snprintf(err, errlen, "member '%s' is missing or has the wrong type",
                     required[i].path);
            return -1;
        }
    }
    if (strcmp(ea_report_str(doc, "schema", ""), EA_REPORT_SCHEMA) != 0) {
        snprintf(err, errlen, "schema is not \"%s\"", EA_REPORT_SCHEMA);
        return -1;
    }
    if (ea_report_num(doc, "schema_version", 0) != EA_REPORT_SCHEMA_VERSION) {
        snprintf(err, errlen, "schema_version %g is not %d (this ea90b reads version %d)",
                 ea_report_num(doc, "schema_version", 0), EA_REPORT_SCHEMA_VERSION,
                 EA_REPORT_SCHEMA_VERSION);
        return -1;
    }
    if (ea_report_bool(doc, "complete") != 1) {
        snprintf(err, errlen, "the report is not marked complete");
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- */
/* Verdict                                                          */

/* Claims equal to the assessed value up to printing precision hold. */
#define CLAIM_SLACK 1e-9
/* §3.1.1: the sequential dataset has at least 1,000,000 samples. */
#define MIN_SAMPLES 1000000.0

static void add_reason(json_t *reasons, const char *s)
{
    json_array_append_new(reasons, json_string(s));
}

static double stage_h(const json_t *doc, int iid)
{
    return iid ? ea_report_num(doc, "iid.report.min_entropy.h_assessed", -1.0)
               : ea_report_num(doc, "noniid.report.results.h_assessed", -1.0);
}

/* Why this track decides (SP 800-90B §3.1.1, §3.1.2). */
static const char *track_reason(int claimed, int passed)
{
    if (claimed && passed)
        return "IID claimed (--iid-claim) and every IID test passed: the IID track decides "
               "(section 3.1.2)";
    if (claimed)
        return "IID claimed (--iid-claim) but not supported: an IID test failed, so the non-IID "
               "track decides (section 3.1.2)";
    if (passed)
        return "no IID claim (--iid-claim): the non-IID track decides; the IID tests passed and "
               "are reported for information";
    return "no IID claim (--iid-claim): the non-IID track decides; the IID tests are reported "
           "for information";
}

/*
 * §3.1.4.3: when the restart test passes, the entropy estimate of the noise
 * source is min(H_r, H_c, H_I) (restart.h_min), not H_I alone: a row or
 * column estimate between H_I/2 and H_I passes the validation but lowers
 * the estimate. A restart object without h_min (older ea90b) keeps H_I.
 */
double ea_report_validated_h(const json_t *restart, double h_i)
{
    double h_min = ea_report_num(restart, "h_min", h_i);

    if (ea_report_bool(restart, "passed") != 1)
        return h_i;
    return h_min >= 0.0 && h_min < h_i ? h_min : h_i;
}

void ea_report_verdict(json_t *doc)
{
    json_t *v = json_object(), *reasons = json_array();
    int passed = ea_report_bool(doc, "iid.report.iid") == 1;
    int claimed = ea_report_bool(doc, "claim.iid") == 1;
    int iid = claimed && passed;   /* §3.1.1-3.1.2: the IID track needs the claim and the tests */
    int restart = ea_report_bool(doc, "restart.passed");
    int health = ea_report_bool(doc, "health.passed");
    double samples = ea_report_num(doc, "data.samples", 0.0);
    int short_data = samples < MIN_SAMPLES;
    char why[160];
    double claim = ea_report_num(doc, "claim.h", 0.0), h = stage_h(doc, iid);
    double h_i = h < claim ? h : claim;
    int supported = h >= 0.0 && claim <= h + CLAIM_SLACK;
    const char *status;

    if (!supported)
        add_reason(reasons, "the claimed min-entropy exceeds the assessed value");
    if (restart == 0)
        add_reason(reasons, "the restart test failed (section 3.1.4)");
    if (health == 0)
        add_reason(reasons, "the health tests fired on the samples at the claimed entropy (section 4.4)");
    if (restart < 0)
        add_reason(reasons, "no restart test result (restart.bin missing or stage skipped)");
    if (health < 0)
        add_reason(reasons, "no health-test replay result");
    if (short_data) {
        snprintf(why, sizeof why, "only %.0f samples: section 3.1.1 requires at least 1,000,000 "
                                  "(and restart data of exactly 1000 x 1000)", samples);
        add_reason(reasons, why);
    }
    if (!supported || restart == 0 || health == 0)
        status = "FAIL";
    else if (restart < 0 || health < 0 || short_data)
        status = "INCOMPLETE";
    else
        status = "PASS";

    json_object_set_new(v, "status", json_string(status));
    json_object_set_new(v, "track", json_string(iid ? "iid" : "non-iid"));
    json_object_set_new(v, "iid_passed", json_boolean(passed));
    json_object_set_new(v, "iid_claim", json_boolean(claimed));
    json_object_set_new(v, "track_reason", json_string(track_reason(claimed, passed)));
    json_object_set_new(v, "h_assessed", json_real(h < 0.0 ? 0.0 : h));
    json_object_set_new(v, "h_claim", json_real(claim));
    json_object_set_new(v, "h_i", json_real(h_i < 0.0 ? 0.0 : h_i));
    json_object_set_new(v, "h_final", json_real(restart == 1 && h_i > 0.0 ? ea_report_validated_h(json_object_get(doc, "restart"), h_i) : 0.0));
    json_object_set_new(v, "claim_supported", json_boolean(supported));
    json_object_set_new(v, "restart_passed", restart < 0 ? json_null() : json_boolean(restart));
    json_object_set_new(v, "health_passed", health < 0 ? json_null() : json_boolean(health));
    json_object_set_new(v, "enough_samples", json_boolean(!short_data));
    json_object_set_new(v, "reasons", reasons);
    json_object_set(doc, "verdict", v);
    json_decref(v);
}
