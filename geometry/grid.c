/* grid.c - lateral lines on die/brick/hotspot/mask edges, z cells per layer. */
#include "grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Lines closer than this are one line (metres): far below any feature. */
static const double line_merge_m = 1e-7;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sort, merge and fill the gaps between required lines with cells of at
 * most dx. Returns the number of cells; with faces, *faces gets n+1 values
 * (malloc'ed), -1 when out of memory. */
static int build_axis(double *lines, int n_lines, double dx, double **faces) {
  qsort(lines, (size_t)n_lines, sizeof *lines, cmp_double);
  int m = 0;
  for (int i = 0; i < n_lines; i++)
    if (m == 0 || lines[i] - lines[m - 1] > line_merge_m) lines[m++] = lines[i];
  int n = 0;
  for (int i = 0; i + 1 < m; i++) n += (int)ceil((lines[i + 1] - lines[i]) / dx - 1e-9);
  if (!faces) return n;
  double *f = malloc((size_t)(n + 1) * sizeof *f);
  if (!f) return -1;
  int c = 0;
  for (int i = 0; i + 1 < m; i++) {
    int s = (int)ceil((lines[i + 1] - lines[i]) / dx - 1e-9);
    for (int q = 0; q < s; q++) f[c++] = lines[i] + (lines[i + 1] - lines[i]) * q / s;
  }
  f[c] = lines[m - 1];
  *faces = f;
  return n;
}

/* A grid of nx x ny x nz cells whose material index has room for
 * n_planes planes (not yet assigned to the z planes). */
static Grid *grid_new(int nx, int ny, int nz, int n_planes) {
  Grid *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->nx = nx;
  g->ny = ny;
  g->nz = nz;
  g->x = calloc((size_t)nx + 1, sizeof *g->x);
  g->y = calloc((size_t)ny + 1, sizeof *g->y);
  g->z = calloc((size_t)nz + 1, sizeof *g->z);
  g->layer_of_k = calloc((size_t)nz, sizeof *g->layer_of_k);
  g->solid_store = calloc((size_t)nx * ny * (size_t)n_planes, 1);
  g->solid_of_k = calloc((size_t)nz, sizeof *g->solid_of_k);
  g->die_of_col = calloc((size_t)nx * ny, sizeof *g->die_of_col);
  if (!g->x || !g->y || !g->z || !g->layer_of_k || !g->solid_store || !g->solid_of_k ||
      !g->die_of_col) {
    Grid_destroy(g);
    return NULL;
  }
  return g;
}

Grid *Grid_alloc(int nx, int ny, int nz) {
  Grid *g = grid_new(nx, ny, nz, nz);
  for (int k = 0; g && k < nz; k++) g->solid_of_k[k] = g->solid_store + (size_t)k * nx * ny;
  return g;
}

void Grid_destroy(Grid *g) {
  if (!g) return;
  free(g->x);
  free(g->y);
  free(g->z);
  free(g->layer_of_k);
  free(g->solid_store);
  free(g->solid_of_k);
  free(g->die_of_col);
  free(g);
}

void Grid_die_at(const Case *c, double x_m, double y_m, int *col, int *row) {
  int ci = (int)floor(x_m / (c->wafer_size_m / c->die_columns));
  int ri = (int)floor(y_m / (c->wafer_size_m / c->die_rows));
  *col = ci < 0 ? 0 : ci >= c->die_columns ? c->die_columns - 1 : ci;
  *row = ri < 0 ? 0 : ri >= c->die_rows ? c->die_rows - 1 : ri;
}

/* Case_solid gives one solid per name, so the name identifies the slot. */
static int solid_slot(Grid *g, const Solid *s) {
  for (int i = 0; i < g->n_solids; i++)
    if (!strcmp(g->solids[i].name, s->name)) return i;
  g->solids[g->n_solids] = *s;
  Solid_blank_mechanics(&g->solids[g->n_solids]); /* heat only: a stiffness keeps the grid */
  return g->n_solids++;
}

/* Lateral lines required by the case along one axis (0 = x, 1 = y). */
static int axis_lines(const Case *c, int axis, double *lines, int cap) {
  const double size = c->wafer_size_m;
  const int ndie = axis == 0 ? c->die_columns : c->die_rows;
  const double pitch = size / ndie;
  int n = 0;
#define ADD(v)                                                                                    \
  do {                                                                                            \
    double v_ = (v);                                                                              \
    if (n < cap && v_ >= 0.0 && v_ <= size) lines[n++] = v_;                                      \
  } while (0)
  for (int d = 0; d <= ndie; d++) ADD(d == ndie ? size : d * pitch);
  for (int l = 0; l < c->n_layers; l++) {
    const CaseLayer *L = &c->layers[l];
    double ext = axis == 0 ? L->size_x_m : L->size_y_m;
    if (ext > 0.0 && ext < size) {
      ADD(0.5 * (size - ext));
      ADD(0.5 * (size + ext));
    }
    /* a split manifold feeds the channels on the centre line */
    if (L->kind == LAYER_MICROCHANNEL && L->manifold == MANIFOLD_SPLIT &&
        (L->flow_direction == 'y') == (axis == 1))
      ADD(0.5 * size);
    if (L->kind == LAYER_BRICK_TILES) {
      double b = axis == 0 ? L->brick_x_m : L->brick_y_m;
      for (int d = 0; d < ndie; d++) {
        ADD((d + 0.5) * pitch - 0.5 * b);
        ADD((d + 0.5) * pitch + 0.5 * b);
      }
    }
  }
  for (int h = 0; h < c->n_hotspots; h++) {
    const CaseHotspot *s = &c->hotspots[h];
    ADD(axis == 0 ? s->x0_m : s->y0_m);
    ADD(axis == 0 ? s->x1_m : s->y1_m);
  }
#undef ADD
  return n;
}

static int layer_cells(const Case *c, const CaseLayer *L) {
  if (L->kind == LAYER_INTERFACE || L->kind == LAYER_CONVECTIVE) return 0; /* a face only */
  if (L->cells_z > 0) return L->cells_z;
  int n = (int)ceil(L->thickness_m / c->dz_m - 1e-9);
  if (n < 1) n = 1;
  /* The heat-source layer needs its active face resolved: the junction
   * temperature is read in its outermost cell. */
  if (L->heat_source && n < 2) n = 2;
  return n;
}

/* Cells across the fin height of a resolved fin layer when the case does
 * not say (fin_cells_z): at least 8, else grid.dz_mm's. The cell-centred
 * fin conducts 0.54 % less than the exact fin at mH = 1.6 with 8 cells
 * (second order: 2.1 % with 4), the CS-3 plate's mH at 100 L/min
 * (tests/test_fin_model.c measures it). */
#define FIN_CELLS_MIN 8

/* The cover and fin cells of the channel layer: 0 and 0 unless its fins
 * are resolved; a conducting cover gets ceil(thickness / dz), at least 1. */
static void resolved_cells(const Case *c, const CaseLayer *L, int *n_cover, int *n_fin) {
  *n_cover = *n_fin = 0;
  if (L->kind != LAYER_MICROCHANNEL || L->fin_model != FIN_RESOLVED) return;
  if (L->fin_cells_z > 0) {
    *n_fin = L->fin_cells_z;
  } else {
    *n_fin = (int)ceil(L->channel_height_m / c->dz_m - 1e-9);
    if (*n_fin < FIN_CELLS_MIN) *n_fin = FIN_CELLS_MIN;
  }
  if (L->cover == COVER_CONDUCTING) {
    *n_cover = (int)ceil(L->cover_thickness_m / c->dz_m - 1e-9);
    if (*n_cover < 1) *n_cover = 1;
  }
}

/* Water at 300 K, 0.613 W/mK (Incropera, Table A.6): only the tiny
 * across-fin conductivity of the resolved fin layer uses it, a constant so
 * that the grid does not depend on the coolant. */
static const double k_water_across = 0.613;

void Grid_fin_solid(const CaseLayer *L, const Solid *fin, Solid *out) {
  const double w = L->channel_width_m, t = L->fin_thickness_m, p = w + t, phi = t / p;
  *out = *fin;
  snprintf(out->name, sizeof out->name, "%.40s:fins", fin->name);
  const double along = fin->kx_w_mk * phi, across = p / (t / fin->kx_w_mk + w / k_water_across);
  out->kx_w_mk = L->flow_direction == 'y' ? across : along;
  out->ky_w_mk = L->flow_direction == 'y' ? along : across;
  out->kz_w_mk = fin->kz_w_mk * phi;
  out->rho_kg_m3 = fin->rho_kg_m3 * phi;
  out->source = "volume-averaged fins (geometry/grid.c Grid_fin_solid)";
  Solid_blank_mechanics(out);
}

/* Room for every line axis_lines can add along one axis. */
#define LINE_CAP \
  (4 * (CASE_MAX_DIE_COLS + CASE_MAX_DIE_ROWS + CASE_MAX_HOTSPOTS + 2 * CASE_MAX_LAYERS) + 8)

/* The grid's size, shared by Grid_dims and Grid_create so they cannot
 * disagree; with xf and yf also the lateral faces (malloc'ed). */
static int grid_size(const Case *c, int *nx, int *ny, int *nz, double **xf, double **yf) {
  double lines[LINE_CAP];
  *nx = build_axis(lines, axis_lines(c, 0, lines, LINE_CAP), c->dx_m, xf);
  *ny = build_axis(lines, axis_lines(c, 1, lines, LINE_CAP), c->dx_m, yf);
  *nz = 0;
  for (int l = 0; l < c->n_layers; l++) {
    int nc, nf;
    resolved_cells(c, &c->layers[l], &nc, &nf);
    *nz += layer_cells(c, &c->layers[l]) + nc + nf;
  }
  return *nx < 0 || *ny < 0 ? EB_EFAIL : EB_OK;
}

int Grid_dims(const Case *c, int *nx, int *ny, int *nz) {
  return grid_size(c, nx, ny, nz, NULL, NULL);
}

int Grid_create(const Case *c, Grid **out, char *err, size_t err_size) {
  *out = NULL;
  double *xf = NULL, *yf = NULL;
  int nx, ny, nz;
  if (grid_size(c, &nx, &ny, &nz, &xf, &yf) != EB_OK) {
    free(xf);
    free(yf);
    snprintf(err, err_size, "grid: out of memory");
    return EB_EFAIL;
  }
  double cells = (double)nx * ny * nz;
  if (cells > 2.0e9) {
    snprintf(err, err_size,
             "grid: %d x %d x %d = %.3g cells is too large; raise grid.dx_mm (now %g) or "
             "grid.dz_mm (now %g)",
             nx, ny, nz, cells, c->dx_m * 1e3, c->dz_m * 1e3);
    free(xf);
    free(yf);
    return EB_EINPUT;
  }
  /* one plane per layer, and the resolved fins' and lid's */
  Grid *g = grid_new(nx, ny, nz, c->n_layers + 2);
  if (!g) {
    free(xf);
    free(yf);
    snprintf(err, err_size, "grid: out of memory for %d x %d x %d cells; raise grid.dx_mm", nx,
             ny, nz);
    return EB_EINPUT;
  }
  memcpy(g->x, xf, (size_t)(nx + 1) * sizeof *xf);
  memcpy(g->y, yf, (size_t)(ny + 1) * sizeof *yf);
  free(xf);
  free(yf);

  /* z faces and per-layer cell ranges */
  int k = 0;
  double z = 0.0;
  g->k_source = -1;
  g->k_channel = 0;
  g->fin_solid = g->cover_solid = -1;
  for (int l = 0; l < c->n_layers; l++) {
    const CaseLayer *L = &c->layers[l];
    int nc, nf;
    resolved_cells(c, L, &nc, &nf);
    if (nf > 0) { /* the lid and the fins, below the fin root at z = 0 */
      const double tc = nc > 0 ? L->cover_thickness_m : 0.0, h = L->channel_height_m;
      z = -(tc + h);
      g->k_cover0 = k;
      g->nk_cover = nc;
      for (int q = 0; q < nc; q++, k++) {
        g->z[k] = z + tc * q / nc;
        g->layer_of_k[k] = l;
      }
      z += tc;
      g->k_fin0 = k;
      g->nk_fin = nf;
      for (int q = 0; q < nf; q++, k++) {
        g->z[k] = z + h * q / nf;
        g->layer_of_k[k] = l;
      }
      z = 0.0;
      g->k_channel = k;
    }
    int n = layer_cells(c, L);
    g->k0[l] = k;
    g->nk[l] = n;
    for (int q = 0; q < n; q++) {
      g->z[k] = z + L->thickness_m * q / n;
      g->layer_of_k[k] = l;
      k++;
    }
    if (n > 0) z += L->thickness_m;
    /* active face: the wafer face away from the cold plate */
    if (L->heat_source) g->k_source = k - 1;
  }
  g->z[nz] = z;

  /* materials per cell; the resolved fins and lid are solids of their own
   * (after the layers' so that no layer's solid changes slot) */
  const double size = c->wafer_size_m;
  const double px = size / c->die_columns, py = size / c->die_rows;
  const size_t ncol = (size_t)nx * ny;
  for (int kk = 0; kk < nz; kk++) {
    uint8_t *plane = g->solid_store + (size_t)g->layer_of_k[kk] * ncol;
    g->solid_of_k[kk] = plane;
    if (kk > 0 && g->layer_of_k[kk] == g->layer_of_k[kk - 1]) continue; /* the layer's plane */
    const CaseLayer *L = &c->layers[g->layer_of_k[kk]];
    int main_slot = solid_slot(g, Case_solid(c, L->material));
    int fill_slot = L->kind == LAYER_BRICK_TILES ? solid_slot(g, Case_solid(c, L->filler)) : -1;
    double hx = L->size_x_m > 0 ? 0.5 * L->size_x_m : 0.5 * size;
    double hy = L->size_y_m > 0 ? 0.5 * L->size_y_m : 0.5 * size;
    for (int j = 0; j < ny; j++) {
      double yc = 0.5 * (g->y[j] + g->y[j + 1]);
      for (int i = 0; i < nx; i++) {
        double xc = 0.5 * (g->x[i] + g->x[i + 1]);
        int slot = main_slot;
        if (fabs(xc - 0.5 * size) > hx || fabs(yc - 0.5 * size) > hy) {
          slot = GRID_VOID;
        } else if (L->kind == LAYER_BRICK_TILES) {
          double dxc = fmod(xc, px) - 0.5 * px, dyc = fmod(yc, py) - 0.5 * py;
          if (fabs(dxc) > 0.5 * L->brick_x_m || fabs(dyc) > 0.5 * L->brick_y_m) slot = fill_slot;
        }
        plane[(size_t)j * nx + i] = (uint8_t)slot;
      }
    }
  }
  if (g->nk_fin > 0) {
    const CaseLayer *L = &c->layers[g->layer_of_k[g->k_fin0]];
    const Solid *cu = Case_solid(c, L->material);
    Solid fins, lid = *cu;
    Grid_fin_solid(L, cu, &fins);
    snprintf(lid.name, sizeof lid.name, "%.40s:cover", cu->name);
    g->fin_solid = solid_slot(g, &fins);
    if (g->nk_cover > 0) g->cover_solid = solid_slot(g, &lid);
    uint8_t *fin_plane = g->solid_store + (size_t)c->n_layers * ncol, *lid_plane = fin_plane + ncol;
    memset(fin_plane, g->fin_solid, ncol);
    if (g->nk_cover > 0) memset(lid_plane, g->cover_solid, ncol);
    for (int kk = g->k_cover0; kk < g->k_fin0 + g->nk_fin; kk++)
      g->solid_of_k[kk] = kk < g->k_fin0 ? lid_plane : fin_plane;
  }
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++) {
      int col, row;
      Grid_die_at(c, 0.5 * (g->x[i] + g->x[i + 1]), 0.5 * (g->y[j] + g->y[j + 1]), &col, &row);
      g->die_of_col[(size_t)j * nx + i] = row * c->die_columns + col;
    }
  *out = g;
  return EB_OK;
}

int Grid_same(const Grid *a, const Grid *b) {
  if (!a || !b || a->nx != b->nx || a->ny != b->ny || a->nz != b->nz) return 0;
  if (memcmp(a->x, b->x, (size_t)(a->nx + 1) * sizeof(double)) ||
      memcmp(a->y, b->y, (size_t)(a->ny + 1) * sizeof(double)) ||
      memcmp(a->z, b->z, (size_t)(a->nz + 1) * sizeof(double)))
    return 0;
  for (int k = 0; k < a->nz; k++)
    if (memcmp(a->solid_of_k[k], b->solid_of_k[k], (size_t)a->nx * a->ny)) return 0;
  if (a->n_solids != b->n_solids) return 0;
  for (int s = 0; s < a->n_solids; s++)
    if (memcmp(&a->solids[s], &b->solids[s], sizeof(Solid))) return 0;
  return 1;
}

/* Per-layer keys Grid_create does not read: blanked. It reads kind,
 * thickness, size_x/y, cells_z, heat_source, material, filler, brick
 * sizes, and manifold + flow_direction (a split places the centre line). */
static void blank_layer(CaseLayer *L) {
  memset(L->name, 0, sizeof L->name);
  L->conductance_w_m2k = 0;
  /* resolved fins: the channel's sizes and cover place cells and make the
   * fins' solid */
  if (L->fin_model != FIN_RESOLVED) {
    L->channel_width_m = L->channel_height_m = L->fin_thickness_m = 0;
    L->cover = 0;
    L->cover_thickness_m = 0;
    L->fin_cells_z = 0;
  }
  memset(&L->flow_profile, 0, sizeof L->flow_profile);
  L->cold_plate_h_w_m2k = L->cold_plate_t_k = 0;
}

uint64_t Grid_case_fingerprint(const Case *c) {
  Case b;
  memcpy(&b, c, sizeof b); /* bytes, padding included: it is hashed too */
  /* whole sections Grid_create does not read: name, power amounts and
   * map (hotspot edges stay: they place grid lines), the die model and the
   * power path, coolant, hydraulics, pumps, sweep, limits, solver */
  memset(b.name, 0, sizeof b.name);
  memset(b.path, 0, sizeof b.path);
  b.power_w = 0;
  b.power_map = POWER_UNIFORM;
  memset(b.die_weight, 0, sizeof b.die_weight);
  for (int h = 0; h < b.n_hotspots; h++) b.hotspots[h].flux_w_m2 = 0;
  for (int l = 0; l < b.n_layers; l++) blank_layer(&b.layers[l]);
  b.fluid = FLUID_WATER;
  b.inlet_t_k = b.flow_m3_s = 0;
  b.fluid_constant = b.flow_from_pumps = 0;
  b.k_entry = b.k_exit = b.pipe_d_m = b.k_fittings = b.k_qd = 0;
  b.n_qd = 0;
  b.pump_count = b.pump_running = b.pump_series = 0;
  b.pump_efficiency = b.pump_dp0_pa = b.pump_qmax_m3_s = 0;
  memset(&b.pump_curve_q, 0, sizeof b.pump_curve_q);
  memset(&b.pump_curve_dp, 0, sizeof b.pump_curve_dp);
  b.n_sweep = 0;
  memset(b.sweep, 0, sizeof b.sweep);
  b.junction_max_k = b.outlet_max_k = b.dp_max_pa = b.velocity_max_m_s = 0;
  b.psu_load_max_w = b.brick_current_max_a = b.brick_load_max = b.brick_temp_max_k = 0;
  b.die_voltage_min_v = 0;
  /* the die electrical model and the power path: sources, not cells */
  b.die_model = DIE_POWER_FIXED;
  b.clock = b.dynamic_share = b.v_nominal_v = b.leakage_ref_k = 0;
  b.leakage_doubling_k = b.leakage_v_exponent = 0;
  memset(&b.vf_clock, 0, sizeof b.vf_clock);
  memset(&b.vf_v, 0, sizeof b.vf_v);
  memset(&b.pd, 0, sizeof b.pd);
  /* mechanics reads the temperatures; it places no cells */
  memset(&b.mech, 0, sizeof b.mech);
  b.connector_strain_max = b.wafer_stress_max_pa = b.pcb_stress_max_pa = b.edge_slip_max_m = 0;
  for (int i = 0; i < b.n_materials; i++) Solid_blank_mechanics(&b.materials[i].solid);
  b.linear_rel_tol = b.nonlinear_tol_k = 0;
  b.max_nonlinear_iters = b.max_linear_iters = 0;
  /* transient scenarios drive the cells; they place none */
  b.transient_rel_tol = b.transient_abs_tol_k = 0;
  b.n_scenarios = 0;
  memset(b.scenarios, 0, sizeof b.scenarios);
  return Case_fingerprint(&b);
}
