/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea_conditioning - drop-in replacement for NIST's ea_conditioning 1.1.7.
 */
#include "commands.h"

int main(int argc, char **argv)
{
    ea_process_init();
    return ea_cmd_conditioning(argc, argv, 1);
}
