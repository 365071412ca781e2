/* resources.c - available memory from /proc, cgroups and rlimits. */
#include "resources.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

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
