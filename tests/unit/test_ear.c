/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ear.c - the Entropy Assessment Report draft and the Public Use
 * Document skeleton (reports/ear.h): rounding for people (6 significant
 * digits, no "nan", no "-0"), the SP 800-90B requirement map (every
 * statement placed; statuses follow the IID claim, the conditioning, the
 * restart data and the claim against the estimate), the plots, and the
 * Markdown / HTML renders of hand-made report.json documents (every section
 * title, the vendor marks, the built-in model warning).
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ear.h"
#include "report.h"

/* One collection as `ea90b assess` writes it, trimmed: a built-in model (jent), non-IID, restart and
 * health tests run, no conditioning. */
static const char *const base_doc =
    "{\"schema\": \"ea90b-report\", \"schema_version\": 1, \"complete\": true,"
    " \"tool\": {\"name\": \"ea90b\", \"version\": \"0.1.0\", \"nist_compat\": \"1.1.7\"},"
    " \"generated\": \"2026-01-01T00:00:00Z\", \"commandline\": \"ea90b assess --osr 3 col\","
    " \"collection\": {\"directory\": \"col\", \"manifest_sha256\": \"00ff\","
    "   \"manifest\": {\"command_line\": \"ea90b collect -o col\", \"start_time\": \"2026-01-01T00:00:00Z\","
    "     \"end_time\": \"2026-01-01T00:00:10Z\","
    "     \"host\": {\"hostname\": \"lab_1\", \"arch\": \"x86_64\", \"cpu\": {\"model_name\": \"CPU <X>\", \"vendor\": \"V\","
    "       \"family\": 6, \"model\": 1, \"logical_cores\": 4, \"smt\": false, \"microcode\": \"0x1\"},"
    "       \"kernel\": {\"sysname\": \"Linux\", \"release\": \"6.1.0\"}, \"virtualization\": {\"detected\": \"none\"},"
    "       \"cache\": {\"l1d\": 32768, \"l2\": 1048576, \"l3\": 0}, \"affinity\": {\"cpus\": \"0-3\", \"count\": 4}},"
    "     \"source\": {\"name\": \"jent\", \"timer\": \"rdtsc\", \"timer_ticks_per_ns\": 2.5},"
    "     \"extraction\": {\"mask\": \"0xff\", \"bits\": 8, \"divisor\": 1},"
    "     \"samples\": 1000000, \"restarts\": {\"rows\": 1000, \"cols\": 1000, \"mode\": \"exec\"}},"
    "   \"files\": {\"samples.bin\": {\"bytes\": 1000000, \"samples\": 1000000, \"sha256\": \"ab\"},"
    "               \"restart.bin\": {\"bytes\": 1000000, \"samples\": 1000000, \"sha256\": \"cd\"}}},"
    " \"claim\": {\"h\": 0.3333333333333333, \"source\": \"--osr\", \"osr\": 3, \"bits_per_sample\": 8, \"iid\": false},"
    " \"data\": {\"file\": \"samples.bin\", \"samples\": 1000000, \"bits_per_symbol\": 8, \"alphabet_size\": 129,"
    "   \"min\": 0, \"max\": 254, \"mean\": 126.447365, \"max_share\": 0.054276,"
    "   \"histogram\": [5, 0, 7, 1], \"autocorrelation\": [-0.0154, 0.0325, 0.0627],"
    "   \"raw\": {\"file\": \"raw.u64\", \"count\": 1000000, \"min\": 7098, \"max\": 527618, \"mean\": 11345.69,"
    "     \"stretch\": [67834, 31044, 14014]}},"
    " \"iid\": {\"seed\": \"42\", \"seed_source\": \"--seed\", \"permutation_skipped\": true,"
    "   \"report\": {\"iid\": false, \"min_entropy\": {\"h_original\": 4.1881, \"h_bitstring\": 0.8294, \"h_assessed\": 4.1881},"
    "     \"chi_square\": {\"independence\": {\"score\": 1, \"df\": 2, \"p_value\": 0.0, \"passed\": false}},"
    "     \"lrs_test\": {\"W\": 5, \"p_x_ge_1\": 0.5, \"passed\": true}, \"permutation\": {\"permutations_run\": 0}}},"
    " \"noniid\": {\"report\": {\"estimators\": {\"literal\": {\"mcv\": {\"h\": 4.1881}, \"t_tuple\": {\"h\": 1.2162327598296991}},"
    "   \"bitstring\": {\"mcv\": {\"h\": 0.8294}, \"lag\": {\"h\": 0.178835}}},"
    "   \"results\": {\"h_original\": 1.2162327598296991, \"h_bitstring\": 0.178835, \"h_assessed\": 1.2162327598296991}}},"
    " \"restart\": {\"status\": \"ran\", \"file\": \"restart.bin\", \"h_i\": 0.3333333333333333, \"alpha\": 5.0e-06,"
    "   \"x_cutoff\": 848, \"x_max\": 516, \"sanity_passed\": true, \"validated\": true, \"h_r\": 1.22, \"h_c\": 2.28,"
    "   \"h_rc_min\": 1.22, \"h_min\": 0.3333333333333333, \"validation_passed\": true, \"passed\": true,"
    "   \"estimators\": [{\"estimator\": \"mcv\", \"name\": \"Most Common Value (6.3.1)\", \"rows\": 3.26, \"cols\": 3.27}],"
    "   \"row_max\": [20, 21, 27], \"col_max\": [17, 24, 33], \"details\": {\"validation_mode\": \"non-IID\"}},"
    " \"health\": {\"status\": \"ran\", \"h\": 0.3333333333333333, \"alpha_log2\": 20, \"binary\": false,"
    "   \"rct_cutoff\": 61, \"apt_window\": 512, \"apt_cutoff\": 449, \"rct_failures\": 0, \"apt_failures\": 0,"
    "   \"passed\": true, \"details\": {\"alpha\": 9.5367431640625e-07, \"rct_cutoff\": 61, \"apt_window\": 512,"
    "     \"apt_cutoff\": 449, \"samples\": 1000000, \"longest_run\": 13, \"rct_failures\": 0,"
    "     \"rct_expected_false_positives\": 0.1967, \"rct_allowed\": 5, \"apt_windows\": 1953, \"max_apt_count\": 157,"
    "     \"apt_failures\": 0, \"apt_expected_false_positives\": 0.0012, \"apt_allowed\": 1}},"
    " \"conditioning\": {\"status\": \"not requested\", \"reason\": \"no --conditioning parameters given\"},"
    " \"reproduce\": [\"ea90b verify .\", \"ea90b noniid samples.bin 8\"]}";

static const char *const conditioning_vetted =
    "{\"status\": \"ran\", \"parameters\": \"vetted,512,256,256\", \"h_out\": 128,"
    " \"details\": {\"type\": \"vetted (3.1.5.1.1)\", \"n_in\": 512, \"n_out\": 256, \"nw\": 256, \"n\": 256,"
    "   \"h_in\": 21.333333333333332, \"h_in_derived\": true, \"output_entropy\": 21.3, \"h_out\": 21.3,"
    "   \"h_out_per_bit\": 0.083}}";

static json_t *doc_new(void)
{
    json_error_t e;
    json_t *d = json_loads(base_doc, 0, &e);

    cr_assert_not_null(d, "%s (line %d)", e.text, e.line);
    ea_report_verdict(d);
    return d;
}

/* Set the member at a dotted path of existing objects (v is stolen). */
static void set(json_t *d, const char *path, json_t *v)
{
    char buf[128], *dot;
    json_t *o = d;

    snprintf(buf, sizeof buf, "%s", path);
    dot = strrchr(buf, '.');
    if (dot != NULL) {
        *dot = '\0';
        o = ea_report_get(d, buf);
    }
    cr_assert(json_is_object(o), "no object for %s", path);
    json_object_set_new(o, dot != NULL ? dot + 1 : buf, v);
}

typedef struct {
    json_t *docs[4];
    const char *dirs[4];
    ea_ear_input in;
} fixture;

static void fixture_init(fixture *fx, size_t n)
{
    static const char *const names[4] = { "col", "lab 2/col's", "c3", "c4" };

    cr_assert(n >= 1 && n <= 4);
    for (size_t i = 0; i < n; i++) {
        fx->docs[i] = doc_new();
        fx->dirs[i] = names[i];
    }
    fx->in = (ea_ear_input){ (const json_t *const *)fx->docs, fx->dirs, n, "2026-01-02T00:00:00Z", "0.1.0" };
}

static void fixture_done(fixture *fx)
{
    for (size_t i = 0; i < fx->in.n; i++)
        json_decref(fx->docs[i]);
}

static void reverdict(fixture *fx)
{
    for (size_t i = 0; i < fx->in.n; i++)
        ea_report_verdict(fx->docs[i]);
}

static char *render(int (*fn)(FILE *, const ea_ear_input *), const ea_ear_input *in)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    cr_assert_not_null(f);
    cr_assert_eq(fn(f, in), 0);
    fclose(f);
    return buf;
}

/* tok in s as a word of its own: no letter, digit, '.' or '-' either side. */
static int has_token(const char *s, const char *tok)
{
    size_t n = strlen(tok);

    for (const char *p = strstr(s, tok); p != NULL; p = strstr(p + 1, tok)) {
        int before = p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '-');
        int after = isalnum((unsigned char)p[n]) || p[n] == '.';
        if (!before && !after)
            return 1;
    }
    return 0;
}

static void assert_clean_numbers(const char *s)
{
    cr_assert(!has_token(s, "nan") && !has_token(s, "NaN") && !has_token(s, "-nan"), "a nan was printed");
    cr_assert(!has_token(s, "inf") && !has_token(s, "-inf") && !has_token(s, "Infinity"), "an inf was printed");
    cr_assert(!has_token(s, "-0"), "a -0 was printed");
}

/* The requirement of SP 800-90B section sec whose text contains word. */
static const ea_shall_req *req(const char *sec, const char *word)
{
    const ea_shall_req *r;

    for (size_t i = 0; (r = ea_shall_at(i)) != NULL; i++)
        if (strcmp(r->section, sec) == 0 && strstr(r->text, word) != NULL)
            return r;
    cr_assert_fail("no requirement %s '%s'", sec, word);
    return NULL;
}

static ea_shall_status eval(const fixture *fx, const char *sec, const char *word)
{
    char why[512];
    ea_shall_status s = ea_shall_eval(req(sec, word), &fx->in, why, sizeof why);

    cr_assert(why[0] != '\0', "no note for %s '%s'", sec, word);
    return s;
}

/* ------------------------------------------------------------ numbers */

Test(ear, numbers_have_six_significant_digits_and_no_nan_or_minus_zero)
{
    char b[32];

    cr_assert_str_eq(ea_ear_num(1.0, b), "1");
    cr_assert_str_eq(ea_ear_num(1000000.0, b), "1000000");
    cr_assert_str_eq(ea_ear_num(1.2162327598296991, b), "1.21623");
    cr_assert_str_eq(ea_ear_num(0.3333333333333333, b), "0.333333");
    cr_assert_str_eq(ea_ear_num(123456.789, b), "123457");
    cr_assert_str_eq(ea_ear_num(1234567.8, b), "1234568");
    cr_assert_str_eq(ea_ear_num(9.5367431640625e-07, b), "9.53674e-07");
    cr_assert_str_eq(ea_ear_num(-0.0154362, b), "-0.0154362");
    cr_assert_str_eq(ea_ear_num(-3.0, b), "-3");
    cr_assert_str_eq(ea_ear_num(-0.0, b), "0");
    cr_assert_str_eq(ea_ear_num(0.0, b), "0");
    cr_assert_str_eq(ea_ear_num(NAN, b), "n/a");
    cr_assert_str_eq(ea_ear_num(INFINITY, b), "n/a");
    cr_assert_str_eq(ea_ear_num(-INFINITY, b), "n/a");
    cr_assert_str_eq(ea_ear_num(1e300, b), "1e+300");
    cr_assert_str_eq(ea_ear_num(-1e300, b), "-1e+300");
}

Test(ear, numbers_at_a_path)
{
    json_t *d = doc_new();
    char b[32];

    cr_assert_str_eq(ea_ear_at(d, "verdict.h_assessed", b), "1.21623");
    cr_assert_str_eq(ea_ear_at(d, "data.samples", b), "1000000");
    cr_assert_str_eq(ea_ear_at(d, "no.such.path", b), "n/a");
    cr_assert_str_eq(ea_ear_at(d, "collection.directory", b), "n/a");
    json_decref(d);
}

Test(ear, markdown_escapes_and_shell_quotes)
{
    ea_rw md = { stdout, 0, 0, 0 }, html = { stdout, 1, 0, 0 };
    char b[64];

    cr_assert_str_eq(ea_ear_esc(&md, "a_b*[c]<d>", b, sizeof b), "a\\_b\\*\\[c\\]\\<d\\>");
    cr_assert_str_eq(ea_ear_esc(&html, "a_b", b, sizeof b), "a_b");
    cr_assert_str_eq(ea_ear_shq("/tmp/col-1", b, sizeof b), "/tmp/col-1");
    cr_assert_str_eq(ea_ear_shq("lab 2/col's", b, sizeof b), "'lab 2/col'\\''s'");
    cr_assert_str_eq(ea_ear_shq("", b, sizeof b), "''");
}

/* ------------------------------------------------------------ the requirement map */

Test(ear, every_requirement_is_placed)
{
    const ea_shall_req *r;
    size_t n = 0;

    for (; (r = ea_shall_at(n)) != NULL; n++) {
        cr_assert(r->section != NULL && (r->section[0] == '3' || r->section[0] == '4') && r->section[1] == '.',
                  "requirement %zu: section %s", n, r->section);
        cr_assert(r->text != NULL && strlen(r->text) > 20, "requirement %zu has no text", n);
        cr_assert(r->ear_section >= 1 && r->ear_section < EA_EAR_SECTIONS, "requirement %zu: EAR section %d", n,
                  r->ear_section);
        cr_assert_not_null(ea_ear_section_title(r->ear_section));
    }
    cr_assert(n >= 30 && n <= 45, "%zu requirements", n);
    cr_assert_null(ea_shall_at(n + 1));
    /* every part of sections 3 and 4 the report must address */
    const char *const want[] = { "3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.4.2", "3.1.4.3", "3.1.5", "3.1.5.1.1",
                                 "3.1.5.2", "3.1.6", "3.2.1", "3.2.2", "3.2.3", "3.2.4", "4.3", "4.4.1", "4.4.2",
                                 "4.5" };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        int found = 0;
        for (size_t i = 0; (r = ea_shall_at(i)) != NULL; i++)
            found |= strcmp(r->section, want[k]) == 0;
        cr_assert(found, "no requirement for section %s", want[k]);
    }
}

Test(ear, status_names_are_distinct)
{
    for (int a = EA_SHALL_MET; a <= EA_SHALL_MISSING; a++)
        for (int b = a + 1; b <= EA_SHALL_MISSING; b++)
            cr_assert_str_neq(ea_shall_status_name((ea_shall_status)a), ea_shall_status_name((ea_shall_status)b));
    cr_assert_str_eq(ea_shall_status_name(EA_SHALL_NOT_MET), "NOT MET");
    cr_assert_str_eq(ea_shall_status_name(EA_SHALL_MISSING), "MISSING");
}

Test(ear, iid_statements_follow_the_claim)
{
    fixture fx;

    fixture_init(&fx, 1);
    cr_assert_eq(eval(&fx, "3.1.2", "IID test"), EA_SHALL_NA);
    cr_assert_eq(eval(&fx, "3.1.3", "most common value"), EA_SHALL_NA);
    cr_assert_eq(eval(&fx, "3.1.3", "section 6.3"), EA_SHALL_MET);
    set(fx.docs[0], "claim.iid", json_true());
    reverdict(&fx);
    cr_assert_eq(eval(&fx, "3.1.2", "IID test"), EA_SHALL_NOT_MET);
    set(fx.docs[0], "iid.report.iid", json_true());
    reverdict(&fx);
    cr_assert_eq(eval(&fx, "3.1.2", "IID test"), EA_SHALL_MET);
    cr_assert_eq(eval(&fx, "3.1.3", "most common value"), EA_SHALL_MET);
    fixture_done(&fx);
}

Test(ear, conditioning_statements_follow_the_conditioning)
{
    fixture fx;

    fixture_init(&fx, 1);
    cr_assert_eq(eval(&fx, "3.1.5", "h_out"), EA_SHALL_NA);
    cr_assert_eq(eval(&fx, "3.1.5.1.1", "vetted"), EA_SHALL_NA);
    cr_assert_eq(eval(&fx, "3.1.5.2", "non-vetted"), EA_SHALL_NA);
    cr_assert_eq(eval(&fx, "3.2.3", "conditioning"), EA_SHALL_NA);
    set(fx.docs[0], "conditioning", json_loads(conditioning_vetted, 0, NULL));
    cr_assert_eq(eval(&fx, "3.1.5", "h_out"), EA_SHALL_MET);
    cr_assert_eq(eval(&fx, "3.1.5", "credited"), EA_SHALL_MET);
    cr_assert_eq(eval(&fx, "3.1.5.1.1", "vetted"), EA_SHALL_PARTLY);
    cr_assert_eq(eval(&fx, "3.1.5.2", "non-vetted"), EA_SHALL_NA);
    cr_assert_eq(eval(&fx, "3.2.3", "conditioning"), EA_SHALL_VENDOR);
    set(fx.docs[0], "conditioning.parameters", json_string("nonvetted,512,256,256,0.9"));
    set(fx.docs[0], "conditioning.details.h_prime", json_real(0.9));
    cr_assert_eq(eval(&fx, "3.1.5.1.1", "vetted"), EA_SHALL_NA);
    cr_assert_eq(eval(&fx, "3.1.5.2", "non-vetted"), EA_SHALL_PARTLY);
    set(fx.docs[0], "conditioning.details.h_in", json_real(400)); /* more than 512 bits of samples hold */
    cr_assert_eq(eval(&fx, "3.1.5", "credited"), EA_SHALL_NOT_MET);
    fixture_done(&fx);
}

Test(ear, restart_statements_missing_failed_and_met)
{
    fixture fx;

    fixture_init(&fx, 2);
    cr_assert_eq(eval(&fx, "3.1.4.3", "Sanity"), EA_SHALL_MET);
    cr_assert_eq(eval(&fx, "3.1.4.2", "Validation"), EA_SHALL_MET);
    cr_assert_eq(eval(&fx, "3.1.4", "1000 x 1000"), EA_SHALL_MET);
    set(fx.docs[1], "restart", json_pack("{s:s, s:s}", "status", "skipped", "reason", "the collection has no restart.bin"));
    reverdict(&fx);
    cr_assert_eq(eval(&fx, "3.1.4", "1000 x 1000"), EA_SHALL_MISSING);
    cr_assert_eq(eval(&fx, "3.1.4.3", "Sanity"), EA_SHALL_MISSING);
    cr_assert_eq(eval(&fx, "3.1.4.1", "afresh"), EA_SHALL_MISSING);
    set(fx.docs[0], "restart.sanity_passed", json_false());
    set(fx.docs[0], "restart.validated", json_false());
    set(fx.docs[0], "restart.passed", json_false());
    reverdict(&fx);
    cr_assert_eq(eval(&fx, "3.1.4.3", "Sanity"), EA_SHALL_NOT_MET);  /* NOT MET outranks MISSING */
    cr_assert_eq(eval(&fx, "3.1.4.2", "Validation"), EA_SHALL_NOT_MET);
    cr_assert_eq(eval(&fx, "3.1.4", "min(H_r"), EA_SHALL_NOT_MET);
    fixture_done(&fx);
}

Test(ear, claim_above_the_estimate_is_not_met)
{
    fixture fx;
    char why[512];

    fixture_init(&fx, 1);
    cr_assert_eq(eval(&fx, "3.1.3", "H_I"), EA_SHALL_MET);
    set(fx.docs[0], "claim.h", json_real(2.0));
    reverdict(&fx);
    cr_assert_eq(ea_shall_eval(req("3.1.3", "H_I"), &fx.in, why, sizeof why), EA_SHALL_NOT_MET);
    cr_assert(strstr(why, "EXCEEDS") != NULL, "%s", why);
    cr_assert_eq(eval(&fx, "3.2.2", "H_submitter"), EA_SHALL_PARTLY);
    fixture_done(&fx);
}

Test(ear, provenance_and_samples_statements)
{
    fixture fx;

    fixture_init(&fx, 1);
    cr_assert_eq(eval(&fx, "3.1.1", "raw output"), EA_SHALL_NOT_MET);  /* a built-in model */
    cr_assert_eq(eval(&fx, "3.1.1", "1,000,000"), EA_SHALL_MET);
    cr_assert_eq(eval(&fx, "3.2.4", "file by file"), EA_SHALL_MET);
    cr_assert_eq(eval(&fx, "4.4.1", "Repetition"), EA_SHALL_MET);
    cr_assert_eq(eval(&fx, "4.3", "Start-up"), EA_SHALL_VENDOR);
    set(fx.docs[0], "collection.manifest.source", json_pack("{s:s, s:{s:s, s:s}}", "name", "exec", "executable",
                                                            "path", "/opt/rec", "sha256", "ee"));
    set(fx.docs[0], "data.samples", json_integer(100000));
    cr_assert_eq(eval(&fx, "3.1.1", "raw output"), EA_SHALL_PARTLY);
    cr_assert_eq(eval(&fx, "3.1.1", "1,000,000"), EA_SHALL_NOT_MET);
    set(fx.docs[0], "health", json_pack("{s:s, s:s}", "status", "error", "reason", "claim too small"));
    cr_assert_eq(eval(&fx, "4.4.1", "Repetition"), EA_SHALL_MISSING);
    fixture_done(&fx);
}

/* ------------------------------------------------------------ plots */

Test(ear, plots_exist_when_the_report_has_their_data)
{
    fixture fx;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    fixture_init(&fx, 1);
    cr_assert_null(ea_ear_plot_name(EA_EAR_PLOTS));
    for (size_t k = 0; k < EA_EAR_PLOTS; k++)
        for (size_t j = k + 1; j < EA_EAR_PLOTS; j++)
            cr_assert_str_neq(ea_ear_plot_name(k), ea_ear_plot_name(j));
    cr_assert_eq(ea_ear_plot_has(&fx.in, 0, EA_EAR_PLOT_HISTOGRAM), 1);
    cr_assert_eq(ea_ear_plot_has(&fx.in, 0, EA_EAR_PLOT_ESTIMATORS), 1);
    cr_assert_eq(ea_ear_plot_has(&fx.in, 0, EA_EAR_PLOT_RESTART), 1);
    cr_assert_eq(ea_ear_plot_has(&fx.in, 0, EA_EAR_PLOT_SERIES), 0);
    cr_assert_eq(ea_ear_plot_has(&fx.in, 1, EA_EAR_PLOT_HISTOGRAM), 0);
    f = open_memstream(&buf, &len);
    cr_assert_eq(ea_ear_plot_svg(f, &fx.in, 0, EA_EAR_PLOT_RESTART), 0);
    cr_assert_eq(ea_ear_plot_svg(f, &fx.in, 0, EA_EAR_PLOT_SERIES), -1);
    fclose(f);
    cr_assert(strncmp(buf, "<?xml", 5) == 0);
    cr_assert(strstr(buf, "<svg xmlns=\"http://www.w3.org/2000/svg\"") != NULL);
    cr_assert(strstr(buf, "[built-in model]") != NULL, "a model's plot says so");
    cr_assert(strstr(buf, "</svg>") != NULL);
    free(buf);
    set(fx.docs[0], "restart", json_pack("{s:s}", "status", "skipped"));
    cr_assert_eq(ea_ear_plot_has(&fx.in, 0, EA_EAR_PLOT_RESTART), 0);
    fixture_done(&fx);
}

/* ------------------------------------------------------------ renders */

static void assert_every_section(const char *s, int md)
{
    char want[128];

    for (int k = 1; k < EA_EAR_SECTIONS; k++) {
        snprintf(want, sizeof want, md ? "## %d. %s\n" : ">%d. %s</h2>", k, ea_ear_section_title(k));
        cr_assert(strstr(s, want) != NULL, "missing section '%s'", want);
    }
}

Test(ear, markdown_draft_has_every_section_vendor_marks_and_the_model_warning)
{
    fixture fx;
    char *md;

    fixture_init(&fx, 1);
    md = render(ea_ear_md, &fx.in);
    cr_assert(strncmp(md, EA_EAR_MD_MARK, strlen(EA_EAR_MD_MARK)) == 0);
    assert_every_section(md, 1);
    cr_assert(strstr(md, "**" EA_EAR_VENDOR_MARK ":**") != NULL);
    cr_assert(strstr(md, "WARNING: the samples of OE 1 come from a built-in model") != NULL);
    cr_assert(strstr(md, "[built-in model]") != NULL);
    cr_assert(strstr(md, "Not applicable: no conditioning component") != NULL);
    cr_assert(strstr(md, "](plots/oe1-histogram.svg)") != NULL);
    cr_assert(strstr(md, "](plots/oe1-restart.svg)") != NULL);
    cr_assert(strstr(md, "plots/oe1-series.svg") == NULL);
    cr_assert(strstr(md, "1.21623") != NULL && strstr(md, "1.2162327") == NULL, "6 significant digits");
    cr_assert(strstr(md, "| 61 | 512 | 449 |") != NULL, "the health-test cutoffs");
    cr_assert(strstr(md, "lab\\_1") != NULL, "report strings are escaped");
    cr_assert(strstr(md, "ea90b collect -o col") != NULL);
    cr_assert(strstr(md, "cd col\nea90b verify .\nea90b noniid samples.bin 8") != NULL);
    assert_clean_numbers(md);
    free(md);
    fixture_done(&fx);
}

Test(ear, html_draft_is_printable_and_holds_the_plots)
{
    fixture fx;
    char *h;

    fixture_init(&fx, 2);
    set(fx.docs[1], "conditioning", json_loads(conditioning_vetted, 0, NULL));
    set(fx.docs[1], "restart", json_pack("{s:s, s:s}", "status", "skipped", "reason", "the collection has no restart.bin"));
    set(fx.docs[1], "claim.h", json_real(2.0));
    reverdict(&fx);
    h = render(ea_ear_html, &fx.in);
    cr_assert(strncmp(h, "<!DOCTYPE html>", 15) == 0);
    assert_every_section(h, 0);
    cr_assert(strstr(h, "@page") != NULL);
    cr_assert(strstr(h, "<div class=\"vendor\"><b>" EA_EAR_VENDOR_MARK ":</b>") != NULL);
    cr_assert(strstr(h, "<svg xmlns=") != NULL);
    cr_assert(strstr(h, "plots/oe") == NULL, "HTML holds its plots inline");
    cr_assert(strstr(h, "CPU &lt;X&gt;") != NULL && strstr(h, "CPU <X>") == NULL);
    cr_assert(strstr(h, "<script") == NULL);
    cr_assert(strstr(h, "NOT MET") != NULL);
    cr_assert(strstr(h, "MISSING") != NULL);
    cr_assert(strstr(h, "vetted (3.1.5.1.1)") != NULL);
    cr_assert(strstr(h, "OE 1 and OE 2 were assessed with different claims") != NULL);
    cr_assert(strstr(h, "cd 'lab 2/col'\\''s'") != NULL, "quoted directory");
    assert_clean_numbers(h);
    free(h);
    fixture_done(&fx);
}

Test(ear, public_use_document_has_the_integrator_values)
{
    fixture fx;
    char *md, *h;

    fixture_init(&fx, 1);
    set(fx.docs[0], "conditioning", json_loads(conditioning_vetted, 0, NULL));
    md = render(ea_pud_md, &fx.in);
    cr_assert(strncmp(md, EA_EAR_MD_MARK, strlen(EA_EAR_MD_MARK)) == 0);
    cr_assert(strstr(md, "| sample size | 8 bits |") != NULL, "%s", md);
    cr_assert(strstr(md, "0.333333 bits per sample") != NULL);
    cr_assert(strstr(md, "1.21623") != NULL);
    cr_assert(strstr(md, "| 61 | 512 | 449 |") != NULL);
    cr_assert(strstr(md, "9.53674e-07 (2^-20)") != NULL);
    cr_assert(strstr(md, "| OE 1 | vetted (3.1.5.1.1) | 512 | 256 | 256 | 128 (0.083 per bit) |") != NULL);
    cr_assert(strstr(md, "| samples for 128 / 192 / 256 bits of min-entropy | 384 / 576 / 768 |") != NULL);
    cr_assert(strstr(md, "oversampling rate of 3") != NULL);
    cr_assert(strstr(md, EA_EAR_VENDOR_MARK) != NULL);
    cr_assert(strstr(md, "WARNING: OE 1 was assessed on samples from ea90b's built-in model") != NULL);
    cr_assert(strstr(md, "Linux 6.1.0, x86\\_64") != NULL);
    assert_clean_numbers(md);
    h = render(ea_pud_html, &fx.in);
    cr_assert(strstr(h, "<h2 id=\"p4\">4. Health tests the integrator configures</h2>") != NULL);
    assert_clean_numbers(h);
    free(md);
    free(h);
    fixture_done(&fx);
}

Test(ear, a_report_with_gaps_renders_without_nan)
{
    fixture fx;
    char *md, *h;

    fixture_init(&fx, 1);
    json_object_del(fx.docs[0], "noniid");
    json_object_del(fx.docs[0], "health");
    json_object_del(fx.docs[0], "restart");
    json_object_del(ea_report_get(fx.docs[0], "data"), "raw");
    json_object_del(ea_report_get(fx.docs[0], "collection.manifest"), "host");
    json_object_del(ea_report_get(fx.docs[0], "claim"), "h");
    reverdict(&fx);
    md = render(ea_ear_md, &fx.in);
    h = render(ea_pud_md, &fx.in);
    assert_every_section(md, 1);
    assert_clean_numbers(md);
    assert_clean_numbers(h);
    cr_assert(strstr(md, "recording machine unknown") != NULL);
    free(md);
    free(h);
    fixture_done(&fx);
}

/* ------------------------------------------------------------ regressions (review) */

/* A restart test with H_r below H_I: the validated estimate is min(H_r, H_c, H_I) = restart.h_min
 * (SP 800-90B 3.1.4.3), which verdict.h_final holds (it held H_I before that was fixed). */
static void low_restart_estimate(json_t *d)
{
    set(d, "restart.h_r", json_real(0.25));
    set(d, "restart.h_rc_min", json_real(0.25));
    set(d, "restart.h_min", json_real(0.25));
}

Test(ear, the_final_estimate_is_the_restart_validated_minimum)
{
    fixture fx;
    char *md, *pud, why[512];

    fixture_init(&fx, 1);
    low_restart_estimate(fx.docs[0]);
    reverdict(&fx);
    cr_assert_float_eq(ea_report_num(fx.docs[0], "verdict.h_final", 0), 0.25, 1e-12);
    cr_assert_float_eq(ea_ear_final(fx.docs[0]), 0.25, 1e-12);
    md = render(ea_ear_md, &fx.in);
    pud = render(ea_pud_md, &fx.in);
    cr_assert(strstr(md, "| 0.25 (of a claimed 0.333333) |") != NULL, "the conclusion's final estimate");
    cr_assert(strstr(md, "Entropy the evidence supports: 0.25 bits") != NULL);
    cr_assert(strstr(pud, "| validated entropy per sample (after the restart tests) | 0.25 bits |") != NULL);
    cr_assert(strstr(pud, "| samples for 128 / 192 / 256 bits of min-entropy | 512 / 768 / 1024 |") != NULL);
    cr_assert_eq(ea_shall_eval(req("3.1.4", "min(H_r"), &fx.in, why, sizeof why), EA_SHALL_MET);
    cr_assert(strstr(why, "final estimate 0.25 bits") != NULL, "%s", why);
    free(md);
    free(pud);
    fixture_done(&fx);
}

Test(ear, conditioning_input_entropy_needs_a_validated_estimate)
{
    fixture fx;
    char why[512];

    fixture_init(&fx, 1);
    set(fx.docs[0], "conditioning", json_loads(conditioning_vetted, 0, NULL));
    cr_assert_eq(eval(&fx, "3.1.5", "credited"), EA_SHALL_MET);   /* h_in = H_I x 512 / 8 */
    /* H_r below H_I: h_in derived from H_I credits more than min(H_r, H_c, H_I) gives */
    low_restart_estimate(fx.docs[0]);
    reverdict(&fx);
    cr_assert_eq(ea_shall_eval(req("3.1.5", "credited"), &fx.in, why, sizeof why), EA_SHALL_NOT_MET);
    cr_assert(strstr(why, "EXCEEDS") != NULL && strstr(why, "= 16") != NULL, "%s", why);
    /* restart tests failed: no estimate validated, nothing to credit */
    set(fx.docs[0], "restart.passed", json_false());
    set(fx.docs[0], "restart.validation_passed", json_false());
    reverdict(&fx);
    cr_assert_eq(ea_shall_eval(req("3.1.5", "credited"), &fx.in, why, sizeof why), EA_SHALL_NOT_MET);
    cr_assert(strstr(why, "FAILED") != NULL, "%s", why);
    /* no restart test at all */
    set(fx.docs[0], "restart", json_pack("{s:s}", "status", "skipped"));
    reverdict(&fx);
    cr_assert_eq(eval(&fx, "3.1.5", "credited"), EA_SHALL_MISSING);
    fixture_done(&fx);
}

/* Every line of md that starts with s. */
static int line_starts(const char *md, const char *s)
{
    for (const char *l = md; l != NULL; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strncmp(l, s, strlen(s)) == 0)
            return 1;
    return 0;
}

Test(ear, host_strings_cannot_inject_markdown)
{
    fixture fx;
    char *md, *pud;

    fixture_init(&fx, 1);
    set(fx.docs[0], "collection.manifest.host.hostname", json_string("evil\n## injected <b>[x](http://e/x.png)"));
    set(fx.docs[0], "collection.manifest.host.cpu.model_name", json_string("cpu\n- item *x*"));
    md = render(ea_ear_md, &fx.in);
    pud = render(ea_pud_md, &fx.in);
    for (int k = 0; k < 2; k++) {
        const char *s = k ? pud : md;
        cr_assert(!line_starts(s, "## injected"), "a newline in a host name starts a heading");
        cr_assert(!line_starts(s, "- item"), "a newline in a CPU model starts a list item");
        cr_assert(strstr(s, "<b>") == NULL, "raw HTML from a host name");
        cr_assert(strstr(s, "[x](http") == NULL && strstr(s, "\\[x\\](http") != NULL, "a link from a host name");
    }
    free(md);
    free(pud);
    fixture_done(&fx);
}

Test(ear, a_long_host_name_keeps_the_model_label)
{
    fixture fx;
    char name[700], oe[512], *md;

    fixture_init(&fx, 1);
    memset(name, 'h', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    set(fx.docs[0], "collection.manifest.host.hostname", json_string(name));
    cr_assert(strstr(ea_ear_oe_name(&fx.in, 0, oe, sizeof oe), "[built-in model]") != NULL, "%s", oe);
    md = render(ea_ear_md, &fx.in);
    for (const char *l = strstr(md, "\n### OE 1: "); l != NULL; l = strstr(l + 1, "\n### OE 1: ")) {
        const char *eol = strchr(l + 1, '\n');
        cr_assert(eol != NULL && eol - l > 20 && strncmp(eol - 16, "[built-in model]", 16) == 0,
                  "a heading lost its model label");
    }
    free(md);
    fixture_done(&fx);
}

Test(ear, reproduce_commands_survive_odd_directories_and_backticks)
{
    fixture fx;
    char *md;

    fixture_init(&fx, 1);
    fx.dirs[0] = "-col";   /* cd -col would read an option */
    set(fx.docs[0], "reproduce", json_pack("[s,s]", "ea90b verify .", "echo ```"));
    md = render(ea_ear_md, &fx.in);
    cr_assert(strstr(md, "\ncd ./-col\n") != NULL, "a directory starting with '-' as an operand");
    cr_assert(strstr(md, "ea90b ear ./-col -o EAR_DIR") != NULL);
    cr_assert(strstr(md, "\n````sh\ncd ./-col\nea90b verify .\necho ```\n````\n") != NULL,
              "a fence longer than the backticks inside");
    free(md);
    fixture_done(&fx);
}
