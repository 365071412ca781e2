/* out_plots.c - line plots of the coolant loop with PLplot (pngcairo):
 *
 *   coolant_path.png  mean coolant and hottest junction temperature along
 *                     the flow direction, inlet temperature for reference;
 *   pump_curve.png    the loop's pressure drop against flow, the pumps'
 *                     curve with all running and with one lost, their
 *                     operating points, the case's flow and the
 *                     1.5 L/min/kW facility reference.
 *
 * Same look as out_figures.c: white background, black axes and text, labelled
 * axes with units, the case name in the title. Legends sit under the plot, so
 * they never cover data; in-plot labels are placed by a small layout helper
 * that tries a few positions around their anchor and takes the first that
 * crosses no curve, marker or other label (reference lines may run under a
 * label, which is then drawn on a white ground); when nothing near is free,
 * the nearest free spot anywhere, tied to its point by a thin leader line.
 * Missing data (n = 0, NULL or NaN arrays, NaN operating points) is skipped,
 * never drawn as garbage; an empty plot says so. */
#include <errno.h>
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"


/* colour map 0 entries (set in plot_begin) */
enum { COL_FG = 1, COL_BLUE, COL_RED, COL_ORANGE, COL_GREY, COL_GRID };
/* PLplot's predefined line styles (pllsty) */
enum { STY_SOLID = 1, STY_DOT = 2, STY_DASH = 3, STY_LONGDASH = 4 };

/* plot viewports (normalised page); the legend goes under the plot */
#define VP_X0 0.12
#define VP_X1 0.95
#define VP_Y1 0.92
#define VP_Y0_PATH 0.22
#define VP_Y0_PUMP 0.26

#define SYM_DOT "●"     /* U+25CF */
#define SYM_DIAMOND "◆" /* U+25C6 */

/* ---- in-plot label layout ------------------------------------------------ */

enum { LAYOUT_LINES = 8, LAYOUT_SEGS = 16, LAYOUT_BOXES = 24, LABEL_LINES = 4 };

typedef struct {
  double x0, y0, x1, y1; /* normalised viewport coordinates */
} Box;

typedef struct {
  double wx0, wx1, wy0, wy1; /* world window */
  double mm_x, mm_y;         /* viewport size (mm) */
  double def_mm;             /* default character height (mm), markers */
  double ch_mm;              /* label character height (mm) */
  int n_lines;               /* polylines, world coordinates, NaN = gap */
  const PLFLT *lx[LAYOUT_LINES], *ly[LAYOUT_LINES];
  int ln[LAYOUT_LINES];
  int n_segs; /* single segments, world coordinates */
  double seg[LAYOUT_SEGS][4];
  int seg_soft[LAYOUT_SEGS]; /* reference lines a label may cover (knocked out) */
  int n_boxes; /* markers and labels already placed */
  Box box[LAYOUT_BOXES];
} Layout;

/* After plvpor/plwind: the viewport's size in mm for text metrics. */
static void layout_init(Layout *L, double wx0, double wx1, double wy0, double wy1) {
  memset(L, 0, sizeof *L);
  L->wx0 = wx0;
  L->wx1 = wx1;
  L->wy0 = wy0;
  L->wy1 = wy1;
  PLFLT sx0, sx1, sy0, sy1, vx0, vx1, vy0, vy1, def, ht;
  plgspa(&sx0, &sx1, &sy0, &sy1);
  plgvpd(&vx0, &vx1, &vy0, &vy1);
  plgchr(&def, &ht);
  L->mm_x = fmax((vx1 - vx0) * (sx1 - sx0), 1e-3);
  L->mm_y = fmax((vy1 - vy0) * (sy1 - sy0), 1e-3);
  L->def_mm = def > 0 ? def : 3.0;
  L->ch_mm = ht > 0 ? ht : L->def_mm;
}

/* Character scale for the labels that follow (plschr + metrics). */
static void layout_text_scale(Layout *L, double scale) {
  plschr(0.0, scale);
  L->ch_mm = scale * L->def_mm;
}

static double nx(const Layout *L, double x) { return (x - L->wx0) / (L->wx1 - L->wx0); }
static double ny(const Layout *L, double y) { return (y - L->wy0) / (L->wy1 - L->wy0); }
static double wx(const Layout *L, double u) { return L->wx0 + u * (L->wx1 - L->wx0); }
static double wy(const Layout *L, double v) { return L->wy0 + v * (L->wy1 - L->wy0); }

static void layout_line(Layout *L, const PLFLT *x, const PLFLT *y, int n) {
  if (L->n_lines >= LAYOUT_LINES || n < 2) return;
  L->lx[L->n_lines] = x;
  L->ly[L->n_lines] = y;
  L->ln[L->n_lines++] = n;
}

static void layout_seg(Layout *L, double x0, double y0, double x1, double y1, int soft) {
  if (L->n_segs >= LAYOUT_SEGS) return;
  L->seg_soft[L->n_segs] = soft;
  double *s = L->seg[L->n_segs++];
  s[0] = x0;
  s[1] = y0;
  s[2] = x1;
  s[3] = y1;
}

static void layout_box(Layout *L, Box b) {
  if (L->n_boxes < LAYOUT_BOXES) L->box[L->n_boxes++] = b;
}

/* A marker of `scale` default character heights at a world point; other
 * markers' labels keep a character height away from it. */
static void layout_marker(Layout *L, double x, double y, double scale) {
  double r = 0.5 * scale * L->def_mm + L->ch_mm;
  double hx = r / L->mm_x, hy = r / L->mm_y;
  double u = nx(L, x), v = ny(L, y);
  layout_box(L, (Box){u - hx, v - hy, u + hx, v + hy});
}

/* Does the segment (normalised) cross the box? Liang-Barsky clipping. */
static int seg_hits(double x0, double y0, double x1, double y1, const Box *b) {
  if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1)) return 0;
  double t0 = 0.0, t1 = 1.0, dx = x1 - x0, dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - b->x0, b->x1 - x0, y0 - b->y0, b->y1 - y0};
  for (int i = 0; i < 4; i++) {
    if (p[i] == 0.0) {
      if (q[i] < 0.0) return 0;
    } else {
      double t = q[i] / p[i];
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

/* Do segments p0-p1 and q0-q1 (normalised) cross? */
static int seg_cross(double p0x, double p0y, double p1x, double p1y, double q0x, double q0y,
                     double q1x, double q1y) {
  if (!isfinite(q0x) || !isfinite(q0y) || !isfinite(q1x) || !isfinite(q1y)) return 0;
  double d1 = (q1x - q0x) * (p0y - q0y) - (q1y - q0y) * (p0x - q0x);
  double d2 = (q1x - q0x) * (p1y - q0y) - (q1y - q0y) * (p1x - q0x);
  double d3 = (p1x - p0x) * (q0y - p0y) - (p1y - p0y) * (q0x - p0x);
  double d4 = (p1x - p0x) * (q1y - p0y) - (p1y - p0y) * (q1x - p0x);
  return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0));
}

/* How many drawn lines a leader from (u0,v0) to (u1,v1) would cross. */
static int layout_crossings(const Layout *L, double u0, double v0, double u1, double v1) {
  int n = 0;
  for (int s = 0; s < L->n_segs; s++) {
    const double *g = L->seg[s];
    n += seg_cross(u0, v0, u1, v1, nx(L, g[0]), ny(L, g[1]), nx(L, g[2]), ny(L, g[3]));
  }
  for (int l = 0; l < L->n_lines; l++)
    for (int i = 0; i + 1 < L->ln[l]; i++)
      n += seg_cross(u0, v0, u1, v1, nx(L, L->lx[l][i]), ny(L, L->ly[l][i]),
                     nx(L, L->lx[l][i + 1]), ny(L, L->ly[l][i + 1]));
  return n;
}

/* Is box b inside the plot and clear of lines and boxes? Boxes holding the
 * label's own anchor (au, av) are its own marker's keep-out: not in the way;
 * with soft_ok, reference lines are not either (the label is knocked out of
 * them). */
static int layout_free_of(const Layout *L, Box b, double au, double av, int soft_ok) {
  if (b.x0 < 0.005 || b.x1 > 0.995 || b.y0 < 0.005 || b.y1 > 0.995) return 0;
  for (int i = 0; i < L->n_boxes; i++) {
    const Box *o = &L->box[i];
    if (au >= o->x0 && au <= o->x1 && av >= o->y0 && av <= o->y1) continue;
    if (b.x0 < o->x1 && o->x0 < b.x1 && b.y0 < o->y1 && o->y0 < b.y1) return 0;
  }
  for (int s = 0; s < L->n_segs; s++) {
    const double *g = L->seg[s];
    if (soft_ok && L->seg_soft[s]) continue;
    if (seg_hits(nx(L, g[0]), ny(L, g[1]), nx(L, g[2]), ny(L, g[3]), &b)) return 0;
  }
  for (int l = 0; l < L->n_lines; l++)
    for (int i = 0; i + 1 < L->ln[l]; i++)
      if (seg_hits(nx(L, L->lx[l][i]), ny(L, L->ly[l][i]), nx(L, L->lx[l][i + 1]),
                   ny(L, L->ly[l][i + 1]), &b))
        return 0;
  return 1;
}

static int layout_free(const Layout *L, Box b) { return layout_free_of(L, b, NAN, NAN, 0); }

/* Text extent estimate (mm) for the cairo sans font at character height ch:
 * measured about 0.68-0.71 of the height per character (digits, lower
 * case), so 0.72 keeps the boxes on the safe side. */
static double text_mm(const char *s, size_t len, double ch) {
  size_t n = 0;
  for (size_t i = 0; i < len && s[i]; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++; /* UTF-8 characters */
  return (double)n * 0.72 * ch;
}

/* A label: up to LABEL_LINES lines split at '\n'. */
typedef struct {
  int n;
  const char *line[LABEL_LINES];
  int len[LABEL_LINES];
  double w, h; /* normalised viewport units */
} Label;

static void label_split(const Layout *L, const char *text, Label *lb) {
  lb->n = 0;
  lb->w = 0.0;
  const char *p = text;
  while (lb->n < LABEL_LINES) {
    const char *e = strchr(p, '\n');
    int len = e ? (int)(e - p) : (int)strlen(p);
    lb->line[lb->n] = p;
    lb->len[lb->n++] = len;
    lb->w = fmax(lb->w, text_mm(p, (size_t)len, L->ch_mm) / L->mm_x);
    if (!e) break;
    p = e + 1;
  }
  lb->h = 1.35 * lb->n * L->ch_mm / L->mm_y;
}

/* White rectangle (normalised box) behind a label. */
static void knockout(const Layout *L, Box b) {
  PLFLT fx[4] = {wx(L, b.x0), wx(L, b.x1), wx(L, b.x1), wx(L, b.x0)};
  PLFLT fy[4] = {wy(L, b.y0), wy(L, b.y0), wy(L, b.y1), wy(L, b.y1)};
  plcol0(0);
  plfill(4, fx, fy);
  plcol0(COL_FG);
}

/* Keep later labels half a character clear of this one. */
static void layout_label_box(Layout *L, Box b) {
  double mx = 0.5 * L->ch_mm / L->mm_x, my = 0.5 * L->ch_mm / L->mm_y;
  layout_box(L, (Box){b.x0 - mx, b.y0 - my, b.x1 + mx, b.y1 + my});
}

/* Draw a label with its box centred vertically on v, justified at u; on a
 * white ground when `ko` (the spot is clear but for reference lines). */
static void label_draw(Layout *L, const Label *lb, double u, double v, double just, int ko) {
  double step = 1.35 * L->ch_mm / L->mm_y;
  Box b = {u - just * lb->w, v - 0.5 * lb->h, u + (1.0 - just) * lb->w, v + 0.5 * lb->h};
  if (ko) {
    double m = 0.15 * L->ch_mm / L->mm_y;
    knockout(L, (Box){b.x0 - m, b.y0 - m, b.x1 + m, b.y1 + m});
  }
  char buf[256];
  for (int k = 0; k < lb->n; k++) {
    snprintf(buf, sizeof buf, "%.*s", lb->len[k], lb->line[k]);
    double vk = v + 0.5 * (lb->n - 1) * step - k * step;
    plptex(wx(L, u), wy(L, vk), 1.0, 0.0, just, buf);
  }
  layout_label_box(L, b);
}

/* Horizontal label near a world point: right, left, above, below, at growing
 * distances; failing those, the free spot nearest the point anywhere in the
 * plot, tied to it by a thin leader line; failing that, right of it. */
static void label_point(Layout *L, double x, double y, const char *text) {
  static const double cand[][3] = {
      /* dx, dy (character heights, dy in label heights), justification */
      {1.0, 0.0, 0.0},  {-1.0, 0.0, 1.0},  {0.6, 0.8, 0.0},  {-0.6, 0.8, 1.0},
      {0.6, -0.8, 0.0}, {-0.6, -0.8, 1.0}, {0.0, 1.0, 0.5},  {0.0, -1.0, 0.5},
  };
  const double scale[] = {1.0, 1.6, 2.5};
  Label lb;
  label_split(L, text, &lb);
  double u = nx(L, x), v = ny(L, y);
  double hx = L->ch_mm / L->mm_x, hy = L->ch_mm / L->mm_y, m = 0.2 * hy;
  for (int soft_ok = 0; soft_ok <= 1; soft_ok++)
    for (size_t s = 0; s < sizeof scale / sizeof *scale; s++)
      for (size_t k = 0; k < sizeof cand / sizeof *cand; k++) {
        double j = cand[k][2];
        double tu = u + scale[s] * cand[k][0] * hx;
        double tv = v + scale[s] * cand[k][1] * (0.5 * lb.h + 0.6 * hy);
        Box b = {tu - j * lb.w - m, tv - 0.5 * lb.h - m, tu + (1.0 - j) * lb.w + m,
                 tv + 0.5 * lb.h + m};
        if (layout_free_of(L, b, u, v, soft_ok)) {
          label_draw(L, &lb, tu, tv, j, 1);
          return;
        }
      }
  /* anywhere: fewest lines crossed by the leader, then nearest */
  double best = INFINITY, bu = 0.0, bv = 0.0;
  double r0 = 0.8 * L->def_mm; /* the leader starts at the marker's edge */
  for (double tv = 0.02 + 0.5 * lb.h; tv + 0.5 * lb.h < 0.98; tv += 0.01)
    for (double tu = 0.01; tu + lb.w < 0.99; tu += 0.01) {
      Box b = {tu - m, tv - 0.5 * lb.h - m, tu + lb.w + m, tv + 0.5 * lb.h + m};
      double cu = fmin(fmax(u, b.x0), b.x1), cv = fmin(fmax(v, b.y0), b.y1);
      double d = hypot((cu - u) * L->mm_x, (cv - v) * L->mm_y);
      if (d >= best || !layout_free_of(L, b, u, v, 1)) continue;
      double f = d > r0 ? r0 / d : 1.0;
      double score = d + 1e3 * layout_crossings(L, u + f * (cu - u), v + f * (cv - v), cu, cv);
      if (score < best) {
        best = score;
        bu = tu;
        bv = tv;
      }
    }
  if (isfinite(best)) {
    double cu = fmin(fmax(u, bu), bu + lb.w), cv = fmin(fmax(v, bv - 0.5 * lb.h), bv + 0.5 * lb.h);
    if (hypot((cu - u) * L->mm_x, (cv - v) * L->mm_y) > 3.0 * L->ch_mm) { /* leader */
      plcol0(COL_GREY);
      pllsty(STY_SOLID);
      plwidth(0.8);
      pljoin(x, y, wx(L, cu), wy(L, cv));
      plwidth(1.0);
      plcol0(COL_FG);
    }
    label_draw(L, &lb, bu, bv, 0.0, 1);
    return;
  }
  label_draw(L, &lb, u + hx, v, 0.0, 0);
}

/* Label written upwards beside a vertical line at world x: right or left of
 * it, as high as it fits. */
static void label_vline(Layout *L, double x, const char *text) {
  double u = nx(L, x);
  double hx = L->ch_mm / L->mm_x, len = text_mm(text, strlen(text), L->ch_mm) / L->mm_y;
  double w = 1.3 * hx, m = 0.2 * hx;
  double bu = u + 0.9 * hx, bv = 0.97 - len;
  int found = 0;
  for (double v = 0.97 - len; v >= 0.02 && !found; v -= 0.02)
    for (int side = -1; side <= 1 && !found; side += 2) {
      double tu = u + side * 0.9 * hx;
      Box b = {tu - 0.5 * w - m, v - m, tu + 0.5 * w + m, v + len + m};
      if (layout_free(L, b)) {
        bu = tu;
        bv = v;
        found = 1;
      }
    }
  layout_label_box(L, (Box){bu - 0.5 * w, bv, bu + 0.5 * w, bv + len});
  plptex(wx(L, bu), wy(L, bv), 0.0, 1.0, 0.0, text);
}

/* Label just under (or over) a horizontal line at world y. */
static void label_hline(Layout *L, double y, const char *text) {
  static const double cand[][2] = {/* u, justification */
                                   {0.985, 1.0}, {0.015, 0.0}, {0.5, 0.5}, {0.75, 0.5}, {0.25, 0.5}};
  Label lb;
  label_split(L, text, &lb);
  double v = ny(L, y), hy = L->ch_mm / L->mm_y, m = 0.15 * hy;
  double off = 0.5 * lb.h + 0.25 * hy;
  for (int side = -1; side <= 1; side += 2)
    for (size_t k = 0; k < sizeof cand / sizeof *cand; k++) {
      double tu = cand[k][0], tv = v + side * off, j = cand[k][1];
      Box b = {tu - j * lb.w - m, tv - 0.5 * lb.h - m, tu + (1.0 - j) * lb.w + m,
               tv + 0.5 * lb.h + m};
      if (layout_free(L, b)) {
        label_draw(L, &lb, tu, tv, j, 1);
        return;
      }
    }
  label_draw(L, &lb, cand[0][0], v - off, cand[0][1], 0);
}

/* ---- drawing helpers ----------------------------------------------------- */

static void plot_begin(const char *path, FigureFormat fmt) {
  out_plot_watch();
  plsdev(out_plot_device(fmt));
  plsfnam(path);
  plsetopt("geometry", "1100x900");
  plscolbg(255, 255, 255);
  plscol0(COL_FG, 0, 0, 0);             /* axes and text: black */
  plscol0(COL_BLUE, 0, 114, 178);       /* colour-blind safe (Okabe-Ito) */
  plscol0(COL_RED, 213, 94, 0);
  plscol0(COL_ORANGE, 230, 159, 0);
  plscol0(COL_GREY, 90, 90, 90);
  plscol0(COL_GRID, 225, 225, 225);
  plinit();
  pladv(0);
}

/* Finish the page; EB_EFAIL (and no .tmp left) if PLplot complained. */
static int plot_end(const char *dir, const char *name, const char *path, char *err,
                    size_t err_size) {
  int rc = out_plot_end(path, err, err_size);
  return rc == EB_OK ? out_commit(dir, name, err, err_size) : rc;
}

/* Axes with a light grid behind the data. */
static void plot_axes(double x0, double x1, double y0, double y1) {
  plwind(x0, x1, y0, y1);
  plcol0(COL_GRID);
  pllsty(STY_SOLID);
  plwidth(1.0);
  plbox("g", 0.0, 0, "g", 0.0, 0);
  plcol0(COL_FG);
  plbox("bcnst", 0.0, 0, "bcnstv", 0.0, 0);
}

/* plline over each run of finite points (NaN = gap). */
static void draw_runs(int n, const PLFLT *x, const PLFLT *y) {
  int i = 0;
  while (i < n) {
    while (i < n && !(isfinite(x[i]) && isfinite(y[i]))) i++;
    int s = i;
    while (i < n && isfinite(x[i]) && isfinite(y[i])) i++;
    if (i - s >= 2) plline(i - s, x + s, y + s);
  }
}

static void draw_curve(int n, const PLFLT *x, const PLFLT *y, int colour, int style,
                       double width) {
  plcol0(colour);
  pllsty(style);
  plwidth(width);
  draw_runs(n, x, y);
  pllsty(STY_SOLID);
  plwidth(1.0);
}

static void draw_symbol(double x, double y, int colour, const char *sym, double scale) {
  PLFLT px = x, py = y;
  plcol0(colour);
  plschr(0.0, scale);
  plstring(1, &px, &py, sym);
  plschr(0.0, 1.0);
}

/* A "no data" note in the middle of an empty plot. */
static void no_data(double x0, double x1, double y0, double y1, const char *text) {
  plcol0(COL_GREY);
  plptex(0.5 * (x0 + x1), y0 + 0.7 * (y1 - y0), 1.0, 0.0, 0.5, text);
  plcol0(COL_FG);
}

/* One legend entry: a line sample (style 0: none), an optional symbol. */
typedef struct {
  const char *text;
  int col, sty;
  double width;
  const char *sym; /* NULL: none */
  int sym_col;
} LegendEntry;

/* Legend under the plot, clear of the x-axis label, in as many columns (up
 * to max_cols) as fit the page width; drawn in a viewport of its own, with
 * its own text metrics, so nothing overflows the page. The main viewport is
 * (vx0, vx1, vy0, _) in normalised page coordinates. */
static void legend_below(double vx0, double vx1, double vy0, const LegendEntry *e, int n,
                         int max_cols) {
  if (n <= 0) return;
  const double scale = 0.9;
  PLFLT sx0, sx1, sy0, sy1, def, ht;
  plgspa(&sx0, &sx1, &sy0, &sy1);
  plgchr(&def, &ht);
  double pw = sx1 - sx0, ph = sy1 - sy0, ch = scale * def;
  double sample = 4.0 * ch, gap = 0.8 * ch, spacing = 2.5 * ch, row = 1.7 * ch;
  double width = (vx1 - vx0) * pw, col_w = 0.0;
  int ncol = max_cols < 1 ? 1 : max_cols < n ? max_cols : n;
  for (; ncol >= 1; ncol--) {
    col_w = 0.0;
    for (int i = 0; i < n; i++)
      col_w = fmax(col_w, sample + gap + text_mm(e[i].text, strlen(e[i].text), ch) + spacing);
    if (ncol * col_w - spacing <= width || ncol == 1) break;
  }
  int nrow = (n + ncol - 1) / ncol;
  double total = fmin(ncol * col_w - spacing, width);
  double top = vy0 - 4.4 * def / ph; /* below tick labels and the x label */
  double bottom = top - nrow * row / ph;
  if (bottom < 0.005) bottom = 0.005;
  double left = vx0 + 0.5 * (width - total) / pw;
  plvpor(left, left + total / pw, bottom, top);
  plwind(0.0, total, (top - bottom) * ph - nrow * row, (top - bottom) * ph);
  double hgt = (top - bottom) * ph;
  plschr(0.0, scale);
  for (int i = 0; i < n; i++) {
    int r = i / ncol, k = i % ncol; /* row-major: reading order */
    double x0 = k * col_w, yc = hgt - (r + 0.5) * row;
    if (e[i].sty > 0) {
      PLFLT lx[2] = {x0, x0 + sample}, ly[2] = {yc, yc};
      plcol0(e[i].col);
      pllsty(e[i].sty);
      plwidth(e[i].width);
      plline(2, lx, ly);
      pllsty(STY_SOLID);
      plwidth(1.0);
    }
    if (e[i].sym) {
      PLFLT px = x0 + 0.5 * sample, py = yc;
      plcol0(e[i].sym_col);
      plstring(1, &px, &py, e[i].sym);
    }
    plcol0(COL_FG);
    plptex(x0 + sample + gap, yc, 1.0, 0.0, 0.0, e[i].text);
  }
  plschr(0.0, 1.0);
}

/* "100" or "156.6": whole numbers without a decimal. */
static void fmt_flow(char *buf, size_t size, double lpm) {
  if (fabs(lpm - round(lpm)) < 0.05)
    snprintf(buf, size, "%.0f", lpm);
  else
    snprintf(buf, size, "%.1f", lpm);
}

/* ---- coolant_path.png ---------------------------------------------------- */

static int path_png(const Case *c, const Registry *reg, const Result *r, const char *dir,
                    FigureFormat fmt, char *err, size_t err_size) {
  char name[64];
  out_figure_name(name, sizeof name, "coolant_path", fmt);
  int n = 0, nc = 0, nj = 0;
  PLFLT *x = out_values(reg, r, "path_position_mm", 0, &n);
  PLFLT *tc = out_values(reg, r, "path_coolant_c", 0, &nc);
  PLFLT *tj = out_values(reg, r, "path_junction_max_c", 0, &nj);
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
  double t_in = out_value(reg, r, "coolant_inlet_c");
  int has_in = isfinite(t_in);
  if (has_in) {
    ymin = fmin(ymin, t_in);
    ymax = fmax(ymax, t_in);
  }
  /* x: the whole wafer when the path lies on it, else the data */
  double size_mm = c->wafer_size_m * 1e3;
  if (!isfinite(xmin)) {
    xmin = 0.0;
    xmax = isfinite(size_mm) && size_mm > 0 ? size_mm : 1.0;
  } else if (isfinite(size_mm) && size_mm > 0 && xmin >= 0.0 && xmax <= size_mm * (1 + 1e-9)) {
    xmin = 0.0;
    xmax = size_mm;
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
  double span = fmax(ymax - ymin, 1.0);
  double y0 = ymin - 0.10 * span, y1 = ymax + 0.08 * span;

  int ch = Case_channel_layer(c);
  char dirc = ch >= 0 && (c->layers[ch].flow_direction == 'y') ? 'y' : 'x';
  int split = ch >= 0 && c->layers[ch].manifold == MANIFOLD_SPLIT;
  char xlab[96], title[256], inlet[64];
  snprintf(xlab, sizeof xlab, "distance along the flow, %c (mm)", dirc);
  snprintf(title, sizeof title, "%s: coolant and hottest junction along the flow%s", c->name,
           split ? " (centre inlet)" : "");
  snprintf(inlet, sizeof inlet, "inlet %.1f C", t_in);

  char path[1100];
  out_path(path, sizeof path, dir, name, 1);
  if (out_plot_preflight(path, fmt, err, err_size) != EB_OK) {
    free(x);
    free(tc);
    free(tj);
    return EB_EFAIL;
  }
  plot_begin(path, fmt);
  plvpor(VP_X0, VP_X1, VP_Y0_PATH, VP_Y1);
  plot_axes(xmin, xmax, y0, y1);
  pllab(xlab, "temperature (C)", title);
  Layout L;
  layout_init(&L, xmin, xmax, y0, y1);

  if (has_in) {
    PLFLT hx[2] = {xmin, xmax}, hy[2] = {t_in, t_in};
    draw_curve(2, hx, hy, COL_GREY, STY_DASH, 1.5);
    layout_seg(&L, xmin, t_in, xmax, t_in, 0);
  }
  if (has_c) {
    draw_curve(n, x, tc, COL_BLUE, STY_SOLID, 2.5);
    layout_line(&L, x, tc, n);
  }
  if (has_j) {
    draw_curve(n, x, tj, COL_RED, STY_SOLID, 2.5);
    layout_line(&L, x, tj, n);
  }
  plcol0(COL_FG);
  layout_text_scale(&L, 0.9);
  if (has_in) label_hline(&L, t_in, inlet);
  plschr(0.0, 1.0);
  if (!has_c && !has_j) no_data(xmin, xmax, y0, y1, "no temperatures along the flow in this result");

  LegendEntry leg[3];
  int nl = 0;
  if (has_c) leg[nl++] = (LegendEntry){"coolant (flow-weighted mean)", COL_BLUE, STY_SOLID, 2.5, NULL, 0};
  if (has_j)
    leg[nl++] = (LegendEntry){"hottest junction across the flow", COL_RED, STY_SOLID, 2.5, NULL, 0};
  if (has_in) leg[nl++] = (LegendEntry){inlet, COL_GREY, STY_DASH, 1.5, NULL, 0};
  legend_below(VP_X0, VP_X1, VP_Y0_PATH, leg, nl, 3);
  free(x);
  free(tc);
  free(tj);
  return plot_end(dir, name, path, err, err_size);
}

/* NaN after the first point at or below zero. */
static void cut_at_zero(int n, PLFLT *v) {
  int i = 0;
  while (i < n && !(isfinite(v[i]) && v[i] <= 0.0)) i++;
  for (i++; i < n; i++) v[i] = NAN;
}

/* ---- pump_curve.png ------------------------------------------------------ */

static int pump_png(const Case *c, const Registry *reg, const Result *r, const char *dir,
                    FigureFormat fmt, char *err, size_t err_size) {
  char name[64];
  out_figure_name(name, sizeof name, "pump_curve", fmt);
  int n = 0, ns = 0, np = 0, nlost = 0;
  PLFLT *q = out_values(reg, r, "curve_flow_lpm", 0, &n);
  PLFLT *sys = out_values(reg, r, "curve_system_kpa", 0, &ns);
  PLFLT *pump = out_values(reg, r, "curve_pumps_kpa", 0, &np);
  PLFLT *lost = out_values(reg, r, "curve_pumps_one_lost_kpa", 0, &nlost);
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
  cut_at_zero(n, pump);
  cut_at_zero(n, lost);
  int has_sys = 0, has_pump = 0, has_lost = 0;
  for (int i = 0; i < n; i++) {
    if (!isfinite(q[i])) continue;
    has_sys |= isfinite(sys[i]);
    has_pump |= isfinite(pump[i]);
    has_lost |= isfinite(lost[i]);
  }
  double case_q = out_value(reg, r, "coolant_flow_lpm");
  double case_dp = out_value(reg, r, "pressure_drop_kpa");
  double op_q = out_value(reg, r, "pump_flow_lpm"), op_dp = out_value(reg, r, "pump_pressure_kpa");
  double lost_q = out_value(reg, r, "one_pump_lost_flow_lpm");
  double lost_dp = out_value(reg, r, "one_pump_lost_pressure_kpa");
  double ref_q = 1.5 * out_value(reg, r, "power_w") * 1e-3;
  int has_case = isfinite(case_q) && case_q > 0;
  int has_case_pt = has_case && isfinite(case_dp);
  int has_op = has_pump && isfinite(op_q) && isfinite(op_dp);
  int has_lost_op = has_lost && isfinite(lost_q) && isfinite(lost_dp);
  int has_ref = isfinite(ref_q) && ref_q > 0;
  /* the case runs at the pumps' operating point: one marker, one label */
  int case_is_op = has_op && has_case_pt && fabs(case_q - op_q) <= 1e-3 * fmax(op_q, 1e-9);

  /* x: the sampled range, widened to show every marked flow */
  double xmax = 0.0;
  for (int i = 0; i < n; i++)
    if (isfinite(q[i]) && (isfinite(sys[i]) || isfinite(pump[i]))) xmax = fmax(xmax, q[i]);
  double pts[4] = {has_case ? case_q : 0.0, has_op ? op_q : 0.0, has_lost_op ? lost_q : 0.0,
                   has_ref ? ref_q : 0.0};
  for (int k = 0; k < 4; k++) xmax = fmax(xmax, 1.08 * pts[k]);
  if (!(xmax > 0.0) || !isfinite(xmax)) xmax = 1.0;
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
  ymax *= has_pump ? 1.18 : 1.12;
  if (!(ymax > 0.0) || !isfinite(ymax)) ymax = 1.0;

  char title[256], pumps_txt[96], lost_txt[96], case_txt[128], ref_txt[96];
  char op_txt[48], lost_op_txt[48], f[32];
  snprintf(title, sizeof title, "%s: loop pressure drop and pump curves", c->name);
  const char *arr = c->pump_series ? "series" : "parallel";
  const int running = Case_pumps_running(c);
  if (running >= 2)
    snprintf(pumps_txt, sizeof pumps_txt, "%d pumps in %s", running, arr);
  else
    snprintf(pumps_txt, sizeof pumps_txt, "pump");
  if (running - 1 >= 2)
    snprintf(lost_txt, sizeof lost_txt, "%d pumps in %s (one lost)", running - 1, arr);
  else
    snprintf(lost_txt, sizeof lost_txt, "1 pump (one lost)");
  fmt_flow(f, sizeof f, case_q);
  if (case_is_op)
    snprintf(case_txt, sizeof case_txt, "case flow %s L/min\ndP %.1f kPa", f, case_dp);
  else if (has_case_pt)
    snprintf(case_txt, sizeof case_txt, "case flow %s L/min\ndP %.1f kPa", f, case_dp);
  else
    snprintf(case_txt, sizeof case_txt, "case flow %s L/min", f);
  fmt_flow(f, sizeof f, ref_q);
  snprintf(ref_txt, sizeof ref_txt, "1.5 L/min/kW facility reference (%s L/min)", f);
  fmt_flow(f, sizeof f, op_q);
  snprintf(op_txt, sizeof op_txt, "%s L/min", f);
  fmt_flow(f, sizeof f, lost_q);
  snprintf(lost_op_txt, sizeof lost_op_txt, "%s L/min", f);

  char path[1100];
  out_path(path, sizeof path, dir, name, 1);
  if (out_plot_preflight(path, fmt, err, err_size) != EB_OK) {
    free(q);
    free(sys);
    free(pump);
    free(lost);
    return EB_EFAIL;
  }
  plot_begin(path, fmt);
  plvpor(VP_X0, VP_X1, VP_Y0_PUMP, VP_Y1);
  plot_axes(0.0, xmax, 0.0, ymax);
  pllab("flow (L/min)", "pressure (kPa)", title);
  Layout L;
  layout_init(&L, 0.0, xmax, 0.0, ymax);

  /* reference lines first, curves over them; the case's line drops from its
   * point on the loop curve to the axis (full height without a point) */
  if (has_ref) {
    PLFLT vx[2] = {ref_q, ref_q}, vy[2] = {0.0, ymax};
    draw_curve(2, vx, vy, COL_GREY, STY_DOT, 1.5);
    layout_seg(&L, ref_q, 0.0, ref_q, ymax, 1);
  }
  if (has_case) {
    double top = has_case_pt ? fmin(case_dp, ymax) : ymax;
    PLFLT vx[2] = {case_q, case_q}, vy[2] = {0.0, top};
    draw_curve(2, vx, vy, COL_GREY, STY_LONGDASH, 1.5);
    layout_seg(&L, case_q, 0.0, case_q, top, 1);
  }
  if (has_sys) {
    draw_curve(n, q, sys, COL_BLUE, STY_SOLID, 2.5);
    layout_line(&L, q, sys, n);
  }
  if (has_pump) {
    draw_curve(n, q, pump, COL_RED, STY_SOLID, 2.5);
    layout_line(&L, q, pump, n);
  }
  if (has_lost) {
    draw_curve(n, q, lost, COL_ORANGE, STY_DASH, 2.5);
    layout_line(&L, q, lost, n);
  }
  /* markers (the case's on top), then their labels around them */
  const double sym_scale = 1.1;
  if (has_op) {
    draw_symbol(op_q, op_dp, COL_RED, SYM_DOT, sym_scale);
    layout_marker(&L, op_q, op_dp, sym_scale);
  }
  if (has_lost_op) {
    draw_symbol(lost_q, lost_dp, COL_ORANGE, SYM_DOT, sym_scale);
    layout_marker(&L, lost_q, lost_dp, sym_scale);
  }
  if (has_case_pt) {
    draw_symbol(case_q, case_dp, COL_FG, SYM_DIAMOND, 0.9 * sym_scale);
    layout_marker(&L, case_q, case_dp, 0.9 * sym_scale);
  }
  plcol0(COL_FG);
  layout_text_scale(&L, 0.9);
  if (has_ref) label_vline(&L, ref_q, "1.5 L/min/kW");
  if (has_op && !case_is_op) label_point(&L, op_q, op_dp, op_txt);
  if (has_lost_op) label_point(&L, lost_q, lost_dp, lost_op_txt);
  if (has_case_pt)
    label_point(&L, case_q, case_dp, case_txt);
  else if (has_case)
    label_vline(&L, case_q, case_txt);
  plschr(0.0, 1.0);
  if (!has_sys && !has_pump) no_data(0.0, xmax, 0.0, ymax, "no loop curve in this result");

  LegendEntry leg[5];
  int nl = 0;
  if (has_sys) leg[nl++] = (LegendEntry){"loop pressure drop", COL_BLUE, STY_SOLID, 2.5, NULL, 0};
  if (has_pump)
    leg[nl++] = (LegendEntry){pumps_txt, COL_RED, STY_SOLID, 2.5, has_op ? SYM_DOT : NULL, COL_RED};
  if (has_lost)
    leg[nl++] = (LegendEntry){lost_txt, COL_ORANGE, STY_DASH, 2.5,
                              has_lost_op ? SYM_DOT : NULL, COL_ORANGE};
  if (has_case)
    leg[nl++] = (LegendEntry){case_is_op ? "case flow (at the pumps' operating point)"
                                         : "case flow",
                              COL_GREY, STY_LONGDASH, 1.5,
                              has_case_pt ? SYM_DIAMOND : NULL, COL_FG};
  if (has_ref) leg[nl++] = (LegendEntry){ref_txt, COL_GREY, STY_DOT, 1.5, NULL, 0};
  legend_below(VP_X0, VP_X1, VP_Y0_PUMP, leg, nl, 2);
  free(q);
  free(sys);
  free(pump);
  free(lost);
  return plot_end(dir, name, path, err, err_size);
}

int Output_write_loop_figures(const Case *c, const Registry *reg, const Result *r,
                              const char *dir, FigureFormat fmt, char *err, size_t err_size) {
  if (!r->part[RESULT_COOLANT]) return EB_OK; /* a transient's result: no loop evaluation */
  int rc = path_png(c, reg, r, dir, fmt, err, err_size);
  if (rc == EB_OK) rc = pump_png(c, reg, r, dir, fmt, err, err_size);
  return rc;
}
