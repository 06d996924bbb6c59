/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear.c - the Entropy Assessment Report draft (ear.h): the page frame with
 * its print stylesheet, the helpers the ear*.c files share, and the
 * sections up to the operational environments:
 *    1 introduction (identification, results per OE)
 *    2 noise source description            vendor
 *    3 entropy justification (H_submitter) vendor, with the measured values
 *    4 data collection (tap point, recorder and its SHA-256, files)
 *    5 operational environments (host facts, grouped and short)
 * The order is that of CMVP's EAR template v1.1 as its public description
 * gives it (identification and design first, then the data and the
 * statistical results, then health tests, conclusion and requirement map);
 * the words are ours. Sections 6-8 are in ear_results.c, 9-10 in
 * ear_health.c, 11 and 13 in ear_summary.c, 12 in ear_shall.c; the plots in
 * ear_plots.c, the Public Use Document in pud.c.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ear.h"
#include "report.h"
#include "svg.h"

static const char *const titles[EA_EAR_SECTIONS] = {
    NULL,
    "Introduction",
    "Noise source description",
    "Entropy justification",
    "Data collection",
    "Operational environments",
    "Raw data characterisation",
    "Entropy estimates (IID and non-IID)",
    "Restart tests",
    "Conditioning",
    "Health tests",
    "Conclusion",
    "SP 800-90B requirements",
    "Reproducing the numbers",
};

const char *ea_ear_section_title(int s)
{
    return s >= 1 && s < EA_EAR_SECTIONS ? titles[s] : NULL;
}

void ea_ear_section(ea_rw *w, int s)
{
    char id[16];

    snprintf(id, sizeof id, "s%d", s);
    ea_rw_h(w, 2, id, "%d. %s", s, ea_ear_section_title(s) ? ea_ear_section_title(s) : "?");
}

/* ------------------------------------------------------------ helpers */

const char *ea_ear_num(double v, char buf[32])
{
    if (!isfinite(v))
        snprintf(buf, 32, "n/a");
    else if (v == 0.0)
        snprintf(buf, 32, "0");          /* never "-0" */
    else if ((v == floor(v) || fabs(v) >= 1e6) && fabs(v) < 1e15)
        snprintf(buf, 32, "%.0f", v);
    else
        snprintf(buf, 32, "%.6g", v);
    return buf;
}

const char *ea_ear_at(const json_t *d, const char *path, char buf[32])
{
    const json_t *v = ea_report_get(d, path);

    if (!json_is_number(v)) {
        snprintf(buf, 32, "n/a");
        return buf;
    }
    return ea_ear_num(json_number_value(v), buf);
}

const char *ea_ear_esc(const ea_rw *w, const char *s, char *buf, size_t n)
{
    size_t o = 0;

    if (w->html || s == NULL)
        return s != NULL ? s : "?";
    for (; *s != '\0' && o + 3 < n; s++) {
        if (*s == '\n' || *s == '\r') {   /* one line: no heading, list or block starts inside */
            buf[o++] = ' ';
            continue;
        }
        if (strchr("\\`*_[]<>~$^", *s) != NULL)
            buf[o++] = '\\';
        buf[o++] = *s;
    }
    buf[o] = '\0';
    return buf;
}

double ea_ear_min(const ea_ear_input *in, const char *path, double dflt)
{
    double m = INFINITY;

    for (size_t i = 0; i < in->n; i++) {
        const json_t *v = ea_report_get(in->docs[i], path);
        if (json_is_number(v) && json_number_value(v) < m)
            m = json_number_value(v);
    }
    return isfinite(m) ? m : dflt;
}

double ea_ear_final(const json_t *d)
{
    const json_t *f = ea_report_get(d, "verdict.h_final"), *m = ea_report_get(d, "restart.h_min");
    double h;

    if (!json_is_number(f))
        return NAN;
    h = json_number_value(f);
    if (h > 0 && json_is_number(m) && json_number_value(m) < h)
        h = json_number_value(m);
    return h;
}

double ea_ear_min_final(const ea_ear_input *in)
{
    double m = INFINITY;

    for (size_t i = 0; i < in->n; i++) {
        double h = ea_ear_final(in->docs[i]);
        if (isfinite(h) && h < m)
            m = h;
    }
    return isfinite(m) ? m : NAN;
}

int ea_ear_is_model(const json_t *d)
{
    return strcmp(ea_report_source_kind(d), "model") == 0;
}

const char *ea_ear_pass(int b)
{
    return b == 1 ? "pass" : b == 0 ? "FAIL" : "not run";
}

void ea_ear_oe_heading(ea_rw *w, const ea_ear_input *in, size_t i, const char *id)
{
    char anchor[64], oe[1024];

    snprintf(anchor, sizeof anchor, "%s-oe%zu", id, i + 1);
    ea_rw_h(w, 3, anchor, "%s", ea_ear_oe_esc(w, in, i, oe, sizeof oe));
}

const char *ea_ear_shq(const char *s, char *buf, size_t n)
{
    size_t o = 0;

    if (s == NULL || n < 3)
        return "?";
    if (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%") ==
                          strlen(s))
        return s;
    buf[o++] = '\'';
    for (; *s != '\0' && o + 6 < n; s++) {
        if (*s == '\'') {
            memcpy(buf + o, "'\\''", 4);
            o += 4;
        } else {
            buf[o++] = *s;
        }
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

const char *ea_ear_source(const ea_ear_input *in, size_t i, char *buf, size_t n)
{
    return ea_report_source_line(in->docs[i], buf, n);
}

/*
 * "OE 2: host (CPU model)", host and CPU model escaped for w when w is not NULL.
 * Each is cut to 160 bytes, so the " [built-in model]" label always fits.
 */
static const char *oe_name(const ea_rw *w, const ea_ear_input *in, size_t i, char *buf, size_t n)
{
    const json_t *m = ea_report_get(in->docs[i], "collection.manifest");
    const char *model = ea_ear_is_model(in->docs[i]) ? " [built-in model]" : "";
    char host[161], cpu[161], e1[400], e2[400];

    if (!json_is_object(ea_report_get(m, "host"))) {
        snprintf(buf, n, "OE %zu: recording machine unknown (imported)%s", i + 1, model);
        return buf;
    }
    snprintf(host, sizeof host, "%s", ea_report_str(m, "host.hostname", "?"));
    snprintf(cpu, sizeof cpu, "%s", ea_report_str(m, "host.cpu.model_name", "?"));
    if (w != NULL)
        snprintf(buf, n, "OE %zu: %s (%s)%s", i + 1, ea_ear_esc(w, host, e1, sizeof e1),
                 ea_ear_esc(w, cpu, e2, sizeof e2), model);
    else
        snprintf(buf, n, "OE %zu: %s (%s)%s", i + 1, host, cpu, model);
    return buf;
}

const char *ea_ear_oe_name(const ea_ear_input *in, size_t i, char *buf, size_t n)
{
    return oe_name(NULL, in, i, buf, n);
}

const char *ea_ear_oe_esc(const ea_rw *w, const ea_ear_input *in, size_t i, char *buf, size_t n)
{
    return oe_name(w, in, i, buf, n);
}

void ea_ear_vendor(ea_rw *w, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap, again;
    int len;

    va_start(ap, fmt);
    va_copy(again, ap);
    len = vsnprintf(NULL, 0, fmt, ap);
    if (len >= 0 && (text = malloc((size_t)len + 1)) != NULL)
        vsnprintf(text, (size_t)len + 1, fmt, again);
    va_end(again);
    va_end(ap);
    if (w->html) {
        fputs("<div class=\"vendor\"><b>" EA_EAR_VENDOR_MARK ":</b> ", w->f);
        ea_svg_text(w->f, text ? text : "");
        fputs("</div>\n", w->f);
    } else {
        fprintf(w->f, "> **" EA_EAR_VENDOR_MARK ":** %s\n\n", text ? text : "");
    }
    free(text);
}

int ea_ear_mixed(const ea_ear_input *in, char *why, size_t n)
{
    static const char *const paths[] = { "claim.bits_per_sample", "claim.h" };
    static const char *const what[] = { "bits per sample", "claims" };

    for (size_t i = 1; i < in->n; i++) {
        for (int k = 0; k < 2; k++)
            if (ea_report_num(in->docs[i], paths[k], 0) != ea_report_num(in->docs[0], paths[k], 0)) {
                snprintf(why, n, "OE 1 and OE %zu were assessed with different %s", i + 1, what[k]);
                return -1;
            }
        if (strcmp(ea_report_str(in->docs[i], "collection.manifest.source.name", "?"),
                   ea_report_str(in->docs[0], "collection.manifest.source.name", "?")) != 0) {
            snprintf(why, n, "OE 1 and OE %zu were recorded from different noise sources", i + 1);
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ frame */

/*
 * Print layout: A4 pages numbered "Page N of M" by CSS @page counters, a
 * table row never split across pages, plots kept whole (inline SVG, so the
 * PDF holds vectors). On screen the same page reads as the reports do.
 */
static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:980px;margin:2em auto;"
    "padding:0 1em;color:#111;background:#fff;line-height:1.45}\n"
    "h1{font-size:1.6em;border-bottom:2px solid #111}h2{margin-top:1.8em;border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse;margin:0.6em 0;font-size:0.85em}th,td{border:1px solid #ccc;"
    "padding:2px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}th{background:#f3f4f6}\n"
    "pre{background:#f6f8fa;padding:0.8em;font-size:0.8em;white-space:pre-wrap;overflow-wrap:anywhere}\n"
    ".vendor{border-left:5px solid #a16207;background:#fef9c3;padding:0.5em 0.9em;margin:0.8em 0}\n"
    ".draft{border:2px solid #b91c1c;padding:0.5em 0.9em;font-weight:bold}\n"
    ".badge{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:bold}"
    ".pass{background:#15803d}.fail{background:#b91c1c}.inc{background:#a16207}\n"
    "svg.plot{display:block;margin:0.8em 0;max-width:100%;height:auto;border:1px solid #e5e7eb}\n"
    "tr,svg,.vendor,pre{break-inside:avoid}h2,h3{break-after:avoid}thead{display:table-header-group}\n"
    "@page{size:A4;margin:16mm 14mm 18mm 14mm;"
    "@bottom-center{content:\"Page \" counter(page) \" of \" counter(pages);font-size:9pt;color:#444}"
    "@top-right{content:\"DRAFT\";font-size:8pt;color:#b91c1c}}\n"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}h2{margin-top:1.2em}}\n";

void ea_ear_open(ea_rw *w, const char *title, const char *kind, const ea_ear_input *in)
{
    if (w->html) {
        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", w->f);
        ea_svg_text(w->f, title);
        fprintf(w->f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
    } else {
        fprintf(w->f, EA_EAR_MD_MARK "%s, generated %s by ea90b %s; edit freely -->\n", kind,
                in->generated, in->version);
    }
    ea_rw_h(w, 1, "title", "%s", title);
    if (w->html)
        fputs("<p class=\"draft\">", w->f);
    fprintf(w->f, "%sDRAFT%s - written by ea90b %s on %s from %zu assessed collection%s. Every "
                  "paragraph marked %s holds what only the vendor can write; every number comes "
                  "from the assessment reports (rounded to 6 significant digits; report.json keeps "
                  "full precision). Not ready to file: write the marked parts and review the rest.",
            w->html ? "" : "**", w->html ? "" : "**", in->version, in->generated, in->n,
            in->n == 1 ? "" : "s", EA_EAR_VENDOR_MARK);
    fputs(w->html ? "</p>\n" : "\n\n", w->f);
}

void ea_ear_close(ea_rw *w)
{
    if (w->html)
        fputs("</body>\n</html>\n", w->f);
}

/* ------------------------------------------------------------ 1 */

/* "none given" or "vetted (3.1.5.1.1): 512 -> 256 bits" for docs[i]. */
static const char *cond_line(const json_t *d, char *buf, size_t n)
{
    char a[32], b[32];

    if (strcmp(ea_report_str(d, "conditioning.status", ""), "ran") != 0)
        snprintf(buf, n, "none given to the assessment");
    else
        snprintf(buf, n, "%s: %s -> %s bits", ea_report_str(d, "conditioning.details.type", "?"),
                 ea_ear_at(d, "conditioning.details.n_in", a), ea_ear_at(d, "conditioning.details.n_out", b));
    return buf;
}

static void results_table(ea_rw *w, const ea_ear_input *in)
{
    char oe[1024], b[5][32];

    ea_rw_table(w, "operational environment|samples|assessed (bits per sample)|H_I|restart tests|"
                   "health tests|final estimate|verdict");
    for (size_t i = 0; i < in->n; i++) {
        const json_t *d = in->docs[i];
        ea_rw_row(w, "%s|%s|%s|%s|%s|%s|%s|%s", ea_ear_oe_esc(w, in, i, oe, sizeof oe),
                  ea_ear_at(d, "data.samples", b[0]), ea_ear_at(d, "verdict.h_assessed", b[1]),
                  ea_ear_at(d, "verdict.h_i", b[2]), ea_ear_pass(ea_report_bool(d, "verdict.restart_passed")),
                  ea_ear_pass(ea_report_bool(d, "verdict.health_passed")),
                  ea_ear_num(ea_ear_final(d), b[3]), ea_report_str(d, "verdict.status", "?"));
    }
    ea_rw_end_table(w);
}

static void model_warning(ea_rw *w, const ea_ear_input *in)
{
    char src[1024];

    for (size_t i = 0; i < in->n; i++)
        if (ea_ear_is_model(in->docs[i]))
            ea_rw_p(w, "WARNING: the samples of OE %zu come from a %s. Its numbers describe the model, "
                       "not an entropy source: a lab accepts raw data only from the entropy source "
                       "itself (SP 800-90B section 3.2.4).", i + 1,
                    ea_ear_source(in, i, src, sizeof src));
}

static void identification(ea_rw *w, const ea_ear_input *in)
{
    const json_t *d = in->docs[0];
    const char *label = ea_report_str(d, "collection.manifest.source.label", NULL);
    const char *ver = ea_report_str(d, "collection.manifest.source.version", NULL);
    char b1[32], src[1024], e[1200], cond[256];

    ea_rw_table(w, "item|value");
    ea_rw_row(w, "entropy source name|" EA_EAR_VENDOR_MARK);
    ea_rw_row(w, "vendor|" EA_EAR_VENDOR_MARK);
    if (label != NULL || ver != NULL)
        ea_rw_row(w, "version assessed|%s%s%s (as recorded; vendor to confirm)",
                  ea_ear_esc(w, label ? label : "", e, sizeof e), label && ver ? ", version " : "",
                  ver ? ver : "");
    else
        ea_rw_row(w, "version assessed|" EA_EAR_VENDOR_MARK);
    ea_rw_row(w, "physical or non-physical noise source|" EA_EAR_VENDOR_MARK);
    ea_rw_row(w, "noise source as recorded|%s%s", ea_ear_esc(w, ea_ear_source(in, 0, src, sizeof src), e, sizeof e),
              in->n > 1 ? " (OE 1; each OE in section 4)" : "");
    ea_rw_row(w, "bits per sample|%s", ea_ear_at(d, "claim.bits_per_sample", b1));
    ea_rw_row(w, "entropy claim H_submitter|%s bits per sample (%s)", ea_ear_at(d, "claim.h", b1),
              ea_report_str(d, "claim.source", "?"));
    ea_rw_row(w, "IID claim|%s", ea_report_bool(d, "claim.iid") == 1 ? "yes (section 7)" : "no: non-IID track");
    ea_rw_row(w, "conditioning component|%s", cond_line(d, cond, sizeof cond));
    ea_rw_row(w, "operational environments tested|%zu (section %d)", in->n, EA_EAR_OE);
    ea_rw_row(w, "assessment tool|ea90b %s (number for number with NIST SP800-90B_EntropyAssessment %s)",
              ea_report_str(d, "tool.version", "?"), ea_report_str(d, "tool.nist_compat", "?"));
    ea_rw_end_table(w);
}

static void intro(ea_rw *w, const ea_ear_input *in)
{
    char why[256];

    ea_ear_section(w, EA_EAR_INTRO);
    ea_rw_p(w, "This report describes one entropy source assessed under NIST SP 800-90B on %zu operational "
               "environment%s (OE). Sections %d to %d and %d hold the statistical evidence, computed "
               "by ea90b from the raw samples; the sections marked %s need the vendor's design "
               "documentation.", in->n, in->n == 1 ? "" : "s", EA_EAR_COLLECTION, EA_EAR_CONCLUSION,
            EA_EAR_REPRODUCE, EA_EAR_VENDOR_MARK);
    model_warning(w, in);
    if (ea_ear_mixed(in, why, sizeof why) != 0)
        ea_rw_p(w, "NOTE: %s. One report describes one entropy source with one claim: check that "
                   "these collections belong together.", why);
    identification(w, in);
    ea_rw_h(w, 3, "results", "Results per operational environment");
    results_table(w, in);
}

/* ------------------------------------------------------------ 2, 3 */

static void recorded_facts(ea_rw *w, const ea_ear_input *in)
{
    char src[1024], e[1200], f[4][600];

    for (size_t i = 0; i < in->n; i++) {
        const json_t *m = ea_report_get(in->docs[i], "collection.manifest");
        const char *lib = ea_report_str(m, "source.sidecar.content.library", NULL);
        ea_rw_li(w, "OE %zu: %s", i + 1, ea_ear_esc(w, ea_ear_source(in, i, src, sizeof src), e, sizeof e));
        if (lib != NULL)
            ea_rw_li(w, "OE %zu: the recorder's build record names %s %s, git %s, recorder %s", i + 1,
                     ea_ear_esc(w, lib, f[0], sizeof f[0]),
                     ea_ear_esc(w, ea_report_str(m, "source.sidecar.content.version", "?"), f[1], sizeof f[1]),
                     ea_ear_esc(w, ea_report_str(m, "source.sidecar.content.git_describe", "?"), f[2], sizeof f[2]),
                     ea_ear_esc(w, ea_report_str(m, "source.sidecar.content.recorder", "?"), f[3], sizeof f[3]));
    }
    ea_rw_end_list(w);
}

static void noise_source(ea_rw *w, const ea_ear_input *in)
{
    ea_ear_section(w, EA_EAR_NOISE);
    ea_ear_vendor(w, "how the noise source works (the physical or non-physical mechanism that produces "
                     "the unpredictability), where it sits in the entropy source (a block diagram with "
                     "the noise source, any conditioning component, the health tests and the outputs), "
                     "the conceptual security boundary, the operating conditions the source is specified "
                     "for and what keeps it within them, how its state is protected from observation and "
                     "influence, and its known failure modes.");
    ea_rw_p(w, "What the collections record about the noise source:");
    recorded_facts(w, in);
}

static void justification(ea_rw *w, const ea_ear_input *in)
{
    const json_t *d = in->docs[0];
    char b1[32], b2[32], b3[32], oe[1024];
    size_t ok = 0, low = 0;

    ea_ear_section(w, EA_EAR_JUSTIFY);
    ea_ear_vendor(w, "why the noise source delivers at least H_submitter = %s bits of min-entropy per "
                     "%s-bit sample: where the unpredictability comes from, a rough model of its "
                     "behaviour, and why the rate stays stable over the operating conditions%s.",
                  ea_ear_at(d, "claim.h", b1), ea_ear_at(d, "claim.bits_per_sample", b2),
                  ea_report_bool(d, "claim.iid") == 1
                      ? "; for the IID claim, why successive samples are independent and identically "
                        "distributed" : "");
    for (size_t i = 0; i < in->n; i++) {
        ok += ea_report_bool(in->docs[i], "verdict.claim_supported") == 1;
        if (ea_report_num(in->docs[i], "verdict.h_assessed", INFINITY) <
            ea_report_num(in->docs[low], "verdict.h_assessed", INFINITY))
            low = i;
    }
    ea_rw_p(w, "The justification must agree with the measurements: the lowest assessed min-entropy is "
               "%s bits per sample (%s; section %d), against the claim of %s; the claim is supported "
               "on %zu of %zu operational environments.",
            ea_ear_at(in->docs[low], "verdict.h_assessed", b3), ea_ear_oe_esc(w, in, low, oe, sizeof oe),
            EA_EAR_ESTIMATES, ea_ear_at(d, "claim.h", b1), ok, in->n);
}

/* ------------------------------------------------------------ 4 */

/* Where in the source the samples are taken, by the kind of source. */
static const char *tap_point(const json_t *m, char *buf, size_t n)
{
    const char *name = ea_report_str(m, "source.name", "?");

    if (strcmp(name, "jent") == 0 || strcmp(name, "memtouch") == 0)
        snprintf(buf, n, "timer deltas (%s) around ea90b's built-in model of a %s noise loop, "
                         "measured in the collecting process: a model, not the certified source",
                 ea_report_str(m, "source.timer", "?"),
                 strcmp(name, "jent") == 0 ? "jitterentropy" : "memory-access");
    else if (strcmp(name, "exec") == 0)
        snprintf(buf, n, "the raw values the external recorder prints%s%s, before any conditioning "
                         "(the vendor confirms the tap point)",
                 ea_report_str(m, "source.sidecar.content.recorder", NULL) ? ": " : "",
                 ea_report_str(m, "source.sidecar.content.recorder", ""));
    else if (strcmp(name, "import") == 0)
        snprintf(buf, n, "deltas recorded elsewhere and imported (the vendor describes the tap point)");
    else
        snprintf(buf, n, "recorded by another tool (the vendor describes the tap point)");
    return buf;
}

static void recorder_rows(ea_rw *w, const json_t *d)
{
    const json_t *m = ea_report_get(d, "collection.manifest");
    const char *name = ea_report_str(m, "source.name", "?");
    char e[4200];

    if (strcmp(name, "exec") == 0) {
        ea_rw_row(w, "recorder|%s, SHA-256 %s",
                  ea_ear_esc(w, ea_report_str(m, "source.executable.path", "?"), e, sizeof e),
                  ea_report_str(m, "source.executable.sha256", "?"));
        if (ea_report_str(m, "source.sidecar.content.recorder_sha256", NULL) != NULL)
            ea_rw_row(w, "program it runs|%s of %s %s, SHA-256 %s",
                      ea_report_str(m, "source.sidecar.content.recorder", "?"),
                      ea_report_str(m, "source.sidecar.content.library", "?"),
                      ea_report_str(m, "source.sidecar.content.version", "?"),
                      ea_report_str(m, "source.sidecar.content.recorder_sha256", "?"));
    } else if (strcmp(name, "import") == 0) {
        ea_rw_row(w, "imported file|%s, SHA-256 %s", ea_ear_esc(w, ea_report_str(m, "source.input", "?"), e, sizeof e),
                  ea_report_str(m, "source.input_sha256", "?"));
    } else {
        ea_rw_row(w, "recorder|%s %s (source '%s')", ea_report_str(m, "tool.name", "?"),
                  ea_report_str(m, "tool.version", "?"), name);
    }
}

static const char *restart_mode(const char *mode)
{
    if (strcmp(mode, "exec") == 0)
        return "each restart in a fresh process";
    if (strcmp(mode, "inproc") == 0)
        return "each restart a fresh source object in one process";
    if (strcmp(mode, "import") == 0)
        return "imported, recorded elsewhere";
    return mode;
}

static void file_row(ea_rw *w, const json_t *d, const char *what, const char *file)
{
    const json_t *f = json_object_get(ea_report_get(d, "collection.files"), file);
    char b[32];

    if (json_is_object(f))
        ea_rw_row(w, "%s|%s (%s samples), SHA-256 %s", what, file, ea_ear_at(f, "samples", b),
                  ea_report_str(f, "sha256", "?"));
}

static void collection_oe(ea_rw *w, const ea_ear_input *in, size_t i)
{
    const json_t *d = in->docs[i], *m = ea_report_get(d, "collection.manifest");
    char oe[1024], src[1024], e[8200], b1[32], b2[32], b3[32], id[32];

    snprintf(id, sizeof id, "collection-oe%zu", i + 1);
    ea_rw_h(w, 3, id, "%s", ea_ear_oe_esc(w, in, i, oe, sizeof oe));
    ea_rw_table(w, "item|value");
    ea_rw_row(w, "noise source|%s", ea_ear_esc(w, ea_ear_source(in, i, src, sizeof src), e, sizeof e));
    ea_rw_row(w, "where the samples are taken|%s", ea_ear_esc(w, tap_point(m, src, sizeof src), e, sizeof e));
    recorder_rows(w, d);
    ea_rw_row(w, "samples from raw values|mask %s (%s bits kept), divided by %s", ea_report_str(m, "extraction.mask", "?"),
              ea_ear_at(d, "claim.bits_per_sample", b1), ea_ear_at(m, "extraction.divisor", b2));
    ea_rw_row(w, "collected by|%s", ea_ear_esc(w, ea_report_str(m, "command_line", "?"), e, sizeof e));
    ea_rw_row(w, "collected|%s to %s", ea_report_str(m, "start_time", "?"), ea_report_str(m, "end_time", "?"));
    file_row(w, d, "sequential samples (section 3.1.1)", ea_report_str(d, "data.file", "samples.bin"));
    if (json_is_object(ea_report_get(m, "restarts")))
        ea_rw_row(w, "restart data (section 3.1.4)|%s x %s samples, %s", ea_ear_at(m, "restarts.rows", b1),
                  ea_ear_at(m, "restarts.cols", b2), restart_mode(ea_report_str(m, "restarts.mode", "?")));
    else
        ea_rw_row(w, "restart data (section 3.1.4)|none recorded");
    file_row(w, d, "restart matrix", "restart.bin");
    if (json_is_object(ea_report_get(d, "series")))
        ea_rw_row(w, "series|%s runs of %s samples; the assessment rests on the lowest, run %s (%s)",
                  ea_ear_at(d, "series.runs", b1), ea_ear_at(d, "series.samples_per_run", b2),
                  ea_ear_at(d, "series.decisive_run", b3), ea_report_str(d, "series.decisive_file", "?"));
    ea_rw_row(w, "manifest.json SHA-256|%s", ea_report_str(d, "collection.manifest_sha256", "?"));
    ea_rw_end_table(w);
}

static void collection(ea_rw *w, const ea_ear_input *in)
{
    ea_ear_section(w, EA_EAR_COLLECTION);
    ea_rw_p(w, "How the raw samples were captured on each operational environment: where in the source "
               "they are taken, by which program (with its SHA-256), when, and the SHA-256 of every "
               "file, verified against the collection's manifest before this report was written. A "
               "lab compares these hashes with the files submitted to the ESV server.");
    for (size_t i = 0; i < in->n; i++)
        collection_oe(w, in, i);
}

/* ------------------------------------------------------------ 5 */

static const char *bytes_short(double v, char buf[32])
{
    if (v >= 1048576.0 && fmod(v, 1048576.0) == 0)
        snprintf(buf, 32, "%.0f MiB", v / 1048576.0);
    else if (v >= 1024.0 && fmod(v, 1024.0) == 0)
        snprintf(buf, 32, "%.0f KiB", v / 1024.0);
    else
        snprintf(buf, 32, "%.0f B", v);
    return buf;
}

static const char *processor(const json_t *h, char *buf, size_t n)
{
    char b1[32], b2[32], b3[32];
    int smt = ea_report_bool(h, "cpu.smt");

    snprintf(buf, n, "%s (%s family %s model %s), %s logical CPUs%s, %s",
             ea_report_str(h, "cpu.model_name", "?"), ea_report_str(h, "cpu.vendor", "?"),
             ea_ear_at(h, "cpu.family", b1), ea_ear_at(h, "cpu.model", b2),
             ea_ear_at(h, "cpu.logical_cores", b3), smt == 1 ? ", SMT on" : smt == 0 ? ", SMT off" : "",
             ea_report_str(h, "arch", "?"));
    return buf;
}

static const char *timer(const json_t *m, char *buf, size_t n)
{
    char b[32];

    if (json_is_number(ea_report_get(m, "source.timer_ticks_per_ns")))
        snprintf(buf, n, "%s, %s ticks/ns; clock source %s", ea_report_str(m, "source.timer", "?"),
                 ea_ear_at(m, "source.timer_ticks_per_ns", b), ea_report_str(m, "host.clocksource.current", "?"));
    else
        snprintf(buf, n, "the recorder's own; clock source %s", ea_report_str(m, "host.clocksource.current", "?"));
    return buf;
}

static void host_row(ea_rw *w, const ea_ear_input *in, size_t i)
{
    const json_t *m = ea_report_get(in->docs[i], "collection.manifest"), *h = ea_report_get(m, "host");
    char cpu[512], e[4200], e1[400], e2[1100];

    if (!json_is_object(h)) {
        ea_rw_row(w, "OE %zu|%s|unknown (imported; no host facts file)|||", i + 1,
                  ea_ear_esc(w, in->dirs[i], e, sizeof e));
        return;
    }
    ea_rw_row(w, "OE %zu|%s|%s|%s|%s %s|%s", i + 1, ea_ear_esc(w, in->dirs[i], e, sizeof e),
              ea_ear_esc(w, ea_report_str(h, "hostname", "?"), e1, sizeof e1),
              ea_ear_esc(w, processor(h, cpu, sizeof cpu), e2, sizeof e2),
              ea_report_str(h, "kernel.sysname", "?"), ea_report_str(h, "kernel.release", "?"),
              ea_report_str(h, "virtualization.detected", "none"));
}

/* The rest of a host's facts, grouped on one line. */
static void host_more(ea_rw *w, const ea_ear_input *in, size_t i)
{
    const json_t *m = ea_report_get(in->docs[i], "collection.manifest"), *h = ea_report_get(m, "host");
    char b[4][32], tm[256], e1[4200], e2[400], e3[400];

    if (json_is_object(h))
        ea_rw_li(w, "OE %zu: timer %s; caches L1d %s, L2 %s, L3 %s; microcode %s; CPUs allowed %s (%s)%s%s",
                 i + 1, timer(m, tm, sizeof tm), bytes_short(ea_report_num(h, "cache.l1d", 0), b[0]),
                 bytes_short(ea_report_num(h, "cache.l2", 0), b[1]),
                 bytes_short(ea_report_num(h, "cache.l3", 0), b[2]), ea_report_str(h, "cpu.microcode", "?"),
                 ea_report_str(h, "affinity.cpus", "?"), ea_ear_at(h, "affinity.count", b[3]),
                 strcmp(ea_report_str(m, "host_source.kind", ""), "host facts file") == 0
                     ? "; facts from the host facts file " : "",
                 ea_ear_esc(w, ea_report_str(m, "host_source.file", ""), e1, sizeof e1));
    if (json_is_object(ea_report_get(m, "imported_on")))
        ea_rw_li(w, "OE %zu: imported on %s (%s), which is not the recording machine", i + 1,
                 ea_ear_esc(w, ea_report_str(m, "imported_on.hostname", "?"), e2, sizeof e2),
                 ea_ear_esc(w, ea_report_str(m, "imported_on.cpu.model_name", "?"), e3, sizeof e3));
}

static void environments(ea_rw *w, const ea_ear_input *in)
{
    ea_ear_section(w, EA_EAR_OE);
    ea_rw_p(w, "One operational environment per assessed collection: the machine the samples were "
               "recorded on, as the collection's manifest records it (for imported data, the machine "
               "named by a host facts file, or unknown).");
    ea_rw_table(w, "OE|collection|host|processor|operating system|virtualisation");
    for (size_t i = 0; i < in->n; i++)
        host_row(w, in, i);
    ea_rw_end_table(w);
    for (size_t i = 0; i < in->n; i++)
        host_more(w, in, i);
    ea_rw_end_list(w);
}

/* ------------------------------------------------------------ the whole */

static int ear(FILE *f, const ea_ear_input *in, int html)
{
    ea_rw w = { f, html, 0, 0 };

    if (in->n == 0)
        return -1;
    ea_ear_open(&w, "Entropy Assessment Report (draft)", "Entropy Assessment Report DRAFT", in);
    intro(&w, in);
    noise_source(&w, in);
    justification(&w, in);
    collection(&w, in);
    environments(&w, in);
    ea_ear_data(&w, in);
    ea_ear_estimates(&w, in);
    ea_ear_restart(&w, in);
    ea_ear_conditioning(&w, in);
    ea_ear_health(&w, in);
    ea_ear_conclusion(&w, in);
    ea_ear_shall_table(&w, in);
    ea_ear_reproduce(&w, in);
    ea_ear_close(&w);
    return ferror(f) ? -1 : 0;
}

int ea_ear_md(FILE *f, const ea_ear_input *in)
{
    return ear(f, in, 0);
}

int ea_ear_html(FILE *f, const ea_ear_input *in)
{
    return ear(f, in, 1);
}
