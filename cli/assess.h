/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assess.h - internal to cli/assess_*.c: the options of `ea90b assess`
 * and the stages that turn one collection directory into a report
 * document (reports/report.h, docs/report-format.md).
 */
#ifndef EA_CLI_ASSESS_H
#define EA_CLI_ASSESS_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>

#include "common.h"
#include "ea90b.h"

/* --bootstrap: blocks when --bootstrap-blocks is not given. */
#define EA_ASSESS_BOOTSTRAP_BLOCKS 10u

/* §4.4 default false-positive probability of the health tests: 2^-20. */
#define EA_ASSESS_HEALTH_ALPHA_LOG2 20

typedef struct {
    int given;               /* --conditioning was given */
    int vetted;              /* vetted (§3.1.5.1.1) or non-vetted (§3.1.5.2) */
    unsigned n_in, n_out, nw;
    double h_in;             /* 0: derived from the final entropy estimate */
    double h_prime;          /* non-vetted: entropy per output bit */
    const char *spec;        /* as given, for the report */
} ea_cond_spec;

typedef struct {
    const char *prog;        /* "ea90b assess" */
    double claim;            /* bits per sample; 0 with --osr until the width is known */
    long osr;                /* --osr N (0: --claim) */
    int seed_given;
    uint64_t seed;
    int threads;             /* per collection */
    int jobs;
    int series_workers;      /* a series: runs assessed at once (0: threads) */
    int quiet;               /* no progress lines */
    int simulate;            /* restart cutoff by simulation (reference) */
    int all_permutations;    /* run §5.1 even when chi-square or LRS already failed */
    int iid_claim;           /* --iid-claim: the submitter claims IID (§3.1.1); only then may the
                                IID track decide */
    int health_alpha_log2;
    unsigned bootstrap;      /* --bootstrap B: resamples (0: no bootstrap) */
    unsigned bootstrap_blocks;   /* --bootstrap-blocks M */
    ea_cond_spec cond;
    char *commandline;
    pthread_mutex_t *lock;   /* serialises progress lines between jobs */
} ea_assess_opts;

/* Progress line on stderr: "ea90b assess: DIR: text". */
void ea_assess_note(const ea_assess_opts *o, const char *dir, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One samples file to assess: a single collection's samples.bin or a run of a series. */
typedef struct {
    const ea_assess_opts *o;
    const char *dir;
    const char *where;       /* for messages: DIR, or DIR/samples-03.bin */
    const char *file;        /* the file's name in DIR */
    const ea_input *in;      /* its bytes, size and SHA-256 */
    const ea_dataset *ds;
    const char *timestamp;
    int threads;             /* estimator threads */
    int terse;               /* no progress line as a track starts */
} ea_assess_unit;

/* The tracks' stages ({"report": ...}; the IID one with its seed). NULL after a
 * message with *rc the exit status. */
json_t *ea_assess_iid_stage(const ea_assess_unit *u, int *rc);
json_t *ea_assess_noniid_stage(const ea_assess_unit *u, int *rc);

/* --bootstrap: the stage object ({"status": "ran" | "error", ...}) for the unit's samples,
 * noniid its non-IID stage (the full-data values shown beside). */
json_t *ea_assess_bootstrap_stage(const ea_assess_unit *u, const json_t *noniid);

/* Read DIR/name whole, checking its SHA-256 against the manifest's entry.
 * 0, or 1 after a message. */
int ea_assess_read(const ea_assess_opts *o, const char *dir, const json_t *manifest,
                   const char *name, ea_input *in);

/* One run of a series, assessed (assess_series.c). */
typedef struct {
    char file[48], raw[48];  /* samples-NN.bin, raw-NN.u64 */
    json_t *iid;             /* the IID stage (every run under --iid-claim), else NULL */
    json_t *noniid;          /* the non-IID stage */
    double h;                /* the run's assessed min-entropy, bits per sample */
    int iid_track;           /* 1: h is the IID track's (claimed and every IID test passed) */
} ea_series_run;

/*
 * A series (manifest "runs" >= 2): assess every run's samples, in parallel
 * (one run per thread, o->threads of them), into runs[0..K-1] (malloc'd;
 * free with ea_series_runs_free) and the report's "series" object, whose
 * "decisive_run" is the lowest run (the verdict rests on it). 0, or an exit
 * status after a message (*data_bad: a file could not be read or changed).
 */
int ea_assess_series(const ea_assess_opts *o, const char *dir, const json_t *manifest,
                     const char *timestamp, ea_series_run **runs, size_t *nruns,
                     json_t **series, int *data_bad);
void ea_series_runs_free(ea_series_run *runs, size_t n);

/* Assess one collection directory and write DIR/report/. Returns an exit status. */
int ea_assess_dir(const ea_assess_opts *o, const char *dir, json_t **doc_out);

/* Raw data characterisation (§3.1.1 context): histogram, range, mean,
 * autocorrelation lags 1-32 of samples; raw deltas summary when given. */
json_t *ea_assess_data(const ea_dataset *ds, const uint64_t *raw, size_t nraw);

/* Stages that need the restart / health / conditioning libraries. Each
 * returns the stage object ({"status": "ran" | "skipped" | "error", ...}). */
json_t *ea_assess_restart(const ea_assess_opts *o, const char *dir, const ea_dataset *rows,
                          double h_i, int iid, uint64_t seed);
json_t *ea_assess_health(const ea_assess_opts *o, const ea_dataset *ds, double claim);
json_t *ea_assess_conditioning(const ea_assess_opts *o, double h_final, int bits, int iid);

/* Write report.md, report.html and (last) report.json into DIR/report/,
 * replacing an older report only once the new one is complete. */
int ea_assess_write(const char *prog, const char *dir, const json_t *doc);

/* Rename the finished directory tmp to DIR/name, replacing (then removing)
 * an older one; 0 or 1 after a message. */
int ea_dir_swap(const char *prog, const char *dir, const char *tmp, const char *name);
/* Remove a directory holding plain files only (our output directories). */
void ea_dir_remove_flat(const char *dir);

/* Parse --conditioning vetted,N_IN,N_OUT,NW[,H_IN] | nonvetted,N_IN,N_OUT,NW,H_PRIME
 * (no trailing text; H_IN <= N_IN; H_PRIME in (0, 1]). -1 with *why set. */
int ea_cond_parse(const char *s, ea_cond_spec *c, const char **why);

#endif
