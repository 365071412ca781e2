/* out_all.c - everything a run writes, each file through a temporary name. */
#include <stdio.h>

#include "output.h"
#include "output_internal.h"

int Output_write_all(const Case *c, const Grid *g, const ThermalResult *r,
                     const LimitCheck *limits, int n_limits, const OutputOptions *opt, char *err,
                     size_t err_size) {
  int rc = Output_mkdir_p(opt->dir, err, err_size);
  if (rc != EB_OK) return rc;
  char path[1100];
  out_path(path, sizeof path, opt->dir, "result.h5", 1);
  rc = Output_write_h5(c, g, r, limits, n_limits, opt, path, err, err_size);
  if (rc == EB_OK) rc = out_commit(opt->dir, "result.h5", err, err_size);
  if (rc != EB_OK) return rc;
  out_path(path, sizeof path, opt->dir, "result.xdmf", 1);
  rc = Output_write_xdmf(g, "result.h5", path, err, err_size);
  if (rc == EB_OK) rc = out_commit(opt->dir, "result.xdmf", err, err_size);
  if (rc != EB_OK) return rc;
  out_path(path, sizeof path, opt->dir, "summary.json", 1);
  rc = Output_write_summary_json(c, r, limits, n_limits, path, err, err_size);
  if (rc == EB_OK) rc = out_commit(opt->dir, "summary.json", err, err_size);
  if (rc != EB_OK) return rc;
  if (opt->figures) rc = Output_write_figures(c, g, r, opt->dir, err, err_size);
  return rc;
}
