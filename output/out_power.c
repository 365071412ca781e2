/* out_power.c - the power path's outputs beyond the registry's generic
 * ones: the stage-by-stage power flow (shared by the report and the
 * figure), and its figures:
 *
 *   die_voltage.png  supply voltage at the dies' faces after every drop,
 *                    the lowest die marked (the registry's map);
 *   bricks.png       each brick's loss and hottest temperature on the die
 *                    grid, the value written in its cell;
 *   power_flow.png   wall -> PSUs -> boards -> bricks -> PCB -> connector
 *                    -> dies: the power each stage passes on and what it
 *                    loses, in kW, with its efficiency.
 *
 * Everything is read from the registry by name; a result without a power
 * path draws none of them. */
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

int out_power_stages(const Registry *reg, const Result *r, OutStage *st, double *die_w) {
  const double wall = out_value(reg, r, "wall_power_w");
  if (!isfinite(wall)) return 0;
  char brick[48];
  snprintf(brick, sizeof brick, "bricks (12 -> %.3g V)", out_value(reg, r, "set_point_v"));
  const struct {
    const char *name, *to, *loss;
    const char *loss2;
  } def[OUT_STAGES] = {
      {"PSUs (AC -> 50 V)", "air", "psu_loss_w", NULL},
      {"boards (50 -> 12 V)", "air", "pdb_loss_w", NULL},
      {"", "brick cold plate", "brick_loss_total_w", NULL},
      {"PCB planes and vias", "PCB", "pcb_plane_loss_w", "pcb_via_loss_w"},
      {"connector", "connector", "connector_loss_w", NULL},
  };
  double p = wall;
  for (int i = 0; i < OUT_STAGES; i++) {
    OutStage *s = &st[i];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", i == 2 ? brick : def[i].name);
    s->to = def[i].to;
    s->in_w = p;
    s->loss_w = out_value(reg, r, def[i].loss) + (def[i].loss2 ? out_value(reg, r, def[i].loss2) : 0.0);
    s->out_w = p - s->loss_w;
    s->efficiency = s->in_w > 0.0 ? s->out_w / s->in_w : NAN;
    p = s->out_w;
  }
  *die_w = p;
  return OUT_STAGES;
}

/* ---- bricks.png ------------------------------------------------------------------ */

/* Two panels on the die grid: per-brick values (brick_loss_w,
 * brick_t_max_c) as colour and as text. */
static void grid_panel(const Case *c, const double *v, const int *on, int n, const int *col,
                       const int *row, double vp_x0, double vp_x1, const char *title,
                       const char *bar, const char *fmt) {
  const int nc = c->die_columns, nr = c->die_rows;
  const double size = c->wafer_size_m * 1e3;
  double vmin = INFINITY, vmax = -INFINITY;
  for (int i = 0; i < n; i++)
    if (on[i] && isfinite(v[i])) {
      vmin = fmin(vmin, v[i]);
      vmax = fmax(vmax, v[i]);
    }
  if (!isfinite(vmin)) vmin = vmax = 0.0;
  if (vmax - vmin < 1e-6 * fmax(1.0, fabs(vmax))) {
    vmin -= 0.5;
    vmax += 0.5;
  }
  plvpor(vp_x0, vp_x1, 0.25, 0.86);
  plwind(0.0, size, 0.0, size);
  /* one filled cell per die, exact on the die grid (a die without supply
   * stays white) */
  for (int k = 0; k < n; k++) {
    if (!on[k] || !isfinite(v[k]) || col[k] < 1 || col[k] > nc || row[k] < 1 || row[k] > nr)
      continue;
    const double x0 = (col[k] - 1) * size / nc, x1 = col[k] * size / nc;
    const double y0 = (row[k] - 1) * size / nr, y1 = row[k] * size / nr;
    PLFLT fx[4] = {x0, x1, x1, x0}, fy[4] = {y0, y0, y1, y1};
    plcol1((v[k] - vmin) / (vmax - vmin));
    plfill(4, fx, fy);
  }
  plcol0(1);
  for (int d = 1; d < nc; d++) pljoin(d * size / nc, 0.0, d * size / nc, size);
  for (int d = 1; d < nr; d++) pljoin(0.0, d * size / nr, size, d * size / nr);
  plschr(0.0, 0.62);
  for (int k = 0; k < n; k++) {
    char t[32];
    if (on[k])
      snprintf(t, sizeof t, fmt, v[k]);
    else
      snprintf(t, sizeof t, "off");
    double x = (col[k] - 0.5) * size / nc, y = (row[k] - 0.5) * size / nr;
    /* dark text on the light middle of the ramp, white on its ends */
    double f = (v[k] - vmin) / (vmax - vmin);
    plcol0(on[k] && (f < 0.2 || f > 0.85) ? 7 : 1);
    plptex(x, y - 0.012 * size, 1.0, 0.0, 0.5, t);
  }
  plschr(0.0, 0.9);
  plcol0(1);
  plbox("bcnst", 0.0, 0, "bcnstv", 0.0, 0);
  pllab("x (mm)", "y (mm)", title);
  enum { NV = 32 };
  PLFLT values[NV];
  for (int q = 0; q < NV; q++) values[q] = vmin + (vmax - vmin) * q / (NV - 1);
  const PLFLT *vals[1] = {values};
  PLINT n_values[1] = {NV}, label_opts[1] = {PL_COLORBAR_LABEL_BOTTOM}, sub_ticks[1] = {0};
  PLFLT ticks[1] = {0.0}, cb_w, cb_h;
  const char *labels[1] = {bar}, *axis_opts[1] = {"bcvtm"};
  plsxax(8, 0); /* plain tick labels, no "(x10^-1)" */
  plcolorbar(&cb_w, &cb_h, PL_COLORBAR_IMAGE | PL_COLORBAR_ORIENT_RIGHT,
             PL_POSITION_BOTTOM | PL_POSITION_OUTSIDE | PL_POSITION_VIEWPORT, 0.0, 0.16, 0.9,
             0.04, 0, 1, 0, 0.0, 0.0, 0, 0.0, 1, label_opts, labels, 1, axis_opts, ticks,
             sub_ticks, n_values, vals);
  plsxax(0, 0);
  plschr(0.0, 1.0);
}

static int finish(const char *dir, const char *name, const char *path, char *err,
                  size_t err_size) {
  int rc = out_plot_end(path, err, err_size);
  return rc == EB_OK ? out_commit(dir, name, err, err_size) : rc;
}

static void ramp(void) {
  /* the wafer maps' blue -> cyan -> yellow -> red ramp */
  PLFLT pos[5] = {0.0, 0.3, 0.55, 0.8, 1.0};
  PLFLT r[5] = {0.10, 0.10, 0.55, 0.98, 0.75}, gr[5] = {0.10, 0.55, 0.80, 0.80, 0.05},
        b[5] = {0.55, 0.85, 0.35, 0.10, 0.05};
  plscmap1l(1, 5, pos, r, gr, b, NULL);
}

static int bricks_png(const Case *c, const Registry *reg, const Result *r, const char *dir,
                      FigureFormat fmt, char *err, size_t err_size) {
  int n = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0;
  double *loss = out_values(reg, r, "brick_loss_w", 0, &n);
  double *tmax = out_values(reg, r, "brick_t_max_c", 0, &n2);
  double *colv = out_values(reg, r, "brick_column", 0, &n3);
  double *rowv = out_values(reg, r, "brick_row", 0, &n4);
  double *pow_on = out_values(reg, r, "die_powered", 0, &n5);
  int *col = malloc((size_t)(n + 1) * sizeof(int)), *row = malloc((size_t)(n + 1) * sizeof(int));
  int *on = malloc((size_t)(n + 1) * sizeof(int));
  int rc = EB_OK;
  if (!loss || !tmax || !colv || !rowv || !pow_on || !col || !row || !on || n2 != n || n3 != n ||
      n4 != n || n5 != n) {
    snprintf(err, err_size, "cannot draw bricks: the result has no brick table");
    rc = EB_EFAIL;
    goto done;
  }
  for (int k = 0; k < n; k++) {
    col[k] = (int)colv[k];
    row[k] = (int)rowv[k];
    on[k] = pow_on[k] != 0.0;
  }
  char path[1100], name[64], title[160];
  out_figure_name(name, sizeof name, "bricks", fmt);
  out_path(path, sizeof path, dir, name, 1);
  rc = out_plot_begin(path, "1500x820", fmt, err, err_size);
  if (rc != EB_OK) goto done;
  plscol0(7, 255, 255, 255);
  ramp();
  pladv(0);
  plvpor(0.0, 1.0, 0.0, 1.0);
  plwind(0.0, 1.0, 0.0, 1.0);
  snprintf(title, sizeof title, "%s: the 84 bricks (total loss %.2f kW, hottest %.1f C)", c->name,
           out_value(reg, r, "brick_loss_total_w") * 1e-3, out_value(reg, r, "brick_temp_max_c"));
  plschr(0.0, 1.1);
  plmtex("t", -1.6, 0.5, 0.5, title);
  plschr(0.0, 1.0);
  grid_panel(c, loss, on, n, col, row, 0.08, 0.46, "Brick loss (W)", "Loss (W)", "%.1f");
  grid_panel(c, tmax, on, n, col, row, 0.58, 0.96, "Brick hottest cell (C)", "Temperature (C)",
             "%.1f");
  rc = finish(dir, name, path, err, err_size);
done:
  free(loss);
  free(tmax);
  free(colv);
  free(rowv);
  free(pow_on);
  free(col);
  free(row);
  free(on);
  return rc;
}

/* ---- power_flow.png ------------------------------------------------------------- */

static void bar(double x0, double x1, double y0, double y1, int colour) {
  PLFLT fx[4] = {x0, x1, x1, x0}, fy[4] = {y0, y0, y1, y1};
  plcol0(colour);
  plfill(4, fx, fy);
  plcol0(1);
  PLFLT lx[5] = {x0, x1, x1, x0, x0}, ly[5] = {y0, y0, y1, y1, y0};
  plline(5, lx, ly);
}

static int flow_png(const Case *c, const Registry *reg, const Result *r, const char *dir,
                    FigureFormat fmt, char *err, size_t err_size) {
  OutStage st[OUT_STAGES];
  double die_w;
  if (out_power_stages(reg, r, st, &die_w) != OUT_STAGES) {
    snprintf(err, err_size, "cannot draw power_flow: the result has no power path");
    return EB_EFAIL;
  }
  char path[1100], name[64], title[200], t[sizeof st[0].name + 16];
  out_figure_name(name, sizeof name, "power_flow", fmt);
  out_path(path, sizeof path, dir, name, 1);
  int rc = out_plot_begin(path, "1400x820", fmt, err, err_size);
  if (rc != EB_OK) return rc;
  enum { DELIVERED = 2, LOST = 3 };
  static const char *const short_name[OUT_STAGES] = {"PSUs", "boards", "bricks", "PCB",
                                                     "connector"};
  static const char *const what[OUT_STAGES] = {"AC -> 50 V", "50 -> 12 V", "", "planes, vias",
                                               "contacts"};
  static const char *const dest[OUT_STAGES] = {"loss to air", "loss to air", "to brick plate",
                                               "into the PCB", "into connector"};
  plscol0(DELIVERED, 0, 114, 178); /* Okabe-Ito blue, vermillion */
  plscol0(LOST, 213, 94, 0);
  pladv(0);
  const double wall_kw = st[0].in_w * 1e-3, top = wall_kw * 1.18;
  const int nb = OUT_STAGES + 2; /* wall, the stages' outputs, the dies */
  plvpor(0.10, 0.97, 0.25, 0.88);
  plwind(0.0, nb, 0.0, top);
  plcol0(1);
  plbox("bc", 0.0, 0, "bcnstv", 0.0, 0);
  snprintf(title, sizeof title,
           "%s: power flow, wall %.2f kW -> dies %.2f kW (%.1f %% delivered)", c->name,
           wall_kw, die_w * 1e-3, 100.0 * die_w / st[0].in_w);
  pllab("", "Power (kW)", title);
  /* the wall; then each stage: what it passes on (blue) and loses (red) */
  bar(0.2, 0.8, 0.0, wall_kw, DELIVERED);
  plschr(0.0, 0.85);
  snprintf(t, sizeof t, "%.2f kW", wall_kw);
  plptex(0.5, wall_kw + 0.02 * top, 1.0, 0.0, 0.5, t);
  plmtex("b", 1.2, 0.5 / nb, 0.5, "wall");
  for (int i = 0; i < OUT_STAGES; i++) {
    const double x = i + 1.0, in = st[i].in_w * 1e-3, out = st[i].out_w * 1e-3;
    bar(x + 0.2, x + 0.8, 0.0, out, DELIVERED);
    bar(x + 0.2, x + 0.8, out, in, LOST);
    plcol0(LOST);
    snprintf(t, sizeof t, "-%.2f kW", st[i].loss_w * 1e-3);
    plptex(x + 0.5, in + 0.068 * top, 1.0, 0.0, 0.5, t);
    plcol0(1);
    snprintf(t, sizeof t, "%.1f %%", 100.0 * st[i].efficiency);
    plptex(x + 0.5, in + 0.02 * top, 1.0, 0.0, 0.5, t);
    /* under the bar: the stage, what it converts, where its loss goes */
    plmtex("b", 1.2, (x + 0.5) / nb, 0.5, short_name[i]);
    plschr(0.0, 0.7);
    if (i == 2)
      snprintf(t, sizeof t, "12 -> %.3g V", out_value(reg, r, "set_point_v"));
    else
      snprintf(t, sizeof t, "%s", what[i]);
    plmtex("b", 2.9, (x + 0.5) / nb, 0.5, t);
    plcol0(LOST);
    plmtex("b", 4.4, (x + 0.5) / nb, 0.5, dest[i]);
    plcol0(1);
    plschr(0.0, 0.85);
  }
  const double xd = OUT_STAGES + 1.0;
  bar(xd + 0.2, xd + 0.8, 0.0, die_w * 1e-3, DELIVERED);
  snprintf(t, sizeof t, "%.2f kW", die_w * 1e-3);
  plptex(xd + 0.5, die_w * 1e-3 + 0.02 * top, 1.0, 0.0, 0.5, t);
  plmtex("b", 1.2, (xd + 0.5) / nb, 0.5, "dies");
  plschr(0.0, 0.7);
  snprintf(t, sizeof t, "leakage %.2f kW", out_value(reg, r, "die_power_leakage_w") * 1e-3);
  plmtex("b", 2.9, (xd + 0.5) / nb, 0.5, t);
  /* legend: two swatches under the axis */
  plschr(0.0, 0.85);
  plvpor(0.20, 0.90, 0.03, 0.11);
  plwind(0.0, 20.0, 0.0, 1.0);
  bar(0.0, 0.5, 0.3, 0.7, DELIVERED);
  plptex(0.8, 0.4, 1.0, 0.0, 0.0, "passed on to the next stage");
  bar(10.0, 10.5, 0.3, 0.7, LOST);
  plptex(10.8, 0.4, 1.0, 0.0, 0.0, "lost in the stage, as heat");
  plschr(0.0, 1.0);
  return finish(dir, name, path, err, err_size);
}

int Output_write_power_figures(const Case *c, const Grid *g, const Registry *reg,
                               const Result *r, const char *dir, FigureFormat fmt, char *err,
                               size_t err_size) {
  if (!isfinite(out_value(reg, r, "wall_power_w"))) return EB_OK; /* no power path */
  char title[256], mark[128];
  const double vcol = out_value(reg, r, "die_voltage_min_column"), vrow = out_value(reg, r, "die_voltage_min_row");
  const double size = c->wafer_size_m * 1e3;
  snprintf(title, sizeof title, "%s: supply voltage at the dies (set point %.3f V)", c->name,
           out_value(reg, r, "set_point_v"));
  snprintf(mark, sizeof mark, "Vmin %.4f V (die %.0f,%.0f)", out_value(reg, r, "die_voltage_min_v"),
           vcol, vrow);
  int rc = out_draw_map(c, g, reg, r, "die_face_voltage_v", "die_voltage", title,
                        "Die voltage (V)", 1, mark, (vcol - 0.5) * size / c->die_columns,
                        (vrow - 0.5) * size / c->die_rows, dir, fmt, err, err_size);
  if (rc == EB_OK) rc = bricks_png(c, reg, r, dir, fmt, err, err_size);
  if (rc == EB_OK) rc = flow_png(c, reg, r, dir, fmt, err, err_size);
  return rc;
}
