/* test_output.c - what a run writes: HDF5 layout, types and units, XDMF,
 * JSON; that every writer follows the result registry (the files agree
 * with each other, and a new registered quantity appears in every one). */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/case.h"
#include "geometry/grid.h"
#include "output/out_sweep.h"
#include "output/output.h"
#include "output/output_internal.h"
#include "solver/core/runtime.h"
#include "solver/model.h"

static char dir[256];
static Case c;
static Grid *g;
static Model *model;
static ModelResult r;
static Result view;

/* A coarse CS-3 solve written to a fresh directory; the same result as a
 * one-point sweep beside it. */
static void setup(void) {
  cr_assert_eq(Runtime_init(NULL, NULL), 0);
  char err[EB_ERRLEN];
  const char *sets[] = {"grid.dx_mm=5", "limits.junction_max_c=40"};
  cr_assert_eq(Case_read("cases/cs3.yaml", 2, sets, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Model_create(&model, err, sizeof err), EB_OK);
  cr_assert_eq(Model_solve(model, &c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  g = (Grid *)Model_grid(model);
  ModelResult_view(&r, &view);
  snprintf(dir, sizeof dir, "/tmp/ebsim-out-XXXXXX");
  cr_assert(mkdtemp(dir));
  strcat(dir, "/nested/run"); /* parents are created */
  char *text = Case_dump_string(&c);
  OutputOptions oo = {.dir = dir, .case_text = text, .version = "test", .figures = 0};
  cr_assert_eq(Output_write_all(&c, g, Model_registry(), &view, &oo, err, sizeof err), EB_OK,
               "%s", err);
  free(text);
  SweepParam p;
  cr_assert_eq(Sweep_parse_param("power.total_kw=25", &p, err, sizeof err), EB_OK);
  const char *units[] = {"kW"};
  SweepWriter *w = NULL;
  char sdir[300];
  snprintf(sdir, sizeof sdir, "%s/sweep", dir);
  cr_assert_eq(SweepWriter_create(sdir, Model_registry(), &p, units, 1, 1, &w, err, sizeof err),
               EB_OK, "%s", err);
  int idx[1] = {0};
  cr_assert_eq(SweepWriter_add(w, 0, idx, EB_OK, NULL, &view, g, NULL, err, sizeof err), EB_OK,
               "%s", err);
  cr_assert_eq(SweepWriter_finish(w, FIGURES_NONE, err, sizeof err), EB_OK, "%s", err);
  SweepWriter_destroy(w);
}
static void teardown(void) {
  ModelResult_free(&r);
  Model_destroy(model);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strstr(dir, "/nested") - dir), dir);
  cr_assert_eq(system(cmd), 0);
  Runtime_finalize();
}
TestSuite(output, .init = setup, .fini = teardown, .timeout = 60);

static int missing_units;
static char missing_name[256];
static herr_t check_units(hid_t obj, const char *name, const H5O_info_t *info, void *data) {
  (void)data;
  if (info->type != H5O_TYPE_DATASET) return 0;
  if (H5Aexists_by_name(obj, name, "units", H5P_DEFAULT) <= 0 ||
      H5Aexists_by_name(obj, name, "description", H5P_DEFAULT) <= 0) {
    missing_units++;
    snprintf(missing_name, sizeof missing_name, "%s", name);
  }
  return 0;
}

static double read_at(hid_t f, const char *name, hsize_t idx) {
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  cr_assert(d >= 0, "no dataset %s", name);
  hid_t s = H5Dget_space(d);
  hssize_t n = H5Sget_simple_extent_npoints(s);
  double *buf = malloc((size_t)n * sizeof *buf);
  cr_assert(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
  double v = buf[idx];
  free(buf);
  H5Sclose(s);
  H5Dclose(d);
  return v;
}

/* A variable-length UTF-8 attribute (what h5py reads as str). */
static void read_attr(hid_t obj, const char *name, char *out, size_t n) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  cr_assert(a >= 0, "no attribute %s", name);
  hid_t t = H5Aget_type(a);
  cr_assert(H5Tis_variable_str(t) > 0, "attribute %s is not a variable-length string", name);
  cr_assert_eq(H5Tget_cset(t), H5T_CSET_UTF8, "attribute %s is not UTF-8", name);
  char *v = NULL;
  cr_assert(H5Aread(a, t, &v) >= 0);
  snprintf(out, n, "%s", v ? v : "");
  H5free_memory(v);
  H5Tclose(t);
  H5Aclose(a);
}

Test(output, h5_every_dataset_has_units_and_values_match) {
  char path[400];
  snprintf(path, sizeof path, "%s/result.h5", dir);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert(f >= 0, "cannot open %s", path);
  missing_units = 0;
  H5Ovisit(f, H5_INDEX_NAME, H5_ITER_NATIVE, check_units, NULL);
  cr_assert_eq(missing_units, 0, "%d datasets without units or description, e.g. %s",
               missing_units, missing_name);
  /* 3D temperature in C at a known cell, x fastest */
  int i = 3, j = 5, k = g->k_source;
  hsize_t idx = (hsize_t)Grid_index(g, i, j, k);
  cr_assert_float_eq(read_at(f, "/fields/temperature_c", idx), r.thermal.t_k[idx] - 273.15,
                     1e-12);
  cr_assert_float_eq(read_at(f, "/maps/wafer_temperature_c", (hsize_t)j * g->nx + i),
                     r.thermal.t_wafer_k[(size_t)j * g->nx + i] - 273.15, 1e-12);
  cr_assert_float_eq(read_at(f, "/grid/x_faces_m", (hsize_t)g->nx), c.wafer_size_m, 1e-15);
  cr_assert_float_eq(read_at(f, "/dies/die_t_max_c", 83), r.thermal.dies[83].t_max_k - 273.15,
                     1e-12);
  cr_assert_float_eq(read_at(f, "/dies/die_column", 83), 12.0, 0.0);
  cr_assert_float_eq(read_at(f, "/summary/power_w", 0), 25000.0, 1e-6);
  char units[32];
  hid_t d = H5Dopen2(f, "/fields/temperature_c", H5P_DEFAULT);
  read_attr(d, "units", units, sizeof units);
  cr_assert_str_eq(units, "C");
  H5Dclose(d);
  read_attr(f, "case_name", units, sizeof units);
  cr_assert_str_eq(units, "cs3-baseline");
  H5Fclose(f);
}

/* Counts are integers, flags booleans (h5py's enum), text UTF-8 strings;
 * the layer names sit beside layer_of_z_cell; each limit's ok is data. */
Test(output, h5_types_layers_and_limits) {
  char path[400];
  snprintf(path, sizeof path, "%s/result.h5", dir);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert(f >= 0);
  const char *counts[] = {"/summary/cells", "/summary/nonlinear_iterations",
                          "/summary/linear_iterations", "/summary/t_max_die_column",
                          "/summary/t_max_die_row", "/grid/layer_of_z_cell", "/dies/die_row"};
  const long long want[] = {r.thermal.cells, r.thermal.nonlinear_iters, r.thermal.linear_iters,
                            r.thermal.t_max_die_col + 1, r.thermal.t_max_die_row + 1, 0, 1};
  for (size_t q = 0; q < sizeof counts / sizeof counts[0]; q++) {
    hid_t ds = H5Dopen2(f, counts[q], H5P_DEFAULT);
    cr_assert(ds >= 0, "no %s", counts[q]);
    hid_t t = H5Dget_type(ds);
    cr_expect_eq(H5Tget_class(t), H5T_INTEGER, "%s is not an integer", counts[q]);
    hid_t sp = H5Dget_space(ds);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    long long *v = malloc((size_t)n * sizeof *v);
    cr_assert(H5Dread(ds, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    cr_expect_eq(v[0], want[q], "%s = %lld, want %lld", counts[q], v[0], want[q]);
    free(v);
    H5Sclose(sp);
    H5Tclose(t);
    H5Dclose(ds);
  }
  const char *flags[] = {"/summary/flow_from_pumps", "/summary/all_limits_ok",
                         "/limits/junction_max_c/ok", "/limits/pressure_drop_max_kpa/ok"};
  const int flag_want[] = {0, 0, 0, 1};
  for (size_t q = 0; q < sizeof flags / sizeof flags[0]; q++) {
    hid_t ds = H5Dopen2(f, flags[q], H5P_DEFAULT);
    cr_assert(ds >= 0, "no %s", flags[q]);
    hid_t t = H5Dget_type(ds);
    cr_assert_eq(H5Tget_class(t), H5T_ENUM, "%s is not a boolean enum", flags[q]);
    cr_assert_eq(H5Tget_nmembers(t), 2);
    char *m0 = H5Tget_member_name(t, 0), *m1 = H5Tget_member_name(t, 1);
    cr_expect(!strcmp(m0, "FALSE") && !strcmp(m1, "TRUE"), "%s members %s %s", flags[q], m0, m1);
    H5free_memory(m0);
    H5free_memory(m1);
    signed char b = -1;
    hid_t mt = H5Tget_native_type(t, H5T_DIR_ASCEND);
    cr_assert(H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &b) >= 0);
    cr_expect_eq(b, flag_want[q], "%s", flags[q]);
    H5Tclose(mt);
    H5Tclose(t);
    H5Dclose(ds);
  }
  /* text: variable-length UTF-8 */
  const char *texts[] = {"/summary/case", "/grid/layer_names", "/case/resolved_yaml",
                         "/limits/junction_max_c/quantity"};
  for (size_t q = 0; q < sizeof texts / sizeof texts[0]; q++) {
    hid_t ds = H5Dopen2(f, texts[q], H5P_DEFAULT);
    cr_assert(ds >= 0, "no %s", texts[q]);
    hid_t t = H5Dget_type(ds);
    cr_expect(H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0 &&
                  H5Tget_cset(t) == H5T_CSET_UTF8,
              "%s is not variable-length UTF-8", texts[q]);
    H5Tclose(t);
    H5Dclose(ds);
  }
  /* the layer names: one per layer of the case, indexed by layer_of_z_cell */
  hid_t ds = H5Dopen2(f, "/grid/layer_names", H5P_DEFAULT);
  hid_t sp = H5Dget_space(ds);
  cr_assert_eq(H5Sget_simple_extent_npoints(sp), c.n_layers);
  char *names[CASE_MAX_LAYERS] = {0};
  hid_t t = H5Dget_type(ds);
  cr_assert(H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
  cr_expect_str_eq(names[0], "cold_plate");
  cr_expect_str_eq(names[c.n_layers - 1], "bricks");
  H5Dvlen_reclaim(t, sp, H5P_DEFAULT, names);
  H5Tclose(t);
  H5Sclose(sp);
  H5Dclose(ds);
  /* the limit bounds t_max_c in C, its value is the result's */
  cr_assert_float_eq(read_at(f, "/limits/junction_max_c/value", 0), r.thermal.t_max_k - 273.15,
                     1e-12);
  cr_assert_float_eq(read_at(f, "/limits/junction_max_c/limit", 0), 40.0, 1e-9);
  H5Fclose(f);
}

Test(output, summary_json_has_the_keys_and_limits) {
  char path[400];
  snprintf(path, sizeof path, "%s/summary.json", dir);
  json_error_t je;
  json_t *o = json_load_file(path, 0, &je);
  cr_assert(o, "%s: %s", path, je.text);
  const char *keys[] = {"case", "t_max_c", "t_max_die_column", "t_max_x_mm", "t_mean_wafer_c",
                        "power_w", "coolant_inlet_c", "coolant_outlet_c", "coolant_flow_lpm",
                        "lpm_per_kw", "heat_to_coolant_w", "energy_balance_rel_error",
                        "heat_flux_mean_w_cm2", "heat_flux_max_w_cm2", "cells", "solve_seconds",
                        "channel_velocity_max_m_s", "pipe_velocity_m_s", "velocity_max_m_s",
                        "limits", "units", "warnings"};
  for (size_t q = 0; q < sizeof keys / sizeof keys[0]; q++)
    cr_expect(json_object_get(o, keys[q]), "summary.json lacks %s", keys[q]);
  cr_expect(!json_object_get(o, "h_mean_w_m2k"), "one name per value");
  cr_assert_float_eq(json_real_value(json_object_get(o, "lpm_per_kw")), 4.0, 1e-9);
  cr_assert_eq(json_integer_value(json_object_get(o, "t_max_die_column")),
               r.thermal.t_max_die_col + 1);
  json_t *lim = json_object_get(json_object_get(o, "limits"), "junction_max_c");
  cr_assert(lim, "no junction limit");
  cr_assert(json_is_false(json_object_get(lim, "ok")), "junction at 40 C must be broken");
  cr_assert_float_eq(json_real_value(json_object_get(lim, "limit")), 40.0, 1e-9);
  cr_assert_str_eq(json_string_value(json_object_get(lim, "quantity")), "t_max_c");
  json_t *vel = json_object_get(json_object_get(o, "limits"), "velocity_max_m_s");
  cr_assert_str_eq(json_string_value(json_object_get(vel, "quantity")), "velocity_max_m_s");
  double vmax = json_real_value(json_object_get(o, "velocity_max_m_s"));
  cr_assert_float_eq(vmax,
                     fmax(json_real_value(json_object_get(o, "channel_velocity_max_m_s")),
                          json_real_value(json_object_get(o, "pipe_velocity_m_s"))),
                     1e-12, "the velocity limit checks the larger of channel and pipe");
  cr_assert(json_is_false(json_object_get(o, "all_limits_ok")));
  json_decref(o);
}

/* One CSV line split at commas outside quotes. */
static int csv_split(char *line, char **cells, int cap) {
  int n = 0, quoted = 0;
  char *start = line;
  for (char *p = line;; p++) {
    if (*p == '"') quoted = !quoted;
    if ((*p == ',' && !quoted) || *p == '\n' || *p == '\0') {
      int end = *p == '\0' || *p == '\n';
      *p = '\0';
      if (n < cap) cells[n++] = start;
      start = p + 1;
      if (end) break;
    }
  }
  return n;
}

/* The registry-driven files agree: every summary.json value is a column of
 * sweep.csv (same value to its 10 digits, same unit in the header), a
 * dataset of result.h5 (same value, same units attribute) and a column of
 * sweep.h5's table. */
Test(output, summary_json_sweep_csv_and_h5_agree) {
  char path[400], line[65536], *head[512], *row[512];
  snprintf(path, sizeof path, "%s/summary.json", dir);
  json_error_t je;
  json_t *o = json_load_file(path, 0, &je);
  cr_assert(o);
  json_t *units = json_object_get(o, "units");
  snprintf(path, sizeof path, "%s/sweep/sweep.csv", dir);
  FILE *csv = fopen(path, "r");
  cr_assert(csv);
  static char hl[65536];
  cr_assert(fgets(hl, sizeof hl, csv) && fgets(line, sizeof line, csv));
  fclose(csv);
  int nh = csv_split(hl, head, 512), nr = csv_split(line, row, 512);
  cr_assert_eq(nh, nr, "header %d cells, row %d", nh, nr);
  snprintf(path, sizeof path, "%s/result.h5", dir);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  snprintf(path, sizeof path, "%s/sweep/sweep.h5", dir);
  hid_t fs = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert(f >= 0 && fs >= 0);
  const char *key;
  json_t *val;
  int checked = 0;
  json_object_foreach(units, key, val) {
    const char *unit = json_string_value(val);
    const ResultEntry *e = Registry_find(Model_registry(), key);
    cr_assert(e, "summary.json key %s is not registered", key);
    /* sweep.csv: a column "key (unit)" */
    char want[200];
    snprintf(want, sizeof want, "%s (%s)", key, unit);
    int col = -1;
    for (int q = 0; q < nh; q++)
      if (!strcmp(head[q], want)) col = q;
    cr_assert(col >= 0, "sweep.csv has no column %s", want);
    /* result.h5: /group/key with the same units */
    char h5name[200], h5unit[64];
    snprintf(h5name, sizeof h5name, "/%s/%s", e->group, key);
    hid_t d = H5Dopen2(f, h5name, H5P_DEFAULT);
    cr_assert(d >= 0, "result.h5 has no %s", h5name);
    read_attr(d, "units", h5unit, sizeof h5unit);
    cr_expect_str_eq(h5unit, unit, "%s: units %s in result.h5, %s in summary.json", key, h5unit,
                     unit);
    H5Dclose(d);
    snprintf(h5name, sizeof h5name, "/table/%s", key);
    cr_assert(H5Lexists(fs, h5name, H5P_DEFAULT) > 0, "sweep.h5 has no %s", h5name);
    json_t *jv = json_object_get(o, key);
    if (json_is_number(jv)) {
      double vj = json_number_value(jv);
      snprintf(h5name, sizeof h5name, "/%s/%s", e->group, key);
      double vh = read_at(f, h5name, 0);
      double vc = strtod(row[col], NULL);
      cr_expect(fabs(vh - vj) <= 1e-9 * fmax(1.0, fabs(vj)), "%s: h5 %.12g json %.12g", key, vh, vj);
      cr_expect(fabs(vc - vj) <= 1e-8 * fmax(1.0, fabs(vj)), "%s: csv %.12g json %.12g", key, vc,
                vj);
      checked++;
    } else if (json_is_boolean(jv)) {
      cr_expect_str_eq(row[col], json_is_true(jv) ? "true" : "false", "%s", key);
    } else if (json_is_string(jv)) {
      char q[300];
      snprintf(q, sizeof q, "\"%s\"", json_string_value(jv));
      cr_expect_str_eq(row[col], q, "%s", key);
    }
  }
  cr_assert_gt(checked, 30, "only %d numeric values compared", checked);
  /* the swept value as a number column with the key's unit */
  cr_assert_float_eq(read_at(fs, "/table/swept/power.total_kw", 0), 25.0, 0.0);
  H5Fclose(f);
  H5Fclose(fs);
  json_decref(o);
}

Test(output, xdmf_points_at_the_h5_with_node_dimensions) {
  char path[400], text[8192];
  snprintf(path, sizeof path, "%s/result.xdmf", dir);
  FILE *f = fopen(path, "r");
  cr_assert(f);
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  char want[128];
  snprintf(want, sizeof want, "Dimensions=\"%d %d %d\"", g->nz + 1, g->ny + 1, g->nx + 1);
  cr_assert(strstr(text, want), "no topology %s", want);
  cr_assert(strstr(text, "result.h5:/fields/temperature_c"));
  cr_assert(strstr(text, "result.h5:/maps/coolant_temperature_c"));
  cr_assert(strstr(text, "result.h5:/grid/x_faces_m"));
  cr_assert(!strstr(text, dir), "the XDMF must reference the h5 by a relative name");
}

Test(output, uncreatable_directory_is_input_error) {
  char err[EB_ERRLEN], bad[400];
  snprintf(bad, sizeof bad, "%s/summary.json/sub", dir); /* under a regular file */
  OutputOptions oo = {.dir = bad, .case_text = "", .version = "test", .figures = 0};
  cr_assert_eq(Output_write_all(&c, g, Model_registry(), &view, &oo, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "summary.json"), "%s", err);
  cr_assert_eq(Output_prepare_dir(bad, err, sizeof err), EB_EINPUT);
}

/* When HDF5 cannot create the file, the message names the file and carries
 * HDF5's own reason (here: the temporary name is taken by a directory). */
Test(output, h5_failure_says_why) {
  char err[EB_ERRLEN], blocker[400];
  snprintf(blocker, sizeof blocker, "%s/result.h5.tmp", dir);
  cr_assert_eq(mkdir(blocker, 0777), 0);
  OutputOptions oo = {.dir = dir, .case_text = "", .version = "test", .figures = 0};
  cr_assert_eq(Output_write_all(&c, g, Model_registry(), &view, &oo, err, sizeof err), EB_EFAIL);
  cr_expect(strstr(err, "result.h5.tmp") && strstr(err, "Is a directory"), "%s", err);
  rmdir(blocker);
}

/* The plot reader gives back what was written, through the registry both
 * ways: every single value, table column and map (3D fields are not read). */
Test(output, reader_round_trip) {
  char path[400], err[EB_ERRLEN];
  snprintf(path, sizeof path, "%s/result.h5", dir);
  static Case c2;
  Grid *g2 = NULL;
  Result back;
  const Registry *reg = Model_registry();
  cr_assert_eq(Output_read_result(path, &c2, &g2, reg, &back, err, sizeof err), EB_OK, "%s", err);
  cr_assert(Grid_same(g, g2));
  const size_t ncol = (size_t)g->nx * g->ny;
  int n = 0;
  for (int i = 0; i < Registry_size(reg); i++) {
    const ResultEntry *e = Registry_at(reg, i);
    if (!Result_has(&view, e) || e->kind == RES_FIELD) continue;
    cr_assert(Result_has(&back, e), "%s not read back", e->name);
    if (e->kind == RES_SCALAR || e->kind == RES_COUNT || e->kind == RES_FLAG) {
      double a = Result_number(&view, e), b = Result_number(&back, e);
      cr_expect((isnan(a) && isnan(b)) || fabs(a - b) <= 1e-12 * fmax(1.0, fabs(a)),
                "%s: %.15g -> %.15g", e->name, a, b);
    } else if (e->kind == RES_TEXT) {
      cr_expect_str_eq(Result_text(&back, e), Result_text(&view, e), "%s", e->name);
    } else if (e->kind == RES_COLUMN) {
      cr_assert_eq(Result_rows(&back, e), Result_rows(&view, e), "%s", e->name);
      for (int q = 0; q < Result_rows(&view, e); q++) {
        double a = Result_cell(&view, e, q), b = Result_cell(&back, e, q);
        cr_expect((isnan(a) && isnan(b)) || fabs(a - b) <= 1e-12 * fmax(1.0, fabs(a)),
                  "%s[%d]: %.15g -> %.15g", e->name, q, a, b);
      }
    } else if (e->kind == RES_MAP) {
      const double *a = Result_array(&view, e), *b = Result_array(&back, e);
      for (size_t q = 0; q < ncol; q++)
        cr_expect(fabs(a[q] - b[q]) <= 1e-12 * fmax(1.0, fabs(a[q])), "%s[%zu]", e->name, q);
    }
    n++;
  }
  cr_assert_gt(n, 50, "only %d entries compared", n);
  const LimitsResult *l = back.part[RESULT_LIMITS];
  cr_assert_eq(l->n, r.limits.n);
  cr_assert_eq(l->checks[0].ok, r.limits.checks[0].ok);
  Output_result_free(reg, &back);
  Grid_destroy(g2);
}

/* ---- a new registered quantity reaches every output ----------------------------------- */

typedef struct {
  double widget_k;
  int n_widgets;
  double *map;
} Extra;

static const ResultEntry extra_entries[] = {
    {"widget_c", "C", "temperature of the widget (a test quantity)", .kind = RES_SCALAR,
     .part = RESULT_THERMAL, .group = "summary", .off = offsetof(Extra, widget_k), .scale = 1.0,
     .shift = -273.15},
    {"widgets", "1", "number of widgets", .kind = RES_COUNT, .part = RESULT_THERMAL,
     .group = "summary", .off = offsetof(Extra, n_widgets)},
    {"widget_map_c", "C", "widget map", .kind = RES_MAP, .part = RESULT_THERMAL, .group = "maps",
     .off = offsetof(Extra, map), .scale = 1.0, .shift = -273.15},
};
static const ResultTable extra_table = {RESULT_THERMAL, sizeof(Extra), extra_entries, 3};

/* Adding a quantity is a registry entry (and its value): it then appears in
 * summary.json, result.h5, sweep.csv and sweep.h5, the console report and
 * the output reference, with no writer edited. */
Test(output, a_new_entry_appears_everywhere) {
  const ResultTable *tables[] = {&extra_table};
  Registry reg = {tables, 1};
  char err[EB_ERRLEN];
  cr_assert_eq(Registry_check(&reg, err, sizeof err), 0, "%s", err);
  const size_t ncol = (size_t)g->nx * g->ny;
  Extra x = {.widget_k = 300.15, .n_widgets = 7, .map = calloc(ncol, sizeof(double))};
  Result rv = {0};
  rv.part[RESULT_THERMAL] = &x;
  char sub[300], path[400], text[65536];
  snprintf(sub, sizeof sub, "%s/extra", dir);
  OutputOptions oo = {.dir = sub, .case_text = "", .version = "test", .figures = 0};
  cr_assert_eq(Output_write_all(&c, g, &reg, &rv, &oo, err, sizeof err), EB_OK, "%s", err);
  snprintf(path, sizeof path, "%s/summary.json", sub);
  FILE *f = fopen(path, "r");
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  cr_expect(strstr(text, "\"widget_c\": 27") && strstr(text, "\"widgets\": 7"), "%s", text);
  snprintf(path, sizeof path, "%s/result.h5", sub);
  hid_t h = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_expect_float_eq(read_at(h, "/summary/widget_c", 0), 27.0, 1e-9);
  cr_expect(H5Lexists(h, "/maps/widget_map_c", H5P_DEFAULT) > 0);
  H5Fclose(h);
  /* the sweep table */
  SweepParam p;
  cr_assert_eq(Sweep_parse_param("power.total_kw=25", &p, err, sizeof err), EB_OK);
  SweepWriter *w = NULL;
  snprintf(sub, sizeof sub, "%s/extra-sweep", dir);
  cr_assert_eq(SweepWriter_create(sub, &reg, &p, NULL, 1, 1, &w, err, sizeof err), EB_OK);
  int idx[1] = {0};
  cr_assert_eq(SweepWriter_add(w, 0, idx, EB_OK, NULL, &rv, g, NULL, err, sizeof err), EB_OK);
  cr_assert_eq(SweepWriter_finish(w, FIGURES_NONE, err, sizeof err), EB_OK);
  SweepWriter_destroy(w);
  snprintf(path, sizeof path, "%s/sweep.csv", sub);
  f = fopen(path, "r");
  n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  cr_expect(strstr(text, "widget_c (C)") && strstr(text, ",27,7"), "%s", text);
  snprintf(path, sizeof path, "%s/sweep.h5", sub);
  h = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_expect_float_eq(read_at(h, "/table/widget_c", 0), 27.0, 1e-9);
  H5Fclose(h);
  /* the report and the docs */
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  Output_report(m, &c, &reg, &rv);
  fclose(m);
  cr_expect(strstr(buf, "widget_c") && strstr(buf, "27 C"), "%s", buf);
  free(buf);
  m = open_memstream(&buf, &len);
  Output_reference_markdown(&reg, m);
  fclose(m);
  cr_expect(strstr(buf, "`widget_c` | C | scalar | temperature of the widget"), "%s", buf);
  free(buf);
  free(x.map);
}

/* docs/output-reference.md is the registry's (regenerate it with
 * `./ebsim outputs --markdown > docs/output-reference.md`). */
Test(output, output_reference_is_current) {
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  cr_assert_eq(Output_reference_markdown(Model_registry(), m), EB_OK);
  fclose(m);
  FILE *f = fopen("docs/output-reference.md", "r");
  cr_assert(f, "docs/output-reference.md missing (run from the repository root)");
  char *doc = calloc(len + 2, 1);
  size_t n = fread(doc, 1, len + 1, f);
  fclose(f);
  cr_expect(n == len && !memcmp(doc, buf, len),
            "docs/output-reference.md is stale: regenerate it with "
            "`./ebsim outputs --markdown > docs/output-reference.md`");
  free(doc);
  free(buf);
}

/* The registry itself: unique names, units, descriptions, kinds that fit. */
Test(output, registry_is_consistent) {
  char err[EB_ERRLEN];
  cr_assert_eq(Registry_check(Model_registry(), err, sizeof err), 0, "%s", err);
  for (int i = 0; i < Limits_count(); i++)
    cr_expect(Registry_find(Model_registry(), Limits_info(i)->quantity),
              "limit %s bounds an unregistered quantity", Limits_info(i)->name);
}

/* A file is renamed into place only when it is whole: an empty file, or a
 * figure without its end marker (what PLplot's cairo drivers leave on a
 * full disk, saying nothing), is refused, its temporary removed, and the
 * message asks whether the disk is full; a whole PNG passes. */
Test(output, commit_refuses_incomplete_files) {
  char dir[] = "/tmp/ebsim-commit-XXXXXX", path[256], err[EB_ERRLEN];
  cr_assert(mkdtemp(dir));
  static const unsigned char head[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  static const unsigned char iend[] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
  const char *names[] = {"cut.png", "empty.csv", "whole.png"};
  for (int k = 0; k < 3; k++) {
    snprintf(path, sizeof path, "%s/%s.tmp", dir, names[k]);
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    if (k != 1) fwrite(head, 1, sizeof head, f);
    if (k == 2) fwrite(iend, 1, sizeof iend, f);
    fclose(f);
    const int rc = out_commit(dir, names[k], err, sizeof err);
    snprintf(path, sizeof path, "%s/%s", dir, names[k]);
    struct stat sb;
    const int final_exists = stat(path, &sb) == 0;
    snprintf(path, sizeof path, "%s/%s.tmp", dir, names[k]);
    const int tmp_exists = stat(path, &sb) == 0;
    if (k < 2) {
      cr_expect_eq(rc, EB_EFAIL, "%s accepted", names[k]);
      cr_expect(strstr(err, "disk full") && strstr(err, names[k]), "%s", err);
      cr_expect(!final_exists && !tmp_exists, "%s left behind", names[k]);
    } else {
      cr_expect_eq(rc, EB_OK, "%s", err);
      cr_expect(final_exists && !tmp_exists);
    }
  }
  snprintf(path, sizeof path, "rm -rf '%s'", dir);
  cr_assert_eq(system(path), 0);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  cr_assert(f, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = calloc((size_t)n + 1, 1);
  cr_assert(s && fread(s, 1, (size_t)n, f) == (size_t)n);
  fclose(f);
  return s;
}

/* A point saved to its file and read back (what a killed sweep keeps and
 * --resume or a worker's parent reads) gives the same row as the point
 * added in memory: every column, the map, the failed point's reason. */
Test(output, saved_points_read_back_whole) {
  char err[EB_ERRLEN], da[320], db[320];
  SweepParam p;
  cr_assert_eq(Sweep_parse_param("power.total_kw=25,30", &p, err, sizeof err), EB_OK);
  const char *units[] = {"kW"};
  snprintf(da, sizeof da, "%s/direct", dir);
  snprintf(db, sizeof db, "%s/saved", dir);
  SweepWriter *a = NULL, *b = NULL, *b2 = NULL;
  cr_assert_eq(SweepWriter_create(da, Model_registry(), &p, units, 1, 2, &a, err, sizeof err), 0);
  cr_assert_eq(SweepWriter_create(db, Model_registry(), &p, units, 1, 2, &b, err, sizeof err), 0);
  int idx0[1] = {0}, idx1[1] = {1};
  cr_assert_eq(SweepWriter_add(a, 0, idx0, EB_OK, NULL, &view, g, NULL, err, sizeof err), 0);
  cr_assert_eq(SweepWriter_add(a, 1, idx1, EB_EFAIL, "no convergence", NULL, NULL, NULL, err,
                               sizeof err), 0);
  size_t kept = 9, discarded = 9;
  cr_assert_eq(SweepWriter_begin(b, "id one\n", 0, &kept, &discarded, err, sizeof err), 0, "%s",
               err);
  cr_assert(kept == 0 && discarded == 0);
  cr_assert(!SweepWriter_is_saved(b, 0));
  cr_assert_eq(SweepWriter_save(b, 0, EB_OK, NULL, &view, g, err, sizeof err), 0, "%s", err);
  cr_assert_eq(SweepWriter_save(b, 1, EB_EFAIL, "no convergence", NULL, NULL, err, sizeof err), 0);
  cr_assert(SweepWriter_is_saved(b, 0) && SweepWriter_is_saved(b, 1));
  cr_assert_eq(SweepWriter_saved_count(b), 2);
  SweepWriter_destroy(b); /* as if killed: the points stay */
  /* another identity refuses to resume them, and says what differs */
  cr_assert_eq(SweepWriter_create(db, Model_registry(), &p, units, 1, 2, &b2, err, sizeof err), 0);
  cr_assert_eq(SweepWriter_begin(b2, "id two\n", 1, &kept, &discarded, err, sizeof err),
               EB_EINPUT);
  cr_assert(strstr(err, "it ran id one; this one runs id two"), "%s", err);
  cr_assert_eq(SweepWriter_begin(b2, "id one\n", 1, &kept, &discarded, err, sizeof err), 0);
  cr_assert(kept == 2 && discarded == 0, "kept %zu discarded %zu", kept, discarded);
  cr_assert_eq(SweepWriter_load(b2, 0, NULL, err, sizeof err), 0, "%s", err);
  cr_assert_eq(SweepWriter_load(b2, 1, NULL, err, sizeof err), 0, "%s", err);
  cr_assert_eq(SweepWriter_failed(b2), 1);
  cr_assert_eq(SweepWriter_finish(a, FIGURES_NONE, err, sizeof err), 0, "%s", err);
  cr_assert_eq(SweepWriter_finish(b2, FIGURES_NONE, err, sizeof err), 0, "%s", err);
  SweepWriter_destroy(a);
  SweepWriter_destroy(b2);
  char pa[400], pb[400];
  snprintf(pa, sizeof pa, "%s/sweep.csv", da);
  snprintf(pb, sizeof pb, "%s/sweep.csv", db);
  char *ca = slurp(pa), *cb = slurp(pb);
  cr_assert_str_eq(ca, cb);
  cr_assert(strstr(cb, "failed: no convergence"), "%s", cb);
  free(ca);
  free(cb);
  /* the numbers at full precision and the map, in sweep.h5 */
  snprintf(pa, sizeof pa, "%s/sweep.h5", da);
  snprintf(pb, sizeof pb, "%s/sweep.h5", db);
  hid_t fa = H5Fopen(pa, H5F_ACC_RDONLY, H5P_DEFAULT), fb = H5Fopen(pb, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert(fa >= 0 && fb >= 0);
  double ta[2], tb[2];
  cr_assert_eq(out_h5_read_numbers(fa, "table/t_max_c", ta, 2), 0);
  cr_assert_eq(out_h5_read_numbers(fb, "table/t_max_c", tb, 2), 0);
  cr_assert(ta[0] == tb[0] && isnan(tb[1]), "%.17g %.17g", ta[0], tb[0]);
  cr_assert_gt(H5Lexists(fb, "points/point_0001", H5P_DEFAULT), 0);
  long na = out_h5_length(fa, "points/point_0001/wafer_temperature_c");
  cr_assert(na > 0 && na == out_h5_length(fb, "points/point_0001/wafer_temperature_c"));
  H5Fclose(fa);
  H5Fclose(fb);
  /* done: the saved points are gone */
  snprintf(pb, sizeof pb, "%s/" SWEEP_POINTS_DIR, db);
  cr_assert(access(pb, F_OK) != 0, "%s was left behind", pb);
}
