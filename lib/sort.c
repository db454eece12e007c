// SPDX-License-Identifier: MIT
/*
 * In-place heapsort and binary search over arrays of elements of any size.
 * Heapsort is chosen for its guarantees, not its speed: O(n log n) in the
 * worst case, no recursion, no allocation and a constant amount of stack,
 * which is what early boot can afford. It is not stable.
 */
#include <stddef.h>
#include <stdint.h>

#include <lib/compiler.h>
#include <lib/sort.h>

typedef void (*swap_fn)(void *a, void *b, size_t size);

static void swap_bytes(void *a, void *b, size_t size)
{
	unsigned char *x = a, *y = b;

	for (; size; size--, x++, y++) {
		unsigned char t = *x;

		*x = *y;
		*y = t;
	}
}

/* Only for elements whose size and addresses are multiples of 8 bytes. */
static void swap_words(void *a, void *b, size_t size)
{
	uint64_t *x = a, *y = b;

	for (; size; size -= sizeof(*x), x++, y++) {
		uint64_t t = *x;

		*x = *y;
		*y = t;
	}
}

/* Every element is aligned as well as base when size is a multiple. */
static swap_fn choose_swap(const void *base, size_t size)
{
	if (((uintptr_t)base | size) % sizeof(uint64_t) == 0)
		return swap_words;
	return swap_bytes;
}

struct heap {
	char *base;
	size_t size;
	int (*cmp)(const void *, const void *);
	swap_fn swap;
};

static inline void *heap_elt(const struct heap *h, size_t i)
{
	return h->base + i * h->size;
}

/*
 * Moves element root down the max-heap of the first end elements until
 * both its children are no larger than it.
 */
static void sift_down(const struct heap *h, size_t root, size_t end)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= end)
			return;
		if (child + 1 < end &&
		    h->cmp(heap_elt(h, child), heap_elt(h, child + 1)) < 0)
			child++;
		if (h->cmp(heap_elt(h, root), heap_elt(h, child)) >= 0)
			return;
		h->swap(heap_elt(h, root), heap_elt(h, child), h->size);
		root = child;
	}
}

/**
 * sort() - sort an array in place, ascending by cmp
 * @base: the first element
 * @num: the number of elements
 * @size: the size of each element in bytes
 * @cmp: returns <0, 0 or >0 as its first argument sorts before, with or
 *	after its second
 *
 * Not stable: the order of elements that compare equal is unspecified.
 */
void LIB_NAME(sort)(void *base, size_t num, size_t size,
		    int (*cmp)(const void *, const void *))
{
	struct heap h = {
		.base = base,
		.size = size,
		.cmp = cmp,
		.swap = choose_swap(base, size),
	};
	size_t i;

	if (num < 2 || !size)
		return;
	/* 1. Build a max-heap: sift down every parent, last one first. */
	for (i = num / 2; i-- > 0;)
		sift_down(&h, i, num);
	/* 2. Repeatedly move the largest to the end and shrink the heap. */
	for (i = num - 1; i > 0; i--) {
		h.swap(heap_elt(&h, 0), heap_elt(&h, i), size);
		sift_down(&h, 0, i);
	}
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void LIB_NAME(sort_u64)(uint64_t *v, size_t num)
{
	LIB_NAME(sort)(v, num, sizeof(v[0]), compare_u64);
}

/**
 * bsearch() - find key in an array sorted ascending by cmp
 * @key: what to look for, passed as cmp's first argument
 * @base: the first element
 * @num: the number of elements
 * @size: the size of each element in bytes
 * @cmp: compares key with an element, <0, 0 or >0 as key sorts before,
 *	with or after it
 *
 * Return: an element that compares equal to key (any one of them if
 * several do), or NULL.
 */
void *LIB_NAME(bsearch)(const void *key, const void *base, size_t num,
			size_t size,
			int (*cmp)(const void *key, const void *elt))
{
	const char *low = base;

	/* The candidates are the num elements starting at low. */
	while (num) {
		const char *mid = low + (num / 2) * size;
		int r = cmp(key, mid);

		if (!r)
			return (void *)mid;
		if (r > 0) {
			low = mid + size;
			num -= num / 2 + 1;
		} else {
			num /= 2;
		}
	}
	return NULL;
}
