/* test_power_parts.c - the power path's pieces (solver/power/power_parts.h)
 * one by one against closed forms: copper R(T), the PCB planes as a
 * series/parallel resistor network, the fixed-ratio converter stage, the
 * PSU efficiency table, brick derating, the die electrical model and the
 * brick set point. Pure functions: the tolerances are round-off (a few ulp
 * of the arithmetic the oracle itself does, 1e-12 relative unless said). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cases/case.h"
#include "solver/power/power_parts.h"

TestSuite(power_parts);

/* A valid, cheap case with a power path: 1 x 1 die, 5 mm cells, the PCB
 * and connector solid over the whole wafer, the bricks a brick_tiles layer.
 * The die model is set in the tests (the power sections below or --set). */
#define WAFER "wafer: {size_mm: 20, dies: {columns: 1, rows: 1}}\n"
#define REST                                                                                   \
  "stack:\n"                                                                                   \
  "  - {name: plate, kind: microchannel, material: copper, base_thickness_mm: 2,\n"             \
  "     channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2}\n"                  \
  "  - {name: contact, kind: interface, conductance_w_m2k: 50000}\n"                          \
  "  - {name: wafer, kind: solid, material: silicon, thickness_mm: 0.775, heat_source: true}\n" \
  "  - {name: connector, kind: solid, material: elastomer_connector, thickness_mm: 1}\n"       \
  "  - {name: pcb, kind: solid, material: pcb_laminate, thickness_mm: 3.2}\n"                  \
  "  - {name: bricks, kind: brick_tiles, material: brick, filler: filler, thickness_mm: 6,\n"   \
  "     brick_x_mm: 10, brick_y_mm: 20, cold_plate_h_w_m2k: 5000}\n"                           \
  "coolant: {fluid: water, inlet_c: 25, flow_lpm: 1}\n"                                        \
  "power_delivery: {}\n"                                                                       \
  "grid: {dx_mm: 5, dz_mm: 1}\n"

static const char *block = "name: parts\n" WAFER "power: {total_kw: 0.3}\n" REST;

/* The same block with the die electrical model; numbers away from the
 * defaults so that a default silently used instead would show. */
static const char *electrical =
    "name: parts-el\n" WAFER
    "power:\n"
    "  total_kw: 0.3\n"
    "  die_model: electrical\n"
    "  electrical: {dynamic_share: 0.6, v_nominal_v: 0.8, leakage_ref_c: 70,\n"
    "               leakage_doubling_k: 20, leakage_v_exponent: 2.5}\n" REST;

/* The electrical block with a V(f) table (lists cannot be given with --set). */
static const char *with_vf =
    "name: parts-vf\n" WAFER
    "power:\n"
    "  total_kw: 0.3\n"
    "  die_model: electrical\n"
    "  electrical: {vf_clock: [0.8, 1.0, 1.3], vf_v: [0.75, 0.85, 0.95]}\n" REST;

static Case *read_case(const char *text, int n, const char *const *sets) {
  static Case c; /* large: not on the stack */
  char err[EB_ERRLEN];
  cr_assert_eq(Case_read_string(text, "parts", n, sets, &c, err, sizeof err), EB_OK, "%s", err);
  return &c;
}

static const double T0 = 273.15;

/* ---- copper --------------------------------------------------------------- */

/* R(T)/R(Tref) = 1 + 0.00393 (T - Tref) [physics.md 9]: 60 C against 20 C is
 * 1.1572 exactly in decimals; 1e-12 covers the kelvin offsets' round-off. */
Test(power_parts, copper_factor_is_linear_in_temperature) {
  cr_assert_float_eq(Power_cu_factor(T0 + 60, T0 + 20), 1.1572, 1e-12);
  cr_assert_float_eq(Power_cu_factor(T0 + 90, T0 + 20), 1.2751, 1e-12);
  cr_assert_float_eq(Power_cu_factor(T0 + 0, T0 + 20), 0.9214, 1e-12);
  cr_assert_float_eq(Power_cu_factor(T0 + 33, T0 + 33), 1.0, 1e-15);
  /* physics.md 9 quotes the 1 oz sheet at 60 and 90 C to 3 digits: half a unit */
  cr_assert_float_eq(0.4926e-3 * Power_cu_factor(T0 + 60, T0 + 20), 0.570e-3, 0.5e-6);
  cr_assert_float_eq(0.4926e-3 * Power_cu_factor(T0 + 90, T0 + 20), 0.628e-3, 0.5e-6);
}

/* ---- PCB planes: series of two parallel groups ---------------------------- */

/* One plane of n oz: rho / (n 35 um); 1 oz = 1.7241e-8 / 35e-6 = 0.4926
 * mohm/sq exactly in decimals [physics.md 9]. The loop is the power planes
 * in parallel in series with the ground planes in parallel:
 * R = r_plane / n_power + r_plane / n_ground. 1e-12 relative: round-off. */
static double loop(double oz, int np, int ng) {
  CasePowerDelivery pd;
  memset(&pd, 0, sizeof pd);
  pd.pcb_copper_oz = oz;
  pd.pcb_power_planes = np;
  pd.pcb_ground_planes = ng;
  return Power_pcb_loop_sheet_ohm(&pd);
}

Test(power_parts, pcb_loop_sheet_is_a_series_parallel_network) {
  const double r1 = 0.4926e-3; /* one 1 oz plane, ohm/sq */
  cr_assert_float_eq(POWER_CU_RHO_20C / POWER_CU_OZ_M, r1, 1e-12 * r1);
  /* 1 + 1 planes: the two single planes in series */
  cr_assert_float_eq(loop(1, 1, 1), 2 * r1, 1e-12 * r1);
  /* 4 + 4 planes of 2 oz: 0.2463 / 4 * 2 = 0.12315 mohm/sq */
  cr_assert_float_eq(loop(2, 4, 4), 0.12315e-3, 1e-12 * r1);
  /* unequal groups: 2 power + 6 ground of 1 oz: 0.4926/2 + 0.4926/6 = 0.3284 */
  cr_assert_float_eq(loop(1, 2, 6), 0.3284e-3, 1e-12 * r1);
  /* 3 oz, 3 power + 1 ground: 0.1642/3 + 0.1642 */
  cr_assert_float_eq(loop(3, 3, 1), 0.1642e-3 * (1.0 / 3.0 + 1.0), 1e-12 * r1);
  /* symmetric in the two groups (series is commutative) */
  cr_assert_float_eq(loop(2, 3, 5), loop(2, 5, 3), 1e-15 * r1);
  /* the case's defaults: 4 + 4 planes of 2 oz */
  Case *c = read_case(block, 0, NULL);
  cr_assert_float_eq(Power_pcb_loop_sheet_ohm(&c->pd), 0.12315e-3, 1e-12 * r1);
}

/* ---- fixed-ratio stage ---------------------------------------------------- */

/* v = k vin - I R with p = v I: v^2 - kv v + R p = 0, the higher root
 * v = (kv + sqrt(kv^2 - 4 R p)) / 2. Reference numbers from that closed form
 * evaluated separately (python, double): a PDB 50 V x 0.24, 1.5 mohm, 2.2 kW;
 * a brick 12 V x 0.0725, 0.085 mohm, 300 W. Both equations must hold to
 * round-off (1e-13 relative); v above kv / 2 (the stable root). */
Test(power_parts, stage_is_the_higher_root_of_the_quadratic) {
  const struct {
    double kv, r, p, v, i;
  } k[] = {{12.0, 1.5e-3, 2200.0, 11.71839138219832, 187.73907853445405},
           {0.87, 0.085e-3, 300.0, 0.8396294601237038, 357.3004691328965}};
  for (int n = 0; n < 2; n++) {
    double i = 0.0, v = Power_stage_vout(k[n].kv, k[n].r, k[n].p, &i);
    cr_assert_float_eq(v, k[n].v, 1e-13 * k[n].v, "v %.17g expected %.17g", v, k[n].v);
    cr_assert_float_eq(i, k[n].i, 1e-13 * k[n].i, "i %.17g expected %.17g", i, k[n].i);
    cr_assert_float_eq(i * v, k[n].p, 1e-13 * k[n].p, "I v = %.17g, p = %g", i * v, k[n].p);
    cr_assert_float_eq(k[n].kv - i * k[n].r, v, 1e-13 * v, "kv - I R = %.17g, v = %.17g",
                       k[n].kv - i * k[n].r, v);
    cr_assert(v > 0.5 * k[n].kv);
  }
  /* R = 0: an ideal ratio, v = kv and I = p / kv */
  double i = 0.0, v = Power_stage_vout(12.0, 0.0, 2200.0, &i);
  cr_assert_eq(v, 12.0);
  cr_assert_float_eq(i, 2200.0 / 12.0, 1e-15 * i);
  /* p_max = kv^2 / (4 R): with R = 1/512 ohm (exact in binary) 18432 W, where
   * the discriminant is exactly 0 and v = kv / 2 exactly; past it no
   * operating point (NAN) */
  const double rb = 1.0 / 512.0;
  v = Power_stage_vout(12.0, rb, 18432.0, &i);
  cr_assert_eq(v, 6.0, "at p_max v = %.17g", v);
  cr_assert_eq(i, 3072.0);
  v = Power_stage_vout(12.0, rb, 18432.0 * (1 + 1e-12), &i);
  cr_assert(isnan(v) && isnan(i), "beyond p_max: v %g, i %g", v, i);
  v = Power_stage_vout(12.0, 1.5e-3, 3e4, &i); /* p_max 24 kW */
  cr_assert(isnan(v) && isnan(i));
  /* no load: v = kv, I = 0 */
  v = Power_stage_vout(12.0, 1.5e-3, 0.0, &i);
  cr_assert_eq(v, 12.0);
  cr_assert_eq(i, 0.0);
}

/* ---- PSU efficiency table ------------------------------------------------- */

/* Default table 0.1/0.2/0.5/1.0 -> 0.90/0.94/0.96/0.91 (80 PLUS Titanium,
 * case_schema.c): linear between points, the end values beyond them.
 * Values by hand: 0.35 is halfway 0.2..0.5 -> 0.95; 0.75 halfway 0.5..1
 * -> 0.935. 1e-12: one interpolation of decimal fractions. */
Test(power_parts, psu_efficiency_interpolates_and_clamps) {
  Case *c = read_case(block, 0, NULL);
  const CasePowerDelivery *pd = &c->pd;
  cr_assert_eq(pd->psu_eff.n, 4);
  const double at[][2] = {{0.35, 0.95}, {0.75, 0.935}, {0.05, 0.90}, {0.0, 0.90}, {1.3, 0.91},
                          {0.1, 0.90},  {0.2, 0.94},   {0.5, 0.96},  {1.0, 0.91}, {0.15, 0.92}};
  for (size_t k = 0; k < sizeof at / sizeof at[0]; k++)
    cr_assert_float_eq(Power_psu_efficiency(pd, at[k][0]), at[k][1], 1e-12, "eta(%g) = %.15g",
                       at[k][0], Power_psu_efficiency(pd, at[k][0]));
}

/* ---- brick derating ------------------------------------------------------- */

/* Defaults 450 A, full to 85 C, linear to 0 at 125 C: 105 C is halfway ->
 * 225 A; 115 C -> 112.5 A. 1e-12 of 450 A: round-off of the kelvin offsets. */
Test(power_parts, brick_rating_derates_linearly) {
  Case *c = read_case(block, 0, NULL);
  const CasePowerDelivery *pd = &c->pd;
  const double at[][2] = {{25, 450}, {85, 450}, {95, 337.5}, {105, 225},
                          {115, 112.5}, {125, 0}, {150, 0}};
  for (size_t k = 0; k < sizeof at / sizeof at[0]; k++)
    cr_assert_float_eq(Power_brick_rating(pd, T0 + at[k][0]), at[k][1], 1e-12 * 450,
                       "rating at %g C: %.15g A", at[k][0], Power_brick_rating(pd, T0 + at[k][0]));
}

/* ---- die electrical model ------------------------------------------------- */

/* At v_nominal, clock 1 and the leakage reference temperature the model
 * returns p_nom: dynamic share s of it, leakage 1 - s (a few ulp: 1e-14).
 * Leakage doubles every leakage_doubling_k (exp2 of an integer is exact:
 * 1e-14 again). Dynamic power goes as clock and V^2, leakage as V^n and not
 * with the clock: ratios of two evaluations, 1e-13. */
Test(power_parts, die_electrical_model) {
  const double p = 300.0, v0 = 0.8, tr = T0 + 70, td = 20.0, s = 0.6, n = 2.5;
  Case *c = read_case(electrical, 0, NULL);
  cr_assert_eq(c->die_model, DIE_POWER_ELECTRICAL);
  double dyn, leak;
  double tot = Power_die(c, p, v0, tr, &dyn, &leak);
  cr_assert_float_eq(tot, p, 1e-14 * p, "nominal: %.17g", tot);
  cr_assert_float_eq(dyn, s * p, 1e-14 * p);
  cr_assert_float_eq(leak, (1 - s) * p, 1e-14 * p);
  cr_assert_float_eq(dyn + leak, tot, 1e-15 * p);
  /* one doubling up, two down */
  double d1, l1;
  Power_die(c, p, v0, tr + td, &d1, &l1);
  cr_assert_float_eq(l1, 2 * leak, 1e-14 * leak);
  cr_assert_float_eq(d1, dyn, 1e-15 * dyn, "dynamic power moved with temperature");
  Power_die(c, p, v0, tr - 2 * td, &d1, &l1);
  cr_assert_float_eq(l1, 0.25 * leak, 1e-14 * leak);
  /* half a doubling: sqrt(2) */
  Power_die(c, p, v0, tr + 0.5 * td, &d1, &l1);
  cr_assert_float_eq(l1, sqrt(2.0) * leak, 1e-14 * leak);
  /* voltage: V^2 and V^n */
  const double v = 0.9, x = v / v0;
  tot = Power_die(c, p, v, tr + 7.0, &d1, &l1);
  double d0, l0;
  Power_die(c, p, v0, tr + 7.0, &d0, &l0);
  cr_assert_float_eq(d1 / d0, x * x, 1e-13, "dynamic ratio %.15g", d1 / d0);
  cr_assert_float_eq(l1 / l0, pow(x, n), 1e-13, "leakage ratio %.15g", l1 / l0);
  cr_assert_float_eq(tot, d1 + l1, 1e-15 * tot);
  double d2, l2;
  cr_assert(Power_die(c, p, v, tr, NULL, NULL) == Power_die(c, p, v, tr, &d2, &l2),
            "NULL parts change the answer");
  /* clock: the dynamic part scales with it, leakage does not */
  const char *set[] = {"power.clock=1.3"};
  Case *c2 = read_case(electrical, 1, set);
  cr_assert_float_eq(c2->clock, 1.3, 0.0);
  Power_die(c2, p, v, tr + 7.0, &d0, &l0);
  cr_assert_float_eq(d0 / d1, 1.3, 1e-13, "clock ratio %.15g", d0 / d1);
  cr_assert_float_eq(l0, l1, 1e-15 * l1, "leakage moved with the clock");
}

/* die_model fixed (the default): p_nom whatever the voltage and temperature. */
Test(power_parts, die_fixed_model_returns_nominal) {
  Case *c = read_case(block, 0, NULL);
  cr_assert_eq(c->die_model, DIE_POWER_FIXED);
  double dyn = -1, leak = -1;
  cr_assert_eq(Power_die(c, 250.0, 0.7, T0 + 110, &dyn, &leak), 250.0);
  cr_assert_eq(dyn + leak, 250.0);
  cr_assert_eq(Power_die(c, 250.0, 0.9, T0 + 20, NULL, NULL), 250.0);
}

/* ---- brick set point ------------------------------------------------------ */

/* set_point_v when there is no V(f) table; with the electrical model and a
 * table, the table at power.clock, linear and clamped at its ends.
 * Table 0.8/1.0/1.3 -> 0.75/0.85/0.95: at clock 1.15 (halfway 1.0..1.3)
 * 0.90, at 0.9 (halfway 0.8..1.0) 0.80. 1e-12: one interpolation. */
Test(power_parts, set_point_from_value_or_vf_table) {
  Case *c = read_case(block, 0, NULL);
  cr_assert_float_eq(Power_set_point(c), 0.85, 1e-15, "default set point %.15g",
                     Power_set_point(c));
  const char *sp[] = {"power_delivery.brick.set_point_v=0.8"};
  c = read_case(block, 1, sp);
  cr_assert_float_eq(Power_set_point(c), 0.8, 1e-15);
  /* electrical, no table: still the set point */
  c = read_case(electrical, 1, sp);
  cr_assert_float_eq(Power_set_point(c), 0.8, 1e-15);
  const double at[][2] = {{1.15, 0.90}, {0.9, 0.80}, {1.0, 0.85}, {0.5, 0.75}, {2.0, 0.95}};
  for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
    char clock[64];
    snprintf(clock, sizeof clock, "power.clock=%g", at[k][0]);
    const char *sets[] = {clock, sp[0]};
    c = read_case(with_vf, 2, sets);
    cr_assert_eq(c->vf_clock.n, 3);
    cr_assert_float_eq(Power_set_point(c), at[k][1], 1e-12, "V(f) at clock %g: %.15g", at[k][0],
                       Power_set_point(c));
  }
}
