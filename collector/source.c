/* SPDX-License-Identifier: Apache-2.0 */
/*
 * source.c - the noise-source interface of collector/source.h: open, read
 * and close a "jent" or "memtouch" source (SP 800-90B §2.2.1, §3.2.2
 * requirement 4: raw samples recorded before any conditioning).
 */
#include <stdlib.h>
#include <string.h>

#include "source_int.h"

struct ea_source {
    ea_src_kind kind;
    ea_timer_id timer;
    ea_src_config cfg;   /* as used: defaults resolved */
    ea_jent *jent;
    ea_memtouch *mt;
};

int ea_src_kind_parse(const char *s, ea_src_kind *k)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "jent") == 0)
        *k = EA_SRC_JENT;
    else if (strcmp(s, "memtouch") == 0)
        *k = EA_SRC_MEMTOUCH;
    else
        return -1;
    return 0;
}

static ea_status open_kind(ea_source *s, const ea_src_config *cfg, char *err, size_t errlen)
{
    ea_status st;

    if (s->kind == EA_SRC_JENT) {
        st = ea_jent_open(cfg, s->timer, &s->jent, err, errlen);
        if (st == EA_OK)
            ea_jent_config(s->jent, &s->cfg);
        return st;
    }
    if (s->kind == EA_SRC_MEMTOUCH)
        return ea_memtouch_open(s->timer, &s->mt, err, errlen);
    return ea_col_fail(EA_ERR_ARG, err, errlen, "unknown source kind %d", (int)s->kind);
}

ea_status ea_source_open(const ea_src_config *cfg, ea_source **out, char *err, size_t errlen)
{
    ea_source *s;
    ea_status st;

    if (out == NULL || cfg == NULL)
        return ea_col_fail(EA_ERR_ARG, err, errlen, "no source configuration");
    *out = NULL;
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory");
    s->kind = cfg->kind;
    s->cfg = *cfg;
    if (cfg->kind == EA_SRC_MEMTOUCH) {   /* jent's parameters do not apply */
        s->cfg.memory_bits = 0;
        s->cfg.hash_loops = 0;
        s->cfg.mem_loops = 0;
    }
    st = ea_timer_resolve(cfg->timer, &s->timer, err, errlen);
    if (st == EA_OK)
        st = open_kind(s, cfg, err, errlen);
    if (st != EA_OK) {
        ea_source_close(s);
        return st;
    }
    *out = s;
    return EA_OK;
}

ea_status ea_source_read(ea_source *s, uint64_t *deltas, size_t n, char *err, size_t errlen)
{
    if (s == NULL || (deltas == NULL && n > 0))
        return ea_col_fail(EA_ERR_ARG, err, errlen, "no source or buffer");
    if (s->jent != NULL) {
        ea_status st = ea_jent_read(s->jent, deltas, n);
        if (st != EA_OK)
            return ea_col_fail(st, err, errlen, "SHA3-256 failed in OpenSSL during collection");
        return EA_OK;
    }
    ea_memtouch_read(s->mt, deltas, n);
    return EA_OK;
}

const char *ea_source_name(const ea_source *s)
{
    return s->kind == EA_SRC_MEMTOUCH ? "memtouch" : "jent";
}

const char *ea_source_timer_name(const ea_source *s)
{
    return ea_timer_id_name(s->timer);
}

void ea_source_config_used(const ea_source *s, ea_src_config *cfg)
{
    *cfg = s->cfg;
}

void ea_source_close(ea_source *s)
{
    if (s == NULL)
        return;
    ea_jent_close(s->jent);
    ea_memtouch_close(s->mt);
    free(s);
}
