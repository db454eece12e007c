// SPDX-License-Identifier: MIT
/*
 * The kernel's boot-time relink, and the deciders' run-time half: when a
 * CPU comes online or goes offline, every choice is decided again
 * (relink_machine_changed()). Before a second CPU starts, every lock
 * prefix becomes "lock" again (through stop_machine, while that CPU is not
 * yet running); when only one CPU is left, they become DS prefixes. A
 * variant the command line pinned (relink.smp.lock=, noreplace-smp) stays
 * while its predicate holds and is overridden, with one line, when not.
 */
#include <kernel/cpu_hotplug.h>
#include <kernel/init.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/relink.h>
#include <kernel/smp.h>
#include <relink/engine.h>

/* What the entry found (struct boot_info), for the hypervisor decider. */
unsigned int relink_boot_hypervisor;

void relink_boot(const struct boot_info *boot)
{
	int rc;

	relink_boot_hypervisor = boot->hypervisor;
	rc = relink_init_early();

	if (rc)
		panic("relink: boot-time patching failed: %d", rc);
}

/*
 * CPUs about to come online, counted by relink_platform_cpus_online() so
 * that deciders see the machine the switch is made for: the lock prefixes
 * must be "lock" before the new CPU runs a single instruction.
 */
unsigned int relink_cpus_coming;

static int relink_coming_online(unsigned int cpu __unused)
{
	int rc;

	relink_cpus_coming = 1;
	rc = relink_machine_changed();
	relink_cpus_coming = 0;
	if (rc)
		pr_err("relink: cannot relink for CPU %u coming online: %d\n",
		       cpu, rc);
	return rc;
}

static void relink_gone_offline(unsigned int cpu)
{
	int rc = relink_machine_changed();

	if (rc)
		pr_err("relink: cannot relink after CPU %u went offline: %d\n",
		       cpu, rc);
}

static struct cpu_hotplug_callbacks relink_hotplug_callbacks = {
	.coming_online = relink_coming_online,
	.gone_offline = relink_gone_offline,
};

static int relink_hotplug_init(void)
{
	return cpu_hotplug_register(&relink_hotplug_callbacks);
}
INITCALL(relink_hotplug_init);
