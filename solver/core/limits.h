/* limits.h - the case's limits checked against a solved result. */
#ifndef EBSIM_LIMITS_H
#define EBSIM_LIMITS_H

#include "../../cases/case.h"
#include "../thermal/thermal.h"

#define LIMITS_MAX 8

typedef struct {
  const char *name; /* summary.json key, e.g. "junction_max_c" */
  const char *unit; /* engineering unit of value and limit, e.g. "C" */
  double value;     /* engineering units */
  double limit;
  int ok;
} LimitCheck;

/* Evaluate every limit the case sets; returns how many were written to out
 * (at most LIMITS_MAX). */
int Limits_evaluate(const Case *c, const ThermalResult *r, LimitCheck *out);

/* 1 if every check holds. */
int Limits_all_ok(const LimitCheck *checks, int n);

#endif
