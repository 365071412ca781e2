/* coolant.c - strips of micro-fin channels: flow split, local h, march. */
#include "coolant.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duct.h"
#include "channel.h"

size_t Coolant_col(const Coolant *k, int s, int a) {
  return k->along_x ? (size_t)s * k->g->nx + a : (size_t)a * k->g->nx + s;
}

void Coolant_props(const Coolant *k, double t_k, FluidProps *out) {
  if (k->c->fluid_constant)
    *out = k->inlet;
  else
    Materials_fluid_props(k->c->fluid, t_k, out);
}

/* Relative flow at position p (0..1) across the plate: the case's profile
 * interpolated linearly between equally spaced points, else 1. */
static double profile_at(const CaseList *l, double p) {
  if (l->n < 2) return 1.0;
  double f = p * (l->n - 1);
  int i = (int)floor(f);
  if (i >= l->n - 1) return l->v[l->n - 1];
  if (i < 0) return l->v[0];
  return l->v[i] + (f - i) * (l->v[i + 1] - l->v[i]);
}

/* Mean of the piecewise-linear table (x, y; n points) over [a, b], exact. */
static double table_mean(const double *x, const double *y, int n, double a, double b) {
  if (n == 1) return y[0];
  if (b <= a) { /* a point: interpolate */
    int i = 0;
    while (i < n - 2 && a > x[i + 1]) i++;
    return y[i] + (a - x[i]) / (x[i + 1] - x[i]) * (y[i + 1] - y[i]);
  }
  double sum = 0.0;
  for (int i = 0; i + 1 < n; i++) {
    double lo = fmax(a, x[i]), hi = fmin(b, x[i + 1]);
    if (hi <= lo) continue;
    double slope = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
    double ylo = y[i] + (lo - x[i]) * slope, yhi = y[i] + (hi - x[i]) * slope;
    sum += 0.5 * (ylo + yhi) * (hi - lo);
  }
  return sum / (b - a);
}

/* The layer's imposed h per along-index, and the words for the report. */
static int impose_h(Coolant *k, const CaseLayer *L) {
  k->h_model = Case_h_model(L);
  const char *fin_words = L->fin_model == FIN_RESOLVED
                              ? (L->cover == COVER_ADIABATIC ? ", resolved fins"
                                                             : ", resolved fins and lid")
                              : ", fin efficiency";
  if (k->h_model == H_CORRELATION) {
    snprintf(k->h_source, sizeof k->h_source,
             "correlation: laminar rectangular duct (Shah & London), developing flow, %s cover%s",
             L->cover == COVER_ADIABATIC ? "adiabatic" : "conducting", fin_words);
    return EB_OK;
  }
  k->h_imposed = malloc((size_t)k->n_along * sizeof *k->h_imposed);
  if (!k->h_imposed) return EB_EFAIL;
  const int wall = k->h_model == H_WALL;
  const double one = wall ? L->wall_h_w_m2k : L->h_eff_w_m2k;
  const CaseList *h = wall ? &L->wall_h_table : &L->h_eff_table;
  const char *what = wall ? "imposed wall h" : "imposed h_eff (per base area, fins included)";
  const char *fins = wall ? fin_words : "";
  if (h->n == 0) {
    for (int a = 0; a < k->n_along; a++) k->h_imposed[a] = one;
    snprintf(k->h_source, sizeof k->h_source, "%s %.6g W/(m^2 K)%s", what, one, fins);
  } else if (L->h_table_flow.n > 0) {
    const CaseList *x = &L->h_table_flow;
    const double q = k->q_m3_s, lo = x->v[0], hi = x->v[x->n - 1];
    if (q < lo * (1 - 1e-9) || q > hi * (1 + 1e-9))
      snprintf(k->h_problem, sizeof k->h_problem,
               "the coolant flow %.4g L/min is outside the h table of layer '%s' (%.4g to %.4g "
               "L/min in h_table_flow_lpm): extend the table; ebsim does not extrapolate it",
               q * 60000.0, L->name, lo * 60000.0, hi * 60000.0);
    const double v = table_mean(x->v, h->v, x->n, fmin(fmax(q, lo), hi), fmin(fmax(q, lo), hi));
    for (int a = 0; a < k->n_along; a++) k->h_imposed[a] = v;
    snprintf(k->h_source, sizeof k->h_source,
             "%s from a table against the plate's flow (%.4g W/(m^2 K) at %.4g L/min)%s", what, v,
             q * 60000.0, fins);
  } else {
    const CaseList *x = &L->h_table_position;
    const double path = k->net.path_length_m;
    if (x->v[0] > 1e-9 || x->v[x->n - 1] < path * (1 - 1e-9))
      snprintf(k->h_problem, sizeof k->h_problem,
               "the h table of layer '%s' covers %.4g to %.4g mm along the flow, but the flow "
               "path runs from 0 to %.4g mm: extend h_table_position_mm; ebsim does not "
               "extrapolate it",
               L->name, x->v[0] * 1e3, x->v[x->n - 1] * 1e3, path * 1e3);
    for (int a = 0; a < k->n_along; a++) {
      double a0 = fmin(fmax(k->x0[a], x->v[0]), x->v[x->n - 1]);
      double a1 = fmin(fmax(k->x1[a], x->v[0]), x->v[x->n - 1]);
      k->h_imposed[a] = table_mean(x->v, h->v, x->n, a0, a1);
    }
    snprintf(k->h_source, sizeof k->h_source,
             "%s from a table against the distance along the flow path (%d points)%s", what,
             x->n, fins);
  }
  return EB_OK;
}

int Coolant_init(Coolant *k, const Case *c, const Grid *g, double q_m3_s, double nu_fd_known,
                 char *err, size_t err_size) {
  const CaseLayer *L = &c->layers[Case_channel_layer(c)];
  *k = (Coolant){.c = c, .g = g, .q_m3_s = q_m3_s};
  k->along_x = L->flow_direction != 'y';
  k->split = L->manifold == MANIFOLD_SPLIT;
  const double *along = k->along_x ? g->x : g->y, *across = k->along_x ? g->y : g->x;
  k->n_along = k->along_x ? g->nx : g->ny;
  k->n_strips = k->along_x ? g->ny : g->nx;
  const double length = along[k->n_along] - along[0], width = across[k->n_strips] - across[0];
  const double pitch = L->channel_width_m + L->fin_thickness_m;
  k->net = (HydNetwork){.w_m = L->channel_width_m, .h_m = L->channel_height_m, .pitch_m = pitch,
                        .path_length_m = k->split ? 0.5 * length : length,
                        .n_paths = (k->split ? 2.0 : 1.0) * width / pitch,
                        .k_entry = c->k_entry, .k_exit = c->k_exit, .pipe_d_m = c->pipe_d_m,
                        .k_fittings = c->k_fittings, .n_qd = c->n_qd, .k_qd = c->k_qd};
  k->dh = Hyd_dh(&k->net);
  k->alpha = Hyd_alpha(&k->net);
  k->nu_fd = Channel_nu_h1(k->alpha);
  if (nu_fd_known > 0.0) {
    k->nu_fd = nu_fd_known;
  } else if (L->cover == COVER_ADIABATIC && Case_h_model(L) == H_CORRELATION) {
    /* base (bottom) and both fins heated, the cover (top) not */
    DuctResult d;
    int rc = Duct_solve(L->channel_width_m, L->channel_height_m,
                        DUCT_BOTTOM | DUCT_LEFT | DUCT_RIGHT, 48, &d, err, err_size);
    if (rc != EB_OK) return rc;
    k->nu_fd = d.nu_h1;
  }
  k->fin = Case_solid(c, L->material);
  Materials_fluid_props(c->fluid, c->inlet_t_k, &k->inlet);
  k->m_dot = k->inlet.rho_kg_m3 * q_m3_s;

  k->strip_m = malloc((size_t)k->n_strips * sizeof *k->strip_m);
  k->x0 = malloc((size_t)k->n_along * sizeof *k->x0);
  k->x1 = malloc((size_t)k->n_along * sizeof *k->x1);
  if (!k->strip_m || !k->x0 || !k->x1) {
    Coolant_free(k);
    snprintf(err, err_size, "coolant: out of memory");
    return EB_EFAIL;
  }
  double sum = 0.0;
  for (int s = 0; s < k->n_strips; s++) {
    double w = across[s + 1] - across[s];
    double p = (0.5 * (across[s] + across[s + 1]) - across[0]) / width;
    k->strip_m[s] = w * profile_at(&L->flow_profile, p);
    sum += k->strip_m[s];
  }
  if (!(sum > 0.0)) {
    Coolant_free(k);
    snprintf(err, err_size, "coolant: the flow_profile of layer '%s' gives no flow anywhere",
             L->name);
    return EB_EINPUT;
  }
  for (int s = 0; s < k->n_strips; s++) k->strip_m[s] *= k->m_dot / sum;

  const double centre = 0.5 * (along[0] + along[k->n_along]);
  k->a_centre = 0;
  for (int a = 0; a < k->n_along; a++) {
    if (!k->split) {
      k->x0[a] = along[a] - along[0];
      k->x1[a] = along[a + 1] - along[0];
      continue;
    }
    /* the grid has a line on the centre (see Grid_create) */
    if (0.5 * (along[a] + along[a + 1]) > centre) {
      if (k->a_centre == 0) k->a_centre = a;
      k->x0[a] = along[a] - centre;
      k->x1[a] = along[a + 1] - centre;
    } else {
      k->x0[a] = centre - along[a + 1];
      k->x1[a] = centre - along[a];
    }
    if (k->x0[a] < 0.0) k->x0[a] = 0.0;
  }
  if (impose_h(k, L) != EB_OK) {
    Coolant_free(k);
    snprintf(err, err_size, "coolant: out of memory");
    return EB_EFAIL;
  }
  return EB_OK;
}

void Coolant_free(Coolant *k) {
  free(k->strip_m);
  free(k->x0);
  free(k->x1);
  free(k->h_imposed);
  k->strip_m = k->x0 = k->x1 = k->h_imposed = NULL;
}

void Coolant_local(const Coolant *k, int s, int a, double t_k, CoolantLocal *out) {
  const double *across = k->along_x ? k->g->y : k->g->x;
  FluidProps p;
  Coolant_props(k, t_k, &p);
  /* channels in the strip share its flow; a split path carries half */
  double n_ch = (across[s + 1] - across[s]) / k->net.pitch_m;
  double m_ch = k->strip_m[s] / n_ch / (k->split ? 2.0 : 1.0);
  double area = k->net.w_m * k->net.h_m;
  out->velocity = m_ch / (p.rho_kg_m3 * area);
  out->re = m_ch / area * k->dh / p.mu_pa_s;
  if (k->h_model == H_EFF) {
    out->h_eff = k->h_imposed[a];
    out->h_wall = out->eta = NAN;
    return;
  }
  if (k->h_model == H_WALL) {
    out->h_wall = k->h_imposed[a];
  } else {
    double pr = p.cp_j_kgk * p.mu_pa_s / p.k_w_mk;
    double nu = Hyd_nu_cell_fd(k->nu_fd, out->re, pr, k->x0[a] / k->dh, k->x1[a] / k->dh);
    out->h_wall = nu * p.k_w_mk / k->dh;
  }
  /* the fins sit close to the coolant temperature: their k there */
  double k_fin = k->fin->kx_w_mk * Solid_k_factor(k->fin, t_k);
  out->eta = Channel_fin_efficiency(out->h_wall, k_fin, k->net.pitch_m - k->net.w_m, k->net.h_m);
  out->h_eff = out->h_wall * (k->net.w_m + 2.0 * out->eta * k->net.h_m) / k->net.pitch_m;
}

void Coolant_wall_from_eff(const Coolant *k, double h_eff, double t_k, double *h_wall,
                           double *eta) {
  /* h_eff = h_w (w + 2 eta(h_w) H) / p rises with h_w; eta in (0, 1]
   * brackets it: h_eff p / (w + 2H) <= h_w <= h_eff p / w. Bisection in
   * log h_w to 1e-12. */
  const double w = k->net.w_m, H = k->net.h_m, p = k->net.pitch_m;
  const double k_fin = k->fin->kx_w_mk * Solid_k_factor(k->fin, t_k);
  double lo = log(h_eff * p / (w + 2.0 * H)), hi = log(h_eff * p / w);
  for (int it = 0; it < 45 && hi - lo > 1e-12; it++) {
    double mid = 0.5 * (lo + hi), hw = exp(mid);
    double e = Channel_fin_efficiency(hw, k_fin, p - w, H);
    if (hw * (w + 2.0 * e * H) / p < h_eff)
      lo = mid;
    else
      hi = mid;
  }
  *h_wall = exp(0.5 * (lo + hi));
  *eta = Channel_fin_efficiency(*h_wall, k_fin, p - w, H);
}

/* One path: from along-index a_first stepping by `step` over n cells. */
static double march_path(const Coolant *k, int s, int a_first, int step, int n, double m,
                         const double *q_col, const double *t_old, double *t_new, double *heat) {
  double t_face = k->c->inlet_t_k;
  for (int q = 0, a = a_first; q < n; q++, a += step) {
    size_t col = Coolant_col(k, s, a);
    FluidProps p;
    Coolant_props(k, t_old[col], &p);
    double dt = q_col[col] / (m * p.cp_j_kgk);
    t_new[col] = t_face + 0.5 * dt;
    t_face += dt;
    *heat += q_col[col];
  }
  return t_face;
}

void Coolant_march(const Coolant *k, const double *q_col, const double *t_old, double *t_new,
                   CoolantMarch *out) {
  double out_sum = 0.0, heat = 0.0, t_max = -INFINITY;
  for (int s = 0; s < k->n_strips; s++) {
    double m = k->strip_m[s];
    if (!k->split) {
      double t = march_path(k, s, 0, 1, k->n_along, m, q_col, t_old, t_new, &heat);
      out_sum += m * t;
      t_max = fmax(t_max, t);
    } else {
      int ac = k->a_centre;
      double t1 = march_path(k, s, ac, 1, k->n_along - ac, 0.5 * m, q_col, t_old, t_new, &heat);
      double t2 = march_path(k, s, ac - 1, -1, ac, 0.5 * m, q_col, t_old, t_new, &heat);
      out_sum += 0.5 * m * (t1 + t2);
      t_max = fmax(t_max, fmax(t1, t2));
    }
  }
  out->t_outlet_k = out_sum / k->m_dot;
  out->t_max_k = t_max;
  out->heat_w = heat;
}
