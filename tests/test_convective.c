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
