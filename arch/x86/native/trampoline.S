/* SPDX-License-Identifier: MIT */
/*
 * Where the other CPUs start. A STARTUP IPI begins a CPU in real mode at
 * page << 12 of low memory; smpboot.c copies the blob between
 * trampoline_start and trampoline_end to such a page and adds the page's
 * address to the three words listed in trampoline_fixups. The blob climbs
 * real mode -> 32-bit protected mode -> long mode on its own little GDT,
 * using the boot CPU's CR0/CR3/CR4 (the kernel page tables, which map this
 * page at its physical address, executable: paging_map_trampoline()), and
 * jumps to ap_start64 in the kernel's text, which takes the stack and CPU
 * number smpboot.c left in ap_boot_stack and ap_boot_cpu.
 *
 * After paging is on, nothing here writes to the page (it is mapped
 * read-only), which is why the GDT's accessed bits are preset.
 */
#include <arch/layout.h>

#define OFF(x) ((x) - trampoline_start)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define TRAMPOLINE_CS32 0x08
#define TRAMPOLINE_DS 0x10
#define TRAMPOLINE_CS64 0x18

	.section .rodata.trampoline, "a"
	.p2align 4
	.code16
	.globl trampoline_start
trampoline_start:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	movzwl %ax, %ebx
	shl $4, %ebx			/* the page's physical address */
	lgdtl OFF(trampoline_gdt_desc)
	mov %cr0, %eax
	or $1, %eax			/* PE */
	mov %eax, %cr0
	ljmpl *OFF(trampoline_pm_jump)

	.code32
trampoline_pm:
	mov $TRAMPOLINE_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov OFF(trampoline_cr4)(%ebx), %eax
	mov %eax, %cr4
	mov OFF(trampoline_cr3)(%ebx), %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $(EFER_LME | EFER_NXE), %eax
	wrmsr
	mov OFF(trampoline_cr0)(%ebx), %eax
	mov %eax, %cr0			/* PG: long mode, compatibility */
	ljmpl *OFF(trampoline_lm_jump)(%ebx)

	.code64
trampoline_lm:
	movabs $ap_start64, %rax
	jmp *%rax

	.p2align 3
trampoline_gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* 0x08: 32-bit code, accessed */
	.quad 0x00cf93000000ffff	/* 0x10: data, accessed */
	.quad 0x00af9b000000ffff	/* 0x18: 64-bit code, accessed */
trampoline_gdt_end:
	.p2align 2
	.word 0
trampoline_gdt_desc:
	.word trampoline_gdt_end - trampoline_gdt - 1
	.long OFF(trampoline_gdt)	/* + the page's address */
trampoline_pm_jump:
	.long OFF(trampoline_pm)	/* + the page's address */
	.word TRAMPOLINE_CS32
trampoline_lm_jump:
	.long OFF(trampoline_lm)	/* + the page's address */
	.word TRAMPOLINE_CS64
	.p2align 2
	.globl trampoline_cr0, trampoline_cr3, trampoline_cr4
trampoline_cr0:
	.long 0
trampoline_cr3:
	.long 0
trampoline_cr4:
	.long 0
	.globl trampoline_end
trampoline_end:

	/* Offsets of the words that hold page-relative addresses. */
	.p2align 2
	.globl trampoline_fixups
trampoline_fixups:
	.long OFF(trampoline_gdt_desc) + 2
	.long OFF(trampoline_pm_jump)
	.long OFF(trampoline_lm_jump)

	.text
	.code64
	.globl ap_start64
ap_start64:
	mov ap_boot_stack(%rip), %rsp
	xor %ebp, %ebp
	mov ap_boot_cpu(%rip), %edi
	call ap_start_c
1:	cli
	hlt
	jmp 1b
