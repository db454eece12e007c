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
#include <arch/trap_entry.h>

	.section .text
	.macro trap_stub vector
	.p2align 4
trap_stub_\vector:
	.if \vector == 3
	bp_frame_copy
	.endif
	push_error_code_slot \vector
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
