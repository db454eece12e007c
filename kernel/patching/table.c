// SPDX-License-Identifier: MIT
/*
 * Loading the run-time table that relocgen linked into ".relink.table",
 * and the choice definitions of ".relink.choices" it refers to. Nothing
 * in the table is trusted: the header's magic, version and record sizes,
 * every array's offset and count, every string, every choice, variant,
 * form and site index, every length and every site's place in text are
 * checked before the engine uses any of it, and the table's choices must
 * be the definitions in the image, in order, with the same variants. A
 * table that fails any check is rejected with -EINVAL and one line saying
 * what was wrong.
 */
#include <errno.h>
#include <string.h>

#include <relink/table_check.h>

#include "patching.h"

static int table_error(const char *what, uint64_t value)
{
	relink_log(RELINK_LOG_ERR, "table: %s (%llu)\n", what,
		   (unsigned long long)value);
	return -EINVAL;
}

static int site_error(const struct relink_engine *e, uint32_t index,
		      const char *what)
{
	char name[96];

	relink_site_name(e, index, name, sizeof(name));
	relink_log(RELINK_LOG_ERR, "table: site %u at %s: %s\n", index, name,
		   what);
	return -EINVAL;
}

/*
 * relink_def_ok() - a definition the engine can use: named, with variants,
 * its default, decider and every predicate in range. The image's
 * definitions and every module's pass the same check.
 */
bool relink_def_ok(const struct relink_choice_def *def)
{
	if (!def->name || !def->variants || relink_choice_def_fault(def))
		return false;
	for (unsigned int v = 0; v < def->n_variants; v++) {
		const struct relink_variant_def *vd = &def->variants[v];

		if (!vd->name || (vd->n_insns && !vd->tmpl) ||
		    relink_variant_def_fault(vd))
			return false;
	}
	return true;
}

/* The definitions exist even without a table: check them first. */
static int check_defs(struct relink_engine *e, const struct relink_image *image)
{
	if (image->n_choices > RELINK_MAX_CHOICES ||
	    (image->n_choices && !image->choices))
		return table_error("bad .relink.choices section",
				   image->n_choices);
	e->n_choices = (unsigned int)image->n_choices;
	e->n_image_choices = e->n_choices;
	for (unsigned int c = 0; c < e->n_choices; c++) {
		e->defs[c] = &image->choices[c];
		if (!relink_def_ok(e->defs[c]))
			return table_error("bad choice definition", c);
		e->state[c].variant = e->defs[c]->default_variant;
		e->state[c].decided_by = RELINK_BY_DEFAULT;
	}
	return 0;
}

/*
 * The table on its own, by the checker relocgen runs too (table_check.c):
 * both print the same line for the same defect.
 */
static int check_format(struct relink_engine *e, const void *table, size_t size)
{
	static struct relink_table_view view; /* 4 KiB: not on the stack */
	const struct relink_table_header *h = table;

	if (relink_table_check(&view, table, size)) {
		relink_log(RELINK_LOG_ERR, "table: %s\n", view.error);
		return -EINVAL;
	}
	e->header = h;
	e->choices = view.choices;
	e->variants = view.variants;
	e->forms = view.forms;
	e->sites = view.sites;
	e->branch_targets = view.branch_targets;
	e->strings = view.strings;
	e->n_sites = h->n_sites;
	e->text_base = h->text_base;
	for (unsigned int c = 0; c < h->n_choices && c < e->n_choices; c++) {
		e->state[c].first_variant = view.first_variant[c];
		e->state[c].first_site = view.first_site[c];
		e->state[c].end_site = view.first_site[c + 1];
		e->state[c].first_branch = view.first_branch[c];
		e->state[c].n_sites = e->choices[c].n_sites;
	}
	return 0;
}

static bool string_is(const struct relink_engine *e, uint32_t offset,
		      const char *name)
{
	return offset < e->header->strings_size &&
	       strcmp(e->strings + offset, name) == 0;
}

static bool variants_match(const struct relink_engine *e, unsigned int c,
			   const struct relink_choice_def *def)
{
	for (unsigned int v = 0; v < def->n_variants; v++) {
		const struct relink_table_variant *tv =
			&e->variants[e->state[c].first_variant + v];
		const struct relink_variant_def *vd = &def->variants[v];

		if (!string_is(e, tv->name, vd->name) || tv->pred != vd->pred ||
		    tv->pred_arg != vd->pred_arg)
			return false;
	}
	return true;
}

static int check_choices(const struct relink_engine *e)
{
	if (e->header->n_choices != e->n_choices)
		return table_error("choices differ from .relink.choices",
				   e->header->n_choices);
	for (unsigned int c = 0; c < e->n_choices; c++) {
		const struct relink_table_choice *tc = &e->choices[c];
		const struct relink_choice_def *def = e->defs[c];

		if (!string_is(e, tc->name, def->name) ||
		    tc->n_variants != def->n_variants ||
		    tc->default_variant != def->default_variant ||
		    tc->decider != def->decider || !variants_match(e, c, def)) {
			relink_log(
				RELINK_LOG_ERR,
				"table: choice %u (%s) differs from its definition: stale table?\n",
				c, def->name);
			return -EINVAL;
		}
	}
	return 0;
}

static bool in_text(const struct relink_engine *e, uint64_t addr, uint64_t len)
{
	if (!e->text_end)
		return true;
	return addr >= e->text_start && addr + len <= e->text_end &&
	       addr + len >= addr;
}

/* Where a site may be: in text, its target too. */
static int check_site_place(const struct relink_engine *e, unsigned int c,
			    uint32_t i, uint32_t branch)
{
	const struct relink_form *form = relink_site_form(e, i);
	uint64_t addr = relink_site_address(e, i);

	if (!in_text(e, addr, form->length))
		return site_error(e, i, "not in text");
	if (form->shape == RELINK_SHAPE_CALL && !e->defs[c]->call_symbol)
		return site_error(
			e, i, "call site of a choice without a call symbol");
	if (form->shape == RELINK_SHAPE_BRANCH &&
	    !in_text(e, addr + form->length + e->branch_targets[branch], 1))
		return site_error(e, i, "branch target not in text");
	return 0;
}

/* The checker saw the table; what it cannot see is the image's text. */
static int check_sites(struct relink_engine *e)
{
	for (unsigned int c = 0; c < e->n_choices; c++) {
		uint32_t branch = e->state[c].first_branch;

		for (uint32_t i = e->state[c].first_site;
		     i < e->state[c].end_site; i++) {
			int rc = check_site_place(e, c, i, branch);

			if (rc)
				return rc;
			branch += relink_site_form(e, i)->shape ==
				  RELINK_SHAPE_BRANCH;
			e->stats.sites_by_shape[relink_site_form(e, i)->shape]++;
		}
	}
	return 0;
}

static int check_table(struct relink_engine *e, const void *table, size_t size)
{
	int rc = check_format(e, table, size);

	if (!rc)
		rc = check_choices(e);
	if (!rc)
		rc = check_sites(e);
	return rc;
}

/**
 * relink_site_choice() - the choice whose range holds site index.
 *
 * Sites are sorted by choice (format.h); the ranges are searched in
 * halves. For the views and messages; the apply passes walk the ranges.
 */
unsigned int relink_site_choice(const struct relink_engine *e, uint32_t index)
{
	unsigned int low = 0, high = e->n_choices;

	while (high - low > 1) {
		unsigned int mid = low + (high - low) / 2;

		if (e->state[mid].first_site <= index)
			low = mid;
		else
			high = mid;
	}
	return low;
}

/**
 * relink_table_load() - validate and adopt image's table and choices.
 *
 * Resets the engine first. No table (link 1) is not an error: the engine
 * then knows the choices but no sites. On error the engine is left reset,
 * without a table.
 */
int relink_table_load(struct relink_engine *e, const struct relink_image *image)
{
	int rc;

	relink_engine_reset(e);
	e->text_start = image->text_start;
	e->text_end = image->text_end;
	rc = check_defs(e, image);
	if (rc)
		goto fail;
	e->stats.n_choices = e->n_choices;
	if (!image->table || !image->table_size)
		return 0;
	rc = check_table(e, image->table, image->table_size);
	if (rc)
		goto fail;
	e->stats.have_table = true;
	e->stats.table_bytes = e->header->total_size;
	e->stats.n_forms = e->header->n_forms;
	e->stats.n_sites = e->n_sites;
	return 0;
fail:
	relink_engine_reset(e);
	return rc;
}
