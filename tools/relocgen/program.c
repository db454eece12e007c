// SPDX-License-Identifier: MIT
/*
 * Loading a linked image: the order of the steps is the order of their
 * dependencies (sites name choices; validation needs both; the table needs
 * the forms, site counts and variant lengths that validation records).
 */
#include <string.h>

#include "program.h"
#include "util.h"
#include "validate.h"

int program_load(struct program *program, const char *path)
{
	memset(program, 0, sizeof(*program));
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
	if (choices_read(&program->file, &program->choices) ||
	    sites_collect(&program->file, &program->choices, &program->sites) ||
	    validate_sites(&program->file, &program->choices, &program->sites))
		return -1;
	return table_build(path, &program->choices, &program->sites,
			   &program->table);
}

void program_free(struct program *program)
{
	table_image_free(&program->table);
	sites_free(&program->sites);
	choices_free(&program->choices);
	elf_file_close(&program->file);
}
