/* SPDX-License-Identifier: MIT */
/*
 * Counting bits: hweight64() and friends, and bitmap_weight(). Each
 * hweight64() is an inline site of the choice "cpu.popcnt"
 * (arch/x86/hweight.c): the POPCNT instruction on CPUs that have it, a
 * call of the software count __sw_hweight64() elsewhere. The operands are
 * the registers the site records (x in rdi, the count in rax, as the call
 * needs), and the site clobbers what a call may, so either variant fits.
 */
#ifndef KERNEL_BITOPS_H
#define KERNEL_BITOPS_H

#include <stddef.h>
#include <stdint.h>

#include <relink/site.h>

/* The sw variant; called from the sites, never directly. */
unsigned long __sw_hweight64(unsigned long x);

/* hweight64() - the number of bits set in x. */
static inline unsigned int hweight64(uint64_t x)
{
	unsigned long count;

	asm(RELINK_INLINE(cpu_popcnt, 5, "call __sw_hweight64", "%0, %1",
			  "rcx rdx rsi r8 r9 r10 r11")
	    : "=a"(count), "+D"(x)
	    :
	    : "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "cc");
	return (unsigned int)count;
}

static inline unsigned int hweight32(uint32_t x)
{
	return hweight64(x);
}

static inline unsigned int hweight_long(unsigned long x)
{
	return hweight64(x);
}

/* bitmap_weight() - bits set in the first nbits bits of bitmap. */
static inline size_t bitmap_weight(const unsigned long *bitmap, size_t nbits)
{
	size_t weight = 0, words = nbits / 64;

	for (size_t w = 0; w < words; w++)
		weight += hweight64(bitmap[w]);
	if (nbits % 64)
		weight +=
			hweight64(bitmap[words] & ((1ul << (nbits % 64)) - 1));
	return weight;
}

#endif /* KERNEL_BITOPS_H */
