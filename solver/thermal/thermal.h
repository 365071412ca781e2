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
#include "../core/rows.h"

typedef struct {
  int verbose;     /* 1: print iterations and residuals to progress_stream */
  void *progress_stream; /* FILE*, NULL = stderr */
  int no_history;  /* 1: keep no copy of the answer for warm starts (no solve follows) */
} ThermalOptions;

/* Heat that depends on the temperatures (the power path: die power with
 * leakage, brick, PCB and connector losses), solved in the same fixed point:
 * the temperatures it depends on (each die's mean junction temperature and
 * each declared layer's mean over the die, weighted per column) are
 * unknowns of the KINSOL vector beside the coolant's, so the answer is
 * converged in them too. At
 * every evaluation, before the conduction solve, update() gets them and
 * fills the die scale factors (die power / the power map's, per die) and
 * the heat of each declared layer per column (W), which is spread evenly
 * over the layer's z cells. A return other than EB_OK stops the solve with
 * that code and the message in err (EB_ENOSTATE: a thermal runaway, a
 * collapsing supply). */
#define THERMAL_MAX_HEAT_LAYERS 8
typedef struct {
  double *die_scale;                      /* n_dies */
  /* per declared layer: W per column of the rows held (under MPI the
   * run's split, Runtime_field_comm; all of them in one process): column
   * col at [col - col_lo], col_lo <= col < col_lo + own */
  double *layer_w[THERMAL_MAX_HEAT_LAYERS];
  size_t col_lo, own;
} ThermalHeat;
typedef struct {
  const double *die_tj_k;  /* per die: mean junction temperature */
  const double *die_p_nom; /* per die: its power in the case's map (W) */
  const double *p_nom_col; /* per column: the map's power made there (W) */
  const double *layer_t_k[THERMAL_MAX_HEAT_LAYERS]; /* per declared layer, per die: its mean
                                                       temperature over the die, K (the inlet's
                                                       where it has no weight) */
  /* per die: the mean junction temperature the previous evaluation's
   * conduction solve gave with the heat update() returned then (NULL at
   * the first evaluation): the cooling's response, for a runaway verdict */
  const double *die_tj_solved_k;
} ThermalHeatIn;
typedef struct {
  void *ctx;
  int n_layers;
  int layer[THERMAL_MAX_HEAT_LAYERS]; /* case layer indices that make heat */
  /* per declared layer: NULL (each column by its area), or the weight of
   * each column (nx*ny) in the layer's mean over a die (a brick's footprint) */
  const double *layer_weight[THERMAL_MAX_HEAT_LAYERS];
  int (*update)(void *ctx, const ThermalHeatIn *in, ThermalHeat *out, char *err, size_t err_size);
  /* NULL, or called once before the iteration with the starting state: it
   * may move the dies' junction temperatures of the start (a heat that
   * feeds back strongly, like leakage, must start below its unstable
   * point), or stop the solve with a code (a runaway it can see already). */
  int (*start)(void *ctx, const ThermalHeatIn *in, double *die_tj_k, char *err, size_t err_size);
} ThermalHeatSource;

typedef struct {
  int col, row;           /* 0-based */
  double x0_m, x1_m, y0_m, y1_m;
  double t_max_k, t_mean_k; /* over the die's active-face cells */
  double power_w;
  double junction_margin_k; /* the case's junction limit - t_max_k; NaN: no limit */
} DieResult;

/* The energy balance: relative to the largest heat flow, never below this
 * floor (a vanishing power cannot make it blow up), and the tolerance a
 * steady answer must meet (Model_solve fails beyond it): a converged solve
 * closes to 1e-6 or better. */
#define THERMAL_BALANCE_FLOOR_W 1e-3
#define THERMAL_BALANCE_TOL 1e-3

/* Ties for the hottest die: dies whose hottest junction lies within
 * Thermal_tie_tol_k of the hottest are reported together (t_max_dies),
 * not one of them by an arbitrary pick. The tolerance is what the solve
 * can tell apart. The fixed point stops once an evaluation moves no
 * temperature by more than solver.nonlinear_tol_k; the error left is that
 * update times q / (1 - q) for a contraction factor q, so 10 x the
 * tolerance bounds it for any q up to 0.9 (the Anderson-accelerated
 * iteration contracts faster); the PCG residual (solver.linear_tol,
 * 1e-8 relative) adds far less. Two dies closer than that may swap with a
 * new starting point or grid. The floor, 0.01 K, is the report's
 * resolution (temperatures to two decimals) and far below what a
 * thermocouple or the model's own accuracy can tell; with the default
 * tolerance (5e-4 K) the floor is the tolerance. */
#define THERMAL_TIE_FLOOR_K 0.01
/* The hottest junction's place (t_max_x_m, the die t_max_die_col/row):
 * the first cell in a scan by rows (low y first, x increasing) within this
 * of the hottest. Cells that tie but for round-off (symmetric dies) then
 * give the same place on any number of MPI ranks, whose global sums move
 * the temperatures by about 1e-8 K; an exact argmax picked among them by
 * those last bits. */
#define THERMAL_HOT_PLACE_TOL_K 1e-6
#define THERMAL_TIE_FACTOR 10.0
double Thermal_tie_tol_k(const Case *c); /* max(floor, factor x solver.nonlinear_tol_k) */
/* room for the tie list: "(12,1)-(12,7), " per run; longer lists end in "..." */
#define THERMAL_DIES_TEXT_LEN 1024

typedef struct {
  /* fields; t_k NAN in void cells */
  /* 3D solid temperature, the rows t_rows of every plane (Rows_at): all of
   * them in one process; under MPI each rank's own rows of the run's split
   * (Runtime_field_comm), so no rank holds the whole field. The maps below
   * are whole on every rank. */
  double *t_k;
  GridRows t_rows;
  double *t_wafer_k;     /* nx*ny active-face (junction) temperature */
  double *q_plate_w_m2;  /* nx*ny heat flux from wafer into the cold plate */
  double *t_fluid_k;     /* nx*ny coolant temperature (cell mean) */
  double *q_source_w_m2; /* nx*ny power map actually applied */
  int n_dies;
  DieResult *dies;       /* die_rows * die_columns, row-major from row 0 */

  /* summary */
  double t_max_k;
  /* where: the first cell in a scan by cell rows from low y, x increasing
   * along a row, within THERMAL_HOT_PLACE_TOL_K of t_max_k; its die, 0-based */
  double t_max_x_m, t_max_y_m;
  int t_max_die_col, t_max_die_row;
  /* the dies whose hottest junction lies within t_max_tie_tol_k of t_max_k,
   * the hottest included (1: one hottest die): how many and which, as
   * "(1,1)-(1,7), (12,1)-(12,7)" (column,row, 1-based; runs compressed) */
  double t_max_tie_tol_k;
  int t_max_tied_dies;
  char t_max_dies[THERMAL_DIES_TEXT_LEN];
  double t_mean_wafer_k;
  double power_w;                /* power made in the wafer (the dies) */
  double heat_made_w;            /* all heat made in the block: dies and the heat source's layers */
  double heat_to_coolant_w;      /* m_dot cp (T_out - T_in), marched */
  double heat_to_bottom_w;       /* into the brick cold plate */
  double energy_balance_rel_error; /* |P - Q_coolant - Q_bottom| / max(|P|, |Q_coolant|,
                                      |Q_bottom|, THERMAL_BALANCE_FLOOR_W) */
  double coolant_inlet_k, coolant_outlet_k; /* outlet: mixed-mean */
  double coolant_t_max_k;  /* hottest coolant: the warmest channel path's outlet */
  /* a convective last face with coolant: marched (face_marched 1): its
   * coolant's mixed-mean outlet and rise over its inlet (ambient_c) */
  int face_marched;
  double face_outlet_k, face_rise_k;
  double heat_flux_mean_w_m2, heat_flux_max_w_m2; /* into the cold plate */
  int cells;               /* active solid cells */
  int nonlinear_iters;
  int linear_iters;        /* total PCG iterations */
  double linear_residual;  /* last relative residual */
  double nonlinear_residual_k;
  double nonlinear_error_k; /* estimated error of the answer (SteadyStats.error_estimate) */
  double solve_seconds;
  /* the nested start before the solve (model.c; 0 and 0 for none): its
   * wall time and the coarser grids solved */
  double nested_start_seconds;
  int nested_start_grids;
  /* MB of the process's memory on transparent huge pages at the solve's
   * end (resources.h; NaN: unreadable) */
  double huge_pages_mb;
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
/* heat: NULL, or the temperature-dependent heat (the power path). */
int ThermalSolver_solve(ThermalSolver *s, const Case *c, const ThermalOptions *opt,
                        const ThermalHeatSource *heat,
                        ThermalResult *res, char *err, size_t err_size);
void ThermalSolver_destroy(ThermalSolver *s);

/* Whether the solver keeps an answer to start its next solve from. */
int ThermalSolver_has_history(const ThermalSolver *s);

/* A start for the next solve of case c from another grid's answer of the
 * same case (a coarser one: nested iteration): its 3D temperatures t (K,
 * this rank's rows of `from` as ThermalResult.t_k holds them) and coolant
 * tf (K, per column of `from`, whole), carried cell by cell to this
 * solver's grid by the cell of `from` holding each cell's centre, kept as
 * an answer at c's power and inlet. Collective over the field's ranks; the
 * grids must have the same z cells. Returns 0, or -1 (nothing kept) when
 * they differ or memory is short: the solve then starts as it would have. */
int ThermalSolver_seed(ThermalSolver *s, const Case *c, const Grid *from, const double *t,
                       const double *tf);

/* The coolant set-up of the solver's last successful solve (strips, flow,
 * local heat transfer), for the loop evaluation after it; valid until the
 * next solve or ThermalSolver_destroy. NULL before a successful solve. */
const Coolant *ThermalSolver_coolant(const ThermalSolver *s);

/* The registry table of the thermal outputs (part RESULT_THERMAL). */
extern const ResultTable Thermal_outputs;

#endif
