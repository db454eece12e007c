// SPDX-License-Identifier: MIT
/*
 * The console of a Xen dom0: the hypervisor's own (HYPERVISOR_console_io),
 * which Xen writes to its serial port (console=com1) and feeds from it.
 */
#include <xenpv/abi.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

void xen_console_write(const char *s, size_t len)
{
	xen_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len, s);
}

/* CONSOLEIO_read returns how many bytes it copied, 0 when none waits. */
int xen_console_getc(void)
{
	char c;

	if (xen_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_read, 1, &c) != 1)
		return -1;
	return (unsigned char)c;
}

/* Polled for now: the VIRQ_CONSOLE event channel comes with events. */
bool xen_console_input_irq(void)
{
	return false;
}

void xen_console_input_resume(void)
{
}
