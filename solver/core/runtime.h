/* runtime.h - process-wide set-up of MPI and hypre (once per process). */
#ifndef EBSIM_RUNTIME_H
#define EBSIM_RUNTIME_H

/* Initialise MPI (if not already) and hypre. Returns 0 or EB_EFAIL. */
int Runtime_init(int *argc, char ***argv);
/* Number of MPI ranks and this rank. */
int Runtime_size(void);
int Runtime_rank(void);
/* Rank 0's value of *v on every rank (a no-op on one rank). */
void Runtime_bcast_int(int *v);
/* Finalise hypre and MPI if Runtime_init started them. */
void Runtime_finalize(void);

#endif
