/* SPDX-License-Identifier: MIT */
/*
 * The Xen PV entry. Xen's domain builder reads the notes below (from the
 * same PT_NOTE segment as the native PVH note), loads the image at its
 * link addresses (VIRT_BASE + p_paddr, as PADDR_OFFSET is 0), fills
 * hypercall_page with the hypercall stubs and enters xen_start in 64-bit
 * mode, in ring 3, events masked, on a small stack of its own, with %rsi
 * the virtual address of start_info and every page it built mapped by
 * page tables that are read-only to us.
 */
#include <arch/layout.h>
#include <arch/trap_entry.h>
#include <xen/elfnote.h>
#include <xen/xen.h>

	/* One note: name "Xen", type, then the descriptor given as code. */
	.macro xen_note type, desc:vararg
	.p2align 2
	.long 2f - 1f
	.long 4f - 3f
	.long \type
1:	.asciz "Xen"
2:	.p2align 2
3:	\desc
4:	.p2align 2
	.endm

	/* Names 4-byte aligned, as the PVH note (QEMU reads them too). */
	.pushsection .note.relink.xen, "a", @note
	xen_note XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
	xen_note XEN_ELFNOTE_GUEST_OS, .asciz "relink"
	xen_note XEN_ELFNOTE_LOADER, .asciz "generic"
	xen_note XEN_ELFNOTE_VIRT_BASE, .quad KERNEL_VIRT_BASE
	xen_note XEN_ELFNOTE_PADDR_OFFSET, .quad 0
	xen_note XEN_ELFNOTE_ENTRY, .quad xen_start
	xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
	.popsection

	.section .text
	.globl xen_start
xen_start:
	cld
	movabs $xen_boot_stack_top, %rsp
	xor %ebp, %ebp
	mov %rsi, %rdi			/* start_info */
	call xen_start_c
1:	jmp 1b				/* xen_start_c does not return */

	/* Xen writes the stubs here while it builds the domain. */
	.p2align 12
	.globl hypercall_page
hypercall_page:
	.skip 4096

	.section .bss.page_aligned, "aw", @nobits
	.p2align 12
xen_boot_stack:
	.skip BOOT_STACK_SIZE
xen_boot_stack_top:

	/*
	 * Exceptions. Xen delivers them on the current stack, with rcx and
	 * r11 pushed on top of the CPU's frame: with those two restored the
	 * frame is the native one, and the native frame code takes it
	 * (<arch/trap_entry.h>). The way back is HYPERVISOR_iret, never
	 * iretq: the frame's CS is the guest's view (ring 0), and Xen
	 * restores the event mask from the frame's IF.
	 */
	/* The vector number an event upcall's trap frame shows. */
	.set XEN_EVENT_FRAME_VECTOR, 0xf3

	.section .text
	.macro xen_trap_stub vector
	.p2align 4
xen_trap_stub_\vector:
	pop %rcx
	pop %r11
	.if \vector == 3
	bp_frame_copy
	.endif
	push_error_code_slot \vector
	pushq $\vector
	jmp xen_trap_common
	.endm

	.altmacro
	.set vec, 0
	.rept 32
	xen_trap_stub %vec
	.set vec, vec + 1
	.endr
	.noaltmacro

	/* Save the frame, run handler, return through HYPERVISOR_iret. */
	.macro xen_frame_call handler
	save_frame
	call \handler
	restore_frame
	/*
	 * HYPERVISOR_iret's frame is rax, r11, rcx, flags, then the CPU's:
	 * the flags word is ours to push, the stub pushes the other three.
	 */
	pushq $0
	jmp hypercall_page + __HYPERVISOR_iret * 32
	.endm

	/*
	 * pv.sync_core (arch/x86/pv.c): a return to the next instruction
	 * through HYPERVISOR_iret, as this file leaves a trap, whose way
	 * back to the guest is an iretq: serializing, as cpuid is. Xen sets
	 * the event mask from the frame's IF, so the frame's flags are
	 * save_fl's word (rax's thunk), IF as the mask is now (the arithmetic flags
	 * are the site's to lose). CS with RPL 0 means kernel mode. Every
	 * register but the flags is kept (RELINK_CALLS_PRESERVING): rax,
	 * rcx and r11, which the iret stub restores as they are at the
	 * jump, are saved first.
	 */
	.globl xen_sync_core
	.p2align 4
xen_sync_core:
	push %rax
	push %rcx
	push %r11
	call xen_save_fl_thunks
	mov %rsp, %rcx
	mov %ss, %r11d
	push %r11
	push %rcx
	push %rax
	mov %cs, %r11d
	and $~3, %r11d
	push %r11
	lea 1f(%rip), %r11
	push %r11
	pushq $0
	jmp hypercall_page + __HYPERVISOR_iret * 32
1:	pop %r11
	pop %rcx
	pop %rax
	ret

xen_trap_common:
	xen_frame_call trap_dispatch

	/*
	 * The event callback: rcx and r11 on top of a frame without an
	 * error code; events masked by Xen, and unmasked again by the
	 * iret if they were on where the upcall came.
	 */
	.globl xen_event_entry
	.p2align 4
xen_event_entry:
	pop %rcx
	pop %r11
	pushq $0
	pushq $XEN_EVENT_FRAME_VECTOR
	xen_frame_call xen_event_dispatch

	/*
	 * The failsafe callback: Xen could not load a segment register on
	 * its way back to the kernel, which never changes them: report.
	 */
	.globl xen_failsafe_entry
	.p2align 4
xen_failsafe_entry:
	and $-16, %rsp
	call xen_failsafe

	.macro xen_trap_stub_address vector
	.quad xen_trap_stub_\vector
	.endm

	.section .rodata
	.p2align 3
	.globl xen_trap_stubs
xen_trap_stubs:
	.altmacro
	.set vec, 0
	.rept 32
	xen_trap_stub_address %vec
	.set vec, vec + 1
	.endr
	.noaltmacro
