/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea90b_collect.h - the raw-noise collection engine (libea90b_collect):
 * record SP 800-90B raw data into a collection directory that `ea90b
 * verify`, `ea90b assess` and a lab can trust (docs/library.md).
 *
 * A collection directory holds the consecutive samples (§3.1.1: raw.u64,
 * samples.bin), the restart data (§3.1.4: restart.u64, restart.bin) and a
 * manifest.json binding every file to its SHA-256, with the host facts and
 * the source's configuration (docs/collector.md).
 *
 * Use:
 *     ea_col_config cfg = ea_col_config_default();
 *     ea_col_options opt = ea_col_options_default();
 *     ea_collection *c;
 *     cfg.samples = 100000;
 *     opt.restart_exe = "/proc/self/exe";     (exec restarts: see below)
 *     if (ea_col_open(dir, &cfg, &opt, &c, err, sizeof err) == EA_OK) {
 *         st = ea_col_run(c, NULL, err, sizeof err);
 *         st2 = ea_col_close(c, err2, sizeof err2);
 *     }
 *
 * Guarantees (docs/collector.md, "Nothing lost, nothing faked"): no file of
 * the directory carries its final name before manifest.json exists; a run
 * that fails, is stopped (should_stop) or is killed leaves a directory that
 * `ea_col_open(... EA_COL_RESUME ...)` continues from the first missing
 * restart row; a fresh run that fails before its first phase ends leaves
 * nothing; one run at a time holds a directory (flock).
 *
 * Errors: every call returns an ea_status (ea90b.h; ea_strerror() names
 * it) and, where it takes err/errlen, a one-line reason naming the file or
 * the value (err may be NULL). Nothing here prints or exits.
 *
 * Side effects a caller should know: a configuration with cpu >= 0 pins
 * the calling thread to that CPU from ea_col_run() until ea_col_close(),
 * which restores the affinity; OpenSSL is initialised without reading
 * openssl.cnf, so the collector and every restart process hash with the
 * same built-in provider.
 */
#ifndef EA90B_COLLECT_H
#define EA90B_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "ea90b.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Configuration                                                        */
/* ------------------------------------------------------------------ */

typedef enum {
    EA_COL_JENT = 0,     /* built-in model of jitterentropy's noise (memory access + hash) */
    EA_COL_MEMTOUCH,     /* built-in model: timed accesses to a large buffer */
    EA_COL_IMPORT,       /* deltas recorded elsewhere, read from files */
    EA_COL_EXEC          /* an external recorder: a program run once for the samples and
                            once per restart (docs/collector.md, "The exec protocol") */
} ea_col_source;

typedef enum {
    EA_COL_JENT_OPENSSL = 0,   /* the default model: SHA3-256 through OpenSSL, 6 hash loops */
    EA_COL_JENT_LIBRARY        /* as the library runs its core: its own C SHA-3, 1 hash loop,
                                  the core built with -O0 (docs/noise-sources.md) */
} ea_col_jent_mode;

typedef enum {
    EA_COL_TIMER_AUTO = 0,     /* rdtsc on x86-64, cntvct_el0 on aarch64 */
    EA_COL_TIMER_MONOTONIC     /* clock_gettime(CLOCK_MONOTONIC) */
} ea_col_timer;

typedef enum {
    EA_COL_RESTART_EXEC = 0,   /* a fresh process per restart (ea_col_options.restart_exe) */
    EA_COL_RESTART_INPROC      /* a fresh source object in this process */
} ea_col_restart_mode;

typedef enum {
    EA_COL_FORMAT_AUTO = 0,    /* import: text when the file reads as decimal lines */
    EA_COL_FORMAT_TEXT,        /* one decimal delta per line */
    EA_COL_FORMAT_U64          /* little-endian u64 */
} ea_col_format;

/* Limits (docs/collector.md). */
#define EA_COL_PATH_MAX 4096u             /* import paths, with the terminating NUL */
#define EA_COL_MAX_TOTAL 1000000000ull    /* samples, and rows x cols */
#define EA_COL_MEMORY_BITS_MIN 10u        /* jent buffer: 1 KiB .. */
#define EA_COL_MEMORY_BITS_MAX 30u        /* .. 1 GiB */
#define EA_COL_LOOPS_MAX 65536u           /* jent mem_loops, hash_loops */
#define EA_COL_ARGV_MAX 8192u             /* exec: the program and its arguments, all together */
#define EA_COL_LABEL_MAX 256u             /* source_label, source_version */
#define EA_COL_RUNS_MAX 999u              /* runs in a series */

/*
 * What to record. Take ea_col_config_default() and change fields; the
 * defaults record SP 800-90B's amounts: 1,000,000 consecutive samples and
 * 1000 restarts of 1000 samples (§3.1.1, §3.1.4) from the jent source.
 */
typedef struct {
    ea_col_source source;
    ea_col_timer timer;
    unsigned memory_bits;     /* jent: log2 of the buffer, 10..30; 0: from the L1d size */
    unsigned mem_loops;       /* jent: memory accesses per sample, 1..65536; 0: 128 */
    unsigned hash_loops;      /* jent: SHA3-256 loops per sample, 1..65536; 0: 6 (library mode: 1) */
    ea_col_jent_mode jent_mode;   /* jent: how the noise core runs */
    char input[EA_COL_PATH_MAX];           /* import: the deltas ("" for other sources) */
    char restart_input[EA_COL_PATH_MAX];   /* import: rows x cols restart deltas, or "" */
    ea_col_format import_format;
    uint64_t samples;         /* consecutive samples, 1..1e9; import: 0 takes the whole file */
    unsigned runs;            /* a series: runs independent runtime collections of `samples`
                                 each (1..999; 1: a single collection); the restarts once */
    uint64_t rows, cols;      /* restarts: rows of cols samples; rows 0: no restart data */
    ea_col_restart_mode restart_mode;
    int cpu;                  /* pin the run (and every restart process) to this CPU; -1: no */
    uint64_t mask;            /* extraction: bits of each delta kept, 1 to 8 bits set */
    int divide_gcd;           /* extraction: divide every delta by the GCD of all first */
    int text;                 /* also write raw.txt, one decimal delta per line */
    /* exec: the program and its arguments (set with ea_col_config_set_argv) */
    char exec_argv[EA_COL_ARGV_MAX];   /* exec_argc strings, each NUL-terminated */
    unsigned exec_argc;
    ea_col_format exec_format;         /* what the program writes; AUTO: detected once */
    double exec_timeout;               /* seconds one run may take; 0: no limit */
    /* import, exec: the host facts of the machine that recorded the data, a file written
     * there by `ea90b probe --json` ("": import: unknown; exec: this machine) */
    char host_facts[EA_COL_PATH_MAX];
    /* any source: free text recorded in the manifest ("": none) */
    char source_label[EA_COL_LABEL_MAX];    /* e.g. "jitterentropy in libfoo-fips 2.1" */
    char source_version[EA_COL_LABEL_MAX];  /* e.g. "3.6.3" */
} ea_col_config;

ea_col_config ea_col_config_default(void);

/* Store the exec program and its arguments (argc >= 1). EA_ERR_ARG when they do not fit. */
ea_status ea_col_config_set_argv(ea_col_config *cfg, int argc, const char *const *argv, char *err,
                                 size_t errlen);

/* The i-th of them (0: the program), or NULL past the last. */
const char *ea_col_config_arg(const ea_col_config *cfg, unsigned i);

/* Every value in range and the combination consistent (import needs input, ...). */
ea_status ea_col_config_check(const ea_col_config *cfg, char *err, size_t errlen);

/*
 * The configuration as a JSON object with the keys of collect.state.json
 * ("source", "timer", "memory_bits", "mem_loops", "hash_loops", "input",
 * "restart_input", "import_format", "samples", "rows", "cols",
 * "restart_mode", "cpu", "mask", "divide_gcd", "text", "jent_mode", "exec_argv",
 * "exec_format", "exec_timeout", "host_facts", "source_label", "source_version", "runs";
 * docs/library.md).
 * malloc'd; NULL when out of memory.
 */
char *ea_col_config_to_json(const ea_col_config *cfg);

/*
 * Parse such an object: keys that are absent keep their defaults; an
 * unknown key, a value of the wrong type, an unknown name or a value out
 * of range is refused (EA_ERR_ARG, the key named in err), and the result
 * passes ea_col_config_check().
 */
ea_status ea_col_config_from_json(const char *json, ea_col_config *cfg, char *err, size_t errlen);

/* "jent", "memtouch", "import", "exec"; "auto", "monotonic"; "exec", "inproc"; "auto", "text", "u64". */
const char *ea_col_source_name(ea_col_source s);
const char *ea_col_timer_name(ea_col_timer t);
const char *ea_col_restart_mode_name(ea_col_restart_mode m);
const char *ea_col_format_name(ea_col_format f);

/* ------------------------------------------------------------------ */
/* Opening, running and closing a collection                            */
/* ------------------------------------------------------------------ */

typedef enum {
    EA_COL_NEW = 0,   /* create DIR, or take an existing empty one */
    EA_COL_FORCE,     /* as NEW, but first remove the collection files a non-empty DIR holds */
    EA_COL_RESUME     /* continue the interrupted collection in DIR with its own configuration */
} ea_col_open_mode;

typedef struct {
    ea_col_open_mode mode;
    const char *command_line;   /* recorded in the manifest (and each resume); NULL: "" */
    /*
     * Exec restarts start this program once per restart as
     *     restart_exe --ea90b-restart-child SPEC
     * and read its standard output. It must call ea_col_restart_child()
     * first thing in main(). "/proc/self/exe" names the calling program.
     * NULL: exec restarts are refused (EA_ERR_ARG).
     */
    const char *restart_exe;
} ea_col_options;

ea_col_options ea_col_options_default(void);

typedef struct ea_collection ea_collection;

/*
 * Open DIR. NEW/FORCE: cfg is checked, the restart program found, the
 * directory created (its parent must exist) or emptied (FORCE), locked
 * and its state written; any failure leaves DIR as it was (a DIR this
 * call created is removed). RESUME: cfg is ignored (NULL is fine); DIR is
 * locked and its state read and checked against the files; nothing is
 * written until ea_col_run(), so a caller can compare the configuration
 * (ea_col_get_config) and close without a trace.
 * EA_ERR_NOT_EMPTY, EA_ERR_LOCKED, EA_ERR_STATE, EA_ERR_IO, EA_ERR_ARG ...
 */
ea_status ea_col_open(const char *dir, const ea_col_config *cfg, const ea_col_options *opt,
                      ea_collection **out, char *err, size_t errlen);

/* The configuration the collection records (for RESUME: the interrupted run's). */
void ea_col_get_config(const ea_collection *c, ea_col_config *cfg);

typedef enum {
    EA_COL_PHASE_SAMPLES = 0,   /* the consecutive samples */
    EA_COL_PHASE_RESTARTS,      /* one row per restart */
    EA_COL_PHASE_FINISH         /* extraction, hashes, manifest.json, final names */
} ea_col_phase;

/* Points of the finish a caller can observe (tests kill the process there). */
typedef enum {
    EA_COL_STEP_BEFORE_MANIFEST = 0,   /* every output hashed; manifest.json not written */
    EA_COL_STEP_AFTER_MANIFEST         /* manifest.json written; no file renamed yet */
} ea_col_step;

/* Caller hooks; any may be NULL. ctx is passed back unchanged. */
typedef struct {
    void *ctx;
    /* Progress of a phase: done of total samples (a series: of all its runs together) or
     * restart rows. Often: keep it cheap. */
    void (*progress)(void *ctx, ea_col_phase phase, uint64_t done, uint64_t total);
    /* Polled between chunks of samples, between restarts and (every 50 ms) while a
     * restart process runs; non-zero stops the run with EA_ERR_INTERRUPTED. */
    int (*should_stop)(void *ctx);
    /* After each restart row is on disk; non-zero stops as should_stop does. */
    int (*row_done)(void *ctx, uint64_t rows_done, uint64_t rows);
    /* At each step of the finish. */
    void (*step)(void *ctx, ea_col_step step);
} ea_col_hooks;

/*
 * Run (or continue) the collection to the end: samples, restarts, finish.
 * EA_OK: complete, manifest.json written and every file under its final
 * name. EA_ERR_INTERRUPTED: stopped by a hook; ea_col_close() saves the
 * state and RESUME continues. Other errors name the failed step.
 */
ea_status ea_col_run(ea_collection *c, const ea_col_hooks *hooks, char *err, size_t errlen);

/* What a caller reports about a run (valid after ea_col_open; complete after EA_OK). */
typedef struct {
    ea_col_phase phase;        /* where the run is, or stopped */
    int complete;              /* manifest.json written, every file final */
    int resumed;               /* opened with EA_COL_RESUME */
    uint64_t samples;          /* consecutive samples recorded, per run (complete) */
    unsigned runs, runs_done;  /* runs of a series (1: single) and runs recorded */
    uint64_t rows, cols;       /* restarts configured (rows 0: none) */
    uint64_t rows_done;        /* restart rows on disk */
    char source[16];           /* "jent", "memtouch", "import" */
    char timer[24];            /* the timer read ("rdtsc" ...; complete); "" for import */
    char restart_mode[16];     /* "exec", "inproc" or "import" */
    uint64_t gcd;              /* GCD of the consecutive deltas (complete) */
    uint64_t divisor;          /* what the deltas were divided by (complete; 1: none) */
    char mask[24];             /* "0xff" */
    int one_symbol;            /* every sample of samples.bin has one value (complete) */
    unsigned symbol;           /* that value */
} ea_col_info;

void ea_col_info_get(const ea_collection *c, ea_col_info *info);

/*
 * End the run and release c: an unfinished collection keeps its state for
 * RESUME (a fresh one that failed in its first phase is removed instead),
 * the lock is released and the CPU affinity restored. Returns EA_OK, or
 * the error of saving the state.
 */
ea_status ea_col_close(ea_collection *c, char *err, size_t errlen);

/*
 * Check DIR against its manifest.json: complete, only the collection's own
 * files, sample counts consistent, every file's size and SHA-256 as
 * recorded (what `ea90b verify` does). EA_ERR_MANIFEST names the file.
 */
ea_status ea_col_verify(const char *dir, char *err, size_t errlen);

/*
 * The restart process of exec restarts: when argv is
 *     PROGRAM --ea90b-restart-child SPEC
 * open a fresh source as SPEC says, write its deltas to standard output
 * (little-endian u64) and return the exit status (0, or 1 after one line
 * on standard error, which the collector reports). Otherwise return -1 at
 * once, touching nothing. Call it first thing in main():
 *     int rc = ea_col_restart_child(argc, argv);
 *     if (rc >= 0)
 *         return rc;
 */
int ea_col_restart_child(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
