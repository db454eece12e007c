// SPDX-License-Identifier: MIT
/*
 * The physical page allocator: one bit per 4 KiB page of RAM (set = in
 * use), first fit with a moving hint. Pages come back through the direct
 * map, so the allocator manages the RAM below the direct map's limit; the
 * bitmap itself is sized for that RAM and placed in it at boot. Only RAM
 * the boot memory map calls usable is ever free; the first MiB, the kernel
 * image and the bitmap stay reserved.
 */
#include <kernel/bitops.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <lib/string.h>

#define BITS_PER_WORD 64
#define LOW_MEMORY_END 0x100000 /* firmware and the AP trampoline */

extern char __kernel_start[], __kernel_end[];

struct phys_range {
	uint64_t start, end;
};

static uint64_t *page_bitmap;
static size_t total_pages, managed_limit, search_hint;
/* What mm_init never frees: the image, the bitmap and the initrd. */
static struct phys_range image_range, bitmap_range, initrd_range;
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
	uint64_t max = 0, limit = direct_map_limit_kernel();

	for (unsigned int i = 0; i < boot->memmap_entries; i++) {
		const struct memmap_entry *e = &boot->memmap[i];

		if (e->type == MEMMAP_USABLE && e->addr + e->size > max)
			max = e->addr + e->size;
	}
	return max < limit ? max : limit;
}

/* The RAM the memory map reports below limit, in bytes. */
static uint64_t usable_ram_below(const struct boot_info *boot, uint64_t limit)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < boot->memmap_entries; i++) {
		const struct memmap_entry *e = &boot->memmap[i];
		uint64_t end = e->addr + e->size;

		if (e->type != MEMMAP_USABLE || e->addr >= limit)
			continue;
		sum += (end < limit ? end : limit) - e->addr;
	}
	return sum;
}

static bool range_holds(const struct phys_range *r, uint64_t pa)
{
	return pa >= r->start && pa < r->end;
}

static bool range_overlaps(const struct phys_range *r, uint64_t start,
			   uint64_t end)
{
	return start < r->end && end > r->start;
}

/*
 * Where the bitmap of bytes bytes goes: the first page-aligned place in
 * usable RAM above the first MiB and outside the image, or 0.
 */
static uint64_t bitmap_place(const struct boot_info *boot, uint64_t bytes)
{
	for (unsigned int i = 0; i < boot->memmap_entries; i++) {
		const struct memmap_entry *e = &boot->memmap[i];
		uint64_t start = ALIGN_UP(e->addr, PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(e->addr + e->size, PAGE_SIZE);

		if (e->type != MEMMAP_USABLE)
			continue;
		if (start < LOW_MEMORY_END)
			start = LOW_MEMORY_END;
		if (end > managed_limit * PAGE_SIZE)
			end = managed_limit * PAGE_SIZE;
		/* The image and the initrd, in either order. */
		for (int pass = 0; pass < 2; pass++) {
			if (range_overlaps(&image_range, start, start + bytes))
				start = image_range.end;
			if (range_overlaps(&initrd_range, start, start + bytes))
				start = initrd_range.end;
		}
		if (start < end && end - start >= bytes)
			return start;
	}
	return 0;
}

static void bitmap_init(const struct boot_info *boot)
{
	size_t words = (managed_limit + BITS_PER_WORD - 1) / BITS_PER_WORD;
	uint64_t bytes = ALIGN_UP(words * sizeof(uint64_t), PAGE_SIZE);
	uint64_t pa = bitmap_place(boot, bytes);

	if (!pa)
		panic("mm: no room for the page bitmap (%llu KiB): %d",
		      (unsigned long long)bytes / 1024, -12);
	bitmap_range = (struct phys_range){ pa, pa + bytes };
	page_bitmap = phys_to_virt_kernel(pa);
	/* Every page in use until the memory map says otherwise. */
	memset(page_bitmap, 0xff, bytes);
}

static void mm_free_region(uint64_t start, uint64_t end)
{
	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start < LOW_MEMORY_END)
		start = LOW_MEMORY_END;
	if (end > managed_limit * PAGE_SIZE)
		end = managed_limit * PAGE_SIZE;
	for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
		if (range_holds(&image_range, pa) ||
		    range_holds(&bitmap_range, pa) ||
		    range_holds(&initrd_range, pa))
			continue;
		page_mark(pa / PAGE_SIZE, false);
		total_pages++;
	}
}

/* The boot line, and the RAM the direct map cannot reach, if any. */
static void mm_report(const struct boot_info *boot)
{
	uint64_t limit = direct_map_limit_kernel();
	uint64_t ram = usable_ram_below(boot, limit);
	uint64_t beyond = usable_ram_below(boot, UINT64_MAX) - ram;

	if (beyond)
		pr_notice("mm: %llu KiB of RAM above %llu GiB not used (the "
			  "direct map ends there)\n",
			  (unsigned long long)beyond / 1024,
			  (unsigned long long)(limit >> 30));
	pr_info("mm: %zu KiB free of %llu KiB RAM\n", total_pages * 4,
		(unsigned long long)ram / 1024);
}

void mm_init(const struct boot_info *boot)
{
	image_range.start = virt_to_phys_kernel(__kernel_start);
	image_range.end = virt_to_phys_kernel(__kernel_end);
	/* The initrd stays where the loader put it: modules load from it. */
	if (boot->initrd_size)
		initrd_range = (struct phys_range){
			ALIGN_DOWN(boot->initrd_phys, PAGE_SIZE),
			ALIGN_UP(boot->initrd_phys + boot->initrd_size,
				 PAGE_SIZE)
		};
	managed_limit = mm_max_phys(boot) / PAGE_SIZE;
	/* Through the direct map: paging_init() mapped this RAM. */
	bitmap_init(boot);
	for (unsigned int i = 0; i < boot->memmap_entries; i++) {
		const struct memmap_entry *e = &boot->memmap[i];

		if (e->type == MEMMAP_USABLE)
			mm_free_region(e->addr, e->addr + e->size);
	}
	if (!total_pages)
		panic("mm: no usable memory in the boot memory map: %d", -12);
	mm_report(boot);
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
	st->end_pfn = managed_limit;
}
