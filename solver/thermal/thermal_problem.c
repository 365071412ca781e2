/* thermal_problem.c - coefficients, boundary conditions and sources of the
 * conduction problem, from the case. */
#include "thermal_problem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int ThermalProblem_init(ThermalProblem *p, const Case *c, const Grid *g, const double *t,
                        MPI_Comm comm, const ThermalHeatSource *heat, char *err,
                        size_t err_size) {
  const int nz = g->nz;
  const size_t ncol = (size_t)g->nx * g->ny;
  memset(p, 0, sizeof *p);
  p->c = c;
  p->g = g;
  p->ncol = ncol;
  p->comm = comm;
  p->rows = Rows_own(g, comm);
  p->own = Rows_plane(g, p->rows);
  p->col_lo = (size_t)p->rows.j0 * (size_t)g->nx;
  const size_t own = p->own;
  p->t = t;
  p->h_lo = malloc(own * sizeof(double));
  p->t_lo = malloc(own * sizeof(double));
  p->src_col = malloc(ncol * sizeof(double));
  p->rc_face_z = calloc((size_t)nz + 1, sizeof(double));
  p->tdep_k = malloc((size_t)nz * sizeof(int));
  p->mat_k = malloc(((size_t)g->n_solids + 1) * sizeof *p->mat_k);
  p->factor = calloc((size_t)nz, sizeof *p->factor);
  p->src_eff = malloc(own * sizeof(double));
  const int n_dies = c->die_columns * c->die_rows;
  p->die_area = calloc((size_t)n_dies, sizeof(double));
  p->tj_solved = calloc((size_t)n_dies, sizeof(double));
  p->die_p_nom = calloc((size_t)n_dies, sizeof(double));
  p->out.die_scale = malloc((size_t)n_dies * sizeof(double));
  p->out.col_lo = p->col_lo;
  p->out.own = own;
  int n_src = 1;
  if (heat)
    for (int l = 0; l < heat->n_layers; l++) n_src += g->nk[heat->layer[l]];
  p->src = calloc((size_t)n_src, sizeof *p->src);
  int oom = !p->h_lo || !p->t_lo || !p->src_col || !p->rc_face_z || !p->tdep_k || !p->mat_k ||
            !p->factor || !p->src_eff || !p->die_area || !p->tj_solved || !p->die_p_nom || !p->out.die_scale ||
            !p->src;
  for (int l = 0; heat && !oom && l < heat->n_layers; l++) {
    p->out.layer_w[l] = calloc(own, sizeof(double));
    p->w_plane[l] = calloc(own, sizeof(double));
    oom = !p->out.layer_w[l] || !p->w_plane[l];
  }
  /* the far face: a brick cold plate, or a convective layer */
  const CaseLayer *last = &c->layers[c->n_layers - 1];
  if (!oom && (last->kind == LAYER_BRICK_TILES || last->kind == LAYER_CONVECTIVE) &&
      last->cold_plate_h_w_m2k > 0.0) {
    p->h_hi = malloc(own * sizeof(double));
    p->t_hi = malloc(own * sizeof(double));
    oom = !p->h_hi || !p->t_hi;
    for (size_t q = 0; q < own && !oom; q++) {
      p->h_hi[q] = last->cold_plate_h_w_m2k;
      p->t_hi[q] = Case_brick_plate_t_k(c, last);
    }
  }
  if (!oom && p->h_hi && last->kind == LAYER_CONVECTIVE && last->face_coolant == FACE_MARCHED) {
    /* the case's fluid with its properties at the face's inlet, held
     * constant along the face: water's cp is 4.182, 4.179 and 4.185 kJ/kgK
     * at 20, 40 and 60 C (NIST Chemistry WebBook, water at 0.1 MPa), so a
     * rise of tens of kelvin moves the outlet by < 0.1 % of the rise */
    FluidProps fl;
    p->face_t_in = Case_brick_plate_t_k(c, last);
    if (Materials_fluid_props(c->fluid, p->face_t_in, &fl) != 0 || !(fl.cp_j_kgk > 0.0)) {
      double lo, hi;
      Materials_fluid_range(c->fluid, &lo, &hi);
      snprintf(err, err_size,
               "thermal: no properties of the coolant %s at stack.%s.ambient_c = %.2f C for the "
               "marched face: set ambient_c within the fluid's range, %.0f to %.0f C",
               Materials_fluid_names()[c->fluid], last->name, p->face_t_in - 273.15, lo - 273.15,
               hi - 273.15);
      ThermalProblem_free(p);
      return EB_EINPUT;
    }
    p->face_marched = 1;
    p->face_along_x = last->flow_direction != 'y';
    p->face_mdot = fl.rho_kg_m3 * last->face_flow_m3_s;
    p->face_cp = fl.cp_j_kgk;
  }
  if (!oom && g->nk_fin > 0) {
    p->resolved = 1;
    p->cool_k1 = g->k_channel;
    p->g_fluid = calloc(Rows_cells(g, p->rows), sizeof(double));
    p->src_fluid = calloc(Rows_cells(g, p->rows), sizeof(double));
    oom = !p->g_fluid || !p->src_fluid;
  }
  if (oom) {
    ThermalProblem_free(p);
    snprintf(err, err_size, "thermal: out of memory for the boundary data of %d x %d columns",
             g->nx, g->ny);
    return EB_EFAIL;
  }
  /* contact resistances on the z face where an interface layer sits */
  for (int l = 0; l < c->n_layers; l++)
    if (c->layers[l].kind == LAYER_INTERFACE)
      p->rc_face_z[g->k0[l]] += 1.0 / c->layers[l].conductance_w_m2k;
  int rc = power_map(c, g, p->src_col, err, err_size);
  if (rc != EB_OK) {
    ThermalProblem_free(p);
    return rc;
  }
  /* each cell's solid: the operator's material table (the grid's solid ids
   * index it directly; GRID_VOID is the operator's void) */
  _Static_assert(GRID_VOID == DIFF_VOID, "the grid's void is the operator's");
  for (int s = 0; s < g->n_solids; s++) {
    p->mat_k[s][0] = g->solids[s].kx_w_mk;
    p->mat_k[s][1] = g->solids[s].ky_w_mk;
    p->mat_k[s][2] = g->solids[s].kz_w_mk;
  }
  /* planes whose conductivity depends on temperature get factor planes */
  for (int k = 0; k < nz; k++) {
    int dep = 0;
    for (size_t q = 0; q < ncol && !dep; q++) {
      uint8_t s = Grid_solid(g, k, q);
      dep = s != GRID_VOID && g->solids[s].k_exponent != 0.0;
    }
    if (dep) p->tdep_k[p->n_tdep++] = k;
  }
  /* the k(T) planes: this rank's rows and a ghost row either side */
  const GridRows ghosted = Rows_ghosted(g, p->rows);
  const size_t held = Rows_plane(g, ghosted);
  if (p->n_tdep > 0 && !(p->factor_store = malloc((size_t)p->n_tdep * held * sizeof(double)))) {
    ThermalProblem_free(p);
    snprintf(err, err_size, "thermal: out of memory for the k(T) planes");
    return EB_EFAIL;
  }
  for (int q = 0; q < p->n_tdep; q++) p->factor[p->tdep_k[q]] = p->factor_store + (size_t)q * held;
  /* the die plane, then every z cell of each heated layer */
  memcpy(p->src_eff, p->src_col + p->col_lo, own * sizeof(double));
  for (int d = 0; d < n_dies; d++) p->out.die_scale[d] = 1.0;
  p->heat = heat;
  p->n_state = heat ? (size_t)(heat->n_layers + 1) * (size_t)n_dies : 0;
  p->src[p->n_src++] = (DiffusionPlaneSource){.k = g->k_source, .w = p->src_eff};
  p->heat_k0 = p->heat_k1 = g->k_source;
  for (int l = 0; heat && l < heat->n_layers; l++) {
    const int L = heat->layer[l];
    for (int k = g->k0[L]; k < g->k0[L] + g->nk[L]; k++) {
      p->src[p->n_src++] = (DiffusionPlaneSource){.k = k, .w = p->w_plane[l]};
      if (k < p->heat_k0) p->heat_k0 = k;
      if (k > p->heat_k1) p->heat_k1 = k;
    }
  }
  for (size_t col = 0; col < ncol; col++) {
    p->die_area[g->die_of_col[col]] += Grid_col_area(g, col);
    p->die_p_nom[g->die_of_col[col]] += p->src_col[col];
  }
  p->op = (DiffusionProblem){.mat = g->solid_of_k, .mat_k = (const double(*)[3])p->mat_k,
                             .factor = (const double *const *)p->factor,
                             .r_face_z = p->rc_face_z, .n_plane_src = p->n_src, .plane_src = p->src,
                             .col_lo = p->col_lo, .cell_plane = p->own,
                             .coef_lo = (size_t)ghosted.j0 * (size_t)g->nx};
  p->op.robin[DIFF_ZLO] = (DiffusionRobin){.h = p->h_lo, .t = p->t_lo};
  if (p->h_hi) p->op.robin[DIFF_ZHI] = (DiffusionRobin){.h = p->h_hi, .t = p->t_hi};
  if (p->resolved) {
    p->op.shift = p->g_fluid;
    p->op.shift_scale = 1.0;
    p->op.src_cell = p->src_fluid;
    for (size_t q = 0; q < own; q++) p->h_lo[q] = 0.0, p->t_lo[q] = c->inlet_t_k;
  }
  if (comm == MPI_COMM_NULL) ThermalProblem_refresh_k(p);
  return EB_OK;
}

/* Plane k's factors of n columns from column first, at the temperatures
 * tk of those columns. */
static void plane_factors(ThermalProblem *p, int k, const double *tk, size_t first, size_t n) {
  const Grid *g = p->g;
  double *f = p->factor[k]; /* from column op.coef_lo */
  for (size_t c = 0; c < n; c++) {
    const size_t col = first + c;
    uint8_t s = Grid_solid(g, k, col);
    f[col - p->op.coef_lo] = s == GRID_VOID || !isfinite(tk[c]) ? 1.0 : Solid_k_factor(&g->solids[s], tk[c]);
  }
}

void ThermalProblem_refresh_k(ThermalProblem *p) {
  for (int q = 0; q < p->n_tdep; q++)
    plane_factors(p, p->tdep_k[q], p->t + (size_t)p->tdep_k[q] * p->ncol, 0, p->ncol);
}

int ThermalProblem_refresh_k_own(ThermalProblem *p, const double *own_planes, char *err,
                                 size_t err_size) {
  for (int q = 0; q < p->n_tdep; q++) {
    plane_factors(p, p->tdep_k[q], own_planes + (size_t)q * p->own, p->col_lo, p->own);
    /* the faces across the rows' edges need their neighbours' factors */
    const int rc = Rows_halo(p->comm, p->g, p->factor[p->tdep_k[q]], err, err_size);
    if (rc != EB_OK) return rc;
  }
  return EB_OK;
}

void ThermalProblem_free(ThermalProblem *p) {
  free(p->h_lo);
  free(p->t_lo);
  free(p->h_hi);
  free(p->t_hi);
  free(p->src_col);
  free(p->rc_face_z);
  free(p->tdep_k);
  free(p->mat_k);
  free(p->factor);
  free(p->factor_store);
  free(p->src);
  free(p->src_eff);
  free(p->die_area);
  free(p->tj_solved);
  free(p->die_p_nom);
  free(p->out.die_scale);
  free(p->g_fluid);
  free(p->src_fluid);
  for (int l = 0; l < THERMAL_MAX_HEAT_LAYERS; l++) {
    free(p->out.layer_w[l]);
    free(p->w_plane[l]);
  }
  memset(p, 0, sizeof *p);
}

/* k along z of the cell of plane k in column col, at the problem's
 * temperatures (its k(T) factor). */
static double cell_kz(const ThermalProblem *p, int k, size_t col) {
  const uint8_t s = Grid_solid(p->g, k, col);
  return p->mat_k[s][2] * (p->factor[k] ? p->factor[k][col - p->op.coef_lo] : 1.0);
}

/* The resolved fins' exchange with the coolant of one column (see
 * docs/validation.md section 8): with h the channel's wall h, w the
 * channel width, t the fin thickness, p = w + t the pitch and A the
 * column's area,
 *   each fin cell of height dz: both fin faces, 2 dz per pitch:
 *     G = h A 2 dz / p;
 *   the base's wetted face, G_w = h A w / p, lies on the face between the
 *   base cell and the first fin cell. That face, joined to the two cell
 *   centres by their half cells g_b = 2 k_b A / dz_b and g_f = 2 k_f A /
 *   dz_f and to the coolant by G_w, is eliminated exactly (star-mesh):
 *   base cell to coolant G_w g_b / S, fin cell to coolant G_w g_f / S,
 *   S = g_b + g_f + G_w (the cell-to-cell coupling g_b g_f / S becomes the
 *   operator's g_b g_f / (g_b + g_f), G_w / (g_b + g_f) = 0.5 % stronger on
 *   CS-3, 1e-4 of the plate's resistance). The lid's wetted face (a
 *   conducting cover) likewise between the lid cell and the last fin cell.
 *   Without it the wetted face on either cell alone is a first-order error
 *   (2.6 % of the convective resistance with 8 fin cells on CS-3, or 1.5 %
 *   the other way with 1 mm base cells); with it the error falls as the
 *   fin cells' square (0.7 % with 8 cells, 0.15 % with 16; the 1-D chain,
 *   tests/test_fin_model.c).
 * The conduction across half the fin thickness is left out: its Biot
 * number h t / (2 k) is 0.003 on CS-3.
 * This is the two-equation (local thermal non-equilibrium) porous-medium
 * model of a fin array (Kim, Kim & Lee, "On the local thermal equilibrium
 * in microchannel heat sinks", Int. J. Heat Mass Transfer 43, 2000;
 * Horvat & Catton, "Numerical technique for modeling conjugate heat
 * transfer in an electronic device heat sink", IJHMT 46, 2003): solid
 * conduction k t/p along the fins (Grid_fin_solid), interfacial area 2/p
 * per volume; the fluid is the marched coolant of the column. */
static void resolved_exchange(ThermalProblem *p, size_t col, double h, double tf) {
  const Grid *g = p->g;
  const CaseLayer *L = &p->c->layers[g->layer_of_k[g->k_channel]];
  const int i = (int)(col % g->nx), j = (int)(col / g->nx);
  const double area = Grid_dx(g, i) * Grid_dy(g, j);
  const double pitch = L->channel_width_m + L->fin_thickness_m;
  const double g_wet = h * area * L->channel_width_m / pitch;
  const int k_tip = g->k_fin0, k_root = g->k_fin0 + g->nk_fin - 1;
  const GridRows r = p->rows; /* the per-cell arrays hold this rank's rows */
  for (int k = g->k_cover0; k <= g->k_channel; k++) p->g_fluid[Rows_at(g, r, k, col)] = 0.0;
  for (int k = k_tip; k <= k_root; k++)
    p->g_fluid[Rows_at(g, r, k, col)] = h * area * 2.0 * Grid_dz(g, k) / pitch;
  /* the wetted faces: base (root side), and the lid's (tip side) */
  for (int side = 0; side < 2; side++) {
    const int kf = side == 0 ? k_root : k_tip, ks = side == 0 ? g->k_channel : k_tip - 1;
    if (side == 1 && g->nk_cover == 0) break; /* an adiabatic cover */
    const double gs = 2.0 * cell_kz(p, ks, col) * area / Grid_dz(g, ks);
    const double gf = 2.0 * cell_kz(p, kf, col) * area / Grid_dz(g, kf);
    const double sum = gs + gf + g_wet;
    p->g_fluid[Rows_at(g, r, ks, col)] += g_wet * gs / sum;
    p->g_fluid[Rows_at(g, r, kf, col)] += g_wet * gf / sum;
  }
  for (int k = g->k_cover0; k <= g->k_channel; k++) {
    const size_t idx = Rows_at(g, r, k, col);
    p->src_fluid[idx] = p->g_fluid[idx] * tf;
  }
}

void ThermalProblem_set_coolant(ThermalProblem *p, const Coolant *k, const double *tf) {
  for (int st = 0; st < k->n_strips; st++)
    for (int a = 0; a < k->n_along; a++) {
      size_t col = Coolant_col(k, st, a);
      if (!Rows_has(p->g, p->rows, col)) continue; /* another rank's face */
      CoolantLocal loc;
      Coolant_local(k, st, a, tf[col], &loc);
      if (p->resolved) {
        /* the outer face stays insulated; the case refuses an imposed h_eff */
        resolved_exchange(p, col, loc.h_wall, tf[col]);
        p->t_lo[col - p->col_lo] = tf[col];
        continue;
      }
      p->h_lo[col - p->col_lo] = loc.h_eff;
      p->t_lo[col - p->col_lo] = tf[col];
    }
}

int ThermalProblem_heat_to_coolant(const ThermalProblem *p, const double *t, const double *tf,
                                   double *q_col, char *err, size_t err_size) {
  const Grid *g = p->g;
  const GridRows r = p->rows;
  for (int j = r.j0; j < r.j1; j++)
    for (int i = 0; i < g->nx; i++) {
      const size_t col = (size_t)j * g->nx + i;
      if (p->resolved) {
        double q = 0.0;
        for (int k = g->k_cover0; k <= g->k_channel; k++)
          q += p->g_fluid[Rows_at(g, r, k, col)] * (t[Rows_at(g, r, k, col)] - tf[col]);
        q_col[col] = q;
      } else {
        const double gr = Diffusion_boundary_g(g, &p->op, DIFF_ZLO, i, j, 0);
        q_col[col] = gr * (t[Rows_at(g, r, 0, col)] - tf[col]);
      }
    }
  return Rows_gather_plane(p->comm, g, q_col, err, err_size);
}

/* Upwind march along the face, strip by strip (grid rows across the flow),
 * each strip's share of the flow by its width: a column's coolant is the
 * inlet plus the heat taken up upstream and half its own, over m cp. The
 * heat into a column is G_b (T_cell - T_f), G_b = A / (dz/(2k) + 1/h) as the
 * operator assembles the Robin face (Diffusion_boundary_g). */
int ThermalProblem_face_march(const ThermalProblem *p, const double *t, const double *t_face,
                              double *t_out, double *outlet_k, double *t_max_k, double *heat_w,
                              char *err, size_t err_size) {
  const Grid *g = p->g;
  const int nz = g->nz, n_strips = p->face_along_x ? g->ny : g->nx;
  /* each column's heat from the rows held, into t_out, gathered: the march
   * along y crosses the ranks' rows */
  for (int j = p->rows.j0; j < p->rows.j1; j++)
    for (int i = 0; i < g->nx; i++) {
      const size_t col = (size_t)j * g->nx + i;
      const double gb = Diffusion_boundary_g(g, &p->op, DIFF_ZHI, i, j, nz - 1);
      t_out[col] = gb > 0.0 ? gb * (t[Rows_at(g, p->rows, nz - 1, col)] - t_face[col]) : 0.0;
    }
  const int rc = Rows_gather_plane(p->comm, g, t_out, err, err_size);
  if (rc != EB_OK) return rc;
  const int n_along = p->face_along_x ? g->nx : g->ny;
  const double width = p->face_along_x ? g->y[g->ny] - g->y[0] : g->x[g->nx] - g->x[0];
  double total = 0.0, t_max = p->face_t_in;
  for (int s = 0; s < n_strips; s++) {
    const double w = p->face_along_x ? Grid_dy(g, s) : Grid_dx(g, s);
    const double mcp = p->face_mdot * p->face_cp * w / width;
    double acc = 0.0;
    for (int a = 0; a < n_along; a++) {
      const int i = p->face_along_x ? a : s, j = p->face_along_x ? s : a;
      const size_t col = (size_t)j * g->nx + i;
      const double q = t_out[col]; /* this column's heat, replaced by its coolant */
      t_out[col] = p->face_t_in + (acc + 0.5 * q) / mcp;
      acc += q;
    }
    total += acc;
    t_max = fmax(t_max, p->face_t_in + acc / mcp);
  }
  *heat_w = total;
  *t_max_k = t_max;
  /* the strips' outlets mixed by their flows: sum m_s (T_in + Q_s/(m_s cp)) / m */
  *outlet_k = p->face_t_in + total / (p->face_mdot * p->face_cp);
  return EB_OK;
}

/* The power is made at the wafer face away from the cold plate, inside the
 * source cell; the heat that leaves the cell towards the cold plate crosses
 * the half-cell between that face and the cell centre, so the face sits
 * q_up dz / (2 k_z) above the centre (the same linear half-cell profile the
 * face conductances use). Without it the junction would read low by 0.4 K
 * per 0.2 mm of cell. */
double ThermalProblem_junction(const ThermalProblem *p, const double *t, int i, int j) {
  const Grid *g = p->g;
  const int ks = g->k_source;
  const size_t col = (size_t)j * g->nx + i, idx = Rows_at(g, p->rows, ks, col);
  uint8_t s = Grid_solid(g, ks, col);
  if (s == GRID_VOID || ks == 0) return t[idx];
  double q_up = Diffusion_face_g(g, &p->op, i, j, ks - 1, 2) *
                (t[idx] - t[Rows_at(g, p->rows, ks - 1, col)]);
  double kz = g->solids[s].kz_w_mk * Solid_k_factor(&g->solids[s], t[idx]);
  return t[idx] + fmax(q_up, 0.0) * 0.5 * Grid_dz(g, ks) / (kz * Grid_dx(g, i) * Grid_dy(g, j));
}

/* Starting here instead of at the inlet temperature saves two to three
 * fixed-point iterations. */
void ThermalProblem_column_guess(const ThermalProblem *p, const Coolant *k, double *t,
                                 double *tf) {
  const Grid *g = p->g;
  CoolantMarch m;
  for (size_t col = 0; col < p->ncol; col++) tf[col] = p->c->inlet_t_k;
  Coolant_march(k, p->src_col, tf, tf, &m);
  for (int st = 0; st < k->n_strips; st++)
    for (int a = 0; a < k->n_along; a++) {
      size_t col = Coolant_col(k, st, a);
      int i = (int)(col % g->nx), j = (int)(col / g->nx);
      if (!Rows_has(g, p->rows, col)) continue;
      double flux = p->src_col[col] / (Grid_dx(g, i) * Grid_dy(g, j));
      CoolantLocal loc;
      Coolant_local(k, st, a, tf[col], &loc);
      double r = 1.0 / loc.h_eff, t_src = tf[col];
      /* resolved fins and lid: between the coolant and the base */
      for (int kk = 0; kk < g->k_channel; kk++)
        t[Rows_at(g, p->rows, kk, col)] = tf[col] + 0.5 * flux / loc.h_eff;
      for (int kk = g->k_channel; kk < g->nz; kk++) {
        uint8_t s = Grid_solid(g, kk, col);
        double half = s == GRID_VOID ? 0.0 : 0.5 * Grid_dz(g, kk) / g->solids[s].kz_w_mk;
        if (kk <= g->k_source) { /* the heat crosses these cells on its way up */
          r += p->rc_face_z[kk] + half;
          t_src = tf[col] + flux * r;
          r += half;
        }
        /* beyond the source the column carries no heat: it sits at the
         * source's temperature */
        t[Rows_at(g, p->rows, kk, col)] = s == GRID_VOID ? NAN : t_src;
      }
    }
}

int ThermalProblem_heat_state(const ThermalProblem *p, const double *t, double *state, char *err,
                              size_t err_size) {
  if (!p->heat) return EB_OK;
  const Grid *g = p->g;
  const GridRows r = p->rows;
  const int nl = p->heat->n_layers;
  const size_t n_dies = (size_t)p->c->die_columns * p->c->die_rows;
  /* the rows' sums, added over the ranks: per layer and die the weighted
   * temperatures and the weights, then per die the junctions by area */
  const size_t n_sum = (2 * (size_t)nl + 1) * n_dies;
  double *sum = calloc(n_sum, sizeof(double));
  if (!sum) {
    snprintf(err, err_size, "thermal: out of memory for the heat source's temperatures");
    return EB_EFAIL;
  }
  for (int l = 0; l < nl; l++) {
    const int L = p->heat->layer[l];
    const double *wl = p->heat->layer_weight[l];
    double *m = sum + (size_t)l * n_dies, *wsum = sum + (size_t)(nl + l) * n_dies;
    for (int j = r.j0; j < r.j1; j++)
      for (int i = 0; i < g->nx; i++) {
        const size_t col = (size_t)j * g->nx + i;
        const double w = wl ? wl[col] : Grid_dx(g, i) * Grid_dy(g, j);
        if (!(w > 0.0)) continue;
        double s = 0.0;
        int n = 0;
        for (int k = g->k0[L]; k < g->k0[L] + g->nk[L]; k++) {
          const double v = t[Rows_at(g, r, k, col)];
          if (isfinite(v)) s += v, n++;
        }
        if (!n) continue;
        m[g->die_of_col[col]] += w * s / n;
        wsum[g->die_of_col[col]] += w;
      }
  }
  double *tj = sum + (size_t)2 * nl * n_dies;
  for (int j = r.j0; j < r.j1; j++)
    for (int i = 0; i < g->nx; i++) {
      const size_t col = (size_t)j * g->nx + i;
      const double v = ThermalProblem_junction(p, t, i, j);
      if (isfinite(v)) tj[g->die_of_col[col]] += v * Grid_dx(g, i) * Grid_dy(g, j);
    }
  const int rc = Rows_sum(p->comm, sum, (int)n_sum, err, err_size);
  if (rc == EB_OK) {
    /* a die without weight in a layer: a constant, not a NaN in KINSOL's norms */
    for (size_t q = 0; q < (size_t)nl * n_dies; q++)
      state[q] = sum[(size_t)nl * n_dies + q] > 0.0 ? sum[q] / sum[(size_t)nl * n_dies + q]
                                                      : p->c->inlet_t_k;
    for (size_t d = 0; d < n_dies; d++) state[(size_t)nl * n_dies + d] = tj[d] / p->die_area[d];
  }
  free(sum);
  return rc;
}

static ThermalHeatIn heat_in(const ThermalProblem *p, const double *state) {
  const size_t n_dies = (size_t)p->c->die_columns * p->c->die_rows;
  ThermalHeatIn in = {.die_tj_k = state + (size_t)p->heat->n_layers * n_dies,
                      .die_p_nom = p->die_p_nom, .p_nom_col = p->src_col,
                      .die_tj_solved_k = p->have_tj_solved ? p->tj_solved : NULL};
  for (int l = 0; l < p->heat->n_layers; l++) in.layer_t_k[l] = state + (size_t)l * n_dies;
  return in;
}

void ThermalProblem_heat_solved(ThermalProblem *p, const double *state) {
  if (!p->heat) return;
  const size_t n_dies = (size_t)p->c->die_columns * p->c->die_rows;
  memcpy(p->tj_solved, state + (size_t)p->heat->n_layers * n_dies, n_dies * sizeof(double));
  p->have_tj_solved = 1;
}

int ThermalProblem_start_heat(ThermalProblem *p, double *state, char *err, size_t err_size) {
  if (!p->heat || !p->heat->start) return EB_OK;
  ThermalHeatIn in = heat_in(p, state);
  return p->heat->start(p->heat->ctx, &in,
                        state + (size_t)p->heat->n_layers * p->c->die_columns * p->c->die_rows,
                        err, err_size);
}

int ThermalProblem_update_heat(ThermalProblem *p, const double *state, char *err,
                               size_t err_size) {
  if (!p->heat) return EB_OK;
  const Grid *g = p->g;
  ThermalHeatIn in = heat_in(p, state);
  const int rc = p->heat->update(p->heat->ctx, &in, &p->out, err, err_size);
  if (rc != EB_OK) return rc;
  for (size_t q = 0, col = p->col_lo; q < p->own; q++, col++)
    p->src_eff[q] = p->src_col[col] * p->out.die_scale[g->die_of_col[col]];
  for (int l = 0; l < p->heat->n_layers; l++) {
    const double per_cell = 1.0 / g->nk[p->heat->layer[l]];
    for (size_t q = 0; q < p->own; q++)
      p->w_plane[l][q] = p->out.layer_w[l][q] * per_cell;
  }
  return EB_OK;
}
