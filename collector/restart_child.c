/* SPDX-License-Identifier: Apache-2.0 */
/*
 * restart_child.c - the process of one exec restart (SP 800-90B §3.1.4:
 * each restart starts the noise source afresh). The collector starts
 *     EXE --ea90b-restart-child SPEC
 * once per restart; SPEC is a JSON object {"source", "timer", "samples",
 * "memory_bits", "mem_loops", "hash_loops", "library"} with the values the first run
 * resolved, so every restart measures the same configuration. The process
 * opens a fresh source, writes its deltas to standard output (little-endian
 * u64) and exits; on failure it writes one line to standard error, which
 * the collector reads back into its own error (spawn.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "collection.h"
#include "engine_int.h"

#define CHILD_ARG "--ea90b-restart-child"

void ea_eng_src_config(const ea_col_config *cfg, ea_src_config *sc)
{
    memset(sc, 0, sizeof(*sc));
    sc->kind = cfg->source == EA_COL_MEMTOUCH ? EA_SRC_MEMTOUCH : EA_SRC_JENT;
    sc->timer = cfg->timer == EA_COL_TIMER_MONOTONIC ? EA_TIMER_MONOTONIC : EA_TIMER_AUTO;
    sc->memory_bits = cfg->memory_bits;
    sc->mem_loops = cfg->mem_loops;
    sc->hash_loops = cfg->hash_loops;
    sc->library = cfg->jent_mode == EA_COL_JENT_LIBRARY;
}

void ea_eng_argv_free(char **argv)
{
    if (argv == NULL)
        return;
    for (int i = 0; argv[i] != NULL; i++)
        free(argv[i]);
    free(argv);
}

char **ea_eng_child_argv(const char *exe, const ea_src_config *sc, uint64_t samples)
{
    json_t *spec = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:b}", "source",
                             sc->kind == EA_SRC_MEMTOUCH ? "memtouch" : "jent", "timer",
                             sc->timer == EA_TIMER_MONOTONIC ? "monotonic" : "auto", "samples",
                             (json_int_t)samples, "memory_bits", (json_int_t)sc->memory_bits,
                             "mem_loops", (json_int_t)sc->mem_loops, "hash_loops",
                             (json_int_t)sc->hash_loops, "library", sc->library != 0);
    char **argv = calloc(4, sizeof(char *));

    if (spec != NULL && argv != NULL) {
        argv[0] = strdup(exe);
        argv[1] = strdup(CHILD_ARG);
        argv[2] = json_dumps(spec, JSON_COMPACT | JSON_PRESERVE_ORDER);
    }
    json_decref(spec);
    if (argv != NULL && (argv[0] == NULL || argv[1] == NULL || argv[2] == NULL)) {
        ea_eng_argv_free(argv);
        argv = NULL;
    }
    return argv;
}

/* ------------------------------------------------------------ the child */

static int spec_uint(const json_t *spec, const char *key, unsigned long long hi,
                     unsigned long long *out)
{
    json_t *v = json_object_get(spec, key);

    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        (unsigned long long)json_integer_value(v) > hi)
        return -1;
    *out = (unsigned long long)json_integer_value(v);
    return 0;
}

/* SPEC into sc and n; 0, or -1 when malformed. */
static int parse_spec(const char *text, ea_src_config *sc, size_t *n)
{
    json_t *spec = json_loads(text, 0, NULL);
    unsigned long long samples = 0, mb = 0, ml = 0, hl = 0;
    int rc = -1;

    memset(sc, 0, sizeof(*sc));
    if (spec != NULL && ea_src_kind_parse(json_string_value(json_object_get(spec, "source")),
                                          &sc->kind) == 0 &&
        ea_timer_kind_parse(json_string_value(json_object_get(spec, "timer")), &sc->timer) == 0 &&
        spec_uint(spec, "samples", EA_COL_MAX_TOTAL, &samples) == 0 && samples > 0 &&
        spec_uint(spec, "memory_bits", EA_COL_MEMORY_BITS_MAX, &mb) == 0 &&
        spec_uint(spec, "mem_loops", EA_COL_LOOPS_MAX, &ml) == 0 &&
        spec_uint(spec, "hash_loops", EA_COL_LOOPS_MAX, &hl) == 0) {
        sc->memory_bits = (unsigned)mb;
        sc->mem_loops = (unsigned)ml;
        sc->hash_loops = (unsigned)hl;
        sc->library = json_is_true(json_object_get(spec, "library"));
        *n = (size_t)samples;
        rc = 0;
    }
    json_decref(spec);
    return rc;
}

static int child_fail(const char *why)
{
    fprintf(stderr, "restart process: %s\n", why);
    return 1;
}

int ea_col_restart_child(int argc, char **argv)
{
    ea_src_config sc;
    ea_source *s = NULL;
    uint64_t *d;
    size_t n = 0;
    char err[256];
    int rc;

    if (argc != 3 || argv == NULL || argv[1] == NULL || strcmp(argv[1], CHILD_ARG) != 0)
        return -1;
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ATEXIT, NULL);
    if (parse_spec(argv[2], &sc, &n) != 0)
        return child_fail("malformed restart specification");
    if ((d = malloc(n * sizeof(uint64_t))) == NULL)
        return child_fail("out of memory");
    if (ea_source_open(&sc, &s, err, sizeof err) != EA_OK ||
        ea_source_read(s, d, n, err, sizeof err) != EA_OK)
        rc = child_fail(err);
    else if (ea_write_u64_fd(1, d, n) != 0)
        rc = child_fail(strerror(errno));
    else
        rc = 0;
    ea_source_close(s);
    free(d);
    return rc;
}
