/* SPDX-License-Identifier: MIT */
/*
 * The kernel's use of the choice engine (kernel/relink/).
 */
#ifndef KERNEL_RELINK_H
#define KERNEL_RELINK_H

#include <stddef.h>

/* relink_boot() - decide and write every site (boot CPU, IRQs off, once). */
void relink_boot(void);

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

/* CPUs about to come online, which the deciders count as online. */
extern unsigned int relink_cpus_coming;

#endif /* KERNEL_RELINK_H */
