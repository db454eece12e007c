// SPDX-License-Identifier: MIT
/*
 * The run loop of every online CPU but the boot CPU: run the work items
 * queued for it, idle when there are none, park when asked to go offline
 * and its queue is empty. The check for work and the idle happen with
 * interrupts off, and whoever queues work also sends a wake IPI (and bumps
 * the CPU's wake word, which the mwait and poll variants watch), so no
 * wake-up is lost between the check and the idle.
 */
#include <kernel/cpu_hotplug.h>
#include <kernel/irqflags.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/smp.h>
#include <kernel/work.h>
#include <lib/errno.h>

static struct work *work_dequeue(struct percpu *p)
{
	struct work *w;

	spin_lock(&p->work_lock);
	w = p->work_head;
	if (w) {
		p->work_head = w->next;
		if (!p->work_head)
			p->work_tail = NULL;
	}
	spin_unlock(&p->work_lock);
	return w;
}

/* Interrupts off: cpu cannot leave the online mask meanwhile. */
static void wake_locked(unsigned int cpu)
{
	struct percpu *p = per_cpu(cpu);

	WRITE_ONCE(p->wake, p->wake + 1);
	if (cpu != smp_processor_id())
		arch_send_ipi(cpu, IPI_WAKE);
}

int work_queue_on(unsigned int cpu, struct work *w)
{
	unsigned long flags;
	struct percpu *p;
	int rc = -ENODEV;

	if (cpu == 0)
		return -EINVAL;
	flags = arch_local_irq_save();
	if (cpu_online(cpu)) {
		p = per_cpu(cpu);
		w->next = NULL;
		spin_lock(&p->work_lock);
		if (p->work_tail)
			p->work_tail->next = w;
		else
			p->work_head = w;
		p->work_tail = w;
		wake_locked(cpu);
		spin_unlock(&p->work_lock);
		rc = 0;
	}
	arch_local_irq_restore(flags);
	return rc;
}

void cpu_kick(unsigned int cpu)
{
	unsigned long flags = arch_local_irq_save();

	if (cpu_online(cpu))
		wake_locked(cpu);
	arch_local_irq_restore(flags);
}

void cpu_run_loop(void)
{
	struct percpu *p = this_cpu();

	for (;;) {
		struct work *w;

		arch_irq_disable();
		w = work_dequeue(p);
		if (w) {
			void (*fn)(void *) = w->fn;
			void *arg = w->arg;

			arch_irq_enable();
			fn(arg);
			p->work_done++;
			continue;
		}
		/* Queued work is done first: a leaving CPU finishes it. */
		if (atomic_read(&p->state) == CPU_DYING)
			cpu_park_self();
		arch_idle();
		arch_irq_enable();
	}
}
