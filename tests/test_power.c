/* test_power.c - the power path solved with the temperatures, on small
 * blocks: the power balance closes at any operating point, N-1 supplies
 * share the load, leakage feedback lands on the fixed point of an
 * independent lumped model (and a runaway is said as one), brick losses
 * grow as I^2, the power limits (a lower bound among them). The pieces and
 * the PCB sheet have their own closed-form tests (test_power_parts.c,
 * test_sheet.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cases/case.h"
#include "solver/core/registry.h"
#include "solver/core/runtime.h"
#include "solver/model.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(power, .init = up, .fini = down);

/* 40 mm wafer, 4 x 2 dies (10 x 20 mm, 100 W each: CS-3's 50 W/cm^2), the
 * full stack with bricks behind the dies and their own cold plate; 4 PSUs
 * of 1 kW, one board per column. */
static const char *block =
    "name: pwr\n"
    "wafer: {size_mm: 40, dies: {columns: 4, rows: 2}}\n"
    "power: {total_kw: 0.8}\n"
    "stack:\n"
    "  - {name: plate, kind: microchannel, material: copper, base_thickness_mm: 2,\n"
    "     channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2}\n"
    "  - {name: contact, kind: interface, conductance_w_m2k: 50000}\n"
    "  - {name: wafer, kind: solid, material: silicon, thickness_mm: 0.775, heat_source: true}\n"
    "  - {name: connector, kind: solid, material: elastomer_connector, thickness_mm: 1}\n"
    "  - {name: pcb, kind: solid, material: pcb_laminate, thickness_mm: 3.2}\n"
    "  - {name: bricks, kind: brick_tiles, material: brick, filler: filler, thickness_mm: 6,\n"
    "     brick_x_mm: 6, brick_y_mm: 12, cold_plate_h_w_m2k: 5000}\n"
    "coolant: {fluid: water, inlet_c: 25, flow_lpm: 4}\n"
    "power_delivery: {psu: {count: 4, rating_kw: 1.0}}\n"
    "grid: {dx_mm: 1, dz_mm: 1}\n"
    "solver: {linear_tol: 1e-10}\n";

static char err[EB_ERRLEN];

static int solve(const char *text, int n, const char *const *sets, ModelResult *r, Case *c) {
  int rc = Case_read_string(text, "test", n, sets, c, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "%s", err);
  return Model_solve_once(c, NULL, r, err, sizeof err);
}

static double get(const ModelResult *r, const char *name) {
  Result v;
  ModelResult_view(r, &v);
  return Result_get(Model_registry(), &v, name);
}

/* Wall power = die power + every loss on the path, and the heat the
 * thermal model was given = die power + the losses inside the block, at
 * operating points that exercise every branch. Both sides are sums of the
 * same settled network; what is left is the electrical iteration's 1e-9 V
 * and the sheet solve's 1e-10 residual: 1e-8 relative is a safe bound. */
Test(power, balance_closes_at_any_operating_point, .timeout = 120) {
  const char *variants[][3] = {
      {NULL},
      {"power.die_model=electrical", "power.clock=1.1", NULL},
      {"power_delivery.psu.failed=1", NULL},
      {"power_delivery.pdb.failed=2", "power_delivery.require_all_dies=false", NULL},
      {"power_delivery.brick.mode=ratio", NULL},
      {"power_delivery.psu.feed=per_board", "power_delivery.psu.failed=1",
       "power_delivery.require_all_dies=false"},
  };
  for (size_t k = 0; k < sizeof variants / sizeof variants[0]; k++) {
    int n = 0;
    while (n < 3 && variants[k][n]) n++;
    static Case c;
    ModelResult r;
    cr_assert_eq(solve(block, n, variants[k], &r, &c), EB_OK, "variant %zu: %s", k, err);
    const double die = get(&r, "power_w"), wall = get(&r, "wall_power_w");
    const double inside = get(&r, "brick_loss_total_w") + get(&r, "pcb_plane_loss_w") +
                          get(&r, "pcb_via_loss_w") + get(&r, "connector_loss_w");
    const double outside = get(&r, "pdb_loss_w") + get(&r, "psu_loss_w");
    cr_log_info("variant %zu: wall %.9g W, balance error %.2e W", k, wall,
                wall - (die + inside + outside));
    cr_expect(fabs(wall - (die + inside + outside)) <= 1e-8 * wall,
              "variant %zu: wall %.9g vs die + losses %.9g", k, wall, die + inside + outside);
    cr_expect(fabs(get(&r, "heat_made_w") - (die + inside)) <= 1e-8 * wall,
              "variant %zu: heat made %.9g vs %.9g", k, get(&r, "heat_made_w"), die + inside);
    cr_expect(get(&r, "energy_balance_rel_error") < 1e-6, "variant %zu: thermal balance %.2e", k,
              get(&r, "energy_balance_rel_error"));
    cr_expect(inside > 0.0 && outside > 0.0, "variant %zu", k);
    /* per die: P = V I, and the brick delivers what its die draws */
    const PowerResult *p = &r.power;
    for (int d = 0; d < p->n_dies; d++) {
      const PowerDie *D = &p->dies[d];
      if (!D->powered) continue;
      cr_expect(fabs(D->p - D->v * D->i) <= 1e-8 * D->p, "variant %zu die %d", k, d);
      cr_expect(fabs(p->bricks[d].i - D->i) <= 1e-8 * D->i, "variant %zu die %d: %.9g vs %.9g",
                k, d, p->bricks[d].i, D->i);
    }
    ModelResult_free(&r);
  }
}

/* N-1 on a shared bus: the three working PSUs carry what four did, each a
 * third; nothing downstream changes. Each unit's loss follows the table at
 * its load fraction (interpolated here from the default table). */
Test(power, n_minus_one_shares_the_load, .timeout = 60) {
  static Case c;
  ModelResult r4, r3;
  cr_assert_eq(solve(block, 0, NULL, &r4, &c), EB_OK, "%s", err);
  const char *one[] = {"power_delivery.psu.failed=1"};
  cr_assert_eq(solve(block, 1, one, &r3, &c), EB_OK, "%s", err);
  cr_expect_eq(get(&r3, "psus_working"), 3.0);
  const double in4 = get(&r4, "wall_power_w") - get(&r4, "psu_loss_w");
  const double in3 = get(&r3, "wall_power_w") - get(&r3, "psu_loss_w");
  cr_expect(fabs(in3 - in4) <= 1e-12 * in4, "boards draw %.12g vs %.12g", in3, in4);
  cr_expect(fabs(get(&r3, "psu_load_max_kw") * 1e3 * 3.0 - in3) <= 1e-9 * in3);
  cr_expect(fabs(get(&r3, "psu_load_max_kw") / get(&r4, "psu_load_max_kw") - 4.0 / 3.0) < 1e-12);
  /* the default table 0.1/0.2/0.5/1.0 -> 0.90/0.94/0.96/0.91 */
  const double x = in3 / 3.0 / 1000.0;
  cr_assert(x > 0.2 && x < 0.5, "load fraction %.3f", x);
  const double eta = 0.94 + (0.96 - 0.94) * (x - 0.2) / 0.3;
  cr_expect(fabs(get(&r3, "psu_loss_w") - in3 * (1.0 / eta - 1.0)) < 1e-9 * in3);
  ModelResult_free(&r4);
  ModelResult_free(&r3);
}

/* One PSU per board: a failed unit takes its board's column out. The block
 * runs without those dies when allowed, and says so otherwise. */
Test(power, per_board_feed_drops_the_column, .timeout = 60) {
  static Case c;
  ModelResult r;
  const char *sets[] = {"power_delivery.psu.feed=per_board", "power_delivery.psu.failed=1",
                        "power_delivery.require_all_dies=false"};
  cr_assert_eq(solve(block, 3, sets, &r, &c), EB_OK, "%s", err);
  cr_expect_eq(get(&r, "dies_unpowered"), 2.0);
  cr_expect(fabs(get(&r, "power_w") - 0.75 * 800.0) < 1e-9 * 800.0, "die power %.9g",
            get(&r, "power_w"));
  for (int d = 0; d < r.power.n_dies; d++)
    cr_expect_eq(r.power.dies[d].powered, d % 4 != 0, "die %d", d);
  ModelResult_free(&r);
  ModelResult r2;
  cr_assert_eq(solve(block, 2, sets, &r2, &c), EB_EINPUT);
  cr_expect(strstr(err, "require_all_dies") && strstr(err, "column 1"), "%s", err);
}

/* ---- leakage against a lumped model ------------------------------------------------ */

/* One die, no power path, constant properties (water at the inlet, silicon
 * without k(T)): the block is linear, so its mean junction temperature is
 * exactly Tj = a + R P. Two fixed-power runs give a and R; the electrical
 * die then must sit at the root of Tj = a + R P(Tj) found here by
 * bisection: an independent model of the same fixed point. */
static const char *one_die =
    "name: lumped\n"
    "wafer: {size_mm: 20, dies: {columns: 1, rows: 1}}\n"
    "power: {total_kw: 0.1}\n"
    "materials: {silicon: {k_temp_exponent: 0}}\n"
    "stack:\n"
    "  - {name: plate, kind: microchannel, material: copper, base_thickness_mm: 2,\n"
    "     channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2}\n"
    "  - {name: contact, kind: interface, conductance_w_m2k: 30000}\n"
    "  - {name: wafer, kind: solid, material: silicon, thickness_mm: 0.775, heat_source: true}\n"
    "  - {name: pcb, kind: solid, material: fr4, thickness_mm: 1.6}\n"
    "coolant: {fluid: water, inlet_c: 30, flow_lpm: 0.5, constant_properties: true}\n"
    "grid: {dx_mm: 1, dz_mm: 0.5}\n"
    "solver: {linear_tol: 1e-10, nonlinear_tol_k: 1e-6}\n";

static void fit_line(double *a, double *R) {
  static Case c;
  ModelResult r1, r2;
  const char *p1[] = {"power.total_kw=0.1"}, *p2[] = {"power.total_kw=0.2"};
  cr_assert_eq(solve(one_die, 1, p1, &r1, &c), EB_OK, "%s", err);
  cr_assert_eq(solve(one_die, 1, p2, &r2, &c), EB_OK, "%s", err);
  const double t1 = r1.thermal.dies[0].t_mean_k, t2 = r2.thermal.dies[0].t_mean_k;
  *R = (t2 - t1) / 100.0;
  *a = t1 - *R * 100.0;
  ModelResult_free(&r1);
  ModelResult_free(&r2);
}

/* P(T) of the die model at V = v_nominal, clock 1: P0 (s + (1-s) 2^((T-Tref)/Td)). */
static double p_of(double p0, double s, double tref, double td, double t) {
  return p0 * (s + (1.0 - s) * exp2((t - tref) / td));
}

/* The smallest root of a + R P(T) - T above a (NAN if none below 523 K). */
static double lumped(double a, double R, double p0, double s, double tref, double td) {
  double lo = a, hi = a;
  while (hi < 523.15 && a + R * p_of(p0, s, tref, td, hi) - hi > 0.0) hi += 0.5;
  if (hi >= 523.15) return NAN;
  lo = hi - 0.5;
  for (int i = 0; i < 200; i++) {
    const double mid = 0.5 * (lo + hi);
    if (a + R * p_of(p0, s, tref, td, mid) - mid > 0.0)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

/* Leakage 40 % of the power at 40 C, doubling every 25 K: a strong
 * feedback (the power rises by more than a fifth from the inlet
 * temperature to the answer), still with a root. The fixed point converges to 1e-6 K; the line fit is
 * exact for the linear block up to the linear solves (1e-10): 1e-3 K and
 * 1e-5 relative power are safe bounds. */
Test(power, leakage_lands_on_the_lumped_fixed_point, .timeout = 60) {
  double a, R;
  fit_line(&a, &R);
  cr_assert(R > 0.0 && a > 303.0, "a %.4f K, R %.5f K/W", a, R);
  const double p0 = 150.0, s = 0.6, tref = 313.15, td = 25.0;
  const double t_star = lumped(a, R, p0, s, tref, td);
  cr_assert(isfinite(t_star), "the lumped model has no root: a %.3f R %.5f", a, R);
  cr_assert(p_of(p0, s, tref, td, t_star) > 1.2 * p_of(p0, s, tref, td, a),
            "the feedback is too weak to test anything");
  static Case c;
  ModelResult r;
  const char *sets[] = {"power.total_kw=0.15", "power.die_model=electrical",
                        "power.electrical.dynamic_share=0.6", "power.electrical.leakage_ref_c=40",
                        "power.electrical.leakage_doubling_k=25"};
  cr_assert_eq(solve(one_die, 5, sets, &r, &c), EB_OK, "%s", err);
  const double tj = r.thermal.dies[0].t_mean_k, p = get(&r, "power_w");
  cr_log_info("leakage: Tj %.6f K vs lumped %.6f K, P %.6f W vs %.6f W", tj, t_star, p,
              p_of(p0, s, tref, td, t_star));
  cr_expect(fabs(tj - t_star) < 1e-3, "Tj %.5f K, lumped %.5f K", tj, t_star);
  cr_expect(fabs(p - p_of(p0, s, tref, td, t_star)) < 1e-5 * p, "P %.6f W, lumped %.6f W", p,
            p_of(p0, s, tref, td, t_star));
  cr_expect(fabs(get(&r, "die_power_leakage_w") + get(&r, "die_power_dynamic_w") - p) < 1e-9 * p);
  ModelResult_free(&r);
}

/* Doubling every 5 K with 80 % leakage: the lumped model has no root, so
 * no steady state exists; the solve says so as a runaway (EB_ENOSTATE), and
 * quickly. */
Test(power, runaway_is_said_as_one, .timeout = 60) {
  double a, R;
  fit_line(&a, &R);
  const double p0 = 150.0, s = 0.2, tref = 313.15, td = 5.0;
  cr_assert(isnan(lumped(a, R, p0, s, tref, td)), "the lumped model has a root: not a runaway");
  static Case c;
  ModelResult r;
  const char *sets[] = {"power.total_kw=0.15", "power.die_model=electrical",
                        "power.electrical.dynamic_share=0.2", "power.electrical.leakage_ref_c=40",
                        "power.electrical.leakage_doubling_k=5"};
  int rc = solve(one_die, 5, sets, &r, &c);
  cr_expect_eq(rc, EB_ENOSTATE, "rc %d: %s", rc, err);
  cr_expect(strstr(err, "thermal runaway at die (1,1)"), "%s", err);
}

/* ---- brick losses against current -------------------------------------------------- */

/* A power sweep on one model: each brick's loss is P_NL + I^2 R_out(T)
 * (R_out at the brick's mean temperature, 0.393 %/K from copper_ref_c).
 * The raw loss less the no-load part grows a little faster than I^2, as
 * the bricks warm (here by some 10 K over the sweep); brought back to the
 * copper's reference temperature it grows as I^2 exactly: its log-log
 * slope against the brick current is 2 to the solver tolerances. */
Test(power, brick_losses_grow_as_current_squared, .timeout = 120) {
  static Case c;
  char e[EB_ERRLEN];
  cr_assert_eq(Case_read_string(block, "test", 0, NULL, &c, e, sizeof e), EB_OK, "%s", e);
  Model *m;
  cr_assert_eq(Model_create(&m, e, sizeof e), EB_OK);
  const char *kw[] = {"0.4", "0.6", "0.8", "1.0"};
  double raw[4], ref[4], ii[4];
  for (int k = 0; k < 4; k++) {
    cr_assert_eq(Case_set(&c, "power.total_kw", kw[k], e, sizeof e), EB_OK, "%s", e);
    ModelResult r;
    cr_assert_eq(Model_solve(m, &c, NULL, &r, e, sizeof e), EB_OK, "%s", e);
    const PowerResult *p = &r.power;
    double nl = 0.0, at_ref = 0.0, i2 = 0.0;
    for (int d = 0; d < p->n_dies; d++) {
      const PowerBrick *b = &p->bricks[d];
      const double f = 1.0 + 0.00393 * (b->t_mean_k - c.pd.copper_ref_k);
      const double r_out = c.pd.brick_r_out_ohm * f;
      cr_expect(fabs(b->loss_w - (c.pd.brick_no_load_w + b->i * b->i * r_out)) < 1e-12 * b->loss_w,
                "brick %d at %s kW", d, kw[k]);
      nl += c.pd.brick_no_load_w;
      at_ref += (b->loss_w - c.pd.brick_no_load_w) / f;
      i2 += b->i * b->i;
    }
    raw[k] = get(&r, "brick_loss_total_w") - nl;
    ref[k] = at_ref;
    ii[k] = sqrt(i2 / p->n_dies); /* rms brick current */
    ModelResult_free(&r);
  }
  Model_destroy(m);
  for (int k = 1; k < 4; k++) {
    const double lr = log(ii[k] / ii[0]);
    const double s_raw = log(raw[k] / raw[0]) / lr, s_ref = log(ref[k] / ref[0]) / lr;
    cr_log_info("brick loss slope to %.1f A: raw %.4f, at the reference temperature %.10f", ii[k],
                s_raw, s_ref);
    cr_expect(fabs(s_ref - 2.0) < 1e-9, "slope at the reference temperature %.12f", s_ref);
    cr_expect(s_raw > 2.0 && s_raw < 2.2, "raw slope %.4f from %.1f to %.1f A", s_raw, ii[0],
              ii[k]);
  }
}

/* ---- limits ---------------------------------------------------------------------- */

/* die_voltage_min_v is a lower bound: broken when the voltage falls below
 * it, with a negative margin; the other power limits bound from above. */
Test(power, power_limits_and_the_lower_bound, .timeout = 60) {
  static Case c;
  ModelResult r;
  cr_assert_eq(solve(block, 0, NULL, &r, &c), EB_OK, "%s", err);
  const double v = get(&r, "die_voltage_min_v");
  ModelResult_free(&r);
  char hi[64], lo[64];
  snprintf(hi, sizeof hi, "limits.die_voltage_min_v=%.6f", v + 0.005);
  snprintf(lo, sizeof lo, "limits.die_voltage_min_v=%.6f", v - 0.005);
  const char *s1[] = {hi}, *s2[] = {lo, "limits.brick_temp_max_c=20"};
  cr_assert_eq(solve(block, 1, s1, &r, &c), EB_OK, "%s", err);
  cr_expect_eq(r.limits.all_ok, 0);
  cr_expect(r.limits.checks[r.limits.n - 1].lower && r.limits.checks[r.limits.n - 1].margin < 0);
  cr_expect(fabs(r.limits.checks[r.limits.n - 1].margin + 0.005) < 1e-5);
  ModelResult_free(&r);
  cr_assert_eq(solve(block, 2, s2, &r, &c), EB_OK, "%s", err);
  cr_expect_str_eq(r.limits.broken, "brick_temp_max_c");
  ModelResult_free(&r);
}

/* A power limit without a power path is an input error at the key. */
Test(power, power_limit_needs_the_path) {
  static Case c;
  const char *text = "name: x\nwafer: {size_mm: 20, dies: {columns: 1, rows: 1}}\n"
                     "power: {total_kw: 0.1}\n"
                     "stack:\n"
                     "  - {name: plate, kind: microchannel, material: copper, base_thickness_mm: "
                     "2, channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2}\n"
                     "  - {name: wafer, kind: solid, material: silicon, thickness_mm: 0.775, "
                     "heat_source: true}\n"
                     "coolant: {fluid: water, inlet_c: 30, flow_lpm: 0.5}\n"
                     "limits: {psu_load_max_kw: 3}\n";
  cr_assert_eq(Case_read_string(text, "x.yaml", 0, NULL, &c, err, sizeof err), EB_EINPUT);
  cr_expect(strstr(err, "x.yaml:8:") && strstr(err, "power_delivery"), "%s", err);
}

/* Without a path the power part reports the dies alone: no wall power, no
 * brick table; the die model's split is there. */
Test(power, die_model_without_a_path, .timeout = 60) {
  static Case c;
  ModelResult r;
  const char *sets[] = {"power.die_model=electrical"};
  cr_assert_eq(solve(one_die, 1, sets, &r, &c), EB_OK, "%s", err);
  cr_expect(isnan(get(&r, "wall_power_w")));
  cr_expect(isfinite(get(&r, "die_power_leakage_w")) && get(&r, "die_power_leakage_w") > 0.0);
  cr_expect_eq(r.power.has_path, 0);
  ModelResult_free(&r);
}
