// SPDX-License-Identifier: MIT
/*
 * Page tables under Xen PV. Every table is read-only to the guest and
 * holds machine frame numbers; every write is a request to Xen
 * (mmu_update for entries, update_va_mapping for one mapping), which
 * checks it. The kernel keeps Xen's boot L4 (start_info.pt_base) and
 * makes it look like the native layout (paging.c):
 *
 *   DIRECT_MAP_BASE + phys	every pseudo-physical page, 4 KiB, NX; the
 *				image's pages keep its write protection and
 *				page-table pages are read-only (Xen allows
 *				no writable mapping of a table)
 *   KERNEL_VIRT_BASE + phys	the image only, W^X; the rest Xen built
 *				there (P2M list, start_info, its boot
 *				tables and stack) is unmapped
 *   TEXT_POKE_BASE		the writable alias of text for text_poke
 *   MODULE_BASE		loaded modules, W^X as natively: written
 *				while writable and not executable, then
 *				text RX (its direct-map alias read-only),
 *				rodata R, data RW
 *
 * New tables come from the pages after what Xen built, which no mapping
 * reaches yet: they are cleared and filled through mmu_update, then
 * hooked into their parent, where Xen validates them.
 */
#include <stdint.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

#define PT_ENTRIES 512
#define UPDATE_BATCH 512
/* The L1s of the module area, one per 2 MiB, made at boot. */
#define MODULE_L1S (MODULE_SIZE / (2ull << 20))
/*
 * Tables beyond the direct map's: the L2 and L1s of the poke and MMIO
 * windows, and the module area's.
 */
#define TABLES_SPARE (4 + MODULE_L1S)

extern char __kernel_start[], __kernel_end[], __text_end[], __rodata_end[];
extern char __bss_end[];

static const unsigned long *p2m;
static uint64_t nr_pages;
static uint64_t pt_first_pfn, pt_end_pfn; /* Xen's boot tables */
/* Ours: [first, limit) is mapped read-only, [first, next) in use. */
static uint64_t table_first_pfn, table_next_pfn, table_limit_pfn;
static uint64_t l4_mfn;
static uint64_t module_l1_mfn[MODULE_L1S];
static struct mmu_update batch[UPDATE_BATCH];
static unsigned int batch_used;

uint64_t xen_pfn_to_mfn(uint64_t pfn)
{
	return p2m[pfn];
}

static void batch_flush(void)
{
	int done = 0;
	long rc;

	if (!batch_used)
		return;
	rc = xen_hypercall4(__HYPERVISOR_mmu_update, batch, batch_used, &done,
			    DOMID_SELF);
	if (rc)
		panic("xen: mmu_update: entry %d of %u refused: %ld", done,
		      batch_used, rc);
	batch_used = 0;
}

/* Queue *entry = value, entry given by its table's mfn and index. */
static void entry_set(uint64_t table_mfn, unsigned int index, uint64_t value)
{
	if (batch_used == UPDATE_BATCH)
		batch_flush();
	batch[batch_used].ptr = ((table_mfn << PAGE_SHIFT) + index * 8) |
				MMU_NORMAL_PT_UPDATE;
	batch[batch_used].val = value;
	batch_used++;
}

static void mmuext(unsigned int cmd, uint64_t arg)
{
	struct mmuext_op op = { .cmd = cmd };
	int done = 0;
	long rc;

	op.arg1.mfn = arg;
	rc = xen_hypercall4(__HYPERVISOR_mmuext_op, &op, 1, &done, DOMID_SELF);
	if (rc)
		panic("xen: mmuext_op %u refused: %ld", cmd, rc);
}

/* A cleared page for a new table, never mapped before. */
static uint64_t table_alloc(void)
{
	uint64_t pfn = table_next_pfn++;

	if (pfn >= table_limit_pfn)
		panic("xen: no page left for a page table: %d", -12);
	mmuext(MMUEXT_CLEAR_PAGE, p2m[pfn]);
	return p2m[pfn];
}

static bool pfn_is_table(uint64_t pfn)
{
	return (pfn >= pt_first_pfn && pfn < pt_end_pfn) ||
	       (pfn >= table_first_pfn && pfn < table_limit_pfn);
}

/* A table's entries, read through the M2P and the direct map. */
static const uint64_t *table_read(uint64_t mfn)
{
	return phys_to_virt(machine_to_phys_mapping[mfn] << PAGE_SHIFT);
}

static unsigned int pt_index(uint64_t va, unsigned int level)
{
	return (va >> (12 + 9 * level)) & 0x1ff;
}

/* The L1 table for va under Xen's L4, created on the way when absent. */
static uint64_t l1_for(uint64_t va)
{
	uint64_t mfn = l4_mfn;

	for (unsigned int level = 3; level > 0; level--) {
		uint64_t e = table_read(mfn)[pt_index(va, level)];

		if (!(e & PTE_PRESENT)) {
			uint64_t next = table_alloc();

			entry_set(mfn, pt_index(va, level),
				  next << PAGE_SHIFT | PTE_PRESENT | PTE_WRITE);
			batch_flush();
			mfn = next;
		} else {
			mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
		}
	}
	return mfn;
}

/* The rights of one page of the image, as paging.c gives them. */
static uint64_t image_flags(uint64_t pa)
{
	uint64_t va = pa + KERNEL_VIRT_BASE;

	if (va < (uint64_t)__text_end)
		return 0; /* RX */
	if (va < (uint64_t)__rodata_end)
		return PTE_NX; /* R */
	if (va < (uint64_t)__bss_end)
		return PTE_WRITE | PTE_NX; /* RW */
	return PTE_NX; /* tail: R */
}

static uint64_t direct_flags(uint64_t pfn)
{
	uint64_t pa = pfn << PAGE_SHIFT;
	uint64_t image_start = (uint64_t)__kernel_start - KERNEL_VIRT_BASE;
	uint64_t image_end = (uint64_t)__kernel_end - KERNEL_VIRT_BASE;

	if (pa >= image_start && pa < image_end)
		return image_flags(pa) | PTE_NX;
	if (pfn_is_table(pfn))
		return PTE_NX;
	return PTE_WRITE | PTE_NX;
}

/*
 * The direct map, bottom-up: each L1 is filled while nothing maps it as a
 * table, then hooked into its L2 (Xen validates it there). The tables it
 * needs are taken first, so their own entries are read-only.
 */
static void map_direct(void)
{
	uint64_t l1s = (nr_pages + PT_ENTRIES - 1) / PT_ENTRIES;
	uint64_t l2s = (l1s + PT_ENTRIES - 1) / PT_ENTRIES;
	uint64_t l1_first = table_next_pfn;
	uint64_t l2_first, l3;

	if (l2s > 1)
		panic("xen: %llu pages: more than the 1 GiB direct map: %d",
		      (unsigned long long)nr_pages, -27);
	table_next_pfn += l1s;
	l2_first = table_next_pfn++;
	l3 = table_next_pfn++;
	table_limit_pfn = table_next_pfn + TABLES_SPARE;
	if (table_limit_pfn > nr_pages)
		panic("xen: no pages left for the direct map's tables: %d",
		      -12);
	for (uint64_t t = l1_first; t < table_next_pfn; t++)
		mmuext(MMUEXT_CLEAR_PAGE, p2m[t]);
	for (uint64_t pfn = 0; pfn < nr_pages; pfn++)
		entry_set(p2m[l1_first + pfn / PT_ENTRIES], pfn % PT_ENTRIES,
			  p2m[pfn] << PAGE_SHIFT | PTE_PRESENT |
				  direct_flags(pfn));
	for (uint64_t i = 0; i < l1s; i++)
		entry_set(p2m[l2_first], i,
			  p2m[l1_first + i] << PAGE_SHIFT | PTE_PRESENT |
				  PTE_WRITE);
	entry_set(p2m[l3], pt_index(DIRECT_MAP_BASE, 2),
		  p2m[l2_first] << PAGE_SHIFT | PTE_PRESENT | PTE_WRITE);
	entry_set(l4_mfn, pt_index(DIRECT_MAP_BASE, 3),
		  p2m[l3] << PAGE_SHIFT | PTE_PRESENT | PTE_WRITE);
	batch_flush();
}

static void va_mapping_set(uint64_t va, uint64_t pte)
{
	long rc = xen_hypercall3(__HYPERVISOR_update_va_mapping, va, pte,
				 UVMF_INVLPG | UVMF_LOCAL);

	if (rc)
		panic("xen: update_va_mapping 0x%llx refused: %ld",
		      (unsigned long long)va, rc);
}

/*
 * Xen maps its padding after the boot stack at KERNEL_VIRT_BASE + phys
 * too, up to a 4 MiB boundary at least 512 KiB on: gone before any of
 * it becomes a table (a table may have no writable mapping). A page
 * that was never mapped is refused, and that is fine here.
 */
static void unmap_padding(uint64_t built_end)
{
	uint64_t map_end =
		ALIGN_UP(built_end + (512 << 10) + PAGE_SIZE, 4ull << 20);

	for (uint64_t pa = built_end; pa < map_end; pa += PAGE_SIZE)
		xen_hypercall3(__HYPERVISOR_update_va_mapping,
			       KERNEL_VIRT_BASE + pa, 0,
			       UVMF_INVLPG | UVMF_LOCAL);
}

/*
 * KERNEL_VIRT_BASE + phys: the image W^X, and nothing else Xen mapped
 * there below built_end (start_info and the P2M list are reached through
 * the direct map by now).
 */
static void map_image(uint64_t built_end)
{
	uint64_t image_start = (uint64_t)__kernel_start - KERNEL_VIRT_BASE;
	uint64_t image_end = (uint64_t)__kernel_end - KERNEL_VIRT_BASE;

	for (uint64_t pa = image_start; pa < image_end; pa += PAGE_SIZE)
		va_mapping_set(KERNEL_VIRT_BASE + pa,
			       p2m[pa >> PAGE_SHIFT] << PAGE_SHIFT |
				       PTE_PRESENT | image_flags(pa));
	for (uint64_t pa = 0; pa < built_end; pa += PAGE_SIZE)
		if (pa < image_start || pa >= image_end)
			va_mapping_set(KERNEL_VIRT_BASE + pa, 0);
}

void xen_paging_init(uint64_t built_end)
{
	const start_info_t *si = xen_start_info;

	p2m = (const unsigned long *)si->mfn_list;
	nr_pages = si->nr_pages;
	pt_first_pfn = (si->pt_base - KERNEL_VIRT_BASE) >> PAGE_SHIFT;
	pt_end_pfn = pt_first_pfn + si->nr_pt_frames;
	table_first_pfn = table_next_pfn = built_end >> PAGE_SHIFT;
	l4_mfn = p2m[pt_first_pfn];
	xen_cr3_init(pt_first_pfn << PAGE_SHIFT);
	unmap_padding(built_end);
	map_direct();
	/* Written through pv.set_pte (xen_set_pte), read through the map. */
	paging_poke_table_init(
		(uint64_t *)(uintptr_t)table_read(l1_for(TEXT_POKE_BASE)));
	/* Made now: a module load then only writes entries of its own. */
	for (uint64_t i = 0; i < MODULE_L1S; i++)
		module_l1_mfn[i] = l1_for(MODULE_BASE + i * (2ull << 20));
	/* From here, start_info and the P2M list through the direct map. */
	p2m = phys_to_virt((uint64_t)p2m - KERNEL_VIRT_BASE);
	xen_start_info = phys_to_virt((uint64_t)si - KERNEL_VIRT_BASE);
	map_image(built_end);
}

/* Read-only: the entry as Xen's tables hold it, through the direct map. */
uint64_t *xen_paging_lookup(uint64_t va, unsigned int *level)
{
	uint64_t mfn = l4_mfn;

	for (unsigned int l = 3;; l--) {
		const uint64_t *e = &table_read(mfn)[pt_index(va, l)];

		if (!(*e & PTE_PRESENT))
			return NULL;
		if (l == 0 || (*e & PTE_LARGE)) {
			*level = l;
			return (uint64_t *)(uintptr_t)e;
		}
		mfn = (*e & PTE_ADDR_MASK) >> PAGE_SHIFT;
	}
}

/* The first page the tables left free: the kernel's memory starts there. */
uint64_t xen_paging_tables_end(void)
{
	return table_limit_pfn << PAGE_SHIFT;
}

/* The root table every vCPU runs on (Xen pinned it). */
uint64_t xen_paging_root_mfn(void)
{
	return l4_mfn;
}

/*
 * pv.set_pte under Xen (arch/x86/pv.c): pte is the kernel's read-only
 * mapping of an entry (the direct map, or the image), value holds a
 * pseudo-physical frame. Xen takes the entry by its machine address and
 * a machine frame in the value. One request of its own, not the boot
 * batch: any CPU may write an entry.
 */
void xen_set_pte(uint64_t *pte, uint64_t value)
{
	uint64_t pa = virt_to_phys(pte);
	uint64_t frame = (value & PTE_ADDR_MASK) >> PAGE_SHIFT;
	struct mmu_update update;
	int done = 0;
	long rc;

	if (pa >> PAGE_SHIFT >= nr_pages ||
	    ((value & PTE_PRESENT) && frame >= nr_pages))
		panic("xen: set_pte 0x%llx = 0x%llx: beyond the domain: %d",
		      (unsigned long long)pa, (unsigned long long)value, -22);
	if (value & PTE_PRESENT)
		value = (value & ~PTE_ADDR_MASK) | p2m[frame] << PAGE_SHIFT;
	update.ptr =
		(p2m[pa >> PAGE_SHIFT] << PAGE_SHIFT | (pa & (PAGE_SIZE - 1))) |
		MMU_NORMAL_PT_UPDATE;
	update.val = value;
	rc = xen_hypercall4(__HYPERVISOR_mmu_update, &update, 1, &done,
			    DOMID_SELF);
	if (rc)
		panic("xen: set_pte 0x%llx = 0x%llx refused: %ld",
		      (unsigned long long)pa, (unsigned long long)value, rc);
}

static struct shared_info *shared_info;

/*
 * The shared info page (a machine frame of Xen's, given by its machine
 * address) at the start of the MMIO window, which nothing else uses
 * under Xen.
 */
void xen_shared_info_map(void)
{
	uint64_t l1 = l1_for(MMIO_BASE);

	entry_set(l1, pt_index(MMIO_BASE, 0),
		  (xen_start_info->shared_info & PTE_ADDR_MASK) | PTE_PRESENT |
			  PTE_WRITE | PTE_NX);
	batch_flush();
	shared_info = (struct shared_info *)MMIO_BASE;
}

struct shared_info *xen_shared_info(void)
{
	return shared_info;
}

/*
 * The module area. Its entries are written one request at a time, not
 * through the boot batch: a load may run beside a switch's text poke on
 * another CPU. Each frame is a pseudo-physical page of the kernel's; the
 * tables hold its machine frame.
 */
static int module_entry_set(uint64_t va, uint64_t value)
{
	struct mmu_update u = {
		.ptr = ((module_l1_mfn[(va - MODULE_BASE) >> 21]
			 << PAGE_SHIFT) +
			pt_index(va, 0) * 8) |
		       MMU_NORMAL_PT_UPDATE,
		.val = value,
	};
	int done = 0;

	return xen_hypercall4(__HYPERVISOR_mmu_update, &u, 1, &done,
			      DOMID_SELF) ?
		       -EINVAL :
		       0;
}

/* The machine frame module page va maps, or 0 when it maps none. */
static uint64_t module_mfn(uint64_t va)
{
	uint64_t e;

	if (!paging_module_page(va))
		return 0;
	e = table_read(
		module_l1_mfn[(va - MODULE_BASE) >> 21])[pt_index(va, 0)];
	return e & PTE_PRESENT ? (e & PTE_ADDR_MASK) >> PAGE_SHIFT : 0;
}

/* The direct map's alias of machine frame mfn, writable or not. */
static int module_alias_set(uint64_t mfn, bool writable)
{
	uint64_t pfn = machine_to_phys_mapping[mfn];

	return xen_hypercall3(__HYPERVISOR_update_va_mapping,
			      DIRECT_MAP_BASE + (pfn << PAGE_SHIFT),
			      mfn << PAGE_SHIFT | PTE_PRESENT | PTE_NX |
				      (writable ? PTE_WRITE : 0),
			      UVMF_INVLPG | UVMF_ALL) ?
		       -EINVAL :
		       0;
}

int xen_module_map(uint64_t va, uint64_t phys)
{
	if (!paging_module_page(va) || (phys & (PAGE_SIZE - 1)) ||
	    (phys >> PAGE_SHIFT) >= nr_pages)
		return -EINVAL;
	return module_entry_set(va, p2m[phys >> PAGE_SHIFT] << PAGE_SHIFT |
					    PTE_PRESENT | PTE_WRITE | PTE_NX);
}

/* As natively: an executable page's alias goes read-only first. */
int xen_module_protect(uint64_t va, size_t npages, bool write, bool exec)
{
	uint64_t flags = (write ? PTE_WRITE : 0) | (exec ? 0 : PTE_NX);
	int rc = 0;

	if (write && exec)
		return -EINVAL;
	for (size_t i = 0; i < npages && !rc; i++) {
		uint64_t page = va + i * PAGE_SIZE, mfn = module_mfn(page);

		if (!mfn)
			rc = -EINVAL;
		else if (exec)
			rc = module_alias_set(mfn, false);
		if (!rc)
			rc = module_entry_set(
				page, mfn << PAGE_SHIFT | PTE_PRESENT | flags);
	}
	mmuext(MMUEXT_TLB_FLUSH_ALL, 0);
	return rc;
}

/* Unmapped everywhere first, then the aliases may be written again. */
int xen_module_unmap(uint64_t va, size_t npages)
{
	int rc = 0;

	for (size_t i = 0; i < npages; i++) {
		uint64_t page = va + i * PAGE_SIZE, mfn = module_mfn(page);

		if (!mfn || module_entry_set(page, 0)) {
			rc = -EINVAL;
			continue;
		}
		mmuext(MMUEXT_TLB_FLUSH_ALL, 0);
		if (module_alias_set(mfn, true))
			rc = -EINVAL;
	}
	return rc;
}

uint64_t xen_module_text(uint64_t va)
{
	uint64_t mfn, e;

	va &= ~(uint64_t)(PAGE_SIZE - 1);
	mfn = module_mfn(va);
	if (!mfn)
		return 0;
	e = table_read(
		module_l1_mfn[(va - MODULE_BASE) >> 21])[pt_index(va, 0)];
	if (e & (PTE_NX | PTE_WRITE))
		return 0;
	return (uint64_t)machine_to_phys_mapping[mfn] << PAGE_SHIFT;
}
