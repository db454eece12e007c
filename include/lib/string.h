// SPDX-License-Identifier: MIT
/*
 * Memory and string functions of lib/string.c: the standard set the kernel
 * needs (freestanding, so nothing comes from a libc), BSD strlcpy/strlcat/
 * strsep, and Linux's skip_spaces/strim. Names go through LIB_NAME(); see
 * include/lib/compiler.h.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stddef.h>

#include <lib/compiler.h>

void *LIB_NAME(memcpy)(void *dst, const void *src, size_t n);
void *LIB_NAME(memmove)(void *dst, const void *src, size_t n);
void *LIB_NAME(memset)(void *dst, int c, size_t n);
int LIB_NAME(memcmp)(const void *a, const void *b, size_t n);
void *LIB_NAME(memchr)(const void *s, int c, size_t n);

size_t LIB_NAME(strlen)(const char *s);
size_t LIB_NAME(strnlen)(const char *s, size_t max);
int LIB_NAME(strcmp)(const char *a, const char *b);
int LIB_NAME(strncmp)(const char *a, const char *b, size_t n);
char *LIB_NAME(strchr)(const char *s, int c);
char *LIB_NAME(strrchr)(const char *s, int c);
char *LIB_NAME(strstr)(const char *haystack, const char *needle);
size_t LIB_NAME(strspn)(const char *s, const char *accept);
size_t LIB_NAME(strcspn)(const char *s, const char *reject);

char *LIB_NAME(strcpy)(char *dst, const char *src);
size_t LIB_NAME(strlcpy)(char *dst, const char *src, size_t size);
size_t LIB_NAME(strlcat)(char *dst, const char *src, size_t size);
char *LIB_NAME(strsep)(char **stringp, const char *delim);

char *LIB_NAME(skip_spaces)(const char *s);
char *LIB_NAME(strim)(char *s);

/*
 * str_escape() - src (at most len bytes, up to a NUL) as printable text in
 * dst: bytes outside 0x20..0x7e and the backslash become \xNN (\\ for a
 * backslash), so outside bytes can never reach a terminal raw or split a
 * line. A result too long for dst ends in "..."; returns dst.
 */
char *LIB_NAME(str_escape)(char *dst, size_t size, const char *src, size_t len);

#endif /* LIB_STRING_H */
