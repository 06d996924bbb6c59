/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report_md.c - report.md: the statistical part of an entropy assessment
 * report (SP 800-90B §3.1) as Markdown, from the report document.
 */
#include "report.h"
#include "report_writer.h"

int ea_report_md(FILE *f, const json_t *doc)
{
    ea_rw w = { f, 0, 0, 0 };

    fprintf(f, "# SP 800-90B entropy assessment: %s\n",
            ea_report_str(doc, "collection.directory", "collection"));
    ea_report_body(&w, doc);
    return ferror(f) ? -1 : 0;
}
