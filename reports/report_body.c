/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report_body.c - the sections of an assessment report, in the order a
 * certification lab reads the statistical part of an entropy assessment
 * report (SP 800-90B §3.1 process):
 *   1 summary verdict against the claim      6 restart tests (§3.1.4)
 *   2 data collection (manifest, hashes)     7 health tests (§4.4)
 *   3 raw data characterisation (§3.1.1)     8 conditioning (§3.1.5)
 *   4 IID testing (§5)                       9 commands that reproduce it
 *   5 non-IID estimators (§6.3)
 * Written once for Markdown and HTML; plots appear in HTML only.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_writer.h"
#include "svg.h"
#include "svg_series.h"

#define MAX_SERIES 4096

static const char *yes_no(int b)
{
    return b == 1 ? "pass" : b == 0 ? "FAIL" : "n/a";
}

/* The number at path as an int (dflt when absent), clamped to +-1e6: a saved
 * report may hold any number, and converting one no int holds is undefined. */
static int int_at(const json_t *d, const char *path, int dflt)
{
    double v = ea_report_num(d, path, dflt);

    return v < -1e6 ? -1000000 : v > 1e6 ? 1000000 : (int)v;
}

/* "%.6g" of the number at path, or "n/a" when absent. */
static const char *num6g(const json_t *d, const char *path, char buf[32])
{
    const json_t *v = ea_report_get(d, path);

    if (json_is_number(v))
        snprintf(buf, 32, "%.6g", json_number_value(v));
    else
        snprintf(buf, 32, "n/a");
    return buf;
}

/* "%.6f" of the number at path, or "n/a" when absent. */
static const char *num6(const json_t *d, const char *path, char buf[32])
{
    const json_t *v = ea_report_get(d, path);

    if (json_is_number(v))
        snprintf(buf, 32, "%.6f", json_number_value(v));
    else
        snprintf(buf, 32, "n/a");
    return buf;
}

/* A JSON scalar as text (numbers with up to 15 significant digits: every
 * decimal the tools print survives, binary artefacts do not; report.json
 * keeps full precision). */
static void scalar_text(const json_t *v, char *buf, size_t n)
{
    if (json_is_string(v))
        snprintf(buf, n, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, n, "%.15g", json_real_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, n, "%s", json_is_true(v) ? "true" : "false");
    else if (json_is_null(v))
        snprintf(buf, n, "null");
    else if (json_is_array(v))
        snprintf(buf, n, "[%zu values]", json_array_size(v));
    else
        snprintf(buf, n, "{...}");
}

/* Key / value rows of an object's members, one level of nesting as "a.b". */
static void kv_rows(ea_rw *w, const json_t *obj, const char *prefix)
{
    const char *k;
    json_t *v;
    char buf[4096];

    json_object_foreach((json_t *)obj, k, v) {
        if (json_is_object(v) && prefix[0] == '\0') {
            kv_rows(w, v, k);
            continue;
        }
        scalar_text(v, buf, sizeof buf);
        ea_rw_row(w, "%s%s%s|%s", prefix, prefix[0] ? "." : "", k,
                  json_is_string(v) ? json_string_value(v) : buf);
    }
}

static void kv_table(ea_rw *w, const json_t *obj)
{
    if (!json_is_object(obj) || json_object_size(obj) == 0)
        return;
    ea_rw_table(w, "field|value");
    kv_rows(w, obj, "");
    ea_rw_end_table(w);
}

/* Copy a numeric JSON array into a malloc'd double array (at most max). */
static double *num_array(const json_t *a, size_t max, size_t *n)
{
    size_t len = json_array_size(a);
    double *v;

    if (len > max)
        len = max;
    *n = 0;
    if (len == 0 || (v = malloc(len * sizeof(*v))) == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        double x = json_number_value(json_array_get(a, i));
        v[i] = isfinite(x) ? x : 0.0;
    }
    *n = len;
    return v;
}

/* ---------------------------------------------------------------- 1 */
/*
 * The IID tests in the summary: what they found, and whether they decide
 * (SP 800-90B §3.1.1-3.1.2: only on the submitter's IID claim).
 */
static const char *iid_line(const json_t *d)
{
    int passed = ea_report_bool(d, "verdict.iid_passed") == 1;

    if (ea_report_bool(d, "verdict.iid_claim") == 1)
        return passed ? "passed: IID claimed, IID track (MCV estimate)"
                      : "FAILED: the IID claim is not supported; the non-IID track decides "
                        "(section 6.3)";
    return passed ? "passed, for information only: no IID claim (--iid-claim), the non-IID "
                    "track decides"
                  : "failed, for information: no IID claim, the non-IID track decides";
}

/* The runs of a series as a strip plot (HTML only). */
static void series_plot(ea_rw *w, const json_t *d, const json_t *runs)
{
    ea_svg_group g;
    size_t n = json_array_size(runs), i;
    double *h;
    json_t *e;

    if (!w->html || n == 0 || (h = malloc(n * sizeof *h)) == NULL)
        return;
    json_array_foreach(runs, i, e)
        h[i] = ea_report_num(e, "h", 0);
    g = (ea_svg_group){.name = "this series", .h = h, .n = n,
                       .median = ea_report_num(d, "series.median", 0),
                       .lower = ea_report_num(d, "series.median_ci.lower", 0),
                       .upper = ea_report_num(d, "series.median_ci.upper", 0),
                       .mark = int_at(d, "series.decisive_run", 0)};
    ea_svg_series(w->f, "Assessed min-entropy of each run, the median and its interval",
                  "bits per sample", &g, 1, 1, ea_report_num(d, "claim.h", 0), "claim");
    free(h);
}

/*
 * A series (ea90b collect --runs K): every run's assessed value, the
 * median with its order-statistic interval, and which run decides: the
 * lowest (docs/report-format.md, "Series").
 */
static void series(ea_rw *w, const json_t *d)
{
    const json_t *runs = ea_report_get(d, "series.values"), *e;
    size_t i;

    if (!json_is_array(runs))
        return;
    ea_rw_h(w, 3, "series", "Series of %zu runs", json_array_size(runs));
    ea_rw_p(w, "Median %.6f bits per sample; %.2f%% interval for the median [%.6f, %.6f] (runs "
               "ranked %.0f and %.0f of %zu: order statistics, distribution-free); lowest %.6f, "
               "highest %.6f. The verdict above rests on the lowest run, run %.0f (%s): a "
               "series is never assessed higher than its weakest run alone would be.",
            ea_report_num(d, "series.median", 0), 100.0 * ea_report_num(d, "series.median_ci.coverage", 0),
            ea_report_num(d, "series.median_ci.lower", 0), ea_report_num(d, "series.median_ci.upper", 0),
            ea_report_num(d, "series.median_ci.lower_rank", 0),
            ea_report_num(d, "series.median_ci.upper_rank", 0), json_array_size(runs),
            ea_report_num(d, "series.min", 0), ea_report_num(d, "series.max", 0),
            ea_report_num(d, "series.decisive_run", 0), ea_report_str(d, "series.decisive_file", "?"));
    ea_rw_table(w, "run|file|assessed (bits per sample)|track|H_original|H_bitstring|seconds");
    json_array_foreach(runs, i, e) {
        char b1[32], b2[32];
        ea_rw_row(w, "%.0f%s|%s|%.6f|%s|%s|%s|%.1f", ea_report_num(e, "run", 0),
                  ea_report_num(e, "run", 0) == ea_report_num(d, "series.decisive_run", -1)
                      ? " (decides)" : "",
                  ea_report_str(e, "file", "?"), ea_report_num(e, "h", 0),
                  ea_report_str(e, "track", "?"), num6(e, "h_original", b1),
                  num6(e, "h_bitstring", b2), ea_report_num(e, "seconds", 0));
    }
    ea_rw_end_table(w);
    series_plot(w, d, runs);
}

static void summary(ea_rw *w, const json_t *d)
{
    const char *status = ea_report_str(d, "verdict.status", "INCOMPLETE");
    json_t *reasons = ea_report_get(d, "verdict.reasons");
    double claim = ea_report_num(d, "claim.h", 0), h = ea_report_num(d, "verdict.h_assessed", 0);
    int bits = int_at(d, "claim.bits_per_sample", 8);
    char b1[32], b2[32], src[1024];
    size_t i;
    json_t *r;

    ea_rw_h(w, 2, "summary", "1. Summary");
    ea_rw_badge(w, status, "claimed %.6g bits per %d-bit sample; assessed %.6f (%s track)", claim,
                bits, h, ea_report_str(d, "verdict.track", "?"));
    ea_rw_p(w, "Noise source: %s.", ea_report_source_line(d, src, sizeof src));
    if (ea_report_num(d, "data.samples", 0) < 1000000.0)
        ea_rw_p(w, "WARNING: only %.0f samples were assessed. SP 800-90B section 3.1.1 requires at least "
                   "1,000,000 sequential samples (and restart data of exactly 1000 x 1000): these "
                   "numbers cannot support a claim, and the verdict is INCOMPLETE.",
                ea_report_num(d, "data.samples", 0));
    ea_rw_table(w, "item|value");
    ea_rw_row(w, "claim (H_submitter)|%.6g bits per sample (%s)", claim,
              ea_report_str(d, "claim.source", "?"));
    ea_rw_row(w, "IID tests (section 5)|%s", iid_line(d));
    ea_rw_row(w, "H_original (non-IID)|%s", num6(d, "noniid.report.results.h_original", b1));
    ea_rw_row(w, "H_bitstring (non-IID)|%s", num6(d, "noniid.report.results.h_bitstring", b2));
    ea_rw_row(w, "assessed min-entropy|%.6f bits per sample", h);
    ea_rw_row(w, "H_I = min(claim, assessed)|%.6g", ea_report_num(d, "verdict.h_i", 0));
    ea_rw_row(w, "restart tests (section 3.1.4)|%s", yes_no(ea_report_bool(d, "verdict.restart_passed")));
    ea_rw_row(w, "health-test replay (section 4.4)|%s", yes_no(ea_report_bool(d, "verdict.health_passed")));
    ea_rw_row(w, "final entropy estimate|%.6g bits per sample", ea_report_num(d, "verdict.h_final", 0));
    ea_rw_row(w, "claim supported|%s", ea_report_bool(d, "verdict.claim_supported") == 1 ? "yes" : "NO");
    ea_rw_end_table(w);
    json_array_foreach(reasons, i, r)
        ea_rw_li(w, "%s", json_string_value(r) ? json_string_value(r) : "?");
    ea_rw_end_list(w);
    ea_rw_p(w, "Generated %s by %s %s (NIST SP800-90B_EntropyAssessment %s parity).",
            ea_report_str(d, "generated", "?"), ea_report_str(d, "tool.name", "ea90b"),
            ea_report_str(d, "tool.version", "?"), ea_report_str(d, "tool.nist_compat", "?"));
    series(w, d);
}

/* ---------------------------------------------------------------- 2 */

/*
 * The machine the samples were recorded on, in one line: the manifest's
 * host (its CPU model and name), said to come from a host facts file when
 * it did, or "unknown (imported)": a report never names the importing
 * machine as the recording one (SP 800-90B §3.2.4: the operational
 * environment of the data).
 */
static const char *recorded_on(const json_t *m, char *buf, size_t n)
{
    const json_t *host = ea_report_get(m, "host");
    const char *kind = ea_report_str(m, "host_source.kind", NULL);

    if (!json_is_object(host))
        snprintf(buf, n, "unknown (imported; the machine that imported it is listed under "
                         "\"Imported on\")");
    else if (kind != NULL && strcmp(kind, "host facts file") == 0)
        snprintf(buf, n, "%s (%s), from the host facts file %s (SHA-256 %.16s...)",
                 ea_report_str(host, "cpu.model_name", "?"), ea_report_str(host, "hostname", "?"),
                 ea_report_str(m, "host_source.file", "?"), ea_report_str(m, "host_source.sha256", "?"));
    else
        snprintf(buf, n, "%s (%s)", ea_report_str(host, "cpu.model_name", "?"),
                 ea_report_str(host, "hostname", "?"));
    return buf;
}

static void host_section(ea_rw *w, const json_t *m)
{
    ea_rw_h(w, 3, "host", "Host (recorded on)");
    if (!json_is_object(ea_report_get(m, "host")))
        ea_rw_p(w, "Recorded on: unknown (imported). %s",
                ea_report_str(m, "host_source.note", "The collection does not name the machine."));
    else
        kv_table(w, ea_report_get(m, "host"));
    if (json_is_object(ea_report_get(m, "imported_on"))) {
        ea_rw_h(w, 3, "imported-on", "Imported on (the machine that ran ea90b collect)");
        kv_table(w, ea_report_get(m, "imported_on"));
    }
}

static void collection(ea_rw *w, const json_t *d)
{
    const json_t *m = ea_report_get(d, "collection.manifest");
    json_t *files = ea_report_get(d, "collection.files"), *v;
    const char *k;
    char src[1024], on[1024];

    ea_rw_h(w, 2, "collection", "2. Data collection");
    ea_rw_table(w, "item|value");
    ea_rw_row(w, "directory|%s", ea_report_str(d, "collection.directory", "?"));
    ea_rw_row(w, "manifest.json SHA-256|%s", ea_report_str(d, "collection.manifest_sha256", "?"));
    ea_rw_row(w, "noise source|%s", ea_report_source_line(d, src, sizeof src));
    ea_rw_row(w, "recorded on|%s", recorded_on(m, on, sizeof on));
    ea_rw_row(w, "collected by|%s", ea_report_str(m, "command_line", "?"));
    ea_rw_row(w, "start|%s", ea_report_str(m, "start_time", "?"));
    ea_rw_row(w, "end|%s", ea_report_str(m, "end_time", "?"));
    ea_rw_row(w, "samples|%.0f", ea_report_num(m, "samples", 0));
    ea_rw_row(w, "restarts|%.0f x %.0f (%s)", ea_report_num(m, "restarts.rows", 0),
              ea_report_num(m, "restarts.cols", 0), ea_report_str(m, "restarts.mode", "none"));
    ea_rw_end_table(w);
    ea_rw_h(w, 3, "files", "Files (SHA-256 as verified before assessment)");
    ea_rw_table(w, "file|bytes|SHA-256");
    json_object_foreach(files, k, v)
        ea_rw_row(w, "%s|%.0f|%s", k, ea_report_num(v, "bytes", 0), ea_report_str(v, "sha256", "?"));
    ea_rw_end_table(w);
    ea_rw_h(w, 3, "source", "Noise source configuration");
    kv_table(w, ea_report_get(m, "source"));
    kv_table(w, ea_report_get(m, "extraction"));
    host_section(w, m);
}

/* ---------------------------------------------------------------- 3 */
static void plot_series(ea_rw *w, const json_t *arr, const char *title, const char *xl,
                        const char *yl, ea_svg_kind kind, double x0, int from_zero)
{
    ea_svg_plot p;
    size_t n;
    double *v;

    if (!w->html)
        return;
    v = num_array(arr, MAX_SERIES, &n);
    ea_svg_plot_init(&p, title, kind);
    p.xlabel = xl;
    p.ylabel = yl;
    p.y[0] = v;
    p.n = n;
    p.x0 = x0;
    p.y_from_zero = from_zero;
    ea_svg_xy(w->f, &p);
    free(v);
}

static void characterisation(ea_rw *w, const json_t *d)
{
    const json_t *ac = ea_report_get(d, "data.autocorrelation"), *raw = ea_report_get(d, "data.raw");
    size_t n = json_array_size(ac);
    char line[32 * 24], title[160];
    size_t len = 0;

    ea_rw_h(w, 2, "data", "3. Raw data characterisation");
    ea_rw_table(w, "item|value");
    ea_rw_row(w, "samples assessed (%s)|%.0f", ea_report_str(d, "data.file", "samples.bin"),
              ea_report_num(d, "data.samples", 0));
    ea_rw_row(w, "bits per sample|%.0f", ea_report_num(d, "data.bits_per_symbol", 0));
    ea_rw_row(w, "distinct symbols|%.0f", ea_report_num(d, "data.alphabet_size", 0));
    ea_rw_row(w, "symbol range|%.0f .. %.0f", ea_report_num(d, "data.min", 0), ea_report_num(d, "data.max", 0));
    ea_rw_row(w, "mean symbol|%.6f", ea_report_num(d, "data.mean", 0));
    ea_rw_row(w, "most common symbol share|%.6f", ea_report_num(d, "data.max_share", 0));
    if (json_is_object(raw)) {
        ea_rw_row(w, "raw deltas (%s)|%.0f", ea_report_str(raw, "file", "raw.u64"),
                  ea_report_num(raw, "count", 0));
        ea_rw_row(w, "raw delta min / mean / max|%.0f / %.3f / %.0f", ea_report_num(raw, "min", 0),
                  ea_report_num(raw, "mean", 0), ea_report_num(raw, "max", 0));
    }
    ea_rw_end_table(w);
    snprintf(title, sizeof title, "Symbol histogram (%s)", ea_report_str(d, "data.file", "samples.bin"));
    plot_series(w, ea_report_get(d, "data.histogram"), title, "symbol", "count", EA_SVG_COLUMNS, 0, 1);
    snprintf(title, sizeof title, "Raw deltas over time (first samples of %s)",
             ea_report_str(raw, "file", "raw.u64"));
    if (json_is_object(raw))
        plot_series(w, ea_report_get(raw, "stretch"), title, "sample index", "delta (timer ticks)",
                    EA_SVG_LINE, 0, 0);
    plot_series(w, ac, "Autocorrelation of the symbols, lags 1-32", "lag", "correlation",
                EA_SVG_COLUMNS, 1, 0);
    for (size_t i = 0; i < n && i < 32 && len + 24 < sizeof line; i++)
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%zu: %.4f", i ? ", " : "", i + 1,
                                json_number_value(json_array_get(ac, i)));
    ea_rw_p(w, "Autocorrelation by lag (symbols): %s.", n ? line : "not computed");
}

/* ---------------------------------------------------------------- 4 */
static void chisq_row(ea_rw *w, const json_t *r, const char *path, const char *name)
{
    const json_t *c = ea_report_get(r, path);
    ea_rw_row(w, "%s|score %.6f, df %.0f, p-value %.6f|%s", name, ea_report_num(c, "score", 0),
              ea_report_num(c, "df", 0), ea_report_num(c, "p_value", 0), yes_no(ea_report_bool(c, "passed")));
}

static void iid(ea_rw *w, const json_t *d)
{
    const json_t *r = ea_report_get(d, "iid.report");
    json_t *stats = ea_report_get(r, "permutation.statistics"), *s;
    size_t i;

    ea_rw_h(w, 2, "iid", "4. IID testing (section 5)");
    ea_rw_p(w, "Track: %s.", ea_report_str(d, "verdict.track_reason",
                                             "the IID track decides when every IID test passes"));
    ea_rw_p(w, "Permutation seed %s (%s scheduling); %.0f permutations counted%s.",
            ea_report_str(d, "iid.seed", "?"), ea_report_str(r, "options.scheduling", "?"),
            ea_report_num(r, "permutation.permutations_run", 0),
            ea_report_bool(d, "iid.permutation_skipped") == 1
                ? " (skipped: chi-square or LRS had already failed)"
                : ea_report_bool(r, "permutation.decided_early") == 1
                ? "; compression not needed, a cheap statistic had already failed" : "");
    ea_rw_table(w, "test|result|verdict");
    chisq_row(w, r, "chi_square.independence", "chi-square independence (5.2.1/5.2.3)");
    chisq_row(w, r, "chi_square.goodness_of_fit", "chi-square goodness of fit (5.2.2/5.2.4)");
    ea_rw_row(w, "longest repeated substring (5.2.5)|W %.0f, P_col %.6f, Pr(X>=1) %.6f|%s",
              ea_report_num(r, "lrs_test.W", 0), ea_report_num(r, "lrs_test.p_col", 0),
              ea_report_num(r, "lrs_test.p_x_ge_1", 0), yes_no(ea_report_bool(r, "lrs_test.passed")));
    ea_rw_row(w, "permutation tests (5.1)|%.0f statistics|%s", (double)json_array_size(stats),
              ea_report_bool(d, "iid.permutation_skipped") == 1 ? "not run"
                                                               : yes_no(ea_report_bool(r, "permutation.passed")));
    ea_rw_end_table(w);
    ea_rw_p(w, "IID verdict: %s. MCV estimates: H_original %.6f, H_bitstring %.6f, assessed %.6f bits per sample.",
            ea_report_bool(r, "iid") == 1 ? "the data may be treated as IID" : "NOT IID",
            ea_report_num(r, "min_entropy.h_original", 0), ea_report_num(r, "min_entropy.h_bitstring", 0),
            ea_report_num(r, "min_entropy.h_assessed", 0));
    if (ea_report_bool(d, "iid.permutation_skipped") == 1) {
        ea_rw_p(w, "Permutation tests (5.1) NOT RUN: the chi-square or LRS test already failed, so the "
                   "data are not IID (section 5 requires every test to pass). `ea90b iid --seed %s "
                   "samples.bin %.0f` (or `ea90b assess --all-iid-tests`) runs the 10,000 permutations "
                   "assess skipped, for the counts.",
                ea_report_str(d, "iid.seed", "?"), ea_report_num(d, "data.bits_per_symbol", 8));
        return;
    }
    ea_rw_h(w, 3, "iid-counts", "Permutation test counts (5.1)");
    ea_rw_table(w, "statistic|original|C0 (greater)|C1 (equal)|C2 (less)|result");
    json_array_foreach(stats, i, s)
        ea_rw_row(w, "%s|%.6g|%.0f|%.0f|%.0f|%s", ea_report_str(s, "name", "?"),
                  ea_report_num(s, "original", 0), ea_report_num(s, "C0", 0), ea_report_num(s, "C1", 0),
                  ea_report_num(s, "C2", 0),
                  ea_report_bool(s, "computed") == 0 ? "not needed" : yes_no(ea_report_bool(s, "passed")));
    ea_rw_end_table(w);
}

/* ---------------------------------------------------------------- 5 */
/* Intermediate values of one estimator object as "k v, k v" (malloc'd, whole). */
static char *intermediates(const json_t *e)
{
    const char *k;
    json_t *v;
    char *buf = NULL, val[4096];
    size_t len = 0;
    int first = 1;
    FILE *m = open_memstream(&buf, &len);

    if (m == NULL)
        return NULL;
    json_object_foreach((json_t *)e, k, v) {
        if (strcmp(k, "h") == 0 || strcmp(k, "seconds") == 0)
            continue;
        scalar_text(v, val, sizeof val);
        if (json_is_real(v))
            snprintf(val, sizeof val, "%.10g", json_real_value(v));
        fprintf(m, "%s%s %s", first ? "" : ", ", k, val);
        first = 0;
    }
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void est_side(ea_rw *w, const json_t *d, const char *side, int bits)
{
    char path[96], *inter;
    int per_bit = strcmp(side, "bitstring") == 0;

    for (size_t i = 0; ea_report_est_key(i) != NULL; i++) {
        const json_t *e;
        snprintf(path, sizeof path, "noniid.report.estimators.%s.%s", side, ea_report_est_key(i));
        if ((e = ea_report_get(d, path)) == NULL)
            continue;
        inter = intermediates(e);
        if (json_is_number(json_object_get(e, "h")))
            ea_rw_row(w, "%s|%s|%.6f|%.6f|%s", ea_report_est_name(i), side, ea_report_num(e, "h", 0),
                      ea_report_num(e, "h", 0) * (per_bit ? bits : 1), inter ? inter : "?");
        else
            ea_rw_row(w, "%s|%s|-|-|%s", ea_report_est_name(i), side, inter ? inter : "?");
        free(inter);
    }
}

static void est_plot(ea_rw *w, const json_t *d, int bits)
{
    const char *labels[32];
    char names[32][64], path[96];
    double v[32];
    size_t n = 0;

    for (int s = 0; s < 2; s++) {
        const char *side = s ? "bitstring" : "literal";
        for (size_t i = 0; ea_report_est_key(i) != NULL && n < 32; i++) {
            snprintf(path, sizeof path, "noniid.report.estimators.%s.%s.h", side, ea_report_est_key(i));
            if (!json_is_number(ea_report_get(d, path)))
                continue;
            v[n] = ea_report_num(d, path, 0) * (s ? bits : 1);
            snprintf(names[n], sizeof names[n], "%s %s", ea_report_est_key(i), s ? "(bits x w)" : "(literal)");
            labels[n] = names[n];
            n++;
        }
    }
    ea_svg_hbars(w->f, "Each estimator against the claim (bits per sample)", labels, v, n,
                 ea_report_num(d, "claim.h", 0), "claim", "bits/sample");
}

static void boot_row(ea_rw *w, const char *name, const char *side, const json_t *e)
{
    char full[32];

    ea_rw_row(w, "%s|%s|%s|%.6f|[%.6f, %.6f]|%.6f .. %.6f|%.0f", name, side,
              num6(e, "h_full", full), ea_report_num(e, "median", 0),
              ea_report_num(e, "lower", 0), ea_report_num(e, "upper", 0),
              ea_report_num(e, "block_min", 0), ea_report_num(e, "block_max", 0),
              ea_report_num(e, "blocks", 0));
}

/* assess --bootstrap: each estimate's interval from disjoint blocks (docs/estimators.md). */
static void bootstrap(ea_rw *w, const json_t *d)
{
    const json_t *est = ea_report_get(d, "bootstrap.estimates"), *e;
    size_t i;

    if (strcmp(ea_report_str(d, "bootstrap.status", ""), "ran") != 0)
        return;
    ea_rw_h(w, 3, "bootstrap", "Bootstrap intervals (--bootstrap)");
    ea_rw_p(w, "The samples cut into %.0f disjoint blocks of %.0f; every estimator run on each "
               "block; the %.0f%% percentile interval of the blocks' median over %.0f resamples "
               "(seed %s). The intervals describe an estimate on %.0f samples: the full-data "
               "value (the assessment) is on all of them and need not lie inside. Information "
               "only: the verdict uses the full-data values.",
            ea_report_num(d, "bootstrap.blocks", 0), ea_report_num(d, "bootstrap.block_samples", 0),
            100.0 * ea_report_num(d, "bootstrap.level", 0), ea_report_num(d, "bootstrap.replicates", 0),
            ea_report_str(d, "bootstrap.seed", "?"), ea_report_num(d, "bootstrap.block_samples", 0));
    ea_rw_table(w, "estimator|side|full data|block median|interval|blocks' range|blocks");
    json_array_foreach(est, i, e)
        boot_row(w, ea_report_str(e, "estimator", "?"), ea_report_str(e, "side", "?"), e);
    if (json_is_object(ea_report_get(d, "bootstrap.h_assessed")))
        boot_row(w, "assessed min-entropy", "per sample", ea_report_get(d, "bootstrap.h_assessed"));
    ea_rw_end_table(w);
}

static void noniid(ea_rw *w, const json_t *d)
{
    int bits = int_at(d, "data.bits_per_symbol", 8);
    char b1[32], b2[32];

    ea_rw_h(w, 2, "noniid", "5. Non-IID estimators (section 6.3)");
    ea_rw_p(w, "Every section 6.3 estimator as NIST's ea_non_iid %s runs it (initial entropy estimate). "
               "Bitstring values are per bit; the per-sample column multiplies them by %d.",
            ea_report_str(d, "tool.nist_compat", "?"), bits);
    ea_rw_table(w, "estimator|side|H|H per sample|intermediate values");
    est_side(w, d, "literal", bits);
    est_side(w, d, "bitstring", bits);
    ea_rw_end_table(w);
    ea_rw_p(w, "H_original = %s, H_bitstring = %s, min(H_original, %d x H_bitstring) = %.6f bits per sample.",
            num6(d, "noniid.report.results.h_original", b1),
            num6(d, "noniid.report.results.h_bitstring", b2), bits,
            ea_report_num(d, "noniid.report.results.h_assessed", 0));
    if (w->html)
        est_plot(w, d, bits);
    bootstrap(w, d);
}

/* ---------------------------------------------------------------- 6 */
static void restart_plot(ea_rw *w, const json_t *r)
{
    ea_svg_plot p;
    size_t nr, nc;
    double *rows = num_array(json_object_get(r, "row_max"), MAX_SERIES, &nr);
    double *cols = num_array(json_object_get(r, "col_max"), MAX_SERIES, &nc);

    ea_svg_plot_init(&p, "Restart matrix: most common symbol count per row and column", EA_SVG_DOTS);
    p.integer = 1;
    p.xlabel = "row / column index";
    p.ylabel = "count of the most common symbol";
    p.y[0] = rows;
    p.y[1] = nc == nr ? cols : NULL;
    p.series[0] = "rows";
    p.series[1] = "columns";
    p.n = nr;
    p.have_ref = json_is_number(json_object_get(r, "x_cutoff"));
    p.ref = ea_report_num(r, "x_cutoff", 0);
    p.ref_label = "sanity cutoff";
    ea_svg_xy(w->f, &p);
    free(rows);
    free(cols);
}

/* §3.1.4.2: each estimator's H on the row and the column dataset. */
static void restart_estimators(ea_rw *w, const json_t *r)
{
    json_t *est = json_object_get(r, "estimators"), *e;
    char b1[32], b2[32];
    size_t i;

    if (json_array_size(est) == 0)
        return;
    ea_rw_h(w, 3, "restart-estimators", "Validation estimates: row and column datasets");
    ea_rw_table(w, "estimator|rows (H_r)|columns (H_c)");
    json_array_foreach(est, i, e)
        ea_rw_row(w, "%s|%s|%s", ea_report_str(e, "name", ea_report_str(e, "estimator", "?")),
                  num6(e, "rows", b1), num6(e, "cols", b2));
    ea_rw_end_table(w);
}

static void restart(ea_rw *w, const json_t *d)
{
    const json_t *r = ea_report_get(d, "restart");
    const char *st = ea_report_str(r, "status", "skipped");

    ea_rw_h(w, 2, "restart", "6. Restart tests (section 3.1.4)");
    if (strcmp(st, "ran") != 0) {
        ea_rw_p(w, "Not run: %s.", ea_report_str(r, "reason", st));
        return;
    }
    ea_rw_table(w, "step|result|verdict");
    ea_rw_row(w, "H_I = min(claim, assessed)|%.6g bits per sample|", ea_report_num(r, "h_i", 0));
    ea_rw_row(w, "sanity check (3.1.4.3)|X_max %.0f against cutoff %.0f (alpha %.6g)|%s",
              ea_report_num(r, "x_max", 0), ea_report_num(r, "x_cutoff", 0), ea_report_num(r, "alpha", 0),
              yes_no(ea_report_bool(r, "sanity_passed")));
    if (ea_report_bool(r, "validated") == 0) {
        ea_rw_row(w, "validation (3.1.4.2)|not run: the sanity check failed|%s",
                  yes_no(ea_report_bool(r, "validation_passed")));
    } else {
        char b1[32], b2[32], b3[32], b4[32];
        double hr = ea_report_num(r, "h_r", 0), hc = ea_report_num(r, "h_c", 0);
        ea_rw_row(w, "validation (3.1.4.2)|H_r %s, H_c %s: min(H_r, H_c) %s against H_I/2 = %.6g|%s",
                  num6(r, "h_r", b1), num6(r, "h_c", b2),
                  json_is_number(json_object_get(r, "h_rc_min")) ? num6(r, "h_rc_min", b3)
                                                                 : (snprintf(b3, 32, "%.6f", hr < hc ? hr : hc), b3),
                  ea_report_num(r, "h_i", 0) / 2, yes_no(ea_report_bool(r, "validation_passed")));
        ea_rw_row(w, "validated estimate min(H_r, H_c, H_I)|%s bits per sample|", num6g(r, "h_min", b4));
    }
    ea_rw_row(w, "restart tests|%s|%s", "sanity check and validation",
              yes_no(ea_report_bool(r, "passed")));
    ea_rw_end_table(w);
    restart_estimators(w, r);
    if (w->html)
        restart_plot(w, r);
    ea_rw_h(w, 3, "restart-values", "All restart values");
    kv_table(w, ea_report_get(r, "details"));
}

/* ---------------------------------------------------------------- 7, 8 */
static void health(ea_rw *w, const json_t *d)
{
    const json_t *h = ea_report_get(d, "health");

    ea_rw_h(w, 2, "health", "7. Health tests (section 4.4)");
    if (strcmp(ea_report_str(h, "status", "skipped"), "ran") != 0) {
        ea_rw_p(w, "Not run: %s.", ea_report_str(h, "reason", "skipped"));
        return;
    }
    ea_rw_p(w, "Cutoffs for the claimed H = %.6g bits per sample at a false-positive probability "
               "alpha = 2^-%.0f, replayed over samples.bin: %s.",
            ea_report_num(h, "h", 0), ea_report_num(h, "alpha_log2", 20),
            ea_report_bool(h, "passed") == 1 ? "no test fired" : "a test FIRED");
    kv_table(w, ea_report_get(h, "details"));
}

static void conditioning(ea_rw *w, const json_t *d)
{
    const json_t *c = ea_report_get(d, "conditioning");

    ea_rw_h(w, 2, "conditioning", "8. Conditioning (section 3.1.5)");
    if (strcmp(ea_report_str(c, "status", "not requested"), "ran") != 0) {
        ea_rw_p(w, "Not computed: %s.", ea_report_str(c, "reason", "no --conditioning parameters given"));
        return;
    }
    kv_table(w, ea_report_get(c, "details"));
}

/* ---------------------------------------------------------------- 9 */
static void reproduce(ea_rw *w, const json_t *d)
{
    json_t *cmds = ea_report_get(d, "reproduce"), *c;
    char *all = NULL;
    size_t len = 0, i;
    FILE *m = open_memstream(&all, &len);

    ea_rw_h(w, 2, "reproduce", "9. Reproducing these numbers");
    ea_rw_p(w, "Run from the collection directory; each command prints or writes the numbers of one "
               "section above (seeds and claims as recorded here).");
    if (m == NULL)
        return;
    json_array_foreach(cmds, i, c)
        fprintf(m, "%s%s", i ? "\n" : "", json_string_value(c) ? json_string_value(c) : "?");
    if (fclose(m) == 0 && all != NULL)
        ea_rw_code(w, all);
    free(all);
}

void ea_report_body(ea_rw *w, const json_t *doc)
{
    summary(w, doc);
    collection(w, doc);
    characterisation(w, doc);
    iid(w, doc);
    noniid(w, doc);
    restart(w, doc);
    health(w, doc);
    conditioning(w, doc);
    reproduce(w, doc);
}
