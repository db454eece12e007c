// SPDX-License-Identifier: MIT
/*
 * relocgen --check-isolated SECTION FILE: the code of SECTION runs at
 * moments when any site may be half written (the NMI path, .text.nmi: an
 * NMI can arrive on a CPU stopped in stop_machine while the engine writes),
 * so it must be closed over itself:
 *
 *   - no site lies in it;
 *   - every call and jump in it goes to an address in it: a relative one
 *     is followed, an indirect one cannot be and is an error.
 *
 * The section holds only code written for it (an assembly stub and C
 * functions placed there by attribute), so it is decoded from its first
 * byte to its last; a byte that does not decode is an error too.
 */
#include <string.h>

#include "decode.h"
#include "isolate.h"
#include "program.h"
#include "util.h"

static const struct elf_section *find_section(const struct elf_file *file,
					      const char *name)
{
	for (size_t i = 0; i < file->n_sections; i++)
		if (!strcmp(file->sections[i].name, name) &&
		    elf_section_is_text(&file->sections[i]))
			return &file->sections[i];
	return NULL;
}

static bool inside(const struct elf_section *sec, uint64_t address)
{
	return address >= sec->shdr.sh_addr &&
	       address < sec->shdr.sh_addr + sec->size;
}

static size_t check_sites(const struct program *p,
			  const struct elf_section *sec)
{
	size_t errors = 0;

	for (size_t i = 0; i < p->sites.n_sites; i++) {
		if (!inside(sec, p->sites.sites[i].address))
			continue;
		report_at(&p->file, p->sites.sites[i].address,
			  "a site in %s, which must never be rewritten",
			  sec->name);
		errors++;
	}
	return errors;
}

/* One instruction: 0, or 1 after reporting a way out of the section. */
static size_t check_branch(const struct elf_file *file,
			   const struct elf_section *sec, uint64_t address,
			   const ZydisDecodedInstruction *insn)
{
	uint64_t target;

	if (insn->meta.category != ZYDIS_CATEGORY_CALL &&
	    insn->meta.category != ZYDIS_CATEGORY_UNCOND_BR &&
	    insn->meta.category != ZYDIS_CATEGORY_COND_BR)
		return 0;
	if (!insn->raw.imm[0].is_relative) {
		report_at(file, address,
			  "an indirect call or jump in %s: where it goes "
			  "cannot be checked",
			  sec->name);
		return 1;
	}
	target = address + insn->length + (uint64_t)insn->raw.imm[0].value.s;
	if (inside(sec, target))
		return 0;
	report_at(file, address, "a call or jump out of %s (to 0x%llx)",
		  sec->name, (unsigned long long)target);
	return 1;
}

static size_t check_code(const struct elf_file *file,
			 const struct elf_section *sec)
{
	struct decoder decoder;
	uint64_t address = sec->shdr.sh_addr;
	size_t errors = 0;

	decoder_init(&decoder);
	while (address < sec->shdr.sh_addr + sec->size) {
		uint64_t offset = address - sec->shdr.sh_addr;
		ZydisDecodedInstruction insn;
		int length = decode_insn(&decoder, sec->data + offset,
					 sec->size - offset, &insn);

		if (length < 0) {
			report_at(file, address, "no instruction decodes in %s",
				  sec->name);
			return errors + 1;
		}
		errors += check_branch(file, sec, address, &insn);
		address += (unsigned)length;
	}
	return errors;
}

int check_isolated(const char *path, const char *section)
{
	const struct elf_section *sec;
	struct program program;
	size_t errors = 1;

	if (program_load(&program, path)) {
		program_free(&program);
		return -1;
	}
	sec = find_section(&program.file, section);
	if (!sec || !sec->data)
		report(path, "no executable section %s", section);
	else
		errors = check_sites(&program, sec) +
			 check_code(&program.file, sec);
	program_free(&program);
	return errors ? -1 : 0;
}
