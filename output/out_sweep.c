/* out_sweep.c - sweep.csv, sweep.h5, the console table and sweep.png,
 * with the registry's single values as columns. */
#include "out_sweep.h"

#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <plplot.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "output_internal.h"

struct SweepWriter {
  char dir[600];
  const Registry *reg;
  const SweepParam *params;
  int n_params;
  char units[SWEEP_MAX_PARAMS][16];
  size_t n_points;
  int n_cols;
  const ResultEntry **cols; /* the registry's single values and text lists */
  FILE *csv;
  hid_t h5;
  double *num;  /* n_points x n_cols: numbers in output units, NaN: none */
  char **txt;   /* n_points x n_cols: text columns */
  int *status;  /* per point: EB_OK, EB_EFAIL, EB_EINPUT, -1 not run (by this writer) */
  char **why;   /* per point: the failure */
  int header_done;
  char h5_why[OUT_H5_WHY]; /* first HDF5 failure's reason */
  /* the case's limits, for the figure: quantity bounded, value (output unit) */
  int n_limits;
  const char *limit_quantity[LIMITS_MAX];
  double limit_value[LIMITS_MAX];
};

void SweepWriter_limit_lines(SweepWriter *w, const Case *c) {
  w->n_limits = 0;
  for (int i = 0; i < Limits_count() && w->n_limits < LIMITS_MAX; i++) {
    const LimitInfo *li = Limits_info(i);
    char key[96], e[EB_ERRLEN];
    CaseValue v;
    snprintf(key, sizeof key, "limits.%s", li->name);
    /* the key's unit is the quantity's (names carry their units) */
    if (Case_get(c, key, &v, e, sizeof e) != EB_OK || v.kind != CASE_VALUE_NUMBER) continue;
    w->limit_quantity[w->n_limits] = li->quantity;
    w->limit_value[w->n_limits++] = v.number;
  }
}

/* The table's columns: what summary.json holds for a run (a study's
 * answer excepted); a value a point does not have is empty there. */
static int is_column(const ResultEntry *e) {
  return (Registry_is_single(e) || e->kind == RES_TEXTS) && !(e->flags & RES_STUDY);
}

static int column_of(const SweepWriter *w, const char *name) {
  for (int k = 0; k < w->n_cols; k++)
    if (!strcmp(w->cols[k]->name, name)) return k;
  return -1;
}

static double cell(const SweepWriter *w, size_t q, int k) {
  return k < 0 ? NAN : w->num[q * (size_t)w->n_cols + (size_t)k];
}

static int is_text(const ResultEntry *e) { return e->kind == RES_TEXT || e->kind == RES_TEXTS; }

/* A CSV field: quoted, quotes doubled (RFC 4180). */
static void csv_text(FILE *f, const char *s) {
  fputc('"', f);
  for (; s && *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s == '\n' ? ' ' : *s, f);
  }
  fputc('"', f);
}

int SweepWriter_create(const char *dir, const Registry *reg, const SweepParam *params,
                       const char *const *units, int n_params, size_t n_points, SweepWriter **out,
                       char *err, size_t err_size) {
  *out = NULL;
  int rc = Output_mkdir_p(dir, err, err_size);
  if (rc != EB_OK) return rc;
  SweepWriter *w = calloc(1, sizeof *w);
  if (!w) {
    snprintf(err, err_size, "sweep: out of memory");
    return EB_EFAIL;
  }
  snprintf(w->dir, sizeof w->dir, "%s", dir);
  w->reg = reg;
  w->params = params;
  w->n_params = n_params;
  for (int i = 0; i < n_params; i++)
    snprintf(w->units[i], sizeof w->units[i], "%s", units && units[i] ? units[i] : "");
  w->n_points = n_points;
  w->cols = calloc((size_t)Registry_size(reg) + 1, sizeof *w->cols);
  for (int i = 0; w->cols && i < Registry_size(reg); i++)
    if (is_column(Registry_at(reg, i))) w->cols[w->n_cols++] = Registry_at(reg, i);
  w->num = malloc(n_points * (size_t)(w->n_cols + 1) * sizeof *w->num);
  w->txt = calloc(n_points * (size_t)(w->n_cols + 1), sizeof *w->txt);
  w->status = calloc(n_points, sizeof *w->status);
  w->why = calloc(n_points, sizeof *w->why);
  w->h5 = -1;
  char path[1100];
  out_path(path, sizeof path, dir, "sweep.csv", 1);
  w->csv = fopen(path, "w");
  int csv_errno = w->csv ? 0 : errno;
  out_h5_capture(w->h5_why);
  out_path(path, sizeof path, dir, "sweep.h5", 1);
  if (w->csv) w->h5 = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  out_h5_capture(NULL);
  if (!w->cols || !w->num || !w->txt || !w->status || !w->why || !w->csv || w->h5 < 0) {
    snprintf(err, err_size, "sweep: cannot create the output files in %s: %s", dir,
             !w->cols || !w->num || !w->txt || !w->status || !w->why ? "out of memory"
             : !w->csv ? strerror(csv_errno)
                       : w->h5_why);
    SweepWriter_destroy(w);
    return EB_EFAIL;
  }
  for (size_t q = 0; q < n_points * (size_t)w->n_cols; q++) w->num[q] = NAN;
  for (size_t q = 0; q < n_points; q++) w->status[q] = -1;
  /* CSV header: point, the swept keys, status, then every column with its unit */
  fprintf(w->csv, "point");
  for (int i = 0; i < n_params; i++)
    fprintf(w->csv, ",%s%s%s%s", params[i].key, w->units[i][0] ? " (" : "", w->units[i],
            w->units[i][0] ? ")" : "");
  fprintf(w->csv, ",status");
  for (int k = 0; k < w->n_cols; k++) fprintf(w->csv, ",%s (%s)", w->cols[k]->name, w->cols[k]->unit);
  fprintf(w->csv, "\n");
  *out = w;
  return EB_OK;
}

/* One line of the console table. */
static void print_row(SweepWriter *w, FILE *table, size_t index, const int *idx, int status,
                      const char *why) {
  if (!w->header_done) {
    fprintf(table, "%6s", "point");
    for (int i = 0; i < w->n_params; i++) fprintf(table, "  %16s", w->params[i].key);
    fprintf(table, "  %8s %10s %9s %9s %8s  %s\n", "t_max_c", "outlet_c", "flow_lpm", "dP_kPa",
            "pump_W", "limits");
    w->header_done = 1;
  }
  fprintf(table, "%6zu", index + 1);
  for (int i = 0; i < w->n_params; i++) fprintf(table, "  %16s", w->params[i].values[idx[i]]);
  if (status != EB_OK) {
    fprintf(table, "  failed: %s\n", why);
  } else {
    int kb = column_of(w, "limits_broken"), kok = column_of(w, "all_limits_ok");
    const char *broken = kb >= 0 ? w->txt[index * (size_t)w->n_cols + (size_t)kb] : NULL;
    fprintf(table, "  %8.2f %10.2f %9.1f %9.1f %8.0f  ", cell(w, index, column_of(w, "t_max_c")),
            cell(w, index, column_of(w, "coolant_outlet_c")),
            cell(w, index, column_of(w, "coolant_flow_lpm")),
            cell(w, index, column_of(w, "pressure_drop_kpa")),
            cell(w, index, column_of(w, "pump_power_w")));
    const int kn = column_of(w, "nearest_limit"), km = column_of(w, "nearest_limit_margin");
    const char *nearest = kn >= 0 ? w->txt[index * (size_t)w->n_cols + (size_t)kn] : NULL;
    if (cell(w, index, kok) == 1.0 && nearest && nearest[0])
      fprintf(table, "ok (nearest %s, %.1f %% to go)\n", nearest, 100.0 * cell(w, index, km));
    else if (cell(w, index, kok) == 1.0)
      fprintf(table, "ok\n");
    else
      fprintf(table, "%s BROKEN\n", broken && broken[0] ? broken : "a limit");
  }
  fflush(table);
}

/* The CSV row of point index from the table in memory. */
static void csv_row(SweepWriter *w, size_t index, const int *idx) {
  fprintf(w->csv, "%zu", index + 1);
  for (int i = 0; i < w->n_params; i++) fprintf(w->csv, ",%s", w->params[i].values[idx[i]]);
  if (w->status[index] == EB_OK) {
    fprintf(w->csv, ",ok");
  } else {
    char msg[EB_ERRLEN + 16];
    snprintf(msg, sizeof msg, "failed: %s", w->why[index] ? w->why[index] : "");
    fputc(',', w->csv);
    csv_text(w->csv, msg);
  }
  for (int k = 0; k < w->n_cols; k++) {
    const ResultEntry *e = w->cols[k];
    size_t at = index * (size_t)w->n_cols + (size_t)k;
    fputc(',', w->csv);
    if (w->status[index] != EB_OK) continue;
    if (is_text(e))
      csv_text(w->csv, w->txt[at]);
    else if (e->kind == RES_FLAG)
      fprintf(w->csv, "%s", w->num[at] != 0.0 ? "true" : "false");
    else if (e->kind == RES_COUNT)
      fprintf(w->csv, "%.0f", w->num[at]);
    else if (isfinite(w->num[at]))
      fprintf(w->csv, "%.10g", w->num[at]);
  }
  fprintf(w->csv, "\n");
  fflush(w->csv);
}

/* Text lists become one text: "a; b". */
static char *join_rows(const Result *r, const ResultEntry *e) {
  size_t len = 1;
  for (int i = 0; i < Result_rows(r, e); i++) len += strlen(Result_texts_row(r, e, i)) + 2;
  char *s = calloc(len, 1);
  for (int i = 0; s && i < Result_rows(r, e); i++) {
    if (i) strcat(s, "; ");
    strcat(s, Result_texts_row(r, e, i));
  }
  return s;
}

/* The point's wafer map, with its own grid (a swept value may change it). */
static int write_point_map(SweepWriter *w, size_t index, const int *idx, const Result *r,
                           const Grid *g) {
  const ResultEntry *e = Registry_find(w->reg, "wafer_temperature_c");
  if (!e || !Result_has(r, e)) return 0;
  char name[48];
  snprintf(name, sizeof name, "points/point_%04zu", index + 1);
  hid_t grp = out_h5_group(w->h5, name);
  int bad = grp < 0 || out_h5_entry(grp, e, r, g);
  hsize_t dx[1] = {(hsize_t)g->nx + 1}, dy[1] = {(hsize_t)g->ny + 1};
  if (!bad) bad = out_h5_doubles(grp, "x_faces_m", 1, dx, g->x, "m", "cell faces along x");
  if (!bad) bad = out_h5_doubles(grp, "y_faces_m", 1, dy, g->y, "m", "cell faces along y");
  for (int i = 0; i < w->n_params && !bad; i++) bad = out_h5_attr(grp, w->params[i].key,
                                                                   w->params[i].values[idx[i]]);
  if (grp >= 0) H5Gclose(grp);
  return bad;
}

int SweepWriter_add(SweepWriter *w, size_t index, const int *idx, int status, const char *why,
                    const Result *r, const Grid *g, FILE *table, char *err, size_t err_size) {
  w->status[index] = status;
  free(w->why[index]);
  w->why[index] = status != EB_OK ? strdup(why ? why : "") : NULL;
  for (int k = 0; k < w->n_cols && status == EB_OK; k++) {
    const ResultEntry *e = w->cols[k];
    size_t at = index * (size_t)w->n_cols + (size_t)k;
    if (!Result_has(r, e)) continue;
    if (e->kind == RES_TEXT)
      w->txt[at] = strdup(Result_text(r, e));
    else if (e->kind == RES_TEXTS)
      w->txt[at] = join_rows(r, e);
    else
      w->num[at] = Result_number(r, e);
  }
  csv_row(w, index, idx);
  out_h5_capture(w->h5_why);
  int bad = status == EB_OK && g ? write_point_map(w, index, idx, r, g) : 0;
  out_h5_capture(NULL);
  if (bad) {
    snprintf(err, err_size, "sweep: HDF5 error writing point %zu to %s/sweep.h5: %s", index + 1,
             w->dir, w->h5_why[0] ? w->h5_why : "no detail from HDF5");
    return EB_EFAIL;
  }
  if (table) print_row(w, table, index, idx, status, w->why[index]);
  return EB_OK;
}

/* A column of a worker's table into ours, for the points it ran. */
static int merge_column(SweepWriter *w, hid_t f, int k, const int *st) {
  const ResultEntry *e = w->cols[k];
  char path[160];
  snprintf(path, sizeof path, "table/%s", e->name);
  const size_t n = w->n_points;
  if (is_text(e)) {
    for (size_t q = 0; q < n; q++) {
      if (st[q] != EB_OK) continue;
      char *t = out_h5_read_text(f, path, (long)q);
      if (!t) return -1;
      free(w->txt[q * (size_t)w->n_cols + (size_t)k]);
      w->txt[q * (size_t)w->n_cols + (size_t)k] = t;
    }
    return 0;
  }
  double *v = malloc(n * sizeof *v);
  int bad = !v || out_h5_read_numbers(f, path, v, n) != 0;
  for (size_t q = 0; q < n && !bad; q++)
    if (st[q] == EB_OK) w->num[q * (size_t)w->n_cols + (size_t)k] = v[q];
  free(v);
  return bad ? -1 : 0;
}

int SweepWriter_merge(SweepWriter *w, const char *const *part_dirs, int n_parts, FILE *table,
                      char *err, size_t err_size) {
  const size_t n = w->n_points;
  double *stv = malloc(n * sizeof *stv);
  int *st = malloc(n * sizeof *st);
  int bad = !stv || !st;
  char failed_part[1200] = "";
  out_h5_capture(w->h5_why);
  for (int p = 0; p < n_parts && !bad; p++) {
    char path[1100];
    snprintf(path, sizeof path, "%s/sweep.h5", part_dirs[p]);
    /* the worker has exited: no lock needed to read what it wrote */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl >= 0) H5Pset_file_locking(fapl, 0, 1);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, fapl >= 0 ? fapl : H5P_DEFAULT);
    if (fapl >= 0) H5Pclose(fapl);
    bad = f < 0 || out_h5_read_numbers(f, "table/status", stv, n) != 0;
    for (size_t q = 0; q < n && !bad; q++) st[q] = (int)stv[q];
    for (int k = 0; k < w->n_cols && !bad; k++) bad = merge_column(w, f, k, st);
    for (size_t q = 0; q < n && !bad; q++) {
      if (st[q] < 0) continue;
      w->status[q] = st[q];
      if (st[q] != EB_OK) {
        free(w->why[q]);
        w->why[q] = out_h5_read_text(f, "table/error", (long)q);
      }
      char name[48];
      snprintf(name, sizeof name, "points/point_%04zu", q + 1);
      if (H5Lexists(f, "points", H5P_DEFAULT) > 0 && H5Lexists(f, name, H5P_DEFAULT) > 0) {
        hid_t pts = out_h5_group(w->h5, "points");
        bad = pts < 0 || H5Ocopy(f, name, pts, name + 7, H5P_DEFAULT, H5P_DEFAULT) < 0;
        if (pts >= 0) H5Gclose(pts);
      }
    }
    if (f >= 0) H5Fclose(f);
    if (bad) snprintf(failed_part, sizeof failed_part, "%s", path);
  }
  for (size_t q = 0; q < n && !bad; q++) {
    if (w->status[q] < 0) continue;
    int idx[SWEEP_MAX_PARAMS];
    Sweep_point_indices(w->params, w->n_params, q, idx);
    csv_row(w, q, idx);
    if (table) print_row(w, table, q, idx, w->status[q], w->why[q]);
  }
  free(stv);
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
  /* the loop's four, or with a power path what binds as power rises */
  const char *loop_names[4] = {"t_max_c", "coolant_outlet_c", "pressure_drop_kpa", "pump_power_w"};
  const char *loop_what[4] = {"hottest junction", "coolant outlet", "pressure drop", "pump power"};
  const char *pwr_names[4] = {"t_max_c", "psu_load_max_kw", "brick_load_max",
                              "brick_temp_max_c"};
  const char *pwr_what[4] = {"hottest junction", "largest PSU load",
                             "brick current / derated rating", "hottest brick"};
  int has_power = 0;
  for (size_t q = 0; q < w->n_points; q++) has_power |= isfinite(cell(w, q, column_of(w, "psu_load_max_kw")));
  /* with mechanics, two more: what the CTE mismatch does as power rises */
  int has_mech = 0;
  for (size_t q = 0; q < w->n_points; q++)
    has_mech |= isfinite(cell(w, q, column_of(w, "connector_shear_strain_max")));
  const char *names[6], *what[6];
  for (int m = 0; m < 4; m++) {
    names[m] = has_power ? pwr_names[m] : loop_names[m];
    what[m] = has_power ? pwr_what[m] : loop_what[m];
  }
  const int n_panels = has_mech ? 6 : 4;
  names[4] = "connector_shear_strain_max";
  what[4] = "connector shear strain";
  names[5] = "wafer_stress_max_mpa";
  what[5] = "wafer membrane stress";
  int metrics[6];
  char labels[6][96];
  for (int m = 0; m < n_panels; m++) {
    metrics[m] = column_of(w, names[m]);
    snprintf(labels[m], sizeof labels[m], "%s (%s)", what[m],
             metrics[m] >= 0 ? w->cols[metrics[m]]->unit : "?");
  }
  if (out_plot_begin(path, has_mech ? "1650x900" : "1200x900", fmt, err, err_size) != EB_OK) {
    free(x);
    free(y);
    return EB_EFAIL;
  }
  plssub(has_mech ? 3 : 2, 2);
  for (int m = 0; m < n_panels; m++) {
    double lo = INFINITY, hi = -INFINITY;
    for (size_t q = 0; q < w->n_points; q++) {
      double v = cell(w, q, metrics[m]);
      if (isfinite(v)) {
        lo = fmin(lo, v);
        hi = fmax(hi, v);
      }
    }
    if (!isfinite(lo)) lo = 0, hi = 1;
    /* the case's limit on this metric, in view */
    double lim = NAN;
    for (int k = 0; k < w->n_limits; k++)
      if (!strcmp(w->limit_quantity[k], names[m])) lim = w->limit_value[k];
    if (isfinite(lim)) lo = fmin(lo, lim), hi = fmax(hi, lim);
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
    if (isfinite(lim)) { /* the limit: a dashed red line, labelled */
      PLFLT lx[2] = {fmin(xlo, xhi), fmax(xlo, xhi)}, ly[2] = {lim, lim};
      plcol0(3);
      pllsty(2);
      plline(2, lx, ly);
      pllsty(1);
      plschr(0, 0.6);
      plptex(lx[0] + 0.02 * (lx[1] - lx[0]), lim + 0.03 * (hi - lo + 2 * pad), 1, 0, 0.0, "limit");
      plschr(0, 1.0);
    }
    for (int j = 0; j < n1; j++) {
      int cnt = 0;
      for (int i = 0; i < n0; i++) {
        size_t q = ((size_t)i * n1 + j) * stride;
        double v = cell(w, q, metrics[m]);
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

/* The table as typed columns, the swept values as numeric columns where
 * they are numbers. */
static int write_table(SweepWriter *w) {
  const size_t n = w->n_points;
  hid_t grp = out_h5_group(w->h5, "table");
  double *d = malloc((n + 1) * sizeof *d);
  long long *ll = malloc((n + 1) * sizeof *ll);
  int *b = malloc((n + 1) * sizeof *b);
  const char **t = calloc(n + 1, sizeof *t);
  int bad = grp < 0 || !d || !ll || !b || !t;
  if (!bad) bad = out_h5_attr(grp, "description",
                              "one row per sweep point, in point order; a failed point has NaN "
                              "numbers, false flags and empty texts (see status and error)");
  hsize_t dims[1] = {n};
  for (size_t q = 0; q < n; q++) ll[q] = (long long)q + 1;
  if (!bad) bad = out_h5_ints(grp, "point", (long)n, ll, "1", "point number, 1-based");
  for (size_t q = 0; q < n; q++) ll[q] = w->status[q];
  if (!bad)
    bad = out_h5_ints(grp, "status", (long)n, ll, "1",
                      "0 ok, 1 solver failure, 2 bad input, 4 no steady state (thermal "
                      "runaway, a collapsing supply, boiling coolant), -1 not run");
  for (size_t q = 0; q < n; q++) t[q] = w->why[q] ? w->why[q] : "";
  if (!bad) bad = out_h5_texts(grp, "error", (long)n, t, "why the point failed (empty: it did not)");
  for (int i = 0; i < w->n_params && !bad; i++) {
    const SweepParam *p = &w->params[i];
    int numeric = 1;
    for (int v = 0; v < p->n; v++) {
      char *end;
      strtod(p->values[v], &end);
      if (*end || end == p->values[v]) numeric = 0;
    }
    char name[200];
    snprintf(name, sizeof name, "swept/%s", p->key);
    hid_t sg = out_h5_group(w->h5, "table/swept");
    int idx[SWEEP_MAX_PARAMS];
    for (size_t q = 0; q < n; q++) {
      Sweep_point_indices(w->params, w->n_params, q, idx);
      d[q] = numeric ? strtod(p->values[idx[i]], NULL) : NAN;
      t[q] = p->values[idx[i]];
    }
    bad = sg < 0 || (numeric ? out_h5_doubles(sg, p->key, 1, dims, d, w->units[i][0] ? w->units[i] : "1",
                                              "the swept case value of each point")
                             : out_h5_texts(sg, p->key, (long)n, t,
                                            "the swept case value of each point"));
    if (sg >= 0) H5Gclose(sg);
  }
  for (int k = 0; k < w->n_cols && !bad; k++) {
    const ResultEntry *e = w->cols[k];
    for (size_t q = 0; q < n; q++) {
      size_t at = q * (size_t)w->n_cols + (size_t)k;
      d[q] = w->num[at];
      ll[q] = isfinite(w->num[at]) ? (long long)w->num[at] : 0;
      b[q] = w->num[at] == 1.0;
      t[q] = w->txt[at] ? w->txt[at] : "";
    }
    if (is_text(e))
      bad = out_h5_texts(grp, e->name, (long)n, t, e->desc);
    else if (e->kind == RES_FLAG)
      bad = out_h5_bools(grp, e->name, (long)n, b, e->desc);
    else if (e->kind == RES_COUNT)
      bad = out_h5_ints(grp, e->name, (long)n, ll, e->unit, e->desc);
    else
      bad = out_h5_doubles(grp, e->name, 1, dims, d, e->unit, e->desc);
  }
  if (grp >= 0) H5Gclose(grp);
  free(d);
  free(ll);
  free(b);
  free(t);
  return bad;
}

int SweepWriter_finish(SweepWriter *w, FigureFormat figures, char *err, size_t err_size) {
  out_h5_capture(w->h5_why);
  int bad = write_table(w);
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

void SweepWriter_first_break(const SweepWriter *w, FILE *f) {
  if (w->n_params != 1 || w->n_points < 2) return;
  const SweepParam *p = &w->params[0];
  const int kok = column_of(w, "all_limits_ok"), kb = column_of(w, "limits_broken");
  const int kn = column_of(w, "nearest_limit"), km = column_of(w, "nearest_limit_margin");
  size_t last_ok = SIZE_MAX;
  for (size_t q = 0; q < w->n_points; q++) {
    const int st = w->status[q];
    const int broken = st == EB_ENOSTATE || (st == EB_OK && cell(w, q, kok) != 1.0);
    if (st == EB_OK && !broken) {
      last_ok = q;
      continue;
    }
    if (!broken) continue; /* a failed point says nothing of the limits */
    const char *what = st == EB_ENOSTATE ? "no steady state"
                                         : (kb >= 0 ? w->txt[q * (size_t)w->n_cols + (size_t)kb]
                                                    : "a limit");
    if (last_ok == SIZE_MAX)
      fprintf(f, "  First to break     %s already at %s = %s%s%s\n", what, p->key, p->values[q],
              w->units[0][0] ? " " : "", w->units[0]);
    else
      fprintf(f, "  First to break     %s, along %s between %s and %s%s%s\n", what, p->key,
              p->values[last_ok], p->values[q], w->units[0][0] ? " " : "", w->units[0]);
    return;
  }
  const size_t q = w->n_points - 1;
  const char *nearest = kn >= 0 ? w->txt[q * (size_t)w->n_cols + (size_t)kn] : NULL;
  if (w->status[q] == EB_OK && nearest && nearest[0])
    fprintf(f, "  First to break     none over the sweep; at %s = %s the nearest is %s (%.1f %% to go)\n",
            p->key, p->values[q], nearest, 100.0 * cell(w, q, km));
}

void SweepWriter_destroy(SweepWriter *w) {
  if (!w) return;
  if (w->csv) fclose(w->csv);
  if (w->h5 >= 0) H5Fclose(w->h5);
  for (size_t q = 0; w->txt && q < w->n_points * (size_t)w->n_cols; q++) free(w->txt[q]);
  for (size_t q = 0; w->why && q < w->n_points; q++) free(w->why[q]);
  free(w->txt);
  free(w->why);
  free(w->num);
  free(w->cols);
  free(w->status);
  free(w);
}

size_t SweepWriter_rows_written(const char *const *part_dirs, int n_parts) {
  size_t rows = 0;
  for (int k = 0; k < n_parts; k++) {
    char p[1200], line[256];
    snprintf(p, sizeof p, "%s/sweep.csv.tmp", part_dirs[k]);
    FILE *f = fopen(p, "r");
    while (f && fgets(line, sizeof line, f))
      if (strchr(line, '\n') && line[0] >= '1' && line[0] <= '9') rows++; /* whole point rows */
    if (f) fclose(f);
  }
  return rows;
}

void SweepWriter_remove_parts(const char *const *part_dirs, int n_parts) {
  const char *files[] = {"sweep.csv", "sweep.h5", "sweep.csv.tmp", "sweep.h5.tmp"};
  for (int k = 0; k < n_parts; k++) {
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
      char p[1200];
      snprintf(p, sizeof p, "%s/%s", part_dirs[k], files[f]);
      unlink(p);
    }
    rmdir(part_dirs[k]);
  }
}

int SweepWriter_failed(const SweepWriter *w) {
  int n = 0;
  for (size_t q = 0; q < w->n_points; q++) n += w->status[q] > 0;
  return n;
}

size_t SweepWriter_points(const SweepWriter *w) { return w->n_points; }
