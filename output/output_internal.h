/* output_internal.h - helpers shared by the output writers (not public). */
#ifndef EBSIM_OUTPUT_INTERNAL_H
#define EBSIM_OUTPUT_INTERNAL_H

#include <stddef.h>

static const double out_kelvin = 273.15;

/* dir/name, with ".tmp" appended when tmp is 1. */
void out_path(char *buf, size_t size, const char *dir, const char *name, int tmp);
/* Rename dir/name.tmp to dir/name. */
int out_commit(const char *dir, const char *name, char *err, size_t err_size);

/* PLplot ends the process on a fatal error (plexit calls exit()), so before
 * each figure: the pngcairo driver must be installed and path writable
 * (EB_EFAIL with a message saying what to do otherwise), and PLplot's exit
 * handler is set to name the figure if it stops the program anyway. */
int out_plot_preflight(const char *path, char *err, size_t err_size);
/* 1 if PLplot has the file device `name` (e.g. "pngcairo"). */
int out_plot_has_device(const char *name);

/* out_plot_preflight, then start a PLplot PNG (pngcairo) at path, geometry
 * "WxH": white background, black axes (colour 1), line colours 2..6 that
 * read on white. */
int out_plot_begin(const char *path, const char *geometry, char *err, size_t err_size);

/* HDF5 errors: from out_h5_capture(buf) on, HDF5 prints nothing and the
 * first failure's innermost reason ("unable to open file: No such file or
 * directory", ...) is kept in buf (OUT_H5_WHY bytes, cleared here);
 * out_h5_capture(NULL) ends the capture (HDF5 stays silent). */
enum { OUT_H5_WHY = 256 };
void out_h5_capture(char *buf);

#endif
