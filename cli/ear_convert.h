/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear_convert.h - internal to cli/ear_*.c: the external converters of
 * `ea90b ear` (Markdown to DOCX with pandoc, HTML to PDF with headless
 * Chromium), found on PATH or named by an environment variable, each run
 * without a shell in a process group of its own, with a time limit.
 */
#ifndef EA_CLI_EAR_CONVERT_H
#define EA_CLI_EAR_CONVERT_H

#include <stddef.h>

/* One converter: how to find it and what to tell a user who lacks it. */
typedef struct {
    const char *env;              /* EA90B_PANDOC, EA90B_CHROMIUM */
    const char *const *names;     /* looked up in PATH, in order, NULL-terminated */
    const char *package;          /* the Debian package that provides it */
} ea_converter;

extern const ea_converter ea_conv_pandoc, ea_conv_chromium;

/*
 * The program to run: $env when set and not empty (a path, or a name looked
 * up in PATH), else the first of names on PATH. 0 with its path; -1 with
 * why it is missing in why ("no pandoc on PATH", "EA90B_PANDOC=/x is not
 * an executable file").
 */
int ea_conv_find(const ea_converter *c, char *path, size_t n, char *why, size_t wn);

/* Whether name is an executable file on PATH (rsvg-convert, which pandoc runs). */
int ea_conv_on_path(const char *name);

/*
 * dir/md -> dir/docx with pandoc at prog, run inside dir so that the
 * Markdown's relative image links (plots/...) resolve; dir/pdf from
 * file://dir/html with Chromium at prog (dir absolute). 0, or -1 with a
 * one-line reason in why: the exit status or signal, a timeout, and the
 * program's first line of standard error; an output that is missing,
 * empty or not of its format counts as a failure.
 */
int ea_conv_docx(const char *prog, const char *dir, const char *md, const char *docx, char *why, size_t n);
int ea_conv_pdf(const char *prog, const char *dir, const char *html, const char *pdf, char *why, size_t n);

#endif
