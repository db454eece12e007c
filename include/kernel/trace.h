/* SPDX-License-Identifier: MIT */
/*
 * Trace points: a few events recorded into a per-CPU ring buffer that
 * /sys/kernel/debug/trace prints. Each trace point is a branch site of the
 * choice "trace": off, it is a 5-byte NOP and costs nothing else; on, it
 * jumps to the recording code. Switch it like any other choice:
 *
 *	echo on > /sys/kernel/debug/relink/choice/trace
 *
 * trace_point(EVENT, arg) is the only way to record, so every trace point
 * is a site.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include <stdint.h>
#include <relink/choice.h>
#include <relink/site.h>

enum trace_event {
	TRACE_IRQ = 1, /* arg: vector */
	TRACE_STOP_MACHINE = 2, /* arg: CPUs stopped */
};

DECLARE_CHOICE(trace);

/* trace_record() - append one event to this CPU's ring (any context). */
void trace_record(enum trace_event event, uint32_t arg);
/* trace_count() - events recorded since boot, on every CPU. */
uint64_t trace_count(void);

#define trace_point(event, arg)                   \
	do {                                      \
		if (relink_branch(trace))         \
			trace_record(event, arg); \
	} while (0)

#endif /* KERNEL_TRACE_H */
