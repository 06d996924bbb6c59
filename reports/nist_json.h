/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nist_json.h - pieces shared by the NIST-compatible JSON writers.
 */
#ifndef EA_NIST_JSON_H
#define EA_NIST_JSON_H

#include <jansson.h>
#include <stdio.h>

/* The reference's run-level fields (IID, commandline, dateTimeStamp,
 * errorLevel, filename, sha256, toolVersion, type) plus "implementation". */
json_t *ea_nist_base_run(int iid, const char *cmd, const char *ts, const char *file, const char *sha);

/* Dump like the reference (keys sorted, 3-space indent, 17 digits), then
 * a newline; consumes o. Returns 0 on success. */
int ea_nist_dump(FILE *f, json_t *o);

#endif
