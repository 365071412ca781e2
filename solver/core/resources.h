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

/* The cores this process may run on: its CPU affinity (taskset, a
 * cpuset), else the online CPUs; at least 1. */
int Resources_cpus(void);

/* Prefaulting. On the 2-core VM of the README a page's first touch is
 * slow: the hypervisor backs guest memory on first use and takes back
 * what the guest frees (virtio-balloon free page reporting, after about 2
 * s), so a run's fresh memory costs 0.5-0.8 GB/s on 2 MiB pages (3 GB
 * touched: 3.8-4.8 s) unless it was freed by another process moments
 * before (0.18 s). The faults are the kernel's work, which a second core
 * can do while the solver computes.
 *
 * Resources_prefault makes the heap hold `bytes` more than it does now and
 * starts a thread that faults that memory in (MADV_POPULATE_WRITE, Linux
 * 5.14 on), lowest addresses first, while the caller goes on: the blocks
 * malloc then hands out are resident already, or the solver's own faults
 * and the thread's share the work. From the first call on, every block of
 * this process comes from the heap and the heap is never shrunk
 * (mallopt M_MMAP_MAX 0, M_TRIM_THRESHOLD -1): freed memory stays the
 * process's until it exits. Content is never touched, so it is safe
 * beside any thread's use of the heap. Measured (CS-3, cold memory, same
 * binary otherwise): 3.0 M cells 3.5-3.7 -> 2.8-3.1 s, 12 M cells
 * 10.6-11.6 -> 8.6-9.4 s. Peak memory +0-5 % (52 M cells: 247 against 235
 * B/cell), the heap keeping what a larger block's mapping gave back.
 *
 * Does nothing (returns 0) under valgrind or AddressSanitizer (their
 * allocators), with EBSIM_PREFAULT=0, below RES_PREFAULT_MIN bytes, when an
 * earlier call asked for as much, or when the job's solving processes on
 * this machine (Resources_set_processes) are as many as the cores it may
 * use (Resources_cpus: one core alone has none to spare). Returns
 * 1 when a thread was started. */
#define RES_PREFAULT_MIN 64e6
int Resources_prefault(double bytes);
/* This process is one of n of its job that solve at once on this machine
 * (MPI ranks on the node, a study's worker processes); 1 by default. */
void Resources_set_processes(int n);
/* Waits for the prefault thread, if one runs. */
void Resources_prefault_wait(void);

#endif
