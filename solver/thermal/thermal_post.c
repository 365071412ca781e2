/* thermal_post.c - from a solved temperature field to what is reported:
 * junction map, per-die table, hottest point, heat fluxes, heat balance. */
#include "thermal_post.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double Thermal_tie_tol_k(const Case *c) {
  return fmax(THERMAL_TIE_FLOOR_K, THERMAL_TIE_FACTOR * c->nonlinear_tol_k);
}

/* The tied dies as runs, "(1,1)-(1,7), (12,1)-(12,7)" (column,row, 1-based):
 * by_column, runs of consecutive rows in one column, columns in turn; else
 * runs of consecutive columns in one row, rows in turn (the dies table's
 * order). Returns the number of runs; writes the text when out is not NULL,
 * ending in "..." when it does not fit. */
static int die_runs(const ThermalResult *r, int ncols, int nrows, const unsigned char *tied,
                    int by_column, char *out, size_t size) {
  const int outer = by_column ? ncols : nrows, inner = by_column ? nrows : ncols;
  int runs = 0;
  size_t len = 0;
  if (out && size) out[0] = '\0';
  for (int a = 0; a < outer; a++)
    for (int b = 0; b < inner; b++) {
#define DIE_AT(a, b) (by_column ? (b) * ncols + (a) : (a) * ncols + (b))
      if (!tied[DIE_AT(a, b)]) continue;
      int e = b;
      while (e + 1 < inner && tied[DIE_AT(a, e + 1)]) e++;
      const DieResult *d0 = &r->dies[DIE_AT(a, b)], *d1 = &r->dies[DIE_AT(a, e)];
#undef DIE_AT
      if (out && len < size) {
        char run[64];
        if (e > b)
          snprintf(run, sizeof run, "%s(%d,%d)-(%d,%d)", runs ? ", " : "", d0->col + 1,
                   d0->row + 1, d1->col + 1, d1->row + 1);
        else
          snprintf(run, sizeof run, "%s(%d,%d)", runs ? ", " : "", d0->col + 1, d0->row + 1);
        if (len + strlen(run) + 6 < size) { /* room for this run and a ", ..." after it */
          memcpy(out + len, run, strlen(run) + 1);
          len += strlen(run);
        } else {
          snprintf(out + len, size - len, "%s", runs ? ", ..." : "...");
          len = size; /* full: count the rest only */
        }
      }
      runs++;
      b = e;
    }
  return runs;
}

/* The dies within the tie tolerance of the hottest junction: their count
 * and their list, in whichever order (runs down columns or along rows)
 * gives fewer runs, along rows when both give as many. */
static int hottest_ties(const Case *c, ThermalResult *r) {
  r->t_max_tie_tol_k = Thermal_tie_tol_k(c);
  r->t_max_tied_dies = 0;
  r->t_max_dies[0] = '\0';
  unsigned char *tied = calloc((size_t)r->n_dies + 1, 1);
  if (!tied) return EB_EFAIL;
  for (int d = 0; d < r->n_dies; d++)
    if (isfinite(r->dies[d].t_max_k) && r->dies[d].t_max_k >= r->t_max_k - r->t_max_tie_tol_k) {
      tied[d] = 1;
      r->t_max_tied_dies++;
    }
  const int nc = c->die_columns, nr = c->die_rows;
  const int by_column = die_runs(r, nc, nr, tied, 1, NULL, 0) < die_runs(r, nc, nr, tied, 0, NULL, 0);
  die_runs(r, nc, nr, tied, by_column, r->t_max_dies, sizeof r->t_max_dies);
  free(tied);
  return EB_OK;
}

int Thermal_post(const ThermalProblem *p, ThermalState *s, ThermalResult *r, char *err,
                 size_t err_size) {
  const Case *c = p->c;
  const Grid *g = p->g;
  const int nx = g->nx, ny = g->ny, nz = g->nz;
  const size_t ncol = p->ncol;
  const GridRows rows = p->rows;
  r->t_k = s->t;
  r->t_rows = rows;
  s->t = NULL;
  r->t_fluid_k = s->tf;
  s->tf = NULL;
  r->t_wafer_k = malloc(ncol * sizeof(double));
  r->q_plate_w_m2 = malloc(ncol * sizeof(double));
  r->q_source_w_m2 = malloc(ncol * sizeof(double));
  r->n_dies = c->die_columns * c->die_rows;
  r->dies = calloc((size_t)r->n_dies, sizeof *r->dies);
  /* sums over the rows held, then over the ranks: 6 totals (the last two
   * the power made at the active face and in the heated layers), then per
   * die its junctions by area, its area and its power; maxima: the heat
   * flux, per die its hottest junction */
  const size_t n_dies = (size_t)r->n_dies, n_sum = 6 + 3 * n_dies;
  double *sum = calloc(n_sum, sizeof(double)), *mx = malloc((1 + n_dies) * sizeof(double));
  if (!r->t_wafer_k || !r->q_plate_w_m2 || !r->q_source_w_m2 || !r->dies || !sum || !mx) {
    free(sum);
    free(mx);
    snprintf(err, err_size, "thermal: out of memory for the result maps");
    return EB_EFAIL;
  }
  double *die_t = sum + 6, *die_area = die_t + n_dies, *die_p = die_area + n_dies;
  double *die_max = mx + 1;
  const int ch = Case_channel_layer(c);
  const int kb = g->k0[ch] + g->nk[ch] - 1; /* last base cell; the wafer side is kb+1 */
  mx[0] = -INFINITY;
  for (int d = 0; d < r->n_dies; d++) {
    DieResult *D = &r->dies[d];
    D->col = d % c->die_columns;
    D->row = d / c->die_columns;
    D->x0_m = D->col * c->wafer_size_m / c->die_columns;
    D->x1_m = (D->col + 1) * c->wafer_size_m / c->die_columns;
    D->y0_m = D->row * c->wafer_size_m / c->die_rows;
    D->y1_m = (D->row + 1) * c->wafer_size_m / c->die_rows;
    die_max[d] = -INFINITY;
  }
  /* the power map from the rows held (gathered below) */
  for (size_t q = 0, col = p->col_lo; q < p->own; q++, col++) {
    const double area = Grid_col_area(g, col);
    r->q_source_w_m2[col] = p->src_eff[q] / area;
    sum[4] += p->src_eff[q];
  }
  /* heat made besides the dies: in the heated layers' non-void cells */
  for (int l = 0; p->heat && l < p->heat->n_layers; l++) {
    const int L = p->heat->layer[l];
    for (int k = g->k0[L]; k < g->k0[L] + g->nk[L]; k++)
      for (size_t q = 0; q < p->own; q++)
        if (Grid_solid(g, k, p->col_lo + q) != GRID_VOID) sum[5] += p->w_plane[l][q];
  }
  double t_max = -INFINITY;
  for (int j = rows.j0; j < rows.j1; j++)
    for (int i = 0; i < nx; i++) {
      size_t col = (size_t)j * nx + i;
      double area = Grid_dx(g, i) * Grid_dy(g, j);
      double tj = ThermalProblem_junction(p, r->t_k, i, j);
      r->t_wafer_k[col] = tj;
      double q = kb + 1 < nz ? Diffusion_face_g(g, &p->op, i, j, kb, 2) *
                                   (r->t_k[Rows_at(g, rows, kb + 1, col)] -
                                    r->t_k[Rows_at(g, rows, kb, col)]) /
                                   area
                             : 0.0;
      r->q_plate_w_m2[col] = q;
      sum[2] += q * area;
      mx[0] = fmax(mx[0], q);
      if (!isfinite(tj)) continue;
      sum[0] += area;
      sum[1] += tj * area;
      int d = g->die_of_col[col];
      die_p[d] += p->src_eff[col - p->col_lo];
      die_t[d] += tj * area;
      die_area[d] += area;
      if (tj > die_max[d]) die_max[d] = tj;
      t_max = fmax(t_max, tj);
    }
  if (p->h_hi)
    for (int j = rows.j0; j < rows.j1; j++)
      for (int i = 0; i < nx; i++) {
        size_t col = (size_t)j * nx + i;
        double gr = Diffusion_boundary_g(g, &p->op, DIFF_ZHI, i, j, nz - 1);
        if (gr > 0) sum[3] += gr * (r->t_k[Rows_at(g, rows, nz - 1, col)] - p->t_hi[col - p->col_lo]);
      }
  int rc = Rows_sum(p->comm, sum, (int)n_sum, err, err_size);
  if (rc == EB_OK) rc = Rows_max(p->comm, mx, (int)(1 + n_dies), err, err_size);
  if (rc == EB_OK) rc = Rows_max(p->comm, &t_max, 1, err, err_size);
  if (rc == EB_OK) rc = Rows_gather_plane(p->comm, g, r->t_wafer_k, err, err_size);
  if (rc == EB_OK) rc = Rows_gather_plane(p->comm, g, r->q_plate_w_m2, err, err_size);
  if (rc == EB_OK) rc = Rows_gather_plane(p->comm, g, r->q_source_w_m2, err, err_size);
  if (rc != EB_OK) {
    free(sum);
    free(mx);
    return rc;
  }
  r->t_max_k = t_max;
  /* where: from the whole junction map, the same on every rank */
  size_t hot = 0;
  for (size_t col = 0; col < ncol; col++)
    if (r->t_wafer_k[col] >= t_max - THERMAL_HOT_PLACE_TOL_K) {
      hot = col;
      break;
    }
  const int hi = (int)(hot % nx), hj = (int)(hot / nx);
  r->t_max_x_m = 0.5 * (g->x[hi] + g->x[hi + 1]);
  r->t_max_y_m = 0.5 * (g->y[hj] + g->y[hj + 1]);
  r->t_max_die_col = r->dies[g->die_of_col[hot]].col;
  r->t_max_die_row = r->dies[g->die_of_col[hot]].row;
  for (int d = 0; d < r->n_dies; d++) {
    DieResult *D = &r->dies[d];
    D->t_max_k = die_max[d];
    D->power_w = die_p[d];
    D->t_mean_k = die_area[d] > 0 ? die_t[d] / die_area[d] : NAN;
    /* NaN without a junction limit (junction_max_k is NaN then) */
    D->junction_margin_k = isfinite(D->t_max_k) ? c->junction_max_k - D->t_max_k : NAN;
  }
  const double area_sum = sum[0], t_sum = sum[1], q_sum = sum[2], q_max = mx[0], q_bottom = sum[3];
  const double power = sum[4], other = sum[5];
  free(sum);
  free(mx);
  if (hottest_ties(c, r) != EB_OK) {
    snprintf(err, err_size, "thermal: out of memory for the hottest dies");
    return EB_EFAIL;
  }
  r->t_mean_wafer_k = t_sum / area_sum;
  r->power_w = power;
  r->heat_made_w = power + other;
  r->heat_to_coolant_w = s->march.heat_w;
  r->heat_to_bottom_w = q_bottom;
  /* relative to the largest heat flow (the heat made, or what the coolant
   * or the brick plate carries: a cold brick plate can draw more out of the
   * coolant than the dies make), at least 1 mW: a denominator that cannot
   * vanish with the power */
  const double flow_scale = fmax(fmax(fabs(r->heat_made_w), fabs(s->march.heat_w)),
                                 fmax(fabs(q_bottom), THERMAL_BALANCE_FLOOR_W));
  r->energy_balance_rel_error = fabs(r->heat_made_w - s->march.heat_w - q_bottom) / flow_scale;
  r->coolant_inlet_k = c->inlet_t_k;
  r->coolant_outlet_k = s->march.t_outlet_k;
  r->coolant_t_max_k = s->march.t_max_k;
  double plate_area = (g->x[nx] - g->x[0]) * (g->y[ny] - g->y[0]);
  r->heat_flux_mean_w_m2 = q_sum / plate_area;
  r->heat_flux_max_w_m2 = q_max;
  size_t active = 0;
  for (int k = 0; k < nz; k++)
    for (size_t q = 0; q < ncol; q++) active += Grid_solid(g, k, q) != GRID_VOID;
  r->cells = (int)active;
  return EB_OK;
}
