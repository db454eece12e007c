// SPDX-License-Identifier: MIT
/*
 * /sys/devices/system/cpu, as Linux lays it out: "possible" and "online"
 * list CPU numbers ("0-3"); cpuN/online reads 1 or 0 and takes 1 or 0 to
 * bring CPU N online or take it offline (cpu_up/cpu_down).
 */
#include <kernel/cpu_hotplug.h>
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

/* "0-2,5": runs of set bits. */
static void show_cpu_list(struct seq_buf *s, unsigned long mask)
{
	const char *sep = "";

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned int last = cpu;

		if (!(mask & (1ul << cpu)))
			continue;
		while (last + 1 < NR_CPUS && (mask & (1ul << (last + 1))))
			last++;
		if (last == cpu)
			seq_printf(s, "%s%u", sep, cpu);
		else
			seq_printf(s, "%s%u-%u", sep, cpu, last);
		sep = ",";
		cpu = last;
	}
	seq_puts(s, "\n");
}

static int online_list_show(struct seq_buf *s, void *data __unused)
{
	show_cpu_list(s, READ_ONCE(cpu_online_mask));
	return s->overflow ? -ENOMEM : 0;
}

static int possible_list_show(struct seq_buf *s, void *data __unused)
{
	show_cpu_list(s, (1ul << nr_cpus_possible()) - 1);
	return s->overflow ? -ENOMEM : 0;
}

static int cpu_online_show(struct seq_buf *s, void *data)
{
	unsigned int cpu = (unsigned int)(uintptr_t)data;

	return seq_printf(s, "%d\n", cpu_online(cpu)) < 0 ? -ENOMEM : 0;
}

static int cpu_online_write(const char *buf, size_t len, void *data, char *why)
{
	unsigned int cpu = (unsigned int)(uintptr_t)data;
	char shown[40];
	int rc;

	if (strcmp(buf, "0") && strcmp(buf, "1")) {
		snprintf(why, FS_WHY_MAX,
			 "cpu%u/online: '%s': write 1 (online) or 0 (offline)",
			 cpu, str_escape(shown, sizeof(shown), buf, len));
		return -EINVAL;
	}
	if (buf[0] == '0' && cpu == 0) {
		strlcpy(why, "cpu0: the boot CPU cannot go offline",
			FS_WHY_MAX);
		return -EBUSY;
	}
	rc = buf[0] == '1' ? cpu_up(cpu) : cpu_down(cpu);
	if (rc)
		snprintf(why, FS_WHY_MAX, "cpu%u: cannot go %s: %d", cpu,
			 buf[0] == '1' ? "online" : "offline", rc);
	else
		pr_info("cpu%u: %s\n", cpu,
			buf[0] == '1' ? "online" : "offline");
	return rc;
}

static const struct file_ops online_list_ops = { .show = online_list_show };
static const struct file_ops possible_list_ops = { .show = possible_list_show };
static const struct file_ops cpu_online_ops = {
	.show = cpu_online_show,
	.write = cpu_online_write,
};

static int cpu_sysfs_init(void)
{
	struct fs_node *dir = fs_mkdir_path("/sys/devices/system/cpu");
	char name[16];

	if (!dir || !fs_create_file(dir, "online", &online_list_ops, NULL) ||
	    !fs_create_file(dir, "possible", &possible_list_ops, NULL))
		return -ENOMEM;
	for (unsigned int cpu = 0; cpu < nr_cpus_possible(); cpu++) {
		struct fs_node *sub;

		snprintf(name, sizeof(name), "cpu%u", cpu);
		sub = fs_mkdir(dir, name);
		if (!sub || !fs_create_file(sub, "online", &cpu_online_ops,
					    (void *)(uintptr_t)cpu))
			return -ENOMEM;
	}
	return 0;
}
INITCALL(cpu_sysfs_init);
