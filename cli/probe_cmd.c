/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe_cmd - ea90b probe: can this machine feed the timing-jitter noise
 * sources (SP 800-90B §3.2.2)? Checks the timer the way the jitterentropy
 * library's start-up test does (jent_time_entropy_init), prints a verdict
 * per check and the host facts, and exits 1 when a check fails.
 *
 *   ea90b probe [--timer auto|monotonic] [--samples N] [--json]
 */
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "hostinfo.h"
#include "source.h"

#define PROBE_SAMPLES_DEFAULT 100000ul
#define PROBE_SAMPLES_MIN 100ul
#define PROBE_SAMPLES_MAX 100000000ul

typedef enum { V_PASS, V_WARN, V_FAIL } verdict;

static const char *vname(verdict v)
{
    return v == V_PASS ? "pass" : v == V_WARN ? "warn" : "FAIL";
}

typedef struct {
    const char *name;
    verdict v;
    char detail[160];
} check_row;

#define NCHECKS 7

static void usage(FILE *f)
{
    fprintf(f, "Usage: ea90b probe [--timer auto|monotonic] [--samples N] [--json]\n"
               "Check the timer behind the jent and memtouch noise sources (present,\n"
               "monotonic, read cost, resolution, GCD and stuck share of jent deltas)\n"
               "and print the host facts. Exit 0: usable; 1: a check failed.\n\n"
               "  --timer KIND   auto (rdtsc / cntvct_el0 / CLOCK_MONOTONIC) or monotonic\n"
               "  --samples N    jent deltas to examine (%lu..%lu, default %lu)\n"
               "  --json         print one JSON object instead of text\n",
            PROBE_SAMPLES_MIN, PROBE_SAMPLES_MAX, PROBE_SAMPLES_DEFAULT);
}

static void row(check_row *c, const char *name, verdict v, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void row(check_row *c, const char *name, verdict v, const char *fmt, ...)
{
    va_list ap;

    c->name = name;
    c->v = v;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
}

/* The verdicts: the library's start-up limits are FAIL, oddities WARN. */
static void judge(const ea_probe_result *r, check_row *c)
{
    row(&c[0], "present", r->present ? V_PASS : V_FAIL, "%s",
        r->present ? r->timer : "the timer cannot be read");
    if (!r->present) {
        const char *names[] = {"monotonic", "read_cost", "resolution", "gcd", "variation", "stuck"};
        for (int i = 1; i < NCHECKS; i++)
            row(&c[i], names[i - 1], V_FAIL, "not run: no timer");
        return;
    }
    row(&c[1], "monotonic",
        r->backwards == 0 ? V_PASS : r->backwards <= EA_PROBE_BACKWARDS_MAX ? V_WARN : V_FAIL,
        "%zu backward steps in 100000 reads", r->backwards);
    row(&c[2], "read_cost", r->read_cost_ns < 1000.0 ? V_PASS : V_WARN, "%.1f ns per read",
        r->read_cost_ns);
    row(&c[3], "resolution", r->resolution > 0 ? V_PASS : V_FAIL,
        "%llu ticks, %.4f ticks/ns", (unsigned long long)r->resolution, r->ticks_per_ns);
    row(&c[4], "gcd",
        r->gcd == 0 || r->gcd >= EA_PROBE_GCD_MAX ? V_FAIL : r->gcd == 1 ? V_PASS : V_WARN,
        "%llu%s", (unsigned long long)r->gcd,
        r->gcd > 1 && r->gcd < EA_PROBE_GCD_MAX ? " (low bits constant: use --divide-gcd or a higher mask)" : "");
    row(&c[5], "variation", r->variation >= 1.0 ? V_PASS : V_FAIL,
        "mean |change| %.1f ticks, deltas %llu..%llu", r->variation,
        (unsigned long long)r->delta_min, (unsigned long long)r->delta_max);
    row(&c[6], "stuck", r->stuck_share <= EA_PROBE_STUCK_MAX ? V_PASS : V_FAIL,
        "%.3f%% of %zu jent deltas", 100.0 * r->stuck_share, r->samples);
}

static void print_host(const char *prefix, json_t *o)
{
    const char *key;
    json_t *v;

    json_object_foreach(o, key, v) {
        char name[128];
        snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", key);
        if (json_is_object(v)) {
            print_host(name, v);
        } else if (json_is_null(v)) {
            printf("  %-32s unknown\n", name);
        } else if (json_is_string(v)) {
            printf("  %-32s %s\n", name, json_string_value(v));
        } else {
            char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            printf("  %-32s %s\n", name, s ? s : "?");
            free(s);
        }
    }
}

/* Under an emulator every timing is the emulator's: say so where they are printed. */
static void emulation_note(FILE *f)
{
    char karch[64];

    if (ea_host_emulated(karch, sizeof karch) == 1)
        fprintf(f, "note: emulated: this %s program runs on a %s kernel (qemu-user or the like); "
                   "the read cost, rate and deltas below are the emulator's timings, meaningless "
                   "as a CPU's noise\n", ea_host_built_arch(), karch);
}

static void print_text(const ea_probe_result *r, const check_row *c, int failed, json_t *host)
{
    printf("timer: %s", r->timer);
    if (strcmp(r->timer, "cntvct_el0") == 0)
        printf(", %llu Hz (cntfrq_el0)", (unsigned long long)r->freq_hz);
    printf("\n");
    emulation_note(stdout);
    for (int i = 0; i < NCHECKS; i++)
        printf("  %-12s %-5s %s\n", c[i].name, vname(c[i].v), c[i].detail);
    if (host != NULL) {
        printf("host:\n");
        print_host("", host);
    }
    printf("verdict: %s\n", failed ? "this machine cannot support the jitter noise sources"
                                   : "the timer can support the jent and memtouch sources");
}

static int print_json(const ea_probe_result *r, const check_row *c, int failed, json_t *host)
{
    json_t *o = json_object(), *checks = json_object();
    int rc;

    for (int i = 0; i < NCHECKS; i++)
        json_object_set_new(checks, c[i].name,
                            json_pack("{s:s,s:s}", "verdict", vname(c[i].v), "detail", c[i].detail));
    json_object_set_new(o, "timer", json_pack("{s:s,s:b,s:b,s:I,s:f,s:I,s:f,s:I,s:f,s:f,s:I,s:I,s:I}",
        "name", r->timer, "present", r->present, "monotonic", r->monotonic,
        "backwards", (json_int_t)r->backwards, "read_cost_ns", r->read_cost_ns,
        "resolution", (json_int_t)r->resolution, "ticks_per_ns", r->ticks_per_ns,
        "gcd", (json_int_t)r->gcd, "stuck_share", r->stuck_share, "variation", r->variation,
        "delta_min", (json_int_t)r->delta_min, "delta_max", (json_int_t)r->delta_max,
        "samples", (json_int_t)r->samples));
    json_object_set_new(json_object_get(o, "timer"), "frequency_hz",
                        r->freq_hz > 0 ? json_integer((json_int_t)r->freq_hz) : json_null());
    json_object_set_new(o, "checks", checks);
    json_object_set(o, "host", host ? host : json_null());
    json_object_set_new(o, "usable", json_boolean(!failed));
    {
        json_t *em = host ? json_object_get(host, "emulated") : NULL;
        json_object_set_new(o, "emulated", em ? json_incref(em) : json_null());
    }
    rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    printf("\n");
    json_decref(o);
    return rc;
}

static int bad_usage(const char *prog, const char *what, const char *arg)
{
    return ea_usage_err(prog, "ea90b probe", what, arg);
}

static const struct option probe_opts[] = {
    {"timer", required_argument, NULL, 'T'},
    {"samples", required_argument, NULL, 'n'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int ea_cmd_probe(int argc, char **argv)
{
    const char *prog = "ea90b probe";
    ea_timer_kind timer = EA_TIMER_AUTO;
    unsigned long samples = PROBE_SAMPLES_DEFAULT;
    int json = 0, opt, failed = 0;
    ea_probe_result r;
    check_row c[NCHECKS];
    char err[256];
    json_t *host;

    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", probe_opts, NULL)) != -1) {
        if (opt == 'T' && ea_timer_kind_parse(optarg, &timer) != 0)
            return bad_usage(prog, "--timer needs auto or monotonic", optarg);
        if (opt == 'n' && (ea_parse_ulong(optarg, &samples) != 0 || samples < PROBE_SAMPLES_MIN ||
                           samples > PROBE_SAMPLES_MAX))
            return bad_usage(prog, "--samples needs a number from 100 to 100000000", optarg);
        if (opt == 'j')
            json = 1;
        if (opt == 'h') {
            usage(stdout);
            return 0;
        }
        if (opt == '?')
            return bad_usage(prog, "unknown option or missing value", argv[optind - 1]);
    }
    if (optind < argc)
        return bad_usage(prog, "unexpected operand", argv[optind]);
    if (ea_timer_probe(timer, samples, &r, err, sizeof err) != 0) {
        ea_err(prog, "%s", err);
        return EXIT_DATA;
    }
    judge(&r, c);
    for (int i = 0; i < NCHECKS; i++)
        failed |= c[i].v == V_FAIL;
    host = ea_hostinfo();
    if (json) {
        if (print_json(&r, c, failed, host) != 0) {
            json_decref(host);
            ea_err(prog, "cannot write JSON");
            return EXIT_DATA;
        }
    } else {
        print_text(&r, c, failed, host);
    }
    json_decref(host);
    if (failed)
        ea_err(prog, "the timer failed a check: this machine cannot support the jitter noise sources");
    return failed ? EXIT_DATA : 0;
}
