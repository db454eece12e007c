// SPDX-License-Identifier: MIT
/*
 * relocgen --check-locks FILE: every lock prefix in the image's executable
 * sections must be a site. The kernel writes each one through
 * <kernel/atomic.h>, which records it; a lock prefix written anywhere else
 * would stay a lock when the engine turns the others into DS prefixes, and
 * worse, stay a DS prefix when they turn back.
 *
 * Every executable section is decoded with Zydis, one instruction after
 * the other, from its first byte to its last: typed functions, assembly
 * without a function symbol (trap_common), padding and data in text alike.
 * A lock prefix at an address that is no lock site is an error naming
 * symbol+offset. Data and padding can throw the decoder off the real
 * instruction boundaries, so the sweep is pulled back onto them wherever
 * the image says an instruction starts:
 *
 *   - Synchronisation points: every symbol in the section (whatever its
 *     type: an assembly label has none), the end of every sized symbol,
 *     and every recorded site. An instruction that runs over such a point
 *     is checked like any other, then the sweep restarts at the point, so
 *     the bytes after a label are decoded as the label's code.
 *   - Bytes that do not decode are stepped over one at a time, and each
 *     is tried as the start of an instruction. A 0xf0 byte at such a
 *     position is reported like a lock prefix that decodes: the CPU sees a
 *     lock prefix there too (and faults on what follows it), and skipping
 *     it silently could hide one.
 *
 * What no sweep can see is code reached only through a local label (1:,
 * .L) after data in the same section: the image records no boundary
 * there. Keep data out of text, or put a named label after it.
 *
 * The sweep never goes back more than one instruction (under 15 bytes) per
 * synchronisation point, so the work is linear in the size of the text
 * plus the number of symbols and sites, however they overlap.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "decode.h"
#include "lockscan.h"
#include "program.h"
#include "util.h"

#define LOCK_PREFIX 0xf0

/* An address of a section at which an instruction is known to start. */
struct sync_point {
	size_t section;
	uint64_t address;
};

struct lock_scan {
	const struct elf_file *file;
	const struct site_set *sites;
	struct decoder decoder;
	size_t strays;
};

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

static int sync_point_compare(const void *a, const void *b)
{
	const struct sync_point *x = a, *y = b;

	if (x->section != y->section)
		return x->section < y->section ? -1 : 1;
	return x->address < y->address ? -1 : x->address > y->address;
}

/* Add address if it lies inside executable section index, else nothing. */
static void add_sync_point(const struct elf_file *file, size_t index,
			   uint64_t address, struct sync_point *points,
			   size_t *count)
{
	const struct elf_section *sec = &file->sections[index];

	if (!elf_section_is_text(sec) || address < sec->shdr.sh_addr ||
	    address - sec->shdr.sh_addr >= sec->size)
		return;
	points[*count].section = index;
	points[*count].address = address;
	(*count)++;
}

/*
 * Every symbol's start and end and every site, sorted by section and
 * address: at most two points per symbol and one per site.
 */
static struct sync_point *collect_sync_points(const struct elf_file *file,
					      const struct site_set *sites,
					      size_t *count)
{
	struct sync_point *points;
	size_t i;

	points = xcalloc(2 * file->n_symbols + sites->n_sites + 1,
			 sizeof(*points));
	*count = 0;
	for (i = 0; i < file->n_symbols; i++) {
		const struct elf_symbol *sym = &file->symbols[i];

		if (sym->type == STT_SECTION || sym->type == STT_FILE ||
		    !sym->shndx || sym->shndx >= file->n_sections)
			continue;
		add_sync_point(file, sym->shndx, sym->value, points, count);
		if (sym->size)
			add_sync_point(file, sym->shndx, sym->value + sym->size,
				       points, count);
	}
	for (i = 0; i < sites->n_sites; i++) {
		const struct elf_section *sec =
			elf_file_section_at(file, sites->sites[i].address);

		if (sec)
			add_sync_point(file, sec->index,
				       sites->sites[i].address, points, count);
	}
	qsort(points, *count, sizeof(*points), sync_point_compare);
	return points;
}

/*
 * Check the instruction at address, or the byte there when none decodes;
 * returns where the next one starts.
 */
static uint64_t scan_one(struct lock_scan *scan, const struct elf_section *sec,
			 uint64_t address)
{
	const uint8_t *bytes = sec->data + (address - sec->shdr.sh_addr);
	uint64_t available = sec->shdr.sh_addr + sec->size - address;
	ZydisDecodedInstruction insn;
	int length = decode_insn(&scan->decoder, bytes, available, &insn);
	bool locked = length > 0 ? (insn.attributes & ZYDIS_ATTRIB_HAS_LOCK) :
				   *bytes == LOCK_PREFIX;

	if (locked && !is_lock_site(scan->sites, address)) {
		report_at(scan->file, address,
			  "lock prefix outside a site (write it through the "
			  "atomic helpers)");
		scan->strays++;
	}
	return address + (length > 0 ? (uint64_t)length : 1);
}

/*
 * Sweep one section from its first byte; points are its synchronisation
 * points, sorted. An instruction that ends past a point was decoded from
 * the wrong boundary: the sweep goes back to the point.
 */
static void scan_section(struct lock_scan *scan, const struct elf_section *sec,
			 const struct sync_point *points, size_t n_points)
{
	uint64_t cursor = sec->shdr.sh_addr;
	uint64_t end = sec->shdr.sh_addr + sec->size;
	size_t next = 0;

	/* The section's first byte is a point already: nothing to go back to. */
	while (next < n_points && points[next].address == cursor)
		next++;
	while (cursor < end) {
		cursor = scan_one(scan, sec, cursor);
		for (; next < n_points && points[next].address <= cursor;
		     next++) {
			if (points[next].address < cursor)
				cursor = points[next].address;
		}
	}
}

int check_locks(const char *path)
{
	struct lock_scan scan = { 0 };
	struct sync_point *points;
	struct program program;
	size_t n_points, first = 0, i;

	if (program_load(&program, path)) {
		program_free(&program);
		return -1;
	}
	scan.file = &program.file;
	scan.sites = &program.sites;
	decoder_init(&scan.decoder);
	points = collect_sync_points(&program.file, &program.sites, &n_points);
	for (i = 0; i < program.file.n_sections; i++) {
		size_t last = first;

		while (last < n_points && points[last].section == i)
			last++;
		if (elf_section_is_text(&program.file.sections[i]))
			scan_section(&scan, &program.file.sections[i],
				     points + first, last - first);
		first = last;
	}
	free(points);
	program_free(&program);
	return scan.strays ? -1 : 0;
}
