/* SPDX-License-Identifier: MIT */
/*
 * Work for the other CPUs. Every online CPU except the boot CPU (which
 * runs the shell) sits in a run loop: it takes the work items queued for
 * it, in order, runs each with interrupts on, and idles (arch_idle) when
 * there are none. A long item should check cpu_stopping() between batches
 * and return when it is true, so that its CPU can go offline.
 */
#ifndef KERNEL_WORK_H
#define KERNEL_WORK_H

#include <lib/compiler.h>

struct work {
	void (*fn)(void *arg);
	void *arg;
	struct work *next;
};

/**
 * work_queue_on() - queue w on CPU cpu's run loop and wake it. The item
 * belongs to the run loop until fn starts (fn may free or requeue it).
 * Returns 0, -EINVAL for the boot CPU, -ENODEV when cpu is not online.
 */
int work_queue_on(unsigned int cpu, struct work *w);
/* cpu_kick() - end CPU cpu's idle (if it is online). */
void cpu_kick(unsigned int cpu);
/* cpu_run_loop() - an online CPU's life after start-up. */
void __noreturn cpu_run_loop(void);

#endif /* KERNEL_WORK_H */
