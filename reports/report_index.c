/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report_index.c - index.md / index.html: several assessed collections
 * side by side (one row per collection: host name, CPU model, logical
 * CPUs, kernel, virtualization, source, claim, assessed min-entropy per
 * SP 800-90B §3.1.3, restart and health verdicts), with a plot of the
 * assessed entropy per collection in HTML. Links are relative to the
 * index's directory. Collections that were not assessed (assess --failed:
 * a fleet node that failed or sent a partial collection) follow in a table
 * of their own, with the reason.
 */
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"
#include "report.h"
#include "report_writer.h"
#include "svg.h"
#include "svg_series.h"

/* First of several host/source members the manifest may carry. */
static const char *first_of(const json_t *d, const char *const *paths)
{
    for (; *paths != NULL; paths++) {
        const char *s = ea_report_str(d, *paths, NULL);
        if (s != NULL && s[0] != '\0')
            return s;
    }
    return "?";
}

/* The collector writes host.cpu.model_name, host.cpu.logical_cores,
 * host.kernel.release and host.virtualization.detected (collector/hostinfo.c). */
static const char *const host_keys[] = {
    "collection.manifest.host.hostname", "collection.manifest.host.name",
    "collection.manifest.host.instance_type", NULL,
};
static const char *const cpu_keys[] = {
    "collection.manifest.host.cpu.model_name", "collection.manifest.host.cpu_model",
    "collection.manifest.host.cpu", "collection.manifest.host.machine", NULL,
};
static const char *const kernel_keys[] = {
    "collection.manifest.host.kernel.release", "collection.manifest.host.kernel", NULL,
};
static const char *const virt_keys[] = {
    "collection.manifest.host.virtualization.detected", "collection.manifest.host.instance_type",
    "collection.manifest.host.virtualization", NULL,
};

/* Logical CPUs as text ("?" when the manifest does not say). */
static const char *cpus(const json_t *d, char buf[24])
{
    double v = ea_report_num(d, "collection.manifest.host.cpu.logical_cores", -1);

    if (v < 0)
        v = ea_report_num(d, "collection.manifest.host.affinity.count", -1);
    if (v < 0)
        snprintf(buf, 24, "?");
    else
        snprintf(buf, 24, "%.0f", v);
    return buf;
}
static const char *const src_keys[] = {
    "collection.manifest.source.name", "collection.manifest.source.kind",
    "collection.manifest.source.type", NULL,
};

/* "model: jent", "external recorder: jent-raw", "import": what the samples are. */
static const char *source_cell(const json_t *d, char *buf, size_t n)
{
    const char *kind = ea_report_source_kind(d), *name = first_of(d, src_keys);
    const char *prog = ea_report_str(d, "collection.manifest.source.executable.path", NULL);
    const char *slash = prog ? strrchr(prog, '/') : NULL;

    if (strcmp(kind, "external recorder") == 0)
        snprintf(buf, n, "%s: %s", kind, slash ? slash + 1 : prog ? prog : name);
    else if (strcmp(kind, "model") == 0)
        snprintf(buf, n, "model: %s", name);
    else
        snprintf(buf, n, "%s", name);
    return buf;
}

static void rows(ea_rw *w, const json_t *const *docs, const char *const *names, size_t n)
{
    char nc[24], sc[160];

    ea_rw_table(w, "collection|host|CPU|logical CPUs|kernel|virtualization|source|samples|claim|assessed|"
                   "track|restart|health|verdict");
    for (size_t i = 0; i < n; i++) {
        const json_t *d = docs[i];
        int r = ea_report_bool(d, "verdict.restart_passed"), h = ea_report_bool(d, "verdict.health_passed");
        int known = json_is_object(ea_report_get(d, "collection.manifest.host"));
        ea_rw_row(w, "%s|%s|%s|%s|%s|%s|%s|%.0f|%.6g|%.6f|%s|%s|%s|%s", names[i],
                  known ? first_of(d, host_keys) : "unknown (imported)",
                  first_of(d, cpu_keys), cpus(d, nc), first_of(d, kernel_keys), first_of(d, virt_keys),
                  source_cell(d, sc, sizeof sc), ea_report_num(d, "data.samples", 0),
                  ea_report_num(d, "claim.h", 0), ea_report_num(d, "verdict.h_assessed", 0),
                  ea_report_str(d, "verdict.track", "?"), r == 1 ? "pass" : r == 0 ? "FAIL" : "n/a",
                  h == 1 ? "pass" : h == 0 ? "FAIL" : "n/a", ea_report_str(d, "verdict.status", "?"));
    }
    ea_rw_end_table(w);
}

/* A relative path as an href: unreserved characters and '/' as is, the
 * rest percent-encoded (spaces, '#', '?', '%', quotes, non-ASCII bytes). */
static void href_text(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/", c) != NULL)
            fputc(c, f);
        else
            fprintf(f, "%%%02X", c);
    }
}

/* When any collection is a series: every collection's runs side by side. */
static void series_plot(FILE *f, const json_t *const *docs, const char *const *names, size_t n)
{
    ea_svg_group *g = calloc(n ? n : 1, sizeof *g);
    double **h = calloc(n ? n : 1, sizeof *h);
    int any = 0, ok = g != NULL && h != NULL;

    for (size_t i = 0; ok && i < n; i++) {
        any |= json_is_array(ea_report_get(docs[i], "series.values"));
        ok = (h[i] = ea_report_series_group(docs[i], names[i], &g[i])) != NULL;
    }
    if (ok && any)
        ea_svg_series(f, "Each collection's runs (series: every run, the median, its interval)",
                      "bits per sample", g, n, 1, ea_report_num(docs[0], "claim.h", 0), "claim");
    for (size_t i = 0; h != NULL && i < n; i++)
        free(h[i]);
    free(h);
    free(g);
}

static void intro(ea_rw *w, size_t n, size_t nun)
{
    ea_rw_p(w, "%zu collection%s assessed with ea90b %s. Each collection's full report is in "
               "COLLECTION/report/ (report.md, report.html, report.json).",
            n, n == 1 ? "" : "s", EA90B_VERSION);
    if (nun > 0)
        ea_rw_p(w, "**%zu collection%s not assessed** (failed or partial): listed under \"Not "
                   "assessed\" with the reason, and not counted as evidence.",
                nun, nun == 1 ? "" : "s");
}

/* The collections named with --failed: never assessed, never linked as such. */
static void unassessed(ea_rw *w, const ea_index_unassessed *un, size_t nun)
{
    if (nun == 0)
        return;
    ea_rw_h(w, 2, "not-assessed", "Not assessed");
    ea_rw_table(w, "collection|why it was not assessed");
    for (size_t i = 0; i < nun; i++)
        ea_rw_row(w, "%s|%s", un[i].name, un[i].reason);
    ea_rw_end_table(w);
}

int ea_report_index_md(FILE *f, const json_t *const *docs, const char *const *names,
                       const char *const *links, size_t n)
{
    return ea_report_index_md_ex(f, docs, names, links, n, NULL, 0);
}

int ea_report_index_html(FILE *f, const json_t *const *docs, const char *const *names,
                         const char *const *links, size_t n)
{
    return ea_report_index_html_ex(f, docs, names, links, n, NULL, 0);
}

int ea_report_index_md_ex(FILE *f, const json_t *const *docs, const char *const *names,
                          const char *const *links, size_t n, const ea_index_unassessed *un, size_t nun)
{
    ea_rw w = { f, 0, 0, 0 };

    fputs("# SP 800-90B entropy assessments side by side\n\n", f);
    intro(&w, n, nun);
    rows(&w, docs, names, n);
    for (size_t i = 0; i < n; i++)
        ea_rw_li(&w, "%s: %s/report/report.md", names[i], links ? links[i] : names[i]);
    ea_rw_end_list(&w);
    unassessed(&w, un, nun);
    return ferror(f) ? -1 : 0;
}

int ea_report_index_html_ex(FILE *f, const json_t *const *docs, const char *const *names,
                            const char *const *links, size_t n, const ea_index_unassessed *un,
                            size_t nun)
{
    ea_rw w = { f, 1, 0, 0 };
    double *v = calloc(n ? n : 1, sizeof(*v));

    if (v == NULL)
        return -1;
    ea_rw_html_open(f, "SP 800-90B entropy assessments");
    fputs("<h1>SP 800-90B entropy assessments side by side</h1>\n", f);
    intro(&w, n, nun);
    rows(&w, docs, names, n);
    for (size_t i = 0; i < n; i++)
        v[i] = ea_report_num(docs[i], "verdict.h_assessed", 0);
    ea_svg_hbars(f, "Assessed min-entropy per collection (bits per sample)", names, v, n,
                 n ? ea_report_num(docs[0], "claim.h", 0) : 0, "claim", "bits/sample");
    series_plot(f, docs, names, n);
    fputs("<ul>\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<li><a href=\"", f);
        href_text(f, links ? links[i] : names[i]);
        fputs("/report/report.html\">", f);
        ea_svg_text(f, names[i]);
        fputs("</a></li>\n", f);
    }
    fputs("</ul>\n", f);
    unassessed(&w, un, nun);
    ea_rw_html_close(f);
    free(v);
    return ferror(f) ? -1 : 0;
}
