/* power_parts.h - the pieces of the power path as pure functions (SI):
 * the die's electrical model, the PSU efficiency curve, fixed-ratio
 * converter stages (PDB, brick), copper resistance against temperature,
 * brick current derating. Internal to solver/power; tested one by one. */
#ifndef EBSIM_POWER_PARTS_H
#define EBSIM_POWER_PARTS_H

#include <stdint.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"

/* Copper resistivity 1.7241e-8 ohm m at 20 C (100 % IACS) and its
 * temperature coefficient 0.00393 /K [S: physics.md 9]; 1 oz copper is
 * 35 um thick [S: physics.md 9, the nominal of the conflicting conventions]. */
#define POWER_CU_RHO_20C 1.7241e-8
#define POWER_CU_ALPHA 0.00393
#define POWER_CU_OZ_M 35e-6

/* R(T) / R(t_ref) of copper. */
double Power_cu_factor(double t_k, double t_ref_k);

/* Sheet resistance (ohm per square) of the PCB's supply loop at 20 C: the
 * power planes in parallel, in series with the ground planes in parallel
 * (the return current mirrors the supply's, so one sheet with the sum
 * carries the loop's drop and loss). */
double Power_pcb_loop_sheet_ohm(const CasePowerDelivery *pd);

/* The die's power at die voltage v and mean junction temperature t_k,
 * scaled from its nominal p_nom (power at clock 1, v_nominal_v and
 * leakage_ref_k): dynamic p_nom s clock (v/v_nom)^2, leakage
 * p_nom (1-s) (v/v_nom)^n 2^((T - T_ref) / T_double). A fixed die model
 * returns p_nom. dyn and leak (may be NULL) get the two parts. */
double Power_die(const Case *c, double p_nom, double v, double t_k, double *dyn, double *leak);

/* The brick set point: set_point_v, or the V(f) table at the clock
 * (linear, clamped at its ends) when the case gives one. */
double Power_set_point(const Case *c);

/* PSU efficiency at a load fraction (output / rating), linear in the
 * case's table and clamped at its ends. */
double Power_psu_efficiency(const CasePowerDelivery *pd, double load_fraction);

/* A fixed-ratio converter delivering power p_out (W) from an ideal
 * k * v_in source through r_out: v_out = k v_in - i r_out, p_out = v_out i.
 * Returns v_out (the higher root) and sets *i; NAN when p_out exceeds what
 * the stage can deliver (k v_in)^2 / (4 r_out). */
double Power_stage_vout(double k_v_in, double r_out, double p_out, double *i);

/* The bricks' footprints on grid g: foot[col] = 1 where a cell's centre
 * lies in the brick_x by brick_y tile centred on its die (the grid has
 * lines on the tiles' edges). EB_EINPUT when the stack has no brick_tiles
 * layer. */
int Power_footprint(const Case *c, const Grid *g, uint8_t *foot);

/* The brick's current rating at its temperature: full up to derate_start,
 * falling linearly to zero at derate_end. */
double Power_brick_rating(const CasePowerDelivery *pd, double t_k);

#endif
