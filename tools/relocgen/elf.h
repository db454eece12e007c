/* SPDX-License-Identifier: MIT */
/*
 * Read-only access to one ELF64 x86-64 file through libelf: its sections,
 * its symbol table, and the bytes and strings at a link address. Opening a
 * file checks every structural fact the rest of relocgen relies on (class,
 * machine, section contents inside the file, a usable .symtab), so later
 * code can index the section and symbol arrays without re-checking.
 */
#ifndef RELOCGEN_ELF_H
#define RELOCGEN_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_section {
	size_t index;
	const char *name;
	GElf_Shdr shdr;
	Elf_Scn *scn;
	const uint8_t *data; /* contents in memory, NULL when not loaded */
	size_t size; /* bytes at data */
};

struct elf_symbol {
	const char *name;
	uint64_t value;
	uint64_t size;
	size_t index;
	unsigned char type;
	unsigned char bind;
	uint16_t shndx;
};

struct elf_file {
	const char *path;
	int fd;
	Elf *elf;
	uint64_t file_size;
	GElf_Ehdr ehdr;
	size_t n_sections;
	struct elf_section *sections;
	struct elf_section *symtab;
	size_t n_symbols;
	struct elf_symbol *symbols; /* in .symtab order */
	/* Named, defined symbols sorted by address, for symbol+offset. */
	size_t n_by_address;
	const struct elf_symbol **by_address;
	/* Allocated sections with a non-zero size, sorted by address. */
	size_t n_allocated;
	const struct elf_section **allocated;
};

/*
 * elf_file_open() - open and check an ELF64 x86-64 file with a .symtab.
 * Only a regular file is read: a FIFO, device or directory is refused
 * without blocking. Returns 0, or -1 after reporting what is wrong. The file stays open until
 * elf_file_close(), which is safe on a file that failed to open.
 */
int elf_file_open(struct elf_file *file, const char *path);
void elf_file_close(struct elf_file *file);

const struct elf_section *elf_file_section_by_name(const struct elf_file *file,
						   const char *name);

/* The allocated section that contains address, or NULL. */
const struct elf_section *elf_file_section_at(const struct elf_file *file,
					      uint64_t address);

/*
 * elf_file_bytes_at() - the size bytes at a link address, all inside one
 * allocated section with contents (not NOBITS), or NULL.
 */
const uint8_t *elf_file_bytes_at(const struct elf_file *file, uint64_t address,
				 uint64_t size);

/* A NUL-terminated string at a link address inside one section, or NULL. */
const char *elf_file_string_at(const struct elf_file *file, uint64_t address);

/* Allocated, executable, and with contents relocgen has read. */
static inline bool elf_section_is_text(const struct elf_section *section)
{
	return section && (section->shdr.sh_flags & SHF_ALLOC) &&
	       (section->shdr.sh_flags & SHF_EXECINSTR) && section->data;
}

/* elf_file_copy() - the file's bytes as read, to fd to: 0 or -1 (errno). */
int elf_file_copy(const struct elf_file *file, int to);

/*
 * elf_file_symbolize() - "symbol+0xoff" for an address: the closest symbol
 * at or below it in the same section, else "section+0xoff", else the bare
 * address.
 */
void elf_file_symbolize(const struct elf_file *file, uint64_t address,
			char *buf, size_t size);

/*
 * A region of an image: an output section of its own, or the bytes that a
 * linker script gathered into a bigger output section between two symbols
 * (scripts/kernel.ld puts .relink.choices inside .rodata between
 * __relink_choices_start and __relink_choices_end).
 */
struct elf_region {
	const struct elf_section *section; /* holding it; NULL when empty */
	uint64_t address;
	const uint8_t *data;
	size_t size;
};

/*
 * elf_file_region() - find the region of output section name, else the one
 * between symbols start and end (NULL: the section only). Returns 0, 1
 * when there is neither, or -1
 * after reporting a malformed one (not PROGBITS, outside its section).
 */
int elf_file_region(const struct elf_file *file, const char *name,
		    const char *start, const char *end,
		    struct elf_region *region);

static inline bool elf_region_contains(const struct elf_region *region,
				       uint64_t address)
{
	return address - region->address < region->size;
}

/* The symbol named name, preferring a global one, or NULL. */
const struct elf_symbol *elf_file_symbol_by_name(const struct elf_file *file,
						 const char *name);

#endif /* RELOCGEN_ELF_H */
