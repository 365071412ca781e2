/* sweep.h - parameter sweeps: any case value by dotted path, lists or
 * inclusive ranges, cartesian products. Each point is the base case with
 * the swept values set in memory (Case_set: the checks of --set); one Model
 * serves every point, so the grid and the multigrid hierarchy are kept
 * while the grid's inputs do not change, and each point starts from the
 * previous answers. */
#ifndef EBSIM_SWEEP_H
#define EBSIM_SWEEP_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"
#include "../model.h"

#define SWEEP_MAX_PARAMS 4
#define SWEEP_MAX_VALUES 256
#define SWEEP_VALUE_LEN 64

typedef struct {
  char key[128];
  int n;
  char values[SWEEP_MAX_VALUES][SWEEP_VALUE_LEN]; /* as --set text */
  int zip; /* 1: advances with the parameter before it (the same n): listed
              points, not a product (a design map's check points) */
} SweepParam;

/* "KEY=v1,v2,..." or "KEY=START:STOP:STEP" (STOP included when it lies on
 * the step, within 1e-9 of a step). EB_EINPUT with a message if malformed. */
int Sweep_parse_param(const char *text, SweepParam *p, char *err, size_t err_size);

/* Number of points of the cartesian product (first parameter slowest;
 * zipped parameters ride on the one before them). */
size_t Sweep_points(const SweepParam *params, int n_params);
/* Indices of point `index` into each parameter's values. */
void Sweep_point_indices(const SweepParam *params, int n_params, size_t index, int *idx);

/* The point visited s-th (0 <= s < points): the product walked as a snake,
 * an axis reversed whenever the ones before it moved, so that consecutive
 * visits differ in one value by one step (a warm start from a neighbour;
 * the plain order jumps the last axis back to its first value). Listed
 * (zipped) points are visited in their order. */
size_t Sweep_visit(const SweepParam *params, int n_params, size_t s);

/* Every value of every parameter set on the base case, one at a time, with
 * the checks of --set: EB_EINPUT and that message for the first bad one,
 * before anything runs. units[i] gets the unit of each key ("" for words;
 * units may be NULL). */
int Sweep_validate(const Case *base, const SweepParam *params, int n_params, const char **units,
                   char *err, size_t err_size);

/* One point's outcome. On failure status is EB_EINPUT/EB_EFAIL with the
 * message in err and the result empty. */
typedef struct {
  int status;
  char err[EB_ERRLEN];
  Case c;
  ModelResult r;
} SweepPoint;

/* Called after each point (for output and progress); return non-zero to stop. */
typedef int (*SweepCallback)(size_t index, size_t total, const int *idx, SweepPoint *pt,
                             const Grid *g, void *user);

/* Asked before each point, in point order: 1 to run it here, 0 to skip
 * it, negative to stop the sweep (the rank group's leader could not save). A
 * sweep's worker process claims its points this way from the points not
 * yet done (solver/studies/pool.h), and a resumed sweep skips the points
 * already done. */
typedef int (*SweepClaim)(size_t index, void *user);
/* The points `claim` accepts (every point when claim is NULL), in visiting
 * order (Sweep_visit) from visit `first` on, wrapping round to 0; each
 * starts from the previous answer. Worker k of n starts at k * total / n: each walks its
 * own run of neighbours and extrapolates from answers one step away
 * (interleaved workers saw two steps, 8x the extrapolation error and a
 * second evaluation per point). A failing point is reported through the
 * callback and the sweep goes on. EB_OK, or EB_EFAIL when out of memory. */
int Sweep_run_claimed(const Case *base, const SweepParam *params, int n_params,
                      const ModelOptions *opt, size_t first, SweepClaim claim, void *claim_user,
                      SweepCallback cb, void *user, char *err, size_t err_size);
/* All points. */
int Sweep_run(const Case *base, const SweepParam *params, int n_params, const ModelOptions *opt,
              SweepCallback cb, void *user, char *err, size_t err_size);
#endif
