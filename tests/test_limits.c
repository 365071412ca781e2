/* test_limits.c - limit search against analytic answers. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "solver/studies/envelope.h"
#include "solver/studies/limit_search.h"
#include "solver/core/runtime.h"

/* All heat leaves in the coolant (no brick plate) and properties are
 * constant, so outlet - inlet = P / (rho Q cp) exactly: the outlet limit
 * gives the largest inlet and the smallest flow in closed form. */
static const char *text =
    "name: lim\n"
    "wafer: {size_mm: 20, dies: {columns: 2, rows: 1}}\n"
    "power: {total_kw: 0.2}\n"
    "stack:\n"
    "  - {name: plate, kind: microchannel, base_thickness_mm: 2, channel_width_mm: 0.3,\n"
    "     channel_height_mm: 2, fin_thickness_mm: 0.2}\n"
    "  - {name: contact, kind: interface, conductance_w_m2k: 30000}\n"
    "  - {name: wafer, material: silicon, thickness_mm: 0.775, heat_source: true}\n"
    "coolant: {inlet_c: 25, flow_lpm: 0.5, constant_properties: true}\n"
    "limits: {coolant_outlet_max_c: 40, junction_max_c: 200}\n"
    "grid: {dx_mm: 2, dz_mm: 0.5}\n";

static Case base;
static void up(void) {
  cr_assert_eq(Runtime_init(NULL, NULL), 0);
  char err[EB_ERRLEN];
  cr_assert_eq(Case_read_string(text, "lim", 0, NULL, &base, err, sizeof err), EB_OK, "%s", err);
}
static void down(void) { Runtime_finalize(); }

/* The base case with overrides (as --set would give). */
static const Case *with(int n, const char *const *sets) {
  static Case c;
  char err[EB_ERRLEN];
  cr_assert_eq(Case_read_string(text, "lim", n, sets, &c, err, sizeof err), EB_OK, "%s", err);
  return &c;
}
TestSuite(limits, .init = up, .fini = down, .timeout = 120);

Test(limits, largest_inlet_and_smallest_flow_match_closed_form) {
  FluidProps p;
  Materials_fluid_props(FLUID_WATER, 25.0 + 273.15, &p); /* constant: at the case inlet */
  char err[EB_ERRLEN];
  static LimitSearchResult r;

  LimitSearchOptions o = {.key = "coolant.inlet_c", .maximize = 1, .tol = 1e-4, .max_evals = 60};
  cr_assert_eq(Limit_search(&base, &o, NULL, NULL, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  /* properties are held at the inlet, which moves: solve
   * T_in = 40 - P / (rho(T_in) Q cp(T_in)) by iteration (contracts fast) */
  double t_in = 25.0, dt = 0.0;
  for (int it = 0; it < 20; it++) {
    FluidProps pi;
    Materials_fluid_props(FLUID_WATER, t_in + 273.15, &pi);
    dt = 200.0 / (pi.rho_kg_m3 * 0.5 / 60000.0 * pi.cp_j_kgk);
    t_in = 40.0 - dt;
  }
  cr_assert(r.found);
  cr_assert_str_eq(r.binding, "coolant_outlet_max_c");
  /* the answer is feasible and within tol of the boundary */
  cr_assert(r.value <= 40.0 - dt + 1e-9 && r.value > 40.0 - dt - 1e-4, "inlet %.6f, exact %.6f",
            r.value, 40.0 - dt);
  /* the run at the answer comes with the search (solved once) */
  cr_assert(r.have_result);
  cr_assert_float_eq(r.r.thermal.coolant_inlet_k - 273.15, r.value, 1e-9);
  cr_assert(r.r.limits.all_ok);
  LimitSearchResult_free(&r);

  LimitSearchOptions q = {.key = "coolant.flow_lpm", .maximize = 0, .tol = 1e-5, .max_evals = 60};
  cr_assert_eq(Limit_search(&base, &q, NULL, NULL, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  /* m cp (40 - 25) = 200 W with rho and cp at 25 C */
  double q_min = 200.0 / (p.rho_kg_m3 * p.cp_j_kgk * 15.0) * 60000.0;
  cr_assert(r.found);
  cr_assert(r.value >= q_min - 1e-9 && r.value < q_min + 1e-5, "flow %.7f, exact %.7f", r.value,
            q_min);
  LimitSearchResult_free(&r);
}

/* The largest inlet just above the water table's 5 C end, searched from
 * 25 C downwards (every value on the way breaks the outlet limit). The
 * doubling steps (25, 22.5, 17.5, 7.5, then -12.5, outside the range)
 * used to stop at 7.5 C and call the whole range broken; the search now
 * comes back with quarter steps to within its tolerance of the range's
 * end. Oracle: the closed form T_in = 40 - P/(rho Q cp) (at T_in). A flow
 * that needs a 4.5 C inlet has none, and the message names a value within
 * a step of 5 C. */
static double closed_form_inlet(double flow_lpm) {
  double t_in = 25.0;
  for (int it = 0; it < 30; it++) {
    FluidProps pi;
    Materials_fluid_props(FLUID_WATER, t_in + 273.15, &pi);
    t_in = 40.0 - 200.0 / (pi.rho_kg_m3 * flow_lpm / 60000.0 * pi.cp_j_kgk);
  }
  return t_in;
}

Test(limits, a_boundary_next_to_the_range_end_is_found) {
  char err[EB_ERRLEN], set[64];
  static LimitSearchResult r;
  /* the flow whose closed-form inlet is 5.5 C: 200 W over 34.5 K */
  FluidProps p;
  Materials_fluid_props(FLUID_WATER, 5.5 + 273.15, &p);
  const double q_ok = 200.0 / (p.rho_kg_m3 * p.cp_j_kgk * 34.5) * 60000.0;
  const double exact = closed_form_inlet(q_ok);
  cr_assert(exact > 5.3 && exact < 5.7, "%.4f", exact);
  snprintf(set, sizeof set, "coolant.flow_lpm=%.10g", q_ok);
  const char *sets[] = {set};
  LimitSearchOptions o = {.key = "coolant.inlet_c", .maximize = 1, .tol = 1e-3, .max_evals = 40};
  cr_assert_eq(Limit_search(with(1, sets), &o, NULL, NULL, NULL, &r, err, sizeof err), EB_OK,
               "%s", err);
  cr_assert(r.found, "no inlet found; the closed form gives %.4f C", exact);
  cr_assert(r.value <= exact + 1e-6 && r.value > exact - 1e-3, "inlet %.6f, exact %.6f", r.value,
            exact);
  LimitSearchResult_free(&r);

  /* 200 W over 35.5 K: a 4.5 C inlet, below the table */
  Materials_fluid_props(FLUID_WATER, 4.5 + 273.15, &p);
  snprintf(set, sizeof set, "coolant.flow_lpm=%.10g",
           200.0 / (p.rho_kg_m3 * p.cp_j_kgk * 35.5) * 60000.0);
  cr_assert_eq(Limit_search(with(1, sets), &o, NULL, NULL, NULL, &r, err, sizeof err), EB_ELIMIT,
               "%s", err);
  const char *at = strstr(err, "coolant.inlet_c = ");
  cr_assert(at && strstr(err, "end of its valid range"), "%s", err);
  const double last = atof(at + strlen("coolant.inlet_c = "));
  cr_assert(last >= 5.0 && last < 5.1, "the last value tried, %g C, is not near 5 C: %s", last,
            err);
}

Test(limits, no_limits_is_an_input_error) {
  char err[EB_ERRLEN];
  static LimitSearchResult r;
  const char *sets[] = {"limits.coolant_outlet_max_c=", "limits.junction_max_c="};
  LimitSearchOptions o = {.key = "coolant.inlet_c", .maximize = 1, .max_evals = 20};
  cr_assert_eq(Limit_search(with(2, sets), &o, NULL, NULL, NULL, &r, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "no limits"), "%s", err);
}

Test(limits, margin_is_the_smallest_relative_one) {
  LimitsResult l = {.n = 2,
                    .checks = {{.name = "a", .unit = "C", .value = 80.0, .limit = 85.0, .margin = 5.0},
                               {.name = "b", .unit = "kPa", .value = 99.0, .limit = 100.0,
                                .margin = 1.0}}};
  int bind;
  double m = Limits_margin(&l, &bind);
  cr_assert_float_eq(m, 0.01, 1e-12);
  cr_assert_eq(bind, 1);
}

/* The envelope's warmest inlet rises with flow: a monotone curve (more flow
 * can only lower the outlet and the junction for the same inlet). */
Test(limits, envelope_is_monotone_in_flow) {
  char err[EB_ERRLEN];
  static LimitSearchResult r;
  double prev = -INFINITY;
  const double flows[] = {0.3, 0.5, 0.8, 1.2};
  for (int i = 0; i < 4; i++) {
    char set[64];
    snprintf(set, sizeof set, "coolant.flow_lpm=%g", flows[i]);
    const char *sets[] = {set, "coolant.constant_properties=false"};
    LimitSearchOptions o = {.key = "coolant.inlet_c", .maximize = 1, .tol = 1e-3, .max_evals = 60};
    cr_assert_eq(Limit_search(with(2, sets), &o, NULL, NULL, NULL, &r, err, sizeof err), EB_OK,
                 "%s", err);
    cr_assert(r.value > prev, "flow %g: inlet %.4f not above %.4f", flows[i], r.value, prev);
    prev = r.value;
    LimitSearchResult_free(&r);
  }
}

/* The least flow for an inlet, read off a power's searched curve: with the
 * warmest inlet T(Q) = T_lim - P / (rho cp Q) (the outlet limit alone), the
 * interpolation in 1/Q is exact, so the least flow for any inlet between
 * two searched points is P / (rho cp (T_lim - T_in)) to round-off; outside
 * the searched flows it is NaN, not an extrapolation. */
Test(limits, least_flow_interpolation_is_exact_in_one_over_flow) {
  const double p_w = 25e3, rho_cp = 997.0 * 4180.0, t_lim = 45.0;
  const double flows[] = {12.5, 18.75, 25.0, 37.5, 50.0}; /* L/min */
  EnvelopePoint pts[5];
  for (int j = 0; j < 5; j++)
    pts[j] = (EnvelopePoint){.power_kw = 25.0, .flow_lpm = flows[j],
                             .inlet_max_c = t_lim - p_w / (rho_cp * flows[j] / 60000.0)};
  for (double t_in = 21.0; t_in <= 35.0; t_in += 1.0) {
    double exact = p_w / (rho_cp * (t_lim - t_in)) * 60000.0;
    double got = Envelope_least_flow(pts, 5, t_in);
    if (exact < flows[0] || exact > flows[4])
      cr_expect(isnan(got), "inlet %.1f: %.4f outside the searched flows", t_in, got);
    else
      cr_expect_float_eq(got, exact, 1e-9 * exact, "inlet %.1f: %.9f vs %.9f", t_in, got, exact);
  }
  /* a failed search in the middle splits the curve; no bracket across it */
  pts[2].inlet_max_c = NAN;
  double t_mid = 0.5 * (pts[1].inlet_max_c + pts[3].inlet_max_c);
  cr_expect(isnan(Envelope_least_flow(pts, 5, t_mid)));
}
