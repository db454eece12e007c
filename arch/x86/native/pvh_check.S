/* SPDX-License-Identifier: MIT */
/*
 * The first code of the native entry: can this machine run the kernel at
 * all? Still in the 32-bit protected mode PVH starts in, it checks that
 * CPUID reports every feature of CPU_FEATURE_REQUIRED_LIST (long mode
 * among them) and that the e820 map has the RAM the image and its first
 * allocations need. When something is missing it says what in one line on
 * COM1 and stops with the panic status; else it goes on to pvh_start_c's
 * climb to long mode (pvh_entry.S).
 *
 * It lives in its own segment at BOOT_CHECK_PHYS (1 MiB, below the image)
 * so that it still runs when the RAM ends before the image does. It uses
 * only its own stack and strings, and the flat segments PVH provides.
 */
#include <arch/layout.h>
#include <native/ports.h>
#include <kernel/status.h>
#include <relink/cpufeature.h>

#define PA(x) ((x) - KERNEL_VIRT_BASE)

/* struct hvm_start_info (pvh.c) and its e820 entries. */
#define HVM_START_MAGIC 0x336ec578
#define START_INFO_VERSION 4
#define START_INFO_MEMMAP 40
#define START_INFO_MEMMAP_ENTRIES 48
#define MEMMAP_ENTRY_SIZE 24
#define MEMMAP_TYPE 16
#define MEMMAP_USABLE 1

	.section .boot.check, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	mov $PA(check_stack_top), %esp
	call check_cpu
	call check_memory
	jmp pvh_climb32			/* %ebx: start_info, as on entry */

/* Name every required feature CPUID lacks, then stop; else return. */
check_cpu:
	push %ebx			/* start_info: cpuid overwrites it */
	xor %ebp, %ebp			/* features found missing */
	mov $PA(required_features), %edi
1:	mov (%edi), %esi		/* leaf; 0 ends the table */
	test %esi, %esi
	jz 3f
	mov %esi, %eax
	and $0x80000000, %eax		/* the highest leaf of its range */
	cpuid
	cmp %esi, %eax
	jb 2f
	mov %esi, %eax
	xor %ecx, %ecx
	cpuid
	mov 4(%edi), %ecx
	bt %ecx, %edx
	jc 4f
2:	mov $PA(msg_cpu), %esi
	test %ebp, %ebp
	jz 5f
	mov $PA(msg_space), %esi	/* not the first: just a space */
5:	call puts32
	lea 8(%edi), %esi
	call puts32
	inc %ebp
4:	add $16, %edi
	jmp 1b
3:	test %ebp, %ebp
	jnz stop32
	pop %ebx
	ret

/*
 * The image, and the room above it that the kernel needs to reach its
 * prompt, must be RAM: compare where the usable RAM below 4 GiB ends with
 * __boot_min_ram (scripts/kernel.ld). RAM on a PC runs on from 1 MiB, so
 * the end says how much there is. A bad start_info is left to pvh_start_c.
 */
check_memory:
	cmpl $HVM_START_MAGIC, (%ebx)
	jne 9f
	cmpl $1, START_INFO_VERSION(%ebx)
	jb 9f
	mov START_INFO_MEMMAP(%ebx), %esi
	mov START_INFO_MEMMAP_ENTRIES(%ebx), %ecx
	xor %eax, %eax			/* the highest end so far */
1:	jecxz 2f
	cmpl $MEMMAP_USABLE, MEMMAP_TYPE(%esi)
	jne 3f
	mov (%esi), %edx		/* end = addr + size, 64 bits */
	add 8(%esi), %edx
	mov 4(%esi), %edi
	adc 12(%esi), %edi
	jnz 9f				/* RAM at 4 GiB and above: plenty */
	cmp %eax, %edx
	cmova %edx, %eax
3:	add $MEMMAP_ENTRY_SIZE, %esi
	dec %ecx
	jmp 1b
2:	cmp $__boot_min_ram, %eax
	jae 9f
	mov %eax, %edi
	mov $PA(msg_memory), %esi
	call puts32
	mov %edi, %eax
	shr $10, %eax
	call putdec32
	mov $PA(msg_memory_needs), %esi
	call puts32
	mov $__boot_min_ram_kib, %eax
	call putdec32
	mov $PA(msg_kib), %esi
	call puts32
	jmp stop32
9:	ret

/* What arch_exit(STATUS_PANIC) does: isa-debug-exit, ACPI S5, halt. */
stop32:
	mov $PA(msg_end), %esi
	call puts32
	mov $STATUS_PANIC, %eax
	out %eax, $ISA_DEBUG_EXIT_PORT
	mov $ACPI_S5_SLEEP, %eax
	mov $ACPI_PM1A_CONTROL_PORT, %edx
	out %ax, %dx
1:	hlt
	jmp 1b

/* Write the string at %esi to COM1; %esi ends past its NUL. */
puts32:
	lodsb
	test %al, %al
	jz 1f
	call putc32
	jmp puts32
1:	ret

/* Write %al to COM1 once the transmitter has room (no set-up needed). */
putc32:
	push %edx
	mov %al, %ah
	mov $COM1 + UART_LSR, %edx
1:	in %dx, %al
	test $LSR_THR_EMPTY, %al
	jz 1b
	mov %ah, %al
	mov $COM1 + UART_DATA, %edx
	out %al, %dx
	pop %edx
	ret

/* Write %eax in decimal to COM1: digits pushed lowest first, popped. */
putdec32:
	mov $10, %ecx
	push $-1
1:	xor %edx, %edx
	div %ecx
	push %edx
	test %eax, %eax
	jnz 1b
2:	pop %eax
	cmp $-1, %eax
	je 3f
	add $'0', %al
	call putc32
	jmp 2b
3:	ret

/* 16-byte records: CPUID leaf, EDX bit, the feature's name (< 8 bytes). */
	.macro required_feature name, leaf, bit
	.p2align 4
	.long \leaf, \bit
	.asciz "\name"
	.endm
#define REQUIRED_FEATURE(name, word, bit) \
	required_feature name, CPU_FEATURE_LEAF_##word, bit;

	.p2align 4
required_features:
	CPU_FEATURE_REQUIRED_LIST(REQUIRED_FEATURE)
	.p2align 4
	.long 0

msg_cpu:
	.asciz "relink: this CPU lacks what the kernel needs: "
msg_space:
	.asciz " "
msg_memory:
	.asciz "relink: not enough memory: "
msg_memory_needs:
	.asciz " KiB of RAM, the kernel needs "
msg_kib:
	.asciz " KiB"
msg_end:
	.asciz "\r\n"

	.p2align 4
check_stack:
	.skip 256
check_stack_top:
