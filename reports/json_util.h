/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_util.h - pieces shared by ea90b's own JSON reports.
 */
#ifndef EA_JSON_UTIL_H
#define EA_JSON_UTIL_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "ea90b.h"

/*
 * A value as printed: -0 becomes +0 (no entropy is 0, never "-0"), anything else is
 * returned unchanged. For every number the reports print with printf or put in JSON where
 * arithmetic could give -0 (-log2(1), a product with a zero, a negated zero).
 */
double ea_nz(double v);
long double ea_nzl(long double v);

/* A JSON real, -0 written as 0.0 (jansson would write -0.0). */
json_t *ea_json_real(double v);

/* A new report object with the common header: schema, tool, version,
 * nist_compat, command, commandline, timestamp. */
json_t *ea_json_report(int schema, const char *command, const char *commandline,
                       const char *timestamp);

/* Dump a report (2-space indent, 17 significant digits) and a newline;
 * consumes o. Returns 0 on success. */
int ea_json_dump(FILE *f, json_t *o);

/* The "input" object: file identity, sample count, width, alphabet,
 * bitstring length and the -l window (subset_size > 0). */
json_t *ea_json_input(const char *filename, const char *sha256, size_t file_bytes,
                      const ea_dataset *ds, unsigned long subset_index,
                      unsigned long subset_size);

#endif
