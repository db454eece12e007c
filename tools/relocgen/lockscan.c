// SPDX-License-Identifier: MIT
/*
 * relocgen --check-locks FILE: every lock prefix in the image's executable
 * sections must be a site. The kernel writes each one through
 * <kernel/atomic.h>, which records it; a lock prefix written anywhere else
 * would stay a lock when the engine turns the others into DS prefixes, and
 * worse, stay a DS prefix when they turn back. A module's (--kernel
 * KERNEL.elf with its trial link) is held to the same rule: its lock
 * prefixes are sites of smp.lock like the kernel's.
 *
 * The sweep (textscan.c) sees every instruction and every byte that does
 * not decode. A 0xf0 byte that does not decode is reported like a lock
 * prefix that does: the CPU sees a lock prefix there too (and faults on
 * what follows it), and skipping it silently could hide one.
 */
#include "lockscan.h"
#include "textscan.h"
#include "util.h"

#define LOCK_PREFIX 0xf0

struct lock_scan {
	const struct program *program;
	size_t strays;
};

static void check_one(void *ctx, const struct elf_section *sec,
		      uint64_t address, const uint8_t *bytes,
		      const ZydisDecodedInstruction *insn)
{
	struct lock_scan *scan = ctx;
	const struct site *site;
	bool locked = insn ? (insn->attributes & ZYDIS_ATTRIB_HAS_LOCK) :
			     *bytes == LOCK_PREFIX;

	(void)sec;
	if (!locked)
		return;
	site = site_containing(&scan->program->sites, address);
	if (site && site->address == address &&
	    site->shape == RELINK_SHAPE_LOCK)
		return;
	report_at(&scan->program->file, address,
		  "lock prefix outside a site (write it through the atomic "
		  "helpers)");
	scan->strays++;
}

int check_locks(const char *kernel, const char *path)
{
	struct program program;
	struct lock_scan scan = { .program = &program };

	if (program_load_for(&program, kernel, path)) {
		program_free(&program);
		return -1;
	}
	text_sweep(&program, check_one, &scan);
	program_free(&program);
	return scan.strays ? -1 : 0;
}
