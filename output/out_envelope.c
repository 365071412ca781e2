/* out_envelope.c - envelope.csv and envelope.png: the warmest allowed inlet
 * against flow per kW, one line per power, the binding limits, the failed
 * searches with their reasons, the case's point, the facility (NVL72-style)
 * reference and, against a 25 kW line, the CS-3 point. */
#include "out_envelope.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "out_style.h"
#include "output.h"
#include "output_internal.h"

/* ---- envelope.png ---------------------------------------------------------------
 * The warmest allowed inlet against flow per kW, one line per power (its
 * own colour and line style, in the legend), each point marked with the
 * shape of the limit that binds there (explained in the legend); a search
 * that found no inlet is a cross in a strip under the axis, its reason in
 * the legend; the facility reference (1.5 L/min/kW at 45 °C) and the case's
 * own operating point drawn with what they mean, and the CS-3 point (25 kW,
 * 100 L/min, 21 °C) only where it can be read: against a 25 kW line. */

enum { ENV_SHAPES = 6, ENV_FAILS = 8, ENV_SERIES = 16 };

/* The limits a failed search names as still broken ("...; A, B still break
 * at coolant.inlet_c = 6.3"): into list, the inlet into *at. 0 if the note
 * is not of that form. */
static int still_broken(const char *note, char *list, size_t size, double *at) {
  const char *e = strstr(note, " still break");
  if (!e) return 0;
  const char *b = e;
  while (b > note && !(b[-1] == ' ' && b - 1 > note && b[-2] == ';')) b--;
  snprintf(list, size, "%.*s", (int)(e - b), b);
  const char *eq = strstr(e, " = ");
  *at = eq ? strtod(eq + 3, NULL) : NAN;
  return 1;
}

/* Why a point has no inlet, in a few words. The search only says which
 * limits were still broken where it stopped (the cold end of the inlet's
 * range); of those, the loop's velocity is set by the flow alone (the pipes
 * and channels, whatever the water's temperature), so it is said as the
 * flow's, not the inlet's; the others (a pressure drop that cold water
 * raises, a strain) as broken down to that inlet. */
void Output_envelope_reason(const EnvelopePoint *p, char *buf, size_t size) {
  char list[256], flow_only[128] = "", rest[256] = "";
  double at = NAN;
  if (still_broken(p->note, list, sizeof list, &at)) {
    for (char *save = NULL, *tok = strtok_r(list, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
      const int by_flow = !strcmp(tok, "velocity_max_m_s");
      char *dst = by_flow ? flow_only : rest;
      const size_t cap = by_flow ? sizeof flow_only : sizeof rest, o = strlen(dst);
      snprintf(dst + o, cap - o, "%s%s", o ? ", " : "", tok);
    }
    char f[32], t[48] = "";
    style_number(f, sizeof f, p->flow_lpm, 4);
    if (isfinite(at)) snprintf(t, sizeof t, " even at a %.1f °C inlet", at);
    if (flow_only[0] && rest[0])
      snprintf(buf, size, "%s broken by the %s L/min flow itself, at any inlet; %s broken%s",
               flow_only, f, rest, t);
    else if (flow_only[0])
      snprintf(buf, size, "%s broken by the %s L/min flow itself, at any inlet", flow_only, f);
    else
      snprintf(buf, size, "%.150s broken%s", rest, t[0] ? t : " at every inlet");
  } else if (strstr(p->note, "no steady state")) {
    snprintf(buf, size, "no steady state");
  } else {
    snprintf(buf, size, "%.90s", p->note[0] ? p->note : "no answer");
  }
}

/* The case's power from its label "name: 35 kW, ..." (NaN if not there). */
static double label_power(const char *label) {
  const char *k = strstr(label, " kW");
  if (!k) return NAN;
  const char *b = k;
  while (b > label && b[-1] != ' ') b--;
  char *end;
  const double v = strtod(b, &end);
  return end == k ? v : NAN;
}

static int envelope_png(const EnvelopeTable *t, const char *dir, FigureFormat fmt, char *err,
                        size_t err_size) {
  char name[32], path[1100];
  out_figure_name(name, sizeof name, "envelope", fmt);
  out_path(path, sizeof path, dir, name, 1);
  /* the series: runs of one power */
  int first[ENV_SERIES + 1], ns = 0;
  first[0] = 0;
  for (int i = 0; i < t->n; i++)
    if (i == 0 || t->pts[i].power_kw != t->pts[i - 1].power_kw) {
      if (ns == ENV_SERIES) break; /* more powers than that: the rest left out */
      first[ns++] = i;
    }
  first[ns] = t->n;
  for (int i = ns ? first[ns - 1] : 0; i < t->n; i++)
    if (t->pts[i].power_kw != t->pts[first[ns - 1]].power_kw) {
      first[ns] = i;
      break;
    }
  /* binding limits: a shape each, in order of appearance */
  const char *shape_name[ENV_SHAPES];
  int n_shapes = 0, any_unbound = 0;
  double xhi = 4.5, ylo = 0.0, yhi = 50.0;
  for (int i = 0; i < first[ns]; i++) {
    const EnvelopePoint *p = &t->pts[i];
    const double x = p->flow_lpm / p->power_kw;
    if (isfinite(x)) xhi = fmax(xhi, 1.06 * x);
    if (!isfinite(p->inlet_max_c)) continue;
    ylo = fmin(ylo, p->inlet_max_c - 2.0);
    yhi = fmax(yhi, p->inlet_max_c + 5.0);
    if (!p->found) {
      any_unbound = 1;
      continue;
    }
    int s = 0;
    while (s < n_shapes && strcmp(shape_name[s], p->binding)) s++;
    if (s == n_shapes && n_shapes < ENV_SHAPES) shape_name[n_shapes++] = p->binding;
  }
  yhi = fmax(yhi, t->ref_inlet_c + 5.0);
  /* the failures' strip under the data */
  const double strip = 0.09 * (yhi - ylo), y0 = ylo - strip;
  /* the reference points */
  const double case_kw = label_power(t->case_label);
  int has_25 = 0, has_case_power = 0, k25 = 0;
  for (int k = 0; k < ns; k++) {
    if (fabs(t->pts[first[k]].power_kw - 25.0) < 1e-6) {
      has_25 = 1;
      k25 = k;
    }
    has_case_power |= isfinite(case_kw) && fabs(t->pts[first[k]].power_kw - case_kw) < 1e-6;
  }
  const double cs3_x = 4.0, cs3_y = 21.0; /* CS-3: 100 L/min at 25 kW, 21 °C (project inputs) */
  const int case_is_cs3 = fabs(t->case_lpm_per_kw - cs3_x) < 1e-6 &&
                          fabs(t->case_inlet_c - cs3_y) < 1e-6 && fabs(case_kw - 25.0) < 1e-6;
  const int show_case = isfinite(t->case_lpm_per_kw) && isfinite(t->case_inlet_c);
  /* CS-3's point means "inside its own envelope" only against its own limits */
  const int show_cs3 = has_25 && !case_is_cs3 && !t->limits_overridden[0];
  char case_text[200];
  style_celsius(t->case_label, case_text, sizeof case_text);

  /* the legend */
  enum { MAXLEG = ENV_SERIES + ENV_SHAPES + ENV_FAILS + 6 };
  StyleLegendEntry leg[MAXLEG];
  char txt[MAXLEG][520];
  int nl = 0;
  for (int k = 0; k < ns; k++) {
    char pw[32];
    style_number(pw, sizeof pw, t->pts[first[k]].power_kw, 4);
    snprintf(txt[nl], sizeof txt[nl], "%s kW", pw);
    leg[nl] = (StyleLegendEntry){txt[nl], style_series_colour(k), style_series_line(k), 2.4, NULL,
                                 0, 0, 0};
    nl++;
  }
  for (int s = 0; s < n_shapes; s++) {
    snprintf(txt[nl], sizeof txt[nl], "%s binds", shape_name[s]);
    leg[nl] = (StyleLegendEntry){txt[nl], STYLE_GREY, 0, 1.0, style_symbol(s, 0), STYLE_GREY,
                                 1.0, 0};
    nl++;
  }
  if (any_unbound) {
    snprintf(txt[nl], sizeof txt[nl], "no limit binds up to the fluid's range end");
    leg[nl] = (StyleLegendEntry){txt[nl], STYLE_GREY, 0, 1.0, style_symbol(ENV_SHAPES, 1),
                                 STYLE_GREY, 1.0, 0};
    nl++;
  }
  /* failures: one entry per power and reason, with its flows per kW */
  int n_fail = 0;
  for (int k = 0; k < ns; k++)
    for (int i = first[k]; i < first[k + 1]; i++) {
      const EnvelopePoint *p = &t->pts[i];
      if (isfinite(p->inlet_max_c)) continue;
      char why[240];
      Output_envelope_reason(p, why, sizeof why);
      /* already said for this power? then add this flow to it */
      int done = 0;
      for (int j = first[k]; j < i && !done; j++) {
        if (isfinite(t->pts[j].inlet_max_c)) continue;
        char w2[240];
        Output_envelope_reason(&t->pts[j], w2, sizeof w2);
        done = !strcmp(w2, why);
      }
      if (done || nl >= MAXLEG || n_fail >= ENV_FAILS) continue;
      char flows[96] = "";
      size_t o = 0;
      for (int j = i; j < first[k + 1]; j++) {
        if (isfinite(t->pts[j].inlet_max_c)) continue;
        char w2[240], f[32];
        Output_envelope_reason(&t->pts[j], w2, sizeof w2);
        if (strcmp(w2, why)) continue;
        style_number(f, sizeof f, t->pts[j].flow_lpm / t->pts[j].power_kw, 3);
        o += (size_t)snprintf(flows + o, o < sizeof flows ? sizeof flows - o : 0, "%s%s",
                              o ? ", " : "", f);
      }
      char pw[32];
      style_number(pw, sizeof pw, p->power_kw, 4);
      snprintf(txt[nl], sizeof txt[nl], "no inlet at %s kW, %s L/min/kW: %s", pw, flows, why);
      leg[nl] = (StyleLegendEntry){txt[nl], style_series_colour(k), 0, 1.0, STYLE_SYM_FAIL,
                                   style_series_colour(k), 1.0, 0};
      nl++;
      n_fail++;
    }
  char ref_txt[200], cs3_txt[400], case_leg[300];
  snprintf(ref_txt, sizeof ref_txt,
           "facility reference: %.1f L/min/kW at %.0f °C (GB200 NVL72-style warm water)",
           t->ref_lpm_per_kw, t->ref_inlet_c);
  leg[nl++] = (StyleLegendEntry){ref_txt, STYLE_FG, 0, 1.0, STYLE_SYM_REF, STYLE_FG, 1.1, 0};
  if (show_case) {
    snprintf(case_leg, sizeof case_leg, "%s: the case's own point%s%s", case_text,
             case_is_cs3 ? " (CS-3 as run)" : "",
             has_case_power ? "" : " (no line at its power)");
    leg[nl++] = (StyleLegendEntry){case_leg, STYLE_FG, 0, 1.0, "◆", STYLE_FG, 1.1, 0};
  }
  if (has_25 && !case_is_cs3 && t->limits_overridden[0]) {
    snprintf(cs3_txt, sizeof cs3_txt, "CS-3's point not drawn: this envelope's limits are not the "
             "case's (%s)", t->limits_overridden);
    leg[nl++] = (StyleLegendEntry){cs3_txt, STYLE_FG, 0, 0.0, NULL, STYLE_FG, 0.0, 0};
  }
  if (show_cs3) {
    snprintf(cs3_txt, sizeof cs3_txt, "CS-3 as run: 25 kW, 100 L/min, 21 °C (read against the 25 kW line)");
    leg[nl++] = (StyleLegendEntry){cs3_txt, style_series_colour(k25), 0, 1.0, "◆",
                                   style_series_colour(k25), 1.3, 0};
  }

  char title[300], sub[300];
  const char *case_name = t->case_label;
  const char *colon = strchr(case_name, ':');
  snprintf(title, sizeof title, "%.*s: operating envelope, the warmest inlet at which every limit holds",
           colon ? (int)(colon - case_name) : (int)strlen(case_name), case_name);
  snprintf(sub, sizeof sub,
           "one line per power: below its line every limit holds; each point marked by the limit "
           "that binds there");
  int rc = style_begin(path, "1200x1200", fmt, err, err_size);
  if (rc != EB_OK) return rc;
  {
    PLFLT def, ht;
    plgchr(&def, &ht);
    plschr(0.85 * def, 1.0); /* a long legend: text a little smaller than one plot's */
  }
  const StylePage pg = style_page();
  const double top = style_titles(title, sub) * pg.h;
  const double lch = style_legend_ch();
  const double fx0 = 8.0 * pg.ch, fx1 = pg.w - 2.0 * pg.ch;
  const int rows = style_legend_rows(leg, nl, 0.94 * pg.w, lch);
  const double legend_h = style_legend_height(rows, lch) + 0.8 * pg.ch;
  const double fy0 = legend_h + 4.4 * pg.ch, fy1 = top - 0.8 * pg.ch;
  plvpor(fx0 / pg.w, fx1 / pg.w, fy0 / pg.h, fy1 / pg.h);
  plwind(0.0, xhi, y0, yhi);
  {
    PLFLT fx[4] = {0.0, xhi, xhi, 0.0}, fy[4] = {y0, y0, ylo, ylo};
    plcol0(STYLE_SHADE);
    plfill(4, fx, fy);
  }
  style_axes(0.0, xhi, y0, yhi, "bcnst", "bcnstv", 1);
  pllab("Coolant flow per power (L/min/kW)", "Warmest allowed coolant inlet (°C)", "");
  StyleLayout L;
  plschr(0.0, 0.85);
  style_layout_init(&L, 0.0, xhi, y0, yhi);
  style_layout_seg(&L, 0.0, ylo, xhi, ylo, 1);
  double *xs = malloc(((size_t)t->n + 1) * sizeof *xs), *ys = malloc(((size_t)t->n + 1) * sizeof *ys);
  double *keep_x[ENV_SERIES] = {0}, *keep_y[ENV_SERIES] = {0};
  for (int k = 0; xs && ys && k < ns; k++) {
    int cnt = 0;
    for (int i = first[k]; i < first[k + 1]; i++)
      if (isfinite(t->pts[i].inlet_max_c)) {
        xs[cnt] = t->pts[i].flow_lpm / t->pts[i].power_kw;
        ys[cnt++] = t->pts[i].inlet_max_c;
      }
    /* thicker first, so that a line drawn over another one shows both */
    style_curve(cnt, xs, ys, style_series_colour(k), style_series_line(k), 3.2 - 0.3 * k);
    keep_x[k] = malloc(((size_t)cnt + 1) * sizeof **keep_x);
    keep_y[k] = malloc(((size_t)cnt + 1) * sizeof **keep_y);
    if (keep_x[k] && keep_y[k]) {
      memcpy(keep_x[k], xs, (size_t)cnt * sizeof *xs);
      memcpy(keep_y[k], ys, (size_t)cnt * sizeof *ys);
      style_layout_line(&L, keep_x[k], keep_y[k], cnt);
    }
  }
  /* markers: the binding limit's shape, on a white ground */
  for (int k = 0; k < ns; k++)
    for (int i = first[k]; i < first[k + 1]; i++) {
      const EnvelopePoint *p = &t->pts[i];
      const double x = p->flow_lpm / p->power_kw;
      if (!isfinite(p->inlet_max_c)) {
        style_symbol_at(x, y0 + 0.5 * strip, STYLE_SYM_FAIL, style_series_colour(k), 1.1);
        continue;
      }
      int s = ENV_SHAPES, open = 1;
      if (p->found) {
        for (s = 0; s < n_shapes && strcmp(shape_name[s], p->binding); s++)
          ;
        open = 0;
      }
      style_marker(x, p->inlet_max_c, s, open, style_series_colour(k), 0.42 * L.ch_mm);
      style_layout_marker(&L, x, p->inlet_max_c, 0.45 * L.ch_mm);
    }
  /* the reference points, each with what it is */
  const double mk = 0.6 * L.ch_mm;
  style_symbol_at(t->ref_lpm_per_kw, t->ref_inlet_c, STYLE_SYM_REF, STYLE_FG, 1.2);
  style_layout_marker(&L, t->ref_lpm_per_kw, t->ref_inlet_c, mk);
  if (show_case) {
    style_marker(t->case_lpm_per_kw, t->case_inlet_c, 4, 0, STYLE_FG, 0.5 * L.ch_mm);
    style_layout_marker(&L, t->case_lpm_per_kw, t->case_inlet_c, mk);
  }
  if (show_cs3) {
    style_marker(cs3_x, cs3_y, 4, 0, style_series_colour(k25), 0.6 * L.ch_mm);
    style_layout_marker(&L, cs3_x, cs3_y, mk);
  }
  char lab[260];
  snprintf(lab, sizeof lab, "facility reference\n%.1f L/min/kW, %.0f °C", t->ref_lpm_per_kw,
           t->ref_inlet_c);
  style_label(&L, t->ref_lpm_per_kw, t->ref_inlet_c, lab, STYLE_FG);
  if (show_case) {
    snprintf(lab, sizeof lab, "%s%s", case_text, case_is_cs3 ? "\n(CS-3 as run)" : "");
    style_label(&L, t->case_lpm_per_kw, t->case_inlet_c, lab, STYLE_FG);
  }
  if (show_cs3) style_label(&L, cs3_x, cs3_y, "CS-3 as run\n(25 kW line)", STYLE_FG);
  /* the strip's name where no cross is */
  if (n_fail) {
    plschr(0.0, 0.75);
    const double w = 11.0 * 0.75 * 0.75 * pg.ch * xhi / (fx1 - fx0); /* "no inlet" */
    static const double at[3][2] = {{0.01, 0.0}, {0.99, 1.0}, {0.5, 0.5}}; /* x, justification */
    plcol0(STYLE_GREY);
    for (int c = 0; c < 3; c++) {
      const double a = at[c][0] * xhi - at[c][1] * w, b = a + w;
      int free_here = 1;
      for (int i = 0; i < first[ns]; i++) {
        const double x = t->pts[i].flow_lpm / t->pts[i].power_kw;
        if (!isfinite(t->pts[i].inlet_max_c) && x > a - 0.04 * xhi && x < b + 0.04 * xhi)
          free_here = 0;
      }
      if (!free_here) continue;
      plptex(at[c][0] * xhi, y0 + 0.5 * strip, 1.0, 0.0, at[c][1], "no inlet");
      break;
    }
  }
  plschr(0.0, 1.0);
  plcol0(STYLE_FG);
  style_legend(leg, nl, 0.03, 0.97, (legend_h - 0.4 * pg.ch) / pg.h);
  for (int k = 0; k < ns; k++) {
    free(keep_x[k]);
    free(keep_y[k]);
  }
  free(xs);
  free(ys);
  return style_end(dir, name, path, err, err_size);
}

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
    else {
      char why[400];
      Output_envelope_reason(p, why, sizeof why);
      fprintf(f, ",,\"no inlet: %s\"\n", why);
    }
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

  return envelope_png(t, dir, figures, err, err_size);
}

int Output_write_envelope(const EnvelopeTable *t, const char *dir, FigureFormat figures, char *err,
                          size_t err_size) {
  int rc = Output_write_envelope_files(t, dir, figures, err, err_size);
  return rc == EB_OK ? Output_set_finish(dir, OUTPUT_SET_NEW, err, err_size) : rc;
}
