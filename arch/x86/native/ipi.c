// SPDX-License-Identifier: MIT
/*
 * Inter-processor interrupts of the native environment: fixed-vector IPIs
 * through the local APIC. A "call" IPI makes the target run the function
 * calls queued for it (kernel/smp/smp.c); a "wake" IPI only ends its idle.
 */
#include <native/apic.h>
#include <native/native.h>
#include <arch/trap.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/smp.h>

void native_send_ipi(unsigned int cpu, enum ipi_kind kind)
{
	lapic_send_ipi(per_cpu(cpu)->hw_id,
		       kind == IPI_CALL ? VECTOR_CALL_IPI : VECTOR_WAKE_IPI);
}

/* An NMI: it ends a halt even with interrupts off (rendezvous.c). */
void native_rendezvous_kick(unsigned int cpu)
{
	lapic_send_nmi(per_cpu(cpu)->hw_id);
}

/* EOI first: a call queued while this one runs sends an IPI we must see. */
static void call_ipi_interrupt(struct trap_frame *f)
{
	lapic_eoi();
	smp_call_interrupt(f->rip);
}

static void wake_ipi_interrupt(struct trap_frame *f __unused)
{
	lapic_eoi();
}

int ipi_register_vectors(void)
{
	int rc = irq_register(VECTOR_CALL_IPI, "call IPI", call_ipi_interrupt);

	return rc ? rc :
		    irq_register(VECTOR_WAKE_IPI, "wake IPI",
				 wake_ipi_interrupt);
}
