/* SPDX-License-Identifier: MIT */
/*
 * The kernel's use of the choice engine (kernel/relink/).
 */
#ifndef KERNEL_RELINK_H
#define KERNEL_RELINK_H

#include <stddef.h>
#include <kernel/cmdline.h>
#include <relink/choice.h>
#include <relink/engine.h>

struct boot_info;

/*
 * relink_boot() - decide and write every site (boot CPU, IRQs off, once),
 * for the machine and hypervisor the entry found (boot).
 */
void relink_boot(const struct boot_info *boot);
/* The hypervisor the entry found (enum relink_hypervisor). */
extern unsigned int relink_boot_hypervisor;

/*
 * A variant the command line pins a choice to, and the option as the
 * person wrote it ("idle=poll", "noreplace-smp"), which every message
 * about the pin names.
 */
#define RELINK_PIN_OPTION_MAX 96
struct relink_pin {
	const char *choice;
	char variant[32];
	char option[RELINK_PIN_OPTION_MAX];
};

/*
 * relink_pin() - pin choice to variant for option (a command-line handler
 * calls it; the last pin of a choice wins). 0, or -EINVAL with why filled
 * (CMDLINE_WHY_MAX bytes) when the choice or the variant does not exist.
 */
int relink_pin(const char *choice, const char *variant, const char *option,
	       char *why);
/* relink_pin_find() - the pin of choice, or NULL. */
const struct relink_pin *relink_pin_find(const char *choice);

/*
 * relink_pin_option() - the handler behind a choice's own boot options:
 * pins def to variant for the option key (with value, when not NULL, as
 * the person wrote it). 0, or -EINVAL with why filled.
 */
int relink_pin_option(const struct relink_choice_def *def, const char *key,
		      const char *value, const char *variant, char *why);

/*
 * A choice's Linux spellings, declared next to its DEFINE_CHOICE so that a
 * choice, its options and its decider are read in one place:
 *
 *	RELINK_OPTION(idle, "idle", "idle=halt|poll|mwait", "idle operation");
 *		idle=poll pins choice idle to its variant poll;
 *	RELINK_FLAG(smp_lock, "noreplace-smp", "smp", "keep lock prefixes");
 *		noreplace-smp pins choice smp.lock to its variant smp.
 */
#define RELINK_OPTION(id, pname, use, text)                                 \
	static int __relink_option_##id(const char *key, const char *value, \
					char *why)                          \
	{                                                                   \
		return relink_pin_option(&__choice_##id, key, value, value, \
					 why);                              \
	}                                                                   \
	KERNEL_PARAM(pname, __relink_option_##id, use, text)

#define RELINK_FLAG(id, pname, variant, text)                                \
	static int __relink_flag_##id(const char *key,                       \
				      const char *value __unused, char *why) \
	{                                                                    \
		return relink_pin_option(&__choice_##id, key, NULL, variant, \
					 why);                               \
	}                                                                    \
	KERNEL_FLAG(pname, __relink_flag_##id, text)

/*
 * relink_choice_state() - the variant a choice defined with DEFINE_CHOICE
 * (&__choice_<id>) holds now, and who decided it: 0, or -ENOENT when the
 * engine has no such choice (no table).
 */
int relink_choice_state(const struct relink_choice_def *def,
			unsigned int *variant, enum relink_decided_by *by);
/* relink_choice_index() - the engine's index of def now, or -ENOENT. */
int relink_choice_index(const struct relink_choice_def *def);
/*
 * relink_debugfs_choice_add() - the choice/<name> file of a choice that
 * joined after boot (a module's own); 0 or -EEXIST.
 * relink_debugfs_choice_remove() - that file goes, before the choice.
 */
int relink_debugfs_choice_add(const struct relink_choice_def *def);
void relink_debugfs_choice_remove(const struct relink_choice_def *def);
/* relink_choice_switch() - switch it at run time (relink_switch_index). */
int relink_choice_switch(const struct relink_choice_def *def,
			 unsigned int variant);
/* relink_choice_decide() - the kernel decides it (by is not RUNTIME). */
int relink_choice_decide(const struct relink_choice_def *def,
			 unsigned int variant, enum relink_decided_by by);

/* CPUs about to come online, which the deciders count as online. */
extern unsigned int relink_cpus_coming;

#endif /* KERNEL_RELINK_H */
