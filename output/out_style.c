/* out_style.c - the one figure style (see out_style.h). */
#include "out_style.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_internal.h"

/* ---- colours ------------------------------------------------------------------ */

static const unsigned char palette[STYLE_NCOL][3] = {
    [STYLE_BG] = {255, 255, 255},
    [STYLE_FG] = {0, 0, 0},
    /* Okabe & Ito, "Color Universal Design" (2008): distinguishable with
     * every common colour-vision deficiency */
    [STYLE_BLUE] = {0, 114, 178},
    [STYLE_VERMILLION] = {213, 94, 0},
    [STYLE_GREEN] = {0, 158, 115},
    [STYLE_PURPLE] = {204, 121, 167},
    [STYLE_ORANGE] = {230, 159, 0},
    [STYLE_SKY] = {86, 180, 233},
    [STYLE_GREY] = {105, 105, 105},
    [STYLE_GRID] = {222, 222, 222},
    [STYLE_LIMIT] = {170, 20, 40},
    [STYLE_HALO] = {255, 255, 255},
    [STYLE_DARK] = {20, 20, 20},
    [STYLE_SHADE] = {236, 236, 236},
    [STYLE_LIMIT_SHADE] = {251, 232, 232},
};

int style_series_colour(int i) {
  static const int c[STYLE_SERIES] = {STYLE_BLUE,   STYLE_VERMILLION, STYLE_GREEN,
                                      STYLE_PURPLE, STYLE_ORANGE,     STYLE_SKY};
  return c[((i % STYLE_SERIES) + STYLE_SERIES) % STYLE_SERIES];
}

int style_series_line(int i) {
  /* solid, long dashes, long dash short gap, short dashes, and two mixed */
  static const int s[STYLE_SERIES] = {1, 3, 4, 2, 5, 7};
  return s[((i % STYLE_SERIES) + STYLE_SERIES) % STYLE_SERIES];
}

const char *style_symbol(int i, int open) {
  static const char *const sym[STYLE_SYMBOLS][2] = {{"●", "○"}, {"■", "□"}, {"▲", "△"},
                                                    {"▼", "▽"}, {"◆", "◇"}, {"★", "☆"}};
  return sym[((i % STYLE_SYMBOLS) + STYLE_SYMBOLS) % STYLE_SYMBOLS][open ? 1 : 0];
}

/* Viridis (Smith, van der Walt and Firing, 2015; matplotlib's default map,
 * CC0): entries 0, 16, ..., 240 and 255 of its 256-entry table
 * (matplotlib, lib/matplotlib/_cm_listed.py, _viridis_data), as linear
 * control points of colour map 1. Between them the map stays within 0.01 of
 * the table. */
static void viridis(void) {
  enum { N = 17 };
  static const double rgb[N][3] = {
      {0.267004, 0.004874, 0.329415}, {0.282327, 0.094955, 0.417331},
      {0.278826, 0.175490, 0.483397}, {0.258965, 0.251537, 0.524736},
      {0.229739, 0.322361, 0.545706}, {0.199430, 0.387607, 0.554642},
      {0.172719, 0.448791, 0.557885}, {0.149039, 0.508051, 0.557250},
      {0.127568, 0.566949, 0.550556}, {0.120638, 0.625828, 0.533488},
      {0.157851, 0.683765, 0.501686}, {0.246070, 0.738910, 0.452024},
      {0.369214, 0.788888, 0.382914}, {0.515992, 0.831158, 0.294279},
      {0.678489, 0.863742, 0.189503}, {0.845561, 0.887322, 0.099702},
      {0.993248, 0.906157, 0.143936}};
  PLFLT pos[N], r[N], g[N], b[N];
  for (int i = 0; i < N; i++) {
    pos[i] = (i == N - 1 ? 255.0 : 16.0 * i) / 255.0;
    r[i] = rgb[i][0];
    g[i] = rgb[i][1];
    b[i] = rgb[i][2];
  }
  plscmap1n(256);
  plscmap1l(1, N, pos, r, g, b, NULL);
}

/* ---- the page ------------------------------------------------------------------ */

int style_begin(const char *path, const char *geometry, FigureFormat fmt, char *err,
                size_t err_size) {
  int rc = out_plot_begin(path, geometry, fmt, err, err_size);
  if (rc != EB_OK) return rc;
  plscmap0n(STYLE_NCOL);
  for (int i = 0; i < STYLE_NCOL; i++) plscol0(i, palette[i][0], palette[i][1], palette[i][2]);
  viridis();
  pladv(0);
  plcol0(STYLE_FG);
  plschr(0.0, 1.0);
  return EB_OK;
}

int style_end(const char *dir, const char *name, const char *path, char *err, size_t err_size) {
  int rc = out_plot_end(path, err, err_size);
  return rc == EB_OK ? out_commit(dir, name, err, err_size) : rc;
}

StylePage style_page(void) {
  PLFLT sx0, sx1, sy0, sy1, def, ht;
  plgspa(&sx0, &sx1, &sy0, &sy1);
  plgchr(&def, &ht);
  return (StylePage){fmax(sx1 - sx0, 1.0), fmax(sy1 - sy0, 1.0), def > 0 ? def : 3.0};
}

double style_titles(const char *title, const char *subtitle) {
  StylePage p = style_page();
  plvpor(0.0, 1.0, 0.0, 1.0);
  plwind(0.0, 1.0, 0.0, 1.0);
  plcol0(STYLE_FG);
  double y = p.h; /* mm from the bottom */
  const char *text[2] = {title, subtitle};
  const double want[2] = {1.2, 0.9};
  for (int k = 0; k < 2; k++) {
    if (!text[k] || !text[k][0]) continue;
    double s = want[k], w = style_text_mm(text[k], s * p.ch);
    if (w > 0.96 * p.w) s *= 0.96 * p.w / w;
    y -= (k == 0 ? 1.5 : 1.1) * s * p.ch;
    plschr(0.0, s);
    plptex(0.5, y / p.h, 1.0, 0.0, 0.5, text[k]);
    y -= 0.8 * s * p.ch;
  }
  plschr(0.0, 1.0);
  return (y - 0.4 * p.ch) / p.h;
}

void style_axes(double x0, double x1, double y0, double y1, const char *xopt, const char *yopt,
                int grid) {
  plwind(x0, x1, y0, y1);
  pllsty(STYLE_SOLID);
  plwidth(1.0);
  if (grid) {
    plcol0(STYLE_GRID);
    plbox("g", 0.0, 0, "g", 0.0, 0);
  }
  plcol0(STYLE_FG);
  plbox(xopt, 0.0, 0, yopt, 0.0, 0);
}

void style_curve(int n, const double *x, const double *y, int colour, int line, double width) {
  if (!x || !y) return;
  plcol0(colour);
  pllsty(line > 0 ? line : STYLE_SOLID);
  plwidth(width);
  int i = 0;
  while (i < n) {
    while (i < n && !(isfinite(x[i]) && isfinite(y[i]))) i++;
    int s = i;
    while (i < n && isfinite(x[i]) && isfinite(y[i])) i++;
    if (i - s >= 2) plline(i - s, x + s, y + s);
  }
  pllsty(STYLE_SOLID);
  plwidth(1.0);
  plcol0(STYLE_FG);
}

void style_symbol_at(double x, double y, const char *sym, int colour, double scale) {
  if (!isfinite(x) || !isfinite(y)) return;
  PLFLT px = x, py = y, def, ht;
  plgchr(&def, &ht);
  plcol0(colour);
  plschr(0.0, scale);
  plstring(1, &px, &py, sym);
  plschr(0.0, def > 0 ? ht / def : 1.0);
  plcol0(STYLE_FG);
}

StyleView style_unclip_begin(double margin_mm) {
  StyleView v;
  plgvpd(&v.vx0, &v.vx1, &v.vy0, &v.vy1);
  plgvpw(&v.wx0, &v.wx1, &v.wy0, &v.wy1);
  StylePage p = style_page();
  const double dx = margin_mm / p.w, dy = margin_mm / p.h;
  const double nx0 = fmax(0.0, v.vx0 - dx), nx1 = fmin(1.0, v.vx1 + dx);
  const double ny0 = fmax(0.0, v.vy0 - dy), ny1 = fmin(1.0, v.vy1 + dy);
  const double sx = (v.wx1 - v.wx0) / (v.vx1 - v.vx0), sy = (v.wy1 - v.wy0) / (v.vy1 - v.vy0);
  plvpor(nx0, nx1, ny0, ny1);
  plwind(v.wx0 - (v.vx0 - nx0) * sx, v.wx1 + (nx1 - v.vx1) * sx, v.wy0 - (v.vy0 - ny0) * sy,
         v.wy1 + (ny1 - v.vy1) * sy);
  return v;
}

void style_unclip_end(const StyleView *v) {
  plvpor(v->vx0, v->vx1, v->vy0, v->vy1);
  plwind(v->wx0, v->wx1, v->wy0, v->wy1);
}

/* ---- text -------------------------------------------------------------------- */

double style_text_mm(const char *s, double ch_mm) {
  size_t n = 0;
  for (; s && *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++; /* UTF-8 characters */
  /* the cairo sans font's advance per character, in character heights:
   * digits and lower case about 0.7, capitals 0.85; 0.73-0.77 measured on
   * mixed labels, so 0.75 keeps boxes on the safe side */
  return (double)n * 0.75 * ch_mm;
}

const char *style_unit(const char *unit, char *buf, size_t size) {
  if (!size) return buf;
  buf[0] = '\0';
  if (!unit || !strcmp(unit, "1") || !unit[0]) return buf;
  if (!strcmp(unit, "C")) {
    snprintf(buf, size, "°C");
    return buf;
  }
  if (!strcmp(unit, "um")) {
    snprintf(buf, size, "µm");
    return buf;
  }
  size_t o = 0;
  for (const char *s = unit; *s && o + 4 < size; s++) {
    if (s[0] == '^' && (s[1] == '2' || s[1] == '3')) {
      const char *sup = s[1] == '2' ? "²" : "³";
      memcpy(buf + o, sup, strlen(sup));
      o += strlen(sup);
      s++;
    } else {
      buf[o++] = *s;
    }
  }
  buf[o] = '\0';
  return buf;
}

void style_quantity_label(const Registry *reg, const char *name, char *buf, size_t size) {
  const ResultEntry *e = reg ? Registry_find(reg, name) : NULL;
  if (!e) {
    snprintf(buf, size, "%s", name);
    return;
  }
  size_t n = strlen(e->desc);
  static const char *const cut[] = {" (", ":", ",", ";", " ["};
  for (size_t k = 0; k < sizeof cut / sizeof *cut; k++) {
    const char *p = strstr(e->desc, cut[k]);
    if (p && (size_t)(p - e->desc) < n) n = (size_t)(p - e->desc);
  }
  char u[32];
  style_unit(e->unit, u, sizeof u);
  snprintf(buf, size, "%.*s%s%s%s", (int)n, e->desc, u[0] ? " (" : "", u, u[0] ? ")" : "");
  if (buf[0] >= 'a' && buf[0] <= 'z') buf[0] = (char)(buf[0] - 'a' + 'A');
}

void style_number(char *buf, size_t size, double v, int sig) {
  if (!isfinite(v)) {
    snprintf(buf, size, "-");
    return;
  }
  if (v == 0.0) {
    snprintf(buf, size, "0");
    return;
  }
  const double a = fabs(v);
  if (a < 1e-4 || a >= 1e6) {
    snprintf(buf, size, "%.*g", sig, v);
    return;
  }
  int dec = sig - 1 - (int)floor(log10(a));
  if (dec < 0) dec = 0;
  snprintf(buf, size, "%.*f", dec, v);
  if (strchr(buf, '.')) { /* no trailing zeros after the point */
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0') buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.') buf[--n] = '\0';
  }
}

void style_operating_point(char *buf, size_t size, double power_kw, double flow_lpm,
                           double inlet_c) {
  char p[32], f[32], part[96];
  size_t o = 0;
  buf[0] = '\0';
  if (isfinite(power_kw)) {
    style_number(p, sizeof p, power_kw, 3);
    snprintf(part, sizeof part, "%s kW", p);
    o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s", part);
  }
  if (isfinite(flow_lpm) && o < size) {
    style_number(f, sizeof f, flow_lpm, 4);
    if (isfinite(power_kw) && power_kw > 0)
      snprintf(part, sizeof part, "%s L/min (%.2f L/min/kW)", f, flow_lpm / power_kw);
    else
      snprintf(part, sizeof part, "%s L/min", f);
    o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "", part);
  }
  if (isfinite(inlet_c) && o < size)
    snprintf(buf + o, size - o, "%sinlet %.1f °C", o ? ", " : "", inlet_c);
}

void style_result_operating_point(char *buf, size_t size, const Registry *reg, const Result *r) {
  style_operating_point(buf, size, out_value(reg, r, "power_w") * 1e-3,
                        out_value(reg, r, "coolant_flow_lpm"),
                        out_value(reg, r, "coolant_inlet_c"));
}

void style_celsius(const char *in, char *out, size_t size) {
  size_t o = 0;
  if (!size) return;
  for (const char *s = in; s && *s && o + 4 < size; s++) {
    const int unit = s[0] == ' ' && s[1] == 'C' &&
                     !((s[2] >= 'A' && s[2] <= 'Z') || (s[2] >= 'a' && s[2] <= 'z')) && s > in &&
                     s[-1] >= '0' && s[-1] <= '9';
    if (unit) {
      memcpy(out + o, " °C", 4); /* "°" is two bytes */
      o += 4;
      s++;
    } else {
      out[o++] = *s;
    }
  }
  out[o] = '\0';
}

int style_case_limit(const Case *c, const char *quantity, double *value, int *lower,
                     const char **name) {
  if (!c) return 0;
  for (int i = 0; i < Limits_count(); i++) {
    const LimitInfo *li = Limits_info(i);
    if (strcmp(li->quantity, quantity)) continue;
    char key[96], e[EB_ERRLEN];
    CaseValue v;
    snprintf(key, sizeof key, "limits.%s", li->name);
    /* the key's unit is the quantity's (names carry their units) */
    if (Case_get(c, key, &v, e, sizeof e) != EB_OK || v.kind != CASE_VALUE_NUMBER ||
        !isfinite(v.number))
      continue;
    if (value) *value = v.number;
    if (lower) *lower = li->lower;
    if (name) *name = li->name;
    return 1;
  }
  return 0;
}

int style_wrap(const char *text, double width_mm, double ch_mm, char (*lines)[STYLE_LINE],
               int max) {
  int n = 0;
  const char *seg = text;
  while (seg && *seg && n < max) {
    const char *end = strstr(seg, "; ");
    const size_t seg_len = end ? (size_t)(end - seg) : strlen(seg); /* the ';' goes: a new line says it */
    /* greedy words within the segment */
    size_t at = 0;
    while (at < seg_len && n < max) {
      while (at < seg_len && seg[at] == ' ') at++;
      if (at >= seg_len) break;
      size_t len = 0, last_fit = 0;
      char probe[STYLE_LINE];
      for (;;) {
        size_t next = len;
        while (at + next < seg_len && seg[at + next] != ' ') next++; /* to the word's end */
        if (next >= STYLE_LINE - 1) next = STYLE_LINE - 2;
        snprintf(probe, sizeof probe, "%.*s", (int)next, seg + at);
        /* prose (mostly lower case and digits) runs at about 0.68 of the
         * height per character, under the 0.75 kept for label boxes */
        if (last_fit > 0 && style_text_mm(probe, ch_mm) * (0.68 / 0.75) > width_mm) break;
        last_fit = next;
        if (at + next >= seg_len || next >= STYLE_LINE - 2) break;
        len = next + 1; /* past the space */
      }
      snprintf(lines[n++], STYLE_LINE, "%.*s", (int)last_fit, seg + at);
      at += last_fit;
    }
    while (at < seg_len && seg[at] == ' ') at++;
    if (n == max && (at < seg_len || (end && end[2]))) {
      /* more text than lines: say so on the last line rather than cut it
       * silently (an ellipsis, after dropping words until it fits) */
      char *last = lines[n - 1];
      for (;;) {
        char probe[STYLE_LINE];
        snprintf(probe, sizeof probe, "%s…", last);
        char *sp = strrchr(last, ' ');
        if (style_text_mm(probe, ch_mm) * (0.68 / 0.75) <= width_mm || !sp) {
          snprintf(lines[n - 1], STYLE_LINE, "%s", probe);
          break;
        }
        *sp = '\0';
      }
      return n;
    }
    seg = end ? end + 2 : NULL;
  }
  return n;
}

double style_caption_mm(const char *text, double width_mm, double scale) {
  char lines[12][STYLE_LINE];
  const double ch = scale * style_page().ch;
  return style_wrap(text, width_mm, ch, lines, 12) * 1.35 * ch;
}

double style_caption(const char *text, double xc, double y, double width_mm, double scale) {
  char lines[12][STYLE_LINE];
  const StylePage p = style_page();
  const double ch = scale * p.ch;
  const int n = style_wrap(text, width_mm, ch, lines, 12);
  plvpor(0.0, 1.0, 0.0, 1.0);
  plwind(0.0, 1.0, 0.0, 1.0);
  plschr(0.0, scale);
  plcol0(STYLE_FG);
  for (int k = 0; k < n; k++) plptex(xc, y - k * 1.35 * ch / p.h, 1.0, 0.0, 0.5, lines[k]);
  plschr(0.0, 1.0);
  return y - (n - 0.5) * 1.35 * ch / p.h;
}

/* ---- colour range ---------------------------------------------------------- */

double style_nice_step(double span, int ticks) {
  if (!(span > 0.0) || !isfinite(span)) return 1.0;
  const double raw = span / (ticks > 0 ? ticks : 5);
  const double mag = pow(10.0, floor(log10(raw)));
  static const double m[] = {1.0, 2.0, 2.5, 5.0, 10.0};
  for (size_t k = 0; k < sizeof m / sizeof *m; k++)
    if (m[k] * mag >= raw * (1.0 - 1e-9)) return m[k] * mag;
  return 10.0 * mag;
}

int style_step_decimals(double step) {
  if (!(step > 0.0) || !isfinite(step)) return 0;
  for (int d = 0; d < 12; d++) {
    const double s = step * pow(10.0, d);
    if (fabs(s - round(s)) < 1e-6 * fmax(1.0, s)) return d;
  }
  return 12;
}

StyleRange style_color_range(const double *v, size_t n, double ref, double min_frac) {
  StyleRange R;
  memset(&R, 0, sizeof R);
  R.ref = isfinite(ref) ? ref : 0.0;
  R.dmin = INFINITY;
  R.dmax = -INFINITY;
  for (size_t i = 0; v && i < n; i++)
    if (isfinite(v[i])) {
      R.dmin = fmin(R.dmin, v[i]);
      R.dmax = fmax(R.dmax, v[i]);
    }
  R.any = isfinite(R.dmin);
  if (!R.any) {
    R.dmin = R.dmax = R.ref;
  }
  R.level = fmax(fabs(R.dmin - R.ref), fabs(R.dmax - R.ref));
  double lo = R.dmin, hi = R.dmax;
  const double need = (min_frac > 0.0 ? min_frac : 0.0) * R.level;
  if (hi - lo < need) { /* a small spread: anchor the scale to the minimum span */
    const double mid = 0.5 * (lo + hi);
    lo = mid - 0.5 * need;
    hi = mid + 0.5 * need;
    /* never past the reference the data do not cross */
    if (R.dmin >= R.ref && lo < R.ref) {
      hi += R.ref - lo;
      lo = R.ref;
    } else if (R.dmax <= R.ref && hi > R.ref) {
      lo -= hi - R.ref;
      hi = R.ref;
    }
    R.widened = 1;
  }
  if (!(hi - lo > 1e-12 * fmax(1.0, fabs(hi)))) { /* one value (or none) */
    const double u = fabs(hi) > 0.0 ? 0.05 * fabs(hi) : 1.0;
    lo -= 0.5 * u;
    hi += 0.5 * u;
    R.widened = 1;
  }
  R.step = style_nice_step(hi - lo, 6);
  R.lo = floor(lo / R.step + 1e-9) * R.step;
  R.hi = ceil(hi / R.step - 1e-9) * R.step;
  if (R.hi <= R.lo) R.hi = R.lo + R.step;
  return R;
}

void style_spread_text(char *buf, size_t size, const StyleRange *R, double scale,
                       const char *unit, const char *of) {
  char s[32];
  const double spread = (R->dmax - R->dmin) * (scale > 0.0 ? scale : 1.0);
  style_number(s, sizeof s, spread, 3);
  char pc[32];
  style_number(pc, sizeof pc, R->level > 0.0 ? 100.0 * (R->dmax - R->dmin) / R->level : 0.0, 2);
  if (R->level > 0.0)
    snprintf(buf, size, "spread %s%s%s = %s %% of %s", s, unit && unit[0] ? " " : "",
             unit ? unit : "", pc, of);
  else
    snprintf(buf, size, "spread %s%s%s", s, unit && unit[0] ? " " : "", unit ? unit : "");
}

/* The colour bar's numbers, as PLplot writes them at each tick. */
static int colorbar_chars(const StyleRange *R) {
  const int dec = style_step_decimals(R->step);
  int most = 1;
  for (double t = R->lo; t <= R->hi + 0.5 * R->step; t += R->step) {
    char b[48];
    snprintf(b, sizeof b, "%.*f", dec, t);
    most = (int)fmax(most, (double)strlen(b));
  }
  return most;
}

double style_colorbar_text_mm(const StyleRange *R) {
  StylePage p = style_page();
  /* numbers, then the label's line (rotated: one character height) */
  return (1.2 + 0.75 * colorbar_chars(R) + 2.6) * p.ch;
}

/* The numbers at the colour bar's ticks, with the step's decimals. */
static void bar_label(PLINT axis, PLFLT value, char *label, PLINT length, PLPointer data) {
  (void)axis;
  const int dec = *(const int *)data;
  snprintf(label, (size_t)length, "%.*f", dec, fabs(value) < 1e-12 ? 0.0 : value);
}

void style_colorbar(const StyleRange *R, double vx0, double vx1, double vy0, double vy1,
                    const char *label, double limit) {
  enum { N = 256 };
  PLFLT **img = NULL;
  plAlloc2dGrid(&img, 2, N);
  if (!img) return;
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < N; j++) img[i][j] = R->lo + (R->hi - R->lo) * (j + 0.5) / N;
  plvpor(vx0, vx1, vy0, vy1);
  plwind(0.0, 1.0, R->lo, R->hi);
  plimagefr((PLFLT_MATRIX)img, 2, N, 0.0, 1.0, R->lo, R->hi, R->lo, R->hi, R->lo, R->hi, NULL,
            NULL);
  plFree2dGrid(img, 2, N);
  if (isfinite(limit) && limit >= R->lo && limit <= R->hi) {
    plcol0(STYLE_HALO);
    plwidth(4.0);
    pljoin(0.0, limit, 1.0, limit);
    plcol0(STYLE_LIMIT);
    plwidth(2.0);
    pllsty(STYLE_DASH);
    pljoin(0.0, limit, 1.0, limit);
    pllsty(STYLE_SOLID);
    plwidth(1.0);
  }
  int dec = style_step_decimals(R->step);
  plslabelfunc(bar_label, &dec);
  plcol0(STYLE_FG);
  plbox("bc", 0.0, 0, "bcmotv", R->step, 0);
  plslabelfunc(NULL, NULL);
  /* the data's range: a bracket left of the bar */
  if (R->any) {
    StylePage p = style_page();
    StyleView v = style_unclip_begin(1.5 * p.ch);
    const double bw = (vx1 - vx0) * p.w, x0 = -0.8 * p.ch / bw, x1 = -0.25 * p.ch / bw;
    const double d0 = fmax(R->dmin, R->lo), d1 = fmin(R->dmax, R->hi);
    plcol0(STYLE_DARK);
    plwidth(1.6);
    pljoin(x0, d0, x0, d1);
    pljoin(x0, d0, x1, d0);
    pljoin(x0, d1, x1, d1);
    plwidth(1.0);
    style_unclip_end(&v);
  }
  const double disp = 1.2 + 0.75 * colorbar_chars(R) + 0.6;
  plmtex("r", disp + 1.0, 0.5, 0.5, label);
}

/* ---- maps -------------------------------------------------------------------- */

#define STYLE_TWO_PI 6.283185307179586

static void grid_lines(int columns, int rows, double size) {
  for (int d = 1; d < columns; d++) pljoin(d * size / columns, 0.0, d * size / columns, size);
  for (int d = 1; d < rows; d++) pljoin(0.0, d * size / rows, size, d * size / rows);
  PLFLT bx[5] = {0.0, size, size, 0.0, 0.0}, by[5] = {0.0, 0.0, size, size, 0.0};
  plline(5, bx, by);
}

void style_die_outlines(int columns, int rows, double size_mm) {
  plcol0(STYLE_HALO);
  plwidth(3.6);
  grid_lines(columns, rows, size_mm);
  plcol0(STYLE_DARK);
  plwidth(1.2);
  grid_lines(columns, rows, size_mm);
  plwidth(1.0);
  plcol0(STYLE_FG);
}

/* World units per mm of the current viewport (x and y). */
static void world_per_mm(double *sx, double *sy) {
  PLFLT vx0, vx1, vy0, vy1, wx0, wx1, wy0, wy1;
  plgvpd(&vx0, &vx1, &vy0, &vy1);
  plgvpw(&wx0, &wx1, &wy0, &wy1);
  StylePage p = style_page();
  *sx = (wx1 - wx0) / fmax((vx1 - vx0) * p.w, 1e-6);
  *sy = (wy1 - wy0) / fmax((vy1 - vy0) * p.h, 1e-6);
}

static void ring(double x, double y, double rx, double ry) {
  enum { N = 48 };
  PLFLT px[N + 1], py[N + 1];
  for (int k = 0; k <= N; k++) {
    px[k] = x + rx * cos(STYLE_TWO_PI * k / N);
    py[k] = y + ry * sin(STYLE_TWO_PI * k / N);
  }
  plline(N + 1, px, py);
}

static void disc(double x, double y, double rx, double ry) {
  enum { N = 24 };
  PLFLT px[N], py[N];
  for (int k = 0; k < N; k++) {
    px[k] = x + rx * cos(STYLE_TWO_PI * k / N);
    py[k] = y + ry * sin(STYLE_TWO_PI * k / N);
  }
  plfill(N, px, py);
}

void style_map_marker(double x, double y, double r_mm) {
  if (!isfinite(x) || !isfinite(y)) return;
  StyleView v = style_unclip_begin(2.0 * r_mm);
  double sx, sy;
  world_per_mm(&sx, &sy);
  plcol0(STYLE_HALO);
  plwidth(6.0);
  ring(x, y, r_mm * sx, r_mm * sy);
  disc(x, y, 0.42 * r_mm * sx, 0.42 * r_mm * sy);
  plcol0(STYLE_DARK);
  plwidth(2.4);
  ring(x, y, r_mm * sx, r_mm * sy);
  disc(x, y, 0.25 * r_mm * sx, 0.25 * r_mm * sy);
  plwidth(1.0);
  plcol0(STYLE_FG);
  style_unclip_end(&v);
}

void style_marker(double x, double y, int shape, int open, int colour, double r_mm) {
  if (!isfinite(x) || !isfinite(y)) return;
  StyleView v = style_unclip_begin(1.6 * r_mm);
  double sx, sy;
  world_per_mm(&sx, &sy);
  enum { N = 24 };
  double ax[N], ay[N]; /* mm offsets */
  int n = 0;
  const double deg = STYLE_TWO_PI / 360.0;
  switch (((shape % STYLE_SYMBOLS) + STYLE_SYMBOLS) % STYLE_SYMBOLS) {
    case 0: /* circle */
      for (n = 0; n < N; n++) {
        ax[n] = r_mm * cos(STYLE_TWO_PI * n / N);
        ay[n] = r_mm * sin(STYLE_TWO_PI * n / N);
      }
      break;
    case 1: { /* square */
      const double h = 0.88 * r_mm;
      const double px[4] = {-h, h, h, -h}, py[4] = {-h, -h, h, h};
      for (n = 0; n < 4; n++) ax[n] = px[n], ay[n] = py[n];
      break;
    }
    case 2: /* triangle up (centroid on the point) */
    case 3: /* triangle down */
      for (n = 0; n < 3; n++) {
        const double a = ((shape % STYLE_SYMBOLS) == 2 ? 90.0 : 270.0) + 120.0 * n;
        ax[n] = 1.25 * r_mm * cos(a * deg);
        ay[n] = 1.25 * r_mm * sin(a * deg);
      }
      break;
    case 4: /* diamond */
      for (n = 0; n < 4; n++) {
        ax[n] = 1.2 * r_mm * cos((90.0 * n) * deg);
        ay[n] = 1.2 * r_mm * sin((90.0 * n) * deg);
      }
      break;
    default: /* star */
      for (n = 0; n < 10; n++) {
        const double rr = (n % 2 ? 0.5 : 1.3) * r_mm, a = 90.0 + 36.0 * n;
        ax[n] = rr * cos(a * deg);
        ay[n] = rr * sin(a * deg);
      }
      break;
  }
  PLFLT px[N + 1], py[N + 1];
  for (int k = 0; k < n; k++) {
    px[k] = x + ax[k] * sx;
    py[k] = y + ay[k] * sy;
  }
  px[n] = px[0];
  py[n] = py[0];
  plcol0(open ? STYLE_BG : colour);
  plfill(n, px, py);
  plcol0(colour);
  plwidth(open ? 2.0 : 1.0);
  plline(n + 1, px, py);
  plwidth(1.0);
  plcol0(STYLE_FG);
  style_unclip_end(&v);
}

/* An arrow from (x0, y0) to (x1, y1) (world), head of length head_mm. */
static void arrow(double x0, double y0, double x1, double y1, double head_mm) {
  double sx, sy;
  world_per_mm(&sx, &sy);
  const double dxm = (x1 - x0) / sx, dym = (y1 - y0) / sy, len = hypot(dxm, dym);
  if (!(len > head_mm)) return;
  const double ux = dxm / len, uy = dym / len; /* unit, mm */
  const double bx = x1 - ux * head_mm * sx, by = y1 - uy * head_mm * sy;
  plwidth(2.0);
  pljoin(x0, y0, bx, by);
  plwidth(1.0);
  PLFLT hx[3] = {x1, bx - uy * 0.45 * head_mm * sx, bx + uy * 0.45 * head_mm * sx};
  PLFLT hy[3] = {y1, by + ux * 0.45 * head_mm * sy, by - ux * 0.45 * head_mm * sy};
  plfill(3, hx, hy);
}

void style_flow_band(char along, int split, double size_mm, double inlet_c, double outlet_c,
                     double band_mm) {
  PLFLT vx0, vx1, vy0, vy1;
  plgvpd(&vx0, &vx1, &vy0, &vy1);
  StylePage p = style_page();
  const int vertical = along == 'y';
  const double gap = 0.3 * p.ch;
  if (vertical)
    plvpor(vx1 + gap / p.w, vx1 + (gap + band_mm) / p.w, vy0, vy1);
  else
    plvpor(vx0, vx1, vy1 + gap / p.h, vy1 + (gap + band_mm) / p.h);
  /* world: the flow's axis in mm; across it 0 (next to the map) .. 1 */
  if (vertical)
    plwind(0.0, 1.0, 0.0, size_mm);
  else
    plwind(0.0, size_mm, 0.0, 1.0);
  char in[64], out[64];
  if (isfinite(inlet_c))
    snprintf(in, sizeof in, "inlet %.1f °C", inlet_c);
  else
    snprintf(in, sizeof in, "inlet");
  if (isfinite(outlet_c))
    snprintf(out, sizeof out, "outlet %.1f °C", outlet_c);
  else
    snprintf(out, sizeof out, "outlet");
  const double head = 0.9 * p.ch;
  /* the text row away from the map, the arrows next to it: from the inlet
   * to the outlets, along the whole wafer */
  const double t_row = 0.66, a_row = 0.2;
  plschr(0.0, 0.8);
  plcol0(STYLE_FG);
  /* text along the flow axis at a, justification j */
#define AT(a, j, t)                           \
  do {                                        \
    if (vertical)                             \
      plptex(t_row, (a), 0.0, 1.0, (j), (t)); \
    else                                      \
      plptex((a), t_row, 1.0, 0.0, (j), (t)); \
  } while (0)
#define ARROW(a0, a1)                         \
  do {                                        \
    if (vertical)                             \
      arrow(a_row, (a0), a_row, (a1), head);  \
    else                                      \
      arrow((a0), a_row, (a1), a_row, head);  \
  } while (0)
  if (split) {
    const double c = 0.5 * size_mm;
    AT(c, 0.5, in);
    AT(0.0, 0.0, out);
    AT(size_mm, 1.0, out);
    plcol0(STYLE_BLUE);
    ARROW(c, 0.0);
    ARROW(c, size_mm);
  } else {
    AT(0.0, 0.0, in);
    AT(size_mm, 1.0, out);
    plcol0(STYLE_BLUE);
    ARROW(0.0, size_mm);
  }
#undef AT
#undef ARROW
  plcol0(STYLE_FG);
  plschr(0.0, 1.0);
  plvpor(vx0, vx1, vy0, vy1);
}

/* ---- label placement ---------------------------------------------------------- */

void style_layout_geometry(StyleLayout *L, double wx0, double wx1, double wy0, double wy1,
                           double mm_x, double mm_y, double ch_mm) {
  memset(L, 0, sizeof *L);
  L->wx0 = wx0;
  L->wx1 = wx1 != wx0 ? wx1 : wx0 + 1.0;
  L->wy0 = wy0;
  L->wy1 = wy1 != wy0 ? wy1 : wy0 + 1.0;
  L->mm_x = fmax(mm_x, 1e-3);
  L->mm_y = fmax(mm_y, 1e-3);
  L->ch_mm = ch_mm > 0 ? ch_mm : 3.0;
}

void style_layout_init(StyleLayout *L, double wx0, double wx1, double wy0, double wy1) {
  PLFLT sx0, sx1, sy0, sy1, vx0, vx1, vy0, vy1, def, ht;
  plgspa(&sx0, &sx1, &sy0, &sy1);
  plgvpd(&vx0, &vx1, &vy0, &vy1);
  plgchr(&def, &ht);
  style_layout_geometry(L, wx0, wx1, wy0, wy1, (vx1 - vx0) * (sx1 - sx0), (vy1 - vy0) * (sy1 - sy0),
                        ht > 0 ? ht : def);
}

static double fu(const StyleLayout *L, double x) { return (x - L->wx0) / (L->wx1 - L->wx0); }
static double fv(const StyleLayout *L, double y) { return (y - L->wy0) / (L->wy1 - L->wy0); }
static double wxu(const StyleLayout *L, double u) { return L->wx0 + u * (L->wx1 - L->wx0); }
static double wyv(const StyleLayout *L, double v) { return L->wy0 + v * (L->wy1 - L->wy0); }

void style_layout_line(StyleLayout *L, const double *x, const double *y, int n) {
  if (L->n_lines >= STYLE_LAYOUT_LINES || n < 2 || !x || !y) return;
  L->lx[L->n_lines] = x;
  L->ly[L->n_lines] = y;
  L->ln[L->n_lines++] = n;
}

void style_layout_seg(StyleLayout *L, double x0, double y0, double x1, double y1, int soft) {
  if (L->n_segs >= STYLE_LAYOUT_SEGS) return;
  L->seg_soft[L->n_segs] = soft;
  double *s = L->seg[L->n_segs++];
  s[0] = x0;
  s[1] = y0;
  s[2] = x1;
  s[3] = y1;
}

void style_layout_box(StyleLayout *L, StyleBox b) {
  if (L->n_boxes < STYLE_LAYOUT_BOXES) L->box[L->n_boxes++] = b;
}

void style_layout_marker(StyleLayout *L, double x, double y, double r_mm) {
  if (!isfinite(x) || !isfinite(y)) return;
  const double r = r_mm + 0.3 * L->ch_mm, hx = r / L->mm_x, hy = r / L->mm_y;
  const double u = fu(L, x), v = fv(L, y);
  style_layout_box(L, (StyleBox){u - hx, v - hy, u + hx, v + hy});
}

/* Does the segment (frame units) cross the box? Liang-Barsky clipping. */
static int seg_hits(double x0, double y0, double x1, double y1, const StyleBox *b) {
  if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1)) return 0;
  double t0 = 0.0, t1 = 1.0;
  const double dx = x1 - x0, dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - b->x0, b->x1 - x0, y0 - b->y0, b->y1 - y0};
  for (int i = 0; i < 4; i++) {
    if (p[i] == 0.0) {
      if (q[i] < 0.0) return 0;
    } else {
      const double t = q[i] / p[i];
      if (p[i] < 0.0) {
        if (t > t1) return 0;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return 0;
        if (t < t1) t1 = t;
      }
    }
  }
  return 1;
}

/* Do segments p0-p1 and q0-q1 cross? */
static int seg_cross(double p0x, double p0y, double p1x, double p1y, double q0x, double q0y,
                     double q1x, double q1y) {
  if (!isfinite(q0x) || !isfinite(q0y) || !isfinite(q1x) || !isfinite(q1y)) return 0;
  const double d1 = (q1x - q0x) * (p0y - q0y) - (q1y - q0y) * (p0x - q0x);
  const double d2 = (q1x - q0x) * (p1y - q0y) - (q1y - q0y) * (p1x - q0x);
  const double d3 = (p1x - p0x) * (q0y - p0y) - (p1y - p0y) * (q0x - p0x);
  const double d4 = (p1x - p0x) * (q1y - p0y) - (p1y - p0y) * (q1x - p0x);
  return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0));
}

/* Lines a leader from (u0, v0) to (u1, v1) would cross. */
static int crossings(const StyleLayout *L, double u0, double v0, double u1, double v1) {
  int n = 0;
  for (int s = 0; s < L->n_segs; s++) {
    const double *g = L->seg[s];
    n += seg_cross(u0, v0, u1, v1, fu(L, g[0]), fv(L, g[1]), fu(L, g[2]), fv(L, g[3]));
  }
  for (int l = 0; l < L->n_lines; l++)
    for (int i = 0; i + 1 < L->ln[l]; i++)
      n += seg_cross(u0, v0, u1, v1, fu(L, L->lx[l][i]), fv(L, L->ly[l][i]),
                     fu(L, L->lx[l][i + 1]), fv(L, L->ly[l][i + 1]));
  return n;
}

/* cross: 0 nothing may run under the box, 1 soft segments may, 2 every
 * line and segment may (the box is then drawn on a white ground). */
int style_layout_free(const StyleLayout *L, StyleBox b, double au, double av, int cross) {
  if (!(b.x0 >= 0.0 && b.x1 <= 1.0 && b.y0 >= 0.0 && b.y1 <= 1.0)) return 0;
  const double kx = 0.3 * L->ch_mm / L->mm_x, ky = 0.3 * L->ch_mm / L->mm_y;
  for (int i = 0; i < L->n_boxes; i++) {
    StyleBox o = L->box[i];
    if (au >= o.x0 && au <= o.x1 && av >= o.y0 && av <= o.y1) {
      /* its own marker: the label may come nearer, but not onto it */
      o = (StyleBox){o.x0 + kx, o.y0 + ky, o.x1 - kx, o.y1 - ky};
    }
    if (b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1) return 0;
  }
  if (cross >= 2) return 1;
  for (int s = 0; s < L->n_segs; s++) {
    if (cross >= 1 && L->seg_soft[s]) continue;
    const double *g = L->seg[s];
    if (seg_hits(fu(L, g[0]), fv(L, g[1]), fu(L, g[2]), fv(L, g[3]), &b)) return 0;
  }
  for (int l = 0; l < L->n_lines; l++)
    for (int i = 0; i + 1 < L->ln[l]; i++)
      if (seg_hits(fu(L, L->lx[l][i]), fv(L, L->ly[l][i]), fu(L, L->lx[l][i + 1]),
                   fv(L, L->ly[l][i + 1]), &b))
        return 0;
  return 1;
}

int style_layout_find(const StyleLayout *L, double x, double y, double w_mm, double h_mm,
                      StyleBox *out) {
  /* beside the anchor: right, left, the four diagonals, above, below
   * (dx in character heights, dy in half label heights, justification) */
  static const double cand[][3] = {
      {1.0, 0.0, 0.0},  {-1.0, 0.0, 1.0},  {0.6, 1.0, 0.0}, {-0.6, 1.0, 1.0},
      {0.6, -1.0, 0.0}, {-0.6, -1.0, 1.0}, {0.0, 1.0, 0.5}, {0.0, -1.0, 0.5},
  };
  static const double scale[] = {1.0, 1.6, 2.5};
  const double u = fu(L, x), v = fv(L, y);
  const double w = w_mm / L->mm_x, h = h_mm / L->mm_y;
  const double hx = L->ch_mm / L->mm_x, hy = L->ch_mm / L->mm_y, mx = 0.2 * hx, my = 0.2 * hy;
  const int anchored = isfinite(u) && isfinite(v);
  /* nearest first, across a reference line before going further out;
   * across a curve only when nothing near is clear */
  static const int pass[][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1},
                                {0, 2}, {1, 2}, {2, 2}}; /* scale, cross */
  for (size_t ps = 0; anchored && ps < sizeof pass / sizeof *pass; ps++)
    for (int s = pass[ps][0], cross = pass[ps][1], once = 1; once; once = 0)
      for (size_t k = 0; k < sizeof cand / sizeof *cand; k++) {
        const double j = cand[k][2];
        const double tu = u + scale[s] * cand[k][0] * hx;
        const double tv = v + scale[s] * cand[k][1] * (0.5 * h + 0.6 * hy);
        StyleBox b = {tu - j * w, tv - 0.5 * h, tu + (1.0 - j) * w, tv + 0.5 * h};
        StyleBox bm = {b.x0 - mx, b.y0 - my, b.x1 + mx, b.y1 + my};
        if (style_layout_free(L, bm, u, v, cross)) {
          *out = b;
          return cross == 0 ? 1 : 2;
        }
      }
  /* anywhere: fewest lines crossed by the leader, then nearest */
  double best = INFINITY;
  StyleBox bb = {0};
  for (double tv = 0.01 + 0.5 * h; tv + 0.5 * h <= 0.99; tv += 0.01)
    for (double tu = 0.01; tu + w <= 0.99; tu += 0.01) {
      StyleBox b = {tu, tv - 0.5 * h, tu + w, tv + 0.5 * h};
      StyleBox bm = {b.x0 - mx, b.y0 - my, b.x1 + mx, b.y1 + my};
      if (!anchored) {
        if (style_layout_free(L, bm, NAN, NAN, 1)) {
          *out = b;
          return 3;
        }
        continue;
      }
      const double cu = fmin(fmax(u, b.x0), b.x1), cv = fmin(fmax(v, b.y0), b.y1);
      const double d = hypot((cu - u) * L->mm_x, (cv - v) * L->mm_y);
      if (d >= best || !style_layout_free(L, bm, u, v, 1)) continue;
      const double score = d + 1e3 * crossings(L, u, v, cu, cv);
      if (score < best) {
        best = score;
        bb = b;
      }
    }
  if (isfinite(best)) {
    *out = bb;
    return 3;
  }
  /* nowhere free: right of the anchor, moved inside the frame */
  double tu = (anchored ? u : 0.5) + hx, tv = anchored ? v : 0.5;
  StyleBox b = {tu, tv - 0.5 * h, tu + w, tv + 0.5 * h};
  if (b.x1 > 0.99) {
    b.x0 -= b.x1 - 0.99;
    b.x1 = 0.99;
  }
  if (b.x0 < 0.01) {
    b.x1 += 0.01 - b.x0;
    b.x0 = 0.01;
  }
  if (b.y1 > 0.99) {
    b.y0 -= b.y1 - 0.99;
    b.y1 = 0.99;
  }
  if (b.y0 < 0.01) {
    b.y1 += 0.01 - b.y0;
    b.y0 = 0.01;
  }
  *out = b;
  return 0;
}

enum { LABEL_LINES = 4 };

/* Lines of text split at '\n' (at most LABEL_LINES, each up to 160 bytes). */
static int split_lines(const char *text, char line[LABEL_LINES][160]) {
  int n = 0;
  const char *p = text;
  while (n < LABEL_LINES) {
    const char *e = strchr(p, '\n');
    const int len = e ? (int)(e - p) : (int)strlen(p);
    snprintf(line[n++], 160, "%.*s", len, p);
    if (!e) break;
    p = e + 1;
  }
  return n;
}

static void knockout(const StyleLayout *L, StyleBox b) {
  /* the text's likely width (labels run at about 0.72 of the height per
   * character with digits and units, under the 0.75 of the box), on the
   * side it is aligned to */
  const double tight = (b.x1 - b.x0) * (1.0 - 0.72 / 0.75);
  if (L->knock_right)
    b.x0 += tight;
  else
    b.x1 -= tight;
  const double mx = 0.15 * L->ch_mm / L->mm_x, my = 0.15 * L->ch_mm / L->mm_y;
  PLFLT fx[4] = {wxu(L, b.x0 - mx), wxu(L, b.x1 + mx), wxu(L, b.x1 + mx), wxu(L, b.x0 - mx)};
  PLFLT fy[4] = {wyv(L, b.y0 - my), wyv(L, b.y0 - my), wyv(L, b.y1 + my), wyv(L, b.y1 + my)};
  plcol0(STYLE_BG);
  plfill(4, fx, fy);
}

/* Draw lines of text in box b (frame units), right-aligned when right. */
static void draw_in_box(const StyleLayout *L, StyleBox b, char line[LABEL_LINES][160], int n,
                        int right, int col) {
  const double step = 1.35 * L->ch_mm / L->mm_y, vc = 0.5 * (b.y0 + b.y1);
  plcol0(col);
  for (int k = 0; k < n; k++) {
    const double vk = vc + 0.5 * (n - 1) * step - k * step;
    plptex(wxu(L, right ? b.x1 : b.x0), wyv(L, vk), 1.0, 0.0, right ? 1.0 : 0.0, line[k]);
  }
  plcol0(STYLE_FG);
}

/* Keep later labels half a character clear of this one. */
static void record_label(StyleLayout *L, StyleBox b) {
  const double mx = 0.5 * L->ch_mm / L->mm_x, my = 0.4 * L->ch_mm / L->mm_y;
  style_layout_box(L, (StyleBox){b.x0 - mx, b.y0 - my, b.x1 + mx, b.y1 + my});
}

void style_label(StyleLayout *L, double x, double y, const char *text, int col) {
  char line[LABEL_LINES][160];
  const int n = split_lines(text, line);
  double w = 0.0;
  for (int k = 0; k < n; k++) w = fmax(w, style_text_mm(line[k], L->ch_mm));
  const double h = 1.35 * n * L->ch_mm;
  StyleBox b;
  const int how = style_layout_find(L, x, y, w, h, &b);
  const double u = fu(L, x), v = fv(L, y);
  if (how >= 1 && isfinite(u) && isfinite(v)) { /* away from the anchor: a leader from its edge */
    const double cu = fmin(fmax(u, b.x0), b.x1), cv = fmin(fmax(v, b.y0), b.y1);
    const double d = hypot((cu - u) * L->mm_x, (cv - v) * L->mm_y), r0 = 0.8 * L->ch_mm;
    if (d > 1.8 * L->ch_mm) {
      const double f = r0 / d;
      plcol0(STYLE_GREY);
      plwidth(0.8);
      pljoin(wxu(L, u + f * (cu - u)), wyv(L, v + f * (cv - v)), wxu(L, cu), wyv(L, cv));
      plwidth(1.0);
    }
  }
  const int right = isfinite(u) && b.x1 <= u + 1e-9;
  L->knock_right = right;
  if (how != 1 || L->ground) knockout(L, b);
  draw_in_box(L, b, line, n, right, col);
  record_label(L, b);
}

void style_label_hline(StyleLayout *L, double y, const char *text, int col) {
  static const double cand[][2] = {/* u, justification */
                                   {0.99, 1.0}, {0.01, 0.0}, {0.5, 0.5}, {0.75, 0.5}, {0.25, 0.5}};
  char line[LABEL_LINES][160];
  const int n = split_lines(text, line);
  double w_mm = 0.0;
  for (int k = 0; k < n; k++) w_mm = fmax(w_mm, style_text_mm(line[k], L->ch_mm));
  const double w = w_mm / L->mm_x, h = 1.35 * n * L->ch_mm / L->mm_y;
  const double v = fv(L, y), hy = L->ch_mm / L->mm_y, off = 0.5 * h + 0.3 * hy;
  for (int cross = 0; cross <= 2; cross++)
    for (int side = 1; side >= -1; side -= 2)
      for (size_t k = 0; k < sizeof cand / sizeof *cand; k++) {
        const double tu = cand[k][0], j = cand[k][1], tv = v + side * off;
        StyleBox b = {tu - j * w, tv - 0.5 * h, tu + (1.0 - j) * w, tv + 0.5 * h};
        if (style_layout_free(L, b, NAN, NAN, cross)) {
          L->knock_right = j > 0.75;
          if (cross || L->ground) knockout(L, b);
          draw_in_box(L, b, line, n, j > 0.75, col);
          record_label(L, b);
          return;
        }
      }
  StyleBox b = {0.99 - w, v + 0.3 * hy, 0.99, v + 0.3 * hy + h};
  if (b.y1 > 0.99) b = (StyleBox){0.99 - w, v - 0.3 * hy - h, 0.99, v - 0.3 * hy};
  L->knock_right = 1;
  knockout(L, b);
  draw_in_box(L, b, line, n, 1, col);
  record_label(L, b);
}

void style_label_vline(StyleLayout *L, double x, const char *text, int col) {
  const double u = fu(L, x), hx = L->ch_mm / L->mm_x;
  const double len = style_text_mm(text, L->ch_mm) / L->mm_y, w = 1.2 * hx;
  for (int cross = 0; cross <= 1; cross++)
    for (double v = 0.98 - len; v >= 0.02; v -= 0.02)
      for (int side = 1; side >= -1; side -= 2) {
        const double tu = u + side * 0.85 * hx;
        StyleBox b = {tu - 0.5 * w, v, tu + 0.5 * w, v + len};
        if (style_layout_free(L, b, NAN, NAN, cross)) {
          if (cross || L->ground) {
            const double mx = 0.15 * L->ch_mm / L->mm_x, my = 0.15 * L->ch_mm / L->mm_y;
            const double y1 = b.y0 + (b.y1 - b.y0) * 0.68 / 0.75;
            PLFLT fx[4] = {wxu(L, b.x0 - mx), wxu(L, b.x1 + mx), wxu(L, b.x1 + mx), wxu(L, b.x0 - mx)};
            PLFLT fy[4] = {wyv(L, b.y0 - my), wyv(L, b.y0 - my), wyv(L, y1 + my), wyv(L, y1 + my)};
            plcol0(STYLE_BG);
            plfill(4, fx, fy);
          }
          plcol0(col);
          plptex(wxu(L, tu), wyv(L, v), 0.0, 1.0, 0.0, text);
          plcol0(STYLE_FG);
          record_label(L, b);
          return;
        }
      }
  /* no room along it: written across, beside the line's top */
  style_label(L, x, wyv(L, 0.96), text, col);
}

/* ---- legends ------------------------------------------------------------------ */

#define LEGEND_SCALE 0.85 /* legend text, in default character heights */
#define LEGEND_ROW 1.75   /* row height, in legend character heights */
#define LEGEND_SAMPLE 3.5 /* line sample, in legend character heights */
#define LEGEND_GAP 1.8    /* between entries of a row */

double style_legend_ch(void) { return LEGEND_SCALE * style_page().ch; }

/* The sample's width: a line's, or a lone symbol's (pllegend puts the
 * symbol at the sample's left end). */
static double sample_mm(const StyleLegendEntry *e, double ch) {
  return (e->line > 0 || e->box ? LEGEND_SAMPLE : 1.2) * ch;
}

/* pllegend's entry: a margin of about 1.4 character heights, the sample,
 * the text offset (0.3 there: about one height) and the text. */
static double entry_mm(const StyleLegendEntry *e, double ch) {
  return 1.4 * ch + sample_mm(e, ch) + 1.0 * ch + style_text_mm(e->text, ch);
}

/* Entries as drawn: one wider than the legend goes on over more rows, its
 * text wrapped (at its clauses first) under its first line's text. */
enum { LEGEND_ITEMS = 96, LEGEND_WRAP = 6 };
typedef struct {
  StyleLegendEntry e;
  int cont;            /* 1: a continuation row of the entry before */
  double sample;       /* the sample's width (mm): a continuation keeps its entry's */
  char text[STYLE_LINE];
} LegendItem;

static int legend_items(const StyleLegendEntry *e, int n, double width_mm, double ch,
                        LegendItem *it, int max) {
  int m = 0;
  for (int i = 0; i < n && m < max; i++) {
    const double sample = sample_mm(&e[i], ch);
    const double room = width_mm - (entry_mm(&e[i], ch) - style_text_mm(e[i].text, ch));
    char lines[LEGEND_WRAP][STYLE_LINE];
    const int nl = entry_mm(&e[i], ch) > width_mm
                       ? style_wrap(e[i].text, fmax(room, 10.0 * ch), ch, lines, LEGEND_WRAP)
                       : 0;
    if (nl <= 1) {
      it[m] = (LegendItem){e[i], 0, sample, ""};
      snprintf(it[m].text, sizeof it[m].text, "%s", e[i].text);
      it[m].e.text = it[m].text;
      m++;
      continue;
    }
    for (int k = 0; k < nl && m < max; k++, m++) {
      it[m] = (LegendItem){e[i], k > 0, sample, ""};
      if (k > 0) { /* text only, under the first line's */
        it[m].e.line = 0;
        it[m].e.sym = NULL;
        it[m].e.box = 0;
      }
      snprintf(it[m].text, sizeof it[m].text, "%.255s", lines[k]);
      it[m].e.text = it[m].text;
    }
  }
  return m;
}

static double item_mm(const LegendItem *it, double ch) {
  return 1.4 * ch + it->sample + 1.0 * ch + style_text_mm(it->text, ch);
}

/* Rows filled left to right, each centred: x (mm from the left), row. A
 * wrapped entry has rows of its own. */
static int legend_flow(const LegendItem *it, int n, double width_mm, double ch, double *x,
                       int *row) {
  int rows = 0, first = 0, alone = 0;
  double used = 0.0;
  for (int i = 0; i < n; i++) {
    const double w = item_mm(&it[i], ch);
    const int wrapped = i + 1 < n && it[i + 1].cont;
    if (i > first && (used + w > width_mm || it[i].cont || wrapped || alone)) {
      rows++;
      first = i;
      used = 0.0;
    }
    alone = it[i].cont || wrapped;
    x[i] = used;
    row[i] = rows;
    used += w + LEGEND_GAP * ch;
  }
  for (int i = 0; i < n;) { /* centre each row; a wrapped entry's rows as one */
    int j = i;
    while (j < n && row[j] == row[i]) j++;
    int k = j;
    while (k < n && it[k].cont) k++; /* its continuation rows */
    double width = 0.0;
    for (int q = i; q < k; q++) width = fmax(width, x[q] + item_mm(&it[q], ch));
    const double shift = fmax(0.0, 0.5 * (width_mm - width));
    for (int q = i; q < k; q++) x[q] += shift;
    i = k;
  }
  return n > 0 ? rows + 1 : 0;
}

int style_legend_rows(const StyleLegendEntry *e, int n, double width_mm, double ch_mm) {
  LegendItem *it = malloc(LEGEND_ITEMS * sizeof *it);
  double *x = malloc(LEGEND_ITEMS * sizeof *x);
  int *row = malloc(LEGEND_ITEMS * sizeof *row), rows = 0;
  if (it && x && row)
    rows = legend_flow(it, legend_items(e, n, width_mm, ch_mm, it, LEGEND_ITEMS), width_mm,
                       ch_mm, x, row);
  free(it);
  free(x);
  free(row);
  return rows;
}

/* (pllegend keeps a little room above its first row: half a row more) */
double style_legend_height(int rows, double ch_mm) {
  return rows > 0 ? (rows + 0.5) * LEGEND_ROW * ch_mm : 0.0;
}

double style_legend(const StyleLegendEntry *e, int n, double vx0, double vx1, double top) {
  if (n <= 0) return top;
  StylePage p = style_page();
  const double width = (vx1 - vx0) * p.w, ch = style_legend_ch();
  LegendItem *it = malloc(LEGEND_ITEMS * sizeof *it);
  double *x = malloc(LEGEND_ITEMS * sizeof *x);
  int *row = malloc(LEGEND_ITEMS * sizeof *row);
  if (!it || !x || !row) {
    free(it);
    free(x);
    free(row);
    return top;
  }
  const int m = legend_items(e, n, width, ch, it, LEGEND_ITEMS);
  const int rows = legend_flow(it, m, width, ch, x, row);
  const double h = style_legend_height(rows, ch);
  const double bottom = fmax(0.0, top - h / p.h);
  plvpor(vx0, vx1, bottom, top);
  plwind(0.0, 1.0, 0.0, 1.0);
  const double vh = fmax((top - bottom) * p.h, 1e-3);
  for (int i = 0; i < m; i++) {
    const StyleLegendEntry *q = &it[i].e;
    PLINT opt = q->box ? PL_LEGEND_COLOR_BOX
                       : (q->line > 0 ? PL_LEGEND_LINE : 0) | (q->sym ? PL_LEGEND_SYMBOL : 0);
    if (!opt) opt = PL_LEGEND_NONE;
    PLINT tcol = STYLE_FG, col = q->col, sty = q->line > 0 ? q->line : STYLE_SOLID, pat = 0,
          snum = 1, scol = q->sym ? q->sym_col : q->col;
    PLFLT lw = q->width > 0 ? q->width : 1.0, bsc = 0.9, bw = 1.0;
    PLFLT ssc = q->sym_scale > 0 ? q->sym_scale : 1.0;
    const char *text = q->text, *sym = q->sym ? q->sym : "";
    PLFLT w_out, h_out;
    pllegend(&w_out, &h_out, 0,
             PL_POSITION_VIEWPORT | PL_POSITION_INSIDE | PL_POSITION_TOP | PL_POSITION_LEFT,
             x[i] / width, row[i] * LEGEND_ROW * ch / vh, it[i].sample / width, STYLE_BG,
             STYLE_FG, STYLE_SOLID, 1, 1, 1, &opt, 0.3, LEGEND_SCALE, LEGEND_ROW, 0.0, &tcol,
             &text, &col, &pat, &bsc, &bw, &col, &sty, &lw, &scol, &ssc, &snum, &sym);
  }
  free(it);
  free(x);
  free(row);
  plcol0(STYLE_FG);
  pllsty(STYLE_SOLID);
  plwidth(1.0);
  return bottom;
}
