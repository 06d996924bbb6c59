/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shared.h - helpers shared by several files of libea90b (not part of the
 * public interface): wall-clock timing, running a worker on several
 * threads, and one §6.3 estimator run into a result side.
 */
#ifndef EA_SHARED_H
#define EA_SHARED_H

#include <stddef.h>
#include <stdint.h>
#include <threads.h>

#include "ea90b.h"

/* Wall-clock seconds (C11 timespec_get), for the timings results carry. */
double ea_seconds_now(void);

/*
 * Run fn(arg) on `threads` threads (at most 64): threads - 1 started ones
 * and the calling thread; returns when all have finished. If a thread
 * cannot be started, fewer run (fn must share its work out itself, e.g.
 * from an atomic counter, so the result does not depend on how many).
 */
void ea_run_threads(thrd_start_t fn, void *arg, int threads);

/*
 * Run one §6.3 estimator on n symbols of alphabet size k into `side`:
 * sets ran = 1, status and seconds. The dispatch both ea_noniid_run and
 * the restart tests (rows and columns) use.
 */
void ea_noniid_run_side(ea_estimator_id id, const uint8_t *s, size_t n, int k, ea_est_side *side);

#endif
