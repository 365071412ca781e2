/* thermal.c - steady engine-block solve: power map, coolant marching,
 * KINSOL fixed point (Anderson) around the hypre conduction solve. */
#include "thermal.h"

#include <kinsol/kinsol.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sundials/sundials_context.h>
#include <time.h>

#include "conduction.h"

/* ---- power map ------------------------------------------------------------ */

/* Watts per column made at the active face: hotspot cells carry their own
 * flux, the rest of the case power is spread by the die weights. */
static int power_map(const Case *c, const Grid *g, double *src_col, char *err, size_t err_size) {
  const int nx = g->nx, ny = g->ny;
  double hot_w = 0.0, bg_weight_area = 0.0;
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++) {
      size_t col = (size_t)j * nx + i;
      double xc = 0.5 * (g->x[i] + g->x[i + 1]), yc = 0.5 * (g->y[j] + g->y[j + 1]);
      double area = Grid_dx(g, i) * Grid_dy(g, j);
      src_col[col] = -1.0; /* marks background */
      for (int h = 0; h < c->n_hotspots; h++) {
        const CaseHotspot *s = &c->hotspots[h];
        if (xc > s->x0_m && xc < s->x1_m && yc > s->y0_m && yc < s->y1_m) {
          src_col[col] = s->flux_w_m2 * area;
          hot_w += src_col[col];
          break;
        }
      }
      if (src_col[col] < 0.0) {
        int d = g->die_of_col[col];
        double w = c->power_map == POWER_PER_DIE
                       ? c->die_weight[d / c->die_columns][d % c->die_columns]
                       : 1.0;
        bg_weight_area += w * area;
      }
    }
  double bg_w = c->power_w - hot_w;
  if (bg_w < 0.0 || (bg_w > 0.0 && bg_weight_area <= 0.0)) {
    snprintf(err, err_size,
             "power: hotspots make %.1f W of the %.1f W total and the remaining %.1f W has no "
             "die weight to go to; lower the hotspot fluxes or raise power.total_kw",
             hot_w, c->power_w, bg_w);
    return EB_EINPUT;
  }
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++) {
      size_t col = (size_t)j * nx + i;
      if (src_col[col] >= 0.0) continue;
      int d = g->die_of_col[col];
      double w = c->power_map == POWER_PER_DIE
                     ? c->die_weight[d / c->die_columns][d % c->die_columns]
                     : 1.0;
      src_col[col] = bg_w * w * Grid_dx(g, i) * Grid_dy(g, j) / bg_weight_area;
    }
  return EB_OK;
}

/* ---- coolant channel ---------------------------------------------------------- */

typedef struct {
  double w, height, fin_t, pitch, dh, alpha, nu, k_fin;
} ChannelGeom;

static void channel_geom(const Case *c, ChannelGeom *cg) {
  const CaseLayer *L = &c->layers[Case_channel_layer(c)];
  cg->w = L->channel_width_m;
  cg->height = L->channel_height_m;
  cg->fin_t = L->fin_thickness_m;
  cg->pitch = cg->w + cg->fin_t;
  cg->dh = 2.0 * cg->w * cg->height / (cg->w + cg->height);
  cg->alpha = fmin(cg->w, cg->height) / fmax(cg->w, cg->height);
  cg->nu = Channel_nu_h1(cg->alpha);
  cg->k_fin = Case_solid(c, L->material)->kx_w_mk;
}

/* h on the channel walls and h_eff per unit plate area (fins included). */
static double channel_h_eff(const ChannelGeom *cg, const FluidProps *fp, double *h_wall,
                            double *eta) {
  double h = cg->nu * fp->k_w_mk / cg->dh;
  double e = Channel_fin_efficiency(h, cg->k_fin, cg->fin_t, cg->height);
  if (h_wall) *h_wall = h;
  if (eta) *eta = e;
  return h * (cg->w + 2.0 * e * cg->height) / cg->pitch;
}

/* ---- the fixed-point problem ------------------------------------------------------- */

typedef struct {
  const Case *c;
  const Grid *g;
  const ThermalOptions *opt;
  Conduction *cond;
  ConductionProblem prob;
  ChannelGeom cg;
  size_t ncol;
  double *t;        /* 3D solid temperature (warm start and result) */
  double *h_lo, *t_lo, *h_hi, *t_hi, *src_col, *rc_face_z;
  double *t_fluid;  /* marched fluid cell temperature, last evaluation */
  double *q_fluid;  /* W per column into the fluid, last evaluation */
  int *tdep_k;      /* z planes with a temperature-dependent k */
  int n_tdep;
  double m_dot;     /* kg/s */
  FluidProps inlet_props;
  double t_outlet, heat_to_coolant;
  int evals, linear_iters;
  double last_res, last_update, last_tol;
  int final_pass; /* 1: solve at the case's linear tolerance */
  char *err;
  size_t err_size;
  int status;
} FixedPoint;

static void props_at(const FixedPoint *fp, double t_k, FluidProps *out) {
  if (fp->c->fluid_constant)
    *out = fp->inlet_props;
  else
    Materials_fluid_props(fp->c->fluid, t_k, out);
}

/* March the coolant along the channels with the heat each column gives it;
 * the cell temperature is the mean of its inlet and outlet faces. */
static void march(FixedPoint *fp, const double *t_in_cell, double *t_new) {
  const Grid *g = fp->g;
  const int nx = g->nx, ny = g->ny;
  const int along_x = fp->c->layers[Case_channel_layer(fp->c)].flow_direction != 'y';
  const int n_strips = along_x ? ny : nx, n_along = along_x ? nx : ny;
  const double width = along_x ? g->y[ny] - g->y[0] : g->x[nx] - g->x[0];
  double out_sum = 0.0, heat = 0.0;
  for (int s = 0; s < n_strips; s++) {
    double strip_w = along_x ? Grid_dy(g, s) : Grid_dx(g, s);
    double m = fp->m_dot * strip_w / width;
    double t_face = fp->c->inlet_t_k;
    for (int a = 0; a < n_along; a++) {
      size_t col = along_x ? (size_t)s * nx + a : (size_t)a * nx + s;
      FluidProps p;
      props_at(fp, t_in_cell[col], &p);
      double dt = fp->q_fluid[col] / (m * p.cp_j_kgk);
      t_new[col] = t_face + 0.5 * dt;
      t_face += dt;
      heat += fp->q_fluid[col];
    }
    out_sum += m * t_face;
  }
  fp->t_outlet = out_sum / fp->m_dot;
  fp->heat_to_coolant = heat;
}

/* G(u): u = [fluid cell temperatures (ncol), temperatures of the planes
 * with k(T)]. One conduction solve per evaluation. */
static int fp_map(N_Vector uv, N_Vector gv, void *user) {
  FixedPoint *fp = user;
  const Grid *g = fp->g;
  const size_t ncol = fp->ncol;
  const double *u = N_VGetArrayPointer(uv);
  double *gout = N_VGetArrayPointer(gv);

  for (int p = 0; p < fp->n_tdep; p++)
    memcpy(fp->t + (size_t)fp->tdep_k[p] * ncol, u + ncol * (1 + p), ncol * sizeof(double));
  for (size_t col = 0; col < ncol; col++) {
    FluidProps pr;
    props_at(fp, u[col], &pr);
    fp->h_lo[col] = channel_h_eff(&fp->cg, &pr, NULL, NULL);
    fp->t_lo[col] = u[col];
  }
  /* Inexact fixed point: while the outer update is large, a tight linear
   * solve is wasted. The first solve stops at 1e-5, later ones at 1e-6 per
   * kelvin of the last update, down to the case's linear_tol; the reported
   * answer always comes from a solve at linear_tol (see Thermal_solve).
   * Measured on CS-3 at 3.0 M cells: 15 PCG iterations against 35 with every
   * solve at 1e-8, same answer to 1e-4 K. */
  double tol = fp->c->linear_rel_tol;
  if (!fp->final_pass) {
    double loose = fp->evals == 0 ? 1e-5 : 1e-6 * fp->last_update;
    tol = fmax(tol, fmin(1e-5, loose));
  }
  Conduction_set_tolerance(fp->cond, tol);
  fp->last_tol = tol;
  /* Between evaluations only the coolant face (plane 0) and the k(T)
   * planes with their neighbours change: re-set those alone. */
  int rc = Conduction_update(fp->cond, &fp->prob, 0, 0, fp->err, fp->err_size);
  if (rc == EB_OK && fp->n_tdep > 0)
    rc = Conduction_update(fp->cond, &fp->prob, fp->tdep_k[0] - 1, fp->tdep_k[fp->n_tdep - 1] + 1,
                           fp->err, fp->err_size);
  int its = 0;
  double res = 0.0;
  if (rc == EB_OK) rc = Conduction_solve(fp->cond, fp->t, &its, &res, fp->err, fp->err_size);
  fp->evals++;
  fp->linear_iters += its;
  fp->last_res = res;
  if (rc != EB_OK) {
    fp->status = rc;
    return -1; /* unrecoverable: KINSOL stops */
  }
  for (int j = 0; j < g->ny; j++)
    for (int i = 0; i < g->nx; i++) {
      size_t col = (size_t)j * g->nx + i;
      double gr = Conduction_robin_g(g, &fp->prob, i, j, 0, 1, fp->h_lo[col]);
      fp->q_fluid[col] = gr * (fp->t[Grid_index(g, i, j, 0)] - u[col]);
    }
  march(fp, u, gout);
  memcpy(fp->t_fluid, gout, ncol * sizeof(double));
  for (int p = 0; p < fp->n_tdep; p++)
    memcpy(gout + ncol * (1 + p), fp->t + (size_t)fp->tdep_k[p] * ncol, ncol * sizeof(double));
  double upd = 0.0;
  for (size_t q = 0; q < ncol * (1 + (size_t)fp->n_tdep); q++) upd = fmax(upd, fabs(gout[q] - u[q]));
  fp->last_update = upd;
  if (fp->opt && fp->opt->verbose) {
    FILE *f = fp->opt->progress_stream ? fp->opt->progress_stream : stderr;
    fprintf(f, "  iteration %2d: PCG %3d its, residual %.2e; largest temperature update %.3e K\n",
            fp->evals, its, res, upd);
    fflush(f);
  }
  return 0;
}

/* Initial guess from the 1D picture: all heat goes straight up its column
 * into the coolant. The coolant is marched with that heat; each solid cell
 * sits above it by the series resistances in between. Starting here instead
 * of at the inlet temperature saves two to three fixed-point iterations. */
static void initial_guess(FixedPoint *fp, double *u) {
  const Grid *g = fp->g;
  const size_t ncol = fp->ncol;
  memcpy(fp->q_fluid, fp->src_col, ncol * sizeof(double));
  for (size_t col = 0; col < ncol; col++) u[col] = fp->c->inlet_t_k;
  march(fp, u, u);
  for (int j = 0; j < g->ny; j++)
    for (int i = 0; i < g->nx; i++) {
      size_t col = (size_t)j * g->nx + i;
      double area = Grid_dx(g, i) * Grid_dy(g, j);
      double flux = fp->src_col[col] / area;
      double r = 1.0 / channel_h_eff(&fp->cg, &fp->inlet_props, NULL, NULL);
      for (int k = 0; k < g->nz; k++) {
        size_t idx = Grid_index(g, i, j, k);
        uint8_t s = g->solid_id[idx];
        double half = s == GRID_VOID ? 0.0 : 0.5 * Grid_dz(g, k) / g->solids[s]->kz_w_mk;
        r += fp->rc_face_z[k] + half;
        fp->t[idx] = u[col] + flux * r;
        if (k < g->k_source) r += half; /* above the source the column carries no heat */
      }
    }
  for (int p = 0; p < fp->n_tdep; p++)
    memcpy(u + ncol * (1 + p), fp->t + (size_t)fp->tdep_k[p] * ncol, ncol * sizeof(double));
}

static void kin_silent(int code, const char *module, const char *fn, char *msg, void *data) {
  (void)code;
  (void)module;
  (void)fn;
  (void)msg;
  (void)data;
}

/* ---- results ---------------------------------------------------------------------- */

/* Junction (active-face) temperature of column (i, j). The power is made at
 * the wafer face away from the cold plate, inside the source cell; the heat
 * that leaves the cell towards the cold plate crosses the half-cell between
 * that face and the cell centre, so the face sits q_up dz / (2 k_z) above
 * the centre (the same linear half-cell profile the face conductances use).
 * Without it the junction would read low by 0.4 K per 0.2 mm of cell. */
static double junction_temperature(const FixedPoint *fp, const double *t, int i, int j) {
  const Grid *g = fp->g;
  const int ks = g->k_source;
  size_t idx = Grid_index(g, i, j, ks);
  uint8_t s = g->solid_id[idx];
  if (s == GRID_VOID || ks == 0) return t[idx];
  double q_up = Conduction_face_g(g, &fp->prob, i, j, ks - 1, 2) * (t[idx] - t[idx - fp->ncol]);
  double kz = g->solids[s]->kz_w_mk * Solid_k_factor(g->solids[s], t[idx]);
  return t[idx] + fmax(q_up, 0.0) * 0.5 * Grid_dz(g, ks) / (kz * Grid_dx(g, i) * Grid_dy(g, j));
}

static int fill_result(FixedPoint *fp, ThermalResult *r) {
  const Case *c = fp->c;
  const Grid *g = fp->g;
  const int nx = g->nx, ny = g->ny, nz = g->nz;
  const size_t ncol = fp->ncol;
  r->t_k = fp->t;
  fp->t = NULL;
  r->t_fluid_k = fp->t_fluid;
  fp->t_fluid = NULL;
  r->t_wafer_k = malloc(ncol * sizeof(double));
  r->q_plate_w_m2 = malloc(ncol * sizeof(double));
  r->q_source_w_m2 = malloc(ncol * sizeof(double));
  r->n_dies = c->die_columns * c->die_rows;
  r->dies = calloc((size_t)r->n_dies, sizeof *r->dies);
  if (!r->t_wafer_k || !r->q_plate_w_m2 || !r->q_source_w_m2 || !r->dies) return EB_EFAIL;

  const int ch = Case_channel_layer(c);
  const int kb = g->k0[ch] + g->nk[ch] - 1; /* last base cell; the wafer side is kb+1 */
  double area_sum = 0.0, t_sum = 0.0, q_sum = 0.0, q_max = -INFINITY, power = 0.0;
  r->t_max_k = -INFINITY;
  for (int d = 0; d < r->n_dies; d++) {
    DieResult *D = &r->dies[d];
    D->col = d % c->die_columns;
    D->row = d / c->die_columns;
    D->x0_m = D->col * c->wafer_size_m / c->die_columns;
    D->x1_m = (D->col + 1) * c->wafer_size_m / c->die_columns;
    D->y0_m = D->row * c->wafer_size_m / c->die_rows;
    D->y1_m = (D->row + 1) * c->wafer_size_m / c->die_rows;
    D->t_max_k = -INFINITY;
  }
  double *die_area = calloc((size_t)r->n_dies, sizeof(double));
  if (!die_area) return EB_EFAIL;
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++) {
      size_t col = (size_t)j * nx + i;
      double area = Grid_dx(g, i) * Grid_dy(g, j);
      double tj = junction_temperature(fp, r->t_k, i, j);
      r->t_wafer_k[col] = tj;
      r->q_source_w_m2[col] = fp->src_col[col] / area;
      double q = kb + 1 < nz ? Conduction_face_g(g, &fp->prob, i, j, kb, 2) *
                                   (r->t_k[Grid_index(g, i, j, kb + 1)] -
                                    r->t_k[Grid_index(g, i, j, kb)]) /
                                   area
                             : 0.0;
      r->q_plate_w_m2[col] = q;
      q_sum += q * area;
      q_max = fmax(q_max, q);
      power += fp->src_col[col];
      if (!isfinite(tj)) continue;
      area_sum += area;
      t_sum += tj * area;
      int d = g->die_of_col[col];
      DieResult *D = &r->dies[d];
      D->power_w += fp->src_col[col];
      D->t_mean_k += tj * area;
      die_area[d] += area;
      if (tj > D->t_max_k) D->t_max_k = tj;
      if (tj > r->t_max_k) {
        r->t_max_k = tj;
        r->t_max_x_m = 0.5 * (g->x[i] + g->x[i + 1]);
        r->t_max_y_m = 0.5 * (g->y[j] + g->y[j + 1]);
        r->t_max_die_col = D->col;
        r->t_max_die_row = D->row;
      }
    }
  for (int d = 0; d < r->n_dies; d++)
    r->dies[d].t_mean_k = die_area[d] > 0 ? r->dies[d].t_mean_k / die_area[d] : NAN;
  free(die_area);

  double q_bottom = 0.0;
  if (fp->prob.h_hi)
    for (int j = 0; j < ny; j++)
      for (int i = 0; i < nx; i++) {
        size_t col = (size_t)j * nx + i;
        double gr = Conduction_robin_g(g, &fp->prob, i, j, nz - 1, 0, fp->h_hi[col]);
        if (gr > 0) q_bottom += gr * (r->t_k[Grid_index(g, i, j, nz - 1)] - fp->t_hi[col]);
      }
  r->t_mean_wafer_k = t_sum / area_sum;
  r->power_w = power;
  r->heat_to_coolant_w = fp->heat_to_coolant;
  r->heat_to_bottom_w = q_bottom;
  r->energy_balance_rel_error = fabs(power - fp->heat_to_coolant - q_bottom) / power;
  r->coolant_inlet_k = c->inlet_t_k;
  r->coolant_outlet_k = fp->t_outlet;
  r->coolant_flow_m3_s = c->flow_m3_s;
  r->coolant_mass_flow_kg_s = fp->m_dot;
  double plate_area = (g->x[nx] - g->x[0]) * (g->y[ny] - g->y[0]);
  r->heat_flux_mean_w_m2 = q_sum / plate_area;
  r->heat_flux_max_w_m2 = q_max;
  double h_wall, eta;
  r->h_eff_w_m2k = channel_h_eff(&fp->cg, &fp->inlet_props, &h_wall, &eta);
  r->h_channel_w_m2k = h_wall;
  r->fin_efficiency = eta;
  const CaseLayer *L = &c->layers[ch];
  double across = L->flow_direction == 'y' ? g->x[nx] - g->x[0] : g->y[ny] - g->y[0];
  double n_channels = across / fp->cg.pitch;
  double velocity = c->flow_m3_s / (n_channels * fp->cg.w * fp->cg.height);
  r->reynolds = fp->inlet_props.rho_kg_m3 * velocity * fp->cg.dh / fp->inlet_props.mu_pa_s;
  size_t active = 0;
  for (size_t q = 0; q < Grid_cells(g); q++) active += g->solid_id[q] != GRID_VOID;
  r->cells = active;
  r->nonlinear_iters = fp->evals;
  r->linear_iters = fp->linear_iters;
  r->linear_residual = fp->last_res;
  r->nonlinear_residual_k = fp->last_update;
  return EB_OK;
}

static void fixed_point_free(FixedPoint *fp) {
  Conduction_destroy(fp->cond);
  free(fp->t);
  free(fp->h_lo);
  free(fp->t_lo);
  free(fp->h_hi);
  free(fp->t_hi);
  free(fp->src_col);
  free(fp->rc_face_z);
  free(fp->t_fluid);
  free(fp->q_fluid);
  free(fp->tdep_k);
}

int Thermal_solve(const Case *c, const Grid *g, const ThermalOptions *opt, ThermalResult *res,
                  char *err, size_t err_size) {
  memset(res, 0, sizeof *res);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  const int nx = g->nx, ny = g->ny, nz = g->nz;
  const size_t ncol = (size_t)nx * ny, ncell = Grid_cells(g);
  if (Case_channel_layer(c) != 0 || g->k_source < 0) {
    snprintf(err, err_size, "thermal: the stack needs a microchannel layer first and a heat source");
    return EB_EINPUT;
  }
  FixedPoint fp = {.c = c, .g = g, .opt = opt, .ncol = ncol, .err = err, .err_size = err_size};
  int rc = EB_EFAIL;
  SUNContext ctx = NULL;
  N_Vector u = NULL, scale = NULL;
  void *kmem = NULL;

  fp.t = malloc(ncell * sizeof(double));
  fp.h_lo = malloc(ncol * sizeof(double));
  fp.t_lo = malloc(ncol * sizeof(double));
  fp.src_col = malloc(ncol * sizeof(double));
  fp.t_fluid = malloc(ncol * sizeof(double));
  fp.q_fluid = calloc(ncol, sizeof(double));
  fp.rc_face_z = calloc((size_t)nz + 1, sizeof(double));
  fp.tdep_k = malloc((size_t)nz * sizeof(int));
  if (!fp.t || !fp.h_lo || !fp.t_lo || !fp.src_col || !fp.t_fluid || !fp.q_fluid ||
      !fp.rc_face_z || !fp.tdep_k) {
    snprintf(err, err_size, "thermal: out of memory for %zu cells; raise grid.dx_mm", ncell);
    goto done;
  }
  for (size_t q = 0; q < ncell; q++) fp.t[q] = c->inlet_t_k;

  /* contact resistances on the z face where an interface layer sits */
  for (int l = 0; l < c->n_layers; l++)
    if (c->layers[l].kind == LAYER_INTERFACE) fp.rc_face_z[g->k0[l]] += 1.0 / c->layers[l].conductance_w_m2k;
  /* brick cold plate on the far face */
  const CaseLayer *last = &c->layers[c->n_layers - 1];
  if (last->kind == LAYER_BRICK_TILES && last->cold_plate_h_w_m2k > 0.0) {
    fp.h_hi = malloc(ncol * sizeof(double));
    fp.t_hi = malloc(ncol * sizeof(double));
    if (!fp.h_hi || !fp.t_hi) goto done;
    for (size_t q = 0; q < ncol; q++) {
      fp.h_hi[q] = last->cold_plate_h_w_m2k;
      fp.t_hi[q] = last->cold_plate_t_k;
    }
  }
  rc = power_map(c, g, fp.src_col, err, err_size);
  if (rc != EB_OK) goto done;
  rc = EB_EFAIL;

  /* planes whose conductivity depends on temperature */
  for (int k = 0; k < nz; k++) {
    int dep = 0;
    for (size_t q = 0; q < ncol && !dep; q++) {
      uint8_t s = g->solid_id[(size_t)k * ncol + q];
      dep = s != GRID_VOID && g->solids[s]->k_exponent != 0.0;
    }
    if (dep) fp.tdep_k[fp.n_tdep++] = k;
  }
  channel_geom(c, &fp.cg);
  Materials_fluid_props(c->fluid, c->inlet_t_k, &fp.inlet_props);
  fp.m_dot = fp.inlet_props.rho_kg_m3 * c->flow_m3_s;

  fp.prob = (ConductionProblem){.h_lo = fp.h_lo, .t_lo = fp.t_lo, .h_hi = fp.h_hi, .t_hi = fp.t_hi,
                                .src_col_w = fp.src_col, .k_src = g->k_source,
                                .rc_face_z = fp.rc_face_z, .t_prop_k = fp.t};
  ConductionOptions copt = {.rel_tol = c->linear_rel_tol, .max_iters = c->max_linear_iters};
  if (Conduction_create(g, &copt, &fp.cond, err, err_size) != EB_OK) goto done;

  /* KINSOL fixed point with Anderson acceleration (depth 3) */
  const sunindextype nu = (sunindextype)(ncol * (1 + (size_t)fp.n_tdep));
  if (SUNContext_Create(NULL, &ctx) != 0) goto kin_fail;
  u = N_VNew_Serial(nu, ctx);
  scale = N_VNew_Serial(nu, ctx);
  kmem = KINCreate(ctx);
  if (!u || !scale || !kmem) goto kin_fail;
  N_VConst(1.0, scale);
  initial_guess(&fp, N_VGetArrayPointer(u));
  int kf = KINSetMAA(kmem, 3);
  kf |= KINInit(kmem, fp_map, u);
  kf |= KINSetUserData(kmem, &fp);
  kf |= KINSetFuncNormTol(kmem, c->nonlinear_tol_k);
  kf |= KINSetNumMaxIters(kmem, c->max_nonlinear_iters);
  kf |= KINSetErrHandlerFn(kmem, kin_silent, NULL);
  if (kf != KIN_SUCCESS) goto kin_fail;
  fp.status = EB_OK;
  int flag = KINSol(kmem, u, KIN_FP, scale, scale);
  if (fp.status != EB_OK) {
    rc = fp.status; /* message already in err */
    goto done;
  }
  if (flag < 0 || fp.last_update > c->nonlinear_tol_k) {
    snprintf(err, err_size,
             "thermal: the nonlinear iteration did not converge in %d iterations (KINSOL flag %d): "
             "last temperature update %.3e K, tolerance %.1e K; raise "
             "solver.max_nonlinear_iters or solver.nonlinear_tol_k",
             fp.evals, flag, fp.last_update, c->nonlinear_tol_k);
    goto done;
  }
  if (fp.last_tol > c->linear_rel_tol) {
    /* the converged iterate came from an inexact solve: one more at full
     * tolerance (warm, a few PCG iterations) so the answer is exact */
    fp.final_pass = 1;
    N_Vector g2 = N_VClone(u);
    int frc = g2 ? fp_map(u, g2, &fp) : -1;
    if (g2) N_VDestroy(g2);
    if (frc != 0) {
      rc = fp.status != EB_OK ? fp.status : EB_EFAIL;
      goto done;
    }
  }
  rc = fill_result(&fp, res);
  if (rc != EB_OK) {
    snprintf(err, err_size, "thermal: out of memory for the result fields");
    ThermalResult_free(res);
    goto done;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  res->solve_seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  goto done;
kin_fail:
  snprintf(err, err_size, "thermal: could not set up KINSOL");
  rc = EB_EFAIL;
done:
  if (kmem) KINFree(&kmem);
  if (u) N_VDestroy(u);
  if (scale) N_VDestroy(scale);
  if (ctx) SUNContext_Free(&ctx);
  fixed_point_free(&fp);
  return rc;
}

void ThermalResult_free(ThermalResult *r) {
  free(r->t_k);
  free(r->t_wafer_k);
  free(r->q_plate_w_m2);
  free(r->t_fluid_k);
  free(r->q_source_w_m2);
  free(r->dies);
  memset(r, 0, sizeof *r);
}
