/* output_internal.h - helpers shared by the output writers (not public). */
#ifndef EBSIM_OUTPUT_INTERNAL_H
#define EBSIM_OUTPUT_INTERNAL_H

#include <hdf5.h>
#include <stddef.h>

#include "output.h"

/* dir/name, with ".tmp" appended when tmp is 1. */
void out_path(char *buf, size_t size, const char *dir, const char *name, int tmp);
/* Rename dir/name.tmp to dir/name once it is proven whole (else removed,
 * with a message), and count it in the output set of dir (Output_set_finish):
 * the first file committed into a directory opens its set and takes the
 * old manifest away. */
int out_commit(const char *dir, const char *name, char *err, size_t err_size);
/* The same, outside any set (a sweep's saved points). */
int out_commit_file(const char *dir, const char *name, char *err, size_t err_size);
/* Count dir/name in the open output set (out_set.c). */
void out_set_track(const char *dir, const char *name);
/* size bytes into a new file at path, every write, the flush and the sync
 * checked; on failure the file is removed and err says why (a full disk by
 * name). */
int out_write_bytes(const char *path, const void *data, size_t size, char *err, size_t err_size);

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
/* Watch for PLplot's recoverable errors from here on (out_plot_begin does). */
void out_plot_watch(void);
/* End the page; EB_EFAIL (and path removed) with PLplot's message if it
 * reported an error since out_plot_watch. */
int out_plot_end(const char *path, char *err, size_t err_size);
/* base + "." + the format's extension, e.g. "heat_flux.svg". */
void out_figure_name(char *buf, size_t size, const char *base, FigureFormat fmt);
/* PLplot's device for the format: pngcairo, pdfcairo or svgcairo. */
const char *out_plot_device(FigureFormat fmt);

/* A registered quantity by name, in its output unit (NaN when absent). */
double out_value(const Registry *reg, const Result *r, const char *name);
/* A registered map (nx*ny) or table column by name, converted to its
 * output unit into a new array (free it); *n gets its length. NULL when
 * absent or out of memory. */
double *out_values(const Registry *reg, const Result *r, const char *name, size_t ncol, int *n);

/* One registered map (nx*ny) as a wafer map figure dir/base.<ext>, in the
 * style of out_style.h: the case and what the map shows in the title, the
 * operating point under it, viridis over the colour range rule (the data's
 * range and spread said under the map), die outlines, the coolant's way in
 * a band beside the frame, the extreme value's locations marked (every die
 * tied within tie_tol), the case's limit on the colour bar. NaN cells are
 * left white. */
typedef struct {
  const char *quantity;       /* the registered map */
  const char *base;           /* file name without extension */
  const char *what;           /* title after "<case>: " */
  const char *bar;            /* colour-bar label, without the unit */
  double ref;                 /* the colour range's reference (NaN: 0) */
  const char *level_of;       /* what the level is, for the spread ("the rise above the inlet") */
  const char *diff_unit;      /* unit of differences ("K" for a temperature); NULL: the map's */
  double diff_scale;          /* differences in diff_unit per map unit (1000: V -> mV); 0: 1 */
  int mark;                   /* 1: mark the largest value, -1: the smallest, 0: none */
  const char *mark_what;      /* "hottest junction" */
  double tie_tol;             /* dies within this of the extreme tie (NaN: 1e-3 of the level) */
  const char *mark_column;    /* per-die column marked at the die centres (NULL: the map's cells) */
  const char *tie_tol_text;   /* how the tolerance is said ("0.01 K"); NULL: from tie_tol */
  const char *limit_quantity; /* the registered quantity the case may limit (NULL: none) */
  int flow;                   /* 1: the coolant's inlet, direction and outlet beside the map */
} OutMap;
int out_draw_map(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                 const OutMap *m, const char *dir, FigureFormat fmt, char *err, size_t err_size);
/* The dies tied at a map's extreme (largest when sign > 0, smallest when
 * < 0): the extreme of each die's cells (die d = (row - 1) * columns +
 * column - 1), and which dies lie within tol of the overall extreme
 * (tied[d] = 1; *where_x/y[d] their extreme cell's centre, mm). Returns the
 * number tied (0 without finite values). best gets the extreme. Cells
 * belong to the die holding their centre. */
int out_map_ties(const Case *c, const Grid *g, const double *v, int sign, double tol,
                 int *tied, double *where_x, double *where_y, double *best);

/* The power path stage by stage, from the registry: PSUs, boards, bricks,
 * PCB planes and vias, connector; each stage's input, loss and output (W),
 * where the loss goes. Returns OUT_STAGES, or 0 when the result has no
 * power path; *die_w gets what reaches the dies. */
enum { OUT_STAGES = 5 };
typedef struct {
  char name[48];
  const char *to; /* where its loss goes: "air", "brick cold plate", "PCB", "connector" */
  double in_w, loss_w, out_w, efficiency;
} OutStage;
int out_power_stages(const Registry *reg, const Result *r, OutStage *st, double *die_w);

/* ---- HDF5 ----------------------------------------------------------------- */

/* From out_h5_capture(buf) on, HDF5 prints nothing and the first failure's
 * innermost reason ("unable to open file: No such file or directory", ...)
 * is kept in buf (OUT_H5_WHY bytes, cleared here); out_h5_capture(NULL)
 * ends the capture (HDF5 stays silent). */
enum { OUT_H5_WHY = 256 };
void out_h5_capture(char *buf);

/* Text as variable-length UTF-8 (h5py reads attributes of it as str). */
int out_h5_attr(hid_t obj, const char *name, const char *value);
/* Datasets with `units` and `description` attributes; each returns 0 or
 * -1. Doubles of rank 1-3 (dims), 64-bit integers, booleans (h5py's enum
 * FALSE/TRUE of int8: numpy bool), UTF-8 strings (rank 0 when n < 0). */
int out_h5_doubles(hid_t loc, const char *name, int rank, const hsize_t *dims, const double *v,
                   const char *units, const char *desc);
int out_h5_ints(hid_t loc, const char *name, long n, const long long *v, const char *units,
                const char *desc);
int out_h5_bools(hid_t loc, const char *name, long n, const int *v, const char *desc);
int out_h5_texts(hid_t loc, const char *name, long n, const char *const *v, const char *desc);
/* The group at path (created with its parents if missing), or -1. */
hid_t out_h5_group(hid_t f, const char *path);
/* An HDF5 file built in memory (the core driver, no backing store), for
 * out_h5_memory_save: HDF5 meeting a full disk itself leaves a file it
 * cannot close and crashes at exit, so files are written out whole by
 * out_write_bytes, every write checked. path only names it. -1 on failure. */
hid_t out_h5_memory(const char *path);
/* Close f (always) and write its image to path; EB_OK or EB_EFAIL with a
 * message (why: the captured HDF5 reason, "" for none). */
int out_h5_memory_save(hid_t f, const char *path, const char *why, char *err, size_t err_size);

/* Readers: a dataset of n values (any stored numeric type, converted by
 * HDF5) at path name in f. 0, or -1 if it is missing or has another size. */
int out_h5_read_doubles(hid_t f, const char *name, double *v, size_t n);
/* The same for any numeric dataset, h5py-style booleans included (0/1). */
int out_h5_read_numbers(hid_t f, const char *name, double *v, size_t n);
/* Number of elements of a dataset, -1 if missing. */
long out_h5_length(hid_t f, const char *name);
/* A string dataset (fixed or variable length; element i) as a malloc'ed
 * string, NULL if missing. */
char *out_h5_read_text(hid_t f, const char *name, long i);

/* One registered entry of result r into group loc (a scalar, a column, a
 * map or the 3D field), with its units and description. */
int out_h5_entry(hid_t loc, const ResultEntry *e, const Result *r, const Grid *g);
/* The same for a 3D field or 2D map without its values: the dataset, its
 * units and description, no fill (Output_write_h5_rows writes them). */
int out_h5_entry_space(hid_t loc, const ResultEntry *e, const Result *r, const Grid *g);

#endif
