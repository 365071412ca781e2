/* channel.c - micro-fin channel correlations (laminar, fully developed). */
#include <math.h>

#include "channel.h"

/* Shah & London (1978), "Laminar Flow Forced Convection in Ducts", rectangular
 * ducts, fully developed; polynomial fits as given in physics.md 6.1 [S]
 * (alpha = short side / long side, 0 <= alpha <= 1). */
double Channel_nu_h1(double alpha) {
  double a = alpha;
  return 8.235 * (1 - 2.0421 * a + 3.0853 * a * a - 2.4765 * pow(a, 3) + 1.0578 * pow(a, 4) -
                  0.1861 * pow(a, 5));
}

double Channel_fre(double alpha) {
  double a = alpha;
  return 24.0 * (1 - 1.3553 * a + 1.9467 * a * a - 1.7012 * pow(a, 3) + 0.9564 * pow(a, 4) -
                 0.2537 * pow(a, 5));
}

/* Straight rectangular fin, adiabatic tip (Incropera & DeWitt sec. 3.6):
 * eta = tanh(mH)/(mH), m = sqrt(h P / (k A_c)) = sqrt(2 h / (k t)) for a
 * thin fin of thickness t cooled on both faces. */
double Channel_fin_efficiency(double h_w_m2k, double k_w_mk, double t_m, double height_m) {
  double mh = sqrt(2.0 * h_w_m2k / (k_w_mk * t_m)) * height_m;
  return mh < 1e-8 ? 1.0 : tanh(mh) / mh;
}
