/* materials.h - property library: named solids and coolants (SI units).
 *
 * Contract: pure data and pure functions; no I/O, no allocation that the
 * caller must free, no dependency on any other ebsim module. Every constant
 * in materials.c cites its source (see ../shared/refs/physics.md tags).
 */
#ifndef EBSIM_MATERIALS_H
#define EBSIM_MATERIALS_H

#define MAT_NAME_LEN 48

/* A solid. Conductivity may be anisotropic (x, y in-plane; z through the
 * stack) and, for silicon, temperature dependent:
 *   k(T) = k_ref * (T_ref / T)^k_exponent   (k_exponent = 0: constant). */
typedef struct {
  char name[MAT_NAME_LEN];
  double kx_w_mk, ky_w_mk, kz_w_mk; /* at t_ref_k */
  double k_exponent;                /* dimensionless, >= 0 */
  double t_ref_k;                   /* reference temperature of k, K */
  double rho_kg_m3;
  double cp_j_kgk;
  const char *source; /* citation, for reports and --help */
  /* Mechanics (0: not known; solver/mechanics needs them for the layers it
   * models). In-plane values: the layers are plates loaded in their plane. */
  double e_pa;        /* in-plane Young's modulus */
  double nu;          /* in-plane Poisson ratio */
  double alpha_per_k; /* in-plane coefficient of thermal expansion, 1/K */
  double g_pa;        /* transverse (xz, yz) shear modulus: a compliant
                         connector's shear stiffness is g_pa / thickness */
  /* Stated maximum temperature, K (0: none stated): above it the material
   * is no longer what its properties describe (a laminate beyond its glass
   * transition, an elastomer beyond its rated range, silicon beyond its
   * k(T) fit). A solved state beyond it is outside the model whatever the
   * case's limits (solver/model.c). t_max_what says what the bound is and
   * its source, for the message. */
  double t_max_k;
  const char *t_max_what;
} Solid;

/* Clear the mechanical properties (a copy that serves heat conduction
 * only, so that a change of stiffness does not look like a new grid). */
void Solid_blank_mechanics(Solid *s);

/* Conductivity scale factor k(T)/k(T_ref) for a solid at temperature T. */
double Solid_k_factor(const Solid *s, double t_k);

/* Library lookup; returns NULL if the name is unknown. */
const Solid *Materials_solid(const char *name);
/* Names of all library solids, NULL-terminated (for messages). */
const char *const *Materials_solid_names(void);

/* Coolant properties at one temperature. */
typedef struct {
  double rho_kg_m3, cp_j_kgk, k_w_mk, mu_pa_s;
} FluidProps;

/* Library coolants. Water: IAPWS table (physics.md 4.1), interpolated.
 * pg25, pg30: propylene glycol / water at 25 and 30 % glycol by mass,
 * Melinder (2010) polynomials (physics.md 4.2), evaluated directly. */
typedef enum { FLUID_WATER = 0, FLUID_PG25, FLUID_PG30, FLUID_COUNT } FluidKind;

/* Library fluid by name ("water", "pg25", "pg30"); returns -1 if unknown. */
int Materials_fluid_kind(const char *name);
/* Names of all library fluids, indexed by FluidKind, NULL-terminated. */
const char *const *Materials_fluid_names(void);
/* Valid temperature range of a fluid's property data, kelvin: the table
 * ends for water (5 .. 80 C); for the glycol mixes the source's stated
 * range, freezing point (rounded up to 0.1 C) .. 100 C. NaN for an
 * unknown kind. */
void Materials_fluid_range(FluidKind kind, double *t_min_k, double *t_max_k);
/* Temperature at which the coolant boils at atmospheric pressure
 * (101.325 kPa; a loop's lowest pressure is about that): water 373.124 K,
 * 99.97 C (IAPWS-95 on ITS-90). Propylene glycol mixes boil a little above
 * water (boiling-point elevation), so water's value is used for them as a
 * conservative bound [E]. ebsim models single-phase liquid only. */
double Materials_fluid_boiling_k(FluidKind kind);
/* Temperature at which the coolant freezes: water 273.15 K, 0 C (the ice
 * point at atmospheric pressure [R]; pressure lowers it by about 7.4 mK per
 * 0.1 MPa [R], negligible at a loop's pressures); the glycol mixes
 * their Melinder (2010) fusion temperature [S] (pg25 -9.78 C, pg30 -12.79 C,
 * unrounded: the lower end of Materials_fluid_range rounds it up to 0.1 C).
 * NaN for an unknown kind. ebsim models liquid coolant only. */
double Materials_fluid_freezing_k(FluidKind kind);
/* Properties at t_k: water linearly interpolated in its table (viscosity
 * log-linearly), glycol mixes from their polynomials. Returns 0 inside the
 * valid range; outside, the value is clamped to the nearest end and the
 * function returns 1 so the caller can report it. */
int Materials_fluid_props(FluidKind kind, double t_k, FluidProps *out);

#endif
