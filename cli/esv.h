/* SPDX-License-Identifier: Apache-2.0 */
/*
 * esv.h - internal to cli/esv_*.c: `ea90b esv` (docs/esv.md), the drafts of a
 * submission to NIST's Entropy Source Validation (ESV) server following its
 * protocol (usnistgov/ESV-Server, "Entropy Source Validation Protocol",
 * esvVersion 1.0). esv_cmd.c reads and checks the assessed collections and
 * writes the files; esv_json.c builds the three JSON drafts (their schemas are
 * tests/esv/, one .schema.json per draft).
 */
#ifndef EA_CLI_ESV_H
#define EA_CLI_ESV_H

#include <jansson.h>

#include "assess.h"
#include "common.h"

/* Protocol section 4: every data file holds exactly one million samples, one per byte. */
#define EA_ESV_SAMPLES 1000000L
/* What a value only the vendor can give starts with (the schemas match it). */
#define EA_ESV_FILL "<TO BE FILLED BY THE VENDOR"
/* --conditioning components at most */
#define EA_ESV_MAX_COND 16

/* One operational environment (OE): an assessed collection, read and checked. */
typedef struct {
    const char *dir;        /* as given */
    json_t *doc;            /* its report/report.json */
    const char *sname;      /* the samples file the verdict rests on */
    ea_input raw, rst;      /* that file and restart.bin */
    char raw_sha[65];       /* SHA-256 of the first EA_ESV_SAMPLES samples */
    int bits;               /* claim.bits_per_sample */
    int claim_iid;          /* assessed with --iid-claim */
    int iid_passed;         /* verdict.iid_passed: 1, 0, -1 when absent */
    double h;               /* min(verdict.h_final, restart.h_min): min(H_r, H_c, H_I) (0: none validated) */
    const char *cond;       /* its conditioning stage's parameters when that stage ran */
    char raw_file[40], rst_file[40];  /* the data files' names in the output */
} ea_esv_oe;

/* "<TO BE FILLED BY THE VENDOR: ...>" as a JSON string. */
json_t *ea_esv_fill(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * registration.draft.json for oes[0..n-1] (n >= 1, all of one bitsPerSample and
 * IID claim) and the conditioning components cond[0..ncond-1] in the order they
 * are applied. notes (an array of strings, consumed) gathers what the vendor
 * should know. NULL after a message (a component whose output entropy cannot
 * be computed).
 */
json_t *ea_esv_registration(const ea_esv_oe *oes, int n, const ea_cond_spec *cond, int ncond, json_t *notes);

/* certify.draft.json (protocol section 5.1): one entropyAssessments entry per OE. */
json_t *ea_esv_certify(const ea_esv_oe *oes, int n);

/* supporting-documents.json (protocol section 4): the EAR and PUD uploads. */
json_t *ea_esv_supporting(void);

#endif
