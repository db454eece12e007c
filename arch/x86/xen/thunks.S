/* SPDX-License-Identifier: MIT */
/*
 * The register thunk tables of the xen variants of the inline pv sites
 * whose operand is a register the compiler chose (pv.save_fl,
 * pv.restore_fl, pv.read_cr2, pv.read_cr3, pv.write_cr3,
 * pv.flush_tlb_single; arch/x86/pv.c). Each table holds one thunk per
 * register, rax to r15, RELINK_THUNK_STRIDE bytes apart: the engine calls
 * the one of the site's register (RELINK_OP_CALL_THUNK_OUT, _IN). Every
 * thunk keeps every register but the site's output and the flags.
 *
 * The reads are the work itself, in the site's register: the event mask
 * or cr2 from this vCPU's vcpu_info (struct percpu's arch.hv_vcpu, at
 * %gs:PERCPU_HV_VCPU_OFFSET), cr3 from the kernel's record. They are the
 * only code for these reads: C callers (the event entry, an ops table)
 * call the first thunk of the table, rax's (XEN_RAX_THUNK). The writes
 * may make a hypercall, so they pass the register to their C function
 * (irqflags.c, pv_mmu.c: no_caller_saved_registers, operand in rdi).
 * rsp cannot be a site's operand: its slot is ud2.
 */

#include <arch/percpu.h>
#include <relink/thunk.h>
#include <xenpv/vcpu_offsets.h>

	.section .text

	/*
	 * thunk_table name, slot, fn: the table name, whose thunk of each
	 * register is "slot reg, fn" (fn: the function a slot calls, if
	 * any), padded with int3 to the stride (one that does not fit stops
	 * the assembly: "attempt to move .org backwards"). rsp's is ud2.
	 */
	.macro thunk_table name, slot, fn=
	.globl \name
	.type \name, @function
	.balign RELINK_THUNK_STRIDE
\name:
	.irp reg, rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
	.L\name\()_\reg:
	.ifc \reg, rsp
	ud2
	.else
	\slot \reg, \fn
	.endif
	.org .L\name\()_\reg + RELINK_THUNK_STRIDE, 0xcc
	.endr
	.size \name, . - \name
	.endm

	/*
	 * save_fl: the flags word of the event mask, IF (bit 9) set when
	 * events are on: (mask ^ 1) << 9, mask being 0 or 1.
	 */
	.macro save_fl reg, unused
	mov %gs:PERCPU_HV_VCPU_OFFSET, %\reg
	movzbq XEN_VCPU_INFO_UPCALL_MASK(%\reg), %\reg
	xor $1, %\reg
	shl $9, %\reg
	ret
	.endm

	/* read_cr2: the fault address Xen left in vcpu_info. */
	.macro read_cr2 reg, unused
	mov %gs:PERCPU_HV_VCPU_OFFSET, %\reg
	mov XEN_VCPU_INFO_CR2(%\reg), %\reg
	ret
	.endm

	/* read_cr3: the kernel's record of the base (pv_mmu.c). */
	.macro read_cr3 reg, unused
	mov xen_cr3_base(%rip), %\reg
	ret
	.endm

	/* reg as fn's operand (rdi); rdi's thunk is fn itself. */
	.macro taking reg, fn
	.ifc \reg, rdi
	jmp \fn
	.else
	push %rdi
	mov %\reg, %rdi
	call \fn
	pop %rdi
	ret
	.endif
	.endm

	thunk_table xen_save_fl_thunks, save_fl
	thunk_table xen_restore_fl_thunks, taking, xen_restore_fl_rdi
	thunk_table xen_read_cr2_thunks, read_cr2
	thunk_table xen_read_cr3_thunks, read_cr3
	thunk_table xen_write_cr3_thunks, taking, xen_write_cr3_rdi
	thunk_table xen_flush_tlb_single_thunks, taking, xen_flush_tlb_single_rdi
