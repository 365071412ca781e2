/* test_case_scenarios.c - the case-file side of the transient scenarios:
 * the `scenarios` section (SI values, defaults, every rule with its message
 * and position), the solver's transient tolerances, --set / Case_set /
 * Case_get of scenario keys, the dump round trip, Case_scenario, and the
 * scenarios shipped in cases/cs3.yaml and cases/cs4.yaml. The solver is
 * not involved. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case.h"
#include "cases/case_internal.h"

/* A case with every kind of event; the line numbers matter. */
static const char SCN[] =
    "name: scn\n"                                                                    /* 1 */
    "wafer: {size_mm: 100, dies: {columns: 4, rows: 3}}\n"                           /* 2 */
    "power: {total_kw: 5}\n"                                                         /* 3 */
    "coolant: {inlet_c: 25, flow_lpm: 10}\n"                                         /* 4 */
    "stack:\n"                                                                       /* 5 */
    "  - {name: cold_plate, kind: microchannel, base_thickness_mm: 2, "
    "channel_width_mm: 0.3, channel_height_mm: 1.5, fin_thickness_mm: 0.2}\n"        /* 6 */
    "  - {name: contact, kind: interface, conductance_w_m2k: 50000}\n"               /* 7 */
    "  - {name: wafer, material: silicon, thickness_mm: 0.775, heat_source: true}\n" /* 8 */
    "  - {name: connector, material: elastomer_connector, thickness_mm: 1}\n"        /* 9 */
    "  - {name: pcb, material: pcb_laminate, thickness_mm: 3.2}\n"                   /* 10 */
    "  - {name: bricks, kind: brick_tiles, thickness_mm: 6, brick_x_mm: 14, "
    "brick_y_mm: 24}\n"                                                              /* 11 */
    "power_delivery: {}\n"                                                           /* 12 */
    "pumps: {count: 2, shutoff_kpa: 150, max_flow_lpm: 20}\n"                        /* 13 */
    "scenarios:\n"                                                                   /* 14 */
    "  step:\n"                                                                      /* 15 */
    "    description: idle to full\n"                                                /* 16 */
    "    until_s: 60\n"                                                              /* 17 */
    "    start: uniform\n"                                                           /* 18 */
    "    start_c: 30.5\n"                                                            /* 19 */
    "    snapshots_s: [0, 2.5, 60]\n"                                                /* 20 */
    "    events:\n"                                                                  /* 21 */
    "      - {t_s: 0, power_kw: 0.5}\n"                                              /* 22 */
    "      - {t_s: 1, power_kw: 5, ramp_s: 0.5}\n"                                   /* 23 */
    "      - {t_s: 5, pumps: 1, ramp_s: 2}\n"                                        /* 24 */
    "      - {t_s: 5.5, flow_lpm: 0}\n"                                              /* 25 */
    "      - {t_s: 6, inlet_c: 31, ramp_s: 30}\n"                                    /* 26 */
    "      - {t_s: 7, psus_failed: 1}\n"                                             /* 27 */
    "      - {t_s: 8, die_scale: 1.5, dies: [[2, 3], [0, 1]]}\n"                     /* 28 */
    "      - {t_s: 9, die_scale: 0}\n"                                               /* 29 */
    "  trip:\n"                                                                      /* 30 */
    "    until_s: 30\n"                                                              /* 31 */
    "    events:\n"                                                                  /* 32 */
    "      - {t_s: 0, pumps: 2}\n";                                                  /* 33 */

/* The last event of `step` (line 29), to be replaced by the one under test. */
#define LAST_EVENT "      - {t_s: 9, die_scale: 0}\n"

/* ---- helpers ---------------------------------------------------------- */

/* `text` with the first `from` replaced by `to` (the text must contain it). */
static const char *edit(const char *text, const char *from, const char *to) {
  static char bufs[4][8192];
  static int k;
  char *out = bufs[k++ % 4];
  const char *p = strstr(text, from);
  cr_assert(p != NULL, "test fixture does not contain '%s'", from);
  snprintf(out, sizeof bufs[0], "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
  return out;
}

/* The fixture up to (without) `from`: a case without what follows. */
static const char *cut(const char *text, const char *from) {
  static char buf[8192];
  const char *p = strstr(text, from);
  cr_assert(p != NULL, "test fixture does not contain '%s'", from);
  snprintf(buf, sizeof buf, "%.*s", (int)(p - text), text);
  return buf;
}

/* `text` with `more` appended. */
static const char *plus(const char *text, const char *more) {
  static char bufs[4][16384];
  static int k;
  char *out = bufs[k++ % 4];
  size_t a = strlen(text), b = strlen(more);
  cr_assert_lt(a + b, sizeof bufs[0]);
  memmove(out, text, a);
  memcpy(out + a, more, b + 1);
  return out;
}

static Case the_case;
static char err[EB_ERRLEN];

static int read_sets(const char *text, int n, const char *const *sets) {
  return Case_read_string(text, "t.yaml", n, sets, &the_case, err, sizeof err);
}

static void expect_ok(const char *text, int n, const char *const *sets) {
  int rc = read_sets(text, n, sets);
  cr_assert_eq(rc, EB_OK, "expected a valid case, got %d: %s", rc, err);
}

/* EB_EINPUT with exactly this message (position included). */
static void expect_message(const char *text, int n, const char *const *sets, const char *msg) {
  int rc = read_sets(text, n, sets);
  cr_assert_eq(rc, EB_EINPUT, "expected EB_EINPUT, got %d (%s)", rc, err);
  cr_assert_str_eq(err, msg);
}

/* The fixture with its last event replaced: exactly this message. */
static void expect_event_message(const char *event_line, const char *msg) {
  expect_message(edit(SCN, LAST_EVENT, event_line), 0, NULL, msg);
}

#define NO_SETS 0, NULL
#define ONE_SET(s)                                                                                 \
  1, (const char *const[]) { s }

static CaseValue get_ok(const Case *c, const char *key) {
  CaseValue v;
  cr_assert_eq(Case_get(c, key, &v, err, sizeof err), EB_OK, "%s: %s", key, err);
  return v;
}

static void expect_number(const Case *c, const char *key, double want, const char *unit) {
  CaseValue v = get_ok(c, key);
  cr_assert_eq(v.kind, CASE_VALUE_NUMBER, "%s", key);
  cr_assert(v.number == want, "%s: got %.17g, want %.17g", key, v.number, want);
  cr_assert_str_eq(v.unit, unit, "%s", key);
}

static void set_ok(Case *c, const char *key, const char *value) {
  cr_assert_eq(Case_set(c, key, value, err, sizeof err), EB_OK, "%s=%s: %s", key, value, err);
}

/* An event that sets only what is listed: everything else is unset. */
static void expect_unset_but(const CaseEvent *e, const char *set) {
  if (!strstr(set, "power")) cr_assert(isnan(e->power_w), "power_w set");
  if (!strstr(set, "flow")) cr_assert(isnan(e->flow_m3_s), "flow set");
  if (!strstr(set, "pumps")) cr_assert_eq(e->pumps, -1);
  if (!strstr(set, "inlet")) cr_assert(isnan(e->inlet_t_k), "inlet set");
  if (!strstr(set, "psus")) cr_assert_eq(e->psus_failed, -1);
  if (!strstr(set, "scale")) cr_assert(isnan(e->die_scale), "die_scale set");
  if (!strstr(set, "dies")) cr_assert_eq(e->n_dies, 0);
  if (!strstr(set, "ramp")) cr_assert(e->ramp_s == 0, "ramp_s %g", e->ramp_s);
}

/* ---- reading ----------------------------------------------------------- */

Test(case_scenarios, values_in_si) {
  expect_ok(SCN, NO_SETS);
  cr_assert_eq(the_case.n_scenarios, 2);
  const CaseScenario *s = &the_case.scenarios[0];
  cr_assert_str_eq(s->name, "step");
  cr_assert_str_eq(s->description, "idle to full");
  cr_assert(s->until_s == 60);
  cr_assert_eq(s->start_uniform, 1);
  cr_assert(s->start_t_k == 30.5 + 273.15);
  cr_assert_eq(s->n_snapshots, 3);
  cr_assert(s->snapshot_s[0] == 0 && s->snapshot_s[1] == 2.5 && s->snapshot_s[2] == 60);
  cr_assert_eq(s->n_events, 8);
  const CaseEvent *e = s->events;
  cr_assert(e[0].t_s == 0 && e[0].power_w == 500);
  expect_unset_but(&e[0], "power");
  cr_assert(e[1].t_s == 1 && e[1].power_w == 5000 && e[1].ramp_s == 0.5);
  expect_unset_but(&e[1], "power ramp");
  cr_assert(e[2].t_s == 5 && e[2].pumps == 1 && e[2].ramp_s == 2);
  expect_unset_but(&e[2], "pumps ramp");
  cr_assert(e[3].t_s == 5.5 && e[3].flow_m3_s == 0, "flow 0 is set: no flow");
  expect_unset_but(&e[3], "flow");
  cr_assert(e[4].inlet_t_k == 31 + 273.15 && e[4].ramp_s == 30);
  expect_unset_but(&e[4], "inlet ramp");
  cr_assert_eq(e[5].psus_failed, 1);
  expect_unset_but(&e[5], "psus");
  cr_assert(e[6].die_scale == 1.5);
  cr_assert_eq(e[6].n_dies, 2);
  cr_assert(e[6].die_row[0] == 2 && e[6].die_col[0] == 3);
  cr_assert(e[6].die_row[1] == 0 && e[6].die_col[1] == 1);
  expect_unset_but(&e[6], "scale dies");
  cr_assert(e[7].die_scale == 0, "0 is a valid scale (dies off)");
  expect_unset_but(&e[7], "scale");
  /* the second, in file order, with its defaults */
  const CaseScenario *t = &the_case.scenarios[1];
  cr_assert_str_eq(t->name, "trip");
  cr_assert_str_eq(t->description, "");
  cr_assert(t->until_s == 30);
  cr_assert_eq(t->start_uniform, 0);
  cr_assert(isnan(t->start_t_k), "start_c not given: NAN (the inlet)");
  cr_assert_eq(t->n_snapshots, 0);
  cr_assert_eq(t->n_events, 1);
  cr_assert_eq(t->events[0].pumps, 2);
  expect_unset_but(&t->events[0], "pumps");
  /* flow units: L/min -> m^3/s */
  expect_ok(edit(SCN, "flow_lpm: 0}", "flow_lpm: 40}"), NO_SETS);
  cr_assert(the_case.scenarios[0].events[3].flow_m3_s == 40.0 / 60000.0);
}

/* Without the section: no scenarios, the solver's transient defaults; the
 * dump says `scenarios: {}`, which reads back as none. */
Test(case_scenarios, absent_section_and_solver_defaults) {
  const char *none = cut(SCN, "scenarios:\n");
  expect_ok(none, NO_SETS);
  cr_assert_eq(the_case.n_scenarios, 0);
  cr_assert(the_case.transient_rel_tol == 1e-5);
  cr_assert(the_case.transient_abs_tol_k == 1e-3);
  expect_number(&the_case, "solver.transient_rel_tol", 1e-5, "");
  expect_number(&the_case, "solver.transient_abs_tol_k", 1e-3, "K");
  char *d = Case_dump_string(&the_case);
  cr_assert(strstr(d, "scenarios: {}\n") != NULL, "%s", d);
  cr_assert(strstr(d, "  transient_rel_tol: 1e-05\n  transient_abs_tol_k: 0.001\n") != NULL, "%s",
            d);
  free(d);
  expect_ok(plus(none, "scenarios: {}\n"), NO_SETS);
  cr_assert_eq(the_case.n_scenarios, 0);
  expect_ok(plus(none, "scenarios:\n"), NO_SETS);
  cr_assert_eq(the_case.n_scenarios, 0);
}

Test(case_scenarios, solver_tolerances) {
  expect_ok(plus(SCN, "solver: {transient_rel_tol: 0.01, transient_abs_tol_k: 1}\n"), NO_SETS);
  cr_assert(the_case.transient_rel_tol == 0.01 && the_case.transient_abs_tol_k == 1);
  expect_ok(plus(SCN, "solver: {transient_rel_tol: 2e-7, transient_abs_tol_k: 5e-5}\n"), NO_SETS);
  cr_assert(the_case.transient_rel_tol == 2e-7 && the_case.transient_abs_tol_k == 5e-5);
  expect_message(plus(SCN, "solver: {transient_rel_tol: 0}\n"), NO_SETS,
                 "t.yaml:34:29: solver.transient_rel_tol: expected a number >= 1e-12 and <= 0.01, "
                 "got '0'");
  expect_message(plus(SCN, "solver: {transient_rel_tol: 0.02}\n"), NO_SETS,
                 "t.yaml:34:29: solver.transient_rel_tol: expected a number >= 1e-12 and <= 0.01, "
                 "got '0.02'");
  expect_message(plus(SCN, "solver: {transient_abs_tol_k: 1.5}\n"), NO_SETS,
                 "t.yaml:34:31: solver.transient_abs_tol_k: expected a number >= 1e-09 and <= 1 (K), "
                 "got '1.5'");
  expect_message(SCN, ONE_SET("solver.transient_abs_tol=0.1"),
                 "--set solver.transient_abs_tol=0.1: solver.transient_abs_tol: unknown key; did "
                 "you mean 'transient_abs_tol_k'?");
}

/* ---- event rules: messages and positions -------------------------------- */

Test(case_scenarios, event_sets_something) {
  expect_event_message("      - {t_s: 9}\n",
                       "t.yaml:29:9: scenarios.step.events.7: an event must set at least one of "
                       "power_kw, flow_lpm, pumps, inlet_c, psus_failed, die_scale");
  expect_event_message("      - {t_s: 9, ramp_s: 3}\n",
                       "t.yaml:29:9: scenarios.step.events.7: an event must set at least one of "
                       "power_kw, flow_lpm, pumps, inlet_c, psus_failed, die_scale");
  expect_event_message("      - {power_kw: 3}\n",
                       "t.yaml:29:9: scenarios.step.events.7: missing required key 't_s' "
                       "(number, s)");
  expect_event_message("      - 3\n", "t.yaml:29:9: scenarios.step.events.7: expected a mapping "
                                      "(event), got '3'");
}

Test(case_scenarios, pumps_and_flow) {
  expect_event_message("      - {t_s: 9, pumps: 1, flow_lpm: 5}\n",
                       "t.yaml:29:38: scenarios.step.events.7.flow_lpm: give pumps or flow_lpm, "
                       "not both: pumps sets the flow where the running pumps' curve meets the "
                       "loop, flow_lpm holds a flow");
  expect_event_message("      - {t_s: 9, pumps: 3}\n",
                       "t.yaml:29:25: scenarios.step.events.7.pumps: expected an integer >= 0 and "
                       "<= 2 (pumps.count), got '3'");
  expect_event_message("      - {t_s: 9, pumps: 1.5}\n",
                       "t.yaml:29:25: scenarios.step.events.7.pumps: expected an integer >= 0 and "
                       "<= 2 (pumps.count), got '1.5'");
  expect_event_message("      - {t_s: 9, flow_lpm: -1}\n",
                       "t.yaml:29:28: scenarios.step.events.7.flow_lpm: expected a number >= 0 "
                       "and <= 5000 (L/min), got '-1'");
  /* running pumps need a curve; none running does not */
  const char *no_curve = edit(SCN, "pumps: {count: 2, shutoff_kpa: 150, max_flow_lpm: 20}",
                              "pumps: {count: 2}");
  expect_message(no_curve, NO_SETS,
                 "t.yaml:24:25: scenarios.step.events.2.pumps: running pumps give the flow where "
                 "their curve meets the loop, and the case has no pump curve: add "
                 "pumps.curve_flow_lpm + curve_dp_kpa, or pumps.shutoff_kpa + max_flow_lpm (or "
                 "set the flow with flow_lpm)");
  expect_ok(edit(edit(no_curve, "pumps: 1, ramp_s: 2", "pumps: 0, ramp_s: 2"), "pumps: 2}",
                 "pumps: 0}"),
            NO_SETS);
  cr_assert_eq(the_case.scenarios[0].events[2].pumps, 0);
}

Test(case_scenarios, psus_failed) {
  expect_event_message("      - {t_s: 9, psus_failed: 12}\n",
                       "t.yaml:29:31: scenarios.step.events.7.psus_failed: expected an integer >= "
                       "0 and <= 11 (power_delivery.psu.count - 1), got '12'");
  expect_ok(edit(SCN, LAST_EVENT, "      - {t_s: 9, psus_failed: 11}\n"), NO_SETS);
  cr_assert_eq(the_case.scenarios[0].events[7].psus_failed, 11);
  expect_message(edit(SCN, "power_delivery: {}\n", "hydraulics: {}\n"), NO_SETS,
                 "t.yaml:27:31: scenarios.step.events.5.psus_failed: psus_failed takes PSUs out "
                 "of the power path, and this case has none: add a power_delivery section (see "
                 "docs/case-reference.md), or remove the key");
}

Test(case_scenarios, dies) {
  expect_event_message("      - {t_s: 9, die_scale: 2, dies: [[3, 0]]}\n",
                       "t.yaml:29:40: scenarios.step.events.7.dies.0.0: expected an integer >= 0 "
                       "and <= 2 (wafer.dies.rows - 1), got '3'");
  expect_event_message("      - {t_s: 9, die_scale: 2, dies: [[0, 4]]}\n",
                       "t.yaml:29:43: scenarios.step.events.7.dies.0.1: expected an integer >= 0 "
                       "and <= 3 (wafer.dies.columns - 1), got '4'");
  expect_event_message("      - {t_s: 9, die_scale: 2, dies: [[1, 1], [2]]}\n",
                       "t.yaml:29:47: scenarios.step.events.7.dies.1: expected a die as [row, "
                       "column] like [3, 5] (0-based, row 0 at the smallest y), got a sequence "
                       "of 1");
  expect_event_message("      - {t_s: 9, die_scale: 2, dies: [1, 1]}\n",
                       "t.yaml:29:39: scenarios.step.events.7.dies.0: expected a die as [row, "
                       "column] like [3, 5] (0-based, row 0 at the smallest y), got '1'");
  expect_event_message("      - {t_s: 9, die_scale: 2, dies: [[1, 1], [0, 2], [1, 1]]}\n",
                       "t.yaml:29:55: scenarios.step.events.7.dies.2: die [1, 1] is listed twice "
                       "(item 0)");
  expect_event_message("      - {t_s: 9, power_kw: 2, dies: [[1, 1]]}\n",
                       "t.yaml:29:37: scenarios.step.events.7.dies: dies lists the dies that "
                       "die_scale multiplies: give die_scale too");
  expect_event_message("      - {t_s: 9, die_scale: -0.5}\n",
                       "t.yaml:29:29: scenarios.step.events.7.die_scale: expected a number >= 0 "
                       "and <= 100, got '-0.5'");
  /* at most CASE_MAX_EVENT_DIES, each once: 16 fit, 17 do not (a 5 x 4 grid) */
  const char *big = edit(SCN, "dies: {columns: 4, rows: 3}", "dies: {columns: 5, rows: 4}");
  char list[1024] = "";
  for (int i = 0; i < CASE_MAX_EVENT_DIES; i++) {
    size_t len = strlen(list);
    snprintf(list + len, sizeof list - len, "%s[%d, %d]", i ? ", " : "", i / 5, i % 5);
  }
  char line[1200];
  snprintf(line, sizeof line, "      - {t_s: 9, die_scale: 2, dies: [%s]}\n", list);
  expect_ok(edit(big, LAST_EVENT, line), NO_SETS);
  const CaseEvent *e = &the_case.scenarios[0].events[7];
  cr_assert_eq(e->n_dies, CASE_MAX_EVENT_DIES);
  cr_assert(e->die_row[15] == 3 && e->die_col[15] == 0);
  snprintf(line, sizeof line, "      - {t_s: 9, die_scale: 2, dies: [%s, [3, 1]]}\n", list);
  int rc = read_sets(edit(big, LAST_EVENT, line), NO_SETS);
  cr_assert_eq(rc, EB_EINPUT);
  char want[256];
  snprintf(want, sizeof want, "t.yaml:29:%d: scenarios.step.events.7.dies.16: too many dies: "
           "at most 16 in one event", (int)(strstr(line, "[3, 1]") - line) + 1);
  cr_assert_str_eq(err, want);
}

Test(case_scenarios, value_ranges) {
  expect_event_message("      - {t_s: 9, power_kw: 0}\n",
                       "t.yaml:29:28: scenarios.step.events.7.power_kw: expected a number >= 0.001 and "
                       "<= 1000 (kW), got '0'");
  expect_event_message("      - {t_s: 9, inlet_c: 85}\n",
                       "t.yaml:29:27: scenarios.step.events.7.inlet_c: expected a number >= 5 and "
                       "<= 80 (C) (water property table range), got '85'");
  expect_event_message("      - {t_s: 9, power_kw: 1, ramp_s: -1}\n",
                       "t.yaml:29:39: scenarios.step.events.7.ramp_s: expected a number >= 0 and "
                       "<= 1000000 (s), got '-1'");
  expect_event_message("      - {t_s: 9, power_kw: hot}\n",
                       "t.yaml:29:28: scenarios.step.events.7.power_kw: expected a number >= 0.001 and "
                       "<= 1000 (kW), got 'hot'");
  /* the inlet range follows the fluid, as coolant.inlet_c's does */
  expect_ok(edit(edit(SCN, "inlet_c: 25,", "fluid: pg25, inlet_c: 25,"), "inlet_c: 31,",
                 "inlet_c: 85,"),
            NO_SETS);
  cr_assert(the_case.scenarios[0].events[4].inlet_t_k == 85 + 273.15);
  expect_message(edit(SCN, "start_c: 30.5", "start_c: 90"), NO_SETS,
                 "t.yaml:19:14: scenarios.step.start_c: expected a number >= 5 and <= 80 (C) "
                 "(water property table range), got '90'");
  expect_message(edit(SCN, "until_s: 60", "until_s: 0"), NO_SETS,
                 "t.yaml:17:14: scenarios.step.until_s: expected a number >= 0.001 and <= 1000000 (s), "
                 "got '0'");
  expect_message(edit(SCN, "start: uniform", "start: cold"), NO_SETS,
                 "t.yaml:18:12: scenarios.step.start: expected one of steady, uniform, got "
                 "'cold'");
}

Test(case_scenarios, times) {
  expect_event_message("      - {t_s: 7.5, die_scale: 0}\n",
                       "t.yaml:29:15: scenarios.step.events.7.t_s: events must be in time order: "
                       "this one at 7.5 s follows one at 8 s (event 6)");
  /* equal times are in order */
  expect_ok(edit(SCN, LAST_EVENT, "      - {t_s: 8, die_scale: 0}\n"), NO_SETS);
  expect_event_message("      - {t_s: 61, die_scale: 0}\n",
                       "t.yaml:29:15: scenarios.step.events.7.t_s: expected a number >= 0 and <= "
                       "60 (s) (the scenario's until_s), got '61'");
  expect_event_message("      - {t_s: -1, die_scale: 0}\n",
                       "t.yaml:29:15: scenarios.step.events.7.t_s: expected a number >= 0 and <= "
                       "60 (s) (the scenario's until_s), got '-1'");
  expect_message(edit(SCN, "[0, 2.5, 60]", "[0, 2.5, 61]"), NO_SETS,
                 "t.yaml:20:27: scenarios.step.snapshots_s.2: expected a number >= 0 and <= 60 "
                 "(s) (the scenario's until_s), got '61'");
  expect_message(edit(SCN, "[0, 2.5, 60]", "[0, 2.5, 2.5]"), NO_SETS,
                 "t.yaml:20:27: scenarios.step.snapshots_s.2: snapshot times must rise: 2.5 s "
                 "follows 2.5 s");
  expect_message(edit(SCN, "[0, 2.5, 60]", "0"), NO_SETS,
                 "t.yaml:20:18: scenarios.step.snapshots_s: expected a list of times like [0, 10, "
                 "60] (s), got '0'");
  expect_message(edit(SCN, "    until_s: 60\n", ""), NO_SETS,
                 "t.yaml:15:3: scenarios.step: missing required key 'until_s' (number, s)");
  /* the bound is the scenario's own until_s */
  const char *trip = edit(SCN, "  trip:\n    until_s: 30\n",
                          "  trip:\n    until_s: 0.5\n    snapshots_s: [1]\n");
  expect_message(trip, NO_SETS,
                 "t.yaml:32:19: scenarios.trip.snapshots_s.0: expected a number >= 0 and <= 0.5 "
                 "(s) (the scenario's until_s), got '1'");
  expect_message(edit(edit(trip, "[1]", "[0.5]"), "{t_s: 0, pumps: 2}", "{t_s: 0.75, pumps: 2}"),
                 NO_SETS,
                 "t.yaml:34:15: scenarios.trip.events.0.t_s: expected a number >= 0 and <= 0.5 "
                 "(s) (the scenario's until_s), got '0.75'");
}

Test(case_scenarios, start_c_needs_uniform) {
  expect_message(edit(SCN, "start: uniform", "start: steady"), NO_SETS,
                 "t.yaml:19:14: scenarios.step.start_c: start_c is the temperature of a uniform "
                 "start: set start: uniform, or leave start_c out (start: steady begins from the "
                 "steady solution)");
  expect_message(edit(SCN, "    start: uniform\n", ""), NO_SETS,
                 "t.yaml:18:14: scenarios.step.start_c: start_c is the temperature of a uniform "
                 "start: set start: uniform, or leave start_c out (start: steady begins from the "
                 "steady solution)");
  expect_ok(edit(SCN, "    start_c: 30.5\n", ""), NO_SETS);
  cr_assert_eq(the_case.scenarios[0].start_uniform, 1);
  cr_assert(isnan(the_case.scenarios[0].start_t_k), "uniform at the inlet: NAN");
}

Test(case_scenarios, names_and_counts) {
  expect_message(edit(SCN, "  trip:\n", "  trip.2:\n"), NO_SETS,
                 "t.yaml:30:3: scenarios.trip.2: expected a scenario name of 1 to 63 characters "
                 "from [A-Za-z0-9_-] (no dots: the name is part of keys like "
                 "scenarios.NAME.until_s), got 'trip.2'");
  expect_message(edit(SCN, "  trip:\n", "  step:\n"), NO_SETS,
                 "t.yaml:30:3: scenarios.step: duplicate key (first given at line 15)");
  expect_message(edit(SCN, "  trip:\n", "  '':\n"), NO_SETS,
                 "t.yaml:30:3: scenarios.'': expected a scenario name of 1 to 63 characters from "
                 "[A-Za-z0-9_-] (no dots: the name is part of keys like scenarios.NAME.until_s), "
                 "got the quoted string ''");
  expect_message(plus(cut(SCN, "scenarios:\n"), "scenarios: [step]\n"), NO_SETS,
                 "t.yaml:14:12: scenarios: expected a mapping of scenario names to scenarios, got "
                 "a sequence");
  /* at most CASE_MAX_SCENARIOS: the fixture's 2 and 6 more fit, a ninth does not */
  char more[4096] = "";
  for (int i = 2; i < CASE_MAX_SCENARIOS; i++) {
    size_t len = strlen(more);
    snprintf(more + len, sizeof more - len, "  s%d: {until_s: 1}\n", i);
  }
  expect_ok(plus(SCN, more), NO_SETS);
  cr_assert_eq(the_case.n_scenarios, CASE_MAX_SCENARIOS);
  cr_assert_str_eq(the_case.scenarios[CASE_MAX_SCENARIOS - 1].name, "s7");
  expect_message(plus(plus(SCN, more), "  s8: {until_s: 1}\n"), NO_SETS,
                 "t.yaml:40:3: scenarios.s8: too many scenarios: at most 8");
  /* at most CASE_MAX_EVENTS events and CASE_MAX_SNAPSHOTS snapshots */
  char events[8192] = "  many:\n    until_s: 100\n    events:\n";
  char snaps[1024] = "    snapshots_s: [";
  for (int i = 0; i <= CASE_MAX_EVENTS; i++) {
    size_t len = strlen(events);
    snprintf(events + len, sizeof events - len, "      - {t_s: %d, power_kw: 1}\n", i);
    len = strlen(snaps);
    snprintf(snaps + len, sizeof snaps - len, "%s%d", i ? ", " : "", i);
  }
  expect_message(plus(SCN, events), NO_SETS,
                 "t.yaml:69:9: scenarios.many.events.32: too many events: at most 32 in a "
                 "scenario");
  char text[2048];
  snprintf(text, sizeof text, "  many:\n    until_s: 100\n%s]\n", snaps);
  expect_message(plus(SCN, text), NO_SETS,
                 "t.yaml:36:137: scenarios.many.snapshots_s.32: too many snapshots: at most 32 in "
                 "a scenario");
}

Test(case_scenarios, misspelt_keys) {
  expect_message(edit(SCN, "until_s: 30", "untill_s: 30"), NO_SETS,
                 "t.yaml:31:5: scenarios.trip.untill_s: unknown key; did you mean 'until_s'?");
  expect_event_message("      - {t_s: 9, power_k: 2}\n",
                       "t.yaml:29:18: scenarios.step.events.7.power_k: unknown key; did you mean "
                       "'power_kw'?");
  expect_event_message("      - {t_s: 9, psu_failed: 2}\n",
                       "t.yaml:29:18: scenarios.step.events.7.psu_failed: unknown key; did you "
                       "mean 'psus_failed'?");
  expect_message(edit(SCN, "start: uniform", "start: unifrm"), NO_SETS,
                 "t.yaml:18:12: scenarios.step.start: expected one of steady, uniform, got "
                 "'unifrm'; did you mean 'uniform'?");
  expect_message(edit(SCN, "snapshots_s:", "snapshot_s:"), NO_SETS,
                 "t.yaml:20:5: scenarios.step.snapshot_s: unknown key; did you mean "
                 "'snapshots_s'?");
  expect_message(edit(SCN, "scenarios:\n", "scenario:\n"), NO_SETS,
                 "t.yaml:14:1: scenario: unknown key; did you mean 'scenarios'?");
}

Test(case_scenarios, description_text) {
  expect_ok(edit(SCN, "description: idle to full", "description: 'a \"quoted\" \\ text: # 1'"),
            NO_SETS);
  cr_assert_str_eq(the_case.scenarios[0].description, "a \"quoted\" \\ text: # 1");
  expect_message(edit(SCN, "description: idle to full", "description: \"tab\\there\""), NO_SETS,
                 "t.yaml:16:18: scenarios.step.description: expected one line of text, without "
                 "control characters (tabs, line breaks)");
  expect_message(edit(SCN, "description: idle to full", "description: [a, b]"), NO_SETS,
                 "t.yaml:16:18: scenarios.step.description: expected a line of text, got a "
                 "sequence");
  char long_text[300];
  memset(long_text, 'x', 200);
  long_text[200] = '\0';
  char line[400];
  snprintf(line, sizeof line, "description: %s", long_text);
  expect_message(edit(SCN, "description: idle to full", line), NO_SETS,
                 "t.yaml:16:18: scenarios.step.description: expected a line of text of at most "
                 "199 bytes, got 200");
  long_text[199] = '\0';
  snprintf(line, sizeof line, "description: %s", long_text);
  expect_ok(edit(SCN, "description: idle to full", line), NO_SETS);
  cr_assert_eq(strlen(the_case.scenarios[0].description), 199);
}

/* ---- dump ------------------------------------------------------------- */

/* read -> dump -> read gives the same struct, bit for bit, and the same
 * dump text again. */
static void round_trip(const char *text, const char *label) {
  static Case a, b;
  if (text)
    cr_assert_eq(Case_read_string(text, label, 0, NULL, &a, err, sizeof err), EB_OK, "%s", err);
  else
    cr_assert_eq(Case_read(label, 0, NULL, &a, err, sizeof err), EB_OK, "%s", err);
  char *d1 = Case_dump_string(&a);
  cr_assert_not_null(d1);
  cr_assert_eq(Case_read_string(d1, label, 0, NULL, &b, err, sizeof err), EB_OK,
               "the dump does not read back: %s\n%s", err, d1);
  for (int i = 0; i < a.n_scenarios; i++)
    cr_assert(memcmp(&a.scenarios[i], &b.scenarios[i], sizeof a.scenarios[i]) == 0,
              "scenario %s differs\n%s", a.scenarios[i].name, d1);
  cr_assert_eq(Case_fingerprint(&a), Case_fingerprint(&b), "the dump changes the case\n%s", d1);
  char *d2 = Case_dump_string(&b);
  cr_assert_str_eq(d1, d2);
  free(d1);
  free(d2);
}

Test(case_scenarios, dump_round_trip) {
  round_trip(SCN, "r.yaml");
  const char *t = edit(SCN, "description: idle to full", "description: 'say \"hi\" \\ ok'");
  t = edit(t, "start_c: 30.5", "start_c: 21.37");
  t = edit(t, "[0, 2.5, 60]", "[0.001, 2.345, 59.99]");
  t = edit(t, "power_kw: 0.5}", "power_kw: 0.123}");
  t = edit(t, "flow_lpm: 0}", "flow_lpm: 123.456}");
  t = edit(t, "inlet_c: 31, ramp_s: 30", "inlet_c: 30.97, ramp_s: 0.1");
  t = edit(t, "die_scale: 1.5,", "die_scale: 1.0001,");
  t = plus(t, "solver: {transient_rel_tol: 3.3e-6, transient_abs_tol_k: 0.0007}\n");
  round_trip(t, "odd.yaml");
  round_trip(NULL, "cases/cs3.yaml");
  round_trip(NULL, "cases/cs4.yaml");
  /* what the dump writes for a scenario: every key, events as the file
   * gives them (only what each sets; the ramp when not a step) */
  static Case a;
  cr_assert_eq(Case_read_string(SCN, "r.yaml", 0, NULL, &a, err, sizeof err), EB_OK, "%s", err);
  char *d = Case_dump_string(&a);
  const char *want =
      "scenarios:\n"
      "  step:\n"
      "    description: \"idle to full\"\n"
      "    until_s: 60\n"
      "    start: uniform\n"
      "    start_c: 30.5\n"
      "    snapshots_s: [0, 2.5, 60]\n"
      "    events:\n"
      "      - {t_s: 0, power_kw: 0.5}\n"
      "      - {t_s: 1, power_kw: 5, ramp_s: 0.5}\n"
      "      - {t_s: 5, pumps: 1, ramp_s: 2}\n"
      "      - {t_s: 5.5, flow_lpm: 0}\n"
      "      - {t_s: 6, inlet_c: 31, ramp_s: 30}\n"
      "      - {t_s: 7, psus_failed: 1}\n"
      "      - {t_s: 8, die_scale: 1.5, dies: [[2, 3], [0, 1]]}\n"
      "      - {t_s: 9, die_scale: 0}\n"
      "  trip:\n"
      "    description: \"\"\n"
      "    until_s: 30\n"
      "    start: steady\n"
      "    start_c: ~\n"
      "    snapshots_s: []\n"
      "    events:\n"
      "      - {t_s: 0, pumps: 2}\n";
  cr_assert(strstr(d, want) != NULL, "the dump lacks\n%s\nin\n%s", want, d);
  free(d);
}

/* ---- --set, Case_set, Case_get ------------------------------------------ */

Test(case_scenarios, set_on_the_file) {
  const char *const sets[] = {"scenarios.step.until_s=90", "scenarios.step.events.1.power_kw=7.5",
                              "scenarios.step.snapshots_s.1=3",
                              "scenarios.step.events.6.dies.0.1=2",
                              "scenarios.trip.events.0.pumps=1", "scenarios.trip.start=uniform"};
  expect_ok(SCN, 6, sets);
  const CaseScenario *s = &the_case.scenarios[0];
  cr_assert(s->until_s == 90 && s->events[1].power_w == 7500 && s->snapshot_s[1] == 3);
  cr_assert_eq(s->events[6].die_col[0], 2);
  cr_assert_eq(the_case.scenarios[1].events[0].pumps, 1);
  cr_assert_eq(the_case.scenarios[1].start_uniform, 1);
  /* a key an event lacks is added to it */
  expect_ok(SCN, ONE_SET("scenarios.step.events.0.inlet_c=22"));
  cr_assert(the_case.scenarios[0].events[0].inlet_t_k == 22 + 273.15);
  cr_assert(the_case.scenarios[0].events[0].power_w == 500);
  /* checked as in the file, named by the set */
  expect_message(SCN, ONE_SET("scenarios.step.events.1.power_kw=-2"),
                 "--set scenarios.step.events.1.power_kw=-2: scenarios.step.events.1.power_kw: "
                 "expected a number >= 0.001 and <= 1000 (kW), got '-2'");
  expect_message(SCN, ONE_SET("scenarios.step.events.3.pumps=1"),
                 "--set scenarios.step.events.3.pumps=1: scenarios.step.events.3.pumps: give "
                 "pumps or flow_lpm, not both: pumps sets the flow where the running pumps' curve "
                 "meets the loop, flow_lpm holds a flow");
  expect_message(SCN, ONE_SET("scenarios.step.events.9.power_kw=1"),
                 "--set scenarios.step.events.9.power_kw=1: scenarios.step.events.9: no item 9: "
                 "the list has 8 (index 0 to 7)");
  expect_message(SCN, ONE_SET("scenarios.step.evnts.0.t_s=1"),
                 "--set scenarios.step.evnts.0.t_s=1: scenarios.step.evnts: unknown key; did you "
                 "mean 'events'?");
  /* a new name makes a new scenario; a near miss of one is a typo */
  const char *const warm[] = {"scenarios.warm-up.until_s=600", "scenarios.warm-up.start=uniform"};
  expect_ok(SCN, 2, warm);
  cr_assert_eq(the_case.n_scenarios, 3);
  cr_assert_str_eq(the_case.scenarios[2].name, "warm-up");
  cr_assert(the_case.scenarios[2].until_s == 600 && the_case.scenarios[2].start_uniform == 1);
  cr_assert_eq(the_case.scenarios[2].n_events, 0);
  expect_message(SCN, ONE_SET("scenarios.tirp.until_s=10"),
                 "--set scenarios.tirp.until_s=10: scenarios.tirp: no scenario 'tirp' in the "
                 "case; did you mean 'trip'? (scenarios: step, trip)");
  expect_ok(cut(SCN, "scenarios:\n"), ONE_SET("scenarios.warm-up.until_s=600"));
  cr_assert_eq(the_case.n_scenarios, 1);
}

Test(case_scenarios, case_set_then_get) {
  static Case c, f;
  cr_assert_eq(Case_read_string(SCN, "t.yaml", 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
  expect_number(&c, "scenarios.step.until_s", 60, "s");
  expect_number(&c, "scenarios.step.start_c", 30.5, "C");
  expect_number(&c, "scenarios.step.snapshots_s.1", 2.5, "s");
  expect_number(&c, "scenarios.step.events.3.flow_lpm", 0, "L/min");
  expect_number(&c, "scenarios.step.events.2.pumps", 1, "");
  expect_number(&c, "scenarios.step.events.6.dies.1.1", 1, "");
  cr_assert_eq(get_ok(&c, "scenarios.step.events.0.pumps").kind, CASE_VALUE_UNSET);
  cr_assert_eq(get_ok(&c, "scenarios.step.events.0.flow_lpm").kind, CASE_VALUE_UNSET);
  cr_assert_eq(get_ok(&c, "scenarios.trip.start_c").kind, CASE_VALUE_UNSET);
  CaseValue v = get_ok(&c, "scenarios.step.description");
  cr_assert(v.kind == CASE_VALUE_TEXT && !strcmp(v.text, "idle to full"));
  v = get_ok(&c, "scenarios.trip.start");
  cr_assert(v.kind == CASE_VALUE_TEXT && !strcmp(v.text, "steady"));

  set_ok(&c, "scenarios.step.events.1.power_kw", "30");
  expect_number(&c, "scenarios.step.events.1.power_kw", 30, "kW");
  cr_assert(c.scenarios[0].events[1].power_w == 30e3);
  set_ok(&c, "scenarios.step.events.5.psus_failed", "3");
  cr_assert_eq(c.scenarios[0].events[5].psus_failed, 3);
  set_ok(&c, "scenarios.step.description", "warm \"start\"");
  cr_assert_str_eq(c.scenarios[0].description, "warm \"start\"");
  set_ok(&c, "solver.transient_abs_tol_k", "0.002");
  cr_assert(c.transient_abs_tol_k == 0.002);
  /* Case_set is --set on the file */
  const char *const sets[] = {"scenarios.step.events.1.power_kw=30",
                              "scenarios.step.events.5.psus_failed=3",
                              "scenarios.step.description=warm \"start\"",
                              "solver.transient_abs_tol_k=0.002"};
  cr_assert_eq(Case_read_string(SCN, "t.yaml", 4, sets, &f, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Case_fingerprint(&c), Case_fingerprint(&f));
  /* failures leave the case alone, with the file's words */
  static Case before;
  memcpy(&before, &c, sizeof c);
  cr_assert_eq(Case_set(&c, "scenarios.step.events.2.pumps", "5", err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "--set scenarios.step.events.2.pumps=5: scenarios.step.events.2.pumps: "
                        "expected an integer >= 0 and <= 2 (pumps.count), got '5'");
  cr_assert_eq(Case_set(&c, "scenarios.step.start", "steady", err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "case 'scn' with --set scenarios.step.start=steady: "
                        "scenarios.step.start_c: start_c is the temperature of a uniform start: "
                        "set start: uniform, or leave start_c out (start: steady begins from the "
                        "steady solution)");
  cr_assert(memcmp(&c, &before, sizeof c) == 0, "a failed Case_set changed the case");
}

Test(case_scenarios, get_errors) {
  static Case c;
  CaseValue v;
  cr_assert_eq(Case_read_string(SCN, "t.yaml", 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Case_get(&c, "scenarios.stpe.until_s", &v, err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "scenarios.stpe: no scenario 'stpe' in case scn; did you mean 'step'? "
                        "The case has: step, trip");
  cr_assert_eq(Case_get(&c, "scenarios.step", &v, err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "scenarios.step: only single values can be got; this is a mapping");
  cr_assert_eq(Case_get(&c, "scenarios.step.events.8.t_s", &v, err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "scenarios.step.events.8: no item 8: the list has 8 (index 0 to 7)");
  cr_assert_eq(Case_get(&c, "scenarios.step.events.0.power", &v, err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "scenarios.step.events.0.power: unknown key; did you mean 'power_kw'?");
  cr_assert_eq(Case_get(&c, "scenarios.step.events.6.dies.0", &v, err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "scenarios.step.events.6.dies.0: only single values can be got; this is "
                        "a sequence");
  cr_assert_eq(Case_get(&c, "scenarios.step.snapshots_s.3", &v, err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "scenarios.step.snapshots_s.3: no item 3: the list has 3 (index 0 to 2)");
}

/* A scenario is checked against the case's keys as the file gives them; a
 * key a --set changes (a steady study of one pump) does not fail the read
 * over a scenario the run may not use: Case_scenario checks it when asked. */
Test(case_scenarios, overrides_defer_to_case_scenario) {
  /* the file itself inconsistent: at the scenario's value */
  expect_message(edit(SCN, "pumps: {count: 2,", "pumps: {count: 1,"), NO_SETS,
                 "t.yaml:33:25: scenarios.trip.events.0.pumps: expected an integer >= 0 and <= 1 "
                 "(pumps.count), got '2'");
  /* the same through --set: read, then refused by Case_scenario */
  static Case c, f;
  const char *const one[] = {"pumps.count=1"};
  cr_assert_eq(Case_read_string(SCN, "t.yaml", 1, one, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_not_null(Case_scenario(&c, "step", err, sizeof err), "%s", err);
  cr_assert_null(Case_scenario(&c, "trip", err, sizeof err));
  cr_assert_str_eq(err, "case scn cannot run scenario 'trip' as it stands: "
                        "scenarios.trip.events.0.pumps: expected an integer >= 0 and <= 1 "
                        "(pumps.count), got 2");
  /* Case_set is --set on the file here too */
  cr_assert_eq(Case_read_string(SCN, "t.yaml", 0, NULL, &f, err, sizeof err), EB_OK, "%s", err);
  set_ok(&f, "pumps.count", "1");
  cr_assert_eq(Case_fingerprint(&f), Case_fingerprint(&c));
  /* widened to the key's own range, not unbounded */
  expect_message(SCN, 2, (const char *const[]){"pumps.count=1", "scenarios.trip.events.0.pumps=17"},
                 "--set scenarios.trip.events.0.pumps=17: scenarios.trip.events.0.pumps: expected "
                 "an integer >= 0 and <= 16 (pumps.count's range: --set changes it), got '17'");
  /* the die grid, the PSU count, the fluid */
  expect_ok(SCN, ONE_SET("wafer.dies.rows=2"));
  cr_assert_null(Case_scenario(&the_case, "step", err, sizeof err));
  cr_assert_str_eq(err, "case scn cannot run scenario 'step' as it stands: "
                        "scenarios.step.events.6.dies.0.0: expected an integer >= 0 and <= 1 "
                        "(wafer.dies.rows - 1), got 2");
  cr_assert_not_null(Case_scenario(&the_case, "trip", err, sizeof err), "%s", err);
  expect_ok(SCN, ONE_SET("power_delivery.psu.count=1"));
  cr_assert_null(Case_scenario(&the_case, "step", err, sizeof err));
  cr_assert_str_eq(err, "case scn cannot run scenario 'step' as it stands: "
                        "scenarios.step.events.5.psus_failed: expected an integer >= 0 and <= 0 "
                        "(power_delivery.psu.count - 1), got 1");
  expect_ok(SCN, 2, (const char *const[]){"coolant.fluid=water", "scenarios.step.start_c=-5"});
  cr_assert_null(Case_scenario(&the_case, "step", err, sizeof err));
  cr_assert_str_eq(err, "case scn cannot run scenario 'step' as it stands: scenarios.step.start_c: "
                        "expected a number >= 5 and <= 80 (C) (water property table range), got "
                        "-5");
  expect_message(SCN, ONE_SET("scenarios.step.start_c=-5"),
                 "--set scenarios.step.start_c=-5: scenarios.step.start_c: expected a number >= 5 "
                 "and <= 80 (C) (water property table range), got '-5'");
  /* the shipped case in a steady study of one pump */
  cr_assert_eq(Case_read("cases/cs3.yaml", 1, one, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_null(Case_scenario(&c, "pump-trip", err, sizeof err));
  cr_assert(strstr(err, "scenarios.pump-trip.events.0.pumps: expected an integer >= 0 and <= 1 "
                        "(pumps.count), got 2"),
            "%s", err);
  cr_assert_not_null(Case_scenario(&c, "power-step", err, sizeof err), "%s", err);
}

/* ---- Case_scenario -------------------------------------------------------- */

Test(case_scenarios, lookup_by_name) {
  static Case c;
  cr_assert_eq(Case_read_string(SCN, "t.yaml", 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
  const CaseScenario *s = Case_scenario(&c, "trip", err, sizeof err);
  cr_assert_eq(s, &c.scenarios[1]);
  cr_assert_null(Case_scenario(&c, "tirp", err, sizeof err));
  cr_assert_str_eq(err, "no scenario 'tirp' in case scn; did you mean 'trip'? The case has: "
                        "step, trip");
  cr_assert_null(Case_scenario(&c, "power-surge", err, sizeof err));
  cr_assert_str_eq(err, "no scenario 'power-surge' in case scn. The case has: step, trip");
  cr_assert_null(Case_scenario(&c, "Step ", NULL, 0), "exact names only; no err is fine");
  cr_assert_eq(Case_read_string(cut(SCN, "scenarios:\n"), "t.yaml", 0, NULL, &c, err, sizeof err),
               EB_OK, "%s", err);
  cr_assert_null(Case_scenario(&c, "step", err, sizeof err));
  cr_assert_str_eq(err, "no scenario 'step' in case scn: the case has no scenarios; they are "
                        "declared under `scenarios:` in the case file (see "
                        "docs/case-reference.md)");
}

/* ---- the shipped cases ---------------------------------------------------- */

static void expect_event(const CaseEvent *e, double t, double ramp) {
  cr_assert(e->t_s == t && e->ramp_s == ramp, "event at %g (ramp %g), want %g (%g)", e->t_s,
            e->ramp_s, t, ramp);
}

static void expect_snapshots(const CaseScenario *s, int n, const double *want) {
  cr_assert_eq(s->n_snapshots, n, "%s", s->name);
  for (int i = 0; i < n; i++)
    cr_assert(s->snapshot_s[i] == want[i], "%s: snapshot %d is %g", s->name, i, s->snapshot_s[i]);
}

/* The four scenarios of cs3 (full power 25 kW) and cs4 (35 kW). */
static void expect_shipped(const char *path, double full_kw) {
  static Case c;
  cr_assert_eq(Case_read(path, 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(c.n_scenarios, 4, "%s", path);
  const CaseScenario *s = Case_scenario(&c, "power-step", err, sizeof err);
  cr_assert_not_null(s, "%s", err);
  cr_assert_eq(s, &c.scenarios[0], "file order");
  cr_assert(s->until_s == 60 && s->start_uniform == 0);
  expect_snapshots(s, 7, (const double[]){0, 1, 2, 5, 10, 30, 60});
  cr_assert_eq(s->n_events, 2);
  expect_event(&s->events[0], 0, 0);
  cr_assert(s->events[0].power_w == full_kw * 100, "idle: 10 %% of full");
  expect_event(&s->events[1], 1, 0);
  cr_assert(s->events[1].power_w == full_kw * 1000);
  cr_assert(s->events[1].power_w == c.power_w, "full power is the case's");

  s = Case_scenario(&c, "pump-trip", err, sizeof err);
  cr_assert_eq(s, &c.scenarios[1], "%s", err);
  cr_assert(s->until_s == 60);
  expect_snapshots(s, 7, (const double[]){0, 10, 20, 40, 45, 50, 60});
  cr_assert_eq(s->n_events, 3);
  expect_event(&s->events[0], 0, 0);
  expect_event(&s->events[1], 10, 2);
  expect_event(&s->events[2], 40, 5);
  cr_assert(s->events[0].pumps == 2 && s->events[1].pumps == 1 && s->events[2].pumps == 0);
  cr_assert_eq(c.pump_count, 2);
  expect_unset_but(&s->events[1], "pumps ramp");

  s = Case_scenario(&c, "inlet-excursion", err, sizeof err);
  cr_assert_eq(s, &c.scenarios[2], "%s", err);
  cr_assert(s->until_s == 90);
  expect_snapshots(s, 4, (const double[]){0, 5, 35, 90});
  cr_assert_eq(s->n_events, 1);
  expect_event(&s->events[0], 5, 30);
  cr_assert(s->events[0].inlet_t_k == 31 + 273.15);
  cr_assert(s->events[0].inlet_t_k == c.inlet_t_k + 10, "+10 K on the case's inlet");

  s = Case_scenario(&c, "psu-dropout", err, sizeof err);
  cr_assert_eq(s, &c.scenarios[3], "%s", err);
  cr_assert(s->until_s == 30);
  expect_snapshots(s, 3, (const double[]){0, 5, 30});
  cr_assert_eq(s->n_events, 1);
  expect_event(&s->events[0], 5, 0);
  cr_assert_eq(s->events[0].psus_failed, 1);
  cr_assert(c.pd.enabled && c.pd.psu_failed == 0);
  /* the steady case's own values are untouched by the scenarios */
  cr_assert(c.power_w == full_kw * 1000 && c.inlet_t_k == 21 + 273.15);
}

Test(case_scenarios, shipped_cs3) {
  expect_shipped("cases/cs3.yaml", 25);
  static Case c;
  cr_assert_eq(Case_read("cases/cs3.yaml", 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_null(Case_scenario(&c, "pump-trp", err, sizeof err));
  cr_assert_str_eq(err, "no scenario 'pump-trp' in case cs3-baseline; did you mean 'pump-trip'? "
                        "The case has: power-step, pump-trip, inlet-excursion, psu-dropout");
}

Test(case_scenarios, shipped_cs4) { expect_shipped("cases/cs4.yaml", 35); }
