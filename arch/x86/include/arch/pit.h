/* SPDX-License-Identifier: MIT */
/*
 * The 8254 programmable interval timer: channel 2 measures the TSC
 * (tsc.c), channel 0 is the tick on a machine without a local APIC.
 */
#ifndef ARCH_PIT_H
#define ARCH_PIT_H

#define PIT_HZ 1193182u
#define PIT_IRQ 0

/*
 * pit_timer_start() - channel 0 ticking at TIMER_HZ on ISA IRQ 0, through
 * the active interrupt controller; 0 or -E*.
 */
int pit_timer_start(void);

#endif /* ARCH_PIT_H */
