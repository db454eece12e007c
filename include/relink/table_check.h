/* SPDX-License-Identifier: MIT */
/*
 * The one checker of the run-time table (format.h), shared by the kernel's
 * loader (kernel/patching/table.c) and relocgen (--dump, --stats and the
 * check of every table it writes): both build kernel/patching/
 * table_check.c, so a table one of them accepts the other accepts, and a
 * defect gets the same one-line message from both. It checks the table on
 * its own: its header, every array's place, every count, string, index,
 * form and site order. What needs the image (the choice definitions, the
 * text section) the kernel checks after it.
 */
#ifndef RELINK_TABLE_CHECK_H
#define RELINK_TABLE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include <relink/format.h>

/* A checked table: typed views of its arrays, and what they imply. */
struct relink_table_view {
	const struct relink_table_header *header;
	const struct relink_table_choice *choices;
	const struct relink_table_variant *variants;
	const struct relink_form *forms;
	const struct relink_site *sites;
	const int32_t *branch_targets;
	const char *strings;
	/*
	 * Choice c owns variants [first_variant[c], first_variant[c + 1]),
	 * sites [first_site[c], first_site[c + 1]) and, from
	 * first_branch[c] on, one branch target per branch site.
	 */
	uint32_t first_variant[RELINK_MAX_CHOICES + 1];
	uint32_t first_site[RELINK_MAX_CHOICES + 1];
	uint32_t first_branch[RELINK_MAX_CHOICES + 1];
	uint32_t cursor[RELINK_MAX_CHOICES]; /* the order check's workspace */
	char error[160]; /* the defect, when the check fails */
};

/**
 * relink_table_check() - check the size bytes at table and view them.
 *
 * table must be 8-byte aligned. Returns 0, or -1 with one line (no
 * newline) saying what is wrong in view->error; the caller prefixes it
 * with where it comes from.
 */
int relink_table_check(struct relink_table_view *view, const void *table,
		       size_t size);

/**
 * relink_table_lay_out() - fill a header from its counts.
 *
 * Given n_choices, n_variants, n_forms, n_sites, n_branch_targets,
 * strings_size and text_base, sets the magic, version, record sizes, every
 * array's offset and total_size: the one layout every writer uses.
 */
void relink_table_lay_out(struct relink_table_header *h);

/*
 * The rules of a choice definition's own fields (format.h), which the
 * kernel applies to the image's and every module's definitions and
 * relocgen to every definition it reads: what is wrong, as a phrase the
 * caller prefixes with the choice's name, or NULL. The pointers are the
 * reader's to follow: the kernel's are addresses, relocgen's are in a file.
 */
const char *relink_choice_def_fault(const struct relink_choice_def *def);
const char *relink_variant_def_fault(const struct relink_variant_def *def);

/* The name at offset in a checked table's strings. */
static inline const char *relink_table_string(const struct relink_table_view *v,
					      uint32_t offset)
{
	return v->strings + offset;
}

/* The link address of site i of a checked table. */
static inline uint64_t
relink_table_site_address(const struct relink_table_view *v, uint32_t i)
{
	return v->header->text_base + relink_site_offset(&v->sites[i]);
}

static inline const struct relink_form *
relink_table_site_form(const struct relink_table_view *v, uint32_t i)
{
	return &v->forms[relink_site_form_index(&v->sites[i])];
}

#endif /* RELINK_TABLE_CHECK_H */
