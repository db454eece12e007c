// SPDX-License-Identifier: MIT
/*
 * The sweep of every executable section that the whole-image checks
 * share (--check-locks, lockscan.c; --check-privileged, privscan.c): each
 * section is decoded with Zydis, one instruction after the other, from its
 * first byte to its last: typed functions, assembly without a function
 * symbol (trap_common), padding and data in text alike, and each
 * instruction is handed to the check. Data and padding can throw the
 * decoder off the real instruction boundaries, so the sweep is pulled
 * back onto them wherever the image says an instruction starts:
 *
 *   - Synchronisation points: every symbol in the section (whatever its
 *     type: an assembly label has none), the end of every sized symbol,
 *     and every recorded site. An instruction that runs over such a point
 *     is checked like any other, then the sweep restarts at the point, so
 *     the bytes after a label are decoded as the label's code.
 *   - Bytes that do not decode are stepped over one at a time, and each
 *     is tried as the start of an instruction (the check sees the byte).
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
#include <string.h>

#include "textscan.h"
#include "util.h"

/* An address of a section at which an instruction is known to start. */
struct sync_point {
	size_t section;
	uint64_t address;
};

/*
 * "ud2; .ascii "xen"" (or "kvm") before an instruction: the prefix that
 * makes Xen (or KVM) emulate what follows, e.g. a PV guest's cpuid. The
 * three letters are a tag the hypervisor reads, never run: decoded, they
 * would read as "js; outsb".
 */
#define FORCED_EMULATION_TAG 3

static bool forced_emulation(const ZydisDecodedInstruction *insn,
			     const uint8_t *bytes, uint64_t available)
{
	const uint8_t *tag = bytes + insn->length;

	return insn->mnemonic == ZYDIS_MNEMONIC_UD2 &&
	       available >= (uint64_t)insn->length + FORCED_EMULATION_TAG &&
	       (!memcmp(tag, "xen", 3) || !memcmp(tag, "kvm", 3));
}

struct text_scan {
	const struct program *program;
	struct decoder decoder;
	text_visit_fn visit;
	void *ctx;
};

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
 * Visit the instruction at address, or the byte there when none decodes;
 * returns where the next one starts.
 */
static uint64_t scan_one(struct text_scan *scan, const struct elf_section *sec,
			 uint64_t address)
{
	const uint8_t *bytes = sec->data + (address - sec->shdr.sh_addr);
	uint64_t available = sec->shdr.sh_addr + sec->size - address;
	ZydisDecodedInstruction insn;
	int length = decode_insn(&scan->decoder, bytes, available, &insn);

	scan->visit(scan->ctx, sec, address, bytes, length > 0 ? &insn : NULL);
	if (length > 0 && forced_emulation(&insn, bytes, available))
		length += FORCED_EMULATION_TAG;
	return address + (length > 0 ? (uint64_t)length : 1);
}

/*
 * Sweep one section from its first byte; points are its synchronisation
 * points, sorted. An instruction that ends past a point was decoded from
 * the wrong boundary: the sweep goes back to the point.
 */
static void scan_section(struct text_scan *scan, const struct elf_section *sec,
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

void text_sweep(const struct program *program, text_visit_fn visit, void *ctx)
{
	const struct elf_file *file = &program->file;
	struct text_scan scan = { .program = program,
				  .visit = visit,
				  .ctx = ctx };
	struct sync_point *points;
	size_t n_points, first = 0, i;

	decoder_init(&scan.decoder);
	points = collect_sync_points(file, &program->sites, &n_points);
	for (i = 0; i < file->n_sections; i++) {
		size_t last = first;

		while (last < n_points && points[last].section == i)
			last++;
		if (elf_section_is_text(&file->sections[i]))
			scan_section(&scan, &file->sections[i], points + first,
				     last - first);
		first = last;
	}
	free(points);
}

const struct site *site_containing(const struct site_set *sites,
				   uint64_t address)
{
	size_t lo = 0, hi = sites->n_sites;

	/* The last site starting at or below address. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sites->sites[mid].address <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	if (address - sites->sites[lo - 1].address >=
	    sites->sites[lo - 1].length)
		return NULL;
	return &sites->sites[lo - 1];
}
