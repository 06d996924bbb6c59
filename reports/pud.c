/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pud.c - the Public Use Document skeleton (pud.md, pud.html; ear.h):
 * what a module integrator needs from an entropy source validated under
 * SP 800-90B, with the parts the assessment reports know filled in:
 *    1 identification                    vendor, with the noise source as recorded
 *    2 entropy per sample                sample size, claim (H_submitter), the
 *                                        assessed and validated values (3.1.3, 3.1.4)
 *    3 conditioning                      type, n_in, n_out, nw, h_out (3.1.5)
 *    4 health tests to configure         RCT cutoff, APT window and cutoff, their
 *                                        false-positive probability (4.4.1, 4.4.2);
 *                                        start-up tests and failure handling by the vendor
 *    5 operational environments tested   one per collection
 *    6 obtaining entropy, 7 constraints  vendor
 * Built-in model samples are flagged as such.
 */
#include <math.h>
#include <string.h>

#include "ear.h"
#include "report.h"

enum { P_ID = 1, P_ENTROPY, P_CONDITIONING, P_HEALTH, P_OE, P_OBTAIN, P_CONSTRAINTS };

static const char *const titles[] = {
    NULL, "Entropy source identification", "Entropy per sample", "Conditioning",
    "Health tests the integrator configures", "Operational environments tested", "Obtaining entropy",
    "Usage constraints",
};

static void heading(ea_rw *w, int s)
{
    char id[16];

    snprintf(id, sizeof id, "p%d", s);
    ea_rw_h(w, 2, id, "%d. %s", s, titles[s]);
}

static void identification(ea_rw *w, const ea_ear_input *in)
{
    char src[1024], e[1200];

    heading(w, P_ID);
    ea_rw_table(w, "item|value");
    ea_rw_row(w, "entropy source name and version|" EA_EAR_VENDOR_MARK);
    ea_rw_row(w, "vendor|" EA_EAR_VENDOR_MARK);
    ea_rw_row(w, "entropy source validation (ESV) certificate|" EA_EAR_VENDOR_MARK);
    ea_rw_row(w, "physical or non-physical noise source|" EA_EAR_VENDOR_MARK);
    ea_rw_row(w, "noise source as assessed|%s", ea_ear_esc(w, ea_ear_source(in, 0, src, sizeof src), e, sizeof e));
    ea_rw_end_table(w);
    for (size_t i = 0; i < in->n; i++)
        if (ea_ear_is_model(in->docs[i]))
            ea_rw_p(w, "WARNING: OE %zu was assessed on samples from ea90b's %s. Its values describe the "
                       "model, not an entropy source, and cannot go into a Public Use Document.", i + 1,
                    ea_ear_esc(w, ea_ear_source(in, i, src, sizeof src), e, sizeof e));
}

/* Samples for s bits of min-entropy at h bits per sample, or "n/a". */
static const char *samples_for(double s, double h, char buf[32])
{
    /* less a hair: h = 0.3333333333333333 is 1/3 as the claim meant it, 128 bits take 384 samples */
    return h > 0 && isfinite(h) ? ea_ear_num(ceil(s / h * (1 - 1e-12)), buf) : ea_ear_num(NAN, buf);
}

static void entropy(ea_rw *w, const ea_ear_input *in)
{
    const json_t *d = in->docs[0];
    double h = ea_ear_min_final(in);
    char b[3][32];

    heading(w, P_ENTROPY);
    ea_rw_table(w, "item|value");
    ea_rw_row(w, "sample size|%s bits", ea_ear_at(d, "claim.bits_per_sample", b[0]));
    ea_rw_row(w, "claimed min-entropy (H_submitter)|%s bits per sample%s", ea_ear_at(d, "claim.h", b[0]),
              json_is_number(ea_report_get(d, "claim.osr")) ? " (1 / the oversampling rate)" : "");
    ea_rw_row(w, "assessed min-entropy, lowest over the environments|%s bits per sample (%s track)",
              ea_ear_num(ea_ear_min(in, "verdict.h_assessed", NAN), b[0]),
              ea_report_bool(d, "claim.iid") == 1 ? "IID claimed" : "non-IID");
    ea_rw_row(w, "validated entropy per sample (after the restart tests)|%s bits", ea_ear_num(h, b[0]));
    ea_rw_row(w, "samples for 128 / 192 / 256 bits of min-entropy|%s / %s / %s", samples_for(128, h, b[0]),
              samples_for(192, h, b[1]), samples_for(256, h, b[2]));
    ea_rw_end_table(w);
    if (json_is_number(ea_report_get(d, "claim.osr")))
        ea_rw_p(w, "The claim rests on an oversampling rate of %s: the source must be configured with it.",
                ea_ear_at(d, "claim.osr", b[0]));
}

static void conditioning(ea_rw *w, const ea_ear_input *in)
{
    size_t rows = 0;
    char b[5][32];

    heading(w, P_CONDITIONING);
    for (size_t i = 0; i < in->n; i++) {
        const json_t *d = in->docs[i], *c = ea_report_get(d, "conditioning.details");
        if (strcmp(ea_report_str(d, "conditioning.status", ""), "ran") != 0)
            continue;
        if (rows++ == 0)
            ea_rw_table(w, "OE|component|n_in|n_out|nw|h_out (bits per output)");
        ea_rw_row(w, "OE %zu|%s|%s|%s|%s|%s (%s per bit)", i + 1, ea_report_str(c, "type", "?"),
                  ea_ear_at(c, "n_in", b[0]), ea_ear_at(c, "n_out", b[1]), ea_ear_at(c, "nw", b[2]),
                  ea_ear_at(d, "conditioning.h_out", b[3]), ea_ear_at(c, "h_out_per_bit", b[4]));
    }
    if (rows > 0) {
        ea_rw_end_table(w);
        ea_ear_vendor(w, "the conditioning function (algorithm, key) and how the integrator obtains conditioned "
                         "output.");
    } else {
        ea_rw_p(w, "None assessed: the entropy source delivers its raw samples.");
        ea_ear_vendor(w, "confirm that the entropy source has no conditioning component, or name it.");
    }
}

static void health(ea_rw *w, const ea_ear_input *in)
{
    heading(w, P_HEALTH);
    ea_rw_p(w, "The continuous tests of SP 800-90B section 4.4 with the cutoffs for the claimed min-entropy H: "
               "the repetition count test (RCT) fails when one value repeats C times in a row; the adaptive "
               "proportion test (APT) fails when the first value of a window of W samples occurs C times in "
               "it. alpha is the probability that a test fails on a healthy source.");
    ea_ear_cutoffs(w, in);
    ea_ear_vendor(w, "how the integrator enables and configures the tests, the start-up tests (at least 1024 "
                     "samples before the first output), on-demand tests, and what the module must do when a "
                     "test fails.");
}

/* "Linux 6.1.0, x86_64, virtualised (kvm)" for a recorded host, else NULL. */
static const char *platform(const json_t *m, char *buf, size_t n)
{
    const char *virt = ea_report_str(m, "host.virtualization.detected", "none");

    if (!json_is_object(ea_report_get(m, "host")))
        return NULL;
    snprintf(buf, n, "%s %s, %s%s%s%s", ea_report_str(m, "host.kernel.sysname", "?"),
             ea_report_str(m, "host.kernel.release", "?"), ea_report_str(m, "host.arch", "?"),
             strcmp(virt, "none") != 0 ? ", virtualised (" : "", strcmp(virt, "none") != 0 ? virt : "",
             strcmp(virt, "none") != 0 ? ")" : "");
    return buf;
}

static void environments(ea_rw *w, const ea_ear_input *in)
{
    char oe[1024], p[512], e2[1200];

    heading(w, P_OE);
    for (size_t i = 0; i < in->n; i++) {
        const char *plat = platform(ea_report_get(in->docs[i], "collection.manifest"), p, sizeof p);
        ea_rw_li(w, "%s%s%s", ea_ear_oe_esc(w, in, i, oe, sizeof oe), plat ? "; " : "",
                 plat ? ea_ear_esc(w, plat, e2, sizeof e2) : "");
    }
    ea_rw_end_list(w);
    ea_ear_vendor(w, "the operational environments the validation covers, as the certificate lists them.");
}

static int pud(FILE *f, const ea_ear_input *in, int html)
{
    ea_rw w = { f, html, 0, 0 };
    char why[256];

    if (in == NULL || in->n == 0)
        return -1;
    ea_ear_open(&w, "Public Use Document (draft)", "Public Use Document DRAFT", in);
    if (ea_ear_mixed(in, why, sizeof why) != 0)
        ea_rw_p(&w, "NOTE: %s; the values below are those of OE 1 where one value is shown.", why);
    identification(&w, in);
    entropy(&w, in);
    conditioning(&w, in);
    health(&w, in);
    environments(&w, in);
    heading(&w, P_OBTAIN);
    ea_ear_vendor(&w, "how a consuming application obtains entropy: the interface it calls, the output format and "
                      "length, and how much output makes up a seed of a given strength.");
    heading(&w, P_CONSTRAINTS);
    ea_ear_vendor(&w, "the conditions of use: the operating conditions and configuration the validation holds "
                      "for, and what the integrator must not change.");
    ea_ear_close(&w);
    return ferror(f) ? -1 : 0;
}

int ea_pud_md(FILE *f, const ea_ear_input *in)
{
    return pud(f, in, 0);
}

int ea_pud_html(FILE *f, const ea_ear_input *in)
{
    return pud(f, in, 1);
}
