/* runtime.h - process-wide set-up of MPI and hypre (once per process). */
#ifndef EBSIM_RUNTIME_H
#define EBSIM_RUNTIME_H

/* Initialise MPI (if not already) and hypre. Returns 0 or EB_EFAIL. */
int Runtime_init(int *argc, char ***argv);
/* Number of MPI ranks and this rank. */
int Runtime_size(void);
int Runtime_rank(void);
/* Finalise hypre and MPI if Runtime_init started them. */
void Runtime_finalize(void);

#endif
