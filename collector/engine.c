/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine.c - the collection engine's interface (ea90b_collect.h): open a
 * collection directory fresh or for a resume, run its phases
 * (engine_phases.c) with the caller's hooks, close it.
 *
 * A run holds DIR/collect.lock (flock) from open to close. A fresh run that
 * fails before its first phase ends removes what it wrote (and DIR when it
 * created it); any later failure, a stop or a kill leaves a state that a
 * resume continues (collection.h, state.h).
 */
#define _GNU_SOURCE
#include "engine_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "collection.h"
#include "hostinfo.h"
#include "manifest.h"

ea_col_options ea_col_options_default(void)
{
    ea_col_options o = {.mode = EA_COL_NEW, .command_line = NULL, .restart_exe = NULL};

    return o;
}

/* ------------------------------------------------------------ helpers */

int ea_eng_should_stop(const ea_collection *c)
{
    return c->hooks != NULL && c->hooks->should_stop != NULL &&
           c->hooks->should_stop(c->hooks->ctx) != 0;
}

void ea_eng_progress(const ea_collection *c, ea_col_phase phase, uint64_t done, uint64_t total)
{
    if (phase == EA_COL_PHASE_SAMPLES && c->st.cfg.runs > 1) {   /* a series: all its runs */
        done += (uint64_t)c->st.runs_done * total;
        total *= c->st.cfg.runs;
    }
    if (c->hooks != NULL && c->hooks->progress != NULL)
        c->hooks->progress(c->hooks->ctx, phase, done, total);
}

ea_status ea_eng_save(ea_collection *c, int closing, char *err, size_t errlen)
{
    c->st.run_open = !closing;
    return ea_state_save(c->dir, &c->st, err, errlen);
}

static int exists_in(const char *dir, const char *name, struct stat *st)
{
    char *p = ea_path_join_alloc(dir, name);
    int rc = p != NULL && lstat(p, st) == 0;

    free(p);
    return rc;
}

/* The info every open fills from the configuration. */
static void info_init(ea_collection *c)
{
    const ea_col_config *cfg = &c->st.cfg;
    ea_col_info *i = &c->info;

    memset(i, 0, sizeof(*i));
    i->phase = c->st.phase;
    i->resumed = c->mode == EA_COL_RESUME;
    i->rows = cfg->rows;
    i->cols = cfg->cols;
    i->rows_done = c->st.restart_rows_done;
    i->runs = cfg->runs;
    i->runs_done = c->st.runs_done;
    snprintf(i->source, sizeof i->source, "%s", ea_col_source_name(cfg->source));
    snprintf(i->restart_mode, sizeof i->restart_mode, "%s",
             cfg->source == EA_COL_IMPORT ? "import" : ea_col_restart_mode_name(cfg->restart_mode));
    snprintf(i->mask, sizeof i->mask, "0x%llx", (unsigned long long)cfg->mask);
}

/* ------------------------------------------------------------ preflight */

static ea_status pin_cpu(ea_collection *c, const ea_col_config *cfg, char *err, size_t errlen)
{
    cpu_set_t set;

    c->inherited = ea_hostinfo_affinity();
    if (cfg->cpu < 0)
        return EA_OK;
    if (sched_getaffinity(0, sizeof c->affinity, &c->affinity) == 0)
        c->pinned = 1;
    CPU_ZERO(&set);
    CPU_SET((size_t)cfg->cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        return ea_col_fail(EA_ERR_SYSTEM, err, errlen, "cannot pin to CPU %d: %s", cfg->cpu,
                           strerror(errno));
    return EA_OK;
}

/* exec restarts (and the runs of a series after the first) start restart_exe: make sure it
 * can be, now rather than after the samples. */
static ea_status check_exec(const ea_collection *c, const ea_col_config *cfg, char *err,
                            size_t errlen)
{
    if ((cfg->rows == 0 && cfg->runs <= 1) || cfg->source == EA_COL_IMPORT ||
        cfg->source == EA_COL_EXEC || cfg->restart_mode != EA_COL_RESTART_EXEC)
        return EA_OK;
    if (c->restart_exe == NULL)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "exec restarts and the runs of a series need "
                           "a restart program (ea_col_options.restart_exe); use the inproc "
                           "restart mode otherwise");
    if (access(c->restart_exe, X_OK) != 0)
        return ea_col_fail(EA_ERR_SYSTEM, err, errlen, "--restart-mode exec needs %s (%s); use "
                           "--restart-mode inproc", c->restart_exe, strerror(errno));
    return EA_OK;
}

/*
 * import: the restart input must hold exactly R*C deltas. Checked before
 * anything is written (and on resume before the restarts): found only in
 * the restart phase, it would leave a directory no resume can finish.
 */
static ea_status check_restart_input(const ea_col_config *cfg, ea_col_phase phase, char *err,
                                     size_t errlen)
{
    ea_import_format fmt = cfg->import_format == EA_COL_FORMAT_TEXT  ? EA_IMPORT_TEXT
                         : cfg->import_format == EA_COL_FORMAT_U64   ? EA_IMPORT_U64LE
                                                                     : EA_IMPORT_AUTO;
    size_t rows = (size_t)cfg->rows, cols = (size_t)cfg->cols, n = 0;
    uint64_t *d = NULL;
    ea_status st;

    if (cfg->source != EA_COL_IMPORT || rows == 0 || phase == EA_COL_PHASE_FINISH)
        return EA_OK;
    if ((st = ea_import_read(cfg->restart_input, fmt, &d, &n, err, errlen)) != EA_OK)
        return st;
    free(d);
    if (n != rows * cols)
        return ea_col_fail(EA_ERR_INPUT, err, errlen, "'%s' holds %zu deltas; --restarts %zux%zu "
                           "needs exactly %zu", cfg->restart_input, n, rows, cols, rows * cols);
    return EA_OK;
}

/* The exec source's program: found and hashed (a resume: the one recorded). */
static ea_status check_program(ea_collection *c, const ea_col_config *cfg, char *err,
                               size_t errlen)
{
    json_t *facts = NULL;
    ea_status st;

    if (cfg->source != EA_COL_EXEC)
        return EA_OK;
    st = ea_exec_prepare(c->dir, cfg, c->st.exec, &facts, err, errlen);
    if (st == EA_OK && c->st.exec == NULL) {
        json_decref(c->exec_new);
        c->exec_new = facts;   /* the fresh state takes it */
    } else {
        json_decref(facts);
    }
    return st;
}

/* What can fail before anything is written: pinning, the restart program, an
 * imported restart input, the exec source's program. */
static ea_status preflight(ea_collection *c, const ea_col_config *cfg, ea_col_phase phase,
                           char *err, size_t errlen)
{
    ea_status st;

    if ((st = pin_cpu(c, cfg, err, errlen)) != EA_OK || (st = check_exec(c, cfg, err, errlen)) ||
        (st = check_restart_input(cfg, phase, err, errlen)) ||
        (st = check_program(c, cfg, err, errlen)))
        return st;
    return EA_OK;
}

/* ------------------------------------------------------------ fresh */

/* Host facts after pinning, with the affinity the run was started with. */
static json_t *host_facts(const ea_collection *c)
{
    json_t *host = ea_hostinfo();

    if (host != NULL)
        json_object_set(host, "affinity_inherited", c->inherited ? c->inherited : json_null());
    return host;
}

/* A --host-facts file: `ea90b probe --json` output (its "host") or the host object itself. */
static json_t *load_host_facts(const char *path, char hex[65], char *err, size_t errlen,
                               ea_status *st)
{
    unsigned long long bytes;
    json_t *f = ea_json_load(path, err, errlen, st), *h;

    if (f == NULL)
        return NULL;
    h = json_is_object(json_object_get(f, "host")) ? json_object_get(f, "host") : f;
    if (!json_is_object(h) || !json_is_object(json_object_get(h, "cpu")) ||
        !json_is_string(json_object_get(h, "arch"))) {
        json_decref(f);
        *st = ea_col_fail(EA_ERR_INPUT, err, errlen, "--host-facts '%s': not host facts (write "
                          "them with `ea90b probe --json` on the recording machine)", path);
        return NULL;
    }
    if ((*st = ea_sha256_file(path, hex, &bytes, err, errlen)) != EA_OK) {
        json_decref(f);
        return NULL;
    }
    json_incref(h);
    json_decref(f);
    return h;
}

/*
 * Whose facts "host" holds: this machine's, or for data recorded elsewhere
 * (import, exec with host_facts) the recording machine's from the host
 * facts file, or nothing known (import without one). Then this machine
 * goes under "imported_on": a report never names the importer's CPU as
 * the recording machine's.
 */
static ea_status recording_host(ea_collection *c, const ea_col_config *cfg, char *err,
                                size_t errlen)
{
    json_t *here = host_facts(c);
    char hex[65];
    ea_status st = EA_OK;

    if (here == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    if (cfg->host_facts[0] != '\0') {
        c->host_new = load_host_facts(cfg->host_facts, hex, err, errlen, &st);
        c->host_source_new = json_pack("{s:s,s:s,s:s}", "kind", "host facts file", "file",
                                       cfg->host_facts, "sha256", hex);
        c->imported_on_new = here;
    } else if (cfg->source == EA_COL_IMPORT) {
        c->host_source_new = json_pack("{s:s,s:s}", "kind", "unknown", "note",
                                       "The data were recorded on another machine, which the "
                                       "import does not name: give --host-facts FILE, written "
                                       "there by `ea90b probe --json`.");
        c->imported_on_new = here;
    } else {
        c->host_new = here;
    }
    return st;
}

static ea_status open_fresh(ea_collection *c, const ea_col_config *cfg, char *err, size_t errlen)
{
    struct stat sb;
    ea_status st;

    if ((st = ea_col_config_check(cfg, err, errlen)) != EA_OK ||
        (st = preflight(c, cfg, EA_COL_PHASE_SAMPLES, err, errlen)) != EA_OK ||
        (st = recording_host(c, cfg, err, errlen)) != EA_OK)
        return st;
    if (stat(c->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        /* creates DIR, or says why not (not a directory, no parent ...) */
        if ((st = ea_coldir_prepare(c->dir, c->mode == EA_COL_FORCE, err, errlen)) != EA_OK)
            return st;
        c->created = 1;
    }
    if ((st = ea_coldir_lock(c->dir, &c->lock, err, errlen)) != EA_OK ||
        (st = ea_coldir_prepare(c->dir, c->mode == EA_COL_FORCE, err, errlen)) != EA_OK)
        return st;   /* a refused directory is left as it was */
    c->discard = 1;  /* DIR is empty now: until the state is saved, a failure leaves nothing */
    if (ea_state_init(&c->st, cfg, c->command_line, c->host_new) != EA_OK)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    c->host_new = NULL;
    c->st.exec = c->exec_new;
    c->st.host_source = c->host_source_new;
    c->st.imported_on = c->imported_on_new;
    c->exec_new = c->host_source_new = c->imported_on_new = NULL;
    if ((st = ea_eng_save(c, 0, err, errlen)) != EA_OK)
        return st;
    c->discard = 0;
    c->started = 1;
    return EA_OK;
}

/* ------------------------------------------------------------ resume */

static ea_status refuse(const ea_collection *c, const char *why, char *err, size_t errlen)
{
    return ea_col_fail(EA_ERR_STATE, err, errlen, "%s: %s; start again with --force", c->dir, why);
}

/* No file may carry a final name while the state says the collection is not finished. */
static ea_status check_no_finals(const ea_collection *c, char *err, size_t errlen)
{
    static const char *const finals[] = {EA_COL_RAW, EA_COL_RAW_TXT, EA_COL_SAMPLES,
                                         EA_COL_RESTART, EA_COL_RESTART_BIN};
    char why[128];
    struct stat sb;

    for (size_t i = 0; i < sizeof finals / sizeof finals[0]; i++)
        if (exists_in(c->dir, finals[i], &sb)) {
            snprintf(why, sizeof why, "%s exists but the collection is not finished (an older "
                     "ea90b wrote it, or it was changed)", finals[i]);
            return refuse(c, why, err, errlen);
        }
    return EA_OK;
}

/* The raw deltas of every run the state says is recorded (all of them after the samples). */
static ea_status check_run_parts(ea_collection *c, char *err, size_t errlen)
{
    unsigned runs = c->st.cfg.runs;
    unsigned done = c->st.phase != EA_COL_PHASE_SAMPLES ? runs : c->st.runs_done;
    char name[48], part[64], why[128];
    struct stat sb;

    if (done > runs)
        return refuse(c, "the state counts more runs than the series has", err, errlen);
    for (unsigned r = 1; r <= done; r++) {
        ea_col_run_name(name, sizeof name, EA_COL_RAW, r, runs);
        snprintf(part, sizeof part, "%s.part", name);
        if (!exists_in(c->dir, part, &sb)) {
            snprintf(why, sizeof why, "%s is missing", part);
            return refuse(c, why, err, errlen);
        }
        if (runs > 1) {   /* a series' finished names too */
            ea_col_run_name(name, sizeof name, EA_COL_SAMPLES, r, runs);
            if (exists_in(c->dir, name, &sb)) {
                snprintf(why, sizeof why, "%s exists but the collection is not finished", name);
                return refuse(c, why, err, errlen);
            }
        }
    }
    c->info.runs_done = done;
    return EA_OK;
}

/* The directory matches its state; info.rows_done = restart rows already collected. */
static ea_status resume_check(ea_collection *c, char *err, size_t errlen)
{
    ea_col_phase phase = c->st.phase;
    uint64_t rows = c->st.cfg.rows, cols = c->st.cfg.cols;
    struct stat sb;
    ea_status st;

    c->info.rows_done = 0;
    if (exists_in(c->dir, EA_COL_MANIFEST, &sb)) {
        if (phase != EA_COL_PHASE_FINISH)
            return refuse(c, "manifest.json exists but the state says the data is not all "
                          "collected", err, errlen);
        c->info.rows_done = rows;
        return EA_OK;
    }
    if ((st = check_no_finals(c, err, errlen)) != EA_OK ||
        (st = check_run_parts(c, err, errlen)) != EA_OK)
        return st;
    if (phase == EA_COL_PHASE_SAMPLES || rows == 0)
        return EA_OK;
    if (exists_in(c->dir, EA_COL_RESTART_PART, &sb))
        c->info.rows_done = (uint64_t)sb.st_size / (cols * 8);
    else if (phase == EA_COL_PHASE_FINISH || c->st.restart_rows_done > 0)
        return refuse(c, EA_COL_RESTART_PART " is missing", err, errlen);
    return EA_OK;
}

static ea_status open_resume(ea_collection *c, char *err, size_t errlen)
{
    ea_status st;

    /* read before taking the lock: no lock file in a directory that is not a collection */
    if ((st = ea_state_load(c->dir, &c->st, err, errlen)) != EA_OK)
        return st;
    ea_state_free(&c->st);
    if ((st = ea_coldir_lock(c->dir, &c->lock, err, errlen)) != EA_OK)
        return st;
    /* again, now that no other run can change it */
    if ((st = ea_state_load(c->dir, &c->st, err, errlen)) != EA_OK)
        return st;
    info_init(c);
    return resume_check(c, err, errlen);
}

/* A run killed in its restarts left restart_run_start: count its time up to the last row. */
static void account_killed_run(ea_collection *c)
{
    struct stat sb;

    if (c->st.restart_run_start >= 0 && exists_in(c->dir, EA_COL_RESTART_PART, &sb)) {
        double t = (double)sb.st_mtim.tv_sec + 1e-9 * (double)sb.st_mtim.tv_nsec;
        double secs = t - c->st.restart_run_start;
        if (secs > 0)
            c->st.restart_seconds += secs;
    }
    c->st.restart_run_start = -1.0;
}

/* The resume is this run's from here: record it in the state. */
static ea_status start_resume(ea_collection *c, char *err, size_t errlen)
{
    char now[32];
    json_t *entry;
    ea_status st;

    if ((st = preflight(c, &c->st.cfg, c->st.phase, err, errlen)) != EA_OK)
        return st;
    ea_coldir_sweep_tmp(c->dir);
    account_killed_run(c);
    ea_utc_now(now);
    entry = json_pack("{s:s,s:s,s:s,s:I,s:b}", "time", now, "command_line", c->command_line,
                      "phase", ea_col_phase_name(c->st.phase), "rows_done",
                      (json_int_t)c->info.rows_done, "previous_run_killed", c->st.run_open);
    if (entry != NULL && c->st.cfg.runs > 1)
        json_object_set_new(entry, "runs_done", json_integer((json_int_t)c->info.runs_done));
    if (entry == NULL || json_array_append_new(c->st.resumes, entry) != 0)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "cannot record the resume (out of memory)");
    if ((st = ea_eng_save(c, 0, err, errlen)) != EA_OK)
        return st;
    c->started = 1;
    return EA_OK;
}

/* ------------------------------------------------------------ the interface */

static ea_collection *new_handle(const char *dir, const ea_col_options *opt)
{
    ea_collection *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return NULL;
    c->lock = -1;
    c->mode = opt->mode;
    c->dir = strdup(dir);
    c->command_line = strdup(opt->command_line ? opt->command_line : "");
    c->restart_exe = opt->restart_exe ? strdup(opt->restart_exe) : NULL;
    if (c->dir == NULL || c->command_line == NULL || (opt->restart_exe && !c->restart_exe)) {
        free(c->dir);
        free(c->command_line);
        free(c->restart_exe);
        free(c);
        return NULL;
    }
    return c;
}

ea_status ea_col_open(const char *dir, const ea_col_config *cfg, const ea_col_options *opt,
                      ea_collection **out, char *err, size_t errlen)
{
    ea_col_options dflt = ea_col_options_default();
    ea_collection *c;
    ea_status st;

    if (out != NULL)
        *out = NULL;
    if (out == NULL || dir == NULL || dir[0] == '\0')
        return ea_col_fail(EA_ERR_ARG, err, errlen, "no collection directory");
    if (opt == NULL)
        opt = &dflt;
    if ((unsigned)opt->mode > EA_COL_RESUME || (opt->mode != EA_COL_RESUME && cfg == NULL))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "no configuration for a new collection");
    if ((c = new_handle(dir, opt)) == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    /* the collector and every restart process hash with the same built-in provider */
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
    st = opt->mode == EA_COL_RESUME ? open_resume(c, err, errlen) : open_fresh(c, cfg, err, errlen);
    if (st != EA_OK) {
        ea_col_close(c, NULL, 0);
        return st;
    }
    if (opt->mode != EA_COL_RESUME)
        info_init(c);
    *out = c;
    return EA_OK;
}

void ea_col_get_config(const ea_collection *c, ea_col_config *cfg)
{
    *cfg = c->st.cfg;
}

void ea_col_info_get(const ea_collection *c, ea_col_info *info)
{
    *info = c->info;
}

static ea_status phases(ea_collection *c, char *err, size_t errlen)
{
    ea_status st = EA_OK;

    if (c->st.phase == EA_COL_PHASE_SAMPLES) {
        st = ea_eng_samples(c, err, errlen);
        /* a failed external recorder is resumable: its run is retried */
        c->discard = st != EA_OK && st != EA_ERR_INTERRUPTED && c->mode != EA_COL_RESUME &&
                     c->st.cfg.source != EA_COL_EXEC && c->st.runs_done == 0;
    }
    if (st == EA_OK && c->st.phase == EA_COL_PHASE_RESTARTS)
        st = ea_eng_restarts(c, err, errlen);
    if (st == EA_OK && ea_eng_should_stop(c))
        st = ea_col_fail(EA_ERR_INTERRUPTED, err, errlen, "interrupted");
    if (st == EA_OK)
        st = ea_eng_finish(c, err, errlen);
    return st;
}

ea_status ea_col_run(ea_collection *c, const ea_col_hooks *hooks, char *err, size_t errlen)
{
    ea_status st;

    if (c == NULL)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "no collection");
    if (c->complete)
        return EA_OK;
    c->hooks = hooks;
    st = c->started ? EA_OK : start_resume(c, err, errlen);
    if (st == EA_OK)
        st = phases(c, err, errlen);
    c->hooks = NULL;
    return st;
}

/* Remove what a fresh run wrote before its first phase ended, so DIR can be reused. */
static void discard(const ea_collection *c)
{
    static const char *const names[] = {EA_COL_STATE, EA_COL_RAW_PART, EA_COL_EXEC_RUNS};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = ea_path_join_alloc(c->dir, names[i]);
        if (p != NULL)
            unlink(p);
        free(p);
    }
    if (c->st.cfg.runs > 1) {   /* the first run's, which failed */
        char name[48], part[64];
        ea_col_run_name(name, sizeof name, EA_COL_RAW, 1, c->st.cfg.runs);
        snprintf(part, sizeof part, "%s.part", name);
        ea_col_remove(c->dir, part, NULL, 0);
    }
    ea_coldir_sweep_tmp(c->dir);
}

ea_status ea_col_close(ea_collection *c, char *err, size_t errlen)
{
    ea_status st = EA_OK;

    if (c == NULL)
        return EA_OK;
    if (c->discard)
        discard(c);
    else if (!c->complete && c->started)
        st = ea_eng_save(c, 1, err, errlen);
    ea_coldir_unlock(c->dir, c->lock);
    if (c->created && (c->discard || !c->started))
        rmdir(c->dir);
    if (c->pinned)
        sched_setaffinity(0, sizeof c->affinity, &c->affinity);
    ea_state_free(&c->st);
    json_decref(c->inherited);
    json_decref(c->exec_new);
    json_decref(c->host_new);
    json_decref(c->host_source_new);
    json_decref(c->imported_on_new);
    free(c->dir);
    free(c->command_line);
    free(c->restart_exe);
    free(c);
    return st;
}
