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

#endif
