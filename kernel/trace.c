// SPDX-License-Identifier: MIT
/*
 * The choice "trace" and the rings its trace points record into.
 *
 * Every CPU writes only its own ring, with interrupts off, so a record
 * needs no lock; a reader takes what it finds (a record being written as
 * it reads may show half old, half new: this is a debugging aid, and the
 * sequence number says which records are complete).
 */
#include <kernel/cpu.h>
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/irqflags.h>
#include <kernel/percpu.h>
#include <kernel/relink.h>
#include <kernel/trace.h>
#include <lib/errno.h>
#include <kernel/module.h>

#define TRACE_RING_SIZE 128 /* records per CPU, a power of two */

struct trace_entry {
	uint64_t cycles;
	uint32_t seq; /* 1 + the ring's count when written: 0 = empty */
	uint16_t event;
	uint16_t cpu;
	uint32_t arg;
};

struct trace_ring {
	struct trace_entry entries[TRACE_RING_SIZE];
	uint32_t count;
};

static struct trace_ring rings[NR_CPUS];

/* Off by default: the compiled code is the NOP, the variant "off". */
DEFINE_CHOICE(trace, "trace", RELINK_DECIDER_DEFAULT, 0,
	      RELINK_VARIANT("off", RELINK_WHEN_ALWAYS),
	      RELINK_VARIANT("on", RELINK_WHEN_ALWAYS, RELINK_JUMPS()));

RELINK_OPTION(trace, "trace", "trace=off|on", "record trace points");

void trace_record(enum trace_event event, uint32_t arg)
{
	unsigned long flags = arch_local_irq_save();
	unsigned int cpu = smp_processor_id();
	struct trace_ring *r = &rings[cpu];
	struct trace_entry *e = &r->entries[r->count % TRACE_RING_SIZE];

	e->cycles = cycles_now();
	e->event = (uint16_t)event;
	e->cpu = (uint16_t)cpu;
	e->arg = arg;
	e->seq = ++r->count;
	arch_local_irq_restore(flags);
}

uint64_t trace_count(void)
{
	uint64_t n = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		n += READ_ONCE(rings[cpu].count);
	return n;
}

static const char *event_name(uint16_t event)
{
	switch (event) {
	case TRACE_IRQ:
		return "irq";
	case TRACE_STOP_MACHINE:
		return "stop_machine";
	}
	return "?";
}

/* The last records of every CPU, oldest first: "cpu seq ns event arg". */
static void show_ring(struct seq_buf *s, unsigned int cpu)
{
	const struct trace_ring *r = &rings[cpu];
	uint32_t count = READ_ONCE(r->count);
	uint32_t first = count > TRACE_RING_SIZE ? count - TRACE_RING_SIZE : 0;

	for (uint32_t i = first; i < count; i++) {
		const struct trace_entry *e = &r->entries[i % TRACE_RING_SIZE];

		if (e->seq != i + 1)
			continue; /* overwritten while we read */
		seq_printf(s, "cpu%u %u %llu %s %u\n", e->cpu, e->seq,
			   (unsigned long long)cycles_to_ns(e->cycles),
			   event_name(e->event), e->arg);
	}
}

static int trace_show(struct seq_buf *s, void *data __unused)
{
	seq_printf(s, "# trace %s, %llu events; cpu seq ns event arg\n",
		   relink_branch(trace) ? "on" : "off",
		   (unsigned long long)trace_count());
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		show_ring(s, cpu);
	return s->overflow ? -ENOMEM : 0;
}

static const struct file_ops trace_ops = { .show = trace_show };

static int trace_debugfs_init(void)
{
	return debugfs_create_file("trace", NULL, &trace_ops, NULL) ? 0 :
								      -ENOMEM;
}
INITCALL(trace_debugfs_init);
EXPORT_SYMBOL(trace_record);
EXPORT_CHOICE(trace);
