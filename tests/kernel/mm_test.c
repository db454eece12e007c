// SPDX-License-Identifier: MIT
/*
 * KTAP suite "mm": the page allocator and the kernel heap.
 */
#include <stdint.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <lib/string.h>

static void test_page_alloc_zeroed_and_distinct(struct ktest *t)
{
	uint8_t *a = page_alloc(1), *b = page_alloc(3);

	KTEST_ASSERT_TRUE(t, a && b);
	KTEST_EXPECT_EQ(t, (uintptr_t)a % PAGE_SIZE, 0);
	KTEST_EXPECT_TRUE(t, b + 3 * PAGE_SIZE <= a || a + PAGE_SIZE <= b);
	for (size_t i = 0; i < 3 * PAGE_SIZE; i++)
		if (b[i]) {
			KTEST_EXPECT_EQ(t, b[i], 0);
			break;
		}
	memset(a, 0xa5, PAGE_SIZE);
	page_free(a, 1);
	page_free(b, 3);
}

static void test_page_stats_track_allocations(struct ktest *t)
{
	struct page_stats before, during, after;
	void *p;

	page_stats(&before);
	p = page_alloc(16);
	KTEST_ASSERT_TRUE(t, p != NULL);
	page_stats(&during);
	page_free(p, 16);
	page_stats(&after);
	KTEST_EXPECT_EQ(t, before.free - during.free, 16);
	KTEST_EXPECT_EQ(t, after.free, before.free);
	KTEST_EXPECT_TRUE(t, before.total >= before.free);
}

static void test_page_alloc_exhaustion_returns_null(struct ktest *t)
{
	struct page_stats st;

	page_stats(&st);
	KTEST_EXPECT_TRUE(t, page_alloc(st.total + 1) == NULL);
	KTEST_EXPECT_TRUE(t, page_alloc(0) == NULL);
}

/*
 * The allocator hands out pages up to end_pfn through the direct map, RAM
 * above 4 GiB too: the last one must be mapped (a fault ends the run).
 */
static void test_last_managed_page_is_mapped(struct ktest *t)
{
	struct page_stats st;
	const volatile uint8_t *last;

	page_stats(&st);
	KTEST_ASSERT_TRUE(t, st.end_pfn > st.total);
	last = phys_to_virt_kernel((uint64_t)st.end_pfn * PAGE_SIZE - 1);
	kprintf("    # mm: last managed byte 0x%llx reads 0x%02x\n",
		(unsigned long long)st.end_pfn * PAGE_SIZE - 1, *last);
}

static void test_kmalloc_sizes_and_alignment(struct ktest *t)
{
	static const size_t sizes[] = { 1,    15,   16,	  17,	100,
					2000, 2048, 4096, 10000 };
	void *p[ARRAY_SIZE(sizes)];
	struct heap_stats before, during;

	heap_stats(&before);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		KTEST_ASSERT_TRUE(t, p[i] != NULL);
		KTEST_EXPECT_EQ(t, (uintptr_t)p[i] % 16, 0);
		memset(p[i], (int)i, sizes[i]);
	}
	heap_stats(&during);
	KTEST_EXPECT_EQ(t, during.allocations - before.allocations,
			ARRAY_SIZE(sizes));
	/* No object overlapped another: each still holds its own fill. */
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		const uint8_t *b = p[i];

		KTEST_EXPECT_EQ(t, b[0], i);
		KTEST_EXPECT_EQ(t, b[sizes[i] - 1], i);
		kfree(p[i]);
	}
}

static void test_kmalloc_reuses_freed_memory(struct ktest *t)
{
	struct heap_stats before, after;
	void *p;

	heap_stats(&before);
	for (int i = 0; i < 10000; i++) {
		p = kmalloc(64 + (size_t)(i % 512));
		KTEST_ASSERT_TRUE(t, p != NULL);
		kfree(p);
	}
	heap_stats(&after);
	KTEST_EXPECT_EQ(t, after.allocations, before.allocations);
	KTEST_EXPECT_EQ(t, after.bytes, before.bytes);
}

static void test_kzalloc_and_bad_sizes(struct ktest *t)
{
	uint8_t *p = kmalloc(256);

	KTEST_ASSERT_TRUE(t, p != NULL);
	memset(p, 0xff, 256);
	kfree(p);
	p = kzalloc(256);
	KTEST_ASSERT_TRUE(t, p != NULL);
	for (int i = 0; i < 256; i++)
		if (p[i]) {
			KTEST_EXPECT_EQ(t, p[i], 0);
			break;
		}
	kfree(p);
	KTEST_EXPECT_TRUE(t, kmalloc(0) == NULL);
	KTEST_EXPECT_TRUE(t, kmalloc((size_t)1 << 40) == NULL);
	kfree(NULL);
}

static const struct ktest_case mm_cases[] = {
	KTEST_CASE(test_page_alloc_zeroed_and_distinct),
	KTEST_CASE(test_page_stats_track_allocations),
	KTEST_CASE(test_page_alloc_exhaustion_returns_null),
	KTEST_CASE(test_last_managed_page_is_mapped),
	KTEST_CASE(test_kmalloc_sizes_and_alignment),
	KTEST_CASE(test_kmalloc_reuses_freed_memory),
	KTEST_CASE(test_kzalloc_and_bad_sizes),
	{}
};
KTEST_SUITE(mm, mm_cases);
