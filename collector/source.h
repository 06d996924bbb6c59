/* SPDX-License-Identifier: Apache-2.0 */
/*
 * source.h - noise sources of the raw-noise collector, their timers, the
 * timer probe, symbol extraction and the import of deltas recorded
 * elsewhere. Owned by collector/{timer,jent,memtouch,extract,import,probe}.c.
 *
 * Conventions: a function that can fail returns an ea_status (ea90b.h;
 * ea_strerror() names it): EA_OK on success, or a negative code with a
 * one-line reason in err (errlen bytes, err may be NULL):
 *   EA_ERR_ARG     an invalid configuration or argument
 *   EA_ERR_NOMEM   an allocation failed
 *   EA_ERR_SOURCE  the timer cannot be read, or the source cannot be set
 *                  up or read (OpenSSL's SHA3-256 included)
 *   EA_ERR_IO      an import file cannot be opened or read, or is not a
 *                  regular file
 *   EA_ERR_INPUT   imported data are malformed or short (a bad line, a
 *                  size not a multiple of 8, an empty file)
 * Left as plain values, since they report no error: the *_parse helpers
 * (0 when the name is known, -1 when not; no err), ea_mask_bits (a count),
 * ea_gcd_u64 (a value) and ea_extract (cannot fail). Nothing here prints
 * or exits.
 */
#ifndef EA_COLLECTOR_SOURCE_H
#define EA_COLLECTOR_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"
#include "ea90b_collect.h"

typedef enum { EA_SRC_JENT = 0, EA_SRC_MEMTOUCH } ea_src_kind;

/* EA_TIMER_AUTO: rdtsc on x86-64, cntvct_el0 on aarch64, CLOCK_MONOTONIC elsewhere. */
typedef enum { EA_TIMER_AUTO = 0, EA_TIMER_MONOTONIC } ea_timer_kind;

typedef struct {
    ea_src_kind kind;
    ea_timer_kind timer;
    unsigned memory_bits;   /* jent: log2 of the memory-access buffer; 0 = from the L1d size */
    unsigned hash_loops;    /* jent: SHA3-256 loop count; 0 = default */
    /* Added by the sources (backwards compatible: 0 keeps the default). */
    unsigned mem_loops;     /* jent: memory accesses per sample; 0 = default (128) */
    unsigned library;       /* jent: 1 = "library" mode: the noise core as the library runs it
                               (its own C SHA-3, 1 hash loop by default, built -O0; jent_o0.c) */
} ea_src_config;

/* Defaults and limits of the jent parameters (docs/noise-sources.md). */
#define EA_JENT_MEM_LOOPS_DEFAULT 128u   /* jitterentropy's JENT_MEM_ACC_LOOP_DEFAULT */
#define EA_JENT_HASH_LOOPS_DEFAULT 6u    /* the library: 1 (JENT_HASH_LOOP_DEFAULT), see docs */
#define EA_JENT_HASH_LOOPS_LIBRARY 1u    /* library mode: the library's JENT_HASH_LOOP_DEFAULT */
#define EA_JENT_MEMORY_BITS_UNKNOWN 18u  /* 256 KiB when the L1d size is unknown */
/* The ranges are the public ones of ea90b_collect.h (one definition). */
#define EA_JENT_MEMORY_BITS_MIN EA_COL_MEMORY_BITS_MIN  /* --memory-bits range: 1 KiB .. */
#define EA_JENT_MEMORY_BITS_MAX EA_COL_MEMORY_BITS_MAX  /* .. 1 GiB */
#define EA_JENT_LOOPS_MAX EA_COL_LOOPS_MAX              /* --hash-loops / mem_loops upper bound */

typedef struct ea_source ea_source;

/* Create a source (allocates its buffers, initialises the timer).
 * EA_ERR_ARG (configuration), EA_ERR_NOMEM, EA_ERR_SOURCE (timer, OpenSSL). */
ea_status ea_source_open(const ea_src_config *cfg, ea_source **out, char *err, size_t errlen);

/* Fill deltas[0..n) with n consecutive raw samples (timer deltas).
 * EA_ERR_ARG (no source or buffer), EA_ERR_SOURCE (OpenSSL failed). */
ea_status ea_source_read(ea_source *s, uint64_t *deltas, size_t n, char *err, size_t errlen);

/* Name of the source ("jent", "memtouch") and of its timer ("rdtsc", "cntvct_el0", "clock_monotonic"). */
const char *ea_source_name(const ea_source *s);
const char *ea_source_timer_name(const ea_source *s);

/* The configuration actually used (defaults resolved), e.g. memory_bits from the L1d size. */
void ea_source_config_used(const ea_source *s, ea_src_config *cfg);

void ea_source_close(ea_source *s);

/* Parse "jent"/"memtouch" and "auto"/"monotonic". Return 0, or -1 for an
 * unknown name (a yes/no answer, not an ea_status). */
int ea_src_kind_parse(const char *s, ea_src_kind *k);
int ea_timer_kind_parse(const char *s, ea_timer_kind *k);

/* ---- timer probe (ea90b probe) ---- */
typedef struct {
    const char *timer;        /* timer name */
    int present;              /* the timer can be read */
    int monotonic;            /* no backwards step seen */
    double read_cost_ns;      /* mean cost of one read */
    uint64_t resolution;      /* smallest non-zero delta seen, in timer ticks */
    double ticks_per_ns;      /* timer frequency estimate (0 if unknown) */
    uint64_t gcd;             /* GCD of the jent deltas */
    double stuck_share;       /* share of stuck samples (jitterentropy's definition) */
    size_t samples;           /* deltas examined */
    /* Added by the sources (appended; jitterentropy's start-up checks). */
    size_t backwards;         /* back-to-back reads that stepped backwards (library allows 3) */
    double variation;         /* mean |delta[i] - delta[i-1]| of the jent deltas, in ticks;
                                 the library needs >= 1 (EMINVARVAR at osr 1) */
    uint64_t delta_min, delta_max;   /* of the jent deltas */
    uint64_t freq_hz;         /* the timer's frequency as the hardware states it (cntfrq_el0
                                 for cntvct_el0; 1e9 for CLOCK_MONOTONIC); 0: not stated (rdtsc) */
} ea_probe_result;

/* jitterentropy's start-up limits: more stuck deltas than this share, or a
 * GCD this large, and the library refuses the timer (ESTUCK, ECOARSETIME). */
#define EA_PROBE_STUCK_MAX 0.9
#define EA_PROBE_GCD_MAX (UINT32_MAX / 2)
#define EA_PROBE_BACKWARDS_MAX 3u

/* A timer that cannot be read is a finding (present = 0, EA_OK), not an
 * error. EA_ERR_ARG (samples < 2), EA_ERR_NOMEM, EA_ERR_SOURCE (jent). */
ea_status ea_timer_probe(ea_timer_kind kind, size_t samples, ea_probe_result *r, char *err,
                         size_t errlen);

/* ---- extraction (jitterentropy's extractlsb) ---- */

/* Bits set in mask; a valid extraction mask has 1..8. */
int ea_mask_bits(uint64_t mask);

/* GCD of all deltas (0 when all are 0). */
uint64_t ea_gcd_u64(const uint64_t *d, size_t n);

/* out[i] = the bits of (d[i] / divisor) selected by mask, packed toward the
 * least significant end (divisor 1: none). mask must have 1..8 bits. */
void ea_extract(const uint64_t *d, size_t n, uint64_t mask, uint64_t divisor, uint8_t *out);

/* ---- import of deltas recorded elsewhere ---- */
typedef enum { EA_IMPORT_AUTO = 0, EA_IMPORT_TEXT, EA_IMPORT_U64LE } ea_import_format;

/* Read deltas from path: one decimal integer per line, or little-endian u64.
 * A malformed line is reported with its line number. *d is malloc'd; on
 * failure *d is NULL and *n 0. EA_ERR_IO (cannot open or read, not a
 * regular file), EA_ERR_INPUT (empty, a bad line, a size not a multiple
 * of 8), EA_ERR_NOMEM. */
ea_status ea_import_read(const char *path, ea_import_format fmt, uint64_t **d, size_t *n,
                         char *err, size_t errlen);

/*
 * The same parsers on a buffer already in memory (the output of an
 * external recorder, spawn.c): *fmt AUTO is replaced by the format
 * detected. `what` names the data in messages ("restart 17: line 3 ...").
 * EA_ERR_INPUT for no output or a malformed line.
 */
ea_status ea_import_parse(const char *what, const char *buf, size_t len, ea_import_format *fmt,
                          uint64_t **d, size_t *n, char *err, size_t errlen);

#endif
