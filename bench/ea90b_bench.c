/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea90b_bench.c - figures for `make bench` (a benchmark, never a test).
 *
 *   ea90b_bench run REPEAT -- COMMAND [ARGS...]
 *       run COMMAND REPEAT times (stdout discarded); print the best and
 *       median wall time and the largest peak RSS of the child.
 *   ea90b_bench estimators FILE [REPEAT]
 *       time each §6.3 estimator alone, single-threaded, on the literal
 *       symbols and on the bitstring of FILE (bits inferred).
 *   ea90b_bench cutoffs ROUNDS THREADS [H_I...]
 *       §3.1.4.3 sanity cutoff at the reference's alpha for a sweep of H_I:
 *       the exact quantile with its neighbouring tail probabilities, and
 *       the reference's Monte-Carlo estimate (ROUNDS rounds, seed 1; 0: none).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ea90b.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run_child(char **argv, double *secs, long *rss_kb)
{
    struct rusage ru;
    int status;
    double t0 = now();
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0)
            dup2(fd, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0)
        return -1;
    *secs = now() - t0;
    *rss_kb = ru.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int cmd_run(int repeat, char **argv)
{
    double t[64];
    long rss, max_rss = 0;
    int rc = 0;

    if (repeat < 1 || repeat > 64)
        repeat = 3;
    for (int i = 0; i < repeat; i++) {
        rc = run_child(argv, &t[i], &rss);
        if (rc != 0) {
            fprintf(stderr, "ea90b_bench: %s exited with %d\n", argv[0], rc);
            return 1;
        }
        if (rss > max_rss)
            max_rss = rss;
    }
    qsort(t, (size_t)repeat, sizeof t[0], cmp_double);
    printf("best %.3f s  median %.3f s  peak RSS %.1f MB  (%d runs)\n", t[0], t[repeat / 2],
           (double)max_rss / 1024.0, repeat);
    return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long sz;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)sz);
        if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)sz;
    }
    fclose(f);
    return buf;
}

static double time_one(ea_estimator_id id, const uint8_t *s, size_t n, int k, int repeat)
{
    ea_est_side side;
    double best = 1e30;

    for (int r = 0; r < repeat; r++) {
        double t0 = now();
        switch (id) {
        case EA_EST_MCV:         ea_mcv(s, n, k, &side.u.mcv); break;
        case EA_EST_COLLISION:   ea_collision(s, n, &side.u.collision); break;
        case EA_EST_MARKOV:      ea_markov(s, n, &side.u.markov); break;
        case EA_EST_COMPRESSION: ea_compression(s, n, &side.u.compression); break;
        case EA_EST_TTUPLE:      ea_sa_estimates(s, n, k, &side.u.sa.tt, &side.u.sa.lrs); break;
        case EA_EST_MULTI_MCW:   ea_multi_mcw(s, n, k, &side.u.pred); break;
        case EA_EST_LAG:         ea_lag(s, n, k, &side.u.pred); break;
        case EA_EST_MULTI_MMC:   ea_multi_mmc(s, n, k, &side.u.pred); break;
        case EA_EST_LZ78Y:       ea_lz78y(s, n, k, &side.u.pred); break;
        default: break;
        }
        double dt = now() - t0;
        if (dt < best)
            best = dt;
    }
    return best;
}

static int cmd_estimators(const char *path, int repeat)
{
    size_t len = 0;
    uint8_t *buf = slurp(path, &len);
    ea_dataset ds;
    double tl, tb, sum_l = 0, sum_b = 0;
    int bin_only, do_bits;

    if (buf == NULL || ea_dataset_init(&ds, buf, len, 0) != EA_OK) {
        fprintf(stderr, "ea90b_bench: cannot load %s\n", path);
        free(buf);
        return 1;
    }
    free(buf);
    do_bits = ds.alph_size > 2;
    printf("  %-22s %10s %10s\n", "estimator (1 thread)", "literal", "bitstring");
    for (int id = 0; id < EA_EST_COUNT; id++) {
        bin_only = id == EA_EST_COLLISION || id == EA_EST_MARKOV || id == EA_EST_COMPRESSION;
        tl = (!bin_only || ds.alph_size == 2)
                 ? time_one((ea_estimator_id)id, ds.symbols, ds.len, ds.alph_size, repeat) : 0.0;
        tb = do_bits ? time_one((ea_estimator_id)id, ds.bitstring, ds.blen, 2, repeat) : 0.0;
        sum_l += tl;
        sum_b += tb;
        printf("  %-22s %9.1f ms %9.1f ms\n", ea_estimator_name((ea_estimator_id)id), tl * 1e3, tb * 1e3);
    }
    printf("  %-22s %9.1f ms %9.1f ms   (sum %.1f ms)\n", "total", sum_l * 1e3, sum_b * 1e3,
           (sum_l + sum_b) * 1e3);
    ea_dataset_free(&ds);
    return 0;
}

static int cmd_cutoffs(long rounds, int threads, int nh, char **hs)
{
    static const double sweep[] = { 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0,
                                    5.0, 6.0, 7.0, 8.0 };
    int n = nh > 0 ? nh : (int)(sizeof sweep / sizeof sweep[0]);
    double alpha = ea_restart_alpha();
    int agree = 0;

    if (rounds > 0)
        printf("  alpha %.17g, %ld simulated rounds (seed 1), %d threads\n", alpha, rounds,
               threads);
    else
        printf("  alpha %.17g, exact quantiles only\n", alpha);
    printf("  %6s %6s %12s %12s", "H_I", "exact", "P(>exact-1)", "P(>exact)");
    printf(rounds > 0 ? " %10s %8s %8s\n" : "%.0s%.0s%.0s  exact s\n", "simulated", "diff", "sim s");
    for (int i = 0; i < n; i++) {
        double h = nh > 0 ? atof(hs[i]) : sweep[i], tail, below, t0, t1 = now();
        int exact, sim;

        if (ea_restart_cutoff_exact(h, alpha, &exact, &tail) != EA_OK ||
            ea_restart_max_tail(h, exact - 1, &below) != EA_OK)
            return 1;
        t0 = now();
        sim = exact;
        if (rounds > 0 && ea_restart_cutoff_simulate(h, alpha, rounds, 1, threads, &sim) != EA_OK)
            return 1;
        printf("  %6.3f %6d %12.4g %12.4g", h, exact, below, tail);
        if (rounds > 0)
            printf(" %10d %+8d %8.1f\n", sim, sim - exact, now() - t0);
        else
            printf("  %7.4f\n", t0 - t1);
        agree += sim == exact;
    }
    if (rounds > 0)
        printf("  simulated == exact for %d of %d values of H_I\n", agree, n);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "run") == 0 && strcmp(argv[3], "--") == 0)
        return cmd_run(atoi(argv[2]), argv + 4);
    if (argc >= 3 && strcmp(argv[1], "estimators") == 0)
        return cmd_estimators(argv[2], argc > 3 ? atoi(argv[3]) : 3);
    if (argc >= 4 && strcmp(argv[1], "cutoffs") == 0)
        return cmd_cutoffs(atol(argv[2]), atoi(argv[3]), argc - 4, argv + 4);
    fprintf(stderr, "usage: ea90b_bench run REPEAT -- CMD... | estimators FILE [REPEAT] | "
                    "cutoffs ROUNDS THREADS [H_I...]\n");
    return 2;
}
