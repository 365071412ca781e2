/* area_means.h - the area means of a solved block's junction and coolant
 * over the wafer's columns, for the tests that hold ebsim to a 1-D stack
 * (with constant k and h the area means obey the 1-D equations exactly:
 * lateral conduction integrates to zero between adiabatic sides). */
#ifndef EBSIM_TESTS_AREA_MEANS_H
#define EBSIM_TESTS_AREA_MEANS_H

#include <criterion/criterion.h>

#include "cases/case.h"
#include "geometry/grid.h"
#include "solver/model.h"

static inline void area_means(const Case *c, const ModelResult *r, double *tj, double *tf) {
  char err[EB_ERRLEN];
  Grid *g = NULL;
  cr_assert_eq(Grid_create(c, &g, err, sizeof err), EB_OK, "%s", err);
  double a = 0.0, sj = 0.0, sf = 0.0;
  for (int j = 0; j < g->ny; j++)
    for (int i = 0; i < g->nx; i++) {
      double w = Grid_dx(g, i) * Grid_dy(g, j);
      sj += w * r->thermal.t_wafer_k[(size_t)j * g->nx + i];
      sf += w * r->thermal.t_fluid_k[(size_t)j * g->nx + i];
      a += w;
    }
  *tj = sj / a;
  *tf = sf / a;
  Grid_destroy(g);
}

#endif
