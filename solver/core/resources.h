/* resources.h - how much memory this process may still use, so a grid
 * that will not fit is refused before anything is allocated. */
#ifndef EBSIM_RESOURCES_H
#define EBSIM_RESOURCES_H

#include <stddef.h>

/* The smallest of: the machine's MemAvailable (/proc/meminfo), the
 * control group's limit less its usage (cgroup v2 memory.max, or v1
 * memory.limit_in_bytes), and the address-space and data limits (ulimit
 * -v, -d) less what the process has mapped. *what names the bound that
 * gave it ("MemAvailable", "cgroup memory.max", "ulimit -v"). NAN when
 * nothing could be read (then nothing is refused). */
double Resources_available_bytes(const char **what);

/* "640 MB", "12.3 GB". */
void Resources_format_bytes(double bytes, char *buf, size_t size);

#endif
