/* coolant.c - strips of micro-fin channels: flow split, local h, march. */
#include "coolant.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
  } else if (L->cover == COVER_ADIABATIC) {
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
  return EB_OK;
}

void Coolant_free(Coolant *k) {
  free(k->strip_m);
  free(k->x0);
  free(k->x1);
  k->strip_m = k->x0 = k->x1 = NULL;
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
  double pr = p.cp_j_kgk * p.mu_pa_s / p.k_w_mk;
  double nu = Hyd_nu_cell_fd(k->nu_fd, out->re, pr, k->x0[a] / k->dh, k->x1[a] / k->dh);
  out->h_wall = nu * p.k_w_mk / k->dh;
  /* the fins sit close to the coolant temperature: their k there */
  double k_fin = k->fin->kx_w_mk * Solid_k_factor(k->fin, t_k);
  out->eta = Channel_fin_efficiency(out->h_wall, k_fin, k->net.pitch_m - k->net.w_m, k->net.h_m);
  out->h_eff = out->h_wall * (k->net.w_m + 2.0 * out->eta * k->net.h_m) / k->net.pitch_m;
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
