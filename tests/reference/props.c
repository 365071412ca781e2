/* props.c - print ebsim's own property data for the CFD reference
 * (bench/cfd_reference.sh): water from materials.c (IAPWS table,
 * interpolated as ebsim does), silicon k(T) and copper k. One line per
 * kelvin from T_LO to T_HI: T rho cp k mu k_silicon k_copper.
 * Built from materials/materials.c alone (no other ebsim module):
 *   cc -I. tests/reference/props.c materials/materials.c -lm */
#include <stdio.h>
#include <stdlib.h>

#include "materials/materials.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: props T_LO_K T_HI_K\n");
    return 2;
  }
  double lo = atof(argv[1]), hi = atof(argv[2]);
  const Solid *si = Materials_solid("silicon"), *cu = Materials_solid("copper");
  printf("# T_K rho_kg_m3 cp_J_kgK k_W_mK mu_Pa_s k_silicon_W_mK k_copper_W_mK clamped\n");
  for (double t = lo; t <= hi + 1e-9; t += 1.0) {
    FluidProps p;
    int clamped = Materials_fluid_props(FLUID_WATER, t, &p);
    printf("%.2f %.6f %.4f %.6f %.8e %.5f %.3f %d\n", t, p.rho_kg_m3, p.cp_j_kgk, p.k_w_mk,
           p.mu_pa_s, si->kx_w_mk * Solid_k_factor(si, t), cu->kx_w_mk * Solid_k_factor(cu, t),
           clamped);
  }
  return 0;
}
