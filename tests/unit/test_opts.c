/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_opts.c - the default constructors of the option structs
 * (ea_noniid_opts_default, ea_perm_opts_default, ea_iid_opts_default,
 * ea_restart_opts_default): every field pinned, so that a changed default
 * is a deliberate, visible change.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "ea90b.h"

static void expect_perm_defaults(const ea_perm_opts *p)
{
    cr_expect_eq(p->seed, 0u);
    cr_expect_eq(p->threads, 1);
    cr_expect_eq(p->full, 0, "decisive");
    cr_expect_eq(p->permutations, 10000L, "SP 800-90B §5.1: 10,000 permutations");
    cr_expect(p->progress == NULL);
    cr_expect_null(p->progress_user);
    cr_expect_eq(p->libbz2, 0);
    cr_expect(p->on_start == NULL);
    cr_expect(p->on_round == NULL);
    cr_expect_null(p->event_user);
}

Test(opts, noniid_defaults)
{
    ea_noniid_opts o = ea_noniid_opts_default();

    cr_expect_eq(o.initial, 1);
    cr_expect_eq(o.threads, 1);
}

Test(opts, perm_defaults)
{
    ea_perm_opts o = ea_perm_opts_default();

    expect_perm_defaults(&o);
}

Test(opts, iid_defaults)
{
    ea_iid_opts o = ea_iid_opts_default();

    cr_expect_eq(o.initial, 1);
    expect_perm_defaults(&o.perm);
    cr_expect_eq(o.skip_settled, 0, "every §5 test runs");
}

Test(opts, restart_defaults)
{
    ea_restart_opts o = ea_restart_opts_default();

    cr_expect_eq(o.h_i, 0.0, "H_I has no default");
    cr_expect_eq(o.iid, 0);
    cr_expect_eq(o.threads, 1);
    cr_expect_eq(o.simulate, 0);
    cr_expect_eq(o.seed, 0u);
    cr_expect_eq(o.rounds, 0L);
    cr_expect_eq(o.iid_tests, 0);
    cr_expect_eq(o.perm_full, 0);
    cr_expect(o.progress == NULL);
    cr_expect_null(o.progress_user);
    cr_expect(o.on_perm_start == NULL);
    cr_expect(o.on_perm_round == NULL);
    cr_expect_null(o.event_user);
}

/* The default h_i = 0 is refused: the caller must set H_I (§3.1.4). */
Test(opts, restart_default_needs_h_i)
{
    uint8_t *b = malloc(EA_RESTART_SAMPLES);
    ea_restart_result *r = malloc(sizeof *r);
    ea_restart_opts o = ea_restart_opts_default();
    ea_dataset ds;

    cr_assert(b && r);
    for (long k = 0; k < EA_RESTART_SAMPLES; k++)
        b[k] = (uint8_t)(k % 4);
    cr_assert_eq(ea_dataset_init(&ds, b, EA_RESTART_SAMPLES, 2), EA_OK);
    cr_expect_eq(ea_restart_run(&ds, &o, r), EA_ERR_ARG);
    ea_dataset_free(&ds);
    free(b);
    free(r);
}
