/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h - the assessment report (ea90b assess): one jansson document
 * (schema "ea90b-report", docs/report-format.md) and the renderers that
 * turn it into Markdown, self-contained HTML with inline SVG plots, and
 * the side-by-side index of several collections.
 *
 * Every renderer works from the json_t document alone, so `ea90b check`
 * and the index can use saved report.json files. Renderers write to a
 * caller-supplied FILE * and return 0, or -1 on a write error.
 */
#ifndef EA_REPORT_H
#define EA_REPORT_H

#include <jansson.h>
#include <stdio.h>

#define EA_REPORT_SCHEMA "ea90b-report"
#define EA_REPORT_SCHEMA_VERSION 1

/* Render with an existing FILE renderer into memory and parse it back
 * (embeds the ea90b noniid/iid JSON documents). NULL on failure. */
json_t *ea_report_embed(int (*render)(FILE *f, const void *rep), const void *rep);

/* Value at a dotted path ("verdict.h_assessed", "a.0.b": numbers index
 * arrays); NULL when absent. */
json_t *ea_report_get(const json_t *doc, const char *path);

/* Number at path, or dflt when absent or not a number. */
double ea_report_num(const json_t *doc, const char *path, double dflt);

/* String at path, or dflt. */
const char *ea_report_str(const json_t *doc, const char *path, const char *dflt);

/* 1 / 0 for a JSON true / false at path, -1 when absent or null. */
int ea_report_bool(const json_t *doc, const char *path);

/*
 * Check a document against the schema's required members and types
 * (docs/report-format.md). Returns 0, or -1 with a one-line reason.
 */
int ea_report_validate(const json_t *doc, char *err, size_t errlen);

/*
 * Fill "verdict" from the stage results already in the document: the
 * track that decides (IID when every IID test passed), the assessed
 * min-entropy, whether the claim holds, the restart and health verdicts.
 */
void ea_report_verdict(json_t *doc);

/*
 * The entropy estimate a restart stage validates (§3.1.4.3): restart.h_min,
 * min(H_r, H_c, H_I), when restart.passed is true and it is below h_i; else
 * h_i. verdict.h_final, the conditioning input and esv's hminEstimate use it.
 */
double ea_report_validated_h(const json_t *restart, double h_i);

/* The statistical part of an entropy assessment report, in a lab's order. */
int ea_report_md(FILE *f, const json_t *doc);

/* The same content as one self-contained HTML page with inline SVG. */
int ea_report_html(FILE *f, const json_t *doc);

/* Several collections side by side; names[i] labels docs[i] (its directory
 * as given) and links[i] is that directory relative to where the index is
 * written (NULL: the names). */
int ea_report_index_md(FILE *f, const json_t *const *docs, const char *const *names,
                       const char *const *links, size_t n);
int ea_report_index_html(FILE *f, const json_t *const *docs, const char *const *names,
                         const char *const *links, size_t n);

/* A collection named in the index but not assessed (ea90b assess --failed: a
 * fleet node whose collection failed or arrived partial) and why. */
typedef struct {
    const char *name, *reason;
} ea_index_unassessed;

/* The index as above, then a table of the nun collections not assessed (none
 * of them counted, plotted or linked as assessed). */
int ea_report_index_md_ex(FILE *f, const json_t *const *docs, const char *const *names,
                          const char *const *links, size_t n, const ea_index_unassessed *un, size_t nun);
int ea_report_index_html_ex(FILE *f, const json_t *const *docs, const char *const *names,
                            const char *const *links, size_t n, const ea_index_unassessed *un,
                            size_t nun);

/*
 * Where the samples came from (provenance.c), from the embedded manifest:
 * "built-in model of jitterentropy, not the certified library", "external
 * recorder jent-raw, jitterentropy 3.7.1 (SHA-256 ...)", "imported deltas
 * from FILE (SHA-256 ...)" (buf of n bytes, returned). The kind alone:
 * "model", "external recorder", "import" or "other".
 */
const char *ea_report_source_line(const json_t *doc, char *buf, size_t n);
const char *ea_report_source_kind(const json_t *doc);

/* Estimator rows shared by the renderers and `ea90b check`: for side
 * "literal" or "bitstring", the i-th estimator key (NULL past the end),
 * its display name, and whether its h is per bit. */
const char *ea_report_est_key(size_t i);
const char *ea_report_est_name(size_t i);

#endif
