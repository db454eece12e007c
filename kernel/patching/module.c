// SPDX-License-Identifier: MIT
/*
 * Module sites. A loaded module's sites join their choices: the engine
 * keeps the module on a list that every apply pass walks after the
 * table's sites (apply.c), so a switch, a hot-plug decision or a
 * re-decision verifies and writes them with the kernel's, all or nothing.
 *
 * A module may define choices of its own: they join the engine's after
 * every loaded one (their sites are the module's), decided as the image's
 * are at boot, and leave with the module, the later modules' choices
 * moving down over them.
 *
 * Joining happens before the module's text becomes executable: every
 * site must hold the code as compiled (relocated), and gets its choice's
 * current variant by plain stores, all or nothing. Leaving only unlinks:
 * the text is about to be freed. Both wait for a switch to finish, so a
 * switch never sees a module half added or its sites freed under it.
 */
#include <errno.h>
#include <string.h>

#include <relink/arch.h>

#include "patching.h"
#include "strbuf.h"

/* Where a choice's sites find it: its definition, or its call symbol. */
static uint64_t choice_address(const struct relink_choice_def *def,
			       unsigned int shape)
{
	return shape == RELINK_SHAPE_CALL ?
		       (uint64_t)(uintptr_t)def->call_symbol :
		       (uint64_t)(uintptr_t)def;
}

int relink_choice_at(const struct relink_module *m, uint64_t address,
		     unsigned int shape)
{
	const struct relink_engine *e = &relink_engine;

	if (!address)
		return -ENOENT;
	for (unsigned int k = 0; k < m->n_choices; k++)
		if (choice_address(&m->choices[k], shape) == address)
			return (int)(RELINK_OWN_CHOICE | k);
	for (unsigned int c = 0; c < e->n_choices; c++)
		if (choice_address(e->defs[c], shape) == address)
			return (int)c;
	return -ENOENT;
}

const struct relink_module *relink_choice_module(unsigned int c)
{
	for (const struct relink_module *m = relink_engine.modules; m;
	     m = m->next)
		if (c - m->first_choice < m->n_choices)
			return m;
	return NULL;
}

/* Waits out a running switch: module load and unload are never refused. */
static void lock_engine(void)
{
	while (!relink_trylock())
		__builtin_ia32_pause();
}

/*
 * The one line a refused module gets, in m->why, "WHERE: WHAT" (WHAT may
 * continue with detail), which the loader's caller prints. Returns rc.
 */
static int refuse(struct relink_module *m, int rc, const char *where,
		  const char *what, const char *detail)
{
	struct strbuf sb;

	strbuf_init(&sb, m->why, sizeof(m->why));
	strbuf_puts(&sb, where);
	strbuf_puts(&sb, ": ");
	strbuf_puts(&sb, what);
	if (detail)
		strbuf_puts(&sb, detail);
	return rc;
}

static int site_error(struct relink_module *m,
		      const struct relink_module_site *s, const char *what)
{
	char name[96];

	relink_address_name(s->address, name, sizeof(name));
	return refuse(m, -EINVAL, name, what, NULL);
}

/* What the table checker checks of a table's sites, for a module's. */
static int check_site(const struct relink_engine *e, struct relink_module *m,
		      const struct relink_module_site *s)
{
	const struct relink_form *f = &s->form;

	if (s->choice >= e->n_choices)
		return site_error(m, s, "no such choice");
	if (f->shape < 1 || f->shape > RELINK_SHAPE_MAX || !f->length ||
	    f->n_regs > RELINK_MAX_REGS)
		return site_error(m, s, "malformed site operands");
	if (s->address < m->text_start || s->address >= m->text_end ||
	    f->length > m->text_end - s->address)
		return site_error(m, s, "not in the module's text");
	if (f->shape == RELINK_SHAPE_CALL && !e->defs[s->choice]->call_symbol)
		return site_error(
			m, s, "call site of a choice without a call symbol");
	if (f->shape == RELINK_SHAPE_BRANCH &&
	    (s->target < m->text_start || s->target >= m->text_end))
		return site_error(m, s, "branch target not in text");
	return 0;
}

static unsigned int current_variant(const struct relink_engine *e,
				    unsigned int c)
{
	return e->state[c].patched ? e->state[c].variant : RELINK_ORIGINAL;
}

static int emit_error(const struct relink_engine *e, struct relink_module *m,
		      const struct relink_module_site *s, unsigned int variant,
		      const char *why, int rc)
{
	char name[96], detail[160];
	struct strbuf sb;

	relink_address_name(s->address, name, sizeof(name));
	strbuf_init(&sb, detail, sizeof(detail));
	strbuf_puts(&sb, relink_variant_def(e, s->choice, variant)->name);
	strbuf_puts(&sb, " of ");
	strbuf_puts(&sb, e->defs[s->choice]->name);
	strbuf_puts(&sb, ": ");
	strbuf_puts(&sb, why);
	return refuse(m, rc, name, "variant ", detail);
}

/* Every site checked and its current bytes emitted before any write. */
static int verify_module(const struct relink_engine *e, struct relink_module *m)
{
	uint8_t bytes[RELINK_SITE_MAX];
	const char *why = "";
	int rc;

	for (uint32_t k = 0; k < m->n_sites; k++) {
		const struct relink_module_site *s = &m->sites[k];
		unsigned int v;

		rc = check_site(e, m, s);
		if (rc)
			return rc;
		v = current_variant(e, s->choice);
		rc = relink_emit_form(e, &s->form, s->choice, RELINK_ORIGINAL,
				      s->address, s->target, bytes, &why);
		if (rc)
			return emit_error(e, m, s, RELINK_ORIGINAL, why, rc);
		if (!relink_bytes_equal((const uint8_t *)(uintptr_t)s->address,
					bytes, s->form.length))
			return site_error(m, s,
					  "site does not hold the code as "
					  "compiled");
		rc = relink_emit_form(e, &s->form, s->choice, v, s->address,
				      s->target, bytes, &why);
		if (rc)
			return emit_error(e, m, s, v, why, rc);
	}
	return 0;
}

static void write_module(struct relink_engine *e, struct relink_module *m)
{
	const char *why;

	for (uint32_t k = 0; k < m->n_sites; k++) {
		struct relink_module_site *s = &m->sites[k];

		/* Verified: the emission cannot fail now. */
		relink_emit_form(e, &s->form, s->choice,
				 current_variant(e, s->choice), s->address,
				 s->target, (uint8_t *)(uintptr_t)s->address,
				 &why);
		e->state[s->choice].n_sites++;
	}
}

/* The choice called name among the engine's and m's first k, or NULL. */
static const char *name_taken(const struct relink_engine *e,
			      const struct relink_module *m, unsigned int k,
			      const char *name)
{
	for (unsigned int c = 0; c < e->n_choices; c++) {
		const struct relink_module *owner;

		if (strcmp(e->defs[c]->name, name))
			continue;
		owner = relink_choice_module(c);
		return owner ? owner->name : "the kernel";
	}
	for (unsigned int j = 0; j < k; j++)
		if (!strcmp(m->choices[j].name, name))
			return "this module";
	return NULL;
}

/* m's own choices: the image's rules, and names no one has yet. */
static int check_choices(const struct relink_engine *e, struct relink_module *m)
{
	if (m->n_choices > RELINK_MAX_CHOICES - e->n_choices)
		return refuse(m, -ENOSPC, "its choices",
			      "more than the engine holds", NULL);
	for (unsigned int k = 0; k < m->n_choices; k++) {
		const struct relink_choice_def *def = &m->choices[k];
		const char *owner;

		if (!relink_def_ok(def))
			return refuse(m, -EINVAL, "a choice",
				      "malformed definition", NULL);
		owner = name_taken(e, m, k, def->name);
		if (owner)
			return refuse(m, -EEXIST, def->name,
				      "a choice of that name is defined by ",
				      owner);
	}
	return 0;
}

/*
 * m's choices join after every loaded one, decided as the image's are at
 * boot (their decider, then the command line); its sites' references to
 * them become engine indices.
 */
static int add_choices(struct relink_engine *e, struct relink_module *m)
{
	int rc = check_choices(e, m);

	if (rc)
		return rc;
	m->first_choice = e->n_choices;
	for (unsigned int k = 0; k < m->n_choices; k++) {
		unsigned int c = e->n_choices++;
		struct relink_choice_state *st = &e->state[c];

		memset(st, 0, sizeof(*st));
		e->defs[c] = &m->choices[k];
		relink_decide_one(e->defs[c], &st->variant, &st->decided_by);
		st->patched = true;
	}
	for (uint32_t k = 0; k < m->n_sites; k++) {
		struct relink_module_site *s = &m->sites[k];

		if (!(s->choice & RELINK_OWN_CHOICE))
			continue;
		s->choice &= (uint16_t)~RELINK_OWN_CHOICE;
		/* Past its own choices: check_site() refuses it. */
		s->choice = s->choice < m->n_choices ?
				    (uint16_t)(m->first_choice + s->choice) :
				    (uint16_t)e->n_choices;
	}
	return 0;
}

int relink_module_add(struct relink_module *m)
{
	struct relink_engine *e = &relink_engine;
	struct relink_module **tail;
	int rc;

	m->why[0] = '\0';
	lock_engine();
	rc = add_choices(e, m);
	if (!rc) {
		rc = verify_module(e, m);
		/* Its choices were the last to join: they leave as they came. */
		if (rc)
			e->n_choices = m->first_choice;
	}
	if (!rc) {
		write_module(e, m);
		m->next = NULL;
		for (tail = &e->modules; *tail; tail = &(*tail)->next)
			;
		*tail = m;
		e->stats.n_choices = e->n_choices;
	}
	relink_unlock();
	return rc;
}

/* A choice index the stats keep (-1: none), after n from first left. */
static void renumber_stat(int *choice, unsigned int first, unsigned int n)
{
	if (*choice < (int)first)
		return;
	*choice = *choice < (int)(first + n) ? -1 : *choice - (int)n;
}

/* m's choices leave; the later modules' choices move down over them. */
static void remove_choices(struct relink_engine *e,
			   const struct relink_module *m)
{
	unsigned int first = m->first_choice, n = m->n_choices;

	if (!n)
		return;
	for (unsigned int c = first; c + n < e->n_choices; c++) {
		e->defs[c] = e->defs[c + n];
		e->state[c] = e->state[c + n];
	}
	e->n_choices -= n;
	e->stats.n_choices = e->n_choices;
	renumber_stat(&e->stats.last_choice, first, n);
	renumber_stat(&e->stats.longest_choice, first, n);
	/*
	 * Only module choices move, and only their own module's sites name
	 * them; the table's sites and the pattern cache (emit.c) name the
	 * image's choices alone, which never move.
	 */
	for (struct relink_module *o = e->modules; o; o = o->next) {
		if (o->first_choice > first)
			o->first_choice -= n;
		for (uint32_t k = 0; k < o->n_sites; k++)
			if (o->sites[k].choice >= first + n)
				o->sites[k].choice -= (uint16_t)n;
	}
}

void relink_module_remove(struct relink_module *m)
{
	struct relink_engine *e = &relink_engine;

	lock_engine();
	for (struct relink_module **p = &e->modules; *p; p = &(*p)->next) {
		if (*p != m)
			continue;
		*p = m->next;
		for (uint32_t k = 0; k < m->n_sites; k++)
			e->state[m->sites[k].choice].n_sites--;
		remove_choices(e, m);
		break;
	}
	relink_unlock();
}
