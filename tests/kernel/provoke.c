// SPDX-License-Identifier: MIT
/*
 * "provoke": a shell command for boot scenarios that breaks, on purpose,
 * a rule the run-time switch's safety rests on, to show the kernel
 * catches it (tests/boot/scenarios/provoke-*.scn).
 *
 *   provoke irq-on	an interrupt handler that turns interrupts on: a
 *			stop_machine IPI could then land in a nested handler
 *			while the interrupted code sits half-way through a
 *			site; trap_dispatch must stop the machine instead.
 */
#include <arch/irqflags.h>
#include <arch/trap.h>
#include <native/apic.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/errno.h>
#include <lib/string.h>

/* A vector no device or IPI uses (include/native/apic.h has 0xf0..). */
#define VECTOR_PROVOKE 0xe0

static void irq_on_handler(struct trap_frame *frame __unused)
{
	arch_irq_enable();
}

static int provoke_irq_on(void)
{
	int rc = irq_register(VECTOR_PROVOKE, "provoke", irq_on_handler);

	if (rc && rc != -EBUSY)
		return rc;
	/*
	 * A real interrupt, as a device would raise it: a fixed IPI to this
	 * CPU (nested KVM cannot emulate a software "int" here). The shell
	 * runs with interrupts on, so it arrives at once.
	 */
	lapic_send_ipi(lapic_id(), VECTOR_PROVOKE);
	for (int i = 0; i < 1000000; i++)
		arch_cpu_relax();
	kprintf("provoke: irq-on was not caught\n");
	return -EFAULT;
}

static int cmd_provoke(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "irq-on"))
		return provoke_irq_on();
	kprintf("usage: provoke irq-on\n");
	return -EINVAL;
}
SHELL_COMMAND("provoke", cmd_provoke, "provoke irq-on",
	      "break a safety rule on purpose (tests)");
