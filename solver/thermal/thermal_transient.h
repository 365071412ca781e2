/* thermal_transient.h - the engine block in time: the steady model's
 * conduction, coolant and heat, with heat capacity, integrated by the time
 * driver (solver/core/transient.h: CVODE BDF, flexible GMRES).
 *
 * State: every solid cell's temperature (rho c_p V per cell; the fins'
 * copper is lumped into the base cells beside the channels, whose
 * temperature it follows within the fin efficiency [E]) and, per column of
 * the cold plate, the coolant temperature leaving the cell (C_f = rho c_p of
 * the coolant times the channel volume over the column). The coolant is
 * advected cell to cell along its path (first-order upwind: each cell a
 * stirred volume, so the transit time across the plate is the plate's
 * coolant volume over the flow) and exchanges heat with the base at a
 * temperature between its inflow and outflow from the exact profile of a
 * cell at a uniform wall (their mean at normal flows: the steady state is
 * the steady solver's march to 1e-3 of a cell's coolant rise; the cell's
 * own temperature as the flow stops, where a mean would put the coolant
 * above the wall). Three more states integrate the heat made,
 * the heat the coolant carries out and the heat into the brick cold plate,
 * so every run closes its energy balance: made = stored + removed.
 *
 * Coolant density and c_p are taken at the initial inlet temperature for
 * storage and advection (energy is then conserved exactly; c_p of water
 * varies 0.05 % over 20-40 C). The conductivities k(T), the heat-transfer
 * coefficient h(T_f, flow) and the power path's heat are re-evaluated at
 * every preconditioner set-up (CVODE asks for one at least every 20 steps
 * and whenever its step changes much), a lag bounded by the steady-end test.
 *
 * Preconditioner of (I - gamma J): the solid block (A + M / gamma) with the
 * coolant's local response folded into the base's boundary conductance,
 * approximated by one PFMG V-cycle (diffusion.h), then the coolant block
 * solved exactly by marching along each path. */
#ifndef EBSIM_THERMAL_TRANSIENT_H
#define EBSIM_THERMAL_TRANSIENT_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"
#include "../core/transient.h"
#include "thermal.h"

/* What drives the block at time t. */
typedef struct {
  double power_w;           /* total die power (the case's map keeps its shape) */
  const double *die_factor; /* per die: multiplier of its power (NULL: all 1) */
  double flow_m3_s;         /* coolant flow (0: none) */
  double inlet_t_k;         /* coolant inlet */
} ThermalConditions;
typedef void (*ThermalConditionsFn)(double t, ThermalConditions *out, void *user);

/* The events watched (CVODE root finding): the first time each quantity
 * reaches its limit. A limit that is NaN is not watched. */
enum {
  TT_EVENT_JUNCTION = 0, /* hottest junction >= junction limit */
  TT_EVENT_OUTLET,       /* mixed coolant outlet >= outlet limit */
  TT_EVENT_BOILING,      /* hottest coolant >= boiling point */
  TT_EVENT_BRICK,        /* hottest brick cell >= brick limit (a brick layer) */
  TT_EVENTS
};

typedef struct {
  ThermalConditionsFn conditions;
  void *user;
  double rel_tol, abs_tol_k; /* CVODE local error tolerances */
  double limit_k[TT_EVENTS]; /* NaN: not watched */
  double max_step_s;         /* 0: none */
} ThermalTransientOptions;

/* What a run reports at one time. */
typedef struct {
  double t_s;
  double tj_max_k, tj_max_x_m, tj_max_y_m; /* hottest junction and where */
  double outlet_k;       /* mixed-mean coolant outlet */
  double coolant_max_k;  /* hottest coolant */
  double brick_max_k;    /* hottest brick cell (NaN: no brick layer) */
  double flow_m3_s, inlet_k;
  double dp_pa;          /* loop pressure drop at this flow */
  double power_w;        /* heat made now: dies and the power path */
  double heat_to_coolant_w, heat_to_bottom_w;
  double stored_w;       /* power - removed: the rate the block stores heat */
  /* since the start: heat made, carried out by the coolant, into the brick
   * plate, stored (from the temperatures), and the balance's residual */
  double e_made_j, e_coolant_j, e_bottom_j, e_stored_j, e_error_j;
} ThermalSample;

typedef struct ThermalTransient ThermalTransient;

/* A transient of case c on grid g (both outlive it); heat: NULL or the
 * power path's heat (its case must be c). The start: t_k (3D, K, held by
 * rows as a steady result's t_k: this rank's rows of Runtime_field_comm's
 * split, all of them in one process) and the coolant cell temperatures
 * tf_k (nx*ny, whole: the steady solver's cell means), or tf_k NULL for a
 * coolant at the solid's base temperature. Under MPI the state is split by
 * the same rows (no rank holds the whole field) and every function below
 * is collective over the run's ranks. EB_EINPUT for a case without a cold
 * plate, EB_EFAIL for out of memory or SUNDIALS. */
int ThermalTransient_create(const Case *c, const Grid *g, const ThermalHeatSource *heat,
                            const ThermalTransientOptions *o, double t0, const double *t_k,
                            const double *tf_k, ThermalTransient **out, char *err,
                            size_t err_size);
void ThermalTransient_destroy(ThermalTransient *tt);

/* Advance to t_out, or by one internal step towards it (one_step), or to
 * the first event before it: *event is its TT_EVENT_ index, or -1.
 * EB_EFAIL with CVODE's reason, or a failure of the heat source (its code:
 * EB_ENOSTATE for a runaway). */
int ThermalTransient_advance(ThermalTransient *tt, double t_out, int one_step, double *t_reached,
                             int *event, char *err, size_t err_size);
/* The conditions jump at the current time (a step): forget the history. */
int ThermalTransient_restart(ThermalTransient *tt, char *err, size_t err_size);

/* The conditions jump at t_stop: never step past it. */
int ThermalTransient_set_stop(ThermalTransient *tt, double t_stop, char *err, size_t err_size);

/* The current state: sample and per-die hottest junction (n_dies, may be
 * NULL), the same on every rank (EB_EFAIL only for a failed MPI call);
 * the 3D field's rows held here (NaN in void cells); the coolant cell
 * means (nx*ny, whole). */
int ThermalTransient_sample(ThermalTransient *tt, ThermalSample *s, double *die_tj_max_k,
                            char *err, size_t err_size);
const double *ThermalTransient_field(ThermalTransient *tt);
int ThermalTransient_coolant(ThermalTransient *tt, double *tf_mean_k, char *err, size_t err_size);
/* The current state as a steady run's thermal result (fields, maps, dies,
 * summary; its energy balance is the instant's, storage not counted), for
 * snapshots and the final state. ThermalResult_free it. */
int ThermalTransient_result(ThermalTransient *tt, ThermalResult *res, char *err, size_t err_size);
void ThermalTransient_stats(const ThermalTransient *tt, TransientStats *st);
/* Where the work and the time went: preconditioner set-ups (k, h, heat
 * re-evaluated, operator assembled), V-cycles (one per preconditioner
 * solve), seconds in the set-ups, the preconditioner solves and the
 * right-hand side. */
typedef struct {
  long refreshes, vcycles;
  double setup_s, psolve_s, rhs_s;
} ThermalTransientWork;
void ThermalTransient_work(const ThermalTransient *tt, ThermalTransientWork *w);

#endif
