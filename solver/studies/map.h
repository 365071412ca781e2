/* map.h - design maps: a sweep's table over power x inlet x flow (x any
 * other keys) from a few full solves.
 *
 * With constant properties the temperatures rise linearly with the power
 * and shift one for one with the inlet. k(T), the water's properties, the
 * power path's I^2 R and the dies' leakage (doubling every few tens of K)
 * bend that. So a temperature is rebuilt as the coolant inlet plus its rise
 * above it, as polynomials through solved values along each axis (a tensor
 * product):
 *   - power: the rise over the power, (T - T_in)/P, is the polynomial, exact
 *     for rises of P, P^2 (I^2 R) and their bending by k(T);
 *   - inlet: the rise itself;
 *   - flow: the rise times the flow, exact for the coolant's own rise
 *     (P / (rho c_p Q)) and for what does not depend on the flow, close
 *     for a film resistance falling as a power of the flow.
 * Level 1 is one cubic in power (four solved powers), one quadratic in the
 * inlet and one in the flow (three each): 36 solves for any map of those
 * three keys. Level 2 is two of each sharing the middle value (7 powers,
 * 5 inlets, 5 flows). Other quantities (pressures, voltages, stresses) are
 * plain polynomials of the same degrees in the axis values. Every other
 * key is solved at each of its values.
 *
 * Measured on CS-4 at 0.5 mm cells, 500 points (40-120 L/min x 15-42 C x
 * 24-42 kW, the bench's map): level 1 is 36 solves, its 10 checks miss by
 * 0.017 K at most, and against a full sweep of all 500 points the worst
 * rebuilt temperature is 0.023 K off (the hottest brick). Against 88 full
 * solves of an earlier level 2: three powers instead of four missed by
 * 0.080 K (the brick, where leakage and I^2 R compound), two inlets
 * instead of three by 0.051 K, a quadratic in 1/Q instead of the rise
 * times Q by 4x more; three flows instead of all five added under 0.015 K.
 * Random full solves at points that were not solved measure the
 * shortcut's error (ebsim map). */
#ifndef EBSIM_MAP_H
#define EBSIM_MAP_H

#include <stddef.h>

#include "sweep.h"

#define MAP_MAX_ANCHORS 7 /* level 2's powers: two cubics */
#define MAP_MAX_TERMS 36  /* a cubic in power x quadratics in inlet and flow */

typedef enum { MAP_POWER = 0, MAP_INLET, MAP_FLOW, MAP_SOLVED } MapAxisKind;

typedef struct {
  MapAxisKind kind;
  int n;                       /* the map's values on this axis */
  double x[SWEEP_MAX_VALUES];  /* their numbers (power and inlet axes) */
  int pieces, degree;          /* polynomial pieces, sharing their end anchors */
  int n_anchor;                /* the values solved (SOLVED: all of them) */
  int anchor[SWEEP_MAX_VALUES]; /* their indices, increasing */
} MapAxis;

typedef struct {
  int level; /* 1 or 2 */
  int n_axes;
  MapAxis axes[SWEEP_MAX_PARAMS];
} MapPlan;

/* The axis kind of a swept key: power.total_kw, coolant.inlet_c,
 * coolant.flow_lpm, else solved. */
MapAxisKind Map_axis_kind(const char *key);

/* The plan for the map's parameters (a cartesian product, no zips) at
 * level 1 or 2. EB_EINPUT when a power, inlet or flow value is not a
 * number, or such a key is given twice. */
int Map_plan(const SweepParam *params, int n_params, int level, MapPlan *plan, char *err,
             size_t err_size);

/* The solves: the map's parameters restricted to each axis's anchors, in
 * the same order (a sweep of anchor points). */
void Map_anchor_params(const MapPlan *plan, const SweepParam *params, SweepParam *out);

/* The map's error estimate: this times the largest miss measured at the
 * random checks. Checks sample a few points; against full sweeps of every
 * point the worst rebuilt temperature missed by 1.56x the checks' largest
 * (CS-3, 500 points, 10 checks: 0.064 against 0.041 K), 1.78x (CS-4 at
 * 2 mm cells, 231 points: 0.103 against 0.058 K) and 1.4x (CS-4, 500
 * points, level 1: 0.023 against 0.017 K); with only 5 checks of a
 * 36-point map (CS-4 at 8 mm cells) 3.4x (0.031 against 0.009 K). A level
 * is accepted when its estimate is within --max-error. */
#define MAP_ERROR_SAFETY 2.0

/* Other quantities (pressures, losses, loads, stresses, voltages) are
 * rebuilt only where the checks show them smooth: a column whose estimated
 * error (MAP_ERROR_SAFETY x its largest miss at the checks) is above this
 * share of its largest magnitude over the solved points is left empty
 * between them, and the limits on it are judged at the solved points
 * only. On the CS-4 bench map, against a full sweep, what has a kink (the
 * busiest brick's load, the edge slip's friction threshold, the PSU
 * efficiency curve's segments, the pump's operating point) missed by
 * 3-250 %, the pressure drops, stresses and voltages by under 1.3 %. 2 %
 * is well inside the correlations' own uncertainty (physics.md). */
#define MAP_REL_TOL 0.02

/* The temperature a rise is measured from: the coolant inlet of each
 * solved point (a result column, so a loop that sets its own inlet is
 * followed too). */
#define MAP_RISE_FROM "coolant_inlet_c"

/* Map point `index` as a weighted sum of anchor points (indices into the
 * anchor sweep): value = sum_k w[k] value(anchor[k]). With w_rise (may be
 * NULL), the weights of a temperature's rise over the same anchors:
 * T = T_in + sum_k w_rise[k] (T - T_in)(anchor[k]), T_in rebuilt with w.
 * Returns the number of terms (1 at an anchor itself, w = w_rise = 1). */
int Map_weights(const MapPlan *plan, const SweepParam *params, size_t index, size_t *anchor,
                double *w, double *w_rise);

/* Up to n distinct map points that are not solved (fewer when the map has
 * fewer), chosen at random from seed, increasing. Returns how many. */
int Map_checks(const MapPlan *plan, const SweepParam *params, int n, unsigned seed,
               size_t *points);

/* Map point index is an anchor (solved, exact). */
int Map_is_anchor(const MapPlan *plan, const SweepParam *params, size_t index);

#endif
