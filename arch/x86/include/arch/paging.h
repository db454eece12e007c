/* SPDX-License-Identifier: MIT */
/*
 * The kernel's page tables: the image mapped W^X at KERNEL_VIRT_BASE, all
 * RAM in the non-executable direct map, and the text-poke window.
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/layout.h>

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_LARGE (1ull << 7)
#define PTE_GLOBAL (1ull << 8)
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Build and load the final page tables; max_phys = end of RAM to map. */
void paging_init(uint64_t max_phys);

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(pa + DIRECT_MAP_BASE);
}

static inline uint64_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;

	if (v >= KERNEL_VIRT_BASE)
		return v - KERNEL_VIRT_BASE;
	return v - DIRECT_MAP_BASE;
}

/* The page-table entry that maps va (any level's leaf), or NULL. */
uint64_t *paging_lookup(uint64_t va, unsigned int *level);

/* Map/unmap one 4 KiB page of the text-poke window (slot 0 or 1). */
void *paging_poke_map(unsigned int slot, uint64_t phys);
void paging_poke_unmap(unsigned int slot);

#endif /* ARCH_PAGING_H */
