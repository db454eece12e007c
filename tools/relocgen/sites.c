// SPDX-License-Identifier: MIT
/*
 * Collecting sites from the relocations that --emit-relocs kept.
 *
 * Every SHT_RELA section tied to .symtab is scanned once. Markers are
 * recognized by their symbol, which lies in .relink.choices; call sites by
 * the address their symbol names, which is some choice's call symbol. A
 * reference to a call symbol from executable text that is not a direct
 * call is an error: the engine could not patch it, so the choice would be
 * silently half-applied.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "choices.h"
#include "elf.h"
#include "sites.h"
#include "util.h"

#define OPCODE_CALL_REL32 0xe8
#define OPCODE_JMP_REL32 0xe9

struct collector {
	const struct elf_file *file;
	const struct choice_set *choices;
	struct site_set *set;
	size_t capacity;
	int errors;
};

static void add_site(struct collector *col, uint64_t address, uint64_t ops,
		     size_t choice)
{
	struct site_set *set = col->set;
	struct site *s;

	grow(set->sites, set->n_sites, col->capacity);
	s = &set->sites[set->n_sites++];
	memset(s, 0, sizeof(*s));
	s->address = address;
	s->ops = ops;
	s->choice = (uint32_t)choice;
	s->shape = (uint8_t)RELINK_OPS_SHAPE(ops);
	s->length = (uint8_t)RELINK_OPS_LEN(ops);
}

static void add_marker(struct collector *col, const GElf_Rela *rela,
		       const struct elf_symbol *sym)
{
	const struct choice *c = choices_at(col->choices, sym->value);

	if (!c || c->address != sym->value) {
		report_at(col->file, rela->r_offset,
			  "marker against %s, which is not the start of a "
			  "choice definition",
			  sym->name);
		col->errors++;
		return;
	}
	add_site(col, rela->r_offset, (uint64_t)rela->r_addend, c->index);
}

/* The address a text relocation refers to, for matching call symbols. */
static uint64_t referenced_address(const GElf_Rela *rela,
				   const struct elf_symbol *sym,
				   bool pc_relative)
{
	/* A section symbol names its target through the addend. */
	if (sym->type != STT_SECTION)
		return sym->value;
	return sym->value + (uint64_t)rela->r_addend + (pc_relative ? 4 : 0);
}

static void add_call(struct collector *col, const GElf_Rela *rela,
		     const struct elf_symbol *sym, bool pc_relative)
{
	uint64_t target = referenced_address(rela, sym, pc_relative);
	const struct choice *c = choices_by_call(col->choices, target);
	const uint8_t *opcode;

	if (!c)
		return;
	opcode = rela->r_offset ?
			 elf_file_bytes_at(col->file, rela->r_offset - 1, 5) :
			 NULL;
	if (pc_relative && opcode && opcode[0] == OPCODE_CALL_REL32 &&
	    (sym->type == STT_SECTION || rela->r_addend == -4)) {
		add_site(col, rela->r_offset - 1, SITE_CALL_OPS, c->index);
		return;
	}
	if (pc_relative && opcode && opcode[0] == OPCODE_JMP_REL32)
		report_at(col->file, rela->r_offset - 1,
			  "tail call to choice %s is not a patchable site: "
			  "compile with -fno-optimize-sibling-calls",
			  c->name);
	else
		report_at(col->file, rela->r_offset,
			  "reference to choice %s's call symbol is not a "
			  "direct call",
			  c->name);
	col->errors++;
}

static void scan_rela(struct collector *col, const struct elf_section *rela,
		      bool text)
{
	const Elf64_Rela *relas = (const Elf64_Rela *)rela->data;
	size_t n = rela->size / sizeof(Elf64_Rela), i;

	for (i = 0; i < n; i++) {
		GElf_Rela r = relas[i];
		size_t symbol = ELF64_R_SYM(r.r_info);
		const struct elf_symbol *sym;

		if (symbol >= col->file->n_symbols) {
			report(col->file->path,
			       "section %s: relocation %zu: symbol index %zu "
			       "out of range",
			       rela->name, i, symbol);
			col->errors++;
			continue;
		}
		sym = &col->file->symbols[symbol];
		switch (ELF64_R_TYPE(r.r_info)) {
		case R_X86_64_NONE:
			if (symbol && choices_has_symbol(col->choices, sym))
				add_marker(col, &r, sym);
			break;
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
			if (text && symbol)
				add_call(col, &r, sym, true);
			break;
		case R_X86_64_64:
		case R_X86_64_32:
		case R_X86_64_32S:
			if (text && symbol)
				add_call(col, &r, sym, false);
			break;
		}
	}
}

/* Scan every relocation section; fail when none applies to text. */
static int scan_relocations(struct collector *col)
{
	const struct elf_file *file = col->file;
	bool text_relocations = false;
	size_t i;

	for (i = 0; i < file->n_sections; i++) {
		const struct elf_section *s = &file->sections[i];
		bool text;

		/* .rela.dyn and .rela.plt belong to .dynsym: not ours. */
		if (s->shdr.sh_type != SHT_RELA ||
		    s->shdr.sh_link != file->symtab->index ||
		    s->shdr.sh_info >= file->n_sections || !s->size)
			continue;
		if (s->shdr.sh_entsize != sizeof(Elf64_Rela) ||
		    s->size % sizeof(Elf64_Rela)) {
			report(file->path, "section %s: malformed", s->name);
			return -1;
		}
		text = elf_section_is_text(&file->sections[s->shdr.sh_info]);
		text_relocations |= text;
		scan_rela(col, s, text);
	}
	if (!text_relocations) {
		report(file->path, "no relocations for executable sections: "
				   "link with --emit-relocs");
		return -1;
	}
	return col->errors ? -1 : 0;
}

static int compare_sites(const void *a, const void *b)
{
	const struct site *x = a, *y = b;

	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	if (x->choice != y->choice)
		return x->choice < y->choice ? -1 : 1;
	return x->ops < y->ops ? -1 : x->ops > y->ops;
}

/* Drop exact duplicates (a marked call is also a call relocation). */
static void sort_sites(struct site_set *set)
{
	size_t i, n = 0;

	if (!set->n_sites)
		return;
	qsort(set->sites, set->n_sites, sizeof(*set->sites), compare_sites);
	for (i = 0; i < set->n_sites; i++)
		if (!n || compare_sites(&set->sites[n - 1], &set->sites[i]))
			set->sites[n++] = set->sites[i];
	set->n_sites = n;
}

static uint64_t lowest_text_address(const struct elf_file *file)
{
	uint64_t base = UINT64_MAX;
	size_t i;

	for (i = 0; i < file->n_sections; i++)
		if (elf_section_is_text(&file->sections[i]) &&
		    file->sections[i].shdr.sh_addr < base)
			base = file->sections[i].shdr.sh_addr;
	return base == UINT64_MAX ? 0 : base;
}

int sites_collect(const struct elf_file *file, const struct choice_set *choices,
		  struct site_set *set)
{
	struct collector col = {
		.file = file,
		.choices = choices,
		.set = set,
	};

	memset(set, 0, sizeof(*set));
	set->text_base = lowest_text_address(file);
	if (scan_relocations(&col))
		return -1;
	sort_sites(set);
	return branch_targets_attach(file, set);
}

void sites_free(struct site_set *set)
{
	free(set->sites);
	free(set->forms);
	free(set->form_ops);
	memset(set, 0, sizeof(*set));
}
