/*
 * collect_cmd - raw-noise collection (ea90b collect). PLACEHOLDER: not implemented yet.
 */
#include "commands.h"
#include "common.h"

int ea_cmd_collect(int argc, char **argv)
{
    (void)argc;
    ea_err(argv[0], "not implemented yet");
    return EXIT_DATA;
}
