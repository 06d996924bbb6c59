/* SPDX-License-Identifier: Apache-2.0 */
/*
 * state.c - collect.state.json to and from the typed ea_col_state
 * (state.h). The state is what lets a collection resume after Ctrl-C,
 * SIGTERM, SIGKILL or a power loss (docs/collector.md).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collection.h"
#include "state.h"

static const char *const phase_names[] = {"samples", "restarts", "finish"};

const char *ea_col_phase_name(ea_col_phase p)
{
    return (unsigned)p <= EA_COL_PHASE_FINISH ? phase_names[p] : "?";
}

ea_status ea_state_init(ea_col_state *s, const ea_col_config *cfg, const char *command_line,
                        json_t *host)
{
    memset(s, 0, sizeof(*s));
    s->cfg = *cfg;
    s->host = host;
    s->phase = EA_COL_PHASE_SAMPLES;
    s->restart_run_start = -1.0;
    s->command_line = strdup(command_line ? command_line : "");
    s->resumes = json_array();
    s->series = json_array();
    ea_utc_now(s->start_time);
    return s->command_line && s->resumes && s->series ? EA_OK : EA_ERR_NOMEM;
}

void ea_state_free(ea_col_state *s)
{
    free(s->command_line);
    json_decref(s->host);
    json_decref(s->source);
    json_decref(s->resumes);
    json_decref(s->exec);
    json_decref(s->host_source);
    json_decref(s->imported_on);
    json_decref(s->series);
    memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------ save */

static json_t *state_json(const ea_col_state *s)
{
    json_t *o = json_pack("{s:s,s:i,s:b,s:s,s:s,s:O,s:o,s:s,s:O,s:O,s:f,s:o,s:b,s:I}", "format",
                          "ea90b-collect-state", "format_version", 1, "complete", 0,
                          "command_line", s->command_line, "start_time", s->start_time, "host",
                          s->host ? s->host : json_null(), "config", ea_col_config_json(&s->cfg),
                          "phase", ea_col_phase_name(s->phase), "source",
                          s->source ? s->source : json_null(), "resumes", s->resumes,
                          "restart_seconds", s->restart_seconds, "restart_run_start",
                          s->restart_run_start >= 0 ? json_real(s->restart_run_start) : json_null(),
                          "run_open", s->run_open != 0, "restart_rows_done",
                          (json_int_t)s->restart_rows_done);
    if (o != NULL) {
        json_object_set(o, "exec", s->exec ? s->exec : json_null());
        json_object_set(o, "host_source", s->host_source ? s->host_source : json_null());
        json_object_set(o, "imported_on", s->imported_on ? s->imported_on : json_null());
        json_object_set_new(o, "runs_done", json_integer(s->runs_done));
        json_object_set(o, "series", s->series ? s->series : json_null());
    }
    return o;
}

ea_status ea_state_save(const char *dir, const ea_col_state *s, char *err, size_t errlen)
{
    json_t *o = state_json(s);
    ea_status st;

    if (o == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "cannot render %s (out of memory)",
                           EA_COL_STATE);
    st = ea_write_json_file(dir, EA_COL_STATE, o, err, errlen);
    json_decref(o);
    return st;
}

/* ------------------------------------------------------------ load */

static ea_status damaged(const char *dir, const char *what, char *err, size_t errlen)
{
    return ea_col_fail(EA_ERR_STATE, err, errlen, "%s/%s is damaged (%s)", dir, EA_COL_STATE, what);
}

static json_t *read_file(const char *dir, char *err, size_t errlen, ea_status *st)
{
    char *p = ea_path_join_alloc(dir, EA_COL_STATE);
    const char *fmt;
    char why[600];
    json_t *o = NULL;
    struct stat sb;

    *st = EA_ERR_STATE;
    if (p == NULL) {
        *st = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
        return NULL;
    }
    if (stat(p, &sb) != 0)
        ea_col_fail(EA_ERR_STATE, err, errlen, "no interrupted collection in '%s' (%s missing)",
                    dir, EA_COL_STATE);
    else if (!S_ISREG(sb.st_mode))
        ea_col_fail(EA_ERR_STATE, err, errlen, "'%s' is not a regular file", p);
    else if ((o = ea_json_load(p, why, sizeof why, NULL)) == NULL || !json_is_object(o) ||
             (fmt = json_string_value(json_object_get(o, "format"))) == NULL ||
             strcmp(fmt, "ea90b-collect-state") != 0) {
        ea_col_fail(EA_ERR_STATE, err, errlen, "'%s' is not an ea90b collection state file%s%s", p,
                    o ? "" : ": ", o ? "" : why);
        json_decref(o);
        o = NULL;
    }
    free(p);
    if (o != NULL)
        *st = EA_OK;
    return o;
}

static ea_status load_phase(const json_t *o, ea_col_state *s)
{
    const char *p = json_string_value(json_object_get(o, "phase"));

    for (int i = 0; p != NULL && i <= EA_COL_PHASE_FINISH; i++)
        if (strcmp(p, phase_names[i]) == 0) {
            s->phase = (ea_col_phase)i;
            return EA_OK;
        }
    return EA_ERR_STATE;
}

static json_t *take(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return v != NULL && !json_is_null(v) ? json_incref(v) : NULL;
}

static void load_numbers(const json_t *o, ea_col_state *s)
{
    json_t *start = json_object_get(o, "restart_run_start");
    json_int_t rows = json_integer_value(json_object_get(o, "restart_rows_done"));

    s->restart_seconds = json_number_value(json_object_get(o, "restart_seconds"));
    s->restart_run_start = json_is_number(start) ? json_number_value(start) : -1.0;
    s->restart_rows_done = rows > 0 ? (uint64_t)rows : 0;
    s->run_open = json_is_true(json_object_get(o, "run_open"));
}

ea_status ea_state_load(const char *dir, ea_col_state *s, char *err, size_t errlen)
{
    const char *cl, *t;
    char why[512];
    ea_status st;
    json_t *o = read_file(dir, err, errlen, &st);

    memset(s, 0, sizeof(*s));
    if (o == NULL)
        return st;
    if (!json_is_object(json_object_get(o, "config")) ||
        !json_is_array(json_object_get(o, "resumes")))
        st = damaged(dir, "no config or resumes", err, errlen);
    else if (ea_col_config_from_object(json_object_get(o, "config"), &s->cfg, why, sizeof why))
        st = ea_col_fail(EA_ERR_STATE, err, errlen, "%s: collect.state.json holds an invalid "
                         "configuration (%s); start again with --force", dir, why);
    else if (load_phase(o, s) != EA_OK)
        st = ea_col_fail(EA_ERR_STATE, err, errlen, "%s: collect.state.json names no known phase; "
                         "start again with --force", dir);
    if (st == EA_OK) {
        cl = json_string_value(json_object_get(o, "command_line"));
        t = json_string_value(json_object_get(o, "start_time"));
        s->command_line = strdup(cl ? cl : "");
        snprintf(s->start_time, sizeof s->start_time, "%s", t ? t : "");
        s->host = take(o, "host");
        s->source = take(o, "source");
        s->resumes = json_incref(json_object_get(o, "resumes"));
        s->exec = take(o, "exec");
        s->host_source = take(o, "host_source");
        s->imported_on = take(o, "imported_on");
        s->series = json_is_array(json_object_get(o, "series"))
                        ? json_incref(json_object_get(o, "series")) : json_array();
        s->runs_done = (unsigned)(json_integer_value(json_object_get(o, "runs_done")) > 0
                                      ? json_integer_value(json_object_get(o, "runs_done")) : 0);
        load_numbers(o, s);
        if (s->command_line == NULL)
            st = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    }
    json_decref(o);
    if (st != EA_OK)
        ea_state_free(s);
    return st;
}
