/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assess_stages.c - the restart (§3.1.4), health-test (§4.4) and
 * conditioning (§3.1.5) stages of `ea90b assess`, each turned into its
 * report object {"status": "ran" | "skipped" | "error", ...}.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "report.h"

static void set_num(json_t *o, const char *k, double v)
{
    json_object_set_new(o, k, json_real(isfinite(v) ? v : 0.0));
}

static void set_int(json_t *o, const char *k, long long v)
{
    json_object_set_new(o, k, json_integer((json_int_t)v));
}

static void set_bool(json_t *o, const char *k, int v)
{
    json_object_set_new(o, k, json_boolean(v));
}

static json_t *stage_error(const char *status, const char *reason)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(status));
    json_object_set_new(o, "reason", json_string(reason));
    return o;
}

static json_t *int_array(const int *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

/* ---------------------------------------------------------- restart */
static json_t *restart_details(const ea_restart_result *r)
{
    json_t *d = json_object();
    char seed[24];

    snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
    set_num(d, "alpha", r->alpha);
    set_int(d, "x_cutoff", r->cutoff);
    set_num(d, "tail_prob_at_cutoff", r->tail_prob);
    set_num(d, "tail_prob_below_cutoff", r->tail_prob_below);
    json_object_set_new(d, "cutoff_method", json_string(r->cutoff_simulated ? "simulation" : "exact"));
    if (r->cutoff_simulated) {
        set_int(d, "rounds", r->rounds);
        json_object_set_new(d, "seed", json_string(seed));
    }
    set_int(d, "x_r", r->x_r);
    set_int(d, "x_c", r->x_c);
    set_int(d, "x_max", r->x_max);
    json_object_set_new(d, "validation_mode", json_string(r->iid ? "IID (MCV)" : "non-IID (section 6.3 literal)"));
    if (r->validated) {
        set_num(d, "h_r", r->h_r);
        set_num(d, "h_c", r->h_c);
        set_num(d, "h_min", r->h_min);
    }
    set_num(d, "seconds_cutoff", r->seconds_cutoff);
    set_num(d, "seconds_validation", r->seconds_validation);
    return d;
}

/*
 * §3.1.4.2: the per-estimator H of the row and column datasets, in the
 * report's estimator order (ea_report_est_key: t-tuple and LRS apart).
 * Only estimators that ran on a side appear; IID mode fills MCV only.
 */
static const struct {
    ea_estimator_id id;
    int lrs;
} est_map[] = {
    { EA_EST_MCV, 0 }, { EA_EST_COLLISION, 0 }, { EA_EST_MARKOV, 0 }, { EA_EST_COMPRESSION, 0 },
    { EA_EST_TTUPLE, 0 }, { EA_EST_TTUPLE, 1 }, { EA_EST_MULTI_MCW, 0 }, { EA_EST_LAG, 0 },
    { EA_EST_MULTI_MMC, 0 }, { EA_EST_LZ78Y, 0 },
};

static json_t *side_value(double h)
{
    return h >= 0.0 && isfinite(h) ? json_real(h) : json_null();
}

static json_t *restart_estimators(const ea_restart_result *r)
{
    json_t *a = json_array();

    for (size_t i = 0; i < sizeof est_map / sizeof est_map[0] && ea_report_est_key(i) != NULL; i++) {
        double hr = ea_noniid_side_h(est_map[i].id, &r->rows.literal[est_map[i].id], est_map[i].lrs);
        double hc = ea_noniid_side_h(est_map[i].id, &r->cols.literal[est_map[i].id], est_map[i].lrs);
        json_t *e;
        if (!(hr >= 0.0) && !(hc >= 0.0))
            continue;
        e = json_object();
        json_object_set_new(e, "estimator", json_string(ea_report_est_key(i)));
        json_object_set_new(e, "name", json_string(ea_report_est_name(i)));
        json_object_set_new(e, "rows", side_value(hr));
        json_object_set_new(e, "cols", side_value(hc));
        json_array_append_new(a, e);
    }
    return a;
}

json_t *ea_assess_restart(const ea_assess_opts *o, const char *dir, const ea_dataset *rows,
                          double h_i, int iid, uint64_t seed)
{
    ea_restart_result *r = calloc(1, sizeof(*r));
    ea_restart_opts ro = ea_restart_opts_default();
    json_t *out;
    ea_status st;

    if (r == NULL)
        return stage_error("error", "out of memory");
    ro.h_i = h_i;
    ro.iid = iid;
    ro.threads = o->threads;
    ro.simulate = o->simulate;
    ro.seed = seed;
    ea_assess_note(o, dir, "restart tests, H_I = %.6g (%s validation)", h_i, iid ? "IID" : "non-IID");
    st = ea_restart_run(rows, &ro, r);
    if (st != EA_OK) {
        free(r);
        return stage_error("error", ea_strerror(st));
    }
    out = json_object();
    json_object_set_new(out, "status", json_string("ran"));
    json_object_set_new(out, "file", json_string("restart.bin"));
    set_num(out, "h_i", h_i);
    set_num(out, "alpha", r->alpha);
    set_int(out, "x_cutoff", r->cutoff);
    set_int(out, "x_max", r->x_max);
    set_bool(out, "sanity_passed", r->sanity_passed);
    set_bool(out, "validated", r->validated);
    if (r->validated) {
        set_num(out, "h_r", r->h_r);
        set_num(out, "h_c", r->h_c);
        set_num(out, "h_rc_min", r->h_r < r->h_c ? r->h_r : r->h_c);
        set_num(out, "h_min", r->h_min);
        json_object_set_new(out, "estimators", restart_estimators(r));
    }
    set_bool(out, "validation_passed", r->validated && r->validation_passed);
    set_bool(out, "passed", r->sanity_passed && r->validated && r->validation_passed);
    json_object_set_new(out, "row_max", int_array(r->row_max, EA_RESTART_ROWS));
    json_object_set_new(out, "col_max", int_array(r->col_max, EA_RESTART_COLS));
    json_object_set_new(out, "details", restart_details(r));
    free(r);
    return out;
}

/* ----------------------------------------------------------- health */
/*
 * One replay's numbers under prefix. The verdict is the library's (ea_health_replay,
 * EA_HEALTH_VERDICT_LEVEL), as `ea90b health replay` prints it: failures within the Poisson
 * allowances, and neither the longest run nor the largest APT count improbable under the claim.
 */
static int replay_obj(json_t *d, const char *prefix, const ea_health_cutoffs *c,
                      const ea_health_replay_result *r)
{
    char k[64], why[EA_HEALTH_VERDICT_TEXT];

#define KEY(name) (snprintf(k, sizeof k, "%s%s", prefix, name), k)
    set_num(d, KEY("alpha"), c->alpha);
    set_int(d, KEY("rct_cutoff"), c->rct_cutoff);
    set_int(d, KEY("apt_window"), c->window);
    set_int(d, KEY("apt_cutoff"), c->apt_cutoff);
    set_int(d, KEY("samples"), (long long)r->samples);
    set_int(d, KEY("longest_run"), (long long)r->longest_run);
    set_num(d, KEY("longest_run_log2_probability"), r->longest_run_log2p);
    set_int(d, KEY("rct_failures"), (long long)r->rct_failures);
    set_num(d, KEY("rct_expected_false_positives"), r->rct_expected_fp);
    set_int(d, KEY("rct_allowed"), (long long)r->rct_allowed);
    set_int(d, KEY("apt_windows"), (long long)r->apt_windows);
    set_int(d, KEY("max_apt_count"), r->max_apt_count);
    set_num(d, KEY("max_apt_count_log2_probability"), r->max_apt_log2p);
    set_int(d, KEY("apt_failures"), (long long)r->apt_failures);
    set_num(d, KEY("apt_expected_false_positives"), r->apt_expected_fp);
    set_int(d, KEY("apt_allowed"), (long long)r->apt_allowed);
    set_bool(d, KEY("passed"), !r->excess);
    if (ea_health_verdict_text(c, r, why, sizeof why) > 0)
        json_object_set_new(d, KEY("reason"), json_string(why));
#undef KEY
    return !r->excess;
}

static int jent_replay(json_t *d, const ea_assess_opts *o, const ea_dataset *ds, char *why, size_t sz)
{
    ea_health_jent_profile p;
    ea_health_replay_result r;

    if (o->osr <= 0 || o->osr > 1000000 || ea_health_jent_profile_compute((int)o->osr, &p) != EA_OK ||
        ea_health_replay(ds->raw, ds->len, &p.intermittent, &r) != EA_OK)
        return 1;
    set_int(d, "jent_osr", o->osr);
    ea_health_verdict_text(&p.intermittent, &r, why, sz);
    return replay_obj(d, "jent_intermittent_", &p.intermittent, &r);
}

/* The cutoffs for the claim, or the stage's error object (NULL when they were computed).
 * §4.4.2: the APT window is 1024 when the samples take two distinct values, as
 * `ea90b health replay` decides. */
static json_t *health_cutoffs(const ea_assess_opts *o, double claim,
                              int binary, ea_health_cutoffs *c)
{
    char why[256];
    ea_status st;

    if (binary && claim > 1.0) {
        snprintf(why, sizeof why, "the samples take two distinct values (a binary source, section "
                                  "4.4.2), which carry at most 1 bit per sample; the claim H = %.6g "
                                  "has no health-test cutoffs", claim);
        return stage_error("error", why);
    }
    st = ea_health_cutoffs_compute(claim, ldexp(1.0, -o->health_alpha_log2), binary, c);
    if (st == EA_OK)
        return NULL;
    snprintf(why, sizeof why, "the cutoffs do not fit for H = %.6g bits per sample at alpha 2^-%d: "
                              "claim too small (%s)", claim, o->health_alpha_log2, ea_strerror(st));
    return stage_error("error", why);
}

/* The top-level reason: the claim's, then the jitterentropy profile's. */
static void set_reason(json_t *out, const char *claim_why, const char *jent_why)
{
    char why[2 * EA_HEALTH_VERDICT_TEXT + 64];

    if (claim_why[0] == '\0' && jent_why[0] == '\0')
        return;
    snprintf(why, sizeof why, "%s%s%s%s", claim_why, claim_why[0] && jent_why[0] ? "; " : "",
             jent_why[0] ? "jitterentropy intermittent profile: " : "", jent_why);
    json_object_set_new(out, "reason", json_string(why));
}

json_t *ea_assess_health(const ea_assess_opts *o, const ea_dataset *ds, double claim)
{
    ea_health_cutoffs c;
    ea_health_replay_result r;
    json_t *out, *d;
    char why[EA_HEALTH_VERDICT_TEXT], jwhy[EA_HEALTH_VERDICT_TEXT] = "";
    int ok, binary = ea_health_is_binary(ds->raw, ds->len);
    ea_status st;

    if ((out = health_cutoffs(o, claim, binary, &c)) != NULL)
        return out;
    st = ea_health_replay(ds->raw, ds->len, &c, &r);
    if (st != EA_OK)
        return stage_error("error", ea_strerror(st));
    out = json_object();
    d = json_object();
    ok = replay_obj(d, "", &c, &r);
    ea_health_verdict_text(&c, &r, why, sizeof why);
    if (o->osr > 0)
        ok &= jent_replay(d, o, ds, jwhy, sizeof jwhy);
    json_object_set_new(out, "status", json_string("ran"));
    set_num(out, "h", claim);
    set_int(out, "alpha_log2", o->health_alpha_log2);
    set_bool(out, "binary", binary);
    set_int(out, "rct_cutoff", c.rct_cutoff);
    set_int(out, "apt_window", c.window);
    set_int(out, "apt_cutoff", c.apt_cutoff);
    set_int(out, "rct_failures", (long long)r.rct_failures);
    set_int(out, "apt_failures", (long long)r.apt_failures);
    set_bool(out, "passed", ok);
    set_reason(out, why, jwhy);
    json_object_set_new(out, "details", d);
    return out;
}

/* ----------------------------------------------------- conditioning */
/* Next comma-separated number of s; -1 on a malformed field (junk included). */
static int next_num(const char **s, double *v)
{
    char *end;

    if (**s == '\0')
        return -1;
    errno = 0;
    *v = strtod(*s, &end);
    if (end == *s || errno != 0 || !isfinite(*v) || (*end != ',' && *end != '\0'))
        return -1;
    *s = *end == ',' ? end + 1 : end;
    return 0;
}

int ea_cond_parse(const char *s, ea_cond_spec *c, const char **why)
{
    const char *p = strchr(s, ',');
    double a[5] = { 0 };
    int n = 0;

    memset(c, 0, sizeof(*c));
    *why = "expected vetted,N_IN,N_OUT,NW[,H_IN] or nonvetted,N_IN,N_OUT,NW,H_PRIME";
    if (p == NULL)
        return -1;
    if ((size_t)(p - s) == 6 && strncmp(s, "vetted", 6) == 0)
        c->vetted = 1;
    else if (!(((size_t)(p - s) == 9 && strncmp(s, "nonvetted", 9) == 0) ||
               ((size_t)(p - s) == 10 && strncmp(s, "non-vetted", 10) == 0)))
        return -1;
    for (p++; *p != '\0' || n == 0; n++) {
        if (n == 5 || next_num(&p, &a[n]) != 0) {
            *why = "a field is not a number (or there are more than five)";
            return -1;
        }
        if (p[-1] == ',' && *p == '\0') {
            *why = "a trailing comma";
            return -1;
        }
    }
    if (n < 3 || n > 4 || (!c->vetted && n != 4))
        return -1;
    for (int i = 0; i < 3; i++)
        if (!(a[i] >= 1 && a[i] <= 1e7 && a[i] == floor(a[i]))) {
            *why = "N_IN, N_OUT and NW must be whole numbers of bits from 1 to 10^7";
            return -1;
        }
    if (n == 4 && !(a[3] > 0)) {
        *why = c->vetted ? "H_IN must be above 0" : "H_PRIME must be in (0, 1]";
        return -1;
    }
    c->n_in = (unsigned)a[0];
    c->n_out = (unsigned)a[1];
    c->nw = (unsigned)a[2];
    if (c->vetted && n == 4 && a[3] > a[0]) {
        *why = "H_IN cannot exceed N_IN (the input carries at most N_IN bits of entropy)";
        return -1;
    }
    if (!c->vetted && a[3] > 1.0) {
        *why = "H_PRIME must be in (0, 1]";
        return -1;
    }
    if (c->vetted)
        c->h_in = n == 4 ? a[3] : 0.0;
    else
        c->h_prime = a[3];
    c->given = 1;
    c->spec = s;
    *why = NULL;
    return 0;
}

json_t *ea_assess_conditioning(const ea_assess_opts *o, double h_final, int bits, int iid)
{
    const ea_cond_spec *c = &o->cond;
    ea_conditioning_result r;
    json_t *out, *d;
    double h_in;
    ea_status st;

    (void)iid;
    if (!c->given)
        return stage_error("not requested", "no --conditioning parameters given");
    h_in = c->h_in > 0 ? c->h_in : h_final * (double)c->n_in / (double)bits;
    if (h_in > (double)c->n_in)
        h_in = (double)c->n_in;
    if (!(h_in > 0))
        return stage_error("error", "no input entropy: the entropy estimate is 0");
    st = c->vetted ? ea_conditioning_vetted(c->n_in, c->n_out, c->nw, (long double)h_in, &r)
                   : ea_conditioning_nonvetted(c->n_in, c->n_out, c->nw, (long double)h_in,
                                               (long double)c->h_prime, &r);
    if (st != EA_OK)
        return stage_error("error", ea_strerror(st));
    out = json_object();
    d = json_object();
    json_object_set_new(out, "status", json_string("ran"));
    json_object_set_new(out, "parameters", json_string(c->spec));
    json_object_set_new(d, "type", json_string(c->vetted ? "vetted (3.1.5.1.1)" : "non-vetted (3.1.5.2)"));
    set_int(d, "n_in", c->n_in);
    set_int(d, "n_out", c->n_out);
    set_int(d, "nw", r.nw);
    set_int(d, "n", r.n);
    set_num(d, "h_in", (double)r.h_in);
    set_bool(d, "h_in_derived", c->h_in <= 0);
    if (!c->vetted) {
        set_num(d, "h_prime", (double)r.h_prime);
        set_num(d, "bound_0999_n_out", (double)r.bound_90b);
        set_num(d, "h_prime_n_out", (double)r.stat_bound);
    }
    set_num(d, "output_entropy", (double)r.output_entropy);
    set_num(d, "h_out", (double)r.h_out);
    set_num(d, "h_out_per_bit", (double)r.h_out / (double)c->n_out);
    set_num(out, "h_out", (double)r.h_out);
    json_object_set_new(out, "details", d);
    return out;
}
