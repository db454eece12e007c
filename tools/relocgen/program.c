// SPDX-License-Identifier: MIT
/*
 * Loading a linked image: the order of the steps is the order of their
 * dependencies (sites name choices; validation needs both; the table needs
 * the forms, site counts and variant lengths that validation records).
 * A module's trial link loads the same way, with the kernel's choices and
 * its own, and without a table: the loader hands its sites to the engine.
 */
#include <string.h>

#include "program.h"
#include "util.h"
#include "validate.h"

/* Empty: program_free() is safe on it. */
static void program_init(struct program *program)
{
	memset(program, 0, sizeof(*program));
	program->file.fd = -1;
	program->kernel.fd = -1;
}

static int open_linked(struct program *program, const char *path)
{
	if (elf_file_open(&program->file, path))
		return -1;
	if (program->file.ehdr.e_type != ET_EXEC &&
	    program->file.ehdr.e_type != ET_DYN) {
		report(path,
		       "not a linked executable (e_type %u): relocgen "
		       "reads the output of ld --emit-relocs",
		       program->file.ehdr.e_type);
		return -1;
	}
	return 0;
}

static int collect_and_validate(struct program *program)
{
	if (sites_collect(&program->file, &program->choices, &program->sites) ||
	    validate_sites(&program->file, &program->choices, &program->sites))
		return -1;
	return 0;
}

int program_load(struct program *program, const char *path)
{
	program_init(program);
	if (open_linked(program, path) ||
	    choices_read(&program->file, &program->choices) ||
	    collect_and_validate(program))
		return -1;
	return table_build(path, &program->choices, &program->sites,
			   &program->table);
}

int program_load_module(struct program *program, const char *kernel,
			const char *path)
{
	program_init(program);
	if (elf_file_open(&program->kernel, kernel) ||
	    choices_read(&program->kernel, &program->choices))
		return -1;
	/* The trial link holds the kernel's definitions as -R symbols. */
	program->choices.external = true;
	if (open_linked(program, path) ||
	    choices_read_own(&program->file, &program->choices))
		return -1;
	return collect_and_validate(program);
}

int program_load_for(struct program *program, const char *kernel,
		     const char *path)
{
	if (kernel)
		return program_load_module(program, kernel, path);
	return program_load(program, path);
}

void program_free(struct program *program)
{
	table_image_free(&program->table);
	sites_free(&program->sites);
	choices_free(&program->choices);
	elf_file_close(&program->file);
	elf_file_close(&program->kernel);
}
