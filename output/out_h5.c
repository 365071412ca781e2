/* out_h5.c - result.h5: the grid, every registered quantity of the result
 * in its group (summary scalars, per-die table, maps, 3D field, curves), the
 * limits, the resolved case and the case file's own text. Every dataset
 * carries `units` and `description`; counts are integers, flags booleans,
 * text UTF-8. Under MPI the fields and maps are written by the ranks
 * together (Output_write_h5_start, Output_write_h5_rows). */
#define _GNU_SOURCE /* fallocate: reserve the fields' space before the ranks write */
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "output.h"
#include "output_internal.h"

static void centres(const double *f, int n, double *out) {
  for (int i = 0; i < n; i++) out[i] = 0.5 * (f[i] + f[i + 1]);
}

static int write_grid(hid_t f, const Case *c, const Grid *g) {
  size_t nmax = (size_t)(g->nx > g->ny ? g->nx : g->ny) + 1;
  if ((size_t)g->nz + 1 > nmax) nmax = (size_t)g->nz + 1;
  double *buf = malloc(nmax * sizeof *buf);
  long long *lay = malloc(((size_t)g->nz + 1) * sizeof *lay);
  hid_t grp = out_h5_group(f, "grid");
  int bad = !buf || !lay || grp < 0;
  if (!bad) {
    hsize_t n;
    n = (hsize_t)g->nx + 1;
    bad |= out_h5_doubles(grp, "x_faces_m", 1, &n, g->x, "m", "cell faces along x");
    n = (hsize_t)g->ny + 1;
    bad |= out_h5_doubles(grp, "y_faces_m", 1, &n, g->y, "m", "cell faces along y");
    n = (hsize_t)g->nz + 1;
    bad |= out_h5_doubles(grp, "z_faces_m", 1, &n, g->z, "m",
                          "cell faces along z: 0 at the cold-plate fin root, growing into the "
                          "stack");
    n = (hsize_t)g->nx;
    centres(g->x, g->nx, buf);
    bad |= out_h5_doubles(grp, "x_centres_m", 1, &n, buf, "m", "cell centres along x");
    n = (hsize_t)g->ny;
    centres(g->y, g->ny, buf);
    bad |= out_h5_doubles(grp, "y_centres_m", 1, &n, buf, "m", "cell centres along y");
    n = (hsize_t)g->nz;
    centres(g->z, g->nz, buf);
    bad |= out_h5_doubles(grp, "z_centres_m", 1, &n, buf, "m", "cell centres along z");
    for (int k = 0; k < g->nz; k++) lay[k] = g->layer_of_k[k];
    bad |= out_h5_ints(grp, "layer_of_z_cell", g->nz, lay, "1",
                       "index into layer_names (the case's stack) of each z cell");
    const char *names[CASE_MAX_LAYERS];
    for (int l = 0; l < c->n_layers; l++) names[l] = c->layers[l].name;
    bad |= out_h5_texts(grp, "layer_names", c->n_layers, names,
                        "the case's stack, coolant side first (interfaces have no cells)");
  }
  if (grp >= 0) H5Gclose(grp);
  free(buf);
  free(lay);
  return bad;
}

/* /limits/<name>: the quantity it bounds, its value and limit in that
 * quantity's unit, the margin and whether it holds. */
static int write_limits(hid_t f, const LimitsResult *l) {
  hid_t grp = out_h5_group(f, "limits");
  int bad = grp < 0;
  if (!bad)
    bad |= out_h5_attr(grp, "description",
                       "each limit of the case: the registered quantity it bounds (from above, "
                       "or from below for a *_min_* limit), value, limit, margin (>= 0 when it "
                       "holds) and whether it holds");
  for (int i = 0; i < l->n && !bad; i++) {
    const LimitCheck *k = &l->checks[i];
    hid_t lg = H5Gcreate2(grp, k->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    bad = lg < 0;
    if (!bad) {
      bad |= out_h5_texts(lg, "quantity", -1, &k->quantity, "the registered quantity bounded");
      bad |= out_h5_doubles(lg, "value", 0, NULL, &k->value, k->unit, "the quantity in this run");
      bad |= out_h5_doubles(lg, "limit", 0, NULL, &k->limit, k->unit, "the case's limit");
      bad |= out_h5_doubles(lg, "margin", 0, NULL, &k->margin, k->unit,
                            k->lower ? "value - limit (a lower bound): >= 0 when the limit holds"
                                     : "limit - value: >= 0 when the limit holds");
      const char *bound = k->lower ? "min" : "max";
      bad |= out_h5_texts(lg, "bound", -1, &bound, "max: an upper bound, min: a lower bound");
      bad |= out_h5_bools(lg, "ok", -1, &k->ok, "the limit holds");
      H5Gclose(lg);
    }
  }
  if (grp >= 0) H5Gclose(grp);
  return bad;
}

int Output_write_h5(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                    const OutputOptions *opt, const char *path, char *err, size_t err_size) {
  char why[OUT_H5_WHY] = "";
  out_h5_capture(why); /* errors come back as return codes, the first reason kept */
  hid_t f = out_h5_memory(path);
  if (f < 0) {
    out_h5_capture(NULL);
    snprintf(err, err_size, "cannot create %s: %s; check that the directory is writable", path,
             why[0] ? why : "no detail from HDF5");
    return EB_EFAIL;
  }
  int bad = out_h5_attr(f, "program", "ebsim") || out_h5_attr(f, "version", opt->version) ||
            out_h5_attr(f, "case_name", c->name);
  bad = bad || write_grid(f, c, g);
  for (int i = 0; i < Registry_size(reg) && !bad; i++) {
    const ResultEntry *e = Registry_at(reg, i);
    if (!Result_has(r, e)) continue;
    hid_t grp = out_h5_group(f, e->group);
    const int rows_later = opt->h5_rows == OUTPUT_H5_ROWS_LATER &&
                           (e->kind == RES_FIELD || e->kind == RES_MAP);
    bad = grp < 0 || (rows_later ? out_h5_entry_space(grp, e, r, g) : out_h5_entry(grp, e, r, g));
    if (grp >= 0) H5Gclose(grp);
  }
  const LimitsResult *lim = r->part[RESULT_LIMITS];
  if (!bad && lim) bad = write_limits(f, lim);
  if (!bad) {
    hid_t grp = out_h5_group(f, "case");
    const char *text = opt->case_text ? opt->case_text : "";
    bad = grp < 0 || out_h5_texts(grp, "resolved_yaml", -1, &text,
                                  "the case after --set overrides, every default included");
    if (!bad && opt->case_source) {
      /* the file as written: its comments say which values are assumptions ([E]) */
      const char *path = opt->case_path ? opt->case_path : "";
      bad = out_h5_texts(grp, "source_yaml", -1, &opt->case_source,
                         "the case file as read, comments included (before --set)") ||
            out_h5_texts(grp, "source_path", -1, &path, "the case file's name as given");
    }
    if (grp >= 0) H5Gclose(grp);
  }
  if (bad) {
    H5Fclose(f);
    out_h5_capture(NULL);
    snprintf(err, err_size, "HDF5 error while writing %s: %s", path,
             why[0] ? why : "no detail from HDF5");
    return EB_EFAIL;
  }
  int rc = out_h5_memory_save(f, path, why, err, err_size);
  out_h5_capture(NULL);
  return rc;
}

/* ---- result.h5 by the ranks together ---------------------------------------------------- */

int Output_write_h5_start(const Case *c, const Grid *g, const Registry *reg, const Result *r,
                          const OutputOptions *opt, const char *name, char *err,
                          size_t err_size) {
  char path[1100];
  out_path(path, sizeof path, opt->dir, name, 1);
  OutputOptions o = *opt;
  o.h5_rows = OUTPUT_H5_ROWS_LATER;
  return Output_write_h5(c, g, reg, r, &o, path, err, err_size);
}

/* Every rank's verdict, the first failing rank's message on all. */
static int agree(MPI_Comm comm, int rank, int nranks, int bad, char *err, size_t err_size) {
  int mine = bad ? rank : nranks, first = nranks;
  if (MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm) != MPI_SUCCESS) {
    snprintf(err, err_size, "result.h5: MPI_Allreduce failed");
    return EB_EFAIL;
  }
  if (first == nranks) return EB_OK;
  char msg[EB_ERRLEN];
  snprintf(msg, sizeof msg, "%s", err);
  MPI_Bcast(msg, (int)sizeof msg, MPI_CHAR, first, comm);
  snprintf(err, err_size, "%s", msg);
  return EB_EFAIL;
}

/* Rank 0 reserves the blocks the fields will take before anyone writes:
 * HDF5 meeting a full disk while it writes leaves a file it cannot close
 * (see out_h5_memory), so a disk without the room is found here. */
static int reserve(const char *path, const char *dir, double bytes, char *err, size_t err_size) {
  int fd = open(path, O_WRONLY);
  struct stat sb;
  int e = fd < 0 || fstat(fd, &sb) != 0 ? errno : 0;
  if (!e) {
    e = fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, sb.st_size + (off_t)bytes + (1 << 20)) ? errno : 0;
    if (e == EOPNOTSUPP) e = 0; /* a file system without it: HDF5's own errors then */
  }
  if (fd >= 0) close(fd);
  if (!e) return EB_OK;
  struct statvfs vs;
  const double free_mb =
      statvfs(dir, &vs) == 0 ? (double)vs.f_bavail * (double)vs.f_frsize / 1e6 : -1.0;
  snprintf(err, err_size,
           "cannot write %s/result.h5: %s (its fields need %.1f MB, %.1f MB free there). Nothing "
           "is left under its name; free space or choose another --out",
           dir, strerror(e), bytes / 1e6, free_mb);
  return EB_EFAIL;
}

int Output_write_h5_rows(const Grid *g, const Registry *reg, const Result *r, const char *dir,
                         const char *name, MPI_Comm comm, char *err, size_t err_size) {
  int rank = 0, nranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &nranks);
  char path[1100], why[OUT_H5_WHY] = "";
  out_path(path, sizeof path, dir, name, 1);
  err[0] = '\0';
  const int nx = g->nx, ny = g->ny, nz = g->nz;
  const size_t ncol = (size_t)nx * ny;
  double bytes = 0.0;
  for (int i = 0; i < Registry_size(reg); i++) {
    const ResultEntry *e = Registry_at(reg, i);
    if (Result_has(r, e) && (e->kind == RES_FIELD || e->kind == RES_MAP))
      bytes += 8.0 * (double)ncol * (e->kind == RES_FIELD ? nz : 1);
  }
  int rc = rank == 0 ? reserve(path, dir, bytes, err, err_size) : EB_OK;
  if (agree(comm, rank, nranks, rc != EB_OK, err, err_size) != EB_OK) {
    if (rank == 0) remove(path); /* no temporary file is left */
    return EB_EFAIL;
  }
  /* this rank's rows, as the solver splits them */
  int j0, j1;
  Grid_rank_rows(ny, rank, nranks, &j0, &j1);
  const size_t own = (size_t)nx * (size_t)(j1 - j0);
  double *buf = malloc((own ? own : 1) * sizeof *buf);
  out_h5_capture(why);
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), dxpl = H5Pcreate(H5P_DATASET_XFER);
  int bad = !buf || fapl < 0 || dxpl < 0 || H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL) < 0 ||
            H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE) < 0;
  if (agree(comm, rank, nranks, bad, why, sizeof why) != EB_OK) {
    free(buf);
    if (fapl >= 0) H5Pclose(fapl);
    if (dxpl >= 0) H5Pclose(dxpl);
    out_h5_capture(NULL);
    snprintf(err, err_size, "cannot set up parallel HDF5 for %s: %s", path,
             why[0] ? why : "out of memory");
    if (rank == 0) remove(path);
    return EB_EFAIL;
  }
  hid_t f = H5Fopen(path, H5F_ACC_RDWR, fapl); /* collective */
  H5Pclose(fapl);
  bad = f < 0;
  if (agree(comm, rank, nranks, bad, why, sizeof why) != EB_OK) {
    if (f >= 0) H5Fclose(f);
    H5Pclose(dxpl);
    free(buf);
    out_h5_capture(NULL);
    snprintf(err, err_size, "cannot open %s with MPI-IO: %s", path,
             why[0] ? why : "no detail from HDF5");
    if (rank == 0) remove(path);
    return EB_EFAIL;
  }
  /* every rank makes the same collective calls whatever failed; the
   * verdict is agreed at the end */
  for (int i = 0; i < Registry_size(reg); i++) {
    const ResultEntry *e = Registry_at(reg, i);
    if (!Result_has(r, e) || (e->kind != RES_FIELD && e->kind != RES_MAP)) continue;
    char name[300];
    snprintf(name, sizeof name, "%s/%s", e->group, e->name);
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    int dbad = d < 0;
    if (agree(comm, rank, nranks, dbad, why, sizeof why) != EB_OK) {
      if (d >= 0) H5Dclose(d);
      bad = 1;
      break;
    }
    const double *v = Result_array(r, e);
    const int field = e->kind == RES_FIELD, planes = field ? nz : 1;
    hid_t fs = H5Dget_space(d);
    hsize_t mcount[1] = {own};
    hid_t ms = H5Screate_simple(1, mcount, NULL);
    for (int k = 0; k < planes; k++) {
      /* this rank's rows of plane k: contiguous in v (a field holds only
       * them, a map is whole), one hyperslab in the file */
      const double *vk = field ? v + (size_t)k * own : v + (size_t)j0 * nx;
      for (size_t q = 0; q < own; q++) buf[q] = Result_to_output(e, vk[q]);
      hsize_t start[3] = {(hsize_t)k, (hsize_t)j0, 0}, count[3] = {1, (hsize_t)(j1 - j0), (hsize_t)nx};
      int sbad = own == 0 ? H5Sselect_none(fs) < 0 || H5Sselect_none(ms) < 0
                          : H5Sselect_hyperslab(fs, H5S_SELECT_SET, field ? start : start + 1,
                                                NULL, field ? count : count + 1, NULL) < 0 ||
                                H5Sselect_all(ms) < 0;
      dbad |= sbad || H5Dwrite(d, H5T_NATIVE_DOUBLE, ms, fs, dxpl, buf) < 0;
    }
    H5Sclose(ms);
    H5Sclose(fs);
    dbad |= H5Dclose(d) < 0;
    bad |= dbad;
  }
  H5Pclose(dxpl);
  bad |= H5Fclose(f) < 0; /* collective */
  out_h5_capture(NULL);
  free(buf);
  if (bad && !err[0])
    snprintf(err, err_size, "HDF5 error while the ranks wrote %s: %s", path,
             why[0] ? why : "no detail from HDF5");
  rc = agree(comm, rank, nranks, bad, err, err_size);
  if (rc != EB_OK && rank == 0) remove(path);
  return rc;
}
