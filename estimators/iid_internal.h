/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iid_internal.h - interfaces between the IID-track files inside the
 * library. Not part of the public header.
 */
#ifndef EA_IID_INTERNAL_H
#define EA_IID_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

/*
 * §5.1.11 compression statistic: the length in bytes of the bzip2
 * compression (block size 5, verbosity 0, work factor 0, as NIST's tool)
 * of the samples `raw` written as unsigned decimal numbers separated by
 * single spaces. `max_symbol` is the dataset's largest masked symbol (it
 * bounds the text's size). A compression failure gives 0, as in the
 * reference.
 *
 * ea_iid_compression_new() allocates reusable scratch (text buffer,
 * output buffer, bzip2 state) for samples of length n; one per thread.
 */
typedef struct ea_iid_compressor ea_iid_compressor;

ea_status ea_iid_compressor_new(size_t n, uint8_t max_symbol, ea_iid_compressor **c);
void ea_iid_compressor_free(ea_iid_compressor *c);
/* on = 1: compute lengths with libbz2 itself (slower, same numbers);
 * 0: the exact length model (the default). */
void ea_iid_compressor_use_libbz2(ea_iid_compressor *c, int on);
ea_status ea_iid_compression_stat(ea_iid_compressor *c, const uint8_t *raw, size_t n,
                                  long double *out);

#endif
