/* out_xdmf.c - result.xdmf: lets ParaView/VisIt read result.h5 directly.
 * Coordinates in metres (faces), temperature in C on cell centres. */
#include <stdio.h>

#include "output.h"

int Output_write_xdmf(const Grid *g, const char *h5_name, const char *path, char *err,
                      size_t err_size) {
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(err, err_size, "cannot create %s", path);
    return EB_EFAIL;
  }
  const int nx = g->nx, ny = g->ny, nz = g->nz;
  fprintf(f,
          "<?xml version=\"1.0\" ?>\n"
          "<Xdmf Version=\"3.0\">\n <Domain>\n"
          "  <Grid Name=\"volume\" GridType=\"Uniform\">\n"
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
  fprintf(f,
          "   </Geometry>\n"
          "   <Attribute Name=\"temperature_c\" AttributeType=\"Scalar\" Center=\"Cell\">\n"
          "    <DataItem Dimensions=\"%d %d %d\" NumberType=\"Float\" Precision=\"8\" "
          "Format=\"HDF\">%s:/fields/temperature_c</DataItem>\n"
          "   </Attribute>\n  </Grid>\n",
          nz, ny, nx, h5_name);
  /* the wafer maps on a 2D mesh: the attributes match the [ny][nx] datasets
   * exactly (ParaView places it at z = 0) */
  fprintf(f,
          "  <Grid Name=\"wafer\" GridType=\"Uniform\">\n"
          "   <Topology TopologyType=\"2DRectMesh\" Dimensions=\"%d %d\"/>\n"
          "   <Geometry GeometryType=\"VXVY\">\n"
          "    <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" "
          "Format=\"HDF\">%s:/grid/x_faces_m</DataItem>\n"
          "    <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" "
          "Format=\"HDF\">%s:/grid/y_faces_m</DataItem>\n"
          "   </Geometry>\n",
          ny + 1, nx + 1, nx + 1, h5_name, ny + 1, h5_name);
  const char *maps[4] = {"wafer_temperature_c", "heat_flux_plate_w_cm2", "coolant_temperature_c",
                         "power_density_w_cm2"};
  for (int m = 0; m < 4; m++)
    fprintf(f,
            "   <Attribute Name=\"%s\" AttributeType=\"Scalar\" Center=\"Cell\">\n"
            "    <DataItem Dimensions=\"%d %d\" NumberType=\"Float\" Precision=\"8\" "
            "Format=\"HDF\">%s:/maps/%s</DataItem>\n"
            "   </Attribute>\n",
            maps[m], ny, nx, h5_name, maps[m]);
  fprintf(f, "  </Grid>\n </Domain>\n</Xdmf>\n");
  if (fclose(f) != 0) {
    snprintf(err, err_size, "cannot write %s", path);
    return EB_EFAIL;
  }
  return EB_OK;
}
