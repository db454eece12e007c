/* SPDX-License-Identifier: MIT */
/*
 * Physical pages and the kernel heap.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <stddef.h>
#include <stdint.h>
#include <kernel/platform.h>

#define PAGE_SIZE 4096

/* mm_init() - take the free RAM of the boot memory map (boot CPU, once). */
void mm_init(const struct boot_info *boot);
/*
 * mm_max_phys() - the highest RAM address the memory map reports, up to
 * the direct map's limit: where the allocator's RAM ends.
 */
uint64_t mm_max_phys(const struct boot_info *boot);

/* page_alloc() - npages contiguous zeroed pages, or NULL. */
void *page_alloc(size_t npages);
void page_free(void *addr, size_t npages);

struct page_stats {
	size_t total; /* usable pages the allocator manages */
	size_t free;
	size_t end_pfn; /* every managed page lies below this frame */
};
void page_stats(struct page_stats *st);

/* kmalloc() - size bytes, 16-byte aligned, or NULL; kzalloc() zeroes. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

struct heap_stats {
	size_t allocations; /* live objects */
	size_t bytes; /* bytes the live objects asked for */
};
void heap_stats(struct heap_stats *st);

/* The direct map of physical memory (arch provides). */
void *phys_to_virt_kernel(uint64_t pa);
uint64_t virt_to_phys_kernel(const void *va);
/* How far the direct map can reach: RAM above is never used. */
uint64_t direct_map_limit_kernel(void);

#endif /* KERNEL_MM_H */
