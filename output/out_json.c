/* out_json.c - summary.json (jansson): the report's numbers for scripts. */
#include <jansson.h>
#include <math.h>

#include "output.h"
#include "output_internal.h"

/* JSON has no NaN: a missing number is null. */
static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

int Output_write_summary_json(const Case *c, const ThermalResult *r, const LimitCheck *limits,
                              int n_limits, const char *path, char *err, size_t err_size) {
  json_t *o = json_object();
  double flow_lpm = r->coolant_flow_m3_s * 60000.0;
  json_object_set_new(o, "case", json_string(c->name));
  json_object_set_new(o, "t_max_c", num(r->t_max_k - out_kelvin));
  json_object_set_new(o, "t_max_die",
                      json_pack("[ii]", r->t_max_die_col + 1, r->t_max_die_row + 1));
  json_object_set_new(o, "t_max_xy_mm", json_pack("[ff]", r->t_max_x_m * 1e3, r->t_max_y_m * 1e3));
  json_object_set_new(o, "t_mean_wafer_c", num(r->t_mean_wafer_k - out_kelvin));
  json_object_set_new(o, "power_w", num(r->power_w));
  json_object_set_new(o, "coolant_inlet_c", num(r->coolant_inlet_k - out_kelvin));
  json_object_set_new(o, "coolant_outlet_c", num(r->coolant_outlet_k - out_kelvin));
  json_object_set_new(o, "coolant_flow_lpm", num(flow_lpm));
  json_object_set_new(o, "lpm_per_kw", num(flow_lpm / (r->power_w / 1e3)));
  json_object_set_new(o, "heat_to_coolant_w", num(r->heat_to_coolant_w));
  json_object_set_new(o, "heat_to_bottom_w", num(r->heat_to_bottom_w));
  json_object_set_new(o, "energy_balance_rel_error", num(r->energy_balance_rel_error));
  json_object_set_new(o, "heat_flux_mean_w_cm2", num(r->heat_flux_mean_w_m2 * 1e-4));
  json_object_set_new(o, "heat_flux_max_w_cm2", num(r->heat_flux_max_w_m2 * 1e-4));
  json_object_set_new(o, "h_channel_w_m2k", num(r->h_channel_w_m2k));
  json_object_set_new(o, "h_eff_w_m2k", num(r->h_eff_w_m2k));
  json_object_set_new(o, "fin_efficiency", num(r->fin_efficiency));
  json_object_set_new(o, "reynolds", num(r->reynolds));
  json_object_set_new(o, "pressure_drop_kpa", num(r->dp_total_pa * 1e-3));
  json_object_set_new(o, "pressure_drop_breakdown_kpa",
                      json_pack("{s:o, s:o, s:o, s:o}", "channels", num(r->dp_channels_pa * 1e-3),
                                "manifold", num(r->dp_manifold_pa * 1e-3), "fittings",
                                num(r->dp_fittings_pa * 1e-3), "quick_disconnects",
                                num(r->dp_qd_pa * 1e-3)));
  json_object_set_new(o, "pump_power_w", num(r->pump_power_w));
  json_object_set_new(o, "reynolds_max", num(r->reynolds_max));
  json_object_set_new(o, "velocity_max_m_s", num(r->velocity_max_m_s));
  json_object_set_new(o, "channel_velocity_m_s", num(r->channel_velocity_m_s));
  json_object_set_new(o, "pipe_velocity_m_s", num(r->pipe_velocity_m_s));
  json_object_set_new(o, "h_mean_w_m2k", num(r->h_channel_w_m2k));
  json_object_set_new(o, "flow_from_pumps", json_boolean(r->flow_from_pumps));
  json_object_set_new(o, "pump_operating_point",
                      isfinite(r->pump_flow_m3_s)
                          ? json_pack("{s:o, s:o}", "flow_lpm", num(r->pump_flow_m3_s * 60000.0),
                                      "pressure_drop_kpa", num(r->pump_dp_pa * 1e-3))
                          : json_null());
  json_object_set_new(o, "one_pump_lost",
                      isfinite(r->one_pump_lost_flow_m3_s)
                          ? json_pack("{s:o, s:o, s:o}", "flow_lpm",
                                      num(r->one_pump_lost_flow_m3_s * 60000.0), "lpm_per_kw",
                                      num(r->one_pump_lost_flow_m3_s * 60000.0 / (r->power_w * 1e-3)),
                                      "pressure_drop_kpa", num(r->one_pump_lost_dp_pa * 1e-3))
                          : json_null());
  json_t *warn = json_array();
  for (int i = 0; i < r->n_warnings; i++) json_array_append_new(warn, json_string(r->warnings[i]));
  json_object_set_new(o, "warnings", warn);
  json_object_set_new(o, "cells", json_integer((json_int_t)r->cells));
  json_object_set_new(o, "nonlinear_iterations", json_integer(r->nonlinear_iters));
  json_object_set_new(o, "linear_iterations", json_integer(r->linear_iters));
  json_object_set_new(o, "linear_residual", num(r->linear_residual));
  json_object_set_new(o, "solve_seconds", num(r->solve_seconds));
  json_t *lim = json_object();
  for (int i = 0; i < n_limits; i++)
    json_object_set_new(lim, limits[i].name,
                        json_pack("{s:o, s:o, s:s, s:b}", "value", num(limits[i].value), "limit",
                                  num(limits[i].limit), "unit", limits[i].unit, "ok",
                                  limits[i].ok));
  json_object_set_new(o, "limits", lim);
  json_object_set_new(o, "all_limits_ok", json_boolean(Limits_all_ok(limits, n_limits)));
  int rc = json_dump_file(o, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
  json_decref(o);
  if (rc != 0) {
    snprintf(err, err_size, "cannot write %s", path);
    return EB_EFAIL;
  }
  return EB_OK;
}
