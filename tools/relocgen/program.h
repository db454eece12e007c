/* SPDX-License-Identifier: MIT */
/*
 * A linked image with everything relocgen derives from it: its choices,
 * its sites (validated), and the table built from them.
 */
#ifndef RELOCGEN_PROGRAM_H
#define RELOCGEN_PROGRAM_H

#include "choices.h"
#include "elf.h"
#include "sites.h"
#include "table.h"

struct program {
	struct elf_file file;
	struct elf_file kernel; /* a module's: the kernel its choices are in */
	struct choice_set choices;
	struct site_set sites;
	struct table_image table;
};

/*
 * program_load() - open a linked image, read its choices, collect and
 * validate its sites, build its table. Returns 0 or -1 after reporting;
 * program_free() is safe either way.
 */
int program_load(struct program *program, const char *path);
/*
 * program_load_module() - the same for a module's trial link at path (ld
 * -R kernel): the kernel's choices and the module's own; no table.
 */
int program_load_module(struct program *program, const char *kernel,
			const char *path);
/*
 * program_load_for() - what the whole-image checks read: the image at
 * path (kernel NULL), or a module's trial link against kernel.
 */
int program_load_for(struct program *program, const char *kernel,
		     const char *path);
void program_free(struct program *program);

#endif /* RELOCGEN_PROGRAM_H */
