/* power_parts.c - the power path's pieces as pure functions. */
#include "power_parts.h"

#include <math.h>

double Power_cu_factor(double t_k, double t_ref_k) {
  return 1.0 + POWER_CU_ALPHA * (t_k - t_ref_k);
}

double Power_pcb_loop_sheet_ohm(const CasePowerDelivery *pd) {
  const double r_plane = POWER_CU_RHO_20C / (POWER_CU_OZ_M * pd->pcb_copper_oz);
  return r_plane / pd->pcb_power_planes + r_plane / pd->pcb_ground_planes;
}

double Power_die(const Case *c, double p_nom, double v, double t_k, double *dyn, double *leak) {
  double d = p_nom, l = 0.0;
  if (c->die_model == DIE_POWER_ELECTRICAL) {
    const double x = v / c->v_nominal_v;
    d = p_nom * c->dynamic_share * c->clock * x * x;
    l = p_nom * (1.0 - c->dynamic_share) * pow(x, c->leakage_v_exponent) *
        exp2((t_k - c->leakage_ref_k) / c->leakage_doubling_k);
  }
  if (dyn) *dyn = d;
  if (leak) *leak = l;
  return d + l;
}

/* Linear interpolation in a rising table, clamped at its ends. */
static double table(const CaseList *x, const CaseList *y, double at) {
  if (x->n < 2) return y->n ? y->v[0] : NAN;
  if (at <= x->v[0]) return y->v[0];
  if (at >= x->v[x->n - 1]) return y->v[x->n - 1];
  int i = 0;
  while (at > x->v[i + 1]) i++;
  return y->v[i] + (y->v[i + 1] - y->v[i]) * (at - x->v[i]) / (x->v[i + 1] - x->v[i]);
}

double Power_set_point(const Case *c) {
  if (c->die_model == DIE_POWER_ELECTRICAL && c->vf_clock.n >= 2)
    return table(&c->vf_clock, &c->vf_v, c->clock);
  return c->pd.brick_set_v;
}

double Power_psu_efficiency(const CasePowerDelivery *pd, double load_fraction) {
  return table(&pd->psu_eff_load, &pd->psu_eff, load_fraction);
}

double Power_stage_vout(double k_v_in, double r_out, double p_out, double *i) {
  if (r_out <= 0.0) {
    *i = p_out / k_v_in;
    return k_v_in;
  }
  /* v^2 - k v_in v + r p = 0: the higher root is the stable operating point */
  double disc = k_v_in * k_v_in - 4.0 * r_out * p_out;
  if (disc < 0.0) {
    *i = NAN;
    return NAN;
  }
  double v = 0.5 * (k_v_in + sqrt(disc));
  *i = p_out / v;
  return v;
}

double Power_brick_rating(const CasePowerDelivery *pd, double t_k) {
  if (t_k <= pd->brick_derate_start_k) return pd->brick_rated_a;
  if (t_k >= pd->brick_derate_end_k) return 0.0;
  return pd->brick_rated_a * (pd->brick_derate_end_k - t_k) /
         (pd->brick_derate_end_k - pd->brick_derate_start_k);
}

int Power_footprint(const Case *c, const Grid *g, uint8_t *foot) {
  const int bl = Case_brick_layer(c);
  if (bl < 0) return EB_EINPUT;
  const CaseLayer *b = &c->layers[bl];
  const double px = c->wafer_size_m / c->die_columns, py = c->wafer_size_m / c->die_rows;
  for (int j = 0; j < g->ny; j++)
    for (int i = 0; i < g->nx; i++) {
      const double x = 0.5 * (g->x[i] + g->x[i + 1]), y = 0.5 * (g->y[j] + g->y[j + 1]);
      const double xc = (floor(x / px) + 0.5) * px, yc = (floor(y / py) + 0.5) * py;
      foot[(size_t)j * g->nx + i] =
          fabs(x - xc) < 0.5 * b->brick_x_m && fabs(y - yc) < 0.5 * b->brick_y_m;
    }
  return EB_OK;
}
