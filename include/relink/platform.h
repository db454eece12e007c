/* SPDX-License-Identifier: MIT */
/*
 * The platform interface of the choice engine: everything kernel/patching/
 * needs from its environment, as a dozen functions with one-line contracts.
 * The kernel implements them in arch/x86 and kernel/; the host tests
 * implement them in tests/host/platform_host.c (and the unit tests with
 * mocks). The engine calls nothing else outside include/.
 */
#ifndef RELINK_PLATFORM_H
#define RELINK_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <relink/format.h>

enum relink_log_level {
	RELINK_LOG_ERR = 0,
	RELINK_LOG_WARN = 1,
	RELINK_LOG_INFO = 2,
	RELINK_LOG_DEBUG = 3,
};

/*
 * Where the engine's inputs live in the running image. table is NULL (or
 * table_size 0) when the image has no ".relink.table" (link 1). choices is
 * the ".relink.choices" section as an array. text_start/text_end bound the
 * executable text every site must lie in (both 0: not checked).
 */
struct relink_image {
	const void *table;
	size_t table_size;
	const struct relink_choice_def *choices;
	size_t n_choices;
	uint64_t text_start;
	uint64_t text_end;
};

/* Fills *image from the linker symbols around the engine's sections. */
void relink_platform_image(struct relink_image *image);

/*
 * Opens a batch of text writes on this CPU (at boot, or inside
 * relink_platform_stop_machine()'s callback): each page of text the batch
 * touches is given a writable alias once, kept until the batch ends.
 */
void relink_platform_text_poke_begin(void);

/* Closes the batch: no writable alias of text remains; one TLB flush. */
void relink_platform_text_poke_end(void);

/*
 * Boot time, one CPU, interrupts off, inside a batch: writes len bytes of
 * text at addr through the writable alias (text itself stays read-only);
 * 0 or -errno.
 */
int relink_platform_text_poke_early(void *addr, const void *bytes, size_t len);

/*
 * Run time, inside a batch: in relink_platform_stop_machine()'s callback,
 * or with relink_platform_breakpoints() installed (the INT3 method).
 */
int relink_platform_text_poke(void *addr, const void *bytes, size_t len);

/* Serializes this CPU's instruction stream after a text write (sync_core). */
void relink_platform_sync_core(void);

/*
 * Runs fn(arg) on one CPU while every other online CPU spins with
 * interrupts off; afterwards every CPU serializes before it resumes.
 * Returns fn's result, or -errno if the machine could not be stopped.
 */
int relink_platform_stop_machine(int (*fn)(void *arg), void *arg);

/*
 * Only inside stop_machine's callback: true when a stopped CPU was
 * interrupted at an address strictly inside (start, end), i.e. in the
 * middle of a site, where rewriting the site would leave it resuming in
 * the middle of an instruction. (A task preempted inside a site is the
 * same hazard: a preemptible kernel must report those too.)
 */
bool relink_platform_cpu_inside(uint64_t start, uint64_t end);

/* True when CPU feature number feature (enum cpu_feature) is usable. */
bool relink_platform_has_feature(unsigned int feature);

/* The number of CPUs running kernel code now (1 before the APs start). */
unsigned int relink_platform_cpus_online(void);

/* The hypervisor the kernel runs under and drives. */
enum relink_hypervisor relink_platform_hypervisor(void);

/*
 * The variant the command line pins choice to ("relink.<choice>=<variant>"
 * or a Linux spelling such as idle=): true and the variant (not
 * NUL-terminated) in *value, *len, and the option as written, for
 * messages, in *option.
 */
bool relink_platform_cmdline_value(const char *choice, const char **value,
				   size_t *len, const char **option);

/* Logs one line (fmt ends with "\n") at level; printf conversions. */
void relink_platform_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A monotonic time stamp in nanoseconds, for statistics. */
uint64_t relink_platform_time_ns(void);

/* Writes "symbol+0xoff" for addr into buf; 0, or -ENOENT when unknown. */
int relink_platform_symbol(uint64_t addr, char *buf, size_t size);

/*
 * The INT3 method (kernel/patching/int3.c): a site being rewritten while
 * every CPU runs, and the new bytes it is getting, which are one call,
 * one jmp (NOP-padded) or one NOP. A CPU that hits the int3 the engine
 * writes on its first byte runs these bytes instead, as if from text.
 */
#define RELINK_BREAKPOINT_MAX 5
#define RELINK_BREAKPOINT_OPCODE 0xcc /* int3: traps to the #BP handler */
struct relink_breakpoint {
	uint64_t address;
	uint8_t length;
	uint8_t bytes[RELINK_BREAKPOINT_MAX];
};

/*
 * Installs the #BP handler's redirect table bp[0..n); n = 0 removes it
 * and returns when no CPU is still in the handler (the engine refills
 * the same array for its next switch).
 */
void relink_platform_breakpoints(const struct relink_breakpoint *bp,
				 unsigned int n);

/* Serializes every online CPU (sync_core; an IPI to the others), waits. */
void relink_platform_sync_cpus(void);

/*
 * True when an int3 in the kernel reaches the #BP handler, so the INT3
 * method may be used (false where KVM's instruction emulator runs the
 * kernel, kvm-pvm's: it stops the guest on one).
 */
bool relink_platform_breakpoints_usable(void);

#endif /* RELINK_PLATFORM_H */
