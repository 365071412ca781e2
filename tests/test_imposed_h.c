/* test_imposed_h.c - heat transfer imposed on the cold plate instead of the
 * duct correlations (issue 15 item 1): against the 1-D stack it must then
 * reduce to, tables against flow and position, and the input checks. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cases/case.h"
#include "geometry/grid.h"
#include "solver/core/runtime.h"
#include "solver/model.h"
#include "tests/area_means.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(imposed_h, .init = up, .fini = down, .timeout = 120);

/* 20 mm wafer, 2 x 2 dies tiling it (uniform map: a uniform flux over the
 * whole face), constant conductivities, no brick plate: all the heat goes
 * up through the stack into the coolant. */
static const char *block =
    "name: imposed\n"
    "wafer: {size_mm: 20, dies: {columns: 2, rows: 2}}\n"
    "power: {total_kw: 0.2}\n"
    "materials:\n"
    "  cu_const: {k_w_mk: 391}\n"
    "  si_const: {k_w_mk: 148}\n"
    "  board: {k_w_mk: 0.3}\n"
    "stack:\n"
    "  - {name: plate, kind: microchannel, material: cu_const, base_thickness_mm: 2,\n"
    "     channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2%s}\n"
    "  - {name: contact, kind: interface, conductance_w_m2k: 30000}\n"
    "  - {name: wafer, kind: solid, material: si_const, thickness_mm: 0.775, heat_source: true}\n"
    "  - {name: pcb, kind: solid, material: board, thickness_mm: 1.6}\n"
    "coolant: {fluid: water, inlet_c: 25, flow_lpm: 0.5, constant_properties: true}\n"
    "grid: {dx_mm: 1, dz_mm: 0.5}\n"
    "solver: {linear_tol: 1e-12, nonlinear_tol_k: 1e-7}\n";

/* The block with `plate` (", key: value" items) in its cold plate: tables
 * are lists, which --set does not take whole. */
static int read_block(const char *plate, int n_sets, const char *const *sets, Case *c, char *err) {
  char text[4096];
  snprintf(text, sizeof text, block, plate);
  return Case_read_string(text, "test", n_sets, sets, c, err, EB_ERRLEN);
}

static void solve_with(const char *plate, int n_sets, const char *const *sets, ModelResult *r,
                       Case *c) {
  char err[EB_ERRLEN];
  cr_assert_eq(read_block(plate, n_sets, sets, c, err), EB_OK, "%s", err);
  cr_assert_eq(Model_solve_once(c, NULL, r, err, sizeof err), EB_OK, "%s", err);
}

static void solve(int n_sets, const char *const *sets, ModelResult *r, Case *c) {
  solve_with("", n_sets, sets, r, c);
}


/* With h_eff imposed and constant k, the area mean of the temperature obeys
 * the 1-D equation exactly (lateral conduction integrates to zero between
 * adiabatic sides), so mean junction - mean coolant = q'' (1/h_eff +
 * t_base/k_cu + 1/h_contact + t_wafer/k_si): 0.5 W/mm^2 through 1/h 2e-5 +
 * 5.1e-6 + 3.3e-5 + 5.2e-6 m^2K/W = 31.8 K. The finite-volume faces are
 * exact for a 1-D profile and the junction is read at the source face, so
 * the only error left is the solver's (1e-12 / 1e-7 K): 1e-5 K. */
Test(imposed_h, h_eff_reduces_to_the_one_dimensional_stack) {
  static Case c;
  ModelResult r;
  const char *sets[] = {"stack.plate.h_eff_w_m2k=50000"};
  solve(1, sets, &r, &c);
  double tj, tf;
  area_means(&c, &r, &tj, &tf);
  const double q = 200.0 / (0.02 * 0.02);
  const double expect = q * (1.0 / 50000 + 2e-3 / 391 + 1.0 / 30000 + 0.775e-3 / 148);
  cr_assert(fabs((tj - tf) - expect) < 1e-5, "mean junction - coolant %.7f K, 1-D %.7f K",
            tj - tf, expect);
  cr_assert(strstr(r.coolant.h_model, "imposed h_eff"), "%s", r.coolant.h_model);
  cr_assert_float_eq(r.coolant.h_eff_w_m2k, 50000.0, 1e-9 * 50000.0);
  ModelResult_free(&r);
}

/* An imposed wall h goes through the fin efficiency: h_eff = h (w + 2 eta H)
 * / pitch with eta = tanh(mH)/(mH), m = sqrt(2h/(k t)) (Incropera 3.89):
 * the same block with that h_eff imposed gives the same temperatures. */
Test(imposed_h, wall_h_goes_through_the_fin_efficiency) {
  static Case c1, c2;
  ModelResult r1, r2;
  const double h = 8000.0, k = 391.0, t = 0.2e-3, H = 2e-3, w = 0.3e-3, p = 0.5e-3;
  const double m = sqrt(2.0 * h / (k * t)), eta = tanh(m * H) / (m * H);
  const double h_eff = h * (w + 2.0 * eta * H) / p;
  const char *s1[] = {"stack.plate.wall_h_w_m2k=8000"};
  char s2txt[80];
  snprintf(s2txt, sizeof s2txt, "stack.plate.h_eff_w_m2k=%.12g", h_eff);
  const char *s2[] = {s2txt};
  solve(1, s1, &r1, &c1);
  solve(1, s2, &r2, &c2);
  cr_assert_float_eq(r1.thermal.t_max_k, r2.thermal.t_max_k, 1e-6, "%.8f against %.8f",
                     r1.thermal.t_max_k, r2.thermal.t_max_k);
  cr_assert_float_eq(r1.coolant.fin_efficiency, eta, 1e-9);
  /* the report of the imposed h_eff recovers the wall h */
  cr_assert_float_eq(r2.coolant.h_channel_w_m2k, h, 1e-6 * h, "%.6f", r2.coolant.h_channel_w_m2k);
  cr_assert(strstr(r1.coolant.h_model, "imposed wall h 8000"), "%s", r1.coolant.h_model);
  ModelResult_free(&r1);
  ModelResult_free(&r2);
}

/* A table against flow, read at 0.5 L/min between 0.25 and 0.75: the mean
 * of its two values, so the same answer as that value imposed alone. */
Test(imposed_h, table_against_flow_interpolates) {
  static Case c1, c2;
  ModelResult r1, r2;
  const char *s2[] = {"stack.plate.h_eff_w_m2k=50000"};
  solve_with(", h_eff_table_w_m2k: [30000, 70000], h_table_flow_lpm: [0.25, 0.75]", 0, NULL, &r1,
             &c1);
  solve(1, s2, &r2, &c2);
  cr_assert_float_eq(r1.thermal.t_max_k, r2.thermal.t_max_k, 1e-9);
  cr_assert(strstr(r1.coolant.h_model, "against the plate's flow"), "%s", r1.coolant.h_model);
  ModelResult_free(&r1);
  ModelResult_free(&r2);
}

/* Along the flow path: a flat table is the single value; a table that
 * falls along the flow puts the hottest point downstream, between the
 * answers of its two ends imposed alone. */
Test(imposed_h, table_against_position_follows_the_path) {
  static Case c1, c2, c3, c4;
  ModelResult flat, one, lo, hi;
  const char *s2[] = {"stack.plate.h_eff_w_m2k=50000"};
  solve_with(", h_eff_table_w_m2k: [50000, 50000], h_table_position_mm: [0, 20]", 0, NULL, &flat,
             &c1);
  solve(1, s2, &one, &c2);
  cr_assert_float_eq(flat.thermal.t_max_k, one.thermal.t_max_k, 1e-9);
  const char *s4[] = {"stack.plate.h_eff_w_m2k=30000"};
  solve_with(", h_eff_table_w_m2k: [90000, 30000], h_table_position_mm: [0, 20]", 0, NULL, &lo,
             &c3);
  solve(1, s4, &hi, &c4);
  cr_assert(lo.thermal.t_max_k < hi.thermal.t_max_k && lo.thermal.t_max_k > one.thermal.t_max_k - 5,
            "falling table %.3f K, 30000 everywhere %.3f K", lo.thermal.t_max_k,
            hi.thermal.t_max_k);
  cr_assert_gt(lo.thermal.t_max_x_m, 0.01, "the hottest point is at x = %.4f m, not downstream",
               lo.thermal.t_max_x_m);
  ModelResult_free(&flat);
  ModelResult_free(&one);
  ModelResult_free(&lo);
  ModelResult_free(&hi);
}

/* What the reader and the solve refuse, each with the key and the fix. */
Test(imposed_h, bad_inputs_say_what_to_fix) {
  static Case c;
  char err[EB_ERRLEN];
  const char *one[] = {"stack.plate.h_eff_w_m2k=50000"};
  struct {
    const char *plate;
    int n_sets;
    const char *says;
  } bad[] = {
      {", wall_h_w_m2k: 8000", 1, "give one imposed heat-transfer coefficient"},
      {", wall_h_table_w_m2k: [1000, 2000]", 0, "needs its abscissa"},
      {", h_table_flow_lpm: [1, 2]", 0, "no wall_h_table_w_m2k or h_eff_table_w_m2k"},
      {", h_eff_table_w_m2k: [1000, 2000], h_table_flow_lpm: [2, 1]", 0, "must increase strictly"},
      {", h_eff_table_w_m2k: [1000, 2000, 3000], h_table_flow_lpm: [1, 2]", 0,
       "2 points, the h table 3"},
      {", h_eff_table_w_m2k: [1000, 2000], h_table_flow_lpm: [1, 2], h_table_position_mm: [0, 20]",
       0, "are both given"},
      {", wall_h_w_m2k: 0", 0, "wall_h_w_m2k"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int rc = read_block(bad[i].plate, bad[i].n_sets, one, &c, err);
    cr_expect_eq(rc, EB_EINPUT, "case %zu accepted", i);
    cr_expect(strstr(err, bad[i].says), "case %zu: %s", i, err);
    if (!bad[i].n_sets) cr_expect(strstr(err, "test:"), "case %zu has no location: %s", i, err);
  }
  /* the flow outside the table: the solve stops and says by how much */
  cr_assert_eq(read_block(", h_eff_table_w_m2k: [30000, 70000], h_table_flow_lpm: [1, 2]", 0,
                          NULL, &c, err),
               EB_OK, "%s", err);
  ModelResult r;
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "0.5 L/min is outside the h table") && strstr(err, "extend the table"),
            "%s", err);
  cr_assert_eq(read_block(", h_eff_table_w_m2k: [30000, 70000], h_table_position_mm: [0, 15]", 0,
                          NULL, &c, err),
               EB_OK, "%s", err);
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "covers 0 to 15 mm") && strstr(err, "runs from 0 to 20 mm"), "%s", err);
}
