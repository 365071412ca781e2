/* out_transient.c - what a transient run writes: the registry-driven files
 * (result.h5, summary.json, series tables) of the scenario and its final
 * state, and the snapshots as a temporal collection ParaView plays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/scenario.h"

#include "output.h"
#include "output_internal.h"

void Output_snapshot_file(int index, char *buf, size_t size) {
  snprintf(buf, size, "snapshots/snapshot_%03d.h5", index);
}

int Output_write_snapshot(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                          const OutputOptions *opt, int index, char *err, size_t es) {
  char sub[1100], name[64], path[1100];
  Output_snapshot_file(index, name, sizeof name);
  if (opt->h5_rows == OUTPUT_H5_ROWS_DONE) return out_commit(opt->dir, name, err, es);
  snprintf(sub, sizeof sub, "%s/snapshots", opt->dir);
  int rc = Output_mkdir_p(sub, err, es);
  if (rc != EB_OK) return rc;
  if (opt->h5_rows == OUTPUT_H5_ROWS_LATER)
    return Output_write_h5_start(c, g, reg, r, opt, name, err, es);
  out_path(path, sizeof path, opt->dir, name, 1);
  rc = Output_write_h5(c, g, reg, r, opt, path, err, es);
  if (rc == EB_OK) rc = out_commit(opt->dir, name, err, es);
  return rc;
}

/* One file through its temporary name. */
typedef int (*Writer)(const char *path, void *ctx, char *err, size_t es);

static int through_tmp(const char *dir, const char *name, Writer w, void *ctx, char *err,
                       size_t es) {
  char path[1100];
  out_path(path, sizeof path, dir, name, 1);
  int rc = w(path, ctx, err, es);
  if (rc == EB_OK) rc = out_commit(dir, name, err, es);
  return rc;
}

typedef struct {
  const Case *c;
  const Grid *g;
  const Registry *reg;
  const Result *r;
  const OutputOptions *opt;
  const char *group;
  int n;
  const double *t;
} Ctx;

static int w_h5(const char *path, void *v, char *err, size_t es) {
  Ctx *x = v;
  /* under MPI the ranks have written it together (Output_write_h5_rows) */
  if (x->opt->h5_rows == OUTPUT_H5_ROWS_DONE) return EB_OK;
  return Output_write_h5(x->c, x->g, x->reg, x->r, x->opt, path, err, es);
}
static int w_xdmf(const char *path, void *v, char *err, size_t es) {
  Ctx *x = v;
  return Output_write_xdmf(x->g, x->reg, x->r, "result.h5", path, err, es);
}
static int w_json(const char *path, void *v, char *err, size_t es) {
  Ctx *x = v;
  return Output_write_summary_json(x->reg, x->r, x->opt->version, path, err, es);
}
static int w_csv(const char *path, void *v, char *err, size_t es) {
  Ctx *x = v;
  return Output_write_table_csv(x->reg, x->r, x->group, path, err, es);
}
static int w_series(const char *path, void *v, char *err, size_t es) {
  Ctx *x = v;
  char names[CASE_MAX_SNAPSHOTS][64];
  const char *ptr[CASE_MAX_SNAPSHOTS];
  const int n = x->n < CASE_MAX_SNAPSHOTS ? x->n : CASE_MAX_SNAPSHOTS;
  for (int i = 0; i < n; i++) {
    Output_snapshot_file(i, names[i], sizeof names[i]);
    ptr[i] = names[i];
  }
  return Output_write_xdmf_series(x->g, x->reg, x->r, n, x->t, ptr, path, err, es);
}

static int Output_write_transient_files(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                           const OutputOptions *opt, int n_snapshots, const double *snapshot_t_s,
                           char *err, size_t es) {
  int rc = Output_mkdir_p(opt->dir, err, es);
  if (rc != EB_OK) return rc;
  Ctx x = {.c = c, .g = g, .reg = reg, .r = r, .opt = opt, .n = n_snapshots, .t = snapshot_t_s};
  rc = through_tmp(opt->dir, "result.h5", w_h5, &x, err, es);
  if (rc == EB_OK) rc = through_tmp(opt->dir, "result.xdmf", w_xdmf, &x, err, es);
  if (rc == EB_OK && n_snapshots > 0)
    rc = through_tmp(opt->dir, "snapshots.xdmf", w_series, &x, err, es);
  if (rc == EB_OK) rc = through_tmp(opt->dir, "summary.json", w_json, &x, err, es);
  x.group = "series";
  if (rc == EB_OK) rc = through_tmp(opt->dir, "series.csv", w_csv, &x, err, es);
  x.group = "die_series";
  if (rc == EB_OK) rc = through_tmp(opt->dir, "die_series.csv", w_csv, &x, err, es);
  if (rc == EB_OK && opt->figures) {
    rc = Output_write_transient_figures(c, reg, r, opt->dir, opt->figures, err, es);
    /* the wafer maps are the final state's: their titles say so */
    const ScenarioResult *sr = r->part[RESULT_TRANSIENT];
    Case *named = malloc(sizeof *named);
    if (rc == EB_OK && !named) {
      snprintf(err, es, "out of memory for the figures");
      rc = EB_EFAIL;
    }
    if (rc == EB_OK) {
      *named = *c;
      char title[256];
      if (sr) {
        snprintf(title, sizeof title, "%s, %s at %.4g s", c->name, sr->scenario, sr->until_s);
        snprintf(named->name, sizeof named->name, "%.*s", (int)sizeof named->name - 1, title);
      }
      rc = Output_write_figures(named, g, reg, r, opt->dir, opt->figures, err, es);
    }
    free(named);
  }
  return rc;
}

int Output_write_transient(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                           const OutputOptions *opt, int n_snapshots, const double *snapshot_t_s,
                           char *err, size_t es) {
  int rc = Output_write_transient_files(c, g, reg, r, opt, n_snapshots, snapshot_t_s, err, es);
  return rc == EB_OK ? Output_set_finish(opt->dir, OUTPUT_SET_NEW, err, es) : rc;
}
