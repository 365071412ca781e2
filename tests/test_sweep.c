/* test_sweep.c - parameter parsing, sweep points against independent runs,
 * failed points reported without stopping the sweep. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver/core/runtime.h"
#include "solver/studies/sweep.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(sweep, .init = up, .fini = down, .timeout = 120);
TestSuite(sweep_param);

Test(sweep_param, ranges_include_stop_and_lists_split) {
  SweepParam p;
  char err[EB_ERRLEN];
  cr_assert_eq(Sweep_parse_param("power.total_kw=25:40:5", &p, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(p.n, 4);
  cr_assert_str_eq(p.key, "power.total_kw");
  cr_assert_str_eq(p.values[0], "25");
  cr_assert_str_eq(p.values[3], "40");
  /* 0.1 steps accumulate round-off: STOP must still be included */
  cr_assert_eq(Sweep_parse_param("k=0:1:0.1", &p, err, sizeof err), EB_OK);
  cr_assert_eq(p.n, 11);
  cr_assert_str_eq(p.values[10], "1");
  cr_assert_eq(Sweep_parse_param("k=40:25:-5", &p, err, sizeof err), EB_OK);
  cr_assert_eq(p.n, 4);
  cr_assert_eq(Sweep_parse_param("coolant.fluid=water,pg25", &p, err, sizeof err), EB_OK);
  cr_assert_eq(p.n, 2);
  cr_assert_str_eq(p.values[1], "pg25");
  cr_assert_eq(Sweep_parse_param("k=1:2:-1", &p, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "step"), "%s", err);
  cr_assert_eq(Sweep_parse_param("nokey", &p, err, sizeof err), EB_EINPUT);
  cr_assert_eq(Sweep_parse_param("k=1,,2", &p, err, sizeof err), EB_EINPUT);
  SweepParam two[2];
  Sweep_parse_param("a=1,2,3", &two[0], err, sizeof err);
  Sweep_parse_param("b=x,y", &two[1], err, sizeof err);
  cr_assert_eq(Sweep_points(two, 2), 6);
  int idx[2];
  Sweep_point_indices(two, 2, 3, idx); /* first parameter slowest */
  cr_assert(idx[0] == 1 && idx[1] == 1);
}

typedef struct {
  double t_max[8];
  int status[8], evals[8];
  char err[8][EB_ERRLEN];
} Collected;

static int collect(size_t index, size_t total, const int *idx, SweepPoint *pt, const Grid *g,
                   void *user) {
  (void)total;
  (void)idx;
  (void)g;
  Collected *c = user;
  c->status[index] = pt->status;
  c->t_max[index] = pt->status == EB_OK ? pt->r.thermal.t_max_k : NAN;
  c->evals[index] = pt->status == EB_OK ? pt->r.thermal.nonlinear_iters : -1;
  snprintf(c->err[index], EB_ERRLEN, "%s", pt->err);
  return 0;
}

/* Sweep cases/cs3.yaml (with the base override, if any) over `param` and
 * compare each point's hottest junction with an independent run of the
 * file with the same overrides, to within tol kelvin. */
static void sweep_matches_independent(const char *base_set, const char *param, double tol) {
  SweepParam p;
  char err[EB_ERRLEN];
  cr_assert_eq(Sweep_parse_param(param, &p, err, sizeof err), EB_OK);
  static Collected got;
  static Case base, c;
  const char *sets[2] = {base_set};
  const int n0 = base_set ? 1 : 0;
  cr_assert_eq(Case_read("cases/cs3.yaml", n0, sets, &base, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Sweep_run(&base, &p, 1, NULL, collect, &got, err, sizeof err), EB_OK, "%s", err);
  for (int i = 0; i < p.n; i++) {
    char set[192];
    snprintf(set, sizeof set, "%s=%s", p.key, p.values[i]);
    sets[n0] = set;
    cr_assert_eq(Case_read("cases/cs3.yaml", n0 + 1, sets, &c, err, sizeof err), EB_OK, "%s",
                 err);
    ModelResult r;
    cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
    cr_assert_eq(got.status[i], EB_OK, "%s", got.err[i]);
    cr_assert_float_eq(got.t_max[i], r.thermal.t_max_k, tol, "%s: %.8f vs %.8f", set,
                       got.t_max[i], r.thermal.t_max_k);
    ModelResult_free(&r);
  }
}

/* Each warm-started sweep point must match a cold, independent solve. The
 * issue's bound is 0.05 K; with the solver tolerances the difference is far
 * smaller, so 1e-3 K is asserted. */
Test(sweep, points_match_independent_runs) {
  sweep_matches_independent("grid.dx_mm=3", "power.total_kw=20:40:10", 1e-3);
}

/* A point of a sweep over a key that changes the grid (the lateral cell)
 * equals an independent run of that case: the model rebuilds the grid and
 * its solver when their inputs change (a cold solve, as the independent
 * run's: 1e-6 K), and the case is set in memory with the result of --set. */
Test(sweep, grid_changing_points_match_independent_runs) {
  sweep_matches_independent(NULL, "grid.dx_mm=5,4", 1e-6);
}

/* Sweeping the inlet moves the brick cold plate's coolant with it (it
 * follows coolant.inlet_c when not set), as --set on the file does. */
Test(sweep, inlet_sweep_moves_the_brick_plate_too) {
  sweep_matches_independent("grid.dx_mm=5", "coolant.inlet_c=21,35", 1e-3);
}

/* A second inlet's points start from the first inlet's: the change of the
 * rise from the last power to this one carried over (thermal.c,
 * warm_guess). CS-4 at 4 mm cells, the sweep's 5 mK tolerance, visited
 * (15 C: 24, 30, 36 kW), then (30 C: 36, 30, 24 kW). The first inlet's
 * 30 kW starts from 24 kW's answer scaled by the power and takes 4
 * evaluations; at 30 C, 30 kW (one answer at this inlet, carried over) and
 * 24 kW (two) take 3, as 4 when the first inlet's answers were dropped at
 * the inlet change. Every point still matches a cold solve. */
Test(sweep, another_inlet_carries_its_power_steps_over) {
  static const char *sets[] = {"grid.dx_mm=4", "solver.nonlinear_tol_k=0.005", NULL};
  SweepParam p[2];
  char err[EB_ERRLEN];
  cr_assert_eq(Sweep_parse_param("coolant.inlet_c=15,30", &p[0], err, sizeof err), EB_OK);
  cr_assert_eq(Sweep_parse_param("power.total_kw=24,30,36", &p[1], err, sizeof err), EB_OK);
  static Collected got;
  static Case base, c;
  cr_assert_eq(Case_read("cases/cs4.yaml", 2, sets, &base, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Sweep_run(&base, p, 2, NULL, collect, &got, err, sizeof err), EB_OK, "%s", err);
  for (int q = 0; q < 6; q++) cr_assert_eq(got.status[q], EB_OK, "%s", got.err[q]);
  /* index = inlet * 3 + power */
  cr_expect_eq(got.evals[1], 4, "15 C, 30 kW (scaled): %d evaluations", got.evals[1]);
  cr_expect_lt(got.evals[4], got.evals[1], "30 C, 30 kW: %d evaluations", got.evals[4]);
  cr_expect_lt(got.evals[3], got.evals[1], "30 C, 24 kW: %d evaluations", got.evals[3]);
  for (int q = 0; q < 6; q++) {
    char inlet[64], power[64];
    snprintf(inlet, sizeof inlet, "coolant.inlet_c=%s", p[0].values[q / 3]);
    snprintf(power, sizeof power, "power.total_kw=%s", p[1].values[q % 3]);
    const char *all[] = {sets[0], inlet, power};
    cr_assert_eq(Case_read("cases/cs4.yaml", 3, all, &c, err, sizeof err), EB_OK, "%s", err);
    ModelResult r;
    cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
    /* the sweep's 5 mK fixed point against a cold 0.5 mK one */
    cr_expect(fabs(got.t_max[q] - r.thermal.t_max_k) < 5e-3, "%s %s: %.6f vs %.6f", inlet, power,
              got.t_max[q], r.thermal.t_max_k);
    ModelResult_free(&r);
  }
}

/* A point whose solver gives up is reported (naming the cap it hit) and the
 * next point still runs. */
Test(sweep, failed_point_does_not_stop_the_sweep) {
  const char *sets[] = {"grid.dx_mm=4"};
  SweepParam p;
  char err[EB_ERRLEN];
  cr_assert_eq(Sweep_parse_param("solver.max_nonlinear_iters=1,50", &p, err, sizeof err), EB_OK);
  static Collected got;
  static Case base;
  cr_assert_eq(Case_read("cases/cs3.yaml", 1, sets, &base, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Sweep_run(&base, &p, 1, NULL, collect, &got, err, sizeof err), EB_OK);
  cr_assert_eq(got.status[0], EB_EFAIL);
  cr_assert(strstr(got.err[0], "solver.max_nonlinear_iters = 1"), "%s", got.err[0]);
  cr_assert_eq(got.status[1], EB_OK, "%s", got.err[1]);
}

/* The visiting order walks the product as a snake: every point once, and
 * each visit one step along one axis from the last (what the warm start
 * extrapolates from). Listed (zipped) points keep their order. */
Test(sweep_param, visits_walk_the_product_one_step_at_a_time) {
  static SweepParam ps[3];
  char err[256];
  cr_assert_eq(Sweep_parse_param("coolant.flow_lpm=60,80,100", &ps[0], err, sizeof err), EB_OK);
  cr_assert_eq(Sweep_parse_param("coolant.inlet_c=15,25,35,45", &ps[1], err, sizeof err), EB_OK);
  cr_assert_eq(Sweep_parse_param("power.total_kw=20:40:5", &ps[2], err, sizeof err), EB_OK);
  const size_t total = Sweep_points(ps, 3);
  cr_assert_eq(total, 60);
  int seen[60] = {0}, last[3] = {0};
  for (size_t s = 0; s < total; s++) {
    const size_t q = Sweep_visit(ps, 3, s);
    cr_assert_lt(q, total);
    cr_assert_eq(seen[q]++, 0, "point %zu visited twice", q);
    int idx[3];
    Sweep_point_indices(ps, 3, q, idx);
    if (s == 0) cr_assert_eq(q, 0, "the walk starts at the first point");
    else {
      int steps = 0;
      for (int i = 0; i < 3; i++) steps += abs(idx[i] - last[i]);
      cr_assert_eq(steps, 1, "visit %zu (point %zu) is %d steps from the last", s, q, steps);
    }
    memcpy(last, idx, sizeof last);
  }
  ps[1].zip = 1; /* listed points */
  ps[2].zip = 1;
  ps[1].n = ps[2].n = ps[0].n;
  for (size_t s = 0; s < Sweep_points(ps, 3); s++) cr_assert_eq(Sweep_visit(ps, 3, s), s);
}
