/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A stand-in recorder with the command line of jitterentropy's
 * jitterentropy-hashtime: ROUNDS REPEATS FILE [--osr N] writes ROUNDS
 * timer deltas per repeat to FILE-NNNN.data, one decimal per line, and
 * chats on standard output as the real one does. Unknown options fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    unsigned long rounds, repeats;
    char path[4096];

    if (argc < 4) {
        printf("%s <rounds per repeat> <number of repeats> <filename> [--osr N]\n", argv[0]);
        return 1;
    }
    rounds = strtoul(argv[1], NULL, 10);
    repeats = strtoul(argv[2], NULL, 10);
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--osr") == 0 && i + 1 < argc) {
            i++;
            continue;
        }
        printf("Unknown option %s\n", argv[i]);
        return 1;
    }
    for (unsigned long r = 1; r <= repeats; r++) {
        FILE *f;
        unsigned long long prev = now_ns();
        snprintf(path, sizeof path, "%s-%.4lu.data", argv[3], r);
        printf("Processing %s\n", path);
        if ((f = fopen(path, "w")) == NULL)
            return 1;
        for (unsigned long k = 0; k < rounds; k++) {
            unsigned long long t;
            volatile unsigned x = 0;
            for (unsigned j = 0; j < 200; j++)
                x += j;
            t = now_ns();
            fprintf(f, "%llu\n", t - prev);
            prev = t;
        }
        if (fclose(f) != 0)
            return 1;
    }
    return 0;
}
