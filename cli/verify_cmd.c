/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify_cmd.c - ea90b verify DIR...: re-hash a collection's files and
 * check them against its manifest.json (SP 800-90B §3.2.4: the data
 * submitted must be the data collected; docs/collector.md).
 */
#include <string.h>

#include "commands.h"
#include "common.h"
#include "ea90b_collect.h"

#define PROG "ea90b verify"

static void usage(FILE *f)
{
    fprintf(f, "Usage: ea90b verify [-q] DIR...\n"
               "Check that every file listed in DIR/manifest.json is present with its recorded\n"
               "size, sample count and SHA-256, and that the collection is complete.\n"
               "Exit 0 when all directories verify, 1 otherwise.\n\n"
               "  -q, --quiet   print nothing on success\n"
               "  --help        this text\n");
}

static int bad_usage(const char *what, const char *arg)
{
    return ea_usage_err(PROG, "ea90b verify", what, arg);
}

int ea_cmd_verify(int argc, char **argv)
{
    int quiet = 0, bad = 0, i = 1;
    char err[1024];

    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "-q") != 0 && strcmp(argv[i], "--quiet") != 0)
            return bad_usage("unknown option", argv[i]);
        quiet = 1;
    }
    if (i >= argc)
        return bad_usage("missing collection directory", NULL);
    for (; i < argc; i++) {
        if (ea_col_verify(argv[i], err, sizeof err) != 0) {
            ea_err(PROG, "%s", err);
            bad = 1;
        } else if (!quiet) {
            printf("%s: OK (every file matches manifest.json)\n", argv[i]);
        }
    }
    if (fflush(stdout) != 0) {
        ea_err(PROG, "write error on standard output");
        return EXIT_DATA;
    }
    return bad ? EXIT_DATA : 0;
}
