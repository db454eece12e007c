// SPDX-License-Identifier: MIT
/*
 * Writing .rela.relink into a copy of an executable with libelf.
 *
 * The copy is opened ELF_C_RDWR with ELF_F_LAYOUT, so libelf moves nothing
 * on its own: program headers and loadable contents stay byte for byte
 * where the linker put them. Only three things are placed, all past the
 * old end of the file:
 *
 *  1. .shstrtab, moved there and extended with the new section's name
 *     (its old bytes stay behind, unreferenced);
 *  2. .rela.relink;
 *  3. the section header table, one entry longer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "choices.h"
#include "elf.h"
#include "output.h"
#include "rela.h"
#include "sites.h"
#include "util.h"

static Elf64_Rela *build_relas(const struct choice_set *choices,
			       const struct site_set *sites)
{
	Elf64_Rela *relas = xcalloc(sites->n_sites, sizeof(*relas));
	size_t i;

	for (i = 0; i < sites->n_sites; i++) {
		const struct site *s = &sites->sites[i];
		size_t symbol = choices->choices[s->choice].symbol->index;

		relas[i].r_offset = s->address;
		relas[i].r_info =
			ELF64_R_INFO(symbol, RELINK_R_BASE + s->shape);
		relas[i].r_addend = (int64_t)s->ops;
	}
	return relas;
}

static uint64_t align_up(uint64_t x, uint64_t align)
{
	return (x + align - 1) & ~(align - 1);
}

/* Step 1: .shstrtab moves to offset, one name longer; returns the name. */
static int move_names(Elf *elf, uint64_t offset, char **names, size_t *size,
		      size_t *name)
{
	size_t shstrndx;
	Elf_Scn *scn;
	Elf_Data *data;
	GElf_Shdr shdr;

	if (elf_getshdrstrndx(elf, &shstrndx) ||
	    !(scn = elf_getscn(elf, shstrndx)) || !gelf_getshdr(scn, &shdr) ||
	    !(data = elf_getdata(scn, NULL)) || data->d_size != shdr.sh_size)
		return -1;
	*name = data->d_size;
	*size = data->d_size + sizeof(RELA_SECTION_NAME);
	*names = xmalloc(*size);
	memcpy(*names, data->d_buf, data->d_size);
	memcpy(*names + data->d_size, RELA_SECTION_NAME,
	       sizeof(RELA_SECTION_NAME));
	data->d_buf = *names;
	data->d_size = *size;
	shdr.sh_offset = offset;
	shdr.sh_size = *size;
	elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	elf_flagscn(scn, ELF_C_SET, ELF_F_DIRTY);
	return gelf_update_shdr(scn, &shdr) ? 0 : -1;
}

/* Step 2: the new section at offset. */
static int add_rela(Elf *elf, const struct elf_file *file, uint64_t offset,
		    size_t name, Elf64_Rela *relas, size_t count)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *data = scn ? elf_newdata(scn) : NULL;
	GElf_Shdr shdr;

	if (!data || !gelf_getshdr(scn, &shdr))
		return -1;
	data->d_type = ELF_T_RELA;
	data->d_buf = relas;
	data->d_size = count * sizeof(*relas);
	data->d_align = 8;
	data->d_off = 0;
	data->d_version = EV_CURRENT;
	shdr.sh_name = (Elf64_Word)name;
	shdr.sh_type = SHT_RELA;
	shdr.sh_flags = 0;
	shdr.sh_addr = 0;
	shdr.sh_offset = offset;
	shdr.sh_size = data->d_size;
	shdr.sh_link = (Elf64_Word)file->symtab->index;
	shdr.sh_info = 0;
	shdr.sh_addralign = 8;
	shdr.sh_entsize = sizeof(Elf64_Rela);
	return gelf_update_shdr(scn, &shdr) ? 0 : -1;
}

static int append_section(Elf *elf, const struct elf_file *file,
			  Elf64_Rela *relas, size_t count)
{
	uint64_t names_offset = file->file_size, rela_offset;
	size_t names_size, name;
	char *names = NULL;
	GElf_Ehdr ehdr;
	int rc = -1;

	/*
	 * ELF_F_DIRTY as well: without it elfutils writes the section
	 * headers from its array sized for the old count.
	 */
	elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT | ELF_F_DIRTY);
	if (move_names(elf, names_offset, &names, &names_size, &name))
		goto out;
	rela_offset = align_up(names_offset + names_size, 8);
	if (add_rela(elf, file, rela_offset, name, relas, count) ||
	    !gelf_getehdr(elf, &ehdr))
		goto out;
	/* Step 3: the section headers go last. */
	ehdr.e_shoff = align_up(rela_offset + count * sizeof(*relas), 8);
	if (!gelf_update_ehdr(elf, &ehdr) || elf_update(elf, ELF_C_WRITE) < 0)
		goto out;
	rc = 0;
out:
	free(names);
	return rc;
}

int rela_write(const struct elf_file *file, const struct choice_set *choices,
	       const struct site_set *sites, const char *path)
{
	Elf64_Rela *relas = build_relas(choices, sites);
	struct output out;
	struct stat st;
	Elf *elf = NULL;
	int rc = -1;

	if (fstat(file->fd, &st) < 0 ||
	    output_open(&out, path, st.st_mode & 0777)) {
		free(relas);
		return -1;
	}
	if (elf_file_copy(file, out.fd)) {
		report(path, "cannot write: %s", strerror(errno));
		goto out;
	}
	elf = elf_begin(out.fd, ELF_C_RDWR, NULL);
	if (!elf || append_section(elf, file, relas, sites->n_sites)) {
		report(path, "cannot add " RELA_SECTION_NAME ": %s",
		       elf_errmsg(-1));
		goto out;
	}
	rc = 0;
out:
	/* elf_end() before the commit: it may still write. */
	if (elf)
		elf_end(elf);
	free(relas);
	if (rc) {
		output_abort(&out);
		return -1;
	}
	return output_commit(&out);
}
