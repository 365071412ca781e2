/* case_check.c - the validator engine: walks a libyaml document against
 * the schema tables of case_schema.c, converts values to SI and writes
 * one clear message for the first problem found.
 *
 * Nothing here knows about a particular key: per-key facts (type, range,
 * unit, target) live in the tables, cross-key rules in the tables' check
 * and finish hooks. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case_internal.h"

/* ---- units ------------------------------------------------------------ */

static const struct {
  const char *label;
  double mul, div, add;
} units[U_COUNT] = {
    [U_NONE] = {"", 1, 1, 0},         [U_MM] = {"mm", 1e-3, 1, 0},
    [U_C] = {"C", 1, 1, 273.15},      [U_KW] = {"kW", 1e3, 1, 0},
    [U_LPM] = {"L/min", 1, 60000, 0}, [U_WCM2] = {"W/cm^2", 1e4, 1, 0},
    [U_WM2K] = {"W/m^2K", 1, 1, 0},   [U_WMK] = {"W/mK", 1, 1, 0},
    [U_K] = {"K", 1, 1, 0},           [U_KGM3] = {"kg/m^3", 1, 1, 0},
    [U_JKGK] = {"J/kgK", 1, 1, 0},     [U_KPA] = {"kPa", 1000, 1, 0},
    [U_MS] = {"m/s", 1, 1, 0},        [U_V] = {"V", 1, 1, 0},
    [U_A] = {"A", 1, 1, 0},           [U_W] = {"W", 1, 1, 0},
    [U_MOHM] = {"mohm", 1e-3, 1, 0},  [U_UOHM] = {"uohm", 1e-6, 1, 0},
    [U_GPA] = {"GPa", 1e9, 1, 0},     [U_MPA] = {"MPa", 1e6, 1, 0},
    /* divided, not multiplied by 1e-6 (not a double): 17 ppm/K gives the
     * double nearest 17e-6, as the library's literals are */
    [U_PPMK] = {"ppm/K", 1, 1e6, 0},  [U_UM] = {"um", 1, 1e6, 0},
    [U_S] = {"s", 1, 1, 0},
};

const char *Unit_label(Unit u) { return units[u].label; }

double Unit_to_si(Unit u, double v) { return v * units[u].mul / units[u].div + units[u].add; }

void case_fmt_double(char *buf, size_t n, double v) {
  /* %.17g always round-trips; the shortest precision that does is nicer
   * to read (0.775, not 0.77500000000000002) and just as exact. */
  int p = 1;
  while (p < 17) {
    snprintf(buf, n, "%.*g", p, v);
    if (strtod(buf, NULL) == v)
      break;
    p++;
  }
  /* %g switches to an exponent once the precision is below the number of
   * integer digits ("1e+02"); widen it so 100 prints as 100 */
  int digits = v != 0 && isfinite(v) ? (int)floor(log10(fabs(v))) + 1 : 0;
  if (digits > p && digits <= 17)
    p = digits;
  snprintf(buf, n, "%.*g", p, v);
}

double Unit_from_si(Unit u, double si) {
  if (!isfinite(si))
    return si;
  double v0 = (si - units[u].add) * units[u].div / units[u].mul;
  /* The plain inverse can miss by an ulp; search neighbours for values the
   * reader maps back exactly, preferring the shortest decimal text. */
  double best = v0;
  size_t best_len = 100;
  for (int dir = -1; dir <= 1; dir += 2) {
    double v = v0;
    for (int k = 0; k <= 8; k++) {
      if (Unit_to_si(u, v) == si) {
        char buf[40];
        case_fmt_double(buf, sizeof buf, v);
        if (strlen(buf) < best_len) {
          best_len = strlen(buf);
          best = v;
        }
      }
      v = nextafter(v, dir * INFINITY);
    }
  }
  return best;
}

/* ---- messages --------------------------------------------------------- */

static int verror(Ctx *x, int set_index, int node_id, const char *fmt, va_list ap) {
  char msg[EB_ERRLEN];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (!x->err || x->err_size == 0)
    return EB_EINPUT;
  if (set_index < 0 && node_id > 0 && node_id < x->n_set_of && x->set_of[node_id] > 0)
    set_index = x->set_of[node_id] - 1;
  const char *sep = x->path[0] ? ": " : "";
  if (set_index >= 0) {
    const char *set = x->sets[set_index] ? x->sets[set_index] : "";
    snprintf(x->err, x->err_size, "--set %s: %s%s%s", set, x->path, sep, msg);
    return EB_EINPUT;
  }
  if (x->where) {
    snprintf(x->err, x->err_size, "%s: %s%s%s", x->where, x->path, sep, msg);
    return EB_EINPUT;
  }
  yaml_node_t *n = node_id > 0 ? ck_node(x, node_id) : NULL;
  size_t line = n ? n->start_mark.line + 1 : 1, col = n ? n->start_mark.column + 1 : 1;
  snprintf(x->err, x->err_size, "%s:%zu:%zu: %s%s%s", x->label, line, col, x->path, sep, msg);
  return EB_EINPUT;
}

int ck_error(Ctx *x, int node_id, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = verror(x, -1, node_id, fmt, ap);
  va_end(ap);
  return rc;
}

int ck_set_error(Ctx *x, int set_index, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = verror(x, set_index, 0, fmt, ap);
  va_end(ap);
  return rc;
}

size_t ck_push(Ctx *x, const char *segment) {
  size_t len = strlen(x->path);
  snprintf(x->path + len, sizeof x->path - len, "%s%s", len ? "." : "", segment);
  return len;
}

size_t ck_push_index(Ctx *x, int index) {
  char buf[16];
  snprintf(buf, sizeof buf, "%d", index);
  return ck_push(x, buf);
}

void ck_pop(Ctx *x, size_t len) { x->path[len] = '\0'; }

/* ---- nodes ------------------------------------------------------------ */

yaml_node_t *ck_node(const Ctx *x, int id) { return yaml_document_get_node(x->doc, id); }

const char *ck_scalar(const Ctx *x, int id) {
  yaml_node_t *n = ck_node(x, id);
  return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int ck_is_null(const Ctx *x, int id) {
  yaml_node_t *n = ck_node(x, id);
  if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return 0;
  const char *s = (const char *)n->data.scalar.value;
  return !strcmp(s, "") || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
         !strcmp(s, "NULL");
}

const char *ck_describe(const Ctx *x, int id, char *buf, size_t n) {
  yaml_node_t *node = ck_node(x, id);
  if (!node) {
    snprintf(buf, n, "nothing");
  } else if (node->type == YAML_MAPPING_NODE) {
    snprintf(buf, n, "a mapping");
  } else if (node->type == YAML_SEQUENCE_NODE) {
    snprintf(buf, n, "a sequence");
  } else if (ck_is_null(x, id)) {
    snprintf(buf, n, "an empty value");
  } else {
    const char *s = (const char *)node->data.scalar.value;
    int quoted = node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    snprintf(buf, n, "%s'%.60s%s'", quoted ? "the quoted string " : "", s,
             strlen(s) > 60 ? "..." : "");
  }
  return buf;
}

int ck_map_get(const Ctx *x, int map_id, const char *key, int *key_id) {
  yaml_node_t *m = ck_node(x, map_id);
  if (!m || m->type != YAML_MAPPING_NODE)
    return 0;
  for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
    const char *k = ck_scalar(x, p->key);
    if (k && !strcmp(k, key)) {
      if (key_id)
        *key_id = p->key;
      return p->value;
    }
  }
  return 0;
}

/* ---- scalars ---------------------------------------------------------- */

int ck_parse_number(const char *s, double *v) {
  if (!s || !*s)
    return 0;
  /* decimal only: strtod alone would also take hex, "inf" and "nan" */
  for (const char *p = s; *p; p++)
    if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p))
      return 0;
  char *end;
  double d = strtod(s, &end);
  if (*end != '\0' || !isfinite(d))
    return 0;
  *v = d;
  return 1;
}

int ck_valid_name(const char *s, size_t max_len) {
  size_t n = strlen(s);
  if (n == 0 || n > max_len)
    return 0;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
      return 0;
  return 1;
}

/* Optimal-string-alignment distance: edits plus adjacent swaps, so that
 * "flow_lmp" is one edit from "flow_lpm". */
static int edit_distance(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  if (na > 63 || nb > 63)
    return 99;
  int d[64][64];
  for (size_t i = 0; i <= na; i++)
    d[i][0] = (int)i;
  for (size_t j = 0; j <= nb; j++)
    d[0][j] = (int)j;
  for (size_t i = 1; i <= na; i++)
    for (size_t j = 1; j <= nb; j++) {
      int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
      int best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < best)
        best = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[na][nb];
}

const char *ck_suggest(const char *word, const char *const *cands, int n) {
  size_t len = strlen(word);
  int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
  const char *best = NULL;
  int best_d = limit + 1;
  for (int i = 0; i < n; i++) {
    int d = edit_distance(word, cands[i]);
    if (d < best_d) {
      best_d = d;
      best = cands[i];
    }
  }
  /* keys end in their unit: "rho" or "flow" means "rho_kg_m3", "flow_lpm" */
  for (int i = 0; !best && len > 0 && i < n; i++)
    if (!strncmp(cands[i], word, len) && cands[i][len] == '_')
      best = cands[i];
  return best;
}

/* Append "a, b, c" to buf. */
static void join_words(char *buf, size_t n, const char *const *w, int count) {
  for (int i = 0; i < count; i++) {
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s%s", i ? ", " : "", w[i]);
  }
}

void ck_unknown_key_hint(const Schema *s, unsigned kbit, const char *key, char *buf, size_t n) {
  const char *cands[64] = {NULL};
  int nc = 0;
  for (int i = 0; i < s->n_fields && nc < 64; i++)
    if (s->fields[i].kinds & kbit)
      cands[nc++] = s->fields[i].key;
  const char *best = ck_suggest(key, cands, nc);
  if (best) {
    snprintf(buf, n, "unknown key; did you mean '%s'?", best);
  } else {
    snprintf(buf, n, "unknown key; valid keys: ");
    join_words(buf, n, cands, nc);
  }
}

const Field *ck_find_field(const Schema *s, const char *key) {
  for (int i = 0; i < s->n_fields; i++)
    if (!strcmp(s->fields[i].key, key))
      return &s->fields[i];
  return NULL;
}

/* ---- ranges and expectations ------------------------------------------ */

const Field *ck_overridden(const Ctx *x, const char *a, const char *b, const char *k) {
  if (!x->scenario || !x->doc)
    return NULL;
  const char *const path[3] = {a, b, k};
  const Schema *s = &case_top_schema;
  const Field *f = NULL;
  int id = 1; /* the root */
  for (int i = 0; i < 3 && path[i]; i++) {
    f = s ? ck_find_field(s, path[i]) : NULL;
    if (!f)
      return NULL;
    s = f->sub;
    id = id ? ck_map_get(x, id, path[i], NULL) : 0;
  }
  return id > 0 && id < x->n_set_of && x->set_of[id] > 0 ? f : NULL;
}

void ck_range(const Ctx *x, const Field *f, double *min, double *max, char *note, size_t n) {
  *min = f->min;
  *max = f->max;
  note[0] = '\0';
  const Case *c = x->c;
  switch (f->range) {
  case R_FIXED:
    break;
  case R_FLUID: {
    double lo, hi;
    Materials_fluid_range(c->fluid, &lo, &hi);
    int any = ck_overridden(x, "coolant", "fluid", NULL) != NULL;
    for (int k = 0; any && k < FLUID_COUNT; k++) { /* the widest of them */
      double l, h;
      Materials_fluid_range((FluidKind)k, &l, &h);
      lo = fmin(lo, l);
      hi = fmax(hi, h);
    }
    /* table ends are whole degrees; round off the K -> C subtraction */
    *min = round((lo - 273.15) * 1e6) / 1e6;
    *max = round((hi - 273.15) * 1e6) / 1e6;
    if (any)
      snprintf(note, n, "any coolant's property table range: --set changes coolant.fluid");
    else
      snprintf(note, n, "%s property table range", Materials_fluid_names()[c->fluid]);
    break;
  }
  case R_WAFER:
    *max = Unit_from_si(U_MM, c->wafer_size_m);
    snprintf(note, n, "wafer.size_mm");
    break;
  case R_PITCH_X:
    *max = Unit_from_si(U_MM, c->wafer_size_m) / c->die_columns;
    snprintf(note, n, "die pitch: wafer.size_mm / dies.columns");
    break;
  case R_PITCH_Y:
    *max = Unit_from_si(U_MM, c->wafer_size_m) / c->die_rows;
    snprintf(note, n, "die pitch: wafer.size_mm / dies.rows");
    break;
  /* Within a scenario, a range that follows a key a --set changed is that
   * key's own range: the scenario was written for the file, and a steady
   * run with --set pumps.count=1 must not fail over a scenario it does not
   * run. Case_scenario judges the scenario against the case when it is
   * asked for. */
  case R_DIE_ROW:
  case R_DIE_COL: {
    const char *key = f->range == R_DIE_ROW ? "rows" : "columns";
    const Field *g = ck_overridden(x, "wafer", "dies", key);
    *max = (g ? g->max : f->range == R_DIE_ROW ? c->die_rows : c->die_columns) - 1;
    snprintf(note, n, g ? "wafer.dies.%s's range - 1: --set changes it" : "wafer.dies.%s - 1", key);
    break;
  }
  case R_PUMPS: {
    const Field *g = ck_overridden(x, "pumps", "count", NULL);
    *max = g ? g->max : c->pump_count;
    snprintf(note, n, g ? "pumps.count's range: --set changes it" : "pumps.count");
    break;
  }
  case R_PSUS: {
    const Field *g = ck_overridden(x, "power_delivery", "psu", "count");
    *max = (g ? g->max : c->pd.psu_count) - 1;
    snprintf(note, n, g ? "power_delivery.psu.count's range - 1: --set changes it"
                        : "power_delivery.psu.count - 1");
    break;
  }
  case R_UNTIL:
    *max = x->scenario ? Unit_from_si(U_S, x->scenario->until_s) : INFINITY;
    snprintf(note, n, "the scenario's until_s");
    break;
  }
}

static const char *const bool_words[] = {"true", "false", "yes", "no", NULL};

static int count_words(const char *const *w) {
  int n = 0;
  while (w[n])
    n++;
  return n;
}

void ck_expect(const Ctx *x, const Field *f, char *buf, size_t n) {
  buf[0] = '\0';
  if (f->type == F_NUM || f->type == F_INT) {
    double lo, hi;
    char note[96];
    ck_range(x, f, &lo, &hi, note, sizeof note);
    int len = snprintf(buf, n, "%s %s %.10g", f->type == F_NUM ? "a number" : "an integer",
                       f->min_open ? ">" : ">=", lo);
    if (isfinite(hi) && len >= 0 && (size_t)len < n)
      len += snprintf(buf + len, n - len, " and %s %.10g", f->max_open ? "<" : "<=", hi);
    if (f->unit != U_NONE && len >= 0 && (size_t)len < n)
      len += snprintf(buf + len, n - len, " (%s)", Unit_label(f->unit));
    if (note[0] && len >= 0 && (size_t)len < n)
      snprintf(buf + len, n - len, " (%s)", note);
  } else if (f->type == F_BOOL) {
    snprintf(buf, n, "true or false");
  } else if (f->type == F_WORD) {
    const char *const *w = f->words();
    snprintf(buf, n, "one of ");
    join_words(buf, n, w, count_words(w));
  } else if (f->type == F_NAME) {
    snprintf(buf, n, "a name of 1 to %zu characters from [A-Za-z0-9_.-]%s", f->cap - 1,
             f->path_part ? " that does not start with '.' or '-' (it names the output "
                            "directory out/<name>)"
                          : "");
  } else if (f->type == F_SOLID) {
    const char *const *w = Materials_solid_names();
    snprintf(buf, n, "a solid: ");
    join_words(buf, n, w, count_words(w));
    for (int i = 0; i < x->c->n_materials; i++) {
      if (Materials_solid(x->c->materials[i].solid.name))
        continue; /* listed already */
      size_t len = strlen(buf);
      snprintf(buf + len, n - len, ", %s", x->c->materials[i].solid.name);
    }
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, " (or a new one under materials)");
  } else {
    snprintf(buf, n, "%s", f->sub && f->sub->what ? f->sub->what : "a mapping");
  }
}

void ck_brief(const Ctx *x, const Field *f, char *buf, size_t n) {
  switch (f->type) {
  case F_NUM:
    if (f->unit != U_NONE)
      snprintf(buf, n, "number, %s", Unit_label(f->unit));
    else
      snprintf(buf, n, "number");
    break;
  case F_INT:
    snprintf(buf, n, "integer");
    break;
  case F_NAME:
    snprintf(buf, n, "name");
    break;
  case F_SOLID:
    snprintf(buf, n, "solid name");
    break;
  default:
    ck_expect(x, f, buf, n);
  }
}

/* ---- values ----------------------------------------------------------- */

static void *at(void *base, size_t off) { return (char *)base + off; }

/* A number must be a plain scalar: quoted '21' is a string in YAML. */
static int number_of(const Ctx *x, int id, double *v) {
  yaml_node_t *n = ck_node(x, id);
  return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
         ck_parse_number((const char *)n->data.scalar.value, v);
}

static int in_range(const Ctx *x, const Field *f, double v) {
  double lo, hi;
  char note[96];
  ck_range(x, f, &lo, &hi, note, sizeof note);
  return (f->min_open ? v > lo : v >= lo) && (f->max_open ? v < hi : v <= hi);
}

static int bad_value(Ctx *x, const Field *f, int id, const char *extra) {
  char expect[512], got[96];
  ck_expect(x, f, expect, sizeof expect);
  return ck_error(x, id, "expected %s, got %s%s", expect, ck_describe(x, id, got, sizeof got),
                  extra ? extra : "");
}

static int find_word(const char *const *w, const char *s, int fold) {
  for (int i = 0; w[i]; i++)
    if (fold ? !strcasecmp(w[i], s) : !strcmp(w[i], s))
      return i;
  return -1;
}

static int check_word(Ctx *x, const Field *f, int id, void *base) {
  const char *s = ck_scalar(x, id);
  const char *const *w = f->words();
  int i = s ? find_word(w, s, 0) : -1;
  if (i < 0) {
    char hint[96] = "";
    const char *best = s ? ck_suggest(s, w, count_words(w)) : NULL;
    if (best)
      snprintf(hint, sizeof hint, "; did you mean '%s'?", best);
    return bad_value(x, f, id, hint);
  }
  if (f->store_char)
    *(char *)at(base, f->off) = w[i][0];
  else
    *(int *)at(base, f->off) = i;
  return EB_OK;
}

int ck_field(Ctx *x, const Field *f, int key_id, int value_id, void *base) {
  double v;
  const char *s = ck_scalar(x, value_id);
  switch (f->type) {
  case F_NUM:
    if (!number_of(x, value_id, &v) || !in_range(x, f, v))
      return bad_value(x, f, value_id, NULL);
    *(double *)at(base, f->off) = Unit_to_si(f->unit, v);
    return EB_OK;
  case F_INT:
    if (!number_of(x, value_id, &v) || v != floor(v) || !in_range(x, f, v))
      return bad_value(x, f, value_id, NULL);
    *(int *)at(base, f->off) = (int)v;
    return EB_OK;
  case F_BOOL: {
    yaml_node_t *n = ck_node(x, value_id);
    int i = s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? find_word(bool_words, s, 1) : -1;
    if (i < 0)
      return bad_value(x, f, value_id, NULL);
    *(int *)at(base, f->off) = (i % 2 == 0); /* true, yes */
    return EB_OK;
  }
  case F_NAME:
    /* a directory name: '.', '..' and hidden names start with '.', and a
     * leading '-' reads as an option to the shell tools that list out/ */
    if (!s || !ck_valid_name(s, f->cap - 1) || (f->path_part && strchr(".-", s[0])))
      return bad_value(x, f, value_id, NULL);
    snprintf((char *)at(base, f->off), f->cap, "%s", s);
    return EB_OK;
  case F_WORD:
    return check_word(x, f, value_id, base);
  case F_SOLID:
    if (!s || strlen(s) >= f->cap || !Case_solid(x->c, s)) {
      char hint[96] = "";
      const char *const *w = Materials_solid_names();
      const char *best = s ? ck_suggest(s, w, count_words(w)) : NULL;
      if (best)
        snprintf(hint, sizeof hint, "; did you mean '%s'?", best);
      return bad_value(x, f, value_id, hint);
    }
    snprintf((char *)at(base, f->off), f->cap, "%s", s);
    return EB_OK;
  case F_MAP:
    return ck_map(x, value_id, key_id, f->sub, base);
  case F_CUSTOM:
    return f->check(x, f, key_id, value_id, base);
  }
  return EB_OK;
}

/* ---- mappings --------------------------------------------------------- */

const char *ck_kind_names(unsigned kinds, char *buf, size_t n) {
  const char *const *w = case_kind_words();
  int total = 0, k = 0;
  for (int i = 0; w[i]; i++)
    total += (kinds >> i) & 1;
  buf[0] = '\0';
  for (int i = 0; w[i]; i++)
    if (kinds & (1u << i)) {
      size_t len = strlen(buf);
      k++;
      snprintf(buf + len, n - len, "%s%s", k == 1 ? "" : k == total ? " and " : ", ", w[i]);
    }
  return buf;
}

/* Keys of a mapping: scalars, unique, known (and valid for the layer kind). */
static int check_keys(Ctx *x, yaml_node_t *m, const Schema *s) {
  for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
    char got[96], buf[512];
    const char *k = ck_scalar(x, p->key);
    if (!k)
      return ck_error(x, p->key, "expected a key name, got %s",
                      ck_describe(x, p->key, got, sizeof got));
    for (yaml_node_pair_t *q = m->data.mapping.pairs.start; q < p; q++) {
      const char *k2 = ck_scalar(x, q->key);
      if (k2 && !strcmp(k, k2)) {
        size_t len = ck_push(x, k);
        yaml_node_t *first = ck_node(x, q->key);
        int rc = ck_error(x, p->key, "duplicate key (first given at line %zu)",
                          first->start_mark.line + 1);
        ck_pop(x, len);
        return rc;
      }
    }
    const Field *f = ck_find_field(s, k);
    if (f && (f->kinds & x->kbit))
      continue;
    /* a key of another layer kind left empty counts as absent, like any
     * empty optional value (after --set of a layer's kind, the keys the
     * dump wrote as ~ for the old kind must not stand in the way) */
    if (f && ck_is_null(x, p->value))
      continue;
    size_t len = ck_push(x, k);
    int rc;
    if (f) {
      char mine[64], theirs[96];
      ck_kind_names(x->kbit, mine, sizeof mine);
      rc = ck_error(x, p->key,
                    "%s does not apply to a layer of kind '%s' (it is a key of %s layers)", k, mine,
                    ck_kind_names(f->kinds, theirs, sizeof theirs));
    } else {
      ck_unknown_key_hint(s, x->kbit, k, buf, sizeof buf);
      rc = ck_error(x, p->key, "%s", buf);
    }
    ck_pop(x, len);
    return rc;
  }
  return EB_OK;
}

static int missing_key(Ctx *x, const Schema *s, const Field *f, int where_id) {
  char brief[512], kinds[64] = "";
  ck_brief(x, f, brief, sizeof brief);
  if (s == &case_layer_schema) {
    char names[48];
    snprintf(kinds, sizeof kinds, " for a layer of kind '%s'",
             ck_kind_names(x->kbit, names, sizeof names));
  }
  return ck_error(x, where_id, "missing required key '%s' (%s)%s", f->key, brief, kinds);
}

int ck_map(Ctx *x, int map_id, int where_id, const Schema *s, void *base) {
  yaml_node_t *m = ck_node(x, map_id);
  if (!m || m->type != YAML_MAPPING_NODE) {
    char got[96];
    return ck_error(x, map_id, "expected a mapping (%s), got %s", s->what,
                    ck_describe(x, map_id, got, sizeof got));
  }
  int rc = check_keys(x, m, s);
  if (rc)
    return rc;
  /* Values in table order, not file order: the tables list a key before
   * the keys whose checks depend on it (fluid before inlet_c). */
  for (int i = 0; i < s->n_fields; i++) {
    const Field *f = &s->fields[i];
    if (!(f->kinds & x->kbit))
      continue;
    int key_id = 0, value_id = ck_map_get(x, map_id, f->key, &key_id);
    int required = (f->req & x->kbit) != 0;
    /* an optional key given as null (`limits:` with nothing) keeps its default */
    if (!value_id || (!required && ck_is_null(x, value_id))) {
      if (required)
        return missing_key(x, s, f, where_id ? where_id : map_id);
      continue;
    }
    size_t len = ck_push(x, f->key);
    rc = ck_field(x, f, key_id, value_id, base);
    ck_pop(x, len);
    if (rc)
      return rc;
  }
  return s->finish ? s->finish(x, map_id, where_id ? where_id : map_id, base) : EB_OK;
}

void ck_defaults(const Schema *s, void *base, unsigned kbit) {
  for (int i = 0; i < s->n_fields; i++) {
    const Field *f = &s->fields[i];
    if (!(f->kinds & kbit))
      continue;
    switch (f->type) {
    case F_NUM:
      *(double *)at(base, f->off) = Unit_to_si(f->unit, f->def);
      break;
    case F_INT:
    case F_BOOL:
      *(int *)at(base, f->off) = (int)f->def;
      break;
    case F_WORD:
      if (f->store_char)
        *(char *)at(base, f->off) = f->words()[(int)f->def][0];
      else
        *(int *)at(base, f->off) = (int)f->def;
      break;
    case F_SOLID:
    case F_NAME:
      if (f->sdef)
        snprintf((char *)at(base, f->off), f->cap, "%s", f->sdef);
      break;
    case F_MAP:
      ck_defaults(f->sub, base, kbit);
      break;
    case F_CUSTOM:
      break;
    }
  }
}
