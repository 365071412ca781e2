/* out_sweep.h - what a sweep writes: sweep.csv (one row per point: the
 * swept values, status, and every registered single value of a run, units
 * in the header), sweep.h5 (the same table as typed columns, the swept
 * values as numeric columns, each point's wafer map), the console table and
 * a figure of the hottest junction and the limited quantities against the
 * swept value (out_sweep.c, sweep_png). The columns are the
 * registry's: a module's new output is a new column. */
#ifndef EBSIM_OUT_SWEEP_H
#define EBSIM_OUT_SWEEP_H

#include <stdio.h>

#include "../solver/studies/map.h"
#include "../solver/studies/sweep.h"
#include "output.h"

typedef struct SweepWriter SweepWriter;

/* The folder of a sweep's saved points, inside its directory. */
#define SWEEP_POINTS_DIR ".sweep-points"
/* The longest identity SweepWriter_begin keeps. */
#define SWEEP_ID_MAX 16384

/* A writer for dir (created; nothing is written there until
 * SweepWriter_begin or _finish). units: the unit of each swept key ("" for
 * words), n_params entries. */
int SweepWriter_create(const char *dir, const Registry *reg, const SweepParam *params,
                       const char *const *units, int n_params, size_t n_points, SweepWriter **out,
                       char *err, size_t err_size);
/* The same for a design map's table: the map's own columns too
 * (map_point_solved, map_error_estimate_k). */
int SweepWriter_create_map(const char *dir, const Registry *reg, const SweepParam *params,
                           const char *const *units, int n_params, size_t n_points,
                           SweepWriter **out, char *err, size_t err_size);
/* One point into the table in memory and the console table (to `table`,
 * NULL for none). r and g are NULL for a failed point (status != EB_OK,
 * message in why). */
int SweepWriter_add(SweepWriter *w, size_t index, const int *idx, int status, const char *why,
                    const Result *r, const Grid *g, FILE *table, char *err, size_t err_size);

/* Saved points. Each finished point is saved whole in dir/.sweep-points/
 * (SweepWriter_save, by whichever process solved it) and collected by the
 * sweep's own process (SweepWriter_load), so that a killed sweep loses
 * only the points being solved and a rerun with --resume continues from
 * the others. The folder goes when the sweep's files are in place.
 *
 * Start the folder. identity: text naming the sweep's inputs (version,
 * case, swept values). resume: keep the points saved by an unfinished
 * sweep of the same identity (*kept of them; a different identity is
 * EB_EINPUT saying what differs); otherwise any saved points are
 * discarded (*discarded of them). */
int SweepWriter_begin(SweepWriter *w, const char *identity, int resume, size_t *kept,
                      size_t *discarded, char *err, size_t err_size);
/* Point index is saved already. */
int SweepWriter_is_saved(const SweepWriter *w, size_t index);
/* For a worker: non-zero if this process is to solve point index (not
 * saved, not claimed by another worker; the claim is taken here). */
int SweepWriter_claim(const SweepWriter *w, size_t index);
/* Save a finished point (failed: r and g NULL, reason in why). */
int SweepWriter_save(SweepWriter *w, size_t index, int status, const char *why, const Result *r,
                     const Grid *g, char *err, size_t err_size);
/* Read saved point index into the table (its row to `table`, NULL for none). */
int SweepWriter_load(SweepWriter *w, size_t index, FILE *table, char *err, size_t err_size);
/* Points saved so far (progress of the workers). */
size_t SweepWriter_saved_count(const SweepWriter *w);

/* The table in memory, for a design map built from sweeps (out_map.c):
 * its columns (registry entries), each point's status (-1: not run),
 * reason, numbers (output units; NaN: none) and texts (NULL: none). */
int SweepWriter_n_columns(const SweepWriter *w);
const ResultEntry *SweepWriter_column(const SweepWriter *w, int k);
int SweepWriter_status(const SweepWriter *w, size_t index);
const char *SweepWriter_why(const SweepWriter *w, size_t index);
double SweepWriter_number(const SweepWriter *w, size_t index, int k);
const char *SweepWriter_text(const SweepWriter *w, size_t index, int k);
/* Point index's row set from values (n_columns numbers and texts, either
 * may hold NaN / NULL), printed to `table` (NULL: not). */
void SweepWriter_set_row(SweepWriter *w, size_t index, int status, const char *why,
                         const double *num, const char *const *txt, FILE *table);

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

/* Write sweep.csv and sweep.h5 whole and rename them into place, draw
 * sweep.png/.pdf/.svg (unless figures is FIGURES_NONE), then remove the
 * saved points. */
int SweepWriter_finish(SweepWriter *w, FigureFormat figures, char *err, size_t err_size);
void SweepWriter_destroy(SweepWriter *w);

/* ---- design maps (out_map.c) ----
 * an: the sweep of the map's anchors (Map_anchor_params), ck: the sweep of
 * its check points (checks[k] is check k's map point). */
/* The largest temperature difference, rebuilt against solved, over the
 * check points (worst: which, for the report). */
double Output_map_check_error(const MapPlan *plan, const SweepParam *params,
                              const SweepWriter *an, const SweepWriter *ck, const size_t *checks,
                              int n_checks, char *worst, size_t worst_size);
/* The largest miss at the checks of every other rebuilt column of an (not
 * a temperature) over its largest magnitude at the anchors, into rel[k]
 * (NaN for the columns this does not apply to; infinite where one side has
 * no value). */
void Output_map_column_errors(const MapPlan *plan, const SweepParam *params,
                              const SweepWriter *an, const SweepWriter *ck, const size_t *checks,
                              int n_checks, double *rel);
/* The map's rows into m (SweepWriter_create_map of the map's parameters):
 * solved points copied, the rest rebuilt with error_k as their estimated
 * error and the case's limits judged on them; rows to `table` (NULL: not).
 * col_error (NULL: all rebuilt): Output_map_column_errors' rel; a column
 * whose MAP_ERROR_SAFETY x rel is above MAP_REL_TOL is left empty. */
void Output_map_fill(SweepWriter *m, const MapPlan *plan, const SweepParam *params,
                     const SweepWriter *an, const SweepWriter *ck, const size_t *checks,
                     int n_checks, double error_k, const double *col_error, const Case *c,
                     FILE *table);

#endif
