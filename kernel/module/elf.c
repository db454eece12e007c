// SPDX-License-Identifier: MIT
/*
 * Checking a module object before anything of it is used: the ELF
 * header (ELF64, little-endian, ET_REL, x86-64), the section header table
 * and every section's contents inside the file, one symbol table with
 * its string table, the section names, every name printable text.
 * Offsets and sizes are compared against what is left of the file, never
 * added first, so no sum can wrap. Later steps index sections, symbols
 * and strings through what this file checked.
 */
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

#include "module.h"

#define MODULE_MAX_SECTIONS 1024

static int refuse(char *why, const char *fmt, ...) __printf(2, 3);

static int refuse(char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, MODULE_WHY_MAX, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/* [offset, offset + size) lies inside the image. */
static bool inside(const struct module_image *image, uint64_t offset,
		   uint64_t size)
{
	return offset <= image->size && size <= image->size - offset;
}

static int check_header(struct module_image *image, char *why)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)image->data;

	if (image->size < sizeof(*h))
		return refuse(why, "truncated: %zu bytes, an ELF header is 64",
			      image->size);
	if (memcmp(h->e_ident, "\177ELF", 4))
		return refuse(why, "not an ELF file");
	if (h->e_ident[EI_CLASS] != ELFCLASS64 ||
	    h->e_ident[EI_DATA] != ELFDATA2LSB)
		return refuse(why, "not a little-endian ELF64 file");
	if (h->e_type != ET_REL)
		return refuse(why, "not a relocatable object (e_type %u)",
			      h->e_type);
	if (h->e_machine != EM_X86_64)
		return refuse(why, "wrong machine %u, expected x86-64 (%u)",
			      h->e_machine, EM_X86_64);
	if (h->e_shentsize != sizeof(Elf64_Shdr) || !h->e_shnum ||
	    h->e_shnum > MODULE_MAX_SECTIONS ||
	    !inside(image, h->e_shoff,
		    (uint64_t)h->e_shnum * sizeof(Elf64_Shdr)))
		return refuse(why,
			      "truncated or corrupt: section header table "
			      "(offset 0x%llx, %u entries) outside the file "
			      "(%zu bytes)",
			      (unsigned long long)h->e_shoff, h->e_shnum,
			      image->size);
	if (h->e_shoff % 8)
		return refuse(why, "section header table misaligned");
	image->ehdr = h;
	image->sections = (const Elf64_Shdr *)(image->data + h->e_shoff);
	image->n_sections = h->e_shnum;
	return 0;
}

static int check_section(const struct module_image *image, unsigned int i,
			 char *why)
{
	const Elf64_Shdr *s = &image->sections[i];
	uint64_t align = s->sh_addralign;

	if (s->sh_type != SHT_NOBITS &&
	    !inside(image, s->sh_offset, s->sh_size))
		return refuse(why,
			      "truncated or corrupt: section %u (offset "
			      "0x%llx, size 0x%llx) outside the file (%zu "
			      "bytes)",
			      i, (unsigned long long)s->sh_offset,
			      (unsigned long long)s->sh_size, image->size);
	if (align > 4096 || (align & (align - 1)))
		return refuse(why, "section %u: alignment %llu", i,
			      (unsigned long long)align);
	if (s->sh_link >= image->n_sections &&
	    (s->sh_type == SHT_RELA || s->sh_type == SHT_SYMTAB))
		return refuse(why, "section %u: link %u out of range", i,
			      s->sh_link);
	if (s->sh_type == SHT_RELA &&
	    (s->sh_info >= image->n_sections ||
	     s->sh_entsize != sizeof(Elf64_Rela) ||
	     s->sh_size % sizeof(Elf64_Rela) || s->sh_offset % 8))
		return refuse(why, "section %u: malformed relocation section",
			      i);
	return 0;
}

/*
 * A string table: inside the file (checked), NUL-terminated, and text:
 * the names in it are printed in the one line a refusal gets, which a
 * control byte of the object would break.
 */
static int check_string_table(const struct module_image *image, unsigned int i,
			      const char *what, char *why)
{
	const Elf64_Shdr *s = &image->sections[i];
	const uint8_t *p;

	/* Not NOBITS: its offset is inside the file (check_section). */
	if (s->sh_type != SHT_STRTAB || !s->sh_size)
		return refuse(why, "%s: section %u is no string table", what,
			      i);
	p = image->data + s->sh_offset;
	if (p[s->sh_size - 1])
		return refuse(why, "%s: not NUL-terminated", what);
	/* Name by name: each stops at its NUL (the last byte at the latest). */
	for (uint64_t k = 0; k < s->sh_size; k++) {
		k += module_name_span((const char *)p + k, s->sh_size - k);
		if (p[k])
			return refuse(why,
				      "%s: byte 0x%02x at offset %llu is not "
				      "printable",
				      what, p[k], (unsigned long long)k);
	}
	return 0;
}

static int check_symtab(struct module_image *image, char *why)
{
	const Elf64_Shdr *s = NULL;
	unsigned int i;
	int rc;

	for (i = 0; i < image->n_sections; i++) {
		if (image->sections[i].sh_type != SHT_SYMTAB)
			continue;
		if (s)
			return refuse(why, "more than one symbol table");
		s = &image->sections[i];
		image->symtab = i;
	}
	if (!s)
		return refuse(why, "no symbol table");
	if (s->sh_entsize != sizeof(Elf64_Sym) ||
	    s->sh_size % sizeof(Elf64_Sym) || s->sh_offset % 8)
		return refuse(why, "malformed symbol table");
	/* Symbol 0 is the null symbol: every table has it. */
	if (!s->sh_size)
		return refuse(why, "empty symbol table");
	rc = check_string_table(image, s->sh_link, "symbol names", why);
	if (rc)
		return rc;
	image->symbols = (const Elf64_Sym *)(image->data + s->sh_offset);
	image->n_symbols = s->sh_size / sizeof(Elf64_Sym);
	image->strings = (const char *)image->data +
			 image->sections[s->sh_link].sh_offset;
	image->strings_size = image->sections[s->sh_link].sh_size;
	return 0;
}

int module_image_check(struct module_image *image, const void *data,
		       size_t size, char *why)
{
	const Elf64_Shdr *names;
	int rc;

	memset(image, 0, sizeof(*image));
	image->data = data;
	image->size = size;
	rc = check_header(image, why);
	for (unsigned int i = 0; !rc && i < image->n_sections; i++)
		rc = check_section(image, i, why);
	if (rc)
		return rc;
	if (image->ehdr->e_shstrndx >= image->n_sections)
		return refuse(why, "section name table %u out of range",
			      image->ehdr->e_shstrndx);
	rc = check_string_table(image, image->ehdr->e_shstrndx, "section names",
				why);
	if (rc)
		return rc;
	names = &image->sections[image->ehdr->e_shstrndx];
	image->section_names = (const char *)image->data + names->sh_offset;
	image->section_names_size = names->sh_size;
	return check_symtab(image, why);
}

size_t module_name_span(const char *name, size_t max)
{
	size_t n = 0;

	while (n < max && name[n] >= 0x20 && name[n] <= 0x7e)
		n++;
	return n;
}

/* Names are checked when read: an offset past the table gives "?". */
const char *module_section_name(const struct module_image *image,
				unsigned int index)
{
	uint32_t offset = image->sections[index].sh_name;

	return offset < image->section_names_size ?
		       image->section_names + offset :
		       "?";
}

const char *module_symbol_name(const struct module_image *image, size_t index)
{
	uint32_t offset = image->symbols[index].st_name;

	return offset < image->strings_size ? image->strings + offset : "?";
}
