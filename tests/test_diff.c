/* test_diff.c - `ebsim diff` (Output_diff, Output_diff_map): a run against
 * itself is all zeros; 25 against 30 kW gives the changes of the files'
 * own values; different grids are refused naming both, and accepted with
 * resampling, whose error stays within what bilinear interpolation allows. */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cases/case.h"
#include "geometry/grid.h"
#include "output/output.h"
#include "solver/core/runtime.h"
#include "solver/model.h"

static char root[256];

static void setup(void) {
  cr_assert_eq(Runtime_init(NULL, NULL), 0);
  snprintf(root, sizeof root, "/tmp/ebsim-diff-XXXXXX");
  cr_assert(mkdtemp(root));
}
static void teardown(void) {
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  cr_assert_eq(system(cmd), 0);
  Runtime_finalize();
}
TestSuite(diff, .init = setup, .fini = teardown, .timeout = 120);

/* CS-3 with the overrides, solved and written (no figures) to root/name. */
static void run_into(const char *name, const char *dx, const char *kw) {
  static Case c;
  char err[EB_ERRLEN], sdx[64], skw[64], dir[400];
  snprintf(sdx, sizeof sdx, "grid.dx_mm=%s", dx);
  snprintf(skw, sizeof skw, "power.total_kw=%s", kw);
  const char *sets[] = {sdx, skw};
  cr_assert_eq(Case_read("cases/cs3.yaml", 2, sets, &c, err, sizeof err), EB_OK, "%s", err);
  Model *m = NULL;
  ModelResult r;
  Result view;
  cr_assert_eq(Model_create(&m, err, sizeof err), EB_OK);
  cr_assert_eq(Model_solve(m, &c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  ModelResult_view(&r, &view);
  snprintf(dir, sizeof dir, "%s/%s", root, name);
  char *text = Case_dump_string(&c);
  OutputOptions oo = {.dir = dir, .case_text = text, .version = "test", .figures = FIGURES_NONE};
  cr_assert_eq(Output_write_all(&c, Model_grid(m), Model_registry(), &view, &oo, err, sizeof err),
               EB_OK, "%s", err);
  free(text);
  ModelResult_free(&r);
  Model_destroy(m);
}

static const char *at(const char *name, char *buf, size_t size) {
  snprintf(buf, size, "%s/%s", root, name);
  return buf;
}

/* Output_diff of root/a and root/b into root/out; what it printed in *text. */
static int diff(const char *a, const char *b, int resample, FigureFormat fig, char **text,
                char *err, size_t es) {
  char pa[400], pb[400], po[400];
  size_t n = 0;
  char *buf = NULL;
  FILE *f = open_memstream(&buf, &n);
  cr_assert(f);
  DiffOptions o = {.resample = resample, .figures = fig};
  int rc = Output_diff(Model_registry(), at(a, pa, sizeof pa), at(b, pb, sizeof pb),
                       at("out", po, sizeof po), &o, f, err, es);
  fclose(f);
  if (text)
    *text = buf;
  else
    free(buf);
  return rc;
}

/* One line of diff.csv into its five fields (quoted text unquoted). */
static int csv_fields(const char *line, char fld[5][256]) {
  int k = 0;
  size_t j = 0;
  int quoted = 0;
  memset(fld, 0, 5 * 256);
  for (const char *p = line; *p && *p != '\n'; p++) {
    if (quoted) {
      if (*p == '"' && p[1] == '"') {
        if (j < 255) fld[k][j++] = '"';
        p++;
      } else if (*p == '"') {
        quoted = 0;
      } else if (j < 255) {
        fld[k][j++] = *p;
      }
    } else if (*p == '"') {
      quoted = 1;
    } else if (*p == ',') {
      if (++k >= 5) return -1;
      j = 0;
    } else if (j < 255) {
      fld[k][j++] = *p;
    }
  }
  return k + 1;
}

/* The row of diff.csv for name: a, b, change (NaN when text); 0 if found. */
static int csv_row(const char *name, double *a, double *b, double *change, char *change_text) {
  char path[400], line[4096], fld[5][256];
  FILE *f = fopen(at("out/diff.csv", path, sizeof path), "r");
  cr_assert(f, "diff.csv missing");
  int found = -1;
  while (found && fgets(line, sizeof line, f)) {
    cr_assert_eq(csv_fields(line, fld), 5, "diff.csv line of %d fields: %s", csv_fields(line, fld),
                 line);
    if (strcmp(fld[0], name)) continue;
    *a = strtod(fld[2], NULL);
    *b = strtod(fld[3], NULL);
    *change = strtod(fld[4], NULL);
    snprintf(change_text, 256, "%s", fld[4]);
    found = 0;
  }
  fclose(f);
  return found;
}

/* A number of a run's result.h5 as the file holds it (its output unit). */
static double h5_value(const char *run, const char *dset) {
  char path[800], p2[64];
  snprintf(p2, sizeof p2, "%.40s/result.h5", run);
  hid_t f = H5Fopen(at(p2, path, sizeof path), H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert(f >= 0);
  double v = NAN;
  hid_t d = H5Dopen2(f, dset, H5P_DEFAULT);
  cr_assert(d >= 0, "%s has no %s", path, dset);
  cr_assert(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) >= 0);
  H5Dclose(d);
  H5Fclose(f);
  return v;
}

typedef struct {
  Case c;
  Grid *g;
  Result r;
} Read;

static void read_run(const char *run, Read *u) {
  char path[800], p2[64], err[EB_ERRLEN];
  snprintf(p2, sizeof p2, "%.40s/result.h5", run);
  cr_assert_eq(Output_read_result(at(p2, path, sizeof path), &u->c, &u->g, Model_registry(),
                                  &u->r, err, sizeof err),
               EB_OK, "%s", err);
}
static void read_free(Read *u) {
  Output_result_free(Model_registry(), &u->r);
  Grid_destroy(u->g);
}
static const double *tmap(const Read *u) {
  const double *m = Result_get_array(Model_registry(), &u->r, "wafer_temperature_c");
  cr_assert(m);
  return m;
}

static int file_exists(const char *name) {
  char path[400];
  struct stat sb;
  return stat(at(name, path, sizeof path), &sb) == 0 && sb.st_size > 0;
}

Test(diff, run_against_itself_is_all_zeros) {
  run_into("a", "8", "25");
  char err[EB_ERRLEN] = "", *text = NULL;
  cr_assert_eq(diff("a", "a", 0, FIGURES_PNG, &text, err, sizeof err), EB_OK, "%s", err);
  /* every row of diff.csv: change exactly 0 (text: same) */
  char path[400], line[4096], fld[5][256];
  FILE *f = fopen(at("out/diff.csv", path, sizeof path), "r");
  cr_assert(f);
  cr_assert(fgets(line, sizeof line, f));
  cr_assert_str_eq(line, "name,unit,a,b,change\n");
  int rows = 0, numbers = 0;
  while (fgets(line, sizeof line, f)) {
    cr_assert_eq(csv_fields(line, fld), 5, "%s", line);
    rows++;
    if (!strcmp(fld[4], "same")) continue;
    cr_assert_str_eq(fld[4], "0", "%s changed against itself: %s", fld[0], fld[4]);
    cr_assert_str_eq(fld[2], fld[3], "%s", fld[0]);
    numbers++;
  }
  fclose(f);
  cr_expect_gt(numbers, 50, "only %d numbers in diff.csv", numbers);
  cr_expect(rows > numbers, "no text value (case name) in diff.csv");
  cr_expect(strstr(text, "max |B - A| 0 K"), "the map is not reported all zero:\n%s", text);
  cr_expect(strstr(text, "every die unchanged"), "%s", text);
  cr_expect(strstr(text, "Changed            0 single values"), "%s", text);
  /* the map difference: all zeros */
  Read u;
  read_run("a", &u);
  const size_t n = (size_t)u.g->nx * u.g->ny;
  double *d = malloc(n * sizeof *d);
  cr_assert_eq(Output_diff_map(u.g, tmap(&u), u.g, tmap(&u), 0, d, err, sizeof err), EB_OK);
  for (size_t q = 0; q < n; q++) cr_assert_eq(d[q], 0.0, "cell %zu: %g", q, d[q]);
  free(d);
  read_free(&u);
  cr_expect(file_exists("out/junction_difference.png"));
  cr_expect(!file_exists("out/junction_difference.png.tmp"));
  cr_expect(!file_exists("out/diff.csv.tmp"));
  free(text);
}

Test(diff, known_power_change) {
  run_into("a", "8", "25");
  run_into("b", "8", "30");
  char err[EB_ERRLEN] = "", *text = NULL;
  cr_assert_eq(diff("a", "b", 0, FIGURES_NONE, &text, err, sizeof err), EB_OK, "%s", err);
  cr_expect(!file_exists("out/junction_difference.png"), "a figure with FIGURES_NONE");
  /* t_max_c: the change is the difference of the two files' summary values
   * (read back through SI kelvin: equal to a few ulp) */
  double a, b, change;
  char ct[256];
  cr_assert_eq(csv_row("t_max_c", &a, &b, &change, ct), 0, "no t_max_c in diff.csv");
  const double ta = h5_value("a", "summary/t_max_c"), tb = h5_value("b", "summary/t_max_c");
  cr_expect(fabs(a - ta) <= 1e-12 && fabs(b - tb) <= 1e-12, "a %.17g / %.17g, b %.17g / %.17g",
            a, ta, b, tb);
  cr_expect_eq(change, b - a, "change %.17g, b - a %.17g", change, b - a);
  cr_expect(fabs(change - (tb - ta)) <= 1e-12, "change %.17g, files' difference %.17g", change,
            tb - ta);
  cr_expect_gt(change, 1.0, "5 kW more heats the hottest die by %g K only", change);
  /* power_w: 5 kW (the dies' powers summed: to rounding) */
  cr_assert_eq(csv_row("power_w", &a, &b, &change, ct), 0);
  cr_expect(fabs(change - 5000.0) <= 1e-6, "power change %.17g W", change);
  cr_expect(strstr(text, "die_t_max_c"), "no per-die change of die_t_max_c:\n%s", text);
  /* the map: B's map minus A's at every cell, exactly (same grid) */
  Read ua, ub;
  read_run("a", &ua);
  read_run("b", &ub);
  const size_t n = (size_t)ua.g->nx * ua.g->ny;
  double *d = malloc(n * sizeof *d);
  const double *ma = tmap(&ua), *mb = tmap(&ub);
  cr_assert_eq(Output_diff_map(ua.g, ma, ub.g, mb, 0, d, err, sizeof err), EB_OK, "%s", err);
  double dmin = INFINITY;
  for (size_t q = 0; q < n; q++) {
    cr_assert_eq(d[q], mb[q] - ma[q], "cell %zu: %.17g against %.17g", q, d[q], mb[q] - ma[q]);
    dmin = fmin(dmin, d[q]);
  }
  cr_expect_gt(dmin, 1.0, "a cell warms by %g K only at 5 kW more", dmin);
  free(d);
  read_free(&ua);
  read_free(&ub);
  free(text);
}

Test(diff, different_grids_refused_unless_resampled) {
  run_into("a", "8", "25");
  run_into("b", "6", "25");
  Read ua, ub;
  read_run("a", &ua);
  read_run("b", &ub);
  cr_assert(ua.g->nx != ub.g->nx, "dx 8 and 6 mm give one grid");
  char err[EB_ERRLEN] = "", ga[64], gb[64];
  snprintf(ga, sizeof ga, "%d x %d cells", ua.g->nx, ua.g->ny);
  snprintf(gb, sizeof gb, "%d x %d cells", ub.g->nx, ub.g->ny);
  cr_assert_eq(diff("a", "b", 0, FIGURES_PNG, NULL, err, sizeof err), EB_EINPUT);
  cr_expect(strstr(err, ga) && strstr(err, gb), "the message does not name %s and %s: %s", ga,
            gb, err);
  cr_expect(strstr(err, "--resample"), "%s", err);
  cr_expect(!file_exists("out/diff.csv"), "a refused diff wrote diff.csv");
  cr_assert_eq(diff("a", "b", 1, FIGURES_PNG, NULL, err, sizeof err), EB_OK, "%s", err);
  cr_expect(file_exists("out/diff.csv") && file_exists("out/junction_difference.png"));

  /* Bilinear interpolation is a convex combination of the (up to) four
   * cells of B around each cell centre of A: the resampled value lies
   * within their range, so |B - A| there is at most the largest |B_k - A|
   * of those cells. The bound holds whatever the solution; a wrong cell,
   * weight or extrapolation breaks it. */
  const size_t n = (size_t)ua.g->nx * ua.g->ny;
  double *d = malloc(n * sizeof *d);
  const double *ma = tmap(&ua), *mb = tmap(&ub);
  cr_assert_eq(Output_diff_map(ua.g, ma, ub.g, mb, 0, d, err, sizeof err), EB_EINPUT);
  cr_assert_eq(Output_diff_map(ua.g, ma, ub.g, mb, 1, d, err, sizeof err), EB_OK, "%s", err);
  const Grid *A = ua.g, *B = ub.g;
  double worst = 0.0;
  for (int j = 0; j < A->ny; j++)
    for (int i = 0; i < A->nx; i++) {
      const double x = 0.5 * (A->x[i] + A->x[i + 1]), y = 0.5 * (A->y[j] + A->y[j + 1]);
      int i0 = 0, j0 = 0;
      while (i0 + 1 < B->nx && 0.5 * (B->x[i0 + 1] + B->x[i0 + 2]) <= x) i0++;
      while (j0 + 1 < B->ny && 0.5 * (B->y[j0 + 1] + B->y[j0 + 2]) <= y) j0++;
      const int i1 = i0 + 1 < B->nx ? i0 + 1 : i0, j1 = j0 + 1 < B->ny ? j0 + 1 : j0;
      const double c[4] = {mb[(size_t)j0 * B->nx + i0], mb[(size_t)j0 * B->nx + i1],
                           mb[(size_t)j1 * B->nx + i0], mb[(size_t)j1 * B->nx + i1]};
      const double lo = fmin(fmin(c[0], c[1]), fmin(c[2], c[3]));
      const double hi = fmax(fmax(c[0], c[1]), fmax(c[2], c[3]));
      const size_t q = (size_t)j * A->nx + i;
      const double res = d[q] + ma[q];
      cr_assert(isfinite(d[q]), "cell (%d,%d) has no value", i, j);
      cr_assert(res >= lo - 1e-9 && res <= hi + 1e-9,
                "cell (%d,%d): resampled %.9g outside B's cells around it [%.9g, %.9g]", i, j, res,
                lo, hi);
      worst = fmax(worst, fabs(d[q]));
    }
  /* the same case on two grids: the junction maps agree to the
   * discretisation error (measured 0.016 K at 8 against 6 mm) */
  cr_expect_lt(worst, 0.1, "max |B - A| %g K for one case on two grids", worst);
  free(d);
  read_free(&ua);
  read_free(&ub);
}

/* f(x, y) = x^2 + 2 y^2 + 3 x - y on a fine non-uniform grid B, resampled
 * onto a coarse A. For a sum of 1D functions bilinear interpolation errs by
 * the 1D errors' sum: between centres c0 < x < c1, f_xx/2 (x - c0)(c1 - x)
 * (here exactly (x - c0)(c1 - x) + 2 (y - d0)(d1 - y), at most h^2/4 +
 * h^2/2); in the half cell along B's edge the value is held constant, an
 * error of at most max|f_x| h/2 + max|f_y| h/2. */
static double fq(double x, double y) { return x * x + 2 * y * y + 3 * x - y; }

Test(diff, resampling_error_within_bilinear_bound) {
  const int anx = 10, any = 8, bnx = 23, bny = 17;
  Grid *A = Grid_alloc(anx, any, 1), *B = Grid_alloc(bnx, bny, 1);
  cr_assert(A && B);
  for (int i = 0; i <= anx; i++) A->x[i] = (double)i / anx;
  for (int j = 0; j <= any; j++) A->y[j] = (double)j / any;
  for (int i = 0; i <= bnx; i++) { /* graded: finer at x = 0 */
    const double s = (double)i / bnx;
    B->x[i] = s * s * 0.3 + s * 0.7;
  }
  for (int j = 0; j <= bny; j++) B->y[j] = (double)j / bny;
  double a[anx * any], b[bnx * bny], d[anx * any];
  for (int j = 0; j < any; j++)
    for (int i = 0; i < anx; i++) a[j * anx + i] = fq((A->x[i] + A->x[i + 1]) / 2, (A->y[j] + A->y[j + 1]) / 2);
  for (int j = 0; j < bny; j++)
    for (int i = 0; i < bnx; i++) b[j * bnx + i] = fq((B->x[i] + B->x[i + 1]) / 2, (B->y[j] + B->y[j + 1]) / 2);
  char err[EB_ERRLEN];
  cr_assert_eq(Output_diff_map(A, a, B, b, 0, d, err, sizeof err), EB_EINPUT);
  cr_assert_eq(Output_diff_map(A, a, B, b, 1, d, err, sizeof err), EB_OK, "%s", err);
  double hx = 0.0, hy = 0.0;
  for (int i = 0; i < bnx; i++) hx = fmax(hx, B->x[i + 1] - B->x[i]);
  for (int j = 0; j < bny; j++) hy = fmax(hy, B->y[j + 1] - B->y[j]);
  int interior = 0;
  for (int j = 0; j < any; j++)
    for (int i = 0; i < anx; i++) {
      const double x = (A->x[i] + A->x[i + 1]) / 2, y = (A->y[j] + A->y[j + 1]) / 2;
      const double e = d[j * anx + i];
      int i0 = -1, j0 = -1;
      for (int k = 0; k + 1 < bnx; k++)
        if ((B->x[k] + B->x[k + 1]) / 2 <= x && x < (B->x[k + 1] + B->x[k + 2]) / 2) i0 = k;
      for (int k = 0; k + 1 < bny; k++)
        if ((B->y[k] + B->y[k + 1]) / 2 <= y && y < (B->y[k + 1] + B->y[k + 2]) / 2) j0 = k;
      if (i0 >= 0 && j0 >= 0) {
        const double c0 = (B->x[i0] + B->x[i0 + 1]) / 2, c1 = (B->x[i0 + 1] + B->x[i0 + 2]) / 2;
        const double d0 = (B->y[j0] + B->y[j0 + 1]) / 2, d1 = (B->y[j0 + 1] + B->y[j0 + 2]) / 2;
        const double exact = (x - c0) * (c1 - x) + 2 * (y - d0) * (d1 - y);
        cr_assert(fabs(e - exact) <= 1e-12, "cell (%d,%d): error %.17g, bilinear's %.17g", i, j,
                  e, exact);
        cr_assert(e >= 0 && e <= hx * hx / 4 + hy * hy / 2 + 1e-15);
        interior++;
      } else {
        cr_assert(fabs(e) <= 5.0 * hx / 2 + 3.0 * hy / 2 + hx * hx / 4 + hy * hy / 2,
                  "edge cell (%d,%d): error %g", i, j, e);
      }
    }
  cr_expect_gt(interior, anx * any / 2);
  /* the same grid: no interpolation, exactly b - a */
  cr_assert_eq(Output_diff_map(A, a, A, a, 0, d, err, sizeof err), EB_OK);
  for (int q = 0; q < anx * any; q++) cr_assert_eq(d[q], 0.0);
  Grid_destroy(A);
  Grid_destroy(B);
}
