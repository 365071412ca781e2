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

/* The CTE-mismatch lines: what each plate sees, where, and the bow.
 * Nothing without the mechanics part. */
static void mechanics(FILE *f, Rep *p) {
  const double strain = v(p, "connector_shear_strain_max");
  if (!isfinite(strain)) return;
  fprintf(f, "  Mechanics          %s; cold plate %s on the wafer; plates at wafer %s, PCB %s, "
          "cold plate %s\n",
          Result_text(p->r, entry(p, "mechanics_reference")),
          Result_text(p->r, entry(p, "mechanics_contact")), vu(p, "wafer_t_mean_c", 1),
          vu(p, "pcb_t_mean_c", 1), vu(p, "cold_plate_t_mean_c", 1));
  fprintf(f, "                     connector shear strain max %.4f at (%.1f, %.1f) mm; edge slip "
          "max %s at (%.1f, %.1f) mm\n",
          strain, v(p, "connector_shear_strain_x_mm"), v(p, "connector_shear_strain_y_mm"),
          vu(p, "edge_slip_max_um", 2), v(p, "edge_slip_x_mm"), v(p, "edge_slip_y_mm"));
  fprintf(f, "                     membrane stress (von Mises) wafer %s at (%.1f, %.1f) mm, "
          "largest tension %s; PCB %s at (%.1f, %.1f) mm\n",
          vu(p, "wafer_stress_max_mpa", 2), v(p, "wafer_stress_x_mm"), v(p, "wafer_stress_y_mm"),
          vu(p, "wafer_tension_max_mpa", 2), vu(p, "pcb_stress_max_mpa", 2), v(p, "pcb_stress_x_mm"),
          v(p, "pcb_stress_y_mm"));
  /* the bow line's values are marked shown either way: a strain range
   * (another run as reference) has no bow */
  const char *bow = vu(p, "warpage_um", 0), *bonded = vu(p, "warpage_bonded_um", 0);
  const char *shape = Result_text(p->r, entry(p, "warpage_shape"));
  const char *flat = vu(p, "flatten_pressure_kpa", 1), *preload = vu(p, "preload_kpa", 0);
  if (isfinite(v(p, "warpage_um")))
    fprintf(f, "                     bow %s centre to corner (bonded laminate %s), %s; flattened "
            "by %s against the %s preload\n",
            bow, bonded, shape, flat, preload);
}

/* Where every watt goes: stage by stage from the wall to the dies, then
 * the supplies, the bricks and the die voltages. Nothing without the power
 * part; the die model alone (no path) gets one line. */
static void power_path(FILE *f, const Case *c, Rep *p) {
  const double die_w = v(p, "power_w"), dyn = v(p, "die_power_dynamic_w"),
               leak = v(p, "die_power_leakage_w"), clock = v(p, "clock");
  const double off = v(p, "dies_unpowered");
  if (!isfinite(dyn)) return; /* no power part */
  OutStage st[OUT_STAGES];
  double die_end;
  if (out_power_stages(p->reg, p->r, st, &die_end) != OUT_STAGES) {
    fprintf(f, "  Dies               %.2f kW (dynamic %.2f, leakage %.2f kW) at clock %.3g; no "
            "power path in the case\n", die_w * 1e-3, dyn * 1e-3, leak * 1e-3, clock);
    return;
  }
  const double wall = v(p, "wall_power_w");
  fprintf(f, "  Power path         wall %.2f kW -> dies %.2f kW: %.1f %% delivered\n",
          wall * 1e-3, die_w * 1e-3, 100.0 * v(p, "delivery_efficiency"));
  fprintf(f, "    %-22s %9s %9s %7s  %s\n", "stage", "in (kW)", "loss (kW)", "eff.", "the loss goes to");
  for (int i = 0; i < OUT_STAGES; i++)
    fprintf(f, "    %-22s %9.3f %9.3f %6.1f%%  %s\n", st[i].name, st[i].in_w * 1e-3,
            st[i].loss_w * 1e-3, 100.0 * st[i].efficiency, st[i].to);
  fprintf(f, "    %-22s %9.3f %9s %7s  dynamic %.3f, leakage %.3f kW, clock %.3g\n", "dies",
          die_end * 1e-3, "", "", dyn * 1e-3, leak * 1e-3, clock);
  v(p, "psu_loss_w");
  v(p, "pdb_loss_w");
  v(p, "brick_loss_total_w");
  v(p, "pcb_plane_loss_w");
  v(p, "pcb_via_loss_w");
  v(p, "connector_loss_w");
  const double working = v(p, "psus_working"), load = v(p, "psu_load_max_kw");
  fprintf(f, "  Supplies           %.0f of %d PSUs working (%s, %.0f V bus); largest load %.2f of "
          "%.2f kW (%.0f %%)\n",
          working, c->pd.psu_count,
          c->pd.psu_feed == PSU_FEED_SHARED ? "sharing one bus" : "one per board",
          c->pd.psu_bus_v, load, c->pd.psu_rating_w * 1e-3, 100.0 * load / (c->pd.psu_rating_w * 1e-3));
  if (off > 0)
    fprintf(f, "  WARNING            %.0f dies have no supply (their boards are out)\n", off);
  fprintf(f, "  Bricks             hottest %s; current max %s = %s of the rating derated at its "
          "temperature\n",
          vu(p, "brick_temp_max_c", 1), vu(p, "brick_current_max_a", 1),
          vu(p, "brick_load_max", 3));
  /* as the hottest junction: dies tied within 0.01 mV (the figure's
   * tolerance) are named together, not one by an arbitrary pick */
  char ties[256], where[320];
  const int n_tied = Output_die_ties(c, p->reg, p->r, "die_voltage_v", -1, 1e-5, ties, sizeof ties);
  if (n_tied > 1)
    snprintf(where, sizeof where, "in %d dies within 0.01 mV: %s", n_tied, ties[0] ? ties : "(many)");
  else
    snprintf(where, sizeof where, "at die (%.0f,%.0f)", v(p, "die_voltage_min_column"),
             v(p, "die_voltage_min_row"));
  if (n_tied > 1) { /* shown through the tie */
    v(p, "die_voltage_min_column");
    v(p, "die_voltage_min_row");
  }
  fprintf(f, "  Die voltage        min %s %s, mean %s, set point %s; IR drop max "
          "%s; die current max %s\n",
          vu(p, "die_voltage_min_v", 4), where, vu(p, "die_voltage_mean_v", 4),
          vu(p, "set_point_v", 3), vu(p, "ir_drop_max_mv", 1), vu(p, "die_current_max_a", 1));
}

void Output_report(FILE *f, const Case *c, const Registry *reg, const Result *r) {
  Rep *p = &(Rep){.reg = reg, .r = r};
  fprintf(f, "ebsim %s  case %s  (%.0f cells, %.0f nonlinear / %.0f linear iterations, %.2f s)\n",
          EBSIM_VERSION, c->name, v(p, "cells"), v(p, "nonlinear_iterations"),
          v(p, "linear_iterations"), v(p, "solve_seconds"));
  /* dies within the solve's tie tolerance of the hottest are named together,
   * not one of them by an arbitrary pick */
  const double tied = v(p, "t_max_tied_dies");
  const ResultEntry *which = entry(p, "t_max_dies");
  if (tied > 1 && which && Result_has(r, which)) {
    fprintf(f, "  Hottest junction   %s, %.0f dies within %.2g K: %s\n", vu(p, "t_max_c", 2), tied,
            v(p, "t_max_tie_tol_k"), Result_text(r, which));
    v(p, "t_max_die_column"); /* one of the tied: in summary.json, not worth a line */
    v(p, "t_max_die_row");
    v(p, "t_max_x_mm");
    v(p, "t_max_y_mm");
  } else
    fprintf(f, "  Hottest junction   %s  die (%.0f,%.0f) at x=%.1f y=%.1f mm\n", vu(p, "t_max_c", 2),
            v(p, "t_max_die_column"), v(p, "t_max_die_row"), v(p, "t_max_x_mm"), v(p, "t_max_y_mm"));
  fprintf(f, "  Wafer mean         %s\n", vu(p, "t_mean_wafer_c", 2));
  const double made = v(p, "heat_made_w"), die_w = v(p, "power_w");
  fprintf(f, "  Power              %.2f kW", die_w * 1e-3);
  if (fabs(made - die_w) > 1e-6 * die_w) /* the power path's losses are heat too */
    fprintf(f, " in the dies + %.2f kW path losses in the block", (made - die_w) * 1e-3);
  const int convective = c->n_layers > 0 && c->layers[c->n_layers - 1].kind == LAYER_CONVECTIVE;
  fprintf(f, "   to coolant %.2f kW, to %s %.2f kW\n", v(p, "heat_to_coolant_w") * 1e-3,
          convective ? "the convective face" : "brick plate",
          v(p, "heat_to_brick_plate_w") * 1e-3);
  if (convective) { /* which model the face's coolant follows */
    const CaseLayer *L = &c->layers[c->n_layers - 1];
    const ResultEntry *out = entry(p, "face_coolant_outlet_c");
    if (L->face_coolant == FACE_MARCHED && out && Result_has(r, out))
      fprintf(f,
              "  Convective face    h %.0f W/m2K to a marched coolant, %.2f -> %s (rise %s) at "
              "%.3g L/min along %c\n",
              L->cold_plate_h_w_m2k, Case_brick_plate_t_k(c, L) - 273.15,
              vu(p, "face_coolant_outlet_c", 2), vu(p, "face_coolant_rise_k", 3),
              L->face_flow_m3_s * 6e4, L->flow_direction == 'y' ? 'y' : 'x');
    else
      fprintf(f, "  Convective face    h %.0f W/m2K to a fixed ambient at %.2f C\n",
              L->cold_plate_h_w_m2k, Case_brick_plate_t_k(c, L) - 273.15);
  }
  double t_in = v(p, "coolant_inlet_c"), t_out = v(p, "coolant_outlet_c");
  fprintf(f, "  Coolant            %.2f -> %.2f C (dT %.2f K, hottest %s) at %s (%s)\n", t_in,
          t_out, t_out - t_in, vu(p, "coolant_t_max_c", 2), vu(p, "coolant_flow_lpm", 1),
          vu(p, "lpm_per_kw", 2));
  fprintf(f,
          "  Cold plate         flux mean %.1f, max %s; h wall %.0f, h_eff %s "
          "(fin efficiency %.2f, Re %.0f at the inlet)\n",
          v(p, "heat_flux_mean_w_cm2"), vu(p, "heat_flux_max_w_cm2", 1), v(p, "h_channel_w_m2k"),
          vu(p, "h_eff_w_m2k", 0), v(p, "fin_efficiency"), v(p, "reynolds_inlet"));
  const ResultEntry *hm = entry(p, "h_model");
  if (hm && Result_has(p->r, hm))
    fprintf(f, "                     h from the %s\n", Result_text(p->r, hm));
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
  power_path(f, c, p);
  mechanics(f, p);
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
    /* as many decimals as the limit's size needs: 85.00 C, 0.8000 V */
    const int dec = fabs(k->limit) >= 10.0 ? 2 : fabs(k->limit) >= 1.0 ? 3 : 4;
    fprintf(f, "    %-26s %-26s %8.*f %s %8.*f %-3s %s\n", k->name, k->quantity, dec, k->value,
            k->lower ? ">=" : "<=", dec, k->limit, strcmp(k->unit, "1") ? k->unit : "",
            k->ok ? "ok" : "BROKEN");
  }
  const double off = Result_get(reg, r, "dies_unpowered");
  char also[64] = "";
  if (off > 0) snprintf(also, sizeof also, ", with %.0f dies unpowered", off);
  if (l->all_ok)
    fprintf(f, "  Verdict            every limit holds%s\n", also);
  else
    fprintf(f, "  Verdict            BROKEN: %s%s\n", l->broken, also);
}
