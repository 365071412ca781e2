/* limit_search.h - the largest (or smallest) value of one case key for
 * which every limit of the case holds: geometric bracketing from the case's
 * own value, then Brent's method on the smallest relative limit margin.
 * Values are set in memory (Case_set); one Model serves every solve; the
 * run at the answer is kept from the search, so it is solved once. */
#ifndef EBSIM_LIMIT_SEARCH_H
#define EBSIM_LIMIT_SEARCH_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../model.h"

typedef struct {
  const char *key; /* dotted case key, numeric */
  int maximize;    /* 1: largest feasible value, 0: smallest */
  double tol;      /* absolute tolerance on the value; <= 0: 1e-3 of the start value */
  int max_evals;   /* solves allowed (bracketing + Brent) */
  Model *model;    /* NULL: the search makes its own; else it solves on this one */
  /* where the search starts and its first step (a study that knows roughly
   * where the answer is: a neighbour's); has_start 0: the case's value and
   * 10 % of it (at least 1) */
  int has_start;
  double start, first_step;
} LimitSearchOptions;

typedef struct {
  double start;         /* the case's own value of the key */
  double value;         /* the answer: feasible, within tol of the boundary */
  double infeasible;    /* the nearest value known to break a limit (NAN if none found) */
  char binding[64];     /* limit that breaks first beyond value ("" when found is 0), or
                           "no steady state: ..." when beyond it none exists */
  char unit[16];        /* the key's unit */
  int evals;
  int found;            /* 0: no limit was reached inside the key's valid range */
  Case c;               /* the case at value */
  ModelResult r;        /* the run at value (have_result) */
  int have_result;
} LimitSearchResult;

/* Progress callback after each solve (value, smallest margin); may be NULL. */
typedef void (*LimitSearchProgress)(int eval, double value, double margin, void *user);

/* EB_OK; EB_ELIMIT with a message when no value in the key's valid range
 * keeps every limit; EB_EINPUT / EB_EFAIL for bad input or a solver
 * failure. On EB_OK with a result, release it with LimitSearchResult_free. */
int Limit_search(const Case *base, const LimitSearchOptions *o, const ModelOptions *mo,
                 LimitSearchProgress progress, void *user, LimitSearchResult *out, char *err,
                 size_t err_size);
void LimitSearchResult_free(LimitSearchResult *r);

/* The search's answer in the run's record (summary.json, result.h5). */
void Limit_search_annotate(const LimitSearchResult *s, const LimitSearchOptions *o, RunInfo *run);

#endif
