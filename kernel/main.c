// SPDX-License-Identifier: MIT
/*
 * kernel_main(): what the kernel does after its environment's entry code,
 * in order.
 */
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/init.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/relink.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <lib/errno.h>
#include <lib/parse.h>

extern const struct initcall __initcalls_start[], __initcalls_end[];

void initcalls_run(void)
{
	for (const struct initcall *c = __initcalls_start; c < __initcalls_end;
	     c++) {
		int rc = c->fn();

		if (rc)
			pr_err("init: %s failed: %d\n", c->name, rc);
	}
}

static void cmdline_init(struct boot_info *boot)
{
	int rc;

	boot_cmdline = boot->cmdline;
	rc = cmdline_parse(&boot_options, boot->cmdline);
	if (rc)
		pr_err("cmdline: cannot parse the command line (%d): ignored\n",
		       rc);
}

void kernel_main(struct boot_info *boot)
{
	pr_info("relink: booting on %s\n", boot->environment);
	/* Needs the boot data the entry copied; drops the identity map. */
	arch_setup(boot);
	cmdline_init(boot);
	pr_info("relink: command line: %s\n", boot->cmdline);
	/* Options may adjust CPU features (clearcpuid): after arch_setup. */
	cmdline_apply(&boot_options);
	/*
	 * Relink the kernel for this machine: one CPU, interrupts off, and
	 * after the options (relink.*, clearcpuid=) the deciders read.
	 */
	relink_boot();
	mm_init(boot);
	/* After the options that shape it (acpi=, idle=); enables IRQs. */
	arch_interrupts_init(boot);
	console_init();
	/* The file tree and everything published in it need the heap. */
	initcalls_run();
	/* After the initcalls: hot-plug callbacks are registered by then. */
	smp_init();
	/* Runs the tests and powers off when ktest= was given. */
	ktest_boot();
	pr_info("relink: ready\n");
	shell_run();
}

static int loglevel_param(const char *value)
{
	unsigned int level;

	if (!value || kstrtouint(value, 10, &level) || level > 7) {
		pr_warn("loglevel: expected a number 0..7, keeping %d\n",
			console_loglevel);
		return -EINVAL;
	}
	console_loglevel = (int)level;
	return 0;
}
KERNEL_PARAM("loglevel", loglevel_param, "console log level: loglevel=0..7");
