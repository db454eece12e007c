/* SPDX-License-Identifier: MIT */
/*
 * The #BP handler's half of the engine's INT3 write method
 * (arch/x86/breakpoint.c): the redirect table of the sites being
 * rewritten, and the emulation of their new code.
 */
#ifndef ARCH_BREAKPOINT_H
#define ARCH_BREAKPOINT_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/trap.h>
#include <relink/platform.h>

/*
 * breakpoint_install() - the table for breakpoint_redirect(); n = 0: none,
 * and it returns when no CPU is in the handler (breakpoint_inside).
 */
void breakpoint_install(const struct relink_breakpoint *bp, unsigned int n);

/*
 * Per CPU: nonzero while it is in breakpoint_redirect(). The int3 KTAP
 * suite sets one to play a CPU that stays in the handler.
 */
extern uint8_t breakpoint_inside[];

/*
 * breakpoint_redirect() - for the #BP handler, interrupts off: when frame
 * stopped at the int3 of a site in the table, point it at the site's new
 * code (a call emulated, a jmp taken, a NOP skipped) and return true.
 */
bool breakpoint_redirect(struct trap_frame *frame);

#endif /* ARCH_BREAKPOINT_H */
