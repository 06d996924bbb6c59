/* SPDX-License-Identifier: Apache-2.0 */
/*
 * status.c - ea_strerror(): one message per ea_status value.
 */
#include "ea90b.h"

const char *ea_strerror(ea_status st)
{
    switch (st) {
    case EA_OK:            return "success";
    case EA_ERR_NOMEM:     return "out of memory";
    case EA_ERR_ARG:       return "invalid argument";
    case EA_ERR_EMPTY:     return "no samples";
    case EA_ERR_BITS:      return "bits per symbol must be between 1 and 8";
    case EA_ERR_WIDTH:     return "data does not fit within the declared bits per symbol";
    case EA_ERR_TOO_SHORT: return "too few samples for this estimator";
    case EA_ERR_ONE_SYMBOL:return "symbol alphabet consists of 1 symbol; no entropy awarded";
    case EA_ERR_NUMERIC:   return "numerical search did not converge";
    case EA_ERR_RANGE:     return "requested window lies outside the data";
    }
    return "unknown status";
}
