/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.c - the collection's typed configuration (ea90b_collect.h): its
 * defaults, its check, and its one JSON form (the "config" object of
 * collect.state.json, docs/library.md).
 *
 * Defaults: SP 800-90B §3.1.1 asks for 1,000,000 consecutive samples and
 * §3.1.4 for r = 1000 restarts of c = 1000 samples each.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "collection.h"
#include "ea90b_collect.h"

#define DEF_SAMPLES 1000000u   /* §3.1.1 */
#define DEF_ROWS 1000u         /* §3.1.4: r */
#define DEF_COLS 1000u         /* §3.1.4: c */

ea_col_config ea_col_config_default(void)
{
    ea_col_config c;

    memset(&c, 0, sizeof c);
    c.source = EA_COL_JENT;
    c.timer = EA_COL_TIMER_AUTO;
    c.import_format = EA_COL_FORMAT_AUTO;
    c.samples = DEF_SAMPLES;
    c.runs = 1;
    c.rows = DEF_ROWS;
    c.cols = DEF_COLS;
    c.restart_mode = EA_COL_RESTART_EXEC;
    c.cpu = -1;
    c.mask = 0xff;
    return c;
}

ea_status ea_col_config_set_argv(ea_col_config *c, int argc, const char *const *argv, char *err,
                                 size_t errlen)
{
    size_t at = 0;

    if (argc < 1 || argv == NULL || argv[0] == NULL || argv[0][0] == '\0')
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: exec needs a program");
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        if (n > EA_COL_ARGV_MAX - at)
            return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: the program and its "
                               "arguments are longer than %u bytes", EA_COL_ARGV_MAX);
        memcpy(c->exec_argv + at, argv[i], n);
        at += n;
    }
    c->exec_argc = (unsigned)argc;
    return EA_OK;
}

const char *ea_col_config_arg(const ea_col_config *c, unsigned i)
{
    const char *p = c->exec_argv;

    if (i >= c->exec_argc)
        return NULL;
    while (i-- > 0)
        p += strlen(p) + 1;
    return p;
}

/* ------------------------------------------------------------ names */

static const char *const source_names[] = {"jent", "memtouch", "import", "exec"};
static const char *const timer_names[] = {"auto", "monotonic"};
static const char *const mode_names[] = {"exec", "inproc"};
static const char *const format_names[] = {"auto", "text", "u64"};
static const char *const jent_mode_names[] = {"openssl", "library"};

#define NAME_OF(tab, v) ((unsigned)(v) < sizeof(tab) / sizeof(tab[0]) ? tab[(unsigned)(v)] : "?")

const char *ea_col_source_name(ea_col_source s) { return NAME_OF(source_names, s); }
const char *ea_col_timer_name(ea_col_timer t) { return NAME_OF(timer_names, t); }
const char *ea_col_restart_mode_name(ea_col_restart_mode m) { return NAME_OF(mode_names, m); }
const char *ea_col_format_name(ea_col_format f) { return NAME_OF(format_names, f); }

/* Index of s in tab, or -1. */
static int name_index(const char *s, const char *const *tab, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, tab[i]) == 0)
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------ check */

static int mask_bits(uint64_t m)
{
    int n = 0;

    for (; m != 0; m &= m - 1)
        n++;
    return n;
}

static ea_status check_ranges(const ea_col_config *c, char *err, size_t errlen)
{
    if ((unsigned)c->source > EA_COL_EXEC || (unsigned)c->timer > EA_COL_TIMER_MONOTONIC ||
        (unsigned)c->restart_mode > EA_COL_RESTART_INPROC ||
        (unsigned)c->import_format > EA_COL_FORMAT_U64 ||
        (unsigned)c->exec_format > EA_COL_FORMAT_U64 ||
        (unsigned)c->jent_mode > EA_COL_JENT_LIBRARY)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: an unknown source, timer, "
                           "restart mode or import format");
    if (c->memory_bits != 0 &&
        (c->memory_bits < EA_COL_MEMORY_BITS_MIN || c->memory_bits > EA_COL_MEMORY_BITS_MAX))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: memory_bits %u is outside "
                           "%u..%u", c->memory_bits, EA_COL_MEMORY_BITS_MIN, EA_COL_MEMORY_BITS_MAX);
    if (c->mem_loops > EA_COL_LOOPS_MAX || c->hash_loops > EA_COL_LOOPS_MAX)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: mem_loops and hash_loops are "
                           "at most %u", EA_COL_LOOPS_MAX);
    if (!(c->exec_timeout >= 0.0 && c->exec_timeout <= 86400.0 * 365))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: exec_timeout must be 0 (no "
                           "limit) or a number of seconds");
    if (c->runs < 1 || c->runs > EA_COL_RUNS_MAX)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: runs must be 1..%u",
                           EA_COL_RUNS_MAX);
    if (c->runs > 1 && c->source == EA_COL_IMPORT)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: a series (runs > 1) records "
                           "its runs; an import is one recording");
    if (c->samples > EA_COL_MAX_TOTAL || (c->samples == 0 && c->source != EA_COL_IMPORT))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: samples must be 1..%llu",
                           (unsigned long long)EA_COL_MAX_TOTAL);
    if (c->cols == 0 || c->cols > EA_COL_MAX_TOTAL || c->rows > EA_COL_MAX_TOTAL / c->cols)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: restarts need cols >= 1 and "
                           "rows x cols <= %llu", (unsigned long long)EA_COL_MAX_TOTAL);
    if (mask_bits(c->mask) < 1 || mask_bits(c->mask) > 8)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: the mask 0x%" PRIx64 " has %d "
                           "bits set; it needs 1 to 8", c->mask, mask_bits(c->mask));
    if (c->cpu < -1 || c->cpu >= 1024)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: cpu %d is not a CPU number",
                           c->cpu);
    return EA_OK;
}

static int terminated(const char *s, size_t n)
{
    return memchr(s, '\0', n) != NULL;
}

/* exec_argc strings fill exactly the start of exec_argv (each terminated, the first not empty). */
static int argv_ok(const ea_col_config *c)
{
    size_t at = 0;

    for (unsigned i = 0; i < c->exec_argc; i++) {
        const char *e = memchr(c->exec_argv + at, '\0', EA_COL_ARGV_MAX - at);
        if (e == NULL || (i == 0 && e == c->exec_argv))
            return 0;
        at = (size_t)(e - c->exec_argv) + 1;
        if (at >= EA_COL_ARGV_MAX && i + 1 < c->exec_argc)
            return 0;
    }
    return 1;
}

static ea_status check_exec(const ea_col_config *c, char *err, size_t errlen)
{
    int exec = c->source == EA_COL_EXEC;

    if (!argv_ok(c))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: exec_argv is malformed");
    if (exec && c->exec_argc == 0)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: the exec source needs "
                           "exec_argv (the program and its arguments)");
    if (!exec && (c->exec_argc > 0 || c->exec_timeout > 0 || c->exec_format != EA_COL_FORMAT_AUTO))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: exec_argv, exec_format and "
                           "exec_timeout apply to the exec source only");
    if (exec && c->restart_mode != EA_COL_RESTART_EXEC)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: the exec source restarts by "
                           "running its program again (restart_mode exec)");
    return EA_OK;
}

static ea_status check_combination(const ea_col_config *c, char *err, size_t errlen)
{
    int import = c->source == EA_COL_IMPORT;

    if (c->host_facts[0] != '\0' && !import && c->source != EA_COL_EXEC)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: host_facts applies to data "
                           "recorded elsewhere (the import and exec sources)");
    if (!terminated(c->input, EA_COL_PATH_MAX) || !terminated(c->restart_input, EA_COL_PATH_MAX) ||
        !terminated(c->host_facts, EA_COL_PATH_MAX) ||
        !terminated(c->source_label, EA_COL_LABEL_MAX) ||
        !terminated(c->source_version, EA_COL_LABEL_MAX))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: a path or label is too long");
    if (import && c->input[0] == '\0')
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: the import source needs input");
    if (!import && (c->input[0] != '\0' || c->restart_input[0] != '\0'))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: input and restart_input apply "
                           "to the import source only");
    if (import && c->rows > 0 && c->restart_input[0] == '\0')
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: imported restarts need "
                           "restart_input (or rows 0)");
    if (import && c->rows == 0 && c->restart_input[0] != '\0')
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: restart_input needs rows > 0");
    if (c->source != EA_COL_JENT &&
        (c->memory_bits || c->mem_loops || c->hash_loops || c->jent_mode != EA_COL_JENT_OPENSSL))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: memory_bits, mem_loops, "
                           "hash_loops and jent_mode apply to the jent source only");
    return check_exec(c, err, errlen);
}

ea_status ea_col_config_check(const ea_col_config *c, char *err, size_t errlen)
{
    ea_status st;

    if (c == NULL)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "no configuration");
    if ((st = check_ranges(c, err, errlen)) != EA_OK)
        return st;
    return check_combination(c, err, errlen);
}

/* ------------------------------------------------------------ to JSON */

static json_t *path_or_null(const char *p)
{
    return p[0] != '\0' ? json_string(p) : json_null();
}

static json_t *argv_json(const ea_col_config *c)
{
    json_t *a;

    if (c->exec_argc == 0)
        return json_null();
    a = json_array();
    for (unsigned i = 0; a != NULL && i < c->exec_argc; i++)
        json_array_append_new(a, json_string(ea_col_config_arg(c, i)));
    return a;
}

json_t *ea_col_config_json(const ea_col_config *c)
{
    char mask[24];
    json_t *o;

    snprintf(mask, sizeof mask, "0x%" PRIx64, c->mask);
    o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:o,s:o,s:s,s:I,s:I,s:I,s:s,s:o,s:s,s:b,s:b}",
                  "source", ea_col_source_name(c->source), "timer", ea_col_timer_name(c->timer),
                  "memory_bits", (json_int_t)c->memory_bits, "mem_loops", (json_int_t)c->mem_loops,
                  "hash_loops", (json_int_t)c->hash_loops, "input", path_or_null(c->input),
                  "restart_input", path_or_null(c->restart_input), "import_format",
                  ea_col_format_name(c->import_format), "samples", (json_int_t)c->samples, "rows",
                  (json_int_t)c->rows, "cols", (json_int_t)c->cols, "restart_mode",
                  ea_col_restart_mode_name(c->restart_mode), "cpu",
                  c->cpu >= 0 ? json_integer(c->cpu) : json_null(), "mask", mask, "divide_gcd",
                  c->divide_gcd != 0, "text", c->text != 0);
    if (o != NULL && json_object_set_new(o, "runs", json_integer(c->runs)) != 0) {
        json_decref(o);
        return NULL;
    }
    if (o != NULL && json_object_set_new(o, "jent_mode",
                                         json_string(jent_mode_names[c->jent_mode & 1])) != 0) {
        json_decref(o);
        return NULL;
    }
    if (o != NULL && json_object_update_new(o, json_pack("{s:o,s:s,s:f,s:o,s:o,s:o}", "exec_argv",
                                            argv_json(c), "exec_format",
                                            ea_col_format_name(c->exec_format), "exec_timeout",
                                            c->exec_timeout, "host_facts",
                                            path_or_null(c->host_facts), "source_label",
                                            path_or_null(c->source_label), "source_version",
                                            path_or_null(c->source_version))) != 0) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

char *ea_col_config_to_json(const ea_col_config *c)
{
    json_t *j = ea_col_config_json(c);
    char *s = j ? json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;

    json_decref(j);
    return s;
}

/* ------------------------------------------------------------ from JSON */

typedef struct {
    const char *key;
    json_t *v;
    char *err;
    size_t errlen;
} field;

static ea_status bad(const field *f, const char *want)
{
    return ea_col_fail(EA_ERR_ARG, f->err, f->errlen, "configuration: \"%s\" must be %s", f->key,
                       want);
}

static ea_status get_name(const field *f, const char *const *tab, size_t n, int *out,
                          const char *want)
{
    int i = json_is_string(f->v) ? name_index(json_string_value(f->v), tab, n) : -1;

    if (i < 0)
        return bad(f, want);
    *out = i;
    return EA_OK;
}

static ea_status get_count(const field *f, uint64_t hi, uint64_t *out)
{
    json_int_t v = json_integer_value(f->v);

    if (!json_is_integer(f->v) || v < 0 || (uint64_t)v > hi)
        return bad(f, "a count");
    *out = (uint64_t)v;
    return EA_OK;
}

static ea_status get_unsigned(const field *f, unsigned *out)
{
    uint64_t v = 0;
    ea_status st = get_count(f, UINT32_MAX, &v);

    *out = (unsigned)v;
    return st;
}

static ea_status get_path(const field *f, char *out)
{
    if (json_is_null(f->v)) {
        out[0] = '\0';
        return EA_OK;
    }
    if (!json_is_string(f->v) || json_string_length(f->v) == 0 ||
        json_string_length(f->v) >= EA_COL_PATH_MAX ||
        strlen(json_string_value(f->v)) != json_string_length(f->v))
        return bad(f, "null or a path");
    memcpy(out, json_string_value(f->v), json_string_length(f->v) + 1);
    return EA_OK;
}

/* "0x..." (hexadecimal, as extractlsb reads a mask), or an integer (older state files). */
static ea_status get_mask(const field *f, uint64_t *out)
{
    const char *s = json_string_value(f->v);
    char *end;

    if (json_is_integer(f->v) && json_integer_value(f->v) > 0) {
        *out = (uint64_t)json_integer_value(f->v);
        return EA_OK;
    }
    if (s == NULL || strncmp(s, "0x", 2) != 0 || s[2] == '\0' || strlen(s) > 18 ||
        strspn(s + 2, "0123456789abcdefABCDEF") != strlen(s + 2))
        return bad(f, "a hexadecimal mask \"0x...\"");
    *out = strtoull(s + 2, &end, 16);
    return EA_OK;
}

static ea_status get_bool(const field *f, int *out)
{
    if (!json_is_boolean(f->v))
        return bad(f, "true or false");
    *out = json_is_true(f->v);
    return EA_OK;
}

static ea_status get_cpu(const field *f, int *out)
{
    uint64_t v = 0;
    ea_status st;

    if (json_is_null(f->v)) {
        *out = -1;
        return EA_OK;
    }
    st = get_count(f, 1023, &v);
    *out = (int)v;
    return st;
}

static ea_status get_enum(const field *f, ea_col_config *c)
{
    int i = 0;
    ea_status st;

    if (strcmp(f->key, "source") == 0) {
        st = get_name(f, source_names, 4, &i, "\"jent\", \"memtouch\", \"import\" or \"exec\"");
        c->source = (ea_col_source)i;
    } else if (strcmp(f->key, "timer") == 0) {
        st = get_name(f, timer_names, 2, &i, "\"auto\" or \"monotonic\"");
        c->timer = (ea_col_timer)i;
    } else if (strcmp(f->key, "restart_mode") == 0) {
        st = get_name(f, mode_names, 2, &i, "\"exec\" or \"inproc\"");
        c->restart_mode = (ea_col_restart_mode)i;
    } else {
        st = get_name(f, format_names, 3, &i, "\"auto\", \"text\" or \"u64\"");
        c->import_format = (ea_col_format)i;
    }
    return st;
}

static ea_status get_argv(const field *f, ea_col_config *c)
{
    const char *args[EA_COL_ARGV_MAX / 2];
    size_t n = json_array_size(f->v);

    c->exec_argc = 0;
    memset(c->exec_argv, 0, sizeof c->exec_argv);
    if (json_is_null(f->v))
        return EA_OK;
    if (!json_is_array(f->v) || n == 0 || n > sizeof args / sizeof args[0])
        return bad(f, "null or an array of strings, the program first");
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(f->v, i);
        if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e))
            return bad(f, "null or an array of strings, the program first");
        args[i] = json_string_value(e);
    }
    return ea_col_config_set_argv(c, (int)n, args, f->err, f->errlen);
}

static ea_status get_seconds(const field *f, double *out)
{
    if (!json_is_number(f->v) || !(json_number_value(f->v) >= 0.0))
        return bad(f, "a number of seconds (0: no limit)");
    *out = json_number_value(f->v);
    return EA_OK;
}

static ea_status get_label(const field *f, char *out)
{
    if (json_is_null(f->v)) {
        out[0] = '\0';
        return EA_OK;
    }
    if (!json_is_string(f->v) || json_string_length(f->v) >= EA_COL_LABEL_MAX ||
        strlen(json_string_value(f->v)) != json_string_length(f->v))
        return bad(f, "null or a text of at most 255 bytes");
    memcpy(out, json_string_value(f->v), json_string_length(f->v) + 1);
    return EA_OK;
}

static ea_status get_exec_field(const field *f, ea_col_config *c)
{
    int i = 0;
    ea_status st;

    if (!strcmp(f->key, "exec_argv"))
        return get_argv(f, c);
    if (!strcmp(f->key, "exec_timeout"))
        return get_seconds(f, &c->exec_timeout);
    if (!strcmp(f->key, "source_label"))
        return get_label(f, c->source_label);
    if (!strcmp(f->key, "source_version"))
        return get_label(f, c->source_version);
    st = get_name(f, format_names, 3, &i, "\"auto\", \"text\" or \"u64\"");
    c->exec_format = (ea_col_format)i;
    return st;
}

static ea_status get_field(const field *f, ea_col_config *c)
{
    const char *k = f->key;

    if (!strcmp(k, "source") || !strcmp(k, "timer") || !strcmp(k, "restart_mode") ||
        !strcmp(k, "import_format"))
        return get_enum(f, c);
    if (!strcmp(k, "memory_bits"))
        return get_unsigned(f, &c->memory_bits);
    if (!strcmp(k, "mem_loops"))
        return get_unsigned(f, &c->mem_loops);
    if (!strcmp(k, "hash_loops"))
        return get_unsigned(f, &c->hash_loops);
    if (!strcmp(k, "input"))
        return get_path(f, c->input);
    if (!strcmp(k, "restart_input"))
        return get_path(f, c->restart_input);
    if (!strcmp(k, "host_facts"))
        return get_path(f, c->host_facts);
    if (!strcmp(k, "samples"))
        return get_count(f, EA_COL_MAX_TOTAL, &c->samples);
    if (!strcmp(k, "rows"))
        return get_count(f, EA_COL_MAX_TOTAL, &c->rows);
    if (!strcmp(k, "runs")) {
        uint64_t v = 0;
        ea_status st = get_count(f, EA_COL_RUNS_MAX, &v);
        c->runs = (unsigned)v;
        return st;
    }
    if (!strcmp(k, "cols"))
        return get_count(f, EA_COL_MAX_TOTAL, &c->cols);
    if (!strcmp(k, "cpu"))
        return get_cpu(f, &c->cpu);
    if (!strcmp(k, "mask"))
        return get_mask(f, &c->mask);
    if (!strcmp(k, "divide_gcd"))
        return get_bool(f, &c->divide_gcd);
    if (!strcmp(k, "text"))
        return get_bool(f, &c->text);
    if (!strcmp(k, "jent_mode")) {
        int i = 0;
        ea_status st = get_name(f, jent_mode_names, 2, &i, "\"openssl\" or \"library\"");
        c->jent_mode = (ea_col_jent_mode)i;
        return st;
    }
    if (!strcmp(k, "exec_argv") || !strcmp(k, "exec_format") || !strcmp(k, "exec_timeout") ||
        !strcmp(k, "source_label") || !strcmp(k, "source_version"))
        return get_exec_field(f, c);
    return ea_col_fail(EA_ERR_ARG, f->err, f->errlen, "configuration: unknown key \"%s\"", k);
}

ea_status ea_col_config_from_object(const json_t *o, ea_col_config *c, char *err, size_t errlen)
{
    const char *key;
    json_t *v;
    ea_status st;

    *c = ea_col_config_default();
    if (!json_is_object(o))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: not a JSON object");
    json_object_foreach((json_t *)o, key, v) {
        field f = {.key = key, .v = v, .err = err, .errlen = errlen};
        if ((st = get_field(&f, c)) != EA_OK)
            return st;
    }
    return ea_col_config_check(c, err, errlen);
}

ea_status ea_col_config_from_json(const char *json, ea_col_config *c, char *err, size_t errlen)
{
    json_error_t je;
    json_t *o;
    ea_status st;

    if (json == NULL || c == NULL)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "no configuration");
    o = json_loads(json, JSON_REJECT_DUPLICATES, &je);
    if (o == NULL) {
        *c = ea_col_config_default();
        return ea_col_fail(EA_ERR_ARG, err, errlen, "configuration: not valid JSON (%s)", je.text);
    }
    st = ea_col_config_from_object(o, c, err, errlen);
    json_decref(o);
    return st;
}
