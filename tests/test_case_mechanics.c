/* test_case_mechanics.c - the case-file side of the thermo-mechanics: the
 * `mechanics` section (defaults with and without it, SI values, every rule
 * with its message and position), the materials' mechanical keys, the four
 * mechanics limits, --set / Case_set / Case_get of each key, and the dump
 * round trip. The solver is not involved. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case.h"
#include "cases/case_internal.h"

/* A case with every mechanics key spelt out; the line numbers matter. */
static const char MECH[] =
    "name: mech\n"                                                                   /* 1 */
    "wafer: {size_mm: 100, dies: {columns: 2, rows: 2}}\n"                           /* 2 */
    "power: {total_kw: 5}\n"                                                         /* 3 */
    "coolant: {inlet_c: 25, flow_lpm: 10}\n"                                         /* 4 */
    "stack:\n"                                                                       /* 5 */
    "  - {name: cold_plate, kind: microchannel, base_thickness_mm: 2, "
    "channel_width_mm: 0.3, channel_height_mm: 1.5, fin_thickness_mm: 0.2}\n"        /* 6 */
    "  - {name: contact, kind: interface, conductance_w_m2k: 50000}\n"               /* 7 */
    "  - {name: wafer, material: silicon, thickness_mm: 0.775, heat_source: true}\n" /* 8 */
    "  - {name: connector, material: elastomer_connector, thickness_mm: 1}\n"        /* 9 */
    "  - {name: pcb, material: pcb_laminate, thickness_mm: 3.2}\n"                   /* 10 */
    "  - {name: bricks, kind: brick_tiles, thickness_mm: 6, brick_x_mm: 14, "
    "brick_y_mm: 24}\n"                                                              /* 11 */
    "mechanics:\n"                                                                   /* 12 */
    "  reference_c: 25\n"                                                            /* 13 */
    "  wafer: wafer\n"                                                               /* 14 */
    "  connector: connector\n"                                                       /* 15 */
    "  pcb: pcb\n"                                                                   /* 16 */
    "  cold_plate: cold_plate\n"                                                     /* 17 */
    "  contact: slip\n"                                                              /* 18 */
    "  friction_coefficient: 0.2\n"                                                  /* 19 */
    "  preload_kpa: 500\n";                                                          /* 20 */

/* The same case without the section (and so without the model). */
static const char *no_mech(void) {
  static char buf[4096];
  snprintf(buf, sizeof buf, "%.*s", (int)(strstr(MECH, "mechanics:\n") - MECH), MECH);
  return buf;
}

#define LAYERS "cold_plate, contact, wafer, connector, pcb, bricks"

/* ---- helpers ---------------------------------------------------------- */

/* `text` with the first `from` replaced by `to` (the text must contain it). */
static const char *edit(const char *text, const char *from, const char *to) {
  static char bufs[4][8192];
  static int k;
  char *out = bufs[k++ % 4];
  const char *p = strstr(text, from);
  cr_assert(p != NULL, "test fixture does not contain '%s'", from);
  snprintf(out, sizeof bufs[0], "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
  return out;
}

/* `text` with `more` appended (a further section). */
static const char *plus(const char *text, const char *more) {
  static char bufs[4][8192];
  static int k;
  char *out = bufs[k++ % 4];
  size_t a = strlen(text), b = strlen(more);
  cr_assert_lt(a + b, sizeof bufs[0]);
  memmove(out, text, a); /* text may be an older buffer of this or edit() */
  memcpy(out + a, more, b + 1);
  return out;
}

static Case the_case;
static char err[EB_ERRLEN];

static int read_sets(const char *text, int n, const char *const *sets) {
  return Case_read_string(text, "t.yaml", n, sets, &the_case, err, sizeof err);
}

static void expect_ok(const char *text, int n, const char *const *sets) {
  int rc = read_sets(text, n, sets);
  cr_assert_eq(rc, EB_OK, "expected a valid case, got %d: %s", rc, err);
}

/* EB_EINPUT with exactly this message (position included). */
static void expect_message(const char *text, int n, const char *const *sets, const char *msg) {
  int rc = read_sets(text, n, sets);
  cr_assert_eq(rc, EB_EINPUT, "expected EB_EINPUT, got %d (%s)", rc, err);
  cr_assert_str_eq(err, msg);
}

#define NO_SETS 0, NULL
#define ONE_SET(s)                                                                                 \
  1, (const char *const[]) { s }

static CaseValue get_ok(const Case *c, const char *key) {
  CaseValue v;
  cr_assert_eq(Case_get(c, key, &v, err, sizeof err), EB_OK, "%s: %s", key, err);
  return v;
}

/* Case_get gives exactly `want` in `unit` (the unit inverse is exact). */
static void expect_number(const Case *c, const char *key, double want, const char *unit) {
  CaseValue v = get_ok(c, key);
  cr_assert_eq(v.kind, CASE_VALUE_NUMBER, "%s", key);
  cr_assert(v.number == want, "%s: got %.17g, want %.17g", key, v.number, want);
  cr_assert_str_eq(v.unit, unit, "%s", key);
}

static void expect_text(const Case *c, const char *key, const char *want) {
  CaseValue v = get_ok(c, key);
  cr_assert_eq(v.kind, CASE_VALUE_TEXT, "%s", key);
  cr_assert_str_eq(v.text, want, "%s", key);
}

static void expect_unset(const Case *c, const char *key) {
  cr_assert_eq(get_ok(c, key).kind, CASE_VALUE_UNSET, "%s", key);
}

static void set_ok(Case *c, const char *key, const char *value) {
  cr_assert_eq(Case_set(c, key, value, err, sizeof err), EB_OK, "%s=%s: %s", key, value, err);
}

/* ---- reading ----------------------------------------------------------- */

static void expect_defaults(const CaseMechanics *m) {
  cr_assert(m->t_ref_k == 25 + 273.15);
  cr_assert_str_eq(m->wafer_layer, "wafer");
  cr_assert_str_eq(m->connector_layer, "connector");
  cr_assert_str_eq(m->pcb_layer, "pcb");
  cr_assert_str_eq(m->cold_plate_layer, "cold_plate");
  cr_assert_eq(m->contact, CONTACT_SLIP);
  cr_assert(m->friction_coeff == 0.2);
  cr_assert(m->preload_pa == 500e3);
}

/* Without the section: no model, but every default is there for Case_get,
 * and the dump writes nothing (as for power_delivery). */
Test(case_mechanics, absent_section_defaults) {
  expect_ok(no_mech(), NO_SETS);
  cr_assert_eq(the_case.mech.enabled, 0);
  expect_defaults(&the_case.mech);
  expect_number(&the_case, "mechanics.reference_c", 25, "C");
  expect_text(&the_case, "mechanics.wafer", "wafer");
  expect_text(&the_case, "mechanics.cold_plate", "cold_plate");
  expect_text(&the_case, "mechanics.contact", "slip");
  expect_number(&the_case, "mechanics.friction_coefficient", 0.2, "");
  expect_number(&the_case, "mechanics.preload_kpa", 500, "kPa");
  expect_unset(&the_case, "limits.wafer_stress_max_mpa");
  cr_assert(isnan(the_case.connector_strain_max) && isnan(the_case.wafer_stress_max_pa) &&
            isnan(the_case.pcb_stress_max_pa) && isnan(the_case.edge_slip_max_m));
  char *d = Case_dump_string(&the_case);
  cr_assert_not_null(d);
  cr_assert(strstr(d, "mechanics") == NULL, "no section, nothing dumped:\n%s", d);
  free(d);
}

Test(case_mechanics, section_with_defaults) {
  expect_ok(MECH, NO_SETS);
  cr_assert_eq(the_case.mech.enabled, 1);
  expect_defaults(&the_case.mech);
  /* `mechanics: {}` is the model with every default; an empty value is absent */
  expect_ok(plus(no_mech(), "mechanics: {}\n"), NO_SETS);
  cr_assert_eq(the_case.mech.enabled, 1);
  expect_defaults(&the_case.mech);
  expect_ok(plus(no_mech(), "mechanics:\n"), NO_SETS);
  cr_assert_eq(the_case.mech.enabled, 0);
}

Test(case_mechanics, section_in_si) {
  const char *t = edit(MECH, "reference_c: 25", "reference_c: -20.5");
  t = edit(t, "contact: slip", "contact: friction");
  t = edit(t, "friction_coefficient: 0.2", "friction_coefficient: 0.35");
  t = edit(t, "preload_kpa: 500", "preload_kpa: 750");
  expect_ok(t, NO_SETS);
  const CaseMechanics *m = &the_case.mech;
  cr_assert(m->t_ref_k == -20.5 + 273.15);
  cr_assert_eq(m->contact, CONTACT_FRICTION);
  cr_assert(m->friction_coeff == 0.35);
  cr_assert(m->preload_pa == 750e3);
}

/* Other layer names: the model follows the names, not the defaults. */
Test(case_mechanics, named_layers) {
  const char *t = edit(MECH, "{name: pcb,", "{name: board,");
  t = edit(t, "  pcb: pcb\n", "  pcb: board\n");
  t = edit(t, "{name: cold_plate,", "{name: plate,");
  t = edit(t, "  cold_plate: cold_plate\n", "  cold_plate: plate\n");
  expect_ok(t, NO_SETS);
  cr_assert_str_eq(the_case.mech.pcb_layer, "board");
  cr_assert_str_eq(the_case.mech.cold_plate_layer, "plate");
  expect_text(&the_case, "mechanics.pcb", "board");
}

Test(case_mechanics, material_keys_in_si) {
  const char *t = plus(MECH, "materials:\n"
                             "  silicon: {e_gpa: 150, poisson: 0.27, cte_ppm_k: 3,\n"
                             "            shear_modulus_mpa: 60000}\n"
                             "  invar: {k_w_mk: 10, e_gpa: 141, poisson: 0.26, cte_ppm_k: -1.5}\n"
                             "  brick: {e_gpa: 20, poisson: 0, cte_ppm_k: 0}\n"
                             "  filler: {shear_modulus_mpa: 2.5}\n");
  expect_ok(t, NO_SETS);
  const Solid *si = Case_solid(&the_case, "silicon");
  cr_assert(si->e_pa == 150e9 && si->nu == 0.27 && si->alpha_per_k == 3e-6 && si->g_pa == 60e9);
  cr_assert(si->kx_w_mk == Materials_solid("silicon")->kx_w_mk, "the rest stays the library's");
  const Solid *inv = Case_solid(&the_case, "invar");
  cr_assert(inv->e_pa == 141e9 && inv->nu == 0.26 && inv->alpha_per_k == -1.5e-6);
  cr_assert(inv->g_pa == 0, "not given: unknown");
  const Solid *br = Case_solid(&the_case, "brick");
  cr_assert(br->e_pa == 20e9 && br->nu == 0 && br->alpha_per_k == 0);
  cr_assert(Case_solid(&the_case, "filler")->g_pa == 2.5e6, "a shear modulus stands alone");
  /* library values as the library has them, in the keys' units */
  expect_number(&the_case, "materials.copper.e_gpa", 117, "GPa");
  expect_number(&the_case, "materials.copper.poisson", 0.34, "");
  expect_number(&the_case, "materials.copper.cte_ppm_k", 17, "ppm/K");
  expect_number(&the_case, "materials.elastomer_connector.shear_modulus_mpa", 1, "MPa");
  expect_number(&the_case, "materials.silicon.shear_modulus_mpa", 60000, "MPa");
  expect_number(&the_case, "materials.invar.cte_ppm_k", -1.5, "ppm/K");
  expect_unset(&the_case, "materials.invar.shear_modulus_mpa");
  expect_unset(&the_case, "materials.filler.e_gpa");
  expect_unset(&the_case, "materials.filler.poisson");
  expect_number(&the_case, "materials.brick.poisson", 0, "");
}

/* The mechanics limits, with the section: stored in SI. */
Test(case_mechanics, limits_in_si) {
  const char *t = plus(MECH, "limits:\n"
                             "  connector_shear_strain_max: 0.5\n"
                             "  wafer_stress_max_mpa: 200\n"
                             "  pcb_stress_max_mpa: 80.5\n"
                             "  edge_slip_max_um: 50\n");
  expect_ok(t, NO_SETS);
  cr_assert(the_case.connector_strain_max == 0.5);
  cr_assert(the_case.wafer_stress_max_pa == 200e6);
  cr_assert(the_case.pcb_stress_max_pa == 80.5e6);
  cr_assert(the_case.edge_slip_max_m == 50e-6);
  expect_number(&the_case, "limits.connector_shear_strain_max", 0.5, "");
  expect_number(&the_case, "limits.wafer_stress_max_mpa", 200, "MPa");
  expect_number(&the_case, "limits.pcb_stress_max_mpa", 80.5, "MPa");
  expect_number(&the_case, "limits.edge_slip_max_um", 50, "um");
}

/* The shipped cases have the model, every key spelt out at its default. */
Test(case_mechanics, shipped_cases) {
  const char *paths[] = {"cases/cs3.yaml", "cases/cs4.yaml"};
  for (int i = 0; i < 2; i++) {
    cr_assert_eq(Case_read(paths[i], 0, NULL, &the_case, err, sizeof err), EB_OK, "%s", err);
    cr_assert_eq(the_case.mech.enabled, 1, "%s", paths[i]);
    expect_defaults(&the_case.mech);
  }
}

/* ---- rules: messages and positions ------------------------------------- */

Test(case_mechanics, unknown_layer) {
  expect_message(edit(MECH, "  wafer: wafer\n", "  wafer: wafr\n"), NO_SETS,
                 "t.yaml:14:10: mechanics.wafer: no layer 'wafr' in the stack (layers: " LAYERS
                 ")");
  /* a default name that the stack lacks: at the section */
  const char *t = edit(MECH, "{name: pcb,", "{name: board,");
  t = edit(t, "  pcb: pcb\n", "");
  expect_message(t, NO_SETS,
                 "t.yaml:12:1: mechanics.pcb: no layer 'pcb' in the stack (layers: cold_plate, "
                 "contact, wafer, connector, board, bricks)");
}

Test(case_mechanics, layer_shapes) {
  expect_message(edit(MECH, "  wafer: wafer\n", "  wafer: contact\n"), NO_SETS,
                 "t.yaml:14:10: mechanics.wafer: the wafer layer 'contact' must be a solid "
                 "layer, got kind 'interface'");
  expect_message(edit(MECH, "  pcb: pcb\n", "  pcb: bricks\n"), NO_SETS,
                 "t.yaml:16:8: mechanics.pcb: the pcb layer 'bricks' must be a solid layer, got "
                 "kind 'brick_tiles'");
  expect_message(edit(MECH, "  cold_plate: cold_plate\n", "  cold_plate: wafer\n"), NO_SETS,
                 "t.yaml:17:15: mechanics.cold_plate: the cold plate layer 'wafer' must be the "
                 "microchannel layer ('cold_plate'), got kind 'solid'");
  expect_message(edit(MECH, "thickness_mm: 1}", "thickness_mm: 1, size_x_mm: 90}"), NO_SETS,
                 "t.yaml:15:14: mechanics.connector: the connector layer 'connector' must cover "
                 "the whole wafer: remove its size_x_mm / size_y_mm");
  /* a default name: at the section */
  expect_message(edit(plus(no_mech(), "mechanics: {}\n"), "thickness_mm: 3.2}",
                      "thickness_mm: 3.2, size_y_mm: 50}"),
                 NO_SETS,
                 "t.yaml:12:1: mechanics.pcb: the pcb layer 'pcb' must cover the whole wafer: "
                 "remove its size_x_mm / size_y_mm");
}

Test(case_mechanics, four_layers_in_order) {
  expect_message(edit(MECH, "  pcb: pcb\n", "  pcb: connector\n"), NO_SETS,
                 "t.yaml:16:8: mechanics.pcb: 'connector' is the connector layer already; the "
                 "four layers must differ");
  const char *t = edit(MECH, "  connector: connector\n", "  connector: pcb\n");
  t = edit(t, "  pcb: pcb\n", "  pcb: connector\n");
  expect_message(t, NO_SETS,
                 "t.yaml:16:8: mechanics.pcb: the pcb layer 'connector' comes before the "
                 "connector layer 'pcb' in the stack; the model needs cold plate, wafer, "
                 "connector, PCB in that order (coolant side first)");
}

Test(case_mechanics, materials_without_data) {
  /* a library solid without mechanics, as the PCB (the section names it) */
  expect_message(edit(MECH, "material: pcb_laminate", "material: brick"), NO_SETS,
                 "t.yaml:16:8: mechanics: layer 'pcb' uses material 'brick', which has no "
                 "mechanical data: add materials.brick.e_gpa, poisson and cte_ppm_k");
  /* a new solid, as the wafer; the section takes defaults: at the section */
  expect_message(edit(plus(plus(no_mech(), "mechanics: {}\n"), "materials: {foo: {k_w_mk: 100}}\n"),
                      "material: silicon", "material: foo"),
                 NO_SETS,
                 "t.yaml:12:1: mechanics: layer 'wafer' uses material 'foo', which has no "
                 "mechanical data: add materials.foo.e_gpa, poisson and cte_ppm_k");
  /* the cold plate's material is read too */
  expect_message(edit(MECH, "kind: microchannel,", "kind: microchannel, material: filler,"),
                 NO_SETS,
                 "t.yaml:17:15: mechanics: layer 'cold_plate' uses material 'filler', which has "
                 "no mechanical data: add materials.filler.e_gpa, poisson and cte_ppm_k");
  /* the connector needs its shear modulus */
  expect_message(edit(plus(MECH, "materials:\n  pad: {k_w_mk: 1, e_gpa: 0.01, poisson: 0.45, "
                                 "cte_ppm_k: 200}\n"),
                      "material: elastomer_connector", "material: pad"),
                 NO_SETS,
                 "t.yaml:15:14: mechanics: the connector layer 'connector' uses material 'pad', "
                 "which has no transverse shear modulus: add materials.pad.shear_modulus_mpa");
  /* with the data given, each of them is fine */
  expect_ok(edit(plus(MECH, "materials:\n  pad: {k_w_mk: 1, e_gpa: 0.01, poisson: 0.45, "
                            "cte_ppm_k: 200, shear_modulus_mpa: 0.5}\n"),
                 "material: elastomer_connector", "material: pad"),
            NO_SETS);
  /* without the section nothing asks for mechanical data */
  expect_ok(edit(no_mech(), "material: pcb_laminate", "material: brick"), NO_SETS);
}

/* A solid without mechanical data to start from takes E, nu, alpha together. */
Test(case_mechanics, material_data_together) {
  expect_message(plus(MECH, "materials:\n  foo: {k_w_mk: 1, e_gpa: 5}\n"), NO_SETS,
                 "t.yaml:22:3: materials.foo: 'foo' has no mechanical data to start from (a new "
                 "solid): give e_gpa, poisson and cte_ppm_k together; missing: poisson, "
                 "cte_ppm_k");
  expect_message(plus(MECH, "materials:\n  brick: {poisson: 0.3}\n"), NO_SETS,
                 "t.yaml:22:3: materials.brick: 'brick' has no mechanical data to start from "
                 "(none in the library): give e_gpa, poisson and cte_ppm_k together; missing: "
                 "e_gpa, cte_ppm_k");
  /* a library solid with data takes them one by one */
  expect_ok(plus(MECH, "materials:\n  fr4: {cte_ppm_k: 14}\n"), NO_SETS);
  cr_assert(Case_solid(&the_case, "fr4")->alpha_per_k == 14e-6);
  cr_assert(Case_solid(&the_case, "fr4")->e_pa == Materials_solid("fr4")->e_pa);
}

Test(case_mechanics, ranges) {
  const char *m = "materials:\n  silicon: {";
  struct {
    const char *text, *msg;
  } cases[] = {
      {"poisson: 0.5}\n", "t.yaml:22:22: materials.silicon.poisson: expected a number >= 0 and < "
                          "0.5, got '0.5'"},
      {"poisson: -0.1}\n", "t.yaml:22:22: materials.silicon.poisson: expected a number >= 0 and "
                           "< 0.5, got '-0.1'"},
      {"e_gpa: 0}\n", "t.yaml:22:20: materials.silicon.e_gpa: expected a number >= 1e-06 and <= 1000 "
                      "(GPa), got '0'"},
      {"cte_ppm_k: -51}\n", "t.yaml:22:24: materials.silicon.cte_ppm_k: expected a number >= -50 "
                            "and <= 1000 (ppm/K), got '-51'"},
      {"shear_modulus_mpa: 0}\n", "t.yaml:22:32: materials.silicon.shear_modulus_mpa: expected a "
                                  "number >= 0.001 and <= 1000000 (MPa), got '0'"},
      {"e_gpa: stiff}\n", "t.yaml:22:20: materials.silicon.e_gpa: expected a number >= 1e-06 and <= "
                          "1000 (GPa), got 'stiff'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[8192];
    snprintf(text, sizeof text, "%s%s%s", MECH, m, cases[i].text);
    expect_message(text, NO_SETS, cases[i].msg);
  }
  expect_message(edit(MECH, "reference_c: 25", "reference_c: 301"), NO_SETS,
                 "t.yaml:13:16: mechanics.reference_c: expected a number >= -50 and <= 300 (C), "
                 "got '301'");
  expect_message(edit(MECH, "friction_coefficient: 0.2", "friction_coefficient: 2.5"), NO_SETS,
                 "t.yaml:19:25: mechanics.friction_coefficient: expected a number >= 0 and <= 2, "
                 "got '2.5'");
  expect_message(edit(MECH, "preload_kpa: 500", "preload_kpa: 0"), NO_SETS,
                 "t.yaml:20:16: mechanics.preload_kpa: expected a number >= 1 and <= 100000 "
                 "(kPa), got '0'");
  expect_message(edit(MECH, "contact: slip", "contact: frction"), NO_SETS,
                 "t.yaml:18:12: mechanics.contact: expected one of slip, friction, got "
                 "'frction'; did you mean 'friction'?");
  expect_message(edit(MECH, "preload_kpa: 500", "preload_kp: 500"), NO_SETS,
                 "t.yaml:20:3: mechanics.preload_kp: unknown key; did you mean 'preload_kpa'?");
  expect_message(edit(MECH, "  wafer: wafer\n", "  wafer: [wafer]\n"), NO_SETS,
                 "t.yaml:14:10: mechanics.wafer: expected a name of 1 to 63 characters from "
                 "[A-Za-z0-9_.-], got a sequence");
  expect_message(plus(MECH, "limits: {connector_shear_strain_max: 0}\n"), NO_SETS,
                 "t.yaml:21:38: limits.connector_shear_strain_max: expected a number > 0 and <= "
                 "10, got '0'");
  expect_message(plus(MECH, "limits: {edge_slip_max_um: 2e6}\n"), NO_SETS,
                 "t.yaml:21:28: limits.edge_slip_max_um: expected a number > 0 and <= 1000000 "
                 "(um), got '2e6'");
  expect_message(plus(MECH, "limits: {wafer_stress_max_mpa: -1}\n"), NO_SETS,
                 "t.yaml:21:32: limits.wafer_stress_max_mpa: expected a number > 0 and <= "
                 "100000 (MPa), got '-1'");
}

/* A mechanics limit without the section: an error at the limit's value. */
Test(case_mechanics, limit_needs_the_section) {
  static const char *const keys[] = {"connector_shear_strain_max", "wafer_stress_max_mpa",
                                     "pcb_stress_max_mpa", "edge_slip_max_um"};
  for (int i = 0; i < 4; i++) {
    char text[8192], msg[512];
    snprintf(text, sizeof text, "%slimits:\n  junction_max_c: 90\n  %s: 1\n", no_mech(), keys[i]);
    snprintf(msg, sizeof msg,
             "t.yaml:14:%d: limits.%s bounds a quantity of the mechanics model, and this case "
             "has none: add a mechanics section (see docs/case-reference.md), or remove the limit",
             (int)strlen(keys[i]) + 5, keys[i]);
    expect_message(text, NO_SETS, msg);
    /* with the section it is fine */
    snprintf(text, sizeof text, "%slimits:\n  %s: 1\n", MECH, keys[i]);
    expect_ok(text, NO_SETS);
  }
  /* through --set: the set made the value */
  expect_message(no_mech(), ONE_SET("limits.wafer_stress_max_mpa=300"),
                 "--set limits.wafer_stress_max_mpa=300: limits.wafer_stress_max_mpa bounds a "
                 "quantity of the mechanics model, and this case has none: add a mechanics "
                 "section (see docs/case-reference.md), or remove the limit");
  /* and a --set that adds the section makes it fine */
  const char *const two[] = {"limits.wafer_stress_max_mpa=300", "mechanics.contact=slip"};
  expect_ok(no_mech(), 2, two);
  cr_assert(the_case.wafer_stress_max_pa == 300e6 && the_case.mech.enabled == 1);
}

/* ---- --set, Case_set, Case_get ------------------------------------------ */

Test(case_mechanics, set_on_the_file) {
  const char *const sets[] = {"mechanics.reference_c=40", "mechanics.contact=friction",
                              "mechanics.friction_coefficient=0.5", "mechanics.preload_kpa=800"};
  expect_ok(MECH, 4, sets);
  const CaseMechanics *m = &the_case.mech;
  cr_assert(m->t_ref_k == 40 + 273.15 && m->contact == CONTACT_FRICTION);
  cr_assert(m->friction_coeff == 0.5 && m->preload_pa == 800e3);
  /* a --set below an absent section adds it: the model is on */
  expect_ok(no_mech(), ONE_SET("mechanics.reference_c=30"));
  cr_assert_eq(the_case.mech.enabled, 1);
  cr_assert(the_case.mech.t_ref_k == 30 + 273.15);
  /* the layer names, checked as in the file */
  const char *t = edit(MECH, "{name: pcb,", "{name: board,");
  expect_ok(t, ONE_SET("mechanics.pcb=board"));
  cr_assert_str_eq(the_case.mech.pcb_layer, "board");
  expect_message(MECH, ONE_SET("mechanics.pcb=board"),
                 "--set mechanics.pcb=board: mechanics.pcb: no layer 'board' in the stack "
                 "(layers: " LAYERS ")");
  expect_message(MECH, ONE_SET("mechanics.preload_kpa=-3"),
                 "--set mechanics.preload_kpa=-3: mechanics.preload_kpa: expected a number >= 1 "
                 "and <= 100000 (kPa), got '-3'");
  /* material keys */
  const char *const mats[] = {"materials.silicon.e_gpa=160", "materials.silicon.poisson=0.3",
                              "materials.silicon.cte_ppm_k=2.5",
                              "materials.silicon.shear_modulus_mpa=70000"};
  expect_ok(MECH, 4, mats);
  const Solid *si = Case_solid(&the_case, "silicon");
  cr_assert(si->e_pa == 160e9 && si->nu == 0.3 && si->alpha_per_k == 2.5e-6 && si->g_pa == 70e9);
  expect_message(MECH, ONE_SET("materials.brick.e_gpa=10"),
                 "--set materials.brick.e_gpa=10: materials.brick: 'brick' has no mechanical "
                 "data to start from (none in the library): give e_gpa, poisson and cte_ppm_k "
                 "together; missing: poisson, cte_ppm_k");
}

/* Case_set of each key, then Case_get in the key's unit and the SI field. */
Test(case_mechanics, case_set_then_get) {
  static Case c;
  cr_assert_eq(Case_read_string(MECH, "t.yaml", 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
  set_ok(&c, "mechanics.reference_c", "31.5");
  expect_number(&c, "mechanics.reference_c", 31.5, "C");
  cr_assert(c.mech.t_ref_k == 31.5 + 273.15);
  set_ok(&c, "mechanics.contact", "friction");
  expect_text(&c, "mechanics.contact", "friction");
  cr_assert_eq(c.mech.contact, CONTACT_FRICTION);
  set_ok(&c, "mechanics.friction_coefficient", "0.45");
  expect_number(&c, "mechanics.friction_coefficient", 0.45, "");
  cr_assert(c.mech.friction_coeff == 0.45);
  set_ok(&c, "mechanics.preload_kpa", "1200");
  expect_number(&c, "mechanics.preload_kpa", 1200, "kPa");
  cr_assert(c.mech.preload_pa == 1200e3);
  /* a layer renamed in the stack, then the section follows it */
  cr_assert_eq(Case_set(&c, "stack.pcb.name", "board", err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "case 'mech' with --set stack.pcb.name=board: mechanics.pcb: no layer "
                        "'pcb' in the stack (layers: cold_plate, contact, wafer, connector, "
                        "board, bricks)");
  cr_assert_eq(Case_set(&c, "mechanics.wafer", "pcb", err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "case 'mech' with --set mechanics.wafer=pcb: mechanics.pcb: 'pcb' is the "
                        "wafer layer already; the four layers must differ");
  /* materials */
  set_ok(&c, "materials.silicon.e_gpa", "165");
  expect_number(&c, "materials.silicon.e_gpa", 165, "GPa");
  cr_assert(Case_solid(&c, "silicon")->e_pa == 165e9);
  set_ok(&c, "materials.silicon.poisson", "0.22");
  expect_number(&c, "materials.silicon.poisson", 0.22, "");
  cr_assert(Case_solid(&c, "silicon")->nu == 0.22);
  set_ok(&c, "materials.silicon.cte_ppm_k", "2.75");
  expect_number(&c, "materials.silicon.cte_ppm_k", 2.75, "ppm/K");
  cr_assert(Case_solid(&c, "silicon")->alpha_per_k == 2.75e-6);
  set_ok(&c, "materials.elastomer_connector.shear_modulus_mpa", "0.8");
  expect_number(&c, "materials.elastomer_connector.shear_modulus_mpa", 0.8, "MPa");
  cr_assert(Case_solid(&c, "elastomer_connector")->g_pa == 0.8e6);
  cr_assert_eq(Case_set(&c, "materials.silicon.poisson", "0.5", err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "--set materials.silicon.poisson=0.5: materials.silicon.poisson: "
                        "expected a number >= 0 and < 0.5, got '0.5'");
  /* limits */
  set_ok(&c, "limits.connector_shear_strain_max", "0.3");
  expect_number(&c, "limits.connector_shear_strain_max", 0.3, "");
  cr_assert(c.connector_strain_max == 0.3);
  set_ok(&c, "limits.wafer_stress_max_mpa", "150");
  expect_number(&c, "limits.wafer_stress_max_mpa", 150, "MPa");
  cr_assert(c.wafer_stress_max_pa == 150e6);
  set_ok(&c, "limits.pcb_stress_max_mpa", "60");
  expect_number(&c, "limits.pcb_stress_max_mpa", 60, "MPa");
  cr_assert(c.pcb_stress_max_pa == 60e6);
  set_ok(&c, "limits.edge_slip_max_um", "25");
  expect_number(&c, "limits.edge_slip_max_um", 25, "um");
  cr_assert(c.edge_slip_max_m == 25e-6);
  set_ok(&c, "limits.edge_slip_max_um", "~");
  expect_unset(&c, "limits.edge_slip_max_um");
  cr_assert(isnan(c.edge_slip_max_m));
  /* Case_set is --set on the file */
  static Case f;
  const char *const sets[] = {"mechanics.reference_c=31.5", "mechanics.contact=friction",
                              "mechanics.friction_coefficient=0.45", "mechanics.preload_kpa=1200"};
  cr_assert_eq(Case_read_string(MECH, "t.yaml", 4, sets, &f, err, sizeof err), EB_OK, "%s", err);
  cr_assert(memcmp(&f.mech, &c.mech, sizeof f.mech) == 0);
}

/* Case_set on a case without the section: a limit fails at the set, a key
 * of the section adds it. */
Test(case_mechanics, case_set_without_the_section) {
  static Case c;
  cr_assert_eq(Case_read_string(no_mech(), "t.yaml", 0, NULL, &c, err, sizeof err), EB_OK, "%s",
               err);
  cr_assert_eq(Case_set(&c, "limits.pcb_stress_max_mpa", "50", err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "--set limits.pcb_stress_max_mpa=50: limits.pcb_stress_max_mpa bounds a "
                        "quantity of the mechanics model, and this case has none: add a "
                        "mechanics section (see docs/case-reference.md), or remove the limit");
  cr_assert_eq(c.mech.enabled, 0);
  set_ok(&c, "mechanics.contact", "friction");
  cr_assert_eq(c.mech.enabled, 1);
  set_ok(&c, "limits.pcb_stress_max_mpa", "50");
  cr_assert(c.pcb_stress_max_pa == 50e6);
}

Test(case_mechanics, get_errors) {
  static Case c;
  CaseValue v;
  cr_assert_eq(Case_read_string(MECH, "t.yaml", 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Case_get(&c, "mechanics.preload", &v, err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "mechanics.preload: unknown key; did you mean 'preload_kpa'?");
  cr_assert_eq(Case_get(&c, "mechanics", &v, err, sizeof err), EB_EINPUT);
  cr_assert_str_eq(err, "mechanics: only single values can be got; this is a mapping");
  cr_assert_eq(Case_get(&c, "materials.silicon.youngs", &v, err, sizeof err), EB_EINPUT);
  cr_assert(strstr(err, "materials.silicon.youngs: unknown key") == err, "%s", err);
}

/* ---- dump ------------------------------------------------------------- */

/* read -> dump -> read gives the same struct, bit for bit, and the same
 * dump text again. */
static void round_trip(const char *text) {
  static Case a, b;
  cr_assert_eq(Case_read_string(text, "r.yaml", 0, NULL, &a, err, sizeof err), EB_OK, "%s", err);
  char *d1 = Case_dump_string(&a);
  cr_assert_not_null(d1);
  cr_assert_eq(Case_read_string(d1, "r.yaml", 0, NULL, &b, err, sizeof err), EB_OK,
               "the dump does not read back: %s\n%s", err, d1);
  for (int i = 0; i < a.n_materials; i++)
    cr_assert(memcmp(&a.materials[i], &b.materials[i], sizeof a.materials[i]) == 0,
              "material %s differs\n%s", a.materials[i].solid.name, d1);
  cr_assert(memcmp(&a.mech, &b.mech, sizeof a.mech) == 0, "mechanics differ\n%s", d1);
  cr_assert(memcmp(&a, &b, sizeof a) == 0, "the dump changes the case\n%s", d1);
  char *d2 = Case_dump_string(&b);
  cr_assert_str_eq(d1, d2);
  free(d1);
  free(d2);
}

Test(case_mechanics, dump_round_trip) {
  round_trip(MECH);
  round_trip(no_mech());
  const char *t = edit(MECH, "reference_c: 25", "reference_c: 23.37");
  t = edit(t, "contact: slip", "contact: friction");
  t = edit(t, "friction_coefficient: 0.2", "friction_coefficient: 0.123");
  t = edit(t, "preload_kpa: 500", "preload_kpa: 333.3");
  t = edit(t, "{name: pcb,", "{name: board,");
  t = edit(t, "  pcb: pcb\n", "  pcb: board\n");
  t = plus(t, "materials:\n"
              "  silicon: {e_gpa: 130.5, cte_ppm_k: 2.57, shear_modulus_mpa: 0.95}\n"
              "  copper: {poisson: 0.3333}\n"
              "  brick: {e_gpa: 20, poisson: 0, cte_ppm_k: 0}\n"
              "  filler: {shear_modulus_mpa: 2.5}\n"
              "  invar: {k_w_mk: 10, e_gpa: 141, poisson: 0.26, cte_ppm_k: -1.3}\n"
              "  bare: {k_w_mk: 3}\n"
              "limits:\n"
              "  connector_shear_strain_max: 0.07\n"
              "  wafer_stress_max_mpa: 123.456\n"
              "  pcb_stress_max_mpa: 0.1\n"
              "  edge_slip_max_um: 12.3\n");
  round_trip(t);
  static Case a;
  cr_assert_eq(Case_read_string(t, "r.yaml", 0, NULL, &a, err, sizeof err), EB_OK, "%s", err);
  char *d = Case_dump_string(&a);
  const char *want[] = {"mechanics:\n  reference_c: 23.37\n  wafer: wafer\n  connector: connector\n"
                        "  pcb: board\n  cold_plate: cold_plate\n  contact: friction\n"
                        "  friction_coefficient: 0.123\n  preload_kpa: 333.3\n",
                        "  brick:\n    e_gpa: 20\n    poisson: 0\n    cte_ppm_k: 0\n",
                        "  copper:\n    poisson: 0.3333\n",
                        "  bare:\n    k_w_mk: 3\n",
                        "  edge_slip_max_um: 12.3\n"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_assert(strstr(d, want[i]) != NULL, "the dump lacks\n%s\nin\n%s", want[i], d);
  free(d);
}

/* The new units invert exactly, on many values. */
Test(case_mechanics, unit_inverse_is_exact) {
  const Unit units[] = {U_GPA, U_MPA, U_PPMK, U_UM};
  srand(4242);
  int bad = 0;
  for (int i = 0; i < 8000; i++) {
    Unit u = units[i % 4];
    double v = (rand() / (double)RAND_MAX) * 1000.0 - (u == U_PPMK ? 50 : 0);
    double si = Unit_to_si(u, v);
    if (Unit_to_si(u, Unit_from_si(u, si)) != si) bad++;
  }
  cr_assert_eq(bad, 0, "%d values do not invert exactly", bad);
  /* the conversions the solver relies on */
  cr_assert(Unit_to_si(U_GPA, 130) == 130e9 && Unit_to_si(U_MPA, 1) == 1e6);
  cr_assert(Unit_to_si(U_PPMK, 17) == 17e-6 && Unit_to_si(U_UM, 50) == 50e-6);
}
