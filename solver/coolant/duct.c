/* duct.c - fully developed laminar duct flow and H1 heat transfer on the
 * cross-section (see duct.h for the equations). */
#include "duct.h"

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"
#include "../core/diffusion.h"

/* The cross-section as a one-plane Grid: x along the width, y along the
 * height. Its depth dz is arbitrary: every conductance and every source
 * scale with it, so it cancels; 1 keeps the numbers those of the 2D
 * problem. */
static const double unit_k[1][3] = {{1.0, 1.0, 1.0}};

/* Zero (Dirichlet, held at the wall face) on the walls of mask, zero flux
 * on the others. */
static void set_walls(DiffusionProblem *p, unsigned mask) {
  static const struct {
    unsigned wall;
    int side;
  } map[4] = {
      {DUCT_LEFT, DIFF_XLO}, {DUCT_RIGHT, DIFF_XHI}, {DUCT_BOTTOM, DIFF_YLO}, {DUCT_TOP, DIFF_YHI}};
  for (int q = 0; q < 4; q++)
    p->robin[map[q].side] = (DiffusionRobin){.h_all = (mask & map[q].wall) ? INFINITY : 0.0};
}

/* One grid: f Re and Nu on nx x ny cells. */
static int solve_grid(double w, double h, unsigned heated, int nx, int ny, DuctResult *out,
                      char *err, size_t err_size) {
  const size_t n = (size_t)nx * ny;
  Grid *g = Grid_alloc(nx, ny, 1);
  double *b = malloc(n * sizeof *b), *u = calloc(n, sizeof *u), *phi = calloc(n, sizeof *phi);
  Diffusion *d = NULL;
  char why[512] = "";
  int rc = g && b && u && phi ? EB_OK : EB_EFAIL;
  if (rc != EB_OK) snprintf(why, sizeof why, "out of memory");
  if (rc == EB_OK) {
    for (int i = 0; i <= nx; i++) g->x[i] = w * i / nx;
    for (int j = 0; j <= ny; j++) g->y[j] = h * j / ny;
    g->z[1] = 1.0;
    /* 1e-13: the two grids' extrapolation and the orientation check need
     * the solves well below the 1e-5 of the result */
    DiffusionOptions opt = {.comm = MPI_COMM_SELF, .rel_tol = 1e-13, .max_iters = 500};
    rc = Diffusion_create(g, &opt, &d, why, sizeof why);
  }
  /* the material index of Grid_alloc is zero: every cell is material 0 */
  DiffusionProblem p = {.mat = g ? g->solid_of_k : NULL, .mat_k = unit_k, .src_cell = b};
  double area = w * h, u_mean = 0.0;
  if (rc == EB_OK) { /* -lap u = 1, no slip everywhere */
    for (int j = 0; j < ny; j++)
      for (int i = 0; i < nx; i++) b[(size_t)j * nx + i] = Grid_dx(g, i) * Grid_dy(g, j);
    set_walls(&p, DUCT_ALL);
    rc = Diffusion_assemble(d, &p, 0, why, sizeof why);
    if (rc == EB_OK) rc = Diffusion_solve(d, NULL, u, NULL, why, sizeof why);
  }
  if (rc == EB_OK) {
    for (int j = 0; j < ny; j++)
      for (int i = 0; i < nx; i++) u_mean += u[(size_t)j * nx + i] * Grid_dx(g, i) * Grid_dy(g, j);
    u_mean /= area;
    for (int j = 0; j < ny; j++) /* -lap phi = -u/u_mean */
      for (int i = 0; i < nx; i++) {
        size_t q = (size_t)j * nx + i;
        b[q] = -u[q] / u_mean * Grid_dx(g, i) * Grid_dy(g, j);
      }
    set_walls(&p, heated);
    /* other walls: a new hierarchy (cheap at this size) keeps PCG short */
    rc = Diffusion_assemble(d, &p, 1, why, sizeof why);
    if (rc == EB_OK) rc = Diffusion_solve(d, NULL, phi, NULL, why, sizeof why);
  }
  if (rc == EB_OK) {
    double num = 0.0, den = 0.0;
    for (size_t q = 0; q < n; q++) {
      num += u[q] * phi[q];
      den += u[q];
    }
    double phi_b = num / den, perim = 2.0 * (w + h), dh = 4.0 * area / perim;
    double heated_perim = ((heated & DUCT_BOTTOM) ? w : 0.0) + ((heated & DUCT_TOP) ? w : 0.0) +
                          ((heated & DUCT_LEFT) ? h : 0.0) + ((heated & DUCT_RIGHT) ? h : 0.0);
    out->fre = dh * dh / (2.0 * u_mean);
    out->nu_h1 = area / heated_perim * dh / -phi_b;
  } else {
    snprintf(err, err_size, "duct: the %d x %d cross-section solve failed: %s", nx, ny, why);
  }
  Diffusion_destroy(d);
  Grid_destroy(g);
  free(b);
  free(u);
  free(phi);
  return rc;
}

int Duct_solve(double w, double h, unsigned heated_mask, int n_short, DuctResult *out, char *err,
               size_t err_size) {
  int ready = 0;
  MPI_Initialized(&ready);
  if (!ready) {
    snprintf(err, err_size, "duct: MPI is not initialised (call Runtime_init first)");
    return EB_EFAIL;
  }
  if (!(w > 0.0) || !(h > 0.0) || (heated_mask & DUCT_ALL) == 0 || n_short < 8) {
    snprintf(err, err_size,
             "duct: need a positive width and height, at least one heated wall and 8 cells "
             "(got %g x %g, walls %u, %d cells)",
             w, h, heated_mask, n_short);
    return EB_EINPUT;
  }
  /* cells about square: n_short across the short side */
  double ratio = w > h ? w / h : h / w;
  int n_long = (int)lround(n_short * ratio);
  if (n_long > 20000) {
    snprintf(err, err_size, "duct: aspect ratio %g is too extreme to resolve", ratio);
    return EB_EINPUT;
  }
  int nx = w >= h ? n_long : n_short, ny = w >= h ? n_short : n_long;
  DuctResult coarse, fine;
  int rc = solve_grid(w, h, heated_mask & DUCT_ALL, nx, ny, &coarse, err, err_size);
  if (rc == EB_OK)
    rc = solve_grid(w, h, heated_mask & DUCT_ALL, 2 * nx, 2 * ny, &fine, err, err_size);
  if (rc != EB_OK) return rc;
  /* second-order scheme: Richardson extrapolation of the two grids */
  out->fre = fine.fre + (fine.fre - coarse.fre) / 3.0;
  out->nu_h1 = fine.nu_h1 + (fine.nu_h1 - coarse.nu_h1) / 3.0;
  return EB_OK;
}
