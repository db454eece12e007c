/* SPDX-License-Identifier: MIT */
/*
 * The table object: an ELF64 x86-64 relocatable file, written with libelf,
 * whose one allocated section ".relink.table" holds the table. Link 2 adds
 * it to the image.
 */
#ifndef RELOCGEN_OBJECT_H
#define RELOCGEN_OBJECT_H

struct table_image;

/*
 * object_write_table() - write path atomically: .relink.table (PROGBITS,
 * SHF_ALLOC, align 8), a global object symbol __relink_table at its start
 * (size = the table), and an empty .note.GNU-stack. Returns 0 or -1 after
 * reporting.
 */
int object_write_table(const char *path, const struct table_image *table);

/*
 * object_from_image() - relocgen --table: check that out may be written,
 * load and validate link1, and write its table object to out. Returns 0
 * or -1 after reporting.
 */
int object_from_image(const char *out, const char *link1);

#endif /* RELOCGEN_OBJECT_H */
