/* hydraulics.c - channel correlations, loop pressure drop, pump curves. */
#include "hydraulics.h"

#include <math.h>
#include <stdio.h>

#include "../../cases/case.h"
#include "channel.h"

static const double M_PI_LOCAL = 3.14159265358979323846;

/* ---- heat transfer --------------------------------------------------------- */

/* Laminar, simultaneously developing, mean over length x, H condition
 * (nu_fd: the duct's fully developed laminar Nu):
 * Nu = Nu_fd + (0.1156 + 0.08569 / Pr^0.4) Gz / (1 + 0.1158 Gz^0.6),
 * Gz = Re Pr D_h / x (Nellis & Klein, "Heat Transfer", 2009, sec. 5.2.4, as
 * implemented in EES; physics.md 6.2). The circular-tube limit 4.36 is
 * replaced by the rectangular duct's Nu_H1(alpha) (Shah & London 1978), as
 * EES does for rectangular ducts; for other wall heating (an adiabatic
 * cover) by that duct's own fully developed value (solver/duct.c), the same
 * substitution [E]. */
static double nu_laminar_mean(double nu_fd, double re, double pr, double x_over_dh) {
  if (!isfinite(x_over_dh)) return nu_fd;
  double gz = re * pr / x_over_dh;
  return nu_fd + (0.1156 + 0.08569 / pow(pr, 0.4)) * gz / (1.0 + 0.1158 * pow(gz, 0.6));
}

/* Petukhov (1970) smooth-tube friction, Darcy: (0.790 ln Re - 1.64)^-2;
 * physics.md 6.3 (Gnielinski's companion friction law). */
static double darcy_petukhov(double re) { return pow(0.790 * log(re) - 1.64, -2.0); }

/* Gnielinski, Int. Chem. Eng. 16:359 (1976), physics.md 6.3:
 * Nu = (f/8)(Re - 1000) Pr / (1 + 12.7 sqrt(f/8) (Pr^(2/3) - 1)). */
double Hyd_nu_gnielinski(double re, double pr) {
  double f8 = darcy_petukhov(re) / 8.0;
  return f8 * (re - 1000.0) * pr / (1.0 + 12.7 * sqrt(f8) * (pow(pr, 2.0 / 3.0) - 1.0));
}

/* Turbulent mean over length x with the entrance factor 1 + (D_h/x)^(2/3)
 * (Gnielinski, VDI Heat Atlas 2010, G1 eq. 28). */
static double nu_turbulent_mean(double re, double pr, double x_over_dh) {
  double nu = Hyd_nu_gnielinski(re, pr);
  return isfinite(x_over_dh) ? nu * (1.0 + pow(1.0 / x_over_dh, 2.0 / 3.0)) : nu;
}

/* Transition: Nu = (1 - g) Nu_lam(2300) + g Nu_turb(1e4),
 * g = (Re - 2300) / (1e4 - 2300) (Gnielinski 2013, VDI Heat Atlas G1 eq. 30). */
static double transition_weight(double re) {
  if (re <= HYD_RE_LAM) return 0.0;
  if (re >= HYD_RE_TURB) return 1.0;
  return (re - HYD_RE_LAM) / (HYD_RE_TURB - HYD_RE_LAM);
}

double Hyd_nu_mean_fd(double nu_fd, double re, double pr, double x_over_dh) {
  double g = transition_weight(re);
  if (g == 0.0) return nu_laminar_mean(nu_fd, re, pr, x_over_dh);
  if (g == 1.0) return nu_turbulent_mean(re, pr, x_over_dh);
  return (1.0 - g) * nu_laminar_mean(nu_fd, HYD_RE_LAM, pr, x_over_dh) +
         g * nu_turbulent_mean(HYD_RE_TURB, pr, x_over_dh);
}

double Hyd_nu_mean(double alpha, double re, double pr, double x_over_dh) {
  return Hyd_nu_mean_fd(Channel_nu_h1(alpha), re, pr, x_over_dh);
}

double Hyd_nu_cell_fd(double nu_fd, double re, double pr, double x0_over_dh,
                      double x1_over_dh) {
  /* mean over [0, x] is N(x); the mean over [x0, x1] follows from
   * x1 N(x1) - x0 N(x0), and x N(x) -> 0 at the inlet */
  double a = x0_over_dh > 0.0 ? x0_over_dh * Hyd_nu_mean_fd(nu_fd, re, pr, x0_over_dh) : 0.0;
  double b = x1_over_dh * Hyd_nu_mean_fd(nu_fd, re, pr, x1_over_dh);
  return (b - a) / (x1_over_dh - x0_over_dh);
}

double Hyd_nu_cell(double alpha, double re, double pr, double x0_over_dh, double x1_over_dh) {
  return Hyd_nu_cell_fd(Channel_nu_h1(alpha), re, pr, x0_over_dh, x1_over_dh);
}

/* ---- friction ------------------------------------------------------------- */

/* Laminar apparent Fanning factor over L, simultaneously developing
 * (Shah, J. Fluids Eng. 100:177, 1978; physics.md 6.2), with the circular
 * 16 replaced by the rectangular duct's fully developed f Re:
 * f_app Re = 3.44/sqrt(x+) + (fRe + 1.25/(4 x+) - 3.44/sqrt(x+)) / (1 + 0.00021/x+^2),
 * x+ = L / (D_h Re). */
static double fanning_laminar_app(double alpha, double re, double l_over_dh) {
  double xp = l_over_dh / re, s = 3.44 / sqrt(xp);
  return (s + (Channel_fre(alpha) + 1.25 / (4.0 * xp) - s) / (1.0 + 0.00021 / (xp * xp))) / re;
}

/* Same transition weight as for Nu [E: ebsim's choice, keeps dp continuous];
 * turbulent part fully developed (entrance excess neglected). */
double Hyd_fanning_apparent(double alpha, double re, double l_over_dh) {
  double g = transition_weight(re);
  if (g == 0.0) return fanning_laminar_app(alpha, re, l_over_dh);
  if (g == 1.0) return darcy_petukhov(re) / 4.0;
  return (1.0 - g) * fanning_laminar_app(alpha, HYD_RE_LAM, l_over_dh) +
         g * darcy_petukhov(HYD_RE_TURB) / 4.0;
}

/* ---- the loop -------------------------------------------------------------- */

double Hyd_dh(const HydNetwork *n) { return 2.0 * n->w_m * n->h_m / (n->w_m + n->h_m); }
double Hyd_alpha(const HydNetwork *n) { return fmin(n->w_m, n->h_m) / fmax(n->w_m, n->h_m); }

void Hyd_drop(const HydNetwork *n, double q, const FluidProps *p, HydDrop *out) {
  const double dh = Hyd_dh(n);
  const double v = q / (n->n_paths * n->w_m * n->h_m);
  const double dyn = 0.5 * p->rho_kg_m3 * v * v;
  out->velocity_m_s = v;
  out->reynolds = p->rho_kg_m3 * v * dh / p->mu_pa_s;
  out->fanning = out->reynolds > 0 ? Hyd_fanning_apparent(Hyd_alpha(n), out->reynolds,
                                                          n->path_length_m / dh)
                                   : 0.0;
  /* Fanning: dp = f (4 L / D_h) rho V^2 / 2 */
  out->channels_pa = out->fanning * 4.0 * n->path_length_m / dh * dyn;
  out->manifold_pa = (n->k_entry + n->k_exit) * dyn;
  double pipe_area = n->pipe_d_m > 0 ? 0.25 * M_PI_LOCAL * n->pipe_d_m * n->pipe_d_m : 0.0;
  double vp = pipe_area > 0 ? q / pipe_area : 0.0;
  double dyn_pipe = 0.5 * p->rho_kg_m3 * vp * vp;
  out->pipe_velocity_m_s = vp;
  out->fittings_pa = n->k_fittings * dyn_pipe;
  out->qd_pa = n->n_qd * n->k_qd * dyn_pipe;
  out->total_pa = out->channels_pa + out->manifold_pa + out->fittings_pa + out->qd_pa;
}

/* ---- pumps ------------------------------------------------------------------ */

static double pump_single(const PumpSet *ps, double q) {
  if (q < 0.0) q = 0.0;
  if (ps->n_table >= 2) {
    const double *x = ps->q_table, *y = ps->dp_table;
    int n = ps->n_table;
    if (q <= x[0]) return y[0];
    if (q >= x[n - 1]) return fmax(0.0, y[n - 1]);
    int i = 0;
    while (q > x[i + 1]) i++;
    return y[i] + (y[i + 1] - y[i]) * (q - x[i]) / (x[i + 1] - x[i]);
  }
  double r = q / ps->qmax_m3_s;
  return fmax(0.0, ps->dp0_pa * (1.0 - r * r));
}

double Pump_dp(const PumpSet *ps, int running, double q) {
  if (running <= 0) return 0.0;
  return ps->series ? running * pump_single(ps, q) : pump_single(ps, q / running);
}

double Pump_qmax(const PumpSet *ps, int running) {
  double q1 = ps->n_table >= 2 ? ps->q_table[ps->n_table - 1] : ps->qmax_m3_s;
  return ps->series ? q1 : running * q1;
}

int Hyd_operating_point(const HydNetwork *n, const PumpSet *ps, int running, const FluidProps *p,
                        double *q_out, HydDrop *drop, char *err, size_t err_size) {
  double lo = 0.0, hi = Pump_qmax(ps, running);
  HydDrop d;
  if (running <= 0 || !(hi > 0.0) || Pump_dp(ps, running, 0.0) <= 0.0) {
    snprintf(err, err_size, "pumps: %d running pump(s) give no pressure rise at zero flow",
             running);
    return EB_EINPUT;
  }
  Hyd_drop(n, hi, p, &d);
  if (Pump_dp(ps, running, hi) > d.total_pa) {
    snprintf(err, err_size,
             "pumps: the pump curve ends at %.1f L/min with %.1f kPa still to give against "
             "%.1f kPa of the loop; extend the curve to zero pressure (curve_dp_kpa ending in 0) "
             "or give shutoff_kpa and max_flow_lpm",
             hi * 60000.0, Pump_dp(ps, running, hi) * 1e-3, d.total_pa * 1e-3);
    return EB_EINPUT;
  }
  /* f(q) = pump rise - loop drop falls from > 0 at q = 0 to <= 0 at q_max:
   * bisection is monotone-safe and 60 halvings reach round-off. */
  for (int it = 0; it < 60; it++) {
    double mid = 0.5 * (lo + hi);
    Hyd_drop(n, mid, p, &d);
    if (Pump_dp(ps, running, mid) > d.total_pa)
      lo = mid;
    else
      hi = mid;
  }
  *q_out = 0.5 * (lo + hi);
  Hyd_drop(n, *q_out, p, drop);
  return EB_OK;
}
