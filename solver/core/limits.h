/* limits.h - the case's limits checked against a result.
 *
 * Each limit is a case key under `limits:` that bounds one registered
 * quantity from above (junction_max_c bounds t_max_c) or, for a *_min_*
 * key, from below (die_voltage_min_v); the value is read
 * through the result registry, so a limit says exactly which quantity it
 * checks, in that quantity's unit. */
#ifndef EBSIM_LIMITS_H
#define EBSIM_LIMITS_H

#include <stddef.h>

#include "../../cases/case.h"
#include "registry.h"

#define LIMITS_MAX 16
#define LIMITS_BROKEN_LEN 256

typedef struct {
  const char *name;     /* case key under limits:, e.g. "junction_max_c" */
  const char *quantity; /* registered quantity it bounds, e.g. "t_max_c" */
  const char *unit;     /* the quantity's output unit */
  double value;         /* the quantity in this result */
  double limit;         /* the case's limit, same unit */
  double margin;        /* limit - value (value - limit for a lower bound): >= 0 holds */
  int lower;            /* 1: a lower bound */
  int ok;
} LimitCheck;

typedef struct {
  int n;
  LimitCheck checks[LIMITS_MAX];
  int all_ok;                       /* 1 when every check holds (also with none set) */
  char broken[LIMITS_BROKEN_LEN];   /* names of the broken limits, comma separated */
  int any;                          /* 1 when the case sets a limit */
  char nearest[64];                 /* the limit with the smallest relative margin */
  double nearest_margin;            /* its margin / |limit| (< 0: broken) */
} LimitsResult;

/* A limit the case schema knows: key, the quantity it bounds, and what it
 * means, for the docs. */
typedef struct {
  const char *name, *quantity, *meaning;
  int lower; /* 1: the quantity must not fall below the limit */
} LimitInfo;
int Limits_count(void);
const LimitInfo *Limits_info(int i);

/* Every limit the case sets, against the result r (quantities looked up
 * in reg). EB_EINPUT when a limit bounds a quantity this result does not
 * have (a power limit without a power path); EB_EFAIL when its quantity
 * is not registered (a programming error, said plainly). */
int Limits_evaluate(const Case *c, const Registry *reg, const Result *r, LimitsResult *out,
                    char *err, size_t err_size);

/* Smallest relative margin min_i margin_i / |limit_i| (a limit of 0 is
 * taken as 1 in its unit): >= 0 when every limit holds; its zero is where
 * the first limit binds. *binding gets that limit's index (-1 with no
 * limits). */
double Limits_margin(const LimitsResult *l, int *binding);

/* The registry table of the limits' summary (part RESULT_LIMITS). */
extern const ResultTable Limits_outputs;

#endif
