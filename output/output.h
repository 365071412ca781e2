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
#include "../solver/limits.h"
#include "../solver/thermal.h"

typedef struct {
  const char *dir;          /* created (with parents) if missing */
  const char *case_text;    /* resolved case YAML (Case_dump), stored in HDF5 */
  const char *version;      /* program version string */
  int figures;              /* 1: write PNG figures */
} OutputOptions;

/* result.h5, result.xdmf, summary.json and (if opt->figures) the PNGs:
 * wafer_temperature.png, heat_flux.png, coolant_temperature.png,
 * coolant_path.png, pump_curve.png. */
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
                         char *err, size_t err_size);

/* coolant_path.png (coolant and hottest junction along the flow) and
 * pump_curve.png (loop and pump curves, operating points). */
int Output_write_loop_figures(const Case *c, const ThermalResult *r, const char *dir, char *err,
                              size_t err_size);

/* Short human report: hottest die, coolant, energy balance, limits. */
void Output_report(FILE *f, const Case *c, const ThermalResult *r, const LimitCheck *limits,
                   int n_limits);

/* mkdir -p; EB_OK or EB_EINPUT with a message. */
int Output_mkdir_p(const char *dir, char *err, size_t err_size);

#endif
