/* SPDX-License-Identifier: MIT */
/*
 * CPUs and cross-CPU function calls. CPU 0 is the boot CPU; a CPU is
 * online while it runs kernel code and takes part in calls and in
 * stop_machine. Calls run on the target in its call IPI's handler, with
 * interrupts off, so they must be short and must not wait for other CPUs.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdbool.h>
#include <kernel/atomic.h>
#include <kernel/percpu.h>
#include <lib/compiler.h>

/* Bit n set: CPU n is online. Changes only under cpu_hotplug_lock(). */
extern volatile unsigned long cpu_online_mask;

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS && test_bit(cpu, &cpu_online_mask);
}

#define for_each_online_cpu(cpu)                  \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++) \
		if (!cpu_online(cpu)) {           \
		} else

/* num_online_cpus() - how many CPUs run kernel code now. */
unsigned int num_online_cpus(void);
/* nr_cpus_possible() - CPUs that can be brought online (nosmp: 1). */
unsigned int nr_cpus_possible(void);

/* A queued call. The caller owns it until done becomes 1. */
struct smp_call {
	void (*fn)(void *arg);
	void *arg;
	struct smp_call *next;
	atomic_t done;
};

/**
 * smp_call_function_single() - run fn(arg) on CPU cpu and wait for it.
 * On the caller itself it runs directly, interrupts off. Returns 0, or
 * -ENODEV when cpu is not online.
 */
int smp_call_function_single(unsigned int cpu, void (*fn)(void *arg),
			     void *arg);
/**
 * smp_call_function_others() - run fn(arg) on every other online CPU, all
 * at once, and wait until each has returned. Returns 0.
 */
int smp_call_function_others(void (*fn)(void *arg), void *arg);
/**
 * smp_call_function_async() - queue call on CPU cpu (not the caller) and
 * interrupt it; call->done becomes 1 when call->fn has returned. Returns 0,
 * or -ENODEV when cpu is not online.
 */
int smp_call_function_async(unsigned int cpu, struct smp_call *call);
/*
 * smp_call_wait() - wait for call->done. While interrupts are off it runs
 * the calls queued for this CPU itself, so two CPUs calling each other (or
 * a stop_machine meanwhile) cannot deadlock.
 */
void smp_call_wait(struct smp_call *call);

/*
 * The call IPI's handler (arch): run the calls queued for this CPU;
 * interrupted_pc is where the IPI interrupted it (stop_machine records it).
 */
void smp_call_interrupt(uint64_t interrupted_pc);
/* smp_call_poll() - the same, from a spin loop with interrupts off. */
void smp_call_poll(void);

/* smp_init() - start the other CPUs (boot CPU, once; nosmp, maxcpus=). */
void smp_init(void);
/* The first C code of a CPU the platform started (never returns). */
void __noreturn smp_secondary_start(void);

#endif /* KERNEL_SMP_H */
