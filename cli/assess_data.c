/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assess_data.c - raw data characterisation for the report (context for
 * SP 800-90B §3.1.1 and §3.2.2's description of the noise source): the
 * symbol histogram, range and mean, the share of the most common symbol,
 * the sample autocorrelation at lags 1-32, and a summary of the raw timer
 * deltas with their first stretch for plotting.
 */
#include <math.h>

#include "assess.h"

#define AC_LAGS 32
#define RAW_STRETCH 600

static void set_num(json_t *o, const char *k, double v)
{
    json_object_set_new(o, k, json_real(isfinite(v) ? v : 0.0));
}

static void set_int(json_t *o, const char *k, long long v)
{
    json_object_set_new(o, k, json_integer((json_int_t)v));
}

/* r_k = sum (x_i - m)(x_{i+k} - m) / sum (x_i - m)^2 over the raw samples. */
static json_t *autocorrelation(const uint8_t *x, size_t n, double mean)
{
    json_t *a = json_array();
    double var = 0.0;

    for (size_t i = 0; i < n; i++)
        var += ((double)x[i] - mean) * ((double)x[i] - mean);
    for (size_t k = 1; k <= AC_LAGS; k++) {
        double s = 0.0;
        for (size_t i = 0; i + k < n; i++)
            s += ((double)x[i] - mean) * ((double)x[i + k] - mean);
        json_array_append_new(a, json_real(var > 0.0 && k < n ? s / var : 0.0));
    }
    return a;
}

static json_t *raw_summary(const uint64_t *raw, size_t n)
{
    json_t *o = json_object(), *st = json_array();
    uint64_t lo = UINT64_MAX, hi = 0;
    double sum = 0.0;

    for (size_t i = 0; i < n; i++) {
        if (raw[i] < lo) lo = raw[i];
        if (raw[i] > hi) hi = raw[i];
        sum += (double)raw[i];
        if (i < RAW_STRETCH)
            json_array_append_new(st, json_integer((json_int_t)raw[i]));
    }
    json_object_set_new(o, "file", json_string("raw.u64"));
    set_int(o, "count", (long long)n);
    set_num(o, "min", n ? (double)lo : 0.0);
    set_num(o, "max", (double)hi);
    set_num(o, "mean", n ? sum / (double)n : 0.0);
    json_object_set_new(o, "stretch", st);
    return o;
}

json_t *ea_assess_data(const ea_dataset *ds, const uint64_t *raw, size_t nraw)
{
    json_t *o = json_object(), *hist = json_array();
    size_t counts[256] = { 0 }, top = 0;
    double sum = 0.0;
    int lo = 255, hi = 0, width = 1 << ds->bits;

    for (size_t i = 0; i < ds->len; i++) {
        counts[ds->raw[i]]++;
        sum += ds->raw[i];
    }
    for (int v = 0; v < 256; v++) {
        if (counts[v] == 0)
            continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (counts[v] > top) top = counts[v];
    }
    for (int v = 0; v < width; v++)
        json_array_append_new(hist, json_integer((json_int_t)counts[v]));
    json_object_set_new(o, "file", json_string("samples.bin"));
    set_int(o, "samples", (long long)ds->len);
    set_int(o, "bits_per_symbol", ds->bits);
    set_int(o, "data_bits", ds->data_bits);
    set_int(o, "alphabet_size", ds->alph_size);
    set_int(o, "min", ds->len ? lo : 0);
    set_int(o, "max", hi);
    set_num(o, "mean", ds->len ? sum / (double)ds->len : 0.0);
    set_num(o, "max_share", ds->len ? (double)top / (double)ds->len : 0.0);
    json_object_set_new(o, "histogram", hist);
    json_object_set_new(o, "autocorrelation",
                        autocorrelation(ds->raw, ds->len, ds->len ? sum / (double)ds->len : 0.0));
    json_object_set_new(o, "raw", raw != NULL ? raw_summary(raw, nraw) : json_null());
    return o;
}
