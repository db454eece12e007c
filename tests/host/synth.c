// SPDX-License-Identifier: MIT
/*
 * Synthetic site tables (see synth.h): a small writer of the run-time
 * table format of include/relink/format.h, independent of relocgen, so the
 * engine can be tested and measured on tables of any size and shape.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <relink/arch.h>

#include "synth.h"

struct layout {
	uint32_t choices, variants, forms, sites, branches, strings, total;
	uint32_t n_variants, n_forms, n_branches, strings_size;
};

static uint32_t align8(uint32_t x)
{
	return (x + 7) & ~7u;
}

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

static void plan_layout(const struct relink_choice_def *defs,
			unsigned int n_defs, uint32_t n_sites, struct layout *l)
{
	l->strings_size = 1; /* offset 0 is the empty string */
	l->n_variants = 0;
	for (unsigned int c = 0; c < n_defs; c++) {
		add_string(NULL, &l->strings_size, defs[c].name);
		for (unsigned int v = 0; v < defs[c].n_variants; v++)
			add_string(NULL, &l->strings_size,
				   defs[c].variants[v].name);
		l->n_variants += defs[c].n_variants;
	}
	l->choices = sizeof(struct relink_table_header);
	l->variants = align8(l->choices + 16 * n_defs);
	l->forms = align8(l->variants + 8 * l->n_variants);
	l->sites = align8(l->forms + 8 * l->n_forms);
	l->branches = align8(l->sites + 6 * n_sites);
	l->strings = align8(l->branches + 4 * l->n_branches);
	l->total = l->strings + l->strings_size;
}

static void write_choices(const struct relink_choice_def *defs,
			  unsigned int n_defs, const struct synth_site *sites,
			  uint32_t n_sites, char *base, const struct layout *l)
{
	struct relink_table_choice *tc = (void *)(base + l->choices);
	struct relink_table_variant *tv = (void *)(base + l->variants);
	uint32_t strings_size = 1, first = 0;
	char *strings = base + l->strings;

	for (unsigned int c = 0; c < n_defs; c++) {
		tc[c].name = add_string(strings, &strings_size, defs[c].name);
		tc[c].first_variant = (uint16_t)first;
		tc[c].n_variants = defs[c].n_variants;
		tc[c].decider = defs[c].decider;
		tc[c].default_variant = defs[c].default_variant;
		for (unsigned int v = 0; v < defs[c].n_variants; v++, first++) {
			const struct relink_variant_def *vd =
				&defs[c].variants[v];

			tv[first].name =
				add_string(strings, &strings_size, vd->name);
			tv[first].pred = vd->pred;
			tv[first].pred_arg = vd->pred_arg;
		}
	}
	for (uint32_t i = 0; i < n_sites; i++)
		tc[sites[i].choice].n_sites++;
}

/* Deduplicates the sites' forms: forms[] and each site's index. */
static int collect_forms(const struct synth_site *sites, uint32_t n_sites,
			 struct relink_form *forms, uint8_t *index,
			 struct layout *l)
{
	l->n_forms = 0;
	l->n_branches = 0;
	for (uint32_t i = 0; i < n_sites; i++) {
		int f = find_form(forms, l->n_forms, &sites[i].form);

		if (f < 0) {
			if (l->n_forms == 256)
				return -E2BIG;
			f = (int)l->n_forms++;
			forms[f] = sites[i].form;
		}
		index[i] = (uint8_t)f;
		if (sites[i].form.shape == RELINK_SHAPE_BRANCH)
			l->n_branches++;
	}
	return 0;
}

static void write_sites(const struct synth_site *sites, uint32_t n_sites,
			const struct relink_form *forms, const uint8_t *index,
			char *base, const struct layout *l)
{
	struct relink_site *out = (void *)(base + l->sites);
	int32_t *branches = (void *)(base + l->branches);
	uint32_t n_branches = 0;

	memcpy(base + l->forms, forms, 8 * l->n_forms);
	for (uint32_t i = 0; i < n_sites; i++) {
		out[i].offset_lo = (uint16_t)sites[i].offset;
		out[i].offset_hi = (uint16_t)(sites[i].offset >> 16);
		out[i].choice = sites[i].choice;
		out[i].form = index[i];
		if (sites[i].form.shape == RELINK_SHAPE_BRANCH)
			branches[n_branches++] = sites[i].branch_target;
	}
}

static void write_header(char *base, const struct layout *l,
			 unsigned int n_defs, uint32_t n_sites,
			 uint64_t text_base)
{
	struct relink_table_header *h = (void *)base;

	h->magic = RELINK_TABLE_MAGIC;
	h->version = RELINK_TABLE_VERSION;
	h->header_size = sizeof(*h);
	h->choice_size = sizeof(struct relink_table_choice);
	h->variant_size = sizeof(struct relink_table_variant);
	h->form_size = sizeof(struct relink_form);
	h->site_size = sizeof(struct relink_site);
	h->total_size = l->total;
	h->n_choices = n_defs;
	h->n_variants = l->n_variants;
	h->n_forms = l->n_forms;
	h->n_sites = n_sites;
	h->n_branch_targets = l->n_branches;
	h->strings_size = l->strings_size;
	h->choices_offset = l->choices;
	h->variants_offset = l->variants;
	h->forms_offset = l->forms;
	h->sites_offset = l->sites;
	h->branch_targets_offset = l->branches;
	h->strings_offset = l->strings;
	h->text_base = text_base;
}

int synth_build(const struct relink_choice_def *defs, unsigned int n_defs,
		const struct synth_site *sites, uint32_t n_sites,
		uint64_t text_base, struct synth_table *out)
{
	struct relink_form forms[256];
	uint8_t *index = malloc(n_sites ? n_sites : 1);
	struct layout l;
	char *base = NULL;
	int rc = -ENOMEM;

	if (!index)
		return rc;
	rc = collect_forms(sites, n_sites, forms, index, &l);
	if (rc)
		goto out;
	plan_layout(defs, n_defs, n_sites, &l);
	base = aligned_alloc(8, align8(l.total));
	rc = -ENOMEM;
	if (!base)
		goto out;
	memset(base, 0, align8(l.total));
	write_choices(defs, n_defs, sites, n_sites, base, &l);
	write_sites(sites, n_sites, forms, index, base, &l);
	write_header(base, &l, n_defs, n_sites, text_base);
	out->data = base;
	out->size = l.total;
	rc = 0;
out:
	free(index);
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
