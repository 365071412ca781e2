/* hydraulics.h - micro-fin channel correlations (laminar developing,
 * transitional, turbulent), pressure drop of the coolant loop, pumps.
 *
 * Pure functions of geometry, flow and fluid properties (SI): no grid, no
 * I/O. Every correlation cites its source in hydraulics.c.
 *
 * Conventions: alpha = short side / long side of the channel (0..1);
 * D_h = 4 A / P; Re = rho V D_h / mu; friction factors are Fanning
 * (Darcy = 4 Fanning).
 */
#ifndef EBSIM_HYDRAULICS_H
#define EBSIM_HYDRAULICS_H

#include <stddef.h>

#include "../../materials/materials.h"

/* Transition band (VDI Heat Atlas G1, Gnielinski 2013): laminar below
 * HYD_RE_LAM, fully turbulent from HYD_RE_TURB, linear blend between. */
#define HYD_RE_LAM 2300.0
#define HYD_RE_TURB 1.0e4

/* Mean Nusselt number over the first x metres of a channel (thermally and
 * hydrodynamically developing, H boundary condition), blended over the
 * regimes. x = INFINITY gives the fully developed value. */
double Hyd_nu_mean(double alpha, double re, double pr, double x_over_dh);
/* Mean Nu over [x0, x1] from the channel inlet (x0 may be 0): the value a
 * finite-volume cell spanning that stretch should use. */
double Hyd_nu_cell(double alpha, double re, double pr, double x0_over_dh, double x1_over_dh);
/* The same two with the duct's fully developed laminar Nu given (the
 * functions above use Shah & London's four-wall Nu_H1(alpha)). */
double Hyd_nu_mean_fd(double nu_fd, double re, double pr, double x_over_dh);
double Hyd_nu_cell_fd(double nu_fd, double re, double pr, double x0_over_dh, double x1_over_dh);
/* Gnielinski (1976), fully developed turbulent, with Petukhov friction. */
double Hyd_nu_gnielinski(double re, double pr);
/* Apparent Fanning friction factor over a channel of length L (developing
 * laminar excess included), blended over the regimes. */
double Hyd_fanning_apparent(double alpha, double re, double l_over_dh);

/* The coolant path through the block. */
typedef struct {
  double w_m, h_m, pitch_m; /* channel width, height, channel + fin pitch */
  double path_length_m;     /* flow length of one channel path */
  double n_paths;           /* channel paths in parallel (split manifold: 2 per channel) */
  double k_entry, k_exit;   /* manifold losses at the channel velocity */
  double pipe_d_m;          /* supply/return pipe bore */
  double k_fittings;        /* sum of fitting K at the pipe velocity */
  int n_qd;                 /* quick-disconnect couplings in the loop */
  double k_qd;              /* K of one coupling at the pipe velocity */
} HydNetwork;

typedef struct {
  double channels_pa, manifold_pa, fittings_pa, qd_pa, total_pa;
  double velocity_m_s; /* in the channels */
  double pipe_velocity_m_s;
  double reynolds;     /* channel Re */
  double fanning;      /* apparent Fanning friction factor */
} HydDrop;

/* Hydraulic diameter and aspect ratio of the channel. */
double Hyd_dh(const HydNetwork *n);
double Hyd_alpha(const HydNetwork *n);
/* Pressure drop of the whole loop at volume flow q (m^3/s). */
void Hyd_drop(const HydNetwork *n, double q_m3_s, const FluidProps *p, HydDrop *out);

/* Pumps: identical pumps in parallel or series, each with a curve given
 * either as a table (n_table >= 2 points, flow rising, pressure falling) or
 * as a quadratic dp = dp0 (1 - (q / q_max)^2). */
#define PUMP_TABLE_MAX 32
typedef struct {
  int count;   /* installed */
  int series;  /* 0: parallel, 1: series */
  double efficiency; /* wire-to-water, 0..1 */
  double dp0_pa, qmax_m3_s;
  int n_table;
  double q_table[PUMP_TABLE_MAX], dp_table[PUMP_TABLE_MAX];
} PumpSet;

/* Pressure rise of `running` pumps of the set at total flow q. */
double Pump_dp(const PumpSet *ps, int running, double q_m3_s);
/* Largest total flow `running` pumps can deliver (dp = 0). */
double Pump_qmax(const PumpSet *ps, int running);
/* Operating point: the flow where the pumps' rise meets the loop's drop.
 * Returns 0, or EB_EINPUT-style 2 with a message when no crossing exists. */
int Hyd_operating_point(const HydNetwork *n, const PumpSet *ps, int running, const FluidProps *p,
                        double *q_m3_s, HydDrop *drop, char *err, size_t err_size);

#endif
