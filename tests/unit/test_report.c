/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_report.c - the assessment report document (reports/report.h):
 * schema check, verdict rules (SP 800-90B §3.1.3, §3.1.4), and the
 * Markdown / HTML / index renderers on a small hand-made document.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *const base_doc =
    "{\"schema\": \"ea90b-report\", \"schema_version\": 1, \"complete\": true,"
    " \"tool\": {\"name\": \"ea90b\", \"version\": \"0.1.0\", \"nist_compat\": \"1.1.7\"},"
    " \"generated\": \"20240101000000\", \"commandline\": \"ea90b assess --claim 2 d\","
    " \"collection\": {\"directory\": \"d\", \"manifest_sha256\": \"00\", \"manifest\": {\"host\": {\"hostname\": \"h<1>\"}},"
    "   \"files\": {\"samples.bin\": {\"bytes\": 10, \"samples\": 10, \"sha256\": \"ab\"}}},"
    " \"claim\": {\"h\": 2.0, \"source\": \"--claim\", \"osr\": null, \"bits_per_sample\": 4},"
    " \"data\": {\"samples\": 1000000, \"bits_per_symbol\": 4, \"histogram\": [1,2,3,4,0,0,0,0,0,0,0,0,0,0,0,0],"
    "   \"autocorrelation\": [0.1, -0.2], \"raw\": null},"
    " \"iid\": {\"seed\": \"5\", \"report\": {\"iid\": false, \"min_entropy\": {\"h_assessed\": 3.5},"
    "   \"permutation\": {\"statistics\": [{\"name\": \"excursion\", \"original\": 1.5, \"C0\": 6, \"C1\": 0, \"C2\": 9,"
    "   \"computed\": true, \"passed\": true}]}}},"
    " \"noniid\": {\"report\": {\"estimators\": {\"literal\": {\"mcv\": {\"mode\": 3, \"h\": 2.5}},"
    "   \"bitstring\": {\"mcv\": {\"mode\": 7, \"h\": 0.75}}},"
    "   \"results\": {\"h_original\": 2.5, \"h_bitstring\": 0.75, \"h_assessed\": 2.5}}},"
    " \"restart\": {\"status\": \"ran\", \"passed\": true, \"x_cutoff\": 30, \"row_max\": [1,2], \"col_max\": [2,1]},"
    " \"health\": {\"status\": \"ran\", \"passed\": true},"
    " \"conditioning\": {\"status\": \"not requested\"},"
    " \"reproduce\": [\"ea90b noniid samples.bin 4\"]}";

static json_t *doc_new(void)
{
    json_t *d = json_loads(base_doc, 0, NULL);
    cr_assert_not_null(d);
    ea_report_verdict(d);
    return d;
}

static char *render(int (*fn)(FILE *, const json_t *), const json_t *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    cr_assert_not_null(f);
    cr_assert_eq(fn(f, d), 0);
    fclose(f);
    return buf;
}

Test(report, schema_accepts_a_complete_document)
{
    json_t *d = doc_new();
    char err[256];

    cr_assert_eq(ea_report_validate(d, err, sizeof err), 0, "%s", err);
    json_decref(d);
}

Test(report, schema_rejects_incomplete_or_foreign_documents)
{
    json_t *d = doc_new();
    char err[256];

    json_object_set_new(d, "complete", json_false());
    cr_assert_eq(ea_report_validate(d, err, sizeof err), -1);
    json_object_set_new(d, "complete", json_true());
    json_object_set_new(d, "schema_version", json_integer(2));
    cr_assert_eq(ea_report_validate(d, err, sizeof err), -1);
    cr_assert(strstr(err, "schema_version") != NULL);
    json_object_set_new(d, "schema_version", json_integer(1));
    json_object_del(ea_report_get(d, "verdict"), "h_assessed");
    cr_assert_eq(ea_report_validate(d, err, sizeof err), -1);
    cr_assert(strstr(err, "verdict.h_assessed") != NULL, "%s", err);
    json_decref(d);
}

Test(report, verdict_uses_the_non_iid_track_when_iid_fails)
{
    json_t *d = doc_new();

    cr_assert_str_eq(ea_report_str(d, "verdict.track", ""), "non-iid");
    cr_assert_float_eq(ea_report_num(d, "verdict.h_assessed", 0), 2.5, 1e-12);
    cr_assert_float_eq(ea_report_num(d, "verdict.h_i", 0), 2.0, 1e-12);
    cr_assert_float_eq(ea_report_num(d, "verdict.h_final", 0), 2.0, 1e-12);
    cr_assert_str_eq(ea_report_str(d, "verdict.status", ""), "PASS");
    json_decref(d);
}

/* §3.1.4.3: a passed restart test validates min(H_r, H_c, H_I), not H_I alone. */
Test(report, verdict_final_estimate_is_the_restart_minimum)
{
    json_t *d = doc_new();

    json_object_set_new(ea_report_get(d, "restart"), "h_min", json_real(1.25));
    ea_report_verdict(d);
    cr_assert_float_eq(ea_report_num(d, "verdict.h_i", 0), 2.0, 1e-12);
    cr_assert_float_eq(ea_report_num(d, "verdict.h_final", 0), 1.25, 1e-12);
    cr_assert_str_eq(ea_report_str(d, "verdict.status", ""), "PASS");
    json_object_set_new(ea_report_get(d, "restart"), "h_min", json_real(2.0));
    ea_report_verdict(d);
    cr_assert_float_eq(ea_report_num(d, "verdict.h_final", 0), 2.0, 1e-12);
    json_decref(d);
}

Test(report, verdict_fails_a_claim_above_the_assessment_and_a_failed_restart)
{
    json_t *d = doc_new();

    json_object_set_new(ea_report_get(d, "claim"), "h", json_real(3.0));
    ea_report_verdict(d);
    cr_assert_str_eq(ea_report_str(d, "verdict.status", ""), "FAIL");
    cr_assert_eq(ea_report_bool(d, "verdict.claim_supported"), 0);
    json_object_set_new(ea_report_get(d, "claim"), "h", json_real(1.0));
    json_object_set_new(ea_report_get(d, "restart"), "passed", json_false());
    ea_report_verdict(d);
    cr_assert_str_eq(ea_report_str(d, "verdict.status", ""), "FAIL");
    cr_assert_float_eq(ea_report_num(d, "verdict.h_final", 1), 0.0, 1e-12);
    json_object_del(d, "restart");
    ea_report_verdict(d);
    cr_assert_str_eq(ea_report_str(d, "verdict.status", ""), "INCOMPLETE");
    json_decref(d);
}

Test(report, markdown_has_every_section)
{
    json_t *d = doc_new();
    char *md = render(ea_report_md, d);
    const char *want[] = { "## 1. Summary", "## 2. Data collection", "## 3. Raw data", "## 4. IID testing",
                           "## 5. Non-IID", "## 6. Restart", "## 7. Health", "## 8. Conditioning",
                           "## 9. Reproducing", "| excursion | 1.5 | 6 | 0 | 9 | pass |", "h<1>" };

    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert(strstr(md, want[i]) != NULL, "missing %s", want[i]);
    free(md);
    json_decref(d);
}

Test(report, html_is_escaped_self_contained_and_has_plots)
{
    json_t *d = doc_new();
    char *h = render(ea_report_html, d);

    cr_assert(strstr(h, "h&lt;1&gt;") != NULL);
    cr_assert(strstr(h, "h<1>") == NULL);
    cr_assert(strstr(h, "<title>Symbol histogram") != NULL);
    cr_assert(strstr(h, "<title>Restart matrix") != NULL);
    cr_assert(strstr(h, "<title>Each estimator against the claim") != NULL);
    cr_assert(strstr(h, "<script") == NULL);
    cr_assert(strstr(h, "nan") == NULL && strstr(h, "inf\"") == NULL);
    free(h);
    json_decref(d);
}

static int index_md(FILE *f, const json_t *d)
{
    const json_t *docs[2] = { d, d };
    const char *names[2] = { "a", "b" };
    return ea_report_index_md(f, docs, names, NULL, 2);
}

static int index_html(FILE *f, const json_t *d)
{
    const json_t *docs[2] = { d, d };
    const char *names[2] = { "a", "b" };
    return ea_report_index_html(f, docs, names, NULL, 2);
}

Test(report, index_sets_collections_side_by_side)
{
    json_t *d = doc_new();
    char *md = render(index_md, d), *h = render(index_html, d);

    cr_assert(strstr(md, "| a | h<1> |") != NULL, "%s", md);
    cr_assert(strstr(md, "| b | h<1> |") != NULL);
    cr_assert(strstr(h, "<title>Assessed min-entropy per collection") != NULL);
    cr_assert(strstr(h, "href=\"b/report/report.html\"") != NULL);
    free(md);
    free(h);
    json_decref(d);
}

Test(report, index_links_and_host_facts_from_the_collector_layout)
{
    json_t *d = doc_new();
    json_t *host = ea_report_get(d, "collection.manifest.host");
    const json_t *docs[1] = { d };
    const char *names[1] = { "/abs/col" }, *links[1] = { "../col" };
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    json_object_set_new(host, "cpu", json_pack("{s:s,s:i}", "model_name", "Zen 9", "logical_cores", 12));
    json_object_set_new(host, "kernel", json_pack("{s:s}", "release", "6.9.1"));
    json_object_set_new(host, "virtualization", json_pack("{s:s}", "detected", "kvm"));
    f = open_memstream(&buf, &len);
    cr_assert_eq(ea_report_index_html(f, docs, names, links, 1), 0);
    fclose(f);
    cr_assert(strstr(buf, "href=\"../col/report/report.html\"") != NULL, "%s", buf);
    cr_assert(strstr(buf, "<td>Zen 9</td><td>12</td><td>6.9.1</td><td>kvm</td>") != NULL, "%s", buf);
    free(buf);
    json_decref(d);
}

Test(report, fewer_than_a_million_samples_is_incomplete_with_a_warning)
{
    json_t *d = doc_new();
    char *md;

    json_object_set_new(ea_report_get(d, "data"), "samples", json_integer(999999));
    ea_report_verdict(d);
    cr_assert_str_eq(ea_report_str(d, "verdict.status", ""), "INCOMPLETE");
    cr_assert_eq(ea_report_bool(d, "verdict.enough_samples"), 0);
    md = render(ea_report_md, d);
    cr_assert(strstr(md, "WARNING: only 999999 samples") != NULL);
    cr_assert(strstr(md, "section 3.1.1 requires at least 1,000,000") != NULL);
    free(md);
    json_decref(d);
}

Test(report, restart_section_shows_estimators_and_the_compared_minimum)
{
    json_t *d = doc_new();
    json_t *r = ea_report_get(d, "restart");
    char *md;

    json_object_set_new(r, "validated", json_true());
    json_object_set_new(r, "h_i", json_real(2.0));
    json_object_set_new(r, "h_r", json_real(3.25));
    json_object_set_new(r, "h_c", json_real(3.5));
    json_object_set_new(r, "h_rc_min", json_real(3.25));
    json_object_set_new(r, "h_min", json_real(2.0));
    json_object_set_new(r, "estimators", json_pack("[{s:s,s:s,s:f,s:f}]", "estimator", "lag", "name",
                                                   "Lag prediction (6.3.8)", "rows", 3.25, "cols", 3.5));
    md = render(ea_report_md, d);
    cr_assert(strstr(md, "min(H_r, H_c) 3.250000 against H_I/2 = 1") != NULL, "%s", md);
    cr_assert(strstr(md, "| validated estimate min(H_r, H_c, H_I) | 2 bits per sample |") != NULL);
    cr_assert(strstr(md, "| Lag prediction (6.3.8) | 3.250000 | 3.500000 |") != NULL);
    free(md);
    json_decref(d);
}

Test(report, markdown_cells_escape_bars_and_long_rows_are_whole)
{
    json_t *d = doc_new();
    char *md, *h, *longv = malloc(20001);

    cr_assert_not_null(longv);
    memset(longv, 'x', 20000);
    longv[20000] = '\0';
    longv[19999] = 'Z';
    json_object_set_new(ea_report_get(d, "collection.manifest"), "command_line", json_string("collect | tee log"));
    json_object_set_new(ea_report_get(d, "collection.manifest.host"), "note", json_string(longv));
    md = render(ea_report_md, d);
    h = render(ea_report_html, d);
    cr_assert(strstr(md, "| collected by | collect \\| tee log |") != NULL, "%s", md);
    cr_assert(strstr(h, "<td>collect | tee log</td>") != NULL);
    cr_assert(strstr(md, "xxxxZ |") != NULL, "long row truncated");
    cr_assert(strstr(h, "xxxxZ</td>") != NULL, "long HTML cell truncated");
    free(md);
    free(h);
    free(longv);
    json_decref(d);
}

Test(report, restart_plot_has_integer_ticks_and_a_legend_clear_of_the_title)
{
    json_t *d = doc_new();
    json_t *r = ea_report_get(d, "restart");
    char *h;

    json_object_set_new(r, "row_max", json_pack("[i,i,i,i,i,i,i]", 3, 7, 5, 6, 4, 9, 5));
    json_object_set_new(r, "col_max", json_pack("[i,i,i,i,i,i,i]", 4, 6, 5, 8, 4, 5, 7));
    h = render(ea_report_html, d);
    cr_assert(strstr(h, "<title>Restart matrix") != NULL);
    {
        const char *svg = strstr(h, "<title>Restart matrix");
        const char *end = strstr(svg, "</svg>");
        for (const char *p = strstr(svg, "text-anchor=\"middle\">"); p != NULL && p < end;
             p = strstr(p + 1, "text-anchor=\"middle\">")) {
            const char *v = p + strlen("text-anchor=\"middle\">");
            if (*v >= '0' && *v <= '9')
                cr_assert(strspn(v, "0123456789") == strcspn(v, "<"), "non-integer tick %.12s", v);
        }
        cr_assert(strstr(svg, "<rect x=\"4\" y=\"243\"") != NULL && strstr(svg, "<rect x=\"4\" y=\"243\"") < end);
    }
    free(h);
    json_decref(d);
}

/* SP 800-90B §3.1.1-3.1.2: the IID track needs the submitter's claim. */
Test(report, the_iid_track_needs_the_claim_and_the_tests)
{
    json_t *d = doc_new();

    json_object_set_new(ea_report_get(d, "iid.report"), "iid", json_true());
    ea_report_verdict(d);
    cr_assert_str_eq(ea_report_str(d, "verdict.track", ""), "non-iid", "no claim: non-IID decides");
    cr_assert_eq(ea_report_bool(d, "verdict.iid_passed"), 1);
    cr_assert_float_eq(ea_report_num(d, "verdict.h_assessed", 0), 2.5, 1e-12);
    json_object_set_new(ea_report_get(d, "claim"), "iid", json_true());
    ea_report_verdict(d);
    cr_assert_str_eq(ea_report_str(d, "verdict.track", ""), "iid");
    cr_assert_float_eq(ea_report_num(d, "verdict.h_assessed", 0), 3.5, 1e-12);
    json_object_set_new(ea_report_get(d, "iid.report"), "iid", json_false());
    ea_report_verdict(d);
    cr_assert_str_eq(ea_report_str(d, "verdict.track", ""), "non-iid", "a refuted claim falls back");
    cr_assert(strstr(ea_report_str(d, "verdict.track_reason", ""), "not supported") != NULL);
    json_decref(d);
}

/* No report shows "-0": a value that rounds to zero from below is printed unsigned. */
Test(report, no_negative_zero_is_printed)
{
    json_t *d = doc_new();
    char *md, *html;

    json_object_set_new(ea_report_get(d, "data"), "autocorrelation",
                        json_pack("[f,f,f]", -0.00001, -0.25, 0.0));
    md = render(ea_report_md, d);
    html = render(ea_report_html, d);
    cr_assert(strstr(md, "1: 0.0000, 2: -0.2500, 3: 0.0000") != NULL, "%s", strstr(md, "1: "));
    cr_assert(strstr(md, "-0.0000") == NULL);
    cr_assert(strstr(html, "-0.0000") == NULL);
    free(md);
    free(html);
    json_decref(d);
}
