/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine_phases.c - the three phases of a collection, each recorded in
 * collect.state.json so that a resume knows where to go on:
 *   samples   SP 800-90B §3.1.1: the consecutive run, kept in memory, then
 *             raw.u64.part;
 *   restarts  §3.1.4: one row per restart appended to restart.u64.part
 *             (exec: a fresh process per restart, restart_child.c);
 *   finish    extraction into samples.bin.part, restart.bin.part
 *             (raw.txt.part), manifest.json, then every NAME.part renamed
 *             to NAME and the state removed: no final name exists before
 *             manifest.json does (collection.h).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collection.h"
#include "engine_int.h"
#include "manifest.h"

#define CHUNK 4096u
#define PROBE_SAMPLES 1000u

static double wall_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double realtime_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------ samples */

static json_t *probe_facts(const ea_src_config *sc)
{
    ea_probe_result pr;
    char err[256];

    if (ea_timer_probe(sc->timer, PROBE_SAMPLES, &pr, err, sizeof err) != EA_OK || !pr.present)
        return json_pack("{s:n,s:n,s:n,s:n,s:n}", "timer_resolution", "timer_ticks_per_ns",
                         "timer_frequency_hz", "timer_read_cost_ns", "timer_monotonic");
    return json_pack("{s:I,s:o,s:o,s:f,s:b}", "timer_resolution", (json_int_t)pr.resolution,
                     "timer_ticks_per_ns", pr.ticks_per_ns > 0 ? json_real(pr.ticks_per_ns)
                                                              : json_null(),
                     "timer_frequency_hz", pr.freq_hz > 0 ? json_integer((json_int_t)pr.freq_hz)
                                                          : json_null(),
                     "timer_read_cost_ns", pr.read_cost_ns, "timer_monotonic", pr.monotonic);
}

static json_t *source_facts(ea_source *s, json_t *probe, const ea_col_config *cfg)
{
    ea_src_config used;
    int jent;
    json_t *o;

    ea_source_config_used(s, &used);
    jent = strcmp(ea_source_name(s), "jent") == 0;
    o = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "name", ea_source_name(s), "timer",
                  ea_source_timer_name(s), "memory_bits",
                  jent ? json_integer(used.memory_bits) : json_null(), "mem_loops",
                  jent ? json_integer(used.mem_loops) : json_null(), "hash_loops",
                  jent ? json_integer(used.hash_loops) : json_null(), "mode",
                  jent ? json_string(used.library ? "library" : "openssl") : json_null());
    if (o != NULL) {
        json_object_update(o, probe);
        json_object_set_new(o, "cpu", cfg->cpu >= 0 ? json_integer(cfg->cpu) : json_null());
    }
    return o;
}

static ea_status read_source(ea_collection *c, ea_source *s, uint64_t *d, size_t n, char *err,
                             size_t errlen)
{
    ea_status st;

    ea_eng_progress(c, EA_COL_PHASE_SAMPLES, 0, n);
    for (size_t i = 0; i < n; i += CHUNK) {
        size_t k = n - i < CHUNK ? n - i : CHUNK;
        if (ea_eng_should_stop(c))
            return ea_col_fail(EA_ERR_INTERRUPTED, err, errlen, "interrupted");
        if ((st = ea_source_read(s, d + i, k, err, errlen)) != EA_OK)
            return st;
        ea_eng_progress(c, EA_COL_PHASE_SAMPLES, i + k, n);
    }
    return EA_OK;
}

static ea_status collect_live(ea_collection *c, uint64_t **d, size_t *n, json_t **src, char *err,
                              size_t errlen)
{
    ea_src_config sc;
    ea_source *s = NULL;
    json_t *probe;
    double t0;
    ea_status st;

    ea_eng_src_config(&c->st.cfg, &sc);
    probe = probe_facts(&sc);
    *n = (size_t)c->st.cfg.samples;
    *d = malloc(*n * sizeof(uint64_t));
    if (*d == NULL)
        st = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    else
        st = ea_source_open(&sc, &s, err, errlen);
    if (st != EA_OK) {
        json_decref(probe);
        return st;
    }
    t0 = wall_now();
    st = read_source(c, s, *d, *n, err, errlen);
    *src = source_facts(s, probe, &c->st.cfg);
    if (*src != NULL)
        json_object_set_new(*src, "samples_seconds", json_real(wall_now() - t0));
    json_decref(probe);
    ea_source_close(s);
    return st;
}

static ea_import_format import_format(const ea_col_config *cfg)
{
    return cfg->import_format == EA_COL_FORMAT_TEXT  ? EA_IMPORT_TEXT
         : cfg->import_format == EA_COL_FORMAT_U64   ? EA_IMPORT_U64LE
                                                     : EA_IMPORT_AUTO;
}

static ea_status collect_import(ea_collection *c, uint64_t **d, size_t *n, json_t **src, char *err,
                                size_t errlen)
{
    const ea_col_config *cfg = &c->st.cfg;
    char hex[65];
    unsigned long long bytes;
    ea_status st;

    if ((st = ea_import_read(cfg->input, import_format(cfg), d, n, err, errlen)) != EA_OK)
        return st;
    if (cfg->samples > *n)
        return ea_col_fail(EA_ERR_INPUT, err, errlen, "'%s' holds %zu deltas, fewer than --samples "
                           "%" PRIu64, cfg->input, *n, cfg->samples);
    if (cfg->samples > 0)
        *n = (size_t)cfg->samples;
    if ((st = ea_sha256_file(cfg->input, hex, &bytes, err, errlen)) != EA_OK)
        return st;
    *src = json_pack("{s:s,s:n,s:s,s:s,s:s}", "name", "import", "timer", "input", cfg->input,
                     "input_format", ea_col_format_name(cfg->import_format), "input_sha256", hex);
    return EA_OK;
}

static void resolved_config(const ea_collection *c, ea_src_config *sc);
static int stop_cb(void *ctx);

/*
 * Run `run` >= 2 of a series of a built-in source, in a fresh process (the
 * restart child, `EXE --ea90b-restart-child SPEC`, asked for all the
 * samples at once): its own memory buffer, page placement and start-up,
 * as an independent collection has. Runs of one process share those and
 * agree with each other more than separate collections do (measured in
 * docs/ci.md), which would make the series' spread too small for the
 * regression gate.
 */
static ea_status collect_fresh(ea_collection *c, uint64_t **d, size_t *n, json_t **src,
                               char *err, size_t errlen)
{
    ea_src_config sc;
    char **argv, why[768];
    double t0;
    ea_status st;

    resolved_config(c, &sc);
    *n = (size_t)c->st.cfg.samples;
    if ((*d = malloc(*n * sizeof(uint64_t))) == NULL ||
        (argv = ea_eng_child_argv(c->restart_exe, &sc, *n)) == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    ea_eng_progress(c, EA_COL_PHASE_SAMPLES, 0, *n);
    t0 = wall_now();
    st = ea_restart_exec(argv, *d, *n, stop_cb, c, why, sizeof why);
    ea_eng_argv_free(argv);
    if (st != EA_OK && ea_eng_should_stop(c))
        return ea_col_fail(EA_ERR_INTERRUPTED, err, errlen, "interrupted");
    if (st != EA_OK)
        return ea_col_fail(st, err, errlen, "run %u of the series (a fresh process): %s",
                           c->st.runs_done + 1, why);
    ea_eng_progress(c, EA_COL_PHASE_SAMPLES, *n, *n);
    *src = json_pack("{s:f}", "samples_seconds", wall_now() - t0);
    return EA_OK;
}

/* Runs of a built-in source after the first go to fresh processes (restart mode exec). */
static int fresh_process(const ea_collection *c, unsigned run)
{
    const ea_col_config *cfg = &c->st.cfg;

    return run > 1 && c->st.source != NULL && cfg->restart_mode == EA_COL_RESTART_EXEC &&
           (cfg->source == EA_COL_JENT || cfg->source == EA_COL_MEMTOUCH);
}

/* One runtime run (run `run` of a series): raw deltas into RAW[-NN].u64.part. */
static ea_status one_run(ea_collection *c, unsigned run, char *err, size_t errlen)
{
    unsigned runs = c->st.cfg.runs;
    int fresh = fresh_process(c, run);
    char part[64], name[48];
    uint64_t *d = NULL;
    size_t n = 0;
    json_t *src = NULL;
    ea_status st = c->st.cfg.source == EA_COL_IMPORT ? collect_import(c, &d, &n, &src, err, errlen)
                 : c->st.cfg.source == EA_COL_EXEC   ? ea_exec_samples(c, run, &d, &n, &src, err, errlen)
                 : fresh                             ? collect_fresh(c, &d, &n, &src, err, errlen)
                                                      : collect_live(c, &d, &n, &src, err, errlen);

    ea_col_run_name(name, sizeof name, EA_COL_RAW, run, runs);
    snprintf(part, sizeof part, "%s.part", name);
    if (st == EA_OK)
        st = ea_write_u64_file(c->dir, part, d, n, err, errlen);
    free(d);
    if (st == EA_OK && src == NULL)
        st = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    if (st != EA_OK) {
        json_decref(src);
        return st;
    }
    json_array_append_new(c->st.series, json_pack("{s:i,s:O,s:s}", "run", run, "samples_seconds",
                                                  json_object_get(src, "samples_seconds"),
                                                  "process", fresh ? "fresh" : "collector"));
    if (run == 1) {   /* the source's facts are the first run's; each run's time is in series */
        json_decref(c->st.source);
        c->st.source = src;
    } else {
        json_decref(src);
    }
    c->st.runs_done = run;
    c->info.runs_done = run;
    return EA_OK;
}

ea_status ea_eng_samples(ea_collection *c, char *err, size_t errlen)
{
    ea_status st;

    /* a run cut short is taken again from its start: its samples must be consecutive */
    for (unsigned run = c->st.runs_done + 1; run <= c->st.cfg.runs; run++) {
        if (run > 1 && ea_eng_should_stop(c))
            return ea_col_fail(EA_ERR_INTERRUPTED, err, errlen, "interrupted");
        if ((st = one_run(c, run, err, errlen)) != EA_OK)
            return st;
        if (run < c->st.cfg.runs && (st = ea_eng_save(c, 0, err, errlen)) != EA_OK)
            return st;
    }
    c->st.phase = EA_COL_PHASE_RESTARTS;
    c->info.phase = EA_COL_PHASE_RESTARTS;
    return ea_eng_save(c, 0, err, errlen);
}

/* ------------------------------------------------------------ restarts */

/* The configuration of the first run, with the values it resolved (memory_bits from the L1d ...). */
static void resolved_config(const ea_collection *c, ea_src_config *sc)
{
    const json_t *src = c->st.source;

    ea_eng_src_config(&c->st.cfg, sc);
    if (sc->kind == EA_SRC_JENT && json_is_integer(json_object_get(src, "memory_bits"))) {
        sc->memory_bits = (unsigned)json_integer_value(json_object_get(src, "memory_bits"));
        sc->mem_loops = (unsigned)json_integer_value(json_object_get(src, "mem_loops"));
        sc->hash_loops = (unsigned)json_integer_value(json_object_get(src, "hash_loops"));
    }
}

static int stop_cb(void *ctx)
{
    return ea_eng_should_stop(ctx);
}

static ea_status one_restart(ea_collection *c, char **argv, const ea_src_config *sc, uint64_t *row,
                             size_t cols, char *err, size_t errlen)
{
    char why[768];
    ea_source *s = NULL;
    ea_status st;

    if (argv != NULL) {
        st = ea_restart_exec(argv, row, cols, stop_cb, c, why, sizeof why);
    } else if ((st = ea_source_open(sc, &s, why, sizeof why)) == EA_OK) {
        st = ea_source_read(s, row, cols, why, sizeof why);
    }
    ea_source_close(s);
    if (st != EA_OK && ea_eng_should_stop(c))
        return ea_col_fail(EA_ERR_INTERRUPTED, err, errlen, "interrupted");
    if (st != EA_OK)
        return ea_col_fail(st, err, errlen, "restart failed: %s", why);
    return EA_OK;
}

/* Call the row hook; non-zero asks to stop. */
static int row_hook(const ea_collection *c, uint64_t done, uint64_t rows)
{
    return c->hooks != NULL && c->hooks->row_done != NULL &&
           c->hooks->row_done(c->hooks->ctx, done, rows) != 0;
}

static ea_status restart_rows(ea_collection *c, ea_restart_part *p, size_t rows, char *err,
                              size_t errlen)
{
    int exec = c->st.cfg.restart_mode == EA_COL_RESTART_EXEC;
    uint64_t *row = malloc(p->cols * sizeof(uint64_t));
    char **argv = NULL;
    ea_src_config sc;
    ea_status st = EA_OK;

    resolved_config(c, &sc);
    if (exec && c->st.cfg.source != EA_COL_EXEC &&
        (argv = ea_eng_child_argv(c->restart_exe, &sc, p->cols)) == NULL)
        st = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    if (row == NULL)
        st = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    ea_eng_progress(c, EA_COL_PHASE_RESTARTS, p->rows_done, rows);
    while (st == EA_OK && p->rows_done < rows) {
        if (ea_eng_should_stop(c)) {
            st = ea_col_fail(EA_ERR_INTERRUPTED, err, errlen, "interrupted");
            break;
        }
        if (c->st.cfg.source == EA_COL_EXEC)
            st = ea_exec_restart(c, p->rows_done + 1, rows, row, p->cols, p, err, errlen);
        else if ((st = one_restart(c, argv, &sc, row, p->cols, err, errlen)) == EA_OK)
            st = ea_restart_part_append(p, row, err, errlen);
        c->info.rows_done = p->rows_done;
        ea_eng_progress(c, EA_COL_PHASE_RESTARTS, p->rows_done, rows);
        if (st == EA_OK && row_hook(c, p->rows_done, rows))
            st = ea_col_fail(EA_ERR_INTERRUPTED, err, errlen, "interrupted");
    }
    ea_eng_argv_free(argv);
    free(row);
    return st;
}

static ea_status import_restarts(ea_collection *c, ea_restart_part *p, size_t rows, char *err,
                                 size_t errlen)
{
    const ea_col_config *cfg = &c->st.cfg;
    uint64_t *d;
    size_t n;
    char hex[65];
    unsigned long long bytes;
    ea_status st;

    if ((st = ea_import_read(cfg->restart_input, import_format(cfg), &d, &n, err, errlen)) != EA_OK)
        return st;
    if (n != rows * p->cols)
        st = ea_col_fail(EA_ERR_INPUT, err, errlen, "'%s' holds %zu deltas; --restarts %zux%zu "
                         "needs exactly %zu", cfg->restart_input, n, rows, p->cols, rows * p->cols);
    for (size_t i = p->rows_done; st == EA_OK && i < rows; i++)
        st = ea_restart_part_append(p, d + i * p->cols, err, errlen);
    free(d);
    c->info.rows_done = p->rows_done;
    if (st == EA_OK && ea_sha256_file(cfg->restart_input, hex, &bytes, err, errlen) == EA_OK)
        json_object_set_new(c->st.source, "restart_input_sha256", json_string(hex));
    return st;
}

static ea_status collect_rows(ea_collection *c, ea_restart_part *p, size_t rows, char *err,
                              size_t errlen)
{
    double t0;
    ea_status st;

    /* Saved first: a resume after a kill takes the time up to the part's mtime. */
    c->st.restart_run_start = realtime_now();
    if ((st = ea_eng_save(c, 0, err, errlen)) != EA_OK)
        return st;
    t0 = wall_now();
    if (c->st.cfg.source == EA_COL_IMPORT)
        st = import_restarts(c, p, rows, err, errlen);
    else
        st = restart_rows(c, p, rows, err, errlen);
    c->st.restart_seconds += wall_now() - t0;
    c->st.restart_run_start = -1.0;
    return st;
}

ea_status ea_eng_restarts(ea_collection *c, char *err, size_t errlen)
{
    size_t rows = (size_t)c->st.cfg.rows, cols = (size_t)c->st.cfg.cols;
    ea_restart_part p;
    char serr[512];
    ea_status st = EA_OK, ss;

    if (rows > 0) {
        if ((st = ea_restart_part_open(&p, c->dir, cols, 1, err, errlen)) != EA_OK)
            return st;
        if (p.rows_done > rows)
            st = ea_col_fail(EA_ERR_STATE, err, errlen, "%s/%s holds %zu rows, more than the %zu "
                             "of --restarts", c->dir, EA_COL_RESTART_PART, p.rows_done, rows);
        else if (p.rows_done < rows)
            st = collect_rows(c, &p, rows, err, errlen);
        if ((ss = ea_restart_part_close(&p, serr, sizeof serr)) != EA_OK && st == EA_OK)
            st = ea_col_fail(ss, err, errlen, "%s", serr);
        c->st.restart_rows_done = p.rows_done;
        c->info.rows_done = p.rows_done;
    }
    if (st == EA_OK) {
        c->st.phase = EA_COL_PHASE_FINISH;
        c->info.phase = EA_COL_PHASE_FINISH;
    }
    ss = ea_eng_save(c, 0, st == EA_OK ? err : serr, st == EA_OK ? errlen : sizeof serr);
    return st != EA_OK ? st : ss;
}

/* ------------------------------------------------------------ finish */

/*
 * The finish. A series' runs share one mask and one divisor (so their
 * symbols mean the same thing): the divisor is the gcd of every run's raw
 * deltas and of the restart deltas. Runs are read one at a time, twice
 * (the gcd, then the symbols), so a series never has to fit in memory.
 */
typedef struct {
    uint64_t *rst;
    uint8_t *rsym;
    size_t nraw, nrst;          /* samples per run, restart cells */
    uint64_t gcd_raw, gcd_rst, divisor;
    json_t *run_gcds;           /* each run's gcd (a series) */
} col_data;

static void data_free(col_data *d)
{
    free(d->rst);
    free(d->rsym);
    json_decref(d->run_gcds);
}

/* dir/part (the finish reads the data only from its partial files). */
static ea_status load_u64(const ea_collection *c, const char *part, uint64_t **v, size_t *n,
                          char *err, size_t errlen)
{
    char *pp = ea_path_join_alloc(c->dir, part);
    ea_status st;

    if (pp == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    st = ea_read_u64_file(pp, v, n, err, errlen);
    free(pp);
    return st;
}

/* Run `run`'s raw deltas (RAW[-NN].u64.part); every run holds as many as the first. */
static ea_status load_run(const ea_collection *c, col_data *d, unsigned run, uint64_t **raw,
                          char *err, size_t errlen)
{
    char name[48], part[64];
    size_t n = 0;
    ea_status st;

    ea_col_run_name(name, sizeof name, EA_COL_RAW, run, c->st.cfg.runs);
    snprintf(part, sizeof part, "%s.part", name);
    if ((st = load_u64(c, part, raw, &n, err, errlen)) != EA_OK)
        return st;
    if (run == 1)
        d->nraw = n;
    if (n != d->nraw)
        return ea_col_fail(EA_ERR_STATE, err, errlen, "%s holds %zu deltas, run 1 %zu", part,
                           n, d->nraw);
    return EA_OK;
}

/* The gcds: each run's, all runs', the restarts'; the divisor. */
static ea_status gcds(ea_collection *c, col_data *d, char *err, size_t errlen)
{
    const ea_col_config *cfg = &c->st.cfg;
    size_t rows = (size_t)cfg->rows, cols = (size_t)cfg->cols;
    ea_status st;

    if ((d->run_gcds = json_array()) == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    for (unsigned run = 1; run <= cfg->runs; run++) {
        uint64_t *raw = NULL, g;
        if ((st = load_run(c, d, run, &raw, err, errlen)) != EA_OK)
            return st;
        g = ea_gcd_u64(raw, d->nraw);
        free(raw);
        json_array_append_new(d->run_gcds, json_integer((json_int_t)g));
        const uint64_t two[2] = {d->gcd_raw, g};
        d->gcd_raw = ea_gcd_u64(two, 2);
    }
    if (rows > 0 && (st = load_u64(c, EA_COL_RESTART_PART, &d->rst, &d->nrst, err, errlen)))
        return st;
    if (rows > 0 && d->nrst != rows * cols)
        return ea_col_fail(EA_ERR_STATE, err, errlen, "%s holds %zu restart deltas, %zu expected",
                           EA_COL_RESTART_PART, d->nrst, rows * cols);
    d->gcd_rst = ea_gcd_u64(d->rst, d->nrst);
    const uint64_t both[2] = {d->gcd_raw, d->gcd_rst};
    d->divisor = cfg->divide_gcd ? ea_gcd_u64(both, 2) : 1;
    if (d->divisor == 0)
        d->divisor = 1;
    return EA_OK;
}

static void note_symbols(ea_collection *c, const uint8_t *sym, size_t n, int first)
{
    int one = n > 0;

    for (size_t i = 1; one && i < n; i++)
        one = sym[i] == sym[0];
    if (first) {
        c->info.one_symbol = one;
        c->info.symbol = n > 0 ? sym[0] : 0;
    } else if (!one || (n > 0 && sym[0] != c->info.symbol)) {
        c->info.one_symbol = 0;
    }
}

/* Run `run`'s derived files, under their .part names (renamed after manifest.json). */
static ea_status extract_run(ea_collection *c, const col_data *d, unsigned run, char *err,
                             size_t errlen)
{
    const ea_col_config *cfg = &c->st.cfg;
    char name[48], part[64];
    uint64_t *raw = NULL;
    uint8_t *sym = NULL;
    ea_status st = load_run(c, (col_data *)d, run, &raw, err, errlen);

    if (st == EA_OK && (sym = malloc(d->nraw ? d->nraw : 1)) == NULL)
        st = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    if (st == EA_OK) {
        ea_extract(raw, d->nraw, cfg->mask, d->divisor, sym);
        note_symbols(c, sym, d->nraw, run == 1);
        ea_col_run_name(name, sizeof name, EA_COL_SAMPLES, run, cfg->runs);
        snprintf(part, sizeof part, "%s.part", name);
        st = ea_write_bytes_file(c->dir, part, sym, d->nraw, err, errlen);
    }
    if (st == EA_OK && cfg->text) {
        ea_col_run_name(name, sizeof name, EA_COL_RAW_TXT, run, cfg->runs);
        snprintf(part, sizeof part, "%s.part", name);
        st = ea_write_text_file(c->dir, part, raw, d->nraw, err, errlen);
    }
    free(raw);
    free(sym);
    return st;
}

static ea_status extract_all(ea_collection *c, col_data *d, char *err, size_t errlen)
{
    ea_status st = gcds(c, d, err, errlen);

    for (unsigned run = 1; st == EA_OK && run <= c->st.cfg.runs; run++)
        st = extract_run(c, d, run, err, errlen);
    if (st != EA_OK || d->nrst == 0)
        return st;
    if ((d->rsym = malloc(d->nrst)) == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    ea_extract(d->rst, d->nrst, c->st.cfg.mask, d->divisor, d->rsym);
    return ea_write_bytes_file(c->dir, EA_COL_RESTART_BIN_PART, d->rsym, d->nrst, err, errlen);
}

/* manifest "series": each run's time and gcd (NULL for a single collection). */
static json_t *series_facts(const ea_collection *c, const col_data *d)
{
    json_t *runs;
    size_t i;
    json_t *e;

    if (c->st.cfg.runs <= 1)
        return NULL;
    runs = json_deep_copy(c->st.series);
    json_array_foreach(runs, i, e)
        json_object_set(e, "gcd", json_array_get(d->run_gcds, i));
    return runs;
}

static const char *mode_name(const ea_col_config *cfg)
{
    return cfg->source == EA_COL_IMPORT ? "import" : ea_col_restart_mode_name(cfg->restart_mode);
}

/*
 * Where the samples came from, said plainly (SP 800-90B §3.2.2: the raw
 * data must come from the noise source itself): "kind" is "model" for
 * the built-in sources, "import" or "external recorder"; the label and
 * version given with the configuration are kept as given.
 */
static void label(ea_collection *c)
{
    const ea_col_config *cfg = &c->st.cfg;
    json_t *src = c->st.source;

    if (cfg->source == EA_COL_JENT || cfg->source == EA_COL_MEMTOUCH) {
        json_object_set_new(src, "kind", json_string("model"));
        json_object_set_new(src, "note", json_string(
            cfg->source == EA_COL_JENT
                ? "built-in model of jitterentropy, not the certified library"
                : "built-in model of a memory-access jitter source, not a certified library"));
    } else if (cfg->source == EA_COL_IMPORT) {
        json_object_set_new(src, "kind", json_string("import"));
    }
    json_object_set_new(src, "label", cfg->source_label[0] ? json_string(cfg->source_label)
                                                           : json_null());
    json_object_set_new(src, "version", cfg->source_version[0] ? json_string(cfg->source_version)
                                                               : json_null());
}

/* NULL when out of memory or the state lacks the source's facts (files is stolen). */
static json_t *build_manifest(ea_collection *c, const col_data *d, json_t *files)
{
    ea_manifest_desc m;
    char now[32];
    json_t *out, *series;

    if (c->st.source == NULL) {
        json_decref(files);
        return NULL;
    }
    label(c);
    ea_utc_now(now);
    json_object_set_new(c->st.source, "gcd", json_integer((json_int_t)d->gcd_raw));
    json_object_set_new(c->st.source, "restart_gcd",
                        d->nrst ? json_integer((json_int_t)d->gcd_rst) : json_null());
    memset(&m, 0, sizeof m);
    m.command_line = c->st.command_line;
    m.start_time = c->st.start_time;
    m.end_time = now;
    m.host = c->st.host;
    m.host_source = c->st.host_source;
    m.imported_on = c->st.imported_on;
    m.source = c->st.source;
    m.mask = c->st.cfg.mask;
    m.divide_gcd = c->st.cfg.divide_gcd;
    m.divisor = d->divisor;
    m.samples = d->nraw;
    m.rows = c->st.cfg.rows;
    m.cols = c->st.cfg.cols;
    m.restart_mode = mode_name(&c->st.cfg);
    m.restart_seconds = c->st.restart_seconds;
    m.resumes = c->st.resumes;
    m.files = files;
    m.runs = c->st.cfg.runs;
    series = series_facts(c, d);
    m.series = series;
    out = m.runs > 1 && series == NULL ? NULL : ea_manifest_build(&m);
    json_decref(series);
    json_decref(files);
    return out;
}

static void step_hook(const ea_collection *c, ea_col_step step)
{
    if (c->hooks != NULL && c->hooks->step != NULL)
        c->hooks->step(c->hooks->ctx, step);
}

static const char *str_or(const json_t *o, const char *key, const char *dflt)
{
    const char *v = json_string_value(json_object_get(o, key));

    return v != NULL ? v : dflt;
}

/* What ea_col_info reports of a finished collection, from its manifest. */
static void info_from_manifest(ea_collection *c, const json_t *m)
{
    const json_t *src = json_object_get(m, "source"), *ex = json_object_get(m, "extraction");
    ea_col_info *i = &c->info;

    i->complete = 1;
    i->phase = EA_COL_PHASE_FINISH;
    i->samples = (uint64_t)json_integer_value(json_object_get(m, "samples"));
    i->gcd = (uint64_t)json_integer_value(json_object_get(src, "gcd"));
    i->divisor = (uint64_t)json_integer_value(json_object_get(ex, "divisor"));
    snprintf(i->source, sizeof i->source, "%s", str_or(src, "name", ""));
    snprintf(i->timer, sizeof i->timer, "%s", str_or(src, "timer", ""));
    snprintf(i->mask, sizeof i->mask, "%s", str_or(ex, "mask", ""));
    snprintf(i->restart_mode, sizeof i->restart_mode, "%s",
             str_or(json_object_get(m, "restarts"), "mode", i->restart_mode));
}

/* manifest.json is written: give every file its final name, check, drop the state. */
static ea_status publish(ea_collection *c, const json_t *m, char *err, size_t errlen)
{
    ea_status st = ea_col_publish(c->dir, m, err, errlen);

    if (st != EA_OK)
        return st;
    c->complete = 1;
    info_from_manifest(c, m);
    return EA_OK;
}

/* A resumed finish that had already written manifest.json: roll forward. */
static ea_status republish(ea_collection *c, const char *path, char *err, size_t errlen)
{
    char why[600];
    json_t *m = ea_json_load(path, why, sizeof why, NULL);
    ea_status st;

    if (m == NULL)
        return ea_col_fail(EA_ERR_STATE, err, errlen, "%s (start again with --force)", why);
    st = publish(c, m, err, errlen);
    json_decref(m);
    return st;
}

static ea_status write_manifest(ea_collection *c, json_t *m, char *err, size_t errlen)
{
    ea_status st;

    step_hook(c, EA_COL_STEP_BEFORE_MANIFEST);
    if ((st = ea_write_json_file(c->dir, EA_COL_MANIFEST, m, err, errlen)) != EA_OK)
        return st;
    step_hook(c, EA_COL_STEP_AFTER_MANIFEST);
    return publish(c, m, err, errlen);
}

ea_status ea_eng_finish(ea_collection *c, char *err, size_t errlen)
{
    char *mpath = ea_path_join_alloc(c->dir, EA_COL_MANIFEST);
    json_t *files = NULL, *m = NULL;
    col_data d;
    ea_status st;

    memset(&d, 0, sizeof d);
    if (mpath == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    if (access(mpath, F_OK) == 0) {
        st = republish(c, mpath, err, errlen);
        free(mpath);
        return st;
    }
    free(mpath);
    if (c->st.cfg.source == EA_COL_EXEC && c->st.source != NULL &&
        (st = ea_exec_finish(c, err, errlen)) != EA_OK)
        return st;
    if ((st = extract_all(c, &d, err, errlen)) == EA_OK &&
        (files = ea_manifest_files(c->dir, d.nraw, c->st.cfg.runs, d.nrst, c->st.cfg.text, err,
                                   errlen)) == NULL)
        st = EA_ERR_IO;
    if (st == EA_OK && ea_eng_should_stop(c))
        st = ea_col_fail(EA_ERR_INTERRUPTED, err, errlen, "interrupted");
    if (st == EA_OK) {
        m = build_manifest(c, &d, files);   /* takes files, also on failure */
        files = NULL;
        if (m == NULL)
            st = ea_col_fail(EA_ERR_STATE, err, errlen, "cannot build manifest.json (out of "
                             "memory or a damaged %s)", EA_COL_STATE);
    }
    json_decref(files);
    if (st == EA_OK)
        st = write_manifest(c, m, err, errlen);
    if (st == EA_OK)
        ea_col_remove(c->dir, EA_COL_EXEC_RUNS, NULL, 0);   /* folded into the manifest */
    json_decref(m);
    data_free(&d);
    return st;
}
