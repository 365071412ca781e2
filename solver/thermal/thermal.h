/* thermal.h - steady conjugate heat transfer of the engine block.
 *
 * Physics: -div(k grad T) = q on the solid cells (cell-centred finite
 * volumes, harmonic-mean face conductances, anisotropic k, silicon k(T)),
 * zero-thickness contact conductances between layers, and the micro-fin
 * cold plate as a channel layer: one fluid cell above every base column,
 * advected along the channel direction (upwind marching), exchanging heat
 * with the base through h_eff = h (w_c + 2 eta_f H) / pitch (rectangular-duct
 * laminar Nu, straight-fin efficiency). The brick layer's far face sees its
 * own cold plate through h. Other outer faces are adiabatic.
 *
 * Numerics: the linear conduction problem is the general diffusion
 * operator (solver/core/diffusion.h: hypre PCG + PFMG) set up from the case
 * by thermal_problem.c; the nonlinear coupling (fluid temperatures,
 * T-dependent coolant properties, silicon k(T)) is a fixed-point map solved
 * by the steady driver (solver/core/steady.h: KINSOL, Anderson); the
 * results are made in thermal_post.c and registered in thermal_outputs.c.
 * A ThermalSolver_solve that fails says why in the user's terms: boiling
 * coolant (with the least flow that carries the heat), an iteration cap
 * worth raising, or a fixed point that does not settle.
 */
#ifndef EBSIM_THERMAL_H
#define EBSIM_THERMAL_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"
#include "../coolant/coolant.h"
#include "../core/registry.h"

typedef struct {
  int verbose;     /* 1: print iterations and residuals to progress_stream */
  void *progress_stream; /* FILE*, NULL = stderr */
} ThermalOptions;

typedef struct {
  int col, row;           /* 0-based */
  double x0_m, x1_m, y0_m, y1_m;
  double t_max_k, t_mean_k; /* over the die's active-face cells */
  double power_w;
} DieResult;

typedef struct {
  /* fields; t_k has nx*ny*nz values with NAN in void cells */
  double *t_k;           /* 3D solid temperature */
  double *t_wafer_k;     /* nx*ny active-face (junction) temperature */
  double *q_plate_w_m2;  /* nx*ny heat flux from wafer into the cold plate */
  double *t_fluid_k;     /* nx*ny coolant temperature (cell mean) */
  double *q_source_w_m2; /* nx*ny power map actually applied */
  int n_dies;
  DieResult *dies;       /* die_rows * die_columns, row-major from row 0 */

  /* summary */
  double t_max_k;
  double t_max_x_m, t_max_y_m;
  int t_max_die_col, t_max_die_row; /* 0-based */
  double t_mean_wafer_k;
  double power_w;                /* heat made (integral of the source) */
  double heat_to_coolant_w;      /* m_dot cp (T_out - T_in), marched */
  double heat_to_bottom_w;       /* into the brick cold plate */
  double energy_balance_rel_error; /* |P - Q_coolant - Q_bottom| / P */
  double coolant_inlet_k, coolant_outlet_k; /* outlet: mixed-mean */
  double coolant_t_max_k;  /* hottest coolant: the warmest channel path's outlet */
  double heat_flux_mean_w_m2, heat_flux_max_w_m2; /* into the cold plate */
  int cells;               /* active solid cells */
  int nonlinear_iters;
  int linear_iters;        /* total PCG iterations */
  double linear_residual;  /* last relative residual */
  double nonlinear_residual_k;
  double solve_seconds;
} ThermalResult;

void ThermalResult_free(ThermalResult *res);

/* A solver kept across several solves on one grid (sweeps, limit searches):
 * the hypre objects are allocated once and each solve starts from the last
 * answer, scaled by the power ratio and shifted to the new inlet
 * temperature, or, after two solves of the same case but for power at the
 * same inlet, extrapolated linearly in power through both (the memory of a
 * second 3D field). The matrix is kept when the case differs from the last
 * one in power alone (a fingerprint of the case struct). The answer does
 * not depend on the starting point beyond the solver tolerances. The grid
 * must outlive the solver; the case must stay valid while its coolant
 * (ThermalSolver_coolant) is used. */
typedef struct ThermalSolver ThermalSolver;
int ThermalSolver_create(const Grid *g, const Case *c, ThermalSolver **out, char *err,
                         size_t err_size);
int ThermalSolver_solve(ThermalSolver *s, const Case *c, const ThermalOptions *opt,
                        ThermalResult *res, char *err, size_t err_size);
void ThermalSolver_destroy(ThermalSolver *s);

/* The coolant set-up of the solver's last successful solve (strips, flow,
 * local heat transfer), for the loop evaluation after it; valid until the
 * next solve or ThermalSolver_destroy. NULL before a successful solve. */
const Coolant *ThermalSolver_coolant(const ThermalSolver *s);

/* The registry table of the thermal outputs (part RESULT_THERMAL). */
extern const ResultTable Thermal_outputs;

#endif
