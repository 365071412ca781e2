/* out_sweep.c - sweep.csv, sweep.h5, the console table and sweep.png,
 * with the registry's single values as columns. */
#include "out_sweep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <math.h>
#include <plplot.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out_style.h"
#include "output.h"
#include "output_internal.h"

struct SweepWriter {
  char dir[600];
  const Registry *reg;
  const SweepParam *params;
  int n_params;
  int map; /* a design map's table: its own columns too */
  char units[SWEEP_MAX_PARAMS][16];
  size_t n_points;
  int n_cols;
  const ResultEntry **cols; /* the registry's single values and text lists */
  char points[700];         /* dir/.sweep-points: each finished point's file */
  hid_t h5;                 /* sweep.h5, built in memory */
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
  /* and for its title: the limit's name and direction, the base case */
  const char *limit_name[LIMITS_MAX];
  int limit_lower[LIMITS_MAX];
  char case_name[128];
  double base_power_kw, base_flow_lpm, base_inlet_c;
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
    w->limit_name[w->n_limits] = li->name;
    w->limit_lower[w->n_limits] = li->lower;
    w->limit_value[w->n_limits++] = v.number;
  }
  snprintf(w->case_name, sizeof w->case_name, "%s", c->name);
  w->base_power_kw = c->power_w * 1e-3;
  w->base_flow_lpm = c->flow_m3_s * 60000.0;
  w->base_inlet_c = c->inlet_t_k - 273.15;
}

/* The table's columns: what summary.json holds for a run (a study's
 * answer excepted); a value a point does not have is empty there. */
static int is_column(const ResultEntry *e, int map) {
  return (Registry_is_single(e) || e->kind == RES_TEXTS) && !(e->flags & RES_STUDY) &&
         (map || !(e->flags & RES_MAP_ONLY));
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

static int create(const char *dir, const Registry *reg, const SweepParam *params,
                  const char *const *units, int n_params, size_t n_points, int map,
                  SweepWriter **out, char *err, size_t err_size) {
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
  w->map = map;
  for (int i = 0; i < n_params; i++)
    snprintf(w->units[i], sizeof w->units[i], "%s", units && units[i] ? units[i] : "");
  w->n_points = n_points;
  w->cols = calloc((size_t)Registry_size(reg) + 1, sizeof *w->cols);
  for (int i = 0; w->cols && i < Registry_size(reg); i++)
    if (is_column(Registry_at(reg, i), map)) w->cols[w->n_cols++] = Registry_at(reg, i);
  w->num = malloc(n_points * (size_t)(w->n_cols + 1) * sizeof *w->num);
  w->txt = calloc(n_points * (size_t)(w->n_cols + 1), sizeof *w->txt);
  w->status = calloc(n_points, sizeof *w->status);
  w->why = calloc(n_points, sizeof *w->why);
  w->h5 = -1;
  snprintf(w->points, sizeof w->points, "%.580s/" SWEEP_POINTS_DIR, dir);
  char path[1100];
  out_h5_capture(w->h5_why);
  out_path(path, sizeof path, dir, "sweep.h5", 1);
  w->h5 = out_h5_memory(path);
  out_h5_capture(NULL);
  if (!w->cols || !w->num || !w->txt || !w->status || !w->why || w->h5 < 0) {
    snprintf(err, err_size, "sweep: cannot set up the output of %s: %s", dir,
             w->h5 < 0 ? w->h5_why : "out of memory");
    SweepWriter_destroy(w);
    return EB_EFAIL;
  }
  for (size_t q = 0; q < n_points * (size_t)w->n_cols; q++) w->num[q] = NAN;
  for (size_t q = 0; q < n_points; q++) w->status[q] = -1;
  *out = w;
  return EB_OK;
}

int SweepWriter_create(const char *dir, const Registry *reg, const SweepParam *params,
                       const char *const *units, int n_params, size_t n_points, SweepWriter **out,
                       char *err, size_t err_size) {
  return create(dir, reg, params, units, n_params, n_points, 0, out, err, err_size);
}

int SweepWriter_create_map(const char *dir, const Registry *reg, const SweepParam *params,
                           const char *const *units, int n_params, size_t n_points,
                           SweepWriter **out, char *err, size_t err_size) {
  return create(dir, reg, params, units, n_params, n_points, 1, out, err, err_size);
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

/* CSV header: point, the swept keys, status, then every column with its unit. */
static void csv_header(const SweepWriter *w, FILE *f) {
  fprintf(f, "point");
  for (int i = 0; i < w->n_params; i++)
    fprintf(f, ",%s%s%s%s", w->params[i].key, w->units[i][0] ? " (" : "", w->units[i],
            w->units[i][0] ? ")" : "");
  fprintf(f, ",status");
  for (int k = 0; k < w->n_cols; k++) fprintf(f, ",%s (%s)", w->cols[k]->name, w->cols[k]->unit);
  fprintf(f, "\n");
}

/* The CSV row of point index from the table in memory. */
static void csv_row(const SweepWriter *w, FILE *csv, size_t index, const int *idx) {
  fprintf(csv, "%zu", index + 1);
  for (int i = 0; i < w->n_params; i++) fprintf(csv, ",%s", w->params[i].values[idx[i]]);
  if (w->status[index] == EB_OK) {
    fprintf(csv, ",ok");
  } else {
    char msg[EB_ERRLEN + 16];
    snprintf(msg, sizeof msg, "failed: %s", w->why[index] ? w->why[index] : "");
    fputc(',', csv);
    csv_text(csv, msg);
  }
  for (int k = 0; k < w->n_cols; k++) {
    const ResultEntry *e = w->cols[k];
    size_t at = index * (size_t)w->n_cols + (size_t)k;
    fputc(',', csv);
    if (w->status[index] != EB_OK) continue;
    if (is_text(e))
      csv_text(csv, w->txt[at]);
    else if (e->kind == RES_FLAG)
      fprintf(csv, "%s", w->num[at] != 0.0 ? "true" : "false");
    else if (e->kind == RES_COUNT)
      fprintf(csv, "%.0f", w->num[at]);
    else if (isfinite(w->num[at]))
      fprintf(csv, "%.10g", w->num[at]);
  }
  fprintf(csv, "\n");
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

/* The point's wafer map, with its own grid (a swept value may change it),
 * as group `name` of loc. */
static int write_point_map(const SweepWriter *w, hid_t loc, const char *name, size_t index,
                           const Result *r, const Grid *g) {
  const ResultEntry *e = Registry_find(w->reg, "wafer_temperature_c");
  if (!e || !Result_has(r, e)) return 0;
  int idx[SWEEP_MAX_PARAMS];
  Sweep_point_indices(w->params, w->n_params, index, idx);
  hid_t grp = out_h5_group(loc, name);
  int bad = grp < 0 || out_h5_entry(grp, e, r, g);
  hsize_t dx[1] = {(hsize_t)g->nx + 1}, dy[1] = {(hsize_t)g->ny + 1};
  if (!bad) bad = out_h5_doubles(grp, "x_faces_m", 1, dx, g->x, "m", "cell faces along x");
  if (!bad) bad = out_h5_doubles(grp, "y_faces_m", 1, dy, g->y, "m", "cell faces along y");
  for (int i = 0; i < w->n_params && !bad; i++) bad = out_h5_attr(grp, w->params[i].key,
                                                                   w->params[i].values[idx[i]]);
  if (grp >= 0) H5Gclose(grp);
  return bad;
}

static void map_name(char *buf, size_t size, size_t index) {
  snprintf(buf, size, "points/point_%04zu", index + 1);
}

/* Point index's row: cleared, then its status and reason. */
static void set_status(SweepWriter *w, size_t index, int status, const char *why) {
  for (int k = 0; k < w->n_cols; k++) {
    size_t at = index * (size_t)w->n_cols + (size_t)k;
    free(w->txt[at]);
    w->txt[at] = NULL;
    w->num[at] = NAN;
  }
  w->status[index] = status;
  free(w->why[index]);
  w->why[index] = status != EB_OK ? strdup(why ? why : "") : NULL;
}

int SweepWriter_add(SweepWriter *w, size_t index, const int *idx, int status, const char *why,
                    const Result *r, const Grid *g, FILE *table, char *err, size_t err_size) {
  set_status(w, index, status, why);
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
  char name[48];
  map_name(name, sizeof name, index);
  out_h5_capture(w->h5_why);
  int bad = status == EB_OK && g ? write_point_map(w, w->h5, name, index, r, g) : 0;
  out_h5_capture(NULL);
  if (bad) {
    snprintf(err, err_size, "sweep: HDF5 error adding point %zu to sweep.h5: %s", index + 1,
             w->h5_why[0] ? w->h5_why : "no detail from HDF5");
    return EB_EFAIL;
  }
  if (table) print_row(w, table, index, idx, status, w->why[index]);
  return EB_OK;
}

/* ---- the points folder ------------------------------------------------------------------
 * Each finished point is a file of its own, point_NNNNNN.h5 (status,
 * error, the columns' values in output units, the wafer map), written
 * whole: in memory, then a temporary name, fsync, rename. A worker claims a
 * point with point_NNNNNN.claim (O_EXCL). sweep.id names the sweep's
 * inputs, so that --resume continues only the same sweep. */

static void point_file(const SweepWriter *w, size_t index, const char *ext, char *buf,
                       size_t size) {
  snprintf(buf, size, "%s/point_%06zu.%s", w->points, index + 1, ext);
}

int SweepWriter_is_saved(const SweepWriter *w, size_t index) {
  char path[800];
  point_file(w, index, "h5", path, sizeof path);
  return access(path, F_OK) == 0;
}

int SweepWriter_claim(const SweepWriter *w, size_t index) {
  if (SweepWriter_is_saved(w, index)) return 0;
  char path[800];
  point_file(w, index, "claim", path, sizeof path);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd >= 0) {
    close(fd);
    return 1;
  }
  /* taken by another worker; any other failure: run it anyway (a point
   * saved twice is saved whole twice) rather than leave it out */
  return errno != EEXIST;
}

int SweepWriter_save(SweepWriter *w, size_t index, int status, const char *why, const Result *r,
                     const Grid *g, char *err, size_t err_size) {
  char name[40], path[800];
  snprintf(name, sizeof name, "point_%06zu.h5", index + 1);
  out_path(path, sizeof path, w->points, name, 1);
  out_h5_capture(w->h5_why);
  hid_t f = out_h5_memory(path);
  const long long st = status;
  const char *msg = status != EB_OK && why ? why : "";
  int bad = f < 0 || out_h5_ints(f, "status", 1, &st, "1", "the point's exit status") ||
            out_h5_texts(f, "error", 1, &msg, "why the point failed");
  if (!bad && status == EB_OK && r) {
    hid_t grp = out_h5_group(f, "values");
    bad = grp < 0;
    for (int k = 0; k < w->n_cols && !bad; k++) {
      const ResultEntry *e = w->cols[k];
      if (!Result_has(r, e)) continue;
      if (is_text(e)) {
        char *t = e->kind == RES_TEXT ? strdup(Result_text(r, e)) : join_rows(r, e);
        const char *tv = t ? t : "";
        bad = !t || out_h5_texts(grp, e->name, 1, &tv, e->desc);
        free(t);
      } else {
        const double v = Result_number(r, e);
        const hsize_t one[1] = {1};
        bad = out_h5_doubles(grp, e->name, 1, one, &v, e->unit, e->desc);
      }
    }
    if (grp >= 0) H5Gclose(grp);
    if (!bad && g) bad = write_point_map(w, f, "map", index, r, g);
  }
  int rc;
  if (bad) {
    if (f >= 0) H5Fclose(f);
    snprintf(err, err_size, "sweep: HDF5 error saving point %zu in %s: %s", index + 1, w->points,
             w->h5_why[0] ? w->h5_why : "no detail from HDF5");
    rc = EB_EFAIL;
  } else {
    rc = out_h5_memory_save(f, path, w->h5_why, err, err_size);
  }
  out_h5_capture(NULL);
  if (rc == EB_OK) rc = out_commit_file(w->points, name, err, err_size);
  return rc;
}

int SweepWriter_load(SweepWriter *w, size_t index, FILE *table, char *err, size_t err_size) {
  char path[800];
  point_file(w, index, "h5", path, sizeof path);
  out_h5_capture(w->h5_why);
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl >= 0) H5Pset_file_locking(fapl, 0, 1); /* written whole and closed: no lock */
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, fapl >= 0 ? fapl : H5P_DEFAULT);
  if (fapl >= 0) H5Pclose(fapl);
  double stv = NAN;
  int bad = f < 0 || out_h5_read_numbers(f, "status", &stv, 1) != 0 || !isfinite(stv);
  if (!bad) {
    char *why = (int)stv != EB_OK ? out_h5_read_text(f, "error", 0) : NULL;
    set_status(w, index, (int)stv, why ? why : "(no reason saved)");
    free(why);
  }
  for (int k = 0; k < w->n_cols && !bad && w->status[index] == EB_OK; k++) {
    const ResultEntry *e = w->cols[k];
    char name[200];
    snprintf(name, sizeof name, "values/%s", e->name);
    if (H5Lexists(f, "values", H5P_DEFAULT) <= 0 || H5Lexists(f, name, H5P_DEFAULT) <= 0)
      continue; /* a value this point does not have */
    size_t at = index * (size_t)w->n_cols + (size_t)k;
    if (is_text(e))
      bad = !(w->txt[at] = out_h5_read_text(f, name, 0));
    else
      bad = out_h5_read_numbers(f, name, &w->num[at], 1) != 0;
  }
  if (!bad && H5Lexists(f, "map", H5P_DEFAULT) > 0) {
    char name[48];
    map_name(name, sizeof name, index);
    hid_t pts = out_h5_group(w->h5, "points");
    if (pts >= 0 && H5Lexists(pts, name + 7, H5P_DEFAULT) > 0) H5Ldelete(pts, name + 7, H5P_DEFAULT);
    bad = pts < 0 || H5Ocopy(f, "map", pts, name + 7, H5P_DEFAULT, H5P_DEFAULT) < 0;
    if (pts >= 0) H5Gclose(pts);
  }
  if (f >= 0) H5Fclose(f);
  out_h5_capture(NULL);
  if (bad) {
    w->status[index] = -1;
    snprintf(err, err_size,
             "sweep: cannot read the saved point %s: %s; delete it and rerun with --resume",
             path, w->h5_why[0] ? w->h5_why : "a value is missing");
    return EB_EFAIL;
  }
  if (table) {
    int idx[SWEEP_MAX_PARAMS];
    Sweep_point_indices(w->params, w->n_params, index, idx);
    print_row(w, table, index, idx, w->status[index], w->why[index]);
  }
  return EB_OK;
}

/* The folder's entries; each passed to fn (name, user). */
static void each_entry(const char *dir, void (*fn)(const char *dir, const char *name, void *user),
                       void *user) {
  DIR *d = opendir(dir);
  struct dirent *de;
  while (d && (de = readdir(d)))
    if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) fn(dir, de->d_name, user);
  if (d) closedir(d);
}

static int ends_with(const char *s, const char *end) {
  size_t n = strlen(s), m = strlen(end);
  return n >= m && !strcmp(s + n - m, end);
}

static void count_point(const char *dir, const char *name, void *user) {
  (void)dir;
  if (!strncmp(name, "point_", 6) && ends_with(name, ".h5")) ++*(size_t *)user;
}

/* Everything (keep == 0) or the claims and unfinished files (keep == 1). */
static void remove_entry(const char *dir, const char *name, void *user) {
  const int keep = *(const int *)user;
  if (keep && !ends_with(name, ".claim") && !ends_with(name, ".tmp")) return;
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  unlink(path);
}

size_t SweepWriter_saved_count(const SweepWriter *w) {
  size_t n = 0;
  each_entry(w->points, count_point, &n);
  return n;
}

static void clear_points(const SweepWriter *w, int keep_points) {
  each_entry(w->points, remove_entry, &keep_points);
  if (!keep_points) rmdir(w->points);
}

/* The first line where two identities differ, for the message. */
static void first_difference(const char *a, const char *b, char *out, size_t size) {
  while (*a || *b) {
    size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
    if (la != lb || memcmp(a, b, la)) {
      snprintf(out, size, "it ran %.*s; this one runs %.*s", (int)(la > 200 ? 200 : la), a,
               (int)(lb > 200 ? 200 : lb), b);
      return;
    }
    a += la + (a[la] == '\n');
    b += lb + (b[lb] == '\n');
  }
  snprintf(out, size, "its record is unreadable");
}

int SweepWriter_begin(SweepWriter *w, const char *identity, int resume, size_t *kept,
                      size_t *discarded, char *err, size_t err_size) {
  *kept = *discarded = 0;
  struct stat sb;
  if (stat(w->points, &sb) == 0) {
    char id_path[800], *old = NULL;
    snprintf(id_path, sizeof id_path, "%s/sweep.id", w->points);
    FILE *f = fopen(id_path, "r");
    if (f) {
      old = calloc(SWEEP_ID_MAX + 1, 1);
      if (old && fread(old, 1, SWEEP_ID_MAX, f) == 0) old[0] = '\0';
      fclose(f);
    }
    const size_t n = SweepWriter_saved_count(w);
    const int same = old && !strcmp(old, identity);
    if (resume && !same && n > 0) {
      char diff[600];
      first_difference(old ? old : "", identity, diff, sizeof diff);
      snprintf(err, err_size,
               "--resume: the unfinished sweep in %s is not this one (%s); rerun without "
               "--resume to start over (its %zu saved points are then discarded)",
               w->dir, diff, n);
      free(old);
      return EB_EINPUT;
    }
    free(old);
    if (resume && same) {
      clear_points(w, 1);
      *kept = n;
    } else {
      clear_points(w, 0);
      *discarded = n;
    }
  }
  int rc = Output_mkdir_p(w->points, err, err_size);
  char path[800];
  out_path(path, sizeof path, w->points, "sweep.id", 1);
  if (rc == EB_OK) rc = out_write_bytes(path, identity, strlen(identity), err, err_size);
  if (rc == EB_OK) rc = out_commit_file(w->points, "sweep.id", err, err_size);
  return rc;
}

/* ---- sweep.png ------------------------------------------------------------------
 * The metrics that decide a sweep against the first swept key, one line per
 * value of the second (colour, line style and legend per series): the
 * hottest junction, then each quantity the case limits, those with the
 * least margin over the sweep first (six panels at most; without limits,
 * the loop's four). Each panel: its limit as a dashed dark-red line with
 * the broken side shaded, or "above/below the scale" when drawing it would
 * flatten the data; every point marked with the shape of its binding limit
 * (the nearest while every limit holds, the most broken after), filled
 * while every limit holds, open once one is broken; a failed point is a
 * cross at the panel's foot, the legend saying why. The title names the
 * case, the key and its range, the subtitle what every point shares, and
 * for a sweep of one key the first limit to break and where. */

enum { SWEEP_PANELS = 6, SWEEP_SHAPES = 8 };

/* An axis label for a swept key: its meaning and unit. */
static void key_label(const SweepWriter *w, int k, int numeric, char *buf, size_t size) {
  static const struct {
    const char *key, *what;
  } known[] = {{"power.total_kw", "Power of the dies"},
               {"coolant.flow_lpm", "Coolant flow"},
               {"coolant.inlet_c", "Coolant inlet temperature"},
               {"power.clock", "Clock (relative)"},
               {"power_delivery.psu.failed", "PSUs failed"}};
  const char *key = w->params[k].key, *what = NULL;
  for (size_t i = 0; i < sizeof known / sizeof *known; i++)
    if (!strcmp(key, known[i].key)) what = known[i].what;
  char u[32];
  style_unit(w->units[k], u, sizeof u);
  if (!numeric)
    snprintf(buf, size, "%s (value number)", key);
  else if (what)
    snprintf(buf, size, "%s%s%s%s", what, u[0] ? " (" : "", u, u[0] ? ")" : "");
  else
    snprintf(buf, size, "%s%s%s%s", key, u[0] ? " (" : "", u, u[0] ? ")" : "");
}

static int numeric_param(const SweepParam *p) {
  for (int i = 0; i < p->n; i++) {
    char *end;
    strtod(p->values[i], &end);
    if (*end || end == p->values[i]) return 0;
  }
  return 1;
}

/* The case's limit on a quantity: its index in w, or -1. */
static int limit_of(const SweepWriter *w, const char *quantity) {
  for (int k = 0; k < w->n_limits; k++)
    if (!strcmp(w->limit_quantity[k], quantity)) return k;
  return -1;
}

/* The least relative margin of limit k over the points (NaN: no value). */
static double least_margin(const SweepWriter *w, int k) {
  const int col = column_of(w, w->limit_quantity[k]);
  double m = NAN;
  for (size_t q = 0; col >= 0 && q < w->n_points; q++) {
    const double v = cell(w, q, col), lim = w->limit_value[k];
    if (!isfinite(v) || w->status[q] != EB_OK) continue;
    const double r = (w->limit_lower[k] ? v - lim : lim - v) / fmax(fabs(lim), 1e-30);
    m = isnan(m) ? r : fmin(m, r);
  }
  return m;
}

static const char *text_cell(const SweepWriter *w, size_t q, int k) {
  return k >= 0 && w->txt[q * (size_t)w->n_cols + (size_t)k] ? w->txt[q * (size_t)w->n_cols + (size_t)k]
                                                           : "";
}

static int sweep_png(SweepWriter *w, const char *path, FigureFormat fmt, char *err,
                     size_t err_size) {
  const SweepParam *p0 = &w->params[0];
  const int numeric = numeric_param(p0);
  /* series: the second key's values, unless it rides on the first */
  const int has_series = w->n_params > 1 && !w->params[1].zip;
  const int n1 = has_series ? w->params[1].n : 1;
  const size_t np = w->n_points;
  double *xs = malloc((np + 1) * sizeof *xs);
  int *series = malloc((np + 1) * sizeof *series), *use = malloc((np + 1) * sizeof *use);
  if (!xs || !series || !use) {
    free(xs);
    free(series);
    free(use);
    snprintf(err, err_size, "sweep: out of memory drawing %s", path);
    return EB_EFAIL;
  }
  /* each point's x and series; further keys: their first value only */
  for (size_t q = 0; q < np; q++) {
    int idx[SWEEP_MAX_PARAMS] = {0};
    Sweep_point_indices(w->params, w->n_params, q, idx);
    use[q] = w->status[q] >= 0;
    for (int k = has_series ? 2 : 1; k < w->n_params; k++)
      if (!w->params[k].zip && idx[k] != 0) use[q] = 0;
    xs[q] = numeric ? strtod(p0->values[idx[0]], NULL) : idx[0] + 1;
    series[q] = has_series ? idx[1] : 0;
  }
  double xlo = INFINITY, xhi = -INFINITY;
  for (size_t q = 0; q < np; q++)
    if (use[q]) {
      xlo = fmin(xlo, xs[q]);
      xhi = fmax(xhi, xs[q]);
    }
  if (!isfinite(xlo)) xlo = 0.0, xhi = 1.0;
  if (xhi - xlo < 1e-12) xlo -= 0.5, xhi += 0.5;
  const double xpad = 0.04 * (xhi - xlo);

  /* the panels: the hottest junction, then the limited quantities, least margin first */
  const char *names[SWEEP_PANELS];
  int n_panels = 0;
  if (column_of(w, "t_max_c") >= 0) names[n_panels++] = "t_max_c";
  int order[LIMITS_MAX], n_order = 0;
  double margin[LIMITS_MAX];
  for (int k = 0; k < w->n_limits; k++) {
    margin[k] = least_margin(w, k);
    if (isfinite(margin[k]) && strcmp(w->limit_quantity[k], "t_max_c")) order[n_order++] = k;
  }
  for (int a = 1; a < n_order; a++)
    for (int b = a; b > 0 && margin[order[b]] < margin[order[b - 1]]; b--) {
      const int t = order[b];
      order[b] = order[b - 1];
      order[b - 1] = t;
    }
  for (int i = 0; i < n_order && n_panels < SWEEP_PANELS; i++) {
    int dup = 0;
    for (int m = 0; m < n_panels; m++) dup |= !strcmp(names[m], w->limit_quantity[order[i]]);
    if (!dup) names[n_panels++] = w->limit_quantity[order[i]];
  }
  if (n_panels < 2) { /* no limits: the loop's four */
    static const char *const loop[4] = {"t_max_c", "coolant_outlet_c", "pressure_drop_kpa",
                                        "pump_power_w"};
    n_panels = 0;
    for (int m = 0; m < 4; m++)
      if (column_of(w, loop[m]) >= 0) names[n_panels++] = loop[m];
  }
  const int cols = n_panels <= 4 ? 2 : 3, rows = n_panels <= 2 ? 1 : 2;

  /* the binding limit of each point: a shape per limit name, in order of appearance */
  const int kn = column_of(w, "nearest_limit"), kok = column_of(w, "all_limits_ok");
  const char *shape_name[SWEEP_SHAPES];
  int n_shapes = 0;
  int *shape = malloc((np + 1) * sizeof *shape);
  for (size_t q = 0; shape && q < np; q++) {
    shape[q] = -1;
    const char *b = use[q] && w->status[q] == EB_OK ? text_cell(w, q, kn) : "";
    if (!b[0]) continue;
    int s = 0;
    while (s < n_shapes && strcmp(shape_name[s], b)) s++;
    if (s == n_shapes && n_shapes < SWEEP_SHAPES) shape_name[n_shapes++] = b;
    shape[q] = s < n_shapes ? s : -1;
  }
  int any_broken = 0, any_ok = 0, n_failed = 0;
  size_t first_failed = 0;
  for (size_t q = 0; q < np; q++) {
    if (!use[q]) continue;
    if (w->status[q] != EB_OK) {
      if (!n_failed++) first_failed = q;
      continue;
    }
    if (cell(w, q, kok) == 1.0)
      any_ok = 1;
    else
      any_broken = 1;
  }

  /* texts */
  char title[400], sub[640], first[300] = "", xl[200], lo_t[32], hi_t[32], u[32];
  style_unit(w->units[0], u, sizeof u);
  style_number(lo_t, sizeof lo_t, xlo, 4);
  style_number(hi_t, sizeof hi_t, xhi, 4);
  if (numeric)
    snprintf(title, sizeof title, "%s: %s of %s, %s–%s%s%s (%zu points)", w->case_name,
             w->map ? "design map" : "sweep", p0->key, lo_t, hi_t, u[0] ? " " : "", u, np);
  else
    snprintf(title, sizeof title, "%s: %s of %s (%zu points)", w->case_name,
             w->map ? "design map" : "sweep", p0->key, np);
  {
    int swept_p = 0, swept_f = 0, swept_i = 0;
    for (int k = 0; k < w->n_params; k++) {
      swept_p |= !strcmp(w->params[k].key, "power.total_kw");
      swept_f |= !strcmp(w->params[k].key, "coolant.flow_lpm");
      swept_i |= !strcmp(w->params[k].key, "coolant.inlet_c");
    }
    char op[200];
    style_operating_point(op, sizeof op, swept_p ? NAN : w->base_power_kw,
                          swept_f ? NAN : w->base_flow_lpm, swept_i ? NAN : w->base_inlet_c);
    snprintf(sub, sizeof sub, "%s%s", op[0] ? "at every point: " : "", op);
    /* a map's quantity its checks did not show smooth: drawn at the solved
     * points only (out_map.c), said so rather than left for a gap to tell */
    for (int m = 0; w->map && m < n_panels; m++) {
      const int kc = column_of(w, names[m]);
      int gap = 0;
      for (size_t q = 0; kc >= 0 && q < np && !gap; q++)
        gap = use[q] && w->status[q] == EB_OK && !isfinite(cell(w, q, kc));
      if (gap) {
        const size_t len = strlen(sub);
        snprintf(sub + len, sizeof sub - len, "%slines with gaps: at the solved points only (not "
                 "rebuilt between them)", len ? "; " : "");
        break;
      }
    }
    /* keys past the series: the figure shows their first value only */
    for (int k = has_series ? 2 : 1; k < w->n_params; k++) {
      if (w->params[k].zip) continue;
      char uk[32];
      style_unit(w->units[k], uk, sizeof uk);
      const size_t len = strlen(sub);
      snprintf(sub + len, sizeof sub - len, "%sshown at %s = %s%s%s (the first of %d; the table has all)",
               len ? "; " : "", w->params[k].key, w->params[k].values[0], uk[0] ? " " : "", uk,
               w->params[k].n);
    }
  }
  if (w->n_params == 1) { /* the first limit to break along the key */
    const int kb = column_of(w, "limits_broken");
    size_t last_ok = SIZE_MAX;
    for (size_t q = 0; q < np; q++) {
      const int st = w->status[q];
      const int broken = st == EB_ENOSTATE || (st == EB_OK && cell(w, q, kok) != 1.0);
      if (st == EB_OK && !broken) {
        last_ok = q;
        continue;
      }
      if (!broken) continue;
      const char *what = st == EB_ENOSTATE ? "no steady state" : text_cell(w, q, kb);
      if (last_ok == SIZE_MAX)
        snprintf(first, sizeof first, "first to break: %s, already at %s%s%s", what,
                 p0->values[q], u[0] ? " " : "", u);
      else
        snprintf(first, sizeof first, "first to break: %s, between %s and %s%s%s", what,
                 p0->values[last_ok], p0->values[q], u[0] ? " " : "", u);
      break;
    }
    if (first[0]) {
      size_t o = strlen(sub);
      snprintf(sub + o, sizeof sub - o, "%s%s", o ? "; " : "", first);
    }
  }
  key_label(w, 0, numeric, xl, sizeof xl);

  /* the legend: series, shapes, fill, limits, failures */
  enum { MAXLEG = 24 };
  StyleLegendEntry leg[MAXLEG];
  char leg_text[MAXLEG][260];
  int nl = 0;
  for (int j = 0; has_series && j < n1 && nl < MAXLEG - 12; j++) {
    char v[32];
    style_unit(w->units[1], v, sizeof v);
    snprintf(leg_text[nl], sizeof leg_text[nl], "%s = %s%s%s", w->params[1].key,
             w->params[1].values[j], v[0] ? " " : "", v);
    leg[nl] = (StyleLegendEntry){leg_text[nl], style_series_colour(j), style_series_line(j), 2.2,
                                 NULL, 0, 0, 0};
    nl++;
  }
  for (int s = 0; s < n_shapes; s++) {
    snprintf(leg_text[nl], sizeof leg_text[nl], "%s binds", shape_name[s]);
    leg[nl] = (StyleLegendEntry){leg_text[nl], STYLE_GREY, 0, 1.0, style_symbol(s, 0),
                                 STYLE_GREY, 1.0, 0};
    nl++;
  }
  /* a map's rebuilt row whose limits are not all known is open too */
  if (any_broken)
    leg[nl++] = (StyleLegendEntry){
        w->map ? (any_ok ? "open: a limit broken or not known to hold (filled: every limit holds)"
                         : "open: a limit broken or not known to hold")
               : (any_ok ? "open: a limit broken (filled: every limit holds)" : "open: a limit broken"),
        STYLE_GREY, 0, 1.0, style_symbol(0, 1), STYLE_GREY, 1.0, 0};
  leg[nl++] = (StyleLegendEntry){"the case's limit, broken side shaded", STYLE_LIMIT, STYLE_DASH,
                                 1.8, NULL, 0, 0, 0};
  if (n_failed) {
    const char *why = w->why[first_failed] ? w->why[first_failed] : "";
    snprintf(leg_text[nl], sizeof leg_text[nl], "failed (%d point%s): %.150s%s", n_failed,
             n_failed > 1 ? "s" : "", why[0] ? why : "no answer",
             n_failed > 1 ? " (and the others in sweep.csv)" : "");
    leg[nl] = (StyleLegendEntry){leg_text[nl], STYLE_LIMIT, 0, 1.0, STYLE_SYM_FAIL, STYLE_LIMIT,
                                 1.0, 0};
    nl++;
  }

  if (style_begin(path, cols == 3 ? "1650x1100" : "1200x1050", fmt, err, err_size) != EB_OK) {
    free(xs);
    free(series);
    free(use);
    free(shape);
    return EB_EFAIL;
  }
  {
    PLFLT def, ht;
    plgchr(&def, &ht);
    plschr((cols == 3 ? 0.72 : 0.8) * def, 1.0); /* panels: a smaller text than one plot's */
  }
  const StylePage pg = style_page();
  const double top = style_titles(title, sub) * pg.h;
  const double lch = style_legend_ch();
  const int lrows = style_legend_rows(leg, nl, 0.94 * pg.w, lch);
  const double legend_h = style_legend_height(lrows, lch) + 0.8 * pg.ch;
  const double cell_w = pg.w / cols, cell_h = (top - legend_h - 0.4 * pg.ch) / rows;
  for (int m = 0; m < n_panels; m++) {
    const int col = column_of(w, names[m]);
    const int lk = limit_of(w, names[m]);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t q = 0; q < np; q++) {
      const double v = use[q] && w->status[q] == EB_OK ? cell(w, q, col) : NAN;
      if (isfinite(v)) {
        lo = fmin(lo, v);
        hi = fmax(hi, v);
      }
    }
    if (!isfinite(lo)) lo = 0.0, hi = 1.0;
    const double span = fmax(hi - lo, 1e-9 * fmax(1.0, fabs(hi)));
    /* the limit in view unless it would flatten the data */
    const double lim = lk >= 0 ? w->limit_value[lk] : NAN;
    const int lower = lk >= 0 && w->limit_lower[lk];
    int show_lim = 0;
    if (isfinite(lim)) {
      const double dist = lim > hi ? lim - hi : lim < lo ? lo - lim : 0.0;
      show_lim = dist <= 1.5 * span || dist <= 0.15 * fmax(fabs(lim), 1e-30);
      if (show_lim) lo = fmin(lo, lim), hi = fmax(hi, lim);
    }
    if (hi - lo < 1e-12 * fmax(1.0, fabs(hi))) lo -= 0.5, hi += 0.5;
    const double y0 = lo - 0.1 * (hi - lo), y1 = hi + 0.12 * (hi - lo);
    const int r = m / cols, c = m % cols;
    const double fx0 = c * cell_w + 6.5 * pg.ch, fx1 = (c + 1) * cell_w - 1.8 * pg.ch;
    const double fy1 = top - r * cell_h - 2.8 * pg.ch, fy0 = top - (r + 1) * cell_h + 3.6 * pg.ch;
    plvpor(fx0 / pg.w, fx1 / pg.w, fy0 / pg.h, fy1 / pg.h);
    plwind(xlo - xpad, xhi + xpad, y0, y1);
    if (show_lim) { /* the broken side, shaded */
      const double a = lower ? y0 : lim, b = lower ? lim : y1;
      PLFLT fx[4] = {xlo - xpad, xhi + xpad, xhi + xpad, xlo - xpad}, fy[4] = {a, a, b, b};
      plcol0(STYLE_LIMIT_SHADE);
      plfill(4, fx, fy);
    }
    style_axes(xlo - xpad, xhi + xpad, y0, y1, "bcnst", "bcnstv", 1);
    /* the quantity over the frame (room for its name), its unit on the axis */
    char yl[160], yu[48];
    style_quantity_label(w->reg, names[m], yl, sizeof yl);
    const ResultEntry *qe = Registry_find(w->reg, names[m]);
    style_unit(qe ? qe->unit : "", yu, sizeof yu);
    plcol0(STYLE_FG);
    pllab(r == rows - 1 || m + cols >= n_panels ? xl : "", yu, "");
    {
      char lines[2][STYLE_LINE];
      const int nlines = style_wrap(yl, fx1 - fx0, 0.85 * pg.ch, lines, 2);
      plschr(0.0, 0.85);
      for (int k = 0; k < nlines; k++)
        plmtex("t", 0.8 + 1.2 * (nlines - 1 - k), 0.0, 0.0, lines[k]);
      plschr(0.0, 1.0);
    }
    StyleLayout L;
    plschr(0.0, 0.8);
    style_layout_init(&L, xlo - xpad, xhi + xpad, y0, y1);
    if (show_lim) {
      style_curve(2, (double[]){xlo - xpad, xhi + xpad}, (double[]){lim, lim}, STYLE_LIMIT,
                  STYLE_DASH, 1.8);
      style_layout_seg(&L, xlo - xpad, lim, xhi + xpad, lim, 0);
    }
    /* the series: a line through the finished points, a marker at each */
    /* each series' finished points, in point order (kept until the panel's
     * labels are placed: the layout keeps clear of them) */
    double **kx = calloc((size_t)n1, sizeof *kx), **ky = calloc((size_t)n1, sizeof *ky);
    for (int j = 0; kx && ky && j < n1; j++) {
      double *sx = malloc((np + 1) * sizeof *sx), *sy = malloc((np + 1) * sizeof *sy);
      kx[j] = sx;
      ky[j] = sy;
      int k = 0;
      for (size_t q = 0; sx && sy && q < np; q++) {
        if (!use[q] || series[q] != j || w->status[q] != EB_OK) continue;
        const double v = cell(w, q, col);
        if (!isfinite(v)) continue;
        sx[k] = xs[q];
        sy[k++] = v;
      }
      if (sx && sy) {
        style_curve(k, sx, sy, style_series_colour(j), style_series_line(j), 2.2);
        style_layout_line(&L, sx, sy, k);
        for (size_t q = 0, i = 0; q < np && (int)i < k; q++) {
          if (!use[q] || series[q] != j || w->status[q] != EB_OK || !isfinite(cell(w, q, col)))
            continue;
          const int sh = shape && shape[q] >= 0 ? shape[q] : 0;
          const int open = kok >= 0 && cell(w, q, kok) != 1.0;
          style_marker(sx[i], sy[i], sh, open, style_series_colour(j), 0.42 * L.ch_mm);
          style_layout_marker(&L, sx[i], sy[i], 0.5 * L.ch_mm);
          i++;
        }
      }
    }
    /* failed points: a cross at the panel's foot */
    for (size_t q = 0; q < np; q++)
      if (use[q] && w->status[q] != EB_OK)
        style_symbol_at(xs[q], y0 + 0.05 * (y1 - y0), STYLE_SYM_FAIL, STYLE_LIMIT, 1.0);
    if (isfinite(lim)) {
      char a[32], t[96], uu[32];
      const ResultEntry *e = Registry_find(w->reg, names[m]);
      style_unit(e ? e->unit : "", uu, sizeof uu);
      style_number(a, sizeof a, lim, 4);
      snprintf(t, sizeof t, "limit %s%s%s%s", a, uu[0] ? " " : "", uu,
               show_lim ? "" : lim > hi ? ": above the scale" : ": below the scale");
      if (show_lim)
        style_label_hline(&L, lim, t, STYLE_LIMIT);
      else
        style_label(&L, xhi + xpad, lim > hi ? y1 : y0, t, STYLE_LIMIT);
    }
    plschr(0.0, 1.0);
    for (int j = 0; kx && ky && j < n1; j++) {
      free(kx[j]);
      free(ky[j]);
    }
    free(kx);
    free(ky);
  }
  style_legend(leg, nl, 0.03, 0.97, (legend_h - 0.4 * pg.ch) / pg.h);
  free(xs);
  free(series);
  free(use);
  free(shape);
  return out_plot_end(path, err, err_size);
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

/* sweep.csv.tmp from the table in memory, in point order, every write checked. */
static int write_csv(const SweepWriter *w, const char *path, char *err, size_t err_size) {
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(err, err_size, "sweep: cannot create %s: %s", path, strerror(errno));
    return EB_EFAIL;
  }
  csv_header(w, f);
  for (size_t q = 0; q < w->n_points; q++) {
    if (w->status[q] < 0) continue;
    int idx[SWEEP_MAX_PARAMS];
    Sweep_point_indices(w->params, w->n_params, q, idx);
    csv_row(w, f, q, idx);
  }
  int e = ferror(f) ? (errno ? errno : EIO) : 0;
  if (!e && fflush(f) != 0) e = errno ? errno : EIO;
  if (fclose(f) != 0 && !e) e = errno ? errno : EIO;
  if (!e) return EB_OK;
  remove(path);
  snprintf(err, err_size, "sweep: cannot write %s: %s%s", path, strerror(e),
           e == ENOSPC ? "; free space or choose another --out" : "");
  return EB_EFAIL;
}

int SweepWriter_finish(SweepWriter *w, FigureFormat figures, char *err, size_t err_size) {
  /* a design map's files are map.*, a sweep's sweep.* */
  const char *base = w->map ? "map" : "sweep";
  char path[1100], csv[16], h5[16];
  snprintf(csv, sizeof csv, "%s.csv", base);
  snprintf(h5, sizeof h5, "%s.h5", base);
  out_path(path, sizeof path, w->dir, csv, 1);
  int rc = write_csv(w, path, err, err_size);
  if (rc == EB_OK) rc = out_commit(w->dir, csv, err, err_size);
  if (rc == EB_OK) {
    out_path(path, sizeof path, w->dir, h5, 1);
    out_h5_capture(w->h5_why);
    if (write_table(w)) {
      H5Fclose(w->h5);
      snprintf(err, err_size, "sweep: HDF5 error writing the table of %s: %s", path,
               w->h5_why[0] ? w->h5_why : "no detail from HDF5");
      rc = EB_EFAIL;
    } else {
      rc = out_h5_memory_save(w->h5, path, w->h5_why, err, err_size);
    }
    w->h5 = -1;
    out_h5_capture(NULL);
  }
  if (rc == EB_OK) rc = out_commit(w->dir, h5, err, err_size);
  if (rc == EB_OK && figures) {
    char name[32];
    out_figure_name(name, sizeof name, base, figures);
    out_path(path, sizeof path, w->dir, name, 1);
    rc = sweep_png(w, path, figures, err, err_size);
    if (rc == EB_OK) rc = out_commit(w->dir, name, err, err_size);
  }
  if (rc == EB_OK) rc = Output_set_finish(w->dir, OUTPUT_SET_NEW, err, err_size);
  /* the sweep's files are in place: its saved points have served (kept on
   * failure, for --resume) */
  if (rc == EB_OK) clear_points(w, 0);
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

int SweepWriter_failed(const SweepWriter *w) {
  int n = 0;
  for (size_t q = 0; q < w->n_points; q++) n += w->status[q] > 0;
  return n;
}

size_t SweepWriter_points(const SweepWriter *w) { return w->n_points; }

int SweepWriter_n_columns(const SweepWriter *w) { return w->n_cols; }
const ResultEntry *SweepWriter_column(const SweepWriter *w, int k) { return w->cols[k]; }
int SweepWriter_status(const SweepWriter *w, size_t index) { return w->status[index]; }
const char *SweepWriter_why(const SweepWriter *w, size_t index) { return w->why[index]; }
double SweepWriter_number(const SweepWriter *w, size_t index, int k) { return cell(w, index, k); }
const char *SweepWriter_text(const SweepWriter *w, size_t index, int k) {
  return w->txt[index * (size_t)w->n_cols + (size_t)k];
}

void SweepWriter_set_row(SweepWriter *w, size_t index, int status, const char *why,
                         const double *num, const char *const *txt, FILE *table) {
  set_status(w, index, status, why);
  for (int k = 0; k < w->n_cols && status == EB_OK; k++) {
    size_t at = index * (size_t)w->n_cols + (size_t)k;
    w->num[at] = num ? num[k] : NAN;
    w->txt[at] = txt && txt[k] ? strdup(txt[k]) : NULL;
  }
  if (table) {
    int idx[SWEEP_MAX_PARAMS];
    Sweep_point_indices(w->params, w->n_params, index, idx);
    print_row(w, table, index, idx, status, w->why[index]);
  }
}
