/* steady.c - KINSOL fixed point with Anderson acceleration, own measure. */
#include "steady.h"

#include <kinsol/kinsol.h>
#include <limits.h>
#include <math.h>
#include <nvector/nvector_parallel.h>
#include <nvector/nvector_serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sundials/sundials_context.h>

#include "../../cases/case.h"

typedef struct {
  SteadyMap map;
  void *user;
  SteadyStats *st;
  size_t n;
  int max_evals;
  int stop;
  double tol;
  int estimate;
  double *answer; /* G(u) of the evaluation that met the estimate (whole vector; NULL when
                     distributed, where gf holds it) */
  /* distributed: the whole u (the caller's array) and g, and per segment
   * each rank's share */
  MPI_Comm comm;
  int local; /* the map works on shares; the update is reduced over comm */
  int nranks, n_seg;
  const SteadySegment *seg;
  double *uf, *gf;
  int *counts, *displs; /* n_seg x nranks */
  size_t *seg_start;    /* n_seg */
} Driver;

/* One evaluation, recorded. KINSOL gets -1 (unrecoverable) to stop. */
static int evaluate(Driver *d, const double *u, double *g) {
  if (d->st->evals >= d->max_evals) {
    d->stop = 1;
    return -1;
  }
  SteadyState s = {.evals = d->st->evals, .last_update = d->st->last_update};
  if (d->map(u, g, &s, d->user) != 0) {
    d->st->map_failed = 1;
    d->stop = 1;
    return -1;
  }
  double upd = 0.0;
  for (size_t q = 0; q < d->n; q++) upd = fmax(upd, fabs(g[q] - u[q]));
  if (d->local && MPI_Allreduce(MPI_IN_PLACE, &upd, 1, MPI_DOUBLE, MPI_MAX, d->comm) != MPI_SUCCESS) {
    d->st->map_failed = 1;
    d->stop = 1;
    return -1;
  }
  const double prev = d->st->last_update;
  if (d->st->evals < STEADY_HISTORY) d->st->history[d->st->evals] = upd;
  d->st->evals++;
  d->st->last_update = upd;
  /* the error left in G(u), from the contraction the last two updates show */
  const double q = prev > 0.0 && isfinite(prev) ? fmax(upd / prev, STEADY_Q_FLOOR) : INFINITY;
  d->st->error_estimate = q < STEADY_Q_MAX ? q / (1.0 - q) * upd : INFINITY;
  if (d->estimate && upd > d->tol && d->st->error_estimate <= 0.5 * d->tol) {
    /* converged: G(u) is the answer (distributed, it stays in gf: no
     * evaluation follows); KINSOL is stopped (-1) */
    if (d->answer) memcpy(d->answer, g, d->n * sizeof(double));
    d->st->by_estimate = 1;
    d->stop = 1;
    return -1;
  }
  return 0;
}

/* This rank's share (packed, segment after segment) to or from the whole
 * vector. */
static void own_copy(const Driver *d, double *whole, double *share, int to_whole) {
  size_t off = 0;
  for (int s = 0; s < d->n_seg; s++) {
    double *w = whole + d->seg_start[s] + d->seg[s].own_lo;
    if (to_whole)
      memcpy(w, share + off, d->seg[s].own_n * sizeof(double));
    else
      memcpy(share + off, w, d->seg[s].own_n * sizeof(double));
    off += d->seg[s].own_n;
  }
}

/* The whole u on every rank from the shares (one MPI_Allgatherv per
 * segment, in place). */
static int gather(const Driver *d, const double *share) {
  own_copy(d, d->uf, (double *)share, 1);
  for (int s = 0; s < d->n_seg; s++)
    if (MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, d->uf + d->seg_start[s],
                       d->counts + (size_t)s * d->nranks, d->displs + (size_t)s * d->nranks,
                       MPI_DOUBLE, d->comm) != MPI_SUCCESS)
      return -1;
  return 0;
}

static int kin_map(N_Vector uv, N_Vector gv, void *user) {
  Driver *d = user;
  if (!d->uf) return evaluate(d, N_VGetArrayPointer(uv), N_VGetArrayPointer(gv));
  if (gather(d, N_VGetArrayPointer(uv)) != 0) {
    d->st->map_failed = d->stop = 1;
    return -1;
  }
  int rc = evaluate(d, d->uf, d->gf);
  if (rc == 0) own_copy(d, d->gf, N_VGetArrayPointer(gv), 0);
  return rc;
}

/* Set up the distributed vector: checks the segments against n and
 * learns every rank's share of each. */
static const char *distribute(Driver *d, const SteadyOptions *o, double *u) {
  /* the caller's layout is the same on every rank: so is this verdict */
  size_t total = 0;
  for (int s = 0; s < o->n_seg; s++) {
    if (o->seg[s].own_lo + o->seg[s].own_n > o->seg[s].seg_len) return "a share past its segment";
    if (o->seg[s].seg_len > (size_t)INT_MAX) return "a segment longer than MPI counts reach";
    total += o->seg[s].seg_len;
  }
  if (total != d->n) return "segments that do not add up to the vector";
  d->comm = o->comm;
  d->n_seg = o->n_seg;
  d->seg = o->seg;
  d->uf = u; /* the start is copied into KINSOL's vector before u is overwritten */
  d->gf = malloc(d->n * sizeof(double));
  d->counts = malloc((size_t)o->n_seg * (size_t)d->nranks * sizeof(int));
  d->displs = malloc((size_t)o->n_seg * (size_t)d->nranks * sizeof(int));
  d->seg_start = malloc((size_t)o->n_seg * sizeof(size_t));
  int *mine = malloc(2 * (size_t)o->n_seg * sizeof(int));
  int *all = malloc(2 * (size_t)o->n_seg * (size_t)d->nranks * sizeof(int));
  const char *what = NULL;
  if (!d->uf || !d->gf || !d->counts || !d->displs || !d->seg_start || !mine || !all)
    what = "out of memory";
  for (int s = 0; !what && s < o->n_seg; s++) {
    mine[2 * s] = (int)o->seg[s].own_lo;
    mine[2 * s + 1] = (int)o->seg[s].own_n;
    d->seg_start[s] = s ? d->seg_start[s - 1] + o->seg[s - 1].seg_len : 0;
  }
  if (!what && MPI_Allgather(mine, 2 * o->n_seg, MPI_INT, all, 2 * o->n_seg, MPI_INT, d->comm) !=
                   MPI_SUCCESS)
    what = "MPI_Allgather of the shares";
  for (int s = 0; !what && s < o->n_seg; s++) {
    size_t next = 0; /* the shares must tile the segment in rank order */
    for (int r = 0; r < d->nranks; r++) {
      const int lo = all[(size_t)r * 2 * o->n_seg + 2 * s], n = all[(size_t)r * 2 * o->n_seg + 2 * s + 1];
      if ((size_t)lo != next && n > 0) what = "shares that do not tile a segment in rank order";
      d->displs[(size_t)s * d->nranks + r] = lo;
      d->counts[(size_t)s * d->nranks + r] = n;
      next = (size_t)lo + (size_t)n > next ? (size_t)lo + (size_t)n : next;
    }
    if (!what && next != o->seg[s].seg_len) what = "shares that do not cover a segment";
  }
  free(mine);
  free(all);
  /* every rank takes the same way out (memory may fail on one alone) */
  int bad = what != NULL, any = bad;
  if (MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, d->comm) != MPI_SUCCESS) return "MPI_Allreduce";
  return any && !what ? "setting up the distributed vector on another rank" : what;
}

static void kin_silent(int code, const char *module, const char *fn, char *msg, void *data) {
  (void)code;
  (void)module;
  (void)fn;
  (void)msg;
  (void)data;
}

int Steady_solve(SteadyMap map, void *user, double *u, size_t n, const SteadyOptions *o,
                 SteadyStats *st, char *err, size_t err_size) {
  memset(st, 0, sizeof *st);
  st->last_update = INFINITY;
  st->error_estimate = INFINITY;
  Driver d = {.map = map, .user = user, .st = st, .n = n, .max_evals = o->max_evals, .nranks = 1,
              .tol = o->tol, .estimate = o->estimate};
  SUNContext ctx = NULL;
  N_Vector uv = NULL, scale = NULL, gv = NULL;
  void *kmem = NULL;
  int rc = EB_EFAIL;
  const char *what = NULL;
  if (o->comm != MPI_COMM_NULL && o->n_seg > 0 && MPI_Comm_size(o->comm, &d.nranks) != MPI_SUCCESS)
    what = "MPI_Comm_size";
  /* a distributed vector: KINSOL's own vectors hold this rank's share */
  size_t own = n;
  if (!what && d.nranks > 1) {
    own = 0;
    for (int s = 0; s < o->n_seg; s++) own += o->seg[s].own_n;
    if (o->local_map) { /* the map takes shares: nothing whole here */
      d.local = 1;
      d.comm = o->comm;
      d.n = own;
    } else {
      what = distribute(&d, o, u);
    }
  }
  const int parallel = d.uf || d.local;
  if (!what && SUNContext_Create(parallel ? (void *)&d.comm : NULL, &ctx) != 0)
    what = "SUNContext_Create";
  if (!what && parallel &&
      !(uv = N_VNew_Parallel(d.comm, (sunindextype)own, (sunindextype)n, ctx)))
    what = "N_VNew_Parallel (out of memory)";
  if (!what && !parallel && !(uv = N_VNew_Serial((sunindextype)n, ctx)))
    what = "N_VNew_Serial (out of memory)";
  if (!what && !(scale = N_VClone(uv))) what = "N_VClone (out of memory)";
  if (!what && !(gv = N_VClone(uv))) what = "N_VClone (out of memory)";
  if (!what && !(kmem = KINCreate(ctx))) what = "KINCreate";
  if (!what && d.estimate && !d.uf && !(d.answer = malloc(d.n * sizeof(double))))
    what = "the answer's vector (out of memory)";
  if (!what) {
    if (d.uf)
      own_copy(&d, u, N_VGetArrayPointer(uv), 0);
    else
      memcpy(N_VGetArrayPointer(uv), u, d.n * sizeof(double));
    N_VConst(1.0, scale);
  }
  if (!what && KINSetMAA(kmem, o->anderson_depth) != KIN_SUCCESS) what = "KINSetMAA";
  if (!what && KINInit(kmem, kin_map, uv) != KIN_SUCCESS) what = "KINInit (out of memory?)";
  if (!what && KINSetUserData(kmem, &d) != KIN_SUCCESS) what = "KINSetUserData";
  if (!what && KINSetFuncNormTol(kmem, o->tol) != KIN_SUCCESS) what = "KINSetFuncNormTol";
  if (!what && KINSetNumMaxIters(kmem, o->max_evals) != KIN_SUCCESS) what = "KINSetNumMaxIters";
  if (!what && KINSetErrHandlerFn(kmem, kin_silent, NULL) != KIN_SUCCESS) what = "KINSetErrHandlerFn";
  if (what) {
    snprintf(err, err_size, "steady: could not set up KINSOL (%s)", what);
    goto done;
  }
  st->kinsol_flag = KINSol(kmem, uv, KIN_FP, scale, scale);
  /* KINSOL stopped on its own test (or its cap): continue with plain steps
   * (the map contracts) until our measure is met, within the cap */
  double *uu = N_VGetArrayPointer(uv), *gg = N_VGetArrayPointer(gv);
  if (d.uf) { /* the plain steps on the whole vector, the same on every rank */
    if (gather(&d, uu) != 0) {
      snprintf(err, err_size, "steady: MPI_Allgatherv of the iterate failed");
      goto done;
    }
    uu = d.uf;
    gg = d.gf;
  }
  while (!d.stop && !(st->last_update <= o->tol)) {
    if (evaluate(&d, uu, gg) != 0) break;
    memcpy(uu, gg, d.n * sizeof(double));
  }
  if (st->by_estimate)
    memcpy(u, d.answer ? d.answer : d.gf, d.n * sizeof(double));
  else if (uu != u)
    memcpy(u, uu, d.n * sizeof(double));
  st->converged = !st->map_failed && (st->last_update <= o->tol || st->by_estimate);
  rc = st->converged ? EB_OK : EB_EFAIL;
  if (!st->converged && !st->map_failed)
    snprintf(err, err_size,
             "steady: no convergence in %d evaluations: last change %.3e, tolerance %.1e",
             st->evals, st->last_update, o->tol);
done:
  free(d.answer);
  free(d.gf);
  free(d.counts);
  free(d.displs);
  free(d.seg_start);
  if (kmem) KINFree(&kmem);
  if (gv) N_VDestroy(gv);
  if (scale) N_VDestroy(scale);
  if (uv) N_VDestroy(uv);
  if (ctx) SUNContext_Free(&ctx);
  return rc;
}

int Steady_evals_to_converge(const SteadyStats *st, double tol) {
  int n = st->evals < STEADY_HISTORY ? st->evals : STEADY_HISTORY;
  if (n < 4) return -2;
  /* geometric rate over the last few evaluations (Anderson is irregular:
   * take the mean rate over up to 6 steps) */
  int k = n - 1, j = n - 1 - (n > 6 ? 6 : n - 1);
  double a = st->history[j], b = st->history[k];
  if (!(a > 0.0) || !(b > 0.0) || !(b < 0.9 * a)) return -1;
  double rate = pow(b / a, 1.0 / (k - j));
  if (!(rate < 0.98)) return -1;
  double more = log(tol / b) / log(rate);
  return more < 1.0 ? 1 : (int)ceil(more);
}
