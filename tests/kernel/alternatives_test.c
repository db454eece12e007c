// SPDX-License-Identifier: MIT
/*
 * KTAP suite "alternatives": the CPU-feature choices and their callers.
 * memcpy()/memset() (mem.copy, mem.set) and every implementation behind
 * them copy and fill exactly the bytes a byte loop does, for every size
 * 0..300 and every alignment; hweight64() (cpu.popcnt) and both of its
 * variants count like a reference; each choice holds the variant CPUID
 * implies (unless the command line chose); and every site in the kernel
 * holds the bytes the engine emits for its choice's current variant.
 */
#include <arch/string.h>
#include <kernel/bitops.h>
#include <kernel/cpu.h>
#include <kernel/fs.h>
#include <kernel/idle.h>
#include <kernel/irqflags.h>
#include <kernel/platform.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/seq.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <relink/arch.h>
#include <relink/engine.h>
#include <stdint.h>

#include "../../kernel/patching/patching.h"

#define MAX_SIZE 300
#define GUARD 16
#define BUF_SIZE (GUARD + 8 + MAX_SIZE + GUARD)
_Static_assert(BUF_SIZE <= 1024, "three buffers in a page");

typedef void *(*copy_fn)(void *dst, const void *src, size_t n);
typedef void *(*fill_fn)(void *dst, int c, size_t n);

/*
 * The buffers come from the page allocator: under nested KVM, writes to
 * the kernel's .bss near its page tables are emulated one by one, which
 * makes a test of this many bytes take minutes.
 */
static unsigned char *src_buf, *dst_buf, *ref_buf;

static void buffers_get(struct ktest *t)
{
	if (!src_buf) {
		unsigned char *page = page_alloc(1);

		KTEST_ASSERT_TRUE(t, page != NULL);
		src_buf = page;
		dst_buf = page + 1024;
		ref_buf = page + 2048;
	}
}

static void ref_fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 3));
}

/* One copy of n bytes at the given alignments, checked byte by byte. */
static bool copy_right(copy_fn copy, size_t n, unsigned int sa, unsigned int da)
{
	unsigned char *src = src_buf + GUARD + sa, *dst = dst_buf + GUARD + da;

	ref_fill(src_buf, BUF_SIZE, (unsigned int)n);
	ref_fill(dst_buf, BUF_SIZE, 0xa5);
	for (size_t i = 0; i < BUF_SIZE; i++)
		ref_buf[i] = dst_buf[i];
	for (size_t i = 0; i < n; i++)
		ref_buf[GUARD + da + i] = src[i];
	if (copy(dst, src, n) != dst)
		return false;
	for (size_t i = 0; i < BUF_SIZE; i++)
		if (dst_buf[i] != ref_buf[i])
			return false;
	return true;
}

static bool fill_right(fill_fn fill, size_t n, unsigned int da, int c)
{
	unsigned char *dst = dst_buf + GUARD + da;

	ref_fill(dst_buf, BUF_SIZE, 0x3c);
	for (size_t i = 0; i < BUF_SIZE; i++)
		ref_buf[i] = dst_buf[i];
	for (size_t i = 0; i < n; i++)
		ref_buf[GUARD + da + i] = (unsigned char)c;
	if (fill(dst, c, n) != dst)
		return false;
	for (size_t i = 0; i < BUF_SIZE; i++)
		if (dst_buf[i] != ref_buf[i])
			return false;
	return true;
}

static void check_copy(struct ktest *t, copy_fn copy, const char *name)
{
	buffers_get(t);
	/* Alignments vary with the size: every pair, over the sizes (all
   * 64 pairs at every size are too slow under nested KVM, where the
   * string instructions are emulated). */
	for (size_t n = 0; n <= MAX_SIZE; n++) {
		{
			unsigned int sa = (unsigned int)n % 8;
			unsigned int da = (unsigned int)(n / 8 + n) % 8;

			if (!KTEST_EXPECT_MSG(t, copy_right(copy, n, sa, da),
					      "%s: %zu bytes, src+%u, dst+%u",
					      name, n, sa, da))
				return;
		}
	}
}

static void check_fill(struct ktest *t, fill_fn fill, const char *name)
{
	static const int values[] = { 0xff, 0x1234 };

	buffers_get(t);

	for (size_t n = 0; n <= MAX_SIZE; n++) {
		unsigned int da = (unsigned int)n % 8;
		int c = values[n % ARRAY_SIZE(values)];

		if (!KTEST_EXPECT_MSG(t, fill_right(fill, n, da, c),
				      "%s: %zu bytes, dst+%u, c=%#x", name, n,
				      da, c))
			return;
	}
}

/* memcpy() through its call sites, whatever mem.copy chose. */
static void *copy_current(void *dst, const void *src, size_t n)
{
	return memcpy(dst, src, n);
}

static void *fill_current(void *dst, int c, size_t n)
{
	return memset(dst, c, n);
}

static void test_memcpy_current(struct ktest *t)
{
	check_copy(t, copy_current, "memcpy");
}

static void test_memcpy_variants(struct ktest *t)
{
	check_copy(t, memcpy_erms, "memcpy_erms");
	check_copy(t, memcpy_movsq, "memcpy_movsq");
	check_copy(t, memcpy_bytes, "memcpy_bytes");
}

static void test_memset_current(struct ktest *t)
{
	check_fill(t, fill_current, "memset");
}

static void test_memset_variants(struct ktest *t)
{
	check_fill(t, memset_erms, "memset_erms");
	check_fill(t, memset_stosq, "memset_stosq");
	check_fill(t, memset_bytes, "memset_bytes");
}

/* A structure copy and clear: gcc emits calls of memcpy/memset. */
struct big {
	unsigned char bytes[257];
};

static void __attribute__((noinline))
struct_copy(struct big *to, const struct big *from)
{
	*to = *from;
}

static void test_struct_copy(struct ktest *t)
{
	static struct big a, b;

	buffers_get(t);

	ref_fill(a.bytes, sizeof(a.bytes), 11);
	struct_copy(&b, &a);
	KTEST_EXPECT_EQ(t, memcmp(&a, &b, sizeof(a)), 0);
	b = (struct big){ { 0 } };
	for (size_t i = 0; i < sizeof(b.bytes); i++)
		if (!KTEST_EXPECT_EQ(t, b.bytes[i], 0))
			break;
}

static unsigned int ref_popcount(uint64_t x)
{
	unsigned int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

static uint64_t xorshift(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

static unsigned int hw_popcount(uint64_t x)
{
	uint64_t n;

	asm("popcnt %1, %0" : "=r"(n) : "r"(x) : "cc");
	return (unsigned int)n;
}

/* Every way of counting against the reference, on value x. */
static bool counts_right(uint64_t x)
{
	unsigned int want = ref_popcount(x);

	if (hweight64(x) != want || __sw_hweight64(x) != want)
		return false;
	return !cpu_has(X86_FEATURE_popcnt) || hw_popcount(x) == want;
}

static void test_popcount(struct ktest *t)
{
	uint64_t state = 0x9e3779b97f4a7c15ull;
	unsigned long map[3] = { ~0ul, 0x5ul, 0xf0f0ul };

	KTEST_EXPECT_TRUE(t, counts_right(0));
	KTEST_EXPECT_TRUE(t, counts_right(~0ull));
	KTEST_EXPECT_EQ(t, hweight64(~0ull), 64);
	for (unsigned int b = 0; b < 64; b++)
		KTEST_EXPECT_MSG(t, counts_right(1ull << b), "bit %u", b);
	for (unsigned int i = 0; i < 10000; i++) {
		uint64_t x = xorshift(&state);

		if (!KTEST_EXPECT_MSG(t, counts_right(x), "x=%#llx",
				      (unsigned long long)x))
			break;
	}
	KTEST_EXPECT_EQ(t, hweight32(0xffffffffu), 32);
	KTEST_EXPECT_EQ(t, bitmap_weight(map, 64 + 64 + 8), 64 + 2 + 4);
}

/* The current variant of choice name, or NULL. */
static const char *variant_of(const char *name, struct relink_choice_info *info)
{
	int c = relink_choice_find(name);

	if (c < 0 || relink_choice_get((unsigned int)c, info))
		return NULL;
	return info->def->variants[info->variant].name;
}

/* name holds want (unless the command line chose), file says so. */
static void expect_variant(struct ktest *t, const char *name, const char *want)
{
	struct relink_choice_info info;
	const char *have = variant_of(name, &info);
	char path[96];
	struct seq_buf s;

	KTEST_ASSERT_TRUE(t, have != NULL);
	if (info.decided_by != RELINK_BY_CMDLINE &&
	    info.decided_by != RELINK_BY_RUNTIME)
		KTEST_EXPECT_STREQ(t, have, want);
	snprintf(path, sizeof(path), "/sys/kernel/debug/relink/choice/%s",
		 name);
	seq_init(&s);
	KTEST_EXPECT_EQ(t, fs_read(path, &s), 0);
	/* "VARIANT DECIDER\n" */
	KTEST_EXPECT_TRUE(t, s.buf && s.len > strlen(have) + 1 &&
				     !strncmp(s.buf, have, strlen(have)) &&
				     s.buf[strlen(have)] == ' ');
	seq_release(&s);
}

static void test_cpuid_decides(struct ktest *t)
{
	bool erms = cpu_has(X86_FEATURE_erms);

	expect_variant(t, "cpu.popcnt",
		       cpu_has(X86_FEATURE_popcnt) ? "hw" : "sw");
	expect_variant(t, "mem.copy", erms ? "erms" : "movsq");
	expect_variant(t, "mem.set", erms ? "erms" : "stosq");
	expect_variant(t, "cpu.tsc",
		       cpu_has(X86_FEATURE_rdtscp) ? "rdtscp" : "lfence");
}

/* A call site of mem.copy/mem.set calls its variant's function. */
static bool calls_variant(const struct relink_site_info *s)
{
	const struct relink_choice_def *def = relink_engine.defs[s->choice];
	const uint8_t *p = s->bytes;
	int32_t rel = (int32_t)((uint32_t)p[1] | (uint32_t)p[2] << 8 |
				(uint32_t)p[3] << 16 | (uint32_t)p[4] << 24);
	const void *target = (const void *)(s->address + 5 + (int64_t)rel);
	int v = relink_find_variant(def, s->variant, strlen(s->variant));

	return p[0] == 0xe8 && v >= 0 && target == def->variants[v].target;
}

/* Every site holds what the engine emits for its choice now; bad count. */
static uint32_t sites_not_emitted(struct ktest *t)
{
	const struct relink_engine *e = &relink_engine;
	uint8_t want[RELINK_SITE_MAX];
	uint32_t branch = 0, bad = 0;
	struct relink_site_info s;

	for (uint32_t i = 0; i < relink_site_count(); i++) {
		const struct relink_choice_state *st;

		relink_site_get(i, &s);
		st = &e->state[s.choice];
		if (relink_emit_site(e, s.choice, i,
				     st->patched ? st->variant :
						   RELINK_ORIGINAL,
				     branch, want) ||
		    memcmp(want, s.bytes, s.length)) {
			if (bad++ < 3)
				ktest_fail(t, __FILE__, __LINE__,
					   "site %u at %#llx (%s) differs", i,
					   (unsigned long long)s.address,
					   e->defs[s.choice]->name);
		}
		branch += s.shape == RELINK_SHAPE_BRANCH;
	}
	return bad;
}

/* What the switched code must still do: copy, fill, count, idle. */
static void code_works(struct ktest *t, const char *where)
{
	static const size_t sizes[] = { 0, 1, 7, 31, 64, 255, 300 };
	unsigned long flags;

	for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
		KTEST_EXPECT_MSG(t, copy_right(copy_current, sizes[k], 3, 5),
				 "%s: memcpy of %zu", where, sizes[k]);
		KTEST_EXPECT_MSG(t, fill_right(fill_current, sizes[k], 1, 0x5a),
				 "%s: memset of %zu", where, sizes[k]);
	}
	KTEST_EXPECT_MSG(t, counts_right(0x8000000000000401ull), "%s: popcount",
			 where);
	/* The idle operation, entered with interrupts off as the run loop
	 * does: the next tick ends it. */
	flags = arch_local_irq_save();
	arch_idle();
	arch_local_irq_restore(flags);
}

/*
 * Every choice that may be switched at run time, to every variant usable
 * on this CPU and back: after each switch every site in the kernel holds
 * the new variant's bytes and the code still works.
 */
static void test_every_choice_every_variant(struct ktest *t)
{
	struct relink_choice_info info;

	buffers_get(t);
	for (unsigned int c = 0; c < relink_choice_count(); c++) {
		unsigned int was;

		KTEST_ASSERT_EQ(t, relink_choice_get(c, &info), 0);
		if (info.def->flags & RELINK_CHOICE_BOOT_ONLY)
			continue;
		was = info.variant;
		for (unsigned int v = 0; v <= info.n_variants; v++) {
			unsigned int to = v < info.n_variants ? v : was;

			if (!relink_variant_usable(c, to, NULL, 0))
				continue;
			KTEST_EXPECT_MSG(t, relink_switch_index(c, to) == 0,
					 "%s -> %s", info.name,
					 info.def->variants[to].name);
			KTEST_EXPECT_EQ(t, sites_not_emitted(t), 0);
			code_works(t, info.name);
		}
	}
}

static void test_sites_hold_variants(struct ktest *t)
{
	const struct relink_engine *e = &relink_engine;
	uint32_t mem_calls = 0;
	struct relink_site_info s;

	KTEST_ASSERT_TRUE(t, e->header != NULL);
	KTEST_EXPECT_EQ(t, sites_not_emitted(t), 0);
	/* A patched mem.copy or mem.set call site calls its variant. */
	for (uint32_t i = 0; i < relink_site_count(); i++) {
		relink_site_get(i, &s);
		if (s.shape != RELINK_SHAPE_CALL ||
		    !e->state[s.choice].patched ||
		    (strcmp(e->defs[s.choice]->name, "mem.copy") &&
		     strcmp(e->defs[s.choice]->name, "mem.set")))
			continue;
		mem_calls++;
		KTEST_EXPECT_TRUE(t, calls_variant(&s));
	}
	KTEST_EXPECT_TRUE(t, mem_calls > 0);
}

static const struct ktest_case alternatives_cases[] = {
	KTEST_CASE(test_memcpy_current),
	KTEST_CASE(test_memcpy_variants),
	KTEST_CASE(test_memset_current),
	KTEST_CASE(test_memset_variants),
	KTEST_CASE(test_struct_copy),
	KTEST_CASE(test_popcount),
	KTEST_CASE(test_cpuid_decides),
	KTEST_CASE(test_sites_hold_variants),
	KTEST_CASE(test_every_choice_every_variant),
	{},
};
KTEST_SUITE(alternatives, alternatives_cases);
