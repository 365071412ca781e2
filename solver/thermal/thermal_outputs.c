/* thermal_outputs.c - what the thermal module reports: its registry table. */
#include <stddef.h>

#include "thermal.h"

#define F(field) .part = RESULT_THERMAL, .off = offsetof(ThermalResult, field)
#define S .kind = RES_SCALAR, .group = "summary"
#define N .kind = RES_COUNT, .group = "summary"
#define DIE(field) .part = RESULT_THERMAL, .group = "dies", .kind = RES_COLUMN, \
  .off = offsetof(ThermalResult, dies), .n_off = offsetof(ThermalResult, n_dies), \
  .stride = sizeof(DieResult), .field_off = offsetof(DieResult, field), .flags = RES_NO_REPORT
#define MAP .kind = RES_MAP, .group = "maps", .flags = RES_NO_REPORT
/* clang-format off */
static const ResultEntry entries[] = {
    {"t_max_c", "C", "hottest junction temperature (the wafer's active face)", S, F(t_max_k), RES_TO_C},
    {"t_max_x_mm", "mm", "x of the hottest junction: the first cell in a scan by cell rows from low y, x increasing, within 1e-6 K of t_max_c (cells that tie but for round-off give the same place on any number of MPI ranks)", S, F(t_max_x_m), RES_TO_MM, .flags = RES_POINT_ONLY},
    {"t_max_y_mm", "mm", "y of the hottest junction; see t_max_x_mm", S, F(t_max_y_m), RES_TO_MM, .flags = RES_POINT_ONLY},
    {"t_max_die_column", "1", "die column of the hottest junction (1-based, along x): the die of the cell of t_max_x_mm, t_max_y_mm; dies within the tie tolerance are all in t_max_dies", N, F(t_max_die_col), .shift = 1},
    {"t_max_die_row", "1", "die row of the hottest junction (1-based, along y); see t_max_die_column", N, F(t_max_die_row), .shift = 1},
    {"t_max_tied_dies", "1", "dies whose hottest junction lies within t_max_tie_tol_k of t_max_c, the hottest included (1: one hottest die)", N, F(t_max_tied_dies)},
    {"t_max_dies", "1", "those dies as (column,row), 1-based, runs of consecutive rows or columns as (c,r)-(c,r)", .kind = RES_TEXT, .group = "summary", F(t_max_dies), .stride = THERMAL_DIES_TEXT_LEN},
    {"t_max_tie_tol_k", "K", "tie tolerance for the hottest die: max(0.01 K, 10 x solver.nonlinear_tol_k), what the converged solve can tell apart", S, F(t_max_tie_tol_k), .flags = RES_NO_REPORT},
    {"t_mean_wafer_c", "C", "area-mean junction temperature", S, F(t_mean_wafer_k), RES_TO_C},
    {"power_w", "W", "power made in the wafer (the dies)", S, F(power_w)},
    {"heat_made_w", "W", "all heat made in the block: the dies, and the power path's losses in the bricks, PCB and connector", S, F(heat_made_w)},
    {"heat_to_coolant_w", "W", "heat taken up by the coolant in the cold plate", S, F(heat_to_coolant_w)},
    {"heat_to_brick_plate_w", "W", "heat out of the stack's last face: into the bricks' own cold plate, or through a convective layer", S, F(heat_to_bottom_w)},
    {"energy_balance_rel_error", "1", "|heat made - heat to coolant - heat to brick plate| / the largest of these three flows (at least 1 mW); above 1e-3 the run fails", S, F(energy_balance_rel_error), .flags = RES_POINT_ONLY},
    {"coolant_inlet_c", "C", "coolant inlet temperature", S, F(coolant_inlet_k), RES_TO_C},
    {"coolant_outlet_c", "C", "mixed-mean coolant outlet temperature", S, F(coolant_outlet_k), RES_TO_C},
    {"coolant_t_max_c", "C", "hottest coolant: the warmest channel path at its outlet", S, F(coolant_t_max_k), RES_TO_C},
    {"face_coolant_outlet_c", "C", "mixed-mean outlet of the coolant marched along the convective last face (stack: coolant: marched only)", S, F(face_outlet_k), RES_TO_C, .flags = RES_OPTIONAL, .when_off = offsetof(ThermalResult, face_marched)},
    {"face_coolant_rise_k", "K", "that coolant's rise over its inlet (the face's ambient_c): heat through the face / (m_dot cp)", S, F(face_rise_k), .flags = RES_OPTIONAL, .when_off = offsetof(ThermalResult, face_marched)},
    {"heat_flux_mean_w_cm2", "W/cm^2", "mean heat flux from the wafer into the cold plate", S, F(heat_flux_mean_w_m2), RES_TO_W_CM2},
    {"heat_flux_max_w_cm2", "W/cm^2", "largest heat flux from the wafer into the cold plate", S, F(heat_flux_max_w_m2), RES_TO_W_CM2},
    {"cells", "1", "solid cells of the grid", N, F(cells), .flags = RES_NO_REPORT},
    {"nonlinear_iterations", "1", "fixed-point evaluations (KINSOL), each one linear solve", N, F(nonlinear_iters), .flags = RES_NO_REPORT},
    {"linear_iterations", "1", "PCG iterations over all linear solves", N, F(linear_iters), .flags = RES_NO_REPORT},
    {"linear_residual", "1", "relative residual of the last linear solve", S, F(linear_residual), .flags = RES_NO_REPORT},
    {"nonlinear_update_k", "K", "largest temperature change of the last fixed-point evaluation", S, F(nonlinear_residual_k), .flags = RES_NO_REPORT},
    {"nonlinear_error_k", "K", "estimated error of the answer in the fixed point: q / (1 - q) x the last change, q the ratio of the last two changes (at least 0.1); the last change itself after one evaluation. The solve stops when this or the last change is at most solver.nonlinear_tol_k", S, F(nonlinear_error_k), .flags = RES_NO_REPORT},
    {"solve_seconds", "s", "wall time of the solve (the nested start before it not included)", S, F(solve_seconds), .flags = RES_NO_REPORT},
    {"nested_start_seconds", "s", "wall time of the nested start: the case solved on grids of 2, 4, ... times the cell for the solve's start (0: none, a cold or warm start)", S, F(nested_start_seconds), .flags = RES_NO_REPORT},
    {"nested_start_grids", "1", "coarser grids the nested start solved (0: none)", N, F(nested_start_grids), .flags = RES_NO_REPORT},
    {"huge_pages_mb", "MB", "memory of the process on 2 MiB transparent huge pages at the end of the solve: ebsim starts itself with glibc.malloc.hugetlb=1 where the kernel gives them on request (a run on 4 KiB pages spent a third of its time in page faults); 0: small pages only (EBSIM_HUGE_PAGES=0, or the kernel's setting); under mpirun rank 0's", S, F(huge_pages_mb), .flags = RES_NO_REPORT | RES_POINT_ONLY},
    {"die_column", "1", "die column, 1-based, along x", DIE(col), .is_int = 1, .shift = 1},
    {"die_row", "1", "die row, 1-based, along y", DIE(row), .is_int = 1, .shift = 1},
    {"die_x0_mm", "mm", "die left edge", DIE(x0_m), RES_TO_MM},
    {"die_x1_mm", "mm", "die right edge", DIE(x1_m), RES_TO_MM},
    {"die_y0_mm", "mm", "die lower edge", DIE(y0_m), RES_TO_MM},
    {"die_y1_mm", "mm", "die upper edge", DIE(y1_m), RES_TO_MM},
    {"die_t_max_c", "C", "hottest junction temperature of the die", DIE(t_max_k), RES_TO_C},
    {"die_t_mean_c", "C", "area-mean junction temperature of the die", DIE(t_mean_k), RES_TO_C},
    {"die_power_w", "W", "power made in the die", DIE(power_w)},
    {"die_junction_margin_k", "K", "margin to the junction limit: limits.junction_max_c - die_t_max_c (NaN: no junction limit in the case)", DIE(junction_margin_k)},
    {"wafer_temperature_c", "C", "junction temperature at the wafer's active face, [ny][nx]", MAP, F(t_wafer_k), RES_TO_C},
    {"heat_flux_plate_w_cm2", "W/cm^2", "heat flux from the wafer into the cold plate, [ny][nx]", MAP, F(q_plate_w_m2), RES_TO_W_CM2},
    {"coolant_temperature_c", "C", "coolant temperature (cell mean) in the micro-fin channels, [ny][nx]", MAP, F(t_fluid_k), RES_TO_C},
    {"power_density_w_cm2", "W/cm^2", "power made at the active face, [ny][nx]", MAP, F(q_source_w_m2), RES_TO_W_CM2},
    {"temperature_c", "C", "solid temperature at cell centres, [nz][ny][nx], NaN in void cells", .kind = RES_FIELD, .group = "fields", F(t_k), RES_TO_C, .flags = RES_NO_REPORT},
};
/* clang-format on */
const ResultTable Thermal_outputs = {RESULT_THERMAL, sizeof(ThermalResult), entries,
                                     (int)(sizeof entries / sizeof entries[0])};
