// SPDX-License-Identifier: MIT
/*
 * relocgen --check-locks FILE: every lock prefix in the image's functions
 * must be a site. The kernel writes each one through <kernel/atomic.h>,
 * which records it; a lock prefix written anywhere else would stay a lock
 * when the engine turns the others into DS prefixes, and worse, stay a DS
 * prefix when they turn back. Each function symbol (STT_FUNC with a size)
 * in an executable section is decoded linearly with Zydis, each byte once;
 * a lock prefix at an address that is no lock site is an error naming
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

static int compare_functions(const void *a, const void *b)
{
	const struct elf_symbol *x = *(const struct elf_symbol *const *)a;
	const struct elf_symbol *y = *(const struct elf_symbol *const *)b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->size > y->size ? -1 : x->size < y->size;
}

/* The function symbols inside executable sections, by section and address. */
static const struct elf_symbol **functions_to_scan(const struct elf_file *file,
						   size_t *count)
{
	const struct elf_symbol **functions;
	size_t i;

	functions = xcalloc(file->n_symbols, sizeof(*functions));
	*count = 0;
	for (i = 0; i < file->n_symbols; i++) {
		const struct elf_symbol *fn = &file->symbols[i];
		const struct elf_section *sec;
		uint64_t offset;

		if (fn->type != STT_FUNC || !fn->size || !fn->shndx ||
		    fn->shndx >= file->n_sections)
			continue;
		sec = &file->sections[fn->shndx];
		offset = fn->value - sec->shdr.sh_addr;
		if (!(sec->shdr.sh_flags & SHF_EXECINSTR) || !sec->data ||
		    offset > sec->size || fn->size > sec->size - offset)
			continue;
		functions[(*count)++] = fn;
	}
	qsort(functions, *count, sizeof(*functions), compare_functions);
	return functions;
}

/*
 * Decode from *cursor to end, inside sec; returns the number of stray lock
 * prefixes and leaves *cursor where decoding stopped (end, also after
 * bytes that do not decode: data in text, validate_sites() judges sites).
 */
static size_t scan_range(const struct elf_file *file,
			 const struct decoder *decoder,
			 const struct elf_section *sec, uint64_t *cursor,
			 uint64_t end, const struct site_set *sites)
{
	ZydisDecodedInstruction insn;
	size_t strays = 0;

	while (*cursor < end) {
		int len = decode_insn(decoder,
				      sec->data + (*cursor - sec->shdr.sh_addr),
				      end - *cursor, &insn);

		if (len <= 0) {
			*cursor = end;
			break;
		}
		if ((insn.attributes & ZYDIS_ATTRIB_HAS_LOCK) &&
		    !is_lock_site(sites, *cursor)) {
			report_at(file, *cursor,
				  "lock prefix outside a site (write it "
				  "through the atomic helpers)");
			strays++;
		}
		*cursor += (uint64_t)len;
	}
	return strays;
}

/*
 * Each byte of text is decoded once: a function that starts inside one
 * already decoded (an alias, a nested symbol) continues that sweep instead
 * of starting its own, so symbols that overlap cannot make the scan
 * quadratic, and an alias does not report its prefixes twice.
 */
int check_locks(const char *path)
{
	const struct elf_symbol **functions;
	struct program program;
	struct decoder decoder;
	size_t strays = 0, n, i;
	uint64_t cursor = 0;

	if (program_load(&program, path)) {
		program_free(&program);
		return -1;
	}
	decoder_init(&decoder);
	functions = functions_to_scan(&program.file, &n);
	for (i = 0; i < n; i++) {
		const struct elf_symbol *fn = functions[i];

		if (!i || fn->shndx != functions[i - 1]->shndx ||
		    fn->value > cursor)
			cursor = fn->value;
		strays += scan_range(&program.file, &decoder,
				     &program.file.sections[fn->shndx], &cursor,
				     fn->value + fn->size, &program.sites);
	}
	free(functions);
	program_free(&program);
	return strays ? -1 : 0;
}
