/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear_convert.c - the converters of `ea90b ear` (ear_convert.h).
 *
 * pandoc turns ear.md into ear.docx, embedding the plots/ files the
 * Markdown links; it resolves those links against its working directory,
 * so it runs inside the output directory. Without rsvg-convert (Debian's
 * librsvg2-bin) pandoc 2.17 embeds each SVG with no PNG fallback (Word 2016
 * and later draw it; LibreOffice 7.4 leaves an empty frame); with it, a
 * PNG rendering goes first and the SVG beside it.
 *
 * Headless Chromium prints ear.html to ear.pdf. Since Chromium 131 it lays
 * out CSS page-margin boxes, so the page's own @page rules ("Page N of M"
 * at the bottom, "DRAFT" at the top) number the pages; when a page defines
 * margin boxes Chromium draws none of its own header and footer (date,
 * title, URL), and --no-pdf-header-footer turns those off for any page.
 * Inline SVG prints as vectors. Chromium runs with a fresh profile in a
 * temporary directory, removed afterwards; --no-sandbox because its
 * sandbox cannot start as root or in most containers, and the page is the
 * command's own (no script, nothing fetched).
 *
 * Both run through ea_run_program (collector/spawn.c): no shell, a process
 * group of their own killed at the time limit, the first line of standard
 * error kept for the message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collection.h"
#include "ear_convert.h"
#include "outfile.h"

/*
 * The draft's Markdown is CommonMark with pipe tables. pandoc's own dialect reads it
 * the same and gives the tables page-wide columns (its gfm reader leaves them to the
 * word processor, which packs them narrow); its extras that could misread plain text
 * are off: smart quotes and dashes ("--osr" stays), TeX, citations, sub/superscript,
 * letter lists, example and definition lists, metadata blocks.
 */
#define DOCX_FROM "markdown-smart-tex_math_dollars-raw_tex-citations-subscript-superscript-fancy_lists" \
                  "-example_lists-definition_lists-yaml_metadata_block"
/* Seconds a conversion may take (Chromium prints a long draft in a few). */
#define CONV_TIMEOUT 180.0

static const char *const pandoc_names[] = { "pandoc", NULL };
static const char *const chromium_names[] = { "chromium", "chromium-browser", "google-chrome", NULL };

const ea_converter ea_conv_pandoc = { "EA90B_PANDOC", pandoc_names, "pandoc" };
const ea_converter ea_conv_chromium = { "EA90B_CHROMIUM", chromium_names, "chromium" };

static int executable(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* name looked up in PATH (a name with a slash as it is): 0 with its path, or -1. */
static int lookup(const char *name, char *path, size_t n)
{
    const char *dirs = getenv("PATH"), *p;

    if (strchr(name, '/') != NULL)
        return executable(name) && snprintf(path, n, "%s", name) < (int)n ? 0 : -1;
    if (dirs == NULL || *dirs == '\0')
        dirs = "/usr/local/bin:/usr/bin:/bin";
    for (p = dirs;; p++) {
        size_t len = strcspn(p, ":");
        char dir[4096];
        if (len > 0 && len < sizeof dir) {
            memcpy(dir, p, len);
            dir[len] = '\0';
            if (ea_path_join(path, n, dir, name, NULL, 0) == EA_OK && executable(path))
                return 0;
        }
        p += len;
        if (*p == '\0')
            return -1;
    }
}

int ea_conv_on_path(const char *name)
{
    char path[4096];

    return lookup(name, path, sizeof path) == 0;
}

/*
 * path made absolute against the working directory: pandoc runs inside the output
 * directory, where a relative EA90B_PANDOC=./pandoc or PATH entry would name nothing.
 */
static int absolute(char *path, size_t n, char *why, size_t wn)
{
    char cwd[4096], rel[4096];

    if (path[0] == '/')
        return 0;
    snprintf(rel, sizeof rel, "%s", path);
    if (getcwd(cwd, sizeof cwd) == NULL || ea_path_join(path, n, cwd, rel, NULL, 0) != EA_OK) {
        snprintf(why, wn, "cannot make '%s' an absolute path", rel);
        return -1;
    }
    return 0;
}

int ea_conv_find(const ea_converter *c, char *path, size_t n, char *why, size_t wn)
{
    const char *want = getenv(c->env);

    if (want != NULL && *want != '\0') {
        if (lookup(want, path, n) == 0)
            return absolute(path, n, why, wn);
        snprintf(why, wn, strchr(want, '/') ? "%s=%s is not an executable file" : "%s=%s is not on PATH",
                 c->env, want);
        return -1;
    }
    for (size_t i = 0; c->names[i] != NULL; i++)
        if (lookup(c->names[i], path, n) == 0)
            return absolute(path, n, why, wn);
    snprintf(why, wn, "no %s on PATH", c->names[0]);
    return -1;
}

static const char *base(const char *path)
{
    const char *s = strrchr(path, '/');

    return s != NULL ? s + 1 : path;
}

/* Run argv to its end within CONV_TIMEOUT: 0 when it exited 0, else -1 and why. */
static int run(char *const argv[], char *why, size_t n)
{
    ea_run_req req = { .argv = argv, .envp = NULL, .max_out = 65536, .timeout = CONV_TIMEOUT };
    ea_run_out out;
    char err[600], said[560] = "";
    int rc = -1;

    if (ea_run_program(&req, &out, err, sizeof err) != EA_OK) {
        snprintf(why, n, "%s", err);
        ea_run_out_free(&out);
        return -1;
    }
    if (out.errline[0] != '\0')
        snprintf(said, sizeof said, " (its standard error began: %.500s)", out.errline);
    if (out.timed_out)
        snprintf(why, n, "%s did not finish within %.0f s", base(argv[0]), CONV_TIMEOUT);
    else if (out.signal != 0)
        snprintf(why, n, "%s was killed by signal %d%s", base(argv[0]), out.signal, said);
    else if (out.exit_code != 0)
        snprintf(why, n, "%s exited with status %d%s", base(argv[0]), out.exit_code, said);
    else
        rc = 0;
    ea_run_out_free(&out);
    return rc;
}

/* dir/name exists and starts with magic (its format's signature). */
static int looks_like(const char *dir, const char *name, const char *magic, char *why, size_t n)
{
    char path[4096], head[8] = { 0 };
    size_t len = strlen(magic);
    FILE *f;

    if (ea_path_join(path, sizeof path, dir, name, NULL, 0) != EA_OK || (f = fopen(path, "rb")) == NULL) {
        snprintf(why, n, "it exited 0 but wrote no %s", name);
        return -1;
    }
    if (fread(head, 1, len, f) != len || memcmp(head, magic, len) != 0) {
        fclose(f);
        snprintf(why, n, "it exited 0 but %s is not a %s file", name, strchr(name, '.') + 1);
        return -1;
    }
    fclose(f);
    return 0;
}

int ea_conv_docx(const char *prog, const char *dir, const char *md, const char *docx, char *why, size_t n)
{
    char p[4096], out[512], in[512];
    char *argv[] = { p, "--quiet", "--from=" DOCX_FROM, "--to=docx", out, in, NULL };
    int here, rc;

    snprintf(p, sizeof p, "%s", prog);
    snprintf(out, sizeof out, "--output=%s", docx);
    snprintf(in, sizeof in, "./%s", md);
    if ((here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || chdir(dir) != 0) {
        snprintf(why, n, "cannot enter '%s': %s", dir, strerror(errno));
        if (here >= 0)
            close(here);
        return -1;
    }
    rc = run(argv, why, n);
    if (fchdir(here) != 0) {
        snprintf(why, n, "cannot return to the working directory: %s", strerror(errno));
        rc = -1;
    }
    close(here);
    return rc == 0 ? looks_like(dir, docx, "PK\003\004", why, n) : -1;
}

/* "file://" and path, every byte outside the unreserved set and '/' percent-encoded. */
static int file_url(const char *path, char *url, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = (size_t)snprintf(url, n, "file://");

    for (const unsigned char *s = (const unsigned char *)path; *s != '\0'; s++) {
        if (o + 4 >= n)
            return -1;
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("-._~/", *s) != NULL) {
            url[o++] = (char)*s;
        } else {
            url[o++] = '%';
            url[o++] = hex[*s >> 4];
            url[o++] = hex[*s & 15];
        }
    }
    url[o] = '\0';
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

int ea_conv_pdf(const char *prog, const char *dir, const char *html, const char *pdf, char *why, size_t n)
{
    char p[4096], src[4096], url[12300], profile[4200], prof_arg[4300], out[4300];
    const char *tmp = getenv("TMPDIR");
    char *argv[] = { p, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--no-pdf-header-footer", "--log-level=3", prof_arg, out, url, NULL };
    int rc;

    snprintf(p, sizeof p, "%s", prog);
    if (ea_path_join(src, sizeof src, dir, html, NULL, 0) != EA_OK || file_url(src, url, sizeof url) != 0 ||
        snprintf(out, sizeof out, "--print-to-pdf=%s/%s", dir, pdf) >= (int)sizeof out) {
        snprintf(why, n, "path too long: %s", dir);
        return -1;
    }
    if (tmp == NULL || *tmp != '/' || strlen(tmp) > 4000)
        tmp = "/tmp";
    snprintf(profile, sizeof profile, "%s/ea90b-chromium-XXXXXX", tmp);
    if (mkdtemp(profile) == NULL) {
        snprintf(why, n, "cannot create a browser profile in %s: %s", tmp, strerror(errno));
        return -1;
    }
    snprintf(prof_arg, sizeof prof_arg, "--user-data-dir=%s", profile);
    rc = run(argv, why, n);
    nftw(profile, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc == 0 ? looks_like(dir, pdf, "%PDF-", why, n) : -1;
}
