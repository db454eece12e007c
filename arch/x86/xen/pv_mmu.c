// SPDX-License-Identifier: MIT
/*
 * The xen variants of pv.read_cr2, pv.read_cr3, pv.write_cr3 and
 * pv.flush_tlb_single (arch/x86/pv.c): a PV guest reads the fault address
 * from its vcpu_info (Xen writes it there before it delivers a page
 * fault) and asks Xen, through mmuext_op, for a new page-table base or
 * one page's TLB entry.
 *
 * cr3 holds a pseudo-physical address here, as every physical address
 * the kernel handles under Xen: the kernel's own record of the base, set
 * when paging starts (xen_paging_init) and by every write, converted to
 * a machine frame through the P2M list on the way to Xen. One record
 * serves every vCPU: they all run on the kernel's one L4.
 *
 * The writes here keep every register but the flags and take their value
 * in rdi. The reads are the sites' register thunks alone (thunks.S): they
 * read cr2 and the record in the register the compiler chose at the site
 * (rax's serves C callers, XEN_RAX_THUNK), and hand that register to the
 * writes.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/pv.h>
#include <kernel/printk.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

#define XEN_THUNK __attribute__((no_caller_saved_registers, used))

uint64_t xen_cr3_base;

void xen_cr3_init(uint64_t base)
{
	xen_cr3_base = base;
}

static void mmuext_one(struct mmuext_op *op)
{
	int done = 0;
	long rc;

	rc = xen_hypercall4(__HYPERVISOR_mmuext_op, op, 1, &done, DOMID_SELF);
	if (rc)
		panic("xen: mmuext_op %u refused: %ld", op->cmd, rc);
}

/* The same base again flushes the TLB, as a write of cr3 does. */
XEN_THUNK void xen_write_cr3_rdi(uint64_t base)
{
	struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };

	op.arg1.mfn = xen_pfn_to_mfn((base & PTE_ADDR_MASK) >> PAGE_SHIFT);
	mmuext_one(&op);
	xen_cr3_base = base & PTE_ADDR_MASK;
}

XEN_THUNK void xen_flush_tlb_single_rdi(uint64_t va)
{
	struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL };

	op.arg1.linear_addr = va;
	mmuext_one(&op);
}
