// SPDX-License-Identifier: MIT
/*
 * KTAP suite "text_poke_batch": a batch of text writes maps each page of
 * text once and leaves no writable alias behind, and a run-time switch of
 * a choice whose sites span several pages (mem.copy: one batch) leaves
 * every site holding its new variant's bytes, there and back.
 */
#include <stdint.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/text_poke.h>
#include <kernel/ktest.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <relink/arch.h>
#include <relink/engine.h>

#include "../../kernel/patching/patching.h"

extern char __text_start[];
unsigned int poke_target(void); /* text_poke_test.c: mov $imm, %eax; ret */

/* The text-poke window's slot for the text page holding addr is unmapped. */
static bool alias_gone(const void *addr)
{
	uint64_t off = ((uint64_t)addr - (uint64_t)__text_start) &
		       ~(uint64_t)(PAGE_SIZE - 1);
	unsigned int level;
	uint64_t *pte = paging_lookup(TEXT_POKE_BASE + off, &level);

	return !pte || !(*pte & PTE_PRESENT);
}

static void test_batch_writes_and_unmaps(struct ktest *t)
{
	uint8_t *imm = (uint8_t *)(uintptr_t)poke_target + 1;
	uint32_t next = 0x33333333, old = 0x11111111;

	text_poke_begin();
	KTEST_EXPECT_EQ(t, text_poke_batch(imm, &next, 4), 0);
	/* The same page again: the alias mapped by the first write. */
	KTEST_EXPECT_EQ(t, text_poke_batch(imm, &old, 4), 0);
	KTEST_EXPECT_EQ(t, text_poke_batch(imm, &next, 4), 0);
	KTEST_EXPECT_TRUE(t, !alias_gone(imm));
	text_poke_end();
	KTEST_EXPECT_TRUE(t, alias_gone(imm));
	KTEST_EXPECT_EQ(t, poke_target(), 0x33333333);
	KTEST_EXPECT_EQ(t, text_poke(imm, &old, 4), 0);
	KTEST_EXPECT_EQ(t, poke_target(), 0x11111111);
	KTEST_EXPECT_TRUE(t, alias_gone(imm));
	/* Outside a batch the batched write refuses. */
	KTEST_EXPECT_EQ(t, text_poke_batch(imm, &next, 4), -EINVAL);
	KTEST_EXPECT_EQ(t, poke_target(), 0x11111111);
}

/* Every site of choice c holds what the engine emits for its variant. */
static uint32_t sites_wrong(unsigned int c, unsigned int *pages)
{
	const struct relink_engine *e = &relink_engine;
	uint64_t last_page = 0;
	uint8_t want[RELINK_SITE_MAX];
	uint32_t branch = 0, bad = 0;
	struct relink_site_info s;

	*pages = 0;
	for (uint32_t i = 0; i < relink_site_count(); i++) {
		relink_site_get(i, &s);
		if (s.choice == c) {
			if (relink_emit_site(e, c, i, e->state[c].variant,
					     branch, want) ||
			    memcmp(want, s.bytes, s.length))
				bad++;
			*pages += (s.address >> PAGE_SHIFT) != last_page;
			last_page = s.address >> PAGE_SHIFT;
		}
		branch += s.shape == RELINK_SHAPE_BRANCH;
	}
	return bad;
}

static void test_switch_spanning_pages(struct ktest *t)
{
	int c = relink_choice_find("mem.copy");
	struct relink_choice_info info;
	unsigned int pages, other;

	KTEST_ASSERT_TRUE(t, c >= 0);
	KTEST_ASSERT_EQ(t, relink_choice_get((unsigned int)c, &info), 0);
	other = info.variant == 0 ? 1 : 0; /* bytes or movsq: any CPU */
	KTEST_ASSERT_TRUE(t, relink_variant_usable((unsigned int)c, other, NULL,
						   0));
	KTEST_EXPECT_EQ(t, relink_switch_index((unsigned int)c, other), 0);
	KTEST_EXPECT_EQ(t, sites_wrong((unsigned int)c, &pages), 0);
	/* The point of the test: one batch over several pages of text. */
	KTEST_EXPECT_TRUE(t, pages >= 3);
	KTEST_EXPECT_EQ(t, relink_switch_auto((unsigned int)c), 0);
	KTEST_EXPECT_EQ(t, sites_wrong((unsigned int)c, &pages), 0);
	KTEST_EXPECT_TRUE(t, alias_gone((void *)(uintptr_t)poke_target));
}

static const struct ktest_case text_poke_batch_cases[] = {
	KTEST_CASE(test_batch_writes_and_unmaps),
	KTEST_CASE(test_switch_spanning_pages),
	{}
};
KTEST_SUITE(text_poke_batch, text_poke_batch_cases);
