// SPDX-License-Identifier: MIT
/*
 * The kernel's final page tables, built once on the boot CPU:
 *
 *   KERNEL_VIRT_BASE + phys	the image, 4 KiB pages, W^X from the start:
 *				text RX, rodata and tail R+NX, data RW+NX
 *   DIRECT_MAP_BASE + phys	all RAM up to DIRECT_MAP_MAX, NX; the
 *				pages of the image keep the image's write
 *				protection, so no writable alias of text
 *				exists
 *   MMIO_BASE			device registers (uncached) and firmware
 *				tables beyond the direct map, mapped on
 *				request and never unmapped
 *   TEXT_POKE_BASE		a writable alias of text, one slot per
 *				page of text (and a few for module
 *				text), mapped only while a text_poke
 *				batch writes through it
 *   MODULE_BASE		loaded modules, 4 KiB pages, W^X: written
 *				while writable and not executable, then
 *				text RX, rodata R, data RW
 *   trampoline phys		one page below 1 MiB, identity-mapped RX,
 *				where the other CPUs leave real mode
 *
 * The boot page tables (pvh_entry.S) identity-map the first GiB; they are
 * dropped here, so a NULL dereference faults.
 *
 * Every entry is written through the site pv.set_pte: a store natively,
 * mmu_update under Xen PV. Under Xen the tables are the Xen environment's
 * (arch/x86/xen/paging.c) and of the code here only the text-poke window
 * runs; its entries hold machine frames there, so the read-modify-writes
 * below (module area, trampoline), which write back a frame they read,
 * are the native environment's alone.
 */
#include <stdint.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/pv.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>
#include <lib/string.h>

#define PT_ENTRIES 512
/*
 * The tables of the image, the low direct map, the MMIO and text-poke
 * windows and the trampoline, plus one page directory per GiB of the
 * direct map (2 MiB pages).
 */
#define PAGING_POOL_PAGES (48 + (DIRECT_MAP_MAX >> 30))

extern char __kernel_start[], __text_start[], __text_end[], __rodata_end[];
extern char __bss_end[];
extern char __tail_start[], __kernel_end[];

static uint64_t pool[PAGING_POOL_PAGES][PT_ENTRIES]
	__attribute__((aligned(4096), section(".bss.page_aligned")));
static unsigned int pool_used;
static uint64_t *pml4;
/* The window's page table: paging_init's, or the Xen environment's. */
static uint64_t *poke_pt;
static uint64_t direct_map_end;
static uint64_t mmio_next = MMIO_BASE;
static DEFINE_SPINLOCK(map_lock);

static uint64_t *table_alloc(void)
{
	if (pool_used == PAGING_POOL_PAGES)
		panic("paging: page-table pool exhausted: %d", -12);
	return pool[pool_used++];
}

/* Tables come from the pool in the image: their physical address is fixed. */
static uint64_t table_phys(const uint64_t *t)
{
	return virt_to_phys(t);
}

static uint64_t *table_virt(uint64_t entry)
{
	return (uint64_t *)((entry & PTE_ADDR_MASK) + KERNEL_VIRT_BASE);
}

/* The next-level table under t[index], created when absent. */
static uint64_t *table_next(uint64_t *t, unsigned int index)
{
	if (!(t[index] & PTE_PRESENT))
		pv_set_pte(&t[index],
			   table_phys(table_alloc()) | PTE_PRESENT | PTE_WRITE);
	return table_virt(t[index]);
}

static unsigned int pt_index(uint64_t va, unsigned int level)
{
	return (va >> (12 + 9 * level)) & 0x1ff;
}

static void map_4k(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *t = pml4;

	for (unsigned int level = 3; level > 0; level--)
		t = table_next(t, pt_index(va, level));
	pv_set_pte(&t[pt_index(va, 0)], pa | flags | PTE_PRESENT);
}

static void map_2m(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *t = pml4;

	for (unsigned int level = 3; level > 1; level--)
		t = table_next(t, pt_index(va, level));
	pv_set_pte(&t[pt_index(va, 1)], pa | flags | PTE_PRESENT | PTE_LARGE);
}

/* The rights of one page of the image, by the section it holds. */
static uint64_t image_flags(uint64_t va)
{
	if (va < (uint64_t)__text_end)
		return PTE_GLOBAL; /* RX */
	if (va < (uint64_t)__rodata_end)
		return PTE_GLOBAL | PTE_NX; /* R */
	if (va < (uint64_t)__bss_end)
		return PTE_GLOBAL | PTE_WRITE | PTE_NX; /* RW */
	return PTE_GLOBAL | PTE_NX; /* tail: R */
}

static void map_image(void)
{
	for (uint64_t va = (uint64_t)__kernel_start;
	     va < (uint64_t)__kernel_end; va += PAGE_SIZE)
		map_4k(va, va - KERNEL_VIRT_BASE, image_flags(va));
}

/*
 * The direct map: 4 KiB pages up to the next 2 MiB boundary after the
 * image (so the image's pages carry its protection, minus execute), 2 MiB
 * pages above.
 */
static void map_direct(uint64_t max_phys)
{
	uint64_t image_start = (uint64_t)__kernel_start - KERNEL_VIRT_BASE;
	uint64_t image_end = (uint64_t)__kernel_end - KERNEL_VIRT_BASE;
	uint64_t small_end = (image_end + (2ull << 20) - 1) &
			     ~((2ull << 20) - 1);
	uint64_t rw = PTE_GLOBAL | PTE_WRITE | PTE_NX;

	for (uint64_t pa = 0; pa < small_end; pa += PAGE_SIZE) {
		uint64_t flags = rw;

		if (pa >= image_start && pa < image_end)
			flags = image_flags(pa + KERNEL_VIRT_BASE) | PTE_NX;
		map_4k(DIRECT_MAP_BASE + pa, pa, flags);
	}
	for (uint64_t pa = small_end; pa < max_phys; pa += 2ull << 20)
		map_2m(DIRECT_MAP_BASE + pa, pa, rw);
	direct_map_end = max_phys > small_end ? ALIGN_UP(max_phys, 2ull << 20) :
						small_end;
}

static void map_poke_window(void)
{
	uint64_t *t = pml4;

	/* text_poke aliases all of text at once: one slot per page. */
	if (__text_end - __text_start >
	    (TEXT_POKE_SLOTS - TEXT_POKE_MODULE_SLOTS) * PAGE_SIZE)
		panic("paging: text is larger than the text-poke window: %d",
		      -27);
	for (unsigned int level = 3; level > 0; level--)
		t = table_next(t, pt_index(TEXT_POKE_BASE, level));
	poke_pt = t;
}

void paging_init(uint64_t max_phys)
{
	if (max_phys > DIRECT_MAP_MAX)
		panic("paging: RAM up to 0x%llx is beyond the direct map: %d",
		      (unsigned long long)max_phys, -22);
	pml4 = table_alloc();
	map_image();
	map_direct(max_phys);
	map_poke_window();
	/* EFER.NXE and CR0.WP were set on entry; the switch is one write. */
	write_cr3(table_phys(pml4));
}

uint64_t *native_paging_lookup(uint64_t va, unsigned int *level)
{
	uint64_t *t = pml4;

	for (unsigned int l = 3;; l--) {
		uint64_t *e = &t[pt_index(va, l)];

		if (!(*e & PTE_PRESENT))
			return NULL;
		if (l == 0 || (*e & PTE_LARGE)) {
			*level = l;
			return e;
		}
		t = table_virt(*e);
	}
}

/* Map [phys, phys + size) at the next free addresses of the MMIO window. */
static void *map_window(uint64_t phys, size_t size, uint64_t flags)
{
	uint64_t first = ALIGN_DOWN(phys, PAGE_SIZE);
	uint64_t end = ALIGN_UP(phys + size, PAGE_SIZE);
	unsigned long irq = spin_lock_irqsave(&map_lock);
	uint64_t va = mmio_next;

	if (va + (end - first) > MMIO_BASE + MMIO_SIZE) {
		spin_unlock_irqrestore(&map_lock, irq);
		return NULL;
	}
	for (uint64_t pa = first; pa < end; pa += PAGE_SIZE)
		map_4k(va + (pa - first), pa, flags | PTE_GLOBAL | PTE_NX);
	mmio_next += end - first;
	spin_unlock_irqrestore(&map_lock, irq);
	return (void *)(va + (phys - first));
}

void *paging_map_mmio(uint64_t phys, size_t size)
{
	return map_window(phys, size, PTE_WRITE | PTE_PCD | PTE_PWT);
}

const void *paging_map_firmware(uint64_t phys, size_t size)
{
	if (phys + size <= direct_map_end)
		return phys_to_virt(phys);
	return map_window(phys, size, 0);
}

void paging_map_trampoline(uint64_t phys)
{
	unsigned int level;
	uint64_t *alias = paging_lookup(DIRECT_MAP_BASE + phys, &level);

	if (!alias || level != 0 || phys >= 0x100000)
		panic("paging: trampoline page 0x%llx cannot be mapped: %d",
		      (unsigned long long)phys, -22);
	/* W^X: the page is never writable and executable at once. */
	pv_set_pte(alias, *alias & ~PTE_WRITE);
	invlpg(phys_to_virt(phys));
	map_4k(phys, phys, 0);
}

void paging_poke_table_init(uint64_t *table)
{
	poke_pt = table;
}

/*
 * The window in both environments: each entry written through the
 * pv.set_pte site (a store natively, mmu_update under Xen, where the
 * table is read-only and the frame becomes a machine one).
 */
void *paging_poke_map(unsigned int slot, uint64_t phys)
{
	uint64_t va = TEXT_POKE_BASE + (uint64_t)slot * PAGE_SIZE;

	/*
	 * The slot is unmapped and flushed (paging_poke_flush), and a TLB
	 * never holds a not-present entry: no invlpg is needed here.
	 */
	pv_set_pte(&poke_pt[pt_index(va, 0)],
		   (phys & PTE_ADDR_MASK) | PTE_PRESENT | PTE_WRITE | PTE_NX);
	return (void *)va;
}

void paging_poke_unmap(unsigned int slot)
{
	uint64_t va = TEXT_POKE_BASE + (uint64_t)slot * PAGE_SIZE;

	pv_set_pte(&poke_pt[pt_index(va, 0)], 0);
}

void paging_poke_flush(void)
{
	/*
	 * The window's entries are the only non-global ones a CR3 reload
	 * drops besides the trampoline's: one flush for every slot (under
	 * Xen, mmuext_op NEW_BASEPTR with the same base, pv.write_cr3).
	 */
	write_cr3(read_cr3());
}

int native_module_map(uint64_t va, uint64_t phys)
{
	unsigned long irq;

	if (!paging_module_page(va) || (phys & (PAGE_SIZE - 1)))
		return -EINVAL;
	irq = spin_lock_irqsave(&map_lock);
	/* Page tables come from the pool: the area is small (layout.h). */
	map_4k(va, phys, PTE_WRITE | PTE_NX);
	spin_unlock_irqrestore(&map_lock, irq);
	return 0;
}

/* Drops the module area from every CPU's TLB (its pages are not global). */
static void flush_this_cpu(void *arg __unused)
{
	write_cr3(read_cr3());
}

static void flush_all_cpus(void)
{
	flush_this_cpu(NULL);
	smp_call_function_others(flush_this_cpu, NULL);
}

/*
 * The direct map's 4 KiB entry of frame phys, splitting the 2 MiB page
 * that holds it into an equivalent table first (from the pool; NULL when
 * it is empty). Called with map_lock held; the caller flushes every CPU.
 */
static uint64_t *direct_map_entry(uint64_t phys)
{
	uint64_t va = DIRECT_MAP_BASE + phys;
	unsigned int level;
	uint64_t *e = paging_lookup(va, &level);
	uint64_t *t, base, flags;

	if (!e || level > 1)
		return NULL;
	if (level == 0)
		return e;
	if (pool_used == PAGING_POOL_PAGES)
		return NULL;
	t = table_alloc();
	base = *e & PTE_ADDR_MASK & ~((2ull << 20) - 1);
	flags = *e & ~PTE_ADDR_MASK & ~PTE_LARGE;
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		pv_set_pte(&t[i], (base + (uint64_t)i * PAGE_SIZE) | flags);
	pv_set_pte(e, table_phys(t) | PTE_PRESENT | PTE_WRITE);
	return &t[pt_index(va, 0)];
}

/* The module page entries of [va, va + npages pages), all 4 KiB, or NULL. */
static uint64_t *module_pte(uint64_t va, size_t i)
{
	unsigned int level;
	uint64_t *pte = paging_module_page(va + i * PAGE_SIZE) ?
				paging_lookup(va + i * PAGE_SIZE, &level) :
				NULL;

	return pte && !level ? pte : NULL;
}

/* The direct map's aliases of the pages' frames: writable or not. */
static int module_aliases(uint64_t va, size_t npages, bool writable)
{
	unsigned long irq = spin_lock_irqsave(&map_lock);
	int rc = 0;

	for (size_t i = 0; i < npages && !rc; i++) {
		uint64_t *pte = module_pte(va, i), *alias;

		alias = pte ? direct_map_entry(*pte & PTE_ADDR_MASK) : NULL;
		if (!alias)
			rc = pte ? -ENOMEM : -EINVAL;
		else
			pv_set_pte(alias, writable ? *alias | PTE_WRITE :
						     *alias & ~PTE_WRITE);
	}
	spin_unlock_irqrestore(&map_lock, irq);
	flush_all_cpus();
	return rc;
}

/* Each page's entry: set (0 with unmap); -EINVAL if one is absent. */
static int module_update(uint64_t va, size_t npages, uint64_t set, bool unmap)
{
	unsigned long irq = spin_lock_irqsave(&map_lock);
	int rc = 0;

	for (size_t i = 0; i < npages && !rc; i++) {
		uint64_t *pte = module_pte(va, i);

		if (!pte)
			rc = -EINVAL;
		else
			pv_set_pte(pte, unmap ? 0 :
						(*pte & PTE_ADDR_MASK) |
							PTE_PRESENT | set);
	}
	spin_unlock_irqrestore(&map_lock, irq);
	flush_all_cpus();
	return rc;
}

/*
 * W^X for the frames too: before a page becomes executable the direct
 * map's alias of its frame becomes read-only (and every CPU forgets the
 * writable one); it is writable again only once no CPU can execute it.
 */
int native_module_protect(uint64_t va, size_t npages, bool write, bool exec)
{
	int rc;

	if (write && exec)
		return -EINVAL;
	if (exec) {
		rc = module_aliases(va, npages, false);
		if (rc)
			return rc;
	}
	return module_update(va, npages,
			     (write ? PTE_WRITE : 0) | (exec ? 0 : PTE_NX),
			     false);
}

int native_module_unmap(uint64_t va, size_t npages)
{
	uint64_t frames[MODULE_SIZE / PAGE_SIZE / 16];
	size_t n = npages < sizeof(frames) / sizeof(frames[0]) ?
			   npages :
			   sizeof(frames) / sizeof(frames[0]);
	unsigned long irq = spin_lock_irqsave(&map_lock);
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t *pte = module_pte(va, i);

		frames[i] = pte ? *pte & PTE_ADDR_MASK : 0;
	}
	spin_unlock_irqrestore(&map_lock, irq);
	rc = module_update(va, npages, 0, true);
	/* Unmapped everywhere: the aliases may be written again. */
	irq = spin_lock_irqsave(&map_lock);
	for (size_t i = 0; i < n; i++) {
		uint64_t *alias = frames[i] ? direct_map_entry(frames[i]) :
					      NULL;

		if (alias)
			pv_set_pte(alias, *alias | PTE_WRITE);
	}
	spin_unlock_irqrestore(&map_lock, irq);
	flush_all_cpus();
	return rc;
}

uint64_t native_module_text(uint64_t va)
{
	unsigned int level;
	uint64_t *pte;

	va &= ~(uint64_t)(PAGE_SIZE - 1);
	if (!paging_module_page(va))
		return 0;
	pte = paging_lookup(va, &level);
	if (!pte || level || (*pte & (PTE_NX | PTE_WRITE)))
		return 0;
	return *pte & PTE_ADDR_MASK;
}
