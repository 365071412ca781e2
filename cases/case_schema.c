/* case_schema.c - every key of a case file: one table row per key (type,
 * range, unit, default, where its SI value goes), plus the few rules that
 * involve several keys (stack structure, per-die weights, hotspots,
 * materials, scenarios). docs/case-reference.md documents these tables; a
 * test checks that every key here appears there. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "case_internal.h"

/* F_WORD stores enums through an int: make sure they are int-sized. */
_Static_assert(sizeof(LayerKind) == sizeof(int), "LayerKind must be int-sized");
_Static_assert(sizeof(PowerMap) == sizeof(int), "PowerMap must be int-sized");
_Static_assert(sizeof(FluidKind) == sizeof(int), "FluidKind must be int-sized");
_Static_assert(sizeof(DieModel) == sizeof(int), "DieModel must be int-sized");

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define RANGE(lo, hi) .min = (lo), .max = (hi)
#define OPEN_RANGE(lo, hi) .min = (lo), .max = (hi), .min_open = 1
#define RANGE_BELOW(lo, hi) .min = (lo), .max = (hi), .max_open = 1
#define ALWAYS .kinds = K_ALL
#define REQUIRED .kinds = K_ALL, .req = K_ALL

/* ---- word lists ------------------------------------------------------- */

static const char *const kind_w[] = {"solid", "microchannel", "interface", "brick_tiles",
                                     "convective", NULL};
const char *const *case_kind_words(void) { return kind_w; }
static const char *const power_map_w[] = {"uniform", "per_die", NULL};
static const char *const *power_map_words(void) { return power_map_w; }
static const char *const axis_w[] = {"x", "y", NULL};
static const char *const *axis_words(void) { return axis_w; }
static const char *const manifold_w[] = {"single", "split", NULL};
static const char *const *manifold_words(void) { return manifold_w; }
static const char *const cover_w[] = {"conducting", "adiabatic", NULL};
static const char *const *cover_words(void) { return cover_w; }
static const char *const fin_model_w[] = {"efficiency", "resolved", NULL};
static const char *const *fin_model_words(void) { return fin_model_w; }
static const char *const flow_source_w[] = {"fixed", "pumps", NULL};
static const char *const *flow_source_words(void) { return flow_source_w; }
static const char *const arrangement_w[] = {"parallel", "series", NULL};
static const char *const *arrangement_words(void) { return arrangement_w; }
static const char *const die_model_w[] = {"fixed", "electrical", NULL};
static const char *const *die_model_words(void) { return die_model_w; }
static const char *const feed_w[] = {"shared", "per_board", NULL};
static const char *const *feed_words(void) { return feed_w; }
static const char *const brick_mode_w[] = {"set_point", "ratio", NULL};
static const char *const *brick_mode_words(void) { return brick_mode_w; }
static const char *const contact_w[] = {"slip", "friction", NULL};
static const char *const *contact_words(void) { return contact_w; }
static const char *const face_coolant_w[] = {"fixed", "marched", NULL};
static const char *const *face_coolant_words(void) { return face_coolant_w; }

/* 1 if a --set made the node (rather than the file). */
static int made_by_set(const Ctx *x, int id) {
  return id > 0 && id < x->n_set_of && x->set_of[id] > 0;
}

/* The value of `key` in a mapping when a --set emptied it (`--set
 * coolant.flow_lpm=`, "use the default"), else 0: a rule that then finds
 * the key missing blames the override, not a line of the file. */
static int emptied_by_set(const Ctx *x, int map_id, const char *key) {
  int id = map_id ? ck_map_get(x, map_id, key, NULL) : 0;
  return id && ck_is_null(x, id) && made_by_set(x, id) ? id : 0;
}

/* The error for such a key (path [SECTION.]KEY): it has no default to use. */
static int emptied_error(Ctx *x, int id, const char *section, const char *key,
                         const char *instead) {
  size_t len = section ? ck_push(x, section) : strlen(x->path);
  ck_push(x, key);
  int rc = ck_error(x, id, "an empty value means \"use the default\", and %s has none: %s", key,
                    instead);
  ck_pop(x, len);
  return rc;
}

/* ---- lists of numbers --------------------------------------------------- */

/* A flow sequence of numbers ([1, 2, 3]) into the CaseList at f->off: 2 to
 * CASE_LIST_MAX values (or [] for none), each within the field's range. */
static int check_list(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)key_id;
  CaseList *l = (CaseList *)((char *)base + f->off);
  yaml_node_t *n = ck_node(x, value_id);
  char got[96];
  if (n->type != YAML_SEQUENCE_NODE)
    return ck_error(x, value_id, "expected a list of numbers like [10, 20, 30], got %s",
                    ck_describe(x, value_id, got, sizeof got));
  int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
  if (cnt == 1 || cnt > CASE_LIST_MAX)
    return ck_error(x, value_id, "expected 2 to %d numbers, got %d", CASE_LIST_MAX, cnt);
  for (int i = 0; i < cnt; i++) {
    int id = n->data.sequence.items.start[i];
    const char *t = ck_scalar(x, id);
    double v;
    if (!t || !ck_parse_number(t, &v) || v < f->min || (f->min_open && v == f->min) || v > f->max)
      return ck_error(x, id, "expected a number %s %g and <= %g%s%s, got %s",
                      f->min_open ? ">" : ">=", f->min, f->max,
                      f->unit ? " " : "", Unit_label(f->unit),
                      ck_describe(x, id, got, sizeof got));
    l->v[i] = Unit_to_si(f->unit, v);
  }
  l->n = cnt;
  return EB_OK;
}

static void dump_list(FILE *o, int indent, const char *key, const CaseList *l, Unit u) {
  fprintf(o, "%*s%s: [", indent, "", key);
  for (int i = 0; i < l->n; i++) {
    char num[40];
    case_fmt_double(num, sizeof num, Unit_from_si(u, l->v[i]));
    fprintf(o, "%s%s", i ? ", " : "", num);
  }
  fprintf(o, "]\n");
}
static void dump_flow_profile(FILE *o, int indent, const Case *c, const void *base) {
  (void)c;
  dump_list(o, indent, "flow_profile", &((const CaseLayer *)base)->flow_profile, U_NONE);
}
static void dump_curve_q(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  dump_list(o, indent, "curve_flow_lpm", &c->pump_curve_q, U_LPM);
}
static void dump_curve_dp(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  dump_list(o, indent, "curve_dp_kpa", &c->pump_curve_dp, U_KPA);
}
/* The dumps of the power path's lists (a DumpFn knows no field: one each). */
#define LIST_DUMP(fn, key, member, unit)                                                          \
  static void fn(FILE *o, int indent, const Case *c, const void *base) {                          \
    (void)base;                                                                                    \
    dump_list(o, indent, key, &c->member, unit);                                                   \
  }
LIST_DUMP(dump_vf_clock, "vf_clock", vf_clock, U_NONE)
LIST_DUMP(dump_vf_v, "vf_v", vf_v, U_V)
LIST_DUMP(dump_psu_eff_load, "efficiency_load", pd.psu_eff_load, U_NONE)
LIST_DUMP(dump_psu_eff, "efficiency", pd.psu_eff, U_NONE)
#undef LIST_DUMP
#define LAYER_LIST_DUMP(fn, key, member, unit)                                                    \
  static void fn(FILE *o, int indent, const Case *c, const void *base) {                          \
    (void)c;                                                                                       \
    dump_list(o, indent, key, &((const CaseLayer *)base)->member, unit);                          \
  }
LAYER_LIST_DUMP(dump_wall_h_table, "wall_h_table_w_m2k", wall_h_table, U_WM2K)
LAYER_LIST_DUMP(dump_h_eff_table, "h_eff_table_w_m2k", h_eff_table, U_WM2K)
LAYER_LIST_DUMP(dump_h_table_flow, "h_table_flow_lpm", h_table_flow, U_LPM)
LAYER_LIST_DUMP(dump_h_table_position, "h_table_position_mm", h_table_position, U_MM)
#undef LAYER_LIST_DUMP
static const Schema list_schema = {S_SEQ, .item = NULL, .what = "a list of numbers"};

/* Case_get: item i of a CaseList, in the field's unit. */
static int get_list(Nav *nv, const Field *f, const void *base, char **segs, int n,
                    CaseValue *out) {
  const CaseList *l = (const CaseList *)((const char *)base + f->off);
  int i = nav_item(nv, segs[0], l->n, NULL);
  if (i < 0 || nav_leaf(nv, n - 1))
    return EB_EINPUT;
  nav_number(out, Unit_from_si(f->unit, l->v[i]), f->unit);
  return EB_OK;
}

/* sweep: a list of --param texts, checked for shape here and parsed by the
 * sweep command (which knows the keys' ranges through the case reader). */
static int check_sweep(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  (void)key_id;
  Case *c = base;
  yaml_node_t *n = ck_node(x, value_id);
  char got[96];
  if (n->type != YAML_SEQUENCE_NODE)
    return ck_error(x, value_id,
                    "expected a list of parameters like [power.total_kw=25:40:5], got %s",
                    ck_describe(x, value_id, got, sizeof got));
  int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
  if (cnt > CASE_MAX_SWEEP)
    return ck_error(x, value_id, "at most %d sweep parameters, got %d", CASE_MAX_SWEEP, cnt);
  for (int i = 0; i < cnt; i++) {
    int id = n->data.sequence.items.start[i];
    const char *t = ck_scalar(x, id);
    if (!t || !strchr(t, '=') || *t == '=' || strlen(t) >= sizeof c->sweep[0])
      return ck_error(x, id,
                      "expected KEY=v1,v2,... or KEY=START:STOP:STEP, got %s (in a [...] list, "
                      "quote an item that holds commas, or write one item per line with '- ')",
                      ck_describe(x, id, got, sizeof got));
    snprintf(c->sweep[i], sizeof c->sweep[i], "%s", t);
  }
  c->n_sweep = cnt;
  return EB_OK;
}

static void dump_sweep(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  fprintf(o, "%*ssweep: [", indent, "");
  for (int i = 0; i < c->n_sweep; i++) { /* always quoted: items hold commas */
    fprintf(o, "%s\"", i ? ", " : "");
    for (const char *p = c->sweep[i]; *p; p++) {
      if (*p == '"' || *p == '\\') fputc('\\', o);
      fputc(*p, o);
    }
    fputc('"', o);
  }
  fprintf(o, "]\n");
}
static const Schema sweep_schema = {S_SEQ, .item = NULL, .what = "a list of sweep parameters"};

static int get_sweep(Nav *nv, const Field *f, const void *base, char **segs, int n,
                     CaseValue *out) {
  (void)f;
  const Case *c = base;
  int i = nav_item(nv, segs[0], c->n_sweep, NULL);
  if (i < 0 || nav_leaf(nv, n - 1))
    return EB_EINPUT;
  nav_text(out, c->sweep[i]);
  return EB_OK;
}

/* ---- wafer ------------------------------------------------------------ */

/* clang-format off */
static const Field dies_fields[] = {
    {.key = "columns", .type = F_INT, ALWAYS, RANGE(1, CASE_MAX_DIE_COLS), .def = 12,
     .off = offsetof(Case, die_columns)},
    {.key = "rows", .type = F_INT, ALWAYS, RANGE(1, CASE_MAX_DIE_ROWS), .def = 7,
     .off = offsetof(Case, die_rows)},
};
/* clang-format on */
static const Schema dies_schema = {S_MAP, dies_fields, N_OF(dies_fields), .what = "die grid"};

/* clang-format off */
static const Field wafer_fields[] = {
    {.key = "size_mm", .type = F_NUM, REQUIRED, RANGE(10, 500), .unit = U_MM,
     .off = offsetof(Case, wafer_size_m)},
    {.key = "dies", .type = F_MAP, ALWAYS, .sub = &dies_schema},
};
/* clang-format on */
static const Schema wafer_schema = {S_MAP, wafer_fields, N_OF(wafer_fields), .what = "wafer"};

/* ---- power: per-die weights ------------------------------------------ */

/* One weight; `off` 0 because the check is handed the weight's address.
 * Relative, but bounded: 32 x 32 weights of 1e308 sum to infinity and
 * every die's share to 0; 1e6 is a ratio no die map needs. */
static const Field weight_field = {.key = "weight", .type = F_NUM, ALWAYS, RANGE(0, 1e6)};

static int check_weight_row(Ctx *x, Case *c, int r, int row_id) {
  yaml_node_t *row = ck_node(x, row_id);
  int cols = c->die_columns;
  if (row->type != YAML_SEQUENCE_NODE ||
      row->data.sequence.items.top - row->data.sequence.items.start != cols) {
    char got[96];
    if (row->type == YAML_SEQUENCE_NODE)
      snprintf(got, sizeof got, "%d",
               (int)(row->data.sequence.items.top - row->data.sequence.items.start));
    else
      ck_describe(x, row_id, got, sizeof got);
    return ck_error(x, row_id, "expected a row of %d numbers (dies.columns), got %s", cols, got);
  }
  for (int j = 0; j < cols; j++) {
    size_t len = ck_push_index(x, j);
    int rc = ck_field(x, &weight_field, 0, row->data.sequence.items.start[j], &c->die_weight[r][j]);
    ck_pop(x, len);
    if (rc)
      return rc;
  }
  return EB_OK;
}

static int check_weights(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  Case *c = base;
  if (c->power_map != POWER_PER_DIE)
    return ck_error(x, key_id, "per_die_weights is only used with map: per_die");
  yaml_node_t *n = ck_node(x, value_id);
  int rows = c->die_rows;
  int got_rows = n->type == YAML_SEQUENCE_NODE
                     ? (int)(n->data.sequence.items.top - n->data.sequence.items.start)
                     : -1;
  if (got_rows != rows) {
    char got[96];
    if (got_rows >= 0)
      snprintf(got, sizeof got, "%d row%s", got_rows, got_rows == 1 ? "" : "s");
    else
      ck_describe(x, value_id, got, sizeof got);
    return ck_error(x, value_id,
                    "expected %d rows (dies.rows) of %d numbers (dies.columns), first row at "
                    "the smallest y; got %s",
                    rows, c->die_columns, got);
  }
  double sum = 0;
  for (int r = 0; r < rows; r++) {
    size_t len = ck_push_index(x, r);
    int rc = check_weight_row(x, c, r, n->data.sequence.items.start[r]);
    ck_pop(x, len);
    if (rc)
      return rc;
    for (int j = 0; j < c->die_columns; j++)
      sum += c->die_weight[r][j];
  }
  if (!(sum > 0))
    return ck_error(x, value_id, "all weights are 0; at least one must be > 0");
  return EB_OK;
}

static void dump_weights(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  if (c->power_map != POWER_PER_DIE)
    return; /* the key is an error with map: uniform */
  fprintf(o, "%*sper_die_weights:  # first row at the smallest y\n", indent, "");
  for (int r = 0; r < c->die_rows; r++) {
    fprintf(o, "%*s- [", indent + 2, "");
    for (int j = 0; j < c->die_columns; j++) {
      char num[40];
      case_fmt_double(num, sizeof num, c->die_weight[r][j]);
      fprintf(o, "%s%s", j ? ", " : "", num);
    }
    fprintf(o, "]\n");
  }
}

static const Schema weight_row_schema = {S_SEQ, .item = NULL, .what = "a row of weights"};
static const Schema weights_schema = {S_SEQ, .item = &weight_row_schema,
                                      .what = "a sequence of rows of weights"};

/* Case_get: per_die_weights.ROW.COL. With map: uniform the key is absent
 * from the case (weights are all 1 inside); Case_set leaves that to the
 * validator, which words it as --set on such a file does. */
static int get_weights(Nav *nv, const Field *f, const void *base, char **segs, int n,
                       CaseValue *out) {
  (void)f;
  const Case *c = base;
  if (c->power_map != POWER_PER_DIE)
    return nav_for_set(nv) ? nav_defer(nv)
                           : nav_error(nv, "per_die_weights is only used with map: per_die");
  int r = nav_item(nv, segs[0], c->die_rows, NULL);
  if (r < 0)
    return EB_EINPUT;
  if (n == 1)
    return nav_whole(nv, &weight_row_schema);
  int j = nav_item(nv, segs[1], c->die_columns, NULL);
  if (j < 0 || nav_leaf(nv, n - 2))
    return EB_EINPUT;
  nav_number(out, c->die_weight[r][j], U_NONE);
  return EB_OK;
}

/* ---- power: hotspots ---------------------------------------------------- */

typedef struct {
  double x, y, w, h, flux; /* SI */
} HotspotIn;

/* clang-format off */
static const Field hotspot_fields[] = {
    {.key = "x_mm", .type = F_NUM, REQUIRED, RANGE(0, 0), .range = R_WAFER, .unit = U_MM,
     .off = offsetof(HotspotIn, x)},
    {.key = "y_mm", .type = F_NUM, REQUIRED, RANGE(0, 0), .range = R_WAFER, .unit = U_MM,
     .off = offsetof(HotspotIn, y)},
    /* >= 10 um: hotspot edges become grid lines, and a circuit block is
     * larger; a narrower one would only make a sliver cell */
    {.key = "width_mm", .type = F_NUM, REQUIRED, RANGE(0.01, 0), .range = R_WAFER, .unit = U_MM,
     .off = offsetof(HotspotIn, w)},
    {.key = "height_mm", .type = F_NUM, REQUIRED, RANGE(0.01, 0), .range = R_WAFER, .unit = U_MM,
     .off = offsetof(HotspotIn, h)},
    /* >= 0.001 W/cm^2 (10 W/m^2): a flux below it makes no heat worth a
     * hotspot (a cold spot under the background is still allowed) */
    {.key = "flux_w_cm2", .type = F_NUM, REQUIRED, RANGE(0.001, 10000), .unit = U_WCM2,
     .off = offsetof(HotspotIn, flux)},
};
/* clang-format on */
static const Schema hotspot_schema = {S_MAP, hotspot_fields, N_OF(hotspot_fields),
                                      .what = "hotspot"};
static const Schema hotspots_schema = {S_SEQ, .item = &hotspot_schema,
                                       .what = "a sequence of hotspots"};

static void edges_si(double centre_m, double size_m, double *lo, double *hi) {
  *lo = centre_m - 0.5 * size_m;
  *hi = centre_m + 0.5 * size_m;
}

void case_hotspot_edges(double centre_mm, double size_mm, double *lo_m, double *hi_m) {
  edges_si(Unit_to_si(U_MM, centre_mm), Unit_to_si(U_MM, size_mm), lo_m, hi_m);
}

enum { NEAR_ULPS = 4, ROUNDINGS = 15, N_CANDS = 2 * NEAR_ULPS + 1 + ROUNDINGS };

/* Candidates for a value known up to round-off: a few ulps either side of
 * v (the middle one is v), and v rounded to 1..15 significant digits (the
 * size of a 6 mm hotspot at 171 mm comes back 5 ulps off 6). */
static void near_values(double v, double *c) {
  c[NEAR_ULPS] = v;
  for (int i = 1; i <= NEAR_ULPS; i++) {
    c[NEAR_ULPS + i] = nextafter(c[NEAR_ULPS + i - 1], INFINITY);
    c[NEAR_ULPS - i] = nextafter(c[NEAR_ULPS - i + 1], -INFINITY);
  }
  for (int p = 1; p <= ROUNDINGS; p++) {
    char buf[40];
    snprintf(buf, sizeof buf, "%.*g", p, v);
    c[2 * NEAR_ULPS + p] = strtod(buf, NULL);
  }
}

/* Length of v's text, computed once (0: not yet): formatting is the cost. */
static size_t text_len(double v, size_t *len) {
  if (!*len) {
    char buf[40];
    case_fmt_double(buf, sizeof buf, v);
    *len = strlen(buf);
  }
  return *len;
}

void case_hotspot_centre(double lo_m, double hi_m, double *centre_mm, double *size_mm) {
  /* A (centre, size) pair that the reader maps back to exactly (lo, hi);
   * the shortest text wins. */
  double cs[N_CANDS], ws[N_CANDS];
  size_t cl[N_CANDS] = {0}, wl[N_CANDS] = {0};
  near_values(Unit_from_si(U_MM, 0.5 * (lo_m + hi_m)), cs);
  near_values(Unit_from_si(U_MM, hi_m - lo_m), ws);
  *centre_mm = cs[NEAR_ULPS];
  *size_mm = ws[NEAR_ULPS];
  size_t best = 1000;
  for (int i = 0; i < N_CANDS; i++)
    for (int j = 0; j < N_CANDS; j++) {
      double lo, hi;
      case_hotspot_edges(cs[i], ws[j], &lo, &hi);
      if (lo != lo_m || hi != hi_m)
        continue;
      size_t len = text_len(cs[i], &cl[i]) + text_len(ws[j], &wl[j]);
      if (len < best) {
        best = len;
        *centre_mm = cs[i];
        *size_mm = ws[j];
      }
    }
}

/* Case_get: a hotspot's keys as the file gives them (centre and size),
 * from the stored edges by the inverse the dump uses. */
static int get_hotspots(Nav *nv, const Field *f, const void *base, char **segs, int n,
                        CaseValue *out) {
  (void)f;
  const Case *c = base;
  int i = nav_item(nv, segs[0], c->n_hotspots, NULL);
  if (i < 0)
    return EB_EINPUT;
  if (n == 1)
    return nav_whole(nv, &hotspot_schema);
  const CaseHotspot *hs = &c->hotspots[i];
  double cx, cy, w, h;
  case_hotspot_centre(hs->x0_m, hs->x1_m, &cx, &w);
  case_hotspot_centre(hs->y0_m, hs->y1_m, &cy, &h);
  HotspotIn in = {Unit_to_si(U_MM, cx), Unit_to_si(U_MM, cy), Unit_to_si(U_MM, w),
                  Unit_to_si(U_MM, h), hs->flux_w_m2};
  return nav_map(nv, &hotspot_schema, &in, K_SOLID, segs + 1, n - 1, out);
}

static int check_hotspot(Ctx *x, Case *c, int item_id) {
  HotspotIn h;
  int rc = ck_map(x, item_id, item_id, &hotspot_schema, &h);
  if (rc)
    return rc;
  CaseHotspot *hs = &c->hotspots[c->n_hotspots];
  edges_si(h.x, h.w, &hs->x0_m, &hs->x1_m);
  edges_si(h.y, h.h, &hs->y0_m, &hs->y1_m);
  hs->flux_w_m2 = h.flux;
  double size = c->wafer_size_m;
  if (hs->x0_m < 0 || hs->y0_m < 0 || hs->x1_m > size || hs->y1_m > size)
    return ck_error(x, item_id,
                    "the hotspot spans x %.6g to %.6g mm, y %.6g to %.6g mm; it must lie inside "
                    "the wafer, 0 to %.6g mm (x_mm, y_mm are its centre)",
                    hs->x0_m * 1e3, hs->x1_m * 1e3, hs->y0_m * 1e3, hs->y1_m * 1e3, size * 1e3);
  c->n_hotspots++;
  return EB_OK;
}

/* Hotspots may touch but not overlap: a cell under two of them would take
 * one flux and drop the other (the order would decide the answer), and
 * the power check would count the overlap twice. The last hotspot read
 * against the ones before it; the error names both and the overlap. */
/* A value of hotspot `item` a --set gave (its place or size), else 0. */
static int hotspot_set_value(const Ctx *x, int item) {
  static const char *const keys[] = {"x_mm", "y_mm", "width_mm", "height_mm"};
  for (int k = 0; k < 4; k++) {
    int id = ck_map_get(x, item, keys[k], NULL);
    if (made_by_set(x, id)) return id;
  }
  return 0;
}

static int hotspot_overlap(Ctx *x, const Case *c, int seq_id) {
  const int i = c->n_hotspots - 1;
  const yaml_node_item_t *items = ck_node(x, seq_id)->data.sequence.items.start;
  const int item_id = items[i];
  const CaseHotspot *a = &c->hotspots[i];
  for (int j = 0; j < i; j++) {
    const CaseHotspot *b = &c->hotspots[j];
    double x0 = fmax(a->x0_m, b->x0_m), x1 = fmin(a->x1_m, b->x1_m);
    double y0 = fmax(a->y0_m, b->y0_m), y1 = fmin(a->y1_m, b->y1_m);
    if (!(x0 < x1 && y0 < y1)) continue;
    /* at the override that moved one of them, if one did, else at the later one */
    int at = hotspot_set_value(x, item_id);
    if (!at) at = hotspot_set_value(x, items[j]);
    return ck_error(x, at ? at : item_id,
                    "hotspots %d and %d overlap over x %.6g to %.6g mm, y %.6g to %.6g mm; "
                    "hotspots may touch but not overlap (a cell takes one flux): move or "
                    "resize one, or split them into rectangles that do not overlap",
                    j, i, x0 * 1e3, x1 * 1e3, y0 * 1e3, y1 * 1e3);
  }
  return EB_OK;
}

static int check_hotspots(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  (void)key_id;
  Case *c = base;
  yaml_node_t *n = ck_node(x, value_id);
  if (n->type != YAML_SEQUENCE_NODE) {
    char got[96];
    return ck_error(x, value_id, "expected a sequence of hotspots, got %s",
                    ck_describe(x, value_id, got, sizeof got));
  }
  int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
  for (int i = 0; i < count; i++) {
    int item = n->data.sequence.items.start[i];
    size_t len = ck_push_index(x, i);
    int rc = i >= CASE_MAX_HOTSPOTS
                 ? ck_error(x, item, "too many hotspots: at most %d", CASE_MAX_HOTSPOTS)
                 : check_hotspot(x, c, item);
    if (rc == EB_OK)
      rc = hotspot_overlap(x, c, value_id);
    ck_pop(x, len);
    if (rc)
      return rc;
  }
  return EB_OK;
}

static void dump_hotspots(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  fprintf(o, "%*shotspots:%s\n", indent, "", c->n_hotspots ? "" : " []");
  for (int i = 0; i < c->n_hotspots; i++) {
    const CaseHotspot *h = &c->hotspots[i];
    double v[5];
    case_hotspot_centre(h->x0_m, h->x1_m, &v[0], &v[2]);
    case_hotspot_centre(h->y0_m, h->y1_m, &v[1], &v[3]);
    v[4] = Unit_from_si(U_WCM2, h->flux_w_m2);
    char s[5][40];
    for (int k = 0; k < 5; k++)
      case_fmt_double(s[k], sizeof s[k], v[k]);
    fprintf(o, "%*s- {x_mm: %s, y_mm: %s, width_mm: %s, height_mm: %s, flux_w_cm2: %s}\n",
            indent + 2, "", s[0], s[1], s[2], s[3], s[4]);
  }
}

/* ---- power ------------------------------------------------------------ */

/* The V(f) table: both lists, the same length, clocks rising. */
static int vf_rules(Ctx *x, int map_id, const Case *c) {
  int el = ck_map_get(x, map_id, "electrical", NULL);
  int where = el ? el : map_id;
  size_t len = ck_push(x, "electrical");
  int rc = EB_OK;
  if (c->vf_clock.n != c->vf_v.n)
    rc = ck_error(x, where, "vf_clock has %d points and vf_v %d; give both with the same length",
                  c->vf_clock.n, c->vf_v.n);
  for (int i = 1; rc == EB_OK && i < c->vf_clock.n; i++)
    if (!(c->vf_clock.v[i] > c->vf_clock.v[i - 1]))
      rc = ck_error(x, ck_map_get(x, el, "vf_clock", NULL),
                    "vf_clock must rise from point to point (point %d)", i + 1);
  ck_pop(x, len);
  return rc;
}

/* Rules between power keys, once all are read. */
static int power_finish(Ctx *x, int map_id, int where_id, void *base) {
  Case *c = base;
  if (c->die_model == DIE_POWER_FIXED && c->clock != 1.0) {
    size_t len = ck_push(x, "clock");
    int rc = ck_error(x, ck_map_get(x, map_id, "clock", NULL),
                      "the clock scales the dynamic power of the die electrical model: set "
                      "power.die_model: electrical (with power.electrical), or leave clock at 1");
    ck_pop(x, len);
    return rc;
  }
  int vf = vf_rules(x, map_id, c);
  if (vf != EB_OK)
    return vf;
  int wv = ck_map_get(x, map_id, "per_die_weights", NULL);
  if (c->power_map == POWER_PER_DIE && (!wv || ck_is_null(x, wv)))
    return ck_error(x, where_id,
                    "missing required key 'per_die_weights' (%d rows of %d numbers) for map: "
                    "per_die",
                    c->die_rows, c->die_columns);
  if (c->power_map == POWER_UNIFORM)
    for (int r = 0; r < c->die_rows; r++)
      for (int j = 0; j < c->die_columns; j++)
        c->die_weight[r][j] = 1.0;
  double p = 0;
  for (int i = 0; i < c->n_hotspots; i++) {
    const CaseHotspot *h = &c->hotspots[i];
    p += h->flux_w_m2 * (h->x1_m - h->x0_m) * (h->y1_m - h->y0_m);
  }
  if (c->n_hotspots > 0 && !(p < c->power_w)) {
    int key_id = 0;
    ck_map_get(x, map_id, "hotspots", &key_id);
    size_t len = ck_push(x, "hotspots");
    int rc = ck_error(x, key_id,
                      "the hotspots alone make %.6g kW (flux x area, summed), which must be "
                      "less than total_kw = %.6g kW",
                      p / 1e3, c->power_w / 1e3);
    ck_pop(x, len);
    return rc;
  }
  return EB_OK;
}

/* The die electrical model [E: the form; the numbers are the case's]:
 * dynamic power C V^2 f (scaled by the clock and (V / v_nominal)^2) and
 * leakage growing exponentially with junction temperature (doubling every
 * leakage_doubling_k) and as a power of the voltage. */
/* clang-format off */
static const Field electrical_fields[] = {
    {.key = "dynamic_share", .type = F_NUM, ALWAYS, RANGE(0, 1), .def = 0.7,
     .off = offsetof(Case, dynamic_share)},
    /* >= 0.1 V: no CMOS logic switches below it; the power scales as V^2 */
    {.key = "v_nominal_v", .type = F_NUM, ALWAYS, RANGE(0.1, 5), .unit = U_V, .def = 0.85,
     .off = offsetof(Case, v_nominal_v)},
    {.key = "leakage_ref_c", .type = F_NUM, ALWAYS, RANGE(-50, 200), .unit = U_C, .def = 60,
     .off = offsetof(Case, leakage_ref_k)},
    /* >= 1 K: 2^(dT / T_double) overflows for a smaller one (measured
     * silicon doubles every 10-30 K) */
    {.key = "leakage_doubling_k", .type = F_NUM, ALWAYS, RANGE(1, 1000), .unit = U_K,
     .def = 25, .off = offsetof(Case, leakage_doubling_k)},
    {.key = "leakage_v_exponent", .type = F_NUM, ALWAYS, RANGE(0, 10), .def = 3,
     .off = offsetof(Case, leakage_v_exponent)},
    /* clocks >= 0.01 (as power.clock), voltages >= 0.1 V (as v_nominal_v) */
    {.key = "vf_clock", .type = F_CUSTOM, ALWAYS, RANGE(0.01, 10), .sub = &list_schema,
     .check = check_list, .dump = dump_vf_clock, .get = get_list, .off = offsetof(Case, vf_clock)},
    {.key = "vf_v", .type = F_CUSTOM, ALWAYS, RANGE(0.1, 5), .unit = U_V, .sub = &list_schema,
     .check = check_list, .dump = dump_vf_v, .get = get_list, .off = offsetof(Case, vf_v)},
};
/* clang-format on */
static const Schema electrical_schema = {S_MAP, electrical_fields, N_OF(electrical_fields),
                                         .what = "die electrical model"};

/* clang-format off */
static const Field power_fields[] = {
    /* >= 1 W: below it the temperature rises are round-off and the energy
     * balance has nothing to close on */
    {.key = "total_kw", .type = F_NUM, REQUIRED, RANGE(0.001, 1000), .unit = U_KW,
     .off = offsetof(Case, power_w)},
    {.key = "map", .type = F_WORD, ALWAYS, .words = power_map_words, .def = POWER_UNIFORM,
     .off = offsetof(Case, power_map)},
    {.key = "per_die_weights", .type = F_CUSTOM, ALWAYS, .sub = &weights_schema,
     .check = check_weights, .dump = dump_weights, .get = get_weights},
    {.key = "hotspots", .type = F_CUSTOM, ALWAYS, .sub = &hotspots_schema, .check = check_hotspots,
     .dump = dump_hotspots, .get = get_hotspots},
    {.key = "die_model", .type = F_WORD, ALWAYS, .words = die_model_words, .def = DIE_POWER_FIXED,
     .off = offsetof(Case, die_model)},
    /* >= 0.01: one percent of nominal is an idle die; the dynamic power
     * is meaningless below it */
    {.key = "clock", .type = F_NUM, ALWAYS, RANGE(0.01, 10), .def = 1,
     .off = offsetof(Case, clock)},
    {.key = "electrical", .type = F_MAP, ALWAYS, .sub = &electrical_schema},
};
/* clang-format on */
static const Schema power_schema = {S_MAP, power_fields, N_OF(power_fields), .finish = power_finish,
                                    .what = "power"};

/* ---- stack ------------------------------------------------------------ */

#define K_MATERIAL (K_SOLID | K_CHANNEL | K_BRICK)
/* clang-format off */
static const Field layer_fields[] = {
    {.key = "name", .type = F_NAME, REQUIRED, .cap = CASE_NAME_LEN,
     .off = offsetof(CaseLayer, name)},
    {.key = "kind", .type = F_WORD, ALWAYS, .words = case_kind_words, .def = LAYER_SOLID,
     .off = offsetof(CaseLayer, kind)},
    /* default per kind (copper, brick) is set by check_layer */
    {.key = "material", .type = F_SOLID, .kinds = K_MATERIAL, .req = K_SOLID, .cap = MAT_NAME_LEN,
     .off = offsetof(CaseLayer, material)},
    /* thicknesses >= 1 um: a thinner film conducts through its contact, not
     * its bulk (an interface layer models it), and a cell that thin only
     * spoils the conditioning of the solve */
    {.key = "thickness_mm", .type = F_NUM, .kinds = K_SOLID | K_BRICK, .req = K_SOLID | K_BRICK,
     RANGE(0.001, 200), .unit = U_MM, .off = offsetof(CaseLayer, thickness_m)},
    {.key = "base_thickness_mm", .type = F_NUM, .kinds = K_CHANNEL, .req = K_CHANNEL,
     RANGE(0.001, 50), .unit = U_MM, .off = offsetof(CaseLayer, thickness_m)},
    /* lateral sizes >= 10 um: their edges become grid lines (as hotspots) */
    {.key = "size_x_mm", .type = F_NUM, .kinds = K_SOLID, RANGE(0.01, 0), .range = R_WAFER,
     .unit = U_MM, .zero_unset = 1, .off = offsetof(CaseLayer, size_x_m)},
    {.key = "size_y_mm", .type = F_NUM, .kinds = K_SOLID, RANGE(0.01, 0), .range = R_WAFER,
     .unit = U_MM, .zero_unset = 1, .off = offsetof(CaseLayer, size_y_m)},
    {.key = "heat_source", .type = F_BOOL, .kinds = K_SOLID, .def = 0,
     .off = offsetof(CaseLayer, heat_source)},
    /* channel and fin sizes >= 1 um: the continuum duct correlations hold
     * down to some 10 um channels; nothing is cut or etched finer */
    {.key = "channel_width_mm", .type = F_NUM, .kinds = K_CHANNEL, .req = K_CHANNEL,
     RANGE(0.001, 50), .unit = U_MM, .off = offsetof(CaseLayer, channel_width_m)},
    {.key = "channel_height_mm", .type = F_NUM, .kinds = K_CHANNEL, .req = K_CHANNEL,
     RANGE(0.001, 50), .unit = U_MM, .off = offsetof(CaseLayer, channel_height_m)},
    {.key = "fin_thickness_mm", .type = F_NUM, .kinds = K_CHANNEL, .req = K_CHANNEL,
     RANGE(0.001, 50), .unit = U_MM, .off = offsetof(CaseLayer, fin_thickness_m)},
    {.key = "flow_direction", .type = F_WORD, .kinds = K_CHANNEL | K_CONV, .words = axis_words,
     .store_char = 1, .def = 0, .off = offsetof(CaseLayer, flow_direction)},
    {.key = "manifold", .type = F_WORD, .kinds = K_CHANNEL, .words = manifold_words,
     .def = MANIFOLD_SINGLE, .off = offsetof(CaseLayer, manifold)},
    {.key = "cover", .type = F_WORD, .kinds = K_CHANNEL, .words = cover_words,
     .def = COVER_CONDUCTING, .off = offsetof(CaseLayer, cover)},
    {.key = "fin_model", .type = F_WORD, .kinds = K_CHANNEL, .words = fin_model_words,
     .def = FIN_EFFICIENCY, .off = offsetof(CaseLayer, fin_model)},
    /* default 1 mm: the copper lid bonded to the fin tips in the stored
     * OpenFOAM reference of this plate (docs/validation.md section 3,
     * tests/reference/make_cases.py); >= 1 um as every thickness */
    {.key = "cover_thickness_mm", .type = F_NUM, .kinds = K_CHANNEL, RANGE(0.001, 50), .def = 1.0,
     .unit = U_MM, .off = offsetof(CaseLayer, cover_thickness_m)},
    {.key = "fin_cells_z", .type = F_INT, .kinds = K_CHANNEL, RANGE(1, 64), .def = 0,
     .zero_unset = 1, .off = offsetof(CaseLayer, fin_cells_z)},
    /* >= 0.001 of the mean: a channel without flow would have nowhere to
     * put its heat, and one at a denormal share divides by it */
    {.key = "flow_profile", .type = F_CUSTOM, .kinds = K_CHANNEL, RANGE(0.001, 100),
     .sub = &list_schema, .check = check_list, .dump = dump_flow_profile, .get = get_list,
     .off = offsetof(CaseLayer, flow_profile)},
    /* imposed heat transfer (Case_h_model); 1 to 1e7 W/m^2K: from still air
     * to boiling water, beyond any single-phase channel */
    {.key = "wall_h_w_m2k", .type = F_NUM, .kinds = K_CHANNEL, RANGE(1, 1e7), .def = NAN,
     .unit = U_WM2K, .off = offsetof(CaseLayer, wall_h_w_m2k)},
    {.key = "h_eff_w_m2k", .type = F_NUM, .kinds = K_CHANNEL, RANGE(1, 1e7), .def = NAN,
     .unit = U_WM2K, .off = offsetof(CaseLayer, h_eff_w_m2k)},
    {.key = "wall_h_table_w_m2k", .type = F_CUSTOM, .kinds = K_CHANNEL, RANGE(1, 1e7),
     .unit = U_WM2K, .sub = &list_schema, .check = check_list, .dump = dump_wall_h_table,
     .get = get_list, .off = offsetof(CaseLayer, wall_h_table)},
    {.key = "h_eff_table_w_m2k", .type = F_CUSTOM, .kinds = K_CHANNEL, RANGE(1, 1e7),
     .unit = U_WM2K, .sub = &list_schema, .check = check_list, .dump = dump_h_eff_table,
     .get = get_list, .off = offsetof(CaseLayer, h_eff_table)},
    {.key = "h_table_flow_lpm", .type = F_CUSTOM, .kinds = K_CHANNEL, RANGE(0, 5000),
     .unit = U_LPM, .sub = &list_schema, .check = check_list, .dump = dump_h_table_flow,
     .get = get_list, .off = offsetof(CaseLayer, h_table_flow)},
    {.key = "h_table_position_mm", .type = F_CUSTOM, .kinds = K_CHANNEL, RANGE(0, 1000),
     .unit = U_MM, .sub = &list_schema, .check = check_list, .dump = dump_h_table_position,
     .get = get_list, .off = offsetof(CaseLayer, h_table_position)},
    /* >= 1 W/m^2K: an air gap of a few cm still conducts more; a smaller
     * (4.9e-324) one leaves the layers above uncoupled and the solve with
     * nothing to converge on. <= 1e9: a soldered joint is some 1e6-1e7 */
    {.key = "conductance_w_m2k", .type = F_NUM, .kinds = K_IFACE, .req = K_IFACE,
     RANGE(1, 1e9), .unit = U_WM2K, .off = offsetof(CaseLayer, conductance_w_m2k)},
    {.key = "filler", .type = F_SOLID, .kinds = K_BRICK, .sdef = "filler", .cap = MAT_NAME_LEN,
     .off = offsetof(CaseLayer, filler)},
    /* >= 10 um, as every lateral edge that becomes a grid line */
    {.key = "brick_x_mm", .type = F_NUM, .kinds = K_BRICK, .req = K_BRICK, RANGE(0.01, 0),
     .range = R_PITCH_X, .unit = U_MM, .off = offsetof(CaseLayer, brick_x_m)},
    {.key = "brick_y_mm", .type = F_NUM, .kinds = K_BRICK, .req = K_BRICK, RANGE(0.01, 0),
     .range = R_PITCH_Y, .unit = U_MM, .off = offsetof(CaseLayer, brick_y_m)},
    {.key = "cold_plate_h_w_m2k", .type = F_NUM, .kinds = K_BRICK, RANGE(0, 1e7), .def = 0,
     .unit = U_WM2K, .off = offsetof(CaseLayer, cold_plate_h_w_m2k)},
    /* NAN (~): follows coolant.inlet_c, resolved by Case_brick_plate_t_k so
     * that a changed inlet moves it too, in memory as with --set */
    {.key = "cold_plate_c", .type = F_NUM, .kinds = K_BRICK, RANGE(-50, 200), .def = NAN,
     .unit = U_C, .off = offsetof(CaseLayer, cold_plate_t_k)},
    /* convective: the stack's last face to an ambient through a plain h (per
     * area: a heat sink, a second cold plate, still air); 1e-3 to 1e7
     * W/m^2K, as the imposed h of a cold plate (still air is some 5) */
    {.key = "h_w_m2k", .type = F_NUM, .kinds = K_CONV, .req = K_CONV, RANGE(1e-3, 1e7),
     .unit = U_WM2K, .off = offsetof(CaseLayer, cold_plate_h_w_m2k)},
    /* NAN (~): the coolant inlet, as a brick cold plate's */
    {.key = "ambient_c", .type = F_NUM, .kinds = K_CONV, RANGE(-50, 200), .def = NAN,
     .unit = U_C, .off = offsetof(CaseLayer, cold_plate_t_k)},
    /* the coolant behind the face: held at ambient_c, or marched from it */
    {.key = "coolant", .type = F_WORD, .kinds = K_CONV, .words = face_coolant_words,
     .def = FACE_FIXED, .off = offsetof(CaseLayer, face_coolant)},
    /* coolant: marched: its flow, required then (check_layer); the range of
     * coolant.flow_lpm (a drip to a plant loop) */
    {.key = "flow_lpm", .type = F_NUM, .kinds = K_CONV, RANGE(0.01, 5000), .unit = U_LPM,
     .def = NAN, .off = offsetof(CaseLayer, face_flow_m3_s)},
    {.key = "cells_z", .type = F_INT, .kinds = K_MATERIAL, RANGE(1, 64), .def = 0, .zero_unset = 1,
     .off = offsetof(CaseLayer, cells_z)},
};
/* clang-format on */
const Schema case_layer_schema = {S_MAP, layer_fields, N_OF(layer_fields), .what = "layer"};

/* Path segment of layer i: its name when that is valid and not a repeat
 * (the same form --set accepts: stack.wafer.thickness_mm), else its index. */
static size_t push_layer(Ctx *x, const Case *c, int i, int item_id) {
  const char *name = ck_scalar(x, ck_map_get(x, item_id, "name", NULL));
  int usable = name && ck_valid_name(name, CASE_NAME_LEN - 1);
  for (int j = 0; usable && j < i; j++)
    if (!strcmp(c->layers[j].name, name))
      usable = 0;
  return usable ? ck_push(x, name) : ck_push_index(x, i);
}

/* The imposed heat transfer of a microchannel layer: one source of h, and
 * a table with exactly one abscissa of its length, strictly increasing. */
static int check_imposed_h(Ctx *x, const Case *c, int i, int item_id) {
  const CaseLayer *L = &c->layers[i];
  const char *keys[] = {"wall_h_w_m2k", "h_eff_w_m2k", "wall_h_table_w_m2k", "h_eff_table_w_m2k"};
  const int set[] = {!isnan(L->wall_h_w_m2k), !isnan(L->h_eff_w_m2k), L->wall_h_table.n > 0,
                     L->h_eff_table.n > 0};
  int first = -1;
  for (int k = 0; k < 4; k++) {
    if (!set[k]) continue;
    if (first >= 0) {
      size_t len = ck_push(x, keys[k]);
      int rc = ck_error(x, ck_map_get(x, item_id, keys[k], NULL),
                        "give one imposed heat-transfer coefficient: %s is set already (a "
                        "wall h has the fin efficiency applied; h_eff is per base area, fins "
                        "included)",
                        keys[first]);
      ck_pop(x, len);
      return rc;
    }
    first = k;
  }
  const CaseList *h = L->wall_h_table.n ? &L->wall_h_table : &L->h_eff_table;
  const int nf = L->h_table_flow.n, np = L->h_table_position.n;
  const char *axis = nf ? "h_table_flow_lpm" : "h_table_position_mm";
  const CaseList *at = nf ? &L->h_table_flow : &L->h_table_position;
  char msg[300];
  const char *what = NULL;
  if (h->n == 0 && (nf || np))
    what = "a table's abscissa, but no wall_h_table_w_m2k or h_eff_table_w_m2k gives its values";
  else if (h->n && nf && np)
    what = "h_table_flow_lpm and h_table_position_mm are both given: a table is against one of "
           "them";
  else if (h->n && !nf && !np) {
    axis = first == 2 ? "wall_h_table_w_m2k" : "h_eff_table_w_m2k";
    what = "the table needs its abscissa: h_table_flow_lpm (the plate's flow) or "
           "h_table_position_mm (distance from the flow path's inlet)";
  } else if (h->n && at->n != h->n) {
    snprintf(msg, sizeof msg, "%d points, the h table %d: give one h per point", at->n, h->n);
    what = msg;
  }
  for (int k = 1; !what && h->n && k < at->n; k++)
    if (!(at->v[k] > at->v[k - 1])) what = "must increase strictly from point to point";
  if (!what) return EB_OK;
  size_t len = ck_push(x, axis);
  int id = ck_map_get(x, item_id, axis, NULL);
  int rc = ck_error(x, id ? id : item_id, "%s", what);
  ck_pop(x, len);
  return rc;
}

static int check_layer(Ctx *x, Case *c, int i, int item_id) {
  CaseLayer *L = &c->layers[i];
  yaml_node_t *n = ck_node(x, item_id);
  if (n->type != YAML_MAPPING_NODE) {
    char got[96];
    return ck_error(x, item_id, "expected a mapping (layer), got %s",
                    ck_describe(x, item_id, got, sizeof got));
  }
  ck_defaults(&case_layer_schema, L, K_ALL);
  /* the kind decides which keys apply, so read it first */
  int kind_id = ck_map_get(x, item_id, "kind", NULL);
  if (kind_id && !ck_is_null(x, kind_id)) {
    size_t len = ck_push(x, "kind");
    int rc = ck_field(x, ck_find_field(&case_layer_schema, "kind"), 0, kind_id, L);
    ck_pop(x, len);
    if (rc)
      return rc;
  }
  if (L->kind == LAYER_MICROCHANNEL)
    snprintf(L->material, sizeof L->material, "copper");
  if (L->kind == LAYER_BRICK_TILES)
    snprintf(L->material, sizeof L->material, "brick");
  x->kbit = 1u << L->kind;
  int rc = ck_map(x, item_id, item_id, &case_layer_schema, L);
  x->kbit = K_SOLID;
  if (rc)
    return rc;
  if (L->kind == LAYER_MICROCHANNEL && (rc = check_imposed_h(x, c, i, item_id)) != EB_OK)
    return rc;
  /* a marched face needs its flow; a held one has none */
  if (L->kind == LAYER_CONVECTIVE && (L->face_coolant == FACE_MARCHED) == isnan(L->face_flow_m3_s)) {
    const int marched = L->face_coolant == FACE_MARCHED;
    size_t len = ck_push(x, "flow_lpm");
    const int at = ck_map_get(x, item_id, "flow_lpm", NULL);
    rc = ck_error(x, at ? at : item_id,
                  marched ? "coolant: marched needs the face's coolant flow: give flow_lpm "
                            "(L/min, 0.01 .. 5000), or use coolant: fixed for an ambient held "
                            "at ambient_c"
                          : "flow_lpm is the flow of a marched coolant: with coolant: fixed "
                            "the face sees ambient_c everywhere; remove flow_lpm or set "
                            "coolant: marched");
    ck_pop(x, len);
    return rc;
  }
  /* an h per base area has the fins folded in already: the resolved fins
   * need the h on their walls */
  if (L->kind == LAYER_MICROCHANNEL && L->fin_model == FIN_RESOLVED &&
      Case_h_model(L) == H_EFF) {
    const char *key = L->h_eff_table.n ? "h_eff_table_w_m2k" : "h_eff_w_m2k";
    size_t len = ck_push(x, key);
    rc = ck_error(x, ck_map_get(x, item_id, key, NULL),
                  "an h per base area folds the fins in, which fin_model: resolved computes "
                  "itself: give the h on the channel walls (wall_h_w_m2k or wall_h_table_w_m2k), "
                  "or use fin_model: efficiency");
    ck_pop(x, len);
    return rc;
  }
  for (int j = 0; j < i; j++)
    if (!strcmp(c->layers[j].name, L->name)) {
      size_t len = ck_push(x, "name");
      rc = ck_error(x, ck_map_get(x, item_id, "name", NULL),
                    "duplicate layer name '%s' (also stack item %d)", L->name, j);
      ck_pop(x, len);
      return rc;
    }
  return EB_OK;
}

/* Error about layer i as a whole (path stack.<name>). */
static int layer_error(Ctx *x, const Case *c, int i, int item_id, const char *msg) {
  size_t len = push_layer(x, c, i, item_id);
  int rc = ck_error(x, item_id, "%s", msg);
  ck_pop(x, len);
  return rc;
}

/* Structure: one microchannel first; interfaces inside and apart; one
 * heat-source solid. */
static int stack_rules(Ctx *x, const Case *c, int key_id, const int *ids) {
  char msg[256];
  int src = -1, n = c->n_layers;
  for (int i = 0; i < n; i++) {
    const CaseLayer *L = &c->layers[i];
    if (i == 0 && L->kind != LAYER_MICROCHANNEL) {
      snprintf(msg, sizeof msg,
               "the first layer (coolant side) must be the microchannel cold plate, got kind '%s'",
               kind_w[L->kind]);
      return layer_error(x, c, i, ids[i], msg);
    }
    if (i > 0 && L->kind == LAYER_MICROCHANNEL)
      return layer_error(x, c, i, ids[i],
                         "only one microchannel layer is allowed, and it must be the first "
                         "(coolant side)");
    if (L->kind == LAYER_CONVECTIVE && i != n - 1)
      return layer_error(x, c, i, ids[i],
                         "a convective layer cools the stack's last face: it must be the last "
                         "layer (the first face is the microchannel cold plate's)");
    if (L->kind == LAYER_CONVECTIVE && i > 0 && c->layers[i - 1].kind == LAYER_INTERFACE)
      return layer_error(x, c, i, ids[i],
                         "a convective layer needs a solid face before it, not an interface");
    if (L->kind == LAYER_CONVECTIVE && i > 0 && c->layers[i - 1].kind == LAYER_BRICK_TILES &&
        c->layers[i - 1].cold_plate_h_w_m2k > 0.0) {
      snprintf(msg, sizeof msg,
               "the brick layer '%s' before it has its own cold plate on that face "
               "(cold_plate_h_w_m2k): give one or the other",
               c->layers[i - 1].name);
      return layer_error(x, c, i, ids[i], msg);
    }
    if (L->kind == LAYER_INTERFACE && i == n - 1)
      return layer_error(
          x, c, i, ids[i],
          "an interface cannot be the last layer: it joins the layers on either side");
    if (L->kind == LAYER_INTERFACE && c->layers[i - 1].kind == LAYER_INTERFACE) {
      snprintf(msg, sizeof msg,
               "interfaces '%s' and '%s' are next to each other; combine them into one "
               "(1/h = 1/h1 + 1/h2)",
               c->layers[i - 1].name, L->name);
      return layer_error(x, c, i, ids[i], msg);
    }
    if (L->heat_source && src >= 0) {
      size_t len = push_layer(x, c, i, ids[i]);
      ck_push(x, "heat_source");
      int rc = ck_error(x, ck_map_get(x, ids[i], "heat_source", NULL),
                        "only one layer can have heat_source: true ('%s' has it already)",
                        c->layers[src].name);
      ck_pop(x, len);
      return rc;
    }
    if (L->heat_source)
      src = i;
  }
  if (src < 0)
    return ck_error(x, key_id,
                    "no layer has heat_source: true; exactly one solid layer (the wafer) must");
  return EB_OK;
}

static int check_stack(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  Case *c = base;
  yaml_node_t *n = ck_node(x, value_id);
  char got[96];
  if (n->type != YAML_SEQUENCE_NODE)
    return ck_error(x, value_id, "expected a sequence of layers (coolant side first), got %s",
                    ck_describe(x, value_id, got, sizeof got));
  int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
  if (count < 2 || count > CASE_MAX_LAYERS)
    return ck_error(x, value_id, "expected 2 to %d layers (coolant side first), got %d",
                    CASE_MAX_LAYERS, count);
  int ids[CASE_MAX_LAYERS];
  for (int i = 0; i < count; i++) {
    ids[i] = n->data.sequence.items.start[i];
    size_t len = push_layer(x, c, i, ids[i]);
    int rc = check_layer(x, c, i, ids[i]);
    ck_pop(x, len);
    if (rc)
      return rc;
    c->n_layers = i + 1;
  }
  return stack_rules(x, c, key_id, ids);
}

static void dump_stack(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  fprintf(o, "%*sstack:  # coolant side first\n", indent, "");
  for (int i = 0; i < c->n_layers; i++) {
    fprintf(o, "%*s- ", indent + 2, "");
    case_dump_map(o, indent + 4, &case_layer_schema, &c->layers[i], 1u << c->layers[i].kind, c, 1);
  }
}

static const Schema stack_schema = {S_SEQ, .item = &case_layer_schema, .by_name = 1,
                                    .what = "a sequence of layers"};

/* Case_get: stack.<name or index>.<key>. */
static int get_stack(Nav *nv, const Field *f, const void *base, char **segs, int n,
                     CaseValue *out) {
  (void)f;
  const Case *c = base;
  const char *names[CASE_MAX_LAYERS];
  for (int i = 0; i < c->n_layers; i++)
    names[i] = c->layers[i].name;
  int i = nav_item(nv, segs[0], c->n_layers, names);
  if (i < 0)
    return EB_EINPUT;
  if (n == 1)
    return nav_whole(nv, &case_layer_schema);
  const CaseLayer *L = &c->layers[i];
  return nav_map(nv, &case_layer_schema, L, 1u << L->kind, segs + 1, n - 1, out);
}

/* ---- materials -------------------------------------------------------- */

typedef struct {
  double k, kx, ky, kz, exponent, rho, cp; /* NAN: not given */
  double e, nu, alpha, g;                  /* mechanics, SI; NAN: not given */
} MatIn;

/* Nothing given. */
static MatIn mat_none(void) {
  return (MatIn){.k = NAN, .kx = NAN, .ky = NAN, .kz = NAN, .exponent = NAN, .rho = NAN,
                 .cp = NAN, .e = NAN, .nu = NAN, .alpha = NAN, .g = NAN};
}

/* clang-format off */
static const Field material_fields[] = {
    /* 0.001 .. 10000 W/mK: vacuum insulation panels (~0.004) to diamond
     * and graphene films (~2000-5000) */
    {.key = "k_w_mk", .type = F_NUM, ALWAYS, RANGE(0.001, 10000), .unit = U_WMK,
     .off = offsetof(MatIn, k)},
    {.key = "kx_w_mk", .type = F_NUM, ALWAYS, RANGE(0.001, 10000), .unit = U_WMK,
     .off = offsetof(MatIn, kx)},
    {.key = "ky_w_mk", .type = F_NUM, ALWAYS, RANGE(0.001, 10000), .unit = U_WMK,
     .off = offsetof(MatIn, ky)},
    {.key = "kz_w_mk", .type = F_NUM, ALWAYS, RANGE(0.001, 10000), .unit = U_WMK,
     .off = offsetof(MatIn, kz)},
    {.key = "k_temp_exponent", .type = F_NUM, ALWAYS, RANGE(0, 5),
     .off = offsetof(MatIn, exponent)},
    /* >= 1 kg/m^3: the lightest aerogels and foams; >= 10 J/kgK: the
     * lowest solid near room temperature is some 120 (lead, bismuth) */
    {.key = "rho_kg_m3", .type = F_NUM, ALWAYS, RANGE(1, 30000), .unit = U_KGM3,
     .off = offsetof(MatIn, rho)},
    {.key = "cp_j_kgk", .type = F_NUM, ALWAYS, RANGE(10, 100000), .unit = U_JKGK,
     .off = offsetof(MatIn, cp)},
    /* mechanics: in-plane values (the layers are plates loaded in their
     * plane); the shear modulus is the transverse one (a connector's
     * shear stiffness per area is G / thickness) */
    /* >= 1e-6 GPa (1 kPa): the softest gels; gap pads are some 0.1-10 MPa */
    {.key = "e_gpa", .type = F_NUM, ALWAYS, RANGE(1e-6, 1000), .unit = U_GPA,
     .off = offsetof(MatIn, e)},
    {.key = "poisson", .type = F_NUM, ALWAYS, RANGE_BELOW(0, 0.5), .off = offsetof(MatIn, nu)},
    /* negative CTEs exist (some composites, ZrW2O8 about -9 ppm/K) */
    {.key = "cte_ppm_k", .type = F_NUM, ALWAYS, RANGE(-50, 1000), .unit = U_PPMK,
     .off = offsetof(MatIn, alpha)},
    /* >= 0.001 MPa (1 kPa), as e_gpa */
    {.key = "shear_modulus_mpa", .type = F_NUM, ALWAYS, RANGE(0.001, 1e6), .unit = U_MPA,
     .off = offsetof(MatIn, g)},
};
/* clang-format on */
static const Schema material_schema = {S_MAP, material_fields, N_OF(material_fields),
                                       .what = "material properties"};

/* The mechanical keys onto s. A solid with no mechanical data to start
 * from (a new one, or a library one without: brick, filler) takes E, nu
 * and alpha together: a modulus with a CTE silently 0 would make a plate
 * that carries no thermal strain. The shear modulus stands alone (only a
 * connector needs it). */
static int merge_mechanics(Ctx *x, Solid *s, const char *name, const MatIn *m, int key_id) {
  const int given[3] = {!isnan(m->e), !isnan(m->nu), !isnan(m->alpha)};
  const char *const keys[3] = {"e_gpa", "poisson", "cte_ppm_k"};
  if (s->e_pa == 0.0 && (given[0] || given[1] || given[2]) &&
      !(given[0] && given[1] && given[2])) {
    char missing[64] = "";
    for (int i = 0; i < 3; i++)
      if (!given[i]) {
        size_t len = strlen(missing);
        snprintf(missing + len, sizeof missing - len, "%s%s", len ? ", " : "", keys[i]);
      }
    return ck_error(x, key_id,
                    "'%s' has no mechanical data to start from (%s): give e_gpa, poisson and "
                    "cte_ppm_k together; missing: %s",
                    name, Materials_solid(name) ? "none in the library" : "a new solid", missing);
  }
  if (given[0]) s->e_pa = m->e;
  if (given[1]) s->nu = m->nu;
  if (given[2]) s->alpha_per_k = m->alpha;
  if (!isnan(m->g)) s->g_pa = m->g;
  return EB_OK;
}

/* Library copy (or a blank new solid) with the given fields changed. */
static int merge_material(Ctx *x, Case *c, const char *name, const MatIn *m, int key_id) {
  const Solid *lib = Materials_solid(name);
  Solid s;
  if (lib) {
    s = *lib;
  } else {
    memset(&s, 0, sizeof s);
    s.t_ref_k = 300.0;
  }
  int any_axis = !isnan(m->kx) || !isnan(m->ky) || !isnan(m->kz);
  if (!isnan(m->k) && any_axis)
    return ck_error(x, key_id,
                    "give either k_w_mk (isotropic) or kx_w_mk, ky_w_mk, kz_w_mk, not both");
  if (!lib && isnan(m->k) && (isnan(m->kx) || isnan(m->ky) || isnan(m->kz)))
    return ck_error(x, key_id,
                    "missing required key 'k_w_mk' (number, W/mK), or all of kx_w_mk, ky_w_mk, "
                    "kz_w_mk: '%s' is a new solid, not a library one",
                    name);
  if (!isnan(m->k))
    s.kx_w_mk = s.ky_w_mk = s.kz_w_mk = m->k;
  if (!isnan(m->kx))
    s.kx_w_mk = m->kx;
  if (!isnan(m->ky))
    s.ky_w_mk = m->ky;
  if (!isnan(m->kz))
    s.kz_w_mk = m->kz;
  if (!isnan(m->exponent))
    s.k_exponent = m->exponent;
  if (!isnan(m->rho))
    s.rho_kg_m3 = m->rho;
  if (!isnan(m->cp))
    s.cp_j_kgk = m->cp;
  int rc = merge_mechanics(x, &s, name, m, key_id);
  if (rc)
    return rc;
  snprintf(s.name, sizeof s.name, "%s", name);
  s.source = "case file";
  c->materials[c->n_materials++].solid = s;
  return EB_OK;
}

static int check_material(Ctx *x, Case *c, yaml_node_pair_t *p, yaml_node_pair_t *first) {
  char got[96];
  const char *name = ck_scalar(x, p->key);
  if (!name || !ck_valid_name(name, MAT_NAME_LEN - 1))
    return ck_error(x, p->key,
                    "expected a material name of 1 to %d characters from [A-Za-z0-9_.-], got %s",
                    MAT_NAME_LEN - 1, ck_describe(x, p->key, got, sizeof got));
  for (yaml_node_pair_t *q = first; q < p; q++)
    if (!strcmp(ck_scalar(x, q->key), name))
      return ck_error(x, p->key, "duplicate key (first given at line %zu)",
                      ck_node(x, q->key)->start_mark.line + 1);
  if (c->n_materials == CASE_MAX_MATERIALS)
    return ck_error(x, p->key, "too many materials: at most %d", CASE_MAX_MATERIALS);
  MatIn m = mat_none();
  int rc = ck_map(x, p->value, p->key, &material_schema, &m);
  return rc ? rc : merge_material(x, c, name, &m, p->key);
}

static int check_materials(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  (void)key_id;
  Case *c = base;
  yaml_node_t *n = ck_node(x, value_id);
  if (n->type != YAML_MAPPING_NODE) {
    char got[96];
    return ck_error(x, value_id, "expected a mapping of material names to properties, got %s",
                    ck_describe(x, value_id, got, sizeof got));
  }
  yaml_node_pair_t *first = n->data.mapping.pairs.start;
  for (yaml_node_pair_t *p = first; p < n->data.mapping.pairs.top; p++) {
    const char *name = ck_scalar(x, p->key);
    size_t len = ck_push(x, name ? name : "?");
    int rc = check_material(x, c, p, first);
    ck_pop(x, len);
    if (rc)
      return rc;
  }
  return EB_OK;
}

static void dump_number(FILE *o, int indent, const char *key, double v) {
  char num[40];
  case_fmt_double(num, sizeof num, v);
  fprintf(o, "%*s%s: %s\n", indent, "", key, num);
}

/* A library solid's entry holds only what the case changed, as a case file
 * does, so that a --set of kx_w_mk on it merges with the library's other
 * axes as on the file; a new solid's entry holds everything. */
static void dump_material(FILE *o, int indent, const Solid *s) {
  const Solid *lib = Materials_solid(s->name);
  char name[64];
  int iso = s->kx_w_mk == s->ky_w_mk && s->ky_w_mk == s->kz_w_mk;
  int kx = !lib || s->kx_w_mk != lib->kx_w_mk, ky = !lib || s->ky_w_mk != lib->ky_w_mk;
  int kz = !lib || s->kz_w_mk != lib->kz_w_mk;
  int ex = !lib || s->k_exponent != lib->k_exponent;
  /* 0 = unknown for a new solid: leave out, the reader defaults it to 0 */
  int rho = s->rho_kg_m3 > 0 && (!lib || s->rho_kg_m3 != lib->rho_kg_m3);
  int cp = s->cp_j_kgk > 0 && (!lib || s->cp_j_kgk != lib->cp_j_kgk);
  /* without library mechanics E, nu and alpha are given together (E > 0)
   * or not at all, and must be written so: a nu or alpha of 0 included */
  int own = !lib || lib->e_pa == 0.0;
  int e = own ? s->e_pa > 0 : s->e_pa != lib->e_pa;
  int nu = own ? s->e_pa > 0 : s->nu != lib->nu;
  int al = own ? s->e_pa > 0 : s->alpha_per_k != lib->alpha_per_k;
  int g = own ? s->g_pa > 0 : s->g_pa != lib->g_pa;
  fprintf(o, "%*s%s:%s\n", indent, "", case_quote(s->name, name, sizeof name),
          kx || ky || kz || ex || rho || cp || e || nu || al || g ? "" : " {}");
  indent += 2;
  if (iso && (kx || ky || kz)) {
    dump_number(o, indent, "k_w_mk", s->kx_w_mk);
  } else {
    if (kx)
      dump_number(o, indent, "kx_w_mk", s->kx_w_mk);
    if (ky)
      dump_number(o, indent, "ky_w_mk", s->ky_w_mk);
    if (kz)
      dump_number(o, indent, "kz_w_mk", s->kz_w_mk);
  }
  if (ex)
    dump_number(o, indent, "k_temp_exponent", s->k_exponent);
  if (rho)
    dump_number(o, indent, "rho_kg_m3", s->rho_kg_m3);
  if (cp)
    dump_number(o, indent, "cp_j_kgk", s->cp_j_kgk);
  if (e)
    dump_number(o, indent, "e_gpa", Unit_from_si(U_GPA, s->e_pa));
  if (nu)
    dump_number(o, indent, "poisson", s->nu);
  if (al)
    dump_number(o, indent, "cte_ppm_k", Unit_from_si(U_PPMK, s->alpha_per_k));
  if (g)
    dump_number(o, indent, "shear_modulus_mpa", Unit_from_si(U_MPA, s->g_pa));
}

static void dump_materials(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  fprintf(o, "%*smaterials:%s\n", indent, "", c->n_materials ? "" : " {}");
  for (int i = 0; i < c->n_materials; i++)
    dump_material(o, indent + 2, &c->materials[i].solid);
}

static const Schema materials_schema = {S_DICT, .item = &material_schema,
                                        .what = "a mapping of materials"};

/* The keys of a merged solid as the dump writes them: k_w_mk when
 * isotropic, else kx/ky/kz; rho and cp of 0 (unknown) left out, and so
 * are E, nu, alpha without mechanical data (E 0) and a shear modulus of 0. */
static MatIn material_keys(const Solid *s) {
  int iso = s->kx_w_mk == s->ky_w_mk && s->ky_w_mk == s->kz_w_mk;
  int mech = s->e_pa > 0;
  MatIn m = {iso ? s->kx_w_mk : NAN,
             iso ? NAN : s->kx_w_mk,
             iso ? NAN : s->ky_w_mk,
             iso ? NAN : s->kz_w_mk,
             s->k_exponent,
             s->rho_kg_m3 > 0 ? s->rho_kg_m3 : NAN,
             s->cp_j_kgk > 0 ? s->cp_j_kgk : NAN,
             mech ? s->e_pa : NAN,
             mech ? s->nu : NAN,
             mech ? s->alpha_per_k : NAN,
             s->g_pa > 0 ? s->g_pa : NAN};
  return m;
}

/* "copper, silicon, ..." : library solids, then the case's new ones. */
static void solid_names(const Case *c, char *buf, size_t n) {
  buf[0] = '\0';
  const char *const *w = Materials_solid_names();
  for (int i = 0; w[i]; i++) {
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s%s", i ? ", " : "", w[i]);
  }
  for (int i = 0; i < c->n_materials; i++)
    if (!Materials_solid(c->materials[i].solid.name)) {
      size_t len = strlen(buf);
      snprintf(buf + len, n - len, ", %s", c->materials[i].solid.name);
    }
}

/* Case_get: materials.<solid>.<key>, from the solid after the case's
 * overrides (a library solid the case leaves alone is readable too). For
 * Case_set a new name is a new solid, which the validator judges. */
static int get_materials(Nav *nv, const Field *f, const void *base, char **segs, int n,
                         CaseValue *out) {
  (void)f;
  const Case *c = base;
  const Solid *s = Case_solid(c, segs[0]);
  nav_push(nv, segs[0]);
  if (!s && !nav_for_set(nv)) {
    char names[1024];
    solid_names(c, names, sizeof names);
    return nav_error(nv, "no solid of that name; solids: %s", names);
  }
  if (n == 1)
    return nav_whole(nv, &material_schema);
  MatIn m = s ? material_keys(s) : mat_none();
  return nav_map(nv, &material_schema, &m, K_SOLID, segs + 1, n - 1, out);
}

/* ---- coolant, limits, grid, solver ------------------------------------- */

/* clang-format off */
static const Field coolant_fields[] = {
    {.key = "fluid", .type = F_WORD, ALWAYS, .words = Materials_fluid_names, .def = FLUID_WATER,
     .off = offsetof(Case, fluid)},
    {.key = "inlet_c", .type = F_NUM, REQUIRED, .range = R_FLUID, .unit = U_C,
     .off = offsetof(Case, inlet_t_k)},
    /* required unless flow_source: pumps (checked in case_finish) */
    /* >= 0.01 L/min (a drip): the coolant's rise goes as 1 / flow; a
     * stopped loop is a scenario's flow_lpm: 0 */
    {.key = "flow_lpm", .type = F_NUM, ALWAYS, RANGE(0.01, 5000), .unit = U_LPM, .def = NAN,
     .off = offsetof(Case, flow_m3_s)},
    {.key = "flow_source", .type = F_WORD, ALWAYS, .words = flow_source_words, .def = 0,
     .off = offsetof(Case, flow_from_pumps)},
    {.key = "constant_properties", .type = F_BOOL, ALWAYS, .def = 0,
     .off = offsetof(Case, fluid_constant)},
};
/* clang-format on */
static const Schema coolant_schema = {S_MAP, coolant_fields, N_OF(coolant_fields),
                                      .what = "coolant"};

/* clang-format off */
static const Field limits_fields[] = {
    {.key = "junction_max_c", .type = F_NUM, ALWAYS, RANGE(-50, 500), .unit = U_C, .def = NAN,
     .off = offsetof(Case, junction_max_k)},
    {.key = "coolant_outlet_max_c", .type = F_NUM, ALWAYS, RANGE(-50, 500), .unit = U_C, .def = NAN,
     .off = offsetof(Case, outlet_max_k)},
    {.key = "pressure_drop_max_kpa", .type = F_NUM, ALWAYS, OPEN_RANGE(0, 10000), .unit = U_KPA,
     .def = NAN, .off = offsetof(Case, dp_max_pa)},
    {.key = "psu_load_max_kw", .type = F_NUM, ALWAYS, OPEN_RANGE(0, 1000), .unit = U_KW,
     .def = NAN, .off = offsetof(Case, psu_load_max_w)},
    {.key = "brick_current_max_a", .type = F_NUM, ALWAYS, OPEN_RANGE(0, 100000), .unit = U_A,
     .def = NAN, .off = offsetof(Case, brick_current_max_a)},
    {.key = "brick_load_max", .type = F_NUM, ALWAYS, OPEN_RANGE(0, 10), .def = NAN,
     .off = offsetof(Case, brick_load_max)},
    {.key = "brick_temp_max_c", .type = F_NUM, ALWAYS, RANGE(-50, 500), .unit = U_C, .def = NAN,
     .off = offsetof(Case, brick_temp_max_k)},
    {.key = "die_voltage_min_v", .type = F_NUM, ALWAYS, OPEN_RANGE(0, 5), .unit = U_V, .def = NAN,
     .off = offsetof(Case, die_voltage_min_v)},
    {.key = "velocity_max_m_s", .type = F_NUM, ALWAYS, OPEN_RANGE(0, 100), .unit = U_MS,
     .def = NAN, .off = offsetof(Case, velocity_max_m_s)},
    /* the mechanics model's (need a mechanics section, see case_finish) */
    {.key = "connector_shear_strain_max", .type = F_NUM, ALWAYS, OPEN_RANGE(0, 10), .def = NAN,
     .off = offsetof(Case, connector_strain_max)},
    {.key = "wafer_stress_max_mpa", .type = F_NUM, ALWAYS, OPEN_RANGE(0, 1e5), .unit = U_MPA,
     .def = NAN, .off = offsetof(Case, wafer_stress_max_pa)},
    {.key = "pcb_stress_max_mpa", .type = F_NUM, ALWAYS, OPEN_RANGE(0, 1e5), .unit = U_MPA,
     .def = NAN, .off = offsetof(Case, pcb_stress_max_pa)},
    {.key = "edge_slip_max_um", .type = F_NUM, ALWAYS, OPEN_RANGE(0, 1e6), .unit = U_UM,
     .def = NAN, .off = offsetof(Case, edge_slip_max_m)},
};
/* clang-format on */
static const Schema limits_schema = {S_MAP, limits_fields, N_OF(limits_fields), .what = "limits"};

/* clang-format off */
static const Field hydraulics_fields[] = {
    {.key = "manifold_entry_k", .type = F_NUM, ALWAYS, RANGE(0, 100), .def = 0.5,
     .off = offsetof(Case, k_entry)},
    {.key = "manifold_exit_k", .type = F_NUM, ALWAYS, RANGE(0, 100), .def = 1.0,
     .off = offsetof(Case, k_exit)},
    /* >= 0.1 mm: a capillary; the velocity goes as 1 / d^2 */
    {.key = "pipe_diameter_mm", .type = F_NUM, ALWAYS, RANGE(0.1, 500), .unit = U_MM,
     .def = 25.4, .off = offsetof(Case, pipe_d_m)},
    {.key = "fittings_k", .type = F_NUM, ALWAYS, RANGE(0, 1000), .def = 0,
     .off = offsetof(Case, k_fittings)},
    {.key = "quick_disconnects", .type = F_INT, ALWAYS, RANGE(0, 100), .def = 0,
     .off = offsetof(Case, n_qd)},
    {.key = "quick_disconnect_k", .type = F_NUM, ALWAYS, RANGE(0, 100), .def = 0,
     .off = offsetof(Case, k_qd)},
};
/* clang-format on */
static const Schema hydraulics_schema = {S_MAP, hydraulics_fields, N_OF(hydraulics_fields),
                                         .what = "hydraulics"};

/* A pump curve is a table (curve_flow_lpm rising, curve_dp_kpa falling) or
 * the quadratic through shutoff_kpa and max_flow_lpm. */
static int pumps_finish(Ctx *x, int map_id, int where_id, void *base) {
  Case *c = base;
  const CaseList *q = &c->pump_curve_q, *dp = &c->pump_curve_dp;
  if (q->n != dp->n)
    return ck_error(x, where_id, "curve_flow_lpm has %d points and curve_dp_kpa %d; give both "
                    "with the same length", q->n, dp->n);
  for (int i = 1; i < q->n; i++)
    if (!(q->v[i] > q->v[i - 1]) || !(dp->v[i] < dp->v[i - 1]))
      return ck_error(x, ck_map_get(x, map_id, "curve_flow_lpm", NULL),
                      "pump curve point %d: flow must rise and pressure fall from point to "
                      "point", i + 1);
  if (q->n == 0 && (isnan(c->pump_dp0_pa) != isnan(c->pump_qmax_m3_s))) {
    const char *gone_key = isnan(c->pump_dp0_pa) ? "shutoff_kpa" : "max_flow_lpm";
    int gone = emptied_by_set(x, map_id, gone_key);
    if (gone)
      return emptied_error(x, gone, NULL, gone_key,
                           "the quadratic pump curve needs both shutoff_kpa and max_flow_lpm");
    return ck_error(x, where_id, "give both shutoff_kpa and max_flow_lpm (quadratic curve)");
  }
  if (c->pump_running > c->pump_count)
    return ck_error(x, ck_map_get(x, map_id, "running", NULL),
                    "running (%d) exceeds count (%d)", c->pump_running, c->pump_count);
  return EB_OK;
}

/* clang-format off */
static const Field pumps_fields[] = {
    {.key = "count", .type = F_INT, ALWAYS, RANGE(1, 16), .def = 2,
     .off = offsetof(Case, pump_count)},
    /* 0 (~): all installed pumps, resolved by Case_pumps_running */
    {.key = "running", .type = F_INT, ALWAYS, RANGE(0, 16), .def = 0, .zero_unset = 1,
     .off = offsetof(Case, pump_running)},
    {.key = "arrangement", .type = F_WORD, ALWAYS, .words = arrangement_words, .def = 0,
     .off = offsetof(Case, pump_series)},
    /* >= 0.01: the pump power is dP Q / efficiency */
    {.key = "efficiency", .type = F_NUM, ALWAYS, RANGE(0.01, 1), .def = 0.5,
     .off = offsetof(Case, pump_efficiency)},
    /* >= 0.1 kPa and >= 0.01 L/min: the smallest pumps (a 10 mm head) and
     * the coolant's least flow */
    {.key = "shutoff_kpa", .type = F_NUM, ALWAYS, RANGE(0.1, 10000), .unit = U_KPA, .def = NAN,
     .off = offsetof(Case, pump_dp0_pa)},
    {.key = "max_flow_lpm", .type = F_NUM, ALWAYS, RANGE(0.01, 10000), .unit = U_LPM, .def = NAN,
     .off = offsetof(Case, pump_qmax_m3_s)},
    {.key = "curve_flow_lpm", .type = F_CUSTOM, ALWAYS, RANGE(0, 10000), .unit = U_LPM,
     .sub = &list_schema, .check = check_list, .dump = dump_curve_q, .get = get_list,
     .off = offsetof(Case, pump_curve_q)},
    {.key = "curve_dp_kpa", .type = F_CUSTOM, ALWAYS, RANGE(0, 10000), .unit = U_KPA,
     .sub = &list_schema, .check = check_list, .dump = dump_curve_dp, .get = get_list,
     .off = offsetof(Case, pump_curve_dp)},
};
/* clang-format on */
static const Schema pumps_schema = {S_MAP, pumps_fields, N_OF(pumps_fields),
                                    .finish = pumps_finish, .what = "pumps"};

/* ---- power_delivery -------------------------------------------------- */

/* One board number, 1..die_columns, not listed before (t: its text). */
static int failed_board(Ctx *x, Case *c, CaseList *l, int id, const char *t) {
  double v;
  if (!t || !ck_parse_number(t, &v) || v != floor(v) || v < 1 || v > c->die_columns)
    return ck_error(x, id, "expected a board number, an integer 1 to %d (dies.columns), got '%s'",
                    c->die_columns, t ? t : "");
  for (int j = 0; j < l->n; j++)
    if (l->v[j] == v)
      return ck_error(x, id, "board %g is listed twice", v);
  l->v[l->n++] = v;
  return EB_OK;
}

/* pdb.failed: board numbers (1-based, one board per die column), each once:
 * a list [3, 5], or (handy with --set) one number or "3,5". */
static int check_failed_boards(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)key_id;
  Case *c = base;
  CaseList *l = (CaseList *)((char *)base + f->off);
  yaml_node_t *n = ck_node(x, value_id);
  char got[96];
  l->n = 0;
  const char *sc = ck_scalar(x, value_id);
  if (sc && (!strcmp(sc, "none") || ck_is_null(x, value_id)))
    return EB_OK;
  if (sc && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", sc);
    for (char *tok = strtok(buf, ", "); tok; tok = strtok(NULL, ", ")) {
      if (l->n >= c->die_columns || l->n >= CASE_LIST_MAX)
        return ck_error(x, value_id, "at most %d boards (one per die column)", c->die_columns);
      int rc = failed_board(x, c, l, value_id, tok);
      if (rc)
        return rc;
    }
    return EB_OK;
  }
  if (n->type != YAML_SEQUENCE_NODE)
    return ck_error(x, value_id,
                    "expected board numbers like 3 or 3,5 (or [3, 5]), or none, got %s",
                    ck_describe(x, value_id, got, sizeof got));
  int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
  if (cnt > CASE_LIST_MAX || cnt > c->die_columns)
    return ck_error(x, value_id, "at most %d boards (one per die column), got %d",
                    c->die_columns, cnt);
  for (int i = 0; i < cnt; i++) {
    int id = n->data.sequence.items.start[i];
    int rc = failed_board(x, c, l, id, ck_scalar(x, id));
    if (rc)
      return rc;
  }
  return EB_OK;
}

/* The failed boards as --set takes them: "none" or "3,5". */
static void failed_text(const CaseList *l, char *buf, size_t n) {
  snprintf(buf, n, "%s", l->n ? "" : "none");
  for (int i = 0; i < l->n; i++) {
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s%g", i ? "," : "", l->v[i]);
  }
}

static void dump_pdb_failed(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  char buf[256];
  failed_text(&c->pd.pdb_failed, buf, sizeof buf);
  fprintf(o, "%*sfailed: %s\n", indent, "", buf);
}

static int get_failed_boards(Nav *nv, const Field *f, const void *base, char **segs, int n,
                             CaseValue *out) {
  (void)segs;
  if (nav_leaf(nv, n))
    return EB_EINPUT;
  char buf[256];
  failed_text((const CaseList *)((const char *)base + f->off), buf, sizeof buf);
  nav_text(out, buf);
  return EB_OK;
}

/* The efficiency table: both lists, one length, loads rising; failed units
 * within the count; per-board feed: one PSU per board. */
static int psu_finish(Ctx *x, int map_id, int where_id, void *base) {
  Case *c = base;
  const CaseList *ld = &c->pd.psu_eff_load, *ef = &c->pd.psu_eff;
  if (ld->n != ef->n || ld->n < 2)
    return ck_error(x, where_id,
                    "efficiency_load has %d points and efficiency %d; give both, with the same "
                    "length (at least 2)",
                    ld->n, ef->n);
  for (int i = 1; i < ld->n; i++)
    if (!(ld->v[i] > ld->v[i - 1]))
      return ck_error(x, ck_map_get(x, map_id, "efficiency_load", NULL),
                      "efficiency_load must rise from point to point (point %d)", i + 1);
  if (c->pd.psu_failed > c->pd.psu_count)
    return ck_error(x, ck_map_get(x, map_id, "failed", NULL), "failed (%d) exceeds count (%d)",
                    c->pd.psu_failed, c->pd.psu_count);
  if (c->pd.psu_feed == PSU_FEED_PER_BOARD && c->pd.psu_count != c->die_columns)
    return ck_error(x, ck_map_get(x, map_id, "count", NULL),
                    "feed: per_board needs one PSU per board: count must be %d (dies.columns), "
                    "got %d",
                    c->die_columns, c->pd.psu_count);
  return EB_OK;
}

static int brick_finish(Ctx *x, int map_id, int where_id, void *base) {
  (void)where_id;
  Case *c = base;
  if (!(c->pd.brick_derate_end_k > c->pd.brick_derate_start_k))
    return ck_error(x, ck_map_get(x, map_id, "derate_end_c", NULL),
                    "derate_end_c (%.6g C) must be above derate_start_c (%.6g C)",
                    c->pd.brick_derate_end_k - 273.15, c->pd.brick_derate_start_k - 273.15);
  return EB_OK;
}

/* Defaults: 80 PLUS Titanium, 230 V internal redundant (data-centre)
 * minimum efficiencies 90 / 94 / 96 / 91 % at 10 / 20 / 50 / 100 % load
 * [S: 80 PLUS program table, as reproduced by Wikipedia "80 Plus" and Tom's
 * Hardware "Is 80 PLUS broken?"]; set by pd_defaults below. */
/* clang-format off */
static const Field psu_fields[] = {
    {.key = "count", .type = F_INT, ALWAYS, RANGE(1, 64), .def = 12, .off = offsetof(Case, pd.psu_count)},
    /* >= 10 W a unit, >= 1 V a bus: the loads are power / rating and
     * power / voltage, and nothing smaller feeds a wafer */
    {.key = "rating_kw", .type = F_NUM, ALWAYS, RANGE(0.01, 1000), .unit = U_KW, .def = 3.3,
     .off = offsetof(Case, pd.psu_rating_w)},
    {.key = "bus_v", .type = F_NUM, ALWAYS, RANGE(1, 1000), .unit = U_V, .def = 50,
     .off = offsetof(Case, pd.psu_bus_v)},
    {.key = "feed", .type = F_WORD, ALWAYS, .words = feed_words, .def = PSU_FEED_SHARED,
     .off = offsetof(Case, pd.psu_feed)},
    {.key = "failed", .type = F_INT, ALWAYS, RANGE(0, 64), .def = 0, .off = offsetof(Case, pd.psu_failed)},
    /* load fractions >= 0.001 and efficiencies >= 0.01: an input power of
     * output / efficiency must stay finite */
    {.key = "efficiency_load", .type = F_CUSTOM, ALWAYS, RANGE(0.001, 2), .sub = &list_schema,
     .check = check_list, .dump = dump_psu_eff_load, .get = get_list,
     .off = offsetof(Case, pd.psu_eff_load)},
    {.key = "efficiency", .type = F_CUSTOM, ALWAYS, RANGE(0.01, 1), .sub = &list_schema,
     .check = check_list, .dump = dump_psu_eff, .get = get_list, .off = offsetof(Case, pd.psu_eff)},
};
/* PDB defaults [E]: a 50 -> 12 V fixed-ratio stage at 96.5 % when it feeds
 * 7 bricks of ~310 W (2.2 kW, 181 A): 30 W no-load + 181^2 x 1.5 mohm, in
 * the >96 % class of the 48 -> 12 V VTMs (physics.md 1.3). Brick defaults
 * [E]: P_NL + I^2 R_out fitted to 94.5 % at 450 A x 0.85 V (loss 22.3 W =
 * 5 W + 450^2 x 0.085 mohm), the 94-95 % full-load efficiency of the
 * low-voltage current multipliers (physics.md 1.3); rated 450 A per die
 * brick [E], derating from 85 C to zero at 125 C [E]. */
static const Field pdb_fields[] = {
    /* >= 0.1 V: the current is power / voltage */
    {.key = "output_v", .type = F_NUM, ALWAYS, RANGE(0.1, 1000), .unit = U_V, .def = 12,
     .off = offsetof(Case, pd.pdb_out_v)},
    {.key = "no_load_w", .type = F_NUM, ALWAYS, RANGE(0, 10000), .unit = U_W, .def = 30,
     .off = offsetof(Case, pd.pdb_no_load_w)},
    {.key = "resistance_mohm", .type = F_NUM, ALWAYS, RANGE(0, 1000), .unit = U_MOHM, .def = 1.5,
     .off = offsetof(Case, pd.pdb_r_ohm)},
    {.key = "failed", .type = F_CUSTOM, ALWAYS, .check = check_failed_boards,
     .dump = dump_pdb_failed, .get = get_failed_boards, .off = offsetof(Case, pd.pdb_failed)},
};
static const Field brick_fields[] = {
    {.key = "mode", .type = F_WORD, ALWAYS, .words = brick_mode_words, .def = BRICK_SET_POINT,
     .off = offsetof(Case, pd.brick_mode)},
    /* >= 0.1 V, as the die's v_nominal_v; a ratio >= 0.001 (12 V -> 12 mV) */
    {.key = "set_point_v", .type = F_NUM, ALWAYS, RANGE(0.1, 5), .unit = U_V, .def = 0.85,
     .off = offsetof(Case, pd.brick_set_v)},
    {.key = "ratio", .type = F_NUM, ALWAYS, RANGE(0.001, 1), .def = 0.0725,
     .off = offsetof(Case, pd.brick_ratio)},
    {.key = "no_load_w", .type = F_NUM, ALWAYS, RANGE(0, 1000), .unit = U_W, .def = 5,
     .off = offsetof(Case, pd.brick_no_load_w)},
    {.key = "r_out_mohm", .type = F_NUM, ALWAYS, RANGE(0, 100), .unit = U_MOHM, .def = 0.085,
     .off = offsetof(Case, pd.brick_r_out_ohm)},
    /* >= 0.1 A: the load is current / rating */
    {.key = "rated_current_a", .type = F_NUM, ALWAYS, RANGE(0.1, 100000), .unit = U_A, .def = 450,
     .off = offsetof(Case, pd.brick_rated_a)},
    {.key = "derate_start_c", .type = F_NUM, ALWAYS, RANGE(-50, 300), .unit = U_C, .def = 85,
     .off = offsetof(Case, pd.brick_derate_start_k)},
    {.key = "derate_end_c", .type = F_NUM, ALWAYS, RANGE(-50, 300), .unit = U_C, .def = 125,
     .off = offsetof(Case, pd.brick_derate_end_k)},
};
static const Field pcb_pd_fields[] = {
    {.key = "layer", .type = F_NAME, ALWAYS, .cap = CASE_NAME_LEN, .sdef = "pcb",
     .off = offsetof(Case, pd.pcb_layer)},
    {.key = "power_planes", .type = F_INT, ALWAYS, RANGE(1, 64), .def = 4,
     .off = offsetof(Case, pd.pcb_power_planes)},
    {.key = "ground_planes", .type = F_INT, ALWAYS, RANGE(1, 64), .def = 4,
     .off = offsetof(Case, pd.pcb_ground_planes)},
    /* >= 0.1 oz (3.5 um): thinner than any plated plane; R goes as 1 / t */
    {.key = "copper_oz", .type = F_NUM, ALWAYS, RANGE(0.1, 20), .def = 2,
     .off = offsetof(Case, pd.pcb_copper_oz)},
    {.key = "brick_via_uohm", .type = F_NUM, ALWAYS, RANGE(0, 1e6), .unit = U_UOHM, .def = 20,
     .off = offsetof(Case, pd.pcb_brick_via_ohm)},
    {.key = "die_via_uohm", .type = F_NUM, ALWAYS, RANGE(0, 1e6), .unit = U_UOHM, .def = 20,
     .off = offsetof(Case, pd.pcb_die_via_ohm)},
};
static const Field connector_pd_fields[] = {
    {.key = "layer", .type = F_NAME, ALWAYS, .cap = CASE_NAME_LEN, .sdef = "connector",
     .off = offsetof(Case, pd.connector_layer)},
    {.key = "contact_uohm", .type = F_NUM, ALWAYS, RANGE(0, 1e6), .unit = U_UOHM, .def = 40,
     .off = offsetof(Case, pd.connector_ohm)},
};
/* clang-format on */
static const Schema psu_schema = {S_MAP, psu_fields, N_OF(psu_fields), .finish = psu_finish,
                                  .what = "power supplies"};
static const Schema pdb_schema = {S_MAP, pdb_fields, N_OF(pdb_fields),
                                  .what = "power distribution boards"};
static const Schema brick_pd_schema = {S_MAP, brick_fields, N_OF(brick_fields),
                                       .finish = brick_finish, .what = "bricks"};
static const Schema pcb_pd_schema = {S_MAP, pcb_pd_fields, N_OF(pcb_pd_fields),
                                     .what = "PCB power planes"};
static const Schema connector_pd_schema = {S_MAP, connector_pd_fields, N_OF(connector_pd_fields),
                                           .what = "connector"};
/* clang-format off */
static const Field pd_fields[] = {
    {.key = "psu", .type = F_MAP, ALWAYS, .sub = &psu_schema},
    {.key = "pdb", .type = F_MAP, ALWAYS, .sub = &pdb_schema},
    {.key = "brick", .type = F_MAP, ALWAYS, .sub = &brick_pd_schema},
    {.key = "pcb", .type = F_MAP, ALWAYS, .sub = &pcb_pd_schema},
    {.key = "connector", .type = F_MAP, ALWAYS, .sub = &connector_pd_schema},
    {.key = "copper_ref_c", .type = F_NUM, ALWAYS, RANGE(-50, 200), .unit = U_C, .def = 20,
     .off = offsetof(Case, pd.copper_ref_k)},
    {.key = "require_all_dies", .type = F_BOOL, ALWAYS, .def = 1,
     .off = offsetof(Case, pd.require_all_dies)},
};
/* clang-format on */
/* "cold_plate, contact, wafer, ...": the stack's layers, for messages. */
static void layer_names(const Case *c, char *buf, size_t n) {
  buf[0] = '\0';
  for (int i = 0; i < c->n_layers; i++) {
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s%s", i ? ", " : "", c->layers[i].name);
  }
}

/* The PCB and connector are solid layers of the stack that cover the wafer
 * (their losses go where the dies draw current), and the bricks are the
 * stack's brick_tiles layer. */
static int pd_layer(Ctx *x, const Case *c, int map_id, const char *section, const char *name,
                    const char *what) {
  for (int i = 0; i < c->n_layers; i++) {
    const CaseLayer *L = &c->layers[i];
    if (strcmp(L->name, name)) continue;
    if (L->kind == LAYER_SOLID && L->size_x_m == 0.0 && L->size_y_m == 0.0) return EB_OK;
    int sec = ck_map_get(x, map_id, section, NULL);
    size_t len = ck_push(x, section);
    int rc = ck_error(x, sec ? sec : map_id,
                      "the %s layer '%s' must be a solid layer over the whole wafer (no "
                      "size_x_mm / size_y_mm)",
                      what, name);
    ck_pop(x, len);
    return rc;
  }
  char names[512];
  layer_names(c, names, sizeof names);
  int sec = ck_map_get(x, map_id, section, NULL);
  size_t len = ck_push(x, section);
  int rc = ck_error(x, sec ? sec : map_id, "layer: no layer '%s' in the stack (layers: %s)", name,
                    names);
  ck_pop(x, len);
  return rc;
}

static int pd_finish(Ctx *x, int map_id, int where_id, void *base) {
  Case *c = base;
  int rc = pd_layer(x, c, map_id, "pcb", c->pd.pcb_layer, "PCB");
  if (rc == EB_OK) rc = pd_layer(x, c, map_id, "connector", c->pd.connector_layer, "connector");
  int bricks = 0;
  for (int i = 0; i < c->n_layers; i++) bricks |= c->layers[i].kind == LAYER_BRICK_TILES;
  if (rc == EB_OK && !bricks)
    rc = ck_error(x, where_id,
                  "the power path needs the bricks: add a brick_tiles layer to the stack");
  return rc;
}

static const Schema pd_schema = {S_MAP, pd_fields, N_OF(pd_fields), .finish = pd_finish,
                                 .what = "power delivery"};

/* Every default, and the PSU table, before the section is read (and when
 * it is absent, so that Case_get answers). */
static void pd_defaults(Case *c) {
  ck_defaults(&pd_schema, c, K_SOLID);
  static const double load[] = {0.1, 0.2, 0.5, 1.0}, eff[] = {0.90, 0.94, 0.96, 0.91};
  c->pd.psu_eff_load.n = c->pd.psu_eff.n = 4;
  for (int i = 0; i < 4; i++) {
    c->pd.psu_eff_load.v[i] = load[i];
    c->pd.psu_eff.v[i] = eff[i];
  }
  c->pd.pdb_failed.n = 0;
  c->pd.enabled = 0;
}

static int check_pd(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  Case *c = base;
  pd_defaults(c);
  int rc = ck_map(x, value_id, key_id, &pd_schema, c);
  if (rc == EB_OK) c->pd.enabled = 1;
  return rc;
}

static void dump_pd(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  if (!c->pd.enabled)
    return; /* no power path: the key is absent */
  fprintf(o, "%*spower_delivery:\n", indent, "");
  case_dump_map(o, indent + 2, &pd_schema, c, K_SOLID, c, 0);
}

static int get_pd(Nav *nv, const Field *f, const void *base, char **segs, int n,
                  CaseValue *out) {
  (void)f;
  return nav_map(nv, &pd_schema, base, K_SOLID, segs, n, out);
}

/* ---- mechanics ------------------------------------------------------- */

/* Defaults [E]: assembled at room temperature; the cold plate slides on
 * the wafer; with friction, 0.2 for polished Cu on Si under the 0.5 MPa
 * preload of the contact conductance estimate (physics.md 5). */
/* clang-format off */
static const Field mech_fields[] = {
    {.key = "reference_c", .type = F_NUM, ALWAYS, RANGE(-50, 300), .unit = U_C, .def = 25,
     .off = offsetof(Case, mech.t_ref_k)},
    {.key = "wafer", .type = F_NAME, ALWAYS, .cap = CASE_NAME_LEN, .sdef = "wafer",
     .off = offsetof(Case, mech.wafer_layer)},
    {.key = "connector", .type = F_NAME, ALWAYS, .cap = CASE_NAME_LEN, .sdef = "connector",
     .off = offsetof(Case, mech.connector_layer)},
    {.key = "pcb", .type = F_NAME, ALWAYS, .cap = CASE_NAME_LEN, .sdef = "pcb",
     .off = offsetof(Case, mech.pcb_layer)},
    {.key = "cold_plate", .type = F_NAME, ALWAYS, .cap = CASE_NAME_LEN, .sdef = "cold_plate",
     .off = offsetof(Case, mech.cold_plate_layer)},
    {.key = "contact", .type = F_WORD, ALWAYS, .words = contact_words, .def = CONTACT_SLIP,
     .off = offsetof(Case, mech.contact)},
    {.key = "friction_coefficient", .type = F_NUM, ALWAYS, RANGE(0, 2), .def = 0.2,
     .off = offsetof(Case, mech.friction_coeff)},
    /* >= 1 kPa: the weight of the cold plate alone is more */
    {.key = "preload_kpa", .type = F_NUM, ALWAYS, RANGE(1, 100000), .unit = U_KPA,
     .def = 500, .off = offsetof(Case, mech.preload_pa)},
    {.key = "dx_mm", .type = F_NUM, ALWAYS, RANGE(0.05, 50), .unit = U_MM, .def = 2.0,
     .off = offsetof(Case, mech.dx_m)},
};
/* clang-format on */

/* The four plates of the model, in stack order (coolant side first). */
enum { MECH_COLD, MECH_WAFER, MECH_CONNECTOR, MECH_PCB, MECH_PLATES };
static const char *const mech_keys[MECH_PLATES] = {"cold_plate", "wafer", "connector", "pcb"};

static const char *mech_layer_name(const Case *c, int role) {
  const CaseMechanics *m = &c->mech;
  return role == MECH_COLD ? m->cold_plate_layer
         : role == MECH_WAFER ? m->wafer_layer
         : role == MECH_CONNECTOR ? m->connector_layer
                                  : m->pcb_layer;
}

/* Error about one role's layer, at its name in the section (or at the
 * section, when the name is the default), path mechanics.<key>. */
static int mech_role_error(Ctx *x, int map_id, int where_id, int role, const char *msg) {
  int val = ck_map_get(x, map_id, mech_keys[role], NULL);
  size_t len = ck_push(x, mech_keys[role]);
  int rc = ck_error(x, val ? val : where_id, "%s", msg);
  ck_pop(x, len);
  return rc;
}

/* The layer a role names exists and has the role's shape: the cold plate
 * is the microchannel layer; wafer, connector and PCB are plates, solid
 * over the whole wafer. Sets *index. */
static int mech_shape(Ctx *x, const Case *c, int map_id, int where_id, int role, int *index) {
  const char *name = mech_layer_name(c, role);
  char msg[768], names[512];
  int i = Case_layer_named(c, name);
  *index = i;
  if (i < 0) {
    layer_names(c, names, sizeof names);
    snprintf(msg, sizeof msg, "no layer '%s' in the stack (layers: %s)", name, names);
    return mech_role_error(x, map_id, where_id, role, msg);
  }
  const CaseLayer *L = &c->layers[i];
  const int channel = Case_channel_layer(c);
  if (role == MECH_COLD && L->kind != LAYER_MICROCHANNEL)
    snprintf(msg, sizeof msg,
             "the cold plate layer '%s' must be the microchannel layer ('%s'), got kind '%s'",
             name, channel >= 0 ? c->layers[channel].name : "none", kind_w[L->kind]);
  else if (role != MECH_COLD && L->kind != LAYER_SOLID)
    snprintf(msg, sizeof msg, "the %s layer '%s' must be a solid layer, got kind '%s'",
             mech_keys[role], name, kind_w[L->kind]);
  else if (role != MECH_COLD && (L->size_x_m != 0.0 || L->size_y_m != 0.0))
    snprintf(msg, sizeof msg,
             "the %s layer '%s' must cover the whole wafer: remove its size_x_mm / size_y_mm",
             mech_keys[role], name);
  else
    return EB_OK;
  return mech_role_error(x, map_id, where_id, role, msg);
}

/* The role's material has what the model reads: E, nu, alpha for every
 * plate, and the transverse shear modulus for the connector (its shear
 * stiffness per area is G / thickness). The path stays `mechanics`: what
 * to fix is under materials, which the case may not have yet; the position
 * is the role's name in the section, or the section. */
static int mech_material(Ctx *x, const Case *c, int map_id, int where_id, int role, int i) {
  const CaseLayer *L = &c->layers[i];
  const Solid *s = Case_solid(c, L->material);
  int val = ck_map_get(x, map_id, mech_keys[role], NULL);
  if (!s) /* cannot happen after the stack's checks */
    return ck_error(x, val ? val : where_id, "layer '%s': unknown material '%s'", L->name,
                    L->material);
  if (s->e_pa == 0.0)
    return ck_error(x, val ? val : where_id,
                    "layer '%s' uses material '%s', which has no mechanical data: add "
                    "materials.%s.e_gpa, poisson and cte_ppm_k",
                    L->name, s->name, s->name);
  if (role == MECH_CONNECTOR && s->g_pa == 0.0)
    return ck_error(x, val ? val : where_id,
                    "the connector layer '%s' uses material '%s', which has no transverse shear "
                    "modulus: add materials.%s.shear_modulus_mpa",
                    L->name, s->name, s->name);
  return EB_OK;
}

/* Four different layers, each of its shape and with its material data, in
 * the order the model joins them: cold plate on the wafer, the connector
 * between wafer and PCB. */
static int mech_finish(Ctx *x, int map_id, int where_id, void *base) {
  Case *c = base;
  int idx[MECH_PLATES];
  for (int r = 0; r < MECH_PLATES; r++) {
    int rc = mech_shape(x, c, map_id, where_id, r, &idx[r]);
    for (int q = 0; rc == EB_OK && q < r; q++)
      if (idx[q] == idx[r]) {
        char msg[256];
        snprintf(msg, sizeof msg, "'%s' is the %s layer already; the four layers must differ",
                 c->layers[idx[r]].name, mech_keys[q]);
        rc = mech_role_error(x, map_id, where_id, r, msg);
      }
    if (rc) return rc;
  }
  for (int r = MECH_WAFER; r < MECH_PLATES; r++)
    if (idx[r] < idx[r - 1]) {
      char msg[512];
      snprintf(msg, sizeof msg,
               "the %s layer '%s' comes before the %s layer '%s' in the stack; the model "
               "needs cold plate, wafer, connector, PCB in that order (coolant side first)",
               mech_keys[r], c->layers[idx[r]].name, mech_keys[r - 1],
               c->layers[idx[r - 1]].name);
      return mech_role_error(x, map_id, where_id, r, msg);
    }
  for (int r = 0; r < MECH_PLATES; r++) {
    int rc = mech_material(x, c, map_id, where_id, r, idx[r]);
    if (rc) return rc;
  }
  return EB_OK;
}

static const Schema mech_schema = {S_MAP, mech_fields, N_OF(mech_fields), .finish = mech_finish,
                                   .what = "mechanics"};

/* Every default, before the section is read and when it is absent (so
 * that Case_get answers). */
static void mech_defaults(Case *c) {
  ck_defaults(&mech_schema, c, K_SOLID);
  c->mech.enabled = 0;
}

static int check_mech(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  Case *c = base;
  mech_defaults(c);
  int rc = ck_map(x, value_id, key_id, &mech_schema, c);
  if (rc == EB_OK) c->mech.enabled = 1;
  return rc;
}

static void dump_mech(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  if (!c->mech.enabled)
    return; /* no mechanics model: the key is absent */
  fprintf(o, "%*smechanics:\n", indent, "");
  case_dump_map(o, indent + 2, &mech_schema, c, K_SOLID, c, 0);
}

static int get_mech(Nav *nv, const Field *f, const void *base, char **segs, int n,
                    CaseValue *out) {
  (void)f;
  return nav_map(nv, &mech_schema, base, K_SOLID, segs, n, out);
}

/* clang-format off */
static const Field grid_fields[] = {
    {.key = "dx_mm", .type = F_NUM, ALWAYS, RANGE(0.05, 50), .unit = U_MM, .def = 0.5,
     .off = offsetof(Case, dx_m)},
    {.key = "dz_mm", .type = F_NUM, ALWAYS, RANGE(0.01, 50), .unit = U_MM, .def = 1.0,
     .off = offsetof(Case, dz_m)},
};
/* clang-format on */
static const Schema grid_schema = {S_MAP, grid_fields, N_OF(grid_fields), .what = "grid"};

/* clang-format off */
static const Field solver_fields[] = {
    {.key = "linear_tol", .type = F_NUM, ALWAYS, RANGE(1e-14, 1e-2), .def = 1e-8,
     .off = offsetof(Case, linear_rel_tol)},
    {.key = "nonlinear_tol_k", .type = F_NUM, ALWAYS, RANGE(1e-9, 1), .unit = U_K, .def = 5e-4,
     .off = offsetof(Case, nonlinear_tol_k)},
    {.key = "max_nonlinear_iters", .type = F_INT, ALWAYS, RANGE(1, 1000), .def = 50,
     .off = offsetof(Case, max_nonlinear_iters)},
    {.key = "max_linear_iters", .type = F_INT, ALWAYS, RANGE(1, 100000), .def = 1000,
     .off = offsetof(Case, max_linear_iters)},
    /* transient scenarios: CVODE's local error test, the weighted RMS norm of
     * each step's error with weights 1 / (rel |T_i| + abs) at most 1 */
    /* >= 1e-12 and >= 1e-9 K: tighter than double precision can meet on
     * temperatures of some 300 K, so CVODE would only fail */
    {.key = "transient_rel_tol", .type = F_NUM, ALWAYS, RANGE(1e-12, 0.01), .def = 1e-5,
     .off = offsetof(Case, transient_rel_tol)},
    {.key = "transient_abs_tol_k", .type = F_NUM, ALWAYS, RANGE(1e-9, 1), .unit = U_K,
     .def = 1e-3, .off = offsetof(Case, transient_abs_tol_k)},
};
/* clang-format on */
static const Schema solver_schema = {S_MAP, solver_fields, N_OF(solver_fields), .what = "solver"};

/* ---- scenarios ------------------------------------------------------- */

/* Transient scenarios: a mapping from name to scenario, file order kept.
 * Event quantities an event leaves alone stay NAN (pumps, psus_failed: -1),
 * so the dump writes an event as the file gives it: t_s, what it sets, its
 * ramp (when not a step) and its dies. */

static const char *const start_w[] = {"steady", "uniform", NULL};
static const char *const *start_words(void) { return start_w; }

/* A scenario's name is a segment of its keys (scenarios.NAME.until_s):
 * letters, digits, '-' and '_', no dots. */
static int scenario_name_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > CASE_NAME_LEN - 1) return 0;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_') return 0;
  return 1;
}


/* Case_get of a value that is not set (an int event quantity at -1). */
static void value_unset(CaseValue *out) {
  out->kind = CASE_VALUE_UNSET;
  out->number = NAN;
  snprintf(out->text, sizeof out->text, "~");
  out->unit = "";
}

/* dies: [[row, column], ...], 0-based like power.per_die_weights.ROW.COL.
 * `off` 0: the checks are handed the int's address. */
static const Field die_row_field = {.key = "row", .type = F_INT, ALWAYS, RANGE(0, 0),
                                    .range = R_DIE_ROW};
static const Field die_col_field = {.key = "column", .type = F_INT, ALWAYS, RANGE(0, 0),
                                    .range = R_DIE_COL};
static const Schema die_pair_schema = {S_SEQ, .item = NULL, .what = "a die [row, column]"};
static const Schema event_dies_schema = {S_SEQ, .item = &die_pair_schema,
                                         .what = "a list of dies [row, column]"};

static int check_die(Ctx *x, CaseEvent *e, int id) {
  yaml_node_t *n = ck_node(x, id);
  char got[96];
  int cnt = n->type == YAML_SEQUENCE_NODE
                ? (int)(n->data.sequence.items.top - n->data.sequence.items.start)
                : -1;
  if (cnt != 2) {
    if (cnt >= 0)
      snprintf(got, sizeof got, "a sequence of %d", cnt);
    else
      ck_describe(x, id, got, sizeof got);
    return ck_error(x, id, "expected a die as [row, column] like [3, 5] (0-based, row 0 at the "
                    "smallest y), got %s", got);
  }
  int row = 0, col = 0;
  size_t len = ck_push_index(x, 0);
  int rc = ck_field(x, &die_row_field, 0, n->data.sequence.items.start[0], &row);
  ck_pop(x, len);
  if (rc) return rc;
  len = ck_push_index(x, 1);
  rc = ck_field(x, &die_col_field, 0, n->data.sequence.items.start[1], &col);
  ck_pop(x, len);
  if (rc) return rc;
  for (int j = 0; j < e->n_dies; j++)
    if (e->die_row[j] == row && e->die_col[j] == col)
      return ck_error(x, id, "die [%d, %d] is listed twice (item %d)", row, col, j);
  e->die_row[e->n_dies] = row;
  e->die_col[e->n_dies] = col;
  e->n_dies++;
  return EB_OK;
}

static int check_event_dies(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  (void)key_id;
  CaseEvent *e = base;
  yaml_node_t *n = ck_node(x, value_id);
  char got[96];
  if (n->type != YAML_SEQUENCE_NODE)
    return ck_error(x, value_id, "expected a list of dies [row, column] like [[3, 5], [3, 6]], "
                    "got %s", ck_describe(x, value_id, got, sizeof got));
  int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
  e->n_dies = 0;
  for (int i = 0; i < cnt; i++) {
    int item = n->data.sequence.items.start[i];
    size_t len = ck_push_index(x, i);
    int rc = i >= CASE_MAX_EVENT_DIES
                 ? ck_error(x, item, "too many dies: at most %d in one event", CASE_MAX_EVENT_DIES)
                 : check_die(x, e, item);
    ck_pop(x, len);
    if (rc) return rc;
  }
  return EB_OK;
}

/* Case_get: dies.I (a die: not one value) and dies.I.0 (row), dies.I.1 (column). */
static int get_event_dies(Nav *nv, const Field *f, const void *base, char **segs, int n,
                          CaseValue *out) {
  (void)f;
  const CaseEvent *e = base;
  int i = nav_item(nv, segs[0], e->n_dies, NULL);
  if (i < 0) return EB_EINPUT;
  if (n == 1) return nav_whole(nv, &die_pair_schema);
  int j = nav_item(nv, segs[1], 2, NULL);
  if (j < 0 || nav_leaf(nv, n - 2)) return EB_EINPUT;
  nav_number(out, j == 0 ? e->die_row[i] : e->die_col[i], U_NONE);
  return EB_OK;
}

/* pumps and psus_failed: integers whose "not set" is -1 (a table F_INT
 * would read -1 back as a value); the value itself is checked as F_INT. */
static int check_event_int(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  Field g = *f;
  g.type = F_INT;
  return ck_field(x, &g, key_id, value_id, base);
}

/* Running pumps give the flow where their curve meets the loop: a curve
 * is needed (0 pumps is no flow, with or without one). */
static int check_event_pumps(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  int rc = check_event_int(x, f, key_id, value_id, base);
  const Case *c = x->c;
  const CaseEvent *e = base;
  /* a curve a --set takes away (shutoff_kpa=~) is Case_scenario's to judge */
  int curve_set = ck_overridden(x, "pumps", "shutoff_kpa", NULL) ||
                  ck_overridden(x, "pumps", "max_flow_lpm", NULL);
  if (rc == EB_OK && e->pumps > 0 && c->pump_curve_q.n == 0 && isnan(c->pump_dp0_pa) &&
      !curve_set)
    rc = ck_error(x, value_id,
                  "running pumps give the flow where their curve meets the loop, and the case "
                  "has no pump curve: add pumps.curve_flow_lpm + curve_dp_kpa, or "
                  "pumps.shutoff_kpa + max_flow_lpm (or set the flow with flow_lpm)");
  return rc;
}

static int check_event_psus(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  if (!x->c->pd.enabled)
    return ck_error(x, value_id,
                    "psus_failed takes PSUs out of the power path, and this case has none: add "
                    "a power_delivery section (see docs/case-reference.md), or remove the key");
  return check_event_int(x, f, key_id, value_id, base);
}

static int get_event_int(Nav *nv, const Field *f, const void *base, char **segs, int n,
                         CaseValue *out) {
  (void)segs;
  if (nav_leaf(nv, n)) return EB_EINPUT;
  int v = *(const int *)((const char *)base + f->off);
  if (v < 0)
    value_unset(out);
  else
    nav_number(out, v, U_NONE);
  return EB_OK;
}

/* An error at key `key` of the event mapping (path events.I.<key>). */
static int event_key_error(Ctx *x, int map_id, const char *key, const char *msg) {
  size_t len = ck_push(x, key);
  int rc = ck_error(x, ck_map_get(x, map_id, key, NULL), "%s", msg);
  ck_pop(x, len);
  return rc;
}

static int event_finish(Ctx *x, int map_id, int where_id, void *base) {
  const CaseEvent *e = base;
  if (isnan(e->power_w) && isnan(e->flow_m3_s) && e->pumps < 0 && isnan(e->inlet_t_k) &&
      e->psus_failed < 0 && isnan(e->die_scale))
    return ck_error(x, where_id,
                    "an event must set at least one of power_kw, flow_lpm, pumps, inlet_c, "
                    "psus_failed, die_scale");
  if (e->pumps >= 0 && !isnan(e->flow_m3_s)) {
    /* at the one a --set added, if one was: that is the change to undo */
    int at_pumps = made_by_set(x, ck_map_get(x, map_id, "pumps", NULL)) &&
                   !made_by_set(x, ck_map_get(x, map_id, "flow_lpm", NULL));
    return event_key_error(x, map_id, at_pumps ? "pumps" : "flow_lpm",
                           "give pumps or flow_lpm, not both: pumps sets the flow where the "
                           "running pumps' curve meets the loop, flow_lpm holds a flow");
  }
  int dies = ck_map_get(x, map_id, "dies", NULL);
  if (dies && !ck_is_null(x, dies) && isnan(e->die_scale))
    return event_key_error(x, map_id, "dies",
                           "dies lists the dies that die_scale multiplies: give die_scale too");
  return EB_OK;
}

/* clang-format off */
static const Field event_fields[] = {
    {.key = "t_s", .type = F_NUM, REQUIRED, RANGE(0, 0), .range = R_UNTIL, .unit = U_S,
     .off = offsetof(CaseEvent, t_s)},
    /* as power.total_kw */
    {.key = "power_kw", .type = F_NUM, ALWAYS, RANGE(0.001, 1000), .unit = U_KW, .def = NAN,
     .off = offsetof(CaseEvent, power_w)},
    /* 0: no flow (a stopped loop) */
    {.key = "flow_lpm", .type = F_NUM, ALWAYS, RANGE(0, 5000), .unit = U_LPM, .def = NAN,
     .off = offsetof(CaseEvent, flow_m3_s)},
    {.key = "pumps", .type = F_CUSTOM, ALWAYS, RANGE(0, 0), .range = R_PUMPS,
     .check = check_event_pumps, .get = get_event_int, .off = offsetof(CaseEvent, pumps)},
    {.key = "inlet_c", .type = F_NUM, ALWAYS, .range = R_FLUID, .unit = U_C, .def = NAN,
     .off = offsetof(CaseEvent, inlet_t_k)},
    {.key = "psus_failed", .type = F_CUSTOM, ALWAYS, RANGE(0, 0), .range = R_PSUS,
     .check = check_event_psus, .get = get_event_int, .off = offsetof(CaseEvent, psus_failed)},
    {.key = "die_scale", .type = F_NUM, ALWAYS, RANGE(0, 100), .def = NAN,
     .off = offsetof(CaseEvent, die_scale)},
    {.key = "dies", .type = F_CUSTOM, ALWAYS, .sub = &event_dies_schema,
     .check = check_event_dies, .get = get_event_dies},
    {.key = "ramp_s", .type = F_NUM, ALWAYS, RANGE(0, 1e6), .unit = U_S, .def = 0,
     .off = offsetof(CaseEvent, ramp_s)},
};
/* clang-format on */
static const Schema event_schema = {S_MAP, event_fields, N_OF(event_fields),
                                    .finish = event_finish, .what = "event"};
static const Schema events_schema = {S_SEQ, .item = &event_schema,
                                     .what = "a sequence of events"};

static int check_event(Ctx *x, CaseScenario *s, int i, int item) {
  CaseEvent *e = &s->events[i];
  memset(e, 0, sizeof *e);
  ck_defaults(&event_schema, e, K_SOLID);
  e->pumps = e->psus_failed = -1;
  int rc = ck_map(x, item, item, &event_schema, e);
  if (rc) return rc;
  if (i > 0 && e->t_s < s->events[i - 1].t_s) {
    char msg[256];
    snprintf(msg, sizeof msg,
             "events must be in time order: this one at %.10g s follows one at %.10g s "
             "(event %d)",
             e->t_s, s->events[i - 1].t_s, i - 1);
    return event_key_error(x, item, "t_s", msg);
  }
  s->n_events = i + 1;
  return EB_OK;
}

static int check_events(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  (void)key_id;
  CaseScenario *s = base;
  yaml_node_t *n = ck_node(x, value_id);
  char got[96];
  if (n->type != YAML_SEQUENCE_NODE)
    return ck_error(x, value_id,
                    "expected a sequence of events like [{t_s: 0, power_kw: 25}], got %s",
                    ck_describe(x, value_id, got, sizeof got));
  int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
  s->n_events = 0;
  for (int i = 0; i < cnt; i++) {
    int item = n->data.sequence.items.start[i];
    size_t len = ck_push_index(x, i);
    int rc = i >= CASE_MAX_EVENTS
                 ? ck_error(x, item, "too many events: at most %d in a scenario", CASE_MAX_EVENTS)
                 : check_event(x, s, i, item);
    ck_pop(x, len);
    if (rc) return rc;
  }
  return EB_OK;
}

/* ", key: value" of a flow mapping (no comma before the first). */
static void put_number(FILE *o, int *first, const char *key, double si, Unit u) {
  char num[40];
  case_fmt_double(num, sizeof num, Unit_from_si(u, si));
  fprintf(o, "%s%s: %s", *first ? "" : ", ", key, num);
  *first = 0;
}

static void dump_event(FILE *o, const CaseEvent *e) {
  int first = 1;
  fputc('{', o);
  put_number(o, &first, "t_s", e->t_s, U_S);
  if (!isnan(e->power_w)) put_number(o, &first, "power_kw", e->power_w, U_KW);
  if (!isnan(e->flow_m3_s)) put_number(o, &first, "flow_lpm", e->flow_m3_s, U_LPM);
  if (e->pumps >= 0) fprintf(o, ", pumps: %d", e->pumps);
  if (!isnan(e->inlet_t_k)) put_number(o, &first, "inlet_c", e->inlet_t_k, U_C);
  if (e->psus_failed >= 0) fprintf(o, ", psus_failed: %d", e->psus_failed);
  if (!isnan(e->die_scale)) put_number(o, &first, "die_scale", e->die_scale, U_NONE);
  if (e->n_dies > 0) {
    fprintf(o, ", dies: [");
    for (int j = 0; j < e->n_dies; j++)
      fprintf(o, "%s[%d, %d]", j ? ", " : "", e->die_row[j], e->die_col[j]);
    fputc(']', o);
  }
  if (e->ramp_s != 0 || signbit(e->ramp_s)) put_number(o, &first, "ramp_s", e->ramp_s, U_S);
  fprintf(o, "}\n");
}

static void dump_events(FILE *o, int indent, const Case *c, const void *base) {
  (void)c;
  const CaseScenario *s = base;
  fprintf(o, "%*sevents:%s\n", indent, "", s->n_events ? "" : " []");
  for (int i = 0; i < s->n_events; i++) {
    fprintf(o, "%*s- ", indent + 2, "");
    dump_event(o, &s->events[i]);
  }
}

/* Case_get: events.I.<key>. */
static int get_events(Nav *nv, const Field *f, const void *base, char **segs, int n,
                      CaseValue *out) {
  (void)f;
  const CaseScenario *s = base;
  int i = nav_item(nv, segs[0], s->n_events, NULL);
  if (i < 0) return EB_EINPUT;
  if (n == 1) return nav_whole(nv, &event_schema);
  return nav_map(nv, &event_schema, &s->events[i], K_SOLID, segs + 1, n - 1, out);
}

/* snapshots_s: times of the field snapshots, rising, within the run. */
static const Field snapshot_field = {.key = "snapshot", .type = F_NUM, ALWAYS, RANGE(0, 0),
                                     .range = R_UNTIL, .unit = U_S};
static const Schema snapshots_schema = {S_SEQ, .item = NULL, .what = "a list of times"};

static int check_snapshots(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  (void)key_id;
  CaseScenario *s = base;
  yaml_node_t *n = ck_node(x, value_id);
  char got[96];
  if (n->type != YAML_SEQUENCE_NODE)
    return ck_error(x, value_id, "expected a list of times like [0, 10, 60] (s), got %s",
                    ck_describe(x, value_id, got, sizeof got));
  int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
  s->n_snapshots = 0;
  for (int i = 0; i < cnt; i++) {
    int id = n->data.sequence.items.start[i];
    size_t len = ck_push_index(x, i);
    int rc = EB_OK;
    if (i >= CASE_MAX_SNAPSHOTS)
      rc = ck_error(x, id, "too many snapshots: at most %d in a scenario", CASE_MAX_SNAPSHOTS);
    else
      rc = ck_field(x, &snapshot_field, 0, id, &s->snapshot_s[i]);
    if (rc == EB_OK && i > 0 && !(s->snapshot_s[i] > s->snapshot_s[i - 1]))
      rc = ck_error(x, id, "snapshot times must rise: %.10g s follows %.10g s", s->snapshot_s[i],
                    s->snapshot_s[i - 1]);
    ck_pop(x, len);
    if (rc) return rc;
    s->n_snapshots = i + 1;
  }
  return EB_OK;
}

static void dump_snapshots(FILE *o, int indent, const Case *c, const void *base) {
  (void)c;
  const CaseScenario *s = base;
  fprintf(o, "%*ssnapshots_s: [", indent, "");
  for (int i = 0; i < s->n_snapshots; i++) {
    char num[40];
    case_fmt_double(num, sizeof num, Unit_from_si(U_S, s->snapshot_s[i]));
    fprintf(o, "%s%s", i ? ", " : "", num);
  }
  fprintf(o, "]\n");
}

static int get_snapshots(Nav *nv, const Field *f, const void *base, char **segs, int n,
                         CaseValue *out) {
  (void)f;
  const CaseScenario *s = base;
  int i = nav_item(nv, segs[0], s->n_snapshots, NULL);
  if (i < 0 || nav_leaf(nv, n - 1)) return EB_EINPUT;
  nav_number(out, Unit_from_si(U_S, s->snapshot_s[i]), U_S);
  return EB_OK;
}

/* description: one line of free text. What the dump writes (double-quoted,
 * " and \ escaped) must read back as the same bytes: no control characters
 * or line breaks (C0, DEL, C1 with NEL, U+2028, U+2029), and not the two
 * non-characters U+FFFE, U+FFFF, which YAML input cannot hold. */
static int one_line(const unsigned char *t, size_t len) {
  if (strlen((const char *)t) != len) return 0; /* an escaped \0 */
  for (size_t i = 0; i < len; i++) {
    if (t[i] < 0x20 || t[i] == 0x7f) return 0;
    if (t[i] == 0xc2 && i + 1 < len && t[i + 1] >= 0x80 && t[i + 1] <= 0x9f) return 0;
    if (t[i] == 0xe2 && i + 2 < len && t[i + 1] == 0x80 && (t[i + 2] == 0xa8 || t[i + 2] == 0xa9))
      return 0;
    if (t[i] == 0xef && i + 2 < len && t[i + 1] == 0xbf && (t[i + 2] == 0xbe || t[i + 2] == 0xbf))
      return 0;
  }
  return 1;
}

static int check_description(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  (void)key_id;
  CaseScenario *s = base;
  const char *t = ck_scalar(x, value_id);
  char got[96];
  if (!t)
    return ck_error(x, value_id, "expected a line of text, got %s",
                    ck_describe(x, value_id, got, sizeof got));
  size_t len = ck_node(x, value_id)->data.scalar.length;
  if (len >= sizeof s->description)
    return ck_error(x, value_id, "expected a line of text of at most %zu bytes, got %zu",
                    sizeof s->description - 1, len);
  if (!one_line((const unsigned char *)t, len))
    return ck_error(x, value_id,
                    "expected one line of text, without control characters (tabs, line breaks)");
  memcpy(s->description, t, len);
  s->description[len] = '\0';
  return EB_OK;
}

static void dump_description(FILE *o, int indent, const Case *c, const void *base) {
  (void)c;
  const CaseScenario *s = base;
  fprintf(o, "%*sdescription: \"", indent, "");
  for (const char *p = s->description; *p; p++) {
    if (*p == '"' || *p == '\\') fputc('\\', o);
    fputc(*p, o);
  }
  fprintf(o, "\"\n");
}

static int get_description(Nav *nv, const Field *f, const void *base, char **segs, int n,
                           CaseValue *out) {
  (void)f;
  (void)segs;
  if (nav_leaf(nv, n)) return EB_EINPUT;
  nav_text(out, ((const CaseScenario *)base)->description);
  return EB_OK;
}

static int scenario_finish(Ctx *x, int map_id, int where_id, void *base) {
  (void)where_id;
  const CaseScenario *s = base;
  if (!s->start_uniform && !isnan(s->start_t_k)) {
    size_t len = ck_push(x, "start_c");
    int rc = ck_error(x, ck_map_get(x, map_id, "start_c", NULL),
                      "start_c is the temperature of a uniform start: set start: uniform, or "
                      "leave start_c out (start: steady begins from the steady solution)");
    ck_pop(x, len);
    return rc;
  }
  return EB_OK;
}

/* The table order is the reading order: until_s before the times it bounds. */
/* clang-format off */
static const Field scenario_fields[] = {
    {.key = "description", .type = F_CUSTOM, ALWAYS, .check = check_description,
     .dump = dump_description, .get = get_description},
    /* >= 1 ms: shorter than any thermal time of the block */
    {.key = "until_s", .type = F_NUM, REQUIRED, RANGE(0.001, 1e6), .unit = U_S,
     .off = offsetof(CaseScenario, until_s)},
    {.key = "start", .type = F_WORD, ALWAYS, .words = start_words, .def = 0,
     .off = offsetof(CaseScenario, start_uniform)},
    /* NAN (~): the coolant inlet temperature (the solver resolves it) */
    {.key = "start_c", .type = F_NUM, ALWAYS, .range = R_FLUID, .unit = U_C, .def = NAN,
     .off = offsetof(CaseScenario, start_t_k)},
    {.key = "snapshots_s", .type = F_CUSTOM, ALWAYS, .sub = &snapshots_schema,
     .check = check_snapshots, .dump = dump_snapshots, .get = get_snapshots},
    {.key = "events", .type = F_CUSTOM, ALWAYS, .sub = &events_schema, .check = check_events,
     .dump = dump_events, .get = get_events},
};
/* clang-format on */
static const Schema scenario_schema = {S_MAP, scenario_fields, N_OF(scenario_fields),
                                       .finish = scenario_finish, .what = "scenario"};
static const Schema scenarios_schema = {S_DICT, .item = &scenario_schema,
                                        .what = "a mapping of scenarios"};

/* A scenario that a --set names but the file lacks is a new one, unless
 * its name is a near miss of one the file has: then it is a typo. */
static int near_miss(Ctx *x, const yaml_node_pair_t *p, const yaml_node_pair_t *first,
                     const yaml_node_pair_t *top, const char *name) {
  const char *names[64];
  int nn = 0;
  char list[1024] = "";
  for (const yaml_node_pair_t *q = first; q < top && nn < 64; q++) {
    const char *other = ck_scalar(x, q->key);
    if (q == p || !other || made_by_set(x, q->key)) continue;
    names[nn++] = other;
    size_t len = strlen(list);
    snprintf(list + len, sizeof list - len, "%s%s", nn > 1 ? ", " : "", other);
  }
  const char *best = ck_suggest(name, names, nn);
  if (!best) return EB_OK;
  return ck_error(x, p->key, "no scenario '%s' in the case; did you mean '%s'? (scenarios: %s)",
                  name, best, list);
}

static int check_scenario(Ctx *x, Case *c, const yaml_node_pair_t *p,
                          const yaml_node_pair_t *first, const yaml_node_pair_t *top) {
  char got[96];
  const char *name = ck_scalar(x, p->key);
  if (!name || !scenario_name_ok(name))
    return ck_error(x, p->key,
                    "expected a scenario name of 1 to %d characters from [A-Za-z0-9_-] (no "
                    "dots: the name is part of keys like scenarios.NAME.until_s), got %s",
                    CASE_NAME_LEN - 1, ck_describe(x, p->key, got, sizeof got));
  for (const yaml_node_pair_t *q = first; q < p; q++)
    if (!strcmp(ck_scalar(x, q->key), name))
      return ck_error(x, p->key, "duplicate key (first given at line %zu)",
                      ck_node(x, q->key)->start_mark.line + 1);
  if (made_by_set(x, p->key)) {
    int rc = near_miss(x, p, first, top, name);
    if (rc) return rc;
  }
  if (c->n_scenarios == CASE_MAX_SCENARIOS)
    return ck_error(x, p->key, "too many scenarios: at most %d", CASE_MAX_SCENARIOS);
  CaseScenario *s = &c->scenarios[c->n_scenarios];
  memset(s, 0, sizeof *s);
  ck_defaults(&scenario_schema, s, K_SOLID);
  snprintf(s->name, sizeof s->name, "%s", name);
  x->scenario = s;
  int rc = ck_map(x, p->value, p->key, &scenario_schema, s);
  x->scenario = NULL;
  if (rc == EB_OK) c->n_scenarios++;
  return rc;
}

static int check_scenarios(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  (void)f;
  (void)key_id;
  Case *c = base;
  yaml_node_t *n = ck_node(x, value_id);
  if (n->type != YAML_MAPPING_NODE) {
    char got[96];
    return ck_error(x, value_id, "expected a mapping of scenario names to scenarios, got %s",
                    ck_describe(x, value_id, got, sizeof got));
  }
  const yaml_node_pair_t *first = n->data.mapping.pairs.start, *top = n->data.mapping.pairs.top;
  for (const yaml_node_pair_t *p = first; p < top; p++) {
    const char *name = ck_scalar(x, p->key);
    size_t len = ck_push(x, !name ? "?" : *name ? name : "''");
    int rc = check_scenario(x, c, p, first, top);
    ck_pop(x, len);
    if (rc) return rc;
  }
  return EB_OK;
}

static void dump_scenarios(FILE *o, int indent, const Case *c, const void *base) {
  (void)base;
  fprintf(o, "%*sscenarios:%s\n", indent, "", c->n_scenarios ? "" : " {}");
  for (int i = 0; i < c->n_scenarios; i++) {
    char name[80];
    fprintf(o, "%*s%s:\n", indent + 2, "",
            case_quote(c->scenarios[i].name, name, sizeof name));
    case_dump_map(o, indent + 4, &scenario_schema, &c->scenarios[i], K_SOLID, c, 0);
  }
}

/* Case_get: scenarios.NAME.<key>. For Case_set a new name is a new
 * scenario, which the validator judges (as --set on the file). */
static int get_scenarios(Nav *nv, const Field *f, const void *base, char **segs, int n,
                         CaseValue *out) {
  (void)f;
  const Case *c = base;
  nav_push(nv, segs[0]);
  int i = 0;
  while (i < c->n_scenarios && strcmp(c->scenarios[i].name, segs[0])) i++;
  if (i == c->n_scenarios) {
    if (nav_for_set(nv)) return nav_defer(nv);
    char msg[EB_ERRLEN];
    case_scenario_missing(c, segs[0], msg, sizeof msg);
    return nav_error(nv, "%s", msg);
  }
  if (n == 1) return nav_whole(nv, &scenario_schema);
  return nav_map(nv, &scenario_schema, &c->scenarios[i], K_SOLID, segs + 1, n - 1, out);
}

/* ---- top level -------------------------------------------------------- */

/* Order matters: a section comes after the sections its checks read
 * (power needs the die grid, the stack needs materials and the inlet). */
/* clang-format off */
static const Field top_fields[] = {
    {.key = "name", .type = F_NAME, REQUIRED, .cap = CASE_NAME_LEN, .path_part = 1,
     .off = offsetof(Case, name)},
    {.key = "wafer", .type = F_MAP, REQUIRED, .sub = &wafer_schema},
    {.key = "materials", .type = F_CUSTOM, ALWAYS, .sub = &materials_schema,
     .check = check_materials, .dump = dump_materials, .get = get_materials},
    {.key = "coolant", .type = F_MAP, REQUIRED, .sub = &coolant_schema},
    {.key = "power", .type = F_MAP, REQUIRED, .sub = &power_schema},
    {.key = "stack", .type = F_CUSTOM, REQUIRED, .sub = &stack_schema, .check = check_stack,
     .dump = dump_stack, .get = get_stack},
    {.key = "power_delivery", .type = F_CUSTOM, ALWAYS, .sub = &pd_schema, .check = check_pd,
     .dump = dump_pd, .get = get_pd},
    {.key = "mechanics", .type = F_CUSTOM, ALWAYS, .sub = &mech_schema, .check = check_mech,
     .dump = dump_mech, .get = get_mech},
    {.key = "hydraulics", .type = F_MAP, ALWAYS, .sub = &hydraulics_schema},
    {.key = "pumps", .type = F_MAP, ALWAYS, .sub = &pumps_schema},
    {.key = "limits", .type = F_MAP, ALWAYS, .sub = &limits_schema},
    {.key = "sweep", .type = F_CUSTOM, ALWAYS, .sub = &sweep_schema, .check = check_sweep,
     .dump = dump_sweep, .get = get_sweep},
    /* after every section its checks read: the die grid, the fluid, the
     * pumps and the power path */
    {.key = "scenarios", .type = F_CUSTOM, ALWAYS, .sub = &scenarios_schema,
     .check = check_scenarios, .dump = dump_scenarios, .get = get_scenarios},
    {.key = "grid", .type = F_MAP, ALWAYS, .sub = &grid_schema},
    {.key = "solver", .type = F_MAP, ALWAYS, .sub = &solver_schema},
};
/* clang-format on */
/* A limit on a quantity that only an optional section computes. */
typedef struct {
  const char *key;
  size_t off;
} SectionLimit;

/* The first of n such limits set while the section is absent: an error at
 * the limit's value (`model`: what computes them; `section`: its key). */
static int limits_need(Ctx *x, int map_id, const Case *c, const SectionLimit *l, size_t n,
                       const char *model, const char *section) {
  for (size_t i = 0; i < n; i++) {
    if (isnan(*(const double *)((const char *)c + l[i].off))) continue;
    const int lim = ck_map_get(x, map_id, "limits", NULL);
    const int val = lim ? ck_map_get(x, lim, l[i].key, NULL) : 0;
    return ck_error(x, val ? val : map_id,
                    "limits.%s bounds a quantity of %s, and this case has none: add a %s "
                    "section (see docs/case-reference.md), or remove the limit",
                    l[i].key, model, section);
  }
  return EB_OK;
}

/* Rules across sections: where the coolant flow comes from; limits on
 * what the optional models compute need those models. */
static int case_finish(Ctx *x, int map_id, int where_id, void *base) {
  (void)where_id;
  Case *c = base;
  int cool = ck_map_get(x, map_id, "coolant", NULL);
  int src_key = 0;
  if (cool) ck_map_get(x, cool, "flow_source", &src_key);
  int gone = emptied_by_set(x, cool, "flow_lpm");
  if (!c->flow_from_pumps && isnan(c->flow_m3_s) && gone)
    return emptied_error(x, gone, "coolant", "flow_lpm",
                         "give a flow in L/min (> 0), or set coolant.flow_source: pumps");
  if (!c->flow_from_pumps && isnan(c->flow_m3_s))
    return ck_error(x, cool ? cool : map_id,
                    "coolant: missing required key 'flow_lpm' (number, L/min), or set "
                    "flow_source: pumps");
  int pumps = ck_map_get(x, map_id, "pumps", NULL);
  gone = emptied_by_set(x, pumps, "shutoff_kpa");
  if (c->flow_from_pumps && c->pump_curve_q.n == 0 && isnan(c->pump_dp0_pa) && gone)
    return emptied_error(x, gone, "pumps", "shutoff_kpa",
                         "coolant.flow_source: pumps needs a pump curve");
  if (c->flow_from_pumps && c->pump_curve_q.n == 0 && isnan(c->pump_dp0_pa))
    return ck_error(x, src_key ? src_key : map_id,
                    "coolant.flow_source: pumps needs a pump curve: pumps.curve_flow_lpm + "
                    "curve_dp_kpa, or pumps.shutoff_kpa + max_flow_lpm");
  static const SectionLimit pd_limits[] = {
      {"psu_load_max_kw", offsetof(Case, psu_load_max_w)},
      {"brick_current_max_a", offsetof(Case, brick_current_max_a)},
      {"brick_load_max", offsetof(Case, brick_load_max)},
      {"brick_temp_max_c", offsetof(Case, brick_temp_max_k)},
      {"die_voltage_min_v", offsetof(Case, die_voltage_min_v)}};
  static const SectionLimit mech_limits[] = {
      {"connector_shear_strain_max", offsetof(Case, connector_strain_max)},
      {"wafer_stress_max_mpa", offsetof(Case, wafer_stress_max_pa)},
      {"pcb_stress_max_mpa", offsetof(Case, pcb_stress_max_pa)},
      {"edge_slip_max_um", offsetof(Case, edge_slip_max_m)}};
  int rc = c->pd.enabled ? EB_OK
                         : limits_need(x, map_id, c, pd_limits, N_OF(pd_limits),
                                       "the power path", "power_delivery");
  if (rc == EB_OK && !c->mech.enabled)
    rc = limits_need(x, map_id, c, mech_limits, N_OF(mech_limits), "the mechanics model",
                     "mechanics");
  return rc;
}
const Schema case_top_schema = {S_MAP, top_fields, N_OF(top_fields), .finish = case_finish,
                                .what = "case"};

int case_validate(Ctx *x, int root_id) {
  x->kbit = K_SOLID;
  ck_defaults(&case_top_schema, x->c, K_SOLID);
  pd_defaults(x->c);
  mech_defaults(x->c);
  return ck_map(x, root_id, 0, &case_top_schema, x->c);
}
