/* out_mechanics.c - the mechanics figures, from the registry:
 *   connector_strain.png  connector shear strain over the wafer, die outlines,
 *                         the largest strain marked;
 *   edge_slip.png         cold-plate slip against the wafer and the connector
 *                         strain along the wafer's perimeter, corners marked,
 *                         the case's limits drawn. */
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

static int edge_png(const Case *c, const Registry *reg, const Result *r, const char *dir,
                    FigureFormat fmt, char *err, size_t err_size) {
  int n = 0, n2 = 0, n3 = 0;
  double *pos = out_values(reg, r, "edge_position_mm", 0, &n);
  double *slip = out_values(reg, r, "edge_slip_um", 0, &n2);
  double *gam = out_values(reg, r, "edge_connector_strain", 0, &n3);
  int rc = EB_OK;
  if (!pos || !slip || !gam || n < 2 || n2 != n || n3 != n) {
    snprintf(err, err_size, "cannot draw edge_slip: the result has no perimeter table");
    rc = EB_EFAIL;
    goto done;
  }
  const double side = c->wafer_size_m * 1e3, len = pos[n - 1];
  const double slip_lim = c->edge_slip_max_m * 1e6, gam_lim = c->connector_strain_max;
  double smax = 0, gmax = 0;
  for (int k = 0; k < n; k++) {
    smax = fmax(smax, slip[k]);
    gmax = fmax(gmax, gam[k]);
  }
  char path[1100], name[64], title[200], lab[64];
  out_figure_name(name, sizeof name, "edge_slip", fmt);
  out_path(path, sizeof path, dir, name, 1);
  rc = out_plot_begin(path, "1200x820", fmt, err, err_size);
  if (rc != EB_OK) goto done;
  pladv(0);
  snprintf(title, sizeof title, "%s: along the wafer's edge (counter-clockwise from corner (0, 0))",
           c->name);
  /* two panels sharing the perimeter axis */
  struct {
    const double *v;
    double vmax, lim;
    const char *ylab, *fmt_lim;
    double y0, y1;
  } panel[2] = {{slip, smax, slip_lim, "Slip (#gmm)", "limit %.0f #gmm", 0.56, 0.90},
                {gam, gmax, gam_lim, "Shear strain", "limit %.3g", 0.12, 0.46}};
  static const char *const what[2] = {"cold plate slip on the wafer",
                                      "connector shear strain |u#dwafer#u - u#dPCB#u| / h"};
  for (int q = 0; q < 2; q++) {
    double top = panel[q].vmax * 1.15;
    if (isfinite(panel[q].lim) && panel[q].lim < 2.0 * panel[q].vmax) top = fmax(top, panel[q].lim * 1.25);
    if (!(top > 0)) top = 1.0;
    plvpor(0.10, 0.95, panel[q].y0, panel[q].y1);
    plwind(0.0, len, 0.0, top);
    plcol0(15);
    for (int k = 1; k < 4; k++) pljoin(k * side, 0.0, k * side, top); /* the corners */
    plcol0(1);
    plbox("bcnst", 100.0, 0, "bcnstv", 0.0, 0);
    pllab(q == 1 ? "Position along the perimeter (mm)" : "", panel[q].ylab, q == 0 ? title : "");
    plschr(0.0, 0.85);
    plmtex("t", -1.5, 0.02, 0.0, what[q]);
    plschr(0.0, 1.0);
    PLFLT *xs = malloc((size_t)n * sizeof(PLFLT)), *ys = malloc((size_t)n * sizeof(PLFLT));
    if (xs && ys) {
      for (int k = 0; k < n; k++) {
        xs[k] = pos[k];
        ys[k] = panel[q].v[k];
      }
      plcol0(9);
      plwidth(2.0);
      plline(n, xs, ys);
      plwidth(1.0);
    }
    free(xs);
    free(ys);
    if (isfinite(panel[q].lim) && panel[q].lim <= top) {
      plcol0(2);
      pllsty(2);
      pljoin(0.0, panel[q].lim, len, panel[q].lim);
      pllsty(1);
      snprintf(lab, sizeof lab, panel[q].fmt_lim, panel[q].lim);
      plschr(0.0, 0.8);
      plptex(len * 0.99, panel[q].lim + 0.02 * top, 1.0, 0.0, 1.0, lab);
      plschr(0.0, 1.0);
    } else if (isfinite(panel[q].lim)) {
      snprintf(lab, sizeof lab, panel[q].fmt_lim, panel[q].lim);
      char more[96];
      snprintf(more, sizeof more, "%s: off the scale", lab);
      plcol0(2);
      plschr(0.0, 0.8);
      plmtex("t", -1.5, 0.99, 1.0, more);
      plschr(0.0, 1.0);
    }
    /* the corners */
    plcol0(1);
    plschr(0.0, 0.75);
    static const char *const corner[5] = {"(0,0)", "(W,0)", "(W,W)", "(0,W)", "(0,0)"};
    for (int k = 0; k <= 4; k++)
      plptex(fmin(k * side, len), top * 0.04, 1.0, 0.0, k == 0 ? 0.0 : k == 4 ? 1.0 : 0.5,
             corner[k]);
    plschr(0.0, 1.0);
  }
  rc = out_plot_end(path, err, err_size);
  if (rc == EB_OK) rc = out_commit(dir, name, err, err_size);
done:
  free(pos);
  free(slip);
  free(gam);
  return rc;
}

int Output_write_mechanics_figures(const Case *c, const Grid *g, const Registry *reg,
                                   const Result *r, const char *dir, FigureFormat fmt, char *err,
                                   size_t err_size) {
  const double gmax = out_value(reg, r, "connector_shear_strain_max");
  if (!isfinite(gmax)) return EB_OK; /* no mechanics */
  char title[256], mark[128];
  const ResultEntry *ref = Registry_find(reg, "mechanics_reference");
  snprintf(title, sizeof title, "%s: connector shear strain (%s)", c->name,
           ref && Result_has(r, ref) ? Result_text(r, ref) : "");
  snprintf(mark, sizeof mark, "max %.4f", gmax);
  int rc = out_draw_map(c, g, reg, r, "connector_shear_strain", "connector_strain", title,
                        "Shear strain |u#dwafer#u - u#dPCB#u| / h", 1, mark,
                        out_value(reg, r, "connector_shear_strain_x_mm"),
                        out_value(reg, r, "connector_shear_strain_y_mm"), dir, fmt, err, err_size);
  if (rc == EB_OK) rc = edge_png(c, reg, r, dir, fmt, err, err_size);
  return rc;
}
