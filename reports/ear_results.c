/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear_results.c - the statistical sections of the Entropy Assessment
 * Report draft (ear.h), one subsection per operational environment:
 *    6 raw data characterisation  the sequential samples (SP 800-90B 3.1.1)
 *                                 with their histogram, raw deltas and
 *                                 autocorrelation
 *    7 entropy estimates          the track (3.1.2), the IID tests (section 5)
 *                                 and the MCV estimate on an IID claim, every
 *                                 section 6.3 estimator (3.1.3), the lowest
 *                                 value over the OEs against the claim
 *    8 restart tests              3.1.4: the sanity check (3.1.4.3), the row
 *                                 and column estimates and H_I's validation
 *                                 (3.1.4.2)
 * Every number through ea_ear_num (6 significant digits).
 */
#include <math.h>
#include <string.h>

#include "ear.h"
#include "report.h"

/* ------------------------------------------------------------ 6 */

/* The lag with the largest |r| of data.autocorrelation (0: none). */
static size_t strongest_lag(const json_t *d, double *r)
{
    const json_t *ac = ea_report_get(d, "data.autocorrelation");
    size_t best = 0;

    *r = 0;
    for (size_t i = 0; i < json_array_size(ac); i++) {
        double v = json_number_value(json_array_get(ac, i));
        if (isfinite(v) && fabs(v) > fabs(*r)) {
            *r = v;
            best = i + 1;
        }
    }
    return best;
}

static void autocorr_row(ea_rw *w, const json_t *d)
{
    double r, n = ea_report_num(d, "data.samples", 0), band = n > 0 ? 3.0 / sqrt(n) : NAN;
    size_t lag = strongest_lag(d, &r), above = 0;
    const json_t *ac = ea_report_get(d, "data.autocorrelation");
    char b1[32], b2[32];

    if (lag == 0) {
        ea_rw_row(w, "autocorrelation (lags 1-32)|not computed");
        return;
    }
    for (size_t i = 0; i < json_array_size(ac); i++)
        above += fabs(json_number_value(json_array_get(ac, i))) > band;
    ea_rw_row(w, "autocorrelation (lags 1-32)|strongest at lag %zu: %s; %zu of %zu lags beyond +-3/sqrt(N) = %s "
                 "(what independent samples would rarely exceed)", lag, ea_ear_num(r, b1), above,
              json_array_size(ac), ea_ear_num(band, b2));
}

static void data_table(ea_rw *w, const json_t *d)
{
    const json_t *raw = ea_report_get(d, "data.raw");
    double n = ea_report_num(d, "data.samples", 0);
    char b[4][32];

    ea_rw_table(w, "item|value");
    ea_rw_row(w, "sequential samples (%s)|%s%s", ea_report_str(d, "data.file", "samples.bin"),
              ea_ear_num(n, b[0]),
              n < 1000000.0 ? ": FEWER than the 1000000 SP 800-90B section 3.1.1 requires" : "");
    ea_rw_row(w, "bits per sample|%s", ea_ear_at(d, "data.bits_per_symbol", b[0]));
    ea_rw_row(w, "distinct symbols|%s of %s possible", ea_ear_at(d, "data.alphabet_size", b[0]),
              ea_ear_num(ldexp(1.0, (int)fmin(fmax(ea_report_num(d, "data.bits_per_symbol", 8), 0), 64)), b[1]));
    ea_rw_row(w, "symbol range|%s to %s", ea_ear_at(d, "data.min", b[0]), ea_ear_at(d, "data.max", b[1]));
    ea_rw_row(w, "mean symbol|%s", ea_ear_at(d, "data.mean", b[0]));
    ea_rw_row(w, "share of the most common symbol|%s", ea_ear_at(d, "data.max_share", b[0]));
    if (json_is_object(raw))
        ea_rw_row(w, "raw deltas (%s)|%s; min %s, mean %s, max %s timer ticks", ea_report_str(raw, "file", "raw.u64"),
                  ea_ear_at(raw, "count", b[0]), ea_ear_at(raw, "min", b[1]), ea_ear_at(raw, "mean", b[2]),
                  ea_ear_at(raw, "max", b[3]));
    autocorr_row(w, d);
    ea_rw_end_table(w);
}

void ea_ear_data(ea_rw *w, const ea_ear_input *in)
{
    ea_ear_section(w, EA_EAR_DATA);
    ea_rw_p(w, "The sequential samples of each operational environment as recorded, before any estimate: "
               "their spread over the symbols, the raw timer deltas they are cut from, and how strongly "
               "neighbouring samples are correlated (dependence the non-IID estimators of section %d "
               "account for). For a series the samples are those of the decisive run.", EA_EAR_ESTIMATES);
    for (size_t i = 0; i < in->n; i++) {
        ea_ear_oe_heading(w, in, i, "data");
        data_table(w, in->docs[i]);
        ea_ear_plot(w, in, i, EA_EAR_PLOT_HISTOGRAM);
        ea_ear_plot(w, in, i, EA_EAR_PLOT_RAW);
        ea_ear_plot(w, in, i, EA_EAR_PLOT_AUTOCORR);
    }
}

/* ------------------------------------------------------------ 7 */

static int iid_claimed(const ea_ear_input *in)
{
    for (size_t i = 0; i < in->n; i++)
        if (ea_report_bool(in->docs[i], "claim.iid") == 1)
            return 1;
    return 0;
}

static void summary_table(ea_rw *w, const ea_ear_input *in)
{
    char b[6][32];

    ea_rw_table(w, "OE|track|IID: MCV estimate|non-IID: H_original|non-IID: H_bitstring (per bit)|"
                   "assessed (bits per sample)|claim|claim supported");
    for (size_t i = 0; i < in->n; i++) {
        const json_t *d = in->docs[i];
        ea_rw_row(w, "OE %zu%s|%s|%s|%s|%s|%s|%s|%s", i + 1, ea_ear_is_model(d) ? " (model)" : "",
                  ea_report_str(d, "verdict.track", "?"),
                  ea_report_bool(d, "claim.iid") == 1 ? ea_ear_at(d, "iid.report.min_entropy.h_assessed", b[4])
                                                      : "no IID claim",
                  ea_ear_at(d, "noniid.report.results.h_original", b[0]),
                  ea_ear_at(d, "noniid.report.results.h_bitstring", b[1]), ea_ear_at(d, "verdict.h_assessed", b[2]),
                  ea_ear_at(d, "claim.h", b[3]),
                  ea_report_bool(d, "verdict.claim_supported") == 1 ? "yes" : "NO");
    }
    ea_rw_end_table(w);
}

static void lowest(ea_rw *w, const ea_ear_input *in)
{
    size_t low = 0, ok = 0;
    char b1[32], b2[32];

    for (size_t i = 0; i < in->n; i++) {
        ok += ea_report_bool(in->docs[i], "verdict.claim_supported") == 1;
        if (ea_report_num(in->docs[i], "verdict.h_assessed", INFINITY) <
            ea_report_num(in->docs[low], "verdict.h_assessed", INFINITY))
            low = i;
    }
    ea_rw_p(w, "The lowest assessed min-entropy over the %zu operational environment%s is %s bits per sample "
               "(OE %zu%s). The claim H_submitter = %s bits per sample is supported on %zu of %zu: %s.", in->n,
            in->n == 1 ? "" : "s", ea_ear_at(in->docs[low], "verdict.h_assessed", b1), low + 1,
            ea_ear_is_model(in->docs[low]) ? ", a built-in model" : "", ea_ear_at(in->docs[0], "claim.h", b2),
            ok, in->n,
            ok == in->n ? "it exceeds no estimate"
                        : "it EXCEEDS the estimate where it is not supported and cannot stand as it is");
}

static void chisq_row(ea_rw *w, const json_t *r, const char *path, const char *name)
{
    const json_t *c = ea_report_get(r, path);
    char b[3][32];

    ea_rw_row(w, "%s|score %s, df %s, p-value %s|%s", name, ea_ear_at(c, "score", b[0]), ea_ear_at(c, "df", b[1]),
              ea_ear_at(c, "p_value", b[2]), ea_ear_pass(ea_report_bool(c, "passed")));
}

/* The section 5 tests and the MCV estimate: the IID track (3.1.2, 3.1.3). */
static void iid_track(ea_rw *w, const json_t *d)
{
    const json_t *r = ea_report_get(d, "iid.report");
    int skipped = ea_report_bool(d, "iid.permutation_skipped") == 1;
    char b[3][32];

    ea_rw_table(w, "IID test (SP 800-90B section 5)|result|verdict");
    chisq_row(w, r, "chi_square.independence", "chi-square independence (5.2.1, 5.2.3)");
    chisq_row(w, r, "chi_square.goodness_of_fit", "chi-square goodness of fit (5.2.2, 5.2.4)");
    ea_rw_row(w, "longest repeated substring (5.2.5)|W %s, Pr(X >= 1) %s|%s", ea_ear_at(r, "lrs_test.W", b[0]),
              ea_ear_at(r, "lrs_test.p_x_ge_1", b[1]), ea_ear_pass(ea_report_bool(r, "lrs_test.passed")));
    ea_rw_row(w, "permutation tests (5.1)|%s permutations counted, seed %s|%s",
              ea_ear_at(r, "permutation.permutations_run", b[0]), ea_report_str(d, "iid.seed", "?"),
              skipped ? "not run (already not IID)" : ea_ear_pass(ea_report_bool(r, "permutation.passed")));
    ea_rw_end_table(w);
    ea_rw_p(w, "IID verdict: %s. Most common value estimate (6.3.1) on the IID track: H_original %s, "
               "H_bitstring %s, assessed %s bits per sample.",
            ea_report_bool(r, "iid") == 1 ? "the samples may be treated as IID" : "NOT IID, the non-IID track decides",
            ea_ear_at(r, "min_entropy.h_original", b[0]), ea_ear_at(r, "min_entropy.h_bitstring", b[1]),
            ea_ear_at(r, "min_entropy.h_assessed", b[2]));
}

static void estimator_rows(ea_rw *w, const json_t *d)
{
    double bits = ea_report_num(d, "data.bits_per_symbol", 8);
    char path[128], b[3][32];

    ea_rw_table(w, "estimator (SP 800-90B section 6.3)|literal H (bits per sample)|bitstring H (per bit)|"
                   "bitstring H x bits");
    for (size_t i = 0; ea_report_est_key(i) != NULL; i++) {
        const json_t *lit, *bs;
        snprintf(path, sizeof path, "noniid.report.estimators.literal.%s.h", ea_report_est_key(i));
        lit = ea_report_get(d, path);
        snprintf(path, sizeof path, "noniid.report.estimators.bitstring.%s.h", ea_report_est_key(i));
        bs = ea_report_get(d, path);
        if (lit == NULL && bs == NULL)
            continue;
        ea_rw_row(w, "%s|%s|%s|%s", ea_report_est_name(i),
                  json_is_number(lit) ? ea_ear_num(json_number_value(lit), b[0]) : "-",
                  json_is_number(bs) ? ea_ear_num(json_number_value(bs), b[1]) : "-",
                  json_is_number(bs) ? ea_ear_num(json_number_value(bs) * bits, b[2]) : "-");
    }
    ea_rw_end_table(w);
}

static void noniid_track(ea_rw *w, const ea_ear_input *in, size_t i)
{
    const json_t *d = in->docs[i];
    char b[4][32];

    if (!json_is_object(ea_report_get(d, "noniid.report.estimators"))) {
        ea_rw_p(w, "MISSING: the report holds no section 6.3 estimates.");
        return;
    }
    estimator_rows(w, d);
    ea_rw_p(w, "H_original = %s (the lowest literal estimate), H_bitstring = %s per bit (the lowest bitstring "
               "estimate); min(H_original, %s x H_bitstring) = %s bits per sample%s.",
            ea_ear_at(d, "noniid.report.results.h_original", b[0]),
            ea_ear_at(d, "noniid.report.results.h_bitstring", b[1]), ea_ear_at(d, "data.bits_per_symbol", b[2]),
            ea_ear_at(d, "noniid.report.results.h_assessed", b[3]),
            strcmp(ea_report_str(d, "verdict.track", ""), "iid") == 0
                ? " (for information: the IID track decides)" : "");
    ea_ear_plot(w, in, i, EA_EAR_PLOT_ESTIMATORS);
}

static void series_note(ea_rw *w, const ea_ear_input *in, size_t i)
{
    const json_t *d = in->docs[i];
    char b[7][32], e[512];

    if (!json_is_object(ea_report_get(d, "series")))
        return;
    ea_rw_p(w, "A series of %s runs of %s samples: median %s bits per sample, %s%% interval for the median "
               "[%s, %s]; the assessment above is that of the lowest run, run %s (%s), as a lab takes the "
               "weakest of several data sets.",
            ea_ear_at(d, "series.runs", b[0]), ea_ear_at(d, "series.samples_per_run", b[1]),
            ea_ear_at(d, "series.median", b[2]), ea_ear_num(100.0 * ea_report_num(d, "series.median_ci.coverage", NAN), b[3]),
            ea_ear_at(d, "series.median_ci.lower", b[4]), ea_ear_at(d, "series.median_ci.upper", b[5]),
            ea_ear_at(d, "series.decisive_run", b[6]),
            ea_ear_esc(w, ea_report_str(d, "series.decisive_file", "?"), e, sizeof e));
    ea_ear_plot(w, in, i, EA_EAR_PLOT_SERIES);
}

static void estimates_oe(ea_rw *w, const ea_ear_input *in, size_t i)
{
    const json_t *d = in->docs[i];
    char e[1024];

    ea_ear_oe_heading(w, in, i, "estimates");
    ea_rw_p(w, "Track: %s.", ea_ear_esc(w, ea_report_str(d, "verdict.track_reason", "?"), e, sizeof e));
    if (ea_report_bool(d, "claim.iid") == 1)
        iid_track(w, d);
    else
        ea_rw_p(w, "IID tests (section 5), for information only without an IID claim: %s.",
                ea_report_bool(d, "iid.report.iid") == 1 ? "passed" : "failed");
    noniid_track(w, in, i);
    series_note(w, in, i);
}

void ea_ear_estimates(ea_rw *w, const ea_ear_input *in)
{
    ea_ear_section(w, EA_EAR_ESTIMATES);
    ea_rw_p(w, "%s Every estimator of SP 800-90B section 6.3 runs on the sequential samples, on the samples "
               "themselves (literal) and, for samples wider than one bit, on their bits (bitstring); the "
               "assessed min-entropy is min(H_original, bits x H_bitstring) (section 3.1.3), number for number "
               "with NIST's ea_non_iid %s.",
            iid_claimed(in) ? "The vendor claims the samples are IID: the IID track decides where every section 5 "
                              "test passes (its most common value estimate), else the non-IID track."
                            : "No IID claim: the non-IID track decides; the section 5 tests are shown for "
                              "information only.",
            ea_report_str(in->docs[0], "tool.nist_compat", "?"));
    summary_table(w, in);
    lowest(w, in);
    for (size_t i = 0; i < in->n; i++)
        estimates_oe(w, in, i);
}

/* ------------------------------------------------------------ 8 */

static const char *restart_how(const json_t *d)
{
    const char *mode = ea_report_str(d, "collection.manifest.restarts.mode", "?");

    if (strcmp(mode, "exec") == 0)
        return "each restart a fresh process of the recorder";
    if (strcmp(mode, "inproc") == 0)
        return "each restart a fresh source object in one process";
    if (strcmp(mode, "import") == 0)
        return "recorded elsewhere and imported";
    return mode;
}

static void restart_steps(ea_rw *w, const json_t *r)
{
    char b[5][32];

    ea_rw_table(w, "step|result|verdict");
    ea_rw_row(w, "H_I = min(claim, assessed)|%s bits per sample|", ea_ear_at(r, "h_i", b[0]));
    ea_rw_row(w, "sanity check (3.1.4.3)|largest most-common-symbol count %s against the cutoff %s "
                 "(alpha %s)|%s", ea_ear_at(r, "x_max", b[0]), ea_ear_at(r, "x_cutoff", b[1]),
              ea_ear_at(r, "alpha", b[2]), ea_ear_pass(ea_report_bool(r, "sanity_passed")));
    if (ea_report_bool(r, "validated") == 1) {
        double hi = ea_report_num(r, "h_i", NAN);
        ea_rw_row(w, "validation (3.1.4.2)|H_r %s, H_c %s: min(H_r, H_c) = %s against H_I / 2 = %s|%s",
                  ea_ear_at(r, "h_r", b[0]), ea_ear_at(r, "h_c", b[1]), ea_ear_at(r, "h_rc_min", b[2]),
                  ea_ear_num(hi / 2, b[3]), ea_ear_pass(ea_report_bool(r, "validation_passed")));
        ea_rw_row(w, "validated estimate min(H_r, H_c, H_I)|%s bits per sample|", ea_ear_at(r, "h_min", b[4]));
    } else {
        ea_rw_row(w, "validation (3.1.4.2)|not run: the sanity check failed|%s",
                  ea_ear_pass(ea_report_bool(r, "validation_passed")));
    }
    ea_rw_row(w, "restart tests|sanity check and validation|%s", ea_ear_pass(ea_report_bool(r, "passed")));
    ea_rw_end_table(w);
}

static void restart_estimators(ea_rw *w, const json_t *r)
{
    const json_t *est = json_object_get(r, "estimators"), *e;
    char b[2][32];
    size_t i;

    if (json_array_size(est) == 0)
        return;
    ea_rw_table(w, "estimator|rows (H_r)|columns (H_c)");
    json_array_foreach(est, i, e)
        ea_rw_row(w, "%s|%s|%s", ea_report_str(e, "name", ea_report_str(e, "estimator", "?")),
                  ea_ear_at(e, "rows", b[0]), ea_ear_at(e, "cols", b[1]));
    ea_rw_end_table(w);
}

static void restart_oe(ea_rw *w, const ea_ear_input *in, size_t i)
{
    const json_t *d = in->docs[i], *r = ea_report_get(d, "restart");
    char b[2][32], e1[1024], e2[512];

    ea_ear_oe_heading(w, in, i, "restart");
    if (strcmp(ea_report_str(r, "status", "skipped"), "ran") != 0) {
        ea_rw_p(w, "MISSING: no restart test (%s). Section 3.1.4 needs 1000 restarts of 1000 samples each "
                   "from this operational environment; without them the entropy estimate cannot be "
                   "validated.",
                ea_ear_esc(w, ea_report_str(r, "reason", ea_report_str(r, "status", "skipped")), e1, sizeof e1));
        return;
    }
    ea_rw_p(w, "%s restarts of %s samples (%s), %s; validation estimators: %s.",
            ea_ear_at(d, "collection.manifest.restarts.rows", b[0]),
            ea_ear_at(d, "collection.manifest.restarts.cols", b[1]), restart_how(d),
            ea_ear_esc(w, ea_report_str(r, "file", "restart.bin"), e1, sizeof e1),
            ea_ear_esc(w, ea_report_str(r, "details.validation_mode", "?"), e2, sizeof e2));
    restart_steps(w, r);
    restart_estimators(w, r);
    ea_ear_plot(w, in, i, EA_EAR_PLOT_RESTART);
}

void ea_ear_restart(ea_rw *w, const ea_ear_input *in)
{
    ea_ear_section(w, EA_EAR_RESTART);
    ea_rw_p(w, "Section 3.1.4: 1000 restarts of the noise source, 1000 samples from each, as a 1000 x 1000 "
               "matrix (row i: restart i; column j: the j-th sample of every restart). The sanity check "
               "(3.1.4.3) bounds how often one symbol may recur within a row or a column; the validation "
               "(3.1.4.2) runs the estimators on the rows and on the columns and needs min(H_r, H_c) >= "
               "H_I / 2. When both pass, the entropy estimate becomes min(H_r, H_c, H_I).");
    ea_ear_vendor(w, "how a restart of the entropy source happens in operation (power-up, reset, process start) "
                     "and why the restarts recorded here reproduce it: no state carried from one restart to the "
                     "next, the same start-up path as in operation.");
    for (size_t i = 0; i < in->n; i++)
        restart_oe(w, in, i);
}
