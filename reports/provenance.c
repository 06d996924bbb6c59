/* SPDX-License-Identifier: Apache-2.0 */
/*
 * provenance.c - where a collection's samples came from, in one line
 * (report.h). SP 800-90B §3.2.2 asks for raw data from the noise source
 * itself; a lab accepts data only from the certified source, so every
 * report says whether the samples came from an external recorder (with
 * its hash), were imported, or came from one of ea90b's built-in models.
 * Everything is read from the manifest the report embeds.
 */
#include <stdio.h>
#include <string.h>

#include "report.h"

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');

    return s != NULL ? s + 1 : p;
}

/* ", LABEL" and " VERSION" as given with --source-label / --source-version. */
static void labels(const json_t *src, char *buf, size_t n)
{
    const char *l = ea_report_str(src, "label", NULL), *v = ea_report_str(src, "version", NULL);

    snprintf(buf, n, "%s%s%s%s", l ? "; " : "", l ? l : "", v ? (l ? " " : "; version ") : "",
             v ? v : "");
}

static const char *exec_line(const json_t *src, char *buf, size_t n)
{
    const char *lib = ea_report_str(src, "sidecar.content.library", NULL);
    const char *ver = ea_report_str(src, "sidecar.content.version", "");
    const char *rec = ea_report_str(src, "sidecar.content.recorder", NULL);
    const char *rsha = ea_report_str(src, "sidecar.content.recorder_sha256", NULL);
    char extra[600], side[300] = "";

    labels(src, extra, sizeof extra);
    if (lib != NULL && rec != NULL && rsha != NULL)
        snprintf(side, sizeof side, " running %s %s's %s (SHA-256 %.16s...)", lib, ver, rec, rsha);
    else if (lib != NULL)
        snprintf(side, sizeof side, " (%s %s)", lib, ver);
    snprintf(buf, n, "external recorder %s (SHA-256 %.16s...)%s%s",
             base_name(ea_report_str(src, "executable.path", ea_report_str(src, "argv.0", "?"))),
             ea_report_str(src, "executable.sha256", "?"), side, extra);
    return buf;
}

const char *ea_report_source_line(const json_t *doc, char *buf, size_t n)
{
    const json_t *src = ea_report_get(doc, "collection.manifest.source");
    const char *name = ea_report_str(src, "name", "?");
    char extra[600];

    labels(src, extra, sizeof extra);
    if (strcmp(name, "exec") == 0)
        return exec_line(src, buf, n);
    if (strcmp(name, "import") == 0)
        snprintf(buf, n, "imported deltas from %s (SHA-256 %.16s...)%s",
                 ea_report_str(src, "input", "?"), ea_report_str(src, "input_sha256", "?"), extra);
    else if (strcmp(name, "jent") == 0)
        snprintf(buf, n, "built-in model of jitterentropy, not the certified library%s", extra);
    else if (strcmp(name, "memtouch") == 0)
        snprintf(buf, n, "built-in model of a memory-access jitter source, not a certified "
                         "library%s", extra);
    else
        snprintf(buf, n, "%s (recorded by another tool)%s", name, extra);
    return buf;
}

const char *ea_report_source_kind(const json_t *doc)
{
    const char *name = ea_report_str(doc, "collection.manifest.source.name", "?");

    if (strcmp(name, "exec") == 0)
        return "external recorder";
    if (strcmp(name, "import") == 0)
        return "import";
    if (strcmp(name, "jent") == 0 || strcmp(name, "memtouch") == 0)
        return "model";
    return "other";
}
