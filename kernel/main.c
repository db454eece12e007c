// SPDX-License-Identifier: MIT
/*
 * kernel_main(): what the kernel does after its environment's entry code,
 * in order.
 */
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/init.h>
#include <kernel/initrd.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/relink.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <lib/string.h>

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

extern const struct kernel_param __kernel_params_start[];
extern const struct kernel_param __kernel_params_end[];

/*
 * The boot protocol's buffer holds BOOT_CMDLINE_MAX - 1 bytes: a longer
 * command line arrives cut, and its last word may read as another word
 * (maxcpus=12 as maxcpus=1), so none of it is used.
 */
static void cmdline_init(struct boot_info *boot)
{
	char shown[160];

	if (boot->cmdline_len >= sizeof(boot->cmdline)) {
		pr_warn("cmdline: %zu bytes, more than %zu: the whole command "
			"line is ignored\n",
			boot->cmdline_len, sizeof(boot->cmdline) - 1);
		boot->cmdline[0] = '\0';
	}
	boot_cmdline = boot->cmdline;
	pr_info("relink: command line: %s\n",
		str_escape(shown, sizeof(shown), boot->cmdline,
			   sizeof(boot->cmdline)));
	cmdline_parse(&boot_options, boot->cmdline, sizeof(boot->cmdline));
}

void kernel_main(struct boot_info *boot)
{
	pr_info("relink: booting on %s\n", boot->environment);
	/* Needs the boot data the entry copied; drops the identity map. */
	arch_setup(boot);
	cmdline_init(boot);
	/* Options may adjust CPU features (clearcpuid): after arch_setup. */
	cmdline_apply(&boot_options, __kernel_params_start,
		      (size_t)(__kernel_params_end - __kernel_params_start));
	/*
	 * Relink the kernel for this machine: one CPU, interrupts off, and
	 * after the options (relink.*, clearcpuid=) the deciders read.
	 */
	relink_boot(boot);
	mm_init(boot);
	/* After the options that shape it (acpi=, idle=); enables IRQs. */
	arch_interrupts_init(boot);
	console_init();
	/* The file tree and everything published in it need the heap. */
	initcalls_run();
	/* Its files go into the tree: after the initcalls made /proc etc. */
	initrd_init(boot);
	/* After the initcalls: hot-plug callbacks are registered by then. */
	smp_init();
	/* Runs the tests and powers off when ktest= was given. */
	ktest_boot();
	pr_info("relink: ready\n");
	shell_run();
}

static int loglevel_param(const char *key __unused, const char *value,
			  char *why)
{
	unsigned int level;

	if (kstrtouint(value, 10, &level) || level > 7) {
		snprintf(why, CMDLINE_WHY_MAX,
			 "expected a number 0..7; keeping %d",
			 console_loglevel);
		return -EINVAL;
	}
	console_loglevel = (int)level;
	return 0;
}
KERNEL_PARAM("loglevel", loglevel_param, "loglevel=0..7", "console log level");
