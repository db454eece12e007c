// SPDX-License-Identifier: MIT
/*
 * stop_machine: a rendezvous of every online CPU, interrupts off.
 *
 * The protocol is a state machine every participant steps through in
 * lock-step (as Linux's multi_cpu_stop):
 *
 *  1. The caller takes cpu_hotplug_lock() (so the online mask holds
 *     still), sets state PREPARE and ack = the number of participants,
 *     disables its interrupts and sends each other online CPU a call IPI.
 *  2. Each CPU, in the IPI handler (interrupts off) or the caller itself,
 *     waits for state to change. On each new state it does that state's
 *     work, then acks; the CPU whose ack brings ack to zero resets it,
 *     moves to the next state and kicks the others. PREPARE: nothing (its
 *     ack says "I am here"). RUN: the caller (or, for stop_machine_all,
 *     every CPU) runs fn.
 *  3. On EXIT every CPU serializes (sync_core) and returns to what it was
 *     interrupted in; the caller waits until each IPI handler is done
 *     before the state may be reused.
 *
 * Nobody can leave a state before every participant has acked it, so a
 * CPU that arrives late only makes the others wait, and no interrupt can
 * run on any CPU between PREPARE and EXIT: each one is in an interrupt
 * handler or has interrupts off, and a pending interrupt waits for the end.
 * A CPU spinning for a lock with interrupts off serves its call queue
 * meanwhile (smp_call_wait, cpu_hotplug_lock), so it joins as well.
 *
 * Waiting is a short spin, then arch_rendezvous_wait(): a halt with
 * interrupts still off that the kick (an NMI on x86) ends. With more
 * virtual CPUs than host CPUs, spinning participants would keep the host
 * from running the ones that have yet to arrive.
 */
#include <kernel/bitops.h>
#include <kernel/cpu.h>
#include <kernel/cpu_hotplug.h>
#include <kernel/irqflags.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/stop_machine.h>
#include <kernel/trace.h>
#include <lib/errno.h>
#include <lib/string.h>

enum stop_state { STOP_NONE, STOP_PREPARE, STOP_RUN, STOP_EXIT };

/* Spins before a participant halts: covers a quick state change. */
#define STOP_SPINS 50

struct stop_run {
	int (*fn)(void *data);
	void *data;
	bool on_all;
	unsigned int caller;
	unsigned int nr_cpus;
	unsigned long cpus; /* the participants */
	atomic_t state;
	atomic_t ack;
	volatile unsigned long arrived;
	uint64_t gathered; /* cycles_now() when RUN began */
	int results[NR_CPUS];
	uint64_t stopped_at[NR_CPUS]; /* interrupted there; 0: not */
};

/* One rendezvous at a time (cpu_hotplug_lock): static state suffices. */
static struct stop_run stop_run;
static struct smp_call stop_calls[NR_CPUS];
static struct stop_machine_stats stats;

/* The last CPU to ack a state moves everyone to the next one. */
static void stop_ack(struct stop_run *r, enum stop_state cur)
{
	unsigned int self = smp_processor_id();

	if (!atomic_dec_and_test(&r->ack))
		return;
	if (cur == STOP_PREPARE)
		r->gathered = cycles_now();
	atomic_set(&r->ack, (int)r->nr_cpus);
	atomic_set(&r->state, cur + 1);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if ((r->cpus & (1ul << cpu)) && cpu != self)
			arch_rendezvous_kick(cpu);
}

/* Every participant, interrupts off. */
static void stop_machine_cpu(void *arg)
{
	struct stop_run *r = arg;
	unsigned int cpu = smp_processor_id();
	enum stop_state cur = STOP_NONE;
	unsigned int spins = 0;

	r->stopped_at[cpu] = cpu == r->caller ? 0 : this_cpu()->call_pc;
	set_bit(cpu, &r->arrived);
	do {
		enum stop_state next = atomic_read(&r->state);

		if (next == cur) {
			if (++spins < STOP_SPINS)
				arch_cpu_relax();
			else
				arch_rendezvous_wait();
			continue;
		}
		spins = 0;
		cur = next;
		if (cur == STOP_RUN && (r->on_all || cpu == r->caller))
			r->results[cpu] = r->fn(r->data);
		if (cur != STOP_EXIT)
			stop_ack(r, cur);
	} while (cur != STOP_EXIT);
	arch_sync_core();
}

/* Step 1: the participants are the online CPUs; the others get an IPI. */
static unsigned long stop_prepare(struct stop_run *r)
{
	unsigned long mask = READ_ONCE(cpu_online_mask);

	memset(r, 0, sizeof(*r));
	r->caller = smp_processor_id();
	r->nr_cpus = hweight_long(mask);
	r->cpus = mask;
	atomic_set(&r->ack, (int)r->nr_cpus);
	atomic_set(&r->state, STOP_PREPARE);
	return mask;
}

static void stop_record(const struct stop_run *r, uint64_t start, uint64_t end)
{
	uint64_t ns = cycles_to_ns(end - start);

	stats.count++;
	stats.latest_ns = ns;
	stats.latest_gather_ns = cycles_to_ns(r->gathered - start);
	stats.total_ns += ns;
	if (ns > stats.longest_ns)
		stats.longest_ns = ns;
	stats.latest_mask = r->arrived;
	stats.latest_cpus = hweight_long(r->arrived);
}

static int stop_result(const struct stop_run *r)
{
	if (!r->on_all)
		return r->results[r->caller];
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (r->results[cpu])
			return r->results[cpu];
	return 0;
}

static int stop_machine_run(int (*fn)(void *data), void *data, bool on_all)
{
	struct stop_run *r = &stop_run;
	unsigned long mask, flags;
	uint64_t start, end;
	int rc;

	cpu_hotplug_lock();
	mask = stop_prepare(r);
	r->fn = fn;
	r->data = data;
	r->on_all = on_all;
	flags = arch_local_irq_save();
	start = cycles_now();
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(mask & (1ul << cpu)) || cpu == r->caller)
			continue;
		stop_calls[cpu] =
			(struct smp_call){ .fn = stop_machine_cpu, .arg = r };
		if (smp_call_function_async(cpu, &stop_calls[cpu]))
			panic("stop_machine: online CPU %u took no call: %d",
			      cpu, -ENODEV);
	}
	stop_machine_cpu(r);
	end = cycles_now();
	arch_local_irq_restore(flags);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if ((mask & (1ul << cpu)) && cpu != r->caller)
			smp_call_wait(&stop_calls[cpu]);
	stop_record(r, start, end);
	trace_point(TRACE_STOP_MACHINE, stats.latest_cpus);
	rc = stop_result(r);
	cpu_hotplug_unlock();
	return rc;
}

int stop_machine(int (*fn)(void *data), void *data)
{
	return stop_machine_run(fn, data, false);
}

int stop_machine_all(int (*fn)(void *data), void *data)
{
	return stop_machine_run(fn, data, true);
}

bool stop_machine_cpu_inside(uint64_t start, uint64_t end)
{
	const struct stop_run *r = &stop_run;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		uint64_t pc = r->stopped_at[cpu];

		if ((r->cpus & (1ul << cpu)) && pc > start && pc < end)
			return true;
	}
	return false;
}

void stop_machine_stats(struct stop_machine_stats *st)
{
	cpu_hotplug_lock();
	*st = stats;
	cpu_hotplug_unlock();
}
