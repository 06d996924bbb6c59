/* SPDX-License-Identifier: Apache-2.0 */
/*
 * esv_json.c - the three JSON drafts of `ea90b esv` (esv.h, docs/esv.md):
 *
 *   registration.draft.json  its member "registration" is the body of POST
 *                            /esv/v1/entropyAssessments (protocol section 3), with
 *                            the protocol's field names and types only; beside it
 *                            ea90b's own record of each OE's data files (section 4)
 *                            and notes;
 *   certify.draft.json       its member "certify" is the body of POST /esv/v1/certify
 *                            (section 5.1), where itar belongs;
 *   supporting-documents.json  the EAR and PUD uploads of section 4 with their sdType.
 *
 * Filled from the evidence: iidClaim, bitsPerSample, hminEstimate, the restart
 * counts, numberOfOEs and every number of a conditioningComponent. Everything
 * else holds "<TO BE FILLED BY THE VENDOR: ...>", and every draft says
 * "draft": true.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ea90b.h"
#include "ea90b_restart.h"
#include "esv.h"
#include "report.h"

#define PROG "ea90b esv"

json_t *ea_esv_fill(const char *fmt, ...)
{
    char what[400], buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(buf, sizeof buf, EA_ESV_FILL ": %s>", what);
    return json_string(buf);
}

/* A finite number as a JSON real (never -0); NULL for NaN or an infinity. */
static json_t *real(double v)
{
    if (!isfinite(v))
        return NULL;
    return json_real(v == 0 ? 0.0 : v);
}

/* The members every draft starts with: it is a draft, by whom, for which endpoint. */
static void draft_head(json_t *o, const char *what, const char *endpoint)
{
    char s[300];

    snprintf(s, sizeof s, "DRAFT - not ready to submit: replace every \"" EA_ESV_FILL ": ...>\" value in %s "
             "and review the rest", what);
    json_object_set_new(o, "draft", json_true());
    json_object_set_new(o, "status", json_string(s));
    json_object_set_new(o, "generated_by", json_string("ea90b " EA90B_VERSION " esv"));
    json_object_set_new(o, "protocol", json_string(endpoint));
}

static void note(json_t *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(json_t *notes, const char *fmt, ...)
{
    char s[700];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s, sizeof s, fmt, ap);
    va_end(ap);
    json_array_append_new(notes, json_string(s));
}

/* ---------------------------------------------------------------- conditioning components */

/* vetted, and what only the vendor knows of the component (protocol section 3). */
static void component_vendor(json_t *o, const ea_cond_spec *c)
{
    json_object_set_new(o, "vetted", json_boolean(c->vetted));
    if (c->vetted) {
        json_object_set_new(o, "description",
                            ea_esv_fill("exactly the ACVTS name of the vetted algorithm, e.g. SHA2-256 or "
                                        "AES-CBC-MAC"));
        json_object_set_new(o, "validationNumber",
                            ea_esv_fill("the ACVTS validation certificate number of that algorithm"));
        return;
    }
    json_object_set_new(o, "bijectiveClaim",
                        ea_esv_fill("true if this non-vetted component is a bijective function, else false"));
    json_object_set_new(o, "description", ea_esv_fill("a brief description of the conditioning component"));
}

/* minHin, nw, nOut and hOut (protocol order) when no input entropy is known. */
static void component_unknown(json_t *o, const ea_cond_spec *c)
{
    json_object_set_new(o, "minHin", ea_esv_fill("input entropy in bits: no estimate was validated to derive "
                                                  "it from"));
    json_object_set_new(o, "nw", json_integer(c->nw));
    json_object_set_new(o, "nOut", json_integer(c->n_out));
    json_object_set_new(o, "hOut", ea_esv_fill("output entropy in bits: no estimate was validated to derive "
                                               "it from"));
}

/*
 * conditioningComponent pos (1-based) of SP 800-90B §3.1.5, its input carrying h
 * bits of entropy per symbol of the given width (the noise source's samples for
 * the first component, the previous component's output bits after it), unless
 * the spec gives H_IN. *h_out: its output entropy, 0 when unknown. NULL after a
 * message.
 */
static json_t *component(const ea_cond_spec *c, int pos, double h, int width, double *h_out)
{
    ea_assess_opts ao = { .prog = PROG, .cond = *c };
    json_t *o = json_object(), *st, *hin, *hout;

    *h_out = 0;
    json_object_set_new(o, "sequencePosition", json_integer(pos));
    component_vendor(o, c);
    json_object_set_new(o, "minNin", json_integer(c->n_in));
    if (c->h_in <= 0 && !(h > 0)) {
        component_unknown(o, c);
        return o;
    }
    st = ea_assess_conditioning(&ao, h, width, 0);
    hin = real(ea_report_num(st, "details.h_in", NAN));
    hout = real(ea_report_num(st, "details.h_out", NAN));
    if (strcmp(ea_report_str(st, "status", ""), "ran") != 0 || hin == NULL || hout == NULL) {
        ea_err(PROG, "--conditioning %s: %s", c->spec, ea_report_str(st, "reason", "cannot compute hOut"));
        json_decref(hin);
        json_decref(hout);
        json_decref(st);
        json_decref(o);
        return NULL;
    }
    *h_out = json_real_value(hout);
    json_object_set_new(o, "minHin", hin);
    json_object_set_new(o, "nw", json_integer(c->nw));
    json_object_set_new(o, "nOut", json_integer(c->n_out));
    json_object_set_new(o, "hOut", hout);
    json_decref(st);
    return o;
}

/* The chain: the first fed by the noise source (h per sample of bits), each next by the previous output. */
static json_t *components(const ea_cond_spec *cond, int ncond, double h, int bits)
{
    json_t *a = json_array();
    double h_out = 0;

    for (int i = 0; i < ncond; i++) {
        json_t *c = component(&cond[i], i + 1, h, bits, &h_out);
        if (c == NULL) {
            json_decref(a);
            return NULL;
        }
        json_array_append_new(a, c);
        h = h_out / (double)cond[i].n_out;
        bits = 1;
    }
    return a;
}

/* ---------------------------------------------------------------- the OEs' data files */

static json_t *data_file(const char *file, const char *from, const char *sha, int bits)
{
    json_t *f = json_object();

    json_object_set_new(f, "file", json_string(file));
    json_object_set_new(f, "samples", json_integer(EA_ESV_SAMPLES));
    json_object_set_new(f, "bytes", json_integer(EA_ESV_SAMPLES));
    json_object_set_new(f, "dataFileSampleSize", json_integer(bits));
    json_object_set_new(f, "sha256", json_string(sha));
    json_object_set_new(f, "from", json_string(from));
    return f;
}

/* One conditionedBits entry per non-vetted component (protocol section 4: only those upload). */
static json_t *conditioned_files(const json_t *comps, int k)
{
    json_t *a = json_array(), *c;
    size_t i;

    json_array_foreach(comps, i, c) {
        if (json_is_true(json_object_get(c, "vetted")))
            continue;
        json_array_append_new(a, json_pack("{s:O,s:o}", "sequencePosition", json_object_get(c, "sequencePosition"),
                                           "file",
                                           ea_esv_fill("1,000,000 outputs of this non-vetted component on OE %d, "
                                                       "recorded by the vendor (ea90b does not record them)",
                                                       k)));
    }
    return a;
}

/* ea90b's own record of OE k: the evidence it rests on and which file goes to which URL. */
static json_t *oe_record(const ea_esv_oe *oe, int k, const json_t *comps)
{
    json_t *r = json_object(), *files = json_object(), *rst;
    char from[160];

    json_object_set_new(r, "oe", json_integer(k));
    json_object_set_new(r, "collection", json_string(oe->dir));
    json_object_set_new(r, "report", json_string("report/report.json"));
    json_object_set_new(r, "verdict", json_string(ea_report_str(oe->doc, "verdict.status", "INCOMPLETE")));
    json_object_set_new(r, "h_final", json_real(oe->h > 0 ? oe->h : 0.0));
    json_object_set_new(r, "iid_claim", json_boolean(oe->claim_iid));
    json_object_set_new(r, "iid_passed", oe->iid_passed < 0 ? json_null() : json_boolean(oe->iid_passed));
    json_object_set_new(r, "manifest_sha256",
                        json_string(ea_report_str(oe->doc, "collection.manifest_sha256", "")));
    snprintf(from, sizeof from, "the first %ld of the %zu samples of %s", EA_ESV_SAMPLES, oe->raw.len, oe->sname);
    json_object_set_new(files, "rawNoiseBits", data_file(oe->raw_file, from, oe->raw_sha, oe->bits));
    rst = data_file(oe->rst_file, "restart.bin", oe->rst.sha256, oe->bits);
    json_object_set_new(rst, "rows", json_integer(EA_RESTART_ROWS));
    json_object_set_new(rst, "cols", json_integer(EA_RESTART_COLS));
    json_object_set_new(files, "restartTestBits", rst);
    json_object_set_new(files, "conditionedBits", conditioned_files(comps, k));
    json_object_set_new(r, "dataFiles", files);
    return r;
}

/* ---------------------------------------------------------------- the registration */

/* The request: [{"esvVersion"}, {...}] (protocol section 3), in the protocol's field order. */
static json_t *registration_body(const ea_esv_oe *oes, int n, double h, int iid, json_t *comps)
{
    json_t *reg = json_object();

    json_object_set_new(reg, "primaryNoiseSource",
                        ea_esv_fill("the primary noise source in at most 64 characters (collected with source "
                                    "'%s')",
                                    ea_report_str(oes[0].doc, "collection.manifest.source.name", "?")));
    json_object_set_new(reg, "iidClaim", json_boolean(iid));
    json_object_set_new(reg, "bitsPerSample", json_integer(oes[0].bits));
    json_object_set_new(reg, "hminEstimate",
                        h > 0 ? json_real(h)
                              : ea_esv_fill("min-entropy per sample: the restart test (SP 800-90B 3.1.4) "
                                            "validated no estimate"));
    json_object_set_new(reg, "physical", ea_esv_fill("true for a physical noise source, false for a "
                                                     "non-physical one"));
    json_object_set_new(reg, "numberOfRestarts", json_integer(EA_RESTART_ROWS));
    json_object_set_new(reg, "samplesPerRestart", json_integer(EA_RESTART_COLS));
    json_object_set_new(reg, "additionalNoiseSources",
                        ea_esv_fill("true if the entropy source has additional noise sources (SP 800-90B "
                                    "3.1.6), else false"));
    json_object_set_new(reg, "numberOfOEs", json_integer(n));
    json_object_set(reg, "conditioningComponent", comps);
    return json_pack("[{s:s},o]", "esvVersion", "1.0", reg);
}

/* The OE with the lowest validated estimate (hminEstimate covers every OE). */
static int lowest_oe(const ea_esv_oe *oes, int n)
{
    int low = 0;

    for (int i = 1; i < n; i++)
        if (oes[i].h < oes[low].h)
            low = i;
    return low;
}

/* iidClaim: every OE assessed with --iid-claim and its IID tests supporting it. */
static int iid_claim(const ea_esv_oe *oes, int n, json_t *notes)
{
    int iid = 1;

    for (int i = 0; i < n; i++) {
        iid &= oes[i].claim_iid && oes[i].iid_passed == 1;
        if (oes[i].claim_iid && oes[i].iid_passed != 1) {
            ea_err(PROG, "note: %s was assessed with --iid-claim but its IID tests did not support the claim: "
                   "iidClaim is false", oes[i].dir);
            note(notes, "iidClaim is false: %s was assessed with --iid-claim but its IID tests did not support "
                 "the claim, so its estimate is the non-IID track's", oes[i].dir);
        }
    }
    return iid;
}

static void notes_of(json_t *notes, const ea_esv_oe *oes, int n, int low, const ea_cond_spec *cond, int ncond)
{
    int nonvetted = 0;

    for (int i = 0; i < n; i++)
        if (strcmp(ea_report_str(oes[i].doc, "verdict.status", ""), "PASS") != 0)
            note(notes, "OE %d (%s): the assessment's verdict is %s, not PASS (see its report)", i + 1,
                 oes[i].dir, ea_report_str(oes[i].doc, "verdict.status", "?"));
    if (n > 1 && oes[low].h > 0)
        note(notes, "hminEstimate is the lowest of the OEs' validated estimates: OE %d's (%s)", low + 1,
             oes[low].dir);
    for (int i = 0; i < ncond; i++)
        nonvetted |= !cond[i].vetted;
    if (nonvetted)
        note(notes, "each non-vetted component's output is uploaded too (conditionedBits, 1,000,000 samples "
             "per OE, to the URL the registration returns): record it yourself; ea90b does not");
    if (ncond > 1)
        note(notes, "chained components: each after the first takes as input entropy per bit the previous "
             "one's hOut/nOut (unless its H_IN is given); check that this matches the design");
}

json_t *ea_esv_registration(const ea_esv_oe *oes, int n, const ea_cond_spec *cond, int ncond, json_t *notes)
{
    int low = lowest_oe(oes, n), iid = iid_claim(oes, n, notes);
    double h = oes[low].h > 0 ? oes[low].h : 0;
    json_t *comps = components(cond, ncond, h, oes[0].bits), *d, *envs;

    if (comps == NULL) {
        json_decref(notes);
        return NULL;
    }
    notes_of(notes, oes, n, low, cond, ncond);
    envs = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(envs, oe_record(&oes[i], i + 1, comps));
    d = json_object();
    draft_head(d, "\"registration\"", "usnistgov/ESV-Server protocol 3: POST /esv/v1/entropyAssessments, the "
               "\"registration\" member as the body; then each OE's dataFiles to the URLs it returns (4)");
    json_object_set_new(d, "operationalEnvironments", envs);
    json_object_set_new(d, "notes", notes);
    json_object_set_new(d, "registration", registration_body(oes, n, h, iid, comps));
    json_decref(comps);
    return d;
}

/* ---------------------------------------------------------------- certify, supporting documents */

static const char *const sd_types[] = { "EntropyAssessmentReport", "PublicUseDocument" };

/* The certify request (protocol section 5.1): everything in it is the vendor's or the server's. */
json_t *ea_esv_certify(const ea_esv_oe *oes, int n)
{
    json_t *o = json_object(), *body = json_object(), *sd = json_array(), *ea = json_array(), *notes = json_array();

    draft_head(o, "\"certify\"", "usnistgov/ESV-Server protocol 5.1: POST /esv/v1/certify, the \"certify\" "
               "member as the body");
    note(notes, "to add these OEs to an existing certificate instead, POST /esv/v1/certify/addOE (protocol 5.2) "
         "with entropyCertificate (e.g. \"E123\") in place of moduleId");
    json_object_set_new(o, "notes", notes);
    json_object_set_new(body, "itar", ea_esv_fill("true if ITAR restrictions apply to this certification, else "
                                                  "false"));
    json_object_set_new(body, "limitEntropyAssessmentToSingleModule",
                        ea_esv_fill("true if the entropy assessment applies to a single module / vendor only, "
                                    "else false"));
    json_object_set_new(body, "moduleId", ea_esv_fill("the ACVTS ID number of the module"));
    json_object_set_new(body, "entropyId", ea_esv_fill("your tracking ID for this entropy validation (like a "
                                                       "TID)"));
    for (size_t i = 0; i < 2; i++)
        json_array_append_new(sd, json_pack("{s:o,s:o}", "sdId",
                                            ea_esv_fill("the sdId the server returned for the %s upload",
                                                        sd_types[i]),
                                            "accessToken", ea_esv_fill("the access token returned with that sdId")));
    json_object_set_new(body, "supportingDocumentation", sd);
    for (int k = 0; k < n; k++)
        json_array_append_new(ea, json_pack("{s:o,s:o,s:o}", "eaId",
                                            ea_esv_fill("the eaId the registration returned for OE %d (%s)", k + 1,
                                                        oes[k].dir),
                                            "oeId",
                                            ea_esv_fill("the ACVTS ID number of OE %d's operating environment "
                                                        "(%s)", k + 1, oes[k].dir),
                                            "accessToken", ea_esv_fill("the access token returned with that eaId")));
    json_object_set_new(body, "entropyAssessments", ea);
    json_object_set_new(o, "certify", json_pack("[{s:s},o]", "esvVersion", "1.0", body));
    return o;
}

/* One upload of protocol section 4: sdType, sdFile (and its other format), sdComments. */
static json_t *document(const char *type, const char *base, const char *what)
{
    char pdf[32], docx[32], from[200];

    snprintf(pdf, sizeof pdf, "%s.pdf", base);
    snprintf(docx, sizeof docx, "%s.docx", base);
    snprintf(from, sizeof from, "ea90b ear from the same collections: EAR_DIR/%s (or %s), completed by the "
             "vendor; not produced by ea90b esv", pdf, docx);
    return json_pack("{s:s,s:s,s:[s],s:o,s:s}", "sdType", type, "sdFile", pdf, "alternatives", docx, "sdComments",
                     ea_esv_fill("a comment on the %s (optional: delete the member to send none)", what),
                     "to_be_produced_by", from);
}

/* The supporting documents (protocol section 4): what `ea90b ear` writes. */
json_t *ea_esv_supporting(void)
{
    json_t *o = json_object(), *a = json_array();

    draft_head(o, "sdComments", "usnistgov/ESV-Server protocol 4: POST /esv/v1/supportingDocumentation, one "
               "multipart upload per entry with the keys sdFile, sdType and sdComments");
    json_array_append_new(a, document(sd_types[0], "ear", "entropy assessment report"));
    json_array_append_new(a, document(sd_types[1], "pud", "public use document"));
    json_object_set_new(o, "supportingDocuments", a);
    return o;
}
