/* runtime.c - MPI and hypre start-up and shut-down. */
#include "runtime.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../cases/case.h"
#include "HYPRE_utilities.h"

static int started_mpi, started_hypre;
static MPI_Comm group = MPI_COMM_NULL; /* after Runtime_split; else the world */

int Runtime_init(int *argc, char ***argv) {
  int ready = 0;
  MPI_Initialized(&ready);
  if (!ready) {
    /* Started without mpirun, Open MPI (4.1) makes this process a
     * singleton and by default spawns a daemon (orted) for it, for
     * dynamic processes ebsim never starts (a sweep's workers are
     * processes of their own, each its own singleton): 0.2-0.6 s of every
     * start on the README's 2-core VM. An isolated singleton starts without
     * it. Under mpirun the setting is not read; a user's own value wins. */
    setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
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

MPI_Comm Runtime_comm(void) { return group != MPI_COMM_NULL ? group : MPI_COMM_WORLD; }

int Runtime_size(void) {
  int n = 1;
  if (mpi_up()) MPI_Comm_size(Runtime_comm(), &n);
  return n;
}

MPI_Comm Runtime_field_comm(void) { return Runtime_size() > 1 ? Runtime_comm() : MPI_COMM_NULL; }

int Runtime_rank(void) {
  int r = 0;
  if (mpi_up()) MPI_Comm_rank(Runtime_comm(), &r);
  return r;
}

void Runtime_bcast_int(int *v) {
  if (Runtime_size() > 1) MPI_Bcast(v, 1, MPI_INT, 0, Runtime_comm());
}

int Runtime_world_size(void) {
  int n = 1;
  if (mpi_up()) MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

int Runtime_world_rank(void) {
  int r = 0;
  if (mpi_up()) MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int Runtime_split(int per_group, int *grp, int *n_groups, char *err, size_t err_size) {
  const int size = Runtime_world_size(), rank = Runtime_world_rank();
  if (per_group < 1 || per_group > size) {
    snprintf(err, err_size, "--ranks-per-point %d: give 1 to the job's %d ranks", per_group, size);
    return EB_EINPUT;
  }
  *grp = rank / per_group;
  *n_groups = (size + per_group - 1) / per_group;
  if (group != MPI_COMM_NULL) MPI_Comm_free(&group);
  if (!mpi_up() || MPI_Comm_split(MPI_COMM_WORLD, *grp, rank, &group) != MPI_SUCCESS) {
    group = MPI_COMM_NULL;
    snprintf(err, err_size, "cannot split the MPI job into groups of %d ranks", per_group);
    return EB_EFAIL;
  }
  return EB_OK;
}

void Runtime_finalize(void) {
  if (group != MPI_COMM_NULL && mpi_up()) MPI_Comm_free(&group);
  group = MPI_COMM_NULL;
  if (started_hypre) HYPRE_Finalize();
  started_hypre = 0;
  int done = 0;
  MPI_Finalized(&done);
  if (started_mpi && !done) MPI_Finalize();
  started_mpi = 0;
}
