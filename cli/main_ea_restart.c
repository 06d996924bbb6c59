/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea_restart - drop-in replacement for NIST's ea_restart 1.1.7.
 */
#include "commands.h"

int main(int argc, char **argv)
{
    ea_process_init();
    return ea_cmd_restart(argc, argv, 1);
}
