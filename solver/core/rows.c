/* rows.c - gathers and reductions over grid rows split among ranks. */
#include "rows.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cases/case.h"

static int size_of(MPI_Comm comm, int *rank) {
  int n = 1;
  *rank = 0;
  if (comm == MPI_COMM_NULL) return 1;
  MPI_Comm_size(comm, &n);
  MPI_Comm_rank(comm, rank);
  return n;
}

static int failed(char *err, size_t es, const char *call, int n) {
  snprintf(err, es, "rows: %s failed (%d values)", call, n);
  return EB_EFAIL;
}

GridRows Rows_own(const Grid *g, MPI_Comm comm) {
  int rank, n = size_of(comm, &rank);
  GridRows r;
  Grid_rank_rows(g->ny, rank, n, &r.j0, &r.j1);
  return r;
}

/* counts and displacements of each rank's rows of a plane, in values */
static int plane_split(const Grid *g, int n, int **counts, int **displs) {
  *counts = malloc((size_t)n * sizeof(int));
  *displs = malloc((size_t)n * sizeof(int));
  if (!*counts || !*displs) return -1;
  for (int r = 0; r < n; r++) {
    int j0, j1;
    Grid_rank_rows(g->ny, r, n, &j0, &j1);
    (*counts)[r] = g->nx * (j1 - j0);
    (*displs)[r] = g->nx * j0;
  }
  return 0;
}

int Rows_gather_plane(MPI_Comm comm, const Grid *g, double *plane, char *err, size_t es) {
  int rank, n = size_of(comm, &rank);
  if (n == 1) return EB_OK;
  int *counts = NULL, *displs = NULL, rc = EB_OK;
  if (plane_split(g, n, &counts, &displs) != 0) {
    snprintf(err, es, "rows: out of memory");
    rc = EB_EFAIL;
  } else if (MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, plane, counts, displs, MPI_DOUBLE,
                            comm) != MPI_SUCCESS)
    rc = failed(err, es, "MPI_Allgatherv of a plane", g->nx * g->ny);
  free(counts);
  free(displs);
  return rc;
}

int Rows_gather_own(MPI_Comm comm, const Grid *g, const double *own, double *plane, char *err,
                    size_t es) {
  const GridRows r = Rows_own(g, comm);
  memcpy(plane + (size_t)r.j0 * g->nx, own, Rows_plane(g, r) * sizeof(double));
  return Rows_gather_plane(comm, g, plane, err, es);
}

int Rows_halo(MPI_Comm comm, const Grid *g, double *held, char *err, size_t es) {
  int rank, n = size_of(comm, &rank);
  if (n == 1) return EB_OK;
  const GridRows r = Rows_own(g, comm), h = Rows_ghosted(g, r);
  const int nx = g->nx;
  const int below = rank > 0 ? rank - 1 : MPI_PROC_NULL;
  const int above = rank < n - 1 ? rank + 1 : MPI_PROC_NULL;
  double *first = held + (size_t)(r.j0 - h.j0) * nx, *last = held + (size_t)(r.j1 - 1 - h.j0) * nx;
  /* no ghost past the grid's edge: nothing received there (count 0) */
  const int n_lo = below != MPI_PROC_NULL ? nx : 0, n_hi = above != MPI_PROC_NULL ? nx : 0;
  double *ghost_hi = n_hi ? held + (size_t)(r.j1 - h.j0) * nx : held;
  /* up: the last own row to the rank above, whose ghost below it is; then down */
  if (MPI_Sendrecv(last, n_hi, MPI_DOUBLE, above, 71, held, n_lo, MPI_DOUBLE, below, 71, comm,
                   MPI_STATUS_IGNORE) != MPI_SUCCESS ||
      MPI_Sendrecv(first, n_lo, MPI_DOUBLE, below, 72, ghost_hi, n_hi, MPI_DOUBLE, above, 72, comm,
                   MPI_STATUS_IGNORE) != MPI_SUCCESS)
    return failed(err, es, "MPI_Sendrecv of a ghost row", nx);
  return EB_OK;
}

int Rows_gather_field(MPI_Comm comm, const Grid *g, const double *own, double *whole, char *err,
                      size_t es) {
  const size_t ncol = (size_t)g->nx * g->ny, np = Rows_plane(g, Rows_own(g, comm));
  for (int k = 0; k < g->nz; k++) {
    const int rc = Rows_gather_own(comm, g, own + (size_t)k * np, whole + (size_t)k * ncol, err, es);
    if (rc != EB_OK) return rc;
  }
  return EB_OK;
}

int Rows_sum(MPI_Comm comm, double *v, int n, char *err, size_t es) {
  int rank, nr = size_of(comm, &rank);
  if (nr == 1 || n == 0) return EB_OK;
  double *all = malloc((size_t)n * (size_t)nr * sizeof(double));
  if (!all) {
    snprintf(err, es, "rows: out of memory for a sum of %d values over %d ranks", n, nr);
    return EB_EFAIL;
  }
  if (MPI_Allgather(v, n, MPI_DOUBLE, all, n, MPI_DOUBLE, comm) != MPI_SUCCESS) {
    free(all);
    return failed(err, es, "MPI_Allgather of a sum", n);
  }
  for (int q = 0; q < n; q++) {
    double s = 0.0;
    for (int r = 0; r < nr; r++) s += all[(size_t)r * n + q];
    v[q] = s;
  }
  free(all);
  return EB_OK;
}

int Rows_max(MPI_Comm comm, double *v, int n, char *err, size_t es) {
  int rank, nr = size_of(comm, &rank);
  if (nr == 1 || n == 0) return EB_OK;
  for (int q = 0; q < n; q++)
    if (isnan(v[q])) v[q] = -INFINITY;
  if (MPI_Allreduce(MPI_IN_PLACE, v, n, MPI_DOUBLE, MPI_MAX, comm) != MPI_SUCCESS)
    return failed(err, es, "MPI_Allreduce (max)", n);
  return EB_OK;
}

int Rows_argmax(MPI_Comm comm, double *v, int *winner, char *err, size_t es) {
  int rank, nr = size_of(comm, &rank);
  *winner = 0;
  if (nr == 1) return EB_OK;
  const double mine = *v;
  int rc = Rows_max(comm, v, 1, err, es);
  if (rc != EB_OK) return rc;
  int cand = mine == *v ? rank : nr;
  if (MPI_Allreduce(&cand, winner, 1, MPI_INT, MPI_MIN, comm) != MPI_SUCCESS)
    return failed(err, es, "MPI_Allreduce (min rank)", 1);
  if (*winner == nr) *winner = 0; /* no rank holds it: every value was NaN */
  return EB_OK;
}

int Rows_first(MPI_Comm comm, long long *index, char *err, size_t es) {
  int rank, nr = size_of(comm, &rank);
  if (nr == 1) return EB_OK;
  if (MPI_Allreduce(MPI_IN_PLACE, index, 1, MPI_LONG_LONG, MPI_MIN, comm) != MPI_SUCCESS)
    return failed(err, es, "MPI_Allreduce (first index)", 1);
  return EB_OK;
}

int Rows_bcast(MPI_Comm comm, void *buf, int n, int root, char *err, size_t es) {
  int rank, nr = size_of(comm, &rank);
  if (nr == 1 || n == 0) return EB_OK;
  if (MPI_Bcast(buf, n, MPI_BYTE, root, comm) != MPI_SUCCESS)
    return failed(err, es, "MPI_Bcast", n);
  return EB_OK;
}
