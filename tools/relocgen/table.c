// SPDX-License-Identifier: MIT
/*
 * Building the run-time table of format.h, and reading one back through
 * the kernel's own checker (kernel/patching/table_check.c): the layout is
 * relink_table_lay_out()'s, every table relocgen writes passes the
 * checker before it is written, and --dump, --stats and --verify trust a
 * table only after it.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <relink/table_check.h>

#include "choices.h"
#include "elf.h"
#include "sites.h"
#include "table.h"
#include "util.h"

#define TABLE_SYMBOL "__relink_table"

struct strings {
	char *data;
	size_t size;
	size_t capacity;
};

/* Add s, reusing an identical earlier string (tables hold few names). */
static uint32_t strings_add(struct strings *strings, const char *s)
{
	size_t length = strlen(s) + 1, offset;

	for (offset = 0; offset < strings->size;
	     offset += strlen(strings->data + offset) + 1)
		if (!strcmp(strings->data + offset, s))
			return (uint32_t)offset;
	while (strings->size + length > strings->capacity) {
		strings->capacity = strings->capacity ? 2 * strings->capacity :
							256;
		strings->data = xrealloc(strings->data, strings->capacity, 1);
	}
	memcpy(strings->data + strings->size, s, length);
	strings->size += length;
	return (uint32_t)offset;
}

static void fill_choices(uint8_t *table, const struct choice_set *choices,
			 struct strings *strings)
{
	const struct relink_table_header *h = (const void *)table;
	struct relink_table_choice *tc = (void *)(table + h->choices_offset);
	struct relink_table_variant *tv = (void *)(table + h->variants_offset);
	size_t i, j, first = 0;

	/* Variants in choice order: choice i's follow those before it. */
	for (i = 0; i < choices->n_choices; i++) {
		const struct choice *c = &choices->choices[i];

		tc[i].name = strings_add(strings, c->name);
		tc[i].n_sites = c->n_sites;
		tc[i].n_variants = (uint8_t)c->n_variants;
		tc[i].decider = c->decider;
		tc[i].default_variant = c->default_variant;
		for (j = 0; j < c->n_variants; j++, first++) {
			tv[first].name =
				strings_add(strings, c->variants[j].name);
			tv[first].pred = c->variants[j].pred;
			tv[first].max_length = c->variants[j].max_length;
			tv[first].pred_arg = c->variants[j].pred_arg;
		}
	}
}

/* Table order: by choice, then by address (site_set is by address). */
static int compare_table_order(const void *a, const void *b)
{
	const struct site *x = *(const struct site *const *)a;
	const struct site *y = *(const struct site *const *)b;

	if (x->choice != y->choice)
		return x->choice < y->choice ? -1 : 1;
	return x->address < y->address ? -1 : x->address > y->address;
}

static void fill_sites(uint8_t *table, const struct site_set *sites)
{
	const struct relink_table_header *h = (const void *)table;
	struct relink_site *ts = (void *)(table + h->sites_offset);
	int32_t *targets = (void *)(table + h->branch_targets_offset);
	const struct site **order = xcalloc(sites->n_sites, sizeof(*order));
	size_t i, b = 0;

	if (sites->n_forms)
		memcpy(table + h->forms_offset, sites->forms,
		       sites->n_forms * sizeof(struct relink_form));
	for (i = 0; i < sites->n_sites; i++)
		order[i] = &sites->sites[i];
	qsort(order, sites->n_sites, sizeof(*order), compare_table_order);
	for (i = 0; i < sites->n_sites; i++) {
		const struct site *s = order[i];

		ts[i] = relink_site_make(
			(uint32_t)(s->address - sites->text_base), s->form);
		/* Relative to the end of the site, as a jmp's displacement. */
		if (s->shape == RELINK_SHAPE_BRANCH)
			targets[b++] =
				(int32_t)(s->target - (s->address + s->length));
	}
	free(order);
}

static void collect_strings(const struct choice_set *choices,
			    struct strings *strings)
{
	size_t i, j;

	strings_add(strings, "");
	for (i = 0; i < choices->n_choices; i++) {
		strings_add(strings, choices->choices[i].name);
		for (j = 0; j < choices->choices[i].n_variants; j++)
			strings_add(strings,
				    choices->choices[i].variants[j].name);
	}
}

static int check_limits(const char *path, const struct choice_set *choices,
			const struct site_set *sites, size_t n_branches)
{
	uint64_t bytes =
		sizeof(struct relink_table_header) + 6 * RELINK_TABLE_ALIGN +
		sizeof(struct relink_table_choice) * choices->n_choices +
		sizeof(struct relink_table_variant) * choices->n_variants +
		sizeof(struct relink_form) * sites->n_forms +
		sizeof(struct relink_site) * sites->n_sites +
		sizeof(int32_t) * n_branches;

	const struct site *last =
		sites->n_sites ? &sites->sites[sites->n_sites - 1] : NULL;

	if (choices->n_choices > RELINK_MAX_CHOICES ||
	    sites->n_forms > RELINK_MAX_FORMS) {
		report(path,
		       "%zu choices and %zu site forms, at most %u and %u",
		       choices->n_choices, sites->n_forms, RELINK_MAX_CHOICES,
		       RELINK_MAX_FORMS);
		return -1;
	}
	/* A site record holds its offset from text_base in 24 bits. */
	if (last && last->address - sites->text_base >= RELINK_MAX_TEXT_SIZE) {
		report(path,
		       "a site lies 0x%" PRIx64 " bytes into text, at most "
		       "0x%x: the table addresses 16 MiB of text",
		       last->address - sites->text_base,
		       RELINK_MAX_TEXT_SIZE - 1);
		return -1;
	}
	if (bytes > UINT32_MAX / 2) {
		report(path, "the table would exceed 2 GiB");
		return -1;
	}
	return 0;
}

/*
 * The table the kernel will load must pass the kernel's checker: a table
 * relocgen writes and the kernel would refuse is relocgen's bug, found
 * here rather than at boot.
 */
static int check_built(const char *path, const struct table_image *image)
{
	struct table_view view;

	if (table_parse(path, image->data, image->size, &view))
		return -1;
	table_view_free(&view);
	return 0;
}

int table_build(const char *path, const struct choice_set *choices,
		const struct site_set *sites, struct table_image *image)
{
	struct relink_table_header h = { .text_base = sites->text_base };
	struct strings strings = { 0 };
	size_t i;

	for (i = 0; i < sites->n_sites; i++)
		h.n_branch_targets += sites->sites[i].shape ==
				      RELINK_SHAPE_BRANCH;
	if (check_limits(path, choices, sites, h.n_branch_targets))
		return -1;
	collect_strings(choices, &strings);
	h.n_choices = (uint32_t)choices->n_choices;
	h.n_variants = (uint32_t)choices->n_variants;
	h.n_forms = (uint32_t)sites->n_forms;
	h.n_sites = (uint32_t)sites->n_sites;
	h.strings_size = (uint32_t)strings.size;
	relink_table_lay_out(&h);
	image->size = h.total_size;
	image->data = xcalloc(1, image->size);
	memcpy(image->data, &h, sizeof(h));
	fill_choices(image->data, choices, &strings);
	fill_sites(image->data, sites);
	/* Every name was added by collect_strings: the order is the same. */
	memcpy(image->data + h.strings_offset, strings.data, strings.size);
	free(strings.data);
	if (check_built(path, image)) {
		table_image_free(image);
		return -1;
	}
	return 0;
}

void table_image_free(struct table_image *image)
{
	free(image->data);
	image->data = NULL;
	image->size = 0;
}

int table_find(const struct elf_file *file, const uint8_t **data, size_t *size,
	       bool *exact)
{
	const struct elf_symbol *sym;
	const struct elf_section *s;
	struct elf_region region;
	int rc = elf_file_region(file, ".relink.table", "__relink_table_start",
				 "__relink_table_end", &region);

	*exact = true;
	if (rc < 0)
		return -1;
	if (!rc && region.size) {
		*data = region.data;
		*size = region.size;
		return 0;
	}
	sym = elf_file_symbol_by_name(file, TABLE_SYMBOL);
	s = sym ? elf_file_section_at(file, sym->value) : NULL;
	if (s && s->data && s->shdr.sh_type == SHT_PROGBITS) {
		*data = s->data + (sym->value - s->shdr.sh_addr);
		*size = s->size - (sym->value - s->shdr.sh_addr);
		*exact = false;
		return 0;
	}
	report(file->path, "no .relink.table section (link the object from "
			   "relocgen --table into the image)");
	return -1;
}

int table_parse(const char *path, const uint8_t *data, size_t size,
		struct table_view *view)
{
	memset(view, 0, sizeof(*view));
	/* The checker wants the header 8-byte aligned: malloc's is more. */
	view->copy = xmalloc(size);
	memcpy(view->copy, data, size);
	view->size = size;
	if (relink_table_check(&view->table, view->copy, size)) {
		report(path, "bad .relink.table: %s", view->table.error);
		table_view_free(view);
		return -1;
	}
	return 0;
}

void table_view_free(struct table_view *view)
{
	free(view->copy);
	memset(view, 0, sizeof(*view));
}
