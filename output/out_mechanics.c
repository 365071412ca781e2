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

#include "out_style.h"
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
  double slip_lim = NAN, gam_lim = NAN;
  style_case_limit(c, "edge_slip_max_um", &slip_lim, NULL, NULL);
  style_case_limit(c, "connector_shear_strain_max", &gam_lim, NULL, NULL);
  double smax = 0, gmax = 0;
  for (int k = 0; k < n; k++) {
    if (isfinite(slip[k])) smax = fmax(smax, slip[k]);
    if (isfinite(gam[k])) gmax = fmax(gmax, gam[k]);
  }
  char path[1100], name[64], title[200], sub[200], lab[96], a[32];
  out_figure_name(name, sizeof name, "edge_slip", fmt);
  out_path(path, sizeof path, dir, name, 1);
  rc = style_begin(path, "1200x900", fmt, err, err_size);
  if (rc != EB_OK) goto done;
  snprintf(title, sizeof title, "%s: along the wafer's edge, counter-clockwise from corner (0, 0)",
           c->name);
  style_result_operating_point(sub, sizeof sub, reg, r);
  const double y_top = style_titles(title, sub);
  /* two panels sharing the perimeter axis */
  struct {
    const double *v;
    double vmax, lim;
    const char *quantity, *lim_fmt;
    double y0, y1;
  } panel[2] = {{slip, smax, slip_lim, "edge_slip_um", "slip limit %s µm", 0.58, y_top - 0.05},
                {gam, gmax, gam_lim, "edge_connector_strain", "strain limit %s", 0.12, 0.45}};
  static const char *const what[2] = {"cold plate slip on the wafer",
                                      "connector shear strain |u(wafer) − u(PCB)| / h"};
  for (int q = 0; q < 2; q++) {
    double top = panel[q].vmax * 1.15;
    /* the limit in view when it is not far above the data */
    if (isfinite(panel[q].lim) && panel[q].lim < 2.0 * panel[q].vmax)
      top = fmax(top, panel[q].lim * 1.25);
    if (!(top > 0)) top = 1.0;
    plvpor(0.10, 0.95, panel[q].y0, panel[q].y1);
    style_axes(0.0, len, 0.0, top, "bcnst", "bcnstv", 1);
    /* the corners */
    plcol0(STYLE_GREY);
    pllsty(STYLE_DOT);
    for (int k = 1; k < 4; k++) pljoin(k * side, 0.0, k * side, top);
    pllsty(STYLE_SOLID);
    char ylab[128], u[32];
    const ResultEntry *e = Registry_find(reg, panel[q].quantity);
    style_unit(e ? e->unit : "", u, sizeof u);
    snprintf(ylab, sizeof ylab, "%s%s%s%s", q == 0 ? "Slip" : "Shear strain", u[0] ? " (" : "",
             u, u[0] ? ")" : "");
    plcol0(STYLE_FG);
    pllab(q == 1 ? "Position along the perimeter (mm)" : "", ylab, "");
    StyleLayout L;
    plschr(0.0, 0.85);
    style_layout_init(&L, 0.0, len, 0.0, top);
    style_layout_line(&L, pos, panel[q].v, n);
    style_curve(n, pos, panel[q].v, STYLE_BLUE, STYLE_SOLID, 2.2);
    if (isfinite(panel[q].lim) && panel[q].lim <= top) {
      style_curve(2, (double[]){0.0, len}, (double[]){panel[q].lim, panel[q].lim}, STYLE_LIMIT,
                  STYLE_DASH, 1.8);
      style_layout_seg(&L, 0.0, panel[q].lim, len, panel[q].lim, 0);
    }
    /* the corners' names at the bottom, the panel's subject at the top */
    static const char *const corner[5] = {"(0,0)", "(W,0)", "(W,W)", "(0,W)", "(0,0)"};
    for (int k = 0; k <= 4; k++) {
      const double x = fmin(k * side, len);
      style_label(&L, x, 0.0, corner[k], STYLE_GREY);
    }
    plschr(0.0, 0.9);
    plmtex("t", 0.9, 0.0, 0.0, what[q]); /* over the frame: it covers no data */
    plschr(0.0, 0.85);
    style_number(a, sizeof a, panel[q].lim, 3);
    if (isfinite(panel[q].lim)) {
      snprintf(lab, sizeof lab, panel[q].lim_fmt, a);
      if (panel[q].lim <= top)
        style_label_hline(&L, panel[q].lim, lab, STYLE_LIMIT);
      else {
        char more[128];
        snprintf(more, sizeof more, "%s: above the scale", lab);
        style_label(&L, len, top, more, STYLE_LIMIT);
      }
    }
    plschr(0.0, 1.0);
  }
  rc = style_end(dir, name, path, err, err_size);
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
  char what[256];
  const ResultEntry *ref = Registry_find(reg, "mechanics_reference");
  const char *rtext = ref && Result_has(r, ref) ? Result_text(r, ref) : "";
  char rbuf[128];
  style_celsius(rtext, rbuf, sizeof rbuf); /* "stress-free at 25 °C" */
  snprintf(what, sizeof what, "connector shear strain%s%s%s", rbuf[0] ? " (" : "", rbuf,
           rbuf[0] ? ")" : "");
  const OutMap strain = {.quantity = "connector_shear_strain", .base = "connector_strain",
                         .what = what, .bar = "Connector shear strain |u(wafer) − u(PCB)| / h",
                         .ref = 0.0, .level_of = "the largest, %s", .mark = 1,
                         .mark_what = "Largest shear strain", .tie_tol = NAN,
                         .limit_quantity = "connector_shear_strain_max", .flow = 1};
  int rc = out_draw_map(c, g, reg, r, &strain, dir, fmt, err, err_size);
  if (rc == EB_OK) rc = edge_png(c, reg, r, dir, fmt, err, err_size);
  return rc;
}
