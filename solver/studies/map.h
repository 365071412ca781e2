/* map.h - design maps: a sweep's table over power x inlet (x any other
 * keys) from a few full solves.
 *
 * With constant properties the temperatures rise linearly with the power
 * and shift one for one with the inlet. k(T), the water's properties and
 * the power path's I^2 R bend that: the brick's rise grows about as P^1.5
 * over 20-38 kW on CS-3. So a temperature is rebuilt as the coolant inlet
 * plus its rise above it, and along the power the rise over the power,
 * (T - T_in)/P, is the polynomial: a quadratic through three solved powers
 * (exact for rises of P, P^2 and P^3), and along the inlet a line through
 * two (a tensor product). Measured on CS-3 at 0.5 mm cells, 60 L/min, 42 C
 * inlet over 20-38 kW (19 solves): the worst temperature misses by 0.038 K
 * this way, by 0.25 K as a plain quadratic in the power. Other quantities
 * (pressures, voltages) are plain polynomials in the power. Level 2 uses
 * five powers (a quadratic on each half) and three inlets. Every other key,
 * flow included, is solved at each of its values: in flow the temperatures
 * follow 1/flow but the pressure drop does not, and no single form holds
 * both. Random full solves at points that were not solved measure the
 * shortcut's error (ebsim map). */
#ifndef EBSIM_MAP_H
#define EBSIM_MAP_H

#include <stddef.h>

#include "sweep.h"

#define MAP_MAX_ANCHORS 5
#define MAP_MAX_TERMS 15 /* 5 powers x 3 inlets */

typedef enum { MAP_POWER = 0, MAP_INLET, MAP_SOLVED } MapAxisKind;

typedef struct {
  MapAxisKind kind;
  int n;                       /* the map's values on this axis */
  double x[SWEEP_MAX_VALUES];  /* their numbers (power and inlet axes) */
  int n_anchor;                /* the values solved (SOLVED: all of them) */
  int anchor[SWEEP_MAX_VALUES]; /* their indices, increasing */
} MapAxis;

typedef struct {
  int level; /* 1 or 2 */
  int n_axes;
  MapAxis axes[SWEEP_MAX_PARAMS];
} MapPlan;

/* The axis kind of a swept key: power.total_kw, coolant.inlet_c, else solved. */
MapAxisKind Map_axis_kind(const char *key);

/* The plan for the map's parameters (a cartesian product, no zips) at
 * level 1 or 2. EB_EINPUT when a power or inlet value is not a number. */
int Map_plan(const SweepParam *params, int n_params, int level, MapPlan *plan, char *err,
             size_t err_size);

/* The solves: the map's parameters restricted to each axis's anchors, in
 * the same order (a sweep of anchor points). */
void Map_anchor_params(const MapPlan *plan, const SweepParam *params, SweepParam *out);

/* The map's error estimate: this times the largest miss measured at the
 * random checks. Checks sample a few points; against full sweeps of every
 * point the worst rebuilt temperature missed by 1.56x the checks' largest
 * (CS-3, 500 points, 10 checks: 0.064 against 0.041 K) and 1.78x (CS-4 at
 * 2 mm cells, 231 points: 0.103 against 0.058 K). A level is accepted when
 * its estimate is within --max-error. */
#define MAP_ERROR_SAFETY 2.0

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
