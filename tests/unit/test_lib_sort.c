// SPDX-License-Identifier: MIT
/*
 * Host unit tests for lib/sort.c. sort() is compared with glibc's qsort()
 * on random and adversarial arrays, for element sizes that take the byte
 * swap (odd sizes, unaligned base) and the word swap (multiples of 8).
 * Comparators order whole elements, so equal elements are identical and
 * the result must match qsort() exactly even though neither is stable.
 * bsearch() is checked for every present key and every gap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lib/sort.h>

static unsigned long calls;

/* A small deterministic generator, so failures can be reproduced. */
static uint32_t rng_state = 12345;

static uint32_t next_random(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	calls++;
	return (x > y) - (x < y);
}

static int cmp_never_called(const void *a, const void *b)
{
	(void)a;
	(void)b;
	fail_msg("cmp called for an array with fewer than two elements");
	return 0;
}

/* Whole-element order for elements of any size. */
static size_t elt_size;

static int cmp_bytes(const void *a, const void *b)
{
	calls++;
	return memcmp(a, b, elt_size);
}

static void test_empty_and_single_do_not_compare(void **state)
{
	int one = 5;

	(void)state;
	lib_sort(NULL, 0, sizeof(int), cmp_never_called);
	lib_sort(&one, 1, sizeof(int), cmp_never_called);
	assert_int_equal(one, 5);
	lib_sort(&one, 3, 0, cmp_never_called); /* zero-size elements */
}

static void test_two_elements(void **state)
{
	int a[2] = { 2, 1 }, b[2] = { 1, 2 }, c[2] = { 3, 3 };

	(void)state;
	lib_sort(a, 2, sizeof(int), cmp_int);
	lib_sort(b, 2, sizeof(int), cmp_int);
	lib_sort(c, 2, sizeof(int), cmp_int);
	assert_int_equal(a[0], 1);
	assert_int_equal(a[1], 2);
	assert_int_equal(b[0], 1);
	assert_int_equal(b[1], 2);
	assert_int_equal(c[0], 3);
	assert_int_equal(c[1], 3);
}

/* Sorts a copy of ints with both sorts and compares. */
static void check_ints(const int *input, size_t n)
{
	int *got = malloc(n * sizeof(int) + 1);
	int *want = malloc(n * sizeof(int) + 1);

	assert_non_null(got);
	assert_non_null(want);
	memcpy(got, input, n * sizeof(int));
	memcpy(want, input, n * sizeof(int));
	lib_sort(got, n, sizeof(int), cmp_int);
	qsort(want, n, sizeof(int), cmp_int);
	assert_memory_equal(got, want, n * sizeof(int));
	free(got);
	free(want);
}

static void test_random_ints_match_qsort(void **state)
{
	static const size_t sizes[] = {
		3, 4, 5, 7, 8, 9, 16, 17, 31, 100, 1000
	};
	int input[1000];

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
		for (int round = 0; round < 20; round++) {
			for (size_t i = 0; i < sizes[s]; i++)
				input[i] = (int)next_random();
			check_ints(input, sizes[s]);
			/* Few distinct values: many equal elements. */
			for (size_t i = 0; i < sizes[s]; i++)
				input[i] = next_random() % 4 - 2;
			check_ints(input, sizes[s]);
		}
	}
}

static int compare_u64_ref(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* sort_u64() orders the whole 64-bit range, as qsort does. */
static void test_sort_u64_matches_qsort(void **state)
{
	uint64_t got[257], want[257];

	(void)state;
	for (size_t n = 0; n <= 257; n += 32) {
		for (size_t i = 0; i < n; i++)
			got[i] = want[i] = ((uint64_t)next_random() << 33) ^
					   next_random() ^
					   (i % 3 ? 0 : UINT64_MAX - i);
		lib_sort_u64(got, n);
		qsort(want, n, sizeof(want[0]), compare_u64_ref);
		assert_memory_equal(got, want, n * sizeof(got[0]));
	}
}

static void test_ordered_inputs(void **state)
{
	int input[257];
	const size_t n = sizeof(input) / sizeof(*input);

	(void)state;
	for (size_t i = 0; i < n; i++)
		input[i] = i;
	check_ints(input, n); /* ascending */
	for (size_t i = 0; i < n; i++)
		input[i] = n - i;
	check_ints(input, n); /* descending */
	for (size_t i = 0; i < n; i++)
		input[i] = 9;
	check_ints(input, n); /* all equal */
	for (size_t i = 0; i < n; i++)
		input[i] = i % 2 ? (int)i : -(int)i;
	check_ints(input, n); /* interleaved */
	input[0] = INT_MAX;
	input[n - 1] = INT_MIN;
	check_ints(input, n); /* extremes at the wrong ends */
}

static size_t log2_floor(size_t n)
{
	size_t log = 0;

	while (n >>= 1)
		log++;
	return log;
}

/* Heapsort is O(n log n) in the worst case; catch a quadratic slip. */
static void test_comparisons_are_n_log_n(void **state)
{
	static int input[4096];
	const size_t n = sizeof(input) / sizeof(*input);

	(void)state;
	for (size_t i = 0; i < n; i++)
		input[i] = (int)next_random();
	calls = 0;
	lib_sort(input, n, sizeof(int), cmp_int);
	assert_true(calls < 3 * n * log2_floor(n));
	for (size_t i = 1; i < n; i++)
		assert_true(input[i - 1] <= input[i]);
}

/*
 * Sorts n random elements of the given size, placed at an offset from an
 * 8-byte boundary, and compares with qsort(). Small byte values make
 * equal elements common.
 */
static void check_elements(size_t size, size_t n, size_t offset)
{
	unsigned char *area = malloc(2 * (n * size + offset) + 16);
	unsigned char *got, *want;

	assert_non_null(area);
	got = area + offset;
	want = area + n * size + offset + 8;
	for (size_t i = 0; i < n * size; i++)
		got[i] = next_random() % 3;
	memcpy(want, got, n * size);
	elt_size = size;
	lib_sort(got, n, size, cmp_bytes);
	qsort(want, n, size, cmp_bytes);
	if (memcmp(got, want, n * size))
		fail_msg("size %zu, %zu elements, offset %zu: not as qsort",
			 size, n, offset);
	free(area);
}

static void test_odd_sizes_and_alignments_match_qsort(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 5, 7, 8, 12, 13, 16, 24, 33 };
	static const size_t counts[] = { 0, 1, 2, 3, 10, 63, 200 };

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++)
		for (size_t c = 0; c < sizeof(counts) / sizeof(*counts); c++)
			for (size_t offset = 0; offset < 8; offset += 3)
				check_elements(sizes[s], counts[c], offset);
}

struct record {
	uint64_t key;
	char name[8];
	uint64_t value;
};

static int cmp_record(const void *a, const void *b)
{
	const struct record *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

/* A record keeps its fields together through the word-wise swaps. */
static void test_records_stay_intact(void **state)
{
	struct record r[50];
	const size_t n = sizeof(r) / sizeof(*r);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		r[i].key = next_random() % 1000;
		snprintf(r[i].name, sizeof(r[i].name), "k%03u",
			 (unsigned int)r[i].key);
		r[i].value = r[i].key * 3;
	}
	lib_sort(r, n, sizeof(*r), cmp_record);
	for (size_t i = 0; i < n; i++) {
		char name[8];

		snprintf(name, sizeof(name), "k%03u", (unsigned int)r[i].key);
		assert_string_equal(r[i].name, name);
		assert_int_equal(r[i].value, r[i].key * 3);
		if (i)
			assert_true(r[i - 1].key <= r[i].key);
	}
}

/* The key is a different type from the elements: order of arguments. */
static int cmp_key_record(const void *key, const void *elt)
{
	uint64_t k = *(const uint64_t *)key;
	const struct record *r = elt;

	return (k > r->key) - (k < r->key);
}

static void test_bsearch_finds_every_key_and_no_gap(void **state)
{
	struct record r[33];

	(void)state;
	for (size_t n = 0; n <= sizeof(r) / sizeof(*r); n++) {
		for (size_t i = 0; i < n; i++)
			r[i].key = 10 * i + 10; /* 10, 20, ... */
		for (uint64_t key = 0; key <= 10 * n + 20; key++) {
			struct record *found;

			found = lib_bsearch(&key, r, n, sizeof(*r),
					    cmp_key_record);
			if (key % 10 == 0 && key >= 10 && key <= 10 * n) {
				assert_non_null(found);
				assert_ptr_equal(found, &r[key / 10 - 1]);
			} else {
				assert_null(found);
			}
		}
	}
}

static void test_bsearch_with_duplicates(void **state)
{
	int a[] = { 1, 2, 2, 2, 2, 3, 5, 5, 8 };
	const size_t n = sizeof(a) / sizeof(*a);

	(void)state;
	for (int key = 0; key <= 9; key++) {
		int *found = lib_bsearch(&key, a, n, sizeof(int), cmp_int);
		int *libc = bsearch(&key, a, n, sizeof(int), cmp_int);

		assert_int_equal(found != NULL, libc != NULL);
		if (found)
			assert_int_equal(*found, key);
	}
	assert_null(lib_bsearch(&a[0], NULL, 0, sizeof(int), cmp_never_called));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_single_do_not_compare),
		cmocka_unit_test(test_two_elements),
		cmocka_unit_test(test_random_ints_match_qsort),
		cmocka_unit_test(test_sort_u64_matches_qsort),
		cmocka_unit_test(test_ordered_inputs),
		cmocka_unit_test(test_comparisons_are_n_log_n),
		cmocka_unit_test(test_odd_sizes_and_alignments_match_qsort),
		cmocka_unit_test(test_records_stay_intact),
		cmocka_unit_test(test_bsearch_finds_every_key_and_no_gap),
		cmocka_unit_test(test_bsearch_with_duplicates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
