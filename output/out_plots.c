/* out_plots.c - line plots of the coolant loop, in the style of out_style.h:
 *
 *   coolant_path   mean coolant and hottest junction temperature along the
 *                  flow direction; the inlet temperature; the case's
 *                  junction and coolant outlet limits; the die edges (die
 *                  numbers above the frame) and the coolant's inlet, flow
 *                  direction and outlet(s) in a band above them;
 *   pump_curve     the loop's pressure drop against flow, the pumps' curve
 *                  with all running and with one lost, their operating
 *                  points, the case's flow and the 1.5 L/min/kW facility
 *                  reference; the pressure-drop limit and the flow at the
 *                  velocity limit.
 *
 * Labels are placed by StyleLayout: inside the frame, beside their marker,
 * clear of the curves and of each other; legends sit under the plot, so
 * they never cover data. Missing data (n = 0, NULL or NaN arrays, NaN
 * operating points) is skipped, never drawn as garbage; an empty plot says
 * so. */
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out_style.h"
#include "output.h"
#include "output_internal.h"

/* A "no data" note in the middle of an empty plot. */
static void no_data(double x0, double x1, double y0, double y1, const char *text) {
  plcol0(STYLE_GREY);
  plptex(0.5 * (x0 + x1), y0 + 0.7 * (y1 - y0), 1.0, 0.0, 0.5, text);
  plcol0(STYLE_FG);
}

/* The frame under the titles and over the legend: page mm from the left
 * and the bottom, for plvpor. */
typedef struct {
  double x0, x1, y0, y1; /* normalised page */
} Frame;

static Frame frame_between(const StylePage *p, double top_mm, double bottom_mm) {
  return (Frame){8.0 * p->ch / p->w, 1.0 - 2.2 * p->ch / p->w, bottom_mm / p->h, top_mm / p->h};
}

/* ---- coolant_path ---------------------------------------------------------- */

static int path_png(const Case *c, const Registry *reg, const Result *r, const char *dir,
                    FigureFormat fmt, char *err, size_t err_size) {
  char name[64];
  out_figure_name(name, sizeof name, "coolant_path", fmt);
  int n = 0, nc = 0, nj = 0;
  double *x = out_values(reg, r, "path_position_mm", 0, &n);
  double *tc = out_values(reg, r, "path_coolant_c", 0, &nc);
  double *tj = out_values(reg, r, "path_junction_max_c", 0, &nj);
  if (!x || !tc || !tj || nc != n || nj != n) n = 0;
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  int has_c = 0, has_j = 0;
  for (int i = 0; i < n; i++) {
    if (!isfinite(x[i])) continue;
    if (isfinite(tc[i]) || isfinite(tj[i])) {
      xmin = fmin(xmin, x[i]);
      xmax = fmax(xmax, x[i]);
    }
    if (isfinite(tc[i])) {
      has_c = 1;
      ymin = fmin(ymin, tc[i]);
      ymax = fmax(ymax, tc[i]);
    }
    if (isfinite(tj[i])) {
      has_j = 1;
      ymin = fmin(ymin, tj[i]);
      ymax = fmax(ymax, tj[i]);
    }
  }
  const double t_in = out_value(reg, r, "coolant_inlet_c");
  const int has_in = isfinite(t_in);
  if (has_in) {
    ymin = fmin(ymin, t_in);
    ymax = fmax(ymax, t_in);
  }
  /* the limits that apply along the path: the junction's on the hottest
   * junction, the coolant outlet's on the coolant (its mixed value at the
   * outlet) */
  double lim_j = NAN, lim_o = NAN;
  const int has_lj = has_j && style_case_limit(c, "t_max_c", &lim_j, NULL, NULL);
  const int has_lo = has_c && style_case_limit(c, "coolant_outlet_c", &lim_o, NULL, NULL);
  if (has_lj) ymax = fmax(ymax, lim_j);
  if (has_lo) ymax = fmax(ymax, lim_o);
  /* x: the whole wafer when the path lies on it, else the data */
  const double size_mm = c->wafer_size_m * 1e3;
  int on_wafer = 0;
  if (!isfinite(xmin)) {
    xmin = 0.0;
    xmax = isfinite(size_mm) && size_mm > 0 ? size_mm : 1.0;
    on_wafer = isfinite(size_mm) && size_mm > 0;
  } else if (isfinite(size_mm) && size_mm > 0 && xmin >= 0.0 && xmax <= size_mm * (1 + 1e-9)) {
    xmin = 0.0;
    xmax = size_mm;
    on_wafer = 1;
  } else if (xmax - xmin < 1e-9) {
    xmin -= 1.0;
    xmax += 1.0;
  }
  if (!isfinite(ymin)) {
    ymin = 0.0;
    ymax = 1.0;
  }
  if (!has_c && !has_j) { /* only the inlet line, if that */
    ymin -= 4.0;
    ymax += 4.0;
  }
  const double span = fmax(ymax - ymin, 1.0);
  const double y0 = ymin - 0.08 * span, y1 = ymax + 0.10 * span;

  const int ch_layer = Case_channel_layer(c);
  const char along = ch_layer >= 0 && c->layers[ch_layer].flow_direction == 'y' ? 'y' : 'x';
  const int split = ch_layer >= 0 && c->layers[ch_layer].manifold == MANIFOLD_SPLIT;
  const int n_dies = along == 'y' ? c->die_rows : c->die_columns;
  char xlab[128], ylab[64], title[256], sub[200], inlet[64], u[32], t[32];
  const ResultEntry *ex = Registry_find(reg, "path_position_mm");
  style_unit(ex ? ex->unit : "mm", u, sizeof u);
  snprintf(xlab, sizeof xlab, "Position along the flow, %c (%s)", along, u);
  const ResultEntry *ey = Registry_find(reg, "path_coolant_c");
  style_unit(ey ? ey->unit : "C", u, sizeof u);
  snprintf(ylab, sizeof ylab, "Temperature (%s)", u);
  snprintf(title, sizeof title, "%s: coolant and hottest junction along the flow", c->name);
  style_result_operating_point(sub, sizeof sub, reg, r);
  snprintf(inlet, sizeof inlet, "coolant inlet %.1f °C", t_in);

  StyleLegendEntry leg[6];
  int nl = 0;
  if (has_c)
    leg[nl++] = (StyleLegendEntry){"coolant, flow-weighted mean across the flow", STYLE_BLUE,
                                   STYLE_SOLID, 2.5, NULL, 0, 0, 0};
  if (has_j)
    leg[nl++] = (StyleLegendEntry){"hottest junction across the flow", STYLE_VERMILLION,
                                   STYLE_SOLID, 2.5, NULL, 0, 0, 0};
  if (has_in) leg[nl++] = (StyleLegendEntry){inlet, STYLE_GREY, STYLE_DASH, 1.5, NULL, 0, 0, 0};
  if (has_lj || has_lo)
    leg[nl++] = (StyleLegendEntry){"limit (the case's)", STYLE_LIMIT, STYLE_DASH, 1.8, NULL, 0, 0, 0};
  if (on_wafer && n_dies > 1)
    leg[nl++] = (StyleLegendEntry){along == 'y' ? "die edges (die rows numbered above)"
                                                : "die edges (die columns numbered above)",
                                   STYLE_GREY, STYLE_DOT, 1.0, NULL, 0, 0, 0};

  char path[1100];
  out_path(path, sizeof path, dir, name, 1);
  if (style_begin(path, "1100x900", fmt, err, err_size) != EB_OK) {
    free(x);
    free(tc);
    free(tj);
    return EB_EFAIL;
  }
  const StylePage p = style_page();
  const double top = style_titles(title, sub) * p.h;
  const double band = on_wafer && ch_layer >= 0 ? 2.4 * p.ch : 0.0;
  const double numbers = on_wafer && n_dies > 1 ? 1.3 * p.ch : 0.0;
  const double lch = style_legend_ch();
  Frame f = frame_between(&p, 0, 0);
  const int rows = style_legend_rows(leg, nl, (f.x1 - f.x0) * p.w, lch);
  const double legend_top = style_legend_height(rows, lch) + 0.8 * p.ch;
  f = frame_between(&p, top - band - numbers - 0.8 * p.ch, legend_top + 4.4 * p.ch);
  plvpor(f.x0, f.x1, f.y0, f.y1);
  plwind(xmin, xmax, y0, y1);
  /* die edges under everything, light */
  if (on_wafer && n_dies > 1) {
    plcol0(STYLE_GRID);
    plbox("", 0.0, 0, "g", 0.0, 0);
    plcol0(STYLE_GREY);
    pllsty(STYLE_DOT);
    for (int d = 1; d < n_dies; d++) pljoin(d * size_mm / n_dies, y0, d * size_mm / n_dies, y1);
    pllsty(STYLE_SOLID);
    plcol0(STYLE_FG);
    plbox("bcnst", 0.0, 0, "bcnstv", 0.0, 0);
  } else {
    style_axes(xmin, xmax, y0, y1, "bcnst", "bcnstv", 1);
  }
  pllab(xlab, ylab, "");
  StyleLayout L;
  plschr(0.0, 0.85);
  style_layout_init(&L, xmin, xmax, y0, y1);
  if (has_in) {
    style_curve(2, (double[]){xmin, xmax}, (double[]){t_in, t_in}, STYLE_GREY, STYLE_DASH, 1.5);
    style_layout_seg(&L, xmin, t_in, xmax, t_in, 1);
  }
  if (has_lj) {
    style_curve(2, (double[]){xmin, xmax}, (double[]){lim_j, lim_j}, STYLE_LIMIT, STYLE_DASH, 1.8);
    style_layout_seg(&L, xmin, lim_j, xmax, lim_j, 0);
  }
  if (has_lo) {
    style_curve(2, (double[]){xmin, xmax}, (double[]){lim_o, lim_o}, STYLE_LIMIT, STYLE_DASH, 1.8);
    style_layout_seg(&L, xmin, lim_o, xmax, lim_o, 0);
  }
  if (has_c) {
    style_curve(n, x, tc, STYLE_BLUE, STYLE_SOLID, 2.5);
    style_layout_line(&L, x, tc, n);
  }
  if (has_j) {
    style_curve(n, x, tj, STYLE_VERMILLION, STYLE_SOLID, 2.5);
    style_layout_line(&L, x, tj, n);
  }
  char lab[96];
  if (has_lj) {
    style_number(t, sizeof t, lim_j, 4);
    snprintf(lab, sizeof lab, "junction limit %s °C", t);
    style_label_hline(&L, lim_j, lab, STYLE_LIMIT);
  }
  if (has_lo) {
    style_number(t, sizeof t, lim_o, 4);
    snprintf(lab, sizeof lab, "coolant outlet limit %s °C", t);
    style_label_hline(&L, lim_o, lab, STYLE_LIMIT);
  }
  plschr(0.0, 1.0);
  if (!has_c && !has_j) no_data(xmin, xmax, y0, y1, "no temperatures along the flow in this result");
  /* die numbers over the frame, the coolant's way over them */
  if (on_wafer && n_dies > 1) {
    plschr(0.0, 0.7);
    plcol0(STYLE_GREY);
    for (int d = 0; d < n_dies; d++) {
      char k[16];
      snprintf(k, sizeof k, "%d", d + 1);
      plmtex("t", 0.7, (d + 0.5) / n_dies, 0.5, k);
    }
    plcol0(STYLE_FG);
    plschr(0.0, 1.0);
  }
  if (band > 0.0) {
    plvpor(f.x0, f.x1, f.y0 + numbers / p.h, f.y1 + numbers / p.h);
    plwind(0.0, size_mm, y0, y1);
    /* the inlet's temperature is the legend's (once) */
    style_flow_band('x', split, size_mm, NAN, out_value(reg, r, "coolant_outlet_c"), band);
  }
  style_legend(leg, nl, f.x0, f.x1, (legend_top - 0.4 * p.ch) / p.h);
  free(x);
  free(tc);
  free(tj);
  return style_end(dir, name, path, err, err_size);
}

/* NaN after the first point at or below zero. */
static void cut_at_zero(int n, double *v) {
  int i = 0;
  while (i < n && !(isfinite(v[i]) && v[i] <= 0.0)) i++;
  for (i++; i < n; i++) v[i] = NAN;
}

/* ---- pump_curve ---------------------------------------------------------------- */

static int pump_png(const Case *c, const Registry *reg, const Result *r, const char *dir,
                    FigureFormat fmt, char *err, size_t err_size) {
  char name[64];
  out_figure_name(name, sizeof name, "pump_curve", fmt);
  int n = 0, ns = 0, np = 0, nlost = 0;
  double *q = out_values(reg, r, "curve_flow_lpm", 0, &n);
  double *sys = out_values(reg, r, "curve_system_kpa", 0, &ns);
  double *pump = out_values(reg, r, "curve_pumps_kpa", 0, &np);
  double *lost = out_values(reg, r, "curve_pumps_one_lost_kpa", 0, &nlost);
  if (!q || !sys || ns != n) n = 0;
  if (n > 0 && (!pump || np != n || !lost || nlost != n)) {
    /* without pump curves: NaN columns of the same length */
    free(pump);
    free(lost);
    pump = malloc((size_t)n * sizeof *pump);
    lost = malloc((size_t)n * sizeof *lost);
    for (int i = 0; pump && lost && i < n; i++) pump[i] = lost[i] = NAN;
    if (!pump || !lost) n = 0;
  }
  /* a pump curve ends where it reaches zero (beyond, the pumps add nothing) */
  if (pump) cut_at_zero(n, pump);
  if (lost) cut_at_zero(n, lost);
  int has_sys = 0, has_pump = 0, has_lost = 0;
  for (int i = 0; i < n; i++) {
    if (!isfinite(q[i])) continue;
    has_sys |= isfinite(sys[i]);
    has_pump |= isfinite(pump[i]);
    has_lost |= isfinite(lost[i]);
  }
  const double case_q = out_value(reg, r, "coolant_flow_lpm");
  const double case_dp = out_value(reg, r, "pressure_drop_kpa");
  const double op_q = out_value(reg, r, "pump_flow_lpm"), op_dp = out_value(reg, r, "pump_pressure_kpa");
  const double lost_q = out_value(reg, r, "one_pump_lost_flow_lpm");
  const double lost_dp = out_value(reg, r, "one_pump_lost_pressure_kpa");
  const double power_kw = out_value(reg, r, "power_w") * 1e-3;
  const double ref_q = 1.5 * power_kw;
  const int has_case = isfinite(case_q) && case_q > 0;
  const int has_case_pt = has_case && isfinite(case_dp);
  const int has_op = has_pump && isfinite(op_q) && isfinite(op_dp);
  const int has_lost_op = has_lost && isfinite(lost_q) && isfinite(lost_dp);
  const int has_ref = isfinite(ref_q) && ref_q > 0;
  /* the case runs at the pumps' operating point: one marker, one label */
  const int case_is_op = has_op && has_case_pt && fabs(case_q - op_q) <= 1e-3 * fmax(op_q, 1e-9);
  /* the limits: the loop's pressure drop, and the velocity's as a flow
   * (every velocity in the loop goes with the flow) */
  double lim_dp = NAN, lim_v = NAN;
  const int has_ldp = style_case_limit(c, "pressure_drop_kpa", &lim_dp, NULL, NULL);
  const double v_case = out_value(reg, r, "velocity_max_m_s");
  const int has_lv = has_case && isfinite(v_case) && v_case > 0 &&
                     style_case_limit(c, "velocity_max_m_s", &lim_v, NULL, NULL);
  const double q_vlim = has_lv ? case_q * lim_v / v_case : NAN;

  /* x: the sampled range, widened to show every marked flow */
  double xmax = 0.0;
  for (int i = 0; i < n; i++)
    if (isfinite(q[i]) && (isfinite(sys[i]) || isfinite(pump[i]))) xmax = fmax(xmax, q[i]);
  const double pts[5] = {has_case ? case_q : 0.0, has_op ? op_q : 0.0,
                         has_lost_op ? lost_q : 0.0, has_ref ? ref_q : 0.0, 0.0};
  for (int k = 0; k < 5; k++) xmax = fmax(xmax, 1.08 * pts[k]);
  if (!(xmax > 0.0) || !isfinite(xmax)) xmax = 1.0;
  const int show_vlim = has_lv && q_vlim <= xmax;
  /* y: the pumps' range when there are pumps (the loop's quadratic would
   * otherwise squash them), else the loop's drop over the x range */
  double ymax = 0.0;
  for (int i = 0; i < n; i++) {
    if (!isfinite(q[i])) continue;
    if (has_pump) {
      if (isfinite(pump[i])) ymax = fmax(ymax, pump[i]);
      if (isfinite(lost[i])) ymax = fmax(ymax, lost[i]);
    } else if (isfinite(sys[i]) && q[i] <= xmax) {
      ymax = fmax(ymax, sys[i]);
    }
  }
  if (has_case_pt) ymax = fmax(ymax, case_dp);
  if (has_op) ymax = fmax(ymax, op_dp);
  if (has_ldp) ymax = fmax(ymax, lim_dp);
  ymax *= has_pump ? 1.15 : 1.12;
  if (!(ymax > 0.0) || !isfinite(ymax)) ymax = 1.0;

  char title[256], sub[200], pumps_txt[200], lost_txt[200], case_txt[200], ref_txt[160];
  char op_lab[96], lost_lab[96], case_lab[128], f[32], g[32], dp_lab[96], v_lab[128];
  snprintf(title, sizeof title, "%s: loop pressure drop and pump curves", c->name);
  style_result_operating_point(sub, sizeof sub, reg, r);
  const char *arr = c->pump_series ? "series" : "parallel";
  const int running = Case_pumps_running(c);
  style_number(f, sizeof f, op_q, 4);
  style_number(g, sizeof g, op_dp, 3);
  if (running >= 2)
    snprintf(pumps_txt, sizeof pumps_txt, "%d pumps in %s", running, arr);
  else
    snprintf(pumps_txt, sizeof pumps_txt, "pump");
  if (has_op) {
    size_t o = strlen(pumps_txt);
    snprintf(pumps_txt + o, sizeof pumps_txt - o, ": %s L/min, %s kPa against this loop", f, g);
  }
  snprintf(op_lab, sizeof op_lab, "%s L/min", f);
  style_number(f, sizeof f, lost_q, 4);
  style_number(g, sizeof g, lost_dp, 3);
  if (running - 1 >= 2)
    snprintf(lost_txt, sizeof lost_txt, "one pump lost (%d in %s)", running - 1, arr);
  else
    snprintf(lost_txt, sizeof lost_txt, "one pump lost (1 running)");
  if (has_lost_op) {
    size_t o = strlen(lost_txt);
    snprintf(lost_txt + o, sizeof lost_txt - o, ": %s L/min, %s kPa", f, g);
  }
  snprintf(lost_lab, sizeof lost_lab, "one lost: %s L/min", f);
  style_number(f, sizeof f, case_q, 4);
  style_number(g, sizeof g, case_dp, 3);
  if (case_is_op)
    snprintf(case_txt, sizeof case_txt, "case flow %s L/min, at the pumps' operating point", f);
  else if (has_case_pt)
    snprintf(case_txt, sizeof case_txt, "case flow %s L/min: %s kPa through the loop", f, g);
  else
    snprintf(case_txt, sizeof case_txt, "case flow %s L/min", f);
  snprintf(case_lab, sizeof case_lab, "case: %s L/min, %s kPa", f, g);
  style_number(f, sizeof f, ref_q, 4);
  snprintf(ref_txt, sizeof ref_txt, "1.5 L/min/kW facility reference: %s L/min at this power", f);
  char lim_txt[200] = "limits";
  style_number(f, sizeof f, lim_dp, 4);
  snprintf(dp_lab, sizeof dp_lab, "pressure drop limit %s kPa", f);
  if (has_ldp) {
    size_t o = strlen(lim_txt);
    snprintf(lim_txt + o, sizeof lim_txt - o, ": pressure drop %s kPa", f);
  }
  style_number(f, sizeof f, lim_v, 3);
  style_number(g, sizeof g, q_vlim, 4);
  snprintf(v_lab, sizeof v_lab, "velocity limit %s m/s", f);
  if (show_vlim) {
    size_t o = strlen(lim_txt);
    snprintf(lim_txt + o, sizeof lim_txt - o, "%s velocity %s m/s (at %s L/min)",
             has_ldp ? "," : ":", f, g);
  }

  StyleLegendEntry leg[6];
  int nl = 0;
  if (has_sys)
    leg[nl++] = (StyleLegendEntry){"loop pressure drop", STYLE_BLUE, STYLE_SOLID, 2.5, NULL, 0, 0, 0};
  if (has_pump)
    leg[nl++] = (StyleLegendEntry){pumps_txt, STYLE_VERMILLION, STYLE_SOLID, 2.5,
                                   has_op ? "●" : NULL, STYLE_VERMILLION, 1.0, 0};
  if (has_lost)
    leg[nl++] = (StyleLegendEntry){lost_txt, STYLE_ORANGE, STYLE_DASH, 2.5,
                                   has_lost_op ? "●" : NULL, STYLE_ORANGE, 0.8, 0};
  if (has_case)
    leg[nl++] = (StyleLegendEntry){case_txt, STYLE_GREY, STYLE_LONGDASH, 1.5,
                                   has_case_pt ? "◇" : NULL, STYLE_FG, 1.4, 0};
  if (has_ref) leg[nl++] = (StyleLegendEntry){ref_txt, STYLE_GREY, STYLE_DOT, 1.5, NULL, 0, 0, 0};
  if (has_ldp || show_vlim)
    leg[nl++] = (StyleLegendEntry){lim_txt, STYLE_LIMIT, STYLE_DASH, 1.8, NULL, 0, 0, 0};

  char path[1100];
  out_path(path, sizeof path, dir, name, 1);
  if (style_begin(path, "1100x950", fmt, err, err_size) != EB_OK) {
    free(q);
    free(sys);
    free(pump);
    free(lost);
    return EB_EFAIL;
  }
  const StylePage p = style_page();
  const double top = style_titles(title, sub) * p.h;
  const double lch = style_legend_ch();
  Frame fr = frame_between(&p, 0, 0);
  const int rows = style_legend_rows(leg, nl, (fr.x1 - fr.x0) * p.w, lch);
  const double legend_top = style_legend_height(rows, lch) + 0.8 * p.ch;
  fr = frame_between(&p, top - 0.8 * p.ch, legend_top + 4.4 * p.ch);
  plvpor(fr.x0, fr.x1, fr.y0, fr.y1);
  style_axes(0.0, xmax, 0.0, ymax, "bcnst", "bcnstv", 1);
  char xl[64], yl[64], u[32];
  const ResultEntry *eq = Registry_find(reg, "curve_flow_lpm");
  snprintf(xl, sizeof xl, "Flow (%s)", style_unit(eq ? eq->unit : "L/min", u, sizeof u));
  const ResultEntry *ep = Registry_find(reg, "curve_system_kpa");
  snprintf(yl, sizeof yl, "Pressure (%s)", style_unit(ep ? ep->unit : "kPa", u, sizeof u));
  pllab(xl, yl, "");
  StyleLayout L;
  plschr(0.0, 0.85);
  style_layout_init(&L, 0.0, xmax, 0.0, ymax);

  /* reference and limit lines first, curves over them; the case's line
   * drops from its point on the loop curve to the axis (full height
   * without a point) */
  if (has_ref) {
    style_curve(2, (double[]){ref_q, ref_q}, (double[]){0.0, ymax}, STYLE_GREY, STYLE_DOT, 1.5);
    style_layout_seg(&L, ref_q, 0.0, ref_q, ymax, 1);
  }
  if (has_case) {
    const double t = has_case_pt ? fmin(case_dp, ymax) : ymax;
    style_curve(2, (double[]){case_q, case_q}, (double[]){0.0, t}, STYLE_GREY, STYLE_LONGDASH, 1.5);
    style_layout_seg(&L, case_q, 0.0, case_q, t, 1);
  }
  if (has_ldp) {
    style_curve(2, (double[]){0.0, xmax}, (double[]){lim_dp, lim_dp}, STYLE_LIMIT, STYLE_DASH, 1.8);
    style_layout_seg(&L, 0.0, lim_dp, xmax, lim_dp, 0);
  }
  if (show_vlim) {
    style_curve(2, (double[]){q_vlim, q_vlim}, (double[]){0.0, ymax}, STYLE_LIMIT, STYLE_DASH, 1.8);
    style_layout_seg(&L, q_vlim, 0.0, q_vlim, ymax, 0);
  }
  if (has_sys) {
    style_curve(n, q, sys, STYLE_BLUE, STYLE_SOLID, 2.5);
    style_layout_line(&L, q, sys, n);
  }
  if (has_pump) {
    style_curve(n, q, pump, STYLE_VERMILLION, STYLE_SOLID, 2.5);
    style_layout_line(&L, q, pump, n);
  }
  if (has_lost) {
    style_curve(n, q, lost, STYLE_ORANGE, STYLE_DASH, 2.5);
    style_layout_line(&L, q, lost, n);
  }
  /* markers: the pumps' points filled, the case's an open diamond drawn
   * last and larger, so that a point under it shows through */
  const double mk = 0.55 * L.ch_mm / 0.85;
  if (has_op) {
    style_marker(op_q, op_dp, 0, 0, STYLE_VERMILLION, mk);
    style_layout_marker(&L, op_q, op_dp, mk);
  }
  if (has_lost_op) {
    style_marker(lost_q, lost_dp, 0, 0, STYLE_ORANGE, 0.8 * mk);
    style_layout_marker(&L, lost_q, lost_dp, mk);
  }
  if (has_case_pt) { /* open: a point under it shows through */
    const double r = 1.25 * mk;
    StyleView v = style_unclip_begin(2.0 * r);
    PLFLT vx0, vx1, vy0, vy1, wx0, wx1, wy0, wy1;
    plgvpd(&vx0, &vx1, &vy0, &vy1);
    plgvpw(&wx0, &wx1, &wy0, &wy1);
    const double sx = (wx1 - wx0) / ((vx1 - vx0) * p.w), sy = (wy1 - wy0) / ((vy1 - vy0) * p.h);
    PLFLT dx[5] = {case_q + 1.2 * r * sx, case_q, case_q - 1.2 * r * sx, case_q, case_q + 1.2 * r * sx};
    PLFLT dy[5] = {case_dp, case_dp + 1.2 * r * sy, case_dp, case_dp - 1.2 * r * sy, case_dp};
    plcol0(STYLE_FG);
    plwidth(2.0);
    plline(5, dx, dy);
    plwidth(1.0);
    style_unclip_end(&v);
    style_layout_marker(&L, case_q, case_dp, r);
  }
  /* labels: the points' first (nearest their markers), then the lines' */
  if (has_op && !case_is_op) style_label(&L, op_q, op_dp, op_lab, STYLE_FG);
  if (has_case_pt) style_label(&L, case_q, case_dp, case_is_op ? op_lab : case_lab, STYLE_FG);
  if (has_lost_op) style_label(&L, lost_q, lost_dp, lost_lab, STYLE_FG);
  if (has_ldp) style_label_hline(&L, lim_dp, dp_lab, STYLE_LIMIT);
  if (show_vlim) style_label_vline(&L, q_vlim, v_lab, STYLE_LIMIT);
  if (has_ref) style_label_vline(&L, ref_q, "1.5 L/min/kW", STYLE_GREY);
  if (has_case && !has_case_pt) style_label_vline(&L, case_q, "case flow", STYLE_GREY);
  plschr(0.0, 1.0);
  if (!has_sys && !has_pump) no_data(0.0, xmax, 0.0, ymax, "no loop curve in this result");
  style_legend(leg, nl, fr.x0, fr.x1, (legend_top - 0.4 * p.ch) / p.h);
  free(q);
  free(sys);
  free(pump);
  free(lost);
  return style_end(dir, name, path, err, err_size);
}

int Output_write_loop_figures(const Case *c, const Registry *reg, const Result *r,
                              const char *dir, FigureFormat fmt, char *err, size_t err_size) {
  if (!r->part[RESULT_COOLANT]) return EB_OK; /* a transient's result: no loop evaluation */
  int rc = path_png(c, reg, r, dir, fmt, err, err_size);
  if (rc == EB_OK) rc = pump_png(c, reg, r, dir, fmt, err, err_size);
  return rc;
}
