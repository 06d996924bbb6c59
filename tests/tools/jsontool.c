/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jsontool.c - JSON and text checks for the shell-level CLI tests
 * (jansson; no hand-written parser):
 *
 *   jsontool get FILE KEY[.KEY|.N]...   print a value (numbers with %.17g)
 *   jsontool nistcmp OURS REF           NIST non-IID JSON, value by value
 *   jsontool textcmp OURS REF           NIST text output, strict, value by value
 *                                       (permutation progress lines, which the reference
 *                                       outputs had removed, ignored on both sides)
 *
 * Exit 0 when the check holds, 1 when it does not, 2 on bad usage.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"

static int get(const char *path, const char *keys)
{
    json_error_t e;
    json_t *root = json_load_file(path, 0, &e), *v;
    char *copy = strdup(keys), *tok, *save = NULL;

    if (root == NULL) {
        fprintf(stderr, "jsontool: %s: %s (line %d)\n", path, e.text, e.line);
        free(copy);
        return 1;
    }
    v = root;
    for (tok = strtok_r(copy, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, strtoul(tok, NULL, 10)) : json_object_get(v, tok);
    free(copy);
    if (v == NULL) {
        fprintf(stderr, "jsontool: %s: no %s\n", path, keys);
        json_decref(root);
        return 1;
    }
    if (json_is_number(v))
        printf("%.17g\n", json_number_value(v));
    else if (json_is_string(v))
        printf("%s\n", json_string_value(v));
    else {
        char *s = json_dumps(v, JSON_ENCODE_ANY);
        printf("%s\n", s ? s : "");
        free(s);
    }
    json_decref(root);
    return 0;
}

static int compare(const char *mode, const char *a, const char *b)
{
    char *x = golden_slurp(a, NULL), *y = golden_slurp(b, NULL), log[16384] = "";
    double worst = 0.0;
    int bad;

    if (x == NULL || y == NULL) {
        fprintf(stderr, "jsontool: cannot read %s\n", x ? b : a);
        free(x);
        free(y);
        return 1;
    }
    if (strcmp(mode, "nistcmp") == 0)
        bad = golden_compare_nist_json(x, y, &worst, log, sizeof log);
    else
        bad = golden_compare_text(x, y, 1, NULL, &worst, log, sizeof log);
    free(x);
    free(y);
    if (bad) {
        fprintf(stderr, "jsontool: %d mismatches\n%s", bad, log);
        return 1;
    }
    printf("worst relative deviation %.3g\n", worst);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "get") == 0)
        return get(argv[2], argv[3]);
    if (argc == 4 && (strcmp(argv[1], "nistcmp") == 0 || strcmp(argv[1], "textcmp") == 0))
        return compare(argv[1], argv[2], argv[3]);
    fprintf(stderr, "usage: jsontool get FILE KEYS | nistcmp OURS REF | textcmp OURS REF\n");
    return 2;
}
