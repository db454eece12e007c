// SPDX-License-Identifier: MIT
/*
 * Building and parsing the run-time table of format.h.
 *
 * Layout, every offset from the start of the header:
 *
 *	header | choices | variants | forms | sites | branch targets | strings
 *
 * each array starting on an 8-byte boundary (sites are 6 bytes, so the
 * padding after them is what keeps branch targets aligned); strings come
 * last and start with an empty string, so offset 0 is "".
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static size_t align8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

static void lay_out(struct relink_table_header *h)
{
	size_t offset = sizeof(*h);

	h->choices_offset = (uint32_t)offset;
	offset = align8(offset +
			h->n_choices * sizeof(struct relink_table_choice));
	h->variants_offset = (uint32_t)offset;
	offset = align8(offset +
			h->n_variants * sizeof(struct relink_table_variant));
	h->forms_offset = (uint32_t)offset;
	offset = align8(offset + h->n_forms * sizeof(struct relink_form));
	h->sites_offset = (uint32_t)offset;
	offset = align8(offset + h->n_sites * sizeof(struct relink_site));
	h->branch_targets_offset = (uint32_t)offset;
	offset = align8(offset + h->n_branch_targets * sizeof(int32_t));
	h->strings_offset = (uint32_t)offset;
	h->total_size = (uint32_t)(offset + h->strings_size);
}

static void fill_choices(uint8_t *table, const struct choice_set *choices,
			 struct strings *strings)
{
	const struct relink_table_header *h = (const void *)table;
	struct relink_table_choice *tc = (void *)(table + h->choices_offset);
	struct relink_table_variant *tv = (void *)(table + h->variants_offset);
	size_t i, j, first = 0;

	for (i = 0; i < choices->n_choices; i++) {
		const struct choice *c = &choices->choices[i];

		tc[i].name = strings_add(strings, c->name);
		tc[i].n_sites = c->n_sites;
		tc[i].first_variant = (uint16_t)first;
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

static void fill_sites(uint8_t *table, const struct site_set *sites)
{
	const struct relink_table_header *h = (const void *)table;
	struct relink_site *ts = (void *)(table + h->sites_offset);
	int32_t *targets = (void *)(table + h->branch_targets_offset);
	size_t i, b = 0;

	if (sites->n_forms)
		memcpy(table + h->forms_offset, sites->forms,
		       sites->n_forms * sizeof(struct relink_form));
	for (i = 0; i < sites->n_sites; i++) {
		const struct site *s = &sites->sites[i];
		uint32_t offset = (uint32_t)(s->address - sites->text_base);

		ts[i].offset_lo = (uint16_t)offset;
		ts[i].offset_hi = (uint16_t)(offset >> 16);
		ts[i].choice = (uint8_t)s->choice;
		ts[i].form = (uint8_t)s->form;
		/* Relative to the end of the site, as a jmp's displacement. */
		if (s->shape == RELINK_SHAPE_BRANCH)
			targets[b++] =
				(int32_t)(s->target - (s->address + s->length));
	}
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
		sizeof(struct relink_table_header) + 64 +
		sizeof(struct relink_table_choice) * choices->n_choices +
		sizeof(struct relink_table_variant) * choices->n_variants +
		sizeof(struct relink_form) * sites->n_forms +
		sizeof(struct relink_site) * sites->n_sites +
		sizeof(int32_t) * n_branches;

	if (choices->n_variants > UINT16_MAX + 1) {
		report(path, "%zu variants, at most %u", choices->n_variants,
		       UINT16_MAX + 1);
		return -1;
	}
	if (bytes > UINT32_MAX / 2) {
		report(path, "the table would exceed 2 GiB");
		return -1;
	}
	return 0;
}

int table_build(const char *path, const struct choice_set *choices,
		const struct site_set *sites, struct table_image *image)
{
	struct relink_table_header h = {
		.magic = RELINK_TABLE_MAGIC,
		.version = RELINK_TABLE_VERSION,
		.header_size = sizeof(struct relink_table_header),
		.choice_size = sizeof(struct relink_table_choice),
		.variant_size = sizeof(struct relink_table_variant),
		.form_size = sizeof(struct relink_form),
		.site_size = sizeof(struct relink_site),
		.text_base = sites->text_base,
	};
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
	lay_out(&h);
	image->size = h.total_size;
	image->data = xcalloc(1, image->size);
	memcpy(image->data, &h, sizeof(h));
	fill_choices(image->data, choices, &strings);
	fill_sites(image->data, sites);
	/* Every name was added by collect_strings: the order is the same. */
	memcpy(image->data + h.strings_offset, strings.data, strings.size);
	free(strings.data);
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

static int table_error(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int table_error(const char *path, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	report(path, "bad .relink.table: %s", message);
	return -1;
}

static int check_header(const char *path, const struct relink_table_header *h,
			size_t size)
{
	if (h->magic != RELINK_TABLE_MAGIC)
		return table_error(path, "magic 0x%08x, expected 0x%08x",
				   h->magic, RELINK_TABLE_MAGIC);
	if (h->version != RELINK_TABLE_VERSION)
		return table_error(path, "version %u, this relocgen reads %u",
				   h->version, RELINK_TABLE_VERSION);
	if (h->header_size != sizeof(struct relink_table_header) ||
	    h->choice_size != sizeof(struct relink_table_choice) ||
	    h->variant_size != sizeof(struct relink_table_variant) ||
	    h->form_size != sizeof(struct relink_form) ||
	    h->site_size != sizeof(struct relink_site))
		return table_error(path,
				   "record sizes %u/%u/%u/%u/%u, expected "
				   "%zu/%zu/%zu/%zu/%zu",
				   h->header_size, h->choice_size,
				   h->variant_size, h->form_size, h->site_size,
				   sizeof(struct relink_table_header),
				   sizeof(struct relink_table_choice),
				   sizeof(struct relink_table_variant),
				   sizeof(struct relink_form),
				   sizeof(struct relink_site));
	if (h->total_size > size || h->total_size < h->header_size)
		return table_error(path,
				   "total size %u, but %zu bytes are "
				   "present",
				   h->total_size, size);
	return 0;
}

static int check_array(const char *path, const struct relink_table_header *h,
		       const char *what, uint32_t offset, uint32_t count,
		       size_t record, size_t align)
{
	if (offset < h->header_size || offset % align ||
	    offset > h->total_size || count > (h->total_size - offset) / record)
		return table_error(path,
				   "%s (offset %u, %u records) out of "
				   "bounds",
				   what, offset, count);
	return 0;
}

static int check_arrays(const char *path, const struct relink_table_header *h)
{
	if (check_array(path, h, "choices", h->choices_offset, h->n_choices,
			sizeof(struct relink_table_choice), 8) ||
	    check_array(path, h, "variants", h->variants_offset, h->n_variants,
			sizeof(struct relink_table_variant), 8) ||
	    check_array(path, h, "forms", h->forms_offset, h->n_forms,
			sizeof(struct relink_form), 8) ||
	    check_array(path, h, "sites", h->sites_offset, h->n_sites,
			sizeof(struct relink_site), 2) ||
	    check_array(path, h, "branch targets", h->branch_targets_offset,
			h->n_branch_targets, sizeof(int32_t), 4) ||
	    check_array(path, h, "strings", h->strings_offset, h->strings_size,
			1, 1))
		return -1;
	if (h->n_choices > RELOCGEN_MAX_CHOICES || h->n_forms > 256)
		return table_error(path,
				   "%u choices and %u forms, at most "
				   "%d and 256",
				   h->n_choices, h->n_forms,
				   RELOCGEN_MAX_CHOICES);
	return 0;
}

static int check_name(const char *path, const struct table_view *view,
		      const char *what, size_t index, uint32_t name)
{
	uint32_t size = view->header.strings_size;

	if (name >= size || !memchr(view->strings + name, '\0', size - name))
		return table_error(path,
				   "%s %zu: name offset %u is not a "
				   "terminated string",
				   what, index, name);
	return 0;
}

static int check_choices(const char *path, const struct table_view *view)
{
	const struct relink_table_header *h = &view->header;
	uint32_t i;

	for (i = 0; i < h->n_choices; i++) {
		const struct relink_table_choice *c = &view->choices[i];

		if (check_name(path, view, "choice", i, c->name))
			return -1;
		if (!c->n_variants ||
		    c->first_variant + c->n_variants > h->n_variants ||
		    c->default_variant >= c->n_variants ||
		    c->decider > RELINK_DECIDER_MAX)
			return table_error(path,
					   "choice %u: variants %u+%u, "
					   "default %u or decider %u out "
					   "of range",
					   i, c->first_variant, c->n_variants,
					   c->default_variant, c->decider);
	}
	for (i = 0; i < h->n_variants; i++) {
		if (check_name(path, view, "variant", i,
			       view->variants[i].name))
			return -1;
		if (view->variants[i].pred > RELINK_PRED_MAX)
			return table_error(path,
					   "variant %u: predicate %u out "
					   "of range",
					   i, view->variants[i].pred);
	}
	return 0;
}

static int check_forms(const char *path, const struct table_view *view)
{
	uint32_t i, r;

	for (i = 0; i < view->header.n_forms; i++) {
		const struct relink_form *f = &view->forms[i];
		bool bad = f->shape < 1 || f->shape > RELINK_SHAPE_MAX ||
			   !f->length || f->n_regs > RELINK_MAX_REGS;

		for (r = 0; r < RELINK_MAX_REGS; r++)
			bad |= f->regs[r] > 15;
		if (bad)
			return table_error(path,
					   "form %u: shape %u, length "
					   "%u or registers out of range",
					   i, f->shape, f->length);
	}
	return 0;
}

/* Sites: indices in range, sorted, and counts that agree. */
static int check_sites(const char *path, const struct table_view *view)
{
	const struct relink_table_header *h = &view->header;
	uint32_t *counts = xcalloc(h->n_choices, sizeof(*counts));
	uint32_t i, branches = 0;
	int rc = 0;

	for (i = 0; i < h->n_sites && !rc; i++) {
		const struct relink_site *s = &view->sites[i];

		if (s->choice >= h->n_choices || s->form >= h->n_forms)
			rc = table_error(path,
					 "site %u: choice %u or form %u "
					 "out of range",
					 i, s->choice, s->form);
		else if (i && relink_site_offset(s) <
				      relink_site_offset(&view->sites[i - 1]))
			rc = table_error(path, "site %u: sites not sorted", i);
		else {
			counts[s->choice]++;
			branches += view->forms[s->form].shape ==
				    RELINK_SHAPE_BRANCH;
		}
	}
	if (!rc && branches != h->n_branch_targets)
		rc = table_error(path, "%u branch sites but %u branch targets",
				 branches, h->n_branch_targets);
	for (i = 0; i < h->n_choices && !rc; i++)
		if (counts[i] != view->choices[i].n_sites)
			rc = table_error(path,
					 "choice %u: %u sites, but it "
					 "claims %u",
					 i, counts[i],
					 view->choices[i].n_sites);
	free(counts);
	return rc;
}

int table_parse(const char *path, const uint8_t *data, size_t size,
		struct table_view *view)
{
	const struct relink_table_header *h = &view->header;
	uint8_t *copy;

	memset(view, 0, sizeof(*view));
	if (size < sizeof(view->header))
		return table_error(path,
				   "%zu bytes, smaller than its %zu-byte "
				   "header",
				   size, sizeof(view->header));
	memcpy(&view->header, data, sizeof(view->header));
	if (check_header(path, h, size) || check_arrays(path, h))
		return -1;
	/* malloc's alignment covers every record's. */
	copy = xmalloc(h->total_size);
	memcpy(copy, data, h->total_size);
	view->copy = copy;
	view->size = h->total_size;
	view->choices = (const void *)(copy + h->choices_offset);
	view->variants = (const void *)(copy + h->variants_offset);
	view->forms = (const void *)(copy + h->forms_offset);
	view->sites = (const void *)(copy + h->sites_offset);
	view->branch_targets = (const void *)(copy + h->branch_targets_offset);
	view->strings = (const char *)copy + h->strings_offset;
	if (check_choices(path, view) || check_forms(path, view) ||
	    check_sites(path, view)) {
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
