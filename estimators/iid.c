/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iid.c - the SP 800-90B IID track as NIST's ea_iid applies it: baseline
 * statistics, the §6.3.1 most-common-value estimate on the literal symbols
 * (and on the bitstring when the alphabet has more than two symbols or in
 * conditioned mode), the §5.2 chi-square and longest-repeated-substring
 * tests, and the §5.1 permutation test. The data are IID when all three
 * tests pass (§5); the IID min-entropy is then the MCV estimate (§6.1).
 *
 * h_assessed is min(bits, h_original, bits × h_bitstring). NIST's tool
 * reports that value in its JSON only at -vv and the word size otherwise
 * (its PR #251); the drop-in front end reproduces that, this struct holds
 * the correct value.
 */
#include <string.h>
#include <time.h>

#include "ea90b.h"
#include "shared.h"

static ea_status mcv_estimates(const ea_dataset *ds, int initial, ea_iid_result *res)
{
    ea_status st;

    res->h_original = (double)ds->bits;
    res->h_bitstring = 1.0;
    res->has_literal = initial;
    res->has_bitstring = ds->alph_size > 2 || !initial;
    if (res->has_literal) {
        if ((st = ea_mcv(ds->symbols, ds->len, ds->alph_size, &res->mcv_literal)) != EA_OK)
            return st;
        res->h_original = res->mcv_literal.h;
    }
    if (res->has_bitstring) {
        if ((st = ea_mcv(ds->bitstring, ds->blen, 2, &res->mcv_bitstring)) != EA_OK)
            return st;
        res->h_bitstring = res->mcv_bitstring.h;
    }
    res->h_assessed = (double)ds->bits;
    if (res->has_bitstring && res->h_bitstring * ds->bits < res->h_assessed)
        res->h_assessed = res->h_bitstring * ds->bits;
    if (res->has_literal && res->h_original < res->h_assessed)
        res->h_assessed = res->h_original;
    return EA_OK;
}

/*
 * A decisive run that settles on a failing cheap statistic never compresses,
 * but the unpermuted compression statistic is part of every report (it is
 * what the reference prints among its initial results): compute it alone.
 */
static ea_status original_compression(const ea_dataset *ds, int libbz2, ea_iid_result *res)
{
    ea_perm_count *c = &res->perm.stat[EA_IID_COMPRESSION];
    long double v[EA_IID_NSTATS];
    ea_iid_stats_ctx *ctx;
    ea_status st;

    if (c->computed)
        return EA_OK;
    if ((st = ea_iid_stats_new(ds, &res->baseline, &ctx)) != EA_OK)
        return st;
    ea_iid_stats_use_libbz2(ctx, libbz2);
    st = ea_iid_stats_compute(ctx, ds->raw, 1u << EA_IID_COMPRESSION, v);
    ea_iid_stats_free(ctx);
    if (st == EA_OK)
        c->original = v[EA_IID_COMPRESSION];  /* counts stay "not computed" */
    return st;
}

ea_iid_opts ea_iid_opts_default(void)
{
    return (ea_iid_opts){ .initial = 1, .perm = ea_perm_opts_default(), .skip_settled = 0 };
}

ea_status ea_iid_run(const ea_dataset *ds, const ea_iid_opts *opt, ea_iid_result *res)
{
    ea_perm_opts perm;
    ea_status st;
    double t0;

    if (ds == NULL || opt == NULL || res == NULL || ds->len == 0)
        return EA_ERR_ARG;
    memset(res, 0, sizeof(*res));
    if (ds->alph_size <= 1)
        return EA_ERR_ONE_SYMBOL;
    if ((st = ea_iid_baseline_compute(ds, &res->baseline)) != EA_OK)
        return st;
    if ((st = mcv_estimates(ds, opt->initial, res)) != EA_OK)
        return st;

    t0 = ea_seconds_now();
    if ((st = ea_chi_square_tests(ds, &res->chisq)) != EA_OK)
        return st;
    res->seconds_chisq = ea_seconds_now() - t0;

    t0 = ea_seconds_now();
    if ((st = ea_lrs_test(ds, &res->lrs)) != EA_OK)
        return st;
    res->seconds_lrs = ea_seconds_now() - t0;

    /* With skip_settled a failed §5.2 test decides the verdict: no permutations. */
    res->perm_skipped = opt->skip_settled && !(res->chisq.passed && res->lrs.passed);
    perm = opt->perm;
    if (res->perm_skipped)
        perm.permutations = 0;
    t0 = ea_seconds_now();
    if ((st = ea_permutation_test(ds, &res->baseline, &perm, &res->perm)) != EA_OK)
        return st;
    if ((st = original_compression(ds, opt->perm.libbz2, res)) != EA_OK)
        return st;
    res->seconds_perm = ea_seconds_now() - t0;

    res->iid = res->chisq.passed && res->lrs.passed && res->perm.passed;
    return EA_OK;
}
