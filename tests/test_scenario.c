/* Tests of a scenario run in time (solver/scenario.c): events found by
 * CVODE's root finding against the series, schedules, restarts. The
 * scenarios are built here, not read (the case reader has its own tests). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/core/runtime.h"
#include "../solver/model.h"
#include "../solver/scenario.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(scenario, .init = up, .fini = down);

static CaseEvent event_at(double t_s, double ramp_s) {
  CaseEvent e = {.t_s = t_s, .ramp_s = ramp_s, .power_w = NAN, .flow_m3_s = NAN, .pumps = -1,
                 .inlet_t_k = NAN, .psus_failed = -1, .die_scale = NAN};
  return e;
}

static void read_cs3(Case *c, double dx_mm) {
  char err[EB_ERRLEN], set[64];
  snprintf(set, sizeof set, "grid.dx_mm=%g", dx_mm);
  const char *sets[] = {set};
  cr_assert_eq(Case_read("cases/cs3.yaml", 1, sets, c, err, sizeof err), EB_OK, "%s", err);
}

/* The flow stops (a 2 s coast-down to none): the junction limit is reached
 * within seconds. The event time CVODE's root finding gives agrees with
 * the crossing interpolated linearly in the series (rows 0.02 s apart, the
 * event's own row left out) to 0.005 s: a linear interpolation of a curve
 * rising ~10 K/s with curvature below ~50 K/s^2 errs by at most
 * dt^2/8 * 50 / 10 = 2.5e-4 s. */
Test(scenario, event_time_matches_the_interpolated_crossing) {
  static Case c;
  read_cs3(&c, 6);
  /* tight: the energy check below is bounded by the tolerance on the
   * temperatures (rel_tol x T x the block's heat capacity, ~1e-5 of the
   * heat made at the default 1e-5) */
  c.transient_rel_tol = 1e-6;
  c.transient_abs_tol_k = 1e-4;
  static CaseScenario s;
  memset(&s, 0, sizeof s);
  snprintf(s.name, sizeof s.name, "flow-stop");
  s.until_s = 8.0;
  s.start_t_k = NAN;
  s.events[0] = event_at(1.0, 2.0);
  s.events[0].flow_m3_s = 0.0;
  s.n_events = 1;
  ScenarioOptions o = {.output_dt_s = 0.02};
  static ScenarioResult r;
  static ThermalResult fin;
  char err[EB_ERRLEN];
  int rc = Scenario_run(&c, &s, &o, &r, &fin, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "%s", err);
  const ScenarioEvent *ev = &r.ev[TT_EVENT_JUNCTION];
  cr_assert(ev->reached, "the junction limit was not reached: %s", ev->verdict);
  double t_int = NAN;
  for (int i = 1; i < r.n_rows && isnan(t_int); i++) {
    const ThermalSample *a = &r.rows[i - 1], *b = &r.rows[i];
    if (fabs(b->t_s - ev->t_s) < 1e-9) continue; /* the event's own row */
    if (fabs(a->t_s - ev->t_s) < 1e-9) a = &r.rows[i - 2];
    if (a->tj_max_k < ev->limit_k && b->tj_max_k >= ev->limit_k)
      t_int = a->t_s + (ev->limit_k - a->tj_max_k) / (b->tj_max_k - a->tj_max_k) * (b->t_s - a->t_s);
  }
  cr_log_info("junction limit at %.5f s (root), %.5f s (interpolated); %d steps, %d rows; energy error %.2e; %s",
              ev->t_s, t_int, r.steps, r.n_rows, r.energy_error_rel, r.ev[TT_EVENT_BOILING].verdict);
  cr_assert(fabs(t_int - ev->t_s) < 5e-3, "root %.5f s vs interpolated %.5f s", ev->t_s, t_int);
  /* the flow stopped: the coolant carries nothing out at the end */
  const ThermalSample *last = &r.rows[r.n_rows - 1];
  cr_assert(last->flow_m3_s == 0.0 && fabs(last->heat_to_coolant_w) < 1e-6);
  cr_assert(r.energy_error_rel < 1e-5, "energy error %.3g", r.energy_error_rel);
  ScenarioResult_free(&r);
  ThermalResult_free(&fin);
}

/* The schedule: the flow of `pumps: 2` and `pumps: 1` is where the pump
 * curves meet the loop, the same operating points the steady model reports
 * with pumps.running 2 and 1; a ramp is linear from the value before
 * (the inlet half-way at mid-ramp); a ramp starting while another runs
 * starts from where the first has got to. */
Test(scenario, schedule_follows_the_pumps_and_ramps) {
  static Case c, cp;
  char err[EB_ERRLEN];
  read_cs3(&c, 8);
  cp = c;
  cr_assert_eq(Case_set(&cp, "coolant.flow_source", "pumps", err, sizeof err), EB_OK, "%s", err);
  static ModelResult mr;
  cr_assert_eq(Model_solve_once(&cp, NULL, &mr, err, sizeof err), EB_OK, "%s", err);
  const double q2 = mr.coolant.flow_m3_s;
  ModelResult_free(&mr);
  cr_assert_eq(Case_set(&cp, "pumps.running", "1", err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Model_solve_once(&cp, NULL, &mr, err, sizeof err), EB_OK, "%s", err);
  const double q1 = mr.coolant.flow_m3_s;
  ModelResult_free(&mr);
  static CaseScenario s;
  memset(&s, 0, sizeof s);
  snprintf(s.name, sizeof s.name, "schedule");
  s.until_s = 3.0;
  s.start_t_k = NAN;
  s.events[0] = event_at(0.0, 0.0);
  s.events[0].pumps = 2;
  s.events[1] = event_at(1.0, 1.0);
  s.events[1].pumps = 1;
  s.events[2] = event_at(0.5, 2.0);
  s.events[2].inlet_t_k = c.inlet_t_k + 10.0;
  s.events[3] = event_at(1.5, 1.0); /* from wherever the first inlet ramp is at 1.5 s */
  s.events[3].inlet_t_k = c.inlet_t_k;
  s.n_events = 4;
  /* events in time order, as the case reader keeps them */
  CaseEvent e2 = s.events[2];
  s.events[2] = s.events[1];
  s.events[1] = e2;
  ScenarioOptions o = {.output_dt_s = 0.25};
  static ScenarioResult r;
  static ThermalResult fin;
  cr_assert_eq(Scenario_run(&c, &s, &o, &r, &fin, err, sizeof err), EB_OK, "%s", err);
  int checked = 0;
  for (int i = 0; i < r.n_rows; i++) {
    const ThermalSample *w = &r.rows[i];
    const double t = w->t_s;
    const double q = t <= 1.0 ? q2 : t >= 2.0 ? q1 : q2 + (q1 - q2) * (t - 1.0);
    /* inlet: up 10 K over 0.5..2.5 s; at 1.5 s (5 K up) a ramp back down over 1 s */
    const double tin = t <= 0.5   ? c.inlet_t_k
                       : t <= 1.5 ? c.inlet_t_k + 5.0 * (t - 0.5)
                       : t <= 2.5 ? c.inlet_t_k + 5.0 * (2.5 - t)
                                  : c.inlet_t_k;
    /* exact but for the left limit the schedule takes at a stop (1e-9 s early) */
    cr_expect(fabs(w->flow_m3_s - q) <= 1e-8 * q2, "t %.3f s: flow %.6g, expected %.6g", t,
              w->flow_m3_s, q);
    cr_expect(fabs(w->inlet_k - tin) <= 1e-7, "t %.3f s: inlet %.6f K, expected %.6f K", t,
              w->inlet_k, tin);
    checked++;
  }
  cr_assert(checked >= 12, "%d rows", checked);
  cr_assert(r.restarts >= 4, "%d restarts", r.restarts);
  ScenarioResult_free(&r);
  ThermalResult_free(&fin);
}

/* A uniform start (the block at the inlet temperature, full power from
 * t = 0): the block warms up and, 300 s on (its slowest time constant,
 * the brick tiles on their plate, is below 10 s), sits at the steady answer
 * within 0.05 K; every joule made is stored or carried out. */
Test(scenario, uniform_start_warms_up_to_the_steady_answer) {
  static Case c;
  char err[EB_ERRLEN];
  read_cs3(&c, 6);
  static ModelResult mr;
  cr_assert_eq(Model_solve_once(&c, NULL, &mr, err, sizeof err), EB_OK, "%s", err);
  static CaseScenario s;
  memset(&s, 0, sizeof s);
  snprintf(s.name, sizeof s.name, "warm-up");
  s.until_s = 300.0;
  s.start_uniform = 1;
  s.start_t_k = NAN; /* the inlet */
  ScenarioOptions o = {0};
  static ScenarioResult r;
  static ThermalResult fin;
  cr_assert_eq(Scenario_run(&c, &s, &o, &r, &fin, err, sizeof err), EB_OK, "%s", err);
  cr_assert(r.n_rows > 10);
  cr_expect(fabs(r.rows[0].tj_max_k - c.inlet_t_k) < 1e-9, "start %.6f K", r.rows[0].tj_max_k);
  cr_log_info("warm-up: %.5f K after 300 s vs steady %.5f K; %d steps; energy made %.4g J, "
              "stored %.4g J, error %.2e",
              r.final_tj_k, mr.thermal.t_max_k, r.steps, r.energy_made_j,
              r.rows[r.n_rows - 1].e_stored_j, r.energy_error_rel);
  cr_expect(fabs(r.final_tj_k - mr.thermal.t_max_k) < 0.05, "%.5f K vs steady %.5f K",
            r.final_tj_k, mr.thermal.t_max_k);
  cr_expect(fabs(fin.coolant_outlet_k - mr.thermal.coolant_outlet_k) < 0.05);
  /* default tolerances (rel 1e-5): the balance within a few times that */
  cr_expect(r.energy_error_rel < 5e-5, "energy error %.2e", r.energy_error_rel);
  ModelResult_free(&mr);
  ScenarioResult_free(&r);
  ThermalResult_free(&fin);
}

/* Per-die power: one die at twice its power from t = 1 ms. The heat made
 * rises by that die's power (the case's uniform map: P / 84) plus its
 * power path's extra losses in the block: bricks, PCB planes and vias and
 * the connector go as I^2, so at twice the current they are four times
 * the die's share of the path's losses at the start (made - P, over 84);
 * within 10 % of the die's power (the copper warms, the dies' paths differ).
 * That die ends the hottest. */
Test(scenario, die_scale_heats_one_die) {
  static Case c;
  char err[EB_ERRLEN];
  read_cs3(&c, 6);
  static CaseScenario s;
  memset(&s, 0, sizeof s);
  snprintf(s.name, sizeof s.name, "one-die");
  s.until_s = 20.0;
  s.start_t_k = NAN;
  s.events[0] = event_at(0.001, 0.0);
  s.events[0].die_scale = 2.0;
  s.events[0].n_dies = 1;
  s.events[0].die_row[0] = 3;
  s.events[0].die_col[0] = 5;
  s.n_events = 1;
  ScenarioOptions o = {0};
  static ScenarioResult r;
  static ThermalResult fin;
  cr_assert_eq(Scenario_run(&c, &s, &o, &r, &fin, err, sizeof err), EB_OK, "%s", err);
  const double p_die = c.power_w / (c.die_columns * c.die_rows);
  const double rise = r.rows[r.n_rows - 1].power_w - r.rows[0].power_w;
  cr_log_info("heat made %.1f -> %.1f W (+%.1f W for a %.1f W die)", r.rows[0].power_w,
              r.rows[r.n_rows - 1].power_w, rise, p_die);
  const double loss_die = (r.rows[0].power_w - c.power_w) / (c.die_columns * c.die_rows);
  const double expect = p_die + 3.0 * loss_die;
  cr_expect(fabs(rise - expect) < 0.1 * p_die, "rise %.2f W, expected %.2f W (die %.2f W, its "
            "path's losses %.2f W)", rise, expect, p_die, loss_die);
  const int hot = 3 * c.die_columns + 5;
  double others = -INFINITY, mine = NAN;
  for (int i = r.n_die_rows - c.die_columns * c.die_rows; i < r.n_die_rows; i++) {
    if (r.die_rows[i].die == hot) mine = r.die_rows[i].tj_max_k;
    else others = fmax(others, r.die_rows[i].tj_max_k);
  }
  cr_expect(mine > others + 1.0, "die (3,5) %.3f K, the others at most %.3f K", mine, others);
  ScenarioResult_free(&r);
  ThermalResult_free(&fin);
}
