/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nist_text.c - the text NIST's ea_non_iid 1.1.7 prints, rendered from an
 * ea_noniid_result after the fact, line for line, so that scripts which
 * scrape the reference's output keep working.
 *
 * Verbosity follows the reference's counter: 0 with -q, 1 by default,
 * 2 with -v (one line per estimator plus a "\t... = %f / n bit(s)"
 * summary), 3 with -vv (one labelled value per line, %.17g).
 */
#include <stdio.h>

#include "json_util.h"
#include "nist_text.h"
#include "reports.h"

typedef struct {
    FILE *f;
    const ea_noniid_report *r;
    int v;
} ctx;

static const ea_est_side *side(const ctx *c, ea_estimator_id id, int bits)
{
    return bits ? &c->r->res->bitstring[id] : &c->r->res->literal[id];
}

static const char *label(int bits)
{
    return bits ? "Bitstring" : "Literal";
}

static int ok(const ea_est_side *s)
{
    return s->ran && s->status == EA_OK;
}

/* "\tXxx Estimate (bit string) = %f / 1 bit(s)" or "... = %f / n bit(s)" */
static void summary_line(const ctx *c, const char *what, int bits, double h)
{
    if (c->v != 2 || c->r->ds == NULL)   /* no dataset: ea_nist_side_lines */
        return;
    if (bits)
        fprintf(c->f, "\t%s (bit string) = %f / 1 bit(s)\n", what, ea_nz(h));
    else
        fprintf(c->f, "\t%s = %f / %d bit(s)\n", what, ea_nz(h), c->r->ds->bits);
}

static void mcv(const ctx *c, int bits)
{
    const ea_est_side *s = side(c, EA_EST_MCV, bits);
    const ea_mcv_result *m = &s->u.mcv;

    if (!s->ran)
        return;
    ea_nist_mcv_lines(c->f, m, label(bits), c->v);
    summary_line(c, "Most Common Value Estimate", bits, m->h);
}

void ea_nist_mcv_lines(FILE *f, const ea_mcv_result *m, const char *label, int v)
{
    if (v == 2) {
        fprintf(f, "%s MCV Estimate: mode = %ld, p-hat = %.17g, p_u = %.17g\n", label, m->mode,
                m->p_hat, m->p_u);
    } else if (v == 3) {
        fprintf(f, "%s Most Common Value Estimate: Mode count = %ld\n", label, m->mode);
        fprintf(f, "%s Most Common Value Estimate: p-hat = %.17g\n", label, m->p_hat);
        fprintf(f, "%s Most Common Value Estimate: p_u = %.17g\n", label, m->p_u);
        fprintf(f, "%s Most Common Value Estimate: min entropy = %.17g\n", label, m->h);
    }
}

void ea_nist_final_lines(FILE *f, const ea_nist_final *in, int v, const char *lead)
{
    ea_nist_final nz = *in;
    const ea_nist_final *x = &nz;

    nz.h_original = ea_nz(in->h_original);
    nz.h_bitstring = ea_nz(in->h_bitstring);
    nz.h_assessed = ea_nz(in->h_assessed);
    if (v == 1 || v == 2) {
        if (x->initial) {
            fprintf(f, "%sH_original: %f\n", lead, x->h_original);
            if (x->alph_size > 2) {
                fprintf(f, "H_bitstring: %f\n", x->h_bitstring);
                fprintf(f, "min(H_original, %d X H_bitstring): %f\n", x->bits,
                        x->h_original < x->bits * x->h_bitstring ? x->h_original
                                                                  : x->bits * x->h_bitstring);
            }
        } else {
            fprintf(f, "%sh': %f\n", lead, x->h_bitstring);
        }
    } else if (v > 2) {
        if (x->has_bitstring) {
            fprintf(f, "H_bitstring = %.17g\n", x->h_bitstring);
            fprintf(f, "H_bitstring Per Symbol = %.17g\n", x->h_bitstring * x->bits);
        }
        if (x->has_literal)
            fprintf(f, "H_original = %.17g\n", x->h_original);
        fprintf(f, "Assessed min entropy: %.17g\n", x->h_assessed);
    }
}

static void too_short(const ctx *c, const char *what)
{
    fprintf(c->f, "\t*** Warning: not enough samples to run %s ***\n", what);
}

static void collision(const ctx *c, int bits)
{
    const ea_est_side *s = side(c, EA_EST_COLLISION, bits);
    const ea_collision_result *m = &s->u.collision;
    const char *l = label(bits);

    if (!s->ran)
        return;
    if (!ok(s)) {
        too_short(c, "collision test");
        return;
    }
    if (c->v == 2) {
        fprintf(c->f, "%s Collision Estimate: X-bar = %.17g, sigma-hat = %.17g, p = %.17g\n",
                l, m->x_bar, m->sigma_hat, m->p);
    } else if (c->v == 3) {
        fprintf(c->f, "%s Collision Estimate: v = %ld\n", l, m->v);
        fprintf(c->f, "%s Collision Estimate: Sum t_i = %ld\n", l, m->sum_t);
        fprintf(c->f, "%s Collision Estimate: X-bar = %.17g\n", l, m->x_bar);
        fprintf(c->f, "%s Collision Estimate: sigma-hat = %.17g\n", l, m->sigma_hat);
        fprintf(c->f, "%s Collision Estimate: X-bar' = %.17g\n", l, m->x_bar_prime);
        if (m->found_p)
            fprintf(c->f, "%s Collision Estimate: Found p.\n", l);
        else
            fprintf(c->f, "%s Collision Estimate: Could Not Find p. Proceeding with the lower bound for p.\n", l);
        fprintf(c->f, "%s Collision Estimate: p = %.17g\n", l, m->p);
        fprintf(c->f, "%s Collision Estimate: min entropy = %.17g\n", l, m->h);
    }
    summary_line(c, "Collision Test Estimate", bits, m->h);
}

static void markov(const ctx *c, int bits)
{
    const ea_est_side *s = side(c, EA_EST_MARKOV, bits);
    const ea_markov_result *m = &s->u.markov;
    const char *l = label(bits);

    if (!s->ran)
        return;
    if (!ok(s)) {
        too_short(c, "Markov test");
        return;
    }
    if (c->v == 2) {
        fprintf(c->f, "%s Markov Estimate: P_0 = %.17g, P_1 = %.17g, P_0,0 = %.17g, "
                "P_0,1 = %.17g, P_1,0 = %.17g, P_1,1 = %.17g, p_max = %.17g\n",
                l, m->p0, m->p1, m->p00, m->p01, m->p10, m->p11, m->p_hat_max);
    } else if (c->v == 3) {
        fprintf(c->f, "%s Markov Estimate: P_0 = %.17g\n", l, m->p0);
        fprintf(c->f, "%s Markov Estimate: P_1 = %.17g\n", l, m->p1);
        fprintf(c->f, "%s Markov Estimate: P_{0,0} = %.17g\n", l, m->p00);
        fprintf(c->f, "%s Markov Estimate: P_{0,1} = %.17g\n", l, m->p01);
        fprintf(c->f, "%s Markov Estimate: P_{1,0} = %.17g\n", l, m->p10);
        fprintf(c->f, "%s Markov Estimate: P_{1,1} = %.17g\n", l, m->p11);
        fprintf(c->f, "%s Markov Estimate: p-hat_max = %.17g\n", l, m->p_hat_max);
        fprintf(c->f, "%s Markov Estimate: min entropy = %.17g\n", l, m->h);
    }
    summary_line(c, "Markov Test Estimate", bits, m->h);
}

static void compression(const ctx *c, int bits)
{
    const ea_est_side *s = side(c, EA_EST_COMPRESSION, bits);
    const ea_compression_result *m = &s->u.compression;
    const char *l = label(bits);

    if (!s->ran)
        return;
    if (!ok(s)) {
        too_short(c, "compression test (need more than 1000)");
        return;
    }
    if (c->v == 2) {
        fprintf(c->f, "%s Compression Estimate: X-bar = %.17g, sigma-hat = %.17g, p = %.17g\n",
                l, m->x_bar, m->sigma_hat, m->p);
    } else if (c->v == 3) {
        fprintf(c->f, "%s Compression Estimate: X-bar = %.17g\n", l, m->x_bar);
        fprintf(c->f, "%s Compression Estimate: sigma-hat = %.17g\n", l, m->sigma_hat);
        fprintf(c->f, "%s Compression Estimate: X-bar' = %.17g\n", l, m->x_bar_prime);
        if (m->found_p)
            fprintf(c->f, "%s Compression Estimate: Found p.\n", l);
        else
            fprintf(c->f, "%s Compression Estimate: Could Not Find p. Proceeding with the lower bound for p.\n", l);
        fprintf(c->f, "%s Compression Estimate: p = %.17g\n", l, m->p);
        fprintf(c->f, "%s Compression Estimate: min entropy = %.17g\n", l, m->h);
    }
    summary_line(c, "Compression Test Estimate", bits, m->h);
}

static void ttuple_lines(const ctx *c, const ea_ttuple_result *t, const char *l)
{
    if (!t->valid) {
        if (c->v > 1)
            fprintf(c->f, "t-Tuple Estimate: No strings are repeated 35 times. t-Tuple estimate failed.\n");
        return;
    }
    if (c->v == 2) {
        fprintf(c->f, "%s t-Tuple Estimate: t = %ld, p-hat_max = %.22Lg, p_u = %.22Lg\n",
                l, t->t, t->p_hat_max, t->p_u);
    } else if (c->v == 3) {
        fprintf(c->f, "%s t-Tuple Estimate: t = %ld\n", l, t->t);
        fprintf(c->f, "%s t-Tuple Estimate: p-hat_max = %.22Lg\n", l, t->p_hat_max);
        fprintf(c->f, "%s t-Tuple Estimate: p_u = %.22Lg\n", l, t->p_u);
        fprintf(c->f, "%s t-Tuple Estimate: min entropy = %.17g\n", l, t->h);
    }
}

static void lrs_lines(const ctx *c, const ea_lrs_result *m, const char *l)
{
    if (!m->valid) {
        fprintf(c->f, "LRS Estimate: v<u. Can't Run LRS Test.\n");
        return;
    }
    if (c->v == 2) {
        fprintf(c->f, "%s LRS Estimate: u = %ld, v = %ld, p-hat = %.17Lg, p_u = %.17Lg\n",
                l, m->u, m->v, m->p_hat, m->p_u);
    } else if (c->v == 3) {
        fprintf(c->f, "%s LRS Estimate: u = %ld\n", l, m->u);
        fprintf(c->f, "%s LRS Estimate: v = %ld\n", l, m->v);
        fprintf(c->f, "%s LRS Estimate: p-hat = %.22Lg\n", l, m->p_hat);
        fprintf(c->f, "%s LRS Estimate: p_u = %.22Lg\n", l, m->p_u);
        fprintf(c->f, "%s LRS Estimate: min entropy = %.17g\n", l, m->h);
    }
}

static void sa_side(const ctx *c, int bits)
{
    const ea_est_side *s = side(c, EA_EST_TTUPLE, bits);

    if (!s->ran)
        return;
    if (!ok(s)) {
        too_short(c, "t-Tuple and LRS tests");
        return;
    }
    ttuple_lines(c, &s->u.sa.tt, label(bits));
    lrs_lines(c, &s->u.sa.lrs, label(bits));
    if (s->u.sa.tt.valid)
        summary_line(c, "T-Tuple Test Estimate", bits, s->u.sa.tt.h);
}

static void lrs_summary(const ctx *c, int bits)
{
    const ea_est_side *s = side(c, EA_EST_TTUPLE, bits);

    if (ok(s) && s->u.sa.lrs.valid)
        summary_line(c, "LRS Test Estimate", bits, s->u.sa.lrs.h);
}

typedef struct {
    ea_estimator_id id;
    const char *short_name;  /* as in "Literal Lag Prediction Estimate" */
    const char *long_name;   /* as in the -v summary line */
    const char *warn;        /* too-short warning */
} predictor_desc;

static const predictor_desc predictors[] = {
    { EA_EST_MULTI_MCW, "MultiMCW", "Multi Most Common in Window (MultiMCW) Prediction Test Estimate",
      "multiMCW test (need more than 4096)" },
    { EA_EST_LAG, "Lag", "Lag Prediction Test Estimate", "lag test" },
    { EA_EST_MULTI_MMC, "MultiMMC", "Multi Markov Model with Counting (MultiMMC) Prediction Test Estimate",
      "multiMMC test (need more than 3)" },
    { EA_EST_LZ78Y, "LZ78Y", "LZ78Y Prediction Test Estimate", "LZ78Y test (need more than 18)" },
};

static void predictor(const ctx *c, const predictor_desc *d, int bits)
{
    const ea_est_side *s = side(c, d->id, bits);
    const ea_predictor_result *p = &s->u.pred;
    const char *l = label(bits), *n = d->short_name;

    if (!s->ran)
        return;
    if (!ok(s)) {
        too_short(c, d->warn);
        return;
    }
    if (c->v == 2) {
        if (p->p_local_used)
            fprintf(c->f, "%s %s Prediction Estimate: N = %ld, Pglobal' = %.17g (C = %ld) Plocal = %.17g (r = %ld)\n",
                    l, n, p->N, p->p_global_prime, p->C, p->p_local, p->r);
        else
            fprintf(c->f, "%s %s Prediction Estimate: N = %ld, Pglobal' = %.17g (C = %ld) Plocal can't affect result (r = %ld)\n",
                    l, n, p->N, p->p_global_prime, p->C, p->r);
    } else if (c->v == 3) {
        fprintf(c->f, "%s %s Prediction Estimate: C = %ld\n", l, n, p->C);
        fprintf(c->f, "%s %s Prediction Estimate: r = %ld\n", l, n, p->r);
        fprintf(c->f, "%s %s Prediction Estimate: N = %ld\n", l, n, p->N);
        fprintf(c->f, "%s %s Prediction Estimate: P_global = %.17g\n", l, n, p->p_global);
        fprintf(c->f, "%s %s Prediction Estimate: P_global' = %.17g\n", l, n, p->p_global_prime);
        if (p->p_local_used)
            fprintf(c->f, "%s %s Prediction Estimate: P_local = %.17g\n", l, n, p->p_local);
        else
            fprintf(c->f, "%s %s Prediction Estimate: P_local can't change the result.\n", l, n);
        fprintf(c->f, "%s %s Prediction Estimate: min entropy = %.17g\n", l, n, p->h);
    }
    summary_line(c, d->long_name, bits, p->h);
}

static void heading(const ctx *c, const char *text)
{
    if (c->v == 1 || c->v == 2)
        fputs(text, c->f);
}

static void final_lines(const ctx *c)
{
    const ea_noniid_result *res = c->r->res;
    ea_nist_final x = { c->r->initial, c->r->ds->alph_size, c->r->ds->bits, res->has_literal,
                        res->has_bitstring, res->h_original, res->h_bitstring, res->h_assessed };

    ea_nist_final_lines(c->f, &x, c->v, "\n");
}

void ea_render_nist_noniid_text(FILE *f, const ea_noniid_report *r, int verbose)
{
    ctx c = { f, r, verbose };

    heading(&c, "\nRunning non-IID tests...\n\nRunning Most Common Value Estimate...\n");
    mcv(&c, 1);
    mcv(&c, 0);
    heading(&c, "\nRunning Entropic Statistic Estimates (bit strings only)...\n");
    collision(&c, 1);
    collision(&c, 0);
    markov(&c, 1);
    markov(&c, 0);
    compression(&c, 1);
    compression(&c, 0);
    heading(&c, "\nRunning Tuple Estimates...\n");
    sa_side(&c, 1);
    sa_side(&c, 0);
    lrs_summary(&c, 1);
    lrs_summary(&c, 0);
    heading(&c, "\nRunning Predictor Estimates...\n");
    for (size_t i = 0; i < sizeof predictors / sizeof predictors[0]; i++) {
        predictor(&c, &predictors[i], 1);
        predictor(&c, &predictors[i], 0);
    }
    final_lines(&c);
}

/* One literal side on its own, without the summary line (ea_restart prints
 * its own "(Rows)"/"(Cols)" summaries). */
void ea_nist_side_lines(FILE *f, ea_estimator_id id, const ea_est_side *s, int verbose)
{
    static const ea_noniid_result empty;
    ea_noniid_result res = empty;
    ea_noniid_report rep = { 0 };
    ctx c = { f, &rep, verbose };

    res.literal[id] = *s;
    rep.res = &res;
    switch (id) {
    case EA_EST_MCV:         mcv(&c, 0); break;
    case EA_EST_COLLISION:   collision(&c, 0); break;
    case EA_EST_MARKOV:      markov(&c, 0); break;
    case EA_EST_COMPRESSION: compression(&c, 0); break;
    case EA_EST_TTUPLE:      sa_side(&c, 0); break;
    default:
        for (size_t i = 0; i < sizeof predictors / sizeof predictors[0]; i++)
            if (predictors[i].id == id)
                predictor(&c, &predictors[i], 0);
        break;
    }
}
