/* test_plots.c - the coolant-loop line plots (coolant_path.png,
 * pump_curve.png) from a hand-made result: written, valid PNG, no temporary
 * left behind; missing data (NaN pump curves, empty arrays) is skipped. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/case.h"
#include "output/output.h"
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
  memset(&c, 0, sizeof c);
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
