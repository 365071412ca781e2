/* out_values.c - registered quantities by name, in their output units, for
 * the figures. */
#include <math.h>
#include <stdlib.h>

#include "output_internal.h"

double out_value(const Registry *reg, const Result *r, const char *name) {
  return Result_get(reg, r, name);
}

double *out_values(const Registry *reg, const Result *r, const char *name, size_t ncol, int *n) {
  *n = 0;
  const ResultEntry *e = Registry_find(reg, name);
  if (!e || !Result_has(r, e)) return NULL;
  if (e->kind == RES_MAP) {
    const double *a = Result_array(r, e);
    double *v = malloc((ncol ? ncol : 1) * sizeof *v);
    for (size_t q = 0; v && q < ncol; q++) v[q] = Result_to_output(e, a[q]);
    if (v) *n = (int)ncol;
    return v;
  }
  if (e->kind != RES_COLUMN) return NULL;
  int rows = Result_rows(r, e);
  double *v = malloc(((size_t)rows + 1) * sizeof *v);
  for (int i = 0; v && i < rows; i++) v[i] = Result_cell(r, e, i);
  if (v) *n = rows;
  return v;
}
