/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gamma.h - internal numerics of the SP 800-90B §5.2 tests (chi_square.c,
 * lrs_test.c): the regularized incomplete gamma functions that turn a
 * chi-square statistic into a p-value, and the symbol proportions both
 * tests start from. Not part of the public interface.
 */
#ifndef EA_GAMMA_H
#define EA_GAMMA_H

#include <stddef.h>
#include <stdint.h>

/*
 * ln Γ(a) for a > 0 (Stirling's series, after shifting a up to at least
 * 10 by Γ(a + 1) = a Γ(a)). Absolute error a few units in the last place
 * of the larger of ln Γ(a) and ln Γ(a + m). Thread-safe (unlike lgamma(), which sets the global signgam).
 */
double ea_log_gamma(double a);

/*
 * Regularized incomplete gamma functions
 *   P(a, x) = γ(a, x) / Γ(a),   Q(a, x) = Γ(a, x) / Γ(a) = 1 - P(a, x),
 * with the conventions of NIST's tool, so that p-values agree with it in
 * the corner cases:
 *   - a <= 0 or x <= 0: P = 0, Q = 1 (a chi-square test with df <= 0, or a
 *     zero statistic, has p-value 1);
 *   - when the factor x^a e^-x / Γ(a) is below e^-EA_GAMMA_LOG_TINY
 *     (it would underflow), the series side is taken as 0 (so P = 0 or
 *     Q = 0 exactly); the reference prints a warning there, we do not.
 * Accuracy: a few 1e-16 relative where the result is not tiny, plus what
 * the rounding of a ln x - x - ln Γ(a) costs for large a (the reference
 * has the same term; see gamma.c).
 */
double ea_gamma_p(double a, double x);
double ea_gamma_q(double a, double x);

/* Upper-tail p-value of a chi-square statistic: Q(df / 2, stat / 2). */
double ea_chisq_pvalue(double stat, long df);

#endif
