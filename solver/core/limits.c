/* limits.c - compare a solved result with the case's limits. */
#include "limits.h"

#include <math.h>

static const double kelvin_offset = 273.15;

int Limits_evaluate(const Case *c, const ThermalResult *r, LimitCheck *out) {
  int n = 0;
  if (!isnan(c->junction_max_k)) {
    out[n] = (LimitCheck){"junction_max_c", "C", r->t_max_k - kelvin_offset,
                          c->junction_max_k - kelvin_offset, r->t_max_k <= c->junction_max_k};
    n++;
  }
  if (!isnan(c->outlet_max_k)) {
    out[n] = (LimitCheck){"coolant_outlet_max_c", "C", r->coolant_outlet_k - kelvin_offset,
                          c->outlet_max_k - kelvin_offset,
                          r->coolant_outlet_k <= c->outlet_max_k};
    n++;
  }
  if (!isnan(c->dp_max_pa)) {
    out[n] = (LimitCheck){"pressure_drop_max_kpa", "kPa", r->dp_total_pa * 1e-3,
                          c->dp_max_pa * 1e-3, r->dp_total_pa <= c->dp_max_pa};
    n++;
  }
  if (!isnan(c->velocity_max_m_s)) {
    /* erosion: the fastest channel, and the supply pipe */
    double v = fmax(r->velocity_max_m_s, r->pipe_velocity_m_s);
    out[n] = (LimitCheck){"velocity_max_m_s", "m/s", v, c->velocity_max_m_s,
                          v <= c->velocity_max_m_s};
    n++;
  }
  return n;
}

int Limits_all_ok(const LimitCheck *checks, int n) {
  for (int i = 0; i < n; i++)
    if (!checks[i].ok) return 0;
  return 1;
}
