/* pool.h - a study's points shared among worker processes on this machine.
 *
 * A worker is this executable started with the study's own arguments plus
 * `--worker K/N --out PART_DIR`: it runs the points i with i % N == K and
 * writes its part of the files into PART_DIR (dir/.worker-K). Processes,
 * not threads: hypre and MPI state are per process. */
#ifndef EBSIM_POOL_H
#define EBSIM_POOL_H

#include <stddef.h>

#define POOL_MAX_JOBS 64
#define POOL_PATH_LEN 700

/* Called about every 0.2 s while workers run (progress). */
typedef void (*PoolPoll)(int running, void *user);

/* The number of workers for n_points: jobs (0: one per core), at most
 * POOL_MAX_JOBS and n_points. */
int Pool_jobs(int jobs, size_t n_points);

/* Start `jobs` workers of argv (NULL-terminated; argv[0] is replaced by
 * this executable) and wait for them. part[k] gets worker k's directory.
 * A worker that exits 0 or 1 (some of its points failed: they are in its
 * files) is done; any other ending is EB_EFAIL with a message. */
int Pool_run(const char *const *argv, int jobs, const char *dir, char part[][POOL_PATH_LEN],
             PoolPoll poll, void *user, char *err, size_t err_size);

#endif
