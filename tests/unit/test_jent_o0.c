/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_jent_o0.c - the jent source's library mode (collector/jent_o0.c):
 * its plain-C SHA3-256 agrees with OpenSSL's (FIPS 202) at every length
 * around the rate boundary, and the mode records what it ran.
 */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <string.h>

#include "source_int.h"

static void openssl_sha3(const uint8_t *m, size_t n, uint8_t out[32])
{
    unsigned len = 0;

    cr_assert_eq(EVP_Digest(m, n, out, &len, EVP_sha3_256(), NULL), 1);
    cr_assert_eq(len, 32);
}

Test(jent_o0, sha3_256_matches_openssl_around_the_rate)
{
    static const size_t lens[] = {0, 1, 3, 60, 135, 136, 137, 271, 272, 273, 1000};
    uint8_t m[1000], a[32], b[32];

    for (size_t i = 0; i < sizeof m; i++)
        m[i] = (uint8_t)(i * 131u + 7u);
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        ea_jent_sha3_256(m, lens[k], a);
        openssl_sha3(m, lens[k], b);
        cr_assert_eq(memcmp(a, b, 32), 0, "SHA3-256 differs at %zu bytes", lens[k]);
    }
}

/* FIPS 202 example: SHA3-256("abc"). */
Test(jent_o0, sha3_256_known_answer)
{
    static const uint8_t want[32] = {
        0x3a, 0x98, 0x5d, 0xa7, 0x4f, 0xe2, 0x25, 0xb2, 0x04, 0x5c, 0x17, 0x2d, 0x6b, 0xd3, 0x90, 0xbd,
        0x85, 0x5f, 0x08, 0x6e, 0x3e, 0x9d, 0x52, 0x5b, 0x46, 0xbf, 0xe2, 0x45, 0x11, 0x43, 0x15, 0x32,
    };
    uint8_t got[32];

    ea_jent_sha3_256((const uint8_t *)"abc", 3, got);
    cr_assert_eq(memcmp(got, want, 32), 0);
}

Test(jent_o0, library_mode_runs_one_hash_loop_and_says_so)
{
    ea_src_config cfg = {.kind = EA_SRC_JENT, .timer = EA_TIMER_MONOTONIC, .memory_bits = 12,
                         .library = 1};
    ea_source *s = NULL;
    ea_src_config used;
    uint64_t d[64];
    char err[256];

    cr_assert_eq(ea_source_open(&cfg, &s, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(ea_source_read(s, d, 64, err, sizeof err), EA_OK, "%s", err);
    ea_source_config_used(s, &used);
    cr_assert_eq(used.library, 1);
    cr_assert_eq(used.hash_loops, EA_JENT_HASH_LOOPS_LIBRARY);
    cr_assert_eq(used.mem_loops, EA_JENT_MEM_LOOPS_DEFAULT);
    ea_source_close(s);
}
