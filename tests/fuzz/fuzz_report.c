/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_report.c - libFuzzer target for the report reader behind `ea90b
 * check` and `--baseline` (cli/check_cmd.c): the input is a report.json,
 * parsed as ea_json_load does (jansson, duplicate keys rejected), checked
 * with ea_report_validate (reports/report_json.c); a valid one goes
 * through everything that reads a saved report: the check gate
 * (reports/check_gate.c, series_gate.c for a series) against itself and
 * against a copy whose verdict ea_report_verdict recomputed, its HTML page
 * (check_html.c), report.md, report.html and the index of both (into
 * memory). Asserts: a refusal has a reason; the recomputed
 * verdict still validates and is PASS, FAIL or INCOMPLETE; a report never
 * drops against itself; the renderers succeed and the HTML carries no
 * script; never a crash, a leak or undefined behaviour.
 *
 *   make fuzz                            clang -fsanitize=fuzzer,address,undefined build
 *   build/.../tests/fuzz_report_replay   generated edge cases (make check)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "check_gate.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strings are NUL-terminated inside their arrays and the counts add up. */
static void check_rows(const ea_check_set *s)
{
    int failed, gated, f = 0, g = 0;

    if (s->n < 1 || s->n > EA_CHECK_MAX)
        abort();
    for (int i = 0; i < s->n; i++) {
        if (memchr(s->r[i].name, '\0', sizeof s->r[i].name) == NULL ||
            memchr(s->r[i].why, '\0', sizeof s->r[i].why) == NULL)
            abort();
        f += s->r[i].failed != 0;
        g += s->r[i].info == 0;
    }
    ea_check_count(s, &failed, &gated);
    if (failed != f || gated != g)
        abort();
}

static void no_script(char *html);

/* `ea90b check --html` of the rows, into memory. */
static void check_html(const ea_check_set *s, const json_t *doc, const json_t *other)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);

    if (m == NULL)
        abort();
    if (ea_check_html(m, "<b>subject</b>", "base & line", s, doc, other) != 0 || fclose(m) != 0 ||
        buf == NULL || len == 0)
        abort();
    no_script(buf);
}

/* The gate as `ea90b check` runs it: alone with a floor, against a baseline. */
static void gate(const json_t *doc, const json_t *other)
{
    ea_check_set *s = calloc(1, sizeof(*s));
    ea_check_opts o = { .have_min = 1, .min_h = 0.5, .max_drop = 50.0 };
    const char *st = ea_report_str(doc, "verdict.status", "?");
    char err[512];

    if (s == NULL)
        abort();
    if (ea_check_gate(s, doc, NULL, &o, err, sizeof err) != 0)
        abort();
    check_rows(s);
    if (s->n != 2 || strcmp(s->r[0].name, "report verdict") != 0 ||
        (strcmp(st, "PASS") == 0) == (s->r[0].failed != 0))
        abort();
    o = (ea_check_opts){ .per_estimator = 1, .allow_incomplete = 1 };
    if (ea_check_gate(s, doc, doc, &o, err, sizeof err) != 0) {   /* a malformed series */
        if (err[0] == '\0')
            abort();
    } else {
        for (int i = 1; i < s->n; i++)   /* against itself: nothing drops */
            if (s->r[i].failed)
                abort();
    }
    check_rows(s);
    o = (ea_check_opts){ .have_min = 1, .min_h = 8.0, .max_drop = 5.0, .min_effect = 10.0 };
    if (ea_check_gate(s, doc, other, &o, err, sizeof err) != 0 && err[0] == '\0')
        abort();
    check_rows(s);
    check_html(s, doc, other);
    free(s);
}

/* render(f, doc) into memory: 0 and some text; the text, malloc'd. */
static char *render(int (*fn)(FILE *, const json_t *), const json_t *doc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);

    if (m == NULL)
        abort();
    if (fn(m, doc) != 0 || fclose(m) != 0 || buf == NULL || len == 0)
        abort();
    return buf;
}

static int index_md(FILE *f, const json_t *doc)
{
    const json_t *docs[2] = { doc, doc };
    const char *names[2] = { ea_report_str(doc, "collection.directory", "?"), "b c/<d>" };

    return ea_report_index_md(f, docs, names, NULL, 2);
}

static int index_html(FILE *f, const json_t *doc)
{
    const json_t *docs[2] = { doc, doc };
    const char *names[2] = { ea_report_str(doc, "collection.directory", "?"), "b c/<d>" };
    const char *links[2] = { names[0], "../x y/%z" };

    return ea_report_index_html(f, docs, names, links, 2);
}

/* "no scripts" (report_html.c): a document's strings never become markup. */
static void no_script(char *html)
{
    if (strcasestr(html, "<script") != NULL || strcasestr(html, "<img") != NULL)
        abort();
    free(html);
}

static void renderers(const json_t *doc)
{
    free(render(ea_report_md, doc));
    no_script(render(ea_report_html, doc));
    free(render(index_md, doc));
    no_script(render(index_html, doc));
}

/* ea_report_verdict on a copy, as ea90b assess computes it before writing. */
static json_t *recomputed(const json_t *doc)
{
    json_t *c = json_deep_copy(doc);
    char err[256] = "";
    const char *st;

    if (c == NULL)
        abort();
    ea_report_verdict(c);
    st = ea_report_str(c, "verdict.status", "");
    if (ea_report_validate(c, err, sizeof err) != 0 ||
        (strcmp(st, "PASS") != 0 && strcmp(st, "FAIL") != 0 && strcmp(st, "INCOMPLETE") != 0))
        abort();
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *doc, *copy;
    char err[256] = "";

    if (size > 1000000)
        return 0;
    doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (doc == NULL)
        return 0;
    if (ea_report_validate(doc, err, sizeof err) != 0) {
        if (err[0] == '\0')
            abort();
        json_decref(doc);
        return 0;
    }
    copy = recomputed(doc);
    gate(doc, copy);
    gate(copy, doc);
    renderers(doc);
    renderers(copy);
    json_decref(copy);
    json_decref(doc);
    return 0;
}
