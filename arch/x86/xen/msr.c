// SPDX-License-Identifier: MIT
/*
 * The xen variants of pv.read_msr and pv.write_msr (arch/x86/pv.c).
 *
 * A PV guest has a hypercall for the MSRs it owns outright, the segment
 * bases: set_segment_base writes FS_BASE, GS_BASE (the kernel's, in use)
 * and KERNEL_GS_BASE (the one swapgs exchanges, Xen's "user" GS base).
 * Every other MSR, and every read, is Xen's to emulate: rdmsr and wrmsr
 * in the guest kernel trap to Xen, which checks the MSR against the
 * domain's policy and answers, or injects #GP into the guest for one it
 * refuses, as the CPU does for one it lacks. There is no read hypercall:
 * the emulated instruction is the read path Xen offers a PV guest.
 *
 * So these two functions hold the only rdmsr and wrmsr shared text runs
 * under Xen, on purpose: they live in .text.xen_emulated, the section
 * relocgen --check-privileged is told holds instructions Xen emulates
 * for the PV kernel (Makefile). Natively no site calls them.
 */
#include <arch/cpu.h>
#include <arch/pv.h>
#include <kernel/printk.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

#define MSR_FS_BASE 0xc0000100

/* The set_segment_base selector of a segment-base MSR, or -1. */
static int segment_base_of(uint32_t msr)
{
	switch (msr) {
	case MSR_FS_BASE:
		return SEGBASE_FS;
	case MSR_GS_BASE:
		return SEGBASE_GS_KERNEL;
	case MSR_KERNEL_GS_BASE:
		return SEGBASE_GS_USER;
	}
	return -1;
}

__xen_emulated uint64_t xen_read_msr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

__xen_emulated void xen_write_msr(uint32_t msr, uint64_t value)
{
	int which = segment_base_of(msr);
	long rc;

	if (which >= 0) {
		rc = xen_hypercall2(__HYPERVISOR_set_segment_base, which,
				    value);
		if (rc)
			panic("xen: set_segment_base %d: %ld", which, rc);
		return;
	}
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((uint32_t)value),
		       "d"((uint32_t)(value >> 32))
		     : "memory");
}
