/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nist_stream.h - the NIST drop-ins' text in the pieces a long run prints as it goes, as the
 * reference does (ea_iid, ea_restart -i): everything before a permutation test when the test
 * starts, one progress line per permutation round at -v, the rest at the end. The pieces,
 * printed in order without the progress lines, are exactly ea_render_nist_iid_text() and
 * ea_render_nist_restart_text().
 */
#ifndef EA_NIST_STREAM_H
#define EA_NIST_STREAM_H

#include <stdio.h>

#include "reports.h"

/* ea_iid: part 0 runs up to the permutation test's unpermuted results (and, at -v, "Beginning
 * permutation tests... these may take some time"); part 1 is the rest. */
void ea_render_nist_iid_text_part(FILE *f, const ea_iid_report *r, int verbose, int part);

/* ea_restart: the first line, "H_I: %f", which the reference prints before it computes the
 * cutoff (its simulation takes most of a -n run). */
void ea_render_nist_restart_h_i(FILE *f, double h_i);

/* ea_restart after that line: part 1 runs up to the rows' unpermuted results when the
 * permutation tests ran (-i, sanity check passed), else to the end; part 2 holds the rows'
 * count table and the columns' unpermuted results, part 3 the rest. */
void ea_render_nist_restart_text_part(FILE *f, const ea_restart_report *r, int verbose, int part);

/* The reference's progress line at -v (iid/permutation_tests.h), one per permutation round:
 * "%6.02f%% of Permutation test rounds, %6.02f%% of Permutation tests" with done of total
 * rounds and settled of 19 statistics; on a terminal (tty) "\r" first and no newline, as the
 * reference, else a newline. The reference's " (Core i/n, passed_count k)" is left out: our
 * rounds are counted in permutation order, not per core. */
void ea_render_nist_perm_progress(FILE *f, long done, long total, int settled, int tty);

#endif
