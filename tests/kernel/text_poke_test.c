// SPDX-License-Identifier: MIT
/*
 * KTAP suite "text_poke": kernel text changes only through the writable
 * alias, the change is visible to execution at once, and bad targets are
 * refused without writing.
 */
#include <stdint.h>
#include <arch/text_poke.h>
#include <kernel/irqflags.h>
#include <kernel/ktest.h>
#include <lib/errno.h>
#include <lib/string.h>

/* mov $0x11111111, %eax; ret: the immediate is what the tests rewrite. */
asm(".pushsection .text\n"
    ".globl poke_target\n"
    "poke_target:\n"
    "	.byte 0xb8\n"
    "	.long 0x11111111\n"
    "	ret\n"
    "	.p2align 4\n"
    ".popsection\n");
unsigned int poke_target(void);

static int poke(void *addr, const void *bytes, size_t len)
{
	unsigned long flags = arch_local_irq_save();
	int rc = text_poke(addr, bytes, len);

	arch_local_irq_restore(flags);
	return rc;
}

static void test_poke_changes_execution(struct ktest *t)
{
	uint8_t *imm = (uint8_t *)(uintptr_t)poke_target + 1;
	uint32_t next = 0x22222222, old = 0x11111111;

	KTEST_ASSERT_EQ(t, poke_target(), 0x11111111);
	KTEST_ASSERT_EQ(t, poke(imm, &next, 4), 0);
	KTEST_EXPECT_EQ(t, poke_target(), 0x22222222);
	KTEST_ASSERT_EQ(t, poke(imm, &old, 4), 0);
	KTEST_EXPECT_EQ(t, poke_target(), 0x11111111);
}

static void test_poke_refuses_non_text(struct ktest *t)
{
	static uint8_t data[8];
	uint8_t bytes[4] = { 1, 2, 3, 4 };

	KTEST_EXPECT_EQ(t, poke(data, bytes, 4), -EFAULT);
	KTEST_EXPECT_EQ(t, data[0], 0);
	KTEST_EXPECT_EQ(t, poke((void *)0x1000, bytes, 4), -EFAULT);
	KTEST_EXPECT_EQ(t, poke((void *)(uintptr_t)poke_target, bytes, 0),
			-EFAULT);
}

static const struct ktest_case text_poke_cases[] = {
	KTEST_CASE(test_poke_changes_execution),
	KTEST_CASE(test_poke_refuses_non_text),
	{}
};
KTEST_SUITE(text_poke, text_poke_cases);
