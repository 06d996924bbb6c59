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
    case EA_ERR_IO:        return "a file or directory could not be read or written";
    case EA_ERR_NOT_EMPTY: return "the output directory is not empty";
    case EA_ERR_LOCKED:    return "the collection directory is in use by another run";
    case EA_ERR_STATE:     return "no interrupted collection, or its state does not match the directory";
    case EA_ERR_SOURCE:    return "the noise source failed";
    case EA_ERR_RESTART:   return "a restart failed";
    case EA_ERR_INPUT:     return "the imported data is malformed";
    case EA_ERR_INTERRUPTED: return "interrupted; the collection can be resumed";
    case EA_ERR_MANIFEST:  return "the collection does not match its manifest";
    case EA_ERR_SYSTEM:    return "the system refused a request";
    }
    return "unknown status";
}
