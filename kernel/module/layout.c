// SPDX-License-Identifier: MIT
/*
 * Laying a module out in its slot of the module area, W^X: the sections
 * that execute first, then the read-only ones, then the writable ones,
 * each class on pages of its own so each can get exactly its rights. Every
 * page starts writable and not executable while the loader copies the
 * sections, relocates and the engine writes the sites; module_protect()
 * then makes text read-only and executable, rodata read-only, data
 * writable, and no page is ever writable and executable at once.
 */
#include <arch/layout.h>
#include <arch/paging.h>
#include <kernel/mm.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

#include "module.h"

enum section_class { CLASS_TEXT, CLASS_RODATA, CLASS_DATA, CLASS_COUNT };

static enum section_class section_class(const Elf64_Shdr *s)
{
	if (s->sh_flags & SHF_EXECINSTR)
		return CLASS_TEXT;
	return (s->sh_flags & SHF_WRITE) ? CLASS_DATA : CLASS_RODATA;
}

static bool loaded(const Elf64_Shdr *s)
{
	return (s->sh_flags & SHF_ALLOC) && s->sh_size &&
	       (s->sh_type == SHT_PROGBITS || s->sh_type == SHT_NOBITS);
}

/*
 * Offsets from the slot's base: each class starts on a page; returns the
 * pages of each class in pages[], the section offsets in offset[].
 */
static int place_sections(struct module *mod, uint64_t *offset,
			  size_t pages[CLASS_COUNT], char *why)
{
	const struct module_image *image = &mod->image;
	uint64_t at = 0;

	for (int class = 0; class < CLASS_COUNT; class ++) {
		uint64_t start = at;

		for (unsigned int i = 0; i < image->n_sections; i++) {
			const Elf64_Shdr *s = &image->sections[i];
			uint64_t align = s->sh_addralign ? s->sh_addralign : 1;

			if (!loaded(s) || section_class(s) != (unsigned)class)
				continue;
			if (s->sh_size > MODULE_SLOT_SIZE) {
				snprintf(why, MODULE_WHY_MAX,
					 "section %s is larger than a module "
					 "slot (%u KiB)",
					 module_section_name(image, i),
					 MODULE_SLOT_SIZE / 1024);
				return -E2BIG;
			}
			at = ALIGN_UP(at, align);
			offset[i] = at;
			at += s->sh_size;
		}
		at = ALIGN_UP(at, PAGE_SIZE);
		pages[class] = (size_t)((at - start) / PAGE_SIZE);
	}
	if (at > MODULE_SLOT_SIZE) {
		snprintf(why, MODULE_WHY_MAX,
			 "%llu KiB: larger than a module slot (%u KiB)",
			 (unsigned long long)at / 1024,
			 MODULE_SLOT_SIZE / 1024);
		return -E2BIG;
	}
	return 0;
}

/* The frames, mapped at the slot, writable and not executable. */
static int map_pages(struct module *mod, char *why)
{
	mod->pages = page_alloc(mod->n_pages);
	if (!mod->pages) {
		snprintf(why, MODULE_WHY_MAX, "out of memory (%zu pages)",
			 mod->n_pages);
		return -ENOMEM;
	}
	for (size_t p = 0; p < mod->n_pages; p++) {
		uint64_t phys = virt_to_phys_kernel((uint8_t *)mod->pages +
						    p * PAGE_SIZE);

		if (paging_module_map(mod->base + p * PAGE_SIZE, phys)) {
			snprintf(why, MODULE_WHY_MAX, "cannot map page %zu", p);
			return -EINVAL;
		}
		mod->mapped_pages++;
	}
	return 0;
}

int module_layout(struct module *mod, char *why)
{
	const struct module_image *image = &mod->image;
	size_t pages[CLASS_COUNT];
	uint64_t *offset;
	int rc;

	offset = kzalloc(image->n_sections * sizeof(*offset));
	mod->section_address = kzalloc(image->n_sections * sizeof(uint64_t));
	if (!offset || !mod->section_address) {
		kfree(offset);
		snprintf(why, MODULE_WHY_MAX, "out of memory");
		return -ENOMEM;
	}
	rc = place_sections(mod, offset, pages, why);
	mod->text_pages = pages[CLASS_TEXT];
	mod->rodata_pages = pages[CLASS_RODATA];
	mod->data_pages = pages[CLASS_DATA];
	mod->n_pages = mod->text_pages + mod->rodata_pages + mod->data_pages;
	if (!rc && !mod->text_pages) {
		snprintf(why, MODULE_WHY_MAX, "no executable section");
		rc = -ENOEXEC;
	}
	if (!rc)
		rc = map_pages(mod, why);
	for (unsigned int i = 0; !rc && i < image->n_sections; i++) {
		const Elf64_Shdr *s = &image->sections[i];

		if (!loaded(s))
			continue;
		mod->section_address[i] = mod->base + offset[i];
		/* NOBITS stays zero: page_alloc() zeroes. */
		if (s->sh_type == SHT_PROGBITS)
			memcpy((void *)(uintptr_t)mod->section_address[i],
			       image->data + s->sh_offset, s->sh_size);
	}
	kfree(offset);
	return rc;
}

int module_protect(struct module *mod, char *why)
{
	uint64_t rodata = mod->base + mod->text_pages * PAGE_SIZE;
	uint64_t data = rodata + mod->rodata_pages * PAGE_SIZE;

	/* Written: from now on text executes and is never writable. */
	if (paging_module_protect(mod->base, mod->text_pages, false, true) ||
	    paging_module_protect(rodata, mod->rodata_pages, false, false) ||
	    paging_module_protect(data, mod->data_pages, true, false)) {
		snprintf(why, MODULE_WHY_MAX, "cannot set page rights");
		return -EINVAL;
	}
	return 0;
}

void module_unmap(struct module *mod)
{
	if (mod->mapped_pages)
		paging_module_unmap(mod->base, mod->mapped_pages);
	mod->mapped_pages = 0;
	if (mod->pages)
		page_free(mod->pages, mod->n_pages);
	mod->pages = NULL;
}
