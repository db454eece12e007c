// SPDX-License-Identifier: MIT
/*
 * In-kernel code reaches a choice through its definition (DECLARE_CHOICE
 * and &__choice_<id>), never by spelling its name: a renamed choice is a
 * link error, not a lookup that quietly fails.
 */
#include <kernel/relink.h>
#include <lib/errno.h>

/*
 * The engine's index of def: the i-th definition of .relink.choices, or
 * of a module's after them.
 */
int relink_choice_index(const struct relink_choice_def *def)
{
	struct relink_choice_info info;

	for (unsigned int c = 0; c < relink_choice_count(); c++)
		if (!relink_choice_get(c, &info) && info.def == def)
			return (int)c;
	return -ENOENT;
}

int relink_choice_state(const struct relink_choice_def *def,
			unsigned int *variant, enum relink_decided_by *by)
{
	struct relink_choice_info info;
	int c = relink_choice_index(def);

	if (c < 0 || relink_choice_get((unsigned int)c, &info))
		return -ENOENT;
	*variant = info.variant;
	*by = info.decided_by;
	return 0;
}

int relink_choice_switch(const struct relink_choice_def *def,
			 unsigned int variant)
{
	int c = relink_choice_index(def);

	return c < 0 ? c : relink_switch_index((unsigned int)c, variant);
}

int relink_choice_decide(const struct relink_choice_def *def,
			 unsigned int variant, enum relink_decided_by by)
{
	int c = relink_choice_index(def);

	return c < 0 ? c : relink_switch_index_by((unsigned int)c, variant, by);
}
