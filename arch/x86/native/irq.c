// SPDX-License-Identifier: MIT
/*
 * Device interrupts of the native environment, and the boot CPU's
 * interrupt bring-up. One controller handles device interrupts: the IOAPIC
 * when ACPI describes it, else (acpi=noirq, acpi=off, no IOAPIC) the 8259
 * PIC. Everything else reaches it through irq_eoi/mask/unmask/route, one
 * call site each, so the choice can later become the patchable choice
 * "acpi.irq" {acpi, noirq} instead of a pointer.
 */
#include <arch/apic.h>
#include <arch/irqchip.h>
#include <arch/cpu.h>
#include <arch/native.h>
#include <arch/topology.h>
#include <arch/trap.h>
#include <kernel/irqflags.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <lib/errno.h>

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ADDRESS 0x000ffffffffff000ull

static const struct irq_chip *irq_chip = &pic_chip;
static void (*isa_handlers[NR_ISA_IRQS])(unsigned int irq);

void irq_eoi(unsigned int irq)
{
	irq_chip->eoi(irq);
}

void irq_mask(unsigned int irq)
{
	irq_chip->mask(irq);
}

void irq_unmask(unsigned int irq)
{
	irq_chip->unmask(irq);
}

int irq_route(unsigned int irq, unsigned int vector, uint32_t apic_id)
{
	return irq_chip->route(irq, vector, apic_id);
}

const char *irq_chip_name(void)
{
	return irq_chip->name;
}

static void isa_interrupt(struct trap_frame *f)
{
	unsigned int irq = (unsigned int)f->vector - IRQ_VECTOR_BASE;

	isa_handlers[irq](irq);
	irq_eoi(irq);
}

int irq_request(unsigned int irq, const char *name,
		void (*handler)(unsigned int irq))
{
	unsigned int vector = IRQ_VECTOR_BASE + irq;
	int rc;

	if (irq >= NR_ISA_IRQS)
		return -EINVAL;
	isa_handlers[irq] = handler;
	rc = irq_register(vector, name, isa_interrupt);
	if (!rc)
		rc = irq_route(irq, vector, topology.apic_ids[0]);
	if (rc)
		return rc;
	irq_unmask(irq);
	return 0;
}

static const char *pic_reason(void)
{
	if (acpi_mode == ACPI_NOIRQ)
		return "acpi=noirq";
	if (acpi_mode == ACPI_OFF)
		return "acpi=off";
	return "no usable IOAPIC";
}

/* ACPI routing when allowed and an IOAPIC answers, else the 8259s. */
static void irq_chip_select(void)
{
	if (acpi_mode == ACPI_ON && ioapic_chip.init() == 0) {
		irq_chip = &ioapic_chip;
		pr_info("irq: device interrupts through the IOAPIC (ACPI)\n");
		return;
	}
	irq_chip = &pic_chip;
	pic_chip.init();
	pr_info("irq: device interrupts through the 8259 PIC (%s)\n",
		pic_reason());
}

/*
 * Order: the 8259s deliver on exception vectors until remapped, so they go
 * first; the firmware tables need the boot CPU's APIC ID; the chip choice
 * needs the tables; the LAPIC's LINT0 setting needs the chip choice.
 */
void arch_interrupts_init(const struct boot_info *boot)
{
	int rc;

	pic_mask_all();
	lapic_map(rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDRESS);
	topology_discover(boot->rsdp_phys, lapic_id());
	for (unsigned int cpu = 0; cpu < topology.nr_cpus; cpu++)
		per_cpu(cpu)->hw_id = topology.apic_ids[cpu];
	rc = lapic_register_vectors();
	rc = rc ? rc : ipi_register_vectors();
	if (rc)
		panic("irq: cannot register the local vectors: %d", rc);
	lapic_timer_calibrate();
	irq_chip_select();
	lapic_init_cpu(irq_chip == &pic_chip);
	smpboot_init(boot);
	arch_irq_enable();
}
