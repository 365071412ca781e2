/* out_sweep.c - sweep.csv, sweep.h5, the console table and sweep.png. */
#include "out_sweep.h"

#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <plplot.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

/* The summary scalars of a point, in engineering units. */
enum {
  C_TMAX, C_DIE_COL, C_DIE_ROW, C_TMAX_X, C_TMAX_Y, C_TMEAN, C_POWER, C_INLET, C_OUTLET, C_FLOW,
  C_LPMKW, C_QCOOL, C_QBOT, C_BAL, C_QMEAN, C_QMAX, C_HMEAN, C_HEFF, C_ETA, C_REMAX, C_VMAX,
  C_DP, C_PUMPW, C_PUMPQ, C_LOSTQ, C_OK, C_CELLS, C_NLI, C_LI, C_SEC, C_N
};
static const char *col_name[C_N] = {
    "t_max_c", "t_max_die_column", "t_max_die_row", "t_max_x_mm", "t_max_y_mm",
    "t_mean_wafer_c", "power_w", "coolant_inlet_c", "coolant_outlet_c", "coolant_flow_lpm",
    "lpm_per_kw", "heat_to_coolant_w", "heat_to_bottom_w", "energy_balance_rel_error",
    "heat_flux_mean_w_cm2", "heat_flux_max_w_cm2", "h_mean_w_m2k", "h_eff_w_m2k",
    "fin_efficiency", "reynolds_max", "velocity_max_m_s", "pressure_drop_kpa", "pump_power_w",
    "pump_flow_lpm", "one_pump_lost_flow_lpm", "all_limits_ok", "cells", "nonlinear_iterations",
    "linear_iterations", "solve_seconds"};
static const char *col_unit[C_N] = {
    "C", "1", "1", "mm", "mm", "C", "W", "C", "C", "L/min", "L/min/kW", "W", "W", "1", "W/cm^2",
    "W/cm^2", "W/(m^2 K)", "W/(m^2 K)", "1", "1", "m/s", "kPa", "W", "L/min", "L/min", "1", "1",
    "1", "1", "s"};

static double col_value(int k, const SweepPoint *pt) {
  const ThermalResult *r = &pt->r;
  double lpm = r->coolant_flow_m3_s * 60000.0;
  switch (k) {
  case C_TMAX: return r->t_max_k - out_kelvin;
  case C_DIE_COL: return r->t_max_die_col + 1;
  case C_DIE_ROW: return r->t_max_die_row + 1;
  case C_TMAX_X: return r->t_max_x_m * 1e3;
  case C_TMAX_Y: return r->t_max_y_m * 1e3;
  case C_TMEAN: return r->t_mean_wafer_k - out_kelvin;
  case C_POWER: return r->power_w;
  case C_INLET: return r->coolant_inlet_k - out_kelvin;
  case C_OUTLET: return r->coolant_outlet_k - out_kelvin;
  case C_FLOW: return lpm;
  case C_LPMKW: return lpm / (r->power_w * 1e-3);
  case C_QCOOL: return r->heat_to_coolant_w;
  case C_QBOT: return r->heat_to_bottom_w;
  case C_BAL: return r->energy_balance_rel_error;
  case C_QMEAN: return r->heat_flux_mean_w_m2 * 1e-4;
  case C_QMAX: return r->heat_flux_max_w_m2 * 1e-4;
  case C_HMEAN: return r->h_channel_w_m2k;
  case C_HEFF: return r->h_eff_w_m2k;
  case C_ETA: return r->fin_efficiency;
  case C_REMAX: return r->reynolds_max;
  case C_VMAX: return r->velocity_max_m_s;
  case C_DP: return r->dp_total_pa * 1e-3;
  case C_PUMPW: return r->pump_power_w;
  case C_PUMPQ: return r->pump_flow_m3_s * 60000.0;
  case C_LOSTQ: return r->one_pump_lost_flow_m3_s * 60000.0;
  case C_OK: return Limits_all_ok(pt->limits, pt->n_limits);
  case C_CELLS: return (double)r->cells;
  case C_NLI: return r->nonlinear_iters;
  case C_LI: return r->linear_iters;
  case C_SEC: return r->solve_seconds;
  }
  return NAN;
}

struct SweepWriter {
  char dir[600];
  const SweepParam *params;
  int n_params;
  size_t n_points;
  FILE *csv;
  hid_t h5;
  double *table;    /* n_points x C_N */
  int *status;      /* per point */
  int header_done;
  char h5_why[OUT_H5_WHY]; /* first HDF5 failure's reason */
};

int SweepWriter_create(const char *dir, const SweepParam *params, int n_params, size_t n_points,
                       SweepWriter **out, char *err, size_t err_size) {
  *out = NULL;
  int rc = Output_mkdir_p(dir, err, err_size);
  if (rc != EB_OK) return rc;
  SweepWriter *w = calloc(1, sizeof *w);
  if (!w) return EB_EFAIL;
  snprintf(w->dir, sizeof w->dir, "%s", dir);
  w->params = params;
  w->n_params = n_params;
  w->n_points = n_points;
  w->table = malloc(n_points * C_N * sizeof *w->table);
  w->status = calloc(n_points, sizeof *w->status);
  char path[1100];
  out_path(path, sizeof path, dir, "sweep.csv", 1);
  w->csv = fopen(path, "w");
  int csv_errno = w->csv ? 0 : errno;
  out_h5_capture(w->h5_why);
  out_path(path, sizeof path, dir, "sweep.h5", 1);
  w->h5 = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  out_h5_capture(NULL);
  if (!w->table || !w->status || !w->csv || w->h5 < 0) {
    snprintf(err, err_size, "sweep: cannot create the output files in %s: %s", dir,
             !w->table || !w->status ? "out of memory"
             : !w->csv               ? strerror(csv_errno)
                                     : w->h5_why);
    SweepWriter_destroy(w);
    return EB_EFAIL;
  }
  for (size_t q = 0; q < n_points * C_N; q++) w->table[q] = NAN;
  for (size_t q = 0; q < n_points; q++) w->status[q] = -1; /* not run (by this writer) */
  /* CSV header: point, the swept keys, status, then every scalar with unit */
  fprintf(w->csv, "point");
  for (int i = 0; i < n_params; i++) fprintf(w->csv, ",%s", params[i].key);
  fprintf(w->csv, ",status");
  for (int k = 0; k < C_N; k++) fprintf(w->csv, ",%s (%s)", col_name[k], col_unit[k]);
  fprintf(w->csv, "\n");
  *out = w;
  return EB_OK;
}

static int h5_str_attr(hid_t obj, const char *name, const char *value) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, strlen(value) + 1);
  hid_t sp = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
  int bad = a < 0 || H5Awrite(a, t, value) < 0;
  if (a >= 0) H5Aclose(a);
  H5Sclose(sp);
  H5Tclose(t);
  return bad;
}

static int h5_put(hid_t loc, const char *name, int rank, const hsize_t *dims, const double *v,
                  const char *units, const char *desc) {
  hid_t sp = H5Screate_simple(rank, dims, NULL);
  hid_t d = H5Dcreate2(loc, name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  int bad = d < 0 || H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0;
  if (!bad) bad = h5_str_attr(d, "units", units) || h5_str_attr(d, "description", desc);
  if (d >= 0) H5Dclose(d);
  H5Sclose(sp);
  return bad;
}

/* One line of the console table. */
static void print_row(SweepWriter *w, FILE *table, size_t index, const int *idx, int status,
                      const char *err, const char *limits) {
  const double *row = w->table + index * C_N;
  if (!w->header_done) {
    fprintf(table, "%6s", "point");
    for (int i = 0; i < w->n_params; i++) fprintf(table, "  %16s", w->params[i].key);
    fprintf(table, "  %8s %10s %9s %9s %8s  %s\n", "t_max_c", "outlet_c", "flow_lpm", "dP_kPa",
            "pump_W", "limits");
    w->header_done = 1;
  }
  fprintf(table, "%6zu", index + 1);
  for (int i = 0; i < w->n_params; i++) fprintf(table, "  %16s", w->params[i].values[idx[i]]);
  if (status != EB_OK)
    fprintf(table, "  failed: %s\n", err);
  else
    fprintf(table, "  %8.2f %10.2f %9.1f %9.1f %8.0f  %s\n", row[C_TMAX], row[C_OUTLET],
            row[C_FLOW], row[C_DP], row[C_PUMPW], limits);
  fflush(table);
}

int SweepWriter_add(SweepWriter *w, size_t index, const int *idx, const SweepPoint *pt,
                    const Grid *g, FILE *table, char *err, size_t err_size) {
  double *row = w->table + index * C_N;
  w->status[index] = pt->status;
  out_h5_capture(w->h5_why);
  if (pt->status == EB_OK)
    for (int k = 0; k < C_N; k++) row[k] = col_value(k, pt);
  /* CSV row (quotes around the message of a failed point) */
  fprintf(w->csv, "%zu", index + 1);
  for (int i = 0; i < w->n_params; i++) fprintf(w->csv, ",%s", w->params[i].values[idx[i]]);
  if (pt->status == EB_OK) {
    fprintf(w->csv, ",ok");
  } else {
    fprintf(w->csv, ",\"failed: ");
    for (const char *s = pt->err; *s; s++) fputc(*s == '"' ? '\'' : *s, w->csv);
    fprintf(w->csv, "\"");
  }
  for (int k = 0; k < C_N; k++) {
    if (isfinite(row[k]))
      fprintf(w->csv, ",%.10g", row[k]);
    else
      fprintf(w->csv, ",");
  }
  fprintf(w->csv, "\n");
  fflush(w->csv);

  /* the point's wafer map, with its own grid (a swept value may change it) */
  int bad = 0;
  if (pt->status == EB_OK && g) {
    char name[32];
    snprintf(name, sizeof name, "point_%04zu", index + 1);
    hid_t root = H5Gopen2(w->h5, "/", H5P_DEFAULT);
    if (index == 0 || H5Lexists(w->h5, "points", H5P_DEFAULT) <= 0)
      H5Gclose(H5Gcreate2(w->h5, "points", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    hid_t pts = H5Gopen2(w->h5, "points", H5P_DEFAULT);
    hid_t grp = H5Gcreate2(pts, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const size_t ncol = (size_t)g->nx * g->ny;
    double *m = malloc(ncol * sizeof *m);
    bad = !m || grp < 0;
    if (!bad) {
      for (size_t q = 0; q < ncol; q++) m[q] = pt->r.t_wafer_k[q] - out_kelvin;
      hsize_t d2[2] = {(hsize_t)g->ny, (hsize_t)g->nx}, dx[1] = {(hsize_t)g->nx + 1},
              dy[1] = {(hsize_t)g->ny + 1};
      bad |= h5_put(grp, "wafer_temperature_c", 2, d2, m, "C",
                    "junction temperature map, dims [ny][nx]");
      bad |= h5_put(grp, "x_faces_m", 1, dx, g->x, "m", "cell faces along x");
      bad |= h5_put(grp, "y_faces_m", 1, dy, g->y, "m", "cell faces along y");
      for (int i = 0; i < w->n_params; i++) {
        char an[160];
        snprintf(an, sizeof an, "param_%s", w->params[i].key);
        bad |= h5_str_attr(grp, an, w->params[i].values[idx[i]]);
      }
    }
    free(m);
    if (grp >= 0) H5Gclose(grp);
    H5Gclose(pts);
    H5Gclose(root);
  }
  out_h5_capture(NULL);
  if (bad) {
    snprintf(err, err_size, "sweep: HDF5 error writing point %zu to %s/sweep.h5: %s", index + 1,
             w->dir, w->h5_why[0] ? w->h5_why : "no detail from HDF5");
    return EB_EFAIL;
  }

  if (table) {
    char broken[512] = "";
    size_t len = 0;
    for (int l = 0; l < pt->n_limits && pt->status == EB_OK; l++)
      if (!pt->limits[l].ok)
        len += (size_t)snprintf(broken + len, len < sizeof broken ? sizeof broken - len : 0,
                                "%s%s BROKEN", len ? ", " : "", pt->limits[l].name);
    print_row(w, table, index, idx, pt->status, pt->err,
              len ? broken : (pt->n_limits ? "ok" : "-"));
  }
  return EB_OK;
}

static int read_column(hid_t f, const char *name, double *v, size_t n) {
  char path[96];
  snprintf(path, sizeof path, "/table/%s", name);
  return out_h5_read_doubles(f, path, v, n) != 0;
}

int SweepWriter_merge(SweepWriter *w, const char *const *part_dirs, int n_parts, FILE *table,
                      char *err, size_t err_size) {
  const size_t n = w->n_points;
  char **lines = calloc(n, sizeof *lines);
  double *col = malloc(n * sizeof *col), *st = malloc(n * sizeof *st);
  int bad = !lines || !col || !st;
  char failed_part[1200] = "";
  out_h5_capture(w->h5_why);
  if (!bad && H5Lexists(w->h5, "points", H5P_DEFAULT) <= 0)
    H5Gclose(H5Gcreate2(w->h5, "points", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  for (int k = 0; k < n_parts && !bad; k++) {
    char path[1100];
    snprintf(path, sizeof path, "%s/sweep.h5", part_dirs[k]);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    bad = f < 0 || read_column(f, "status", st, n);
    for (int c = 0; c < C_N && !bad; c++) {
      bad = read_column(f, col_name[c], col, n);
      for (size_t q = 0; q < n && !bad; q++)
        if (st[q] >= 0) w->table[q * C_N + c] = col[q];
    }
    for (size_t q = 0; q < n && !bad; q++) {
      if (st[q] < 0) continue;
      w->status[q] = (int)st[q];
      char name[48];
      snprintf(name, sizeof name, "points/point_%04zu", q + 1);
      if (H5Lexists(f, "points", H5P_DEFAULT) > 0 && H5Lexists(f, name, H5P_DEFAULT) > 0)
        bad = H5Ocopy(f, name, w->h5, name, H5P_DEFAULT, H5P_DEFAULT) < 0;
    }
    if (f >= 0) H5Fclose(f);
    if (bad) snprintf(failed_part, sizeof failed_part, "%s", path);
    /* CSV rows: keep each part's formatted line, by point number */
    snprintf(path, sizeof path, "%s/sweep.csv", part_dirs[k]);
    FILE *c = bad ? NULL : fopen(path, "r");
    if (!bad && !c) snprintf(failed_part, sizeof failed_part, "%s (%s)", path, strerror(errno));
    bad = bad || !c;
    char *line = NULL;
    size_t cap = 0;
    for (int first = 1; c && getline(&line, &cap, c) > 0; first = 0) {
      size_t q = (size_t)strtoul(line, NULL, 10);
      if (first || q < 1 || q > n) continue;
      free(lines[q - 1]);
      lines[q - 1] = strdup(line);
    }
    free(line);
    if (c) fclose(c);
  }
  for (size_t q = 0; q < n && !bad; q++) {
    if (lines[q]) fputs(lines[q], w->csv);
    if (table && w->status[q] >= 0) {
      int idx[SWEEP_MAX_PARAMS];
      Sweep_point_indices(w->params, w->n_params, q, idx);
      print_row(w, table, q, idx, w->status[q], "see its row in sweep.csv",
                w->table[q * C_N + C_OK] == 1.0 ? "ok" : "a limit is BROKEN (sweep.csv)");
    }
  }
  for (size_t q = 0; q < n && lines; q++) free(lines[q]);
  free(lines);
  free(col);
  free(st);
  out_h5_capture(NULL);
  if (bad) {
    snprintf(err, err_size, "sweep: cannot merge the worker results%s%s%s%s",
             failed_part[0] ? " from " : "", failed_part, w->h5_why[0] ? ": " : "", w->h5_why);
    return EB_EFAIL;
  }
  return EB_OK;
}

/* sweep.png: four metrics against the first parameter, one line per value
 * of the second (if any). Non-numeric first parameters use the point index. */
static int sweep_png(SweepWriter *w, const char *path, FigureFormat fmt, char *err,
                     size_t err_size) {
  const SweepParam *p0 = &w->params[0];
  int n0 = p0->n, n1 = w->n_params > 1 ? w->params[1].n : 1;
  size_t stride = w->n_points / ((size_t)n0 * n1); /* further parameters: first value only */
  PLFLT *x = malloc((size_t)n0 * sizeof *x), *y = malloc((size_t)n0 * sizeof *y);
  if (!x || !y) {
    free(x);
    free(y);
    snprintf(err, err_size, "sweep: out of memory drawing %s", path);
    return EB_EFAIL;
  }
  int numeric = 1;
  for (int i = 0; i < n0; i++) {
    char *end;
    x[i] = strtod(p0->values[i], &end);
    if (*end) numeric = 0;
  }
  if (!numeric)
    for (int i = 0; i < n0; i++) x[i] = i + 1;
  const int metrics[4] = {C_TMAX, C_OUTLET, C_DP, C_PUMPW};
  const char *labels[4] = {"hottest junction (C)", "coolant outlet (C)", "pressure drop (kPa)",
                           "pump power (W)"};
  if (out_plot_begin(path, "1200x900", fmt, err, err_size) != EB_OK) {
    free(x);
    free(y);
    return EB_EFAIL;
  }
  plssub(2, 2);
  for (int m = 0; m < 4; m++) {
    double lo = INFINITY, hi = -INFINITY;
    for (size_t q = 0; q < w->n_points; q++) {
      double v = w->table[q * C_N + metrics[m]];
      if (isfinite(v)) {
        lo = fmin(lo, v);
        hi = fmax(hi, v);
      }
    }
    if (!isfinite(lo)) lo = 0, hi = 1;
    if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;
    double pad = 0.12 * (hi - lo); /* room for the line labels */
    pladv(0);
    plvsta();
    double xlo = x[0], xhi = x[n0 - 1];
    if (xlo == xhi) xlo -= 0.5, xhi += 0.5;
    plwind(fmin(xlo, xhi), fmax(xlo, xhi), lo - pad, hi + pad);
    plcol0(1);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    char xl[200];
    snprintf(xl, sizeof xl, "%s%s", p0->key, numeric ? "" : " (value index)");
    pllab(xl, labels[m], "");
    for (int j = 0; j < n1; j++) {
      int cnt = 0;
      for (int i = 0; i < n0; i++) {
        size_t q = ((size_t)i * n1 + j) * stride;
        double v = w->table[q * C_N + metrics[m]];
        if (!isfinite(v)) continue;
        x[cnt] = numeric ? strtod(p0->values[i], NULL) : i + 1;
        y[cnt++] = v;
      }
      plcol0(2 + j % 4);
      if (cnt > 1) plline(cnt, x, y);
      plpoin(cnt, x, y, 17);
      if (n1 > 1 && cnt > 0) {
        char t[256];
        snprintf(t, sizeof t, "%s=%s", w->params[1].key, w->params[1].values[j]);
        plschr(0, 0.6);
        plptex(x[cnt - 1], y[cnt - 1] + 0.04 * (hi - lo + 2 * pad), 1, 0, 1.0, t);
        plschr(0, 1.0);
      }
      for (int i = 0; i < n0; i++) x[i] = numeric ? strtod(p0->values[i], NULL) : i + 1;
    }
  }
  plend1();
  free(x);
  free(y);
  return EB_OK;
}

int SweepWriter_finish(SweepWriter *w, FigureFormat figures, char *err, size_t err_size) {
  int bad = 0;
  out_h5_capture(w->h5_why);
  /* the table in HDF5: one dataset per column */
  hid_t grp = H5Gcreate2(w->h5, "table", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  double *col = malloc(w->n_points * sizeof *col);
  bad = grp < 0 || !col;
  hsize_t n[1] = {w->n_points};
  for (int k = 0; k < C_N && !bad; k++) {
    for (size_t q = 0; q < w->n_points; q++) col[q] = w->table[q * C_N + k];
    bad |= h5_put(grp, col_name[k], 1, n, col, col_unit[k], "one value per sweep point, NaN: failed");
  }
  for (size_t q = 0; q < w->n_points && !bad; q++) col[q] = w->status[q];
  if (!bad)
    bad |= h5_put(grp, "status", 1, n, col, "1",
                  "0 ok, 1 solver failure, 2 bad input, -1 not run");
  for (int i = 0; i < w->n_params && !bad; i++) {
    char an[160], list[SWEEP_MAX_VALUES * 8];
    size_t len = 0;
    list[0] = '\0';
    for (int v = 0; v < w->params[i].n && len + SWEEP_VALUE_LEN + 2 < sizeof list; v++)
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", v ? "," : "",
                              w->params[i].values[v]);
    snprintf(an, sizeof an, "param%d_%s", i + 1, w->params[i].key);
    bad |= h5_str_attr(grp, an, list);
  }
  free(col);
  if (grp >= 0) H5Gclose(grp);
  bad |= H5Fclose(w->h5) < 0;
  out_h5_capture(NULL);
  w->h5 = -1;
  int csv_bad = fclose(w->csv) != 0, csv_errno = errno;
  w->csv = NULL;
  if (bad || csv_bad) {
    snprintf(err, err_size, "sweep: error writing %s in %s: %s", bad ? "sweep.h5" : "sweep.csv",
             w->dir,
             bad ? (w->h5_why[0] ? w->h5_why : "no detail from HDF5") : strerror(csv_errno));
    return EB_EFAIL;
  }
  int rc = out_commit(w->dir, "sweep.csv", err, err_size);
  if (rc == EB_OK) rc = out_commit(w->dir, "sweep.h5", err, err_size);
  if (rc == EB_OK && figures) {
    char path[1100];
    char name[32];
    out_figure_name(name, sizeof name, "sweep", figures);
    out_path(path, sizeof path, w->dir, name, 1);
    rc = sweep_png(w, path, figures, err, err_size);
    if (rc == EB_OK) rc = out_commit(w->dir, name, err, err_size);
  }
  return rc;
}

void SweepWriter_destroy(SweepWriter *w) {
  if (!w) return;
  if (w->csv) fclose(w->csv);
  if (w->h5 >= 0 && w->h5 != 0) H5Fclose(w->h5);
  free(w->table);
  free(w->status);
  free(w);
}

int SweepWriter_failed(const SweepWriter *w) {
  int n = 0;
  for (size_t q = 0; q < w->n_points; q++) n += w->status[q] > 0;
  return n;
}

size_t SweepWriter_points(const SweepWriter *w) { return w->n_points; }
