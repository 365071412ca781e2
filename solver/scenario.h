/* scenario.h - a transient scenario of the case run in time: the schedule
 * of its events (steps and ramps of power, flow, pumps, inlet, PSUs), the
 * start (the steady model at t = 0, or a uniform temperature), the block's
 * heat equation integrated by CVODE (solver/thermal/thermal_transient.h)
 * with a restart at every jump, the time each limit is first reached, the
 * time series, and field snapshots. Reported through the result registry
 * (part RESULT_TRANSIENT). */
#ifndef EBSIM_SCENARIO_H
#define EBSIM_SCENARIO_H

#include <stddef.h>

#include "../cases/case.h"
#include "core/registry.h"
#include "model.h"
#include "thermal/thermal_transient.h"

#define SCN_TEXT_LEN 160

/* One event watched: a limit and when it was first reached. */
typedef struct {
  double limit_k;    /* NaN: not watched (the case sets no such limit) */
  int reached;
  double t_s;        /* first time at or above the limit (NaN: never) */
  double peak_k, peak_t_s;
  char verdict[SCN_TEXT_LEN]; /* "reached at 12.35 s" / "never within the run (peak ...)" */
} ScenarioEvent;

/* One row of the per-die series: a die's hottest junction at a time. */
typedef struct {
  double t_s;
  int die; /* row * columns + column */
  double tj_max_k;
} ScenarioDieRow;

typedef struct {
  char scenario[CASE_NAME_LEN];
  char description[200];
  char start[SCN_TEXT_LEN]; /* how it started */
  char stop[SCN_TEXT_LEN];  /* how it ended: at the end, at boiling, failed */
  double until_s;
  ScenarioEvent ev[TT_EVENTS];
  double peak_tj_k, peak_tj_t_s, final_tj_k;
  double energy_made_j, energy_error_j, energy_error_rel;
  /* integrator */
  int steps, rejected_error, rejected_convergence, nonlinear_iters, linear_iters, rhs_evals;
  int prec_setups, vcycles, restarts;
  double wall_s, start_s;            /* whole run; the steady start in it */
  double setup_s, psolve_s, rhs_s;   /* preconditioner set-ups, solves, right-hand side */
  /* series: one row per output time */
  int n_rows;
  ThermalSample *rows;
  int n_die_rows;
  ScenarioDieRow *die_rows;
  int n_snapshots;
  double snapshot_t_s[CASE_MAX_SNAPSHOTS];
} ScenarioResult;

typedef struct {
  double until_s;     /* NaN or <= 0: the scenario's until_s */
  double output_dt_s; /* series spacing; 0: until / 300 */
  int progress;       /* 1: a progress bar in simulated time on stderr */
  /* each snapshot time: the state as a thermal result (may be NULL) */
  int (*snapshot)(int index, double t_s, const ThermalResult *state, void *user, char *err,
                  size_t err_size);
  void *user;
} ScenarioOptions;

/* Run scenario s of case c. On EB_OK r holds the result and final the
 * state at the end as a thermal result (both to free). A model failure
 * (CVODE, the power path's runaway) is EB_EFAIL / EB_ENOSTATE with the
 * time it happened; r then holds the series up to it (r->until_s is the
 * time reached). EB_EINPUT for a scenario the case cannot run (a steady
 * start at no flow, pumps events without pumps). */
int Scenario_run(const Case *c, const CaseScenario *s, const ScenarioOptions *o,
                 ScenarioResult *r, ThermalResult *final, char *err, size_t err_size);
void ScenarioResult_free(ScenarioResult *r);

/* EB_OK when a transient of case c fits in the memory available; else
 * EB_EINPUT saying how much it needs (before anything is allocated). */
int Scenario_check_fits(const Case *c, char *err, size_t err_size);

extern const ResultTable Scenario_outputs;

#endif
