/* runtime.c - MPI and hypre start-up and shut-down. */
#include "runtime.h"

#include <mpi.h>

#include "../../cases/case.h"
#include "HYPRE_utilities.h"

static int started_mpi, started_hypre;

int Runtime_init(int *argc, char ***argv) {
  int ready = 0;
  MPI_Initialized(&ready);
  if (!ready) {
    if (MPI_Init(argc, argv) != MPI_SUCCESS) return EB_EFAIL;
    started_mpi = 1;
  }
  if (!started_hypre) {
    if (HYPRE_Init() != 0) return EB_EFAIL;
    started_hypre = 1;
  }
  return EB_OK;
}

/* Before MPI_Init (a sweep's parent process, `check`) this is one rank. */
static int mpi_up(void) {
  int ready = 0, done = 0;
  MPI_Initialized(&ready);
  MPI_Finalized(&done);
  return ready && !done;
}

int Runtime_size(void) {
  int n = 1;
  if (mpi_up()) MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

int Runtime_rank(void) {
  int r = 0;
  if (mpi_up()) MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

void Runtime_bcast_int(int *v) {
  if (Runtime_size() > 1) MPI_Bcast(v, 1, MPI_INT, 0, MPI_COMM_WORLD);
}

void Runtime_finalize(void) {
  if (started_hypre) HYPRE_Finalize();
  started_hypre = 0;
  int done = 0;
  MPI_Finalized(&done);
  if (started_mpi && !done) MPI_Finalize();
  started_mpi = 0;
}
