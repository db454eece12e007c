// SPDX-License-Identifier: MIT
/*
 * Parsing of text that people type (boot command line, debug shell) in
 * lib/parse.c: strict integer conversion with Linux's kstrto*() semantics,
 * keyword lookup and word splitting. Each returns 0 (or a count or index)
 * on success and a negative errno from include/lib/errno.h on bad input,
 * never a partial result. Names go through LIB_NAME(); see
 * include/lib/compiler.h.
 */
#ifndef LIB_PARSE_H
#define LIB_PARSE_H

#include <stddef.h>

#include <lib/compiler.h>

int LIB_NAME(kstrtoull)(const char *s, unsigned int base,
			unsigned long long *res);
int LIB_NAME(kstrtoul)(const char *s, unsigned int base, unsigned long *res);
int LIB_NAME(kstrtouint)(const char *s, unsigned int base, unsigned int *res);
int LIB_NAME(kstrtoll)(const char *s, unsigned int base, long long *res);
int LIB_NAME(kstrtoint)(const char *s, unsigned int base, int *res);

int LIB_NAME(match_string)(const char *const *list, size_t n, const char *s);
int LIB_NAME(str_split)(char *s, char **argv, int max);

#endif /* LIB_PARSE_H */
