/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assessed.h - an assessed collection's report as the commands that build on
 * it take it (ea90b check, ea90b ear): complete, and still describing the
 * files of its collection.
 */
#ifndef EA_CLI_ASSESSED_H
#define EA_CLI_ASSESSED_H

#include <jansson.h>
#include <stddef.h>

/*
 * Whether doc, the report of the collection directory dir, still describes
 * it: dir/manifest.json (when there is one) has the SHA-256 the report
 * recorded, and every file the report lists ("collection.files") still has
 * its size and SHA-256. 0, or 1 with the reason in why (n bytes).
 */
int ea_report_current(const char *dir, const json_t *doc, char *why, size_t n);

/*
 * dir/report/report.json: read, complete (ea_report_validate) and current
 * (ea_report_current). NULL with the reason in why, which says what to run.
 */
json_t *ea_assessed_load(const char *dir, char *why, size_t n);

#endif
