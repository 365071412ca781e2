/* test_mechanics.c - the CTE-mismatch mechanics (solver/mechanics/laminate.h,
 * solver/mechanics/inplane.h) against closed forms:
 *
 *   mechanics_laminate  Timoshenko's bimetal curvature (physics.md 8.1) over
 *                       thickness and modulus ratios, the laminate's force and
 *                       moment balance, the neutral plane and bending
 *                       stiffness, the bow and flattening pressure formulas.
 *   mechanics_inplane   free thermal expansion (exact for Q1), the soft
 *                       connector's DNP strain (physics.md 8.3), the stiff
 *                       connector's shared strain, the 1-D shear lag of a
 *                       nu = 0 strip (exact discrete solution and the
 *                       continuum's second-order limit), the symmetries of a
 *                       square pair, and a manufactured stress-free state
 *                       converging at second order.
 *   mechanics_friction  the cold plate's Coulomb contact: mu = 0 equals slip,
 *                       a huge mu p sticks, the traction never exceeds mu p,
 *                       and a strip's wafer force grows at mu p per length
 *                       from the free edge (physics.md 8.3, last item).
 *   mechanics_input     bad input and the stress helpers.
 *
 * Every in-plane test uses uniform grids with even nx, ny: the rigid-body pin
 * (the node nearest the centre) is then exactly at the centre, where every
 * oracle has zero displacement by symmetry, and the no-rotation pin (v = 0 at
 * the right-edge node of the centre row) is on the symmetry line. The linear
 * solves run to a PCG relative residual of REL_TOL = 1e-12 (tighter than the
 * default): the tolerances below that are "solver-limited" are a few orders
 * above the error that residual allows (cond(K) * 1e-12 with cond(K) ~ 1e3 to
 * 1e5 for these grids), and are stated as such. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case.h"
#include "solver/core/runtime.h"
#include "solver/mechanics/inplane.h"
#include "solver/mechanics/laminate.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(mechanics_laminate, .timeout = 30);
TestSuite(mechanics_inplane, .init = up, .fini = down, .timeout = 120);
TestSuite(mechanics_friction, .init = up, .fini = down, .timeout = 120);
TestSuite(mechanics_input, .init = up, .fini = down, .timeout = 30);

/* ---- materials and grids ---------------------------------------------------- */

typedef struct {
  double h, e, nu, alpha;
} Mat;
/* wafer-like, PCB-like, copper-like plates (physics.md 3.1-3.3) */
static const Mat SI = {0.775e-3, 130e9, 0.28, 2.6e-6};
static const Mat FR4 = {3.2e-3, 40e9, 0.2, 16.2e-6};
static const Mat CU = {3e-3, 117e9, 0.34, 17e-6};
static const double T_REF = 293.15, DT = 50.0, H_CONN = 1e-3; /* connector height, m */
static const double REL_TOL = 1e-12;

static double ep(Mat m) { return m.e / (1.0 - m.nu); } /* biaxial modulus E' */
static Mat nu0(Mat m) {
  m.nu = 0.0;
  return m;
}

typedef struct {
  int nx, ny;
  double *x, *y;  /* faces */
  double xc, yc;  /* domain centre */
} Mesh;

/* Uniform nx x ny cells over [x0, x0 + lx] x [y0, y0 + ly]. */
static Mesh mesh(int nx, int ny, double x0, double lx, double y0, double ly) {
  Mesh m = {.nx = nx, .ny = ny};
  m.x = malloc((nx + 1) * sizeof *m.x);
  m.y = malloc((ny + 1) * sizeof *m.y);
  for (int i = 0; i <= nx; i++) m.x[i] = x0 + lx * i / nx;
  for (int j = 0; j <= ny; j++) m.y[j] = y0 + ly * j / ny;
  m.xc = x0 + 0.5 * lx;
  m.yc = y0 + 0.5 * ly;
  return m;
}
static void mesh_free(Mesh *m) {
  free(m->x);
  free(m->y);
}
static size_t nd(const Mesh *m, int i, int j) { return (size_t)i + (size_t)(m->nx + 1) * j; }
static size_t cl(const Mesh *m, int i, int j) { return (size_t)i + (size_t)m->nx * j; }
static size_t nodes(const Mesh *m) { return (size_t)(m->nx + 1) * (m->ny + 1); }
static double X(const Mesh *m, int i) { return m->x[i] - m->xc; } /* node, from the centre */
static double Y(const Mesh *m, int j) { return m->y[j] - m->yc; }
static double XC(const Mesh *m, int i) { return 0.5 * (m->x[i] + m->x[i + 1]) - m->xc; } /* cell */
static double YC(const Mesh *m, int j) { return 0.5 * (m->y[j] + m->y[j + 1]) - m->yc; }
/* lumped node area (a quarter of each adjacent cell) */
static double node_area(const Mesh *m, int i, int j) {
  double ax = 0.5 * ((i > 0 ? m->x[i] - m->x[i - 1] : 0) + (i < m->nx ? m->x[i + 1] - m->x[i] : 0));
  double ay = 0.5 * ((j > 0 ? m->y[j] - m->y[j - 1] : 0) + (j < m->ny ? m->y[j + 1] - m->y[j] : 0));
  return ax * ay;
}

static InplaneProblem problem(const Mesh *m) {
  InplaneProblem p;
  memset(&p, 0, sizeof p);
  p.nx = m->nx;
  p.ny = m->ny;
  p.x_m = m->x;
  p.y_m = m->y;
  p.t_ref_k = T_REF;
  p.rel_tol = REL_TOL;
  return p;
}
static InplanePlate plate(Mat a, double dt) {
  InplanePlate p;
  memset(&p, 0, sizeof p);
  p.present = 1;
  p.h_m = a.h;
  p.e_pa = a.e;
  p.nu = a.nu;
  p.alpha_per_k = a.alpha;
  p.t_uniform_k = T_REF + dt;
  return p;
}
static void solve(const InplaneProblem *p, InplaneSolution *s) {
  char err[EB_ERRLEN] = "";
  int rc = Inplane_solve(p, s, err, sizeof err);
  cr_assert_eq(rc, EB_OK, "Inplane_solve: %d %s", rc, err);
  cr_assert(s->rel_residual <= 10.0 * REL_TOL, "residual %.3g", s->rel_residual);
  cr_assert(s->nx == p->nx && s->ny == p->ny);
}
/* relative displacement vector PCB (or cold plate) minus wafer at node n */
static double gap(const InplaneSolution *s, int other, size_t n, double *gx, double *gy) {
  double a = s->u[other][0][n] - s->u[PLATE_WAFER][0][n];
  double b = s->u[other][1][n] - s->u[PLATE_WAFER][1][n];
  if (gx) *gx = a;
  if (gy) *gy = b;
  return hypot(a, b);
}

/* Worst deviation of plate pl from the equibiaxial uniform state (strain eps
 * about the centre, stress sigma0 both ways, no shear) over the nodes and
 * cells at least dmin from every edge: displacement relative to
 * eps * (largest |x - xc| there), stress relative to |sigma0|. */
static void interior_dev(const Mesh *m, const InplaneSolution *s, int pl, double eps, double sigma0,
                         double dmin, double *du, double *ds) {
  const double hx = 0.5 * (m->x[m->nx] - m->x[0]), hy = 0.5 * (m->y[m->ny] - m->y[0]);
  double worst = 0, rmax = 0;
  for (int j = 0; j <= m->ny; j++)
    for (int i = 0; i <= m->nx; i++) {
      if (hx - fabs(X(m, i)) < dmin || hy - fabs(Y(m, j)) < dmin) continue;
      size_t n = nd(m, i, j);
      worst = fmax(worst, fabs(s->u[pl][0][n] - eps * X(m, i)));
      worst = fmax(worst, fabs(s->u[pl][1][n] - eps * Y(m, j)));
      rmax = fmax(rmax, fmax(fabs(X(m, i)), fabs(Y(m, j))));
    }
  cr_assert(rmax > 0, "no interior nodes");
  *du = worst / (fabs(eps) * rmax);
  worst = 0;
  int cells = 0;
  for (int j = 0; j < m->ny; j++)
    for (int i = 0; i < m->nx; i++) {
      if (hx - fabs(XC(m, i)) < dmin || hy - fabs(YC(m, j)) < dmin) continue;
      size_t c = cl(m, i, j);
      worst = fmax(worst, fabs(s->sxx[pl][c] - sigma0));
      worst = fmax(worst, fabs(s->syy[pl][c] - sigma0));
      worst = fmax(worst, fabs(s->sxy[pl][c]));
      cells++;
    }
  cr_assert(cells > 0, "no interior cells");
  *ds = worst / fabs(sigma0);
}

/* ==== laminate ================================================================== */

/* Timoshenko (1925), physics.md 8.1, layer 1 the bottom one:
 *   kappa = 6 (e2 - e1) (1 + m)^2 / (h [3 (1 + m)^2 + (1 + m n)(m^2 + 1/(m n))])
 * with m = t1/t2, n = E1'/E2', h = t1 + t2 and e_i = alpha_i dt_i the free
 * strains (the formula only sees their difference). The formula is invariant
 * under swapping the labels (m -> 1/m, n -> 1/n multiplies numerator and
 * denominator by 1/m^2), so with the top layer's free strain first the sign
 * is the header's: the longer top face, kappa > 0. */
static double timoshenko(const LaminateLayer *bot, const LaminateLayer *top) {
  const double m = bot->h_m / top->h_m;
  const double n = (bot->e_pa / (1 - bot->nu)) / (top->e_pa / (1 - top->nu));
  const double h = bot->h_m + top->h_m;
  const double de = top->alpha_per_k * top->dt_k - bot->alpha_per_k * bot->dt_k;
  return 6.0 * de * (1 + m) * (1 + m) /
         (h * (3 * (1 + m) * (1 + m) + (1 + m * n) * (m * m + 1.0 / (m * n))));
}

/* Force and moment (about z = 0) resultants of the layer stresses
 * E'_i (eps0 + kappa z - alpha_i dt_i), integrated exactly over each layer,
 * relative to the largest thermal force term; both vanish for a free stack. */
static void resultants(int n, const LaminateLayer *l, const LaminateResult *r, double *nrel,
                       double *mrel) {
  double nsum = 0, msum = 0, nscale = 0, mscale = 0, z = 0;
  for (int i = 0; i < n; i++) {
    const double e = l[i].e_pa / (1 - l[i].nu), h = l[i].h_m, zb = z + 0.5 * h;
    const double free = l[i].alpha_per_k * l[i].dt_k;
    nsum += e * ((r->eps0 - free) * h + r->kappa_per_m * h * zb);
    msum += e * ((r->eps0 - free) * h * zb + r->kappa_per_m * (h * h * h / 12 + h * zb * zb));
    nscale = fmax(nscale, fabs(e * h * free));
    mscale = fmax(mscale, fabs(e * h * free) * (z + h));
    z += h;
  }
  *nrel = fabs(nsum) / nscale;
  *mrel = fabs(msum) / mscale;
}

/* Two layers over a grid of thickness ratios m and biaxial modulus ratios n
 * (set through E and nu), heated by 50 K: the curvature equals Timoshenko's
 * to round-off (the two are the same algebra; 1e-12 relative), the sign
 * follows the header (higher alpha on top: kappa > 0; flipped stack:
 * -kappa), and eps0 leaves no net force or moment (1e-12 of the thermal
 * terms). */
Test(mechanics_laminate, bimetal_matches_timoshenko) {
  const double ms[] = {0.1, 0.25, 1.0, 4.0, 10.0};
  const double ns[] = {0.2, 0.5, 1.0, 3.25, 8.0};
  const double h2 = 1e-3, e2 = 40e9, nu2 = 0.2, e2p = e2 / (1 - nu2);
  double worst = 0;
  for (size_t a = 0; a < sizeof ms / sizeof *ms; a++)
    for (size_t b = 0; b < sizeof ns / sizeof *ns; b++) {
      const double nu1 = 0.28, e1 = ns[b] * e2p * (1 - nu1);
      LaminateLayer l[2] = {{ms[a] * h2, e1, nu1, 2.6e-6, DT}, {h2, e2, nu2, 16.2e-6, DT}};
      LaminateResult r, rf;
      cr_assert_eq(Laminate_bend(2, l, &r), EB_OK);
      const double k = timoshenko(&l[0], &l[1]);
      cr_assert(k > 0 && r.kappa_per_m > 0, "m %g n %g: kappa %g, Timoshenko %g", ms[a], ns[b],
                r.kappa_per_m, k);
      double rel = fabs(r.kappa_per_m / k - 1);
      worst = fmax(worst, rel);
      cr_assert(rel < 1e-12, "m %g n %g: kappa %.15g, Timoshenko %.15g", ms[a], ns[b],
                r.kappa_per_m, k);
      double nr, mr;
      resultants(2, l, &r, &nr, &mr);
      cr_assert(nr < 1e-12 && mr < 1e-12, "m %g n %g: net force %.2e, moment %.2e", ms[a], ns[b],
                nr, mr);
      /* the same stack upside down bends the other way, as much */
      LaminateLayer f[2] = {l[1], l[0]};
      cr_assert_eq(Laminate_bend(2, f, &rf), EB_OK);
      cr_assert(fabs(rf.kappa_per_m + k) < 1e-12 * k, "flipped m %g n %g: kappa %.15g, want %.15g",
                ms[a], ns[b], rf.kappa_per_m, -k);
      resultants(2, f, &rf, &nr, &mr);
      cr_assert(nr < 1e-12 && mr < 1e-12, "flipped: net force %.2e, moment %.2e", nr, mr);
      /* cooling reverses it */
      l[0].dt_k = l[1].dt_k = -DT;
      cr_assert_eq(Laminate_bend(2, l, &r), EB_OK);
      cr_assert(fabs(r.kappa_per_m + k) < 1e-12 * k);
    }
  cr_log_info("bimetal: worst relative difference from Timoshenko %.2e over 25 (m, n)", worst);
}

/* Equal layers: kappa = 1.5 (alpha_top - alpha_bot) dT / h (physics.md 8.1);
 * the neutral plane at mid-height, the stiffness that of one plate of the
 * full height, E' H^3 / 12, and eps0 the mean free strain minus the
 * curvature's share at z = 0: at mid-height the strain is the mean free
 * strain (the two layers' forces cancel), so eps0 = mean - kappa H / 2. */
Test(mechanics_laminate, equal_layers_closed_form) {
  const double h = 0.5e-3, e = 100e9, nu = 0.3, H = 2 * h, ebi = e / (1 - nu);
  LaminateLayer l[2] = {{h, e, nu, 3e-6, DT}, {h, e, nu, 17e-6, DT}};
  LaminateResult r;
  cr_assert_eq(Laminate_bend(2, l, &r), EB_OK);
  const double k = 1.5 * (17e-6 - 3e-6) * DT / H;
  cr_assert(fabs(r.kappa_per_m / k - 1) < 1e-13, "kappa %.15g, want %.15g", r.kappa_per_m, k);
  cr_assert(fabs(r.z_neutral_m / h - 1) < 1e-13, "neutral plane %.15g, want %.15g", r.z_neutral_m, h);
  cr_assert(fabs(r.d_nm / (ebi * H * H * H / 12) - 1) < 1e-13, "D %.15g, want %.15g", r.d_nm,
            ebi * H * H * H / 12);
  const double mean = 0.5 * (3e-6 + 17e-6) * DT, e0 = mean - k * H / 2;
  cr_assert(fabs(r.eps0 - e0) < 1e-13 * mean, "eps0 %.15g, want %.15g", r.eps0, e0);
  /* different temperatures, same alpha: the free-strain difference counts */
  LaminateLayer t[2] = {{h, e, nu, 10e-6, 20.0}, {h, e, nu, 10e-6, 80.0}};
  cr_assert_eq(Laminate_bend(2, t, &r), EB_OK);
  const double kt = 1.5 * 10e-6 * 60.0 / H;
  cr_assert(fabs(r.kappa_per_m / kt - 1) < 1e-13, "kappa %.15g, want %.15g", r.kappa_per_m, kt);
}

/* One layer, or three of one material at one temperature: no curvature,
 * eps0 = alpha dt, D = E' H^3 / 12 about the mid-plane; a bilayer's neutral
 * plane and stiffness by the transformed section (modulus-weighted centroid
 * and the parallel-axis theorem). Round-off only (1e-13). */
Test(mechanics_laminate, homogeneous_stack_and_transformed_section) {
  LaminateLayer one = {1e-3, 117e9, 0.34, 17e-6, DT};
  LaminateResult r;
  cr_assert_eq(Laminate_bend(1, &one, &r), EB_OK);
  const double e = 117e9 / 0.66;
  cr_assert(fabs(r.kappa_per_m) < 1e-13 * 17e-6 * DT / 1e-3);
  cr_assert(fabs(r.eps0 / (17e-6 * DT) - 1) < 1e-13);
  cr_assert(fabs(r.d_nm / (e * 1e-9 / 12) - 1) < 1e-13, "D %.15g", r.d_nm);
  cr_assert(fabs(r.z_neutral_m / 0.5e-3 - 1) < 1e-13);
  LaminateLayer three[3] = {{0.3e-3, 70e9, 0.25, 5e-6, -30}, {0.5e-3, 70e9, 0.25, 5e-6, -30},
                            {0.2e-3, 70e9, 0.25, 5e-6, -30}};
  cr_assert_eq(Laminate_bend(3, three, &r), EB_OK);
  const double e3 = 70e9 / 0.75;
  cr_assert(fabs(r.kappa_per_m) < 1e-12 * 5e-6 * 30 / 1e-3, "kappa %g", r.kappa_per_m);
  cr_assert(fabs(r.eps0 / (-5e-6 * 30) - 1) < 1e-12, "eps0 %.15g", r.eps0);
  cr_assert(fabs(r.d_nm / (e3 * 1e-9 / 12) - 1) < 1e-12, "D %.15g, want %.15g", r.d_nm,
            e3 * 1e-9 / 12);
  /* silicon (bottom) on FR-4 */
  LaminateLayer l[2] = {{SI.h, SI.e, SI.nu, SI.alpha, DT}, {FR4.h, FR4.e, FR4.nu, FR4.alpha, DT}};
  cr_assert_eq(Laminate_bend(2, l, &r), EB_OK);
  const double a1 = ep(SI) * SI.h, a2 = ep(FR4) * FR4.h;
  const double z1 = SI.h / 2, z2 = SI.h + FR4.h / 2, zn = (a1 * z1 + a2 * z2) / (a1 + a2);
  const double d = ep(SI) * pow(SI.h, 3) / 12 + a1 * (z1 - zn) * (z1 - zn) +
                   ep(FR4) * pow(FR4.h, 3) / 12 + a2 * (z2 - zn) * (z2 - zn);
  cr_assert(fabs(r.z_neutral_m / zn - 1) < 1e-13, "neutral %.15g, want %.15g", r.z_neutral_m, zn);
  cr_assert(fabs(r.d_nm / d - 1) < 1e-12, "D %.15g, want %.15g", r.d_nm, d);
  cr_log_info("Si on FR-4, 50 K: kappa %.4g 1/m (radius %.3g m), neutral plane %.4g mm",
              r.kappa_per_m, 1 / r.kappa_per_m, 1e3 * r.z_neutral_m);
}

Test(mechanics_laminate, bad_layers) {
  LaminateLayer l = {1e-3, 100e9, 0.3, 1e-6, 10};
  LaminateResult r;
  cr_assert_eq(Laminate_bend(0, &l, &r), EB_EINPUT);
  l.h_m = 0;
  cr_assert_eq(Laminate_bend(1, &l, &r), EB_EINPUT);
  l.h_m = 1e-3;
  l.e_pa = 0;
  cr_assert_eq(Laminate_bend(1, &l, &r), EB_EINPUT);
  l.e_pa = -1;
  cr_assert_eq(Laminate_bend(1, &l, &r), EB_EINPUT);
}

/* Bow: a uniform curvature kappa is the sag w = kappa r^2 / 2 (small slope),
 * the corner of a square of side a at r = a / sqrt 2: kappa a^2 / 4.
 * Flattening: the simply supported disc of radius a under q deflects
 * w0 = q a^4 (5 + nu) / (64 D (1 + nu)) with D = E h^3 / (12 (1 - nu^2))
 * (Timoshenko & Woinowsky-Krieger sec. 16); the returned q must give w0 =
 * kappa a^2 / 2 for a single plate whose d_nm comes from Laminate_bend.
 * Round-off only (1e-13). */
Test(mechanics_laminate, bow_and_flatten_pressure) {
  const double k = 0.37, a = 0.215;
  cr_assert(fabs(Laminate_bow(k, a) / (k * a * a / 4) - 1) < 1e-13, "bow %.15g", Laminate_bow(k, a));
  cr_assert(fabs(Laminate_bow(-k, a) / (-k * a * a / 4) - 1) < 1e-13);
  cr_assert(Laminate_bow(0, a) == 0);
  LaminateLayer one = {CU.h, CU.e, CU.nu, CU.alpha, 0};
  LaminateResult r;
  cr_assert_eq(Laminate_bend(1, &one, &r), EB_OK);
  const double R = 0.15, q = Laminate_flatten_pressure(k, r.d_nm, CU.nu, R);
  const double D = CU.e * pow(CU.h, 3) / (12 * (1 - CU.nu * CU.nu));
  const double w0 = q * pow(R, 4) * (5 + CU.nu) / (64 * D * (1 + CU.nu));
  cr_assert(q > 0);
  cr_assert(fabs(w0 / (k * R * R / 2) - 1) < 1e-13, "w0 %.15g, sag %.15g (q %.6g Pa)", w0,
            k * R * R / 2, q);
  /* linear in kappa and D, 1/a^2 */
  cr_assert(fabs(Laminate_flatten_pressure(2 * k, r.d_nm, CU.nu, R) / q - 2) < 1e-13);
  cr_assert(fabs(Laminate_flatten_pressure(k, r.d_nm, CU.nu, 2 * R) / q - 0.25) < 1e-13);
}

/* ==== in-plane ================================================================== */

/* Free expansion: no connector, slip, uniform temperature change. Each plate
 * expands freely, u = alpha dT (x - xc), v = alpha dT (y - yc): a linear field
 * that Q1 holds exactly and that satisfies the pins, so the discrete solution
 * is the exact one and the error is the solver's. Tolerance 1e-9 of
 * alpha dT times the half-diagonal (solver-limited, see the top), stresses
 * 1e-9 of E' alpha dT (the strain from nodal differences, relative to the
 * cell size, carries the same relative error times <= L / dx = 20).
 * Variant: per-cell reference temperatures (varying cell to cell, different
 * from the problem's t_ref_k) with t = t_ref + dT per cell, and the PCB
 * cooled instead: the same linear fields. */
static void check_free(const Mesh *m, const InplaneSolution *s, int pl, Mat a, double dt,
                       double *wu, double *ws) {
  const double e = a.alpha * dt, r = hypot(X(m, 0), Y(m, 0));
  double worst = 0;
  for (int j = 0; j <= m->ny; j++)
    for (int i = 0; i <= m->nx; i++) {
      size_t n = nd(m, i, j);
      worst = fmax(worst, fabs(s->u[pl][0][n] - e * X(m, i)));
      worst = fmax(worst, fabs(s->u[pl][1][n] - e * Y(m, j)));
    }
  *wu = worst / (fabs(e) * r);
  worst = 0;
  for (size_t c = 0; c < (size_t)m->nx * m->ny; c++)
    worst = fmax(worst, fmax(fabs(s->sxx[pl][c]), fmax(fabs(s->syy[pl][c]), fabs(s->sxy[pl][c]))));
  *ws = worst / (ep(a) * fabs(e));
  cr_assert(*wu < 1e-9, "plate %d: displacement error %.3e of alpha dT r", pl, *wu);
  cr_assert(*ws < 1e-9, "plate %d: stress %.3e of E' alpha dT", pl, *ws);
}

Test(mechanics_inplane, free_expansion_exact) {
  Mesh m = mesh(20, 16, 0.013, 0.2, -0.05, 0.16);
  const size_t nc = (size_t)m.nx * m.ny;
  double *tref = malloc(nc * sizeof *tref), *tw = malloc(nc * sizeof *tw),
         *tp = malloc(nc * sizeof *tp);
  for (size_t c = 0; c < nc; c++) {
    tref[c] = 280.0 + 37.0 * sin(1.7 * c) + 0.01 * c; /* arbitrary, cell to cell */
    tw[c] = tref[c] + DT;
    tp[c] = tref[c] - 30.0;
  }
  double wu[4], ws[4];
  for (int variant = 0; variant < 2; variant++) {
    InplaneProblem p = problem(&m);
    p.plate[PLATE_WAFER] = plate(SI, DT);
    p.plate[PLATE_PCB] = plate(FR4, DT);
    double dtp = DT;
    if (variant) {
      p.t_ref_k = 1000.0; /* must not be used */
      p.plate[PLATE_WAFER].t_k = tw;
      p.plate[PLATE_WAFER].t_ref_k = tref;
      p.plate[PLATE_PCB].t_k = tp;
      p.plate[PLATE_PCB].t_ref_k = tref;
      dtp = -30.0;
    }
    InplaneSolution s;
    solve(&p, &s);
    cr_assert(s.u[PLATE_COLD][0] == NULL && s.sxx[PLATE_COLD] == NULL, "absent plate has output");
    check_free(&m, &s, PLATE_WAFER, SI, DT, &wu[2 * variant], &ws[2 * variant]);
    check_free(&m, &s, PLATE_PCB, FR4, dtp, &wu[2 * variant + 1], &ws[2 * variant + 1]);
    InplaneSolution_free(&s);
  }
  cr_log_info("free expansion: displacement errors %.2e %.2e (per-cell t_ref: %.2e %.2e), "
              "stresses %.2e %.2e (%.2e %.2e) relative",
              wu[0], wu[1], wu[2], wu[3], ws[0], ws[1], ws[2], ws[3]);
  free(tref);
  free(tw);
  free(tp);
  mesh_free(&m);
}

/* Soft connector: with k -> 0 the plates expand freely and the connector
 * shears by the mismatch, gamma = |u_pcb - u_wafer| / h_c -> (a2 - a1) dT DNP
 * / h_c at the corners, DNP the half diagonal (physics.md 8.3). The
 * connector's traction k s ~ k dalpha dT R loads the plates and reduces s by
 * a relative amount of order (beta R)^2, beta^2 = k (1/(E1'h1) + 1/(E2'h2))
 * (in 1-D, s(l) = dalpha dT tanh(beta l) / beta, a reduction of (beta l)^2 / 3
 * at the end of a half-length l; R = DNP bounds the 2-D lever). Oracle
 * checks: 0 < 1 - gamma/gamma_0 <= (beta R)^2 at all four corners with
 * (beta R)^2 = 1e-4, and the reduction is linear in k: doubling k doubles it
 * to within 1% (the next term is another (beta R)^2 ~ 1e-4 relative; the
 * margin is for the solver: the reduction is 1e-5 of s and the solver's
 * relative error is ~1e-10). The free-expansion part is exact for Q1, so the
 * grid does not enter. */
Test(mechanics_inplane, soft_connector_dnp_strain) {
  Mesh m = mesh(20, 20, 0.0, 0.2, 0.0, 0.2);
  const double R = hypot(0.1, 0.1), lam = 1 / (ep(SI) * SI.h) + 1 / (ep(FR4) * FR4.h);
  const double bR2 = 1e-4, k0 = bR2 / (R * R * lam);
  const double g0 = (FR4.alpha - SI.alpha) * DT * R / H_CONN;
  const int ci[4] = {0, m.nx, 0, m.nx}, cj[4] = {0, 0, m.ny, m.ny};
  double red[2][4];
  for (int t = 0; t < 2; t++) {
    InplaneProblem p = problem(&m);
    p.plate[PLATE_WAFER] = plate(SI, DT);
    p.plate[PLATE_PCB] = plate(FR4, DT);
    p.connector_k_pa_m = (t + 1) * k0;
    InplaneSolution s;
    solve(&p, &s);
    for (int c = 0; c < 4; c++) {
      double g = gap(&s, PLATE_PCB, nd(&m, ci[c], cj[c]), NULL, NULL) / H_CONN;
      red[t][c] = 1 - g / g0;
      cr_assert(red[t][c] > 0 && red[t][c] <= (t + 1) * bR2,
                "k %.3g Pa/m corner %d: gamma %.9g, DNP strain %.9g (reduction %.3e, bound %.1e)",
                p.connector_k_pa_m, c, g, g0, red[t][c], (t + 1) * bR2);
    }
    InplaneSolution_free(&s);
  }
  for (int c = 0; c < 4; c++)
    cr_assert(fabs(red[1][c] / red[0][c] - 2) < 0.02, "corner %d: reductions %.4e, %.4e (ratio %.4f)",
              c, red[0][c], red[1][c], red[1][c] / red[0][c]);
  cr_log_info("soft connector (k %.3g Pa/m, (beta R)^2 = %.0e): DNP strain %.5g, corner reduction "
              "%.3e, at 2k %.3e (ratio %.5f)",
              k0, bR2, g0, red[0][0], red[1][0], red[1][0] / red[0][0]);
  mesh_free(&m);
}

/* Stiff connector: far from the edges the plates are tied and share one
 * equibiaxial strain, eps = (E1'h1 a1 + E2'h2 a2) / (E1'h1 + E2'h2) dT
 * (zero net force per unit width), the wafer stress E1'(eps - a1 dT) both
 * ways and no shear; the PCB's E2'(eps - a2 dT). The uniform state is exact
 * for Q1. The edge layer decays as exp(-beta d) with beta^2 = k lambda,
 * lambda = sum (1 - nu^2)/(E h) the slowest (plane-stress longitudinal)
 * compliance: k = 1e14 Pa/m gives 1/beta = 0.77 mm, and the checked region
 * (>= 30 mm from every edge, beta d > 38) sees none of it; on the grid
 * (beta dx = 2.6) the discrete decay per cell is ~0.12, 15 cells: 1e-14.
 * Tolerance 1e-8 (solver-limited).
 *
 * That holds when the plates share one Poisson ratio (here the PCB takes the
 * wafer's 0.28). With different ratios the edge layer is not self-
 * equilibrated along the edge: across it the plates' N_xx change by -+N*
 * (N* = the interior plate force) at a common eps_yy, so the edge-parallel
 * forces change by nu_i dN_xx,i, a net (nu1 - nu2) N* per unit of the layer's
 * width 1/beta. That edge line force T ~ (nu1 - nu2) N* / beta pulls on the
 * corners like a band round the square and strains the whole interior by
 * ~ T / ((L/2) (E1'h1 + E2'h2) eps) relative: 4e-4 here, decaying only as
 * 1/(beta L). The second solve (the materials' own 0.28 and 0.2) checks the
 * interior against the shared strain to 2x that estimate. */
Test(mechanics_inplane, stiff_connector_shared_strain) {
  Mesh m = mesh(50, 50, 0.0, 0.1, 0.0, 0.1);
  double du[2][2], ds[2][2], est = 0;
  for (int t = 0; t < 2; t++) {
    Mat q = FR4;
    if (t == 0) q.nu = SI.nu;
    InplaneProblem p = problem(&m);
    p.plate[PLATE_WAFER] = plate(SI, DT);
    p.plate[PLATE_PCB] = plate(q, DT);
    p.connector_k_pa_m = 1e14;
    InplaneSolution s;
    solve(&p, &s);
    const double a1 = ep(SI) * SI.h, a2 = ep(q) * q.h;
    const double eps = (a1 * SI.alpha + a2 * q.alpha) / (a1 + a2) * DT;
    const double s1 = ep(SI) * (eps - SI.alpha * DT);
    const double s2 = ep(q) * (eps - q.alpha * DT);
    interior_dev(&m, &s, PLATE_WAFER, eps, s1, 0.03, &du[t][0], &ds[t][0]);
    interior_dev(&m, &s, PLATE_PCB, eps, s2, 0.03, &du[t][1], &ds[t][1]);
    cr_assert(s1 > 0 && s2 < 0);
    if (t == 1) {
      const double lam = (1 - SI.nu * SI.nu) / (SI.e * SI.h) + (1 - q.nu * q.nu) / (q.e * q.h);
      const double beta = sqrt(1e14 * lam), T = fabs(SI.nu - q.nu) * s1 * SI.h / beta;
      est = T / (0.05 * (a1 + a2) * eps);
    }
    InplaneSolution_free(&s);
  }
  cr_log_info("stiff connector, equal nu: interior "
              "deviations u %.2e %.2e, stress %.2e %.2e; own nu: u %.2e %.2e, stress %.2e %.2e "
              "(edge line force estimate %.1e)",
              du[0][0], du[0][1], ds[0][0], ds[0][1], du[1][0], du[1][1], ds[1][0],
              ds[1][1], est);
  cr_assert(du[0][0] < 1e-8 && du[0][1] < 1e-8, "equal nu: displacements off the shared strain by "
            "%.3e, %.3e", du[0][0], du[0][1]);
  cr_assert(ds[0][0] < 1e-8 && ds[0][1] < 1e-8, "equal nu: stresses off by %.3e, %.3e", ds[0][0],
            ds[0][1]);
  for (int k = 0; k < 2; k++)
    cr_assert(du[1][k] < 2 * est && ds[1][k] < 2 * est,
              "own nu: interior off the shared state by %.3e (u), %.3e (stress), estimate %.2e",
              du[1][k], ds[1][k], est);
  mesh_free(&m);
}

/* ---- 1-D shear lag --------------------------------------------------------------
 * Strip -L/2 < x < L/2, nu = 0 in both plates, uniform dT. Plate i carries
 * N_i = E_i h_i (u_i' - a_i dT); the connector pulls the wafer (1) with
 * k s, s = u2 - u1 (PCB minus wafer):
 *   N1' + k s = 0,   N2' - k s = 0   =>   N1 + N2 = const = 0 (free ends),
 *   s' = u2' - u1' = N2/(E2h2) - N1/(E1h1) + (a2 - a1) dT = D - lambda N1,
 * with D = (a2 - a1) dT, lambda = 1/(E1h1) + 1/(E2h2); differentiating,
 * s'' = -lambda N1' = beta^2 s, beta^2 = k lambda. s is odd, N1(+-L/2) = 0
 * gives s'(L/2) = D:
 *   s(x)  = D sinh(beta x) / (beta cosh(beta L/2)),
 *   N1(x) = (D / lambda) (1 - cosh(beta x) / cosh(beta L/2)).
 * D > 0 (PCB expands more): the wafer is stretched (N1 > 0), the PCB outruns
 * it towards the ends (s > 0 for x > 0).
 *
 * With nu = 0 the x and y problems decouple exactly, also on the grid: for
 * u = u(x) and v = v(y) the Q1 shear strain du/dy + dv/dx vanishes, every row
 * of nodes carries the 1-D linear-element problem with lumped springs,
 *   s_{i+1} - 2 s_i + s_{i-1} = b^2 s_i,   b = beta dx,
 * and at the end node (half area) s_N - s_{N-1} + b^2 s_N / 2 = dx D. With
 * cosh mu = 1 + b^2/2 its solution (i from the centre, N = nx/2) is
 *   s_i = dx D sinh(mu i) / (sinh mu cosh(mu N)),
 *   N1 in the cell (i, i+1) = (D/lambda)(1 - cosh(mu (i+1/2)) / (cosh(mu/2) cosh(mu N))):
 * the solver must match it to solver precision (1e-9 of the peak). Against
 * the continuum, since sinh mu = b sqrt(1 + b^2/4), the edge peak is
 *   s_N / s(L/2) = (1 + b^2/4)^(-1/2) tanh(mu N) / tanh(beta L/2) = 1 - b^2/8 + O(b^4),
 * and one decay length in, s at L/2 - 1/beta is off by 1 - b^2/12 + O(b^4)
 * (the discrete decay rate mu/dx = beta (1 - b^2/24)). Both are bounded by
 * b^2/8, second order: checked on three grids (b = 0.5, 0.25, 0.125), with
 * the observed orders of both errors within 0.1 of 2. */
typedef struct {
  double peak_err, decay_err, b, plateau_err, discrete_err;
} StripResult;

static StripResult strip_shear_lag(int nx) {
  const Mat w = nu0(SI), q = nu0(FR4);
  const double L = 0.2, W = 2e-3, lam = 1 / (w.e * w.h) + 1 / (q.e * q.h);
  const double beta = 100.0, k = beta * beta / lam, D = (q.alpha - w.alpha) * DT;
  Mesh m = mesh(nx, 2, -0.1, L, 0.0, W);
  InplaneProblem p = problem(&m);
  p.plate[PLATE_WAFER] = plate(w, DT);
  p.plate[PLATE_PCB] = plate(q, DT);
  p.connector_k_pa_m = k;
  InplaneSolution s;
  solve(&p, &s);
  const int N = nx / 2;
  const double dx = L / nx, b = beta * dx, mu = acosh(1 + 0.5 * b * b);
  /* exact discrete solution, every row */
  double worst = 0, speak = dx * D * tanh(mu * N) / sinh(mu);
  for (int j = 0; j <= m.ny; j++)
    for (int i = 0; i <= nx; i++) {
      double si = dx * D * sinh(mu * (i - N)) / (sinh(mu) * cosh(mu * N));
      double gx;
      gap(&s, PLATE_PCB, nd(&m, i, j), &gx, NULL);
      worst = fmax(worst, fabs(gx - si) / speak);
    }
  double nworst = 0;
  for (int j = 0; j < m.ny; j++)
    for (int i = 0; i < nx; i++) {
      double n1 = D / lam * (1 - cosh(mu * (i - N + 0.5)) / (cosh(0.5 * mu) * cosh(mu * N)));
      nworst = fmax(nworst, fabs(s.sxx[PLATE_WAFER][cl(&m, i, j)] * w.h - n1) / (D / lam));
    }
  cr_assert(worst < 1e-9 && nworst < 1e-9,
            "nx %d: off the exact discrete shear lag by %.3e (slip), %.3e (wafer force)", nx, worst,
            nworst);
  /* continuum: edge peak, one decay length in, the plateau */
  StripResult r = {.b = b, .discrete_err = fmax(worst, nworst)};
  const int jm = m.ny / 2, in = (int)lround(1 / (beta * dx));
  const double s_edge = s.u[PLATE_PCB][0][nd(&m, nx, jm)] - s.u[PLATE_WAFER][0][nd(&m, nx, jm)];
  const double s_in =
      s.u[PLATE_PCB][0][nd(&m, nx - in, jm)] - s.u[PLATE_WAFER][0][nd(&m, nx - in, jm)];
  const double peak = D * tanh(beta * L / 2) / beta;
  const double at1 = D * sinh(beta * L / 2 - 1) / (beta * cosh(beta * L / 2));
  r.peak_err = (s_edge / H_CONN) / (peak / H_CONN) - 1;
  r.decay_err = s_in / at1 - 1;
  const double n_mid = D / lam * (1 - cosh(beta * 0.5 * dx) / cosh(beta * L / 2));
  r.plateau_err = fabs(s.sxx[PLATE_WAFER][cl(&m, N, jm)] * w.h / n_mid - 1);
  cr_assert(fabs(in * dx * beta - 1) < 1e-9, "1/beta must be whole cells");
  cr_assert(s_edge > 0, "PCB must outrun the wafer at +L/2");
  cr_assert(fabs(r.peak_err) <= b * b / 8 && fabs(r.decay_err) <= b * b / 8,
            "nx %d (beta dx %.3f): edge peak strain %.6e vs %.6e (error %.3e), at 1/beta inside "
            "%.6e vs %.6e (error %.3e); bound b^2/8 = %.3e",
            nx, b, s_edge / H_CONN, peak / H_CONN, r.peak_err, s_in, at1, r.decay_err, b * b / 8);
  /* The plateau D/lambda is exact (a uniform strain); only the edge term,
   * below 1/cosh(beta L/2) = 9e-5 in both, can differ. */
  cr_assert(r.plateau_err < 2 / cosh(beta * L / 2), "nx %d: plateau off by %.3e", nx, r.plateau_err);
  InplaneSolution_free(&s);
  mesh_free(&m);
  return r;
}

Test(mechanics_inplane, shear_lag_strip) {
  StripResult r[3] = {strip_shear_lag(40), strip_shear_lag(80), strip_shear_lag(160)};
  const double o1 = log2(r[0].peak_err / r[1].peak_err), o2 = log2(r[1].peak_err / r[2].peak_err);
  const double d1 = log2(r[0].decay_err / r[1].decay_err),
               d2 = log2(r[1].decay_err / r[2].decay_err);
  cr_log_info("shear lag: beta dx %.3f %.3f %.3f; edge peak errors %.3e %.3e %.3e (order %.3f "
              "%.3f); 1/beta inside %.3e %.3e %.3e (order %.3f %.3f); plateau %.1e %.1e %.1e; "
              "discrete %.1e %.1e %.1e",
              r[0].b, r[1].b, r[2].b, r[0].peak_err, r[1].peak_err, r[2].peak_err, o1, o2,
              r[0].decay_err, r[1].decay_err, r[2].decay_err, d1, d2, r[0].plateau_err,
              r[1].plateau_err, r[2].plateau_err, r[0].discrete_err, r[1].discrete_err,
              r[2].discrete_err);
  cr_assert(fabs(o1 - 2) < 0.1 && fabs(o2 - 2) < 0.1 && fabs(d1 - 2) < 0.1 && fabs(d2 - 2) < 0.1,
            "observed orders %.3f %.3f (peak), %.3f %.3f (decay)", o1, o2, d1, d2);
}

/* Symmetry: a square pair on a centred grid, uniform dT, a connector of
 * moderate stiffness (beta L ~ 3, edge layers that overlap), nu != 0. The
 * problem is symmetric under x -> -x, y -> -y and x <-> y, and so is the
 * discrete one (uniform grid, pins on the symmetry lines). The four corner
 * connector strains must agree to 1e-9 relative and the displacement fields
 * mirror to 1e-9 of the largest displacement (solver-limited). */
Test(mechanics_inplane, square_pair_symmetry) {
  Mesh m = mesh(40, 40, 0.0, 0.1, 0.0, 0.1);
  InplaneProblem p = problem(&m);
  p.plate[PLATE_WAFER] = plate(SI, DT);
  p.plate[PLATE_PCB] = plate(FR4, DT);
  p.connector_k_pa_m = 5e10;
  InplaneSolution s;
  solve(&p, &s);
  const int n = m.nx;
  double g[4] = {gap(&s, PLATE_PCB, nd(&m, 0, 0), NULL, NULL) / H_CONN,
                 gap(&s, PLATE_PCB, nd(&m, n, 0), NULL, NULL) / H_CONN,
                 gap(&s, PLATE_PCB, nd(&m, 0, n), NULL, NULL) / H_CONN,
                 gap(&s, PLATE_PCB, nd(&m, n, n), NULL, NULL) / H_CONN};
  double spread = 0;
  for (int c = 1; c < 4; c++) spread = fmax(spread, fabs(g[c] / g[0] - 1));
  double umax = 0, mx = 0, my = 0, md = 0;
  for (int pl = 0; pl < 2; pl++) {
    const double *u = s.u[pl][0], *v = s.u[pl][1];
    for (size_t q = 0; q < nodes(&m); q++) umax = fmax(umax, fmax(fabs(u[q]), fabs(v[q])));
    for (int j = 0; j <= n; j++)
      for (int i = 0; i <= n; i++) {
        size_t a = nd(&m, i, j), bx = nd(&m, n - i, j), by = nd(&m, i, n - j), t = nd(&m, j, i);
        mx = fmax(mx, fmax(fabs(u[a] + u[bx]), fabs(v[a] - v[bx])));
        my = fmax(my, fmax(fabs(u[a] - u[by]), fabs(v[a] + v[by])));
        md = fmax(md, fmax(fabs(u[a] - v[t]), fabs(v[a] - u[t])));
      }
  }
  mx /= umax;
  my /= umax;
  md /= umax;
  const double free_g = (FR4.alpha - SI.alpha) * DT * hypot(0.05, 0.05) / H_CONN;
  cr_log_info("symmetry: corner strains %.9e (%.3f of the free DNP strain), spread %.2e; mirror "
              "x %.2e, y %.2e, diagonal %.2e",
              g[0], g[0] / free_g, spread, mx, my, md);
  cr_assert(g[0] > 0.05 * free_g && g[0] < 0.95 * free_g, "connector not moderate: %.3f of free",
            g[0] / free_g);
  cr_assert(spread < 1e-9, "corner strains %.12e %.12e %.12e %.12e", g[0], g[1], g[2], g[3]);
  cr_assert(mx < 1e-9 && my < 1e-9 && md < 1e-9, "asymmetry x %.3e, y %.3e, diagonal %.3e", mx, my,
            md);
  InplaneSolution_free(&s);
  mesh_free(&m);
}

/* ---- an independent Q1 element ----------------------------------------------
 * Plate pl's nodal force f = K u - f_th from the textbook bilinear rectangle
 * (2 x 2 Gauss, exact on rectangles; plane stress; the cell's thermal strain
 * alpha (T - T_ref), T and T_ref per cell or uniform). At a free node with
 * no spring f is 0 (equilibrium); where a spring acts, f is the force the
 * spring puts on the plate. Returns the largest nodal thermal load |f_th|. */
static double plate_force(const Mesh *m, const InplaneProblem *p, int pl, const InplaneSolution *s,
                          double *fx, double *fy) {
  static const double XI[4] = {-1, 1, 1, -1}, ET[4] = {-1, -1, 1, 1};
  const InplanePlate *P = &p->plate[pl];
  const double f = P->e_pa / (1 - P->nu * P->nu), g = 1 / sqrt(3.0), G = P->e_pa / (2 * (1 + P->nu));
  const size_t nn = nodes(m);
  double *tx = calloc(nn, sizeof *tx), *ty = calloc(nn, sizeof *ty);
  memset(fx, 0, nn * sizeof *fx);
  memset(fy, 0, nn * sizeof *fy);
  for (int j = 0; j < m->ny; j++)
    for (int i = 0; i < m->nx; i++) {
      const size_t c = cl(m, i, j);
      const double t = P->t_k ? P->t_k[c] : P->t_uniform_k;
      const double tr = P->t_ref_k ? P->t_ref_k[c] : p->t_ref_k, eth = P->alpha_per_k * (t - tr);
      const double a = m->x[i + 1] - m->x[i], b = m->y[j + 1] - m->y[j], w = 0.25 * a * b * P->h_m;
      const size_t n4[4] = {nd(m, i, j), nd(m, i + 1, j), nd(m, i + 1, j + 1), nd(m, i, j + 1)};
      for (int q = 0; q < 4; q++) {
        const double xi = g * XI[q], et = g * ET[q];
        double dx[4], dy[4], exx = 0, eyy = 0, gxy = 0;
        for (int k = 0; k < 4; k++) { /* N_k = (1 + xi xi_k)(1 + eta eta_k) / 4 */
          dx[k] = XI[k] * (1 + ET[k] * et) / (2 * a);
          dy[k] = ET[k] * (1 + XI[k] * xi) / (2 * b);
          exx += dx[k] * s->u[pl][0][n4[k]];
          eyy += dy[k] * s->u[pl][1][n4[k]];
          gxy += dy[k] * s->u[pl][0][n4[k]] + dx[k] * s->u[pl][1][n4[k]];
        }
        const double sxx = f * (exx + P->nu * eyy), syy = f * (eyy + P->nu * exx), sxy = G * gxy;
        const double sth = f * (1 + P->nu) * eth; /* D (eth, eth, 0), both normal components */
        for (int k = 0; k < 4; k++) {
          fx[n4[k]] += w * (dx[k] * sxx + dy[k] * sxy);
          fy[n4[k]] += w * (dy[k] * syy + dx[k] * sxy);
          tx[n4[k]] += w * dx[k] * sth;
          ty[n4[k]] += w * dy[k] * sth;
        }
      }
    }
  double big = 0;
  for (size_t q = 0; q < nn; q++) {
    fx[q] -= tx[q];
    fy[q] -= ty[q];
    big = fmax(big, fmax(fabs(tx[q]), fabs(ty[q])));
  }
  free(tx);
  free(ty);
  return big;
}

/* Manufactured stress-free state: one plate, alpha (T - T_ref) = a (x^2 - y^2)
 * from the centre. The thermal strain is compatible (the Saint-Venant
 * condition d2exx/dy2 + d2eyy/dx2 = -2a + 2a = 0 holds, gamma = 0), so the
 * exact state is stress-free with u = a (x^3/3 - x y^2), v = a (x^2 y - y^3/3)
 * (exx = eyy = a (x^2 - y^2), du/dy + dv/dx = -2axy + 2axy = 0), which also
 * meets the pins (u = v = 0 at the centre, v = 0 on y = 0). Each cell gets the
 * cell mean of the temperature (for square cells the dx^2/12 terms of x^2
 * and y^2 cancel). Grids of 16, 32, 64 cells a side.
 *
 * First, the solution must satisfy the textbook Q1 equations with those
 * cell strains (plate_force, an independent assembly) at every unpinned
 * node: 1e-9 of the largest nodal thermal load (PCG residual 1e-12 in the
 * 2-norm, ~n times that per node).
 *
 * Orders. The cell-constant thermal strain misses the linear part of the
 * exact one, eth - mean = 2a [xc (x - xc) - yc (y - yc)] + zero-mean
 * quadratics. Against a Q1 test field (exx = b + d (y - yc), eyy = c +
 * d' (x - xc) in a cell) only the products with d and d' survive: the load
 * is off by (h^2/12) 2a E' t (xc d' - yc d) h^2 per cell, d, d' the discrete
 * mixed derivatives. Summed by parts over the cells this is O(h^2) line
 * forces along the edges plus O(h^2) point forces at the four corners. So
 *   - in L2, and at nodes away from the corners (|x|, |y| <= L/4), the
 *     nodal error is O(h^2): order 2 +- 0.2, and so is the cell-centre
 *     stress there;
 *   - a point force F moves its node by O(F ln(L/h)) on a Q1 mesh, so the
 *     largest nodal error (at a corner) is O(h^2 ln(L/h)), observed order
 *     2 - log2(ln 2n / ln n) = 1.678 (16 -> 32), 1.737 (32 -> 64): checked to
 *     0.1 (the log's constant is unknown);
 *   - the stress under a corner point force is O(F / h) = O(h): the largest
 *     stress has order 1 +- 0.2. */
typedef struct {
  double umax, ul2, uin, smax, sin, resid; /* errors; see mms() */
  double wx, wy;                          /* where the largest nodal error is, from the centre */
} MmsResult;

static MmsResult mms(int n) {
  const double Lx = 0.1, a = 0.4; /* a (x^2 - y^2) up to 1e-3 at the corners */
  Mesh m = mesh(n, n, 0.02, Lx, -0.03, Lx);
  const size_t nc = (size_t)n * n, nn = nodes(&m);
  double *t = malloc(nc * sizeof *t);
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) {
      double x0 = X(&m, i), x1 = X(&m, i + 1), y0 = Y(&m, j), y1 = Y(&m, j + 1);
      double mx2 = (x1 * x1 * x1 - x0 * x0 * x0) / (3 * (x1 - x0));
      double my2 = (y1 * y1 * y1 - y0 * y0 * y0) / (3 * (y1 - y0));
      t[cl(&m, i, j)] = T_REF + a * (mx2 - my2) / SI.alpha;
    }
  InplaneProblem p = problem(&m);
  p.plate[PLATE_WAFER] = plate(SI, 0);
  p.plate[PLATE_WAFER].t_k = t;
  InplaneSolution s;
  solve(&p, &s);
  MmsResult r = {0};
  double umax = 0, l2 = 0, ul2 = 0;
  for (int j = 0; j <= n; j++)
    for (int i = 0; i <= n; i++) {
      double x = X(&m, i), y = Y(&m, j);
      double ux = a * (x * x * x / 3 - x * y * y), uy = a * (x * x * y - y * y * y / 3);
      size_t q = nd(&m, i, j);
      double e = hypot(s.u[PLATE_WAFER][0][q] - ux, s.u[PLATE_WAFER][1][q] - uy);
      if (e > r.umax) {
        r.umax = e;
        r.wx = x;
        r.wy = y;
      }
      if (fabs(x) <= Lx / 4 && fabs(y) <= Lx / 4) r.uin = fmax(r.uin, e);
      umax = fmax(umax, hypot(ux, uy));
      l2 += e * e;
      ul2 += ux * ux + uy * uy;
    }
  r.ul2 = sqrt(l2 / ul2);
  r.umax /= umax;
  r.uin /= umax;
  const double sref = ep(SI) * a * 0.05 * 0.05; /* E' times the largest thermal strain */
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) {
      size_t c = cl(&m, i, j);
      double vm = Inplane_von_mises(s.sxx[PLATE_WAFER][c], s.syy[PLATE_WAFER][c], s.sxy[PLATE_WAFER][c]);
      r.smax = fmax(r.smax, vm / sref);
      if (fabs(XC(&m, i)) <= Lx / 4 && fabs(YC(&m, j)) <= Lx / 4) r.sin = fmax(r.sin, vm / sref);
    }
  /* the textbook Q1 equations hold at every node but the three pinned
   * components (centre node, and y at the right end of the centre row) */
  double *fx = malloc(nn * sizeof *fx), *fy = malloc(nn * sizeof *fy);
  const double big = plate_force(&m, &p, PLATE_WAFER, &s, fx, fy);
  const size_t pc = nd(&m, n / 2, n / 2), pr = nd(&m, n, n / 2);
  for (size_t q = 0; q < nn; q++) {
    if (q != pc) r.resid = fmax(r.resid, fabs(fx[q]) / big);
    if (q != pc && q != pr) r.resid = fmax(r.resid, fabs(fy[q]) / big);
  }
  free(fx);
  free(fy);
  InplaneSolution_free(&s);
  free(t);
  mesh_free(&m);
  return r;
}

Test(mechanics_inplane, manufactured_second_order) {
  MmsResult r[3] = {mms(16), mms(32), mms(64)};
  double o[2], l[2], oi[2], so[2], si[2];
  for (int g = 0; g < 2; g++) {
    o[g] = log2(r[g].umax / r[g + 1].umax);
    l[g] = log2(r[g].ul2 / r[g + 1].ul2);
    oi[g] = log2(r[g].uin / r[g + 1].uin);
    so[g] = log2(r[g].smax / r[g + 1].smax);
    si[g] = log2(r[g].sin / r[g + 1].sin);
  }
  for (int g = 0; g < 3; g++)
    cr_log_info("MMS %d cells: max nodal error %.3e at (%.4f, %.4f), L2 %.3e, central %.3e; "
                "largest stress %.3e, central %.3e of E' eps_max; Q1 residual %.1e",
                16 << g, r[g].umax, r[g].wx, r[g].wy, r[g].ul2, r[g].uin, r[g].smax, r[g].sin,
                r[g].resid);
  cr_log_info("MMS orders: max %.3f %.3f, L2 %.3f %.3f, central %.3f %.3f; stress max %.3f %.3f, "
              "central %.3f %.3f",
              o[0], o[1], l[0], l[1], oi[0], oi[1], so[0], so[1], si[0], si[1]);
  for (int g = 0; g < 3; g++)
    cr_assert(r[g].resid < 1e-9, "%d cells: the solution leaves a Q1 residual of %.3e", 16 << g,
              r[g].resid);
  for (int g = 0; g < 2; g++) {
    const double n = 16 << g, corner = 2 - log2(log(2 * n) / log(n));
    cr_assert(r[g + 1].umax < r[g].umax && r[g + 1].smax < r[g].smax);
    cr_assert(l[g] > 1.8 && l[g] < 2.2, "L2 displacement order %.3f", l[g]);
    cr_assert(oi[g] > 1.8 && oi[g] < 2.2, "central max displacement order %.3f", oi[g]);
    cr_assert(si[g] > 1.8 && si[g] < 2.2, "central stress order %.3f", si[g]);
    cr_assert(fabs(o[g] - corner) < 0.1, "max displacement order %.3f, corner point loads give %.3f",
              o[g], corner);
    cr_assert(so[g] > 0.8 && so[g] < 1.2, "largest stress order %.3f (corner: 1)", so[g]);
  }
}

/* ==== friction ================================================================== */

/* (a) mu = 0 (friction contact with no friction): the same as slip, and slip
 * is each plate's free expansion (exact for Q1): 1e-9 of alpha dT r. */
Test(mechanics_friction, zero_mu_equals_slip) {
  Mesh m = mesh(24, 24, 0.0, 0.12, 0.0, 0.12);
  InplaneSolution s[2];
  for (int t = 0; t < 2; t++) {
    InplaneProblem p = problem(&m);
    p.plate[PLATE_WAFER] = plate(SI, DT);
    p.plate[PLATE_COLD] = plate(CU, DT);
    p.contact = t ? INPLANE_FRICTION : INPLANE_SLIP;
    p.friction_coeff = 0.0;
    p.preload_pa = 1e6;
    solve(&p, &s[t]);
  }
  double wu, ws, cu, cs, d = 0;
  check_free(&m, &s[1], PLATE_WAFER, SI, DT, &wu, &ws);
  check_free(&m, &s[1], PLATE_COLD, CU, DT, &cu, &cs);
  for (int pl = 0; pl < INPLANE_PLATES; pl += 2)
    for (int c = 0; c < 2; c++)
      for (size_t q = 0; q < nodes(&m); q++)
        d = fmax(d, fabs(s[1].u[pl][c][q] - s[0].u[pl][c][q]));
  d /= CU.alpha * DT * hypot(0.06, 0.06);
  cr_log_info("mu = 0: free-expansion errors wafer %.2e, cold plate %.2e; friction vs slip %.2e", wu,
              cu, d);
  cr_assert(d < 1e-9, "mu = 0 differs from slip by %.3e", d);
  InplaneSolution_free(&s[0]);
  InplaneSolution_free(&s[1]);
  mesh_free(&m);
}

/* (b) mu p = 1e9 Pa: far above any traction the tie needs (the edge node
 * takes the plateau force N ~ 8e4 N/m over half a cell, ~3e7 Pa, twice that
 * at a corner), so every node sticks: |slip| <= stick_slip_m everywhere,
 * stuck_nodes = all. And the interior is the tied pair's shared
 * strain, as with a stiff connector (the stuck spring mu p / s_stick =
 * 1e17 Pa/m): exactly so when the plates share a Poisson ratio (see
 * stiff_connector_shared_strain), so that check runs with copper at the
 * wafer's nu, >= 15 mm inside, to 1e-9 (the penalty spring makes the system
 * stiffer than the connector's: cond ~ k dx^2 / (E'h) * n^2 ~ 1e7 at worst,
 * times the 1e-12 residual, 1e-5, is the rigorous bound; the smooth
 * interior modes converge far better, measured ~1e-11). */
Test(mechanics_friction, huge_friction_sticks) {
  Mesh m = mesh(20, 20, 0.0, 0.1, 0.0, 0.1);
  const double ss = 1e-8; /* the default stick_slip_m */
  double smax = 0, du[2] = {0}, ds[2] = {0};
  for (int t = 0; t < 2; t++) {
    Mat cu = CU;
    if (t == 1) cu.nu = SI.nu;
    InplaneProblem p = problem(&m);
    p.plate[PLATE_WAFER] = plate(SI, DT);
    p.plate[PLATE_COLD] = plate(cu, DT);
    p.contact = INPLANE_FRICTION;
    p.friction_coeff = 0.5;
    p.preload_pa = 2e9;
    InplaneSolution s;
    solve(&p, &s);
    smax = 0;
    for (size_t q = 0; q < nodes(&m); q++) smax = fmax(smax, gap(&s, PLATE_COLD, q, NULL, NULL));
    cr_log_info("huge friction (copper nu %.2f): largest slip %.3e m (stick %.0e), %d of %zu stuck, "
                "%d passes, %d PCG its",
                cu.nu, smax, ss, s.stuck_nodes, nodes(&m), s.contact_iters, s.linear_iters);
    cr_assert(smax <= ss, "largest slip %.3e m above the stick slip %.1e m", smax, ss);
    cr_assert_eq((size_t)s.stuck_nodes, nodes(&m));
    if (t == 1) {
      const double a1 = ep(SI) * SI.h, a2 = ep(cu) * cu.h;
      const double eps = (a1 * SI.alpha + a2 * cu.alpha) / (a1 + a2) * DT;
      interior_dev(&m, &s, PLATE_WAFER, eps, ep(SI) * (eps - SI.alpha * DT), 0.015, &du[0], &ds[0]);
      interior_dev(&m, &s, PLATE_COLD, eps, ep(cu) * (eps - cu.alpha * DT), 0.015, &du[1], &ds[1]);
    }
    InplaneSolution_free(&s);
  }
  cr_log_info("huge friction, equal nu: interior vs tied u %.2e %.2e, stress %.2e %.2e", du[0], du[1],
              ds[0], ds[1]);
  cr_assert(du[0] < 1e-9 && du[1] < 1e-9 && ds[0] < 1e-9 && ds[1] < 1e-9,
            "interior off the tied state: u %.3e %.3e, stress %.3e %.3e", du[0], du[1], ds[0], ds[1]);
  mesh_free(&m);
}

/* Bound on a node's traction error from the friction iteration's stopping
 * point. Each pass sets k = mu p / max(|s_old|, s_stick) and solves, so the
 * traction is mu p |s| / max(|s_old|, s_stick); contact_change c is the
 * largest |max(|s_old|, s_stick) - max(|s|, s_stick)| over the largest slip
 * smax (inplane.h). Hence, with m = max(|s|, s_stick),
 *   |t| / (mu p) <= m / (m - c smax)         (never above mu p but for c),
 *   |t| / (mu p) >= |s| / (m + c smax)       (a slipping node carries mu p).
 * Returns the relative excess allowed above mu p (HUGE_VAL if unbounded). */
static double irls_over(double sn, double ss, double c, double smax) {
  const double mm = fmax(sn, ss);
  return mm > c * smax ? c * smax / (mm - c * smax) : HUGE_VAL;
}

/* (c) a moderate mu p (3 MPa; the slip zone reaches ~ D/(lambda mu p) = 25 mm
 * into a 100 mm square). The contact force on wafer node n, f_n, is the
 * wafer's own nodal force (plate_force; the pins carry none: three
 * constraints on a free body), i.e. exactly k_eff * slip * area_n with the
 * solver's last springs. Checks:
 *   - consistency with the documented iteration (irls_over): |f_n| <=
 *     mu p area_n (1 + over_n + 1e-6), and at slipping nodes >= mu p area_n
 *     (1 - under_n - 1e-6), directed along the slip (u_cold - u_wafer pulls
 *     the wafer) to 1e-6 of mu p area_n; 1e-6 covers the linear solves
 *     (residual 1e-12 of a load ~1e3 N against mu p area_n ~ 30 N);
 *   - the Coulomb cap itself: the regularised law the passes converge to
 *     never exceeds mu p (mu p |s| / max(|s|, s_stick)), so any excess is
 *     the friction iteration stopping early. Required: |f_n| <= 1.01 mu p
 *     area_n at every node, ten times the iteration's own settle threshold
 *     (contact_change < 1e-3, read as the contact state's accuracy). */
Test(mechanics_friction, traction_bounded_by_mu_p) {
  Mesh m = mesh(32, 32, 0.0, 0.1, 0.0, 0.1);
  InplaneProblem p = problem(&m);
  p.plate[PLATE_WAFER] = plate(SI, DT);
  p.plate[PLATE_COLD] = plate(CU, DT);
  p.contact = INPLANE_FRICTION;
  p.friction_coeff = 0.3;
  p.preload_pa = 1e7;
  const double mup = 3e6, ss = 1e-8;
  InplaneSolution s;
  solve(&p, &s);
  cr_assert(s.contact_change < 1e-3, "friction not settled: change %.3e", s.contact_change);
  const size_t nn = nodes(&m);
  double *fx = malloc(nn * sizeof *fx), *fy = malloc(nn * sizeof *fy);
  plate_force(&m, &p, PLATE_WAFER, &s, fx, fy);
  double smax = 0;
  for (size_t q = 0; q < nn; q++) smax = fmax(smax, gap(&s, PLATE_COLD, q, NULL, NULL));
  const double c = s.contact_change;
  int slipping = 0, stuck = 0, over_1pc = 0, wi = 0, wj = 0;
  double worst_over = -1, worst_slip = 0, worst_dir = 0, wslip = 0;
  for (int j = 0; j <= m.ny; j++)
    for (int i = 0; i <= m.nx; i++) {
      const size_t q = nd(&m, i, j);
      double gx, gy, sn = gap(&s, PLATE_COLD, q, &gx, &gy);
      const double cap = mup * node_area(&m, i, j), t = hypot(fx[q], fy[q]);
      const double over = irls_over(sn, ss, c, smax);
      if (t / cap - 1 > worst_over) {
        worst_over = t / cap - 1;
        wi = i;
        wj = j;
        wslip = sn;
      }
      over_1pc += t > 1.01 * cap;
      cr_assert(t <= cap * (1 + over + 1e-6),
                "node (%d,%d): contact force %.6g N above mu p area %.6g N (slip %.3e m, "
                "allowance %.2e)",
                i, j, t, cap, sn, over);
      if (sn > ss) {
        slipping++;
        const double under = c * smax / (sn + c * smax);
        worst_slip = fmax(worst_slip, fabs(t / cap - 1));
        cr_assert(t >= cap * (1 - under - 1e-6),
                  "slipping node (%d,%d): contact force %.6g N below mu p area %.6g N (slip %.3e)",
                  i, j, t, cap, sn);
        const double along = (fx[q] * gx + fy[q] * gy) / sn, across = fabs(fx[q] * gy - fy[q] * gx) / sn;
        worst_dir = fmax(worst_dir, across / cap);
        cr_assert(along > 0 && across < 1e-6 * cap,
                  "node (%d,%d): force (%.4g, %.4g) N not along the slip (%.3e, %.3e)", i, j,
                  fx[q], fy[q], gx, gy);
      } else {
        stuck++;
      }
    }
  cr_log_info("friction mu p %.0e Pa: %d slipping, %d stuck nodes (solver says %d stuck), %d passes, "
              "change %.1e; largest force/(mu p area) - 1 = %.2e, slipping nodes within %.2e of mu p, "
              "off-slip direction %.1e",
              mup, slipping, stuck, s.stuck_nodes, s.contact_iters, c, worst_over, worst_slip,
              worst_dir);
  cr_assert(slipping > 0 && stuck > 0, "want both zones: %d slipping, %d stuck", slipping, stuck);
  cr_assert_eq(stuck, s.stuck_nodes);
  cr_assert(over_1pc == 0,
            "Coulomb cap: %d of %zu nodes carry more than 1.01 mu p; worst node (%d,%d) at %.4f mu p "
            "(slip %.3e m, stick slip %.0e m) after %d passes, contact_change %.2e",
            over_1pc, nn, wi, wj, 1 + worst_over, wslip, ss, s.contact_iters, c);
  free(fx);
  free(fy);
  InplaneSolution_free(&s);
  mesh_free(&m);
}

/* (d) A nu = 0 strip, wafer on copper, uniform dT: the copper expands more
 * and drags the wafer outwards, traction mu p where it slips. The wafer's
 * section force F(x) = sum over the cell row of h sxx dy (Q1: exx is constant
 * along x in a cell and linear in y, so the cell-centre value times dy is
 * the exact section integral) balances the contact forces outboard of the
 * cut exactly (nodal equilibrium, lumped areas summing to W (L/2 - |x|)):
 *   F(x) = mu p W (L/2 - |x|)          where every node outboard slips,
 *   F = W D / lambda                  in a stuck centre (the tied plateau,
 *                                      D = (a2 - a1) dT, lambda = 1/(E1h1) + 1/(E2h2)),
 * the slip zone reaching d = D / (lambda mu p) from the ends.
 * Case 1: mu p = 0.5 * 2 D / (lambda L) (d = L: slips everywhere but the
 * centre node). Case 2: mu p = 2 * 2 D / (lambda L) (d = L/4, a stuck centre).
 * Allowances: the iteration's bound (irls_over, summed over the outboard
 * nodes), the share of mu p that Coulomb's isotropic law spends on the y
 * slip, 1 - |s_x| / |s| per node (the strip is 20 um wide, so |s_y| <=
 * D W / 2 = 7e-9 m and the share is negligible where |s_x| >> 1e-8 m), and
 * 1e-7 for the solver. In case 2 the centre cell must carry the plateau to
 * 1e-6: the stuck zone is a shear lag with the stick spring mu p / s_stick,
 * beta = sqrt(lambda mu p / s_stick) ~ 1200 /m, 50 mm from its end. */
static void strip_friction(double scale, double *worst, int *tested, double *plateau_err) {
  const Mat w = nu0(SI), cu = nu0(CU);
  const double L = 0.2, W = 2e-5, lam = 1 / (w.e * w.h) + 1 / (cu.e * cu.h);
  const double D = (cu.alpha - w.alpha) * DT, mup = scale * 2 * D / (lam * L), ss = 1e-8;
  Mesh m = mesh(100, 2, -0.1, L, 0.0, W);
  InplaneProblem p = problem(&m);
  p.plate[PLATE_WAFER] = plate(w, DT);
  p.plate[PLATE_COLD] = plate(cu, DT);
  p.contact = INPLANE_FRICTION;
  p.friction_coeff = 0.25;
  p.preload_pa = mup / 0.25;
  InplaneSolution s;
  solve(&p, &s);
  cr_assert(s.contact_change < 1e-3, "friction not settled: change %.3e", s.contact_change);
  const size_t nn = nodes(&m);
  double smax = 0;
  for (size_t q = 0; q < nn; q++) smax = fmax(smax, gap(&s, PLATE_COLD, q, NULL, NULL));
  const double c = s.contact_change;
  *worst = 0;
  *tested = 0;
  for (int i = 0; i < m.nx; i++) {
    const double xe = XC(&m, i);
    double F = 0;
    for (int j = 0; j < m.ny; j++) F += w.h * s.sxx[PLATE_WAFER][cl(&m, i, j)] * (m.y[j + 1] - m.y[j]);
    /* nodes outboard of the cut */
    int lo = xe > 0 ? i + 1 : 0, hi = xe > 0 ? m.nx : i, all_slip = 1;
    double allow = 0;
    for (int ii = lo; ii <= hi; ii++)
      for (int j = 0; j <= m.ny; j++) {
        double gx, sn = gap(&s, PLATE_COLD, nd(&m, ii, j), &gx, NULL);
        if (!(sn > ss)) all_slip = 0;
        allow += node_area(&m, ii, j) * (irls_over(sn, ss, c, smax) + (sn > 0 ? 1 - fabs(gx) / sn : 1));
      }
    if (!all_slip) continue;
    const double want = mup * W * (L / 2 - fabs(xe));
    const double err = fabs(F - want) / (mup * W * L / 2);
    (*tested)++;
    *worst = fmax(*worst, err);
    cr_assert(fabs(F - want) <= mup * allow + 1e-7 * mup * W * L / 2,
              "mu p %.4g Pa, cell %d (x %.4f m): wafer section force %.8g N, mu p W (L/2 - |x|) = "
              "%.8g N, allowance %.3g N",
              mup, i, xe, F, want, mup * allow);
    cr_assert(F <= want * (1 + 1e-6) + mup * allow, "wafer force above what friction can give");
  }
  const int ic = m.nx / 2;
  double Fc = 0;
  for (int j = 0; j < m.ny; j++) Fc += w.h * s.sxx[PLATE_WAFER][cl(&m, ic, j)] * (m.y[j + 1] - m.y[j]);
  *plateau_err = Fc / (W * D / lam) - 1;
  if (scale > 1)
    cr_assert(fabs(*plateau_err) < 1e-6, "stuck centre: section force %.8g N, tied plateau %.8g N",
              Fc, W * D / lam);
  else /* below the plateau everywhere: friction limits the force */
    cr_assert(Fc < W * D / lam, "centre force %.6g N not below the tied plateau %.6g N", Fc,
              W * D / lam);
  cr_log_info("friction strip mu p %.4g Pa: %d of %d cuts fully slipping outboard, worst section "
              "force error %.2e of mu p W L/2; centre vs tied plateau %.2e; %d passes, %d PCG its",
              mup, *tested, m.nx, *worst, *plateau_err, s.contact_iters, s.linear_iters);
  InplaneSolution_free(&s);
  mesh_free(&m);
}

Test(mechanics_friction, strip_force_grows_at_mu_p) {
  double worst, pl;
  int tested;
  strip_friction(0.5, &worst, &tested, &pl);
  cr_assert(tested >= 90, "only %d cuts slip outboard", tested);
  strip_friction(2.0, &worst, &tested, &pl);
  cr_assert(tested >= 40, "only %d cuts slip outboard", tested);
}

/* ==== input ===================================================================== */

Test(mechanics_input, bad_problems_are_einput) {
  Mesh m = mesh(4, 4, 0.0, 0.04, 0.0, 0.04);
  InplaneSolution s;
  memset(&s, 0, sizeof s);
  InplaneSolution_free(&s); /* zeroed: safe */
  InplaneSolution_free(&s);
  char err[EB_ERRLEN];
  for (int t = 0; t < 6; t++) {
    InplaneProblem p = problem(&m);
    p.plate[PLATE_WAFER] = plate(SI, DT);
    p.plate[PLATE_PCB] = plate(FR4, DT);
    p.connector_k_pa_m = 1e9;
    const char *what = "";
    switch (t) {
    case 0: p.plate[PLATE_PCB].e_pa = 0; what = "PCB E = 0"; break;
    case 1: p.plate[PLATE_WAFER].e_pa = 0; what = "wafer E = 0"; break;
    case 2: p.plate[PLATE_PCB].h_m = 0; what = "PCB h = 0"; break;
    case 3: p.nx = 1; what = "nx = 1"; break;
    case 4: p.ny = 1; what = "ny = 1"; break;
    case 5: p.plate[PLATE_COLD] = plate(CU, DT); p.plate[PLATE_COLD].e_pa = 0;
            p.contact = INPLANE_FRICTION; p.friction_coeff = 0.2; p.preload_pa = 1e5;
            what = "cold plate E = 0"; break;
    }
    err[0] = 0;
    int rc = Inplane_solve(&p, &s, err, sizeof err);
    cr_assert_eq(rc, EB_EINPUT, "%s: rc %d (%s)", what, rc, err);
    cr_assert(err[0] != 0, "%s: no message", what);
    cr_log_info("%s: %s", what, err);
    InplaneSolution_free(&s); /* whatever the failed solve left: safe */
  }
  mesh_free(&m);
}

/* Von Mises and principal stresses on states with known answers: uniaxial
 * s (vm = |s|, principal s, 0), equibiaxial (vm = s), pure shear t
 * (vm = sqrt 3 t, principal +-t), and a general state against
 * (sxx + syy)/2 +- sqrt(((sxx - syy)/2)^2 + sxy^2) and the invariant
 * vm^2 = s1^2 - s1 s2 + s2^2. Round-off (1e-14). */
Test(mechanics_input, stress_helpers) {
  double s1, s2;
  cr_assert(fabs(Inplane_von_mises(-80e6, 0, 0) - 80e6) < 1e-14 * 80e6);
  Inplane_principal(-80e6, 0, 0, &s1, &s2);
  cr_assert(fabs(s1) < 1e-6 && fabs(s2 + 80e6) < 1e-6);
  cr_assert(fabs(Inplane_von_mises(50e6, 50e6, 0) - 50e6) < 1e-14 * 50e6);
  cr_assert(fabs(Inplane_von_mises(0, 0, 30e6) - sqrt(3) * 30e6) < 1e-14 * 30e6);
  Inplane_principal(0, 0, 30e6, &s1, &s2);
  cr_assert(fabs(s1 - 30e6) < 1e-6 && fabs(s2 + 30e6) < 1e-6);
  const double a = 120e6, b = -40e6, t = 25e6;
  Inplane_principal(a, b, t, &s1, &s2);
  const double c = 0.5 * (a + b), r = sqrt(0.25 * (a - b) * (a - b) + t * t);
  cr_assert(fabs(s1 - (c + r)) < 1e-14 * a && fabs(s2 - (c - r)) < 1e-14 * a && s1 >= s2);
  const double vm = Inplane_von_mises(a, b, t);
  cr_assert(fabs(vm - sqrt(s1 * s1 - s1 * s2 + s2 * s2)) < 1e-14 * a);
}

/* ---- a kept solver ------------------------------------------------------------ */

/* The largest difference of a's displacements from b's; *umax gets b's largest. */
static double worst_diff(const Mesh *m, const InplaneSolution *a, const InplaneSolution *b,
                         double *umax) {
  double d = 0.0;
  *umax = 0.0;
  for (int pl = 0; pl < INPLANE_PLATES; pl++)
    for (int c = 0; c < 2; c++)
      for (size_t q = 0; a->u[pl][c] && q < nodes(m); q++) {
        *umax = fmax(*umax, fabs(b->u[pl][c][q]));
        d = fmax(d, fabs(a->u[pl][c][q] - b->u[pl][c][q]));
      }
  return d;
}


/* A solver kept across solves keeps each body's matrix and AMG while only
 * temperatures change, and starts from its last answer: the second solve
 * (new, non-uniform temperatures) must equal a fresh solve of the same
 * problem to the solver tolerance, in fewer PCG iterations; a stiffness
 * change must rebuild (the answer of a fresh solve again). Oracle: the
 * fresh solve. Tolerance: displacements agree to 1e-9 of their largest
 * value (both solves reach a 1e-12 relative residual). */
Test(mechanics_inplane, kept_solver_equals_fresh_solves) {
  Mesh m = mesh(24, 24, 0.0, 0.1, 0.0, 0.1);
  double *t = malloc((size_t)m.nx * m.ny * sizeof *t);
  for (int j = 0; j < m.ny; j++)
    for (int i = 0; i < m.nx; i++) t[cl(&m, i, j)] = T_REF + 30.0 + 10.0 * cos(30.0 * XC(&m, i)) * YC(&m, j) / 0.05;
  InplaneProblem p = problem(&m);
  p.plate[PLATE_WAFER] = plate(SI, 20.0);
  p.plate[PLATE_PCB] = plate(FR4, 25.0);
  p.plate[PLATE_COLD] = plate(CU, 5.0);
  p.connector_k_pa_m = 1e9;
  InplaneSolver *S = NULL;
  char err[EB_ERRLEN] = "";
  cr_assert_eq(InplaneSolver_create(&S), EB_OK);
  InplaneSolution a, b, fresh;
  cr_assert_eq(InplaneSolver_solve(S, &p, &a, err, sizeof err), EB_OK, "%s", err);
  p.plate[PLATE_WAFER].t_k = t; /* only the load changes */
  cr_assert_eq(InplaneSolver_solve(S, &p, &b, err, sizeof err), EB_OK, "%s", err);
  solve(&p, &fresh);
  double umax, diff = worst_diff(&m, &b, &fresh, &umax);
  cr_log_info("kept solver: %d PCG iterations against %d fresh; difference %.2e of %.3e m",
              b.linear_iters, fresh.linear_iters, diff, umax);
  cr_expect(diff <= 1e-9 * umax, "kept solver differs by %.3e m (largest %.3e m)", diff, umax);
  cr_expect(b.linear_iters < fresh.linear_iters, "no benefit: %d vs %d iterations", b.linear_iters,
            fresh.linear_iters);
  /* a stiffer connector: another matrix, rebuilt */
  p.connector_k_pa_m = 1e11;
  InplaneSolution c2, fresh2;
  cr_assert_eq(InplaneSolver_solve(S, &p, &c2, err, sizeof err), EB_OK, "%s", err);
  solve(&p, &fresh2);
  diff = umax = 0;
  for (size_t q = 0; q < nodes(&m); q++) {
    umax = fmax(umax, fabs(fresh2.u[PLATE_PCB][0][q]));
    diff = fmax(diff, fabs(c2.u[PLATE_PCB][0][q] - fresh2.u[PLATE_PCB][0][q]));
  }
  cr_expect(diff <= 1e-9 * umax, "rebuilt solver differs by %.3e m (largest %.3e m)", diff, umax);
  InplaneSolution_free(&a);
  InplaneSolution_free(&b);
  InplaneSolution_free(&fresh);
  InplaneSolution_free(&c2);
  InplaneSolution_free(&fresh2);
  InplaneSolver_destroy(S);
  free(t);
  mesh_free(&m);
}

/* A kept solver starts from the combination of its last answers nearest
 * the new one in the energy norm (Fischer's projection). The thermal load
 * is linear in the temperatures, so for temperatures t3 = 2 t2 - t1 the
 * answer is exactly 2 u2 - u1: the start must already solve it (at most one
 * PCG iteration, where a start from the last answer alone needs many), and
 * the answer must equal a fresh solve. A fourth load outside the span must
 * still converge to the fresh answer. Oracle: fresh solves; tolerance 1e-9
 * of the largest displacement (both reach a 1e-12 relative residual). */
Test(mechanics_inplane, kept_answers_span_a_linear_load) {
  Mesh m = mesh(24, 24, 0.0, 0.1, 0.0, 0.1);
  const size_t nc = (size_t)m.nx * m.ny;
  double *t[4];
  for (int k = 0; k < 4; k++) t[k] = malloc(nc * sizeof(double));
  for (int j = 0; j < m.ny; j++)
    for (int i = 0; i < m.nx; i++) {
      const size_t q = cl(&m, i, j);
      t[0][q] = T_REF + 20.0 + 8.0 * cos(30.0 * XC(&m, i)) * YC(&m, j) / 0.05;
      t[1][q] = T_REF + 26.0 + 9.0 * cos(30.0 * XC(&m, i)) * YC(&m, j) / 0.05 + 3.0 * XC(&m, i) / 0.05;
      t[2][q] = 2.0 * t[1][q] - t[0][q];                                   /* in the span */
      t[3][q] = T_REF + 40.0 + 6.0 * sin(40.0 * YC(&m, j)) * XC(&m, i) / 0.05; /* outside it */
    }
  InplaneProblem p = problem(&m);
  p.plate[PLATE_WAFER] = plate(SI, 20.0);
  p.plate[PLATE_PCB] = plate(FR4, 25.0);
  p.connector_k_pa_m = 1e9;
  InplaneSolver *S = NULL;
  char err[EB_ERRLEN] = "";
  cr_assert_eq(InplaneSolver_create(&S), EB_OK);
  InplaneSolution u[4], fresh;
  for (int k = 0; k < 4; k++) {
    p.plate[PLATE_WAFER].t_k = t[k];
    cr_assert_eq(InplaneSolver_solve(S, &p, &u[k], err, sizeof err), EB_OK, "%s", err);
    solve(&p, &fresh);
    double umax, d = worst_diff(&m, &u[k], &fresh, &umax);
    cr_log_info("load %d: %d PCG iterations kept, %d fresh; difference %.2e of %.3e m", k,
                u[k].linear_iters, fresh.linear_iters, d, umax);
    cr_expect(d <= 1e-9 * umax, "load %d: kept solver differs by %.3e m (largest %.3e m)", k, d,
              umax);
    if (k == 2)
      cr_expect(u[k].linear_iters <= 1, "the kept answers span load 3, yet %d PCG iterations",
                u[k].linear_iters);
    InplaneSolution_free(&fresh);
  }
  for (int k = 0; k < 4; k++) {
    InplaneSolution_free(&u[k]);
    free(t[k]);
  }
  InplaneSolver_destroy(S);
  mesh_free(&m);
}
