// SPDX-License-Identifier: MIT
/*
 * The console of a Xen dom0: the hypervisor's own (HYPERVISOR_console_io),
 * which Xen writes to its serial port (console=com1) and feeds from it.
 */
#include <xenpv/abi.h>
#include <kernel/irqflags.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

static void console_io_write(const char *s, size_t len)
{
	/* A refused write has nowhere to be reported: this is the console. */
	if (len)
		xen_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len,
			       s);
}

/*
 * Xen's serial driver puts a CR before every LF itself: the kernel's own
 * CR of a CRLF is left out, so the wire carries CRLF as natively.
 */
void xen_console_write(const char *s, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n') {
			console_io_write(s + start, i - start);
			start = i + 1;
		}
	}
	console_io_write(s + start, len - start);
}

/* CONSOLEIO_read returns how many bytes it copied, 0 when none waits. */
int xen_console_getc(void)
{
	char c;

	if (xen_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_read, 1, &c) != 1)
		return -1;
	return (unsigned char)c;
}

/* VIRQ_CONSOLE is bound by arch_interrupts_init (events.c). */
bool xen_console_input_irq(void)
{
	return true;
}

/*
 * Xen raises VIRQ_CONSOLE for new bytes only: what waited while the
 * console had no room is taken now, events masked as in the upcall.
 */
void xen_console_input_resume(void)
{
	unsigned long flags = arch_local_irq_save();

	xen_console_drain();
	arch_local_irq_restore(flags);
}
