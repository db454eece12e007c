/* SPDX-License-Identifier: MIT */
/*
 * The device-interrupt controller interface of the native environment:
 * the IOAPIC (ACPI routing) or the 8259 PIC (acpi=noirq, acpi=off), one
 * chosen at boot by irq.c, both behind the same four operations.
 */
#ifndef ARCH_IRQCHIP_H
#define ARCH_IRQCHIP_H

#include <stdint.h>

/*
 * A device-interrupt controller. route() points ISA IRQ irq at vector on
 * the CPU with APIC ID apic_id, masked; unmask() lets it through; eoi()
 * ends one interrupt. Two implementations: ioapic_chip (ACPI routing) and
 * pic_chip (acpi=noirq, acpi=off).
 */
struct irq_chip {
	const char *name;
	int (*init)(void);
	void (*eoi)(unsigned int irq);
	void (*mask)(unsigned int irq);
	void (*unmask)(unsigned int irq);
	int (*route)(unsigned int irq, unsigned int vector, uint32_t apic_id);
};

extern const struct irq_chip ioapic_chip, pic_chip;

/* The active chip's operations: one call site each. */
void irq_eoi(unsigned int irq);
void irq_mask(unsigned int irq);
void irq_unmask(unsigned int irq);
int irq_route(unsigned int irq, unsigned int vector, uint32_t apic_id);
/* irq_chip_name() - "IOAPIC" or "8259 PIC". */
const char *irq_chip_name(void);

/*
 * irq_request() - run handler(irq) on the boot CPU for ISA IRQ irq, routed
 * through the active chip; 0 or -E*.
 */
int irq_request(unsigned int irq, const char *name,
		void (*handler)(unsigned int irq));

/* pic_mask_all() - remap the 8259s off the exception vectors, all masked. */
void pic_mask_all(void);

#endif /* ARCH_IRQCHIP_H */
