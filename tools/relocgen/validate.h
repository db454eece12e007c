/* SPDX-License-Identifier: MIT */
/*
 * Validation of every site of an image: operands, placement, instruction
 * boundaries, the default code of each shape, and the fit of every variant
 * of the site's choice. Validation also assigns each site its form and
 * records each variant's longest emission and each choice's site count,
 * which the table needs.
 */
#ifndef RELOCGEN_VALIDATE_H
#define RELOCGEN_VALIDATE_H

struct elf_file;
struct choice_set;
struct site_set;

/* The most forms a table can hold: a site names its form in a byte. */
#define RELOCGEN_MAX_FORMS 256

/*
 * validate_sites() - check every site; returns 0, or -1 after reporting
 * each bad site once (its first problem) as "FILE: symbol+0xoff: ...".
 */
int validate_sites(const struct elf_file *file, struct choice_set *choices,
		   struct site_set *set);

#endif /* RELOCGEN_VALIDATE_H */
