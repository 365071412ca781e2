/* out_console.c - progress and the study tables on the terminal. */
#include "out_console.h"
#include "out_envelope.h"
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
  else {
    char why[400];
    Output_envelope_reason(p, why, sizeof why);
    fprintf(f, "  %8.6g %10.6g %10.3g %12s  no inlet: %s\n", p->power_kw, p->flow_lpm,
            p->flow_lpm / p->power_kw, "-", why);
  }
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

void Output_transient_report(FILE *f, const char *version, const char *case_name,
                             const ScenarioResult *r, const char *dir, int figures) {
  static const char *label[TT_EVENTS] = {"Junction", "Outlet", "Boiling", "Bricks"};
  fprintf(f, "ebsim %s transient: %s, scenario %s%s%s%s\n", version, case_name, r->scenario,
          r->description[0] ? " (" : "", r->description, r->description[0] ? ")" : "");
  fprintf(f, "  Start        %s\n", r->start);
  fprintf(f, "  End          %s\n", r->stop);
  fprintf(f,
          "  Run          0 to %g s: %d steps (%d + %d rejected), %d Newton, %d Krylov, %d "
          "set-ups, %d V-cycles; %.1f s wall\n",
          r->until_s, r->steps, r->rejected_error, r->rejected_convergence, r->nonlinear_iters,
          r->linear_iters, r->prec_setups, r->vcycles, r->wall_s);
  fprintf(f, "  Peak         junction %.2f C at %.2f s; at the end %.2f C\n", r->peak_tj_k - 273.15,
          r->peak_tj_t_s, r->final_tj_k - 273.15);
  for (int e = 0; e < TT_EVENTS; e++)
    if (isfinite(r->ev[e].limit_k)) fprintf(f, "  %-12s %s\n", label[e], r->ev[e].verdict);
  fprintf(f, "  Energy       %.4g MJ made; stored + removed match it to %.1e (%.3g J)\n",
          r->energy_made_j * 1e-6, r->energy_error_rel, r->energy_error_j);
  if (dir)
    fprintf(f, "  Output       %s/ (result.h5, series.csv, summary.json%s%s)\n", dir,
            r->n_snapshots > 0 ? ", snapshots.xdmf" : "", figures ? ", figures" : "");
}
