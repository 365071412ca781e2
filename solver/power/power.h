/* power.h - the power path and the dies' electrical model, solved with
 * the temperatures.
 *
 * Path (case section power_delivery): PSUs on a 50 V bus (shared, with
 * load sharing, or one per board) -> one distribution board (PDB) per die
 * column, a fixed-ratio 50 -> 12 V stage (loss P_no_load + I^2 R) -> one
 * brick per die behind it (12 V -> the core voltage: a set point, or a
 * fixed ratio; loss P_no_load + I^2 R_out) -> the brick's via field and the
 * PCB planes (a 2-D sheet per die, sheet.h) -> the die's vias and the
 * connector contact -> the die. Copper resistances rise 0.393 %/K with
 * the temperature of the layer they are in.
 *
 * Dies (power.die_model): fixed power (the map), or dynamic C V^2 f plus
 * leakage rising with junction temperature and voltage. Die voltage = the
 * brick's output minus the drops on its path; power, voltage and
 * temperature are solved in the same fixed point as the temperatures: the
 * model is the thermal solver's heat source (ThermalHeatSource), and each
 * evaluation puts its losses where they are made: the bricks' in the brick
 * tiles, the planes' and vias' in the PCB, the contacts' in the connector,
 * the die power in the active face. PSU and PDB losses leave in air and
 * count in the wall power.
 *
 * Faults: psu.failed (shared bus: the rest share the load; per-board feed:
 * boards 1..N lose their supply), pdb.failed (those columns' dies are
 * unpowered; an error unless require_all_dies is false). */
#ifndef EBSIM_POWER_H
#define EBSIM_POWER_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"
#include "../core/registry.h"
#include "../thermal/thermal.h"

typedef struct {
  int col, row;          /* 0-based */
  int powered;
  double v;              /* die voltage: current-weighted over the die, after every drop */
  double i;              /* current drawn, A */
  double p, dyn, leak;   /* power, its dynamic and leakage parts, W */
  double tj_k;           /* mean junction temperature it was evaluated at */
  double via_w, conn_w;  /* the die's vias in the PCB and its connector contacts, W */
} PowerDie;

typedef struct {
  int col, row;          /* 0-based: behind die (col, row) */
  double i;              /* output current, A */
  double v_out;          /* output voltage (at its pins) */
  double loss_w;         /* P_no_load + I^2 R_out(T) */
  double via_w;          /* its via field into the planes, W */
  double t_mean_k, t_max_k;
  double rating_a;       /* current rating, derated at t_max */
                         /* (t_max, rating_a, load: from the final field) */
  double load;           /* i / rating */
} PowerBrick;

typedef struct {
  int col;               /* 0-based: the die column it feeds */
  int powered;
  double p_out_w, p_in_w, loss_w, v_out, i_out;
} PowerBoard;

typedef struct {
  int unit;              /* 0-based */
  int working;
  double load_w, loss_w, efficiency;
} PowerPsu;

typedef struct {
  int has_path;          /* the case has power_delivery (else dies at their own voltage) */
  int n_dies, n_boards, n_psus;
  PowerDie *dies;
  PowerBrick *bricks;    /* one per die */
  PowerBoard *boards;    /* one per die column */
  PowerPsu *psus;
  double *die_v_map;     /* nx*ny: the die's face voltage over its area, V (NaN off the dies) */
  double *ir_drop_map;   /* nx*ny: set point minus that, V */
  /* summary */
  double clock, set_point_v;
  double die_power_w, dynamic_w, leakage_w;
  double die_v_min, die_v_mean, ir_drop_max_v, die_i_max_a;
  int die_v_min_col, die_v_min_row;
  int dies_unpowered, psus_working;
  double brick_i_max_a, brick_load_max, brick_loss_w, brick_t_max_k;
  double plane_loss_w, via_loss_w, connector_loss_w, pdb_loss_w, psu_loss_w;
  double psu_load_max_w, wall_power_w, delivery_efficiency;
} PowerResult;

typedef struct PowerModel PowerModel;

/* A power model for case c on grid g (the case's power path, if any, and
 * its die model). EB_EINPUT for a layout the path cannot have. */
int PowerModel_create(const Case *c, const Grid *g, PowerModel **out, char *err, size_t err_size);
void PowerModel_destroy(PowerModel *m);
/* 1 when this model serves case c (same grid, same layers), else it must be
 * made again. */
int PowerModel_fits(const PowerModel *m, const Case *c);
/* Before a solve of case c (which must stay valid through it): faults,
 * the start state. EB_EINPUT when a fault leaves dies unpowered and the case
 * requires every die, or no PSU is left. */
int PowerModel_begin(PowerModel *m, const Case *c, char *err, size_t err_size);
/* The thermal solver's heat source for the solve begun. */
void PowerModel_heat(PowerModel *m, ThermalHeatSource *hs);
/* After the solve t: the result of the last evaluation, with the bricks'
 * hottest cells and derated ratings from t's field (arrays move into r;
 * PowerResult_free). */
int PowerModel_take_result(PowerModel *m, const ThermalResult *t, PowerResult *r, char *err,
                           size_t err_size);
void PowerResult_free(PowerResult *r);

/* 1 when the case needs the model (a power path or an electrical die model). */
int Power_needed(const Case *c);

/* The registry table of the power outputs (part RESULT_POWER). */
extern const ResultTable Power_outputs;

#endif
