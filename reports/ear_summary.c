/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear_summary.c - the closing sections of the Entropy Assessment Report
 * draft (ear.h):
 *   11 conclusion   the final entropy estimate per operational environment
 *                   (H_I after the SP 800-90B 3.1.4 restart tests), the value
 *                   the draft supports (the lowest), what keeps a verdict
 *                   from PASS, and the requirement map (section 12) counted
 *   13 reproducing  per collection: how it was recorded (the manifest's
 *                   command line), verified and assessed, the seed, and the
 *                   commands that recompute every number from its files
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ear.h"
#include "report.h"

/* ------------------------------------------------------------ 11 */

/* verdict.reasons joined with "; " ("none" when empty), escaped. */
static const char *reasons(const ea_rw *w, const json_t *d, char *buf, size_t n)
{
    const json_t *rs = ea_report_get(d, "verdict.reasons"), *r;
    char e[1024];
    size_t i, len = 0;

    buf[0] = '\0';
    json_array_foreach(rs, i, r) {
        const char *s = ea_ear_esc(w, json_is_string(r) ? json_string_value(r) : "?", e, sizeof e);
        int k = snprintf(buf + len, n - len, "%s%s", len ? "; " : "", s);
        if (k < 0 || (size_t)k >= n - len)
            break;
        len += (size_t)k;
    }
    if (len == 0)
        snprintf(buf, n, "none");
    return buf;
}

static void final_table(ea_rw *w, const ea_ear_input *in)
{
    char oe[1024], b[2][32], why[4096];

    ea_rw_table(w, "operational environment|final entropy estimate (bits per sample)|verdict|what keeps it from PASS");
    for (size_t i = 0; i < in->n; i++) {
        const json_t *d = in->docs[i];
        ea_rw_row(w, "%s|%s (of a claimed %s)|%s|%s", ea_ear_oe_esc(w, in, i, oe, sizeof oe),
                  ea_ear_num(ea_ear_final(d), b[0]), ea_ear_at(d, "claim.h", b[1]),
                  ea_report_str(d, "verdict.status", "?"), reasons(w, d, why, sizeof why));
    }
    ea_rw_end_table(w);
}

/* How many of the statuses the requirement map gives (section 12). */
static void shall_counts(const ea_ear_input *in, size_t count[6], size_t *total)
{
    const ea_shall_req *r;
    char why[512];

    memset(count, 0, 6 * sizeof count[0]);
    *total = 0;
    for (size_t i = 0; (r = ea_shall_at(i)) != NULL; i++) {
        ea_shall_status s = ea_shall_eval(r, in, why, sizeof why);
        if ((int)s >= 0 && (int)s < 6)
            count[s]++;
        (*total)++;
    }
}

static void verdict_line(ea_rw *w, const ea_ear_input *in)
{
    size_t fail = 0, inc = 0, models = 0;
    double h = ea_ear_min_final(in);
    char b[3][32], why[256];

    for (size_t i = 0; i < in->n; i++) {
        const char *st = ea_report_str(in->docs[i], "verdict.status", "INCOMPLETE");
        fail += strcmp(st, "FAIL") == 0;
        inc += strcmp(st, "PASS") != 0 && strcmp(st, "FAIL") != 0;
        models += ea_ear_is_model(in->docs[i]) != 0;
    }
    ea_rw_p(w, "Entropy the evidence supports: %s bits of min-entropy per %s-bit sample, the lowest final "
               "estimate over the %zu operational environment%s, against the claim H_submitter = %s. %s",
            ea_ear_num(h, b[0]), ea_ear_at(in->docs[0], "claim.bits_per_sample", b[1]), in->n,
            in->n == 1 ? "" : "s",
            ea_ear_mixed(in, why, sizeof why) != 0 ? "? (the collections differ: section 1)"
                                                   : ea_ear_at(in->docs[0], "claim.h", b[2]),
            fail ? "The evidence does NOT support the claim on every operational environment (verdict FAIL above)."
            : inc ? "The evidence is INCOMPLETE: the reasons above must be resolved before the claim can stand."
                  : "Every operational environment passes: the claim stands on the statistical evidence.");
    if (models > 0)
        ea_rw_p(w, "WARNING: %zu of the %zu collections come from a built-in model of a noise source, not "
                   "from an entropy source: their numbers cannot support a claim for one.", models, in->n);
}

static void conditioned_lines(ea_rw *w, const ea_ear_input *in)
{
    char b[3][32];

    for (size_t i = 0; i < in->n; i++) {
        const json_t *d = in->docs[i];
        if (strcmp(ea_report_str(d, "conditioning.status", ""), "ran") == 0)
            ea_rw_li(w, "OE %zu, after the conditioning component (section %d): %s bits of min-entropy per %s-bit "
                        "output (%s per bit)", i + 1, EA_EAR_CONDITIONING, ea_ear_at(d, "conditioning.h_out", b[0]),
                     ea_ear_at(d, "conditioning.details.n_out", b[1]),
                     ea_ear_at(d, "conditioning.details.h_out_per_bit", b[2]));
    }
    ea_rw_end_list(w);
}

void ea_ear_conclusion(ea_rw *w, const ea_ear_input *in)
{
    size_t c[6], total;

    ea_ear_section(w, EA_EAR_CONCLUSION);
    final_table(w, in);
    verdict_line(w, in);
    conditioned_lines(w, in);
    shall_counts(in, c, &total);
    ea_rw_p(w, "Of the %zu SP 800-90B requirements in section %d: %zu met by the evidence, %zu met in part "
               "(the vendor completes them), %zu for the vendor to document, %zu not applicable, %zu NOT MET "
               "and %zu MISSING evidence.", total, EA_EAR_SHALL, c[EA_SHALL_MET], c[EA_SHALL_PARTLY],
            c[EA_SHALL_VENDOR], c[EA_SHALL_NA], c[EA_SHALL_NOT_MET], c[EA_SHALL_MISSING]);
    ea_ear_vendor(w, "the conclusion the vendor draws: the entropy rate claimed for the entropy source, the "
                     "operational environments it is claimed for, and how the open points above were resolved.");
}

/* ------------------------------------------------------------ 13 */

/*
 * A directory as one shell word (malloc'd, or NULL): quoted where it needs it, whole
 * however long, and "./" before a relative one that starts with '-' (not an option).
 */
static char *dir_word(const char *dir)
{
    size_t n = 4 * strlen(dir) + 8;
    char *plain = malloc(strlen(dir) + 3), *q = malloc(n), *word = NULL;

    if (plain != NULL && q != NULL) {
        snprintf(plain, strlen(dir) + 3, "%s%s", dir[0] == '-' ? "./" : "", dir);
        word = strdup(ea_ear_shq(plain, q, n));
    }
    free(plain);
    free(q);
    return word;
}

/* The commands of one collection, run from its directory. */
static char *commands(const ea_ear_input *in, size_t i)
{
    const json_t *cmds = ea_report_get(in->docs[i], "reproduce"), *c;
    char *all = NULL, *q = dir_word(in->dirs[i]);
    size_t len = 0, k;
    int verify = 0;
    FILE *m = q != NULL ? open_memstream(&all, &len) : NULL;

    if (m == NULL) {
        free(q);
        return NULL;
    }
    fprintf(m, "cd %s\n", q);
    free(q);
    json_array_foreach(cmds, k, c)
        verify |= json_is_string(c) && strncmp(json_string_value(c), "ea90b verify", 12) == 0;
    if (!verify)
        fputs("ea90b verify .\n", m);
    json_array_foreach(cmds, k, c)
        fprintf(m, "%s\n", json_is_string(c) ? json_string_value(c) : "# ?");
    if (fclose(m) != 0) {
        free(all);
        return NULL;
    }
    if (len > 0 && all[len - 1] == '\n')
        all[len - 1] = '\0';
    return all;
}

static void reproduce_oe(ea_rw *w, const ea_ear_input *in, size_t i)
{
    const json_t *d = in->docs[i];
    char e[3][4200], *cmds;

    ea_ear_oe_heading(w, in, i, "reproduce");
    ea_rw_table(w, "item|value");
    ea_rw_row(w, "collection|%s", ea_ear_esc(w, in->dirs[i], e[0], sizeof e[0]));
    ea_rw_row(w, "recorded by|%s", ea_ear_esc(w, ea_report_str(d, "collection.manifest.command_line", "?"), e[1],
                                               sizeof e[1]));
    ea_rw_row(w, "assessed by|%s (ea90b %s, %s)", ea_ear_esc(w, ea_report_str(d, "commandline", "?"), e[2], sizeof e[2]),
              ea_report_str(d, "tool.version", "?"), ea_report_str(d, "generated", "?"));
    ea_rw_row(w, "seed (permutation tests, restart simulation)|%s (%s)", ea_report_str(d, "iid.seed", "?"),
              ea_report_str(d, "iid.seed_source", "as recorded"));
    ea_rw_row(w, "manifest.json SHA-256|%s", ea_report_str(d, "collection.manifest_sha256", "?"));
    ea_rw_row(w, "every number at full precision|%s/report/report.json", ea_ear_esc(w, in->dirs[i], e[0], sizeof e[0]));
    ea_rw_end_table(w);
    if ((cmds = commands(in, i)) != NULL)
        ea_rw_code(w, cmds);
    free(cmds);
}

/* The command that writes this draft again. */
static void ear_command(ea_rw *w, const ea_ear_input *in)
{
    char *all = NULL, *q;
    size_t len = 0;
    FILE *m = open_memstream(&all, &len);

    if (m == NULL)
        return;
    fputs("ea90b ear", m);
    for (size_t i = 0; i < in->n; i++) {
        q = dir_word(in->dirs[i]);
        fprintf(m, " %s", q != NULL ? q : "?");
        free(q);
    }
    fputs(" -o EAR_DIR", m);
    if (fclose(m) == 0)
        ea_rw_code(w, all);
    free(all);
}

void ea_ear_reproduce(ea_rw *w, const ea_ear_input *in)
{
    ea_ear_section(w, EA_EAR_REPRODUCE);
    ea_rw_p(w, "Every number in sections %d to %d comes from the files of one collection and recomputes "
               "from them: ea90b verify checks each file against the SHA-256 in the collection's manifest, "
               "then each command below prints or writes the numbers of one stage, with the seed and the "
               "claim recorded here. Recording again (the collection's command line) gives new samples, not "
               "the same numbers. This draft itself comes from the reports with:",
            EA_EAR_DATA, EA_EAR_CONCLUSION);
    ear_command(w, in);
    for (size_t i = 0; i < in->n; i++)
        reproduce_oe(w, in, i);
}
