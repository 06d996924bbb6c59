/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transpose_cmd.c - transpose of a restart matrix (SP 800-90B §3.1.4: 1000 restarts of 1000
 * samples each, one row per restart), in two dialects:
 *   ea_transpose     drop-in for NIST's ea_transpose 1.1.7: [-v] [-l index] FILE OUTFILE,
 *                    its -v lines; exit statuses 0/1/2 instead of its 255.
 *   ea90b transpose  the same operands; quiet unless -v.
 * The input (or its -l block of 1,000,000 samples) must hold exactly 1000 x 1000 samples; the
 * column-major output is written atomically (temporary file, fsync, rename).
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "ea90b.h"

/* §3.1.4: 1000 restarts (rows) of 1000 samples (columns). */
#define EA_RESTART_ROWS 1000
#define EA_RESTART_COLS 1000

typedef struct {
    int nist, verbose, subset;
    unsigned long index;
    const char *prog, *in_path, *out_path;
} tr_args;

static int usage(const tr_args *a, FILE *f, int rc)
{
    fprintf(f, "Usage: %s [-v] [-l INDEX] FILE OUTFILE\n"
               "Transpose a restart matrix: FILE holds 1000 restarts of 1000 samples each (one byte\n"
               "per sample, row after row); OUTFILE gets the columns, for the column tests of\n"
               "SP 800-90B 3.1.4.\n"
               "  -v        say what is read and written\n"
               "  -l INDEX  use block INDEX of 1000000 samples of FILE\n"
               "  --version\n", a->prog);
    return rc;
}

static int bad_usage(const tr_args *a, const char *what, const char *arg)
{
    return ea_usage_err(a->prog, a->prog, what, arg);
}

static int option(tr_args *a, int argc, char **argv, int *i)
{
    const char *s = argv[*i];

    if (strcmp(s, "--help") == 0)
        return usage(a, stdout, 0);
    if (strcmp(s, "--version") == 0) {
        if (a->nist)
            printf("transpose %s\n\nea90b %s: a NIST-compatible reimplementation of "
                   "SP800-90B_EntropyAssessment.\n", EA90B_NIST_VERSION, EA90B_VERSION);
        else
            printf("ea90b %s (NIST SP800-90B_EntropyAssessment %s parity)\n", EA90B_VERSION,
                   EA90B_NIST_VERSION);
        return 0;
    }
    if (strcmp(s, "-v") == 0) {
        a->verbose++;
        return -1;
    }
    if (strncmp(s, "-l", 2) == 0) {
        const char *v = s[2] ? s + 2 : (*i + 1 < argc ? argv[++*i] : NULL);

        if (v == NULL || ea_parse_ulong(v, &a->index) != 0)
            return bad_usage(a, "-l needs a block index (a non-negative integer)", v);
        a->subset = 1;
        return -1;
    }
    return bad_usage(a, "unknown option", s);
}

static int parse(tr_args *a, int argc, char **argv)
{
    const char *pos[2];
    int npos = 0, rc, only_pos = 0;

    for (int i = 1; i < argc; i++) {
        if (!only_pos && strcmp(argv[i], "--") == 0) {
            only_pos = 1;
        } else if (!only_pos && argv[i][0] == '-' && argv[i][1] != '\0') {
            if ((rc = option(a, argc, argv, &i)) >= 0)
                return rc;
        } else if (npos == 2) {
            return bad_usage(a, "too many operands", argv[i]);
        } else {
            pos[npos++] = argv[i];
        }
    }
    if (npos != 2)
        return bad_usage(a, "needs FILE and OUTFILE", NULL);
    a->in_path = pos[0];
    a->out_path = pos[1];
    return -1;
}

static void describe(const tr_args *a, const ea_input *in)
{
    ea_dataset ds;

    if (a->nist && ea_dataset_init(&ds, in->data, in->len, 0) == EA_OK) {
        printf("Loaded %zu samples of %d distinct %d-bit-wide symbols\n", ds.len, ds.alph_size,
               ds.bits);
        ea_dataset_free(&ds);
    }
}

static int write_columns(const tr_args *a, const uint8_t *m)
{
    ea_outfile o;

    if (ea_out_open(a->prog, a->out_path, &o) != 0)
        return EXIT_DATA;
    for (size_t c = 0; c < EA_RESTART_COLS; c++)
        for (size_t r = 0; r < EA_RESTART_ROWS; r++)
            putc(m[r * EA_RESTART_COLS + c], o.f);
    return ea_out_commit(a->prog, &o) == 0 ? 0 : EXIT_DATA;
}

int ea_cmd_transpose(int argc, char **argv, int nist)
{
    tr_args a = { 0 };
    ea_input in;
    const unsigned long block = EA_RESTART_ROWS * EA_RESTART_COLS;
    int rc;

    a.nist = nist;
    a.verbose = 1;
    a.prog = nist ? "ea_transpose" : "ea90b transpose";
    if ((rc = parse(&a, argc, argv)) >= 0)
        return rc;
    if (a.verbose > 1 && !a.subset)
        printf("Opening input file: '%s'\n", a.in_path);
    else if (a.verbose > 1)
        printf("Opening file: '%s', reading block %lu of size %lu\n", a.in_path, a.index, block);
    if (ea_read_input(a.prog, a.in_path, a.index, a.subset ? block : 0, &in) != 0)
        return EXIT_DATA;
    if (a.verbose > 1)
        describe(&a, &in);
    if (in.len != block && a.subset) {
        ea_err(a.prog, "block %lu of '%s' (samples from %lu on) must hold exactly %lu samples "
                       "(%d restarts x %d samples); got %zu", a.index, a.in_path, a.index * block,
               block, EA_RESTART_ROWS, EA_RESTART_COLS, in.len);
        ea_input_free(&in);
        return EXIT_DATA;
    }
    if (in.len != block) {
        ea_err(a.prog, "'%s' must hold exactly %lu samples (%d restarts x %d samples); got %zu",
               a.in_path, block, EA_RESTART_ROWS, EA_RESTART_COLS, in.len);
        ea_input_free(&in);
        return EXIT_DATA;
    }
    if (a.verbose > 1)
        printf("Opening output file: '%s'\n", a.out_path);
    fflush(stdout);
    rc = write_columns(&a, in.data);
    ea_input_free(&in);
    return rc;
}
