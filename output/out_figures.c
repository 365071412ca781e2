/* out_figures.c - the wafer maps, in the style of out_style.h: junction
 * temperature, heat flux into the cold plate, coolant temperature (and, for
 * out_power.c and out_mechanics.c, the die voltage and the connector
 * strain).
 *
 * A map page: the case and the map's quantity as title, the operating point
 * under it; the coolant's inlet, direction and outlet in a band beside the
 * frame; the map in viridis over the colour range rule of out_style.h, die
 * outlines dark on a white halo; the extreme value's location marked with a
 * ring (every die whose extreme lies within the tie tolerance gets one, and
 * then no die is named on the map: the legend says how many tie and which);
 * under the map the data's range and spread in words, the case's limit and
 * its margin; the colour bar with numbers at both ends, the data's range
 * bracketed beside it. */
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out_style.h"
#include "output.h"
#include "output_internal.h"

int out_map_ties(const Case *c, const Grid *g, const double *v, int sign, double tol,
                 int *tied, double *where_x, double *where_y, double *best) {
  const int nc = c->die_columns, nr = c->die_rows, nd = nc * nr;
  const double size = c->wafer_size_m;
  double *ext = malloc((size_t)nd * sizeof *ext);
  if (!ext || nc < 1 || nr < 1 || !(size > 0.0)) {
    free(ext);
    return 0;
  }
  const double s = sign < 0 ? -1.0 : 1.0;
  for (int d = 0; d < nd; d++) {
    ext[d] = -INFINITY;
    tied[d] = 0;
    where_x[d] = where_y[d] = NAN;
  }
  double top = -INFINITY;
  for (int j = 0; j < g->ny; j++) {
    const double yc = 0.5 * (g->y[j] + g->y[j + 1]) - g->y[0];
    int row = (int)floor(yc / size * nr);
    row = row < 0 ? 0 : row >= nr ? nr - 1 : row;
    for (int i = 0; i < g->nx; i++) {
      const double val = v[(size_t)j * g->nx + i];
      if (!isfinite(val)) continue;
      const double xc = 0.5 * (g->x[i] + g->x[i + 1]) - g->x[0];
      int col = (int)floor(xc / size * nc);
      col = col < 0 ? 0 : col >= nc ? nc - 1 : col;
      const int d = row * nc + col;
      if (s * val > ext[d]) {
        ext[d] = s * val;
        where_x[d] = (xc + g->x[0]) * 1e3;
        where_y[d] = (yc + g->y[0]) * 1e3;
      }
      top = fmax(top, s * val);
    }
  }
  int n = 0;
  if (isfinite(top))
    for (int d = 0; d < nd; d++)
      if (isfinite(ext[d]) && ext[d] >= top - fabs(tol)) {
        tied[d] = 1;
        n++;
      }
  *best = s * top;
  free(ext);
  return n;
}

/* The same from a per-die column of the registry (die_column, die_row):
 * the marks at the dies' centres. */
static int die_ties(const Case *c, const Registry *reg, const Result *r, const char *column,
                    int sign, double tol, int *tied, double *where_x, double *where_y,
                    double *best) {
  const int nc = c->die_columns, nr = c->die_rows, nd = nc * nr;
  const double size = c->wafer_size_m * 1e3, s = sign < 0 ? -1.0 : 1.0;
  int n = 0, n1 = 0, n2 = 0;
  double *v = out_values(reg, r, column, 0, &n);
  double *cv = out_values(reg, r, "die_column", 0, &n1);
  double *rv = out_values(reg, r, "die_row", 0, &n2);
  double top = -INFINITY;
  for (int d = 0; d < nd; d++) {
    tied[d] = 0;
    where_x[d] = where_y[d] = NAN;
  }
  for (int k = 0; v && cv && rv && n1 == n && n2 == n && k < n; k++)
    if (isfinite(v[k])) top = fmax(top, s * v[k]);
  int count = 0;
  for (int k = 0; isfinite(top) && k < n; k++) {
    const int col = (int)cv[k] - 1, row = (int)rv[k] - 1;
    if (!isfinite(v[k]) || col < 0 || col >= nc || row < 0 || row >= nr) continue;
    if (s * v[k] >= top - fabs(tol)) {
      const int d = row * nc + col;
      count += !tied[d];
      tied[d] = 1;
      where_x[d] = (col + 0.5) * size / nc;
      where_y[d] = (row + 0.5) * size / nr;
    }
  }
  *best = s * top;
  free(v);
  free(cv);
  free(rv);
  return count;
}

/* The tied dies as text: runs of rows in a column "(c,r)-(c,r)", joined by
 * ", "; "" when it would not fit size. */
static void dies_text(const int *tied, int nc, int nr, char *buf, size_t size) {
  size_t o = 0;
  buf[0] = '\0';
  for (int col = 0; col < nc; col++)
    for (int row = 0; row < nr; row++) {
      if (!tied[row * nc + col]) continue;
      int end = row;
      while (end + 1 < nr && tied[(end + 1) * nc + col]) end++;
      char item[64];
      if (end > row)
        snprintf(item, sizeof item, "(%d,%d)-(%d,%d)", col + 1, row + 1, col + 1, end + 1);
      else
        snprintf(item, sizeof item, "(%d,%d)", col + 1, row + 1);
      int w = snprintf(buf + o, size - o, "%s%s", o ? ", " : "", item);
      if (w < 0 || (size_t)w >= size - o) {
        buf[0] = '\0';
        return;
      }
      o += (size_t)w;
      row = end;
    }
}

int Output_die_ties(const Case *c, const Registry *reg, const Result *r, const char *column,
                    int sign, double tol, char *text, size_t size) {
  const int nd = c->die_columns * c->die_rows;
  int *tied = calloc((size_t)nd + 1, sizeof *tied);
  double *wx = calloc((size_t)nd + 1, sizeof *wx), *wy = calloc((size_t)nd + 1, sizeof *wy);
  double best = NAN;
  int n = tied && wx && wy ? die_ties(c, reg, r, column, sign, tol, tied, wx, wy, &best) : 0;
  if (text && size) text[0] = '\0';
  if (n > 0 && text) dies_text(tied, c->die_columns, c->die_rows, text, size);
  free(tied);
  free(wx);
  free(wy);
  return n;
}

/* One map: values [ny][nx] in display units. */
static int map_page(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                    const OutMap *m, const ResultEntry *e, const double *v, const char *path,
                    FigureFormat fmt, char *err, size_t err_size) {
  const int nx = g->nx, ny = g->ny, nd = c->die_columns * c->die_rows;
  const double size_mm = c->wafer_size_m * 1e3;
  const StyleRange R = style_color_range(v, (size_t)nx * ny, m->ref, STYLE_MIN_SPAN);
  char unit[32], dunit[32], su[40]; /* su: " unit", or "" for a pure number */
  style_unit(e->unit, unit, sizeof unit);
  snprintf(su, sizeof su, "%s%s", unit[0] ? " " : "", unit);
  snprintf(dunit, sizeof dunit, "%s", m->diff_unit ? m->diff_unit : unit);

  /* the marked extreme and its ties */
  int *tied = calloc((size_t)nd + 1, sizeof *tied);
  double *wx = malloc(((size_t)nd + 1) * sizeof *wx), *wy = malloc(((size_t)nd + 1) * sizeof *wy);
  PLFLT **img = NULL;
  int *ci = NULL, *cj = NULL, npx = 0;
  if (!tied || !wx || !wy) goto oom;
  double best = NAN;
  int n_tied = 0;
  if (m->mark && R.any) {
    const double tol = isfinite(m->tie_tol) ? m->tie_tol : 1e-3 * R.level;
    if (m->mark_column)
      n_tied = die_ties(c, reg, r, m->mark_column, m->mark, tol, tied, wx, wy, &best);
    else
      n_tied = out_map_ties(c, g, v, m->mark, tol, tied, wx, wy, &best);
  }

  /* Resample to a uniform pixel grid at the case's nominal cell size
   * (nearest cell): plimage then costs one fill per pixel, where plimagefr
   * with a coordinate transform fills one polygon per cell; sliver cells next
   * to die or hotspot edges must not blow the pixel count up. 64..800 px. */
  npx = (int)ceil(size_mm / (c->dx_m * 1e3));
  if (npx < 64) npx = 64;
  if (npx > 800) npx = 800;
  plAlloc2dGrid(&img, npx, npx);
  ci = malloc((size_t)npx * sizeof *ci);
  cj = malloc((size_t)npx * sizeof *cj);
  if (!img || !ci || !cj) goto oom;
  for (int q = 0, i = 0, j = 0; q < npx; q++) {
    const double centre = (q + 0.5) * size_mm / npx;
    while (i < nx - 1 && g->x[i + 1] * 1e3 <= centre) i++;
    while (j < ny - 1 && g->y[j + 1] * 1e3 <= centre) j++;
    ci[q] = i;
    cj[q] = j;
  }
  const double below = R.lo - 1.0 - (R.hi - R.lo); /* NaN cells: below the range, not drawn */
  for (int a = 0; a < npx; a++)
    for (int b = 0; b < npx; b++) {
      const double val = v[(size_t)cj[b] * nx + ci[a]];
      img[a][b] = isfinite(val) ? val : below;
    }

  /* texts */
  char title[320], sub[200], range[200], spread[200], level[96], lv[32], lim_text[300] = "";
  char legend_text[800] = "", dies[300], a[32], b[32], ex[32];
  snprintf(title, sizeof title, "%s: %s", c->name, m->what);
  style_result_operating_point(sub, sizeof sub, reg, r);
  style_number(a, sizeof a, R.dmin, 4);
  style_number(b, sizeof b, R.dmax, 4);
  snprintf(range, sizeof range, "%s–%s%s", a, b, su);
  const double dscale = m->diff_scale > 0.0 ? m->diff_scale : 1.0;
  style_number(lv, sizeof lv, R.level * dscale, 3);
  char lvu[64];
  snprintf(lvu, sizeof lvu, "%s%s%s", lv, dunit[0] ? " " : "", dunit);
  snprintf(level, sizeof level, m->level_of ? m->level_of : "the largest, %s", lvu);
  style_spread_text(spread, sizeof spread, &R, dscale, dunit, level);
  /* under the map, one thought per line: the data, the colour scale, the
   * limit, the marks */
  char text[1600];
  size_t o = (size_t)snprintf(text, sizeof text, "%s: %s", range, spread);
  if (R.widened && o < sizeof text)
    o += (size_t)snprintf(text + o, sizeof text - o,
                          "; Colour scale: at least %.0f %% of that, centred on the data (a small "
                          "spread looks small)",
                          100.0 * STYLE_MIN_SPAN);
  double lim = NAN;
  int lower = 0;
  const char *lim_name = NULL;
  if (m->limit_quantity && style_case_limit(c, m->limit_quantity, &lim, &lower, &lim_name)) {
    /* the limited quantity's own value (a die's current-weighted voltage, say), else the map's */
    const double q = out_value(reg, r, m->limit_quantity);
    const double worst = isfinite(q) ? q : lower ? R.dmin : R.dmax;
    style_number(a, sizeof a, lim, 4);
    style_number(b, sizeof b, (lower ? worst - lim : lim - worst) * dscale, 3);
    snprintf(lim_text, sizeof lim_text, "Limit %s %s%s (%s): margin %s%s%s%s",
             lower ? "≥" : "≤", a, su, lim_name, b, dunit[0] ? " " : "", dunit,
             lim < R.lo ? ", below the colour scale" : lim > R.hi ? ", above the colour scale" : "");
    if (o < sizeof text) o += (size_t)snprintf(text + o, sizeof text - o, "; %s", lim_text);
  }
  if (m->mark && n_tied > 0) {
    style_number(ex, sizeof ex, best, 4);
    if (n_tied == 1) {
      int d = 0;
      while (d < nd && !tied[d]) d++;
      snprintf(legend_text, sizeof legend_text, "◉ %s %s%s, in die (%d,%d)", m->mark_what, ex,
               su, d % c->die_columns + 1, d / c->die_columns + 1);
    } else {
      char tol_text[96];
      if (m->tie_tol_text)
        snprintf(tol_text, sizeof tol_text, "%s", m->tie_tol_text);
      else {
        const double tol = isfinite(m->tie_tol) ? m->tie_tol : 1e-3 * R.level;
        char t[32];
        style_number(t, sizeof t, tol * dscale, 2);
        snprintf(tol_text, sizeof tol_text, "%s%s%s", t, dunit[0] ? " " : "", dunit);
      }
      dies_text(tied, c->die_columns, c->die_rows, dies, sizeof dies);
      snprintf(legend_text, sizeof legend_text, "◉ %s %s%s, tied in %d dies within %s%s%s",
               m->mark_what, ex, su, n_tied, tol_text, dies[0] ? ": " : "", dies);
    }
    if (o < sizeof text) o += (size_t)snprintf(text + o, sizeof text - o, "; %s", legend_text);
  }

  if (style_begin(path, "1100x1050", fmt, err, err_size) != EB_OK) goto fail;
  const StylePage p = style_page();
  const double ch = p.ch;
  const double top = style_titles(title, sub) * p.h;
  const int ch_layer = Case_channel_layer(c);
  const int flow = m->flow && ch_layer >= 0;
  const char along = flow && c->layers[ch_layer].flow_direction == 'y' ? 'y' : 'x';
  const int split = flow && c->layers[ch_layer].manifold == MANIFOLD_SPLIT;
  const double band = 2.4 * ch;
  const double band_top = flow && along == 'x' ? band + 0.6 * ch : 0.0;
  const double band_right = flow && along == 'y' ? band + 0.6 * ch : 0.0;
  /* under the frame: ticks and x label, then the caption */
  const double cap_scale = 0.8, cap_w = 0.94 * p.w;
  const double under = 4.2 * ch + style_caption_mm(text, cap_w, cap_scale) + 0.8 * ch;
  const double left = 7.2 * ch;
  const double bar_w = 1.5 * ch, bar_gap = 2.2 * ch + band_right;
  const double right = bar_gap + bar_w + style_colorbar_text_mm(&R) + 1.5 * ch;
  const double avail_w = p.w - left - right, avail_h = top - band_top - 0.6 * ch - under;
  const double side = fmax(20.0, fmin(avail_w, avail_h));
  const double fx0 = left + 0.5 * (avail_w - side), fy1 = top - band_top - 0.6 * ch;
  const double fy0 = fy1 - side;
  plvpor(fx0 / p.w, (fx0 + side) / p.w, fy0 / p.h, fy1 / p.h);
  plwind(0.0, size_mm, 0.0, size_mm);
  /* plimagefr, not plimage: plimage scales the colours to the data's own
   * range, and the NaN cells, set below the range so that they are not
   * drawn, would take its bottom */
  plimagefr((PLFLT_MATRIX)img, npx, npx, 0.0, size_mm, 0.0, size_mm, R.lo, R.hi, R.lo, R.hi,
            NULL, NULL);
  style_die_outlines(c->die_columns, c->die_rows, size_mm);
  style_axes(0.0, size_mm, 0.0, size_mm, "bcnst", "bcnstv", 0);
  pllab("x (mm)", "y (mm)", "");
  /* the marks: rings at each tied die's extreme (one per spot), a label
   * beside a single one */
  StyleLayout L;
  plschr(0.0, 0.85);
  style_layout_init(&L, 0.0, size_mm, 0.0, size_mm);
  L.ground = 1;
  const double ring_mm = 0.8 * ch, per_mm = size_mm / side;
  int drawn = 0;
  double last_x = NAN, last_y = NAN;
  for (int d = 0; d < nd && n_tied > 0; d++) {
    if (!tied[d]) continue;
    if (drawn && hypot(wx[d] - last_x, wy[d] - last_y) < 1.5 * ring_mm * per_mm) continue;
    /* the ring lies inside the frame (clear of the axis numbers); moved
     * by at most its radius, it still holds the spot */
    const double rw = ring_mm * per_mm * 1.15;
    const double mx = fmin(fmax(wx[d], rw), size_mm - rw), my = fmin(fmax(wy[d], rw), size_mm - rw);
    style_map_marker(mx, my, ring_mm);
    style_layout_marker(&L, mx, my, ring_mm);
    last_x = wx[d];
    last_y = wy[d];
    wx[d] = mx;
    wy[d] = my;
    drawn++;
  }
  for (int d = 0; d < nd && n_tied == 1; d++)
    if (tied[d]) {
      char t[96];
      snprintf(t, sizeof t, "%s%s", ex, su);
      style_label(&L, wx[d], wy[d], t, STYLE_FG);
    }
  plschr(0.0, 1.0);
  if (flow) {
    plvpor(fx0 / p.w, (fx0 + side) / p.w, fy0 / p.h, fy1 / p.h);
    plwind(0.0, size_mm, 0.0, size_mm);
    style_flow_band(along, split, size_mm, out_value(reg, r, "coolant_inlet_c"),
                    out_value(reg, r, "coolant_outlet_c"), band);
  }
  /* the colour bar */
  char bar[160];
  snprintf(bar, sizeof bar, "%s%s%s%s", m->bar, unit[0] ? " (" : "", unit, unit[0] ? ")" : "");
  const double bx0 = fx0 + side + bar_gap;
  style_colorbar(&R, bx0 / p.w, (bx0 + bar_w) / p.w, fy0 / p.h, fy1 / p.h, bar, lim);
  /* the caption */
  style_caption(text, 0.5, (fy0 - 4.2 * ch - 0.5 * cap_scale * ch) / p.h, cap_w, cap_scale);
  plFree2dGrid(img, npx, npx);
  free(ci);
  free(cj);
  free(tied);
  free(wx);
  free(wy);
  return out_plot_end(path, err, err_size);
oom:
  snprintf(err, err_size, "out of memory drawing %s", path);
fail:
  if (img) plFree2dGrid(img, npx, npx);
  free(ci);
  free(cj);
  free(tied);
  free(wx);
  free(wy);
  return EB_EFAIL;
}

int out_draw_map(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                 const OutMap *m, const char *dir, FigureFormat fmt, char *err,
                 size_t err_size) {
  const size_t ncol = (size_t)g->nx * g->ny;
  int n = 0;
  const ResultEntry *e = Registry_find(reg, m->quantity);
  double *v = e ? out_values(reg, r, m->quantity, ncol, &n) : NULL;
  if (!v) {
    snprintf(err, err_size, "cannot draw %s: the result has no %s (or out of memory)", m->base,
             m->quantity);
    return EB_EFAIL;
  }
  char path[1100], name[64];
  out_figure_name(name, sizeof name, m->base, fmt);
  out_path(path, sizeof path, dir, name, 1);
  int rc = map_page(c, g, reg, r, m, e, v, path, fmt, err, err_size);
  if (rc == EB_OK) rc = out_commit(dir, name, err, err_size);
  free(v);
  return rc;
}

int Output_write_figures(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                         const char *dir, FigureFormat fmt, char *err, size_t err_size) {
  const double t_in = out_value(reg, r, "coolant_inlet_c");
  const double tol = out_value(reg, r, "t_max_tie_tol_k");
  char tol_text[48] = "", t[32];
  if (isfinite(tol)) {
    style_number(t, sizeof t, tol, 2);
    snprintf(tol_text, sizeof tol_text, "%s K", t);
  }
  const OutMap junction = {
      .quantity = "wafer_temperature_c", .base = "wafer_temperature",
      .what = "junction temperature at the dies' active face", .bar = "Junction temperature",
      .ref = t_in, .level_of = "the %s rise above the inlet", .diff_unit = "K", .mark = 1,
      .mark_what = "Hottest junction", .tie_tol = isfinite(tol) ? tol : 0.01,
      .tie_tol_text = tol_text[0] ? tol_text : NULL, .limit_quantity = "t_max_c", .flow = 1};
  int rc = out_draw_map(c, g, reg, r, &junction, dir, fmt, err, err_size);
  const OutMap flux = {.quantity = "heat_flux_plate_w_cm2", .base = "heat_flux",
                       .what = "heat flux into the cold plate", .bar = "Heat flux",
                       .ref = 0.0, .level_of = "the largest, %s", .mark = 1,
                       .mark_what = "Largest heat flux", .tie_tol = NAN, .flow = 1};
  if (rc == EB_OK) rc = out_draw_map(c, g, reg, r, &flux, dir, fmt, err, err_size);
  const OutMap coolant = {.quantity = "coolant_temperature_c", .base = "coolant_temperature",
                          .what = "coolant temperature in the channels",
                          .bar = "Coolant temperature", .ref = t_in,
                          .level_of = "the %s rise above the inlet", .diff_unit = "K",
                          .mark = 0, .tie_tol = NAN, .flow = 1};
  if (rc == EB_OK) rc = out_draw_map(c, g, reg, r, &coolant, dir, fmt, err, err_size);
  return rc;
}
