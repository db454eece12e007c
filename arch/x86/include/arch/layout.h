/* SPDX-License-Identifier: MIT */
/*
 * The kernel's virtual address map, shared by C and assembly.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_VIRT_BASE 0xffffffff80000000
#define KERNEL_PHYS_BASE 0x200000
/* All of physical memory, read-write, never executable. */
#define DIRECT_MAP_BASE 0xffff888000000000
/*
 * Loadable modules: within 2 GiB of the image, so their rel32 calls and
 * the kernel code model's 32-bit addresses reach it and it reaches them.
 * The build's trial link of a module (Makefile) places it here too.
 */
#define MODULE_BASE 0xffffffffa0000000
#define MODULE_SIZE 0x1000000 /* 16 slots of 1 MiB (kernel/module/) */
/* Device registers and firmware tables outside the direct map. */
#define MMIO_BASE 0xffffffffe0000000
#define MMIO_SIZE 0x10000000
/* Temporary writable aliases of text pages (text_poke). */
#define TEXT_POKE_BASE 0xffffffffff000000
#define PAGE_SIZE 4096
#define PAGE_SHIFT 12
#define BOOT_STACK_SIZE (16 * 1024)

#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_DS 0x10
#define GDT_TSS 0x18

#endif /* ARCH_LAYOUT_H */
