/* resources.h - the process's memory: how much it may still use, so a
 * grid that will not fit is refused before anything is allocated, and the
 * page size its large arrays are on. */
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

/* Huge pages. Measured on the 2-core VM of the README (CS-3, 12 M cells):
 * a third of a run's time went to the kernel's first-touch faults of 4 KiB
 * pages, since hypre's grids and vectors are large and each page is
 * touched once; on 2 MiB transparent huge pages the run took 9.7 s instead
 * of 18.8 s (bare hypre 6.9 against 15.1 s), for 3 % more memory. glibc
 * (2.35 on) puts its large blocks on them with the tunable
 * glibc.malloc.hugetlb=1, which it reads at start-up only.
 *
 * Resources_use_huge_pages starts the program again (execv of
 * /proc/self/exe, same arguments) with that tunable added to
 * GLIBC_TUNABLES, when the kernel gives transparent huge pages on request
 * ("madvise" in /sys/kernel/mm/transparent_hugepage/enabled). It returns
 * (nothing changed) when: EBSIM_HUGE_PAGES=0; the tunable is set already
 * (this is the restarted program, or the user chose); the kernel gives
 * them always or never; under valgrind or AddressSanitizer (their own
 * allocators); or the restart fails. Call it first in main, before any
 * output or thread. */
void Resources_use_huge_pages(char **argv);

/* Bytes of this process's memory on transparent huge pages now
 * (AnonHugePages of /proc/self/smaps_rollup); NAN when unreadable. */
double Resources_huge_page_bytes(void);

#endif
