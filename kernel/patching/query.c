// SPDX-License-Identifier: MIT
/*
 * Read-only views of the engine's state: choices, variants and sites by
 * index or name, and the statistics. The debugfs files, the shell and the
 * tests read the engine only through these.
 */
#include <errno.h>
#include <string.h>

#include "patching.h"

unsigned int relink_choice_count(void)
{
	return relink_engine.n_choices;
}

int relink_choice_find(const char *name)
{
	for (unsigned int c = 0; c < relink_engine.n_choices; c++)
		if (strcmp(relink_engine.defs[c]->name, name) == 0)
			return (int)c;
	return -ENOENT;
}

int relink_variant_find(unsigned int choice, const char *name)
{
	int v;

	if (choice >= relink_engine.n_choices)
		return -ENOENT;
	v = relink_find_variant(relink_engine.defs[choice], name, strlen(name));
	return v < 0 ? -EINVAL : v;
}

int relink_choice_get(unsigned int choice, struct relink_choice_info *info)
{
	const struct relink_engine *e = &relink_engine;
	const struct relink_choice_state *st;

	if (choice >= e->n_choices)
		return -ENOENT;
	st = &e->state[choice];
	info->def = e->defs[choice];
	info->name = info->def->name;
	info->n_variants = info->def->n_variants;
	info->variant = st->variant;
	info->default_variant = info->def->default_variant;
	info->decided_by = (enum relink_decided_by)st->decided_by;
	info->patched = st->patched;
	info->n_sites = st->n_sites;
	return 0;
}

bool relink_variant_usable(unsigned int choice, unsigned int variant, char *why,
			   size_t size)
{
	const struct relink_engine *e = &relink_engine;

	if (choice >= e->n_choices || variant >= e->defs[choice]->n_variants)
		return false;
	return relink_pred_holds(&e->defs[choice]->variants[variant], why,
				 size);
}

const char *relink_decided_by_name(enum relink_decided_by by)
{
	static const char *const names[] = {
		[RELINK_BY_DEFAULT] = "default",
		[RELINK_BY_CPUID] = "cpuid",
		[RELINK_BY_SMP] = "smp",
		[RELINK_BY_HYPERVISOR] = "hypervisor",
		[RELINK_BY_CMDLINE] = "cmdline",
		[RELINK_BY_RUNTIME] = "runtime",
	};

	if ((unsigned int)by >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[by];
}

uint32_t relink_site_count(void)
{
	return relink_engine.n_sites;
}

int relink_site_get(uint32_t index, struct relink_site_info *info)
{
	const struct relink_engine *e = &relink_engine;
	const struct relink_form *form;
	unsigned int c;

	if (index >= e->n_sites)
		return -ENOENT;
	form = relink_site_form(e, index);
	c = relink_site_choice(e, index);
	info->address = relink_site_address(e, index);
	info->shape = form->shape;
	info->choice = c;
	info->length = form->length;
	info->bytes = (const uint8_t *)(uintptr_t)info->address;
	info->variant = e->defs[c]->variants[e->state[c].variant].name;
	info->n_regs = form->n_regs;
	memcpy(info->regs, form->regs, sizeof(info->regs));
	return 0;
}

void relink_get_stats(struct relink_stats *stats)
{
	*stats = relink_engine.stats;
}
