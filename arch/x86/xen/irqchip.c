// SPDX-License-Identifier: MIT
/*
 * Device interrupts under Xen PV: the xen variant of the choice
 * "acpi.irq" (arch/x86/native/irq.c), event channels. Xen owns the
 * IOAPIC and the 8259s; dom0 gets a device's interrupt line as a
 * physical IRQ (PHYSDEVOP_map_pirq: an ISA IRQ is its GSI) bound to an
 * event channel (EVTCHNOP_bind_pirq), and the event upcall hands it to
 * the vector's handler as the IDT would natively. The four operations of
 * irq_chip_call() become:
 *
 *   route	map the GSI and bind its port, masked (events.c places it)
 *   unmask	EVTCHNOP_unmask, which delivers an event that came masked
 *   mask	the port's mask bit in the shared info page
 *   eoi	PHYSDEVOP_eoi, which lets Xen unmask the line at its chip
 *
 * Xen sends a physical IRQ's events to vCPU 0, as the native chips send
 * the ISA IRQs to the boot CPU: apic_id must be that CPU's.
 */
#include <arch/trap.h>
#include <kernel/atomic.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>
#include <native/apic.h>
#include <native/irqchip.h>
#include <native/topology.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

struct xen_irq_route {
	evtchn_port_t port; /* 0: not routed */
	unsigned int vector;
};

static struct xen_irq_route routes[NR_ISA_IRQS];
static DEFINE_SPINLOCK(route_lock);

/* The GSI of ISA IRQ irq as a physical IRQ of the same number. */
static long pirq_map(unsigned int irq)
{
	struct physdev_map_pirq map = {
		.domid = DOMID_SELF,
		.type = MAP_PIRQ_TYPE_GSI,
		.index = (int)irq,
		.pirq = (int)irq,
	};
	long rc = xen_hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_map_pirq,
				 &map);

	if (!rc && map.pirq != (int)irq)
		rc = -EINVAL;
	return rc;
}

static int xen_irq_route(unsigned int irq, unsigned int vector,
			 uint32_t apic_id)
{
	unsigned long flags;
	evtchn_port_t port;
	long rc;

	if (irq >= NR_ISA_IRQS || vector != IRQ_VECTOR_BASE + irq ||
	    apic_id != per_cpu(0)->hw_id)
		return -EINVAL;
	flags = spin_lock_irqsave(&route_lock);
	rc = routes[irq].port ? -EBUSY : pirq_map(irq);
	if (!rc)
		rc = xen_pirq_bind(irq, &port);
	if (!rc) {
		routes[irq].vector = vector;
		routes[irq].port = port;
	}
	spin_unlock_irqrestore(&route_lock, flags);
	if (rc)
		pr_err("xen: IRQ %u: cannot bind it to an event channel: %ld\n",
		       irq, rc);
	return (int)rc;
}

static int xen_irq_unmask(unsigned int irq)
{
	struct evtchn_unmask unmask = { .port = routes[irq].port };

	return (int)xen_hypercall2(__HYPERVISOR_event_channel_op,
				   EVTCHNOP_unmask, &unmask);
}

static int xen_irq_eoi(unsigned int irq)
{
	struct physdev_eoi eoi = { .irq = irq };

	return (int)xen_hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_eoi,
				   &eoi);
}

/* The acpi.irq=xen variant's target: direct calls, no table. */
int xen_irq_chip_call(unsigned int op, unsigned int irq, unsigned int vector,
		      uint32_t apic_id)
{
	if (op == IRQ_CHIP_ROUTE)
		return xen_irq_route(irq, vector, apic_id);
	if (irq >= NR_ISA_IRQS || !routes[irq].port)
		return -EINVAL;
	switch (op) {
	case IRQ_CHIP_EOI:
		return xen_irq_eoi(irq);
	case IRQ_CHIP_MASK:
		set_bit(routes[irq].port, xen_shared_info()->evtchn_mask);
		return 0;
	case IRQ_CHIP_UNMASK:
		return xen_irq_unmask(irq);
	}
	return -EINVAL;
}

/*
 * The upcall's part (vCPU 0, events masked): each routed IRQ whose port
 * is among the word's pending bits runs its vector's handler, counted and
 * checked as trap_dispatch does for an IDT vector.
 */
void xen_pirq_dispatch(unsigned int word, xen_ulong_t bits,
		       struct trap_frame *f)
{
	uint64_t event_vector = f->vector;

	for (unsigned int irq = 0; irq < NR_ISA_IRQS; irq++) {
		evtchn_port_t port = routes[irq].port;

		if (!port || port / (sizeof(bits) * 8) != word ||
		    !((bits >> (port % (sizeof(bits) * 8))) & 1))
			continue;
		f->vector = routes[irq].vector;
		trap_dispatch(f);
	}
	f->vector = event_vector;
}
