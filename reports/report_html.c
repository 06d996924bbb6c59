/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report_html.c - report.html: the same content as report.md on one
 * self-contained page (inline CSS, inline SVG plots, no scripts, no
 * external assets).
 */
#include "report.h"
#include "report_writer.h"
#include "svg.h"

int ea_report_html(FILE *f, const json_t *doc)
{
    ea_rw w = { f, 1, 0, 0 };
    const char *dir = ea_report_str(doc, "collection.directory", "collection");

    ea_rw_html_open(f, "SP 800-90B entropy assessment");
    fputs("<h1>SP 800-90B entropy assessment: ", f);
    ea_svg_text(f, dir);
    fputs("</h1>\n", f);
    ea_report_body(&w, doc);
    ea_rw_html_close(f);
    return ferror(f) ? -1 : 0;
}
