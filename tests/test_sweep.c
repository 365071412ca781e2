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

/* Each warm-started sweep point must match a cold, independent solve. The
 * issue's bound is 0.05 K; with the solver tolerances the difference is far
 * smaller, so 1e-3 K is asserted. */
Test(sweep, points_match_independent_runs) {
  const char *sets[] = {"grid.dx_mm=3"};
  SweepParam p;
  char err[EB_ERRLEN];
  cr_assert_eq(Sweep_parse_param("power.total_kw=20:40:10", &p, err, sizeof err), EB_OK);
  static Collected got;
  static Case base;
  cr_assert_eq(Case_read("cases/cs3.yaml", 1, sets, &base, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Sweep_run(&base, &p, 1, NULL, collect, &got, err, sizeof err), EB_OK, "%s", err);
  for (int i = 0; i < p.n; i++) {
    char set2[64];
    snprintf(set2, sizeof set2, "power.total_kw=%s", p.values[i]);
    const char *s2[] = {"grid.dx_mm=3", set2};
    static Case c;
    cr_assert_eq(Case_read("cases/cs3.yaml", 2, s2, &c, err, sizeof err), EB_OK, "%s", err);
    ModelResult r;
    cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
    cr_assert_eq(got.status[i], EB_OK, "%s", got.err[i]);
    cr_assert_float_eq(got.t_max[i], r.thermal.t_max_k, 1e-3, "point %d: %.6f vs %.6f", i,
                       got.t_max[i], r.thermal.t_max_k);
    ModelResult_free(&r);
  }
}

/* A point of a sweep over a key that changes the grid (the lateral cell)
 * equals an independent run of that case exactly: the model rebuilds the
 * grid when its inputs change, and the case is set in memory with the same
 * result as --set on the file. */
Test(sweep, grid_changing_points_match_independent_runs) {
  SweepParam p;
  char err[EB_ERRLEN];
  cr_assert_eq(Sweep_parse_param("grid.dx_mm=5,4", &p, err, sizeof err), EB_OK);
  static Collected got;
  static Case base;
  cr_assert_eq(Case_read("cases/cs3.yaml", 0, NULL, &base, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Sweep_run(&base, &p, 1, NULL, collect, &got, err, sizeof err), EB_OK, "%s", err);
  for (int i = 0; i < p.n; i++) {
    char set[64];
    snprintf(set, sizeof set, "grid.dx_mm=%s", p.values[i]);
    const char *s1[] = {set};
    static Case c;
    cr_assert_eq(Case_read("cases/cs3.yaml", 1, s1, &c, err, sizeof err), EB_OK, "%s", err);
    ModelResult r;
    cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
    cr_assert_eq(got.status[i], EB_OK, "%s", got.err[i]);
    cr_assert_float_eq(got.t_max[i], r.thermal.t_max_k, 1e-6, "point %d: %.8f vs %.8f", i,
                       got.t_max[i], r.thermal.t_max_k);
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
