/* test_sweep.c - parameter parsing, sweep points against independent runs,
 * failed points reported without stopping the sweep. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
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
  int status[8];
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
