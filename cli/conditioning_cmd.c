/*
 * conditioning_cmd - §3.1.5 conditioning (ea90b conditioning, ea_conditioning). PLACEHOLDER: not implemented yet.
 */
#include "commands.h"
#include "common.h"

int ea_cmd_conditioning(int argc, char **argv, int nist)
{
    (void)argc;
    (void)nist;
    ea_err(argv[0], "not implemented yet");
    return EXIT_DATA;
}
