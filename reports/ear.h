/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear.h - the Entropy Assessment Report draft and the Public Use Document
 * skeleton (`ea90b ear`, docs/reading-a-report.md): from the assessment
 * reports of one entropy source on one or more operational environments
 * (one report.json document per collection, docs/report-format.md) to
 * Markdown or to one self-contained, printable HTML page.
 *
 * The sections follow the order of CMVP's Entropy Assessment Report
 * template (v1.1, as its public description lays it out); the headings and
 * every sentence are ea90b's own. Sections only the vendor can write are
 * marked EA_EAR_VENDOR_MARK; every number comes from the reports, rounded
 * to 6 significant digits (report.json keeps full precision). Samples from
 * a built-in model are labelled as such wherever a result is shown.
 *
 * Pure: documents in, text out. Nothing here opens a file or prints; the
 * renderers write to the caller's FILE * and return 0, or -1 on a write
 * error.
 */
#ifndef EA_EAR_H
#define EA_EAR_H

#include <jansson.h>
#include <stdio.h>

#include "report_writer.h"

/* What every section the vendor must write starts with. */
#define EA_EAR_VENDOR_MARK "VENDOR TO WRITE"
/* The first line of ear.md and pud.md: how `ea90b ear` knows a directory is its own. */
#define EA_EAR_MD_MARK "<!-- ea90b ear: "

typedef struct {
    const json_t *const *docs;   /* complete report.json documents, one per operational environment */
    const char *const *dirs;     /* each collection directory as given */
    size_t n;                    /* at least 1 */
    const char *generated;       /* UTC time of this draft, ISO 8601 */
    const char *version;         /* the ea90b writing it */
} ea_ear_input;

/* The EAR draft (ear.md / ear.html) and the PUD skeleton (pud.md / pud.html). */
int ea_ear_md(FILE *f, const ea_ear_input *in);
int ea_ear_html(FILE *f, const ea_ear_input *in);
int ea_pud_md(FILE *f, const ea_ear_input *in);
int ea_pud_html(FILE *f, const ea_ear_input *in);

/*
 * Whether the collections describe one entropy source the same way: 0, or
 * -1 with a one-line reason (different bits per sample, claims or noise
 * sources). The draft is still written; it says so too.
 */
int ea_ear_mixed(const ea_ear_input *in, char *why, size_t n);

/* The EAR's sections, in order (their numbers are the headings' numbers). */
enum {
    EA_EAR_INTRO = 1,
    EA_EAR_NOISE,          /* vendor */
    EA_EAR_JUSTIFY,        /* vendor, with the claim and the assessed values */
    EA_EAR_COLLECTION,
    EA_EAR_OE,
    EA_EAR_DATA,
    EA_EAR_ESTIMATES,
    EA_EAR_RESTART,
    EA_EAR_CONDITIONING,   /* evidence when given; the design by the vendor */
    EA_EAR_HEALTH,         /* evidence; start-up and on-demand tests by the vendor */
    EA_EAR_CONCLUSION,
    EA_EAR_SHALL,
    EA_EAR_REPRODUCE,
    EA_EAR_SECTIONS        /* one past the last */
};

/* The heading of section s (without its number); NULL outside 1..EA_EAR_SECTIONS-1. */
const char *ea_ear_section_title(int s);

/* ---- the SP 800-90B requirement map (ear_shall.c) ---- */

typedef enum {
    EA_SHALL_MET,          /* met by the evidence in a section */
    EA_SHALL_PARTLY,       /* evidence in a section; the vendor completes it */
    EA_SHALL_VENDOR,       /* the vendor documents it */
    EA_SHALL_NA,           /* not applicable (no IID claim, no conditioning ...) */
    EA_SHALL_NOT_MET,      /* the evidence shows it is not met */
    EA_SHALL_MISSING       /* evidence the tool produces is missing (e.g. no restart data) */
} ea_shall_status;

typedef struct {
    const char *section;   /* SP 800-90B section, e.g. "3.1.4" */
    const char *text;      /* ea90b's paraphrase of what must be shown */
    int rule;              /* how its status is computed (ear_shall.c) */
    int ear_section;       /* the EAR section that holds the evidence or the vendor's text */
} ea_shall_req;

/* The requirements, in SP 800-90B order: the i-th, or NULL past the end. */
const ea_shall_req *ea_shall_at(size_t i);

/* Status of r for these collections, with a one-line note in why (n bytes). */
ea_shall_status ea_shall_eval(const ea_shall_req *r, const ea_ear_input *in, char *why, size_t n);

/* "met", "vendor to document", ... as the table shows it. */
const char *ea_shall_status_name(ea_shall_status s);

/* ---- shared by reports/ear*.c (not for cli/) ---- */

/* v for people: a whole number as such, else 6 significant digits. */
const char *ea_ear_num(double v, char buf[32]);
/* The number at path in d the same way, or "n/a". */
const char *ea_ear_at(const json_t *d, const char *path, char buf[32]);
/* s made safe for Markdown text (Markdown specials escaped; HTML: s itself). */
const char *ea_ear_esc(const ea_rw *w, const char *s, char *buf, size_t n);
/* "OE 2: host (CPU model)" for in->docs[i] (host and CPU model cut to 160 bytes each). */
const char *ea_ear_oe_name(const ea_ear_input *in, size_t i, char *buf, size_t n);
/* The same with host and CPU model made safe for w (ea_ear_esc): n of 1024 holds it. */
const char *ea_ear_oe_esc(const ea_rw *w, const ea_ear_input *in, size_t i, char *buf, size_t n);
/* A paragraph set apart for the vendor: EA_EAR_VENDOR_MARK, then the text. */
void ea_ear_vendor(ea_rw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Page frame: marker comment, title, draft notice (HTML: head with the print stylesheet). */
void ea_ear_open(ea_rw *w, const char *title, const char *kind, const ea_ear_input *in);
void ea_ear_close(ea_rw *w);
/* Section heading "N. Title" for one of the enum above. */
void ea_ear_section(ea_rw *w, int s);
/* The noise source of docs[i] in one line: a model says so. */
const char *ea_ear_source(const ea_ear_input *in, size_t i, char *buf, size_t n);
/* Lowest number at path over the documents (dflt when none has it). */
double ea_ear_min(const ea_ear_input *in, const char *path, double dflt);
/*
 * The final, validated entropy estimate of d: verdict.h_final, but never more than
 * the restart test's min(H_r, H_c, H_I) (restart.h_min), which SP 800-90B 3.1.4
 * makes the estimate (verdict.h_final is H_I); NAN when the report has none.
 */
double ea_ear_final(const json_t *d);
/* The lowest ea_ear_final over the documents (NAN when none has one). */
double ea_ear_min_final(const ea_ear_input *in);
/* Whether docs[i]'s samples come from a built-in model. */
int ea_ear_is_model(const json_t *d);
/* "pass", "FAIL" or "not run" for ea_report_bool's 1, 0, -1. */
const char *ea_ear_pass(int b);
/* A level-3 heading naming docs[i] (ea_ear_oe_name), anchor "<id>-oe<i+1>". */
void ea_ear_oe_heading(ea_rw *w, const ea_ear_input *in, size_t i, const char *id);
/* s quoted for a POSIX shell when it needs it (buf of n bytes, returned). */
const char *ea_ear_shq(const char *s, char *buf, size_t n);

/* The sections after the operational environments: 6-8 ear_results.c, 9-10
 * ear_health.c, 11 and 13 ear_summary.c, 12 ear_shall.c. */
void ea_ear_data(ea_rw *w, const ea_ear_input *in);
void ea_ear_estimates(ea_rw *w, const ea_ear_input *in);
void ea_ear_restart(ea_rw *w, const ea_ear_input *in);
void ea_ear_conditioning(ea_rw *w, const ea_ear_input *in);
void ea_ear_health(ea_rw *w, const ea_ear_input *in);
void ea_ear_conclusion(ea_rw *w, const ea_ear_input *in);
void ea_ear_shall_table(ea_rw *w, const ea_ear_input *in);
void ea_ear_reproduce(ea_rw *w, const ea_ear_input *in);
/* The RCT and APT cutoffs, one row per OE (ear_health.c; the PUD shows them too). */
void ea_ear_cutoffs(ea_rw *w, const ea_ear_input *in);

/*
 * The plots of the draft (raw data characterisation, estimates, restart),
 * per OE. The HTML draft holds them inline; the Markdown draft links each
 * as "plots/oe<OE>-<name>.svg" (OE counted from 1), and `ea90b ear` writes
 * those files with ea_ear_plot_svg so pandoc can put them in the DOCX.
 * Plot k has name ea_ear_plot_name(k) (NULL past the last); it exists for
 * an OE when ea_ear_plot_has() says 1 (the report holds its data).
 * ea_ear_plot_svg writes one standalone SVG document: 0, or -1 on a write
 * error or when the plot does not exist. Here oe is the index into
 * in->docs (0 .. n-1): plot k of in->docs[oe] is "plots/oe<oe+1>-<name>.svg".
 */
const char *ea_ear_plot_name(size_t k);
int ea_ear_plot_has(const ea_ear_input *in, size_t oe, size_t k);
int ea_ear_plot_svg(FILE *f, const ea_ear_input *in, size_t oe, size_t k);

/* The plots, by k (ear_plots.c). */
enum {
    EA_EAR_PLOT_HISTOGRAM,       /* symbol histogram of the sequential samples */
    EA_EAR_PLOT_RAW,             /* the first raw deltas over time */
    EA_EAR_PLOT_AUTOCORR,        /* autocorrelation, lags 1-32 */
    EA_EAR_PLOT_ESTIMATORS,      /* every section 6.3 estimate against the claim */
    EA_EAR_PLOT_SERIES,          /* a series' runs, median and interval */
    EA_EAR_PLOT_RESTART,         /* most common symbol count per restart row and column */
    EA_EAR_PLOTS                 /* one past the last */
};

/* Plot k of docs[oe] in a section: inline SVG (HTML), a link to its file
 * (Markdown); nothing when the report lacks its data. */
void ea_ear_plot(ea_rw *w, const ea_ear_input *in, size_t oe, size_t k);

#endif
