// SPDX-License-Identifier: MIT
/*
 * The choice behind every RELINK_LOCK prefix (include/relink/site.h):
 * "smp.lock", with its decider and its Linux spelling.
 *
 * With one CPU running, the lock prefix of an atomic is dead weight and
 * becomes a DS prefix (same length, no effect); with a second CPU it must
 * be a lock again. The decider is the SMP one: the predicates count the
 * CPUs online, and kernel/relink/boot.c decides again on every hot-plug
 * event, through stop_machine, before a new CPU runs kernel code. The
 * compiled code is the smp variant, which is always correct.
 */
#include <kernel/relink.h>
#include <kernel/module.h>

DEFINE_CHOICE(smp_lock, "smp.lock", RELINK_DECIDER_SMP, 1,
	      RELINK_VARIANT("up", RELINK_WHEN_UP,
			     RELINK_CODE(RELINK_I_RAW1(0x3e))),
	      RELINK_VARIANT("smp", RELINK_WHEN_ALWAYS,
			     RELINK_CODE(RELINK_I_RAW1(0xf0))));

/* Linux's spelling of relink.smp.lock=smp. */
RELINK_FLAG(smp_lock, "noreplace-smp", "smp",
	    "keep lock prefixes even on one CPU (relink.smp.lock=smp)");
EXPORT_CHOICE(smp_lock);
