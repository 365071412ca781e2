/* coolant.h - the coolant in the micro-fin cold plate: one fluid cell above
 * every base column, grouped in strips of channels along the flow
 * direction. Knows the manifold topology (single pass, or centre inlet
 * splitting to both edges), the flow per strip (uniform or a
 * maldistribution profile), the local heat transfer coefficient and the
 * upwind march of the coolant temperature. Internal to solver/. */
#ifndef EBSIM_COOLANT_H
#define EBSIM_COOLANT_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"
#include "hydraulics.h"

typedef struct {
  const Case *c;
  const Grid *g;
  HydNetwork net;
  double dh, alpha;
  double nu_fd; /* fully developed laminar Nu for the channel's wall heating */
  const Solid *fin; /* fin material: k(T) at the local coolant temperature */
  int along_x;      /* flow along x (strips are rows j) or along y */
  int split;        /* centre inlet, flowing to both edges */
  int a_centre;     /* split: first along-index past the centre line */
  int n_strips, n_along;
  double *strip_m;  /* kg/s in each strip (both halves together when split) */
  double *x0, *x1;  /* per along-index: distance of the cell's faces from its path inlet, m */
  double q_m3_s, m_dot;
  FluidProps inlet;
  /* imposed heat transfer (the layer's Case_h_model): h per along-index,
   * on the walls (H_WALL) or per base area (H_EFF); NULL for correlations */
  int h_model;
  double *h_imposed;
  char h_source[160];  /* which model produced h, for the report */
  char h_problem[300]; /* set when the imposed table does not cover this flow
                          or path: the solve must stop with it (Coolant_init
                          also serves the pump-curve search, where it does not
                          matter) */
} Coolant;

/* nu_fd_known: the channel's fully developed laminar Nu when the caller
 * already has it for this geometry and cover (> 0; a solver reusing it
 * across a sweep), else 0: computed here (a duct solve for an adiabatic
 * cover, Shah & London's fit otherwise). */
int Coolant_init(Coolant *k, const Case *c, const Grid *g, double q_m3_s, double nu_fd_known,
                 char *err, size_t err_size);
void Coolant_free(Coolant *k);

/* Column index of strip s, along-index a. */
size_t Coolant_col(const Coolant *k, int s, int a);

/* Fluid properties at t (the inlet's when the case fixes them). */
void Coolant_props(const Coolant *k, double t_k, FluidProps *out);

typedef struct {
  double h_eff;  /* per plate area, fins included, W/m^2K */
  double h_wall; /* on the channel walls */
  double eta;    /* fin efficiency */
  double re;     /* channel Reynolds number */
  double velocity;
} CoolantLocal;
/* Heat transfer at column (s, a) with the coolant at t: local properties,
 * the strip's flow, developing-flow Nu averaged over the cell's stretch
 * (or the imposed h; under an imposed h_eff the wall h and fin efficiency
 * are NAN: Coolant_wall_from_eff gives them). */
void Coolant_local(const Coolant *k, int s, int a, double t_k, CoolantLocal *out);

/* The wall h (and fin efficiency) that give h_eff per base area with the
 * fins at t_k: for the report of an imposed h_eff. */
void Coolant_wall_from_eff(const Coolant *k, double h_eff, double t_k, double *h_wall,
                           double *eta);

/* March: q_col (W into the fluid per column), t_old (cell temperatures
 * for the properties) -> t_new (cell means); returns the mixed-mean outlet,
 * the heat taken up and the hottest coolant: the warmest path's outlet. */
typedef struct {
  double t_outlet_k; /* mixed mean */
  double t_max_k;    /* the warmest path at its outlet */
  double heat_w;
} CoolantMarch;
void Coolant_march(const Coolant *k, const double *q_col, const double *t_old, double *t_new,
                   CoolantMarch *out);

#endif
