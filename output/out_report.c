/* out_report.c - the short console report. */
#include <math.h>
#include <stdio.h>

#include "output.h"
#include "output_internal.h"

#ifndef EBSIM_VERSION
#define EBSIM_VERSION "dev"
#endif

void Output_report(FILE *f, const Case *c, const ThermalResult *r, const LimitCheck *limits,
                   int n_limits) {
  double flow_lpm = r->coolant_flow_m3_s * 60000.0;
  fprintf(f, "ebsim %s  case %s  (%zu cells, %d nonlinear / %d linear iterations, %.2f s)\n",
          EBSIM_VERSION, c->name, r->cells, r->nonlinear_iters, r->linear_iters,
          r->solve_seconds);
  fprintf(f, "  Hottest junction   %.2f C  die (%d,%d) at x=%.1f y=%.1f mm\n",
          r->t_max_k - out_kelvin, r->t_max_die_col + 1, r->t_max_die_row + 1, r->t_max_x_m * 1e3,
          r->t_max_y_m * 1e3);
  fprintf(f, "  Wafer mean         %.2f C\n", r->t_mean_wafer_k - out_kelvin);
  fprintf(f, "  Power              %.2f kW   to coolant %.2f kW, to brick plate %.2f kW\n",
          r->power_w * 1e-3, r->heat_to_coolant_w * 1e-3, r->heat_to_bottom_w * 1e-3);
  fprintf(f, "  Coolant            %.2f -> %.2f C (dT %.2f K) at %.1f L/min (%.2f L/min/kW)\n",
          r->coolant_inlet_k - out_kelvin, r->coolant_outlet_k - out_kelvin,
          r->coolant_outlet_k - r->coolant_inlet_k, flow_lpm, flow_lpm / (r->power_w * 1e-3));
  fprintf(f,
          "  Cold plate         flux mean %.1f, max %.1f W/cm^2; h_eff %.0f W/m^2K "
          "(fin efficiency %.2f, Re %.0f at the inlet)\n",
          r->heat_flux_mean_w_m2 * 1e-4, r->heat_flux_max_w_m2 * 1e-4, r->h_eff_w_m2k,
          r->fin_efficiency, r->reynolds);
  fprintf(f,
          "  Hydraulics         dP %.1f kPa (channels %.1f, manifold %.1f, fittings %.1f, "
          "couplings %.1f); pump power %.0f W\n",
          r->dp_total_pa * 1e-3, r->dp_channels_pa * 1e-3, r->dp_manifold_pa * 1e-3,
          r->dp_fittings_pa * 1e-3, r->dp_qd_pa * 1e-3, r->pump_power_w);
  fprintf(f,
          "                     channel %.2f m/s (max %.2f), Re max %.0f, pipe %.2f m/s; "
          "%.2f L/min/kW against the 1.5 L/min/kW facility reference%s\n",
          r->channel_velocity_m_s, r->velocity_max_m_s, r->reynolds_max, r->pipe_velocity_m_s,
          flow_lpm / (r->power_w * 1e-3), r->flow_from_pumps ? " (flow from the pump curve)" : "");
  if (isfinite(r->pump_flow_m3_s)) {
    fprintf(f, "  Pumps              %d %s: %.1f L/min at %.1f kPa against this loop",
            Case_pumps_running(c), c->pump_series ? "in series" : "in parallel",
            r->pump_flow_m3_s * 60000.0, r->pump_dp_pa * 1e-3);
    if (isfinite(r->one_pump_lost_flow_m3_s))
      fprintf(f, "; one lost: %.1f L/min (%.2f L/min/kW)", r->one_pump_lost_flow_m3_s * 60000.0,
              r->one_pump_lost_flow_m3_s * 60000.0 / (r->power_w * 1e-3));
    fprintf(f, "\n");
    if (!r->flow_from_pumps && r->pump_flow_m3_s < r->coolant_flow_m3_s)
      fprintf(f, "  WARNING            the pumps cannot deliver the case's %.1f L/min against "
                 "this loop\n", flow_lpm);
  }
  fprintf(f, "  Energy balance     %.1e (relative)\n", r->energy_balance_rel_error);
  for (int i = 0; i < r->n_warnings; i++) fprintf(f, "  WARNING            %s\n", r->warnings[i]);
  if (n_limits == 0) {
    fprintf(f, "  Limits             none set in the case\n");
    return;
  }
  fprintf(f, "  Limits\n");
  for (int i = 0; i < n_limits; i++)
    fprintf(f, "    %-24s %8.2f <= %8.2f %-3s %s\n", limits[i].name, limits[i].value,
            limits[i].limit, limits[i].unit, limits[i].ok ? "ok" : "BROKEN");
}
