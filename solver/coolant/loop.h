/* loop.h - the coolant loop around a solved cold plate: the flow the case
 * asks for (fixed, or where the pump curve meets the loop), and after the
 * solve the cold plate's heat transfer summary, the loop's pressure drop,
 * pump power, pump operating points, the loop and pump curves and the
 * coolant along the flow path. Registers the coolant outputs. */
#ifndef EBSIM_LOOP_H
#define EBSIM_LOOP_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"
#include "../core/registry.h"
#include "coolant.h"
#include "hydraulics.h"

#define LOOP_MAX_WARNINGS 4
#define LOOP_WARNING_LEN 240

typedef struct {
  int flow_from_pumps;
  double flow_m3_s, mass_flow_kg_s;
  double lpm_per_kw;          /* flow per power, L/min/kW (the facility reference is 1.5) */
  /* heat transfer at the solved coolant temperatures, area means */
  double h_channel_w_m2k, h_eff_w_m2k, fin_efficiency;
  char h_model[160]; /* which model produced h (Coolant.h_source) */
  double reynolds_inlet;      /* mean channel Re with inlet properties */
  double reynolds_max;        /* largest local channel Re */
  double channel_velocity_mean_m_s, channel_velocity_max_m_s, pipe_velocity_m_s;
  double velocity_max_m_s;    /* the larger of the channel maximum and the pipe */
  /* the loop at the operating flow, properties at the mean coolant temperature */
  double dp_channels_pa, dp_manifold_pa, dp_fittings_pa, dp_qd_pa, dp_total_pa;
  double pump_power_w;        /* dp Q / efficiency */
  /* where the case's pumps meet this loop: all running, and one fewer (NaN
   * without a pump curve / with a single pump) */
  double pump_flow_m3_s, pump_dp_pa;
  double one_pump_lost_flow_m3_s, one_pump_lost_dp_pa, one_pump_lost_lpm_per_kw;
  /* loop and pump curves from zero to beyond the operating flow */
  int n_curve;
  double *curve_q_m3_s, *curve_system_pa, *curve_pump_pa, *curve_pump_lost_pa;
  /* along the flow direction (cell centres): flow-weighted coolant and the
   * hottest junction across the flow */
  int n_path;
  double *path_x_m, *path_t_coolant_k, *path_t_junction_max_k;
  int n_warnings; /* gathered into the run's warnings by the model */
  char warnings[LOOP_MAX_WARNINGS][LOOP_WARNING_LEN];
} LoopResult;

/* The case's pumps as a PumpSet. */
void Loop_pump_set(const Case *c, PumpSet *ps);

/* The volume flow of the case: coolant.flow_lpm, or where the running
 * pumps' curve meets this loop (flow_source: pumps). */
int Loop_case_flow(const Case *c, const Grid *g, double *q_m3_s, char *err, size_t err_size);

/* Everything above for a solved cold plate: the coolant set-up k, its
 * cell temperatures t_fluid (nx*ny), the junction map t_junction, the
 * mixed outlet and the wafer power. Allocates the curves (LoopResult_free). */
int Loop_evaluate(const Case *c, const Coolant *k, const double *t_fluid,
                  const double *t_junction, double t_outlet_k, double power_w, LoopResult *out,
                  char *err, size_t err_size);
void LoopResult_free(LoopResult *r);

/* 1 when the coolant boils: its hottest temperature t_max_k (solved, or
 * estimated as inlet + heat / (m_dot c_p)) at or above its boiling point.
 * Then msg names the cause and the least flow that keeps the mixed outlet
 * below boiling with heat_w into the coolant. 0 otherwise. */
int Loop_boiling(const Case *c, double flow_m3_s, double heat_w, double t_max_k, char *msg,
                 size_t n);

/* The coolant below its freezing point (Materials_fluid_freezing_k),
 * whatever the case's limits: ebsim models liquid coolant only.
 * t_fluid NULL: the case's inlet alone (before a solve); below freezing it
 * is an input (EB_EINPUT). t_fluid (nx*ny, k's coolant cells): a solved
 * state that cooled the coolant below freezing (heat drawn out of it by a
 * colder boundary, the brick cold plate) has no liquid answer (EB_ENOSTATE).
 * msg names the cause, where and what to change. EB_OK otherwise. */
int Loop_freezing(const Case *c, const Coolant *k, const double *t_fluid, char *msg, size_t n);

/* The registry table of the coolant outputs (part RESULT_COOLANT). */
extern const ResultTable Loop_outputs;

#endif
