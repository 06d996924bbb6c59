/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assess_write.c - DIR/report/ written atomically: the three files go
 * into a fresh DIR/report.tmp-XXXXXX through the one output helper
 * (report.json last, carrying "complete": true), each synced; then the
 * directory is renamed into place, DIR synced and an older report removed. An interrupted or failed run leaves
 * at most a report.tmp-* directory, never a partial DIR/report/.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assess.h"
#include "report.h"

typedef int (*render_fn)(FILE *f, const json_t *doc);

static int render_json(FILE *f, const json_t *doc)
{
    int rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    return rc == 0 && fputc('\n', f) != EOF ? 0 : -1;
}

static int write_one(const char *prog, const char *dir, const char *name, render_fn render,
                     const json_t *doc)
{
    char path[4096];
    ea_outfile o;

    if (ea_join(prog, path, sizeof path, dir, name) != 0 || ea_out_open(prog, path, &o) != 0)
        return 1;
    if (render(o.f, doc) != 0) {
        ea_err(prog, "cannot write '%s': %s", path, strerror(errno ? errno : EIO));
        ea_out_abort(&o);
        return 1;
    }
    return ea_out_commit(prog, &o);
}

void ea_dir_remove_flat(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (ea_path_join(path, sizeof path, dir, e->d_name, NULL, 0) == EA_OK)
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

int ea_dir_swap(const char *prog, const char *dir, const char *tmp, const char *name)
{
    char final[4096], old[4096], oldname[256];
    struct stat st;
    int had_old = 0;

    snprintf(oldname, sizeof oldname, "%s.old-XXXXXX", name);
    if (ea_join(prog, final, sizeof final, dir, name) != 0 ||
        ea_join(prog, old, sizeof old, dir, oldname) != 0)
        return 1;
    if (lstat(final, &st) == 0) {
        if (!S_ISDIR(st.st_mode) || mkdtemp(old) == NULL || rename(final, old) != 0) {
            ea_err(prog, "cannot replace '%s': %s", final,
                   S_ISDIR(st.st_mode) ? strerror(errno) : "not a directory");
            return 1;
        }
        had_old = 1;
    }
    if (rename(tmp, final) != 0) {
        ea_err(prog, "cannot create '%s': %s", final, strerror(errno));
        if (had_old)
            rename(old, final);
        return 1;
    }
    ea_sync_dir(dir);
    if (had_old)
        ea_dir_remove_flat(old);
    return 0;
}

int ea_assess_write(const char *prog, const char *dir, const json_t *doc)
{
    char tmp[4096];
    char err[256];

    if (ea_report_validate(doc, err, sizeof err) != 0) {
        ea_err(prog, "%s: internal error: the report does not match its schema: %s", dir, err);
        return EXIT_DATA;
    }
    if (ea_join(prog, tmp, sizeof tmp, dir, "report.tmp-XXXXXX") != 0)
        return EXIT_DATA;
    if (mkdtemp(tmp) == NULL) {
        ea_err(prog, "cannot create a report directory in '%s': %s", dir, strerror(errno));
        return EXIT_DATA;
    }
    chmod(tmp, 0755);
    if (write_one(prog, tmp, "report.md", ea_report_md, doc) != 0 ||
        write_one(prog, tmp, "report.html", ea_report_html, doc) != 0 ||
        write_one(prog, tmp, "report.json", render_json, doc) != 0 || ea_dir_swap(prog, dir, tmp, "report") != 0) {
        ea_dir_remove_flat(tmp);
        return EXIT_DATA;
    }
    return 0;
}
