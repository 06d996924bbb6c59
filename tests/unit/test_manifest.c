/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_manifest.c - collection files, manifests and host facts
 * (collector/manifest.c, collection.c, hostinfo.c; docs/collector.md).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collection.h"
#include "hostinfo.h"
#include "ea90b_collect.h"
#include "manifest.h"
#include "outfile.h"
#include "test_fs.h"

static void put_file(const char *dir, const char *name, const void *b, size_t n)
{
    char err[256];

    cr_assert_eq(ea_write_bytes_file(dir, name, b, n, err, sizeof err), 0, "%s", err);
}

/* FIPS 180-4 example: SHA-256("abc"). */
Test(manifest, sha256_known_answer)
{
    char *d = tu_tmpdir("manifest"), *p = ea_path_join_alloc(d, "abc"), hex[65], err[256];
    unsigned long long bytes = 0;

    put_file(d, "abc", "abc", 3);
    cr_assert_eq(ea_sha256_file(p, hex, &bytes, err, sizeof err), 0);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    cr_assert_eq(bytes, 3);
    free(p);
    p = ea_path_join_alloc(d, "missing");
    cr_assert_eq(ea_sha256_file(p, hex, &bytes, err, sizeof err), EA_ERR_IO);
    cr_assert_not_null(strstr(err, "missing"));
    free(p);
    tu_rmtree(d);
    free(d);
}

Test(manifest, u64_files_are_little_endian_and_round_trip)
{
    const uint64_t v[3] = {1, 0x0102030405060708ull, UINT64_MAX};
    char *d = tu_tmpdir("manifest"), *p = ea_path_join_alloc(d, "x.u64"), err[256];
    unsigned char raw[24];
    uint64_t *back;
    size_t n;
    FILE *f;

    cr_assert_eq(ea_write_u64_file(d, "x.u64", v, 3, err, sizeof err), 0);
    f = fopen(p, "rb");
    cr_assert_eq(fread(raw, 1, 24, f), 24);
    fclose(f);
    cr_assert_eq(raw[0], 1);
    cr_assert_eq(raw[8], 0x08);
    cr_assert_eq(raw[15], 0x01);
    cr_assert_eq(raw[23], 0xff);
    cr_assert_eq(ea_read_u64_file(p, &back, &n, err, sizeof err), 0);
    cr_assert_eq(n, 3);
    cr_assert_eq(memcmp(back, v, sizeof v), 0);
    free(back);
    free(p);
    tu_rmtree(d);
    free(d);
}

Test(manifest, text_file_is_one_decimal_per_line)
{
    const uint64_t v[4] = {0, 7, 300, UINT64_MAX};
    char *d = tu_tmpdir("manifest"), *p = ea_path_join_alloc(d, "raw.txt"), err[256], buf[128] = "";
    FILE *f;
    size_t n;

    cr_assert_eq(ea_write_text_file(d, "raw.txt", v, 4, err, sizeof err), 0);
    f = fopen(p, "r");
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cr_assert_str_eq(buf, "0\n7\n300\n18446744073709551615\n");
    free(p);
    tu_rmtree(d);
    free(d);
}

Test(manifest, atomic_file_abort_leaves_nothing)
{
    char *d = tu_tmpdir("manifest"), *p = ea_path_join_alloc(d, "samples.bin"), err[256];
    ea_ofile f;
    int empty = 1;
    FILE *ls;
    char cmd[300], line[300];

    cr_assert_eq(ea_ofile_begin(&f, p, EA_OFILE_REGULAR, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(ea_ofile_write(&f, "abc", 3, err, sizeof err), EA_OK);
    cr_assert_neq(access(p, F_OK), 0, "the final name appears only on commit");
    ea_ofile_abort(&f);
    snprintf(cmd, sizeof cmd, "ls -A '%s'", d);
    ls = popen(cmd, "r");
    if (fgets(line, sizeof line, ls) != NULL)
        empty = 0;
    pclose(ls);
    cr_assert(empty, "abort removed the temporary");
    free(p);
    tu_rmtree(d);
    free(d);
}

Test(manifest, restart_part_cuts_a_torn_row)
{
    const uint64_t row[4] = {1, 2, 3, 4};
    char *d = tu_tmpdir("manifest"), *p = ea_path_join_alloc(d, EA_COL_RESTART_PART), err[256];
    ea_restart_part rp;
    struct stat st;
    FILE *f;

    cr_assert_eq(ea_restart_part_open(&rp, d, 4, 0, err, sizeof err), 0);
    cr_assert_eq(ea_restart_part_append(&rp, row, err, sizeof err), 0);
    cr_assert_eq(ea_restart_part_append(&rp, row, err, sizeof err), 0);
    cr_assert_eq(ea_restart_part_close(&rp, err, sizeof err), 0);
    f = fopen(p, "ab");
    fwrite("torn", 1, 4, f);   /* a row cut short by a kill */
    fclose(f);
    cr_assert_eq(ea_restart_part_open(&rp, d, 4, 1, err, sizeof err), 0);
    cr_assert_eq(rp.rows_done, 2);
    cr_assert_eq(ea_restart_part_append(&rp, row, err, sizeof err), 0);
    cr_assert_eq(ea_restart_part_close(&rp, err, sizeof err), 0);
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(st.st_size, 3 * 4 * 8);
    free(p);
    tu_rmtree(d);
    free(d);
}

Test(manifest, prepare_refuses_non_empty_unless_forced)
{
    char *d = tu_tmpdir("manifest"), *sub = ea_path_join_alloc(d, "new"), *m = ea_path_join_alloc(d, EA_COL_MANIFEST), err[256];

    cr_assert_eq(ea_coldir_prepare(sub, 0, err, sizeof err), 0, "creates a new directory");
    cr_assert_eq(ea_coldir_prepare(d, 0, err, sizeof err), EA_ERR_NOT_EMPTY);
    cr_assert_not_null(strstr(err, "not empty"));
    put_file(d, EA_COL_MANIFEST, "{}", 2);
    cr_assert_eq(ea_coldir_prepare(d, 1, err, sizeof err), 0, "%s", err);
    cr_assert_neq(access(m, F_OK), 0, "--force removes an earlier manifest");
    free(sub);
    free(m);
    tu_rmtree(d);
    free(d);
}

/* A two-file collection with its manifest. */
static char *make_collection(void)
{
    static const uint8_t sym[5] = {1, 2, 3, 4, 5};
    const uint64_t raw[5] = {1, 2, 3, 4, 5};
    char *d = tu_tmpdir("manifest"), err[256];
    json_t *files = json_object(), *m;

    cr_assert_eq(ea_write_u64_file(d, EA_COL_RAW, raw, 5, err, sizeof err), 0);
    put_file(d, EA_COL_SAMPLES, sym, 5);
    json_object_set_new(files, EA_COL_RAW, ea_manifest_file_entry(d, EA_COL_RAW, 5, err, sizeof err));
    json_object_set_new(files, EA_COL_SAMPLES, ea_manifest_file_entry(d, EA_COL_SAMPLES, 5, err, sizeof err));
    m = json_pack("{s:s,s:i,s:b,s:i,s:n,s:o}", "format", "ea90b-collection", "format_version", 1,
                  "complete", 1, "samples", 5, "restarts", "files", files);
    cr_assert_eq(ea_write_json_file(d, EA_COL_MANIFEST, m, err, sizeof err), 0);
    json_decref(m);
    return d;
}

Test(manifest, file_entry_records_bytes_samples_sha256)
{
    char *d = make_collection(), err[256];
    json_t *e = ea_manifest_file_entry(d, EA_COL_RAW, 5, err, sizeof err);

    cr_assert_not_null(e);
    cr_assert_eq(json_integer_value(json_object_get(e, "bytes")), 40);
    cr_assert_eq(json_integer_value(json_object_get(e, "samples")), 5);
    cr_assert_eq(strlen(json_string_value(json_object_get(e, "sha256"))), 64);
    json_decref(e);
    tu_rmtree(d);
    free(d);
}

Test(manifest, verify_accepts_then_names_the_modified_file)
{
    char *d = make_collection(), err[512];
    static const uint8_t changed[5] = {1, 2, 3, 4, 6};

    cr_assert_eq(ea_col_verify(d, err, sizeof err), 0, "%s", err);
    put_file(d, EA_COL_SAMPLES, changed, 5);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "samples.bin"), "%s", err);
    cr_assert_not_null(strstr(err, "SHA-256"), "%s", err);
    put_file(d, EA_COL_SAMPLES, changed, 4);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "4 bytes"), "%s", err);
    tu_rmtree(d);
    free(d);
}

Test(manifest, verify_rejects_incomplete_collections)
{
    char *d = make_collection(), *s = ea_path_join_alloc(d, EA_COL_STATE), *m = ea_path_join_alloc(d, EA_COL_MANIFEST);
    char err[512];
    json_t *bad = json_pack("{s:s,s:i,s:b,s:{}}", "format", "ea90b-collection", "format_version", 1,
                            "complete", 0, "files");

    put_file(d, EA_COL_STATE, "{}", 2);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, EA_COL_STATE), "%s", err);
    unlink(m);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "--resume"), "%s", err);
    unlink(s);
    cr_assert_eq(ea_write_json_file(d, EA_COL_MANIFEST, bad, err, sizeof err), 0);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "not marked complete"), "%s", err);
    json_decref(bad);
    free(s);
    free(m);
    tu_rmtree(d);
    free(d);
}

Test(manifest, hostinfo_has_every_documented_key)
{
    static const char *const keys[] = {"hostname", "arch", "cpu", "cache", "kernel", "clocksource",
                                       "virtualization", "cgroup", "affinity", "memlock",
                                       "emulated"};
    json_t *h = ea_hostinfo();

    cr_assert_not_null(h);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_assert_not_null(json_object_get(h, keys[i]), "missing %s", keys[i]);
    cr_assert(json_is_integer(json_object_get(json_object_get(h, "affinity"), "count")));
    cr_assert(json_integer_value(json_object_get(json_object_get(h, "affinity"), "count")) >= 1);
    cr_assert_not_null(json_object_get(json_object_get(h, "cpu"), "microcode"));
    cr_assert(json_is_string(json_object_get(json_object_get(h, "kernel"), "release")));
    cr_assert_not_null(json_object_get(json_object_get(h, "kernel"), "arch"));
    json_decref(h);
}

/* Emulated when the running kernel's machine is not the one this program was built for. */
Test(manifest, hostinfo_emulated_follows_the_kernel_arch)
{
    char karch[64], line[64] = "";
    int em = ea_host_emulated(karch, sizeof karch);
    FILE *f = fopen("/proc/sys/kernel/arch", "r");
    json_t *h = ea_hostinfo(), *e;

    cr_assert_not_null(h);
    e = json_object_get(h, "emulated");
    if (f != NULL) {
        cr_assert_not_null(fgets(line, sizeof line, f));
        fclose(f);
        line[strcspn(line, "\n")] = '\0';
        cr_assert_str_eq(karch, line);
    }
    if (f == NULL || ea_host_built_arch() == NULL) {
        cr_assert_eq(em, -1);
        cr_assert(json_is_null(e));
    } else {
        cr_assert_eq(em, strcmp(line, ea_host_built_arch()) != 0);
        cr_assert(json_is_boolean(e));
        cr_assert_eq(json_is_true(e), em == 1);
    }
    json_decref(h);
}

/* Read dir/manifest.json, let `edit` change it, write it back. */
static void edit_manifest(const char *d, void (*edit)(json_t *m))
{
    char *p = ea_path_join_alloc(d, EA_COL_MANIFEST), err[256];
    json_t *m = json_load_file(p, 0, NULL);

    cr_assert_not_null(m);
    edit(m);
    cr_assert_eq(ea_write_json_file(d, EA_COL_MANIFEST, m, err, sizeof err), 0, "%s", err);
    json_decref(m);
    free(p);
}

static void drop_raw(json_t *m)
{
    json_object_del(json_object_get(m, "files"), EA_COL_RAW);
}

static void six_samples(json_t *m)
{
    json_object_set_new(m, "samples", json_integer(6));
}

static void with_restarts(json_t *m)
{
    json_object_set_new(m, "restarts", json_pack("{s:i,s:i,s:s}", "rows", 1, "cols", 5, "mode", "exec"));
}

static void foreign_entry(json_t *m)
{
    json_object_set_new(json_object_get(m, "files"), "notes.txt",
                        json_pack("{s:i,s:i,s:s}", "bytes", 0, "samples", 0, "sha256", ""));
}

static void by_ea90b(json_t *m)
{
    json_object_set_new(m, "tool", json_pack("{s:s,s:s}", "name", "ea90b", "version", "0"));
    json_object_set_new(m, "source", json_pack("{s:s}", "name", "jent"));
    json_object_set_new(m, "extraction", json_pack("{s:s,s:i,s:b,s:i}", "mask", "0xff", "bits", 8,
                                                   "divide_gcd", 0, "divisor", 1));
}

static char *raw_u64_of_four(void)
{
    const uint64_t raw[4] = {1, 2, 3, 4};
    char *d = make_collection(), err[256];
    json_t *e;
    char *p = ea_path_join_alloc(d, EA_COL_MANIFEST);
    json_t *m = json_load_file(p, 0, NULL);

    cr_assert_eq(ea_write_u64_file(d, EA_COL_RAW, raw, 4, err, sizeof err), 0);
    e = ea_manifest_file_entry(d, EA_COL_RAW, 4, err, sizeof err);
    cr_assert_not_null(e);
    json_object_set_new(json_object_get(m, "files"), EA_COL_RAW, e);
    cr_assert_eq(ea_write_json_file(d, EA_COL_MANIFEST, m, err, sizeof err), 0);
    json_decref(m);
    free(p);
    return d;
}

Test(manifest, verify_requires_raw_and_samples)
{
    char *d = make_collection(), *raw = ea_path_join_alloc(d, EA_COL_RAW), err[512];

    edit_manifest(d, drop_raw);
    unlink(raw);   /* the file and its entry gone: still refused */
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "raw.u64 is not listed"), "%s", err);
    free(raw);
    tu_rmtree(d);
    free(d);
}

Test(manifest, verify_cross_checks_sample_counts)
{
    char *d = make_collection(), err[512];

    edit_manifest(d, six_samples);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "samples.bin holds 5 samples, but the collection has 6"), "%s", err);
    tu_rmtree(d);
    free(d);
}

Test(manifest, verify_wants_restart_files_when_restarts_is_set)
{
    char *d = make_collection(), err[512];

    edit_manifest(d, with_restarts);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "restart.bin is not listed"), "%s", err);
    tu_rmtree(d);
    free(d);
}

Test(manifest, verify_refuses_unknown_entries_and_non_objects)
{
    char *d = make_collection(), err[512];

    edit_manifest(d, foreign_entry);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "'notes.txt' is not a file"), "%s", err);
    put_file(d, EA_COL_MANIFEST, "[]\n", 3);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "not a JSON object"), "%s", err);
    cr_assert_null(strstr(err, "line -1"), "%s", err);
    tu_rmtree(d);
    free(d);
}

/* raw.u64 holds every delta that samples.bin was extracted from: for a
 * manifest written by ea90b collect the counts must agree. */
Test(manifest, verify_checks_raw_count_for_ea90b_manifests)
{
    char *d = raw_u64_of_four(), err[512];

    cr_assert_eq(ea_col_verify(d, err, sizeof err), 0, "another producer: %s", err);
    edit_manifest(d, by_ea90b);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "raw.u64 holds 4 samples, but the collection has 5"), "%s", err);
    tu_rmtree(d);
    free(d);
}

Test(manifest, lock_admits_one_run)
{
    char *d = tu_tmpdir("manifest"), *lk = ea_path_join_alloc(d, EA_COL_LOCK), err[256];
    int a = -1, b = -1;

    cr_assert_eq(ea_coldir_lock(d, &a, err, sizeof err), EA_OK, "%s", err);
    cr_assert_geq(a, 0);
    cr_assert_eq(ea_coldir_lock(d, &b, err, sizeof err), EA_ERR_LOCKED);
    cr_assert_eq(b, -1);
    cr_assert_not_null(strstr(err, "in use by another"), "%s", err);
    cr_assert_eq(ea_coldir_prepare(d, 0, err, sizeof err), 0, "the lock file does not count: %s", err);
    ea_coldir_unlock(d, a);
    cr_assert_neq(access(lk, F_OK), 0, "unlock removes the lock file");
    cr_assert_eq(ea_coldir_lock(d, &b, err, sizeof err), EA_OK, "%s", err);
    cr_assert_geq(b, 0, "%s", err);
    ea_coldir_unlock(d, b);
    free(lk);
    tu_rmtree(d);
    free(d);
}

/* The finish: files as NAME.part, manifest.json, then publish (twice is fine). */
Test(manifest, publish_renames_parts_then_drops_the_state)
{
    static const uint8_t sym[5] = {1, 2, 3, 4, 5};
    const uint64_t raw[5] = {1, 2, 3, 4, 5};
    char *d = tu_tmpdir("manifest"), *st = ea_path_join_alloc(d, EA_COL_STATE), *smp = ea_path_join_alloc(d, EA_COL_SAMPLES);
    char err[512];
    json_t *files = json_object(), *m;

    cr_assert_eq(ea_write_u64_file(d, EA_COL_RAW_PART, raw, 5, err, sizeof err), 0);
    put_file(d, EA_COL_SAMPLES_PART, sym, 5);
    put_file(d, EA_COL_STATE, "{}", 2);
    json_object_set_new(files, EA_COL_RAW, ea_manifest_file_entry(d, EA_COL_RAW_PART, 5, err, sizeof err));
    json_object_set_new(files, EA_COL_SAMPLES,
                        ea_manifest_file_entry(d, EA_COL_SAMPLES_PART, 5, err, sizeof err));
    m = json_pack("{s:s,s:i,s:b,s:i,s:n,s:o}", "format", "ea90b-collection", "format_version", 1,
                  "complete", 1, "samples", 5, "restarts", "files", files);
    cr_assert_eq(ea_write_json_file(d, EA_COL_MANIFEST, m, err, sizeof err), 0);
    cr_assert_neq(access(smp, F_OK), 0, "no final name before publish");
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST, "the state file is still there");
    cr_assert_eq(ea_col_publish(d, m, err, sizeof err), 0, "%s", err);
    cr_assert_eq(access(smp, F_OK), 0);
    cr_assert_neq(access(st, F_OK), 0, "publish removes the state");
    cr_assert_eq(ea_col_verify(d, err, sizeof err), 0, "%s", err);
    cr_assert_eq(ea_col_publish(d, m, err, sizeof err), 0, "repeatable: %s", err);
    json_decref(m);
    free(st);
    free(smp);
    tu_rmtree(d);
    free(d);
}

/* ------------------------------------------------------------ writer and checker together */

/* A collection being finished: raw.u64.part, samples.bin.part, restart parts (2 x 3). */
static char *finished_parts(void)
{
    static const uint8_t sym[5] = {1, 2, 3, 4, 5}, rsym[6] = {1, 2, 3, 4, 5, 6};
    const uint64_t raw[5] = {1, 2, 3, 4, 5}, rst[6] = {1, 2, 3, 4, 5, 6};
    char *d = tu_tmpdir("manifest"), err[256];

    cr_assert_eq(ea_write_u64_file(d, EA_COL_RAW_PART, raw, 5, err, sizeof err), EA_OK);
    cr_assert_eq(ea_write_u64_file(d, EA_COL_RESTART_PART, rst, 6, err, sizeof err), EA_OK);
    put_file(d, EA_COL_SAMPLES_PART, sym, 5);
    put_file(d, EA_COL_RESTART_BIN_PART, rsym, 6);
    put_file(d, EA_COL_STATE, "{}", 2);
    return d;
}

/* The writer's manifest for finished_parts(), published; NULL on failure. */
static json_t *write_and_publish(const char *d)
{
    char err[512];
    json_t *files = ea_manifest_files(d, 5, 1, 6, 0, err, sizeof err), *src, *host, *m;
    ea_manifest_desc desc;

    cr_assert_not_null(files, "%s", err);
    src = json_pack("{s:s,s:s,s:i,s:i}", "name", "jent", "timer", "rdtsc", "gcd", 1,
                    "restart_gcd", 1);
    host = json_pack("{s:s}", "arch", "x86_64");
    memset(&desc, 0, sizeof desc);
    desc.command_line = "ea90b collect -o d";
    desc.start_time = "2026-12-07T00:00:00Z";
    desc.end_time = "2026-12-07T00:00:01Z";
    desc.host = host;
    desc.source = src;
    desc.mask = 0xff;
    desc.divisor = 1;
    desc.samples = 5;
    desc.rows = 2;
    desc.cols = 3;
    desc.restart_mode = "exec";
    desc.files = files;
    m = ea_manifest_build(&desc);
    json_decref(files);
    json_decref(src);
    json_decref(host);
    cr_assert_not_null(m);
    cr_assert_eq(ea_write_json_file(d, EA_COL_MANIFEST, m, err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(ea_col_publish(d, m, err, sizeof err), EA_OK, "%s", err);
    return m;
}

Test(manifest, writer_output_passes_the_checker)
{
    char *d = finished_parts(), err[512];
    json_t *m = write_and_publish(d);

    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_OK, "%s", err);
    cr_assert_str_eq(json_string_value(json_object_get(m, "format")), "ea90b-collection");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(m, "extraction"), "mask")),
                     "0xff");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(m, "restarts"), "rows")), 2);
    cr_assert_eq(json_object_size(json_object_get(m, "files")), 4);
    json_decref(m);
    tu_rmtree(d);
    free(d);
}

/* One field of the published manifest changed: the checker must refuse it. */
typedef struct {
    const char *what;      /* dotted path of the field */
    json_t *(*value)(void);
    const char *expect;    /* a fragment of the error */
} tamper;

static json_t *v_other_format(void) { return json_string("ea90b-report"); }
static json_t *v_version_2(void) { return json_integer(2); }
static json_t *v_false(void) { return json_false(); }
static json_t *v_six(void) { return json_integer(6); }
static json_t *v_three(void) { return json_integer(3); }
static json_t *v_zero(void) { return json_integer(0); }
static json_t *v_41(void) { return json_integer(41); }
static json_t *v_hash(void) { return json_string("00"); }
static json_t *v_mask9(void) { return json_string("0x1ff"); }
static json_t *v_bits7(void) { return json_integer(7); }
static json_t *v_null(void) { return json_null(); }
static json_t *v_entry(void) { return json_pack("{s:i,s:i,s:s}", "bytes", 0, "samples", 0, "sha256", ""); }

static void set_path(json_t *m, const char *path, json_t *v)
{
    char buf[128], *dot, *key = buf;
    json_t *o = m;

    snprintf(buf, sizeof buf, "%s", path);
    while ((dot = strchr(key, '.')) != NULL && strncmp(key, "files.", 6) != 0) {
        *dot = '\0';
        o = json_object_get(o, key);
        key = dot + 1;
    }
    if (strncmp(key, "files.", 6) == 0) {   /* file names hold dots: "files.NAME:field" */
        char *colon = strchr(key + 6, ':');
        o = json_object_get(o, "files");
        if (colon != NULL) {
            *colon = '\0';
            o = json_object_get(o, key + 6);
            key = colon + 1;
        } else {
            key += 6;
        }
    }
    cr_assert_not_null(o, "no parent for %s", path);
    json_object_set_new(o, key, v);
}

Test(manifest, every_tampered_field_is_caught)
{
    static const tamper cases[] = {
        {"format", v_other_format, "not an ea90b collection manifest"},
        {"format_version", v_version_2, "unsupported format_version"},
        {"complete", v_false, "not marked complete"},
        {"samples", v_six, "holds 5 samples, but the collection has 6"},
        {"restarts.rows", v_three, "holds 6 samples, but the collection has 9"},
        {"restarts.cols", v_zero, "\"restarts\" must be null or hold positive"},
        {"restarts", v_null, "restart files are listed but"},
        {"extraction.mask", v_mask9, "\"extraction\" is malformed"},
        {"extraction.bits", v_bits7, "\"extraction\" is malformed"},
        {"extraction.divisor", v_zero, "\"extraction\" is malformed"},
        {"source.name", v_null, "names no source"},
        {"files.samples.bin:bytes", v_six, "5 bytes, the manifest says 6"},
        {"files.raw.u64:bytes", v_41, "40 bytes, the manifest says 41"},
        {"files.restart.bin:samples", v_three, "holds 3 samples, but the collection has 6"},
        {"files.restart.u64:sha256", v_hash, "differs from the manifest's 00"},
        {"files.notes.txt", v_entry, "'notes.txt' is not a file"},
    };
    char *d = finished_parts(), err[512];
    json_t *m = write_and_publish(d);

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *t = json_deep_copy(m);
        set_path(t, cases[i].what, cases[i].value());
        cr_assert_eq(ea_manifest_check(d, t, err, sizeof err), EA_ERR_MANIFEST, "%s not caught",
                     cases[i].what);
        cr_assert_not_null(strstr(err, cases[i].expect), "%s: %s", cases[i].what, err);
        json_decref(t);
    }
    cr_assert_eq(ea_manifest_check(d, m, err, sizeof err), EA_OK, "the original still passes: %s",
                 err);
    json_decref(m);
    tu_rmtree(d);
    free(d);
}

Test(manifest, a_changed_or_missing_file_is_caught_after_publishing)
{
    char *d = finished_parts(), *p = ea_path_join_alloc(d, EA_COL_RESTART_BIN), err[512];
    json_t *m = write_and_publish(d);
    static const uint8_t other[6] = {1, 2, 3, 4, 5, 7};

    put_file(d, EA_COL_RESTART_BIN, other, 6);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "restart.bin: SHA-256"), "%s", err);
    unlink(p);
    cr_assert_eq(ea_col_verify(d, err, sizeof err), EA_ERR_MANIFEST);
    cr_assert_not_null(strstr(err, "restart.bin: missing"), "%s", err);
    json_decref(m);
    free(p);
    tu_rmtree(d);
    free(d);
}
