/* pool.h - a study's points shared among worker processes on this machine.
 *
 * A worker is this executable started with the study's own arguments plus
 * `--worker K/N`: it claims points one at a time from those not yet taken
 * (so that a slow point does not hold up a fixed share) and saves each
 * finished point for its parent to collect (output/out_sweep.h).
 * Processes, not threads: hypre and MPI state are per process. */
#ifndef EBSIM_POOL_H
#define EBSIM_POOL_H

#include <stddef.h>

#define POOL_MAX_JOBS 64

/* Called about every 0.2 s while workers run (progress). */
typedef void (*PoolPoll)(int running, void *user);

/* The number of workers for n_points: jobs (0: one per core this process
 * may use, Resources_cpus), at most POOL_MAX_JOBS and n_points. */
int Pool_jobs(int jobs, size_t n_points);

/* Start `jobs` workers of argv (NULL-terminated; argv[0] is replaced by
 * this executable, `--worker K/N` appended) and wait for them. A worker
 * exits 0 when it has saved every point it solved (failed points are saved
 * as failed); any other ending is EB_EFAIL with a message. */
int Pool_run(const char *const *argv, int jobs, PoolPoll poll, void *user, char *err,
             size_t err_size);

#endif
