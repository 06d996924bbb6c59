/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_collection.h - what fuzz_collection.c shares with its replay
 * driver: the small data files of its scratch collection (so the driver
 * can write manifests that list them correctly) and how many inputs
 * ea_col_verify accepted (so it can tell the valid cases reached EA_OK).
 */
#ifndef EA_FUZZ_COLLECTION_H
#define EA_FUZZ_COLLECTION_H

#include <stddef.h>
#include <stdint.h>

/* samples.bin, raw.u64, restart.bin, restart.u64, raw.txt */
#define FUZZ_COL_FILES 5
#define FUZZ_COL_SAMPLES 16      /* samples.bin, raw.u64, raw.txt */
#define FUZZ_COL_ROWS 2          /* restart.bin, restart.u64: 2 x 3 */
#define FUZZ_COL_COLS 3

/* File k's name and original content (k < FUZZ_COL_FILES). */
const char *fuzz_col_file(int k, const uint8_t **data, size_t *len);

/* Inputs ea_col_verify has accepted so far. */
unsigned long fuzz_col_accepted(void);

#endif
