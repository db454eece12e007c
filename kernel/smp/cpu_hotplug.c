// SPDX-License-Identifier: MIT
/*
 * CPU hot-plug: the state of each CPU and the two transitions.
 *
 * Going online (cpu_up, on the controlling CPU):
 *  1. coming_online callbacks; state OFFLINE -> BOOTING.
 *  2. arch_cpu_start() restarts the CPU from reset.
 *  3. The CPU, in smp_secondary_start(), moves BOOTING -> ONLINE with a
 *     compare-and-swap, sets its online bit and enters its run loop; the
 *     controller waits for the bit. If the controller gives up first it
 *     swaps BOOTING -> OFFLINE, and a CPU arriving later parks itself.
 *  4. online callbacks.
 *
 * Going offline (cpu_down):
 *  1. Inside stop_machine, so that no CPU is half-way through queueing a
 *     call or work item for it: clear its online bit, state -> DYING.
 *  2. Wake it. Its run loop finishes the work queued for it (a long item
 *     sees cpu_stopping() and returns), runs what calls are queued, sets
 *     state OFFLINE and parks with interrupts off (cpu_park_self).
 *  3. The controller waits for OFFLINE, then gone_offline callbacks.
 *
 * cpu_hotplug_lock() serializes both with each other and with
 * stop_machine(); it is recursive so callbacks may stop the machine.
 */
#include <kernel/cpu.h>
#include <kernel/cpu_hotplug.h>
#include <kernel/irqflags.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/smp.h>
#include <kernel/stop_machine.h>
#include <kernel/work.h>
#include <lib/errno.h>

#define START_TIMEOUT_MS 2000
#define STOP_TIMEOUT_MS 30000

static DEFINE_SPINLOCK(hotplug_spin);
static volatile int hotplug_owner = -1;
static unsigned int hotplug_depth;
static struct cpu_hotplug_callbacks *callbacks;

/* While spinning with interrupts off, serve calls: a stop_machine waits. */
void cpu_hotplug_lock(void)
{
	int cpu = (int)smp_processor_id();

	if (READ_ONCE(hotplug_owner) == cpu) {
		hotplug_depth++;
		return;
	}
	while (!spin_trylock(&hotplug_spin)) {
		if (arch_irqs_disabled_flags(arch_save_flags()))
			smp_call_poll();
		arch_cpu_relax();
	}
	WRITE_ONCE(hotplug_owner, cpu);
	hotplug_depth = 1;
}

void cpu_hotplug_unlock(void)
{
	if (--hotplug_depth)
		return;
	WRITE_ONCE(hotplug_owner, -1);
	spin_unlock(&hotplug_spin);
}

int cpu_hotplug_register(struct cpu_hotplug_callbacks *cb)
{
	int rc = 0;

	cpu_hotplug_lock();
	for (struct cpu_hotplug_callbacks *c = callbacks; c; c = c->next)
		if (c == cb)
			rc = -EEXIST;
	if (!rc) {
		cb->next = callbacks;
		callbacks = cb;
	}
	cpu_hotplug_unlock();
	return rc;
}

void cpu_hotplug_unregister(struct cpu_hotplug_callbacks *cb)
{
	cpu_hotplug_lock();
	for (struct cpu_hotplug_callbacks **c = &callbacks; *c;
	     c = &(*c)->next) {
		if (*c == cb) {
			*c = cb->next;
			break;
		}
	}
	cpu_hotplug_unlock();
}

enum cpu_state cpu_state(unsigned int cpu)
{
	return cpu < NR_CPUS ?
		       (enum cpu_state)atomic_read(&per_cpu(cpu)->state) :
		       CPU_OFFLINE;
}

bool cpu_stopping(void)
{
	return atomic_read(&this_cpu()->state) == CPU_DYING;
}

/* Until cpu_online(cpu) == online, or timeout_ms passed: 0 or -ETIMEDOUT. */
static int wait_online(unsigned int cpu, bool online, unsigned int timeout_ms)
{
	uint64_t start = cycles_now();

	while (cpu_online(cpu) != online) {
		if (cycles_to_ns(cycles_now() - start) >
		    (uint64_t)timeout_ms * 1000000)
			return -ETIMEDOUT;
		arch_cpu_relax();
	}
	return 0;
}

static int wait_state(unsigned int cpu, enum cpu_state want,
		      unsigned int timeout_ms)
{
	uint64_t start = cycles_now();

	while (cpu_state(cpu) != want) {
		if (cycles_to_ns(cycles_now() - start) >
		    (uint64_t)timeout_ms * 1000000)
			return -ETIMEDOUT;
		arch_cpu_relax();
	}
	return 0;
}

static int callbacks_coming_online(unsigned int cpu)
{
	for (struct cpu_hotplug_callbacks *c = callbacks; c; c = c->next) {
		int rc = c->coming_online ? c->coming_online(cpu) : 0;

		if (rc)
			return rc;
	}
	return 0;
}

static void callbacks_online(unsigned int cpu)
{
	for (struct cpu_hotplug_callbacks *c = callbacks; c; c = c->next)
		if (c->online)
			c->online(cpu);
}

static void callbacks_gone_offline(unsigned int cpu)
{
	for (struct cpu_hotplug_callbacks *c = callbacks; c; c = c->next)
		if (c->gone_offline)
			c->gone_offline(cpu);
}

/* A timed-out start still succeeds if the CPU won the race to ONLINE. */
static int start_cpu(unsigned int cpu)
{
	atomic_t *state = &per_cpu(cpu)->state;
	int rc = arch_cpu_start(cpu);

	if (!rc)
		rc = wait_online(cpu, true, START_TIMEOUT_MS);
	if (rc &&
	    atomic_cmpxchg(state, CPU_BOOTING, CPU_OFFLINE) == CPU_ONLINE) {
		wait_online(cpu, true, START_TIMEOUT_MS);
		rc = 0;
	}
	return rc;
}

static int __cpu_up(unsigned int cpu)
{
	struct percpu *p = per_cpu(cpu);
	int rc;

	if (cpu_state(cpu) == CPU_ONLINE)
		return 0;
	if (cpu_state(cpu) != CPU_OFFLINE)
		return -EBUSY;
	rc = callbacks_coming_online(cpu);
	if (rc)
		return rc;
	atomic_set(&p->state, CPU_BOOTING);
	rc = start_cpu(cpu);
	if (rc) {
		callbacks_gone_offline(cpu);
		return rc;
	}
	callbacks_online(cpu);
	return 0;
}

int cpu_up(unsigned int cpu)
{
	int rc;

	if (cpu >= nr_cpus_possible())
		return -EINVAL;
	cpu_hotplug_lock();
	rc = __cpu_up(cpu);
	cpu_hotplug_unlock();
	return rc;
}

void smp_secondary_start(void)
{
	struct percpu *p = this_cpu();

	if (atomic_cmpxchg(&p->state, CPU_BOOTING, CPU_ONLINE) != CPU_BOOTING)
		arch_cpu_park(); /* too late: the controller gave up */
	set_bit(p->cpu, &cpu_online_mask);
	cpu_run_loop();
}

/* Runs on the stopping CPU with every other CPU spinning. */
static int take_cpu_down(void *arg)
{
	unsigned int cpu = *(unsigned int *)arg;

	clear_bit(cpu, &cpu_online_mask);
	atomic_set(&per_cpu(cpu)->state, CPU_DYING);
	return 0;
}

static int __cpu_down(unsigned int cpu)
{
	int rc;

	if (cpu_state(cpu) == CPU_OFFLINE)
		return 0;
	if (cpu_state(cpu) != CPU_ONLINE)
		return -EBUSY;
	rc = stop_machine(take_cpu_down, &cpu);
	if (rc)
		return rc;
	/* Out of the online mask now: wake it directly. */
	WRITE_ONCE(per_cpu(cpu)->wake, per_cpu(cpu)->wake + 1);
	arch_send_ipi(cpu, IPI_WAKE);
	rc = wait_state(cpu, CPU_OFFLINE, STOP_TIMEOUT_MS);
	if (!rc)
		callbacks_gone_offline(cpu);
	return rc;
}

int cpu_down(unsigned int cpu)
{
	int rc;

	if (cpu >= nr_cpus_possible())
		return -EINVAL;
	if (cpu == 0 || cpu == smp_processor_id())
		return -EBUSY;
	cpu_hotplug_lock();
	rc = __cpu_down(cpu);
	cpu_hotplug_unlock();
	return rc;
}

void cpu_park_self(void)
{
	smp_call_poll();
	atomic_set(&this_cpu()->state, CPU_OFFLINE);
	arch_cpu_park();
}
