/* limit_search.c - bracket, then Brent, on the smallest limit margin. */
#include "limit_search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

double Limits_margin(const LimitCheck *checks, int n, int *binding) {
  double m = INFINITY;
  if (binding) *binding = -1;
  for (int i = 0; i < n; i++) {
    double r = (checks[i].limit - checks[i].value) / fmax(fabs(checks[i].limit), 1.0);
    if (r < m) {
      m = r;
      if (binding) *binding = i;
    }
  }
  return m;
}

/* The case's own value of a dotted key, read back from its resolved YAML
 * (Case_dump), so the search starts where the user's case is. */
static int case_value(const Case *c, const char *key, double *v, char *err, size_t err_size) {
  char *buf = Case_dump_string(c);
  if (!buf) return EB_EFAIL;
  size_t len = strlen(buf);
  yaml_parser_t p;
  yaml_document_t d;
  int rc = EB_EINPUT, node = 0;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
  if (!yaml_parser_load(&p, &d)) {
    yaml_parser_delete(&p);
    free(buf);
    snprintf(err, err_size, "limits: cannot read back the resolved case");
    return EB_EFAIL;
  }
  node = 1; /* root */
  char path[256];
  snprintf(path, sizeof path, "%s", key);
  for (char *seg = strtok(path, "."); seg && node; seg = strtok(NULL, ".")) {
    yaml_node_t *n = yaml_document_get_node(&d, node);
    int next = 0;
    if (n->type == YAML_MAPPING_NODE) {
      for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top; q++)
        if (!strcmp((const char *)yaml_document_get_node(&d, q->key)->data.scalar.value, seg))
          next = q->value;
    } else if (n->type == YAML_SEQUENCE_NODE) {
      int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
      char *end;
      long i = strtol(seg, &end, 10);
      if (*end == '\0' && i >= 0 && i < count) next = n->data.sequence.items.start[i];
      for (int k = 0; k < count && !next; k++) { /* by layer name */
        yaml_node_t *it = yaml_document_get_node(&d, n->data.sequence.items.start[k]);
        if (it->type != YAML_MAPPING_NODE) continue;
        for (yaml_node_pair_t *q = it->data.mapping.pairs.start; q < it->data.mapping.pairs.top; q++)
          if (!strcmp((const char *)yaml_document_get_node(&d, q->key)->data.scalar.value, "name") &&
              !strcmp((const char *)yaml_document_get_node(&d, q->value)->data.scalar.value, seg))
            next = n->data.sequence.items.start[k];
      }
    }
    node = next;
  }
  yaml_node_t *leaf = node ? yaml_document_get_node(&d, node) : NULL;
  char *end = NULL;
  if (leaf && leaf->type == YAML_SCALAR_NODE) {
    *v = strtod((const char *)leaf->data.scalar.value, &end);
    if (end && *end == '\0' && end != (char *)leaf->data.scalar.value && isfinite(*v)) rc = EB_OK;
  }
  if (rc != EB_OK)
    snprintf(err, err_size, "limits: --find %s: not a numeric value of this case%s", key,
             leaf ? " (it is not set or not a number; set it with --set first)" : "");
  yaml_document_delete(&d);
  yaml_parser_delete(&p);
  free(buf);
  return rc;
}

typedef struct {
  const char *case_path;
  int n_sets;
  const char **sets;
  char own[256];
  const LimitSearchOptions *o;
  const ThermalOptions *topt;
  Grid *g;
  ThermalSolver *solver;
  LimitSearchProgress progress;
  void *user;
  int evals;
  Case c; /* case of the last evaluation */
  LimitCheck limits[LIMITS_MAX];
  int n_limits;
} Searcher;

/* Solve the case at value v; margin >= 0 when every limit holds. */
static int evaluate(Searcher *s, double v, double *margin, char *err, size_t err_size) {
  snprintf(s->own, sizeof s->own, "%s=%.12g", s->o->key, v);
  s->sets[s->n_sets] = s->own;
  int rc = Case_read(s->case_path, s->n_sets + 1, s->sets, &s->c, err, err_size);
  Grid *g = NULL;
  if (rc == EB_OK) rc = Grid_create(&s->c, &g, err, err_size);
  if (rc != EB_OK) return rc;
  if (!s->solver || !Grid_same(s->g, g)) {
    ThermalSolver_destroy(s->solver);
    s->solver = NULL;
    Grid_destroy(s->g);
    s->g = g;
    rc = ThermalSolver_create(s->g, &s->c, &s->solver, err, err_size);
    if (rc != EB_OK) return rc;
  } else {
    Grid_destroy(g);
  }
  ThermalResult r;
  rc = ThermalSolver_solve(s->solver, &s->c, s->topt, &r, err, err_size);
  if (rc != EB_OK) {
    size_t n = strlen(err);
    snprintf(err + n, err_size - n, " (at %s = %.6g)", s->o->key, v);
    return rc;
  }
  s->n_limits = Limits_evaluate(&s->c, &r, s->limits);
  ThermalResult_free(&r);
  *margin = Limits_margin(s->limits, s->n_limits, NULL);
  s->evals++;
  if (s->progress) s->progress(s->evals, v, *margin, s->user);
  return EB_OK;
}

int Limit_search(const char *case_path, int n_sets, const char *const *sets,
                 const LimitSearchOptions *o, const ThermalOptions *topt,
                 LimitSearchProgress progress, void *user, LimitSearchResult *out, char *err,
                 size_t err_size) {
  static Case base;
  memset(out, 0, sizeof *out);
  out->infeasible = NAN;
  int rc = Case_read(case_path, n_sets, sets, &base, err, err_size);
  if (rc != EB_OK) return rc;
  double v0;
  rc = case_value(&base, o->key, &v0, err, err_size);
  if (rc != EB_OK) return rc;
  Searcher *s = calloc(1, sizeof *s);
  if (!s) return EB_EFAIL;
  *s = (Searcher){.case_path = case_path, .n_sets = n_sets, .o = o, .topt = topt,
                  .progress = progress, .user = user};
  s->sets = calloc((size_t)n_sets + 1, sizeof *s->sets);
  if (!s->sets) {
    free(s);
    return EB_EFAIL;
  }
  for (int i = 0; i < n_sets; i++) s->sets[i] = sets[i];
  const double dir = o->maximize ? 1.0 : -1.0;
  const double tol = o->tol > 0 ? o->tol : 1e-3 * fmax(fabs(v0), 1.0);
  double fa, fb;
  double a = v0, b;
  rc = evaluate(s, a, &fa, err, err_size);
  if (rc == EB_OK && s->n_limits == 0) {
    snprintf(err, err_size, "limits: the case sets no limits (section `limits`)");
    rc = EB_EINPUT;
  }
  /* Bracket: from the start value, steps that double (10 % of the value,
   * at least 1) in the search direction while feasible, or against it while
   * infeasible, until the margin changes sign. */
  double step = 0.1 * fmax(fabs(v0), 1.0);
  int moving_out = fa >= 0.0;
  b = a;
  fb = fa;
  while (rc == EB_OK && (fa >= 0.0) == (fb >= 0.0)) {
    if (s->evals >= o->max_evals) {
      out->found = 0;
      break;
    }
    a = b;
    fa = fb;
    double trial = a + (moving_out ? dir : -dir) * step;
    rc = evaluate(s, trial, &fb, err, err_size);
    if (rc == EB_EINPUT && moving_out) {
      /* outside the key's valid range (a flow <= 0, an inlet beyond the
       * property table): come back with a quarter of the step; once the
       * step is below the tolerance, no limit binds inside the range */
      rc = EB_OK;
      fb = fa;
      step *= 0.25;
      if (step < tol) {
        out->found = 0;
        break;
      }
      continue;
    }
    if (rc == EB_EINPUT && !moving_out) {
      /* every value on the way to the range end broke a limit */
      int bind = -1;
      Limits_margin(s->limits, s->n_limits, &bind);
      snprintf(err, err_size,
               "limits: no %s from %.6g to the end of its valid range keeps every limit; "
               "%s still breaks at %s = %.6g",
               o->key, v0, bind >= 0 ? s->limits[bind].name : "a limit", o->key, a);
      rc = EB_ELIMIT;
      break;
    }
    b = trial;
    step *= 2.0;
  }
  if (rc == EB_OK && (fa >= 0.0) != (fb >= 0.0)) {
    /* Brent (1973), "Algorithms for Minimization without Derivatives", ch. 4:
     * inverse quadratic interpolation with bisection safeguards, on the
     * bracket [feasible, infeasible]. */
    double xf = fa >= 0.0 ? a : b, ff = fa >= 0.0 ? fa : fb;
    double xi = fa >= 0.0 ? b : a, fi = fa >= 0.0 ? fb : fa;
    double c = xf, fc = ff, d = xi - xf, e = d;
    double A = xf, FA = ff, B = xi, FB = fi;
    while (rc == EB_OK && s->evals < o->max_evals && fabs(xi - xf) > tol) {
      if ((FB > 0) == (fc > 0)) {
        c = A;
        fc = FA;
        d = e = B - A;
      }
      if (fabs(fc) < fabs(FB)) {
        A = B; B = c; c = A;
        FA = FB; FB = fc; fc = FA;
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
        if (p > 0) q = -q; else p = -p;
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
      if (FB >= 0.0) xf = B; else xi = B;
    }
    if (rc == EB_OK) {
      out->found = 1;
      out->infeasible = xi;
      /* report the feasible side: solve there for the final case and limits */
      rc = evaluate(s, xf, &ff, err, err_size);
      out->value = xf;
      int bind = -1;
      /* which limit breaks just beyond: evaluate its margins at xi */
      LimitCheck keep[LIMITS_MAX];
      int nkeep = s->n_limits;
      memcpy(keep, s->limits, sizeof keep);
      out->c = s->c;
      double fi2;
      if (rc == EB_OK) rc = evaluate(s, xi, &fi2, err, err_size);
      if (rc == EB_OK) {
        Limits_margin(s->limits, s->n_limits, &bind);
        snprintf(out->binding, sizeof out->binding, "%s", bind >= 0 ? s->limits[bind].name : "");
      }
      memcpy(out->limits, keep, sizeof keep);
      out->n_limits = nkeep;
    }
  } else if (rc == EB_OK) {
    out->value = fa >= 0.0 ? a : NAN;
    out->c = s->c;
    memcpy(out->limits, s->limits, sizeof s->limits);
    out->n_limits = s->n_limits;
  }
  out->evals = s->evals;
  ThermalSolver_destroy(s->solver);
  Grid_destroy(s->g);
  free(s->sets);
  free(s);
  return rc;
}
