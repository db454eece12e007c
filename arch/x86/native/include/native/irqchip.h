/* SPDX-License-Identifier: MIT */
/*
 * The device-interrupt controller interface of the native environment:
 * the IOAPIC (ACPI routing) or the 8259 PIC (acpi=noirq, acpi=off), one
 * chosen at boot by irq.c, both behind the same four operations.
 */
#ifndef NATIVE_IRQCHIP_H
#define NATIVE_IRQCHIP_H

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

/*
 * The choice "acpi.irq" {xen, acpi, noirq} (irq.c): every use of the
 * active chip is a call site of irq_chip_call(), which the engine rewrites
 * into a direct call of ioapic_chip_call() (acpi), pic_chip_call()
 * (noirq) or, under Xen PV, xen_irq_chip_call() (event channels,
 * arch/x86/xen/irqchip.c).
 * One call symbol for the four operations, so that one choice covers
 * them all; vector and apic_id matter to IRQ_CHIP_ROUTE only.
 */
enum irq_chip_op {
	IRQ_CHIP_EOI,
	IRQ_CHIP_MASK,
	IRQ_CHIP_UNMASK,
	IRQ_CHIP_ROUTE,
};

int irq_chip_call(unsigned int op, unsigned int irq, unsigned int vector,
		  uint32_t apic_id);
int ioapic_chip_call(unsigned int op, unsigned int irq, unsigned int vector,
		     uint32_t apic_id);
int pic_chip_call(unsigned int op, unsigned int irq, unsigned int vector,
		  uint32_t apic_id);
int xen_irq_chip_call(unsigned int op, unsigned int irq, unsigned int vector,
		      uint32_t apic_id);

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

#endif /* NATIVE_IRQCHIP_H */
