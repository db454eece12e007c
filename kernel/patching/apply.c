// SPDX-License-Identifier: MIT
/*
 * Applying a plan, all or nothing. relink_plan_verify() emits both the
 * bytes every touched site should hold now (what the engine last wrote, or
 * the code as compiled) and its new bytes, and compares the former with
 * text: a site whose bytes are not what the engine expects, or that
 * cannot take the new variant, fails the whole plan before anything is
 * written. relink_plan_write() then writes the sites whose bytes change,
 * in one batch of the platform's text pokes, and reads each write back.
 * Emission is deterministic and cached, so the write pass emits again
 * instead of keeping a buffer of every site.
 */
#include <errno.h>
#include <string.h>

#include <relink/arch.h>

#include "patching.h"
#include "strbuf.h"

/*
 * Where a pass over a plan is. Sites are sorted by choice (format.h), so
 * a pass walks the range of each choice the plan touches, in table order.
 */
struct plan_cursor {
	unsigned int choice;
	uint32_t site;
	uint32_t branch; /* the site's branch target, if it is a branch */
};

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

static bool plan_next(const struct relink_engine *e,
		      const struct relink_plan *plan, struct plan_cursor *cur)
{
	cur->branch += relink_site_form(e, cur->site)->shape ==
		       RELINK_SHAPE_BRANCH;
	if (++cur->site < e->state[cur->choice].end_site)
		return true;
	return plan_seek(e, plan, cur, cur->choice + 1);
}

/* Every site of every choice the plan touches, in table order. */
#define for_each_plan_site(e, plan, cur)                        \
	for (bool more_ = plan_seek(e, plan, &(cur), 0); more_; \
	     more_ = plan_next(e, plan, &(cur)))

static const uint8_t *site_text(const struct relink_engine *e, uint32_t i)
{
	return (const uint8_t *)(uintptr_t)relink_site_address(e, i);
}

static void put_bytes(struct strbuf *sb, const uint8_t *p, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++) {
		if (i)
			strbuf_putc(sb, ' ');
		strbuf_puthex8(sb, p[i]);
	}
}

static int emit_error(const struct relink_engine *e, unsigned int c, uint32_t i,
		      unsigned int variant, int rc)
{
	char name[96];

	/* The emitter's reason: relocgen prints the same for the same rule. */
	relink_site_name(e, i, name, sizeof(name));
	relink_log(RELINK_LOG_ERR, "%s: variant %s of %s: %s (%d)\n", name,
		   relink_variant_def(e, c, variant)->name, e->defs[c].name,
		   relink_emit_why(e, c, i, variant), rc);
	return rc;
}

/* The last site verify refused, as one line (relink_refusal()). */
static char refusal[192];

const char *relink_refusal(void)
{
	return refusal;
}

/*
 * Text that is not what the engine wrote or the compiler left: someone
 * else wrote it, so nothing is written (-EIO), and the site is named.
 */
static int mismatch_error(const struct relink_engine *e, unsigned int c,
			  uint32_t i, const uint8_t *expect)
{
	unsigned int len = relink_site_form(e, i)->length;
	char name[96];
	struct strbuf sb;

	relink_site_name(e, i, name, sizeof(name));
	strbuf_init(&sb, refusal, sizeof(refusal));
	strbuf_puts(&sb, name);
	strbuf_puts(&sb, ": site of ");
	strbuf_puts(&sb, e->defs[c].name);
	strbuf_puts(&sb, " holds unexpected bytes (want ");
	put_bytes(&sb, expect, len);
	strbuf_puts(&sb, ", found ");
	put_bytes(&sb, site_text(e, i), len);
	strbuf_puts(&sb, ")");
	relink_log(RELINK_LOG_ERR, "%s; nothing written\n", refusal);
	return -EIO;
}

int relink_plan_verify(struct relink_engine *e, struct relink_plan *plan)
{
	uint8_t expect[RELINK_SITE_MAX], next[RELINK_SITE_MAX];
	struct plan_cursor cur;
	int rc;

	plan->to_write = 0;
	for_each_plan_site (e, plan, cur) {
		unsigned int c = cur.choice;
		uint32_t i = cur.site;
		unsigned int len = relink_site_form(e, i)->length;

		rc = relink_emit_site(e, c, i, plan->from[c], cur.branch,
				      expect);
		if (rc)
			return emit_error(e, c, i, plan->from[c], rc);
		if (!relink_bytes_equal(site_text(e, i), expect, len))
			return mismatch_error(e, c, i, expect);
		if (plan->to[c] == plan->from[c])
			continue;
		rc = relink_emit_site(e, c, i, plan->to[c], cur.branch, next);
		if (rc)
			return emit_error(e, c, i, plan->to[c], rc);
		if (!relink_bytes_equal(expect, next, len))
			plan->to_write++;
	}
	return 0;
}

static int poke(const struct relink_plan *plan, uint64_t addr,
		const uint8_t *bytes, unsigned int len)
{
	void *text = (void *)(uintptr_t)addr;
	int rc = plan->early ?
			 relink_platform_text_poke_early(text, bytes, len) :
			 relink_platform_text_poke(text, bytes, len);

	/* Every write is read back through the executable mapping. */
	if (!rc && !relink_bytes_equal(text, bytes, len))
		rc = -EIO;
	return rc;
}

/* debug-alternative: "site: choice from -> to: old bytes -> new bytes". */
static void log_write(const struct relink_engine *e, unsigned int c, uint32_t i,
		      const struct relink_plan *plan, const uint8_t *before,
		      const uint8_t *after)
{
	unsigned int len = relink_site_form(e, i)->length;
	char name[96], old_text[3 * 16], new_text[3 * 16];
	struct strbuf sb;

	relink_site_name(e, i, name, sizeof(name));
	strbuf_init(&sb, old_text, sizeof(old_text));
	put_bytes(&sb, before, len);
	strbuf_init(&sb, new_text, sizeof(new_text));
	put_bytes(&sb, after, len);
	relink_log(RELINK_LOG_INFO, "%s: %s %s -> %s: %s -> %s\n", name,
		   e->defs[c].name,
		   relink_variant_def(e, c, plan->from[c])->name,
		   relink_variant_def(e, c, plan->to[c])->name, old_text,
		   new_text);
}

/*
 * A write failed at site stop: put the sites before it back, and the
 * failed one too (it held the old bytes before, the verify pass saw them).
 */
static void undo(struct relink_engine *e, const struct relink_plan *plan,
		 uint32_t stop)
{
	uint8_t old[RELINK_SITE_MAX], next[RELINK_SITE_MAX];
	struct plan_cursor cur;

	for_each_plan_site (e, plan, cur) {
		unsigned int c = cur.choice;
		uint32_t i = cur.site;
		unsigned int len = relink_site_form(e, i)->length;

		if (i > stop)
			break;
		if (relink_emit_site(e, c, i, plan->from[c], cur.branch, old))
			continue;
		if (i < stop &&
		    (relink_emit_site(e, c, i, plan->to[c], cur.branch, next) ||
		     !relink_bytes_equal(site_text(e, i), next, len)))
			continue;
		poke(plan, relink_site_address(e, i), old, len);
	}
}

static int write_failed(struct relink_engine *e, struct relink_plan *plan,
			uint32_t i, int rc)
{
	char name[96];

	relink_site_name(e, i, name, sizeof(name));
	relink_log(RELINK_LOG_ERR, "%s: write failed (%d); undoing %u sites\n",
		   name, rc, plan->written);
	undo(e, plan, i);
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
		uint32_t i = cur.site;
		unsigned int len = relink_site_form(e, i)->length;

		if (plan->to[c] == plan->from[c])
			continue;
		rc = relink_emit_site(e, c, i, plan->to[c], cur.branch, next);
		if (rc)
			return write_failed(e, plan, i, rc);
		if (relink_bytes_equal(site_text(e, i), next, len))
			continue;
		if (e->debug)
			memcpy(before, site_text(e, i), len);
		rc = poke(plan, relink_site_address(e, i), next, len);
		if (rc)
			return write_failed(e, plan, i, rc);
		plan->written++;
		if (e->debug)
			log_write(e, c, i, plan, before, next);
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
	rc = write_sites(e, plan);
	relink_platform_text_poke_end();
	return rc;
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

	for_each_plan_site (e, plan, cur) {
		uint64_t addr = relink_site_address(e, cur.site);

		if (plan->to[cur.choice] == plan->from[cur.choice])
			continue;
		if (relink_platform_cpu_inside(
			    addr, addr + relink_site_form(e, cur.site)->length))
			return true;
	}
	return false;
}

/*
 * For a write method of its own (int3.c): fn(ctx, choice, site, next) for
 * every site whose bytes a verified plan changes, in table order, with
 * its new bytes; stops at the first error (fn's or the emitter's).
 */
int relink_plan_for_each_write(const struct relink_engine *e,
			       const struct relink_plan *plan,
			       relink_site_write_fn fn, void *ctx)
{
	uint8_t next[RELINK_SITE_MAX];
	struct plan_cursor cur;
	int rc;

	for_each_plan_site (e, plan, cur) {
		unsigned int c = cur.choice;
		uint32_t i = cur.site;

		if (plan->to[c] == plan->from[c])
			continue;
		rc = relink_emit_site(e, c, i, plan->to[c], cur.branch, next);
		if (!rc && !relink_bytes_equal(site_text(e, i), next,
					       relink_site_form(e, i)->length))
			rc = fn(ctx, c, i, next);
		if (rc)
			return rc;
	}
	return 0;
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
