/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ea_non_iid - drop-in replacement for NIST's ea_non_iid 1.1.7.
 */
#include "commands.h"

int main(int argc, char **argv)
{
    ea_process_init();
    return ea_cmd_noniid(argc, argv, 1);
}
