// SPDX-License-Identifier: MIT
/*
 * The INT3 write method: a run-time switch that rewrites its sites while
 * every CPU keeps running, by the breakpoint protocol of Linux's
 * text_poke_bp(). It is safe only where a CPU can never be between two
 * instructions of a site, so that it runs either the old instruction or
 * the new one whole: a site that holds one call, one jmp (its padding is
 * never reached) or one NOP before and after, and a one-byte lock prefix.
 * Inline sites (several instructions) keep stop_machine. This file also
 * owns which method a switch uses ("auto", or forced for tests and
 * benchmarks by relink.method= and debugfs).
 */
#include <errno.h>
#include <string.h>

#include "patching.h"
#include "strbuf.h"

/* The sites of one switch (all staged); a switch with more stops. */
#define RELINK_INT3_MAX RELINK_STAGE_SITES

static const char *const method_names[] = {
	[RELINK_METHOD_STOP] = "stop",
	[RELINK_METHOD_INT3] = "int3",
};

#define RELINK_METHOD_AUTO (-1)
static int method_forced = RELINK_METHOD_AUTO;

/*
 * The #BP handler's redirect table: the staged sites (relink_stage, which
 * keeps their old bytes too, to undo a failed write) with their new bytes.
 */
static struct relink_breakpoint int3_new[RELINK_INT3_MAX];
static unsigned int int3_count;

int relink_method_force(const char *name)
{
	if (!strcmp(name, "auto")) {
		method_forced = RELINK_METHOD_AUTO;
		return 0;
	}
	for (int m = 0;
	     m < (int)(sizeof(method_names) / sizeof(method_names[0])); m++) {
		if (!strcmp(name, method_names[m])) {
			method_forced = m;
			return 0;
		}
	}
	return -EINVAL;
}

const char *relink_method_forced(void)
{
	return method_forced < 0 ? "auto" : method_names[method_forced];
}

/* A call site's code is one instruction: a call, or the 5-byte NOP. */
static bool one_call_or_nothing(const struct relink_engine *e, unsigned int c,
				unsigned int variant)
{
	const struct relink_variant_def *v = relink_variant_def(e, c, variant);

	if (variant == RELINK_ORIGINAL) /* the call of the call symbol */
		return true;
	return v->n_insns == 0 ||
	       (v->n_insns == 1 && v->tmpl && relink_op_is_call(v->tmpl[0].op));
}

/* Why staged site s cannot be written by int3, or NULL. */
static const char *int3_unsafe(const struct relink_engine *e,
			       const struct relink_plan *plan,
			       const struct relink_staged_site *s)
{
	unsigned int c = s->choice;

	if (s->length > RELINK_BREAKPOINT_MAX)
		return "a site longer than one instruction";
	switch (s->shape) {
	case RELINK_SHAPE_LOCK:
	case RELINK_SHAPE_BRANCH:
		return NULL;
	case RELINK_SHAPE_CALL:
		if (one_call_or_nothing(e, c, plan->from[c]) &&
		    one_call_or_nothing(e, c, plan->to[c]))
			return NULL;
		return "inline code at a call site";
	default:
		return "an inline site";
	}
}

/*
 * Where int3 cannot write: stop_machine, unless int3 is forced, which is
 * refused with one line (relink_refusal()) naming the site at address
 * (0: none to blame) and why.
 */
static int no_int3(const struct relink_engine *e, unsigned int c,
		   uint64_t address, const char *why)
{
	char site[96];
	struct strbuf sb;

	if (method_forced == RELINK_METHOD_AUTO)
		return RELINK_METHOD_STOP;
	relink_refusal_start(&sb);
	strbuf_puts(&sb, "relink.method=int3 cannot ");
	if (address) {
		relink_address_name(address, site, sizeof(site));
		strbuf_puts(&sb, "write ");
		strbuf_puts(&sb, site);
	} else {
		strbuf_puts(&sb, "work here");
	}
	strbuf_puts(&sb, " (");
	strbuf_puts(&sb, why);
	strbuf_puts(&sb, ")");
	relink_log(RELINK_LOG_WARN, "%s: %s; nothing written\n",
		   e->defs[c]->name, relink_refusal());
	return -EOPNOTSUPP;
}

/*
 * int3 where every site the plan changes allows it, else stop_machine
 * (no_int3()). The sites are the stage's: a plan too big for it stops.
 */
int relink_pick_method(const struct relink_engine *e,
		       const struct relink_plan *plan, unsigned int choice)
{
	if (method_forced == RELINK_METHOD_STOP)
		return RELINK_METHOD_STOP;
	if (!relink_platform_breakpoints_usable())
		return no_int3(e, choice, 0,
			       "an int3 does not reach the #BP handler "
			       "under KVM's instruction emulator");
	if (!plan->staged)
		return no_int3(e, choice, 0,
			       "more sites than the breakpoint table holds");
	for (uint32_t k = 0; k < relink_stage.n; k++) {
		const struct relink_staged_site *s = &relink_stage.site[k];
		const char *why = int3_unsafe(e, plan, s);

		if (why)
			return no_int3(e, choice, s->address, why);
	}
	return RELINK_METHOD_INT3;
}

/*
 * The redirect table: the staged sites, which relink_pick_method() found
 * fit for int3.
 */
static void fill_redirects(void)
{
	for (uint32_t k = 0; k < relink_stage.n; k++) {
		const struct relink_staged_site *s = &relink_stage.site[k];
		struct relink_breakpoint *bp = &int3_new[k];

		bp->address = s->address;
		bp->length = s->length;
		memcpy(bp->bytes, relink_staged_new(s), s->length);
	}
	int3_count = relink_stage.n;
}

enum int3_step { STEP_INT3, STEP_TAIL, STEP_HEAD, STEP_REFRESH };

static int poke(uint8_t *text, const uint8_t *bytes, unsigned int len)
{
	if (relink_bytes_equal(text, bytes, len))
		return 0;
	return relink_text_write(false, (uintptr_t)text, bytes, len);
}

/* What step writes at site k, taking the site's bytes from src. */
static int write_step(unsigned int k, enum int3_step step, const uint8_t *src)
{
	static const uint8_t int3 = RELINK_BREAKPOINT_OPCODE;
	const struct relink_breakpoint *bp = &int3_new[k];
	uint8_t *text = (uint8_t *)(uintptr_t)bp->address;

	/* The same bytes again, unconditionally: see step 5 below. */
	if (step == STEP_REFRESH)
		return relink_text_write(false, bp->address, src, bp->length);
	/* One byte (a lock prefix) is written whole, in the tail step. */
	if (bp->length == 1)
		return step == STEP_TAIL ? poke(text, src, 1) : 0;
	switch (step) {
	case STEP_INT3:
		return poke(text, &int3, 1);
	case STEP_TAIL:
		return poke(text + 1, src + 1, bp->length - 1u);
	default:
		return poke(text, src, 1);
	}
}

/*
 * One step at every site in one batch of writes; then every CPU syncs
 * (but after the refresh: nothing that step writes is new).
 */
static int run_step(enum int3_step step, bool undo)
{
	int rc = 0;

	relink_platform_text_poke_begin();
	for (unsigned int k = 0; k < int3_count && !rc; k++)
		rc = write_step(
			k, step,
			undo ? relink_staged_old(&relink_stage.site[k]) :
			       int3_new[k].bytes);
	relink_platform_text_poke_end();
	if (step != STEP_REFRESH)
		relink_platform_sync_cpus();
	return rc;
}

/*
 * A write failed: the same three steps with the old bytes, from whatever
 * each site holds now (old, int3 and old tail, int3 and new tail, new).
 */
static int undo(const struct relink_engine *e, unsigned int c, int rc)
{
	relink_log(RELINK_LOG_ERR,
		   "%s: int3 write failed (%d); undoing %u sites\n",
		   e->defs[c]->name, rc, int3_count);
	run_step(STEP_INT3, true);
	run_step(STEP_TAIL, true);
	run_step(STEP_HEAD, true);
	run_step(STEP_REFRESH, true);
	return rc;
}

/* debug-alternative: one line per site, "choice: site (int3): new". */
static void log_sites(const struct relink_engine *e, unsigned int c)
{
	for (unsigned int k = 0; k < int3_count; k++) {
		const struct relink_breakpoint *bp = &int3_new[k];
		char name[96];

		if (relink_platform_symbol(bp->address, name, sizeof(name)))
			name[0] = '\0';
		relink_log(
			RELINK_LOG_INFO,
			"%s: %s: int3 -> %02x %02x %02x %02x %02x (%u bytes)\n",
			name, e->defs[c]->name, bp->bytes[0], bp->bytes[1],
			bp->bytes[2], bp->bytes[3], bp->bytes[4], bp->length);
	}
}

/*
 * The protocol, for every site of choice c that the plan changes, all at
 * once (at most RELINK_INT3_MAX sites):
 *
 *  1. Install the redirect table: a CPU that hits an int3 at a site's
 *     first byte is sent by the #BP handler to the site's new code (the
 *     new call emulated, the new jmp taken, a new NOP skipped).
 *  2. Write int3 on the first byte of every site; sync every CPU. From
 *     now on no CPU starts a site's instruction: it traps. No CPU is
 *     inside one either: each holds one instruction, and a call is last,
 *     so a return address points past the site.
 *  3. Write every site's tail; sync. Nothing executes the tails: every
 *     path into a site goes through its first byte. A one-byte site (a
 *     lock prefix, 0xf0 or 0x3e before the same instruction) is written
 *     whole here: a CPU fetches the old byte or the new one.
 *  4. Write every site's new first byte; sync. The new code is live, and
 *     no CPU can still hold an int3 or an old tail in its pipeline.
 *  5. Write every site's new bytes once more, the same bytes, without a
 *     sync. A CPU needs nothing from this, but an emulator may: QEMU's
 *     TCG (7.2, several vCPUs) can keep a translation it made from the
 *     bytes of steps 2-4 when a write lands while it translates, and
 *     then runs an int3 forever that memory no longer holds (seen in the
 *     switch storm: every vCPU trapping at a NOP). Every translation
 *     begun before step 4's sync has ended by now, and a write to the
 *     site drops every translation of it.
 *  6. Remove the table. A CPU takes the sync IPI only with interrupts
 *     on, and the #BP handler runs with them off: the sync of step 4
 *     found no CPU inside the handler, and no int3 is left to enter it.
 *     One that enters it anyway, from a stale translation, is waited
 *     out before the next switch refills the table (the platform's
 *     breakpoints(NULL, 0) returns when no CPU is in the handler).
 */
int relink_plan_write_int3(struct relink_engine *e, struct relink_plan *plan,
			   unsigned int c)
{
	int rc;

	plan->written = 0;
	fill_redirects();
	if (!int3_count)
		return 0;
	relink_platform_breakpoints(int3_new, int3_count);
	rc = run_step(STEP_INT3, false);
	if (!rc)
		rc = run_step(STEP_TAIL, false);
	if (!rc)
		rc = run_step(STEP_HEAD, false);
	if (!rc)
		rc = run_step(STEP_REFRESH, false);
	if (rc)
		undo(e, c, rc);
	relink_platform_breakpoints(NULL, 0);
	if (rc)
		return rc;
	plan->written = int3_count;
	if (e->debug)
		log_sites(e, c);
	return 0;
}
