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

#include "out_style.h"
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

/* One panel on the die grid in page x px0..px1, y py0..py1 (normalised):
 * per-brick values as viridis over the colour range rule (ref: the
 * quantity's reference) and as text in each cell; a colour bar on the
 * right with the case's limit (NaN: none). */
static void grid_panel(const Case *c, const double *v, const int *on, int n, const int *col,
                       const int *row, double px0, double px1, double py0, double py1,
                       const char *title, const char *bar, double ref, const char *fmt,
                       double limit) {
  const int nc = c->die_columns, nr = c->die_rows;
  const double size = c->wafer_size_m * 1e3;
  double *shown = malloc((size_t)(n + 1) * sizeof *shown);
  if (!shown) return;
  for (int k = 0; k < n; k++) shown[k] = on[k] ? v[k] : NAN;
  const StyleRange R = style_color_range(shown, (size_t)n, ref, STYLE_MIN_SPAN);
  free(shown);
  const StylePage p = style_page();
  const double ch = p.ch, bar_w = 1.4 * ch, gap = 2.0 * ch;
  /* the die grid fills the panel (cells wide enough for their numbers) */
  const double width = fmax(20.0, (px1 - px0) * p.w - 7.0 * ch - gap - bar_w -
                                      style_colorbar_text_mm(&R) - 1.5 * ch);
  const double height = fmax(20.0, (py1 - py0) * p.h - 1.8 * ch - 4.4 * ch);
  const double x0 = px0 * p.w + 7.0 * ch, y1 = py1 * p.h - 1.8 * ch, y0 = y1 - height;
  plvpor(x0 / p.w, (x0 + width) / p.w, y0 / p.h, y1 / p.h);
  plwind(0.0, size, 0.0, size);
  /* one filled cell per die, exact on the die grid (a die without supply
   * stays white) */
  for (int k = 0; k < n; k++) {
    if (!on[k] || !isfinite(v[k]) || col[k] < 1 || col[k] > nc || row[k] < 1 || row[k] > nr)
      continue;
    const double cx0 = (col[k] - 1) * size / nc, cx1 = col[k] * size / nc;
    const double cy0 = (row[k] - 1) * size / nr, cy1 = row[k] * size / nr;
    PLFLT fx[4] = {cx0, cx1, cx1, cx0}, fy[4] = {cy0, cy0, cy1, cy1};
    plcol1(fmin(fmax((v[k] - R.lo) / (R.hi - R.lo), 0.0), 1.0));
    plfill(4, fx, fy);
  }
  style_die_outlines(nc, nr, size);
  plschr(0.0, 0.62);
  for (int k = 0; k < n; k++) {
    if (col[k] < 1 || col[k] > nc || row[k] < 1 || row[k] > nr) continue;
    char t[32];
    if (on[k])
      snprintf(t, sizeof t, fmt, v[k]);
    else
      snprintf(t, sizeof t, "off");
    const double x = (col[k] - 0.5) * size / nc, y = (row[k] - 0.5) * size / nr;
    /* viridis is dark at its bottom, light at its top: white text there, black here */
    const double f = (v[k] - R.lo) / (R.hi - R.lo);
    plcol0(on[k] && f < 0.55 ? STYLE_HALO : STYLE_FG);
    plptex(x, y, 1.0, 0.0, 0.5, t);
  }
  plschr(0.0, 1.0);
  style_axes(0.0, size, 0.0, size, "bcnst", "bcnstv", 0);
  pllab("x (mm)", "y (mm)", "");
  plschr(0.0, 0.95);
  plmtex("t", 0.8, 0.5, 0.5, title);
  plschr(0.0, 1.0);
  const double bx0 = x0 + width + gap;
  style_colorbar(&R, bx0 / p.w, (bx0 + bar_w) / p.w, y0 / p.h, y1 / p.h, bar, limit);
}

static int finish(const char *dir, const char *name, const char *path, char *err,
                  size_t err_size) {
  return style_end(dir, name, path, err, err_size);
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
  char path[1100], name[64], title[200], sub[200], note[300] = "", a[32];
  out_figure_name(name, sizeof name, "bricks", fmt);
  out_path(path, sizeof path, dir, name, 1);
  rc = style_begin(path, "1300x1300", fmt, err, err_size);
  if (rc != EB_OK) goto done;
  snprintf(title, sizeof title, "%s: the %d power bricks (total loss %.2f kW, hottest %.1f °C)",
           c->name, n, out_value(reg, r, "brick_loss_total_w") * 1e-3,
           out_value(reg, r, "brick_temp_max_c"));
  style_result_operating_point(sub, sizeof sub, reg, r);
  const double top = style_titles(title, sub);
  double lim = NAN;
  int lower = 0;
  const char *lname = NULL;
  const int has_lim = style_case_limit(c, "brick_temp_max_c", &lim, &lower, &lname);
  const double t_in = out_value(reg, r, "coolant_inlet_c");
  /* one above the other: cells wide enough for their numbers */
  const double mid = 0.5 * (0.09 + top);
  grid_panel(c, loss, on, n, col, row, 0.0, 1.0, mid, top, "Loss in each brick",
             "Brick loss (W)", 0.0, "%.1f", NAN);
  grid_panel(c, tmax, on, n, col, row, 0.0, 1.0, 0.09, mid, "Hottest cell of each brick",
             "Brick temperature (°C)", t_in, "%.1f", has_lim ? lim : NAN);
  /* what the colour scales mean, and the limit */
  style_number(a, sizeof a, lim, 4);
  snprintf(note, sizeof note,
           "Colour scales: at least %.0f %% of the largest loss and of the largest rise above "
           "the %.1f °C inlet, so that a small spread looks small%s%s%s",
           100.0 * STYLE_MIN_SPAN, t_in, has_lim ? "; Brick temperature limit ≤ " : "", has_lim ? a : "",
           has_lim ? " °C" : "");
  {
    const StylePage p = style_page();
    style_caption(note, 0.5, 0.045 - 0.5 * 0.8 * p.ch / p.h + 0.8 * p.ch / p.h, 0.94 * p.w, 0.8);
  }
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
  plcol0(STYLE_FG);
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
  char path[1100], name[64], title[200], sub[200], t[sizeof st[0].name + 16];
  out_figure_name(name, sizeof name, "power_flow", fmt);
  out_path(path, sizeof path, dir, name, 1);
  int rc = style_begin(path, "1400x860", fmt, err, err_size);
  if (rc != EB_OK) return rc;
  enum { DELIVERED = STYLE_BLUE, LOST = STYLE_VERMILLION };
  static const char *const short_name[OUT_STAGES] = {"PSUs", "boards", "bricks", "PCB",
                                                     "connector"};
  static const char *const what[OUT_STAGES] = {"AC → 50 V", "50 → 12 V", "", "planes, vias",
                                               "contacts"};
  static const char *const dest[OUT_STAGES] = {"loss to air", "loss to air", "to brick plate",
                                               "into the PCB", "into connector"};
  const double wall_kw = st[0].in_w * 1e-3, top = wall_kw * 1.22;
  const int nb = OUT_STAGES + 2; /* wall, the stages' outputs, the dies */
  snprintf(title, sizeof title,
           "%s: power flow, wall %.2f kW → dies %.2f kW (%.1f %% delivered)", c->name,
           wall_kw, die_w * 1e-3, 100.0 * die_w / st[0].in_w);
  style_result_operating_point(sub, sizeof sub, reg, r);
  const double y_top = style_titles(title, sub);
  plvpor(0.10, 0.97, 0.25, y_top - 0.02);
  plwind(0.0, nb, 0.0, top);
  plcol0(STYLE_GRID);
  plbox("", 0.0, 0, "g", 0.0, 0);
  plcol0(STYLE_FG);
  plbox("bc", 0.0, 0, "bcnstv", 0.0, 0);
  pllab("", "Power (kW)", "");
  /* the wall; then each stage: what it passes on (blue) and loses (red) */
  bar(0.2, 0.8, 0.0, wall_kw, DELIVERED);
  plschr(0.0, 0.85);
  snprintf(t, sizeof t, "%.2f kW", wall_kw);
  plptex(0.5, wall_kw + 0.045 * top, 1.0, 0.0, 0.5, t);
  plmtex("b", 1.2, 0.5 / nb, 0.5, "wall");
  for (int i = 0; i < OUT_STAGES; i++) {
    const double x = i + 1.0, in = st[i].in_w * 1e-3, out = st[i].out_w * 1e-3;
    bar(x + 0.2, x + 0.8, 0.0, out, DELIVERED);
    bar(x + 0.2, x + 0.8, out, in, LOST);
    plcol0(LOST);
    snprintf(t, sizeof t, "−%.2f kW", st[i].loss_w * 1e-3);
    plptex(x + 0.5, in + 0.105 * top, 1.0, 0.0, 0.5, t);
    plcol0(1);
    snprintf(t, sizeof t, "%.1f %%", 100.0 * st[i].efficiency);
    plptex(x + 0.5, in + 0.045 * top, 1.0, 0.0, 0.5, t);
    /* under the bar: the stage, what it converts, where its loss goes */
    plmtex("b", 1.2, (x + 0.5) / nb, 0.5, short_name[i]);
    plschr(0.0, 0.7);
    if (i == 2)
      snprintf(t, sizeof t, "12 → %.3g V", out_value(reg, r, "set_point_v"));
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
  plptex(xd + 0.5, die_w * 1e-3 + 0.045 * top, 1.0, 0.0, 0.5, t);
  plmtex("b", 1.2, (xd + 0.5) / nb, 0.5, "dies");
  plschr(0.0, 0.7);
  snprintf(t, sizeof t, "leakage %.2f kW", out_value(reg, r, "die_power_leakage_w") * 1e-3);
  plmtex("b", 2.9, (xd + 0.5) / nb, 0.5, t);
  plschr(0.0, 1.0);
  /* legend: the two colours, under the stage names */
  const StyleLegendEntry leg[2] = {
      {"passed on to the next stage", DELIVERED, 0, 1.0, NULL, 0, 0.0, 1},
      {"lost in the stage, as heat", LOST, 0, 1.0, NULL, 0, 0.0, 1}};
  style_legend(leg, 2, 0.10, 0.97, 0.10);
  return finish(dir, name, path, err, err_size);
}

int Output_write_power_figures(const Case *c, const Grid *g, const Registry *reg,
                               const Result *r, const char *dir, FigureFormat fmt, char *err,
                               size_t err_size) {
  if (!isfinite(out_value(reg, r, "wall_power_w"))) return EB_OK; /* no power path */
  char what[160], level[64];
  const double set = out_value(reg, r, "set_point_v");
  snprintf(what, sizeof what, "supply voltage at the dies (set point %.3f V)", set);
  snprintf(level, sizeof level, "the %%s drop from the set point");
  const OutMap volt = {.quantity = "die_face_voltage_v", .base = "die_voltage", .what = what,
                       .bar = "Die supply voltage", .ref = set, .level_of = level,
                       .diff_unit = "mV", .diff_scale = 1e3, .mark = -1,
                       .mark_what = "Lowest die voltage (current-weighted over the die)",
                       .mark_column = "die_voltage_v", .tie_tol = 1e-5,
                       .tie_tol_text = "0.01 mV", .limit_quantity = "die_voltage_min_v",
                       .flow = 0};
  (void)g;
  int rc = out_draw_map(c, g, reg, r, &volt, dir, fmt, err, err_size);
  if (rc == EB_OK) rc = bricks_png(c, reg, r, dir, fmt, err, err_size);
  if (rc == EB_OK) rc = flow_png(c, reg, r, dir, fmt, err, err_size);
  return rc;
}
