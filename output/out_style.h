/* out_style.h - the one figure style of every ebsim plot (PLplot, cairo
 * drivers: PNG, PDF, SVG). Figures call these instead of choosing their own
 * colours, fonts, ranges and label places:
 *
 *  - page: white background, black frame and text; a title with the case
 *    name and a subtitle with the operating point (kW, L/min, inlet °C);
 *  - colours: colour map 0 holds the Okabe-Ito series colours (colour-blind
 *    safe, STYLE_SERIES of them, each series also with its own line style
 *    and symbol so that they differ in grey too), a grey for references, a
 *    dark red for limits, a light grid; colour map 1 is viridis
 *    (perceptually uniform) for every magnitude map;
 *  - colour range (style_color_range): never stretches a small spread over
 *    the whole map (the rule is written at STYLE_MIN_SPAN);
 *  - text: units as the registry gives them, typeset (°C, W/cm², µm) in
 *    UTF-8, which the cairo drivers render in PNG, PDF and SVG alike; no
 *    PLplot #u/#d escapes (their raised glyphs collide with tick labels);
 *  - axis labels from the registry's descriptions and units;
 *  - line plots: a light grid, limits as dashed dark-red lines, labels
 *    placed by StyleLayout (inside the frame, clear of curves, markers and
 *    each other, never clipped), legends under the frame (pllegend);
 *  - maps: die outlines as a dark line on a white halo (visible on every
 *    colour of the map), the flow's inlet, direction and outlet in a band
 *    beside the frame, markers drawn whole even on the frame's edge.
 */
#ifndef EBSIM_OUT_STYLE_H
#define EBSIM_OUT_STYLE_H

#include <stddef.h>

#include "output.h"

/* ---- colours (colour map 0) ------------------------------------------------ */

enum {
  STYLE_BG = 0,     /* white */
  STYLE_FG = 1,     /* black: frame, text */
  STYLE_BLUE,       /* Okabe-Ito: the series colours, in this order */
  STYLE_VERMILLION,
  STYLE_GREEN,      /* bluish green */
  STYLE_PURPLE,     /* reddish purple */
  STYLE_ORANGE,
  STYLE_SKY,        /* sky blue */
  STYLE_GREY,       /* references (inlet, facility point), secondary text */
  STYLE_GRID,       /* the light grid */
  STYLE_LIMIT,      /* limits: dark red */
  STYLE_HALO,       /* white halo under outlines and markers */
  STYLE_DARK,       /* die outlines, markers on maps */
  STYLE_SHADE,      /* light shading (beyond a limit, past boiling) */
  STYLE_LIMIT_SHADE, /* very light red: the side of a limit where it breaks */
  STYLE_NCOL
};
enum { STYLE_SERIES = 6 };
/* PLplot's predefined line styles (pllsty) */
enum { STYLE_SOLID = 1, STYLE_DOT = 2, STYLE_DASH = 3, STYLE_LONGDASH = 4, STYLE_DASHDOT = 8 };

/* Series i (0-based): its colour, line style and symbol (filled and open
 * glyphs; open = the same point breaking a limit). Repeats after
 * STYLE_SERIES. */
int style_series_colour(int i);
int style_series_line(int i);

/* The symbols for limits, in order (filled, open): a limit's marker along a
 * curve. STYLE_SYMBOLS of them; repeats after. */
enum { STYLE_SYMBOLS = 6 };
const char *style_symbol(int i, int open);
#define STYLE_SYM_FAIL "✖" /* a failed point */
/* A data marker of shape i (style_symbol's order: circle, square, triangle
 * up, triangle down, diamond, star), radius r_mm, filled in colour or open
 * (white inside, a coloured outline). Drawn as polygons, so that it sits
 * exactly on its point (glyphs sit a little off), whole on the frame's
 * edge. */
void style_marker(double x, double y, int shape, int open, int colour, double r_mm);
#define STYLE_SYM_REF "✚"  /* a reference point */

/* ---- the page ------------------------------------------------------------------ */

/* out_plot_begin (preflight, device, file), then the palette, viridis as
 * colour map 1 and a fresh page (pladv). geometry "WxH". */
int style_begin(const char *path, const char *geometry, FigureFormat fmt, char *err,
                size_t err_size);
/* End the page and rename dir/name.tmp (path) to dir/name. */
int style_end(const char *dir, const char *name, const char *path, char *err, size_t err_size);

/* Page size (mm) and the default character height (mm), after style_begin. */
typedef struct {
  double w, h, ch;
} StylePage;
StylePage style_page(void);

/* Title (and, if not empty, subtitle) centred at the top of the page,
 * shrunk to fit the page's width; returns the page height (normalised)
 * left under them. */
double style_titles(const char *title, const char *subtitle);

/* World window (x0..x1, y0..y1) on the current viewport, the light grid
 * (grid != 0) under a black frame with ticks and numbers. xopt/yopt: PLplot
 * plbox options for the frame ("bcnst", "bcnstv"). */
void style_axes(double x0, double x1, double y0, double y1, const char *xopt, const char *yopt,
                int grid);

/* Line over each run of finite points (NaN = gap). */
void style_curve(int n, const double *x, const double *y, int colour, int line, double width);
/* A UTF-8 symbol at a world point (character scale). */
void style_symbol_at(double x, double y, const char *sym, int colour, double scale);

/* Grow the current viewport by margin_mm on every side, world scale kept,
 * so that what is drawn next on the frame's edge is not clipped; restore
 * with style_unclip_end. */
typedef struct {
  double vx0, vx1, vy0, vy1, wx0, wx1, wy0, wy1;
} StyleView;
StyleView style_unclip_begin(double margin_mm);
void style_unclip_end(const StyleView *v);

/* ---- text -------------------------------------------------------------------- */

/* Width (mm) of UTF-8 text at character height ch_mm: the cairo sans font's
 * mean advance, on the wide side. */
double style_text_mm(const char *s, double ch_mm);
/* A registry unit typeset: "C" -> "°C", "W/cm^2" -> "W/cm²", "um" -> "µm",
 * "m^2" -> "m²", "1" -> "" (no unit); anything else as it is. */
const char *style_unit(const char *unit, char *buf, size_t size);
/* "Hottest junction temperature (°C)": the registered quantity's
 * description up to its first " (", ":", "," or ";", capitalised, and its
 * unit typeset (none for "1"). The name itself when not registered. */
void style_quantity_label(const Registry *reg, const char *name, char *buf, size_t size);
/* A number with `sig` significant digits, no exponent for 1e-4..1e6, no
 * trailing zeros after the point ("25", "32.5", "0.8167"). */
void style_number(char *buf, size_t size, double v, int sig);
/* "25 kW, 100 L/min (4.00 L/min/kW), inlet 21.0 °C": the parts that are
 * finite (power in kW, flow in L/min, inlet in °C). */
void style_operating_point(char *buf, size_t size, double power_kw, double flow_lpm,
                           double inlet_c);
/* The same from a result: power_w, coolant_flow_lpm, coolant_inlet_c. */
void style_result_operating_point(char *buf, size_t size, const Registry *reg, const Result *r);

/* Text with each temperature unit " C" (a space, C, then no letter) as
 * " °C": for texts made elsewhere ("inlet 21.0 C"). */
void style_celsius(const char *in, char *out, size_t size);

/* The case's limit on a registered quantity (e.g. "t_max_c"), in the
 * quantity's output unit: 1 and *value, *lower (1: a lower bound), *name
 * (the limit's key under limits:), or 0 when the case sets none. */
int style_case_limit(const Case *c, const char *quantity, double *value, int *lower,
                     const char **name);

/* Text wrapped to lines no wider than width_mm at character height ch_mm:
 * a new line after each "; ", words kept whole (a word wider than the
 * line gets a line of its own). Up to max lines of STYLE_LINE bytes into
 * lines, the last ending in an ellipsis when the text needs more; returns
 * the number of lines. */
enum { STYLE_LINE = 256 };
int style_wrap(const char *text, double width_mm, double ch_mm, char (*lines)[STYLE_LINE],
               int max);
/* The wrapped text centred at page x xc (normalised), its first line's
 * middle at page height y (normalised), at character scale `scale`, across
 * width_mm; returns the page height under the last line. */
double style_caption(const char *text, double xc, double y, double width_mm, double scale);
/* The page height (mm) style_caption needs. */
double style_caption_mm(const char *text, double width_mm, double scale);

/* ---- colour range ----------------------------------------------------------
 * The rule: a map's colour scale covers the data, widened when needed to at
 * least STYLE_MIN_SPAN of the data's level, the largest |value - ref| (ref:
 * the quantity's natural zero: the coolant inlet for temperatures, the set
 * point for a supply voltage, 0 for a flux or a strain). So a spread that is
 * x % of the level fills at most x / STYLE_MIN_SPAN of the colours: a 2 %
 * spread of a heat flux is 4 % of the colour bar, not all of it, and reads as
 * the near-uniform field it is, while a 21 % spread of the junction's rise
 * above the inlet fills 42 %. A widened scale is centred on the data. The
 * ends are then rounded out to whole tick steps (4 to 7 ticks), so both
 * ends of the colour bar carry a number. The figure states the data's range
 * and spread in words (style_spread_text). */
#define STYLE_MIN_SPAN 0.5
typedef struct {
  double lo, hi;     /* the colour scale */
  double step;       /* its tick step (lo, hi are multiples of it) */
  double dmin, dmax; /* the finite data */
  double ref, level; /* reference and the largest |value - ref| */
  int widened;       /* 1: the scale is wider than the data's range by the rule */
  int any;           /* 1: some finite value */
} StyleRange;
StyleRange style_color_range(const double *v, size_t n, double ref, double min_frac);
/* A "nice" tick step (1, 2, 2.5 or 5 x 10^k) giving about `ticks` ticks over span. */
double style_nice_step(double span, int ticks);
/* Decimals needed to write multiples of step. */
int style_step_decimals(double step);
/* "spread 1.12 W/cm² = 2 % of the largest, 56.8 W/cm²": the data's spread
 * (times scale, in unit) and its share of the level, with what the level
 * is (`of`, e.g. "the 29.6 K rise above the inlet"). */
void style_spread_text(char *buf, size_t size, const StyleRange *R, double scale,
                       const char *unit, const char *of);

/* Colour bar of range R in viridis in the page box (vx0..vx1, vy0..vy1,
 * normalised page coordinates): numbers at every tick on its right, label
 * (rotated) beyond them; the data's range bracketed on its left; a limit
 * (finite) within the scale drawn across it as a dashed line. */
void style_colorbar(const StyleRange *R, double vx0, double vx1, double vy0, double vy1,
                    const char *label, double limit);
/* Width (mm) the colour bar's numbers and label need right of the bar. */
double style_colorbar_text_mm(const StyleRange *R);

/* ---- maps -------------------------------------------------------------------- */

/* Die outlines on a map of size x size (world mm): a dark line over a white
 * halo, the wafer's edge too. */
void style_die_outlines(int columns, int rows, double size_mm);
/* Outline one die (1-based) in a contrasting colour on its halo. */
void style_die_box(int column, int row, int columns, int rows, double size_mm);
/* The hottest (or marked) location: a dark ring on a white halo with a
 * dot, radius r_mm, drawn whole also on the frame's edge. */
void style_map_marker(double x, double y, double r_mm);

/* The coolant's way across the wafer, in a band beside the frame (the
 * current viewport is the map's frame, world mm): flow along 'x' -> the band
 * above the frame, along 'y' -> right of it; split: inlet on the centre line,
 * outlets at both edges; single: inlet at 0, outlet at the far edge. Text:
 * "inlet 21.0 °C" and "outlet 24.7 °C" (NaN temperatures: none). band_mm is
 * the band's depth. */
void style_flow_band(char along, int split, double size_mm, double inlet_c, double outlet_c,
                     double band_mm);

/* ---- label placement ---------------------------------------------------------
 * Labels go inside the frame: first beside their anchor clear of every
 * curve, marker, segment and label already there; then beside it across a
 * reference line or a curve (on a white ground); then the nearest free spot
 * anywhere in the frame, tied to the anchor by a thin leader. Boxes are in
 * frame units (0..1 across the frame's width and height). */
enum { STYLE_LAYOUT_LINES = 24, STYLE_LAYOUT_SEGS = 48, STYLE_LAYOUT_BOXES = 96 };
typedef struct {
  double x0, y0, x1, y1;
} StyleBox;
typedef struct {
  double wx0, wx1, wy0, wy1; /* world window */
  double mm_x, mm_y;         /* frame size (mm) */
  double ch_mm;              /* label character height (mm) */
  int n_lines;               /* polylines (world, NaN = gap), not copied */
  const double *lx[STYLE_LAYOUT_LINES], *ly[STYLE_LAYOUT_LINES];
  int ln[STYLE_LAYOUT_LINES];
  int n_segs; /* segments (world); soft ones (references) may run under a label */
  double seg[STYLE_LAYOUT_SEGS][4];
  int seg_soft[STYLE_LAYOUT_SEGS];
  int n_boxes; /* markers and labels placed */
  StyleBox box[STYLE_LAYOUT_BOXES];
  int ground;      /* 1: every label on a white ground (on a colour map) */
  int knock_right; /* internal: the label being drawn is right-aligned */
} StyleLayout;

/* Pure geometry: a frame of mm_x x mm_y mm showing the world window, labels
 * of character height ch_mm. */
void style_layout_geometry(StyleLayout *L, double wx0, double wx1, double wy0, double wy1,
                           double mm_x, double mm_y, double ch_mm);
/* The same from PLplot's current viewport and character height (after
 * plvpor and plschr). */
void style_layout_init(StyleLayout *L, double wx0, double wx1, double wy0, double wy1);
void style_layout_line(StyleLayout *L, const double *x, const double *y, int n);
void style_layout_seg(StyleLayout *L, double x0, double y0, double x1, double y1, int soft);
/* A marker of radius r_mm at a world point: labels keep clear of it. */
void style_layout_marker(StyleLayout *L, double x, double y, double r_mm);
void style_layout_box(StyleLayout *L, StyleBox b);

/* Where a label of w_mm x h_mm goes for an anchor at world (x, y): its box
 * (frame units) in *out and the result: 1 beside the anchor, clear of
 * everything; 2 beside it across a curve or reference line (draw it on a
 * white ground); 3 somewhere else in the frame (draw a leader); 0 nowhere
 * free (the box is then beside the anchor, moved inside the frame). Every
 * box returned lies inside the frame when the label fits in it. Pure. */
int style_layout_find(const StyleLayout *L, double x, double y, double w_mm, double h_mm,
                      StyleBox *out);
/* Is box b inside the frame and clear of boxes, and of lines and segments
 * (soft segments and lines allowed when `cross` is set)? Boxes holding the
 * point (au, av) (frame units; NaN: none) are the anchor's own marker. */
int style_layout_free(const StyleLayout *L, StyleBox b, double au, double av, int cross);

/* Draw a label (lines split at '\n') at world (x, y) where style_layout_find
 * puts it, recorded so later labels keep clear; colour col. */
void style_label(StyleLayout *L, double x, double y, const char *text, int col);
/* A label along a horizontal line at world y (above or below it, against
 * the frame's right end first), or beside a vertical line at world x
 * (written upwards along it where that is clear, else across, beside the
 * line's top). */
void style_label_hline(StyleLayout *L, double y, const char *text, int col);
void style_label_vline(StyleLayout *L, double x, const char *text, int col);

/* ---- legends ------------------------------------------------------------------ */

typedef struct {
  const char *text;
  int col;         /* line, symbol or box colour */
  int line;        /* a line sample of this style; 0: none */
  double width;    /* its width */
  const char *sym; /* a symbol on the sample (UTF-8), NULL: none */
  int sym_col;
  double sym_scale; /* 0: 1 */
  int box;          /* 1: a filled box of colour col instead */
} StyleLegendEntry;
/* Rows the legend needs across width_mm (entries fill rows left to right). */
int style_legend_rows(const StyleLegendEntry *e, int n, double width_mm, double ch_mm);
/* Height (mm) of that many rows. */
double style_legend_height(int rows, double ch_mm);
/* The legend across page x vx0..vx1, its top at page height top
 * (normalised), each entry drawn by pllegend; returns the page height
 * (normalised) under it. */
double style_legend(const StyleLegendEntry *e, int n, double vx0, double vx1, double top);
/* The legend's character height (mm) on this page. */
double style_legend_ch(void);

#endif
