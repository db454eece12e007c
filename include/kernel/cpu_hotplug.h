/* SPDX-License-Identifier: MIT */
/*
 * Taking CPUs offline and bringing them back. An offline CPU is parked
 * with interrupts off and takes part in nothing; bringing it back restarts
 * it from reset. Subsystems that care (the engine switches lock prefixes)
 * register callbacks:
 *
 *	static struct cpu_hotplug_callbacks cb = {
 *		.name = "smp.lock",
 *		.coming_online = lock_prefixes_smp,
 *		.gone_offline = lock_prefixes_maybe_up,
 *	};
 *	cpu_hotplug_register(&cb);
 *
 * Every callback runs on the CPU that asked for the change (not on the CPU
 * changing), with cpu_hotplug_lock() held, interrupts on; it may call
 * stop_machine(). num_online_cpus() does not count cpu yet in
 * coming_online, and no longer counts it in gone_offline.
 */
#ifndef KERNEL_CPU_HOTPLUG_H
#define KERNEL_CPU_HOTPLUG_H

#include <stdbool.h>
#include <lib/compiler.h>

enum cpu_state {
	CPU_OFFLINE = 0, /* never started, or parked */
	CPU_BOOTING, /* started, not yet running kernel code */
	CPU_ONLINE,
	CPU_DYING, /* asked to leave: finishing its work */
};

struct cpu_hotplug_callbacks {
	const char *name;
	/* Before cpu starts; an error stops the start (-E*). Optional. */
	int (*coming_online)(unsigned int cpu);
	/* Once cpu is online and running its run loop. Optional. */
	void (*online)(unsigned int cpu);
	/* After cpu parked (or failed to start after coming_online). */
	void (*gone_offline)(unsigned int cpu);
	struct cpu_hotplug_callbacks *next;
};

/* cpu_hotplug_register() - call cb on every later change; 0 or -EEXIST. */
int cpu_hotplug_register(struct cpu_hotplug_callbacks *cb);
void cpu_hotplug_unregister(struct cpu_hotplug_callbacks *cb);

/**
 * cpu_up() - start CPU cpu (INIT-SIPI-SIPI) and wait until it is online.
 * 0 (also when it already was), -EINVAL (no such CPU), -EBUSY (changing),
 * -ETIMEDOUT (it did not come up), or a coming_online callback's error.
 */
int cpu_up(unsigned int cpu);
/**
 * cpu_down() - take CPU cpu offline and wait until it parked: it finishes
 * the work item it runs (which should return soon: cpu_stopping()). 0
 * (also when it already was offline), -EBUSY for the boot CPU or the
 * calling CPU, -EINVAL (no such CPU), -ETIMEDOUT.
 */
int cpu_down(unsigned int cpu);
/* cpu_state() - enum cpu_state of CPU cpu. */
enum cpu_state cpu_state(unsigned int cpu);
/* cpu_stopping() - the running CPU was asked to go offline. */
bool cpu_stopping(void);
/*
 * cpu_park_self() - the run loop of a CPU asked to go offline, once its
 * work is done: run what calls are queued, report offline, park.
 */
void __noreturn cpu_park_self(void);

/*
 * cpu_hotplug_lock() - hold off CPU changes and stop_machine. Recursive on
 * one CPU; spins with interrupts as the caller has them.
 */
void cpu_hotplug_lock(void);
void cpu_hotplug_unlock(void);

#endif /* KERNEL_CPU_HOTPLUG_H */
