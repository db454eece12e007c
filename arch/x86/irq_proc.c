// SPDX-License-Identifier: MIT
/*
 * /proc/interrupts: for each vector that has a handler or was taken, how
 * often each online CPU took it, and its name; and the NMIs.
 */
#include <arch/trap.h>
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <lib/errno.h>
#include <lib/printf.h>

static bool vector_seen(unsigned int vector)
{
	if (irq_vector_name(vector))
		return true;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (per_cpu(cpu)->arch.irq_count[vector])
			return true;
	return false;
}

static void show_row(struct seq_buf *s, const char *label, unsigned int v,
		     const char *name)
{
	unsigned int cpu;

	seq_printf(s, "%-5s", label);
	for_each_online_cpu (cpu)
		seq_printf(s, " %11llu",
			   (unsigned long long)per_cpu(cpu)->arch.irq_count[v]);
	seq_printf(s, "  %s\n", name);
}

static int interrupts_show(struct seq_buf *s, void *data __unused)
{
	unsigned int cpu;
	char label[8];

	seq_puts(s, "     ");
	for_each_online_cpu (cpu)
		seq_printf(s, " %10s%u", "CPU", cpu);
	seq_puts(s, "\n");
	for (unsigned int v = NR_EXCEPTIONS; v < 256; v++) {
		const char *name = irq_vector_name(v);

		if (!vector_seen(v))
			continue;
		snprintf(label, sizeof(label), "0x%02x:", v);
		show_row(s, label, v, name ? name : "(none)");
	}
	show_row(s, "NMI:", VECTOR_NMI, "rendezvous kick, external NMI");
	return s->overflow ? -ENOMEM : 0;
}

static const struct file_ops interrupts_ops = { .show = interrupts_show };

static int irq_proc_init(void)
{
	struct fs_node *proc = fs_mkdir_path("/proc");

	return proc && fs_create_file(proc, "interrupts", &interrupts_ops,
				      NULL) ?
		       0 :
		       -ENOMEM;
}
INITCALL(irq_proc_init);
