/* runtime.h - process-wide set-up of MPI and hypre (once per process).
 *
 * A run's ranks: MPI_COMM_WORLD, or after Runtime_split the group of ranks
 * this one shares a study's point with (mpirun -n N ebsim sweep
 * --ranks-per-point K). Runtime_size/rank/bcast and the solvers' comm are
 * the group's; Runtime_world_* are the whole job's. */
#ifndef EBSIM_RUNTIME_H
#define EBSIM_RUNTIME_H

#include <mpi.h>
#include <stddef.h>

/* Initialise MPI (if not already) and hypre. Returns 0 or EB_EFAIL. */
int Runtime_init(int *argc, char ***argv);
/* Number of MPI ranks and this rank, in the run's group. */
int Runtime_size(void);
int Runtime_rank(void);
/* Rank 0's value of *v on every rank of the group (a no-op on one rank). */
void Runtime_bcast_int(int *v);
/* The group's communicator (MPI_COMM_WORLD until Runtime_split). */
MPI_Comm Runtime_comm(void);
/* The ranks that share a field by rows (Rows_*): the group's communicator
 * when it has more than one rank, else MPI_COMM_NULL (one process holds
 * the field whole, with or without MPI). */
MPI_Comm Runtime_field_comm(void);
/* The whole job: its ranks and this rank. */
int Runtime_world_size(void);
int Runtime_world_rank(void);
/* Split the job into groups of per_group consecutive ranks (the last may
 * be smaller): *group this rank's, *n_groups their count. EB_EINPUT when
 * per_group is not 1 to the job's size. */
int Runtime_split(int per_group, int *group, int *n_groups, char *err, size_t err_size);
/* Finalise hypre and MPI if Runtime_init started them. */
void Runtime_finalize(void);

#endif
