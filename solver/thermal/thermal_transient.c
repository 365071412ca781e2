/* thermal_transient.c - the block's heat equation in time (see
 * thermal_transient.h): right-hand side, preconditioner, events, energy. */
#include "thermal_transient.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/resources.h"
#include "../coolant/coolant.h"
#include "../coolant/hydraulics.h"
#include "../core/diffusion.h"
#include "../core/runtime.h"
#include "thermal_post.h"
#include "thermal_problem.h"

/* The preconditioner's solid block is one PFMG V-cycle: a fixed linear
 * operator, so flexible GMRES sees the same preconditioner at every
 * iteration (measured in make bench, see README). */
/* The multigrid hierarchy is rebuilt when M / gamma moved by more than
 * this factor since it was built; between, PCG on the new matrix with the
 * old hierarchy stays exact, only the inner solve needs more iterations. */
#define TT_REBUILD_RATIO 4.0
/* The Krylov tolerance against the Newton test: 0.2 where CVODE's default
 * is 0.05. Measured on the CS-3 power step at 0.77 M cells: 250 against
 * 355 Krylov iterations, the same answer (the Newton iteration absorbs the
 * looser linear solves; the energy check stays at the tolerance). */
#define TT_EPS_LIN 0.2
/* Extra states: heat made, carried out by the coolant, into the brick plate. */
#define TT_ENERGY 3

struct ThermalTransient {
  const Case *c;
  const Grid *g;
  Case *cur;                  /* c with the inlet of now (brick plate, coolant props) */
  ThermalTransientOptions o;
  ThermalProblem p;
  Diffusion *d;
  DiffusionProblem pc;        /* the operator as assembled (shift, coolant face) */
  Coolant cool;
  int have_cool;
  /* Under MPI the state is split by rows as the steady field is
   * (Runtime_field_comm; MPI_COMM_NULL: whole here): each rank holds its
   * rows of every plane (Rows_at) and of the coolant, rank 0 the energy
   * states too. Per-column arrays are whole (2-D) unless marked "own". */
  MPI_Comm comm;
  GridRows rows;
  size_t own, col_lo;         /* columns held, the first of them */
  size_t n_energy;            /* the energy states held here: TT_ENERGY on rank 0, else 0 */
  double cool_flow;           /* flow the coolant's h was set up at */
  double nu_fd;
  size_t ncell, ncol, n;      /* cells held, all columns, state values held */
  int n_dies, brick_layer;
  double *ms;                 /* J/K per solid cell held (0: void) */
  double *cf;                 /* J/K of coolant per column */
  double *mfrac;              /* per column: share of the mass flow through its path */
  int *order, *path_start, n_paths; /* columns path by path, downstream */
  double *gb;                 /* the coolant face's conductance as assembled */
  double *geff, *hpc, *ghi;   /* own: it with the coolant folded in, its h; brick plate face */
  double *src_base;           /* W per column of the map at the case power */
  double *die_nom_base;       /* W per die of the map */
  double *die_f;              /* per die: power factor of the conditions */
  double *tcur, *ap, *bs, *zs; /* cells held */
  double *tm, *fw, *bw;       /* coolant means; a plane of the state gathered whole (two) */
  double *tj;                 /* own: the junction temperatures of the last probe */
  double *tdep;               /* the k(T) planes' rows held (split state) */
  double *heat_state;
  double rho0, cp0, p0, q0;
  double gamma_p, gamma_built;
  double e_stored0;
  Transient *tr;
  double t;
  double *y;
  long refreshes, vcycles;
  double sec_setup, sec_psolve, sec_rhs; /* where the time goes */
  int homogeneous; /* rhs_eval gives the linear part alone: J v (no heat, inlet or plate) */
  int fail_rc;
  char err[EB_ERRLEN];
  ThermalConditions cond;
};

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- conditions ---------------------------------------------------------------- */

static void conditions(ThermalTransient *tt, double t) {
  if (tt->o.conditions)
    tt->o.conditions(t, &tt->cond, tt->o.user);
  else
    tt->cond = (ThermalConditions){.power_w = tt->c->power_w, .flow_m3_s = tt->q0,
                                   .inlet_t_k = tt->c->inlet_t_k};
  const double scale = tt->p0 > 0.0 ? tt->cond.power_w / tt->p0 : 0.0;
  for (int d = 0; d < tt->n_dies; d++)
    tt->die_f[d] = scale * (tt->cond.die_factor ? tt->cond.die_factor[d] : 1.0);
  tt->cur->inlet_t_k = tt->cond.inlet_t_k;
}

static double brick_plate_t(const ThermalTransient *tt) {
  const CaseLayer *last = &tt->c->layers[tt->c->n_layers - 1];
  return Case_brick_plate_t_k(tt->cur, last);
}

/* Mass flow through column col's path now, kg/s. */
static inline double m_col(const ThermalTransient *tt, size_t col) {
  return tt->mfrac[col] * tt->rho0 * tt->cond.flow_m3_s;
}

/* Cell (k, col) of the state's rows. */
static inline size_t at(const ThermalTransient *tt, int k, size_t col) {
  return Rows_at(tt->g, tt->rows, k, col);
}

/* The coolant's outflow temperatures of state y, whole into tt->fw (the
 * paths cross the ranks' rows). */
static int gather_coolant(ThermalTransient *tt, const double *y) {
  return Rows_gather_own(tt->comm, tt->g, y + tt->ncell, tt->fw, tt->err, sizeof tt->err);
}

/* Where the cell's exchange temperature sits between its outflow and its
 * inflow: T_m = T_o - theta (T_o - T_in). The exact profile of a cell at a
 * uniform wall temperature with NTU = G / (m c_p) gives
 * theta = 1/NTU - 1/(e^NTU - 1): 1/2 - NTU/12 at the NTU of normal flows
 * (the steady march's linear profile, theta = 1/2, to 1e-3 of the cell's
 * rise), falling to 0 as the flow stops (a stirred cell at its own
 * temperature; the linear profile would put the outflow above the wall
 * once NTU > 2). */
static inline double exchange_theta(double g, double mcp) {
  if (!(g > 0.0)) return 0.5;
  if (!(mcp > 0.0)) return 0.0;
  const double ntu = g / mcp;
  if (ntu < 1e-3) return 0.5 - ntu / 12.0;
  if (ntu > 700.0) return 1.0 / ntu;
  return 1.0 / ntu - 1.0 / expm1(ntu);
}

/* ---- set-up of the operator at (t, y, gamma) ------------------------------------ */

static int set_coolant(ThermalTransient *tt, double flow) {
  /* h needs some flow: at none, the developing-flow Nu falls to the fully
   * developed one as the flow goes to zero, so a trickle stands for it */
  const double q_h = fmax(flow, 1e-6 * tt->q0);
  if (tt->have_cool && fabs(q_h - tt->cool_flow) <= 1e-12 * tt->cool_flow) return EB_OK;
  if (tt->have_cool) Coolant_free(&tt->cool);
  tt->have_cool = 0;
  int rc = Coolant_init(&tt->cool, tt->cur, tt->g, q_h, tt->nu_fd, tt->err, sizeof tt->err);
  if (rc != EB_OK) return rc;
  tt->have_cool = 1;
  if (tt->cool.h_problem[0]) {
    snprintf(tt->err, sizeof tt->err, "%s", tt->cool.h_problem);
    return EB_EINPUT;
  }
  tt->cool_flow = q_h;
  tt->nu_fd = tt->cool.h_model == H_CORRELATION ? tt->cool.nu_fd : 0.0;
  return EB_OK;
}

/* Coolant cell means from the outflow temperatures of y. */
static void coolant_means(const ThermalTransient *tt, const double *yf, double tin, double *tm) {
  for (int pth = 0; pth < tt->n_paths; pth++) {
    double tup = tin;
    for (int q = tt->path_start[pth]; q < tt->path_start[pth + 1]; q++) {
      const int col = tt->order[q];
      const double th = exchange_theta(tt->gb[col], m_col(tt, col) * tt->cp0);
      tm[col] = yf[col] - th * (yf[col] - tup);
      tup = yf[col];
    }
  }
}

static int refresh(ThermalTransient *tt, double t, const double *y, double gamma) {
  const Grid *g = tt->g;
  ThermalProblem *p = &tt->p;
  conditions(tt, t);
  memcpy(tt->tcur, y, tt->ncell * sizeof(double));
  int rc = EB_OK;
  if (tt->comm == MPI_COMM_NULL)
    ThermalProblem_refresh_k(p);
  else {
    /* each rank its rows of the k(T) planes; the factors are gathered */
    for (int q = 0; q < p->n_tdep; q++)
      memcpy(tt->tdep + (size_t)q * tt->own, tt->tcur + at(tt, p->tdep_k[q], tt->col_lo),
             tt->own * sizeof(double));
    rc = ThermalProblem_refresh_k_own(p, tt->tdep, tt->err, sizeof tt->err);
  }
  if (rc == EB_OK) rc = set_coolant(tt, tt->cond.flow_m3_s);
  if (rc == EB_OK) rc = gather_coolant(tt, y);
  if (rc != EB_OK) return rc;
  coolant_means(tt, tt->fw, tt->cond.inlet_t_k, tt->tm);
  ThermalProblem_set_coolant(p, &tt->cool, tt->tm);
  if (p->heat) {
    for (int d = 0; d < tt->n_dies; d++) p->die_p_nom[d] = tt->die_nom_base[d] * tt->die_f[d];
    for (size_t col = 0; col < tt->ncol; col++)
      p->src_col[col] = tt->src_base[col] * tt->die_f[g->die_of_col[col]];
    rc = ThermalProblem_heat_state(p, tt->tcur, tt->heat_state, tt->err, sizeof tt->err);
    if (rc != EB_OK) return rc;
    rc = ThermalProblem_update_heat(p, tt->heat_state, tt->err, sizeof tt->err);
    if (rc != EB_OK) return rc;
    ThermalProblem_heat_solved(p, tt->heat_state);
  }
  for (int j = tt->rows.j0; j < tt->rows.j1; j++)
    for (int i = 0; i < g->nx; i++) {
      const size_t col = (size_t)j * g->nx + i, o = col - tt->col_lo;
      const double gb = Diffusion_boundary_g(g, &p->op, DIFF_ZLO, i, j, 0);
      const double mcp = m_col(tt, col) * tt->cp0, th = exchange_theta(gb, mcp);
      const double dd = tt->cf[col] / gamma + (1.0 - th) * gb + mcp;
      const double ge = gb > 0.0 ? gb * (1.0 - (1.0 - th) * gb / dd) : 0.0;
      const double area = Grid_dx(g, i) * Grid_dy(g, j);
      tt->gb[col] = gb;
      tt->geff[o] = ge;
      /* the h that gives conductance ge through the same half cell */
      tt->hpc[o] = ge > 0.0 ? 1.0 / (area / ge - area / gb + 1.0 / p->h_lo[o]) : 0.0;
      if (tt->ghi) tt->ghi[o] = Diffusion_boundary_g(g, &p->op, DIFF_ZHI, i, j, g->nz - 1);
    }
  /* the coolant's march reads every column's face */
  rc = Rows_gather_plane(tt->comm, g, tt->gb, tt->err, sizeof tt->err);
  if (rc != EB_OK) return rc;
  /* the heat is added in the right-hand side, not assembled */
  tt->pc = p->op;
  tt->pc.n_plane_src = 0;
  tt->pc.plane_src = NULL;
  tt->pc.robin[DIFF_ZLO] = (DiffusionRobin){.h = tt->hpc};
  if (p->h_hi) tt->pc.robin[DIFF_ZHI] = (DiffusionRobin){.h = p->h_hi};
  tt->pc.shift = tt->ms;
  tt->pc.shift_scale = 1.0 / gamma;
  const double ratio = tt->gamma_built > 0.0 ? gamma / tt->gamma_built : 0.0;
  const int rebuild = !(ratio > 1.0 / TT_REBUILD_RATIO && ratio < TT_REBUILD_RATIO);
  rc = Diffusion_assemble(tt->d, &tt->pc, rebuild, tt->err, sizeof tt->err);
  if (rc != EB_OK) return rc;
  if (rebuild) tt->gamma_built = gamma;
  tt->gamma_p = gamma;
  tt->refreshes++;
  return EB_OK;
}

/* ---- right-hand side ------------------------------------------------------------ */

/* The energy rates of f: heat made, carried out by the coolant, into the
 * brick plate (the last entries of ydot; sample rows read them too), from
 * the state's rows y and its coolant whole yf; the same on every rank
 * (collective). With tt->homogeneous, their linear part alone (J v's
 * entries). */
static int rates(ThermalTransient *tt, double t, const double *y, const double *yf, double *made,
                 double *cool, double *bottom);

/* ydot = f(t, y); with energy, the three energy rates as well (they are the
 * last TT_ENERGY entries of ydot, rank 0's). */
static int rhs_eval(double t, const double *y, double *ydot, void *user) {
  ThermalTransient *tt = user;
  const Grid *g = tt->g;
  const size_t ncell = tt->ncell, own = tt->own, lo = tt->col_lo;
  const ThermalProblem *p = &tt->p;
  conditions(tt, t);
  const int hom = tt->homogeneous;
  const double tin = hom ? 0.0 : tt->cond.inlet_t_k;
  /* coolant: advected cell to cell, exchanging at its cell mean (every
   * rank marches every path on the whole plane, and keeps its rows) */
  int rc = gather_coolant(tt, y);
  if (rc != EB_OK) {
    tt->fail_rc = rc;
    return -1;
  }
  const double *yf = tt->fw;
  double *df = ydot + ncell;
  for (int pth = 0; pth < tt->n_paths; pth++) {
    double tup = tin;
    for (int q = tt->path_start[pth]; q < tt->path_start[pth + 1]; q++) {
      const int col = tt->order[q];
      const double mcp = m_col(tt, col) * tt->cp0;
      const double to = yf[col], tmean = to - exchange_theta(tt->gb[col], mcp) * (to - tup);
      tt->tm[col] = tmean;
      if (col >= (int)lo && col < (int)(lo + own))
        df[col - lo] = (tt->gb[col] * (y[col - lo] - tmean) - mcp * (to - tup)) / tt->cf[col];
      tup = to;
    }
  }
  /* solids: -A T from the assembled operator less its shift and the
   * coolant's folded response */
  rc = Diffusion_apply(tt->d, y, tt->ap, tt->err, sizeof tt->err);
  if (rc != EB_OK) {
    tt->fail_rc = rc;
    return -1;
  }
  const double inv_gp = 1.0 / tt->gamma_p;
  for (size_t q = 0; q < ncell; q++)
    ydot[q] = tt->ms[q] > 0.0 ? -tt->ap[q] + tt->ms[q] * inv_gp * y[q] : 0.0;
  for (size_t o = 0; o < own; o++)
    ydot[o] += -(tt->gb[lo + o] - tt->geff[o]) * y[o] + tt->gb[lo + o] * tt->tm[lo + o];
  /* heat made: the dies (the map times the conditions and the power
   * path's die model), then the power path's layers */
  const size_t ks = at(tt, g->k_source, lo);
  for (size_t o = 0; o < own && !hom; o++) {
    const int d = g->die_of_col[lo + o];
    ydot[ks + o] += tt->src_base[lo + o] * tt->die_f[d] * p->out.die_scale[d];
  }
  for (int s = 1; s < p->n_src && !hom; s++) {
    const size_t off = at(tt, p->src[s].k, lo);
    const double *w = p->src[s].w;
    for (size_t o = 0; o < own; o++) ydot[off + o] += w[o];
  }
  if (tt->ghi && !hom) {
    const double thi = brick_plate_t(tt);
    const size_t top = at(tt, g->nz - 1, lo);
    for (size_t o = 0; o < own; o++) ydot[top + o] += tt->ghi[o] * thi;
  }
  for (size_t q = 0; q < ncell; q++)
    if (tt->ms[q] > 0.0) ydot[q] /= tt->ms[q];
  double e[TT_ENERGY];
  rc = rates(tt, t, y, yf, &e[0], &e[1], &e[2]);
  if (rc != EB_OK) {
    tt->fail_rc = rc;
    return -1;
  }
  if (tt->n_energy) memcpy(ydot + ncell + own, e, sizeof e);
  return 0;
}

static int rhs(double t, const double *y, double *ydot, void *user) {
  ThermalTransient *tt = user;
  const double t0 = now_s();
  const int rc = rhs_eval(t, y, ydot, user);
  tt->sec_rhs += now_s() - t0;
  return rc;
}

/* J v: f is affine in y between set-ups (k, h, theta and the heat are
 * frozen there), so J v is f's homogeneous part applied to v, one operator
 * product, where a difference quotient costs the same product and three
 * more passes over the state. */
static int jtimes(double t, const double *y, const double *v, double *jv, void *user) {
  (void)y;
  ThermalTransient *tt = user;
  tt->homogeneous = 1;
  const int rc = rhs(t, v, jv, user);
  tt->homogeneous = 0;
  return rc;
}

/* ---- preconditioner ------------------------------------------------------------- */

static int psetup(double t, const double *y, double gamma, void *user) {
  ThermalTransient *tt = user;
  const double t0 = now_s();
  int rc = refresh(tt, t, y, gamma);
  tt->sec_setup += now_s() - t0;
  if (rc != EB_OK) {
    tt->fail_rc = rc;
    return -1;
  }
  return 0;
}

static int psolve(double t, const double *y, const double *r, double *z, double gamma,
                  void *user) {
  (void)t;
  (void)y;
  ThermalTransient *tt = user;
  const double t0 = now_s();
  const size_t ncell = tt->ncell, own = tt->own, lo = tt->col_lo;
  for (size_t q = 0; q < ncell; q++) {
    tt->bs[q] = tt->ms[q] > 0.0 ? tt->ms[q] * r[q] / gamma : 0.0;
    tt->zs[q] = 0.0;
  }
  const double *rf = r + ncell;
  for (size_t o = 0; o < own; o++) {
    const size_t col = lo + o;
    const double mcp = m_col(tt, col) * tt->cp0, gb = tt->gb[col];
    const double th = exchange_theta(gb, mcp), dd = tt->cf[col] / gamma + (1.0 - th) * gb + mcp;
    tt->bs[o] += (1.0 - th) * gb * (tt->cf[col] * rf[o] / gamma) / dd;
  }
  int rc = Diffusion_precondition(tt->d, tt->bs, tt->zs, tt->err, sizeof tt->err);
  tt->vcycles++;
  for (size_t q = 0; q < ncell; q++) z[q] = tt->ms[q] > 0.0 ? tt->zs[q] : 0.0;
  /* the coolant block exactly, downstream, given the base: on the whole
   * plane (the base's and the residual's, gathered) */
  if (rc == EB_OK) rc = Rows_gather_own(tt->comm, tt->g, z, tt->bw, tt->err, sizeof tt->err);
  if (rc == EB_OK) rc = gather_coolant(tt, r);
  if (rc != EB_OK) {
    tt->fail_rc = rc;
    return -1;
  }
  const double *zb = tt->bw, *rw = tt->fw;
  double *zf = z + ncell;
  for (int pth = 0; pth < tt->n_paths; pth++) {
    double zup = 0.0;
    for (int q = tt->path_start[pth]; q < tt->path_start[pth + 1]; q++) {
      const int col = tt->order[q];
      const double mcp = m_col(tt, col) * tt->cp0, gb = tt->gb[col];
      const double th = exchange_theta(gb, mcp), dd = tt->cf[col] / gamma + (1.0 - th) * gb + mcp;
      zup = (tt->cf[col] * rw[col] / gamma + gb * zb[col] + (mcp - th * gb) * zup) / dd;
      if (col >= (int)lo && col < (int)(lo + own)) zf[col - lo] = zup;
    }
  }
  for (size_t e = 0; e < tt->n_energy; e++) z[ncell + own + e] = r[ncell + own + e];
  tt->sec_psolve += now_s() - t0;
  return 0;
}

/* ---- events and samples ----------------------------------------------------------- */

typedef struct {
  double tj, tj_x, tj_y, outlet, coolant_max, brick_max;
} Probe;

/* The watched quantities of state y, the same on every rank (collective:
 * the maxima are reduced, the coolant gathered). */
static int probe(ThermalTransient *tt, const double *y, double *die_max, Probe *pr) {
  const Grid *g = tt->g;
  *pr = (Probe){.tj = -INFINITY, .coolant_max = -INFINITY, .brick_max = NAN};
  if (die_max)
    for (int d = 0; d < tt->n_dies; d++) die_max[d] = -INFINITY;
  for (int j = tt->rows.j0; j < tt->rows.j1; j++)
    for (int i = 0; i < g->nx; i++) {
      const size_t col = (size_t)j * g->nx + i;
      const double v = ThermalProblem_junction(&tt->p, y, i, j);
      tt->tj[col - tt->col_lo] = v;
      if (!isfinite(v)) continue;
      if (die_max && v > die_max[g->die_of_col[col]]) die_max[g->die_of_col[col]] = v;
      pr->tj = fmax(pr->tj, v);
    }
  if (tt->brick_layer >= 0) {
    pr->brick_max = -INFINITY;
    const int k0 = g->k0[tt->brick_layer], k1 = k0 + g->nk[tt->brick_layer];
    for (size_t q = at(tt, k0, tt->col_lo); q < at(tt, k1, tt->col_lo); q++)
      if (tt->ms[q] > 0.0) pr->brick_max = fmax(pr->brick_max, y[q]);
  }
  int rc = gather_coolant(tt, y);
  if (rc == EB_OK) rc = Rows_max(tt->comm, &pr->tj, 1, tt->err, sizeof tt->err);
  /* where: the first cell in a scan by rows within THERMAL_HOT_PLACE_TOL_K
   * of the hottest, as the steady result's (the same on any number of ranks) */
  long long hot = LLONG_MAX;
  for (size_t o = 0; o < tt->own && hot == LLONG_MAX; o++)
    if (tt->tj[o] >= pr->tj - THERMAL_HOT_PLACE_TOL_K) hot = (long long)(tt->col_lo + o);
  if (rc == EB_OK) rc = Rows_first(tt->comm, &hot, tt->err, sizeof tt->err);
  if (rc == EB_OK && die_max) rc = Rows_max(tt->comm, die_max, tt->n_dies, tt->err, sizeof tt->err);
  if (rc == EB_OK && tt->brick_layer >= 0)
    rc = Rows_max(tt->comm, &pr->brick_max, 1, tt->err, sizeof tt->err);
  if (rc != EB_OK) return rc;
  if (hot != LLONG_MAX) {
    const int i = (int)(hot % g->nx), j = (int)(hot / g->nx);
    pr->tj_x = 0.5 * (g->x[i] + g->x[i + 1]);
    pr->tj_y = 0.5 * (g->y[j] + g->y[j + 1]);
  }
  double wsum = 0.0, tsum = 0.0;
  for (int pth = 0; pth < tt->n_paths; pth++) {
    const int last = tt->order[tt->path_start[pth + 1] - 1];
    wsum += tt->mfrac[last];
    tsum += tt->mfrac[last] * tt->fw[last];
    for (int q = tt->path_start[pth]; q < tt->path_start[pth + 1]; q++)
      pr->coolant_max = fmax(pr->coolant_max, tt->fw[tt->order[q]]);
  }
  pr->outlet = wsum > 0.0 ? tsum / wsum : NAN;
  return EB_OK;
}

static int roots(double t, const double *y, double *gout, void *user) {
  (void)t;
  ThermalTransient *tt = user;
  Probe pr;
  const int rc = probe(tt, y, NULL, &pr);
  if (rc != EB_OK) {
    tt->fail_rc = rc;
    return -1;
  }
  const double v[TT_EVENTS] = {pr.tj, pr.outlet, pr.coolant_max, pr.brick_max};
  for (int e = 0; e < TT_EVENTS; e++)
    gout[e] = isfinite(tt->o.limit_k[e]) && isfinite(v[e]) ? v[e] - tt->o.limit_k[e] : -1.0;
  return 0;
}

static int rates(ThermalTransient *tt, double t, const double *y, const double *yf, double *made,
                 double *cool, double *bottom) {
  const Grid *g = tt->g;
  const ThermalProblem *p = &tt->p;
  const size_t own = tt->own, lo = tt->col_lo;
  conditions(tt, t);
  const int hom = tt->homogeneous;
  const double tin = hom ? 0.0 : tt->cond.inlet_t_k;
  double e[2] = {0.0, 0.0}, e_cool = 0.0; /* heat made, into the brick plate; carried out */
  for (size_t o = 0; o < own && !hom; o++) {
    const int d = g->die_of_col[lo + o];
    e[0] += tt->src_base[lo + o] * tt->die_f[d] * p->out.die_scale[d];
  }
  for (int s = 1; s < p->n_src && !hom; s++)
    for (size_t o = 0; o < own; o++) e[0] += p->src[s].w[o];
  for (int pth = 0; pth < tt->n_paths; pth++) {
    const int last = tt->order[tt->path_start[pth + 1] - 1];
    e_cool += m_col(tt, last) * tt->cp0 * (yf[last] - tin);
  }
  if (tt->ghi) {
    const double thi = hom ? 0.0 : brick_plate_t(tt);
    const size_t top = at(tt, g->nz - 1, lo);
    for (size_t o = 0; o < own; o++)
      if (tt->ghi[o] > 0.0) e[1] += tt->ghi[o] * (y[top + o] - thi);
  }
  const int rc = Rows_sum(tt->comm, e, 2, tt->err, sizeof tt->err);
  *made = e[0];
  *cool = e_cool;
  *bottom = e[1];
  return rc;
}

/* The heat stored since 0 K, J (collective). */
static int stored(ThermalTransient *tt, const double *y, double *e_j) {
  double e = 0.0;
  for (size_t q = 0; q < tt->ncell; q++)
    if (tt->ms[q] > 0.0) e += tt->ms[q] * y[q];
  for (size_t o = 0; o < tt->own; o++) e += tt->cf[tt->col_lo + o] * y[tt->ncell + o];
  const int rc = Rows_sum(tt->comm, &e, 1, tt->err, sizeof tt->err);
  *e_j = e;
  return rc;
}

int ThermalTransient_sample(ThermalTransient *tt, ThermalSample *s, double *die_max, char *err,
                            size_t es) {
  Probe pr;
  memset(s, 0, sizeof *s);
  /* the energy states are rank 0's */
  double e[TT_ENERGY + 1] = {0};
  if (tt->n_energy) memcpy(e, tt->y + tt->ncell + tt->own, TT_ENERGY * sizeof(double));
  int rc = probe(tt, tt->y, die_max, &pr);
  if (rc == EB_OK)
    rc = rates(tt, tt->t, tt->y, tt->fw, &s->power_w, &s->heat_to_coolant_w, &s->heat_to_bottom_w);
  if (rc == EB_OK) rc = stored(tt, tt->y, &e[TT_ENERGY]);
  if (rc == EB_OK) rc = Rows_bcast(tt->comm, e, (int)sizeof e, 0, tt->err, sizeof tt->err);
  if (rc != EB_OK) {
    snprintf(err, es, "transient: a sample at t = %.4g s failed: %s", tt->t, tt->err);
    return rc;
  }
  s->t_s = tt->t;
  s->tj_max_k = pr.tj;
  s->tj_max_x_m = pr.tj_x;
  s->tj_max_y_m = pr.tj_y;
  s->outlet_k = pr.outlet;
  s->coolant_max_k = pr.coolant_max;
  s->brick_max_k = pr.brick_max;
  s->stored_w = s->power_w - s->heat_to_coolant_w - s->heat_to_bottom_w;
  s->flow_m3_s = tt->cond.flow_m3_s;
  s->inlet_k = tt->cond.inlet_t_k;
  s->dp_pa = 0.0;
  if (tt->cond.flow_m3_s > 0.0 && tt->have_cool) {
    HydDrop drop;
    Hyd_drop(&tt->cool.net, tt->cond.flow_m3_s, &tt->cool.inlet, &drop);
    s->dp_pa = drop.total_pa;
  }
  s->e_made_j = e[0];
  s->e_coolant_j = e[1];
  s->e_bottom_j = e[2];
  s->e_stored_j = e[TT_ENERGY] - tt->e_stored0;
  s->e_error_j = s->e_made_j - s->e_coolant_j - s->e_bottom_j - s->e_stored_j;
  return EB_OK;
}

const double *ThermalTransient_field(ThermalTransient *tt) {
  for (size_t q = 0; q < tt->ncell; q++) tt->tcur[q] = tt->ms[q] > 0.0 ? tt->y[q] : NAN;
  return tt->tcur;
}

int ThermalTransient_coolant(ThermalTransient *tt, double *tf, char *err, size_t es) {
  const int rc = gather_coolant(tt, tt->y);
  if (rc != EB_OK) {
    snprintf(err, es, "%s", tt->err);
    return rc;
  }
  coolant_means(tt, tt->fw, tt->cond.inlet_t_k, tf);
  return EB_OK;
}

int ThermalTransient_result(ThermalTransient *tt, ThermalResult *res, char *err, size_t es) {
  ThermalProblem *p = &tt->p;
  const Grid *g = tt->g;
  const size_t ncell = tt->ncell, ncol = tt->ncol, own = tt->own, lo = tt->col_lo;
  ThermalState st = {.t = malloc(ncell * sizeof(double)), .tf = malloc(ncol * sizeof(double))};
  if (!st.t || !st.tf) {
    free(st.t);
    free(st.tf);
    snprintf(err, es, "transient: out of memory for a snapshot of %zu cells", ncell);
    return EB_EFAIL;
  }
  conditions(tt, tt->t);
  memcpy(st.t, ThermalTransient_field(tt), ncell * sizeof(double));
  Probe pr;
  int rc = ThermalTransient_coolant(tt, st.tf, err, es);
  if (rc == EB_OK && (rc = probe(tt, tt->y, NULL, &pr)) != EB_OK) snprintf(err, es, "%s", tt->err);
  /* the heat made now and the coolant's face at this state */
  double heat = 0.0;
  for (size_t o = 0; o < own && rc == EB_OK; o++) {
    const int d = g->die_of_col[lo + o];
    p->src_eff[o] = tt->src_base[lo + o] * tt->die_f[d] * p->out.die_scale[d];
    p->t_lo[o] = st.tf[lo + o];
    heat += tt->gb[lo + o] * (tt->y[o] - st.tf[lo + o]);
  }
  if (rc == EB_OK && (rc = Rows_sum(tt->comm, &heat, 1, tt->err, sizeof tt->err)) != EB_OK)
    snprintf(err, es, "%s", tt->err);
  if (rc == EB_OK) {
    st.march = (CoolantMarch){.t_outlet_k = pr.outlet, .t_max_k = pr.coolant_max, .heat_w = heat};
    rc = Thermal_post(p, &st, res, err, es);
  }
  free(st.t);
  free(st.tf);
  return rc;
}

void ThermalTransient_stats(const ThermalTransient *tt, TransientStats *st) {
  Transient_stats(tt->tr, st);
}

void ThermalTransient_work(const ThermalTransient *tt, ThermalTransientWork *w) {
  *w = (ThermalTransientWork){.refreshes = tt->refreshes, .vcycles = tt->vcycles,
                              .setup_s = tt->sec_setup, .psolve_s = tt->sec_psolve,
                              .rhs_s = tt->sec_rhs};
}

/* ---- life cycle ------------------------------------------------------------------ */

/* Threads for CVODE's vector operations: the cores of this machine when
 * this is the only MPI rank (OMP_NUM_THREADS, if set, decides) and the
 * state is large enough to be memory-bound, else one (the ranks share the
 * cores; on a small state the threads' synchronisation costs more than the
 * work). Measured on 2 cores, CS-3 power step at 0.77 M cells: 31.9 s on
 * one thread, 22.7 s on two. */
static int vector_threads(size_t n_state) {
  if (Runtime_size() > 1 || n_state < 200000) return 1;
  const char *env = getenv("OMP_NUM_THREADS");
  long n = env && *env ? strtol(env, NULL, 10) : Resources_cpus();
  return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}

/* The coolant's paths, downstream, and each column's share of the flow. */
static void build_paths(ThermalTransient *tt) {
  const Coolant *k = &tt->cool;
  int q = 0, np = 0;
  for (int s = 0; s < k->n_strips; s++) {
    const double share = k->strip_m[s] / k->m_dot;
    if (!k->split) {
      tt->path_start[np++] = q;
      for (int a = 0; a < k->n_along; a++) {
        const size_t col = Coolant_col(k, s, a);
        tt->order[q++] = (int)col;
        tt->mfrac[col] = share;
      }
      continue;
    }
    tt->path_start[np++] = q;
    for (int a = k->a_centre; a < k->n_along; a++) {
      const size_t col = Coolant_col(k, s, a);
      tt->order[q++] = (int)col;
      tt->mfrac[col] = 0.5 * share;
    }
    tt->path_start[np++] = q;
    for (int a = k->a_centre - 1; a >= 0; a--) {
      const size_t col = Coolant_col(k, s, a);
      tt->order[q++] = (int)col;
      tt->mfrac[col] = 0.5 * share;
    }
  }
  tt->path_start[np] = q;
  tt->n_paths = np;
}

/* Heat capacities: each cell's solid; the fins' copper into the base cells
 * beside the channels; the coolant in the channels over each column. */
static void capacities(ThermalTransient *tt) {
  const Grid *g = tt->g;
  const CaseLayer *L = &tt->c->layers[Case_channel_layer(tt->c)];
  const Solid *fin = Case_solid(tt->c, L->material);
  const double pitch = L->channel_width_m + L->fin_thickness_m;
  const double fin_share = L->fin_thickness_m / pitch, fluid_share = L->channel_width_m / pitch;
  for (int k = 0; k < g->nz; k++)
    for (int j = tt->rows.j0; j < tt->rows.j1; j++)
      for (int i = 0; i < g->nx; i++) {
        const size_t col = (size_t)j * g->nx + i, q = at(tt, k, col);
        const uint8_t s = Grid_solid(g, k, col);
        const double v = Grid_dx(g, i) * Grid_dy(g, j) * Grid_dz(g, k);
        tt->ms[q] = s == GRID_VOID ? 0.0 : g->solids[s].rho_kg_m3 * g->solids[s].cp_j_kgk * v;
      }
  for (int j = 0; j < g->ny; j++)
    for (int i = 0; i < g->nx; i++) {
      const size_t col = (size_t)j * g->nx + i;
      const double vol = Grid_dx(g, i) * Grid_dy(g, j) * L->channel_height_m;
      if (Rows_has(g, tt->rows, col) && tt->ms[at(tt, 0, col)] > 0.0 && fin)
        tt->ms[at(tt, 0, col)] += fin->rho_kg_m3 * fin->cp_j_kgk * fin_share * vol;
      tt->cf[col] = tt->rho0 * tt->cp0 * fluid_share * vol;
    }
}

int ThermalTransient_create(const Case *c, const Grid *g, const ThermalHeatSource *heat,
                            const ThermalTransientOptions *o, double t0, const double *t_k,
                            const double *tf_k, ThermalTransient **out, char *err,
                            size_t es) {
  *out = NULL;
  if (Case_channel_layer(c) != 0 || g->k_source < 0) {
    snprintf(err, es, "transient: the stack needs a microchannel layer first and a heat source");
    return EB_EINPUT;
  }
  /* a solid without a heat capacity (a case's own material given by its
   * conductivity only) would make a cell without mass: the state then
   * drifts with no energy stored (measured: 1.5 K in 20 s at constant power,
   * the balance off by 140 %) */
  for (int s = 0; s < g->n_solids; s++)
    if (!(g->solids[s].rho_kg_m3 > 0.0 && g->solids[s].cp_j_kgk > 0.0)) {
      snprintf(err, es,
               "transient: the material '%s' has no heat capacity (rho_kg_m3 %g, cp_j_kgk %g): a "
               "transient needs both: add rho_kg_m3 and cp_j_kgk to materials.%s in the case "
               "(the library's copper has 8933 and 385, Incropera Table A.1)",
               g->solids[s].name, g->solids[s].rho_kg_m3, g->solids[s].cp_j_kgk,
               g->solids[s].name);
      return EB_EINPUT;
    }
  if (g->nk_fin > 0) {
    snprintf(err, es,
             "transient: the scenarios model the cold plate with fin_model: efficiency only; the "
             "resolved fins (stack.%s.fin_model: resolved) are steady-state so far: set "
             "--set stack.%s.fin_model=efficiency for the transient",
             c->layers[0].name, c->layers[0].name);
    return EB_EINPUT;
  }
  const CaseLayer *last = &c->layers[c->n_layers - 1];
  if (last->kind == LAYER_CONVECTIVE && last->face_coolant == FACE_MARCHED) {
    snprintf(err, es,
             "transient: the scenarios hold a convective face's coolant at its ambient; the "
             "marched one (stack.%s.coolant: marched) is steady-state so far: set --set "
             "stack.%s.coolant=fixed --set stack.%s.flow_lpm=~ for the transient",
             last->name, last->name, last->name);
    return EB_EINPUT;
  }
  ThermalTransient *tt = calloc(1, sizeof *tt);
  if (!tt) goto oom;
  tt->c = c;
  tt->g = g;
  tt->o = *o;
  tt->comm = Runtime_field_comm();
  tt->rows = Rows_own(g, tt->comm);
  tt->own = Rows_plane(g, tt->rows);
  tt->col_lo = (size_t)tt->rows.j0 * (size_t)g->nx;
  tt->ncell = Rows_cells(g, tt->rows);
  tt->ncol = (size_t)g->nx * g->ny;
  tt->n_energy = Runtime_rank() == 0 ? TT_ENERGY : 0;
  tt->n = tt->ncell + tt->own + tt->n_energy;
  tt->n_dies = c->die_columns * c->die_rows;
  tt->brick_layer = Case_brick_layer(c);
  tt->p0 = c->power_w;
  const size_t ncell = tt->ncell, ncol = tt->ncol, own = tt->own;
  tt->cur = malloc(sizeof *tt->cur);
  tt->ms = malloc(ncell * sizeof(double));
  tt->cf = malloc(ncol * sizeof(double));
  tt->mfrac = malloc(ncol * sizeof(double));
  tt->order = malloc(ncol * sizeof(int));
  tt->path_start = malloc((2 * (size_t)(g->nx + g->ny) + 2) * sizeof(int));
  tt->gb = calloc(ncol, sizeof(double));
  tt->geff = calloc(own, sizeof(double));
  tt->hpc = calloc(own, sizeof(double));
  tt->src_base = malloc(ncol * sizeof(double));
  tt->die_nom_base = malloc((size_t)tt->n_dies * sizeof(double));
  tt->die_f = malloc((size_t)tt->n_dies * sizeof(double));
  tt->tcur = malloc(ncell * sizeof(double));
  tt->ap = malloc(ncell * sizeof(double));
  tt->tm = malloc(ncol * sizeof(double));
  tt->fw = malloc(ncol * sizeof(double));
  tt->tj = malloc(own * sizeof(double));
  tt->bw = malloc(ncol * sizeof(double));
  tt->bs = malloc(ncell * sizeof(double));
  tt->zs = malloc(ncell * sizeof(double));
  tt->y = malloc(tt->n * sizeof(double));
  tt->heat_state = malloc(((size_t)(heat ? heat->n_layers + 1 : 1) * tt->n_dies) * sizeof(double));
  if (!tt->cur || !tt->ms || !tt->cf || !tt->mfrac || !tt->order || !tt->path_start || !tt->gb ||
      !tt->geff || !tt->hpc || !tt->src_base || !tt->die_nom_base || !tt->die_f || !tt->tcur ||
      !tt->ap || !tt->tm || !tt->fw || !tt->bw || !tt->tj || !tt->bs || !tt->zs || !tt->y ||
      !tt->heat_state)
    goto oom;
  *tt->cur = *c;
  for (size_t q = 0; q < ncell; q++) tt->tcur[q] = isfinite(t_k[q]) ? t_k[q] : c->inlet_t_k;
  /* the problem holds the state's rows (its k(T) set in refresh) */
  int rc = ThermalProblem_init(&tt->p, c, g, tt->tcur, tt->comm, heat, err, es);
  if (rc != EB_OK) {
    ThermalTransient_destroy(tt);
    return rc;
  }
  if (tt->p.h_hi && !(tt->ghi = calloc(own, sizeof(double)))) goto oom;
  if (tt->comm != MPI_COMM_NULL &&
      !(tt->tdep = malloc(((size_t)tt->p.n_tdep * own + 1) * sizeof(double))))
    goto oom;
  memcpy(tt->src_base, tt->p.src_col, ncol * sizeof(double));
  memcpy(tt->die_nom_base, tt->p.die_p_nom, (size_t)tt->n_dies * sizeof(double));
  for (int d = 0; d < tt->n_dies; d++) tt->p.out.die_scale[d] = 1.0;
  FluidProps in;
  Materials_fluid_props(c->fluid, c->inlet_t_k, &in);
  tt->rho0 = in.rho_kg_m3;
  tt->cp0 = in.cp_j_kgk;
  /* the flow at t0 sets the coolant's paths and shares */
  tt->q0 = c->flow_m3_s;
  conditions(tt, t0);
  tt->q0 = tt->cond.flow_m3_s > 0.0 ? tt->cond.flow_m3_s : fmax(c->flow_m3_s, 1e-6);
  rc = set_coolant(tt, tt->cond.flow_m3_s);
  if (rc != EB_OK) {
    snprintf(err, es, "%s", tt->err);
    ThermalTransient_destroy(tt);
    return rc;
  }
  build_paths(tt);
  capacities(tt);
  if (!(tt->d = NULL, Diffusion_create(g, &(DiffusionOptions){.comm = Runtime_comm(),
                                                             .rel_tol = 1e-2,
                                                             .max_iters = 1,
                                                             .own_rows = 1},
                                       &tt->d, err, es) == EB_OK)) {
    ThermalTransient_destroy(tt);
    return EB_EFAIL;
  }
  /* the start: the solid as given, the coolant's outflow temperatures from
   * its cell means (the march's: outflow = 2 mean - inflow) */
  memcpy(tt->y, tt->tcur, ncell * sizeof(double));
  rc = tf_k ? EB_OK : Rows_gather_own(tt->comm, g, tt->y, tt->bw, err, es); /* the base, whole */
  for (int pth = 0; pth < tt->n_paths && rc == EB_OK; pth++) {
    double tup = tt->cond.inlet_t_k;
    for (int q = tt->path_start[pth]; q < tt->path_start[pth + 1]; q++) {
      const int col = tt->order[q];
      const double to = tf_k ? 2.0 * tf_k[col] - tup : tt->bw[col];
      if (Rows_has(g, tt->rows, col)) tt->y[ncell + col - tt->col_lo] = to;
      tup = to;
    }
  }
  for (size_t e = 0; e < tt->n_energy; e++) tt->y[ncell + own + e] = 0.0;
  if (rc == EB_OK && (rc = stored(tt, tt->y, &tt->e_stored0)) != EB_OK)
    snprintf(err, es, "%s", tt->err);
  if (rc != EB_OK) {
    ThermalTransient_destroy(tt);
    return rc;
  }
  tt->t = t0;
  /* f needs an assembled operator before CVODE's first call; any gamma will
   * do, the preconditioner set-up replaces it */
  rc = refresh(tt, t0, tt->y, 1e-3);
  if (rc != EB_OK) {
    snprintf(err, es, "%s", tt->err);
    ThermalTransient_destroy(tt);
    return rc;
  }
  TransientOptions to = {.comm = &tt->comm, .n = tt->n, .rhs = rhs, .prec_setup = psetup, .prec_solve = psolve,
                         .jtimes = jtimes,
                         .n_roots = TT_EVENTS, .roots = roots, .user = tt,
                         .rel_tol = o->rel_tol, .abs_tol = o->abs_tol_k,
                         .max_step = o->max_step_s, .max_krylov = 5,
                         .eps_lin = TT_EPS_LIN, .threads = vector_threads(tt->n)};
  rc = Transient_create(&to, t0, tt->y, &tt->tr, err, es);
  if (rc != EB_OK) {
    ThermalTransient_destroy(tt);
    return rc;
  }
  *out = tt;
  return EB_OK;
oom:
  ThermalTransient_destroy(tt);
  snprintf(err, es, "transient: out of memory for %zu cells", Grid_cells(g));
  return EB_EFAIL;
}

void ThermalTransient_destroy(ThermalTransient *tt) {
  if (!tt) return;
  Transient_destroy(tt->tr);
  Diffusion_destroy(tt->d);
  if (tt->have_cool) Coolant_free(&tt->cool);
  ThermalProblem_free(&tt->p);
  free(tt->cur);
  free(tt->ms);
  free(tt->cf);
  free(tt->mfrac);
  free(tt->order);
  free(tt->path_start);
  free(tt->gb);
  free(tt->geff);
  free(tt->hpc);
  free(tt->ghi);
  free(tt->src_base);
  free(tt->die_nom_base);
  free(tt->die_f);
  free(tt->tcur);
  free(tt->ap);
  free(tt->tm);
  free(tt->fw);
  free(tt->tj);
  free(tt->bw);
  free(tt->tdep);
  free(tt->bs);
  free(tt->zs);
  free(tt->y);
  free(tt->heat_state);
  free(tt);
}

int ThermalTransient_advance(ThermalTransient *tt, double t_out, int one_step, double *t_reached,
                             int *event, char *err, size_t es) {
  tt->fail_rc = EB_OK;
  int rc = Transient_advance(tt->tr, t_out, one_step, tt->y, &tt->t, event, err, es);
  *t_reached = tt->t;
  if (rc != EB_OK && tt->fail_rc != EB_OK) {
    /* the model's own failure says more than CVODE's */
    snprintf(err, es, "%s (at t = %.4g s)", tt->err, tt->t);
    return tt->fail_rc;
  }
  return rc;
}

int ThermalTransient_restart(ThermalTransient *tt, char *err, size_t es) {
  return Transient_restart(tt->tr, tt->t, tt->y, err, es);
}

int ThermalTransient_set_stop(ThermalTransient *tt, double t_stop, char *err, size_t es) {
  return Transient_set_stop(tt->tr, t_stop, err, es);
}
