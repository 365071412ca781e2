/* out_h5.c - result.h5: the grid, every registered quantity of the result
 * in its group (summary scalars, per-die table, maps, 3D field, curves), the
 * limits, the resolved case and the case file's own text. Every dataset
 * carries `units` and `description`; counts are integers, flags booleans,
 * text UTF-8. */
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

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
    bad = grp < 0 || out_h5_entry(grp, e, r, g);
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
