// SPDX-License-Identifier: MIT
/*
 * Applying a plan, all or nothing, to the table's sites and the loaded
 * modules' alike. relink_plan_verify() emits both the
 * bytes every touched site should hold now (what the engine last wrote, or
 * the code as compiled) and its new bytes, and compares the former with
 * text: a site whose bytes are not what the engine expects, or that
 * cannot take the new variant, fails the whole plan before anything is
 * written. relink_plan_write() then writes the sites whose bytes change,
 * in one batch of the platform's text pokes, and reads each write back.
 *
 * A plan is staged as it is verified: each changing site's address and
 * its old and new bytes, in a static buffer, so that the write pass (in
 * the stop, or by the INT3 protocol) only copies bytes. A plan too big
 * for the stage (a table of a million sites at boot) is written by
 * emitting again in the write pass (emission is deterministic and
 * cached), inside the stop for a run-time switch.
 */
#include <errno.h>
#include <string.h>

#include <relink/arch.h>

#include "patching.h"
#include "strbuf.h"

/* To the first site of the first touched choice from c on; false: none. */
static bool plan_seek(const struct relink_engine *e,
		      const struct relink_plan *plan, struct plan_cursor *cur,
		      unsigned int c)
{
	for (; c < e->n_choices; c++) {
		const struct relink_choice_state *st = &e->state[c];

		if (plan->touch[c] && st->first_site < st->end_site) {
			cur->choice = c;
			cur->site = st->first_site;
			cur->branch = st->first_branch;
			return true;
		}
	}
	return false;
}

/* To the first site of a touched choice in module m from site k on. */
static bool module_seek(const struct relink_plan *plan, struct plan_cursor *cur,
			const struct relink_module *m, uint32_t k)
{
	for (; m; m = m->next, k = 0) {
		for (; k < m->n_sites; k++) {
			if (plan->touch[m->sites[k].choice]) {
				cur->module = m;
				cur->msite = k;
				cur->choice = m->sites[k].choice;
				return true;
			}
		}
	}
	return false;
}

static bool plan_first(const struct relink_engine *e,
		       const struct relink_plan *plan, struct plan_cursor *cur)
{
	cur->module = NULL;
	cur->ordinal = 0;
	return plan_seek(e, plan, cur, 0) ||
	       module_seek(plan, cur, e->modules, 0);
}

static bool plan_next(const struct relink_engine *e,
		      const struct relink_plan *plan, struct plan_cursor *cur)
{
	cur->ordinal++;
	if (cur->module)
		return module_seek(plan, cur, cur->module, cur->msite + 1);
	cur->branch += relink_site_form(e, cur->site)->shape ==
		       RELINK_SHAPE_BRANCH;
	if (++cur->site < e->state[cur->choice].end_site)
		return true;
	return plan_seek(e, plan, cur, cur->choice + 1) ||
	       module_seek(plan, cur, e->modules, 0);
}

/* Every site of every choice the plan touches: the table's, the modules'. */
#define for_each_plan_site(e, plan, cur)                      \
	for (bool more_ = plan_first(e, plan, &(cur)); more_; \
	     more_ = plan_next(e, plan, &(cur)))

const struct relink_form *relink_cursor_form(const struct relink_engine *e,
					     const struct plan_cursor *cur)
{
	if (cur->module)
		return &cur->module->sites[cur->msite].form;
	return relink_site_form(e, cur->site);
}

uint64_t relink_cursor_address(const struct relink_engine *e,
			       const struct plan_cursor *cur)
{
	if (cur->module)
		return cur->module->sites[cur->msite].address;
	return relink_site_address(e, cur->site);
}

int relink_cursor_emit(const struct relink_engine *e,
		       const struct plan_cursor *cur, unsigned int variant,
		       uint8_t *out)
{
	const struct relink_module_site *ms;
	const char *why;

	if (!cur->module)
		return relink_emit_site(e, cur->choice, cur->site, variant,
					cur->branch, out);
	ms = &cur->module->sites[cur->msite];
	return relink_emit_form(e, &ms->form, cur->choice, variant, ms->address,
				ms->target, out, &why);
}

static const char *cursor_why(const struct relink_engine *e,
			      const struct plan_cursor *cur,
			      unsigned int variant)
{
	const struct relink_module_site *ms;
	uint8_t out[RELINK_SITE_MAX];
	const char *why = "";

	if (!cur->module)
		return relink_emit_why(e, cur->choice, cur->site, variant);
	ms = &cur->module->sites[cur->msite];
	relink_emit_form(e, &ms->form, cur->choice, variant, ms->address,
			 ms->target, out, &why);
	return why;
}

void relink_cursor_name(const struct relink_engine *e,
			const struct plan_cursor *cur, char *buf, size_t size)
{
	relink_address_name(relink_cursor_address(e, cur), buf, size);
}

static const uint8_t *cursor_text(const struct relink_engine *e,
				  const struct plan_cursor *cur)
{
	return (const uint8_t *)(uintptr_t)relink_cursor_address(e, cur);
}

static void put_bytes(struct strbuf *sb, const uint8_t *p, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++) {
		if (i)
			strbuf_putc(sb, ' ');
		strbuf_puthex8(sb, p[i]);
	}
}

static int emit_error(const struct relink_engine *e,
		      const struct plan_cursor *cur, unsigned int variant,
		      int rc)
{
	char name[96];

	/* The emitter's reason: relocgen prints the same for the same rule. */
	relink_cursor_name(e, cur, name, sizeof(name));
	relink_log(RELINK_LOG_ERR, "%s: variant %s of %s: %s (%d)\n", name,
		   relink_variant_def(e, cur->choice, variant)->name,
		   e->defs[cur->choice]->name, cursor_why(e, cur, variant), rc);
	return rc;
}

/* The last refusal of verify or of a forced method, as one line. */
static char refusal[192];

const char *relink_refusal(void)
{
	return refusal;
}

/* Starts the line relink_refusal() returns; the caller writes it. */
void relink_refusal_start(struct strbuf *sb)
{
	strbuf_init(sb, refusal, sizeof(refusal));
}

/*
 * Text that is not what the engine wrote or the compiler left: someone
 * else wrote it, so nothing is written (-EIO), and the site is named.
 */
static int mismatch_error(const struct relink_engine *e,
			  const struct plan_cursor *cur, const uint8_t *expect)
{
	unsigned int len = relink_cursor_form(e, cur)->length;
	char name[96];
	struct strbuf sb;

	relink_cursor_name(e, cur, name, sizeof(name));
	relink_refusal_start(&sb);
	strbuf_puts(&sb, name);
	strbuf_puts(&sb, ": site of ");
	strbuf_puts(&sb, e->defs[cur->choice]->name);
	strbuf_puts(&sb, " holds unexpected bytes (want ");
	put_bytes(&sb, expect, len);
	strbuf_puts(&sb, ", found ");
	put_bytes(&sb, cursor_text(e, cur), len);
	strbuf_puts(&sb, ")");
	relink_log(RELINK_LOG_ERR, "%s; nothing written\n", refusal);
	return -EIO;
}

struct relink_stage relink_stage;

/* Stages a changing site (its old bytes verified); false: no room. */
static bool stage_add(const struct relink_engine *e,
		      const struct plan_cursor *cur,
		      const struct relink_form *form, const uint8_t *old,
		      const uint8_t *next)
{
	unsigned int len = form->length;
	struct relink_stage *st = &relink_stage;
	struct relink_staged_site *s = &st->site[st->n];

	if (st->n == RELINK_STAGE_SITES ||
	    st->used + 2 * len > RELINK_STAGE_BYTES)
		return false;
	s->address = relink_cursor_address(e, cur);
	s->at = (uint16_t)st->used;
	s->length = (uint8_t)len;
	s->choice = (uint8_t)cur->choice;
	s->shape = form->shape;
	memcpy(st->bytes + s->at, next, len);
	memcpy(st->bytes + s->at + len, old, len);
	st->used += 2 * len;
	st->n++;
	return true;
}

int relink_plan_verify(struct relink_engine *e, struct relink_plan *plan)
{
	uint8_t expect[RELINK_SITE_MAX], next[RELINK_SITE_MAX];
	struct plan_cursor cur;
	int rc;

	plan->to_write = 0;
	/* Staged as it is verified, while it fits. */
	plan->staged = true;
	relink_stage.n = relink_stage.used = 0;
	for_each_plan_site (e, plan, cur) {
		const struct relink_form *form = relink_cursor_form(e, &cur);
		unsigned int c = cur.choice, len = form->length;

		rc = relink_cursor_emit(e, &cur, plan->from[c], expect);
		if (rc)
			return emit_error(e, &cur, plan->from[c], rc);
		if (!relink_bytes_equal(cursor_text(e, &cur), expect, len))
			return mismatch_error(e, &cur, expect);
		if (plan->to[c] == plan->from[c])
			continue;
		rc = relink_cursor_emit(e, &cur, plan->to[c], next);
		if (rc)
			return emit_error(e, &cur, plan->to[c], rc);
		if (relink_bytes_equal(expect, next, len))
			continue;
		plan->to_write++;
		if (plan->staged)
			plan->staged = stage_add(e, &cur, form, expect, next);
	}
	return 0;
}

/*
 * Every write of the engine (here and int3.c) goes through the platform
 * and is read back through the executable mapping, here alone.
 */
int relink_text_write(bool early, uint64_t addr, const uint8_t *bytes,
		      unsigned int len)
{
	void *text = (void *)(uintptr_t)addr;
	int rc = early ? relink_platform_text_poke_early(text, bytes, len) :
			 relink_platform_text_poke(text, bytes, len);

	if (!rc && !relink_bytes_equal(text, bytes, len))
		rc = -EIO;
	return rc;
}

static int poke(const struct relink_plan *plan, uint64_t addr,
		const uint8_t *bytes, unsigned int len)
{
	return relink_text_write(plan->early, addr, bytes, len);
}

/* debug-alternative: "site: choice from -> to: old bytes -> new bytes". */
static void log_write(const struct relink_engine *e, uint64_t address,
		      unsigned int c, const struct relink_plan *plan,
		      const uint8_t *before, const uint8_t *after,
		      unsigned int len)
{
	char name[96], old_text[3 * 16], new_text[3 * 16];
	struct strbuf sb;

	relink_address_name(address, name, sizeof(name));
	strbuf_init(&sb, old_text, sizeof(old_text));
	put_bytes(&sb, before, len);
	strbuf_init(&sb, new_text, sizeof(new_text));
	put_bytes(&sb, after, len);
	relink_log(RELINK_LOG_INFO, "%s: %s %s -> %s: %s -> %s\n", name,
		   e->defs[c]->name,
		   relink_variant_def(e, c, plan->from[c])->name,
		   relink_variant_def(e, c, plan->to[c])->name, old_text,
		   new_text);
}

/*
 * A write failed at the site the pass reached as number stop: put the
 * sites before it back, and the failed one too (it held the old bytes
 * before, the verify pass saw them).
 */
static void undo(struct relink_engine *e, const struct relink_plan *plan,
		 uint32_t stop)
{
	uint8_t old[RELINK_SITE_MAX], next[RELINK_SITE_MAX];
	struct plan_cursor cur;

	for_each_plan_site (e, plan, cur) {
		unsigned int c = cur.choice;
		unsigned int len = relink_cursor_form(e, &cur)->length;

		if (cur.ordinal > stop)
			break;
		if (relink_cursor_emit(e, &cur, plan->from[c], old))
			continue;
		if (cur.ordinal < stop &&
		    (relink_cursor_emit(e, &cur, plan->to[c], next) ||
		     !relink_bytes_equal(cursor_text(e, &cur), next, len)))
			continue;
		poke(plan, relink_cursor_address(e, &cur), old, len);
	}
}

static void say_write_failed(uint64_t address, int rc, uint32_t written)
{
	char name[96];

	relink_address_name(address, name, sizeof(name));
	relink_log(RELINK_LOG_ERR, "%s: write failed (%d); undoing %u sites\n",
		   name, rc, written);
}

static int write_failed(struct relink_engine *e, struct relink_plan *plan,
			const struct plan_cursor *cur, int rc)
{
	say_write_failed(relink_cursor_address(e, cur), rc, plan->written);
	undo(e, plan, cur->ordinal);
	return rc;
}

static int write_sites(struct relink_engine *e, struct relink_plan *plan)
{
	uint8_t next[RELINK_SITE_MAX], before[RELINK_SITE_MAX];
	struct plan_cursor cur;
	int rc;

	plan->written = 0;
	for_each_plan_site (e, plan, cur) {
		unsigned int c = cur.choice;
		unsigned int len = relink_cursor_form(e, &cur)->length;

		if (plan->to[c] == plan->from[c])
			continue;
		rc = relink_cursor_emit(e, &cur, plan->to[c], next);
		if (rc)
			return write_failed(e, plan, &cur, rc);
		if (relink_bytes_equal(cursor_text(e, &cur), next, len))
			continue;
		if (e->debug)
			memcpy(before, cursor_text(e, &cur), len);
		rc = poke(plan, relink_cursor_address(e, &cur), next, len);
		if (rc)
			return write_failed(e, plan, &cur, rc);
		plan->written++;
		if (e->debug)
			log_write(e, relink_cursor_address(e, &cur), c, plan,
				  before, next, len);
	}
	return 0;
}

/* The old bytes of the staged sites up to and including number last. */
static void undo_staged(const struct relink_plan *plan, uint32_t last)
{
	for (uint32_t k = 0; k <= last; k++) {
		const struct relink_staged_site *s = &relink_stage.site[k];

		poke(plan, s->address, relink_staged_old(s), s->length);
	}
}

static int write_staged(struct relink_engine *e, struct relink_plan *plan)
{
	plan->written = 0;
	for (uint32_t k = 0; k < relink_stage.n; k++) {
		const struct relink_staged_site *s = &relink_stage.site[k];
		const uint8_t *next = relink_staged_new(s);
		int rc = poke(plan, s->address, next, s->length);

		if (rc) {
			say_write_failed(s->address, rc, plan->written);
			undo_staged(plan, k);
			return rc;
		}
		plan->written++;
		if (e->debug)
			log_write(e, s->address, s->choice, plan,
				  relink_staged_old(s), next, s->length);
	}
	return 0;
}

/*
 * One batch for the whole plan (and its undo, should a write fail): each
 * page of text gets its writable alias once, and one flush ends it.
 */
int relink_plan_write(struct relink_engine *e, struct relink_plan *plan)
{
	int rc;

	relink_platform_text_poke_begin();
	rc = plan->staged ? write_staged(e, plan) : write_sites(e, plan);
	relink_platform_text_poke_end();
	return rc;
}

static bool cpu_inside_staged(void)
{
	for (uint32_t k = 0; k < relink_stage.n; k++) {
		const struct relink_staged_site *s = &relink_stage.site[k];

		if (relink_platform_cpu_inside(s->address,
					       s->address + s->length))
			return true;
	}
	return false;
}

/*
 * Under stop_machine, before writing: is a stopped CPU in the middle of a
 * site the plan changes? Writing would make it resume inside another
 * instruction, so the caller releases the machine and tries again.
 */
bool relink_plan_cpu_inside(const struct relink_engine *e,
			    const struct relink_plan *plan)
{
	struct plan_cursor cur;

	if (plan->staged)
		return cpu_inside_staged();
	for_each_plan_site (e, plan, cur) {
		uint64_t addr = relink_cursor_address(e, &cur);

		if (plan->to[cur.choice] == plan->from[cur.choice])
			continue;
		if (relink_platform_cpu_inside(
			    addr, addr + relink_cursor_form(e, &cur)->length))
			return true;
	}
	return false;
}

/** relink_plan_commit() - record a written plan as the choices' state. */
void relink_plan_commit(struct relink_engine *e, const struct relink_plan *plan)
{
	for (unsigned int c = 0; c < e->n_choices; c++) {
		if (!plan->touch[c])
			continue;
		e->state[c].variant = plan->to[c];
		e->state[c].decided_by = plan->by[c];
		e->state[c].patched = true;
	}
}
