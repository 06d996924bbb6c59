/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A stand-in for a jitterentropy source tree, for the tests of
 * scripts/jent-recorder (CI cannot fetch the library). Only what the
 * script reads: the version macros, named as the library names them.
 */
#define JENT_MAJVERSION 3
#define JENT_MINVERSION 6
#define JENT_PATCHLEVEL 3
