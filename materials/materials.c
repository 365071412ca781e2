/* materials.c - the property library. Tags follow ../shared/refs/physics.md:
 * [S] read in the cited source, [R] standard handbook value, [E] estimate
 * or derivation made for this project (an assumption a case may override). */
#include "materials.h"

#include <math.h>
#include <string.h>

static const Solid solids[] = {
    /* Silicon: k = 148 W/mK at 300 K [R] Incropera & DeWitt Table A.1; the
     * fit k = 148 (300/T)^1.3 [E] follows Glassbrenner & Slack, Phys. Rev.
     * 134, A1058 (1964) (exponent 1.31 between 300 and 500 K).
     * rho 2330 kg/m3, cp 712 J/kgK [R] Incropera Table A.1. */
    {"silicon", 148.0, 148.0, 148.0, 1.3, 300.0, 2330.0, 712.0,
     "Incropera Table A.1; k(T) fit to Glassbrenner & Slack 1964"},
    /* OFHC copper (C10100/C10200): k 391 W/mK [R] CDA data; rho 8933,
     * cp 385 [R] Incropera Table A.1. */
    {"copper", 391.0, 391.0, 391.0, 0.0, 300.0, 8933.0, 385.0, "CDA OFHC data; Incropera Table A.1"},
    /* Plain FR-4 glass/epoxy: 1.059 in-plane, 0.343 through [S] Sarvar,
     * Poole, Witting, J. Electron. Mater. 19(12):1345 (1990). rho 1850,
     * cp 1100 [R] laminate datasheets. */
    {"fr4", 1.059, 1.059, 0.343, 0.0, 300.0, 1850.0, 1100.0, "Sarvar, Poole & Witting 1990"},
    /* Power PCB with thick copper planes [E]: 3.2 mm board, 12 planes of
     * 70 um copper at 80 % fill (0.67 mm Cu) in FR-4; parallel rule in-plane
     * k_xy = (0.67*391 + 2.53*1.059)/3.2 = 83 -> 60 W/mK after plane cut-outs;
     * series rule through-plane 0.43 W/mK plus 1 % via copper area
     * (0.01*391 = 3.9) -> 4 W/mK; rule from physics.md 3.3 (Graebner & Azar
     * 1997: k_par/k_perp of 100 or more with continuous planes). */
    {"pcb_laminate", 60.0, 60.0, 4.0, 0.0, 300.0, 2800.0, 900.0,
     "[E] parallel/series rule, physics.md 3.3; Graebner & Azar 1997"},
    /* Compliant connector [E]: silicone elastomer (k 0.27 [R] Dow Sylgard
     * 184 datasheet) with conductive metal columns over 5 % of the area
     * (k ~ 100 W/mK): k_z = 0.05*100 + 0.95*0.27 = 5.3, k_xy ~ 0.3. */
    {"elastomer_connector", 0.3, 0.3, 5.3, 0.0, 300.0, 2500.0, 1000.0,
     "[E] Sylgard 184 with 5 % metal columns"},
    /* Encapsulated power module [E]: copper-rich brick, effective 10 W/mK. */
    {"brick", 10.0, 10.0, 10.0, 0.0, 300.0, 3000.0, 800.0, "[E] encapsulated power module"},
    /* Filler between bricks [E]: polymer potting/foam 0.25 W/mK. */
    {"filler", 0.25, 0.25, 0.25, 0.0, 300.0, 1200.0, 1500.0, "[E] polymer potting"},
    /* Aluminium (pure): 237 W/mK, rho 2702, cp 903 [R] Incropera Table A.1. */
    {"aluminium", 237.0, 237.0, 237.0, 0.0, 300.0, 2702.0, 903.0, "Incropera Table A.1"},
};
#define N_SOLIDS (sizeof solids / sizeof solids[0])

static const char *const solid_names[] = {"silicon", "copper", "fr4", "pcb_laminate",
                                          "elastomer_connector", "brick", "filler", "aluminium",
                                          NULL};

double Solid_k_factor(const Solid *s, double t_k) {
  if (s->k_exponent == 0.0 || !(t_k > 0.0)) return 1.0;
  return pow(s->t_ref_k / t_k, s->k_exponent);
}

const Solid *Materials_solid(const char *name) {
  for (size_t i = 0; i < N_SOLIDS; i++)
    if (strcmp(solids[i].name, name) == 0) return &solids[i];
  return NULL;
}

const char *const *Materials_solid_names(void) { return solid_names; }

/* Water at 0.2 MPa: IAPWS-95 (density, cp) and IAPWS 2008/2011 transport
 * (mu, k), computed with python3-iapws; table in physics.md 4.1 [S]. */
typedef struct {
  double t_c, rho, cp, k, mu_mpas;
} FluidRow;
static const FluidRow water[] = {
    {5, 1000.02, 4204.6, 0.5679, 1.5180},  {10, 999.75, 4194.8, 0.5788, 1.3058},
    {15, 999.15, 4188.1, 0.5889, 1.1375},  {20, 998.25, 4183.7, 0.5981, 1.0016},
    {21, 998.04, 4183.1, 0.5998, 0.9775},  {25, 997.09, 4181.0, 0.6066, 0.8900},
    {30, 995.69, 4179.6, 0.6144, 0.7972},  {35, 994.08, 4179.0, 0.6218, 0.7191},
    {40, 992.26, 4179.2, 0.6285, 0.6527},  {45, 990.26, 4179.9, 0.6348, 0.5958},
    {50, 988.08, 4181.1, 0.6407, 0.5465},  {60, 983.24, 4184.7, 0.6511, 0.4661},
    {70, 977.81, 4189.9, 0.6598, 0.4036},  {80, 971.83, 4196.5, 0.6670, 0.3541},
};
#define N_WATER (sizeof water / sizeof water[0])

static const char *const fluid_names[] = {"water", NULL};

int Materials_fluid_kind(const char *name) {
  for (int i = 0; fluid_names[i]; i++)
    if (strcmp(fluid_names[i], name) == 0) return i;
  return -1;
}

const char *const *Materials_fluid_names(void) { return fluid_names; }

static const double kelvin = 273.15;

void Materials_fluid_range(FluidKind kind, double *t_min_k, double *t_max_k) {
  (void)kind; /* one fluid so far */
  *t_min_k = water[0].t_c + kelvin;
  *t_max_k = water[N_WATER - 1].t_c + kelvin;
}

int Materials_fluid_props(FluidKind kind, double t_k, FluidProps *out) {
  (void)kind;
  const FluidRow *tab = water;
  size_t n = N_WATER;
  double t_c = t_k - kelvin;
  int clamped = 0;
  if (t_c < tab[0].t_c) {
    t_c = tab[0].t_c;
    clamped = 1;
  }
  if (t_c > tab[n - 1].t_c) {
    t_c = tab[n - 1].t_c;
    clamped = 1;
  }
  size_t i = 0;
  while (i + 2 < n && t_c > tab[i + 1].t_c) i++;
  double w = (t_c - tab[i].t_c) / (tab[i + 1].t_c - tab[i].t_c);
  out->rho_kg_m3 = tab[i].rho + w * (tab[i + 1].rho - tab[i].rho);
  out->cp_j_kgk = tab[i].cp + w * (tab[i + 1].cp - tab[i].cp);
  out->k_w_mk = tab[i].k + w * (tab[i + 1].k - tab[i].k);
  /* viscosity varies ~3 %/K: interpolate its logarithm */
  out->mu_pa_s = 1e-3 * exp(log(tab[i].mu_mpas) + w * (log(tab[i + 1].mu_mpas) - log(tab[i].mu_mpas)));
  return clamped;
}
