/* test_ties.c - the hottest die reported as a tie when dies are within the
 * solve's tolerance of each other (issue 12 item 2), and the per-die
 * margin to the junction limit of dies.csv / result.h5 (item 6). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case.h"
#include "output/output.h"
#include "solver/core/runtime.h"
#include "solver/model.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(ties, .init = up, .fini = down);

static void solve(const char *path, const char *set, Case *c, ModelResult *r) {
  char err[EB_ERRLEN];
  const char *sets[] = {"grid.dx_mm=8", set};
  cr_assert_eq(Case_read(path, set ? 2 : 1, sets, c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Model_solve_once(c, NULL, r, err, sizeof err), EB_OK, "%s", err);
}

/* "(1,1)-(1,7), (12,1)-(12,7)" into a mark per die (row-major); the number
 * of dies listed, or -1 when the text is malformed, a range is not one
 * column or one row, or a die is listed twice. */
static int parse_dies(const char *s, int ncols, int nrows, unsigned char *mark) {
  int n = 0;
  memset(mark, 0, (size_t)ncols * nrows);
  while (*s) {
    int c0, r0, c1, r1, used = 0;
    if (sscanf(s, "(%d,%d)-(%d,%d)%n", &c0, &r0, &c1, &r1, &used) == 4 && used > 0) {
    } else if (sscanf(s, "(%d,%d)%n", &c0, &r0, &used) == 2 && used > 0) {
      c1 = c0;
      r1 = r0;
    } else
      return -1;
    s += used;
    if ((c0 != c1 && r0 != r1) || c1 < c0 || r1 < r0 || c0 < 1 || r0 < 1 || c1 > ncols ||
        r1 > nrows)
      return -1;
    for (int col = c0; col <= c1; col++)
      for (int row = r0; row <= r1; row++) {
        unsigned char *m = &mark[(row - 1) * ncols + (col - 1)];
        if (*m) return -1;
        *m = 1;
        n++;
      }
    if (!strncmp(s, ", ", 2))
      s += 2;
    else if (*s)
      return -1;
  }
  return n;
}

/* The console report's "Hottest junction" line. */
static void report_line(const Case *c, const ModelResult *r, char *line, size_t size) {
  Result view;
  ModelResult_view(r, &view);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert(f);
  Output_report(f, c, Model_registry(), &view);
  fclose(f);
  const char *at = strstr(buf, "  Hottest junction");
  cr_assert(at, "no hottest junction line in:\n%s", buf);
  const char *end = strchr(at, '\n');
  snprintf(line, size, "%.*s", (int)(end ? end - at : (long)strlen(at)), at);
  free(buf);
}

/* The uniform CS-3 map (8 mm cells): the dies along both outlet edges are
 * equal to well within the solver tolerance. They are all listed, each
 * listed die is within the tolerance of t_max and each other die is not,
 * and the report names them as a tie. */
Test(ties, uniform_cs3_lists_every_tied_die) {
  static Case c;
  ModelResult r;
  solve("cases/cs3.yaml", NULL, &c, &r);
  const ThermalResult *t = &r.thermal;
  const double tol = t->t_max_tie_tol_k;
  cr_assert_eq(tol, fmax(0.01, 10.0 * c.nonlinear_tol_k));
  cr_log_info("cs3 @8mm: %d dies within %.3g K: %s", t->t_max_tied_dies, tol, t->t_max_dies);
  unsigned char mark[4096];
  cr_assert(t->n_dies <= (int)sizeof mark);
  const int n = parse_dies(t->t_max_dies, c.die_columns, c.die_rows, mark);
  cr_assert_gt(n, 1, "a tie of more than one die: \"%s\"", t->t_max_dies);
  cr_assert_eq(n, t->t_max_tied_dies, "listed %d, counted %d", n, t->t_max_tied_dies);
  for (int d = 0; d < t->n_dies; d++) {
    const DieResult *D = &t->dies[d];
    const double below = t->t_max_k - D->t_max_k;
    if (mark[d])
      cr_expect(below <= tol, "die (%d,%d) listed, %.3g K below", D->col + 1, D->row + 1, below);
    else
      cr_expect(below > tol, "die (%d,%d) not listed, %.3g K below", D->col + 1, D->row + 1, below);
  }
  /* the die of the hottest cell is one of them */
  cr_expect(mark[t->t_max_die_row * c.die_columns + t->t_max_die_col]);
  /* the outlet edges, compressed into two runs down the columns */
  cr_expect_str_eq(t->t_max_dies, "(1,1)-(1,7), (12,1)-(12,7)");
  char line[2048], want[2048];
  report_line(&c, &r, line, sizeof line);
  snprintf(want, sizeof want, "  Hottest junction   %.2f C, %d dies within 0.01 K: %s",
           t->t_max_k - 273.15, t->t_max_tied_dies, t->t_max_dies);
  cr_expect_str_eq(line, want);
  ModelResult_free(&r);
}

/* A hotspot makes one die the hottest by far: one die, the one of the
 * hottest cell, and the report's usual line. */
Test(ties, hotspot_has_one_hottest_die) {
  static Case c;
  ModelResult r;
  solve("cases/cs3-hotspots.yaml", "grid.dx_mm=4", &c, &r);
  const ThermalResult *t = &r.thermal;
  cr_log_info("cs3-hotspots @4mm: %d dies: %s", t->t_max_tied_dies, t->t_max_dies);
  cr_assert_eq(t->t_max_tied_dies, 1, "%d tied: %s", t->t_max_tied_dies, t->t_max_dies);
  char want[THERMAL_DIES_TEXT_LEN + 16];
  snprintf(want, sizeof want, "(%d,%d)", t->t_max_die_col + 1, t->t_max_die_row + 1);
  cr_expect_str_eq(t->t_max_dies, want);
  int within = 0;
  for (int d = 0; d < t->n_dies; d++)
    within += t->t_max_k - t->dies[d].t_max_k <= t->t_max_tie_tol_k;
  cr_expect_eq(within, 1);
  char line[2048];
  report_line(&c, &r, line, sizeof line);
  snprintf(want, sizeof want, "die %s at", t->t_max_dies); /* the report's "die (10,4) at" */
  cr_expect(strstr(line, want) && !strstr(line, "within"), "%s", line);
  ModelResult_free(&r);
}

/* The margin column is the case's junction limit minus each die's hottest
 * junction, exactly, in the struct and through the registry (what
 * dies.csv and result.h5 write); without a limit it is NaN. */
Test(ties, junction_margin_per_die) {
  static Case c;
  ModelResult r;
  solve("cases/cs3.yaml", NULL, &c, &r);
  cr_assert(isfinite(c.junction_max_k));
  Result view;
  ModelResult_view(&r, &view);
  const ResultEntry *e = Registry_find(Model_registry(), "die_junction_margin_k");
  cr_assert(e && e->kind == RES_COLUMN && !strcmp(e->group, "dies"));
  cr_assert_eq(Result_rows(&view, e), r.thermal.n_dies);
  for (int d = 0; d < r.thermal.n_dies; d++) {
    const double want = c.junction_max_k - r.thermal.dies[d].t_max_k;
    cr_expect_eq(r.thermal.dies[d].junction_margin_k, want, "die %d", d);
    cr_expect_eq(Result_cell(&view, e, d), want, "die %d through the registry", d);
  }
  ModelResult_free(&r);

  static Case n;
  solve("cases/cs3.yaml", "limits.junction_max_c=", &n, &r); /* null: no limit */
  ModelResult_view(&r, &view);
  cr_assert(isnan(n.junction_max_k), "the override should clear the limit");
  for (int d = 0; d < r.thermal.n_dies; d++)
    cr_expect(isnan(Result_cell(&view, e, d)), "die %d without a limit", d);
  ModelResult_free(&r);
}
