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
     "Incropera Table A.1; k(T) fit to Glassbrenner & Slack 1964",
     /* Mechanics: a (100) wafer in its plane, E = 130 GPa and nu = 0.28
      * along <100> [R] Hopcroft, Nix & Kenny, J. MEMS 19(2):229 (2010):
      * E/(1 - nu) = 180.5 GPa, the (100) plane's biaxial modulus, which is
      * isotropic in that plane; the in-plane shear modulus of this isotropic
      * stand-in (50.8 GPa) is below C44 = 79.6 GPa, so shear stresses are
      * approximate. alpha 2.6 ppm/K [S] Okada & Tokumaru, J. Appl. Phys. 56,
      * 314 (1984): 2.57 at 300 K, 2.75 at 323 K (secant 25-50 C: 2.65). */
     .e_pa = 130e9, .nu = 0.28, .alpha_per_k = 2.6e-6, .g_pa = 79.6e9,
     /* Validity bound: the k(T) fit above is made on 300-500 K [E] (physics.md
      * 3.1: exponent 1.31 between 300 and 500 K of the G&S data); beyond 500 K
      * it drifts from the data (600 K: 60 against 64 W/mK). A junction's own
      * rating is lower and is the case's limits.junction_max_c. */
     .t_max_k = 500.0,
     .t_max_what = "the upper end of its k(T) fit, 300-500 K (Glassbrenner & Slack 1964 data, "
                   "physics.md 3.1)"},
    /* OFHC copper (C10100/C10200): k 391 W/mK [R] CDA data; rho 8933,
     * cp 385 [R] Incropera Table A.1. */
    {"copper", 391.0, 391.0, 391.0, 0.0, 300.0, 8933.0, 385.0, "CDA OFHC data; Incropera Table A.1",
     /* annealed OFHC: E 117 GPa (115-117 annealed), nu 0.34, alpha 17.0
      * ppm/K mean 20-100 C [R] ASM / CDA data (physics.md 3.2) */
     .e_pa = 117e9, .nu = 0.34, .alpha_per_k = 17.0e-6, .g_pa = 117e9 / (2.0 * 1.34)},
    /* Plain FR-4 glass/epoxy: 1.059 in-plane, 0.343 through [S] Sarvar,
     * Poole, Witting, J. Electron. Mater. 19(12):1345 (1990). rho 1850,
     * cp 1100 [R] laminate datasheets. */
    {"fr4", 1.059, 1.059, 0.343, 0.0, 300.0, 1850.0, 1100.0, "Sarvar, Poole & Witting 1990",
     /* in-plane E 20 GPa (17-24), nu 0.15 (0.12-0.2) [R] laminate data
      * sheets; alpha_xy 15 ppm/K (14-17; z 50-70 below Tg) [R] IPC-4101
      * class data (physics.md 3.3) */
     .e_pa = 20e9, .nu = 0.15, .alpha_per_k = 15e-6, .g_pa = 20e9 / (2.0 * 1.15),
     /* Glass transition: Tg 130-180 C for the FR-4 class (high-Tg >= 170) [R]
      * IPC-4101 class data (physics.md 3.3); standard FR-4 is specified at
      * Tg >= 130 C (DSC, IPC-TM-650 2.4.25) [S] IPC-4101C laminate table at
      * internationalcircuits.com/materials. Above Tg the resin softens, its
      * z expansion rises 4-5 fold (50-70 -> 200-300 ppm/K, physics.md 3.3):
      * the properties above no longer hold. The lowest Tg of the class. */
     .t_max_k = 130.0 + 273.15,
     .t_max_what = "the glass transition of standard FR-4, Tg >= 130 C (IPC-4101, physics.md "
                   "3.3)"},
    /* Power PCB with thick copper planes [E]: 3.2 mm board, 12 planes of
     * 70 um copper at 80 % fill (0.67 mm Cu) in FR-4; parallel rule in-plane
     * k_xy = (0.67*391 + 2.53*1.059)/3.2 = 83 -> 60 W/mK after plane cut-outs;
     * series rule through-plane 0.43 W/mK plus 1 % via copper area
     * (0.01*391 = 3.9) -> 4 W/mK; rule from physics.md 3.3 (Graebner & Azar
     * 1997: k_par/k_perp of 100 or more with continuous planes). */
    {"pcb_laminate", 60.0, 60.0, 4.0, 0.0, 300.0, 2800.0, 900.0,
     "[E] parallel/series rule, physics.md 3.3; Graebner & Azar 1997",
     /* [E] the same build-up in its plane, equal strain in copper (f = 0.67 /
      * 3.2 = 0.21) and FR-4 (E 20 GPa, alpha 15 ppm/K): E = 0.21 * 117 +
      * 0.79 * 20 = 40 GPa; alpha = sum(f E alpha) / E = (0.21 * 117 * 17 +
      * 0.79 * 20 * 15) / 40.4 = 16.2 ppm/K; nu 0.2 (FR-4 0.12-0.2, Cu 0.34) */
     .e_pa = 40e9, .nu = 0.2, .alpha_per_k = 16.2e-6, .g_pa = 40e9 / (2.0 * 1.2),
     /* its dielectric is FR-4: the same glass transition, 130 C (see fr4) */
     .t_max_k = 130.0 + 273.15,
     .t_max_what = "the glass transition of its FR-4 dielectric, Tg >= 130 C (IPC-4101, "
                   "physics.md 3.3)"},
    /* Compliant connector [E]: silicone elastomer (k 0.27 [R] Dow Sylgard
     * 184 datasheet) with conductive metal columns over 5 % of the area
     * (k ~ 100 W/mK): k_z = 0.05*100 + 0.95*0.27 = 5.3, k_xy ~ 0.3. */
    {"elastomer_connector", 0.3, 0.3, 5.3, 0.0, 300.0, 2500.0, 1000.0,
     "[E] Sylgard 184 with 5 % metal columns",
     /* Silicone body: E 1.32-2.97 MPa [S] Johnston et al., J. Micromech.
      * Microeng. 24 035017 (2014); nu 0.49, alpha 340 ppm/K [R] Dow Sylgard
      * 184 data sheet. Shear modulus [E] 1.0 MPa = E / 3 at the stiff end
      * (2.97 MPa, nu -> 0.5): the conductive columns are taken as filled
      * silicone that shears with the body; solid metal pins would be far
      * stiffer. Stiffer is conservative for the wafer and PCB stress. */
     .e_pa = 2.0e6, .nu = 0.49, .alpha_per_k = 340e-6, .g_pa = 1.0e6,
     /* Rated range of the silicone body: -45 to 200 C [R] Dow Sylgard 184
      * data sheet (not re-read here; Johnston et al. 2014 [S] cure it at
      * 25-200 C). A connector product has its own rating; a case material
      * of another name carries no bound (the case schema has no key for it). */
     .t_max_k = 200.0 + 273.15,
     .t_max_what = "the rated range of its Sylgard 184 silicone body, -45 to 200 C (Dow data "
                   "sheet)"},
    /* Encapsulated power module [E]: copper-rich brick, effective 10 W/mK. */
    {"brick", 10.0, 10.0, 10.0, 0.0, 300.0, 3000.0, 800.0, "[E] encapsulated power module",
     .e_pa = 0.0}, /* not a plate of the mechanics model */
    /* Filler between bricks [E]: polymer potting/foam 0.25 W/mK. */
    {"filler", 0.25, 0.25, 0.25, 0.0, 300.0, 1200.0, 1500.0, "[E] polymer potting", .e_pa = 0.0},
    /* Aluminium (pure): 237 W/mK, rho 2702, cp 903 [R] Incropera Table A.1. */
    {"aluminium", 237.0, 237.0, 237.0, 0.0, 300.0, 2702.0, 903.0, "Incropera Table A.1",
     /* E 70 GPa, nu 0.33, alpha 23.1 ppm/K [R] handbook values for pure Al */
     .e_pa = 70e9, .nu = 0.33, .alpha_per_k = 23.1e-6, .g_pa = 70e9 / (2.0 * 1.33)},
};
#define N_SOLIDS (sizeof solids / sizeof solids[0])

static const char *const solid_names[] = {"silicon", "copper", "fr4", "pcb_laminate",
                                          "elastomer_connector", "brick", "filler", "aluminium",
                                          NULL};

void Solid_blank_mechanics(Solid *s) { s->e_pa = s->nu = s->alpha_per_k = s->g_pa = 0.0; }

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

/* Propylene glycol / water mixtures [S]: Melinder, "Properties of Secondary
 * Working Fluids (Secondary Refrigerants or Coolants, Heat Transfer Fluids)
 * for Indirect Systems", IIR/IIF, Paris 2010, as implemented in the IBPSA
 * Modelica library, repository ibpsa/modelica-ibpsa, files
 * IBPSA/Media/Antifreeze/PropyleneGlycolWater/BaseClasses/{density,
 * specificHeatCapacityCp,thermalConductivity,dynamicViscosity,
 * fusionTemperature}.mo (coefficients copied digit for digit; the same
 * arrays sit in the later record proCoe of
 * IBPSA/Media/Antifreeze/Functions/PropyleneGlycolWater.mo).
 *
 *   f(w, T) = sum_{i=0}^{5} sum_{j=0}^{nT[i]-1} a_n (w - wm)^i (T - Tm)^j,
 *   n running over (i, j) in that order, w in mass %, T in C,
 *   wm = 30.7031, Tm = 32.7089, nT = {4,4,4,3,2,1};
 *   mu = 1e-3 exp(f) Pa s; fusion temperature Tf = f in C.
 * (proCoe gives Tm = 32.7083; the 0.0006 K difference changes viscosity,
 * the steepest property at 3 %/K, by 2e-5 relative, the others less.) Evaluated with these constants the fit
 * reproduces physics.md 4.2's PG25 table at 10..60 C to every digit shown.
 *
 * Validity as IBPSA states it [S]: the medium is limited to temperatures
 * below 100 C and mass fractions below 0.60, and T_min is the fusion
 * temperature (IBPSA.Media.Antifreeze.PropyleneGlycolWater: T_min =
 * fusionTemperature, T_max = 100 C; X_a_max = 0.6). The lower end used here
 * is the fusion temperature rounded up to 0.1 C (liquid side):
 * pg25 -9.78 -> -9.7 C, pg30 -12.79 -> -12.7 C. */
#define PG_NCOEF 18 /* rows below: coefficients of (w - wm)^i, by power j of (T - Tm) */
static const int pg_nt[6] = {4, 4, 4, 3, 2, 1};
static const double pg_wm = 30.7031; /* mass % */
static const double pg_tm = 32.7089; /* C */
static const double pg_rho[PG_NCOEF] = {
    1.018e3,    -5.406e-1,  -2.666e-3,  1.347e-5,   /* i = 0 */
    7.604e-1,   -9.450e-3,  5.541e-5,   -1.343e-7,  /* i = 1 */
    -2.498e-3,  2.700e-5,   -4.018e-7,  3.376e-9,   /* i = 2 */
    -1.550e-4,  2.829e-6,   -7.175e-9,              /* i = 3 */
    -1.131e-6,  -2.221e-8,                          /* i = 4 */
    2.342e-8                                        /* i = 5 */
};
static const double pg_cp[PG_NCOEF] = {
    3.882e3,    2.699e0,    -1.659e-3,  -1.032e-5,  /* i = 0 */
    -1.304e1,   5.070e-2,   -4.752e-5,  1.522e-6,   /* i = 1 */
    -1.598e-1,  9.534e-5,   1.167e-5,   -4.870e-8,  /* i = 2 */
    3.539e-4,   3.102e-5,   -2.950e-7,              /* i = 3 */
    5.000e-5,   -7.135e-7,                          /* i = 4 */
    -4.959e-7                                       /* i = 5 */
};
static const double pg_k[PG_NCOEF] = {
    4.513e-1,   7.955e-4,   3.482e-8,   -5.966e-9,  /* i = 0 */
    -4.795e-3,  -1.678e-5,  8.941e-8,   1.493e-10,  /* i = 1 */
    2.076e-5,   1.563e-7,   -4.615e-9,  9.897e-12,  /* i = 2 */
    -9.083e-8,  -2.518e-9,  6.543e-11,              /* i = 3 */
    -5.952e-10, -3.605e-11,                         /* i = 4 */
    2.104e-11                                       /* i = 5 */
};
static const double pg_ln_mu[PG_NCOEF] = { /* ln(mu / mPa s) */
    6.837e-1,   -3.045e-2,  2.525e-4,   -1.399e-6,  /* i = 0 */
    3.328e-2,   -3.984e-4,  4.332e-6,   -1.860e-8,  /* i = 1 */
    5.453e-5,   -8.600e-8,  -1.593e-8,  -4.465e-11, /* i = 2 */
    -3.900e-6,  1.054e-7,   -1.589e-9,              /* i = 3 */
    -1.587e-8,  4.475e-10,                          /* i = 4 */
    3.564e-9                                        /* i = 5 */
};
static const double pg_tf[PG_NCOEF] = { /* fusion temperature, C */
    -1.325e1,   -3.820e-5,  7.865e-7,   -1.733e-9,  /* i = 0 */
    -6.631e-1,  6.774e-6,   -6.242e-8,  -7.819e-10, /* i = 1 */
    -1.094e-2,  5.332e-8,   -4.169e-9,  3.288e-11,  /* i = 2 */
    -2.283e-4,  -1.131e-8,  1.918e-10,              /* i = 3 */
    -3.409e-6,  8.035e-11,                          /* i = 4 */
    1.465e-8                                        /* i = 5 */
};
static const double pg_t_max_c = 100.0; /* IBPSA T_max */

static double pg_poly(const double a[PG_NCOEF], double w_pct, double t_c) {
  double dx = w_pct - pg_wm, dy = t_c - pg_tm, f = 0.0, xi = 1.0;
  int n = 0;
  for (int i = 0; i < 6; i++) {
    double yj = 1.0;
    for (int j = 0; j < pg_nt[i]; j++) {
      f += a[n++] * xi * yj;
      yj *= dy;
    }
    xi *= dx;
  }
  return f;
}

/* Lower end of a mix's range: the fusion temperature, rounded up to 0.1 C.
 * The fusion polynomial depends on T only weakly (about 1.3e-4 K per K at
 * these mixes), so each fixed-point step from 0 C cuts the error by ~1e-4:
 * three steps leave far less than 1e-9 K. */
static double pg_t_fusion_c(double w_pct) {
  double tf = 0.0;
  for (int it = 0; it < 3; it++) tf = pg_poly(pg_tf, w_pct, tf);
  return tf;
}
static double pg_t_min_c(double w_pct) { return ceil(pg_t_fusion_c(w_pct) * 10.0) / 10.0; }

/* Mass % of glycol for each library fluid (0 for water, which uses the table). */
static const double fluid_w_pct[FLUID_COUNT] = {[FLUID_WATER] = 0.0, [FLUID_PG25] = 25.0,
                                                 [FLUID_PG30] = 30.0};

static const char *const fluid_names[] = {"water", "pg25", "pg30", NULL};
_Static_assert(sizeof fluid_names / sizeof fluid_names[0] == FLUID_COUNT + 1,
               "one name per FluidKind");

int Materials_fluid_kind(const char *name) {
  for (int i = 0; fluid_names[i]; i++)
    if (strcmp(fluid_names[i], name) == 0) return i;
  return -1;
}

const char *const *Materials_fluid_names(void) { return fluid_names; }

static const double kelvin = 273.15;

static int valid_kind(FluidKind kind) { return (int)kind >= 0 && kind < FLUID_COUNT; }

void Materials_fluid_range(FluidKind kind, double *t_min_k, double *t_max_k) {
  if (!valid_kind(kind)) {
    *t_min_k = *t_max_k = NAN;
  } else if (kind == FLUID_WATER) {
    *t_min_k = water[0].t_c + kelvin;
    *t_max_k = water[N_WATER - 1].t_c + kelvin;
  } else {
    *t_min_k = pg_t_min_c(fluid_w_pct[kind]) + kelvin;
    *t_max_k = pg_t_max_c + kelvin;
  }
}

double Materials_fluid_boiling_k(FluidKind kind) {
  /* IAPWS-95 normal boiling point of water on ITS-90: 373.124 K */
  return valid_kind(kind) ? 373.124 : NAN;
}

double Materials_fluid_freezing_k(FluidKind kind) {
  if (!valid_kind(kind)) return NAN;
  /* water: the ice point, 0 C [R] */
  if (kind == FLUID_WATER) return kelvin;
  return pg_t_fusion_c(fluid_w_pct[kind]) + kelvin;
}

static int water_props(double t_c, FluidProps *out) {
  const FluidRow *tab = water;
  size_t n = N_WATER;
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

static int pg_props(double w_pct, double t_c, FluidProps *out) {
  double lo = pg_t_min_c(w_pct);
  int clamped = 0;
  if (t_c < lo) {
    t_c = lo;
    clamped = 1;
  }
  if (t_c > pg_t_max_c) {
    t_c = pg_t_max_c;
    clamped = 1;
  }
  out->rho_kg_m3 = pg_poly(pg_rho, w_pct, t_c);
  out->cp_j_kgk = pg_poly(pg_cp, w_pct, t_c);
  out->k_w_mk = pg_poly(pg_k, w_pct, t_c);
  out->mu_pa_s = 1e-3 * exp(pg_poly(pg_ln_mu, w_pct, t_c));
  return clamped;
}

int Materials_fluid_props(FluidKind kind, double t_k, FluidProps *out) {
  if (!valid_kind(kind)) {
    out->rho_kg_m3 = out->cp_j_kgk = out->k_w_mk = out->mu_pa_s = NAN;
    return 1;
  }
  double t_c = t_k - kelvin;
  if (kind == FLUID_WATER) return water_props(t_c, out);
  return pg_props(fluid_w_pct[kind], t_c, out);
}
