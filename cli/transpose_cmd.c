/*
 * transpose_cmd - restart matrix transpose (ea90b transpose, ea_transpose). PLACEHOLDER: not implemented yet.
 */
#include "commands.h"
#include "common.h"

int ea_cmd_transpose(int argc, char **argv, int nist)
{
    (void)argc;
    (void)nist;
    ea_err(argv[0], "not implemented yet");
    return EXIT_DATA;
}
