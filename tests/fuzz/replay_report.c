/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay_report.c - run fuzz_report over files, or over generated edge
 * cases when given none: a valid report (a trimmed `ea90b assess` report)
 * and its truncations and single-byte mutations; each required member
 * missing or of every wrong type; huge, negative and tiny numbers where
 * the gate and the renderers read numbers (2^63 samples, widths no int
 * holds); markup, '/' and '..' in the strings the renderers print; long
 * and non-string arrays; series of 0, 1, 2, 5 and 200 runs, with bad
 * values; nested garbage; duplicate keys; empty input.
 * With -o DIR the cases are also written to DIR (a libFuzzer seed corpus).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cases;
static const char *outdir;

static void run(const char *text, size_t len)
{
    if (outdir != NULL) {
        char path[4096];
        FILE *f;
        snprintf(path, sizeof path, "%s/report-%04d.json", outdir, cases);
        if ((f = fopen(path, "wb")) == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
            fprintf(stderr, "replay: cannot write %s\n", path);
            exit(1);
        }
    }
    LLVMFuzzerTestOneInput((const uint8_t *)text, len);
    cases++;
}

static void run_str(const char *text)
{
    run(text, strlen(text));
}

/* The members of a valid report, each as JSON text (split: C11 only promises 4095-byte literals). */
static const char *const members[][2] = {
    { "schema",
      "\"ea90b-report\"" },
    { "schema_version",
      "1" },
    { "complete",
      "true" },
    { "tool",
      "{\"name\":\"ea90b\",\"version\":\"0.1.0\",\"nist_compat\":\"1.1.7\"}" },
    { "generated",
      "\"2026-12-07T04:03:51Z\"" },
    { "commandline",
      "\"ea90b assess --claim 0.5 c1\"" },
    { "collection",
      "{\"directory\":\"c1\",\"manifest_sha256\":\"779c871dad6f7d7f09a5a68a0d1d5b1ac04d0d0b4aab"
      "3ce6457da0dd072f2051\",\"manifest\":{\"format\":\"ea90b-collection\",\"format_version\":"
      "1,\"complete\":true,\"tool\":{\"name\":\"ea90b\",\"version\":\"0.1.0\"},\"command_line\""
      ":\"ea90b collect -o c1\",\"host\":{\"hostname\":\"vm\",\"cpu\":{\"model_name\":\"AMD EPY"
      "C\",\"logical_cores\":2},\"kernel\":{\"release\":\"6.1\"},\"virtualization\":{\"detected"
      "\":\"kvm\"}},\"source\":{\"name\":\"memtouch\",\"timer\":\"rdtsc\"},\"extraction\":{\"ma"
      "sk\":\"0x3\",\"bits\":2,\"divide_gcd\":true,\"divisor\":26},\"samples\":20000,\"restarts"
      "\":{\"rows\":4,\"cols\":5,\"mode\":\"inproc\",\"seconds\":0.0067679680000765075,\"resume"
      "s\":[]},\"files\":{\"raw.u64\":{\"bytes\":160000,\"samples\":20000,\"sha256\":\"b9d332ba"
      "bbd97be7a51df36771584b401c18fe199c5f588e0dca9de845b3de9a\"},\"samples.bin\":{\"bytes\":2"
      "0000,\"samples\":20000,\"sha256\":\"a2e20e11c7bd3c4e2dfea1e8938c24114720374821e6fd8bf6ac"
      "eb7bef285732\"}}},\"files\":{\"raw.u64\":{\"bytes\":160000,\"samples\":20000,\"sha256\":"
      "\"b9d332babbd97be7a51df36771584b401c18fe199c5f588e0dca9de845b3de9a\"},\"samples.bin\":{"
      "\"bytes\":20000,\"samples\":20000,\"sha256\":\"a2e20e11c7bd3c4e2dfea1e8938c2411472037482"
      "1e6fd8bf6aceb7bef285732\"},\"restart.u64\":{\"bytes\":160,\"samples\":20,\"sha256\":\"32"
      "6147cb3d78f114dbd1cadf57eca0745ebf089289e0f2c1a58097a1d6751828\"},\"restart.bin\":{\"byt"
      "es\":20,\"samples\":20,\"sha256\":\"929b7acbf0887ec367fc1c1dd1be91d3b0f0970fbc9005b25191"
      "9467d70bcd98\"}},\"source_kind\":\"model\",\"source\":\"built-in model of a memory-acces"
      "s jitter source, not a certified library\"}" },
    { "claim",
      "{\"h\":0.5,\"source\":\"--claim\",\"osr\":null,\"bits_per_sample\":2,\"iid\":false}" },
    { "data",
      "{\"file\":\"samples.bin\",\"samples\":20000,\"bits_per_symbol\":2,\"data_bits\":2,\"alph"
      "abet_size\":4,\"min\":0,\"max\":3,\"mean\":1.4941,\"max_share\":0.2519,\"histogram\":[50"
      "09,5038,5015,4938],\"autocorrelation\":[0.0050228794938012924,0.0025422913281601205,0.00"
      "33959331492987538,0.005193366931069506]}" },
    { "iid",
      "{\"seed\":\"17289340189134399608\",\"seed_source\":\"getrandom\",\"permutation_skipped\""
      ":false,\"report\":{\"options\":{\"scheduling\":\"decisive\"},\"min_entropy\":{\"literal_"
      "mcv\":{\"mode\":5038,\"p_hat\":0.2519,\"p_u\":0.25980691100154574,\"h\":1.94448828713834"
      "04},\"bitstring_mcv\":{\"mode\":20071,\"p_hat\":0.501775,\"p_u\":0.5082146131770512,\"h"
      "\":0.976490235720101},\"h_original\":1.9444882871383404,\"h_bitstring\":0.97649023572010"
      "1,\"h_assessed\":1.9444882871383404},\"chi_square\":{\"independence\":{\"score\":4.97175"
      "4493758252,\"df\":12,\"p_value\":0.9589157195896636,\"passed\":true},\"goodness_of_fit\""
      ":{\"score\":31.641615114162736,\"df\":27,\"p_value\":0.24561736248455118,\"passed\":true"
      "},\"passed\":true},\"lrs_test\":{\"p_col\":0.25001398499996125,\"W\":16,\"p_x_ge_1\":0.0"
      "4546943145206933,\"passed\":true},\"permutation\":{\"permutations_run\":81,\"decided_ear"
      "ly\":false,\"statistics\":[{\"name\":\"excursion\",\"original\":186.2112000000001,\"C0\""
      ":6,\"C1\":0,\"C2\":35,\"computed\":true,\"settled\":true,\"passed\":true},{\"name\":\"nu"
      "mDirectionalRuns\",\"original\":12476.0,\"C0\":6,\"C1\":0,\"C2\":6,\"computed\":true,\"s"
      "ettled\":true,\"passed\":true}],\"passed\":true},\"iid\":true}}" },
    { "noniid",
      "{\"report\":{\"estimators\":{\"literal\":{\"mcv\":{\"h\":1.9444882871383404},\"t_tuple\""
      ":{\"h\":1.75241644292717},\"lrs\":{\"h\":1.6839960583037172},\"multi_mcw\":{\"h\":1.9608"
      "72517800634},\"lag\":{\"h\":1.9622011093083762},\"multi_mmc\":{\"h\":1.9621293355732492}"
      ",\"lz78y\":{\"h\":1.9656046375871608}},\"bitstring\":{\"mcv\":{\"h\":0.976490235720101},"
      "\"collision\":{\"h\":0.7981722354253963},\"markov\":{\"h\":0.9962379819053013},\"compres"
      "sion\":{\"h\":0.7040441791296393},\"t_tuple\":{\"h\":0.8854854108612215},\"lrs\":{\"h\":"
      "0.8758123770940118},\"multi_mcw\":{\"h\":0.9800617628690527},\"lag\":{\"h\":0.9842820803"
      "075156},\"multi_mmc\":{\"h\":0.9851027779317174},\"lz78y\":{\"h\":0.9793624286701723}}},"
      "\"results\":{\"h_original\":1.6839960583037172,\"h_bitstring\":0.7040441791296393,\"h_as"
      "sessed\":1.4080883582592787},\"warnings\":[\"data contains less than 1000000 samples\"]}"
      "}" },
    { "restart",
      "{\"status\":\"skipped\",\"reason\":\"needs exactly 1000 x 1000 samples, got 4 x 5\"}" },
    { "health",
      "{\"status\":\"ran\",\"h\":0.5,\"alpha_log2\":20,\"binary\":false,\"rct_cutoff\":41,\"apt"
      "_window\":512,\"apt_cutoff\":410,\"rct_failures\":0,\"apt_failures\":0,\"passed\":true}" },
    { "conditioning",
      "{\"status\":\"not requested\",\"reason\":\"no --conditioning parameters given\"}" },
    { "reproduce",
      "[\"ea90b verify .\",\"ea90b iid --seed 17289340189134399608 samples.bin 2\"]" },
    { "verdict",
      "{\"status\":\"INCOMPLETE\",\"track\":\"non-iid\",\"iid_passed\":true,\"iid_claim\":false"
      ",\"track_reason\":\"no IID claim (--iid-claim): the non-IID track decides; the IID tests"
      " passed and are reported for information\",\"h_assessed\":1.4080883582592787,\"h_claim\""
      ":0.5,\"h_i\":0.5,\"h_final\":0.0,\"claim_supported\":true,\"restart_passed\":null,\"heal"
      "th_passed\":true,\"enough_samples\":false,\"reasons\":[\"no restart test result (restart"
      ".bin missing or stage skipped)\",\"only 20000 samples: section 3.1.1 requires at least 1"
      ",000,000 (and restart data of exactly 1000 x 1000)\"]}" },
};

static json_t *valid(void)
{
    json_t *doc = json_object();

    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        json_t *v = json_loads(members[i][1], JSON_DECODE_ANY, NULL);
        if (v == NULL || json_object_set_new(doc, members[i][0], v) != 0)
            abort();
    }
    return doc;
}

static void run_doc(const json_t *doc)
{
    char *s = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);

    if (s == NULL)
        abort();
    run_str(s);
    free(s);
}

/* doc with the value at a dotted path replaced (NULL: removed); objects made on the way. */
static void run_with(const char *path, json_t *value)
{
    json_t *doc = valid(), *cur = doc;
    char key[128];

    for (;;) {
        size_t n = strcspn(path, ".");
        memcpy(key, path, n);
        key[n] = '\0';
        if (path[n] == '\0')
            break;
        path += n + 1;
        if (!json_is_object(json_object_get(cur, key)))
            json_object_set_new(cur, key, json_object());
        cur = json_object_get(cur, key);
    }
    if (value != NULL)
        json_object_set_new(cur, key, value);
    else
        json_object_del(cur, key);
    run_doc(doc);
    json_decref(doc);
}

static const char *const required[] = {
    "schema", "schema_version", "complete", "tool.name", "tool.version", "generated",
    "commandline", "collection.directory", "collection.manifest_sha256", "collection.manifest",
    "collection.files", "claim.h", "claim.bits_per_sample", "claim.source", "data.samples",
    "data.bits_per_symbol", "data.histogram", "data.autocorrelation", "iid.seed", "iid.report",
    "noniid.report", "restart.status", "health.status", "conditioning.status", "verdict.status",
    "verdict.track", "verdict.h_assessed", "verdict.claim_supported", "reproduce",
};

static const char *const wrong[] = { "null", "\"s\"", "7", "0.5", "[]", "{}", "true", "-1" };

static void required_members(void)
{
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        run_with(required[i], NULL);
        for (size_t k = 0; k < sizeof wrong / sizeof wrong[0]; k++)
            run_with(required[i], json_loads(wrong[k], JSON_DECODE_ANY, NULL));
    }
}

static const char *const numeric[] = {
    "verdict.h_assessed", "verdict.h_final", "verdict.h_i", "data.samples", "data.bits_per_symbol",
    "claim.h", "claim.bits_per_sample", "noniid.report.results.h_original",
    "noniid.report.results.h_bitstring", "noniid.report.estimators.bitstring.mcv.h",
    "noniid.report.estimators.literal.lrs.h", "iid.report.min_entropy.h_assessed",
    "collection.manifest.host.cpu.logical_cores", "data.alphabet_size", "data.max_share",
};

static const char *const extremes[] = {
    "0", "-1", "1e308", "-1e308", "5e-324", "9223372036854775807", "-9223372036854775808",
    "9.2233720368547758e18", "1e19", "2147483648", "-2147483649", "8", "0.0", "-0.0",
};

static void numbers(void)
{
    for (size_t i = 0; i < sizeof numeric / sizeof numeric[0]; i++)
        for (size_t k = 0; k < sizeof extremes / sizeof extremes[0]; k++)
            run_with(numeric[i], json_loads(extremes[k], JSON_DECODE_ANY, NULL));
}

static const char *const texts[] = {
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "../../etc", "a/b/../c", "",
    "%s%n%x", "&amp;&lt;", "|pipe|cell|", "line\nbreak\r\n", "\xc3\xa9t\xc3\xa9", "**bold** `code`",
};

static const char *const text_paths[] = {
    "collection.directory", "verdict.status", "verdict.track", "collection.manifest.host.hostname",
    "collection.manifest.source.name", "collection.manifest.source.executable.path",
    "claim.source", "restart.status", "health.status", "conditioning.status",
};

static void strings(void)
{
    char *big = malloc(5001);

    for (size_t i = 0; i < sizeof text_paths / sizeof text_paths[0]; i++)
        for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
            run_with(text_paths[i], json_string(texts[k]));
    if (big == NULL)
        abort();
    memset(big, '<', 5000);
    big[5000] = '\0';
    run_with("collection.directory", json_string(big));
    run_with("verdict.reasons", json_pack("[s,s]", big, big));
    free(big);
    for (size_t k = 0; k < 6; k++) {
        static const char *const st[] = { "PASS", "FAIL", "INCOMPLETE", "pass", "", "?" };
        run_with("verdict.status", json_string(st[k]));
    }
}

/* Arrays of the wrong length or element type; deep nesting. */
static void arrays(void)
{
    json_t *a = json_array(), *deep = json_array();

    for (int i = 0; i < 3000; i++)
        json_array_append_new(a, json_integer(i * 7919 % 1000));
    run_with("data.histogram", json_deep_copy(a));
    run_with("data.autocorrelation", json_deep_copy(a));
    run_with("verdict.reasons", a);
    run_with("data.histogram", json_pack("[s,n,{},[],f,I]", "x", -1e300, (json_int_t)INT64_MIN));
    run_with("data.autocorrelation", json_pack("[n,s,b]", "1", 1));
    run_with("verdict.reasons", json_pack("[i,n,{s:s}]", 1, "a", "b"));
    run_with("iid.report.permutation.statistics", json_pack("[i,{s:i},[]]", 1, "name", 2));
    run_with("reproduce", json_pack("[i,s,n]", 3, "ea90b verify ."));
    for (int i = 0; i < 1000; i++) {
        json_t *up = json_array();
        json_array_append_new(up, deep);
        deep = up;
    }
    run_with("collection.manifest.host", deep);
}

/* A series (collect --runs K): its runs' values, well formed or not. */
static void series(void)
{
    static const char *const runs[] = {
        "[]", "[{\"h\":1.2}]", "[{\"h\":1.2},{\"h\":1.3}]",
        "[{\"h\":1.2},{\"h\":1.3},{\"h\":1.1},{\"h\":1.25},{\"h\":1.4}]",
        "[{\"h\":1.2},{\"h\":\"x\"}]", "[{\"h\":-1},{\"h\":1}]", "[1,2,3]", "[null,{}]",
        "[{\"h\":1e308},{\"h\":0},{\"h\":5e-324}]", "[{\"h\":1},{\"h\":1},{\"h\":1}]",
    };
    json_t *many = json_array();

    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        run_with("series.values", json_loads(runs[i], 0, NULL));
    for (int i = 0; i < 200; i++)
        json_array_append_new(many, json_pack("{s:f}", "h", 1.0 + (i * 37 % 101) / 1000.0));
    run_with("series.values", many);
    run_with("series", json_pack("{s:s}", "values", "x"));
}

static void text_level(void)
{
    static const char *const raw[] = {
        "", " ", "{", "}", "[]", "{}", "null", "0", "\"ea90b-report\"", "{\"schema\":",
        "\xef\xbb\xbf{}", "{\"schema\":\"ea90b-report\",\"schema\":\"ea90b-report\"}", "[[[[[[[[",
        "{\"a\":1}{\"b\":2}", "{\"schema\":\"ea90b-report\\u0000\"}",
    };
    json_t *doc = valid();
    char *s = json_dumps(doc, JSON_COMPACT);
    size_t n = strlen(s);
    char *m = malloc(n + 64);

    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        run_str(raw[i]);
    run("{\0}", 3);                                           /* a NUL byte */
    if (m == NULL)
        abort();
    for (size_t len = 0; len < n; len += 97)                  /* truncations */
        run(s, len);
    for (size_t pos = 0; pos < n; pos += 29)                  /* single-byte mutations */
        for (int k = 0; k < 3; k++) {
            memcpy(m, s, n);
            m[pos] = "0\"}"[k];
            run(m, n);
        }
    memcpy(m, s, n - 1);                                      /* a duplicate key */
    memcpy(m + n - 1, ",\"complete\":true}", 18);
    run_str(m);
    free(m);
    free(s);
    json_decref(doc);
}

static void generated(void)
{
    json_t *doc = valid();

    run_doc(doc);
    json_decref(doc);
    text_level();
    required_members();
    numbers();
    strings();
    arrays();
    series();
    printf("fuzz report replay: %d generated cases passed\n", cases);
}

static int replay_file(const char *path)
{
    static uint8_t buf[1000001];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0;

    if (argc == 3 && strcmp(argv[1], "-o") == 0) {
        outdir = argv[2];
        argc = 1;
    }
    if (argc < 2)
        generated();
    for (int i = 1; i < argc; i++)
        bad |= replay_file(argv[i]);
    return bad;
}
