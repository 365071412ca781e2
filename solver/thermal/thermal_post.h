/* thermal_post.h - post-processing of a solved thermal state. Internal to
 * solver/thermal. */
#ifndef EBSIM_THERMAL_POST_H
#define EBSIM_THERMAL_POST_H

#include <stddef.h>

#include "thermal.h"
#include "thermal_problem.h"

/* The converged state of a solve: fields (owned; the result takes them)
 * and the coolant's totals. */
typedef struct {
  double *t;              /* 3D solid temperature */
  double *tf;             /* coolant cell temperatures (nx*ny) */
  CoolantMarch march;     /* outlet, hottest coolant, heat taken up */
} ThermalState;

/* Fill r from the state: the fields move into r (s->t, s->tf become NULL),
 * the maps, die table and summary are computed. The solver statistics of r
 * are the caller's. */
int Thermal_post(const ThermalProblem *p, ThermalState *s, ThermalResult *r, char *err,
                 size_t err_size);

#endif
