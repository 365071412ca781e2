/* steady.c - KINSOL fixed point with Anderson acceleration, own measure. */
#include "steady.h"

#include <kinsol/kinsol.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdio.h>
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
  if (d->st->evals < STEADY_HISTORY) d->st->history[d->st->evals] = upd;
  d->st->evals++;
  d->st->last_update = upd;
  return 0;
}

static int kin_map(N_Vector uv, N_Vector gv, void *user) {
  return evaluate(user, N_VGetArrayPointer(uv), N_VGetArrayPointer(gv));
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
  Driver d = {.map = map, .user = user, .st = st, .n = n, .max_evals = o->max_evals};
  SUNContext ctx = NULL;
  N_Vector uv = NULL, scale = NULL, gv = NULL;
  void *kmem = NULL;
  int rc = EB_EFAIL;
  const char *what = NULL;
  if (SUNContext_Create(NULL, &ctx) != 0) what = "SUNContext_Create";
  if (!what && !(uv = N_VNew_Serial((sunindextype)n, ctx))) what = "N_VNew_Serial (out of memory)";
  if (!what && !(scale = N_VClone(uv))) what = "N_VClone (out of memory)";
  if (!what && !(gv = N_VClone(uv))) what = "N_VClone (out of memory)";
  if (!what && !(kmem = KINCreate(ctx))) what = "KINCreate";
  if (!what) {
    memcpy(N_VGetArrayPointer(uv), u, n * sizeof(double));
    N_VConst(1.0, scale);
  }
  if (!what && KINSetMAA(kmem, o->anderson_depth) != KIN_SUCCESS) what = "KINSetMAA";
  if (!what && KINInit(kmem, kin_map, uv) != KIN_SUCCESS) what = "KINInit (out of memory?)";
  if (!what && KINSetUserData(kmem, &d) != KIN_SUCCESS) what = "KINSetUserData";
  if (!what && KINSetFuncNormTol(kmem, o->tol) != KIN_SUCCESS) what = "KINSetFuncNormTol";
  if (!what && KINSetNumMaxIters(kmem, o->max_evals) != KIN_SUCCESS) what = "KINSetNumMaxIters";
  if (!what && KINSetErrHandlerFn(kmem, kin_silent, NULL) != KIN_SUCCESS) what = "KINSetErrHandlerFn";
  if (what) {
    snprintf(err, err_size, "steady: could not set up KINSOL: %s failed", what);
    goto done;
  }
  st->kinsol_flag = KINSol(kmem, uv, KIN_FP, scale, scale);
  /* KINSOL stopped on its own test (or its cap): continue with plain steps
   * (the map contracts) until our measure is met, within the cap */
  double *uu = N_VGetArrayPointer(uv), *gg = N_VGetArrayPointer(gv);
  while (!d.stop && !(st->last_update <= o->tol)) {
    if (evaluate(&d, uu, gg) != 0) break;
    memcpy(uu, gg, n * sizeof(double));
  }
  memcpy(u, uu, n * sizeof(double));
  st->converged = !st->map_failed && st->last_update <= o->tol;
  rc = st->converged ? EB_OK : EB_EFAIL;
  if (!st->converged && !st->map_failed)
    snprintf(err, err_size,
             "steady: no convergence in %d evaluations: last change %.3e, tolerance %.1e",
             st->evals, st->last_update, o->tol);
done:
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
