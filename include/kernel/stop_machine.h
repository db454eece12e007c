/* SPDX-License-Identifier: MIT */
/*
 * Stopping the machine: every online CPU parked in one rendezvous with
 * interrupts off while a function runs, then every CPU serializes its
 * instruction stream (sync_core) before it resumes. The way to change
 * kernel text or any state no CPU may see half-changed.
 *
 * fn must not wait for anything another CPU would have to do, nor take a
 * lock that code running with interrupts on may hold (the others were
 * interrupted wherever they were). Callers must not be in an interrupt
 * handler; they may have interrupts off.
 */
#ifndef KERNEL_STOP_MACHINE_H
#define KERNEL_STOP_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

/**
 * stop_machine() - run fn(data) on the calling CPU while every other
 * online CPU spins with interrupts off. Returns fn's result.
 */
int stop_machine(int (*fn)(void *data), void *data);
/**
 * stop_machine_all() - the same rendezvous, but fn(data) runs on every
 * online CPU at once. Returns 0, or the first error of the lowest CPU.
 */
int stop_machine_all(int (*fn)(void *data), void *data);

/**
 * stop_machine_cpu_inside() - only inside fn: true when a stopped CPU was
 * interrupted at an address strictly inside (start, end), so that
 * rewriting the code there would resume it in the middle of what changed.
 * CPUs that joined from a wait loop (not interrupted) are never inside.
 */
bool stop_machine_cpu_inside(uint64_t start, uint64_t end);

struct stop_machine_stats {
	uint64_t count; /* rendezvous since boot */
	uint64_t latest_ns; /* the latest: first IPI to release */
	uint64_t latest_gather_ns; /* ...until all had arrived */
	uint64_t longest_ns;
	uint64_t total_ns;
	unsigned int latest_cpus; /* CPUs that took part in the latest */
	unsigned long latest_mask; /* which */
};

/* stop_machine_stats() - a copy of the statistics. */
void stop_machine_stats(struct stop_machine_stats *st);

#endif /* KERNEL_STOP_MACHINE_H */
