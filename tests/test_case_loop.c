/* test_case_loop.c - case keys of the coolant loop: lists, pumps, flow source. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case.h"

static const char *base =
    "name: loop\n"                                                          /* 1 */
    "wafer: {size_mm: 20, dies: {columns: 2, rows: 1}}\n"                   /* 2 */
    "power: {total_kw: 0.2}\n"                                              /* 3 */
    "stack:\n"                                                              /* 4 */
    "  - {name: plate, kind: microchannel, base_thickness_mm: 2, channel_width_mm: 0.3,\n"
    "     channel_height_mm: 2, fin_thickness_mm: 0.2}\n"                   /* 6 */
    "  - {name: wafer, material: silicon, thickness_mm: 0.775, heat_source: true}\n"
    "coolant: {inlet_c: 25, flow_lpm: 1}\n";                                /* 8 */

static Case c;
static char err[EB_ERRLEN];

static int read_with(const char *extra, int n, const char *const *sets) {
  char text[4096];
  snprintf(text, sizeof text, "%s%s", base, extra);
  return Case_read_string(text, "t.yaml", n, sets, &c, err, sizeof err);
}

Test(case_loop, defaults_and_pump_table) {
  cr_assert_eq(read_with("pumps: {curve_flow_lpm: [0, 50, 100], curve_dp_kpa: [80, 60, 0]}\n", 0,
                         NULL),
               EB_OK, "%s", err);
  cr_assert_eq(c.pump_curve_q.n, 3);
  cr_assert_float_eq(c.pump_curve_q.v[1], 50.0 / 60000.0, 1e-18);
  cr_assert_float_eq(c.pump_curve_dp.v[0], 80e3, 1e-9);
  cr_assert_eq(c.pump_count, 2);
  cr_assert_eq(Case_pumps_running(&c), 2, "running defaults to count");
  cr_assert_float_eq(c.k_entry, 0.5, 0);
  cr_assert_float_eq(c.pipe_d_m, 0.0254, 1e-15);
  cr_assert(isnan(c.dp_max_pa));
  cr_assert_eq(c.layers[0].manifold, MANIFOLD_SINGLE);
  cr_assert_eq(c.layers[0].flow_profile.n, 0);
}

Test(case_loop, curve_errors_point_at_the_key) {
  cr_assert_eq(read_with("pumps:\n  curve_flow_lpm: [0, 50]\n  curve_dp_kpa: [80, 60, 0]\n", 0,
                         NULL),
               EB_EINPUT);
  cr_assert(strstr(err, "same length"), "%s", err);
  cr_assert_eq(read_with("pumps:\n  curve_flow_lpm: [0, 50, 40]\n  curve_dp_kpa: [80, 60, 0]\n",
                         0, NULL),
               EB_EINPUT);
  cr_assert(strncmp(err, "t.yaml:10:", 10) == 0 && strstr(err, "flow must rise"), "%s", err);
  cr_assert_eq(read_with("pumps: {curve_flow_lpm: [0, x]}\n", 0, NULL), EB_EINPUT);
  cr_assert(strstr(err, "t.yaml:9:") && strstr(err, "got 'x'"), "%s", err);
  cr_assert_eq(read_with("pumps: {shutoff_kpa: 100}\n", 0, NULL), EB_EINPUT);
  cr_assert(strstr(err, "max_flow_lpm"), "%s", err);
  cr_assert_eq(read_with("pumps: {count: 2, running: 3}\n", 0, NULL), EB_EINPUT);
  cr_assert(strstr(err, "exceeds count"), "%s", err);
}

Test(case_loop, flow_source_rules) {
  const char *sets[] = {"coolant.flow_source=pumps"};
  cr_assert_eq(read_with("", 1, sets), EB_EINPUT);
  cr_assert(strstr(err, "needs a pump curve"), "%s", err);
  cr_assert_eq(read_with("pumps: {shutoff_kpa: 100, max_flow_lpm: 10}\n", 1, sets), EB_OK, "%s",
               err);
  cr_assert_eq(c.flow_from_pumps, 1);
  const char *words[] = {"coolant.flow_source=pump"};
  cr_assert_eq(read_with("", 1, words), EB_EINPUT);
  cr_assert(strstr(err, "fixed, pumps"), "%s", err);
}

Test(case_loop, manifold_profile_and_limits) {
  const char *sets[] = {"stack.plate.manifold=split", "limits.pressure_drop_max_kpa=50",
                        "limits.velocity_max_m_s=2.5", "hydraulics.fittings_k=3"};
  cr_assert_eq(read_with("", 4, sets), EB_OK, "%s", err);
  cr_assert_eq(c.layers[0].manifold, MANIFOLD_SPLIT);
  cr_assert_float_eq(c.dp_max_pa, 50e3, 1e-9);
  cr_assert_float_eq(c.velocity_max_m_s, 2.5, 0);
  cr_assert_float_eq(c.k_fittings, 3.0, 0);
  const char *bad[] = {"stack.plate.flow_profile=1"};
  cr_assert_eq(read_with("", 1, bad), EB_EINPUT);
  cr_assert(strstr(err, "only single values can be set"), "%s", err);
}

/* The dump of a case with lists and pumps reads back to the same values. */
Test(case_loop, dump_round_trip) {
  cr_assert_eq(read_with("pumps: {curve_flow_lpm: [0, 50.5, 100], curve_dp_kpa: [80, 60.25, 0]}\n"
                         "hydraulics: {quick_disconnects: 2, quick_disconnect_k: 1.5}\n",
                         0, NULL),
               EB_OK, "%s", err);
  static Case a;
  a = c;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  Case_dump(&a, f);
  fclose(f);
  cr_assert_eq(Case_read_string(buf, "dump", 0, NULL, &c, err, sizeof err), EB_OK, "%s\n%s", err,
               buf);
  cr_assert_eq(c.pump_curve_q.n, 3);
  for (int i = 0; i < 3; i++) {
    cr_assert_eq(c.pump_curve_q.v[i], a.pump_curve_q.v[i]);
    cr_assert_eq(c.pump_curve_dp.v[i], a.pump_curve_dp.v[i]);
  }
  cr_assert_eq(c.n_qd, 2);
  cr_assert_eq(c.k_qd, 1.5);
  free(buf);
}

/* A strip without flow could not carry its heat away: weights must be > 0. */
Test(case_loop, flow_profile_weights_must_be_positive) {
  const char *sets[] = {"stack.plate.manifold=single"};
  char text[4096];
  snprintf(text, sizeof text, "%s", base);
  char *p = strstr(text, "fin_thickness_mm: 0.2}");
  cr_assert(p);
  snprintf(p, sizeof text - (size_t)(p - text),
           "fin_thickness_mm: 0.2, flow_profile: [0, 1]}\n"
           "  - {name: wafer, material: silicon, thickness_mm: 0.775, heat_source: true}\n"
           "coolant: {inlet_c: 25, flow_lpm: 1}\n");
  cr_assert_eq(Case_read_string(text, "t.yaml", 1, sets, &c, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "t.yaml:6:") && strstr(err, ">= 0.001"), "%s", err);
}

/* A sweep declared in the case: block items keep their commas, the dump
 * quotes them so it reads back, and a malformed item names its line. */
Test(case_loop, sweep_list_in_the_case) {
  cr_assert_eq(read_with("sweep:\n  - power.total_kw=25:40:5\n  - coolant.flow_lpm=40,60,100\n", 0,
                         NULL),
               EB_OK, "%s", err);
  cr_assert_eq(c.n_sweep, 2);
  cr_assert_str_eq(c.sweep[1], "coolant.flow_lpm=40,60,100");
  static Case a;
  a = c;
  char *text = Case_dump_string(&a);
  cr_assert(text);
  cr_assert_eq(Case_read_string(text, "dump", 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(c.n_sweep, 2);
  cr_assert_str_eq(c.sweep[1], a.sweep[1]);
  free(text);
  cr_assert_eq(read_with("sweep: [coolant.flow_lpm=40,60]\n", 0, NULL), EB_EINPUT);
  cr_assert(strstr(err, "t.yaml:9:") && strstr(err, "quote"), "%s", err);
}
