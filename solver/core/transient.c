/* transient.c - CVODE (BDF) with flexible GMRES (SPFGMR) and a user
 * preconditioner on the right, root
 * finding, statistics (see transient.h). */
#include "transient.h"

#include <cvode/cvode.h>
#include <math.h>
#include <nvector/nvector_openmp.h>
#include <nvector/nvector_parallel.h>
#include <nvector/nvector_serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_spfgmr.h>

#include "../../cases/case.h"

struct Transient {
  TransientOptions o;
  SUNContext ctx;
  N_Vector y;
  SUNLinearSolver ls;
  void *cv;
  double t;
  TransientStats before; /* counts of the runs before the last restart (CVodeReInit zeroes them) */
};

static void cvode_counts(const Transient *tr, TransientStats *st);

static int rhs_cb(realtype t, N_Vector y, N_Vector ydot, void *user) {
  Transient *tr = user;
  return tr->o.rhs(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot), tr->o.user);
}

static int psetup_cb(realtype t, N_Vector y, N_Vector fy, booleantype jok, booleantype *jcur,
                     realtype gamma, void *user) {
  (void)fy;
  (void)jok;
  Transient *tr = user;
  *jcur = SUNTRUE; /* the preconditioner is rebuilt from y each time CVODE asks */
  return tr->o.prec_setup(t, N_VGetArrayPointer(y), gamma, tr->o.user);
}

static int psolve_cb(realtype t, N_Vector y, N_Vector fy, N_Vector r, N_Vector z, realtype gamma,
                     realtype delta, int lr, void *user) {
  (void)fy;
  (void)delta;
  (void)lr;
  Transient *tr = user;
  return tr->o.prec_solve(t, N_VGetArrayPointer(y), N_VGetArrayPointer(r), N_VGetArrayPointer(z),
                          gamma, tr->o.user);
}

static int jtimes_cb(N_Vector v, N_Vector jv, realtype t, N_Vector y, N_Vector fy, void *user,
                     N_Vector tmp) {
  (void)fy;
  (void)tmp;
  Transient *tr = user;
  return tr->o.jtimes(t, N_VGetArrayPointer(y), N_VGetArrayPointer(v), N_VGetArrayPointer(jv),
                      tr->o.user);
}

static int roots_cb(realtype t, N_Vector y, realtype *g, void *user) {
  Transient *tr = user;
  return tr->o.roots(t, N_VGetArrayPointer(y), g, tr->o.user);
}

/* CVODE's flag as words. */
static const char *flag_name(int flag) {
  const char *s = CVodeGetReturnFlagName(flag);
  return s ? s : "unknown";
}

int Transient_create(const TransientOptions *o, double t0, const double *y0, Transient **out,
                     char *err, size_t es) {
  *out = NULL;
  if (!o || o->n == 0 || !o->rhs || !(o->rel_tol > 0) || !(o->abs_tol > 0) ||
      (o->n_roots > 0 && !o->roots) || (!o->prec_setup != !o->prec_solve)) {
    snprintf(err, es,
             "transient: the problem needs n > 0, a right-hand side, positive tolerances, an "
             "event function for its events and both preconditioner functions or neither");
    return EB_EINPUT;
  }
  Transient *tr = calloc(1, sizeof *tr);
  if (!tr) {
    snprintf(err, es, "transient: out of memory");
    return EB_EFAIL;
  }
  tr->o = *o;
  tr->t = t0;
  const char *what = NULL;
  int flag = 0;
  if (SUNContext_Create(NULL, &tr->ctx) != 0) what = "SUNContext_Create";
  /* the state vector: threaded when asked (CVODE's and GMRES's vector
   * operations are memory-bound streams over the whole state) */
  int ranks = 1;
  const MPI_Comm comm = o->comm ? *o->comm : MPI_COMM_NULL;
  if (comm != MPI_COMM_NULL) MPI_Comm_size(comm, &ranks);
  if (!what && ranks > 1) {
    /* each rank holds its part; CVODE's norms and dot products reduce */
    long long n_all = 0, n_here = (long long)o->n;
    if (MPI_Allreduce(&n_here, &n_all, 1, MPI_LONG_LONG, MPI_SUM, comm) != MPI_SUCCESS)
      what = "MPI_Allreduce (the state's length)";
    else if (!(tr->y = N_VNew_Parallel(comm, (sunindextype)o->n, (sunindextype)n_all,
                                       tr->ctx)))
      what = "N_VNew_Parallel (out of memory)";
    else if (N_VEnableFusedOps_Parallel(tr->y, SUNTRUE))
      what = "N_VEnableFusedOps_Parallel";
  } else if (!what && o->threads > 1) {
    if (!(tr->y = N_VNew_OpenMP((sunindextype)o->n, o->threads, tr->ctx)))
      what = "N_VNew_OpenMP (out of memory)";
    else if (N_VEnableFusedOps_OpenMP(tr->y, SUNTRUE))
      what = "N_VEnableFusedOps_OpenMP";
  } else if (!what) {
    if (!(tr->y = N_VNew_Serial((sunindextype)o->n, tr->ctx)))
      what = "N_VNew_Serial (out of memory)";
    /* fused operations: one pass over memory for several dot products
     * and linear combinations */
    else if (N_VEnableFusedOps_Serial(tr->y, SUNTRUE))
      what = "N_VEnableFusedOps_Serial";
  }
  if (!what) {
    memcpy(N_VGetArrayPointer(tr->y), y0, o->n * sizeof(double));
    if (!(tr->cv = CVodeCreate(CV_BDF, tr->ctx))) what = "CVodeCreate";
  }
  if (!what && (flag = CVodeInit(tr->cv, rhs_cb, t0, tr->y))) what = "CVodeInit";
  if (!what && (flag = CVodeSetUserData(tr->cv, tr))) what = "CVodeSetUserData";
  if (!what && (flag = CVodeSStolerances(tr->cv, o->rel_tol, o->abs_tol))) what = "CVodeSStolerances";
  if (!what && o->max_step > 0 && (flag = CVodeSetMaxStep(tr->cv, o->max_step)))
    what = "CVodeSetMaxStep";
  if (!what && (flag = CVodeSetMaxNumSteps(tr->cv, 100000))) what = "CVodeSetMaxNumSteps";
  if (!what && !(tr->ls = SUNLinSol_SPFGMR(tr->y, o->prec_setup ? SUN_PREC_RIGHT : SUN_PREC_NONE,
                                          o->max_krylov > 0 ? o->max_krylov : 10, tr->ctx)))
    what = "SUNLinSol_SPFGMR";
  /* classical Gram-Schmidt: its dot products fuse into one pass (with
   * reorthogonalisation left to FGMRES's restarts; the Krylov spaces here
   * are 5 vectors deep) */
  if (!what && (flag = SUNLinSol_SPFGMRSetGSType(tr->ls, SUN_CLASSICAL_GS)))
    what = "SUNLinSol_SPFGMRSetGSType";
  if (!what && (flag = CVodeSetLinearSolver(tr->cv, tr->ls, NULL))) what = "CVodeSetLinearSolver";
  if (!what && o->eps_lin > 0 && (flag = CVodeSetEpsLin(tr->cv, o->eps_lin))) what = "CVodeSetEpsLin";
  if (!what && o->jtimes && (flag = CVodeSetJacTimes(tr->cv, NULL, jtimes_cb)))
    what = "CVodeSetJacTimes";
  if (!what && o->prec_setup && (flag = CVodeSetPreconditioner(tr->cv, psetup_cb, psolve_cb)))
    what = "CVodeSetPreconditioner";
  if (!what && o->n_roots > 0 && (flag = CVodeRootInit(tr->cv, o->n_roots, roots_cb)))
    what = "CVodeRootInit";
  if (what) {
    snprintf(err, es, "transient: %s failed (%s)", what, flag ? flag_name(flag) : "no memory");
    Transient_destroy(tr);
    return EB_EFAIL;
  }
  *out = tr;
  return EB_OK;
}

void Transient_destroy(Transient *tr) {
  if (!tr) return;
  if (tr->cv) CVodeFree(&tr->cv);
  if (tr->ls) SUNLinSolFree(tr->ls);
  if (tr->y) N_VDestroy(tr->y);
  if (tr->ctx) SUNContext_Free(&tr->ctx);
  free(tr);
}

int Transient_advance(Transient *tr, double t_out, int one_step, double *y, double *t_reached,
                      int *root, char *err, size_t es) {
  *root = -1;
  realtype t = tr->t;
  int flag = CVode(tr->cv, t_out, tr->y, &t, one_step ? CV_ONE_STEP : CV_NORMAL);
  tr->t = t;
  *t_reached = t;
  memcpy(y, N_VGetArrayPointer(tr->y), tr->o.n * sizeof(double));
  if (flag == CV_ROOT_RETURN) {
    int *found = calloc((size_t)tr->o.n_roots, sizeof(int));
    if (found && CVodeGetRootInfo(tr->cv, found) == CV_SUCCESS)
      for (int i = 0; i < tr->o.n_roots && *root < 0; i++)
        if (found[i]) *root = i;
    free(found);
    return EB_OK;
  }
  if (flag < 0) {
    snprintf(err, es, "transient: CVODE stopped at t = %.6g s on its way to %.6g s: %s", t, t_out,
             flag_name(flag));
    return EB_EFAIL;
  }
  return EB_OK;
}

int Transient_set_stop(Transient *tr, double t_stop, char *err, size_t es) {
  int flag = CVodeSetStopTime(tr->cv, t_stop);
  if (flag) {
    snprintf(err, es, "transient: CVodeSetStopTime(%.6g s) failed (%s)", t_stop, flag_name(flag));
    return EB_EFAIL;
  }
  return EB_OK;
}

int Transient_restart(Transient *tr, double t, const double *y, char *err, size_t es) {
  TransientStats now;
  cvode_counts(tr, &now);
  tr->before.steps += now.steps;
  tr->before.rejected_error += now.rejected_error;
  tr->before.rejected_convergence += now.rejected_convergence;
  tr->before.nonlinear_iters += now.nonlinear_iters;
  tr->before.linear_iters += now.linear_iters;
  tr->before.rhs_evals += now.rhs_evals;
  tr->before.prec_setups += now.prec_setups;
  tr->before.prec_solves += now.prec_solves;
  memcpy(N_VGetArrayPointer(tr->y), y, tr->o.n * sizeof(double));
  tr->t = t;
  int flag = CVodeReInit(tr->cv, t, tr->y);
  if (flag) {
    snprintf(err, es, "transient: CVodeReInit at t = %.6g s failed (%s)", t, flag_name(flag));
    return EB_EFAIL;
  }
  return EB_OK;
}

void Transient_stats(const Transient *tr, TransientStats *st) {
  cvode_counts(tr, st);
  st->steps += tr->before.steps;
  st->rejected_error += tr->before.rejected_error;
  st->rejected_convergence += tr->before.rejected_convergence;
  st->nonlinear_iters += tr->before.nonlinear_iters;
  st->linear_iters += tr->before.linear_iters;
  st->rhs_evals += tr->before.rhs_evals;
  st->prec_setups += tr->before.prec_setups;
  st->prec_solves += tr->before.prec_solves;
}

/* CVODE's counters since the last (re)initialisation. */
static void cvode_counts(const Transient *tr, TransientStats *st) {
  memset(st, 0, sizeof *st);
  long v;
  if (CVodeGetNumSteps(tr->cv, &v) == CV_SUCCESS) st->steps = v;
  if (CVodeGetNumErrTestFails(tr->cv, &v) == CV_SUCCESS) st->rejected_error = v;
  if (CVodeGetNumNonlinSolvConvFails(tr->cv, &v) == CV_SUCCESS) st->rejected_convergence = v;
  if (CVodeGetNumNonlinSolvIters(tr->cv, &v) == CV_SUCCESS) st->nonlinear_iters = v;
  if (CVodeGetNumLinIters(tr->cv, &v) == CV_SUCCESS) st->linear_iters = v;
  if (CVodeGetNumRhsEvals(tr->cv, &v) == CV_SUCCESS) st->rhs_evals = v;
  if (CVodeGetNumPrecEvals(tr->cv, &v) == CV_SUCCESS) st->prec_setups = v;
  if (CVodeGetNumPrecSolves(tr->cv, &v) == CV_SUCCESS) st->prec_solves = v;
  int q;
  if (CVodeGetLastOrder(tr->cv, &q) == CV_SUCCESS) st->last_order = q;
  realtype h;
  if (CVodeGetLastStep(tr->cv, &h) == CV_SUCCESS) st->last_step = h;
}
