// SPDX-License-Identifier: MIT
/*
 * The Xen PV implementations behind the xen variants of the call-shaped
 * pv choices (arch/x86/pv.c): the engine rewrites those call sites to
 * call these when the kernel entered through the PV entry.
 */
#include <arch/pv.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

/*
 * Plain cpuid is not filtered by Xen here (no CPUID faulting under TCG):
 * the forced-emulation prefix, ud2 and "xen", makes Xen emulate it and
 * answer with the domain's view.
 */
void xen_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	asm volatile("ud2; .ascii \"xen\"; cpuid"
		     : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]),
		       "=d"(regs[3])
		     : "a"(leaf), "c"(subleaf));
}

/* A guest may not run wbinvd: Xen flushes the caches for it. */
void xen_wbinvd(void)
{
	struct mmuext_op op = { .cmd = MMUEXT_FLUSH_CACHE };
	int done = 0;
	long rc;

	rc = xen_hypercall4(__HYPERVISOR_mmuext_op, &op, 1, &done, DOMID_SELF);
	if (rc)
		panic("xen: MMUEXT_FLUSH_CACHE: %ld", rc);
}

/*
 * hlt with the interrupt flag as it is: with events on, block until one
 * comes (SCHEDOP_block leaves them on, as hlt leaves IF); with events
 * masked, hlt stops the CPU for good, and so does taking the vCPU down.
 */
void xen_halt(void)
{
	struct vcpu_info *v = xen_this_vcpu();
	long rc;

	if (v->evtchn_upcall_mask) {
		rc = xen_hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_down,
				    smp_processor_id(), 0);
		panic("xen: VCPUOP_down returned: %ld", rc);
	}
	xen_block();
}
