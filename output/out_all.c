/* out_all.c - everything a run writes, each file through a temporary name.
 * The PNG figures (PLplot/cairo, about half a second at 3 M cells) are drawn
 * on a second thread while this one writes HDF5, XDMF and JSON: PLplot is
 * used by that thread alone and HDF5 by this one, and both only read the
 * result. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

typedef struct {
  const Case *c;
  const Grid *g;
  const Registry *reg;
  const Result *r;
  const char *dir;
  FigureFormat fmt;
  int rc;
  char err[EB_ERRLEN];
} FigureJob;

static void *figure_thread(void *arg) {
  FigureJob *job = arg;
  job->rc = Output_write_figures(job->c, job->g, job->reg, job->r, job->dir, job->fmt, job->err,
                                 sizeof job->err);
  if (job->rc == EB_OK)
    job->rc = Output_write_loop_figures(job->c, job->reg, job->r, job->dir, job->fmt, job->err,
                                        sizeof job->err);
  if (job->rc == EB_OK)
    job->rc = Output_write_power_figures(job->c, job->g, job->reg, job->r, job->dir, job->fmt,
                                         job->err, sizeof job->err);
  if (job->rc == EB_OK)
    job->rc = Output_write_mechanics_figures(job->c, job->g, job->reg, job->r, job->dir, job->fmt,
                                             job->err, sizeof job->err);
  return NULL;
}

static int write_data_files(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                            const OutputOptions *opt, char *err, size_t err_size) {
  char path[1100];
  out_path(path, sizeof path, opt->dir, "result.h5", 1);
  /* under MPI the ranks have written it together (Output_write_h5_rows) */
  int rc = opt->h5_rows == OUTPUT_H5_ROWS_DONE ? EB_OK
                                                : Output_write_h5(c, g, reg, r, opt, path, err, err_size);
  if (rc == EB_OK) rc = out_commit(opt->dir, "result.h5", err, err_size);
  if (rc != EB_OK) return rc;
  out_path(path, sizeof path, opt->dir, "result.xdmf", 1);
  rc = Output_write_xdmf(g, reg, r, "result.h5", path, err, err_size);
  if (rc == EB_OK) rc = out_commit(opt->dir, "result.xdmf", err, err_size);
  if (rc != EB_OK) return rc;
  out_path(path, sizeof path, opt->dir, "summary.json", 1);
  rc = Output_write_summary_json(reg, r, opt->version, path, err, err_size);
  if (rc == EB_OK) rc = out_commit(opt->dir, "summary.json", err, err_size);
  if (rc != EB_OK) return rc;
  out_path(path, sizeof path, opt->dir, "dies.csv", 1);
  rc = Output_write_table_csv(reg, r, "dies", path, err, err_size);
  if (rc == EB_OK) rc = out_commit(opt->dir, "dies.csv", err, err_size);
  return rc;
}

static int Output_write_all_files(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                     const OutputOptions *opt, char *err, size_t err_size) {
  int rc = Output_mkdir_p(opt->dir, err, err_size);
  if (rc != EB_OK) return rc;
  FigureJob job = {.c = c, .g = g, .reg = reg, .r = r, .dir = opt->dir, .fmt = opt->figures,
                   .rc = EB_OK};
  pthread_t th;
  int threaded = opt->figures && pthread_create(&th, NULL, figure_thread, &job) == 0;
  if (opt->figures && !threaded) figure_thread(&job); /* no thread: draw here */
  rc = write_data_files(c, g, reg, r, opt, err, err_size);
  if (threaded) pthread_join(th, NULL);
  if (rc == EB_OK && job.rc != EB_OK) {
    snprintf(err, err_size, "%s", job.err);
    rc = job.rc;
  }
  return rc;
}

int Output_write_all(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                     const OutputOptions *opt, char *err, size_t err_size) {
  int rc = Output_write_all_files(c, g, reg, r, opt, err, err_size);
  return rc == EB_OK ? Output_set_finish(opt->dir, OUTPUT_SET_NEW, err, err_size) : rc;
}
