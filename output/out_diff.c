/* out_diff.c - `ebsim diff RUN_A RUN_B`: two finished runs compared from
 * their result.h5 files, through the result registry.
 *
 * Printed: every registered single value (scalar, count, flag, text) the two
 * runs both hold, with A, B, B - A and its unit, in registry order; the
 * per-die table (group "dies") with each column's largest and mean change
 * and the changes die by die; the junction temperature map's difference.
 * Written: diff.csv (name, unit, a, b, change) and the difference map
 * junction_difference.<ext>.
 *
 * Registry order, not "worst relative change first": a relative change has
 * no meaning for a unit with an offset (+1 K is 2 % at 50 C and 5 % at
 * 20 C, and would change again in kelvin), and it is infinite for values
 * that are 0 in A (positions, counts, unpowered dies); ranked by it, noise
 * would come first. Registry order keeps each module's quantities together,
 * is the order of summary.json and docs/output-reference.md, and is the same
 * for every diff, so two diffs line up line by line.
 *
 * A difference of a temperature in C is in K; the printed table says so.
 * Maps are compared cell by cell, so the two grids must match (cell counts
 * and face positions within 1 nm); with resampling, B's map is interpolated
 * onto A's cell centres (bilinear between B's cell centres, constant in the
 * half cell along B's boundary, NaN outside B's domain). */
#include <errno.h>
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output.h"
#include "output_internal.h"

#define DIFF_MAP "wafer_temperature_c" /* the map the figure shows */
#define DIFF_FIGURE "junction_difference"
#define DIFF_CSV "diff.csv"
#define DIFF_GROUP "dies"
#define FACE_TOL_M 1e-9 /* faces this close are the same face */
#define MIN_RANGE 0.1   /* smallest half range of the colour scale (in the map's unit) */

typedef struct {
  const char *dir;
  char h5[1100];
  Case *c;
  Grid *g;
  Result r;
  int read;
} Run;

/* ---- reading -------------------------------------------------------------------------- */

/* DIR (with result.h5) or a result file itself. */
static int run_read(Run *u, const char *dir, const Registry *reg, char *err, size_t es) {
  struct stat sb;
  u->dir = dir;
  if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
    snprintf(u->h5, sizeof u->h5, "%s/result.h5", dir);
  else
    snprintf(u->h5, sizeof u->h5, "%s", dir);
  if (stat(u->h5, &sb) != 0) {
    snprintf(err, es, "%s: no such file; give a run's output directory (with result.h5)", u->h5);
    return EB_EINPUT;
  }
  u->c = calloc(1, sizeof *u->c);
  if (!u->c) {
    snprintf(err, es, "out of memory reading %s", u->h5);
    return EB_EFAIL;
  }
  int rc = Output_read_result(u->h5, u->c, &u->g, reg, &u->r, err, es);
  u->read = rc == EB_OK;
  if (rc == EB_OK) rc = Output_set_check_path(u->h5, err, es);
  return rc;
}

static void run_free(Run *u, const Registry *reg) {
  if (u->read) Output_result_free(reg, &u->r);
  Grid_destroy(u->g);
  free(u->c);
  memset(u, 0, sizeof *u);
}

/* ---- grids and the map --------------------------------------------------------------- */

/* -1 when the grids are the same (counts and faces), else the first face
 * index that differs in x (0..nx) or, offset by 100000, in y; -2 for
 * different counts. */
static int grid_diff_at(const Grid *a, const Grid *b) {
  if (a->nx != b->nx || a->ny != b->ny) return -2;
  for (int i = 0; i <= a->nx; i++)
    if (!(fabs(a->x[i] - b->x[i]) <= FACE_TOL_M)) return i;
  for (int j = 0; j <= a->ny; j++)
    if (!(fabs(a->y[j] - b->y[j]) <= FACE_TOL_M)) return 100000 + j;
  return -1;
}

/* The bracketing cell centres of coordinate x among n cells of faces f:
 * i0, i1 and the weight w of i1. -1 outside [f[0], f[n]]. */
static int bracket(const double *f, int n, double x, int *i0, int *i1, double *w) {
  if (!(x >= f[0] - FACE_TOL_M && x <= f[n] + FACE_TOL_M)) return -1;
  const double c0 = 0.5 * (f[0] + f[1]), cn = 0.5 * (f[n - 1] + f[n]);
  if (n == 1 || x <= c0) {
    *i0 = *i1 = 0;
    *w = 0.0;
    return 0;
  }
  if (x >= cn) {
    *i0 = *i1 = n - 1;
    *w = 0.0;
    return 0;
  }
  int lo = 0, hi = n - 1; /* centre(lo) <= x < centre(hi) */
  while (hi - lo > 1) {
    int mid = (lo + hi) / 2;
    if (0.5 * (f[mid] + f[mid + 1]) <= x)
      lo = mid;
    else
      hi = mid;
  }
  const double cl = 0.5 * (f[lo] + f[lo + 1]), ch = 0.5 * (f[hi] + f[hi + 1]);
  *i0 = lo;
  *i1 = hi;
  *w = (x - cl) / (ch - cl);
  return 0;
}

int Output_diff_map(const Grid *ga, const double *a, const Grid *gb, const double *b,
                    int resample, double *d, char *err, size_t err_size) {
  const size_t n = (size_t)ga->nx * ga->ny;
  if (grid_diff_at(ga, gb) == -1) {
    for (size_t q = 0; q < n; q++) d[q] = b[q] - a[q];
    return EB_OK;
  }
  if (!resample) {
    snprintf(err, err_size, "the grids differ (A %d x %d cells, B %d x %d cells)", ga->nx, ga->ny,
             gb->nx, gb->ny);
    return EB_EINPUT;
  }
  for (int j = 0; j < ga->ny; j++) {
    int j0, j1;
    double wy;
    const int oky = bracket(gb->y, gb->ny, 0.5 * (ga->y[j] + ga->y[j + 1]), &j0, &j1, &wy);
    for (int i = 0; i < ga->nx; i++) {
      int i0, i1;
      double wx;
      const size_t q = (size_t)j * ga->nx + i;
      if (oky != 0 || bracket(gb->x, gb->nx, 0.5 * (ga->x[i] + ga->x[i + 1]), &i0, &i1, &wx)) {
        d[q] = NAN; /* outside B's wafer */
        continue;
      }
      const int ci[4] = {i0, i1, i0, i1}, cj[4] = {j0, j0, j1, j1};
      const double w[4] = {(1 - wx) * (1 - wy), wx * (1 - wy), (1 - wx) * wy, wx * wy};
      double v = 0.0;
      for (int k = 0; k < 4; k++)
        if (w[k] > 0.0) v += w[k] * b[(size_t)cj[k] * gb->nx + ci[k]]; /* NaN stays NaN */
      d[q] = v - a[q];
    }
  }
  return EB_OK;
}

/* "27 x 27 cells (grid.dx_mm 8)" */
static void grid_words(char *buf, size_t size, const Run *u) {
  snprintf(buf, size, "%d x %d cells, grid.dx_mm %g", u->g->nx, u->g->ny, u->c->dx_m * 1e3);
}

/* ---- formatting ------------------------------------------------------------------------ */

/* The unit of a change: a difference of Celsius temperatures is in kelvin. */
static const char *change_unit(const char *u) { return !strcmp(u, "C") ? "K" : u; }
static const char *shown_unit(const char *u) { return strcmp(u, "1") ? u : ""; }

/* The shortest decimal that reads back as the same double (CSV). */
static void exact_num(char *buf, size_t size, double v) {
  if (!isfinite(v)) {
    snprintf(buf, size, "%s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
    return;
  }
  for (int p = 15; p <= 17; p++) {
    snprintf(buf, size, "%.*g", p, v);
    if (strtod(buf, NULL) == v) return;
  }
}

/* A CSV cell of text: quoted, quotes doubled. */
static void csv_text(FILE *f, const char *s) {
  fputc('"', f);
  for (; s && *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static void num_cell(char *buf, size_t size, double v) {
  if (isnan(v))
    snprintf(buf, size, "-");
  else
    snprintf(buf, size, "%.6g", v);
}

/* ---- single values --------------------------------------------------------------------- */

static int is_single_present(const Result *r, const ResultEntry *e) {
  return Registry_is_single(e) && Result_has(r, e);
}

/* Printed and written to diff.csv, registry order. */
static int singles(FILE *f, FILE *csv, const Registry *reg, const Run *A, const Run *B) {
  if (f)
    fprintf(f, "  Single values (registry order; a change of a C value is in K)\n"
               "    %-36s %14s %14s %14s  %s\n",
            "name", "A", "B", "B - A", "unit");
  fprintf(csv, "name,unit,a,b,change\n");
  int changed = 0, only_a = 0, only_b = 0;
  for (int i = 0; i < Registry_size(reg); i++) {
    const ResultEntry *e = Registry_at(reg, i);
    const int ha = is_single_present(&A->r, e), hb = is_single_present(&B->r, e);
    only_a += ha && !hb;
    only_b += hb && !ha;
    if (!ha || !hb) continue;
    const char *u = Result_unit(&A->r, e);
    if (e->kind == RES_TEXT) {
      const char *ta = Result_text(&A->r, e), *tb = Result_text(&B->r, e);
      const int same = !strcmp(ta ? ta : "", tb ? tb : "");
      changed += !same;
      if (f && strlen(ta ? ta : "") <= 14 && strlen(tb ? tb : "") <= 14)
        fprintf(f, "    %-36s %14s %14s %14s\n", e->name, ta, tb, same ? "same" : "CHANGED");
      else if (f && same)
        fprintf(f, "    %-36s %44s  (A = B: %s)\n", e->name, "same", ta);
      else if (f)
        fprintf(f, "    %-36s %44s\n      A: %s\n      B: %s\n", e->name, "CHANGED", ta, tb);
      fprintf(csv, "%s,%s,", e->name, u);
      csv_text(csv, ta);
      fputc(',', csv);
      csv_text(csv, tb);
      fprintf(csv, ",%s\n", same ? "same" : "changed");
      continue;
    }
    const double a = Result_number(&A->r, e), b = Result_number(&B->r, e);
    if (isnan(a) && isnan(b)) continue; /* not applicable to either run */
    const double d = b - a;
    changed += !(d == 0.0);
    char sa[32], sb[32], sd[32];
    if (f) {
      if (e->kind == RES_FLAG) {
        snprintf(sa, sizeof sa, "%s", isnan(a) ? "-" : a != 0.0 ? "yes" : "no");
        snprintf(sb, sizeof sb, "%s", isnan(b) ? "-" : b != 0.0 ? "yes" : "no");
        snprintf(sd, sizeof sd, "%s", isnan(d) ? "-" : d == 0.0 ? "same" : "CHANGED");
      } else {
        num_cell(sa, sizeof sa, a);
        num_cell(sb, sizeof sb, b);
        if (isnan(d))
          snprintf(sd, sizeof sd, "-");
        else if (d == 0.0)
          snprintf(sd, sizeof sd, "0");
        else
          snprintf(sd, sizeof sd, "%+.6g", d);
      }
      fprintf(f, "    %-36s %14s %14s %14s  %s%s\n", e->name, sa, sb, sd,
              e->kind == RES_FLAG ? "" : shown_unit(u),
              strcmp(u, change_unit(u)) ? " (B - A in K)" : "");
    }
    exact_num(sa, sizeof sa, a);
    exact_num(sb, sizeof sb, b);
    exact_num(sd, sizeof sd, d);
    fprintf(csv, "%s,%s,%s,%s,%s\n", e->name, u, sa, sb, sd);
  }
  if (f && (only_a || only_b)) {
    for (int side = 0; side < 2; side++) {
      if (!(side ? only_b : only_a)) continue;
      fprintf(f, "    only in %s:", side ? "B" : "A");
      for (int i = 0; i < Registry_size(reg); i++) {
        const ResultEntry *e = Registry_at(reg, i);
        const int ha = is_single_present(&A->r, e), hb = is_single_present(&B->r, e);
        if (side ? hb && !ha : ha && !hb) fprintf(f, " %s", e->name);
      }
      fprintf(f, "\n");
    }
  }
  return changed;
}

/* ---- the per-die table ---------------------------------------------------------------- */

enum { DIE_COLS = 64 };

/* "(1,4)": the row's key cells. */
static void row_key(char *buf, size_t size, const Result *r, const ResultEntry *const *key,
                    int nk, int row) {
  size_t k = 0;
  k += (size_t)snprintf(buf + k, size - k, "(");
  for (int c = 0; c < nk && k < size; c++)
    k += (size_t)snprintf(buf + k, size - k, "%s%.0f", c ? "," : "", Result_cell(r, key[c], row));
  if (k < size) snprintf(buf + k, size - k, ")");
}

/* The columns of the group both runs hold. The leading integer columns
 * (die_column, die_row) name a row; rows of B are matched to A's by them. */
static void dies(FILE *f, const Registry *reg, const Run *A, const Run *B) {
  const ResultEntry *col[DIE_COLS];
  int n = 0, nk = 0, keys_done = 0;
  for (int i = 0; i < Registry_size(reg) && n < DIE_COLS; i++) {
    const ResultEntry *e = Registry_at(reg, i);
    if (e->kind != RES_COLUMN || strcmp(e->group, DIFF_GROUP) || !Result_has(&A->r, e) ||
        !Result_has(&B->r, e))
      continue;
    if (!keys_done && e->is_int)
      nk++;
    else
      keys_done = 1;
    col[n++] = e;
  }
  if (!f) return;
  if (n == 0) {
    fprintf(f, "  Per die            no table \"%s\" in both runs\n", DIFF_GROUP);
    return;
  }
  const int rows_a = Result_rows(&A->r, col[0]), rows_b = Result_rows(&B->r, col[0]);
  int *match = malloc(((size_t)rows_a + 1) * sizeof *match);
  if (!match) return;
  int matched = 0;
  for (int ra = 0; ra < rows_a; ra++) {
    match[ra] = -1;
    if (nk == 0) {
      match[ra] = ra < rows_b ? ra : -1;
    } else {
      for (int rb = 0; rb < rows_b && match[ra] < 0; rb++) {
        int same = 1;
        for (int c = 0; c < nk && same; c++)
          same = Result_cell(&A->r, col[c], ra) == Result_cell(&B->r, col[c], rb);
        if (same) match[ra] = rb;
      }
    }
    matched += match[ra] >= 0;
  }
  fprintf(f, "  Per die (table \"%s\": %d rows in A, %d in B, %d matched", DIFF_GROUP, rows_a,
          rows_b, matched);
  if (nk) {
    fprintf(f, " by");
    for (int c = 0; c < nk; c++) fprintf(f, "%s %s", c ? "," : "", col[c]->name);
  }
  fprintf(f, ")\n");
  /* each column: largest and mean change */
  int changed[DIE_COLS] = {0}, n_changed = 0;
  fprintf(f, "    %-28s %-8s %14s %10s %14s\n", "column", "unit", "max |B - A|", "at die",
          "mean B - A");
  for (int c = nk; c < n; c++) {
    double worst = 0.0, sum = 0.0;
    int at = -1, cnt = 0, nan_rows = 0;
    for (int ra = 0; ra < rows_a; ra++) {
      if (match[ra] < 0) continue;
      const double d = Result_cell(&B->r, col[c], match[ra]) - Result_cell(&A->r, col[c], ra);
      if (isnan(d)) {
        nan_rows++;
        continue;
      }
      sum += d;
      cnt++;
      if (fabs(d) > worst || at < 0) {
        worst = fabs(d);
        at = ra;
      }
    }
    if (worst > 0.0) changed[n_changed++] = c;
    char key[48] = "-";
    if (at >= 0 && worst > 0.0) row_key(key, sizeof key, &A->r, col, nk, at);
    char w[32], m[32];
    if (cnt == 0) {
      snprintf(w, sizeof w, "-");
      snprintf(m, sizeof m, "-");
    } else {
      snprintf(w, sizeof w, "%.6g", worst);
      snprintf(m, sizeof m, "%+.6g", sum / cnt);
      if (worst == 0.0) snprintf(m, sizeof m, "0");
    }
    fprintf(f, "    %-28s %-8s %14s %10s %14s%s\n", col[c]->name,
            shown_unit(change_unit(Result_unit(&A->r, col[c]))), w, key, m,
            nan_rows ? "  (some rows not applicable)" : "");
  }
  if (n_changed == 0) {
    fprintf(f, "    every die unchanged\n");
    free(match);
    return;
  }
  /* die by die: B - A of every column that changed somewhere */
  fprintf(f, "    B - A die by die:\n    %-10s", "die");
  for (int k = 0; k < n_changed; k++) {
    const int w = (int)strlen(col[changed[k]]->name) > 11 ? (int)strlen(col[changed[k]]->name) : 11;
    fprintf(f, " %*s", w, col[changed[k]]->name);
  }
  fprintf(f, "\n    %-10s", "");
  for (int k = 0; k < n_changed; k++) {
    const int w = (int)strlen(col[changed[k]]->name) > 11 ? (int)strlen(col[changed[k]]->name) : 11;
    char u[24];
    snprintf(u, sizeof u, "(%s)", change_unit(Result_unit(&A->r, col[changed[k]])));
    fprintf(f, " %*s", w, strcmp(u, "(1)") ? u : "");
  }
  fprintf(f, "\n");
  for (int ra = 0; ra < rows_a; ra++) {
    if (match[ra] < 0) continue;
    char key[48];
    row_key(key, sizeof key, &A->r, col, nk, ra);
    fprintf(f, "    %-10s", nk ? key : "");
    for (int k = 0; k < n_changed; k++) {
      const ResultEntry *e = col[changed[k]];
      const int w = (int)strlen(e->name) > 11 ? (int)strlen(e->name) : 11;
      const double d = Result_cell(&B->r, e, match[ra]) - Result_cell(&A->r, e, ra);
      if (isnan(d))
        fprintf(f, " %*s", w, "-");
      else if (d == 0.0)
        fprintf(f, " %*s", w, "0");
      else
        fprintf(f, " %+*.4g", w, d);
    }
    fprintf(f, "\n");
  }
  if (matched < rows_a || matched < rows_b)
    fprintf(f, "    %d rows of A and %d of B have no match in the other run\n", rows_a - matched,
            rows_b - matched);
  free(match);
}

/* ---- the difference map figure ------------------------------------------------------- */

/* A round number >= v: 1, 2, 2.5, 5 x 10^k. */
static double nice_up(double v) {
  const double p = pow(10.0, floor(log10(v)));
  const double steps[] = {1.0, 2.0, 2.5, 5.0, 10.0};
  for (int i = 0; i < 5; i++)
    if (steps[i] * p >= v * (1 - 1e-12)) return steps[i] * p;
  return 10.0 * p;
}

typedef struct {
  double min, max, mean, worst; /* worst: largest |d| */
  double wx_mm, wy_mm;          /* where */
  int finite;                   /* cells with a value */
} MapStats;

static MapStats map_stats(const Grid *g, const double *d) {
  MapStats s = {INFINITY, -INFINITY, NAN, 0.0, NAN, NAN, 0};
  double sum = 0.0, area = 0.0;
  for (int j = 0; j < g->ny; j++)
    for (int i = 0; i < g->nx; i++) {
      const double v = d[(size_t)j * g->nx + i];
      if (!isfinite(v)) continue;
      const double a = Grid_dx(g, i) * Grid_dy(g, j);
      s.finite++;
      s.min = fmin(s.min, v);
      s.max = fmax(s.max, v);
      sum += a * v;
      area += a;
      if (fabs(v) > s.worst || isnan(s.wx_mm)) {
        s.worst = fabs(v);
        s.wx_mm = 0.5 * (g->x[i] + g->x[i + 1]) * 1e3;
        s.wy_mm = 0.5 * (g->y[j] + g->y[j + 1]) * 1e3;
      }
    }
  if (area > 0) s.mean = sum / area;
  return s;
}

/* d (nx*ny, K) on A's grid as a diverging wafer map at path. */
static int draw_difference(const Registry *reg, const Run *A, const Run *B, const double *d,
                           const MapStats *s, int resampled, const char *bar, const char *path, FigureFormat fmt,
                           char *err, size_t es) {
  const Case *c = A->c;
  const Grid *g = A->g;
  const int nx = g->nx, ny = g->ny;
  const double size_mm = c->wafer_size_m * 1e3;
  const double lim = s->finite ? fmax(nice_up(fmax(s->worst, 1e-300)), MIN_RANGE) : MIN_RANGE;
  /* a uniform pixel grid at the case's nominal cell size (nearest cell), as
   * the other wafer maps: 64..800 px */
  int npx = (int)ceil(size_mm / (c->dx_m * 1e3));
  if (npx < 64) npx = 64;
  if (npx > 800) npx = 800;
  PLFLT **img = NULL;
  plAlloc2dGrid(&img, npx, npx);
  int *ci = malloc((size_t)npx * sizeof *ci), *cj = malloc((size_t)npx * sizeof *cj);
  if (!img || !ci || !cj) {
    free(ci);
    free(cj);
    if (img) plFree2dGrid(img, npx, npx);
    snprintf(err, es, "out of memory drawing %s", path);
    return EB_EFAIL;
  }
  for (int p = 0, i = 0, j = 0; p < npx; p++) {
    const double centre = (p + 0.5) * size_mm / npx;
    while (i < nx - 1 && g->x[i + 1] * 1e3 <= centre) i++;
    while (j < ny - 1 && g->y[j + 1] * 1e3 <= centre) j++;
    ci[p] = i;
    cj[p] = j;
  }
  for (int p = 0; p < npx; p++)
    for (int q = 0; q < npx; q++) {
      const double v = d[(size_t)cj[q] * nx + ci[p]];
      /* NaN (outside B's wafer): below the range, not drawn, grey ground shows */
      img[p][q] = isfinite(v) ? fmax(-lim, fmin(lim, v)) : -3.0 * lim;
    }
  free(ci);
  free(cj);

  if (out_plot_begin(path, "1100x950", fmt, err, es) != EB_OK) {
    plFree2dGrid(img, npx, npx);
    return EB_EFAIL;
  }
  plscol0(7, 200, 200, 200); /* no value */
  plscol0(8, 90, 90, 90);    /* die outlines: dark grey reads on white, red and blue */
  /* diverging blue - white - red (ColorBrewer RdBu), white at 0 */
  PLFLT pos[5] = {0.0, 0.25, 0.5, 0.75, 1.0};
  PLFLT r[5] = {0.020, 0.263, 0.969, 0.839, 0.404}, gr[5] = {0.188, 0.576, 0.969, 0.376, 0.0},
        b[5] = {0.380, 0.765, 0.969, 0.302, 0.122};
  plscmap1l(1, 5, pos, r, gr, b, NULL);
  pladv(0);
  const double vx0 = 0.11, vx1 = 0.79, vy0 = 0.10, vy1 = 0.81;
  plvpor(vx0, vx1, vy0, vy1);
  plwind(0.0, size_mm, 0.0, size_mm);
  PLFLT gx[4] = {0, size_mm, size_mm, 0}, gy[4] = {0, 0, size_mm, size_mm};
  plcol0(7);
  plfill(4, gx, gy);
  plimagefr((PLFLT_MATRIX)img, npx, npx, 0.0, size_mm, 0.0, size_mm, -lim, lim, -lim, lim, NULL,
            NULL);
  plcol0(8);
  plwidth(1.2);
  for (int k = 1; k < c->die_columns; k++) {
    const double x = k * size_mm / c->die_columns;
    pljoin(x, 0.0, x, size_mm);
  }
  for (int k = 1; k < c->die_rows; k++) {
    const double y = k * size_mm / c->die_rows;
    pljoin(0.0, y, size_mm, y);
  }
  plwidth(1.0);
  plcol0(1);
  plbox("bcnst", 0.0, 0, "bcnstv", 0.0, 0);
  pllab("x (mm)", "y (mm)", "");
  /* title, what A and B are, the numbers */
  char line[600];
  plschr(0.0, 1.35);
  snprintf(line, sizeof line, "Junction temperature B - A");
  plmtex("t", 4.6, 0.5, 0.5, line);
  plschr(0.0, 0.85);
  snprintf(line, sizeof line, "A: %s (%s, %.1f kW)    B: %s (%s, %.1f kW)", A->dir, A->c->name,
           out_value(reg, &A->r, "power_w") * 1e-3, B->dir, B->c->name,
           out_value(reg, &B->r, "power_w") * 1e-3);
  plmtex("t", 4.4, 0.5, 0.5, line);
  if (s->finite && s->worst > 0.0)
    snprintf(line, sizeof line, "B - A from %+.3f to %+.3f K, area mean %+.3f K", s->min, s->max,
             s->mean);
  else if (s->finite)
    snprintf(line, sizeof line, "B = A at every cell (max |B - A| = 0 K)");
  else
    snprintf(line, sizeof line, "no cell of A lies on B's wafer");
  plmtex("t", 3.1, 0.5, 0.5, line);
  if (resampled) {
    snprintf(line, sizeof line, "B (%d x %d cells) resampled onto A's grid (%d x %d), bilinear",
             B->g->nx, B->g->ny, nx, ny);
    plmtex("t", 1.8, 0.5, 0.5, line);
  }
  plschr(0.0, 1.0);
  if (s->finite && s->worst > 0.0) {
    PLFLT mx = s->wx_mm, my = s->wy_mm;
    /* the marker may sit on the wafer's edge: drawn in a viewport a margin
     * larger with the same scale, so that it is not clipped */
    const double m = 0.03, kx = size_mm / (vx1 - vx0), ky = size_mm / (vy1 - vy0);
    plvpor(vx0 - m, vx1 + m, vy0 - m, vy1 + m);
    plwind(-m * kx, size_mm + m * kx, -m * ky, size_mm + m * ky);
    plcol0(1);
    plssym(0.0, 1.6);
    plpoin(1, &mx, &my, 5);
    char t[64];
    snprintf(t, sizeof t, "%+.3f K", s->max >= -s->min ? s->max : s->min);
    plschr(0.0, 0.9);
    const double just = mx > 0.6 * size_mm ? 1.0 : 0.0;
    const double dx = just > 0.5 ? -0.02 * size_mm : 0.02 * size_mm;
    const double ty = my > 0.9 * size_mm ? my - 0.035 * size_mm : my + 0.02 * size_mm;
    plptex(mx + dx, ty, 1.0, 0.0, just, t);
    plschr(0.0, 1.0);
    plvpor(vx0, vx1, vy0, vy1); /* back: the colour bar sits against this viewport */
    plwind(0.0, size_mm, 0.0, size_mm);
  }
  /* colour bar, symmetric about 0 */
  enum { NV = 129 };
  PLFLT values[NV];
  for (int q = 0; q < NV; q++) values[q] = -lim + 2.0 * lim * q / (NV - 1);
  const PLFLT *vals[1] = {values};
  PLINT n_values[1] = {NV}, label_opts[1] = {PL_COLORBAR_LABEL_RIGHT}, sub_ticks[1] = {0};
  PLFLT ticks[1] = {lim / 2.0}, cb_w, cb_h;
  const char *labels[1] = {bar}, *axis_opts[1] = {"bcvtm"};
  plsyax(8, 0);
  plcolorbar(&cb_w, &cb_h, PL_COLORBAR_IMAGE, PL_POSITION_RIGHT | PL_POSITION_OUTSIDE |
             PL_POSITION_VIEWPORT, 0.03, 0.0, 0.04, 0.76, 0, 1, 0, 0.0, 0.0, 0, 0.0, 1, label_opts,
             labels, 1, axis_opts, ticks, sub_ticks, n_values, vals);
  plsyax(0, 0);
  plFree2dGrid(img, npx, npx);
  return out_plot_end(path, err, es);
}

/* ---- the diff ------------------------------------------------------------------------- */

static int Output_diff_files(const Registry *reg, const char *dir_a, const char *dir_b, const char *out_dir, const DiffOptions *o,
                FILE *f, char *err, size_t err_size) {
  Run A = {0}, B = {0};
  double *d = NULL;
  FILE *csv = NULL;
  int rc = run_read(&A, dir_a, reg, err, err_size);
  if (rc == EB_OK) rc = run_read(&B, dir_b, reg, err, err_size);
  if (rc != EB_OK) goto done;
  const ResultEntry *me = Registry_find(reg, DIFF_MAP);
  const double *ma = me ? Result_array(&A.r, me) : NULL, *mb = me ? Result_array(&B.r, me) : NULL;
  if (!me || !ma || !mb) {
    snprintf(err, err_size, "%s has no junction temperature map (/%s/%s)", ma ? dir_b : dir_a,
             me ? me->group : "maps", DIFF_MAP);
    rc = EB_EINPUT;
    goto done;
  }
  const int at = grid_diff_at(A.g, B.g);
  const int resampled = at != -1;
  if (resampled && !(o && o->resample)) {
    char ga[128], gb[128], where[160] = "";
    grid_words(ga, sizeof ga, &A);
    grid_words(gb, sizeof gb, &B);
    if (at >= 100000)
      snprintf(where, sizeof where, "; the same cell counts, but the cell face y[%d] is at %.4f "
               "mm in A and %.4f mm in B", at - 100000, A.g->y[at - 100000] * 1e3,
               B.g->y[at - 100000] * 1e3);
    else if (at >= 0)
      snprintf(where, sizeof where, "; the same cell counts, but the cell face x[%d] is at %.4f "
               "mm in A and %.4f mm in B", at, A.g->x[at] * 1e3, B.g->x[at] * 1e3);
    snprintf(err, err_size,
             "cannot compare the maps cell by cell: the runs' grids differ: A %s has %s, B %s has "
             "%s%s; give --resample to interpolate B's maps onto A's grid",
             dir_a, ga, dir_b, gb, where);
    rc = EB_EINPUT;
    goto done;
  }
  const size_t n = (size_t)A.g->nx * A.g->ny;
  d = malloc((n ? n : 1) * sizeof *d);
  if (!d) {
    snprintf(err, err_size, "out of memory comparing %s and %s", dir_a, dir_b);
    rc = EB_EFAIL;
    goto done;
  }
  rc = Output_diff_map(A.g, ma, B.g, mb, 1, d, err, err_size);
  if (rc != EB_OK) goto done;
  /* SI -> the map's output unit: a difference takes the scale, not the shift */
  const double scale = me->scale != 0.0 ? me->scale : 1.0;
  for (size_t q = 0; q < n; q++) d[q] *= scale;
  if ((rc = Output_prepare_dir(out_dir, err, err_size)) != EB_OK) goto done;

  char path[1100];
  out_path(path, sizeof path, out_dir, DIFF_CSV, 1);
  if (!(csv = fopen(path, "w"))) {
    snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
    rc = EB_EINPUT;
    goto done;
  }
  if (f) {
    char ga[128], gb[128];
    grid_words(ga, sizeof ga, &A);
    grid_words(gb, sizeof gb, &B);
    fprintf(f, "ebsim diff\n  A  %s  case %s  (%s)\n  B  %s  case %s  (%s)\n", A.h5, A.c->name,
            ga, B.h5, B.c->name, gb);
  }
  const int changed = singles(f, csv, reg, &A, &B);
  const int bad = ferror(csv);
  if (fclose(csv) != 0 || bad) {
    csv = NULL;
    snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
    remove(path);
    rc = EB_EFAIL;
    goto done;
  }
  csv = NULL;
  if ((rc = out_commit(out_dir, DIFF_CSV, err, err_size)) != EB_OK) goto done;
  dies(f, reg, &A, &B);
  const MapStats s = map_stats(A.g, d);
  const char *du = change_unit(Result_unit(&A.r, me));
  if (f) {
    fprintf(f, "  Junction map       %s B - A on A's grid (%d x %d cells)", DIFF_MAP, A.g->nx,
            A.g->ny);
    if (resampled)
      fprintf(f, ", B resampled from %d x %d cells (cell-centre bilinear)", B.g->nx, B.g->ny);
    fprintf(f, "\n");
    if (s.finite == 0)
      fprintf(f, "                     no cell of A lies on B's wafer\n");
    else if (s.worst == 0.0)
      fprintf(f, "                     max |B - A| 0 %s: the same at every cell\n", du);
    else
      fprintf(f, "                     min %+.4g, max %+.4g %s, area mean %+.4g %s; max |B - A| "
              "%.4g %s at x=%.1f y=%.1f mm\n",
              s.min, s.max, du, s.mean, du, s.worst, du, s.wx_mm, s.wy_mm);
    if (s.finite && s.finite < (int)n)
      fprintf(f, "                     %d cells of A lie outside B's wafer (no value)\n",
              (int)n - s.finite);
    fprintf(f, "  Changed            %d single values\n", changed);
  }
  if (o && o->figures != FIGURES_NONE) {
    char name[64], bar[128];
    out_figure_name(name, sizeof name, DIFF_FIGURE, o->figures);
    out_path(path, sizeof path, out_dir, name, 1);
    snprintf(bar, sizeof bar, "Junction temperature B - A (%s)", du);
    rc = draw_difference(reg, &A, &B, d, &s, resampled, bar, path, o->figures, err, err_size);
    if (rc == EB_OK) rc = out_commit(out_dir, name, err, err_size);
  }
  if (f && rc == EB_OK)
    fprintf(f, "  Output             %s/ (%s%s%s)\n", out_dir, DIFF_CSV,
            o && o->figures != FIGURES_NONE ? ", " DIFF_FIGURE "." : "",
            o && o->figures != FIGURES_NONE ? Output_figure_ext(o->figures) : "");
done:
  if (csv) fclose(csv);
  free(d);
  run_free(&A, reg);
  run_free(&B, reg);
  return rc;
}

int Output_diff(const Registry *reg, const char *dir_a, const char *dir_b, const char *out_dir, const DiffOptions *o,
                FILE *f, char *err, size_t err_size) {
  int rc = Output_diff_files(reg, dir_a, dir_b, out_dir, o, f, err, err_size);
  return rc == EB_OK ? Output_set_finish(out_dir, OUTPUT_SET_NEW, err, err_size) : rc;
}
