/* scenario_outputs.c - what a transient scenario reports: its registry table. */
#include <stddef.h>

#include "scenario.h"

#define F(field) .part = RESULT_TRANSIENT, .off = offsetof(ScenarioResult, field)
#define EV(e, field) .part = RESULT_TRANSIENT, \
  .off = offsetof(ScenarioResult, ev) + (e) * sizeof(ScenarioEvent) + offsetof(ScenarioEvent, field)
#define REACHED(e) .flags = RES_OPTIONAL, \
  .when_off = offsetof(ScenarioResult, ev) + (e) * sizeof(ScenarioEvent) + offsetof(ScenarioEvent, reached)
#define S .kind = RES_SCALAR, .group = "transient"
#define N .kind = RES_COUNT, .group = "transient"
#define T(len) .kind = RES_TEXT, .group = "transient", .stride = len
#define STAT .flags = RES_NO_REPORT
#define ROW(field) .part = RESULT_TRANSIENT, .group = "series", .kind = RES_COLUMN, \
  .off = offsetof(ScenarioResult, rows), .n_off = offsetof(ScenarioResult, n_rows), \
  .stride = sizeof(ThermalSample), .field_off = offsetof(ThermalSample, field), .flags = RES_NO_REPORT
#define DIE(field) .part = RESULT_TRANSIENT, .group = "die_series", .kind = RES_COLUMN, \
  .off = offsetof(ScenarioResult, die_rows), .n_off = offsetof(ScenarioResult, n_die_rows), \
  .stride = sizeof(ScenarioDieRow), .field_off = offsetof(ScenarioDieRow, field), .flags = RES_NO_REPORT
#define TO_KW .scale = 1e-3
#define TO_KJ .scale = 1e-3
#define TO_MJ .scale = 1e-6
enum { J = TT_EVENT_JUNCTION, O = TT_EVENT_OUTLET, B = TT_EVENT_BOILING, K = TT_EVENT_BRICK };
/* clang-format off */
static const ResultEntry entries[] = {
    {"scenario", "1", "the transient scenario run (scenarios: in the case)", T(CASE_NAME_LEN), F(scenario)},
    {"scenario_description", "1", "what the scenario is, from the case", T(200), F(description), STAT},
    {"scenario_start", "1", "how the run started: the steady state at t = 0, or a uniform temperature", T(SCN_TEXT_LEN), F(start)},
    {"scenario_stop", "1", "how the run ended: at its end time, where the coolant boils (the single-phase model ends there), or where it failed", T(SCN_TEXT_LEN), F(stop)},
    {"scenario_end_s", "s", "simulated time reached (the scenario's until_s, --until, or where the run failed)", S, F(until_s)},
    {"junction_limit", "1", "when the hottest junction first reached limits.junction_max_c, or its peak when never", T(SCN_TEXT_LEN), EV(J, verdict)},
    {"time_to_junction_limit_s", "s", "first time the hottest junction reached limits.junction_max_c (written only when it did)", S, EV(J, t_s), REACHED(J)},
    {"junction_peak_c", "C", "hottest junction over the run", S, EV(J, peak_k), RES_TO_C},
    {"junction_peak_time_s", "s", "time of the hottest junction", S, EV(J, peak_t_s)},
    {"junction_final_c", "C", "hottest junction at the end of the run", S, F(final_tj_k), RES_TO_C},
    {"outlet_limit", "1", "when the mixed coolant outlet first reached limits.coolant_outlet_max_c, or its peak when never", T(SCN_TEXT_LEN), EV(O, verdict)},
    {"time_to_outlet_limit_s", "s", "first time the mixed coolant outlet reached limits.coolant_outlet_max_c (written only when it did)", S, EV(O, t_s), REACHED(O)},
    {"outlet_peak_c", "C", "warmest mixed coolant outlet over the run", S, EV(O, peak_k), RES_TO_C},
    {"boiling", "1", "when the hottest coolant first reached its boiling point (single-phase model: the answer is invalid beyond it), or its peak when never", T(SCN_TEXT_LEN), EV(B, verdict)},
    {"time_to_boiling_s", "s", "first time the hottest coolant reached its boiling point (written only when it did)", S, EV(B, t_s), REACHED(B)},
    {"coolant_peak_c", "C", "hottest coolant anywhere in the plate over the run", S, EV(B, peak_k), RES_TO_C},
    {"brick_limit", "1", "when the hottest brick cell first reached limits.brick_temp_max_c, or its peak when never", T(SCN_TEXT_LEN), EV(K, verdict)},
    {"time_to_brick_limit_s", "s", "first time the hottest brick cell reached limits.brick_temp_max_c (written only when it did)", S, EV(K, t_s), REACHED(K)},
    {"brick_peak_c", "C", "hottest brick cell over the run (NaN: no brick layer)", S, EV(K, peak_k), RES_TO_C},
    {"energy_made_mj", "MJ", "heat made in the block over the run (dies and power path)", S, F(energy_made_j), TO_MJ},
    {"energy_balance_error_j", "J", "heat made - (stored + carried out by the coolant + into the brick plate) over the run", S, F(energy_error_j)},
    {"energy_balance_rel_error_run", "1", "|energy_balance_error_j| / the heat made: the run's energy check", S, F(energy_error_rel)},
    {"cvode_steps", "1", "CVODE (BDF) time steps", N, F(steps), STAT},
    {"cvode_rejected_error", "1", "steps rejected by CVODE's local error test", N, F(rejected_error), STAT},
    {"cvode_rejected_convergence", "1", "steps rejected because Newton did not converge", N, F(rejected_convergence), STAT},
    {"cvode_newton_iterations", "1", "Newton iterations of the implicit steps", N, F(nonlinear_iters), STAT},
    {"cvode_krylov_iterations", "1", "flexible GMRES iterations", N, F(linear_iters), STAT},
    {"cvode_rhs_evaluations", "1", "evaluations of the right-hand side (one operator product each)", N, F(rhs_evals), STAT},
    {"cvode_preconditioner_setups", "1", "preconditioner set-ups (k(T), h and the power path re-evaluated, operator assembled)", N, F(prec_setups), STAT},
    {"cvode_vcycles", "1", "PFMG V-cycles of the preconditioner (one per preconditioner solve)", N, F(vcycles), STAT},
    {"cvode_restarts", "1", "restarts at the schedule's steps and ramp ends", N, F(restarts), STAT},
    {"transient_seconds", "s", "wall time of the scenario, steady start included", S, F(wall_s), STAT},
    {"transient_start_seconds", "s", "wall time of the steady start", S, F(start_s), STAT},
    {"transient_setup_seconds", "s", "wall time in preconditioner set-ups (assembly, multigrid hierarchy, k(T), h, power path)", S, F(setup_s), STAT},
    {"transient_precondition_seconds", "s", "wall time in preconditioner solves (inner PCG + PFMG, coolant march)", S, F(psolve_s), STAT},
    {"transient_rhs_seconds", "s", "wall time in right-hand-side evaluations (operator products)", S, F(rhs_s), STAT},
    {"series_time_s", "s", "time of the row", ROW(t_s)},
    {"series_junction_max_c", "C", "hottest junction", ROW(tj_max_k), RES_TO_C},
    {"series_junction_max_x_mm", "mm", "x of the hottest junction", ROW(tj_max_x_m), RES_TO_MM},
    {"series_junction_max_y_mm", "mm", "y of the hottest junction", ROW(tj_max_y_m), RES_TO_MM},
    {"series_outlet_c", "C", "mixed-mean coolant outlet", ROW(outlet_k), RES_TO_C},
    {"series_coolant_max_c", "C", "hottest coolant in the plate", ROW(coolant_max_k), RES_TO_C},
    {"series_brick_max_c", "C", "hottest brick cell (NaN: no brick layer)", ROW(brick_max_k), RES_TO_C},
    {"series_flow_lpm", "L/min", "coolant flow", ROW(flow_m3_s), RES_TO_LPM},
    {"series_inlet_c", "C", "coolant inlet", ROW(inlet_k), RES_TO_C},
    {"series_pressure_drop_kpa", "kPa", "loop pressure drop at the flow", ROW(dp_pa), RES_TO_KPA},
    {"series_power_kw", "kW", "heat made: dies and power path", ROW(power_w), TO_KW},
    {"series_heat_to_coolant_kw", "kW", "heat the coolant carries out of the plate", ROW(heat_to_coolant_w), TO_KW},
    {"series_heat_to_brick_plate_kw", "kW", "heat into the bricks' cold plate", ROW(heat_to_bottom_w), TO_KW},
    {"series_heat_stored_kw", "kW", "rate the block stores heat: made - removed", ROW(stored_w), TO_KW},
    {"series_energy_made_kj", "kJ", "heat made since the start", ROW(e_made_j), TO_KJ},
    {"series_energy_to_coolant_kj", "kJ", "heat carried out by the coolant since the start", ROW(e_coolant_j), TO_KJ},
    {"series_energy_to_brick_plate_kj", "kJ", "heat into the brick plate since the start", ROW(e_bottom_j), TO_KJ},
    {"series_energy_stored_kj", "kJ", "heat stored since the start, from the temperatures (sum of rho c_p V dT)", ROW(e_stored_j), TO_KJ},
    {"series_energy_error_j", "J", "made - (stored + removed) since the start", ROW(e_error_j)},
    {"die_series_time_s", "s", "time of the row", DIE(t_s)},
    {"die_series_die", "1", "die index: row * columns + column (0-based)", DIE(die), .is_int = 1},
    {"die_series_junction_max_c", "C", "the die's hottest junction", DIE(tj_max_k), RES_TO_C},
};
/* clang-format on */
const ResultTable Scenario_outputs = {RESULT_TRANSIENT, sizeof(ScenarioResult), entries,
                                      (int)(sizeof entries / sizeof entries[0])};
