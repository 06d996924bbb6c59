/*
 * report_writer.c - Markdown / HTML output of the report's building
 * blocks (headings, paragraphs, lists, tables, code, badges) and the
 * HTML page frame with its inline stylesheet.
 */
#include <stdarg.h>
#include <string.h>

#include "report_writer.h"
#include "svg.h"

#define LINE_MAX_LEN 8192

static void vformat(char *buf, size_t n, const char *fmt, va_list ap)
{
    vsnprintf(buf, n, fmt, ap);
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
    char tmp[LINE_MAX_LEN];

    if (n >= sizeof tmp)
        n = sizeof tmp - 1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    fprintf(f, "<%s>", tag);
    ea_svg_text(f, tmp);
    fprintf(f, "</%s>", tag);
}

void ea_rw_h(ea_rw *w, int level, const char *id, const char *fmt, ...)
{
    char buf[LINE_MAX_LEN];
    va_list ap;

    va_start(ap, fmt);
    vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (w->html) {
        fprintf(w->f, "<h%d id=\"%s\">", level, id);
        ea_svg_text(w->f, buf);
        fprintf(w->f, "</h%d>\n", level);
    } else {
        fprintf(w->f, "\n%.*s %s\n\n", level, "###", buf);
    }
}

void ea_rw_p(ea_rw *w, const char *fmt, ...)
{
    char buf[LINE_MAX_LEN];
    va_list ap;

    va_start(ap, fmt);
    vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (w->html) {
        fputs("<p>", w->f);
        ea_svg_text(w->f, buf);
        fputs("</p>\n", w->f);
    } else {
        fprintf(w->f, "%s\n\n", buf);
    }
}

void ea_rw_li(ea_rw *w, const char *fmt, ...)
{
    char buf[LINE_MAX_LEN];
    va_list ap;

    va_start(ap, fmt);
    vformat(buf, sizeof buf, fmt, ap);
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
    w->rows++;
}

void ea_rw_end_list(ea_rw *w)
{
    if (w->rows > 0)
        fputs(w->html ? "</ul>\n" : "\n", w->f);
    w->rows = 0;
}

static void cells(ea_rw *w, const char *line, int header)
{
    const char *p = line;
    int n = 0;

    fputs(w->html ? "<tr>" : "|", w->f);
    for (;;) {
        size_t len = strcspn(p, "|");
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
    cells(w, header, 1);
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
    char buf[LINE_MAX_LEN];
    va_list ap;

    va_start(ap, fmt);
    vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cells(w, buf, 0);
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
    if (w->html) {
        fputs("<pre><code>", w->f);
        ea_svg_text(w->f, text);
        fputs("</code></pre>\n", w->f);
    } else {
        fprintf(w->f, "```sh\n%s\n```\n\n", text);
    }
}

void ea_rw_badge(ea_rw *w, const char *status, const char *fmt, ...)
{
    char buf[LINE_MAX_LEN];
    va_list ap;

    va_start(ap, fmt);
    vformat(buf, sizeof buf, fmt, ap);
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
