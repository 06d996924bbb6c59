/* SPDX-License-Identifier: Apache-2.0 */
/*
 * golden.h - helpers for the golden parity tests: read files, compare
 * rendered text with NIST's output value by value, compare JSON.
 */
#ifndef EA_GOLDEN_H
#define EA_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

/* Relative tolerance every value must meet (NIST README: 1e-6). */
#define GOLDEN_REL_TOL 1e-6

/* Whole file into a malloc'd buffer (NUL-terminated); NULL on failure. */
char *golden_slurp(const char *path, size_t *len);

/*
 * Compare the text we render with the reference's text. Lines are matched
 * by their shape (numbers masked); every reference line must be found, in
 * order, and each number must agree within GOLDEN_REL_TOL (values printed
 * with %f to within 1e-6 absolute). With strict, our output may not hold
 * lines the reference lacks. Lines starting with one of the `skip`
 * prefixes are ignored on both sides, and so are the permutation progress
 * lines ("  1.23% of Permutation test rounds,  42.11% of Permutation
 * tests", which data/'s reference outputs had removed); nothing else is
 * loosened. Returns the number of mismatches
 * and stores the worst relative deviation; messages go to `log`.
 */
int golden_compare_text(const char *ours, const char *ref, int strict,
                        const char *const *skip, double *worst, char *log, size_t logsz);

/* Compare NIST-style JSON documents' testCases value by value. */
int golden_compare_nist_json(const char *ours, const char *ref, double *worst,
                             char *log, size_t logsz);

/* Lowercase hex SHA-256 of a buffer (OpenSSL). */
void golden_sha256_hex(const void *buf, size_t len, char out[65]);

/* Load a sample file and run the non-IID track (bits inferred). */
int golden_assess(const char *path, int verbose, int threads, char **text,
                  char **nist_json, ea_dataset *ds, ea_noniid_result *res);

#endif
