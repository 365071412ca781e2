/* envelope.c - inlet searches over power x flow, and the least flow. */
#include "envelope.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limit_search.h"

double Envelope_least_flow(const EnvelopePoint *pts, int n, double t_in) {
  for (int j = 0; j + 1 < n; j++) {
    const EnvelopePoint *p0 = &pts[j], *p1 = &pts[j + 1];
    double t0 = p0->inlet_max_c, t1 = p1->inlet_max_c;
    if (!isfinite(t0) || !isfinite(t1) || t1 == t0) continue;
    if ((t_in - t0) * (t_in - t1) <= 0.0) {
      double w = (t_in - t0) / (t1 - t0);
      return 1.0 / (1.0 / p0->flow_lpm + w * (1.0 / p1->flow_lpm - 1.0 / p0->flow_lpm));
    }
  }
  return NAN;
}

void EnvelopeTable_free(EnvelopeTable *t) {
  free(t->pts);
  free(t->min_flow);
  t->pts = NULL;
  t->min_flow = NULL;
  t->n = t->n_min = 0;
}

void Envelope_least_flows(EnvelopeTable *t, int nf, const double *inlets_c, int ni) {
  const int np = nf > 0 ? t->n / nf : 0;
  t->n_min = np * ni;
  for (int i = 0; i < np; i++)
    for (int k = 0; k < ni; k++) {
      EnvelopeMinFlow *m = &t->min_flow[i * ni + k];
      m->power_kw = t->pts[i * nf].power_kw;
      m->inlet_c = inlets_c[k];
      m->flow_lpm = Envelope_least_flow(&t->pts[i * nf], nf, inlets_c[k]);
    }
}

int Envelope_run(const Case *base, const double *powers_kw, int np, const double *lpm_per_kw,
                 int nf, const double *inlets_c, int ni, EnvelopeClaim claim, void *claim_user,
                 EnvelopeProgress progress, void *user, EnvelopeTable *t, char *err,
                 size_t err_size) {
  memset(t, 0, sizeof *t);
  t->ref_lpm_per_kw = 1.5; /* the GB200 NVL72 facility reference (DESIGN.md section 1) */
  t->ref_inlet_c = 45.0;
  t->case_lpm_per_kw = base->flow_m3_s * 60000.0 / (base->power_w * 1e-3);
  t->case_inlet_c = base->inlet_t_k - 273.15;
  snprintf(t->case_label, sizeof t->case_label, "%s: %.0f kW, %.0f L/min, %.0f C", base->name,
           base->power_w * 1e-3, base->flow_m3_s * 60000.0, t->case_inlet_c);
  t->pts = calloc((size_t)np * nf, sizeof *t->pts);
  t->min_flow = calloc((size_t)np * ni + 1, sizeof *t->min_flow);
  Case *c = malloc(sizeof *c);
  Model *model = NULL;
  LimitSearchResult *res = malloc(sizeof *res);
  if (!t->pts || !t->min_flow || !c || !res || Model_create(&model, err, err_size) != EB_OK) {
    free(c);
    free(res);
    EnvelopeTable_free(t);
    snprintf(err, err_size, "envelope: out of memory");
    return EB_EFAIL;
  }
  t->n = np * nf;
  /* each point: the base at this power and flow, then the inlet search;
   * one model for all, so the grid and hierarchy are built once */
  int stop = 0;
  for (int i = 0; i < np; i++) {
    const int mine = stop ? 0 : claim ? claim(i, claim_user) : 1;
    if (mine < 0) stop = 1;
    for (int j = 0; j < nf; j++) {
      EnvelopePoint *p = &t->pts[i * nf + j];
      p->power_kw = powers_kw[i];
      p->flow_lpm = powers_kw[i] * lpm_per_kw[j];
      p->inlet_max_c = NAN;
      if (mine <= 0) continue;
      p->computed = 1;
      char v[64], why[EB_ERRLEN];
      *c = *base;
      snprintf(v, sizeof v, "%.12g", p->power_kw);
      int rc = Case_set(c, "power.total_kw", v, why, sizeof why);
      snprintf(v, sizeof v, "%.12g", p->flow_lpm);
      if (rc == EB_OK) rc = Case_set(c, "coolant.flow_lpm", v, why, sizeof why);
      LimitSearchOptions o = {.key = "coolant.inlet_c", .maximize = 1, .tol = 0.01,
                              .max_evals = 40, .model = model};
      /* start from the last flow's answer of this power (the row is this
       * process's, EnvelopeClaim) with a 1 K first step: the answers move
       * by a few kelvin between neighbours, and the secant of two nearby
       * solves lands on the boundary (limit_search.c). The searches
       * warm-start each other through the shared model too. Measured on
       * the CS-4 envelope (4 x 7 searches, 0.77 M cells, mpirun -n 2):
       * 105 s before, 91 s with the secant alone, 74 s with these starts. */
      const EnvelopePoint *near = j > 0 ? &t->pts[i * nf + j - 1] : NULL;
      if (near && near->found) {
        o.has_start = 1;
        o.start = near->inlet_max_c;
        o.first_step = 1.0;
      }
      if (rc == EB_OK) rc = Limit_search(c, &o, NULL, NULL, NULL, res, why, sizeof why);
      p->inlet_max_c = rc == EB_OK ? res->value : NAN;
      p->found = rc == EB_OK && res->found;
      snprintf(p->binding, sizeof p->binding, "%s", p->found ? res->binding : "-");
      if (rc != EB_OK) snprintf(p->note, sizeof p->note, "%.250s", why);
      if (rc == EB_OK) LimitSearchResult_free(res);
      if (progress) progress(i * nf + j + 1, t->n, p, user);
    }
  }
  Envelope_least_flows(t, nf, inlets_c, ni);
  Model_destroy(model);
  free(c);
  free(res);
  return EB_OK;
}
