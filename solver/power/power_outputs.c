/* power_outputs.c - what the power model reports: its registry table. */
#include <stddef.h>

#include "power.h"

#define F(field) .part = RESULT_POWER, .off = offsetof(PowerResult, field)
#define PATH .flags = RES_OPTIONAL, .when_off = offsetof(PowerResult, has_path)
#define PATH_QUIET .flags = RES_OPTIONAL | RES_NO_REPORT, .when_off = offsetof(PowerResult, has_path)
#define S .kind = RES_SCALAR, .group = "summary"
#define N .kind = RES_COUNT, .group = "summary"
#define COLS(grp, type, arr, count, field) .part = RESULT_POWER, .group = grp, \
  .kind = RES_COLUMN, .off = offsetof(PowerResult, arr), .n_off = offsetof(PowerResult, count), \
  .stride = sizeof(type), .field_off = offsetof(type, field)
#define DIE(field) COLS("dies", PowerDie, dies, n_dies, field), .flags = RES_NO_REPORT
#define DIE_PATH(field) COLS("dies", PowerDie, dies, n_dies, field), PATH_QUIET
#define BRICK(field) COLS("bricks", PowerBrick, bricks, n_dies, field), PATH_QUIET
#define BOARD(field) COLS("boards", PowerBoard, boards, n_boards, field), PATH_QUIET
#define PSU(field) COLS("psus", PowerPsu, psus, n_psus, field), PATH_QUIET
#define MAP(field) .part = RESULT_POWER, .off = offsetof(PowerResult, field), .kind = RES_MAP, \
  .group = "maps", PATH_QUIET
/* clang-format off */
static const ResultEntry entries[] = {
    {"clock", "1", "clock factor of the dies (1: the case's nominal clock)", S, F(clock)},
    {"die_power_dynamic_w", "W", "dynamic (switching) part of the die power, all dies", S, F(dynamic_w)},
    {"die_power_leakage_w", "W", "leakage part of the die power, all dies (0 with power.die_model: fixed)", S, F(leakage_w)},
    {"dies_unpowered", "1", "dies without supply (their board or its PSU is out)", N, F(dies_unpowered)},
    {"set_point_v", "V", "brick output set point (from the V(f) table when the case has one)", S, F(set_point_v), PATH},
    {"die_voltage_min_v", "V", "lowest die voltage, after every drop on the path (current-weighted over the die)", S, F(die_v_min), PATH},
    {"die_voltage_min_column", "1", "die column of the lowest die voltage (1-based)", N, F(die_v_min_col), .shift = 1, PATH_QUIET},
    {"die_voltage_min_row", "1", "die row of the lowest die voltage (1-based)", N, F(die_v_min_row), .shift = 1, PATH_QUIET},
    {"die_voltage_mean_v", "V", "mean die voltage over the powered dies", S, F(die_v_mean), PATH},
    {"ir_drop_max_mv", "mV", "largest drop from a brick's output to a point of its die's face", S, F(ir_drop_max_v), .scale = 1e3, PATH},
    {"die_current_max_a", "A", "largest current drawn by one die", S, F(die_i_max_a), PATH},
    {"brick_current_max_a", "A", "largest brick output current", S, F(brick_i_max_a), PATH},
    {"brick_load_max", "1", "largest brick current over its rating, derated at the brick's temperature (above 1: overloaded)", S, F(brick_load_max), PATH},
    {"brick_loss_total_w", "W", "heat made in the 84 bricks (no-load loss + I^2 R_out), taken by the brick cold plate", S, F(brick_loss_w), PATH},
    {"brick_temp_max_c", "C", "hottest brick (the brick tiles' hottest cell)", S, F(brick_t_max_k), RES_TO_C, PATH},
    {"pcb_plane_loss_w", "W", "Joule heat of the PCB's power and ground planes", S, F(plane_loss_w), PATH},
    {"pcb_via_loss_w", "W", "Joule heat of the via fields (brick to planes, planes to die)", S, F(via_loss_w), PATH},
    {"connector_loss_w", "W", "Joule heat of the compliant connector's contacts", S, F(connector_loss_w), PATH},
    {"pdb_loss_w", "W", "loss of the distribution boards' 50 -> 12 V stages (to air)", S, F(pdb_loss_w), PATH},
    {"psu_loss_w", "W", "loss of the PSUs (to air)", S, F(psu_loss_w), PATH},
    {"psus_working", "1", "PSUs in service", N, F(psus_working), PATH},
    {"psu_load_max_kw", "kW", "largest output of one PSU", S, F(psu_load_max_w), .scale = 1e-3, PATH},
    {"wall_power_w", "W", "power drawn from the wall: the dies and every loss on the path", S, F(wall_power_w), PATH},
    {"delivery_efficiency", "1", "die power / wall power", S, F(delivery_efficiency), PATH},
    {"die_voltage_v", "V", "die voltage after every drop (current-weighted over the die)", DIE(v)},
    {"die_current_a", "A", "current the die draws", DIE(i)},
    {"die_dynamic_w", "W", "dynamic part of the die's power", DIE(dyn)},
    {"die_leakage_w", "W", "leakage part of the die's power", DIE(leak)},
    {"die_powered", "1", "1: the die has supply", DIE(powered), .is_int = 1},
    {"die_via_loss_w", "W", "Joule heat of the die's vias (planes to connector)", DIE_PATH(via_w)},
    {"die_connector_loss_w", "W", "Joule heat of the die's connector contacts", DIE_PATH(conn_w)},
    {"brick_column", "1", "column of the die the brick feeds, 1-based", BRICK(col), .is_int = 1, .shift = 1},
    {"brick_row", "1", "row of the die the brick feeds, 1-based", BRICK(row), .is_int = 1, .shift = 1},
    {"brick_current_a", "A", "brick output current", BRICK(i)},
    {"brick_output_v", "V", "brick output voltage at its pins", BRICK(v_out)},
    {"brick_loss_w", "W", "heat made in the brick", BRICK(loss_w)},
    {"brick_via_loss_w", "W", "Joule heat of the brick's via field into the planes", BRICK(via_w)},
    {"brick_t_mean_c", "C", "mean temperature of the brick", BRICK(t_mean_k), RES_TO_C},
    {"brick_t_max_c", "C", "hottest cell of the brick", BRICK(t_max_k), RES_TO_C},
    {"brick_rating_a", "A", "brick current rating, derated at its hottest cell", BRICK(rating_a)},
    {"brick_load", "1", "brick current / its derated rating", BRICK(load)},
    {"board_column", "1", "die column the board feeds, 1-based", BOARD(col), .is_int = 1, .shift = 1},
    {"board_powered", "1", "1: the board has supply", BOARD(powered), .is_int = 1},
    {"board_output_v", "V", "12 V bus voltage at the board's output", BOARD(v_out)},
    {"board_output_a", "A", "board output current", BOARD(i_out)},
    {"board_output_w", "W", "power the board delivers to its bricks", BOARD(p_out_w)},
    {"board_input_w", "W", "power the board draws from the 50 V bus", BOARD(p_in_w)},
    {"board_loss_w", "W", "loss of the board's stage", BOARD(loss_w)},
    {"psu_unit", "1", "PSU number, 1-based", PSU(unit), .is_int = 1, .shift = 1},
    {"psu_working", "1", "1: in service", PSU(working), .is_int = 1},
    {"psu_output_kw", "kW", "PSU output", PSU(load_w), .scale = 1e-3},
    {"psu_efficiency", "1", "PSU efficiency at its load (NaN when out)", PSU(efficiency)},
    {"psu_unit_loss_w", "W", "loss of the PSU", PSU(loss_w)},
    {"die_face_voltage_v", "V", "supply voltage at the die's active face after every drop, [ny][nx], NaN where unpowered", MAP(die_v_map)},
    {"ir_drop_mv", "mV", "drop from the brick's output to the die's face, [ny][nx]", MAP(ir_drop_map), .scale = 1e3},
};
/* clang-format on */
const ResultTable Power_outputs = {RESULT_POWER, sizeof(PowerResult), entries,
                                   (int)(sizeof entries / sizeof entries[0])};
