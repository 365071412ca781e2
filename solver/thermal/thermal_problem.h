/* thermal_problem.h - the conduction problem of the engine block, set up
 * from the case: coefficients (each cell's solid, k(T) planes), boundary
 * conditions (the coolant face, the brick cold plate, contact resistances)
 * and the heat sources from the power map. Internal to solver/thermal. */
#ifndef EBSIM_THERMAL_PROBLEM_H
#define EBSIM_THERMAL_PROBLEM_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"
#include "../coolant/coolant.h"
#include "../core/diffusion.h"
#include "../core/rows.h"
#include "thermal.h"

typedef struct {
  const Case *c;
  const Grid *g;
  size_t ncol;
  DiffusionProblem op;  /* what the operator assembles */
  /* The temperature field t (the caller's) is held by rows: rows.j0..j1-1
   * of every plane (Rows_at), split among the ranks of comm; the
   * functions below that read t work on those rows and reduce or gather
   * over comm, so every rank gets the same whole answer. MPI_COMM_NULL:
   * t is whole here (one process, or a transient's replicated state). */
  MPI_Comm comm;
  GridRows rows;
  const double *t;      /* the temperature field (by rows) */
  double (*mat_k)[3];   /* per grid solid: kx, ky, kz at its reference temperature */
  double **factor;      /* per z plane: k(T)/k_ref of its cells, NULL where constant; the
                           rows Rows_ghosted(rows) from column op.coef_lo (whole in one process) */
  double *factor_store;
  DiffusionPlaneSource *src; /* the die plane, then each heat layer's planes */
  int n_src;
  double *src_eff;      /* W per column made at the active face: src_col x the die's scale */
  /* temperature-dependent heat (NULL heat: none; then src_eff is src_col) */
  const ThermalHeatSource *heat;
  ThermalHeat out;      /* what heat->update fills */
  double *w_plane[THERMAL_MAX_HEAT_LAYERS]; /* a layer's heat per column and z cell */
  int heat_k0, heat_k1; /* the planes the heat changes (die plane and layers) */
  size_t n_state;       /* temperatures the heat depends on (ThermalProblem_heat_state) */
  double *tj_solved;    /* per die: junction means of the last solve (have_tj_solved) */
  int have_tj_solved;
  double *die_area;     /* per die: active-face area, m^2 */
  double *die_p_nom;    /* per die: its power in the map, W */
  /* The per-column arrays the operator reads (the faces' h and T, the
   * source planes src_eff and w_plane) hold this rank's rows: own values
   * from column col_lo = nx rows.j0 (op.col_lo); one process, every column. */
  size_t own, col_lo;
  double *h_lo, *t_lo;  /* the coolant face (z = 0): h_eff and coolant temperature per column */
  double *h_hi, *t_hi;  /* the brick cold plate on the far face (NULL: none) */
  /* a convective last face with coolant: marched: t_hi is the coolant
   * marched along the face (one more block of the fixed point); constant
   * properties at the face's inlet (its ambient_c) */
  int face_marched, face_along_x;
  double face_t_in, face_mdot, face_cp; /* K, kg/s, J/kgK */
  double *src_col;      /* W per column made in the source plane */
  double *rc_face_z;    /* contact resistances on z faces */
  int *tdep_k;          /* z planes with a temperature-dependent k */
  int n_tdep;
  /* fin_model resolved (grid nk_fin > 0): the coolant exchanges with the
   * base's first cell, every fin cell and the lid's inner cell through a
   * per-cell conductance G (W/K): shift G, source G T_f (op.shift,
   * op.src_cell, held by rows as the field is, Rows_at; zero elsewhere).
   * The outer face (z = 0 side) is then insulated. */
  int resolved;
  /* the planes 0 .. cool_k1 move with the coolant: the fixed point re-sets
   * them between evaluations (0 for the base face alone; k_channel with
   * resolved fins, whose exchange and lid follow the coolant) */
  int cool_k1;
  double *g_fluid;      /* per cell: G to the coolant (the shift), W/K */
  double *src_fluid;    /* per cell: G T_f */
} ThermalProblem;

/* Set up the problem of case c on grid g; t is the temperature field,
 * owned by the caller, held by the rows of comm's split (MPI_COMM_NULL:
 * whole). With the field whole the k(T) planes are evaluated at it here;
 * split, the caller sets them (ThermalProblem_refresh_k_own)
 * before the first assembly. EB_EINPUT for a power map that cannot be made
 * (hotspots beyond the total). */
int ThermalProblem_init(ThermalProblem *p, const Case *c, const Grid *g, const double *t,
                        MPI_Comm comm, const ThermalHeatSource *heat, char *err,
                        size_t err_size);

/* With a heat source, the temperatures it depends on (n_state values, 0
 * without one): each declared layer's means over the dies (n_dies each,
 * weighted as the source says), then each die's mean junction
 * temperature. ThermalProblem_heat_state reads them
 * from the field t; ThermalProblem_update_heat gives them to the source and
 * sets the planes it heats (EB_OK at once without a source). */
int ThermalProblem_heat_state(const ThermalProblem *p, const double *t, double *state, char *err,
                              size_t err_size);
int ThermalProblem_update_heat(ThermalProblem *p, const double *state, char *err,
                               size_t err_size);
/* After a solve: its state (ThermalProblem_heat_state of its field) is the
 * cooling's response the next update sees (ThermalHeatIn.die_tj_solved_k). */
void ThermalProblem_heat_solved(ThermalProblem *p, const double *state);
/* The source's start hook on the starting state (EB_OK without one). */
int ThermalProblem_start_heat(ThermalProblem *p, double *state, char *err, size_t err_size);
void ThermalProblem_free(ThermalProblem *p);

/* k(T) of the temperature-dependent planes from the field t, which must
 * then be whole (comm MPI_COMM_NULL). */
void ThermalProblem_refresh_k(ThermalProblem *p);

/* The same from this rank's rows of those planes (n_tdep blocks of
 * Rows_plane values, in tdep_k's order): each rank evaluates its rows and
 * takes its ghost rows from its neighbours (the faces at the rows' edges
 * need their factors). Collective over comm. */
int ThermalProblem_refresh_k_own(ThermalProblem *p, const double *own_planes, char *err,
                                 size_t err_size);

/* The coolant face from the coolant cell temperatures tf (nx*ny): h_eff at
 * the local coolant state, and the coolant temperature itself. */
void ThermalProblem_set_coolant(ThermalProblem *p, const Coolant *k, const double *tf);

/* Heat per column (W) from the base cells into the coolant at tf, on
 * every rank for every column (gathered over comm). */
int ThermalProblem_heat_to_coolant(const ThermalProblem *p, const double *t, const double *tf,
                                   double *q_col, char *err, size_t err_size);

/* The marched face's coolant (face_marched): with the face's coolant at
 * t_face (ncol) and the field t, the heat into each column through the
 * Robin face, and the coolant marched along the face from it into t_out
 * (ncol; each column at its centre). Its mixed-mean outlet (K), the hottest
 * strip's outlet (K) and the heat it took up (W) in *outlet_k, *t_max_k and
 * *heat_w. */
int ThermalProblem_face_march(const ThermalProblem *p, const double *t, const double *t_face,
                              double *t_out, double *outlet_k, double *t_max_k, double *heat_w,
                              char *err, size_t err_size);

/* Junction (active-face) temperature of column (i, j) from the solved t;
 * row j must be one of the rows held. */
double ThermalProblem_junction(const ThermalProblem *p, const double *t, int i, int j);

/* The 1D column estimate for a start: the coolant marched with all heat
 * going straight up, each cell above it by the series resistances. Writes
 * t (3D, the rows held) and tf (coolant cells, all). */
void ThermalProblem_column_guess(const ThermalProblem *p, const Coolant *k, double *t,
                                 double *tf);

#endif
