/* sweep.h - parameter sweeps: any case value by dotted path, lists or
 * inclusive ranges, cartesian products; one ThermalSolver reused while the
 * grid stays the same, each point warm-started from the previous one. */
#ifndef EBSIM_SWEEP_H
#define EBSIM_SWEEP_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"
#include "../core/limits.h"
#include "../thermal/thermal.h"

#define SWEEP_MAX_PARAMS 4
#define SWEEP_MAX_VALUES 256
#define SWEEP_VALUE_LEN 64

typedef struct {
  char key[128];
  int n;
  char values[SWEEP_MAX_VALUES][SWEEP_VALUE_LEN]; /* as --set text */
} SweepParam;

/* "KEY=v1,v2,..." or "KEY=START:STOP:STEP" (STOP included when it lies on
 * the step, within 1e-9 of a step). EB_EINPUT with a message if malformed. */
int Sweep_parse_param(const char *text, SweepParam *p, char *err, size_t err_size);

/* Number of points of the cartesian product (first parameter slowest). */
size_t Sweep_points(const SweepParam *params, int n_params);
/* Indices of point `index` into each parameter's values. */
void Sweep_point_indices(const SweepParam *params, int n_params, size_t index, int *idx);

/* One point's outcome. On failure status is EB_EINPUT/EB_EFAIL with the
 * message in err and the result empty. */
typedef struct {
  int status;
  char err[EB_ERRLEN];
  Case c;
  ThermalResult r;
  LimitCheck limits[LIMITS_MAX];
  int n_limits;
} SweepPoint;

/* Called after each point (for output and progress); return non-zero to stop. */
typedef int (*SweepCallback)(size_t index, size_t total, const int *idx, SweepPoint *pt,
                             const Grid *g, void *user);

/* Run every point: the case file with the base overrides, then each
 * parameter's value as a further override. A failing point is reported
 * through the callback and the sweep goes on. Returns EB_OK, or EB_EINPUT if
 * the base case itself is bad. */
int Sweep_run(const char *case_path, int n_sets, const char *const *sets,
              const SweepParam *params, int n_params, const ThermalOptions *opt, SweepCallback cb,
              void *user, char *err, size_t err_size);

/* The same for the points of one worker out of n_workers: point i belongs
 * to worker i % n_workers (each worker still warm-starts along its own
 * points). Sweep_run is worker 0 of 1. */
int Sweep_run_share(const char *case_path, int n_sets, const char *const *sets,
                    const SweepParam *params, int n_params, const ThermalOptions *opt,
                    int worker, int n_workers, SweepCallback cb, void *user, char *err,
                    size_t err_size);

#endif
