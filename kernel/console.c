// SPDX-License-Identifier: MIT
/*
 * Console input for the shell, and bulk text output.
 */
#include <kernel/console.h>
#include <kernel/irqflags.h>
#include <kernel/platform.h>
#include <kernel/printk.h>

int console_getc(void)
{
	int c;

	/* Polled for now: the UART's interrupt comes with the IOAPIC. */
	while ((c = arch_console_getc()) < 0)
		arch_cpu_relax();
	return c;
}

void console_write_text(const char *s, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\n')
			continue;
		kprintf("%.*s\n", (int)(i - start), s + start);
		start = i + 1;
	}
	if (start < len)
		kprintf("%.*s", (int)(len - start), s + start);
}
