// SPDX-License-Identifier: MIT
/*
 * Writing the table object with libelf.
 *
 * Besides the table the object carries a global symbol __relink_table at
 * its start, so that an image can find the table without a linker-script
 * symbol (a weak reference resolves to 0 in link 1, where the object is
 * absent, without moving any code), and an empty .note.GNU-stack, so that
 * ld does not infer an executable stack from it. The symbol is hidden:
 * exported (-rdynamic puts every default-visibility symbol in .dynsym,
 * which lies before the code), a symbol new in link 2 once grew .dynsym
 * across a page and moved every site of a host program by 4 KiB.
 */
#include <string.h>

#include <gelf.h>

#include "object.h"
#include "output.h"
#include "program.h"
#include "table.h"
#include "util.h"

enum {
	SEC_TABLE = 1,
	SEC_NOTE,
	SEC_SYMTAB,
	SEC_STRTAB,
	SEC_SHSTRTAB,
};

/* Section names, each at a fixed offset into this string table. */
static const char section_names[] =
	"\0.relink.table\0.note.GNU-stack\0.symtab\0.strtab\0.shstrtab";
static const size_t name_offsets[] = {
	[SEC_TABLE] = 1,   [SEC_NOTE] = 15,	[SEC_SYMTAB] = 31,
	[SEC_STRTAB] = 39, [SEC_SHSTRTAB] = 47,
};
static const char symbol_names[] = "\0__relink_table";

struct section_spec {
	Elf64_Word type;
	Elf64_Xword flags;
	Elf64_Xword align;
	Elf64_Xword entsize;
	Elf64_Word link;
	Elf64_Word info;
	Elf_Type data_type;
	void *data;
	size_t size;
};

static int add_section(Elf *elf, size_t index, const struct section_spec *spec)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *data = scn ? elf_newdata(scn) : NULL;
	GElf_Shdr shdr;

	if (!data || !gelf_getshdr(scn, &shdr))
		return -1;
	data->d_type = spec->data_type;
	data->d_buf = spec->data;
	data->d_size = spec->size;
	data->d_align = spec->align;
	data->d_version = EV_CURRENT;
	shdr.sh_name = name_offsets[index];
	shdr.sh_type = spec->type;
	shdr.sh_flags = spec->flags;
	shdr.sh_addralign = spec->align;
	shdr.sh_entsize = spec->entsize;
	shdr.sh_link = spec->link;
	shdr.sh_info = spec->info;
	return gelf_update_shdr(scn, &shdr) ? 0 : -1;
}

static int write_header(Elf *elf)
{
	GElf_Ehdr ehdr;

	if (!gelf_newehdr(elf, ELFCLASS64) || !gelf_getehdr(elf, &ehdr))
		return -1;
	ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
	ehdr.e_type = ET_REL;
	ehdr.e_machine = EM_X86_64;
	ehdr.e_version = EV_CURRENT;
	ehdr.e_shstrndx = SEC_SHSTRTAB;
	return gelf_update_ehdr(elf, &ehdr) ? 0 : -1;
}

static int write_object(Elf *elf, const struct table_image *table)
{
	Elf64_Sym symbols[3];
	const struct section_spec specs[] = {
		[SEC_TABLE] = { SHT_PROGBITS, SHF_ALLOC, 8, 0, 0, 0, ELF_T_BYTE,
				table->data, table->size },
		[SEC_NOTE] = { SHT_PROGBITS, 0, 1, 0, 0, 0, ELF_T_BYTE, NULL,
			       0 },
		/* sh_info: the index of the first global symbol. */
		[SEC_SYMTAB] = { SHT_SYMTAB, 0, 8, sizeof(Elf64_Sym),
				 SEC_STRTAB, 2, ELF_T_SYM, symbols,
				 sizeof(symbols) },
		[SEC_STRTAB] = { SHT_STRTAB, 0, 1, 0, 0, 0, ELF_T_BYTE,
				 (void *)symbol_names, sizeof(symbol_names) },
		[SEC_SHSTRTAB] = { SHT_STRTAB, 0, 1, 0, 0, 0, ELF_T_BYTE,
				   (void *)section_names,
				   sizeof(section_names) },
	};
	size_t i;

	memset(symbols, 0, sizeof(symbols));
	symbols[1].st_info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION);
	symbols[1].st_shndx = SEC_TABLE;
	symbols[2].st_name = 1;
	symbols[2].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT);
	symbols[2].st_other = STV_HIDDEN;
	symbols[2].st_shndx = SEC_TABLE;
	symbols[2].st_size = table->size;
	if (write_header(elf))
		return -1;
	for (i = SEC_TABLE; i <= SEC_SHSTRTAB; i++)
		if (add_section(elf, i, &specs[i]))
			return -1;
	return elf_update(elf, ELF_C_WRITE) < 0 ? -1 : 0;
}

int object_write_table(const char *path, const struct table_image *table)
{
	struct output out;
	Elf *elf;
	int rc;

	if (output_open(&out, path, 0666))
		return -1;
	elf = elf_begin(out.fd, ELF_C_WRITE, NULL);
	rc = elf ? write_object(elf, table) : -1;
	if (rc)
		report(path, "cannot write the table object: %s",
		       elf_errmsg(-1));
	if (elf)
		elf_end(elf);
	if (rc) {
		output_abort(&out);
		return -1;
	}
	return output_commit(&out);
}

int object_from_image(const char *out, const char *link1)
{
	struct program program;
	int rc;

	/* Before the work: a device or FIFO as output is refused at once. */
	if (output_check(out))
		return -1;
	rc = program_load(&program, link1);
	if (!rc)
		rc = object_write_table(out, &program.table);
	program_free(&program);
	return rc;
}
