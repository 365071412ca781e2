/* out_read.c - read a run's result.h5 back for `ebsim plot`: the resolved
 * case, its grid and the fields the figures draw. */
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

int out_h5_read_doubles(hid_t f, const char *name, double *v, size_t n) {
  if (H5Lexists(f, name, H5P_DEFAULT) <= 0) return -1;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t sp = H5Dget_space(d);
  hssize_t np = H5Sget_simple_extent_npoints(sp);
  int bad = np < 0 || (size_t)np != n ||
            H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0;
  H5Sclose(sp);
  H5Dclose(d);
  return bad ? -1 : 0;
}

/* A scalar, NAN when the file has none (written by an older version). */
static double scalar(hid_t f, const char *name) {
  double v;
  return out_h5_read_doubles(f, name, &v, 1) == 0 ? v : NAN;
}

/* Length of a 1-D dataset, -1 if missing. */
static long length(hid_t f, const char *name) {
  if (H5Lexists(f, name, H5P_DEFAULT) <= 0) return -1;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t sp = H5Dget_space(d);
  hssize_t np = H5Sget_simple_extent_npoints(sp);
  H5Sclose(sp);
  H5Dclose(d);
  return (long)np;
}

static char *read_text(hid_t f, const char *name) {
  if (H5Lexists(f, "case", H5P_DEFAULT) <= 0 || H5Lexists(f, name, H5P_DEFAULT) <= 0) return NULL;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return NULL;
  hid_t t = H5Dget_type(d);
  size_t n = H5Tget_size(t);
  char *text = H5Tget_class(t) == H5T_STRING && n > 0 ? calloc(n + 1, 1) : NULL;
  if (text && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) < 0) {
    free(text);
    text = NULL;
  }
  H5Tclose(t);
  H5Dclose(d);
  return text;
}

static double *alloc_read(hid_t f, const char *name, size_t n, double scale, double shift,
                          int *bad) {
  double *v = malloc((n ? n : 1) * sizeof *v);
  if (!v || out_h5_read_doubles(f, name, v, n) != 0) {
    free(v);
    *bad = 1;
    return NULL;
  }
  for (size_t q = 0; q < n; q++) v[q] = v[q] * scale + shift;
  return v;
}

int Output_read_result(const char *path, Case *c, Grid **g, ThermalResult *r, char *err,
                       size_t err_size) {
  *g = NULL;
  memset(r, 0, sizeof *r);
  char why[OUT_H5_WHY];
  out_h5_capture(why);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) {
    out_h5_capture(NULL);
    snprintf(err, err_size, "cannot read %s as an ebsim result (HDF5): %s", path,
             why[0] ? why : "not an HDF5 file");
    return EB_EINPUT;
  }
  char *text = read_text(f, "case/resolved_yaml");
  if (!text) {
    H5Fclose(f);
    out_h5_capture(NULL);
    snprintf(err, err_size, "%s is not an ebsim run result (no /case/resolved_yaml)", path);
    return EB_EINPUT;
  }
  char label[1100];
  snprintf(label, sizeof label, "%s:/case/resolved_yaml", path);
  int rc = Case_read_string(text, label, 0, NULL, c, err, err_size);
  free(text);
  if (rc == EB_OK) rc = Grid_create(c, g, err, err_size);
  if (rc != EB_OK) {
    H5Fclose(f);
    out_h5_capture(NULL);
    return rc;
  }
  const size_t ncol = (size_t)(*g)->nx * (*g)->ny;
  int bad = 0;
  r->t_wafer_k = alloc_read(f, "maps/wafer_temperature_c", ncol, 1.0, out_kelvin, &bad);
  r->q_plate_w_m2 = alloc_read(f, "maps/heat_flux_plate_w_cm2", ncol, 1e4, 0.0, &bad);
  r->t_fluid_k = alloc_read(f, "maps/coolant_temperature_c", ncol, 1.0, out_kelvin, &bad);
  if (bad) {
    snprintf(err, err_size,
             "%s: the wafer maps are missing or do not match the case's grid (%d x %d); was "
             "the file written by this version of ebsim?",
             path, (*g)->nx, (*g)->ny);
    goto fail;
  }
  r->t_max_k = scalar(f, "summary/t_max_c") + out_kelvin;
  r->t_max_x_m = scalar(f, "summary/t_max_x_mm") * 1e-3;
  r->t_max_y_m = scalar(f, "summary/t_max_y_mm") * 1e-3;
  double col = scalar(f, "summary/t_max_die_column"), row = scalar(f, "summary/t_max_die_row");
  r->t_max_die_col = isfinite(col) ? (int)col - 1 : 0;
  r->t_max_die_row = isfinite(row) ? (int)row - 1 : 0;
  r->t_mean_wafer_k = scalar(f, "summary/t_mean_wafer_c") + out_kelvin;
  r->power_w = scalar(f, "summary/power_w");
  r->coolant_inlet_k = scalar(f, "summary/coolant_inlet_c") + out_kelvin;
  r->coolant_outlet_k = scalar(f, "summary/coolant_outlet_c") + out_kelvin;
  r->coolant_flow_m3_s = scalar(f, "summary/coolant_flow_lpm") / 60000.0;
  r->dp_total_pa = scalar(f, "summary/pressure_drop_kpa") * 1e3;
  r->pump_flow_m3_s = scalar(f, "summary/pump_flow_lpm") / 60000.0;
  r->pump_dp_pa = scalar(f, "summary/pump_dp_kpa") * 1e3;
  r->one_pump_lost_flow_m3_s = scalar(f, "summary/one_pump_lost_flow_lpm") / 60000.0;
  r->one_pump_lost_dp_pa = scalar(f, "summary/one_pump_lost_dp_kpa") * 1e3;
  r->flow_from_pumps = scalar(f, "summary/flow_from_pumps") == 1.0;
  if (!isfinite(r->t_max_k) || !isfinite(r->power_w)) {
    snprintf(err, err_size, "%s: /summary lacks t_max_c or power_w", path);
    goto fail;
  }
  long nc = length(f, "hydraulics/curve_flow_lpm"), np = length(f, "hydraulics/path_position_mm");
  if (nc > 0) {
    r->n_curve = (int)nc;
    r->curve_q_m3_s = alloc_read(f, "hydraulics/curve_flow_lpm", (size_t)nc, 1.0 / 60000.0, 0.0,
                                 &bad);
    r->curve_system_pa = alloc_read(f, "hydraulics/curve_system_kpa", (size_t)nc, 1e3, 0.0, &bad);
    r->curve_pump_pa = alloc_read(f, "hydraulics/curve_pumps_kpa", (size_t)nc, 1e3, 0.0, &bad);
    r->curve_pump_lost_pa = alloc_read(f, "hydraulics/curve_pumps_one_lost_kpa", (size_t)nc, 1e3,
                                       0.0, &bad);
  }
  if (np > 0) {
    r->n_path = (int)np;
    r->path_x_m = alloc_read(f, "hydraulics/path_position_mm", (size_t)np, 1e-3, 0.0, &bad);
    r->path_t_coolant_k = alloc_read(f, "hydraulics/path_coolant_c", (size_t)np, 1.0,
                                     out_kelvin, &bad);
    r->path_t_junction_max_k = alloc_read(f, "hydraulics/path_junction_max_c", (size_t)np, 1.0,
                                          out_kelvin, &bad);
  }
  if (bad) {
    snprintf(err, err_size, "%s: the /hydraulics curves are incomplete", path);
    goto fail;
  }
  H5Fclose(f);
  out_h5_capture(NULL);
  return EB_OK;
fail:
  H5Fclose(f);
  out_h5_capture(NULL);
  ThermalResult_free(r);
  Grid_destroy(*g);
  *g = NULL;
  return EB_EINPUT;
}
