/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suffix.h - internal: the longest-common-prefix sequence of a symbol
 * string in suffix-array order, for the SP 800-90B §6.3.5 (t-tuple) and
 * §6.3.6 (LRS) estimators. Not part of the public interface.
 */
#ifndef EA_SUFFIX_H
#define EA_SUFFIX_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

/*
 * Where ea_suffix_lcps() delivers its output.
 *
 * put() receives, in consecutive blocks, the values LCP[1..n-1]: LCP[i] is
 * the length of the longest common prefix of the i-th and (i-1)-th
 * suffixes in sorted order (0-based ranks). Anything but EA_OK stops the
 * scan and is returned by ea_suffix_lcps().
 *
 * restart() says that every value delivered so far is void and the
 * sequence starts again from LCP[1] (the producer switched method).
 *
 * put_all() may be NULL. When the producer holds the whole sequence in
 * memory (the linear-time method, used on highly repetitive data) it calls
 * put_all() instead of put(), once: lcp[0] = 0 and lcp[1..n-1] = LCP[1..n-1],
 * and the sink may overwrite lcp[j] for j <= i once it has read lcp[i]:
 * room for per-suffix state at no extra memory.
 */
typedef struct {
    void *ctx;
    ea_status (*put)(void *ctx, const int32_t *lcp, size_t count);
    void (*restart)(void *ctx);
    ea_status (*put_all)(void *ctx, int32_t *lcp, size_t n);
} ea_lcp_sink;

/* Largest n ea_suffix_lcps() accepts (suffix ranks are 32-bit). */
#define EA_SUFFIX_MAX_N ((size_t)INT32_MAX - 1u)

/*
 * Stream the LCP sequence of s[0..n-1] (symbols 0..k-1, 1 <= k <= 256,
 * 2 <= n <= EA_SUFFIX_MAX_N) to `sink`.
 * Returns EA_ERR_ARG for bad arguments or a symbol >= k, EA_ERR_NOMEM,
 * or what the sink returned.
 */
ea_status ea_suffix_lcps(const uint8_t *s, size_t n, int k, const ea_lcp_sink *sink);

#endif
