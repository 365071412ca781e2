/* duct.c - fully developed laminar duct flow and H1 heat transfer on the
 * cross-section (see duct.h for the equations). */
#include "duct.h"

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../cases/case.h"
#include "HYPRE_struct_ls.h"

/* Symmetric 5-point stencil: hypre keeps the lower half and the centre. */
enum { S_XM = 0, S_YM, S_C, S_N };
static int offsets[S_N][2] = {{-1, 0}, {0, -1}, {0, 0}};

typedef struct {
  int nx, ny;
  double dx, dy;
  HYPRE_StructGrid grid;
  HYPRE_StructStencil stencil;
} Mesh;

/* Solve A x = b where A is -lap on the mesh with Dirichlet (zero) walls in
 * dirichlet_mask and zero-flux walls elsewhere; b per cell (already times
 * the cell area). x is returned in x (nx * ny, x fastest). */
static int solve(const Mesh *m, unsigned dirichlet_mask, const double *b, double *x, char *err,
                 size_t err_size) {
  const int nx = m->nx, ny = m->ny;
  const double gx = m->dy / m->dx, gy = m->dx / m->dy; /* face conductances */
  HYPRE_StructMatrix A = NULL;
  HYPRE_StructVector vb = NULL, vx = NULL;
  HYPRE_StructSolver pcg = NULL, pfmg = NULL;
  double *vals = malloc((size_t)S_N * nx * ny * sizeof *vals);
  if (!vals) {
    snprintf(err, err_size, "duct: out of memory for %d x %d cells", nx, ny);
    return EB_EFAIL;
  }
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++) {
      double *e = vals + S_N * ((size_t)j * nx + i), diag = 0.0;
      e[S_XM] = i > 0 ? -gx : 0.0;
      e[S_YM] = j > 0 ? -gy : 0.0;
      diag += (i > 0 ? gx : 0.0) + (i < nx - 1 ? gx : 0.0);
      diag += (j > 0 ? gy : 0.0) + (j < ny - 1 ? gy : 0.0);
      /* a Dirichlet wall half a cell away: conductance 2 x the interior one */
      if (i == 0 && (dirichlet_mask & DUCT_LEFT)) diag += 2.0 * gx;
      if (i == nx - 1 && (dirichlet_mask & DUCT_RIGHT)) diag += 2.0 * gx;
      if (j == 0 && (dirichlet_mask & DUCT_BOTTOM)) diag += 2.0 * gy;
      if (j == ny - 1 && (dirichlet_mask & DUCT_TOP)) diag += 2.0 * gy;
      e[S_C] = diag;
    }
  int lo[2] = {0, 0}, hi[2] = {nx - 1, ny - 1}, entries[S_N] = {S_XM, S_YM, S_C};
  int rc = HYPRE_StructMatrixCreate(MPI_COMM_SELF, m->grid, m->stencil, &A);
  rc |= HYPRE_StructMatrixSetSymmetric(A, 1);
  rc |= HYPRE_StructMatrixInitialize(A);
  rc |= HYPRE_StructMatrixSetBoxValues(A, lo, hi, S_N, entries, vals);
  rc |= HYPRE_StructMatrixAssemble(A);
  rc |= HYPRE_StructVectorCreate(MPI_COMM_SELF, m->grid, &vb);
  rc |= HYPRE_StructVectorInitialize(vb);
  rc |= HYPRE_StructVectorSetBoxValues(vb, lo, hi, (double *)b);
  rc |= HYPRE_StructVectorAssemble(vb);
  rc |= HYPRE_StructVectorCreate(MPI_COMM_SELF, m->grid, &vx);
  rc |= HYPRE_StructVectorInitialize(vx);
  rc |= HYPRE_StructVectorSetConstantValues(vx, 0.0);
  rc |= HYPRE_StructVectorAssemble(vx);
  rc |= HYPRE_StructPFMGCreate(MPI_COMM_SELF, &pfmg);
  rc |= HYPRE_StructPFMGSetMaxIter(pfmg, 1);
  rc |= HYPRE_StructPFMGSetTol(pfmg, 0.0);
  rc |= HYPRE_StructPFMGSetZeroGuess(pfmg);
  rc |= HYPRE_StructPFMGSetRelaxType(pfmg, 2);
  rc |= HYPRE_StructPCGCreate(MPI_COMM_SELF, &pcg);
  rc |= HYPRE_StructPCGSetTol(pcg, 1e-13);
  rc |= HYPRE_StructPCGSetMaxIter(pcg, 500);
  rc |= HYPRE_StructPCGSetTwoNorm(pcg, 1);
  rc |= HYPRE_StructPCGSetPrecond(pcg, HYPRE_StructPFMGSolve, HYPRE_StructPFMGSetup, pfmg);
  rc |= HYPRE_StructPCGSetup(pcg, A, vb, vx);
  int solve_rc = rc ? rc : HYPRE_StructPCGSolve(pcg, A, vb, vx);
  double res = 1.0;
  HYPRE_StructPCGGetFinalRelativeResidualNorm(pcg, &res);
  if (!rc) rc = HYPRE_StructVectorGetBoxValues(vx, lo, hi, x);
  HYPRE_ClearAllErrors();
  if (pcg) HYPRE_StructPCGDestroy(pcg);
  if (pfmg) HYPRE_StructPFMGDestroy(pfmg);
  if (vx) HYPRE_StructVectorDestroy(vx);
  if (vb) HYPRE_StructVectorDestroy(vb);
  if (A) HYPRE_StructMatrixDestroy(A);
  free(vals);
  if (rc || solve_rc || !(res <= 1e-10)) {
    snprintf(err, err_size, "duct: the cross-section solve failed (hypre %d, residual %.2e)",
             rc ? rc : solve_rc, res);
    return EB_EFAIL;
  }
  return EB_OK;
}

/* One grid: f Re and Nu on nx x ny cells. */
static int solve_grid(double w, double h, unsigned heated, int nx, int ny, DuctResult *out,
                      char *err, size_t err_size) {
  Mesh m = {.nx = nx, .ny = ny, .dx = w / nx, .dy = h / ny};
  const size_t n = (size_t)nx * ny;
  double *b = malloc(n * sizeof *b), *u = malloc(n * sizeof *u), *phi = malloc(n * sizeof *phi);
  int rc = b && u && phi ? EB_OK : EB_EFAIL;
  if (rc != EB_OK) snprintf(err, err_size, "duct: out of memory for %d x %d cells", nx, ny);
  if (rc == EB_OK) {
    int lo[2] = {0, 0}, hi[2] = {nx - 1, ny - 1};
    int hrc = HYPRE_StructGridCreate(MPI_COMM_SELF, 2, &m.grid);
    hrc |= HYPRE_StructGridSetExtents(m.grid, lo, hi);
    hrc |= HYPRE_StructGridAssemble(m.grid);
    hrc |= HYPRE_StructStencilCreate(2, S_N, &m.stencil);
    for (int s = 0; s < S_N; s++) hrc |= HYPRE_StructStencilSetElement(m.stencil, s, offsets[s]);
    if (hrc) {
      snprintf(err, err_size, "duct: could not create the hypre grid (%d)", hrc);
      rc = EB_EFAIL;
    }
  }
  const double area = w * h, cell = m.dx * m.dy;
  double u_mean = 0.0;
  if (rc == EB_OK) { /* -lap u = 1, no slip everywhere */
    for (size_t q = 0; q < n; q++) b[q] = cell;
    rc = solve(&m, DUCT_ALL, b, u, err, err_size);
  }
  if (rc == EB_OK) {
    for (size_t q = 0; q < n; q++) u_mean += u[q] * cell;
    u_mean /= area;
    for (size_t q = 0; q < n; q++) b[q] = -u[q] / u_mean * cell; /* -lap phi = -u/u_mean */
    rc = solve(&m, heated, b, phi, err, err_size);
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
  }
  if (m.stencil) HYPRE_StructStencilDestroy(m.stencil);
  if (m.grid) HYPRE_StructGridDestroy(m.grid);
  free(b);
  free(u);
  free(phi);
  return rc;
}

int Duct_solve(double w, double h, unsigned heated_mask, int n_short, DuctResult *out,
               char *err, size_t err_size) {
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
