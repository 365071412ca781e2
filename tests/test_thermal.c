/* test_thermal.c - the whole steady solve: channel correlations, coolant
 * energy balance, and the CS-3 baseline pinned at a coarse grid. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cases/case.h"
#include "geometry/grid.h"
#include "solver/core/runtime.h"
#include "solver/coolant/channel.h"
#include "solver/model.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(thermal, .init = up, .fini = down);
TestSuite(channel);

/* Shah & London (1978) Table values for rectangular ducts, fully developed
 * laminar flow: (alpha, f*Re, Nu_H1). The polynomial fits are quoted as
 * accurate to about 0.05 %; allow 0.1 %. [R] recalled table values,
 * consistent with physics.md 6.1 (which evaluates the same fits). */
Test(channel, rectangular_duct_tables) {
  const double tab[][3] = {{1.0, 14.227, 3.608},  {0.5, 15.548, 4.123}, {0.25, 18.233, 5.331},
                           {0.125, 20.585, 6.490}, {0.0, 24.000, 8.235}};
  for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
    double a = tab[i][0];
    cr_expect_float_eq(Channel_fre(a), tab[i][1], 1e-3 * tab[i][1], "fRe(%g) = %.4f", a,
                       Channel_fre(a));
    cr_expect_float_eq(Channel_nu_h1(a), tab[i][2], 1e-3 * tab[i][2], "Nu_H1(%g) = %.4f", a,
                       Channel_nu_h1(a));
  }
}

/* Fin efficiency against tanh(mH)/mH computed here from its definition,
 * and its limits: eta -> 1 for a short fin, eta -> 1/(mH) for a long one. */
Test(channel, fin_efficiency_analytic) {
  double h = 1e4, k = 400.0, t = 2e-4, height = 3e-3;
  double m = sqrt(2.0 * h / (k * t));
  cr_assert_float_eq(Channel_fin_efficiency(h, k, t, height), tanh(m * height) / (m * height),
                     1e-12);
  cr_assert_float_eq(Channel_fin_efficiency(h, k, t, 1e-7), 1.0, 1e-6);
  double mh = m * 0.1;
  cr_assert_float_eq(Channel_fin_efficiency(h, k, t, 0.1), 1.0 / mh, 1e-6);
}

/* A small block: 20 mm wafer, 2 x 1 dies, cold plate, contact, wafer,
 * PCB. No brick cold plate, so every watt must leave in the coolant. */
static const char *small_case =
    "name: small\n"
    "wafer: {size_mm: 20, dies: {columns: 2, rows: 1}}\n"
    "power: {total_kw: 0.2}\n"
    "stack:\n"
    "  - {name: plate, kind: microchannel, material: copper, base_thickness_mm: 2,\n"
    "     channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2}\n"
    "  - {name: contact, kind: interface, conductance_w_m2k: 30000}\n"
    "  - {name: wafer, kind: solid, material: silicon, thickness_mm: 0.775, heat_source: true}\n"
    "  - {name: pcb, kind: solid, material: fr4, thickness_mm: 1.6}\n"
    "coolant: {fluid: water, inlet_c: 25, flow_lpm: 0.5, constant_properties: true}\n"
    "grid: {dx_mm: 1, dz_mm: 0.5}\n"
    "solver: {linear_tol: 1e-10}\n";

static int solve_text(const char *text, int n_sets, const char *const *sets, ModelResult *r,
                      Case *c) {
  char err[EB_ERRLEN];
  int rc = Case_read_string(text, "test", n_sets, sets, c, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "%s", err);
  rc = Model_solve_once(c, NULL, r, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "%s", err);
  return rc;
}

/* outlet - inlet = P / (m_dot cp) for the whole block (physics.md 10.4).
 * Constant properties make cp exact; the only error left is the linear
 * solver residual (tolerance 1e-10), so 1e-7 relative is a tight bound. */
Test(thermal, coolant_energy_balance) {
  static Case c;
  ModelResult r;
  solve_text(small_case, 0, NULL, &r, &c);
  FluidProps p;
  Materials_fluid_props(FLUID_WATER, c.inlet_t_k, &p);
  double m_dot = p.rho_kg_m3 * c.flow_m3_s;
  double expect = c.power_w / (m_dot * p.cp_j_kgk);
  cr_assert_float_eq(r.thermal.power_w, 200.0, 1e-9);
  cr_assert_float_eq(r.thermal.coolant_outlet_k - r.thermal.coolant_inlet_k, expect, 1e-7 * expect,
                     "dT %.9f K, expected %.9f K", r.thermal.coolant_outlet_k - r.thermal.coolant_inlet_k, expect);
  cr_assert(r.thermal.energy_balance_rel_error < 1e-7, "energy balance %.3e", r.thermal.energy_balance_rel_error);
  cr_assert_float_eq(r.thermal.heat_to_bottom_w, 0.0, 1e-12);
  ModelResult_free(&r);
}

/* With a brick cold plate part of the heat leaves downwards; the balance
 * P = Q_coolant + Q_bottom must still close, and T-dependent properties
 * (water table, silicon k(T)) must converge. */
Test(thermal, balance_with_two_sinks_and_variable_properties) {
  static Case c;
  ModelResult r;
  const char *text =
      "name: two-sinks\n"
      "wafer: {size_mm: 20, dies: {columns: 2, rows: 2}}\n"
      "power: {total_kw: 0.3, hotspots: [{x_mm: 5, y_mm: 5, width_mm: 2, height_mm: 2, "
      "flux_w_cm2: 200}]}\n"
      "stack:\n"
      "  - {name: plate, kind: microchannel, base_thickness_mm: 2, channel_width_mm: 0.3,\n"
      "     channel_height_mm: 2, fin_thickness_mm: 0.2, flow_direction: y}\n"
      "  - {name: contact, kind: interface, conductance_w_m2k: 20000}\n"
      "  - {name: wafer, material: silicon, thickness_mm: 0.775, heat_source: true}\n"
      "  - {name: pcb, material: pcb_laminate, thickness_mm: 2}\n"
      "  - {name: bricks, kind: brick_tiles, thickness_mm: 4, brick_x_mm: 6, brick_y_mm: 6,\n"
      "     cold_plate_h_w_m2k: 20000}\n"
      "coolant: {inlet_c: 30, flow_lpm: 0.3}\n"
      "grid: {dx_mm: 1, dz_mm: 1}\n";
  solve_text(text, 0, NULL, &r, &c);
  cr_assert(r.thermal.heat_to_bottom_w > 0.0);
  cr_assert(r.thermal.energy_balance_rel_error < 1e-6, "energy balance %.3e", r.thermal.energy_balance_rel_error);
  cr_assert_float_eq(r.thermal.power_w, 300.0, 1e-9);
  /* the hotspot die (1,1) must be the hottest */
  cr_assert_eq(r.thermal.t_max_die_col, 0);
  cr_assert_eq(r.thermal.t_max_die_row, 0);
  ModelResult_free(&r);
}

/* Regression: the shipped CS-3 case at a coarse grid (4 mm lateral cells),
 * with its power path. Numbers from a run checked by hand:
 * Power path (all at the solved temperatures): a die draws 25 kW / 84 =
 * 297.6 W at 0.8166 V = 364.5 A; its drops 20 + 20 uohm of vias and 40 of
 * contacts at ~+10 % copper (30 C over 20 C) give 32 mV, the planes ~1 mV:
 * IR drop 33.4 mV. Brick loss 5 W + 364.5^2 x 0.085 mohm x 1.095 = 17.4 W,
 * x 84 = 1459 W. A board carries 7 x (0.85 x 364.5 + 17.4) = 2290 W from
 * an ideal 12 V through 1.5 mohm: 11.71 V, 195.6 A, loss 30 + 57.4 = 87.4 W,
 * x 12 = 1048 W. Each of 12 PSUs carries 28,522 / 12 = 2377 W (72 % of
 * 3.3 kW), at 93.8 % on the Titanium table: 1886 W of loss. Wall:
 * 25,000 + 1459 + 518 (PCB) + 497 (connector) + 1048 + 1886 = 30,408 W.
 * Thermal: 25.84 kW rises through the wafer (the dies, the connector and
 * most of the PCB's heat), 55.9 W/cm^2 over 462.25 cm^2;
 * R = 1/h_eff (area mean 83,700 W/m^2K: developing laminar flow, split
 *     manifold) 1.19e-5 + base 3 mm/391 7.7e-6 + contact 1/5e4 2e-5
 *     + wafer 0.775 mm/137 5.7e-6 = 4.53e-5 m^2K/W -> 25.3 K;
 * outlet 21 + 25,837 W / (1.663 kg/s x 4181) = 24.716 C (solve 24.714);
 * mean junction 21 + 3.71/2 + 25.3 = 48.2 C (solve: 48.31); the hottest
 * junction sits on the outlet edges where the coolant is 3.7 K warmer and
 * h lowest (solve: 50.60). The brick plate takes the bricks' 1459 W and
 * 177 W conducted down.
 * Pressure drop at 100 L/min: channels f_app = 23.2/Re (Shah 1978, x+ =
 * 0.21, Re 920) over 107.5 mm at 1.61 m/s -> 25 kPa (solve: 24.3 with
 * properties at the mean temperature); manifold 1.5 x 1.29 kPa = 1.9;
 * fittings 4 x 2.14 kPa = 8.6; couplings 2 x 2 x 2.14 = 8.6: 43.4 kPa.
 * Tolerances 0.01 K / 0.1 kPa / 1 W hold these numbers against
 * solver-tolerance noise while catching any change of physics or
 * discretisation. */
Test(thermal, cs3_baseline_regression) {
  static Case c;
  ModelResult r;
  char err[EB_ERRLEN];
  const char *sets[] = {"grid.dx_mm=4"};
  int rc = Case_read("cases/cs3.yaml", 1, sets, &c, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "%s", err);
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  cr_log_info("cs3 @4mm: Tmax %.4f C die (%d,%d), mean %.4f C, outlet %.4f C, to bottom %.2f W",
              r.thermal.t_max_k - 273.15, r.thermal.t_max_die_col + 1, r.thermal.t_max_die_row + 1,
              r.thermal.t_mean_wafer_k - 273.15, r.thermal.coolant_outlet_k - 273.15, r.thermal.heat_to_bottom_w);
  cr_expect_float_eq(r.thermal.t_max_k - 273.15, 50.6030, 0.01);
  cr_expect_float_eq(r.thermal.t_mean_wafer_k - 273.15, 48.3084, 0.01);
  cr_expect_float_eq(r.thermal.coolant_outlet_k - 273.15, 24.7141, 0.001);
  cr_expect_float_eq(r.thermal.heat_to_bottom_w, 1636.1, 1.0);
  cr_expect_float_eq(r.coolant.dp_total_pa * 1e-3, 43.4, 0.1);
  cr_expect_float_eq(r.coolant.dp_fittings_pa * 1e-3, 8.55, 0.05);
  /* the split manifold feeds the centre line and drains both edges: columns
   * 1 and 12 are mirror images, tied to solver noise */
  cr_expect(r.thermal.t_max_die_col + 1 == 1 || r.thermal.t_max_die_col + 1 == 12,
            "hottest die on an outlet edge (column 1 or 12), not column %d",
            r.thermal.t_max_die_col + 1);
  cr_expect(r.thermal.energy_balance_rel_error < 1e-6);
  cr_expect_float_eq(r.thermal.power_w, 25000.0, 1e-6);
  const PowerResult *p = &r.power;
  cr_expect_float_eq(p->wall_power_w, 30408.0, 1.0);
  cr_expect_float_eq(p->brick_loss_w, 1458.6, 0.5);
  cr_expect_float_eq(p->pdb_loss_w, 1048.5, 0.5);
  cr_expect_float_eq(p->psu_loss_w, 1886.1, 0.5);
  cr_expect_float_eq(p->die_v_min, 0.81662, 1e-4);
  cr_expect_float_eq(p->ir_drop_max_v, 0.03338, 1e-4);
  cr_expect_float_eq(p->psu_load_max_w, 2376.8, 1.0);
  ModelResult_free(&r);
}

/* Nested start: a cold solve started from the same case on a grid of twice
 * the cell (model.c; here CS-3 at 4 mm from 8 mm, the threshold lowered to
 * these sizes) gives the cold start's answer within the fixed point's
 * tolerance (5e-4 K; measured 3e-6 K at the default 0.5 mm grid) in fewer
 * evaluations of the fine grid (4 cold, 3 nested at 0.5 mm; 4 and 2 at
 * 0.25 mm). */
Test(thermal, nested_start_gives_the_cold_answer) {
  static Case c;
  ModelResult cold, nested;
  char err[EB_ERRLEN];
  const char *sets[] = {"grid.dx_mm=4"};
  cr_assert_eq(Case_read("cases/cs3.yaml", 1, sets, &c, err, sizeof err), EB_OK, "%s", err);
  ModelOptions o = {.nested_min_cells = -1};
  cr_assert_eq(Model_solve_once(&c, &o, &cold, err, sizeof err), EB_OK, "%s", err);
  o.nested_min_cells = 10000;
  cr_assert_eq(Model_solve_once(&c, &o, &nested, err, sizeof err), EB_OK, "%s", err);
  cr_log_info("cold: %d evaluations, %.6f C; nested: %d, %.6f C", cold.thermal.nonlinear_iters,
              cold.thermal.t_max_k - 273.15, nested.thermal.nonlinear_iters,
              nested.thermal.t_max_k - 273.15);
  cr_expect_lt(nested.thermal.nonlinear_iters, cold.thermal.nonlinear_iters);
  cr_expect(fabs(nested.thermal.t_max_k - cold.thermal.t_max_k) < 1e-3, "%.6f vs %.6f",
            nested.thermal.t_max_k, cold.thermal.t_max_k);
  cr_expect(fabs(nested.thermal.coolant_outlet_k - cold.thermal.coolant_outlet_k) < 1e-3);
  cr_expect(fabs(nested.power.wall_power_w - cold.power.wall_power_w) < 0.1);
  ModelResult_free(&cold);
  ModelResult_free(&nested);
}

/* Split manifold and a maldistribution profile: the energy balance stays
 * exact; a centre inlet halves the path and the flow per path, so the
 * fully developed laminar channel drop falls to a quarter (developing flow
 * adds a little: between 0.25 and 0.35 of single pass); starving one side
 * of the plate makes that side hotter. */
Test(thermal, split_manifold_and_flow_profile) {
  static Case c1, c2, c3;
  ModelResult r1, r2, r3;
  const char *single[] = {"stack.plate.flow_direction=x"};
  const char *split[] = {"stack.plate.manifold=split"};
  solve_text(small_case, 1, single, &r1, &c1);
  solve_text(small_case, 1, split, &r2, &c2);
  cr_assert(r2.thermal.energy_balance_rel_error < 1e-7, "split balance %.3e", r2.thermal.energy_balance_rel_error);
  double ratio = r2.coolant.dp_channels_pa / r1.coolant.dp_channels_pa;
  cr_assert(ratio > 0.2499 && ratio < 0.35, "split/single channel dP %.4f", ratio);
  cr_assert_float_eq(r2.thermal.coolant_outlet_k, r1.thermal.coolant_outlet_k, 1e-6);

  /* flow profile across y: 0.5 at y = 0 rising to 1.5 at y = 20 mm */
  const char *text =
      "name: profile\n"
      "wafer: {size_mm: 20, dies: {columns: 2, rows: 1}}\n"
      "power: {total_kw: 0.2}\n"
      "stack:\n"
      "  - {name: plate, kind: microchannel, material: copper, base_thickness_mm: 2,\n"
      "     channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2,\n"
      "     flow_profile: [0.5, 1.5]}\n"
      "  - {name: contact, kind: interface, conductance_w_m2k: 30000}\n"
      "  - {name: wafer, kind: solid, material: silicon, thickness_mm: 0.775, heat_source: true}\n"
      "coolant: {fluid: water, inlet_c: 25, flow_lpm: 0.2, constant_properties: true}\n"
      "grid: {dx_mm: 1, dz_mm: 0.5}\n";
  solve_text(text, 0, NULL, &r3, &c3);
  cr_assert(r3.thermal.energy_balance_rel_error < 1e-7);
  cr_assert_lt(r3.thermal.t_max_y_m, 0.010, "the starved side (small y) must hold the hottest spot");
  ModelResult_free(&r1);
  ModelResult_free(&r2);
  ModelResult_free(&r3);
}

/* cover: adiabatic takes the channel's three-wall Nu from solver/duct.c.
 * The small case's channels are 0.3 x 2 mm (H/w 6.7): per heated area that
 * Nu is 5-6 % above the four-wall fit (tests/test_duct.c), so the cold plate
 * h_eff rises by about that much at the inlet (fully developed laminar part
 * of the developing correlation) and the junction gets cooler, while the
 * energy balance still closes. */
Test(thermal, adiabatic_cover_uses_three_wall_nu) {
  static Case c1, c2;
  ModelResult a, b;
  const char *cover[] = {"stack.plate.cover=adiabatic"};
  solve_text(small_case, 0, NULL, &a, &c1);
  solve_text(small_case, 1, cover, &b, &c2);
  double gain = b.coolant.h_channel_w_m2k / a.coolant.h_channel_w_m2k;
  cr_log_info("h_channel %.1f -> %.1f W/m2K (x %.4f), t_max %.4f -> %.4f C", a.coolant.h_channel_w_m2k,
              b.coolant.h_channel_w_m2k, gain, a.thermal.t_max_k - 273.15, b.thermal.t_max_k - 273.15);
  cr_expect(gain > 1.01 && gain < 1.08, "h gain %.4f", gain);
  cr_expect(b.thermal.t_max_k < a.thermal.t_max_k, "t_max %.4f vs %.4f", b.thermal.t_max_k, a.thermal.t_max_k);
  cr_expect(b.thermal.energy_balance_rel_error < 1e-7, "balance %.3e", b.thermal.energy_balance_rel_error);
  ModelResult_free(&a);
  ModelResult_free(&b);
}

/* The less-travelled paths of the shipped case (coolants, pump set-ups,
 * flow along y, single pass, extreme flows and powers) at a coarse grid:
 * each solves, closes its energy balance to 1e-6 (the solver's own checks
 * reach 1e-7 to 1e-9) and orders inlet < outlet < hottest junction. */
Test(thermal, variants_of_the_shipped_case_close_their_balance) {
  const char *variants[][3] = {
      {"coolant.fluid=pg25", NULL, NULL},
      {"coolant.fluid=pg30", "coolant.inlet_c=-5", NULL},
      {"coolant.flow_source=pumps", "pumps.count=1", "pumps.running=1"},
      {"coolant.flow_source=pumps", "pumps.arrangement=series", NULL},
      {"stack.cold_plate.flow_direction=y", NULL, NULL},
      {"stack.cold_plate.manifold=single", NULL, NULL},
      {"stack.cold_plate.flow_direction=y", "grid.dx_mm=7", NULL},
      {"coolant.flow_lpm=400", NULL, NULL},
      {"coolant.flow_lpm=5", NULL, NULL},
      /* twice the baseline; at 60 kW the power board passes its FR-4
       * glass transition (194 C > 130 C), which the model refuses */
      {"power.total_kw=50", "stack.cold_plate.cover=adiabatic", NULL},
  };
  for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
    const char *sets[4] = {"grid.dx_mm=8"};
    int n = 1;
    for (int q = 0; q < 3 && variants[v][q]; q++) sets[n++] = variants[v][q];
    static Case c;
    char err[EB_ERRLEN];
    cr_assert_eq(Case_read("cases/cs3.yaml", n, sets, &c, err, sizeof err), EB_OK, "%s", err);
    ModelResult r;
    int rc = Model_solve_once(&c, NULL, &r, err, sizeof err);
    cr_expect_eq(rc, EB_OK, "variant %zu (%s): %s", v, variants[v][0], err);
    if (rc == EB_OK) {
      cr_expect(r.thermal.energy_balance_rel_error < 1e-6, "variant %zu: balance %.3e", v,
                r.thermal.energy_balance_rel_error);
      cr_expect(r.thermal.t_max_k > r.thermal.coolant_outlet_k && r.thermal.coolant_outlet_k > r.thermal.coolant_inlet_k,
                "variant %zu: t_max %.3f, outlet %.3f, inlet %.3f", v, r.thermal.t_max_k,
                r.thermal.coolant_outlet_k, r.thermal.coolant_inlet_k);
      ModelResult_free(&r);
    }
  }
}
