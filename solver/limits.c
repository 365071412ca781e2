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
  return n;
}

int Limits_all_ok(const LimitCheck *checks, int n) {
  for (int i = 0; i < n; i++)
    if (!checks[i].ok) return 0;
  return 1;
}
