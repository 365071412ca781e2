/* model.h - the steady model of the whole engine block for one case: the
 * thermal solve with its coolant, the loop around it, the limits; one
 * result with a part per module, reported through the result registry.
 *
 * A Model keeps its grid and solvers between solves: a study changes
 * values of the case in memory (Case_set) and solves again; the grid and
 * the multigrid hierarchy are rebuilt only when the grid's inputs change,
 * and each solve starts from the last answers. */
#ifndef EBSIM_MODEL_H
#define EBSIM_MODEL_H

#include <stddef.h>

#include "../cases/case.h"
#include "../geometry/grid.h"
#include "coolant/loop.h"
#include "core/limits.h"
#include "core/registry.h"
#include "mechanics/mechanics.h"
#include "power/power.h"
#include "thermal/thermal.h"

#define MODEL_MAX_WARNINGS 8
#define MODEL_WARNING_LEN 240

/* What the run was: the case, what the user must know, and, when it is the
 * answer of a limit search, what was searched. */
typedef struct {
  char case_name[CASE_NAME_LEN];
  int n_warnings;
  char warnings[MODEL_MAX_WARNINGS][MODEL_WARNING_LEN];
  int search;               /* 1: this run is a limit search's answer */
  char search_key[128];     /* the case key searched */
  char search_direction[8]; /* "max" or "min" */
  char search_unit[16];     /* the key's unit */
  double search_value;      /* the answer, in the key's unit */
  double search_breaks_at;  /* nearest value known to break a limit (NaN: none found) */
  char binding_limit[64];   /* the limit that breaks first beyond the answer ("" if none) */
  int search_solves;
  int map;                  /* 1: a design map's point (ebsim map) */
  int map_solved;           /* solved, not rebuilt from solved points */
  double map_error_k;       /* the rebuilt points' measured error (0 where solved) */
} RunInfo;

typedef struct {
  RunInfo run;
  ThermalResult thermal;
  LoopResult coolant;
  int has_power;         /* the case has a power path or an electrical die model */
  PowerResult power;
  int has_mechanics;     /* the case has a mechanics section */
  MechanicsResult mechanics;
  LimitsResult limits;
} ModelResult;

typedef struct {
  int verbose;           /* progress lines (iterations) to progress_stream */
  void *progress_stream; /* FILE*, NULL = stderr */
  /* mechanics against another state (a strain range): its 3D temperatures
   * on this case's grid (K), and what it is; NULL: the stress-free state */
  const double *mech_ref_t_k;
  const char *mech_ref_label;
  size_t mech_ref_cells; /* cells of the reference run's grid, checked against this one;
                            mech_ref_t_k holds this rank's rows (Runtime_field_comm) */
  /* 1: the model solves no more (a single run): the thermal operator, its
   * multigrid hierarchy and warm-start history (most of a run's memory) are
   * freed once the thermal answer is in, before the mechanics and the
   * output; the grid stays. A later solve builds them again. */
  int last_solve;
  /* nested start (model.c): a cold solve starts from the case on a grid of
   * twice the cell while that grid keeps at least this many cells; 0: the
   * default (MODEL_NESTED_MIN_CELLS), negative: never */
  long nested_min_cells;
} ModelOptions;

typedef struct Model Model;

int Model_create(Model **out, char *err, size_t err_size);
void Model_destroy(Model *m);
/* Solve case c (which must stay valid until the call returns). On EB_OK r
 * holds the result (ModelResult_free). EB_EINPUT for a case that cannot be
 * modelled (a grid too large for this machine, ...), EB_EFAIL when the
 * solve fails; the message names the physical cause when there is one. */
int Model_solve(Model *m, const Case *c, const ModelOptions *o, ModelResult *r, char *err,
                size_t err_size);
/* The grid of the last solve (NULL before one). */
const Grid *Model_grid(const Model *m);
/* Solve once with a fresh model (tests, single runs). */
int Model_solve_once(const Case *c, const ModelOptions *o, ModelResult *r, char *err,
                     size_t err_size);

void ModelResult_free(ModelResult *r);
/* The registry view of a result. */
void ModelResult_view(const ModelResult *r, Result *view);

/* What a case's grid will cost before anything is allocated: cells,
 * estimated peak memory of a run (all ranks of this job on this machine)
 * and wall time on the 2-core reference machine, and the memory available. */
typedef struct {
  int nx, ny, nz;
  double cells;
  double bytes;           /* estimated peak resident memory of the run */
  double seconds;         /* estimated wall time of one run */
  double available;       /* memory this process may use (NaN: unknown) */
  const char *available_from; /* which bound gave it */
} ModelEstimate;
int Model_estimate(const Case *c, ModelEstimate *e, char *err, size_t err_size);
/* EB_OK when the case's grid fits in the memory available; else EB_EINPUT
 * with a message naming the smallest grid.dx_mm that fits. */
int Model_check_fits(const Case *c, char *err, size_t err_size);

/* Every module's outputs. */
const Registry *Model_registry(void);

#endif
