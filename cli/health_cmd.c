/*
 * health_cmd - §4.4 health-test cutoffs and replay (ea90b health). PLACEHOLDER: not implemented yet.
 */
#include "commands.h"
#include "common.h"

int ea_cmd_health(int argc, char **argv)
{
    (void)argc;
    ea_err(argv[0], "not implemented yet");
    return EXIT_DATA;
}
