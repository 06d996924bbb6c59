/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frontend.h - what the assessment front ends share: the reference's
 * command line (-i -c -a -t -v -q -l -o, --version) plus ea90b's long
 * options, loading the sample file into a dataset with the reference's
 * messages, and writing JSON atomically.
 *
 * Two dialects: ea90b's (summary or --json, warnings on stderr) and the
 * NIST drop-ins' (the reference's stdout lines and -o JSON).
 */
#ifndef EA_CLI_FRONTEND_H
#define EA_CLI_FRONTEND_H

#include <stdint.h>
#include <stdio.h>

#include "common.h"
#include "ea90b.h"

typedef enum { EA_TRACK_NONIID, EA_TRACK_IID } ea_track;

typedef struct {
    int nist;               /* 1: NIST drop-in dialect */
    ea_track track;
    const char *prog;       /* for messages: "ea90b iid", "ea_iid" ... */
    int initial, all_bits, verbose, quiet, json, threads;
    int full;               /* IID: compute every statistic to the end */
    int libbz2;             /* IID: compression statistic by libbz2 itself */
    int seed_given;
    uint64_t seed;
    unsigned long win_index, win_samples;
    const char *out_path;   /* -o */
    ea_outfile *out;        /* -o opened before the assessment (NULL: none) */
    const char *file;
    int bits;               /* 0: infer */
    char timestamp[16];
    char *commandline;
} ea_front;

/* Defaults for a dialect and track. argv0 is recorded in the command line. */
void ea_front_init(ea_front *a, int nist, ea_track track);

/* Parse argv (argv[0] is the program or subcommand). Returns -1 to go on,
 * otherwise the exit status (0 after --help/--version). */
int ea_front_parse(ea_front *a, int argc, char **argv);

/* Read the file, build the dataset, print the reference's preamble (NIST
 * dialect) or warnings (ea90b dialect), apply -t. Returns 0, or the exit
 * status after printing the error (and writing the NIST error JSON). */
int ea_front_load(ea_front *a, ea_input *in, ea_dataset *ds);

/*
 * The refusals every front end that assesses a sample file shares (ea90b noniid, ea_non_iid,
 * ea_conditioning -i): one line on stderr, EXIT_DATA; 0 when the data are usable.
 *   one symbol:  "'FILE' holds a single symbol value: no entropy can be awarded"
 *   too short:   "'FILE' holds N samples: too few for the non-IID estimators, which need at
 *                 least M here (...)", M = ea_noniid_min_samples(ds, initial).
 */
int ea_front_refuse_one_symbol(const char *prog, const char *file, const ea_dataset *ds);
int ea_front_refuse_short(const char *prog, const char *file, const ea_dataset *ds, int initial);

/* Write JSON with `render` to -o FILE (atomically; the file opened before
 * the assessment when path is -o) or stdout ("-"). */
typedef int (*ea_render_fn)(FILE *f, const void *report);
int ea_front_write_json(const ea_front *a, const char *path, ea_render_fn render,
                        const void *report);

void ea_front_free(ea_front *a);

/* What a front end does with a loaded dataset; returns the exit status. */
typedef int (*ea_assess_fn)(const ea_front *a, const ea_input *in, const ea_dataset *ds);

/*
 * A whole front end: parse argv, draw and announce the permutation seed
 * (IID track), record the command line, load the data, run `assess`.
 * nist = 1: argv[0] is the program; nist = 0: argv[0] is the subcommand
 * and argv[-1] the program (only used to record the command line).
 */
int ea_front_main(int argc, char **argv, int nist, ea_track track, ea_assess_fn assess);


#endif
