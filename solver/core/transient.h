/* transient.h - the time driver: dy/dt = f(t, y) integrated by SUNDIALS
 * CVODE (BDF, variable order and step) with a preconditioned Krylov linear
 * solver (flexible GMRES, SPFGMR: the preconditioner may be an inexact
 * inner solve that varies between calls), and CVODE's root finding for events (the time a limit is
 * first crossed).
 *
 * The caller supplies f and, for stiff conduction problems, a
 * preconditioner: an approximate solve of (I - gamma J) z = r, which for
 * M dT/dt = -A T + q is (A + M / gamma) z = (M / gamma) r, the diffusion
 * operator with a diagonal shift (diffusion.h). The driver reports steps,
 * rejected steps (error test and convergence failures), nonlinear and
 * linear iterations, and stops at each output time and at every root. */
#ifndef EBSIM_TRANSIENT_H
#define EBSIM_TRANSIENT_H

#include <mpi.h>
#include <stddef.h>

/* ydot = f(t, y), n values. Return 0; > 0 for a recoverable failure (CVODE
 * retries with a smaller step); < 0 to stop (the caller keeps its message). */
typedef int (*TransientRhs)(double t, const double *y, double *ydot, void *user);
/* Prepare the preconditioner of (I - gamma J) at (t, y); same returns. */
typedef int (*TransientPrecSetup)(double t, const double *y, double gamma, void *user);
/* z = P^-1 r for the prepared (t, y, gamma); same returns. */
typedef int (*TransientPrecSolve)(double t, const double *y, const double *r, double *z,
                                  double gamma, void *user);
/* Jv = J(t, y) v exactly (an f affine in y between preconditioner
 * set-ups: its homogeneous part applied to v); same returns. NULL: CVODE's
 * difference quotient. */
typedef int (*TransientJacTimes)(double t, const double *y, const double *v, double *jv,
                                 void *user);
/* n_roots event functions g_i(t, y): an event is a sign change. */
typedef int (*TransientRoots)(double t, const double *y, double *g, void *user);

typedef struct {
  /* NULL (or MPI_COMM_NULL): y is whole here (SUNDIALS' serial or OpenMP
   * vector). Else y is split over *comm's ranks (nvecparallel): n is this rank's
   * part, every callback sees and fills this rank's part only, and each is
   * called on every rank at once (CVODE's decisions rest on norms reduced
   * over comm; the root functions must give every rank the same values). */
  const MPI_Comm *comm;
  size_t n;
  TransientRhs rhs;
  TransientPrecSetup prec_setup; /* NULL: no preconditioner */
  TransientPrecSolve prec_solve;
  TransientJacTimes jtimes;      /* NULL: difference quotients */
  int n_roots;                   /* 0: no events */
  TransientRoots roots;
  void *user;
  double rel_tol, abs_tol;       /* CVODE's local error tolerances (abs in y's unit) */
  double max_step;               /* 0: no limit */
  int max_krylov;                /* 0: 10 */
  int threads;                   /* > 1: OpenMP threads for the vector operations (whole y) */
  double eps_lin;                /* Krylov tolerance factor against the Newton test (0: CVODE's 0.05) */
} TransientOptions;

typedef struct {
  long steps, rejected_error, rejected_convergence;
  long nonlinear_iters, linear_iters, rhs_evals, prec_setups, prec_solves;
  int last_order;
  double last_step;
} TransientStats;

typedef struct Transient Transient;

/* Start at time t0 from y0 (copied). EB_OK, EB_EINPUT (n = 0, no rhs,
 * tolerances not positive), EB_EFAIL (SUNDIALS set-up). */
int Transient_create(const TransientOptions *o, double t0, const double *y0, Transient **out,
                     char *err, size_t err_size);
void Transient_destroy(Transient *tr);

/* Advance to t_out (> the current time) or to the first root before it;
 * with one_step, by one internal step towards t_out (which it may pass,
 * up to a stop time). y gets the state at *t_reached (interpolated when
 * CVODE stepped past it); *root is the index of the event function that
 * changed sign (-1: none). EB_OK, or EB_EFAIL with CVODE's reason and the
 * time it stopped at. */
int Transient_advance(Transient *tr, double t_out, int one_step, double *y, double *t_reached,
                      int *root, char *err, size_t err_size);

/* Never step past t_stop (a jump of f there): CVODE integrates to it
 * exactly instead of interpolating across it. */
int Transient_set_stop(Transient *tr, double t_stop, char *err, size_t err_size);

/* Re-start after a discontinuity of f at the current time (a step in power,
 * a pump trip): CVODE forgets its history so the step is resolved, from y. */
int Transient_restart(Transient *tr, double t, const double *y, char *err, size_t err_size);

void Transient_stats(const Transient *tr, TransientStats *st);

#endif
