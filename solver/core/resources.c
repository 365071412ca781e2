/* resources.c - available memory from /proc, cgroups and rlimits; huge
 * pages through glibc's tunable. */
#define _GNU_SOURCE /* madvise, sched_getaffinity */
#include "resources.h"

#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

/* "Key:   123 kB" in a /proc file (meminfo, self/status), in bytes; NAN if
 * absent. */
static double kb_field(const char *path, const char *key) {
  FILE *f = fopen(path, "r");
  if (!f) return NAN;
  char line[256];
  double v = NAN;
  size_t n = strlen(key);
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, key, n) && line[n] == ':') {
      double kb;
      if (sscanf(line + n + 1, "%lf", &kb) == 1) v = kb * 1024.0;
      break;
    }
  fclose(f);
  return v;
}

/* One number from a file ("max" reads as no limit: NAN). */
static double read_number(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NAN;
  char buf[64] = "";
  double v = NAN;
  if (fgets(buf, sizeof buf, f) && strncmp(buf, "max", 3)) sscanf(buf, "%lf", &v);
  fclose(f);
  return v;
}

/* The process's own cgroup (v2: one line "0::/path"). */
static double cgroup_room(void) {
  FILE *f = fopen("/proc/self/cgroup", "r");
  char line[512], path[600];
  double room = NAN;
  while (f && fgets(line, sizeof line, f)) {
    char *p = strstr(line, "::");
    if (!p) continue;
    p += 2;
    p[strcspn(p, "\n")] = '\0';
    snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.max", p);
    double max = read_number(path);
    snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.current", p);
    double cur = read_number(path);
    if (isfinite(max)) room = max - (isfinite(cur) ? cur : 0.0);
  }
  if (f) fclose(f);
  if (isnan(room)) { /* cgroup v1 */
    double max = read_number("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    double cur = read_number("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    if (isfinite(max) && max < 1e18) room = max - (isfinite(cur) ? cur : 0.0);
  }
  return room;
}

static void take(double v, const char *name, double *best, const char **what) {
  if (isfinite(v) && (isnan(*best) || v < *best)) {
    *best = v < 0.0 ? 0.0 : v;
    *what = name;
  }
}

double Resources_available_bytes(const char **what) {
  double best = NAN;
  const char *w = "unknown";
  take(kb_field("/proc/meminfo", "MemAvailable"), "MemAvailable", &best, &w);
  take(cgroup_room(), "the control group's memory.max", &best, &w);
  struct rlimit rl;
  if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    take((double)rl.rlim_cur - fmax(kb_field("/proc/self/status", "VmSize"), 0.0), "ulimit -v",
         &best, &w);
  if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    take((double)rl.rlim_cur - fmax(kb_field("/proc/self/status", "VmData"), 0.0), "ulimit -d",
         &best, &w);
  if (what) *what = w;
  return best;
}

void Resources_format_bytes(double bytes, char *buf, size_t size) {
  if (!isfinite(bytes))
    snprintf(buf, size, "unknown");
  else if (bytes >= 1e9)
    snprintf(buf, size, "%.1f GB", bytes / 1e9);
  else
    snprintf(buf, size, "%.0f MB", bytes / 1e6);
}

/* The kernel's mode for transparent huge pages: the bracketed word of
 * /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never"). */
static int thp_on_request(void) {
  FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (!f) return 0;
  char buf[128] = "";
  const int ok = fgets(buf, sizeof buf, f) != NULL;
  fclose(f);
  return ok && strstr(buf, "[madvise]") != NULL;
}

/* AddressSanitizer's allocator ignores glibc's tunables */
#if defined(__SANITIZE_ADDRESS__)
#define RES_SANITIZED 1
#else
#define RES_SANITIZED 0
#endif

/* What glibc's allocator is asked to do applies (neither AddressSanitizer's
 * nor valgrind's replaces it; a restart would also leave valgrind), and
 * the user has not turned the feature off with VAR=0. */
static int allocator_ours(const char *var) {
  if (RES_SANITIZED || RUNNING_ON_VALGRIND) return 0;
  const char *off = getenv(var);
  return !(off && !strcmp(off, "0"));
}

void Resources_use_huge_pages(char **argv) {
  if (!allocator_ours("EBSIM_HUGE_PAGES")) return;
  const char *old = getenv("GLIBC_TUNABLES");
  if (old && strstr(old, "glibc.malloc.hugetlb")) return;
  if (!thp_on_request()) return;
  static const char add[] = "glibc.malloc.hugetlb=1";
  const size_t n = (old ? strlen(old) + 1 : 0) + sizeof add;
  char *keep = old ? strdup(old) : NULL, *val = malloc(n);
  if (!val || (old && !keep)) {
    free(val);
    free(keep);
    return;
  }
  snprintf(val, n, "%s%s%s", old ? old : "", old && *old ? ":" : "", add);
  if (setenv("GLIBC_TUNABLES", val, 1) == 0) {
    execv("/proc/self/exe", argv);
    /* still here: the restart failed (the binary replaced, say); go on
     * with small pages and the caller's environment */
    if (keep)
      setenv("GLIBC_TUNABLES", keep, 1);
    else
      unsetenv("GLIBC_TUNABLES");
  }
  free(val);
  free(keep);
}

double Resources_huge_page_bytes(void) {
  return kb_field("/proc/self/smaps_rollup", "AnonHugePages");
}

int Resources_cpus(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)(n < 4096 ? n : 4096) : 1;
}

/* ---- prefaulting ------------------------------------------------------------------------ */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

static struct {
  pthread_t thread;
  int running;        /* a thread was started and not yet joined */
  char *lo;           /* the range it faults in */
  size_t len;
  size_t requested;   /* the largest request so far */
  int processes;      /* this job's solving processes on the machine (0: one) */
} pf;

void Resources_set_processes(int n) { pf.processes = n; }

/* Lowest addresses first, since malloc hands them out first; in steps, so
 * that where the solver's own faults have overtaken it (pages present) the
 * thread moves on cheaply. MADV_POPULATE_WRITE faults pages in without
 * writing to them: pages the solver has filled meanwhile are left alone. */
static void *prefault_thread(void *arg) {
  (void)arg;
  const size_t step = (size_t)32 << 20;
  for (size_t o = 0; o < pf.len; o += step) {
    const size_t n = pf.len - o < step ? pf.len - o : step;
    if (madvise(pf.lo + o, n, MADV_POPULATE_WRITE) != 0) break; /* an older kernel, or no memory */
  }
  return NULL;
}

void Resources_prefault_wait(void) {
  if (pf.running) pthread_join(pf.thread, NULL);
  pf.running = 0;
}

int Resources_prefault(double bytes) {
  if (!allocator_ours("EBSIM_PREFAULT")) return 0;
  if (!(bytes >= RES_PREFAULT_MIN) || !(bytes < 0.25 * (double)SIZE_MAX) ||
      bytes <= (double)pf.requested)
    return 0;
  /* with a solving process per core (a study's workers, MPI ranks) no core
   * is free for it: measured, a 16-point sweep on two workers gained
   * nothing (9.6-10.5 s against 9.8-11.0 s) */
  const int cpus = Resources_cpus();
  if (cpus < 2 || pf.processes >= cpus) return 0;
  Resources_prefault_wait();
  const size_t n = (size_t)bytes;
  /* Every block from the heap (none mapped on its own, which the kernel
   * would hand out fresh), and the heap never shrunk: the prefaulted
   * memory stays this process's until it exits (mallopt(3): -1 turns
   * trimming off). */
  if (!mallopt(M_MMAP_MAX, 0) || !mallopt(M_TRIM_THRESHOLD, -1)) return 0;
  char *p = malloc(n);
  if (!p) return 0;
  const uintptr_t page = 4096, base = (uintptr_t)p, a = (base + page - 1) & ~(page - 1);
  free(p); /* the heap's free top now: malloc hands it out from the bottom */
  pf.lo = (char *)a;
  pf.len = (n - (size_t)(a - base)) & ~(size_t)(page - 1);
  pf.requested = n;
  pf.running = pthread_create(&pf.thread, NULL, prefault_thread, NULL) == 0;
  return pf.running;
}
