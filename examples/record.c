/* SPDX-License-Identifier: Apache-2.0 */
/*
 * record.c - record a small SP 800-90B collection through the public
 * interface of libea90b_collect alone (docs/library.md).
 *
 *     record DIR SAMPLES ROWSxCOLS
 *
 * writes DIR with SAMPLES consecutive samples of the built-in jent source
 * and ROWS restarts of COLS samples, each restart a fresh process (this
 * program again), and a manifest.json that `ea90b verify DIR` accepts.
 * It prints nothing but errors; Ctrl-C stops it and running it again with
 * the same DIR continues where it stopped.
 *
 * Build against an installed ea90b:
 *     cc record.c $(pkg-config --cflags --libs ea90b) -o record
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ea90b_collect.h>

static volatile sig_atomic_t stop_asked;

static void on_signal(int sig)
{
    stop_asked = sig;
}

static int should_stop(void *ctx)
{
    (void)ctx;
    return stop_asked != 0;
}

/* "ROWSxCOLS" into rows and cols; 0 or -1. */
static int parse_restarts(const char *s, uint64_t *rows, uint64_t *cols)
{
    char *x;

    *rows = strtoull(s, &x, 10);
    if (*x != 'x' || x == s)
        return -1;
    *cols = strtoull(x + 1, &x, 10);
    return *x == '\0' ? 0 : -1;
}

/* A collection interrupted earlier in DIR is continued, anything else started. */
static ea_col_open_mode mode_for(const char *dir)
{
    char state[4096];
    struct stat st;

    snprintf(state, sizeof state, "%s/collect.state.json", dir);
    return stat(state, &st) == 0 ? EA_COL_RESUME : EA_COL_NEW;
}

int main(int argc, char **argv)
{
    ea_col_config cfg = ea_col_config_default();
    ea_col_options opt = ea_col_options_default();
    ea_col_hooks hooks = {.should_stop = should_stop};
    ea_collection *c;
    char err[1024];
    ea_status st;
    int rc = ea_col_restart_child(argc, argv);   /* one restart: this program again */

    if (rc >= 0)
        return rc;
    if (argc != 4 || parse_restarts(argv[3], &cfg.rows, &cfg.cols) != 0) {
        fprintf(stderr, "usage: record DIR SAMPLES ROWSxCOLS\n");
        return 2;
    }
    cfg.samples = strtoull(argv[2], NULL, 10);
    opt.mode = mode_for(argv[1]);
    opt.command_line = "record";
    opt.restart_exe = "/proc/self/exe";
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    st = ea_col_open(argv[1], &cfg, &opt, &c, err, sizeof err);
    if (st != EA_OK) {
        fprintf(stderr, "record: %s (%s)\n", err, ea_strerror(st));
        return 1;
    }
    st = ea_col_run(c, &hooks, err, sizeof err);
    if (st != EA_OK)
        fprintf(stderr, "record: %s (%s)\n", err, ea_strerror(st));
    if (ea_col_close(c, err, sizeof err) != EA_OK)
        fprintf(stderr, "record: %s\n", err);
    return st == EA_OK ? 0 : 1;
}
