/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runtime.c - timing and threading helpers shared inside libea90b
 * (shared.h). No state: every call is independent.
 */
#include <time.h>

#include "shared.h"

#define MAX_THREADS 64

double ea_seconds_now(void)
{
    struct timespec ts;

    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void ea_run_threads(thrd_start_t fn, void *arg, int threads)
{
    thrd_t tid[MAX_THREADS];
    int started = 0;

    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    for (int t = 1; t < threads; t++) {
        if (thrd_create(&tid[started], fn, arg) != thrd_success)
            break;
        started++;
    }
    fn(arg);
    for (int t = 0; t < started; t++)
        thrd_join(tid[t], NULL);
}
