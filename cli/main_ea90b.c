/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea90b - the toolkit's command: dispatches to subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "ea90b.h"
#include "ea90b_collect.h"

/*
 * EA90B_COLLECT_ONLY (make static without a static libdivsufsort): the
 * commands an engineer needs on a new instance - collect, probe, verify.
 */
#ifndef EA90B_COLLECT_ONLY
static int cmd_noniid(int argc, char **argv) { return ea_cmd_noniid(argc, argv, 0); }
static int cmd_iid(int argc, char **argv) { return ea_cmd_iid(argc, argv, 0); }
static int cmd_restart(int argc, char **argv) { return ea_cmd_restart(argc, argv, 0); }
static int cmd_conditioning(int argc, char **argv) { return ea_cmd_conditioning(argc, argv, 0); }
static int cmd_transpose(int argc, char **argv) { return ea_cmd_transpose(argc, argv, 0); }
#endif

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis;
} commands[] = {
    {"collect", ea_cmd_collect, "collect -o DIR        record raw noise and restart data on this machine"},
    {"probe", ea_cmd_probe, "probe                 check the timer and print the host facts"},
    {"verify", ea_cmd_verify, "verify DIR            re-hash a collection against its manifest"},
#ifndef EA90B_COLLECT_ONLY
    {"assess", ea_cmd_assess, "assess DIR...         collection to lab-ready report (all stages)"},
    {"check", ea_cmd_check, "check DIR             min-entropy regression gate for CI"},
    {"esv", ea_cmd_esv, "esv DIR...            drafts for NIST's ESV server (data files, registration, certify)"},
    {"ear", ea_cmd_ear, "ear DIR...            Entropy Assessment Report draft (PDF, DOCX, HTML, MD)"},
    {"noniid", cmd_noniid, "noniid FILE [bits]    section 6.3 non-IID min-entropy assessment"},
    {"iid", cmd_iid, "iid FILE [bits]       section 5 IID testing (permutation, chi-square, LRS)"},
    {"restart", cmd_restart, "restart FILE [bits] H_I  section 3.1.4 restart tests"},
    {"conditioning", cmd_conditioning, "conditioning ...      section 3.1.5 conditioned output entropy"},
    {"transpose", cmd_transpose, "transpose FILE OUT    transpose a 1000x1000 restart matrix"},
    {"health", ea_cmd_health, "health cutoffs|replay section 4.4 health-test cutoffs and replay"},
#endif
};

static void usage(FILE *f)
{
    fprintf(f, "Usage: ea90b COMMAND [options] ...\n"
               "NIST SP 800-90B entropy-source evidence (ea90b %s, NIST %s parity).\n",
            EA90B_VERSION, EA90B_NIST_VERSION);
#ifdef EA90B_COLLECT_ONLY
    fprintf(f, "This static build collects only; assess the directory with a full ea90b.\n");
#endif
    fprintf(f, "\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %s\n", commands[i].synopsis);
    fprintf(f, "  version               print the version\n"
               "  help                  this text\n\n"
               "Run 'ea90b COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    int rc;

    ea_process_init();
    rc = ea_col_restart_child(argc, argv);   /* one exec restart of ea90b collect */
    if (rc >= 0)
        return rc;
    if (cmd == NULL) {
        usage(stderr);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
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
