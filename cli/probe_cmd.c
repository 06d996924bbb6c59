/*
 * probe_cmd - timer and host probe (ea90b probe). PLACEHOLDER: not implemented yet.
 */
#include "commands.h"
#include "common.h"

int ea_cmd_probe(int argc, char **argv)
{
    (void)argc;
    ea_err(argv[0], "not implemented yet");
    return EXIT_DATA;
}
