/*
 * json_util.h - pieces shared by ea90b's own JSON reports.
 */
#ifndef EA_JSON_UTIL_H
#define EA_JSON_UTIL_H

#include <jansson.h>
#include <stddef.h>

#include "ea90b.h"

/* The "input" object: file identity, sample count, width, alphabet,
 * bitstring length and the -l window (subset_size > 0). */
json_t *ea_json_input(const char *filename, const char *sha256, size_t file_bytes,
                      const ea_dataset *ds, unsigned long subset_index,
                      unsigned long subset_size);

#endif
