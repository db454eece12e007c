/* SPDX-License-Identifier: MIT */
/*
 * Assembler macros of the trap entry shared by the environments' stubs
 * (entry.S natively, xen/entry.S under Xen): the struct trap_frame
 * (<arch/trap.h>) is built and taken apart in one place. Assembly, not
 * C: clang-format stays out.
 */
/* clang-format off */
#ifndef ARCH_TRAP_ENTRY_H
#define ARCH_TRAP_ENTRY_H
#ifdef __ASSEMBLY__

	/*
	 * #BP: copy the CPU's five-word frame (RIP, CS, RFLAGS, RSP, SS)
	 * down, below itself. The copy is what the return uses; the
	 * original becomes a gap under the interrupted stack, where the
	 * handler may push the return address of a call it emulates
	 * (breakpoint.c). A push with an RSP-based operand reads before RSP
	 * moves: each 32(%rsp) is the next word up.
	 */
	.macro bp_frame_copy
	.rept 5
	pushq 32(%rsp)
	.endr
	.endm

	/* A zero where the CPU pushes no error code for this vector. */
	.macro push_error_code_slot vector
	.if !(\vector == 8 || (\vector >= 10 && \vector <= 14) || \vector == 17 || \vector == 21 || \vector == 29 || \vector == 30)
	pushq $0
	.endif
	.endm

	/* Save the general registers as a struct trap_frame. */
	.macro save_frame
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	/* Keep the C ABI's 16-byte stack alignment whatever the CPU left. */
	mov %rsp, %rbx
	and $-16, %rsp
	cld
	.endm

	/* Back to the CPU's frame: registers restored, error code dropped. */
	.macro restore_frame
	mov %rbx, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp			/* vector and error code */
	.endm

	.macro restore_frame_and_return
	restore_frame
	iretq
	.endm

#endif /* __ASSEMBLY__ */
#endif /* ARCH_TRAP_ENTRY_H */
		/* clang-format on */
