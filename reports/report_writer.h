/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report_writer.h - internal to reports/: one document body written as
 * Markdown or as HTML through the same calls, so report.md and
 * report.html carry the same sections, tables and numbers.
 */
#ifndef EA_REPORT_WRITER_H
#define EA_REPORT_WRITER_H

#include <jansson.h>
#include <stdio.h>

typedef struct {
    FILE *f;
    int html;        /* 0: Markdown, 1: HTML */
    int cols;        /* columns of the open table (0: none) */
    int rows;        /* rows written in the open table */
} ea_rw;

/* Heading of level 1-3 (id used as the HTML anchor). */
void ea_rw_h(ea_rw *w, int level, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A paragraph (text escaped; **bold** kept in Markdown, <b> in HTML). */
void ea_rw_p(ea_rw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A bullet item; consecutive items form one list until ea_rw_end_list. */
void ea_rw_li(ea_rw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ea_rw_end_list(ea_rw *w);
/* A table: header cells separated by '|'; then rows; then the end. */
void ea_rw_table(ea_rw *w, const char *header);
void ea_rw_row(ea_rw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ea_rw_end_table(ea_rw *w);
/* A block of literal lines (commands). */
void ea_rw_code(ea_rw *w, const char *text);
/* A verdict badge: PASS / FAIL / INCOMPLETE. */
void ea_rw_badge(ea_rw *w, const char *status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The body of one report (every section, plots only in HTML). */
void ea_report_body(ea_rw *w, const json_t *doc);

/* Shared CSS and page frame for the HTML outputs. */
void ea_rw_html_open(FILE *f, const char *title);
void ea_rw_html_close(FILE *f);

#endif
