// SPDX-License-Identifier: MIT
/*
 * Interrupt masking under Xen PV: the thunks the engine calls from the
 * inline sites of pv.irq_disable, pv.irq_enable, pv.save_fl and
 * pv.restore_fl. A PV vCPU masks its events with vcpu_info's
 * evtchn_upcall_mask (cli and sti do nothing in ring 3 with I/O
 * privilege 1). The flags word keeps the native meaning: X86_EFLAGS_IF
 * set when events are on.
 *
 * The sites clobber nothing (save_fl writes its output): each function
 * is no_caller_saved_registers, so the compiler saves and restores every
 * register it touches, hypercalls included; the flags are free, as every
 * x86 asm statement clobbers them. restore_fl takes its word in rdi: the
 * register thunks of thunks.S hand it the register the compiler chose at
 * the site. save_fl's thunks read the mask themselves (thunks.S); C
 * callers call rax's (XEN_RAX_THUNK).
 */
#include <arch/cpu.h>
#include <arch/pv.h>
#include <kernel/percpu.h>
#include <xenpv/hypercall.h>
#include <xenpv/vcpu_offsets.h>
#include <xenpv/xenpv.h>

#define XEN_THUNK __attribute__((no_caller_saved_registers, used))

_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_upcall_mask) ==
		       XEN_VCPU_INFO_UPCALL_MASK,
	       "thunks.S: save_fl reads the mask here");
_Static_assert(__builtin_offsetof(struct vcpu_info, arch.cr2) ==
		       XEN_VCPU_INFO_CR2,
	       "thunks.S: read_cr2 reads cr2 here");

/*
 * Unmask, then look for an event that came while masked: Xen does not
 * deliver it by itself then, but does on the way back from any
 * hypercall. An event set after the unmask is delivered by Xen.
 */
static void events_on(void)
{
	struct vcpu_info *v = xen_this_vcpu();

	v->evtchn_upcall_mask = 0;
	asm volatile("" : : : "memory");
	if (v->evtchn_upcall_pending)
		xen_hypercall2(__HYPERVISOR_xen_version, 0, 0);
}

XEN_THUNK void xen_irq_disable(void)
{
	xen_this_vcpu()->evtchn_upcall_mask = 1;
	asm volatile("" : : : "memory");
}

XEN_THUNK void xen_irq_enable(void)
{
	events_on();
}

XEN_THUNK void xen_restore_fl_rdi(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF) {
		events_on();
	} else {
		xen_this_vcpu()->evtchn_upcall_mask = 1;
		asm volatile("" : : : "memory");
	}
}
