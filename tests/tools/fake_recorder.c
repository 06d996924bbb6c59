/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fake_recorder.c - a stand-in for a vendor's raw-noise recorder, for the
 * tests of `ea90b collect --source exec` (CI cannot fetch jitterentropy).
 * It follows the exec protocol (docs/collector.md): it writes
 * $EA90B_SAMPLES deterministic deltas to standard output,
 *     delta[i] = 10000 + (index * 131 + (run - 1) * 7 + i * 17) % 251
 * (index = $EA90B_RESTART_INDEX, 0 for the runtime run; run =
 * $EA90B_RUN_INDEX, the run of a series, 1 when unset or 0), as
 * little-endian u64 or as decimal lines.
 *
 *   fake_recorder [--format u64|text] [--count N] [--sleep-ms MS] [--random BITS] [ARG...]
 *
 * --count N checks that "{samples}" was replaced by the count asked for.
 * --sleep-ms MS waits that long first (the benchmark's cost of a run).
 * --random BITS writes 10000 + (x mod 2^BITS) instead, x from SplitMix64
 * seeded by the run, the restart index and $FAKE_REC_SEED (default 0):
 * noise of about BITS bits per sample, different in every run and
 * reproducible (the series and regression-gate tests).
 * Misbehaviour is chosen by the environment, so a test can change it
 * without changing the command line that a resume must repeat:
 *   FAKE_REC_MODE = short | long | garbage | exit | hang | signal
 *   FAKE_REC_AT   = runtime | N (restart N) | all (default: all)
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long env_count(const char *name, int required)
{
    const char *v = getenv(name);
    char *end;
    unsigned long long n;

    if (v == NULL) {
        if (required) {
            fprintf(stderr, "fake recorder: %s is not set (run me with ea90b collect --source exec)\n",
                    name);
            exit(2);
        }
        return 0;
    }
    n = strtoull(v, &end, 10);
    if (*end != '\0') {
        fprintf(stderr, "fake recorder: %s=%s is not a count\n", name, v);
        exit(2);
    }
    return n;
}

/* Does FAKE_REC_MODE apply to this run? */
static const char *mode_here(unsigned long long index)
{
    const char *mode = getenv("FAKE_REC_MODE"), *at = getenv("FAKE_REC_AT");

    if (mode == NULL || at == NULL || strcmp(at, "all") == 0)
        return mode;
    if (strcmp(at, "runtime") == 0)
        return index == 0 ? mode : NULL;
    return strtoull(at, NULL, 10) == index && index > 0 ? mode : NULL;
}

static void put(int text, uint64_t v)
{
    if (text) {
        printf("%llu\n", (unsigned long long)v);
    } else {
        unsigned char b[8];
        for (int k = 0; k < 8; k++)
            b[k] = (unsigned char)(v >> (8 * k));
        fwrite(b, 1, 8, stdout);
    }
}

int main(int argc, char **argv)
{
    unsigned long long n = env_count("EA90B_SAMPLES", 1);
    unsigned long long index = env_count("EA90B_RESTART_INDEX", 0), count = n, sleep_ms = 0;
    unsigned long long series_run = env_count("EA90B_RUN_INDEX", 0), random_bits = 0;
    unsigned long long x = env_count("FAKE_REC_SEED", 0);
    const char *mode, *run = getenv("EA90B_RUN");
    int text = 0;

    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--format") == 0)
            text = strcmp(argv[++i], "text") == 0;
        else if (strcmp(argv[i], "--count") == 0)
            count = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--sleep-ms") == 0)
            sleep_ms = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--random") == 0)
            random_bits = strtoull(argv[++i], NULL, 10);
    }
    if (run == NULL || (strcmp(run, "runtime") != 0 && strcmp(run, "restart") != 0) ||
        (strcmp(run, "runtime") == 0) != (index == 0)) {
        fprintf(stderr, "fake recorder: EA90B_RUN=%s does not match EA90B_RESTART_INDEX=%llu\n",
                run ? run : "(unset)", index);
        return 2;
    }
    if (count != n) {
        fprintf(stderr, "fake recorder: --count %llu but EA90B_SAMPLES=%llu\n", count, n);
        return 2;
    }
    if (sleep_ms > 0) {
        struct timespec ts = {.tv_sec = (time_t)(sleep_ms / 1000),
                              .tv_nsec = (long)(sleep_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    mode = mode_here(index);
    if (mode != NULL && strcmp(mode, "hang") == 0)
        for (;;)
            pause();
    if (mode != NULL && strcmp(mode, "signal") == 0)
        raise(SIGKILL);
    if (mode != NULL && strcmp(mode, "garbage") == 0) {
        printf("12\n34\nnot a number\n");
        return 0;
    }
    if (mode != NULL && strcmp(mode, "short") == 0)
        n--;
    if (mode != NULL && strcmp(mode, "long") == 0)
        n++;
    x ^= (series_run << 40) ^ (index << 20);
    for (unsigned long long i = 0; i < n; i++) {
        if (random_bits > 0 && random_bits < 64) {
            unsigned long long z = (x += 0x9E3779B97F4A7C15ull);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            put(text, 10000 + ((z ^ (z >> 31)) & ((1ull << random_bits) - 1)));
        } else {
            put(text, 10000 + (index * 131 + (series_run > 0 ? series_run - 1 : 0) * 7 + i * 17) % 251);
        }
    }
    if (fflush(stdout) != 0)
        return 1;
    if (mode != NULL && strcmp(mode, "exit") == 0) {
        fprintf(stderr, "fake recorder: failing on purpose (exit 3)\n");
        return 3;
    }
    return 0;
}
