/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear_health.c - the components after the noise source in the Entropy
 * Assessment Report draft (ear.h):
 *    9 conditioning   the output entropy of the conditioning component
 *                     (SP 800-90B 3.1.5: vetted 3.1.5.1.1-3.1.5.1.2,
 *                     non-vetted 3.1.5.2) with every input of the
 *                     computation; the component's design by the vendor;
 *                     "not applicable" when none was given
 *   10 health tests   the repetition count test (4.4.1) and the adaptive
 *                     proportion test (4.4.2): cutoffs for the claim, their
 *                     false-positive probability, and how often each fired
 *                     when replayed over the recorded samples; start-up and
 *                     on-demand tests (4.3) and failure handling by the vendor
 */
#include <math.h>
#include <string.h>

#include "ear.h"
#include "report.h"

/* ------------------------------------------------------------ 9 */

static int cond_ran(const json_t *d)
{
    return strcmp(ea_report_str(d, "conditioning.status", ""), "ran") == 0;
}

static int nonvetted(const json_t *d)
{
    return strncmp(ea_report_str(d, "conditioning.parameters", ""), "nonvetted", 9) == 0;
}

/* The "ea90b conditioning ..." line of the reproduce list, or NULL. */
static const char *cond_command(const json_t *d)
{
    const json_t *cmds = ea_report_get(d, "reproduce"), *c;
    size_t i;

    json_array_foreach(cmds, i, c)
        if (json_is_string(c) && strncmp(json_string_value(c), "ea90b conditioning", 18) == 0)
            return json_string_value(c);
    return NULL;
}

static void cond_table(ea_rw *w, const json_t *d)
{
    const json_t *c = ea_report_get(d, "conditioning.details");
    char b[3][32];

    ea_rw_table(w, "quantity|value");
    ea_rw_row(w, "component|%s (parameters as given: %s)", ea_report_str(c, "type", "?"),
              ea_report_str(d, "conditioning.parameters", "?"));
    ea_rw_row(w, "n_in: bits from the noise source per conditioned output|%s", ea_ear_at(c, "n_in", b[0]));
    ea_rw_row(w, "n_out: bits per conditioned output|%s", ea_ear_at(c, "n_out", b[0]));
    ea_rw_row(w, "nw: narrowest internal width|%s", ea_ear_at(c, "nw", b[0]));
    ea_rw_row(w, "n = min(n_out, nw)|%s", ea_ear_at(c, "n", b[0]));
    ea_rw_row(w, "h_in: entropy of the n_in input bits|%s bits%s", ea_ear_at(c, "h_in", b[0]),
              ea_report_bool(c, "h_in_derived") == 1 ? " (derived: H_I x n_in / bits per sample)" : " (as given)");
    if (nonvetted(d)) {
        ea_rw_row(w, "h': entropy per bit of the conditioned outputs (3.1.5.2)|%s (as given)",
                  ea_ear_at(c, "h_prime", b[0]));
        ea_rw_row(w, "0.999 x n_out|%s", ea_ear_at(c, "bound_0999_n_out", b[0]));
        ea_rw_row(w, "h' x n_out|%s", ea_ear_at(c, "h_prime_n_out", b[0]));
    }
    ea_rw_row(w, "Output_Entropy(n_in, n_out, nw, h_in)|%s bits", ea_ear_at(c, "output_entropy", b[0]));
    ea_rw_row(w, "h_out: entropy per conditioned output|%s bits (%s per bit)", ea_ear_at(d, "conditioning.h_out", b[1]),
              ea_ear_at(c, "h_out_per_bit", b[2]));
    ea_rw_end_table(w);
}

static void cond_oe(ea_rw *w, const ea_ear_input *in, size_t i)
{
    const json_t *d = in->docs[i];
    const char *cmd = cond_command(d);
    char e[1024];

    ea_ear_oe_heading(w, in, i, "conditioning");
    if (!cond_ran(d)) {
        ea_rw_p(w, "Not computed for this operational environment: %s.",
                ea_ear_esc(w, ea_report_str(d, "conditioning.reason", ea_report_str(d, "conditioning.status", "?")),
                           e, sizeof e));
        return;
    }
    cond_table(w, d);
    ea_rw_p(w, "%s", nonvetted(d)
                         ? "Non-vetted component (3.1.5.2): h_out = min(Output_Entropy(n_in, n_out, nw, h_in), "
                           "0.999 x n_out, h' x n_out), h' measured by the section 3.1 process on conditioned "
                           "outputs."
                         : "Vetted component (3.1.5.1.1): h_out = Output_Entropy(n_in, n_out, nw, h_in) of "
                           "section 3.1.5.1.2.");
    if (cmd != NULL)
        ea_rw_code(w, cmd);
}

static int any_conditioning(const ea_ear_input *in)
{
    for (size_t i = 0; i < in->n; i++)
        if (strcmp(ea_report_str(in->docs[i], "conditioning.status", "not requested"), "not requested") != 0)
            return 1;
    return 0;
}

void ea_ear_conditioning(ea_rw *w, const ea_ear_input *in)
{
    ea_ear_section(w, EA_EAR_CONDITIONING);
    if (!any_conditioning(in)) {
        ea_rw_p(w, "Not applicable: no conditioning component was given to the assessment (ea90b assess "
                   "--conditioning), so the entropy source is assessed as delivering its raw samples. If "
                   "it conditions them, rerun the assessment with the component's parameters and describe "
                   "the component here (SP 800-90B sections 3.1.5 and 3.2.3).");
        return;
    }
    ea_rw_p(w, "The entropy of each conditioned output (SP 800-90B section 3.1.5), from the component's "
               "sizes and the entropy the assessed noise source delivers into it.");
    ea_ear_vendor(w, "the conditioning component's design: the algorithm (for a vetted component, which of "
                     "the functions listed in section 3.1.5.1.1, with its key or other fixed inputs and how "
                     "they are chosen), how n_in bits of raw samples make up one input, why nw is the "
                     "narrowest internal width, and, for a non-vetted component, the conditioned output "
                     "data h' was measured on (1,000,000 consecutive outputs, section 3.1.5.2).");
    for (size_t i = 0; i < in->n; i++)
        cond_oe(w, in, i);
}

/* ------------------------------------------------------------ 10 */

static int health_ran(const json_t *d)
{
    return strcmp(ea_report_str(d, "health.status", ""), "ran") == 0;
}

/* One cutoff row: "" for the claim's, "jent_intermittent_" for jitterentropy's profile. */
static void cutoff_row(ea_rw *w, const json_t *d, size_t i, const char *pre)
{
    const json_t *h = ea_report_get(d, "health.details");
    char p[4][96], b[6][32];

    snprintf(p[0], sizeof p[0], "%salpha", pre);
    snprintf(p[1], sizeof p[1], "%srct_cutoff", pre);
    snprintf(p[2], sizeof p[2], "%sapt_window", pre);
    snprintf(p[3], sizeof p[3], "%sapt_cutoff", pre);
    ea_rw_row(w, "OE %zu%s%s|%s|%s (2^-%s)|%s|%s|%s", i + 1, ea_ear_is_model(d) ? " (model)" : "",
              pre[0] ? ": jitterentropy's intermittent profile" : "", ea_ear_at(d, "health.h", b[0]),
              ea_ear_at(h, p[0], b[1]), ea_ear_num(-log2(ea_report_num(h, p[0], NAN)), b[2]),
              ea_ear_at(h, p[1], b[3]), ea_ear_at(h, p[2], b[4]), ea_ear_at(h, p[3], b[5]));
}

void ea_ear_cutoffs(ea_rw *w, const ea_ear_input *in)
{
    char e[1024];

    ea_rw_table(w, "OE|H (bits per sample)|alpha per test|RCT cutoff C|APT window W|APT cutoff C");
    for (size_t i = 0; i < in->n; i++) {
        const json_t *d = in->docs[i];
        if (!health_ran(d)) {
            ea_rw_row(w, "OE %zu|%s|no cutoffs: %s|||", i + 1, "-",
                      ea_ear_esc(w, ea_report_str(d, "health.reason", ea_report_str(d, "health.status", "not run")), e,
                                 sizeof e));
            continue;
        }
        cutoff_row(w, d, i, "");
        if (json_is_number(ea_report_get(d, "health.details.jent_intermittent_rct_cutoff")))
            cutoff_row(w, d, i, "jent_intermittent_");
    }
    ea_rw_end_table(w);
}

/* "0 (expected 0.196731, allowed 5)" for test "rct" or "apt". */
static const char *fired(const json_t *h, const char *t, char *buf, size_t n)
{
    char p[64], b[3][32];

    snprintf(p, sizeof p, "%s_failures", t);
    ea_ear_at(h, p, b[0]);
    snprintf(p, sizeof p, "%s_expected_false_positives", t);
    ea_ear_at(h, p, b[1]);
    snprintf(p, sizeof p, "%s_allowed", t);
    snprintf(buf, n, "%s (expected %s, allowed %s)", b[0], b[1], ea_ear_at(h, p, b[2]));
    return buf;
}

static void replay(ea_rw *w, const ea_ear_input *in)
{
    char r[128], a[128], b[4][32], e[1024];

    ea_rw_table(w, "OE|samples replayed|RCT fired|APT fired (windows)|longest run|largest APT count|result");
    for (size_t i = 0; i < in->n; i++) {
        const json_t *d = in->docs[i], *h = ea_report_get(d, "health.details");
        if (!health_ran(d)) {
            ea_rw_row(w, "OE %zu|not replayed||||||", i + 1);
            continue;
        }
        ea_rw_row(w, "OE %zu%s|%s|%s|%s (%s)|%s|%s|%s%s%s", i + 1, ea_ear_is_model(d) ? " (model)" : "",
                  ea_ear_at(h, "samples", b[0]), fired(h, "rct", r, sizeof r), fired(h, "apt", a, sizeof a),
                  ea_ear_at(h, "apt_windows", b[1]), ea_ear_at(h, "longest_run", b[2]),
                  ea_ear_at(h, "max_apt_count", b[3]), ea_report_bool(d, "health.passed") == 1 ? "pass" : "FAIL",
                  ea_report_str(d, "health.reason", NULL) ? ": " : "",
                  ea_ear_esc(w, ea_report_str(d, "health.reason", ""), e, sizeof e));
    }
    ea_rw_end_table(w);
}

void ea_ear_health(ea_rw *w, const ea_ear_input *in)
{
    ea_ear_section(w, EA_EAR_HEALTH);
    ea_rw_p(w, "The two continuous tests SP 800-90B section 4.4 approves, with cutoffs for the claimed entropy "
               "H and a false-positive probability alpha per test: the repetition count test (4.4.1) fires "
               "when one value repeats C = 1 + ceil(-log2(alpha) / H) times in a row; the adaptive proportion "
               "test (4.4.2) fires when the first value of a window of W samples (1024 for two-valued samples, "
               "else 512) recurs C times in it, C the smallest count a source with min-entropy H reaches with "
               "probability at most alpha. A healthy source at exactly H trips them now and then; these are "
               "the values a module integrator configures.");
    ea_ear_cutoffs(w, in);
    ea_rw_p(w, "The tests replayed over the recorded sequential samples (ea90b health replay): how often each "
               "fired against the false positives expected at alpha over that many samples and the most "
               "a healthy source would produce (Poisson tail 10^-6), the longest run of one value and the "
               "largest APT count.");
    replay(w, in);
    ea_ear_vendor(w, "the health tests as implemented: that the RCT and APT above run on every raw sample "
                     "before any conditioning while the source operates (or the developer-defined "
                     "alternatives of section 4.5 and why they detect at least the same failures); the "
                     "start-up tests (section 4.3: at least 1024 consecutive samples through the continuous "
                     "tests before the first output is used); the on-demand tests, if offered; any tests for "
                     "failure modes known for this noise source; and what happens when a test fires: which "
                     "failures are intermittent and which persistent, how the consumer is told, that no output "
                     "is used while in error, and how the source recovers.");
}
