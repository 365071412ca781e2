/* out_report.c - the short console report. Values and units come from the
 * result registry by name; the designed lines take what they show, and
 * every other reported quantity of the registry follows, so a module's new
 * output appears here without editing this file. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

#ifndef EBSIM_VERSION
#define EBSIM_VERSION "dev"
#endif

enum { REP_MAX = 512 };

typedef struct {
  const Registry *reg;
  const Result *r;
  unsigned char used[REP_MAX];
  char buf[8][96]; /* the last few formatted values */
  int next;
} Rep;

static const ResultEntry *entry(Rep *p, const char *name) {
  for (int i = 0; i < Registry_size(p->reg) && i < REP_MAX; i++)
    if (!strcmp(Registry_at(p->reg, i)->name, name)) {
      p->used[i] = 1;
      return Registry_at(p->reg, i);
    }
  return NULL;
}

/* The value of name in its output unit (NaN when absent), marked shown. */
static double v(Rep *p, const char *name) {
  const ResultEntry *e = entry(p, name);
  return e ? Result_number(p->r, e) : NAN;
}

/* "49.09 C": the value with prec decimals and its registry unit. */
static const char *vu(Rep *p, const char *name, int prec) {
  const ResultEntry *e = entry(p, name);
  char *b = p->buf[p->next++ % 8];
  if (!e || !Result_has(p->r, e)) {
    snprintf(b, 96, "-");
    return b;
  }
  const char *u = Result_unit(p->r, e);
  snprintf(b, 96, "%.*f%s%s", prec, Result_number(p->r, e), strcmp(u, "1") ? " " : "",
           strcmp(u, "1") ? u : "");
  return b;
}

/* Everything reported that the designed lines did not show. */
static void the_rest(FILE *f, Rep *p) {
  int header = 0;
  for (int i = 0; i < Registry_size(p->reg) && i < REP_MAX; i++) {
    const ResultEntry *e = Registry_at(p->reg, i);
    if (p->used[i] || (e->flags & RES_NO_REPORT) || !Registry_is_single(e) ||
        !Result_has(p->r, e) || (e->kind != RES_TEXT && !isfinite(Result_number(p->r, e))))
      continue; /* NaN: not applicable to this case */
    if (!header) fprintf(f, "  Also\n");
    header = 1;
    const char *u = Result_unit(p->r, e);
    if (e->kind == RES_TEXT)
      fprintf(f, "    %-34s %s\n", e->name, Result_text(p->r, e));
    else if (e->kind == RES_FLAG)
      fprintf(f, "    %-34s %s\n", e->name, Result_number(p->r, e) != 0.0 ? "yes" : "no");
    else
      fprintf(f, "    %-34s %.6g %s\n", e->name, Result_number(p->r, e), strcmp(u, "1") ? u : "");
  }
}

void Output_report(FILE *f, const Case *c, const Registry *reg, const Result *r) {
  Rep *p = &(Rep){.reg = reg, .r = r};
  fprintf(f, "ebsim %s  case %s  (%.0f cells, %.0f nonlinear / %.0f linear iterations, %.2f s)\n",
          EBSIM_VERSION, c->name, v(p, "cells"), v(p, "nonlinear_iterations"),
          v(p, "linear_iterations"), v(p, "solve_seconds"));
  fprintf(f, "  Hottest junction   %s  die (%.0f,%.0f) at x=%.1f y=%.1f mm\n", vu(p, "t_max_c", 2),
          v(p, "t_max_die_column"), v(p, "t_max_die_row"), v(p, "t_max_x_mm"), v(p, "t_max_y_mm"));
  fprintf(f, "  Wafer mean         %s\n", vu(p, "t_mean_wafer_c", 2));
  fprintf(f, "  Power              %.2f kW   to coolant %.2f kW, to brick plate %.2f kW\n",
          v(p, "power_w") * 1e-3, v(p, "heat_to_coolant_w") * 1e-3,
          v(p, "heat_to_brick_plate_w") * 1e-3);
  double t_in = v(p, "coolant_inlet_c"), t_out = v(p, "coolant_outlet_c");
  fprintf(f, "  Coolant            %.2f -> %.2f C (dT %.2f K, hottest %s) at %s (%s)\n", t_in,
          t_out, t_out - t_in, vu(p, "coolant_t_max_c", 2), vu(p, "coolant_flow_lpm", 1),
          vu(p, "lpm_per_kw", 2));
  fprintf(f,
          "  Cold plate         flux mean %.1f, max %s; h wall %.0f, h_eff %s "
          "(fin efficiency %.2f, Re %.0f at the inlet)\n",
          v(p, "heat_flux_mean_w_cm2"), vu(p, "heat_flux_max_w_cm2", 1), v(p, "h_channel_w_m2k"),
          vu(p, "h_eff_w_m2k", 0), v(p, "fin_efficiency"), v(p, "reynolds_inlet"));
  fprintf(f,
          "  Hydraulics         dP %s (channels %.1f, manifold %.1f, fittings %.1f, "
          "couplings %.1f); pump power %s\n",
          vu(p, "pressure_drop_kpa", 1), v(p, "pressure_drop_channels_kpa"),
          v(p, "pressure_drop_manifold_kpa"), v(p, "pressure_drop_fittings_kpa"),
          v(p, "pressure_drop_quick_disconnects_kpa"), vu(p, "pump_power_w", 0));
  int from_pumps = v(p, "flow_from_pumps") != 0.0;
  fprintf(f,
          "                     channel %.2f m/s (max %.2f), Re max %.0f, pipe %.2f m/s (fastest %s); "
          "%.2f L/min/kW against the 1.5 L/min/kW facility reference%s\n",
          v(p, "channel_velocity_mean_m_s"), v(p, "channel_velocity_max_m_s"),
          v(p, "reynolds_max"), v(p, "pipe_velocity_m_s"), vu(p, "velocity_max_m_s", 2),
          v(p, "lpm_per_kw"), from_pumps ? " (flow from the pump curve)" : "");
  double op_q = v(p, "pump_flow_lpm"), lost_q = v(p, "one_pump_lost_flow_lpm");
  v(p, "pump_pressure_kpa"); /* shown with the pumps' line when there is one */
  v(p, "one_pump_lost_lpm_per_kw");
  v(p, "one_pump_lost_pressure_kpa");
  if (isfinite(op_q)) {
    fprintf(f, "  Pumps              %d %s: %.1f L/min at %s against this loop",
            Case_pumps_running(c), c->pump_series ? "in series" : "in parallel", op_q,
            vu(p, "pump_pressure_kpa", 1));
    if (isfinite(lost_q))
      fprintf(f, "; one lost: %.1f L/min (%s) at %s", lost_q, vu(p, "one_pump_lost_lpm_per_kw", 2),
              vu(p, "one_pump_lost_pressure_kpa", 1));
    fprintf(f, "\n");
    if (!from_pumps && op_q < v(p, "coolant_flow_lpm"))
      fprintf(f, "  WARNING            the pumps cannot deliver the case's %s against this loop\n",
              vu(p, "coolant_flow_lpm", 1));
  }
  fprintf(f, "  Energy balance     %.1e (relative)\n", v(p, "energy_balance_rel_error"));
  v(p, "all_limits_ok"); /* the limits follow, one by one */
  the_rest(f, p);
  const ResultEntry *w = Registry_find(reg, "warnings");
  for (int i = 0; w && i < Result_rows(r, w); i++)
    fprintf(f, "  WARNING            %s\n", Result_texts_row(r, w, i));
  const LimitsResult *l = r->part[RESULT_LIMITS];
  if (!l || l->n == 0) {
    fprintf(f, "  Limits             none set in the case\n");
    return;
  }
  fprintf(f, "  Limits             (the quantity each bounds)\n");
  for (int i = 0; i < l->n; i++) {
    const LimitCheck *k = &l->checks[i];
    fprintf(f, "    %-22s %-18s %8.2f <= %8.2f %-3s %s\n", k->name, k->quantity, k->value,
            k->limit, k->unit, k->ok ? "ok" : "BROKEN");
  }
}
