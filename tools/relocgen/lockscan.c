// SPDX-License-Identifier: MIT
/*
 * relocgen --check-locks FILE: every lock prefix in the image's functions
 * must be a site. The kernel writes each one through <kernel/atomic.h>,
 * which records it; a lock prefix written anywhere else would stay a lock
 * when the engine turns the others into DS prefixes, and worse, stay a DS
 * prefix when they turn back. Each function symbol (STT_FUNC with a size)
 * in an executable section is decoded once, linearly, with Zydis; a lock
 * prefix at an address that is no lock site is an error naming
 * symbol+offset.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "decode.h"
#include "lockscan.h"
#include "program.h"
#include "util.h"

static int address_compare(const void *key, const void *elt)
{
	uint64_t a = *(const uint64_t *)key;
	const struct site *s = elt;

	return a < s->address ? -1 : a > s->address;
}

static bool is_lock_site(const struct site_set *sites, uint64_t address)
{
	const struct site *s;

	if (!sites->n_sites)
		return false;
	s = bsearch(&address, sites->sites, sites->n_sites, sizeof(*s),
		    address_compare);
	return s && s->shape == RELINK_SHAPE_LOCK;
}

/* Decode one function; returns the number of stray lock prefixes. */
static size_t scan_function(const struct elf_file *file,
			    const struct decoder *decoder,
			    const struct elf_section *sec,
			    const struct elf_symbol *fn,
			    const struct site_set *sites)
{
	uint64_t offset = fn->value - sec->shdr.sh_addr, pc = 0;
	ZydisDecodedInstruction insn;
	size_t strays = 0;

	if (offset > sec->size || fn->size > sec->size - offset)
		return 0;
	while (pc < fn->size) {
		int len = decode_insn(decoder, sec->data + offset + pc,
				      fn->size - pc, &insn);

		if (len <= 0)
			break; /* data in text: validate_sites() judges sites */
		if ((insn.attributes & ZYDIS_ATTRIB_HAS_LOCK) &&
		    !is_lock_site(sites, fn->value + pc)) {
			report_at(file, fn->value + pc,
				  "lock prefix outside a site (write it "
				  "through the atomic helpers)");
			strays++;
		}
		pc += (uint64_t)len;
	}
	return strays;
}

int check_locks(const char *path)
{
	struct program program;
	struct decoder decoder;
	size_t strays = 0;

	if (program_load(&program, path)) {
		program_free(&program);
		return -1;
	}
	decoder_init(&decoder);
	for (size_t i = 0; i < program.file.n_symbols; i++) {
		const struct elf_symbol *fn = &program.file.symbols[i];
		const struct elf_section *sec;

		if (fn->type != STT_FUNC || !fn->size || !fn->shndx ||
		    fn->shndx >= program.file.n_sections)
			continue;
		sec = &program.file.sections[fn->shndx];
		if (!(sec->shdr.sh_flags & SHF_EXECINSTR) || !sec->data)
			continue;
		strays += scan_function(&program.file, &decoder, sec, fn,
					&program.sites);
	}
	program_free(&program);
	return strays ? -1 : 0;
}
