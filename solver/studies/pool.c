/* pool.c - worker processes for a study (posix_spawn, waitpid). */
#include "pool.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../cases/case.h"
#include "../core/resources.h"

extern char **environ;

int Pool_jobs(int jobs, size_t n_points) {
  long n = jobs > 0 ? jobs : Resources_cpus();
  if (n < 1) n = 1;
  if (n > POOL_MAX_JOBS) n = POOL_MAX_JOBS;
  if ((size_t)n > n_points) n = (long)n_points;
  return (int)(n < 1 ? 1 : n);
}

int Pool_run(const char *const *argv, int jobs, PoolPoll poll, void *user, char *err,
             size_t err_size) {
  char exe[4096];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len <= 0) {
    snprintf(err, err_size, "cannot find the ebsim executable to start the workers");
    return EB_EFAIL;
  }
  exe[len] = '\0';
  int argc = 0;
  while (argv[argc]) argc++;
  const char **wargv = calloc((size_t)argc + 4, sizeof *wargv);
  if (!wargv) {
    snprintf(err, err_size, "out of memory starting the workers");
    return EB_EFAIL;
  }
  pid_t pid[POOL_MAX_JOBS];
  char share[POOL_MAX_JOBS][32];
  int rc = EB_OK, started = 0;
  for (int k = 0; k < jobs && k < POOL_MAX_JOBS && rc == EB_OK; k++) {
    snprintf(share[k], sizeof share[k], "%d/%d", k, jobs);
    int n = 0;
    wargv[n++] = exe;
    for (int i = 1; i < argc; i++) wargv[n++] = argv[i];
    wargv[n++] = "--worker";
    wargv[n++] = share[k];
    wargv[n] = NULL;
    if (posix_spawn(&pid[k], exe, NULL, NULL, (char *const *)wargv, environ) != 0) {
      snprintf(err, err_size, "cannot start worker %d of %d", k + 1, jobs);
      rc = EB_EFAIL;
    } else {
      started++;
    }
  }
  free(wargv);
  int running = started, done[POOL_MAX_JOBS] = {0}, status[POOL_MAX_JOBS] = {0};
  while (running > 0) {
    for (int k = 0; k < started; k++)
      if (!done[k] && waitpid(pid[k], &status[k], WNOHANG) == pid[k]) {
        done[k] = 1;
        running--;
      }
    if (running > 0) {
      if (poll) poll(running, user);
      nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 200000000}, NULL);
    }
  }
  for (int k = 0; k < started && rc == EB_OK; k++) {
    int st = status[k];
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      if (WIFSIGNALED(st))
        snprintf(err, err_size, "worker %d of %d was killed by signal %d", k + 1, jobs,
                 WTERMSIG(st));
      else
        snprintf(err, err_size, "worker %d of %d stopped with exit code %d (its message is above)",
                 k + 1, jobs, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
      rc = EB_EFAIL;
    }
  }
  return rc;
}
