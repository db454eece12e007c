// SPDX-License-Identifier: MIT
/*
 * The engine's boot options. "relink.<choice>=<variant>" and the Linux
 * spellings are read by the deciders through the platform interface
 * (kernel/relink/platform.c); they are declared here so the command-line
 * parser knows them. A value the deciders refuse gets its one line from
 * the engine, which keeps the default.
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <relink/engine.h>

static int relink_choice_param(const char *key, const char *value)
{
	if (!value || !*value) {
		pr_warn("%s: needs a variant: %s=VARIANT\n", key, key);
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM_KEYED("relink.", relink_choice_param,
		   "pick a variant: relink.<choice>=<variant>");

static int debug_alternative_param(const char *value __unused)
{
	relink_set_debug(true);
	return 0;
}
KERNEL_PARAM("debug-alternative", debug_alternative_param,
	     "log every site as it is written, bytes before and after");

static int noreplace_smp_param(const char *value __unused)
{
	return 0;
}
KERNEL_PARAM("noreplace-smp", noreplace_smp_param,
	     "keep lock prefixes even on one CPU (smp.lock=smp)");
