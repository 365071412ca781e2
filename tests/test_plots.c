/* test_plots.c - the figures and their style (out_style.h):
 *
 *  - the coolant-loop line plots (coolant_path, pump_curve) from a hand-made
 *    result: written, valid PNG, no temporary left behind; missing data (NaN
 *    pump curves, empty arrays) is skipped;
 *  - the style's rules, as pure functions: the colour range (a small spread
 *    does not fill the colour bar, both ends fall on ticks), units typeset,
 *    labels from the registry, the operating point, label placement (inside
 *    the frame, clear of curves and of each other), text wrapping, ties of a
 *    map's extreme;
 *  - what the figures say, read back from their PDF with pdftotext
 *    (poppler-utils; the test is skipped without it): the operating point in
 *    the titles, the legends, the limits, the envelope's failures with their
 *    reasons and the CS-3 point only against a 25 kW line;
 *  - every figure of the shipped cases in PNG, PDF and SVG, whole, through
 *    the ebsim binary on coarse grids (runs, a sweep, an envelope, a
 *    transient). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cases/case.h"
#include "output/out_envelope.h"
#include "output/out_style.h"
#include "output/output.h"
#include "output/output_internal.h"
#include "solver/model.h"

#define NQ 41
#define NP 20

static char dir[256];
static Case c;
static ThermalResult t;
static LoopResult r;
static Result view;

/* CS-3-like numbers: a quadratic loop (43.4 kPa at 100 L/min), two
 * parallel pumps of 150 kPa shut-off and 120 L/min maximum each. */
static const double lpm = 1.0 / 60000.0;
static const double k_loop = 43.4e3 / ((100.0 / 60000.0) * (100.0 / 60000.0));
static const double dp0 = 150e3, qmax = 120.0 / 60000.0;

static double pump_dp(int running, double q) {
  double x = q / (running * qmax);
  return x >= 1.0 ? 0.0 : dp0 * (1.0 - x * x);
}
/* where k q^2 = dp0 (1 - (q / (n qmax))^2) */
static double op_flow(int running) {
  return sqrt(dp0 / (k_loop + dp0 / ((running * qmax) * (running * qmax))));
}

static void setup(void) {
  /* the shipped case (its limits, dies and wafer), made a one-layer plate */
  char e[EB_ERRLEN];
  cr_assert_eq(Case_read("cases/cs3.yaml", 0, NULL, &c, e, sizeof e), EB_OK, "%s", e);
  snprintf(c.name, sizeof c.name, "plot-test");
  c.wafer_size_m = 0.215;
  c.n_layers = 1;
  c.layers[0].kind = LAYER_MICROCHANNEL;
  c.layers[0].flow_direction = 'x';
  c.layers[0].manifold = MANIFOLD_SINGLE;
  c.pump_count = 2;
  c.pump_running = 2;
  c.pump_series = 0;

  memset(&r, 0, sizeof r);
  memset(&t, 0, sizeof t);
  memset(&view, 0, sizeof view);
  view.part[RESULT_THERMAL] = &t;
  view.part[RESULT_COOLANT] = &r;
  r.n_curve = NQ;
  r.curve_q_m3_s = malloc(NQ * sizeof(double));
  r.curve_system_pa = malloc(NQ * sizeof(double));
  r.curve_pump_pa = malloc(NQ * sizeof(double));
  r.curve_pump_lost_pa = malloc(NQ * sizeof(double));
  cr_assert(r.curve_q_m3_s && r.curve_system_pa && r.curve_pump_pa && r.curve_pump_lost_pa);
  for (int i = 0; i < NQ; i++) {
    double q = 240.0 * lpm * i / (NQ - 1);
    r.curve_q_m3_s[i] = q;
    r.curve_system_pa[i] = k_loop * q * q;
    r.curve_pump_pa[i] = pump_dp(2, q);
    r.curve_pump_lost_pa[i] = pump_dp(1, q);
  }
  r.n_path = NP;
  r.path_x_m = malloc(NP * sizeof(double));
  r.path_t_coolant_k = malloc(NP * sizeof(double));
  r.path_t_junction_max_k = malloc(NP * sizeof(double));
  cr_assert(r.path_x_m && r.path_t_coolant_k && r.path_t_junction_max_k);
  for (int a = 0; a < NP; a++) {
    double s = (a + 0.5) / NP;
    r.path_x_m[a] = 0.215 * s;
    r.path_t_coolant_k[a] = 294.15 + 3.5 * s;
    r.path_t_junction_max_k[a] = 294.15 + 22.0 + 6.0 * s + 1.5 * sin(12.0 * s);
  }
  t.power_w = 25e3;
  t.coolant_inlet_k = 294.15;
  t.coolant_outlet_k = 297.65;
  r.flow_m3_s = 100.0 * lpm;
  r.dp_total_pa = k_loop * r.flow_m3_s * r.flow_m3_s;
  r.pump_flow_m3_s = op_flow(2);
  r.pump_dp_pa = k_loop * r.pump_flow_m3_s * r.pump_flow_m3_s;
  r.one_pump_lost_flow_m3_s = op_flow(1);
  r.one_pump_lost_dp_pa = k_loop * r.one_pump_lost_flow_m3_s * r.one_pump_lost_flow_m3_s;

  snprintf(dir, sizeof dir, "/tmp/ebsim-plots-XXXXXX");
  cr_assert(mkdtemp(dir));
}

static void teardown(void) {
  LoopResult_free(&r);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(plots, .init = setup, .fini = teardown, .timeout = 60);

/* dir/name is a complete PNG of a plausible size, dir/name.tmp is gone. */
static void check_png(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  cr_assert(f, "%s missing", path);
  unsigned char sig[8] = {0};
  size_t got = fread(sig, 1, sizeof sig, f);
  fclose(f);
  static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  cr_assert_eq(got, sizeof sig);
  cr_assert_eq(memcmp(sig, png, sizeof png), 0, "%s is not a PNG", path);
  struct stat sb;
  cr_assert_eq(stat(path, &sb), 0);
  cr_assert_gt(sb.st_size, 10000, "%s only %lld bytes", path, (long long)sb.st_size);
  snprintf(path, sizeof path, "%s/%s.tmp", dir, name);
  cr_assert_neq(stat(path, &sb), 0, "%s left behind", path);
}

static void write_and_check(void) {
  char err[EB_ERRLEN] = "";
  cr_assert_eq(Output_write_loop_figures(&c, Model_registry(), &view, dir, FIGURES_PNG, err, sizeof err), EB_OK, "%s",
               err);
  check_png("coolant_path.png");
  check_png("pump_curve.png");
}

Test(plots, both_figures_written) { write_and_check(); }

Test(plots, case_channel_layer_found) {
  /* the figure reads flow direction and manifold from this layer */
  cr_assert_eq(Case_channel_layer(&c), 0);
}

Test(plots, without_pump_curves) {
  for (int i = 0; i < NQ; i++) r.curve_pump_pa[i] = r.curve_pump_lost_pa[i] = NAN;
  r.pump_flow_m3_s = r.pump_dp_pa = NAN;
  r.one_pump_lost_flow_m3_s = r.one_pump_lost_dp_pa = NAN;
  write_and_check();
}

Test(plots, single_pump_no_lost_curve) {
  c.pump_count = 1;
  c.pump_running = 1;
  for (int i = 0; i < NQ; i++) {
    r.curve_pump_pa[i] = pump_dp(1, r.curve_q_m3_s[i]);
    r.curve_pump_lost_pa[i] = NAN;
  }
  r.pump_flow_m3_s = op_flow(1);
  r.pump_dp_pa = k_loop * r.pump_flow_m3_s * r.pump_flow_m3_s;
  r.one_pump_lost_flow_m3_s = r.one_pump_lost_dp_pa = NAN;
  write_and_check();
}

Test(plots, flow_from_pumps_split_manifold_along_y) {
  c.layers[0].flow_direction = 'y';
  c.layers[0].manifold = MANIFOLD_SPLIT;
  c.flow_from_pumps = 1;
  r.flow_from_pumps = 1;
  r.flow_m3_s = r.pump_flow_m3_s;
  r.dp_total_pa = r.pump_dp_pa;
  for (int a = 0; a < NP; a++) {
    double s = fabs((a + 0.5) / NP - 0.5) * 2.0; /* centre inlet, out to both edges */
    r.path_t_coolant_k[a] = 294.15 + 3.5 * s;
    r.path_t_junction_max_k[a] = 294.15 + 22.0 + 6.0 * s;
  }
  write_and_check();
}

Test(plots, nan_gaps_and_nan_case_point) {
  r.path_t_coolant_k[3] = NAN;
  r.path_t_junction_max_k[7] = NAN;
  r.path_x_m[12] = NAN;
  r.curve_system_pa[5] = NAN;
  r.curve_pump_pa[20] = NAN;
  r.dp_total_pa = NAN;
  t.coolant_inlet_k = NAN;
  write_and_check();
}

Test(plots, empty_and_all_nan_results_still_draw) {
  /* nothing to plot at all: empty axes with a note, never a crash */
  for (int a = 0; a < NP; a++) r.path_t_coolant_k[a] = r.path_t_junction_max_k[a] = NAN;
  free(r.curve_q_m3_s);
  free(r.curve_system_pa);
  free(r.curve_pump_pa);
  free(r.curve_pump_lost_pa);
  r.curve_q_m3_s = r.curve_system_pa = r.curve_pump_pa = r.curve_pump_lost_pa = NULL;
  r.n_curve = 0;
  r.flow_m3_s = r.dp_total_pa = t.power_w = NAN;
  r.pump_flow_m3_s = r.pump_dp_pa = NAN;
  r.one_pump_lost_flow_m3_s = r.one_pump_lost_dp_pa = NAN;
  char err[EB_ERRLEN] = "";
  cr_assert_eq(Output_write_loop_figures(&c, Model_registry(), &view, dir, FIGURES_PNG, err, sizeof err), EB_OK, "%s",
               err);
  r.n_path = 0;
  c.n_layers = 0; /* no channel layer: flow along x by default */
  cr_assert_eq(Output_write_loop_figures(&c, Model_registry(), &view, dir, FIGURES_PNG, err, sizeof err), EB_OK, "%s",
               err);
  char path[512];
  struct stat sb;
  snprintf(path, sizeof path, "%s/coolant_path.png", dir);
  cr_assert_eq(stat(path, &sb), 0);
  snprintf(path, sizeof path, "%s/pump_curve.png", dir);
  cr_assert_eq(stat(path, &sb), 0);
}

Test(plots, unwritable_directory_is_an_error) {
  char err[EB_ERRLEN] = "", missing[300];
  snprintf(missing, sizeof missing, "%s/no/such/dir", dir);
  cr_assert_eq(Output_write_loop_figures(&c, Model_registry(), &view, missing, FIGURES_PNG, err, sizeof err),
               EB_EFAIL);
  cr_assert(strstr(err, "coolant_path.png"), "message: %s", err);
}

/* ---- before PLplot starts (it exits the process on a fatal error) --------- */

#include "output/output_internal.h"

/* The device list is PLplot's own: pngcairo is installed by the Makefile's
 * package list (plplot-driver-cairo); a made-up name is not there. */
Test(plot_preflight, knows_which_devices_exist) {
  cr_expect(out_plot_has_device("pngcairo"), "pngcairo missing: install plplot-driver-cairo");
  cr_expect(out_plot_has_device("pdfcairo") && out_plot_has_device("svgcairo"));
  cr_expect(!out_plot_has_device("no-such-device"));
}

/* An unwritable path is an error message here, not PLplot's prompt + exit. */
Test(plot_preflight, unwritable_path_is_an_error) {
  char err[EB_ERRLEN] = "";
  cr_assert_eq(out_plot_preflight("/nonexistent-ebsim-dir/x.png", FIGURES_PNG, err, sizeof err),
               EB_EFAIL);
  cr_expect(strstr(err, "/nonexistent-ebsim-dir/x.png") && strstr(err, "No such file"), "%s",
            err);
  char path[] = "/tmp/ebsim-pre-XXXXXX", png[64];
  cr_assert(mkdtemp(path));
  snprintf(png, sizeof png, "%s/ok.png", path);
  cr_expect_eq(out_plot_preflight(png, FIGURES_PNG, err, sizeof err), EB_OK, "%s", err);
  remove(png);
  rmdir(path);
}

/* ---- the style's rules ------------------------------------------------------ */

/* A heat-flux-like field: 55.7 .. 56.8 (a 2 % spread) over 0. */
Test(plots, style_a_small_spread_does_not_fill_the_colour_bar) {
  double v[100];
  for (int i = 0; i < 100; i++) v[i] = 55.7 + 1.1 * i / 99.0;
  StyleRange R = style_color_range(v, 100, 0.0, STYLE_MIN_SPAN);
  cr_assert(R.any && R.widened);
  cr_assert_float_eq(R.dmin, 55.7, 1e-12);
  cr_assert_float_eq(R.dmax, 56.8, 1e-12);
  cr_assert(R.lo <= R.dmin && R.hi >= R.dmax);
  /* the scale spans at least STYLE_MIN_SPAN of the level (56.8) ... */
  cr_expect_geq(R.hi - R.lo, STYLE_MIN_SPAN * 56.8 - 1e-9, "scale %g..%g", R.lo, R.hi);
  /* ... so the 2 % spread takes at most 4 % of the colours, not all of them */
  const double share = (R.dmax - R.dmin) / (R.hi - R.lo);
  cr_expect_leq(share, 0.02 / STYLE_MIN_SPAN + 1e-9, "the spread fills %.0f %% of the bar",
                100 * share);
  /* centred on the data */
  cr_expect_float_eq(0.5 * (R.lo + R.hi), 0.5 * (R.dmin + R.dmax), 0.5 * R.step + 1e-9);
  char t[200];
  style_spread_text(t, sizeof t, &R, 1.0, "W/cm²", "the largest");
  cr_expect(strstr(t, "spread 1.1 W/cm²") && strstr(t, "1.9 %"), "%s", t);
}

/* A junction field with hotspots: 41 .. 75 °C above a 21 °C inlet (63 % of
 * the rise): drawn over (nearly) the whole bar. */
Test(plots, style_a_large_spread_fills_the_colour_bar) {
  double v[50];
  for (int i = 0; i < 50; i++) v[i] = 41.09 + (75.25 - 41.09) * i / 49.0;
  StyleRange R = style_color_range(v, 50, 21.0, STYLE_MIN_SPAN);
  cr_expect(!R.widened);
  cr_expect_float_eq(R.level, 75.25 - 21.0, 1e-9);
  cr_expect_geq((R.dmax - R.dmin) / (R.hi - R.lo), 0.7, "scale %g..%g", R.lo, R.hi);
}

/* Both ends of the colour bar carry a number: they are multiples of the
 * tick step, 4 to 7 intervals, and hold the data. */
Test(plots, style_colour_bar_ends_fall_on_ticks) {
  const double fields[][2] = {{44.37, 50.61}, {0.000265, 0.05411}, {0.8153, 0.8184},
                              {21.0, 24.71},  {-3.2, 7.9},         {1234.5, 1290.0}};
  const double refs[] = {21.0, 0.0, 0.85, 21.0, 0.0, 0.0};
  for (size_t k = 0; k < sizeof refs / sizeof *refs; k++) {
    double v[2] = {fields[k][0], fields[k][1]};
    StyleRange R = style_color_range(v, 2, refs[k], STYLE_MIN_SPAN);
    const double a = R.lo / R.step, b = R.hi / R.step;
    cr_expect_float_eq(a, round(a), 1e-6, "field %zu: lo %g step %g", k, R.lo, R.step);
    cr_expect_float_eq(b, round(b), 1e-6, "field %zu: hi %g step %g", k, R.hi, R.step);
    const double n = (R.hi - R.lo) / R.step;
    cr_expect(n >= 3.5 && n <= 7.5, "field %zu: %g intervals", k, n);
    cr_expect(R.lo <= v[0] && R.hi >= v[1], "field %zu", k);
    /* a widened scale does not run past the reference the data stay on one side of */
    if (v[0] >= refs[k]) cr_expect_geq(R.lo, refs[k] - R.step, "field %zu", k);
  }
}

Test(plots, style_colour_range_of_one_value_or_none) {
  double one[3] = {5.0, 5.0, 5.0}, none[2] = {NAN, NAN};
  StyleRange R = style_color_range(one, 3, 0.0, STYLE_MIN_SPAN);
  cr_expect(R.any && R.hi > R.lo && R.lo <= 5.0 && R.hi >= 5.0);
  R = style_color_range(none, 2, 0.0, STYLE_MIN_SPAN);
  cr_expect(!R.any && R.hi > R.lo && isfinite(R.lo) && isfinite(R.hi));
  R = style_color_range(NULL, 0, NAN, STYLE_MIN_SPAN);
  cr_expect(!R.any && R.hi > R.lo);
}

Test(plots, style_units_are_typeset) {
  char b[32];
  cr_expect_str_eq(style_unit("C", b, sizeof b), "°C");
  cr_expect_str_eq(style_unit("W/cm^2", b, sizeof b), "W/cm²");
  cr_expect_str_eq(style_unit("W/(m^2 K)", b, sizeof b), "W/(m² K)");
  cr_expect_str_eq(style_unit("kPa", b, sizeof b), "kPa");
  cr_expect_str_eq(style_unit("um", b, sizeof b), "µm");
  cr_expect_str_eq(style_unit("1", b, sizeof b), "");
  char t[64];
  style_celsius("steady state (25.00 kW, 156.3 L/min, inlet 21.0 C)", t, sizeof t);
  cr_expect_str_eq(t, "steady state (25.00 kW, 156.3 L/min, inlet 21.0 °C)");
  style_celsius("Case C at 3 Cm", t, sizeof t); /* not a unit */
  cr_expect_str_eq(t, "Case C at 3 Cm");
}

/* Axis labels come from the registry: its description and unit. */
Test(plots, style_labels_come_from_the_registry) {
  char b[160];
  style_quantity_label(Model_registry(), "t_max_c", b, sizeof b);
  cr_expect_str_eq(b, "Hottest junction temperature (°C)");
  style_quantity_label(Model_registry(), "pressure_drop_kpa", b, sizeof b);
  cr_expect(strstr(b, "(kPa)") && b[0] == 'P', "%s", b);
  style_quantity_label(Model_registry(), "brick_load_max", b, sizeof b);
  cr_expect(!strchr(b, '('), "a pure number has no unit: %s", b);
  style_quantity_label(Model_registry(), "no_such_quantity", b, sizeof b);
  cr_expect_str_eq(b, "no_such_quantity");
}

Test(plots, style_operating_point_text) {
  char b[200];
  style_operating_point(b, sizeof b, 25.0, 100.0, 21.0);
  cr_expect_str_eq(b, "25 kW, 100 L/min (4.00 L/min/kW), inlet 21.0 °C");
  style_operating_point(b, sizeof b, 32.5, 156.6, NAN);
  cr_expect_str_eq(b, "32.5 kW, 156.6 L/min (4.82 L/min/kW)");
  style_operating_point(b, sizeof b, NAN, 60.0, 21.0);
  cr_expect_str_eq(b, "60 L/min, inlet 21.0 °C");
}

/* The titles' operating point, from a result through the registry. */
Test(plots, operating_point_from_the_result) {
  char b[200];
  style_result_operating_point(b, sizeof b, Model_registry(), &view);
  cr_expect_str_eq(b, "25 kW, 100 L/min (4.00 L/min/kW), inlet 21.0 °C");
}

/* ---- label placement ------------------------------------------------------ */

static int inside(StyleBox b) { return b.x0 >= 0.0 && b.y0 >= 0.0 && b.x1 <= 1.0 && b.y1 <= 1.0; }
static int overlap(StyleBox a, StyleBox b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* A frame of 160 x 120 mm showing 0..215 x 0..215 (a wafer map), labels of
 * 3 mm characters: anchored at every corner, edge and the centre, a 40 x 5
 * mm label lies inside the frame, beside its anchor. */
Test(plots, layout_labels_stay_inside_the_frame) {
  const double at[] = {0.0, 107.5, 215.0};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      StyleLayout L;
      style_layout_geometry(&L, 0.0, 215.0, 0.0, 215.0, 160.0, 120.0, 3.0);
      style_layout_marker(&L, at[i], at[j], 2.5);
      StyleBox b;
      const int how = style_layout_find(&L, at[i], at[j], 40.0, 5.0, &b);
      cr_expect_eq(how, 1, "anchor (%g, %g): placed as %d", at[i], at[j], how);
      cr_expect(inside(b), "anchor (%g, %g): box %g %g %g %g", at[i], at[j], b.x0, b.y0, b.x1,
                b.y1);
      /* beside it: within a few characters of the anchor */
      const double u = at[i] / 215.0, v = at[j] / 215.0;
      const double cu = fmin(fmax(u, b.x0), b.x1), cv = fmin(fmax(v, b.y0), b.y1);
      cr_expect_leq(hypot((cu - u) * 160.0, (cv - v) * 120.0), 12.0, "anchor (%g, %g)", at[i],
                    at[j]);
    }
}

/* Labels placed one after the other (each recorded) never overprint each
 * other, nor the markers; all stay in the frame, even when it is crowded. */
Test(plots, layout_labels_never_overlap) {
  StyleLayout L;
  style_layout_geometry(&L, 0.0, 10.0, 0.0, 10.0, 120.0, 90.0, 3.0);
  style_layout_marker(&L, 5.0, 5.0, 2.0);
  style_layout_marker(&L, 5.3, 5.2, 2.0);
  StyleBox placed[40];
  int n = 0;
  for (int k = 0; k < 40; k++) {
    StyleBox b;
    const int how = style_layout_find(&L, k % 2 ? 5.3 : 5.0, k % 2 ? 5.2 : 5.0, 25.0, 4.0, &b);
    cr_assert(inside(b), "label %d outside the frame", k);
    if (how == 0) break; /* nowhere free: the frame is full */
    for (int i = 0; i < n; i++)
      cr_assert(!overlap(b, placed[i]), "label %d overprints label %d", k, i);
    /* nor any marker (2 mm: 1/60 of the width, 1/45 of the height) */
    const StyleBox m0 = {0.5 - 2.0 / 120, 0.5 - 2.0 / 90, 0.5 + 2.0 / 120, 0.5 + 2.0 / 90};
    const StyleBox m1 = {0.53 - 2.0 / 120, 0.52 - 2.0 / 90, 0.53 + 2.0 / 120, 0.52 + 2.0 / 90};
    cr_assert(!overlap(b, m0) && !overlap(b, m1), "label %d on a marker", k);
    placed[n++] = b;
    style_layout_box(&L, b);
  }
  cr_expect_geq(n, 12, "only %d labels fitted a frame with room for about 20", n);
}

/* A label keeps clear of a curve through its anchor when it can. */
Test(plots, layout_labels_keep_clear_of_curves) {
  StyleLayout L;
  style_layout_geometry(&L, 0.0, 100.0, 0.0, 100.0, 150.0, 100.0, 3.0);
  static const double cx[3] = {0.0, 50.0, 100.0}, cy[3] = {50.0, 50.0, 50.0};
  static const double dx[2] = {50.0, 50.0}, dy[2] = {0.0, 100.0};
  style_layout_line(&L, cx, cy, 3);
  style_layout_line(&L, dx, dy, 2);
  style_layout_marker(&L, 50.0, 50.0, 2.0);
  StyleBox b;
  cr_assert_eq(style_layout_find(&L, 50.0, 50.0, 30.0, 4.0, &b), 1);
  cr_expect(style_layout_free(&L, b, 0.5, 0.5, 0), "the label crosses a curve");
  /* on a grid of curves every 5 units nothing near is clear: it goes across
   * one (on a white ground), still beside its anchor and inside */
  StyleLayout G;
  style_layout_geometry(&G, 0.0, 100.0, 0.0, 100.0, 150.0, 100.0, 3.0);
  static double gx[21][2], gy[21][2];
  for (int k = 0; k <= 20; k++) {
    gx[k][0] = gx[k][1] = 5.0 * k;
    gy[k][0] = 0.0;
    gy[k][1] = 100.0;
    style_layout_line(&G, gx[k], gy[k], 2);
  }
  const int how = style_layout_find(&G, 52.0, 50.0, 30.0, 4.0, &b);
  cr_expect_eq(how, 2);
  cr_expect(inside(b));
}

Test(plots, layout_long_text_wraps_at_its_clauses) {
  char lines[6][STYLE_LINE];
  const char *text = "Junction 44.37–50.61 °C: spread 6.23 K; Limit 85 °C: margin 34.4 K";
  int n = style_wrap(text, 1000.0, 3.0, lines, 6);
  cr_assert_eq(n, 2);
  cr_expect_str_eq(lines[0], "Junction 44.37–50.61 °C: spread 6.23 K");
  cr_expect_str_eq(lines[1], "Limit 85 °C: margin 34.4 K");
  n = style_wrap(text, 40.0, 3.0, lines, 6); /* about 19 characters a line */
  cr_expect_geq(n, 4);
  for (int k = 0; k < n; k++)
    cr_expect(style_text_mm(lines[k], 3.0) * 0.68 / 0.75 <= 40.0 || !strchr(lines[k], ' '),
              "line %d too long: %s", k, lines[k]);
}

/* Text that needs more lines than it may have is not cut silently: the
 * last line ends in an ellipsis and still fits the width; text that fits
 * gets none. */
Test(plots, wrap_marks_text_it_had_to_cut) {
  char lines[3][STYLE_LINE];
  const char *text = "largest slip of the cold plate against the wafer on the wafer's edge";
  int n = style_wrap(text, 40.0, 3.0, lines, 2);
  cr_assert_eq(n, 2);
  const size_t len = strlen(lines[1]);
  cr_expect(len >= 3 && !strcmp(lines[1] + len - 3, "…"), "last line '%s'", lines[1]);
  cr_expect(style_text_mm(lines[1], 3.0) * 0.68 / 0.75 <= 40.0, "too long: %s", lines[1]);
  n = style_wrap(text, 1000.0, 3.0, lines, 2);
  cr_assert_eq(n, 1);
  cr_expect_str_eq(lines[0], text);
  n = style_wrap("one; two", 1000.0, 3.0, lines, 1); /* a second clause with no line left */
  cr_assert_eq(n, 1);
  cr_expect_str_eq(lines[0], "one…");
}

/* ---- maps: the extreme and its ties ---------------------------------------- */

Test(plots, map_ties_of_the_hottest_die_are_all_found) {
  /* 2 x 2 dies of 10 mm, 4 x 4 cells: the hottest cells of dies (1,1) and
   * (2,2) within the tolerance, die (2,1) 0.1 K below */
  static Case k;
  memset(&k, 0, sizeof k);
  k.die_columns = 2;
  k.die_rows = 2;
  k.wafer_size_m = 0.02;
  Grid *g = Grid_alloc(4, 4, 1);
  cr_assert(g);
  for (int i = 0; i <= 4; i++) g->x[i] = g->y[i] = 0.005 * i;
  double v[16];
  for (int q = 0; q < 16; q++) v[q] = 40.0;
  v[0 * 4 + 0] = 50.0;   /* die (1,1), cell (0,0) */
  v[3 * 4 + 3] = 50.004; /* die (2,2), cell (3,3): the hottest */
  v[0 * 4 + 3] = 49.9;   /* die (2,1) */
  int tied[4];
  double wx[4], wy[4], best;
  int n = out_map_ties(&k, g, v, 1, 0.01, tied, wx, wy, &best);
  cr_expect_eq(n, 2);
  cr_expect_float_eq(best, 50.004, 1e-12);
  cr_expect(tied[0] && !tied[1] && !tied[2] && tied[3]);
  cr_expect_float_eq(wx[3], 17.5, 1e-9); /* the cell's centre, mm */
  cr_expect_float_eq(wy[0], 2.5, 1e-9);
  n = out_map_ties(&k, g, v, 1, 0.001, tied, wx, wy, &best);
  cr_expect_eq(n, 1, "a tighter tolerance: one hottest die");
  n = out_map_ties(&k, g, v, -1, 0.0, tied, wx, wy, &best); /* the lowest: every die at 40 */
  cr_expect_eq(n, 4);
  cr_expect_float_eq(best, 40.0, 1e-12);
  Grid_destroy(g);
}

/* ---- what the figures say (their PDF's text) ------------------------------- */

/* The text of a PDF, whitespace collapsed to single spaces (malloc'ed), or
 * NULL when pdftotext (poppler-utils) is missing. */
static char *pdf_text(const char *pdf) {
  if (system("command -v pdftotext >/dev/null 2>&1") != 0) return NULL;
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "pdftotext -q '%s' - 2>/dev/null", pdf);
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  size_t cap = 1 << 16, n = 0;
  char *t = malloc(cap);
  cr_assert(t);
  int ch, space = 0;
  while ((ch = fgetc(p)) != EOF) {
    if (ch == '\n' || ch == '\t' || ch == '\f' || ch == ' ') {
      space = 1;
      continue;
    }
    if (n + 3 >= cap) cr_assert((t = realloc(t, cap *= 2)));
    if (space && n) t[n++] = ' ';
    space = 0;
    t[n++] = (char)ch;
  }
  t[n] = '\0';
  pclose(p);
  return t;
}

#define SKIP_WITHOUT_PDFTOTEXT(t)                                                      \
  do {                                                                                 \
    if (!(t)) cr_skip_test("pdftotext (poppler-utils) is not installed: the figures' " \
                           "text cannot be read back");                                \
  } while (0)

Test(plots, pump_curve_says_its_limits_points_and_legend) {
  char err[EB_ERRLEN] = "";
  cr_assert_eq(Output_write_loop_figures(&c, Model_registry(), &view, dir, FIGURES_PDF, err,
                                         sizeof err),
               EB_OK, "%s", err);
  char path[512];
  snprintf(path, sizeof path, "%s/pump_curve.pdf", dir);
  char *t = pdf_text(path);
  SKIP_WITHOUT_PDFTOTEXT(t);
  cr_expect(strstr(t, "plot-test: loop pressure drop and pump curves"), "%s", t);
  cr_expect(strstr(t, "25 kW, 100 L/min (4.00 L/min/kW), inlet 21.0 °C"), "%s", t);
  cr_expect(strstr(t, "loop pressure drop") && strstr(t, "2 pumps in parallel") &&
                strstr(t, "one pump lost"),
            "legend: %s", t);
  cr_expect(strstr(t, "pressure drop limit 100 kPa"), "the limit line's label: %s", t);
  cr_expect(strstr(t, "Pressure (kPa)") && strstr(t, "Flow (L/min)"), "%s", t);
  free(t);
  snprintf(path, sizeof path, "%s/coolant_path.pdf", dir);
  t = pdf_text(path);
  cr_expect(strstr(t, "junction limit 85 °C") && strstr(t, "coolant outlet limit 45 °C"), "%s",
            t);
  cr_expect(strstr(t, "Temperature (°C)"), "%s", t);
  /* the inlet is said once (the legend), not twice */
  const char *a = strstr(t, "inlet 21.0 °C");
  cr_assert(a, "%s", t);
  a = strstr(a + 1, "inlet 21.0 °C"); /* the subtitle's, then the legend's */
  cr_expect(a && !strstr(a + 1, "inlet 21.0 °C"), "%s", t);
  free(t);
}

/* A hand-made envelope (the CS-4 searches' shape): the lines, the binding
 * limits, the failures with their reasons (the flow's limits not blamed on
 * the inlet), the references with their meaning. */
static EnvelopePoint env_pts[8];
static EnvelopeTable env_table(int with_25) {
  static const double per_kw[2] = {1.0, 4.0};
  const double powers[2] = {with_25 ? 25.0 : 30.0, 40.0};
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) {
      EnvelopePoint *p = &env_pts[i * 2 + j];
      memset(p, 0, sizeof *p);
      p->power_kw = powers[i];
      p->flow_lpm = powers[i] * per_kw[j];
      p->inlet_max_c = 30.0 - 10.0 * i + 5.0 * j;
      p->found = 1;
      snprintf(p->binding, sizeof p->binding, "%s",
               j ? "connector_shear_strain_max" : "coolant_outlet_max_c");
    }
  EnvelopePoint *f = &env_pts[3]; /* 40 kW at 4 L/min/kW: the flow's own limits */
  f->inlet_max_c = NAN;
  f->found = 0;
  snprintf(f->binding, sizeof f->binding, "-");
  snprintf(f->note, sizeof f->note,
           "limits: no coolant.inlet_c from 21 to the end of its valid range keeps every limit; "
           "pressure_drop_max_kpa, velocity_max_m_s still break at coolant.inlet_c = 6.3");
  EnvelopeTable t;
  memset(&t, 0, sizeof t);
  t.n = 4;
  t.pts = env_pts;
  t.ref_lpm_per_kw = 1.5;
  t.ref_inlet_c = 45.0;
  t.case_lpm_per_kw = 60.0 / 35.0;
  t.case_inlet_c = 21.0;
  snprintf(t.case_label, sizeof t.case_label, "cs4: 35 kW, 60 L/min, 21 C");
  return t;
}

Test(plots, envelope_says_its_lines_limits_failures_and_references) {
  EnvelopeTable t = env_table(1);
  char err[EB_ERRLEN] = "", path[512];
  cr_assert_eq(Output_write_envelope(&t, dir, FIGURES_PDF, err, sizeof err), EB_OK, "%s", err);
  snprintf(path, sizeof path, "%s/envelope.pdf", dir);
  char *s = pdf_text(path);
  SKIP_WITHOUT_PDFTOTEXT(s);
  cr_expect(strstr(s, "25 kW") && strstr(s, "40 kW"), "a legend entry per line: %s", s);
  cr_expect(strstr(s, "coolant_outlet_max_c binds") && strstr(s, "connector_shear_strain_max binds"),
            "a legend entry per binding limit: %s", s);
  cr_expect(strstr(s, "no inlet at 40 kW, 4 L/min/kW"), "the failed point: %s", s);
  /* the pipe velocity is the flow's, not the inlet's; the pressure drop
   * broke only at the cold end the search reached */
  cr_expect(strstr(s, "velocity_max_m_s broken by the 160 L/min flow itself, at any inlet"),
            "the velocity limit is the flow's: %s", s);
  cr_expect(strstr(s, "pressure_drop_max_kpa broken even at a 6.3 °C inlet"), "%s", s);
  cr_expect(!strstr(s, "still break at coolant.inlet_c"), "not blamed on the inlet: %s", s);
  cr_expect(strstr(s, "facility reference") && strstr(s, "45 °C"), "%s", s);
  cr_expect(strstr(s, "cs4: 35 kW, 60 L/min, 21 °C"), "the case's point: %s", s);
  cr_expect(strstr(s, "CS-3 as run"), "a 25 kW line: the CS-3 point means something: %s", s);
  free(s);
  /* no 25 kW line: no CS-3 point */
  t = env_table(0);
  cr_assert_eq(Output_write_envelope(&t, dir, FIGURES_PDF, err, sizeof err), EB_OK, "%s", err);
  s = pdf_text(path);
  cr_expect(!strstr(s, "CS-3"), "the CS-3 point without a 25 kW line: %s", s);
  cr_expect(strstr(s, "30 kW"), "%s", s);
  free(s);
}

/* ---- every figure of the shipped cases, in every format --------------------- */

static const char *bin(void) {
  const char *b = getenv("EBSIM_BIN");
  return b && b[0] ? b : "./ebsim";
}

/* Run ebsim with args; its exit status (0 or 3 are both answers). */
static int ebsim(const char *args) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "'%s' %s >/dev/null 2>&1", bin(), args);
  const int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* dir/name.ext exists, is whole for its format, and no .tmp is left. */
static void check_figure(const char *d, const char *name, const char *ext) {
  char path[700];
  snprintf(path, sizeof path, "%s/%s.%s", d, name, ext);
  FILE *f = fopen(path, "rb");
  cr_assert(f, "%s missing", path);
  fseek(f, 0, SEEK_END);
  const long size = ftell(f);
  cr_assert_gt(size, 2000, "%s: %ld bytes", path, size);
  char head[16] = {0}, tail[64] = {0};
  fseek(f, 0, SEEK_SET);
  cr_assert_eq(fread(head, 1, 8, f), 8);
  fseek(f, size - 32, SEEK_SET);
  const size_t nt = fread(tail, 1, 32, f);
  fclose(f);
  if (!strcmp(ext, "png")) {
    cr_expect_eq(memcmp(head, "\x89PNG\r\n\x1a\n", 8), 0, "%s", path);
    int iend = 0;
    for (size_t i = 0; i + 4 <= nt; i++) iend |= !memcmp(tail + i, "IEND", 4);
    cr_expect(iend, "%s has no IEND: cut short", path);
  } else if (!strcmp(ext, "pdf")) {
    cr_expect_eq(memcmp(head, "%PDF", 4), 0, "%s", path);
    cr_expect(strstr(tail, "%%EOF"), "%s has no %%%%EOF: cut short", path);
  } else {
    cr_expect(strstr(head, "<?xml") || strstr(head, "<svg"), "%s", path);
    cr_expect(strstr(tail, "</svg>"), "%s has no </svg>: cut short", path);
  }
  snprintf(path, sizeof path, "%s/%s.%s.tmp", d, name, ext);
  struct stat sb;
  cr_expect_neq(stat(path, &sb), 0, "%s left behind", path);
}

static const char *const formats[3] = {"png", "pdf", "svg"};

/* A run of case at a coarse grid, its figures redrawn as PDF and SVG; each
 * figure named is there in all three. */
static void run_case_figures(const char *cs, const char *const *names, int n) {
  char d[300], args[1200];
  snprintf(d, sizeof d, "%s/%s", dir, cs);
  snprintf(args, sizeof args, "run cases/%s.yaml --set grid.dx_mm=8 --out '%s/png'", cs, d);
  const int rc = ebsim(args);
  cr_assert(rc == 0 || rc == 3, "%s: exit %d", args, rc);
  for (int f = 1; f < 3; f++) {
    snprintf(args, sizeof args, "plot '%s/png' --figures %s --out '%s/%s'", d, formats[f], d,
             formats[f]);
    cr_assert_eq(ebsim(args), 0, "%s", args);
  }
  for (int f = 0; f < 3; f++) {
    char sub[400];
    snprintf(sub, sizeof sub, "%s/%s", d, formats[f]);
    for (int i = 0; i < n; i++) check_figure(sub, names[i], formats[f]);
  }
}

static const char *const run_figures[] = {
    "wafer_temperature", "heat_flux",   "coolant_temperature", "coolant_path",
    "pump_curve",        "die_voltage", "bricks",              "power_flow",
    "connector_strain",  "edge_slip"};

Test(plots, figures_cs3_every_figure_in_png_pdf_svg, .timeout = 180) {
  run_case_figures("cs3", run_figures, 10);
  /* the map's title and words, read back */
  char path[600];
  snprintf(path, sizeof path, "%s/cs3/pdf/wafer_temperature.pdf", dir);
  char *t = pdf_text(path);
  SKIP_WITHOUT_PDFTOTEXT(t);
  cr_expect(strstr(t, "cs3-baseline: junction temperature"), "%s", t);
  cr_expect(strstr(t, "25 kW, 100 L/min (4.00 L/min/kW), inlet 21.0 °C"), "%s", t);
  cr_expect(strstr(t, "Junction temperature (°C)"), "the colour bar's label: %s", t);
  cr_expect(strstr(t, "inlet 21.0 °C") && strstr(t, "outlet"), "the flow's marks: %s", t);
  cr_expect(strstr(t, "spread") && strstr(t, "rise above the inlet"), "%s", t);
  cr_expect(strstr(t, "Limit ≤ 85 °C"), "%s", t);
  /* the uniform case's hottest dies tie: said as a tie, no die picked */
  cr_expect(strstr(t, "tied in 14 dies"), "%s", t);
  free(t);
  snprintf(path, sizeof path, "%s/cs3/pdf/heat_flux.pdf", dir);
  t = pdf_text(path);
  cr_expect(strstr(t, "Heat flux (W/cm²)") && strstr(t, "Largest heat flux"), "%s", t);
  free(t);
}

Test(plots, figures_cs3_hotspots_every_figure_in_png_pdf_svg, .timeout = 180) {
  run_case_figures("cs3-hotspots", run_figures, 5);
  char path[600];
  snprintf(path, sizeof path, "%s/cs3-hotspots/pdf/wafer_temperature.pdf", dir);
  char *t = pdf_text(path);
  SKIP_WITHOUT_PDFTOTEXT(t);
  /* one hottest die (which hotspot wins depends on the grid): named, no tie */
  cr_expect(strstr(t, "Hottest junction") && strstr(t, ", in die (") && !strstr(t, "tied in"),
            "one hottest die: %s", t);
  free(t);
}

Test(plots, figures_cs4_every_figure_in_png_pdf_svg, .timeout = 180) { run_case_figures("cs4", run_figures, 10); }

Test(plots, figures_sweep_in_png_pdf_svg, .timeout = 180) {
  char args[1200], d[400];
  for (int f = 0; f < 3; f++) {
    snprintf(d, sizeof d, "%s/sweep-%s", dir, formats[f]);
    snprintf(args, sizeof args,
             "sweep cases/cs4.yaml --set grid.dx_mm=8 --param power.total_kw=25,40 --jobs 1 "
             "--figures %s --out '%s'",
             formats[f], d);
    const int rc = ebsim(args);
    cr_assert(rc == 0 || rc == 3, "%s: exit %d", args, rc);
    check_figure(d, "sweep", formats[f]);
  }
  char path[600];
  snprintf(path, sizeof path, "%s/sweep-pdf/sweep.pdf", dir);
  char *t = pdf_text(path);
  SKIP_WITHOUT_PDFTOTEXT(t);
  cr_expect(strstr(t, "cs4: sweep of power.total_kw"), "a title: %s", t);
  cr_expect(strstr(t, "Power of the dies (kW)"), "the key's meaning and unit: %s", t);
  cr_expect(strstr(t, " binds"), "the binding limit's legend: %s", t);
  cr_expect(strstr(t, "limit 85 °C"), "the junction's limit line: %s", t);
  cr_expect(strstr(t, "first to break"), "%s", t);
  free(t);
}

Test(plots, figures_envelope_in_png_pdf_svg, .timeout = 180) {
  char args[1200], d[400];
  for (int f = 0; f < 3; f++) {
    snprintf(d, sizeof d, "%s/env-%s", dir, formats[f]);
    snprintf(args, sizeof args,
             "envelope cases/cs4.yaml --set grid.dx_mm=8 --set limits.psu_load_max_kw= "
             "--set limits.brick_load_max= --set limits.die_voltage_min_v= --power-kw 25,40 "
             "--flow-per-kw 1,4 --figures %s --out '%s'",
             formats[f], d);
    cr_assert_eq(ebsim(args), 0, "%s", args);
    check_figure(d, "envelope", formats[f]);
  }
}

Test(plots, figures_transient_in_png_pdf_svg, .timeout = 180) {
  char args[1200], d[400];
  snprintf(d, sizeof d, "%s/tr", dir);
  snprintf(args, sizeof args,
           "transient cases/cs3.yaml --scenario pump-trip --set grid.dx_mm=8 --out '%s/png'", d);
  const int rc = ebsim(args);
  cr_assert(rc == 0 || rc == 3, "%s: exit %d", args, rc);
  for (int f = 1; f < 3; f++) {
    snprintf(args, sizeof args, "plot '%s/png' --figures %s --out '%s/%s'", d, formats[f], d,
             formats[f]);
    cr_assert_eq(ebsim(args), 0, "%s", args);
  }
  static const char *const names[] = {"transient", "wafer_temperature", "heat_flux",
                                      "coolant_temperature"};
  for (int f = 0; f < 3; f++) {
    char sub[500];
    snprintf(sub, sizeof sub, "%s/%s", d, formats[f]);
    for (int i = 0; i < 4; i++) check_figure(sub, names[i], formats[f]);
  }
}
