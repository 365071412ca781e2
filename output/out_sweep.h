/* out_sweep.h - what a sweep writes: sweep.csv (one row per point: the
 * swept values, status, and every registered single value of a run, units
 * in the header), sweep.h5 (the same table as typed columns, the swept
 * values as numeric columns, each point's wafer map), the console table and
 * a figure of four metrics against the swept value. The columns are the
 * registry's: a module's new output is a new column. */
#ifndef EBSIM_OUT_SWEEP_H
#define EBSIM_OUT_SWEEP_H

#include <stdio.h>

#include "../solver/studies/sweep.h"
#include "output.h"

typedef struct SweepWriter SweepWriter;

/* Opens dir/sweep.csv.tmp and dir/sweep.h5.tmp (dir created). units: the
 * unit of each swept key ("" for words), n_params entries. */
int SweepWriter_create(const char *dir, const Registry *reg, const SweepParam *params,
                       const char *const *units, int n_params, size_t n_points, SweepWriter **out,
                       char *err, size_t err_size);
/* One point: a row in both files and in the console table (to `table`,
 * NULL for none). r and g are NULL for a failed point (status != EB_OK,
 * message in why). */
int SweepWriter_add(SweepWriter *w, size_t index, const int *idx, int status, const char *why,
                    const Result *r, const Grid *g, FILE *table, char *err, size_t err_size);
/* Merge the files of worker part directories (each written by a
 * SweepWriter of the same sweep that ran only its own points) into w, in
 * point order; console rows to `table` (NULL for none). */
int SweepWriter_merge(SweepWriter *w, const char *const *part_dirs, int n_parts, FILE *table,
                      char *err, size_t err_size);

/* Rows the workers of part_dirs have written so far (progress). */
size_t SweepWriter_rows_written(const char *const *part_dirs, int n_parts);
/* Remove the part directories' files (merged or not) and the directories. */
void SweepWriter_remove_parts(const char *const *part_dirs, int n_parts);

/* Points of the whole sweep. */
size_t SweepWriter_points(const SweepWriter *w);
/* Points that failed so far (merged or added). */
int SweepWriter_failed(const SweepWriter *w);

/* The case's limits, drawn as lines on the figure's metrics they bound. */
void SweepWriter_limit_lines(SweepWriter *w, const Case *c);

/* A sweep of one key, in its order: the first limit to break and between
 * which values (or where no steady state exists), or the nearest limit at
 * the last value when none breaks. Nothing for sweeps of several keys. */
void SweepWriter_first_break(const SweepWriter *w, FILE *f);

/* Close, rename the files into place, draw sweep.png/.pdf/.svg (unless
 * figures is FIGURES_NONE). */
int SweepWriter_finish(SweepWriter *w, FigureFormat figures, char *err, size_t err_size);
void SweepWriter_destroy(SweepWriter *w);

#endif
