/* SPDX-License-Identifier: MIT */
/*
 * The sites of the host programs (selfpatch, bench): one choice of every
 * shape, defined with the same macros as the kernel's, and the functions
 * that hold their sites. Reference implementations (hand-written native
 * instruction, indirect call through an ops table, an if on a feature
 * flag) sit beside them for the benchmarks.
 */
#ifndef TESTS_HOST_SITES_H
#define TESTS_HOST_SITES_H

#include <stdbool.h>

#include <relink/site.h>

/* The call symbol of choice host.flags: a plain C call is its site. */
unsigned long host_flags_call(void);

/* What the variants and the references call. */
unsigned long host_native_flags(void);
unsigned long host_sw_popcnt(unsigned long x);

/* The unpatched call goes through this ops table. */
struct host_ops {
	unsigned long (*flags)(void);
	unsigned long (*popcnt)(unsigned long x);
	void (*add)(long *counter, long delta);
};
extern struct host_ops host_ops;
extern bool host_has_popcnt; /* for the "if (feature)" reference */
extern bool host_is_smp;

/* Inline site of host.save_fl: "pushf; pop %reg", compiler's register. */
static inline unsigned long site_save_fl(void)
{
	unsigned long flags;

	asm volatile(RELINK_INLINE(host_save_fl, 6, "pushf; pop %0", "%0", "")
		     : "=r"(flags)
		     :
		     : "memory");
	return flags;
}

/* Lock site of smp.lock. */
static inline void site_atomic_add(long *counter, long delta)
{
	asm volatile(RELINK_LOCK "addq %1, %0"
		     : "+m"(*counter)
		     : "er"(delta)
		     : "memory", "cc");
}

/*
 * Inline site of host.popcnt with fixed registers, so that the sw variant
 * can call a C function: x in rdi, the result in rax, every other
 * caller-saved register clobbered.
 */
static inline unsigned long site_popcnt(unsigned long x)
{
	unsigned long result;

	asm volatile(RELINK_INLINE(host_popcnt, 5, "call host_sw_popcnt",
				   "%0, %1", "rcx rdx rsi r8 r9 r10 r11")
		     : "=a"(result), "+D"(x)
		     :
		     : "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "cc",
		       "memory");
	return result;
}

/* Out-of-line users of the sites, for the tests to call and inspect. */
unsigned long sites_save_fl(void);
unsigned long sites_save_fl_r9(void);
void sites_atomic_add(long *counter, long delta);
unsigned long sites_popcnt(unsigned long x);
unsigned long sites_flags_call(void);
long sites_branch(long x);

#endif /* TESTS_HOST_SITES_H */
