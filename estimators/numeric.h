/* SPDX-License-Identifier: Apache-2.0 */
/*
 * numeric.h - internal numeric helpers shared by the estimators.
 * Not part of the public interface.
 */
#ifndef EA_NUMERIC_H
#define EA_NUMERIC_H

#include <float.h>
#include <stdint.h>

/*
 * Z_(1-α/2) for α = 0.01: the 99% two-sided bound used throughout
 * SP 800-90B §6.3 (2.576 in the text; NIST's tool uses this many digits).
 */
#define EA_ZALPHA 2.5758293035489008
#define EA_ZALPHA_L 2.575829303548900384158L

/*
 * Binary searches in §6.3.2, §6.3.4 and §6.3.7-10 stop after this many
 * halvings (the number of distinct doubles reachable by bisection of a
 * [0,1] interval, as chosen by NIST's tool).
 */
#define EA_ITERMAX 1076

/*
 * Closeness test used to stop the binary searches: relative within
 * max_rel, else absolute within max_abs when a relative test is
 * meaningless, else within max_ulp units in the last place. Mirrors the
 * stopping rule of NIST's tool so the last digits of p agree.
 */
int ea_close_enough(double a, double b, double max_abs, double max_rel, uint32_t max_ulp);

/* Is x in the closed / open interval spanned by a and b (either order)? */
static inline int ea_in_closed(double x, double a, double b)
{
    return a > b ? (x >= b && x <= a) : (x >= a && x <= b);
}

static inline int ea_in_open(double x, double a, double b)
{
    return a > b ? (x > b && x < a) : (x > a && x < b);
}

#endif
