/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conditioning_text.c - SP 800-90B §3.1.5 conditioning results as text and JSON: the lines
 * and -o JSON of NIST's ea_conditioning 1.1.7, and ea90b's own summary and JSON.
 */
#include <fenv.h>
#include <jansson.h>

#include "conditioning_report.h"
#include "json_util.h"
#include "nist_json.h"

#define SCHEMA_VERSION 1

/* §3.1.5.1.1 / IG D.K resolution 19: full entropy needs h_in >= n_out + 64 (the reference's test). */
#define EA_FULL_ENTROPY_MARGIN 64.0

static void close_notes(FILE *f, const ea_conditioning_result *r)
{
    long double out = r->output_entropy;

    if (out == (long double)r->n_out)
        fprintf(f, "; Close to n_out (epsilon = 2^(-%.22Lg))", r->nout_eps_exp);
    if (out == r->h_in)
        fprintf(f, "; Close to h_in (epsilon = 2^(-%.22Lg))", r->hin_eps_exp);
    if (out == (long double)r->nw)
        fprintf(f, "; Close to nw (epsilon = 2^(-%.22Lg))", r->nw_eps_exp);
    fputc('\n', f);
}

static void vetted_lines(FILE *f, const ea_conditioning_result *r)
{
    fprintf(f, "(Vetted) h_out = %.22Lg\n", ea_nzl(r->output_entropy));
    if (!(r->output_entropy > r->bound_90b))
        return;
    fprintf(f, "epsilon = 2^(-%.22Lg)", r->nout_eps_exp);
    if (r->h_in >= (double)r->n_out + EA_FULL_ENTROPY_MARGIN)
        fprintf(f, ": FIPS 140-3 IG D.K Resolution 19 Full Entropy if the conditioning "
                   "component security strength is >= %u", r->n_out);
    fputc('\n', f);
}

static void text_body(FILE *f, const ea_conditioning_result *r, int quiet)
{
    long bits = r->mpfr_bits;

    if (!quiet) {
        fprintf(f, "n_in = %u\nn_out = %u\nnw = %u\nh_in = %.22Lg\n", r->n_in, r->n_out, r->nw,
                r->h_in);
        if (!r->vetted)
            fprintf(f, "h' = %.22Lg\n", r->h_prime);
    }
    for (int i = 1; i < r->mpfr_attempts; i++)
        bits /= 2;
    for (int i = 0; i < r->mpfr_attempts; i++, bits *= 2)
        fprintf(f, "Attempting to compute entropy with %ld bits of precision.\n", bits);
    if (quiet)
        return;
    fprintf(f, "Output_Entropy(*) = %.22Lg", ea_nzl(r->output_entropy));
    close_notes(f, r);
    if (r->vetted) {
        vetted_lines(f, r);
        return;
    }
    fprintf(f, "0.999 * n_out = %.22Lg\nh' * n_out = %.22Lg\n(Non-vetted) h_out = %.22Lg\n",
            r->bound_90b, ea_nzl(r->stat_bound), ea_nzl(r->h_out));
}

void ea_render_nist_conditioning_text(FILE *f, const ea_conditioning_result *r, int quiet)
{
    int mode = fegetround();

    /* the reference prints with the rounding mode it computes in */
    fesetround(FE_TOWARDZERO);
    text_body(f, r, quiet);
    fesetround(mode);
}

/* Reals as the reports print them: +0 where the reference's arithmetic gives -0. */
static void set_real(json_t *o, const char *k, long double v)
{
    json_object_set_new(o, k, ea_json_real((double)v));
}

int ea_render_nist_conditioning_json(FILE *f, const ea_conditioning_report *rep)
{
    const ea_conditioning_result *r = rep->res;
    json_t *o = ea_nist_base_run(0, rep->commandline, rep->timestamp, rep->filename, rep->sha256);
    json_t *cases = json_array(), *tc = json_object();

    json_object_set_new(o, "type", json_string("Conditioning"));
    json_object_set_new(tc, "testCaseDesc", json_string("Overall"));
    set_real(tc, "n_in", r->n_in);
    set_real(tc, "n_out", r->n_out);
    set_real(tc, "nw", r->nw);
    set_real(tc, "h_in", r->h_in);
    set_real(tc, "h_out", r->h_out);
    if (!r->vetted)
        set_real(tc, "h_p", r->h_prime);
    json_array_append_new(cases, tc);
    json_object_set_new(o, "testCases", cases);
    return ea_nist_dump(f, o);
}

int ea_render_nist_conditioning_error_json(FILE *f, const char *commandline,
                                           const char *timestamp, const char *msg)
{
    json_t *o = ea_nist_base_run(0, commandline, timestamp, NULL, NULL);

    json_object_set_new(o, "type", json_string("Conditioning"));
    json_object_set_new(o, "errorLevel", json_integer(-1));
    json_object_set_new(o, "errorMessage", json_string(msg));
    json_object_set_new(o, "testCases", json_null());
    return ea_nist_dump(f, o);
}

/*
 * What bounds h_out: the non-vetted caps when below Output_Entropy; else the cap of §3.1.5.1.2
 * step 6 when psi or omega reaches 1 (Output_Entropy = 0, e.g. 1 1 1 1: psi = P_low + P_high
 * = 1); else the smallest of h_in, nw and n_out, which Output_Entropy approaches from below.
 */
static const char *limit_name(const ea_conditioning_result *r)
{
    if (r->h_out < r->output_entropy)
        return r->stat_bound <= r->bound_90b ? "h' * n_out" : "0.999 * n_out";
    if (r->log2_psi == 0.0L && !(r->log2_omega > r->log2_psi))
        return "the psi cap (psi = 1, Output_Entropy 0)";
    if (r->log2_omega == 0.0L)
        return "the omega cap (omega = 1, Output_Entropy 0)";
    if (r->h_in <= (long double)r->n)
        return "h_in";
    return r->n < r->n_out ? "nw" : "n_out";
}

void ea_render_conditioning_summary(FILE *f, const ea_conditioning_report *rep)
{
    const ea_conditioning_result *r = rep->res;

    fprintf(f, "conditioning component: %s (SP 800-90B %s)\n",
            r->vetted ? "vetted" : "non-vetted", r->vetted ? "3.1.5.1.1" : "3.1.5.2");
    fprintf(f, "  n_in %u  n_out %u  nw %u  n = min(n_out, nw) %u  h_in %.10Lg\n", r->n_in,
            r->n_out, r->nw, r->n, r->h_in);
    if (!r->vetted) {
        fprintf(f, "  h' %.10Lg", r->h_prime);
        if (rep->filename)
            fprintf(f, " (from %s, %s track)", rep->filename, rep->hprime_iid ? "IID" : "non-IID");
        fputc('\n', f);
    }
    fprintf(f, "  Output_Entropy   %.17Lg  (n_out - Output_Entropy = n_out 2^%.6Lg)\n",
            ea_nzl(r->output_entropy), ea_nzl(-r->nout_eps_exp));
    if (!r->vetted)
        fprintf(f, "  0.999 * n_out    %.17Lg\n  h' * n_out       %.17Lg\n", r->bound_90b,
                r->stat_bound);
    fprintf(f, "  h_out            %.17Lg bits per %u-bit output (%.6Lg per bit), limited by %s\n",
            ea_nzl(r->h_out), r->n_out, ea_nzl(r->h_out / (long double)r->n_out), limit_name(r));
}

int ea_render_conditioning_json(FILE *f, const ea_conditioning_report *rep)
{
    const ea_conditioning_result *r = rep->res;
    json_t *o = ea_json_report(SCHEMA_VERSION, "conditioning", rep->commandline, rep->timestamp);
    json_t *eps = json_object();

    json_object_set_new(o, "vetted", json_boolean(r->vetted));
    json_object_set_new(o, "n_in", json_integer(r->n_in));
    json_object_set_new(o, "n_out", json_integer(r->n_out));
    json_object_set_new(o, "nw", json_integer(r->nw));
    json_object_set_new(o, "n", json_integer(r->n));
    set_real(o, "h_in", r->h_in);
    if (!r->vetted) {
        set_real(o, "h_prime", r->h_prime);
        if (rep->filename) {
            json_t *src = json_object();
            json_object_set_new(src, "filename", json_string(rep->filename));
            json_object_set_new(src, "sha256", json_string(rep->sha256 ? rep->sha256 : ""));
            json_object_set_new(src, "track", json_string(rep->hprime_iid ? "iid" : "non-iid"));
            json_object_set_new(o, "h_prime_source", src);
        }
        set_real(o, "bound_90b", r->bound_90b);
        set_real(o, "stat_bound", r->stat_bound);
    }
    set_real(o, "log2_psi", r->log2_psi);
    set_real(o, "log2_omega", r->log2_omega);
    set_real(o, "output_entropy", r->output_entropy);
    set_real(eps, "n_out", r->nout_eps_exp);
    set_real(eps, "h_in", r->hin_eps_exp);
    set_real(eps, "nw", r->nw_eps_exp);
    json_object_set_new(o, "epsilon_exponent", eps);
    set_real(o, "h_out", r->h_out);
    set_real(o, "h_out_per_bit", r->h_out / (long double)r->n_out);
    json_object_set_new(o, "limited_by", json_string(limit_name(r)));
    return ea_json_dump(f, o);
}
