// SPDX-License-Identifier: MIT
/*
 * CPUs online and calling functions on other CPUs. Each CPU has a queue of
 * struct smp_call; a caller queues an entry and sends the target a call
 * IPI, whose handler (interrupts off) runs the queue. Queueing checks
 * cpu_online() with interrupts off: a CPU only leaves the online mask
 * inside stop_machine, which cannot complete while any CPU has interrupts
 * off, so an entry is never queued to a CPU that will not run it. Also
 * here: smp_init(), which starts the other CPUs at boot, with nosmp and
 * maxcpus= (Linux's spellings).
 */
#include <kernel/bitops.h>
#include <kernel/cmdline.h>
#include <kernel/cpu_hotplug.h>
#include <kernel/irqflags.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/string.h>

struct percpu percpu_areas[NR_CPUS];
volatile unsigned long cpu_online_mask = 1; /* the boot CPU */

static bool smp_disabled;
static unsigned int smp_max_cpus = NR_CPUS;

unsigned int num_online_cpus(void)
{
	return hweight_long(READ_ONCE(cpu_online_mask));
}

unsigned int nr_cpus_possible(void)
{
	return smp_disabled ? 1 : arch_cpus_possible();
}

static struct smp_call *call_dequeue(struct percpu *p)
{
	struct smp_call *c;

	spin_lock(&p->call_lock);
	c = p->call_head;
	if (c) {
		p->call_head = c->next;
		if (!p->call_head)
			p->call_tail = NULL;
	}
	spin_unlock(&p->call_lock);
	return c;
}

/* fn and arg are read first: after done is set the entry may be gone. */
void smp_call_interrupt(uint64_t interrupted_pc)
{
	struct percpu *p = this_cpu();
	struct smp_call *c;

	p->call_pc = interrupted_pc;
	while ((c = call_dequeue(p)) != NULL) {
		void (*fn)(void *) = c->fn;
		void *arg = c->arg;

		fn(arg);
		atomic_set(&c->done, 1);
	}
}

void smp_call_poll(void)
{
	smp_call_interrupt(0);
}

int smp_call_function_async(unsigned int cpu, struct smp_call *call)
{
	unsigned long flags = arch_local_irq_save();
	struct percpu *p;
	int rc = -ENODEV;

	if (cpu_online(cpu) && cpu != smp_processor_id()) {
		p = per_cpu(cpu);
		atomic_set(&call->done, 0);
		call->next = NULL;
		spin_lock(&p->call_lock);
		if (p->call_tail)
			p->call_tail->next = call;
		else
			p->call_head = call;
		p->call_tail = call;
		spin_unlock(&p->call_lock);
		arch_send_ipi(cpu, IPI_CALL);
		rc = 0;
	}
	arch_local_irq_restore(flags);
	return rc;
}

void smp_call_wait(struct smp_call *call)
{
	while (!atomic_read(&call->done)) {
		if (arch_irqs_disabled_flags(arch_save_flags()))
			smp_call_poll();
		arch_cpu_relax();
	}
}

int smp_call_function_single(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	struct smp_call call = { .fn = fn, .arg = arg };
	unsigned long flags;
	int rc;

	if (cpu == smp_processor_id()) {
		flags = arch_local_irq_save();
		fn(arg);
		arch_local_irq_restore(flags);
		return 0;
	}
	rc = smp_call_function_async(cpu, &call);
	if (!rc)
		smp_call_wait(&call);
	return rc;
}

int smp_call_function_others(void (*fn)(void *arg), void *arg)
{
	struct smp_call calls[NR_CPUS];
	bool queued[NR_CPUS] = { false };
	unsigned int cpu;

	for_each_online_cpu (cpu) {
		calls[cpu] = (struct smp_call){ .fn = fn, .arg = arg };
		queued[cpu] = smp_call_function_async(cpu, &calls[cpu]) == 0;
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (queued[cpu])
			smp_call_wait(&calls[cpu]);
	return 0;
}

/* Start CPUs 1..n-1 in order; a CPU that fails is reported and skipped. */
void smp_init(void)
{
	unsigned int possible = nr_cpus_possible();
	unsigned int want = possible < smp_max_cpus ? possible : smp_max_cpus;

	if (smp_disabled && arch_cpus_possible() > 1)
		pr_info("smp: nosmp: not starting the other %u CPUs\n",
			arch_cpus_possible() - 1);
	else if (want < possible)
		pr_info("smp: maxcpus=%u: starting %u of %u CPUs\n",
			smp_max_cpus, want, possible);
	for (unsigned int cpu = 1; cpu < want; cpu++) {
		int rc = cpu_up(cpu);

		if (rc)
			pr_err("smp: CPU %u did not start: %d\n", cpu, rc);
	}
	pr_info("smp: %u CPU%s online\n", num_online_cpus(),
		num_online_cpus() == 1 ? "" : "s");
}

static int nosmp_param(const char *key __unused, const char *value __unused,
		       char *why __unused)
{
	smp_disabled = true;
	return 0;
}
KERNEL_FLAG("nosmp", nosmp_param, "run on the boot CPU only");

static int maxcpus_param(const char *key __unused, const char *value, char *why)
{
	unsigned int n;

	if (kstrtouint(value, 10, &n)) {
		strlcpy(why, "expected a number of CPUs; keeping all",
			CMDLINE_WHY_MAX);
		return -EINVAL;
	}
	smp_max_cpus = n ? n : 1;
	return 0;
}
KERNEL_PARAM("maxcpus", maxcpus_param, "maxcpus=N",
	     "start at most N CPUs at boot (more can go online later)");
