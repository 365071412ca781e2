/* out_transient_fig.c - the time series of a transient scenario, from the
 * registry (group "series") and the scenario's events:
 *
 *   transient.png  top: hottest junction, mixed coolant outlet, hottest
 *                  coolant and hottest brick against time (the coolant
 *                  inlet thin and grey under them); each watched limit a
 *                  dashed line in its series' colour, labelled in the right
 *                  margin; the time each limit is first reached a dotted
 *                  vertical marker with a dot where the limit is crossed,
 *                  labelled in a band above the frame (no data there);
 *                  below: heat made and heat to the coolant (kW) on the
 *                  left axis, coolant flow (L/min, dashed) on a right one.
 *
 * Same look as the other line plots: white background, black axes and
 * text, light grid, the case name in the title, legends under the panels
 * so they never cover data. The boiling point is drawn only when the
 * coolant comes within 20 K of it (else it squashes the temperatures).
 * Past boiling the single-phase model does not hold: that part is shaded,
 * and the temperature scale stops at half the valid range above it (the
 * peak off the scale written in the frame's corner or the band). Series
 * that are all NaN (no brick layer) are left out. */
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../materials/materials.h"
#include "../solver/scenario.h"
#include "out_style.h"
#include "output.h"
#include "output_internal.h"

/* colour map 0 entries: the style's (out_style.h) */
enum {
  COL_BG = STYLE_BG,
  COL_FG = STYLE_FG,
  COL_JUNCTION = STYLE_VERMILLION,
  COL_OUTLET = STYLE_BLUE,
  COL_COOLANT = STYLE_SKY,
  COL_BRICK = STYLE_PURPLE,
  COL_INLET = STYLE_GREY,
  COL_POWER = STYLE_FG,
  COL_HEAT = STYLE_BLUE,
  COL_FLOW = STYLE_GREEN,
  COL_GRID = STYLE_GRID,
  COL_SHADE = STYLE_SHADE
};
/* PLplot's predefined line styles (pllsty) */
enum { STY_SOLID = 1, STY_DOT = 2, STY_DASH = 3 };

#define BASE 0.8           /* the page's character scale: more text than a single plot */
#define LABEL 0.85         /* labels in and beside the plots, relative to BASE */
#define LEGEND 0.9         /* legend text, relative to BASE */
#define LEGEND_ROW 1.7     /* legend row height, in legend character heights */
#define LEGEND_SAMPLE 3.5  /* legend line sample, in legend character heights */
#define BOILING_NEAR_K 20.0 /* the boiling point is drawn when the coolant comes this near */
#define BAND_PAD 0.4       /* under the band's labels, above the frame: in rows */

/* Width per character, in character heights, of the cairo sans font:
 * measured 0.68-0.75; the wide side, for layout. */
#define TEXT_W 0.75

static void chr(double scale) { plschr(0.0, BASE * scale); }

/* Text extent estimate (mm) at character height ch. */
static double text_mm(const char *s, double ch) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++; /* UTF-8 characters */
  return (double)n * TEXT_W * ch;
}

/* The page (mm) and where the panels go (normalised page coordinates). */
typedef struct {
  double w, h; /* subpage */
  double c;    /* character height at scale 1 (BASE applied) */
  double x0, x1, top0, top1, bot0, bot1;
} Page;

/* Viewport size (mm) after plvpor. */
static void viewport_mm(double *w, double *h) {
  PLFLT sx0, sx1, sy0, sy1, vx0, vx1, vy0, vy1;
  plgspa(&sx0, &sx1, &sy0, &sy1);
  plgvpd(&vx0, &vx1, &vy0, &vy1);
  *w = fmax((vx1 - vx0) * (sx1 - sx0), 1e-3);
  *h = fmax((vy1 - vy0) * (sy1 - sy0), 1e-3);
}

/* The curve over each run of finite points (NaN = gap, style_curve), and a
 * dot for a lone point (a run of one row), which a line would not show. */
static void draw_runs(int n, const PLFLT *x, const PLFLT *y, int col, int sty, double width) {
  style_curve(n, x, y, col, sty, width);
  for (int i = 0; i < n; i++) {
    const int here = isfinite(x[i]) && isfinite(y[i]);
    const int before = i > 0 && isfinite(x[i - 1]) && isfinite(y[i - 1]);
    const int after = i + 1 < n && isfinite(x[i + 1]) && isfinite(y[i + 1]);
    if (!here || before || after) continue;
    plcol0(col);
    chr(0.6);
    plstring(1, x + i, y + i, "●");
    chr(1.0);
  }
  plcol0(COL_FG);
}

/* Light grid behind the data, black frame and ticks. */
static void axes(const char *xopt, const char *yopt) {
  plcol0(COL_GRID);
  plbox("g", 0.0, 0, "g", 0.0, 0);
  plcol0(COL_FG);
  plbox(xopt, 0.0, 0, yopt, 0.0, 0);
}

/* Widen [lo, hi] to the finite values of v; 1 if there is one. */
static int range_of(int n, const PLFLT *v, double *lo, double *hi) {
  int any = 0;
  for (int i = 0; v && i < n; i++)
    if (isfinite(v[i])) {
      *lo = fmin(*lo, v[i]);
      *hi = fmax(*hi, v[i]);
      any = 1;
    }
  return any;
}

/* "85" or "85.5" */
static void fmt_temp(char *buf, size_t size, double c) {
  if (fabs(c - round(c)) < 0.05)
    snprintf(buf, size, "%.0f", c);
  else
    snprintf(buf, size, "%.1f", c);
}

/* ---- legends ------------------------------------------------------------- */

enum { MAX_ENTRIES = 8 };

/* A legend entry: a line sample (sty 0: none), a symbol, or a filled box. */
typedef struct {
  const char *text;
  int col, sty;
  double width;
  const char *sym; /* non-NULL: a symbol on the sample */
  int box;         /* 1: a box of colour col instead of a line */
} Entry;

/* Where each entry goes: rows filled left to right across the panels'
 * width, each row centred; x (mm from the panels' left edge) and row.
 * Returns the number of rows. Widths are estimates; each entry is then
 * drawn by pllegend at its own place, so widths may differ. */
static int legend_flow(const Page *p, const Entry *e, int n, double *x, int *row) {
  const double ch = LEGEND * p->c, room = (p->x1 - p->x0) * p->w;
  double w[MAX_ENTRIES];
  int rows = 0, first = 0;
  double used = 0.0;
  for (int i = 0; i < n; i++) {
    w[i] = LEGEND_SAMPLE * ch + 1.2 * ch + text_mm(e[i].text, ch) + 2.5 * ch;
    if (i > first && used + w[i] - 2.5 * ch > room) { /* a new row */
      rows++;
      first = i;
      used = 0.0;
    }
    x[i] = used;
    row[i] = rows;
    used += w[i];
  }
  /* centre each row */
  for (int i = 0; i < n;) {
    int j = i;
    while (j < n && row[j] == row[i]) j++;
    double width = x[j - 1] + w[j - 1] - 2.5 * ch, shift = fmax(0.0, 0.5 * (room - width));
    for (int k = i; k < j; k++) x[k] += shift;
    i = j;
  }
  return n > 0 ? rows + 1 : 0;
}

/* Height of a legend of `rows` rows (mm). */
static double legend_mm(const Page *p, int rows) { return rows * LEGEND_ROW * LEGEND * p->c; }

/* The legend under the panel whose bottom edge is at page height y_top
 * (normalised) less down_mm (clear of its tick labels and axis label). */
static void legend_below(const Page *p, const Entry *e, int n, double y_top, double down_mm) {
  if (n <= 0) return;
  if (n > MAX_ENTRIES) n = MAX_ENTRIES;
  double x[MAX_ENTRIES];
  int row[MAX_ENTRIES];
  const int rows = legend_flow(p, e, n, x, row);
  const double top = y_top - down_mm / p->h, h = legend_mm(p, rows) / p->h;
  plvpor(p->x0, p->x1, top - h, top);
  double vw, vh;
  viewport_mm(&vw, &vh);
  const double ch = LEGEND * p->c;
  chr(1.0);
  for (int i = 0; i < n; i++) {
    PLINT opt = e[i].box ? PL_LEGEND_COLOR_BOX
                         : (e[i].sty > 0 ? PL_LEGEND_LINE : 0) | (e[i].sym ? PL_LEGEND_SYMBOL : 0);
    PLINT tcol = COL_FG, col = e[i].col, sty = e[i].sty > 0 ? e[i].sty : STY_SOLID, pat = 0,
          snum = 1;
    PLFLT lw = e[i].width, bsc = 0.9, bw = 1.0, ssc = 0.9;
    const char *text = e[i].text, *sym = e[i].sym ? e[i].sym : "";
    PLFLT w_out, h_out;
    pllegend(&w_out, &h_out, 0, PL_POSITION_VIEWPORT | PL_POSITION_INSIDE | PL_POSITION_TOP |
                                    PL_POSITION_LEFT,
             x[i] / vw, row[i] * LEGEND_ROW * ch / vh, LEGEND_SAMPLE * ch / vw, COL_BG, COL_FG,
             STY_SOLID, 1, 1, 1, &opt, 1.0, BASE * LEGEND, LEGEND_ROW, 0.0, &tcol, &text, &col,
             &pat, &bsc, &bw, &col, &sty, &lw, &col, &ssc, &snum, &sym);
  }
  plcol0(COL_FG);
}

/* ---- the temperatures ---------------------------------------------------- */

typedef struct {
  const char *column, *legend;
  int col;
  double width;
  int event;       /* TT_EVENT_ index, -1: none */
  const char *lim; /* its limit's label: "junction limit" (+ " 85 C"; + " at 12.3 s") */
  PLFLT *v;
  int n, has;
  double limit_c, peak_c, t_hit;
  int show_limit, reached;
} Curve;

enum { N_CURVES = 5 };

/* A marker's label (normalised viewport x) and its row from the top. */
typedef struct {
  double u0, u1;
  int row, right; /* right: the label ends at u1 (left of its marker) */
  int crossed;    /* another marker's line passes under it */
} Slot;

/* Rows of labels for the times the limits are first reached, given in time
 * order (u: the markers, w: the labels' widths, normalised to the frame;
 * a label may run into the right margin up to u_max). Each goes beside its
 * marker, left of it if it can, else right, in the first row from the top
 * where it overlaps no other label and no marker line crosses it: a
 * marker's line goes up to its own label, so a label may not cover a
 * marker whose label is above it, and a marker under a label gets its own
 * label lower down. When no row near is free of crossings, the first
 * without overlap (the label then hides the line under it: `crossed`).
 * Returns the number of rows used. */
static int place_markers(const double *u, const double *w, int n, double gap, double u_max,
                         Slot *s) {
  int rows = 0;
  for (int i = 0; i < n; i++) {
    int r_min = 0; /* below every label over this marker */
    for (int j = 0; j < i; j++)
      if (u[i] >= s[j].u0 - gap && u[i] <= s[j].u1 + gap && s[j].row + 1 > r_min)
        r_min = s[j].row + 1;
    int placed = 0;
    for (int strict = 1; strict >= 0 && !placed; strict--)
      for (int row = r_min; row <= r_min + n && !placed; row++)
        for (int side = 0; side < 2 && !placed; side++) {
          double u0 = side == 0 ? u[i] - gap - w[i] : u[i] + gap, u1 = u0 + w[i];
          if (u0 < 0.0 || u1 > u_max) continue;
          int ok = 1, crossed = 0;
          for (int j = 0; j < i && ok; j++) {
            if (s[j].row == row && u0 < s[j].u1 + 2.0 * gap && s[j].u0 < u1 + 2.0 * gap) ok = 0;
            /* its line would cross this label (one at the same time shares it) */
            if (s[j].row <= row && u[j] >= u0 - gap && u[j] <= u1 + gap &&
                fabs(u[j] - u[i]) > gap)
              crossed = 1;
          }
          if (!ok || (strict && crossed)) continue;
          s[i] = (Slot){u0, u1, row, side == 0, crossed};
          placed = 1;
        }
    if (!placed) /* wider than the room either side: from the left edge, a row of its own */
      s[i] = (Slot){0.0, w[i], rows, 0, 1};
    if (s[i].row + 1 > rows) rows = s[i].row + 1;
  }
  return rows;
}

/* The curves' indices with a reached limit, in time order. */
static int reached_in_order(const Curve *cv, int *idx) {
  int n = 0;
  for (int k = 0; k < N_CURVES; k++)
    if (cv[k].reached) idx[n++] = k;
  for (int a = 1; a < n; a++)
    for (int b = a; b > 0 && cv[idx[b]].t_hit < cv[idx[b - 1]].t_hit; b--) {
      int t = idx[b];
      idx[b] = idx[b - 1];
      idx[b - 1] = t;
    }
  return n;
}

/* Limit labels in the right margin at their line's height, pushed apart
 * (sorted by value) so none overprints another, a leader from the frame to
 * each; [y0, y1] the frame's scale, frame_top its top edge (page). */
static void limit_labels(const Page *p, const Curve *cv, double y0, double y1,
                         double frame_top) {
  int li[N_CURVES], nl = 0;
  for (int k = 0; k < N_CURVES; k++)
    if (cv[k].show_limit) li[nl++] = k;
  if (nl == 0) return;
  for (int a = 1; a < nl; a++)
    for (int b = a; b > 0 && cv[li[b]].limit_c < cv[li[b - 1]].limit_c; b--) {
      int x = li[b];
      li[b] = li[b - 1];
      li[b - 1] = x;
    }
  double vw, vh;
  viewport_mm(&vw, &vh);
  const double ch = LABEL * p->c, sep = 1.3 * ch / vh;
  double want[N_CURVES], at[N_CURVES];
  for (int i = 0; i < nl; i++) {
    want[i] = (cv[li[i]].limit_c - y0) / (y1 - y0);
    at[i] = i > 0 ? fmax(want[i], at[i - 1] + sep) : want[i];
  }
  for (int i = nl - 1; i >= 0; i--) { /* back under the top when pushed over it */
    double cap = i == nl - 1 ? 1.0 - 0.3 * sep : at[i + 1] - sep;
    if (at[i] > cap) at[i] = cap;
  }
  const double lead_mm = 1.6 * ch;
  plvpor(p->x1, p->x1 + lead_mm / p->w, p->top0, frame_top);
  plwind(0.0, 1.0, 0.0, 1.0);
  for (int i = 0; i < nl; i++) {
    plcol0(cv[li[i]].col);
    pljoin(0.0, want[i], 0.3, want[i]);
    pljoin(0.3, want[i], 0.9, at[i]);
  }
  plvpor(p->x0, p->x1, p->top0, frame_top);
  plwind(0.0, 1.0, y0, y1);
  chr(LABEL);
  for (int i = 0; i < nl; i++) {
    char val[32], lab[96];
    fmt_temp(val, sizeof val, cv[li[i]].limit_c);
    snprintf(lab, sizeof lab, "%s %s °C", cv[li[i]].lim, val);
    plcol0(cv[li[i]].col);
    plmtex("rv", (lead_mm + 0.3 * ch) / ch, at[i], 0.0, lab);
  }
  chr(1.0);
  plcol0(COL_FG);
}

/* Largest finite value of v over the rows with time <= t_max. */
static double max_until(int n, const PLFLT *time, const PLFLT *v, double t_max) {
  double m = -INFINITY;
  for (int i = 0; v && i < n; i++)
    if (isfinite(v[i]) && !(time[i] > t_max)) m = fmax(m, v[i]);
  return m;
}

/* The temperatures. Past boiling (t_boil) the single-phase model does not
 * hold: that part is shaded, and when the temperatures there would squash
 * the rest the scale stops at half the valid range above it (clipped),
 * the junction's peak then written in the frame's top left corner or in
 * the band of labels. */
static void top_panel(const Page *p, const Curve *cv, const PLFLT *time, double t_end,
                      double t_boil) {
  plvpor(p->x0, p->x1, p->top0, p->top1);
  double vw, vh;
  viewport_mm(&vw, &vh);
  const double ch = LABEL * p->c;
  const int n = cv[0].n;
  /* the y range: the data (until boiling) and the limits drawn */
  double lo = INFINITY, hi = -INFINITY, hi_all = -INFINITY;
  for (int k = 0; k < N_CURVES; k++) {
    if (!cv[k].has) continue;
    double l = INFINITY;
    range_of(n, cv[k].v, &l, &hi_all);
    lo = fmin(lo, l);
    hi = fmax(hi, max_until(n, time, cv[k].v, isfinite(t_boil) ? t_boil : INFINITY));
  }
  for (int k = 0; k < N_CURVES; k++)
    if (cv[k].show_limit) {
      lo = fmin(lo, cv[k].limit_c);
      hi = fmax(hi, cv[k].limit_c);
    }
  if (!isfinite(lo) || !isfinite(hi)) lo = 20.0, hi = 30.0;
  double cap = hi + 0.5 * fmax(hi - lo, 2.0);
  const int clipped = hi_all > cap;
  hi = clipped ? cap : fmax(hi, hi_all);
  double span = fmax(hi - lo, 2.0);
  double y0 = lo - 0.06 * span, top = clipped ? hi : hi + 0.05 * span;

  /* the markers' labels (and the peaks off the scale), in time order, and
   * the band above the data they need */
  int idx[N_CURVES];
  const int nm = reached_in_order(cv, idx);
  char text[N_CURVES][96];
  double u[N_CURVES] = {0}, w[N_CURVES] = {0};
  for (int i = 0; i < nm; i++) {
    const Curve *k = &cv[idx[i]];
    snprintf(text[i], sizeof text[i], t_end < 10.0 ? "%s at %.2f s" : "%s at %.1f s", k->lim,
             k->t_hit);
    u[i] = fmin(fmax(k->t_hit / t_end, 0.0), 1.0);
  }
  /* the peaks off the scale: the junction's (the others past boiling mean
   * no more), else the first curve's */
  char note[160] = "";
  if (clipped)
    for (int k = 0; k < N_CURVES && !note[0]; k++) {
      double m = -INFINITY, l = INFINITY;
      if (!cv[k].has || cv[k].event < 0 || !range_of(n, cv[k].v, &l, &m) || m <= top) continue;
      const char *what = cv[k].event == TT_EVENT_JUNCTION ? "junction"
                         : cv[k].event == TT_EVENT_OUTLET ? "outlet"
                         : cv[k].event == TT_EVENT_BOILING ? "coolant"
                                                            : "brick";
      snprintf(note, sizeof note, "past boiling: %s peak %.0f °C, off the scale", what, m);
    }
  for (int i = 0; i < nm; i++) w[i] = text_mm(text[i], ch) / vw;
  Slot slot[N_CURVES];
  const double gap = 0.4 * ch / vw, row_h = 1.4 * ch / vh;
  const double u_max = 1.0 + fmax(0.0, (1.0 - p->x1) * p->w - 0.5 * p->c) / vw;
  int rows = place_markers(u, w, nm, gap, u_max, slot);
  /* the frame holds the data, the band of labels is above it; the note
   * goes in the frame's top left corner when no data or marker is there,
   * else in a row of its own on top of the band (no marker reaches it) */
  double band = rows > 0 ? (rows + BAND_PAD) * row_h : 0.0;
  int note_row = 0;
  if (note[0]) {
    const double fh = 1.0 - band; /* frame height, fraction of the panel */
    const double nx1 = (2.0 * gap + text_mm(note, ch) / vw) * t_end;
    const double ny0 = top - (1.8 * row_h / fh) * (top - y0);
    int free_corner = 1;
    for (int k = 0; k < N_CURVES && free_corner; k++)
      for (int i = 0; cv[k].has && i < n && free_corner; i++)
        free_corner = !(time[i] <= nx1 && isfinite(cv[k].v[i]) && cv[k].v[i] >= ny0);
    for (int i = 0; i < nm && free_corner; i++) free_corner = !(cv[idx[i]].t_hit <= nx1);
    if (!free_corner) {
      note_row = 1;
      for (int i = 0; i < nm; i++) slot[i].row++;
      rows++;
      band = (rows + BAND_PAD) * row_h;
    }
  }
  const double frame_top = p->top0 + (1.0 - band) * (p->top1 - p->top0);
  const double y1 = top;
  plvpor(p->x0, p->x1, p->top0, frame_top);
  plwind(0.0, t_end, y0, y1);

  if (isfinite(t_boil) && t_boil < t_end) { /* past boiling */
    PLFLT fx[4] = {t_boil, t_end, t_end, t_boil}, fy[4] = {y0, y0, y1, y1};
    plcol0(COL_SHADE);
    plfill(4, fx, fy);
  }
  axes("bcnst", "bcnstv");
  chr(1.0);
  pllab("", "Temperature (°C)", "");

  /* limits: dashed, in the series' colour */
  for (int k = 0; k < N_CURVES; k++) {
    if (!cv[k].show_limit) continue;
    plcol0(cv[k].col);
    pllsty(STY_DASH);
    plwidth(1.5);
    pljoin(0.0, cv[k].limit_c, t_end, cv[k].limit_c);
    pllsty(STY_SOLID);
    plwidth(1.0);
  }
  /* the markers: dotted, across the frame */
  for (int i = 0; i < nm; i++) {
    const Curve *k = &cv[idx[i]];
    plcol0(k->col);
    pllsty(STY_DOT);
    plwidth(1.5);
    pljoin(k->t_hit, y0, k->t_hit, y1);
    pllsty(STY_SOLID);
    plwidth(1.0);
  }
  /* the series over them (the inlet first, the junction last: on top; the
   * hottest coolant, thin, over the thicker outlet it often runs along) */
  static const int order[N_CURVES] = {4, 3, 1, 2, 0};
  for (int o = 0; o < N_CURVES; o++)
    if (cv[order[o]].has)
      draw_runs(n, time, cv[order[o]].v, cv[order[o]].col, STY_SOLID, cv[order[o]].width);
  /* where each limit is first reached: a dot on its line, in a viewport a
   * little larger than the frame (same scale) so that a dot on its edge
   * (a limit reached at the start or at the end) is drawn whole */
  {
    const double m = 0.02, fx = (p->x1 - p->x0) / t_end, fy = (frame_top - p->top0) / (y1 - y0);
    plvpor(p->x0 - m, p->x1 + m, p->top0 - m, frame_top + m);
    plwind(-m / fx, t_end + m / fx, y0 - m / fy, y1 + m / fy);
  }
  chr(0.9);
  for (int i = 0; i < nm; i++) {
    PLFLT px = cv[idx[i]].t_hit, py = cv[idx[i]].limit_c;
    plcol0(cv[idx[i]].col);
    plstring(1, &px, &py, "●");
  }
  plvpor(p->x0, p->x1, p->top0, frame_top);
  plwind(0.0, t_end, y0, y1);
  if (note[0] && !note_row) {
    chr(LABEL);
    plcol0(COL_FG);
    plmtex("t", -1.4, gap, 0.0, note);
  }
  limit_labels(p, cv, y0, y1, frame_top);

  /* the band: each marker goes on up to its label (the first row on top);
   * it reaches into the right margin, above the limits' labels */
  if (rows > 0) {
    plvpor(p->x0, p->x0 + u_max * (p->x1 - p->x0), frame_top, p->top1);
    const double rh = 1.0 / (rows + BAND_PAD);
    plwind(0.0, u_max * t_end, 0.0, 1.0);
    double ylab[N_CURVES];
    for (int i = 0; i < nm; i++) {
      ylab[i] = 1.0 - (slot[i].row + 0.5) * rh;
      plcol0(cv[idx[i]].col);
      pllsty(STY_DOT);
      plwidth(1.5);
      pljoin(cv[idx[i]].t_hit, 0.0, cv[idx[i]].t_hit, ylab[i]);
      pllsty(STY_SOLID);
      plwidth(1.0);
    }
    chr(LABEL);
    for (int i = 0; i < nm; i++) {
      if (slot[i].crossed) { /* on a white ground, the text's likelier width */
        double x1 = slot[i].u1 * t_end, x0 = slot[i].u0 * t_end;
        const double tight = (x1 - x0) * 0.69 / TEXT_W, pad = 0.3 * gap * t_end;
        if (slot[i].right)
          x0 = x1 - tight;
        else
          x1 = x0 + tight;
        PLFLT fx[4] = {x0 - pad, x1 + pad, x1 + pad, x0 - pad};
        PLFLT fy[4] = {ylab[i] - 0.5 * rh, ylab[i] - 0.5 * rh, ylab[i] + 0.5 * rh,
                       ylab[i] + 0.5 * rh};
        plcol0(COL_BG);
        plfill(4, fx, fy);
      }
      plcol0(cv[idx[i]].col);
      if (slot[i].right)
        plptex(slot[i].u1 * t_end, ylab[i], 1.0, 0.0, 1.0, text[i]);
      else
        plptex(slot[i].u0 * t_end, ylab[i], 1.0, 0.0, 0.0, text[i]);
    }
    if (note_row) {
      plcol0(COL_FG);
      plptex(t_end, 1.0 - 0.5 * rh, 1.0, 0.0, 1.0, note);
    }
  }
  chr(1.0);
  plcol0(COL_FG);
  plvpor(p->x0, p->x1, p->top0, frame_top);
  plwind(0.0, t_end, y0, y1);
}

/* ---- heat and flow ------------------------------------------------------- */

static void bottom_panel(const Page *p, const PLFLT *time, int n, const PLFLT *power,
                         const PLFLT *heat, const PLFLT *flow, double t_end) {
  plvpor(p->x0, p->x1, p->bot0, p->bot1);
  double lo = 0.0, hi = -INFINITY;
  int has_p = range_of(n, power, &lo, &hi), has_h = range_of(n, heat, &lo, &hi);
  if (!(hi > lo)) hi = lo + 1.0;
  double span = hi - lo;
  double y0 = lo < 0.0 ? lo - 0.08 * span : 0.0, y1 = hi + 0.12 * span;
  plwind(0.0, t_end, y0, y1);
  chr(1.0);
  axes("bcnst", "bnstv");
  pllab("time (s)", "power (kW)", "");
  if (has_h) draw_runs(n, time, heat, COL_HEAT, STY_SOLID, 2.5);
  if (has_p) draw_runs(n, time, power, COL_POWER, STY_SOLID, 1.8);
  /* the flow on its own scale: a right-hand axis on the same viewport */
  double flo = 0.0, fhi = -INFINITY;
  int has_f = range_of(n, flow, &flo, &fhi);
  if (!(fhi > flo)) fhi = flo + 1.0;
  /* its top at two thirds of the height: a steady flow does not run
   * along a steady power at the top */
  plwind(0.0, t_end, flo, flo + 1.5 * (fhi - flo));
  plcol0(COL_FG);
  plbox("", 0.0, 0, "cmstv", 0.0, 0);
  plcol0(COL_FLOW);
  plmtex("r", 4.4, 0.5, 0.5, "coolant flow (L/min)");
  if (has_f) draw_runs(n, time, flow, COL_FLOW, STY_DASH, 2.0);
  plwind(0.0, t_end, y0, y1);
  plcol0(COL_FG);
}

/* ---- the figure ---------------------------------------------------------- */

/* The title and, when it fits the width, the subtitle under it. */
static void titles(const Page *p, const char *title, const char *subtitle) {
  plvpor(0.0, 1.0, 0.0, 1.0);
  plwind(0.0, 1.0, 0.0, 1.0);
  plcol0(COL_FG);
  chr(1.2);
  plmtex("t", -1.5, 0.5, 0.5, title);
  if (subtitle[0] && text_mm(subtitle, 0.9 * p->c) <= 0.96 * p->w) {
    chr(0.9);
    plmtex("t", -3.7, 0.5, 0.5, subtitle);
  }
  chr(1.0);
}

/* The scenario's limit for event e in K (NaN: not watched). A result read
 * back from result.h5 does not carry the limits (0 there): the case's. */
static double limit_k(const Case *c, const ScenarioResult *s, int e) {
  double k = s->ev[e].limit_k;
  if (k > 0.0 || isnan(k)) return k;
  switch (e) {
    case TT_EVENT_JUNCTION: return c->junction_max_k;
    case TT_EVENT_OUTLET: return c->outlet_max_k;
    case TT_EVENT_BOILING: return Materials_fluid_boiling_k(c->fluid);
    case TT_EVENT_BRICK: return Case_brick_layer(c) >= 0 ? c->brick_temp_max_k : NAN;
    default: return NAN;
  }
}

/* The panels' places on a page of w x h mm (character height c): title
 * and subtitle on top, the temperatures (the larger panel) with their
 * legend, then heat and flow with theirs; the right margin holds the limit
 * labels and the flow axis. */
static void layout(Page *p, const Curve *cv, const Entry *e1, int n1, const Entry *e2, int n2) {
  const double c = p->c, lab = LABEL * c;
  double right = 5.6 * c; /* the flow axis: its numbers and label */
  for (int k = 0; k < N_CURVES; k++)
    if (cv[k].show_limit) {
      char val[32], t[96];
      fmt_temp(val, sizeof val, cv[k].limit_c);
      snprintf(t, sizeof t, "%s %s °C", cv[k].lim, val);
      right = fmax(right, 1.9 * lab + text_mm(t, lab) + 0.8 * c);
    }
  p->x0 = 6.6 * c / p->w;
  p->x1 = 1.0 - right / p->w;
  double x[MAX_ENTRIES];
  int row[MAX_ENTRIES];
  double y = 0.6 * c + legend_mm(p, legend_flow(p, e2, n2, x, row)) + 4.6 * c;
  p->bot0 = y / p->h;
  p->bot1 = p->bot0 + 0.18;
  y = p->bot1 * p->h + 1.4 * c + legend_mm(p, legend_flow(p, e1, n1, x, row)) + 2.4 * c;
  p->top0 = y / p->h;
  p->top1 = 1.0 - 5.4 * c / p->h;
}

int Output_write_transient_figures(const Case *c, const Registry *reg, const Result *r,
                                   const char *dir, FigureFormat fmt, char *err,
                                   size_t err_size) {
  const ScenarioResult *s = r ? r->part[RESULT_TRANSIENT] : NULL;
  if (!s) return EB_OK; /* no transient */
  int n = 0, np = 0, nh = 0, nf = 0;
  PLFLT *time = out_values(reg, r, "series_time_s", 0, &n);
  PLFLT *power = out_values(reg, r, "series_power_kw", 0, &np);
  PLFLT *heat = out_values(reg, r, "series_heat_to_coolant_kw", 0, &nh);
  PLFLT *flow = out_values(reg, r, "series_flow_lpm", 0, &nf);
  Curve cv[N_CURVES] = {
      {.column = "series_junction_max_c", .legend = "hottest junction", .col = COL_JUNCTION,
       .width = 2.5, .event = TT_EVENT_JUNCTION, .lim = "junction limit"},
      {.column = "series_outlet_c", .legend = "mixed coolant outlet", .col = COL_OUTLET,
       .width = 3.0, .event = TT_EVENT_OUTLET, .lim = "outlet limit"},
      {.column = "series_coolant_max_c", .legend = "hottest coolant", .col = COL_COOLANT,
       .width = 1.5, .event = TT_EVENT_BOILING, .lim = "coolant boiling"},
      {.column = "series_brick_max_c", .legend = "hottest brick", .col = COL_BRICK, .width = 2.0,
       .event = TT_EVENT_BRICK, .lim = "brick limit"},
      {.column = "series_inlet_c", .legend = "coolant inlet", .col = COL_INLET, .width = 1.3,
       .event = -1},
  };
  int rc = EB_OK;
  if (!time || n < 1) goto done; /* no series: nothing to draw */
  if (np != n) power = (free(power), NULL);
  if (nh != n) heat = (free(heat), NULL);
  if (nf != n) flow = (free(flow), NULL);

  double t_end = out_value(reg, r, "scenario_end_s");
  if (!(t_end > 0.0) && isfinite(time[n - 1])) t_end = time[n - 1];
  if (!(t_end > 0.0)) t_end = 1.0;
  double t_boil = NAN;
  for (int k = 0; k < N_CURVES; k++) {
    Curve *q = &cv[k];
    q->v = out_values(reg, r, q->column, 0, &q->n);
    if (q->v && q->n != n) q->v = (free(q->v), NULL);
    double lo = INFINITY, hi = -INFINITY;
    q->has = q->v && range_of(n, q->v, &lo, &hi);
    q->n = n;
    q->limit_c = q->peak_c = q->t_hit = NAN;
    if (!q->has || q->event < 0) continue;
    const ScenarioEvent *ev = &s->ev[q->event];
    q->limit_c = limit_k(c, s, q->event) - 273.15;
    q->peak_c = isfinite(ev->peak_k) ? fmax(hi, ev->peak_k - 273.15) : hi;
    q->reached = ev->reached && isfinite(ev->t_s) && isfinite(q->limit_c);
    q->t_hit = ev->t_s;
    q->show_limit = isfinite(q->limit_c) && (q->event != TT_EVENT_BOILING || q->reached ||
                                             q->peak_c >= q->limit_c - BOILING_NEAR_K);
    if (q->event == TT_EVENT_BOILING && q->reached) t_boil = q->t_hit;
  }

  /* the legends */
  Entry e1[MAX_ENTRIES], e2[3];
  int n1 = 0, n2 = 0, any_limit = 0, any_hit = 0;
  for (int k = 0; k < N_CURVES; k++) {
    if (cv[k].has) e1[n1++] = (Entry){cv[k].legend, cv[k].col, STY_SOLID, cv[k].width, NULL, 0};
    any_limit |= cv[k].show_limit;
    any_hit |= cv[k].reached;
  }
  if (any_limit) e1[n1++] = (Entry){"limit", COL_FG, STY_DASH, 1.5, NULL, 0};
  if (any_hit) e1[n1++] = (Entry){"limit first reached", COL_FG, STY_DOT, 1.5, "●", 0};
  if (isfinite(t_boil) && t_boil < t_end)
    e1[n1++] = (Entry){"past boiling (model not valid)", COL_SHADE, 0, 1.0, NULL, 1};
  if (power)
    e2[n2++] = (Entry){"heat made (dies and power path)", COL_POWER, STY_SOLID, 1.8, NULL, 0};
  if (heat) e2[n2++] = (Entry){"heat to the coolant", COL_HEAT, STY_SOLID, 2.5, NULL, 0};
  if (flow) e2[n2++] = (Entry){"coolant flow (right axis)", COL_FLOW, STY_DASH, 2.0, NULL, 0};

  char path[1100], name[64], title[400], subtitle[400];
  out_figure_name(name, sizeof name, "transient", fmt);
  out_path(path, sizeof path, dir, name, 1);
  rc = style_begin(path, "1600x1100", fmt, err, err_size);
  if (rc != EB_OK) goto done;
  Page p;
  {
    PLFLT sx0, sx1, sy0, sy1, def, ht;
    plgspa(&sx0, &sx1, &sy0, &sy1);
    plgchr(&def, &ht);
    p.w = sx1 - sx0;
    p.h = sy1 - sy0;
    p.c = BASE * (def > 0 ? def : 3.0);
  }
  layout(&p, cv, e1, n1, e2, n2);
  /* title: the case, the scenario and what it is; the start under it */
  snprintf(title, sizeof title, "%s: scenario %s (%s)", c->name, s->scenario, s->description);
  if (!s->description[0] || text_mm(title, 1.2 * p.c) > 0.96 * p.w)
    snprintf(title, sizeof title, "%s: scenario %s", c->name, s->scenario);
  {
    char start[sizeof s->start + 32];
    style_celsius(s->start, start, sizeof start);
    snprintf(subtitle, sizeof subtitle, "%s%s", start[0] ? "start: " : "", start);
  }
  titles(&p, title, subtitle);

  top_panel(&p, cv, time, t_end, t_boil);
  legend_below(&p, e1, n1, p.top0, 2.4 * p.c);
  bottom_panel(&p, time, n, power, heat, flow, t_end);
  legend_below(&p, e2, n2, p.bot0, 4.6 * p.c);

  rc = out_plot_end(path, err, err_size);
  if (rc == EB_OK) rc = out_commit(dir, name, err, err_size);
done:
  for (int k = 0; k < N_CURVES; k++) free(cv[k].v);
  free(time);
  free(power);
  free(heat);
  free(flow);
  return rc;
}
