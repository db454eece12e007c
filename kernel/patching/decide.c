// SPDX-License-Identifier: MIT
/*
 * Deciding: the choice functions. A choice's variants are listed best
 * first, and deciding picks the first whose predicate holds on this
 * machine (CPUID, CPUs online, hypervisor). A "relink.<choice>=<variant>"
 * option on the command line overrides that when the variant exists and
 * its predicate holds; otherwise one line says why and names the valid
 * variants, and the automatic decision stays. The same predicates gate
 * run-time switches.
 */
#include <errno.h>
#include <string.h>

#include <relink/names.h>

#include "patching.h"
#include "strbuf.h"

static void put_feature(struct strbuf *sb, unsigned int feature)
{
	const char *name = relink_cpu_feature_name(feature);

	if (name) {
		strbuf_puts(sb, name);
		return;
	}
	strbuf_puts(sb, "word ");
	strbuf_putu(sb, feature / 32);
	strbuf_puts(sb, " bit ");
	strbuf_putu(sb, feature % 32);
}

static void put_hypervisor(struct strbuf *sb, unsigned int kind)
{
	const char *name = relink_hypervisor_name(kind);

	if (name)
		strbuf_puts(sb, name);
	else
		strbuf_putu(sb, kind);
}

static void put_cpus(struct strbuf *sb, const char *need, unsigned int online)
{
	strbuf_puts(sb, need);
	strbuf_puts(sb, " (");
	strbuf_putu(sb, online);
	strbuf_puts(sb, " online)");
}

/* Why v's predicate is false, as one phrase for messages and files. */
static void explain(const struct relink_variant_def *v, struct strbuf *sb)
{
	switch (v->pred) {
	case RELINK_PRED_CPUID:
		strbuf_puts(sb, "needs CPU feature ");
		put_feature(sb, v->pred_arg);
		break;
	case RELINK_PRED_NO_CPUID:
		strbuf_puts(sb, "CPU has feature ");
		put_feature(sb, v->pred_arg);
		break;
	case RELINK_PRED_SMP:
		put_cpus(sb, "needs more than one CPU",
			 relink_platform_cpus_online());
		break;
	case RELINK_PRED_UP:
		put_cpus(sb, "needs exactly one CPU",
			 relink_platform_cpus_online());
		break;
	case RELINK_PRED_HYPERVISOR:
		strbuf_puts(sb, "needs hypervisor ");
		put_hypervisor(sb, v->pred_arg);
		break;
	case RELINK_PRED_NOT_HYPERVISOR:
		strbuf_puts(sb, "not under hypervisor ");
		put_hypervisor(sb, v->pred_arg);
		break;
	default:
		strbuf_puts(sb, "unknown predicate");
	}
}

/**
 * relink_pred_holds() - whether variant v may be used now.
 *
 * When it may not and why is not NULL, why receives the reason.
 */
bool relink_pred_holds(const struct relink_variant_def *v, char *why,
		       size_t size)
{
	bool holds = false;
	struct strbuf sb;

	switch (v->pred) {
	case RELINK_PRED_ALWAYS:
		holds = true;
		break;
	case RELINK_PRED_CPUID:
		holds = relink_platform_has_feature(v->pred_arg);
		break;
	case RELINK_PRED_NO_CPUID:
		holds = !relink_platform_has_feature(v->pred_arg);
		break;
	case RELINK_PRED_SMP:
		holds = relink_platform_cpus_online() > 1;
		break;
	case RELINK_PRED_UP:
		holds = relink_platform_cpus_online() == 1;
		break;
	case RELINK_PRED_HYPERVISOR:
		holds = relink_platform_hypervisor() == v->pred_arg;
		break;
	case RELINK_PRED_NOT_HYPERVISOR:
		holds = relink_platform_hypervisor() != v->pred_arg;
		break;
	}
	if (!holds && why) {
		strbuf_init(&sb, why, size);
		explain(v, &sb);
	}
	return holds;
}

/* The variant of def called name (len bytes, not terminated), or -1. */
int relink_find_variant(const struct relink_choice_def *def, const char *name,
			size_t len)
{
	for (unsigned int v = 0; v < def->n_variants; v++) {
		const char *vn = def->variants[v].name;

		if (strlen(vn) == len && memcmp(vn, name, len) == 0)
			return (int)v;
	}
	return -1;
}

/* "a, b, c": the names of def's variants. */
void relink_list_variants(const struct relink_choice_def *def, char *buf,
			  size_t size)
{
	struct strbuf sb;

	strbuf_init(&sb, buf, size);
	for (unsigned int v = 0; v < def->n_variants; v++) {
		if (v)
			strbuf_puts(&sb, ", ");
		strbuf_puts(&sb, def->variants[v].name);
	}
}

/*
 * Who picked variant v of def: its decider, except that a variant only a
 * hypervisor allows (acpi.irq's xen) was picked by the hypervisor,
 * whatever decides between the others.
 */
static uint8_t decided_by(const struct relink_choice_def *def, unsigned int v)
{
	if (def->variants[v].pred == RELINK_PRED_HYPERVISOR)
		return RELINK_BY_HYPERVISOR;
	switch (def->decider) {
	case RELINK_DECIDER_CPUID:
		return RELINK_BY_CPUID;
	case RELINK_DECIDER_SMP:
		return RELINK_BY_SMP;
	case RELINK_DECIDER_HYPERVISOR:
		return RELINK_BY_HYPERVISOR;
	}
	return RELINK_BY_DEFAULT;
}

/*
 * relink_decide_auto() - what def's decider picks: the first usable
 * variant, best first; the default (said once, unless quiet) if none is.
 */
void relink_decide_auto(const struct relink_choice_def *def, uint8_t *variant,
			uint8_t *by, bool quiet)
{
	for (unsigned int v = 0; v < def->n_variants; v++) {
		if (relink_pred_holds(&def->variants[v], NULL, 0)) {
			*variant = (uint8_t)v;
			*by = decided_by(def, v);
			return;
		}
	}
	if (!quiet)
		relink_log(RELINK_LOG_WARN,
			   "%s: no variant is usable; keeping %s\n", def->name,
			   def->variants[def->default_variant].name);
	*variant = def->default_variant;
	*by = RELINK_BY_DEFAULT;
}

/*
 * A variant pinned on the command line: the option was checked when it was
 * applied (relink_option_check()), so only the predicate is left, and
 * messages name the option as the person wrote it ("idle=mwait").
 */
static void decide_cmdline(const struct relink_choice_def *def,
			   uint8_t *variant, uint8_t *by)
{
	const char *value, *option;
	size_t len;
	char text[128];
	int v;

	if (!relink_platform_cmdline_value(def->name, &value, &len, &option))
		return;
	v = relink_find_variant(def, value, len);
	if (v < 0) {
		relink_list_variants(def, text, sizeof(text));
		relink_log(RELINK_LOG_WARN,
			   "%s: unknown variant (valid: %s); keeping %s\n",
			   option, text, def->variants[*variant].name);
		return;
	}
	if (!relink_pred_holds(&def->variants[v], text, sizeof(text))) {
		relink_log(RELINK_LOG_WARN,
			   "%s: not usable here (%s); keeping %s\n", option,
			   text, def->variants[*variant].name);
		return;
	}
	*variant = (uint8_t)v;
	*by = RELINK_BY_CMDLINE;
}

/**
 * relink_decide_one() - def's variant as boot decides it: its decider's
 * pick, unless the command line pins a usable one.
 */
void relink_decide_one(const struct relink_choice_def *def, uint8_t *variant,
		       uint8_t *by)
{
	relink_decide_auto(def, variant, by, false);
	decide_cmdline(def, variant, by);
}

/**
 * relink_option_check() - whether choice has a variant called variant.
 *
 * For the command line, before the engine is loaded: reads the choice
 * definitions of the image. -ENOENT or -EINVAL with the reason in why.
 */
int relink_option_check(const char *choice, const char *variant, char *why,
			size_t size)
{
	struct relink_image image;
	char valid[128];
	struct strbuf sb;

	relink_platform_image(&image);
	strbuf_init(&sb, why, size);
	for (size_t c = 0; c < image.n_choices; c++) {
		const struct relink_choice_def *def = &image.choices[c];

		if (strcmp(def->name, choice))
			continue;
		if (relink_find_variant(def, variant, strlen(variant)) >= 0)
			return 0;
		relink_list_variants(def, valid, sizeof(valid));
		strbuf_puts(&sb, "unknown variant (valid: ");
		strbuf_puts(&sb, valid);
		strbuf_puts(&sb, ")");
		return -EINVAL;
	}
	strbuf_puts(&sb,
		    "no such choice (see /sys/kernel/debug/relink/choices)");
	return -ENOENT;
}

/**
 * relink_decide_all() - the boot-time plan: every choice, every site.
 */
void relink_decide_all(struct relink_engine *e, struct relink_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->early = true;
	for (unsigned int c = 0; c < e->n_choices; c++) {
		const struct relink_choice_def *def = e->defs[c];

		relink_decide_one(def, &plan->to[c], &plan->by[c]);
		plan->from[c] = e->state[c].patched ? e->state[c].variant :
						      RELINK_ORIGINAL;
		plan->touch[c] = true;
	}
}
