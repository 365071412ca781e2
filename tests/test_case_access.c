/* test_case_access.c - Case_get / Case_set / Case_fingerprint, the derived
 * defaults, and the grid's view of a case (Grid_case_fingerprint,
 * Grid_dims).
 *
 * The oracle throughout is the file path: Case_read of the file with the
 * same --set. Case_set claims to be exactly that, in memory, so its result
 * must hash equal (Case_fingerprint covers every byte of the struct) and
 * its messages must read the same. Keys are enumerated from the schema
 * tables and the case's own layers, hotspots, materials and lists, so a key
 * added to the tables is covered without editing this file. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case.h"
#include "cases/case_internal.h"
#include "geometry/grid.h"

/* Every custom section in one small case: materials (a library override, a
 * new anisotropic solid, a new solid without rho/cp), per-die weights,
 * hotspots, a flow profile, a pump table, a sweep, explicit derived
 * defaults, a masked layer, cells_z, and one limit left unset. */
static const char ALL_KINDS[] =
    "name: all-kinds\n"
    "wafer: {size_mm: 90, dies: {columns: 3, rows: 2}}\n"
    "power:\n"
    "  total_kw: 4\n"
    "  map: per_die\n"
    "  per_die_weights:\n"
    "    - [1, 1.5, 0.7]\n"
    "    - [0.3, 2, 1]\n"
    "  hotspots:\n"
    "    - {x_mm: 33.3, y_mm: 20.1, width_mm: 0.7, height_mm: 3, flux_w_cm2: 120}\n"
    "stack:\n"
    "  - name: plate\n"
    "    kind: microchannel\n"
    "    base_thickness_mm: 2\n"
    "    channel_width_mm: 0.3\n"
    "    channel_height_mm: 1.5\n"
    "    fin_thickness_mm: 0.2\n"
    "    flow_direction: y\n"
    "    manifold: split\n"
    "    flow_profile: [1, 1.2, 0.9]\n"
    "  - {name: contact, kind: interface, conductance_w_m2k: 30000}\n"
    "  - {name: die, material: silicon, thickness_mm: 0.775, heat_source: true, cells_z: 3}\n"
    "  - {name: pad, material: gap_pad, thickness_mm: 1, size_x_mm: 80, size_y_mm: 70.5}\n"
    "  - {name: glue, material: glue, thickness_mm: 0.2}\n"
    "  - {name: bricks, kind: brick_tiles, thickness_mm: 4, brick_x_mm: 20, brick_y_mm: 30,\n"
    "     cold_plate_h_w_m2k: 2000, cold_plate_c: 27.5}\n"
    "materials:\n"
    "  silicon: {rho_kg_m3: 2329}\n"
    "  gap_pad: {kx_w_mk: 3.5, ky_w_mk: 3.5, kz_w_mk: 7}\n"
    "  glue: {k_w_mk: 0.8}\n"
    "coolant: {fluid: pg25, inlet_c: 20, flow_lpm: 12, constant_properties: true}\n"
    "pumps: {count: 3, running: 2, curve_flow_lpm: [0, 10, 20], curve_dp_kpa: [90, 60, 0]}\n"
    "limits: {junction_max_c: 90, coolant_outlet_max_c: 40, pressure_drop_max_kpa: 80}\n"
    "sweep: [\"power.total_kw=3:5:1\", \"coolant.flow_lpm=10,14\"]\n"
    "scenarios:\n"
    "  warm-up:\n"
    "    description: 'from \"cold\" \\ 25 C'\n"
    "    until_s: 20\n"
    "    start: uniform\n"
    "    start_c: 25\n"
    "    snapshots_s: [0, 2.5, 20]\n"
    "    events:\n"
    "      - {t_s: 0, flow_lpm: 10}\n"
    "      - {t_s: 2, die_scale: 1.5, dies: [[1, 2], [0, 0]]}\n"
    "      - {t_s: 2, pumps: 3, ramp_s: 1.5}\n"
    "      - {t_s: 4.5, power_kw: 3.5, inlet_c: 22.5}\n"
    "grid: {dx_mm: 3, dz_mm: 0.5}\n";

/* A case as a file (path) or as text (label), plus --set strings. */
typedef struct {
  const char *path;
  const char *text;
  int n_sets;
  const char *sets[4];
} Variant;

static const Variant CS3 = {"cases/cs3.yaml", NULL, 0, {NULL}};
static const Variant HOT = {"cases/cs3-hotspots.yaml", NULL, 0, {NULL}};
static const Variant CS4 = {"cases/cs4.yaml", NULL, 0, {NULL}};
static const Variant ALL = {"all-kinds.yaml", ALL_KINDS, 0, {NULL}};

static char err[EB_ERRLEN], err2[EB_ERRLEN];

/* The variant read with its sets plus `extra` (NULL: none). */
static int read_variant(const Variant *v, const char *extra, Case *c, char *e, size_t en) {
  const char *sets[6];
  int n = 0;
  for (int i = 0; i < v->n_sets; i++)
    sets[n++] = v->sets[i];
  if (extra)
    sets[n++] = extra;
  if (v->text)
    return Case_read_string(v->text, v->path, n, sets, c, e, en);
  return Case_read(v->path, n, sets, c, e, en);
}

static void read_ok(const Variant *v, Case *c) {
  cr_assert_eq(read_variant(v, NULL, c, err, sizeof err), EB_OK, "%s", err);
}

/* ---- key enumeration ---------------------------------------------------- */

typedef struct {
  char key[160];
  const Field *f; /* the table row (for custom list items: the list's row) */
} Key;

typedef struct {
  int n;
  Key k[1200];
} Keys;

static void add_key(Keys *ks, const char *key, const Field *f) {
  cr_assert_lt(ks->n, 1200);
  snprintf(ks->k[ks->n].key, sizeof ks->k[0].key, "%s", key);
  ks->k[ks->n++].f = f;
}

static void walk_map(Keys *ks, const Case *c, const Schema *s, const char *prefix, unsigned kbit,
                     const void *base);

static void walk_custom(Keys *ks, const Case *c, const Field *f, const char *key,
                        const void *base) {
  char sub[160];
  if (!strcmp(f->key, "stack")) {
    for (int i = 0; i < c->n_layers; i++) {
      snprintf(sub, sizeof sub, "%.80s.%.63s.", key, c->layers[i].name);
      walk_map(ks, c, &case_layer_schema, sub, 1u << c->layers[i].kind, &c->layers[i]);
    }
  } else if (!strcmp(f->key, "hotspots")) {
    for (int i = 0; i < c->n_hotspots; i++) {
      snprintf(sub, sizeof sub, "%.80s.%d.", key, i);
      walk_map(ks, c, f->sub->item, sub, K_SOLID, NULL);
    }
  } else if (!strcmp(f->key, "materials")) {
    for (int i = 0; i < c->n_materials; i++) {
      snprintf(sub, sizeof sub, "%.80s.%.47s.", key, c->materials[i].solid.name);
      walk_map(ks, c, f->sub->item, sub, K_SOLID, NULL);
    }
  } else if (!strcmp(f->key, "per_die_weights")) {
    for (int r = 0; c->power_map == POWER_PER_DIE && r < c->die_rows; r++)
      for (int j = 0; j < c->die_columns; j++) {
        snprintf(sub, sizeof sub, "%.80s.%d.%d", key, r, j);
        add_key(ks, sub, f);
      }
  } else if (!strcmp(f->key, "power_delivery") || !strcmp(f->key, "mechanics")) {
    /* keys of the file only: a case without the section has none */
    snprintf(sub, sizeof sub, "%.80s.", key);
    int present = !strcmp(f->key, "mechanics") ? c->mech.enabled : c->pd.enabled;
    if (present) walk_map(ks, c, f->sub, sub, K_SOLID, c);
  } else if (!strcmp(f->key, "scenarios")) {
    for (int i = 0; i < c->n_scenarios; i++) {
      snprintf(sub, sizeof sub, "%.80s.%.63s.", key, c->scenarios[i].name);
      walk_map(ks, c, f->sub->item, sub, K_SOLID, &c->scenarios[i]);
    }
  } else if (!strcmp(f->key, "events")) {
    const CaseScenario *s = base;
    for (int i = 0; i < s->n_events; i++) {
      snprintf(sub, sizeof sub, "%.100s.%d.", key, i);
      walk_map(ks, c, f->sub->item, sub, K_SOLID, &s->events[i]);
    }
  } else if (!strcmp(f->key, "snapshots_s")) {
    const CaseScenario *s = base;
    for (int i = 0; i < s->n_snapshots; i++) {
      snprintf(sub, sizeof sub, "%.100s.%d", key, i);
      add_key(ks, sub, f);
    }
  } else if (!strcmp(f->key, "dies")) {
    const CaseEvent *e = base;
    for (int i = 0; i < e->n_dies; i++)
      for (int j = 0; j < 2; j++) {
        snprintf(sub, sizeof sub, "%.100s.%d.%d", key, i, j);
        add_key(ks, sub, f);
      }
  } else if (!strcmp(f->key, "description") || !strcmp(f->key, "pumps") ||
             !strcmp(f->key, "psus_failed")) {
    add_key(ks, key, f); /* single values with a check of their own */
  } else if (!strcmp(f->key, "sweep")) {
    for (int i = 0; i < c->n_sweep; i++) {
      snprintf(sub, sizeof sub, "%.80s.%d", key, i);
      add_key(ks, sub, f);
    }
  } else { /* a list of numbers at base + off */
    const CaseList *l = (const CaseList *)((const char *)base + f->off);
    for (int i = 0; i < l->n; i++) {
      snprintf(sub, sizeof sub, "%.80s.%d", key, i);
      add_key(ks, sub, f);
    }
  }
}

static void walk_map(Keys *ks, const Case *c, const Schema *s, const char *prefix, unsigned kbit,
                     const void *base) {
  for (int i = 0; i < s->n_fields; i++) {
    const Field *f = &s->fields[i];
    if (!(f->kinds & kbit))
      continue;
    char key[160];
    snprintf(key, sizeof key, "%.100s%.50s", prefix, f->key);
    if (f->type == F_MAP) {
      char sub[160];
      snprintf(sub, sizeof sub, "%.150s.", key);
      walk_map(ks, c, f->sub, sub, kbit, base);
    } else if (f->type == F_CUSTOM) {
      walk_custom(ks, c, f, key, base);
    } else {
      add_key(ks, key, f);
    }
  }
}

static Keys *keys_of(const Case *c) {
  Keys *ks = calloc(1, sizeof *ks);
  cr_assert_not_null(ks);
  walk_map(ks, c, &case_top_schema, "", K_SOLID, c);
  return ks;
}

/* ---- messages ------------------------------------------------------------ */

/* A message without its location ("file:line:col: " or "case 'x' with --set
 * k=v: "). Errors about the --set itself start "--set k=v: " on both paths:
 * that prefix is part of what must match. */
static const char *after_location(const char *msg) {
  if (!strncmp(msg, "--set ", 6))
    return msg;
  const char *p = strstr(msg, ": ");
  return p ? p + 2 : msg;
}

/* Two messages say the same: equal, or equal up to a final "got '...'"
 * that quotes the same number spelt differently. A value the set did not
 * touch is quoted from the file on one path ('14.0') and from the struct
 * on the other ('14'): the struct keeps the number, not its spelling. */
static int same_words(const char *a, const char *b) {
  if (!strcmp(a, b))
    return 1;
  const char *ga = strstr(a, "got '"), *gb = strstr(b, "got '");
  for (const char *p = ga; p; p = strstr(p + 1, "got '"))
    ga = p;
  for (const char *p = gb; p; p = strstr(p + 1, "got '"))
    gb = p;
  if (!ga || !gb || ga - a != gb - b || strncmp(a, b, (size_t)(ga - a)))
    return 0;
  char *ea, *eb;
  double va = strtod(ga + 5, &ea), vb = strtod(gb + 5, &eb);
  return ea != ga + 5 && eb != gb + 5 && va == vb && !strcmp(ea, eb);
}

/* ---- round trip over every key ---------------------------------------- */

/* Case_get then Case_set of the text got: a no-op, so the fingerprint
 * (every byte of the struct) must not move. Unset values come back as "~",
 * which --set reads as "not given". */
static void round_trip_all(const Variant *v) {
  static Case base, c;
  read_ok(v, &base);
  uint64_t fp = Case_fingerprint(&base);
  Keys *ks = keys_of(&base);
  cr_assert_gt(ks->n, 20, "%s: only %d keys found", v->path, ks->n);
  for (int i = 0; i < ks->n; i++) {
    CaseValue val;
    cr_assert_eq(Case_get(&base, ks->k[i].key, &val, err, sizeof err), EB_OK, "%s", err);
    memcpy(&c, &base, sizeof c);
    cr_assert_eq(Case_set(&c, ks->k[i].key, val.text, err, sizeof err), EB_OK, "%s=%s: %s",
                 ks->k[i].key, val.text, err);
    cr_assert_eq(Case_fingerprint(&c), fp, "%s: %s=%s changes the case", v->path, ks->k[i].key,
                 val.text);
  }
  cr_log_info("%s: %d keys round-trip", v->path, ks->n);
  free(ks);
}

Test(case_access, round_trip_cs3) { round_trip_all(&CS3); }
Test(case_access, round_trip_cs3_hotspots) { round_trip_all(&HOT); }
Test(case_access, round_trip_cs4) { round_trip_all(&CS4); }
Test(case_access, round_trip_all_sections) { round_trip_all(&ALL); }

/* ---- a changed value, in memory and through the file ------------------- */

/* Candidate new values for a key: a few per type, so that at least one is
 * usually valid (a 10 % step may break a rule that depends on other keys). */
static int candidates(const Key *k, const CaseValue *v, char out[][64]) {
  int n = 0;
  const Field *f = k->f;
  /* a scenario event's integers (pumps, PSUs, die indices) are custom keys */
  int integer = f->type == F_INT || !strcmp(f->key, "pumps") || !strcmp(f->key, "psus_failed") ||
                !strcmp(f->key, "dies");
  if (v->kind == CASE_VALUE_NUMBER && integer) {
    snprintf(out[n++], 64, "%d", (int)v->number + 1);
    snprintf(out[n++], 64, "%d", (int)v->number - 1);
  } else if (v->kind == CASE_VALUE_NUMBER) {
    snprintf(out[n++], 64, "%.6g", v->number * 1.1);
    snprintf(out[n++], 64, "%.6g", v->number * 0.9);
    snprintf(out[n++], 64, "%.6g", v->number + 1);
  } else if (v->kind == CASE_VALUE_UNSET) {
    snprintf(out[n++], 64, "1");
    snprintf(out[n++], 64, "30");
    snprintf(out[n++], 64, "100");
  } else if (f->type == F_BOOL) {
    snprintf(out[n++], 64, "%s", strcmp(v->text, "true") ? "true" : "false");
  } else if (f->type == F_WORD) {
    for (const char *const *w = f->words(); *w && n < 4; w++)
      if (strcmp(*w, v->text))
        snprintf(out[n++], 64, "%s", *w);
  } else if (f->type == F_SOLID) {
    snprintf(out[n++], 64, "%s", strcmp(v->text, "fr4") ? "fr4" : "aluminium");
  } else if (f->type == F_NAME) {
    snprintf(out[n++], 64, "%.40s-renamed", v->text);
  } else { /* sweep item */
    snprintf(out[n++], 64, "coolant.flow_lpm=50,60");
  }
  int m = 0; /* a candidate that spells the current value is no change */
  for (int i = 0; i < n; i++)
    if (strcmp(out[i], v->text))
      memmove(out[m++], out[i], 64);
  return m;
}

/* One key: the first candidate the file accepts must give, through
 * Case_set, a case with the same fingerprint; every candidate the file
 * rejects must be rejected by Case_set too, with the same message after
 * its location, and leave the case as it was. Returns 1 if a changed
 * value was compared. */
static int change_one(const Variant *v, const Case *base, const Key *k) {
  static Case c, from_file;
  CaseValue val;
  char cand[4][64];
  cr_assert_eq(Case_get(base, k->key, &val, err, sizeof err), EB_OK, "%s", err);
  int nc = candidates(k, &val, cand);
  for (int i = 0; i < nc; i++) {
    char set[sizeof k->key + 72];
    snprintf(set, sizeof set, "%s=%.63s", k->key, cand[i]);
    int rc_file = read_variant(v, set, &from_file, err2, sizeof err2);
    memcpy(&c, base, sizeof c);
    int rc = Case_set(&c, k->key, cand[i], err, sizeof err);
    cr_assert_eq(rc, rc_file, "%s: Case_set %d (%s), file %d (%s)", set, rc, err, rc_file, err2);
    if (rc == EB_OK) {
      cr_assert_eq(Case_fingerprint(&c), Case_fingerprint(&from_file),
                   "%s: Case_set differs from the file with --set", set);
      cr_assert_neq(Case_fingerprint(&c), Case_fingerprint(base), "%s changed nothing", set);
      return 1;
    }
    /* A layer's kind alone never changes validly (each kind has its own
     * required keys). The first misfit named can differ: the dump the
     * set is applied to writes every default (heat_source: false), the
     * file only what it says. Both must fail; the words are not compared. */
    if (strcmp(k->f->key, "kind"))
      cr_assert(same_words(after_location(err), after_location(err2)), "%s:\n%s\n%s", set, err,
                err2);
    cr_assert(memcmp(&c, base, sizeof c) == 0, "%s: a failed Case_set changed the case", set);
  }
  return 0;
}

/* The scenario a scenarios.NAME... key is in (NULL: none), and its event
 * for scenarios.NAME.events.I... keys (else NULL). */
static const CaseScenario *scenario_of(const Case *c, const char *key, const CaseEvent **ev) {
  char name[64];
  int n = 0, i;
  *ev = NULL;
  if (sscanf(key, "scenarios.%63[^.].%n", name, &n) != 1 || n == 0) return NULL;
  const CaseScenario *s = NULL;
  for (int j = 0; !s && j < c->n_scenarios; j++)
    if (!strcmp(c->scenarios[j].name, name)) s = &c->scenarios[j];
  if (s && sscanf(key + n, "events.%d.", &i) == 1 && i < s->n_events) *ev = &s->events[i];
  return s;
}

/* Why no candidate value of a scenario key fits on its own (NULL: one does). */
static const char *scenario_fixed(const Case *c, const Key *k) {
  const CaseEvent *ev;
  const CaseScenario *s = scenario_of(c, k->key, &ev);
  if (!s) return NULL;
  const char *f = k->f->key;
  int curve = c->pump_curve_q.n > 0 || !isnan(c->pump_dp0_pa);
  if (!strcmp(f, "start_c") && !s->start_uniform) return "start_c needs start: uniform";
  if (!strcmp(f, "start") && s->start_uniform && !isnan(s->start_t_k))
    return "a steady start takes no start_c";
  if (ev && !strcmp(f, "flow_lpm") && ev->pumps >= 0) return "the event sets pumps";
  if (ev && !strcmp(f, "pumps") && !isnan(ev->flow_m3_s)) return "the event sets flow_lpm";
  if (ev && !strcmp(f, "pumps") && ev->pumps < 0 && !curve) return "pumps need a pump curve";
  if (ev && !strcmp(f, "psus_failed") && !c->pd.enabled) return "PSUs need power_delivery";
  /* times and die indices: the candidates (the same as change_one's) that
   * stay in order, in the run, in the die grid and apart from the others */
  int snap = !strcmp(f, "snapshots_s"), t = ev && !strcmp(f, "t_s"), die = !strcmp(f, "dies");
  if (!snap && !t && !die) return NULL;
  CaseValue v;
  char cand[4][64];
  cr_assert_eq(Case_get(c, k->key, &v, err, sizeof err), EB_OK, "%s", err);
  int nc = candidates(k, &v, cand);
  const char *last = strrchr(k->key, '.') + 1;
  for (int i = 0; i < nc; i++) {
    double x = strtod(cand[i], NULL);
    if (snap) {
      int j = atoi(last);
      double lo = j > 0 ? s->snapshot_s[j - 1] : -INFINITY;
      double hi = j + 1 < s->n_snapshots ? s->snapshot_s[j + 1] : INFINITY;
      if (x > lo && x < hi && x >= 0 && x <= s->until_s) return NULL;
    } else if (t) {
      int j = (int)(ev - s->events);
      double lo = j > 0 ? s->events[j - 1].t_s : 0;
      double hi = j + 1 < s->n_events ? s->events[j + 1].t_s : s->until_s;
      if (x >= lo && x <= hi && x >= 0 && x <= s->until_s) return NULL;
    } else {
      int d, col;
      cr_assert_eq(sscanf(strstr(k->key, ".dies.") + 6, "%d.%d", &d, &col), 2);
      int r = col ? ev->die_row[d] : (int)x, cc = col ? (int)x : ev->die_col[d];
      int ok = x == floor(x) && r >= 0 && r < c->die_rows && cc >= 0 && cc < c->die_columns;
      for (int m = 0; ok && m < ev->n_dies; m++)
        ok = m == d || ev->die_row[m] != r || ev->die_col[m] != cc;
      if (ok) return NULL;
    }
  }
  return snap ? "a snapshot stays between its neighbours" : t ? "events stay in time order"
                                                             : "a die stays in the grid, once";
}

/* Why a key cannot take any other value on its own (NULL: it can). Such
 * keys are still compared, as failures on both paths. */
static const char *fixed_alone(const Case *c, const Key *k) {
  const char *f = k->f->key;
  const char *scn = scenario_fixed(c, k);
  if (scn) return scn;
  if (!strcmp(f, "kind"))
    return "each layer kind has its own required keys";
  if (!strcmp(f, "heat_source"))
    return "exactly one layer is the heat source";
  if (!strcmp(f, "map"))
    return "per_die needs per_die_weights, uniform forbids them";
  if ((!strcmp(f, "columns") || !strcmp(f, "rows")) && c->power_map == POWER_PER_DIE)
    return "the per-die weights have the die grid's shape";
  static const char *const pd_limits[] = {"limits.psu_load_max_kw", "limits.brick_current_max_a",
                                          "limits.brick_load_max", "limits.brick_temp_max_c",
                                          "limits.die_voltage_min_v"};
  for (size_t i = 0; !c->pd.enabled && i < sizeof pd_limits / sizeof pd_limits[0]; i++)
    if (!strcmp(k->key, pd_limits[i])) return "a power-path limit needs a power_delivery section";
  if (c->pd.enabled && !strncmp(k->key, "stack.", 6) &&
      (strstr(k->key, c->pd.pcb_layer) || strstr(k->key, c->pd.connector_layer))) {
    if (!strcmp(f, "name")) return "power_delivery names this layer (pcb.layer, connector.layer)";
    if (!strcmp(f, "size_x_mm") || !strcmp(f, "size_y_mm"))
      return "the power path's PCB and connector cover the whole wafer";
  }
  if (!strcmp(k->key, "power_delivery.pcb.layer") ||
      !strcmp(k->key, "power_delivery.connector.layer"))
    return "it names a layer of the stack; another name is another layer";
  static const char *const mech_limits[] = {
      "limits.connector_shear_strain_max", "limits.wafer_stress_max_mpa",
      "limits.pcb_stress_max_mpa", "limits.edge_slip_max_um"};
  for (size_t i = 0; !c->mech.enabled && i < sizeof mech_limits / sizeof mech_limits[0]; i++)
    if (!strcmp(k->key, mech_limits[i])) return "a mechanics limit needs a mechanics section";
  const char *const mech_layers[] = {c->mech.wafer_layer, c->mech.connector_layer,
                                     c->mech.pcb_layer, c->mech.cold_plate_layer};
  for (int i = 0; c->mech.enabled && i < 4; i++) {
    char layer[96];
    snprintf(layer, sizeof layer, "stack.%.63s.", mech_layers[i]);
    if (strncmp(k->key, layer, strlen(layer))) continue;
    if (!strcmp(f, "name")) return "mechanics names this layer";
    if (!strcmp(f, "size_x_mm") || !strcmp(f, "size_y_mm"))
      return "the mechanics model's plates cover the whole wafer";
  }
  if (c->mech.enabled && !strncmp(k->key, "mechanics.", 10) && k->f->type == F_NAME)
    return "it names a layer of the stack; another name is another layer";
  if (!strcmp(k->key, "power.clock") && c->die_model == DIE_POWER_FIXED)
    return "the clock scales the electrical die model, which a fixed die power has not";
  char name[64];
  CaseValue v;
  if (sscanf(k->key, "materials.%63[^.]", name) == 1 && !Materials_solid(name) &&
      !strncmp(f, "k", 1) && strcmp(f, "k_temp_exponent") &&
      Case_get(c, k->key, &v, err, sizeof err) == EB_OK && v.kind == CASE_VALUE_UNSET)
    return "a new solid gives k_w_mk or kx/ky/kz; this is the other form, which conflicts";
  if (sscanf(k->key, "materials.%63[^.]", name) == 1 &&
      (!strcmp(f, "e_gpa") || !strcmp(f, "poisson") || !strcmp(f, "cte_ppm_k")) &&
      Case_get(c, k->key, &v, err, sizeof err) == EB_OK && v.kind == CASE_VALUE_UNSET)
    return "a solid without mechanical data takes e_gpa, poisson and cte_ppm_k together";
  return NULL;
}

static void change_all(const Variant *v) {
  static Case base;
  read_ok(v, &base);
  Keys *ks = keys_of(&base);
  int changed = 0;
  for (int i = 0; i < ks->n; i++) {
    int ok = change_one(v, &base, &ks->k[i]);
    const char *why = fixed_alone(&base, &ks->k[i]);
    cr_assert(ok || why, "%s: no candidate value of %s was valid", v->path, ks->k[i].key);
    cr_assert(!ok || !why, "%s: %s changed alone, though %s", v->path, ks->k[i].key, why);
    changed += ok;
  }
  cr_log_info("%s: %d of %d keys changed identically to the file", v->path, changed, ks->n);
  free(ks);
}

Test(case_access, change_like_file_cs3, .timeout = 60) { change_all(&CS3); }
Test(case_access, change_like_file_cs3_hotspots, .timeout = 60) { change_all(&HOT); }
Test(case_access, change_like_file_cs4, .timeout = 60) { change_all(&CS4); }
Test(case_access, change_like_file_all_sections, .timeout = 60) { change_all(&ALL); }

/* ---- set then get ---------------------------------------------------------- */

static void set_ok(Case *c, const char *key, const char *value) {
  cr_assert_eq(Case_set(c, key, value, err, sizeof err), EB_OK, "%s=%s: %s", key, value, err);
}

static CaseValue get_ok(const Case *c, const char *key) {
  CaseValue v;
  cr_assert_eq(Case_get(c, key, &v, err, sizeof err), EB_OK, "%s: %s", key, err);
  return v;
}

static void expect_number(const Case *c, const char *key, double want, const char *unit) {
  CaseValue v = get_ok(c, key);
  cr_assert_eq(v.kind, CASE_VALUE_NUMBER, "%s", key);
  /* exact: the text given reads to this double, and the unit inverse is exact */
  cr_assert(v.number == want, "%s: got %.17g, want %.17g", key, v.number, want);
  cr_assert_str_eq(v.unit, unit, "%s", key);
}

static void expect_text(const Case *c, const char *key, const char *want) {
  CaseValue v = get_ok(c, key);
  cr_assert_eq(v.kind, CASE_VALUE_TEXT, "%s", key);
  cr_assert_str_eq(v.text, want, "%s", key);
}

/* The value set is the value got, in the key's unit, for each kind of key;
 * and the struct holds it in SI (so the navigation reached the right field). */
Test(case_access, set_then_get) {
  static Case c;
  read_ok(&HOT, &c);
  set_ok(&c, "coolant.inlet_c", "30.5");
  expect_number(&c, "coolant.inlet_c", 30.5, "C");
  cr_assert(c.inlet_t_k == 30.5 + 273.15);
  set_ok(&c, "stack.2.thickness_mm", "0.7");
  expect_number(&c, "stack.wafer.thickness_mm", 0.7, "mm");
  set_ok(&c, "power.hotspots.0.x_mm", "171");
  expect_number(&c, "power.hotspots.0.x_mm", 171, "mm");
  expect_number(&c, "power.hotspots.0.width_mm", 6, "mm");
  set_ok(&c, "power.per_die_weights.3.5", "2.5");
  expect_number(&c, "power.per_die_weights.3.5", 2.5, "");
  cr_assert(c.die_weight[3][5] == 2.5);
  set_ok(&c, "materials.silicon.k_w_mk", "140");
  expect_number(&c, "materials.silicon.k_w_mk", 140, "W/mK");
  cr_assert(Case_solid(&c, "silicon")->kz_w_mk == 140);
  set_ok(&c, "coolant.fluid", "pg25");
  expect_text(&c, "coolant.fluid", "pg25");
  set_ok(&c, "coolant.constant_properties", "yes");
  expect_text(&c, "coolant.constant_properties", "true");
  set_ok(&c, "stack.cold_plate.flow_direction", "y");
  expect_text(&c, "stack.cold_plate.flow_direction", "y");
  set_ok(&c, "stack.wafer.name", "die");
  expect_text(&c, "stack.die.name", "die");
  set_ok(&c, "stack.pcb.material", "fr4");
  expect_text(&c, "stack.pcb.material", "fr4");
  set_ok(&c, "limits.junction_max_c", "~");
  cr_assert_eq(get_ok(&c, "limits.junction_max_c").kind, CASE_VALUE_UNSET);
  cr_assert(isnan(c.junction_max_k));
  cr_assert_str_eq(c.path, "cases/cs3-hotspots.yaml", "Case_set keeps the path");
}

Test(case_access, set_then_get_lists_and_sweep) {
  static Case c;
  read_ok(&ALL, &c);
  set_ok(&c, "pumps.curve_flow_lpm.1", "11");
  expect_number(&c, "pumps.curve_flow_lpm.1", 11, "L/min");
  set_ok(&c, "stack.plate.flow_profile.2", "1.5");
  expect_number(&c, "stack.plate.flow_profile.2", 1.5, "");
  set_ok(&c, "sweep.1", "coolant.inlet_c=20,25");
  expect_text(&c, "sweep.1", "coolant.inlet_c=20,25");
  expect_number(&c, "materials.gap_pad.kz_w_mk", 7, "W/mK");
  cr_assert_eq(get_ok(&c, "materials.gap_pad.k_w_mk").kind, CASE_VALUE_UNSET,
               "anisotropic: no single k");
  cr_assert_eq(get_ok(&c, "materials.glue.rho_kg_m3").kind, CASE_VALUE_UNSET,
               "a new solid's unknown density is unset, as in the dump");
  expect_number(&c, "materials.copper.k_w_mk", Materials_solid("copper")->kx_w_mk, "W/mK");
}

/* ---- messages -------------------------------------------------------------- */

/* Case_set's message is the file's, word for word (both start "--set k=v: "
 * since the error is about the set value or its key), and *c is untouched. */
static void same_error(const Variant *v, const char *key, const char *value) {
  static Case c, before, from_file;
  char set[256];
  snprintf(set, sizeof set, "%s=%s", key, value);
  read_ok(v, &c);
  memcpy(&before, &c, sizeof c);
  cr_assert_eq(read_variant(v, set, &from_file, err2, sizeof err2), EB_EINPUT, "%s", set);
  cr_assert_eq(Case_set(&c, key, value, err, sizeof err), EB_EINPUT, "%s", set);
  cr_assert_str_eq(err, err2);
  cr_assert(memcmp(&c, &before, sizeof c) == 0, "%s: *c changed", set);
}

Test(case_access, errors_like_the_file) {
  same_error(&CS3, "coolant.inlet_c", "300");        /* out of range */
  same_error(&CS3, "coolant.flow_lpm", "fast");      /* wrong type */
  same_error(&CS3, "wafer.dies.columns", "12.5");    /* not an integer */
  same_error(&CS3, "coolant.fluid", "watr");         /* unknown word */
  same_error(&CS3, "stack.wafer.heat_source", "maybe");
  same_error(&CS3, "coolant.flow_lmp", "3");         /* unknown key, did you mean */
  same_error(&CS3, "limit.junction_max_c", "3");
  same_error(&CS3, "stack.wafer.thicknes_mm", "1");
  same_error(&CS3, "stack.wafr.thickness_mm", "1");  /* unknown layer name */
  same_error(&CS3, "stack.9.thickness_mm", "1");     /* index out of range */
  same_error(&HOT, "power.hotspots.5.x_mm", "1");
  same_error(&HOT, "power.per_die_weights.7.0", "1");
  same_error(&HOT, "power.per_die_weights.0.12", "1");
  same_error(&CS3, "coolant", "3");                  /* a mapping */
  same_error(&CS3, "stack.wafer", "3");
  same_error(&CS3, "power.hotspots", "3");           /* a sequence */
  same_error(&CS3, "coolant.inlet_c.x", "3");        /* below a single value */
  same_error(&CS3, "stack.wafer.channel_width_mm", "3"); /* another layer kind's key */
  same_error(&CS3, "stack.bricks.brick_x_mm", "20"); /* range from other keys: die pitch */
  same_error(&CS3, "pumps.running", "3");            /* running <= count */
  same_error(&CS3, "materials.foo.rho_kg_m3", "3");  /* a new solid needs k */
  same_error(&CS3, "coolant..inlet_c", "3");         /* malformed */
  const char *want = "--set coolant.inlet_c=300: coolant.inlet_c: expected a number >= 5 and "
                     "<= 80 (C) (water property table range), got '300'";
  static Case c;
  read_ok(&CS3, &c);
  cr_assert_eq(Case_set(&c, "coolant.inlet_c", "300", err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, want);
}

/* Case_get resolves keys with the same navigation: its message is Case_set's
 * without the "--set k=v: " in front. */
static void same_key_error(const char *key) {
  static Case c;
  read_ok(&HOT, &c);
  CaseValue v;
  cr_assert_eq(Case_get(&c, key, &v, err, sizeof err), EB_EINPUT, "%s", key);
  cr_assert_eq(Case_set(&c, key, "1", err2, sizeof err2), EB_EINPUT, "%s", key);
  char prefix[256];
  snprintf(prefix, sizeof prefix, "--set %s=1: ", key);
  cr_assert(!strncmp(err2, prefix, strlen(prefix)), "%s", err2);
  char want[EB_ERRLEN];
  strcpy(want, err2 + strlen(prefix));
  /* "can be set" is the one word that differs */
  char *p = strstr(want, "can be set");
  if (p)
    memcpy(p, "can be got", 10);
  cr_assert_str_eq(err, want);
}

Test(case_access, get_errors_match_set) {
  same_key_error("coolant.flow_lmp");
  same_key_error("limit.junction_max_c");
  same_key_error("stack.wafr.thickness_mm");
  same_key_error("stack.9.thickness_mm");
  same_key_error("power.hotspots.5.x_mm");
  same_key_error("power.hotspots.0.x");
  same_key_error("power.per_die_weights.3");
  same_key_error("coolant");
  same_key_error("materials.silicon");
  same_key_error("coolant.inlet_c.x");
  same_key_error("pumps.curve_flow_lpm.0");
}

/* Keys the struct has no value for: words of the validator, not a crash. */
Test(case_access, get_errors_without_a_value) {
  static Case c;
  CaseValue v;
  read_ok(&CS3, &c);
  cr_assert_eq(Case_get(&c, "stack.wafer.channel_width_mm", &v, err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "stack.wafer.channel_width_mm: channel_width_mm does not apply to a layer "
                        "of kind 'solid' (it is a key of microchannel layers)");
  cr_assert_eq(Case_get(&c, "power.per_die_weights.0.0", &v, err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "power.per_die_weights: per_die_weights is only used with map: per_die");
  cr_assert_eq(Case_get(&c, "materials.unobtainium.k_w_mk", &v, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "materials.unobtainium: no solid of that name; solids: ") == err, "%s",
            err);
  cr_assert_eq(Case_get(&c, "a..b", &v, err, sizeof err), EB_EINPUT);
  cr_assert_eq(Case_get(&c, "", &v, err, sizeof err), EB_EINPUT);
}

/* A rule across keys fails at a value the set did not touch: the message
 * names the case and the set instead of a line of the internal dump, and
 * says the same as the file does after its location. */
static void cross_key(const Variant *v, const char *key, const char *value, const char *start) {
  static Case c, before, from_file;
  char set[256];
  snprintf(set, sizeof set, "%s=%s", key, value);
  read_ok(v, &c);
  memcpy(&before, &c, sizeof c);
  cr_assert_eq(Case_set(&c, key, value, err, sizeof err), EB_EINPUT, "%s", set);
  cr_assert(!strncmp(err, start, strlen(start)), "got: %s\nwant start: %s", err, start);
  cr_assert(memcmp(&c, &before, sizeof c) == 0, "%s: *c changed", set);
  cr_assert_eq(read_variant(v, set, &from_file, err2, sizeof err2), EB_EINPUT);
  char file_pos[64];
  snprintf(file_pos, sizeof file_pos, "%s:", v->path);
  cr_assert(!strncmp(err2, file_pos, strlen(file_pos)), "the file names a position: %s", err2);
  cr_assert(same_words(after_location(err), after_location(err2)), "%s\n%s", err, err2);
}

Test(case_access, cross_key_messages) {
  cross_key(&HOT, "power.total_kw", "0.1",
            "case 'cs3-hotspots' with --set power.total_kw=0.1: power.hotspots: the hotspots "
            "alone make ");
  cross_key(&CS3, "wafer.dies.columns", "16",
            "case 'cs3-baseline' with --set wafer.dies.columns=16: stack.bricks.brick_x_mm: "
            "expected a number >= 0.01 and <= 13.4375 (mm) (die pitch");
  cross_key(&ALL, "pumps.count", "1",
            "case 'all-kinds' with --set pumps.count=1: pumps: running (2) exceeds count (1)");
}

/* A layer's kind changed alone fails at the first key that does not fit
 * the new kind; keys the dump wrote as ~ (not set) do not count, as empty
 * optional values never do, so the message names a key the case holds. */
Test(case_access, kind_change_names_a_real_misfit) {
  static Case c;
  read_ok(&CS3, &c);
  cr_assert_eq(Case_set(&c, "stack.wafer.kind", "brick_tiles", err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "case 'cs3-baseline' with --set stack.wafer.kind=brick_tiles: "
                        "stack.wafer.heat_source: heat_source does not apply to a layer of kind "
                        "'brick_tiles' (it is a key of solid layers)");
  /* the same rule in a file: an empty key of another kind is absent */
  static const char *text = "name: k\n"
                            "wafer: {size_mm: 100}\n"
                            "power: {total_kw: 5}\n"
                            "coolant: {inlet_c: 25, flow_lpm: 10}\n"
                            "stack:\n"
                            "  - {name: cp, kind: microchannel, base_thickness_mm: 2,\n"
                            "     channel_width_mm: 0.3, channel_height_mm: 1.5,\n"
                            "     fin_thickness_mm: 0.2, size_x_mm: ~}\n"
                            "  - {name: die, material: silicon, thickness_mm: 0.7,\n"
                            "     heat_source: true, flow_profile: ~}\n";
  cr_assert_eq(Case_read_string(text, "k.yaml", 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
}

/* ---- derived defaults ------------------------------------------------------ */

/* Unset, they follow the key they derive from; set, they stay put. The
 * oracle is the arithmetic of the reader: Unit_to_si(C, 30) = 30 + 273.15. */
Test(case_access, derived_defaults_follow) {
  static Case c;
  read_ok(&CS3, &c);
  const CaseLayer *bricks = &c.layers[c.n_layers - 1];
  cr_assert(isnan(bricks->cold_plate_t_k), "cold_plate_c unset stays unresolved");
  cr_assert_eq(get_ok(&c, "stack.bricks.cold_plate_c").kind, CASE_VALUE_UNSET);
  set_ok(&c, "coolant.inlet_c", "30");
  cr_assert(Case_brick_plate_t_k(&c, &c.layers[c.n_layers - 1]) == 30 + 273.15);
  cr_assert_eq(c.pump_running, 0);
  cr_assert_eq(get_ok(&c, "pumps.running").kind, CASE_VALUE_UNSET);
  set_ok(&c, "pumps.count", "3");
  cr_assert_eq(Case_pumps_running(&c), 3);
  set_ok(&c, "pumps.running", "2");
  set_ok(&c, "pumps.count", "4");
  cr_assert_eq(Case_pumps_running(&c), 2, "an explicit running stays");
  set_ok(&c, "stack.bricks.cold_plate_c", "25");
  set_ok(&c, "coolant.inlet_c", "20");
  cr_assert(Case_brick_plate_t_k(&c, &c.layers[c.n_layers - 1]) == 25 + 273.15);
  /* the dump writes ~ for both when unset, and reads back the same */
  static Case d;
  read_ok(&CS3, &c);
  char *text = Case_dump_string(&c);
  cr_assert(strstr(text, "running: ~") && strstr(text, "cold_plate_c: ~"), "%s", text);
  cr_assert_eq(Case_read_string(text, "cases/cs3.yaml", 0, NULL, &d, err, sizeof err), EB_OK);
  cr_assert_eq(Case_fingerprint(&d), Case_fingerprint(&c));
  free(text);
}

/* ---- fingerprints ------------------------------------------------------------ */

/* Equal values hash equal however they were reached; one bit of difference
 * does not (FNV-1a over the bytes). */
Test(case_access, fingerprint) {
  static Case a, b;
  read_ok(&CS3, &a);
  read_ok(&CS3, &b);
  cr_assert_eq(Case_fingerprint(&a), Case_fingerprint(&b));
  set_ok(&b, "coolant.flow_lpm", "99");
  cr_assert_neq(Case_fingerprint(&a), Case_fingerprint(&b));
  set_ok(&b, "coolant.flow_lpm", "100");
  cr_assert_eq(Case_fingerprint(&a), Case_fingerprint(&b));
  b.dx_m = nextafter(b.dx_m, 1.0);
  cr_assert_neq(Case_fingerprint(&a), Case_fingerprint(&b));
}

/* ---- the grid's view of a case ------------------------------------------ */

/* Coarse lateral cells keep the many grids of these tests small; the keys
 * under test place lines independently of dx. */
static const Variant HOT_COARSE = {"cases/cs3-hotspots.yaml", NULL, 1, {"grid.dx_mm=5"}};
static const Variant ALL_COARSE = {"all-kinds.yaml", ALL_KINDS, 1, {"grid.dx_mm=5"}};
static const Variant CS4_COARSE = {"cases/cs4.yaml", NULL, 1, {"grid.dx_mm=5"}};

static Grid *grid_of(const Case *c) {
  Grid *g = NULL;
  cr_assert_eq(Grid_create(c, &g, err, sizeof err), EB_OK, "%s", err);
  return g;
}

/* A field Grid_create does not read: the case changes, its grid
 * fingerprint does not, and the grid built is the same. */
static void grid_blind(const Variant *v, const char *key, const char *value) {
  static Case base, c;
  read_ok(v, &base);
  memcpy(&c, &base, sizeof c);
  set_ok(&c, key, value);
  cr_assert_neq(Case_fingerprint(&c), Case_fingerprint(&base), "%s=%s changed nothing", key,
                value);
  cr_assert_eq(Grid_case_fingerprint(&c), Grid_case_fingerprint(&base), "%s=%s", key, value);
  Grid *g0 = grid_of(&base), *g1 = grid_of(&c);
  cr_assert(Grid_same(g0, g1), "%s=%s changes the grid", key, value);
  Grid_destroy(g0);
  Grid_destroy(g1);
}

/* A field that places grid lines or fills cells: the fingerprint moves, and
 * the grid does differ (so the fingerprint is not merely conservative). */
static void grid_sees(const Variant *v, const char *key, const char *value) {
  static Case base, c;
  read_ok(v, &base);
  memcpy(&c, &base, sizeof c);
  set_ok(&c, key, value);
  cr_assert_neq(Grid_case_fingerprint(&c), Grid_case_fingerprint(&base), "%s=%s", key, value);
  Grid *g0 = grid_of(&base), *g1 = grid_of(&c);
  cr_assert(!Grid_same(g0, g1), "%s=%s leaves the grid as it was", key, value);
  Grid_destroy(g0);
  Grid_destroy(g1);
}

Test(grid_view, blanked_fields_keep_the_grid, .timeout = 120) {
  static const char *const sets[][2] = {
      {"name", "other"},
      {"power.total_kw", "30"},
      {"power.per_die_weights.3.5", "2"},
      {"power.hotspots.0.flux_w_cm2", "300"},
      {"coolant.fluid", "pg25"},
      {"coolant.inlet_c", "30"},
      {"coolant.flow_lpm", "50"},
      {"coolant.flow_source", "pumps"},
      {"coolant.constant_properties", "true"},
      {"hydraulics.manifold_entry_k", "0.7"},
      {"hydraulics.manifold_exit_k", "0.8"},
      {"hydraulics.pipe_diameter_mm", "20"},
      {"hydraulics.fittings_k", "2"},
      {"hydraulics.quick_disconnects", "4"},
      {"hydraulics.quick_disconnect_k", "1"},
      {"pumps.count", "3"},
      {"pumps.running", "1"},
      {"pumps.arrangement", "series"},
      {"pumps.efficiency", "0.6"},
      {"pumps.shutoff_kpa", "200"},
      {"pumps.max_flow_lpm", "150"},
      {"limits.junction_max_c", "90"},
      {"limits.coolant_outlet_max_c", "50"},
      {"limits.pressure_drop_max_kpa", "120"},
      {"limits.velocity_max_m_s", "2"},
      {"solver.linear_tol", "1e-9"},
      {"solver.nonlinear_tol_k", "1e-3"},
      {"solver.max_nonlinear_iters", "30"},
      {"solver.max_linear_iters", "500"},
      {"stack.contact.conductance_w_m2k", "20000"},
      {"stack.cold_plate.channel_width_mm", "0.25"},
      {"stack.cold_plate.channel_height_mm", "3"},
      {"stack.cold_plate.fin_thickness_mm", "0.25"},
      {"stack.cold_plate.cover", "adiabatic"},
      {"stack.bricks.cold_plate_h_w_m2k", "100"},
      {"stack.bricks.cold_plate_c", "30"},
      {"stack.wafer.name", "die"},
  };
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
    grid_blind(&HOT_COARSE, sets[i][0], sets[i][1]);
  grid_blind(&ALL_COARSE, "stack.plate.flow_profile.1", "2");
  grid_blind(&ALL_COARSE, "pumps.curve_dp_kpa.1", "50");
  grid_blind(&ALL_COARSE, "pumps.curve_flow_lpm.1", "12");
  grid_blind(&CS4_COARSE, "sweep.0", "coolant.flow_lpm=50,60");
}

Test(grid_view, grid_fields_change_the_fingerprint, .timeout = 120) {
  grid_sees(&HOT_COARSE, "grid.dx_mm", "4");
  grid_sees(&HOT_COARSE, "grid.dz_mm", "0.5");
  grid_sees(&HOT_COARSE, "stack.wafer.thickness_mm", "0.8");
  grid_sees(&HOT_COARSE, "power.hotspots.0.x_mm", "160");
  grid_sees(&HOT_COARSE, "power.hotspots.1.height_mm", "6");
  grid_sees(&HOT_COARSE, "materials.silicon.k_w_mk", "140");
  grid_sees(&HOT_COARSE, "wafer.size_mm", "210");
  grid_sees(&HOT_COARSE, "stack.bricks.brick_x_mm", "12");
  grid_sees(&HOT_COARSE, "stack.pcb.material", "fr4");
  grid_sees(&ALL_COARSE, "stack.pad.size_x_mm", "60");
  grid_sees(&ALL_COARSE, "stack.die.cells_z", "4");
}

/* Grid_dims is the size Grid_create makes, for cases of every shape
 * (masked layers, hotspots, a split manifold along y, fine and coarse). */
static void dims_agree(const Variant *v) {
  static Case c;
  read_ok(v, &c);
  int nx, ny, nz;
  cr_assert_eq(Grid_dims(&c, &nx, &ny, &nz), EB_OK);
  Grid *g = grid_of(&c);
  cr_assert(nx == g->nx && ny == g->ny && nz == g->nz, "%s: dims %d x %d x %d, grid %d x %d x %d",
            v->path, nx, ny, nz, g->nx, g->ny, g->nz);
  Grid_destroy(g);
}

Test(grid_view, dims_agree_with_create, .timeout = 120) {
  static const Variant TP = {"tests/cases/tuckerman_pease.yaml", NULL, 0, {NULL}};
  dims_agree(&CS3);
  dims_agree(&HOT_COARSE);
  dims_agree(&CS4_COARSE);
  dims_agree(&ALL);
  dims_agree(&ALL_COARSE);
  dims_agree(&TP);
}
