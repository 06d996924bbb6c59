/*
 * restart_cmd - §3.1.4 restart tests (ea90b restart, ea_restart). PLACEHOLDER: not implemented yet.
 */
#include "commands.h"
#include "common.h"

int ea_cmd_restart(int argc, char **argv, int nist)
{
    (void)argc;
    (void)nist;
    ea_err(argv[0], "not implemented yet");
    return EXIT_DATA;
}
