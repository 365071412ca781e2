/* limit_search.c - bracket, then Brent, on the smallest limit margin. */
#include "limit_search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const Case *base;
  const LimitSearchOptions *o;
  const ModelOptions *mo;
  Model *model;
  LimitSearchProgress progress;
  void *user;
  double dir;           /* +1 maximize, -1 minimize */
  int evals;
  Case *c;              /* scratch case of an evaluation */
  ModelResult r;        /* the last evaluation's result */
  LimitsResult last;    /* its limits */
  LimitSearchResult *out;
  double best;          /* furthest feasible value solved (NaN: none) */
  double near_bad;      /* nearest infeasible value beyond best (NaN: none) */
  LimitsResult near_bad_limits;
  char near_bad_state[64]; /* "" or why no steady state exists there (then no limits) */
} Searcher;

/* Solve the case at value v; margin >= 0 when every limit holds. The
 * furthest feasible run is kept as the answer's run; the nearest
 * infeasible one's limits name the binding limit. */
static int evaluate(Searcher *s, double v, double *margin, char *err, size_t err_size) {
  char text[64];
  snprintf(text, sizeof text, "%.12g", v);
  *s->c = *s->base;
  int rc = Case_set(s->c, s->o->key, text, err, err_size);
  if (rc != EB_OK) return rc;
  rc = Model_solve(s->model, s->c, s->mo, &s->r, err, err_size);
  if (rc == EB_ENOSTATE) {
    /* no steady state (a runaway, a collapsing supply, boiling or freezing
     * coolant, a material beyond its range): beyond
     * every limit; the search keeps going with a margin below all */
    s->evals++;
    *margin = -1.0;
    if (isnan(s->near_bad) || s->dir * v < s->dir * s->near_bad) {
      s->near_bad = v;
      memset(&s->near_bad_limits, 0, sizeof s->near_bad_limits);
      snprintf(s->near_bad_state, sizeof s->near_bad_state, "%s",
               strstr(err, "runaway")    ? "no steady state: thermal runaway"
               : strstr(err, "boil")     ? "no steady state: boiling coolant"
               : strstr(err, "freezes")  ? "no steady state: freezing coolant"
               : strstr(err, "no longer what its properties describe")
                   ? "outside the model: a material beyond its stated range"
                   : "no steady state: the supply collapses");
    }
    if (s->progress) s->progress(s->evals, v, *margin, s->user);
    return EB_OK;
  }
  if (rc != EB_OK) {
    size_t n = strlen(err);
    snprintf(err + n, err_size - n, " (at %s = %.6g)", s->o->key, v);
    return rc;
  }
  s->last = s->r.limits;
  *margin = Limits_margin(&s->last, NULL);
  s->evals++;
  if (*margin >= 0.0 && (isnan(s->best) || s->dir * v > s->dir * s->best)) {
    if (s->out->have_result) ModelResult_free(&s->out->r);
    s->out->r = s->r;
    s->out->c = *s->c;
    s->out->have_result = 1;
    s->best = v;
  } else {
    if (*margin < 0.0 && (isnan(s->near_bad) || s->dir * v < s->dir * s->near_bad)) {
      s->near_bad = v;
      s->near_bad_limits = s->last;
      s->near_bad_state[0] = '\0';
    }
    ModelResult_free(&s->r);
  }
  memset(&s->r, 0, sizeof s->r);
  if (s->progress) s->progress(s->evals, v, *margin, s->user);
  return EB_OK;
}

/* Brent (1973), "Algorithms for Minimization without Derivatives", ch. 4:
 * inverse quadratic interpolation with bisection safeguards, on the bracket
 * [feasible xf, infeasible xi] of the margin. Returns the feasible end. */
static int brent(Searcher *s, double xf, double ff, double xi, double fi, double tol, double *out,
                 char *err, size_t err_size) {
  double c = xf, fc = ff, d = xi - xf, e = d;
  double A = xf, FA = ff, B = xi, FB = fi;
  int rc = EB_OK;
  while (s->evals < s->o->max_evals && fabs(xi - xf) > tol) {
    if ((FB > 0) == (fc > 0)) {
      c = A;
      fc = FA;
      d = e = B - A;
    }
    if (fabs(fc) < fabs(FB)) {
      A = B;
      B = c;
      c = A;
      FA = FB;
      FB = fc;
      fc = FA;
    }
    double m = 0.5 * (c - B), t = 0.5 * tol;
    if (fabs(e) >= t && fabs(FA) > fabs(FB)) {
      double sr = FB / FA, p, q;
      if (A == c) {
        p = 2 * m * sr;
        q = 1 - sr;
      } else {
        double qq = FA / fc, r = FB / fc;
        p = sr * (2 * m * qq * (qq - r) - (B - A) * (r - 1));
        q = (qq - 1) * (r - 1) * (sr - 1);
      }
      if (p > 0)
        q = -q;
      else
        p = -p;
      if (2 * p < fmin(3 * m * q - fabs(t * q), fabs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = e = m;
      }
    } else {
      d = e = m;
    }
    A = B;
    FA = FB;
    B += fabs(d) > t ? d : (m > 0 ? t : -t);
    rc = evaluate(s, B, &FB, err, err_size);
    if (rc != EB_OK) break;
    if (FB >= 0.0)
      xf = B;
    else
      xi = B;
  }
  *out = xf;
  s->out->infeasible = xi;
  return rc;
}

int Limit_search(const Case *base, const LimitSearchOptions *o, const ModelOptions *mo,
                 LimitSearchProgress progress, void *user, LimitSearchResult *out, char *err,
                 size_t err_size) {
  memset(out, 0, sizeof *out);
  out->infeasible = NAN;
  CaseValue cv;
  int rc = Case_get(base, o->key, &cv, err, err_size);
  if (rc != EB_OK) return rc;
  if (cv.kind != CASE_VALUE_NUMBER) {
    snprintf(err, err_size, "limits: --find %s: %s", o->key,
             cv.kind == CASE_VALUE_UNSET ? "not set in this case; set it with --set first"
                                         : "not a number");
    return EB_EINPUT;
  }
  const double v0 = cv.number;
  out->start = v0;
  /* a key that cannot move from the case's value on its own (the clock of
   * a fixed die power) is said as such, not taken for the end of its range:
   * a small step either way (one side may be the range's end) */
  Case *probe = malloc(sizeof *probe);
  int moves = !probe;
  for (int side = 0; probe && side < 2 && !moves; side++) {
    char text[64];
    const double step = (side ? -1e-3 : 1e-3) * fmax(fabs(v0), 1.0);
    snprintf(text, sizeof text, "%.12g", v0 + step);
    *probe = *base;
    moves = Case_set(probe, o->key, text, err, err_size) != EB_EINPUT;
  }
  free(probe);
  if (!moves) {
    char why[EB_ERRLEN];
    snprintf(why, sizeof why, "%s", err);
    snprintf(err, err_size, "limits: --find %s: the key cannot move from %.6g: %s", o->key, v0,
             why);
    return EB_EINPUT;
  }
  snprintf(out->unit, sizeof out->unit, "%s", cv.unit ? cv.unit : "");
  Searcher s = {.base = base, .o = o, .mo = mo, .model = o->model, .progress = progress,
                .user = user, .dir = o->maximize ? 1.0 : -1.0, .out = out, .best = NAN,
                .near_bad = NAN};
  s.c = malloc(sizeof *s.c);
  if (!s.c || (!s.model && Model_create(&s.model, err, err_size) != EB_OK)) {
    free(s.c);
    snprintf(err, err_size, "limits: out of memory");
    return EB_EFAIL;
  }
  const double dir = s.dir;
  const double tol = o->tol > 0 ? o->tol : 1e-3 * fmax(fabs(v0), 1.0);
  double fa, fb, a = o->has_start ? o->start : v0, b;
  rc = evaluate(&s, a, &fa, err, err_size);
  if (rc == EB_EINPUT && o->has_start) { /* a start outside the range: the case's own */
    a = v0;
    rc = evaluate(&s, a, &fa, err, err_size);
  }
  const double a0 = a;
  if (rc == EB_OK && s.last.n == 0) {
    snprintf(err, err_size, "limits: the case sets no limits (section `limits`)");
    rc = EB_EINPUT;
  }
  /* Bracket: from the start value, steps that double (10 % of the value, at
   * least 1) in the search direction while feasible, or against it while
   * infeasible, until the margin changes sign. Once two solves have
   * different margins, the next trial is where their secant crosses zero,
   * tol/2 beyond it (the margin is nearly linear in an inlet temperature
   * or a power: the bracket then closes at once and Brent has one step
   * left); a secant root behind, or further than 4 steps ahead, keeps the
   * doubling. Measured on CS-4 at 30 kW, 45 L/min: 6 solves before, 5
   * after; the CS-4 envelope's 28 inlet searches 105 s before, 91 s after
   * (63 s with the envelope's neighbour starts and rank groups). */
  double step = o->has_start && o->first_step > 0.0 ? o->first_step : 0.1 * fmax(fabs(v0), 1.0);
  int moving_out = fa >= 0.0, secant = 0;
  const double sgn = moving_out ? dir : -dir;
  double xp = NAN, fp = NAN; /* the solve before a, for the secant */
  b = a;
  fb = fa;
  while (rc == EB_OK && (fa >= 0.0) == (fb >= 0.0)) {
    if (s.evals >= o->max_evals) break;
    if (b != a) {
      xp = a;
      fp = fa;
    }
    a = b;
    fa = fb;
    double trial = a + sgn * step;
    if (secant >= 0 && isfinite(xp) && fp != fa) {
      const double root = a - fa * (a - xp) / (fa - fp), ahead = (root - a) * sgn;
      if (ahead > 0.0 && ahead <= 4.0 * step) trial = root + sgn * 0.5 * tol;
    }
    rc = evaluate(&s, trial, &fb, err, err_size);
    if (rc == EB_EINPUT) {
      /* outside the key's valid range (a flow <= 0, an inlet beyond the
       * property table): come back with a quarter of the step, doubling
       * only from now on, until the step is below the tolerance. Then,
       * moving out, no limit binds inside the range; moving in, every
       * value on the way to the range end broke a limit: name every limit
       * still broken there (the most broken alone can be one the far end
       * breaks, not the one that binds on the way) */
      rc = EB_OK;
      fb = fa;
      b = a;
      secant = -1;
      step *= 0.25;
      if (step >= tol) continue;
      if (moving_out) break;
      const int several = strchr(s.last.broken, ',') != NULL;
      snprintf(err, err_size,
               "limits: no %s from %.6g to the end of its valid range keeps every limit; "
               "%s still break%s at %s = %.6g",
               o->key, a0, s.last.broken[0] ? s.last.broken : "a limit", several ? "" : "s",
               o->key, a);
      rc = EB_ELIMIT;
      break;
    }
    b = trial;
    step *= 2.0;
  }
  if (rc == EB_OK && (fa >= 0.0) != (fb >= 0.0)) {
    double xf = fa >= 0.0 ? a : b, ff = fa >= 0.0 ? fa : fb;
    double xi = fa >= 0.0 ? b : a, fi = fa >= 0.0 ? fb : fa;
    rc = brent(&s, xf, ff, xi, fi, tol, &out->value, err, err_size);
    if (rc == EB_OK) {
      out->found = 1;
      int bind = -1;
      Limits_margin(&s.near_bad_limits, &bind);
      snprintf(out->binding, sizeof out->binding, "%s",
               s.near_bad_state[0] ? s.near_bad_state
               : bind >= 0         ? s.near_bad_limits.checks[bind].name
                                   : "");
    }
  } else if (rc == EB_OK) {
    out->value = fa >= 0.0 ? a : NAN; /* no limit binds up to the range end (or the cap) */
  }
  if (rc == EB_OK && isnan(out->value)) {
    snprintf(err, err_size,
             "limits: no value of %s within %d solves of the case's %.6g keeps every limit; "
             "start nearer the answer with --set %s=...",
             o->key, s.evals, v0, o->key);
    rc = EB_ELIMIT;
  } else if (rc == EB_OK && (!out->have_result || out->value != s.best)) {
    /* cannot happen: the answer is always a solved feasible value */
    snprintf(err, err_size, "limits: internal error: the answer %.6g was not solved", out->value);
    rc = EB_EFAIL;
  }
  out->evals = s.evals;
  if (!o->model) Model_destroy(s.model);
  free(s.c);
  if (rc != EB_OK) LimitSearchResult_free(out);
  return rc;
}

void LimitSearchResult_free(LimitSearchResult *r) {
  if (r->have_result) ModelResult_free(&r->r);
  r->have_result = 0;
}

void Limit_search_annotate(const LimitSearchResult *s, const LimitSearchOptions *o, RunInfo *run) {
  run->search = 1;
  snprintf(run->search_key, sizeof run->search_key, "%s", o->key);
  snprintf(run->search_direction, sizeof run->search_direction, "%s", o->maximize ? "max" : "min");
  snprintf(run->search_unit, sizeof run->search_unit, "%s", s->unit[0] ? s->unit : "1");
  run->search_value = s->value;
  run->search_breaks_at = s->found ? s->infeasible : NAN;
  snprintf(run->binding_limit, sizeof run->binding_limit, "%s", s->found ? s->binding : "");
  run->search_solves = s->evals;
}
