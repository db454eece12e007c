// SPDX-License-Identifier: MIT
/*
 * Sorting and searching arrays of fixed-size elements (lib/sort.c), for
 * tables built at boot such as sorted address ranges. Names go through
 * LIB_NAME(); see include/lib/compiler.h.
 */
#ifndef LIB_SORT_H
#define LIB_SORT_H

#include <stddef.h>

#include <lib/compiler.h>

void LIB_NAME(sort)(void *base, size_t num, size_t size,
		    int (*cmp)(const void *, const void *));

void *LIB_NAME(bsearch)(const void *key, const void *base, size_t num,
			size_t size,
			int (*cmp)(const void *key, const void *elt));

#endif /* LIB_SORT_H */
