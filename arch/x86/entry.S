/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry. Every vector has a stub that pushes an
 * error code (a zero where the CPU pushes none) and the vector number, then
 * joins trap_common, which saves the general registers as a struct
 * trap_frame (arch/trap.h) and calls trap_dispatch(frame).
 *
 * The NMI is the exception: an NMI can arrive while the engine rewrites a
 * site, even on a CPU stopped in stop_machine, so everything it runs must
 * be free of sites. Its stub, its common path and its handler live in
 * section .text.nmi, which relocgen --check-isolated .text.nmi checks at
 * build time: no site inside, no call or jump out.
 */
#include <arch/layout.h>

	.section .text
	.macro trap_stub vector
	.p2align 4
trap_stub_\vector:
	.if \vector == 3
	/*
	 * #BP: copy the CPU's five-word frame (RIP, CS, RFLAGS, RSP, SS)
	 * down, below itself. The copy is what iretq uses; the original
	 * becomes a gap under the interrupted stack, where the handler may
	 * push the return address of a call it emulates (breakpoint.c).
	 * A push with an RSP-based operand reads before RSP moves: each
	 * 32(%rsp) is the next word up.
	 */
	.rept 5
	pushq 32(%rsp)
	.endr
	.endif
	.if !(\vector == 8 || (\vector >= 10 && \vector <= 14) || \vector == 17 || \vector == 21 || \vector == 29 || \vector == 30)
	pushq $0
	.endif
	pushq $\vector
	jmp trap_common
	.endm

	.macro trap_stub_address vector
	.if \vector == 2
	.quad nmi_stub
	.else
	.quad trap_stub_\vector
	.endif
	.endm

	.altmacro
	.set vec, 0
	.rept 256
	trap_stub %vec
	.set vec, vec + 1
	.endr
	.noaltmacro

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

	.macro restore_frame_and_return
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
	iretq
	.endm

trap_common:
	save_frame
	call trap_dispatch
	.globl trap_return
trap_return:
	restore_frame_and_return

	.section .text.nmi, "ax"
	.p2align 4
nmi_stub:
	pushq $0
	pushq $2
	save_frame
	call nmi_interrupt
	restore_frame_and_return
	.section .text

	/* The stubs' addresses, for the IDT. */
	.section .rodata
	.p2align 3
	.globl trap_stubs
trap_stubs:
	.altmacro
	.set vec, 0
	.rept 256
	trap_stub_address %vec
	.set vec, vec + 1
	.endr
	.noaltmacro
