/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_source.c - the noise sources (jent, memtouch), their timers and the
 * timer probe (SP 800-90B §3.2.2). No timing assertions: only structure.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

#define N 2000

static ea_src_config config(ea_src_kind kind, ea_timer_kind timer)
{
    ea_src_config c;

    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.timer = timer;
    return c;
}

static size_t nonzero(const uint64_t *d, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += d[i] != 0;
    return k;
}

static void read_some(const ea_src_config *c, const char *name)
{
    ea_source *s;
    uint64_t *d = calloc(N, sizeof *d);
    char err[256] = "";

    cr_assert_eq(ea_source_open(c, &s, err, sizeof err), EA_OK, "%s", err);
    cr_assert_str_eq(ea_source_name(s), name);
    cr_assert_eq(ea_source_read(s, d, N, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(ea_source_read(s, d, 0, err, sizeof err), EA_OK);
    /* each sample spans real work: deltas are overwhelmingly non-zero */
    cr_assert_geq(nonzero(d, N), N * 9 / 10);
    ea_source_close(s);
    free(d);
}

Test(source, jent_defaults_resolved)
{
    ea_src_config c = config(EA_SRC_JENT, EA_TIMER_AUTO), u;
    ea_source *s;
    char err[256] = "";

    read_some(&c, "jent");
    cr_assert_eq(ea_source_open(&c, &s, err, sizeof err), EA_OK, "%s", err);
    ea_source_config_used(s, &u);
    cr_assert_eq(u.kind, EA_SRC_JENT);
    cr_assert_geq(u.memory_bits, EA_JENT_MEMORY_BITS_MIN);
    cr_assert_leq(u.memory_bits, EA_JENT_MEMORY_BITS_MAX);
    cr_assert_eq(u.hash_loops, EA_JENT_HASH_LOOPS_DEFAULT);
    cr_assert_eq(u.mem_loops, EA_JENT_MEM_LOOPS_DEFAULT);
#if defined(__x86_64__)
    cr_assert_str_eq(ea_source_timer_name(s), "rdtsc");
#elif defined(__aarch64__)
    cr_assert_str_eq(ea_source_timer_name(s), "cntvct_el0");
#endif
    ea_source_close(s);
}

Test(source, jent_explicit_parameters_and_monotonic)
{
    ea_src_config c = config(EA_SRC_JENT, EA_TIMER_MONOTONIC), u;
    ea_source *s;
    char err[256] = "";

    c.memory_bits = 12;
    c.hash_loops = 2;
    c.mem_loops = 64;
    read_some(&c, "jent");
    cr_assert_eq(ea_source_open(&c, &s, err, sizeof err), EA_OK, "%s", err);
    cr_assert_str_eq(ea_source_timer_name(s), "clock_monotonic");
    ea_source_config_used(s, &u);
    cr_assert_eq(u.memory_bits, 12);
    cr_assert_eq(u.hash_loops, 2);
    cr_assert_eq(u.mem_loops, 64);
    cr_assert_eq(u.timer, EA_TIMER_MONOTONIC);
    ea_source_close(s);
}

Test(source, memtouch)
{
    ea_src_config c = config(EA_SRC_MEMTOUCH, EA_TIMER_AUTO), u;
    ea_source *s;
    char err[256] = "";

    c.hash_loops = 5;   /* jent-only: ignored and reported as 0 */
    read_some(&c, "memtouch");
    cr_assert_eq(ea_source_open(&c, &s, err, sizeof err), EA_OK, "%s", err);
    ea_source_config_used(s, &u);
    cr_assert_eq(u.kind, EA_SRC_MEMTOUCH);
    cr_assert_eq(u.hash_loops, 0);
    ea_source_close(s);
}

Test(source, bad_configuration)
{
    ea_src_config c = config(EA_SRC_JENT, EA_TIMER_AUTO);
    ea_source *s = (ea_source *)1;
    uint64_t d[1];
    char err[256] = "";

    c.memory_bits = 5;
    cr_assert_eq(ea_source_open(&c, &s, err, sizeof err), EA_ERR_ARG);
    cr_assert_null(s);
    cr_assert_not_null(strstr(err, "memory bits"), "%s", err);
    c.memory_bits = EA_JENT_MEMORY_BITS_MAX + 1;
    cr_assert_eq(ea_source_open(&c, &s, err, sizeof err), EA_ERR_ARG);
    c.memory_bits = 0;
    c.hash_loops = EA_JENT_LOOPS_MAX + 1;
    cr_assert_eq(ea_source_open(&c, &s, err, sizeof err), EA_ERR_ARG);
    cr_assert_not_null(strstr(err, "loop counts"), "%s", err);
    c.hash_loops = 0;
    c.mem_loops = EA_JENT_LOOPS_MAX + 1;
    cr_assert_eq(ea_source_open(&c, &s, err, sizeof err), EA_ERR_ARG);
    c = config((ea_src_kind)7, EA_TIMER_AUTO);
    cr_assert_eq(ea_source_open(&c, &s, err, sizeof err), EA_ERR_ARG);
    cr_assert_not_null(strstr(err, "unknown source kind 7"), "%s", err);
    c = config(EA_SRC_JENT, (ea_timer_kind)9);
    cr_assert_eq(ea_source_open(&c, &s, err, sizeof err), EA_ERR_ARG);
    cr_assert_not_null(strstr(err, "unknown timer kind 9"), "%s", err);
    cr_assert_eq(ea_source_open(NULL, &s, err, sizeof err), EA_ERR_ARG);
    cr_assert_str_eq(err, "no source configuration");
    cr_assert_eq(ea_source_open(&c, NULL, NULL, 0), EA_ERR_ARG);   /* err may be NULL */
    cr_assert_eq(ea_source_read(NULL, d, 1, err, sizeof err), EA_ERR_ARG);
    cr_assert_str_eq(err, "no source or buffer");
    ea_source_close(NULL);
}

Test(source, jent_limits_are_the_public_ones)
{
    cr_assert_eq(EA_JENT_MEMORY_BITS_MIN, EA_COL_MEMORY_BITS_MIN);
    cr_assert_eq(EA_JENT_MEMORY_BITS_MAX, EA_COL_MEMORY_BITS_MAX);
    cr_assert_eq(EA_JENT_LOOPS_MAX, EA_COL_LOOPS_MAX);
}

Test(source, parse_names)
{
    ea_src_kind k;
    ea_timer_kind t;

    cr_assert_eq(ea_src_kind_parse("jent", &k), 0);
    cr_assert_eq(k, EA_SRC_JENT);
    cr_assert_eq(ea_src_kind_parse("memtouch", &k), 0);
    cr_assert_eq(k, EA_SRC_MEMTOUCH);
    cr_assert_eq(ea_src_kind_parse("import", &k), -1);
    cr_assert_eq(ea_src_kind_parse("JENT", &k), -1);
    cr_assert_eq(ea_src_kind_parse(NULL, &k), -1);
    cr_assert_eq(ea_timer_kind_parse("auto", &t), 0);
    cr_assert_eq(t, EA_TIMER_AUTO);
    cr_assert_eq(ea_timer_kind_parse("monotonic", &t), 0);
    cr_assert_eq(t, EA_TIMER_MONOTONIC);
    cr_assert_eq(ea_timer_kind_parse("rdtsc", &t), -1);
}

Test(probe, timer_checks)
{
    ea_probe_result r;
    char err[256] = "";

    cr_assert_eq(ea_timer_probe(EA_TIMER_MONOTONIC, 1000, &r, err, sizeof err), EA_OK, "%s", err);
    cr_assert_str_eq(r.timer, "clock_monotonic");
    cr_assert_eq(r.present, 1);
    cr_assert_eq(r.monotonic, 1);
    cr_assert_eq(r.samples, 1000);
    cr_assert_gt(r.read_cost_ns, 0.0);
    cr_assert_gt(r.resolution, 0);
    cr_assert_gt(r.gcd, 0);
    cr_assert_geq(r.stuck_share, 0.0);
    cr_assert_leq(r.stuck_share, 1.0);
    cr_assert_float_eq(r.ticks_per_ns, 1.0, 1e-12);
    cr_assert_eq(r.freq_hz, 1000000000u);
    cr_assert_eq(ea_timer_probe(EA_TIMER_AUTO, 1000, &r, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(r.present, 1);
#if defined(__x86_64__)
    cr_assert_eq(r.freq_hz, 0);   /* the TSC states no frequency */
#elif defined(__aarch64__)
    cr_assert_str_eq(r.timer, "cntvct_el0");
    cr_assert_gt(r.freq_hz, 0);   /* cntfrq_el0, set by firmware (qemu: 62.5 MHz) */
#endif
    cr_assert_eq(ea_timer_probe(EA_TIMER_AUTO, 1, &r, err, sizeof err), EA_ERR_ARG);
    cr_assert_not_null(strstr(err, "at least 2 samples"), "%s", err);
}
