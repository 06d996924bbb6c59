/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_fs.h - scratch directories for the unit tests that write files
 * (collector: manifests, the engine, the output helper). Static inline,
 * as test_util.h: every tests/unit file is linked into one binary.
 */
#ifndef EA_TEST_FS_H
#define EA_TEST_FS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A new directory /tmp/ea90b-TAG-XXXXXX (free() the name, rmtree() the tree). */
static inline char *tu_tmpdir(const char *tag)
{
    char buf[128];
    char *d;

    snprintf(buf, sizeof buf, "/tmp/ea90b-%s-XXXXXX", tag);
    d = strdup(buf);
    cr_assert_not_null(d);
    cr_assert_not_null(mkdtemp(d));
    return d;
}

/* Remove a scratch tree made by tu_tmpdir(). */
static inline void tu_rmtree(const char *d)
{
    char cmd[512];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    cr_assert_eq(system(cmd), 0);
}

#endif
