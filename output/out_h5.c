/* out_h5.c - result.h5: grid, fields, maps, per-die table, summary, case.
 * Every dataset carries `units` and `description` string attributes. */
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

static int set_str_attr(hid_t obj, const char *name, const char *value) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, strlen(value) + 1);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  herr_t st = a < 0 ? -1 : H5Awrite(a, type, value);
  if (a >= 0) H5Aclose(a);
  H5Sclose(space);
  H5Tclose(type);
  return st < 0 || a < 0;
}

/* A double dataset of rank 1-3 written in one go, with its attributes. */
static int put(hid_t loc, const char *name, int rank, const hsize_t *dims, const double *data,
               const char *units, const char *desc) {
  hid_t space = H5Screate_simple(rank, dims, NULL);
  hid_t d = H5Dcreate2(loc, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  int bad = d < 0;
  if (!bad) bad = H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0;
  if (!bad) bad = set_str_attr(d, "units", units) || set_str_attr(d, "description", desc);
  if (d >= 0) H5Dclose(d);
  H5Sclose(space);
  return bad;
}

static int put1(hid_t loc, const char *name, size_t n, const double *data, const char *units,
                const char *desc) {
  hsize_t dims[1] = {n};
  return put(loc, name, 1, dims, data, units, desc);
}

/* One scalar dataset of file type ftype from *v in memory type mtype. */
static int put_one(hid_t loc, const char *name, hid_t ftype, hid_t mtype, const void *v,
                   const char *units, const char *desc) {
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t d = H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  int bad = d < 0 || H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0;
  if (!bad) bad = set_str_attr(d, "units", units) || set_str_attr(d, "description", desc);
  if (d >= 0) H5Dclose(d);
  H5Sclose(space);
  return bad;
}

static int put_scalar(hid_t loc, const char *name, double v, const char *units, const char *desc) {
  return put_one(loc, name, H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, &v, units, desc);
}

/* Counts (cells, iterations, die indices) are stored as 64-bit integers so a
 * reader gets an integer type, not a double that happens to be whole. */
static int put_count(hid_t loc, const char *name, long long v, const char *desc) {
  return put_one(loc, name, H5T_STD_I64LE, H5T_NATIVE_LLONG, &v, "1", desc);
}

static int put_string(hid_t loc, const char *name, const char *text, const char *desc) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, strlen(text) + 1);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t d = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  int bad = d < 0 || H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) < 0;
  if (!bad) bad = set_str_attr(d, "units", "1") || set_str_attr(d, "description", desc);
  if (d >= 0) H5Dclose(d);
  H5Sclose(space);
  H5Tclose(type);
  return bad;
}

/* The 3D temperature in C, one z plane at a time (no full-size copy). */
static int put_temperature(hid_t loc, const Grid *g, const double *t_k, double *plane) {
  const size_t ncol = (size_t)g->nx * g->ny;
  hsize_t dims[3] = {(hsize_t)g->nz, (hsize_t)g->ny, (hsize_t)g->nx};
  hid_t space = H5Screate_simple(3, dims, NULL);
  hid_t d = H5Dcreate2(loc, "temperature_c", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT,
                       H5P_DEFAULT);
  int bad = d < 0;
  hsize_t count[3] = {1, (hsize_t)g->ny, (hsize_t)g->nx};
  hid_t mem = H5Screate_simple(3, count, NULL);
  for (int k = 0; k < g->nz && !bad; k++) {
    for (size_t q = 0; q < ncol; q++) plane[q] = t_k[(size_t)k * ncol + q] - out_kelvin;
    hsize_t start[3] = {(hsize_t)k, 0, 0};
    bad = H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
          H5Dwrite(d, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, plane) < 0;
  }
  if (!bad)
    bad = set_str_attr(d, "units", "C") ||
          set_str_attr(d, "description",
                       "solid temperature at cell centres, dims [nz][ny][nx] (x fastest); "
                       "NaN in void cells");
  H5Sclose(mem);
  if (d >= 0) H5Dclose(d);
  H5Sclose(space);
  return bad;
}

static void centres(const double *f, int n, double *out) {
  for (int i = 0; i < n; i++) out[i] = 0.5 * (f[i] + f[i + 1]);
}

int Output_write_h5(const Case *c, const Grid *g, const ThermalResult *r, const LimitCheck *limits,
                    int n_limits, const OutputOptions *opt, const char *path, char *err,
                    size_t err_size) {
  const size_t ncol = (size_t)g->nx * g->ny;
  size_t nmax = ncol;
  if ((size_t)r->n_dies > nmax) nmax = (size_t)r->n_dies;
  if ((size_t)g->nz + 1 > nmax) nmax = (size_t)g->nz + 1;
  double *buf = malloc(nmax * sizeof *buf);
  if (!buf) {
    snprintf(err, err_size, "out of memory writing %s", path);
    return EB_EFAIL;
  }
  char why[OUT_H5_WHY] = "";
  out_h5_capture(why); /* errors come back as return codes, the first reason kept */
  hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (f < 0) {
    free(buf);
    snprintf(err, err_size, "cannot create %s: %s; check that the directory is writable", path,
             why[0] ? why : "no detail from HDF5");
    return EB_EFAIL;
  }
  int bad = set_str_attr(f, "program", "ebsim") || set_str_attr(f, "version", opt->version) ||
            set_str_attr(f, "case_name", c->name);

  hid_t grp = H5Gcreate2(f, "grid", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  bad |= put1(grp, "x_faces_m", (size_t)g->nx + 1, g->x, "m", "cell faces along x");
  bad |= put1(grp, "y_faces_m", (size_t)g->ny + 1, g->y, "m", "cell faces along y");
  bad |= put1(grp, "z_faces_m", (size_t)g->nz + 1, g->z, "m",
              "cell faces along z: 0 at the cold-plate fin root, growing into the stack");
  centres(g->x, g->nx, buf);
  bad |= put1(grp, "x_centres_m", (size_t)g->nx, buf, "m", "cell centres along x");
  centres(g->y, g->ny, buf);
  bad |= put1(grp, "y_centres_m", (size_t)g->ny, buf, "m", "cell centres along y");
  centres(g->z, g->nz, buf);
  bad |= put1(grp, "z_centres_m", (size_t)g->nz, buf, "m", "cell centres along z");
  for (int k = 0; k < g->nz; k++) buf[k] = g->layer_of_k[k];
  bad |= put1(grp, "layer_of_z_cell", (size_t)g->nz, buf, "1",
              "index into the case's stack of the layer each z cell belongs to");
  H5Gclose(grp);

  grp = H5Gcreate2(f, "fields", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  bad |= put_temperature(grp, g, r->t_k, buf);
  H5Gclose(grp);

  hsize_t dims2[2] = {(hsize_t)g->ny, (hsize_t)g->nx};
  grp = H5Gcreate2(f, "maps", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (size_t q = 0; q < ncol; q++) buf[q] = r->t_wafer_k[q] - out_kelvin;
  bad |= put(grp, "wafer_temperature_c", 2, dims2, buf, "C",
             "junction temperature at the wafer's active face, dims [ny][nx]");
  for (size_t q = 0; q < ncol; q++) buf[q] = r->q_plate_w_m2[q] * 1e-4;
  bad |= put(grp, "heat_flux_plate_w_cm2", 2, dims2, buf, "W/cm^2",
             "heat flux from the wafer into the cold plate, dims [ny][nx]");
  for (size_t q = 0; q < ncol; q++) buf[q] = r->t_fluid_k[q] - out_kelvin;
  bad |= put(grp, "coolant_temperature_c", 2, dims2, buf, "C",
             "coolant temperature (cell mean) in the micro-fin channels, dims [ny][nx]");
  for (size_t q = 0; q < ncol; q++) buf[q] = r->q_source_w_m2[q] * 1e-4;
  bad |= put(grp, "power_density_w_cm2", 2, dims2, buf, "W/cm^2",
             "power made at the active face, dims [ny][nx]");
  H5Gclose(grp);

  grp = H5Gcreate2(f, "dies", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  bad |= set_str_attr(grp, "description",
                      "per-die table: one row per die, row-major from row 1 (smallest y), "
                      "columns as parallel datasets");
  const size_t nd = (size_t)r->n_dies;
#define DIE_COLUMN(name, expr, units, desc)                                                       \
  do {                                                                                            \
    for (size_t d = 0; d < nd; d++) {                                                             \
      const DieResult *D = &r->dies[d];                                                           \
      buf[d] = (expr);                                                                            \
    }                                                                                             \
    bad |= put1(grp, name, nd, buf, units, desc);                                                 \
  } while (0)
  DIE_COLUMN("column", D->col + 1, "1", "die column, 1-based, along x");
  DIE_COLUMN("row", D->row + 1, "1", "die row, 1-based, along y");
  DIE_COLUMN("x0_mm", D->x0_m * 1e3, "mm", "die left edge");
  DIE_COLUMN("x1_mm", D->x1_m * 1e3, "mm", "die right edge");
  DIE_COLUMN("y0_mm", D->y0_m * 1e3, "mm", "die lower edge");
  DIE_COLUMN("y1_mm", D->y1_m * 1e3, "mm", "die upper edge");
  DIE_COLUMN("t_max_c", D->t_max_k - out_kelvin, "C", "hottest junction temperature of the die");
  DIE_COLUMN("t_mean_c", D->t_mean_k - out_kelvin, "C", "area-mean junction temperature");
  DIE_COLUMN("power_w", D->power_w, "W", "power made in the die");
#undef DIE_COLUMN
  H5Gclose(grp);

  grp = H5Gcreate2(f, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  double flow_lpm = r->coolant_flow_m3_s * 60000.0;
  bad |= put_scalar(grp, "t_max_c", r->t_max_k - out_kelvin, "C", "hottest junction");
  bad |= put_scalar(grp, "t_max_x_mm", r->t_max_x_m * 1e3, "mm", "x of the hottest junction");
  bad |= put_scalar(grp, "t_max_y_mm", r->t_max_y_m * 1e3, "mm", "y of the hottest junction");
  bad |= put_count(grp, "t_max_die_column", r->t_max_die_col + 1,
                   "die column of the hottest junction (1-based)");
  bad |= put_count(grp, "t_max_die_row", r->t_max_die_row + 1,
                   "die row of the hottest junction (1-based)");
  bad |= put_scalar(grp, "t_mean_wafer_c", r->t_mean_wafer_k - out_kelvin, "C", "area-mean junction");
  bad |= put_scalar(grp, "power_w", r->power_w, "W", "power made in the wafer");
  bad |= put_scalar(grp, "coolant_inlet_c", r->coolant_inlet_k - out_kelvin, "C", "coolant inlet");
  bad |= put_scalar(grp, "coolant_outlet_c", r->coolant_outlet_k - out_kelvin, "C",
                    "mixed-mean coolant outlet");
  bad |= put_scalar(grp, "coolant_flow_lpm", flow_lpm, "L/min", "coolant volume flow");
  bad |= put_scalar(grp, "lpm_per_kw", flow_lpm / (r->power_w * 1e-3), "L/min/kW", "flow per power");
  bad |= put_scalar(grp, "heat_to_coolant_w", r->heat_to_coolant_w, "W", "heat into the coolant");
  bad |= put_scalar(grp, "heat_to_bottom_w", r->heat_to_bottom_w, "W", "heat into the brick cold plate");
  bad |= put_scalar(grp, "energy_balance_rel_error", r->energy_balance_rel_error, "1",
                    "|P - Q_coolant - Q_bottom| / P");
  bad |= put_scalar(grp, "heat_flux_mean_w_cm2", r->heat_flux_mean_w_m2 * 1e-4, "W/cm^2",
                    "mean heat flux into the cold plate");
  bad |= put_scalar(grp, "heat_flux_max_w_cm2", r->heat_flux_max_w_m2 * 1e-4, "W/cm^2",
                    "largest heat flux into the cold plate");
  bad |= put_scalar(grp, "h_eff_w_m2k", r->h_eff_w_m2k, "W/(m^2 K)",
                    "channel heat transfer per plate area, fins included, at the inlet");
  bad |= put_scalar(grp, "fin_efficiency", r->fin_efficiency, "1", "micro-fin efficiency at the inlet");
  bad |= put_scalar(grp, "reynolds", r->reynolds, "1", "channel Reynolds number at the inlet");
  bad |= put_scalar(grp, "pressure_drop_kpa", r->dp_total_pa * 1e-3, "kPa", "coolant loop pressure drop");
  bad |= put_scalar(grp, "pressure_drop_channels_kpa", r->dp_channels_pa * 1e-3, "kPa",
                    "micro-fin channels, apparent friction");
  bad |= put_scalar(grp, "pressure_drop_manifold_kpa", r->dp_manifold_pa * 1e-3, "kPa",
                    "manifold entry and exit losses");
  bad |= put_scalar(grp, "pressure_drop_fittings_kpa", r->dp_fittings_pa * 1e-3, "kPa", "fittings");
  bad |= put_scalar(grp, "pressure_drop_quick_disconnects_kpa", r->dp_qd_pa * 1e-3, "kPa",
                    "quick-disconnect couplings");
  bad |= put_scalar(grp, "pump_power_w", r->pump_power_w, "W", "dP Q / pump efficiency");
  bad |= put_scalar(grp, "channel_velocity_m_s", r->channel_velocity_m_s, "m/s",
                    "mean channel velocity");
  bad |= put_scalar(grp, "pipe_velocity_m_s", r->pipe_velocity_m_s, "m/s", "supply pipe velocity");
  bad |= put_scalar(grp, "pump_flow_lpm", r->pump_flow_m3_s * 60000.0, "L/min",
                    "where the running pumps meet this loop (NaN: no pump curve)");
  bad |= put_scalar(grp, "pump_dp_kpa", r->pump_dp_pa * 1e-3, "kPa",
                    "pressure at that operating point (NaN: no pump curve)");
  bad |= put_scalar(grp, "one_pump_lost_flow_lpm", r->one_pump_lost_flow_m3_s * 60000.0, "L/min",
                    "operating point with one pump fewer (NaN: not applicable)");
  bad |= put_scalar(grp, "one_pump_lost_dp_kpa", r->one_pump_lost_dp_pa * 1e-3, "kPa",
                    "pressure with one pump fewer (NaN: not applicable)");
  bad |= put_count(grp, "flow_from_pumps", r->flow_from_pumps,
                   "1: the flow is the pumps' operating point, 0: coolant.flow_lpm");
  bad |= put_scalar(grp, "reynolds_max", r->reynolds_max, "1", "largest local channel Re");
  bad |= put_scalar(grp, "velocity_max_m_s", r->velocity_max_m_s, "m/s", "largest channel velocity");
  bad |= put_scalar(grp, "h_mean_w_m2k", r->h_channel_w_m2k, "W/(m^2 K)", "area-mean channel-wall h");
  bad |= put_count(grp, "cells", (long long)r->cells, "solid cells");
  bad |= put_count(grp, "nonlinear_iterations", r->nonlinear_iters, "KINSOL evaluations");
  bad |= put_count(grp, "linear_iterations", r->linear_iters, "PCG iterations, all solves");
  bad |= put_scalar(grp, "solve_seconds", r->solve_seconds, "s", "wall time of the solve");
  for (int i = 0; i < n_limits; i++) {
    char name[96];
    snprintf(name, sizeof name, "limit_%s", limits[i].name);
    bad |= put_scalar(grp, name, limits[i].limit, limits[i].unit, limits[i].ok ? "ok" : "BROKEN");
  }
  H5Gclose(grp);

  grp = H5Gcreate2(f, "hydraulics", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  {
    const size_t nc = (size_t)r->n_curve;
    double *cb = malloc((nc + (size_t)r->n_path) * sizeof *cb);
    bad |= cb == NULL;
    if (cb) {
      for (size_t q = 0; q < nc; q++) cb[q] = r->curve_q_m3_s[q] * 60000.0;
      bad |= put1(grp, "curve_flow_lpm", nc, cb, "L/min", "flow samples of the curves");
      for (size_t q = 0; q < nc; q++) cb[q] = r->curve_system_pa[q] * 1e-3;
      bad |= put1(grp, "curve_system_kpa", nc, cb, "kPa", "pressure drop of the loop");
      for (size_t q = 0; q < nc; q++) cb[q] = r->curve_pump_pa[q] * 1e-3;
      bad |= put1(grp, "curve_pumps_kpa", nc, cb, "kPa",
                  "pressure rise of the running pumps (NaN: no pump curve)");
      for (size_t q = 0; q < nc; q++) cb[q] = r->curve_pump_lost_pa[q] * 1e-3;
      bad |= put1(grp, "curve_pumps_one_lost_kpa", nc, cb, "kPa",
                  "pressure rise with one pump fewer (NaN: not applicable)");
      const size_t np = (size_t)r->n_path;
      for (size_t q = 0; q < np; q++) cb[q] = r->path_x_m[q] * 1e3;
      bad |= put1(grp, "path_position_mm", np, cb, "mm", "cell centres along the flow direction");
      for (size_t q = 0; q < np; q++) cb[q] = r->path_t_coolant_k[q] - out_kelvin;
      bad |= put1(grp, "path_coolant_c", np, cb, "C", "flow-weighted mean coolant temperature");
      for (size_t q = 0; q < np; q++) cb[q] = r->path_t_junction_max_k[q] - out_kelvin;
      bad |= put1(grp, "path_junction_max_c", np, cb, "C", "hottest junction across the flow");
      free(cb);
    }
  }
  H5Gclose(grp);

  grp = H5Gcreate2(f, "case", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  bad |= put_string(grp, "resolved_yaml", opt->case_text ? opt->case_text : "",
                    "the case after --set overrides, every default included");
  H5Gclose(grp);
  bad |= H5Fclose(f) < 0;
  out_h5_capture(NULL);
  free(buf);
  if (bad) {
    snprintf(err, err_size, "HDF5 error while writing %s: %s", path,
             why[0] ? why : "no detail from HDF5");
    return EB_EFAIL;
  }
  return EB_OK;
}
