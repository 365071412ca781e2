/* output.h - everything a run writes: HDF5 + XDMF, summary.json, PNG
 * figures, and the console report. Reads results; never solves.
 *
 * Files are written to "<name>.tmp" in the output directory and renamed
 * when complete, so a crash never leaves a half-written file.
 */
#ifndef EBSIM_OUTPUT_H
#define EBSIM_OUTPUT_H

#include <stdio.h>

#include "../cases/case.h"
#include "../geometry/grid.h"
#include "../solver/core/limits.h"
#include "../solver/thermal/thermal.h"

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
  const char *version;      /* program version string */
  FigureFormat figures;     /* FIGURES_NONE: no figures */
} OutputOptions;

/* result.h5, result.xdmf, summary.json and (unless opt->figures is
 * FIGURES_NONE) the figures wafer_temperature, heat_flux,
 * coolant_temperature, coolant_path and pump_curve (.png, .pdf or .svg). */
int Output_write_all(const Case *c, const Grid *g, const ThermalResult *r,
                     const LimitCheck *limits, int n_limits, const OutputOptions *opt, char *err,
                     size_t err_size);

int Output_write_h5(const Case *c, const Grid *g, const ThermalResult *r, const LimitCheck *limits,
                    int n_limits, const OutputOptions *opt, const char *path, char *err,
                    size_t err_size);
int Output_write_xdmf(const Grid *g, const char *h5_name, const char *path, char *err,
                      size_t err_size);
int Output_write_summary_json(const Case *c, const ThermalResult *r, const LimitCheck *limits,
                              int n_limits, const char *path, char *err, size_t err_size);
int Output_write_figures(const Case *c, const Grid *g, const ThermalResult *r, const char *dir,
                         FigureFormat fmt, char *err, size_t err_size);

/* coolant_path (coolant and hottest junction along the flow) and
 * pump_curve (loop and pump curves, operating points), in format fmt. */
int Output_write_loop_figures(const Case *c, const ThermalResult *r, const char *dir,
                              FigureFormat fmt, char *err, size_t err_size);

/* Read a run's result.h5 back (for `ebsim plot`): the resolved case stored
 * in it (parsed again into c), its grid (rebuilt; *g, release with
 * Grid_destroy) and what the figures draw: the wafer maps, the hottest
 * point, the operating points and the /hydraulics curves and path. Other
 * fields of r stay zero; release r with ThermalResult_free. EB_EINPUT with
 * a message when the file is missing, not an ebsim result, or its maps do
 * not match the case's grid. */
int Output_read_result(const char *path, Case *c, Grid **g, ThermalResult *r, char *err,
                       size_t err_size);

/* Short human report: hottest die, coolant, energy balance, limits. */
void Output_report(FILE *f, const Case *c, const ThermalResult *r, const LimitCheck *limits,
                   int n_limits);

/* mkdir -p; EB_OK or EB_EINPUT with a message. */
int Output_mkdir_p(const char *dir, char *err, size_t err_size);

#endif
