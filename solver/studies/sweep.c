/* sweep.c - cartesian sweeps over case values, reusing the solver. */
#include "sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_range(const char *v, SweepParam *p, char *err, size_t err_size) {
  char *end;
  double a = strtod(v, &end), b, step;
  if (*end != ':') goto bad;
  b = strtod(end + 1, &end);
  if (*end != ':') goto bad;
  step = strtod(end + 1, &end);
  if (*end != '\0' || !isfinite(a) || !isfinite(b) || !isfinite(step)) goto bad;
  if (step == 0.0 || (b - a) / step < -1e-9) {
    snprintf(err, err_size,
             "--param %s: the step %g does not lead from %g to %g (give START:STOP:STEP)", p->key,
             step, a, b);
    return EB_EINPUT;
  }
  /* inclusive STOP: the count is rounded so that a STOP on the step is kept */
  double count = floor((b - a) / step + 1e-9) + 1.0;
  if (count > SWEEP_MAX_VALUES) {
    snprintf(err, err_size, "--param %s: %.0f values, at most %d", p->key, count,
             SWEEP_MAX_VALUES);
    return EB_EINPUT;
  }
  p->n = (int)count;
  for (int i = 0; i < p->n; i++) {
    double x = a + i * step;
    if (fabs(x) < 1e-12 * fabs(step)) x = 0.0;
    snprintf(p->values[i], SWEEP_VALUE_LEN, "%.12g", x);
  }
  return EB_OK;
bad:
  snprintf(err, err_size, "--param %s: '%s' is not START:STOP:STEP with numbers", p->key, v);
  return EB_EINPUT;
}

int Sweep_parse_param(const char *text, SweepParam *p, char *err, size_t err_size) {
  memset(p, 0, sizeof *p);
  const char *eq = strchr(text, '=');
  if (!eq || eq == text || !eq[1]) {
    snprintf(err, err_size,
             "--param '%s': expected KEY=v1,v2,... or KEY=START:STOP:STEP, e.g. "
             "power.total_kw=25:40:5",
             text);
    return EB_EINPUT;
  }
  size_t klen = (size_t)(eq - text);
  if (klen >= sizeof p->key) klen = sizeof p->key - 1;
  memcpy(p->key, text, klen);
  const char *v = eq + 1;
  if (strchr(v, ':')) return parse_range(v, p, err, err_size);
  for (const char *s = v; *s;) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    if (len == 0 || len >= SWEEP_VALUE_LEN || p->n == SWEEP_MAX_VALUES) {
      snprintf(err, err_size, "--param %s: empty, too long or too many values in '%s'", p->key, v);
      return EB_EINPUT;
    }
    memcpy(p->values[p->n], s, len);
    p->values[p->n++][len] = '\0';
    s = comma ? comma + 1 : s + len;
  }
  return EB_OK;
}

size_t Sweep_points(const SweepParam *params, int n_params) {
  size_t n = 1;
  for (int i = 0; i < n_params; i++)
    if (!params[i].zip || i == 0) n *= (size_t)params[i].n;
  return n;
}

void Sweep_point_indices(const SweepParam *params, int n_params, size_t index, int *idx) {
  for (int i = n_params - 1; i >= 0; i--) {
    if (params[i].zip && i > 0) continue;
    idx[i] = (int)(index % (size_t)params[i].n);
    index /= (size_t)params[i].n;
  }
  for (int i = 1; i < n_params; i++)
    if (params[i].zip) idx[i] = idx[i - 1];
}

size_t Sweep_visit(const SweepParam *params, int n_params, size_t s) {
  for (int i = 1; i < n_params; i++)
    if (params[i].zip) return s; /* listed points: their own order */
  int d[SWEEP_MAX_PARAMS];
  for (int i = n_params - 1; i >= 0; i--) { /* s's digits, first parameter slowest */
    d[i] = (int)(s % (size_t)params[i].n);
    s /= (size_t)params[i].n;
  }
  /* boustrophedon: an axis runs backwards while the count of the axes
   * before it is odd, so that each visit is one step from the last */
  size_t prefix = 0, index = 0;
  for (int i = 0; i < n_params; i++) {
    const int v = prefix % 2 ? params[i].n - 1 - d[i] : d[i];
    prefix = prefix * (size_t)params[i].n + (size_t)d[i];
    index = index * (size_t)params[i].n + (size_t)v;
  }
  return index;
}

int Sweep_validate(const Case *base, const SweepParam *params, int n_params, const char **units,
                   char *err, size_t err_size) {
  Case *probe = malloc(sizeof *probe);
  if (!probe) {
    snprintf(err, err_size, "sweep: out of memory");
    return EB_EFAIL;
  }
  int rc = EB_OK;
  for (int i = 0; i < n_params && rc == EB_OK; i++) {
    CaseValue v;
    rc = Case_get(base, params[i].key, &v, err, err_size);
    if (rc == EB_OK && units) units[i] = v.unit ? v.unit : "";
    for (int k = 0; k < params[i].n && rc == EB_OK; k++) {
      *probe = *base;
      rc = Case_set(probe, params[i].key, params[i].values[k], err, err_size);
    }
  }
  free(probe);
  return rc;
}

int Sweep_run(const Case *base, const SweepParam *params, int n_params, const ModelOptions *opt,
              SweepCallback cb, void *user, char *err, size_t err_size) {
  return Sweep_run_claimed(base, params, n_params, opt, 0, NULL, NULL, cb, user, err, err_size);
}

int Sweep_run_claimed(const Case *base, const SweepParam *params, int n_params,
                      const ModelOptions *opt, size_t first, SweepClaim claim, void *claim_user,
                      SweepCallback cb, void *user, char *err, size_t err_size) {
  const size_t total = Sweep_points(params, n_params);
  SweepPoint *pt = calloc(1, sizeof *pt);
  Model *model = NULL;
  if (!pt || Model_create(&model, err, err_size) != EB_OK) {
    free(pt);
    snprintf(err, err_size, "sweep: out of memory");
    return EB_EFAIL;
  }
  int stop = 0;
  for (size_t k = 0; k < total && !stop; k++) {
    const size_t index = Sweep_visit(params, n_params, (first + k) % total);
    const int mine = claim ? claim(index, claim_user) : 1;
    if (mine < 0) break;
    if (!mine) continue;
    int idx[SWEEP_MAX_PARAMS];
    Sweep_point_indices(params, n_params, index, idx);
    memset(pt, 0, sizeof *pt);
    pt->c = *base;
    pt->status = EB_OK;
    for (int i = 0; i < n_params && pt->status == EB_OK; i++)
      pt->status = Case_set(&pt->c, params[i].key, params[i].values[idx[i]], pt->err,
                            sizeof pt->err);
    if (pt->status == EB_OK)
      pt->status = Model_solve(model, &pt->c, opt, &pt->r, pt->err, sizeof pt->err);
    stop = cb(index, total, idx, pt, Model_grid(model), user);
    if (pt->status == EB_OK) ModelResult_free(&pt->r);
  }
  Model_destroy(model);
  free(pt);
  return EB_OK;
}
