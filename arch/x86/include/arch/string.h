/* SPDX-License-Identifier: MIT */
/*
 * The implementations behind the kernel's memcpy() and memset() (choices
 * mem.copy and mem.set, arch/x86/string.c). Callers use memcpy() and
 * memset() from <lib/string.h>: each call is a patchable call site that
 * the engine points at one of these. The tests call them directly.
 */
#ifndef ARCH_STRING_H
#define ARCH_STRING_H

#include <stddef.h>

/* mem.copy: "rep movsb" (erms), "rep movsq" and a tail (movsq), bytes. */
void *memcpy_erms(void *dst, const void *src, size_t n);
void *memcpy_movsq(void *dst, const void *src, size_t n);
void *memcpy_bytes(void *dst, const void *src, size_t n);

/* mem.set: "rep stosb" (erms), "rep stosq" and a tail (stosq), bytes. */
void *memset_erms(void *dst, int c, size_t n);
void *memset_stosq(void *dst, int c, size_t n);
void *memset_bytes(void *dst, int c, size_t n);

#endif /* ARCH_STRING_H */
