/*
 * assess_cmd - collection to report (ea90b assess). PLACEHOLDER: not implemented yet.
 */
#include "commands.h"
#include "common.h"

int ea_cmd_assess(int argc, char **argv)
{
    (void)argc;
    ea_err(argv[0], "not implemented yet");
    return EXIT_DATA;
}
