// SPDX-License-Identifier: MIT
/*
 * libelf access for relocgen: opening and checking an input file, its
 * section and symbol tables, address lookups and symbol+offset names.
 *
 * Every bound is checked here, once, against the size of the file, so the
 * rest of relocgen indexes section contents without re-checking. Files are
 * read with ELF_C_READ, not ELF_C_READ_MMAP: with a mapping, libelf itself
 * faults (SIGBUS) on some headers that point past the end of the file
 * before any check of ours can run; reading reports an error instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf.h"
#include "util.h"

static int open_file(struct elf_file *file)
{
	struct stat st;

	/*
	 * O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer, forever, before fstat() could tell what it is. For a
	 * regular file the flag changes nothing.
	 */
	file->fd = open(file->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (file->fd < 0) {
		report(file->path, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(file->fd, &st) < 0) {
		report(file->path, "cannot stat: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		report(file->path, "is %s: the input must be a regular file",
		       file_type_name(st.st_mode));
		return -1;
	}
	file->file_size = (uint64_t)st.st_size;
	file->elf = elf_begin(file->fd, ELF_C_READ, NULL);
	if (!file->elf && file->file_size < sizeof(Elf64_Ehdr)) {
		report(file->path,
		       "truncated ELF header (file size %" PRIu64 ")",
		       file->file_size);
		return -1;
	}
	if (!file->elf) {
		report(file->path, "cannot read: %s", elf_errmsg(-1));
		return -1;
	}
	return 0;
}

/* The table at [offset, offset + count * entry) must lie inside the file. */
static bool fits_in_file(const struct elf_file *file, uint64_t offset,
			 uint64_t count, uint64_t entry)
{
	if (offset > file->file_size)
		return false;
	if (entry && count > (file->file_size - offset) / entry)
		return false;
	return true;
}

static int check_ident(struct elf_file *file)
{
	const char *ident;
	size_t n;

	ident = elf_getident(file->elf, &n);
	if (elf_kind(file->elf) != ELF_K_ELF || !ident || n < EI_NIDENT ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0) {
		/* libelf does not call a file shorter than a header ELF. */
		ident = elf_rawfile(file->elf, &n);
		if (ident && n >= SELFMAG && !memcmp(ident, ELFMAG, SELFMAG))
			report(file->path,
			       "truncated ELF header (file size %" PRIu64 ")",
			       file->file_size);
		else
			report(file->path, "not an ELF file");
		return -1;
	}
	if (ident[EI_CLASS] != ELFCLASS64) {
		report(file->path, "not an ELF64 file (class %u)",
		       (unsigned char)ident[EI_CLASS]);
		return -1;
	}
	if (file->file_size < sizeof(Elf64_Ehdr)) {
		report(file->path,
		       "truncated ELF header (file size %" PRIu64 ")",
		       file->file_size);
		return -1;
	}
	if (ident[EI_DATA] != ELFDATA2LSB) {
		report(file->path, "not a little-endian ELF file");
		return -1;
	}
	return 0;
}

static int check_header(struct elf_file *file)
{
	GElf_Ehdr *e = &file->ehdr;

	if (check_ident(file))
		return -1;
	if (!gelf_getehdr(file->elf, e)) {
		report(file->path, "cannot read the ELF header: %s",
		       elf_errmsg(-1));
		return -1;
	}
	if (e->e_machine != EM_X86_64) {
		report(file->path, "not an x86-64 ELF file (e_machine %u)",
		       e->e_machine);
		return -1;
	}
	if (!e->e_shoff) {
		report(file->path, "no section header table");
		return -1;
	}
	if (e->e_shentsize != sizeof(Elf64_Shdr) ||
	    (e->e_phnum && e->e_phentsize != sizeof(Elf64_Phdr))) {
		report(file->path, "unexpected header entry sizes");
		return -1;
	}
	/* e_shnum == 0 means extended numbering: entry 0 holds the count. */
	if (!fits_in_file(file, e->e_shoff, e->e_shnum ? e->e_shnum : 1,
			  sizeof(Elf64_Shdr))) {
		report(file->path,
		       "section header table (offset 0x%" PRIx64
		       ", %u entries) past the end of the file (size 0x%" PRIx64
		       ")",
		       e->e_shoff, e->e_shnum, file->file_size);
		return -1;
	}
	if (!fits_in_file(file, e->e_phoff, e->e_phnum, sizeof(Elf64_Phdr))) {
		report(file->path,
		       "program header table past the end of the file");
		return -1;
	}
	return 0;
}

/* Which sections relocgen reads the contents of. */
static bool wants_data(const GElf_Shdr *shdr)
{
	switch (shdr->sh_type) {
	case SHT_PROGBITS:
		return (shdr->sh_flags & SHF_ALLOC) != 0;
	case SHT_SYMTAB:
	case SHT_STRTAB:
	case SHT_RELA:
		return true;
	}
	return false;
}

static int load_section_data(struct elf_file *file, struct elf_section *s)
{
	Elf_Data *data;

	if (!wants_data(&s->shdr) || !s->shdr.sh_size)
		return 0;
	data = elf_getdata(s->scn, NULL);
	if (!data || (data->d_size && !data->d_buf)) {
		report(file->path, "section %s: cannot read: %s", s->name,
		       elf_errmsg(-1));
		return -1;
	}
	if (data->d_size != s->shdr.sh_size) {
		report(file->path, "section %s: size mismatch", s->name);
		return -1;
	}
	s->data = data->d_buf;
	s->size = data->d_size;
	return 0;
}

static int load_section(struct elf_file *file, size_t shstrndx, size_t i)
{
	struct elf_section *s = &file->sections[i];

	s->index = i;
	s->scn = elf_getscn(file->elf, i);
	if (!s->scn || !gelf_getshdr(s->scn, &s->shdr)) {
		report(file->path, "section %zu: cannot read its header: %s", i,
		       elf_errmsg(-1));
		return -1;
	}
	s->name = elf_strptr(file->elf, shstrndx, s->shdr.sh_name);
	if (!s->name) {
		report(file->path, "section %zu: bad name offset %u", i,
		       s->shdr.sh_name);
		return -1;
	}
	if (s->shdr.sh_type != SHT_NOBITS &&
	    !fits_in_file(file, s->shdr.sh_offset, s->shdr.sh_size, 1)) {
		report(file->path,
		       "section %s: contents (offset 0x%" PRIx64
		       ", size 0x%" PRIx64
		       ") past the end of the file (size 0x%" PRIx64 ")",
		       s->name, s->shdr.sh_offset, s->shdr.sh_size,
		       file->file_size);
		return -1;
	}
	return 0;
}

static int load_sections(struct elf_file *file)
{
	size_t n, shstrndx, i;

	if (elf_getshdrnum(file->elf, &n) ||
	    elf_getshdrstrndx(file->elf, &shstrndx)) {
		report(file->path, "cannot read the section headers: %s",
		       elf_errmsg(-1));
		return -1;
	}
	if (!fits_in_file(file, file->ehdr.e_shoff, n, sizeof(Elf64_Shdr)) ||
	    shstrndx >= n) {
		report(file->path, "bad section header table (%zu sections)",
		       n);
		return -1;
	}
	file->n_sections = n;
	file->sections = xcalloc(n, sizeof(*file->sections));
	/* Check every header before reading any contents. */
	for (i = 0; i < n; i++)
		if (load_section(file, shstrndx, i))
			return -1;
	for (i = 0; i < n; i++)
		if (load_section_data(file, &file->sections[i]))
			return -1;
	return 0;
}

static int find_symtab(struct elf_file *file, const struct elf_section **strtab)
{
	const struct elf_section *symtab = NULL, *s;
	size_t i;

	for (i = 0; i < file->n_sections; i++)
		if (file->sections[i].shdr.sh_type == SHT_SYMTAB)
			symtab = &file->sections[i];
	if (!symtab) {
		report(file->path, "no .symtab section (stripped?)");
		return -1;
	}
	if (symtab->shdr.sh_entsize != sizeof(Elf64_Sym) ||
	    symtab->size % sizeof(Elf64_Sym) ||
	    symtab->shdr.sh_link >= file->n_sections) {
		report(file->path, "malformed .symtab section");
		return -1;
	}
	s = &file->sections[symtab->shdr.sh_link];
	if (s->shdr.sh_type != SHT_STRTAB || !s->size ||
	    s->data[s->size - 1] != '\0') {
		report(file->path, "malformed string table for .symtab");
		return -1;
	}
	file->symtab = (struct elf_section *)symtab;
	*strtab = s;
	return 0;
}

static int load_symbols(struct elf_file *file)
{
	const struct elf_section *strtab;
	const Elf64_Sym *syms;
	size_t i;

	if (find_symtab(file, &strtab))
		return -1;
	syms = (const Elf64_Sym *)file->symtab->data;
	file->n_symbols = file->symtab->size / sizeof(Elf64_Sym);
	file->symbols = xcalloc(file->n_symbols, sizeof(*file->symbols));
	for (i = 0; i < file->n_symbols; i++) {
		struct elf_symbol *sym = &file->symbols[i];

		if (syms[i].st_name >= strtab->size) {
			report(file->path, "symbol %zu: bad name offset", i);
			return -1;
		}
		sym->name = (const char *)strtab->data + syms[i].st_name;
		sym->value = syms[i].st_value;
		sym->size = syms[i].st_size;
		sym->index = i;
		sym->type = ELF64_ST_TYPE(syms[i].st_info);
		sym->bind = ELF64_ST_BIND(syms[i].st_info);
		sym->shndx = syms[i].st_shndx;
	}
	return 0;
}

static int compare_sections(const void *a, const void *b)
{
	const struct elf_section *x = *(const struct elf_section *const *)a;
	const struct elf_section *y = *(const struct elf_section *const *)b;

	if (x->shdr.sh_addr != y->shdr.sh_addr)
		return x->shdr.sh_addr < y->shdr.sh_addr ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void index_sections(struct elf_file *file)
{
	size_t i;

	file->allocated = xcalloc(file->n_sections, sizeof(*file->allocated));
	for (i = 0; i < file->n_sections; i++) {
		const struct elf_section *s = &file->sections[i];

		/* TLS sections overlap ordinary ones: they are templates. */
		if ((s->shdr.sh_flags & SHF_ALLOC) && s->shdr.sh_size &&
		    !(s->shdr.sh_flags & SHF_TLS))
			file->allocated[file->n_allocated++] = s;
	}
	qsort(file->allocated, file->n_allocated, sizeof(*file->allocated),
	      compare_sections);
}

/* Higher rank wins when two symbols share an address. */
static int symbol_rank(const struct elf_symbol *s)
{
	int type = s->type == STT_FUNC ? 2 : s->type == STT_OBJECT ? 1 : 0;
	int bind = s->bind == STB_GLOBAL ? 2 : s->bind == STB_WEAK ? 1 : 0;

	return type * 4 + bind;
}

static int compare_symbols(const void *a, const void *b)
{
	const struct elf_symbol *x = *(const struct elf_symbol *const *)a;
	const struct elf_symbol *y = *(const struct elf_symbol *const *)b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (symbol_rank(x) != symbol_rank(y))
		return symbol_rank(x) - symbol_rank(y);
	/* Sorted last wins: the alphabetically first name. */
	return strcmp(y->name, x->name);
}

static bool names_a_place(const struct elf_file *file,
			  const struct elf_symbol *s)
{
	if (!s->name[0] || s->shndx == SHN_UNDEF ||
	    s->shndx >= file->n_sections)
		return false;
	if (s->type != STT_FUNC && s->type != STT_OBJECT &&
	    s->type != STT_NOTYPE)
		return false;
	if (!(file->sections[s->shndx].shdr.sh_flags & SHF_ALLOC))
		return false;
	return strncmp(s->name, ".L", 2) != 0 && s->name[0] != '$';
}

static void index_symbols(struct elf_file *file)
{
	size_t i;

	file->by_address = xcalloc(file->n_symbols, sizeof(*file->by_address));
	for (i = 0; i < file->n_symbols; i++)
		if (names_a_place(file, &file->symbols[i]))
			file->by_address[file->n_by_address++] =
				&file->symbols[i];
	qsort(file->by_address, file->n_by_address, sizeof(*file->by_address),
	      compare_symbols);
}

int elf_file_open(struct elf_file *file, const char *path)
{
	memset(file, 0, sizeof(*file));
	file->path = path;
	file->fd = -1;
	if (open_file(file) || check_header(file) || load_sections(file) ||
	    load_symbols(file))
		return -1;
	index_sections(file);
	index_symbols(file);
	return 0;
}

void elf_file_close(struct elf_file *file)
{
	free(file->by_address);
	free(file->allocated);
	free(file->symbols);
	free(file->sections);
	if (file->elf)
		elf_end(file->elf);
	if (file->fd >= 0)
		close(file->fd);
	memset(file, 0, sizeof(*file));
	file->fd = -1;
}

const struct elf_section *elf_file_section_by_name(const struct elf_file *file,
						   const char *name)
{
	size_t i;

	for (i = 0; i < file->n_sections; i++)
		if (!strcmp(file->sections[i].name, name))
			return &file->sections[i];
	return NULL;
}

const struct elf_section *elf_file_section_at(const struct elf_file *file,
					      uint64_t address)
{
	size_t lo = 0, hi = file->n_allocated;
	const struct elf_section *s;

	/* Find the last section starting at or below address. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (file->allocated[mid]->shdr.sh_addr <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = file->allocated[lo - 1];
	if (address - s->shdr.sh_addr >= s->shdr.sh_size)
		return NULL;
	return s;
}

const uint8_t *elf_file_bytes_at(const struct elf_file *file, uint64_t address,
				 uint64_t size)
{
	const struct elf_section *s = elf_file_section_at(file, address);
	uint64_t offset;

	if (!s || s->shdr.sh_type != SHT_PROGBITS || !s->data)
		return NULL;
	offset = address - s->shdr.sh_addr;
	if (size > s->size - offset)
		return NULL;
	return s->data + offset;
}

const char *elf_file_string_at(const struct elf_file *file, uint64_t address)
{
	const struct elf_section *s = elf_file_section_at(file, address);
	uint64_t offset;

	if (!s || s->shdr.sh_type != SHT_PROGBITS || !s->data)
		return NULL;
	offset = address - s->shdr.sh_addr;
	if (!memchr(s->data + offset, '\0', s->size - offset))
		return NULL;
	return (const char *)s->data + offset;
}

/* The index of the last symbol in by_address at or below address, or -1. */
static ptrdiff_t last_symbol_at_or_below(const struct elf_file *file,
					 uint64_t address)
{
	size_t lo = 0, hi = file->n_by_address;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (file->by_address[mid]->value <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (ptrdiff_t)lo - 1;
}

int elf_file_copy(const struct elf_file *file, int to)
{
	static char buf[1 << 16];
	off_t offset = 0;
	ssize_t n;

	while ((n = pread(file->fd, buf, sizeof(buf), offset)) > 0) {
		if (write(to, buf, (size_t)n) != n)
			return -1;
		offset += n;
	}
	return n < 0 ? -1 : 0;
}

void elf_file_symbolize(const struct elf_file *file, uint64_t address,
			char *buf, size_t size)
{
	const struct elf_section *s = elf_file_section_at(file, address);
	ptrdiff_t i;

	if (!s) {
		snprintf(buf, size, "0x%" PRIx64, address);
		return;
	}
	/* Sections do not overlap: walk back only within this one. */
	for (i = last_symbol_at_or_below(file, address);
	     i >= 0 && file->by_address[i]->value >= s->shdr.sh_addr; i--) {
		const struct elf_symbol *sym = file->by_address[i];

		if (sym->shndx == s->index) {
			snprintf(buf, size, "%s+0x%" PRIx64, sym->name,
				 address - sym->value);
			return;
		}
	}
	snprintf(buf, size, "%s+0x%" PRIx64, s->name,
		 address - s->shdr.sh_addr);
}

const struct elf_symbol *elf_file_symbol_by_name(const struct elf_file *file,
						 const char *name)
{
	const struct elf_symbol *found = NULL;
	size_t i;

	for (i = 1; i < file->n_symbols; i++) {
		const struct elf_symbol *s = &file->symbols[i];

		if (strcmp(s->name, name) || s->shndx == SHN_UNDEF)
			continue;
		if (!found ||
		    (s->bind == STB_GLOBAL && found->bind != STB_GLOBAL))
			found = s;
	}
	return found;
}

static int section_region(const struct elf_file *file,
			  const struct elf_section *s,
			  struct elf_region *region)
{
	if (s->shdr.sh_size && (s->shdr.sh_type != SHT_PROGBITS || !s->data)) {
		report(file->path, "section %s: not allocated PROGBITS data",
		       s->name);
		return -1;
	}
	region->section = s->shdr.sh_size ? s : NULL;
	region->address = s->shdr.sh_addr;
	region->data = s->data;
	region->size = s->size;
	return 0;
}

int elf_file_region(const struct elf_file *file, const char *name,
		    const char *start, const char *end,
		    struct elf_region *region)
{
	const struct elf_section *s = elf_file_section_by_name(file, name);
	const struct elf_symbol *first, *last;

	memset(region, 0, sizeof(*region));
	if (s)
		return section_region(file, s, region);
	if (!start)
		return 1;
	first = elf_file_symbol_by_name(file, start);
	last = elf_file_symbol_by_name(file, end);
	if (!first || !last)
		return 1;
	region->address = first->value;
	region->size = last->value - first->value;
	if (!region->size && first->value <= last->value)
		return 0;
	region->data = elf_file_bytes_at(file, first->value, region->size);
	if (last->value < first->value || !region->data) {
		report(file->path,
		       "%s (0x%" PRIx64 ") to %s (0x%" PRIx64
		       ") is not data inside one section",
		       start, first->value, end, last->value);
		return -1;
	}
	region->section = elf_file_section_at(file, first->value);
	return 0;
}
