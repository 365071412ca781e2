/* out_h5util.c - typed HDF5 datasets with units, one registered entry at a
 * time, readers, and the first failure's reason for the user's message. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_internal.h"

/* ---- errors --------------------------------------------------------------------------- */

/* HDF5's error stack runs from the API call down to the cause; the last
 * entry walked upward-first (n == 0) is the innermost one, the real reason. */
static herr_t innermost(unsigned n, const H5E_error2_t *e, void *data) {
  char *buf = data;
  if (n == 0 && e->desc && e->desc[0])
    snprintf(buf, OUT_H5_WHY, "%s (HDF5 %s)", e->desc, e->func_name ? e->func_name : "?");
  return 0;
}

static herr_t keep_first(hid_t stack, void *data) {
  char *buf = data;
  if (buf && !buf[0]) H5Ewalk2(stack, H5E_WALK_UPWARD, innermost, buf);
  return 0;
}

void out_h5_capture(char *buf) {
  if (buf) {
    buf[0] = '\0';
    H5Eset_auto2(H5E_DEFAULT, keep_first, buf);
  } else {
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  }
}

/* ---- writers -------------------------------------------------------------------------- */

static hid_t utf8_type(void) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

int out_h5_attr(hid_t obj, const char *name, const char *value) {
  hid_t type = utf8_type(), space = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  const char *v = value ? value : "";
  int bad = a < 0 || H5Awrite(a, type, &v) < 0;
  if (a >= 0) H5Aclose(a);
  H5Sclose(space);
  H5Tclose(type);
  return bad ? -1 : 0;
}

/* Create, write all, describe, close. */
static int put(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hid_t space, const void *v,
               const char *units, const char *desc) {
  hid_t d = H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  int bad = d < 0 || H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0;
  if (!bad) bad = out_h5_attr(d, "units", units) || out_h5_attr(d, "description", desc);
  if (d >= 0) H5Dclose(d);
  return bad ? -1 : 0;
}

/* A table column: chunked and unlimited along its rows, so that a reader
 * (or a longer run) can append rows with H5Dset_extent; the transient
 * series are such tables. */
static int put_column(hid_t loc, const char *name, hid_t ftype, hid_t mtype, long n, const void *v,
                      const char *units, const char *desc) {
  hsize_t dims[1] = {(hsize_t)(n < 0 ? 0 : n)}, maxd[1] = {H5S_UNLIMITED};
  hsize_t chunk[1] = {n > 4096 ? 4096 : n > 0 ? (hsize_t)n : 1};
  hid_t space = H5Screate_simple(1, dims, maxd), dcpl = H5Pcreate(H5P_DATASET_CREATE);
  int bad = space < 0 || dcpl < 0 || H5Pset_chunk(dcpl, 1, chunk) < 0;
  hid_t d = bad ? -1 : H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  bad = bad || d < 0 || (n > 0 && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0);
  if (!bad) bad = out_h5_attr(d, "units", units) || out_h5_attr(d, "description", desc);
  if (d >= 0) H5Dclose(d);
  if (dcpl >= 0) H5Pclose(dcpl);
  if (space >= 0) H5Sclose(space);
  return bad ? -1 : 0;
}

static hid_t space_of(long n) {
  hsize_t dims[1] = {(hsize_t)(n < 0 ? 0 : n)};
  return n < 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, dims, NULL);
}

int out_h5_doubles(hid_t loc, const char *name, int rank, const hsize_t *dims, const double *v,
                   const char *units, const char *desc) {
  hid_t space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims, NULL);
  int bad = put(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space, v, units, desc);
  H5Sclose(space);
  return bad;
}

int out_h5_ints(hid_t loc, const char *name, long n, const long long *v, const char *units,
                const char *desc) {
  hid_t space = space_of(n);
  int bad = put(loc, name, H5T_STD_I64LE, H5T_NATIVE_LLONG, space, v, units, desc);
  H5Sclose(space);
  return bad;
}

int out_h5_bools(hid_t loc, const char *name, long n, const int *v, const char *desc) {
  /* h5py's own boolean: an int8 enum with exactly FALSE = 0 and TRUE = 1 */
  hid_t t = H5Tenum_create(H5T_NATIVE_INT8);
  signed char no = 0, yes = 1;
  H5Tenum_insert(t, "FALSE", &no);
  H5Tenum_insert(t, "TRUE", &yes);
  size_t cnt = n < 0 ? 1 : (size_t)n;
  signed char *b = malloc(cnt ? cnt : 1);
  int bad = !b;
  for (size_t i = 0; b && i < cnt; i++) b[i] = v[i] != 0;
  hid_t space = space_of(n);
  if (!bad) bad = put(loc, name, t, t, space, b, "1", desc);
  H5Sclose(space);
  H5Tclose(t);
  free(b);
  return bad;
}

int out_h5_texts(hid_t loc, const char *name, long n, const char *const *v, const char *desc) {
  hid_t t = utf8_type(), space = space_of(n);
  int bad = put(loc, name, t, t, space, v, "1", desc);
  H5Sclose(space);
  H5Tclose(t);
  return bad;
}

hid_t out_h5_group(hid_t f, const char *path) {
  if (H5Lexists(f, path, H5P_DEFAULT) > 0) return H5Gopen2(f, path, H5P_DEFAULT);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t g = H5Gcreate2(f, path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  H5Pclose(lcpl);
  return g;
}

/* The 3D field one z plane at a time (no full-size copy). */
static int put_field(hid_t loc, const ResultEntry *e, const Grid *g, const double *v,
                     const char *units) {
  const size_t ncol = (size_t)g->nx * g->ny;
  double *plane = malloc(ncol * sizeof *plane);
  hsize_t dims[3] = {(hsize_t)g->nz, (hsize_t)g->ny, (hsize_t)g->nx};
  hid_t space = H5Screate_simple(3, dims, NULL);
  hid_t d = plane ? H5Dcreate2(loc, e->name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT,
                               H5P_DEFAULT)
                  : -1;
  int bad = d < 0;
  hsize_t count[3] = {1, (hsize_t)g->ny, (hsize_t)g->nx};
  hid_t mem = H5Screate_simple(3, count, NULL);
  for (int k = 0; k < g->nz && !bad; k++) {
    for (size_t q = 0; q < ncol; q++) plane[q] = Result_to_output(e, v[(size_t)k * ncol + q]);
    hsize_t start[3] = {(hsize_t)k, 0, 0};
    bad = H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
          H5Dwrite(d, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, plane) < 0;
  }
  if (!bad) bad = out_h5_attr(d, "units", units) || out_h5_attr(d, "description", e->desc);
  H5Sclose(mem);
  if (d >= 0) H5Dclose(d);
  H5Sclose(space);
  free(plane);
  return bad ? -1 : 0;
}

int out_h5_entry_space(hid_t loc, const ResultEntry *e, const Result *r, const Grid *g) {
  hsize_t dims[3] = {(hsize_t)g->nz, (hsize_t)g->ny, (hsize_t)g->nx};
  const int field = e->kind == RES_FIELD;
  hid_t space = H5Screate_simple(field ? 3 : 2, field ? dims : dims + 1, NULL);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  /* no fill: every element is written by its rank; storage allocated when
   * the ranks open it (parallel HDF5 allocates it then, collectively) */
  int bad = space < 0 || dcpl < 0 || H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER) < 0;
  hid_t d = bad ? -1 : H5Dcreate2(loc, e->name, H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  bad = bad || d < 0 || out_h5_attr(d, "units", Result_unit(r, e)) ||
        out_h5_attr(d, "description", e->desc);
  if (d >= 0) H5Dclose(d);
  if (dcpl >= 0) H5Pclose(dcpl);
  if (space >= 0) H5Sclose(space);
  return bad ? -1 : 0;
}

int out_h5_entry(hid_t loc, const ResultEntry *e, const Result *r, const Grid *g) {
  const char *units = Result_unit(r, e);
  switch (e->kind) {
  case RES_SCALAR: {
    double v = Result_number(r, e);
    return out_h5_doubles(loc, e->name, 0, NULL, &v, units, e->desc);
  }
  case RES_COUNT: {
    long long v = (long long)Result_number(r, e);
    return out_h5_ints(loc, e->name, -1, &v, units, e->desc);
  }
  case RES_FLAG: {
    int v = Result_number(r, e) != 0.0;
    return out_h5_bools(loc, e->name, -1, &v, e->desc);
  }
  case RES_TEXT: {
    const char *t = Result_text(r, e);
    return out_h5_texts(loc, e->name, -1, &t, e->desc);
  }
  case RES_TEXTS: {
    int n = Result_rows(r, e);
    const char *rows[64];
    if (n > 64) n = 64;
    for (int i = 0; i < n; i++) rows[i] = Result_texts_row(r, e, i);
    return out_h5_texts(loc, e->name, n, rows, e->desc);
  }
  case RES_COLUMN: {
    int n = Result_rows(r, e), bad;
    if (e->is_int) {
      long long *v = malloc(((size_t)n + 1) * sizeof *v);
      for (int i = 0; v && i < n; i++) v[i] = (long long)Result_cell(r, e, i);
      bad = !v || put_column(loc, e->name, H5T_STD_I64LE, H5T_NATIVE_LLONG, n, v, units, e->desc);
      free(v);
    } else {
      double *v = malloc(((size_t)n + 1) * sizeof *v);
      for (int i = 0; v && i < n; i++) v[i] = Result_cell(r, e, i);
      bad = !v || put_column(loc, e->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n, v, units, e->desc);
      free(v);
    }
    return bad ? -1 : 0;
  }
  case RES_MAP: {
    const size_t ncol = (size_t)g->nx * g->ny;
    const double *a = Result_array(r, e);
    double *v = malloc(ncol * sizeof *v);
    for (size_t q = 0; v && q < ncol; q++) v[q] = Result_to_output(e, a[q]);
    hsize_t dims[2] = {(hsize_t)g->ny, (hsize_t)g->nx};
    int bad = !v || out_h5_doubles(loc, e->name, 2, dims, v, units, e->desc);
    free(v);
    return bad ? -1 : 0;
  }
  case RES_FIELD:
    return put_field(loc, e, g, Result_array(r, e), units);
  }
  return -1;
}

hid_t out_h5_memory(const char *path) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl < 0) return -1;
  hid_t f = H5Pset_fapl_core(fapl, 16u << 20, 0) >= 0
                ? H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl)
                : -1;
  H5Pclose(fapl);
  return f;
}

int out_h5_memory_save(hid_t f, const char *path, const char *why, char *err, size_t err_size) {
  void *image = NULL;
  ssize_t size = -1;
  int bad = 1;
  if (H5Fflush(f, H5F_SCOPE_GLOBAL) >= 0 && (size = H5Fget_file_image(f, NULL, 0)) > 0 &&
      (image = malloc((size_t)size)))
    bad = H5Fget_file_image(f, image, (size_t)size) != size;
  bad |= H5Fclose(f) < 0;
  if (bad) {
    free(image);
    snprintf(err, err_size, "HDF5 error while writing %s: %s", path,
             why && why[0] ? why : size > 0 && !image ? "out of memory" : "no detail from HDF5");
    return EB_EFAIL;
  }
  int rc = out_write_bytes(path, image, (size_t)size, err, err_size);
  free(image);
  return rc;
}

/* ---- readers -------------------------------------------------------------------------- */

int out_h5_read_doubles(hid_t f, const char *name, double *v, size_t n) {
  if (H5Lexists(f, name, H5P_DEFAULT) <= 0) return -1;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t sp = H5Dget_space(d);
  hssize_t np = H5Sget_simple_extent_npoints(sp);
  int bad = np < 0 || (size_t)np != n ||
            H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0;
  H5Sclose(sp);
  H5Dclose(d);
  return bad ? -1 : 0;
}

int out_h5_read_numbers(hid_t f, const char *name, double *v, size_t n) {
  if (H5Lexists(f, name, H5P_DEFAULT) <= 0) return -1;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t ft = H5Dget_type(d), sp = H5Dget_space(d);
  hssize_t np = H5Sget_simple_extent_npoints(sp);
  int bad = np < 0 || (size_t)np != n;
  if (!bad && H5Tget_class(ft) == H5T_ENUM) {
    /* booleans: HDF5 converts no enum to a float, read the int8 values */
    signed char *b = malloc(n ? n : 1);
    hid_t mt = H5Tget_native_type(ft, H5T_DIR_ASCEND);
    bad = !b || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, b) < 0;
    for (size_t i = 0; !bad && i < n; i++) v[i] = b[i];
    H5Tclose(mt);
    free(b);
  } else if (!bad) {
    bad = H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0;
  }
  H5Sclose(sp);
  H5Tclose(ft);
  H5Dclose(d);
  return bad ? -1 : 0;
}

long out_h5_length(hid_t f, const char *name) {
  if (H5Lexists(f, name, H5P_DEFAULT) <= 0) return -1;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t sp = H5Dget_space(d);
  hssize_t np = H5Sget_simple_extent_npoints(sp);
  H5Sclose(sp);
  H5Dclose(d);
  return (long)np;
}

char *out_h5_read_text(hid_t f, const char *name, long i) {
  long n = out_h5_length(f, name);
  if (n <= 0 || i < 0 || i >= n) return NULL;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return NULL;
  hid_t ft = H5Dget_type(d);
  char *text = NULL;
  if (H5Tget_class(ft) == H5T_STRING) {
    if (H5Tis_variable_str(ft) > 0) {
      hid_t mt = utf8_type();
      char **all = calloc((size_t)n, sizeof *all);
      if (all && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, all) >= 0) {
        text = strdup(all[i] ? all[i] : "");
        hid_t sp = H5Dget_space(d);
        H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, all);
        H5Sclose(sp);
      }
      free(all);
      H5Tclose(mt);
    } else {
      size_t size = H5Tget_size(ft);
      char *all = calloc((size_t)n * size + 1, 1);
      if (all && H5Dread(d, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, all) >= 0) {
        text = calloc(size + 1, 1);
        if (text) memcpy(text, all + (size_t)i * size, size);
      }
      free(all);
    }
  }
  H5Tclose(ft);
  H5Dclose(d);
  return text;
}
