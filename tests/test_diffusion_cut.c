/* test_diffusion_cut.c - the diffusion operator's per-cell lateral face
 * resistances r_face_x / r_face_y (solver/core/diffusion.h): a finite r in
 * series with the two half cells, INFINITY cutting the face (the PCB
 * sheet's die islands). Oracles: series resistors in a 1-D chain, and
 * independence of two regions separated by a cut. Small Grid_alloc grids,
 * solved on MPI_COMM_SELF. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geometry/grid.h"
#include "solver/core/diffusion.h"
#include "solver/core/runtime.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(diffusion_cut, .init = up, .fini = down, .timeout = 60);

static const double kk[1][3] = {{20.0, 5.0, 2.0}}; /* W/mK along x, y, z (anisotropic) */
static const double tol = 1e-13;                   /* PCG relative residual of every solve */

/* Faces 0..len with cell widths growing by `ratio` from one cell to the next. */
static void faces(double *f, int n, double len, double ratio) {
  double sum = 0.0, d = 1.0;
  for (int i = 0; i < n; i++, d *= ratio) sum += d;
  f[0] = 0.0;
  d = len / sum;
  for (int i = 0; i < n; i++, d *= ratio) f[i + 1] = f[i] + d;
  f[n] = len;
}

static double *fill(size_t n, double v) {
  double *a = malloc(n * sizeof *a);
  for (size_t q = 0; q < n; q++) a[q] = v;
  return a;
}

static double *solve(const Grid *g, const DiffusionProblem *p, double guess) {
  char err[512];
  Diffusion *d = NULL;
  DiffusionOptions o = {.comm = MPI_COMM_SELF, .rel_tol = tol, .max_iters = 500};
  cr_assert_eq(Diffusion_create(g, &o, &d, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Diffusion_assemble(d, p, 0, err, sizeof err), EB_OK, "%s", err);
  double *u = fill(Grid_cells(g), guess);
  DiffusionStats st;
  cr_assert_eq(Diffusion_solve(d, NULL, u, &st, err, sizeof err), EB_OK, "%s", err);
  cr_assert(st.rel_res <= tol && !st.hit_max);
  Diffusion_destroy(d);
  return u;
}

/* Chain of nx cells along `axis` (0: x, 1: y), Dirichlet t1 / t2 on its two
 * ends, insulated elsewhere; r (m^2K/W) on the +axis face of cell `at` in
 * every row. The heat flow is (t2 - t1) A / (L / k + r): the half cells
 * between the two held faces add up to L / k, r is in series (harmonic mean
 * of half cells, diffusion.h). Every face carries that flow, the Dirichlet
 * faces too (the FV scheme is exact for a piecewise-linear profile, so the
 * error is the PCG residual: 1e-10 relative). nz = 1 takes the 2-D (5-point)
 * path the PCB sheet uses, nz = 2 the 3-D one. */
static void series_chain(int axis, int nz, double r) {
  const int n = 7, at = 3, nc = 2; /* cells along the chain and across it */
  const double len = 6e-3, t1 = 20.0, t2 = 80.0;
  Grid *g = axis == 0 ? Grid_alloc(n, nc, nz) : Grid_alloc(nc, n, nz);
  faces(axis == 0 ? g->x : g->y, n, len, 1.3); /* non-uniform along the chain */
  faces(axis == 0 ? g->y : g->x, nc, 2e-3, 1.0);
  faces(g->z, nz, 1e-3, 1.0);
  double *rf = fill(Grid_cells(g), 0.0);
  for (int k = 0; k < nz; k++)
    for (int c = 0; c < nc; c++)
      rf[axis == 0 ? Grid_index(g, at, c, k) : Grid_index(g, c, at, k)] = r;
  DiffusionProblem p = {.mat = g->solid_of_k, .mat_k = kk};
  if (axis == 0)
    p.r_face_x = rf;
  else
    p.r_face_y = rf;
  p.robin[axis == 0 ? DIFF_XLO : DIFF_YLO] = (DiffusionRobin){.h_all = INFINITY, .t_all = t1};
  p.robin[axis == 0 ? DIFF_XHI : DIFF_YHI] = (DiffusionRobin){.h_all = INFINITY, .t_all = t2};
  double *u = solve(g, &p, 0.0);

  const double k = kk[0][axis], width = 2e-3 * 1e-3; /* cross-section of the chain */
  const double q = (t2 - t1) * width / (len / k + r); /* series resistors */
  const double qc = q / (nc * nz);                     /* through each cell's face */
  double worst = 0.0;
  for (int kz = 0; kz < nz; kz++)
    for (int c = 0; c < nc; c++) {
      /* cell (s along the chain, c across it) */
#define CELL(s) (axis == 0 ? Grid_index(g, (s), c, kz) : Grid_index(g, c, (s), kz))
#define IJ(s) (axis == 0 ? (s) : c), (axis == 0 ? c : (s))
      for (int s = 0; s + 1 < n; s++) {
        double gf = Diffusion_face_g(g, &p, IJ(s), kz, axis);
        worst = fmax(worst, fabs(gf * (u[CELL(s + 1)] - u[CELL(s)]) - qc) / qc);
      }
      double g_lo = Diffusion_boundary_g(g, &p, axis == 0 ? DIFF_XLO : DIFF_YLO, IJ(0), kz);
      double g_hi = Diffusion_boundary_g(g, &p, axis == 0 ? DIFF_XHI : DIFF_YHI, IJ(n - 1), kz);
      worst = fmax(worst, fabs(g_lo * (u[CELL(0)] - t1) - qc) / qc);
      worst = fmax(worst, fabs(g_hi * (t2 - u[CELL(n - 1)]) - qc) / qc);
#undef CELL
#undef IJ
    }
  /* the face with r: A / (d1 / 2k + r + d2 / 2k), written out */
  const double *fa = axis == 0 ? g->x : g->y;
  double d1 = fa[at + 1] - fa[at], d2 = fa[at + 2] - fa[at + 1];
  double g_expect = (width / (nc * nz)) / (0.5 * d1 / k + r + 0.5 * d2 / k);
  double g_got = axis == 0 ? Diffusion_face_g(g, &p, at, 0, 0, 0) : Diffusion_face_g(g, &p, 0, at, 0, 1);
  cr_assert_float_eq(g_got, g_expect, 1e-14 * g_expect, "face conductance %.15g, expected %.15g",
                     g_got, g_expect);
  cr_log_info("series chain axis %c nz %d r %g: worst flow error %.2e of %.4g W", "xy"[axis], nz,
              r, worst, q);
  cr_assert(worst < 1e-10, "flow off by %.3e relative (axis %d, nz %d)", worst, axis, nz);
  free(u);
  free(rf);
  Grid_destroy(g);
}

/* r chosen so the face resistance (1e-4 m^2K/W) is about a third of the
 * chain's L/k (3e-4 along x): the flow drops by a quarter, far from 0. */
Test(diffusion_cut, series_resistance_along_x) {
  series_chain(0, 1, 1e-4);
  series_chain(0, 2, 1e-4);
  series_chain(0, 1, 0.0); /* r = 0: the plain harmonic mean */
}

Test(diffusion_cut, series_resistance_along_y) {
  series_chain(1, 1, 1e-3);
  series_chain(1, 2, 1e-3);
}

/* Every row of an x-chain its own r, the rows cut from each other along y
 * (r_face_y = INFINITY everywhere): each row carries its own series flow
 * dT A / (L/k + r_j) (1e-10 relative, the PCG residual). Without the y
 * cuts the rows would exchange heat and the flows would not be these. */
Test(diffusion_cut, rows_cut_apart_carry_their_own_flow) {
  const int nx = 6, ny = 4;
  const double lx = 5e-3, ly = 4e-3, t1 = 0.0, t2 = 50.0, k = kk[0][0];
  Grid *g = Grid_alloc(nx, ny, 1);
  faces(g->x, nx, lx, 0.8);
  faces(g->y, ny, ly, 1.0);
  g->z[1] = 1e-3;
  double *rx = fill((size_t)nx * ny, 0.0), *ry = fill((size_t)nx * ny, INFINITY);
  for (int j = 0; j < ny; j++) rx[(size_t)j * nx + 2] = 1e-4 * j; /* 0, 1e-4, 2e-4, 3e-4 */
  DiffusionProblem p = {.mat = g->solid_of_k, .mat_k = kk, .r_face_x = rx, .r_face_y = ry};
  p.robin[DIFF_XLO] = (DiffusionRobin){.h_all = INFINITY, .t_all = t1};
  p.robin[DIFF_XHI] = (DiffusionRobin){.h_all = INFINITY, .t_all = t2};
  double *u = solve(g, &p, 25.0);
  double worst = 0.0;
  for (int j = 0; j < ny; j++) {
    const double a = Grid_dy(g, j) * 1e-3, q = (t2 - t1) * a / (lx / k + 1e-4 * j);
    for (int i = 0; i + 1 < nx; i++) {
      double f = Diffusion_face_g(g, &p, i, j, 0, 0) * (u[j * nx + i + 1] - u[j * nx + i]);
      worst = fmax(worst, fabs(f - q) / q);
    }
    if (j + 1 < ny) cr_assert_eq(Diffusion_face_g(g, &p, 0, j, 0, 1), 0.0, "a cut face conducts");
  }
  cr_log_info("rows cut apart: worst flow error %.2e", worst);
  cr_assert(worst < 1e-10, "row flow off by %.3e relative", worst);
  free(u);
  free(rx);
  free(ry);
  Grid_destroy(g);
}

/* Two regions of a block, split by INFINITY on the +axis faces of the
 * cells at index `cut`: the low region is held at t1 on its outer side,
 * the high one at t2 with a uniform source in it. Cut apart, the low region
 * sees no source and only t1, so every cell of it is t1 (to the PCG
 * residual: 1e-10 of the values); the cut faces conduct nothing
 * (Diffusion_face_g exactly 0); the high region's source leaves through its
 * own Dirichlet face alone (energy balance, 1e-10 relative). */
static void two_regions(int axis, int nz) {
  const int n = 8, cut = 3, nc = 3;
  const double t1 = 10.0, t2 = 70.0, q_cell = 0.5; /* W per cell in the high region */
  Grid *g = axis == 0 ? Grid_alloc(n, nc, nz) : Grid_alloc(nc, n, nz);
  faces(axis == 0 ? g->x : g->y, n, 8e-3, 1.1);
  faces(axis == 0 ? g->y : g->x, nc, 3e-3, 1.2);
  faces(g->z, nz, 1e-3, 1.0);
  const size_t cells = Grid_cells(g);
  double *rf = fill(cells, 0.0), *src = fill(cells, 0.0);
  for (int kz = 0; kz < nz; kz++)
    for (int c = 0; c < nc; c++) {
      rf[axis == 0 ? Grid_index(g, cut, c, kz) : Grid_index(g, c, cut, kz)] = INFINITY;
      for (int s = cut + 1; s < n; s++)
        src[axis == 0 ? Grid_index(g, s, c, kz) : Grid_index(g, c, s, kz)] = q_cell;
    }
  DiffusionProblem p = {.mat = g->solid_of_k, .mat_k = kk, .src_cell = src};
  if (axis == 0)
    p.r_face_x = rf;
  else
    p.r_face_y = rf;
  const int lo = axis == 0 ? DIFF_XLO : DIFF_YLO, hi = axis == 0 ? DIFF_XHI : DIFF_YHI;
  p.robin[lo] = (DiffusionRobin){.h_all = INFINITY, .t_all = t1};
  p.robin[hi] = (DiffusionRobin){.h_all = INFINITY, .t_all = t2};
  double *u = solve(g, &p, 0.0);
  double worst_lo = 0.0, out = 0.0, t_max = t2;
  for (int kz = 0; kz < nz; kz++)
    for (int c = 0; c < nc; c++) {
      for (int s = 0; s < n; s++) {
        size_t idx = axis == 0 ? Grid_index(g, s, c, kz) : Grid_index(g, c, s, kz);
        if (s <= cut) worst_lo = fmax(worst_lo, fabs(u[idx] - t1));
        t_max = fmax(t_max, u[idx]);
      }
      int i = axis == 0 ? cut : c, j = axis == 0 ? c : cut;
      cr_assert_eq(Diffusion_face_g(g, &p, i, j, kz, axis), 0.0, "the cut face conducts");
      int il = axis == 0 ? n - 1 : c, jl = axis == 0 ? c : n - 1;
      size_t last = Grid_index(g, il, jl, kz);
      out += Diffusion_boundary_g(g, &p, hi, il, jl, kz) * (u[last] - t2);
    }
  const double made = q_cell * (n - 1 - cut) * nc * nz;
  cr_log_info("cut along %c, nz %d: low region off t1 by %.2e K; outflow %.10g of %.10g W",
              "xy"[axis], nz, worst_lo, out, made);
  cr_assert(t_max > t2 + 1.0, "the source should heat the high region (max %.4g)", t_max);
  cr_assert(worst_lo < 1e-10 * t2, "low region off t1 by %.3e K", worst_lo);
  cr_assert(fabs(out - made) < 1e-10 * made, "outflow %.12g, made %.12g", out, made);
  free(u);
  free(rf);
  free(src);
  Grid_destroy(g);
}

Test(diffusion_cut, infinite_r_cuts_along_x) {
  two_regions(0, 1);
  two_regions(0, 2);
}

Test(diffusion_cut, infinite_r_cuts_along_y) {
  two_regions(1, 1);
  two_regions(1, 2);
}

/* A negative or NaN face resistance is bad input, named in the message. */
Test(diffusion_cut, bad_face_resistance_is_an_error) {
  Grid *g = Grid_alloc(3, 2, 1);
  faces(g->x, 3, 3e-3, 1.0);
  faces(g->y, 2, 2e-3, 1.0);
  g->z[1] = 1e-3;
  double *rf = fill(6, 0.0);
  DiffusionProblem p = {.mat = g->solid_of_k, .mat_k = kk};
  p.robin[DIFF_XLO] = (DiffusionRobin){.h_all = INFINITY, .t_all = 1.0};
  char err[512];
  Diffusion *d = NULL;
  DiffusionOptions o = {.comm = MPI_COMM_SELF, .rel_tol = tol, .max_iters = 500};
  cr_assert_eq(Diffusion_create(g, &o, &d, err, sizeof err), EB_OK, "%s", err);
  const double bad[] = {-1e-4, NAN};
  for (int b = 0; b < 2; b++)
    for (int axis = 0; axis < 2; axis++) {
      for (int q = 0; q < 6; q++) rf[q] = 0.0;
      rf[1] = bad[b];
      p.r_face_x = axis == 0 ? rf : NULL;
      p.r_face_y = axis == 1 ? rf : NULL;
      err[0] = 0;
      cr_assert_eq(Diffusion_assemble(d, &p, 0, err, sizeof err), EB_EINPUT, "r = %g accepted",
                   bad[b]);
      cr_assert(strstr(err, axis == 0 ? "r_face_x" : "r_face_y"), "message: %s", err);
    }
  Diffusion_destroy(d);
  free(rf);
  Grid_destroy(g);
}
