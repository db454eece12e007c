/* SPDX-License-Identifier: MIT */
/*
 * The user-space platform of the choice engine (platform_host.c): what the
 * host programs (selfpatch, bench) call to set it up and to steer it, on
 * top of the relink_platform_* functions of include/relink/platform.h.
 *
 * Text: at start-up the program's executable segment is copied into a
 * memfd and mapped back over itself read+execute, with a second
 * read+write mapping of the same memfd as the alias every poke goes
 * through, as a kernel writes its read-only text through a temporary
 * alias. "CPUs": the main thread is CPU 0; host_platform_start_cpus()
 * starts worker threads that run a load function and count as online
 * CPUs. stop_machine interrupts each with a signal whose handler parks it
 * (spinning) until the write is done, then serializes with CPUID.
 */
#ifndef TESTS_HOST_PLATFORM_H
#define TESTS_HOST_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#include <relink/platform.h>

/*
 * Remaps the text and reads the command line: every argument that starts
 * with "relink." and the words of $RELINK_CMDLINE. 0 or -errno.
 */
int host_platform_init(int argc, char **argv);

/* Replaces the command line (NULL: empty). */
void host_platform_set_cmdline(const char *cmdline);

/* Makes the engine see image instead of the program's own (NULL: own). */
void host_platform_set_image(const struct relink_image *image);

/* Hides a CPU feature from the engine, like clearcpuid=. */
void host_platform_clear_feature(unsigned int feature);

/* Messages below this level are not printed (default RELINK_LOG_INFO). */
void host_platform_set_log_level(int level);

/* Everything logged since the last call (up to 16 KiB), then forgets it. */
const char *host_platform_take_log(void);

/*
 * Starts n worker "CPUs", each running work(arg, cpu) in a loop until
 * host_platform_stop_cpus(); work may be NULL (idle). Workers are pinned
 * to cores other than core 0, which is left to the main thread. 0 or
 * -errno.
 */
int host_platform_start_cpus(unsigned int n,
			     void (*work)(void *arg, unsigned int cpu),
			     void *arg);
void host_platform_stop_cpus(void);

/* Changes what the running workers do (NULL: idle). */
void host_platform_set_work(void (*work)(void *arg, unsigned int cpu),
			    void *arg);

/* The number of stop_machine calls so far. */
unsigned long host_platform_stops(void);
/* The number of INT3-method writes (redirect tables installed) so far. */
unsigned long host_platform_int3_writes(void);

#endif /* TESTS_HOST_PLATFORM_H */
