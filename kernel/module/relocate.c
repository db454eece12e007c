// SPDX-License-Identifier: MIT
/*
 * A module's symbols and relocations. Undefined symbols resolve against
 * what the kernel exports (EXPORT_SYMBOL, EXPORT_CHOICE), defined ones to
 * their section's place in the slot. A pass over every relocation
 * section of a loaded section applies the standard x86-64 types
 * (R_X86_64_64, 32, 32S, PC32, PLT32); a second collects each private
 * one (R_RELINK_*) as a site of the choice its symbol names: the
 * kernel's, or one the module defines in its own .relink.choices. The
 * engine then gets the sites and the module's own choices with the
 * module's text relocated, before it executes.
 * Every symbol index, offset, type and value is checked, and every
 * pointer of the module's own choices that the engine will follow; the
 * first bad one refuses the load with one line.
 */
#include <kernel/mm.h>
#include <kernel/module.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/sort.h>
#include <lib/string.h>

#include "module.h"

#define BRANCH_TARGETS ".relink.branch_targets"
#define CHOICES ".relink.choices"

static int refuse(char *why, int rc, const char *fmt, ...) __printf(3, 4);

static int refuse(char *why, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, MODULE_WHY_MAX, fmt, ap);
	va_end(ap);
	return rc;
}

static int resolve_one(struct module *mod, size_t i, char *why)
{
	const struct module_image *image = &mod->image;
	const Elf64_Sym *sym = &image->symbols[i];
	const char *name = module_symbol_name(image, i);

	if (sym->st_shndx == SHN_UNDEF) {
		mod->symbol_value[i] = kernel_symbol_find(name);
		if (!mod->symbol_value[i])
			return refuse(why, -ENOENT, "unresolved symbol %s",
				      name);
	} else if (sym->st_shndx == SHN_ABS) {
		mod->symbol_value[i] = sym->st_value;
	} else if (sym->st_shndx == SHN_COMMON) {
		return refuse(why, -ENOEXEC,
			      "common symbol %s (build with -fno-common)",
			      name);
	} else if (sym->st_shndx >= image->n_sections) {
		return refuse(why, -ENOEXEC,
			      "symbol %zu (%s): section index %u out of range "
			      "(%u sections)",
			      i, name, sym->st_shndx, image->n_sections);
	} else if (mod->section_address[sym->st_shndx]) {
		if (sym->st_value > image->sections[sym->st_shndx].sh_size)
			return refuse(why, -ENOEXEC,
				      "symbol %s: value past its section",
				      name);
		mod->symbol_value[i] =
			mod->section_address[sym->st_shndx] + sym->st_value;
	}
	/* Else a symbol of a section not loaded: value 0, never usable. */
	return 0;
}

int module_resolve(struct module *mod, char *why)
{
	int rc = 0;

	mod->symbol_value = kzalloc(mod->image.n_symbols * sizeof(uint64_t));
	if (!mod->symbol_value)
		return refuse(why, -ENOMEM, "out of memory");
	/* Symbol 0 is the null symbol. */
	for (size_t i = 1; i < mod->image.n_symbols && !rc; i++)
		rc = resolve_one(mod, i, why);
	return rc;
}

/* Where a relocation is: its section, its index, for messages. */
struct reloc_place {
	unsigned int section; /* the relocation section */
	size_t index;
	uint64_t target_size; /* of the section it patches */
};

static int place_error(const struct module *mod, const struct reloc_place *at,
		       char *why, const char *what)
{
	return refuse(why, -ENOEXEC, "relocation %zu of %s: %s", at->index,
		      module_section_name(&mod->image, at->section), what);
}

static bool fits_signed32(int64_t v)
{
	return v == (int32_t)v;
}

/* One standard relocation at address, in bounds (apply_one checked). */
static int apply_standard(const struct module *mod,
			  const struct reloc_place *at, uint32_t type,
			  uint64_t address, uint64_t value, char *why)
{
	uint8_t *p = (uint8_t *)(uintptr_t)address;
	int64_t v;

	switch (type) {
	case R_X86_64_64:
		memcpy(p, &value, 8);
		return 0;
	case R_X86_64_32:
		if (value > UINT32_MAX)
			return place_error(mod, at, why, "value out of range");
		break;
	case R_X86_64_32S:
		if (!fits_signed32((int64_t)value))
			return place_error(mod, at, why, "value out of range");
		break;
	default: /* PC32, PLT32 */
		value -= address;
		if (!fits_signed32((int64_t)value))
			return place_error(mod, at, why,
					   "displacement out of range");
	}
	v = (int64_t)value;
	memcpy(p, &v, 4);
	return 0;
}

static bool relink_type(uint32_t type)
{
	return type > RELINK_R_BASE && type <= RELINK_R_BASE + RELINK_SHAPE_MAX;
}

/* A private relocation: a site of the choice its symbol names. */
static int add_site(struct module *mod, const struct reloc_place *at,
		    const Elf64_Rela *r, uint64_t address, uint64_t value,
		    char *why)
{
	uint64_t ops = (uint64_t)r->r_addend;
	unsigned int shape = ELF64_R_TYPE(r->r_info) - RELINK_R_BASE;
	struct relink_module_site *s = &mod->sites.sites[mod->sites.n_sites];
	int choice = relink_choice_at(&mod->sites, value, shape);

	if (choice < 0)
		return place_error(mod, at, why,
				   "private relocation against a symbol that "
				   "is no choice");
	if (RELINK_OPS_SHAPE(ops) != shape || !RELINK_OPS_LEN(ops) ||
	    RELINK_OPS_NREGS(ops) > RELINK_MAX_REGS ||
	    RELINK_OPS_LEN(ops) > at->target_size - r->r_offset)
		return place_error(mod, at, why, "malformed site operands");
	s->address = address;
	s->choice = (uint16_t)choice;
	s->form.shape = (uint8_t)shape;
	s->form.length = (uint8_t)RELINK_OPS_LEN(ops);
	s->form.n_regs = (uint8_t)RELINK_OPS_NREGS(ops);
	for (unsigned int k = 0; k < RELINK_MAX_REGS; k++)
		s->form.regs[k] = (uint8_t)RELINK_OPS_REG(ops, k);
	s->form.clobbers = (uint16_t)RELINK_OPS_CLOBBERS(ops);
	mod->sites.n_sites++;
	return 0;
}

/*
 * Pass 1 applies the standard relocations, pass 2 collects the sites:
 * a site of the module's own choice is found through its definition,
 * whose pointers (the call symbol) pass 1 relocated.
 */
enum reloc_pass { PASS_STANDARD, PASS_SITES };

static int apply_one(struct module *mod, const struct reloc_place *at,
		     const Elf64_Rela *r, uint64_t base, enum reloc_pass pass,
		     char *why)
{
	uint32_t type = ELF64_R_TYPE(r->r_info);
	uint32_t symbol = ELF64_R_SYM(r->r_info);
	uint64_t address = base + r->r_offset, value;
	uint64_t width;

	if (symbol >= mod->image.n_symbols)
		return place_error(mod, at, why, "symbol index out of range");
	if (r->r_offset >= at->target_size)
		return place_error(mod, at, why, "offset past its section");
	if (symbol && !mod->symbol_value[symbol])
		return place_error(mod, at, why,
				   "symbol in a section not loaded");
	value = mod->symbol_value[symbol];
	if (relink_type(type))
		return pass == PASS_SITES ?
			       add_site(mod, at, r, address, value, why) :
			       0;
	if (pass == PASS_SITES)
		return 0;
	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64:
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		width = type == R_X86_64_64 ? 8 : 4;
		if (at->target_size < width ||
		    r->r_offset > at->target_size - width)
			return place_error(mod, at, why,
					   "offset past its section");
		mod->n_relocations++;
		return apply_standard(mod, at, type, address,
				      value + (uint64_t)r->r_addend, why);
	}
	return refuse(why, -ENOEXEC, "relocation %zu of %s: unknown type %u",
		      at->index, module_section_name(&mod->image, at->section),
		      type);
}

static int relocate_section(struct module *mod, unsigned int i,
			    enum reloc_pass pass, char *why)
{
	const struct module_image *image = &mod->image;
	const Elf64_Shdr *s = &image->sections[i];
	const Elf64_Rela *relas =
		(const Elf64_Rela *)(image->data + s->sh_offset);
	struct reloc_place at = {
		.section = i,
		.target_size = image->sections[s->sh_info].sh_size,
	};
	uint64_t base = mod->section_address[s->sh_info];
	int rc = 0;

	if (s->sh_link != image->symtab)
		return refuse(why, -ENOEXEC, "%s: not for the symbol table",
			      module_section_name(image, i));
	for (at.index = 0; at.index < s->sh_size / sizeof(*relas) && !rc;
	     at.index++)
		rc = apply_one(mod, &at, &relas[at.index], base, pass, why);
	return rc;
}

/* Room for every private relocation the object could hold. */
static int count_sites(struct module *mod, char *why)
{
	const struct module_image *image = &mod->image;
	size_t n = 0;

	for (unsigned int i = 0; i < image->n_sections; i++) {
		const Elf64_Shdr *s = &image->sections[i];
		const Elf64_Rela *r;

		/* Only a relocation section's offset is checked (elf.c). */
		if (s->sh_type != SHT_RELA)
			continue;
		r = (const Elf64_Rela *)(image->data + s->sh_offset);
		for (size_t k = 0; k < s->sh_size / sizeof(*r); k++)
			n += relink_type(ELF64_R_TYPE(r[k].r_info));
	}
	mod->sites.sites = kzalloc((n ? n : 1) * sizeof(*mod->sites.sites));
	return mod->sites.sites ? 0 : refuse(why, -ENOMEM, "out of memory");
}

static int compare_sites(const void *a, const void *b)
{
	uint64_t x = ((const struct relink_module_site *)a)->address;
	uint64_t y = ((const struct relink_module_site *)b)->address;

	return x < y ? -1 : x > y;
}

static int compare_address(const void *key, const void *elt)
{
	uint64_t x = *(const uint64_t *)key;
	uint64_t y = ((const struct relink_module_site *)elt)->address;

	return x < y ? -1 : x > y;
}

/* The module's .relink.branch_targets, relocated; n_pairs 0: none. */
static int find_branch_targets(const struct module *mod, const int32_t **pairs,
			       size_t *n_pairs, char *why)
{
	const struct module_image *image = &mod->image;

	*pairs = NULL;
	*n_pairs = 0;
	for (unsigned int i = 0; i < image->n_sections; i++) {
		if (!mod->section_address[i] ||
		    strcmp(module_section_name(image, i), BRANCH_TARGETS))
			continue;
		/* Read as int32_t: an unaligned array is no compiler's. */
		if (mod->section_address[i] % 4)
			return refuse(why, -ENOEXEC,
				      BRANCH_TARGETS ": misaligned");
		*pairs = (const int32_t *)(uintptr_t)mod->section_address[i];
		*n_pairs = image->sections[i].sh_size / 8;
	}
	return 0;
}

/*
 * Branch sites take their targets from .relink.branch_targets, now
 * relocated: pairs (site - &pair[0], target - &pair[1]), one a site as
 * the site macro writes them. The sites are sorted by address and each
 * pair finds its site by search, so a module of many branch sites costs
 * n log n, not n squared, and nothing is allocated.
 */
static int attach_branch_targets(struct module *mod, char *why)
{
	struct relink_module_site *sites = mod->sites.sites;
	uint32_t n_sites = mod->sites.n_sites;
	const int32_t *pairs;
	size_t n_pairs, n_branches = 0;
	int rc = find_branch_targets(mod, &pairs, &n_pairs, why);

	if (rc)
		return rc;
	for (uint32_t k = 0; k < n_sites; k++)
		n_branches += sites[k].form.shape == RELINK_SHAPE_BRANCH;
	if (n_pairs != n_branches)
		return refuse(why, -ENOEXEC,
			      "%zu branch sites, %zu pairs in " BRANCH_TARGETS,
			      n_branches, n_pairs);
	sort(sites, n_sites, sizeof(*sites), compare_sites);
	/* As many pairs as branch sites, none twice: each gets its target. */
	for (size_t p = 0; p < n_pairs; p++) {
		uint64_t slot = (uint64_t)(uintptr_t)&pairs[2 * p];
		uint64_t at = slot + (int64_t)pairs[2 * p];
		struct relink_module_site *s = bsearch(
			&at, sites, n_sites, sizeof(*sites), compare_address);

		if (!s || s->form.shape != RELINK_SHAPE_BRANCH || s->target)
			return refuse(why, -ENOEXEC,
				      BRANCH_TARGETS
				      ": pair %zu names 0x%llx, no branch "
				      "site without a target",
				      p, (unsigned long long)at);
		s->target = slot + 4 + (int64_t)pairs[2 * p + 1];
	}
	return 0;
}

/* Every relocation section of a loaded section, in one pass. */
static int relocate_pass(struct module *mod, enum reloc_pass pass, char *why)
{
	const struct module_image *image = &mod->image;
	int rc = 0;

	for (unsigned int i = 0; !rc && i < image->n_sections; i++) {
		const Elf64_Shdr *s = &image->sections[i];

		/* Relocations of sections not loaded (debug) do not matter. */
		if (s->sh_type == SHT_RELA && mod->section_address[s->sh_info])
			rc = relocate_section(mod, i, pass, why);
	}
	return rc;
}

/* The module's own choice definitions, if it has .relink.choices. */
static int find_choices(struct module *mod, char *why)
{
	const struct module_image *image = &mod->image;

	for (unsigned int i = 0; i < image->n_sections; i++) {
		uint64_t size = image->sections[i].sh_size;

		if (!mod->section_address[i] ||
		    strcmp(module_section_name(image, i), CHOICES))
			continue;
		if (size % sizeof(struct relink_choice_def) ||
		    mod->section_address[i] % 8)
			return refuse(why, -ENOEXEC,
				      CHOICES ": %llu bytes, not an array of "
					      "choice definitions",
				      (unsigned long long)size);
		mod->sites.choices =
			(const struct relink_choice_def *)(uintptr_t)
				mod->section_address[i];
		mod->sites.n_choices =
			(uint32_t)(size / sizeof(struct relink_choice_def));
	}
	return 0;
}

/* [address, address + size) lies in the module's pages. */
static bool in_module(const struct module *mod, uint64_t address, uint64_t size)
{
	uint64_t end = mod->base + mod->n_pages * PAGE_SIZE;

	return address >= mod->base && address <= end && size <= end - address;
}

/* A name in the module's pages: text, NUL-terminated before they end. */
static bool name_in_module(const struct module *mod, const char *name)
{
	uint64_t address = (uint64_t)(uintptr_t)name;
	uint64_t left = mod->base + mod->n_pages * PAGE_SIZE - address;
	size_t n;

	if (!in_module(mod, address, 1))
		return false;
	n = module_name_span(name, left);
	return n < left && !name[n];
}

/*
 * The engine reads an own choice's name, its variants, their names and
 * templates, and prints the names: each must lie in the module's pages,
 * aligned. A relocation may aim a pointer anywhere; the engine would
 * fault on it.
 */
static int check_choice(const struct module *mod, uint32_t k, char *why)
{
	const struct relink_choice_def *def = &mod->sites.choices[k];
	uint64_t variants = (uint64_t)(uintptr_t)def->variants;

	if (!name_in_module(mod, def->name) ||
	    variants % _Alignof(struct relink_variant_def) ||
	    !in_module(mod, variants,
		       def->n_variants * sizeof(struct relink_variant_def)))
		return refuse(why, -ENOEXEC,
			      CHOICES ": choice %u points outside the module",
			      k);
	for (unsigned int v = 0; v < def->n_variants; v++) {
		const struct relink_variant_def *vd = &def->variants[v];
		uint64_t tmpl = (uint64_t)(uintptr_t)vd->tmpl;

		if (!name_in_module(mod, vd->name) ||
		    (vd->n_insns &&
		     (tmpl % _Alignof(struct relink_insn) ||
		      !in_module(mod, tmpl,
				 vd->n_insns * sizeof(struct relink_insn)))))
			return refuse(why, -ENOEXEC,
				      CHOICES ": choice %u, variant %u points "
					      "outside the module",
				      k, v);
	}
	return 0;
}

int module_relocate(struct module *mod, char *why)
{
	int rc = count_sites(mod, why);

	if (!rc)
		rc = relocate_pass(mod, PASS_STANDARD, why);
	if (!rc)
		rc = find_choices(mod, why);
	/* Before relink_choice_at() reads them for the sites. */
	for (uint32_t k = 0; !rc && k < mod->sites.n_choices; k++)
		rc = check_choice(mod, k, why);
	if (!rc)
		rc = relocate_pass(mod, PASS_SITES, why);
	if (!rc)
		rc = attach_branch_targets(mod, why);
	return rc;
}
