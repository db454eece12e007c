// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the module loader (kernel/module/elf.c, layout.c,
 * relocate.c, built from the kernel's source) on arbitrary bytes, run as
 * module_build() runs it: check the object, lay it out in a slot, resolve
 * its symbols, apply every relocation and collect its sites, set the page
 * rights; then free it as module_free() does.
 *
 * What the loader calls outside is played here. The "kernel" and the
 * module slot are mapped at a fixed address below 2 GiB, so that the
 * kernel code model's R_X86_64_32S and the PC32 relocations between them
 * fit as they do in the kernel and the real modules load; only the pages
 * page_alloc() handed out are addressable (ASan poisons the rest), and
 * paging_module_map() checks each page goes where the slot expects it.
 * The kernel exports the symbols the real modules import; its choices'
 * definitions are records here, found by relink_choice_at() as the
 * engine does (a definition, or a call site's call symbol).
 *
 * Beyond the sanitizers, it checks the loader's promises: a refusal is one
 * line of text, never "out of memory"; an accepted object's sites and
 * what the engine reads of its own choices lie in the pages laid out for
 * it, which are exactly those mapped and freed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sanitizer/asan_interface.h>

#include <arch/paging.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <lib/errno.h>
#include <lib/string.h>

#include "module.h"

#define check(cond)              \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

#define SLOT_PAGES (MODULE_SLOT_SIZE / PAGE_SIZE)
/* The exports, then the slot: addresses R_X86_64_32S reaches. */
#define HOST_KERNEL 0x40000000ul
#define HOST_SLOT (HOST_KERNEL + MODULE_SLOT_SIZE)

static uint8_t *slot;
static size_t pages_given, pages_mapped;

/* ---------------------------------------------------- the kernel's heap */

/* As the kernel's: NULL for 0 bytes or more than 1 GiB. */
void *kmalloc(size_t size)
{
	return size && size <= (1ul << 30) ? malloc(size) : NULL;
}

void *kzalloc(size_t size)
{
	return size && size <= (1ul << 30) ? calloc(1, size) : NULL;
}

void kfree(void *p)
{
	free(p);
}

/* ------------------------------------------- the module slot's frames */

/* One module at a time: the slot's first npages, zeroed. */
void *page_alloc(size_t npages)
{
	check(!pages_given && npages && npages <= SLOT_PAGES);
	ASAN_UNPOISON_MEMORY_REGION(slot, npages * PAGE_SIZE);
	memset(slot, 0, npages * PAGE_SIZE);
	pages_given = npages;
	return slot;
}

void page_free(void *addr, size_t npages)
{
	check(addr == slot && npages == pages_given && !pages_mapped);
	ASAN_POISON_MEMORY_REGION(slot, MODULE_SLOT_SIZE);
	pages_given = 0;
}

/* The direct map is the identity on the host. */
uint64_t virt_to_phys_kernel(const void *va)
{
	return (uint64_t)(uintptr_t)va;
}

/* Pages are mapped in order, each where the loader copies its sections. */
int paging_module_map(uint64_t va, uint64_t phys)
{
	check(va == phys && va == (uintptr_t)slot + pages_mapped * PAGE_SIZE);
	check(pages_mapped < pages_given);
	pages_mapped++;
	return 0;
}

int paging_module_protect(uint64_t va, size_t npages, bool write, bool exec)
{
	check(!(write && exec));
	check(va >= (uintptr_t)slot && va % PAGE_SIZE == 0);
	check(npages <= pages_mapped - (va - (uintptr_t)slot) / PAGE_SIZE);
	return 0;
}

int paging_module_unmap(uint64_t va, size_t npages)
{
	check(va == (uintptr_t)slot && npages == pages_mapped);
	pages_mapped = 0;
	return 0;
}

/* ------------------------------------------- what the kernel exports */

static const char *const exported[] = {
	"__sw_hweight64", "fs_create_file", "fs_mkdir_path", "fs_remove",
	"memcpy",	  "printk",	    "seq_printf",    "snprintf",
	"strcmp",	  "strlen",	    "trace_record",
};
#define N_EXPORTED (sizeof(exported) / sizeof(exported[0]))

static const char *const choice_ids[] = {
	"smp_lock",	 "cpu_popcnt", "pv_save_fl", "pv_irq_disable",
	"pv_restore_fl", "trace",      "mem_copy",
};
#define N_CHOICES (sizeof(choice_ids) / sizeof(choice_ids[0]))

/* In the first page of HOST_KERNEL: the choices, then the functions. */
static struct relink_choice_def *kernel_choices;
static uint8_t *kernel_text;

uint64_t kernel_symbol_find(const char *name)
{
	for (size_t i = 0; i < N_EXPORTED; i++)
		if (!strcmp(name, exported[i]))
			return (uint64_t)(uintptr_t)&kernel_text[16 * i];
	if (strncmp(name, "__choice_", 9))
		return 0;
	for (size_t i = 0; i < N_CHOICES; i++)
		if (!strcmp(name + 9, choice_ids[i]))
			return (uint64_t)(uintptr_t)&kernel_choices[i];
	return 0;
}

/* mem_copy's call sites call memcpy, cpu_popcnt's __sw_hweight64. */
static void kernel_choices_init(void)
{
	uint8_t *area = mmap((void *)HOST_KERNEL, 2 * MODULE_SLOT_SIZE,
			     PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			     -1, 0);

	check(area == (void *)HOST_KERNEL);
	kernel_choices = (struct relink_choice_def *)area;
	kernel_text = area + N_CHOICES * sizeof(*kernel_choices);
	slot = (uint8_t *)HOST_SLOT;
	for (size_t i = 0; i < N_CHOICES; i++)
		kernel_choices[i].name = choice_ids[i];
	kernel_choices[N_CHOICES - 1].call_symbol =
		(const void *)(uintptr_t)kernel_symbol_find("memcpy");
	kernel_choices[1].call_symbol =
		(const void *)(uintptr_t)kernel_symbol_find("__sw_hweight64");
}

/*
 * The engine's lookup (kernel/patching/module.c) over the module's own
 * choices, then the kernel's above: index k of both in turn, named by its
 * record, or by its call symbol for a call site.
 */
int relink_choice_at(const struct relink_module *m, uint64_t address,
		     unsigned int shape)
{
	for (unsigned int k = 0; address && k < m->n_choices + N_CHOICES; k++) {
		bool own = k < m->n_choices;
		const struct relink_choice_def *def =
			own ? &m->choices[k] :
			      &kernel_choices[k - m->n_choices];
		const void *at = shape == RELINK_SHAPE_CALL ? def->call_symbol :
							      def;

		if ((uintptr_t)at == address)
			return own ? (int)(RELINK_OWN_CHOICE | k) :
				     (int)(k - m->n_choices);
	}
	return -ENOENT;
}

/* ----------------------------------------------------------- the checks */

/*
 * A refusal: one line of text, in the buffer. Never for want of memory:
 * the host has plenty, and the kernel's heap gives up to 1 GiB.
 */
static void check_why(int rc, const char *why)
{
	size_t n = strnlen(why, MODULE_WHY_MAX);

	check(rc != -ENOMEM);

	check(n > 0 && n < MODULE_WHY_MAX);
	check(!strchr(why, '\n'));
}

/* [address, address + length) in the module's pages. */
static bool in_pages(const struct module *mod, uint64_t address,
		     uint64_t length)
{
	uint64_t end = mod->base + mod->n_pages * PAGE_SIZE;

	return address >= mod->base && address <= end &&
	       length <= end - address;
}

/* A name the engine reads and prints: in the pages, one line of text. */
static void check_name(const struct module *mod, const char *name)
{
	check(in_pages(mod, (uintptr_t)name, 1));
	check(in_pages(mod, (uintptr_t)name, strlen(name) + 1));
	check(!strchr(name, '\n'));
}

/*
 * What relink_module_add() reads of the module's own choices (their
 * names, variants and templates) lies in its pages: the engine trusts
 * these pointers as it trusts the kernel's.
 */
static void check_choices(const struct module *mod)
{
	for (uint32_t k = 0; k < mod->sites.n_choices; k++) {
		const struct relink_choice_def *def = &mod->sites.choices[k];

		check_name(mod, def->name);
		check(in_pages(mod, (uintptr_t)def->variants,
			       def->n_variants * sizeof(*def->variants)));
		for (unsigned int v = 0; v < def->n_variants; v++) {
			const struct relink_variant_def *vd = &def->variants[v];

			check_name(mod, vd->name);
			check(!vd->n_insns ||
			      in_pages(mod, (uintptr_t)vd->tmpl,
				       vd->n_insns * sizeof(*vd->tmpl)));
		}
	}
}

static void check_loaded(const struct module *mod)
{
	check(mod->n_pages == pages_given && mod->n_pages == pages_mapped);
	check(mod->text_pages > 0);
	for (uint32_t k = 0; k < mod->sites.n_sites; k++) {
		const struct relink_module_site *s = &mod->sites.sites[k];

		/* Branch targets are the engine's to check against text. */
		check(in_pages(mod, s->address, s->form.length));
	}
	check(!mod->sites.n_choices ||
	      in_pages(mod, (uintptr_t)mod->sites.choices,
		       (uint64_t)mod->sites.n_choices *
			       sizeof(struct relink_choice_def)));
	check_choices(mod);
}

/* What module_free() frees of what these steps made. */
static void module_release(struct module *mod)
{
	module_unmap(mod);
	check(!pages_given && !pages_mapped);
	kfree(mod->sites.sites);
	kfree(mod->symbol_value);
	kfree(mod->section_address);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	kernel_choices_init();
	ASAN_POISON_MEMORY_REGION(slot, MODULE_SLOT_SIZE);
	return 0;
}

/* module_build()'s steps 2 to 6 but the engine's (sites written). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct module mod = { .base = (uintptr_t)slot };
	char why[MODULE_WHY_MAX] = "";
	int rc = module_image_check(&mod.image, data, size, why);

	if (!rc)
		rc = module_layout(&mod, why);
	if (!rc)
		rc = module_resolve(&mod, why);
	if (!rc)
		rc = module_relocate(&mod, why);
	if (!rc)
		rc = module_protect(&mod, why);
	if (rc)
		check_why(rc, why);
	else
		check_loaded(&mod);
	module_release(&mod);
	return 0;
}
