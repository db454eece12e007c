// SPDX-License-Identifier: MIT
/*
 * Module sites. A loaded module's sites join their choices: the engine
 * keeps the module on a list that every apply pass walks after the
 * table's sites (apply.c), so a switch, a hot-plug decision or a
 * re-decision verifies and writes them with the kernel's, all or nothing.
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

int relink_choice_at(uint64_t address, unsigned int shape)
{
	const struct relink_engine *e = &relink_engine;

	for (unsigned int c = 0; c < e->n_choices; c++) {
		const struct relink_choice_def *def = &e->defs[c];
		uint64_t at = shape == RELINK_SHAPE_CALL ?
				      (uint64_t)(uintptr_t)def->call_symbol :
				      (uint64_t)(uintptr_t)def;

		if (at && at == address)
			return (int)c;
	}
	return -ENOENT;
}

/* Waits out a running switch: module load and unload are never refused. */
static void lock_engine(void)
{
	while (!relink_trylock())
		__builtin_ia32_pause();
}

static int site_error(const struct relink_module *m,
		      const struct relink_module_site *s, const char *what)
{
	char name[96];

	relink_address_name(s->address, name, sizeof(name));
	relink_log(RELINK_LOG_ERR, "%s: %s: %s; nothing written\n", m->name,
		   name, what);
	return -EINVAL;
}

/* What the table checker checks of a table's sites, for a module's. */
static int check_site(const struct relink_engine *e,
		      const struct relink_module *m,
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
	if (f->shape == RELINK_SHAPE_CALL && !e->defs[s->choice].call_symbol)
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

static int emit_error(const struct relink_engine *e,
		      const struct relink_module *m,
		      const struct relink_module_site *s, unsigned int variant,
		      const char *why, int rc)
{
	char name[96];

	relink_address_name(s->address, name, sizeof(name));
	relink_log(RELINK_LOG_ERR, "%s: %s: variant %s of %s: %s (%d)\n",
		   m->name, name,
		   relink_variant_def(e, s->choice, variant)->name,
		   e->defs[s->choice].name, why, rc);
	return rc;
}

/* Every site checked and its current bytes emitted before any write. */
static int verify_module(const struct relink_engine *e,
			 const struct relink_module *m)
{
	uint8_t bytes[RELINK_SITE_MAX];
	const char *why = "";
	int rc;

	for (uint32_t k = 0; k < m->n_sites; k++) {
		const struct relink_module_site *s = &m->sites[k];
		unsigned int v = current_variant(e, s->choice);

		rc = check_site(e, m, s);
		if (rc)
			return rc;
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

int relink_module_add(struct relink_module *m)
{
	struct relink_engine *e = &relink_engine;
	struct relink_module **tail;
	int rc;

	lock_engine();
	rc = verify_module(e, m);
	if (!rc) {
		write_module(e, m);
		m->next = NULL;
		for (tail = &e->modules; *tail; tail = &(*tail)->next)
			;
		*tail = m;
	}
	relink_unlock();
	return rc;
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
		break;
	}
	relink_unlock();
}
