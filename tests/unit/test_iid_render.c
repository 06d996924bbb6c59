/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_iid_render.c - the IID renderers (reports/iid_json.c,
 * reports/nist_iid.c) on a statistic without a finite value: when every
 * sample is distinct there is no collision, and the average collision
 * length of SP 800-90B §5.1.7 is the average of nothing (NaN). Nothing
 * may print nan; the JSON must say null and why; the counts stay the
 * reference's (every comparison with NaN is false: each permutation is C2).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ea90b.h"
#include "reports.h"

#define PERMS 50

typedef struct {
    uint8_t data[256];
    ea_dataset ds;
    ea_iid_result res;
    ea_iid_report rep;
} distinct_run;

/* 256 distinct bytes, decisive (full = 0) or full, PERMS permutations. */
static distinct_run *run_distinct(int full)
{
    distinct_run *d = calloc(1, sizeof(*d));
    ea_iid_opts opt = { .initial = 1,
                        .perm = { .seed = 3, .threads = 1, .full = full, .permutations = PERMS },
                        .skip_settled = 0 };

    cr_assert_not_null(d);
    for (int i = 0; i < 256; i++)
        d->data[i] = (uint8_t)i;
    cr_assert_eq(ea_dataset_init(&d->ds, d->data, sizeof d->data, 8), EA_OK);
    cr_assert_eq(ea_iid_run(&d->ds, &opt, &d->res), EA_OK);
    d->rep = (ea_iid_report){ "p.bin", "00", "ea90b iid p.bin", "20240101000000", &d->ds, &d->res,
                              1, 1, 0, 0, 256, 1, full, 3, 0, 0.0, 0 };
    return d;
}

static void distinct_free(distinct_run *d)
{
    ea_dataset_free(&d->ds);
    free(d);
}

static char *render_text(const distinct_run *d, int which)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    cr_assert_not_null(f);
    if (which < 0)
        ea_render_iid_summary(f, &d->rep);
    else
        ea_render_nist_iid_text(f, &d->rep, which);
    fclose(f);
    return buf;
}

static void assert_no_nan(const char *s, const char *what)
{
    cr_assert_null(strstr(s, "nan"), "%s prints nan:\n%s", what, s);
    cr_assert_null(strstr(s, " inf"), "%s prints inf:\n%s", what, s);
    cr_assert_null(strstr(s, "-inf"), "%s prints inf:\n%s", what, s);
}

Test(iid_render, no_collision_counts_as_the_reference)
{
    distinct_run *d = run_distinct(1);
    const ea_perm_count *c = &d->res.perm.stat[EA_IID_AVG_COLLISION];

    cr_assert(!isfinite(c->original));
    cr_assert_eq(c->c[0], 0);
    cr_assert_eq(c->c[1], 0);
    cr_assert_eq(c->c[2], PERMS);
    cr_assert_eq(c->passed, 0);
    distinct_free(d);
}

Test(iid_render, no_collision_text_says_na)
{
    distinct_run *d = run_distinct(0);
    char *s = render_text(d, -1);

    assert_no_nan(s, "summary");
    cr_assert_not_null(strstr(s, "no collision"), "%s", s);
    free(s);
    for (int v = 0; v <= 3; v++) {
        s = render_text(d, v);
        assert_no_nan(s, "NIST text");
        if (v >= 2)
            cr_assert(strstr(s, "avgCollision = n/a (no collision)") != NULL ||
                          strstr(s, "avgCollision: n/a (no collision)") != NULL,
                      "verbosity %d:\n%s", v, s);
        free(s);
    }
    distinct_free(d);
}

Test(iid_render, no_collision_json_null_with_note)
{
    distinct_run *d = run_distinct(0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    json_t *o, *st;

    cr_assert_not_null(f);
    cr_assert_eq(ea_render_iid_json(f, &d->rep), 0);
    fclose(f);
    o = json_loads(buf, 0, NULL);
    cr_assert_not_null(o, "%s", buf);
    st = json_array_get(json_object_get(json_object_get(o, "permutation"), "statistics"),
                        EA_IID_AVG_COLLISION);
    cr_assert_str_eq(json_string_value(json_object_get(st, "name")), "avgCollision");
    cr_assert(json_is_null(json_object_get(st, "original")), "original must be present and null");
    cr_assert_str_eq(json_string_value(json_object_get(st, "original_note")), "no collision: undefined");
    cr_assert_eq(json_integer_value(json_object_get(st, "C2")), PERMS);
    json_decref(o);
    free(buf);
    distinct_free(d);
}

Test(iid_render, summary_names_why_decisive_stopped)
{
    distinct_run *d = run_distinct(0);
    char *s = render_text(d, -1);

    cr_assert(d->res.perm.decided_early);
    cr_assert_not_null(strstr(s, "compression not needed, a cheap statistic already failed"), "%s", s);
    cr_assert_null(strstr(s, "stopped once the verdict was settled"), "%s", s);
    free(s);
    distinct_free(d);
}
