/* SPDX-License-Identifier: Apache-2.0 */
/*
 * noniid_cmd.c - the non-IID front end, in two dialects over one code
 * path:
 *   ea90b noniid   short summary or --json (ea90b's schema); warnings on
 *                  stderr;
 *   ea_non_iid     drop-in for NIST's ea_non_iid 1.1.7: same options,
 *                  same stdout lines at each verbosity, same -o JSON.
 */
#include <stdlib.h>

#include "commands.h"
#include "frontend.h"
#include "reports.h"

static int render_nist(FILE *f, const void *rep)
{
    return ea_render_nist_noniid_json(f, rep);
}

static int render_ea(FILE *f, const void *rep)
{
    return ea_render_noniid_json(f, rep);
}

static int emit(const ea_front *a, const ea_noniid_report *rep)
{
    if (a->nist)
        ea_render_nist_noniid_text(stdout, rep, a->verbose);
    else if (!a->json && !a->quiet)
        ea_render_noniid_summary(stdout, rep);
    if (fflush(stdout) != 0) {
        ea_err(a->prog, "write error on standard output");
        return EXIT_DATA;
    }
    if (a->nist && a->out_path)
        return ea_front_write_json(a, a->out_path, render_nist, rep);
    if (!a->nist && (a->json || a->out_path))
        return ea_front_write_json(a, a->out_path ? a->out_path : "-", render_ea, rep);
    return 0;
}

static int assess(const ea_front *a, const ea_input *in, const ea_dataset *ds)
{
    ea_noniid_opts opt = { .initial = a->initial, .threads = a->threads };
    ea_noniid_result *res = malloc(sizeof(*res));
    ea_noniid_report rep = { a->file, in->sha256, a->commandline, a->timestamp, ds, res,
                             a->initial, a->all_bits, a->win_index, a->win_samples,
                             in->file_bytes, a->threads, 0.0 };
    double t0 = ea_wall();
    ea_status st;
    int rc;

    if (res == NULL) {
        ea_err(a->prog, "out of memory");
        return EXIT_DATA;
    }
    st = ea_noniid_run(ds, &opt, res);
    rep.seconds = ea_wall() - t0;
    if (st != EA_OK) {
        ea_err(a->prog, "assessment failed: %s", ea_strerror(st));
        rc = EXIT_DATA;
    } else {
        rc = emit(a, &rep);
    }
    free(res);
    return rc;
}

int ea_cmd_noniid(int argc, char **argv, int nist)
{
    return ea_front_main(argc, argv, nist, EA_TRACK_NONIID, assess);
}
