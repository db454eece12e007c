// SPDX-License-Identifier: MIT
/*
 * The choice engine's orchestrator: boot-time patching (load, decide,
 * verify, write, on one CPU before the others start) and run-time switches
 * (check, emit and verify everything first, then write under
 * stop_machine or by the INT3 protocol), with the per-choice state and
 * statistics both leave behind. Run-time entry points serialize on a busy
 * flag instead of a lock, so they never sleep and never nest: a second
 * caller gets -EBUSY.
 */
#include <errno.h>
#include <string.h>

#include "patching.h"

struct relink_engine relink_engine;

/* The plan of the one apply in progress; too big for a kernel stack. */
static struct relink_plan relink_current_plan;
static bool relink_busy;

void relink_engine_reset(struct relink_engine *e)
{
	bool debug = e->debug;

	memset(e, 0, sizeof(*e));
	e->debug = debug;
	e->stats.last_choice = -1;
	e->stats.longest_choice = -1;
	relink_emit_reset();
}

void relink_set_debug(bool on)
{
	relink_engine.debug = on;
}

bool relink_trylock(void)
{
	return !__atomic_test_and_set(&relink_busy, __ATOMIC_ACQUIRE);
}

void relink_unlock(void)
{
	__atomic_clear(&relink_busy, __ATOMIC_RELEASE);
}

/* The time since *start, as boot phase p; *start moves to now. */
static void phase_done(struct relink_engine *e, enum relink_boot_phase p,
		       uint64_t *start)
{
	uint64_t now = relink_platform_time_ns();

	e->stats.boot_phase_ns[p] = now - *start;
	*start = now;
}

static int __relink_init_early(struct relink_engine *e,
			       struct relink_plan *plan)
{
	uint64_t start = relink_platform_time_ns();
	struct relink_image image;
	int rc;

	relink_platform_image(&image);
	/* Everything in the table is checked before any of it is used. */
	rc = relink_table_load(e, &image);
	phase_done(e, RELINK_PHASE_LOAD, &start);
	if (rc)
		return rc;
	if (!e->header) {
		relink_log(
			RELINK_LOG_INFO,
			"no site table (link 1?): %u choices, code stays as compiled\n",
			e->n_choices);
		return 0;
	}
	relink_decide_all(e, plan);
	phase_done(e, RELINK_PHASE_DECIDE, &start);
	/* All or nothing: every site is emitted and checked first. */
	rc = relink_plan_verify(e, plan);
	phase_done(e, RELINK_PHASE_VERIFY, &start);
	if (rc)
		return rc;
	rc = relink_plan_write(e, plan);
	phase_done(e, RELINK_PHASE_WRITE, &start);
	/* Nothing else runs yet: this CPU's serialization is enough. */
	relink_platform_sync_core();
	if (rc)
		return rc;
	relink_plan_commit(e, plan);
	e->stats.boot_sites_written = plan->written;
	return 0;
}

int relink_init_early(void)
{
	struct relink_engine *e = &relink_engine;
	uint64_t start = relink_platform_time_ns();
	int rc;

	if (!relink_trylock())
		return -EBUSY;
	rc = __relink_init_early(e, &relink_current_plan);
	relink_unlock();
	if (rc)
		return rc;
	e->stats.boot_ns = relink_platform_time_ns() - start;
	if (e->header)
		relink_log(RELINK_LOG_INFO,
			   "%u sites of %u choices, %u written in %llu us\n",
			   e->n_sites, e->n_choices,
			   e->stats.boot_sites_written,
			   (unsigned long long)e->stats.boot_ns / 1000);
	return 0;
}

/* relink_rehearse_boot()'s engine and plan: static, as the live ones. */
static struct relink_engine rehearsal_engine;
static struct relink_plan rehearsal_plan;

static int rehearse(struct relink_engine *e, struct relink_plan *plan,
		    uint64_t phase_ns[4])
{
	const struct relink_engine *live = &relink_engine;
	uint64_t start = relink_platform_time_ns();
	struct relink_image image;
	int rc;

	relink_platform_image(&image);
	rc = relink_table_load(e, &image);
	if (!rc && !e->header)
		rc = -ENODEV;
	if (rc)
		return rc;
	/* What the sites hold now: the kernel's choices of the live engine. */
	memcpy(e->state, live->state, e->n_image_choices * sizeof(e->state[0]));
	phase_done(e, RELINK_PHASE_LOAD, &start);
	relink_decide_all(e, plan);
	phase_done(e, RELINK_PHASE_DECIDE, &start);
	rc = relink_plan_verify(e, plan);
	phase_done(e, RELINK_PHASE_VERIFY, &start);
	memcpy(phase_ns, e->stats.boot_phase_ns,
	       sizeof(e->stats.boot_phase_ns));
	return rc;
}

int relink_rehearse_boot(uint64_t phase_ns[4])
{
	int rc;

	if (!relink_trylock())
		return -EBUSY;
	rc = rehearse(&rehearsal_engine, &rehearsal_plan, phase_ns);
	relink_unlock();
	return rc;
}

/* The run-time plan: one choice, so only the table range of its sites. */
static void plan_switch(const struct relink_engine *e, struct relink_plan *plan,
			unsigned int c, unsigned int v,
			enum relink_decided_by by)
{
	const struct relink_choice_state *st = &e->state[c];

	memset(plan, 0, sizeof(*plan));
	plan->touch[c] = true;
	plan->from[c] = st->patched ? st->variant : RELINK_ORIGINAL;
	plan->to[c] = (uint8_t)v;
	plan->by[c] = (uint8_t)by;
}

/* How often a switch stops the machine to find no CPU inside a site. */
#define RELINK_STOP_TRIES 1000

/* Runs on one CPU while the others are parked (stop_machine). */
static int relink_stopped_write(void *arg)
{
	struct relink_plan *plan = arg;

	if (relink_plan_cpu_inside(&relink_engine, plan))
		return -EAGAIN;
	return relink_plan_write(&relink_engine, plan);
}

static int write_stopped(struct relink_engine *e, struct relink_plan *plan,
			 unsigned int c)
{
	uint64_t start = 0;
	int rc = -EAGAIN;

	plan->written = 0;
	e->stats.last_stop_ns = 0;
	e->stats.last_method = RELINK_METHOD_STOP;
	if (!plan->to_write)
		return 0;
	/* Each try releases the machine, so a CPU caught mid-site moves on. */
	for (int tries = 0; rc == -EAGAIN && tries < RELINK_STOP_TRIES;
	     tries++) {
		start = relink_platform_time_ns();
		rc = relink_platform_stop_machine(relink_stopped_write, plan);
	}
	e->stats.last_stop_ns = relink_platform_time_ns() - start;
	if (rc == -EAGAIN) {
		relink_log(RELINK_LOG_WARN,
			   "%s: a CPU stayed inside a site; nothing written\n",
			   e->defs[c]->name);
		rc = -EBUSY;
	}
	return rc;
}

/*
 * The INT3 protocol where every site of the switch allows it (int3.c),
 * else stop_machine; relink.method= or debugfs may force either.
 */
static int write_plan(struct relink_engine *e, struct relink_plan *plan,
		      unsigned int c)
{
	int method = relink_pick_method(e, plan, c);

	if (method < 0)
		return method;
	if (method == RELINK_METHOD_STOP || !plan->to_write)
		return write_stopped(e, plan, c);
	e->stats.last_method = RELINK_METHOD_INT3;
	e->stats.last_stop_ns = 0; /* no CPU stops */
	return relink_plan_write_int3(e, plan, c);
}

/* The stats of a switch that succeeded: the latest, and the longest. */
static void record_switch(struct relink_engine *e, unsigned int c,
			  const struct relink_plan *plan, uint64_t start)
{
	struct relink_stats *st = &e->stats;

	st->switches++;
	st->last_choice = (int)c;
	st->last_sites_written = plan->written;
	st->last_total_ns = relink_platform_time_ns() - start;
	if (st->longest_choice >= 0 &&
	    st->last_total_ns <= st->longest_total_ns)
		return;
	st->longest_choice = st->last_choice;
	st->longest_sites_written = st->last_sites_written;
	st->longest_method = st->last_method;
	st->longest_stop_ns = st->last_stop_ns;
	st->longest_total_ns = st->last_total_ns;
}

/*
 * A run-time request (debugfs, relink_switch(), "auto") for a choice the
 * boot decides (acpi.irq): refused with one line. The kernel's own
 * re-decisions at boot (no local APIC: noirq) are not requests.
 */
static bool refuse_boot_only(const struct relink_engine *e, unsigned int c)
{
	if (!(e->defs[c]->flags & RELINK_CHOICE_BOOT_ONLY))
		return false;
	relink_log(RELINK_LOG_WARN, "%s: decided at boot only; not switched\n",
		   e->defs[c]->name);
	return true;
}

static int __relink_switch(struct relink_engine *e, unsigned int c,
			   unsigned int v, enum relink_decided_by by)
{
	struct relink_plan *plan = &relink_current_plan;
	uint64_t start = relink_platform_time_ns();
	char why[96];
	int rc;

	if (!e->header)
		return -ENODEV;
	if (c >= e->n_choices)
		return -ENOENT;
	if (v >= e->defs[c]->n_variants)
		return -EINVAL;
	if (by == RELINK_BY_RUNTIME && refuse_boot_only(e, c))
		return -EPERM;
	if (!relink_pred_holds(&e->defs[c]->variants[v], why, sizeof(why))) {
		relink_log(RELINK_LOG_WARN, "%s: cannot switch to %s: %s\n",
			   e->defs[c]->name, e->defs[c]->variants[v].name, why);
		return -EPERM;
	}
	plan_switch(e, plan, c, v, by);
	/* All or nothing: every new byte is emitted and checked first. */
	rc = relink_plan_verify(e, plan);
	if (!rc)
		rc = write_plan(e, plan, c);
	if (rc)
		return rc;
	relink_plan_commit(e, plan);
	record_switch(e, c, plan, start);
	return 0;
}

int relink_switch_index_by(unsigned int choice, unsigned int variant,
			   enum relink_decided_by by)
{
	struct relink_engine *e = &relink_engine;
	int rc;

	if (!relink_trylock())
		return -EBUSY;
	rc = __relink_switch(e, choice, variant, by);
	relink_unlock();
	return rc;
}

int relink_switch_index(unsigned int choice, unsigned int variant)
{
	return relink_switch_index_by(choice, variant, RELINK_BY_RUNTIME);
}

static int switch_by(const char *choice, const char *variant,
		     enum relink_decided_by by)
{
	int c = relink_choice_find(choice);
	int v;

	if (!relink_engine.header)
		return -ENODEV;
	if (c < 0) {
		relink_log(RELINK_LOG_WARN, "no choice %s\n", choice);
		return -ENOENT;
	}
	v = relink_variant_find((unsigned int)c, variant);
	if (v < 0) {
		char valid[128];

		relink_list_variants(relink_engine.defs[c], valid,
				     sizeof(valid));
		relink_log(RELINK_LOG_WARN,
			   "%s: unknown variant %s (valid: %s)\n", choice,
			   variant, valid);
		return -EINVAL;
	}
	return relink_switch_index_by((unsigned int)c, (unsigned int)v, by);
}

int relink_switch(const char *choice, const char *variant)
{
	return switch_by(choice, variant, RELINK_BY_RUNTIME);
}

int relink_redecide(const char *choice, const char *variant,
		    enum relink_decided_by by)
{
	return switch_by(choice, variant, by);
}

/*
 * A choice whose current variant no longer suits the machine: a pin (the
 * command line's or a run-time switch's) never outlives its predicate, and
 * an automatic decision follows its decider. Returns the variant it should
 * hold, or -1 to leave it.
 */
static int redecided_variant(const struct relink_engine *e, unsigned int c,
			     uint8_t *by)
{
	const struct relink_choice_state *st = &e->state[c];
	const struct relink_choice_def *def = e->defs[c];
	bool pinned = st->decided_by == RELINK_BY_CMDLINE ||
		      st->decided_by == RELINK_BY_RUNTIME;
	uint8_t v;

	if (pinned && relink_pred_holds(&def->variants[st->variant], NULL, 0))
		return -1;
	relink_decide_auto(def, &v, by, true);
	if (v == st->variant && (pinned || *by == st->decided_by))
		return -1;
	return v;
}

/* One line when the machine overrides what the person asked for. */
static void say_override(const struct relink_engine *e, unsigned int c,
			 unsigned int v)
{
	const struct relink_choice_def *def = e->defs[c];
	const char *value, *option = "a run-time switch";
	char why[96];
	size_t len;

	if (e->state[c].decided_by == RELINK_BY_CMDLINE &&
	    !relink_platform_cmdline_value(def->name, &value, &len, &option))
		option = "the command line";
	relink_pred_holds(&def->variants[e->state[c].variant], why,
			  sizeof(why));
	relink_log(RELINK_LOG_WARN, "%s: %s no longer holds (%s): now %s\n",
		   def->name, option, why, def->variants[v].name);
}

int relink_machine_changed(void)
{
	struct relink_engine *e = &relink_engine;
	int rc = 0;

	if (!e->header)
		return 0;
	if (!relink_trylock())
		return -EBUSY;
	for (unsigned int c = 0; c < e->n_choices && !rc; c++) {
		uint8_t by;
		int v = redecided_variant(e, c, &by);

		if (v < 0)
			continue;
		if (e->state[c].decided_by == RELINK_BY_CMDLINE ||
		    e->state[c].decided_by == RELINK_BY_RUNTIME)
			say_override(e, c, (unsigned int)v);
		rc = __relink_switch(e, c, (unsigned int)v,
				     (enum relink_decided_by)by);
	}
	relink_unlock();
	return rc;
}

int relink_switch_auto(unsigned int choice)
{
	struct relink_engine *e = &relink_engine;
	uint8_t v, by;
	int rc;

	if (!e->header)
		return -ENODEV;
	if (choice >= e->n_choices)
		return -ENOENT;
	if (refuse_boot_only(e, choice))
		return -EPERM;
	if (!relink_trylock())
		return -EBUSY;
	relink_decide_auto(e->defs[choice], &v, &by, true);
	rc = __relink_switch(e, choice, v, (enum relink_decided_by)by);
	relink_unlock();
	return rc;
}
