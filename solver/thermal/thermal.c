/* thermal.c - the steady thermal driver: the coolant and the T-dependent
 * conductivities make a fixed point around the linear conduction solve,
 * solved by the steady driver (KINSOL, Anderson); warm starts across the
 * solves of a study. Set-up in thermal_problem.c, results in thermal_post.c. */
#include "thermal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../coolant/loop.h"
#include "../core/diffusion.h"
#include "../core/resources.h"
#include "../core/rows.h"
#include "../core/runtime.h"
#include "../core/steady.h"
#include "thermal_post.h"
#include "thermal_problem.h"

/* Answers kept for warm starts: the last eight, enough for a design map's
 * serpentine of four powers to find the previous inlet's answers at this
 * power and the last ones (warm_guess). Kept in single precision: a start
 * needs no more, and eight cost what four doubles did. */
#define THERMAL_HISTORY 8

struct ThermalSolver {
  const Grid *g;
  Diffusion *op;     /* matrix storage and hypre objects, reused */
  /* the last answers, newest first (3D field, coolant, power, inlet, and
   * family: the operator but for the inlet) */
  struct {
    float *t, *tf;
    double power, inlet;
    uint64_t family;
  } hist[THERMAL_HISTORY];
  int n_hist;
  double nu_fd, nu_w, nu_h; /* the channel's laminar Nu_fd and what it is for */
  int nu_cover;
  uint64_t op_key;  /* fingerprint of the last operator (0: none) */
  Coolant cool;     /* the last solve's coolant set-up */
  int have_cool;
};

/* ---- the fixed-point map ------------------------------------------------------------ */

typedef struct {
  const Case *c;
  const Grid *g;
  const ThermalOptions *opt;
  ThermalProblem *p;
  Diffusion *op;
  const Coolant *cool;
  double *t;        /* 3D temperature, the rows held (p->rows): each evaluation's solve,
                       warm-started */
  double *tf;       /* coolant cells of the last evaluation (whole) */
  /* u and G(u) are this rank's share (Share): the blocks per column hold
   * its rows; whatever must be whole is gathered here */
  double *cool_in;    /* the coolant block of u, whole (ncol) */
  double *state_in, *state_out; /* the heat source's temperatures, whole (n_state) */
  double *face_in, *face_out;   /* a marched face's coolant block of u and G(u), whole */
  double *q_fluid;  /* W per column into the coolant, last evaluation */
  CoolantMarch march; /* the last evaluation's outlet, hottest coolant, heat */
  double face_outlet_k, face_t_max_k, face_heat_w; /* the marched last face's, last evaluation */
  int linear_iters;
  double last_res, last_tol;
  int final_pass;    /* 1: solve at the case's linear tolerance */
  int rebuild;       /* 1: build the multigrid hierarchy at the first assembly */
  int same_operator; /* 1: the last solve's matrix is this case's but for k(T), h, power */
  uint64_t family;   /* this case's operator but for the inlet (warm starts) */
  int good_guess;    /* 1: the start is built from two answers or more (warm_guess) */
  char *err;
  size_t err_size;
  int map_rc; /* why the map failed: EB_ENOSTATE (the heat source found no steady state) or EB_EFAIL */
} FixedPoint;

/* A linear solve that missed its tolerance, in the user's terms: more
 * iterations help when it was converging, not when the problem is singular. */
static void linear_failure(FixedPoint *fp, const DiffusionStats *ds) {
  char why[512];
  snprintf(why, sizeof why, "%s", fp->err);
  if (ds->hit_max && ds->rel_res < 1e-2)
    snprintf(fp->err, fp->err_size,
             "thermal: the linear solve stopped at solver.max_linear_iters = %d with relative "
             "residual %.2e (tolerance %.1e) and still converging: raise solver.max_linear_iters",
             fp->c->max_linear_iters, ds->rel_res, fp->last_tol);
  else
    snprintf(fp->err, fp->err_size,
             "thermal: the linear solve did not converge (relative residual %.2e after %d "
             "iterations, tolerance %.1e): the conduction problem looks singular; check for a "
             "solid region with no path to a coolant (a layer cut off by void cells) (%s)",
             ds->rel_res, ds->iters, fp->last_tol, why);
}

/* Where the blocks of this rank's share of u sit: the coolant, the k(T)
 * planes and a marched face by the rows held (own values each), the heat
 * source's temperatures on the first rank only. One process: the whole
 * vector, in the same order. */
typedef struct {
  size_t own, off_state, n_state, off_face, n;
} Share;

static Share share_of(const ThermalProblem *p) {
  const size_t own = p->own;
  int rank = 0;
  if (p->comm != MPI_COMM_NULL) MPI_Comm_rank(p->comm, &rank);
  Share h = {.own = own, .off_state = own * (1 + (size_t)p->n_tdep)};
  h.n_state = rank == 0 ? p->n_state : 0;
  h.off_face = h.off_state + h.n_state;
  h.n = h.off_face + (p->face_marched ? own : 0);
  return h;
}

/* The k(T) blocks of a share from the rows of the field each rank holds. */
static void tdep_share(const ThermalProblem *p, const double *t, double *blocks) {
  const size_t own = p->own;
  for (int q = 0; q < p->n_tdep; q++)
    memcpy(blocks + (size_t)q * own, t + (size_t)p->tdep_k[q] * own, own * sizeof(double));
}

/* This rank's rows of a whole block per column into a share. */
static void block_own(const ThermalProblem *p, const double *whole, double *own) {
  memcpy(own, whole + p->col_lo, p->own * sizeof(double));
}

/* G(u): u = [coolant cell temperatures (per column), temperatures of the
 * planes with k(T), the temperatures the heat source depends on, and with a
 * marched convective face its coolant (per column)], this rank's share of
 * it (Share): no rank holds the whole vector. One conduction solve per
 * evaluation; the coolant and the heat source's temperatures are gathered
 * whole for the march and the power path, which every rank repeats. */
static int fp_map(const double *u, double *gout, const SteadyState *st, void *user) {
  FixedPoint *fp = user;
  ThermalProblem *p = fp->p;
  const Share sh = share_of(p);
  int hrc = ThermalProblem_refresh_k_own(p, u + sh.own, fp->err, fp->err_size);
  /* the blocks per column, whole on every rank */
  if (hrc == EB_OK) hrc = Rows_gather_own(p->comm, p->g, u, fp->cool_in, fp->err, fp->err_size);
  if (hrc == EB_OK && p->face_marched)
    hrc = Rows_gather_own(p->comm, p->g, u + sh.off_face, fp->face_in, fp->err, fp->err_size);
  if (hrc == EB_OK && p->n_state > 0) { /* the first rank holds them */
    if (sh.n_state) memcpy(fp->state_in, u + sh.off_state, p->n_state * sizeof(double));
    hrc = Rows_bcast(p->comm, fp->state_in, (int)(p->n_state * sizeof(double)), 0, fp->err,
                     fp->err_size);
  }
  if (hrc == EB_OK) hrc = ThermalProblem_update_heat(p, fp->state_in, fp->err, fp->err_size);
  if (hrc != EB_OK) {
    fp->map_rc = hrc;
    return -1;
  }
  ThermalProblem_set_coolant(p, fp->cool, fp->cool_in);
  if (p->face_marched) block_own(p, fp->face_in, p->t_hi);
  /* Inexact fixed point: while the outer update is large, a tight linear
   * solve is wasted. The first solve stops at 1e-5, later ones at 1e-6 per
   * kelvin of the last update, down to the case's linear_tol; the reported
   * answer always comes from a solve at linear_tol (the final pass).
   * Measured on CS-3 at 3.0 M cells: 15 PCG iterations against 35 with every
   * solve at 1e-8, same answer to 1e-4 K. A loose tolerance within 10 x of
   * linear_tol saves at most one V-cycle, and the evaluation that follows it
   * may well be the last: then it is solved at linear_tol and needs no
   * final pass. CS-3 at 0.77 and 3.0 M cells: 3 evaluations (9 and 7 PCG
   * iterations) -> 2 (8 and 6), the answers within 6e-7 K. */
  double tol = fp->c->linear_rel_tol;
  if (!fp->final_pass && !(fp->good_guess && st->evals == 0)) {
    const double loose = st->evals == 0 ? 1e-5 : 1e-6 * st->last_update;
    if (loose > 10.0 * tol) tol = fmax(tol, fmin(1e-5, loose));
  }
  Diffusion_set_tolerance(fp->op, tol, fp->c->max_linear_iters);
  fp->last_tol = tol;
  /* The first evaluation of a solve assembles everything; the multigrid
   * hierarchy of an earlier solve on the same grid is kept (same cells and
   * materials, only coefficients moved: PCG stays exact, the preconditioner
   * merely lags). Between evaluations only the coolant's planes (the base
   * face, or the resolved fins and lid with it) and the k(T) planes with
   * their neighbours change: re-set those alone. */
  const int first = st->evals == 0 && !fp->final_pass;
  const int full = first && !fp->same_operator;
  int rc = full ? Diffusion_assemble(fp->op, &p->op, fp->rebuild, fp->err, fp->err_size)
                : Diffusion_update(fp->op, &p->op, 0, p->cool_k1, fp->err, fp->err_size);
  if (rc == EB_OK && !full && (first || p->heat)) /* new power: the planes that make heat */
    rc = Diffusion_update(fp->op, &p->op, p->heat_k0, p->heat_k1, fp->err, fp->err_size);
  if (rc == EB_OK && !full && p->n_tdep > 0)
    rc = Diffusion_update(fp->op, &p->op, p->tdep_k[0] - 1, p->tdep_k[p->n_tdep - 1] + 1, fp->err,
                          fp->err_size);
  /* the marched face's coolant moved: its plane's Robin term with it */
  if (rc == EB_OK && !full && p->face_marched)
    rc = Diffusion_update(fp->op, &p->op, fp->g->nz - 1, fp->g->nz - 1, fp->err, fp->err_size);
  DiffusionStats ds = {0};
  if (rc == EB_OK) {
    rc = Diffusion_solve(fp->op, NULL, fp->t, &ds, fp->err, fp->err_size);
    if (rc != EB_OK) linear_failure(fp, &ds);
    if (rc != EB_OK) fp->map_rc = EB_EFAIL;
  }
  int its = ds.iters;
  double res = ds.rel_res;
  fp->linear_iters += its;
  fp->last_res = res;
  if (rc != EB_OK) return -1;
  rc = ThermalProblem_heat_to_coolant(p, fp->t, fp->cool_in, fp->q_fluid, fp->err, fp->err_size);
  if (rc == EB_OK) {
    Coolant_march(fp->cool, fp->q_fluid, fp->cool_in, fp->tf, &fp->march);
    block_own(p, fp->tf, gout);
    tdep_share(p, fp->t, gout + sh.own);
  }
  if (rc == EB_OK) rc = ThermalProblem_heat_state(p, fp->t, fp->state_out, fp->err, fp->err_size);
  if (rc == EB_OK) {
    ThermalProblem_heat_solved(p, fp->state_out);
    if (sh.n_state) memcpy(gout + sh.off_state, fp->state_out, p->n_state * sizeof(double));
  }
  if (rc == EB_OK && p->face_marched) {
    rc = ThermalProblem_face_march(p, fp->t, fp->face_in, fp->face_out, &fp->face_outlet_k,
                                   &fp->face_t_max_k, &fp->face_heat_w, fp->err, fp->err_size);
    block_own(p, fp->face_out, gout + sh.off_face);
  }
  if (rc != EB_OK) {
    fp->map_rc = EB_EFAIL;
    return -1;
  }
  if (fp->opt && fp->opt->verbose) {
    double upd = 0.0;
    /* the first rank alone reports progress: its share, no reduction */
    for (size_t q = 0; q < sh.n; q++) upd = fmax(upd, fabs(gout[q] - u[q]));
    FILE *f = fp->opt->progress_stream ? fp->opt->progress_stream : stderr;
    fprintf(f, "  iteration %2d: PCG %3d its, residual %.2e; largest temperature update %.3e K%s\n",
            st->evals + 1, its, res, upd, p->comm != MPI_COMM_NULL ? " (this rank's rows)" : "");
    fflush(f);
  }
  return 0;
}

/* ---- the solver across solves -------------------------------------------------------- */

const Coolant *ThermalSolver_coolant(const ThermalSolver *s) {
  return s->have_cool ? &s->cool : NULL;
}

/* Two cases with the same key differ at most in power: the same matrix,
 * only the source plane's right-hand side changes. Computed from the
 * struct, with what the operator does not depend on blanked. */
static uint64_t operator_key(const Case *c, int family) {
  Case *k = malloc(sizeof *k);
  if (!k) return 0; /* never equal to a stored key: a full assembly */
  *k = *c;
  k->power_w = 0.0;
  /* the inlet sets the coolant's properties, so the matrix; answers at
   * other inlets of the same family still make a start */
  if (family) k->inlet_t_k = 0.0;
  memset(k->name, 0, sizeof k->name);
  memset(k->path, 0, sizeof k->path);
  k->n_sweep = 0;
  memset(k->sweep, 0, sizeof k->sweep);
  k->junction_max_k = k->outlet_max_k = k->dp_max_pa = k->velocity_max_m_s = 0.0;
  k->linear_rel_tol = k->nonlinear_tol_k = 0.0;
  k->max_nonlinear_iters = k->max_linear_iters = 0;
  /* the power path and the die model are heat (right-hand side), not the
   * matrix; which layers it heats stays in the key (their planes are
   * re-set each evaluation) */
  k->psu_load_max_w = k->brick_current_max_a = k->brick_load_max = 0.0;
  k->brick_temp_max_k = k->die_voltage_min_v = 0.0;
  k->die_model = 0;
  k->clock = k->dynamic_share = k->v_nominal_v = k->leakage_ref_k = 0.0;
  k->leakage_doubling_k = k->leakage_v_exponent = 0.0;
  memset(&k->vf_clock, 0, sizeof k->vf_clock);
  memset(&k->vf_v, 0, sizeof k->vf_v);
  memset(&k->mech, 0, sizeof k->mech);
  k->transient_rel_tol = k->transient_abs_tol_k = 0.0;
  k->n_scenarios = 0;
  memset(k->scenarios, 0, sizeof k->scenarios);
  k->connector_strain_max = k->wafer_stress_max_pa = k->pcb_stress_max_pa = 0.0;
  k->edge_slip_max_m = 0.0;
  for (int i = 0; i < k->n_materials; i++) Solid_blank_mechanics(&k->materials[i].solid);
  const CasePowerDelivery pd = c->pd;
  memset(&k->pd, 0, sizeof k->pd);
  k->pd.enabled = pd.enabled;
  memcpy(k->pd.pcb_layer, pd.pcb_layer, sizeof pd.pcb_layer);
  memcpy(k->pd.connector_layer, pd.connector_layer, sizeof pd.connector_layer);
  uint64_t h = Case_fingerprint(k);
  free(k);
  return h ? h : 1;
}

int ThermalSolver_create(const Grid *g, const Case *c, ThermalSolver **out, char *err,
                         size_t err_size) {
  *out = NULL;
  ThermalSolver *s = calloc(1, sizeof *s);
  if (!s) {
    snprintf(err, err_size, "thermal: out of memory");
    return EB_EFAIL;
  }
  s->g = g;
  /* each rank keeps its own rows of the solution: no rank holds the
   * whole 3D field */
  DiffusionOptions dopt = {.comm = Runtime_comm(), .rel_tol = c->linear_rel_tol,
                           .max_iters = c->max_linear_iters, .own_rows = 1};
  int rc = Diffusion_create(g, &dopt, &s->op, err, err_size);
  if (rc != EB_OK) {
    free(s);
    return rc;
  }
  *out = s;
  return EB_OK;
}

void ThermalSolver_destroy(ThermalSolver *s) {
  if (!s) return;
  if (s->have_cool) Coolant_free(&s->cool);
  Diffusion_destroy(s->op);
  for (int h = 0; h < THERMAL_HISTORY; h++) {
    free(s->hist[h].t);
    free(s->hist[h].tf);
  }
  free(s);
}

/* The rise of history entry h at cell q of a field (t: 3D, else coolant). */
static double rise_of(const ThermalSolver *s, int h, int field3d, size_t q) {
  const float *v = field3d ? s->hist[h].t : s->hist[h].tf;
  return (double)v[q] - s->hist[h].inlet;
}

/* The kept answer of family f at (power, inlet), -1 if none. */
static int find_hist(const ThermalSolver *s, uint64_t f, double power, double inlet) {
  for (int h = 0; h < s->n_hist; h++)
    if (s->hist[h].family == f && s->hist[h].power == power && s->hist[h].inlet == inlet) return h;
  return -1;
}

/* Warm start from the solver's previous answers, in T - T_in (the rise),
 * the best that the kept answers allow. A family is the operator but for
 * the inlet (the flow, the materials, the geometry: the matrix apart from
 * the coolant's properties).
 *  - This family's and inlet's newest answers (up to three, distinct
 *    powers): the rise over the power, (T - T_in)/P, extrapolated to this
 *    power through them by Lagrange's polynomial (one answer: scaled by the
 *    power ratio). A quadratic is exact for rises of P, P^2 (I^2 R) and
 *    P^3 and leaves the property changes (k(T), water, leakage) at fourth
 *    order.
 *  - And when the answers of another inlet or family hold the same powers
 *    and this one, the same extrapolation there shows its miss, carried
 *    over as a ratio: rise = L(P) rise'(P) / L'(P), L and L' the two
 *    extrapolations (as a difference where L' is too small to divide by or
 *    the ratio is not within a factor of two).
 *    On a CS-4 map's serpentine (0.5 mm cells, powers 6 kW and inlets
 *    12-15 K apart) the start's worst cell was 0.3 K off with one answer
 *    at this inlet (4.2 K scaled by the power alone) and 0.08 K with two
 *    (1.4 K extrapolated alone); the 12 points took 35 evaluations instead
 *    of 44, and the map's 36 anchors 99 instead of 123.
 *  - No answer of this family and inlet: two of this family at this power
 *    and other inlets, the rise linear in the inlet (a limit search moving
 *    the inlet); else one answer, this family's at this power if kept,
 *    else this family's newest, else the newest, its rise scaled by the
 *    power ratio and shifted to this inlet.
 * With two answers or more, or one of this operator at a power within 25 %,
 * the first linear solve can be tight and usually settles the point
 * (fp->good_guess). The one-answer case measured on a CS-3 sweep's second
 * point (26 kW from 25 kW, 0.5 mm cells, 5 mK): 2 evaluations instead of
 * 3, 0.96 s instead of 1.25 s. */
static void warm_guess(const ThermalSolver *s, FixedPoint *fp, double *tf) {
  const Case *c = fp->c;
  const size_t ncol = fp->p->ncol, ncell = Rows_cells(fp->g, fp->p->rows);
  const double t_in = c->inlet_t_k, P = c->power_w;
  const uint64_t fam = fp->family;
  const int m = s->n_hist;
  int n = 0; /* this family's and inlet's newest: distinct positive powers, up to three */
  for (; n < m && n < 3 && s->hist[n].family == fam && s->hist[n].inlet == t_in &&
         s->hist[n].power > 0.0 && s->hist[n].power != P;
       n++) {
    int distinct = 1;
    for (int j = 0; j < n; j++) distinct &= s->hist[j].power != s->hist[n].power;
    if (!distinct) break;
  }
  /* another inlet or family with the same powers and this one: its entries */
  int other[3] = {-1, -1, -1}, other_p = -1;
  for (int h = n; n >= 1 && h < m && other_p < 0; h++) {
    const double x = s->hist[h].inlet;
    const uint64_t f = s->hist[h].family;
    if (x == t_in && f == fam) continue;
    int all = (other_p = find_hist(s, f, P, x)) >= 0;
    for (int i = 0; i < n && all; i++) all = (other[i] = find_hist(s, f, s->hist[i].power, x)) >= 0;
    if (!all) other_p = -1;
  }
  double w[3] = {0}; /* Lagrange in the rise over power, times this power */
  for (int i = 0; i < n; i++) {
    w[i] = P / s->hist[i].power;
    for (int j = 0; j < n; j++)
      if (j != i) w[i] *= (P - s->hist[j].power) / (s->hist[i].power - s->hist[j].power);
  }
  /* no answer of this family and inlet: an inlet line at this power, or one answer */
  int la = -1, lb = -1, one = -1;
  for (int h = 0; n == 0 && h < m && lb < 0; h++)
    for (int j = h + 1; s->hist[h].family == fam && s->hist[h].power == P && j < m && lb < 0; j++)
      if (s->hist[j].family == fam && s->hist[j].power == P && s->hist[j].inlet != s->hist[h].inlet)
        la = h, lb = j;
  for (int h = 0; h < m && one < 0; h++)
    if (s->hist[h].family == fam && s->hist[h].power == P) one = h;
  for (int h = 0; h < m && one < 0; h++)
    if (s->hist[h].family == fam && s->hist[h].power > 0.0) one = h;
  if (one < 0) one = 0; /* the caller's: a positive power */
  const double scale = P / s->hist[one].power;
  for (int field3d = 1; field3d >= 0; field3d--) {
    double *out = field3d ? fp->t : tf;
    const size_t count = field3d ? ncell : ncol;
    for (size_t q = 0; q < count; q++) {
      double r;
      if (n >= 1) {
        r = 0.0;
        for (int i = 0; i < n; i++) r += w[i] * rise_of(s, i, field3d, q);
        if (other_p >= 0) {
          double lo = 0.0;
          for (int i = 0; i < n; i++) lo += w[i] * rise_of(s, other[i], field3d, q);
          const double ro = rise_of(s, other_p, field3d, q);
          /* a ratio only from a rise of a tenth of a kelvin or more, and
           * only a correction (within a factor of two) */
          const double ratio = fabs(lo) >= 0.1 ? ro / lo : NAN;
          r = ratio > 0.5 && ratio < 2.0 ? r * ratio : r + ro - lo;
        }
      } else if (lb >= 0) {
        const double xa = s->hist[la].inlet, xb = s->hist[lb].inlet;
        const double ra = rise_of(s, la, field3d, q), rb = rise_of(s, lb, field3d, q);
        r = ra + (rb - ra) * (t_in - xa) / (xb - xa);
      } else {
        r = scale * rise_of(s, one, field3d, q);
      }
      out[q] = isfinite(r) ? t_in + r : t_in;
    }
  }
  /* one answer of this operator at a power within 25 %: its rise scaled
   * is close as well */
  const double ratio0 = n == 1 ? P / s->hist[0].power : 0.0;
  const int near = ratio0 >= 0.8 && ratio0 <= 1.25;
  fp->good_guess = n >= 2 || (n == 1 && (other_p >= 0 || near)) || lb >= 0;
}

/* Keep this answer as the next solve's start, the oldest dropped; one of
 * the same family, power and inlet is replaced. Memory that cannot be had
 * only costs the warm start. */
static void remember(ThermalSolver *s, const Case *c, const GridRows rows, const double *t,
                     const double *tf, uint64_t family) {
  const size_t ncell = Rows_cells(s->g, rows);
  const size_t ncol = (size_t)s->g->nx * s->g->ny;
  int keep = s->n_hist < THERMAL_HISTORY ? s->n_hist : THERMAL_HISTORY - 1;
  const int dup = find_hist(s, family, c->power_w, c->inlet_t_k);
  if (dup >= 0) keep = dup;
  /* that slot's buffers are reused for this answer */
  float *bt = s->hist[keep].t, *btf = s->hist[keep].tf;
  for (int h = keep; h > 0; h--) s->hist[h] = s->hist[h - 1];
  if (!bt) bt = malloc(ncell * sizeof(float));
  if (!btf) btf = malloc(ncol * sizeof(float));
  s->hist[0].t = bt;
  s->hist[0].tf = btf;
  if (!bt || !btf) { /* no memory: no history */
    s->n_hist = 0;
    return;
  }
  for (size_t q = 0; q < ncell; q++) bt[q] = (float)t[q];
  for (size_t q = 0; q < ncol; q++) btf[q] = (float)tf[q];
  s->hist[0].power = c->power_w;
  s->hist[0].inlet = c->inlet_t_k;
  s->hist[0].family = family;
  if (dup < 0) s->n_hist = keep + 1;
}

int ThermalSolver_has_history(const ThermalSolver *s) { return s->n_hist > 0; }

/* The cell of faces f[0..n] holding x (clamped to the ends). */
static int cell_of(const double *f, int n, double x) {
  int lo = 0, hi = n - 1;
  while (lo < hi) {
    const int mid = (lo + hi + 1) / 2;
    if (f[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

int ThermalSolver_seed(ThermalSolver *s, const Case *c, const Grid *from, const double *t,
                       const double *tf) {
  const Grid *g = s->g;
  const MPI_Comm comm = Runtime_field_comm();
  const GridRows rows = Rows_own(g, comm), from_rows = Rows_own(from, comm);
  const size_t ncol = (size_t)g->nx * g->ny, ncell = Rows_cells(g, rows);
  const size_t from_plane = Rows_plane(from, from_rows);
  double *ft = malloc(ncell * sizeof(double)), *ftf = malloc(ncol * sizeof(double));
  double *plane = malloc((size_t)from->nx * from->ny * sizeof(double));
  int *ci = malloc((size_t)g->nx * sizeof(int)), *cj = malloc((size_t)g->ny * sizeof(int));
  int ok = ft && ftf && plane && ci && cj && from->nz == g->nz;
  /* every rank goes on or none (the planes are gathered together) */
  if (Runtime_size() > 1 && MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, comm) != MPI_SUCCESS)
    ok = 0;
  char err[EB_ERRLEN];
  for (int i = 0; ok && i < g->nx; i++)
    ci[i] = cell_of(from->x, from->nx, 0.5 * (g->x[i] + g->x[i + 1]));
  for (int j = 0; ok && j < g->ny; j++)
    cj[j] = cell_of(from->y, from->ny, 0.5 * (g->y[j] + g->y[j + 1]));
  /* plane by plane: the coarse plane whole from the ranks' rows, then this
   * rank's rows of the fine one (no rank holds a whole 3-D field) */
  for (int k = 0; ok && k < g->nz; k++) {
    ok = Rows_gather_own(comm, from, t + (size_t)k * from_plane, plane, err, sizeof err) == EB_OK;
    for (int j = rows.j0; ok && j < rows.j1; j++)
      for (int i = 0; i < g->nx; i++) {
        const size_t cc = (size_t)cj[j] * from->nx + ci[i];
        /* a cell the coarse grid leaves void (a circle's edge): its
         * column's coolant, as a cold start has it */
        ft[Rows_at(g, rows, k, (size_t)j * g->nx + i)] = isfinite(plane[cc]) ? plane[cc] : tf[cc];
      }
  }
  for (int j = 0; ok && j < g->ny; j++)
    for (int i = 0; i < g->nx; i++) ftf[(size_t)j * g->nx + i] = tf[(size_t)cj[j] * from->nx + ci[i]];
  if (ok) remember(s, c, rows, ft, ftf, operator_key(c, 1));
  free(ft);
  free(ftf);
  free(plane);
  free(ci);
  free(cj);
  return ok && s->n_hist > 0 ? 0 : -1;
}

/* Why the fixed point did not settle, in the user's terms: the coolant
 * boils (the usual cause at low flow), or the iteration was still
 * contracting and needs more evaluations, or it does not contract. */
static int explain_failure(const FixedPoint *fp, const SteadyStats *st, char *err,
                           size_t err_size) {
  const Case *c = fp->c;
  const double tf_max = fp->march.t_max_k;
  char msg[EB_ERRLEN];
  /* an unsettled iterate's heat is no measure: all the power must be
   * carried (the brick plate takes a few per cent at most) */
  if (Loop_boiling(c, fp->cool->q_m3_s, c->power_w, tf_max, msg, sizeof msg)) {
    snprintf(err, err_size, "thermal: no steady answer: %s", msg);
    return EB_ENOSTATE;
  }
  int more = Steady_evals_to_converge(st, c->nonlinear_tol_k);
  if (more == -2)
    snprintf(err, err_size,
             "thermal: not converged after solver.max_nonlinear_iters = %d evaluations (last "
             "temperature update %.3e K, solver.nonlinear_tol_k %.1e K): too few to converge or "
             "to judge; raise solver.max_nonlinear_iters (the default, 50, suffices for the "
             "shipped cases)",
             c->max_nonlinear_iters, st->last_update, c->nonlinear_tol_k);
  else if (more > 0)
    snprintf(err, err_size,
             "thermal: not converged after solver.max_nonlinear_iters = %d evaluations: the last "
             "temperature update %.3e K is still above solver.nonlinear_tol_k = %.1e K but "
             "falling; about %d more would reach it: raise solver.max_nonlinear_iters to %d",
             c->max_nonlinear_iters, st->last_update, c->nonlinear_tol_k, more,
             c->max_nonlinear_iters + more + 2);
  else
    snprintf(err, err_size,
             "thermal: the coupled coolant and conduction iteration does not settle: the "
             "temperature update is %.3e K after %d evaluations (tolerance %.1e K) and not "
             "falling, so raising solver.max_nonlinear_iters would not help. Check the "
             "warnings of a run at a higher coolant.flow_lpm, or loosen "
             "solver.nonlinear_tol_k if %.1e K is good enough",
             st->last_update, st->evals, c->nonlinear_tol_k, st->last_update);
  return EB_EFAIL;
}

/* The channel's Nu_fd depends on its cross-section and cover only: kept
 * from the last solve when those are the same (saves a duct solve per
 * sweep point with an adiabatic cover). */
static int init_coolant(ThermalSolver *s, const Case *c, char *err, size_t err_size) {
  double flow;
  int rc = Loop_case_flow(c, s->g, &flow, err, err_size);
  if (rc != EB_OK) return rc;
  const CaseLayer *ch = &c->layers[Case_channel_layer(c)];
  double nu_known = s->nu_fd > 0.0 && s->nu_w == ch->channel_width_m &&
                            s->nu_h == ch->channel_height_m && s->nu_cover == ch->cover
                        ? s->nu_fd
                        : 0.0;
  if (s->have_cool) Coolant_free(&s->cool);
  s->have_cool = 0;
  rc = Coolant_init(&s->cool, c, s->g, flow, nu_known, err, err_size);
  if (rc != EB_OK) return rc;
  s->have_cool = 1;
  if (s->cool.h_problem[0]) {
    snprintf(err, err_size, "%s", s->cool.h_problem);
    return EB_EINPUT;
  }
  /* an imposed h skips the duct solve: its Nu is no one's to reuse */
  s->nu_fd = s->cool.h_model == H_CORRELATION ? s->cool.nu_fd : 0.0;
  s->nu_w = ch->channel_width_m;
  s->nu_h = ch->channel_height_m;
  s->nu_cover = ch->cover;
  return EB_OK;
}

int ThermalSolver_solve(ThermalSolver *s, const Case *c, const ThermalOptions *opt,
                        const ThermalHeatSource *heat, ThermalResult *res, char *err,
                        size_t err_size) {
  const Grid *g = s->g;
  memset(res, 0, sizeof *res);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  /* the ranks share the field by rows; one process holds it whole */
  const MPI_Comm comm = Runtime_field_comm();
  const GridRows rows = Rows_own(g, comm);
  const size_t ncol = (size_t)g->nx * g->ny, ncell = Rows_cells(g, rows);
  if (Case_channel_layer(c) != 0 || g->k_source < 0) {
    snprintf(err, err_size, "thermal: the stack needs a microchannel layer first and a heat source");
    return EB_EINPUT;
  }
  ThermalProblem p = {0};
  ThermalState state = {0};
  double *u = NULL;
  FixedPoint fp = {.c = c, .g = g, .opt = opt, .p = &p, .op = s->op, .err = err,
                   .err_size = err_size};
  SteadySegment *seg = NULL;
  fp.t = malloc(ncell * sizeof(double));
  fp.tf = malloc(ncol * sizeof(double));
  fp.q_fluid = calloc(ncol, sizeof(double));
  fp.cool_in = malloc(ncol * sizeof(double));
  int rc = EB_EFAIL;
  if (!fp.t || !fp.tf || !fp.q_fluid || !fp.cool_in) {
    snprintf(err, err_size, "thermal: out of memory for %zu cells", ncell);
    goto done;
  }
  for (size_t q = 0; q < ncell; q++) fp.t[q] = c->inlet_t_k;
  rc = ThermalProblem_init(&p, c, g, fp.t, comm, heat, err, err_size);
  if (rc == EB_OK) rc = init_coolant(s, c, err, err_size);
  if (rc != EB_OK) goto done;
  /* this rank's share of the fixed point's vector, and the blocks it
   * gathers whole */
  const Share sh = share_of(&p);
  const size_t n_face = p.face_marched ? ncol : 0;
  u = malloc((sh.n > 0 ? sh.n : 1) * sizeof(double));
  fp.state_in = malloc((p.n_state + 1) * sizeof(double));
  fp.state_out = malloc((p.n_state + 1) * sizeof(double));
  fp.face_in = malloc((n_face + 1) * sizeof(double));
  fp.face_out = malloc((n_face + 1) * sizeof(double));
  if (!u || !fp.state_in || !fp.state_out || !fp.face_in || !fp.face_out) {
    snprintf(err, err_size, "thermal: out of memory for %zu cells", ncell);
    rc = EB_EFAIL;
    goto done;
  }
  fp.cool = &s->cool;
  fp.rebuild = s->n_hist == 0;
  const uint64_t key = operator_key(c, 0);
  fp.family = operator_key(c, 1);
  fp.same_operator = s->n_hist > 0 && key != 0 && s->op_key == key;
  s->op_key = 0; /* until this solve has assembled its matrix */

  /* the start: the coolant whole, then packed with the field's rows */
  if (s->n_hist > 0 && s->hist[0].power > 0.0)
    warm_guess(s, &fp, fp.cool_in);
  else
    ThermalProblem_column_guess(&p, fp.cool, fp.t, fp.cool_in);
  memcpy(fp.tf, fp.cool_in, ncol * sizeof(double));
  if (opt && opt->no_history) /* no solve follows: the kept answers (a seed) are spent */
    for (; s->n_hist > 0; s->n_hist--) {
      free(s->hist[s->n_hist - 1].t);
      free(s->hist[s->n_hist - 1].tf);
      s->hist[s->n_hist - 1].t = s->hist[s->n_hist - 1].tf = NULL;
    }
  block_own(&p, fp.cool_in, u);
  tdep_share(&p, fp.t, u + sh.own);
  /* the start's junctions with the start's k(T): with the inlet's (the
   * problem's set-up) a warm start's junctions were 0.13 K off on CS-3,
   * one wasted evaluation per sweep point */
  rc = ThermalProblem_refresh_k_own(&p, u + sh.own, err, err_size);
  if (rc == EB_OK) rc = ThermalProblem_heat_state(&p, fp.t, fp.state_in, err, err_size);
  if (rc == EB_OK) rc = ThermalProblem_start_heat(&p, fp.state_in, err, err_size);
  if (rc != EB_OK) goto done;
  if (sh.n_state) memcpy(u + sh.off_state, fp.state_in, p.n_state * sizeof(double));
  /* a marched face's coolant starts at its inlet (ambient_c) */
  for (size_t q = 0; p.face_marched && q < sh.own; q++) u[sh.off_face + q] = p.face_t_in;
  const size_t n = ncol * (1 + (size_t)p.n_tdep) + p.n_state + n_face;
  /* Under MPI, KINSOL's vectors and the map hold this rank's rows of each
   * per-column block (the split of the conduction solve's rows), the heat
   * state on rank 0, and no rank the whole vector: Anderson's history of
   * depth 3 is some 13 vectors, and the map's u and G(u) held every k(T)
   * plane whole on every rank before. */
  int n_seg = 0;
  const int nranks = Runtime_size();
  const SteadySegment own = {.seg_len = ncol, .own_lo = (size_t)rows.j0 * (size_t)g->nx,
                             .own_n = sh.own};
  if (nranks > 1) {
    seg = malloc((size_t)(p.n_tdep + 3) * sizeof *seg);
    if (!seg) {
      snprintf(err, err_size, "thermal: out of memory");
      rc = EB_EFAIL;
      goto done;
    }
    for (int b = 0; b < 1 + p.n_tdep; b++) seg[n_seg++] = own;
    if (p.n_state > 0)
      seg[n_seg++] = (SteadySegment){.seg_len = p.n_state, .own_lo = 0, .own_n = sh.n_state};
    if (p.face_marched) seg[n_seg++] = own;
  }
  SteadyOptions so = {.tol = c->nonlinear_tol_k, .max_evals = c->max_nonlinear_iters,
                      .anderson_depth = 3, .comm = Runtime_comm(), .n_seg = n_seg, .seg = seg,
                      .estimate = 1, .local_map = 1};
  SteadyStats st;
  char serr[256];
  rc = Steady_solve(fp_map, &fp, u, n, &so, &st, serr, sizeof serr);
  if (st.map_failed) {
    rc = fp.map_rc ? fp.map_rc : EB_EFAIL; /* the map's message is in err */
    goto done;
  }
  if (rc != EB_OK) {
    rc = explain_failure(&fp, &st, err, err_size);
    goto done;
  }
  if (fp.last_tol > c->linear_rel_tol && !(fp.last_res <= c->linear_rel_tol)) {
    /* the converged iterate came from an inexact solve: one more at full
     * tolerance (warm, a few PCG iterations) so the answer is exact. A
     * loose solve that reached the full tolerance anyway needs none: on
     * CS-3 at 12 M cells the last solve asked for 1.05e-8 and reached
     * 9.3e-10, and the pass cost a fifth evaluation. */
    fp.final_pass = 1;
    double *g2 = malloc((sh.n > 0 ? sh.n : 1) * sizeof(double));
    SteadyState last = {.evals = st.evals, .last_update = st.last_update};
    rc = g2 ? (fp_map(u, g2, &last, &fp) == 0 ? EB_OK : fp.map_rc ? fp.map_rc : EB_EFAIL)
            : EB_EFAIL;
    if (!g2) snprintf(err, err_size, "thermal: out of memory");
    free(g2);
    st.evals++;
    if (rc != EB_OK) goto done;
  }
  s->op_key = key;
  /* a converged answer with boiling coolant is outside the model */
  char msg[EB_ERRLEN];
  if (Loop_boiling(c, fp.cool->q_m3_s, fp.march.heat_w, fp.march.t_max_k, msg, sizeof msg)) {
    snprintf(err, err_size, "thermal: %s", msg);
    rc = EB_ENOSTATE;
    goto done;
  }
  /* so is a boiling marched face: its hottest strip's outlet against the
   * fluid's boiling point (materials, at atmospheric pressure) */
  if (p.face_marched && fp.face_t_max_k >= Materials_fluid_boiling_k(c->fluid)) {
    const CaseLayer *L = &c->layers[c->n_layers - 1];
    const double t_boil = Materials_fluid_boiling_k(c->fluid);
    char fix[160] = "";
    if (p.face_t_in < t_boil) /* the flow that keeps the mixed outlet below boiling at this heat */
      snprintf(fix, sizeof fix, " (at least %.3g L/min keeps the mixed outlet below boiling)",
               L->face_flow_m3_s * 60000.0 * (fp.face_outlet_k - p.face_t_in) /
                   (t_boil - p.face_t_in));
    snprintf(err, err_size,
             "thermal: the marched coolant of the convective face boils: %.3g W into %.4g L/min "
             "of %s reaches %.0f C in its hottest strip, at or above its boiling point %.0f C; "
             "ebsim models single-phase liquid cooling only: raise stack.%s.flow_lpm%s or lower "
             "stack.%s.ambient_c",
             fp.face_heat_w, L->face_flow_m3_s * 60000.0, Materials_fluid_names()[c->fluid],
             fp.face_t_max_k - 273.15, t_boil - 273.15, L->name, fix, L->name);
    rc = EB_ENOSTATE;
    goto done;
  }
  if (!(opt && opt->no_history)) remember(s, c, rows, fp.t, fp.tf, fp.family);
  state = (ThermalState){.t = fp.t, .tf = fp.tf, .march = fp.march};
  fp.t = fp.tf = NULL;
  rc = Thermal_post(&p, &state, res, err, err_size);
  if (rc != EB_OK) {
    ThermalResult_free(res);
    goto done;
  }
  if (p.face_marched) {
    res->face_marched = 1;
    res->face_outlet_k = fp.face_outlet_k;
    res->face_rise_k = fp.face_outlet_k - p.face_t_in;
  }
  res->nonlinear_iters = st.evals;
  res->linear_iters = fp.linear_iters;
  res->linear_residual = fp.last_res;
  res->nonlinear_residual_k = st.last_update;
  res->nonlinear_error_k = isfinite(st.error_estimate) ? fmin(st.error_estimate, st.last_update)
                                                       : st.last_update;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  res->solve_seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  res->huge_pages_mb = Resources_huge_page_bytes() * 1e-6;
done:
  if (rc != EB_OK && s->n_hist > 1) s->n_hist = 1; /* the history is no longer this operator's */
  free(state.t);
  free(state.tf);
  free(fp.t);
  free(fp.tf);
  free(fp.q_fluid);
  free(fp.cool_in);
  free(fp.state_in);
  free(fp.state_out);
  free(fp.face_in);
  free(fp.face_out);
  free(seg);
  free(u);
  ThermalProblem_free(&p);
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
