/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear_shall.c - the SP 800-90B requirement map of the Entropy Assessment
 * Report draft (ear.h, section 12): what sections 3 and 4 of SP 800-90B
 * ask an entropy source's submission to show, in ea90b's own words
 * (paraphrases, not quotations), each with the rule that sets its status
 * from the assessment reports and the EAR section that holds the evidence
 * or the vendor's text:
 *    3.1.1-3.1.3  data collection, IID or non-IID track, initial estimate
 *    3.1.4        restart tests (sanity check, validation)
 *    3.1.5        conditioning components (vetted, non-vetted)
 *    3.1.6        several noise sources
 *    3.2.1-3.2.4  what the submitter documents: the entropy source, the
 *                 noise source, the conditioning component, the data
 *                 collection
 *    4.3-4.5      health tests: general requirements, the approved RCT and
 *                 APT, developer-defined alternatives
 * A rule is evaluated on each collection (operational environment); the
 * map shows the worst outcome with its note, naming the OE.
 */
#include <math.h>
#include <string.h>

#include "ear.h"
#include "report.h"

enum rule {
    R_VENDOR,            /* only the vendor can document it */
    R_VENDOR_MULTI,      /* 3.1.6 */
    R_VENDOR_ALT,        /* 4.5 */
    R_SAMPLES,           /* >= 1,000,000 sequential samples */
    R_RAW,               /* the samples are the noise source's raw output */
    R_RAW_ACCESS,        /* how raw data are obtained for testing */
    R_COLLECT_METHOD,    /* the collection does not disturb the source */
    R_CONDITIONS,        /* normal operating conditions, host recorded */
    R_OE,                /* every operational environment covered */
    R_HASHES,            /* files identified by SHA-256 */
    R_WIDTH,             /* fixed sample width, possible values */
    R_TRACK_CLAIM,       /* IID or not, stated */
    R_IID_TESTS,         /* an IID claim passes section 5 */
    R_IID_MCV,           /* the IID track's MCV estimate */
    R_NONIID,            /* every section 6.3 estimator */
    R_CLAIM,             /* H_I and the claim */
    R_JUSTIFY,           /* H_submitter with an argument */
    R_RESTART_DATA,      /* 1000 x 1000 restart matrix */
    R_RESTART_METHOD,    /* restarts as in operation */
    R_SANITY,            /* 3.1.4.3 */
    R_VALIDATION,        /* 3.1.4.2 */
    R_RESTART_FINAL,     /* min(H_r, H_c, H_I) */
    R_COND_HOUT,         /* h_out computed */
    R_COND_HIN,          /* h_in within what the noise source gives */
    R_COND_VETTED,       /* 3.1.5.1.1 */
    R_COND_WIDTH,        /* n_out, nw stated */
    R_COND_NONVETTED,    /* 3.1.5.2 */
    R_COND_DOC,          /* 3.2.3 */
    R_HEALTH_RAW,        /* tests on raw samples */
    R_CONTINUOUS,        /* every sample tested */
    R_ALPHA,             /* false-positive probability */
    R_REPLAY,            /* cutoffs fit the source */
    R_RCT,               /* 4.4.1 */
    R_APT                /* 4.4.2 */
};

static const ea_shall_req reqs[] = {
    { "3.1.1", "At least 1,000,000 consecutive samples straight from the noise source, for each operational "
               "environment (several shorter runs of at least 1000 samples only when the source cannot deliver "
               "that many in a row).", R_SAMPLES, EA_EAR_COLLECTION },
    { "3.1.1", "The samples are the noise source's raw output: taken before any conditioning and processed no "
               "further than digitising them needs.", R_RAW, EA_EAR_COLLECTION },
    { "3.1.1", "The data are recorded while the entropy source runs under its normal operating conditions.",
      R_CONDITIONS, EA_EAR_OE },
    { "3.1.2", "The vendor states whether the samples are IID; that claim decides which track the assessment "
               "follows.", R_TRACK_CLAIM, EA_EAR_JUSTIFY },
    { "3.1.2", "An IID claim holds only when the samples pass every IID test of section 5 (chi-square, longest "
               "repeated substring, permutation tests); otherwise the non-IID track applies.", R_IID_TESTS,
      EA_EAR_ESTIMATES },
    { "3.1.3", "On the IID track the min-entropy is the most common value estimate (6.3.1).", R_IID_MCV,
      EA_EAR_ESTIMATES },
    { "3.1.3", "On the non-IID track every estimator of section 6.3 runs on the samples and, for samples wider "
               "than one bit, on their bits as well (H_original, H_bitstring).", R_NONIID, EA_EAR_ESTIMATES },
    { "3.1.3", "The initial entropy estimate H_I is the least of H_submitter, H_original and bits x H_bitstring: "
               "the claim stands only when no estimate falls below it.", R_CLAIM, EA_EAR_ESTIMATES },
    { "3.1.4", "Restart data: the noise source restarted 1000 times and 1000 consecutive samples recorded after "
               "each restart (a 1000 x 1000 matrix), for each operational environment.", R_RESTART_DATA,
      EA_EAR_COLLECTION },
    { "3.1.4.1", "Every restart starts the noise source afresh the way it starts in operation, nothing carried "
                 "over from the run before.", R_RESTART_METHOD, EA_EAR_RESTART },
    { "3.1.4.3", "Sanity check: no symbol recurs within any row or column of the restart matrix more often than "
                 "the cutoff allows.", R_SANITY, EA_EAR_RESTART },
    { "3.1.4.2", "Validation: the entropy estimated on the rows (H_r) and on the columns (H_c) of the restart "
                 "matrix is at least half of H_I.", R_VALIDATION, EA_EAR_RESTART },
    { "3.1.4", "With both restart tests passed the entropy estimate becomes min(H_r, H_c, H_I); a failed restart "
               "test leaves the source without validated entropy.", R_RESTART_FINAL, EA_EAR_RESTART },
    { "3.1.5", "With a conditioning component, the entropy of each conditioned output (h_out) follows from n_in, "
               "n_out, the narrowest internal width nw and the input entropy h_in.", R_COND_HOUT,
      EA_EAR_CONDITIONING },
    { "3.1.5", "The input entropy h_in credited to the component is no more than the noise source's validated "
               "estimate (min(H_r, H_c, H_I) after the restart tests) gives n_in bits.", R_COND_HIN,
      EA_EAR_CONDITIONING },
    { "3.1.5.1.1", "A vetted component is one of the listed constructions (an approved hash function, HMAC, CMAC, "
                   "CBC-MAC, Hash_df or Block_cipher_df), used as specified, with its key or other fixed inputs "
                   "documented.", R_COND_VETTED, EA_EAR_CONDITIONING },
    { "3.1.5.1.2", "The output length n_out and the narrowest internal width nw the computation uses match the "
                   "component's design.", R_COND_WIDTH, EA_EAR_CONDITIONING },
    { "3.1.5.2", "A non-vetted component's output is tested as well: h' per bit from at least 1,000,000 "
                 "consecutive conditioned outputs, and h_out is capped at h' x n_out and 0.999 x n_out.",
      R_COND_NONVETTED, EA_EAR_CONDITIONING },
    { "3.1.6", "With several noise sources each is assessed; their entropy adds up only where their independence "
               "is shown, otherwise only one of them counts.", R_VENDOR_MULTI, EA_EAR_NOISE },
    { "3.2.1", "The whole design of the entropy source is documented: noise source, digitisation, conditioning, "
               "health tests and how they work together.", R_VENDOR, EA_EAR_NOISE },
    { "3.2.1", "The documentation says how raw data are obtained from inside the entropy source for testing.",
      R_RAW_ACCESS, EA_EAR_COLLECTION },
    { "3.2.1", "The operating conditions the source is claimed for (temperature, voltage, system load ...) are "
               "stated, with its behaviour at their limits and its likely failure modes.", R_VENDOR, EA_EAR_NOISE },
    { "3.2.1", "The (conceptual) security boundary of the entropy source is defined.", R_VENDOR, EA_EAR_NOISE },
    { "3.2.1", "How a consuming application obtains output from the entropy source, and in what units, is "
               "documented.", R_VENDOR, EA_EAR_NOISE },
    { "3.2.2", "How the noise source works is documented: where its unpredictability comes from, with "
               "references, and why its entropy rate stays stable in normal operation.", R_VENDOR, EA_EAR_NOISE },
    { "3.2.2", "An explicit entropy rate per sample (H_submitter), with a technical argument for why the noise "
               "source reaches it.", R_JUSTIFY, EA_EAR_JUSTIFY },
    { "3.2.2", "The noise source's state is shielded from observation and influence by an attacker as far as "
               "possible.", R_VENDOR, EA_EAR_NOISE },
    { "3.2.2", "The noise source behaves probabilistically: no known rule or algorithm determines its output.",
      R_VENDOR, EA_EAR_JUSTIFY },
    { "3.2.2", "The noise source delivers samples of a fixed width; the width in bits and the values a sample can "
               "take are stated.", R_WIDTH, EA_EAR_COLLECTION },
    { "3.2.2", "Whether the noise source is physical or non-physical is stated.", R_VENDOR, EA_EAR_INTRO },
    { "3.2.3", "The conditioning component is documented: its algorithm, n_in, n_out, nw and any key, and for a "
               "non-vetted one how its output data were collected.", R_COND_DOC, EA_EAR_CONDITIONING },
    { "3.2.4", "How the data were collected is documented, and the collecting itself does not change how the "
               "noise source behaves.", R_COLLECT_METHOD, EA_EAR_COLLECTION },
    { "3.2.4", "Data come from each operational environment the validation is to cover.", R_OE, EA_EAR_OE },
    { "3.2.4", "The data submitted are exactly those the noise source produced, identifiable file by file.",
      R_HASHES, EA_EAR_COLLECTION },
    { "4.3", "The health tests examine the noise source's samples before any conditioning.", R_HEALTH_RAW,
      EA_EAR_HEALTH },
    { "4.3", "Start-up tests: at least 1024 consecutive samples go through the health tests before any output "
             "is first used.", R_VENDOR, EA_EAR_HEALTH },
    { "4.3", "Continuous tests examine every sample while the source operates.", R_CONTINUOUS, EA_EAR_HEALTH },
    { "4.3", "On-demand testing, where offered, repeats at least the start-up tests.", R_VENDOR, EA_EAR_HEALTH },
    { "4.3", "On a failure the consumer is told and no output is used; which failures are intermittent and "
             "which persistent, and how the source recovers from each, is documented.", R_VENDOR, EA_EAR_HEALTH },
    { "4.3", "Each test's false-positive probability alpha is documented and reasonable (2^-40 to 2^-20 is "
             "recommended).", R_ALPHA, EA_EAR_HEALTH },
    { "4.3", "Failure modes known for this noise source that the approved tests would miss have tests of their "
             "own.", R_VENDOR, EA_EAR_HEALTH },
    { "4.4", "The continuous tests use cutoffs that fit the source's entropy, so a healthy source trips them "
             "only about as often as alpha predicts.", R_REPLAY, EA_EAR_HEALTH },
    { "4.4.1", "Repetition count test: it fails when one value repeats C = 1 + ceil(-log2(alpha) / H) times in a "
               "row.", R_RCT, EA_EAR_HEALTH },
    { "4.4.2", "Adaptive proportion test: over windows of 1024 samples (two-valued samples) or 512 (others), it "
               "fails when the window's first value recurs as often as the cutoff for H and alpha.", R_APT,
      EA_EAR_HEALTH },
    { "4.5", "Developer-defined tests that replace the RCT or APT catch at least the failures those are built "
             "for (one value stuck repeating; a drift that makes one value much more likely), as reliably as "
             "section 4.5 sets out.", R_VENDOR_ALT, EA_EAR_HEALTH },
};

#define NREQS (sizeof reqs / sizeof reqs[0])

const ea_shall_req *ea_shall_at(size_t i)
{
    return i < NREQS ? &reqs[i] : NULL;
}

const char *ea_shall_status_name(ea_shall_status s)
{
    switch (s) {
    case EA_SHALL_MET: return "met";
    case EA_SHALL_PARTLY: return "partly met, vendor completes";
    case EA_SHALL_VENDOR: return "vendor to document";
    case EA_SHALL_NA: return "not applicable";
    case EA_SHALL_NOT_MET: return "NOT MET";
    case EA_SHALL_MISSING: return "MISSING";
    }
    return "?";
}

/* ------------------------------------------------------------ rules on one OE */

typedef ea_shall_status (*oe_rule)(const json_t *d, int rule, char *why, size_t n);

static int ran(const json_t *d, const char *stage)
{
    char path[64];

    snprintf(path, sizeof path, "%s.status", stage);
    return strcmp(ea_report_str(d, path, ""), "ran") == 0;
}

static ea_shall_status not_ran(const json_t *d, const char *stage, const char *what, char *why, size_t n)
{
    char path[64];

    snprintf(path, sizeof path, "%s.reason", stage);
    snprintf(why, n, "no %s (%s)", what, ea_report_str(d, path, "stage not run"));
    return EA_SHALL_MISSING;
}

static ea_shall_status samples(const json_t *d, int rule, char *why, size_t n)
{
    char b[32];
    double s = ea_report_num(d, "data.samples", 0);

    (void)rule;
    snprintf(why, n, "%s%s sequential samples", s < 1000000.0 ? "only " : "", ea_ear_num(s, b));
    return s >= 1000000.0 ? EA_SHALL_MET : EA_SHALL_NOT_MET;
}

/* R_RAW, R_RAW_ACCESS, R_COLLECT_METHOD: by where the samples come from. */
static ea_shall_status provenance(const json_t *d, int rule, char *why, size_t n)
{
    const char *kind = ea_report_source_kind(d);
    const char *rec = ea_report_str(d, "collection.manifest.source.executable.path", "the external recorder");

    if (strcmp(kind, "model") == 0) {
        snprintf(why, n, "the samples come from ea90b's built-in model, not from the entropy source");
        return EA_SHALL_NOT_MET;
    }
    if (strcmp(kind, "external recorder") == 0)
        snprintf(why, n, "recorded by %s (SHA-256 in section %d); the vendor %s", rec, EA_EAR_COLLECTION,
                 rule == R_RAW ? "confirms it reads the noise source before any processing"
                 : rule == R_RAW_ACCESS ? "documents the interface it uses"
                                        : "shows that recording does not disturb the source");
    else
        snprintf(why, n, "%s data; the vendor documents %s", strcmp(kind, "import") == 0 ? "imported" : "externally recorded",
                 rule == R_RAW ? "where they were taken" : rule == R_RAW_ACCESS ? "how they were obtained"
                                                                                : "how they were recorded");
    return EA_SHALL_PARTLY;
}

static ea_shall_status host(const json_t *d, int rule, char *why, size_t n)
{
    const json_t *m = ea_report_get(d, "collection.manifest");

    if (!json_is_object(ea_report_get(m, "host"))) {
        snprintf(why, n, "recording machine unknown (imported without host facts)");
        return EA_SHALL_MISSING;
    }
    snprintf(why, n, "recorded on %s (%s); the vendor %s", ea_report_str(m, "host.hostname", "?"),
             ea_report_str(m, "host.cpu.model_name", "?"),
             rule == R_OE ? "confirms these are the environments claimed" : "confirms the conditions were normal");
    return EA_SHALL_PARTLY;
}

static ea_shall_status hashes(const json_t *d, int rule, char *why, size_t n)
{
    const json_t *files = ea_report_get(d, "collection.files"), *f;
    const char *k;
    size_t count = 0;

    (void)rule;
    json_object_foreach((json_t *)files, k, f)
        if (ea_report_str(f, "sha256", NULL) == NULL) {
            snprintf(why, n, "%s has no SHA-256", k);
            return EA_SHALL_MISSING;
        } else {
            count++;
        }
    if (count == 0 || ea_report_str(d, "collection.manifest_sha256", NULL) == NULL) {
        snprintf(why, n, "no file hashes recorded");
        return EA_SHALL_MISSING;
    }
    snprintf(why, n, "%zu files, each with its SHA-256 in the manifest, verified before the assessment", count);
    return EA_SHALL_MET;
}

static ea_shall_status width(const json_t *d, int rule, char *why, size_t n)
{
    char b[2][32];

    (void)rule;
    snprintf(why, n, "%s-bit samples (mask %s), %s distinct values seen; the vendor states the possible values",
             ea_ear_at(d, "claim.bits_per_sample", b[0]),
             ea_report_str(d, "collection.manifest.extraction.mask", "?"), ea_ear_at(d, "data.alphabet_size", b[1]));
    return EA_SHALL_PARTLY;
}

static ea_shall_status track_claim(const json_t *d, int rule, char *why, size_t n)
{
    (void)rule;
    snprintf(why, n, "%s; the vendor gives the reasons", ea_report_bool(d, "claim.iid") == 1
                                                            ? "IID claimed"
                                                            : "no IID claim (non-IID track)");
    return EA_SHALL_PARTLY;
}

static ea_shall_status iid(const json_t *d, int rule, char *why, size_t n)
{
    int passed = ea_report_bool(d, "iid.report.iid") == 1;
    char b[32];

    if (ea_report_bool(d, "claim.iid") != 1) {
        snprintf(why, n, "no IID claim");
        return EA_SHALL_NA;
    }
    if (rule == R_IID_TESTS) {
        snprintf(why, n, passed ? "every IID test passed" : "an IID test failed: the IID claim does not hold");
        return passed ? EA_SHALL_MET : EA_SHALL_NOT_MET;
    }
    if (!passed) {
        snprintf(why, n, "the IID tests failed: the non-IID track applies instead");
        return EA_SHALL_NA;
    }
    snprintf(why, n, "MCV estimate %s bits per sample", ea_ear_at(d, "iid.report.min_entropy.h_assessed", b));
    return EA_SHALL_MET;
}

static ea_shall_status noniid(const json_t *d, int rule, char *why, size_t n)
{
    char b[2][32];

    (void)rule;
    if (!json_is_number(ea_report_get(d, "noniid.report.results.h_original"))) {
        snprintf(why, n, "no section 6.3 estimates in the report");
        return EA_SHALL_MISSING;
    }
    snprintf(why, n, "H_original %s, H_bitstring %s", ea_ear_at(d, "noniid.report.results.h_original", b[0]),
             ea_ear_at(d, "noniid.report.results.h_bitstring", b[1]));
    return EA_SHALL_MET;
}

static ea_shall_status claim(const json_t *d, int rule, char *why, size_t n)
{
    int ok = ea_report_bool(d, "verdict.claim_supported");
    char b[3][32];

    ea_ear_at(d, "claim.h", b[0]);
    ea_ear_at(d, "verdict.h_assessed", b[1]);
    ea_ear_at(d, "verdict.h_i", b[2]);
    if (ok == -1) {
        snprintf(why, n, "no verdict on the claim");
        return EA_SHALL_MISSING;
    }
    if (rule == R_JUSTIFY) {
        snprintf(why, n, "H_submitter = %s, assessed %s%s; the argument is the vendor's", b[0], b[1],
                 ok ? "" : " (BELOW the claim)");
        return EA_SHALL_PARTLY;
    }
    snprintf(why, n, ok ? "claim %s does not exceed the assessed %s; H_I = %s"
                        : "claim %s EXCEEDS the assessed %s; H_I = %s", b[0], b[1], b[2]);
    return ok ? EA_SHALL_MET : EA_SHALL_NOT_MET;
}

static ea_shall_status restart(const json_t *d, int rule, char *why, size_t n)
{
    const json_t *r = ea_report_get(d, "restart");
    char b[3][32];

    if (!ran(d, "restart"))
        return not_ran(d, "restart", "restart test", why, n);
    switch (rule) {
    case R_RESTART_DATA:
        snprintf(why, n, "%s x %s restart matrix", ea_ear_at(d, "collection.manifest.restarts.rows", b[0]),
                 ea_ear_at(d, "collection.manifest.restarts.cols", b[1]));
        return EA_SHALL_MET;
    case R_RESTART_METHOD:
        snprintf(why, n, "restarts recorded in mode '%s'; the vendor shows they match a real restart",
                 ea_report_str(d, "collection.manifest.restarts.mode", "?"));
        return EA_SHALL_PARTLY;
    case R_SANITY:
        snprintf(why, n, "largest count %s %s the cutoff %s", ea_ear_at(r, "x_max", b[0]),
                 ea_report_bool(r, "sanity_passed") == 1 ? "within" : "ABOVE", ea_ear_at(r, "x_cutoff", b[1]));
        return ea_report_bool(r, "sanity_passed") == 1 ? EA_SHALL_MET : EA_SHALL_NOT_MET;
    case R_VALIDATION:
        if (ea_report_bool(r, "validated") != 1) {
            snprintf(why, n, "not run: the sanity check failed");
            return EA_SHALL_NOT_MET;
        }
        snprintf(why, n, "min(H_r, H_c) = %s %s H_I / 2 = %s", ea_ear_at(r, "h_rc_min", b[0]),
                 ea_report_bool(r, "validation_passed") == 1 ? ">=" : "BELOW",
                 ea_ear_num(ea_report_num(r, "h_i", NAN) / 2, b[1]));
        return ea_report_bool(r, "validation_passed") == 1 ? EA_SHALL_MET : EA_SHALL_NOT_MET;
    default:
        snprintf(why, n, ea_report_bool(r, "passed") == 1 ? "final estimate %s bits per sample"
                                                          : "the restart tests FAILED: final estimate %s",
                 ea_ear_num(ea_ear_final(d), b[2]));
        return ea_report_bool(r, "passed") == 1 ? EA_SHALL_MET : EA_SHALL_NOT_MET;
    }
}

static int nonvetted(const json_t *d)
{
    return strncmp(ea_report_str(d, "conditioning.parameters", ""), "nonvetted", 9) == 0;
}

/*
 * h_in against the validated estimate x n_in / bits (a relative tolerance for
 * rounding). The estimate is min(H_r, H_c, H_I) after the restart tests (3.1.4):
 * without it no entropy can be credited to the component's input (3.1.5).
 */
static ea_shall_status cond_hin(const json_t *d, char *why, size_t n)
{
    const json_t *c = ea_report_get(d, "conditioning.details");
    double hin = ea_report_num(c, "h_in", NAN), bits = ea_report_num(d, "claim.bits_per_sample", NAN);
    double cap = ea_ear_final(d) * ea_report_num(c, "n_in", NAN) / bits;
    int restart = ea_report_bool(d, "restart.passed");
    char b[2][32];

    if (!isfinite(hin)) {
        snprintf(why, n, "h_in missing");
        return EA_SHALL_MISSING;
    }
    if (restart != 1) {
        snprintf(why, n, "h_in = %s credited, but the restart tests %s: no entropy estimate was validated to "
                         "credit it from (section %d)", ea_ear_num(hin, b[0]), restart == 0 ? "FAILED" : "did not run",
                 EA_EAR_RESTART);
        return restart == 0 ? EA_SHALL_NOT_MET : EA_SHALL_MISSING;
    }
    if (!isfinite(cap)) {
        snprintf(why, n, "the validated estimate is missing");
        return EA_SHALL_MISSING;
    }
    snprintf(why, n, "h_in = %s %s min(H_r, H_c, H_I) x n_in / bits = %s", ea_ear_num(hin, b[0]),
             hin <= cap * (1 + 1e-12) ? "<=" : "EXCEEDS", ea_ear_num(cap, b[1]));
    return hin <= cap * (1 + 1e-12) ? EA_SHALL_MET : EA_SHALL_NOT_MET;
}

static ea_shall_status conditioning(const json_t *d, int rule, char *why, size_t n)
{
    const json_t *c = ea_report_get(d, "conditioning.details");
    char b[3][32];

    if (!ran(d, "conditioning"))
        return not_ran(d, "conditioning", "conditioning result", why, n);
    switch (rule) {
    case R_COND_HOUT:
        snprintf(why, n, "h_out = %s bits per %s-bit output", ea_ear_at(d, "conditioning.h_out", b[0]),
                 ea_ear_at(c, "n_out", b[1]));
        return EA_SHALL_MET;
    case R_COND_HIN: return cond_hin(d, why, n);
    case R_COND_VETTED:
        snprintf(why, n, nonvetted(d) ? "a non-vetted component" : "assessed as vetted; the vendor names the "
                                                                   "construction and its key");
        return nonvetted(d) ? EA_SHALL_NA : EA_SHALL_PARTLY;
    case R_COND_WIDTH:
        snprintf(why, n, "n_out = %s, nw = %s as given; the vendor shows them in the design", ea_ear_at(c, "n_out", b[0]),
                 ea_ear_at(c, "nw", b[1]));
        return EA_SHALL_PARTLY;
    case R_COND_NONVETTED:
        if (!nonvetted(d)) {
            snprintf(why, n, "a vetted component");
            return EA_SHALL_NA;
        }
        snprintf(why, n, "h' = %s as given; the vendor supplies the conditioned outputs it was measured on",
                 ea_ear_at(c, "h_prime", b[2]));
        return EA_SHALL_PARTLY;
    default:
        snprintf(why, n, "section %d, marked " EA_EAR_VENDOR_MARK, EA_EAR_CONDITIONING);
        return EA_SHALL_VENDOR;
    }
}

static ea_shall_status alpha(const json_t *d, char *why, size_t n)
{
    double a = ea_report_num(d, "health.alpha_log2", NAN);
    char b[32];

    ea_ear_num(a, b);
    if (a >= 20 && a <= 40) {
        snprintf(why, n, "alpha = 2^-%s per test", b);
        return EA_SHALL_MET;
    }
    snprintf(why, n, "alpha = 2^-%s, outside the recommended range: the vendor justifies it", b);
    return EA_SHALL_PARTLY;
}

static ea_shall_status health(const json_t *d, int rule, char *why, size_t n)
{
    const json_t *h = ea_report_get(d, "health");
    char b[4][32];

    if (!ran(d, "health"))
        return not_ran(d, "health", "health-test cutoffs", why, n);
    switch (rule) {
    case R_HEALTH_RAW:
        snprintf(why, n, "cutoffs for the raw samples; the vendor shows the tests see them before conditioning");
        return EA_SHALL_PARTLY;
    case R_CONTINUOUS:
        snprintf(why, n, "replayed over %s recorded samples; the vendor shows every sample is tested in operation",
                 ea_ear_at(h, "details.samples", b[0]));
        return EA_SHALL_PARTLY;
    case R_ALPHA: return alpha(d, why, n);
    case R_RCT:
        snprintf(why, n, "C = %s for H = %s", ea_ear_at(h, "rct_cutoff", b[0]), ea_ear_at(h, "h", b[1]));
        return json_is_number(json_object_get(h, "rct_cutoff")) ? EA_SHALL_MET : EA_SHALL_MISSING;
    case R_APT:
        snprintf(why, n, "W = %s, C = %s for H = %s", ea_ear_at(h, "apt_window", b[0]), ea_ear_at(h, "apt_cutoff", b[1]),
                 ea_ear_at(h, "h", b[2]));
        return json_is_number(json_object_get(h, "apt_cutoff")) ? EA_SHALL_MET : EA_SHALL_MISSING;
    default:
        if (ea_report_bool(h, "passed") == 1) {
            snprintf(why, n, "replay: RCT fired %s, APT %s times, within the false-positive allowance",
                     ea_ear_at(h, "rct_failures", b[0]), ea_ear_at(h, "apt_failures", b[1]));
            return EA_SHALL_MET;
        }
        snprintf(why, n, "replay: %s", ea_report_str(h, "reason", "a test fired beyond its allowance"));
        return EA_SHALL_NOT_MET;
    }
}

/* ------------------------------------------------------------ over the OEs */

static int severity(ea_shall_status s)
{
    static const int rank[] = { [EA_SHALL_NA] = 0, [EA_SHALL_MET] = 1, [EA_SHALL_VENDOR] = 2,
                                [EA_SHALL_PARTLY] = 3, [EA_SHALL_MISSING] = 4, [EA_SHALL_NOT_MET] = 5 };

    return (int)s >= 0 && (size_t)s < sizeof rank / sizeof rank[0] ? rank[s] : 5;
}

/* The worst outcome over the OEs, its note naming the first OE with it. */
static ea_shall_status over_oes(oe_rule f, int rule, const ea_ear_input *in, char *why, size_t n)
{
    ea_shall_status worst = EA_SHALL_NA;
    size_t at = 0, same = 0;
    char note[512], first[512] = "";

    for (size_t i = 0; i < in->n; i++) {
        ea_shall_status s = f(in->docs[i], rule, note, sizeof note);
        if (i == 0 || severity(s) > severity(worst)) {
            worst = s;
            at = i;
            same = 1;
            snprintf(first, sizeof first, "%s", note);
        } else if (s == worst) {
            same++;
        }
    }
    if (in->n == 1)
        snprintf(why, n, "%s", first);
    else if (same == in->n)
        snprintf(why, n, "every OE; OE %zu: %s", at + 1, first);
    else
        snprintf(why, n, "OE %zu%s: %s", at + 1, same > 1 ? " and others" : "", first);
    return worst;
}

static int any_iid_claim(const ea_ear_input *in)
{
    for (size_t i = 0; i < in->n; i++)
        if (ea_report_bool(in->docs[i], "claim.iid") == 1)
            return 1;
    return 0;
}

static int any_conditioning(const ea_ear_input *in)
{
    for (size_t i = 0; i < in->n; i++)
        if (strcmp(ea_report_str(in->docs[i], "conditioning.status", "not requested"), "not requested") != 0)
            return 1;
    return 0;
}

/* The rule's function for one OE, or NULL for the rules that do not look at the reports. */
static oe_rule rule_fn(int rule)
{
    switch (rule) {
    case R_SAMPLES: return samples;
    case R_RAW: case R_RAW_ACCESS: case R_COLLECT_METHOD: return provenance;
    case R_CONDITIONS: case R_OE: return host;
    case R_HASHES: return hashes;
    case R_WIDTH: return width;
    case R_TRACK_CLAIM: return track_claim;
    case R_IID_TESTS: case R_IID_MCV: return iid;
    case R_NONIID: return noniid;
    case R_CLAIM: case R_JUSTIFY: return claim;
    case R_RESTART_DATA: case R_RESTART_METHOD: case R_SANITY: case R_VALIDATION: case R_RESTART_FINAL:
        return restart;
    case R_COND_HOUT: case R_COND_HIN: case R_COND_VETTED: case R_COND_WIDTH: case R_COND_NONVETTED:
    case R_COND_DOC:
        return conditioning;
    case R_HEALTH_RAW: case R_CONTINUOUS: case R_ALPHA: case R_REPLAY: case R_RCT: case R_APT: return health;
    default: return NULL;
    }
}

static ea_shall_status vendor(const ea_shall_req *r, char *why, size_t n)
{
    if (r->rule == R_VENDOR_MULTI)
        snprintf(why, n, "each collection records one noise source; the vendor states how many the entropy "
                         "source has and how their outputs combine");
    else if (r->rule == R_VENDOR_ALT)
        snprintf(why, n, "only where the RCT or APT of section %d are replaced", EA_EAR_HEALTH);
    else
        snprintf(why, n, "section %d, marked " EA_EAR_VENDOR_MARK, r->ear_section);
    return EA_SHALL_VENDOR;
}

ea_shall_status ea_shall_eval(const ea_shall_req *r, const ea_ear_input *in, char *why, size_t n)
{
    oe_rule f = r != NULL ? rule_fn(r->rule) : NULL;

    if (n > 0)
        why[0] = '\0';
    if (r == NULL || in == NULL || in->n == 0)
        return EA_SHALL_MISSING;
    if (f == NULL)
        return vendor(r, why, n);
    if ((r->rule == R_IID_TESTS || r->rule == R_IID_MCV) && !any_iid_claim(in)) {
        snprintf(why, n, "no IID claim: the non-IID track applies");
        return EA_SHALL_NA;
    }
    if (f == conditioning && !any_conditioning(in)) {
        snprintf(why, n, "no conditioning component given to the assessment");
        return EA_SHALL_NA;
    }
    return over_oes(f, r->rule, in, why, n);
}

/* ------------------------------------------------------------ 12 */

static const char *where(ea_shall_status s, int sec, char *buf, size_t n)
{
    if (s == EA_SHALL_MET)
        snprintf(buf, n, "met by the evidence in section %d", sec);
    else
        snprintf(buf, n, "%s", ea_shall_status_name(s));
    return buf;
}

void ea_ear_shall_table(ea_rw *w, const ea_ear_input *in)
{
    const ea_shall_req *r;
    char why[1024], e1[2048], e2[2048], st[96];

    ea_ear_section(w, EA_EAR_SHALL);
    ea_rw_p(w, "What SP 800-90B sections 3 and 4 ask a submission to show, in ea90b's words (the standard's "
               "text governs), with where this report addresses each and how far the evidence goes: met by "
               "the evidence in a section; partly met, the vendor completes it; for the vendor to document; "
               "not applicable; NOT MET, the evidence shows it fails; MISSING, evidence ea90b produces is "
               "absent. With several operational environments a row shows the worst of them.");
    ea_rw_table(w, "SP 800-90B requirement|EAR section|status");
    for (size_t i = 0; (r = ea_shall_at(i)) != NULL; i++) {
        ea_shall_status s = ea_shall_eval(r, in, why, sizeof why);
        ea_rw_row(w, "%s: %s|%d|%s: %s", r->section, ea_ear_esc(w, r->text, e1, sizeof e1), r->ear_section,
                  where(s, r->ear_section, st, sizeof st), ea_ear_esc(w, why, e2, sizeof e2));
    }
    ea_rw_end_table(w);
}
