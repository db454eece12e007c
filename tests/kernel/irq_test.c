// SPDX-License-Identifier: MIT
/*
 * KTAP suite "irq": the device-interrupt controller is the one the command
 * line asks for (IOAPIC with ACPI routing; the 8259 PIC with acpi=noirq or
 * acpi=off), the other one is silent, the serial port's interrupt really
 * arrives through it, and every online CPU's tick arrives: the local APIC
 * timer's, or the PIT's on a CPU without a local APIC.
 */
#include <native/apic.h>
#include <native/irqchip.h>
#include <arch/io.h>
#include <native/native.h>
#include <arch/pit.h>
#include <native/topology.h>
#include <relink/platform.h>
#include <kernel/cpu.h>
#include <kernel/irqflags.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <lib/string.h>

#define SERIAL_VECTOR (IRQ_VECTOR_BASE + 4)
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

static const char *mode_name(void)
{
	return acpi_mode == ACPI_OFF   ? "acpi=off" :
	       acpi_mode == ACPI_NOIRQ ? "acpi=noirq" :
					 "acpi=on";
}

static void test_controller_follows_acpi_mode(struct ktest *t)
{
	bool want_ioapic = acpi_mode == ACPI_ON && topology.has_ioapic;

	kprintf("    # irq: %s, device interrupts through the %s\n",
		mode_name(), irq_chip_name());
	KTEST_EXPECT_STREQ(t, irq_chip_name(),
			   want_ioapic ? "IOAPIC" : "8259 PIC");
}

/*
 * The PIC passes the serial IRQ only when it is the chosen controller
 * (native only: it reads the PIC's ports).
 */
static __native_only void test_pic_mask_matches_controller(struct ktest *t)
{
	uint8_t master = inb(PIC1_DATA), slave = inb(PIC2_DATA);

	if (!strcmp(irq_chip_name(), "IOAPIC")) {
		KTEST_EXPECT_EQ(t, master, 0xff);
		KTEST_EXPECT_EQ(t, slave, 0xff);
	} else {
		KTEST_EXPECT_EQ(t, master & (1 << 4), 0);
	}
}

static bool wait_for_count(unsigned int cpu, unsigned int vector,
			   uint64_t before, unsigned int ms)
{
	uint64_t start = cycles_now();

	while (per_cpu(cpu)->arch.irq_count[vector] == before)
		if (cycles_to_ns(cycles_now() - start) > ms * 1000000ull)
			return false;
	return true;
}

static void test_serial_interrupt_arrives(struct ktest *t)
{
	uint64_t before = per_cpu(0)->arch.irq_count[SERIAL_VECTOR];

	KTEST_ASSERT_TRUE(t, !arch_irqs_disabled_flags(arch_save_flags()));
	serial_irq_selftest();
	KTEST_EXPECT_TRUE(t, wait_for_count(0, SERIAL_VECTOR, before, 1000));
}

static void test_timer_ticks_on_every_cpu(struct ktest *t)
{
	unsigned int vector = cpu_has(X86_FEATURE_apic) ?
				      VECTOR_LAPIC_TIMER :
				      IRQ_VECTOR_BASE + PIT_IRQ;
	uint64_t before[NR_CPUS];
	unsigned int cpu;

	for_each_online_cpu (cpu)
		before[cpu] = per_cpu(cpu)->arch.irq_count[vector];
	for_each_online_cpu (cpu)
		KTEST_EXPECT_TRUE(t, wait_for_count(cpu, vector, before[cpu],
						    1000));
}

static const struct ktest_case irq_cases[] = {
	KTEST_CASE(test_controller_follows_acpi_mode),
	KTEST_CASE(test_pic_mask_matches_controller),
	KTEST_CASE(test_serial_interrupt_arrives),
	KTEST_CASE(test_timer_ticks_on_every_cpu),
	{}
};
/* The PIC, IOAPIC, LAPIC timer and UART are the native environment's. */
static bool native_interrupts(const char **reason)
{
	if (relink_platform_hypervisor() != RELINK_HV_XEN_PV)
		return true;
	*reason = "Xen PV: no PIC, IOAPIC, LAPIC timer or 16550 (event "
		  "channels instead)";
	return false;
}

KTEST_SUITE(irq, irq_cases, .available = native_interrupts);
