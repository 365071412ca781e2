/* test_resources.c - the prefault of resources.h: the memory it faults in
 * is what malloc hands out next, and it stands aside where it must. */
#define _GNU_SOURCE /* madvise, sched_setaffinity */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "solver/core/resources.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* VmRSS of this process, bytes */
static double rss(void) {
  FILE *f = fopen("/proc/self/status", "r");
  cr_assert(f, "no /proc/self/status");
  char line[256];
  double kb = -1.0;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, "VmRSS:", 6)) kb = atof(line + 6);
  fclose(f);
  cr_assert(kb > 0.0, "no VmRSS");
  return kb * 1024.0;
}

/* the prefault needs glibc's allocator and a kernel with MADV_POPULATE_WRITE */
static void need_prefault(void) {
#if defined(__SANITIZE_ADDRESS__)
  cr_skip_test("AddressSanitizer's allocator: no prefault");
#endif
  if (RUNNING_ON_VALGRIND) cr_skip_test("valgrind's allocator: no prefault");
  const long page = sysconf(_SC_PAGESIZE);
  char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  cr_assert(p != MAP_FAILED);
  const int ok = madvise(p, (size_t)page, MADV_POPULATE_WRITE) == 0;
  const int e = errno;
  munmap(p, (size_t)page);
  if (!ok) cr_skip_test("the kernel has no MADV_POPULATE_WRITE (%s)", strerror(e));
  if (Resources_cpus() < 2) cr_skip_test("one core: no core to spare for a prefault");
  unsetenv("EBSIM_PREFAULT");
}

/* 160 MB prefaulted: the process's resident memory grows by it, and a
 * 120 MB block malloc'd and filled afterwards costs no more (it is that
 * memory). Without the prefault the same block adds its 120 MB. */
Test(resources, prefaulted_memory_is_what_malloc_hands_out) {
  need_prefault();
  const double before = rss();
  cr_assert_eq(Resources_prefault(160e6), 1, "no prefault thread started");
  Resources_prefault_wait();
  const double faulted = rss();
  cr_expect_gt(faulted - before, 150e6, "resident memory grew by %.0f MB, not 160",
               (faulted - before) / 1e6);
  const size_t n = 120000000;
  char *p = malloc(n);
  cr_assert(p);
  memset(p, 1, n);
  const double filled = rss();
  cr_expect_lt(filled - faulted, 8e6, "the filled block added %.0f MB", (filled - faulted) / 1e6);
  /* the data is the block's: the thread wrote nothing into it */
  size_t bad = 0;
  for (size_t q = 0; q < n; q += 4096) bad += p[q] != 1;
  cr_expect_eq(bad, 0);
  free(p);
}

/* The same block without a prefault: the memory comes fresh (the check
 * that the test above can fail). */
Test(resources, without_prefault_a_block_is_fresh_memory) {
  need_prefault();
  setenv("EBSIM_PREFAULT", "0", 1);
  cr_expect_eq(Resources_prefault(160e6), 0);
  const double before = rss();
  const size_t n = 120000000;
  char *p = malloc(n);
  cr_assert(p);
  memset(p, 1, n);
  cr_expect_gt(rss() - before, 100e6, "a fresh 120 MB block added %.0f MB", (rss() - before) / 1e6);
  free(p);
}

/* Asked again for less, or for too little, or with a process per core: no
 * thread. */
Test(resources, prefault_stands_aside) {
  need_prefault();
  cr_expect_eq(Resources_prefault(RES_PREFAULT_MIN / 2), 0, "below the minimum");
  cr_expect_eq(Resources_prefault(NAN), 0);
  cr_expect_eq(Resources_prefault(-1.0), 0);
  cr_assert_eq(Resources_prefault(100e6), 1);
  cr_expect_eq(Resources_prefault(90e6), 0, "less than before");
  const int cpus = Resources_cpus();
  Resources_set_processes(cpus);
  cr_expect_eq(Resources_prefault(200e6), 0, "%d processes on %d cores", cpus, cpus);
  Resources_set_processes(1);
  cr_expect_eq(Resources_prefault(200e6), 1, "more than before, one process");
  Resources_prefault_wait();
}

/* The cores are those the process may run on (taskset, a cpuset): on one,
 * a study starts one worker and no prefault thread competes with the
 * solver. */
Test(resources, cores_follow_the_affinity) {
  cpu_set_t all;
  cr_assert_eq(sched_getaffinity(0, sizeof all, &all), 0);
  cr_expect_eq(Resources_cpus(), CPU_COUNT(&all));
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int c = 0; c < CPU_SETSIZE; c++)
    if (CPU_ISSET(c, &all)) {
      CPU_SET(c, &one);
      break;
    }
  cr_assert_eq(sched_setaffinity(0, sizeof one, &one), 0);
  cr_expect_eq(Resources_cpus(), 1);
  unsetenv("EBSIM_PREFAULT");
  cr_expect_eq(Resources_prefault(200e6), 0, "a prefault thread on a single core");
}
