// SPDX-License-Identifier: MIT
/*
 * The two cascaded 8259 PICs: device interrupts the legacy way, used with
 * acpi=noirq and acpi=off. Their output reaches the boot CPU through its
 * local APIC's LINT0 in ExtINT mode (virtual wire), so only the boot CPU
 * takes them and the end of an interrupt goes to the PICs, not the LAPIC.
 * They are always remapped to IRQ_VECTOR_BASE first: at reset they would
 * deliver on the exception vectors.
 */
#include <stdint.h>
#include <native/apic.h>
#include <native/irqchip.h>
#include <arch/io.h>
#include <arch/pv.h>
#include <native/topology.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>

#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_COMMAND 0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI 0x20
#define PIC_CASCADE_IRQ 2

static uint16_t pic_masks = 0xffff; /* bit n set: IRQ n masked */
static DEFINE_SPINLOCK(pic_lock);

static void pic_write_masks(void)
{
	outb(PIC1_DATA, pic_masks & 0xff);
	outb(PIC2_DATA, pic_masks >> 8);
}

/* An initialization word, with the pause old 8259s need after each. */
static void pic_outb_slow(uint16_t port, uint8_t value)
{
	outb(port, value);
	pv_io_delay();
}

/* ICW1..ICW4: edge-triggered, cascaded, vectors from IRQ_VECTOR_BASE. */
void pic_mask_all(void)
{
	pic_outb_slow(PIC1_COMMAND, 0x11);
	pic_outb_slow(PIC2_COMMAND, 0x11);
	pic_outb_slow(PIC1_DATA, IRQ_VECTOR_BASE);
	pic_outb_slow(PIC2_DATA, IRQ_VECTOR_BASE + 8);
	pic_outb_slow(PIC1_DATA, 1 << PIC_CASCADE_IRQ);
	pic_outb_slow(PIC2_DATA, PIC_CASCADE_IRQ);
	pic_outb_slow(PIC1_DATA, 0x01);
	pic_outb_slow(PIC2_DATA, 0x01);
	pic_masks = 0xffff;
	pic_write_masks();
}

static int pic_init(void)
{
	pic_mask_all();
	return 0;
}

static void pic_set_mask(unsigned int irq, bool masked)
{
	unsigned long flags = spin_lock_irqsave(&pic_lock);

	if (masked)
		pic_masks |= 1u << irq;
	else
		pic_masks &= ~(1u << irq);
	/* The slave's IRQs need the cascade input open. */
	if ((pic_masks & 0xff00) != 0xff00)
		pic_masks &= ~(1u << PIC_CASCADE_IRQ);
	pic_write_masks();
	spin_unlock_irqrestore(&pic_lock, flags);
}

static void pic_mask(unsigned int irq)
{
	if (irq < NR_ISA_IRQS)
		pic_set_mask(irq, true);
}

static void pic_unmask(unsigned int irq)
{
	if (irq < NR_ISA_IRQS)
		pic_set_mask(irq, false);
}

static void pic_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC2_COMMAND, PIC_EOI);
	outb(PIC1_COMMAND, PIC_EOI);
}

/* The wiring is fixed: IRQ n goes to vector base + n on the boot CPU. */
static int pic_route(unsigned int irq, unsigned int vector, uint32_t apic_id)
{
	if (irq >= NR_ISA_IRQS || vector != IRQ_VECTOR_BASE + irq ||
	    apic_id != topology.apic_ids[0])
		return -EINVAL;
	return 0;
}

/* The acpi.irq=noirq variant's target: direct calls, no table. */
int pic_chip_call(unsigned int op, unsigned int irq, unsigned int vector,
		  uint32_t apic_id)
{
	switch (op) {
	case IRQ_CHIP_EOI:
		pic_eoi(irq);
		return 0;
	case IRQ_CHIP_MASK:
		pic_mask(irq);
		return 0;
	case IRQ_CHIP_UNMASK:
		pic_unmask(irq);
		return 0;
	case IRQ_CHIP_ROUTE:
		return pic_route(irq, vector, apic_id);
	}
	return -EINVAL;
}

const struct irq_chip pic_chip = {
	.name = "8259 PIC",
	.init = pic_init,
	.eoi = pic_eoi,
	.mask = pic_mask,
	.unmask = pic_unmask,
	.route = pic_route,
};
