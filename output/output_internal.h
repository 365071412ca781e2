/* output_internal.h - helpers shared by the output writers (not public). */
#ifndef EBSIM_OUTPUT_INTERNAL_H
#define EBSIM_OUTPUT_INTERNAL_H

#include <stddef.h>

static const double out_kelvin = 273.15;

/* dir/name, with ".tmp" appended when tmp is 1. */
void out_path(char *buf, size_t size, const char *dir, const char *name, int tmp);
/* Rename dir/name.tmp to dir/name. */
int out_commit(const char *dir, const char *name, char *err, size_t err_size);

/* Start a PLplot PNG (pngcairo) at path, geometry "WxH": white background,
 * black axes (colour 1), line colours 2..6 that read on white. */
void out_plot_begin(const char *path, const char *geometry);

/* HDF5 errors: from out_h5_capture(buf) on, HDF5 prints nothing and the
 * first failure's innermost reason ("unable to open file: No such file or
 * directory", ...) is kept in buf (OUT_H5_WHY bytes, cleared here);
 * out_h5_capture(NULL) ends the capture (HDF5 stays silent). */
/* Run fn(arg, err, err_size) in a child process and return its EB_ code and
 * message: a PLplot fatal error (which calls exit()) or a crash there becomes
 * EB_EFAIL with a message instead of ending ebsim. Files fn writes are the
 * output; memory it changes is not seen by the caller. */
typedef int (*out_draw_fn)(void *arg, char *err, size_t err_size);
int out_isolated(out_draw_fn fn, void *arg, char *err, size_t err_size);

enum { OUT_H5_WHY = 256 };
void out_h5_capture(char *buf);

#endif
