/* test_map.c - the design map's plan (solver/studies/map.h): which points
 * are solved, the weights that rebuild the rest, and the check points;
 * and zipped sweep parameters (listed points). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver/studies/map.h"

static void param(SweepParam *p, const char *text) {
  char err[256];
  cr_assert_eq(Sweep_parse_param(text, p, err, sizeof err), EB_OK, "%s", err);
}

/* What level 1 must rebuild exactly: a cubic in power, quadratics in the
 * inlet and the flow, with their products (the tensor product). */
static double f1(double p, double t, double flow) {
  return 3.0 + 0.9 * p + 0.011 * p * p - 2e-4 * p * p * p + 1.02 * t - 0.004 * p * t +
         2e-4 * p * p * t + 3e-4 * t * t - 1e-6 * p * p * p * t * t + 0.3 * flow -
         1e-3 * flow * flow + 2e-6 * p * p * p * t * t * flow * flow;
}

static void build(SweepParam *ps, int level, MapPlan *plan) {
  char err[256];
  cr_assert_eq(Map_plan(ps, 3, level, plan, err, sizeof err), EB_OK, "%s", err);
}

/* Every map point, from the anchors' values of f, against f itself; with
 * rise, f as a temperature: the inlet (axis 1) plus the rise weights'
 * rebuild of f - inlet, as ebsim map rebuilds temperatures. */
static double worst_of(const MapPlan *plan, SweepParam *ps, double (*f)(double, double, double),
                       int rise) {
  SweepParam an[3];
  Map_anchor_params(plan, ps, an);
  const size_t n_anchor = Sweep_points(an, 3), total = Sweep_points(ps, 3);
  double anchor_value[4096], anchor_inlet[4096];
  cr_assert(n_anchor <= 4096);
  for (size_t k = 0; k < n_anchor; k++) {
    int idx[3];
    Sweep_point_indices(an, 3, k, idx);
    anchor_inlet[k] = atof(an[1].values[idx[1]]);
    anchor_value[k] = f(atof(an[0].values[idx[0]]), anchor_inlet[k], atof(an[2].values[idx[2]]));
  }
  double err = 0.0;
  for (size_t q = 0; q < total; q++) {
    int idx[3];
    Sweep_point_indices(ps, 3, q, idx);
    size_t a[MAP_MAX_TERMS];
    double w[MAP_MAX_TERMS], wr[MAP_MAX_TERMS], v = 0.0, inlet = 0.0, up = 0.0;
    int n = Map_weights(plan, ps, q, a, w, wr);
    for (int k = 0; k < n; k++) {
      cr_assert_lt(a[k], n_anchor);
      v += w[k] * anchor_value[a[k]];
      inlet += w[k] * anchor_inlet[a[k]];
      up += wr[k] * (anchor_value[a[k]] - anchor_inlet[a[k]]);
    }
    if (rise) v = inlet + up;
    double exact = f(atof(ps[0].values[idx[0]]), atof(ps[1].values[idx[1]]),
                     atof(ps[2].values[idx[2]]));
    err = fmax(err, fabs(v - exact));
  }
  return err;
}

static double worst(const MapPlan *plan, SweepParam *ps, double (*f)(double, double, double)) {
  return worst_of(plan, ps, f, 0);
}

/* 20-40 kW x 15-45 C x 40-120 L/min, and its level-1 plan. */
static void power_inlet_flow(SweepParam *ps, MapPlan *plan) {
  param(&ps[0], "power.total_kw=20:40:2");
  param(&ps[1], "coolant.inlet_c=15:45:5");
  param(&ps[2], "coolant.flow_lpm=40:120:10");
  build(ps, 1, plan);
}

Test(map, level_one_rebuilds_cubic_power_quadratic_inlet_and_flow) {
  static SweepParam ps[3];
  MapPlan plan;
  power_inlet_flow(ps, &plan);
  cr_assert_eq(plan.axes[0].kind, MAP_POWER);
  cr_assert_eq(plan.axes[1].kind, MAP_INLET);
  cr_assert_eq(plan.axes[2].kind, MAP_FLOW);
  /* 11 x 7 x 9 = 693 points from 4 x 3 x 3 = 36 solves */
  SweepParam an[3];
  Map_anchor_params(&plan, ps, an);
  cr_assert_eq(Sweep_points(an, 3), 36);
  /* the values nearest the thirds (26.7, 33.3 kW) and middles */
  const char *want[3][4] = {{"20", "26", "34", "40"}, {"15", "30", "45"}, {"40", "80", "120"}};
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < an[i].n; k++)
      cr_assert_str_eq(an[i].values[k], want[i][k], "axis %d anchor %d", i, k);
  cr_assert(worst(&plan, ps, f1) < 1e-9, "largest error %g", worst(&plan, ps, f1));
}

/* Anchors nearest evenly spaced values, of two as near the higher, and
 * level 2's holding level 1's ends and middle: the bench's CS-4 map. */
Test(map, anchors_are_evenly_spaced_values) {
  static SweepParam ps[3];
  param(&ps[0], "power.total_kw=24:42:2");
  param(&ps[1], "coolant.inlet_c=15:42:3");
  param(&ps[2], "coolant.flow_lpm=40,60,80,100,120");
  const char *want[2][3][7] = {
      {{"24", "30", "36", "42"}, {"15", "30", "42"}, {"40", "80", "120"}},
      {{"24", "28", "30", "34", "36", "40", "42"}, {"15", "21", "30", "36", "42"},
       {"40", "60", "80", "100", "120"}}};
  const int count[2][3] = {{4, 3, 3}, {7, 5, 5}};
  for (int level = 1; level <= 2; level++) {
    MapPlan plan;
    SweepParam an[3];
    build(ps, level, &plan);
    Map_anchor_params(&plan, ps, an);
    for (int i = 0; i < 3; i++) {
      cr_assert_eq(an[i].n, count[level - 1][i], "level %d axis %d", level, i);
      for (int k = 0; k < an[i].n; k++)
        cr_assert_str_eq(an[i].values[k], want[level - 1][i][k], "level %d axis %d anchor %d",
                         level, i, k);
    }
  }
}

/* A quartic in power and cubic in the inlet are not rebuilt at level 1;
 * level 2 (two pieces on each axis) comes much closer: the refinement
 * ebsim map takes when its check points miss. */
static double f_quartic(double p, double t, double flow) {
  (void)flow;
  return 1e-6 * p * p * p * p + 1e-4 * t * t * t;
}

Test(map, level_two_refines) {
  static SweepParam ps[3];
  param(&ps[0], "power.total_kw=20:40:1");
  param(&ps[1], "coolant.inlet_c=15:45:5");
  param(&ps[2], "coolant.flow_lpm=100");
  MapPlan p1, p2;
  build(ps, 1, &p1);
  build(ps, 2, &p2);
  cr_assert_eq(p2.axes[0].n_anchor, 7);
  cr_assert_eq(p2.axes[1].n_anchor, 5);
  double e1 = worst(&p1, ps, f_quartic), e2 = worst(&p2, ps, f_quartic);
  cr_assert(e1 > 1e-3, "level 1 rebuilds the quartic to %g", e1);
  cr_assert(e2 < 0.2 * e1, "level 1 %g, level 2 %g", e1, e2);
  /* and still exact for what level 1 rebuilds */
  cr_assert(worst(&p2, ps, f1) < 1e-9, "%g", worst(&p2, ps, f1));
}

/* A temperature whose rise over the inlet is the power times a cubic in
 * it (rises of P, P^2, ...: conduction, I^2 R, and their bending by k(T)
 * and leakage), times a quadratic in the inlet, times the coolant's own
 * rise (1/flow), a part the flow does not change and a part growing with
 * it. Level 1's rise weights rebuild it exactly; plain weights (the same
 * polynomials of the temperature) miss by far more than the map's 0.1 K. */
static double f_rise(double p, double t, double flow) {
  return t + p * (0.9 + 0.011 * p + 5e-4 * p * p - 4e-6 * p * p * p) *
                 (1.0 + 0.004 * t + 2e-5 * t * t) * (60.0 / flow + 0.4 + 0.002 * flow);
}

Test(map, level_one_rebuilds_a_rise_cubic_in_power) {
  static SweepParam ps[3];
  MapPlan plan;
  power_inlet_flow(ps, &plan);
  double as_rise = worst_of(&plan, ps, f_rise, 1), plain = worst_of(&plan, ps, f_rise, 0);
  cr_assert(as_rise < 1e-10, "rise weights miss by %g K", as_rise);
  cr_assert(plain > 0.1, "plain weights miss by only %g K", plain);
  /* a map through zero power has no rise over power: plain weights */
  param(&ps[0], "power.total_kw=0:20:2");
  param(&ps[2], "coolant.flow_lpm=60");
  build(ps, 1, &plan);
  for (size_t q = 0; q < Sweep_points(ps, 3); q++) {
    size_t a[MAP_MAX_TERMS];
    double w[MAP_MAX_TERMS], wr[MAP_MAX_TERMS];
    const int n = Map_weights(&plan, ps, q, a, w, wr);
    for (int k = 0; k < n; k++) cr_assert_eq(w[k], wr[k], "point %zu term %d", q, k);
  }
}

Test(map, few_values_are_all_solved) {
  static SweepParam ps[3];
  param(&ps[0], "power.total_kw=25,30");
  param(&ps[1], "coolant.inlet_c=20");
  param(&ps[2], "stack.contact.conductance_w_m2k=20000,50000");
  MapPlan plan;
  build(ps, 1, &plan);
  for (size_t q = 0; q < Sweep_points(ps, 3); q++) cr_assert(Map_is_anchor(&plan, ps, q));
  size_t pts[8];
  cr_assert_eq(Map_checks(&plan, ps, 8, 1, pts), 0);
}

Test(map, checks_are_distinct_unsolved_and_repeatable) {
  static SweepParam ps[3];
  param(&ps[0], "power.total_kw=20:40:2");
  param(&ps[1], "coolant.inlet_c=15:45:5");
  param(&ps[2], "coolant.flow_lpm=60,90,120");
  MapPlan plan;
  build(ps, 1, &plan);
  size_t a[10], b[10];
  cr_assert_eq(Map_checks(&plan, ps, 10, 7, a), 10);
  cr_assert_eq(Map_checks(&plan, ps, 10, 7, b), 10);
  for (int i = 0; i < 10; i++) {
    cr_assert_eq(a[i], b[i]);
    cr_assert(!Map_is_anchor(&plan, ps, a[i]));
    if (i) cr_assert_gt(a[i], a[i - 1]);
  }
}

Test(map, bad_values_are_refused) {
  static SweepParam ps[1];
  param(&ps[0], "power.total_kw=30,25");
  MapPlan plan;
  char err[256];
  cr_assert_eq(Map_plan(ps, 1, 1, &plan, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "increasing"), "%s", err);
}

/* Zipped parameters list points instead of multiplying them. */
Test(map, zipped_sweep_parameters_list_points) {
  static SweepParam ps[3];
  param(&ps[0], "coolant.flow_lpm=60,90");
  param(&ps[1], "power.total_kw=20,25,30");
  param(&ps[2], "coolant.inlet_c=15,25,35");
  ps[2].zip = 1;
  cr_assert_eq(Sweep_points(ps, 3), 6);
  int idx[3];
  Sweep_point_indices(ps, 3, 4, idx); /* flow 90, second listed point */
  cr_assert(idx[0] == 1 && idx[1] == 1 && idx[2] == 1, "%d %d %d", idx[0], idx[1], idx[2]);
}
