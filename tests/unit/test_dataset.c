/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_dataset.c - dataset loading with the reference tool's semantics.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ea90b.h"

Test(dataset, infers_width_from_highest_bit)
{
    const uint8_t in[] = { 0, 3, 5, 1 };
    ea_dataset ds;

    cr_assert_eq(ea_dataset_init(&ds, in, sizeof in, 0), EA_OK);
    cr_expect_eq(ds.bits, 3);
    cr_expect_eq(ds.data_bits, 3);
    cr_expect_eq(ds.len, 4);
    cr_expect_eq(ds.blen, 12);
    ea_dataset_free(&ds);
}

Test(dataset, bitstring_is_msb_first_from_unmapped_symbols)
{
    const uint8_t in[] = { 2, 6 };   /* only 2 of 8 symbols occur: mapped to 0,1 */
    const uint8_t bits[] = { 0, 1, 0, 1, 1, 0 };
    ea_dataset ds;

    cr_assert_eq(ea_dataset_init(&ds, in, sizeof in, 3), EA_OK);
    cr_expect_eq(ds.alph_size, 2);
    cr_expect_eq(ds.translated, 1);
    cr_expect_eq(ds.symbols[0], 0);
    cr_expect_eq(ds.symbols[1], 1);
    cr_expect_eq(ds.raw[1], 6);
    cr_expect_arr_eq(ds.bitstring, bits, sizeof bits);
    ea_dataset_free(&ds);
}

Test(dataset, no_mapping_when_symbols_are_dense_from_zero)
{
    const uint8_t in[] = { 0, 1, 2, 1 };
    ea_dataset ds;

    cr_assert_eq(ea_dataset_init(&ds, in, sizeof in, 2), EA_OK);
    cr_expect_eq(ds.alph_size, 3);
    cr_expect_eq(ds.translated, 0);
    cr_expect_eq(ds.max_symbol, 2);
    ea_dataset_free(&ds);
}

Test(dataset, wider_than_declared_is_an_error)
{
    const uint8_t in[] = { 0, 200 };
    ea_dataset ds;

    cr_expect_eq(ea_dataset_init(&ds, in, sizeof in, 4), EA_ERR_WIDTH);
    ea_dataset_free(&ds);
}

Test(dataset, narrower_than_declared_is_kept_and_flagged)
{
    const uint8_t in[] = { 0, 1, 3 };
    ea_dataset ds;

    cr_assert_eq(ea_dataset_init(&ds, in, sizeof in, 8), EA_OK);
    cr_expect_eq(ds.bits, 8);
    cr_expect_eq(ds.data_bits, 2);
    cr_expect_eq(ds.blen, 24);
    ea_dataset_free(&ds);
}

Test(dataset, one_bit_data_shares_symbols_and_bitstring)
{
    const uint8_t in[] = { 1, 0, 1, 1 };
    ea_dataset ds;

    cr_assert_eq(ea_dataset_init(&ds, in, sizeof in, 0), EA_OK);
    cr_expect_eq(ds.bits, 1);
    cr_expect_eq(ds.bitstring, ds.symbols);
    ea_dataset_free(&ds);
}

Test(dataset, bad_arguments)
{
    const uint8_t in[] = { 1 };
    ea_dataset ds;

    cr_expect_eq(ea_dataset_init(&ds, in, 0, 0), EA_ERR_EMPTY);
    cr_expect_eq(ea_dataset_init(&ds, in, 1, 9), EA_ERR_BITS);
    cr_expect_eq(ea_dataset_init(&ds, in, 1, -1), EA_ERR_BITS);
    cr_expect_eq(ea_dataset_init(NULL, in, 1, 0), EA_ERR_ARG);
    cr_expect_eq(ea_dataset_init(&ds, NULL, 1, 0), EA_ERR_ARG);
    ea_dataset_free(&ds);
    ea_dataset_free(NULL);
}

Test(dataset, truncate_bits)
{
    uint8_t in[100];
    ea_dataset ds;

    for (int i = 0; i < 100; i++)
        in[i] = (uint8_t)i;
    cr_assert_eq(ea_dataset_init(&ds, in, sizeof in, 0), EA_OK);
    ea_dataset_truncate_bits(&ds, 50);
    cr_expect_eq(ds.blen, 50);
    ea_dataset_truncate_bits(&ds, 5000);
    cr_expect_eq(ds.blen, 50);
    ea_dataset_free(&ds);
}

Test(status, every_status_has_a_message)
{
    for (int s = 0; s >= -9; s--) {
        const char *m = ea_strerror((ea_status)s);
        cr_assert_not_null(m);
        cr_expect_neq(strcmp(m, "unknown status"), 0, "status %d", s);
    }
    cr_expect_str_eq(ea_strerror((ea_status)-100), "unknown status");
}
