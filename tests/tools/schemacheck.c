/* SPDX-License-Identifier: Apache-2.0 */
/*
 * schemacheck.c - validate JSON documents against a JSON Schema (draft 2020-12),
 * for the CLI tests of `ea90b esv` (the schemas in tests/esv/). jansson only.
 *
 *   schemacheck SCHEMA DOC...
 *
 * Exit 0 when every DOC is valid, 1 when one is not or cannot be read (each
 * error on stderr as "DOC: /json/pointer: message"), 2 on bad usage or a
 * schema this tool cannot apply.
 *
 * The subset implemented, and nothing else: boolean schemas; type (a name or
 * a list; "integer" also matches a number with no fractional part); enum and
 * const (numbers compare by value, 1 == 1.0); properties, required,
 * additionalProperties (boolean or schema); prefixItems, items, minItems,
 * maxItems; minimum, maximum, exclusiveMinimum, exclusiveMaximum; minLength,
 * maxLength (in code points); pattern (POSIX extended regular expressions, so
 * keep patterns to what ERE and ECMA-262 read alike: anchors, classes,
 * quantifiers, literal text); allOf, anyOf, oneOf; $ref to "#" or
 * "#/$defs/NAME" in the same document; and the annotations $schema, $id,
 * $comment, title, description, default, examples, which are ignored. A schema
 * using any other keyword is refused (exit 2) rather than half-applied, so a
 * schema cannot pass documents by relying on a keyword nobody checks.
 */
#include <jansson.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct {
    const json_t *root;     /* the schema document, for $ref */
    const char *doc;        /* the document's name, for messages */
    int quiet;              /* > 0 while trying anyOf/oneOf branches */
    int errors;
    char where[2048];       /* JSON pointer of the value being checked */
} ctx;

static const char *const annotations[] = { "$schema", "$id", "$comment", "title", "description",
                                           "default", "examples", NULL };
static const char *const keywords[] = {
    "type", "enum", "const", "properties", "required", "additionalProperties", "prefixItems",
    "items", "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "minLength", "maxLength", "pattern", "allOf", "anyOf", "oneOf", "$ref", "$defs", NULL
};
static const char *const types[] = { "null", "boolean", "object", "array", "number", "integer",
                                     "string", NULL };

static int in_list(const char *s, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------ the schema itself */

/* where + "/" + a + ("/" + b) into out; a path too long for out is cut (messages only). */
static void sub_path(char *out, size_t n, const char *where, const char *a, const char *b)
{
    int w = b ? snprintf(out, n, "%s/%s/%s", where, a, b) : snprintf(out, n, "%s/%s", where, a);

    if (w < 0 || (size_t)w >= n)
        out[n - 1] = '\0';
}

static int schema_bad(const char *where, const char *what)
{
    fprintf(stderr, "schemacheck: schema %s: %s\n", where[0] ? where : "(root)", what);
    return 1;
}

static const json_t *resolve(const json_t *root, const char *ref)
{
    if (strcmp(ref, "#") == 0)
        return root;
    if (strncmp(ref, "#/$defs/", 8) != 0 || strchr(ref + 8, '/') != NULL || strchr(ref + 8, '~') != NULL)
        return NULL;
    return json_object_get(json_object_get(root, "$defs"), ref + 8);
}

static int schema_check(const json_t *root, const json_t *s, const char *where, int depth);

static int schema_list(const json_t *root, const json_t *a, const char *where, const char *kw, int depth)
{
    char w[1024];
    size_t i;
    const json_t *v;

    if (!json_is_array(a) || json_array_size(a) == 0)
        return schema_bad(where, "a keyword that needs a non-empty array of schemas");
    json_array_foreach(a, i, v) {
        char idx[32];
        snprintf(idx, sizeof idx, "%zu", i);
        sub_path(w, sizeof w, where, kw, idx);
        if (schema_check(root, v, w, depth + 1) != 0)
            return 1;
    }
    return 0;
}

static int nonneg_int(const json_t *v)
{
    return json_is_integer(v) && json_integer_value(v) >= 0;
}

/* Every keyword known, every value of the right kind, every pattern compiles. */
static int schema_check(const json_t *root, const json_t *s, const char *where, int depth)
{
    const char *k;
    const json_t *v, *x;
    char w[1024];
    size_t i;

    if (depth > MAX_DEPTH)
        return schema_bad(where, "nested too deeply");
    if (json_is_boolean(s))
        return 0;
    if (!json_is_object(s))
        return schema_bad(where, "a schema must be an object or a boolean");
    json_object_foreach((json_t *)s, k, v) {
        sub_path(w, sizeof w, where, k, NULL);
        if (in_list(k, annotations))
            continue;
        if (!in_list(k, keywords)) {
            fprintf(stderr, "schemacheck: schema %s: keyword '%s' is not implemented\n", where[0] ? where : "(root)", k);
            return 1;
        }
        if (strcmp(k, "type") == 0) {
            if (json_is_string(v) ? !in_list(json_string_value(v), types) : !json_is_array(v))
                return schema_bad(w, "not a type name or a list of them");
            json_array_foreach(v, i, x)
                if (!json_is_string(x) || !in_list(json_string_value(x), types))
                    return schema_bad(w, "not a type name");
        } else if (strcmp(k, "const") == 0) {
            continue; /* any JSON value */
        } else if (strcmp(k, "enum") == 0) {
            if (!json_is_array(v) || json_array_size(v) == 0)
                return schema_bad(w, "needs a non-empty array");
        } else if (strcmp(k, "properties") == 0 || strcmp(k, "$defs") == 0) {
            const char *pk;
            if (!json_is_object(v))
                return schema_bad(w, "needs an object of schemas");
            json_object_foreach((json_t *)v, pk, x) {
                char pw[1024];
                sub_path(pw, sizeof pw, w, pk, NULL);
                if (schema_check(root, x, pw, depth + 1) != 0)
                    return 1;
            }
        } else if (strcmp(k, "required") == 0) {
            if (!json_is_array(v))
                return schema_bad(w, "needs an array of names");
            json_array_foreach(v, i, x)
                if (!json_is_string(x))
                    return schema_bad(w, "needs an array of names");
        } else if (strcmp(k, "additionalProperties") == 0 || strcmp(k, "items") == 0) {
            if (schema_check(root, v, w, depth + 1) != 0)
                return 1;
        } else if (strcmp(k, "prefixItems") == 0 || strcmp(k, "allOf") == 0 || strcmp(k, "anyOf") == 0 ||
                   strcmp(k, "oneOf") == 0) {
            if (schema_list(root, v, where, k, depth) != 0)
                return 1;
        } else if (strcmp(k, "minItems") == 0 || strcmp(k, "maxItems") == 0 || strcmp(k, "minLength") == 0 ||
                   strcmp(k, "maxLength") == 0) {
            if (!nonneg_int(v))
                return schema_bad(w, "needs a non-negative integer");
        } else if (strcmp(k, "pattern") == 0) {
            regex_t re;
            if (!json_is_string(v) || regcomp(&re, json_string_value(v), REG_EXTENDED | REG_NOSUB) != 0)
                return schema_bad(w, "not a regular expression this tool can compile");
            regfree(&re);
        } else if (strcmp(k, "$ref") == 0) {
            if (!json_is_string(v) || resolve(root, json_string_value(v)) == NULL)
                return schema_bad(w, "only \"#\" and \"#/$defs/NAME\" of this schema are supported");
        } else if (!json_is_number(v)) { /* minimum, maximum, exclusive* */
            return schema_bad(w, "needs a number");
        }
    }
    return 0;
}

/* ------------------------------------------------------------ instances */

static void err(ctx *c, const char *fmt, const char *arg)
{
    c->errors++;
    if (c->quiet > 0)
        return;
    fprintf(stderr, "%s: %s: ", c->doc, c->where[0] ? c->where : "/");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
}

/* Append "/token" (escaped as RFC 6901 says) to c->where; returns the old length. */
static size_t push(ctx *c, const char *token)
{
    size_t n = strlen(c->where), at = n;

    if (at + 1 < sizeof c->where)
        c->where[at++] = '/';
    for (; *token != '\0' && at + 2 < sizeof c->where; token++) {
        if (*token == '~' || *token == '/') {
            c->where[at++] = '~';
            c->where[at++] = *token == '~' ? '0' : '1';
        } else {
            c->where[at++] = *token;
        }
    }
    c->where[at] = '\0';
    return n;
}

static size_t push_index(ctx *c, size_t i)
{
    char b[32];
    snprintf(b, sizeof b, "%zu", i);
    return push(c, b);
}

static int is_integral(const json_t *v)
{
    double d;

    if (json_is_integer(v))
        return 1;
    if (!json_is_real(v))
        return 0;
    d = json_real_value(v);
    return isfinite(d) && d == floor(d);
}

static int has_type(const json_t *v, const char *t)
{
    if (strcmp(t, "integer") == 0)
        return is_integral(v);
    if (strcmp(t, "number") == 0)
        return json_is_number(v);
    if (strcmp(t, "string") == 0)
        return json_is_string(v);
    if (strcmp(t, "boolean") == 0)
        return json_is_boolean(v);
    if (strcmp(t, "object") == 0)
        return json_is_object(v);
    if (strcmp(t, "array") == 0)
        return json_is_array(v);
    return json_is_null(v);
}

/* JSON Schema equality: jansson's, except that numbers compare by value. */
static int same(const json_t *a, const json_t *b)
{
    size_t i;
    const char *k;
    const json_t *x;

    if (json_is_number(a) && json_is_number(b)) {
        if (json_is_integer(a) && json_is_integer(b))
            return json_integer_value(a) == json_integer_value(b);
        return json_number_value(a) == json_number_value(b);
    }
    if (json_is_array(a) && json_is_array(b)) {
        if (json_array_size(a) != json_array_size(b))
            return 0;
        json_array_foreach(a, i, x)
            if (!same(x, json_array_get(b, i)))
                return 0;
        return 1;
    }
    if (json_is_object(a) && json_is_object(b)) {
        if (json_object_size(a) != json_object_size(b))
            return 0;
        json_object_foreach((json_t *)a, k, x)
            if (json_object_get(b, k) == NULL || !same(x, json_object_get(b, k)))
                return 0;
        return 1;
    }
    return json_equal((json_t *)a, (json_t *)b);
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void check(ctx *c, const json_t *s, const json_t *v, int depth);

/* How many of the schemas in list v satisfies (quietly). */
static int count_matches(ctx *c, const json_t *list, const json_t *v, int depth)
{
    size_t i;
    const json_t *s;
    int n = 0;

    json_array_foreach(list, i, s) {
        int before = c->errors;
        c->quiet++;
        check(c, s, v, depth + 1);
        c->quiet--;
        n += c->errors == before;
        c->errors = before;
    }
    return n;
}

/* Print why each alternative failed (only when not itself inside a branch). */
static void explain(ctx *c, const char *kw, const json_t *list, const json_t *v, int depth)
{
    size_t i;
    const json_t *s;

    if (c->quiet > 0)
        return;
    json_array_foreach(list, i, s) {
        int before = c->errors;
        fprintf(stderr, "%s: %s: %s[%zu] fails because:\n", c->doc, c->where[0] ? c->where : "/", kw, i);
        check(c, s, v, depth + 1);
        c->errors = before;
    }
}

static void check_numbers(ctx *c, const json_t *s, const json_t *v)
{
    const json_t *lim;
    double d = json_number_value(v);
    char b[64];

    if ((lim = json_object_get(s, "minimum")) != NULL && d < json_number_value(lim)) {
        snprintf(b, sizeof b, "%.17g", json_number_value(lim));
        err(c, "below the minimum %s", b);
    }
    if ((lim = json_object_get(s, "maximum")) != NULL && d > json_number_value(lim)) {
        snprintf(b, sizeof b, "%.17g", json_number_value(lim));
        err(c, "above the maximum %s", b);
    }
    if ((lim = json_object_get(s, "exclusiveMinimum")) != NULL && d <= json_number_value(lim)) {
        snprintf(b, sizeof b, "%.17g", json_number_value(lim));
        err(c, "not above %s (exclusiveMinimum)", b);
    }
    if ((lim = json_object_get(s, "exclusiveMaximum")) != NULL && d >= json_number_value(lim)) {
        snprintf(b, sizeof b, "%.17g", json_number_value(lim));
        err(c, "not below %s (exclusiveMaximum)", b);
    }
}

static void check_string(ctx *c, const json_t *s, const json_t *v)
{
    const json_t *lim;
    size_t n = code_points(json_string_value(v));
    char b[64];

    if ((lim = json_object_get(s, "minLength")) != NULL && n < (size_t)json_integer_value(lim)) {
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(lim));
        err(c, "shorter than %s characters", b);
    }
    if ((lim = json_object_get(s, "maxLength")) != NULL && n > (size_t)json_integer_value(lim)) {
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(lim));
        err(c, "longer than %s characters", b);
    }
    if ((lim = json_object_get(s, "pattern")) != NULL) {
        regex_t re;
        if (regcomp(&re, json_string_value(lim), REG_EXTENDED | REG_NOSUB) != 0) {
            err(c, "pattern %s does not compile", json_string_value(lim));
            return;
        }
        if (regexec(&re, json_string_value(v), 0, NULL, 0) != 0)
            err(c, "does not match the pattern %s", json_string_value(lim));
        regfree(&re);
    }
}

static void check_object(ctx *c, const json_t *s, const json_t *v, int depth)
{
    const json_t *props = json_object_get(s, "properties"), *extra = json_object_get(s, "additionalProperties"),
                 *req = json_object_get(s, "required"), *x;
    const char *k;
    size_t i, at;

    json_array_foreach(req, i, x)
        if (json_object_get(v, json_string_value(x)) == NULL)
            err(c, "the required member '%s' is missing", json_string_value(x));
    json_object_foreach((json_t *)v, k, x) {
        const json_t *sub = json_object_get(props, k);
        if (sub == NULL && extra == NULL)
            continue;
        at = push(c, k);
        if (sub != NULL)
            check(c, sub, x, depth + 1);
        else if (json_is_false(extra))
            err(c, "%s", "a member the schema does not allow (additionalProperties)");
        else
            check(c, extra, x, depth + 1);
        c->where[at] = '\0';
    }
}

static void check_array(ctx *c, const json_t *s, const json_t *v, int depth)
{
    const json_t *prefix = json_object_get(s, "prefixItems"), *items = json_object_get(s, "items"), *lim, *x;
    size_t i, at, np = json_array_size(prefix);
    char b[64];

    if ((lim = json_object_get(s, "minItems")) != NULL && json_array_size(v) < (size_t)json_integer_value(lim)) {
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(lim));
        err(c, "fewer than %s items", b);
    }
    if ((lim = json_object_get(s, "maxItems")) != NULL && json_array_size(v) > (size_t)json_integer_value(lim)) {
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(lim));
        err(c, "more than %s items", b);
    }
    json_array_foreach(v, i, x) {
        const json_t *sub = i < np ? json_array_get(prefix, i) : items;
        if (sub == NULL)
            continue;
        at = push_index(c, i);
        if (json_is_false(sub))
            err(c, "%s", "an item the schema does not allow (items: false)");
        else
            check(c, sub, x, depth + 1);
        c->where[at] = '\0';
    }
}

static void check(ctx *c, const json_t *s, const json_t *v, int depth)
{
    const json_t *x, *t;
    size_t i;
    int n;

    if (depth > MAX_DEPTH) {
        err(c, "%s", "nested too deeply (a $ref loop?)");
        return;
    }
    if (json_is_boolean(s)) {
        if (json_is_false(s))
            err(c, "%s", "nothing is allowed here (schema false)");
        return;
    }
    if ((x = json_object_get(s, "$ref")) != NULL)
        check(c, resolve(c->root, json_string_value(x)), v, depth + 1);
    if ((t = json_object_get(s, "type")) != NULL) {
        int ok = 0;
        if (json_is_string(t))
            ok = has_type(v, json_string_value(t));
        json_array_foreach(t, i, x)
            ok |= has_type(v, json_string_value(x));
        if (!ok) {
            char *want = json_dumps(t, JSON_ENCODE_ANY | JSON_COMPACT);
            err(c, "not of type %s", want ? want : "?");
            free(want);
            return; /* the rest would only repeat it */
        }
    }
    if ((x = json_object_get(s, "const")) != NULL && !same(x, v)) {
        char *want = json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT);
        err(c, "not the constant %s", want ? want : "?");
        free(want);
    }
    if ((t = json_object_get(s, "enum")) != NULL) {
        int found = 0;
        json_array_foreach(t, i, x)
            found |= same(x, v);
        if (!found)
            err(c, "%s", "not one of the values the enum allows");
    }
    if (json_is_number(v))
        check_numbers(c, s, v);
    if (json_is_string(v))
        check_string(c, s, v);
    if (json_is_object(v))
        check_object(c, s, v, depth);
    if (json_is_array(v))
        check_array(c, s, v, depth);
    json_array_foreach(json_object_get(s, "allOf"), i, x)
        check(c, x, v, depth + 1);
    if ((t = json_object_get(s, "anyOf")) != NULL && count_matches(c, t, v, depth) == 0) {
        err(c, "%s", "matches none of the anyOf alternatives");
        explain(c, "anyOf", t, v, depth);
    }
    if ((t = json_object_get(s, "oneOf")) != NULL && (n = count_matches(c, t, v, depth)) != 1) {
        char b[32];
        snprintf(b, sizeof b, "%d", n);
        err(c, "matches %s of the oneOf alternatives, not exactly one", b);
        if (n == 0)
            explain(c, "oneOf", t, v, depth);
    }
}

static json_t *load(const char *path)
{
    json_error_t e;
    json_t *j = json_load_file(path, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &e);

    if (j == NULL)
        fprintf(stderr, "%s: not JSON: %s (line %d)\n", path, e.text, e.line);
    return j;
}

int main(int argc, char **argv)
{
    json_t *schema;
    int bad = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: schemacheck SCHEMA DOC...\n");
        return 2;
    }
    if ((schema = load(argv[1])) == NULL)
        return 2;
    if (schema_check(schema, schema, "", 0) != 0) {
        fprintf(stderr, "schemacheck: %s: cannot apply this schema\n", argv[1]);
        json_decref(schema);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        ctx c = { .root = schema, .doc = argv[i] };
        json_t *doc = load(argv[i]);

        if (doc == NULL) {
            bad = 1;
            continue;
        }
        check(&c, schema, doc, 0);
        if (c.errors > 0) {
            fprintf(stderr, "%s: INVALID against %s (%d error%s)\n", argv[i], argv[1], c.errors,
                    c.errors == 1 ? "" : "s");
            bad = 1;
        } else {
            printf("%s: valid\n", argv[i]);
        }
        json_decref(doc);
    }
    json_decref(schema);
    return bad;
}
