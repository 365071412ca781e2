/* limit_search.h - the largest (or smallest) value of one case key for
 * which every limit of the case holds: geometric bracketing from the case's
 * own value, then Brent's method on the smallest relative limit margin. */
#ifndef EBSIM_LIMIT_SEARCH_H
#define EBSIM_LIMIT_SEARCH_H

#include <stddef.h>

#include "../core/limits.h"
#include "../thermal/thermal.h"

typedef struct {
  const char *key; /* dotted case key, numeric */
  int maximize;    /* 1: largest feasible value, 0: smallest */
  double tol;      /* absolute tolerance on the value; <= 0: 1e-3 of the start value */
  int max_evals;   /* solves allowed (bracketing + Brent) */
} LimitSearchOptions;

typedef struct {
  double value;         /* the answer: feasible, within tol of the boundary */
  double infeasible;    /* the nearest value known to break a limit (NAN if none found) */
  char binding[64];     /* limit that breaks first beyond value */
  int evals;
  int found;            /* 0: no limit was reached inside the search range */
  Case c;               /* the case at value */
  LimitCheck limits[LIMITS_MAX];
  int n_limits;
} LimitSearchResult;

/* Progress callback after each solve (value, smallest margin); may be NULL. */
typedef void (*LimitSearchProgress)(int eval, double value, double margin, void *user);

/* Returns EB_OK; EB_ELIMIT with a message when no value in the key's valid
 * range keeps every limit; EB_EINPUT / EB_EFAIL for bad input or a solver
 * failure. */
int Limit_search(const char *case_path, int n_sets, const char *const *sets,
                 const LimitSearchOptions *o, const ThermalOptions *topt,
                 LimitSearchProgress progress, void *user, LimitSearchResult *out, char *err,
                 size_t err_size);

/* Smallest relative margin min_i (limit_i - value_i) / max(|limit_i|, 1):
 * >= 0 when every limit holds; its zero is where the first limit binds. */
double Limits_margin(const LimitCheck *checks, int n, int *binding);

#endif
