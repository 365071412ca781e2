/* steady.h - the steady driver: a fixed point u = G(u) solved by SUNDIALS
 * KINSOL with Anderson acceleration, with ebsim's own convergence measure
 * (the largest change of one evaluation, max |G(u) - u|, in the unknown's
 * unit) and the history a failure diagnosis needs.
 *
 * KINSOL's own stopping test looks at its accelerated iterates, which can
 * settle while G(u) - u has not: the driver keeps iterating (plain steps,
 * which contract) until its own measure meets the tolerance or the
 * iteration cap is spent. */
#ifndef EBSIM_STEADY_H
#define EBSIM_STEADY_H

#include <mpi.h>
#include <stddef.h>

#define STEADY_HISTORY 1024
#define STEADY_Q_FLOOR 0.1 /* the estimate's least contraction factor */
#define STEADY_Q_MAX 0.5   /* above it the estimate is not used */

typedef struct {
  int evals;              /* evaluations of G so far (the one being made: evals + 1) */
  double last_update;     /* max |G(u) - u| of the last evaluation (INFINITY before one) */
} SteadyState;

/* G: g = G(u), n values. Return 0, or non-zero to stop the solve (the
 * caller keeps its own message). */
typedef int (*SteadyMap)(const double *u, double *g, const SteadyState *st, void *user);

/* A share of u: segment s of u (seg_len values, the segments one after
 * another) is split among the ranks in rank order; this rank owns
 * own_n values from own_lo (relative to the segment's start). */
typedef struct {
  size_t seg_len, own_lo, own_n;
} SteadySegment;

typedef struct {
  double tol;          /* on max |G(u) - u|, or on the estimated error (estimate) */
  int max_evals;       /* cap on evaluations of G */
  int anderson_depth;  /* 0: plain fixed point */
  /* 1: also stop once the estimated error of G(u) is at most tol / 2: a
   * map that contracts by q per step leaves G(u) within q / (1 - q)
   * max |G(u) - u| of its fixed point; q is the ratio of the last two
   * updates, taken no smaller than STEADY_Q_FLOOR and trusted only below
   * STEADY_Q_MAX. The half is a margin for a q that the last two updates
   * understate (on CS-3 one was 15 % low). The answer is then G(u). */
  int estimate;
  /* Optional distributed vector: with comm holding more than one rank and
   * n_seg segments, KINSOL's vectors (about 4 + 3 anderson_depth of them)
   * hold only this rank's share of u, and their dot products are reduced
   * over comm; the map still gets the whole u (gathered) and must return
   * the same whole g on every rank. MPI_COMM_NULL (or 0 segments, or one
   * rank): every rank holds the whole vector. Collective over comm. */
  MPI_Comm comm;
  int n_seg;
  const SteadySegment *seg;
  /* 1 (with a distributed vector): the map gets and returns this rank's
   * share alone (packed, segment after segment, as u is given and
   * returned: the caller's u is then its share), gathers what it needs
   * itself, and the update measure is reduced over comm. No rank then
   * holds the whole vector. */
  int local_map;
} SteadyOptions;

typedef struct {
  int evals;
  int converged;
  int map_failed;      /* the map returned non-zero */
  double last_update;
  /* the estimated error of the answer, q / (1 - q) last_update (INFINITY
   * before two evaluations or when q >= STEADY_Q_MAX) */
  double error_estimate;
  int by_estimate;     /* converged on the estimate (last_update > tol) */
  int kinsol_flag;
  double history[STEADY_HISTORY]; /* max |G(u) - u| per evaluation (the first STEADY_HISTORY) */
} SteadyStats;

/* Solve from u (n values; the answer is written back: the last iterate,
 * u = G(u_prev)), on every rank. EB_OK when converged; EB_EFAIL when not (stats say why:
 * map_failed, or the cap was reached with last_update > tol), or when
 * KINSOL cannot be set up (message in err). */
int Steady_solve(SteadyMap map, void *user, double *u, size_t n, const SteadyOptions *o,
                 SteadyStats *st, char *err, size_t err_size);

/* From the history: the evaluations still needed at the recent rate of
 * contraction to reach tol; -1 when the iteration is not contracting
 * (raising the cap would not help); -2 when there are too few evaluations
 * (under 4) to tell. */
int Steady_evals_to_converge(const SteadyStats *st, double tol);

#endif
