// SPDX-License-Identifier: MIT
/*
 * How long stop_machine kept the machine stopped: /sys/kernel/debug/
 * stop_machine shows the count, the latest and the longest stop (and the
 * CPUs of the latest); the shell command "stop_machine [COUNT]" stops the
 * machine COUNT times with an empty function, to measure it.
 */
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/stop_machine.h>
#include <lib/errno.h>
#include <lib/parse.h>

static void show_ns(struct seq_buf *s, const char *what, uint64_t ns)
{
	seq_printf(s, "%-9s %llu.%03llu us\n", what,
		   (unsigned long long)(ns / 1000),
		   (unsigned long long)(ns % 1000));
}

static int stop_machine_show(struct seq_buf *s, void *data __unused)
{
	struct stop_machine_stats st;

	stop_machine_stats(&st);
	seq_printf(s, "count:    %llu\n", (unsigned long long)st.count);
	show_ns(s, "latest:", st.latest_ns);
	show_ns(s, "gather:", st.latest_gather_ns);
	show_ns(s, "longest:", st.longest_ns);
	show_ns(s, "mean:", st.count ? st.total_ns / st.count : 0);
	seq_printf(s, "cpus:     %u (mask 0x%lx)\n", st.latest_cpus,
		   st.latest_mask);
	return s->overflow ? -ENOMEM : 0;
}

static const struct file_ops stop_machine_ops = { .show = stop_machine_show };

static int stop_machine_debugfs_init(void)
{
	return debugfs_create_file("stop_machine", NULL, &stop_machine_ops,
				   NULL) ?
		       0 :
		       -ENOMEM;
}
INITCALL(stop_machine_debugfs_init);

static int stop_nothing(void *data __unused)
{
	return 0;
}

static int cmd_stop_machine(int argc, char **argv)
{
	unsigned int count = 1;
	struct stop_machine_stats st;

	if (argc > 2 || (argc == 2 && (kstrtouint(argv[1], 10, &count) ||
				       !count || count > 1000000))) {
		kprintf("usage: stop_machine [COUNT], COUNT 1..1000000\n");
		return -EINVAL;
	}
	for (unsigned int i = 0; i < count; i++)
		stop_machine(stop_nothing, NULL);
	stop_machine_stats(&st);
	kprintf("stop_machine: %u done on %u CPUs, latest %llu ns, longest "
		"%llu ns\n",
		count, st.latest_cpus, (unsigned long long)st.latest_ns,
		(unsigned long long)st.longest_ns);
	return 0;
}
SHELL_COMMAND("stop_machine", cmd_stop_machine, "stop_machine [COUNT]",
	      "stop every CPU COUNT times; print the stop times");
