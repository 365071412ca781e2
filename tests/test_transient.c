/* test_transient.c - the time driver (solver/core/transient.c, CVODE BDF +
 * SPGMR) against closed forms: a lumped RC node, its event time, a slab
 * whose face is held at a new temperature (the series solution), with the
 * diffusion operator's shifted solve as preconditioner and the energy that
 * crossed the face accounted against what the slab stored. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case.h"
#include "geometry/grid.h"
#include "solver/core/diffusion.h"
#include "solver/core/runtime.h"
#include "solver/core/transient.h"

static const double pi = 3.14159265358979323846;

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(transient, .init = up, .fini = down, .timeout = 60);

/* ---- a lumped node: C dT/dt = P - (T - T_inf) / R ------------------------------ */

typedef struct {
  double c, r, p, t_inf, t_event;
} Rc;

static int rc_rhs(double t, const double *y, double *ydot, void *user) {
  (void)t;
  const Rc *m = user;
  ydot[0] = (m->p - (y[0] - m->t_inf) / m->r) / m->c;
  return 0;
}

static int rc_root(double t, const double *y, double *g, void *user) {
  (void)t;
  g[0] = y[0] - ((const Rc *)user)->t_event;
  return 0;
}

/* T(t) = T_inf + P R (1 - exp(-t / (R C))); the event T = T_inf + P R / 2
 * at t = R C ln 2. CVODE bounds each step's local error by rtol |y| = 1e-9 x
 * 305 K = 3e-7 K; over a few time constants the global error stays within
 * ten of those, 3.1e-6 K. The event time inherits that error through the
 * slope there, P / (2 C) = 0.25 K/s: 1.2e-5 s, under 1e-6 of tau (20 s). */
Test(transient, lumped_rc_follows_its_exponential) {
  Rc m = {.c = 2.0e3, .r = 0.01, .p = 1.0e3, .t_inf = 300.0};
  m.t_event = m.t_inf + 0.5 * m.p * m.r;
  const double tau = m.r * m.c, rise = m.p * m.r;
  TransientOptions o = {.n = 1, .rhs = rc_rhs, .n_roots = 1, .roots = rc_root, .user = &m,
                        .rel_tol = 1e-9, .abs_tol = 1e-9};
  double y = m.t_inf, t_reached = 0;
  Transient *tr = NULL;
  char err[EB_ERRLEN];
  cr_assert_eq(Transient_create(&o, 0.0, &y, &tr, err, sizeof err), EB_OK, "%s", err);
  int root = -1;
  cr_assert_eq(Transient_advance(tr, 5 * tau, 0, &y, &t_reached, &root, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(root, 0, "the event was not found before 5 tau");
  cr_log_info("event at %.12g s, exact %.12g s", t_reached, tau * log(2.0));
  cr_expect(fabs(t_reached - tau * log(2.0)) < 1e-6 * tau, "event at %.9g s, exact %.9g s",
            t_reached, tau * log(2.0));
  double worst = 0;
  for (int k = 1; k <= 50; k++) {
    const double t_out = 0.1 * k * tau;
    if (t_out <= t_reached) continue;
    cr_assert_eq(Transient_advance(tr, t_out, 0, &y, &t_reached, &root, err, sizeof err), EB_OK, "%s",
                 err);
    cr_assert_eq(root, -1);
    worst = fmax(worst, fabs(y - (m.t_inf + rise * (1 - exp(-t_out / tau)))));
  }
  TransientStats st;
  Transient_stats(tr, &st);
  cr_log_info("lumped RC: %ld steps, worst error %.2e K of a %.1f K rise", st.steps, worst, rise);
  cr_expect(worst < 10 * 1e-9 * (m.t_inf + rise), "error %.3e K", worst);
  cr_expect(st.steps > 0 && st.nonlinear_iters >= st.steps);
  Transient_destroy(tr);
}

/* ---- a slab, one face held: the diffusion operator in time ---------------------- */

typedef struct {
  Grid *g;
  DiffusionProblem p;
  Diffusion *d;
  double *m;     /* rho cp V per cell */
  double *shift, *rhs;
  int n;         /* cells; y[n] is the energy in through the held face */
  double t_face; /* held face temperature */
  char err[EB_ERRLEN];
} Slab;

/* M dT/dt = sum of face flows; y[n]' = flow in through the held face. */
static int slab_rhs(double t, const double *y, double *ydot, void *user) {
  (void)t;
  Slab *s = user;
  for (int k = 0; k < s->n; k++) {
    double q = 0;
    if (k > 0) q += Diffusion_face_g(s->g, &s->p, 0, 0, k - 1, 2) * (y[k - 1] - y[k]);
    if (k < s->n - 1) q += Diffusion_face_g(s->g, &s->p, 0, 0, k, 2) * (y[k + 1] - y[k]);
    if (k == 0) {
      const double in = Diffusion_boundary_g(s->g, &s->p, DIFF_ZLO, 0, 0, 0) * (s->t_face - y[0]);
      q += in;
      ydot[s->n] = in;
    }
    ydot[k] = q / s->m[k];
  }
  return 0;
}

/* (A + M / gamma) z = M r / gamma on the slab; the energy state is
 * preconditioned by itself. */
static int slab_psetup(double t, const double *y, double gamma, void *user) {
  (void)t;
  (void)y;
  Slab *s = user;
  s->p.shift_scale = 1.0 / gamma;
  return Diffusion_assemble(s->d, &s->p, 0, s->err, sizeof s->err) == EB_OK ? 0 : -1;
}

static int slab_psolve(double t, const double *y, const double *r, double *z, double gamma,
                       void *user) {
  (void)t;
  (void)y;
  Slab *s = user;
  for (int k = 0; k < s->n; k++) {
    s->rhs[k] = s->m[k] * r[k] / gamma;
    z[k] = r[k];
  }
  z[s->n] = r[s->n];
  return Diffusion_solve(s->d, s->rhs, z, NULL, s->err, sizeof s->err) == EB_OK ? 0 : 1;
}

/* theta = (T - T_0) / (T_s - T_0) at depth z of a slab of thickness L, face
 * z = 0 held at T_s from t = 0, z = L insulated: 1 - sum 4/((2n+1) pi)
 * sin(lambda_n z) exp(-lambda_n^2 alpha t), lambda_n = (2n+1) pi / (2L)
 * (Carslaw & Jaeger, Conduction of Heat in Solids, 3.3; Incropera 5.5 with
 * Bi -> infinity). 400 terms: the tail is below 1e-12 for Fo >= 0.01. */
static double series(double z, double L, double fo) {
  double s = 0;
  for (int n = 0; n < 400; n++) {
    const double ln = (2 * n + 1) * pi / 2;
    s += 4 / ((2 * n + 1) * pi) * sin(ln * z / L) * exp(-ln * ln * fo);
  }
  return 1 - s;
}

/* Largest error against the series at Fo = 0.02, 0.1, 0.5 on nz cells; the
 * energy check against the slab's stored heat. */
static double slab_run(int nz, double *energy_rel) {
  const double L = 0.01, k = 20.0, rho_cp = 4e6, alpha = k / rho_cp;
  Slab s = {.n = nz, .t_face = 1.0};
  s.g = Grid_alloc(1, 1, nz);
  s.g->x[1] = 1e-3;
  s.g->y[1] = 1e-3;
  for (int q = 0; q <= nz; q++) s.g->z[q] = L * q / nz;
  static const double kk[1][3] = {{20.0, 20.0, 20.0}};
  s.m = malloc((size_t)nz * sizeof(double));
  s.rhs = malloc((size_t)nz * sizeof(double));
  for (int q = 0; q < nz; q++) s.m[q] = rho_cp * 1e-6 * Grid_dz(s.g, q);
  s.p.mat = s.g->solid_of_k; /* Grid_alloc's: all material 0 */
  s.p.mat_k = kk;
  s.p.robin[DIFF_ZLO] = (DiffusionRobin){.h_all = INFINITY, .t_all = s.t_face};
  s.p.shift = s.m;
  s.p.shift_scale = 1.0;
  char err[EB_ERRLEN];
  DiffusionOptions dop = {.comm = MPI_COMM_SELF, .rel_tol = 1e-12, .max_iters = 200};
  cr_assert_eq(Diffusion_create(s.g, &dop, &s.d, err, sizeof err), EB_OK, "%s", err);
  double *y = calloc((size_t)nz + 1, sizeof(double)), t_reached;
  TransientOptions o = {.n = (size_t)nz + 1, .rhs = slab_rhs, .prec_setup = slab_psetup,
                        .prec_solve = slab_psolve, .user = &s, .rel_tol = 1e-8, .abs_tol = 1e-10};
  Transient *tr = NULL;
  cr_assert_eq(Transient_create(&o, 0.0, y, &tr, err, sizeof err), EB_OK, "%s", err);
  double worst = 0;
  const double fos[3] = {0.02, 0.1, 0.5};
  for (int f = 0; f < 3; f++) {
    int root;
    cr_assert_eq(Transient_advance(tr, fos[f] * L * L / alpha, 0, y, &t_reached, &root, err, sizeof err),
                 EB_OK, "%s (%s)", err, s.err);
    for (int q = 0; q < nz; q++) {
      const double zc = 0.5 * (s.g->z[q] + s.g->z[q + 1]);
      worst = fmax(worst, fabs(y[q] - series(zc, L, fos[f])));
    }
  }
  double stored = 0;
  for (int q = 0; q < nz; q++) stored += s.m[q] * y[q];
  *energy_rel = fabs(stored - y[nz]) / stored;
  TransientStats st;
  Transient_stats(tr, &st);
  cr_log_info("slab nz %d: %ld steps (%ld + %ld rejected), %ld Newton, %ld Krylov its, %ld "
              "preconditioner set-ups; worst %.2e, energy %.2e",
              nz, st.steps, st.rejected_error, st.rejected_convergence, st.nonlinear_iters,
              st.linear_iters, st.prec_setups, worst, *energy_rel);
  Transient_destroy(tr);
  Diffusion_destroy(s.d);
  Grid_destroy(s.g);
  free(s.m);
  free(s.rhs);
  free(y);
  return worst;
}

/* The finite-volume slab converges to the series at second order in the
 * cell size (centred faces, the held face a half cell away): the error must
 * fall about fourfold from 40 to 80 cells (ratio >= 3; time errors at rtol
 * 1e-8 are far below) and be under 1e-3 of the step at 80 cells. The energy
 * that entered through the face equals the heat stored (integrated as an
 * extra state by the same BDF, so they agree to its tolerance, 1e-6). */
Test(transient, slab_follows_the_series_solution) {
  double e40, e80;
  const double w40 = slab_run(40, &e40), w80 = slab_run(80, &e80);
  cr_log_info("slab: worst %.3e (40 cells), %.3e (80 cells), ratio %.2f", w40, w80, w40 / w80);
  cr_expect(w80 < 1e-3, "80 cells: %.3e off the series", w80);
  cr_expect(w40 / w80 >= 3.0, "not second order: %.3e -> %.3e", w40, w80);
  cr_expect(e40 < 1e-6 && e80 < 1e-6, "energy in vs stored: %.2e, %.2e", e40, e80);
}

Test(transient, bad_options_are_said) {
  TransientOptions o = {.n = 0};
  Transient *tr = NULL;
  char err[EB_ERRLEN] = "";
  double y = 0;
  cr_expect_eq(Transient_create(&o, 0.0, &y, &tr, err, sizeof err), EB_EINPUT);
  cr_expect(strstr(err, "transient:") != NULL, "%s", err);
  cr_expect(tr == NULL);
}
