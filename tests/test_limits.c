/* test_limits.c - limit search against analytic answers. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "solver/studies/limit_search.h"
#include "solver/core/runtime.h"

static char path[64];
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

static void up(void) {
  cr_assert_eq(Runtime_init(NULL, NULL), 0);
  snprintf(path, sizeof path, "/tmp/ebsim-lim-XXXXXX");
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
}
static void down(void) {
  unlink(path);
  Runtime_finalize();
}
TestSuite(limits, .init = up, .fini = down, .timeout = 120);

Test(limits, largest_inlet_and_smallest_flow_match_closed_form) {
  FluidProps p;
  Materials_fluid_props(FLUID_WATER, 25.0 + 273.15, &p); /* constant: at the case inlet */
  char err[EB_ERRLEN];
  ThermalOptions topt = {0};
  static LimitSearchResult r;

  LimitSearchOptions o = {.key = "coolant.inlet_c", .maximize = 1, .tol = 1e-4, .max_evals = 60};
  cr_assert_eq(Limit_search(path, 0, NULL, &o, &topt, NULL, NULL, &r, err, sizeof err), EB_OK,
               "%s", err);
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

  LimitSearchOptions q = {.key = "coolant.flow_lpm", .maximize = 0, .tol = 1e-5, .max_evals = 60};
  cr_assert_eq(Limit_search(path, 0, NULL, &q, &topt, NULL, NULL, &r, err, sizeof err), EB_OK,
               "%s", err);
  /* m cp (40 - 25) = 200 W with rho and cp at 25 C */
  double q_min = 200.0 / (p.rho_kg_m3 * p.cp_j_kgk * 15.0) * 60000.0;
  cr_assert(r.found);
  cr_assert(r.value >= q_min - 1e-9 && r.value < q_min + 1e-5, "flow %.7f, exact %.7f", r.value,
            q_min);
}

Test(limits, no_limits_is_an_input_error) {
  char err[EB_ERRLEN];
  ThermalOptions topt = {0};
  static LimitSearchResult r;
  const char *sets[] = {"limits.coolant_outlet_max_c=", "limits.junction_max_c="};
  LimitSearchOptions o = {.key = "coolant.inlet_c", .maximize = 1, .max_evals = 20};
  cr_assert_eq(Limit_search(path, 2, sets, &o, &topt, NULL, NULL, &r, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "no limits"), "%s", err);
}

Test(limits, margin_is_the_smallest_relative_one) {
  LimitCheck c[2] = {{"a", "C", 80.0, 85.0, 1}, {"b", "kPa", 99.0, 100.0, 1}};
  int bind;
  double m = Limits_margin(c, 2, &bind);
  cr_assert_float_eq(m, 0.01, 1e-12);
  cr_assert_eq(bind, 1);
}

/* The envelope's warmest inlet rises with flow: a monotone curve (more flow
 * can only lower the outlet and the junction for the same inlet). */
Test(limits, envelope_is_monotone_in_flow) {
  char err[EB_ERRLEN];
  ThermalOptions topt = {0};
  static LimitSearchResult r;
  double prev = -INFINITY;
  const double flows[] = {0.3, 0.5, 0.8, 1.2};
  for (int i = 0; i < 4; i++) {
    char set[64];
    snprintf(set, sizeof set, "coolant.flow_lpm=%g", flows[i]);
    const char *sets[] = {set, "coolant.constant_properties=false"};
    LimitSearchOptions o = {.key = "coolant.inlet_c", .maximize = 1, .tol = 1e-3, .max_evals = 60};
    cr_assert_eq(Limit_search(path, 2, sets, &o, &topt, NULL, NULL, &r, err, sizeof err), EB_OK,
                 "%s", err);
    cr_assert(r.value > prev, "flow %g: inlet %.4f not above %.4f", flows[i], r.value, prev);
    prev = r.value;
  }
}
