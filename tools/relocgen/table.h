/* SPDX-License-Identifier: MIT */
/*
 * The run-time table (format.h): building it from validated sites and
 * choices, and parsing one back from bytes with every offset, count,
 * string and index checked, so that --dump can trust nothing but the table
 * itself.
 */
#ifndef RELOCGEN_TABLE_H
#define RELOCGEN_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <relink/format.h>
#include <relink/table_check.h>

struct elf_file;
struct choice_set;
struct site_set;

struct table_image {
	uint8_t *data;
	size_t size;
};

/* table_build() - serialize the table; returns 0 or -1 after reporting. */
int table_build(const char *path, const struct choice_set *choices,
		const struct site_set *sites, struct table_image *image);
void table_image_free(struct table_image *image);

/* A checked table: the kernel checker's view of an aligned copy. */
struct table_view {
	void *copy;
	size_t size;
	struct relink_table_view table;
};

/*
 * table_find() - the bytes of the table in an image: output section
 * .relink.table, else the bytes between __relink_table_start and
 * __relink_table_end (a linker script that folds it into another output
 * section defines them), else the bytes from __relink_table (defined by
 * the table object) to the end of its section, which may hold more after
 * the table: *exact says whether size is the table's own.
 */
int table_find(const struct elf_file *file, const uint8_t **data, size_t *size,
	       bool *exact);

/*
 * table_parse() - check a table with the kernel's checker and view it;
 * returns 0, or -1 after reporting "PATH: bad .relink.table: DEFECT", the
 * defect in the words the kernel logs.
 */
int table_parse(const char *path, const uint8_t *data, size_t size,
		struct table_view *view);
void table_view_free(struct table_view *view);

#endif /* RELOCGEN_TABLE_H */
