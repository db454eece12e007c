// SPDX-License-Identifier: MIT
/*
 * Sorting and searching arrays of fixed-size elements (lib/sort.c), for
 * tables built at boot such as sorted address ranges. Names go through
 * LIB_NAME(); see include/lib/compiler.h.
 */
#ifndef LIB_SORT_H
#define LIB_SORT_H

#include <stddef.h>
#include <stdint.h>

#include <lib/compiler.h>

void LIB_NAME(sort)(void *base, size_t num, size_t size,
		    int (*cmp)(const void *, const void *));

/* sort_u64() - sort num unsigned 64-bit numbers ascending, in place. */
void LIB_NAME(sort_u64)(uint64_t *v, size_t num);

void *LIB_NAME(bsearch)(const void *key, const void *base, size_t num,
			size_t size,
			int (*cmp)(const void *key, const void *elt));

#endif /* LIB_SORT_H */
