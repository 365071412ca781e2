/* out_read.c - read a run's result.h5 back for `ebsim plot`: the resolved
 * case, its grid, and every registered quantity the file holds (3D fields
 * excepted), into result parts laid out by the registry. */
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

/* A flag or count: integers and h5py-style boolean enums both read. */
static int read_int(hid_t f, const char *name, long long *v) {
  double d;
  if (out_h5_read_numbers(f, name, &d, 1) != 0 || !isfinite(d)) return -1;
  *v = llround(d);
  return 0;
}

static void *part_of(Result *r, ResultPart p) { return (void *)r->part[p]; }

/* One entry into its part; 0, or -1 when the file has it in another shape. */
static int read_entry(hid_t f, const ResultEntry *e, Result *r, size_t ncol, const char *path) {
  char *part = part_of(r, e->part);
  switch (e->kind) {
  case RES_SCALAR: {
    double v;
    if (out_h5_read_doubles(f, path, &v, 1) != 0) return -1;
    Result_put_number(part, e, v);
    return 0;
  }
  case RES_COUNT:
  case RES_FLAG: {
    long long v;
    if (read_int(f, path, &v) != 0) return -1;
    Result_put_number(part, e, (double)v);
    return 0;
  }
  case RES_TEXT: {
    char *t = out_h5_read_text(f, path, 0);
    if (!t) return -1;
    Result_put_text(part, e, t);
    free(t);
    return 0;
  }
  case RES_TEXTS: {
    long n = out_h5_length(f, path);
    int *count = (int *)(part + e->n_off);
    *count = 0;
    for (long i = 0; i < n && i < e->max_rows; i++) {
      char *t = out_h5_read_text(f, path, i);
      if (!t) return -1;
      snprintf(part + e->off + (size_t)i * e->stride, e->stride, "%s", t);
      free(t);
      (*count)++;
    }
    return 0;
  }
  case RES_COLUMN: {
    long n = out_h5_length(f, path);
    char **rows = (char **)(part + e->off);
    int *count = (int *)(part + e->n_off);
    if (n < 0) return -1;
    if (!*rows) {
      *rows = calloc((size_t)n + 1, e->stride);
      if (!*rows) return -1;
      *count = (int)n;
    }
    if (*count != n) return -1; /* columns of one table have one length */
    double *v = malloc(((size_t)n + 1) * sizeof *v);
    int bad = !v || out_h5_read_doubles(f, path, v, (size_t)n) != 0;
    for (long i = 0; !bad && i < n; i++) {
      char *cell = *rows + (size_t)i * e->stride + e->field_off;
      if (e->is_int)
        *(int *)cell = isfinite(v[i]) ? (int)llround(v[i] - e->shift) : 0;
      else
        *(double *)cell = Result_to_si(e, v[i]);
    }
    free(v);
    return bad ? -1 : 0;
  }
  case RES_MAP: {
    double *v = malloc(ncol * sizeof *v);
    if (!v || out_h5_read_doubles(f, path, v, ncol) != 0) {
      free(v);
      return -1;
    }
    for (size_t q = 0; q < ncol; q++) v[q] = Result_to_si(e, v[q]);
    *(double **)(part + e->off) = v;
    return 0;
  }
  case RES_FIELD:
    return 0; /* not needed to draw; large */
  }
  return -1;
}

/* /limits/<name> back into the limits part. */
static void read_limits(hid_t f, const Registry *reg, LimitsResult *l) {
  l->all_ok = 1;
  for (int i = 0; i < Limits_count() && l->n < LIMITS_MAX; i++) {
    const LimitInfo *info = Limits_info(i);
    char path[160];
    snprintf(path, sizeof path, "limits/%s/value", info->name);
    LimitCheck k = {.name = info->name, .quantity = info->quantity, .lower = info->lower};
    if (out_h5_read_doubles(f, path, &k.value, 1) != 0) continue;
    snprintf(path, sizeof path, "limits/%s/limit", info->name);
    out_h5_read_doubles(f, path, &k.limit, 1);
    snprintf(path, sizeof path, "limits/%s/margin", info->name);
    out_h5_read_doubles(f, path, &k.margin, 1);
    snprintf(path, sizeof path, "limits/%s/ok", info->name);
    long long ok = 0;
    read_int(f, path, &ok);
    k.ok = ok != 0;
    const ResultEntry *e = Registry_find(reg, info->quantity);
    k.unit = e ? e->unit : "";
    l->all_ok &= k.ok;
    l->checks[l->n++] = k;
  }
}

void Output_result_free(const Registry *reg, Result *r) {
  for (int t = 0; t < reg->n_tables; t++) {
    const ResultTable *tab = reg->tables[t];
    char *part = part_of(r, tab->part);
    if (!part) continue;
    /* each pointer once: the columns of one table share their rows */
    for (int i = 0; i < tab->n; i++) {
      const ResultEntry *e = &tab->entries[i];
      if (e->kind != RES_MAP && e->kind != RES_FIELD && e->kind != RES_COLUMN) continue;
      void **p = (void **)(part + e->off);
      free(*p);
      *p = NULL;
    }
  }
  for (int p = 0; p < RESULT_PARTS; p++) free(part_of(r, (ResultPart)p));
  memset(r, 0, sizeof *r);
}

int Output_read_result(const char *path, Case *c, Grid **g, const Registry *reg, Result *r,
                       char *err, size_t err_size) {
  *g = NULL;
  memset(r, 0, sizeof *r);
  char why[OUT_H5_WHY];
  out_h5_capture(why);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) {
    out_h5_capture(NULL);
    snprintf(err, err_size, "cannot read %s as an ebsim result (HDF5): %s", path,
             why[0] ? why : "not an HDF5 file");
    return EB_EINPUT;
  }
  char *text = H5Lexists(f, "case", H5P_DEFAULT) > 0 ? out_h5_read_text(f, "case/resolved_yaml", 0)
                                                    : NULL;
  if (!text) {
    H5Fclose(f);
    out_h5_capture(NULL);
    snprintf(err, err_size, "%s is not an ebsim run result (no /case/resolved_yaml)", path);
    return EB_EINPUT;
  }
  char label[1100];
  snprintf(label, sizeof label, "%s:/case/resolved_yaml", path);
  int rc = Case_read_string(text, label, 0, NULL, c, err, err_size);
  free(text);
  if (rc == EB_OK) rc = Grid_create(c, g, err, err_size);
  if (rc != EB_OK) {
    H5Fclose(f);
    out_h5_capture(NULL);
    return rc;
  }
  const size_t ncol = (size_t)(*g)->nx * (*g)->ny;
  for (int t = 0; t < reg->n_tables && rc == EB_OK; t++) {
    const ResultTable *tab = reg->tables[t];
    if (!r->part[tab->part] && !(r->part[tab->part] = calloc(1, tab->part_size))) {
      snprintf(err, err_size, "out of memory reading %s", path);
      rc = EB_EFAIL;
    }
  }
  int found[RESULT_PARTS] = {0};
  for (int i = 0; i < Registry_size(reg) && rc == EB_OK; i++) {
    const ResultEntry *e = Registry_at(reg, i);
    char name[200];
    snprintf(name, sizeof name, "%s/%s", e->group, e->name);
    if (H5Lexists(f, e->group, H5P_DEFAULT) <= 0 || H5Lexists(f, name, H5P_DEFAULT) <= 0)
      continue; /* not in this result (an optional value, an older file) */
    found[e->part] = 1;
    if (e->flags & RES_OPTIONAL) *(int *)((char *)part_of(r, e->part) + e->when_off) = 1;
    if (read_entry(f, e, r, ncol, name) != 0) {
      snprintf(err, err_size,
               "%s: /%s does not match this version of ebsim (shape or type; for a map, the "
               "case's grid is %d x %d)",
               path, name, (*g)->nx, (*g)->ny);
      rc = EB_EINPUT;
    }
  }
  /* a module that did not run (no power path, no mechanics section) has
   * no part, as in the run that wrote the file */
  for (int p = RESULT_THERMAL; rc == EB_OK && p < RESULT_LIMITS; p++)
    if (!found[p]) {
      free(part_of(r, (ResultPart)p));
      r->part[p] = NULL;
    }
  if (rc == EB_OK && H5Lexists(f, "limits", H5P_DEFAULT) > 0)
    read_limits(f, reg, part_of(r, RESULT_LIMITS));
  if (rc == EB_OK && !isfinite(Result_get(reg, r, "t_max_c"))) {
    snprintf(err, err_size, "%s: /summary lacks t_max_c; was it written by ebsim?", path);
    rc = EB_EINPUT;
  }
  H5Fclose(f);
  out_h5_capture(NULL);
  if (rc != EB_OK) {
    Output_result_free(reg, r);
    Grid_destroy(*g);
    *g = NULL;
  }
  return rc;
}

/* rows j0..j1-1 of every plane of a [nz][ny][nx] dataset into v */
static int read_rows(hid_t f, const char *name, int nx, int ny, int nz, GridRows rows, double *v) {
  if (H5Lexists(f, name, H5P_DEFAULT) <= 0) return -1;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t sp = H5Dget_space(d), mem = -1;
  hsize_t dims[3] = {0, 0, 0};
  int bad = H5Sget_simple_extent_ndims(sp) != 3 || H5Sget_simple_extent_dims(sp, dims, NULL) < 0 ||
            dims[0] != (hsize_t)nz || dims[1] != (hsize_t)ny || dims[2] != (hsize_t)nx;
  if (!bad) {
    hsize_t start[3] = {0, (hsize_t)rows.j0, 0};
    hsize_t count[3] = {(hsize_t)nz, (hsize_t)(rows.j1 - rows.j0), (hsize_t)nx};
    mem = H5Screate_simple(3, count, NULL);
    bad = mem < 0 || H5Sselect_hyperslab(sp, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
          H5Dread(d, H5T_NATIVE_DOUBLE, mem, sp, H5P_DEFAULT, v) < 0;
  }
  if (mem >= 0) H5Sclose(mem);
  H5Sclose(sp);
  H5Dclose(d);
  return bad ? -1 : 0;
}

int Output_read_field(const char *path, const Registry *reg, const char *name, const Grid *g,
                      GridRows rows, double **out, char *err, size_t err_size) {
  *out = NULL;
  const ResultEntry *e = Registry_find(reg, name);
  if (!e || e->kind != RES_FIELD) {
    snprintf(err, err_size, "%s is not a registered 3D field", name);
    return EB_EFAIL;
  }
  char why[OUT_H5_WHY], dset[200];
  out_h5_capture(why);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  snprintf(dset, sizeof dset, "%s/%s", e->group, e->name);
  const size_t n = Rows_cells(g, rows);
  double *v = f >= 0 ? malloc((n ? n : 1) * sizeof *v) : NULL;
  int bad = !v || H5Lexists(f, e->group, H5P_DEFAULT) <= 0 ||
            read_rows(f, dset, g->nx, g->ny, g->nz, rows, v) != 0;
  if (f >= 0) H5Fclose(f);
  out_h5_capture(NULL);
  if (bad) {
    free(v);
    snprintf(err, err_size, "%s: cannot read rows %d to %d of /%s, a %d x %d x %d field%s%s", path,
             rows.j0, rows.j1 - 1, dset, g->nx, g->ny, g->nz, why[0] ? ": " : "", why);
    return EB_EINPUT;
  }
  for (size_t q = 0; q < n; q++) v[q] = Result_to_si(e, v[q]);
  *out = v;
  return EB_OK;
}
