/* SPDX-License-Identifier: Apache-2.0 */
/*
 * series_gate.h - the statistical part of `ea90b check --baseline`: when
 * the current report, the baseline or both come from a series (ea90b
 * collect --runs K), compare their runs' assessed min-entropy with a
 * one-sided Mann-Whitney test and a practical minimum drop
 * (docs/ci.md). No printing, no I/O.
 */
#ifndef EA_SERIES_GATE_H
#define EA_SERIES_GATE_H

#include <stddef.h>

#include <jansson.h>

#include "check_gate.h"

typedef struct {
    double alpha;        /* the test's false-alarm rate, (0, 0.5] */
    double min_effect;   /* percent the median must drop to fail (as well as p <= alpha) */
    double max_drop;     /* percent: the band for a series against a single collection */
} ea_series_gate_opts;

/* Defaults: alpha 0.01, min_effect 10 %, max_drop 50 %. */
#define EA_SERIES_ALPHA 0.01
#define EA_SERIES_MIN_EFFECT 10.0

/*
 * The rows comparing doc with base when either is a series: 0 when
 * neither is (nothing added), 1 when rows were added to s, -1 when the
 * comparison cannot be made, with the reason in err: a malformed series,
 * or sizes for which no outcome could reach alpha (the gate could never
 * fail).
 */
int ea_series_gate(ea_check_set *s, const json_t *doc, const json_t *base,
                   const ea_series_gate_opts *o, char *err, size_t errlen);

/* 1 when the report is a series' ("series" with its runs' values). */
int ea_report_is_series(const json_t *doc);

#endif
