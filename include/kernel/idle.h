/* SPDX-License-Identifier: MIT */
/*
 * The idle operation's variants. Every place that waits for an interrupt
 * calls arch_idle() (<kernel/platform.h>) once; which of these it runs is
 * chosen by idle= at boot (later: the choice "idle" of the engine) and can
 * be switched at run time for tests.
 */
#ifndef KERNEL_IDLE_H
#define KERNEL_IDLE_H

#include <stdbool.h>

enum idle_mode {
	IDLE_HALT, /* sti; hlt: sleep until an interrupt */
	IDLE_POLL, /* pause loop with interrupts on */
	IDLE_MWAIT, /* monitor this CPU's wake word; mwait */
	NR_IDLE_MODES,
};

/* idle_mode_name() - "halt", "poll", "mwait". */
const char *idle_mode_name(enum idle_mode mode);
/* idle_mode_get() - the variant arch_idle() runs now. */
enum idle_mode idle_mode_get(void);
/*
 * idle_mode_available() - whether this CPU can run mode; when not, *why
 * says which CPUID feature is missing.
 */
bool idle_mode_available(enum idle_mode mode, const char **why);
/* idle_mode_set() - switch every CPU's idle; -EPERM when unavailable. */
int idle_mode_set(enum idle_mode mode);

#endif /* KERNEL_IDLE_H */
