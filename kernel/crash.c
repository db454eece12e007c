// SPDX-License-Identifier: MIT
/*
 * The "crash" shell command: fault on purpose, to see (and test) the
 * exception report and the exit status. Like Linux's sysrq-c.
 */
#include <stdint.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/errno.h>
#include <lib/string.h>

static void __attribute__((noinline)) crash_null(void)
{
	volatile uint64_t *p = NULL;

	(void)*p;
}

/* Kernel text is mapped read-only: this write must fault. */
static void __attribute__((noinline)) crash_write_text(void)
{
	*(volatile uint8_t *)(uintptr_t)crash_null = 0xcc;
}

static void __attribute__((noinline)) crash_ud2(void)
{
	asm volatile("ud2");
}

static const struct {
	const char *name;
	void (*fn)(void);
} crashes[] = {
	{ "null", crash_null },
	{ "write-text", crash_write_text },
	{ "ud2", crash_ud2 },
};

static int cmd_crash(int argc, char **argv)
{
	for (size_t i = 0; argc == 2 && i < ARRAY_SIZE(crashes); i++) {
		if (!strcmp(argv[1], crashes[i].name)) {
			crashes[i].fn();
			kprintf("crash: %s did not fault\n", argv[1]);
			return -EFAULT;
		}
	}
	kprintf("usage: crash null|write-text|ud2\n");
	return -EINVAL;
}
SHELL_COMMAND("crash", cmd_crash, "crash null|write-text|ud2",
	      "fault on purpose (reports, then stops the machine)");
