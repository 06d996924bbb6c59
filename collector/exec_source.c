/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec_source.c - an external recorder as the noise source: the program
 * the vendor certifies (jitterentropy's own recorder, say) run once for
 * the consecutive samples (SP 800-90B §3.1.1) and once per restart, a
 * fresh process each time (§3.1.4). docs/collector.md, "The exec protocol":
 *
 *   - the program runs without a shell, with EA90B_SAMPLES=<count>,
 *     EA90B_RUN=runtime|restart and EA90B_RESTART_INDEX=<i> (0 for the
 *     runtime run) in its environment; "{samples}" in an argument becomes
 *     the count;
 *   - it writes exactly that many raw deltas to standard output, little-
 *     endian u64 or one decimal per line (detected once, then required);
 *   - a non-zero exit, a signal, too few or too many deltas, a malformed
 *     line or a run past the timeout is an error that names the run; the
 *     restart rows already on disk stay, and a resume goes on from there.
 *
 * Provenance (SP 800-90B §3.2.2, raw data from the noise source itself):
 * the program is resolved to an absolute path and hashed when the
 * collection starts; every run checks it is still that file, and the
 * finish hashes it again. A file PROGRAM.ea90b.json beside it (written by
 * scripts/jent-recorder: library version, build, recorder hash) is folded
 * into the manifest with its own hash. Each run's exit status and duration
 * are kept (exec-runs.part for the restarts, so a kill loses none).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collection.h"
#include "engine_int.h"
#include "manifest.h"

extern char **environ;

#define SIDECAR_SUFFIX ".ea90b.json"
#define SIDECAR_MAX (1u << 20)

/* ------------------------------------------------------------ the program */

/* PROGRAM as execvp would find it, as an absolute path (malloc'd). */
static char *resolve(const char *prog)
{
    const char *path = getenv("PATH");
    char cand[PATH_MAX];

    if (strchr(prog, '/') != NULL)
        return realpath(prog, NULL);
    if (path == NULL || path[0] == '\0')
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path != '\0') {
        size_t n = strcspn(path, ":");
        struct stat st;
        if (n > 0 && (size_t)snprintf(cand, sizeof cand, "%.*s/%s", (int)n, path, prog) <
                         sizeof cand &&
            stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
            return realpath(cand, NULL);
        path += n + (path[n] == ':');
    }
    errno = ENOENT;
    return NULL;
}

/* {path, bytes, sha256, mtime_ns, ino} of an executable regular file. */
static json_t *file_facts(const char *path, char *err, size_t errlen, ea_status *st)
{
    unsigned long long bytes = 0;
    char hex[65];
    struct stat sb;

    *st = EA_OK;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || access(path, X_OK) != 0) {
        *st = ea_col_fail(EA_ERR_ARG, err, errlen, "exec: '%s' is not an executable file", path);
        return NULL;
    }
    if ((*st = ea_sha256_file(path, hex, &bytes, err, errlen)) != EA_OK)
        return NULL;
    return json_pack("{s:s,s:I,s:s,s:I,s:I}", "path", path, "bytes", (json_int_t)bytes, "sha256",
                     hex, "mtime_ns",
                     (json_int_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec, "ino",
                     (json_int_t)sb.st_ino);
}

/* PROGRAM.ea90b.json, when there is one: {"file", "sha256", "content"}; else null. */
static json_t *sidecar(const char *prog, char *err, size_t errlen, ea_status *st)
{
    char path[PATH_MAX + sizeof SIDECAR_SUFFIX], hex[65], why[600] = "too large";
    unsigned long long bytes = 0;
    json_t *content = NULL;
    struct stat sb;

    *st = EA_OK;
    snprintf(path, sizeof path, "%s%s", prog, SIDECAR_SUFFIX);
    if (stat(path, &sb) != 0)
        return json_null();
    if (sb.st_size > SIDECAR_MAX || (content = ea_json_load(path, why, sizeof why, NULL)) == NULL ||
        !json_is_object(content)) {
        json_decref(content);
        *st = ea_col_fail(EA_ERR_INPUT, err, errlen, "exec: '%s' is not a JSON object (%s)", path,
                          content ? "another JSON value" : why);
        return NULL;
    }
    if ((*st = ea_sha256_file(path, hex, &bytes, err, errlen)) != EA_OK) {
        json_decref(content);
        return NULL;
    }
    return json_pack("{s:s,s:s,s:o}", "file", path, "sha256", hex, "content", content);
}

static const char *str_of(const json_t *o, const char *path1, const char *path2)
{
    const json_t *v = json_object_get(o, path1);

    return json_string_value(path2 ? json_object_get(v, path2) : v);
}

/* A resume must find the very program (and sidecar) the collection started with. */
static ea_status same_program(const char *dir, const json_t *was, const json_t *now, char *err,
                              size_t errlen)
{
    const char *a = str_of(was, "executable", "sha256"), *b = str_of(now, "executable", "sha256");
    const char *sa = str_of(was, "sidecar", "sha256"), *sb = str_of(now, "sidecar", "sha256");

    if (a == NULL || b == NULL || strcmp(a, b) != 0)
        return ea_col_fail(EA_ERR_STATE, err, errlen, "%s: exec: '%s' changed since the "
                           "collection started (SHA-256 %s, now %s); start again with --force",
                           dir, str_of(now, "program", NULL), a ? a : "?", b ? b : "?");
    if ((sa == NULL) != (sb == NULL) || (sa != NULL && strcmp(sa, sb) != 0))
        return ea_col_fail(EA_ERR_STATE, err, errlen, "%s: exec: the program's %s file changed "
                           "since the collection started; start again with --force", dir,
                           SIDECAR_SUFFIX);
    return EA_OK;
}

ea_status ea_exec_prepare(const char *dir, const ea_col_config *cfg, const json_t *was,
                          json_t **facts, char *err, size_t errlen)
{
    const char *prog = ea_col_config_arg(cfg, 0);
    char *path = prog ? resolve(prog) : NULL;
    json_t *exe = NULL, *side = NULL;
    ea_status st = EA_OK;

    *facts = NULL;
    if (path == NULL)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "exec: cannot find the program '%s': %s",
                           prog ? prog : "", strerror(errno));
    if ((exe = file_facts(path, err, errlen, &st)) != NULL)
        side = sidecar(path, err, errlen, &st);
    if (st == EA_OK &&
        (*facts = json_pack("{s:s,s:o,s:o,s:n,s:[]}", "program", path, "executable", exe,
                            "sidecar", side, "format", "failures")) == NULL)
        st = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    else if (st != EA_OK) {
        json_decref(exe);
        json_decref(side);
    }
    if (st == EA_OK && was != NULL && (st = same_program(dir, was, *facts, err, errlen)) != EA_OK) {
        json_decref(*facts);
        *facts = NULL;
    }
    free(path);
    return st;
}

/* The program is still the file that was hashed (size, mtime, inode; a rehash when unsure). */
static ea_status unchanged(ea_collection *c, char *err, size_t errlen)
{
    json_t *exe = json_object_get(c->st.exec, "executable"), *now;
    const char *path = json_string_value(json_object_get(exe, "path"));
    struct stat sb;
    ea_status st;

    if (path != NULL && stat(path, &sb) == 0 &&
        (json_int_t)sb.st_size == json_integer_value(json_object_get(exe, "bytes")) &&
        (json_int_t)sb.st_ino == json_integer_value(json_object_get(exe, "ino")) &&
        (json_int_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec ==
            json_integer_value(json_object_get(exe, "mtime_ns")))
        return EA_OK;
    if ((now = file_facts(path ? path : "", err, errlen, &st)) == NULL)
        return st;
    if (strcmp(json_string_value(json_object_get(now, "sha256")),
               json_string_value(json_object_get(exe, "sha256"))) != 0)
        st = ea_col_fail(EA_ERR_STATE, err, errlen, "exec: '%s' changed during the collection "
                         "(SHA-256 %s, now %s); start again with --force", path,
                         json_string_value(json_object_get(exe, "sha256")),
                         json_string_value(json_object_get(now, "sha256")));
    else
        json_object_set(c->st.exec, "executable", now);   /* touched, same bytes */
    json_decref(now);
    return st;
}

/* ------------------------------------------------------------ one run */

typedef struct {
    const char *kind;     /* "runtime" or "restart" */
    uint64_t index, of;   /* restart i of R; 0 for the runtime run */
    unsigned run;         /* runtime run of a series (1..); 0 for a restart */
    size_t n;             /* deltas asked for */
    char name[64];        /* "the runtime run", "restart 17 of 1000" */
} run_id;

static char *env_entry(const char *key, uint64_t v)
{
    char buf[64];

    snprintf(buf, sizeof buf, "%s=%" PRIu64, key, v);
    return strdup(buf);
}

/* environ without EA90B_*, plus EA90B_SAMPLES, EA90B_RUN, EA90B_RESTART_INDEX. */
static char **run_env(const run_id *r)
{
    size_t k = 0, n = 0;
    char **env;

    while (environ[n] != NULL)
        n++;
    if ((env = calloc(n + 5, sizeof(char *))) == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "EA90B_SAMPLES=", 14) != 0 &&
            strncmp(environ[i], "EA90B_RUN=", 10) != 0 &&
            strncmp(environ[i], "EA90B_RESTART_INDEX=", 20) != 0 &&
            strncmp(environ[i], "EA90B_RUN_INDEX=", 16) != 0)
            env[k++] = environ[i];
    env[k] = env_entry("EA90B_SAMPLES", r->n);
    env[k + 1] = strdup(strcmp(r->kind, "runtime") == 0 ? "EA90B_RUN=runtime"
                                                         : "EA90B_RUN=restart");
    env[k + 2] = env_entry("EA90B_RESTART_INDEX", r->index);
    env[k + 3] = env_entry("EA90B_RUN_INDEX", r->run);
    if (env[k] == NULL || env[k + 1] == NULL || env[k + 2] == NULL || env[k + 3] == NULL) {
        for (int j = 0; j < 4; j++)
            free(env[k + (size_t)j]);
        free(env);
        return NULL;
    }
    return env;
}

static void env_free(char **env)
{
    size_t k = 0;

    if (env == NULL)
        return;
    while (env[k] != NULL)
        k++;
    for (size_t j = k >= 4 ? k - 4 : 0; j < k; j++)
        free(env[j]);
    free(env);
}

/* arg with every "{samples}" replaced by n (malloc'd). */
static char *substitute(const char *arg, size_t n)
{
    char num[24], *out, *o;
    size_t count = 0, len;

    snprintf(num, sizeof num, "%zu", n);
    for (const char *p = strstr(arg, "{samples}"); p != NULL; p = strstr(p + 9, "{samples}"))
        count++;
    len = strlen(arg) + count * strlen(num) + 1;
    if ((out = malloc(len)) == NULL)
        return NULL;
    for (o = out; *arg != '\0';) {
        if (strncmp(arg, "{samples}", 9) == 0) {
            o = stpcpy(o, num);
            arg += 9;
        } else {
            *o++ = *arg++;
        }
    }
    *o = '\0';
    return out;
}

static void argv_free(char **argv)
{
    for (size_t i = 0; argv != NULL && argv[i] != NULL; i++)
        free(argv[i]);
    free(argv);
}

/* The program's resolved path, then its arguments with {samples} replaced. */
static char **run_argv(const ea_collection *c, size_t n)
{
    const ea_col_config *cfg = &c->st.cfg;
    char **argv = calloc(cfg->exec_argc + 1, sizeof(char *));
    const char *prog = json_string_value(json_object_get(c->st.exec, "program"));

    if (argv == NULL || prog == NULL || (argv[0] = strdup(prog)) == NULL) {
        free(argv);
        return NULL;
    }
    for (unsigned i = 1; i < cfg->exec_argc; i++)
        if ((argv[i] = substitute(ea_col_config_arg(cfg, i), n)) == NULL) {
            argv_free(argv);
            return NULL;
        }
    return argv;
}

static ea_import_format locked_format(const ea_collection *c)
{
    const char *f = json_string_value(json_object_get(c->st.exec, "format"));
    ea_col_format cf = c->st.cfg.exec_format;

    if (f != NULL)
        return strcmp(f, "u64") == 0 ? EA_IMPORT_U64LE : EA_IMPORT_TEXT;
    return cf == EA_COL_FORMAT_U64 ? EA_IMPORT_U64LE
         : cf == EA_COL_FORMAT_TEXT ? EA_IMPORT_TEXT : EA_IMPORT_AUTO;
}

/* ": its first line of standard error" or "". */
static const char *why(const ea_run_out *o, char *buf, size_t n)
{
    if (o->errline[0] == '\0')
        return "";
    snprintf(buf, n, ": %s", o->errline);
    return buf;
}

/* What the process did, before its output is read. */
static ea_status judge_exit(const ea_collection *c, const run_id *r, const ea_run_out *o,
                            char *err, size_t errlen)
{
    char b[600];

    if (o->timed_out)
        return ea_col_fail(EA_ERR_RESTART, err, errlen, "%s: ran longer than the --exec-timeout "
                           "of %g s and was killed", r->name, c->st.cfg.exec_timeout);
    if (o->signal != 0)
        return ea_col_fail(EA_ERR_RESTART, err, errlen, "%s: killed by signal %d%s", r->name,
                           o->signal, why(o, b, sizeof b));
    if (o->exit_code != 0)
        return ea_col_fail(EA_ERR_RESTART, err, errlen, "%s: exited with status %d%s", r->name,
                           o->exit_code, why(o, b, sizeof b));
    if (o->too_much)
        return ea_col_fail(EA_ERR_RESTART, err, errlen, "%s: wrote more than the %zu deltas "
                           "asked for", r->name, r->n);
    return EA_OK;
}

/* Its output into n deltas at d (the format detected once, then required). */
static ea_status read_output(ea_collection *c, const run_id *r, const ea_run_out *o, uint64_t *d,
                             char *err, size_t errlen)
{
    ea_import_format fmt = locked_format(c);
    uint64_t *v = NULL;
    size_t got = 0;
    ea_status st = ea_import_parse(r->name, o->out, o->out_len, &fmt, &v, &got, err, errlen);

    if (st == EA_OK && got != r->n)
        st = ea_col_fail(EA_ERR_RESTART, err, errlen, "%s: wrote %zu deltas, %zu asked for",
                         r->name, got, r->n);
    if (st == EA_OK) {
        memcpy(d, v, r->n * sizeof *d);
        if (json_is_null(json_object_get(c->st.exec, "format")))
            json_object_set_new(c->st.exec, "format",
                                json_string(fmt == EA_IMPORT_U64LE ? "u64" : "text"));
    }
    free(v);
    return st == EA_ERR_INPUT ? EA_ERR_RESTART : st;
}

static int stop_cb(void *ctx)
{
    return ea_eng_should_stop(ctx);
}

/* A failed run, kept in the state (and the manifest). */
static void note_failure(ea_collection *c, const run_id *r, const char *why_failed)
{
    char now[32];

    ea_utc_now(now);
    json_array_append_new(json_object_get(c->st.exec, "failures"),
                          json_pack("{s:s,s:s,s:I,s:i,s:s}", "time", now, "run", r->kind, "index",
                                    (json_int_t)r->index, "series_run", r->run, "error",
                                    why_failed));
}

/* Run the program once for r into d; out->seconds and exit kept. */
static ea_status run_once(ea_collection *c, const run_id *r, uint64_t *d, ea_run_out *o,
                          char *err, size_t errlen)
{
    ea_import_format fmt = locked_format(c);
    char **argv = run_argv(c, r->n), **env = run_env(r);
    ea_run_req req = {.argv = argv, .envp = env, .timeout = c->st.cfg.exec_timeout,
                      .stop = stop_cb, .ctx = c,
                      .max_out = fmt == EA_IMPORT_U64LE ? r->n * 8 : r->n * 32 + 4096};
    ea_status st = argv && env ? unchanged(c, err, errlen)
                               : ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");

    memset(o, 0, sizeof(*o));
    if (st == EA_OK && (st = ea_run_program(&req, o, err, errlen)) == EA_OK &&
        (st = judge_exit(c, r, o, err, errlen)) == EA_OK)
        st = read_output(c, r, o, d, err, errlen);
    if (st != EA_OK && st != EA_ERR_INTERRUPTED && st != EA_ERR_NOMEM)
        note_failure(c, r, err != NULL ? err : "");
    argv_free(argv);
    env_free(env);
    return st;
}

/* ------------------------------------------------------------ the phases */

ea_status ea_exec_samples(ea_collection *c, unsigned run, uint64_t **d, size_t *n, json_t **src,
                          char *err, size_t errlen)
{
    run_id r = {.kind = "runtime", .index = 0, .of = 0, .run = run, .n = (size_t)c->st.cfg.samples};
    ea_run_out o;
    ea_status st;

    if (c->st.cfg.runs > 1)
        snprintf(r.name, sizeof r.name, "runtime run %u of %u", run, c->st.cfg.runs);
    else
        snprintf(r.name, sizeof r.name, "the runtime run");
    *n = r.n;
    if ((*d = malloc(r.n * sizeof(uint64_t))) == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    ea_eng_progress(c, EA_COL_PHASE_SAMPLES, 0, r.n);
    st = run_once(c, &r, *d, &o, err, errlen);
    if (st == EA_OK) {
        ea_eng_progress(c, EA_COL_PHASE_SAMPLES, r.n, r.n);
        json_t *rec = json_pack("{s:i,s:i,s:f}", "run", run, "exit", o.exit_code, "seconds",
                                o.seconds);
        if (run == 1)
            json_object_set(c->st.exec, "runtime_run", rec);
        if (json_object_get(c->st.exec, "runtime_runs") == NULL)
            json_object_set_new(c->st.exec, "runtime_runs", json_array());
        json_t *all = json_object_get(c->st.exec, "runtime_runs");
        for (size_t i = json_array_size(all); i-- > 0;)   /* a run retaken after a kill */
            if (json_integer_value(json_object_get(json_array_get(all, i), "run")) == run)
                json_array_remove(all, i);
        json_array_append_new(all, rec);
        *src = json_pack("{s:s,s:n,s:f}", "name", "exec", "timer", "samples_seconds", o.seconds);
    }
    ea_run_out_free(&o);
    return st;
}

/* One line "INDEX EXIT SECONDS" per restart row kept, appended as the row is. */
static ea_status log_row(const ea_collection *c, uint64_t index, const ea_run_out *o, char *err,
                         size_t errlen)
{
    char *p = ea_path_join_alloc(c->dir, EA_COL_EXEC_RUNS);
    FILE *f = p ? fopen(p, "a") : NULL;
    int bad = f == NULL;

    if (f != NULL) {
        bad = fprintf(f, "%" PRIu64 " %d %.6f\n", index, o->exit_code, o->seconds) < 0;
        bad |= fclose(f) != 0;
    }
    if (bad)
        ea_col_fail(EA_ERR_IO, err, errlen, "cannot write '%s': %s", p ? p : EA_COL_EXEC_RUNS,
                    strerror(errno));
    free(p);
    return bad ? EA_ERR_IO : EA_OK;
}

ea_status ea_exec_restart(ea_collection *c, uint64_t index, uint64_t rows, uint64_t *row,
                          size_t cols, ea_restart_part *part, char *err, size_t errlen)
{
    run_id r = {.kind = "restart", .index = index, .of = rows, .n = cols};
    ea_run_out o;
    ea_status st;

    snprintf(r.name, sizeof r.name, "restart %" PRIu64 " of %" PRIu64, index, rows);
    st = run_once(c, &r, row, &o, err, errlen);
    if (st == EA_OK && (st = ea_restart_part_append(part, row, err, errlen)) == EA_OK)
        st = log_row(c, index, &o, err, errlen);
    ea_run_out_free(&o);
    return st;
}

/* ------------------------------------------------------------ the finish */

/* "restart_runs": {"exit": [...], "seconds": [...]} from exec-runs.part (null where unknown). */
static json_t *restart_runs(const ea_collection *c, uint64_t rows)
{
    char *p = ea_path_join_alloc(c->dir, EA_COL_EXEC_RUNS);
    FILE *f = p ? fopen(p, "r") : NULL;
    json_t *ex = json_array(), *secs = json_array();
    unsigned long long idx;
    double s;
    int code;

    for (uint64_t i = 0; ex != NULL && secs != NULL && i < rows; i++) {
        json_array_append_new(ex, json_null());
        json_array_append_new(secs, json_null());
    }
    while (f != NULL && fscanf(f, "%llu %d %lf", &idx, &code, &s) == 3)
        if (idx >= 1 && idx <= rows) {
            json_array_set_new(ex, (size_t)idx - 1, json_integer(code));
            json_array_set_new(secs, (size_t)idx - 1, json_real(s));
        }
    if (f != NULL)
        fclose(f);
    free(p);
    return json_pack("{s:o,s:o}", "exit", ex, "seconds", secs);
}

static json_t *public_executable(const json_t *exe)
{
    return json_pack("{s:O,s:O,s:O}", "path", json_object_get(exe, "path"), "bytes",
                     json_object_get(exe, "bytes"), "sha256", json_object_get(exe, "sha256"));
}

ea_status ea_exec_finish(ea_collection *c, char *err, size_t errlen)
{
    const ea_col_config *cfg = &c->st.cfg;
    json_t *src = c->st.source, *argv = json_array(), *x = c->st.exec;
    ea_status st = unchanged(c, err, errlen);   /* and rehashed below for the manifest */

    if (st != EA_OK)
        return st;
    for (unsigned i = 0; argv != NULL && i < cfg->exec_argc; i++)
        json_array_append_new(argv, json_string(ea_col_config_arg(cfg, i)));
    json_object_set_new(src, "kind", json_string("external recorder"));
    json_object_set_new(src, "argv", argv);
    json_object_set(src, "program", json_object_get(x, "program"));
    json_object_set_new(src, "executable", public_executable(json_object_get(x, "executable")));
    json_object_set(src, "sidecar", json_object_get(x, "sidecar"));
    json_object_set(src, "format", json_object_get(x, "format"));
    json_object_set_new(src, "timeout_seconds",
                        cfg->exec_timeout > 0 ? json_real(cfg->exec_timeout) : json_null());
    json_object_set(src, "runtime_run", json_object_get(x, "runtime_run"));
    if (cfg->runs > 1)
        json_object_set(src, "runtime_runs", json_object_get(x, "runtime_runs"));
    json_object_set_new(src, "restart_runs", cfg->rows ? restart_runs(c, cfg->rows) : json_null());
    json_object_set(src, "failed_runs", json_object_get(x, "failures"));
    return EA_OK;
}
