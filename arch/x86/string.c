// SPDX-License-Identifier: MIT
/*
 * The kernel's memcpy() and memset(), as the call symbols of the choices
 * "mem.copy" and "mem.set". Every call of memcpy/memset in the kernel,
 * the ones gcc emits for structure copies and clears included, is a plain
 * call of these symbols and so a call site: at boot the engine points each
 * one straight at the best implementation the CPU has, best first,
 *
 *	erms	"rep movsb" / "rep stosb": fast on CPUs with Enhanced REP
 *		MOVSB/STOSB (CPUID.7.0:EBX.erms), whatever the size and
 *		alignment
 *	movsq	"rep movsq" / "rep stosq" for the 8-byte words, then the
 *		tail byte by byte: any x86-64
 *	bytes	a plain C byte loop: the slow reference
 *
 * Unpatched, a call site calls memcpy()/memset() themselves, whose bodies
 * are the movsq implementation (the default variant), so the kernel is
 * correct before relinking and whenever a site is left alone. The generic
 * ones of lib/string.c are compiled out of the kernel (LIB_ARCH_MEM).
 *
 * Every routine here relies on the psABI's clear direction flag.
 */
#include <stdint.h>

#include <arch/string.h>
#include <lib/string.h>
#include <relink/choice.h>
#include <kernel/module.h>

void *memcpy_erms(void *dst, const void *src, size_t n)
{
	void *d = dst;

	asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

static inline void copy_movsq(void *dst, const void *src, size_t n)
{
	size_t words = n / 8, tail = n % 8;

	asm volatile("rep movsq\n\t"
		     "movq %3, %%rcx\n\t"
		     "rep movsb"
		     : "+D"(dst), "+S"(src), "+c"(words)
		     : "r"(tail)
		     : "memory");
}

void *memcpy_movsq(void *dst, const void *src, size_t n)
{
	copy_movsq(dst, src, n);
	return dst;
}

void *memcpy_bytes(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* The kernel's -fno-tree-loop-distribute-patterns keeps this a loop
   * rather than a call of memcpy. */
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset_erms(void *dst, int c, size_t n)
{
	void *d = dst;

	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

static inline void fill_stosq(void *dst, int c, size_t n)
{
	uint64_t pattern = (unsigned char)c * 0x0101010101010101ull;
	size_t words = n / 8, tail = n % 8;

	asm volatile("rep stosq\n\t"
		     "movq %2, %%rcx\n\t"
		     "rep stosb"
		     : "+D"(dst), "+c"(words)
		     : "r"(tail), "a"(pattern)
		     : "memory");
}

void *memset_stosq(void *dst, int c, size_t n)
{
	fill_stosq(dst, c, n);
	return dst;
}

void *memset_bytes(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

/* The call symbols: their bodies are the default (movsq) variant. */
__relink_call_symbol void *memcpy(void *dst, const void *src, size_t n)
{
	copy_movsq(dst, src, n);
	return dst;
}

__relink_call_symbol void *memset(void *dst, int c, size_t n)
{
	fill_stosq(dst, c, n);
	return dst;
}

DEFINE_CALL_CHOICE(mem_copy, "mem.copy", memcpy, RELINK_DECIDER_CPUID, 1,
		   RELINK_VARIANT("erms", RELINK_WHEN_CPUID(X86_FEATURE_erms),
				  RELINK_CALLS(memcpy_erms)),
		   RELINK_VARIANT("movsq", RELINK_WHEN_ALWAYS,
				  RELINK_CALLS(memcpy_movsq)),
		   RELINK_VARIANT("bytes", RELINK_WHEN_ALWAYS,
				  RELINK_CALLS(memcpy_bytes)));

DEFINE_CALL_CHOICE(mem_set, "mem.set", memset, RELINK_DECIDER_CPUID, 1,
		   RELINK_VARIANT("erms", RELINK_WHEN_CPUID(X86_FEATURE_erms),
				  RELINK_CALLS(memset_erms)),
		   RELINK_VARIANT("stosq", RELINK_WHEN_ALWAYS,
				  RELINK_CALLS(memset_stosq)),
		   RELINK_VARIANT("bytes", RELINK_WHEN_ALWAYS,
				  RELINK_CALLS(memset_bytes)));
EXPORT_SYMBOL(memcpy);
EXPORT_SYMBOL(memset);
EXPORT_CHOICE(mem_copy);
EXPORT_CHOICE(mem_set);
