/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_engine.c - the collection engine through its public interface
 * (include/ea90b_collect.h): the typed configuration and its JSON form,
 * open/run/close, hooks, resume, the lock, and what a failure leaves.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ea90b_collect.h"
#include "test_fs.h"

static char *join(const char *d, const char *name)
{
    char *p = malloc(strlen(d) + strlen(name) + 2);

    sprintf(p, "%s/%s", d, name);
    return p;
}

static int exists(const char *d, const char *name)
{
    char *p = join(d, name);
    int rc = access(p, F_OK) == 0;

    free(p);
    return rc;
}

/* A small in-process collection: 3000 samples, 4 x 50 restarts. */
static ea_col_config small(void)
{
    ea_col_config c = ea_col_config_default();

    c.samples = 3000;
    c.rows = 4;
    c.cols = 50;
    c.restart_mode = EA_COL_RESTART_INPROC;
    return c;
}

/* ------------------------------------------------------------ configuration */

Test(engine, defaults_are_the_amounts_of_sp800_90b)
{
    ea_col_config c = ea_col_config_default();
    char err[256];

    cr_assert_eq(c.source, EA_COL_JENT);
    cr_assert_eq(c.samples, 1000000);
    cr_assert_eq(c.rows, 1000);
    cr_assert_eq(c.cols, 1000);
    cr_assert_eq(c.restart_mode, EA_COL_RESTART_EXEC);
    cr_assert_eq(c.cpu, -1);
    cr_assert_eq(c.mask, 0xff);
    cr_assert_eq(ea_col_config_check(&c, err, sizeof err), EA_OK, "%s", err);
}

Test(engine, config_json_round_trips)
{
    ea_col_config c = small(), back;
    char *s, err[256];

    c.source = EA_COL_MEMTOUCH;
    c.timer = EA_COL_TIMER_MONOTONIC;
    c.cpu = 0;
    c.mask = 0x8000000000000000ull;
    c.divide_gcd = 1;
    c.text = 1;
    s = ea_col_config_to_json(&c);
    cr_assert_not_null(s);
    cr_assert_not_null(strstr(s, "\"mask\":\"0x8000000000000000\""), "%s", s);
    cr_assert_not_null(strstr(s, "\"input\":null"), "%s", s);
    cr_assert_eq(ea_col_config_from_json(s, &back, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(memcmp(&c, &back, sizeof c), 0);
    free(s);
}

Test(engine, exec_config_round_trips_with_its_arguments)
{
    static const char *const argv[] = {"./rec", "--osr", "3", "{samples}"};
    ea_col_config c = ea_col_config_default(), back;
    char *s, err[256];

    c.source = EA_COL_EXEC;
    c.exec_timeout = 2.5;
    c.exec_format = EA_COL_FORMAT_TEXT;
    snprintf(c.source_label, sizeof c.source_label, "jitterentropy in libfoo");
    snprintf(c.source_version, sizeof c.source_version, "3.6.3");
    cr_assert_eq(ea_col_config_set_argv(&c, 4, argv, err, sizeof err), EA_OK, "%s", err);
    cr_assert_str_eq(ea_col_config_arg(&c, 3), "{samples}");
    cr_assert_null(ea_col_config_arg(&c, 4));
    cr_assert_eq(ea_col_config_check(&c, err, sizeof err), EA_OK, "%s", err);
    s = ea_col_config_to_json(&c);
    cr_assert_not_null(strstr(s, "\"exec_argv\":[\"./rec\",\"--osr\",\"3\",\"{samples}\"]"), "%s", s);
    cr_assert_eq(ea_col_config_from_json(s, &back, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(memcmp(&c, &back, sizeof c), 0);
    free(s);
    c.restart_mode = EA_COL_RESTART_INPROC;
    cr_assert_eq(ea_col_config_check(&c, err, sizeof err), EA_ERR_ARG);
    cr_assert_not_null(strstr(err, "restarts by running its program again"), "%s", err);
    c = ea_col_config_default();
    c.jent_mode = EA_COL_JENT_LIBRARY;
    s = ea_col_config_to_json(&c);
    cr_assert_not_null(strstr(s, "\"jent_mode\":\"library\""), "%s", s);
    cr_assert_eq(ea_col_config_from_json(s, &back, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(back.jent_mode, EA_COL_JENT_LIBRARY);
    free(s);
}

Test(engine, config_json_absent_keys_keep_defaults)
{
    ea_col_config c;
    char err[256];

    cr_assert_eq(ea_col_config_from_json("{\"samples\": 12}", &c, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(c.samples, 12);
    cr_assert_eq(c.rows, 1000);
    cr_assert_eq(c.source, EA_COL_JENT);
}

Test(engine, config_json_refuses_what_it_does_not_know)
{
    static const struct {
        const char *json, *why;
    } bad[] = {
        {"{\"source\": \"rdrand\"}", "\"source\" must be"},
        {"{\"sourse\": \"jent\"}", "unknown key \"sourse\""},
        {"{\"samples\": \"many\"}", "\"samples\" must be a count"},
        {"{\"samples\": -1}", "\"samples\" must be a count"},
        {"{\"samples\": 0}", "samples must be 1.."},
        {"{\"samples\": 1000000001}", "\"samples\" must be a count"},
        {"{\"memory_bits\": 9}", "memory_bits 9 is outside"},
        {"{\"mask\": \"0x0\"}", "has 0 bits set"},
        {"{\"mask\": \"0x1ff\"}", "has 9 bits set"},
        {"{\"mask\": \"ff\"}", "hexadecimal mask"},
        {"{\"text\": 1}", "\"text\" must be true or false"},
        {"{\"cpu\": 5000}", "\"cpu\" must be a count"},
        {"{\"source\": \"import\"}", "needs input"},
        {"{\"input\": \"/x\"}", "apply to the import source only"},
        {"{\"source\": \"memtouch\", \"hash_loops\": 2}", "apply to the jent source only"},
        {"{\"rows\": 1000, \"cols\": 1000000001}", "\"cols\" must be a count"},
        {"{\"rows\": 100000, \"cols\": 100000}", "rows x cols"},
        {"[1]", "not a JSON object"},
        {"{\"source\": \"exec\"}", "needs exec_argv"},
        {"{\"exec_argv\": [\"x\"]}", "apply to the exec source only"},
        {"{\"source\": \"exec\", \"exec_argv\": []}", "\"exec_argv\" must be"},
        {"{\"source\": \"exec\", \"exec_argv\": [\"x\", 3]}", "\"exec_argv\" must be"},
        {"{\"exec_timeout\": -1}", "\"exec_timeout\" must be"},
        {"{\"jent_mode\": \"fast\"}", "\"jent_mode\" must be"},
        {"{\"source\": \"memtouch\", \"jent_mode\": \"library\"}", "apply to the jent source only"},
        {"{\"source_label\": 5}", "\"source_label\" must be"},
        {"{\"samples\": 5, \"samples\": 6}", "not valid JSON"},
        {"{", "not valid JSON"},
    };
    ea_col_config c;
    char err[256];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        cr_assert_eq(ea_col_config_from_json(bad[i].json, &c, err, sizeof err), EA_ERR_ARG, "%s",
                     bad[i].json);
        cr_assert_not_null(strstr(err, bad[i].why), "%s: %s", bad[i].json, err);
    }
}

Test(engine, config_json_accepts_an_integer_mask_of_older_state_files)
{
    ea_col_config c;
    char err[256];

    cr_assert_eq(ea_col_config_from_json("{\"mask\": 15}", &c, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(c.mask, 15);
}

Test(engine, names_of_the_enums)
{
    cr_assert_str_eq(ea_col_source_name(EA_COL_IMPORT), "import");
    cr_assert_str_eq(ea_col_timer_name(EA_COL_TIMER_MONOTONIC), "monotonic");
    cr_assert_str_eq(ea_col_restart_mode_name(EA_COL_RESTART_INPROC), "inproc");
    cr_assert_str_eq(ea_col_format_name(EA_COL_FORMAT_U64), "u64");
    cr_assert_str_eq(ea_strerror(EA_ERR_LOCKED), "the collection directory is in use by another run");
    cr_assert_str_neq(ea_strerror(EA_ERR_IO), ea_strerror(EA_ERR_INPUT));
}

/* ------------------------------------------------------------ a run */

typedef struct {
    int calls_samples, calls_restarts, steps[2], step_order_ok;
    uint64_t last_done, rows_seen;
    uint64_t stop_at_row;   /* 0: never */
} hook_log;

static void on_progress(void *ctx, ea_col_phase phase, uint64_t done, uint64_t total)
{
    hook_log *h = ctx;

    cr_assert_leq(done, total);
    if (phase == EA_COL_PHASE_SAMPLES)
        h->calls_samples++;
    else if (phase == EA_COL_PHASE_RESTARTS)
        h->calls_restarts++;
    h->last_done = done;
}

static int on_row(void *ctx, uint64_t done, uint64_t rows)
{
    hook_log *h = ctx;

    cr_assert_eq(done, h->rows_seen + 1, "rows arrive one at a time, in order");
    h->rows_seen = done;
    cr_assert_leq(done, rows);
    return h->stop_at_row != 0 && done == h->stop_at_row;
}

static void on_step(void *ctx, ea_col_step step)
{
    hook_log *h = ctx;

    h->steps[step]++;
    if (step == EA_COL_STEP_AFTER_MANIFEST)
        h->step_order_ok = h->steps[EA_COL_STEP_BEFORE_MANIFEST] == 1;
}

Test(engine, a_run_through_the_interface_verifies)
{
    ea_col_config cfg = small();
    ea_col_options opt = ea_col_options_default();
    hook_log log;
    ea_col_hooks hooks = {.ctx = &log, .progress = on_progress, .row_done = on_row, .step = on_step};
    ea_collection *c = NULL;
    ea_col_info info;
    char *d = tu_tmpdir("engine"), *dir = join(d, "col"), err[1024];

    memset(&log, 0, sizeof log);
    opt.command_line = "test_engine";
    cr_assert_eq(ea_col_open(dir, &cfg, &opt, &c, err, sizeof err), EA_OK, "%s", err);
    cr_assert(exists(dir, "collect.lock"), "the run holds the lock");
    cr_assert_eq(ea_col_run(c, &hooks, err, sizeof err), EA_OK, "%s", err);
    ea_col_info_get(c, &info);
    cr_assert_eq(ea_col_close(c, err, sizeof err), EA_OK, "%s", err);
    cr_assert(!exists(dir, "collect.lock"), "close releases the lock");
    cr_assert_eq(ea_col_verify(dir, err, sizeof err), EA_OK, "%s", err);
    cr_assert(info.complete);
    cr_assert_eq(info.samples, 3000);
    cr_assert_eq(info.rows, 4);
    cr_assert_eq(info.rows_done, 4);
    cr_assert_str_eq(info.source, "jent");
    cr_assert_str_eq(info.restart_mode, "inproc");
    cr_assert_str_eq(info.mask, "0xff");
    cr_assert_gt(info.gcd, 0);
    cr_assert_gt(log.calls_samples, 0);
    cr_assert_gt(log.calls_restarts, 0);
    cr_assert_eq(log.rows_seen, 4);
    cr_assert(log.step_order_ok, "before-manifest, then after-manifest");
    cr_assert(!exists(dir, "collect.state.json"));
    free(dir);
    tu_rmtree(d);
    free(d);
}

Test(engine, a_stop_then_a_resume_completes_with_the_same_configuration)
{
    ea_col_config cfg = small(), saved;
    ea_col_options opt = ea_col_options_default();
    hook_log log;
    ea_col_hooks hooks = {.ctx = &log, .row_done = on_row};
    ea_collection *c = NULL;
    ea_col_info info;
    char *d = tu_tmpdir("engine"), *dir = join(d, "col"), err[1024], *m;
    json_t *man;

    memset(&log, 0, sizeof log);
    log.stop_at_row = 2;
    cr_assert_eq(ea_col_open(dir, &cfg, &opt, &c, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(ea_col_run(c, &hooks, err, sizeof err), EA_ERR_INTERRUPTED);
    ea_col_info_get(c, &info);
    cr_assert_eq(info.phase, EA_COL_PHASE_RESTARTS);
    cr_assert_eq(info.rows_done, 2);
    cr_assert_eq(ea_col_close(c, err, sizeof err), EA_OK, "%s", err);
    cr_assert(exists(dir, "collect.state.json"), "the state stays for a resume");
    cr_assert(!exists(dir, "manifest.json"));
    cr_assert_eq(ea_col_verify(dir, err, sizeof err), EA_ERR_MANIFEST);

    opt.mode = EA_COL_RESUME;
    cr_assert_eq(ea_col_open(dir, NULL, &opt, &c, err, sizeof err), EA_OK, "%s", err);
    ea_col_get_config(c, &saved);
    cr_assert_eq(memcmp(&saved, &cfg, sizeof cfg), 0, "the interrupted run's configuration");
    ea_col_info_get(c, &info);
    cr_assert(info.resumed);
    cr_assert_eq(info.rows_done, 2);
    memset(&log, 0, sizeof log);
    log.rows_seen = 2;
    cr_assert_eq(ea_col_run(c, &hooks, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(ea_col_close(c, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(ea_col_verify(dir, err, sizeof err), EA_OK, "%s", err);
    m = join(dir, "manifest.json");
    man = json_load_file(m, 0, NULL);
    cr_assert_not_null(man);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(
                     json_object_get(man, "restarts"), "resumes"), 0), "rows_done")), 2);
    json_decref(man);
    free(m);
    free(dir);
    tu_rmtree(d);
    free(d);
}

Test(engine, a_resume_closed_without_running_changes_nothing)
{
    ea_col_config cfg = small();
    ea_col_options opt = ea_col_options_default();
    hook_log log;
    ea_col_hooks hooks = {.ctx = &log, .row_done = on_row};
    ea_collection *c = NULL;
    char *d = tu_tmpdir("engine"), *dir = join(d, "col"), *st = join(dir, "collect.state.json"), err[1024];
    char before[8192], after[8192];
    FILE *f;
    size_t nb, na;

    memset(&log, 0, sizeof log);
    log.stop_at_row = 1;
    cr_assert_eq(ea_col_open(dir, &cfg, &opt, &c, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(ea_col_run(c, &hooks, err, sizeof err), EA_ERR_INTERRUPTED);
    ea_col_close(c, NULL, 0);
    f = fopen(st, "rb");
    nb = fread(before, 1, sizeof before, f);
    fclose(f);
    opt.mode = EA_COL_RESUME;
    cr_assert_eq(ea_col_open(dir, NULL, &opt, &c, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(ea_col_close(c, err, sizeof err), EA_OK, "%s", err);
    f = fopen(st, "rb");
    na = fread(after, 1, sizeof after, f);
    fclose(f);
    cr_assert_eq(na, nb);
    cr_assert_eq(memcmp(before, after, na), 0, "the state file is untouched");
    cr_assert(!exists(dir, "collect.lock"));
    free(st);
    free(dir);
    tu_rmtree(d);
    free(d);
}

/* ------------------------------------------------------------ refusals */

Test(engine, one_run_per_directory)
{
    ea_col_config cfg = small();
    ea_col_options opt = ea_col_options_default();
    ea_collection *a = NULL, *b = NULL;
    char *d = tu_tmpdir("engine"), *dir = join(d, "col"), err[1024];

    cr_assert_eq(ea_col_open(dir, &cfg, &opt, &a, err, sizeof err), EA_OK, "%s", err);
    opt.mode = EA_COL_RESUME;
    cr_assert_eq(ea_col_open(dir, NULL, &opt, &b, err, sizeof err), EA_ERR_LOCKED, "%s", err);
    cr_assert_null(b);
    opt.mode = EA_COL_FORCE;
    cr_assert_eq(ea_col_open(dir, &cfg, &opt, &b, err, sizeof err), EA_ERR_LOCKED, "%s", err);
    ea_col_close(a, NULL, 0);
    free(dir);
    tu_rmtree(d);
    free(d);
}

Test(engine, a_non_empty_directory_is_refused_and_left_alone)
{
    ea_col_config cfg = small();
    ea_col_options opt = ea_col_options_default();
    ea_collection *c = NULL;
    char *d = tu_tmpdir("engine"), *keep = join(d, "keep"), err[1024];
    FILE *f = fopen(keep, "w");

    fputs("mine\n", f);
    fclose(f);
    cr_assert_eq(ea_col_open(d, &cfg, &opt, &c, err, sizeof err), EA_ERR_NOT_EMPTY);
    cr_assert_not_null(strstr(err, "is not empty"), "%s", err);
    cr_assert(exists(d, "keep"));
    cr_assert(!exists(d, "collect.lock"));
    cr_assert(!exists(d, "collect.state.json"));
    free(keep);
    tu_rmtree(d);
    free(d);
}

Test(engine, exec_restarts_need_a_restart_program)
{
    ea_col_config cfg = small();
    ea_col_options opt = ea_col_options_default();
    ea_collection *c = NULL;
    char *d = tu_tmpdir("engine"), *dir = join(d, "col"), err[1024];

    cfg.restart_mode = EA_COL_RESTART_EXEC;
    cr_assert_eq(ea_col_open(dir, &cfg, &opt, &c, err, sizeof err), EA_ERR_ARG);
    cr_assert_not_null(strstr(err, "restart_exe"), "%s", err);
    opt.restart_exe = "/nonexistent/program";
    cr_assert_eq(ea_col_open(dir, &cfg, &opt, &c, err, sizeof err), EA_ERR_SYSTEM);
    cr_assert_eq(access(dir, F_OK), -1, "nothing was created");
    free(dir);
    tu_rmtree(d);
    free(d);
}

Test(engine, a_resume_needs_an_interrupted_collection)
{
    ea_col_options opt = ea_col_options_default();
    ea_collection *c = NULL;
    char *d = tu_tmpdir("engine"), err[1024];

    opt.mode = EA_COL_RESUME;
    cr_assert_eq(ea_col_open(d, NULL, &opt, &c, err, sizeof err), EA_ERR_STATE);
    cr_assert_not_null(strstr(err, "no interrupted collection"), "%s", err);
    cr_assert(!exists(d, "collect.lock"), "no lock file left in a directory that is not ours");
    tu_rmtree(d);
    free(d);
}

Test(engine, a_fresh_run_that_fails_in_its_first_phase_leaves_nothing)
{
    ea_col_config cfg = ea_col_config_default();
    ea_col_options opt = ea_col_options_default();
    ea_collection *c = NULL;
    char *d = tu_tmpdir("engine"), *dir = join(d, "col"), *bad = join(d, "bad.txt"), err[1024];
    FILE *f = fopen(bad, "w");

    fputs("12\n34\nfive\n", f);
    fclose(f);
    cfg.source = EA_COL_IMPORT;
    cfg.samples = 0;
    cfg.rows = 0;
    snprintf(cfg.input, sizeof cfg.input, "%s", bad);
    cr_assert_eq(ea_col_open(dir, &cfg, &opt, &c, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(ea_col_run(c, NULL, err, sizeof err), EA_ERR_INPUT);
    cr_assert_not_null(strstr(err, "line 3"), "%s", err);
    ea_col_close(c, NULL, 0);
    cr_assert_eq(access(dir, F_OK), -1, "the directory it created is gone");
    free(bad);
    free(dir);
    tu_rmtree(d);
    free(d);
}

Test(engine, arguments_are_checked)
{
    ea_col_config cfg = small();
    ea_collection *c = (ea_collection *)&cfg;
    char err[256];

    cr_assert_eq(ea_col_open(NULL, &cfg, NULL, &c, err, sizeof err), EA_ERR_ARG);
    cr_assert_null(c);
    cr_assert_eq(ea_col_open("/tmp/x", NULL, NULL, &c, err, sizeof err), EA_ERR_ARG);
    cfg.mask = 0;
    cr_assert_eq(ea_col_open("/tmp/ea90b-never-made", &cfg, NULL, &c, err, sizeof err), EA_ERR_ARG);
    cr_assert_eq(access("/tmp/ea90b-never-made", F_OK), -1);
    cr_assert_eq(ea_col_run(NULL, NULL, err, sizeof err), EA_ERR_ARG);
    cr_assert_eq(ea_col_close(NULL, err, sizeof err), EA_OK);
    cr_assert_eq(ea_col_restart_child(1, (char *[]){"x", NULL}), -1, "not a restart child");
}
