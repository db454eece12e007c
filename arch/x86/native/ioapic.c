// SPDX-License-Identifier: MIT
/*
 * The IOAPIC: device interrupts routed the ACPI way. ISA IRQ n enters the
 * IOAPIC at the global system interrupt the MADT's overrides name (n when
 * none does), with the polarity and trigger mode they give (ISA default:
 * active high, edge). Each input's redirection entry names the vector and
 * the destination APIC ID; the end of an interrupt is the local APIC's EOI.
 */
#include <stdint.h>
#include <native/apic.h>
#include <native/irqchip.h>
#include <arch/paging.h>
#include <native/topology.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>

#define IOAPIC_REGSEL 0x00
#define IOAPIC_WINDOW 0x10
#define IOAPIC_VERSION 0x01
#define IOAPIC_REDIRECTION(pin) (0x10 + 2 * (pin))

#define REDIR_ACTIVE_LOW (1u << 13)
#define REDIR_LEVEL (1u << 15)
#define REDIR_MASKED (1u << 16)

static volatile uint32_t *ioapic;
static unsigned int nr_pins;
static DEFINE_SPINLOCK(ioapic_lock);

/* Register access is select-then-window: callers hold ioapic_lock. */
static uint32_t ioapic_read(unsigned int reg)
{
	ioapic[IOAPIC_REGSEL / 4] = reg;
	return ioapic[IOAPIC_WINDOW / 4];
}

static void ioapic_write(unsigned int reg, uint32_t v)
{
	ioapic[IOAPIC_REGSEL / 4] = reg;
	ioapic[IOAPIC_WINDOW / 4] = v;
}

static int ioapic_init(void)
{
	if (!topology.has_ioapic)
		return -ENODEV;
	ioapic = paging_map_mmio(topology.ioapic_phys, PAGE_SIZE);
	if (!ioapic)
		return -ENOMEM;
	nr_pins = ((ioapic_read(IOAPIC_VERSION) >> 16) & 0xff) + 1;
	for (unsigned int pin = 0; pin < nr_pins; pin++)
		ioapic_write(IOAPIC_REDIRECTION(pin), REDIR_MASKED);
	pic_mask_all();
	pr_info("ioapic: %u inputs at 0x%llx, GSI base %u\n", nr_pins,
		(unsigned long long)topology.ioapic_phys,
		topology.ioapic_gsi_base);
	return 0;
}

/* The IOAPIC input of an ISA IRQ, or -1 when it has none. */
static int ioapic_pin(unsigned int irq)
{
	int pin;

	if (irq >= NR_ISA_IRQS)
		return -1;
	pin = (int)topology.isa[irq].gsi - (int)topology.ioapic_gsi_base;
	return pin >= 0 && pin < (int)nr_pins ? pin : -1;
}

/* ISA defaults (flags 0 = "conforms to the bus"): active high, edge. */
static uint32_t redirection_low(unsigned int irq, unsigned int vector)
{
	uint16_t flags = topology.isa[irq].flags;
	uint32_t low = vector | REDIR_MASKED;

	if ((flags & IRQ_FLAG_ACTIVE_LOW) == IRQ_FLAG_ACTIVE_LOW)
		low |= REDIR_ACTIVE_LOW;
	if ((flags & IRQ_FLAG_LEVEL) == IRQ_FLAG_LEVEL)
		low |= REDIR_LEVEL;
	return low;
}

static int ioapic_route(unsigned int irq, unsigned int vector, uint32_t apic_id)
{
	int pin = ioapic_pin(irq);
	unsigned long flags;

	if (pin < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&ioapic_lock);
	ioapic_write(IOAPIC_REDIRECTION(pin) + 1, apic_id << 24);
	ioapic_write(IOAPIC_REDIRECTION(pin), redirection_low(irq, vector));
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

static void ioapic_set_mask(unsigned int irq, bool masked)
{
	int pin = ioapic_pin(irq);
	unsigned long flags;
	uint32_t low;

	if (pin < 0)
		return;
	flags = spin_lock_irqsave(&ioapic_lock);
	low = ioapic_read(IOAPIC_REDIRECTION(pin));
	low = masked ? low | REDIR_MASKED : low & ~REDIR_MASKED;
	ioapic_write(IOAPIC_REDIRECTION(pin), low);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

static void ioapic_mask(unsigned int irq)
{
	ioapic_set_mask(irq, true);
}

static void ioapic_unmask(unsigned int irq)
{
	ioapic_set_mask(irq, false);
}

/* Level-triggered inputs are re-armed by the EOI broadcast too. */
static void ioapic_eoi(unsigned int irq __unused)
{
	lapic_eoi();
}

/* The acpi.irq=acpi variant's target: direct calls, no table. */
int ioapic_chip_call(unsigned int op, unsigned int irq, unsigned int vector,
		     uint32_t apic_id)
{
	switch (op) {
	case IRQ_CHIP_EOI:
		ioapic_eoi(irq);
		return 0;
	case IRQ_CHIP_MASK:
		ioapic_mask(irq);
		return 0;
	case IRQ_CHIP_UNMASK:
		ioapic_unmask(irq);
		return 0;
	case IRQ_CHIP_ROUTE:
		return ioapic_route(irq, vector, apic_id);
	}
	return -EINVAL;
}

const struct irq_chip ioapic_chip = {
	.name = "IOAPIC",
	.init = ioapic_init,
	.eoi = ioapic_eoi,
	.mask = ioapic_mask,
	.unmask = ioapic_unmask,
	.route = ioapic_route,
};
