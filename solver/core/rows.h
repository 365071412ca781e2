/* rows.h - collective helpers for what the ranks of a run hold split by
 * grid rows (Grid_rank_rows): a whole plane from each rank's own rows,
 * sums and maxima over the ranks. A field split this way holds rows
 * j0..j1-1 of every plane, the planes nx*(j1-j0) apart (GridRows).
 *
 * Every function is collective over comm and gives every rank the same
 * bits: sums add the ranks' parts in rank order on every rank, so no rank's
 * answer depends on a reduction tree. comm MPI_COMM_NULL (or one rank):
 * nothing to do. Failures are MPI's (with its default handler they abort
 * first); EB_EFAIL then, with the call named in err. */
#ifndef EBSIM_ROWS_H
#define EBSIM_ROWS_H

#include <mpi.h>
#include <stddef.h>

#include "../../geometry/grid.h"

/* The rows of a field held here: [j0, j1) of every plane. */
typedef struct {
  int j0, j1;
} GridRows;

/* This rank's rows of comm's split (all rows for MPI_COMM_NULL). */
GridRows Rows_own(const Grid *g, MPI_Comm comm);
static inline size_t Rows_plane(const Grid *g, GridRows r) {
  return (size_t)g->nx * (size_t)(r.j1 - r.j0);
}
/* Cells of a field held by rows r: nz planes of its rows. */
static inline size_t Rows_cells(const Grid *g, GridRows r) {
  return Rows_plane(g, r) * (size_t)g->nz;
}
/* Cell (k, col) of a field held by rows r; col = i + nx j with j in r. */
static inline size_t Rows_at(const Grid *g, GridRows r, int k, size_t col) {
  return (size_t)k * Rows_plane(g, r) + col - (size_t)r.j0 * (size_t)g->nx;
}
static inline int Rows_has(const Grid *g, GridRows r, size_t col) {
  const int j = (int)(col / (size_t)g->nx);
  return j >= r.j0 && j < r.j1;
}

/* plane (nx*ny): each rank's own rows, in place, to the whole plane on
 * every rank. */
int Rows_gather_plane(MPI_Comm comm, const Grid *g, double *plane, char *err, size_t es);
/* The same from own (this rank's rows of the plane, nx*(j1-j0) values). */
int Rows_gather_own(MPI_Comm comm, const Grid *g, const double *own, double *plane, char *err,
                    size_t es);
/* The whole field (nz planes of nx*ny) on every rank from each rank's
 * own rows (own: nz planes of its rows). */
int Rows_gather_field(MPI_Comm comm, const Grid *g, const double *own, double *whole, char *err,
                      size_t es);
/* The rows a rank's coefficients hold: its own and one ghost row either
 * side (none past the grid's edges), the faces of its rows need no more
 * (DiffusionProblem.coef_lo). */
static inline GridRows Rows_ghosted(const Grid *g, GridRows r) {
  return (GridRows){r.j0 > 0 ? r.j0 - 1 : 0, r.j1 < g->ny ? r.j1 + 1 : g->ny};
}
/* held: a plane's rows Rows_ghosted(Rows_own(g, comm)); its ghost rows
 * from the neighbouring ranks' own rows (each rank sends its first and last
 * row). */
int Rows_halo(MPI_Comm comm, const Grid *g, double *held, char *err, size_t es);
/* v[0..n): the sum over the ranks, added in rank order. */
int Rows_sum(MPI_Comm comm, double *v, int n, char *err, size_t es);
/* v[0..n): the largest over the ranks (NaN counts as -inf). */
int Rows_max(MPI_Comm comm, double *v, int n, char *err, size_t es);
/* *v: the largest over the ranks; *winner: the lowest rank that holds it
 * (the first in a scan by rows). */
int Rows_argmax(MPI_Comm comm, double *v, int *winner, char *err, size_t es);
/* *index: the smallest over the ranks (the first in a scan of something
 * each rank scanned its part of; LLONG_MAX: none here). */
int Rows_first(MPI_Comm comm, long long *index, char *err, size_t es);
/* n bytes at buf from rank root to every rank. */
int Rows_bcast(MPI_Comm comm, void *buf, int n, int root, char *err, size_t es);

#endif
