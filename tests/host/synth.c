// SPDX-License-Identifier: MIT
/*
 * Synthetic site tables (see synth.h): a small writer of the run-time
 * table format of include/relink/format.h, independent of relocgen's
 * writer but laid out by the same relink_table_lay_out() and records, so
 * the engine can be tested and measured on tables of any size and shape.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <relink/arch.h>
#include <relink/table_check.h>

#include "synth.h"

static int find_form(const struct relink_form *forms, uint32_t n,
		     const struct relink_form *f)
{
	for (uint32_t i = 0; i < n; i++)
		if (!memcmp(&forms[i], f, sizeof(*f)))
			return (int)i;
	return -1;
}

static uint32_t add_string(char *strings, uint32_t *size, const char *s)
{
	uint32_t at = *size;
	size_t len = strlen(s) + 1;

	if (strings)
		memcpy(strings + at, s, len);
	*size += (uint32_t)len;
	return at;
}

/* The counts of the header; relink_table_lay_out() does the rest. */
static void count(const struct relink_choice_def *defs, unsigned int n_defs,
		  const struct synth_site *sites, uint32_t n_sites,
		  struct relink_table_header *h)
{
	h->strings_size = 1; /* offset 0 is the empty string */
	h->n_choices = n_defs;
	h->n_sites = n_sites;
	for (unsigned int c = 0; c < n_defs; c++) {
		add_string(NULL, &h->strings_size, defs[c].name);
		for (unsigned int v = 0; v < defs[c].n_variants; v++)
			add_string(NULL, &h->strings_size,
				   defs[c].variants[v].name);
		h->n_variants += defs[c].n_variants;
	}
	for (uint32_t i = 0; i < n_sites; i++)
		h->n_branch_targets += sites[i].form.shape ==
				       RELINK_SHAPE_BRANCH;
}

/* Choices, and their variants in choice order (format.h). */
static void write_choices(const struct relink_choice_def *defs,
			  unsigned int n_defs, const struct synth_site *sites,
			  uint32_t n_sites, char *base)
{
	const struct relink_table_header *h = (const void *)base;
	struct relink_table_choice *tc = (void *)(base + h->choices_offset);
	struct relink_table_variant *tv = (void *)(base + h->variants_offset);
	uint32_t strings_size = 1, next = 0;
	char *strings = base + h->strings_offset;

	for (unsigned int c = 0; c < n_defs; c++) {
		tc[c].name = add_string(strings, &strings_size, defs[c].name);
		tc[c].n_variants = defs[c].n_variants;
		tc[c].decider = defs[c].decider;
		tc[c].default_variant = defs[c].default_variant;
		for (unsigned int v = 0; v < defs[c].n_variants; v++, next++) {
			const struct relink_variant_def *vd =
				&defs[c].variants[v];

			tv[next].name =
				add_string(strings, &strings_size, vd->name);
			tv[next].pred = vd->pred;
			tv[next].pred_arg = vd->pred_arg;
		}
	}
	for (uint32_t i = 0; i < n_sites; i++)
		tc[sites[i].choice].n_sites++;
}

/* Deduplicates the sites' forms into the table; index[i]: site i's. */
static int write_forms(const struct synth_site *sites, uint32_t n_sites,
		       struct relink_form *forms, uint8_t *index,
		       uint32_t *n_forms)
{
	*n_forms = 0;
	for (uint32_t i = 0; i < n_sites; i++) {
		int f = find_form(forms, *n_forms, &sites[i].form);

		if (f < 0) {
			if (*n_forms == RELINK_MAX_FORMS)
				return -E2BIG;
			f = (int)(*n_forms)++;
			forms[f] = sites[i].form;
		}
		index[i] = (uint8_t)f;
	}
	return 0;
}

/* Table order (format.h): by choice, then by offset. */
static int compare_table_order(const void *a, const void *b)
{
	const struct synth_site *x = *(const struct synth_site *const *)a;
	const struct synth_site *y = *(const struct synth_site *const *)b;

	if (x->choice != y->choice)
		return x->choice < y->choice ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static void write_sites(const struct synth_site *sites, uint32_t n_sites,
			const struct synth_site **order, const uint8_t *index,
			char *base)
{
	const struct relink_table_header *h = (const void *)base;
	struct relink_site *out = (void *)(base + h->sites_offset);
	int32_t *branches = (void *)(base + h->branch_targets_offset);
	uint32_t n_branches = 0;

	for (uint32_t i = 0; i < n_sites; i++)
		order[i] = &sites[i];
	qsort(order, n_sites, sizeof(*order), compare_table_order);
	for (uint32_t i = 0; i < n_sites; i++) {
		const struct synth_site *s = order[i];

		out[i] = relink_site_make(s->offset, index[s - sites]);
		if (s->form.shape == RELINK_SHAPE_BRANCH)
			branches[n_branches++] = s->branch_target;
	}
}

static int build(const struct relink_choice_def *defs, unsigned int n_defs,
		 const struct synth_site *sites, uint32_t n_sites,
		 struct relink_table_header *h, struct synth_table *out,
		 uint8_t *index, const struct synth_site **order)
{
	struct relink_form forms[RELINK_MAX_FORMS];
	size_t size;
	char *base;
	int rc = write_forms(sites, n_sites, forms, index, &h->n_forms);

	if (rc)
		return rc;
	count(defs, n_defs, sites, n_sites, h);
	relink_table_lay_out(h);
	size = (h->total_size + 7) & ~(size_t)7;
	base = aligned_alloc(8, size);
	if (!base)
		return -ENOMEM;
	memset(base, 0, size);
	memcpy(base, h, sizeof(*h));
	memcpy(base + h->forms_offset, forms, h->n_forms * sizeof(*forms));
	write_choices(defs, n_defs, sites, n_sites, base);
	write_sites(sites, n_sites, order, index, base);
	out->data = base;
	out->size = h->total_size;
	return 0;
}

int synth_build(const struct relink_choice_def *defs, unsigned int n_defs,
		const struct synth_site *sites, uint32_t n_sites,
		uint64_t text_base, struct synth_table *out)
{
	struct relink_table_header h = { .text_base = text_base };
	uint8_t *index = malloc(n_sites ? n_sites : 1);
	const struct synth_site **order =
		malloc((n_sites ? n_sites : 1) * sizeof(*order));
	int rc = -ENOMEM;

	if (index && order)
		rc = build(defs, n_defs, sites, n_sites, &h, out, index, order);
	free(index);
	free(order);
	return rc;
}

int synth_fill_original(const struct relink_choice_def *defs,
			const struct synth_site *sites, uint32_t n_sites,
			uint8_t *text, uint64_t text_base)
{
	static const struct relink_insn call = RELINK_I_CALL();
	struct relink_pattern p;

	for (uint32_t i = 0; i < n_sites; i++) {
		const struct relink_choice_def *def = &defs[sites[i].choice];
		struct relink_variant_def v =
			def->variants[def->default_variant];
		uint64_t addr = text_base + sites[i].offset;
		int rc;

		if (sites[i].form.shape == RELINK_SHAPE_CALL) {
			v.tmpl = &call;
			v.n_insns = 1;
			v.target = def->call_symbol;
		}
		rc = relink_arch_prepare(&sites[i].form, &v, &p);
		if (!rc)
			rc = relink_arch_finish(&p, addr,
						addr + sites[i].form.length +
							sites[i].branch_target,
						text + sites[i].offset);
		if (rc)
			return rc;
	}
	return 0;
}
