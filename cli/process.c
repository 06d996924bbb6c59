/* SPDX-License-Identifier: Apache-2.0 */
/*
 * process.c - what every ea90b program sets up before it starts work.
 *
 * A file-size limit (`ulimit -f`) must not kill a command silently with
 * SIGXFSZ, halfway through a collection or a report: with the signal
 * ignored, the write that crosses the limit fails with EFBIG ("File too
 * large"), which the command reports like a full disk, and the usual
 * cleanup runs (nothing half-written is left under a final name).
 */
#include <signal.h>

#include "commands.h"

void ea_process_init(void)
{
    signal(SIGXFSZ, SIG_IGN);
}
