/*
 * verify_cmd - collection manifest check (ea90b verify). PLACEHOLDER: not implemented yet.
 */
#include "commands.h"
#include "common.h"

int ea_cmd_verify(int argc, char **argv)
{
    (void)argc;
    ea_err(argv[0], "not implemented yet");
    return EXIT_DATA;
}
