/* SPDX-License-Identifier: Apache-2.0 */
/*
 * esv_cmd - ea90b esv DIR: what NIST's Entropy Source Validation (ESV)
 * server takes, from an assessed collection (DIR/report/report.json):
 *   DIR/esv/raw_noise.bin   the first 1,000,000 samples of samples.bin (of a
 *                           series: the lowest run's, the one the verdict rests on),
 *                           one per byte (SP 800-90B §3.1.1 dataset);
 *   DIR/esv/restart.bin     the 1000 x 1000 restart dataset (§3.1.4.1);
 *   DIR/esv/registration.draft.json  the registration body filled from the
 *                           assessment: bits per sample, IID claim, min-entropy
 *                           estimate, restarts, samples per restart,
 *                           conditioning components. Fields only the vendor
 *                           knows hold "<TO BE FILLED BY THE VENDOR: ...>" and
 *                           the file says "draft": true; never presented as
 *                           complete.
 * Written into DIR/esv.tmp-XXXXXX, then renamed into place.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "assess.h"
#include "collection.h"
#include "commands.h"
#include "report.h"

#define PROG "ea90b esv"
#define ESV_SAMPLES 1000000L
#define FILL "<TO BE FILLED BY THE VENDOR"

static void usage(FILE *f)
{
    fprintf(f, "Usage: ea90b esv DIR\n"
               "Write DIR/esv/: raw_noise.bin and restart.bin (1,000,000 samples each, one per byte)\n"
               "and registration.draft.json for NIST's ESV server, from DIR/report/report.json\n"
               "(run `ea90b assess` first). The registration is a draft: fields only the vendor\n"
               "knows are marked \"" FILL ": ...>\".\n");
}

static int bad(const char *what, const char *arg)
{
    return ea_usage_err(PROG, "ea90b esv", what, arg);
}

static json_t *fill(const char *what)
{
    char buf[512];
    snprintf(buf, sizeof buf, FILL ": %s>", what);
    return json_string(buf);
}

static json_t *load_report(const char *dir)
{
    char path[4096], err[256], why[600];
    json_t *doc;

    if (ea_join(PROG, path, sizeof path, dir, "report/report.json") != 0)
        return NULL;
    if ((doc = ea_json_load(path, why, sizeof why, NULL)) == NULL) {
        ea_err(PROG, "cannot read the report: %s; run `ea90b assess` on %s first", why, dir);
        return NULL;
    }
    if (ea_report_validate(doc, err, sizeof err) != 0) {
        ea_err(PROG, "'%s' is not a complete ea90b report: %s", path, err);
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* Read DIR/name and check it is the file the report assessed. */
static int read_assessed(const char *dir, const json_t *doc, const char *name, ea_input *in)
{
    char path[4096];
    const char *want = json_string_value(
        json_object_get(json_object_get(ea_report_get(doc, "collection.files"), name), "sha256"));

    if (ea_join(PROG, path, sizeof path, dir, name) != 0)
        return 1;
    if (want == NULL) {
        ea_err(PROG, "%s: the assessed collection has no %s; the ESV server needs it", dir, name);
        return 1;
    }
    if (ea_read_input(PROG, path, 0, 0, in) != 0)
        return 1;
    if (strcmp(in->sha256, want) != 0) {
        ea_err(PROG, "%s: SHA-256 %s differs from the assessed file's %s (run ea90b assess again)", path,
               in->sha256, want);
        ea_input_free(in);
        return 1;
    }
    return 0;
}

static int write_bytes(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[4096];

    if (ea_join(PROG, path, sizeof path, dir, name) != 0)
        return 1;
    return ea_write_file(PROG, path, p, n);
}

static json_t *conditioning(const json_t *doc)
{
    json_t *a = json_array(), *c;
    const json_t *d = ea_report_get(doc, "conditioning.details");
    int vetted;

    if (strcmp(ea_report_str(doc, "conditioning.status", ""), "ran") != 0)
        return a;
    vetted = strncmp(ea_report_str(d, "type", ""), "vetted", 6) == 0;
    c = json_object();
    json_object_set_new(c, "sequencePosition", json_integer(1));
    json_object_set_new(c, "vetted", json_boolean(vetted));
    json_object_set_new(c, "bijectiveClaim", fill("true or false"));
    json_object_set_new(c, "description", fill("conditioning component description"));
    json_object_set_new(c, "minNin", json_integer((json_int_t)ea_report_num(d, "n_in", 0)));
    json_object_set_new(c, "minHin", json_real(ea_report_num(d, "h_in", 0)));
    json_object_set_new(c, "nw", json_integer((json_int_t)ea_report_num(d, "nw", 0)));
    json_object_set_new(c, "nOut", json_integer((json_int_t)ea_report_num(d, "n_out", 0)));
    json_object_set_new(c, "hOut", json_real(ea_report_num(d, "h_out", 0)));
    if (vetted)
        json_object_set_new(c, "validationNumber", fill("CAVP/ACVTS certificate of the vetted algorithm"));
    json_array_append_new(a, c);
    return a;
}

static json_t *registration(const json_t *doc, const char *raw_sha, const char *rst_sha)
{
    json_t *reg = json_object(), *body = json_array(), *ver = json_object();
    double h = ea_report_num(doc, "verdict.h_final", 0);
    char src[256];

    snprintf(src, sizeof src, "noise source description (collected with source '%s')",
             ea_report_str(doc, "collection.manifest.source.name", "?"));
    json_object_set_new(reg, "primaryNoiseSource", fill(src));
    /* the submitter's claim (assess --iid-claim), and only when the IID tests support it */
    json_object_set_new(reg, "iidClaim", json_boolean(ea_report_bool(doc, "claim.iid") == 1 &&
                                                      ea_report_bool(doc, "verdict.iid_passed") == 1));
    json_object_set_new(reg, "bitsPerSample", json_integer((json_int_t)ea_report_num(doc, "claim.bits_per_sample", 8)));
    json_object_set_new(reg, "hminEstimate", h > 0 ? json_real(h) : fill("min-entropy estimate: the restart test did not validate one"));
    json_object_set_new(reg, "physical", fill("true for a physical noise source, false for non-physical"));
    json_object_set_new(reg, "itar", fill("true or false"));
    json_object_set_new(reg, "rawNoiseSHA256", json_string(raw_sha));
    json_object_set_new(reg, "numberOfRestarts", json_integer(EA_RESTART_ROWS));
    json_object_set_new(reg, "samplesPerRestart", json_integer(EA_RESTART_COLS));
    json_object_set_new(reg, "restartBitsSHA256", json_string(rst_sha));
    json_object_set_new(reg, "additionalNoiseSources", fill("true or false"));
    json_object_set_new(reg, "conditioningComponent", conditioning(doc));
    json_object_set_new(ver, "esvVersion", json_string("1.0"));
    json_array_append_new(body, ver);
    json_array_append_new(body, reg);
    return body;
}

static int write_draft(const char *tmp, const json_t *doc, const char *raw_sha, const char *rst_sha)
{
    json_t *o = json_object(), *files = json_object();
    char path[4160], *text;
    int rc;

    json_object_set_new(o, "draft", json_true());
    json_object_set_new(o, "status", json_string("DRAFT - not ready to submit: replace every \"" FILL
                                                 ": ...>\" value and review the rest"));
    json_object_set_new(o, "generated_by", json_string("ea90b " EA90B_VERSION " esv"));
    json_object_set_new(o, "assessment", json_pack("{s:s,s:s,s:f,s:f,s:s}", "report", "report/report.json",
                                                   "verdict", ea_report_str(doc, "verdict.status", "?"),
                                                   "claim", ea_report_num(doc, "claim.h", 0), "assessed",
                                                   ea_report_num(doc, "verdict.h_assessed", 0), "manifest_sha256",
                                                   ea_report_str(doc, "collection.manifest_sha256", "")));
    json_object_set_new(files, "rawNoise", json_pack("{s:s,s:I,s:s}", "file", "raw_noise.bin", "samples",
                                                     (json_int_t)ESV_SAMPLES, "sha256", raw_sha));
    json_object_set_new(files, "restart", json_pack("{s:s,s:I,s:s}", "file", "restart.bin", "samples",
                                                    (json_int_t)EA_RESTART_SAMPLES, "sha256", rst_sha));
    json_object_set_new(o, "dataFiles", files);
    json_object_set_new(o, "registration", registration(doc, raw_sha, rst_sha));
    text = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (text == NULL) {
        ea_err(PROG, "out of memory");
        return 1;
    }
    rc = ea_join(PROG, path, sizeof path, tmp, "registration.draft.json") != 0 ||
         ea_write_file(PROG, path, text, strlen(text)) != 0;
    free(text);
    return rc;
}

/* SHA-256 of the first n bytes (the ESV raw-noise file). */
static int sha_prefix(const ea_input *in, size_t n, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;

    if (EVP_Digest(in->data, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
        return 1;
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[64] = '\0';
    return 0;
}

static int make_esv(const char *dir, const json_t *doc, const ea_input *raw, const ea_input *rst)
{
    char tmp[4096], raw_sha[65];

    if (sha_prefix(raw, ESV_SAMPLES, raw_sha) != 0) {
        ea_err(PROG, "cannot hash the raw-noise file");
        return EXIT_DATA;
    }
    if (ea_join(PROG, tmp, sizeof tmp, dir, "esv.tmp-XXXXXX") != 0)
        return EXIT_DATA;
    if (mkdtemp(tmp) == NULL) {
        ea_err(PROG, "cannot create a directory in '%s': %s", dir, strerror(errno));
        return EXIT_DATA;
    }
    chmod(tmp, 0755);
    if (write_bytes(tmp, "raw_noise.bin", raw->data, ESV_SAMPLES) != 0 ||
        write_bytes(tmp, "restart.bin", rst->data, rst->len) != 0 ||
        write_draft(tmp, doc, raw_sha, rst->sha256) != 0 || ea_dir_swap(PROG, dir, tmp, "esv") != 0) {
        ea_dir_remove_flat(tmp);
        return EXIT_DATA;
    }
    return 0;
}

int ea_cmd_esv(int argc, char **argv)
{
    static const struct option longs[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
    ea_input raw = { 0 }, rst = { 0 };
    json_t *doc;
    const char *dir, *sname;
    int c, rc = EXIT_DATA;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        return bad("invalid option", NULL);
    }
    if (optind >= argc)
        return bad("missing collection directory", NULL);
    if (argc - optind > 1)
        return bad("too many operands", argv[optind + 1]);
    dir = argv[optind];
    if ((doc = load_report(dir)) == NULL)
        return EXIT_DATA;
    sname = ea_report_str(doc, "data.file", "samples.bin");
    if (read_assessed(dir, doc, sname, &raw) != 0) {
        rc = EXIT_DATA;
    } else if (raw.len < (size_t)ESV_SAMPLES) {
        ea_err(PROG, "%s/%s holds %zu samples; the ESV server takes %ld", dir, sname, raw.len,
               ESV_SAMPLES);
    } else if (read_assessed(dir, doc, "restart.bin", &rst) != 0) {
        rc = EXIT_DATA;
    } else if (rst.len != (size_t)EA_RESTART_SAMPLES) {
        ea_err(PROG, "%s/restart.bin holds %zu samples; the ESV server takes %d (1000 x 1000)", dir, rst.len,
               EA_RESTART_SAMPLES);
    } else if ((rc = make_esv(dir, doc, &raw, &rst)) == 0) {
        printf("%s/esv/raw_noise.bin      %ld samples\n%s/esv/restart.bin        %d samples\n"
               "%s/esv/registration.draft.json  DRAFT: fill every \"" FILL ": ...>\" field before submitting\n",
               dir, ESV_SAMPLES, dir, EA_RESTART_SAMPLES, dir);
    }
    ea_input_free(&raw);
    ea_input_free(&rst);
    json_decref(doc);
    return rc;
}
