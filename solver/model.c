/* model.c - one steady solve of the whole block: grid (kept while its
 * inputs stay the same), thermal with coolant, loop, limits; the registry
 * of every module's outputs. */
#include "model.h"

#include "scenario.h"

#include "core/resources.h"
#include "core/runtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct Model {
  Grid *grid;
  uint64_t grid_key;
  ThermalSolver *thermal;
  PowerModel *power; /* on the grid, when a case needs it */
  InplaneSolver *mech; /* kept across solves, made at the first mechanics */
};

/* ---- registry ------------------------------------------------------------------------ */

#define R(field) .part = RESULT_RUN, .off = offsetof(RunInfo, field)
#define SEARCH .flags = RES_OPTIONAL | RES_STUDY, .when_off = offsetof(RunInfo, search)
#define MAP_COLUMN .flags = RES_OPTIONAL | RES_MAP_ONLY | RES_NO_REPORT, .when_off = offsetof(RunInfo, map)
/* clang-format off */
static const ResultEntry run_entries[] = {
    {"case", "1", "the case's name", .kind = RES_TEXT, .group = "summary", R(case_name), .stride = CASE_NAME_LEN, .flags = RES_NO_REPORT},
    {"warnings", "1", "what the user must know about this answer (not errors)", .kind = RES_TEXTS, .group = "summary", R(warnings), .n_off = offsetof(RunInfo, n_warnings), .stride = MODEL_WARNING_LEN, .max_rows = MODEL_MAX_WARNINGS, .flags = RES_NO_REPORT},
    {"search_key", "1", "limits: the case key searched", .kind = RES_TEXT, .group = "search", R(search_key), .stride = 128, SEARCH},
    {"search_direction", "1", "limits: max (largest value) or min (smallest value)", .kind = RES_TEXT, .group = "search", R(search_direction), .stride = 8, SEARCH},
    {"search_value", "the key's unit", "limits: the answer, the value of search_key at which every limit holds", .kind = RES_SCALAR, .group = "search", R(search_value), SEARCH, .unit_off = offsetof(RunInfo, search_unit)},
    {"search_breaks_at", "the key's unit", "limits: the nearest value found to break a limit (NaN: none in the key's range)", .kind = RES_SCALAR, .group = "search", R(search_breaks_at), SEARCH, .unit_off = offsetof(RunInfo, search_unit)},
    {"binding_limit", "1", "limits: the limit that breaks first beyond the answer (empty: none in the key's range)", .kind = RES_TEXT, .group = "search", R(binding_limit), .stride = 64, SEARCH},
    {"search_solves", "1", "limits: solves the search took", .kind = RES_COUNT, .group = "search", R(search_solves), SEARCH},
    {"map_point_solved", "1", "design map: the point was solved (an anchor or a check point), not rebuilt from solved points", .kind = RES_FLAG, .group = "map", R(map_solved), MAP_COLUMN},
    {"map_error_estimate_k", "K", "design map: the estimated temperature error of the rebuilt points, twice the largest measured at the map's random check points against full solves (0 where solved)", .kind = RES_SCALAR, .group = "map", R(map_error_k), MAP_COLUMN},
};
/* clang-format on */
static const ResultTable run_outputs = {RESULT_RUN, sizeof(RunInfo), run_entries,
                                        (int)(sizeof run_entries / sizeof run_entries[0])};

static const ResultTable *const tables[] = {&run_outputs,       &Thermal_outputs,
                                            &Loop_outputs,      &Power_outputs,
                                            &Mechanics_outputs, &Scenario_outputs,
                                            &Limits_outputs};
static const Registry registry = {tables, (int)(sizeof tables / sizeof tables[0])};

const Registry *Model_registry(void) { return &registry; }

void ModelResult_view(const ModelResult *r, Result *view) {
  memset(view, 0, sizeof *view);
  view->part[RESULT_RUN] = &r->run;
  view->part[RESULT_THERMAL] = &r->thermal;
  view->part[RESULT_COOLANT] = &r->coolant;
  view->part[RESULT_POWER] = r->has_power ? &r->power : NULL;
  view->part[RESULT_MECHANICS] = r->has_mechanics ? &r->mechanics : NULL;
  view->part[RESULT_LIMITS] = &r->limits;
}

void ModelResult_free(ModelResult *r) {
  ThermalResult_free(&r->thermal);
  LoopResult_free(&r->coolant);
  PowerResult_free(&r->power);
  MechanicsResult_free(&r->mechanics);
  memset(r, 0, sizeof *r);
}

int Model_create(Model **out, char *err, size_t err_size) {
  *out = calloc(1, sizeof **out);
  if (!*out) {
    snprintf(err, err_size, "model: out of memory");
    return EB_EFAIL;
  }
  return EB_OK;
}

void Model_destroy(Model *m) {
  if (!m) return;
  PowerModel_destroy(m->power);
  InplaneSolver_destroy(m->mech);
  ThermalSolver_destroy(m->thermal);
  Grid_destroy(m->grid);
  free(m);
}

const Grid *Model_grid(const Model *m) { return m->grid; }

/* ---- what a grid costs ----------------------------------------------------------------- */

/* Peak resident memory of `ebsim run` per cell and the fixed part (MPI,
 * hypre, libraries), and the wall time; fitted to `make bench-large` runs
 * of the CS-3 case on the 2-core reference machine, on huge pages with the
 * prefault (resources.h: every block from a heap never trimmed; see README,
 * Performance): 224, 750, 2869 and 12225 MiB at 0.77, 3.0, 12 and 52 M
 * cells, that is 246 B/cell above 61 MB from 12 M cells up (235 B/cell
 * before the prefault); 0.95-1.0, 2.5-2.7, 7.6-9.5 and 49.9 s. */
static const double bytes_per_cell = 246.0, bytes_fixed = 60e6;
static const double seconds_at_3m = 2.7, seconds_exponent = 1.0;

static void estimate_cells(double cells, ModelEstimate *e) {
  const int ranks = Runtime_size() > 0 ? Runtime_size() : 1;
  /* every rank holds every field today: memory grows with the ranks */
  e->cells = cells;
  e->bytes = ranks * (bytes_fixed + bytes_per_cell * cells);
  e->seconds = seconds_at_3m * pow(cells / 3.0e6, seconds_exponent);
}

int Model_estimate(const Case *c, ModelEstimate *e, char *err, size_t err_size) {
  memset(e, 0, sizeof *e);
  int rc = Grid_dims(c, &e->nx, &e->ny, &e->nz);
  if (rc != EB_OK) snprintf(err, err_size, "grid: cannot size the grid of case %s", c->name);
  if (rc != EB_OK) return rc;
  estimate_cells((double)e->nx * e->ny * e->nz, e);
  e->available = Resources_available_bytes(&e->available_from);
  return EB_OK;
}

int Model_check_fits(const Case *c, char *err, size_t err_size) {
  ModelEstimate e;
  int rc = Model_estimate(c, &e, err, err_size);
  if (rc != EB_OK || !isfinite(e.available) || e.bytes <= e.available) return rc;
  /* the smallest lateral cell that fits: coarser and coarser grids, rounded
   * up to two digits */
  Case *k = malloc(sizeof *k);
  double dx_fit = NAN;
  for (double dx = c->dx_m * 1.02; k && dx <= 0.05; dx *= 1.02) {
    double mag = pow(10.0, floor(log10(dx * 1e3)) - 1.0);
    double dx_mm = ceil(dx * 1e3 / mag - 1e-9) * mag;
    *k = *c;
    k->dx_m = dx_mm * 1e-3;
    ModelEstimate t;
    if (Grid_dims(k, &t.nx, &t.ny, &t.nz) != EB_OK) break;
    estimate_cells((double)t.nx * t.ny * t.nz, &t);
    if (t.bytes <= e.available) {
      dx_fit = dx_mm;
      break;
    }
  }
  free(k);
  char need[32], have[32];
  Resources_format_bytes(e.bytes, need, sizeof need);
  Resources_format_bytes(e.available, have, sizeof have);
  int n = snprintf(err, err_size,
                   "grid: %d x %d x %d = %.3g cells need about %s, more than the %s available "
                   "(%s)",
                   e.nx, e.ny, e.nz, e.cells, need, have, e.available_from);
  if (n >= 0 && (size_t)n < err_size) {
    if (isfinite(dx_fit))
      snprintf(err + n, err_size - (size_t)n,
               "; the smallest grid.dx_mm that fits is about %.3g (now %.3g)", dx_fit,
               c->dx_m * 1e3);
    else
      snprintf(err + n, err_size - (size_t)n,
               "; even grid.dx_mm = 50 does not fit: raise grid.dz_mm or free memory");
  }
  return EB_EINPUT;
}

/* ---- the model ------------------------------------------------------------------------ */

/* The grid and the solver on it are rebuilt only when the grid's inputs
 * changed. */
static int ensure_grid(Model *m, const Case *c, char *err, size_t err_size) {
  const uint64_t key = Grid_case_fingerprint(c);
  if (m->grid && m->thermal && m->grid_key == key) return EB_OK;
  PowerModel_destroy(m->power);
  m->power = NULL;
  ThermalSolver_destroy(m->thermal);
  m->thermal = NULL;
  Grid_destroy(m->grid);
  m->grid = NULL;
  int rc = Model_check_fits(c, err, err_size);
  if (rc == EB_OK) rc = Grid_create(c, &m->grid, err, err_size);
  /* this rank's share of the run's memory, faulted in on the side while
   * the solver is built and the coarse grids solve: the estimate's bytes
   * per cell, which a run needs from 3 M cells up (measured: its peak did
   * not grow at 3.0 M cells, 750 MiB either way) */
  if (rc == EB_OK)
    Resources_prefault(bytes_per_cell * (double)Grid_cells(m->grid) / Runtime_size());
  if (rc == EB_OK) rc = ThermalSolver_create(m->grid, c, &m->thermal, err, err_size);
  m->grid_key = rc == EB_OK ? key : 0;
  return rc;
}

/* The power model lives on the grid: made again with it, or when the
 * case's path changes its layers. */
static int ensure_power(Model *m, const Case *c, char *err, size_t err_size) {
  if (m->power && PowerModel_fits(m->power, c)) return EB_OK;
  PowerModel_destroy(m->power);
  m->power = NULL;
  return PowerModel_create(c, m->grid, &m->power, err, err_size);
}

/* The grid, and the power path's heat for case c when it has one
 * (*has_power): what a thermal solve of c needs. */
static int prepare(Model *m, const Case *c, ThermalHeatSource *heat, int *has_power, char *err,
                   size_t err_size) {
  int rc = ensure_grid(m, c, err, err_size);
  *has_power = Power_needed(c);
  if (rc == EB_OK && *has_power) {
    rc = ensure_power(m, c, err, err_size);
    if (rc == EB_OK) rc = PowerModel_begin(m->power, c, err, err_size);
    if (rc == EB_OK) PowerModel_heat(m->power, heat);
  }
  return rc;
}

/* Nested iteration: a cold solve of a grid of at least twice
 * MODEL_NESTED_MIN_CELLS cells starts from the same case solved on a grid
 * of twice the lateral cell (a quarter of the cells), itself started the
 * same way, to a tenth of the tolerance's accuracy. The coupled fixed
 * point's first evaluations (a cold start's brick and PCB temperatures are
 * kelvins off) then cost a quarter as much. Measured on CS-3: 0.25 mm
 * cells 19.6 -> 14.3 s (the fine grid's evaluations 4 -> 2), 0.5 mm 3.9 ->
 * 3.5 s (4 -> 3), 1 mm the same either way (1.76-1.78 s), so the bench's
 * grids all start nested and the 2 mm grid below them cold. Under MPI the
 * coarse grid is split by rows as the fine one, and its planes are gathered
 * one at a time for the carry-over. A coarse solve that fails leaves the
 * cold start. */
#define MODEL_NESTED_MIN_CELLS 350000

/* Returns the coarser grids solved (0: none); *seconds gets the time. */
static int nested_start(Model *m, const Case *c, long min_cells, double *seconds) {
  *seconds = 0.0;
  if (min_cells == 0) min_cells = MODEL_NESTED_MIN_CELLS;
  if (min_cells < 0 || ThermalSolver_has_history(m->thermal) ||
      Grid_cells(m->grid) < 2 * (size_t)min_cells)
    return 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int grids = 0;
  Case *cc = malloc(sizeof *cc);
  Model *mc = NULL;
  int nx, ny, nz, go = cc != NULL;
  /* the ranks solve the coarse grid together: all of them or none */
  if (Runtime_size() > 1 &&
      MPI_Allreduce(MPI_IN_PLACE, &go, 1, MPI_INT, MPI_MIN, Runtime_field_comm()) != MPI_SUCCESS)
    go = 0;
  if (!go) {
    free(cc);
    return 0;
  }
  *cc = *c;
  cc->dx_m *= 2.0;
  /* a start needs no more than the coarse grid's own accuracy */
  cc->nonlinear_tol_k = fmax(10.0 * c->nonlinear_tol_k, 0.01);
  cc->linear_rel_tol = fmax(c->linear_rel_tol, 1e-6);
  /* one that does not settle soon is no start worth its time */
  cc->max_nonlinear_iters = c->max_nonlinear_iters < 12 ? c->max_nonlinear_iters : 12;
  char err[EB_ERRLEN];
  ThermalResult tr;
  memset(&tr, 0, sizeof tr);
  int rc = Grid_dims(cc, &nx, &ny, &nz) == EB_OK && nz == m->grid->nz ? EB_OK : EB_EINPUT;
  ThermalHeatSource heat;
  int has_power = 0;
  if (rc == EB_OK) rc = Model_create(&mc, err, sizeof err);
  if (rc == EB_OK) rc = prepare(mc, cc, &heat, &has_power, err, sizeof err);
  if (rc == EB_OK) {
    double below;
    const int n_below = nested_start(mc, cc, min_cells, &below);
    ThermalOptions to = {.no_history = 1};
    rc = ThermalSolver_solve(mc->thermal, cc, &to, has_power ? &heat : NULL, &tr, err, sizeof err);
    if (rc == EB_OK && ThermalSolver_seed(m->thermal, c, mc->grid, tr.t_k, tr.t_fluid_k) == 0)
      grids = 1 + n_below;
  }
  ThermalResult_free(&tr);
  Model_destroy(mc);
  free(cc);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  *seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  return grids;
}

static void add_warning(RunInfo *run, const char *w) {
  if (run->n_warnings >= MODEL_MAX_WARNINGS) return;
  char *dst = run->warnings[run->n_warnings++];
  size_t n = 0;
  for (; w[n] && n + 1 < MODEL_WARNING_LEN; n++) dst[n] = w[n]; /* distinct members: no overlap */
  dst[n] = '\0';
}

/* The mechanics on the solved temperatures; what the user must know about
 * the answer goes into the run's warnings. */
static int solve_mechanics(Model *m, const Case *c, const ModelOptions *o, ModelResult *r,
                           char *err, size_t err_size) {
  const double *ref = o ? o->mech_ref_t_k : NULL;
  if (ref && o->mech_ref_cells != Grid_cells(m->grid)) {
    snprintf(err, err_size,
             "mechanics: the reference run %s has %zu cells, this case's grid %zu: both runs "
             "need the same grid (grid.dx_mm, grid.dz_mm, the stack)",
             o->mech_ref_label ? o->mech_ref_label : "", o->mech_ref_cells, Grid_cells(m->grid));
    return EB_EINPUT;
  }
  if (!m->mech && InplaneSolver_create(&m->mech) != EB_OK) {
    snprintf(err, err_size, "mechanics: out of memory");
    return EB_EFAIL;
  }
  int rc = Mechanics_solve(c, m->grid, r->thermal.t_k, ref, r->thermal.t_rows, Runtime_field_comm(),
                           o ? o->mech_ref_label : NULL, m->mech,
                           &r->mechanics, err, err_size);
  if (rc != EB_OK) return rc;
  r->has_mechanics = 1;
  const MechanicsResult *k = &r->mechanics;
  if (isfinite(k->flatten_pa) && k->flatten_pa > k->preload_pa) {
    char w[MODEL_WARNING_LEN];
    snprintf(w, sizeof w,
             "mechanics: the preload (%.0f kPa) is below the %.0f kPa that flattens the stack's "
             "%.0f um bow: the cold-plate contact opens (%s)",
             k->preload_pa * 1e-3, k->flatten_pa * 1e-3, k->warpage_m * 1e6,
             k->curvature_per_m > 0 ? "at the centre" : "at the corners");
    add_warning(&r->run, w);
  }
  return EB_OK;
}

/* ---- validity: what holds whatever the case's limits ---------------------------------- */

/* The heat balance of a converged solve: beyond THERMAL_BALANCE_TOL of the
 * largest heat flow the answer is not to be trusted. */
static int check_balance(const Case *c, const ThermalResult *t, char *err, size_t err_size) {
  if (t->energy_balance_rel_error <= THERMAL_BALANCE_TOL) return EB_OK; /* NaN fails too */
  snprintf(err, err_size,
           "thermal: the energy balance does not close: heat made %.6g W, to the coolant %.6g W, "
           "to the brick plate %.6g W leave %.3g W, %.2g of the largest flow, beyond the %.0e "
           "tolerance: the solve converged but its answer is not trustworthy. Tighten "
           "solver.nonlinear_tol_k (now %.2g K) and solver.linear_tol (now %.2g) towards "
           "their defaults",
           t->heat_made_w, t->heat_to_coolant_w, t->heat_to_bottom_w,
           t->heat_made_w - t->heat_to_coolant_w - t->heat_to_bottom_w,
           t->energy_balance_rel_error, THERMAL_BALANCE_TOL, c->nonlinear_tol_k, c->linear_rel_tol);
  return EB_EFAIL;
}

/* Every cell of a solid with a stated maximum temperature (Solid.t_max_k)
 * at or below it; the junction map counts as the heat-source layer's face.
 * Beyond it the answer describes materials that are no longer what their
 * properties say: EB_ENOSTATE, naming the worst cell (most above its
 * bound) and the other layers beyond theirs. */
static int check_materials(const Case *c, const Grid *g, const ThermalResult *t, char *err,
                           size_t err_size) {
  const GridRows rows = t->t_rows;
  double worst = 0.0, t_worst = NAN;
  size_t at = 0;
  int layer = -1, sid = -1;
  double beyond[CASE_MAX_LAYERS] = {0}; /* 1: some cell of the layer is beyond */
  for (int k = 0; k < g->nz; k++)
    for (size_t col = (size_t)rows.j0 * g->nx; col < (size_t)rows.j1 * g->nx; col++) {
      const int s = Grid_solid(g, k, col);
      if (s == GRID_VOID || !(g->solids[s].t_max_k > 0.0)) continue;
      double tk = t->t_k[Rows_at(g, rows, k, col)];
      if (k == g->k_source && t->t_wafer_k && t->t_wafer_k[col] > tk) tk = t->t_wafer_k[col];
      const double over = tk - g->solids[s].t_max_k;
      if (!(over > 0.0)) continue;
      beyond[g->layer_of_k[k]] = 1;
      if (over > worst) {
        worst = over;
        t_worst = tk;
        at = col;
        layer = g->layer_of_k[k];
        sid = s;
      }
    }
  /* over the ranks: the worst cell (the lowest rank's where they tie) and
   * every layer beyond */
  const MPI_Comm comm = Runtime_field_comm();
  struct {
    double t_worst;
    size_t at;
    int layer, sid;
  } w = {t_worst, at, layer, sid};
  int winner = 0;
  int rc = Rows_argmax(comm, &worst, &winner, err, err_size);
  if (rc == EB_OK) rc = Rows_bcast(comm, &w, (int)sizeof w, winner, err, err_size);
  if (rc == EB_OK) rc = Rows_max(comm, beyond, CASE_MAX_LAYERS, err, err_size);
  if (rc != EB_OK) return rc;
  t_worst = w.t_worst, at = w.at, layer = w.layer, sid = w.sid;
  if (layer < 0) return EB_OK;
  const Solid *m = &g->solids[sid];
  const int i = (int)(at % (size_t)g->nx), j = (int)(at / (size_t)g->nx);
  int n = snprintf(err, err_size,
                   "thermal: layer %s (%s) reaches %.1f C at x=%.1f y=%.1f mm, above %.1f C, %s: "
                   "beyond it the material is no longer what its properties describe, whatever "
                   "the case's limits",
                   c->layers[layer].name, m->name, t_worst - 273.15,
                   0.5 * (g->x[i] + g->x[i + 1]) * 1e3, 0.5 * (g->y[j] + g->y[j + 1]) * 1e3,
                   m->t_max_k - 273.15, m->t_max_what ? m->t_max_what : "its stated maximum");
  int others = 0;
  for (int l = 0; l < c->n_layers; l++) {
    if (!beyond[l] || l == layer || n < 0 || (size_t)n >= err_size) continue;
    n += snprintf(err + n, err_size - (size_t)n, "%s%s", others++ ? ", " : " (also beyond: ",
                  c->layers[l].name);
  }
  if (others && n >= 0 && (size_t)n < err_size) n += snprintf(err + n, err_size - (size_t)n, ")");
  if (n >= 0 && (size_t)n < err_size)
    snprintf(err + n, err_size - (size_t)n,
             ". Lower power.total_kw or coolant.inlet_c, or raise coolant.flow_lpm");
  return EB_ENOSTATE;
}

/* After a converged thermal solve: the balance first (the other checks
 * read the state it vouches for), then the coolant liquid, then the
 * solids within their stated ranges. Boiling is the thermal solver's
 * (Loop_boiling), as it also explains a failure to converge. */
static int check_validity(Model *m, const Case *c, const ThermalResult *t, char *err,
                          size_t err_size) {
  int rc = check_balance(c, t, err, err_size);
  if (rc == EB_OK) {
    char msg[EB_ERRLEN];
    rc = Loop_freezing(c, ThermalSolver_coolant(m->thermal), t->t_fluid_k, msg, sizeof msg);
    if (rc != EB_OK) snprintf(err, err_size, "thermal: %s", msg);
  }
  if (rc == EB_OK) rc = check_materials(c, m->grid, t, err, err_size);
  return rc;
}

int Model_solve(Model *m, const Case *c, const ModelOptions *o, ModelResult *r, char *err,
                size_t err_size) {
  memset(r, 0, sizeof *r);
  /* an inlet below freezing is the input's fault, whatever the reader let
   * through (a case built in memory, a study's value) */
  int rc = Loop_freezing(c, NULL, NULL, err, err_size);
  ThermalHeatSource heat;
  if (rc == EB_OK) rc = prepare(m, c, &heat, &r->has_power, err, err_size);
  if (rc != EB_OK) return rc;
  ThermalOptions to = {.verbose = o ? o->verbose : 0,
                       .progress_stream = o ? o->progress_stream : NULL,
                       .no_history = o ? o->last_solve : 0};
  double nested_s;
  const int nested = nested_start(m, c, o ? o->nested_min_cells : 0, &nested_s);
  rc = ThermalSolver_solve(m->thermal, c, &to, r->has_power ? &heat : NULL, &r->thermal, err,
                           err_size);
  r->thermal.nested_start_seconds = nested_s;
  r->thermal.nested_start_grids = nested;
  if (rc == EB_OK && r->has_power) rc = PowerModel_take_result(m->power, &r->thermal, &r->power, err, err_size);
  if (rc == EB_OK) rc = check_validity(m, c, &r->thermal, err, err_size);
  if (rc != EB_OK) {
    ModelResult_free(r);
    return rc;
  }
  const ThermalResult *t = &r->thermal;
  rc = Loop_evaluate(c, ThermalSolver_coolant(m->thermal), t->t_fluid_k, t->t_wafer_k,
                     t->coolant_outlet_k, t->power_w, &r->coolant, err, err_size);
  if (o && o->last_solve) { /* CS-3 at 3.0 M cells: peak 811 -> 718 MB */
    ThermalSolver_destroy(m->thermal);
    m->thermal = NULL;
  }
  if (rc == EB_OK && c->mech.enabled) rc = solve_mechanics(m, c, o, r, err, err_size);
  if (rc == EB_OK) {
    snprintf(r->run.case_name, sizeof r->run.case_name, "%s", c->name);
    for (int i = 0; i < r->coolant.n_warnings; i++) add_warning(&r->run, r->coolant.warnings[i]);
    Result view;
    ModelResult_view(r, &view);
    view.part[RESULT_LIMITS] = NULL; /* not yet evaluated */
    rc = Limits_evaluate(c, &registry, &view, &r->limits, err, err_size);
  }
  if (rc != EB_OK) ModelResult_free(r);
  return rc;
}

int Model_solve_once(const Case *c, const ModelOptions *o, ModelResult *r, char *err,
                     size_t err_size) {
  Model *m = NULL;
  memset(r, 0, sizeof *r);
  ModelOptions once = o ? *o : (ModelOptions){0};
  once.last_solve = 1;
  int rc = Model_create(&m, err, err_size);
  if (rc == EB_OK) rc = Model_solve(m, c, &once, r, err, err_size);
  Model_destroy(m);
  return rc;
}
