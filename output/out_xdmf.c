/* out_xdmf.c - result.xdmf: lets ParaView/VisIt read result.h5 directly.
 * Coordinates in metres (faces); every registered 3D field on the volume
 * mesh and every map on the wafer mesh, cell-centred. */
#include <math.h>
#include <stdio.h>

#include "output.h"

static void attribute(FILE *f, const char *h5_name, const ResultEntry *e, const char *dims) {
  fprintf(f,
          "   <Attribute Name=\"%s\" AttributeType=\"Scalar\" Center=\"Cell\">\n"
          "    <DataItem Dimensions=\"%s\" NumberType=\"Float\" Precision=\"8\" "
          "Format=\"HDF\">%s:/%s/%s</DataItem>\n"
          "   </Attribute>\n",
          e->name, dims, h5_name, e->group, e->name);
}

/* The volume mesh and every registered 3D field of r, stored in h5_name;
 * with a time (finite) as one step of a temporal collection. */
static void volume_grid(FILE *f, const Grid *g, const Registry *reg, const Result *r,
                        const char *h5_name, const char *name, double time) {
  const int nx = g->nx, ny = g->ny, nz = g->nz;
  char d3[64];
  snprintf(d3, sizeof d3, "%d %d %d", nz, ny, nx);
  fprintf(f, "  <Grid Name=\"%s\" GridType=\"Uniform\">\n", name);
  if (isfinite(time)) fprintf(f, "   <Time Value=\"%.9g\"/>\n", time);
  fprintf(f,
          "   <Topology TopologyType=\"3DRectMesh\" Dimensions=\"%d %d %d\"/>\n"
          "   <Geometry GeometryType=\"VXVYVZ\">\n",
          nz + 1, ny + 1, nx + 1);
  const char *axes[3] = {"x", "y", "z"};
  const int n[3] = {nx, ny, nz};
  for (int a = 0; a < 3; a++)
    fprintf(f,
            "    <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" "
            "Format=\"HDF\">%s:/grid/%s_faces_m</DataItem>\n",
            n[a] + 1, h5_name, axes[a]);
  fprintf(f, "   </Geometry>\n");
  for (int i = 0; i < Registry_size(reg); i++) {
    const ResultEntry *e = Registry_at(reg, i);
    if (e->kind == RES_FIELD && Result_has(r, e)) attribute(f, h5_name, e, d3);
  }
}

int Output_write_xdmf(const Grid *g, const Registry *reg, const Result *r, const char *h5_name,
                      const char *path, char *err, size_t err_size) {
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(err, err_size, "cannot create %s", path);
    return EB_EFAIL;
  }
  const int nx = g->nx, ny = g->ny;
  char d2[64];
  snprintf(d2, sizeof d2, "%d %d", ny, nx);
  fprintf(f, "<?xml version=\"1.0\" ?>\n<Xdmf Version=\"3.0\">\n <Domain>\n");
  volume_grid(f, g, reg, r, h5_name, "volume", NAN);
  /* the wafer maps on a 2D mesh: the attributes match the [ny][nx] datasets
   * exactly (ParaView places it at z = 0) */
  fprintf(f,
          "  </Grid>\n"
          "  <Grid Name=\"wafer\" GridType=\"Uniform\">\n"
          "   <Topology TopologyType=\"2DRectMesh\" Dimensions=\"%d %d\"/>\n"
          "   <Geometry GeometryType=\"VXVY\">\n"
          "    <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" "
          "Format=\"HDF\">%s:/grid/x_faces_m</DataItem>\n"
          "    <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" "
          "Format=\"HDF\">%s:/grid/y_faces_m</DataItem>\n"
          "   </Geometry>\n",
          ny + 1, nx + 1, nx + 1, h5_name, ny + 1, h5_name);
  for (int i = 0; i < Registry_size(reg); i++) {
    const ResultEntry *e = Registry_at(reg, i);
    if (e->kind == RES_MAP && Result_has(r, e)) attribute(f, h5_name, e, d2);
  }
  fprintf(f, "  </Grid>\n </Domain>\n</Xdmf>\n");
  if (fclose(f) != 0) {
    snprintf(err, err_size, "cannot write %s", path);
    return EB_EFAIL;
  }
  return EB_OK;
}

int Output_write_xdmf_series(const Grid *g, const Registry *reg, const Result *r, int n,
                             const double *t_s, const char *const *h5_names, const char *path,
                             char *err, size_t err_size) {
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(err, err_size, "cannot create %s", path);
    return EB_EFAIL;
  }
  fprintf(f, "<?xml version=\"1.0\" ?>\n<Xdmf Version=\"3.0\">\n <Domain>\n"
             "  <Grid Name=\"snapshots\" GridType=\"Collection\" CollectionType=\"Temporal\">\n");
  for (int i = 0; i < n; i++) {
    char name[64];
    snprintf(name, sizeof name, "t = %.6g s", t_s[i]);
    volume_grid(f, g, reg, r, h5_names[i], name, t_s[i]);
    fprintf(f, "  </Grid>\n");
  }
  fprintf(f, "  </Grid>\n </Domain>\n</Xdmf>\n");
  if (fclose(f) != 0) {
    snprintf(err, err_size, "cannot write %s", path);
    return EB_EFAIL;
  }
  return EB_OK;
}
