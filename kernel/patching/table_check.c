// SPDX-License-Identifier: MIT
/*
 * The table checker (include/relink/table_check.h), built into the kernel
 * and into relocgen. Nothing in a table is trusted: the header's magic,
 * version and record sizes, every array's offset, alignment and count,
 * every string, every index, every form's length for its shape, and the
 * order of the sites are checked in that order, each check relying only on
 * the ones before it. Freestanding: it formats its own message, so it needs
 * neither the kernel's printf nor the host's.
 */
#include <stdarg.h>
#include <stdbool.h>

#include <relink/names.h>
#include <relink/table_check.h>

static void put_char(struct relink_table_view *v, size_t *used, char c)
{
	if (*used + 1 < sizeof(v->error))
		v->error[(*used)++] = c;
}

static void put_number(struct relink_table_view *v, size_t *used,
		       unsigned int n, unsigned int base)
{
	char digits[12];
	int count = 0;

	do {
		digits[count++] = "0123456789abcdef"[n % base];
		n /= base;
	} while (n);
	while (count)
		put_char(v, used, digits[--count]);
}

/* The message of a defect: %u, %x and %s only. Returns -1. */
static int __attribute__((format(printf, 2, 3)))
fail(struct relink_table_view *v, const char *fmt, ...)
{
	size_t used = 0;
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%' || !p[1]) {
			put_char(v, &used, *p);
			continue;
		}
		p++;
		if (*p == 's')
			for (const char *s = va_arg(ap, const char *); *s; s++)
				put_char(v, &used, *s);
		else
			put_number(v, &used, va_arg(ap, unsigned int),
				   *p == 'x' ? 16 : 10);
	}
	va_end(ap);
	v->error[used] = '\0';
	return -1;
}

static unsigned int clamp32(size_t size)
{
	return size > 0xffffffffu ? 0xffffffffu : (unsigned int)size;
}

static int check_header(struct relink_table_view *v,
			const struct relink_table_header *h, size_t size)
{
	if (size < sizeof(*h))
		return fail(v, "%u bytes, smaller than its %u-byte header",
			    clamp32(size), (unsigned int)sizeof(*h));
	if ((uintptr_t)h % 8)
		return fail(v, "at a misaligned address (0x%x)",
			    (unsigned int)((uintptr_t)h % 8));
	if (h->magic != RELINK_TABLE_MAGIC)
		return fail(v, "magic 0x%x, expected 0x%x", h->magic,
			    RELINK_TABLE_MAGIC);
	if (h->version != RELINK_TABLE_VERSION)
		return fail(v, "version %u, expected %u", h->version,
			    RELINK_TABLE_VERSION);
	if (h->header_size != sizeof(*h) ||
	    h->choice_size != sizeof(struct relink_table_choice) ||
	    h->variant_size != sizeof(struct relink_table_variant) ||
	    h->form_size != sizeof(struct relink_form) ||
	    h->site_size != sizeof(struct relink_site))
		return fail(
			v,
			"record sizes %u/%u/%u/%u/%u, expected %u/%u/%u/%u/%u",
			h->header_size, h->choice_size, h->variant_size,
			h->form_size, h->site_size, (unsigned int)sizeof(*h),
			(unsigned int)sizeof(struct relink_table_choice),
			(unsigned int)sizeof(struct relink_table_variant),
			(unsigned int)sizeof(struct relink_form),
			(unsigned int)sizeof(struct relink_site));
	if (h->total_size > size || h->total_size < h->header_size)
		return fail(v, "total size %u, but %u bytes are present",
			    h->total_size, clamp32(size));
	return 0;
}

static int check_array(struct relink_table_view *v, const char *what,
		       uint32_t offset, uint32_t count, uint32_t record,
		       uint32_t align)
{
	const struct relink_table_header *h = v->header;

	if (offset % align)
		return fail(v, "%s (offset %u) not %u-byte aligned", what,
			    offset, align);
	if (offset < h->header_size || offset > h->total_size ||
	    count > (h->total_size - offset) / record)
		return fail(v, "%s (offset %u, %u records) out of bounds", what,
			    offset, count);
	return 0;
}

static int check_arrays(struct relink_table_view *v)
{
	const struct relink_table_header *h = v->header;

	if (check_array(v, "choices", h->choices_offset, h->n_choices,
			h->choice_size, RELINK_TABLE_ALIGN) ||
	    check_array(v, "variants", h->variants_offset, h->n_variants,
			h->variant_size, RELINK_TABLE_ALIGN) ||
	    check_array(v, "forms", h->forms_offset, h->n_forms, h->form_size,
			RELINK_TABLE_ALIGN) ||
	    check_array(v, "sites", h->sites_offset, h->n_sites, h->site_size,
			RELINK_TABLE_ALIGN) ||
	    check_array(v, "branch targets", h->branch_targets_offset,
			h->n_branch_targets, sizeof(int32_t),
			RELINK_TABLE_ALIGN) ||
	    check_array(v, "strings", h->strings_offset, h->strings_size, 1, 1))
		return -1;
	if (h->n_choices > RELINK_MAX_CHOICES)
		return fail(v, "%u choices, at most %u", h->n_choices,
			    RELINK_MAX_CHOICES);
	if (h->n_forms > RELINK_MAX_FORMS)
		return fail(v, "%u forms, at most %u", h->n_forms,
			    RELINK_MAX_FORMS);
	if (!h->strings_size ||
	    ((const char *)h)[h->strings_offset + h->strings_size - 1])
		return fail(v, "string table (%u bytes) not terminated",
			    h->strings_size);
	return 0;
}

static void map_arrays(struct relink_table_view *v)
{
	const struct relink_table_header *h = v->header;
	const char *base = (const char *)h;

	v->choices = (const void *)(base + h->choices_offset);
	v->variants = (const void *)(base + h->variants_offset);
	v->forms = (const void *)(base + h->forms_offset);
	v->sites = (const void *)(base + h->sites_offset);
	v->branch_targets = (const void *)(base + h->branch_targets_offset);
	v->strings = base + h->strings_offset;
}

/* The string table ends in a NUL, so any offset inside it is a name. */
static int check_name(struct relink_table_view *v, const char *what,
		      uint32_t index, uint32_t name)
{
	if (name >= v->header->strings_size)
		return fail(v, "%s %u: name offset %u out of range (%u bytes)",
			    what, index, name, v->header->strings_size);
	return 0;
}

static int check_choice(struct relink_table_view *v, uint32_t c)
{
	const struct relink_table_choice *tc = &v->choices[c];

	if (check_name(v, "choice", c, tc->name))
		return -1;
	if (!tc->n_variants || tc->default_variant >= tc->n_variants)
		return fail(v, "choice %u: default variant %u of %u", c,
			    tc->default_variant, tc->n_variants);
	if (tc->decider > RELINK_DECIDER_MAX)
		return fail(v, "choice %u: decider %u, at most %u", c,
			    tc->decider, RELINK_DECIDER_MAX);
	return 0;
}

/* Every choice, and the variant and site ranges their counts imply. */
static int check_choices(struct relink_table_view *v)
{
	const struct relink_table_header *h = v->header;
	uint64_t variants = 0, sites = 0;

	for (uint32_t c = 0; c < h->n_choices; c++) {
		if (check_choice(v, c))
			return -1;
		v->first_variant[c] = (uint32_t)variants;
		v->first_site[c] = (uint32_t)sites;
		variants += v->choices[c].n_variants;
		sites += v->choices[c].n_sites;
	}
	if (variants != h->n_variants || sites != h->n_sites)
		return fail(
			v,
			"the choices own %u variants and %u sites, the table has %u and %u",
			clamp32(variants), clamp32(sites), h->n_variants,
			h->n_sites);
	v->first_variant[h->n_choices] = h->n_variants;
	v->first_site[h->n_choices] = h->n_sites;
	return 0;
}

static int check_variants(struct relink_table_view *v)
{
	for (uint32_t i = 0; i < v->header->n_variants; i++) {
		if (check_name(v, "variant", i, v->variants[i].name))
			return -1;
		if (v->variants[i].pred > RELINK_PRED_MAX)
			return fail(v, "variant %u: predicate %u, at most %u",
				    i, v->variants[i].pred, RELINK_PRED_MAX);
	}
	return 0;
}

/* The lengths the shapes of format.h allow. */
static bool length_ok(unsigned int shape, unsigned int length)
{
	switch (shape) {
	case RELINK_SHAPE_CALL:
		return length == 5;
	case RELINK_SHAPE_INLINE:
		return length >= 1;
	case RELINK_SHAPE_LOCK:
		return length == 1;
	case RELINK_SHAPE_BRANCH:
		return length == 2 || length == 5;
	}
	return false;
}

static int check_forms(struct relink_table_view *v)
{
	for (uint32_t i = 0; i < v->header->n_forms; i++) {
		const struct relink_form *f = &v->forms[i];

		if (f->shape < 1 || f->shape > RELINK_SHAPE_MAX)
			return fail(v, "form %u: shape %u, at most %u", i,
				    f->shape, RELINK_SHAPE_MAX);
		if (!length_ok(f->shape, f->length))
			return fail(v, "form %u: a %s site cannot be %u bytes",
				    i, relink_shape_name(f->shape), f->length);
		if (f->n_regs > RELINK_MAX_REGS)
			return fail(v, "form %u: %u registers, at most %u", i,
				    f->n_regs, RELINK_MAX_REGS);
		for (unsigned int r = 0; r < f->n_regs; r++)
			if (f->regs[r] > 15)
				return fail(v, "form %u: register %u is %u", i,
					    r, f->regs[r]);
	}
	return 0;
}

/* Form indices, and which branch target each choice's sites start at. */
static int check_site_forms(struct relink_table_view *v)
{
	const struct relink_table_header *h = v->header;
	uint32_t branches = 0, c = 0;

	for (uint32_t i = 0; i < h->n_sites; i++) {
		unsigned int form = relink_site_form_index(&v->sites[i]);

		while (c < h->n_choices && v->first_site[c] == i)
			v->first_branch[c++] = branches;
		if (form >= h->n_forms)
			return fail(v, "site %u: form %u, the table has %u", i,
				    form, h->n_forms);
		branches += v->forms[form].shape == RELINK_SHAPE_BRANCH;
	}
	while (c <= h->n_choices)
		v->first_branch[c++] = branches;
	if (branches != h->n_branch_targets)
		return fail(v, "%u branch sites but %u branch targets",
			    branches, h->n_branch_targets);
	return 0;
}

/* The choice whose next site, in its own range, comes first in text. */
static uint32_t next_in_text(const struct relink_table_view *v)
{
	uint32_t best = v->header->n_choices;

	for (uint32_t c = 0; c < v->header->n_choices; c++) {
		uint32_t i = v->cursor[c];

		if (i < v->first_site[c + 1] &&
		    (best == v->header->n_choices ||
		     relink_site_offset(&v->sites[i]) <
			     relink_site_offset(&v->sites[v->cursor[best]])))
			best = c;
	}
	return best;
}

/*
 * Sites in text order, merged from the choices' ranges: each must start at
 * or after the end of the one before. That catches both a choice's range
 * out of order and two choices' sites overlapping. The merge costs a pass
 * over the choices per site, at most 256, and needs no allocation.
 */
static int check_site_order(struct relink_table_view *v)
{
	uint32_t prev = 0, prev_end = 0;

	for (uint32_t c = 0; c < v->header->n_choices; c++)
		v->cursor[c] = v->first_site[c];
	for (uint32_t n = 0; n < v->header->n_sites; n++) {
		uint32_t i = v->cursor[next_in_text(v)]++;
		uint32_t offset = relink_site_offset(&v->sites[i]);

		if (n && offset < prev_end)
			return fail(
				v,
				"site %u (offset 0x%x) overlaps or precedes site %u (offset 0x%x)",
				i, offset, prev,
				relink_site_offset(&v->sites[prev]));
		prev = i;
		prev_end = offset + relink_table_site_form(v, i)->length;
	}
	return 0;
}

int relink_table_check(struct relink_table_view *v, const void *table,
		       size_t size)
{
	v->header = table;
	v->error[0] = '\0';
	if (check_header(v, table, size) || check_arrays(v))
		return -1;
	map_arrays(v);
	if (check_choices(v) || check_variants(v) || check_forms(v) ||
	    check_site_forms(v) || check_site_order(v))
		return -1;
	return 0;
}

static uint32_t align_up(uint32_t x)
{
	return (x + RELINK_TABLE_ALIGN - 1) &
	       ~(uint32_t)(RELINK_TABLE_ALIGN - 1);
}

void relink_table_lay_out(struct relink_table_header *h)
{
	uint32_t offset = sizeof(*h);

	h->magic = RELINK_TABLE_MAGIC;
	h->version = RELINK_TABLE_VERSION;
	h->header_size = sizeof(*h);
	h->choice_size = sizeof(struct relink_table_choice);
	h->variant_size = sizeof(struct relink_table_variant);
	h->form_size = sizeof(struct relink_form);
	h->site_size = sizeof(struct relink_site);
	h->choices_offset = offset;
	offset = align_up(offset + h->n_choices * h->choice_size);
	h->variants_offset = offset;
	offset = align_up(offset + h->n_variants * h->variant_size);
	h->forms_offset = offset;
	offset = align_up(offset + h->n_forms * h->form_size);
	h->sites_offset = offset;
	offset = align_up(offset + h->n_sites * h->site_size);
	h->branch_targets_offset = offset;
	offset = align_up(offset + h->n_branch_targets * 4);
	h->strings_offset = offset;
	h->total_size = offset + h->strings_size;
}

const char *relink_choice_def_fault(const struct relink_choice_def *def)
{
	if (!def->n_variants)
		return "has no variants";
	if (def->default_variant >= def->n_variants)
		return "default variant out of range";
	if (def->decider > RELINK_DECIDER_MAX)
		return "decider out of range";
	if (def->flags & ~RELINK_CHOICE_BOOT_ONLY)
		return "unknown flags";
	return NULL;
}

const char *relink_variant_def_fault(const struct relink_variant_def *def)
{
	if (def->pred > RELINK_PRED_MAX)
		return "predicate out of range";
	return NULL;
}
