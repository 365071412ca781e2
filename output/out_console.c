/* out_console.c - progress and the study tables on the terminal. */
#include "out_console.h"
#include <string.h>

#include <math.h>

void Output_progress_bar(FILE *f, size_t done, size_t total, int workers) {
  int width = 30, bar = total ? (int)(done * (size_t)width / total) : 0;
  fprintf(f, "\r\033[K[%.*s%*s] %zu/%zu", bar, "==============================", width - bar, "",
          done, total);
  if (workers > 1) fprintf(f, " on %d workers", workers);
  fflush(f);
}

void Output_progress_clear(FILE *f) {
  fprintf(f, "\r\033[K");
  fflush(f);
}

void Output_limits_report(FILE *f, const char *version, const char *case_name,
                          const LimitSearchOptions *o, const LimitSearchResult *r) {
  const char *unit = r->unit;
  fprintf(f, "ebsim %s  limits of %s: %s %s = %.6g %s", version, case_name,
          o->maximize ? "largest" : "smallest", o->key, r->value, unit);
  if (r->found)
    fprintf(f, " (a limit breaks at %.6g; %d solves)\n", r->infeasible, r->evals);
  else
    fprintf(f, " (no limit binds up to the end of the key's valid range; %d solves)\n", r->evals);
  if (r->found) fprintf(f, "  Binding limit      %s\n", r->binding);
  fprintf(f, "  Margins at %.6g %s\n", r->value, unit);
  const LimitsResult *l = &r->r.limits;
  for (int i = 0; i < l->n; i++) {
    const LimitCheck *k = &l->checks[i];
    /* as many decimals as the limit's size needs: 85.00 C, 0.8000 V */
    const int dec = fabs(k->limit) >= 10.0 ? 2 : fabs(k->limit) >= 1.0 ? 3 : 4;
    const char *u = strcmp(k->unit, "1") ? k->unit : "";
    fprintf(f, "    %-24s %-18s %8.*f %s %8.*f %-3s margin %+.*f %s\n", k->name, k->quantity, dec,
            k->value, k->lower ? ">=" : "<=", dec, k->limit, u, dec, k->margin, u);
  }
}

void Output_envelope_header(FILE *f, const char *version, const char *case_name) {
  fprintf(f, "ebsim %s  envelope of %s: warmest inlet for every limit\n", version, case_name);
  fprintf(f, "  %8s %10s %10s %12s  %s\n", "power_kw", "flow_lpm", "lpm_per_kw", "inlet_max_c",
          "binding limit");
}

void Output_envelope_row(FILE *f, const EnvelopePoint *p) {
  if (isfinite(p->inlet_max_c))
    fprintf(f, "  %8.6g %10.6g %10.3g %12.2f  %s\n", p->power_kw, p->flow_lpm,
            p->flow_lpm / p->power_kw, p->inlet_max_c,
            p->found ? p->binding : "none up to the fluid's range end");
  else
    fprintf(f, "  %8.6g %10.6g %10.3g %12s  %s\n", p->power_kw, p->flow_lpm,
            p->flow_lpm / p->power_kw, "-", p->note);
  fflush(f);
}

void Output_envelope_min_flow(FILE *f, const EnvelopeTable *t) {
  fprintf(f, "  least flow per inlet temperature (interpolated along each power's curve)\n");
  fprintf(f, "  %8s %9s %10s %10s\n", "power_kw", "inlet_c", "flow_lpm", "lpm_per_kw");
  for (int i = 0; i < t->n_min; i++) {
    const EnvelopeMinFlow *m = &t->min_flow[i];
    if (isfinite(m->flow_lpm))
      fprintf(f, "  %8.6g %9.1f %10.1f %10.2f\n", m->power_kw, m->inlet_c, m->flow_lpm,
              m->flow_lpm / m->power_kw);
    else
      fprintf(f, "  %8.6g %9.1f %10s %10s  (outside the flows searched)\n", m->power_kw,
              m->inlet_c, "-", "-");
  }
}
