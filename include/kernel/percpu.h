/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data. Each CPU has one struct percpu; its address is in the CPU's
 * own base register (GS on x86), so this_cpu() is one load and needs no CPU
 * number. Fields are owned by the subsystem named in their comment; other
 * CPUs touch a field only where that subsystem says so.
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/atomic.h>
#include <kernel/spinlock.h>
#include <arch/percpu.h>

/* The most CPUs the kernel runs (QEMU's -smp N, N <= NR_CPUS). */
#define NR_CPUS 8

struct smp_call;
struct work;

struct percpu {
	struct percpu *self; /* first: arch_this_cpu() loads it */
	unsigned int cpu; /* this CPU's number, 0 = boot CPU */
	uint32_t hw_id; /* the firmware's id for it (APIC ID) */
	/* The architecture's fields, third: asm finds some at fixed places. */
	struct arch_percpu arch;

	/* kernel/smp/smp.c: function calls queued for this CPU's IPI. */
	spinlock_t call_lock;
	struct smp_call *call_head, *call_tail;
	uint64_t call_pc; /* where the IPI interrupted; 0: polled */

	/* kernel/smp/cpu_hotplug.c: enum cpu_state, written by both sides. */
	atomic_t state;

	/* kernel/runloop.c: work for the run loop, and its wake word. */
	spinlock_t work_lock;
	struct work *work_head, *work_tail;
	volatile unsigned long wake; /* bumped on each queue (mwait) */
	uint64_t work_done;

	/* arch idle: how often this CPU idled. */
	uint64_t idle_calls;
} __aligned(64);

extern struct percpu percpu_areas[NR_CPUS];

/* this_cpu() - the running CPU's data (valid from the start of arch setup). */
static inline struct percpu *this_cpu(void)
{
	return arch_this_cpu();
}

/* per_cpu() - the data of CPU cpu. */
static inline struct percpu *per_cpu(unsigned int cpu)
{
	return &percpu_areas[cpu];
}

/* smp_processor_id() - the running CPU's number. */
static inline unsigned int smp_processor_id(void)
{
	return arch_smp_processor_id();
}

#endif /* KERNEL_PERCPU_H */
