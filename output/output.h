/* output.h - everything a run writes: HDF5 + XDMF, summary.json, figures,
 * the console report, the output reference; and the reader of result.h5.
 * Reads results through the result registry; never solves.
 *
 * Files are written to "<name>.tmp" in the output directory and renamed
 * when complete, so a crash never leaves a half-written file.
 */
#ifndef EBSIM_OUTPUT_H
#define EBSIM_OUTPUT_H

#include <mpi.h>
#include <stdio.h>

#include "../cases/case.h"
#include "../geometry/grid.h"
#include "../solver/core/limits.h"
#include "../solver/core/registry.h"
#include "../solver/core/rows.h"

/* Figure files: PNG (raster, the default), PDF or SVG (vector, for reports),
 * all drawn by PLplot's cairo drivers; FIGURES_NONE writes none. */
typedef enum { FIGURES_NONE = 0, FIGURES_PNG, FIGURES_PDF, FIGURES_SVG } FigureFormat;

/* "png", "pdf", "svg" (the file extension), "none" for FIGURES_NONE. */
const char *Output_figure_ext(FigureFormat f);
/* "png" | "pdf" | "svg" | "none" -> *out; EB_EINPUT for anything else. */
int Output_figure_format(const char *word, FigureFormat *out);

typedef struct {
  const char *dir;          /* created (with parents) if missing */
  const char *case_text;    /* resolved case YAML (Case_dump), stored in HDF5 */
  const char *case_source;  /* the case file's own text, comments and [E] marks kept, stored
                               as /case/source_yaml for the report's assumptions (NULL: none) */
  const char *case_path;    /* the file's name as given, stored as /case/source_path */
  const char *version;      /* program version string */
  FigureFormat figures;     /* FIGURES_NONE: no figures */
  /* result.h5 under MPI (Output_write_h5_rows): OUTPUT_H5_ROWS_LATER makes
   * Output_write_h5 leave the fields and maps unwritten, their space
   * allocated; OUTPUT_H5_ROWS_DONE makes Output_write_all take the file the
   * ranks finished as it is. 0: one process writes everything. */
  int h5_rows;
} OutputOptions;
enum { OUTPUT_H5_ROWS_LATER = 1, OUTPUT_H5_ROWS_DONE = 2 };

/* result.h5, result.xdmf, summary.json, dies.csv and (unless opt->figures
 * is FIGURES_NONE) the figures wafer_temperature, heat_flux,
 * coolant_temperature, coolant_path and pump_curve, and with a power path
 * die_voltage, bricks and power_flow (.png, .pdf or .svg).
 * r is a result of the registry reg (its RESULT_LIMITS part a LimitsResult). */
int Output_write_all(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                     const OutputOptions *opt, char *err, size_t err_size);

int Output_write_h5(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                    const OutputOptions *opt, const char *path, char *err, size_t err_size);

/* result.h5 (or another file of that layout, name relative to DIR: a
 * transient's snapshots) written by the ranks of comm together (parallel
 * HDF5, MPI-IO):
 *  1. rank 0 alone: Output_write_h5_start writes DIR/NAME.tmp with
 *     every group, attribute, scalar, table and text (variable-length
 *     strings, which HDF5 1.10 cannot write in parallel), the 3D fields and
 *     2D maps created with their space allocated;
 *  2. every rank: Output_write_h5_rows opens it with MPI-IO and writes its
 *     own rows j of every field and map (rows split as the solver splits
 *     them), collectively: each 3D field of r holds this rank's rows only
 *     (as the steady solve leaves it, ThermalResult.t_rows), each map is
 *     whole;
 *  3. rank 0: Output_write_all with h5_rows = OUTPUT_H5_ROWS_DONE commits
 *     it and writes the other files.
 * The file is the same as one process writes, byte for byte in its data.
 * Output_write_h5_rows is collective over comm and every rank returns the
 * same status, with the first failing rank's message. */
int Output_write_h5_start(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                          const OutputOptions *opt, const char *name, char *err,
                          size_t err_size);
int Output_write_h5_rows(const Grid *g, const Registry *reg, const Result *r, const char *dir,
                         const char *name, MPI_Comm comm, char *err, size_t err_size);
int Output_write_xdmf(const Grid *g, const Registry *reg, const Result *r, const char *h5_name,
                      const char *path, char *err, size_t err_size);
/* A temporal collection for ParaView's animation: the volume mesh and the
 * 3D fields of r's kind at each time t_s[i], stored in h5_names[i]
 * (relative to path's directory). */
int Output_write_xdmf_series(const Grid *g, const Registry *reg, const Result *r, int n,
                             const double *t_s, const char *const *h5_names, const char *path,
                             char *err, size_t err_size);
/* A transient run (r with parts RESULT_RUN, RESULT_THERMAL: the final
 * state, RESULT_TRANSIENT): result.h5 (the series and the scenario's
 * summary beside the final state's fields), result.xdmf (the final state),
 * snapshots.xdmf (the snapshots as a temporal collection, if any),
 * summary.json, series.csv, die_series.csv and the figures: transient and
 * the final state's wafer maps. */
int Output_write_transient(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                           const OutputOptions *opt, int n_snapshots, const double *snapshot_t_s,
                           char *err, size_t err_size);
/* Snapshot `index` of a transient run (r: the state's thermal part) as
 * DIR/snapshots/snapshot_NNN.h5 (Output_snapshot_file: its name in DIR),
 * laid out like result.h5. Under MPI as result.h5 is: opt->h5_rows
 * OUTPUT_H5_ROWS_LATER starts the file (rank 0), the ranks write their
 * rows (Output_write_h5_rows), OUTPUT_H5_ROWS_DONE commits it (rank 0). */
int Output_write_snapshot(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                          const OutputOptions *opt, int index, char *err, size_t err_size);
void Output_snapshot_file(int index, char *buf, size_t size);
int Output_write_summary_json(const Registry *reg, const Result *r, const char *version,
                              const char *path, char *err, size_t err_size);
/* The wafer maps: wafer_temperature, heat_flux, coolant_temperature. */
int Output_write_figures(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                         const char *dir, FigureFormat fmt, char *err, size_t err_size);
/* coolant_path (coolant and hottest junction along the flow) and
 * pump_curve (loop and pump curves, operating points), in format fmt. */
int Output_write_loop_figures(const Case *c, const Registry *reg, const Result *r,
                              const char *dir, FigureFormat fmt, char *err, size_t err_size);

/* With a power path in r: die_voltage (the supply voltage map), bricks
 * (each brick's loss and hottest temperature) and power_flow (stage by
 * stage); nothing without one. */
int Output_write_power_figures(const Case *c, const Grid *g, const Registry *reg,
                               const Result *r, const char *dir, FigureFormat fmt, char *err,
                               size_t err_size);

/* With mechanics in r: connector_strain (the connector's shear strain map)
 * and edge_slip (slip and strain along the perimeter); nothing without. */
int Output_write_mechanics_figures(const Case *c, const Grid *g, const Registry *reg,
                                   const Result *r, const char *dir, FigureFormat fmt, char *err,
                                   size_t err_size);

/* With a transient scenario in r (part RESULT_TRANSIENT): transient (the
 * time series: hottest junction, coolant outlet, hottest coolant and brick
 * against time with their limits and the times they are first reached;
 * below it power, heat to the coolant and flow); nothing without one. */
int Output_write_transient_figures(const Case *c, const Registry *reg, const Result *r,
                                   const char *dir, FigureFormat fmt, char *err, size_t err_size);
/* A table of the registry as CSV: every column of group (e.g. "dies") the
 * result has, a header "name (unit)", one line per row. */
int Output_write_table_csv(const Registry *reg, const Result *r, const char *group,
                           const char *path, char *err, size_t err_size);

/* Read a run's result.h5 back (for `ebsim plot`): the resolved case stored
 * in it (parsed again into c), its grid (rebuilt; *g, release with
 * Grid_destroy) and every registered quantity the file holds except 3D
 * fields, into parts allocated here (release with Output_result_free).
 * EB_EINPUT with a message when the file is missing, not an ebsim result,
 * or its maps do not match the case's grid. */
/* One registered 3D field of the result file at path, on grid g's cells:
 * the rows `rows` of every plane (Rows_at; SI, into a new array *out to
 * free), so a rank reads its own rows alone. EB_OK, or EB_EINPUT when the
 * file lacks it or its shape differs from g's. */
int Output_read_field(const char *path, const Registry *reg, const char *name, const Grid *g,
                      GridRows rows, double **out, char *err, size_t err_size);
int Output_read_result(const char *path, Case *c, Grid **g, const Registry *reg, Result *r,
                       char *err, size_t err_size);
void Output_result_free(const Registry *reg, Result *r);

/* Short human report: hottest die, coolant, loop, energy balance, limits;
 * then every other reported quantity of the registry. */
void Output_report(FILE *f, const Case *c, const Registry *reg, const Result *r);

/* docs/output-reference.md: every output with its unit, kind and meaning,
 * where it is written, and the limits. */
int Output_reference_markdown(const Registry *reg, FILE *f);

/* mkdir -p; EB_OK or EB_EINPUT with a message. */
int Output_mkdir_p(const char *dir, char *err, size_t err_size);
/* mkdir -p, then prove the directory writable (a probe file written and
 * removed), before any solve: EB_EINPUT with a message saying what to do. */
int Output_prepare_dir(const char *dir, char *err, size_t err_size);

/* Dies whose per-die `column` (a registry column of the dies table) lies
 * within tol of its extreme (sign > 0: the largest, < 0: the smallest):
 * how many, and as text "(c,r)-(c,r), ..." ("" if it does not fit). */
int Output_die_ties(const Case *c, const Registry *reg, const Result *r, const char *column,
                    int sign, double tol, char *text, size_t size);

/* ---- output sets --------------------------------------------------------
 * A run's files form one set. The first file a command commits into a
 * directory removes its manifest.json; the writer that finishes the set
 * writes manifest.json last, naming every file of the set with its size.
 * A directory without a manifest is incomplete (its run was stopped or
 * failed), and a file whose size differs from its manifest's came from
 * another run: the readers (plot, diff) refuse both. */
#define OUTPUT_MANIFEST "manifest.json"
typedef enum {
  OUTPUT_SET_NEW, /* a new run's set: the previous set's files not rewritten are removed */
  OUTPUT_SET_ADD  /* files added to the set there (plot redrawing into its run) */
} OutputSetMode;
/* Write dir's manifest for the files committed since the set opened. */
int Output_set_finish(const char *dir, OutputSetMode mode, char *err, size_t err_size);
/* dir holds a complete set with file `name` (e.g. "result.h5") as its run
 * wrote it: EB_OK, else EB_EINPUT saying what is wrong and what to do. */
int Output_set_check(const char *dir, const char *name, char *err, size_t err_size);
/* The same for a file given by its path: its set is that of the directory
 * holding it, or of the one above (a transient's snapshots/). */
int Output_set_check_path(const char *path, char *err, size_t err_size);

/* ---- ebsim diff RUN_A RUN_B ---------------------------------------------- */

typedef struct {
  int resample;         /* grids differ: B's maps interpolated onto A's grid */
  FigureFormat figures; /* the difference map's format; FIGURES_NONE: none */
} DiffOptions;

/* Compare two runs (output directories with result.h5, or the files) read
 * with Output_read_result: print to f (NULL: nothing printed) every
 * registered single value (scalar, count, flag, text) present in both with
 * A, B, B - A and its unit (a change of a C value in K; text: same or
 * changed), in registry order (a relative change has no meaning for C and
 * none for values that are 0 in A; registry order keeps modules together
 * and every diff in one order); the per-die table (group "dies": each
 * column's largest and mean change, then the changes die by die, rows
 * matched by die_column, die_row); the junction map's B - A. Writes into
 * out_dir (created) diff.csv (name, unit, a, b, change; numbers that read
 * back exactly) and, unless o->figures is FIGURES_NONE,
 * junction_difference.<ext>: the wafer map of B - A of wafer_temperature_c
 * (diverging colours symmetric about 0, in K). Grids that differ (nx, ny or
 * a cell face by more than 1 nm) are refused with EB_EINPUT and a message
 * naming both grids, unless o->resample. */
int Output_diff(const Registry *reg, const char *dir_a, const char *dir_b, const char *out_dir,
                const DiffOptions *o, FILE *f, char *err, size_t err_size);
/* B - A of one map (nx*ny of ga, values of one unit) into d (ga->nx *
 * ga->ny values): cell by cell when the grids match (exact), else EB_EINPUT
 * unless resample: then B is interpolated at A's cell centres, bilinear
 * between B's cell centres (a convex combination of at most four cells of
 * B), constant in the half cell along B's edge, NaN outside B's domain
 * (and where a contributing cell of B is NaN). */
int Output_diff_map(const Grid *ga, const double *a, const Grid *gb, const double *b,
                    int resample, double *d, char *err, size_t err_size);

#endif
