// SPDX-License-Identifier: MIT
/*
 * The physical page allocator: one bit per 4 KiB page of the first 4 GiB
 * (set = in use), first fit with a moving hint. Pages come back through
 * the direct map. Only RAM the boot memory map calls usable is ever free;
 * the first MiB and the kernel image stay reserved.
 */
#include <kernel/bitops.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <lib/string.h>

#define MM_MAX_PHYS (4ull << 30)
#define MAX_PAGES (MM_MAX_PHYS / PAGE_SIZE)
#define BITS_PER_WORD 64

extern char __kernel_start[], __kernel_end[];

static uint64_t page_bitmap[MAX_PAGES / BITS_PER_WORD];
static size_t total_pages, managed_limit, search_hint;
static DEFINE_SPINLOCK(page_lock);

static bool page_used(size_t pfn)
{
	return page_bitmap[pfn / BITS_PER_WORD] &
	       (1ull << (pfn % BITS_PER_WORD));
}

static void page_mark(size_t pfn, bool used)
{
	uint64_t bit = 1ull << (pfn % BITS_PER_WORD);

	if (used)
		page_bitmap[pfn / BITS_PER_WORD] |= bit;
	else
		page_bitmap[pfn / BITS_PER_WORD] &= ~bit;
}

uint64_t mm_max_phys(const struct boot_info *boot)
{
	uint64_t max = 0;

	for (unsigned int i = 0; i < boot->memmap_entries; i++) {
		const struct memmap_entry *e = &boot->memmap[i];

		if (e->type == MEMMAP_USABLE && e->addr + e->size > max)
			max = e->addr + e->size;
	}
	return max < MM_MAX_PHYS ? max : MM_MAX_PHYS;
}

static void mm_free_region(uint64_t start, uint64_t end, uint64_t image_start,
			   uint64_t image_end)
{
	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start < 0x100000)
		start = 0x100000; /* firmware and the AP trampoline */
	if (end > MM_MAX_PHYS)
		end = MM_MAX_PHYS;
	for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
		if (pa >= image_start && pa < image_end)
			continue;
		page_mark(pa / PAGE_SIZE, false);
		total_pages++;
	}
}

void mm_init(const struct boot_info *boot)
{
	uint64_t image_start = virt_to_phys_kernel(__kernel_start);
	uint64_t image_end = virt_to_phys_kernel(__kernel_end);

	memset(page_bitmap, 0xff, sizeof(page_bitmap));
	for (unsigned int i = 0; i < boot->memmap_entries; i++) {
		const struct memmap_entry *e = &boot->memmap[i];

		if (e->type == MEMMAP_USABLE)
			mm_free_region(e->addr, e->addr + e->size, image_start,
				       image_end);
	}
	managed_limit = mm_max_phys(boot) / PAGE_SIZE;
	if (!total_pages)
		panic("mm: no usable memory in the boot memory map: %d", -12);
	pr_info("mm: %zu KiB free of %llu KiB RAM\n", total_pages * 4,
		(unsigned long long)(mm_max_phys(boot) / 1024));
}

/* The first run of n free pages at or after from, or 0 (page 0 is never free). */
static size_t find_free_run(size_t from, size_t n)
{
	size_t run = 0;

	for (size_t pfn = from; pfn < managed_limit; pfn++) {
		run = page_used(pfn) ? 0 : run + 1;
		if (run == n)
			return pfn + 1 - n;
	}
	return 0;
}

void *page_alloc(size_t npages)
{
	unsigned long flags;
	size_t pfn;
	void *p;

	if (!npages)
		return NULL;
	flags = spin_lock_irqsave(&page_lock);
	pfn = find_free_run(search_hint, npages);
	if (!pfn)
		pfn = find_free_run(0, npages);
	for (size_t i = 0; pfn && i < npages; i++)
		page_mark(pfn + i, true);
	if (pfn)
		search_hint = pfn + npages;
	spin_unlock_irqrestore(&page_lock, flags);
	if (!pfn)
		return NULL;
	p = phys_to_virt_kernel((uint64_t)pfn * PAGE_SIZE);
	memset(p, 0, npages * PAGE_SIZE);
	return p;
}

void page_free(void *addr, size_t npages)
{
	size_t pfn = virt_to_phys_kernel(addr) / PAGE_SIZE;
	unsigned long flags;

	flags = spin_lock_irqsave(&page_lock);
	for (size_t i = 0; i < npages; i++) {
		if (!page_used(pfn + i))
			panic("page_free: page 0x%zx is not allocated: %d",
			      pfn + i, -22);
		page_mark(pfn + i, false);
	}
	if (pfn < search_hint)
		search_hint = pfn;
	spin_unlock_irqrestore(&page_lock, flags);
}

void page_stats(struct page_stats *st)
{
	size_t free = 0;

	/* Bits past managed_limit stay set, so whole words can be counted. */
	for (size_t w = 0; w < (managed_limit + 63) / BITS_PER_WORD; w++)
		free += hweight64(~page_bitmap[w]);
	st->total = total_pages;
	st->free = free;
}
