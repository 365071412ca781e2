/* grid.h - the rectilinear finite-volume grid of the engine block.
 *
 * Lateral (x, y): the wafer footprint [0, wafer_size]^2, lower-left origin.
 * Grid lines fall on every die edge, brick edge and hotspot edge; the
 * intervals between them are split uniformly into cells no wider than
 * grid.dx_mm. Vertical (z): the stack's layers, coolant side first, z = 0 at
 * the fin root of the cold-plate base and growing into the stack; each layer
 * gets cells_z uniform cells (or ceil(thickness / grid.dz_mm)). Interface
 * layers have no cells: they sit on the face between two layers.
 *
 * Cells outside a layer's lateral extent are void (mask 0): no heat flows
 * into them. Cell (i, j, k) has linear index i + nx * (j + ny * k).
 */
#ifndef EBSIM_GRID_H
#define EBSIM_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "../cases/case.h"

typedef struct {
  int nx, ny, nz;
  double *x, *y, *z; /* cell faces: nx+1, ny+1, nz+1 values, metres */
  /* per z cell: the case layer it belongs to */
  int *layer_of_k;
  /* per case layer: first z cell and count (0 for interfaces) */
  int k0[CASE_MAX_LAYERS], nk[CASE_MAX_LAYERS];
  /* per z plane k: each column's solid (index into solids[], 0..n_solids-1,
   * or GRID_VOID), nx*ny values (i + nx*j). The planes of one layer share
   * one array (a layer's cells differ laterally only), so the material
   * index costs a plane per layer, not a byte per cell: no rank of an MPI
   * run holds a whole 3-D array. Read it with Grid_solid. */
  const uint8_t **solid_of_k;
  /* the planes' storage; Grid_alloc's holds nz planes in order, one per k
   * (a per-cell array in Grid_index order, for tests and tools that lay
   * out their own cells) */
  uint8_t *solid_store;
  int n_solids;
  /* copies, not pointers into the case: a grid outlives the case it was
   * built from (a solver keeps it across many case copies) */
  Solid solids[CASE_MAX_MATERIALS + CASE_MAX_LAYERS];
  /* per column (i, j): die index (row * die_columns + col) or -1 */
  int *die_of_col;
  /* z cells of the heat-source (active) face and the cold-plate base face */
  int k_source;  /* the wafer's cell on its active face */
  int k_channel; /* the base cell touching the fluid (k = 0; k0[0] with resolved fins) */
  /* fin_model resolved (else all 0, fin_solid and cover_solid -1): the
   * cold plate's cover and fin cells come before its base, at z < 0 (the
   * fin root stays at z = 0): cover cells k_cover0 .. +nk_cover (none for
   * an adiabatic cover), then fin cells k_fin0 .. +nk_fin; both belong to
   * layer 0 (layer_of_k) but not to its k0/nk, which stay the base's. The
   * fins are one volume-averaged solid (fin_solid), the lid another
   * (cover_solid): Grid_fin_solid says how. */
  int k_cover0, nk_cover, k_fin0, nk_fin;
  int fin_solid, cover_solid;
} Grid;

#define GRID_VOID 255

/* Build the grid for a validated case. Returns EB_OK, or EB_EINPUT with a
 * message (for example a grid too large for memory) in err. */
int Grid_create(const Case *c, Grid **out, char *err, size_t err_size);
/* The cell counts Grid_create would make, without allocating the grid
 * (to check memory first). Returns EB_OK. */
int Grid_dims(const Case *c, int *nx, int *ny, int *nz);
/* Case_fingerprint of the part of the case Grid_create reads (the other
 * fields blanked): equal fingerprints give identical grids (Grid_same), so
 * a solver can keep its grid when it sees the same value. */
uint64_t Grid_case_fingerprint(const Case *c);
void Grid_destroy(Grid *g);
/* An empty grid with every array allocated (zeroed): for tests and tools
 * that lay out their own cells. NULL when out of memory. */
Grid *Grid_alloc(int nx, int ny, int nz);

static inline size_t Grid_index(const Grid *g, int i, int j, int k) {
  return (size_t)i + (size_t)g->nx * ((size_t)j + (size_t)g->ny * (size_t)k);
}
static inline double Grid_dx(const Grid *g, int i) { return g->x[i + 1] - g->x[i]; }
static inline double Grid_dy(const Grid *g, int j) { return g->y[j + 1] - g->y[j]; }
static inline double Grid_dz(const Grid *g, int k) { return g->z[k + 1] - g->z[k]; }
/* The lateral area of column col = i + nx j, m^2. */
static inline double Grid_col_area(const Grid *g, size_t col) {
  return Grid_dx(g, (int)(col % (size_t)g->nx)) * Grid_dy(g, (int)(col / (size_t)g->nx));
}
static inline size_t Grid_cells(const Grid *g) { return (size_t)g->nx * g->ny * g->nz; }
/* The solid of cell (k, col), col = i + nx j: an index into solids[] or GRID_VOID. */
static inline uint8_t Grid_solid(const Grid *g, int k, size_t col) {
  return g->solid_of_k[k][col];
}
/* The rows j a rank owns under MPI, [*j0, *j1) of ny, as even as
 * possible: rank r of n owns [r ny / n, (r+1) ny / n). The one split every
 * module that shares rows agrees on (the conduction solve, KINSOL's
 * vector, the parallel result.h5). */
static inline void Grid_rank_rows(int ny, int rank, int nranks, int *j0, int *j1) {
  *j0 = (int)((long)rank * ny / nranks);
  *j1 = (int)((long)(rank + 1) * ny / nranks);
}

/* 1 if both grids have the same cells and the same solids in them (a
 * solver built for one serves the other). */
int Grid_same(const Grid *a, const Grid *b);

/* The volume-averaged solid of a resolved fin layer of material fin (one
 * channel pitch p = w + t of fin and fluid; flow along x or y): along the
 * flow and along z k_fin t/p (the fins' share of the section); across the
 * fins the series of fin and channel, p / (t/k_fin + w/k_water), the
 * conduction a stagnant channel would allow (about 1 W/mK, 0.3 % of the
 * rest: "nearly nothing", but not a zero coupling); rho times t/p. */
void Grid_fin_solid(const CaseLayer *L, const Solid *fin, Solid *out);

/* Die (column, row), 0-based, containing wafer point (x, y). */
void Grid_die_at(const Case *c, double x_m, double y_m, int *col, int *row);

#endif
