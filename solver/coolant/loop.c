/* loop.c - pump operating points, the loop's pressure drop and the cold
 * plate's heat-transfer summary after a solve; the coolant outputs. */
#include "loop.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void Loop_pump_set(const Case *c, PumpSet *ps) {
  *ps = (PumpSet){.count = c->pump_count, .series = c->pump_series,
                  .efficiency = c->pump_efficiency, .dp0_pa = c->pump_dp0_pa,
                  .qmax_m3_s = c->pump_qmax_m3_s, .n_table = c->pump_curve_q.n};
  for (int i = 0; i < ps->n_table; i++) {
    ps->q_table[i] = c->pump_curve_q.v[i];
    ps->dp_table[i] = c->pump_curve_dp.v[i];
  }
}

static int has_pump_curve(const Case *c) {
  return c->pump_curve_q.n >= 2 || !isnan(c->pump_dp0_pa);
}

/* The loop's drop depends on the mean coolant temperature, which depends on
 * the flow: passes from the inlet temperature settle it to well below 0.1 %. */
int Loop_case_flow(const Case *c, const Grid *g, double *q, char *err, size_t err_size) {
  if (!c->flow_from_pumps) {
    *q = c->flow_m3_s;
    return EB_OK;
  }
  PumpSet ps;
  Loop_pump_set(c, &ps);
  Coolant k;
  /* the network alone is used: any Nu will do, skip the duct solve */
  int rc = Coolant_init(&k, c, g, 1e-6, 1.0, err, err_size);
  if (rc != EB_OK) return rc;
  double t_mean = c->inlet_t_k;
  for (int pass = 0; pass < 3 && rc == EB_OK; pass++) {
    FluidProps p;
    Coolant_props(&k, t_mean, &p);
    HydDrop d;
    rc = Hyd_operating_point(&k.net, &ps, Case_pumps_running(c), &p, q, &d, err, err_size);
    t_mean = c->inlet_t_k + 0.5 * c->power_w / (p.rho_kg_m3 * *q * p.cp_j_kgk);
  }
  Coolant_free(&k);
  return rc;
}

static void warn(LoopResult *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(LoopResult *r, const char *fmt, ...) {
  if (r->n_warnings >= LOOP_MAX_WARNINGS) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->warnings[r->n_warnings++], LOOP_WARNING_LEN, fmt, ap);
  va_end(ap);
}

/* Loop and pump curves for the figures, and the coolant and junction along
 * the flow direction. */
static int fill_curves(const Case *c, const Coolant *k, const FluidProps *pm,
                       const double *t_fluid, const double *t_junction, LoopResult *r) {
  enum { NC = 41 };
  r->n_curve = NC;
  r->curve_q_m3_s = malloc(NC * sizeof(double));
  r->curve_system_pa = malloc(NC * sizeof(double));
  r->curve_pump_pa = malloc(NC * sizeof(double));
  r->curve_pump_lost_pa = malloc(NC * sizeof(double));
  r->n_path = k->n_along;
  r->path_x_m = malloc((size_t)k->n_along * sizeof(double));
  r->path_t_coolant_k = malloc((size_t)k->n_along * sizeof(double));
  r->path_t_junction_max_k = malloc((size_t)k->n_along * sizeof(double));
  if (!r->curve_q_m3_s || !r->curve_system_pa || !r->curve_pump_pa || !r->curve_pump_lost_pa ||
      !r->path_x_m || !r->path_t_coolant_k || !r->path_t_junction_max_k)
    return EB_EFAIL;
  const int pumps = has_pump_curve(c), running = Case_pumps_running(c);
  PumpSet ps;
  Loop_pump_set(c, &ps);
  double q_top = 1.5 * k->q_m3_s;
  if (pumps) q_top = fmax(q_top, Pump_qmax(&ps, running));
  for (int i = 0; i < NC; i++) {
    double q = q_top * i / (NC - 1);
    HydDrop d;
    Hyd_drop(&k->net, q, pm, &d);
    r->curve_q_m3_s[i] = q;
    r->curve_system_pa[i] = d.total_pa;
    r->curve_pump_pa[i] = pumps ? Pump_dp(&ps, running, q) : NAN;
    r->curve_pump_lost_pa[i] = pumps && running >= 2 ? Pump_dp(&ps, running - 1, q) : NAN;
  }
  const double *along = k->along_x ? k->g->x : k->g->y;
  for (int a = 0; a < k->n_along; a++) {
    double tm = 0.0, tj = -INFINITY;
    for (int st = 0; st < k->n_strips; st++) {
      size_t col = Coolant_col(k, st, a);
      tm += k->strip_m[st] * t_fluid[col];
      if (t_junction[col] > tj) tj = t_junction[col];
    }
    r->path_x_m[a] = 0.5 * (along[a] + along[a + 1]);
    r->path_t_coolant_k[a] = tm / k->m_dot;
    r->path_t_junction_max_k[a] = tj;
  }
  return EB_OK;
}

int Loop_evaluate(const Case *c, const Coolant *k, const double *t_fluid,
                  const double *t_junction, double t_outlet_k, double power_w, LoopResult *r,
                  char *err, size_t err_size) {
  memset(r, 0, sizeof *r);
  const Grid *g = k->g;
  const int nx = g->nx;
  const double lpm = 60000.0;
  r->flow_from_pumps = c->flow_from_pumps;
  r->flow_m3_s = k->q_m3_s;
  r->mass_flow_kg_s = k->m_dot;
  r->lpm_per_kw = k->q_m3_s * lpm / (power_w * 1e-3);
  /* channel heat transfer, area means and extremes at the solved coolant
   * temperatures */
  double hw = 0.0, he = 0.0, eta = 0.0, area_sum = 0.0;
  for (int st = 0; st < k->n_strips; st++)
    for (int a = 0; a < k->n_along; a++) {
      size_t col = Coolant_col(k, st, a);
      double area = Grid_col_area(g, col);
      CoolantLocal loc;
      Coolant_local(k, st, a, t_fluid[col], &loc);
      if (isnan(loc.h_wall)) Coolant_wall_from_eff(k, loc.h_eff, t_fluid[col], &loc.h_wall, &loc.eta);
      hw += loc.h_wall * area;
      he += loc.h_eff * area;
      eta += loc.eta * area;
      area_sum += area;
      r->reynolds_max = fmax(r->reynolds_max, loc.re);
      r->channel_velocity_max_m_s = fmax(r->channel_velocity_max_m_s, loc.velocity);
    }
  r->h_channel_w_m2k = hw / area_sum;
  r->h_eff_w_m2k = he / area_sum;
  r->fin_efficiency = eta / area_sum;
  snprintf(r->h_model, sizeof r->h_model, "%s", k->h_source);
  /* the loop at the mean coolant temperature */
  FluidProps pm;
  Coolant_props(k, 0.5 * (c->inlet_t_k + t_outlet_k), &pm);
  HydDrop d;
  Hyd_drop(&k->net, k->q_m3_s, &pm, &d);
  r->reynolds_inlet = k->inlet.rho_kg_m3 * d.velocity_m_s * k->dh / k->inlet.mu_pa_s;
  r->dp_channels_pa = d.channels_pa;
  r->dp_manifold_pa = d.manifold_pa;
  r->dp_fittings_pa = d.fittings_pa;
  r->dp_qd_pa = d.qd_pa;
  r->dp_total_pa = d.total_pa;
  r->channel_velocity_mean_m_s = d.velocity_m_s;
  r->pipe_velocity_m_s = d.pipe_velocity_m_s;
  r->velocity_max_m_s = fmax(r->channel_velocity_max_m_s, r->pipe_velocity_m_s);
  r->pump_power_w = d.total_pa * k->q_m3_s / c->pump_efficiency;
  r->pump_flow_m3_s = r->pump_dp_pa = NAN;
  r->one_pump_lost_flow_m3_s = r->one_pump_lost_dp_pa = r->one_pump_lost_lpm_per_kw = NAN;
  if (has_pump_curve(c)) {
    PumpSet ps;
    Loop_pump_set(c, &ps);
    const int running = Case_pumps_running(c);
    double q1;
    HydDrop d1;
    char e1[256];
    if (Hyd_operating_point(&k->net, &ps, running, &pm, &q1, &d1, e1, sizeof e1) == EB_OK) {
      r->pump_flow_m3_s = q1;
      r->pump_dp_pa = d1.total_pa;
    }
    if (running >= 2 &&
        Hyd_operating_point(&k->net, &ps, running - 1, &pm, &q1, &d1, e1, sizeof e1) == EB_OK) {
      r->one_pump_lost_flow_m3_s = q1;
      r->one_pump_lost_dp_pa = d1.total_pa;
      r->one_pump_lost_lpm_per_kw = q1 * lpm / (power_w * 1e-3);
    }
  }
  if (fill_curves(c, k, &pm, t_fluid, t_junction, r) != EB_OK) {
    LoopResult_free(r);
    snprintf(err, err_size, "coolant: out of memory for the loop curves");
    return EB_EFAIL;
  }
  /* property tables are clamped at their ends: say so when that happened */
  double tf_min = INFINITY, tf_max = -INFINITY, t_lo, t_hi;
  for (size_t q = 0; q < (size_t)nx * g->ny; q++) {
    tf_min = fmin(tf_min, t_fluid[q]);
    tf_max = fmax(tf_max, t_fluid[q]);
  }
  Materials_fluid_range(c->fluid, &t_lo, &t_hi);
  if (!c->fluid_constant && (tf_max > t_hi || tf_min < t_lo))
    warn(r,
         "the coolant reached %.1f C, outside the %s property range %.1f .. %.1f C; its "
         "properties were held at the range end there",
         (tf_max > t_hi ? tf_max : tf_min) - 273.15, Materials_fluid_names()[c->fluid],
         t_lo - 273.15, t_hi - 273.15);
  if (r->reynolds_max > HYD_RE_LAM)
    warn(r,
         "channel Re reaches %.0f: transitional/turbulent correlations (Gnielinski, VDI "
         "blend from Re %.0f) carry more uncertainty than the laminar ones",
         r->reynolds_max, HYD_RE_LAM);
  return EB_OK;
}

int Loop_boiling(const Case *c, double flow_m3_s, double heat_w, double t_max_k, char *msg,
                 size_t n) {
  const double t_boil = Materials_fluid_boiling_k(c->fluid), t_in = c->inlet_t_k;
  FluidProps p;
  Materials_fluid_props(c->fluid, t_in, &p);
  const double rise = heat_w / (p.rho_kg_m3 * flow_m3_s * p.cp_j_kgk);
  if (!(fmax(t_max_k, t_in + rise) >= t_boil)) return 0;
  /* the mixed outlet reaches boiling at this flow; properties at the inlet */
  const double q_min = heat_w / (p.rho_kg_m3 * p.cp_j_kgk * (t_boil - t_in));
  snprintf(msg, n,
           "the coolant boils: %.3g kW into %.4g L/min of %s raises it %.0f K on average, from "
           "%.1f C to %.0f C%s, at or above its boiling point %.0f C at atmospheric pressure; "
           "ebsim models single-phase liquid cooling only. At least %.3g L/min keeps the mixed "
           "outlet below boiling (more for a margin): raise coolant.flow_lpm, or lower "
           "power.total_kw or coolant.inlet_c",
           heat_w * 1e-3, flow_m3_s * 60000.0, Materials_fluid_names()[c->fluid], rise,
           t_in - 273.15, t_in + rise - 273.15,
           t_max_k > t_in + rise ? " (hotter still in the hottest channels)" : "",
           t_boil - 273.15, q_min * 60000.0);
  return 1;
}

int Loop_freezing(const Case *c, const Coolant *k, const double *t_fluid, char *msg, size_t n) {
  const double t_freeze = Materials_fluid_freezing_k(c->fluid), t_in = c->inlet_t_k;
  const char *fluid = Materials_fluid_names()[c->fluid];
  if (!t_fluid) {
    if (!(t_in < t_freeze)) return EB_OK;
    snprintf(msg, n,
             "coolant.inlet_c: the inlet, %.2f C, is below the freezing point of %s, %.2f C; "
             "ebsim models liquid coolant only: raise coolant.inlet_c%s",
             t_in - 273.15, fluid, t_freeze - 273.15,
             c->fluid == FLUID_WATER ? " or use a glycol mix (coolant.fluid: pg25, pg30)" : "");
    return EB_EINPUT;
  }
  const Grid *g = k->g;
  double t_min = INFINITY;
  size_t at = 0;
  for (int st = 0; st < k->n_strips; st++)
    for (int a = 0; a < k->n_along; a++) {
      size_t col = Coolant_col(k, st, a);
      if (t_fluid[col] < t_min) {
        t_min = t_fluid[col];
        at = col;
      }
    }
  if (!(t_min < t_freeze)) return EB_OK;
  const int i = (int)(at % (size_t)g->nx), j = (int)(at / (size_t)g->nx);
  int len = snprintf(msg, n,
                     "the coolant freezes: the %s reaches %.2f C at x=%.1f y=%.1f mm, below its "
                     "freezing point %.2f C (inlet %.2f C); ebsim models liquid coolant only",
                     fluid, t_min - 273.15, 0.5 * (g->x[i] + g->x[i + 1]) * 1e3,
                     0.5 * (g->y[j] + g->y[j + 1]) * 1e3, t_freeze - 273.15, t_in - 273.15);
  /* the coolant leaves its inlet only warmer unless a colder boundary draws
   * heat out of it: the brick cold plate is the only other one */
  const CaseLayer *cold = NULL;
  for (int l = 0; l < c->n_layers; l++) {
    const CaseLayer *L = &c->layers[l];
    if ((L->kind == LAYER_BRICK_TILES || L->kind == LAYER_CONVECTIVE) &&
        L->cold_plate_h_w_m2k > 0.0 &&
        (!cold || Case_brick_plate_t_k(c, L) < Case_brick_plate_t_k(c, cold)))
      cold = L;
  }
  if (len < 0 || (size_t)len >= n) return EB_ENOSTATE;
  if (cold && Case_brick_plate_t_k(c, cold) < t_in)
    snprintf(msg + len, n - (size_t)len,
             ": the %s at %.1f C (stack.%s.%s) draws heat out of it through the stack. Raise "
             "stack.%s.%s, coolant.inlet_c, coolant.flow_lpm or power.total_kw",
             cold->kind == LAYER_CONVECTIVE ? "convective face's ambient" : "brick cold plate",
             Case_brick_plate_t_k(c, cold) - 273.15, cold->name,
             cold->kind == LAYER_CONVECTIVE ? "ambient_c" : "cold_plate_c", cold->name,
             cold->kind == LAYER_CONVECTIVE ? "ambient_c" : "cold_plate_c");
  else
    snprintf(msg + len, n - (size_t)len, ". Raise coolant.inlet_c");
  return EB_ENOSTATE;
}

void LoopResult_free(LoopResult *r) {
  free(r->curve_q_m3_s);
  free(r->curve_system_pa);
  free(r->curve_pump_pa);
  free(r->curve_pump_lost_pa);
  free(r->path_x_m);
  free(r->path_t_coolant_k);
  free(r->path_t_junction_max_k);
  memset(r, 0, sizeof *r);
}

/* ---- outputs ----------------------------------------------------------------------- */

#define F(field) .part = RESULT_COOLANT, .off = offsetof(LoopResult, field)
#define CURVE(field) F(field), .group = "pump_curve", .kind = RES_COLUMN, \
  .n_off = offsetof(LoopResult, n_curve), .stride = sizeof(double), .flags = RES_NO_REPORT
#define PATH(field) F(field), .group = "flow_path", .kind = RES_COLUMN, \
  .n_off = offsetof(LoopResult, n_path), .stride = sizeof(double), .flags = RES_NO_REPORT
#define S .kind = RES_SCALAR, .group = "summary"
/* clang-format off */
static const ResultEntry entries[] = {
    {"coolant_flow_lpm", "L/min", "coolant volume flow through the block", S, F(flow_m3_s), RES_TO_LPM},
    {"lpm_per_kw", "L/min/kW", "flow per kW of wafer power (the facility reference is 1.5 L/min/kW)", S, F(lpm_per_kw)},
    {"flow_from_pumps", "1", "the flow is where the pump curve meets the loop (coolant.flow_source: pumps)", .kind = RES_FLAG, .group = "summary", F(flow_from_pumps)},
    {"coolant_mass_flow_kg_s", "kg/s", "coolant mass flow (inlet density)", S, F(mass_flow_kg_s), .flags = RES_NO_REPORT},
    {"h_channel_w_m2k", "W/(m^2 K)", "heat-transfer coefficient on the channel walls, area mean", S, F(h_channel_w_m2k)},
    {"h_eff_w_m2k", "W/(m^2 K)", "heat-transfer coefficient per plate area, fins included, area mean", S, F(h_eff_w_m2k)},
    {"fin_efficiency", "1", "micro-fin efficiency, area mean", S, F(fin_efficiency)},
    {"h_model", "1", "which model produced the cold plate's heat-transfer coefficient: the duct correlations, or the case's imposed wall h or h_eff (value or table)", .kind = RES_TEXT, .group = "summary", F(h_model), .stride = sizeof(((LoopResult *)0)->h_model)},
    {"reynolds_inlet", "1", "channel Reynolds number at the mean channel velocity with inlet properties", S, F(reynolds_inlet)},
    {"reynolds_max", "1", "largest local channel Reynolds number", S, F(reynolds_max)},
    {"channel_velocity_mean_m_s", "m/s", "mean coolant velocity in the channels", S, F(channel_velocity_mean_m_s)},
    {"channel_velocity_max_m_s", "m/s", "largest local coolant velocity in the channels (flow profile)", S, F(channel_velocity_max_m_s)},
    {"pipe_velocity_m_s", "m/s", "coolant velocity in the supply and return pipes", S, F(pipe_velocity_m_s)},
    {"velocity_max_m_s", "m/s", "largest coolant velocity in the loop: the larger of channel_velocity_max_m_s and pipe_velocity_m_s", S, F(velocity_max_m_s)},
    {"pressure_drop_kpa", "kPa", "pressure drop of the whole loop at the operating flow", S, F(dp_total_pa), RES_TO_KPA},
    {"pressure_drop_channels_kpa", "kPa", "micro-fin channels (apparent friction, developing flow)", S, F(dp_channels_pa), RES_TO_KPA},
    {"pressure_drop_manifold_kpa", "kPa", "manifold entry and exit losses at the channel velocity", S, F(dp_manifold_pa), RES_TO_KPA},
    {"pressure_drop_fittings_kpa", "kPa", "fittings at the pipe velocity", S, F(dp_fittings_pa), RES_TO_KPA},
    {"pressure_drop_quick_disconnects_kpa", "kPa", "quick-disconnect couplings at the pipe velocity", S, F(dp_qd_pa), RES_TO_KPA},
    {"pump_power_w", "W", "pump electrical power: pressure drop x flow / pump efficiency", S, F(pump_power_w)},
    {"pump_flow_lpm", "L/min", "flow where the running pumps meet this loop (NaN: no pump curve)", S, F(pump_flow_m3_s), RES_TO_LPM},
    {"pump_pressure_kpa", "kPa", "pressure at that operating point (NaN: no pump curve)", S, F(pump_dp_pa), RES_TO_KPA},
    {"one_pump_lost_flow_lpm", "L/min", "flow with one running pump lost (NaN: no pump curve or a single pump)", S, F(one_pump_lost_flow_m3_s), RES_TO_LPM},
    {"one_pump_lost_lpm_per_kw", "L/min/kW", "flow per kW with one running pump lost (NaN: not applicable)", S, F(one_pump_lost_lpm_per_kw)},
    {"one_pump_lost_pressure_kpa", "kPa", "pressure with one running pump lost (NaN: not applicable)", S, F(one_pump_lost_dp_pa), RES_TO_KPA},
    {"curve_flow_lpm", "L/min", "flow samples of the loop and pump curves", CURVE(curve_q_m3_s), RES_TO_LPM},
    {"curve_system_kpa", "kPa", "pressure drop of the loop at that flow", CURVE(curve_system_pa), RES_TO_KPA},
    {"curve_pumps_kpa", "kPa", "pressure rise of the running pumps (NaN: no pump curve)", CURVE(curve_pump_pa), RES_TO_KPA},
    {"curve_pumps_one_lost_kpa", "kPa", "pressure rise with one running pump lost (NaN: not applicable)", CURVE(curve_pump_lost_pa), RES_TO_KPA},
    {"path_position_mm", "mm", "cell centres along the flow direction (wafer coordinate)", PATH(path_x_m), RES_TO_MM},
    {"path_coolant_c", "C", "flow-weighted mean coolant temperature across the flow", PATH(path_t_coolant_k), RES_TO_C},
    {"path_junction_max_c", "C", "hottest junction across the flow", PATH(path_t_junction_max_k), RES_TO_C},
};
/* clang-format on */
#undef S
const ResultTable Loop_outputs = {RESULT_COOLANT, sizeof(LoopResult), entries,
                                  (int)(sizeof entries / sizeof entries[0])};
