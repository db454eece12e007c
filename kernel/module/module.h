/* SPDX-License-Identifier: MIT */
/*
 * Private to kernel/module/: a module as the loader builds it, and the
 * steps of a load in order -- check the object (elf.c), lay out and map
 * its sections (layout.c), resolve its symbols and apply its relocations,
 * the private ones going to the engine (relocate.c) -- which module.c
 * runs, and the commands and files that show the result.
 */
#ifndef KERNEL_MODULE_PRIVATE_H
#define KERNEL_MODULE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/elf64.h>
#include <relink/engine.h>

#define MODULE_NAME_MAX 32
#define MODULE_WHY_MAX 160
#define MODULE_SLOT_SIZE 0x100000 /* the most one module takes */
#define MODULE_SLOTS (MODULE_SIZE / MODULE_SLOT_SIZE)

/* The object, checked: every header, table and string inside image. */
struct module_image {
	const uint8_t *data;
	size_t size;
	const Elf64_Ehdr *ehdr;
	const Elf64_Shdr *sections;
	unsigned int n_sections;
	const char *section_names; /* .shstrtab */
	size_t section_names_size;
	unsigned int symtab; /* section index */
	const Elf64_Sym *symbols;
	size_t n_symbols;
	const char *strings; /* .strtab of .symtab */
	size_t strings_size;
};

struct module {
	char name[MODULE_NAME_MAX];
	struct module_image image;
	unsigned int slot;
	uint64_t base; /* of the slot: text, then rodata, then data */
	size_t text_pages, rodata_pages, data_pages;
	void *pages; /* the frames, through the direct map */
	size_t n_pages, mapped_pages;
	uint64_t *section_address; /* per section; 0: not loaded */
	uint64_t *symbol_value; /* per symbol, resolved */
	struct relink_module sites; /* the engine's record */
	bool sites_added;
	uint32_t choice_files; /* choice/<name> files made, of its choices */
	uint32_t n_relocations; /* standard ones applied */
	int (*init)(void);
	void (*exit)(void);
	struct module *next;
};

/* elf.c: 0, or -ENOEXEC with the reason in why. */
int module_image_check(struct module_image *image, const void *data,
		       size_t size, char *why);
const char *module_section_name(const struct module_image *image,
				unsigned int index);
/* How many of name's first max bytes are printable: a name is only these. */
size_t module_name_span(const char *name, size_t max);
const char *module_symbol_name(const struct module_image *image, size_t index);

/* layout.c: allocate, map writable, copy; then the final rights. */
int module_layout(struct module *mod, char *why);
int module_protect(struct module *mod, char *why);
void module_unmap(struct module *mod);

/* relocate.c: symbols, then every relocation; sites to the engine. */
int module_resolve(struct module *mod, char *why);
int module_relocate(struct module *mod, char *why);

#endif /* KERNEL_MODULE_PRIVATE_H */
