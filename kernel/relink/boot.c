// SPDX-License-Identifier: MIT
/*
 * The kernel's boot-time relink, and the SMP decider's run-time half: the
 * smp.lock sites follow the number of CPUs online through the hot-plug
 * callbacks. Before a second CPU starts, every lock prefix becomes "lock"
 * again (through stop_machine, while that CPU is not yet running); when
 * only one CPU is left, they become DS prefixes. A choice the command line
 * fixed (relink.smp.lock=, noreplace-smp) stays as it was asked.
 */
#include <kernel/cpu_hotplug.h>
#include <kernel/init.h>
#include <kernel/printk.h>
#include <kernel/relink.h>
#include <kernel/smp.h>
#include <relink/engine.h>

void relink_boot(void)
{
	int rc = relink_init_early();

	if (rc)
		panic("relink: boot-time patching failed: %d", rc);
}

/* Switch smp.lock to variant unless the command line fixed it. */
static int smp_lock_follow(const char *variant)
{
	int c = relink_choice_find("smp.lock");
	struct relink_choice_info info;
	int rc;

	if (c < 0 || relink_choice_get((unsigned int)c, &info))
		return 0;
	if (info.decided_by == RELINK_BY_CMDLINE ||
	    relink_variant_find((unsigned int)c, variant) == (int)info.variant)
		return 0;
	rc = relink_redecide("smp.lock", variant, RELINK_BY_SMP);
	if (rc)
		pr_err("relink: smp.lock=%s failed: %d\n", variant, rc);
	return rc;
}

/* Runs before the CPU starts: it must never see a DS-prefixed atomic. */
static int smp_lock_coming_online(unsigned int cpu __unused)
{
	return smp_lock_follow("smp");
}

static void smp_lock_gone_offline(unsigned int cpu __unused)
{
	if (num_online_cpus() == 1)
		smp_lock_follow("up");
}

static struct cpu_hotplug_callbacks smp_lock_callbacks = {
	.coming_online = smp_lock_coming_online,
	.gone_offline = smp_lock_gone_offline,
};

static int smp_lock_hotplug_init(void)
{
	return cpu_hotplug_register(&smp_lock_callbacks);
}
INITCALL(smp_lock_hotplug_init);
