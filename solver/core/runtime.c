/* runtime.c - MPI and hypre start-up and shut-down. */
#include "runtime.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../cases/case.h"
#include "HYPRE_utilities.h"

static int started_mpi, started_hypre;
static MPI_Comm group = MPI_COMM_NULL; /* after Runtime_split; else the world */

/* A launcher started this process (mpirun, srun): its rank is in the
 * environment before MPI starts. */
static int launched(void) {
  static const char *const keys[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE",
                                     "SLURM_PROCID"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (getenv(keys[i])) return 1;
  return 0;
}

int Runtime_init(int *argc, char ***argv) {
  int ready = 0;
  MPI_Initialized(&ready);
  if (!ready) {
    /* Started without mpirun, Open MPI (4.1) makes this process a
     * singleton and by default spawns a daemon (orted) for it, for
     * dynamic processes ebsim never starts (a sweep's workers are
     * processes of their own, each its own singleton), and then picks its
     * messaging layer by starting the network ones (libfabric, UCX) first,
     * though a singleton talks only to itself. An isolated singleton with
     * ob1 alone took a bare hypre process's start from 0.42 to 0.08 s on
     * the README's 2-core VM (0.29 s with ob1 and the daemon). Isolated
     * singletons all share one job id, so their session directories
     * (/tmp/ompi.HOST.UID/jf.0) are one: a process ending removed it under
     * another's start (MPI_Init failed in a parallel test run), and they
     * need none: none is made. Launched processes keep every default (on
     * a cluster the network layers are the point); a user's own values
     * win. */
    if (!launched()) {
      setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
      setenv("OMPI_MCA_orte_create_session_dirs", "0", 0);
      setenv("OMPI_MCA_pml", "ob1", 0);
    }
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
