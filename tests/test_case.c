/* test_case.c - the case reader: SI conversions, defaults, every class of
 * input error (with the line it must point at), --set overrides, and the
 * dump -> read round trip. Most tests read YAML from strings; the
 * tests/cases/bad_*.yaml fixtures are read from files. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case.h"
#include "cases/case_internal.h"

/* A complete case using every layer kind; the line numbers matter. */
static const char FULL[] =
    "name: cs3-test\n"                                                           /* 1 */
    "wafer:\n"                                                                   /* 2 */
    "  size_mm: 215\n"                                                           /* 3 */
    "  dies: {columns: 12, rows: 7}\n"                                           /* 4 */
    "power:\n"                                                                   /* 5 */
    "  total_kw: 25\n"                                                           /* 6 */
    "  map: uniform\n"                                                           /* 7 */
    "  hotspots:\n"                                                              /* 8 */
    "    - {x_mm: 100, y_mm: 80, width_mm: 10, height_mm: 5, flux_w_cm2: 200}\n" /* 9 */
    "stack:\n"                                                                   /* 10 */
    "  - name: cold_plate\n"                                                     /* 11 */
    "    kind: microchannel\n"                                                   /* 12 */
    "    base_thickness_mm: 3\n"                                                 /* 13 */
    "    channel_width_mm: 0.2\n"                                                /* 14 */
    "    channel_height_mm: 2\n"                                                 /* 15 */
    "    fin_thickness_mm: 0.15\n"                                               /* 16 */
    "    flow_direction: y\n"                                                    /* 17 */
    "    cells_z: 6\n"                                                           /* 18 */
    "  - name: contact\n"                                                        /* 19 */
    "    kind: interface\n"                                                      /* 20 */
    "    conductance_w_m2k: 20000\n"                                             /* 21 */
    "  - name: wafer\n"                                                          /* 22 */
    "    material: silicon\n"                                                    /* 23 */
    "    thickness_mm: 0.775\n"                                                  /* 24 */
    "    heat_source: true\n"                                                    /* 25 */
    "  - name: connector\n"                                                      /* 26 */
    "    material: gap_pad\n"                                                    /* 27 */
    "    thickness_mm: 1.0\n"                                                    /* 28 */
    "    size_x_mm: 200\n"                                                       /* 29 */
    "    size_y_mm: 150.5\n"                                                     /* 30 */
    "  - name: pcb\n"                                                            /* 31 */
    "    material: pcb_laminate\n"                                               /* 32 */
    "    thickness_mm: 3.2\n"                                                    /* 33 */
    "  - name: bricks\n"                                                         /* 34 */
    "    kind: brick_tiles\n"                                                    /* 35 */
    "    thickness_mm: 10\n"                                                     /* 36 */
    "    brick_x_mm: 15\n"                                                       /* 37 */
    "    brick_y_mm: 25\n"                                                       /* 38 */
    "    cold_plate_h_w_m2k: 5000\n"                                             /* 39 */
    "    cold_plate_c: 30\n"                                                     /* 40 */
    "materials:\n"                                                               /* 41 */
    "  silicon: {rho_kg_m3: 2329}\n"                                             /* 42 */
    "  gap_pad: {kx_w_mk: 3.5, ky_w_mk: 3.5, kz_w_mk: 7}\n"                      /* 43 */
    "coolant:\n"                                                                 /* 44 */
    "  fluid: water\n"                                                           /* 45 */
    "  inlet_c: 21\n"                                                            /* 46 */
    "  flow_lpm: 100\n"                                                          /* 47 */
    "  constant_properties: true\n"                                              /* 48 */
    "limits:\n"                                                                  /* 49 */
    "  junction_max_c: 85\n"                                                     /* 50 */
    "  coolant_outlet_max_c: 45\n"                                               /* 51 */
    "grid:\n"                                                                    /* 52 */
    "  dx_mm: 0.25\n"                                                            /* 53 */
    "  dz_mm: 0.5\n"                                                             /* 54 */
    "solver:\n"                                                                  /* 55 */
    "  linear_tol: 1e-10\n"                                                      /* 56 */
    "  nonlinear_tol_k: 0.001\n"                                                 /* 57 */
    "  max_nonlinear_iters: 20\n"                                                /* 58 */
    "  max_linear_iters: 500\n";                                                 /* 59 */

/* Only required keys: everything else takes its default. */
static const char MINIMAL[] =
    "name: minimal\n"
    "wafer: {size_mm: 100}\n"
    "power: {total_kw: 5}\n"
    "stack:\n"
    "  - {name: cp, kind: microchannel, base_thickness_mm: 2, channel_width_mm: 0.3,\n"
    "     channel_height_mm: 1.5, fin_thickness_mm: 0.2}\n"
    "  - {name: die, material: silicon, thickness_mm: 0.7, heat_source: true}\n"
    "  - {name: b, kind: brick_tiles, thickness_mm: 5, brick_x_mm: 5, brick_y_mm: 5}\n"
    "coolant: {inlet_c: 25, flow_lpm: 10}\n";

/* Layers for stack-structure tests (line 6 is the first layer). */
#define STACK_HEAD                                                                                 \
  "name: s\n"                                                                                      \
  "wafer: {size_mm: 100}\n"                                                                        \
  "power: {total_kw: 5}\n"                                                                         \
  "coolant: {inlet_c: 25, flow_lpm: 10}\n"                                                         \
  "stack:\n"
#define CH                                                                                         \
  "  - {name: cp, kind: microchannel, base_thickness_mm: 2, channel_width_mm: 0.3, "               \
  "channel_height_mm: 1.5, fin_thickness_mm: 0.2}\n"
#define SRC "  - {name: die, material: silicon, thickness_mm: 0.7, heat_source: true}\n"
#define SRC2 "  - {name: die2, material: silicon, thickness_mm: 0.7, heat_source: true}\n"
#define IFACE(n) "  - {name: " n ", kind: interface, conductance_w_m2k: 1e4}\n"
#define SOLID(n) "  - {name: " n ", material: fr4, thickness_mm: 1}\n"

/* 3 x 2 dies, per-die weights at lines 11 and 12. */
#define PER_DIE_HEAD                                                                               \
  "name: p\n"                                                                                      \
  "wafer: {size_mm: 100, dies: {columns: 3, rows: 2}}\n"                                           \
  "coolant: {inlet_c: 25, flow_lpm: 10}\n"                                                         \
  "stack:\n" CH SRC "power:\n"                                                                     \
  "  total_kw: 5\n"                                                                                \
  "  map: per_die\n"

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

static Case the_case;
static char err[EB_ERRLEN];

static int read_sets(const char *text, int n, const char *const *sets) {
  return Case_read_string(text, "t.yaml", n, sets, &the_case, err, sizeof err);
}

static void expect_ok(const char *text, int n, const char *const *sets) {
  int rc = read_sets(text, n, sets);
  cr_assert_eq(rc, EB_OK, "expected a valid case, got %d: %s", rc, err);
}

/* EB_EINPUT, the message starting with `prefix` ("t.yaml:LINE:") and
 * containing `part`. */
static void expect_error(const char *text, int n, const char *const *sets, const char *prefix,
                         const char *part) {
  int rc = read_sets(text, n, sets);
  cr_assert_eq(rc, EB_EINPUT, "expected EB_EINPUT, got %d (%s)", rc, err);
  cr_assert(strncmp(err, prefix, strlen(prefix)) == 0, "message\n  %s\nshould start with\n  %s",
            err, prefix);
  cr_assert(strstr(err, part) != NULL, "message\n  %s\nshould contain\n  %s", err, part);
}

static void expect_message(const char *text, int n, const char *const *sets, const char *msg) {
  int rc = read_sets(text, n, sets);
  cr_assert_eq(rc, EB_EINPUT, "expected EB_EINPUT, got %d (%s)", rc, err);
  cr_assert_str_eq(err, msg);
}

#define ONE_SET(s)                                                                                 \
  1, (const char *const[]) { s }

/* ---- valid cases ------------------------------------------------------ */

Test(case_read, full_case_in_si) {
  expect_ok(FULL, 0, NULL);
  const Case *c = &the_case;
  cr_assert_str_eq(c->name, "cs3-test");
  cr_assert_str_eq(c->path, "t.yaml");
  cr_assert(c->wafer_size_m == 215 * 1e-3);
  cr_assert_eq(c->die_columns, 12);
  cr_assert_eq(c->die_rows, 7);
  cr_assert(c->power_w == 25 * 1e3);
  cr_assert_eq(c->power_map, POWER_UNIFORM);
  cr_assert(c->die_weight[6][11] == 1.0 && c->die_weight[0][0] == 1.0);
  cr_assert_eq(c->n_hotspots, 1);
  const CaseHotspot *h = &c->hotspots[0];
  cr_assert(h->x0_m == 100 * 1e-3 - 0.5 * (10 * 1e-3));
  cr_assert(h->x1_m == 100 * 1e-3 + 0.5 * (10 * 1e-3));
  cr_assert(h->y0_m == 80 * 1e-3 - 0.5 * (5 * 1e-3));
  cr_assert(fabs(h->y1_m - 0.0825) < 1e-15);
  cr_assert(h->flux_w_m2 == 200 * 1e4);

  cr_assert_eq(c->n_layers, 6);
  const CaseLayer *L = c->layers;
  cr_assert_eq(L[0].kind, LAYER_MICROCHANNEL);
  cr_assert_str_eq(L[0].material, "copper");
  cr_assert(L[0].thickness_m == 3 * 1e-3);
  cr_assert(L[0].channel_width_m == 0.2 * 1e-3);
  cr_assert(L[0].channel_height_m == 2 * 1e-3);
  cr_assert(L[0].fin_thickness_m == 0.15 * 1e-3);
  cr_assert_eq(L[0].flow_direction, 'y');
  cr_assert_eq(L[0].cells_z, 6);
  cr_assert_eq(L[1].kind, LAYER_INTERFACE);
  cr_assert(L[1].conductance_w_m2k == 20000);
  cr_assert_str_eq(L[2].name, "wafer");
  cr_assert(L[2].thickness_m == 0.775 * 1e-3);
  cr_assert_eq(L[2].heat_source, 1);
  cr_assert(L[2].size_x_m == 0 && L[2].size_y_m == 0);
  cr_assert(L[3].size_x_m == 200 * 1e-3 && L[3].size_y_m == 150.5 * 1e-3);
  cr_assert_str_eq(L[3].material, "gap_pad");
  cr_assert_eq(L[5].kind, LAYER_BRICK_TILES);
  cr_assert_str_eq(L[5].material, "brick");
  cr_assert_str_eq(L[5].filler, "filler");
  cr_assert(L[5].brick_x_m == 15 * 1e-3 && L[5].brick_y_m == 25 * 1e-3);
  cr_assert(L[5].cold_plate_h_w_m2k == 5000);
  cr_assert(L[5].cold_plate_t_k == 30 + 273.15);
  cr_assert_eq(Case_source_layer(c), 2);
  cr_assert_eq(Case_channel_layer(c), 0);

  cr_assert_eq(c->n_materials, 2);
  const Solid *si = Case_solid(c, "silicon");
  cr_assert(si == &c->materials[0].solid);
  cr_assert(si->rho_kg_m3 == 2329);
  cr_assert(si->kx_w_mk == Materials_solid("silicon")->kx_w_mk, "override keeps library k");
  cr_assert(si->k_exponent == Materials_solid("silicon")->k_exponent);
  cr_assert_str_eq(si->source, "case file");
  const Solid *gp = Case_solid(c, "gap_pad");
  cr_assert(gp->kx_w_mk == 3.5 && gp->ky_w_mk == 3.5 && gp->kz_w_mk == 7);
  cr_assert(gp->t_ref_k == 300 && gp->k_exponent == 0 && gp->rho_kg_m3 == 0);
  cr_assert(Case_solid(c, "copper") == Materials_solid("copper"));
  cr_assert_null(Case_solid(c, "unobtainium"));

  cr_assert_eq(c->fluid, FLUID_WATER);
  cr_assert(c->inlet_t_k == 21 + 273.15);
  cr_assert(c->flow_m3_s == 100 / 60000.0);
  cr_assert_eq(c->fluid_constant, 1);
  cr_assert(c->junction_max_k == 85 + 273.15);
  cr_assert(c->outlet_max_k == 45 + 273.15);
  cr_assert(c->dx_m == 0.25 * 1e-3 && c->dz_m == 0.5 * 1e-3);
  cr_assert(c->linear_rel_tol == 1e-10 && c->nonlinear_tol_k == 0.001);
  cr_assert_eq(c->max_nonlinear_iters, 20);
  cr_assert_eq(c->max_linear_iters, 500);
}

Test(case_read, defaults) {
  expect_ok(MINIMAL, 0, NULL);
  const Case *c = &the_case;
  cr_assert_eq(c->die_columns, 12);
  cr_assert_eq(c->die_rows, 7);
  cr_assert_eq(c->power_map, POWER_UNIFORM);
  cr_assert(c->die_weight[6][11] == 1.0);
  cr_assert(c->die_weight[7][0] == 0.0, "no weight outside the die grid");
  cr_assert_eq(c->n_hotspots, 0);
  cr_assert_eq(c->n_materials, 0);
  cr_assert_eq(c->fluid, FLUID_WATER);
  cr_assert_eq(c->fluid_constant, 0);
  cr_assert(isnan(c->junction_max_k) && isnan(c->outlet_max_k));
  cr_assert(c->dx_m == 0.5 * 1e-3 && c->dz_m == 1.0 * 1e-3);
  cr_assert(c->linear_rel_tol == 1e-8 && c->nonlinear_tol_k == 5e-4);
  cr_assert_eq(c->max_nonlinear_iters, 50);
  cr_assert_eq(c->max_linear_iters, 1000);
  const CaseLayer *L = c->layers;
  cr_assert_str_eq(L[0].material, "copper");
  cr_assert_eq(L[0].flow_direction, 'x');
  cr_assert_eq(L[0].cells_z, 0);
  cr_assert_eq(L[1].kind, LAYER_SOLID);
  cr_assert(L[1].size_x_m == 0 && L[1].size_y_m == 0);
  cr_assert_str_eq(L[2].material, "brick");
  cr_assert_str_eq(L[2].filler, "filler");
  cr_assert(L[2].cold_plate_h_w_m2k == 0);
  cr_assert(Case_brick_plate_t_k(c, &L[2]) == c->inlet_t_k,
            "brick cold plate defaults to the inlet");
}

Test(case_read, per_die_weights_row_order) {
  expect_ok(PER_DIE_HEAD "  per_die_weights:\n    - [1, 2, 3]\n    - [4, 5, 0]\n", 0, NULL);
  cr_assert_eq(the_case.power_map, POWER_PER_DIE);
  cr_assert(the_case.die_weight[0][1] == 2, "first list is row 1 (smallest y)");
  cr_assert(the_case.die_weight[1][0] == 4);
  cr_assert(the_case.die_weight[1][2] == 0);
}

Test(case_read, null_optional_section_is_default) {
  expect_ok(edit(FULL, "limits:\n  junction_max_c: 85\n  coolant_outlet_max_c: 45\n", "limits:\n"),
            0, NULL);
  cr_assert(isnan(the_case.junction_max_k));
}

Test(case_read, yes_no_booleans) {
  expect_ok(edit(FULL, "constant_properties: true", "constant_properties: no"), 0, NULL);
  cr_assert_eq(the_case.fluid_constant, 0);
}

/* ---- error classes ---------------------------------------------------- */

Test(case_errors, syntax_error) {
  expect_error(edit(FULL, "  map: uniform\n", "  map: uniform: x\n"), 0, NULL,
               "t.yaml:7:", "YAML syntax error: mapping values are not allowed");
  expect_error(edit(FULL, "  dies: {columns: 12, rows: 7}\n", "  dies: {columns: 12, rows: 7\n"), 0,
               NULL, "t.yaml:5:", "YAML syntax error");
  expect_error(edit(FULL, "  total_kw: 25", "\ttotal_kw: 25"), 0, NULL,
               "t.yaml:6:1:", "YAML syntax error");
}

Test(case_errors, unknown_key_suggestion) {
  expect_message(edit(FULL, "  flow_lpm: 100", "  flow_lmp: 100"), 0, NULL,
                 "t.yaml:47:3: coolant.flow_lmp: unknown key; did you mean 'flow_lpm'?");
  expect_message(edit(FULL, "grid:", "gird:"), 0, NULL,
                 "t.yaml:52:1: gird: unknown key; did you mean 'grid'?");
}

Test(case_errors, unknown_key_lists_valid_keys) {
  expect_error(edit(FULL, "  dx_mm: 0.25", "  resolution: 0.25"), 0, NULL,
               "t.yaml:53:3:", "grid.resolution: unknown key; valid keys: dx_mm, dz_mm");
}

Test(case_errors, key_of_another_kind) {
  expect_error(edit(FULL, "    conductance_w_m2k: 20000", "    thickness_mm: 1"), 0, NULL,
               "t.yaml:21:5: stack.contact.thickness_mm:",
               "thickness_mm does not apply to a layer of kind 'interface'");
  expect_error(edit(FULL, "    size_y_mm: 150.5", "    channel_width_mm: 1"), 0, NULL,
               "t.yaml:30:5:", "channel_width_mm does not apply to a layer of kind 'solid'");
}

Test(case_errors, wrong_type) {
  expect_message(edit(FULL, "  flow_lpm: 100", "  flow_lpm: fast"), 0, NULL,
                 "t.yaml:47:13: coolant.flow_lpm: expected a number >= 0.01 and <= 5000 (L/min), "
                 "got 'fast'");
  expect_error(edit(FULL, "  size_mm: 215", "  size_mm: '215'"), 0, NULL,
               "t.yaml:3:", "got the quoted string '215'");
  expect_error(edit(FULL, "  flow_lpm: 100", "  flow_lpm: 0x10"), 0, NULL, "t.yaml:47:", "0x10");
  expect_error(edit(FULL, "  flow_lpm: 100", "  flow_lpm: .inf"), 0, NULL, "t.yaml:47:", ".inf");
  expect_error(edit(FULL, "    cells_z: 6", "    cells_z: 6.5"), 0, NULL,
               "t.yaml:18:14: stack.cold_plate.cells_z:", "expected an integer >= 1 and <= 64");
  expect_error(edit(FULL, "    heat_source: true", "    heat_source: maybe"), 0, NULL,
               "t.yaml:25:", "expected true or false, got 'maybe'");
  expect_error(edit(FULL, "  dies: {columns: 12, rows: 7}", "  dies: [12, 7]"), 0, NULL,
               "t.yaml:4:9: wafer.dies:", "expected a mapping (die grid), got a sequence");
  expect_error(edit(FULL, "name: cs3-test", "name: cs3 test"), 0, NULL,
               "t.yaml:1:7: name:", "[A-Za-z0-9_.-]");
}

Test(case_errors, out_of_range) {
  expect_message(edit(FULL, "  size_mm: 215", "  size_mm: 600"), 0, NULL,
                 "t.yaml:3:12: wafer.size_mm: expected a number >= 10 and <= 500 (mm), got '600'");
  expect_message(edit(FULL, "  inlet_c: 21", "  inlet_c: 95"), 0, NULL,
                 "t.yaml:46:12: coolant.inlet_c: expected a number >= 5 and <= 80 (C) (water "
                 "property table range), got '95'");
  expect_error(edit(FULL, "  total_kw: 25", "  total_kw: 0"), 0, NULL,
               "t.yaml:6:", "expected a number >= 0.001 and <= 1000 (kW)");
  expect_error(edit(FULL, "    brick_x_mm: 15", "    brick_x_mm: 18"), 0, NULL,
               "t.yaml:37:17: stack.bricks.brick_x_mm:", "wafer.size_mm / dies.columns");
  expect_error(edit(FULL, "    size_x_mm: 200", "    size_x_mm: 216"), 0, NULL,
               "t.yaml:29:", "<= 215 (mm) (wafer.size_mm)");
  expect_error(edit(FULL, "  dies: {columns: 12, rows: 7}", "  dies: {columns: 33, rows: 7}"), 0,
               NULL, "t.yaml:4:19: wafer.dies.columns:", "<= 32");
}

Test(case_errors, missing_required_key) {
  expect_message(edit(FULL, "  total_kw: 25\n", ""), 0, NULL,
                 "t.yaml:5:1: power: missing required key 'total_kw' (number, kW)");
  expect_error(edit(FULL, "    thickness_mm: 3.2\n", ""), 0, NULL, "t.yaml:31:5: stack.pcb:",
               "missing required key 'thickness_mm' (number, mm) for a layer of kind 'solid'");
  expect_error(edit(FULL, "coolant:", "coolant_:"), 0, NULL,
               "t.yaml:44:1:", "did you mean 'coolant'?");
  expect_error(edit(FULL, "name: cs3-test\n", ""), 0, NULL,
               "t.yaml:1:1:", "missing required key 'name'");
}

Test(case_errors, wrong_word) {
  expect_error(edit(FULL, "  map: uniform", "  map: perdie"), 0, NULL, "t.yaml:7:8: power.map:",
               "expected one of uniform, per_die, got 'perdie'; did you mean 'per_die'?");
  expect_error(edit(FULL, "    kind: brick_tiles", "    kind: bricks"), 0, NULL,
               "t.yaml:35:11: stack.bricks.kind:",
               "expected one of solid, microchannel, interface, brick_tiles, convective, got 'bricks'");
  expect_error(edit(FULL, "    material: pcb_laminate", "    material: pcb_laminat"), 0, NULL,
               "t.yaml:32:15: stack.pcb.material:", "did you mean 'pcb_laminate'?");
  expect_error(edit(FULL, "  fluid: water", "  fluid: glycol"), 0, NULL,
               "t.yaml:45:", "expected one of water, pg25, pg30, got 'glycol'");
}

Test(case_errors, duplicate_key) {
  expect_message(edit(FULL, "  constant_properties: true", "  flow_lpm: 90"), 0, NULL,
                 "t.yaml:48:3: coolant.flow_lpm: duplicate key (first given at line 47)");
  expect_error(edit(FULL, "  gap_pad:", "  silicon:"), 0, NULL,
               "t.yaml:43:3: materials.silicon:", "duplicate key");
  expect_error(edit(FULL, "  - name: pcb", "  - name: wafer"), 0, NULL,
               "t.yaml:31:11: stack.4.name:", "duplicate layer name 'wafer'");
}

Test(case_errors, stack_structure) {
  expect_error(STACK_HEAD SOLID("a") SRC, 0, NULL, "t.yaml:6:5: stack.a:",
               "the first layer (coolant side) must be the microchannel cold plate");
  expect_error(STACK_HEAD CH SRC
               "  - {name: cp2, kind: microchannel, base_thickness_mm: 2, channel_width_mm: 0.3, "
               "channel_height_mm: 1.5, fin_thickness_mm: 0.2}\n",
               0, NULL, "t.yaml:8:5: stack.cp2:", "only one microchannel layer");
  expect_error(STACK_HEAD CH SRC IFACE("i"), 0, NULL,
               "t.yaml:8:5: stack.i:", "an interface cannot be the last layer");
  expect_error(STACK_HEAD CH IFACE("i") IFACE("j") SRC, 0, NULL,
               "t.yaml:8:5: stack.j:", "interfaces 'i' and 'j' are next to each other");
  expect_error(STACK_HEAD CH SOLID("a"), 0, NULL,
               "t.yaml:5:1: stack:", "no layer has heat_source: true");
  expect_error(STACK_HEAD CH SRC SRC2, 0, NULL, "t.yaml:8:", "only one layer can have heat_source");
  expect_error(STACK_HEAD CH, 0, NULL, "t.yaml:6:3: stack:", "expected 2 to 16 layers");
  expect_error(STACK_HEAD CH SRC "  - {name: h, kind: interface, conductance_w_m2k: 1e4, "
                                 "heat_source: true}\n" SOLID("z"),
               0, NULL, "t.yaml:8:", "heat_source does not apply to a layer of kind 'interface'");
}

Test(case_errors, per_die_shape) {
  expect_error(PER_DIE_HEAD "  per_die_weights:\n    - [1, 2, 3]\n", 0, NULL,
               "t.yaml:11:5: power.per_die_weights:",
               "expected 2 rows (dies.rows) of 3 numbers (dies.columns), first row at the "
               "smallest y; got 1 row");
  expect_error(
      PER_DIE_HEAD "  per_die_weights:\n    - [1, 2, 3]\n    - [4, 5]\n", 0, NULL,
      "t.yaml:12:7: power.per_die_weights.1:", "expected a row of 3 numbers (dies.columns), got 2");
  expect_error(PER_DIE_HEAD "  per_die_weights:\n    - [1, 2, 3]\n    - [4, -5, 6]\n", 0, NULL,
               "t.yaml:12:11: power.per_die_weights.1.1:", "expected a number >= 0 and <= 1000000, got '-5'");
  expect_error(PER_DIE_HEAD "  per_die_weights:\n    - [0, 0, 0]\n    - [0, 0, 0]\n", 0, NULL,
               "t.yaml:11:", "at least one must be > 0");
  expect_error(PER_DIE_HEAD, 0, NULL, "t.yaml:7:1: power:",
               "missing required key 'per_die_weights' (2 rows of 3 numbers) for map: per_die");
  expect_error(
      edit(FULL, "  map: uniform\n", "  map: uniform\n  per_die_weights: [[1]]\n"), 0, NULL,
      "t.yaml:8:3: power.per_die_weights:", "per_die_weights is only used with map: per_die");
}

Test(case_errors, hotspots) {
  expect_error(edit(FULL, "x_mm: 100, y_mm: 80", "x_mm: 212, y_mm: 80"), 0, NULL,
               "t.yaml:9:7: power.hotspots.0:", "it must lie inside the wafer, 0 to 215 mm");
  expect_error(edit(FULL, "width_mm: 10, height_mm: 5, flux_w_cm2: 200",
                    "width_mm: 50, height_mm: 50, flux_w_cm2: 9000"),
               0, NULL, "t.yaml:8:3: power.hotspots:",
               "the hotspots alone make 225 kW (flux x area, summed), which must be less than "
               "total_kw = 25 kW");
  expect_error(edit(FULL, "width_mm: 10, ", ""), 0, NULL,
               "t.yaml:9:7: power.hotspots.0:", "missing required key 'width_mm' (number, mm)");
  expect_error(edit(FULL, "flux_w_cm2: 200", "flux_w_cm2: 20000"), 0, NULL,
               "t.yaml:9:", "<= 10000 (W/cm^2)");
}

Test(case_errors, materials) {
  expect_error(edit(FULL, "{kx_w_mk: 3.5, ky_w_mk: 3.5, kz_w_mk: 7}", "{kx_w_mk: 3.5, k_w_mk: 1}"),
               0, NULL, "t.yaml:43:3: materials.gap_pad:", "give either k_w_mk");
  expect_error(edit(FULL, "{kx_w_mk: 3.5, ky_w_mk: 3.5, kz_w_mk: 7}", "{kx_w_mk: 3.5}"), 0, NULL,
               "t.yaml:43:3: materials.gap_pad:", "missing required key 'k_w_mk'");
  expect_error(edit(FULL, "{rho_kg_m3: 2329}", "{rho: 2329}"), 0, NULL,
               "t.yaml:42:13: materials.silicon.rho:", "did you mean 'rho_kg_m3'?");
  expect_error(edit(FULL, "  gap_pad:", "  'gap pad':"), 0, NULL,
               "t.yaml:43:3:", "expected a material name");
  expect_error(edit(FULL, "material: gap_pad", "material: gap_pads"), 0, NULL,
               "t.yaml:27:", "gap_pad (or a new one under materials)");
}

Test(case_errors, document_shape) {
  expect_error("", 0, NULL, "t.yaml:1:1:", "the case is empty");
  expect_error("# just a comment\n", 0, NULL, "t.yaml:1:1:", "the case is empty");
  expect_error("hello\n", 0, NULL, "t.yaml:1:1:", "expected a mapping (case), got 'hello'");
  char two[4096];
  snprintf(two, sizeof two, "%s---\nname: x\n", FULL);
  expect_error(two, 0, NULL, "t.yaml:61:1:", "one YAML document");
  expect_error(edit(FULL, "grid:", "[a]: 1\ngrid:"), 0, NULL,
               "t.yaml:52:1:", "expected a key name, got a sequence");
}

Test(case_errors, missing_file) {
  int rc = Case_read("tests/cases/nope.yaml", 0, NULL, &the_case, err, sizeof err);
  cr_assert_eq(rc, EB_EINPUT);
  cr_assert_str_eq(err, "tests/cases/nope.yaml: cannot open: No such file or directory");
}

/* ---- --set ------------------------------------------------------------ */

Test(case_set, override_existing) {
  expect_ok(FULL, ONE_SET("coolant.inlet_c=30"));
  cr_assert(the_case.inlet_t_k == 30 + 273.15);
  const char *two[] = {"coolant.flow_lpm=50", "coolant.flow_lpm=60"};
  expect_ok(FULL, 2, two);
  cr_assert(the_case.flow_m3_s == 60 / 60000.0, "the last --set wins");
}

Test(case_set, add_missing_keys) {
  expect_ok(MINIMAL, ONE_SET("limits.junction_max_c=90"));
  cr_assert(the_case.junction_max_k == 90 + 273.15);
  cr_assert(isnan(the_case.outlet_max_k));
  expect_ok(MINIMAL, ONE_SET("coolant.constant_properties=true"));
  cr_assert_eq(the_case.fluid_constant, 1);
  expect_ok(MINIMAL, ONE_SET("wafer.dies.columns=4"));
  cr_assert_eq(the_case.die_columns, 4);
  cr_assert_eq(the_case.die_rows, 7);
  expect_ok(edit(FULL, "limits:\n  junction_max_c: 85\n  coolant_outlet_max_c: 45\n", "limits:\n"),
            ONE_SET("limits.coolant_outlet_max_c=50"));
  cr_assert(the_case.outlet_max_k == 50 + 273.15);
  const char *mat[] = {"materials.foo.k_w_mk=2", "stack.pcb.material=foo"};
  expect_ok(FULL, 2, mat);
  cr_assert_str_eq(the_case.layers[4].material, "foo");
  cr_assert(Case_solid(&the_case, "foo")->kz_w_mk == 2);
}

Test(case_set, stack_layer_by_name_and_index) {
  expect_ok(FULL, ONE_SET("stack.wafer.thickness_mm=0.5"));
  cr_assert(the_case.layers[2].thickness_m == 0.5 * 1e-3);
  expect_ok(FULL, ONE_SET("stack.3.thickness_mm=2"));
  cr_assert(the_case.layers[3].thickness_m == 2 * 1e-3);
  expect_ok(FULL, ONE_SET("stack.wafer.cells_z=4"));
  cr_assert_eq(the_case.layers[2].cells_z, 4);
  expect_ok(FULL, ONE_SET("power.hotspots.0.flux_w_cm2=300"));
  cr_assert(the_case.hotspots[0].flux_w_m2 == 300 * 1e4);
  expect_ok(PER_DIE_HEAD "  per_die_weights:\n    - [1, 2, 3]\n    - [4, 5, 6]\n",
            ONE_SET("power.per_die_weights.1.2=9"));
  cr_assert(the_case.die_weight[1][2] == 9);
}

Test(case_set, unknown_key_suggestion) {
  expect_message(FULL, ONE_SET("coolant.flow_lmp=3"),
                 "--set coolant.flow_lmp=3: coolant.flow_lmp: unknown key; did you mean "
                 "'flow_lpm'?");
  expect_error(FULL, ONE_SET("limit.junction_max_c=3"),
               "--set limit.junction_max_c=3: limit:", "did you mean 'limits'?");
  expect_error(FULL, ONE_SET("stack.wafr.thickness_mm=1"), "--set stack.wafr.thickness_mm=1:",
               "no layer of that name; layers: cold_plate, contact, wafer");
  expect_error(FULL, ONE_SET("stack.9.thickness_mm=1"),
               "--set stack.9.thickness_mm=1: stack.9:", "no item 9: the list has 6");
  expect_error(FULL, ONE_SET("stack.wafer.thicknes_mm=1"),
               "--set stack.wafer.thicknes_mm=1:", "did you mean 'thickness_mm'?");
}

Test(case_set, bad_value) {
  expect_message(FULL, ONE_SET("coolant.inlet_c=200"),
                 "--set coolant.inlet_c=200: coolant.inlet_c: expected a number >= 5 and <= 80 "
                 "(C) (water property table range), got '200'");
  expect_error(MINIMAL, ONE_SET("limits.junction_max_c=hot"), "--set limits.junction_max_c=hot: ",
               "expected a number >= -50 and <= 500 (C), got 'hot'");
  expect_error(FULL, ONE_SET("stack.wafer.channel_width_mm=3"),
               "--set stack.wafer.channel_width_mm=3: stack.wafer.channel_width_mm:",
               "does not apply to a layer of kind 'solid'");
  expect_error(MINIMAL, ONE_SET("materials.foo.rho_kg_m3=3"),
               "--set materials.foo.rho_kg_m3=3: materials.foo:", "missing required key 'k_w_mk'");
}

Test(case_set, non_scalar_target) {
  expect_error(FULL, ONE_SET("coolant=3"),
               "--set coolant=3: coolant:", "only single values can be set; this is a mapping");
  expect_error(FULL, ONE_SET("stack.wafer=3"),
               "--set stack.wafer=3: stack.wafer:", "only single values can be set");
  expect_error(FULL, ONE_SET("stack=3"), "--set stack=3: stack:", "only single values");
  expect_error(FULL, ONE_SET("coolant.inlet_c.x=3"),
               "--set coolant.inlet_c.x=3: coolant.inlet_c:", "single value");
  expect_error(MINIMAL, ONE_SET("power.hotspots.0.x_mm=3"),
               "--set power.hotspots.0.x_mm=3:", "--set cannot create a list");
}

Test(case_set, malformed) {
  expect_message(FULL, ONE_SET("coolant.inlet_c"),
                 "--set coolant.inlet_c: malformed override: expected key.path=value, e.g. "
                 "coolant.inlet_c=30");
  expect_error(FULL, ONE_SET("=30"), "--set =30: ", "malformed override");
  expect_error(FULL, ONE_SET("coolant..inlet_c=30"),
               "--set coolant..inlet_c=30: ", "malformed override");
  expect_error(FULL, ONE_SET(".inlet_c=30"), "--set .inlet_c=30: ", "malformed override");
}

/* ---- dump ------------------------------------------------------------- */

static char *dump_text(const Case *c) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  cr_assert_eq(Case_dump(c, f), EB_OK);
  fclose(f);
  return buf;
}

/* read -> dump -> read gives the same struct, bit for bit, and the same
 * dump text again. */
static void round_trip(const char *text, const char *label) {
  static Case a, b;
  int rc = Case_read_string(text, label, 0, NULL, &a, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "%s", err);
  char *d1 = dump_text(&a);
  rc = Case_read_string(d1, label, 0, NULL, &b, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "the dump does not read back: %s\n%s", err, d1);
  for (int i = 0; i < a.n_layers; i++)
    cr_assert(memcmp(&a.layers[i], &b.layers[i], sizeof a.layers[i]) == 0, "layer %d differs\n%s",
              i, d1);
  cr_assert(memcmp(a.hotspots, b.hotspots, sizeof a.hotspots) == 0, "hotspots differ\n%s", d1);
  cr_assert(memcmp(&a, &b, sizeof a) == 0, "the dump changes the case\n%s", d1);
  char *d2 = dump_text(&b);
  cr_assert_str_eq(d1, d2);
  free(d1);
  free(d2);
}

Test(case_dump, round_trip_full) { round_trip(FULL, "full.yaml"); }

Test(case_dump, round_trip_minimal) { round_trip(MINIMAL, "minimal.yaml"); }

Test(case_dump, round_trip_awkward_numbers) {
  const char *t = edit(FULL, "  inlet_c: 21", "  inlet_c: 21.37");
  t = edit(t, "  flow_lpm: 100", "  flow_lpm: 123.456");
  t = edit(t, "x_mm: 100, y_mm: 80, width_mm: 10", "x_mm: 33.3, y_mm: 80.1, width_mm: 0.7");
  t = edit(t, "  junction_max_c: 85\n  coolant_outlet_max_c: 45\n",
           "  junction_max_c: 499.99\n  coolant_outlet_max_c: -12.345\n");
  cr_assert(strstr(t, "499.99") != NULL);
  char buf[8192];
  snprintf(buf, sizeof buf, "%s", t);
  t = edit(buf, "    thickness_mm: 0.775", "    thickness_mm: 0.7751");
  t = edit(t, "    cold_plate_c: 30", "    cold_plate_c: -12.3");
  t = edit(t, "  dx_mm: 0.25", "  dx_mm: 0.123");
  round_trip(t, "odd.yaml");
}

Test(case_dump, round_trip_per_die) {
  round_trip(PER_DIE_HEAD "  per_die_weights:\n    - [1.1, 2, 3]\n    - [4, 0.3, 0]\n", "p.yaml");
}

Test(case_dump, round_trip_shipped_case) {
  FILE *f = fopen("cases/cs3.yaml", "r");
  if (!f)
    cr_skip_test("cases/cs3.yaml not present yet");
  fclose(f);
  static Case a, b;
  int rc = Case_read("cases/cs3.yaml", 0, NULL, &a, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "%s", err);
  char *d = dump_text(&a);
  rc = Case_read_string(d, "cases/cs3.yaml", 0, NULL, &b, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "%s", err);
  cr_assert(memcmp(&a, &b, sizeof a) == 0, "the dump changes cs3.yaml\n%s", d);
  free(d);
}

Test(case_dump, every_key_written) {
  expect_ok(FULL, 0, NULL);
  char *d = dump_text(&the_case);
  const char *keys[] = {"dies:",
                        "columns:",
                        "cells_z: 6",
                        "size_y_mm: ~",
                        "filler: filler",
                        "cold_plate_c: 30",
                        "coolant_outlet_max_c: 45",
                        "max_linear_iters: 500",
                        "flow_direction: y",
                        "hotspots:",
                        "materials:"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    cr_assert(strstr(d, keys[i]) != NULL, "dump lacks '%s'\n%s", keys[i], d);
  cr_assert(strstr(d, "per_die_weights") == NULL, "no weights with map: uniform");
  free(d);
}

/* The exact inverse of the unit conversions, on many random values. */
Test(case_dump, unit_inverse_is_exact) {
  const Unit units[] = {U_MM, U_C, U_KW, U_LPM, U_WCM2};
  srand(12345);
  int bad = 0;
  for (int i = 0; i < 5000; i++) {
    Unit u = units[i % 5];
    double v = (rand() / (double)RAND_MAX) * 1000.0 - (u == U_C ? 100 : 0);
    double si = Unit_to_si(u, v);
    if (Unit_to_si(u, Unit_from_si(u, si)) != si)
      bad++;
    double lo, hi, c, w, lo2, hi2;
    case_hotspot_edges(v * 0.2, v * 0.01 + 0.001, &lo, &hi);
    case_hotspot_centre(lo, hi, &c, &w);
    case_hotspot_edges(c, w, &lo2, &hi2);
    if (lo2 != lo || hi2 != hi)
      bad++;
  }
  cr_assert_eq(bad, 0, "%d values do not invert exactly", bad);
}

/* ---- fixtures and documentation -------------------------------------- */

/* Every tests/cases/bad_*.yaml fails with EB_EINPUT at its "# expect: line N". */
Test(case_files, bad_fixtures_point_at_their_line) {
  DIR *dir = opendir("tests/cases");
  cr_assert_not_null(dir, "run the tests from the repository root");
  int n = 0;
  for (struct dirent *e; (e = readdir(dir));) {
    size_t len = strlen(e->d_name);
    if (strncmp(e->d_name, "bad_", 4) || len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
      continue;
    char path[512], line[256];
    snprintf(path, sizeof path, "tests/cases/%s", e->d_name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    int expect = 0;
    while (!expect && fgets(line, sizeof line, f))
      sscanf(line, "# expect: line %d", &expect);
    fclose(f);
    cr_assert(expect > 0, "%s has no '# expect: line N' comment", path);
    int rc = Case_read(path, 0, NULL, &the_case, err, sizeof err);
    cr_assert_eq(rc, EB_EINPUT, "%s: rc %d", path, rc);
    char prefix[600];
    snprintf(prefix, sizeof prefix, "%s:%d:", path, expect);
    cr_assert(strncmp(err, prefix, strlen(prefix)) == 0, "%s: message '%s' should start with '%s'",
              path, err, prefix);
    n++;
  }
  closedir(dir);
  cr_assert_geq(n, 4, "expected at least 4 bad_*.yaml fixtures, found %d", n);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  static char buf[1 << 17];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static void check_documented(const char *doc, const Schema *s) {
  if (!s)
    return;
  if (s->kind != S_MAP) {
    check_documented(doc, s->item);
    return;
  }
  for (int i = 0; i < s->n_fields; i++) {
    char tick[80];
    snprintf(tick, sizeof tick, "`%s`", s->fields[i].key);
    cr_expect(strstr(doc, tick) != NULL, "docs/case-reference.md does not document %s", tick);
    check_documented(doc, s->fields[i].sub);
  }
}

Test(case_files, every_key_is_documented) {
  const char *doc = slurp("docs/case-reference.md");
  cr_assert_not_null(doc, "docs/case-reference.md missing (run from the repository root)");
  check_documented(doc, &case_top_schema);
}
