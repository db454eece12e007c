// SPDX-License-Identifier: MIT
/*
 * The choices of the host programs and the functions that hold their
 * sites (see sites.h): host.save_fl (inline, the compiler's register),
 * host.popcnt (inline, fixed registers, hw instruction or sw call),
 * host.flags (call site: inlined, direct call, or the ops table), host.trace
 * (branch) and the kernel's own smp.lock (lock prefix).
 */
#include <relink/choice.h>

#include "sites.h"

struct host_ops host_ops = {
	.flags = host_native_flags,
	.popcnt = host_sw_popcnt,
};
bool host_has_popcnt;
bool host_is_smp = true;

__attribute__((noipa)) unsigned long host_native_flags(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0" : "=r"(flags) : : "memory");
	return flags;
}

/*
 * The sw variant of host.popcnt is called from inline asm, where the
 * compiler does not align the stack for a call: realign.
 */
__attribute__((noipa, force_align_arg_pointer)) unsigned long
host_sw_popcnt(unsigned long x)
{
	x = x - ((x >> 1) & 0x5555555555555555ul);
	x = (x & 0x3333333333333333ul) + ((x >> 2) & 0x3333333333333333ul);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0ful;
	return (x * 0x0101010101010101ul) >> 56;
}

__relink_call_symbol unsigned long host_flags_call(void)
{
	return host_ops.flags();
}

DEFINE_CHOICE(host_save_fl, "host.save_fl", RELINK_DECIDER_DEFAULT, 0,
	      RELINK_VARIANT("native", RELINK_WHEN_ALWAYS,
			     RELINK_CODE(RELINK_I_RAW1(0x9c),
					 RELINK_I_POP(RELINK_HOLE(0)))),
	      RELINK_VARIANT("fixed", RELINK_WHEN_ALWAYS,
			     RELINK_CODE(RELINK_I_MOV_RI(RELINK_HOLE(0),
							 0x202))));

DEFINE_CHOICE(host_popcnt, "host.popcnt", RELINK_DECIDER_CPUID, 1,
	      RELINK_VARIANT("hw", RELINK_WHEN_CPUID(X86_FEATURE_popcnt),
			     RELINK_CODE(RELINK_I_POPCNT(RELINK_HOLE(0),
							 RELINK_HOLE(1)))),
	      RELINK_VARIANT("sw", RELINK_WHEN_ALWAYS,
			     RELINK_CALLS(host_sw_popcnt)));

DEFINE_CALL_CHOICE(host_flags, "host.flags", host_flags_call,
		   RELINK_DECIDER_DEFAULT, 2,
		   RELINK_VARIANT("inline", RELINK_WHEN_ALWAYS,
				  RELINK_CODE(RELINK_I_RAW1(0x9c),
					      RELINK_I_POP(RELINK_RAX))),
		   RELINK_VARIANT("direct", RELINK_WHEN_ALWAYS,
				  RELINK_CALLS(host_native_flags)),
		   RELINK_VARIANT("ops", RELINK_WHEN_ALWAYS,
				  RELINK_CALLS(host_flags_call)));

DEFINE_CHOICE(host_trace, "host.trace", RELINK_DECIDER_DEFAULT, 0,
	      RELINK_VARIANT("off", RELINK_WHEN_ALWAYS),
	      RELINK_VARIANT("on", RELINK_WHEN_ALWAYS, RELINK_JUMPS()));

__attribute__((noinline)) unsigned long sites_save_fl(void)
{
	return site_save_fl();
}

/* The same site with the operand in r9: the template needs a REX prefix. */
__attribute__((noinline)) unsigned long sites_save_fl_r9(void)
{
	register unsigned long flags asm("r9");

	asm volatile(RELINK_INLINE(host_save_fl, 6, "pushf; pop %0", "%0", "")
		     : "=r"(flags)
		     :
		     : "memory");
	return flags;
}

__attribute__((noinline)) void sites_atomic_add(long *counter, long delta)
{
	site_atomic_add(counter, delta);
}

__attribute__((noinline)) unsigned long sites_popcnt(unsigned long x)
{
	return site_popcnt(x);
}

__attribute__((noinline)) unsigned long sites_flags_call(void)
{
	return host_flags_call();
}

__attribute__((noinline)) long sites_branch(long x)
{
	if (relink_branch(host_trace))
		return x + 1000;
	return x;
}
