/* test_steady.c - the steady driver (KINSOL fixed point with Anderson):
 * converges on contractions to its own measure, honours its evaluation cap,
 * and tells a slow contraction (more evaluations help) from one that does
 * not contract (they would not). */
#include <criterion/criterion.h>
#include <math.h>

#include "cases/case.h"
#include "solver/core/steady.h"

/* g_i = a u_i + b_i: a contraction for |a| < 1 with the fixed point
 * b_i / (1 - a); the plain iteration's error falls by |a| per step. */
typedef struct {
  double a;
  int fail_at; /* evaluation at which the map reports failure (0: never) */
} Linear;

static int linear_map(const double *u, double *g, const SteadyState *st, void *user) {
  const Linear *l = user;
  if (l->fail_at && st->evals + 1 == l->fail_at) return 1;
  for (int i = 0; i < 4; i++) g[i] = l->a * u[i] + (i + 1.0);
  return 0;
}

/* Anderson on an affine map reaches the fixed point in a few evaluations;
 * the answer is within tol of b / (1 - a) in the driver's own measure (the
 * change of the last evaluation bounds the error by tol / (1 - a)). */
Test(steady, converges_to_its_own_measure) {
  Linear l = {.a = 0.9};
  double u[4] = {0, 0, 0, 0};
  SteadyOptions o = {.tol = 1e-9, .max_evals = 50, .anderson_depth = 3};
  SteadyStats st;
  char err[256];
  cr_assert_eq(Steady_solve(linear_map, &l, u, 4, &o, &st, err, sizeof err), EB_OK, "%s", err);
  cr_assert(st.converged && st.last_update <= 1e-9);
  for (int i = 0; i < 4; i++)
    cr_expect_float_eq(u[i], (i + 1.0) / (1.0 - l.a), 1e-9 / (1.0 - l.a) + 1e-12, "u[%d] = %.12g",
                       i, u[i]);
  cr_expect_lt(st.evals, 15, "Anderson should need few evaluations, took %d", st.evals);
}

/* With plain steps (no Anderson) a = 0.9 contracts slowly: a cap of 20
 * evaluations stops it, the driver says so, and the estimate of the
 * evaluations still needed follows the rate 0.9: log(tol / d) / log(0.9). */
Test(steady, slow_contraction_estimates_what_is_left) {
  Linear l = {.a = 0.9};
  double u[4] = {0, 0, 0, 0};
  SteadyOptions o = {.tol = 1e-6, .max_evals = 20, .anderson_depth = 0};
  SteadyStats st;
  char err[256];
  cr_assert_eq(Steady_solve(linear_map, &l, u, 4, &o, &st, err, sizeof err), EB_EFAIL);
  cr_assert_eq(st.evals, 20, "the cap is honoured: %d evaluations", st.evals);
  cr_assert(!st.converged && !st.map_failed);
  int more = Steady_evals_to_converge(&st, o.tol);
  double exact = log(o.tol / st.last_update) / log(0.9);
  cr_expect(more >= exact - 1 && more <= exact + 2, "estimate %d, exact %.1f", more, exact);
}

/* a = 1.05 does not contract: no number of evaluations helps (-1); too few
 * evaluations to tell give -2. */
Test(steady, no_contraction_is_said) {
  Linear l = {.a = 1.05};
  double u[4] = {0, 0, 0, 0};
  SteadyOptions o = {.tol = 1e-6, .max_evals = 12, .anderson_depth = 0};
  SteadyStats st;
  char err[256];
  cr_assert_eq(Steady_solve(linear_map, &l, u, 4, &o, &st, err, sizeof err), EB_EFAIL);
  cr_expect_eq(Steady_evals_to_converge(&st, o.tol), -1);
  o.max_evals = 2;
  u[0] = u[1] = u[2] = u[3] = 0.0;
  cr_assert_eq(Steady_solve(linear_map, &l, u, 4, &o, &st, err, sizeof err), EB_EFAIL);
  cr_expect_eq(Steady_evals_to_converge(&st, o.tol), -2);
}

/* A map that fails stops the solve at once, reported as such. */
Test(steady, map_failure_stops) {
  Linear l = {.a = 0.5, .fail_at = 3};
  double u[4] = {0, 0, 0, 0};
  SteadyOptions o = {.tol = 1e-12, .max_evals = 50, .anderson_depth = 3};
  SteadyStats st;
  char err[256];
  cr_assert_eq(Steady_solve(linear_map, &l, u, 4, &o, &st, err, sizeof err), EB_EFAIL);
  cr_expect(st.map_failed);
  cr_expect_eq(st.evals, 2);
}

/* The estimate (SteadyOptions.estimate): on g = 0.08 u + b from 0 the
 * updates are 4, 0.32, 0.0256, 0.002 (x 0.08 each). With tol 0.02 the
 * plain rule needs the fourth evaluation (0.0256 > tol); the estimate stops
 * at the third, whose G(u) is within q / (1 - q) 0.0256 = 2.2e-3 of the
 * fixed point (exact for an affine map), under tol / 2 and under the
 * estimate itself (q floored at 0.1 overstates 0.08). */
Test(steady, the_error_estimate_stops_a_fast_contraction_early) {
  Linear l = {.a = 0.08};
  SteadyOptions o = {.tol = 0.02, .max_evals = 50, .anderson_depth = 0};
  SteadyStats st;
  char err[256];
  double u[4] = {0, 0, 0, 0};
  cr_assert_eq(Steady_solve(linear_map, &l, u, 4, &o, &st, err, sizeof err), EB_OK, "%s", err);
  cr_expect_eq(st.evals, 4, "the plain rule: %d evaluations", st.evals);
  cr_expect(!st.by_estimate);
  o.estimate = 1;
  for (int i = 0; i < 4; i++) u[i] = 0.0;
  cr_assert_eq(Steady_solve(linear_map, &l, u, 4, &o, &st, err, sizeof err), EB_OK, "%s", err);
  cr_expect_eq(st.evals, 3, "with the estimate: %d evaluations", st.evals);
  cr_expect(st.by_estimate && st.converged);
  cr_expect(st.last_update > o.tol, "the last update %.3g is above tol", st.last_update);
  for (int i = 0; i < 4; i++) {
    const double exact = (i + 1.0) / (1.0 - l.a), e = fabs(u[i] - exact);
    cr_expect(e <= 0.5 * o.tol && e <= st.error_estimate, "u[%d] off by %.3g (estimate %.3g)", i,
              e, st.error_estimate);
  }
}

/* A slow contraction (q = 0.6 >= STEADY_Q_MAX) is not trusted to the
 * estimate: the plain rule decides, as without it. */
Test(steady, the_error_estimate_is_not_used_for_a_slow_contraction) {
  Linear l = {.a = 0.6};
  SteadyOptions o = {.tol = 1e-6, .max_evals = 100, .anderson_depth = 0, .estimate = 1};
  SteadyStats st;
  char err[256];
  double u[4] = {0, 0, 0, 0};
  cr_assert_eq(Steady_solve(linear_map, &l, u, 4, &o, &st, err, sizeof err), EB_OK, "%s", err);
  cr_expect(!st.by_estimate);
  cr_expect_leq(st.last_update, o.tol);
}
