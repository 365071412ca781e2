/* Tests of a scenario run in time (solver/scenario.c): events found by
 * CVODE's root finding against the series, schedules, restarts. The
 * scenarios are built here, not read (the case reader has its own tests). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/core/runtime.h"
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
