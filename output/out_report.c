/* out_report.c - the short console report. */
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
          "(fin efficiency %.2f, Re %.0f)\n",
          r->heat_flux_mean_w_m2 * 1e-4, r->heat_flux_max_w_m2 * 1e-4, r->h_eff_w_m2k,
          r->fin_efficiency, r->reynolds);
  fprintf(f, "  Energy balance     %.1e (relative)\n", r->energy_balance_rel_error);
  if (n_limits == 0) {
    fprintf(f, "  Limits             none set in the case\n");
    return;
  }
  fprintf(f, "  Limits\n");
  for (int i = 0; i < n_limits; i++)
    fprintf(f, "    %-24s %8.2f <= %8.2f %-3s %s\n", limits[i].name, limits[i].value,
            limits[i].limit, limits[i].unit, limits[i].ok ? "ok" : "BROKEN");
}
