/* out_tables.c - a registry table group as CSV (dies.csv): every column
 * of the group the result has, in registration order. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

int Output_write_table_csv(const Registry *reg, const Result *r, const char *group,
                           const char *path, char *err, size_t err_size) {
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
    return EB_EINPUT;
  }
  int rows = -1, n = 0;
  for (int i = 0; i < Registry_size(reg); i++) {
    const ResultEntry *e = Registry_at(reg, i);
    if (e->kind != RES_COLUMN || strcmp(e->group, group) || !Result_has(r, e)) continue;
    const int k = Result_rows(r, e);
    if (rows >= 0 && k != rows) {
      fclose(f);
      remove(path);
      snprintf(err, err_size, "%s.csv: column %s has %d rows where the others have %d (a "
               "registry error)", group, e->name, k, rows);
      return EB_EFAIL;
    }
    rows = k;
    const char *u = Result_unit(r, e);
    fprintf(f, "%s%s", n++ ? "," : "", e->name);
    if (strcmp(u, "1")) fprintf(f, " (%s)", u);
  }
  fprintf(f, "\n");
  for (int row = 0; row < rows; row++) {
    int first = 1;
    for (int i = 0; i < Registry_size(reg); i++) {
      const ResultEntry *e = Registry_at(reg, i);
      if (e->kind != RES_COLUMN || strcmp(e->group, group) || !Result_has(r, e)) continue;
      const double v = Result_cell(r, e, row);
      if (!first) fputc(',', f);
      first = 0;
      if (e->is_int)
        fprintf(f, "%.0f", v);
      else if (isfinite(v))
        fprintf(f, "%.10g", v);
      else
        fprintf(f, "nan");
    }
    fprintf(f, "\n");
  }
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) {
    snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
    return EB_EFAIL;
  }
  return EB_OK;
}
