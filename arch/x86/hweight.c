// SPDX-License-Identifier: MIT
/*
 * The choice "cpu.popcnt" behind hweight64() (include/kernel/bitops.h):
 * the POPCNT instruction when CPUID says the CPU has it, else a call of
 * the software count below. The compiled code is the call (the sw
 * variant), which is correct on every x86-64.
 */
#include <kernel/bitops.h>
#include <relink/choice.h>
#include <kernel/module.h>

/*
 * Called from inline asm, where the compiler does not align the stack for
 * a call: realign. noipa: callers must not assume what it clobbers beyond
 * the site's clobber list.
 */
__attribute__((noipa, used, force_align_arg_pointer)) unsigned long
__sw_hweight64(unsigned long x)
{
	x = x - ((x >> 1) & 0x5555555555555555ul);
	x = (x & 0x3333333333333333ul) + ((x >> 2) & 0x3333333333333333ul);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0ful;
	return (x * 0x0101010101010101ul) >> 56;
}

DEFINE_CHOICE(cpu_popcnt, "cpu.popcnt", RELINK_DECIDER_CPUID, 1,
	      RELINK_VARIANT("hw", RELINK_WHEN_CPUID(X86_FEATURE_popcnt),
			     RELINK_CODE(RELINK_I_POPCNT(RELINK_HOLE(0),
							 RELINK_HOLE(1)))),
	      RELINK_VARIANT("sw", RELINK_WHEN_ALWAYS,
			     RELINK_CALLS(__sw_hweight64)));
EXPORT_SYMBOL(__sw_hweight64);
EXPORT_CHOICE(cpu_popcnt);
