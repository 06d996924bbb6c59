/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_conditioning_golden.c - §3.1.5 parity with NIST's ea_conditioning 1.1.7.
 *
 * data/vectors/expected/conditioning.txt holds blocks "### ea_conditioning ARGS", the
 * reference's stdout for those arguments (computed with MPFR) and "rc=N". For each block we
 * parse ARGS as the reference does (numbers read with strtold under round-toward-zero), run
 * the library and the NIST text renderer, and compare line by line: the text between numbers
 * exactly, every number within GOLDEN_REL_TOL relative (the worst deviation is logged; it is
 * a few units in the last place of a long double), and the exit status.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <ctype.h>
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conditioning_report.h"
#include "golden.h"

#define MAX_ARGS 16

/* Parse "ea_conditioning ARGS" and render what our drop-in prints; returns the rc. */
static int run_args(char *args, char **out)
{
    char *argv[MAX_ARGS], *save = NULL;
    int argc = 0, vetted = 1, quiet = 0, np = 0, rc = 0;
    const char *pos[5] = {0};
    ea_conditioning_result r;
    ea_status st;
    size_t sz = 0;
    FILE *f = open_memstream(out, &sz);
    int mode = fegetround();
    long double h_in, hp = 0.0L;

    cr_assert_not_null(f);
    for (char *t = strtok_r(args, " ", &save); t && argc < MAX_ARGS; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) vetted = 1;
        else if (strcmp(argv[i], "-n") == 0) vetted = 0;
        else if (strcmp(argv[i], "-q") == 0) quiet = 1;
        else if (np < 5) pos[np++] = argv[i];
    }
    cr_assert(np == 4 || (!vetted && np == 5), "unexpected arguments in block");
    fesetround(FE_TOWARDZERO);
    h_in = strtold(pos[3], NULL);
    if (np == 5)
        hp = strtold(pos[4], NULL);
    fesetround(mode);
    if (vetted)
        st = ea_conditioning_vetted((unsigned)strtoul(pos[0], NULL, 0),
                                    (unsigned)strtoul(pos[1], NULL, 0),
                                    (unsigned)strtoul(pos[2], NULL, 0), h_in, &r);
    else
        st = ea_conditioning_nonvetted((unsigned)strtoul(pos[0], NULL, 0),
                                       (unsigned)strtoul(pos[1], NULL, 0),
                                       (unsigned)strtoul(pos[2], NULL, 0), h_in, hp, &r);
    if (st == EA_OK)
        ea_render_nist_conditioning_text(f, &r, quiet);
    else
        rc = 1;
    fprintf(f, "rc=%d\n", rc);
    fclose(f);
    return rc;
}

/* Length of the number starting at s (optional sign, digits, point, exponent); 0 if none. */
static size_t number_len(const char *s)
{
    char *end;

    if (!(isdigit((unsigned char)s[0]) || ((s[0] == '-' || s[0] == '.') && isdigit((unsigned char)s[1]))))
        return 0;
    strtold(s, &end);
    return (size_t)(end - s);
}

/*
 * Compare one line: text exactly, numbers within tolerance. Returns 0 when it matches;
 * *exact is cleared when a number's digits differ; *worst gets the largest deviation.
 */
static int compare_line(const char *a, const char *b, int *exact, double *worst)
{
    while (*a && *b) {
        size_t la = number_len(a), lb = number_len(b);

        if (la && lb) {
            long double x = strtold(a, NULL), y = strtold(b, NULL);
            long double dev = y == 0.0L ? fabsl(x) : fabsl(x - y) / fabsl(y);

            if (la != lb || strncmp(a, b, la) != 0)
                *exact = 0;
            if (signbit(x) != signbit(y) || !(dev <= GOLDEN_REL_TOL))
                return 1;
            if ((double)dev > *worst)
                *worst = (double)dev;
            a += la;
            b += lb;
        } else if (*a++ != *b++) {
            return 1;
        }
    }
    return *a != *b;
}

/* Compare our output with a reference block line by line. Returns mismatches. */
static int compare_block(const char *args, char *ours, char *ref, int *exact_lines,
                         int *lines, double *worst)
{
    char *s1 = NULL, *s2 = NULL;
    char *l1 = strtok_r(ours, "\n", &s1), *l2 = strtok_r(ref, "\n", &s2);
    int bad = 0;

    for (; l1 && l2; l1 = strtok_r(NULL, "\n", &s1), l2 = strtok_r(NULL, "\n", &s2)) {
        int exact = 1;

        (*lines)++;
        if (compare_line(l1, l2, &exact, worst) != 0) {
            cr_log_error("%s:\n  ours: %s\n  ref:  %s", args, l1, l2);
            bad++;
        }
        *exact_lines += exact;
    }
    if (l1 || l2) {
        cr_log_error("%s: %s has extra lines", args, l1 ? "ours" : "the reference");
        bad++;
    }
    return bad;
}

Test(conditioning_golden, every_reference_block)
{
    size_t len;
    char *text = golden_slurp("data/vectors/expected/conditioning.txt", &len);
    char *p, *next;
    int blocks = 0, bad = 0, lines = 0, exact_lines = 0;
    double worst = 0.0;

    cr_assert_not_null(text, "cannot read data/vectors/expected/conditioning.txt");
    for (p = strstr(text, "### "); p; p = next) {
        char *eol = strchr(p, '\n'), *ours = NULL, args[256], *ref;
        size_t n;

        cr_assert_not_null(eol);
        next = strstr(eol, "\n### ");
        n = (size_t)(eol - p - 4);
        cr_assert(n < sizeof args);
        memcpy(args, p + 4, n);
        args[n] = '\0';
        ref = strndup(eol + 1, next ? (size_t)(next + 1 - (eol + 1)) : strlen(eol + 1));
        if (next)
            next++;
        {
            char copy[256];
            strcpy(copy, args);
            run_args(copy, &ours);
        }
        bad += compare_block(args, ours, ref, &exact_lines, &lines, &worst);
        free(ours);
        free(ref);
        blocks++;
    }
    cr_log_info("conditioning: %d blocks, %d lines, %d with every digit equal, worst relative "
                "deviation %.3g", blocks, lines, exact_lines, worst);
    cr_assert_eq(bad, 0, "%d mismatched lines (see above)", bad);
    cr_assert_gt(blocks, 10);
    free(text);
}
