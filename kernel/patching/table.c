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

static bool def_ok(const struct relink_choice_def *def)
{
	if (!def->name || !def->variants || !def->n_variants ||
	    def->default_variant >= def->n_variants ||
	    def->decider > RELINK_DECIDER_MAX)
		return false;
	for (unsigned int v = 0; v < def->n_variants; v++) {
		const struct relink_variant_def *vd = &def->variants[v];

		if (!vd->name || (vd->n_insns && !vd->tmpl) ||
		    vd->pred > RELINK_PRED_MAX)
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
	e->defs = image->choices;
	e->n_choices = (unsigned int)image->n_choices;
	for (unsigned int c = 0; c < e->n_choices; c++) {
		if (!def_ok(&e->defs[c]))
			return table_error("bad choice definition", c);
		e->state[c].variant = e->defs[c].default_variant;
		e->state[c].decided_by = RELINK_BY_DEFAULT;
	}
	return 0;
}

/* count records of size bytes at offset lie inside the table, aligned. */
static bool array_ok(const struct relink_table_header *h, uint32_t offset,
		     uint32_t count, uint32_t size, uint32_t align)
{
	uint64_t end = (uint64_t)offset + (uint64_t)count * size;

	return offset % align == 0 && offset >= h->header_size &&
	       end <= h->total_size;
}

static int check_header(const struct relink_table_header *h, size_t size)
{
	if (size < sizeof(*h) || (uintptr_t)h % 8)
		return table_error("too small or misaligned", size);
	if (h->magic != RELINK_TABLE_MAGIC)
		return table_error("bad magic", h->magic);
	if (h->version != RELINK_TABLE_VERSION)
		return table_error("unsupported version", h->version);
	if (h->header_size != sizeof(*h) ||
	    h->choice_size != sizeof(struct relink_table_choice) ||
	    h->variant_size != sizeof(struct relink_table_variant) ||
	    h->form_size != sizeof(struct relink_form) ||
	    h->site_size != sizeof(struct relink_site))
		return table_error("record sizes differ from version 1",
				   h->header_size);
	if (h->total_size > size)
		return table_error("total size beyond the section",
				   h->total_size);
	return 0;
}

static int check_arrays(const struct relink_table_header *h)
{
	if (!array_ok(h, h->choices_offset, h->n_choices, h->choice_size, 8) ||
	    !array_ok(h, h->variants_offset, h->n_variants, h->variant_size,
		      8) ||
	    !array_ok(h, h->forms_offset, h->n_forms, h->form_size, 8) ||
	    !array_ok(h, h->sites_offset, h->n_sites, h->site_size, 8) ||
	    !array_ok(h, h->branch_targets_offset, h->n_branch_targets, 4, 8) ||
	    !array_ok(h, h->strings_offset, h->strings_size, 1, 1))
		return table_error("an array lies outside the table",
				   h->total_size);
	if (h->n_forms > RELINK_MAX_FORMS)
		return table_error("too many forms", h->n_forms);
	if (!h->strings_size ||
	    ((const char *)h)[h->strings_offset + h->strings_size - 1])
		return table_error("string table not terminated",
				   h->strings_size);
	return 0;
}

static void map_arrays(struct relink_engine *e,
		       const struct relink_table_header *h)
{
	const char *base = (const char *)h;

	e->header = h;
	e->choices = (const void *)(base + h->choices_offset);
	e->variants = (const void *)(base + h->variants_offset);
	e->forms = (const void *)(base + h->forms_offset);
	e->sites = (const void *)(base + h->sites_offset);
	e->branch_targets = (const void *)(base + h->branch_targets_offset);
	e->strings = base + h->strings_offset;
	e->n_sites = h->n_sites;
	e->text_base = h->text_base;
}

static bool string_is(const struct relink_engine *e, uint32_t offset,
		      const char *name)
{
	return offset < e->header->strings_size &&
	       strcmp(e->strings + offset, name) == 0;
}

static bool variants_match(const struct relink_engine *e,
			   const struct relink_table_choice *tc,
			   const struct relink_choice_def *def)
{
	if ((uint32_t)tc->first_variant + tc->n_variants >
	    e->header->n_variants)
		return false;
	for (unsigned int v = 0; v < def->n_variants; v++) {
		const struct relink_table_variant *tv =
			&e->variants[tc->first_variant + v];
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
		const struct relink_choice_def *def = &e->defs[c];

		if (!string_is(e, tc->name, def->name) ||
		    tc->n_variants != def->n_variants ||
		    tc->default_variant != def->default_variant ||
		    tc->decider != def->decider ||
		    !variants_match(e, tc, def)) {
			relink_log(
				RELINK_LOG_ERR,
				"table: choice %u (%s) differs from its definition: stale table?\n",
				c, def->name);
			return -EINVAL;
		}
	}
	return 0;
}

static bool form_ok(const struct relink_form *f)
{
	if (f->n_regs > RELINK_MAX_REGS)
		return false;
	for (unsigned int r = 0; r < f->n_regs; r++)
		if (f->regs[r] > 15)
			return false;
	switch (f->shape) {
	case RELINK_SHAPE_CALL:
		return f->length == 5;
	case RELINK_SHAPE_INLINE:
		return f->length >= 1;
	case RELINK_SHAPE_LOCK:
		return f->length == 1;
	case RELINK_SHAPE_BRANCH:
		return f->length == 2 || f->length == 5;
	}
	return false;
}

static int check_forms(const struct relink_engine *e)
{
	for (uint32_t f = 0; f < e->header->n_forms; f++)
		if (!form_ok(&e->forms[f]))
			return table_error("bad form", f);
	return 0;
}

static bool in_text(const struct relink_engine *e, uint64_t addr, uint64_t len)
{
	if (!e->text_end)
		return true;
	return addr >= e->text_start && addr + len <= e->text_end &&
	       addr + len >= addr;
}

/* Where a site may be: in text, after the previous one, its target too. */
static int check_site_place(const struct relink_engine *e, uint32_t i,
			    uint64_t prev_end, uint32_t branch)
{
	const struct relink_form *form = relink_site_form(e, i);
	uint64_t addr = relink_site_address(e, i);

	if (i && relink_site_offset(&e->sites[i]) < prev_end)
		return site_error(
			e, i, "overlaps the previous site (or out of order)");
	if (!in_text(e, addr, form->length))
		return site_error(e, i, "not in text");
	if (form->shape == RELINK_SHAPE_CALL &&
	    !e->defs[e->sites[i].choice].call_symbol)
		return site_error(
			e, i, "call site of a choice without a call symbol");
	if (form->shape == RELINK_SHAPE_BRANCH) {
		if (branch >= e->header->n_branch_targets)
			return site_error(e, i, "branch site without a target");
		if (!in_text(e, addr + form->length + e->branch_targets[branch],
			     1))
			return site_error(e, i, "branch target not in text");
	}
	return 0;
}

static void note_site(struct relink_engine *e, uint32_t i, uint32_t branch)
{
	const struct relink_site *s = &e->sites[i];
	struct relink_choice_state *st = &e->state[s->choice];

	if (!st->n_sites++) {
		st->first_site = i;
		st->first_branch = branch;
	}
	st->end_site = i + 1;
	e->stats.sites_by_shape[relink_site_form(e, i)->shape]++;
}

static int check_sites(struct relink_engine *e)
{
	uint64_t prev_end = 0;
	uint32_t branches = 0;

	for (uint32_t i = 0; i < e->n_sites; i++) {
		const struct relink_site *s = &e->sites[i];
		int rc;

		if (s->choice >= e->n_choices || s->form >= e->header->n_forms)
			return site_error(e, i,
					  "choice or form index out of range");
		rc = check_site_place(e, i, prev_end, branches);
		if (rc)
			return rc;
		prev_end = relink_site_offset(s) +
			   (uint64_t)relink_site_form(e, i)->length;
		note_site(e, i, branches);
		if (relink_site_form(e, i)->shape == RELINK_SHAPE_BRANCH)
			branches++;
	}
	if (branches != e->header->n_branch_targets)
		return table_error("branch targets do not match branch sites",
				   e->header->n_branch_targets);
	for (unsigned int c = 0; c < e->n_choices; c++)
		if (e->state[c].n_sites != e->choices[c].n_sites)
			return table_error("site count of a choice is wrong",
					   c);
	return 0;
}

static int check_table(struct relink_engine *e, const void *table, size_t size)
{
	const struct relink_table_header *h = table;
	int rc = check_header(h, size);

	if (!rc)
		rc = check_arrays(h);
	if (rc)
		return rc;
	map_arrays(e, h);
	rc = check_choices(e);
	if (!rc)
		rc = check_forms(e);
	if (!rc)
		rc = check_sites(e);
	return rc;
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
