/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_util.c - pieces shared by ea90b's own JSON reports.
 */
#include "json_util.h"

double ea_nz(double v)
{
    return v == 0.0 ? 0.0 : v;
}

long double ea_nzl(long double v)
{
    return v == 0.0L ? 0.0L : v;
}

json_t *ea_json_real(double v)
{
    return json_real(ea_nz(v));
}

static void set_int(json_t *o, const char *k, long v)
{
    json_object_set_new(o, k, json_integer((json_int_t)v));
}

json_t *ea_json_input(const char *filename, const char *sha256, size_t file_bytes,
                      const ea_dataset *ds, unsigned long subset_index,
                      unsigned long subset_size)
{
    json_t *o = json_object();

    json_object_set_new(o, "filename", json_string(filename ? filename : ""));
    json_object_set_new(o, "sha256", json_string(sha256 ? sha256 : ""));
    set_int(o, "file_bytes", (long)file_bytes);
    set_int(o, "samples", (long)ds->len);
    set_int(o, "bits_per_symbol", ds->bits);
    set_int(o, "data_bits", ds->data_bits);
    set_int(o, "alphabet_size", ds->alph_size);
    json_object_set_new(o, "translated", json_boolean(ds->translated));
    set_int(o, "bitstring_bits", (long)ds->blen);
    if (subset_size > 0) {
        json_t *sub = json_object();
        set_int(sub, "index", (long)subset_index);
        set_int(sub, "samples", (long)subset_size);
        json_object_set_new(o, "subset", sub);
    }
    return o;
}

json_t *ea_json_report(int schema, const char *command, const char *commandline,
                       const char *timestamp)
{
    json_t *o = json_object();

    json_object_set_new(o, "schema", json_integer(schema));
    json_object_set_new(o, "tool", json_string("ea90b"));
    json_object_set_new(o, "version", json_string(EA90B_VERSION));
    json_object_set_new(o, "nist_compat", json_string(EA90B_NIST_VERSION));
    json_object_set_new(o, "command", json_string(command));
    json_object_set_new(o, "commandline", json_string(commandline ? commandline : ""));
    json_object_set_new(o, "timestamp", json_string(timestamp ? timestamp : ""));
    return o;
}

int ea_json_dump(FILE *f, json_t *o)
{
    int rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17));

    json_decref(o);
    if (rc == 0 && fputc('\n', f) == EOF)
        rc = -1;
    return rc;
}
