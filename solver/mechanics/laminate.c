/* laminate.c - classical laminate theory for a free, bonded stack under a
 * uniform temperature change (equibiaxial, isotropic layers). */
#include "laminate.h"

#include <math.h>

#include "../../cases/case.h"

int Laminate_bend(int n, const LaminateLayer *layers, LaminateResult *out) {
  if (n < 1) return EB_EINPUT;
  double a = 0, b = 0, d = 0, nt = 0, mt = 0, z = 0;
  for (int i = 0; i < n; i++) {
    const LaminateLayer *l = &layers[i];
    if (!(l->h_m > 0) || !(l->e_pa > 0) || !(l->nu < 1)) return EB_EINPUT;
    const double ep = l->e_pa / (1.0 - l->nu), zbar = z + 0.5 * l->h_m;
    a += ep * l->h_m;
    b += ep * l->h_m * zbar;
    d += ep * (l->h_m * l->h_m * l->h_m / 12.0 + l->h_m * zbar * zbar);
    nt += ep * l->alpha_per_k * l->dt_k * l->h_m;
    mt += ep * l->alpha_per_k * l->dt_k * l->h_m * zbar;
    z += l->h_m;
  }
  const double det = a * d - b * b;
  out->kappa_per_m = (a * mt - b * nt) / det;
  out->eps0 = (d * nt - b * mt) / det;
  out->d_nm = det / a;
  out->z_neutral_m = b / a;
  return EB_OK;
}

double Laminate_bow(double kappa_per_m, double side_m) {
  const double r = side_m / sqrt(2.0);
  return 0.5 * kappa_per_m * r * r;
}

double Laminate_flatten_pressure(double kappa_per_m, double d_nm, double nu, double radius_m) {
  return 32.0 * d_nm * fabs(kappa_per_m) / ((5.0 + nu) * radius_m * radius_m);
}
