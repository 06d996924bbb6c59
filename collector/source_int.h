/* SPDX-License-Identifier: Apache-2.0 */
/*
 * source_int.h - internals shared by the noise sources (collector/source.c,
 * timer.c, jent.c, memtouch.c, probe.c). Not part of the collector's
 * interface: other code includes source.h only.
 *
 * The timer reads are static inline and carry a compiler memory barrier
 * ("memory" clobber), so the compiler can neither move the timed loads and
 * stores across a timestamp nor merge two timestamps (SP 800-90B §3.2.2
 * asks that the raw noise be recorded as the source produces it; the
 * jitterentropy library gets the same guarantee by compiling its core
 * with -O0, which this project does not do: docs/noise-sources.md).
 */
#ifndef EA_COLLECTOR_SOURCE_INT_H
#define EA_COLLECTOR_SOURCE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "outfile.h"   /* ea_col_fail: the collector's one error formatter */
#include "source.h"

/* The concrete timer behind an ea_timer_kind. */
typedef enum { EA_TID_RDTSC = 0, EA_TID_CNTVCT, EA_TID_MONOTONIC } ea_timer_id;

/* CLOCK_MONOTONIC in nanoseconds (the portable timer). */
static inline uint64_t ea_mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * One timestamp from timer t. rdtsc and cntvct_el0 are read without a
 * serialising fence, as the jitterentropy library reads them; the asm is
 * volatile with a memory clobber, so it is a compiler barrier.
 */
static inline uint64_t ea_timer_now(ea_timer_id t)
{
#if defined(__x86_64__)
    if (t == EA_TID_RDTSC) {
        uint32_t lo, hi;
        __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
        return ((uint64_t)hi << 32) | lo;
    }
#elif defined(__aarch64__)
    if (t == EA_TID_CNTVCT) {
        uint64_t v;
        __asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(v) : : "memory");
        return v;
    }
#endif
    {
        uint64_t v = ea_mono_ns();
        __asm__ __volatile__("" : : : "memory");
        return v;
    }
}

/* Resolve kind to the timer used on this machine: EA_ERR_SOURCE if it
 * cannot be read, EA_ERR_ARG for an unknown kind. */
ea_status ea_timer_resolve(ea_timer_kind kind, ea_timer_id *id, char *err, size_t errlen);

/* "rdtsc", "cntvct_el0", "clock_monotonic". */
const char *ea_timer_id_name(ea_timer_id id);

/* The frequency timer id states for itself, in Hz: cntfrq_el0 for cntvct_el0
 * (the generic timer's frequency register, set by firmware), 1e9 for
 * CLOCK_MONOTONIC (nanoseconds); 0 for rdtsc, which states none. */
uint64_t ea_timer_freq_hz(ea_timer_id id);

/* L1 data cache size in bytes (sysfs, then sysconf); 0 when unknown. */
unsigned long ea_l1d_bytes(void);


/* ---- the two sources; timer already validated (jent checks its ranges) ---- */
typedef struct ea_jent ea_jent;
/* EA_ERR_ARG (a value out of range), EA_ERR_NOMEM, EA_ERR_SOURCE (OpenSSL). */
ea_status ea_jent_open(const ea_src_config *cfg, ea_timer_id timer, ea_jent **out, char *err,
                       size_t errlen);
/* EA_OK, or EA_ERR_SOURCE when OpenSSL failed during the hash loop (no err:
 * the caller words it). The deltas are produced either way. */
ea_status ea_jent_read(ea_jent *j, uint64_t *deltas, size_t n);
void ea_jent_config(const ea_jent *j, ea_src_config *cfg);
void ea_jent_close(ea_jent *j);

/* The library-mode core (jent_o0.c, built -O0): NULL when out of memory. */
typedef struct ea_jent_core ea_jent_core;
ea_jent_core *ea_jent_core_new(ea_timer_id timer, unsigned memory_bits, unsigned mem_loops,
                               unsigned hash_loops);
void ea_jent_core_read(ea_jent_core *j, uint64_t *deltas, size_t n);
void ea_jent_core_free(ea_jent_core *j);

/* SHA3-256 (FIPS 202) in plain C, as library mode computes it (jent_o0.c). */
void ea_jent_sha3_256(const uint8_t *m, size_t n, uint8_t out[32]);

typedef struct ea_memtouch ea_memtouch;
/* EA_ERR_NOMEM when a buffer cannot be allocated. */
ea_status ea_memtouch_open(ea_timer_id timer, ea_memtouch **out, char *err, size_t errlen);
void ea_memtouch_read(ea_memtouch *m, uint64_t *deltas, size_t n);
void ea_memtouch_close(ea_memtouch *m);

#endif
