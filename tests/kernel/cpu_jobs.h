/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the SMP test suites: run a function on every online CPU but
 * the boot CPU as run-loop work, and wait (with a time limit) until each
 * has returned. A test must wait for its jobs before it asserts: they may
 * point into its stack.
 */
#ifndef TESTS_KERNEL_CPU_JOBS_H
#define TESTS_KERNEL_CPU_JOBS_H

#include <kernel/cpu.h>
#include <kernel/irqflags.h>
#include <kernel/smp.h>
#include <kernel/work.h>
#include <lib/errno.h>

struct cpu_jobs {
	struct work work[NR_CPUS];
	void (*fn)(void *arg);
	void *arg;
	atomic_t left;
	unsigned int queued;
};

static inline void cpu_jobs_run_one(void *arg)
{
	struct cpu_jobs *j = arg;

	j->fn(j->arg);
	atomic_dec(&j->left);
}

/* Queue fn(arg) on every online CPU except CPU 0; returns how many. */
static inline unsigned int cpu_jobs_start(struct cpu_jobs *j,
					  void (*fn)(void *arg), void *arg)
{
	unsigned int cpu;

	j->fn = fn;
	j->arg = arg;
	j->queued = 0;
	atomic_set(&j->left, 0);
	for_each_online_cpu (cpu) {
		if (!cpu)
			continue;
		atomic_inc(&j->left);
		j->work[cpu] =
			(struct work){ .fn = cpu_jobs_run_one, .arg = j };
		if (work_queue_on(cpu, &j->work[cpu]))
			atomic_dec(&j->left);
		else
			j->queued++;
	}
	return j->queued;
}

/* Wait until every job returned: 0, or -ETIMEDOUT after timeout_ms. */
static inline int cpu_jobs_wait(struct cpu_jobs *j, unsigned int timeout_ms)
{
	uint64_t start = cycles_now();

	while (atomic_read(&j->left)) {
		if (cycles_to_ns(cycles_now() - start) >
		    (uint64_t)timeout_ms * 1000000)
			return -ETIMEDOUT;
		arch_cpu_relax();
	}
	return 0;
}

/* The highest-numbered online CPU (0 when it is alone). */
static inline unsigned int last_online_cpu(void)
{
	unsigned int cpu, last = 0;

	for_each_online_cpu (cpu)
		last = cpu;
	return last;
}

/* ktest .available: the suite needs a second CPU. */
static inline bool needs_second_cpu(const char **reason)
{
	*reason = "needs a second CPU online";
	return num_online_cpus() > 1;
}

#endif /* TESTS_KERNEL_CPU_JOBS_H */
