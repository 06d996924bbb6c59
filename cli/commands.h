/* SPDX-License-Identifier: Apache-2.0 */
/*
 * commands.h - entry points of the subcommands; each returns an exit
 * status (0, EXIT_DATA or EXIT_USAGE from common.h).
 */
#ifndef EA_CLI_COMMANDS_H
#define EA_CLI_COMMANDS_H

/* Every program's first call: SIGXFSZ ignored, so a file-size limit is a reported
 * EFBIG, not a silent death (cli/process.c). */
void ea_process_init(void);

/*
 * Non-IID assessment. nist = 1: the ea_non_iid dialect, argv[0] is the
 * program; nist = 0: `ea90b noniid`, argv[0] is "noniid" and argv[-1]
 * is the program name (used only to record the command line).
 */
int ea_cmd_noniid(int argc, char **argv, int nist);

/* IID testing; same conventions as ea_cmd_noniid. */
int ea_cmd_iid(int argc, char **argv, int nist);

/* §3.1.4 restart tests (ea90b restart, ea_restart); same conventions as ea_cmd_noniid. */
int ea_cmd_restart(int argc, char **argv, int nist);

/* §3.1.5 conditioning (ea90b conditioning, ea_conditioning); same conventions as ea_cmd_noniid. */
int ea_cmd_conditioning(int argc, char **argv, int nist);

/* restart matrix transpose (ea90b transpose, ea_transpose); same conventions as ea_cmd_noniid. */
int ea_cmd_transpose(int argc, char **argv, int nist);

/* §4.4 health-test cutoffs and replay (ea90b health): argv[0] is "health", argv[-1] the program. */
int ea_cmd_health(int argc, char **argv);

/* raw-noise collection (ea90b collect): argv[0] is "collect", argv[-1] the program. */
int ea_cmd_collect(int argc, char **argv);

/* timer and host probe (ea90b probe): argv[0] is "probe", argv[-1] the program. */
int ea_cmd_probe(int argc, char **argv);

/* collection manifest check (ea90b verify): argv[0] is "verify", argv[-1] the program. */
int ea_cmd_verify(int argc, char **argv);

/* collection to report (ea90b assess): argv[0] is "assess", argv[-1] the program. */
int ea_cmd_assess(int argc, char **argv);

/* ESV submission files (ea90b esv): argv[0] is "esv", argv[-1] the program. */
int ea_cmd_esv(int argc, char **argv);

/* Entropy Assessment Report draft (ea90b ear): argv[0] is "ear", argv[-1] the program. */
int ea_cmd_ear(int argc, char **argv);

/* min-entropy regression gate (ea90b check): argv[0] is "check", argv[-1] the program. */
int ea_cmd_check(int argc, char **argv);

#endif
