// SPDX-License-Identifier: MIT
/*
 * /proc: the boot command line, the CPU and memory.
 */
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/mm.h>
#include <kernel/smp.h>
#include <kernel/platform.h>
#include <lib/errno.h>
#include <lib/string.h>

/* Escaped: the bytes of a command line must not drive the terminal. */
static int cmdline_show(struct seq_buf *s, void *data __unused)
{
	size_t len = strnlen(boot_cmdline, BOOT_CMDLINE_MAX);
	char shown[4 * 32 + 1];

	for (size_t i = 0; i < len; i += 32)
		seq_puts(s, str_escape(shown, sizeof(shown), boot_cmdline + i,
				       len - i < 32 ? len - i : 32));
	seq_puts(s, "\n");
	return s->overflow ? -ENOMEM : 0;
}

static void cpuinfo_flags(struct seq_buf *s)
{
	seq_puts(s, "flags\t\t:");
	for (unsigned int f = 0; f < CPU_FEATURE_WORDS * 32; f++) {
		const char *name = cpu_feature_name(f);

		if (name && cpu_has(f))
			seq_printf(s, " %s", name);
	}
	seq_puts(s, "\n");
}

/* One CPU block, for each online CPU (all of one model: the boot CPU's). */
static void cpuinfo_one(struct seq_buf *s, unsigned int cpu)
{
	const struct cpu_info *c = &boot_cpu;

	seq_printf(s, "processor\t: %u\n", cpu);
	seq_printf(s, "apicid\t\t: %u\n", per_cpu(cpu)->hw_id);
	seq_printf(s, "vendor_id\t: %s\n", c->vendor);
	seq_printf(s, "cpu family\t: %u\nmodel\t\t: %u\n", c->family, c->model);
	seq_printf(s, "model name\t: %s\n", c->model_name);
	seq_printf(s, "stepping\t: %u\n", c->stepping);
	seq_printf(s, "cpu MHz\t\t: %llu.%03llu\n",
		   (unsigned long long)(c->tsc_khz / 1000),
		   (unsigned long long)(c->tsc_khz % 1000));
	cpuinfo_flags(s);
}

static int cpuinfo_show(struct seq_buf *s, void *data __unused)
{
	unsigned int cpu;

	for_each_online_cpu (cpu) {
		if (cpu)
			seq_puts(s, "\n");
		cpuinfo_one(s, cpu);
	}
	return s->overflow ? -ENOMEM : 0;
}

static int meminfo_show(struct seq_buf *s, void *data __unused)
{
	struct page_stats ps;
	struct heap_stats hs;

	page_stats(&ps);
	heap_stats(&hs);
	seq_printf(s, "MemTotal:\t%zu kB\nMemFree:\t%zu kB\n", ps.total * 4,
		   ps.free * 4);
	seq_printf(s, "HeapObjects:\t%zu\nHeapBytes:\t%zu\n", hs.allocations,
		   hs.bytes);
	return s->overflow ? -ENOMEM : 0;
}

static const struct file_ops cmdline_ops = { .show = cmdline_show };
static const struct file_ops cpuinfo_ops = { .show = cpuinfo_show };
static const struct file_ops meminfo_ops = { .show = meminfo_show };

static int procfs_init(void)
{
	struct fs_node *proc = fs_mkdir_path("/proc");

	if (!proc || !fs_create_file(proc, "cmdline", &cmdline_ops, NULL) ||
	    !fs_create_file(proc, "cpuinfo", &cpuinfo_ops, NULL) ||
	    !fs_create_file(proc, "meminfo", &meminfo_ops, NULL))
		return -ENOMEM;
	return 0;
}
INITCALL(procfs_init);
