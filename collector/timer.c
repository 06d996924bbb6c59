/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timer.c - the high-resolution timers of the noise sources, and the
 * cache-size lookup that sizes jent's memory buffer.
 *
 * SP 800-90B §3.2.2 (requirement 4): the raw noise is the difference of two
 * timer readings, so the timer is part of the noise source and is recorded
 * in the manifest. Choice (as the jitterentropy library makes it):
 *   x86-64   rdtsc (the time-stamp counter; present when CPUID.1:EDX.TSC)
 *   aarch64  cntvct_el0 (the generic timer's virtual count; its rate is
 *            cntfrq_el0, which `ea90b probe` prints)
 *   others   clock_gettime(CLOCK_MONOTONIC), in nanoseconds
 * and "monotonic" forces the last on every machine.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "source_int.h"

int ea_timer_kind_parse(const char *s, ea_timer_kind *k)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "auto") == 0)
        *k = EA_TIMER_AUTO;
    else if (strcmp(s, "monotonic") == 0)
        *k = EA_TIMER_MONOTONIC;
    else
        return -1;
    return 0;
}

const char *ea_timer_id_name(ea_timer_id id)
{
    switch (id) {
    case EA_TID_RDTSC:
        return "rdtsc";
    case EA_TID_CNTVCT:
        return "cntvct_el0";
    case EA_TID_MONOTONIC:
        break;
    }
    return "clock_monotonic";
}

uint64_t ea_timer_freq_hz(ea_timer_id id)
{
#if defined(__aarch64__)
    if (id == EA_TID_CNTVCT) {
        uint64_t f;
        __asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
        return f;
    }
#endif
    return id == EA_TID_MONOTONIC ? 1000000000u : 0;
}

static ea_status monotonic_ok(char *err, size_t errlen)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return ea_col_fail(EA_ERR_SOURCE, err, errlen, "CLOCK_MONOTONIC cannot be read");
    return EA_OK;
}

ea_status ea_timer_resolve(ea_timer_kind kind, ea_timer_id *id, char *err, size_t errlen)
{
    if (kind == EA_TIMER_MONOTONIC) {
        *id = EA_TID_MONOTONIC;
        return monotonic_ok(err, errlen);
    }
    if (kind != EA_TIMER_AUTO)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "unknown timer kind %d", (int)kind);
#if defined(__x86_64__)
    {
        unsigned a, b, c, d;
        if (__get_cpuid(1, &a, &b, &c, &d) && (d & (1u << 4))) {
            *id = EA_TID_RDTSC;
            return EA_OK;
        }
        return ea_col_fail(EA_ERR_SOURCE, err, errlen,
                          "this CPU has no time-stamp counter (use --timer monotonic)");
    }
#elif defined(__aarch64__)
    *id = EA_TID_CNTVCT;
    return EA_OK;
#else
    *id = EA_TID_MONOTONIC;
    return monotonic_ok(err, errlen);
#endif
}

/* Parse a sysfs cache size such as "32K" or "1M". */
static unsigned long parse_cache_size(const char *s)
{
    unsigned long v = 0;

    while (*s >= '0' && *s <= '9' && v < (1ul << 40))
        v = v * 10 + (unsigned long)(*s++ - '0');
    if (*s == 'K')
        v <<= 10;
    else if (*s == 'M')
        v <<= 20;
    return v;
}

static int read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    int ok;

    if (f == NULL)
        return -1;
    ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

/* The level-1 data cache of cpu0 from /sys/devices/system/cpu/cpu0/cache. */
static unsigned long l1d_from_sysfs(void)
{
    for (int i = 0; i < 8; i++) {
        char path[96], level[16], type[32], size[32];
        const char *base = "/sys/devices/system/cpu/cpu0/cache/index";

        snprintf(path, sizeof path, "%s%d/level", base, i);
        if (read_line(path, level, sizeof level) != 0)
            break;
        snprintf(path, sizeof path, "%s%d/type", base, i);
        if (read_line(path, type, sizeof type) != 0 || strcmp(level, "1") != 0 ||
            strcmp(type, "Data") != 0)
            continue;
        snprintf(path, sizeof path, "%s%d/size", base, i);
        if (read_line(path, size, sizeof size) == 0)
            return parse_cache_size(size);
    }
    return 0;
}

unsigned long ea_l1d_bytes(void)
{
    unsigned long v = l1d_from_sysfs();

#ifdef _SC_LEVEL1_DCACHE_SIZE
    if (v == 0) {
        long s = sysconf(_SC_LEVEL1_DCACHE_SIZE);
        if (s > 0)
            v = (unsigned long)s;
    }
#endif
    return v;
}
