/* out_envelope.c - envelope.csv and envelope.png: the warmest allowed inlet
 * against flow per kW, one line per power, with the CS-3 operating point and
 * the facility (NVL72-style) reference marked. */
#include "out_envelope.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>

#include "output.h"
#include "output_internal.h"

static int Output_write_envelope_files(const EnvelopeTable *t, const char *dir, FigureFormat figures, char *err,
                          size_t err_size) {
  int rc = Output_mkdir_p(dir, err, err_size);
  if (rc != EB_OK) return rc;
  char path[1100];
  out_path(path, sizeof path, dir, "envelope.csv", 1);
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(err, err_size, "cannot create %s", path);
    return EB_EFAIL;
  }
  fprintf(f, "power (kW),flow (L/min),flow per power (L/min/kW),max inlet (C),binding limit,"
             "status\n");
  for (int i = 0; i < t->n; i++) {
    const EnvelopePoint *p = &t->pts[i];
    fprintf(f, "%.6g,%.6g,%.6g,", p->power_kw, p->flow_lpm, p->flow_lpm / p->power_kw);
    if (isfinite(p->inlet_max_c))
      fprintf(f, "%.4f,%s,%s\n", p->inlet_max_c, p->binding,
              p->found ? "ok" : "no limit binds below the fluid's range end");
    else
      fprintf(f, ",,\"%s\"\n", p->note);
  }
  if (fclose(f) != 0) {
    snprintf(err, err_size, "cannot write %s", path);
    return EB_EFAIL;
  }
  rc = out_commit(dir, "envelope.csv", err, err_size);
  if (rc != EB_OK) return rc;
  out_path(path, sizeof path, dir, "envelope_min_flow.csv", 1);
  f = fopen(path, "w");
  if (!f) {
    snprintf(err, err_size, "cannot create %s", path);
    return EB_EFAIL;
  }
  fprintf(f, "power (kW),inlet (C),least flow (L/min),least flow per power (L/min/kW)\n");
  for (int i = 0; i < t->n_min; i++) {
    const EnvelopeMinFlow *m = &t->min_flow[i];
    if (isfinite(m->flow_lpm))
      fprintf(f, "%.6g,%.6g,%.4f,%.4f\n", m->power_kw, m->inlet_c, m->flow_lpm,
              m->flow_lpm / m->power_kw);
    else
      fprintf(f, "%.6g,%.6g,,\n", m->power_kw, m->inlet_c);
  }
  if (fclose(f) != 0) {
    snprintf(err, err_size, "cannot write %s", path);
    return EB_EFAIL;
  }
  rc = out_commit(dir, "envelope_min_flow.csv", err, err_size);
  if (rc != EB_OK || !figures) return rc;

  char name[32];
  out_figure_name(name, sizeof name, "envelope", figures);
  out_path(path, sizeof path, dir, name, 1);
  double xlo = 0.0, xhi = 4.5, ylo = 0.0, yhi = 60.0;
  for (int i = 0; i < t->n; i++) {
    double x = t->pts[i].flow_lpm / t->pts[i].power_kw, y = t->pts[i].inlet_max_c;
    xhi = fmax(xhi, 1.05 * x);
    if (isfinite(y)) yhi = fmax(yhi, y + 5.0);
  }
  rc = out_plot_begin(path, "1100x850", figures, err, err_size);
  if (rc != EB_OK) return rc;
  pladv(0);
  plvpor(0.11, 0.95, 0.12, 0.9);
  plwind(xlo, xhi, ylo, yhi);
  plscol0(7, 215, 215, 215);
  plcol0(7);
  plbox("g", 0, 0, "g", 0, 0); /* light grid under the black frame */
  plcol0(1);
  plbox("bcnst", 0, 0, "bcnstv", 0, 0);
  pllab("coolant flow per power (L/min/kW)", "warmest allowed inlet (C)",
        "operating envelope: every limit holds below each line");
  PLFLT *x = malloc((size_t)t->n * sizeof *x), *y = malloc((size_t)t->n * sizeof *y);
  int line = 0;
  for (int i = 0; i < t->n && x && y;) {
    int j = i, cnt = 0;
    while (j < t->n && t->pts[j].power_kw == t->pts[i].power_kw) {
      if (isfinite(t->pts[j].inlet_max_c)) {
        x[cnt] = t->pts[j].flow_lpm / t->pts[j].power_kw;
        y[cnt++] = t->pts[j].inlet_max_c;
      }
      j++;
    }
    plcol0(2 + line % 5);
    plwidth(2.0);
    if (cnt > 1) plline(cnt, x, y);
    plpoin(cnt, x, y, 17);
    plwidth(1.0);
    if (cnt > 0) {
      char lab[48];
      snprintf(lab, sizeof lab, "%.0f kW", t->pts[i].power_kw);
      plptex(x[cnt - 1], y[cnt - 1] + 1.0, 1, 0, 1.0, lab);
    }
    line++;
    i = j;
  }
  free(x);
  free(y);
  /* reference points */
  PLFLT px[1], py[1];
  plcol0(1);
  plssym(0, 2.0);
  px[0] = t->ref_lpm_per_kw;
  py[0] = t->ref_inlet_c;
  plpoin(1, px, py, 5);
  plptex(px[0] + 0.05, py[0] + 1.2, 1, 0, 0, "facility reference (NVL72-style)");
  px[0] = 4.0; /* CS-3: 100 L/min at 25 kW, 21 C inlet (project inputs) */
  py[0] = 21.0;
  plpoin(1, px, py, 2);
  plptex(px[0] - 0.05, py[0] + 1.5, 1, 0, 1.0, "CS-3 (25 kW, 100 L/min, 21 C)");
  px[0] = t->case_lpm_per_kw;
  py[0] = t->case_inlet_c;
  plpoin(1, px, py, 6);
  plptex(px[0] + 0.05, py[0] - 2.5, 1, 0, 0, t->case_label);

  plend1();
  return out_commit(dir, name, err, err_size);
}

int Output_write_envelope(const EnvelopeTable *t, const char *dir, FigureFormat figures, char *err,
                          size_t err_size) {
  int rc = Output_write_envelope_files(t, dir, figures, err, err_size);
  return rc == EB_OK ? Output_set_finish(dir, OUTPUT_SET_NEW, err, err_size) : rc;
}
