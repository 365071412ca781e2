/* limits.c - compare a result with the case's limits, through the registry. */
#include "limits.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The case's limits: each bounds one registered quantity from above (or
 * below, lower = 1). The
 * case stores the limit in SI; it is converted with the quantity's own
 * registry conversion, so value and limit share a unit by construction. */
static const struct {
  LimitInfo info;
  size_t off; /* double in Case, SI, NAN when not set */
} table[] = {
    {{"junction_max_c", "t_max_c", "hottest junction temperature", 0},
     offsetof(Case, junction_max_k)},
    {{"coolant_outlet_max_c", "coolant_outlet_c", "mixed-mean coolant outlet temperature", 0},
     offsetof(Case, outlet_max_k)},
    {{"pressure_drop_max_kpa", "pressure_drop_kpa", "pressure drop of the whole loop", 0},
     offsetof(Case, dp_max_pa)},
    {{"velocity_max_m_s", "velocity_max_m_s",
      "largest coolant velocity, channels or pipes (erosion)", 0},
     offsetof(Case, velocity_max_m_s)},
    {{"psu_load_max_kw", "psu_load_max_kw", "largest output of one PSU", 0},
     offsetof(Case, psu_load_max_w)},
    {{"brick_current_max_a", "brick_current_max_a", "largest brick output current", 0},
     offsetof(Case, brick_current_max_a)},
    {{"brick_load_max", "brick_load_max",
      "largest brick current over its rating derated at its temperature", 0},
     offsetof(Case, brick_load_max)},
    {{"brick_temp_max_c", "brick_temp_max_c", "hottest brick", 0}, offsetof(Case, brick_temp_max_k)},
    {{"die_voltage_min_v", "die_voltage_min_v", "lowest die voltage (a lower bound)", 1},
     offsetof(Case, die_voltage_min_v)},
    {{"connector_shear_strain_max", "connector_shear_strain_max",
      "largest shear strain of the compliant connector", 0},
     offsetof(Case, connector_strain_max)},
    {{"wafer_stress_max_mpa", "wafer_stress_max_mpa", "largest von Mises membrane stress of the wafer", 0},
     offsetof(Case, wafer_stress_max_pa)},
    {{"pcb_stress_max_mpa", "pcb_stress_max_mpa", "largest von Mises membrane stress of the PCB", 0},
     offsetof(Case, pcb_stress_max_pa)},
    {{"edge_slip_max_um", "edge_slip_max_um", "largest slip of the cold plate against the wafer's edge", 0},
     offsetof(Case, edge_slip_max_m)},
};
enum { N_TABLE = (int)(sizeof table / sizeof table[0]) };
_Static_assert(N_TABLE <= LIMITS_MAX, "LIMITS_MAX too small");

int Limits_count(void) { return N_TABLE; }
const LimitInfo *Limits_info(int i) { return i >= 0 && i < N_TABLE ? &table[i].info : NULL; }

int Limits_evaluate(const Case *c, const Registry *reg, const Result *r, LimitsResult *out,
                    char *err, size_t err_size) {
  memset(out, 0, sizeof *out);
  out->all_ok = 1;
  size_t len = 0;
  for (int i = 0; i < N_TABLE; i++) {
    double limit_si = *(const double *)((const char *)c + table[i].off);
    if (isnan(limit_si)) continue;
    const ResultEntry *e = Registry_find(reg, table[i].info.quantity);
    if (!e) {
      snprintf(err, err_size, "limits: %s bounds %s, which is not a registered quantity",
               table[i].info.name, table[i].info.quantity);
      return EB_EFAIL;
    }
    if (!Result_has(r, e)) {
      const int mech = e->part == RESULT_MECHANICS;
      snprintf(err, err_size,
               "limits.%s bounds %s, which this case does not compute (it needs %s); remove the "
               "limit or add the section",
               table[i].info.name, table[i].info.quantity,
               mech ? "the mechanics model: a mechanics section"
                    : "the power path: a power_delivery section");
      return EB_EINPUT;
    }
    LimitCheck *k = &out->checks[out->n++];
    k->name = table[i].info.name;
    k->quantity = table[i].info.quantity;
    k->unit = Result_unit(r, e);
    k->value = Result_number(r, e);
    k->limit = Result_to_output(e, limit_si);
    k->lower = table[i].info.lower;
    k->margin = k->lower ? k->value - k->limit : k->limit - k->value;
    k->ok = k->margin >= 0.0;
    if (!k->ok) {
      out->all_ok = 0;
      len += (size_t)snprintf(out->broken + len, len < sizeof out->broken ? sizeof out->broken - len : 0,
                              "%s%s", len ? ", " : "", k->name);
    }
  }
  int bind = -1;
  out->nearest_margin = Limits_margin(out, &bind);
  out->any = bind >= 0;
  snprintf(out->nearest, sizeof out->nearest, "%s", bind >= 0 ? out->checks[bind].name : "");
  return EB_OK;
}

double Limits_margin(const LimitsResult *l, int *binding) {
  double m = INFINITY;
  if (binding) *binding = -1;
  for (int i = 0; i < l->n; i++) {
    const double scale = fabs(l->checks[i].limit) > 1e-12 ? fabs(l->checks[i].limit) : 1.0;
    double r = l->checks[i].margin / scale;
    if (r < m) {
      m = r;
      if (binding) *binding = i;
    }
  }
  return m;
}

/* clang-format off */
static const ResultEntry entries[] = {
    {"all_limits_ok", "1", "every limit the case sets holds (in a design map's rebuilt row: is known to hold; false where a limited quantity is not rebuilt)", .kind = RES_FLAG, .part = RESULT_LIMITS,
     .group = "summary", .off = offsetof(LimitsResult, all_ok)},
    {"limits_broken", "1", "the limits that are broken, comma separated (empty: none)", .kind = RES_TEXT,
     .part = RESULT_LIMITS, .group = "summary", .off = offsetof(LimitsResult, broken),
     .stride = LIMITS_BROKEN_LEN, .flags = RES_NO_REPORT},
    {"nearest_limit", "1", "the limit with the smallest relative margin: the first to break as the case is pushed", .kind = RES_TEXT,
     .part = RESULT_LIMITS, .group = "summary", .off = offsetof(LimitsResult, nearest),
     .stride = 64, .flags = RES_NO_REPORT | RES_OPTIONAL, .when_off = offsetof(LimitsResult, any)},
    {"nearest_limit_margin", "1", "that limit's margin over its value (0.05: 5 % to go; negative: broken)", .kind = RES_SCALAR,
     .part = RESULT_LIMITS, .group = "summary", .off = offsetof(LimitsResult, nearest_margin),
     .flags = RES_NO_REPORT | RES_OPTIONAL, .when_off = offsetof(LimitsResult, any)},
};
/* clang-format on */
const ResultTable Limits_outputs = {RESULT_LIMITS, sizeof(LimitsResult), entries,
                                    (int)(sizeof entries / sizeof entries[0])};
