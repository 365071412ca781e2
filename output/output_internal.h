/* output_internal.h - helpers shared by the output writers (not public). */
#ifndef EBSIM_OUTPUT_INTERNAL_H
#define EBSIM_OUTPUT_INTERNAL_H

#include <hdf5.h>
#include <stddef.h>

#include "output.h"

static const double out_kelvin = 273.15;

/* dir/name, with ".tmp" appended when tmp is 1. */
void out_path(char *buf, size_t size, const char *dir, const char *name, int tmp);
/* Rename dir/name.tmp to dir/name. */
int out_commit(const char *dir, const char *name, char *err, size_t err_size);

/* PLplot ends the process on a fatal error (plexit calls exit()), so before
 * each figure: the format's cairo driver must be installed and path writable
 * (EB_EFAIL with a message saying what to do otherwise), and PLplot's exit
 * handler is set to name the figure if it stops the program anyway. */
int out_plot_preflight(const char *path, FigureFormat fmt, char *err, size_t err_size);
/* 1 if PLplot has the file device `name` (e.g. "pngcairo"). */
int out_plot_has_device(const char *name);

/* out_plot_preflight, then start a PLplot page in format fmt at path, size
 * "WxH" (pixels for PNG, points for PDF/SVG): white background, black axes
 * (colour 1), line colours 2..6 that read on white. */
int out_plot_begin(const char *path, const char *geometry, FigureFormat fmt, char *err,
                   size_t err_size);
/* base + "." + the format's extension, e.g. "heat_flux.svg". */
void out_figure_name(char *buf, size_t size, const char *base, FigureFormat fmt);
/* PLplot's device for the format: pngcairo, pdfcairo or svgcairo. */
const char *out_plot_device(FigureFormat fmt);

/* HDF5 errors: from out_h5_capture(buf) on, HDF5 prints nothing and the
 * first failure's innermost reason ("unable to open file: No such file or
 * directory", ...) is kept in buf (OUT_H5_WHY bytes, cleared here);
 * out_h5_capture(NULL) ends the capture (HDF5 stays silent). */
/* A dataset of n doubles (any stored numeric type, converted by HDF5) at
 * path name in f. Returns 0, or -1 if it is missing or has another size. */
int out_h5_read_doubles(hid_t f, const char *name, double *v, size_t n);

enum { OUT_H5_WHY = 256 };
void out_h5_capture(char *buf);

#endif
