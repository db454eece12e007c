/* SPDX-License-Identifier: MIT */
/*
 * The register thunk tables of the xen variants of the inline pv sites
 * whose operand is a register the compiler chose (pv.save_fl,
 * pv.restore_fl, pv.read_cr2, pv.read_cr3, pv.write_cr3,
 * pv.flush_tlb_single; arch/x86/pv.c). Each table holds one thunk per
 * register, rax to r15, RELINK_THUNK_STRIDE (16) bytes apart: the engine
 * calls the one of the site's register (RELINK_OP_CALL_THUNK_OUT, _IN).
 *
 * The C halves (irqflags.c, pv_mmu.c) are no_caller_saved_registers: a
 * reader returns its value in rax, a writer takes its operand in rdi, and
 * either keeps every other register. A thunk moves the value between
 * that register and the site's, and keeps the one it borrows, so every
 * register but the site's output (and the flags) comes back unchanged.
 * rsp cannot be a site's operand: its slot is ud2.
 */

#include <relink/thunk.h>

	.section .text

	/*
	 * thunk_table name, slot, fn: the table name, whose thunk of each
	 * register is "slot reg, fn", padded with int3 to the stride (one
	 * that does not fit stops the assembly: "attempt to move .org
	 * backwards"). rsp's is ud2.
	 */
	.macro thunk_table name, slot, fn
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

	/* fn's result (rax) into reg; rax's thunk is fn itself. */
	.macro returning reg, fn
	.ifc \reg, rax
	jmp \fn
	.else
	push %rax
	call \fn
	mov %rax, %\reg
	pop %rax
	ret
	.endif
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

	thunk_table xen_save_fl_thunks, returning, xen_save_fl
	thunk_table xen_restore_fl_thunks, taking, xen_restore_fl_rdi
	thunk_table xen_read_cr2_thunks, returning, xen_read_cr2
	thunk_table xen_read_cr3_thunks, returning, xen_read_cr3
	thunk_table xen_write_cr3_thunks, taking, xen_write_cr3_rdi
	thunk_table xen_flush_tlb_single_thunks, taking, xen_flush_tlb_single_rdi
