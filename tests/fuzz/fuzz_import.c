/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_import.c - libFuzzer target for ea_import_read (collector/import.c),
 * the parser of raw deltas recorded elsewhere (jitterentropy's recorder
 * text, one decimal per line, or little-endian u64). Input: first byte
 * selects the format (auto, text, u64), the rest is the file. Asserts the
 * contract: EA_OK with at least one value, or EA_ERR_INPUT (EA_ERR_NOMEM
 * when memory runs out; the file, a memfd, always opens) with a message and
 * nothing allocated; never a crash.
 *
 *   make fuzz                       clang -fsanitize=fuzzer,address build
 *   build/.../tests/fuzz_import_replay   generated edge cases (make check)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ea_import_format fmts[3] = { EA_IMPORT_AUTO, EA_IMPORT_TEXT, EA_IMPORT_U64LE };
    char path[64], err[256] = "";
    uint64_t *d = (uint64_t *)1;
    size_t n = 12345;
    ea_status rc;
    int fd;

    if (size < 1 || size > 1000000)
        return 0;
    fd = memfd_create("fuzz_import", 0);
    if (fd < 0)
        abort();
    if (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
        abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    rc = ea_import_read(path, fmts[data[0] % 3], &d, &n, err, sizeof err);
    close(fd);
    if (rc == EA_OK) {
        if (d == NULL || n == 0)
            abort();
        if (fmts[data[0] % 3] == EA_IMPORT_U64LE && n != (size - 1) / 8)
            abort();
        free(d);
    } else {
        if ((rc != EA_ERR_INPUT && rc != EA_ERR_NOMEM) || d != NULL || n != 0 || err[0] == '\0')
            abort();
    }
    return 0;
}
