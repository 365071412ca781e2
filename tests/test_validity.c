/* test_validity.c - what a steady answer must satisfy whatever the case's
 * limits (issue 14, item 4): the coolant liquid (not below its freezing
 * point, at the inlet or anywhere in the plate), every solid within its
 * stated maximum temperature, and the heat balance within its tolerance
 * with a denominator that cannot vanish. Boiling is tested in
 * test_thermal.c / test_scenario.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case.h"
#include "geometry/grid.h"
#include "materials/materials.h"
#include "solver/core/runtime.h"
#include "solver/coolant/coolant.h"
#include "solver/coolant/loop.h"
#include "solver/model.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(validity, .init = up, .fini = down);

/* A 20 mm block, no brick cold plate: every watt leaves in the coolant.
 * At 60 C inlet, 2 L/min, the FR-4 board reaches about 90 C at 0.2 kW and
 * 134 C at 0.5 kW; the water stays far below boiling. */
static const char *hot_case =
    "name: hot\n"
    "wafer: {size_mm: 20, dies: {columns: 2, rows: 1}}\n"
    "power: {total_kw: 0.2}\n"
    "stack:\n"
    "  - {name: plate, kind: microchannel, material: copper, base_thickness_mm: 2,\n"
    "     channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2}\n"
    "  - {name: contact, kind: interface, conductance_w_m2k: 30000}\n"
    "  - {name: wafer, kind: solid, material: silicon, thickness_mm: 0.775, heat_source: true}\n"
    "  - {name: pcb, kind: solid, material: fr4, thickness_mm: 1.6}\n"
    "coolant: {fluid: water, inlet_c: 60, flow_lpm: 2, constant_properties: true}\n"
    "grid: {dx_mm: 1, dz_mm: 0.5}\n"
    "solver: {linear_tol: 1e-10}\n";

/* The same block over a brick layer whose own cold plate is at -50 C
 * (h 1e5): heat flows out of the propylene-glycol coolant through the
 * stack, so at a low flow the coolant leaves colder than it came in. */
static const char *cold_case =
    "name: cold\n"
    "wafer: {size_mm: 20, dies: {columns: 2, rows: 1}}\n"
    "power: {total_kw: 0.001}\n"
    "stack:\n"
    "  - {name: plate, kind: microchannel, material: copper, base_thickness_mm: 2,\n"
    "     channel_width_mm: 0.3, channel_height_mm: 2, fin_thickness_mm: 0.2}\n"
    "  - {name: contact, kind: interface, conductance_w_m2k: 30000}\n"
    "  - {name: wafer, kind: solid, material: silicon, thickness_mm: 0.775, heat_source: true}\n"
    "  - {name: pcb, kind: solid, material: fr4, thickness_mm: 1.6}\n"
    "  - {name: bricks, kind: brick_tiles, material: brick, thickness_mm: 4, brick_x_mm: 8,\n"
    "     brick_y_mm: 16, cold_plate_h_w_m2k: 100000, cold_plate_c: -50}\n"
    "coolant: {fluid: pg25, inlet_c: -9.5, flow_lpm: 0.05}\n"
    "grid: {dx_mm: 1, dz_mm: 0.5}\n"
    "solver: {linear_tol: 1e-10}\n";

static void read_case(const char *text, int n_sets, const char *const *sets, Case *c) {
  char err[EB_ERRLEN];
  int rc = Case_read_string(text, "test", n_sets, sets, c, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "%s", err);
}

static const double kelvin = 273.15;

/* ---- the material data ------------------------------------------------------------- */

/* Water freezes at 0 C; the glycol mixes at their Melinder fusion
 * temperature, which the property range's lower end rounds up to 0.1 C
 * (materials.h): the freezing point lies in (lo - 0.1 K, lo]. The values
 * -9.78 and -12.79 C are the ones materials.c quotes from the IBPSA
 * polynomial. */
Test(validity, freezing_points) {
  cr_assert_eq(Materials_fluid_freezing_k(FLUID_WATER), 273.15);
  const double quoted_c[FLUID_COUNT] = {[FLUID_PG25] = -9.78, [FLUID_PG30] = -12.79};
  for (int f = FLUID_PG25; f <= FLUID_PG30; f++) {
    double lo, hi, tf = Materials_fluid_freezing_k((FluidKind)f);
    Materials_fluid_range((FluidKind)f, &lo, &hi);
    cr_expect(tf <= lo && tf > lo - 0.1 - 1e-9, "%s: freezing %.4f K, range from %.4f K",
              Materials_fluid_names()[f], tf, lo);
    cr_expect_float_eq(tf - kelvin, quoted_c[f], 0.005, "%s: %.4f C", Materials_fluid_names()[f],
                       tf - kelvin);
    cr_expect(tf < Materials_fluid_boiling_k((FluidKind)f));
  }
  cr_expect(isnan(Materials_fluid_freezing_k(FLUID_COUNT)));
}

/* The stated maxima (materials.c, physics.md 3.1, 3.3, 3.4): the FR-4
 * glass transition 130 C for both laminates, the silicone's 200 C rating,
 * silicon's k(T) fit to 500 K; none for copper (no bound stated). Each
 * bound says what it is. */
Test(validity, solid_bounds) {
  const struct {
    const char *name;
    double t_max_k;
    const char *word;
  } want[] = {{"fr4", 130.0 + kelvin, "IPC-4101"},
              {"pcb_laminate", 130.0 + kelvin, "IPC-4101"},
              {"elastomer_connector", 200.0 + kelvin, "Sylgard 184"},
              {"silicon", 500.0, "k(T) fit"},
              {"copper", 0.0, NULL}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const Solid *s = Materials_solid(want[i].name);
    cr_assert(s, "%s", want[i].name);
    cr_expect_eq(s->t_max_k, want[i].t_max_k, "%s: %.2f K", want[i].name, s->t_max_k);
    if (want[i].word)
      cr_expect(s->t_max_what && strstr(s->t_max_what, want[i].word), "%s: %s", want[i].name,
                s->t_max_what ? s->t_max_what : "(none)");
  }
}

/* ---- the coolant frozen ------------------------------------------------------------- */

/* An inlet below freezing (a case made in memory: the reader's range stops
 * it earlier) is the input's fault: EB_EINPUT naming coolant.inlet_c and
 * the freezing point; 0.01 K above freezing is no input error. */
Test(validity, inlet_below_freezing) {
  const char *const fluids[] = {"coolant.fluid=water", "coolant.fluid=pg25"};
  for (int f = 0; f < 2; f++) {
    Case c;
    read_case(hot_case, 1, &fluids[f], &c);
    const double tf = Materials_fluid_freezing_k(c.fluid);
    char want[64], err[EB_ERRLEN];
    snprintf(want, sizeof want, "freezing point of %s, %.2f C", Materials_fluid_names()[c.fluid],
             tf - kelvin);
    c.inlet_t_k = tf - 0.01;
    ModelResult r;
    cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_EINPUT, "%s", err);
    cr_expect(strstr(err, "coolant.inlet_c") && strstr(err, want), "%s (want '%s')", err, want);
    c.inlet_t_k = tf + 0.01;
    c.power_w = 10.0; /* stay far from the solids' bounds */
    int rc = Model_solve_once(&c, NULL, &r, err, sizeof err);
    cr_expect_eq(rc, EB_OK, "%s at %.2f C: %s", fluids[f], c.inlet_t_k - kelvin, err);
    if (rc == EB_OK) ModelResult_free(&r);
  }
}

/* Loop_freezing on a coolant field made here: one cell a micro-kelvin
 * below the freezing point is a frozen state named at that cell's centre;
 * a micro-kelvin above is liquid. */
Test(validity, loop_freezing_threshold) {
  Case c;
  const char *const set[] = {"coolant.inlet_c=-9"};
  read_case(cold_case, 1, set, &c);
  char err[EB_ERRLEN];
  Grid *g = NULL;
  cr_assert_eq(Grid_create(&c, &g, err, sizeof err), EB_OK, "%s", err);
  Coolant k;
  cr_assert_eq(Coolant_init(&k, &c, g, c.flow_m3_s, 1.0, err, sizeof err), EB_OK, "%s", err);
  const size_t ncol = (size_t)g->nx * g->ny;
  double *tf = malloc(ncol * sizeof *tf);
  cr_assert(tf);
  for (size_t q = 0; q < ncol; q++) tf[q] = c.inlet_t_k;
  cr_expect_eq(Loop_freezing(&c, &k, tf, err, sizeof err), EB_OK, "%s", err);
  const double t_freeze = Materials_fluid_freezing_k(c.fluid);
  const size_t col = Coolant_col(&k, k.n_strips / 2, k.n_along - 1);
  const int i = (int)(col % (size_t)g->nx), j = (int)(col / (size_t)g->nx);
  tf[col] = t_freeze + 1e-6;
  cr_expect_eq(Loop_freezing(&c, &k, tf, err, sizeof err), EB_OK, "%s", err);
  tf[col] = t_freeze - 1e-6;
  cr_expect_eq(Loop_freezing(&c, &k, tf, err, sizeof err), EB_ENOSTATE);
  char where[64];
  snprintf(where, sizeof where, "at x=%.1f y=%.1f mm", 0.5 * (g->x[i] + g->x[i + 1]) * 1e3,
           0.5 * (g->y[j] + g->y[j + 1]) * 1e3);
  cr_expect(strstr(err, "the coolant freezes") && strstr(err, where) && strstr(err, "-9.78 C") &&
                strstr(err, "stack.bricks.cold_plate_c"),
            "%s (want '%s')", err, where);
  free(tf);
  Coolant_free(&k);
  Grid_destroy(g);
}

/* The whole solve: 0.05 L/min of pg25 entering at -9.5 C loses heat to
 * the -50 C brick plate and falls below its -9.78 C freezing point: no
 * liquid answer (exit 1), the brick plate named. With the brick plate at
 * the inlet temperature heat only enters the coolant: it stays at or above
 * its inlet and the run passes. */
Test(validity, coolant_freezes_in_the_plate) {
  Case c;
  read_case(cold_case, 0, NULL, &c);
  char err[EB_ERRLEN];
  ModelResult r;
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_ENOSTATE, "%s", err);
  cr_expect(strstr(err, "the coolant freezes: the pg25 reaches") &&
                strstr(err, "below its freezing point -9.78 C") &&
                strstr(err, "brick cold plate at -50.0 C (stack.bricks.cold_plate_c)"),
            "%s", err);
  const char *const warm[] = {"stack.bricks.cold_plate_c=-9.5"};
  read_case(cold_case, 1, warm, &c);
  double t_min = INFINITY;
  Model *m = NULL;
  cr_assert_eq(Model_create(&m, err, sizeof err), EB_OK);
  cr_assert_eq(Model_solve(m, &c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  const Grid *g = Model_grid(m);
  for (size_t q = 0; q < (size_t)g->nx * g->ny; q++) t_min = fmin(t_min, r.thermal.t_fluid_k[q]);
  cr_expect(t_min >= c.inlet_t_k - 1e-6, "coolant %.6f C below its inlet %.2f C",
            t_min - kelvin, c.inlet_t_k - kelvin);
  ModelResult_free(&r);
  Model_destroy(m);
}

/* ---- solids beyond their stated range ----------------------------------------------- */

/* Parse "reaches T C at x=X y=Y mm" from a message. */
static int parse_reach(const char *err, double *t_c, double *x_mm, double *y_mm) {
  const char *p = strstr(err, "reaches ");
  return p && sscanf(p, "reaches %lf C at x=%lf y=%lf mm", t_c, x_mm, y_mm) == 3;
}

/* At 0.5 kW the FR-4 board passes 130 C: exit 1 naming the layer, the
 * material, the temperature, where, the bound and its source. The oracle
 * for the temperature and the place: the same case with the board made of
 * a case material with FR-4's conductivities and no stated bound (the same
 * field) passes, and its hottest board cell is the one reported. At
 * 0.2 kW the FR-4 board is below 130 C and the run passes. */
Test(validity, laminate_beyond_glass_transition) {
  Case c;
  char err[EB_ERRLEN];
  ModelResult r;
  read_case(hot_case, 0, NULL, &c);
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  ModelResult_free(&r);

  const char *const half[] = {"power.total_kw=0.5"};
  read_case(hot_case, 1, half, &c);
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_ENOSTATE, "%s", err);
  double t_c, x_mm, y_mm;
  cr_assert(parse_reach(err, &t_c, &x_mm, &y_mm), "%s", err);
  cr_expect(strstr(err, "layer pcb (fr4) reaches") && strstr(err, "above 130.0 C") &&
                strstr(err, "glass transition") && strstr(err, "IPC-4101") &&
                strstr(err, "whatever the case's limits"),
            "%s", err);
  cr_expect(t_c > 130.0, "%s", err);

  char text[4096];
  snprintf(text, sizeof text, "%s%s", hot_case,
           "materials: {board: {kx_w_mk: 1.059, ky_w_mk: 1.059, kz_w_mk: 0.343}}\n");
  const char *const sets[] = {"power.total_kw=0.5", "stack.pcb.material=board"};
  read_case(text, 2, sets, &c);
  Model *m = NULL;
  cr_assert_eq(Model_create(&m, err, sizeof err), EB_OK);
  cr_assert_eq(Model_solve(m, &c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  const Grid *g = Model_grid(m);
  const int L = 3; /* pcb */
  cr_assert_str_eq(c.layers[L].name, "pcb");
  double t_max = -INFINITY, xm = NAN, ym = NAN;
  for (int k = g->k0[L]; k < g->k0[L] + g->nk[L]; k++)
    for (int j = 0; j < g->ny; j++)
      for (int i = 0; i < g->nx; i++) {
        double t = r.thermal.t_k[Grid_index(g, i, j, k)];
        if (t > t_max) {
          t_max = t;
          xm = 0.5 * (g->x[i] + g->x[i + 1]) * 1e3;
          ym = 0.5 * (g->y[j] + g->y[j + 1]) * 1e3;
        }
      }
  cr_expect_float_eq(t_c, t_max - kelvin, 0.051, "reported %.1f C, hottest board cell %.4f C",
                     t_c, t_max - kelvin);
  cr_expect_float_eq(x_mm, xm, 0.051, "x %.1f against %.2f mm", x_mm, xm);
  cr_expect_float_eq(y_mm, ym, 0.051, "y %.1f against %.2f mm", y_mm, ym);
  ModelResult_free(&r);
  Model_destroy(m);
}

/* ---- the energy balance ------------------------------------------------------------ */

/* Loose solver tolerances (1 K, 1e-2) converge to an answer whose balance
 * misses: exit 1, the solve called untrustworthy and the tolerances named.
 * The reported fraction is the reported miss over the largest reported
 * flow. The default tolerances close it to 1e-6. The case runs at 0.2
 * L/min on 2 mm cells so the miss (0.24 %, measured) stays well above the
 * 0.1 % tolerance: at 2 L/min a better preconditioner (PFMG choosing its
 * own coarsening) already closed the loose solve's balance to 0.015 %. */
Test(validity, balance_beyond_tolerance) {
  Case c;
  char err[EB_ERRLEN];
  ModelResult r;
  const char *const loose[] = {"solver.nonlinear_tol_k=1", "solver.linear_tol=1e-2",
                               "coolant.flow_lpm=0.2", "grid.dx_mm=2"};
  read_case(hot_case, 4, loose, &c);
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_EFAIL, "%s", err);
  double made, cool, bottom, left, rel;
  const char *p = strstr(err, "heat made ");
  cr_assert(p && sscanf(p,
                        "heat made %lf W, to the coolant %lf W, to the brick plate %lf W leave "
                        "%lf W, %lf of the largest flow",
                        &made, &cool, &bottom, &left, &rel) == 5,
            "%s", err);
  cr_expect(strstr(err, "not trustworthy") && strstr(err, "solver.nonlinear_tol_k (now 1 K)") &&
                strstr(err, "solver.linear_tol (now 0.01)"),
            "%s", err);
  cr_expect_float_eq(left, made - cool - bottom, 1e-3 * fabs(left) + 1e-3, "%s", err);
  const double scale = fmax(fmax(fabs(made), fabs(cool)), fabs(bottom));
  cr_expect_float_eq(rel, fabs(left) / scale, 0.05 * rel, "%s", err);
  cr_expect(rel > THERMAL_BALANCE_TOL, "%s", err);

  read_case(hot_case, 0, NULL, &c);
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  cr_expect(r.thermal.energy_balance_rel_error < 1e-6, "%.3g", r.thermal.energy_balance_rel_error);
  ModelResult_free(&r);
}

/* A vanishing power (1e-300 W, set in memory past the reader's range)
 * used to divide the balance by itself (3.8e+287). The denominator is now
 * at least 1 mW: the balance is finite and tiny, and the run passes. */
Test(validity, balance_at_vanishing_power) {
  Case c;
  char err[EB_ERRLEN];
  ModelResult r;
  read_case(hot_case, 0, NULL, &c);
  c.power_w = 1e-300;
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  cr_expect(isfinite(r.thermal.energy_balance_rel_error) &&
                r.thermal.energy_balance_rel_error < 1e-6,
            "balance %.3g (made %.3g W, to coolant %.3g W)", r.thermal.energy_balance_rel_error,
            r.thermal.heat_made_w, r.thermal.heat_to_coolant_w);
  ModelResult_free(&r);
}
