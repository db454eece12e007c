// SPDX-License-Identifier: MIT
/*
 * Device interrupts of the native environment, and the boot CPU's
 * interrupt bring-up. One controller handles device interrupts: the IOAPIC
 * when ACPI describes it, else (acpi=noirq, acpi=off, no IOAPIC) the 8259
 * PIC. Which one is the choice "acpi.irq" {xen, acpi, noirq} (xen: event
 * channels under Xen PV, arch/x86/xen/irqchip.c): everything else
 * reaches the controller through irq_eoi/mask/unmask/route, one call site
 * of irq_chip_call() each, which the engine turns into direct calls of the
 * IOAPIC or the PIC implementation. acpi=noirq (kernel/relink/platform.c)
 * and relink.acpi.irq= decide it at boot; when ACPI routing turns out not
 * to be usable (acpi=off, no IOAPIC, no local APIC), the bring-up
 * switches it to noirq before the first interrupt is routed.
 *
 * A CPU without a local APIC (CPUID leaf 1 EDX bit 9 clear) gets neither
 * IPIs nor the APIC timer: the kernel runs on the boot CPU alone, with the
 * 8259s wired straight to its interrupt pin and the PIT as the tick.
 */
#include <native/apic.h>
#include <native/irqchip.h>
#include <arch/cpu.h>
#include <native/native.h>
#include <arch/pit.h>
#include <native/topology.h>
#include <arch/trap.h>
#include <kernel/cpu.h>
#include <kernel/irqflags.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/relink.h>
#include <lib/errno.h>
#include <relink/choice.h>
#include <relink/engine.h>

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ADDRESS 0x000ffffffffff000ull

/* The variants in this order: the index is the variant. */
enum { ACPI_IRQ_XEN, ACPI_IRQ_ACPI, ACPI_IRQ_NOIRQ };

/*
 * Boot only: the interrupt controllers' state is not handed over live.
 * Under Xen PV the hypervisor decides: Xen owns the IOAPIC and the PIC,
 * device interrupts are event channels (arch/x86/xen/irqchip.c), and the
 * two chips are refused there as the xen variant is natively, where the
 * command line (acpi=noirq) and the bring-up choose between the chips.
 */
DEFINE_BOOT_CALL_CHOICE(
	acpi_irq, "acpi.irq", irq_chip_call, RELINK_DECIDER_BOOT_OPTION,
	ACPI_IRQ_ACPI,
	RELINK_VARIANT("xen", RELINK_WHEN_HYPERVISOR(RELINK_HV_XEN_PV),
		       RELINK_CALLS(xen_irq_chip_call)),
	RELINK_VARIANT("acpi", RELINK_WHEN_NOT_HYPERVISOR(RELINK_HV_XEN_PV),
		       RELINK_CALLS(ioapic_chip_call)),
	RELINK_VARIANT("noirq", RELINK_WHEN_NOT_HYPERVISOR(RELINK_HV_XEN_PV),
		       RELINK_CALLS(pic_chip_call)));

/* The code as compiled is the default variant, acpi. */
__relink_call_symbol int irq_chip_call(unsigned int op, unsigned int irq,
				       unsigned int vector, uint32_t apic_id)
{
	return ioapic_chip_call(op, irq, vector, apic_id);
}

/* For irq_chip_name() only: the calls go through the sites below. */
static const struct irq_chip *irq_chip = &pic_chip;
static void (*isa_handlers[NR_ISA_IRQS])(unsigned int irq);

void irq_eoi(unsigned int irq)
{
	irq_chip_call(IRQ_CHIP_EOI, irq, 0, 0);
}

void irq_mask(unsigned int irq)
{
	irq_chip_call(IRQ_CHIP_MASK, irq, 0, 0);
}

void irq_unmask(unsigned int irq)
{
	irq_chip_call(IRQ_CHIP_UNMASK, irq, 0, 0);
}

int irq_route(unsigned int irq, unsigned int vector, uint32_t apic_id)
{
	return irq_chip_call(IRQ_CHIP_ROUTE, irq, vector, apic_id);
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

/* Whether acpi.irq holds noirq now; by_cmdline: the command line said. */
static bool acpi_irq_is_noirq(bool *by_cmdline)
{
	enum relink_decided_by by;
	unsigned int variant;

	*by_cmdline = false;
	if (relink_choice_state(&__choice_acpi_irq, &variant, &by))
		return false;
	*by_cmdline = by == RELINK_BY_CMDLINE;
	return variant == ACPI_IRQ_NOIRQ;
}

static const char *pic_reason(bool by_cmdline, bool have_lapic)
{
	if (!have_lapic)
		return "no local APIC";
	/* The option as the person wrote it, when one said so. */
	if (by_cmdline && relink_pin_find(__choice_acpi_irq.name))
		return relink_pin_find(__choice_acpi_irq.name)->option;
	if (acpi_mode == ACPI_OFF)
		return "acpi=off";
	return "no usable IOAPIC";
}

/*
 * ACPI routing when the choice allows it and an IOAPIC answers (it
 * delivers to local APICs: none, no IOAPIC), else the 8259s. Runs before
 * any interrupt is routed, so switching acpi.irq here (one CPU, through
 * the engine) patches sites nobody has called yet.
 */
static void irq_chip_select(bool have_lapic)
{
	bool by_cmdline, noirq = acpi_irq_is_noirq(&by_cmdline);
	int rc;

	if (!noirq && have_lapic && acpi_mode == ACPI_ON &&
	    ioapic_chip.init() == 0) {
		irq_chip = &ioapic_chip;
		pr_info("irq: device interrupts through the IOAPIC (ACPI)\n");
		return;
	}
	if (!noirq) {
		/* The machine decides (no APIC, acpi=off), not a request. */
		rc = relink_choice_decide(&__choice_acpi_irq, ACPI_IRQ_NOIRQ,
					  RELINK_BY_DEFAULT);
		if (rc)
			panic("irq: cannot switch acpi.irq to noirq: %d", rc);
	}
	irq_chip = &pic_chip;
	pic_chip.init();
	pr_info("irq: device interrupts through the 8259 PIC (%s)\n",
		pic_reason(by_cmdline, have_lapic));
}

/*
 * Order: the firmware tables need the boot CPU's APIC ID; the chip choice
 * needs the tables; the LAPIC's LINT0 setting needs the chip choice.
 */
static void interrupts_init_apic(const struct boot_info *boot)
{
	int rc;

	lapic_map(rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDRESS);
	topology_discover(boot->rsdp_phys, lapic_id());
	for (unsigned int cpu = 0; cpu < topology.nr_cpus; cpu++)
		per_cpu(cpu)->hw_id = topology.apic_ids[cpu];
	rc = lapic_register_vectors();
	rc = rc ? rc : ipi_register_vectors();
	if (rc)
		panic("irq: cannot register the local vectors: %d", rc);
	lapic_timer_calibrate();
	irq_chip_select(true);
	lapic_init_cpu(irq_chip == &pic_chip);
	smpboot_init(boot);
}

/*
 * Without a local APIC no other CPU can be started (INIT and STARTUP are
 * IPIs), so the tables' CPUs and IOAPIC are ignored; the PIT's tick needs
 * the PIC chosen first.
 */
static void interrupts_init_without_apic(void)
{
	int rc;

	topology_boot_cpu_only("no local APIC");
	per_cpu(0)->hw_id = 0;
	irq_chip_select(false);
	rc = pit_timer_start();
	if (rc)
		panic("irq: cannot start the PIT tick: %d", rc);
	pr_info("irq: no local APIC: timer tick from the PIT at %d Hz\n",
		TIMER_HZ);
}

/* The 8259s deliver on exception vectors until remapped, so they go first. */
void native_interrupts_init(const struct boot_info *boot)
{
	pic_mask_all();
	if (cpu_has(X86_FEATURE_apic))
		interrupts_init_apic(boot);
	else
		interrupts_init_without_apic();
	arch_irq_enable();
}
