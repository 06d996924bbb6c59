/*
 * ea90b - the toolkit's command: dispatches to subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "ea90b.h"

static void usage(FILE *f)
{
    fprintf(f, "Usage: ea90b COMMAND [options] ...\n"
               "NIST SP 800-90B entropy-source evidence (ea90b %s, NIST %s parity).\n\n"
               "Commands:\n"
               "  noniid FILE [bits]   section 6.3 non-IID min-entropy assessment\n"
               "  iid FILE [bits]      section 5 IID testing (permutation, chi-square, LRS)\n"
               "  version              print the version\n"
               "  help                 this text\n\n"
               "Run 'ea90b COMMAND --help' for a command's options.\n",
            EA90B_VERSION, EA90B_NIST_VERSION);
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    if (cmd == NULL) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "noniid") == 0)
        return ea_cmd_noniid(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "iid") == 0)
        return ea_cmd_iid(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("ea90b %s (NIST SP800-90B_EntropyAssessment %s parity)\n", EA90B_VERSION,
               EA90B_NIST_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    ea_err("ea90b", "unknown command '%s'", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
