/* sheet.c - the PCB supply planes: a 2-D sheet per die island, fed by
 * the brick's via field and drained by the die, on the diffusion operator. */
#include "sheet.h"

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/diffusion.h"
#include "../core/rows.h"
#include "../core/runtime.h"
#include "power_parts.h"

struct Sheet {
  const Grid *g;   /* the block's grid: columns, dies */
  Grid *plane;     /* nx x ny x 1 */
  Diffusion *op;
  DiffusionProblem p;
  MPI_Comm comm;   /* the ranks that share the rows (MPI_COMM_NULL: whole here) */
  GridRows rows, ghosted; /* held: the solution's rows; the coefficients' */
  size_t own, col_lo, held, coef_lo;
  int n_dies, assembled;
  uint8_t *mat;         /* 0 where the PCB is, DIFF_VOID elsewhere (whole: 1 byte per column) */
  const uint8_t *mat_planes[1];
  double mat_k[1][3];   /* sheet conductance per square along x and y */
  double *factor;       /* ghosted rows: 1 / copper factor at the PCB temperature */
  const double *factor_planes[1];
  double *cut_x, *cut_y;  /* ghosted rows: INFINITY across die boundaries */
  double *foot_share;   /* own rows: its share of its die's brick footprint (0 outside) */
  double *g_via;        /* own rows: via conductance to the brick, S */
  double *u;            /* own rows: the drop V_brick - V, what is solved for */
  double *uh;           /* ghosted rows: u with its neighbours' edge rows (the losses) */
  double *v;            /* own rows: sheet voltage */
  double *loss_col, *brick_i, *brick_via_w;
};

void Sheet_destroy(Sheet *s) {
  if (!s) return;
  Diffusion_destroy(s->op);
  Grid_destroy(s->plane);
  free(s->mat);
  free(s->factor);
  free(s->cut_x);
  free(s->cut_y);
  free(s->foot_share);
  free(s->g_via);
  free(s->u);
  free(s->uh);
  free(s->v);
  free(s->loss_col);
  free(s->brick_i);
  free(s->brick_via_w);
  free(s);
}

int Sheet_create(const Case *c, const Grid *g, Sheet **out, char *err, size_t err_size) {
  *out = NULL;
  const int nx = g->nx, ny = g->ny;
  const size_t ncol = (size_t)nx * ny;
  Sheet *s = calloc(1, sizeof *s);
  if (!s) goto oom;
  s->g = g;
  s->n_dies = c->die_columns * c->die_rows;
  s->comm = Runtime_field_comm();
  s->rows = Rows_own(g, s->comm);
  s->ghosted = Rows_ghosted(g, s->rows);
  s->own = Rows_plane(g, s->rows);
  s->held = Rows_plane(g, s->ghosted);
  s->col_lo = (size_t)s->rows.j0 * nx;
  s->coef_lo = (size_t)s->ghosted.j0 * nx;
  const size_t own = s->own, held = s->held;
  s->plane = Grid_alloc(nx, ny, 1);
  s->mat = malloc(ncol);
  s->factor = malloc(held * sizeof(double));
  s->cut_x = calloc(held, sizeof(double));
  s->cut_y = calloc(held, sizeof(double));
  s->foot_share = calloc(own, sizeof(double));
  s->g_via = calloc(own, sizeof(double));
  s->v = malloc(own * sizeof(double));
  s->u = calloc(own, sizeof(double));
  s->uh = calloc(held, sizeof(double));
  s->loss_col = calloc(own, sizeof(double));
  s->brick_i = calloc((size_t)s->n_dies, sizeof(double));
  s->brick_via_w = calloc((size_t)s->n_dies, sizeof(double));
  double *foot_area = calloc((size_t)s->n_dies, sizeof(double));
  if (!s->plane || !s->mat || !s->factor || !s->cut_x || !s->cut_y || !s->foot_share ||
      !s->g_via || !s->v || !s->u || !s->uh || !s->loss_col || !s->brick_i || !s->brick_via_w ||
      !foot_area) {
    free(foot_area);
    goto oom;
  }
  memcpy(s->plane->x, g->x, (size_t)(nx + 1) * sizeof(double));
  memcpy(s->plane->y, g->y, (size_t)(ny + 1) * sizeof(double));
  s->plane->z[0] = 0.0;
  s->plane->z[1] = 1.0; /* a unit depth: face conductance = sigma dy / dx */
  /* the PCB's cells, the bricks' footprints (each die's area over all its
   * columns, whichever rank holds them) */
  const int pcb = Case_layer_named(c, c->pd.pcb_layer);
  uint8_t *foot = malloc(ncol);
  if (pcb < 0 || !foot || Power_footprint(c, g, foot) != EB_OK) {
    free(foot);
    free(foot_area);
    Sheet_destroy(s);
    snprintf(err, err_size, "power: the stack has no PCB layer '%s' or no brick_tiles layer",
             c->pd.pcb_layer);
    return EB_EINPUT;
  }
  for (size_t col = 0; col < ncol; col++) {
    s->mat[col] = Grid_solid(g, g->k0[pcb], col) == GRID_VOID ? DIFF_VOID : 0;
    if (foot[col]) {
      const double a = Grid_col_area(g, col);
      foot_area[g->die_of_col[col]] += a;
      if (Rows_has(g, s->rows, col)) s->foot_share[col - s->col_lo] = a;
    }
  }
  free(foot);
  for (size_t o = 0; o < own; o++)
    if (s->foot_share[o] > 0.0) s->foot_share[o] /= foot_area[g->die_of_col[s->col_lo + o]];
  for (int d = 0; d < s->n_dies; d++)
    if (!(foot_area[d] > 0.0)) {
      free(foot_area);
      snprintf(err, err_size,
               "power: die (%d,%d) has no brick under it: each die needs its brick",
               d % c->die_columns + 1, d / c->die_columns + 1);
      Sheet_destroy(s);
      return EB_EINPUT;
    }
  free(foot_area);
  /* no current crosses a die boundary: each die's rail is its own island */
  for (int j = s->ghosted.j0; j < s->ghosted.j1; j++)
    for (int i = 0; i < nx; i++) {
      size_t col = (size_t)j * nx + i, h = col - s->coef_lo;
      if (i + 1 < nx && g->die_of_col[col] != g->die_of_col[col + 1]) s->cut_x[h] = INFINITY;
      if (j + 1 < ny && g->die_of_col[col] != g->die_of_col[col + (size_t)nx]) s->cut_y[h] = INFINITY;
    }
  s->factor_planes[0] = s->factor;
  s->mat_planes[0] = s->mat;
  s->p = (DiffusionProblem){.mat = s->mat_planes, .mat_k = (const double(*)[3])s->mat_k,
                            .factor = s->factor_planes, .r_face_x = s->cut_x,
                            .r_face_y = s->cut_y, .shift = s->g_via,
                            .shift_scale = 1.0, .col_lo = s->col_lo, .coef_lo = s->coef_lo};
  /* the run's ranks share the sheet's rows as they share the block's: on
   * MPI_COMM_SELF every rank solved the whole sheet and held its multigrid
   * hierarchy (at 12 M cells on 4 ranks the run held 1068 MB per rank with
   * it, 956 MB without) */
  DiffusionOptions o = {.comm = Runtime_comm(), .rel_tol = 1e-10, .max_iters = 500,
                        .own_rows = 1};
  int rc = Diffusion_create(s->plane, &o, &s->op, err, err_size);
  if (rc != EB_OK) {
    Sheet_destroy(s);
    return rc;
  }
  *out = s;
  return EB_OK;
oom:
  Sheet_destroy(s);
  snprintf(err, err_size, "power: out of memory for the PCB sheet (%d x %d cells)", nx, ny);
  return EB_EFAIL;
}

int Sheet_prepare(Sheet *s, const CasePowerDelivery *pd, const double *t_pcb, char *err,
                  size_t err_size) {
  const double sigma = 1.0 / Power_pcb_loop_sheet_ohm(pd);
  s->mat_k[0][0] = s->mat_k[0][1] = sigma;
  s->mat_k[0][2] = 0.0;
  /* the sheet and the brick vias at the PCB's temperature (sheet data at
   * 20 C, the via resistance at the case's copper reference) */
  for (size_t h = 0; h < s->held; h++) {
    const size_t col = s->coef_lo + h;
    const double tp = isfinite(t_pcb[col]) ? t_pcb[col] : 293.15;
    s->factor[h] = 1.0 / Power_cu_factor(tp, 293.15);
  }
  for (size_t o = 0; o < s->own; o++) {
    const size_t col = s->col_lo + o;
    const double tp = isfinite(t_pcb[col]) ? t_pcb[col] : 293.15, share = s->foot_share[o];
    s->g_via[o] = share > 0.0 && pd->pcb_brick_via_ohm > 0.0
                      ? share / (pd->pcb_brick_via_ohm * Power_cu_factor(tp, pd->copper_ref_k))
                      : (share > 0.0 ? 1e12 * share : 0.0);
  }
  /* the hierarchy is built once; PCG stays exact as the temperatures move */
  int rc = Diffusion_assemble(s->op, &s->p, 0, err, err_size);
  s->assembled = rc == EB_OK;
  if (rc != EB_OK) {
    char why[512];
    snprintf(why, sizeof why, "%s", err);
    snprintf(err, err_size, "power: the PCB sheet cannot be set up: %s", why);
  }
  return rc;
}

int Sheet_solve(Sheet *s, const double *v_brick, const double *i_load, SheetResult *r, char *err,
                size_t err_size) {
  const Grid *g = s->g;
  if (!s->assembled) {
    snprintf(err, err_size, "power: the PCB sheet was not prepared (Sheet_prepare)");
    return EB_EFAIL;
  }
  /* V_brick is one value per island and no current crosses an island's
   * edge, so the drop u = V_brick - V obeys -div(sigma grad u) + g_via u =
   * i_load: the load alone is the right-hand side (the tolerance is on
   * it, however stiff the vias), and u starts from the last solve */
  DiffusionStats st = {0};
  int rc = Diffusion_solve(s->op, i_load, s->u, &st, err, err_size);
  if (rc != EB_OK) {
    char why[512];
    snprintf(why, sizeof why, "%s", err);
    snprintf(err, err_size, "power: the PCB sheet solve failed: %s", why);
    return rc;
  }
  memset(s->brick_i, 0, (size_t)s->n_dies * sizeof(double));
  memset(s->brick_via_w, 0, (size_t)s->n_dies * sizeof(double));
  for (size_t o = 0; o < s->own; o++) {
    const size_t col = s->col_lo + o;
    const int d = g->die_of_col[col];
    s->v[o] = s->mat[col] == DIFF_VOID ? NAN : v_brick[d] - s->u[o];
    if (!(s->g_via[o] > 0.0)) continue;
    s->brick_i[d] += s->g_via[o] * s->u[o];
    s->brick_via_w[d] += s->g_via[o] * s->u[o] * s->u[o];
  }
  rc = Rows_sum(s->comm, s->brick_i, s->n_dies, err, err_size);
  if (rc == EB_OK) rc = Rows_sum(s->comm, s->brick_via_w, s->n_dies, err, err_size);
  if (rc != EB_OK) return rc;
  *r = (SheetResult){.col_lo = s->col_lo, .own = s->own, .v_col = s->v, .u_col = s->u,
                     .loss_col = s->loss_col, .brick_i = s->brick_i,
                     .brick_via_w = s->brick_via_w, .plane_loss_w = NAN, .iters = st.iters};
  return EB_OK;
}

int Sheet_losses(Sheet *s, SheetResult *r, char *err, size_t err_size) {
  const Grid *g = s->g;
  const int nx = g->nx, ny = g->ny;
  /* u with the neighbours' edge rows: the faces across the rows' edges */
  memcpy(s->uh + (s->col_lo - s->coef_lo), s->u, s->own * sizeof(double));
  int rc = Rows_halo(s->comm, g, s->uh, err, err_size);
  if (rc != EB_OK) return rc;
  memset(s->loss_col, 0, s->own * sizeof(double));
  double plane = 0.0;
  /* the brick vias where they are; each face's Joule heat, half to either
   * cell (the cells held); a face counted in the planes' total by the rank
   * that holds its lower cell */
  for (int j = s->ghosted.j0; j < s->rows.j1; j++)
    for (int i = 0; i < nx; i++) {
      const size_t col = (size_t)j * nx + i;
      if (s->mat[col] == DIFF_VOID) continue;
      const int mine = j >= s->rows.j0;
      if (mine) {
        const size_t o = col - s->col_lo;
        s->loss_col[o] += s->g_via[o] * s->u[o] * s->u[o];
      }
      for (int axis = 0; axis < 2; axis++) {
        const int i2 = i + (axis == 0), j2 = j + (axis == 1);
        if (i2 >= nx || j2 >= ny || (!mine && axis == 0)) continue;
        const size_t col2 = (size_t)j2 * nx + i2;
        const double gf = Diffusion_face_g(s->plane, &s->p, i, j, 0, axis);
        if (!(gf > 0.0)) continue;
        const double du = s->uh[col - s->coef_lo] - s->uh[col2 - s->coef_lo];
        const double w = gf * du * du;
        if (mine) s->loss_col[col - s->col_lo] += 0.5 * w;
        if (Rows_has(g, s->rows, col2)) s->loss_col[col2 - s->col_lo] += 0.5 * w;
        if (mine) plane += w;
      }
    }
  rc = Rows_sum(s->comm, &plane, 1, err, err_size);
  r->loss_col = s->loss_col;
  r->plane_loss_w = plane;
  return rc;
}
