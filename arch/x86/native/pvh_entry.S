/* SPDX-License-Identifier: MIT */
/*
 * The native entry: the PVH boot protocol (XEN_ELFNOTE_PHYS32_ENTRY), which
 * QEMU's -kernel and qboot use. We arrive in 32-bit protected mode, paging
 * off, %ebx = physical address of struct hvm_start_info, at pvh_start32,
 * which checks the CPU and the RAM first (pvh_check.S).
 *
 * This file owns the climb to long mode: build boot page tables (identity
 * map of the first GiB, and the same GiB at KERNEL_VIRT_BASE), enable PAE,
 * long mode, NX and paging, then jump to the higher half and call
 * pvh_start_c(). paging.c replaces these tables with the final W^X ones.
 */
#include <arch/layout.h>

#define PA(x) ((x) - KERNEL_VIRT_BASE)

#define XEN_ELFNOTE_PHYS32_ENTRY 18

	/* The note is 4-byte aligned: QEMU 7.2 misreads it otherwise. */
	.pushsection .note.relink.pvh, "a", @note
	.p2align 2
	.long 2f - 1f		/* name size */
	.long 4f - 3f		/* desc size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz "Xen"
2:	.p2align 2
3:	.long PA(pvh_start32)		/* pvh_check.S */
4:	.p2align 2
	.popsection

	.section .text.boot, "ax"
	.code32
	/* From pvh_start32 (pvh_check.S), once the machine passed its checks. */
	.globl pvh_climb32
pvh_climb32:
	mov %ebx, %esi			/* keep start_info across the setup */
	lgdt PA(boot_gdt_desc)
	mov $GDT_KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov $PA(boot_stack_top), %esp

	/*
	 * Boot page tables: PML4[0] and PML4[511] both lead to one page
	 * directory of 2 MiB pages covering physical 0..1 GiB, through
	 * PDPT entry 0 (identity) and PDPT entry 510 (0xffffffff80000000).
	 */
	mov $PA(boot_pd), %edi
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax			/* present, writable, 2 MiB */
	mov %eax, (%edi,%ecx,8)
	movl $0, 4(%edi,%ecx,8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	mov $PA(boot_pd) + 3, %eax
	mov %eax, PA(boot_pdpt_low)
	mov %eax, PA(boot_pdpt_high) + 510 * 8
	mov $PA(boot_pdpt_low) + 3, %eax
	mov %eax, PA(boot_pml4)
	mov $PA(boot_pdpt_high) + 3, %eax
	mov %eax, PA(boot_pml4) + 511 * 8

	mov %cr4, %eax
	or $(1 << 5), %eax		/* PAE */
	mov %eax, %cr4
	mov $PA(boot_pml4), %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx		/* EFER */
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax /* LME, NXE */
	wrmsr
	/*
	 * Firmware may hand over with the caches still off (CR0.CD and NW
	 * as after reset): under KVM that makes every access uncached, a
	 * hundred times slower. Turn them on with paging.
	 */
	mov %cr0, %eax
	and $~((1 << 30) | (1 << 29)), %eax /* CD, NW */
	or $((1 << 31) | (1 << 16) | 1), %eax /* PG, WP, PE */
	mov %eax, %cr0
	ljmp $GDT_KERNEL_CS, $PA(pvh_start64)

	.code64
pvh_start64:
	/* Still at the physical address: move to the higher half. */
	movabs $1f, %rax
	jmp *%rax
1:	lgdt boot_gdt_desc64
	mov $GDT_KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp
	mov %esi, %edi			/* physical hvm_start_info */
	call pvh_start_c
2:	hlt
	jmp 2b

	.section .rodata
	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long PA(boot_gdt)
	.p2align 3
boot_gdt_desc64:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .bss.page_aligned, "aw", @nobits
	.p2align 12
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4096
	.globl boot_stack
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
