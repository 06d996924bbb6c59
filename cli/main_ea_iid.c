/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea_iid - drop-in replacement for NIST's ea_iid 1.1.7, with --seed and
 * --threads.
 */
#include "commands.h"

int main(int argc, char **argv)
{
    ea_process_init();
    return ea_cmd_iid(argc, argv, 1);
}
