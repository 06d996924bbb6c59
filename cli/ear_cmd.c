/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear_cmd - ea90b ear DIR... [-o EAR_DIR] [--no-pdf] [--no-docx] [-q]: the
 * Entropy Assessment Report draft and the Public Use Document skeleton
 * (reports/ear.h, docs/reading-a-report.md) from assessed collections, one
 * operational environment (OE) each:
 *
 *   ear.md, ear.html     the draft (the Markdown is pandoc's source; the HTML one
 *                        printable page with its plots inline)
 *   plots/oeN-NAME.svg   the plots ear.md links
 *   pud.md, pud.html     the Public Use Document skeleton
 *   ear.docx, pud.docx   editable, by pandoc (--no-docx: not made)
 *   ear.pdf, pud.pdf     print-ready, by headless Chromium (--no-pdf: not made)
 *   SHA256SUMS           every file above as written (sha256sum -c reads it)
 *
 * Every report is read and checked against its collection (assessed.h)
 * before anything is written; the files go into a temporary directory next
 * to the target, renamed into place (DIR/ear with one DIR and no -o). An
 * existing target is replaced only when ea90b ear wrote it and nothing in it
 * changed since (ear.md carries EA_EAR_MD_MARK, every file has the SHA-256
 * SHA256SUMS records): a draft the vendor edited in place is never lost.
 *
 * The converters are optional: one that is missing leaves its formats out
 * with one line naming the Debian package (exit 0); one that is there but
 * fails is an error (exit 1) after the other formats are in place.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assess.h"
#include "assessed.h"
#include "collection.h"
#include "commands.h"
#include "ea90b.h"
#include "ear.h"
#include "ear_convert.h"
#include "manifest.h"
#include "outfile.h"

#define PROG "ea90b ear"
#define SUMS "SHA256SUMS"

typedef struct {
    const char *out;     /* -o EAR_DIR, or NULL */
    int no_pdf, no_docx, quiet;
} ear_opts;

/* Where the files go: parent (absolute) / name, shown as given. */
typedef struct {
    char parent[4096], name[256], shown[4096], final[4096], tmp[4096];
} ear_target;

/* What was written into the temporary directory, in order. */
typedef struct {
    char **name;         /* n of cap, malloc'd */
    size_t n, cap, plots;
    int vendor_sections, sections, vendor_marks;    /* ear.md: sections with places to write, all, places */
    int pud_marked, pud_sections, pud_marks;         /* the same of pud.md */
} ear_files;

/* How a converted format came out. */
enum { FMT_WRITTEN, FMT_OFF, FMT_MISSING, FMT_FAILED };

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: ea90b ear DIR... [-o EAR_DIR] [--no-pdf] [--no-docx] [-q]\n"
            "The Entropy Assessment Report DRAFT and a Public Use Document skeleton from assessed\n"
            "collections (DIR/report/report.json: run `ea90b assess` first), one operational\n"
            "environment each, in the section order of CMVP's EAR template: ear.md, ear.html, plots/,\n"
            "pud.md, pud.html, ear.docx and pud.docx (with pandoc), ear.pdf and pud.pdf (with headless\n"
            "Chromium). Written to DIR/ear/ for one DIR, else to EAR_DIR (-o, needed with several).\n"
            "Parts only the vendor can write are marked \"" EA_EAR_VENDOR_MARK "\".\n"
            "  -o, --output EAR_DIR  the output directory (replaced only if ea90b ear wrote it and\n"
            "                        nothing in it changed since: it keeps their SHA256SUMS)\n"
            "  --no-pdf              do not print ear.pdf and pud.pdf\n"
            "  --no-docx             do not convert to ear.docx and pud.docx\n"
            "  -q, --quiet           no progress lines\n"
            "  -h, --help            this text\n"
            "Converters: EA90B_PANDOC and EA90B_CHROMIUM name the programs (default: pandoc; chromium,\n"
            "chromium-browser or google-chrome on PATH). One that is missing leaves its formats out\n"
            "and says which Debian package to install.\n");
}

static int bad(const char *what, const char *arg)
{
    return ea_usage_err(PROG, "ea90b ear", what, arg);
}

static void note(const ear_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(const ear_opts *o, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    if (o->quiet)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ea_err(PROG, "%s", buf);
}

/* ---------------------------------------------------------------- the target */

/* The output directory, from -o or DIR/ear: 0, or an exit status after a message. */
static int target_of(const char *out, const char *dir, ear_target *t)
{
    char buf[4096], parent[4096], *slash, *real;
    size_t n = strlen(dir);

    while (n > 1 && dir[n - 1] == '/')
        n--;
    if ((out ? snprintf(buf, sizeof buf, "%s", out) : snprintf(buf, sizeof buf, "%.*s/ear", (int)n, dir)) >=
        (int)sizeof buf) {
        ea_err(PROG, "path too long: %s", out ? out : dir);
        return EXIT_DATA;
    }
    n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    snprintf(t->shown, sizeof t->shown, "%s", buf);
    slash = strrchr(buf, '/');
    if (slash == NULL)
        snprintf(parent, sizeof parent, ".");
    else
        snprintf(parent, sizeof parent, "%.*s", slash == buf ? 1 : (int)(slash - buf), buf);
    slash = slash ? slash + 1 : buf;
    if (n == 0 || *slash == '\0' || strcmp(slash, ".") == 0 || strcmp(slash, "..") == 0 ||
        strlen(slash) >= sizeof t->name - 16)
        return bad("-o needs a directory name", out);
    memcpy(t->name, slash, strlen(slash) + 1);   /* shorter than t->name: checked above */
    if ((real = realpath(parent, NULL)) == NULL) {
        ea_err(PROG, "cannot write '%s': %s: %s", t->shown, parent, strerror(errno));
        return EXIT_DATA;
    }
    n = (size_t)snprintf(t->parent, sizeof t->parent, "%s", real);
    free(real);
    if (n >= sizeof t->parent || ea_join(PROG, t->final, sizeof t->final, t->parent, t->name) != 0)
        return EXIT_DATA;
    return 0;
}

/* The first line of path starts with EA_EAR_MD_MARK. */
static int has_mark(const char *path)
{
    char line[64] = "";
    struct stat st;
    FILE *f;

    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || (f = fopen(path, "r")) == NULL)
        return 0;
    if (fgets(line, sizeof line, f) == NULL)
        line[0] = '\0';
    fclose(f);
    return strncmp(line, EA_EAR_MD_MARK, strlen(EA_EAR_MD_MARK)) == 0;
}

static int refuse(const ear_target *t, const char *fmt, const char *what)
{
    char why[4400];

    snprintf(why, sizeof why, fmt, what);
    ea_err(PROG, "'%s' %s: not replacing it (choose another -o, or move it away)", t->shown, why);
    return EXIT_DATA;
}

/* Every entry of dir (sub: its name under the target, "" or "plots/") is ours and unchanged. */
static int all_ours(const ear_target *t, const char *dir, const char *sub, const char *sums)
{
    char path[4096], rel[600], want[65], hex[65], err[512];
    unsigned long long bytes;
    struct dirent *e;
    struct stat st;
    DIR *d = opendir(dir);
    int rc = 0;

    if (d == NULL)
        return refuse(t, "cannot be read (%s)", strerror(errno));
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || (*sub == '\0' && strcmp(e->d_name, SUMS) == 0))
            continue;
        snprintf(rel, sizeof rel, "%s%s", sub, e->d_name);
        if (ea_join(PROG, path, sizeof path, dir, e->d_name) != 0 || lstat(path, &st) != 0)
            rc = EXIT_DATA;
        else if (*sub == '\0' && strcmp(e->d_name, "plots") == 0 && S_ISDIR(st.st_mode))
            rc = all_ours(t, path, "plots/", sums);
        else if (!S_ISREG(st.st_mode) || ea_sums_find(sums, rel, want) == NULL)
            rc = refuse(t, "holds '%s', which ea90b ear did not write", rel);
        else if (ea_sha256_file(path, hex, &bytes, err, sizeof err) != EA_OK || strcmp(hex, want) != 0)
            rc = refuse(t, "holds '%s', changed since ea90b ear wrote it (edited?)", rel);
    }
    closedir(d);
    return rc;
}

/* An existing target is replaced only when all of it is an unchanged output of ours. */
static int target_replaceable(const ear_target *t)
{
    char path[4096], *sums;
    struct stat st;
    int rc;

    if (lstat(t->final, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        ea_err(PROG, "cannot read '%s': %s", t->shown, strerror(errno));
        return EXIT_DATA;
    }
    if (!S_ISDIR(st.st_mode))
        return refuse(t, "exists and is not a directory%s", "");
    if (ea_join(PROG, path, sizeof path, t->final, "ear.md") != 0)
        return EXIT_DATA;
    if (!has_mark(path))
        return refuse(t, "exists and was not written by ea90b ear (no ear.md starting with its mark)%s", "");
    if (ea_join(PROG, path, sizeof path, t->final, SUMS) != 0)
        return EXIT_DATA;
    if ((sums = ea_read_small(path, (size_t)1 << 20)) == NULL)
        return refuse(t, "has no readable " SUMS "%s", "");
    rc = all_ours(t, t->final, "", sums);
    free(sums);
    return rc;
}

/* Remove an output directory of ours: its files, plots/ and itself. */
static void remove_output(const char *dir)
{
    char plots[4096];

    if (ea_path_join(plots, sizeof plots, dir, "plots", NULL, 0) == EA_OK)
        ea_dir_remove_flat(plots);
    ea_dir_remove_flat(dir);
}

/* Rename the temporary directory into place; an older output goes aside, then away. */
static int swap_in(const ear_target *t)
{
    char old[4096], oldname[300];
    int had_old = 0;

    snprintf(oldname, sizeof oldname, "%s.old-XXXXXX", t->name);
    if (ea_join(PROG, old, sizeof old, t->parent, oldname) != 0)
        return EXIT_DATA;
    if (access(t->final, F_OK) == 0) {
        if (mkdtemp(old) == NULL || rename(t->final, old) != 0) {
            ea_err(PROG, "cannot replace '%s': %s", t->shown, strerror(errno));
            return EXIT_DATA;
        }
        had_old = 1;
    }
    if (rename(t->tmp, t->final) != 0) {
        ea_err(PROG, "cannot create '%s': %s", t->shown, strerror(errno));
        if (had_old)
            rename(old, t->final);
        return EXIT_DATA;
    }
    ea_sync_dir(t->parent);
    if (had_old)
        remove_output(old);
    return 0;
}

/* ---------------------------------------------------------------- loading */

static int load_all(char **dirs, size_t n, json_t **docs)
{
    char why[2048];

    for (size_t i = 0; i < n; i++)
        if ((docs[i] = ea_assessed_load(dirs[i], why, sizeof why)) == NULL) {
            ea_err(PROG, "%s", why);
            return EXIT_DATA;
        }
    return 0;
}

/* ---------------------------------------------------------------- writing */

typedef int (*render_fn)(FILE *f, const ea_ear_input *in);

/* A file written: listed as ours (0), or -1 after a message. */
static int adopt(ear_files *fs, const char *name)
{
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? 2 * fs->cap : 64;
        char **p = realloc(fs->name, cap * sizeof *p);
        if (p == NULL) {
            ea_err(PROG, "out of memory");
            return -1;
        }
        fs->name = p;
        fs->cap = cap;
    }
    if ((fs->name[fs->n] = strdup(name)) == NULL) {
        ea_err(PROG, "out of memory");
        return -1;
    }
    fs->n++;
    return 0;
}

/* One file rendered into memory, then written to the temporary directory and listed. */
static int put(ear_files *fs, const ear_target *t, const char *name, const char *text, size_t len)
{
    char path[4096];

    if (ea_join(PROG, path, sizeof path, t->tmp, name) != 0 || ea_write_file(PROG, path, text, len) != 0)
        return -1;
    return adopt(fs, name);
}

/* render (or a plot) into a malloc'd buffer: 0, or -1. */
static int in_memory(render_fn render, const ea_ear_input *in, size_t oe, size_t k, char **buf, size_t *len)
{
    FILE *f = open_memstream(buf, len);
    int rc;

    if (f == NULL)
        return -1;
    rc = render != NULL ? render(f, in) : ea_ear_plot_svg(f, in, oe, k);
    if (fclose(f) != 0)
        rc = -1;
    if (rc != 0) {
        free(*buf);
        *buf = NULL;
    }
    return rc;
}

static int put_rendered(ear_files *fs, const ear_target *t, const char *name, render_fn render,
                        const ea_ear_input *in, size_t oe, size_t k)
{
    char *buf = NULL;
    size_t len = 0;
    int rc;

    if (in_memory(render, in, oe, k, &buf, &len) != 0) {
        ea_err(PROG, "cannot render %s", name);
        return -1;
    }
    rc = put(fs, t, name, buf, len);
    free(buf);
    return rc;
}

/*
 * A place the vendor writes: EA_EAR_VENDOR_MARK opening a paragraph ("MARK:") or
 * filling a table cell ("| MARK |"); not a mention ("sections marked MARK").
 */
static int is_place(const char *text, const char *m)
{
    const char *end = m + strlen(EA_EAR_VENDOR_MARK);

    return *end == ':' || (m - text >= 2 && strncmp(m - 2, "| ", 2) == 0 && strncmp(end, " |", 2) == 0);
}

/* The places in md, and how many sections ("## " headings) hold one. */
static int count_places(const char *md, int *sections, int *marked)
{
    int places = 0, counted = 0;

    *sections = *marked = 0;
    for (const char *l = md; *l != '\0'; l += strcspn(l, "\n"), l += *l == '\n') {
        const char *eol = l + strcspn(l, "\n");
        if (strncmp(l, "## ", 3) == 0) {
            ++*sections;
            counted = 0;
        }
        for (const char *m = l; (m = strstr(m, EA_EAR_VENDOR_MARK)) != NULL && m < eol; m++) {
            if (!is_place(md, m))
                continue;
            places++;
            if (!counted && *sections > 0) {
                ++*marked;
                counted = 1;
            }
        }
    }
    return places;
}

static int put_plots(ear_files *fs, const ear_target *t, const ea_ear_input *in)
{
    char dir[4096], name[300];
    const char *plot;

    for (size_t k = 0; (plot = ea_ear_plot_name(k)) != NULL; k++)
        for (size_t oe = 0; oe < in->n; oe++) {
            if (!ea_ear_plot_has(in, oe, k))
                continue;
            if (fs->plots == 0 && (ea_join(PROG, dir, sizeof dir, t->tmp, "plots") != 0 || mkdir(dir, 0755) != 0)) {
                ea_err(PROG, "cannot create '%s': %s", dir, strerror(errno));
                return -1;
            }
            snprintf(name, sizeof name, "plots/oe%zu-%s.svg", oe + 1, plot);
            if (put_rendered(fs, t, name, NULL, in, oe, k) != 0)
                return -1;
            fs->plots++;
        }
    return 0;
}

/* ear.md (counted), ear.html, plots/, pud.md, pud.html. */
static int put_drafts(ear_files *fs, const ear_target *t, const ea_ear_input *in)
{
    char *md = NULL;
    size_t len = 0;
    int rc;

    if (in_memory(ea_ear_md, in, 0, 0, &md, &len) != 0) {
        ea_err(PROG, "cannot render ear.md");
        return -1;
    }
    fs->vendor_marks = count_places(md, &fs->sections, &fs->vendor_sections);
    rc = put(fs, t, "ear.md", md, len);
    free(md);
    if (rc != 0 || put_rendered(fs, t, "ear.html", ea_ear_html, in, 0, 0) != 0 || put_plots(fs, t, in) != 0 ||
        in_memory(ea_pud_md, in, 0, 0, &md, &len) != 0)
        return -1;
    fs->pud_marks = count_places(md, &fs->pud_sections, &fs->pud_marked);
    rc = put(fs, t, "pud.md", md, len);
    free(md);
    return rc != 0 ? -1 : put_rendered(fs, t, "pud.html", ea_pud_html, in, 0, 0);
}

/* ---------------------------------------------------------------- converting */

/* Run one converter over the pairs (src, dst): FMT_WRITTEN, FMT_MISSING or FMT_FAILED. */
static int convert(const ear_opts *o, ear_files *fs, const ear_target *t, const ea_converter *c,
                   const char *const pairs[4])
{
    char prog[4096], why[1200], path[4096];
    int docx = c == &ea_conv_pandoc;

    if (ea_conv_find(c, prog, sizeof prog, why, sizeof why) != 0) {
        ea_err(PROG, "%s, %s not written: %s; install Debian's %s (apt-get install %s)", pairs[1], pairs[3], why,
               c->package, c->package);
        return FMT_MISSING;
    }
    for (int i = 0; i < 4; i += 2) {
        note(o, "%s: %s with %s", pairs[i + 1], docx ? "converting" : "printing", prog);
        if ((docx ? ea_conv_docx : ea_conv_pdf)(prog, t->tmp, pairs[i], pairs[i + 1], why, sizeof why) != 0) {
            ea_err(PROG, "%s not written: %s", pairs[i + 1], why);
            if (ea_join(PROG, path, sizeof path, t->tmp, pairs[i + 1]) == 0)
                unlink(path);   /* whatever it left is not passed off as the document */
            return FMT_FAILED;
        }
        if (adopt(fs, pairs[i + 1]) != 0)
            return FMT_FAILED;
    }
    return FMT_WRITTEN;
}

static int convert_all(const ear_opts *o, ear_files *fs, const ear_target *t, int st[2])
{
    static const char *const docx[4] = { "ear.md", "ear.docx", "pud.md", "pud.docx" };
    static const char *const pdf[4] = { "ear.html", "ear.pdf", "pud.html", "pud.pdf" };

    st[0] = o->no_docx ? FMT_OFF : convert(o, fs, t, &ea_conv_pandoc, docx);
    st[1] = o->no_pdf ? FMT_OFF : convert(o, fs, t, &ea_conv_chromium, pdf);
    if (st[0] == FMT_WRITTEN && fs->plots > 0 && !ea_conv_on_path("rsvg-convert"))
        ea_err(PROG, "note: ear.docx holds its %zu plot%s as SVG only (Word 2016 and later draw them; "
               "LibreOffice 7.4 shows empty frames); install Debian's librsvg2-bin (apt-get install "
               "librsvg2-bin) for PNG fallbacks", fs->plots, fs->plots == 1 ? "" : "s");
    return st[0] == FMT_FAILED || st[1] == FMT_FAILED ? EXIT_DATA : 0;
}

/* SHA256SUMS: every file written, as `sha256sum` prints them. */
static int put_sums(ear_files *fs, const ear_target *t)
{
    char path[4096], hex[65], err[512], *text;
    size_t len = 0, cap = fs->n * 640 + 1;
    unsigned long long bytes;
    int rc;

    if ((text = malloc(cap)) == NULL)
        return -1;
    for (size_t i = 0; i < fs->n; i++) {
        if (ea_join(PROG, path, sizeof path, t->tmp, fs->name[i]) != 0 ||
            ea_sha256_file(path, hex, &bytes, err, sizeof err) != EA_OK) {
            ea_err(PROG, "cannot hash '%s': %s", fs->name[i], err);
            free(text);
            return -1;
        }
        len += (size_t)snprintf(text + len, cap - len, "%s  %s\n", hex, fs->name[i]);
    }
    rc = put(fs, t, SUMS, text, len);
    free(text);
    return rc;
}

/* ---------------------------------------------------------------- the report */

static int written(const ear_files *fs, const char *name)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->name[i], name) == 0)
            return 1;
    return 0;
}

static void line(const ear_target *t, const ear_files *fs, const char *name, const char *what)
{
    if (written(fs, name))
        printf("%s/%-11s %s\n", t->shown, name, what);
}

static void print_done(const ear_target *t, const ear_files *fs, size_t n, const int st[2])
{
    static const char *const why[2][4] = { { "", "--no-docx", "no pandoc", "pandoc failed" },
                                           { "", "--no-pdf", "no chromium", "chromium failed" } };
    char plots[80];

    printf("%s/: DRAFT Entropy Assessment Report, %zu operational environment%s - not ready to file\n", t->shown,
           n, n == 1 ? "" : "s");
    line(t, fs, "ear.pdf", "DRAFT, print-ready (headless Chromium)");
    line(t, fs, "ear.docx", "DRAFT, editable: the vendor writes the marked parts here (pandoc)");
    line(t, fs, "ear.html", "DRAFT, one self-contained page with its plots");
    line(t, fs, "ear.md", "DRAFT, Markdown (ear.docx's source)");
    snprintf(plots, sizeof plots, "%zu plot%s (SVG) that ear.md links", fs->plots, fs->plots == 1 ? "" : "s");
    if (fs->plots > 0)
        printf("%s/%-11s %s\n", t->shown, "plots/", plots);
    line(t, fs, "pud.docx", "DRAFT Public Use Document skeleton, editable");
    line(t, fs, "pud.pdf", "DRAFT Public Use Document skeleton, print-ready");
    printf("%s/%-11s the Public Use Document skeleton as Markdown and HTML too (pud.md, pud.html)\n", t->shown,
           "pud.*");
    printf("%s/%-11s what ea90b ear wrote (a changed file is never replaced)\n", t->shown, SUMS);
    for (int i = 0; i < 2; i++)
        if (st[i] != FMT_WRITTEN)
            printf("not written: %s (%s)\n", i == 0 ? "ear.docx, pud.docx" : "ear.pdf, pud.pdf", why[i][st[i]]);
    printf("DRAFT: %d of %d sections hold %d parts marked \"" EA_EAR_VENDOR_MARK "\" (the Public Use Document: "
           "%d of %d, %d parts): write them, then review the rest\n",
           fs->vendor_sections, fs->sections, fs->vendor_marks, fs->pud_marked, fs->pud_sections, fs->pud_marks);
}

/* ---------------------------------------------------------------- the command */

/* Options and operands; -1 to go on, else an exit status. */
static int parse(ear_opts *o, int argc, char **argv)
{
    enum { O_NO_PDF = 256, O_NO_DOCX };
    static const struct option longs[] = { { "output", required_argument, NULL, 'o' },
                                            { "no-pdf", no_argument, NULL, O_NO_PDF },
                                            { "no-docx", no_argument, NULL, O_NO_DOCX },
                                            { "quiet", no_argument, NULL, 'q' },
                                            { "help", no_argument, NULL, 'h' },
                                            { NULL, 0, NULL, 0 } };
    const char *dup;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", longs, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return 0;
        case 'o':
            o->out = optarg;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case O_NO_PDF:
            o->no_pdf = 1;
            break;
        case O_NO_DOCX:
            o->no_docx = 1;
            break;
        case ':':
            return bad("an option needs a value", argv[optind - 1]);
        default:
            return bad("invalid option", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return bad("missing collection directory", NULL);
    if (argc - optind > 1 && o->out == NULL)
        return bad("several collections (one per OE) need -o EAR_DIR", NULL);
    if ((dup = ea_repeated_path(argc - optind, argv + optind)) != NULL)
        return bad("the same collection is given twice", dup);
    return -1;
}

/* Everything into t->tmp, then into place: an exit status. */
static int write_all(const ear_opts *o, ear_target *t, const ea_ear_input *in, ear_files *fs)
{
    char tname[300];
    int st[2], rc;

    snprintf(tname, sizeof tname, "%s.tmp-XXXXXX", t->name);
    if (ea_join(PROG, t->tmp, sizeof t->tmp, t->parent, tname) != 0)
        return EXIT_DATA;
    if (mkdtemp(t->tmp) == NULL) {
        ea_err(PROG, "cannot create a directory in '%s': %s", t->parent, strerror(errno));
        return EXIT_DATA;
    }
    chmod(t->tmp, 0755);
    if (put_drafts(fs, t, in) != 0) {
        remove_output(t->tmp);
        return EXIT_DATA;
    }
    rc = convert_all(o, fs, t, st);
    if (put_sums(fs, t) != 0 || swap_in(t) != 0) {
        remove_output(t->tmp);
        return EXIT_DATA;
    }
    print_done(t, fs, in->n, st);
    return rc;
}

int ea_cmd_ear(int argc, char **argv)
{
    ear_opts o = { NULL, 0, 0, 0 };
    ear_target t;
    ear_files fs = { .name = NULL, .n = 0, .cap = 0 };
    json_t **docs;
    char when[32], why[256];
    size_t n;
    int rc;

    if ((rc = parse(&o, argc, argv)) >= 0)
        return rc;
    n = (size_t)(argc - optind);
    if ((rc = target_of(o.out, argv[optind], &t)) != 0)
        return rc;
    if ((docs = calloc(n, sizeof *docs)) == NULL) {
        ea_err(PROG, "out of memory");
        return EXIT_DATA;
    }
    ea_utc_now(when);
    ea_ear_input in = { (const json_t *const *)docs, (const char *const *)(argv + optind), n, when, EA90B_VERSION };
    if ((rc = load_all(argv + optind, n, docs)) == 0 && (rc = target_replaceable(&t)) == 0) {
        if (ea_ear_mixed(&in, why, sizeof why) != 0)
            ea_err(PROG, "note: %s; the draft says so too", why);
        rc = write_all(&o, &t, &in, &fs);
    }
    for (size_t i = 0; i < fs.n; i++)
        free(fs.name[i]);
    free(fs.name);
    for (size_t i = 0; i < n; i++)
        json_decref(docs[i]);
    free(docs);
    return rc;
}
