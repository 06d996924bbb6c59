/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assessed.c - an assessed collection's report, checked against the
 * collection before a command builds on it (assessed.h): a report whose
 * manifest.json or files changed since `ea90b assess` wrote it no longer
 * describes them, and nothing is derived from it.
 */
#include <string.h>
#include <unistd.h>

#include "assessed.h"
#include "collection.h"
#include "manifest.h"
#include "outfile.h"
#include "report.h"

/* A stale report: the directory's manifest.json no longer matches it. */
static int stale(const char *dir, const json_t *doc, char *why, size_t n)
{
    char path[4096], hex[65], err[512];
    unsigned long long bytes;

    if (ea_path_join(path, sizeof path, dir, "manifest.json", NULL, 0) != EA_OK) {
        snprintf(why, n, "%s: path too long", dir);
        return 1;
    }
    if (access(path, F_OK) != 0)
        return 0;
    if (ea_sha256_file(path, hex, &bytes, err, sizeof err) != EA_OK) {
        snprintf(why, n, "%s: %s", dir, err);
        return 1;
    }
    if (strcmp(hex, ea_report_str(doc, "collection.manifest_sha256", "")) != 0) {
        snprintf(why, n, "%s: the report is stale: manifest.json changed since it was written "
                         "(run ea90b assess again)", dir);
        return 1;
    }
    return 0;
}

/* Every file the report lists must still have its size and SHA-256. */
static int files_changed(const char *dir, const json_t *doc, char *why, size_t n)
{
    json_t *files = ea_report_get(doc, "collection.files"), *v;
    const char *name;
    char path[4096], hex[65], err[512];
    unsigned long long bytes;

    json_object_foreach(files, name, v) {
        double want = ea_report_num(v, "bytes", -1);
        if (ea_path_join(path, sizeof path, dir, name, NULL, 0) != EA_OK) {
            snprintf(why, n, "%s/%s: path too long", dir, name);
            return 1;
        }
        if (ea_sha256_file(path, hex, &bytes, err, sizeof err) != EA_OK) {
            snprintf(why, n, "%s: %s, listed in the report, cannot be read (%s): the report no longer "
                             "describes the collection (run ea90b assess again)", dir, name, err);
            return 1;
        }
        if ((double)bytes != want || strcmp(hex, ea_report_str(v, "sha256", "")) != 0) {
            snprintf(why, n, "%s: %s changed since the report was written (%llu bytes, SHA-256 %s; "
                             "the report has %.0f bytes, %s): run ea90b assess again", dir, name,
                     bytes, hex, want, ea_report_str(v, "sha256", "?"));
            return 1;
        }
    }
    return 0;
}

int ea_report_current(const char *dir, const json_t *doc, char *why, size_t n)
{
    return stale(dir, doc, why, n) || files_changed(dir, doc, why, n);
}

json_t *ea_assessed_load(const char *dir, char *why, size_t n)
{
    char path[4096], err[600];
    json_t *doc;

    if (ea_path_join(path, sizeof path, dir, "report/report.json", NULL, 0) != EA_OK) {
        snprintf(why, n, "%s: path too long", dir);
        return NULL;
    }
    if ((doc = ea_json_load(path, err, sizeof err, NULL)) == NULL) {
        snprintf(why, n, "cannot read the report: %s; run `ea90b assess` on %s first", err, dir);
        return NULL;
    }
    if (ea_report_validate(doc, err, sizeof err) != 0) {
        snprintf(why, n, "'%s' is not a complete ea90b report: %s (run `ea90b assess` on %s again)", path,
                 err, dir);
    } else if (ea_report_current(dir, doc, why, n) == 0) {
        return doc;
    }
    json_decref(doc);
    return NULL;
}
