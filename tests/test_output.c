/* test_output.c - what a run writes: HDF5 layout and units, XDMF, JSON. */
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
#include "output/output.h"
#include "solver/core/limits.h"
#include "solver/core/runtime.h"
#include "solver/thermal/thermal.h"

static char dir[256];
static Case c;
static Grid *g;
static ThermalResult r;
static LimitCheck limits[LIMITS_MAX];
static int n_limits;

/* A coarse CS-3 solve written to a fresh directory. */
static void setup(void) {
  cr_assert_eq(Runtime_init(NULL, NULL), 0);
  char err[EB_ERRLEN];
  const char *sets[] = {"grid.dx_mm=5", "limits.junction_max_c=40"};
  cr_assert_eq(Case_read("cases/cs3.yaml", 2, sets, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Grid_create(&c, &g, err, sizeof err), EB_OK, "%s", err);
  ThermalOptions o = {0};
  cr_assert_eq(Thermal_solve(&c, g, &o, &r, err, sizeof err), EB_OK, "%s", err);
  n_limits = Limits_evaluate(&c, &r, limits);
  snprintf(dir, sizeof dir, "/tmp/ebsim-out-XXXXXX");
  cr_assert(mkdtemp(dir));
  strcat(dir, "/nested/run"); /* parents are created */
  OutputOptions oo = {.dir = dir, .case_text = "name: x\n", .version = "test", .figures = 0};
  cr_assert_eq(Output_write_all(&c, g, &r, limits, n_limits, &oo, err, sizeof err), EB_OK, "%s",
               err);
}
static void teardown(void) {
  ThermalResult_free(&r);
  Grid_destroy(g);
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
  if (H5Aexists_by_name(obj, name, "units", H5P_DEFAULT) <= 0) {
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

Test(output, h5_every_dataset_has_units_and_values_match) {
  char path[400];
  snprintf(path, sizeof path, "%s/result.h5", dir);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert(f >= 0, "cannot open %s", path);
  missing_units = 0;
  H5Ovisit(f, H5_INDEX_NAME, H5_ITER_NATIVE, check_units, NULL);
  cr_assert_eq(missing_units, 0, "%d datasets without units, e.g. %s", missing_units,
               missing_name);
  /* 3D temperature in C at a known cell, x fastest */
  int i = 3, j = 5, k = g->k_source;
  hsize_t idx = (hsize_t)Grid_index(g, i, j, k);
  cr_assert_float_eq(read_at(f, "/fields/temperature_c", idx), r.t_k[idx] - 273.15, 1e-12);
  cr_assert_float_eq(read_at(f, "/maps/wafer_temperature_c", (hsize_t)j * g->nx + i),
                     r.t_wafer_k[(size_t)j * g->nx + i] - 273.15, 1e-12);
  cr_assert_float_eq(read_at(f, "/grid/x_faces_m", (hsize_t)g->nx), c.wafer_size_m, 1e-15);
  cr_assert_float_eq(read_at(f, "/dies/t_max_c", 83), r.dies[83].t_max_k - 273.15, 1e-12);
  cr_assert_float_eq(read_at(f, "/summary/power_w", 0), 25000.0, 1e-6);
  /* the units of the temperature field are C */
  hid_t d = H5Dopen2(f, "/fields/temperature_c", H5P_DEFAULT);
  hid_t a = H5Aopen(d, "units", H5P_DEFAULT);
  hid_t t = H5Aget_type(a);
  char units[16] = "";
  H5Aread(a, t, units);
  cr_assert_str_eq(units, "C");
  H5Tclose(t);
  H5Aclose(a);
  H5Dclose(d);
  H5Fclose(f);
}

Test(output, summary_json_has_the_keys_and_limits) {
  char path[400];
  snprintf(path, sizeof path, "%s/summary.json", dir);
  json_error_t je;
  json_t *o = json_load_file(path, 0, &je);
  cr_assert(o, "%s: %s", path, je.text);
  const char *keys[] = {"case", "t_max_c", "t_max_die", "t_max_xy_mm", "t_mean_wafer_c",
                        "power_w", "coolant_inlet_c", "coolant_outlet_c", "coolant_flow_lpm",
                        "lpm_per_kw", "heat_to_coolant_w", "energy_balance_rel_error",
                        "heat_flux_mean_w_cm2", "heat_flux_max_w_cm2", "cells", "solve_seconds",
                        "limits"};
  for (size_t q = 0; q < sizeof keys / sizeof keys[0]; q++)
    cr_expect(json_object_get(o, keys[q]), "summary.json lacks %s", keys[q]);
  cr_assert_float_eq(json_real_value(json_object_get(o, "lpm_per_kw")), 4.0, 1e-9);
  json_t *die = json_object_get(o, "t_max_die");
  cr_assert_eq(json_integer_value(json_array_get(die, 0)), r.t_max_die_col + 1);
  json_t *lim = json_object_get(json_object_get(o, "limits"), "junction_max_c");
  cr_assert(lim, "no junction limit");
  cr_assert(json_is_false(json_object_get(lim, "ok")), "junction at 40 C must be broken");
  cr_assert_float_eq(json_real_value(json_object_get(lim, "limit")), 40.0, 1e-9);
  cr_assert(json_is_false(json_object_get(o, "all_limits_ok")));
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
  cr_assert(strstr(text, "result.h5:/grid/x_faces_m"));
  cr_assert(!strstr(text, dir), "the XDMF must reference the h5 by a relative name");
}

Test(output, uncreatable_directory_is_input_error) {
  char err[EB_ERRLEN], bad[400];
  snprintf(bad, sizeof bad, "%s/summary.json/sub", dir); /* under a regular file */
  OutputOptions oo = {.dir = bad, .case_text = "", .version = "test", .figures = 0};
  cr_assert_eq(Output_write_all(&c, g, &r, limits, n_limits, &oo, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "summary.json"), "%s", err);
}

/* Counts are integers in HDF5 (a reader must not get 8000.0 cells), with the
 * value of the result. */
Test(output, h5_counts_are_integers) {
  char path[400];
  snprintf(path, sizeof path, "%s/result.h5", dir);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert(f >= 0, "cannot open %s", path);
  const char *names[] = {"/summary/cells", "/summary/nonlinear_iterations",
                         "/summary/linear_iterations", "/summary/t_max_die_column",
                         "/summary/t_max_die_row"};
  const long long want[] = {(long long)r.cells, r.nonlinear_iters, r.linear_iters,
                            r.t_max_die_col + 1, r.t_max_die_row + 1};
  for (size_t q = 0; q < sizeof names / sizeof names[0]; q++) {
    hid_t d = H5Dopen2(f, names[q], H5P_DEFAULT);
    cr_assert(d >= 0, "no %s", names[q]);
    hid_t t = H5Dget_type(d);
    cr_expect_eq(H5Tget_class(t), H5T_INTEGER, "%s is not an integer", names[q]);
    long long v = -1;
    cr_assert(H5Dread(d, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) >= 0);
    cr_expect_eq(v, want[q], "%s = %lld, want %lld", names[q], v, want[q]);
    H5Tclose(t);
    H5Dclose(d);
  }
  H5Fclose(f);
}

/* When HDF5 cannot create the file, the message names the file and carries
 * HDF5's own reason (here: the temporary name is taken by a directory). */
Test(output, h5_failure_says_why) {
  char err[EB_ERRLEN], blocker[400];
  snprintf(blocker, sizeof blocker, "%s/result.h5.tmp", dir);
  cr_assert_eq(mkdir(blocker, 0777), 0);
  OutputOptions oo = {.dir = dir, .case_text = "", .version = "test", .figures = 0};
  cr_assert_eq(Output_write_all(&c, g, &r, limits, n_limits, &oo, err, sizeof err), EB_EFAIL);
  cr_expect(strstr(err, "result.h5.tmp") && strstr(err, "Is a directory"), "%s", err);
  rmdir(blocker);
}
