/* out_figures.c - PNG maps with PLplot (pngcairo): wafer junction
 * temperature, heat flux into the cold plate, coolant temperature. White
 * background, axes in mm, colour bar with units, die outlines, hottest spot
 * marked on the temperature map. */
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

/* One map: values [ny][nx] in display units, to path (pngcairo). */
static int map_png(const Case *c, const Grid *g, const double *v, const char *title,
                   const char *bar_label, int mark_max, const char *mark_text, double mark_x_mm,
                   double mark_y_mm, const char *path, FigureFormat fmt, char *err,
                   size_t err_size) {
  const int nx = g->nx, ny = g->ny;
  double *xf = malloc((size_t)(nx + 1) * sizeof *xf), *yf = malloc((size_t)(ny + 1) * sizeof *yf);
  PLFLT **img = NULL;
  if (!xf || !yf) goto oom;
  for (int i = 0; i <= nx; i++) xf[i] = g->x[i] * 1e3;
  for (int j = 0; j <= ny; j++) yf[j] = g->y[j] * 1e3;
  double vmin = INFINITY, vmax = -INFINITY;
  for (size_t q = 0; q < (size_t)nx * ny; q++)
    if (isfinite(v[q])) {
      vmin = fmin(vmin, v[q]);
      vmax = fmax(vmax, v[q]);
    }
  if (!isfinite(vmin)) vmin = vmax = 0.0;
  if (vmax - vmin < 1e-9) {
    vmin -= 0.5;
    vmax += 0.5;
  }
  /* Resample to a uniform pixel grid at the case's nominal cell size
   * (nearest cell): plimage then costs one fill per pixel, where plimagefr
   * with a coordinate transform fills one polygon per cell; sliver cells next
   * to die or hotspot edges must not blow the pixel count up. 64..800 px. */
  double size_mm = c->wafer_size_m * 1e3;
  int npx = (int)ceil(size_mm / (c->dx_m * 1e3));
  if (npx < 64) npx = 64;
  if (npx > 800) npx = 800;
  plAlloc2dGrid(&img, npx, npx);
  if (!img) goto oom;
  int *ci = malloc((size_t)npx * sizeof *ci), *cj = malloc((size_t)npx * sizeof *cj);
  if (!ci || !cj) {
    free(ci);
    free(cj);
    plFree2dGrid(img, npx, npx);
    goto oom;
  }
  for (int p = 0, i = 0, j = 0; p < npx; p++) {
    double centre = (p + 0.5) * size_mm / npx;
    while (i < nx - 1 && xf[i + 1] <= centre) i++;
    while (j < ny - 1 && yf[j + 1] <= centre) j++;
    ci[p] = i;
    cj[p] = j;
  }
  for (int p = 0; p < npx; p++)
    for (int q = 0; q < npx; q++) {
      double val = v[(size_t)cj[q] * nx + ci[p]];
      img[p][q] = isfinite(val) ? val : vmin - 1.0 - (vmax - vmin); /* below range: not drawn */
    }
  free(ci);
  free(cj);

  if (out_plot_begin(path, "1100x900", fmt, err, err_size) != EB_OK) {
    plFree2dGrid(img, npx, npx);
    free(xf);
    free(yf);
    return EB_EFAIL;
  }
  plscol0(2, 255, 255, 255); /* die outlines: white over the map */
  /* a perceptual-ish blue -> cyan -> yellow -> red ramp for colour map 1 */
  PLFLT pos[5] = {0.0, 0.3, 0.55, 0.8, 1.0};
  PLFLT r[5] = {0.10, 0.10, 0.55, 0.98, 0.75}, gr[5] = {0.10, 0.55, 0.80, 0.80, 0.05},
        b[5] = {0.55, 0.85, 0.35, 0.10, 0.05};
  plscmap1l(1, 5, pos, r, gr, b, NULL);
  pladv(0);
  plvpor(0.12, 0.80, 0.10, 0.92);
  plwind(0.0, size_mm, 0.0, size_mm);
  /* plimagefr, not plimage: plimage scales the colours to the data's own
   * range, and the NaN cells, set below the range so that they are not
   * drawn, would take its bottom */
  plimagefr((PLFLT_MATRIX)img, npx, npx, 0.0, size_mm, 0.0, size_mm, vmin, vmax, vmin, vmax, NULL,
            NULL);
  /* die outlines */
  plcol0(2);
  plwidth(1.0);
  for (int d = 1; d < c->die_columns; d++) {
    double x = d * size_mm / c->die_columns;
    pljoin(x, 0.0, x, size_mm);
  }
  for (int d = 1; d < c->die_rows; d++) {
    double y = d * size_mm / c->die_rows;
    pljoin(0.0, y, size_mm, y);
  }
  plcol0(1);
  plbox("bcnst", 0.0, 0, "bcnstv", 0.0, 0);
  pllab("x (mm)", "y (mm)", title);
  if (mark_max) {
    PLFLT mx = mark_x_mm, my = mark_y_mm;
    plcol0(1);
    plssym(0.0, 2.0);
    plpoin(1, &mx, &my, 5); /* an x */
    plschr(0.0, 0.8);
    double just = mx > 0.6 * size_mm ? 1.0 : 0.0;
    double dx = just > 0.5 ? -0.015 * size_mm : 0.015 * size_mm;
    double ty = my > 0.9 * size_mm ? my - 0.03 * size_mm : my + 0.02 * size_mm;
    plptex(mx + dx, ty, 1.0, 0.0, just, mark_text);
    plschr(0.0, 1.0);
  }
  /* colour bar */
  enum { NV = 32 };
  PLFLT values[NV];
  for (int q = 0; q < NV; q++) values[q] = vmin + (vmax - vmin) * q / (NV - 1);
  const PLFLT *vals[1] = {values};
  PLINT n_values[1] = {NV}, label_opts[1] = {PL_COLORBAR_LABEL_RIGHT}, sub_ticks[1] = {0};
  PLFLT ticks[1] = {0.0}, cb_w, cb_h;
  const char *labels[1] = {bar_label}, *axis_opts[1] = {"bcvtm"};
  plsyax(8, 0); /* plain tick labels (0.8167, not 8.167 with "(x10^-1)") */
  plcolorbar(&cb_w, &cb_h, PL_COLORBAR_IMAGE, PL_POSITION_RIGHT | PL_POSITION_OUTSIDE |
             PL_POSITION_VIEWPORT, 0.03, 0.0, 0.04, 0.82, 0, 1, 0, 0.0, 0.0, 0, 0.0, 1, label_opts,
             labels, 1, axis_opts, ticks, sub_ticks, n_values, vals);
  plsyax(0, 0);
  plFree2dGrid(img, npx, npx);
  free(xf);
  free(yf);
  return out_plot_end(path, err, err_size);
oom:
  free(xf);
  free(yf);
  snprintf(err, err_size, "out of memory drawing %s", path);
  return EB_EFAIL;
}

/* One map of the registry: its values in their output unit. */
int out_draw_map(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                    const char *quantity, const char *base, const char *title, const char *bar,
                    int mark, const char *mark_text, double mx, double my, const char *dir,
                    FigureFormat fmt, char *err, size_t err_size) {
  const size_t ncol = (size_t)g->nx * g->ny;
  int n = 0;
  double *v = out_values(reg, r, quantity, ncol, &n);
  if (!v) {
    snprintf(err, err_size, "cannot draw %s: the result has no %s (or out of memory)", base,
             quantity);
    return EB_EFAIL;
  }
  char path[1100], name[64];
  out_figure_name(name, sizeof name, base, fmt);
  out_path(path, sizeof path, dir, name, 1);
  int rc = map_png(c, g, v, title, bar, mark, mark_text, mx, my, path, fmt, err, err_size);
  if (rc == EB_OK) rc = out_commit(dir, name, err, err_size);
  free(v);
  return rc;
}

int Output_write_figures(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                         const char *dir, FigureFormat fmt, char *err, size_t err_size) {
  char title[256], mark[128];
  snprintf(title, sizeof title, "%s: junction temperature", c->name);
  snprintf(mark, sizeof mark, "Tmax %.2f C (die %.0f,%.0f)", out_value(reg, r, "t_max_c"),
           out_value(reg, r, "t_max_die_column"), out_value(reg, r, "t_max_die_row"));
  int rc = out_draw_map(c, g, reg, r, "wafer_temperature_c", "wafer_temperature", title,
                    "Temperature (C)", 1, mark, out_value(reg, r, "t_max_x_mm"),
                    out_value(reg, r, "t_max_y_mm"), dir, fmt, err, err_size);
  if (rc == EB_OK) {
    snprintf(title, sizeof title, "%s: heat flux into the cold plate", c->name);
    rc = out_draw_map(c, g, reg, r, "heat_flux_plate_w_cm2", "heat_flux", title,
                  "Heat flux (W/cm#u2#d)", 0, NULL, 0, 0, dir, fmt, err, err_size);
  }
  if (rc == EB_OK) {
    snprintf(title, sizeof title, "%s: coolant temperature (flow along %c)", c->name,
             c->layers[Case_channel_layer(c)].flow_direction);
    rc = out_draw_map(c, g, reg, r, "coolant_temperature_c", "coolant_temperature", title,
                  "Coolant temperature (C)", 0, NULL, 0, 0, dir, fmt, err, err_size);
  }
  return rc;
}
