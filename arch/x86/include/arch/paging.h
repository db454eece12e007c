/* SPDX-License-Identifier: MIT */
/*
 * The kernel's page tables: the image mapped W^X at KERNEL_VIRT_BASE, all
 * RAM in the non-executable direct map, and the text-poke window.
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <arch/layout.h>

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_LARGE (1ull << 7)
#define PTE_GLOBAL (1ull << 8)
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/*
 * How much physical memory the direct map covers at most: its page
 * directories come from a pool in the image (paging.c), one per GiB.
 */
#define DIRECT_MAP_MAX (64ull << 30)

/*
 * paging_init() - build and load the final page tables; max_phys = end of
 * RAM to map, at most DIRECT_MAP_MAX.
 */
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

/*
 * The page-table entry that maps va (any level's leaf), or NULL. Under
 * Xen PV the entry is read-only (tables change through mmu_update).
 */
uint64_t *paging_lookup(uint64_t va, unsigned int *level);
uint64_t *native_paging_lookup(uint64_t va, unsigned int *level);

/*
 * paging_map_mmio() - device registers at phys, uncached and never
 * executable, in the MMIO window; NULL when the window is full.
 */
void *paging_map_mmio(uint64_t phys, size_t size);
/*
 * paging_map_firmware() - read-only access to firmware tables at phys:
 * through the direct map when it covers them, else the MMIO window.
 */
const void *paging_map_firmware(uint64_t phys, size_t size);
/*
 * paging_map_trampoline() - the AP start-up page at phys (below 1 MiB):
 * its direct-map alias becomes read-only and an identity mapping, the
 * only executable one outside the image, is added. Call after the page
 * was written.
 */
void paging_map_trampoline(uint64_t phys);

/*
 * The text-poke window: TEXT_POKE_SLOTS pages, writable and never
 * executable, global to no CPU. paging_poke_map() maps slot to phys (the
 * slot must be unmapped and flushed); paging_poke_unmap() clears it, and
 * this CPU may keep using it until paging_poke_flush() drops every slot
 * from its TLB.
 */
#define TEXT_POKE_SLOTS 512
/* The last slots alias module text (text_poke.c), any page in a batch. */
#define TEXT_POKE_MODULE_SLOTS 32
void *paging_poke_map(unsigned int slot, uint64_t phys);
void paging_poke_unmap(unsigned int slot);
void paging_poke_flush(void);
/*
 * paging_poke_table_init() - the window's page table, as the kernel maps
 * it (read-only under Xen PV): set by the environment's paging setup,
 * before the first text_poke.
 */
void paging_poke_table_init(uint64_t *table);

/*
 * The module area (MODULE_BASE, MODULE_SIZE): 4 KiB pages, never global.
 * paging_module_map() maps va to phys writable and not executable, for the
 * loader to fill; paging_module_protect() gives the page its final rights
 * (never writable and executable at once: -EINVAL);
 * paging_module_unmap() removes it. Both protect and unmap flush the
 * page from every CPU's TLB before they return. 0 or -EINVAL (not a
 * page of the module area, or not mapped).
 */
int paging_module_map(uint64_t va, uint64_t phys);
int paging_module_protect(uint64_t va, size_t npages, bool write, bool exec);
int paging_module_unmap(uint64_t va, size_t npages);
/* paging_module_text() - the frame of executable module page va, or 0. */
uint64_t paging_module_text(uint64_t va);
/* The native page tables' implementations of the four above. */
int native_module_map(uint64_t va, uint64_t phys);
int native_module_protect(uint64_t va, size_t npages, bool write, bool exec);
int native_module_unmap(uint64_t va, size_t npages);
uint64_t native_module_text(uint64_t va);

/* Whether va is the start of a page of the module area. */
static inline bool paging_module_page(uint64_t va)
{
	return !(va & (PAGE_SIZE - 1)) && va >= MODULE_BASE &&
	       va < MODULE_BASE + MODULE_SIZE;
}

#endif /* ARCH_PAGING_H */
