/* SPDX-License-Identifier: MIT */
/*
 * What the in-kernel tests see of the Xen PV event channels (events.c),
 * free of the Xen ABI headers.
 */
#ifndef XENPV_EVENTS_H
#define XENPV_EVENTS_H

#include <stdint.h>

/* VIRQ_TIMER events this vCPU's upcall has taken so far. */
uint64_t xen_timer_events_taken(void);
/* Make Xen raise VIRQ_TIMER now (a one-shot timer in the past); 0 or rc. */
long xen_timer_fire_now(void);
/* Make Xen raise VIRQ_TIMER ns nanoseconds from now; 0 or rc. */
long xen_timer_fire_in(uint64_t ns);

#endif /* XENPV_EVENTS_H */
