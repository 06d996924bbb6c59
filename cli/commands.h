/*
 * commands.h - entry points of the subcommands; each returns an exit
 * status (0, EXIT_DATA or EXIT_USAGE from common.h).
 */
#ifndef EA_CLI_COMMANDS_H
#define EA_CLI_COMMANDS_H

/*
 * Non-IID assessment. nist = 1: the ea_non_iid dialect, argv[0] is the
 * program; nist = 0: `ea90b noniid`, argv[0] is "noniid" and argv[-1]
 * is the program name (used only to record the command line).
 */
int ea_cmd_noniid(int argc, char **argv, int nist);

/* IID testing; same conventions as ea_cmd_noniid. */
int ea_cmd_iid(int argc, char **argv, int nist);

#endif
