/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report_writer.c - Markdown / HTML output of the report's building
 * blocks (headings, paragraphs, lists, tables, code, badges) and the
 * HTML page frame with its inline stylesheet.
 *
 * Table rows: a '|' written in the format string separates cells; a '|'
 * inside a value (a command line, a kernel version) stays in its cell,
 * escaped as "\|" in Markdown. Lines are formatted into buffers sized
 * to fit, never truncated.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_writer.h"
#include "svg.h"

#define LINE_MAX_LEN 8192
/* Cell separator inside a formatted row (ASCII unit separator). */
#define CELL_SEP '\x1f'

/*
 * A negative zero as printf writes it ("-0", "-0.0000": a value that
 * rounds to zero from below) loses its sign: no report shows "-0". A
 * minus that follows a letter, a digit or a point (a date, an exponent,
 * an option) is not a sign and stays.
 */
static void unsign_zeros(char *s)
{
    char *p = s;

    while ((p = strchr(p, '-')) != NULL) {
        char *q = p + 1;
        int sign = p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '-');
        if (sign && *q == '0') {
            q++;
            if (*q == '.')
                while (*++q == '0')
                    ;
            if (!isalnum((unsigned char)*q) && *q != '.') {
                memmove(p, p + 1, strlen(p));
                continue;
            }
        }
        p++;
    }
}

/* fmt formatted into buf when it fits, else into a malloc'd buffer;
 * returns the text (free it with done()). */
static char *vformat(char *buf, size_t n, const char *fmt, va_list ap)
{
    va_list again;
    int len;
    char *big, *text = buf;

    va_copy(again, ap);
    len = vsnprintf(buf, n, fmt, ap);
    if (len < 0) {
        buf[0] = '\0';
    } else if ((size_t)len >= n && (big = malloc((size_t)len + 1)) != NULL) {
        vsnprintf(big, (size_t)len + 1, fmt, again);
        text = big;
    }
    va_end(again);
    unsign_zeros(text);
    return text;
}

static void done(char *text, const char *buf)
{
    if (text != buf)
        free(text);
}

/* A copy of a row format with its cell separators ('|') made CELL_SEP. */
static char *row_format(const char *fmt)
{
    char *f = strdup(fmt);

    for (char *p = f; p != NULL && *p != '\0'; p++)
        if (*p == '|')
            *p = CELL_SEP;
    return f;
}

/* Markdown table cells must not contain a bare '|' or newline. */
static void md_cell(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '|')
            fputs("\\|", f);
        else if (s[i] == '\n')
            fputc(' ', f);
        else
            fputc(s[i], f);
    }
}

static void html_cell(FILE *f, const char *s, size_t n, const char *tag)
{
    char *tmp = malloc(n + 1);

    fprintf(f, "<%s>", tag);
    if (tmp != NULL) {
        memcpy(tmp, s, n);
        tmp[n] = '\0';
        ea_svg_text(f, tmp);
        free(tmp);
    }
    fprintf(f, "</%s>", tag);
}

void ea_rw_h(ea_rw *w, int level, const char *id, const char *fmt, ...)
{
    char tmp[LINE_MAX_LEN], *buf;
    va_list ap;

    va_start(ap, fmt);
    buf = vformat(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (w->html) {
        fprintf(w->f, "<h%d id=\"%s\">", level, id);
        ea_svg_text(w->f, buf);
        fprintf(w->f, "</h%d>\n", level);
    } else {
        fprintf(w->f, "\n%.*s %s\n\n", level, "###", buf);
    }
    done(buf, tmp);
}

void ea_rw_p(ea_rw *w, const char *fmt, ...)
{
    char tmp[LINE_MAX_LEN], *buf;
    va_list ap;

    va_start(ap, fmt);
    buf = vformat(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (w->html) {
        fputs("<p>", w->f);
        ea_svg_text(w->f, buf);
        fputs("</p>\n", w->f);
    } else {
        fprintf(w->f, "%s\n\n", buf);
    }
    done(buf, tmp);
}

void ea_rw_li(ea_rw *w, const char *fmt, ...)
{
    char tmp[LINE_MAX_LEN], *buf;
    va_list ap;

    va_start(ap, fmt);
    buf = vformat(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (w->html) {
        if (w->rows == 0)
            fputs("<ul>\n", w->f);
        fputs("<li>", w->f);
        ea_svg_text(w->f, buf);
        fputs("</li>\n", w->f);
    } else {
        fprintf(w->f, "- %s\n", buf);
    }
    done(buf, tmp);
    w->rows++;
}

void ea_rw_end_list(ea_rw *w)
{
    if (w->rows > 0)
        fputs(w->html ? "</ul>\n" : "\n", w->f);
    w->rows = 0;
}

/* Cells of line separated by sep. */
static void cells(ea_rw *w, const char *line, int header, char sep)
{
    const char *p = line;
    const char seps[2] = { sep, '\0' };
    int n = 0;

    fputs(w->html ? "<tr>" : "|", w->f);
    for (;;) {
        size_t len = strcspn(p, seps);
        if (w->html) {
            html_cell(w->f, p, len, header ? "th" : "td");
        } else {
            fputc(' ', w->f);
            md_cell(w->f, p, len);
            fputs(" |", w->f);
        }
        n++;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    fputs(w->html ? "</tr>\n" : "\n", w->f);
    if (header)
        w->cols = n;
}

void ea_rw_table(ea_rw *w, const char *header)
{
    if (w->html)
        fputs("<table>\n<thead>", w->f);
    cells(w, header, 1, '|');
    if (w->html) {
        fputs("</thead><tbody>\n", w->f);
    } else {
        fputc('|', w->f);
        for (int i = 0; i < w->cols; i++)
            fputs("---|", w->f);
        fputc('\n', w->f);
    }
    w->rows = 0;
}

void ea_rw_row(ea_rw *w, const char *fmt, ...)
{
    char tmp[LINE_MAX_LEN], *buf, *rfmt = row_format(fmt);
    va_list ap;

    if (rfmt == NULL)
        return;
    va_start(ap, fmt);
    buf = vformat(tmp, sizeof tmp, rfmt, ap);
    va_end(ap);
    cells(w, buf, 0, CELL_SEP);
    done(buf, tmp);
    free(rfmt);
    w->rows++;
}

void ea_rw_end_table(ea_rw *w)
{
    fputs(w->html ? "</tbody></table>\n" : "\n", w->f);
    w->cols = 0;
    w->rows = 0;
}

void ea_rw_code(ea_rw *w, const char *text)
{
    size_t run = 0, longest = 0;

    if (w->html) {
        fputs("<pre><code>", w->f);
        ea_svg_text(w->f, text);
        fputs("</code></pre>\n", w->f);
        return;
    }
    /* the fence is longer than any run of backticks in the text, so none closes it early */
    for (const char *p = text; *p != '\0'; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    longest = longest < 3 ? 3 : longest + 1;
    for (size_t i = 0; i < longest; i++)
        fputc('`', w->f);
    fprintf(w->f, "sh\n%s\n", text);
    for (size_t i = 0; i < longest; i++)
        fputc('`', w->f);
    fputs("\n\n", w->f);
}

void ea_rw_badge(ea_rw *w, const char *status, const char *fmt, ...)
{
    char tmp[LINE_MAX_LEN], *buf;
    va_list ap;

    va_start(ap, fmt);
    buf = vformat(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (w->html) {
        fprintf(w->f, "<p class=\"verdict\"><span class=\"badge %s\">",
                strcmp(status, "PASS") == 0 ? "pass" : strcmp(status, "FAIL") == 0 ? "fail" : "inc");
        ea_svg_text(w->f, status);
        fputs("</span> ", w->f);
        ea_svg_text(w->f, buf);
        fputs("</p>\n", w->f);
    } else {
        fprintf(w->f, "**Verdict: %s** - %s\n\n", status, buf);
    }
    done(buf, tmp);
}

void ea_rw_html_open(FILE *f, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
    ea_svg_text(f, title);
    fputs("</title>\n<style>\n"
          "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:980px;"
          "margin:2em auto;padding:0 1em;color:#111;background:#fff;line-height:1.45}\n"
          "h1{font-size:1.6em;border-bottom:2px solid #111}h2{margin-top:2em;"
          "border-bottom:1px solid #ccc}\n"
          "table{border-collapse:collapse;margin:0.6em 0;font-size:0.88em}"
          "th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}"
          "th{background:#f3f4f6}tbody tr:nth-child(even){background:#fafafa}\n"
          "pre{background:#f6f8fa;padding:0.8em;overflow-x:auto;font-size:0.85em}\n"
          ".badge{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;"
          "font-weight:bold}.pass{background:#15803d}.fail{background:#b91c1c}"
          ".inc{background:#a16207}\n"
          ".verdict{font-size:1.15em}svg.plot{display:block;margin:0.8em 0;max-width:100%;"
          "height:auto;border:1px solid #e5e7eb}\n"
          "@media print{body{max-width:none}}\n"
          "</style>\n</head>\n<body>\n",
          f);
}

void ea_rw_html_close(FILE *f)
{
    fputs("</body>\n</html>\n", f);
}
