/* test_convective.c - a convective layer on the stack's last face (issue 15
 * item 1): top and bottom cooling together against the two-branch 1-D
 * stack, the inlet-following ambient, and where the layer may stand. */
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
TestSuite(convective, .init = up, .fini = down, .timeout = 120);

/* 20 mm wafer tiled by 2 x 2 dies (uniform flux over the face), constant
 * k, h imposed on the cold plate, the board's far face to 20 C through
 * h = 2000 W/m^2K. */
static const char *block =
    "name: two-sided\n"
    "wafer: {size_mm: 20, dies: {columns: 2, rows: 2}}\n"
    "power: {total_kw: 0.2}\n"
    "materials:\n"
    "  cu_const: {k_w_mk: 391}\n"
    "  si_const: {k_w_mk: 148}\n"
    "  board: {k_w_mk: 20}\n"
    "stack:\n"
    "  - {name: plate, kind: microchannel, material: cu_const, base_thickness_mm: 2,\n"
    "     channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2,\n"
    "     h_eff_w_m2k: 5000}\n"
    "  - {name: contact, kind: interface, conductance_w_m2k: 30000}\n"
    "  - {name: wafer, kind: solid, material: si_const, thickness_mm: 0.775, heat_source: true}\n"
    "  - {name: pcb, kind: solid, material: board, thickness_mm: 1.6}\n"
    "%s"
    "coolant: {fluid: water, inlet_c: 25, flow_lpm: 0.5, constant_properties: true}\n"
    "grid: {dx_mm: 1, dz_mm: 0.5}\n"
    "solver: {linear_tol: 1e-12, nonlinear_tol_k: 1e-7}\n";

static int read_block(const char *last, Case *c, char *err) {
  char text[4096];
  snprintf(text, sizeof text, block, last);
  return Case_read_string(text, "test", 0, NULL, c, err, EB_ERRLEN);
}


/* The area means obey the 1-D stack exactly (constant k and h, adiabatic
 * sides): the heat made in the wafer's source cell feeds two branches, up
 * through the rest of the wafer, the contact, the base and 1/h_eff to the
 * mean coolant T_f, and down through half the source cell, the board and
 * 1/h to the 20 C ambient. ebsim makes the power in the source cell's
 * volume (README, Verification) and reads the junction at its face, a half
 * cell above the centre along the heat going up: so from the cell centre
 * T_c = (q'' + T_f/R_up + T_a/R_down) / (1/R_up + 1/R_down), and T_j = T_c
 * + q_up dz/(2 k_si). The finite-volume faces are exact for this: 1e-5 K
 * is the solver's (1e-12 / 1e-7 K). Against a source on the face itself
 * the difference is the downward flux through half a cell, 0.19 K here. */
Test(convective, top_and_bottom_cooling_is_the_two_branch_stack) {
  static Case c;
  char err[EB_ERRLEN];
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 2000, ambient_c: 20}\n", &c,
                          err),
               EB_OK, "%s", err);
  ModelResult r;
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  double tj, tf;
  area_means(&c, &r, &tj, &tf);
  Grid *g = NULL;
  cr_assert_eq(Grid_create(&c, &g, err, sizeof err), EB_OK, "%s", err);
  const double dz = Grid_dz(g, g->k_source);
  Grid_destroy(g);
  const double q = 200.0 / (0.02 * 0.02), k_si = 148.0, ta = 293.15;
  const double r_up = 1.0 / 5000 + 2e-3 / 391 + 1.0 / 30000 + (0.775e-3 - 0.5 * dz) / k_si;
  const double r_down = 0.5 * dz / k_si + 1.6e-3 / 20 + 1.0 / 2000;
  const double tc = (q + tf / r_up + ta / r_down) / (1.0 / r_up + 1.0 / r_down);
  const double expect = tc + (tc - tf) / r_up * 0.5 * dz / k_si;
  cr_assert(fabs(tj - expect) < 1e-5, "mean junction %.7f K, two-branch stack %.7f K", tj, expect);
  const double down_w = (tc - ta) / r_down * 0.02 * 0.02;
  cr_assert(down_w > 10.0, "the bottom takes %.2f W: the test would not test it", down_w);
  cr_assert_float_eq(r.thermal.heat_to_bottom_w, down_w, 1e-6 * 200.0, "%.6f W down, %.6f W expected",
                     r.thermal.heat_to_bottom_w, down_w);
  cr_assert(r.thermal.energy_balance_rel_error < 1e-7, "%g", r.thermal.energy_balance_rel_error);
  ModelResult_free(&r);
}

/* Without ambient_c the face follows the coolant inlet (as a brick plate). */
Test(convective, ambient_follows_the_inlet) {
  static Case c;
  char err[EB_ERRLEN];
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 2000}\n", &c, err), EB_OK,
               "%s", err);
  cr_assert_float_eq(Case_brick_plate_t_k(&c, &c.layers[c.n_layers - 1]), 298.15, 1e-12);
  cr_assert_eq(Case_set(&c, "coolant.inlet_c", "30", err, sizeof err), EB_OK, "%s", err);
  cr_assert_float_eq(Case_brick_plate_t_k(&c, &c.layers[c.n_layers - 1]), 303.15, 1e-12);
}

Test(convective, it_stands_last_after_a_solid) {
  static Case c;
  char err[EB_ERRLEN], text[4096];
  /* not in the middle */
  snprintf(text, sizeof text, block, "");
  char *pcb = strstr(text, "  - {name: pcb");
  cr_assert(pcb);
  char moved[4096];
  snprintf(moved, sizeof moved, "%.*s  - {name: sink, kind: convective, h_w_m2k: 2000}\n%s",
           (int)(pcb - text), text, pcb);
  cr_assert_eq(Case_read_string(moved, "test", 0, NULL, &c, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "it must be the last layer"), "%s", err);
  /* h is required and positive */
  cr_assert_eq(read_block("  - {name: sink, kind: convective}\n", &c, err), EB_EINPUT);
  cr_assert(strstr(err, "h_w_m2k"), "%s", err);
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 0}\n", &c, err), EB_EINPUT);
  /* a material means nothing on a face */
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 10, material: copper}\n",
                          &c, err),
               EB_EINPUT);
  cr_assert(strstr(err, "material"), "%s", err);
}

/* ---- coolant: marched (issue 15 item 1) -------------------------------------------- */

#include "materials/materials.h"

/* m_dot cp of the marched face's water at flow_lpm, properties at the
 * face's inlet (ambient_c), as the model takes them. */
static double face_mcp(double flow_lpm, double t_in_k) {
  FluidProps fl;
  cr_assert_eq(Materials_fluid_props(FLUID_WATER, t_in_k, &fl), 0);
  return fl.rho_kg_m3 * flow_lpm / 60000.0 * fl.cp_j_kgk;
}

/* (a) The coolant's energy balance: every watt through the face warms it,
 * so its mixed-mean rise is Q_face / (m_dot cp), with Q_face the heat the
 * solve's balance counts as leaving through the last face. The march sums
 * the same face fluxes, so 1e-6 relative is rounding and the solver's
 * final-pass consistency; the case's balance stays at the solver's. */
Test(convective, marched_coolant_carries_the_face_heat) {
  static Case c;
  char err[EB_ERRLEN];
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 2000, ambient_c: 20,\n"
                          "     coolant: marched, flow_lpm: 0.05}\n",
                          &c, err),
               EB_OK, "%s", err);
  ModelResult r;
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  const ThermalResult *t = &r.thermal;
  cr_assert_eq(t->face_marched, 1);
  cr_assert(t->heat_to_bottom_w > 20.0, "%.3f W through the face: the test would not test it",
            t->heat_to_bottom_w);
  const double expect = t->heat_to_bottom_w / face_mcp(0.05, 293.15);
  cr_assert(fabs(t->face_rise_k - expect) < 1e-6 * expect, "rise %.9f K, Q/(m cp) %.9f K",
            t->face_rise_k, expect);
  cr_assert_float_eq(t->face_outlet_k - 293.15, t->face_rise_k, 1e-12);
  cr_assert(t->energy_balance_rel_error < 1e-7, "%g", t->energy_balance_rel_error);
  ModelResult_free(&r);
}

/* (b) The analytic oracle. All heat leaves through the marched face: the
 * cold plate's h_eff is the schema's least, 1 W/m^2K, against some 4000
 * below. Under a uniform flux q'' over a face of width W the coolant of a
 * strip along x takes up q'' dy per metre, so at a column centre x
 *   T_f(x) = T_in + q'' W x / (m_dot cp)        (linear along the flow),
 * and, with no lateral conduction in a field linear in x, the last cell
 * sits above its coolant by the face's series resistance:
 *   T_cell - T_f = q'' (dz/(2k) + 1/h),
 * the outlet at T_in + P / (m_dot cp). Tolerances: the heat exchanged with
 * the cold plate's coolant (inlet 48 C, near the plate) is h_top |T_plate -
 * T_top| / q'' <= 1 x 10 K / 5e4 W/m^2 = 2e-4 of the flux, <= 2.5e-3 K of
 * the 12.5 K drop (measured 1.4e-3 K) and 2e-4 of the rise; the adiabatic
 * ends bend the linear field over lambda = sqrt(sum(k t) / h_b) = 0.4 mm,
 * some lambda dT_f/dx = 0.03 K at the ends (measured 0.010 K in the end
 * column), exp(-3 mm / lambda) < 1e-3 of that 3 mm and more from them. So
 * 5e-3 K on the columns 3 mm and more from the ends, 1e-3 relative on the
 * outlet rise. */
Test(convective, marched_face_is_the_linear_rise_oracle) {
  static Case c;
  char err[EB_ERRLEN];
  const char *text =
      "name: marched-oracle\n"
      "wafer: {size_mm: 20, dies: {columns: 2, rows: 2}}\n"
      "power: {total_kw: 0.02}\n"
      "materials:\n"
      "  slab: {k_w_mk: 1}\n"
      "stack:\n"
      "  - {name: plate, kind: microchannel, material: slab, base_thickness_mm: 0.2,\n"
      "     channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2,\n"
      "     h_eff_w_m2k: 1}\n"
      "  - {name: wafer, kind: solid, material: slab, thickness_mm: 0.2, heat_source: true}\n"
      "  - {name: pcb, kind: solid, material: slab, thickness_mm: 0.2}\n"
      "  - {name: sink, kind: convective, h_w_m2k: 5000, ambient_c: 20, coolant: marched,\n"
      "     flow_lpm: 0.2}\n"
      "coolant: {fluid: water, inlet_c: 48, flow_lpm: 0.5, constant_properties: true}\n"
      "grid: {dx_mm: 1, dz_mm: 0.1}\n"
      "solver: {linear_tol: 1e-12, nonlinear_tol_k: 1e-8}\n";
  cr_assert_eq(Case_read_string(text, "test", 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
  ModelResult r;
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  Grid *g = NULL;
  cr_assert_eq(Grid_create(&c, &g, err, sizeof err), EB_OK, "%s", err);
  const double w = 0.02, qf = 20.0 / (w * w), t_in = 293.15, mcp = face_mcp(0.2, t_in);
  const double dz = Grid_dz(g, g->nz - 1), drop = qf * (0.5 * dz / 1.0 + 1.0 / 5000.0);
  double worst = 0.0, worst_edge = 0.0;
  for (int j = 0; j < g->ny; j++)
    for (int i = 0; i < g->nx; i++) {
      const double x = 0.5 * (g->x[i] + g->x[i + 1]) - g->x[0];
      const double expect = t_in + qf * w * x / mcp + drop;
      const double e = fabs(r.thermal.t_k[Grid_index(g, i, j, g->nz - 1)] - expect);
      if (x > 3e-3 && x < w - 3e-3)
        worst = fmax(worst, e);
      else
        worst_edge = fmax(worst_edge, e);
    }
  const double rise = 20.0 / mcp;
  cr_assert(drop > 10.0 && rise > 1.0, "drop %.2f K, rise %.2f K: too small to test", drop, rise);
  cr_assert(worst < 5e-3, "face cell vs T_in + q W x/(m cp) + q (dz/2k + 1/h): %.2e K off "
            "(drop %.3f K, rise %.3f K; edges %.2e K)", worst, drop, rise, worst_edge);
  cr_assert(fabs(r.thermal.face_rise_k - rise) < 1e-3 * rise, "outlet rise %.6f K, P/(m cp) %.6f K",
            r.thermal.face_rise_k, rise);
  cr_log_info("oracle: interior %.2e K, edges %.2e K, drop %.3f K, rise %.4f K (model %.4f K), "
              "%.2e W of 20 W to the cold plate",
              worst, worst_edge, drop, rise, r.thermal.face_rise_k, r.thermal.heat_to_coolant_w);
  Grid_destroy(g);
  ModelResult_free(&r);
}

/* (c) A flow large enough that the coolant hardly warms: the marched face is
 * the fixed one. The bound is the maximum principle: the marched coolant
 * lies between the ambient and ambient + its rise, so no temperature of the
 * block moves by more than that rise (here some 2e-4 K), plus the solver's
 * tolerance (1e-6 K). */
Test(convective, marched_at_large_flow_is_the_fixed_ambient) {
  static Case cf, cm;
  char err[EB_ERRLEN];
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 2000, ambient_c: 20}\n", &cf,
                          err),
               EB_OK, "%s", err);
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 2000, ambient_c: 20,\n"
                          "     coolant: marched, flow_lpm: 5000, flow_direction: y}\n",
                          &cm, err),
               EB_OK, "%s", err);
  ModelResult rf, rm;
  cr_assert_eq(Model_solve_once(&cf, NULL, &rf, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Model_solve_once(&cm, NULL, &rm, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(rf.thermal.face_marched, 0);
  const double rise = rm.thermal.face_rise_k;
  cr_assert(rise > 0.0 && rise < 1e-3, "rise %.3e K", rise);
  Grid *g = NULL;
  cr_assert_eq(Grid_create(&cf, &g, err, sizeof err), EB_OK, "%s", err);
  double worst = 0.0;
  for (size_t q = 0; q < Grid_cells(g); q++)
    if (isfinite(rf.thermal.t_k[q])) worst = fmax(worst, fabs(rm.thermal.t_k[q] - rf.thermal.t_k[q]));
  Grid_destroy(g);
  cr_assert(worst <= rise + 1e-6, "fields differ by %.3e K, more than the rise %.3e K", worst, rise);
  cr_assert_float_eq(rm.thermal.heat_to_bottom_w, rf.thermal.heat_to_bottom_w,
                     1e-4 * rf.thermal.heat_to_bottom_w);
  ModelResult_free(&rf);
  ModelResult_free(&rm);
}

/* (d) The keys' errors name the key and what to do. */
Test(convective, marched_input_errors_name_the_key) {
  static Case c;
  char err[EB_ERRLEN];
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 2000, coolant: marched}\n",
                          &c, err),
               EB_EINPUT);
  cr_assert(strstr(err, "stack.sink.flow_lpm") && strstr(err, "give flow_lpm"), "%s", err);
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 2000, coolant: marchd,\n"
                          "     flow_lpm: 1}\n",
                          &c, err),
               EB_EINPUT);
  cr_assert(strstr(err, "stack.sink.coolant") && strstr(err, "did you mean 'marched'"), "%s", err);
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 2000, flow_lpm: 1}\n", &c,
                          err),
               EB_EINPUT);
  cr_assert(strstr(err, "flow_lpm") && strstr(err, "coolant: marched"), "%s", err);
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 2000, coolant: marched,\n"
                          "     flow_lpm: 0}\n",
                          &c, err),
               EB_EINPUT);
  cr_assert(strstr(err, "stack.sink.flow_lpm"), "%s", err);
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 2000, coolant: marched,\n"
                          "     flow_lpm: 1, flow_direction: z}\n",
                          &c, err),
               EB_EINPUT);
  cr_assert(strstr(err, "flow_direction"), "%s", err);
  /* the keys belong to the convective layer only */
  cr_assert_eq(read_block("  - {name: sink, kind: solid, material: board, thickness_mm: 1,\n"
                          "     coolant: marched}\n",
                          &c, err),
               EB_EINPUT);
  cr_assert(strstr(err, "coolant"), "%s", err);
}

/* A marched face coolant that would boil is refused, naming the flow to raise
 * (0.2 kW mostly into 0.01 L/min: some 100 K of rise from 20 C). */
Test(convective, boiling_marched_face_is_refused) {
  static Case c;
  char err[EB_ERRLEN];
  cr_assert_eq(read_block("  - {name: sink, kind: convective, h_w_m2k: 20000, ambient_c: 20,\n"
                          "     coolant: marched, flow_lpm: 0.01}\n",
                          &c, err),
               EB_OK, "%s", err);
  ModelResult r;
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_ENOSTATE, "%s", err);
  cr_assert(strstr(err, "boils") && strstr(err, "stack.sink.flow_lpm"), "%s", err);
}
